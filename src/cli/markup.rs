//! `extract` of a markup file (Markdown, Org, HTML, RST, an mbox) read in
//! windows cut between blocks (see `stream::Windows`), its record written
//! as its timexes come. The engine reads each window's clean text, those
//! texts one after the other; a timex is then placed in the file through
//! the window it came from. A message of megabytes in an mbox is read in
//! windows of its body, as a single email is (see [`mbox`](super::mbox)).

use std::borrow::Cow;
use std::io::Write;

use chrono::NaiveDateTime;

use crate::document::dct::{self, Source};
use crate::document::{self, Format};
use crate::engine::timex::Timex;
use crate::engine::Session;

use super::extract::{format_dct, Record};
use super::held::{file_start, Kept};
use super::mbox::LongMessage;
use super::stream::{decode, place_in_file, with_held, Bounds, Target, Windows};
use super::Failure;

/// What the engine reads next: a window's document and the file's text
/// around it.
pub(super) struct Piece<'v> {
    pub doc: document::Document,
    /// The file's text around the window, from its byte `base`: the
    /// window is `start..end` of it.
    pub view: Cow<'v, str>,
    pub base: usize,
    pub start: usize,
    pub end: usize,
    /// Where the document's offsets count from in the file's text.
    pub file: usize,
    /// The window goes on with the last one's last block.
    pub goes_on: bool,
    /// No window follows.
    pub last: bool,
}

/// The window `b` of `windows` as the engine reads it.
fn window_piece<'w>(
    format: Format,
    windows: &'w Windows,
    b: &Bounds,
    warned: &mut bool,
    err: &mut dyn Write,
) -> Piece<'w> {
    let last = windows.ended && b.end == windows.buf.len();
    let (view, start, end) = decode(windows, b, warned, err);
    let window = &view[start..end];
    let doc = match format {
        // An email's parts may declare other charsets: it reads the bytes.
        Format::Email => {
            let at = windows.file_at + b.start;
            document::read_mail_window(&windows.buf[b.start..b.end], window, at)
        }
        _ => document::read_window(format, window, windows.text_at, &windows.carry),
    };
    Piece {
        doc,
        base: windows.text_at - start,
        view,
        start,
        end,
        file: windows.text_at,
        goes_on: windows.carry.goes_on(),
        last,
    }
}

pub(super) fn markup(
    format: Format,
    windows: &mut Windows,
    flag_dct: Option<NaiveDateTime>,
    today: NaiveDateTime,
    to: &mut Target,
) -> Result<(), Failure> {
    let name = windows.name;
    let mut open: Option<(Record, Session)> = None;
    let mut pending: Option<(String, usize)> = None;
    // The windows whose timexes may still come: where each one's clean
    // text starts among the engine's, where it starts in the file's text,
    // and what it read.
    let mut read: Vec<(usize, usize, document::Document)> = Vec::new();
    // A record that needs no text but what is near its timexes needs of
    // the held windows only their blocks (see `Kept`): a page of comments
    // or scripts, whose kind is detected until its end, is not held whole.
    let mut kept = to.writer.needs_text_near_timexes().then(Kept::default);
    let mut clean_at = 0;
    let (mut blocks, mut warned, mut empty) = (false, false, true);
    // A message of an mbox longer than a window, being read on its own.
    let mut long: Option<LongMessage> = None;
    loop {
        // Only where the text near the timexes is all the record needs:
        // the text between the body's windows is never held.
        if format == Format::Email && long.is_none() && kept.is_some() {
            long = LongMessage::open(windows)?;
        }
        let mut bounds = None;
        let piece = match &mut long {
            Some(message) => {
                // As the window of the message read whole would tell it.
                if let Some(at) = message.invalid_at().filter(|_| !warned) {
                    warned = true;
                    let _ = writeln!(
                        to.err,
                        "timeline: {name}: invalid UTF-8 at byte {at}; replaced with U+FFFD"
                    );
                }
                message.piece()?
            }
            None => {
                let b = windows.next()?;
                let piece = window_piece(format, windows, &b, &mut warned, to.err);
                bounds = Some(b);
                piece
            }
        };
        let Piece {
            doc,
            view,
            base,
            start,
            end,
            file,
            goes_on,
            last,
        } = piece;
        let window = &view[start..end];
        empty &= window.is_empty();
        let first_window = open.is_none();
        for w in &doc.warnings {
            let _ = writeln!(to.err, "timeline: {name}: {w}");
        }
        blocks |= !doc.blocks.is_empty();
        let (mut record, mut session) = match open.take() {
            Some(open) => open,
            None => {
                if !blocks && last && !empty {
                    let _ = writeln!(to.err, "timeline: {name}: no text found");
                }
                let (dct, source) = match flag_dct {
                    Some(t) => (t, Source::Flag),
                    None => dct::for_document(&doc, window, format, today),
                };
                let _ = writeln!(
                    to.err,
                    "timeline: {name}: {} document, reference date {} from {source}",
                    format.name(),
                    format_dct(dct)
                );
                let record = to.writer.begin_record(name, dct, None);
                (record, to.extractor.session(dct))
            }
        };
        read.push((clean_at, file, doc));
        let (held, held_base) = with_held(pending.take(), &view, base);
        let text = (&*held, held_base);
        let mut failed = None;
        let mut write = |mut t: Timex| {
            if failed.is_none() {
                let text = match &kept {
                    Some(kept) => kept.around(file_start(&t, &read), text),
                    None => text,
                };
                place_in_file(&mut t, &read, text);
                failed = record.timex(text, &t, to.out).err();
            }
        };
        if goes_on {
            session.go_on();
        }
        if let Some((_, _, doc)) = read.last() {
            session.feed(&doc.text, clean_at, doc.engine_blocks(), &mut write);
            clean_at += doc.text.len();
        }
        if last {
            session.finish(&mut write);
            if let Some(f) = failed {
                return Err(f);
            }
            if !blocks && !first_window && !empty {
                let _ = writeln!(to.err, "timeline: {name}: no text found");
            }
            return record.finish(text, to.extractor.doctype_used(), to.out);
        }
        if let Some(f) = failed {
            return Err(f);
        }
        if session.detecting() {
            match &mut kept {
                Some(kept) => {
                    if let Some((_, file, doc)) = read.last() {
                        kept.blocks(doc, *file, text);
                    }
                }
                None => pending = Some((text.0.to_owned(), text.1)),
            }
        } else {
            record.upto(text, base + end, to.out)?;
            read.clear();
            if let Some(kept) = &mut kept {
                kept.clear();
            }
        }
        open = Some((record, session));
        let len = end - start;
        drop(held);
        drop(view);
        match bounds {
            Some(b) => windows.advance(b, len),
            None => {
                if let Some((len, text_len)) = long.as_ref().and_then(LongMessage::read) {
                    long = None;
                    windows.skip(len, text_len)?;
                }
            }
        }
    }
}
