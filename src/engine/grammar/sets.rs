//! Recurrences: "daily", "every other week", "Tuesday nights", "twice a month".

use super::*;

impl<'l> Grammar<'_, 'l> {
    /// "every Monday", "daily", "twice a month", "three times a week", "Mondays".
    pub(super) fn set(&self, i: usize) -> Parsed {
        if let Some(found) = self.day_of_every_month(i) {
            return Some(found);
        }
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
                let mut spec = SetSpec {
                    count: every as u32,
                    unit: Some(unit),
                    ..SetSpec::default()
                };
                let mut end = j + 1;
                // "every month on the 15th"
                if unit == Unit::Month && self.role(end, Role::DatePreposition) {
                    let k = end + 1 + usize::from(self.role(end + 1, Role::The));
                    if let Some((day, after)) =
                        self.ordinal(k).filter(|(d, _)| (1..=31).contains(d))
                    {
                        spec.month_day = Some(day as u8);
                        end = after;
                    }
                }
                return Some((end, Partial::new(What::Set(spec))));
            }
            if let Some(weekday) = self.weekday_at(j) {
                let spec = SetSpec {
                    weekday: Some(weekday),
                    count: every as u32,
                    ..SetSpec::default()
                };
                return Some(self.set_time_of_day(j + 1, spec));
            }
            // "every weekday", "every business day"
            if every == 1.0 && target.has(Role::Workday) {
                let spec = SetSpec {
                    workdays: true,
                    ..SetSpec::default()
                };
                return Some(self.set_time_of_day(j + 1, spec));
            }
            if every == 1.0
                && target.has(Role::WorkdayAdjective)
                && self.singular_unit(j + 1) == Some(Unit::Day)
            {
                let spec = SetSpec {
                    workdays: true,
                    ..SetSpec::default()
                };
                return Some(self.set_time_of_day(j + 2, spec));
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
        let mut found = set_of(unit);
        if let What::Set(spec) = &mut found.what {
            // "once a week" is weekly; "twice a week" no rule of days says.
            spec.several_per_unit = self.entry(i).and_then(|e| e.number) != Some(1);
        }
        Some((j + 2, found))
    }

    /// "at 9am" or "mornings" after a recurring day: when in the day it
    /// recurs. Returns the end of the phrase and the spec.
    fn set_time_of_day(&self, j: usize, mut spec: SetSpec) -> (usize, Partial) {
        let mut end = j;
        if let Some(part) = self.entry(j).and_then(|e| e.part_of_day) {
            spec.part_of_day = Some(part);
            end += 1;
        } else if self.role(j, Role::At) {
            if let Some((k, Clock::At { hour, minute, .. })) = self.clock(j + 1) {
                spec.time = Some((hour, minute));
                end = k;
            }
        }
        (end, Partial::new(What::Set(spec)))
    }

    /// "the first Monday of each month", "the last Friday of every month",
    /// "the 15th of every month": a day of each month.
    fn day_of_every_month(&self, i: usize) -> Parsed {
        let j = i + usize::from(self.role(i, Role::The));
        let (nth, day, after) = if self.role(j, Role::Last) {
            (Some(-1), None, j + 1)
        } else {
            let (n, k) = self.ordinal(j)?;
            match self.weekday_at(k) {
                Some(_) if (1..=5).contains(&n) => (Some(n as i8), None, k),
                Some(_) => return None,
                None if (1..=31).contains(&n) => (None, Some(n as u8), k),
                None => return None,
            }
        };
        let (weekday, k) = match nth {
            Some(_) => (Some(self.weekday_at(after)?), after + 1),
            None => (None, after),
        };
        if !(self.role(k, Role::Of) && self.role(k + 1, Role::Every)) {
            return None;
        }
        if self.singular_unit(k + 2) != Some(Unit::Month) {
            return None;
        }
        let spec = SetSpec {
            weekday,
            nth,
            month_day: day,
            unit: Some(Unit::Month),
            count: 1,
            ..SetSpec::default()
        };
        Some(self.set_time_of_day(k + 3, spec))
    }
}
