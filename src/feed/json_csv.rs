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
/// never renamed. [`write_json`] writes it by hand; its serde form is what
/// the tests hold that writer to.
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

/// The events as serde_json writes them: what [`write_json`] writes by
/// hand, which the tests hold it to.
#[cfg(test)]
struct Array<'a, E>(&'a [&'a E]);

#[cfg(test)]
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

/// [`to_json`] of `events`, written to `out` as it is made: by hand, in
/// the bytes serde_json's pretty printer writes for [`JsonEvent`]s (its
/// string escapes and per-field calls were half of a 100,000-event view's
/// instructions), handed on in 64 KiB pieces.
pub fn write_json<E: ExportEvent>(events: &[&E], out: &mut dyn Write) -> io::Result<()> {
    const PIECE: usize = 1 << 16;
    let mut buf = Vec::with_capacity(PIECE + 4096);
    buf.push(b'[');
    for (k, ev) in events.iter().enumerate() {
        buf.extend_from_slice(if k == 0 { b"\n" } else { b",\n" });
        push_event(&mut buf, &JsonEvent::of(*ev));
        if buf.len() >= PIECE {
            out.write_all(&buf)?;
            buf.clear();
        }
    }
    buf.extend_from_slice(if events.is_empty() { b"]\n" } else { b"\n]\n" });
    out.write_all(&buf)?;
    out.flush()
}

/// The fields of one JSON object being written, each on its own line at
/// the object's depth (`indent`: a line break and the spaces before a key).
struct Object<'b> {
    buf: &'b mut Vec<u8>,
    indent: &'static [u8],
    empty: bool,
}

impl<'b> Object<'b> {
    fn new(buf: &'b mut Vec<u8>, indent: &'static [u8]) -> Object<'b> {
        buf.push(b'{');
        Object {
            buf,
            indent,
            empty: true,
        }
    }

    fn key(&mut self, name: &str) -> &mut Vec<u8> {
        if !std::mem::replace(&mut self.empty, false) {
            self.buf.push(b',');
        }
        self.buf.extend_from_slice(self.indent);
        self.buf.push(b'"');
        self.buf.extend_from_slice(name.as_bytes());
        self.buf.extend_from_slice(b"\": ");
        self.buf
    }

    fn str(&mut self, name: &str, value: &str) {
        push_json_str(self.key(name), value);
    }

    /// A field written `null` when absent.
    fn nullable(&mut self, name: &str, value: Option<&str>) {
        match value {
            Some(v) => self.str(name, v),
            None => self.key(name).extend_from_slice(b"null"),
        }
    }

    /// A field left out when absent.
    fn optional(&mut self, name: &str, value: Option<&str>) {
        if let Some(v) = value {
            self.str(name, v);
        }
    }

    fn number(&mut self, name: &str, n: usize) {
        let mut digits = [0u8; 20];
        let text = crate::engine::resolve::decimal(n as u64, &mut digits);
        self.key(name).extend_from_slice(text);
    }

    /// Ends the object, its brace at the depth `close` gives.
    fn end(self, close: &[u8]) {
        if !self.empty {
            self.buf.extend_from_slice(close);
        }
        self.buf.push(b'}');
    }
}

/// One event as an element of the top array, as serde_json's pretty
/// printer writes it (two spaces a level).
fn push_event<E: ExportEvent>(buf: &mut Vec<u8>, ev: &JsonEvent<'_, E>) {
    buf.extend_from_slice(b"  ");
    let mut o = Object::new(buf, b"\n    ");
    o.str("id", ev.id);
    o.str("title", ev.title);
    o.str("kind", ev.kind);
    o.nullable("where", ev.place);
    o.str("value", ev.value);
    o.nullable("start", ev.start.as_deref());
    o.nullable("end", ev.end.as_deref());
    o.str("status", ev.status);
    o.str("added", &ev.added);
    o.optional("notes", ev.notes);
    o.optional("remind", ev.remind);
    o.optional("context", ev.context);
    if !ev.tags.is_empty() {
        let buf = o.key("tags");
        buf.push(b'[');
        for (k, tag) in ev.tags.0.tags().enumerate() {
            next_item(buf, k);
            push_json_str(buf, tag);
        }
        buf.extend_from_slice(b"\n    ]");
    }
    o.optional("tz", ev.tz);
    o.optional("rrule", ev.rrule);
    o.optional("first", ev.first.as_deref());
    o.optional("done_through", ev.done_through.as_deref());
    let buf = o.key("sources");
    buf.push(b'[');
    let mut any = false;
    for (k, s) in ev.sources.0.source_spans().enumerate() {
        next_item(buf, k);
        let mut source = Object::new(buf, b"\n        ");
        source.str("file", s.file);
        source.str("sentence", s.sentence);
        source.number("start", s.start);
        source.number("end", s.end);
        source.str("timex", s.timex);
        source.end(b"\n      ");
        any = true;
    }
    if any {
        buf.extend_from_slice(b"\n    ");
    }
    buf.push(b']');
    o.end(b"\n  ");
}

/// Starts item `k` of an array inside an event, on its own line.
fn next_item(buf: &mut Vec<u8>, k: usize) {
    buf.extend_from_slice(if k == 0 { b"\n      " } else { b",\n      " });
}

/// The bytes a JSON string escapes: control characters, `"` and `\`.
const NEEDS_ESCAPE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = true;
        b += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table
};

/// A JSON string with the escapes serde_json writes: `"`, `\` and control
/// characters; everything else, UTF-8 included, as it is.
pub fn push_json_str(buf: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    buf.push(b'"');
    let bytes = s.as_bytes();
    let mut plain = 0;
    // Nearly every string has nothing to escape: find the next byte that
    // needs one (one table look-up a byte), copy what is before it.
    while let Some(k) = bytes[plain..]
        .iter()
        .position(|&b| NEEDS_ESCAPE[usize::from(b)])
    {
        let k = plain + k;
        buf.extend_from_slice(&bytes[plain..k]);
        plain = k + 1;
        let b = bytes[k];
        let short = match b {
            b'"' => b'"',
            b'\\' => b'\\',
            b'\n' => b'n',
            b'\r' => b'r',
            b'\t' => b't',
            0x08 => b'b',
            0x0c => b'f',
            _ => b'u',
        };
        if short == b'u' {
            buf.extend_from_slice(b"\\u00");
            buf.push(HEX[usize::from(b >> 4)]);
            buf.push(HEX[usize::from(b & 0xf)]);
        } else {
            buf.extend_from_slice(&[b'\\', short]);
        }
    }
    buf.extend_from_slice(&bytes[plain..]);
    buf.push(b'"');
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::{Kind, Recurrence, Source};

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|d| d.and_hms_opt(h, min, 0))
            .expect("a date")
    }

    fn event(title: &str, when: When) -> Event {
        Event::new(title, Kind::Deadline, when, at(2014, 10, 14, 9, 30))
    }

    /// Every optional field present and absent, zero to three sources,
    /// tags, each kind of `When`, and strings with every byte JSON escapes.
    fn shapes() -> Vec<Event> {
        let day = |d| NaiveDate::from_ymd_opt(2014, 11, d).expect("a day");
        let hard: String = (0u8..0x80)
            .map(char::from)
            .chain(['é', '’', '🎉'])
            .collect();
        let mut all = vec![
            event("Plain", When::Date(day(24))),
            event(
                "Timed",
                When::DateTime {
                    at: at(2014, 10, 15, 15, 0),
                    offset: Some(-300),
                },
            ),
            event(
                "Floating",
                When::DateTime {
                    at: at(2014, 10, 17, 10, 30),
                    offset: None,
                },
            ),
            event(
                "Span",
                When::Range {
                    start: day(1),
                    end: day(3),
                },
            ),
            event(
                "Weekly",
                When::Recurring(Recurrence::of_timex("XXXX-WXX-1", None, day(3))),
            ),
            event(&hard, When::Date(day(30))),
        ];
        all[0].place = Some("Room \"4\"\\B".to_string());
        all[0].tags = vec!["q4".to_string(), hard.clone()];
        all[1].notes = Some("line one\nline two\r\n\ttab".to_string());
        all[1].remind = Some("2h".to_string());
        all[1].context = Some("Budget 2015".to_string());
        all[1].tz = Some("America/New_York".to_string());
        if let When::Recurring(r) = &mut all[4].when {
            r.done_through = Some(day(10));
        }
        for (k, e) in all.iter_mut().enumerate() {
            for n in 0..k % 4 {
                e.sources.push(Source {
                    file: format!("doc {n}.txt"),
                    sentence: format!("Sentence {n} of {}, \"quoted\".", e.title),
                    start: 10 * n,
                    end: 10 * n + 7,
                    timex: format!("Nov. {n}"),
                });
            }
        }
        all
    }

    #[test]
    fn json_is_written_as_serde_writes_it() {
        let events = shapes();
        for n in 0..=events.len() {
            let refs: Vec<&Event> = events[..n].iter().collect();
            let mine = to_json(&events[..n]);
            let mut theirs = serde_json::to_vec_pretty(&Array(&refs)).expect("serializes");
            theirs.push(b'\n');
            assert_eq!(
                mine,
                String::from_utf8(theirs).expect("UTF-8"),
                "{n} events"
            );
        }
    }
}
