//! `extract` of one document from a file or stdin. Plain text, the input
//! that can be huge, is read in windows of at most [`WINDOW`] bytes, each
//! cut between paragraphs where it can be ([`cut`]), and fed to an engine
//! [`Session`]: memory holds a window, not the document, and offsets still
//! count from the start of the file. Markdown, Org, HTML and
//! reStructuredText are read in windows too, cut between blocks that read
//! alike in a window and in the whole file ([`document::window_end`]),
//! and an mbox between its messages; a single email is read whole.

use std::borrow::Cow;
use std::fs::File;
use std::io::{BufRead, Read, Seek, Write};
use std::path::Path;

use chrono::NaiveDateTime;

use crate::document::dct::{self, Source};
use crate::document::{self, Format};
use crate::engine::timex::Timex;
use crate::engine::{Extractor, Session, MAX_BLOCK};

use super::extract::{format_dct, Record, Writer};
use super::{ceil_char, floor_char, Failure, ReadDocument};

/// The most bytes of a plain text read at once. Everything that decides
/// how a text is read looks at less than its start: the format (4 KiB),
/// binary content (8 KiB), the document's kind (16 KiB of blocks), the
/// reference date (the header, the first 40 lines, the title).
const WINDOW: usize = 4 << 20;

/// The most bytes of a markup file read at once: a Markdown parser holds
/// a tree of the window and the reader a block per line or so, about 15
/// times the window in all.
pub(super) const MARKUP_WINDOW: usize = 1 << 20;

/// Text kept on either side of a window: the sentence a table shows
/// reaches 60 bytes and a character beyond its timex.
pub(super) const MARGIN: usize = 64;

/// Where the output of one document goes.
pub(super) struct Target<'a> {
    pub extractor: &'a mut Extractor,
    pub writer: &'a mut Writer,
    pub out: &'a mut dyn Write,
    pub err: &'a mut dyn Write,
}

/// Reads the document at `path` ("-": stdin) in `format` (`None`:
/// detected) and writes its record; `dct` is the one the flag gave.
pub(super) fn document(
    path: &Path,
    format: Option<Format>,
    dct: Option<NaiveDateTime>,
    today: NaiveDateTime,
    stdin: &mut dyn BufRead,
    spool_dir: &Path,
    to: &mut Target,
) -> Result<(), Failure> {
    let name = path.display().to_string();
    let mut input = super::open_input(path, stdin)?;
    let mut buf = Vec::with_capacity(WINDOW + 2 * MARGIN + 8);
    let ended = super::read_input(&mut *input, &name, &mut buf, WANT as u64)?;
    let chosen =
        (format.or_else(|| Format::from_extension(&name))).unwrap_or_else(|| Format::sniff(&buf));
    let windowed = matches!(
        chosen,
        Format::Text | Format::Markdown | Format::Org | Format::Html | Format::Rst | Format::Email
    );
    if !windowed {
        if !ended {
            if path.as_os_str() != "-" {
                let size = std::fs::metadata(path).map_or(0, |m| m.len());
                let size = usize::try_from(size).unwrap_or(0);
                buf.reserve_exact(size.saturating_sub(buf.len()).saturating_add(1));
            }
            super::read_input(&mut *input, &name, &mut buf, u64::MAX)?;
        }
        drop(input);
        let read = super::read_bytes(buf, &name, format, to.err)?;
        return whole(&read, &name, dct, today, to);
    }
    document::refuse_binary(&buf, &name).map_err(|e| Failure::usage(format!("timeline: {e}")))?;
    let mut spooled = None;
    // A long email of one text part: its body is read in windows too; of
    // several parts, its text parts, where the record needs no text but
    // theirs and what lies near its timexes (a table's sentence). Both
    // read the file twice: standard input is spooled first.
    if chosen == Format::Email && !ended {
        let head = document::mail_body::Head::read(&buf);
        let parts = to.writer.needs_text_near_timexes() && !buf.starts_with(b"From ");
        if head.is_some() || (parts && document::mail_parts::may_plan(&buf)) {
            let stdin = path.as_os_str() == "-";
            let mut spool = match stdin {
                true => super::mail::spool(spool_dir, &buf, &mut *input, to.err)?,
                false => None,
            };
            let mut opened =
                match stdin {
                    true => None,
                    false => Some(std::fs::File::open(path).map_err(|e| {
                        Failure::usage(format!("timeline: cannot read {name}: {e}"))
                    })?),
                };
            let file = spool.as_mut().map(|s| &mut s.file).or(opened.as_mut());
            if let Some(file) = file {
                if let Some(head) = head {
                    return super::mail::single_part(file, &name, buf, head, dct, today, to);
                }
                if let Some(plan) = super::mail::plan_parts(file, &name)? {
                    return super::mail::parts(file, &name, plan, dct, today, to);
                }
            }
            // Read as any email: standard input's rest is in the spool.
            if let Some(mut spool) = spool {
                let at = std::io::SeekFrom::Start(buf.len() as u64);
                spool.file.seek(at).map_err(|e| {
                    Failure::usage(format!("timeline: cannot read standard input's spool: {e}"))
                })?;
                spooled = Some(spool);
            }
        }
    }
    // An mbox on standard input is spooled too, so that its long messages
    // can be read in windows of their bodies, as from its file: the
    // windows then read the spool from their own byte, whatever reading a
    // message on another handle of it does.
    let mbox = chosen == Format::Email && buf.starts_with(b"From ");
    let stdin = path.as_os_str() == "-";
    let mut mbox_spool = None;
    if mbox && stdin && !ended && to.writer.needs_text_near_timexes() {
        mbox_spool = super::mail::spool(spool_dir, &buf, &mut *input, to.err)?;
    }
    let mut spool_reader = mbox_spool.as_ref().map(|spool| ReadAt {
        file: &spool.file,
        at: buf.len() as u64,
    });
    let input: &mut dyn Read = match (&mut spool_reader, &mut spooled) {
        (Some(reader), _) => reader,
        (None, Some(spool)) => &mut spool.file,
        (None, None) => &mut *input,
    };
    let again = match &mbox_spool {
        Some(spool) => Some(Again::Spool(&spool.file)),
        None => (!stdin).then_some(Again::Path(path)),
    };
    let mut windows = Windows::text(input, &name, None, buf, ended);
    windows.again = again;
    windows.markup = (chosen != Format::Text).then_some(chosen);
    if dct.is_some() {
        windows.carry = document::Carry::dated();
    }
    match windows.markup {
        Some(format) => super::markup::markup(format, &mut windows, dct, today, to),
        None => text(&mut windows, dct, today, to),
    }
}

/// Bytes read ahead of a window's start: the window, the margin after it,
/// and the rest of a character.
pub(super) const WANT: usize = WINDOW + MARGIN + 4;

/// A plain text being read window by window.
pub(super) struct Windows<'a> {
    input: &'a mut dyn Read,
    pub name: &'a str,
    /// The file, to be read again where a message of an mbox is read in
    /// windows of its own (`None`: standard input not spooled).
    pub again: Option<Again<'a>>,
    /// The bytes read and not yet let go: the margin before the window,
    /// the window, what follows.
    pub buf: Vec<u8>,
    pub ended: bool,
    /// Where the window starts in `buf`.
    pub start: usize,
    /// The file's byte at `buf[0]`.
    pub file_at: usize,
    /// Where the window starts in the text as decoded (invalid UTF-8
    /// replaced), which offsets count in.
    pub text_at: usize,
    /// Whether the window goes on with the last one's last block.
    continued: bool,
    /// Markup, cut between its blocks (see `document::window_end`).
    markup: Option<Format>,
    /// What the window takes on from the one before (HTML's open elements).
    pub carry: document::Carry,
}

/// Where the input can be read again from any byte: its file, or the
/// spool of standard input.
#[derive(Clone, Copy)]
pub(super) enum Again<'a> {
    Path(&'a Path),
    Spool(&'a File),
}

impl Again<'_> {
    /// A handle of its own on the input (a spool's shares its position
    /// with the windows' [`ReadAt`], which does not rely on it).
    pub(super) fn open(self) -> std::io::Result<File> {
        match self {
            Again::Path(path) => File::open(path),
            Again::Spool(file) => file.try_clone(),
        }
    }
}

/// A file read on from byte `at`, wherever another handle sharing its
/// position left it.
struct ReadAt<'f> {
    file: &'f File,
    at: u64,
}

impl Read for ReadAt<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let mut file = self.file;
        file.seek(std::io::SeekFrom::Start(self.at))?;
        let n = file.read(buf)?;
        self.at += n as u64;
        Ok(n)
    }
}

/// One window's place in [`Windows::buf`]: `start..end`, with margins
/// from `from` to `to`; whether it goes on with the last window's last
/// block; what the next window takes on.
pub(super) struct Bounds {
    from: usize,
    pub start: usize,
    pub end: usize,
    to: usize,
    pub continued: bool,
    carry: document::Carry,
}

impl<'a> Windows<'a> {
    /// A plain text read in windows from `input` (`path`; `None`: standard
    /// input), `buf` holding what was read of it so far, all of it if it
    /// `ended`.
    pub(super) fn text(
        input: &'a mut dyn Read,
        name: &'a str,
        path: Option<&'a Path>,
        buf: Vec<u8>,
        ended: bool,
    ) -> Windows<'a> {
        Windows {
            input,
            name,
            again: path.map(Again::Path),
            buf,
            ended,
            start: 0,
            file_at: 0,
            text_at: 0,
            continued: false,
            markup: None,
            carry: document::Carry::default(),
        }
    }

    /// Reads what the next window needs and cuts it.
    pub(super) fn next(&mut self) -> Result<Bounds, Failure> {
        self.fill()?;
        let mut carry = document::Carry::default();
        let (end, continues) = match self.markup {
            Some(format @ (Format::Html | Format::Rst | Format::Email)) => {
                (self.grown_end(format, &mut carry)?, false)
            }
            // Without a place between blocks (a fence of megabytes), the
            // cut of a plain text: memory stays bounded.
            Some(format) => {
                let rest = &self.buf[self.start..];
                document::window_end(format, rest, MARKUP_WINDOW, &self.carry)
                    .map_or_else(|| cut(rest, MARKUP_WINDOW, false), |(end, _)| (end, false))
            }
            None => cut(&self.buf[self.start..], WINDOW, self.continued),
        };
        let buf = &self.buf;
        let end = self.start + end;
        let continued = std::mem::replace(&mut self.continued, continues);
        Ok(Bounds {
            from: char_start(buf, self.start.saturating_sub(MARGIN), false),
            start: self.start,
            end,
            to: char_start(buf, (end + MARGIN).min(buf.len()), true),
            continued,
            carry,
        })
    }

    /// Reads what the next window needs: a window and its margin.
    pub(super) fn fill(&mut self) -> Result<(), Failure> {
        let want = self.start + WANT;
        if !self.ended && self.buf.len() < want {
            let more = (want - self.buf.len()) as u64;
            self.ended = super::read_input(self.input, self.name, &mut self.buf, more)?;
        }
        Ok(())
    }

    /// Where an HTML, RST or mbox window ends (see `document::window_end`),
    /// and what the next takes on. A page cut where a plain text is would
    /// read a tag as text, an RST file the rest of a literal block as a
    /// quote, an mbox the rest of a message as a message without headers:
    /// without a place to cut within a window (a `<pre>`, a simple table or
    /// a message of megabytes), as much more is read as it takes to find
    /// one.
    fn grown_end(&mut self, format: Format, carry: &mut document::Carry) -> Result<usize, Failure> {
        let mut max = MARKUP_WINDOW;
        loop {
            let rest = &self.buf[self.start..];
            if let Some((end, next)) = document::window_end(format, rest, max, &self.carry) {
                *carry = next;
                return Ok(end);
            }
            // All that fits is one window, so more is there to read.
            max = max.saturating_mul(2);
            let want = self.start.saturating_add(max).saturating_add(MARGIN + 4);
            if !self.ended && self.buf.len() < want {
                let more = (want - self.buf.len()) as u64;
                self.ended = super::read_input(self.input, self.name, &mut self.buf, more)?;
            }
        }
    }

    /// Lets go of the window `b` (of `len` bytes as decoded), but for the
    /// margin before the next.
    pub(super) fn advance(&mut self, b: Bounds, len: usize) {
        let end = b.end;
        self.carry = b.carry;
        let keep = char_start(&self.buf, end.saturating_sub(MARGIN), false);
        self.buf.drain(..keep);
        self.start = end - keep;
        self.file_at += keep;
        self.text_at += len;
    }

    /// Lets go of the `len` bytes from the window's start on, read
    /// elsewhere (a message of an mbox read in windows of its own;
    /// `text_len` long in the file's text), but for the margin before the
    /// next window.
    pub(super) fn skip(&mut self, len: usize, text_len: usize) -> Result<(), Failure> {
        let end = self.start + len;
        let keep = end.saturating_sub(MARGIN);
        if keep <= self.buf.len() {
            let keep = char_start(&self.buf, keep, false);
            self.buf.drain(..keep);
            self.file_at += keep;
            self.start = (end - keep).min(self.buf.len());
        } else {
            let gone = (keep - self.buf.len()) as u64;
            let mut left_out = Read::take(&mut *self.input, gone);
            std::io::copy(&mut left_out, &mut std::io::sink())
                .map_err(|e| Failure::usage(format!("timeline: cannot read {}: {e}", self.name)))?;
            self.file_at += keep;
            self.buf.clear();
            let margin = (end - keep) as u64;
            self.ended = super::read_input(self.input, self.name, &mut self.buf, margin)?;
            // The margin starts where a character does.
            let inside = self.buf.iter().take_while(|&&b| b & 0xC0 == 0x80).count();
            self.buf.drain(..inside);
            self.file_at += inside;
            self.start = self.buf.len();
        }
        self.text_at += text_len;
        self.continued = false;
        self.carry = document::Carry::default();
        Ok(())
    }
}

/// `at` moved down (or up) to a byte that starts a character (or an
/// invalid sequence), so that text decoded in pieces cut there is the text
/// decoded whole.
fn char_start(bytes: &[u8], mut at: usize, up: bool) -> usize {
    let continues = |b: u8| b & 0xC0 == 0x80;
    while at > 0 && at < bytes.len() && continues(bytes[at]) {
        at = if up { at + 1 } else { at - 1 };
    }
    at
}

/// Where a window of `bytes` ends, at most `max` bytes in (all of them if
/// they fit), and whether the next window goes on with its last block:
/// after the last blank line, so no paragraph is split; else, in a
/// paragraph longer than a window, where the engine would cut it into
/// blocks anyway (see [`blocks_cut`]); else after the last line end; else
/// at the last whitespace; else (a "word" of `max` bytes) before the last
/// byte that starts a character. A cut never splits a word where there is
/// whitespace, nor a UTF-8 sequence. `continued`: `bytes` goes on with
/// the block the last window ended in.
pub(super) fn cut(bytes: &[u8], max: usize, continued: bool) -> (usize, bool) {
    if bytes.len() <= max {
        return (bytes.len(), false);
    }
    let head = &bytes[..max];
    let blank = |line: &[u8]| (line.iter()).all(|b| matches!(b, b' ' | b'\t' | b'\r' | 0x0c));
    // Line ends from the last: the first one closing a blank line.
    let mut next = memchr::memrchr(b'\n', head);
    while let Some(at) = next {
        let before = memchr::memrchr(b'\n', &head[..at]);
        if let Some(k) = before {
            if blank(&head[k + 1..at]) {
                return (at + 1, false);
            }
        }
        next = before;
    }
    // The paragraph's block starts at its first non-blank byte.
    let start = match continued {
        true => Some(0),
        false => head.iter().position(|b| !b.is_ascii_whitespace()),
    };
    if let Some(at) = start.and_then(|s| blocks_cut(bytes, s, max)) {
        return (at, true);
    }
    if let Some(at) = memchr::memrchr(b'\n', head) {
        return (at + 1, false);
    }
    if let Some(at) = head.iter().rposition(u8::is_ascii_whitespace) {
        if at > 0 {
            return (at, false);
        }
    }
    match char_start(bytes, max, false) {
        0 => (max, false),
        at => (at, false),
    }
}

/// The last place up to `max` where the engine, reading a block that
/// starts at `start` and goes on past `max`, ends one of the pieces it
/// cuts it into (`engine::tokenize::blocks`: at the last whitespace of
/// each [`MAX_BLOCK`] bytes): a window cut there and a next one whose
/// first block starts there give the engine the pieces it reads whole.
fn blocks_cut(bytes: &[u8], start: usize, max: usize) -> Option<usize> {
    let (mut at, mut last) = (start, None);
    while at + MAX_BLOCK <= max {
        let piece = &bytes[at..at + MAX_BLOCK];
        let end = match piece.iter().rposition(u8::is_ascii_whitespace) {
            Some(k) if k > 0 => at + k,
            _ => char_start(bytes, at + MAX_BLOCK, true),
        };
        if end <= at {
            break;
        }
        (at, last) = (end, Some(end));
    }
    last
}

/// A plain text read in windows, its record written as its timexes come.
fn text(
    windows: &mut Windows,
    flag_dct: Option<NaiveDateTime>,
    today: NaiveDateTime,
    to: &mut Target,
) -> Result<(), Failure> {
    let name = windows.name;
    let mut open: Option<(Record, Session)> = None;
    // The text of windows whose timexes may still come (see
    // `Session::detecting`), and where it starts.
    let mut pending: Option<(String, usize)> = None;
    let (mut first, mut blocks, mut warned, mut alone) = (true, false, false, false);
    loop {
        let b = windows.next()?;
        let last = windows.ended && b.end == windows.buf.len();
        let bytes = &windows.buf;
        let (view, start, end) = decode(windows, &b, &mut warned, to.err);
        let base = windows.text_at - start;
        let mut doc = document::read_text_window(&view[..end], start, open.is_none(), &mut first);
        if b.continued {
            go_on(&mut doc, &view, start);
        }
        blocks |= !doc.blocks.is_empty();
        let (mut record, mut session) = match open.take() {
            Some(open) => open,
            None => {
                alone = last;
                if !blocks && last && !bytes.is_empty() {
                    let _ = writeln!(to.err, "timeline: {name}: no text found");
                }
                let window = &view[..end];
                let (dct, source) = match flag_dct {
                    Some(t) => (t, Source::Flag),
                    None => dct::for_blocks(&doc, window, window, Format::Text, today),
                };
                let _ = writeln!(
                    to.err,
                    "timeline: {name}: text document, reference date {} from {source}",
                    format_dct(dct)
                );
                let record = to.writer.begin_record(name, dct, None);
                (record, to.extractor.session(dct))
            }
        };
        let (held, held_base) = with_held(pending.take(), &view, base);
        let text = (&*held, held_base);
        let mut failed = None;
        let mut write = |t: Timex| {
            if failed.is_none() {
                failed = record.timex(text, &t, to.out).err();
            }
        };
        session.feed(&view, base, doc.engine_blocks(), &mut write);
        if last {
            session.finish(&mut write);
            if let Some(f) = failed {
                return Err(f);
            }
            if !blocks && !alone {
                let _ = writeln!(to.err, "timeline: {name}: no text found");
            }
            return record.finish(text, to.extractor.doctype_used(), to.out);
        }
        if let Some(f) = failed {
            return Err(f);
        }
        if session.detecting() {
            pending = Some((text.0.to_owned(), text.1));
        } else {
            record.upto(text, base + end, to.out)?;
        }
        open = Some((record, session));
        let len = end - start;
        drop(view);
        windows.advance(b, len);
    }
}

/// The window `b` as decoded, with where its proper part starts and ends
/// in it. Valid UTF-8 is read in place; invalid bytes are replaced as in a
/// whole file (a window is cut where a character starts), and the first
/// is reported.
pub(super) fn decode<'w>(
    windows: &'w Windows,
    b: &Bounds,
    warned: &mut bool,
    err: &mut (dyn Write + '_),
) -> (Cow<'w, str>, usize, usize) {
    let bytes = &windows.buf;
    let decoded = match std::str::from_utf8(&bytes[b.from..b.to]) {
        Ok(view) => (Cow::Borrowed(view), b.start - b.from, b.end - b.from),
        Err(_) => {
            let lossy = |from: usize, to: usize| String::from_utf8_lossy(&bytes[from..to]);
            let mut view = lossy(b.from, b.start).into_owned();
            let start = view.len();
            view.push_str(&lossy(b.start, b.end));
            let end = view.len();
            view.push_str(&lossy(b.end, b.to));
            (Cow::Owned(view), start, end)
        }
    };
    if let (false, Err(e)) = (*warned, std::str::from_utf8(&bytes[b.start..b.end])) {
        *warned = true;
        let at = windows.file_at + b.start + e.valid_up_to();
        let name = windows.name;
        let _ = writeln!(
            err,
            "timeline: {name}: invalid UTF-8 at byte {at}; replaced with U+FFFD"
        );
    }
    decoded
}

/// The text a timex may point into, and where it starts: what was kept
/// while the document's kind was detected, then the window `view` (from
/// `base`).
pub(super) fn with_held(
    pending: Option<(String, usize)>,
    view: &str,
    base: usize,
) -> (Cow<'_, str>, usize) {
    match pending {
        Some((mut kept, kept_base)) => {
            let keep = base.saturating_sub(kept_base);
            if kept.is_char_boundary(keep) {
                kept.truncate(keep);
            }
            kept.push_str(view);
            (Cow::Owned(kept), kept_base)
        }
        None => (Cow::Borrowed(view), base),
    }
}

/// Moves a timex found in the windows' clean texts to the file's text:
/// through the window it came from (`read`: where each one's clean text
/// starts, where it starts in the file's text, what it read), onto whole
/// characters of `text` (from its base).
pub(super) fn place_in_file(
    t: &mut Timex,
    read: &[(usize, usize, document::Document)],
    text: (&str, usize),
) {
    let k = read.partition_point(|(clean, _, _)| *clean <= t.start);
    let Some((clean, file, doc)) = k.checked_sub(1).and_then(|k| read.get(k)) else {
        return;
    };
    place(
        t,
        |at| file + doc.file_offset(at.saturating_sub(*clean)),
        text,
    );
}

/// Moves a timex and its parts (a range's ends) from the clean text a
/// reader made to the file's text: `in_file` gives the file's byte for a
/// position of the clean text; the ends then fall on whole characters of
/// `text` (from its base).
fn place(t: &mut Timex, in_file: impl Fn(usize) -> usize + Copy, text: (&str, usize)) {
    let start = in_file(t.start);
    let end = in_file(t.end.saturating_sub(1).max(t.start)) + 1;
    let (raw, base) = text;
    let local = |at: usize| at.saturating_sub(base).min(raw.len());
    t.start = base + floor_char(raw, local(start));
    t.end = base + ceil_char(raw, local(end.max(start)));
    for part in &mut t.parts {
        place(part, in_file, text);
    }
}

/// A window that goes on with the last one's last block, a paragraph cut
/// where the engine cuts it (see [`cut`]): its first block starts where
/// the window does, whitespace and all, as the engine's next piece would.
pub(super) fn go_on(doc: &mut document::Document, view: &str, start: usize) {
    if let Some(first) = doc.blocks.first_mut() {
        let before = view.get(start..first.range.start).unwrap_or("x");
        let paragraph = first.kind == document::BlockKind::Paragraph;
        if paragraph && before.bytes().all(|b| b.is_ascii_whitespace()) {
            first.range.start = start;
        }
    }
}

/// A document read whole (email), its record written as its timexes come.
fn whole(
    read: &ReadDocument,
    name: &str,
    flag_dct: Option<NaiveDateTime>,
    today: NaiveDateTime,
    to: &mut Target,
) -> Result<(), Failure> {
    let (dct, source) = match flag_dct {
        Some(t) => (t, Source::Flag),
        None => dct::for_document(&read.doc, read.raw(), read.format, today),
    };
    let _ = writeln!(
        to.err,
        "timeline: {name}: {} document, reference date {} from {source}",
        read.format.name(),
        format_dct(dct)
    );
    let blocks = read.doc.engine_blocks();
    // Offsets point into the file the user has, not the cleaned text the
    // engine read.
    let in_file = |mut t: Timex| {
        place(&mut t, |at| read.doc.file_offset(at), (read.raw(), 0));
        t
    };
    // One record per document, written as the timexes are found: a
    // document of a million dates is never held.
    let text = (read.raw(), 0);
    let mut record = to.writer.begin_record(name, dct, None);
    let mut failed = None;
    to.extractor
        .extract_blocks_each(&read.doc.text, dct, blocks, |t| {
            if failed.is_none() {
                failed = record.timex(text, &in_file(t), to.out).err();
            }
        });
    if let Some(f) = failed {
        return Err(f);
    }
    record.finish(text, to.extractor.doctype_used(), to.out)
}

#[cfg(test)]
mod tests {
    use super::cut as cut_at;

    fn cut(bytes: &[u8], max: usize) -> usize {
        cut_at(bytes, max, false).0
    }

    #[test]
    fn a_text_that_fits_is_one_window() {
        assert_eq!(cut(b"Talks resume Monday.\n\nMore.", 100), 27);
        assert_eq!(cut(b"", 100), 0);
    }

    #[test]
    fn a_window_ends_after_its_last_blank_line() {
        let text = b"One.\n\nTwo on Monday.\n \t\r\nThree on\nTuesday, at length.";
        // The blank line with spaces, a tab and a CR counts; the line
        // end inside the third paragraph does not win over it.
        assert_eq!(cut(text, 40), 25);
        assert_eq!(&text[..25], b"One.\n\nTwo on Monday.\n \t\r\n");
        assert_eq!(cut(text, 20), 6);
    }

    #[test]
    fn without_a_blank_line_after_the_last_line_end() {
        let text = b"Talks on Monday\nand on Tuesday\nthen Friday";
        assert_eq!(cut(text, 35), 31);
    }

    #[test]
    fn without_a_line_end_at_the_last_whitespace() {
        let text = b"Talks resume on Monday, Nov. 24 in Vienna";
        // The next window starts at the space: "Nov." stays whole.
        assert_eq!(cut(text, 27), 23);
        assert_eq!(&text[23..], b" Nov. 24 in Vienna");
    }

    #[test]
    fn a_long_word_is_not_cut_where_whitespace_came_before_it() {
        let text = format!("On Monday {}", "x".repeat(200));
        assert_eq!(cut(text.as_bytes(), 100), 9);
    }

    #[test]
    fn a_paragraph_longer_than_a_window_is_cut_where_the_engine_cuts_it() {
        use crate::engine::{tokenize::blocks, MAX_BLOCK};
        // One line of 400 KiB read in windows of 200 and 150 KiB: each
        // cut is the end of a piece the engine reads the line in.
        let line = "The talks resume Monday, Nov. 24, in Vienna.  ".repeat(9000);
        let ends: Vec<usize> = blocks(&line, MAX_BLOCK).map(|(_, end)| end).collect();
        let (at, continues) = cut_at(line.as_bytes(), 200_000, false);
        assert!(continues && at > 130_000 && ends.contains(&at), "{at}");
        let (next, continues) = cut_at(&line.as_bytes()[at..], 150_000, true);
        assert!(continues && ends.contains(&(at + next)), "{next}");
        // A blank line still comes first.
        let text = format!("{}\n\n{line}", &line[..100_000]);
        assert_eq!(cut_at(text.as_bytes(), 200_000, false), (100_002, false));
    }

    #[test]
    fn a_window_going_on_with_a_paragraph_starts_its_block_at_the_cut() {
        // The cut is at a space, which the engine's next piece starts with:
        // the reader's block, trimmed, is moved back to it.
        let rest = "the talks resume on Monday, Nov. 24, in Vienna. ".repeat(6);
        let view = format!("x. {rest}");
        let mut first = false;
        let mut doc = crate::document::read_text_window(&view, 2, false, &mut first);
        assert_eq!(doc.blocks[0].range.start, 3);
        super::go_on(&mut doc, &view, 2);
        assert_eq!(doc.blocks[0].range.start, 2);
        assert_eq!(doc.blocks[0].range.end, view.trim_end().len());
    }

    #[test]
    fn a_cut_never_splits_a_character() {
        // Two-byte "é" with no whitespace: the cut falls where one starts.
        let text = "é".repeat(100);
        for max in [2, 3, 51, 52, 199] {
            let at = cut(text.as_bytes(), max);
            assert!(
                at > 0 && at <= max && text.is_char_boundary(at),
                "{max}: {at}"
            );
        }
        // Invalid bytes (continuation bytes alone) still give a cut.
        let bad = [0x80u8; 50];
        assert_eq!(cut(&bad, 10), 10);
        // "€€" cut at 4 bytes: where the second starts.
        let mixed = b"\xe2\x82\xac\xe2\x82\xac";
        assert_eq!(cut(mixed, 4), 3);
    }
}
