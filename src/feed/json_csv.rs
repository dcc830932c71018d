//! The tracked events as a JSON array and as CSV, for scripts and
//! spreadsheets. Pure functions of the events, like the iCalendar export.

use super::ical::next_day;
use crate::events::{Event, Source, When};
use chrono::{Duration, NaiveDate, NaiveDateTime};
use serde::Serialize;

/// One event in the JSON export. The shape is stable: fields may be added,
/// never renamed.
#[derive(Serialize)]
struct JsonEvent<'a> {
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
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    tags: &'a [String],
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
    sources: &'a [Source],
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
    let rows: Vec<JsonEvent> = events
        .iter()
        .map(|ev| {
            let (start, end) = iso_bounds(&ev.when);
            let recurrence = match &ev.when {
                When::Recurring(r) => Some(r),
                _ => None,
            };
            let first = recurrence.and_then(|r| {
                let day = r.start?;
                Some(match r.time {
                    Some(t) => day.and_time(t).format("%Y-%m-%dT%H:%M:%S").to_string(),
                    None => day.format("%Y-%m-%d").to_string(),
                })
            });
            JsonEvent {
                id: &ev.id,
                title: &ev.title,
                kind: ev.kind.name(),
                place: ev.place.as_deref(),
                value: &ev.value,
                start,
                end,
                status: ev.status.name(),
                added: ev.added.format("%Y-%m-%dT%H:%M:%S").to_string(),
                notes: ev.notes.as_deref(),
                remind: ev.remind.as_deref(),
                context: ev.context.as_deref(),
                tags: &ev.tags,
                tz: ev.tz.as_deref(),
                rrule: recurrence.and_then(|r| r.rule.as_deref()),
                first,
                done_through: recurrence
                    .and_then(|r| r.done_through)
                    .map(|d| d.format("%Y-%m-%d").to_string()),
                sources: &ev.sources,
            }
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&rows).expect("events serialize");
    out.push('\n');
    out
}

/// ISO 8601 start and exclusive end of a `When`.
fn iso_bounds(when: &When) -> (Option<String>, Option<String>) {
    let date = |d: &NaiveDate| d.format("%Y-%m-%d").to_string();
    match when {
        When::Date(d) => (Some(date(d)), Some(date(&next_day(*d)))),
        When::Range { start, end } => (Some(date(start)), Some(date(end))),
        When::DateTime { at, offset } => {
            let zone = offset.map(offset_text).unwrap_or_default();
            let fmt = |t: NaiveDateTime| format!("{}{zone}", t.format("%Y-%m-%dT%H:%M:%S"));
            (Some(fmt(*at)), Some(fmt(*at + Duration::minutes(1))))
        }
        When::Recurring(_) => (None, None),
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
    let mut out = String::from("id,title,kind,where,value,start,end,status\r\n");
    for ev in events {
        let (start, end) = iso_bounds(&ev.when);
        let fields = [
            ev.id.as_str(),
            ev.title.as_str(),
            ev.kind.name(),
            ev.place.as_deref().unwrap_or(""),
            ev.value.as_str(),
            start.as_deref().unwrap_or(""),
            end.as_deref().unwrap_or(""),
            ev.status.name(),
        ];
        for (i, f) in fields.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            csv_field(f, &mut out);
        }
        out.push_str("\r\n");
    }
    out
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
