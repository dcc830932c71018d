//! Scoring events against what a careful reader wrote down: a folder of
//! documents, each with `<name>.events.toml` beside it (the format is in
//! `tests/documents/README.md`).
//!
//! An extracted event matches a gold event when its date (or range) is the
//! gold one and its title holds the gold keyword; pairs are one-to-one.
//! Precision counts every extracted event, so a gold file lists everything
//! a reader would write down and nothing else.

use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;
use serde::Deserialize;

use super::document::events_from_document;
use super::{Event, Kind, When};
use crate::document::{self, dct, Document};
use crate::engine::Extractor;

/// The gold events of one document.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Gold {
    /// The reference date to run with, as `--dct` gives it.
    pub dct: Option<String>,
    /// The reference date the reader must find in the document.
    pub expect_dct: Option<String>,
    /// The document's subject, expected on its events.
    pub context: Option<String>,
    #[serde(default)]
    pub event: Vec<GoldEvent>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoldEvent {
    pub when: String,
    pub kind: String,
    /// Keywords, any of which the title must hold: "abstract|summary".
    pub title: String,
    #[serde(rename = "where")]
    pub place: Option<String>,
}

/// Counts over one or more documents.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub documents: usize,
    pub gold: usize,
    pub extracted: usize,
    /// Pairs with the date and a title keyword.
    pub matched: usize,
    /// Gold events found with the right date but no keyword in the title.
    pub date_only: usize,
    pub kind_right: usize,
    pub gold_places: usize,
    pub places_right: usize,
    pub gold_deadlines: usize,
    pub deadlines_found: usize,
    pub dct_expected: usize,
    pub dct_right: usize,
    pub context_expected: usize,
    pub context_right: usize,
}

impl Counts {
    pub fn add(&mut self, o: &Counts) {
        self.documents += o.documents;
        self.gold += o.gold;
        self.extracted += o.extracted;
        self.matched += o.matched;
        self.date_only += o.date_only;
        self.kind_right += o.kind_right;
        self.gold_places += o.gold_places;
        self.places_right += o.places_right;
        self.gold_deadlines += o.gold_deadlines;
        self.deadlines_found += o.deadlines_found;
        self.dct_expected += o.dct_expected;
        self.dct_right += o.dct_right;
        self.context_expected += o.context_expected;
        self.context_right += o.context_right;
    }

    pub fn precision(&self) -> f64 {
        ratio(self.matched, self.extracted)
    }

    pub fn recall(&self) -> f64 {
        ratio(self.matched, self.gold)
    }

    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    /// Of the gold events found at the right date, how many have a title
    /// holding the keyword.
    pub fn title_rate(&self) -> f64 {
        ratio(self.matched, self.matched + self.date_only)
    }

    pub fn kind_accuracy(&self) -> f64 {
        ratio(self.kind_right, self.matched)
    }

    pub fn place_accuracy(&self) -> f64 {
        ratio(self.places_right, self.gold_places)
    }

    pub fn deadline_recall(&self) -> f64 {
        ratio(self.deadlines_found, self.gold_deadlines)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// What went wrong on one gold event, for `--errors`.
#[derive(Clone, Debug)]
pub struct Miss {
    pub file: String,
    pub gold: GoldEvent,
    /// The event found at that date, if any (its title lacked the keyword).
    pub nearest: Option<String>,
}

/// The score of one document.
#[derive(Clone, Debug)]
pub struct DocScore {
    pub file: String,
    pub counts: Counts,
    pub misses: Vec<Miss>,
    /// Extracted events that match no gold event.
    pub extra: Vec<String>,
}

/// The documents under `dir` that have a gold file, sorted by path.
pub fn gold_pairs(dir: &Path) -> std::io::Result<Vec<(PathBuf, PathBuf)>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if name.ends_with(".events.toml") {
                continue;
            }
            let Some(stem) = name.rsplit_once('.').map(|(s, _)| s) else {
                continue;
            };
            let gold = path.with_file_name(format!("{stem}.events.toml"));
            if gold.is_file() {
                out.push((path, gold));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Reads, extracts and scores one document against its gold file.
/// `today` is the fallback reference date and the events' `added` time.
pub fn score_document(
    doc_path: &Path,
    gold_path: &Path,
    today: NaiveDateTime,
) -> Result<DocScore, String> {
    let name = doc_path.display().to_string();
    let gold_text =
        std::fs::read_to_string(gold_path).map_err(|e| format!("{}: {e}", gold_path.display()))?;
    let gold: Gold =
        toml::from_str(&gold_text).map_err(|e| format!("{}: {e}", gold_path.display()))?;
    let bytes = std::fs::read(doc_path).map_err(|e| format!("{name}: {e}"))?;
    let read = document::read(&bytes, &name, None).map_err(|e| e.to_string())?;
    let format =
        document::Format::from_extension(&name).unwrap_or_else(|| document::Format::sniff(&bytes));
    let raw = String::from_utf8_lossy(&bytes);
    let flag = match &gold.dct {
        Some(s) => Some(dct::parse(s).map_err(|e| format!("{}: dct: {e}", gold_path.display()))?),
        None => None,
    };
    let (at, source) = match flag {
        Some(t) => (t, dct::Source::Flag),
        None => dct::for_document(&read, &raw, format, today),
    };
    let events = extract_events(&read, at, &source, &name, today);
    let mut counts = compare(&gold, &events);
    counts.documents = 1;
    if let Some(expect) = &gold.expect_dct {
        counts.dct_expected = 1;
        let want =
            dct::parse(expect).map_err(|e| format!("{}: expect_dct: {e}", gold_path.display()))?;
        counts.dct_right = usize::from(want.date() == at.date());
    }
    if let Some(c) = &gold.context {
        counts.context_expected = 1;
        counts.context_right = usize::from(
            read.subject
                .as_deref()
                .is_some_and(|s| s.to_lowercase().contains(&c.to_lowercase())),
        );
    }
    let (misses, extra) = explain(&gold, &events, &name);
    Ok(DocScore {
        file: name,
        counts,
        misses,
        extra,
    })
}

fn extract_events(
    doc: &Document,
    at: NaiveDateTime,
    source: &dct::Source,
    name: &str,
    added: NaiveDateTime,
) -> Vec<Event> {
    let blocks = doc.engine_blocks();
    let found = Extractor::default().extract_blocks(&doc.text, at, blocks);
    events_from_document(doc, at, source, &found, name, added)
}

/// Whether an event's time is the gold `when`: the same day (any time of
/// it, unless the gold gives one), the same range, or the same value.
fn same_when(e: &Event, want: &str) -> bool {
    if e.value == want {
        return true;
    }
    match (&e.when, want.split_once('/')) {
        (When::Range { start, end }, Some((a, b))) => {
            let last = *end - chrono::Duration::days(1);
            start.to_string() == a && last.to_string() == b
        }
        (When::Date(d), None) => d.to_string() == want,
        (When::DateTime { at, .. }, None) => {
            if want.contains('T') {
                at.format("%Y-%m-%dT%H:%M").to_string() == want
            } else {
                at.date().to_string() == want
            }
        }
        _ => false,
    }
}

/// The longest title a reader accepts, in words: a headline, not a clause.
pub const MAX_TITLE_WORDS: usize = 12;

fn has_keyword(e: &Event, keywords: &str) -> bool {
    // A clause of twenty words holds every keyword; it is not a title.
    if e.title.split_whitespace().count() > MAX_TITLE_WORDS || e.title.ends_with('…') {
        return false;
    }
    let title = e.title.to_lowercase();
    keywords
        .split('|')
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .any(|k| title.contains(&k.to_lowercase()))
}

/// Pairs gold and extracted events one to one: first by date and keyword,
/// then by date alone (those count against titles, not as matches).
fn pair(gold: &Gold, events: &[Event]) -> (Vec<Option<usize>>, Vec<Option<usize>>) {
    let mut used = vec![false; events.len()];
    let mut full = vec![None; gold.event.len()];
    for (g, ge) in gold.event.iter().enumerate() {
        if let Some(i) = (0..events.len()).find(|&i| {
            !used[i] && same_when(&events[i], &ge.when) && has_keyword(&events[i], &ge.title)
        }) {
            used[i] = true;
            full[g] = Some(i);
        }
    }
    let mut dated = vec![None; gold.event.len()];
    for (g, ge) in gold.event.iter().enumerate() {
        if full[g].is_some() {
            continue;
        }
        if let Some(i) = (0..events.len()).find(|&i| !used[i] && same_when(&events[i], &ge.when)) {
            used[i] = true;
            dated[g] = Some(i);
        }
    }
    (full, dated)
}

/// The counts of one document's events against its gold.
pub fn compare(gold: &Gold, events: &[Event]) -> Counts {
    let (full, dated) = pair(gold, events);
    let mut c = Counts {
        gold: gold.event.len(),
        extracted: events.len(),
        ..Counts::default()
    };
    for (g, ge) in gold.event.iter().enumerate() {
        let is_deadline = ge.kind == Kind::Deadline.name();
        c.gold_deadlines += usize::from(is_deadline);
        if ge.place.is_some() {
            c.gold_places += 1;
        }
        let found = full[g].or(dated[g]).map(|i| &events[i]);
        if let Some(e) = found {
            if is_deadline && e.kind == Kind::Deadline {
                c.deadlines_found += 1;
            }
            if let Some(p) = &ge.place {
                let right = e
                    .place
                    .as_deref()
                    .is_some_and(|x| x.to_lowercase().contains(&p.to_lowercase()));
                c.places_right += usize::from(right);
            }
        }
        match (full[g], dated[g]) {
            (Some(i), _) => {
                c.matched += 1;
                c.kind_right += usize::from(events[i].kind.name() == ge.kind);
            }
            (None, Some(_)) => c.date_only += 1,
            _ => {}
        }
    }
    c
}

fn explain(gold: &Gold, events: &[Event], file: &str) -> (Vec<Miss>, Vec<String>) {
    let (full, dated) = pair(gold, events);
    let mut misses = Vec::new();
    for (g, ge) in gold.event.iter().enumerate() {
        let wrong_kind = full[g].is_some_and(|i| events[i].kind.name() != ge.kind);
        if full[g].is_none() || wrong_kind {
            misses.push(Miss {
                file: file.to_string(),
                gold: ge.clone(),
                nearest: full[g].or(dated[g]).map(|i| describe(&events[i])),
            });
        }
    }
    let paired: Vec<usize> = full.iter().chain(&dated).flatten().copied().collect();
    let extra = (0..events.len())
        .filter(|i| !paired.contains(i))
        .map(|i| describe(&events[i]))
        .collect();
    (misses, extra)
}

fn describe(e: &Event) -> String {
    format!(
        "{} {} {:?}{}",
        e.value,
        e.kind,
        e.title,
        e.place
            .as_deref()
            .map(|p| format!(" in {p}"))
            .unwrap_or_default()
    )
}
