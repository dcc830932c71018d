//! Dates said through other dates, as people type them: "Thursday of next
//! week", "the 12th of next month", "the first Monday of March", "the
//! Friday after next", "four Mondays from now", "the day after Christmas",
//! "two weeks from Friday".

use super::*;

impl<'l> Grammar<'_, 'l> {
    /// The compound readings that can start at `i`; the longest wins.
    pub(super) fn compound(&self, i: usize) -> Parsed {
        // "the" and counts start most phrases of running text; these rules
        // need a weekday, an ordinal, "last" or a unit next.
        let next = self.entry(i + 1);
        let weekday_here = self.entry(i).is_some_and(|e| e.weekday.is_some());
        let promising = weekday_here
            || self.number(i + 1).is_some()
            || next.is_some_and(|e| {
                e.weekday.is_some()
                    || e.weekday_plural.is_some()
                    || e.ordinal.is_some()
                    || e.unit.is_some()
                    || e.has(Role::Last)
                    || e.has(Role::WorkdayAdjective)
                    || e.has(Role::Workdays)
            });
        if !promising {
            return None;
        }
        let mut best = self.day_in_period(i);
        keep(&mut best, self.after_next(i));
        keep(&mut best, self.weekdays_from_now(i));
        keep(&mut best, self.shifted_day(i));
        keep(&mut best, self.workdays_from_now(i));
        keep(&mut best, self.week_of_month(i));
        best
    }

    /// "the third week of June", "the last week of next month": the week
    /// that holds the month's 15th, or its last day.
    fn week_of_month(&self, i: usize) -> Parsed {
        if !self.role(i, Role::The) {
            return None;
        }
        let (nth, j) = if self.role(i + 1, Role::Last) {
            (-1, i + 2)
        } else {
            self.ordinal(i + 1)?
        };
        if self.singular_unit(j) != Some(Unit::Week) || !self.role(j + 1, Role::Of) {
            return None;
        }
        let mut d = match nth {
            -1 => CalendarDate {
                nth: Some(-1),
                ..CalendarDate::default()
            },
            // The nth week holds the month's day 7n - 6.
            1..=5 => CalendarDate {
                day: Some(u8::try_from(nth * 7 - 6).ok()?),
                ..CalendarDate::default()
            },
            _ => return None,
        };
        let k = j + 2;
        let end = match self.month_date(k) {
            Some((
                end,
                Partial {
                    what: What::Calendar(m, _),
                    ..
                },
            )) if m.day.is_none() && m.month.is_some() => {
                d.month = m.month;
                d.year = m.year;
                end
            }
            _ => match self.relative(k)? {
                (
                    end,
                    Partial {
                        what:
                            What::Relative {
                                unit: Unit::Month,
                                offset,
                                anchor: Anchor::Reference,
                            },
                        ..
                    },
                ) => {
                    d.within = Some((Unit::Month, i32::try_from(offset).ok()?));
                    end
                }
                _ => return None,
            },
        };
        let mut p = Partial::calendar(d, Placement::Tense);
        p.shift = Some(Shift::WeekOf);
        Some((end, p))
    }

    /// "ten business days from now", "two weekdays from now".
    fn workdays_from_now(&self, i: usize) -> Parsed {
        let (count, j) = self.cardinal(i)?;
        let k = if self.role(j, Role::WorkdayAdjective) && self.singular_unit(j + 1).is_none() {
            // "business days": the unit must be days.
            (self.entry(j + 1)?.unit? == Unit::Day).then_some(j + 2)?
        } else if self.role(j, Role::Workdays) {
            j + 1
        } else {
            return None;
        };
        if !(self.role(k, Role::From) && self.present_ref(k + 1)) {
            return None;
        }
        if count.fract() != 0.0 || !(1.0..=1000.0).contains(&count) {
            return None;
        }
        let mut p = Partial::relative(Unit::Day, 0, Anchor::Reference);
        // Whole and within 1..=1000, checked above.
        p.shift = Some(Shift::Workdays(count as i32));
        Some((k + 2, p))
    }

    /// A weekday or day of a named week or month: "Thursday of next week",
    /// "Thursday next week", "the 12th of next month", "the first Monday
    /// of March", "the last day of October", "the last Friday of the month".
    fn day_in_period(&self, i: usize) -> Parsed {
        let (mut d, j) = self.day_head(i)?;
        let linked = self.role(j, Role::Of) || self.role(j, Role::In);
        let k = j + usize::from(linked);
        // "the first Monday of March", "the 3rd of May 2027"
        if let Some(month) = self.entry(k).and_then(|e| e.month) {
            if (d.weekday.is_some() && d.nth.is_none()) || !linked {
                return None;
            }
            let (end, year) = match self.month_date(k) {
                Some((
                    end,
                    Partial {
                        what: What::Calendar(m, _),
                        ..
                    },
                )) if m.day.is_none() && m.month == Some(month) => (end, m.year),
                _ => return None,
            };
            d.month = Some(month);
            d.year = year;
            if d.nth.is_none() && !valid_day(year, month, d.day?) {
                return None;
            }
            return Some((end, Partial::calendar(d, Placement::Tense)));
        }
        // "next week", "this month", "the month"
        let (end, unit, offset) = match self.relative(k) {
            Some((
                end,
                Partial {
                    what:
                        What::Relative {
                            unit,
                            offset,
                            anchor: Anchor::Reference,
                        },
                    ..
                },
            )) => (end, unit, offset),
            _ if linked && self.role(k, Role::The) => (k + 2, self.singular_unit(k + 1)?, 0),
            _ => return None,
        };
        let fits = match unit {
            Unit::Week => d.weekday.is_some() && d.nth.is_none() && d.day.is_none(),
            Unit::Month => d.weekday.is_none() || d.nth.is_some(),
            // "the last day of the year", "the first Monday of next year"
            Unit::Year => d.nth.is_some(),
            _ => false,
        };
        // "Thursday next week" needs no "of"; a day number does ("the 12th
        // next month" is rare and often a list).
        if !fits || (!linked && d.weekday.is_none()) {
            return None;
        }
        d.within = Some((unit, i32::try_from(offset).ok()?));
        Some((end, Partial::calendar(d, Placement::Tense)))
    }

    /// What names one day inside a period: a weekday ("Thursday"), "the
    /// 12th", "the first Monday", "the last day".
    fn day_head(&self, i: usize) -> Option<(CalendarDate, usize)> {
        // An abbreviation without capital and period ("sat", "sun") is
        // more often a word, unless "of" ties it to its period.
        let weekday = self
            .weekday_word(i)
            .filter(|&(_, j)| self.weekday_at(i).is_some() || self.role(j, Role::Of));
        if let Some((weekday, j)) = weekday {
            let d = CalendarDate {
                weekday: Some(weekday),
                ..CalendarDate::default()
            };
            return Some((d, j));
        }
        let j = i + usize::from(self.role(i, Role::The));
        let (nth, k) = if self.role(j, Role::Last) {
            (-1, j + 1)
        } else {
            self.ordinal(j)?
        };
        if let Some((weekday, end)) = self.weekday_word(k) {
            if !(1..=5).contains(&nth) && nth != -1 {
                return None;
            }
            let d = CalendarDate {
                weekday: Some(weekday),
                nth: Some(i8::try_from(nth).ok()?),
                ..CalendarDate::default()
            };
            return Some((d, end));
        }
        if self.singular_unit(k) == Some(Unit::Day) {
            if !(1..=31).contains(&nth) && nth != -1 {
                return None;
            }
            let d = CalendarDate {
                nth: Some(i8::try_from(nth).ok()?),
                ..CalendarDate::default()
            };
            return Some((d, k + 1));
        }
        // "the 12th": a day of the month needs its article.
        if j == i || !(1..=31).contains(&nth) {
            return None;
        }
        let d = CalendarDate {
            day: Some(u8::try_from(nth).ok()?),
            ..CalendarDate::default()
        };
        Some((d, k))
    }

    /// A weekday in any of its written forms, with an abbreviation's period.
    fn weekday_word(&self, i: usize) -> Option<(u8, usize)> {
        let weekday = self.entry(i)?.weekday?;
        Some((weekday, self.skip_period_if_abbrev(i)))
    }

    /// "the Friday after next", "the week after next", "the weekend after
    /// next": one further than "next".
    fn after_next(&self, i: usize) -> Parsed {
        if !self.role(i, Role::The) {
            return None;
        }
        let (mut d, j) = match self.weekday_word(i + 1) {
            Some((weekday, j)) => (
                CalendarDate {
                    weekday: Some(weekday),
                    ..CalendarDate::default()
                },
                j,
            ),
            None => {
                let unit = self.singular_unit(i + 1)?;
                let ok = !unit.is_clock()
                    && unit != Unit::Day
                    && self.role(i + 2, Role::Later)
                    && self.role(i + 3, Role::Next);
                return ok.then(|| (i + 4, Partial::relative(unit, 2, Anchor::Reference)));
            }
        };
        if !(self.role(j, Role::Later) && self.role(j + 1, Role::Next)) {
            return None;
        }
        d.skip_weeks = 1;
        Some((j + 2, Partial::calendar(d, Placement::Next)))
    }

    /// "four Mondays from now", "two Fridays from now".
    fn weekdays_from_now(&self, i: usize) -> Parsed {
        let (count, j) = self.cardinal(i)?;
        let weekday = self.entry(j)?.weekday_plural?;
        if !(self.role(j + 1, Role::From) && self.present_ref(j + 2)) {
            return None;
        }
        if count.fract() != 0.0 || !(1.0..=52.0).contains(&count) {
            return None;
        }
        let d = CalendarDate {
            weekday: Some(weekday),
            // Whole and within 1..=52, checked above.
            skip_weeks: count as u8 - 1,
            ..CalendarDate::default()
        };
        Some((j + 3, Partial::calendar(d, Placement::Next)))
    }

    /// A day moved by a length: "the day after Christmas", "two days
    /// before New Year's Eve", "a week from tomorrow", "two weeks from
    /// Friday".
    fn shifted_day(&self, i: usize) -> Parsed {
        if let Some(found) = self.weekday_around(i) {
            return Some(found);
        }
        let (amount, j) = if self.role(i, Role::The) {
            (1.0, i + 1)
        } else {
            let (amount, j) = self.amount(i, false)?;
            (amount?, j)
        };
        let unit = self.entry(j)?.unit?;
        let singular = !self.entry(j).is_some_and(|e| e.plural);
        // "the day after Christmas" is a day; "the week after Easter" a
        // week, which a moved day cannot say.
        if (j == i + 1 && self.role(i, Role::The) && !(singular && unit == Unit::Day))
            || !matches!(unit, Unit::Day | Unit::Week | Unit::Fortnight | Unit::Month)
            || amount.fract() != 0.0
            || !(1.0..=1000.0).contains(&amount)
        {
            return None;
        }
        let k = j + 1;
        let sign = if self.role(k, Role::Later) || self.role(k, Role::From) {
            1
        } else if self.role(k, Role::Earlier) {
            -1
        } else {
            return None;
        };
        // Within 1..=1000, checked above.
        let (end, mut p) = self.moved_day(k + 1, Shift::By(unit, sign * amount as i32))?;
        // "two weeks from Friday": the Friday to come.
        if self.role(k, Role::From) {
            if let What::Calendar(_, placement @ Placement::Tense) = &mut p.what {
                *placement = Placement::Next;
            }
        }
        Some((end, p))
    }

    /// The day at `i`, without a time of its own, moved as `shift` says.
    fn moved_day(&self, i: usize, shift: Shift) -> Parsed {
        let (end, mut p) = self.day_expression(i)?;
        if p.clock.is_some() || p.shift.is_some() {
            return None;
        }
        p.shift = Some(shift);
        Some((end, p))
    }

    /// "the Friday after Thanksgiving", "the Saturday before Easter", "the
    /// weekend before Christmas": the nearest such day on that side; "the
    /// week of Dec 14": the week that holds it.
    fn weekday_around(&self, i: usize) -> Parsed {
        if !self.role(i, Role::The) {
            return None;
        }
        // "the week of Dec 14"
        if self.singular_unit(i + 1) == Some(Unit::Week) && self.role(i + 2, Role::Of) {
            return self.moved_day(i + 3, Shift::WeekOf);
        }
        // The weekday, or none for "the weekend".
        let (weekday, j) = match self.weekday_word(i + 1) {
            Some((weekday, j)) => (Some(weekday), j),
            None if self.singular_unit(i + 1) == Some(Unit::Weekend) => (None, i + 2),
            None => return None,
        };
        let after = self.which_role(j, Role::Later, Role::Earlier)?;
        let shift = match weekday {
            Some(weekday) => Shift::ToWeekday { weekday, after },
            None => Shift::ToWeekend { after },
        };
        self.moved_day(j + 1, shift)
    }
}
