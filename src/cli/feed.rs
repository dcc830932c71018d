//! `timeline export`: the store as iCalendar, JSON or CSV.

use std::io::Write;
use std::path::Path;

use super::track::{io_failure, store_failure};
use crate::cli::Failure;
use crate::events::Event;
use crate::feed::ical::{self, IcsOptions};
use crate::feed::json_csv;
use crate::store::Store;
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
    let events = Store::new(store).load().map_err(store_failure)?;
    let chosen: Vec<Event> = filter.apply(&events).into_iter().cloned().collect();
    let text = match format {
        ExportFormat::Ics => ical::to_ics(&chosen, ics),
        ExportFormat::Json => json_csv::to_json(&chosen),
        ExportFormat::Csv => json_csv::to_csv(&chosen),
    };
    match output {
        None => out.write_all(text.as_bytes()).map_err(io_failure),
        Some(path) => crate::store::write_atomic(path, &text).map_err(|e| Failure {
            message: format!("timeline: cannot write {e}"),
            code: 1,
        }),
    }
}
