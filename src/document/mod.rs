//! Reading input: a file as people have it (plain text, Markdown, HTML,
//! email, org, reStructuredText) becomes a [`Document`]: blocks of clean
//! text (a heading, a paragraph, a list item, a table row with its cells),
//! the document's subject and the reference date its metadata gives.
//!
//! The engine then reads [`Document::text`], the blocks' texts joined with
//! blank lines, so each block is a paragraph of its own and markup never
//! reaches the grammar; [`Document::file_offset`] maps any position in that
//! text back to a byte of the file the user has.
//!
//! May use the engine (to read a date in a header); never events, the
//! store or anything above them.

mod builder;
pub mod dct;
mod email;
mod html;
mod lines;
mod markdown;
mod org;
mod pieces;
mod rst;
mod text;

use std::ops::Range;

use chrono::NaiveDateTime;

pub(crate) use builder::Builder;
/// A message of one text part read in windows.
pub(crate) use email::body as mail_body;
/// Where a message of an mbox read piece by piece ends.
pub(crate) use email::mbox as mail_mbox;
pub(crate) use email::parts as mail_parts;
pub use lines::{looks_like_schedule_line, split_schedule_lines};

/// What a block is in the document's structure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockKind {
    /// A heading, with its level (1 for a title).
    Heading(u8),
    Paragraph,
    /// An item of a bulleted or numbered list.
    ListItem,
    /// A short line standing on its own in plain text ("April 7: Abstracts").
    Line,
    /// A row of a table; its cells are in [`Block::cells`].
    TableRow,
    Quote,
    Code,
}

impl BlockKind {
    /// Blocks that are rows of a schedule when they hold a date: their text
    /// is a label and a date, not a sentence.
    pub fn is_row(self) -> bool {
        matches!(
            self,
            BlockKind::ListItem | BlockKind::Line | BlockKind::TableRow
        )
    }
}

/// One block of a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    /// Where the block's text is in [`Document::text`].
    pub range: Range<usize>,
    /// For a table row: each cell's range in [`Document::text`].
    pub cells: Vec<Range<usize>>,
    /// For a table row: the table's column headers (empty when it has none).
    pub headers: Vec<String>,
}

/// Where a run of [`Document::text`] came from in the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Segment {
    /// Start in the document's text.
    text: usize,
    /// Start in the file.
    file: usize,
    /// Whether the run was copied byte for byte (else it was decoded, and
    /// every byte of it maps to `file`).
    verbatim: bool,
    /// Where the run ends in the document's text: bytes between runs (the
    /// separators the builder adds) map to the end of the run before.
    end: usize,
}

/// The input format of a document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Html,
    Email,
    Org,
    Rst,
}

impl Format {
    pub const ALL: [Format; 6] = [
        Format::Text,
        Format::Markdown,
        Format::Html,
        Format::Email,
        Format::Org,
        Format::Rst,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Markdown => "markdown",
            Format::Html => "html",
            Format::Email => "email",
            Format::Org => "org",
            Format::Rst => "rst",
        }
    }

    /// The format a file name's extension says, if it says one.
    pub fn from_extension(name: &str) -> Option<Format> {
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        Some(match ext.as_str() {
            "md" | "markdown" | "mdown" | "mkd" => Format::Markdown,
            "html" | "htm" | "xhtml" => Format::Html,
            "eml" | "mbox" | "msg" => Format::Email,
            "org" => Format::Org,
            "rst" => Format::Rst,
            // A .txt file may hold a saved email: its content decides.
            _ => return None,
        })
    }

    /// The format the content shows, for input without a telling name.
    pub fn sniff(bytes: &[u8]) -> Format {
        let head = &bytes[..bytes.len().min(4096)];
        let head = String::from_utf8_lossy(head);
        let start = head.trim_start_matches('\u{feff}').trim_start();
        let lower: String = start
            .chars()
            .take(256)
            .collect::<String>()
            .to_ascii_lowercase();
        let html = lower.starts_with("<!doctype html")
            || lower.starts_with("<html")
            || (lower.starts_with("<?xml") && lower.contains("<html"));
        if html {
            return Format::Html;
        }
        if email::looks_like_email(start) {
            return Format::Email;
        }
        if start.starts_with("#+title") || start.starts_with("#+TITLE") {
            return Format::Org;
        }
        Format::Text
    }
}

/// A document read into blocks.
#[derive(Clone, Debug, Default)]
pub struct Document {
    /// The blocks' texts, separated by blank lines.
    pub text: String,
    pub blocks: Vec<Block>,
    /// The document's subject: its title, first heading or `Subject:`.
    pub subject: Option<String>,
    /// A reference date the document's metadata states (an email's `Date:`,
    /// an HTML page's publication time), with where it came from.
    pub dated: Option<(NaiveDateTime, dct::Source)>,
    /// Problems worth telling the user that did not stop the reading.
    pub warnings: Vec<String>,
    segments: Vec<Segment>,
}

impl Document {
    /// The byte in the file that position `at` of [`Document::text`] came from.
    pub fn file_offset(&self, at: usize) -> usize {
        let i = self.segments.partition_point(|s| s.text <= at);
        if i == 0 {
            return at;
        }
        let s = self.segments[i - 1];
        if s.verbatim {
            s.file + (at.min(s.end) - s.text)
        } else {
            s.file
        }
    }

    /// The blocks as the engine reads them (see
    /// `Extractor::extract_blocks`): each range with whether it is a row of
    /// a schedule.
    pub fn engine_blocks(&self) -> impl Iterator<Item = (Range<usize>, bool)> + '_ {
        self.blocks
            .iter()
            .map(|b| (b.range.clone(), b.kind.is_row()))
    }

    /// The block holding position `at` of the text, if any.
    pub fn block_at(&self, at: usize) -> Option<&Block> {
        let i = self.blocks.partition_point(|b| b.range.end <= at);
        self.blocks.get(i).filter(|b| b.range.start <= at)
    }
}

/// Why a file could not be read as a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadError(pub String);

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Reads a file's bytes as a document. `name` is what the user called the
/// file (for messages and for the format its extension gives); `format`
/// overrides detection.
pub fn read(bytes: &[u8], name: &str, format: Option<Format>) -> Result<Document, ReadError> {
    let text = String::from_utf8_lossy(bytes);
    read_decoded(bytes, &text, name, format)
}

/// Reads a plain-text file that is valid UTF-8, taking its text as the
/// document's own: no copy of a file that may be large.
pub fn read_text_owned(text: String, name: &str) -> Result<Document, ReadError> {
    refuse_binary(text.as_bytes(), name)?;
    Ok(text::read_owned(text))
}

/// Reads one window of a plain text read in windows: `text[from..]`,
/// which holds whole paragraphs (a window is cut at a blank line where it
/// can be), with the front matter or header fields at `text`'s start
/// read first when `head`. The blocks are ranges of `text`, and the
/// document's own text is left empty (the caller has it). `first` says
/// whether no paragraph came before (a short first line is the title),
/// and is updated for the next window.
pub fn read_text_window(text: &str, from: usize, head: bool, first: &mut bool) -> Document {
    text::read_window(text, from, head, first)
}

/// What a window of a file read in windows hands on to the next: for
/// HTML, the elements and tables open where it ends; for RST, the title
/// adornments seen.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Carry {
    html: html::Open,
    rst: rst::Open,
}

impl Carry {
    /// What the first window takes on when the reference date is given
    /// (`--dct`): no block has to be read whole to date the document (an
    /// HTML heading longer than a window is cut as a later one is).
    pub fn dated() -> Carry {
        Carry {
            html: html::Open::dated(),
            ..Carry::default()
        }
    }

    /// Whether the window starts inside a block the last one ended in
    /// (see `engine::Session::go_on`).
    pub fn goes_on(&self) -> bool {
        self.html.goes_on() || self.rst.goes_on()
    }
}

/// Where a window of a file of `format` read in windows may end: at most
/// `max` bytes in, between blocks that read the same in the window as in
/// the whole file (Markdown, Org, HTML and RST; `None` for the others, or when
/// no such place comes within `max`), with what the next window takes on
/// (`carry`: what this one took on). An mbox is cut between messages, past
/// `max` if a message is longer (see [`email::window_end`]).
pub fn window_end(
    format: Format,
    bytes: &[u8],
    max: usize,
    carry: &Carry,
) -> Option<(usize, Carry)> {
    let cut = |end: Option<usize>| end.map(|end| (end, Carry::default()));
    match format {
        Format::Markdown => cut(markdown::window_end(bytes, max)),
        Format::Org => cut(org::window_end(bytes, max)),
        Format::Email => cut(email::window_end(bytes, max)),
        Format::Html => html::window_end(bytes, max, &carry.html).map(|(end, html)| {
            (
                end,
                Carry {
                    html,
                    ..Carry::default()
                },
            )
        }),
        Format::Rst => rst::window_end(bytes, max, &carry.rst).map(|(end, rst)| {
            (
                end,
                Carry {
                    rst,
                    ..Carry::default()
                },
            )
        }),
        _ => None,
    }
}

/// Reads whole messages of an mbox cut by [`window_end`]: `bytes` as in
/// the file, from its byte `file_at`, and `text`, the same decoded as
/// UTF-8 (a part may declare another charset: it reads the bytes).
pub fn read_mail_window(bytes: &[u8], text: &str, file_at: usize) -> Document {
    email::read_at(bytes, text, file_at)
}

/// Reads one window of a file cut by [`window_end`], which starts at `at`
/// in the file's text (offsets in warnings count from the file's start)
/// and takes on `carry`; front matter and header fields only in the first
/// (`at` 0).
pub fn read_window(format: Format, text: &str, at: usize, carry: &Carry) -> Document {
    match format {
        Format::Markdown => markdown::read_window(text, at == 0),
        Format::Org => org::read(text),
        Format::Text => text::read(text),
        Format::Html => html::read_window(text, &carry.html, at),
        Format::Email => email::read(text.as_bytes(), text),
        Format::Rst => rst::read_window(text, &carry.rst),
    }
}

/// [`read`], for a caller that has already decoded the bytes as UTF-8
/// (invalid sequences replaced): the text is not validated twice.
pub fn read_decoded(
    bytes: &[u8],
    text: &str,
    name: &str,
    format: Option<Format>,
) -> Result<Document, ReadError> {
    refuse_binary(bytes, name)?;
    let format = format
        .or_else(|| Format::from_extension(name))
        .unwrap_or_else(|| Format::sniff(bytes));
    let mut warnings = Vec::new();
    let same = std::ptr::eq(text.as_ptr(), bytes.as_ptr()) && text.len() == bytes.len();
    if !same && text.as_bytes() != bytes {
        let valid = std::str::from_utf8(bytes).map_or_else(|e| e.valid_up_to(), str::len);
        warnings.push(format!(
            "{name}: invalid UTF-8 at byte {valid}; replaced with U+FFFD"
        ));
    }
    let mut doc = match format {
        // An email's parts may declare other charsets: it reads the bytes.
        Format::Email => email::read(bytes, text),
        _ => read_window(format, text, 0, &Carry::default()),
    };
    // A reader's warnings name the file, as those of a window do.
    warnings.extend(doc.warnings.drain(..).map(|w| format!("{name}: {w}")));
    doc.warnings = warnings;
    Ok(doc)
}

/// The start of a window's bytes as its reader reads them, invalid UTF-8
/// replaced (as the window is decoded), to find where a window may end.
pub(crate) struct Decoded<'b> {
    pub text: std::borrow::Cow<'b, str>,
    /// Where each replacement ends in the text and in the bytes.
    replaced: Vec<(usize, usize)>,
}

impl Decoded<'_> {
    pub fn new(bytes: &[u8]) -> Decoded<'_> {
        if let Ok(text) = std::str::from_utf8(bytes) {
            let replaced = Vec::new();
            return Decoded {
                text: text.into(),
                replaced,
            };
        }
        let mut text = String::with_capacity(bytes.len() + 16);
        let (mut replaced, mut in_bytes) = (Vec::new(), 0);
        for chunk in bytes.utf8_chunks() {
            text.push_str(chunk.valid());
            in_bytes += chunk.valid().len() + chunk.invalid().len();
            if !chunk.invalid().is_empty() {
                text.push(char::REPLACEMENT_CHARACTER);
                replaced.push((text.len(), in_bytes));
            }
        }
        Decoded {
            text: text.into(),
            replaced,
        }
    }

    /// The byte where position `at` of the text (outside a replacement)
    /// is: past each invalid sequence before it, the bytes it took instead
    /// of the U+FFFD in the text.
    pub fn in_bytes(&self, at: usize) -> usize {
        let k = self.replaced.partition_point(|&(in_text, _)| in_text <= at);
        match k.checked_sub(1).map(|k| self.replaced[k]) {
            Some((in_text, in_bytes)) => in_bytes + (at - in_text),
            None => at,
        }
    }
}

/// Where a block longer than a window (a `<pre>`, a literal block of
/// megabytes) may be cut between windows, given `text`, its start so far:
/// the whitespace the engine's pieces of it start at (it reads a block
/// over [`MAX_BLOCK`](crate::engine::MAX_BLOCK) in pieces, each ending
/// before the last whitespace of that many bytes), last first. Only the
/// pieces read within `text` count, and none that reaches its last
/// [`TAIL`] bytes, which may read otherwise once more text follows. Two
/// windows cut there give the engine the pieces of the block read whole:
/// the first ends with a piece, the second starts where the next does.
pub(crate) fn piece_starts(text: &str) -> Vec<usize> {
    let mut starts = piece_ends(text);
    starts.retain(|&to| text.as_bytes().get(to).is_some_and(u8::is_ascii_whitespace));
    starts
}

/// Where the engine's pieces of a block longer than a window end, last
/// first, as [`piece_starts`] finds them: those at whitespace, and those
/// cut where a piece's bytes hold none (a line of megabytes without a
/// space), which the next piece goes on from.
pub(crate) fn piece_ends(text: &str) -> Vec<usize> {
    use crate::engine::{tokenize::blocks, MAX_BLOCK};
    let sure = text.len().saturating_sub(TAIL);
    let mut ends: Vec<usize> = blocks(text, MAX_BLOCK)
        .take_while(|&(from, _)| from + MAX_BLOCK < sure)
        .map(|(_, to)| to)
        .collect();
    ends.reverse();
    ends
}

/// The bytes at the end of a window's scan that may read otherwise once
/// the rest comes: an entity, a tag or a character cut short, a line end.
const TAIL: usize = 64;

/// `from..to` without the whitespace at either end.
fn trimmed(text: &str, from: usize, to: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    let (mut from, mut to) = (from.min(bytes.len()), to.min(bytes.len()));
    while from < to && bytes[from].is_ascii_whitespace() {
        from += 1;
    }
    while to > from && bytes[to - 1].is_ascii_whitespace() {
        to -= 1;
    }
    (from, to)
}

/// Whether `s` has a whitespace character at byte `i` (a char boundary),
/// and the character's length.
fn whitespace_at(s: &str, i: usize) -> (bool, usize) {
    let b = s.as_bytes()[i];
    if b < 0x80 {
        return (b.is_ascii_whitespace(), 1);
    }
    match s[i..].chars().next() {
        Some(c) => (c.is_whitespace(), c.len_utf8()),
        None => (false, 1),
    }
}

/// How many bytes of `bytes` pass `test`, summed in chunks whose counts
/// fit a byte, the shape that vectorizes.
fn count_bytes(bytes: &[u8], test: impl Fn(u8) -> bool) -> usize {
    let mut chunks = bytes.chunks_exact(128);
    let mut total = 0;
    for chunk in &mut chunks {
        let n: u8 = chunk.iter().map(|&b| u8::from(test(b))).sum();
        total += usize::from(n);
    }
    total + chunks.remainder().iter().filter(|&&b| test(b)).count()
}

/// Binary input gives garbage events, so it is refused with a way out.
pub(crate) fn refuse_binary(bytes: &[u8], name: &str) -> Result<(), ReadError> {
    let head = &bytes[..bytes.len().min(8192)];
    let pdf = head.starts_with(b"%PDF-");
    // Text has no NUL bytes (searched for in the whole head: memchr is
    // cheap) and few other control characters (counted in the first 2 KiB,
    // which is enough to tell and bounds the cost on every document).
    // UTF-16 text is binary here too (its every other byte is NUL).
    let sample = &head[..head.len().min(2048)];
    let limit = sample.len().max(1);
    // Control bytes other than line ends, tabs, form feeds and escapes.
    // First every byte below 0x20 is counted, a single comparison that the
    // compiler vectorizes; only when that bound is high (short lines, or a
    // binary file) are the allowed ones told apart, byte by byte.
    let below = count_bytes(sample, |b| b < 0x20);
    let controls = if below * 20 > limit {
        count_bytes(sample, |b| {
            b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c | 0x1b)
        })
    } else {
        below
    };
    let binary = memchr::memchr(0, head).is_some() || controls * 20 > limit;
    if pdf {
        return Err(ReadError(format!(
            "{name}: is a PDF, which timeline cannot read; convert it first: pdftotext {name} - | timeline add -"
        )));
    }
    if binary {
        return Err(ReadError(format!(
            "{name}: looks like a binary file, not text; if it is a document, convert it to text first (for a PDF: pdftotext {name} - | timeline add -)"
        )));
    }
    Ok(())
}

/// What the engine reads of a file read in windows (`docs`: each
/// window's document, with where it starts in the file): the pieces it
/// reads each block in, each with where its bytes other than whitespace
/// are in the file. Windows cut inside a block give what the whole file
/// gives only where they are cut between two of its pieces.
#[cfg(test)]
pub(crate) fn engine_view(docs: &[(usize, Document)]) -> Vec<(String, Vec<usize>)> {
    use crate::engine::{tokenize::blocks, MAX_BLOCK};
    let mut view = Vec::new();
    for (at, doc) in docs {
        for b in &doc.blocks {
            let part = &doc.text[b.range.clone()];
            let pieces: Vec<(usize, usize)> = match part.len() <= MAX_BLOCK {
                true => vec![(0, part.len())],
                false => blocks(part, MAX_BLOCK).collect(),
            };
            for (from, to) in pieces {
                let range = b.range.start + from..b.range.start + to;
                let places = (range.clone())
                    .filter(|&k| !doc.text.as_bytes()[k].is_ascii_whitespace())
                    .map(|k| at + doc.file_offset(k))
                    .collect();
                view.push((doc.text[range].to_owned(), places));
            }
        }
    }
    view
}

#[cfg(test)]
mod tests {
    use super::refuse_binary;

    #[test]
    fn control_bytes_without_nul_are_binary() {
        // Bytes 0x01..0x1f with no NUL: an old binary format, not text.
        let blob: Vec<u8> = (0..4000u32).map(|i| (i % 31 + 1) as u8).collect();
        let err = refuse_binary(&blob, "blob.dat").unwrap_err();
        assert!(
            err.0.contains("blob.dat") && err.0.contains("binary"),
            "{err}"
        );
    }

    #[test]
    fn short_lines_tabs_and_escapes_are_text() {
        // Many line ends, tabs, form feeds and ANSI escapes: above the quick
        // bound, so the exact count decides, and it says text.
        let text = "a\tb\r\n\x0c\x1b[1mx\x1b[0m\n".repeat(300);
        assert!(refuse_binary(text.as_bytes(), "log.txt").is_ok());
        assert!(refuse_binary(b"", "empty.txt").is_ok());
        assert!(refuse_binary("Deadline: 3 May\n".as_bytes(), "a.txt").is_ok());
    }

    #[test]
    fn a_nul_after_the_sampled_start_is_still_found() {
        let mut bytes = "Plain words here.\n".repeat(400).into_bytes();
        bytes[5000] = 0;
        assert!(refuse_binary(&bytes, "mixed.bin").is_err());
    }
}
