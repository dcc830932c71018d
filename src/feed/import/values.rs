//! iCalendar values as events need them: properties and parameters,
//! dates and date-times, durations and alarm leads, UTC offsets and
//! zones, text lists, and what our own export wrote.

use std::ops::Range;

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use icalendar::parser::{Component, Property};

use crate::engine::zone;
use crate::events::{Kind, Recurrence, Source, When};

/// What our export's alarm of an all-day event subtracts from its lead, so
/// that it fires at 09:00 rather than at midnight.
const MORNING: i64 = 9 * 3600;
const DAY: i64 = 86_400;

/// A time as `DTSTART`, `DTEND` or `DUE` writes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Stamp {
    Day(NaiveDate),
    Utc(NaiveDateTime),
    /// Wall time, in the zone of its TZID or floating.
    Local(NaiveDateTime, Option<String>),
}

pub(super) fn prop<'c, 'a>(c: &'c Component<'a>, name: &str) -> Option<&'c Property<'a>> {
    c.properties.iter().find(|p| p.name.as_str() == name)
}

pub(super) fn param<'p>(p: &'p Property<'_>, key: &str) -> Option<&'p str> {
    p.params
        .iter()
        .find(|x| x.key.as_str().eq_ignore_ascii_case(key))
        .and_then(|x| x.val.as_ref())
        .map(|v| v.as_str().trim_matches('"'))
}

/// A TEXT property's value (the parser unescaped it), trimmed; `None`
/// when absent or blank.
pub(super) fn text_prop(c: &Component<'_>, name: &str) -> Option<String> {
    prop(c, name)
        .map(|p| p.val.as_str().trim().to_string())
        .filter(|s| !s.is_empty())
}

/// Reverses TEXT escaping (RFC 5545 §3.3.11), for the properties the
/// parser leaves as written: `\n` is a line break; `\,`, `\;` and `\\`
/// the character.
pub(super) fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match (c, c == '\\') {
            (_, false) => out.push(c),
            (_, true) => match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            },
        }
    }
    out
}

/// A `CATEGORIES` value's entries: split at unescaped commas, unescaped.
pub(super) fn split_list(raw: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut start = 0;
    let mut escaped = false;
    for (i, c) in raw.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            ',' => {
                items.push(unescape(&raw[start..i]));
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(unescape(&raw[start..]));
    items
}

/// The first category naming a kind, and the others as tags.
pub(super) fn kind_and_tags(c: &Component<'_>) -> (Option<Kind>, Vec<String>) {
    let mut kind = None;
    let mut tags: Vec<String> = Vec::new();
    let entries = c
        .properties
        .iter()
        .filter(|p| p.name.as_str() == "CATEGORIES")
        .flat_map(|p| split_list(p.val.as_str()));
    for entry in entries {
        let entry = entry.trim();
        if entry.is_empty() {
            continue;
        }
        if kind.is_none() {
            if let Some(k) = Kind::parse(&entry.to_ascii_lowercase()) {
                kind = Some(k);
                continue;
            }
        }
        if !tags.iter().any(|t| t.eq_ignore_ascii_case(entry)) {
            tags.push(entry.to_string());
        }
    }
    (kind, tags)
}

/// Our export's id in a UID: `<id>@timeline`, a to-do's `<id>-todo@timeline`.
pub(super) fn own_id(uid: &str, todo: bool) -> Option<String> {
    let id = uid.strip_suffix("@timeline")?;
    let id = if todo { id.strip_suffix("-todo")? } else { id };
    // Any id the store holds (hand-typed ones too), but none a line of
    // the store could not show.
    let plausible = !id.is_empty()
        && id.len() <= 200
        && !id.chars().any(|c| c.is_whitespace() || c.is_control());
    plausible.then(|| id.to_string())
}

/// `YYYYMMDD` as a date; `None` unless exactly eight digits.
pub(super) fn day_of(v: &str) -> Option<NaiveDate> {
    if v.len() != 8 || !v.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n = |r: Range<usize>| v[r].parse::<u32>().ok();
    NaiveDate::from_ymd_opt(i32::try_from(n(0..4)?).ok()?, n(4..6)?, n(6..8)?)
}

/// `YYYYMMDDTHHMMSS` as a date-time (a leap second as :59).
pub(super) fn time_of(v: &str) -> Option<NaiveDateTime> {
    let (date, time) = v.split_once(['T', 't'])?;
    if time.len() != 6 || !time.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n = |r: Range<usize>| time[r].parse::<u32>().ok();
    let t = NaiveTime::from_hms_opt(n(0..2)?, n(2..4)?, n(4..6)?.min(59))?;
    Some(day_of(date)?.and_time(t))
}

/// A `DTSTART`/`DTEND`/`DUE` value; `None` when it is no date.
pub(super) fn stamp(p: &Property<'_>) -> Option<Stamp> {
    let v = p.val.as_str().trim();
    let date_only = param(p, "VALUE").is_some_and(|t| t.eq_ignore_ascii_case("DATE"));
    if date_only || v.len() == 8 {
        return day_of(v).map(Stamp::Day);
    }
    if let Some(utc) = v.strip_suffix(['Z', 'z']) {
        return time_of(utc).map(Stamp::Utc);
    }
    let tzid = param(p, "TZID")
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string);
    time_of(v).map(|t| Stamp::Local(t, tzid))
}

/// The exclusive end day of an all-day event: `DTEND`, else `DURATION`.
pub(super) fn end_day(c: &Component<'_>, start: NaiveDate) -> Option<NaiveDate> {
    if let Some(end) = prop(c, "DTEND").and_then(stamp) {
        return match end {
            Stamp::Day(d) => Some(d),
            _ => None,
        };
    }
    let seconds = duration_seconds(prop(c, "DURATION")?.val.as_str())?;
    start.checked_add_signed(Duration::try_days(seconds / DAY)?)
}

/// The tz database's name for a TZID: the name itself in any case, or
/// the zone at the end of a path ("/mozilla.org/20050126_1/Europe/Vienna").
pub(super) fn zone_name(tzid: &str) -> Option<&'static str> {
    let tzid = tzid.trim();
    zone::canonical(tzid).or_else(|| {
        tzid.match_indices('/')
            .find_map(|(i, _)| zone::canonical(&tzid[i + 1..]))
    })
}

/// The offset a `VTIMEZONE` gives wall time `at`: `TZOFFSETTO` of the
/// observance (`STANDARD`/`DAYLIGHT`) that began last before it, by its
/// `DTSTART` and yearly `RRULE`; before the first, that one's
/// `TZOFFSETFROM`.
pub(super) fn vtimezone_offset(tz: &Component<'_>, at: NaiveDateTime) -> Option<i16> {
    let mut latest: Option<(NaiveDateTime, i16)> = None;
    let mut earliest: Option<(NaiveDateTime, i16)> = None;
    for o in &tz.components {
        if !matches!(o.name.as_str(), "STANDARD" | "DAYLIGHT") {
            continue;
        }
        let Some(start) = prop(o, "DTSTART").and_then(stamp) else {
            continue;
        };
        let start = match start {
            Stamp::Day(d) => d.and_time(NaiveTime::MIN),
            Stamp::Utc(t) | Stamp::Local(t, _) => t,
        };
        let Some(to) = prop(o, "TZOFFSETTO").and_then(|p| utc_offset(p.val.as_str())) else {
            continue;
        };
        let from = prop(o, "TZOFFSETFROM")
            .and_then(|p| utc_offset(p.val.as_str()))
            .unwrap_or(to);
        if earliest.is_none_or(|(t, _)| start < t) {
            earliest = Some((start, from));
        }
        let onset = match prop(o, "RRULE") {
            _ if start > at => None,
            None => Some(start),
            Some(rule) => last_onset(rule.val.as_str(), start, at),
        };
        if let Some(onset) = onset {
            if latest.is_none_or(|(t, _)| onset > t) {
                latest = Some((onset, to));
            }
        }
    }
    latest.or(earliest).map(|(_, offset)| offset)
}

/// The last onset of a yearly observance on or before `at`.
pub(super) fn last_onset(
    rule: &str,
    start: NaiveDateTime,
    at: NaiveDateTime,
) -> Option<NaiveDateTime> {
    let r = recurrence(rule, start.date(), Some(start.time())).ok()?;
    let from = at.date() - Duration::days(800);
    let until = at.date().succ_opt()?;
    r.between(from, until, 64)
        .into_iter()
        .map(|d| d.and_time(start.time()))
        .filter(|t| *t <= at)
        .max()
        // An observance whose rule ended long ago began at its start.
        .or(Some(start))
}

/// "+0100", "-0500", "+053000" as minutes east of UTC.
pub(super) fn utc_offset(s: &str) -> Option<i16> {
    let s = s.trim();
    let (sign, digits) = match s.as_bytes().first()? {
        b'+' => (1, &s[1..]),
        b'-' => (-1, &s[1..]),
        _ => return None,
    };
    if !(digits.len() == 4 || digits.len() == 6) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m): (i16, i16) = (digits[0..2].parse().ok()?, digits[2..4].parse().ok()?);
    (h < 24 && m < 60).then_some(sign * (h * 60 + m))
}

/// A recurrence from `RRULE`. The rule is counted in UTC, as the views
/// count it; an `UNTIL` without one (a floating or date-only one, which
/// RFC 5545 allows for floating starts) is read on that clock too.
pub(super) fn recurrence(
    rule: &str,
    day: NaiveDate,
    time: Option<NaiveTime>,
) -> Result<Recurrence, String> {
    let first = Recurrence::new(rule, day, time);
    let fixed: Vec<String> = rule
        .split(';')
        .map(|part| match part.split_once('=') {
            Some((k, v)) if k.trim().eq_ignore_ascii_case("UNTIL") && !v.ends_with(['Z', 'z']) => {
                if v.len() == 8 {
                    format!("UNTIL={v}T235959Z")
                } else {
                    format!("UNTIL={v}Z")
                }
            }
            _ => part.to_string(),
        })
        .collect();
    let fixed = fixed.join(";");
    match first {
        Err(_) if fixed != rule => Recurrence::new(&fixed, day, time),
        other => other,
    }
}

/// An RFC 5545 duration ("-P1D", "PT2H", "-P1DT12H30M", "P2W") in seconds.
pub(super) fn duration_seconds(s: &str) -> Option<i64> {
    let s = s.trim();
    let (sign, rest) = match s.as_bytes().first()? {
        b'-' => (-1, &s[1..]),
        b'+' => (1, &s[1..]),
        _ => (1, s),
    };
    let rest = rest.strip_prefix(['P', 'p'])?;
    let mut total: i64 = 0;
    let mut num = String::new();
    let mut in_time = false;
    let mut any = false;
    for c in rest.chars() {
        if c.is_ascii_digit() {
            num.push(c);
            continue;
        }
        let c = c.to_ascii_uppercase();
        if c == 'T' && num.is_empty() && !in_time {
            in_time = true;
            continue;
        }
        let n: i64 = num.parse().ok()?;
        num.clear();
        let unit = match (c, in_time) {
            ('W', false) => 7 * DAY,
            ('D', false) => DAY,
            ('H', true) => 3600,
            ('M', true) => 60,
            ('S', true) => 1,
            _ => return None,
        };
        total = total.checked_add(n.checked_mul(unit)?)?;
        any = true;
    }
    (any && num.is_empty()).then_some(sign * total)
}

/// The lead of the first `VALARM` that fires before (or at) the start:
/// a relative `TRIGGER` no later than zero, related to the start.
pub(super) fn alarm_lead(c: &Component<'_>) -> Option<i64> {
    c.components
        .iter()
        .filter(|a| a.name.as_str() == "VALARM")
        .filter_map(|a| prop(a, "TRIGGER"))
        .filter(|t| !param(t, "VALUE").is_some_and(|v| v.eq_ignore_ascii_case("DATE-TIME")))
        .filter(|t| !param(t, "RELATED").is_some_and(|v| v.eq_ignore_ascii_case("END")))
        .filter_map(|t| duration_seconds(t.val.as_str()))
        .find(|s| *s <= 0)
        .map(|s| -s)
}

/// A lead in seconds as `remind` writes it: "2d", "3h", "30m". On an
/// all-day event our export fires a lead of whole days at 09:00, 15 hours
/// before the day for "1d": that reads back as the days.
pub(super) fn remind_text(lead: i64, all_day: bool) -> String {
    let morning = lead + MORNING;
    if all_day && morning >= DAY && morning % DAY == 0 {
        format!("{}d", morning / DAY)
    } else if lead > 0 && lead % DAY == 0 {
        format!("{}d", lead / DAY)
    } else if lead > 0 && lead % 3600 == 0 {
        format!("{}h", lead / 3600)
    } else {
        format!("{}m", (lead + 59) / 60)
    }
}

/// The wall time and offset our export converted to UTC, from the value
/// it kept ("2014-10-15T15:00" for 20:00Z is -05:00).
pub(super) fn offset_from_value(utc: NaiveDateTime, value: &str) -> Option<(NaiveDateTime, i16)> {
    let wall = NaiveDateTime::parse_from_str(value.get(..16)?, "%Y-%m-%dT%H:%M").ok()?;
    let minutes = (wall - utc).num_minutes();
    let whole = (wall - utc).num_seconds() % 60 == 0;
    (whole && minutes.abs() <= 18 * 60 && minutes % 15 == 0)
        .then(|| Some((wall, i16::try_from(minutes).ok()?)))
        .flatten()
}

/// Whether an `X-TIMELINE-VALUE` still says the event's time: the value
/// of it, or a coarser one ("2014-12" for the last day of December), or a
/// recurrence's set; a calendar app that moved the event left it stale.
pub(super) fn value_fits(value: &str, when: &When, computed: &str) -> bool {
    match when {
        When::Recurring(_) => value.starts_with("XXXX") || value.starts_with('P'),
        _ => computed.starts_with(value),
    }
}

/// Our export's description: the notes, then each source sentence with
/// "(from FILE)" under it, paragraphs apart.
pub(super) fn split_description(text: Option<&str>) -> (Option<String>, Vec<Source>) {
    let Some(text) = text else {
        return (None, Vec::new());
    };
    let mut paragraphs: Vec<&str> = text.split("\n\n").collect();
    let mut sources = Vec::new();
    while let Some(last) = paragraphs.last() {
        let Some((sentence, from)) = last.rsplit_once('\n') else {
            break;
        };
        let Some(file) = from
            .strip_prefix("(from ")
            .and_then(|f| f.strip_suffix(')'))
        else {
            break;
        };
        sources.push(Source {
            file: file.to_string(),
            sentence: sentence.to_string(),
            start: 0,
            end: 0,
            timex: String::new(),
        });
        paragraphs.pop();
    }
    sources.reverse();
    let notes = paragraphs.join("\n\n");
    let notes = (!notes.trim().is_empty()).then(|| notes.trim().to_string());
    (notes, sources)
}
