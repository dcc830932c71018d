//! The tracked events as an iCalendar feed (RFC 5545).
//!
//! It is a pure function of the events: no clock, no randomness, so
//! the same store always exports to the same bytes (and so the same ETag in
//! `serve`).
//!
//! How an [`Event`] becomes iCalendar:
//!
//! - **Date** → an all-day `VEVENT`: `DTSTART;VALUE=DATE` and the exclusive
//!   `DTEND;VALUE=DATE` of the next day. **Range** → the same with its own
//!   start and (exclusive) end dates.
//! - **Date-time with a known UTC offset** → converted to UTC (`…Z`).
//! - **Date-time without an offset** → a *floating* time, on purpose: the
//!   text said "3 p.m." and nothing about a zone, so the event happens at
//!   3 p.m. on whatever clock the reader's calendar keeps. Guessing a zone
//!   would invent precision the text did not give. A timed event lasts an
//!   hour in the calendar (the views count only to its start).
//! - **Recurrence** → a `VEVENT` whose `DTSTART` is the first occurrence
//!   (all-day, or floating at the occurrences' time) and whose `RRULE` is
//!   the event's rule (see [`crate::events::recur`]). A recurrence no rule
//!   says ("twice a month") is left out of the feed, and the calendar's
//!   `X-TIMELINE-SKIPPED-RECURRING` property says how many (the property is
//!   absent when none were). JSON and CSV carry every event.
//! - `UID` is `<event id>@timeline` (`<event id>-todo@timeline` for the
//!   `VTODO`, since a UID names one component). `DTSTAMP` and
//!   `LAST-MODIFIED` are the event's `added` time, converted from the
//!   user's wall clock to UTC in [`IcsOptions::zone`] — never the
//!   current time. `SEQUENCE` is the number of sources plus one when the
//!   event is done (see [`sequence`]), so it grows when more evidence is
//!   found or the event is closed.
//! - `STATUS:CONFIRMED` on every `VEVENT` (the text reported it), with
//!   `X-TIMELINE-STATUS:open|done`; a done deadline's `VTODO` is
//!   `STATUS:COMPLETED`, an open one `NEEDS-ACTION`.
//! - `CATEGORIES` is the kind and the tags, `LOCATION` the place, `SUMMARY` the title,
//!   `DESCRIPTION` the notes and each source sentence with its document,
//!   `X-TIMELINE-VALUE` the TIMEX3 value, `X-TIMELINE-CONTEXT` the
//!   document's subject (`SUMMARY` shows it before the title).
//! - Deadlines are `TRANSP:TRANSPARENT` (a due date does not make anyone
//!   busy) and carry a `VALARM` (`ACTION:DISPLAY`): by default a day
//!   before a timed deadline, and at 09:00 the day before an all-day one
//!   (`TRIGGER:-PT15H`), not at midnight; an event with its own `remind` lead time gets an alarm with
//!   that lead whatever its kind. `alarm: None` turns every alarm off; done
//!   events get none. With `todo`, each dated deadline also becomes a
//!   `VTODO` with `DUE` (recurring deadlines stay `VEVENT`s only).

use std::fmt::Write as _;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};
use icalendar::{
    Calendar, CalendarDateTime, Component, EventLike, EventStatus, Property, TodoStatus,
};

use crate::events::{Event, Kind, Status, When};

/// How the iCalendar feed is written.
#[derive(Clone, Debug)]
pub struct IcsOptions {
    /// The calendar's name (`NAME`, `X-WR-CALNAME`).
    pub calendar_name: String,
    /// How long before a deadline its alarm fires; `None` writes no alarms.
    pub alarm: Option<Duration>,
    /// Also write a `VTODO` with `DUE` for each deadline.
    pub todo: bool,
    /// How often subscribers should re-fetch (`REFRESH-INTERVAL`,
    /// `X-PUBLISHED-TTL`).
    pub refresh: Duration,
    /// The user's zone (an IANA name): the store's own wall-clock times
    /// (`added`, `modified`) are in it, for `DTSTAMP` and `LAST-MODIFIED`.
    /// The library reads no zone: the caller passes the user's; `None`
    /// takes wall time as UTC.
    pub zone: Option<String>,
}

impl IcsOptions {
    /// A wall-clock time of the user's zone in UTC.
    pub fn to_utc(&self, t: NaiveDateTime) -> NaiveDateTime {
        self.zone
            .as_deref()
            .and_then(|z| crate::engine::zone::to_utc(z, t))
            .unwrap_or(t)
    }
}

impl Default for IcsOptions {
    fn default() -> Self {
        IcsOptions {
            calendar_name: "timeline".to_string(),
            alarm: Some(Duration::days(1)),
            todo: false,
            refresh: Duration::hours(1),
            zone: None,
        }
    }
}

/// The product identifier written as `PRODID`.
pub const PRODID: &str = "-//timeline//timeline//EN";

/// The longest content line, in octets, before it is folded (RFC 5545 §3.1).
const FOLD_OCTETS: usize = 75;

/// The events as an iCalendar document: CRLF line ends, lines folded at 75
/// octets on UTF-8 character boundaries, byte-identical for the same input.
pub fn to_ics(events: &[Event], opts: &IcsOptions) -> String {
    let refs: Vec<&Event> = events.iter().collect();
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write_ics(&refs, opts, &mut out);
    // Every piece written is a `String`'s bytes.
    String::from_utf8(out).unwrap_or_default()
}

/// How many events are rendered at a time by [`write_ics`]: enough to
/// spend little on each batch, few enough to keep memory flat.
const BATCH: usize = 512;

/// [`to_ics`], written to `out` as it is made: the calendar's head (which
/// needs every event's zone and whether any is left out), then the events
/// a batch at a time, never the whole document in memory.
pub fn write_ics(
    events: &[&Event],
    opts: &IcsOptions,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    // The head says how many recurrences are left out and holds the zones
    // of TZID times, from the first year each is used in: one pass first.
    let mut timings: Vec<Option<Timing>> = Vec::with_capacity(events.len());
    let mut skipped = 0usize;
    let mut zones: Vec<(String, i32)> = Vec::new();
    for ev in events {
        let t = timing(ev);
        match &t {
            None => skipped += 1,
            Some(Timing {
                span: Span::Zoned { start, tzid, .. },
                ..
            }) => match zones.iter_mut().find(|(z, _)| z == tzid) {
                Some((_, year)) => *year = (*year).min(start.year()),
                None => zones.push((tzid.clone(), start.year())),
            },
            Some(_) => {}
        }
        timings.push(t);
    }
    let mut cal = Calendar::empty();
    cal.append_property(Property::new("VERSION", "2.0"));
    cal.append_property(Property::new("PRODID", PRODID));
    cal.append_property(Property::new("CALSCALE", "GREGORIAN"));
    cal.append_property(Property::new("METHOD", "PUBLISH"));
    // The crate's value-type table does not know RFC 7986 `NAME`, so it
    // would write the value unescaped: escape it here.
    let name = clean_text(&opts.calendar_name);
    cal.append_property(Property::new("NAME", escape_text(&name)));
    cal.append_property(Property::new("X-WR-CALNAME", name.as_str()));
    // `Calendar::ttl` writes chrono's "PT3600S"; RFC 5545 and most clients
    // read that, but "PT1H" is what people expect to see, so write it here.
    let refresh = ical_duration(opts.refresh);
    cal.append_property(
        Property::new("REFRESH-INTERVAL", refresh.as_str())
            .add_parameter("VALUE", "DURATION")
            .done(),
    );
    cal.append_property(Property::new("X-PUBLISHED-TTL", refresh.as_str()));
    if skipped > 0 {
        cal.append_property(Property::new(
            "X-TIMELINE-SKIPPED-RECURRING",
            skipped.to_string(),
        ));
    }
    // Each zone is defined over the years its recurrences are likely to
    // be looked at; calendar apps repeat the last rule beyond them.
    let timezones: Vec<String> = zones
        .iter()
        .filter_map(|(z, year)| {
            super::vtimezone::vtimezone(z, *year, year.saturating_add(ZONE_YEARS))
        })
        .flatten()
        .collect();
    // The head, with the zones before the first component, as one
    // calendar would place them; its END line goes last.
    let head = finish(&cal.to_string(), &timezones, &[]);
    out.write_all(without_end(&head).as_bytes())?;
    let pairs: Vec<(&Event, Timing)> = events
        .iter()
        .zip(timings)
        .filter_map(|(ev, t)| Some((*ev, t?)))
        .collect();
    for batch in pairs.chunks(BATCH) {
        let mut cal = Calendar::empty();
        // One entry per VEVENT, in order: the VALARM lines to splice into it.
        let mut alarms: Vec<Option<Vec<String>>> = Vec::with_capacity(batch.len());
        for (ev, timing) in batch {
            cal.push(vevent(ev, timing, opts));
            let all_day = matches!(timing.span, Span::Days { .. });
            alarms.push(alarm_lines(ev, opts, all_day));
            if opts.todo && ev.kind == Kind::Deadline && timing.rrule.is_none() {
                cal.push(vtodo(ev, timing, opts));
            }
        }
        let text = finish(&cal.to_string(), &[], &alarms);
        let body = without_end(&text);
        out.write_all(body.strip_prefix(BEGIN).unwrap_or(body).as_bytes())?;
    }
    out.write_all(END.as_bytes())
}

const BEGIN: &str = "BEGIN:VCALENDAR\r\n";
const END: &str = "END:VCALENDAR\r\n";

/// A calendar's text without its last line, `END:VCALENDAR`.
fn without_end(text: &str) -> &str {
    text.strip_suffix(END).unwrap_or(text)
}

/// How many years past its first use a `VTIMEZONE` lists its changes.
const ZONE_YEARS: i32 = 10;

/// When an event sits in the calendar.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Span {
    /// All-day, `end` exclusive.
    Days { start: NaiveDate, end: NaiveDate },
    /// An instant known in UTC.
    Utc {
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    },
    /// Wall-clock time with no zone: floating, on purpose (module docs).
    Floating {
        start: NaiveDateTime,
        end: NaiveDateTime,
    },
    /// Wall-clock time of a named zone (`TZID`): a recurrence whose hour
    /// must hold across DST changes.
    Zoned {
        start: NaiveDateTime,
        end: NaiveDateTime,
        tzid: String,
    },
}

struct Timing {
    span: Span,
    rrule: Option<String>,
}

/// The calendar placement of an event; `None` for a recurrence no `RRULE`
/// expresses.
fn timing(ev: &Event) -> Option<Timing> {
    let span = match &ev.when {
        When::Date(d) => Span::Days {
            start: *d,
            end: next_day(*d),
        },
        When::Range { start, end } => Span::Days {
            start: *start,
            end: if end > start { *end } else { next_day(*start) },
        },
        When::DateTime { at, offset } => {
            // The end a range of clock times gave ("2-3pm": the value
            // "…T14:00/…T15:00"), else an hour in the calendar: a
            // one-minute event is a sliver no one can see or click.
            let end = stated_end(&ev.value, *at).unwrap_or(*at + Duration::hours(1));
            match offset {
                Some(minutes) => {
                    let shift = Duration::minutes(i64::from(*minutes));
                    Span::Utc {
                        start: Utc.from_utc_datetime(&(*at - shift)),
                        end: Utc.from_utc_datetime(&(end - shift)),
                    }
                }
                None => Span::Floating { start: *at, end },
            }
        }
        When::Recurring(r) => {
            let (rule, first) = (r.rule.clone()?, r.start?);
            let span = match (r.time, &ev.tz) {
                (None, _) => Span::Days {
                    start: first,
                    end: next_day(first),
                },
                (Some(t), Some(tz)) => Span::Zoned {
                    start: first.and_time(t),
                    end: first.and_time(t) + Duration::hours(1),
                    tzid: tz.clone(),
                },
                (Some(t), None) => Span::Floating {
                    start: first.and_time(t),
                    end: first.and_time(t) + Duration::hours(1),
                },
            };
            return Some(Timing {
                span,
                rrule: Some(rule),
            });
        }
    };
    Some(Timing { span, rrule: None })
}

/// The end of a timed event whose value is an interval ("…T14:00/…T15:00"),
/// when it is later than the start and within a day of it.
fn stated_end(value: &str, at: NaiveDateTime) -> Option<NaiveDateTime> {
    let (_, end) = value.split_once('/')?;
    let end = NaiveDateTime::parse_from_str(end, "%Y-%m-%dT%H:%M").ok()?;
    (end > at && end - at <= Duration::days(1)).then_some(end)
}

pub(super) fn next_day(d: NaiveDate) -> NaiveDate {
    d.succ_opt().unwrap_or(d)
}

/// `SEQUENCE`: the number of sources, plus one once the event is done. Both
/// only grow as the store learns more, and the value depends on nothing but
/// the event, so the export stays byte-identical.
pub fn sequence(ev: &Event) -> u32 {
    let done = u32::from(ev.status == Status::Done);
    u32::try_from(ev.sources.len())
        .unwrap_or(u32::MAX)
        .saturating_add(done)
        .saturating_add(ev.edits)
}

fn vevent(ev: &Event, timing: &Timing, opts: &IcsOptions) -> icalendar::Event {
    let mut out = icalendar::Event::new();
    common(&mut out, ev, &format!("{}@timeline", ev.id), opts);
    match &timing.span {
        Span::Days { start, end } => out.starts(*start).ends(*end),
        Span::Utc { start, end } => out.starts(*start).ends(*end),
        Span::Floating { start, end } => out.starts(*start).ends(*end),
        Span::Zoned { start, end, tzid } => out
            .starts(CalendarDateTime::WithTimezone {
                date_time: *start,
                tzid: tzid.clone(),
            })
            .ends(CalendarDateTime::WithTimezone {
                date_time: *end,
                tzid: tzid.clone(),
            }),
    };
    if let Some(rule) = &timing.rrule {
        out.add_property("RRULE", rule.as_str());
    }
    out.status(EventStatus::Confirmed);
    out.add_property("X-TIMELINE-STATUS", ev.status.name());
    if ev.kind == Kind::Deadline {
        out.add_property("TRANSP", "TRANSPARENT");
    }
    out.done()
}

fn vtodo(ev: &Event, timing: &Timing, opts: &IcsOptions) -> icalendar::Todo {
    let mut out = icalendar::Todo::new();
    common(&mut out, ev, &format!("{}-todo@timeline", ev.id), opts);
    match &timing.span {
        Span::Days { start, .. } => out.due(*start),
        Span::Utc { start, .. } => out.due(*start),
        Span::Floating { start, .. } => out.due(*start),
        Span::Zoned { start, tzid, .. } => out.due(CalendarDateTime::WithTimezone {
            date_time: *start,
            tzid: tzid.clone(),
        }),
    };
    match ev.status {
        Status::Open => out.status(TodoStatus::NeedsAction),
        Status::Done => out.status(TodoStatus::Completed).percent_complete(100),
    };
    out.done()
}

/// The properties a `VEVENT` and a `VTODO` share. UID and DTSTAMP are always
/// set: the crate would otherwise invent a random UID and the current time.
fn common<C: EventLike>(out: &mut C, ev: &Event, uid: &str, opts: &IcsOptions) {
    let stamp = Utc.from_utc_datetime(&opts.to_utc(ev.added));
    let changed = Utc.from_utc_datetime(&opts.to_utc(ev.modified.unwrap_or(ev.added)));
    out.uid(uid)
        .timestamp(changed.max(stamp))
        .last_modified(changed)
        .sequence(sequence(ev))
        .summary(&clean_text(&ev.display_title()))
        .categories(
            std::iter::once(ev.kind.name().to_string())
                .chain(ev.tags.iter().map(|t| clean_text(t)))
                .collect::<Vec<String>>(),
        );
    out.add_property("X-TIMELINE-VALUE", clean_text(&ev.value));
    // SUMMARY shows the context in front of the title; this says which
    // part it is, so an import gives both back. (An X- property is
    // written as given: escape it here.)
    if let Some(context) = &ev.context {
        out.add_property("X-TIMELINE-CONTEXT", escape_text(&clean_text(context)));
    }
    if let Some(place) = &ev.place {
        out.location(&clean_text(place));
    }
    let description = description(ev);
    if !description.is_empty() {
        out.description(&description);
    }
}

/// The notes, then each source sentence with the document it came from.
fn description(ev: &Event) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(notes) = ev.notes.as_deref().filter(|n| !n.trim().is_empty()) {
        parts.push(notes.trim().to_string());
    }
    for s in &ev.sources {
        parts.push(format!("{}\n(from {})", s.sentence.trim(), s.file));
    }
    clean_text(&parts.join("\n\n"))
}

/// The `VALARM` of an event's `VEVENT` as unfolded content lines, if it
/// gets one.
///
/// Written by hand: the icalendar crate writes every child component through
/// `Component::fmt_write`, which adds `DTSTAMP:<the current time>` and a
/// random `UID` to any component lacking them — VALARM included, where
/// RFC 5545 §3.6.6 has neither — and that would make the feed differ on
/// every export.
fn alarm_lines(ev: &Event, opts: &IcsOptions, all_day: bool) -> Option<Vec<String>> {
    let default = opts.alarm?;
    if ev.status == Status::Done {
        return None;
    }
    let lead = match ev.remind.as_deref().and_then(parse_lead) {
        Some(lead) => lead,
        None if ev.kind == Kind::Deadline => default,
        None => return None,
    };
    // An all-day event starts at midnight: a lead of whole days fires at
    // 09:00 of the day that far ahead, when someone is awake to read it.
    let whole_days = lead >= Duration::days(1) && lead.num_seconds() % 86_400 == 0;
    let lead = if all_day && whole_days {
        lead - Duration::hours(9)
    } else {
        lead
    };
    Some(vec![
        "BEGIN:VALARM".to_string(),
        "ACTION:DISPLAY".to_string(),
        format!("DESCRIPTION:{}", escape_text(&clean_text(&ev.title))),
        format!("TRIGGER:{}", ical_duration(-lead)),
        "END:VALARM".to_string(),
    ])
}

/// A reminder lead time such as "1d", "2h", "30m", "1w" or "1d12h".
pub fn parse_lead(s: &str) -> Option<Duration> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let mut total = Duration::zero();
    let mut num = String::new();
    for c in s.chars() {
        if c.is_ascii_digit() {
            num.push(c);
            continue;
        }
        let n: i64 = num.parse().ok()?;
        num.clear();
        total += match c.to_ascii_lowercase() {
            'w' => Duration::try_weeks(n)?,
            'd' => Duration::try_days(n)?,
            'h' => Duration::try_hours(n)?,
            'm' => Duration::try_minutes(n)?,
            _ => return None,
        };
    }
    num.is_empty().then_some(total)
}

/// An RFC 5545 duration (§3.3.6): "P1D", "PT1H", "-P1DT12H", "PT0S".
pub fn ical_duration(d: Duration) -> String {
    let sign = if d < Duration::zero() { "-" } else { "" };
    let secs = d.num_seconds().unsigned_abs();
    if secs == 0 {
        return "PT0S".to_string();
    }
    let (days, rest) = (secs / 86_400, secs % 86_400);
    let (h, m, s) = (rest / 3600, rest % 3600 / 60, rest % 60);
    let mut out = format!("{sign}P");
    if days > 0 {
        let _ = write!(out, "{days}D");
    }
    if rest > 0 {
        out.push('T');
        if h > 0 {
            let _ = write!(out, "{h}H");
        }
        // The grammar allows no gap: an hour and seconds need "0M" between.
        if m > 0 || (h > 0 && s > 0) {
            let _ = write!(out, "{m}M");
        }
        if s > 0 {
            let _ = write!(out, "{s}S");
        }
    }
    out
}

/// Text as iCalendar TEXT may hold it: line breaks as `\n`, no other
/// control characters (RFC 5545 §3.3.11 allows none but HTAB).
fn clean_text(s: &str) -> String {
    s.replace("\r\n", "\n")
        .chars()
        .map(|c| if c == '\r' { '\n' } else { c })
        .filter(|&c| c == '\n' || c == '\t' || !c.is_control())
        .collect()
}

/// Escapes a TEXT value (RFC 5545 §3.3.11), as the crate does for the
/// properties it knows.
fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ',' => out.push_str("\\,"),
            ';' => out.push_str("\\;"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// Splices the hand-written VALARMs into the crate's output and folds every
/// line ourselves: unfold, insert, fold at 75 octets (never inside a UTF-8
/// character), CRLF after each line.
fn finish(raw: &str, timezones: &[String], alarms: &[Option<Vec<String>>]) -> String {
    let mut lines: Vec<String> = Vec::new();
    for physical in raw.split("\r\n") {
        match (physical.strip_prefix([' ', '\t']), lines.last_mut()) {
            (Some(rest), Some(last)) => last.push_str(rest),
            _ if physical.is_empty() => {}
            _ => lines.push(physical.to_string()),
        }
    }
    let mut out = String::with_capacity(raw.len() + raw.len() / 16);
    let mut nth_event = 0usize;
    let mut zones_written = timezones.is_empty();
    for line in &lines {
        // The zones go before the first component that uses them.
        if !zones_written
            && (line.starts_with("BEGIN:V") && line != "BEGIN:VCALENDAR" || line == "END:VCALENDAR")
        {
            for l in timezones {
                fold_into(l, &mut out);
            }
            zones_written = true;
        }
        if line == "END:VEVENT" {
            if let Some(Some(alarm)) = alarms.get(nth_event) {
                for l in alarm {
                    fold_into(l, &mut out);
                }
            }
            nth_event += 1;
        }
        fold_into(line, &mut out);
    }
    out
}

/// Appends one content line, folded (RFC 5545 §3.1), with its CRLF.
fn fold_into(line: &str, out: &mut String) {
    let mut start = 0;
    let mut limit = FOLD_OCTETS;
    while line.len() - start > limit {
        let mut cut = start + limit;
        while !line.is_char_boundary(cut) {
            cut -= 1;
        }
        out.push_str(&line[start..cut]);
        out.push_str("\r\n ");
        start = cut;
        limit = FOLD_OCTETS - 1; // the leading space counts
    }
    out.push_str(&line[start..]);
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_follow_the_rfc_grammar() {
        assert_eq!(ical_duration(Duration::hours(1)), "PT1H");
        assert_eq!(ical_duration(-Duration::days(1)), "-P1D");
        assert_eq!(ical_duration(Duration::zero()), "PT0S");
        assert_eq!(
            ical_duration(Duration::days(1) + Duration::hours(12)),
            "P1DT12H"
        );
        assert_eq!(
            ical_duration(Duration::hours(1) + Duration::seconds(5)),
            "PT1H0M5S"
        );
        assert_eq!(ical_duration(Duration::minutes(90)), "PT1H30M");
    }

    #[test]
    fn lead_times_read_like_the_cli() {
        assert_eq!(parse_lead("1d"), Some(Duration::days(1)));
        assert_eq!(parse_lead("2h"), Some(Duration::hours(2)));
        assert_eq!(
            parse_lead("1d12h"),
            Some(Duration::days(1) + Duration::hours(12))
        );
        assert_eq!(parse_lead("1w"), Some(Duration::weeks(1)));
        assert_eq!(parse_lead("soon"), None);
        assert_eq!(parse_lead("12"), None);
    }

    #[test]
    fn folding_counts_octets_not_characters() {
        let line = format!("DESCRIPTION:{}", "日本語のテキスト🎉".repeat(20));
        let mut out = String::new();
        fold_into(&line, &mut out);
        for l in out.split_terminator("\r\n") {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
        assert_eq!(out.replace("\r\n ", ""), format!("{line}\r\n"));
    }

    #[test]
    fn crate_folds_by_octets_too() {
        // What icalendar 0.17 does on its own (we re-fold regardless).
        let long = "締め切りは十一月二十四日です。".repeat(12);
        let ev = icalendar::Event::new()
            .uid("x")
            .timestamp(Utc.with_ymd_and_hms(2014, 1, 1, 0, 0, 0).unwrap())
            .description(&long)
            .done();
        for l in ev.to_string().split_terminator("\r\n") {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
    }

    #[test]
    fn text_keeps_no_bare_carriage_returns() {
        assert_eq!(clean_text("a\r\nb\rc\u{7}d\te"), "a\nb\ncd\te");
        assert_eq!(escape_text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }
}
