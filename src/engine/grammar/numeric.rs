//! Dates written in digits: "10/14/2014", "2014-10-14", "31.12.2026",
//! and month/day without a year where no fraction is likely ("3/14", "on
//! 11/3").

use super::*;

impl<'l> Grammar<'_, 'l> {
    /// "10/14/2014", "2014-10-14".
    pub(super) fn numeric_date(&self, i: usize) -> Parsed {
        let (a, ad) = self.number(i)?;
        if i > 0
            && self.attached(i)
            && !self.toks[i - 1].is_punct('(')
            && self.toks[i - 1].kind != Kind::Word
        {
            return None;
        }
        let sep = self.tok(i + 1)?;
        if sep.space_before || !(sep.is_punct('/') || sep.is_punct('-') || sep.is_punct('.')) {
            return None;
        }
        let c = sep.ch;
        // "31.12.2026" after a word or a number is a version ("v1.2.2020")
        // or a longer numeral.
        if c == '.' && i > 0 && self.attached(i) {
            return None;
        }
        let (b, bd) = self.number(i + 2).filter(|_| self.attached(i + 2))?;
        if !self.punct(i + 3, c) || !self.attached(i + 3) {
            // "on 11/3", "Fri 12/4", "12/1 at 3pm": month/day without a
            // year. "3/4" and "7/10" are more often a fraction or a score,
            // so they need a preposition, a weekday or a time beside them; another
            // needs no word after it but glue ("12/24 and 12/25"), since
            // "3/8 inch" measures.
            let prep = i > 0
                && (self.role(i - 1, Role::DatePreposition)
                    || self.entry(i - 1).is_some_and(|e| e.weekday.is_some()));
            let ends = !self.tok(i + 3).is_some_and(|t| {
                !t.space_before && !matches!(t.ch, '.' | ',' | '!' | '?' | ';' | ')')
            });
            let timed = self.time_follows(i + 3);
            let glue_after = !self.is_word(i + 3)
                || [Role::And, Role::Or, Role::To]
                    .into_iter()
                    .any(|r| self.role(i + 3, r));
            // Halves to fifths, eighths and sixteenths (share prices, "4
            // 5/8"), and scores out of ten are the usual fractions.
            let fraction_like = b <= 5 || b == 10 || b.is_power_of_two();
            let mixed = i > 0 && self.number(i - 1).is_some();
            let evidence = prep || timed || (!fraction_like && glue_after);
            if c == '/'
                && evidence
                && !mixed
                && ends
                && ad <= 2
                && bd <= 2
                && (1..=12).contains(&a)
                && valid_day(None, a as u8, b as u8)
                && b >= 1
            {
                let d = CalendarDate {
                    month: Some(a as u8),
                    day: Some(b as u8),
                    ..CalendarDate::default()
                };
                return Some((i + 3, Partial::calendar(d, Placement::Tense)));
            }
            return None;
        }
        let (y3, yd) = self.number(i + 4).filter(|_| self.attached(i + 4))?;
        // After a dotted date, a period that ends the sentence.
        let full_stop = c == '.' && self.punct(i + 5, '.') && !self.attached(i + 6);
        if !full_stop
            && self.tok(i + 5).is_some_and(|t| {
                !t.space_before && (t.kind == Kind::Number || t.is_punct(c) || t.kind == Kind::Word)
            })
        {
            return None;
        }
        let (year, month, day) = if ad == 4 && bd <= 2 && yd <= 2 {
            (a as i32, b, y3)
        } else if c == '.' && ad <= 2 && bd <= 2 && yd == 4 {
            // Dotted dates put the day first, wherever they are written.
            (y3 as i32, b, a)
        } else if c == '/' && ad <= 2 && bd <= 2 && yd == 4 && a > 12 && (1..=12).contains(&b) {
            // "31/12/2026": no month 31, so the day came first.
            (y3 as i32, b, a)
        } else if ad <= 2 && bd <= 2 && (yd == 4 || yd == 2) && c == '/' {
            let year = if yd == 2 {
                // Two-digit years: the sliding window most software uses.
                if y3 < 50 {
                    2000 + y3 as i32
                } else {
                    1900 + y3 as i32
                }
            } else {
                y3 as i32
            };
            (year, a, b)
        } else {
            return None;
        };
        if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
            return None;
        }
        if !valid_day(Some(year), month as u8, day as u8) {
            return None;
        }
        let d = CalendarDate {
            year: Some(year),
            month: Some(month as u8),
            day: Some(day as u8),
            ..CalendarDate::default()
        };
        Some((i + 5, Partial::calendar(d, Placement::This)))
    }
}
