//! `timeline add FILE…`: reads documents, builds their events and merges
//! them into the store, one document's failure its own.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use chrono::{NaiveDateTime, NaiveTime};

use super::store_at;
use crate::cli::stream;
use crate::cli::track::{io_failure, render, say_created, store_failure, warn_renamed, ViewFormat};
use crate::cli::{add_text, Failure, ReadDocument};
use crate::document::dct::{self, Source as DctSource};
use crate::document::Format;
use crate::engine::Extractor;
use crate::events::document::events_from_document;
use crate::events::Event;
use crate::views::{self, Style};

/// Options of `timeline add FILE…`.
pub struct AddOptions {
    pub inputs: Vec<PathBuf>,
    pub dct: Option<String>,
    /// The documents' format; `None` detects it from the name and content.
    pub input_format: Option<crate::document::Format>,
    pub store: PathBuf,
    pub dry_run: bool,
    /// How `--dry-run` prints what it would add.
    pub format: ViewFormat,
    /// When the events are added (and the fallback DCT's day).
    pub now: NaiveDateTime,
    /// Tags given to every event added.
    pub tags: Vec<String>,
}

/// `timeline add FILE…`: extracts events and merges them into the store.
pub fn add_documents(
    opts: &AddOptions,
    stdin: &mut dyn BufRead,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), Failure> {
    let found = extract_for_add(opts, stdin, err)?;
    if found.all_failed() {
        return found.failure();
    }
    if opts.dry_run {
        let refs: Vec<&Event> = found.events.iter().collect();
        render(&refs, opts.format, opts.now, Style::default(), out)?;
        return found.failure();
    }
    merge_added(opts, &found.events, out, err)?;
    found.failure()
}

/// The most dates `add` reads from one document: a schedule has dozens, a
/// long report thousands; past this the document is not one to track, and
/// reading on would only cost memory.
pub const MAX_DATES_PER_DOCUMENT: usize = 100_000;

/// What `add` found: each document's events, found once, with the tags
/// given, and why the documents that failed did.
pub struct Found {
    pub events: Vec<Event>,
    pub errors: Vec<Failure>,
    pub documents: usize,
}

impl Found {
    /// Whether no document could be read.
    pub fn all_failed(&self) -> bool {
        self.errors.len() == self.documents
    }

    /// After the others were merged: the documents' failures, if any, with
    /// the worst exit code among them.
    pub fn failure(&self) -> Result<(), Failure> {
        if self.errors.is_empty() {
            return Ok(());
        }
        let mut message: Vec<&str> = self.errors.iter().map(|f| f.message.as_str()).collect();
        let summary = format!(
            "timeline: {} of {} documents could not be read; the others were",
            self.errors.len(),
            self.documents
        );
        if self.documents > 1 {
            message.push(&summary);
        }
        Err(Failure {
            message: message.join("\n"),
            code: self.errors.iter().map(|f| f.code).max().unwrap_or(1),
        })
    }
}

/// The events `add` would merge. A document that cannot be read (or that
/// trips a bug) is reported and skipped: the rest of the batch goes on.
pub fn extract_for_add(
    opts: &AddOptions,
    stdin: &mut dyn BufRead,
    err: &mut dyn Write,
) -> Result<Found, Failure> {
    let flag_dct = crate::cli::flag_dct(opts.dct.as_deref(), opts.now, err)?;
    let inputs: Vec<PathBuf> = if opts.inputs.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        opts.inputs.clone()
    };
    let mut extractor = Extractor::default().limited(MAX_DATES_PER_DOCUMENT);
    let mut merged = crate::events::Merged::default();
    let mut errors = Vec::new();
    for path in &inputs {
        let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            document_events(path, opts, flag_dct, &mut extractor, stdin, err)
        }));
        match read {
            Ok(Ok(events)) => events.into_iter().for_each(|e| merged.push(e)),
            Ok(Err(f)) => errors.push(f),
            // The extractor clears its buffers at each block, so the next
            // document can use it.
            Err(_) => {
                errors.push(Failure {
                    message: format!(
                        "timeline: {}: internal error while reading it (a bug: please report it with the file); skipped",
                        path.display()
                    ),
                    code: 1,
                });
            }
        }
    }
    let mut events = merged.into_vec();
    for e in &mut events {
        for t in &opts.tags {
            if !e.tags.contains(t) {
                e.tags.push(t.clone());
            }
        }
    }
    Ok(Found {
        events,
        errors,
        documents: inputs.len(),
    })
}

/// One document's events. A plain text is read in windows (see
/// [`add_text`](super::add_text)); other formats whole.
fn document_events(
    path: &Path,
    opts: &AddOptions,
    flag_dct: Option<NaiveDateTime>,
    extractor: &mut Extractor,
    stdin: &mut dyn BufRead,
    err: &mut dyn Write,
) -> Result<Vec<Event>, Failure> {
    let today = opts.now.date().and_time(NaiveTime::MIN);
    let name = path.display().to_string();
    let mut input = crate::cli::open_input(path, stdin)?;
    let mut buf = Vec::with_capacity(stream::WANT + 8);
    let ended = crate::cli::read_input(&mut *input, &name, &mut buf, stream::WANT as u64)?;
    let chosen = (opts.input_format)
        .or_else(|| Format::from_extension(&name))
        .unwrap_or_else(|| Format::sniff(&buf));
    let events = if chosen == Format::Text {
        crate::document::refuse_binary(&buf, &name)
            .map_err(|e| Failure::usage(format!("timeline: {e}")))?;
        let read = add_text::Input {
            path,
            name: &name,
            input,
            buf,
            ended,
        };
        add_text::read(read, flag_dct, today, opts.now, extractor, err)?
    } else {
        if !ended {
            if path.as_os_str() != "-" {
                // The file's size, so the buffer is not grown (and copied) by doubling.
                let size = std::fs::metadata(path).map_or(0, |m| m.len());
                let size = usize::try_from(size).unwrap_or(0);
                buf.reserve_exact(size.saturating_sub(buf.len()).saturating_add(1));
            }
            crate::cli::read_input(&mut *input, &name, &mut buf, u64::MAX)?;
        }
        drop(input);
        let read = crate::cli::read_bytes(buf, &name, opts.input_format, err)?;
        whole_events(&read, path, opts, flag_dct, today, extractor, err)
    };
    // A TOML date holds years 0000-9999 only; "in 10,000 years" stays a
    // timex but cannot become a stored event.
    let storable = |e: &Event| {
        e.when
            .start()
            .is_none_or(|t| (0..=9999).contains(&chrono::Datelike::year(&t)))
            && e.when
                .end()
                .is_none_or(|t| (0..=9999).contains(&chrono::Datelike::year(&t)))
    };
    Ok(events.into_iter().filter(storable).collect())
}

/// The events of a document read whole.
fn whole_events(
    read: &ReadDocument,
    path: &Path,
    opts: &AddOptions,
    flag_dct: Option<NaiveDateTime>,
    today: NaiveDateTime,
    extractor: &mut Extractor,
    err: &mut dyn Write,
) -> Vec<Event> {
    let (dct, source) = match flag_dct {
        Some(t) => (t, DctSource::Flag),
        None => dct::for_document(&read.doc, read.raw(), read.format, today),
    };
    let _ = writeln!(
        err,
        "timeline: {}: {} document, reference date {} from {source}",
        path.display(),
        read.format.name(),
        dct.format("%Y-%m-%d")
    );
    let doc = &read.doc;
    let found = extractor.extract_blocks(&doc.text, dct, doc.engine_blocks());
    if found.len() >= MAX_DATES_PER_DOCUMENT {
        let line = found.last().map_or(1, |t| {
            let at = doc.file_offset(t.end).min(read.raw().len());
            1 + read.raw().as_bytes()[..at]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
        });
        let _ = writeln!(
            err,
            "timeline: {}: stopped at line {line}, after {MAX_DATES_PER_DOCUMENT} dates; the rest is not read",
            path.display()
        );
    }
    let name = path.display().to_string();
    events_from_document(doc, dct, &source, &found, &name, opts.now)
}

/// Merges the events `add` found (or the ones accepted of them) and lists
/// what was added, then the counts.
pub fn merge_added(
    opts: &AddOptions,
    events: &[Event],
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), Failure> {
    let created = !opts.store.exists();
    let report = store_at(&opts.store).merge(events).map_err(store_failure)?;
    warn_renamed(&report, err)?;
    say_created(created, &opts.store, err)?;
    // What this add brought, under the ids they were stored with.
    let stored_as = |e: &Event| {
        report
            .renamed
            .iter()
            .find(|(from, _)| *from == e.id)
            .map_or_else(|| e.id.clone(), |(_, to)| to.clone())
    };
    let new_ids: std::collections::HashSet<&str> =
        report.added.iter().map(String::as_str).collect();
    let added: Vec<Event> = events
        .iter()
        .filter_map(|e| {
            let id = stored_as(e);
            new_ids
                .contains(id.as_str())
                .then(|| Event { id, ..e.clone() })
        })
        .collect();
    let shown: Vec<&Event> = added.iter().collect();
    for (e, id) in shown.iter().zip(views::short_ids(&shown)) {
        writeln!(
            out,
            "+ {id}  {}  {}",
            views::date_text(e, opts.now.date()),
            e.display_title()
        )
        .map_err(io_failure)?;
    }
    writeln!(
        out,
        "{}: {} added, {} updated (new sources or tags), {} already there",
        opts.store.display(),
        report.added.len(),
        report.updated,
        report.unchanged
    )
    .map_err(io_failure)
}
