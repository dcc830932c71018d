//! Runs of a block's text with the file offsets they came from, and the
//! blocks built from them: shared by the Markdown, org and
//! reStructuredText readers, which strip markup inside a line.

use super::lines::{list_marker, split_schedule_lines, Layout};
use super::{BlockKind, Builder};

/// A run of a block's text: verbatim from the file at `at`, or decoded
/// (then all of it maps to `at`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Piece {
    pub text: String,
    pub at: usize,
    pub verbatim: bool,
}

impl Piece {
    pub fn verbatim(text: &str, at: usize) -> Piece {
        Piece {
            text: text.to_owned(),
            at,
            verbatim: true,
        }
    }

    pub fn decoded(text: &str, at: usize) -> Piece {
        Piece {
            text: text.to_owned(),
            at,
            verbatim: false,
        }
    }
}

/// The text of a run of pieces.
pub(super) fn joined(pieces: &[Piece]) -> String {
    pieces.iter().map(|p| p.text.as_str()).collect()
}

/// Pushes pieces into the open block, leaving out their first `skip` bytes.
pub(super) fn emit(pieces: &[Piece], mut skip: usize, b: &mut Builder) {
    for p in pieces {
        let mut cut = skip.min(p.text.len());
        skip -= cut;
        while !p.text.is_char_boundary(cut) {
            cut += 1;
        }
        let rest = &p.text[cut..];
        if rest.is_empty() {
            continue;
        }
        if p.verbatim {
            b.push(rest, p.at + cut);
        } else {
            b.push_decoded(rest, p.at);
        }
    }
}

/// Pushes the lines of a block, with a line break after each.
pub(super) fn emit_lines(lines: &[Vec<Piece>], b: &mut Builder) {
    for line in lines {
        emit(line, 0, b);
        if let Some(p) = line.last() {
            let end = if p.verbatim {
                p.at + p.text.len()
            } else {
                p.at
            };
            b.push("\n", end);
        }
    }
}

/// Emits a paragraph's lines as one block of `kind`; a paragraph (not a
/// quote) whose lines are schedule rows is read line by line, a line that
/// starts in lower case continuing the row before it.
pub(super) fn paragraph(lines: Vec<Vec<Piece>>, kind: BlockKind, b: &mut Builder) {
    if lines.iter().all(|l| l.is_empty()) {
        return;
    }
    let texts: Vec<String> = lines.iter().map(|l| joined(l)).collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let layout = if kind == BlockKind::Paragraph {
        split_schedule_lines(&refs)
    } else {
        Layout::Prose
    };
    match layout {
        Layout::Prose => {
            b.start(kind);
            emit_lines(&lines, b);
            b.end();
        }
        Layout::Rows | Layout::Table => {
            let mut open = false;
            for (line, text) in lines.iter().zip(&texts) {
                let marker = list_marker(text);
                let continues = open
                    && marker.is_none()
                    && text.trim_start().starts_with(|c: char| c.is_lowercase());
                if continues {
                    if let Some(p) = line.first() {
                        b.push("\n", p.at);
                    }
                    emit(line, 0, b);
                    continue;
                }
                match marker {
                    Some(k) => {
                        b.start(BlockKind::ListItem);
                        emit(line, k, b);
                    }
                    None => {
                        b.start(BlockKind::Line);
                        emit(line, 0, b);
                    }
                }
                open = true;
            }
            b.end();
        }
    }
}

/// Emits table rows: each row a [`BlockKind::TableRow`] with its cells,
/// under `headers`.
pub(super) fn table(headers: Vec<String>, rows: &[Vec<Vec<Piece>>], b: &mut Builder) {
    b.end();
    b.set_headers(headers);
    for row in rows {
        if row.iter().all(|c| joined(c).trim().is_empty()) {
            continue;
        }
        b.start(BlockKind::TableRow);
        // Empty cells at the end would leave cells past the row's text.
        let filled = row.iter().rposition(|c| !joined(c).trim().is_empty());
        for cell in &row[..filled.map_or(0, |k| k + 1)] {
            b.start_cell();
            emit(cell, 0, b);
            b.end_cell();
        }
        b.end();
    }
    b.set_headers(Vec::new());
}

/// A line's leading whitespace in columns (a tab counts as 8) and in bytes.
pub(super) fn indent(line: &str) -> usize {
    let mut col = 0;
    for c in line.chars() {
        match c {
            ' ' => col += 1,
            '\t' => col = (col / 8 + 1) * 8,
            _ => break,
        }
    }
    col
}

/// The line without its leading whitespace, and its offset.
pub(super) fn trimmed(at: usize, line: &str) -> (usize, &str) {
    let t = line.trim_start();
    (at + line.len() - t.len(), t)
}

/// Splits `s` (at file offset `at`) on a separator character, giving each
/// part trimmed, with its offset.
pub(super) fn split_cells(s: &str, at: usize, sep: char) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in s.char_indices() {
        if c == sep {
            out.push(trim_at(&s[start..i], at + start));
            start = i + c.len_utf8();
        }
    }
    out.push(trim_at(&s[start..], at + start));
    out
}

fn trim_at(s: &str, at: usize) -> (usize, &str) {
    let t = s.trim_start();
    (at + s.len() - t.len(), t.trim_end())
}
