//! A message of megabytes in an mbox, read in windows of its body as a
//! single email of one text part is (see `mail::single_part`), not whole:
//! the mbox's windows go up to its "From " line, its body's windows are
//! read from the file again, and the mbox's resume after it. A first pass
//! over the message, which keeps nothing, finds where it ends and tells
//! whether its body maps to the file byte for byte and decodes. A message
//! of several MIME parts is read as a single email of them is (see
//! `mail::parts`): the first pass keeps its skeleton, a second checks
//! that its parts decode, then its text parts are read in windows one
//! after the other; only one that is all UTF-8. The file is standard
//! input's spool where it came from there.
//!
//! Only a message whose body decodes, read as UTF-8 or in a charset of
//! its own (bytes of the file that are not UTF-8 are then replaced as in
//! the file's text, which offsets count in), and only for a record that
//! needs no more than the text near its timexes: anything else is read
//! whole, as before.

use std::borrow::Cow;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};

use crate::document::mail_body::{Body, Head, Survey, Window};
use crate::document::mail_mbox::MessageEnd;
use crate::document::mail_parts::{self, Check, Plan, Skeleton};
use crate::document::{self, Carry, Document, Format};

use super::mail::BodyBytes;
use super::markup::Piece;
use super::stream::{Windows, MARGIN, MARKUP_WINDOW};
use super::{floor_char, Failure};

/// The most bytes the first pass takes at once, and of a message whose
/// headers are parsed: less than the allocator's first threshold for
/// blocks of their own, so that a message then read whole (not UTF-8,
/// say) is not read with a raised one (it took 10% more).
const PIECE: usize = 64 << 10;

/// A message of an mbox longer than a window, its body read window by
/// window: its one text part, or its text parts one after the other.
pub(super) struct LongMessage<'a> {
    source: BodyBytes<'a, File>,
    body: Body,
    /// The text parts after the one being read, each with where it ends
    /// (a message of several MIME parts, read as `mail::parts` reads one).
    later: std::vec::IntoIter<(Body, usize)>,
    /// The message's subject and date, for its first window.
    head: Option<Document>,
    /// The body's next window, read ahead to tell the last, with the text
    /// where its part starts when it is a later part's first.
    next: Option<(Window, Option<Lead>)>,
    /// The text just before the next window: a sentence reaches into it.
    before: String,
    /// For a body that is not the file's text byte for byte: the file's
    /// text around the body's start, where all of it maps, and its byte.
    around: Option<(String, usize)>,
    /// The last window ended inside a paragraph the next goes on with.
    goes_on: bool,
    /// The message's bytes, from its "From " line on, and their length
    /// in the file's text (each sequence that is not UTF-8 replaced).
    len: usize,
    text_len: usize,
    /// What the body's offsets (the file's bytes) are moved by: where
    /// the message starts in the file's text, less its byte. Within it,
    /// offsets count bytes, as when it is read whole.
    shift: usize,
    /// The message's first byte that is not UTF-8, till it is told.
    invalid_at: Option<usize>,
    /// The file ends with the message.
    to_end: bool,
}

impl<'a> LongMessage<'a> {
    /// A message about to be read from its first (or only) text part,
    /// `sizes` its `len`, `text_len` and `shift`; nothing read ahead yet.
    fn new(
        source: BodyBytes<'a, File>,
        body: Body,
        head: Document,
        lead: Lead,
        (len, text_len, shift): (usize, usize, usize),
    ) -> LongMessage<'a> {
        LongMessage {
            source,
            body,
            later: Vec::new().into_iter(),
            head: Some(head),
            next: None,
            before: lead.before,
            around: lead.around,
            goes_on: false,
            len,
            text_len,
            shift,
            invalid_at: None,
            to_end: false,
        }
    }
}

/// The file's text where a part's body starts (see [`LongMessage`]'s
/// `before` and `around`), taken on when its first window is.
struct Lead {
    before: String,
    around: Option<(String, usize)>,
}

/// The first pass over a long message: of its one text part, or of the
/// skeleton of its MIME parts.
enum Pass {
    One(Head, Box<Survey>),
    Parts(Skeleton),
}

impl Pass {
    fn feed(&mut self, bytes: &[u8]) {
        match self {
            Pass::One(_, survey) => survey.feed(bytes),
            Pass::Parts(skeleton) => skeleton.feed(bytes),
        }
    }
}

impl<'a> LongMessage<'a> {
    /// The message the window of `windows` starts with, when it is longer
    /// than a window and its body can be read in windows.
    pub(super) fn open(windows: &mut Windows<'a>) -> Result<Option<LongMessage<'a>>, Failure> {
        let Some(again) = windows.again else {
            return Ok(None);
        };
        windows.fill()?;
        let rest = &windows.buf[windows.start..];
        let at = windows.file_at + windows.start;
        if !rest.starts_with(b"From ") {
            return Ok(None);
        }
        let carry = Carry::default();
        let end = document::window_end(Format::Email, rest, MARKUP_WINDOW, &carry);
        if end.is_some_and(|(end, _)| end <= MARKUP_WINDOW) {
            return Ok(None);
        }
        let Some(line) = memchr::memchr(b'\n', rest).map(|k| k + 1) else {
            return Ok(None);
        };
        if std::str::from_utf8(&rest[..line]).is_err() {
            return Ok(None);
        }
        // Its headers, parsed with the start of its body only.
        let known_end = MessageEnd::new(at + line).feed(&rest[line..]);
        let message = &rest[line..known_end.map_or(rest.len(), |end| end - at)];
        let message_head = &message[..message.len().min(PIECE)];
        let mut pass = match Head::read(message_head) {
            Some(mut head) => {
                head.body_at += at + line;
                let survey = Survey::new(&head).starting_at(at + line);
                Pass::One(head, Box::new(survey))
            }
            None if mail_parts::may_plan(message_head) => {
                Pass::Parts(Skeleton::new().starting_at(at + line))
            }
            None => return Ok(None),
        };
        let name = windows.name;
        let failed =
            |e: std::io::Error| Failure::usage(format!("timeline: cannot read {name}: {e}"));
        let mut file = again.open().map_err(failed)?;
        file.seek(SeekFrom::Start((at + line) as u64))
            .map_err(failed)?;
        let mut scan = MessageEnd::new(at + line);
        let mut chunk = vec![0; PIECE];
        // The bytes read from `end` on, not yet surveyed: the start of a
        // line may be the next message's, its "From " cut between reads.
        let mut unsure: Vec<u8> = Vec::new();
        let (mut end, mut found) = (at + line, None);
        let mut text_len = TextLen::default();
        text_len.feed(&rest[..line]);
        while found.is_none() {
            let n = file.read(&mut chunk).map_err(failed)?;
            if n == 0 {
                pass.feed(&unsure);
                text_len.feed(&unsure);
                end += unsure.len();
                break;
            }
            found = scan.feed(&chunk[..n]);
            unsure.extend_from_slice(&chunk[..n]);
            let sure = found
                .unwrap_or_else(|| scan.sure())
                .clamp(end, end + unsure.len());
            pass.feed(&unsure[..sure - end]);
            text_len.feed(&unsure[..sure - end]);
            unsure.drain(..sure - end);
            end = sure;
        }
        drop(chunk);
        let shift = windows.text_at - at;
        let head = match pass {
            Pass::One(head, survey) => (head, survey),
            Pass::Parts(skeleton) => {
                let Some(plan) = skeleton.plan() else {
                    return Ok(None);
                };
                let mut check = check_parts(&mut file, &plan, at + line, end).map_err(failed)?;
                // Offsets count bytes of the message as when it is read
                // whole only where it is all UTF-8.
                if !check.decodes(&plan) || check.invalid_at.is_some() {
                    return Ok(None);
                }
                let bodies = plan.bodies(&check).into_iter();
                let later: Vec<(Body, usize)> = bodies.map(|(b, e)| (b.in_mbox(), e)).collect();
                let mut later = later.into_iter();
                let Some((body, part_end)) = later.next() else {
                    return Ok(None);
                };
                let mut source = BodyBytes::new(file, name, 0, 0);
                let start = lead(&mut source, &body, part_end, shift).map_err(failed)?;
                let sizes = (end - at, text_len.finish(), shift);
                let mut message = LongMessage::new(source, body, plan.doc, start, sizes);
                message.later = later;
                message.to_end = found.is_none();
                message.next = message.read_ahead()?;
                return Ok(message.next.is_some().then_some(message));
            }
        };
        let (head, survey) = head;
        let body = survey.body(&head);
        // A body in UTF-8 with bytes that are not would map byte for byte
        // when read whole: only one that maps as a whole may hold them.
        if (body.invalid_at.is_some() && !body.recoded) || body.failed {
            return Ok(None);
        }
        let mut body = body.in_mbox();
        file.seek(SeekFrom::Start(head.body_at as u64))
            .map_err(failed)?;
        let mut source = BodyBytes::new(file, name, head.body_at, end);
        let Some(first) = source.window(&mut body)? else {
            return Ok(None);
        };
        // The file's text before the body (and after its start, where a
        // decoded body maps), from the bytes at hand.
        let body_in = (head.body_at - at).min(rest.len());
        let continues = |k: usize| rest.get(k).is_some_and(|b| b & 0xC0 == 0x80);
        let mut from = body_in.saturating_sub(MARGIN);
        while from < body_in && continues(from) {
            from += 1;
        }
        let mut to = (body_in + MARGIN).min(rest.len());
        while continues(to) {
            to += 1;
        }
        // Where a byte of the message's start is in the file's text.
        let in_text = |k: usize| windows.text_at + String::from_utf8_lossy(&rest[..k]).len();
        let before = String::from_utf8_lossy(&rest[from..body_in]).into_owned();
        let around = (!body.verbatim).then(|| {
            let after = String::from_utf8_lossy(&rest[body_in..to]);
            (format!("{before}{after}"), in_text(from))
        });
        let invalid_at = body.invalid_at;
        let lead = Lead { before, around };
        let sizes = (end - at, text_len.finish(), shift);
        let mut message = LongMessage::new(source, body, head.doc, lead, sizes);
        message.next = Some((first, None));
        message.invalid_at = invalid_at;
        message.to_end = found.is_none();
        Ok(Some(message))
    }

    /// The next window of the part being read, or else the first of the
    /// next part that gives one, with the text where that part starts.
    fn read_ahead(&mut self) -> Result<Option<(Window, Option<Lead>)>, Failure> {
        let mut lead_of_part = None;
        loop {
            if let Some(window) = self.source.window(&mut self.body)? {
                return Ok(Some((window, lead_of_part)));
            }
            let Some((body, end)) = self.later.next() else {
                return Ok(None);
            };
            let started = lead(&mut self.source, &body, end, self.shift);
            lead_of_part = Some(started.map_err(|e| self.source.failed(e))?);
            self.body = body;
        }
    }

    /// The body's next window as the engine reads it.
    pub(super) fn piece(&mut self) -> Result<Piece<'static>, Failure> {
        let Some((window, lead_of_part)) = self.next.take() else {
            return Ok(Piece {
                doc: Document::default(),
                view: Cow::Borrowed(""),
                base: 0,
                start: 0,
                end: 0,
                file: 0,
                goes_on: false,
                last: self.to_end,
            });
        };
        // A part's first window goes on with nothing.
        if let Some(Lead { before, around }) = lead_of_part {
            (self.before, self.around, self.goes_on) = (before, around, false);
        }
        self.next = self.read_ahead()?;
        let Window {
            mut doc,
            text,
            text_at,
            after,
            goes_on,
        } = window;
        if let Some(head) = self.head.take() {
            doc.dated = head.dated;
            if head.subject.is_some() {
                doc.subject = head.subject;
            }
        }
        let goes_on = std::mem::replace(&mut self.goes_on, goes_on);
        let last = self.next.is_none() && self.to_end;
        // The window's offsets are the file's: its document counts from 0.
        if let Some((around, at)) = &self.around {
            return Ok(Piece {
                doc,
                view: Cow::Owned(around.clone()),
                base: *at,
                start: 0,
                end: around.len(),
                file: self.shift,
                goes_on,
                last,
            });
        }
        let before = std::mem::take(&mut self.before);
        let (start, end) = (before.len(), before.len() + text.len());
        let view = format!("{before}{text}{after}");
        let keep = floor_char(&view, end.saturating_sub(MARGIN));
        self.before = view[keep..end].to_owned();
        Ok(Piece {
            doc,
            view: Cow::Owned(view),
            base: text_at + self.shift - start,
            start,
            end,
            file: self.shift,
            goes_on,
            last,
        })
    }

    /// The message's first byte that is not UTF-8, the first time asked.
    pub(super) fn invalid_at(&mut self) -> Option<usize> {
        self.invalid_at.take()
    }

    /// The message's bytes from its "From " line on, and their length in
    /// the file's text, once all its body's windows were given.
    pub(super) fn read(&self) -> Option<(usize, usize)> {
        self.next.is_none().then_some((self.len, self.text_len))
    }
}

/// Moves `source` to the part `body` (which ends at the file's byte
/// `end`), and gives the file's text where it starts, its offsets moved
/// by `shift` (the message being UTF-8, a byte's place in its text).
fn lead(
    source: &mut BodyBytes<File>,
    body: &Body,
    end: usize,
    shift: usize,
) -> std::io::Result<Lead> {
    let at = body.read_to();
    let (text, text_at) =
        super::mail::file_text(source.file(), at.saturating_sub(MARGIN), at + MARGIN)?;
    let before = text.get(..at - text_at).unwrap_or("").to_owned();
    let around = (!body.verbatim).then(|| (text, text_at + shift));
    source.restart(at, end)?;
    Ok(Lead { before, around })
}

/// The second pass over a message of several parts, from the file's byte
/// `from` (after its "From " line) to `end`: whether its parts decode.
fn check_parts(file: &mut File, plan: &Plan, from: usize, end: usize) -> std::io::Result<Check> {
    let mut check = Check::new(plan).starting_at(from);
    file.seek(SeekFrom::Start(from as u64))?;
    let mut chunk = vec![0; PIECE];
    let mut left = end - from;
    while left > 0 {
        let n = file.read(&mut chunk[..left.min(PIECE)])?;
        if n == 0 {
            break;
        }
        check.feed(plan, &chunk[..n]);
        left -= n;
    }
    Ok(check)
}

/// The length of bytes read piece by piece once decoded as the file's
/// text is (`String::from_utf8_lossy`): each sequence that is not UTF-8
/// becomes one U+FFFD, a sequence cut between two pieces is held back
/// until the next completes it.
#[derive(Default)]
struct TextLen {
    len: usize,
    /// The start of a sequence the last piece ended in.
    rest: Vec<u8>,
}

impl TextLen {
    fn feed(&mut self, bytes: &[u8]) {
        let mut joined = std::mem::take(&mut self.rest);
        joined.extend_from_slice(bytes);
        let mut from = 0;
        loop {
            match std::str::from_utf8(&joined[from..]) {
                Ok(s) => {
                    self.len += s.len();
                    break;
                }
                Err(e) => {
                    self.len += e.valid_up_to();
                    let bad = from + e.valid_up_to();
                    match e.error_len() {
                        Some(n) => {
                            self.len += char::REPLACEMENT_CHARACTER.len_utf8();
                            from = bad + n;
                        }
                        None => {
                            self.rest = joined[bad..].to_vec();
                            break;
                        }
                    }
                }
            }
        }
    }

    /// The length, the bytes having ended: a sequence they leave
    /// unfinished is one U+FFFD.
    fn finish(self) -> usize {
        let unfinished = !self.rest.is_empty();
        self.len + usize::from(unfinished) * char::REPLACEMENT_CHARACTER.len_utf8()
    }
}
