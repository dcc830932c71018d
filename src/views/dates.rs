//! Dates and spans as people type them on the command line: "next friday
//! 5pm", "tomorrow", "2 weeks", as well as ISO. Phrases go through the
//! engine, resolved against "now"; ISO is the fast path.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};

use crate::events::recur::timex_of_rule;
use crate::events::Recurrence;

use crate::engine::lexicon::Role;
use crate::engine::partial::TimexType;
use crate::engine::tense::Tense;
use crate::engine::timex::Timex;
use crate::engine::Extractor;

/// Which reading of an underspecified day a flag wants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lean {
    /// A new event's date: "friday" is the coming one.
    Ahead,
    /// A reference date: "friday" is the last one.
    Behind,
    /// A filter bound: the nearest reading.
    Nearest,
}

/// A date read from a flag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TypedDate {
    pub at: NaiveDateTime,
    /// A time of day was given ("5pm", "T17:00"), not just a day.
    pub has_time: bool,
    /// Written as ISO: nothing to echo back.
    pub iso: bool,
    /// The UTC offset given ("+01:00", "5pm ET"), in minutes east.
    pub offset: Option<i16>,
    /// The tz database zone named ("5pm ET" → America/New_York).
    pub tzid: Option<&'static str>,
    /// The end a range gave ("2-3pm", "Dec 3 to 5"), exclusive.
    pub until: Option<NaiveDateTime>,
}

impl TypedDate {
    /// "Fri 2026-12-04 17:00", or "Fri 2026-12-04" for a day.
    pub fn echo(&self) -> String {
        if !self.has_time {
            return self.at.format("%a %Y-%m-%d").to_string();
        }
        let mut s = self.at.format("%a %Y-%m-%d %H:%M").to_string();
        if let Some(o) = self.offset {
            s.push(' ');
            s.push_str(&crate::engine::timex::format_zone(o));
        }
        if let Some(z) = self.tzid {
            s.push_str(&format!(" ({z})"));
        }
        s
    }
}

/// Reads a date flag: ISO ("2026-12-04", "2026-12-04T17:00") or a phrase
/// resolved against `now` ("next friday 5pm", "tomorrow", "Dec 4").
pub fn read_date(input: &str, now: NaiveDateTime, lean: Lean) -> Result<TypedDate, String> {
    let s = input.trim();
    if s.is_empty() {
        return Err("no date given".to_string());
    }
    if s.as_bytes()[0].is_ascii_digit() || s.starts_with(['+', '-']) {
        if let Some((at, offset)) = iso_with_offset(s) {
            return Ok(TypedDate {
                at,
                has_time: true,
                iso: true,
                offset: Some(offset),
                tzid: None,
                until: None,
            });
        }
        match crate::document::dct::parse(s) {
            Ok(at) => {
                let has_time = s.contains(['T', ' ', ':']);
                return Ok(TypedDate {
                    at,
                    has_time,
                    iso: true,
                    offset: None,
                    tzid: None,
                    until: None,
                });
            }
            // "10000-01-01" is ISO that says too much, not a phrase.
            Err(e) if iso_shaped(s) => return Err(e),
            Err(_) => {}
        }
    }
    // "in two weeks": a length that points at a date is that date.
    let found: Vec<Timex> = phrase(s, now, lean)?
        .into_iter()
        .map(|t| t.reached().unwrap_or(t))
        .collect();
    let dating: Vec<&Timex> = found
        .iter()
        .filter(|t| matches!(t.kind, TimexType::Date | TimexType::Time))
        .collect();
    match dating.as_slice() {
        [] if found.iter().any(|t| t.kind == TimexType::Duration) => Err(format!(
            "{s:?} is a length of time, not a date; for a date that far ahead, write \"in {s}\""
        )),
        [] => Err(format!(
            "could not read {s:?} as a date; try \"tomorrow\", \"next friday 5pm\", \"Dec 4\" or 2026-12-04"
        )),
        [t] => typed(t, now).ok_or_else(|| {
            format!(
                "read {:?} as {}, which names no single day; give a day, like \"Dec 4\"",
                t.text, t.value
            )
        }),
        [a, b, ..] => Err(format!(
            "read two dates in {s:?}: {:?} and {:?}; give one",
            a.text, b.text
        )),
    }
}

/// Reads a recurrence flag: an RFC 5545 rule ("FREQ=WEEKLY;BYDAY=TH") or
/// a phrase ("weekly", "every other thursday", "the first monday of each
/// month at 7pm"), counted from its first occurrence on or after `from`
/// (at `time` when given). Returns it with the TIMEX3 value it stores.
pub fn read_recurrence(
    input: &str,
    now: NaiveDateTime,
    from: NaiveDate,
    time: Option<NaiveTime>,
) -> Result<(Recurrence, String), String> {
    let s = input.trim();
    let upper = s.to_ascii_uppercase();
    if upper.starts_with("FREQ=") || upper.starts_with("RRULE:") {
        let r = Recurrence::new(s, from, time)?;
        let value = r.rule.as_deref().map_or_else(String::new, timex_of_rule);
        return Ok((r, value));
    }
    let hint = "try \"weekly\", \"every other thursday\", \"the first monday of each month\" or a rule such as FREQ=WEEKLY;BYDAY=TH";
    let found = phrase(s, now, Lean::Ahead)
        .map_err(|_| format!("could not read {s:?} as a recurrence; {hint}"))?;
    let set = found
        .iter()
        .find(|t| t.kind == TimexType::Set)
        .ok_or_else(|| format!("{s:?} does not recur; {hint}"))?;
    let rule = set.rule.as_deref().ok_or_else(|| {
        format!(
            "read {:?} as {}, which no calendar rule can say; {hint}",
            set.text, set.value
        )
    })?;
    Ok((Recurrence::new(rule, from, time)?, set.value.to_string()))
}

/// Reads a span flag: "30d", "2w", "12h" or a phrase ("2 weeks", "a month").
pub fn read_span(input: &str, now: NaiveDateTime) -> Result<Duration, String> {
    let s = input.trim();
    if let Ok(d) = super::parse_span(s) {
        return Ok(d);
    }
    let found = phrase(s, now, Lean::Nearest)?;
    let span = found
        .iter()
        .find(|t| t.kind == TimexType::Duration)
        .and_then(|t| duration_of(&t.value));
    span.ok_or_else(|| {
        format!("could not read {s:?} as a length of time; try 30d, 2w, 12h or \"2 weeks\"")
    })
}

/// The engine's timexes in `s`, all of whose words must be understood.
fn phrase(s: &str, now: NaiveDateTime, lean: Lean) -> Result<Vec<Timex>, String> {
    let tense = match lean {
        Lean::Ahead => Some(Tense::Future),
        Lean::Behind => Some(Tense::Past),
        Lean::Nearest => None,
    };
    // A typed phrase: the lean asked for decides, not a detected kind.
    let found = Extractor::default()
        .doctype(crate::engine::doctype::DocType::News)
        .leaning(tense)
        .extract(s, now);
    // Words outside every timex must be glue ("at", "on", a comma):
    // anything else was not understood, and a guess would be wrong.
    let lex = crate::engine::english();
    let mut rest = String::new();
    let mut at = 0;
    for t in &found {
        rest.push_str(&s[at..t.start]);
        rest.push(' ');
        at = t.end;
    }
    rest.push_str(&s[at..]);
    let unknown: Vec<&str> = rest
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .filter(|w| {
            !lex.get(w).is_some_and(|e| {
                e.has(Role::AttachingPreposition) || e.has(Role::At) || e.has(Role::In)
            })
        })
        .collect();
    if unknown.is_empty() {
        return Ok(found);
    }
    let understood: Vec<&str> = found.iter().map(|t| t.text.as_str()).collect();
    Err(if understood.is_empty() {
        format!(
            "could not read {s:?} as a date; try \"tomorrow\", \"next friday 5pm\", \"Dec 4\" or 2026-12-04"
        )
    } else {
        format!(
            "read {:?} but not {:?} in {s:?}",
            understood.join(" "),
            unknown.join(" ")
        )
    })
}

/// The instant a dating timex names: its start, and whether a time of day
/// was given. A week ("in 2 weeks") is the same weekday as `now` in it.
fn typed(t: &Timex, now: NaiveDateTime) -> Option<TypedDate> {
    let v = t.value.as_str();
    if let Some((y, w)) = v.split_once("-W") {
        let (year, week) = (y.parse().ok()?, w.get(..2)?.parse().ok()?);
        let day = NaiveDate::from_isoywd_opt(year, week, now.weekday())
            .or_else(|| NaiveDate::from_isoywd_opt(year, week, Weekday::Mon))?;
        return Some(TypedDate {
            at: day.and_time(chrono::NaiveTime::MIN),
            has_time: false,
            iso: false,
            offset: None,
            tzid: None,
            until: None,
        });
    }
    // A day or a time of one: "2026-12-04", "2026-12-04T17:00".
    let day_or_time = v.len() >= 10 && v.as_bytes()[4] == b'-' && v.as_bytes()[7] == b'-';
    if !day_or_time {
        return None;
    }
    let start = t.interval.as_ref()?.start;
    Some(TypedDate {
        at: start,
        has_time: v.len() > 10,
        iso: false,
        offset: t.zone,
        tzid: t.tzid,
        until: (!t.parts.is_empty())
            .then(|| t.interval.map(|i| i.end))
            .flatten(),
    })
}

/// "2026-12-01T09:00:00+01:00", "2026-12-01T09:00Z", "2026-12-01 09:00
/// -05:00": a wall time and its offset in minutes east of UTC.
fn iso_with_offset(s: &str) -> Option<(NaiveDateTime, i16)> {
    let mut joined = s.replacen(' ', "T", 1).replace(' ', "");
    if let Some(utc) = joined.strip_suffix(['Z', 'z']) {
        joined = format!("{utc}+00:00");
    }
    let t = [
        "%Y-%m-%dT%H:%M:%S%:z",
        "%Y-%m-%dT%H:%M%:z",
        "%Y-%m-%dT%H:%M%z",
    ]
    .iter()
    .find_map(|f| chrono::DateTime::parse_from_str(&joined, f).ok())?;
    let minutes = t.offset().local_minus_utc() / 60;
    if !crate::document::dct::YEARS.contains(&t.naive_local().year()) {
        return None;
    }
    Some((t.naive_local(), i16::try_from(minutes).ok()?))
}

/// A TIMEX3 duration ("P2W", "PT12H", "P1M") as a span; months count 30
/// days and years 365, as `parse_span` does.
fn duration_of(value: &str) -> Option<Duration> {
    let body = value.strip_prefix('P')?;
    let (date, time) = body.split_once('T').unwrap_or((body, ""));
    let mut total = Duration::zero();
    for (part, in_time) in [(date, false), (time, true)] {
        let mut num = String::new();
        for c in part.chars() {
            if c.is_ascii_digit() || c == '.' {
                num.push(c);
                continue;
            }
            let n: f64 = num.parse().ok()?;
            num.clear();
            let minutes = match (c, in_time) {
                ('Y', false) => n * 365.0 * 1440.0,
                ('M', false) => n * 30.0 * 1440.0,
                ('W', false) => n * 7.0 * 1440.0,
                ('D', false) => n * 1440.0,
                ('H', true) => n * 60.0,
                ('M', true) => n,
                ('S', true) => n / 60.0,
                _ => return None,
            };
            total = total.checked_add(&Duration::try_minutes(minutes.round() as i64)?)?;
        }
        if !num.is_empty() {
            return None;
        }
    }
    (total > Duration::zero()).then_some(total)
}

/// Four or more digits (signed or not) and a dash: the start of an ISO date.
fn iso_shaped(s: &str) -> bool {
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    digits >= 4 && s.as_bytes().get(digits) == Some(&b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> NaiveDateTime {
        // Monday 30 November 2026, 14:00
        crate::document::dct::parse("2026-11-30T14:00").unwrap()
    }

    fn read(s: &str, lean: Lean) -> String {
        match read_date(s, now(), lean) {
            Ok(d) => d.echo(),
            Err(e) => format!("error: {e}"),
        }
    }

    #[test]
    fn phrases_resolve_against_now() {
        assert_eq!(read("next friday 5pm", Lean::Ahead), "Fri 2026-12-04 17:00");
        assert_eq!(read("tomorrow", Lean::Ahead), "Tue 2026-12-01");
        assert_eq!(read("Dec 4 at 17:00", Lean::Ahead), "Fri 2026-12-04 17:00");
        assert_eq!(read("2026-12-04", Lean::Ahead), "Fri 2026-12-04");
        assert_eq!(
            read("2026-12-04T09:30", Lean::Ahead),
            "Fri 2026-12-04 09:30"
        );
        assert_eq!(read("yesterday", Lean::Behind), "Sun 2026-11-29");
    }

    #[test]
    fn a_bare_weekday_leans_as_asked() {
        assert_eq!(read("friday", Lean::Ahead), "Fri 2026-12-04");
        assert_eq!(read("friday", Lean::Behind), "Fri 2026-11-27");
        assert_eq!(read("in 2 weeks", Lean::Ahead), "Mon 2026-12-14");
    }

    #[test]
    fn what_is_not_understood_is_named() {
        let e = read("next friday after lunch-ish", Lean::Ahead);
        assert!(e.contains("next friday") && e.contains("lunch-ish"), "{e}");
        let e = read("someday", Lean::Ahead);
        assert!(e.starts_with("error: could not read \"someday\""), "{e}");
        let e = read("2 weeks", Lean::Ahead);
        assert!(
            e.contains("length of time") && e.contains("in 2 weeks"),
            "{e}"
        );
    }

    #[test]
    fn spans_read_as_units_or_words() {
        assert_eq!(read_span("2w", now()), Ok(Duration::days(14)));
        assert_eq!(read_span("2 weeks", now()), Ok(Duration::days(14)));
        assert_eq!(read_span("three days", now()), Ok(Duration::days(3)));
        assert_eq!(read_span("12 hours", now()), Ok(Duration::hours(12)));
        assert!(read_span("soon", now()).is_err());
    }
}
