//! Ranges: two expressions read as one span of time. "2-3pm", "9:30 to
//! 11", "10h30 - 12h00", "tomorrow 9-11am", "Aug 3 to 5", "from Monday to
//! Wednesday", "Mon–Fri", "between May 1 and May 5", "2009-2010",
//! "1915-17", "between 12 and 18 months", "at 2pm for an hour", "45
//! minutes starting at 2pm".
//!
//! A range is one match whose `range` holds its second part; each part is
//! resolved on its own (TimeML annotates each end as its own timex) and the
//! engine joins them into one interval. The rule runs only after an
//! expression was read, or at a number or weekday that none reads.
//! Connecting words come from the table's roles (`to`, `and` after
//! `between`, `for`, `starting`); a dash is punctuation.

use super::*;

/// How a range's second part relates to its first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Join {
    /// "2-3pm", "from 1861 to 1865": the second part is the last one.
    Through,
    /// "at 2pm for an hour": the second part is a length from the first.
    For,
    /// "45 minutes starting at 2pm": the first part is a length from the second.
    Starting,
}

/// The second part of a range.
#[derive(Clone, Debug)]
pub struct RangeEnd {
    /// The token after the first part, and the first token of the second.
    pub first_end: usize,
    pub second_start: usize,
    pub partial: Partial,
    pub join: Join,
}

/// What kind of time a range's end is; both ends must be of one kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    Clock,
    Day,
    Month,
    Year,
    Length(Unit),
}

fn shape(p: &Partial) -> Option<Shape> {
    if p.modifier.is_some() {
        return None;
    }
    match (&p.what, p.clock) {
        (_, Some(Clock::At { .. })) => Some(Shape::Clock),
        (_, Some(Clock::Part(_))) => None,
        (What::Calendar(d, _), None) => {
            if d.through.is_some() || d.part.is_some() || d.weekend {
                None
            } else if d.names_day() || d.weekday.is_some() {
                Some(Shape::Day)
            } else if d.month.is_some() {
                Some(Shape::Month)
            } else {
                d.year.map(|_| Shape::Year)
            }
        }
        (
            What::Relative {
                unit: Unit::Day, ..
            },
            None,
        ) => Some(Shape::Day),
        (What::Duration(parts), None) => match parts.as_slice() {
            [(Some(_), unit)] => Some(Shape::Length(*unit)),
            _ => None,
        },
        _ => None,
    }
}

/// A clock time read without a day: `date_with_time` gives it the day
/// mentioned last, which the other end of a range may state instead.
fn dayless(p: &Partial) -> bool {
    matches!(
        p.what,
        What::Relative {
            unit: Unit::Day,
            offset: 0,
            anchor: Anchor::Narrative
        }
    )
}

fn hour_minute(p: &Partial) -> Option<(u8, u8)> {
    match p.clock {
        Some(Clock::At { hour, minute, .. }) => Some((hour, minute)),
        _ => None,
    }
}

fn set_hour(p: &mut Partial, h: u8) {
    if let Some(Clock::At { hour, .. }) = &mut p.clock {
        *hour = h;
    }
}

fn amount(p: &Partial) -> Option<f64> {
    match &p.what {
        What::Duration(parts) => parts.first().and_then(|(a, _)| *a),
        _ => None,
    }
}

impl<'l> Grammar<'_, 'l> {
    /// The expression at `i` (`found`, if a rule read one), extended into a
    /// range where one follows; or a range whose first end no rule reads
    /// alone ("2-3pm", "2009-2010", "12 to 18 months", "Mon–Fri").
    pub(super) fn range(&self, i: usize, found: Parsed) -> Option<Match> {
        let Some((end, p)) = found else {
            return self.bare_first(i);
        };
        Some(self.extend(i, end, p.clone()).unwrap_or(Match {
            start: i,
            end,
            partial: p,
            range: None,
        }))
    }

    /// A range that begins with the expression `first` read over `i..end`.
    fn extend(&self, i: usize, end: usize, first: Partial) -> Option<Match> {
        let s1 = shape(&first)?;
        // "tomorrow 9-11am", "Thursday from 2 to 3pm": a day, then a
        // range of clock times on it.
        if s1 == Shape::Day {
            let k = if self.role(end, Role::At) || self.role(end, Role::From) {
                end + 1
            } else {
                self.skip_comma(end)
            };
            if let Some(mut m) = self.clock_range(k) {
                let r = m.range.as_mut()?;
                if !dayless(&m.partial) || !dayless(&r.partial) {
                    return None;
                }
                m.partial.what = first.what.clone();
                r.partial.what = first.what;
                m.start = i;
                return Some(m);
            }
        }
        let (k, join) = self.connector(i, end, s1)?;
        let (e2, second) = match join {
            Join::For => {
                let (e2, p) = self.expression(k)?;
                matches!(shape(&p), Some(Shape::Length(_))).then_some((e2, p))?
            }
            Join::Starting => {
                let k = if self.role(k, Role::At) { k + 1 } else { k };
                let (e2, p) = self.expression(k)?;
                matches!(shape(&p), Some(Shape::Clock | Shape::Day)).then_some((e2, p))?
            }
            Join::Through => self
                .expression(k)
                .filter(|(_, p)| fits(s1, shape(p)))
                .or_else(|| self.bare_like(k, &first, s1))?,
        };
        let second_start = if join == Join::Starting && self.role(k, Role::At) {
            k + 1
        } else {
            k
        };
        self.joined(i, end, first, second_start, e2, second, join)
    }

    /// A clock range at `k`, for a day before it.
    fn clock_range(&self, k: usize) -> Option<Match> {
        let m = match self.clock(k) {
            Some(_) => {
                let (end, p) = self.date_with_time(k, Starts::CLOCK)?;
                self.extend(k, end, p)?
            }
            None => self.bare_first(k)?,
        };
        (m.range.as_ref()?.join == Join::Through && hour_minute(&m.partial).is_some()).then_some(m)
    }

    /// The word or dash after a range's first end at `end`, and the index
    /// after it.
    fn connector(&self, i: usize, end: usize, s1: Shape) -> Option<(usize, Join)> {
        if let Some(k) = self.range_dash(end) {
            return Some((k, Join::Through));
        }
        let e = self.entry(end)?;
        if e.has(Role::To) {
            return Some((end + 1, Join::Through));
        }
        // "between May 1 and May 5": "and" joins ends only after "between".
        if e.has(Role::And) && i > 0 && self.role(i - 1, Role::Between) {
            return Some((end + 1, Join::Through));
        }
        if e.has(Role::VagueLength) && matches!(s1, Shape::Clock | Shape::Day) {
            return Some((end + 1, Join::For));
        }
        if e.has(Role::Starting) && matches!(s1, Shape::Length(_)) {
            return Some((end + 1, Join::Starting));
        }
        None
    }

    /// An expression at `k`, also where it touches what comes before it
    /// ("3pm" in "2-3pm", which alone would be part of a number).
    fn expression(&self, k: usize) -> Parsed {
        let s = self.starts(k);
        if s == Starts::NONE {
            return None;
        }
        self.at(k, s).or_else(|| {
            if !self.attached(k) {
                return None;
            }
            let g = Grammar {
                toks: self.toks.get(k..)?,
                text: self.text,
                lex: self.lex,
            };
            let (end, p) = g.at(0, s)?;
            Some((k + end, p))
        })
    }

    /// A range whose first end is a bare number (or weekday abbreviation)
    /// that takes its meaning from the second: "2-3pm", "between 3 and
    /// 4pm", "12 to 18 months", "two to six days", "1915-17", "2009-2010",
    /// "Mon–Fri".
    fn bare_first(&self, i: usize) -> Option<Match> {
        let t = self.tok(i)?;
        // Not the tail of something glued before it: "555-1234", "2.3-2.4".
        if i > 0 && self.attached(i) && !self.punct(i - 1, '(') {
            return None;
        }
        if t.entry.is_some_and(|e| e.weekday.is_some()) {
            return self.weekday_range(i);
        }
        let (v, digits) = match self.number(i) {
            Some(n) => n,
            None => (u64::try_from(t.entry?.number?).ok()?, 0),
        };
        let end = i + 1;
        if digits == 4 {
            return self.year_range(i, v);
        }
        let (k, join) = self.connector(i, end, Shape::Year)?;
        if join != Join::Through {
            return None;
        }
        let (e2, second) = self.expression(k)?;
        let mut first = second.clone();
        match shape(&second)? {
            Shape::Length(_) => {
                let a2 = amount(&second)?;
                if v as f64 >= a2 {
                    return None;
                }
                let What::Duration(parts) = &mut first.what else {
                    return None;
                };
                parts[0].0 = Some(v as f64);
            }
            // A bare hour needs an hour with "pm" or "o'clock" after it:
            // "won 3-2" is a score.
            Shape::Clock if digits <= 2 && (1..=12).contains(&v) => {
                if !self.meridiem_in(k, e2) {
                    return None;
                }
                let (h2, m2) = hour_minute(&second)?;
                let mut h1 = v as u8 % 12;
                let late = u32::from(h1 + 12) * 60 < u32::from(h2) * 60 + u32::from(m2);
                if late {
                    h1 += 12;
                }
                first.clock = Some(Clock::At {
                    hour: h1,
                    minute: 0,
                    zone: match second.clock {
                        Some(Clock::At { zone, .. }) => zone,
                        _ => None,
                    },
                });
                if (h1, 0) >= (h2, m2) {
                    return None;
                }
            }
            _ => return None,
        }
        self.joined(i, end, first, k, e2, second, Join::Through)
    }

    /// "Mon–Fri", "Monday - Friday": weekdays that may be abbreviated.
    fn weekday_range(&self, i: usize) -> Option<Match> {
        let t = self.tok(i)?;
        let w1 = t.entry?.weekday?;
        let j = self.skip_period(i + 1);
        let k = self.range_dash(j)?;
        let w2 = self.entry(k)?.weekday?;
        if !t.capital || !self.tok(k)?.capital || w1 == w2 {
            return None;
        }
        let end = self.skip_period_if_abbrev(k);
        let day = |w| {
            Partial::calendar(
                CalendarDate {
                    weekday: Some(w),
                    ..CalendarDate::default()
                },
                Placement::Tense,
            )
        };
        Some(Match {
            start: i,
            end,
            partial: day(w1),
            range: Some(Box::new(RangeEnd {
                first_end: j,
                second_start: k,
                partial: day(w2),
                join: Join::Through,
            })),
        })
    }

    /// "2009-2010", "1915-17", "1990–95": a year, a dash, a later year
    /// (its last two digits standing for it).
    fn year_range(&self, i: usize, y1: u64) -> Option<Match> {
        if !(1000..=2999).contains(&y1) {
            return None;
        }
        let k = self.range_dash(i + 1)?;
        let (y2, d2) = self.number(k)?;
        let y2 = match d2 {
            4 => y2,
            2 => y1 - y1 % 100 + y2,
            _ => return None,
        };
        // "1998-12-03" is a date, "2009-2010-11" no range.
        let glued = self
            .tok(k + 1)
            .is_some_and(|t| !t.space_before && (t.kind != Kind::Punct || t.ch == '-'));
        if y2 <= y1 || y2 > 2999 || glued || self.number(k + 1).is_some() {
            return None;
        }
        let year = |y: u64| {
            Partial::calendar(
                CalendarDate {
                    year: Some(y as i32),
                    ..CalendarDate::default()
                },
                Placement::This,
            )
        };
        Some(Match {
            start: i,
            end: k + 1,
            partial: year(y1),
            range: Some(Box::new(RangeEnd {
                first_end: i + 1,
                second_start: k,
                partial: year(y2),
                join: Join::Through,
            })),
        })
    }

    /// A second end that only says what differs from the first: "5" in
    /// "Aug 3 to 5", "11" in "9:30 to 11", "65" in "from 1861 to 65".
    fn bare_like(&self, k: usize, first: &Partial, s1: Shape) -> Parsed {
        let (v, digits) = self.number(k)?;
        let mut p = first.clone();
        let mut end = k + 1;
        match s1 {
            Shape::Clock => {
                let (h1, m1) = hour_minute(first)?;
                if digits > 2 || v > 24 {
                    return None;
                }
                let mut minute = 0;
                // "14:30-16:00", "14.30-16.00": minutes after a colon, or
                // after a period in the shape of a clock time.
                if (self.punct(end, ':') || self.dotted_time(k)) && self.attached(end) {
                    let (m, 2) = self.number(end + 1)? else {
                        return None;
                    };
                    minute = u8::try_from(m).ok().filter(|m| *m < 60)?;
                    end += 2;
                }
                let mut h2 = v as u8;
                // "2pm-3:30", "11:30 to 1": the later hour of the two.
                if h2 < 12 && (h2, minute) <= (h1, m1) {
                    h2 += 12;
                }
                if (h2, minute) <= (h1, m1) || h2 > 23 {
                    return None;
                }
                if let Some(Clock::At {
                    hour, minute: m, ..
                }) = &mut p.clock
                {
                    *hour = h2;
                    *m = minute;
                }
            }
            Shape::Day => {
                let What::Calendar(d, _) = &mut p.what else {
                    return None;
                };
                let d1 = d.day?;
                let (d2, after) = self.range_day(k)?;
                if d2 <= d1 || d.month.is_some_and(|m| !valid_day(d.year, m, d2)) {
                    return None;
                }
                d.day = Some(d2);
                d.weekday = None;
                end = after;
                // "Aug 3 to 5, 2026": the year closes both ends.
                let y = self.skip_comma(end);
                if d.year.is_none() {
                    if let Some(year) = self.year_number(y) {
                        d.year = Some(year);
                        end = y + 1;
                    }
                }
            }
            Shape::Year => {
                let What::Calendar(d, _) = &mut p.what else {
                    return None;
                };
                let y1 = u64::try_from(d.year?).ok()?;
                let y2 = match digits {
                    2 => y1 - y1 % 100 + v,
                    _ => return None,
                };
                if y2 <= y1 {
                    return None;
                }
                d.year = Some(y2 as i32);
            }
            _ => return None,
        }
        self.bare_end(end).then_some((end, p))
    }

    /// Whether a bare number ending a range before `end` stands alone:
    /// not "Aug 3 to 5 people" (a count), "May 5 - 7 p.m." (a time) or
    /// glued to more.
    pub(super) fn bare_end(&self, end: usize) -> bool {
        let counted = self.tok(end).is_some_and(|t| {
            t.kind == Kind::Word
                && t.entry
                    .is_none_or(|e| e.unit.is_some() || e.has(Role::AmountNoun))
        });
        let glued = self
            .tok(end)
            .is_some_and(|t| !t.space_before && t.kind != Kind::Punct);
        !counted && !glued && !self.meridiem_in(end, end + 1)
    }

    /// Whether tokens `k..end` say "am", "pm" or "o'clock".
    fn meridiem_in(&self, k: usize, end: usize) -> bool {
        (k..end)
            .any(|j| self.role(j, Role::Am) || self.role(j, Role::Pm) || self.role(j, Role::OClock))
    }

    /// The two parts made one match, each taking from the other what it
    /// left unsaid: the day of a clock time, the month and year of a day,
    /// "pm" for an hour.
    #[allow(clippy::too_many_arguments)]
    fn joined(
        &self,
        i: usize,
        first_end: usize,
        mut first: Partial,
        second_start: usize,
        end: usize,
        mut second: Partial,
        join: Join,
    ) -> Option<Match> {
        let mut end = end;
        // "9:30–11 on Friday", "at 3pm for two hours tomorrow": a day after
        // the range is the day of its clock times.
        let clocks = hour_minute(&first).is_some() && dayless(&first);
        if clocks && (join == Join::For || dayless(&second)) {
            let k = if self.role(end, Role::DatePreposition) {
                end + 1
            } else {
                self.skip_comma(end)
            };
            if let Some((after, day)) = self.day_expression(k).filter(|(_, d)| d.clock.is_none()) {
                if join == Join::Through {
                    second.what = day.what.clone();
                }
                first.what = day.what;
                end = after;
            }
        }
        if join == Join::Through {
            if let (Some((h1, m1)), Some((h2, m2))) = (hour_minute(&first), hour_minute(&second)) {
                if dayless(&first) && !dayless(&second) {
                    first.what = second.what.clone();
                } else if dayless(&second) && !dayless(&first) {
                    second.what = first.what.clone();
                }
                // "9 to 11pm": an hour without "pm" before one with it.
                let stated = self.meridiem_in(i, first_end);
                if !stated
                    && self.meridiem_in(second_start, end)
                    && h1 < 12
                    && (h1 + 12, m1) < (h2, m2)
                {
                    set_hour(&mut first, h1 + 12);
                }
                if let (Some(Clock::At { zone: z1, .. }), Some(Clock::At { zone: z2, .. })) =
                    (&mut first.clock, &mut second.clock)
                {
                    if z1.is_none() {
                        *z1 = *z2;
                    }
                }
            }
            if let (What::Calendar(d1, p1), What::Calendar(d2, _)) = (&mut first.what, &second.what)
            {
                // "from the 3rd until the 7th of June", "May 30 to June 2, 2027".
                if d1.day.is_some() && d1.month.is_none() && d2.month.is_some() {
                    d1.month = d2.month;
                }
                if d1.year.is_none() && d1.month.is_some() {
                    if let (Some(y2), Some(m2)) = (d2.year, d2.month) {
                        let crosses = d1.month > Some(m2);
                        d1.year = Some(if crosses { y2.checked_sub(1)? } else { y2 });
                        *p1 = Placement::This;
                    }
                }
            }
        }
        Some(Match {
            start: i,
            end,
            partial: first,
            range: Some(Box::new(RangeEnd {
                first_end,
                second_start,
                partial: second,
                join,
            })),
        })
    }
}

/// Whether a second end of shape `s2` closes a range opened by `s1`.
fn fits(s1: Shape, s2: Option<Shape>) -> bool {
    match (s1, s2) {
        (Shape::Length(a), Some(Shape::Length(b))) => a == b,
        (a, Some(b)) => a == b,
        _ => false,
    }
}
