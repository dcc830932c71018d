//! iCalendar files (RFC 5545) as events, parsed by the `icalendar` crate
//! after [`super::lines`] has checked the file's lines.
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

use chrono::{NaiveDate, NaiveDateTime};
use icalendar::parser::{read_calendar, unfold, Component};

use super::lines::{blocks, crlf, lines, parser_error, snippet, Block, Part};
use super::values::{
    alarm_lead, end_day, kind_and_tags, offset_from_value, own_id, prop, recurrence, remind_text,
    split_description, stamp, text_prop, unescape, value_fits, vtimezone_offset, zone_name, Stamp,
};
use super::{kind_by_date, storable, ImportError, Imported, Read};
use crate::engine::zone;
use crate::events::{event_id, uid_id, when_value, Event, Kind, Source, Status, When};

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
