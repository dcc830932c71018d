//! iCalendar files (RFC 5545) as events, parsed by the `icalendar` crate.
//!
//! Before the parser sees a file, its lines are checked here: every line
//! a `NAME:value` or `NAME;PARAM=…:value`, every `BEGIN` ended by its
//! `END`, nothing outside a component, nesting at most [`MAX_DEPTH`]
//! deep. That names the file's own line in an error (the parser counts
//! unfolded lines), keeps its recursion bounded, and lets a file hold
//! several calendars. Property names are upper-cased for the parser,
//! which unescapes TEXT values only under upper-case names.
//!
//! How a component becomes an event:
//!
//! - `VEVENT` (and `VTODO` with `DUE`, as a deadline); `STATUS:CANCELLED`
//!   and changed occurrences (`RECURRENCE-ID`) are skipped with a note;
//! - `DTSTART;VALUE=DATE` → a day, or a range when `DTEND` (exclusive) or
//!   `DURATION` is more than a day later; `…Z` → that UTC time, offset 0;
//!   `TZID=Europe/Vienna` → the wall time with the zone's offset then and
//!   `tz`; a TZID the tz database lacks takes the offset of the file's
//!   `VTIMEZONE` of that name, else stays floating (one note per name);
//! - `RRULE` → a recurrence from `DTSTART` (`EXDATE`/`RDATE` are not
//!   kept: a note says so);
//! - the first `CATEGORIES` entry naming a kind is the kind, the rest are
//!   tags; without one, a to-do is a deadline and a date decides the rest;
//! - the first `VALARM` whose `TRIGGER` is a lead before the start →
//!   `remind` (our export's 09:00-the-day-before alarm of an all-day event
//!   reads back as whole days; a deadline's 1-day alarm is every
//!   deadline's default, so it sets none);
//! - our own export (`UID:<id>@timeline`) gives back its ids, kinds,
//!   `X-TIMELINE-VALUE`, `X-TIMELINE-CONTEXT` and status, the offset its
//!   UTC times were converted from, and its description split back into
//!   notes and source sentences; a deadline's `VTODO` copy is skipped when
//!   its `VEVENT` is there.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use icalendar::parser::{read_calendar, unfold, Component, Property};

use super::{kind_by_date, storable, ImportError, Imported, Read};
use crate::engine::zone;
use crate::events::{event_id, uid_id, when_value, Event, Kind, Recurrence, Source, Status, When};

/// Components nested deeper than this are refused before parsing (the
/// parser recurses once per level); a calendar needs three: VCALENDAR,
/// VEVENT, VALARM.
const MAX_DEPTH: usize = 16;

/// What our export's alarm of an all-day event subtracts from its lead, so
/// that it fires at 09:00 rather than at midnight.
const MORNING: i64 = 9 * 3600;
const DAY: i64 = 86_400;

pub(super) fn read(text: &str, file: &str, now: NaiveDateTime) -> Result<Read, ImportError> {
    // The parser looks for CRLF first at every property, scanning to the
    // end of a file that has none; with CRLF everywhere it stays linear.
    let normalized = crlf(text);
    let unfolded = unfold(&normalized);
    let lines = lines(&normalized, &unfolded);
    let mut reader = Reader {
        file,
        now,
        read: Read::default(),
        found: Vec::new(),
        zone_names: HashMap::new(),
        unknown_zones: HashSet::new(),
        changed_occurrences: 0,
        exdates: 0,
    };
    for block in blocks(&lines)? {
        reader.block(&block)?;
    }
    Ok(reader.finish())
}

/// Every line end as CRLF, as RFC 5545 writes them.
fn crlf(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 32);
    let mut rest = text;
    while let Some(i) = rest.find(['\r', '\n']) {
        out.push_str(&rest[..i]);
        out.push_str("\r\n");
        let skip = if rest[i..].starts_with("\r\n") { 2 } else { 1 };
        rest = &rest[i + skip..];
    }
    out.push_str(rest);
    out
}

/// One unfolded content line and the file line it starts on (1-based).
struct Line<'t> {
    at: usize,
    text: &'t str,
}

/// The unfolded lines, each with its first physical line: a physical line
/// that starts with a space or tab continues the one before (RFC 5545
/// §3.1), as `unfold` joins them.
fn lines<'u>(normalized: &str, unfolded: &'u str) -> Vec<Line<'u>> {
    let mut starts = Vec::new();
    for (i, physical) in normalized.split("\r\n").enumerate() {
        if i == 0 || !physical.starts_with([' ', '\t']) {
            starts.push(i + 1);
        }
    }
    unfolded
        .split("\r\n")
        .enumerate()
        .map(|(i, text)| Line {
            at: starts.get(i).copied().unwrap_or(i + 1),
            text,
        })
        .collect()
}

/// One top-level component (a VCALENDAR, usually), rebuilt for the parser.
#[derive(Default)]
struct Block {
    lines: Vec<String>,
    /// The file line of each line.
    at: Vec<usize>,
    /// The components the parser will list: the calendar's children, or
    /// the block itself when it is no VCALENDAR; as ranges of `lines`.
    parts: Vec<Range<usize>>,
}

fn name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

/// A content line's name and the rest (from its `;` or `:` on).
fn split_name(text: &str) -> Option<(&str, &str)> {
    let end = text.bytes().position(|b| !name_byte(b))?;
    let (name, rest) = text.split_at(end);
    (!name.is_empty() && (rest.starts_with(';') || rest.starts_with(':')) && rest.contains(':'))
        .then_some((name, rest))
}

/// A line as an error quotes it: at most 60 characters.
fn snippet(text: &str) -> String {
    let cut: String = text.chars().take(60).collect();
    if cut.len() < text.len() {
        format!("{cut:?}…")
    } else {
        format!("{cut:?}")
    }
}

/// Checks the file's structure and cuts it into top-level components.
fn blocks(lines: &[Line<'_>]) -> Result<Vec<Block>, ImportError> {
    let mut out = Vec::new();
    let mut stack: Vec<(String, usize)> = Vec::new();
    let mut block = Block::default();
    let mut part_start = 0;
    for line in lines {
        let text = line.text;
        if text.trim().is_empty() {
            continue;
        }
        let (name, rest) = split_name(text).ok_or_else(|| {
            ImportError::at(
                line.at,
                format!("not an iCalendar line (NAME:value): {}", snippet(text)),
            )
        })?;
        let name = name.to_ascii_uppercase();
        let marker = (name == "BEGIN" || name == "END") && rest.starts_with(':');
        if !marker {
            if stack.is_empty() {
                return Err(ImportError::at(
                    line.at,
                    format!(
                        "{} is outside BEGIN:VCALENDAR … END:VCALENDAR",
                        snippet(text)
                    ),
                ));
            }
            block.lines.push(format!("{name}{rest}"));
            block.at.push(line.at);
            continue;
        }
        let component = rest[1..].trim();
        if component.is_empty() || !component.bytes().all(name_byte) {
            return Err(ImportError::at(
                line.at,
                format!("{name}: needs a component name, not {}", snippet(component)),
            ));
        }
        let component = component.to_ascii_uppercase();
        block.lines.push(format!("{name}:{component}"));
        block.at.push(line.at);
        if name == "BEGIN" {
            if stack.len() >= MAX_DEPTH {
                return Err(ImportError::at(
                    line.at,
                    format!("components nested more than {MAX_DEPTH} deep"),
                ));
            }
            stack.push((component, line.at));
            if stack.len() == 2 && stack[0].0 == "VCALENDAR" {
                part_start = block.lines.len() - 1;
            }
            continue;
        }
        match stack.pop() {
            None => {
                return Err(ImportError::at(
                    line.at,
                    format!("END:{component} without a BEGIN:{component}"),
                ))
            }
            Some((open, at)) if open != component => {
                return Err(ImportError::at(
                    line.at,
                    format!("END:{component}, but BEGIN:{open} (line {at}) is not ended"),
                ))
            }
            Some((open, _)) => match stack.as_slice() {
                [] => {
                    if open != "VCALENDAR" {
                        // A lone component is its own only part.
                        let whole = 0..block.lines.len();
                        block.parts = vec![whole];
                    }
                    out.push(std::mem::take(&mut block));
                }
                [(root, _)] if root == "VCALENDAR" => {
                    block.parts.push(part_start..block.lines.len());
                }
                _ => {}
            },
        }
    }
    if let Some((open, at)) = stack.last() {
        return Err(ImportError::at(
            *at,
            format!("BEGIN:{open} is never ended (no END:{open})"),
        ));
    }
    if out.is_empty() {
        return Err(ImportError::at(
            0,
            "no BEGIN:VCALENDAR: not an iCalendar file",
        ));
    }
    Ok(out)
}

/// One component the parser listed, with its lines for messages.
struct Part<'b> {
    block: &'b Block,
    range: Range<usize>,
}

impl Part<'_> {
    /// The file line of its `BEGIN`.
    fn begin(&self) -> usize {
        self.block.at.get(self.range.start).copied().unwrap_or(0)
    }

    /// The file line of its own property `name` (not a nested one's).
    fn line_of(&self, name: &str) -> usize {
        let mut depth = 0usize;
        for i in self.range.clone().skip(1) {
            let line = &self.block.lines[i];
            if line.starts_with("BEGIN:") {
                depth += 1;
            } else if line.starts_with("END:") {
                depth = depth.saturating_sub(1);
            } else if depth == 0 && split_name(line).is_some_and(|(n, _)| n == name) {
                return self.block.at[i];
            }
        }
        self.begin()
    }
}

/// An event found, before duplicates are dropped.
struct Found {
    imported: Imported,
    /// Our export's `VTODO` copy of a deadline.
    todo_copy: bool,
}

struct Reader<'f> {
    file: &'f str,
    now: NaiveDateTime,
    read: Read,
    found: Vec<Found>,
    /// TZID → the tz database's name for it, or none.
    zone_names: HashMap<String, Option<&'static str>>,
    unknown_zones: HashSet<String>,
    changed_occurrences: usize,
    exdates: usize,
}

/// A time as `DTSTART`, `DTEND` or `DUE` writes it.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Stamp {
    Day(NaiveDate),
    Utc(NaiveDateTime),
    /// Wall time, in the zone of its TZID or floating.
    Local(NaiveDateTime, Option<String>),
}

/// Where an event starts once its zone is known.
enum Start {
    Day(NaiveDate),
    Time {
        at: NaiveDateTime,
        offset: Option<i16>,
        tz: Option<String>,
    },
}

impl Reader<'_> {
    fn note(&mut self, line: usize, text: String) {
        self.read.notes.push(format!("line {line}: {text}"));
    }

    fn block(&mut self, block: &Block) -> Result<(), ImportError> {
        let mut text = block.lines.join("\r\n");
        text.push_str("\r\n");
        let cal = read_calendar(&text).map_err(|e| parser_error(&e, block))?;
        let zones: HashMap<String, &Component<'_>> = cal
            .components
            .iter()
            .filter(|c| c.name.as_str() == "VTIMEZONE")
            .filter_map(|c| Some((text_prop(c, "TZID")?, c)))
            .collect();
        for (i, c) in cal.components.iter().enumerate() {
            let part = Part {
                block,
                range: block.parts.get(i).cloned().unwrap_or(0..0),
            };
            match c.name.as_str() {
                "VEVENT" => self.component(c, &part, false, &zones)?,
                "VTODO" => self.component(c, &part, true, &zones)?,
                _ => {}
            }
        }
        Ok(())
    }

    fn component(
        &mut self,
        c: &Component<'_>,
        part: &Part<'_>,
        todo: bool,
        zones: &HashMap<String, &Component<'_>>,
    ) -> Result<(), ImportError> {
        let begin = part.begin();
        let summary = text_prop(c, "SUMMARY");
        let shown = summary.clone().unwrap_or_else(|| "(no title)".to_string());
        if prop(c, "RECURRENCE-ID").is_some() {
            self.changed_occurrences += 1;
            return Ok(());
        }
        let status = text_prop(c, "STATUS").map(|s| s.to_ascii_uppercase());
        if status.as_deref() == Some("CANCELLED") {
            self.note(begin, format!("skipped the cancelled event {shown:?}"));
            return Ok(());
        }
        let key = if todo { "DUE" } else { "DTSTART" };
        let Some(time) = prop(c, key) else {
            let what = if todo { "to-do" } else { "event" };
            self.note(
                begin,
                format!("skipped the {what} {shown:?}: it has no {key}"),
            );
            return Ok(());
        };
        let line = part.line_of(key);
        let stamp = stamp(time).ok_or_else(|| {
            ImportError::at(
                line,
                format!("{key} is not a date: {}", snippet(time.val.as_str())),
            )
        })?;
        let start = match stamp.clone() {
            Stamp::Day(d) => Start::Day(d),
            Stamp::Utc(at) => Start::Time {
                at,
                offset: Some(0),
                tz: None,
            },
            Stamp::Local(at, None) => Start::Time {
                at,
                offset: None,
                tz: None,
            },
            Stamp::Local(at, Some(tzid)) => {
                let (offset, tz) = self.zone(&tzid, at, zones, line);
                Start::Time { at, offset, tz }
            }
        };

        let own = text_prop(c, "UID").map(|uid| own_id(&uid, todo).ok_or(uid));
        let x_value = prop(c, "X-TIMELINE-VALUE")
            .map(|p| p.val.as_str().trim().to_string())
            .filter(|v| !v.is_empty());
        let (when, tz) = match (prop(c, "RRULE"), start) {
            (Some(rule), start) => {
                let (day, time, tz) = match start {
                    Start::Day(d) => (d, None, None),
                    // A recurrence keeps no offset: its zone says it, UTC too.
                    Start::Time { at, offset, tz } => {
                        let tz = tz.or_else(|| (offset == Some(0)).then(|| "UTC".to_string()));
                        (at.date(), Some(at.time()), tz)
                    }
                };
                if prop(c, "EXDATE").is_some() || prop(c, "RDATE").is_some() {
                    self.exdates += 1;
                }
                match recurrence(rule.val.as_str(), day, time) {
                    Ok(r) => (When::Recurring(r), tz),
                    Err(e) => {
                        let at = part.line_of("RRULE");
                        self.note(at, format!("skipped {shown:?}: {e}"));
                        return Ok(());
                    }
                }
            }
            (None, Start::Day(d)) => {
                let end = if todo { None } else { end_day(c, d) };
                match end {
                    Some(end) if end > d.succ_opt().unwrap_or(d) => {
                        (When::Range { start: d, end }, None)
                    }
                    _ => (When::Date(d), None),
                }
            }
            (None, Start::Time { at, offset, tz }) => {
                // Our export writes a known offset as UTC; its value keeps
                // the wall time, so the offset comes back.
                let recovered = match (&stamp, &own, x_value.as_deref()) {
                    (Stamp::Utc(utc), Some(Ok(_)), Some(v)) => offset_from_value(*utc, v),
                    _ => None,
                };
                let when = match recovered {
                    Some((wall, minutes)) => When::DateTime {
                        at: wall,
                        offset: Some(minutes),
                    },
                    None => When::DateTime { at, offset },
                };
                (when, tz)
            }
        };
        if !storable(&when) {
            self.note(
                begin,
                format!("skipped {shown:?}: its year cannot be stored"),
            );
            return Ok(());
        }

        let (kind_stated, tags) = kind_and_tags(c);
        let kind = kind_stated.unwrap_or(if todo {
            Kind::Deadline
        } else {
            kind_by_date(&when, self.now)
        });
        let computed = when_value(&when);
        let value = x_value.filter(|v| value_fits(v, &when, &computed));
        let value_stated = value.is_some();
        let value = value.unwrap_or(computed);

        let ours = own.as_ref().is_some_and(Result::is_ok);
        let context = ours
            .then(|| prop(c, "X-TIMELINE-CONTEXT"))
            .flatten()
            .map(|p| unescape(p.val.as_str().trim()))
            .filter(|s| !s.is_empty());
        let mut title = summary.unwrap_or_else(|| "(no title)".to_string());
        if let Some(rest) = context
            .as_ref()
            .and_then(|ctx| title.strip_prefix(&format!("{ctx} · ")))
        {
            title = rest.to_string();
        }
        let id = match &own {
            Some(Ok(id)) => id.clone(),
            Some(Err(uid)) => uid_id(uid),
            None => event_id(&title, &value),
        };
        let description = text_prop(c, "DESCRIPTION");
        let (notes, sources) = if ours {
            split_description(description.as_deref())
        } else {
            let source = Source {
                file: self.file.to_string(),
                sentence: title.clone(),
                start: 0,
                end: 0,
                timex: time.val.as_str().trim().to_string(),
            };
            (description, vec![source])
        };
        let done = text_prop(c, "X-TIMELINE-STATUS")
            .is_some_and(|s| s.eq_ignore_ascii_case("done"))
            || todo && (status.as_deref() == Some("COMPLETED") || prop(c, "COMPLETED").is_some());
        let all_day = match &when {
            When::DateTime { .. } => false,
            When::Recurring(r) => r.time.is_none(),
            _ => true,
        };
        let remind = alarm_lead(c)
            .map(|lead| remind_text(lead, all_day))
            .filter(|r| !(kind == Kind::Deadline && r == "1d"));
        let event = Event {
            id,
            title,
            kind,
            when,
            value,
            place: text_prop(c, "LOCATION"),
            context,
            status: if done { Status::Done } else { Status::Open },
            added: self.now,
            notes,
            remind,
            tags,
            tz,
            modified: None,
            edits: 0,
            sources,
        };
        self.found.push(Found {
            imported: Imported {
                event,
                kind_stated: kind_stated.is_some(),
                value_stated,
                line: begin,
            },
            todo_copy: todo && ours,
        });
        Ok(())
    }

    /// The offset and IANA name of a TZID at wall time `at`.
    fn zone(
        &mut self,
        tzid: &str,
        at: NaiveDateTime,
        zones: &HashMap<String, &Component<'_>>,
        line: usize,
    ) -> (Option<i16>, Option<String>) {
        let name = *self
            .zone_names
            .entry(tzid.to_string())
            .or_insert_with(|| zone_name(tzid));
        if let Some(name) = name {
            return (zone::offset_at(name, at), Some(name.to_string()));
        }
        let vtimezone = zones.get(tzid).or_else(|| {
            zones
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(tzid))
                .map(|(_, v)| v)
        });
        if let Some(offset) = vtimezone.and_then(|z| vtimezone_offset(z, at)) {
            return (Some(offset), None);
        }
        if self.unknown_zones.insert(tzid.to_string()) {
            self.note(
                line,
                format!(
                    "unknown time zone {tzid:?} and no VTIMEZONE for it: its times are kept \
                     as floating wall-clock times"
                ),
            );
        }
        (None, None)
    }

    /// Drops our export's to-do copies of deadlines whose event is there
    /// too, and every id after its first; notes what was left out.
    fn finish(mut self) -> Read {
        let events: HashSet<String> = self
            .found
            .iter()
            .filter(|f| !f.todo_copy)
            .map(|f| f.imported.event.id.clone())
            .collect();
        let mut seen: HashMap<String, usize> = HashMap::new();
        for f in std::mem::take(&mut self.found) {
            let e = &f.imported;
            if f.todo_copy && events.contains(&e.event.id) {
                continue;
            }
            if let Some(first) = seen.get(&e.event.id) {
                let text = format!(
                    "skipped {:?}: the event of line {first} has the same UID",
                    e.event.title
                );
                self.note(e.line, text);
                continue;
            }
            seen.insert(e.event.id.clone(), e.line);
            self.read.events.push(f.imported);
        }
        if self.changed_occurrences > 0 {
            self.read.notes.push(format!(
                "ignored {} changed occurrence(s) of recurring events (RECURRENCE-ID): \
                 their series keep the rule's times",
                self.changed_occurrences
            ));
        }
        if self.exdates > 0 {
            self.read.notes.push(format!(
                "{} recurring event(s) have EXDATE or RDATE, which are not kept: they \
                 show every occurrence of their rule",
                self.exdates
            ));
        }
        self.read
    }
}

/// The parser's complaint, at the file's line.
fn parser_error(e: &str, block: &Block) -> ImportError {
    let line = e
        .split("at line ")
        .nth(1)
        .and_then(|rest| {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            digits.parse::<usize>().ok()
        })
        .and_then(|n| n.checked_sub(1));
    match line.and_then(|i| Some((block.at.get(i)?, block.lines.get(i)?))) {
        Some((at, text)) => ImportError::at(
            *at,
            format!("the iCalendar parser cannot read {}", snippet(text)),
        ),
        None => ImportError::at(
            block.at.first().copied().unwrap_or(0),
            format!(
                "the iCalendar parser cannot read this calendar: {}",
                e.lines().take(2).collect::<Vec<_>>().join(" ")
            ),
        ),
    }
}

fn prop<'c, 'a>(c: &'c Component<'a>, name: &str) -> Option<&'c Property<'a>> {
    c.properties.iter().find(|p| p.name.as_str() == name)
}

fn param<'p>(p: &'p Property<'_>, key: &str) -> Option<&'p str> {
    p.params
        .iter()
        .find(|x| x.key.as_str().eq_ignore_ascii_case(key))
        .and_then(|x| x.val.as_ref())
        .map(|v| v.as_str().trim_matches('"'))
}

/// A TEXT property's value (the parser unescaped it), trimmed; `None`
/// when absent or blank.
fn text_prop(c: &Component<'_>, name: &str) -> Option<String> {
    prop(c, name)
        .map(|p| p.val.as_str().trim().to_string())
        .filter(|s| !s.is_empty())
}

/// Reverses TEXT escaping (RFC 5545 §3.3.11), for the properties the
/// parser leaves as written: `\n` is a line break; `\,`, `\;` and `\\`
/// the character.
fn unescape(s: &str) -> String {
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
fn split_list(raw: &str) -> Vec<String> {
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
fn kind_and_tags(c: &Component<'_>) -> (Option<Kind>, Vec<String>) {
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
fn own_id(uid: &str, todo: bool) -> Option<String> {
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
fn day_of(v: &str) -> Option<NaiveDate> {
    if v.len() != 8 || !v.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n = |r: Range<usize>| v[r].parse::<u32>().ok();
    NaiveDate::from_ymd_opt(i32::try_from(n(0..4)?).ok()?, n(4..6)?, n(6..8)?)
}

/// `YYYYMMDDTHHMMSS` as a date-time (a leap second as :59).
fn time_of(v: &str) -> Option<NaiveDateTime> {
    let (date, time) = v.split_once(['T', 't'])?;
    if time.len() != 6 || !time.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n = |r: Range<usize>| time[r].parse::<u32>().ok();
    let t = NaiveTime::from_hms_opt(n(0..2)?, n(2..4)?, n(4..6)?.min(59))?;
    Some(day_of(date)?.and_time(t))
}

/// A `DTSTART`/`DTEND`/`DUE` value; `None` when it is no date.
fn stamp(p: &Property<'_>) -> Option<Stamp> {
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
fn end_day(c: &Component<'_>, start: NaiveDate) -> Option<NaiveDate> {
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
fn zone_name(tzid: &str) -> Option<&'static str> {
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
fn vtimezone_offset(tz: &Component<'_>, at: NaiveDateTime) -> Option<i16> {
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
fn last_onset(rule: &str, start: NaiveDateTime, at: NaiveDateTime) -> Option<NaiveDateTime> {
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
fn utc_offset(s: &str) -> Option<i16> {
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
fn recurrence(rule: &str, day: NaiveDate, time: Option<NaiveTime>) -> Result<Recurrence, String> {
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
fn duration_seconds(s: &str) -> Option<i64> {
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
fn alarm_lead(c: &Component<'_>) -> Option<i64> {
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
fn remind_text(lead: i64, all_day: bool) -> String {
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
fn offset_from_value(utc: NaiveDateTime, value: &str) -> Option<(NaiveDateTime, i16)> {
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
fn value_fits(value: &str, when: &When, computed: &str) -> bool {
    match when {
        When::Recurring(_) => value.starts_with("XXXX") || value.starts_with('P'),
        _ => computed.starts_with(value),
    }
}

/// Our export's description: the notes, then each source sentence with
/// "(from FILE)" under it, paragraphs apart.
fn split_description(text: Option<&str>) -> (Option<String>, Vec<Source>) {
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
