//! The events of a whole document read into blocks: schedule rows by their
//! structure ([`rows`](super::rows)), prose by its clauses
//! ([`build`](super::build)), each kept with the document's subject and
//! pointing into the file the user has.

use std::collections::HashMap;

use chrono::{Duration, NaiveDateTime};

use super::build::events_from;
use super::rows::{apply_rule, deadline_rule, read_rows, row_kind, DeadlineRule, Row};
use crate::document::{dct, Block, BlockKind, Document};
use crate::engine::lexicon::Role;
use crate::engine::timex::Timex;
use crate::events::{event_id, when_value, Event, Kind, Source, Status, When};

/// Builds the events of a document from the timexes the engine found in
/// [`Document::text`]. `dated_by` says where the reference date came from:
/// a date in the title dates the document and is no event.
pub fn events_from_document(
    doc: &Document,
    dct: NaiveDateTime,
    dated_by: &dct::Source,
    timexes: &[Timex],
    file: &str,
    added: NaiveDateTime,
) -> Vec<Event> {
    let lex = crate::engine::english();
    let mut out: Vec<Event> = Vec::new();
    let mut prose: Vec<Timex> = Vec::new();
    let mut rule: Option<DeadlineRule> = None;
    let mut next = 0;
    for block in &doc.blocks {
        let begin = next + timexes[next..].partition_point(|t| t.start < block.range.start);
        let end = begin + timexes[begin..].partition_point(|t| t.start < block.range.end);
        next = end;
        let inside = &timexes[begin..end];
        if inside.is_empty() {
            continue;
        }
        if let Some(r) = deadline_rule(doc, block, inside, lex) {
            rule.get_or_insert(r);
            continue;
        }
        let is_title = matches!(block.kind, BlockKind::Heading(_))
            && *dated_by == dct::Source::Title
            && inside
                .iter()
                .any(|t| t.interval.is_some_and(|i| i.start.date() == dct.date()));
        if is_title {
            continue;
        }
        let row_like = block.kind.is_row() || matches!(block.kind, BlockKind::Heading(_));
        let rows = if row_like {
            read_rows(doc, block, inside, lex)
        } else {
            Vec::new()
        };
        if !rows.is_empty() {
            for row in &rows {
                let Some(e) = row_event(doc, block, row, dct, file, added) else {
                    continue;
                };
                // A dated heading in the past names notes or minutes of
                // that day, not something to track.
                let heading = matches!(block.kind, BlockKind::Heading(_));
                if heading && e.when.start().is_some_and(|s| s.date() < dct.date()) {
                    continue;
                }
                out.push(e);
            }
        } else if block.kind != BlockKind::Code {
            prose.extend(inside.iter().cloned());
        }
    }
    for mut e in events_from(&doc.text, dct, &prose, file, added) {
        // A whole year ("the 2025 edition", "since 2011", "up from last
        // year") is a qualifier or a baseline far more often than the
        // date of something a person tracks.
        if e.value.len() == 4 && e.value.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        // "Closing date for applications": the words of a deadline row.
        if e.kind == Kind::Scheduled && row_kind(&e.title, lex) == Some(Kind::Deadline) {
            e.kind = Kind::Deadline;
        }
        out.push(e);
    }
    let mut merged: Vec<Event> = Vec::with_capacity(out.len());
    let mut by_id: HashMap<String, usize> = HashMap::new();
    for mut e in out {
        for s in &mut e.sources {
            let (start, end) = (
                doc.file_offset(s.start),
                doc.file_offset(s.end.saturating_sub(1)) + 1,
            );
            s.start = start;
            s.end = end.max(start);
        }
        if let Some(context) = &doc.subject {
            e.context = Some(context.clone());
            e.id = event_id(&format!("{context}\u{1f}{}", e.title), &e.value);
        }
        if let (Some(r), Kind::Deadline) = (rule, e.kind) {
            if let Some(w) = apply_rule(&e.when, r) {
                e.value = when_value(&w);
                e.when = w;
            }
        }
        match by_id.get(&e.id) {
            Some(&i) => merged[i].sources.extend(e.sources),
            None => {
                by_id.insert(e.id.clone(), merged.len());
                merged.push(e);
            }
        }
    }
    merged
}

/// One event from a schedule row.
fn row_event(
    doc: &Document,
    block: &Block,
    row: &Row,
    dct: NaiveDateTime,
    file: &str,
    added: NaiveDateTime,
) -> Option<Event> {
    let first = row.dates[0];
    let last = row.dates[row.dates.len() - 1];
    let a = first.interval?;
    let b = last.interval?;
    let when = if let Some(t) = row.time {
        When::DateTime {
            at: t.interval?.start,
            offset: t.zone,
        }
    } else if row.dates.len() == 2 || a.end - a.start > Duration::days(1) {
        When::Range {
            start: a.start.date(),
            end: b.end.date(),
        }
    } else if first.value.contains('T') {
        When::DateTime {
            at: a.start,
            offset: first.zone,
        }
    } else {
        When::Date(a.start.date())
    };
    let value = when_value(&when);
    let ahead = when.start().is_some_and(|s| s.date() >= dct.date());
    let lex = crate::engine::english();
    let meeting = row
        .title
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| lex.get(w).is_some_and(|e| e.has(Role::MeetingCue)));
    let kind = match row.kind_hint {
        Some(k) => k,
        None if ahead && meeting => Kind::Meeting,
        None if ahead => Kind::Scheduled,
        None => Kind::Past,
    };
    let text = &doc.text[block.range.clone()];
    Some(Event {
        id: event_id(&row.title, &value),
        title: row.title.clone(),
        kind,
        when,
        value,
        place: None,
        context: None,
        status: Status::Open,
        added,
        notes: None,
        remind: None,
        sources: vec![Source {
            file: file.to_string(),
            sentence: text.split_whitespace().collect::<Vec<_>>().join(" "),
            start: first.start,
            end: last.end,
            timex: doc.text[first.start..last.end].to_string(),
        }],
    })
}
