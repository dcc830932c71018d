//! Recurrences: "daily", "every other week", "Tuesday nights", "twice a month".

use super::*;

impl<'l> Grammar<'_, 'l> {
    /// "every Monday", "daily", "twice a month", "three times a week", "Mondays".
    pub(super) fn set(&self, i: usize) -> Parsed {
        let e = self.entry(i);
        if let Some(unit) = e.and_then(|e| e.set_adverb) {
            // "the Daily Telegraph": a capitalized adverb before a name.
            let t = &self.toks[i];
            if t.capital
                && self
                    .tok(i + 1)
                    .is_some_and(|n| n.capital && n.kind == Kind::Word)
            {
                return None;
            }
            return Some((i + 1, set_of(unit)));
        }
        if let Some(weekday) = e.and_then(|e| e.weekday_plural) {
            let mut spec = SetSpec {
                weekday: Some(weekday),
                ..SetSpec::default()
            };
            let mut end = i + 1;
            if let Some(part) = self.entry(i + 1).and_then(|e| e.part_of_day) {
                spec.part_of_day = Some(part);
                end += 1;
            } else if self.role(end, Role::At) {
                if let Some((k, Clock::At { hour, minute, .. })) = self.clock(end + 1) {
                    spec.time = Some((hour, minute));
                    end = k;
                }
            }
            return Some((end, Partial::new(What::Set(spec))));
        }
        // "Tuesday nights"
        if let Some(weekday) = e.and_then(|e| e.weekday) {
            let part = self.entry(i + 1).and_then(|e| e.part_of_day)?;
            if !self
                .entry(i + 1)
                .is_some_and(|e| e.plural_part(self.word_text(i + 1)))
            {
                return None;
            }
            let spec = SetSpec {
                weekday: Some(weekday),
                part_of_day: Some(part),
                ..SetSpec::default()
            };
            return Some((i + 2, Partial::new(What::Set(spec))));
        }
        if e.is_some_and(|e| e.has(Role::Every)) && !self.word_text(i).eq_ignore_ascii_case("per") {
            let mut j = i + 1;
            let mut every = 1.0;
            // "every second Monday", "every third week": an ordinal counts
            // the interval when a unit or a weekday follows ("every second"
            // alone is the unit).
            let ordinal = self.entry(j).and_then(|e| e.ordinal).filter(|&n| {
                (2..=12).contains(&n)
                    && (self.weekday_at(j + 1).is_some()
                        || self.entry(j + 1).is_some_and(|e| e.unit.is_some()))
            });
            if self.role(j, Role::More) {
                // "every other week"
                every = 2.0;
                j += 1;
            } else if let Some(n) = ordinal {
                every = n as f64;
                j += 1;
            } else if let Some((n, k)) = self.cardinal(j) {
                every = n;
                j = k;
            }
            let target = self.entry(j)?;
            if let Some(unit) = target.unit {
                if every.fract() != 0.0 || !(1.0..=1e6).contains(&every) {
                    return None;
                }
                let spec = SetSpec {
                    count: every as u32,
                    unit: Some(unit),
                    ..SetSpec::default()
                };
                return Some((j + 1, Partial::new(What::Set(spec))));
            }
            if let Some(weekday) = self.weekday_at(j) {
                let spec = SetSpec {
                    weekday: Some(weekday),
                    count: every as u32,
                    part_of_day: self.entry(j + 1).and_then(|e| e.part_of_day),
                    ..SetSpec::default()
                };
                let end = if spec.part_of_day.is_some() {
                    j + 2
                } else {
                    j + 1
                };
                return Some((end, Partial::new(What::Set(spec))));
            }
            if let Some(month) = target.month {
                return Some((
                    j + 1,
                    Partial::new(What::Set(SetSpec {
                        month: Some(month),
                        ..SetSpec::default()
                    })),
                ));
            }
            if let Some(part) = target.part_of_day {
                return Some((
                    j + 1,
                    Partial::new(What::Set(SetSpec {
                        unit: Some(Unit::Day),
                        part_of_day: Some(part),
                        ..SetSpec::default()
                    })),
                ));
            }
            return None;
        }
        // "twice a month", "three times a week", "once a year"
        let j = if self.role(i, Role::Twice) {
            i + 1
        } else {
            let (_, k) = self.cardinal(i)?;
            if !self.role(k, Role::Times) {
                return None;
            }
            k + 1
        };
        if !(self.role(j, Role::Article) || self.word_text(j).eq_ignore_ascii_case("per")) {
            return None;
        }
        let unit = self.singular_unit(j + 1)?;
        Some((j + 2, set_of(unit)))
    }
}
