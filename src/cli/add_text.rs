//! `add` of a plain text read in windows, as `extract` reads one (see
//! [`stream`](super::stream)): each window's blocks and timexes become
//! events as they come, so memory holds a window and the events, not the
//! document. What the whole document decides (its subject, its header,
//! the first deadline rule) is carried from window to window, and the
//! events are the ones the document read whole gives.

use std::io::{Seek, Write};
use std::path::Path;

use chrono::NaiveDateTime;

use super::add::MAX_DATES_PER_DOCUMENT;
use super::stream::{self, Windows};
use super::{floor_char, Failure};
use crate::document::dct::{self, Source};
use crate::document::{self, Block, BlockKind, Document, Format};
use crate::engine::timex::Timex;
use crate::engine::Extractor;
use crate::events::document::DocumentEvents;
use crate::events::Event;

/// A plain text to read: its path ("-": standard input), the name it is
/// reported by, and what was read of it so far (all of it if it `ended`).
pub(super) struct Input<'a> {
    pub path: &'a Path,
    pub name: &'a str,
    pub input: Box<dyn std::io::Read + 'a>,
    pub buf: Vec<u8>,
    pub ended: bool,
}

/// The events of a plain text, read in windows. Should a heading after
/// the first window date the document otherwise than the first window
/// did, the text is read again with that date: a file from its start,
/// standard input from a copy made as it was read (without a place for
/// the copy, it keeps the first window's date).
pub(super) fn read(
    mut from: Input,
    flag: Option<NaiveDateTime>,
    today: NaiveDateTime,
    added: NaiveDateTime,
    extractor: &mut Extractor,
    err: &mut dyn Write,
) -> Result<Vec<Event>, Failure> {
    let name = from.name;
    let stdin = from.path.as_os_str() == "-";
    let file = (!stdin).then_some(from.path);
    let copy = match stdin && !from.ended && flag.is_none() {
        true => copy_of_stdin(&from.buf),
        false => None,
    };
    let mut dated = flag.map(|t| (t, Source::Flag));
    // Only the first reading is copied: the second reads the copy.
    let mut copying = copy.as_ref().and_then(|c| c.try_clone().ok());
    loop {
        let input: &mut dyn std::io::Read = &mut *from.input;
        let mut tee;
        let input: &mut dyn std::io::Read = match copying.take() {
            Some(copy) => {
                tee = Tee { input, copy };
                &mut tee
            }
            None => input,
        };
        let mut windows = Windows::text(input, name, file, from.buf, from.ended);
        let can_redate = file.is_some() || copy.is_some();
        let read = text_events(
            &mut windows,
            dated.clone(),
            can_redate,
            today,
            added,
            extractor,
            err,
        )?;
        let (at, by) = match read {
            Read::Events(events) => return Ok(events),
            Read::Redate(at, by) => (at, by),
        };
        dated = Some((at, by));
        let cannot =
            |e: std::io::Error| Failure::usage(format!("timeline: cannot read {name}: {e}"));
        from.input = match (file, &copy) {
            (Some(file), _) => Box::new(std::fs::File::open(file).map_err(cannot)?),
            (None, Some(copy)) => {
                let mut again = copy.try_clone().map_err(cannot)?;
                again.rewind().map_err(cannot)?;
                Box::new(again)
            }
            (None, None) => {
                return Err(Failure::usage(format!(
                    "timeline: {name}: cannot read it again"
                )))
            }
        };
        from.buf = Vec::with_capacity(stream::WANT + 8);
        from.ended = super::read_input(&mut *from.input, name, &mut from.buf, stream::WANT as u64)?;
    }
}

/// A file in the system's temporary folder, gone once closed, holding
/// `head` (the first bytes of standard input); `None` where none can be
/// made.
fn copy_of_stdin(head: &[u8]) -> Option<std::fs::File> {
    let path = std::env::temp_dir().join(format!(".timeline-add-{}.stdin", std::process::id()));
    let mut file = (std::fs::OpenOptions::new())
        .read(true)
        .write(true)
        .create_new(true)
        .open(&path)
        .ok()?;
    let _ = std::fs::remove_file(&path);
    file.write_all(head).ok()?;
    Some(file)
}

/// Standard input, copied to a file as it is read.
struct Tee<'a> {
    input: &'a mut dyn std::io::Read,
    copy: std::fs::File,
}

impl std::io::Read for Tee<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.input.read(buf)?;
        self.copy.write_all(&buf[..n])?;
        Ok(n)
    }
}

/// What reading a plain text in windows gave.
pub(super) enum Read {
    Events(Vec<Event>),
    /// The reference date the document gives (from a heading met after
    /// the first window) is not the one the windows were read with: they
    /// must be read again, with this one.
    Redate(NaiveDateTime, Source),
}

/// A window read: its blocks, over its text (with the margin before it),
/// and where its proper part lies in that text, which starts at byte
/// `base` of the document. Held while its timexes may still come (the
/// engine detecting the document's kind).
struct Window {
    doc: Document,
    start: usize,
    end: usize,
    base: usize,
    /// Whether it ends the document.
    last: bool,
    /// Its place in what [`Windows`] read, until let go.
    bounds: Option<stream::Bounds>,
}

/// How the windows were read so far.
#[derive(Default)]
struct Cut {
    /// Whether no paragraph came before (the first may be a title).
    later: bool,
    any_blocks: bool,
    /// Whether invalid UTF-8 was reported.
    warned: bool,
    /// Bytes of text read.
    total: usize,
}

impl Cut {
    /// Reads the next window into its blocks; reader messages go to `notes`.
    fn next(
        &mut self,
        windows: &mut Windows,
        head: bool,
        notes: &mut Vec<u8>,
    ) -> Result<Window, Failure> {
        let b = windows.next()?;
        let last = windows.ended && b.end == windows.buf.len();
        let (view, start, end) = stream::decode(windows, &b, &mut self.warned, notes);
        let base = windows.text_at - start;
        let mut first = !self.later;
        let mut doc = document::read_text_window(&view[..end], start, head, &mut first);
        self.later = !first;
        if b.continued {
            stream::go_on(&mut doc, &view, start);
        }
        // The rows read their blocks' text from the document.
        doc.text = view[..end].to_owned();
        self.any_blocks |= !doc.blocks.is_empty();
        self.total += end - start;
        Ok(Window {
            doc,
            start,
            end,
            base,
            last,
            bounds: Some(b),
        })
    }
}

/// Where the events of the windows read so far stand. Timexes come one
/// by one, each block's built when the next block's come, and the prose
/// built every so many: memory holds a block's timexes, not a window's.
struct Reading {
    events: DocumentEvents,
    /// Windows whose blocks are not all read yet, the first being read.
    windows: std::collections::VecDeque<Window>,
    /// The first window's next block, the timexes that start in it, the
    /// end of its text that went to the prose, and where its last timex
    /// ends.
    block: usize,
    inside: Vec<Timex>,
    sent: usize,
    last_end: Option<usize>,
    /// The document's text from byte `base` on, that the next blocks of
    /// prose need.
    text: String,
    base: usize,
    /// Line ends before the first window, and the line the last timex
    /// ended on.
    lines: usize,
    last_line: usize,
    count: usize,
}

/// Prose timexes built at once, at most: the text they need is kept till then.
const PROSE_BATCH: usize = 4096;

impl Reading {
    /// A timex found (offsets from the document's start), after those before it.
    fn timex(&mut self, mut t: Timex) {
        self.count += 1;
        while self.windows.len() > 1
            && (self.windows.front()).is_some_and(|w| t.start >= w.base + w.end)
        {
            self.close(false);
        }
        let Some(base) = self.windows.front().map(|w| w.base) else {
            return;
        };
        t.move_earlier(base);
        self.last_end = Some(t.end);
        while (self.current()).is_some_and(|b| b.range.end <= t.start) {
            self.flush();
        }
        if (self.current()).is_some_and(|b| b.range.start <= t.start) {
            self.inside.push(t);
        }
    }

    /// The block being read.
    fn current(&self) -> Option<&Block> {
        (self.windows.front()).and_then(|w| w.doc.blocks.get(self.block))
    }

    /// Builds the events of the first window's block being read, then
    /// goes to the next; the prose when enough waits.
    fn flush(&mut self) {
        let Some(w) = self.windows.front() else {
            return;
        };
        if let Some(block) = w.doc.blocks.get(self.block) {
            self.events.block(&w.doc, block, w.base, &self.inside);
            self.inside.clear();
            self.block += 1;
            if self.events.waiting() >= PROSE_BATCH {
                let from = self.sent.max(w.start);
                let upto = block.range.end.clamp(from, w.end);
                self.text.push_str(&w.doc.text[from..upto]);
                self.sent = upto;
                self.prose(false);
            }
        }
    }

    /// Reads the rest of the first window; `last`: it ends the document.
    fn close(&mut self, last: bool) {
        while self
            .windows
            .front()
            .is_some_and(|w| self.block < w.doc.blocks.len())
        {
            self.flush();
        }
        let Some(w) = self.windows.pop_front() else {
            return;
        };
        if let Some(end) = self.last_end.take() {
            let upto = end.clamp(w.start, w.end);
            self.last_line = 1 + self.lines + newlines(&w.doc.text[w.start..upto]);
        }
        self.lines += newlines(&w.doc.text[w.start..w.end]);
        self.text
            .push_str(&w.doc.text[self.sent.max(w.start)..w.end]);
        self.prose(last && self.windows.is_empty());
        self.block = 0;
        self.sent = 0;
    }

    /// Builds the prose the text settles, and lets go of what it no
    /// longer needs.
    fn prose(&mut self, last: bool) {
        let keep = self.events.prose(&self.text, self.base, last);
        let gone = keep.saturating_sub(self.base).min(self.text.len());
        let gone = floor_char(&self.text, gone);
        self.text.drain(..gone);
        self.base += gone;
    }
}

/// The document's subject as the whole text gives it: a title from its
/// header fields, else its first heading of the highest level.
#[derive(Default)]
struct Subject {
    /// From the header fields, read in the first window.
    fields: Option<String>,
    /// The first heading of the highest level so far, its whitespace
    /// collapsed.
    heading: Option<(u8, String)>,
    /// The first heading, as written.
    first: Option<String>,
}

impl Subject {
    fn read(&mut self, doc: &Document, first_window: bool) {
        for b in &doc.blocks {
            let BlockKind::Heading(level) = b.kind else {
                continue;
            };
            let text = doc.text.get(b.range.clone()).unwrap_or("");
            if self.first.is_none() {
                self.first = Some(text.to_owned());
            }
            if self.heading.as_ref().is_none_or(|(best, _)| level < *best) {
                let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
                self.heading = Some((level, collapsed));
            }
        }
        // The reader names a window by its heading, else by its fields.
        if first_window {
            let heading = self.heading.as_ref().map(|(_, h)| h);
            self.fields = doc.subject.clone().filter(|s| Some(s) != heading);
        }
    }

    fn name(&self) -> Option<String> {
        let heading = self.heading.as_ref().map(|(_, h)| h.clone());
        self.fields.clone().or(heading.filter(|h| !h.is_empty()))
    }

    /// The reference date the title gives, else `fallback`.
    fn dated(&self, fallback: NaiveDateTime) -> (NaiveDateTime, Source) {
        let name = self.name();
        let title = name.iter().chain(self.first.iter());
        for t in title {
            if let Some(at) = dct::date_in(t) {
                return (at, Source::Title);
            }
        }
        (fallback, Source::Fallback)
    }
}

/// Reads the plain text of `windows` into its events. `dated`: the
/// reference date and where it came from, when the flag or an earlier
/// reading gave it; `can_redate`: the text can be read again (a file),
/// should a later heading date it otherwise (standard input keeps the
/// date its first window gives). The messages the whole reading gives go to `err`
/// after the reading, in its order.
fn text_events(
    windows: &mut Windows,
    dated: Option<(NaiveDateTime, Source)>,
    can_redate: bool,
    today: NaiveDateTime,
    added: NaiveDateTime,
    extractor: &mut Extractor,
    err: &mut dyn Write,
) -> Result<Read, Failure> {
    let name = windows.name;
    let mut notes: Vec<u8> = Vec::new();
    let mut cut = Cut::default();
    let mut subject = Subject::default();
    let mut w = cut.next(windows, true, &mut notes)?;
    subject.read(&w.doc, true);
    let (dct, source) = dated.clone().unwrap_or_else(|| {
        let window = &w.doc.text;
        dct::for_blocks(&w.doc, window, window, Format::Text, today)
    });
    let mut reading = Reading {
        events: DocumentEvents::new(dct, &source, name, added),
        windows: std::collections::VecDeque::new(),
        block: 0,
        inside: Vec::new(),
        sent: 0,
        last_end: None,
        text: String::new(),
        base: 0,
        lines: 0,
        last_line: 1,
        count: 0,
    };
    let mut engine = Some(extractor.session(dct));
    loop {
        let (b, len, last) = (w.bounds.take(), w.end - w.start, w.last);
        // The engine reads the window's text as the events' side does:
        // a copy, as long as a window.
        let (base, blocks) = (w.base, w.doc.engine_blocks().collect::<Vec<_>>());
        let text = w.doc.text.clone();
        reading.windows.push_back(w);
        if let Some(e) = &mut engine {
            e.feed(&text, base, blocks, |t| reading.timex(t));
        }
        drop(text);
        if last {
            if let Some(e) = engine.take() {
                e.finish(|t| reading.timex(t));
            }
        }
        if !engine.as_ref().is_some_and(|e| e.detecting()) {
            let n = reading.windows.len();
            for k in 0..n {
                reading.close(last && k + 1 == n);
            }
        }
        if last {
            break;
        }
        if let Some(b) = b {
            windows.advance(b, len);
        }
        w = cut.next(windows, false, &mut notes)?;
        subject.read(&w.doc, false);
    }
    let count = reading.count;
    // A heading met after the first window may name the document, and
    // its date date it.
    if can_redate && dated.is_none() && matches!(source, Source::Title | Source::Fallback) {
        let (at, by) = subject.dated(today);
        if (at, &by) != (dct, &source) {
            return Ok(Read::Redate(at, by));
        }
    }
    let _ = err.write_all(&notes);
    if !cut.any_blocks && cut.total > 0 {
        let _ = writeln!(err, "timeline: {name}: no text found");
    }
    let _ = writeln!(
        err,
        "timeline: {name}: text document, reference date {} from {source}",
        dct.format("%Y-%m-%d")
    );
    if count >= MAX_DATES_PER_DOCUMENT {
        let last_line = reading.last_line;
        let _ = writeln!(
            err,
            "timeline: {name}: stopped at line {last_line}, after {MAX_DATES_PER_DOCUMENT} dates; the rest is not read"
        );
    }
    let events = reading.events.finish(|at| at, subject.name().as_deref());
    Ok(Read::Events(events))
}

fn newlines(text: &str) -> usize {
    memchr::memchr_iter(b'\n', text.as_bytes()).count()
}
