//! The tracked events as a JSON array and as CSV, for scripts and
//! spreadsheets. Pure functions of the events, like the iCalendar export,
//! written as they are made: from events borrowed from the store's read
//! cache ([`EventRef`]) as well as from whole ones, so 100,000 events are
//! neither copied nor one string.

use std::io::{self, Write};

use super::ical::next_day;
use super::ics_event::IcsEvent;
use crate::engine::timex::DateTimeText;
use crate::events::{Event, Shown, When};
use crate::store::EventRef;
use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Serialize, Serializer};

/// What the JSON writer reads of an event beyond the feed's
/// [`IcsEvent`]: each source whole.
pub trait ExportEvent: IcsEvent {
    fn source_spans(&self) -> impl Iterator<Item = SourceOut<'_>>;
}

/// One source in the JSON export: the fields of
/// [`Source`](crate::events::Source), in its order.
#[derive(Serialize)]
pub struct SourceOut<'a> {
    file: &'a str,
    sentence: &'a str,
    start: usize,
    end: usize,
    timex: &'a str,
}

impl ExportEvent for Event {
    fn source_spans(&self) -> impl Iterator<Item = SourceOut<'_>> {
        self.sources.iter().map(|s| SourceOut {
            file: &s.file,
            sentence: &s.sentence,
            start: s.start,
            end: s.end,
            timex: &s.timex,
        })
    }
}

impl ExportEvent for EventRef<'_> {
    fn source_spans(&self) -> impl Iterator<Item = SourceOut<'_>> {
        self.sources.iter().map(|s| SourceOut {
            file: s.file,
            sentence: s.sentence,
            start: s.start,
            end: s.end,
            timex: s.timex,
        })
    }
}

/// One event in the JSON export. The shape is stable: fields may be added,
/// never renamed.
#[derive(Serialize)]
#[serde(bound(serialize = ""))]
struct JsonEvent<'a, E: ExportEvent> {
    id: &'a str,
    title: &'a str,
    kind: &'static str,
    #[serde(rename = "where")]
    place: Option<&'a str>,
    value: &'a str,
    start: Option<String>,
    end: Option<String>,
    status: &'static str,
    added: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    notes: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    remind: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    context: Option<&'a str>,
    #[serde(skip_serializing_if = "Tags::is_empty")]
    tags: Tags<'a, E>,
    /// The IANA zone of its wall-clock times.
    #[serde(skip_serializing_if = "Option::is_none")]
    tz: Option<&'a str>,
    /// A recurrence's RFC 5545 rule, first occurrence and the day up to
    /// which its occurrences are done.
    #[serde(skip_serializing_if = "Option::is_none")]
    rrule: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    first: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    done_through: Option<String>,
    sources: Sources<'a, E>,
}

/// An event's tags, written as they are read.
struct Tags<'a, E>(&'a E);

impl<E: Shown> Tags<'_, E> {
    fn is_empty(&self) -> bool {
        self.0.tags().next().is_none()
    }
}

impl<E: Shown> Serialize for Tags<'_, E> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.tags())
    }
}

/// An event's sources, written as they are read.
struct Sources<'a, E>(&'a E);

impl<E: ExportEvent> Serialize for Sources<'_, E> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.source_spans())
    }
}

/// The events, one array element each as it is made.
struct Array<'a, E>(&'a [&'a E]);

impl<E: ExportEvent> Serialize for Array<'_, E> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(|ev| JsonEvent::of(*ev)))
    }
}

impl<'a, E: ExportEvent> JsonEvent<'a, E> {
    fn of(ev: &'a E) -> JsonEvent<'a, E> {
        let when = ev.when();
        let (start, end) = iso_bounds(when);
        let recurrence = match when {
            When::Recurring(r) => Some(r),
            _ => None,
        };
        let first = recurrence.and_then(|r| {
            let day = r.start?;
            Some(match r.time {
                Some(t) => datetime_text(day.and_time(t)),
                None => date_text(day),
            })
        });
        JsonEvent {
            id: ev.id(),
            title: ev.title(),
            kind: ev.kind().name(),
            place: ev.place(),
            value: ev.value(),
            start,
            end,
            status: ev.status().name(),
            added: datetime_text(ev.added()),
            notes: ev.notes(),
            remind: ev.remind(),
            context: ev.context(),
            tags: Tags(ev),
            tz: ev.tz(),
            rrule: recurrence.and_then(|r| r.rule.as_deref()),
            first,
            done_through: recurrence.and_then(|r| r.done_through).map(date_text),
            sources: Sources(ev),
        }
    }
}

/// The events as a JSON array (pretty-printed, one trailing newline):
///
/// ```json
/// [{"id": "ev-1a2b3c4d", "title": "Deadline to finalize an agreement",
///   "kind": "deadline", "where": null, "value": "2014-11-24",
///   "start": "2014-11-24", "end": "2014-11-25", "status": "open",
///   "added": "2014-10-14T09:30:00",
///   "sources": [{"file": "vienna.txt", "sentence": "…", "start": 512,
///                "end": 519, "timex": "Nov. 24"}]}]
/// ```
///
/// `start`/`end` (end exclusive) are ISO 8601: a date for all-day events and
/// ranges, a date-time with its offset (`2014-10-15T15:00:00-05:00`) or
/// without one when the text gave none; `null` for recurrences, which
/// have `rrule` (RFC 5545), `first` (the first occurrence, a date or a
/// date-time) and, once one is done, `done_through`. `notes`, `remind`,
/// `context` (the document's subject), `tags` and `tz` (the IANA zone of
/// its times) appear only when set.
pub fn to_json(events: &[Event]) -> String {
    let refs: Vec<&Event> = events.iter().collect();
    let mut out = Vec::new();
    // Writing to memory cannot fail, and every field is a string.
    let _ = write_json(&refs, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// [`to_json`] of `events`, written to `out` as it is made.
pub fn write_json<E: ExportEvent>(events: &[&E], out: &mut dyn Write) -> io::Result<()> {
    let mut chunked = Chunked {
        buf: Vec::with_capacity(Chunked::SIZE),
        out,
    };
    serde_json::to_writer_pretty(&mut chunked, &Array(events))?;
    chunked.write_all(b"\n")?;
    chunked.flush()
}

/// Gathers serde_json's many small writes (a dozen a field) in memory and
/// hands them on in 64 KiB pieces: each write through `&mut dyn Write` is
/// a call that cannot be inlined.
struct Chunked<'w> {
    buf: Vec<u8>,
    out: &'w mut dyn Write,
}

impl Chunked<'_> {
    const SIZE: usize = 1 << 16;
}

impl Write for Chunked<'_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.write_all(bytes)?;
        Ok(bytes.len())
    }

    #[inline]
    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.buf.extend_from_slice(bytes);
        if self.buf.len() >= Self::SIZE {
            self.out.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.write_all(&self.buf)?;
        self.buf.clear();
        self.out.flush()
    }
}

/// ISO 8601 start and exclusive end of a `When`.
fn iso_bounds(when: &When) -> (Option<String>, Option<String>) {
    match when {
        When::Date(d) => (Some(date_text(*d)), Some(date_text(next_day(*d)))),
        When::Range { start, end } => (Some(date_text(*start)), Some(date_text(*end))),
        When::DateTime { at, offset } => {
            let fmt = |t: NaiveDateTime| {
                let mut text = datetime_text(t);
                if let Some(minutes) = offset {
                    text.push_str(&offset_text(*minutes));
                }
                text
            };
            let end = at.checked_add_signed(Duration::minutes(1)).unwrap_or(*at);
            (Some(fmt(*at)), Some(fmt(end)))
        }
        When::Recurring(_) => (None, None),
    }
}

/// "2014-10-14T09:30:00", as chrono's `%Y-%m-%dT%H:%M:%S` writes it,
/// without parsing a pattern for each of 100,000 events.
fn datetime_text(t: NaiveDateTime) -> String {
    DateTimeText::of(&t).as_str().to_owned()
}

/// "2014-10-14", as chrono's `%Y-%m-%d` writes it.
fn date_text(d: NaiveDate) -> String {
    match DateTimeText::of(&d.and_time(NaiveTime::MIN)) {
        DateTimeText::Short(buf) => String::from_utf8_lossy(&buf[..10]).into_owned(),
        DateTimeText::Long(_) => d.format("%Y-%m-%d").to_string(),
    }
}

/// "+05:30", "-05:00", "+00:00" from minutes east of UTC.
fn offset_text(minutes: i16) -> String {
    let sign = if minutes < 0 { '-' } else { '+' };
    let m = minutes.unsigned_abs();
    format!("{sign}{:02}:{:02}", m / 60, m % 60)
}

/// The events as CSV (RFC 4180: CRLF line ends, fields with a comma, quote
/// or line break quoted, quotes doubled), with the header
/// `id,title,kind,where,value,start,end,status`; `start`/`end` as in
/// [`to_json`], empty when there is none. Fields that would start a
/// formula get a leading `'` (see `csv_field`).
pub fn to_csv(events: &[Event]) -> String {
    let refs: Vec<&Event> = events.iter().collect();
    let mut out = Vec::new();
    // Writing to memory cannot fail, and every field is a string.
    let _ = write_csv(&refs, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// [`to_csv`] of `events`, written to `out` a line at a time.
pub fn write_csv<E: Shown>(events: &[&E], out: &mut dyn Write) -> io::Result<()> {
    out.write_all(b"id,title,kind,where,value,start,end,status\r\n")?;
    let mut line = String::new();
    for ev in events {
        let (start, end) = iso_bounds(ev.when());
        let fields = [
            ev.id(),
            ev.title(),
            ev.kind().name(),
            ev.place().unwrap_or(""),
            ev.value(),
            start.as_deref().unwrap_or(""),
            end.as_deref().unwrap_or(""),
            ev.status().name(),
        ];
        line.clear();
        for (i, f) in fields.iter().enumerate() {
            if i > 0 {
                line.push(',');
            }
            csv_field(f, &mut line);
        }
        line.push_str("\r\n");
        out.write_all(line.as_bytes())?;
    }
    Ok(())
}

/// One field, quoted when RFC 4180 needs it. A field a spreadsheet would
/// run as a formula (one starting with `=`, `+`, `-`, `@`, a tab or a
/// carriage return, as OWASP's advice on CSV injection lists them) gets a
/// leading `'`, so a title such as `=HYPERLINK(…)` taken from a document
/// shows as text.
fn csv_field(f: &str, out: &mut String) {
    let neutralised;
    let f = if f.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        neutralised = format!("'{f}");
        neutralised.as_str()
    } else {
        f
    };
    if f.contains([',', '"', '\r', '\n']) {
        out.push('"');
        out.push_str(&f.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(f);
    }
}
