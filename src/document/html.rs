//! HTML: one pass over html5gum's tokenizer, with no DOM.
//!
//! The reader is an html5gum [`Emitter`]: the tokenizer calls it with text
//! runs and tags as it reads, and it keeps only a small stack of the open
//! elements it cares about (blocks, tables, dropped elements). Text is
//! mapped back to the file by the tokenizer's read position: a run that is
//! byte for byte in the file at that position is pushed verbatim, anything
//! else (an entity, a normalized line end) is pushed as decoded text at the
//! `&` (or byte) it came from.
//!
//! What is dropped: scripts, styles, navigation, footers, asides, forms,
//! SVG, struck-out text (`del`, `s`, `strike`) and comments. Blocks are
//! headings, paragraphs, list items, quotes, code and table rows (each cell
//! a cell; a header row gives the column headers). Short `<br>`-separated
//! lines that read as a schedule become one `Line` block each. Metadata: the
//! `<title>` names the document, and `article:published_time`, a
//! `<meta name="date">` or the first `<time datetime>` dates it.

use chrono::NaiveDateTime;
use html5gum::{naive_next_state, Emitter, State, Tokenizer};

use super::lines::{split_schedule_lines, Layout};
use super::{dct, BlockKind, Builder, Document};

pub(crate) fn read(text: &str) -> Document {
    let mut reader = Reader::new(text);
    match Tokenizer::new_with_emitter(text, Events(&mut reader)).finish() {
        Ok(()) => {}
        Err(never) => match never {},
    }
    reader.finish()
}

/// How deep the stack of tracked elements goes; deeper (non-dropped)
/// elements are not tracked, which only blurs their block boundaries.
const MAX_DEPTH: usize = 512;
/// How much text a block buffers (to decide how to lay it out) before it is
/// streamed to the builder as it comes.
const MAX_BUFFERED: usize = 16 * 1024;
const MAX_PIECES: usize = 1024;
/// Caps on what is kept of a tag's name, an attribute value and the title.
const MAX_NAME: usize = 32;
const MAX_ATTR: usize = 2048;
const MAX_TITLE: usize = 2048;
/// How many `<time datetime>` values are tried as the page's date.
const MAX_TIME_TRIES: u32 = 16;

/// The elements the reader tracks; every other tag is inline and ignored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
enum Tag {
    // Dropped with everything in them.
    Script,
    Style,
    Noscript,
    Template,
    Nav,
    Footer,
    Aside,
    Form,
    Button,
    Select,
    Svg,
    Math,
    Iframe,
    Del,
    S,
    Strike,
    Textarea,
    Noembed,
    Noframes,
    Canvas,
    Object,
    Datalist,
    // Containers: they break blocks but do not say what a block is.
    Html,
    Head,
    Body,
    P,
    Div,
    Section,
    Article,
    Main,
    Header,
    Hgroup,
    Figure,
    Figcaption,
    Address,
    Center,
    Details,
    Summary,
    Ul,
    Ol,
    Dl,
    Menu,
    Fieldset,
    // Blocks of a kind.
    H1,
    H2,
    H3,
    H4,
    H5,
    H6,
    Pre,
    Listing,
    Xmp,
    Plaintext,
    Li,
    Dt,
    Dd,
    Blockquote,
    // Tables.
    Table,
    Caption,
    Thead,
    Tbody,
    Tfoot,
    Tr,
    Td,
    Th,
    // Never on the stack.
    Br,
    Hr,
    Meta,
    Time,
    Title,
}

const TAGS: usize = Tag::Title as usize + 1;

fn tag(name: &[u8]) -> Option<Tag> {
    use Tag::*;
    Some(match name {
        b"script" => Script,
        b"style" => Style,
        b"noscript" => Noscript,
        b"template" => Template,
        b"nav" => Nav,
        b"footer" => Footer,
        b"aside" => Aside,
        b"form" => Form,
        b"button" => Button,
        b"select" => Select,
        b"svg" => Svg,
        b"math" => Math,
        b"iframe" => Iframe,
        b"del" => Del,
        b"s" => S,
        b"strike" => Strike,
        b"textarea" => Textarea,
        b"noembed" => Noembed,
        b"noframes" => Noframes,
        b"canvas" => Canvas,
        b"object" => Object,
        b"datalist" => Datalist,
        b"html" => Html,
        b"head" => Head,
        b"body" => Body,
        b"p" => P,
        b"div" => Div,
        b"section" => Section,
        b"article" => Article,
        b"main" => Main,
        b"header" => Header,
        b"hgroup" => Hgroup,
        b"figure" => Figure,
        b"figcaption" => Figcaption,
        b"address" => Address,
        b"center" => Center,
        b"details" => Details,
        b"summary" => Summary,
        b"ul" => Ul,
        b"ol" => Ol,
        b"dl" => Dl,
        b"menu" => Menu,
        b"fieldset" => Fieldset,
        b"h1" => H1,
        b"h2" => H2,
        b"h3" => H3,
        b"h4" => H4,
        b"h5" => H5,
        b"h6" => H6,
        b"pre" => Pre,
        b"listing" => Listing,
        b"xmp" => Xmp,
        b"plaintext" => Plaintext,
        b"li" => Li,
        b"dt" => Dt,
        b"dd" => Dd,
        b"blockquote" => Blockquote,
        b"table" => Table,
        b"caption" => Caption,
        b"thead" => Thead,
        b"tbody" => Tbody,
        b"tfoot" => Tfoot,
        b"tr" => Tr,
        b"td" => Td,
        b"th" => Th,
        b"br" => Br,
        b"hr" => Hr,
        b"meta" => Meta,
        b"time" => Time,
        b"title" => Title,
        _ => return None,
    })
}

fn is_dropped(t: Tag) -> bool {
    (t as u8) <= Tag::Datalist as u8
}

fn heading_level(t: Tag) -> Option<u8> {
    let (lo, hi) = (Tag::H1 as u8, Tag::H6 as u8);
    let v = t as u8;
    (lo..=hi).contains(&v).then(|| v - lo + 1)
}

/// Whether opening or closing the element ends the block around it. Dropped
/// inline elements (a struck-out word, a script between two words) do not.
fn breaks_block(t: Tag) -> bool {
    use Tag::*;
    !is_dropped(t) || matches!(t, Nav | Footer | Aside | Form)
}

/// Block-level elements, whose start closes an open `<p>`.
fn closes_p(t: Tag) -> bool {
    use Tag::*;
    heading_level(t).is_some()
        || matches!(
            t,
            P | Div
                | Section
                | Article
                | Main
                | Header
                | Hgroup
                | Figure
                | Figcaption
                | Address
                | Center
                | Details
                | Summary
                | Ul
                | Ol
                | Dl
                | Menu
                | Fieldset
                | Pre
                | Listing
                | Xmp
                | Plaintext
                | Li
                | Dt
                | Dd
                | Blockquote
                | Table
                | Nav
                | Footer
                | Aside
                | Form
                | Hr
        )
}

/// The kind of block text directly inside `t` makes, given the kind its
/// parent makes. Inside a table row everything but a heading stays in the
/// cell.
fn kind_in(t: Tag, parent: BlockKind) -> BlockKind {
    use Tag::*;
    let row = parent == BlockKind::TableRow;
    if let Some(level) = heading_level(t) {
        return BlockKind::Heading(level);
    }
    match t {
        Pre | Listing | Xmp | Plaintext if !row => BlockKind::Code,
        Li | Dt | Dd if !row => BlockKind::ListItem,
        Blockquote if !row => BlockKind::Quote,
        Tr | Td | Th => BlockKind::TableRow,
        Table | Caption | Thead | Tbody | Tfoot => BlockKind::Paragraph,
        _ => parent,
    }
}

/// An open element.
#[derive(Clone, Copy, Debug)]
struct El {
    tag: Tag,
    /// The kind of block its text makes.
    kind: BlockKind,
    /// Opened outside any dropped element: its start and end shape blocks.
    live: bool,
}

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
#[derive(Clone, Copy, Debug)]
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

#[derive(Debug, Default)]
struct Row {
    in_cell: bool,
    /// Still a candidate header row (only `th` cells so far, or in a
    /// `thead`, and the table's first row); such a row is buffered.
    header: bool,
    /// Whether any cell has text.
    text: bool,
}

#[derive(Debug, Default)]
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
    /// The tokenizer's read position in `src`.
    pos: usize,
    /// Where the tag being read starts.
    tag_start: usize,

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

/// Meta keys whose content is the page's publication time, first choice.
const PUBLISHED_KEYS: [&str; 2] = ["article:published_time", "og:article:published_time"];
/// Meta keys (name, property or itemprop) that date the page, second choice.
const DATE_KEYS: [&str; 20] = [
    "date",
    "dc.date",
    "dc.date.issued",
    "dc.date.created",
    "dcterms.date",
    "dcterms.issued",
    "dcterms.created",
    "pubdate",
    "publish-date",
    "publish_date",
    "publishdate",
    "publication_date",
    "publication-date",
    "citation_publication_date",
    "citation_date",
    "sailthru.date",
    "parsely-pub-date",
    "article.published",
    "datepublished",
    "originalpublicationdate",
];

fn key_is(key: &[u8], names: &[&str]) -> bool {
    let key = key.trim_ascii();
    names.iter().any(|n| key.eq_ignore_ascii_case(n.as_bytes()))
}

fn attr_str(v: &[u8]) -> &str {
    std::str::from_utf8(v).unwrap_or("").trim()
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
            pos: 0,
            tag_start: 0,
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

    /// A run of character data the tokenizer read, ending at `self.pos`.
    fn chars(&mut self, s: &[u8]) {
        if s.is_empty() || (self.dropped > 0 && !self.in_title) {
            return;
        }
        let src = self.src;
        let bytes = src.as_bytes();
        let end = self.pos.min(src.len());
        let partial = self.partial.take();
        if let Some(mut start) = end
            .checked_sub(s.len())
            .filter(|&start| &bytes[start..end] == s)
        {
            // The tokenizer hands a character read back (after an entity:
            // "&nbsp;été") on its own, even a byte of it: join it with the
            // rest.
            if let Some((from, to)) = partial {
                if to == start {
                    start = from;
                }
            }
            if !src.is_char_boundary(end) {
                self.partial = Some((start, end));
                return;
            }
            while !src.is_char_boundary(start) {
                start += 1;
            }
            if start < end {
                self.run(&src[start..end], start, true);
            }
            return;
        }
        // Decoded: an entity maps to its `&`.
        let window = &bytes[end.saturating_sub(40)..end];
        if let Some(k) = window.iter().rposition(|&c| c == b'&') {
            let amp = end - window.len() + k;
            let entity = &bytes[amp + 1..end];
            if !entity.is_empty()
                && entity
                    .iter()
                    .all(|&c| c.is_ascii_alphanumeric() || c == b'#' || c == b';')
            {
                self.decoded(s, amp);
                return;
            }
        }
        // Text the tokenizer gives back late ("</" of a non-closing tag in
        // raw text): find it just before.
        let before = &bytes[end.saturating_sub(s.len() + 16)..end];
        if let Some(k) = before.windows(s.len()).rposition(|w| w == s) {
            let start = end - before.len() + k;
            if let Some(raw) = src.get(start..start + s.len()) {
                self.run(raw, start, true);
                return;
            }
        }
        // A normalized line end, a replaced NUL: the byte before.
        self.decoded(s, end.saturating_sub(1));
    }

    fn decoded(&mut self, s: &[u8], at: usize) {
        match std::str::from_utf8(s) {
            Ok(t) => self.run(t, at, false),
            Err(_) => {
                let t = String::from_utf8_lossy(s);
                self.run(&t, at, false);
            }
        }
    }

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

    fn kind(&self) -> BlockKind {
        self.stack.last().map_or(BlockKind::Paragraph, |e| e.kind)
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

    // ---- Elements -----------------------------------------------------

    fn top(&self) -> Option<Tag> {
        self.stack.last().map(|e| e.tag)
    }

    fn push(&mut self, t: Tag) {
        let dropped = is_dropped(t);
        if self.stack.len() >= MAX_DEPTH && !dropped {
            return;
        }
        let parent = self.kind();
        let kind = kind_in(t, parent);
        let live = self.dropped == 0;
        self.stack.push(El { tag: t, kind, live });
        self.counts[t as usize] += 1;
        if dropped {
            self.dropped += 1;
        }
        match t {
            Tag::Article | Tag::Main => self.article += 1,
            Tag::Head => self.head += 1,
            _ => {}
        }
        if live {
            self.on_push(t, parent, kind);
        }
    }

    fn pop(&mut self) {
        let Some(e) = self.stack.pop() else {
            return;
        };
        let n = &mut self.counts[e.tag as usize];
        *n = n.saturating_sub(1);
        if is_dropped(e.tag) {
            self.dropped = self.dropped.saturating_sub(1);
        }
        match e.tag {
            Tag::Article | Tag::Main => self.article = self.article.saturating_sub(1),
            Tag::Head => self.head = self.head.saturating_sub(1),
            _ => {}
        }
        if e.live {
            let now = self.kind();
            self.on_pop(e.tag, e.kind, now);
        }
    }

    /// Pops elements down to the nearest one `target` accepts, unless one
    /// `stop` accepts comes first. Returns whether it popped.
    fn close_to(&mut self, target: impl Fn(Tag) -> bool, stop: impl Fn(Tag) -> bool) -> bool {
        let Some(i) = self
            .stack
            .iter()
            .rposition(|e| target(e.tag) || stop(e.tag))
        else {
            return false;
        };
        if !target(self.stack[i].tag) {
            return false;
        }
        while self.stack.len() > i {
            self.pop();
        }
        true
    }

    fn open_count(&self, t: Tag) -> u32 {
        if heading_level(t).is_some() {
            (Tag::H1 as usize..=Tag::H6 as usize)
                .map(|i| self.counts[i])
                .sum()
        } else {
            self.counts[t as usize]
        }
    }

    fn on_push(&mut self, t: Tag, before: BlockKind, after: BlockKind) {
        match t {
            Tag::Table => {
                self.end_block();
                self.flush_header_row();
                self.tables.push(Table::default());
                self.b.set_headers(Vec::new());
            }
            Tag::Thead => {
                self.end_block();
                self.table_mut().thead += 1;
            }
            Tag::Tbody | Tag::Tfoot | Tag::Caption => self.end_block(),
            Tag::Tr => self.start_row(),
            Tag::Td | Tag::Th => self.start_cell(t == Tag::Th),
            _ if breaks_block(t) => self.boundary(before, after),
            _ => {}
        }
    }

    fn on_pop(&mut self, t: Tag, before: BlockKind, after: BlockKind) {
        match t {
            Tag::Table => self.end_table(),
            Tag::Thead => {
                self.end_block();
                let t = self.table_mut();
                t.thead = t.thead.saturating_sub(1);
            }
            Tag::Tbody | Tag::Tfoot | Tag::Caption => self.end_block(),
            Tag::Tr => {
                self.end_block();
                if let Some(t) = self.tables.last_mut() {
                    t.row = None;
                }
            }
            Tag::Td | Tag::Th => self.end_cell(),
            _ if breaks_block(t) => self.boundary(before, after),
            _ => {}
        }
    }

    /// A block element starts or ends: inside a table cell that is a line
    /// break in the cell, elsewhere the end of the block.
    fn boundary(&mut self, before: BlockKind, after: BlockKind) {
        if before == BlockKind::TableRow && after == BlockKind::TableRow {
            if self.open == Some(BlockKind::TableRow) && self.row_mut().in_cell {
                self.add(Run::Break(self.tag_start));
            }
        } else {
            self.end_block();
        }
    }

    fn br(&mut self) {
        if self.dropped > 0 {
            return;
        }
        let in_row = self.open == Some(BlockKind::TableRow);
        if self.open.is_some() && (!in_row || self.row_mut().in_cell) {
            self.add(Run::Break(self.tag_start));
        }
    }

    fn start_tag(&mut self) -> Option<State> {
        self.last_start.clear();
        self.last_start.extend_from_slice(&self.name);
        if self.name_long {
            return None;
        }
        let state = naive_next_state(&self.name);
        let Some(t) = tag(&self.name) else {
            return state;
        };
        match t {
            Tag::Title => {
                self.in_title = true;
                self.title_capture = self.dropped == 0 && self.title.is_none();
                self.title_text.clear();
                self.raw_open = Some((t, self.tag_start));
                return state;
            }
            Tag::Meta => {
                self.meta();
                return None;
            }
            Tag::Time => {
                self.time();
                return None;
            }
            Tag::Br => {
                self.br();
                return None;
            }
            Tag::Hr => {
                if self.top() == Some(Tag::P) {
                    self.pop();
                }
                if self.dropped == 0 {
                    let k = self.kind();
                    self.boundary(k, k);
                }
                return None;
            }
            _ => {}
        }
        self.implied_ends(t);
        self.push(t);
        if state.is_some() && t != Tag::Plaintext {
            self.raw_open = Some((t, self.tag_start));
        } else if self.self_closing && self.top() == Some(t) {
            // `<div/>`, `<nav/>`: written as empty, read as empty.
            self.pop();
        }
        state
    }

    /// Closes what a start tag closes implicitly: an open `<p>` before a
    /// block, the previous item, cell or row.
    fn implied_ends(&mut self, t: Tag) {
        use Tag::*;
        if closes_p(t) && self.top() == Some(P) {
            self.pop();
        }
        if heading_level(t).is_some() && self.top().and_then(heading_level).is_some() {
            self.pop();
        }
        let passable = |x: Tag| matches!(x, P | Div | Address);
        match t {
            Li => {
                self.close_to(|x| x == Li, |x| !passable(x));
            }
            Dt | Dd => {
                self.close_to(|x| matches!(x, Dt | Dd), |x| !passable(x));
            }
            Td | Th => {
                self.close_to(|x| matches!(x, Td | Th), |x| matches!(x, Tr | Table));
            }
            Tr => {
                self.close_to(|x| x == Tr, |x| x == Table);
            }
            Thead | Tbody | Tfoot => {
                self.close_to(|x| x == Tr, |x| x == Table);
                self.close_to(|x| matches!(x, Thead | Tbody | Tfoot), |x| x == Table);
            }
            Caption => {
                self.close_to(|x| x == Caption, |x| x == Table);
            }
            _ => {}
        }
    }

    fn end_tag(&mut self) {
        use Tag::*;
        self.raw_open = None;
        if self.in_title {
            // In a title, the only end tag the tokenizer gives is </title>.
            self.end_title();
            return;
        }
        if self.name_long {
            return;
        }
        let Some(t) = tag(&self.name) else {
            return;
        };
        match t {
            Br => self.br(),
            Title | Meta | Time | Hr => {}
            Body | Html => {
                if self.counts[Body as usize] + self.counts[Html as usize] > 0 {
                    self.close_to(|x| matches!(x, Body | Html), |_| false);
                }
            }
            _ if self.open_count(t) == 0 => {}
            _ if heading_level(t).is_some() => {
                self.close_to(
                    |x| heading_level(x).is_some(),
                    |x| matches!(x, Td | Th | Table),
                );
            }
            Table => {
                self.close_to(|x| x == Table, |_| false);
            }
            Td | Th | Tr | Thead | Tbody | Tfoot | Caption => {
                self.close_to(|x| x == t, |x| x == Table);
            }
            _ => {
                self.close_to(|x| x == t, |x| matches!(x, Td | Th | Table));
            }
        }
    }

    fn end_title(&mut self) {
        self.in_title = false;
        if self.title_capture && self.title.is_none() {
            let t = self
                .title_text
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            if !t.is_empty() {
                self.title = Some(t);
            }
        }
        self.title_capture = false;
        self.title_text.clear();
    }

    // ---- Metadata -----------------------------------------------------

    fn meta(&mut self) {
        if self.dropped > 0 || self.a_content.is_empty() {
            return;
        }
        let content = attr_str(&self.a_content);
        if content.is_empty() {
            return;
        }
        let keys = [&self.a_property, &self.a_name, &self.a_itemprop];
        if self.published.is_none() && keys.iter().any(|k| key_is(k, &PUBLISHED_KEYS)) {
            self.published = dct::date_in(content);
        } else if self.meta_date.is_none() && keys.iter().any(|k| key_is(k, &DATE_KEYS)) {
            self.meta_date = dct::date_in(content);
        } else if self.og_title.is_none() && keys.iter().any(|k| key_is(k, &["og:title"])) {
            self.og_title = Some(content.to_owned());
        }
    }

    fn time(&mut self) {
        if self.dropped > 0 || self.a_datetime.is_empty() || self.time_tries >= MAX_TIME_TRIES {
            return;
        }
        let value = attr_str(&self.a_datetime);
        if value.is_empty() {
            return;
        }
        let published = key_is(&self.a_itemprop, &["datepublished"]);
        let slot = if published && self.meta_date.is_none() {
            &mut self.meta_date
        } else if self.article > 0 {
            &mut self.time_article
        } else if self.head == 0 {
            &mut self.time_body
        } else {
            return;
        };
        if slot.is_none() {
            self.time_tries += 1;
            *slot = dct::date_in(value);
        }
    }

    fn finish_attr(&mut self) {
        if !std::mem::take(&mut self.in_attr) {
            return;
        }
        let slot = match &self.attr_name[..] {
            b"property" => &mut self.a_property,
            b"name" => &mut self.a_name,
            b"itemprop" => &mut self.a_itemprop,
            b"content" => &mut self.a_content,
            b"datetime" => &mut self.a_datetime,
            _ => return,
        };
        if slot.is_empty() {
            slot.extend_from_slice(&self.attr_value);
        }
    }
}

/// The html5gum emitter: the tokenizer's calls, handed to the reader.
struct Events<'r, 'a>(&'r mut Reader<'a>);

fn extend_capped(v: &mut Vec<u8>, s: &[u8], cap: usize) -> bool {
    let room = cap.saturating_sub(v.len());
    v.extend_from_slice(&s[..s.len().min(room)]);
    s.len() <= room
}

impl Emitter for Events<'_, '_> {
    type Token = std::convert::Infallible;

    fn set_last_start_tag(&mut self, last_start_tag: Option<&[u8]>) {
        self.0.last_start.clear();
        self.0
            .last_start
            .extend_from_slice(last_start_tag.unwrap_or_default());
    }

    fn emit_eof(&mut self) {}

    fn emit_error(&mut self, _error: html5gum::Error) {}

    #[inline]
    fn should_emit_errors(&mut self) -> bool {
        false
    }

    fn pop_token(&mut self) -> Option<Self::Token> {
        None
    }

    fn emit_string(&mut self, c: &[u8]) {
        self.0.chars(c);
    }

    fn init_start_tag(&mut self) {
        let r = &mut *self.0;
        r.name.clear();
        r.name_long = false;
        r.is_end = false;
        r.self_closing = false;
        r.attrs_wanted = None;
        r.in_attr = false;
        r.a_property.clear();
        r.a_name.clear();
        r.a_itemprop.clear();
        r.a_content.clear();
        r.a_datetime.clear();
    }

    fn init_end_tag(&mut self) {
        let r = &mut *self.0;
        r.name.clear();
        r.name_long = false;
        r.is_end = true;
        r.attrs_wanted = Some(false);
        r.in_attr = false;
    }

    fn init_comment(&mut self) {}

    fn emit_current_tag(&mut self) -> Option<State> {
        let r = &mut *self.0;
        r.finish_attr();
        if r.is_end {
            r.end_tag();
            None
        } else {
            r.start_tag()
        }
    }

    fn emit_current_comment(&mut self) {}

    fn emit_current_doctype(&mut self) {}

    fn set_self_closing(&mut self) {
        self.0.self_closing = true;
    }

    fn set_force_quirks(&mut self) {}

    fn push_tag_name(&mut self, s: &[u8]) {
        let r = &mut *self.0;
        if !extend_capped(&mut r.name, s, MAX_NAME) {
            r.name_long = true;
        }
    }

    fn push_comment(&mut self, _s: &[u8]) {}

    fn push_doctype_name(&mut self, _s: &[u8]) {}

    fn init_doctype(&mut self) {}

    fn init_attribute(&mut self) {
        let r = &mut *self.0;
        r.finish_attr();
        let wanted = *r
            .attrs_wanted
            .get_or_insert_with(|| !r.name_long && matches!(&r.name[..], b"meta" | b"time"));
        r.in_attr = wanted;
        r.attr_name.clear();
        r.attr_value.clear();
    }

    fn push_attribute_name(&mut self, s: &[u8]) {
        let r = &mut *self.0;
        if r.in_attr {
            extend_capped(&mut r.attr_name, s, MAX_NAME);
        }
    }

    fn push_attribute_value(&mut self, s: &[u8]) {
        let r = &mut *self.0;
        if r.in_attr {
            extend_capped(&mut r.attr_value, s, MAX_ATTR);
        }
    }

    fn set_doctype_public_identifier(&mut self, _value: &[u8]) {}

    fn set_doctype_system_identifier(&mut self, _value: &[u8]) {}

    fn push_doctype_public_identifier(&mut self, _s: &[u8]) {}

    fn push_doctype_system_identifier(&mut self, _s: &[u8]) {}

    fn start_open_tag(&mut self) {
        self.0.tag_start = self.0.pos.saturating_sub(1);
    }

    fn current_is_appropriate_end_tag_token(&mut self) -> bool {
        let r = &*self.0;
        r.is_end && !r.name_long && !r.last_start.is_empty() && r.last_start == r.name
    }

    #[inline]
    fn move_position(&mut self, offset: isize) {
        self.0.pos = self.0.pos.saturating_add_signed(offset);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn blocks(doc: &Document) -> Vec<(BlockKind, &str)> {
        doc.blocks
            .iter()
            .map(|b| (b.kind, &doc.text[b.range.clone()]))
            .collect()
    }

    fn cells(doc: &Document, i: usize) -> Vec<&str> {
        doc.blocks[i]
            .cells
            .iter()
            .map(|r| &doc.text[r.clone()])
            .collect()
    }

    /// Every word of the output maps back to where it is in the input.
    fn assert_offsets(html: &str, doc: &Document, words: &[&str]) {
        for w in words {
            let at = doc
                .text
                .find(w)
                .unwrap_or_else(|| panic!("{w:?} not in {:?}", doc.text));
            let f = doc.file_offset(at);
            assert!(
                html[f..].starts_with(w),
                "{w:?} maps to byte {f}: {:?}",
                &html[f..(f + 20).min(html.len())]
            );
        }
    }

    /// Each character of the text comes from the input: it is there, or it
    /// was decoded from the entity (or the control character) there.
    fn assert_maps_back(html: &str, doc: &Document) {
        let mut last = 0;
        for (i, c) in doc.text.char_indices() {
            let f = doc.file_offset(i);
            assert!(f <= html.len(), "{html:?}: {i} maps to {f}");
            if c.is_whitespace() || c == '|' {
                continue;
            }
            let rest = html.get(f..).unwrap_or_else(|| {
                panic!("{html:?}: {c:?} at {i} maps into a character at {f}: {doc:?}")
            });
            assert!(
                rest.starts_with(c) || rest.starts_with('&') || c == '\u{fffd}',
                "{html:?}: {c:?} at {i} maps to {:?}",
                rest.chars().take(10).collect::<String>()
            );
            // Blocks come in the order of the file.
            assert!(
                f >= last
                    || doc
                        .block_at(i)
                        .is_some_and(|b| b.kind == BlockKind::TableRow),
                "{html:?}: {c:?} at {i} maps back to {f} < {last}"
            );
            last = f;
        }
    }

    #[test]
    fn dropped_elements_and_comments_leave_no_text() {
        let html = r#"<!DOCTYPE html><html><head><title>T</title>
<style>p { color: red } .stylerule {}</style>
<script>var scripttext = "<p>March 31</p>";</script>
</head><body>
<header><p>Header kept</p></header>
<nav><ul><li><a href="/">Navlink</a></li></ul></nav>
<noscript><p>Noscripttext</p></noscript>
<template><p>Templatetext</p></template>
<main><p>Moved from <del>Delword</del><s>Sword</s><strike>Strikeword</strike> to April 4.</p>
<!-- Commentword April 11 -->
<aside>Asideword</aside>
<form><button>Buttonword</button><select><option>Optionword</select><textarea>Areaword</textarea></form>
<svg><title>Svgtitle</title><text>Svgword</text></svg>
<iframe src="x">Iframeword</iframe>
<p>Body kept</p></main>
<footer>Footerword</footer>
</body></html>"#;
        let doc = read(html);
        for gone in [
            "stylerule",
            "scripttext",
            "Navlink",
            "Noscripttext",
            "Templatetext",
            "Delword",
            "Sword",
            "Strikeword",
            "Commentword",
            "Asideword",
            "Buttonword",
            "Optionword",
            "Areaword",
            "Svgtitle",
            "Svgword",
            "Iframeword",
            "Footerword",
        ] {
            assert!(!doc.text.contains(gone), "{gone} in {:?}", doc.text);
        }
        assert!(doc.text.contains("Header kept"));
        assert!(
            doc.text.contains("Moved from to April 4."),
            "{:?}",
            doc.text
        );
        assert!(doc.text.contains("Body kept"));
        assert_eq!(doc.subject.as_deref(), Some("T"));
        assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);
    }

    #[test]
    fn entities_are_decoded_and_nbsp_is_a_space() {
        let html =
            "<p>Doors at 6:30&nbsp;p.m. &amp; dinner &mdash; &#8220;late&#x201D; at 8&nbsp;pm</p>";
        let doc = read(html);
        assert_eq!(
            doc.text,
            "Doors at 6:30 p.m. & dinner \u{2014} \u{201c}late\u{201d} at 8 pm"
        );
        assert_offsets(html, &doc, &["Doors", "p.m.", "dinner", "late", "pm"]);
        // A character right after an entity stays whole.
        let html =
            "<title>L&apos;\u{e9}t\u{e9}</title><p>Le 14&nbsp;\u{e9}t\u{e9} &eacute;t\u{e9}</p>";
        let doc = read(html);
        assert_eq!(doc.text, "Le 14 \u{e9}t\u{e9} \u{e9}t\u{e9}");
        assert_eq!(doc.subject.as_deref(), Some("L'\u{e9}t\u{e9}"));
        assert_maps_back(html, &doc);
        let html = "<p>Doors at 6:30&nbsp;p.m. &amp; dinner</p>";
        let doc = read(html);
        // A decoded character maps to its entity.
        let at = doc.text.find('&').unwrap();
        assert!(html[doc.file_offset(at)..].starts_with("&amp;"));
    }

    #[test]
    fn table_rows_become_row_blocks_with_cells_and_headers() {
        let html = r#"<table>
  <thead><tr><th>Milestone</th><th>Date</th></tr></thead>
  <tbody>
    <tr><td>Abstract submission</td><td>April 7, 2026</td></tr>
    <tr><td></td><td>May 12, 2026</td></tr>
  </tbody>
</table>
<p>After</p>"#;
        let doc = read(html);
        let b = blocks(&doc);
        assert_eq!(b.len(), 3, "{b:?}");
        assert_eq!(b[0].0, BlockKind::TableRow);
        assert_eq!(cells(&doc, 0), ["Abstract submission", "April 7, 2026"]);
        assert_eq!(doc.blocks[0].headers, ["Milestone", "Date"]);
        // The empty first cell keeps the columns aligned.
        assert_eq!(cells(&doc, 1), ["", "May 12, 2026"]);
        assert_eq!(doc.blocks[1].headers, ["Milestone", "Date"]);
        assert_eq!(b[2], (BlockKind::Paragraph, "After"));
        assert!(doc.blocks[2].headers.is_empty());
        assert!(!doc.text.contains("Milestone"));
        assert_offsets(html, &doc, &["Abstract", "April 7", "May 12"]);
    }

    #[test]
    fn a_first_row_of_th_cells_is_the_header_without_thead() {
        let html = "<table><tr><th>Week</th><th>Date</th></tr>\
            <tr><td>1</td><td>8 Sep</td></tr><tr><th>2</th><td>15 Sep</td></tr></table>\
            <table><tr><td>a</td><td>b</td></tr></table>";
        let doc = read(html);
        let b = blocks(&doc);
        assert_eq!(b.len(), 3, "{b:?}");
        assert_eq!(cells(&doc, 0), ["1", "8 Sep"]);
        assert_eq!(doc.blocks[0].headers, ["Week", "Date"]);
        // A th cell later in a row is a label, not a header.
        assert_eq!(cells(&doc, 1), ["2", "15 Sep"]);
        // The next table has no headers.
        assert!(doc.blocks[2].headers.is_empty());
        // A table that is only a header row keeps it as a row.
        let doc = read("<table><tr><th>Deadline: May 5</th></tr></table>");
        assert_eq!(blocks(&doc), [(BlockKind::TableRow, "Deadline: May 5")]);
    }

    #[test]
    fn cells_keep_their_paragraphs_and_lists() {
        let html = "<table><tr><td><p>April 7</p><p>(extended)</p></td>\
            <td><ul><li>Abstracts</li><li>Posters</li></ul></td></tr></table>";
        let doc = read(html);
        assert_eq!(doc.blocks.len(), 1);
        assert_eq!(
            cells(&doc, 0),
            ["April 7\n(extended)", "Abstracts\nPosters"]
        );
    }

    #[test]
    fn headings_lists_quotes_and_code() {
        let html = "<h1>Title</h1><h2>Key <em>dates</em></h2><h3>Sub</h3>\
            <ul><li>One</li><li><p>Two</p></li><li>Three<ul><li>Nested</li></ul></li></ul>\
            <dl><dt>April 7</dt><dd>Abstracts</dd></dl>\
            <blockquote><p>Quoted</p></blockquote><pre>let x = 1;\nlet y = 2;</pre>";
        let doc = read(html);
        assert_eq!(
            blocks(&doc),
            [
                (BlockKind::Heading(1), "Title"),
                (BlockKind::Heading(2), "Key dates"),
                (BlockKind::Heading(3), "Sub"),
                (BlockKind::ListItem, "One"),
                (BlockKind::ListItem, "Two"),
                (BlockKind::ListItem, "Three"),
                (BlockKind::ListItem, "Nested"),
                (BlockKind::ListItem, "April 7"),
                (BlockKind::ListItem, "Abstracts"),
                (BlockKind::Quote, "Quoted"),
                (BlockKind::Code, "let x = 1;\nlet y = 2;"),
            ]
        );
        // No <title>: the first h1 names the document.
        assert_eq!(doc.subject.as_deref(), Some("Title"));
    }

    #[test]
    fn br_lines_that_read_as_a_schedule_are_lines() {
        let html = "<p>Abstracts: April 7<br>Notification: May 12<br/>\nCamera-ready: May 29</p>\
            <div>The workshop invites submissions on every aspect of reading dates in text.<br>\
            Abstracts are due on April 7 and full papers follow three weeks later, after which the committee meets and decides.</div>\
            <p>Prose with a break<br>and more prose that runs on for a while without any dates in it at all, really none</p>";
        let doc = read(html);
        let b = blocks(&doc);
        assert_eq!(
            &b[..3],
            [
                (BlockKind::Line, "Abstracts: April 7"),
                (BlockKind::Line, "Notification: May 12"),
                (BlockKind::Line, "Camera-ready: May 29"),
            ]
        );
        assert_eq!(b[3].0, BlockKind::Paragraph);
        assert!(
            b[3].1.contains("in text.\nAbstracts are due"),
            "{:?}",
            b[3].1
        );
        assert_eq!(b.len(), 5, "{b:?}");
        assert_offsets(
            html,
            &doc,
            &["Notification", "Camera-ready", "Abstracts are"],
        );
    }

    #[test]
    fn source_line_ends_are_spaces() {
        let html = "<p>The meeting is on\n   April 4\r\n at noon.</p>";
        let doc = read(html);
        assert_eq!(doc.text, "The meeting is on April 4 at noon.");
        assert_offsets(html, &doc, &["April", "at noon"]);
    }

    #[test]
    fn published_time_dates_the_page() {
        let day = |y, m, d, h| {
            NaiveDate::from_ymd_opt(y, m, d)
                .unwrap()
                .and_hms_opt(h, 0, 0)
                .unwrap()
        };
        let doc = read(
            r#"<html><head><meta name="date" content="2026-01-01">
<meta property="article:published_time" content="2026-03-09T08:00:00+00:00"></head>
<body><article><time datetime="2026-04-28">28 April</time></article></body></html>"#,
        );
        assert_eq!(
            doc.dated,
            Some((day(2026, 3, 9, 8), dct::Source::PageMetadata))
        );
        let doc = read(r#"<meta name="DC.date" content="2026-02-02"><p>x</p>"#);
        assert_eq!(doc.dated.map(|d| d.0), Some(day(2026, 2, 2, 0)));
        let doc = read(r#"<meta itemprop="datePublished" content="2026-02-03"><p>x</p>"#);
        assert_eq!(doc.dated.map(|d| d.0), Some(day(2026, 2, 3, 0)));
        // The first <time> in the article, before one elsewhere on the page.
        let doc = read(
            r#"<body><header><time datetime="2020-01-01">old</time></header>
<article><p>Posted <time datetime="2026-04-28">28 April 2026</time></p></article></body>"#,
        );
        assert_eq!(doc.dated.map(|d| d.0), Some(day(2026, 4, 28, 0)));
        // The <time> text stays as text.
        assert!(doc.text.contains("Posted 28 April 2026"), "{:?}", doc.text);
        let doc = read(r#"<p>Posted <time datetime="2026-04-28T09:00">today</time></p>"#);
        assert_eq!(doc.dated.map(|d| d.0), Some(day(2026, 4, 28, 9)));
        let doc = read("<p>No date</p>");
        assert_eq!(doc.dated, None);
    }

    #[test]
    fn title_then_og_title_then_heading_name_the_page() {
        let doc = read("<title>Budget &amp; town hall</title><h1>Heading</h1>");
        assert_eq!(doc.subject.as_deref(), Some("Budget & town hall"));
        let doc = read(r#"<meta property="og:title" content="OG name"><h1>Heading</h1>"#);
        assert_eq!(doc.subject.as_deref(), Some("OG name"));
        let doc = read("<h2>Second</h2><h1>First</h1>");
        assert_eq!(doc.subject.as_deref(), Some("First"));
        // The title is not body text.
        assert_eq!(read("<title>Only</title><p>Body</p>").text, "Body");
    }

    #[test]
    fn file_offsets_map_words_back_to_the_input() {
        let html = "<!DOCTYPE html>\r\n<html><head><title>x</title></head><body>\r\n\
            <h1 class=\"big\">Caf\u{e9} schedule</h1>\r\n<p>Opening on <b>Monday</b>, \
            <a href=\"/x?a=1&amp;b=2\">March&nbsp;2</a>\u{a0}at&#32;noon.</p>\
            <ul><li>  Talks  </li></ul><table><tr><td>Room&nbsp;B</td><td>9 May</td></tr></table>";
        let doc = read(html);
        assert_offsets(
            html,
            &doc,
            &[
                "Caf\u{e9}",
                "schedule",
                "Opening",
                "Monday",
                "March",
                "noon",
                "Talks",
                "Room",
                "9 May",
            ],
        );
        // Every byte of the text maps into the input.
        for i in 0..doc.text.len() {
            assert!(doc.file_offset(i) < html.len());
        }
    }

    #[test]
    fn malformed_html_does_not_panic() {
        let cases = [
            "<table><tr><td>unclosed cell<td>next<tr><td>row two</table>",
            "</div></div><p>stray ends</p></td></tr></table></li>",
            "<p>before<script>var x = '</p>never closed",
            "<div><nav>unclosed nav</div><p>after the div</p>",
            "<p>a<p>b<p>c",
            "<ul><li>one<li>two</ul><li>orphan",
            "<td>cell without table</td><tr><th>x</th></tr>",
            "<title>unclosed title",
            "<p class=\"never closed",
            "<!-- unclosed comment",
            "<![CDATA[ x ]]><p>&#; &#x; &#99999999; &bogus; &amp</p>",
            "<a href='x'>text</a><br/><br></br><hr/><img src=x>",
            "<svg/><p>after self-closed svg</p><nav/><p>after self-closed nav</p>",
            "<h1>a<h2>b</h1>c</h2>",
            "<table><tr><td><table><tr><td>inner</table>outer</td></tr></table>",
            "<pre>code\r\nline</pre><xmp><b>raw</b></xmp>",
            "\u{0}\u{1}<p>\u{0}nul</p>\u{feff}",
            "<p>\u{e9}t\u{e9} &eacute;t&eacute;</p><plaintext><p>all text",
            "<",
            "</",
            "<!",
            "&",
            "",
        ];
        for html in cases {
            assert_maps_back(html, &read(html));
        }
        let doc = read("<div><nav>unclosed nav</div><p>after the div</p>");
        assert_eq!(doc.text, "after the div");
        let doc = read("<table><tr><td>unclosed cell<td>next<tr><td>row two</table>");
        assert_eq!(cells(&doc, 0), ["unclosed cell", "next"]);
        assert_eq!(cells(&doc, 1), ["row two"]);
        let doc = read("<p>before<script>var x = '</p>never closed");
        assert_eq!(doc.text, "before");
        assert_eq!(doc.warnings.len(), 1, "{:?}", doc.warnings);
        let doc = read("<svg/><p>after self-closed svg</p><nav/><p>after self-closed nav</p>");
        assert_eq!(doc.text, "after self-closed svg\n\nafter self-closed nav");

        // Random soup of tag fragments, entities and bytes.
        let parts = [
            "<p>",
            "</p>",
            "<div>",
            "</div>",
            "<td>",
            "<tr>",
            "<table>",
            "</table>",
            "<th>",
            "<script>",
            "</script>",
            "<nav>",
            "</nav>",
            "<br>",
            "<li>",
            "<h2>",
            "</h2>",
            "&nbsp;",
            "&amp",
            "&#x",
            "<!--",
            "-->",
            "<",
            ">",
            "\"",
            "'",
            "=",
            " ",
            "\n",
            "\r",
            "April 7",
            "\u{e9}",
            "<title>",
            "</title>",
            "<meta name=date content=",
            "<time datetime=",
            "<pre>",
            "<del>",
            "</del>",
            "&eacute;\u{e9}",
            "\u{65e5}\u{672c}",
            "&#233;",
            "<s/>",
            "<![CDATA[",
            "]]>",
            "</",
            "/>",
            "<svg>",
            "<thead>",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..5000 {
            let mut html = String::new();
            for _ in 0..60 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                html.push_str(parts[(seed % parts.len() as u64) as usize]);
            }
            let doc = read(&html);
            assert_maps_back(&html, &doc);
        }
    }

    #[test]
    fn huge_attributes_and_deep_nesting_are_fine() {
        let mut html = String::from("<meta name=\"date\" content=\"");
        html.push_str(&"x".repeat(1 << 20));
        html.push_str("\"><p title=\"");
        html.push_str(&"y".repeat(1 << 20));
        html.push_str("\">kept</p>");
        html.push_str(&"<div>".repeat(5000));
        html.push_str("deep");
        html.push_str(&"</div>".repeat(5000));
        html.push_str(&"<nav>".repeat(2000));
        let doc = read(&html);
        assert_eq!(doc.text, "kept\n\ndeep");
    }

    /// Realistic page content, for the throughput figure.
    fn page(i: usize) -> String {
        format!(
            r#"<article class="post" id="post-{i}">
  <header><h2><a href="/posts/{i}">Budget town hall moved to April {d}</a></h2>
  <p class="byline">By <span class="author">Harriet Quayle</span> &middot; <time datetime="2026-03-09">9 March 2026</time></p></header>
  <nav class="crumbs"><a href="/">Home</a> &rsaquo; <a href="/local">Local</a></nav>
  <p>The Tellmouth town council has moved its budget town hall from <del>Saturday, March 28</del> to
  Saturday, April {d}, after the original date clashed with the regional schools' choir festival.
  The meeting starts at 6:30&nbsp;p.m. in the <a href="/places/grange">Grange Hall</a> on Mill Street.</p>
  <!-- editor's note: the hall is also free on April 11 -->
  <p>Key dates:<br>Questions due: Wednesday, April 1<br>Town hall: Saturday, April {d}<br>Budget vote: May 12</p>
  <table class="schedule"><thead><tr><th>Week</th><th>Date</th><th>Topic</th></tr></thead>
  <tbody><tr><td>1</td><td>8 Sep</td><td>Introduction &amp; field methods</td></tr>
  <tr><td>2</td><td>15 Sep</td><td>Sampling design</td></tr></tbody></table>
  <ul><li>Lab reports: 40%</li><li>Final exam on <strong>Thursday 17 December</strong></li></ul>
  <script>window.gz = window.gz || []; gz.push({{ page: "article", id: {i} }});</script>
  <footer><p>&copy; 2026 Tellmouth Gazette</p></footer>
</article>
"#,
            d = 1 + i % 28
        )
    }

    /// `cargo test --release --lib document::html::tests::throughput -- --ignored --nocapture`
    /// (`HTML_MB=100` for a bigger page).
    #[test]
    #[ignore]
    fn throughput() {
        let mut html =
            String::from("<!DOCTYPE html><html><head><title>Archive</title></head><body>\n");
        let mut i = 0;
        let mb: usize = std::env::var("HTML_MB")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(20);
        while html.len() < mb << 20 {
            html.push_str(&page(i));
            i += 1;
        }
        html.push_str("</body></html>\n");
        let start = std::time::Instant::now();
        let doc = read(&html);
        let secs = start.elapsed().as_secs_f64();
        let mb = html.len() as f64 / (1 << 20) as f64;
        println!(
            "html::read: {mb:.1} MiB in {secs:.3} s = {:.1} MiB/s ({} blocks, {:.1} MiB of text)",
            mb / secs,
            doc.blocks.len(),
            doc.text.len() as f64 / (1 << 20) as f64
        );
        assert!(doc.blocks.len() > 10 * i);
    }
}
