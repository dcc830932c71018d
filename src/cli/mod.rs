//! The commands behind `timeline`: everything the binary does, with the
//! clock and the standard streams passed in, so it is testable and the
//! library never reads the environment. One file per command family;
//! `main` only parses arguments and calls these.
//!
//! The top of the dependency order: may use every other module.

use std::io::{BufRead, Write};
use std::path::Path;

pub mod add;
mod add_text;
pub mod corpus;
pub mod edit;
pub mod eval;
pub mod extract;
pub mod feed;
mod held;
pub mod import;
mod json_line;
mod json_text;
mod long_line;
mod mail;
mod markup;
mod mbox;
mod stream;
pub mod track;

/// The machine's clocks, for the store to age left-over temporary files
/// and time the wait for its lock.
pub const SYSTEM_CLOCK: crate::store::Clock = crate::store::Clock {
    wall: std::time::SystemTime::now,
    monotonic: std::time::Instant::now,
};

/// The store at `path`, reading the machine's clocks.
pub(crate) fn store_at(path: impl Into<std::path::PathBuf>) -> crate::store::Store {
    crate::store::Store::new(path).with_clock(SYSTEM_CLOCK)
}

/// A failure that ends the command: message and exit code.
#[derive(Debug)]
pub struct Failure {
    pub message: String,
    pub code: i32,
}

impl Failure {
    pub(crate) fn usage(message: String) -> Failure {
        Failure { message, code: 2 }
    }

    /// Output could not be written. A reader that went away (`timeline
    /// list | head`) is no error to report: the exit is quiet, with the
    /// status a shell gives a program ended by SIGPIPE.
    pub fn output(e: std::io::Error) -> Failure {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            return Failure {
                message: String::new(),
                code: 141,
            };
        }
        Failure {
            message: format!("timeline: cannot write output: {e}"),
            code: 1,
        }
    }
}

/// A document read from a file or stdin: its blocks, its raw text and the
/// format it was read as.
pub struct ReadDocument {
    pub doc: crate::document::Document,
    /// The file's text, when the document's own text is not it (plain text
    /// is read in place, so its document holds the file's text itself).
    raw: Option<String>,
    pub format: crate::document::Format,
}

impl ReadDocument {
    /// The file's text, as decoded.
    pub fn raw(&self) -> &str {
        self.raw.as_deref().unwrap_or(&self.doc.text)
    }
}

/// Reads a file (or stdin for "-") into blocks, in the format asked for or
/// detected. Binary input, PDFs and unreadable files are refused with a
/// message naming the file; reader warnings go to `err`.
pub fn read_document(
    path: &Path,
    format: Option<crate::document::Format>,
    stdin: &mut dyn BufRead,
    err: &mut dyn Write,
) -> Result<ReadDocument, Failure> {
    let name = path.display().to_string();
    let mut bytes = Vec::new();
    if path.as_os_str() != "-" {
        // The file's size, so the buffer is not grown (and copied) by doubling.
        let size = std::fs::metadata(path).map_or(0, |m| m.len());
        bytes.reserve_exact(usize::try_from(size).unwrap_or(0).saturating_add(1));
    }
    let mut input = open_input(path, stdin)?;
    read_input(&mut *input, &name, &mut bytes, u64::MAX)?;
    read_bytes(bytes, &name, format, err)
}

/// A file (or stdin for "-") to read; a directory is refused by name.
pub(crate) fn open_input<'a>(
    path: &Path,
    stdin: &'a mut dyn BufRead,
) -> Result<Box<dyn std::io::Read + 'a>, Failure> {
    let name = path.display();
    if path.as_os_str() == "-" {
        return Ok(Box::new(stdin));
    }
    if path.is_dir() {
        return Err(Failure::usage(format!(
            "timeline: {name} is a directory; give the files in it (e.g. {name}/*.md)"
        )));
    }
    let file = std::fs::File::open(path)
        .map_err(|e| Failure::usage(format!("timeline: cannot read {name}: {e}")))?;
    Ok(Box::new(file))
}

/// Appends up to `most` more bytes of `input` (named `name`) to `buf`;
/// whether it ended.
pub(crate) fn read_input(
    input: &mut dyn std::io::Read,
    name: &str,
    buf: &mut Vec<u8>,
    most: u64,
) -> Result<bool, Failure> {
    let n =
        std::io::Read::read_to_end(&mut std::io::Read::take(input, most), buf).map_err(|e| {
            Failure::usage(if name == "-" {
                format!("timeline: cannot read standard input: {e}")
            } else {
                format!("timeline: cannot read {name}: {e}")
            })
        })?;
    Ok((n as u64) < most)
}

/// [`read_document`] for the bytes read from the file named `name`.
pub(crate) fn read_bytes(
    bytes: Vec<u8>,
    name: &str,
    format: Option<crate::document::Format>,
    err: &mut dyn Write,
) -> Result<ReadDocument, Failure> {
    use crate::document::{self, Format};
    let name = name.to_owned();
    // Valid UTF-8 (the usual case) becomes the raw text without a copy and
    // is validated once; invalid bytes are kept for the readers that decode
    // other charsets (email).
    let (raw, invalid) = match String::from_utf8(bytes) {
        Ok(s) => (s, None),
        Err(e) => {
            let b = e.into_bytes();
            (String::from_utf8_lossy(&b).into_owned(), Some(b))
        }
    };
    let original: &[u8] = invalid.as_deref().unwrap_or(raw.as_bytes());
    let chosen = format
        .or_else(|| Format::from_extension(&name))
        .unwrap_or_else(|| Format::sniff(original));
    let in_place = chosen == Format::Text && invalid.is_none();
    let (doc, raw) = if in_place {
        let doc = document::read_text_owned(raw, &name);
        (
            doc.map_err(|e| Failure::usage(format!("timeline: {e}")))?,
            None,
        )
    } else {
        let doc = document::read_decoded(original, &raw, &name, Some(chosen));
        (
            doc.map_err(|e| Failure::usage(format!("timeline: {e}")))?,
            Some(raw),
        )
    };
    for w in &doc.warnings {
        let _ = writeln!(err, "timeline: {w}");
    }
    let empty_file = raw.as_deref().map_or(doc.text.is_empty(), str::is_empty);
    if doc.blocks.is_empty() && !empty_file {
        let _ = writeln!(err, "timeline: {name}: no text found");
    }
    Ok(ReadDocument {
        doc,
        raw,
        format: chosen,
    })
}

/// The nearest char boundary at or before `i`.
pub(crate) fn floor_char(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

pub(crate) fn ceil_char(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// A `--dct` flag: ISO, or a phrase ("yesterday", "last monday") read
/// against `now`, looking back (a document's date is behind it). What a
/// phrase was read as goes to `err`.
pub(crate) fn flag_dct(
    flag: Option<&str>,
    now: chrono::NaiveDateTime,
    err: &mut dyn std::io::Write,
) -> Result<Option<chrono::NaiveDateTime>, Failure> {
    let Some(s) = flag else {
        return Ok(None);
    };
    let d =
        crate::views::dates::read_date(s, now, crate::views::dates::Lean::Behind).map_err(|e| {
            Failure {
                message: format!("timeline: --dct: {e}"),
                code: 2,
            }
        })?;
    if !d.iso {
        let _ = writeln!(err, "timeline: --dct {s} → {}", d.echo());
    }
    Ok(Some(d.at))
}
