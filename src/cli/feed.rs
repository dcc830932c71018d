//! `timeline export`: the store as iCalendar, JSON or CSV.

use std::io::Write;
use std::path::Path;

use super::store_at;
use super::track::{io_failure, store_failure};
use crate::cli::Failure;
use crate::events::Event;
use crate::feed::ical::{self, IcsOptions};
use crate::feed::json_csv;
use crate::store::StoreError;
use crate::views::Filter;

/// Formats of `timeline export`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    Ics,
    Json,
    Csv,
}

/// `timeline export`: the filtered store as iCalendar, JSON or CSV, to
/// stdout or, atomically, to a file.
pub fn export(
    store: &Path,
    filter: &Filter,
    format: ExportFormat,
    ics: &IcsOptions,
    output: Option<&Path>,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    if let (None, ExportFormat::Ics) = (output, format) {
        // Written as it is made, from events borrowed from the read
        // cache's bytes: 100,000 events are never one string, nor
        // decoded into strings of their own.
        let written = store_at(store)
            .with_event_refs(|events| {
                let chosen = filter.apply(events);
                let mut out = std::io::BufWriter::with_capacity(1 << 16, &mut *out);
                ical::write_ics(&chosen, ics, &mut out)?;
                out.flush()
            })
            .map_err(store_failure)?;
        return written.map_err(io_failure);
    }
    let cannot_write = |e: StoreError| Failure {
        message: format!("timeline: cannot write {e}"),
        code: 1,
    };
    // The real file, so a symlink is followed rather than replaced, and
    // a device or FIFO is refused rather than replaced by a file.
    let real = match output {
        Some(path) => Some(crate::store::real_file(path).map_err(cannot_write)?),
        None => None,
    };
    if let (Some(real), Ok(store_file)) = (&real, store_at(store).real_path()) {
        if same_file(real, &store_file) {
            return Err(Failure {
                message: format!(
                    "timeline: {} is the store itself; export to another file (nothing was written)",
                    output.unwrap_or(real).display()
                ),
                code: 2,
            });
        }
    }
    if let (Some(real), ExportFormat::Ics) = (&real, format) {
        // Streamed into the new file, as to stdout: the calendar is
        // never one string.
        return crate::store::write_atomic_with(real, |w| {
            store_at(store)
                .with_event_refs(|events| ical::write_ics(&filter.apply(events), ics, w))
                .map_err(store_failure)?
                .map_err(|e| Failure {
                    message: format!("timeline: cannot write {}: {e}", real.display()),
                    code: 1,
                })
        })
        .map_err(cannot_write)?;
    }
    let events = store_at(store).load().map_err(store_failure)?;
    let chosen = filter.apply(&events);
    let owned = || chosen.iter().map(|e| (*e).clone()).collect::<Vec<Event>>();
    let text = match format {
        ExportFormat::Ics => ical::to_ics(&owned(), ics),
        ExportFormat::Json => json_csv::to_json(&owned()),
        ExportFormat::Csv => json_csv::to_csv(&owned()),
    };
    let Some(real) = real else {
        return out.write_all(text.as_bytes()).map_err(io_failure);
    };
    crate::store::write_atomic(&real, &text).map_err(cannot_write)
}

/// Whether two real paths are one file: the same path, or (a hard link)
/// the same device and inode.
fn same_file(a: &Path, b: &Path) -> bool {
    if a == b {
        return true;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(x), Ok(y)) = (std::fs::metadata(a), std::fs::metadata(b)) {
            return x.dev() == y.dev() && x.ino() == y.ino();
        }
    }
    false
}
