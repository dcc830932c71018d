//! Calendar dates: weekdays, month names and days, numeric dates, years,
//! decades, centuries, seasons and quarters.

use super::*;

impl<'l> Grammar<'_, 'l> {
    /// The date rules that can start at `i`, in order of precedence.
    pub(super) fn date(&self, i: usize, s: Starts) -> Parsed {
        let mut best = None;
        for (rule, read) in [
            (
                Starts::WEEKDAY_DATE,
                Self::weekday_date as fn(&Self, usize) -> Parsed,
            ),
            (Starts::MONTH_DATE, Self::month_date),
            (Starts::DAY_MONTH, Self::day_month),
            (Starts::THE_ORDINAL_DAY, Self::the_ordinal_day),
            (Starts::NUMERIC_DATE, Self::numeric_date),
            (Starts::YEAR, Self::year),
            (Starts::DECADE, Self::decade),
            (Starts::CENTURY, Self::century),
            (Starts::SEASON, Self::season),
            (Starts::QUARTER, Self::quarter),
            (Starts::RELATIVE, Self::relative),
            (Starts::DEICTIC, Self::deictic),
            (Starts::ANAPHORIC, Self::anaphoric),
            (Starts::WEEKEND, Self::weekend),
            (Starts::PERIOD_END, Self::period_end),
            (Starts::YEAR_AGO_ALONE, Self::year_ago_alone),
            (Starts::HOLIDAY, Self::holiday),
        ] {
            if s.has(rule) {
                keep(&mut best, read(self, i));
            }
        }
        best
    }

    /// A weekday, alone or with its date: "Tuesday", "Tuesday, Oct. 14".
    pub(super) fn weekday_date(&self, i: usize) -> Parsed {
        let Some(weekday) = self.weekday_at(i) else {
            // "Thu, October 8th", "Sat 14 March": an abbreviation counts
            // only with its date.
            let day = self.entry(i)?.weekday?;
            let after = self.skip_comma(i + 1);
            let date = self
                .month_date(after)
                .or_else(|| self.day_month(after))
                .or_else(|| self.numeric_date(after));
            return match date {
                Some((
                    end,
                    Partial {
                        what: What::Calendar(mut d, pl),
                        ..
                    },
                )) => {
                    d.weekday = Some(day);
                    Some((end, Partial::calendar(d, pl)))
                }
                _ => None,
            };
        };
        let mut j = self.skip_period_if_abbrev(i);
        let after = self.skip_comma(j);
        if let Some((
            end,
            Partial {
                what: What::Calendar(mut d, pl),
                ..
            },
        )) = self
            .month_date(after)
            .or_else(|| self.day_month(after))
            .or_else(|| self.the_ordinal_day(after))
            .or_else(|| self.numeric_date(after))
        {
            d.weekday = Some(weekday);
            return Some((end, Partial::calendar(d, pl)));
        }
        // "Sunday Times": a capitalized word glued to the weekday makes a name.
        if let Some(next) = self.tok(j) {
            let temporal = next.entry.is_some_and(|e| e.is_temporal());
            if next.kind == Kind::Word && next.capital && !temporal && j == i + 1 {
                let prev_is_prep = i > 0 && self.role(i - 1, Role::DatePreposition);
                if !prev_is_prep {
                    return None;
                }
            }
        }
        if j > i + 1 && !self.tok(i).is_some_and(|t| t.capital) {
            j = i + 1;
        }
        let d = CalendarDate {
            weekday: Some(weekday),
            ..CalendarDate::default()
        };
        Some((j, Partial::calendar(d, Placement::Tense)))
    }

    pub(super) fn weekday_at(&self, i: usize) -> Option<u8> {
        let t = self.tok(i)?;
        let day = t.entry?.weekday?;
        // Three-letter abbreviations ("wed", "sat", "sun") are words too:
        // they need a capital and a period, a cue before them ("on wed",
        // "next fri", "EOD fri") or a time after them ("tue 3pm").
        let full = self.word_text(i).len() > 3;
        let dotted = t.capital && self.punct(i + 1, '.') && self.attached(i + 1);
        let cued = i > 0
            && (self.role(i - 1, Role::WeekdayCue)
                || self.entry(i - 1).is_some_and(|e| e.period_end.is_some()));
        if !(full || dotted || cued || self.time_follows(i + 1)) {
            return None;
        }
        Some(day)
    }

    /// Whether a time of day begins at `i`: "3pm", "at 9", "@ noon", "night".
    pub(super) fn time_follows(&self, i: usize) -> bool {
        let part = self
            .entry(i)
            .is_some_and(|e| e.part_of_day.is_some() && !e.plural_part(self.word_text(i)));
        part || self.clock(i).is_some() || self.day_clock(i, None).is_some()
    }

    /// "October 14, 2014", "Oct. 14", "October 2014", "October".
    pub(super) fn month_date(&self, i: usize) -> Parsed {
        let t = self.tok(i)?;
        let e = t.entry?;
        let month = e.month?;
        let mut j = i + 1;
        let has_period = self.punct(j, '.') && self.attached(j);
        if has_period {
            j += 1;
        }
        let mut d = CalendarDate {
            month: Some(month),
            ..CalendarDate::default()
        };
        if let Some((day, after_day)) = self.day_number(j) {
            d.day = Some(day);
            let mut k = after_day;
            // "Sept 8-11", "Mar 30 – Apr 2"
            if let Some((through, after)) = self.range_tail(k, month, true) {
                d.through = Some(through);
                k = after;
            }
            return self.with_year(d, k);
        }
        if e.month_abbrev && !has_period && self.year_number(j).is_none() {
            return None;
        }
        let after = self.year_slot(j);
        if let Some(year) = self.year_number(after) {
            d.year = Some(year);
            return Some((after + 1, Partial::calendar(d, Placement::This)));
        }
        // A bare month name: capitalized, and the everyday homographs
        // ("may", "march") only after a word that introduces dates.
        if !t.capital {
            return None;
        }
        if e.ambiguous_month || e.month_abbrev {
            let prev_ok = i > 0
                && (self.role(i - 1, Role::DatePreposition)
                    || self.entry(i - 1).is_some_and(|p| p.modifier.is_some())
                    || (self.punct(i - 1, '-')
                        && i > 1
                        && self.entry(i - 2).is_some_and(|p| p.modifier.is_some())));
            if !prev_ok {
                return None;
            }
            // "may" after "in" can still be the modal: "in May" needs the capital (checked).
        }
        let end = if e.month_abbrev { j } else { i + 1 };
        Some((end, Partial::calendar(d, Placement::Tense)))
    }

    /// A day of the month: "14", "14th", "fourteenth".
    pub(super) fn day_number(&self, i: usize) -> Option<(u8, usize)> {
        let t = self.tok(i)?;
        if let Some((v, digits)) = self.number(i) {
            if digits > 2 || !(1..=31).contains(&v) {
                return None;
            }
            // "14th"
            let mut end = i + 1;
            if self.attached(i + 1) && self.is_word(i + 1) {
                let suffix = self.word_text(i + 1).to_ascii_lowercase();
                if matches!(suffix.as_str(), "st" | "nd" | "rd" | "th") {
                    end = i + 2;
                } else {
                    return None;
                }
            } else if !self.standalone_number(i) && !self.starts_day_range(i) {
                return None;
            }
            // "May 3:30", "Oct. 14-15" ranges keep only the first day.
            if self.punct(end, ':') && self.attached(end) && self.number(end + 1).is_some() {
                return None;
            }
            return Some((v as u8, end));
        }
        let n = t.entry?.ordinal?;
        (1..=31).contains(&n).then_some((n as u8, i + 1))
    }

    /// Whether the number at `i` is the first day of "8-11" or "3--7".
    fn starts_day_range(&self, i: usize) -> bool {
        let prev_glued = i > 0
            && self.attached(i)
            && self.tok(i - 1).is_some_and(|p| {
                p.kind != Kind::Punct || matches!(p.ch, '-' | '/' | '.' | ',' | ':')
            });
        !prev_glued
            && self
                .range_dash(i + 1)
                .and_then(|j| self.range_day(j))
                .is_some_and(|(d2, _)| self.number(i).is_some_and(|(d1, _)| u64::from(d2) > d1))
    }

    /// The dash of a day range at `i` ("-", "–", "—", "--"), returning the
    /// index after it.
    pub(super) fn range_dash(&self, i: usize) -> Option<usize> {
        let t = self.tok(i)?;
        match t.ch {
            '–' | '—' => Some(i + 1),
            '-' if self.punct(i + 1, '-') => Some(i + 2),
            '-' => Some(i + 1),
            _ => None,
        }
        .filter(|_| t.kind == Kind::Punct)
    }

    /// The last day of a range after its dash: digits 1–31 (with an
    /// ordinal suffix), not followed by more digits.
    pub(super) fn range_day(&self, i: usize) -> Option<(u8, usize)> {
        let (v, digits) = self.number(i)?;
        if digits > 2 || !(1..=31).contains(&v) {
            return None;
        }
        let mut end = i + 1;
        if self.attached(end) && self.is_word(end) {
            let suffix = self.word_text(end).to_ascii_lowercase();
            if !matches!(suffix.as_str(), "st" | "nd" | "rd" | "th") {
                return None;
            }
            end += 1;
        }
        let glued_number = self
            .tok(end)
            .is_some_and(|t| !t.space_before && matches!(t.ch, '.' | ':' | '/' | ',' | '-'))
            && self.number(end + 1).is_some()
            && self.attached(end + 1);
        // "Oct. 14 - 15 people", "May 5 - 7 p.m.": no last day.
        let month_next = self.entry(end).is_some_and(|e| e.month.is_some());
        (!glued_number && (month_next || self.bare_end(end))).then_some((v as u8, end))
    }

    /// After a month and day, the rest of a day range: "-11" (same month)
    /// or "– Apr 2" (another month). Returns (month, day) of the last day.
    pub(super) fn range_tail(
        &self,
        k: usize,
        month: u8,
        month_first: bool,
    ) -> Option<((u8, u8), usize)> {
        let j = self.range_dash(k)?;
        if let Some((d2, after)) = self.range_day(j) {
            return valid_day(None, month, d2).then_some(((month, d2), after));
        }
        if !month_first {
            return None;
        }
        let m2 = self.entry(j)?.month?;
        let after_month = self.skip_period(j + 1);
        let (d2, after) = self.day_number(after_month)?;
        valid_day(None, m2, d2).then_some(((m2, d2), after))
    }

    /// A four-digit year standing alone.
    /// Where the year of a date ending before `j` would stand: after "of"
    /// ("March of 2025") or a comma ("Labor Day, 2027"), or at `j`.
    pub(super) fn year_slot(&self, j: usize) -> usize {
        if self.role(j, Role::Of) {
            j + 1
        } else {
            self.skip_comma(j)
        }
    }

    pub(super) fn year_number(&self, i: usize) -> Option<i32> {
        let (v, digits) = self.number(i)?;
        if digits != 4 || !(1000..=2999).contains(&v) || !self.standalone_number(i) {
            return None;
        }
        Some(v as i32)
    }

    /// "14 October 2014", "14th of October", "8–11 September".
    pub(super) fn day_month(&self, i: usize) -> Parsed {
        let (day, mut j) = self.day_number(i)?;
        // "8–11 September": the month comes after the range's last day.
        let mut last_day = None;
        if let Some(k) = self.range_dash(j) {
            if let Some((d2, after)) = self.range_day(k) {
                last_day = Some(d2);
                j = after;
            }
        }
        if self.role(j, Role::Of) {
            j += 1;
        }
        let e = self.entry(j)?;
        let month = e.month?;
        // The period after a full month name ends the sentence.
        let mut k = if e.month_abbrev {
            self.skip_period(j + 1)
        } else {
            j + 1
        };
        if e.month_abbrev && k == j + 1 && self.year_number(k).is_none() && last_day.is_none() {
            return None;
        }
        let mut d = CalendarDate {
            month: Some(month),
            day: Some(day),
            through: last_day.map(|d2| (month, d2)),
            ..CalendarDate::default()
        };
        // "30 March – 2 April"
        if last_day.is_none() {
            if let Some(dash_end) = self.range_dash(k) {
                if let Some((d2, after)) = self.range_day(dash_end) {
                    if let Some(m2) = self.entry(after).and_then(|e| e.month) {
                        if valid_day(None, m2, d2) {
                            d.through = Some((m2, d2));
                            k = self.skip_period(after + 1);
                        }
                    }
                }
            }
        }
        self.with_year(d, k)
    }

    /// A month and day ending at `k`, with the year that may follow
    /// ("Oct. 14, 2014"): placed in that year, or by tense without one.
    fn with_year(&self, mut d: CalendarDate, mut k: usize) -> Parsed {
        let (month, day) = (d.month?, d.day?);
        let after = self.skip_comma(k);
        if let Some(year) = self.year_number(after) {
            d.year = Some(year_of_range_start(year, month, d.through));
            k = after + 1;
        }
        if !valid_day(d.year, month, day) {
            return None;
        }
        let pl = if d.year.is_some() {
            Placement::This
        } else {
            Placement::Tense
        };
        Some((k, Partial::calendar(d, pl)))
    }

    /// "the 14th", when what follows shows it is a day and not "the 14th floor".
    pub(super) fn the_ordinal_day(&self, i: usize) -> Parsed {
        if !self.role(i, Role::The) {
            return None;
        }
        let (day, j) = self.day_number(i + 1)?;
        // Digits need a suffix here: "the 14" is not a date.
        if self.number(i + 1).is_some() && j == i + 2 {
            return None;
        }
        if self.role(j, Role::Of) {
            if let Some((
                end,
                Partial {
                    what: What::Calendar(mut d, pl),
                    ..
                },
            )) = self.month_date(j + 1)
            {
                if d.day.is_none() {
                    d.day = Some(day);
                    if !valid_day(d.year, d.month.unwrap_or(1), day) {
                        return None;
                    }
                    return Some((end, Partial::calendar(d, pl)));
                }
            }
        }
        // "the first to", "the second of three": an ordinal word names a day
        // only with its month ("the first of May"); digits ("the 14th.") may
        // stand alone before punctuation or a function word.
        self.number(i + 1)?;
        let follower_ok = match self.tok(j) {
            None => true,
            Some(t) => t.kind == Kind::Punct || self.role(j, Role::OrdinalDayFollower),
        };
        if !follower_ok {
            return None;
        }
        let d = CalendarDate {
            day: Some(day),
            ..CalendarDate::default()
        };
        Some((j, Partial::calendar(d, Placement::Tense)))
    }

    /// A year: "2014", "fiscal 1989".
    pub(super) fn year(&self, i: usize) -> Parsed {
        if let Some(found) = self.era_year(i) {
            return Some(found);
        }
        let (fiscal, j) = if self.role(i, Role::Fiscal) {
            let j = if self.entry(i + 1).and_then(|e| e.unit) == Some(Unit::Year) {
                i + 2
            } else {
                i + 1
            };
            (true, j)
        } else {
            (false, i)
        };
        let year = self.year_number(j)?;
        // Outside 1900-2099 a bare four-digit number is more often a count.
        let prep = j > 0 && (self.role(j - 1, Role::DatePreposition) || fiscal);
        if !(1900..=2099).contains(&year) && !prep {
            return None;
        }
        // "2014 soldiers": a count of something, not a year.
        if let Some(next) = self.tok(j + 1) {
            if next.kind == Kind::Word && next.entry.and_then(|e| e.unit).is_some() {
                return None;
            }
        }
        let d = CalendarDate {
            year: Some(year),
            ..CalendarDate::default()
        };
        Some((j + 1, Partial::calendar(d, Placement::This)))
    }

    /// "the 1990s", "the '90s", "1990s".
    pub(super) fn decade(&self, i: usize) -> Parsed {
        let j = if self.role(i, Role::The) { i + 1 } else { i };
        let apostrophe = self
            .tok(j)
            .is_some_and(|t| t.ch == '\'' || t.ch == '\u{2019}');
        let n = if apostrophe { j + 1 } else { j };
        let (v, digits) = self.number(n)?;
        if apostrophe && !self.attached(n) {
            return None;
        }
        if !(self.is_word(n + 1)
            && self.attached(n + 1)
            && self.word_text(n + 1).eq_ignore_ascii_case("s"))
        {
            return None;
        }
        let decade = match (apostrophe, digits) {
            (false, 4) if v % 10 == 0 => (v / 10) as i32,
            (true, 2) if v % 10 == 0 => {
                if v < 30 {
                    200 + (v / 10) as i32
                } else {
                    190 + (v / 10) as i32
                }
            }
            _ => return None,
        };
        Some((n + 2, Partial::new(What::Decade(decade))))
    }

    /// "the 20th century", "the nineteenth century".
    pub(super) fn century(&self, i: usize) -> Parsed {
        let j = if self.role(i, Role::The) { i + 1 } else { i };
        let (n, k) = self.ordinal(j)?;
        if self.entry(k).and_then(|e| e.unit) != Some(Unit::Century)
            || self.entry(k).is_some_and(|e| e.plural)
        {
            return None;
        }
        if !(1..=30).contains(&n) {
            return None;
        }
        Some((k + 1, Partial::new(What::Century((n - 1) as i32))))
    }

    /// An ordinal: "third", "3rd".
    pub(super) fn ordinal(&self, i: usize) -> Option<(i64, usize)> {
        if let Some((v, digits)) = self.number(i) {
            if digits <= 2 && self.attached(i + 1) && self.is_word(i + 1) {
                let suffix = self.word_text(i + 1).to_ascii_lowercase();
                if matches!(suffix.as_str(), "st" | "nd" | "rd" | "th") {
                    return Some((v as i64, i + 2));
                }
            }
            return None;
        }
        let n = self.entry(i)?.ordinal?;
        Some((n, i + 1))
    }

    /// "summer", "the spring of 1998", "summer 2015".
    pub(super) fn season(&self, i: usize) -> Parsed {
        let the = self.role(i, Role::The);
        let j = if the { i + 1 } else { i };
        let season = self.entry(j)?.season?;
        let mut d = CalendarDate {
            part: Some(YearPart::Season(season)),
            ..CalendarDate::default()
        };
        let after = if self.role(j + 1, Role::Of) {
            j + 2
        } else {
            j + 1
        };
        if let Some(year) = self.year_number(after) {
            d.year = Some(year);
            return Some((after + 1, Partial::calendar(d, Placement::This)));
        }
        let of = after == j + 2;
        if let Some(decided) = of.then(|| self.season_of(d, after)).flatten() {
            return decided;
        }
        // "spring water", "summer camp": a season before a noun is a modifier.
        let prep = i > 0 && self.role(i - 1, Role::DatePreposition);
        if !(the || prep) || !(self.ends_phrase(j + 1) || self.clause_opens(j + 1)) {
            return None;
        }
        Some((j + 1, Partial::calendar(d, Placement::Tense)))
    }

    /// Whether token `i` can follow the end of a noun phrase (so the token
    /// before it is not a modifier of some noun).
    pub(super) fn ends_phrase(&self, i: usize) -> bool {
        match self.tok(i) {
            None => true,
            Some(t) => match t.kind {
                Kind::Punct => true,
                Kind::Number => false,
                Kind::Word => {
                    t.entry.is_some_and(|e| {
                        e.has(Role::Of)
                            || e.has(Role::And)
                            || e.has(Role::Or)
                            || e.has(Role::To)
                            || e.has(Role::DatePreposition)
                            || e.has(Role::Be)
                            || e.has(Role::Future)
                            || e.has(Role::Past)
                    }) || (!t.capital && self.word_text(i).ends_with("ed"))
                }
            },
        }
    }

    /// "the third quarter", "third-quarter", "Q3 2014", "the first half of 2015",
    /// "the latest quarter", "the year-ago quarter".
    pub(super) fn quarter(&self, i: usize) -> Parsed {
        if let Some(found) = self.fiscal_year(i) {
            return Some(found);
        }
        let the = self.role(i, Role::The);
        let mut j = if the { i + 1 } else { i };
        // "the fiscal third quarter", "the fiscal-first quarter", "the
        // comparable year-ago quarter"
        let fiscal = self.role(j, Role::Fiscal);
        while self.role(j, Role::Fiscal) {
            j += 1;
            if self.punct(j, '-') && self.attached(j) {
                j += 1;
            }
        }
        let latest = self.role(j, Role::Latest);
        if latest {
            j += 1;
        }
        let year_ago = self.year_ago(j);
        if let Some(k) = year_ago {
            j = k;
        }
        while self.role(j, Role::Fiscal) {
            j += 1;
        }
        // "the 1988 second quarter", "next year's first quarter"
        let mut stated_year = None;
        let mut stated_offset = None;
        if the || latest || fiscal {
            if let Some(y) = self.year_number(j) {
                stated_year = Some(y);
                j += 1;
            }
        }
        if let Some((offset, k)) = self.relative_year(j) {
            if self.is_word(k) && self.word_text(k).eq_ignore_ascii_case("'s") {
                stated_offset = Some(offset);
                j = k + 1;
            }
        }
        let (part, k) = if let Some((n, k)) = self.ordinal(j) {
            let k = if self.punct(k, '-') && self.attached(k) {
                k + 1
            } else {
                k
            };
            match self.entry(k).and_then(|e| e.unit) {
                Some(Unit::Quarter) if (1..=4).contains(&n) => {
                    (Some(YearPart::Quarter(n as u8)), k + 1)
                }
                _ if (1..=2).contains(&n) && self.role(k, Role::Half) => {
                    (Some(YearPart::Half(n as u8)), k + 1)
                }
                _ => return None,
            }
        } else if self.word_text(j).eq_ignore_ascii_case("q") && self.attached(j + 1) {
            let (n, _) = self.number(j + 1)?;
            if !(1..=4).contains(&n) {
                return None;
            }
            (Some(YearPart::Quarter(n as u8)), j + 2)
        } else if (the || latest || year_ago.is_some())
            && self.entry(j).and_then(|e| e.unit) == Some(Unit::Quarter)
            && !self.entry(j).is_some_and(|e| e.plural)
        {
            // "the quarter", "the latest quarter": the last one reported.
            let offset = if year_ago.is_some() { -5 } else { -1 };
            return Some((
                j + 1,
                Partial::relative(Unit::Quarter, offset, Anchor::Reference),
            ));
        } else {
            return None;
        };
        if year_ago.is_some() {
            let Some(YearPart::Quarter(_)) = part else {
                return None;
            };
        }
        let mut d = CalendarDate {
            part,
            year: stated_year,
            year_offset: stated_offset,
            ..CalendarDate::default()
        };
        if d.year.is_some() || d.year_offset.is_some() {
            return Some((k, Partial::calendar(d, Placement::This)));
        }
        let after = if self.role(k, Role::Of) { k + 1 } else { k };
        let mut end = k;
        if let Some((offset, e)) = self.relative_year(after).filter(|_| after > k) {
            d.year_offset = Some(offset);
            return Some((e, Partial::calendar(d, Placement::This)));
        }
        if let Some(year) = self.year_number(after).or_else(|| {
            // "fiscal 1989"
            (self.role(after, Role::Fiscal))
                .then(|| self.year_number(after + 1))
                .flatten()
        }) {
            d.year = Some(year);
            end = if self.role(after, Role::Fiscal) {
                after + 2
            } else {
                after + 1
            };
        }
        if d.year.is_none() && year_ago.is_some() {
            d.year_offset = Some(-1);
        }
        // Without a year, a quarter is one of the reference's year: reports
        // look back at it ("third-quarter loss") as often as ahead.
        Some((end, Partial::calendar(d, Placement::This)))
    }

    /// "next year", "last year", "this year", as the year of another expression.
    pub(super) fn relative_year(&self, i: usize) -> Option<(i32, usize)> {
        let e = self.entry(i)?;
        let offset = if e.has(Role::Last) && !e.has(Role::SpanPast) {
            -1
        } else if e.has(Role::Next) {
            1
        } else if e.has(Role::This) {
            0
        } else {
            return None;
        };
        (self.singular_unit(i + 1) == Some(Unit::Year)).then_some((offset, i + 2))
    }

    /// "the fiscal year", "the current fiscal year", "last fiscal year",
    /// "the latest fiscal year": the company's year, named as the calendar
    /// year it mostly falls in, as TimeML values it (the reference's year,
    /// or the one before or after). "fiscal 1998" is the year rule's.
    fn fiscal_year(&self, i: usize) -> Parsed {
        let the = self.role(i, Role::The);
        let mut j = if the { i + 1 } else { i };
        let offset = if self.role(j, Role::This) {
            0
        } else if self.role(j, Role::Last) || self.role(j, Role::Latest) {
            -1
        } else if self.role(j, Role::Next) {
            1
        } else if the {
            // "the fiscal year" with no word before it.
            j -= 1;
            0
        } else {
            return None;
        };
        j += 1;
        if !self.role(j, Role::Fiscal) {
            return None;
        }
        while self.role(j, Role::Fiscal) {
            j += 1;
        }
        let year = self.entry(j)?;
        if year.unit != Some(Unit::Year) || year.plural || self.year_number(j + 1).is_some() {
            return None;
        }
        // "the fiscal year's first quarter", "the fiscal year-end": the
        // year is part of something else.
        if self.punct(j + 1, '-') || self.word_text(j + 1).eq_ignore_ascii_case("'s") {
            return None;
        }
        Some((
            j + 1,
            Partial::relative(Unit::Year, offset, Anchor::Reference),
        ))
    }

    /// "year-earlier", "year-ago" on their own: "a year-earlier loss".
    pub(super) fn year_ago_alone(&self, i: usize) -> Parsed {
        let end = self.year_ago(i)?;
        Some((end, Partial::relative(Unit::Year, -1, Anchor::Compared)))
    }

    /// "year-ago", "year-earlier": one word or three tokens.
    pub(super) fn year_ago(&self, i: usize) -> Option<usize> {
        if self.role(i, Role::YearAgo) {
            return Some(i + 1);
        }
        let year = self.entry(i).and_then(|e| e.unit) == Some(Unit::Year);
        if year
            && self.punct(i + 1, '-')
            && self.attached(i + 1)
            && (self.role(i + 2, Role::Ago) || self.role(i + 2, Role::Earlier))
        {
            return Some(i + 3);
        }
        None
    }
}

/// A year written after a range that crosses New Year is the last day's:
/// "30 December – 3 January 2027" starts in 2026.
fn year_of_range_start(year: i32, month: u8, through: Option<(u8, u8)>) -> i32 {
    match through {
        Some((last_month, _)) if last_month < month => year - 1,
        _ => year,
    }
}
