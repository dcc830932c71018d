//! HTML: one pass over html5gum's tokenizer, with no DOM.
//!
//! The reader is an html5gum [`Emitter`](html5gum::Emitter): the tokenizer
//! calls it with text runs and tags as it reads, and it keeps only a small
//! stack of the open elements it cares about (blocks, tables, dropped
//! elements). Text is mapped back to the file by the tokenizer's read
//! position: a run that is byte for byte in the file at that position is
//! pushed verbatim, anything else (an entity, a normalized line end) is
//! pushed as decoded text at the `&` (or byte) it came from.
//!
//! What is dropped: scripts, styles, navigation, footers, asides, forms,
//! SVG, struck-out text (`del`, `s`, `strike`) and comments. Blocks are
//! headings, paragraphs, list items, quotes, code and table rows (each cell
//! a cell; a header row gives the column headers). Short `<br>`-separated
//! lines that read as a schedule become one `Line` block each. Metadata: the
//! `<title>` names the document, and `article:published_time`, a
//! `<meta name="date">` or the first `<time datetime>` dates it.
//!
//! `elements` holds the tracked elements (their classes, the open-element
//! stack, implied ends, metadata tags), `emitter` the html5gum emitter
//! and the mapping of its text back to the file; the blocks are built here.

use chrono::NaiveDateTime;

use super::lines::{split_schedule_lines, Layout};
use super::{dct, BlockKind, Builder, Document};

use elements::{El, Tag, TAGS};
use emitter::MAX_NAME;
pub(crate) use window::{read_window, window_end, Open};

mod elements;
mod emitter;
#[cfg(test)]
mod tests;
mod window;

pub(crate) fn read(text: &str) -> Document {
    read_window(text, &Open::default(), 0)
}

/// How much text a block buffers (to decide how to lay it out) before it is
/// streamed to the builder as it comes.
const MAX_BUFFERED: usize = 16 * 1024;
const MAX_PIECES: usize = 1024;
/// A cap on what is kept of the title.
const MAX_TITLE: usize = 2048;

/// A run of a block's text, or a mark in it, as the reader hands it on.
#[derive(Clone, Copy, Debug)]
enum Run<'s> {
    /// Text that is in the file at this offset byte for byte.
    Raw(&'s str, usize),
    /// Decoded text, from the file at this offset.
    Decoded(&'s str, usize),
    /// A line break (`<br>`) at this offset.
    Break(usize),
    CellStart,
    CellEnd,
}

/// A [`Run`] kept while a block is buffered: raw text as a range of the
/// file, decoded text as a range of the decoded buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Piece {
    Raw(usize, usize),
    Decoded(usize, usize, usize),
    Break(usize),
    CellStart,
    CellEnd,
}

impl Piece {
    fn run<'s>(self, src: &'s str, dec: &'s str) -> Run<'s> {
        match self {
            Piece::Raw(a, b) => Run::Raw(&src[a..b], a),
            Piece::Decoded(a, b, at) => Run::Decoded(&dec[a..b], at),
            Piece::Break(at) => Run::Break(at),
            Piece::CellStart => Run::CellStart,
            Piece::CellEnd => Run::CellEnd,
        }
    }
}

/// How the open block's text reaches the builder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    /// Straight through: the builder's block is open.
    Stream,
    /// Kept in `pieces` until the block ends (or grows too long), to decide
    /// its layout: a paragraph's lines, a table's header row.
    Buffer,
    /// A paragraph found to be schedule lines: each line is kept until its
    /// `<br>`, then written as a `Line` block.
    Lines,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Row {
    in_cell: bool,
    /// Still a candidate header row (only `th` cells so far, or in a
    /// `thead`, and the table's first row); such a row is buffered.
    header: bool,
    /// Whether any cell has text.
    text: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Table {
    headers: Vec<String>,
    thead: usize,
    /// Rows with text emitted so far.
    data_rows: usize,
    /// The header row, kept to be written as a row after all if the table
    /// turns out to have nothing else.
    header_row: Option<(Vec<Piece>, String)>,
    row: Option<Row>,
}

struct Reader<'a> {
    src: &'a str,
    b: Builder,
    /// Where `src` starts in the page (a window of it), for warnings.
    at: usize,
    /// Whether the reader notes where a window may end (see `window`).
    scan: bool,
    /// The last such place and what is open there.
    cut: Option<(usize, Open)>,
    /// The tokenizer's read position in `src`.
    pos: usize,
    /// Where the tag being read starts.
    tag_start: usize,
    /// Where the last tag that may change what is open ended.
    last_tag: usize,
    /// Scanning, the cells of the open row's block streamed so far: where each
    /// one's text starts in the builder's text, and where its start tag
    /// ends in `src` (a window may end there, see `window`).
    cell_starts: Vec<(usize, usize)>,

    // The tag being read.
    name: Vec<u8>,
    name_long: bool,
    is_end: bool,
    self_closing: bool,
    last_start: Vec<u8>,
    /// Whether the tag's attributes are wanted (`meta`, `time`), once known.
    attrs_wanted: Option<bool>,
    in_attr: bool,
    attr_name: Vec<u8>,
    attr_value: Vec<u8>,
    a_property: Vec<u8>,
    a_name: Vec<u8>,
    a_itemprop: Vec<u8>,
    a_content: Vec<u8>,
    a_datetime: Vec<u8>,

    // Open elements.
    stack: Vec<El>,
    counts: [u32; TAGS],
    dropped: usize,
    /// Open `article` and `main` elements.
    article: usize,
    head: usize,
    /// A raw-text element (script, style, title…) being read, and where it
    /// started, to warn when it is never closed.
    raw_open: Option<(Tag, usize)>,
    /// A run that ends inside a character, waiting for the rest: its range.
    partial: Option<(usize, usize)>,
    in_title: bool,
    title_capture: bool,
    title_text: String,

    // The open block.
    open: Option<BlockKind>,
    mode: Mode,
    pieces: Vec<Piece>,
    dec: String,
    buffered: usize,
    breaks: bool,
    tables: Vec<Table>,

    // Metadata.
    title: Option<String>,
    og_title: Option<String>,
    published: Option<NaiveDateTime>,
    meta_date: Option<NaiveDateTime>,
    time_article: Option<NaiveDateTime>,
    time_body: Option<NaiveDateTime>,
    time_tries: u32,
}

/// Appends `s` to `out` with whitespace collapsed to single spaces.
fn append_collapsed(out: &mut String, s: &str) {
    for c in s.chars() {
        if c.is_whitespace() {
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
}

/// Pushes text to the builder; outside code, a line end in the source is
/// only a space, as a browser shows it.
fn push_text(b: &mut Builder, s: &str, at: usize, verbatim: bool, code: bool) {
    let put = |b: &mut Builder, s: &str, at: usize| {
        if verbatim {
            b.push(s, at);
        } else {
            b.push_decoded(s, at);
        }
    };
    if code || !s.contains('\n') {
        put(b, s, at);
        return;
    }
    let mut off = 0;
    for (i, part) in s.split('\n').enumerate() {
        if i > 0 {
            put(b, " ", if verbatim { at + off - 1 } else { at });
        }
        if !part.is_empty() {
            put(b, part, if verbatim { at + off } else { at });
        }
        off += part.len() + 1;
    }
}

fn put(b: &mut Builder, run: Run<'_>, code: bool) {
    match run {
        Run::Raw(s, at) => push_text(b, s, at, true, code),
        Run::Decoded(s, at) => push_text(b, s, at, false, code),
        Run::Break(at) => b.push_decoded("\n", at),
        Run::CellStart => b.start_cell(),
        Run::CellEnd => b.end_cell(),
    }
}

fn replay(b: &mut Builder, src: &str, dec: &str, pieces: &[Piece], code: bool) {
    for p in pieces {
        put(b, p.run(src, dec), code);
    }
}

impl<'a> Reader<'a> {
    fn new(src: &'a str) -> Reader<'a> {
        Reader {
            src,
            b: Builder::new(),
            at: 0,
            scan: false,
            cut: None,
            pos: 0,
            tag_start: 0,
            last_tag: 0,
            cell_starts: Vec::new(),
            name: Vec::with_capacity(MAX_NAME),
            name_long: false,
            is_end: false,
            self_closing: false,
            last_start: Vec::with_capacity(MAX_NAME),
            attrs_wanted: None,
            in_attr: false,
            attr_name: Vec::new(),
            attr_value: Vec::new(),
            a_property: Vec::new(),
            a_name: Vec::new(),
            a_itemprop: Vec::new(),
            a_content: Vec::new(),
            a_datetime: Vec::new(),
            stack: Vec::new(),
            counts: [0; TAGS],
            dropped: 0,
            article: 0,
            head: 0,
            raw_open: None,
            partial: None,
            in_title: false,
            title_capture: false,
            title_text: String::new(),
            open: None,
            mode: Mode::Stream,
            pieces: Vec::new(),
            dec: String::new(),
            buffered: 0,
            breaks: false,
            tables: Vec::new(),
            title: None,
            og_title: None,
            published: None,
            meta_date: None,
            time_article: None,
            time_body: None,
            time_tries: 0,
        }
    }

    fn finish(mut self) -> Document {
        if self.in_title {
            self.end_title();
        }
        while !self.stack.is_empty() {
            self.pop();
        }
        self.end_block();
        while !self.tables.is_empty() {
            self.end_table();
        }
        if let Some((t, at)) = self.raw_open {
            let at = self.at + at;
            let name = format!("{t:?}").to_ascii_lowercase();
            self.b.warn(format!(
                "<{name}> at byte {at} is never closed; the rest of the page was read as its content"
            ));
        }
        if let Some(t) = self.title.take().or_else(|| self.og_title.take()) {
            self.b.set_subject(&t);
        }
        let dated = [
            self.published,
            self.meta_date,
            self.time_article,
            self.time_body,
        ];
        if let Some(at) = dated.into_iter().flatten().next() {
            self.b.set_dated(at, dct::Source::PageMetadata);
        }
        self.b.finish()
    }

    // ---- Text ---------------------------------------------------------

    fn run(&mut self, s: &str, at: usize, verbatim: bool) {
        if self.in_title {
            if self.title_capture && self.title_text.len() + s.len() <= MAX_TITLE {
                self.title_text.push_str(s);
            }
        } else if self.dropped == 0 {
            self.text(s, at, verbatim);
        }
    }

    fn text(&mut self, s: &str, at: usize, verbatim: bool) {
        let kind = self.kind();
        let blank = s.trim().is_empty();
        if self.open.is_some_and(|k| k != kind) {
            self.end_block();
        }
        if self.open.is_none() {
            if blank {
                return;
            }
            self.open_block(kind);
        }
        if kind == BlockKind::TableRow {
            let row = self.row_mut();
            if !row.in_cell && blank {
                // Whitespace between cells.
                return;
            }
            row.text |= !blank;
        }
        self.add(if verbatim {
            Run::Raw(s, at)
        } else {
            Run::Decoded(s, at)
        });
    }

    // ---- Blocks -------------------------------------------------------

    fn open_block(&mut self, kind: BlockKind) {
        self.end_block();
        self.open = Some(kind);
        self.mode = Mode::Stream;
        match kind {
            BlockKind::Paragraph => {
                self.flush_header_row();
                self.mode = Mode::Buffer;
            }
            BlockKind::TableRow => {
                let (header, in_cell) = {
                    let row = self.row_mut();
                    (row.header, row.in_cell)
                };
                if header {
                    self.mode = Mode::Buffer;
                } else {
                    self.b.start(kind);
                }
                if in_cell {
                    self.add(Run::CellStart);
                }
            }
            _ => {
                self.flush_header_row();
                self.b.start(kind);
            }
        }
    }

    fn add(&mut self, run: Run<'_>) {
        let code = self.open == Some(BlockKind::Code);
        if self.mode == Mode::Stream {
            put(&mut self.b, run, code);
            return;
        }
        if self.mode == Mode::Lines && matches!(run, Run::Break(_)) {
            self.emit_lines(self.pieces.len());
            self.clear_buffer();
            return;
        }
        let piece = match run {
            Run::Raw(s, at) => {
                self.buffered += s.len();
                Piece::Raw(at, at + s.len())
            }
            Run::Decoded(s, at) => {
                let a = self.dec.len();
                self.dec.push_str(s);
                self.buffered += s.len();
                Piece::Decoded(a, self.dec.len(), at)
            }
            Run::Break(at) => {
                self.breaks = true;
                Piece::Break(at)
            }
            Run::CellStart => Piece::CellStart,
            Run::CellEnd => Piece::CellEnd,
        };
        self.pieces.push(piece);
        if self.buffered > MAX_BUFFERED || self.pieces.len() > MAX_PIECES {
            self.overflow();
        }
    }

    fn clear_buffer(&mut self) {
        self.pieces.clear();
        self.dec.clear();
        self.buffered = 0;
        self.breaks = false;
    }

    /// The buffered block grew too long to keep: decide what it is from
    /// what is there and stream the rest.
    fn overflow(&mut self) {
        let kind = self.open.unwrap_or(BlockKind::Paragraph);
        if self.mode == Mode::Buffer && kind == BlockKind::Paragraph && self.breaks {
            if let Some(last) = self
                .pieces
                .iter()
                .rposition(|p| matches!(p, Piece::Break(_)))
            {
                if self.layout(last + 1) == Layout::Rows {
                    self.emit_lines(last + 1);
                    self.pieces.drain(..=last);
                    self.buffered = self.pieces.iter().map(|p| self.piece_len(*p)).sum();
                    self.mode = Mode::Lines;
                    return;
                }
            }
        }
        if kind == BlockKind::TableRow {
            self.row_mut().header = false;
        }
        // A schedule line too long to be one: the rest is a paragraph.
        let kind = if self.mode == Mode::Lines {
            BlockKind::Paragraph
        } else {
            kind
        };
        self.b.start(kind);
        replay(
            &mut self.b,
            self.src,
            &self.dec,
            &self.pieces,
            kind == BlockKind::Code,
        );
        self.clear_buffer();
        self.open = Some(kind);
        self.mode = Mode::Stream;
    }

    fn piece_len(&self, p: Piece) -> usize {
        match p {
            Piece::Raw(a, b) | Piece::Decoded(a, b, _) => b - a,
            _ => 0,
        }
    }

    /// How the buffered paragraph's lines, up to piece `upto`, read.
    fn layout(&self, upto: usize) -> Layout {
        let mut text = String::new();
        let mut ranges = Vec::new();
        let mut start = 0;
        for p in &self.pieces[..upto] {
            match p.run(self.src, &self.dec) {
                Run::Raw(s, _) | Run::Decoded(s, _) => append_collapsed(&mut text, s),
                Run::Break(_) => {
                    ranges.push(start..text.len());
                    start = text.len();
                }
                Run::CellStart | Run::CellEnd => {}
            }
        }
        ranges.push(start..text.len());
        let lines: Vec<&str> = ranges
            .into_iter()
            .map(|r| text[r].trim())
            .filter(|l| !l.is_empty())
            .collect();
        split_schedule_lines(&lines)
    }

    /// Writes the buffered pieces up to `upto` as one `Line` block per line.
    fn emit_lines(&mut self, upto: usize) {
        let mut from = 0;
        for i in 0..=upto {
            let at_break = i < upto && matches!(self.pieces[i], Piece::Break(_));
            if i < upto && !at_break {
                continue;
            }
            let line = &self.pieces[from..i];
            let has_text = line.iter().any(|p| match p.run(self.src, &self.dec) {
                Run::Raw(s, _) | Run::Decoded(s, _) => !s.trim().is_empty(),
                _ => false,
            });
            if has_text {
                self.b.start(BlockKind::Line);
                replay(&mut self.b, self.src, &self.dec, line, false);
                self.b.end();
            }
            from = i + 1;
        }
    }

    /// Closes the open block, writing what is buffered.
    fn end_block(&mut self) {
        self.cell_starts.clear();
        let Some(kind) = self.open.take() else {
            return;
        };
        let mut header = false;
        match self.mode {
            Mode::Stream => self.b.end(),
            Mode::Lines => self.emit_lines(self.pieces.len()),
            Mode::Buffer => {
                if kind == BlockKind::TableRow && self.row_mut().header {
                    header = true;
                    self.header_row();
                } else if kind == BlockKind::Paragraph
                    && self.breaks
                    && self.layout(self.pieces.len()) == Layout::Rows
                {
                    self.emit_lines(self.pieces.len());
                } else {
                    self.b.start(kind);
                    replay(
                        &mut self.b,
                        self.src,
                        &self.dec,
                        &self.pieces,
                        kind == BlockKind::Code,
                    );
                    self.b.end();
                }
            }
        }
        if kind == BlockKind::TableRow && !header {
            if let Some(t) = self.tables.last_mut() {
                if t.row.as_ref().is_some_and(|r| r.text) {
                    t.data_rows += 1;
                    t.header_row = None;
                }
            }
        }
        self.clear_buffer();
        self.mode = Mode::Stream;
    }

    /// The buffered row is the table's header row: its cells name the
    /// columns of the rows that follow.
    fn header_row(&mut self) {
        let mut cells: Vec<String> = Vec::new();
        for p in &self.pieces {
            match p.run(self.src, &self.dec) {
                Run::CellStart => cells.push(String::new()),
                Run::Raw(s, _) | Run::Decoded(s, _) => {
                    if let Some(c) = cells.last_mut() {
                        append_collapsed(c, s);
                    }
                }
                Run::Break(_) => {
                    if let Some(c) = cells.last_mut() {
                        append_collapsed(c, " ");
                    }
                }
                Run::CellEnd => {}
            }
        }
        for c in &mut cells {
            let t = c.trim_end().len();
            c.truncate(t);
        }
        if cells.iter().all(|c| c.is_empty()) {
            return;
        }
        let pieces = std::mem::take(&mut self.pieces);
        let dec = std::mem::take(&mut self.dec);
        let t = self.table_mut();
        if !t.headers.is_empty() {
            // A second header row (in a thead): not a row of data.
            return;
        }
        t.headers = cells.clone();
        t.header_row = Some((pieces, dec));
        self.b.set_headers(cells);
    }

    // ---- Tables -------------------------------------------------------

    fn table_mut(&mut self) -> &mut Table {
        if self.tables.is_empty() {
            self.tables.push(Table::default());
        }
        let last = self.tables.len() - 1;
        &mut self.tables[last]
    }

    fn row_mut(&mut self) -> &mut Row {
        self.table_mut().row.get_or_insert_with(Row::default)
    }

    fn start_row(&mut self) {
        self.end_block();
        let t = self.table_mut();
        let header =
            t.thead > 0 || (t.data_rows == 0 && t.headers.is_empty() && t.header_row.is_none());
        t.row = Some(Row {
            in_cell: false,
            header,
            text: false,
        });
        self.open_block(BlockKind::TableRow);
    }

    fn start_cell(&mut self, th: bool) {
        if self.open.is_some_and(|k| k != BlockKind::TableRow) {
            self.end_block();
        }
        if self.table_mut().row.is_none() {
            self.start_row();
        }
        // A cell left open ends here.
        self.end_cell();
        if self.open.is_none() {
            self.open_block(BlockKind::TableRow);
        }
        let thead = self.table_mut().thead > 0;
        let row = self.row_mut();
        if !th && !thead && row.header {
            row.header = false;
            if self.mode == Mode::Buffer {
                // A data row after all: write what was kept, stream the rest.
                self.b.start(BlockKind::TableRow);
                replay(&mut self.b, self.src, &self.dec, &self.pieces, false);
                self.clear_buffer();
                self.mode = Mode::Stream;
            }
        }
        self.add(Run::CellStart);
        self.row_mut().in_cell = true;
        if self.scan && self.mode == Mode::Stream {
            if let Some(at) = self.b.open_cell() {
                self.cell_starts.push((at, self.pos));
            }
        }
    }

    fn end_cell(&mut self) {
        let Some(row) = self.tables.last_mut().and_then(|t| t.row.as_mut()) else {
            return;
        };
        if !row.in_cell {
            return;
        }
        row.in_cell = false;
        if self.open == Some(BlockKind::TableRow) {
            self.add(Run::CellEnd);
        }
    }

    /// A header row with no data rows after it, when something else comes
    /// (the table ends, other text, a nested table), is the table's content
    /// after all: it is written as a row, in its place.
    fn flush_header_row(&mut self) {
        let Some(t) = self.tables.last_mut() else {
            return;
        };
        if t.data_rows > 0 {
            return;
        }
        let Some((pieces, dec)) = t.header_row.take() else {
            return;
        };
        let headers = t.headers.clone();
        self.b.set_headers(Vec::new());
        self.b.start(BlockKind::TableRow);
        replay(&mut self.b, self.src, &dec, &pieces, false);
        self.b.end();
        self.b.set_headers(headers);
    }

    fn end_table(&mut self) {
        self.end_block();
        self.flush_header_row();
        if self.tables.pop().is_none() {
            return;
        }
        let outer = self
            .tables
            .last()
            .map(|t| t.headers.clone())
            .unwrap_or_default();
        self.b.set_headers(outer);
    }
}
