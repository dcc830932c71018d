//! A message of one text/plain part read in windows, so that memory holds
//! a window and not the message: its headers are parsed from the start of
//! the file, its body decoded as it is read ([`decode`](super::decode)),
//! quoted replies, forwarded messages and the signature left out as the
//! whole message leaves them out, and each window cut where the plain-text
//! reader reads it as it reads the whole.
//!
//! Whether a body maps to the file byte for byte, and whether it decodes
//! at all, depends on the whole of it: a [`Survey`] of the file, a pass
//! that keeps nothing, tells first.

use mail_parser::{MessageParser, MimeHeaders, PartType};

use super::decode::{Texts, Transfer, Transfers};
use super::{attribution_start, copy_blocks, ends_in_attribution, headers_doc, left_out};
use super::{quoted, quoted_from, separator, Utf8Watch};
use crate::document::html;
use crate::document::lines::list_marker;
use crate::document::text::{is_underline, lines_from, paragraphs, standalone_row};
use crate::document::{piece_ends, BlockKind, Builder, Document};

/// What the start of a file tells of a message of one text/plain part.
pub(crate) struct Head {
    /// The subject and date, as the whole message's document has them.
    pub doc: Document,
    /// Where the body starts in the file.
    pub body_at: usize,
    transfer: Transfer,
    charset: Option<String>,
    /// The part is text/html.
    html: bool,
}

impl Head {
    /// The head of the message `head` starts (more of it follows), when
    /// its body can be read in windows: one text/plain part, its headers
    /// all in `head`, a charset of one byte per character or UTF-8. An
    /// mbox, a multipart message or an HTML one is read whole.
    pub fn read(head: &[u8]) -> Option<Head> {
        if head.starts_with(b"From ") {
            return None;
        }
        let m = MessageParser::default().parse(head)?;
        let part = m.parts.first()?;
        let body_at = part.offset_body as usize;
        let ended = head[..body_at.min(head.len())].ends_with(b"\n\n")
            || head[..body_at.min(head.len())].ends_with(b"\n\r\n");
        let single = m.parts.len() == 1 && m.text_body == [0];
        let html = matches!(part.body, PartType::Html(_));
        if !ended || !single || !(html || matches!(part.body, PartType::Text(_))) {
            return None;
        }
        let transfer = match part.content_transfer_encoding() {
            Some(e) if e.eq_ignore_ascii_case("base64") => Transfer::Base64,
            Some(e) if e.eq_ignore_ascii_case("quoted-printable") => Transfer::QuotedPrintable,
            _ => Transfer::Plain,
        };
        let charset = (part.content_type())
            .and_then(|ct| ct.attribute("charset"))
            .map(str::to_owned);
        Texts::new(charset.as_deref())?;
        Some(Head {
            doc: headers_doc(&m),
            body_at,
            transfer,
            charset,
            html,
        })
    }
}

/// A pass over the whole file before its body is read: whether it is
/// UTF-8 (else the first byte that is not), whether its body decodes,
/// and whether the body is all ASCII.
pub(crate) struct Survey {
    body_at: usize,
    at: usize,
    utf8: Utf8Watch,
    transfers: Transfers,
    scratch: Vec<u8>,
    ascii: bool,
    /// The body's lines as in the file and decoded (read raw if it does
    /// not decode).
    raw_lines: LineWatch,
    decoded_lines: LineWatch,
    /// The body's long tables, as in the file and decoded.
    raw_tables: TableWatch,
    decoded_tables: TableWatch,
}

impl Survey {
    pub fn new(head: &Head) -> Survey {
        Survey {
            body_at: head.body_at,
            at: 0,
            utf8: Utf8Watch::default(),
            transfers: Transfers::new(head.transfer),
            scratch: Vec::new(),
            ascii: true,
            raw_lines: LineWatch::default(),
            decoded_lines: LineWatch::default(),
            raw_tables: TableWatch::new(WINDOW / 4),
            decoded_tables: TableWatch::new(WINDOW / 4),
        }
    }

    /// The survey of a body read in windows cut from `size` bytes of text.
    #[cfg(test)]
    pub fn sized(self, size: usize) -> Survey {
        Survey {
            raw_tables: TableWatch::new(size / 4),
            decoded_tables: TableWatch::new(size / 4),
            ..self
        }
    }

    /// The survey of a message that starts at byte `at` of the file (one
    /// of an mbox): it is fed from there, and the head's body start counts
    /// from the file's start.
    pub fn starting_at(self, at: usize) -> Survey {
        Survey { at, ..self }
    }

    /// Takes the file's next bytes.
    pub fn feed(&mut self, bytes: &[u8]) {
        let from = self.at;
        self.at += bytes.len();
        let body = &bytes[self.body_at.saturating_sub(from).min(bytes.len())..];
        self.ascii &= body.is_ascii();
        self.transfers.feed(body, &mut self.scratch);
        self.raw_lines.feed(body);
        self.decoded_lines.feed(&self.scratch);
        self.raw_tables.feed(body);
        self.decoded_tables.feed(&self.scratch);
        self.scratch.clear();
        self.utf8.feed(from, bytes);
    }

    /// Ends the pass: how the body is read.
    pub fn body(self, head: &Head) -> Body {
        let invalid_at = self.utf8.invalid_at(self.at);
        let failed = self.transfers.failed();
        let texts = Texts::new(head.charset.as_deref()).unwrap_or_else(Texts::utf8);
        // A body that does not decode is read as its raw bytes.
        let transfer = if failed {
            Transfer::Plain
        } else {
            head.transfer
        };
        let recoded = transfer != Transfer::Plain || !(self.ascii || texts.is_utf8());
        let verbatim = invalid_at.is_none() && !recoded;
        let unsure = self.raw_lines.finish().max(self.decoded_lines.finish());
        let tables = match failed {
            true => self.raw_tables.finish(),
            false => self.decoded_tables.finish(),
        };
        Body {
            failed,
            invalid_at,
            recoded,
            unsure,
            tables,
            html: head.html.then(html::Open::default),
            ..Body::new(head.body_at, transfer, texts, verbatim)
        }
    }
}

/// The longest line of a body whose fate or layout an unread end may
/// change: one with a tab (a schedule row), or ending in ":" but for
/// blanks and bytes not ASCII (an attribution, "… wrote:").
#[derive(Default)]
struct LineWatch {
    len: usize,
    tab: bool,
    tail: u8,
    longest: usize,
}

impl LineWatch {
    fn feed(&mut self, bytes: &[u8]) {
        for piece in bytes.split_inclusive(|&c| c == b'\n') {
            self.len += piece.len();
            self.tab |= memchr::memchr(b'\t', piece).is_some();
            let last = piece
                .iter()
                .rev()
                .find(|c| c.is_ascii() && !c.is_ascii_whitespace());
            if let Some(&c) = last {
                self.tail = c;
            }
            if piece.ends_with(b"\n") {
                self.end_line();
            }
        }
    }

    fn end_line(&mut self) {
        if self.tab || self.tail == b':' {
            self.longest = self.longest.max(self.len);
        }
        (self.len, self.tab, self.tail) = (0, false, 0);
    }

    /// Ends the body: the longest such line, in bytes.
    fn finish(mut self) -> usize {
        self.end_line();
        self.longest
    }
}

/// The paragraphs of a body that are tables of at least `long` bytes, as
/// lines (the first and the one after the last, counted from the body's
/// first line): two lines or more, each with a tab between its words and
/// a digit. The plain-text reader reads each of their lines as a table
/// row without a header, however the paragraph is cut between two lines
/// (see [`Body::table_cut`]). Only long ones are kept: a window has a
/// place between paragraphs in the others.
struct TableWatch {
    long: usize,
    /// The current line: its number, whether it has any of a letter or
    /// digit, a tab after one, a letter or digit after such a tab, a
    /// digit, a byte that is not blank.
    line: usize,
    word: bool,
    tab: bool,
    row: bool,
    digit: bool,
    text: bool,
    /// The current paragraph: its first line, its bytes, whether all its
    /// lines so far are rows.
    first: usize,
    bytes: usize,
    rows: bool,
    tables: Vec<(usize, usize)>,
}

impl TableWatch {
    fn new(long: usize) -> TableWatch {
        TableWatch {
            long,
            line: 0,
            word: false,
            tab: false,
            row: false,
            digit: false,
            text: false,
            first: 0,
            bytes: 0,
            rows: true,
            tables: Vec::new(),
        }
    }

    fn feed(&mut self, bytes: &[u8]) {
        for piece in bytes.split_inclusive(|&c| c == b'\n') {
            self.bytes += piece.len();
            for &c in piece {
                let word = c.is_ascii_alphanumeric();
                self.row |= word && self.tab;
                self.tab |= c == b'\t' && self.word;
                self.word |= word;
                self.digit |= c.is_ascii_digit();
                self.text |= !matches!(c, b' ' | b'\t' | b'\r' | b'\n' | 0x0c);
            }
            if piece.ends_with(b"\n") {
                self.end_line();
            }
        }
    }

    fn end_line(&mut self) {
        if !self.text {
            self.end_paragraph();
            self.first = self.line + 1;
            self.bytes = 0;
        } else {
            self.rows &= self.row && self.digit;
        }
        self.line += 1;
        (self.word, self.tab, self.row, self.digit, self.text) =
            (false, false, false, false, false);
    }

    fn end_paragraph(&mut self) {
        if self.rows && self.line >= self.first + 2 && self.bytes >= self.long {
            self.tables.push((self.first, self.line));
        }
        self.rows = true;
    }

    /// Ends the body: its long tables, in order.
    fn finish(mut self) -> Vec<(usize, usize)> {
        if self.text {
            self.end_line();
        }
        self.end_paragraph();
        self.tables
    }
}

/// The most text a window is cut from, but for a paragraph that goes on.
pub(crate) const WINDOW: usize = 1 << 20;

/// The text given after a window: a table's sentence reaches 60 bytes.
const MARGIN: usize = 64;

/// A body being read window by window (see [`Body::window`]).
pub(crate) struct Body {
    body_at: usize,
    /// Whether the body is the file's text byte for byte: its text then
    /// maps to the file, else all of it to where the body starts.
    pub verbatim: bool,
    /// Whether its transfer encoding failed: it is read raw.
    pub failed: bool,
    /// The file's first byte that is not UTF-8.
    pub invalid_at: Option<usize>,
    /// Whether the body's text is not its bytes for a reason of its own (a
    /// transfer encoding, a charset other than UTF-8 with bytes beyond
    /// ASCII): it then maps to where it starts whatever the file's other
    /// bytes are.
    pub recoded: bool,
    transfers: Transfers,
    texts: Texts,
    /// Decoded bytes that may still change (quoted-printable's trailing
    /// blanks).
    decoded: Vec<u8>,
    /// The body's text not yet read into a window, from its byte
    /// `pending_at`.
    pending: String,
    pending_at: usize,
    /// Whether no paragraph came before (a short first line is a title).
    first: bool,
    /// A separator or signature was read: the rest is left out.
    done: bool,
    /// The last window ended inside a paragraph this one goes on with.
    goes_on: bool,
    /// How much text a window is cut from ([`WINDOW`]; less in tests).
    size: usize,
    /// How much text to wait for after a window found no place to end.
    wait: usize,
    /// The longest line (in bytes as decoded from the transfer) whose end
    /// may leave it out or lay it out otherwise (see [`LineWatch`]): a
    /// window may end inside a line whose end is not read yet only when
    /// that line is longer. Unknown (`usize::MAX`) but after a survey.
    unsure: usize,
    /// For an HTML body, what is open where the next window starts.
    html: Option<html::Open>,
    /// The long tables the survey found (see [`TableWatch`]), and the
    /// number of the line the text not yet read into a window starts in.
    tables: Vec<(usize, usize)>,
    pending_line: usize,
    /// The message is one of an mbox, where a ">From " line is no quote.
    mbox: bool,
}

/// One window of a body: its document (offsets in the file), the body's
/// text it was cut from and where that starts in the file (when the body
/// is the file's text), and whether the next window goes on with its last
/// block.
pub(crate) struct Window {
    pub doc: Document,
    pub text: String,
    pub text_at: usize,
    /// The text just after the window (a table's sentence reaches into it).
    pub after: String,
    pub goes_on: bool,
}

impl Body {
    /// A body from the file's byte `body_at` on, in `transfer` and with
    /// `texts`; `verbatim`: its text is the file's byte for byte.
    pub fn new(body_at: usize, transfer: Transfer, texts: Texts, verbatim: bool) -> Body {
        Body {
            body_at,
            verbatim,
            failed: false,
            invalid_at: None,
            recoded: false,
            transfers: Transfers::new(transfer),
            texts,
            decoded: Vec::new(),
            pending: String::new(),
            pending_at: 0,
            first: true,
            done: false,
            goes_on: false,
            size: WINDOW,
            wait: 0,
            unsure: usize::MAX,
            html: None,
            tables: Vec::new(),
            pending_line: 0,
            mbox: false,
        }
    }

    /// The body of a message of an mbox (see [`quoted`]).
    pub fn in_mbox(self) -> Body {
        Body { mbox: true, ..self }
    }

    /// Takes the body's next raw bytes (`bytes` of the file from where the
    /// body starts, in order); `last`: the file ends after them.
    pub fn feed(&mut self, bytes: &[u8], last: bool) {
        if self.done {
            return;
        }
        self.transfers.feed(bytes, &mut self.decoded);
        let held = if last { 0 } else { self.transfers.held() };
        let ready = self.decoded.len().saturating_sub(held);
        (self.texts).feed(&self.decoded[..ready], last, &mut self.pending);
        self.decoded.drain(..ready);
    }

    /// The next window, when enough is read for one (or `last`: the body
    /// has all been fed); `None` for more to be fed first.
    pub fn window(&mut self, last: bool) -> Option<Window> {
        if self.html.is_some() {
            return self.html_window(last);
        }
        if self.done || (!last && self.pending.len() < self.size.max(self.wait)) {
            return None;
        }
        let lines: Vec<(usize, &str)> = lines_from(&self.pending, 0).collect();
        // A line still being read (no line end yet) decides nothing.
        let complete = match last || self.pending.ends_with('\n') {
            true => lines.len(),
            false => lines.len().saturating_sub(1),
        };
        let (left, rest) = left_out(&lines[..complete], self.mbox);
        let blank = |k: usize| left[k] || lines[k].1.bytes().all(|c| c.is_ascii_whitespace());
        self.done |= last;
        let (cut, goes_on) = if let Some(k) = rest {
            self.done = true;
            (lines[k].0, false)
        } else if last {
            (self.pending.len(), false)
        } else {
            // A line's fate may wait on the four after it (an Outlook
            // header block) and on the next line with text (a quote under
            // an attribution): the window ends before those.
            let sure = complete.saturating_sub(4);
            let with_text = (0..complete).rev().find(|&k| !blank_line(lines[k].1));
            let reach = sure.min(with_text.unwrap_or(0));
            match (1..=reach).rev().find(|&c| blank(c - 1)) {
                Some(c) => (lines[c].0, false),
                None => match (self.table_cut(&lines, reach).map(|c| (c, false)))
                    .or_else(|| self.inside(&lines[..reach], &left))
                    .or_else(|| self.in_unended(&lines, &left))
                {
                    Some(cut) => cut,
                    None => {
                        // No place to cut yet (a table of megabytes, a line
                        // without spaces): tried again once the text has
                        // doubled, so the looking stays linear.
                        self.wait = self.pending.len().saturating_mul(2);
                        return None;
                    }
                },
            }
        };
        let masked = masked(&self.pending[..cut], &lines, &left);
        drop(lines);
        self.wait = 0;
        let mut b = Builder::new();
        let at = self.body_at + self.pending_at;
        match self.verbatim {
            true => b.shift_offsets(at),
            false => b.fix_origin(Some(self.body_at)),
        }
        if std::mem::replace(&mut self.goes_on, goes_on) {
            b.go_on_at_start();
        }
        paragraphs(&masked, 0, &mut b, &mut self.first);
        let doc = b.finish();
        let rest_text = self.pending.split_off(cut);
        let text = std::mem::replace(&mut self.pending, rest_text);
        self.pending_at += cut;
        self.pending_line += memchr::memchr_iter(b'\n', text.as_bytes()).count();
        if self.done {
            self.pending = String::new();
        }
        let mut end = self.pending.len().min(MARGIN);
        while !self.pending.is_char_boundary(end) {
            end += 1;
        }
        Some(Window {
            doc,
            text,
            text_at: at,
            after: self.pending[..end].to_owned(),
            goes_on,
        })
    }

    /// [`Body::window`] of an HTML body: cut where the HTML reader reads
    /// the windows as the whole part (see `html::window_end`), its blocks
    /// copied as the whole message copies them. A cut inside a block, or
    /// after a block that may be an attribution (a quote in the next
    /// window drops it), is not taken: more is read first.
    fn html_window(&mut self, last: bool) -> Option<Window> {
        let open = self.html.take()?;
        let window = self.html_cut(last, &open);
        self.html = Some(window.as_ref().map_or(open, |(_, next)| next.clone()));
        window.map(|(window, _)| window)
    }

    fn html_cut(&mut self, last: bool, open: &html::Open) -> Option<(Window, html::Open)> {
        loop {
            let max = self.size.max(self.wait);
            if self.done || (!last && self.pending.len() < max + MARGIN + 4) {
                return None;
            }
            let found = match last && self.pending.len() <= max {
                true => Some((self.pending.len(), html::Open::default())),
                false => html::window_end(self.pending.as_bytes(), max, open),
            };
            let at = self.body_at + self.pending_at;
            let read = found
                .filter(|(cut, next)| (*cut > 0 || self.pending.is_empty()) && !next.goes_on())
                .and_then(|(cut, next)| {
                    let source = self.pending.get(..cut)?;
                    let doc = html::read_window(source, open, at);
                    let whole = last && cut == self.pending.len();
                    (whole || !ends_in_attribution(&doc)).then_some((cut, next, doc))
                });
            let Some((cut, next, doc)) = read else {
                self.wait = max.saturating_mul(2);
                continue;
            };
            self.wait = 0;
            let mut b = Builder::new();
            let origin = match self.verbatim {
                true => Some(at),
                false => {
                    b.fix_origin(Some(self.body_at));
                    None
                }
            };
            self.done |= copy_blocks(&doc, &self.pending[..cut], origin, &mut b);
            let rest_text = self.pending.split_off(cut);
            let text = std::mem::replace(&mut self.pending, rest_text);
            self.pending_at += cut;
            self.done |= self.pending.is_empty() && last;
            if self.done {
                self.pending = String::new();
            }
            let mut end = self.pending.len().min(MARGIN);
            while !self.pending.is_char_boundary(end) {
                end += 1;
            }
            let window = Window {
                doc: b.finish(),
                text,
                text_at: at,
                after: self.pending[..end].to_owned(),
                goes_on: false,
            };
            return Some((window, next));
        }
    }

    /// The body read in windows cut from `size` bytes of text.
    #[cfg(test)]
    pub fn sized(self, size: usize) -> Body {
        Body { size, ..self }
    }

    /// The file's byte the windows so far read to.
    pub fn read_to(&self) -> usize {
        self.body_at + self.pending_at
    }

    /// Where a window ends inside a long table the survey found (see
    /// [`TableWatch`]): before the last of `lines` up to `reach` (whose
    /// fates are sure) that is in the table with the two lines before it,
    /// so that a first paragraph of one line is no title.
    fn table_cut(&self, lines: &[(usize, &str)], reach: usize) -> Option<usize> {
        let last = self.pending_line + reach;
        let k = self.tables.partition_point(|&(first, _)| first <= last);
        let (first, end) = *self.tables.get(k.checked_sub(1)?)?;
        let c = last
            .min(end.checked_sub(1)?)
            .checked_sub(self.pending_line)?;
        let row = |k: usize| {
            lines.get(k).is_some_and(|(_, l)| {
                let l = l.trim();
                l.contains('\t') && l.bytes().any(|c| c.is_ascii_digit())
            })
        };
        let inside = self.pending_line + c >= first + 2;
        (c >= 1 && inside && row(c - 1) && row(c)).then(|| lines[c].0)
    }

    /// Where a window ends inside a paragraph longer than a window (its
    /// `lines`, none blank): where the engine, reading the paragraph
    /// whole, ends one of the pieces it reads it in, at a space inside a
    /// line; `None` where there is none yet (more is read).
    fn inside(&self, lines: &[(usize, &str)], drop: &[bool]) -> Option<(usize, bool)> {
        let end = lines.last().map(|&(at, l)| at + l.len())?;
        let masked = masked(&self.pending[..end], lines, drop);
        let mut b = Builder::new();
        if self.goes_on {
            b.go_on_at_start();
        }
        paragraphs(&masked, 0, &mut b, &mut self.first.clone());
        let doc = b.finish();
        let last = doc
            .blocks
            .last()
            .filter(|b| b.kind == BlockKind::Paragraph)?;
        let block = &doc.text[last.range.clone()];
        for piece in piece_ends(block) {
            let at = doc.file_offset(last.range.start + piece);
            let k = lines
                .partition_point(|&(from, _)| from <= at)
                .checked_sub(1)?;
            let (from, line) = lines[k];
            let next = lines.get(k + 1).map(|(_, l)| *l);
            if at > from && at < from + line.len() && reads_alike(line, at - from, next, self.mbox)
            {
                return Some((at, true));
            }
        }
        None
    }

    /// Where a window ends when the text read so far ends in a line
    /// without its line end (`lines`, of which `left` are the fates of all
    /// but that one): before it, after the last blank line, or inside it
    /// as [`Body::inside`] finds; `None` unless what is still to come
    /// changes nothing before the cut. The line must be kept whatever its
    /// end (see [`Body::kept_unended`]), the lines before it have the
    /// fates they have without it, and none of the three before it may
    /// open a quoted header block whose "Sent:" line would come later.
    fn in_unended(&self, lines: &[(usize, &str)], left: &[bool]) -> Option<(usize, bool)> {
        let (&(_, line), before) = lines.split_last()?;
        if self.pending.ends_with('\n') || before.len() != left.len() {
            return None;
        }
        if !self.kept_unended(line) {
            return None;
        }
        let (fates, rest) = left_out(lines, self.mbox);
        let near = &before[before.len().saturating_sub(3)..];
        if rest.is_some()
            || fates[..left.len()] != *left
            || near.iter().any(|(_, l)| quoted_from(l))
        {
            return None;
        }
        let blank = |k: usize| fates[k] || blank_line(lines[k].1);
        if let Some(c) = (1..lines.len()).rev().find(|&c| blank(c - 1)) {
            return Some((lines[c].0, false));
        }
        let (at, goes_on) = self.inside(lines, &fates)?;
        // The rest starts the next window's text: it too is kept there.
        let (from, line) = lines[lines.len() - 1];
        let rest = line.get(at.checked_sub(from)?..)?;
        self.kept_unended(rest).then_some((at, goes_on))
    }

    /// Whether a line of which `line` is read so far is kept, and read as
    /// prose, whatever its end: it is not quoted, nor a header block's or
    /// an attribution's start, has too much text to be a separator, and is
    /// longer than any line an end of which leaves it out or makes a row.
    fn kept_unended(&self, line: &str) -> bool {
        let core =
            line.trim_matches(|c: char| c == '-' || c == '_' || c == '=' || c.is_whitespace());
        // A character decoded from a charset takes up to three bytes.
        line.len() / 3 > self.unsure
            && core.len() > 32
            && !quoted(line, self.mbox)
            && !quoted_from(line)
            && !attribution_start(line)
    }
}

/// Whether `line` cut at `at` (a space, or where the engine cuts a piece
/// without one), the window ending with its head and the next one
/// starting with its rest, is read as it is whole: the rest goes on, its
/// blanks and all (the next window's paragraph starts with them, as the
/// engine's next piece does), is not left out on its own (quoted, a
/// separator, a header block's or an attribution's start), and makes no
/// list item, table row, schedule row or heading of the next window's
/// paragraph.
fn reads_alike(line: &str, at: usize, next: Option<&str>, mbox: bool) -> bool {
    let Some(rest) = line.get(at..) else {
        return false;
    };
    !blank_line(rest)
        && !matches!(rest, "--" | "-- ")
        && !quoted(rest, mbox)
        && !separator(rest)
        && !quoted_from(rest)
        && !attribution_start(rest)
        && !rest.contains('\t')
        && list_marker(rest).is_none()
        && !standalone_row(rest)
        && next.is_none_or(|n| is_underline(n).is_none())
}

fn blank_line(line: &str) -> bool {
    line.bytes().all(|c| c.is_ascii_whitespace())
}

/// `text` with the lines `drop` says blanked (as the whole message's
/// reader blanks them: spaces, line ends kept).
fn masked(text: &str, lines: &[(usize, &str)], drop: &[bool]) -> String {
    let mut out = text.to_owned();
    for (&(at, line), _) in lines.iter().zip(drop).filter(|(_, d)| **d) {
        if at + line.len() <= out.len() {
            out.replace_range(at..at + line.len(), &" ".repeat(line.len()));
        }
    }
    out
}

#[cfg(test)]
#[path = "body_tests.rs"]
pub(super) mod tests;
