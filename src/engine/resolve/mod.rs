//! Resolution: turns a [`Partial`] into a TIMEX3 value and an interval.
//!
//! Open fields are filled from the reference date (DCT), from the tense of
//! the clause, or, for anaphora ("the following day"), from the date the text
//! mentioned last. The resolver keeps that last date as it walks a document
//! in order.

use std::collections::VecDeque;
use std::fmt::Write as _;

use chrono::{Datelike, Days, Duration, Months, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use compact_str::CompactString;

use crate::engine::partial::{
    Anchor, CalendarDate, Clock, Mod, Partial, Placement, RefKind, SetSpec, TimexType, Unit, What,
    YearPart, Zone,
};
use crate::engine::tense::Tense;

mod compound;
mod pick;
mod value;

use pick::*;
pub use value::decimal;
use value::*;
pub use value::{duration_value, point_value, set_rule, set_value};

/// The precision of a resolved point in time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Granularity {
    Minute,
    PartOfDay(crate::engine::partial::PartOfDay),
    Day,
    Weekend,
    Week,
    Month,
    Season(crate::engine::partial::Season),
    Quarter,
    Half,
    Year,
    Decade,
    Century,
}

/// A resolved point: a period of the calendar at some granularity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Point {
    pub granularity: Granularity,
    /// The first instant of the period.
    pub start: NaiveDateTime,
}

/// The result of resolving one expression.
#[derive(Clone, Debug, PartialEq)]
pub struct Resolved {
    pub kind: TimexType,
    pub value: CompactString,
    pub modifier: Option<Mod>,
    /// Start (inclusive) and end (exclusive) of the time it denotes, where it
    /// denotes one.
    pub interval: Option<(NaiveDateTime, NaiveDateTime)>,
    /// Offset from UTC in minutes, when the text named a zone.
    pub zone: Option<i16>,
    /// The tz database name of a named zone ("America/New_York").
    pub tzid: Option<&'static str>,
    /// A recurrence's RFC 5545 rule, where one says it.
    pub rule: Option<String>,
    /// For a length that points at a date ("in five years"), that date's
    /// value and interval.
    pub anchored: Option<(CompactString, (NaiveDateTime, NaiveDateTime))>,
}

/// Walks one document's expressions in order.
pub struct Resolver {
    dct: NaiveDateTime,
    /// The dates mentioned so far, latest last (only the last `MEMORY` are
    /// kept: a ring, so forgetting the oldest moves nothing).
    mentioned: VecDeque<Point>,
    /// In the rows of a schedule: the date the rows have reached, from which
    /// a date without a year reads forward (`None` outside schedules).
    schedule: Option<NaiveDateTime>,
    /// The schedule's date, kept while prose interrupts the rows.
    schedule_reached: Option<NaiveDateTime>,
    /// A narrative (history, biography): a date without its year is read
    /// in the year the story has reached, not the reference's.
    narrative: bool,
    /// The expression being resolved is an aside of its clause ("since
    /// 1809", "the fire of 1638"): a story does not move to its date.
    aside: bool,
}

/// How many mentioned dates anaphora may look back over.
const MEMORY: usize = 8;

impl Resolver {
    pub fn new(dct: NaiveDateTime) -> Resolver {
        Resolver {
            dct,
            mentioned: VecDeque::with_capacity(MEMORY),
            schedule: None,
            schedule_reached: None,
            narrative: false,
            aside: false,
        }
    }

    /// Reads the document as a narrative: "In 1862 … In March" is March
    /// 1862, "on Monday" the Monday after the day the story reached.
    pub fn set_narrative(&mut self, narrative: bool) {
        self.narrative = narrative;
    }

    /// Marks the next expression as an aside of its clause, whose date a
    /// story does not move to: "had lived there since 1809", "the great
    /// fire of 1638".
    pub fn set_aside(&mut self, aside: bool) {
        self.aside = aside;
    }

    /// Enters or leaves the rows of a schedule (list items, table rows,
    /// "date: label" lines). In a schedule, a date without a year and
    /// without a tense cue takes the year that keeps the rows in order,
    /// starting from the reference date: schedules read forwards.
    pub fn set_schedule(&mut self, rows: bool) {
        if rows {
            let reached = self
                .schedule_reached
                .unwrap_or_else(|| self.dct.date().and_time(NaiveTime::MIN));
            self.schedule = Some(reached);
        } else if let Some(at) = self.schedule.take() {
            self.schedule_reached = Some(at);
        }
    }

    /// The latest mentioned date precise enough to anchor `unit`.
    fn anchor_for(&self, unit: Unit) -> Option<Point> {
        self.mentioned
            .iter()
            .rev()
            .find(|p| fine_enough(p.granularity, unit))
            .copied()
    }

    /// Resolves one expression. `tense` is the tense of its clause, if known.
    pub fn resolve(&mut self, p: &Partial, tense: Option<Tense>) -> Option<Resolved> {
        let kind = p.timex_type();
        let mut zone = None;
        let mut tzid = None;
        let (value, interval) = match &p.what {
            What::Duration(parts) => (
                duration_value(parts),
                p.reach
                    .and_then(|r| compound::reach_interval(self.dct, parts, r)),
            ),
            What::Set(spec) => (set_value(spec), None),
            What::Ref(r) => (CompactString::const_new(r.code()), None),
            // Only a story has a time it reached; elsewhere "at that time"
            // is left untagged, as TimeML annotators leave it.
            What::Then => {
                let reached = self.mentioned.back().filter(|_| self.narrative)?;
                (
                    point_value(reached),
                    Some((reached.start, point_end(reached)?)),
                )
            }
            What::VagueOffset { unit, past } => {
                let dct = self.point(Granularity::Day, self.dct)?;
                let v = match (unit, past) {
                    (Unit::Decade | Unit::Century | Unit::Year, true) => {
                        // "a few years ago": the decade is the best one can say.
                        let mut s = ValueText::new();
                        push_year(&mut s, dct.start.year() / 10);
                        s.push('X');
                        s.finish()
                    }
                    (_, true) => CompactString::const_new(RefKind::Past.code()),
                    (_, false) => CompactString::const_new(RefKind::Future.code()),
                };
                (v, None)
            }
            _ => {
                let mut point = self.point_of(p, tense)?;
                if let Some(shift) = p.shift {
                    point = compound::shifted(point, shift)?;
                }
                let point = match p.clock {
                    Some(clock) => {
                        let (pt, z) = with_clock(point, clock, self.dct)?;
                        match z {
                            Some(Zone::Fixed(minutes)) => zone = Some(minutes),
                            // A named zone's offset is the one it has that day.
                            Some(Zone::Named(tz)) => {
                                zone = super::zone::offset_of(tz, pt.start);
                                tzid = Some(tz.name());
                            }
                            None => {}
                        }
                        pt
                    }
                    None => point,
                };
                if let (Some(_), What::Calendar(..)) = (self.schedule, &p.what) {
                    if matches!(point.granularity, Granularity::Day | Granularity::Minute) {
                        self.schedule = Some(point.start.date().and_time(NaiveTime::MIN));
                    }
                }
                // A length that reaches a date ("in five years") is no date
                // the text told: "a year earlier" after it counts from another.
                // Nor, in a report, is the period compared with ("up from $3
                // a year earlier"): the next "a year earlier" counts from the
                // period reported again.
                let compared = !self.narrative
                    && matches!(
                        p.what,
                        What::Relative {
                            unit: Unit::Year,
                            offset: -1,
                            anchor: Anchor::Narrative | Anchor::Compared,
                        }
                    );
                let told = matches!(p.what, What::Calendar(..) | What::Relative { .. })
                    && !p.measured
                    && !compared;
                if told && !(self.narrative && self.aside) {
                    if self.mentioned.len() == MEMORY {
                        self.mentioned.pop_front();
                    }
                    self.mentioned.push_back(point);
                }
                let end = match (&p.what, point.granularity) {
                    (What::Calendar(d, _), Granularity::Day) if d.through.is_some() => {
                        range_end(point.start, d.through?)?
                    }
                    _ => point_end(&point)?,
                };
                let value = match p.clock {
                    // "midnight Friday": the end of the day it names.
                    Some(Clock::At { hour: 24, .. }) => midnight_value(&point),
                    _ => None,
                };
                let value = value.unwrap_or_else(|| point_value(&point));
                (value, Some((point.start, end)))
            }
        };
        let rule = match &p.what {
            What::Set(spec) => set_rule(spec),
            _ => None,
        };
        // TIMEX3 writes years with four digits: a time that falls outside
        // them ("next week" written on 9999-12-31) is only "the future".
        let (value, interval) = match interval {
            // A year before our era keeps its value ("BC0490"), without
            // an interval: intervals are written with four-digit years.
            Some((start, _)) if start < first_day() && value.starts_with("BC") => (value, None),
            Some((start, end)) if start < first_day() || end > after_last_day() => {
                let past = start < first_day();
                let code = if past { RefKind::Past } else { RefKind::Future };
                (CompactString::const_new(code.code()), None)
            }
            _ => (value, interval),
        };
        // "in five years": TimeML tags the length; the date it reaches is
        // kept beside it.
        let (kind, value, interval, anchored) = match (&p.what, p.measured) {
            (What::Relative { unit, offset, .. }, true) => {
                let length = duration_value(&[(Some(offset.unsigned_abs() as f64), *unit)]);
                let anchored = interval.map(|iv| (value, iv));
                (TimexType::Duration, length, None, anchored)
            }
            _ => (kind, value, interval, None),
        };
        Some(Resolved {
            kind,
            value,
            modifier: p.modifier,
            interval,
            zone,
            tzid,
            rule,
            anchored,
        })
    }

    fn point(&self, g: Granularity, at: NaiveDateTime) -> Option<Point> {
        Some(Point {
            granularity: g,
            start: truncate(at, g)?,
        })
    }

    fn point_of(&self, p: &Partial, tense: Option<Tense>) -> Option<Point> {
        match &p.what {
            What::Calendar(d, placement) => self
                .calendar(d, *placement, tense)
                .and_then(|p| compound::skip_weeks(p, d.skip_weeks)),
            What::Decade(d) => Some(Point {
                granularity: Granularity::Decade,
                start: ymd(d.checked_mul(10)?, 1, 1)?,
            }),
            What::Century(c) => Some(Point {
                granularity: Granularity::Century,
                start: ymd(c.checked_mul(100)?, 1, 1)?,
            }),
            What::Relative {
                unit,
                offset,
                anchor,
            } => self.relative(*unit, *offset, *anchor),
            _ => None,
        }
    }

    /// A period `offset` units from the anchor.
    fn relative(&self, unit: Unit, offset: i64, anchor: Anchor) -> Option<Point> {
        let reference = Point {
            granularity: Granularity::Minute,
            start: self.dct,
        };
        let base = match anchor {
            Anchor::Reference => reference,
            // A date can only anchor units at least as coarse as its own
            // precision: "the next day" skips back over "in 1998".
            Anchor::Narrative | Anchor::Compared => self.anchor_for(unit).unwrap_or(reference),
        };
        if anchor == Anchor::Compared
            && !self.narrative
            && base.granularity != Granularity::Minute
            && base.start.year().checked_add(1) == Some(self.dct.year())
        {
            return Some(base);
        }
        if unit.is_clock() {
            let step = match unit {
                Unit::Hour => Duration::try_hours(offset)?,
                Unit::Minute => Duration::try_minutes(offset)?,
                _ => Duration::try_seconds(offset)?,
            };
            return Some(Point {
                granularity: Granularity::Minute,
                start: base.start.checked_add_signed(step)?,
            });
        }
        // A year before a quarter is that quarter a year before: "a year
        // earlier" after "the third quarter" and, in a report that just
        // named a quarter of this year, "a year ago" or "last year" too.
        let last_quarter = self
            .mentioned
            .back()
            .filter(|p| matches!(p.granularity, Granularity::Quarter | Granularity::Half));
        let keep = unit == Unit::Year
            && offset == -1
            && match anchor {
                Anchor::Narrative | Anchor::Compared => matches!(
                    base.granularity,
                    Granularity::Quarter | Granularity::Half | Granularity::Season(_)
                ),
                Anchor::Reference => {
                    last_quarter.is_some_and(|q| q.start.year() == self.dct.year())
                }
            };
        let (base, g) = match (keep, anchor) {
            (true, Anchor::Reference) => {
                let q = last_quarter.copied().unwrap_or(base);
                (q, q.granularity)
            }
            _ => (base, base.granularity),
        };
        let g = if keep { g } else { granularity_of(unit)? };
        let start = truncate(shift(base.start, unit, offset)?, g)?;
        Some(Point {
            granularity: g,
            start,
        })
    }

    fn calendar(
        &self,
        d: &CalendarDate,
        placement: Placement,
        tense: Option<Tense>,
    ) -> Option<Point> {
        if let Some(year) = d.year {
            return fixed(d, year);
        }
        if let Some(offset) = d.year_offset {
            return fixed(d, self.dct.year().checked_add(offset)?);
        }
        if let Some((unit, n)) = d.within {
            return compound::within(self.dct, d, unit, n);
        }
        // A narrative reads from the date its story has reached; a weekday
        // needs that date to name its day.
        let story = self
            .anchor_for(Unit::Year)
            .filter(|_| self.narrative || matches!(placement, Placement::Anaphoric(_)))
            .filter(|a| {
                d.month.is_some()
                    || d.part.is_some()
                    || d.holiday.is_some()
                    || matches!(a.granularity, Granularity::Day | Granularity::Minute)
            });
        let dct_day = match (story, placement) {
            // "the following spring" after 1862 is 1863's: what follows
            // the whole anchor period.
            (Some(a), Placement::Anaphoric(1)) => point_end(&a)?.date().pred_opt()?,
            (Some(a), _) => a.start.date(),
            (None, _) => self.dct.date(),
        };
        // Candidates around the reference, earliest first: at most one per
        // year, month or week from two before to two after, kept on the stack.
        let mut candidates = Candidates::default();
        let default_rule;
        if d.month.is_some() || d.part.is_some() || d.holiday.is_some() {
            // A holiday's day moves with the year: each candidate year
            // computes its own.
            for y in dct_day.year().saturating_sub(2)..=dct_day.year().saturating_add(2) {
                if let Some(p) = fixed(d, y) {
                    candidates.push(p);
                }
            }
            // "Thu, October 8": the weekday settles the year; of the years
            // it allows, the nearest.
            if let (Some(w), Some(_), Some(_)) = (d.weekday, d.month, d.day) {
                if candidates.keep(|p| p.start.weekday().number_from_monday() == u32::from(w)) {
                    let reference = dct_day.and_time(NaiveTime::MIN);
                    return pick(candidates.as_slice(), Rule::Nearest, reference, false);
                }
            }
            // A day, or a month, with nothing to say which: the nearest
            // ("December's figures" in February are last December's, "in
            // January" in November the coming one).
            default_rule = if d.names_day() || d.month.is_some() {
                Rule::Nearest
            } else {
                Rule::SameYear
            };
        } else if d.day.is_some() {
            // "the 14th": a day of a nearby month.
            let first = dct_day.with_day(1)?;
            for m in -2i32..=2 {
                let month = shift_months(first, m)?;
                if let Some(day) = month.with_day(u32::from(d.day?)) {
                    candidates.push(Point {
                        granularity: Granularity::Day,
                        start: day.and_time(NaiveTime::MIN),
                    });
                }
            }
            default_rule = Rule::Nearest;
        } else if d.weekday.is_some() || d.weekend {
            let monday = monday_of(dct_day)?;
            for w in -2i64..=2 {
                let week = add_days(monday, w.checked_mul(7)?)?;
                let p = if d.weekend {
                    Point {
                        granularity: Granularity::Weekend,
                        start: add_days(week, 5)?.and_time(NaiveTime::MIN),
                    }
                } else {
                    Point {
                        granularity: Granularity::Day,
                        start: add_days(week, i64::from(d.weekday?.checked_sub(1)?))?
                            .and_time(NaiveTime::MIN),
                    }
                };
                candidates.push(p);
            }
            default_rule = Rule::PastInclusive;
        } else {
            return None;
        }
        let rule = match placement {
            Placement::Last | Placement::Anaphoric(i8::MIN..=-1) => Rule::Last,
            Placement::Next | Placement::Anaphoric(1..) => Rule::Next,
            Placement::This | Placement::Anaphoric(0) => Rule::SameYear,
            // A story moves on: after a year, a month is of that year;
            // after a month or a day, the next one of that name.
            Placement::Tense if story.is_some_and(|a| a.granularity != Granularity::Year) => {
                Rule::FutureInclusive
            }
            Placement::Tense if story.is_some() => Rule::SameYear,
            Placement::Tense => match tense {
                Some(Tense::Past) => Rule::PastInclusive,
                Some(Tense::Future) => Rule::FutureInclusive,
                None => default_rule,
            },
        };
        let reference = dct_day.and_time(NaiveTime::MIN);
        // "Monday" is placed by its week; "the first Monday of March" by its month.
        let same_week = (d.weekday.is_some() || d.weekend) && d.month.is_none();
        let candidates = candidates.as_slice();
        // Rows carry no reliable tense ("closed book", "sent out"): the
        // order of the schedule decides.
        if let (Some(reached), Placement::Tense) = (self.schedule, placement) {
            if d.month.is_some() || d.holiday.is_some() {
                return pick(candidates, Rule::FutureInclusive, reached, false);
            }
        }
        let chosen = pick(candidates, rule, reference, same_week)?;
        // A day a few weeks off beats one most of a year away, whatever the
        // tense says: "by Jan. 14", written on Jan. 15, is the one just past.
        if d.names_day() && matches!(rule, Rule::PastInclusive | Rule::FutureInclusive) {
            let nearest = pick(candidates, Rule::Nearest, reference, same_week)?;
            let days_off = |p: Point| p.start.signed_duration_since(reference).num_days();
            let far = days_off(chosen).unsigned_abs() > 180;
            let near = days_off(nearest).unsigned_abs() <= 14;
            if far && near {
                return Some(nearest);
            }
        }
        Some(chosen)
    }
}

/// A calendar date whose year is known.
/// The exclusive end of a day range starting at `start` whose last day is
/// (month, day): in the start's year, or the next when it would come first
/// ("Dec 30 – Jan 2").
fn range_end(start: NaiveDateTime, (month, day): (u8, u8)) -> Option<NaiveDateTime> {
    let mut last = ymd(start.year(), u32::from(month), u32::from(day))?;
    if last < start {
        last = ymd(
            start.year().checked_add(1)?,
            u32::from(month),
            u32::from(day),
        )?;
    }
    last.checked_add_signed(Duration::days(1))
}

fn fixed(d: &CalendarDate, year: i32) -> Option<Point> {
    if d.nth.is_some() {
        return compound::nth_of_month(d, year);
    }
    if let Some(h) = d.holiday {
        return Some(Point {
            granularity: Granularity::Day,
            start: h.date_in(year)?.and_time(NaiveTime::MIN),
        });
    }
    let (g, start) = match (d.month, d.day, d.part) {
        (Some(m), Some(day), _) => (Granularity::Day, ymd(year, u32::from(m), u32::from(day))?),
        (Some(m), None, _) => (Granularity::Month, ymd(year, u32::from(m), 1)?),
        (None, _, Some(YearPart::Quarter(q))) => {
            (Granularity::Quarter, ymd(year, first_month(q, 3)?, 1)?)
        }
        (None, _, Some(YearPart::Half(h))) => {
            (Granularity::Half, ymd(year, first_month(h, 6)?, 1)?)
        }
        (None, _, Some(YearPart::Season(s))) => {
            let g = Granularity::Season(s);
            (g, season_start(year, s)?)
        }
        (None, _, None) => (Granularity::Year, ymd(year, 1, 1)?),
    };
    Some(Point {
        granularity: g,
        start,
    })
}

fn season_start(year: i32, s: crate::engine::partial::Season) -> Option<NaiveDateTime> {
    use crate::engine::partial::Season::*;
    match s {
        Spring => ymd(year, 3, 1),
        Summer => ymd(year, 6, 1),
        Fall => ymd(year, 9, 1),
        // Winter of a year starts in its December.
        Winter => ymd(year, 12, 1),
    }
}

/// 0001-01-01, the first day TIMEX3 can write.
fn first_day() -> NaiveDateTime {
    // Built once, at compile time: every resolved date is compared with it.
    const FIRST: NaiveDateTime = match NaiveDate::from_ymd_opt(1, 1, 1) {
        Some(d) => d.and_time(NaiveTime::MIN),
        None => NaiveDateTime::MIN,
    };
    FIRST
}

/// 10000-01-01, the day after the last one TIMEX3 can write.
fn after_last_day() -> NaiveDateTime {
    const AFTER_LAST: NaiveDateTime = match NaiveDate::from_ymd_opt(10000, 1, 1) {
        Some(d) => d.and_time(NaiveTime::MIN),
        None => NaiveDateTime::MAX,
    };
    AFTER_LAST
}

/// `d` moved by `n` days, where the calendar reaches.
fn add_days(d: NaiveDate, n: i64) -> Option<NaiveDate> {
    d.checked_add_signed(Duration::try_days(n)?)
}

/// The Monday of `d`'s week.
fn monday_of(d: NaiveDate) -> Option<NaiveDate> {
    d.checked_sub_signed(Duration::days(i64::from(
        d.weekday().num_days_from_monday(),
    )))
}

/// The first month of quarter or half `n` (1-based) of `months` months.
fn first_month(n: u8, months: u32) -> Option<u32> {
    u32::from(n)
        .checked_sub(1)?
        .checked_mul(months)?
        .checked_add(1)
}

fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDateTime> {
    NaiveDate::from_ymd_opt(y, m, d).map(|d| d.and_time(NaiveTime::MIN))
}

fn granularity_of(unit: Unit) -> Option<Granularity> {
    Some(match unit {
        Unit::Second | Unit::Minute | Unit::Hour => Granularity::Minute,
        Unit::Day => Granularity::Day,
        Unit::Weekend => Granularity::Weekend,
        Unit::Week | Unit::Fortnight => Granularity::Week,
        Unit::Month => Granularity::Month,
        Unit::Quarter => Granularity::Quarter,
        Unit::Half => Granularity::Half,
        Unit::Season => return None,
        Unit::Year => Granularity::Year,
        Unit::Decade => Granularity::Decade,
        Unit::Century | Unit::Millennium => Granularity::Century,
    })
}

/// Whether a point of granularity `g` is precise enough to anchor `unit`.
fn fine_enough(g: Granularity, unit: Unit) -> bool {
    let rank = |g: Granularity| match g {
        Granularity::Minute | Granularity::PartOfDay(_) => 0,
        Granularity::Day => 1,
        Granularity::Weekend | Granularity::Week => 2,
        Granularity::Month => 3,
        Granularity::Season(_) | Granularity::Quarter => 4,
        Granularity::Half => 5,
        Granularity::Year => 6,
        Granularity::Decade => 7,
        Granularity::Century => 8,
    };
    match granularity_of(unit) {
        Some(u) => rank(g) <= rank(u),
        None => false,
    }
}

fn shift_months(d: NaiveDate, months: i32) -> Option<NaiveDate> {
    if months >= 0 {
        d.checked_add_months(Months::new(months as u32))
    } else {
        d.checked_sub_months(Months::new(months.unsigned_abs()))
    }
}

/// Moves a date-time by `n` units.
fn shift(t: NaiveDateTime, unit: Unit, n: i64) -> Option<NaiveDateTime> {
    let months = |k: i64| -> Option<NaiveDateTime> {
        let total = n.checked_mul(k)?;
        let total = i32::try_from(total).ok()?;
        let d = shift_months(t.date(), total)?;
        Some(d.and_time(t.time()))
    };
    match unit {
        Unit::Second | Unit::Minute | Unit::Hour | Unit::Day => {
            let days = if unit == Unit::Day { n } else { 0 };
            t.checked_add_signed(Duration::try_days(days)?)
        }
        Unit::Week | Unit::Weekend => t.checked_add_signed(Duration::try_days(n.checked_mul(7)?)?),
        Unit::Fortnight => t.checked_add_signed(Duration::try_days(n.checked_mul(14)?)?),
        Unit::Month => months(1),
        Unit::Quarter => months(3),
        Unit::Half | Unit::Season => months(6),
        Unit::Year => months(12),
        Unit::Decade => months(120),
        Unit::Century => months(1200),
        Unit::Millennium => months(12000),
    }
}

/// The start of the period of granularity `g` that holds `t`.
fn truncate(t: NaiveDateTime, g: Granularity) -> Option<NaiveDateTime> {
    let d = t.date();
    let day = |d: NaiveDate| Some(d.and_time(NaiveTime::MIN));
    match g {
        Granularity::Minute => Some(t),
        Granularity::PartOfDay(_) | Granularity::Day => day(d),
        Granularity::Week => day(monday_of(d)?),
        Granularity::Weekend => day(add_days(monday_of(d)?, 5)?),
        Granularity::Month => ymd(d.year(), d.month(), 1),
        Granularity::Season(s) => season_start(d.year(), s),
        Granularity::Quarter => ymd(
            d.year(),
            d.month0().checked_sub(d.month0() % 3)?.checked_add(1)?,
            1,
        ),
        Granularity::Half => ymd(
            d.year(),
            d.month0().checked_sub(d.month0() % 6)?.checked_add(1)?,
            1,
        ),
        Granularity::Year => ymd(d.year(), 1, 1),
        Granularity::Decade => ymd(d.year().checked_sub(d.year().rem_euclid(10))?, 1, 1),
        Granularity::Century => ymd(d.year().checked_sub(d.year().rem_euclid(100))?, 1, 1),
    }
}

/// The exclusive end of a point's period.
pub fn point_end(p: &Point) -> Option<NaiveDateTime> {
    let t = p.start;
    match p.granularity {
        Granularity::Minute => t.checked_add_signed(Duration::minutes(1)),
        Granularity::PartOfDay(part) => {
            let (from, to) = part.hours();
            t.checked_add_signed(Duration::hours(i64::from(to.checked_sub(from)?)))
        }
        // Whole days by the calendar alone: a signed duration also carries
        // the clock through, at twice the cost, for every date resolved.
        Granularity::Day => t.checked_add_days(Days::new(1)),
        Granularity::Weekend => t.checked_add_days(Days::new(2)),
        Granularity::Week => t.checked_add_days(Days::new(7)),
        Granularity::Month => shift(t, Unit::Month, 1),
        Granularity::Season(_) | Granularity::Quarter => shift(t, Unit::Quarter, 1),
        Granularity::Half => shift(t, Unit::Month, 6),
        Granularity::Year => shift(t, Unit::Year, 1),
        Granularity::Decade => shift(t, Unit::Decade, 1),
        Granularity::Century => shift(t, Unit::Century, 1),
    }
}

/// Puts a clock time on a day.
fn with_clock(p: Point, clock: Clock, dct: NaiveDateTime) -> Option<(Point, Option<Zone>)> {
    // A time needs a day: a coarser anchor falls back to the reference day.
    let day = match p.granularity {
        Granularity::Day | Granularity::Minute | Granularity::PartOfDay(_) => p.start.date(),
        _ => dct.date(),
    };
    match clock {
        Clock::At { hour, minute, zone } => {
            if p.granularity == Granularity::Minute && hour == 0 && minute == 0 && zone.is_none() {
                // Offsets in hours ("three hours ago") carry their own clock.
                return Some((p, None));
            }
            let time = NaiveTime::from_hms_opt(u32::from(hour % 24), u32::from(minute), 0)?;
            let mut start = day.and_time(time);
            if hour == 24 {
                start = start.checked_add_signed(Duration::days(1))?;
            }
            Some((
                Point {
                    granularity: Granularity::Minute,
                    start,
                },
                zone,
            ))
        }
        Clock::Part(part) => {
            let (from, _) = part.hours();
            let start = day.and_time(NaiveTime::from_hms_opt(from, 0, 0)?);
            Some((
                Point {
                    granularity: Granularity::PartOfDay(part),
                    start,
                },
                None,
            ))
        }
    }
}

#[cfg(test)]
mod tests;
