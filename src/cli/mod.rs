//! The commands behind `timeline`: everything the binary does, with the
//! clock and the standard streams passed in, so it is testable and the
//! library never reads the environment. One file per command family;
//! `main` only parses arguments and calls these.
//!
//! The top of the dependency order: may use every other module.

use std::io::{BufRead, Write};
use std::path::Path;

pub mod eval;
pub mod extract;
pub mod feed;
pub mod track;

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
}

/// Reads a file (or stdin for "-") as text; invalid UTF-8 is replaced, with a warning.
pub fn read_text(
    path: &Path,
    stdin: &mut dyn BufRead,
    err: &mut dyn Write,
) -> Result<String, Failure> {
    let bytes = if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(stdin, &mut buf)
            .map_err(|e| Failure::usage(format!("timeline: cannot read standard input: {e}")))?;
        buf
    } else {
        std::fs::read(path)
            .map_err(|e| Failure::usage(format!("timeline: cannot read {}: {e}", path.display())))?
    };
    Ok(match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => {
            let _ = writeln!(
                err,
                "timeline: {}: invalid UTF-8 at byte {}; replaced with U+FFFD",
                path.display(),
                e.utf8_error().valid_up_to()
            );
            String::from_utf8_lossy(e.as_bytes()).into_owned()
        }
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
