//! When an event happens, from the timex that dates it: a day, a
//! date-time, a range, a recurrence, or a length that ends now ("after
//! seven months of dispute"); a length that reaches a date ("in two
//! weeks") reads as that date.

use chrono::{Datelike, Duration, Months, NaiveDate, NaiveDateTime};

use super::build::word;
use crate::engine::lexicon::Role;
use crate::engine::partial::{Mod, TimexType};
use crate::engine::timex::Timex;
use crate::engine::tokenize::Token;
use crate::events::{Kind, Recurrence, When};

/// The timexes with each length that points at a date ("in two weeks",
/// tagged as TimeML's DURATION) read as that date, which dates its event;
/// borrowed as they are when there is none.
pub(crate) fn dated_lengths(timexes: &[Timex]) -> std::borrow::Cow<'_, [Timex]> {
    if timexes.iter().all(|t| t.anchored.is_none()) {
        return std::borrow::Cow::Borrowed(timexes);
    }
    (timexes.iter())
        .map(|t| t.reached().unwrap_or_else(|| t.clone()))
        .collect()
}

/// How the timex dates the event: the `When`, its value, and a kind it implies.
pub(super) fn when_of(
    t: &Timex,
    dct: NaiveDateTime,
    toks: &[Token],
    text: &str,
    a: usize,
    s: usize,
) -> Option<(When, String, Option<Kind>)> {
    match t.kind {
        TimexType::Set => Some((
            When::Recurring(Recurrence::of_timex(
                &t.value,
                t.rule.as_deref(),
                dct.date(),
            )),
            t.value.to_string(),
            Some(Kind::Recurring),
        )),
        TimexType::Duration => anchored_duration(t, dct, toks, text, a, s),
        TimexType::Date | TimexType::Time => dated(t).map(|(when, value)| (when, value, None)),
    }
}

/// The `When` of a date or time and its value: a day, a date-time (not a
/// part of the day, "Tuesday morning"), the last day of "the end of next
/// month", or a range; `None` for periods over a year.
pub(super) fn dated(t: &Timex) -> Option<(When, String)> {
    let iv = t.interval?;
    let (start, end) = (iv.start, iv.end);
    let span = end.signed_duration_since(start);
    if span > Duration::days(370) {
        return None;
    }
    let day = start.date();
    if t.value.contains('T')
        && !t.value.ends_with("MO")
        && !t.value.ends_with("AF")
        && !t.value.ends_with("EV")
        && !t.value.ends_with("NI")
    {
        // "2-3pm": a range of clock times keeps its end in the value, as
        // TIMEX3 writes an interval ("…T14:00/…T15:00"); the calendar
        // export ends the event there.
        let value = if t.parts.is_empty() || span <= Duration::minutes(1) {
            t.value.to_string()
        } else {
            format!("{}/{}", t.value, end.format("%Y-%m-%dT%H:%M"))
        };
        return Some((
            When::DateTime {
                at: start,
                offset: t.zone,
            },
            value,
        ));
    }
    if span <= Duration::days(1) {
        return Some((When::Date(day), day.format("%Y-%m-%d").to_string()));
    }
    // "by the end of next month": the last day of the period.
    if t.modifier == Some(Mod::End) {
        let last = end.checked_sub_signed(Duration::days(1))?.date();
        return Some((When::Date(last), t.value.to_string()));
    }
    // "from June 18 to June 21": the value names both ends.
    let value = match t.parts.as_slice() {
        [a, b] => format!("{}/{}", a.value, b.value),
        _ => t.value.to_string(),
    };
    Some((
        When::Range {
            start: day,
            end: end.date(),
        },
        value,
    ))
}

/// "after seven months of dispute", "over the past two weeks": a length that
/// ends at the reference date becomes a range; other lengths date nothing.
fn anchored_duration(
    t: &Timex,
    dct: NaiveDateTime,
    toks: &[Token],
    text: &str,
    a: usize,
    s: usize,
) -> Option<(When, String, Option<Kind>)> {
    let after = a > s && {
        let w = word(text, &toks[a.saturating_sub(1)]);
        w.eq_ignore_ascii_case("after")
    };
    let spans_to_now = toks[a].entry.is_some_and(|e| e.has(Role::SpanPast))
        || t.text.to_ascii_lowercase().starts_with("the past");
    if !(after || spans_to_now) {
        return None;
    }
    let v = t.value.strip_prefix('P')?;
    if v.starts_with('T') || v.contains('X') {
        return None;
    }
    let (num, unit) = v.split_at(v.len().checked_sub(1)?);
    let n: u32 = num.parse().ok()?;
    let today = dct.date();
    let (start, end, months) = match unit {
        "D" => (
            today.checked_sub_signed(Duration::try_days(i64::from(n))?)?,
            today.succ_opt()?,
            false,
        ),
        "W" => (
            today.checked_sub_signed(Duration::try_weeks(i64::from(n))?)?,
            today.succ_opt()?,
            false,
        ),
        "M" => (today.checked_sub_months(Months::new(n))?, today, true),
        "Y" => (
            today.checked_sub_months(Months::new(n.checked_mul(12)?))?,
            today,
            true,
        ),
        _ => return None,
    };
    let (start, end) = if months {
        let s = NaiveDate::from_ymd_opt(start.year(), start.month(), 1)?;
        let e = NaiveDate::from_ymd_opt(end.year(), end.month(), 1)?
            .checked_add_months(Months::new(1))?;
        (s, e)
    } else {
        (start, end)
    };
    let when = When::Range { start, end };
    let value = crate::events::when_value(&when);
    Some((when, value, Some(Kind::Ongoing)))
}
