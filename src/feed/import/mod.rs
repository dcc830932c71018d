//! Reading events back in, for `timeline import`: an iCalendar file, ours
//! or any calendar app's ([`ics`]), or the JSON array `export --format
//! json` writes ([`json`]). Pure functions of the text and "now"; the
//! command reads the files and writes the store.
//!
//! Ids are stable per event, so importing a file twice adds nothing the
//! second time and a changed event is updated in place: our own export's
//! `UID:<id>@timeline` gives back `<id>`, any other `UID` is hashed into
//! an id ([`crate::events::uid_id`]), and JSON carries its ids. What a
//! re-import may change in a stored event is [`combine`]'s policy.

mod ics;
mod json;
mod lines;
#[cfg(test)]
mod tests;
mod values;

use std::fmt;

use chrono::NaiveDateTime;

use crate::events::{Event, Kind, Source, Status, When};

/// What a file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Ics,
    Json,
}

impl Format {
    /// The format a file's name says (`.ics`, `.ical`, `.ifb`, `.json`),
    /// else the one its text starts with (`BEGIN:VCALENDAR` or `[`).
    pub fn detect(name: &str, text: &str) -> Option<Format> {
        let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
        match ext.as_deref() {
            Some("ics" | "ical" | "ifb" | "icalendar") => return Some(Format::Ics),
            Some("json") => return Some(Format::Json),
            _ => {}
        }
        let start = text.trim_start();
        if start.starts_with('[') {
            return Some(Format::Json);
        }
        let first = start.lines().next().unwrap_or("").trim_end();
        first
            .eq_ignore_ascii_case("BEGIN:VCALENDAR")
            .then_some(Format::Ics)
    }
}

/// An event read from a file, with what the file stated about it: the
/// rest was inferred and must not overwrite what the store knows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Imported {
    pub event: Event,
    /// The file named the kind (a `CATEGORIES` entry, JSON's `kind`),
    /// rather than it being inferred from the date.
    pub kind_stated: bool,
    /// The file gave the TIMEX3 value (`X-TIMELINE-VALUE`, JSON's `value`).
    pub value_stated: bool,
    /// Where in the file it starts (1-based).
    pub line: usize,
}

/// A file's events, and what was skipped or guessed, for the user.
#[derive(Clone, Debug, Default)]
pub struct Read {
    pub events: Vec<Imported>,
    /// One line each: "line 12: skipped the cancelled event \"Standup\"".
    pub notes: Vec<String>,
}

/// Why a file cannot be imported: its line (1-based; 0 when none applies)
/// and what is wrong there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportError {
    pub line: usize,
    pub message: String,
}

impl ImportError {
    fn at(line: usize, message: impl Into<String>) -> ImportError {
        ImportError {
            line,
            message: message.into(),
        }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            0 => f.write_str(&self.message),
            n => write!(f, "line {n}: {}", self.message),
        }
    }
}

impl std::error::Error for ImportError {}

/// A file's bytes as text: UTF-8 (RFC 5545 and JSON both require it),
/// without a byte-order mark, and no NUL byte (a binary file).
pub fn decode(bytes: &[u8]) -> Result<&str, ImportError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = line_of(bytes, e.valid_up_to());
        ImportError::at(line, "not UTF-8 text")
    })?;
    if let Some(i) = memchr::memchr(0, bytes) {
        return Err(ImportError::at(
            line_of(bytes, i),
            "a NUL byte: this is not a text file",
        ));
    }
    Ok(text.strip_prefix('\u{feff}').unwrap_or(text))
}

/// The 1-based line of a byte offset.
fn line_of(bytes: &[u8], offset: usize) -> usize {
    memchr::memchr_iter(b'\n', &bytes[..offset.min(bytes.len())]).count() + 1
}

/// The events of a file's text. `file` names it in the sources of the
/// events a calendar app wrote; `now` is when they are added and what
/// tells a past event from a scheduled one.
pub fn read(
    text: &str,
    format: Format,
    file: &str,
    now: NaiveDateTime,
) -> Result<Read, ImportError> {
    match format {
        Format::Ics => ics::read(text, file, now),
        Format::Json => json::read(text, now),
    }
}

/// A stored event as a re-import leaves it: what the file says replaces
/// what it said before, but the user's own additions stay.
///
/// - title, time and place come from the file (a place only when it has
///   one); the stored value stays when the time did not change and the
///   file gave none, and so does the zone;
/// - the kind changes only when the file names one, or when the event
///   became (or stopped being) recurring: a guessed "past" never
///   overwrites the user's "meeting";
/// - notes, context and reminder stay when the file has none; tags are
///   the stored ones and the file's;
/// - a file can close an event, never reopen one the user closed (nor
///   a recurrence's occurrences done);
/// - sources the store lacks are added, and a calendar file's own source
///   (offsets 0..0) replaces the one the previous import of that file left;
/// - a change is stamped `modified = now`, one more edit.
pub fn combine(stored: &Event, new: &Imported, now: NaiveDateTime) -> Event {
    let n = &new.event;
    let mut e = stored.clone();
    // A file written by our export titles an event as the views do
    // ("ICWX 2026 · Camera-ready"); that is the stored title and context.
    if n.context.is_some() || n.title != stored.display_title() {
        e.title.clone_from(&n.title);
        e.context = n.context.clone().or(e.context);
    }
    let mut when = n.when.clone();
    // Occurrences done stay done: iCalendar does not say which are.
    if let (When::Recurring(r), When::Recurring(old)) = (&mut when, &stored.when) {
        if (&r.rule, r.start, r.time) == (&old.rule, old.start, old.time) {
            r.done_through = r.done_through.max(old.done_through);
        }
    }
    let same_time = when == stored.when;
    if !same_time || new.value_stated {
        e.when = when;
        e.value.clone_from(&n.value);
    }
    e.tz = match &n.tz {
        Some(tz) => Some(tz.clone()),
        None if same_time => e.tz,
        None => None,
    };
    let recurring = |w: &When| matches!(w, When::Recurring(_));
    if new.kind_stated || recurring(&n.when) != recurring(&stored.when) {
        e.kind = n.kind;
    }
    e.place = n.place.clone().or(e.place);
    e.notes = n.notes.clone().or(e.notes);
    e.remind = n.remind.clone().or(e.remind);
    for t in &n.tags {
        if !e.tags.iter().any(|x| x.eq_ignore_ascii_case(t)) {
            e.tags.push(t.clone());
        }
    }
    if n.status == Status::Done {
        e.status = Status::Done;
    }
    e.sources = combined_sources(&stored.sources, &n.sources);
    if e != *stored {
        e.modified = Some(now);
        e.edits = stored.edits.saturating_add(1);
    }
    e
}

/// The stored sources with the new ones they lack. A source is known when
/// one of the same file has the same sentence (an export's sources come
/// back without offsets) or the same place in the file. A 0..0 source of
/// a file the new sources come from, and that they no longer hold, was
/// the previous import's: it goes.
fn combined_sources(stored: &[Source], new: &[Source]) -> Vec<Source> {
    let same = |a: &Source, b: &Source| {
        a.file == b.file
            && (a.sentence == b.sentence
                || ((a.start, a.end) == (b.start, b.end) && a.start < a.end))
    };
    let mut out: Vec<Source> = stored
        .iter()
        .filter(|s| {
            let imported = s.start == 0 && s.end == 0;
            !imported || !new.iter().any(|n| n.file == s.file) || new.iter().any(|n| same(n, s))
        })
        .cloned()
        .collect();
    for s in new {
        if !out.iter().any(|k| same(k, s)) {
            out.push(s.clone());
        }
    }
    out
}

/// The kind of an event no category names: a recurrence recurs; a range
/// under way now is ongoing; otherwise the day decides.
fn kind_by_date(when: &When, now: NaiveDateTime) -> Kind {
    match when {
        When::Recurring(_) => Kind::Recurring,
        When::Range { start, end } if *start <= now.date() && now.date() < *end => Kind::Ongoing,
        w if w.start().is_some_and(|s| s.date() >= now.date()) => Kind::Scheduled,
        _ => Kind::Past,
    }
}

/// Whether a date can be stored: TOML dates hold the years 0000-9999.
fn storable(when: &When) -> bool {
    let fits = |t: Option<NaiveDateTime>| {
        t.is_none_or(|t| (0..=9999).contains(&chrono::Datelike::year(&t)))
    };
    fits(when.start()) && fits(when.end())
}
