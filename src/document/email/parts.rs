//! A message of several MIME parts read without holding it: a first pass
//! over the file keeps its headers and every line that may be a boundary
//! (a [`Skeleton`]), each run of other lines shrunk to a stub that
//! decodes in any transfer encoding. `mail-parser` reads the skeleton as
//! it reads the file, since where parts start and end, their types and
//! which are the body depend on those lines alone; the text parts are
//! then read in windows ([`body`](super::body)) from where the skeleton
//! maps them in the file, and the attachments are never read again.
//!
//! What the skeleton cannot tell sends the message back to being read
//! whole: a part that does not decode (the whole parse then reads it
//! another way), an attached message (its own headers were shrunk), an
//! HTML body, parts that never end, a boundary line of megabytes.

use mail_parser::{Encoding, MessageParser, MimeHeaders, PartType};

use super::body::Body;
use super::decode::{Texts, Transfer, Transfers};
use super::{headers_doc, Utf8Watch};
use crate::document::Document;

/// The most bytes of a line the skeleton keeps, and of the skeleton.
const LINE_MAX: usize = 64 << 10;
const SKELETON_MAX: usize = 4 << 20;

/// What a run of body lines shrinks to: four base64 characters, which
/// are also plain text and quoted-printable.
const STUB: &[u8] = b"AAAA";

/// A stretch of the skeleton: kept (the file's bytes as they are) or a
/// stub standing for `file_len` bytes whose last line ended in `ending`
/// bytes (kept after the stub).
#[derive(Clone, Copy, Debug)]
struct Stretch {
    skeleton: usize,
    file: usize,
    file_len: usize,
    stub: Option<usize>,
}

/// The skeleton of a message, built from the file's bytes in order.
#[derive(Default)]
pub(crate) struct Skeleton {
    out: Vec<u8>,
    stretches: Vec<Stretch>,
    /// The file's byte the next one fed is.
    at: usize,
    /// The line being read (its first [`LINE_MAX`] bytes), where it
    /// starts, whether it has "--", its last byte.
    line: Vec<u8>,
    line_at: usize,
    dashes: bool,
    last: u8,
    /// Whether the line is among headers: those of the message, or lines
    /// after one with "--" (a part's) up to a blank line.
    header: bool,
    started: bool,
    /// A run of body lines not yet written: where it starts, and the line
    /// end of its last line.
    run: Option<(usize, usize)>,
    /// A line to keep was too long, or the skeleton grew too big.
    pub overflow: bool,
}

impl Skeleton {
    pub fn new() -> Skeleton {
        Skeleton {
            header: true,
            ..Skeleton::default()
        }
    }

    /// The skeleton of a message that starts at byte `at` of the file
    /// (one of an mbox, after its "From " line): it is fed from there, and
    /// its parts are placed in the file.
    pub fn starting_at(self, at: usize) -> Skeleton {
        Skeleton { at, ..self }
    }

    /// Takes the file's next bytes.
    pub fn feed(&mut self, bytes: &[u8]) {
        let mut rest = bytes;
        while !rest.is_empty() && !self.overflow {
            let (piece, ended) = match memchr::memchr(b'\n', rest) {
                Some(k) => (&rest[..=k], true),
                None => (rest, false),
            };
            rest = &rest[piece.len()..];
            if !self.started {
                (self.started, self.line_at, self.dashes) = (true, self.at, false);
                self.line.clear();
                self.last = 0;
            }
            let pair = self.last == b'-' && piece[0] == b'-';
            self.dashes |= pair || piece.windows(2).any(|w| w == b"--");
            self.last = piece[piece.len() - 1];
            let room = LINE_MAX.saturating_sub(self.line.len());
            self.line.extend_from_slice(&piece[..piece.len().min(room)]);
            self.at += piece.len();
            if ended {
                self.end_line();
            }
        }
    }

    /// Ends the file: its last line, if it has no line end.
    pub fn finish(&mut self) {
        if self.started {
            self.end_line();
        }
        self.close_run(self.at);
    }

    fn end_line(&mut self) {
        self.started = false;
        let len = self.at - self.line_at;
        let long = len > LINE_MAX;
        let line_end = if self.line.ends_with(b"\r\n") {
            2
        } else {
            usize::from(self.line.ends_with(b"\n"))
        };
        let blank = !long && len == line_end;
        if self.header || self.dashes {
            if long {
                self.overflow = true;
                return;
            }
            self.close_run(self.line_at);
            self.keep();
            self.header = !blank && (self.header || self.dashes);
        } else {
            let start = self.run.map_or(self.line_at, |(s, _)| s);
            self.run = Some((start, line_end));
        }
    }

    /// Writes the line read as it is.
    fn keep(&mut self) {
        match self.stretches.last_mut() {
            Some(s) if s.stub.is_none() && s.file + s.file_len == self.line_at => {
                s.file_len += self.line.len();
            }
            _ => self.stretches.push(Stretch {
                skeleton: self.out.len(),
                file: self.line_at,
                file_len: self.line.len(),
                stub: None,
            }),
        }
        self.out.extend_from_slice(&self.line);
        self.overflow |= self.out.len() > SKELETON_MAX;
    }

    /// Writes the stub for the run of body lines read, if any, which ends
    /// at the file's byte `end`.
    fn close_run(&mut self, end: usize) {
        let Some((start, ending)) = self.run.take() else {
            return;
        };
        self.stretches.push(Stretch {
            skeleton: self.out.len(),
            file: start,
            file_len: end - start,
            stub: Some(ending),
        });
        self.out.extend_from_slice(STUB);
        let line_end: &[u8] = match ending {
            2 => b"\r\n",
            1 => b"\n",
            _ => b"",
        };
        self.out.extend_from_slice(line_end);
    }

    /// The file's byte for a byte of the skeleton: one that is kept, or a
    /// stub's start, end, or the end of the text before its line end.
    fn in_file(&self, at: usize) -> Option<usize> {
        let k = self.stretches.partition_point(|s| s.skeleton <= at);
        let s = self.stretches.get(k.checked_sub(1)?)?;
        let d = at - s.skeleton;
        match s.stub {
            None => (d <= s.file_len).then_some(s.file + d),
            Some(_) if d == 0 => Some(s.file),
            Some(ending) if d == STUB.len() => Some(s.file + s.file_len - ending),
            Some(ending) if d == STUB.len() + ending => Some(s.file + s.file_len),
            Some(_) => None,
        }
    }

    /// How the message is read, when the skeleton tells it all.
    pub fn plan(mut self) -> Option<Plan> {
        self.finish();
        if self.overflow || self.out.starts_with(b"From ") {
            return None;
        }
        let m = MessageParser::default().parse(&self.out[..])?;
        let root = m.parts.first()?;
        if !root.is_multipart() || m.text_body.is_empty() {
            return None;
        }
        let close = m.content_type()?.attribute("boundary")?;
        let close = format!("--{close}--");
        if !self.out.windows(close.len()).any(|w| w == close.as_bytes()) {
            return None;
        }
        let mut parts = Vec::new();
        for (k, part) in m.parts.iter().enumerate() {
            match &part.body {
                _ if part.is_encoding_problem => return None,
                PartType::Message(_) => return None,
                PartType::Multipart(_) => continue,
                _ => {}
            }
            // The body's other parts (an inline image) give no text.
            let body = m.text_body.contains(&(k as u32));
            if body && matches!(part.body, PartType::Html(_)) {
                return None;
            }
            let text = body && matches!(part.body, PartType::Text(_));
            let transfer = match part.encoding {
                Encoding::None => Transfer::Plain,
                Encoding::Base64 => Transfer::Base64,
                Encoding::QuotedPrintable => Transfer::QuotedPrintable,
            };
            if !text && transfer == Transfer::Plain {
                continue;
            }
            let charset = (part.content_type())
                .and_then(|ct| ct.attribute("charset"))
                .map(str::to_owned);
            if text {
                Texts::new(charset.as_deref())?;
            }
            let body_at = self.in_file(part.offset_body as usize)?;
            let end = self.in_file(part.offset_end as usize)?;
            if end < body_at || parts.last().is_some_and(|p: &Part| p.end > body_at) {
                return None;
            }
            parts.push(Part {
                body_at,
                end,
                transfer,
                charset,
                text,
            });
        }
        Some(Plan {
            doc: headers_doc(&m),
            parts,
        })
    }
}

/// Whether the message that `head` starts may be read in parts: not when
/// its headers, all in `head`, declare no multipart type, since its
/// skeleton (the same headers) would plan nothing. Saves that pass over
/// a long message of one part.
pub(crate) fn may_plan(head: &[u8]) -> bool {
    let ended = memchr::memmem::find(head, b"\n\n").is_some()
        || memchr::memmem::find(head, b"\n\r\n").is_some();
    let Some(m) = MessageParser::default().parse_headers(head) else {
        return true;
    };
    let multipart = m
        .content_type()
        .is_some_and(|ct| ct.ctype().eq_ignore_ascii_case("multipart"));
    multipart || !ended
}

/// A part's body in the file, how it is encoded, and whether it is read
/// (a text part of the body) or only checked to decode.
#[derive(Clone, Debug)]
pub(crate) struct Part {
    pub body_at: usize,
    pub end: usize,
    pub transfer: Transfer,
    pub charset: Option<String>,
    pub text: bool,
}

/// A message of several parts as its skeleton shows it: the subject and
/// date, as the whole message's document has them, and its parts in the
/// file's order.
pub(crate) struct Plan {
    pub doc: Document,
    pub parts: Vec<Part>,
}

impl Plan {
    /// The bodies of the text parts, read in windows, each with where it
    /// ends in the file, after the [`Check`] found that all decode.
    pub fn bodies(&self, check: &Check) -> Vec<(Body, usize)> {
        let texts = self.parts.iter().enumerate().filter(|(_, p)| p.text);
        texts
            .map(|(k, p)| {
                let texts = Texts::new(p.charset.as_deref()).unwrap_or_else(Texts::utf8);
                let verbatim = check.invalid_at.is_none()
                    && p.transfer == Transfer::Plain
                    && (check.ascii[k] || texts.is_utf8());
                (Body::new(p.body_at, p.transfer, texts, verbatim), p.end)
            })
            .collect()
    }

    /// Where the last text part ends.
    pub fn text_end(&self) -> usize {
        (self.parts.iter().filter(|p| p.text))
            .map(|p| p.end)
            .max()
            .unwrap_or(0)
    }
}

/// A second pass over the file: whether every encoded part decodes as
/// the whole parse decodes it, which text parts are all ASCII, and the
/// file's first byte that is not UTF-8.
pub(crate) struct Check {
    utf8: Utf8Watch,
    /// The file's first byte that is not UTF-8, once [`Check::decodes`]
    /// has ended the pass.
    pub invalid_at: Option<usize>,
    at: usize,
    next: usize,
    transfers: Option<Transfers>,
    scratch: Vec<u8>,
    /// Per part: whether it is ASCII, and its last two bytes.
    pub ascii: Vec<bool>,
    tails: Vec<[u8; 2]>,
    pub failed: bool,
}

impl Check {
    pub fn new(plan: &Plan) -> Check {
        Check {
            utf8: Utf8Watch::default(),
            invalid_at: None,
            at: 0,
            next: 0,
            transfers: None,
            scratch: Vec::new(),
            ascii: vec![true; plan.parts.len()],
            tails: vec![[b'\n'; 2]; plan.parts.len()],
            failed: false,
        }
    }

    /// The check of a message that starts at byte `at` of the file (see
    /// [`Skeleton::starting_at`]).
    pub fn starting_at(self, at: usize) -> Check {
        Check { at, ..self }
    }

    /// Takes the file's next bytes.
    pub fn feed(&mut self, plan: &Plan, bytes: &[u8]) {
        let from = self.at;
        self.at += bytes.len();
        self.utf8.feed(from, bytes);
        while let Some(part) = plan.parts.get(self.next) {
            if part.body_at >= self.at {
                return;
            }
            let s = part.body_at.max(from) - from;
            let e = part.end.min(self.at) - from;
            let piece = &bytes[s.min(e)..e];
            let t = self
                .transfers
                .get_or_insert_with(|| Transfers::new(part.transfer));
            t.feed(piece, &mut self.scratch);
            self.scratch.clear();
            self.failed |= t.failed();
            self.ascii[self.next] &= piece.is_ascii();
            let tail = &mut self.tails[self.next];
            for &c in piece {
                *tail = [tail[1], c];
            }
            if part.end > self.at {
                return;
            }
            self.transfers = None;
            self.next += 1;
        }
    }

    /// Whether every part decodes as it does whole. A quoted-printable
    /// part of the body is cut by its boundary as the whole parse cuts it
    /// only when it ends in neither blanks nor an "=" escape (the whole
    /// parse takes the line end before the boundary as the text's).
    pub fn decodes(&mut self, plan: &Plan) -> bool {
        self.invalid_at = self.utf8.invalid_at(self.at);
        let clean_end = |k: usize| {
            let [a, b] = self.tails[k];
            a != b'=' && b != b'=' && (b == b'\n' || !b.is_ascii_whitespace())
        };
        !self.failed
            && self.next == plan.parts.len()
            && (plan.parts.iter().enumerate())
                .all(|(k, p)| !p.text || p.transfer != Transfer::QuotedPrintable || clean_end(k))
    }
}

#[cfg(test)]
#[path = "parts_tests.rs"]
mod tests;
