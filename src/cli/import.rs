//! `timeline import FILE…`: iCalendar files and our JSON export into the
//! store, matched by id (see [`crate::feed::import`]): a file imported
//! again adds nothing, a changed event is updated in place.
//!
//! Every file is read before the store is touched, so a bad file leaves
//! it as it was; the store's own write is whole or nothing.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;

use super::store_at;
use super::track::{io_failure, say_created, store_failure};
use crate::cli::Failure;
use crate::events::Event;
use crate::feed::import::{self, Format, ImportError, Imported};
use crate::feed::json_csv;
use crate::store::{plan_upsert, UpsertReport};
use crate::views;

/// How `--dry-run` shows what it would change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DryRunFormat {
    /// "+ id date title" lines and the counts.
    Table,
    /// The events that would be added or changed, as `export --format json`.
    Json,
}

/// Options of `timeline import`.
pub struct ImportOptions {
    /// Files to read; "-" (or none) is standard input.
    pub inputs: Vec<PathBuf>,
    pub store: PathBuf,
    pub dry_run: bool,
    pub format: DryRunFormat,
    /// When the events are added, and what tells past from scheduled.
    pub now: NaiveDateTime,
    /// Tags given to every event imported.
    pub tags: Vec<String>,
}

/// `timeline import`: reads every file, then upserts their events.
pub fn import(
    opts: &ImportOptions,
    stdin: &mut dyn BufRead,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), Failure> {
    let inputs: Vec<PathBuf> = if opts.inputs.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        opts.inputs.clone()
    };
    let mut found: Vec<Imported> = Vec::new();
    for path in &inputs {
        found.extend(read_file(path, opts.now, stdin, err)?);
    }
    for i in &mut found {
        for t in &opts.tags {
            if !i.event.tags.iter().any(|x| x.eq_ignore_ascii_case(t)) {
                i.event.tags.push(t.clone());
            }
        }
    }
    let events: Vec<Event> = found.iter().map(|i| i.event.clone()).collect();
    let combine = |stored: &Event, n: usize| import::combine(stored, &found[n], opts.now);
    let store = store_at(&opts.store);
    if opts.dry_run {
        let stored = store.load().map_err(store_failure)?;
        let report = plan_upsert(&stored, &events, combine).report;
        return match opts.format {
            DryRunFormat::Table => print_report(&report, opts, true, out),
            DryRunFormat::Json => {
                let changed: Vec<Event> = report
                    .added
                    .iter()
                    .chain(&report.updated)
                    .cloned()
                    .collect();
                out.write_all(json_csv::to_json(&changed).as_bytes())
                    .map_err(io_failure)
            }
        };
    }
    let created = !opts.store.exists();
    let report = store.upsert(&events, combine).map_err(store_failure)?;
    say_created(created, &opts.store, err)?;
    print_report(&report, opts, false, out)
}

/// One file's events; its notes go to `err`. A file that cannot be read
/// is a usage error (2), one that is not a calendar a failure (1).
fn read_file(
    path: &Path,
    now: NaiveDateTime,
    stdin: &mut dyn BufRead,
    err: &mut dyn Write,
) -> Result<Vec<Imported>, Failure> {
    let name = path.display().to_string();
    let bytes = if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        stdin
            .read_to_end(&mut buf)
            .map_err(|e| Failure::usage(format!("timeline: cannot read standard input: {e}")))?;
        buf
    } else if path.is_dir() {
        return Err(Failure::usage(format!(
            "timeline: {name} is a directory; give the files in it (e.g. {name}/*.ics)"
        )));
    } else {
        std::fs::read(path)
            .map_err(|e| Failure::usage(format!("timeline: cannot read {name}: {e}")))?
    };
    let bad = |e: ImportError| Failure {
        message: format!("timeline: {name}: {e}"),
        code: 1,
    };
    let text = import::decode(&bytes).map_err(bad)?;
    let format = Format::detect(&name, text).ok_or_else(|| {
        bad(ImportError {
            line: 0,
            message: "neither iCalendar (BEGIN:VCALENDAR) nor a JSON array of events ([…])"
                .to_string(),
        })
    })?;
    let read = import::read(text, format, &name, now).map_err(bad)?;
    for note in &read.notes {
        writeln!(err, "timeline: {name}: {note}").map_err(io_failure)?;
    }
    Ok(read.events)
}

/// "+ id  date  title" for each new event, "~ …" for each changed one,
/// then the counts.
fn print_report(
    report: &UpsertReport,
    opts: &ImportOptions,
    dry_run: bool,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let shown: Vec<&Event> = report.added.iter().chain(&report.updated).collect();
    let today = opts.now.date();
    for (i, (e, id)) in shown.iter().zip(views::short_ids(&shown)).enumerate() {
        let mark = if i < report.added.len() { '+' } else { '~' };
        writeln!(
            out,
            "{mark} {id}  {}  {}",
            views::date_text(e, today),
            e.display_title()
        )
        .map_err(io_failure)?;
    }
    let (added, updated) = (report.added.len(), report.updated.len());
    let counts = if dry_run {
        format!(
            "would add {added}, update {updated}; {} unchanged (dry run: nothing written)",
            report.unchanged
        )
    } else {
        format!(
            "{added} added, {updated} updated, {} unchanged",
            report.unchanged
        )
    };
    writeln!(out, "{}: {counts}", opts.store.display()).map_err(io_failure)
}
