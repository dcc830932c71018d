//! Ranges and open intervals, resolved: a range's two parts joined into one
//! timex whose interval spans both, and the side "until noon" leaves open.

use chrono::{Duration, Months, NaiveDate};

use super::grammar::Join;
use super::lexicon::Role;
use super::partial::{length_seconds, Clock, Mod, Partial, TimexType, What};
use super::resolve::Resolver;
use super::tense::Tense;
use super::timex::{Interval, Timex};
use super::tokenize::Token;

/// The range `m` as one timex: the first part's value (the length's start
/// for "45 minutes starting at 2pm"), an interval over both parts, and the
/// parts themselves.
pub(super) fn joined(
    text: &str,
    found: &super::Found,
    r: &super::FoundRange,
    resolver: &mut Resolver,
    tense: Option<Tense>,
) -> Option<Timex> {
    let a = super::timex(
        text,
        found.start,
        r.first_end,
        &found.partial,
        resolver,
        tense,
    )?;
    let Some(mut b) = super::timex(text, r.second_start, found.end, &r.partial, resolver, tense)
    else {
        return Some(a);
    };
    let lasting = |from: &Timex, length: &Partial| {
        let start = from.interval?.start;
        let end = start.checked_add_signed(length_of(length)?)?;
        Some(Interval { start, end })
    };
    let interval = match r.join {
        Join::Through => through(&a, &mut b, &r.partial),
        Join::For => lasting(&a, &r.partial),
        Join::Starting => lasting(&b, &found.partial),
    };
    let point = if r.join == Join::Starting { &b } else { &a };
    let whole = Timex {
        start: a.start,
        end: b.end,
        text: text.get(a.start..b.end)?.into(),
        kind: point.kind,
        value: point.value.clone(),
        modifier: point.modifier,
        interval: interval.or(point.interval),
        zone: point.zone,
        tzid: point.tzid,
        rule: None,
        open: None,
        parts: Vec::new(),
        anchored: None,
    };
    Some(Timex {
        parts: vec![a, b],
        ..whole
    })
}

/// From the start of `a` to the end of `b` (to the start of a clock time:
/// "2-3pm" ends at 3). A second end the text left open and that fell
/// before the first ("Monday to Wednesday", "10pm-2am", "Dec 30 to Jan 2")
/// is moved on by its cycle, its value with it.
fn through(a: &Timex, b: &mut Timex, bp: &Partial) -> Option<Interval> {
    let ia = a.interval?;
    let mut ib = b.interval?;
    let clock = matches!(bp.clock, Some(Clock::At { .. }));
    let behind = if clock {
        ib.start <= ia.start
    } else {
        ib.start < ia.start
    };
    if behind {
        ib = shift(b, ib, bp)?;
    }
    let end = if clock { ib.start } else { ib.end };
    (end > ia.start).then_some(Interval {
        start: ia.start,
        end,
    })
}

/// Moves `b` (whose interval is `ib`) on by the cycle of what its partial
/// left open: a day for a clock time, a week for a weekday, a year for a
/// date without one.
fn shift(b: &mut Timex, ib: Interval, bp: &Partial) -> Option<Interval> {
    let step = |t: chrono::NaiveDateTime, days: bool| {
        if days {
            let n = if bp.clock.is_some() { 1 } else { 7 };
            t.checked_add_signed(Duration::try_days(n)?)
        } else {
            t.checked_add_months(Months::new(12))
        }
    };
    let days = match (&bp.what, bp.clock) {
        (_, Some(Clock::At { .. })) => true,
        (What::Calendar(d, _), None) if d.year.is_none() => {
            if d.month.is_some() {
                false
            } else if d.weekday.is_some() {
                true
            } else {
                return None;
            }
        }
        _ => return None,
    };
    let moved = Interval {
        start: step(ib.start, days)?,
        end: step(ib.end, days)?,
    };
    // The value begins with the date ("2026-12-02T14:00") or the year and
    // month ("2027-03"): rewrite that much.
    let date = moved.start.date();
    let head = if days {
        date.format("%Y-%m-%d").to_string()
    } else {
        date.format("%Y").to_string()
    };
    let old_head = b.value.get(..head.len())?;
    let parses = if days {
        NaiveDate::parse_from_str(old_head, "%Y-%m-%d").is_ok()
    } else {
        old_head.bytes().all(|c| c.is_ascii_digit())
    };
    if !parses {
        return None;
    }
    b.value = compact_str::format_compact!("{head}{}", b.value.get(head.len()..)?);
    b.interval = Some(moved);
    Some(moved)
}

/// The length a duration partial states, in units of fixed length.
fn length_of(p: &Partial) -> Option<Duration> {
    let What::Duration(parts) = &p.what else {
        return None;
    };
    let seconds = length_seconds(parts)?;
    // Beyond a year of seconds a length is no meeting's.
    (seconds > 0.0 && seconds < 3.2e7).then(|| Duration::seconds(seconds.round() as i64))
}

/// The side a word right before token `start` leaves open: "before 5pm",
/// "after Monday", "until noon", "by Friday", "since 2019", "prior to".
/// Read while the tokens are at hand; [`open_side`] keeps it for dates.
pub(super) fn open_word(toks: &[Token], start: usize) -> Option<Mod> {
    let role = |k: usize, r: Role| toks.get(k).and_then(|t| t.entry).is_some_and(|e| e.has(r));
    let k = start.checked_sub(1)?;
    // "prior to the vote": the bound word before "to".
    let k = if !role(k, Role::OpenBound) && role(k, Role::To) {
        k.checked_sub(1).filter(|&j| role(j, Role::Earlier))?
    } else {
        k
    };
    if !role(k, Role::OpenBound) {
        return None;
    }
    Some(if role(k, Role::Earlier) {
        Mod::Before
    } else if role(k, Role::Later) {
        Mod::After
    } else if role(k, Role::Baseline) {
        Mod::OnOrAfter
    } else {
        Mod::OnOrBefore
    })
}

/// The open side of a date or time `t`, from the word before it.
pub(super) fn open_side(word: Option<Mod>, t: &Timex) -> Option<Mod> {
    word.filter(|_| matches!(t.kind, TimexType::Date | TimexType::Time))
}
