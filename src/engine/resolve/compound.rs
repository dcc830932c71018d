//! Dates built on other dates: a weekday or day inside a named week or
//! month ("Thursday of next week", "the 12th of next month"), the nth
//! weekday of a month ("the first Monday of March"), a weekday some weeks
//! past the next one ("the Friday after next"), a point moved by a length
//! ("the day after Christmas") and counted spans from the reference ("the
//! next three weeks").

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime};

use super::{add_days, monday_of, shift, shift_months, truncate, ymd, Granularity, Point};
use crate::engine::holiday::nth_weekday;
use crate::engine::partial::{Amount, CalendarDate, Reach, Shift, Unit};

/// The date `d` inside the week or month `n` units from the reference's.
pub(super) fn within(dct: NaiveDateTime, d: &CalendarDate, unit: Unit, n: i32) -> Option<Point> {
    let day = dct.date();
    match unit {
        Unit::Week => {
            let monday = add_days(monday_of(day)?, i64::from(n).checked_mul(7)?)?;
            let (offset, granularity) = match (d.weekday, d.weekend) {
                (_, true) => (5, Granularity::Weekend),
                (Some(w), false) => (i64::from(w.checked_sub(1)?), Granularity::Day),
                (None, false) => return None,
            };
            Some(Point {
                granularity,
                start: add_days(monday, offset)?.and_time(NaiveTime::MIN),
            })
        }
        Unit::Month => {
            let first = shift_months(day.with_day(1)?, n)?;
            let month = CalendarDate {
                month: Some(u8::try_from(first.month()).ok()?),
                within: None,
                ..*d
            };
            super::fixed(&month, first.year())
        }
        Unit::Year => super::fixed(d, day.year().checked_add(n)?),
        _ => None,
    }
}

/// The nth weekday, or the nth day, of `d`'s month in `year`; -1 the last.
pub(super) fn nth_of_month(d: &CalendarDate, year: i32) -> Option<Point> {
    let nth = d.nth?;
    // "the last day of the year" is in its last month.
    let month = d.month.unwrap_or(if nth < 0 { 12 } else { 1 });
    let date = match d.weekday {
        Some(w) => nth_weekday(year, month, w, nth)?,
        None if nth > 0 => ymd(year, u32::from(month), u32::try_from(nth).ok()?)?.date(),
        None if nth == -1 => {
            let first = ymd(year, u32::from(month), 1)?.date();
            shift_months(first, 1)?.pred_opt()?
        }
        None => return None,
    };
    Some(Point {
        granularity: Granularity::Day,
        start: date.and_time(NaiveTime::MIN),
    })
}

/// `p` moved on by whole weeks: "the Friday after next" is the next
/// Friday and one week.
pub(super) fn skip_weeks(p: Point, weeks: u8) -> Option<Point> {
    if weeks == 0 {
        return Some(p);
    }
    Some(Point {
        start: p
            .start
            .checked_add_signed(Duration::try_days(i64::from(weeks).checked_mul(7)?)?)?,
        ..p
    })
}

/// `p` moved as `shift` says, keeping its precision: "two days after
/// Christmas" is still a day.
pub(super) fn shifted(p: Point, shift: Shift) -> Option<Point> {
    let day = p.start.date();
    let (start, granularity) = match shift {
        Shift::By(unit, n) => (
            truncate(advance(p.start, unit, f64::from(n))?, p.granularity)?,
            p.granularity,
        ),
        Shift::WeekOf => (truncate(p.start, Granularity::Week)?, Granularity::Week),
        Shift::Workdays(n) => (
            workdays_on(day, n)?.and_time(NaiveTime::MIN),
            Granularity::Day,
        ),
        Shift::ToWeekday { weekday, after } => (
            nearest_weekday(day, weekday, after)?.and_time(NaiveTime::MIN),
            Granularity::Day,
        ),
        Shift::ToWeekend { after } => {
            // The Saturday after, or the one a weekend before: a date on a
            // weekend is not before or after its own.
            let saturday = nearest_weekday(day, 6, after)?;
            let saturday = if !after && day.weekday().number_from_monday() == 7 {
                add_days(saturday, -7)?
            } else {
                saturday
            };
            (saturday.and_time(NaiveTime::MIN), Granularity::Weekend)
        }
    };
    Some(Point { granularity, start })
}

/// The day `n` workdays (Monday to Friday) after `day`, or before it for
/// negative `n`.
fn workdays_on(day: NaiveDate, n: i32) -> Option<NaiveDate> {
    let step = if n < 0 { -1 } else { 1 };
    let mut left = n.unsigned_abs();
    let mut at = day;
    while left > 0 {
        at = add_days(at, step)?;
        if at.weekday().number_from_monday() <= 5 {
            left = left.checked_sub(1)?;
        }
    }
    Some(at)
}

/// The first `weekday` strictly after (or before) `day`.
fn nearest_weekday(day: NaiveDate, weekday: u8, after: bool) -> Option<NaiveDate> {
    let from = i64::from(day.weekday().number_from_monday());
    let to = i64::from(weekday);
    let ahead = to.checked_sub(from)?.rem_euclid(7);
    let steps = match (after, ahead) {
        (true, 0) => 7,
        (true, n) => n,
        (false, 0) => -7,
        (false, n) => n.checked_sub(7)?,
    };
    add_days(day, steps)
}

/// The interval of a counted span next to the reference: "the next three
/// weeks" runs from the reference to three weeks on; "the past 48 hours"
/// from 48 hours back to it.
pub(super) fn reach_interval(
    dct: NaiveDateTime,
    parts: &[(Amount, Unit)],
    reach: Reach,
) -> Option<(NaiveDateTime, NaiveDateTime)> {
    let mut far = dct;
    for &(amount, unit) in parts {
        let amount = amount?;
        let signed = match reach {
            Reach::Ahead => amount,
            Reach::Behind => -amount,
        };
        far = advance(far, unit, signed)?;
    }
    Some(match reach {
        Reach::Ahead => (dct, far),
        Reach::Behind => (far, dct),
    })
}

/// `t` moved by `amount` units; a fraction only on the clock ("1.5
/// hours"), where it is a whole number of seconds.
fn advance(t: NaiveDateTime, unit: Unit, amount: f64) -> Option<NaiveDateTime> {
    let Some(seconds_per) = unit.seconds().filter(|_| unit.is_clock()) else {
        if amount.fract() != 0.0 || amount.abs() > f64::from(i32::MAX) {
            return None;
        }
        // Whole and within i32, checked above.
        #[allow(clippy::cast_possible_truncation)]
        return shift(t, unit, amount as i64);
    };
    let seconds = (amount * seconds_per).round();
    if seconds.abs() > 1e12 {
        return None;
    }
    // Bounded above.
    #[allow(clippy::cast_possible_truncation)]
    t.checked_add_signed(Duration::try_seconds(seconds as i64)?)
}
