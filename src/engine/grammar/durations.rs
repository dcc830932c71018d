//! Lengths of time: "three hours", "two and a half years", "18-month".

use super::*;

/// The largest count read: 2^53, the last whole number before which an
/// `f64` holds them all.
pub(super) const MAX_EXACT_COUNT: f64 = 9_007_199_254_740_992.0;

impl<'l> Grammar<'_, 'l> {
    /// "three hours", "seven months", "18-month", "the past two months",
    /// "half an hour", "a year and a half", "several weeks".
    pub(super) fn duration(&self, i: usize) -> Parsed {
        let mut j = i;
        let mut spanned = false;
        if self.role(j, Role::The) {
            j += 1;
            if !(self.role(j, Role::RecentSpan)
                || self.role(j, Role::Latest)
                || self.entry(j).and_then(|e| e.number).is_some()
                || self.number(j).is_some()
                || self.role(j, Role::Few))
            {
                return None;
            }
        }
        // "the next three weeks" lies ahead of now, "the past two months"
        // behind it; "the first two weeks" of something, neither.
        let mut reach = None;
        if self.role(j, Role::RecentSpan) || (j > i && self.role(j, Role::Latest)) {
            if self.role(j, Role::Next) || self.role(j, Role::Following) {
                reach = Some(Reach::Ahead);
            } else if self.role(j, Role::Last) {
                reach = Some(Reach::Behind);
            }
            j += 1;
            spanned = true;
        }
        // "half an hour", "a half hour"
        if self.role(j, Role::Half) && self.role(j + 1, Role::Article) {
            let unit = self.singular_unit(j + 2)?;
            return Some((j + 3, duration_of(0.5, unit)));
        }
        if self.role(j, Role::Article) && self.role(j + 1, Role::Half) {
            if let Some(unit) = self.singular_unit(j + 2) {
                return Some((j + 3, duration_of(0.5, unit)));
            }
        }
        let (amount, mut k) = self.amount(j, spanned)?;
        // "the two upcoming weeks"
        if j > i
            && reach.is_none()
            && self.role(k, Role::Next)
            && self.entry(k + 1).is_some_and(|e| e.unit.is_some())
        {
            reach = Some(Reach::Ahead);
            k += 1;
        }
        // "18-month", "two-year": a hyphenated adjective
        if self.punct(k, '-') && self.attached(k) && self.attached(k + 1) {
            // The compound takes the singular: "three-quarters" is a fraction.
            let unit = self.singular_unit(k + 1)?;
            let amount = amount?;
            if self.punct(k + 2, '-')
                && self.attached(k + 2)
                && self.word_text(k + 3).eq_ignore_ascii_case("old")
            {
                return None;
            }
            return Some((k + 2, duration_of(amount, unit)));
        }
        let e = self.entry(k)?;
        let unit = e.unit?;
        if unit == Unit::Weekend {
            return None;
        }
        // "a second", "one second time": "second" after an article is the
        // ordinal ("a sec" is not one).
        let ordinal = e.ordinal.is_some();
        if unit == Unit::Second && ordinal && amount != Some(1.0) {
            return None;
        }
        if unit == Unit::Second && ordinal && self.number(j).is_none() {
            return None;
        }
        // "a year-earlier loss", "year-end": the unit is part of a compound.
        if self.punct(k + 1, '-')
            && self.attached(k + 1)
            && self.attached(k + 2)
            && self.is_word(k + 2)
        {
            return None;
        }
        let mut end = k + 1;
        let mut amount = amount;
        // "a year and a half", "two and a half years" (handled in amount)
        if self.role(end, Role::And)
            && self.role(end + 1, Role::Article)
            && self.role(end + 2, Role::Half)
        {
            amount = amount.map(|a| a + 0.5);
            end += 3;
        }
        let mut parts = vec![(amount, unit)];
        // "two hours and 30 minutes", "1 hr 30 min"
        let and = usize::from(self.role(end, Role::And));
        if and == 1 || self.number(end).is_some() {
            if let Some((a2, k2)) = self.amount(end + and, false) {
                if let Some(u2) = self.entry(k2).and_then(|e| e.unit) {
                    if u2 < unit && a2.is_some() && amount.is_some() {
                        parts.push((a2, u2));
                        end = k2 + 1;
                    }
                }
            }
        }
        // "$5 a day", "twice a year" are rates, not lengths.
        if self.role(j, Role::Article)
            && i > 0
            && (self.number(i - 1).is_some()
                || self.role(i - 1, Role::Twice)
                || self.role(i - 1, Role::Times))
        {
            return None;
        }
        let mut p = Partial::new(What::Duration(parts));
        // Only a count of units reaches from now: "the past year" is one
        // period, not a span ending now.
        // "the last ten days of December" lies in December, not before now.
        p.reach = reach.filter(|_| self.role(i, Role::The) && !self.role(end, Role::Of));
        Some((end, p))
    }

    pub(super) fn singular_unit(&self, i: usize) -> Option<Unit> {
        let e = self.entry(i)?;
        if e.plural {
            return None;
        }
        e.unit
    }

    /// A count before a unit: digits, number words, "a", "a few", "several",
    /// "two and a half". `None` inside is an unstated amount.
    pub(super) fn amount(&self, i: usize, spanned: bool) -> Option<(Option<f64>, usize)> {
        if let Some((v, end)) = self.cardinal(i) {
            // "two and a half years"
            if self.role(end, Role::And)
                && self.role(end + 1, Role::Article)
                && self.role(end + 2, Role::Half)
            {
                return Some((Some(v + 0.5), end + 3));
            }
            return Some((Some(v), end));
        }
        if self.role(i, Role::Article) {
            if self.role(i + 1, Role::Few) {
                return Some((None, i + 2));
            }
            return Some((Some(1.0), i + 1));
        }
        if self.role(i, Role::Few) && self.entry(i + 1).is_some_and(|e| e.plural) {
            return Some((None, i + 1));
        }
        // "for years", "for hours"
        if i > 0
            && self.role(i - 1, Role::VagueLength)
            && self.entry(i).is_some_and(|e| e.plural && e.unit.is_some())
        {
            return Some((None, i));
        }
        // "the past year" has its own rule; here "the next days" etc.
        if spanned && self.entry(i).is_some_and(|e| e.plural && e.unit.is_some()) {
            return Some((None, i));
        }
        None
    }

    /// A cardinal number: "3", "1.5", "10,000", "twenty-five", "one hundred",
    /// up to [`MAX_EXACT_COUNT`].
    pub(super) fn cardinal(&self, i: usize) -> Option<(f64, usize)> {
        if let Some((v, _)) = self.number(i) {
            if i > 0
                && self.attached(i)
                && matches!(self.toks[i - 1].ch, '$' | '£' | '€' | '.' | ',' | '#')
            {
                return None;
            }
            let mut value = v as f64;
            let mut j = i + 1;
            // thousands groups "10,000"
            while self.punct(j, ',')
                && self.attached(j)
                && self.attached(j + 1)
                && self.number(j + 1).is_some_and(|(_, d)| d == 3)
            {
                value = value * 1000.0 + self.number(j + 1).map_or(0, |(v, _)| v) as f64;
                j += 2;
            }
            // "5 1/2"
            if self.number(j) == Some((1, 1))
                && self.punct(j + 1, '/')
                && self.attached(j + 1)
                && self.number(j + 2) == Some((2, 1))
                && self.attached(j + 2)
            {
                value += 0.5;
                j += 3;
            }
            // decimals "1.5"
            if self.punct(j, '.') && self.attached(j) && self.attached(j + 1) {
                if let Some((frac, d)) = self.number(j + 1) {
                    value += frac as f64 / 10f64.powi(i32::from(d));
                    j += 2;
                }
            }
            if self.attached(j) && self.is_word(j) && !self.punct(j, '-') {
                // "3pm", "14th": not a count
                return None;
            }
            // Past 2^53 an f64 no longer holds every whole number, and the
            // value would misquote the text ("P18446744073709552000Y"): no
            // length of time is counted that high.
            if value > MAX_EXACT_COUNT {
                return None;
            }
            return Some((value, j));
        }
        let mut total = self.entry(i)?.number? as f64;
        let mut j = i + 1;
        // "twenty-five", "twenty five", "one hundred"
        if (20.0..100.0).contains(&total) && (total as i64) % 10 == 0 {
            let k = if self.punct(j, '-') && self.attached(j) {
                j + 1
            } else {
                j
            };
            if let Some(n) = self.entry(k).and_then(|e| e.number) {
                if (1..10).contains(&n) {
                    total += n as f64;
                    j = k + 1;
                }
            }
        }
        if let Some(n) = self.entry(j).and_then(|e| e.number) {
            if n == 100 || n == 1000 {
                total *= n as f64;
                j += 1;
            }
        }
        // "7-Eleven": a number word glued to digits is a name.
        if i > 0
            && self.attached(i)
            && self.punct(i - 1, '-')
            && i > 1
            && self.number(i - 2).is_some()
        {
            return None;
        }
        Some((total, j))
    }
}
