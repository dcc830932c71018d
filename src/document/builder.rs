//! The [`Builder`] every reader fills: blocks of clean text with the map
//! from that text back to the file.

use std::ops::Range;

use chrono::NaiveDateTime;

use super::{dct, trimmed, whitespace_at, Block, BlockKind, Document, Segment};

/// Builds a [`Document`] block by block. Readers push runs of text with the
/// file offset they came from; the builder keeps the offset map, joins the
/// blocks with blank lines and drops empty ones.
#[derive(Default)]
pub(crate) struct Builder {
    doc: Document,
    /// The open block: its kind and where its text starts.
    open: Option<(BlockKind, usize)>,
    cells: Vec<Range<usize>>,
    cell_start: Option<usize>,
    headers: Vec<String>,
    /// Whether the last byte pushed was whitespace (runs are collapsed).
    space: bool,
    /// Decoded content (an email part) maps every byte to this offset.
    fixed_origin: Option<usize>,
    /// Text pushed at `file` is at `file + shift` in the file: a reader
    /// that copied a piece of the file pushes offsets into its copy.
    shift: usize,
    /// Reading plain text in place: the document's text is the file's, and
    /// blocks are ranges of it (`Builder::over`).
    in_place: bool,
    /// In place: the open block's and open cell's extent so far.
    extent: Option<(usize, usize)>,
    cell_extent: Option<(usize, usize)>,
    /// In place: the length of the text the blocks are ranges of.
    source_len: usize,
    /// The next block goes on with one a window before ended inside.
    going_on: bool,
}

impl Builder {
    pub fn new() -> Builder {
        Builder::default()
    }

    /// A builder for a text of `len` bytes read in place: each block is
    /// the range from the first to the last text pushed into it, and
    /// [`Builder::finish_with`] hands the text over, so it is never copied.
    /// Pushes must come in file order, as slices of that text at their own
    /// offsets.
    pub fn in_place(len: usize) -> Builder {
        let mut b = Builder {
            in_place: true,
            source_len: len,
            ..Builder::default()
        };
        // About one block per paragraph of a few hundred bytes: reserving
        // saves the vector's regrowth on every document, and the bound
        // keeps a huge file from reserving much before it has blocks.
        b.doc.blocks.reserve((len / 256).clamp(4, 4096));
        b
    }

    /// Maps all text pushed from now on to one file offset, for content the
    /// reader decoded (base64, quoted-printable) and cannot map byte by byte.
    pub fn fix_origin(&mut self, at: Option<usize>) {
        self.fixed_origin = at;
    }

    /// Adds `by` to the file offsets of all text pushed from now on (not
    /// in place, where blocks are ranges of the file itself).
    pub fn shift_offsets(&mut self, by: usize) {
        debug_assert!(
            !self.in_place,
            "an in-place builder's blocks are the file's ranges"
        );
        self.shift = by;
    }

    /// Starts a block, closing the open one.
    pub fn start(&mut self, kind: BlockKind) {
        self.end();
        if self.in_place {
            self.open = Some((kind, 0));
            self.extent = None;
            return;
        }
        if !self.doc.text.is_empty() {
            self.doc.text.push_str("\n\n");
        }
        self.open = Some((kind, self.doc.text.len()));
        self.space = !std::mem::take(&mut self.going_on);
    }

    /// [`Builder::go_on`] for the next block started (by a reader that
    /// starts it itself).
    pub fn go_on_at_start(&mut self) {
        self.going_on = true;
    }

    /// Goes on with a block the window before ended inside, at whitespace
    /// the engine cuts the block at: that whitespace is kept, as it is
    /// when the block is read whole (a block's start is trimmed).
    pub fn go_on(&mut self) {
        self.space = false;
    }

    /// The open block's text so far, with where it starts in the
    /// document's text.
    pub fn open_text(&self) -> Option<(usize, &str)> {
        let (_, start) = self.open?;
        Some((start, self.text().get(start..)?))
    }

    /// Where the open cell's text starts.
    pub fn open_cell(&self) -> Option<usize> {
        self.cell_start
    }

    /// The document's text so far.
    pub fn text(&self) -> &str {
        &self.doc.text
    }

    /// The byte in the file that position `at` of the text so far came
    /// from, and whether it was copied byte for byte.
    pub fn origin(&self, at: usize) -> (usize, bool) {
        let i = self.doc.segments.partition_point(|s| s.text <= at);
        let verbatim = i > 0 && self.doc.segments[i - 1].verbatim;
        (self.doc.file_offset(at), verbatim)
    }

    pub fn is_open(&self) -> bool {
        self.open.is_some()
    }

    pub fn kind(&self) -> Option<BlockKind> {
        self.open.map(|(k, _)| k)
    }

    /// Appends text that is in the file at `file` byte for byte.
    pub fn push(&mut self, s: &str, file: usize) {
        self.append(s, file, true);
    }

    /// Appends text decoded from the file at `file` (an entity, a decoded
    /// word): all of it maps to `file`.
    pub fn push_decoded(&mut self, s: &str, file: usize) {
        self.append(s, file, false);
    }

    fn append(&mut self, s: &str, file: usize, verbatim: bool) {
        if self.open.is_none() {
            self.start(BlockKind::Paragraph);
        }
        if self.in_place {
            let end = (file + s.len()).min(self.source_len);
            let extend = |e: &mut Option<(usize, usize)>| {
                let (from, _) = *e.get_or_insert((file, end));
                *e = Some((from, end.max(from)));
            };
            extend(&mut self.extent);
            if self.cell_start.is_some() {
                extend(&mut self.cell_extent);
            }
            return;
        }
        let (file, verbatim) = match self.fixed_origin {
            Some(at) => (at, false),
            None => (file + self.shift, verbatim),
        };
        // Whitespace collapses to one space and a block has no blank line
        // inside (the engine cuts paragraphs at blank lines); newlines stay,
        // since the engine reads a line break as a soft boundary. Words
        // with single spaces between them are copied as one run.
        let bytes = s.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let (ws, len) = whitespace_at(s, i);
            if ws {
                let c = bytes[i];
                if !self.space {
                    let at = self.doc.text.len();
                    self.mark(at, if verbatim { file + i } else { file }, verbatim);
                    self.doc.text.push(if c == b'\n' { '\n' } else { ' ' });
                    self.space = true;
                } else if c == b'\n' && self.doc.text.ends_with(' ') && !self.at_block_start() {
                    // "word \n" keeps its line break.
                    self.doc.text.pop();
                    self.doc.text.push('\n');
                }
                i += len;
                continue;
            }
            let start = i;
            loop {
                while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] < 0x80 {
                    i += 1;
                }
                if i >= bytes.len() {
                    break;
                }
                if bytes[i] >= 0x80 {
                    let (ws, len) = whitespace_at(s, i);
                    if ws {
                        break;
                    }
                    i += len;
                    continue;
                }
                // One plain space between words stays inside the run.
                if bytes[i] == b' ' && i + 1 < bytes.len() && !whitespace_at(s, i + 1).0 {
                    i += 1;
                    continue;
                }
                break;
            }
            self.copy(
                &s[start..i],
                if verbatim { file + start } else { file },
                verbatim,
            );
        }
    }

    fn at_block_start(&self) -> bool {
        self.open
            .is_some_and(|(_, start)| start == self.doc.text.len())
    }

    fn copy(&mut self, s: &str, file: usize, verbatim: bool) {
        let at = self.doc.text.len();
        self.mark(at, file, verbatim);
        self.doc.text.push_str(s);
        if let Some(last) = self.doc.segments.last_mut() {
            last.end = self.doc.text.len();
        }
        self.space = false;
    }

    /// Records that text from `at` on comes from `file`, unless the previous
    /// segment already continues there.
    fn mark(&mut self, at: usize, file: usize, verbatim: bool) {
        if let Some(last) = self.doc.segments.last() {
            if last.verbatim && verbatim && last.file + (at - last.text) == file {
                return;
            }
            if !last.verbatim && !verbatim && last.file == file {
                return;
            }
        }
        self.doc.segments.push(Segment {
            text: at,
            file,
            verbatim,
            end: at,
        });
    }

    /// Starts a table cell in the open row.
    pub fn start_cell(&mut self) {
        self.end_cell();
        if self.in_place {
            self.cell_start = Some(0);
            self.cell_extent = None;
            return;
        }
        if self.cell_start.is_none() && !self.cells.is_empty() {
            self.doc.text.push_str(" | ");
            self.space = true;
        }
        self.cell_start = Some(self.doc.text.len());
    }

    pub fn end_cell(&mut self) {
        if self.in_place {
            // Trimmed when the text arrives (`finish_with`).
            if self.cell_start.take().is_some() {
                if let Some((from, to)) = self.cell_extent.take() {
                    self.cells.push(from..to);
                }
            }
            return;
        }
        if let Some(start) = self.cell_start.take() {
            let mut end = self.doc.text.len();
            while end > start && self.doc.text.as_bytes()[end - 1].is_ascii_whitespace() {
                end -= 1;
            }
            self.cells.push(start..end);
        }
    }

    /// Sets the column headers of the rows that follow.
    pub fn set_headers(&mut self, headers: Vec<String>) {
        self.headers = headers;
    }

    /// Closes the open block, dropping it when it holds no text.
    pub fn end(&mut self) {
        self.end_cell();
        if self.in_place {
            self.end_in_place();
            return;
        }
        let Some((kind, start)) = self.open.take() else {
            return;
        };
        while self.doc.text.len() > start
            && self.doc.text.as_bytes()[self.doc.text.len() - 1].is_ascii_whitespace()
        {
            self.doc.text.pop();
        }
        let end = self.doc.text.len();
        let mut cells = std::mem::take(&mut self.cells);
        for c in &mut cells {
            c.end = c.end.min(end);
            c.start = c.start.min(c.end);
        }
        if end == start
            || self.doc.text[start..end]
                .trim_matches(|c: char| c == '|' || c.is_whitespace())
                .is_empty()
        {
            // Nothing in it: take back the separator too.
            let sep = start.saturating_sub(2);
            self.doc.text.truncate(sep);
            // Segments are in text order: those past the cut are last
            // (a `retain` over all of them made many empty blocks quadratic).
            while self.doc.segments.last().is_some_and(|s| s.text >= sep) {
                self.doc.segments.pop();
            }
            return;
        }
        self.close(kind, start..end, cells);
    }

    fn end_in_place(&mut self) {
        let Some((kind, _)) = self.open.take() else {
            return;
        };
        let cells = std::mem::take(&mut self.cells);
        if let Some((from, to)) = self.extent.take() {
            // Trimmed, and dropped if empty, when the text arrives.
            self.close(kind, from..to, cells);
        }
    }

    /// Adds a whole block of one run of text at `file` (the common case of a
    /// paragraph on one line), closing any open block first.
    pub fn add(&mut self, kind: BlockKind, s: &str, file: usize) {
        if self.in_place && !s.is_empty() {
            self.end();
            let end = (file + s.len()).min(self.source_len);
            self.doc.blocks.push(Block {
                kind,
                range: file..end,
                cells: Vec::new(),
                headers: Vec::new(),
            });
            return;
        }
        self.start(kind);
        self.push(s, file);
        self.end();
    }

    /// Finishes a builder made by [`Builder::in_place`], with the text its
    /// blocks are ranges of.
    pub fn finish_with(self, text: String) -> Document {
        let mut doc = self.finish_over(&text);
        doc.text = text;
        doc
    }

    /// [`Builder::finish_with`] over a text the caller keeps: the blocks
    /// are ranges of `text`, and the document's own text is left empty.
    pub fn finish_over(mut self, text: &str) -> Document {
        debug_assert!(self.in_place && text.len() == self.source_len);
        self.end();
        // Compacted in place: one pass, no second vector of blocks.
        let mut prev_end = 0;
        self.doc.blocks.retain_mut(|b| {
            let (from, to) = trimmed(text, b.range.start, b.range.end);
            // Blocks never overlap: a later block starts where the last ended.
            let from = from.max(prev_end);
            let body = text.get(from..to).unwrap_or("");
            if from >= to
                || body
                    .trim_matches(|c: char| c == '|' || c.is_whitespace())
                    .is_empty()
            {
                return false;
            }
            b.range = from..to;
            for c in &mut b.cells {
                let (s, e) = trimmed(text, c.start, c.end);
                *c = s.clamp(from, to)..e.clamp(from, to);
            }
            prev_end = to;
            true
        });
        self.in_place = false;
        self.name_by_heading(text);
        self.doc
    }

    /// Adds a finished block; table rows take the table's headers.
    fn close(&mut self, kind: BlockKind, range: Range<usize>, cells: Vec<Range<usize>>) {
        let headers = if kind == BlockKind::TableRow {
            self.headers.clone()
        } else {
            Vec::new()
        };
        self.doc.blocks.push(Block {
            kind,
            range,
            cells,
            headers,
        });
    }

    pub fn set_subject(&mut self, subject: &str) {
        let s = subject.split_whitespace().collect::<Vec<_>>().join(" ");
        if !s.is_empty() {
            self.doc.subject = Some(s);
        }
    }

    pub fn has_subject(&self) -> bool {
        self.doc.subject.is_some()
    }

    pub fn set_dated(&mut self, at: NaiveDateTime, source: dct::Source) {
        if self.doc.dated.is_none() {
            self.doc.dated = Some((at, source));
        }
    }

    pub fn warn(&mut self, message: String) {
        self.doc.warnings.push(message);
    }

    pub fn finish(mut self) -> Document {
        debug_assert!(!self.in_place, "an in-place builder finishes with its text");
        self.end();
        let text = std::mem::take(&mut self.doc.text);
        self.name_by_heading(&text);
        self.doc.text = text;
        self.doc
    }

    /// Without a subject, the first heading names the document (a level-1
    /// one if any); `text` is what the blocks are ranges of.
    fn name_by_heading(&mut self, text: &str) {
        if self.doc.subject.is_some() {
            return;
        }
        let first = (self.doc.blocks.iter())
            .filter(|b| matches!(b.kind, BlockKind::Heading(_)))
            .min_by_key(|b| match b.kind {
                BlockKind::Heading(level) => level,
                _ => u8::MAX,
            });
        if let Some(s) = first.and_then(|b| text.get(b.range.clone())) {
            self.set_subject(s);
        }
    }
}
