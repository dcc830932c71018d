//! `timeline export`: the store as iCalendar, JSON or CSV.

use std::io::Write;
use std::path::Path;

use super::store_at;
use super::track::{io_failure, store_failure};
use crate::cli::Failure;
use crate::feed::ical::{self, IcsOptions};
use crate::feed::json_csv;
use crate::store::{EventRef, StoreError};
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
    // Written as it is made, from events borrowed from the read cache's
    // bytes: 100,000 events are never one string, nor decoded into
    // strings of their own.
    let write = |events: &[&EventRef<'_>], w: &mut dyn Write| match format {
        ExportFormat::Ics => ical::write_ics(events, ics, w),
        ExportFormat::Json => json_csv::write_json(events, w),
        ExportFormat::Csv => json_csv::write_csv(events, w),
    };
    let Some(output) = output else {
        let written = store_at(store)
            .with_event_refs(|events| {
                let mut out = std::io::BufWriter::with_capacity(1 << 16, &mut *out);
                write(&filter.apply(events), &mut out)?;
                out.flush()
            })
            .map_err(store_failure)?;
        return written.map_err(io_failure);
    };
    let cannot_write = |e: StoreError| Failure {
        message: format!("timeline: cannot write {e}"),
        code: 1,
    };
    // The real file, so a symlink is followed rather than replaced, and
    // a device or FIFO is refused rather than replaced by a file.
    let real = crate::store::real_file(output).map_err(cannot_write)?;
    if let Ok(store_file) = store_at(store).real_path() {
        if same_file(&real, &store_file) {
            return Err(Failure {
                message: format!(
                    "timeline: {} is the store itself; export to another file (nothing was written)",
                    output.display()
                ),
                code: 2,
            });
        }
    }
    // Streamed into the new file, as to stdout.
    crate::store::write_atomic_with(&real, |w| {
        store_at(store)
            .with_event_refs(|events| write(&filter.apply(events), w))
            .map_err(store_failure)?
            .map_err(|e| Failure {
                message: format!("timeline: cannot write {}: {e}", real.display()),
                code: 1,
            })
    })
    .map_err(cannot_write)?
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
