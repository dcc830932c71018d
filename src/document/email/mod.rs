//! Email (RFC 5322, one message or an mbox of several), parsed with
//! `mail-parser`: `Date:` dates the document and `Subject:` (without its
//! "Re:" and "Fwd:") names it; the body is the text/plain part, else the
//! text/html part read by the HTML reader. Quoted replies ("> " lines and
//! the "On …, … wrote:" line above them), whatever follows an "Original
//! Message" or "Forwarded message" separator, and the signature after
//! "-- " are left out, so the old dates in them never become events.
//!
//! A part the file holds as it is (7bit, 8bit, binary) maps byte for byte
//! to the file; a decoded one (quoted-printable, base64, another charset)
//! maps as a whole to where its body starts.

use mail_parser::{
    Encoding, HeaderName, Message, MessageParser, MessagePart, MimeHeaders, PartType,
};

use super::text::{lines_from, read_into};
use super::{dct, BlockKind, Builder, Document};

pub(crate) mod body;
mod decode;
pub(crate) mod mbox;
pub(crate) mod parts;

/// Headers that show a file is an email.
const KNOWN: [&str; 8] = [
    "from",
    "to",
    "date",
    "subject",
    "message-id",
    "mime-version",
    "received",
    "return-path",
];

/// Whether the start of a file looks like an email's headers: its first
/// line is an mbox "From " line or a header, and the first header lines
/// hold at least two of the common ones.
pub(crate) fn looks_like_email(head: &str) -> bool {
    let mut lines = head.lines().peekable();
    if lines.peek().is_some_and(|l| l.starts_with("From ")) {
        lines.next();
    }
    let mut seen: Vec<String> = Vec::new();
    for (k, line) in lines.take(60).enumerate() {
        if line.trim().is_empty() {
            break;
        }
        if k > 0 && line.starts_with([' ', '\t']) {
            // A folded header's continuation.
            continue;
        }
        let Some(name) = header_name(line) else {
            if k == 0 {
                return false;
            }
            break;
        };
        let name = name.to_ascii_lowercase();
        if KNOWN.contains(&name.as_str()) && !seen.contains(&name) {
            seen.push(name);
        }
    }
    seen.len() >= 2
}

/// The field name of a header line ("Subject: …").
fn header_name(line: &str) -> Option<&str> {
    let (name, _) = line.split_once(':')?;
    let ok = !name.is_empty()
        && name.len() <= 76
        && name.bytes().all(|c| c.is_ascii_graphic() && c != b':');
    ok.then_some(name)
}

pub(crate) fn read(bytes: &[u8], text: &str) -> Document {
    read_at(bytes, text, 0)
}

/// [`read`] of a piece of a file, `bytes` starting at its byte `file_at`:
/// warnings name bytes of the file.
pub(crate) fn read_at(bytes: &[u8], text: &str, file_at: usize) -> Document {
    let mut b = Builder::new();
    // Offsets into `text` are file offsets only when it is the file as is.
    let exact = text.as_bytes() == bytes;
    let messages = split_mbox(bytes);
    let mbox = messages.len() > 1 || bytes.starts_with(b"From ");
    let parser = MessageParser::default();
    for (start, end) in messages {
        let raw = &bytes[start..end];
        match parser.parse(raw) {
            Some(message) => {
                let r = Reader {
                    text: exact.then_some(text),
                    bytes,
                    base: start,
                    file_at,
                    mbox,
                };
                r.message(&message, &mut b);
            }
            None => {
                if !raw.iter().all(u8::is_ascii_whitespace) {
                    b.warn(format!(
                        "the message at byte {} could not be parsed as an email; read as plain text",
                        file_at + start
                    ));
                    raw_body(bytes, text, exact, start, end, mbox, &mut b);
                }
            }
        }
    }
    b.finish()
}

/// Where a window of an mbox ends, at most `max` bytes in if a message
/// starts there: before the "From " line of the last message that starts
/// within `max` bytes, else of the first one after (a message is read
/// whole); `None` while no next message shows in `bytes` (read on) and
/// for a file of one message, which is read whole.
pub(crate) fn window_end(bytes: &[u8], max: usize) -> Option<usize> {
    if bytes.len() <= max {
        return Some(bytes.len());
    }
    if !bytes.starts_with(b"From ") {
        return None;
    }
    let mut last = None;
    for at in message_starts(bytes).skip(1) {
        if at > max {
            return last.or(Some(at));
        }
        last = Some(at);
    }
    last
}

/// Where the messages of an mbox start: its "From " lines that follow a
/// blank line (or open the file).
fn message_starts(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    let mut at = 0;
    let mut prev_blank = true;
    bytes
        .split_inclusive(|&c| c == b'\n')
        .filter_map(move |line| {
            let start = (prev_blank && line.starts_with(b"From ")).then_some(at);
            prev_blank = line.iter().all(u8::is_ascii_whitespace);
            at += line.len();
            start
        })
}

/// The messages of an mbox (each without its "From " line), or the whole
/// file as one message.
fn split_mbox(bytes: &[u8]) -> Vec<(usize, usize)> {
    if !bytes.starts_with(b"From ") {
        return vec![(0, bytes.len())];
    }
    let froms: Vec<usize> = message_starts(bytes).collect();
    let mut out = Vec::new();
    for (k, &from) in froms.iter().enumerate() {
        let end = froms.get(k + 1).copied().unwrap_or(bytes.len());
        let body = bytes[from..end]
            .iter()
            .position(|&c| c == b'\n')
            .map_or(end, |p| from + p + 1);
        out.push((body, end));
    }
    out
}

/// Reads a message's body, skipping its headers, as plain text (for a
/// message that could not be parsed).
fn raw_body(
    bytes: &[u8],
    text: &str,
    exact: bool,
    start: usize,
    end: usize,
    mbox: bool,
    b: &mut Builder,
) {
    let raw = &bytes[start..end];
    let body = raw
        .windows(2)
        .position(|w| w == b"\n\n")
        .map(|p| p + 2)
        .or_else(|| raw.windows(4).position(|w| w == b"\r\n\r\n").map(|p| p + 4))
        .unwrap_or(0);
    let from = start + body;
    if exact {
        plain(text, from, end, mbox, b);
    } else {
        let s = String::from_utf8_lossy(&bytes[from..end]);
        b.fix_origin(Some(from));
        plain(&s, 0, s.len(), mbox, b);
        b.fix_origin(None);
    }
}

struct Reader<'a> {
    /// The file's text, when it is the file byte for byte.
    text: Option<&'a str>,
    bytes: &'a [u8],
    /// Where the message starts in `bytes`.
    base: usize,
    /// The file's byte at `bytes[0]`, for warnings.
    file_at: usize,
    mbox: bool,
}

impl Reader<'_> {
    fn message(&self, m: &Message, b: &mut Builder) {
        if let Some(subject) = m.subject() {
            if !b.has_subject() {
                b.set_subject(strip_reply_prefixes(subject));
            }
        }
        if let Some(t) = date(m) {
            b.set_dated(t, dct::Source::EmailHeader);
        }
        self.check_boundary(m, b);
        // The plain text parts; the HTML ones when there is none.
        let texts: Vec<&MessagePart> = m
            .text_body
            .iter()
            .filter_map(|&k| m.parts.get(k as usize))
            .collect();
        let parts = if texts.is_empty() {
            m.html_body
                .iter()
                .filter_map(|&k| m.parts.get(k as usize))
                .collect()
        } else {
            texts
        };
        if !parts.is_empty() {
            for part in parts {
                self.part(part, b);
            }
            return;
        }
        // No body part: a broken structure leaves the text among the
        // attachments, as a part that could not be decoded or as the whole
        // body of a multipart message without parts.
        let declared_multipart = m
            .content_type()
            .is_some_and(|ct| ct.ctype().eq_ignore_ascii_case("multipart"));
        let stray: Vec<&MessagePart> = m
            .parts
            .iter()
            .enumerate()
            .filter(|(k, p)| {
                p.is_text() && (p.is_encoding_problem || (*k == 0 && declared_multipart))
            })
            .map(|(_, p)| p)
            .collect();
        if !stray.is_empty() {
            if !stray.iter().any(|p| p.is_encoding_problem) {
                b.warn(format!(
                    "the message at byte {}: a multipart message without MIME parts; its body is read as plain text",
                    self.file_at + self.base
                ));
            }
            for part in stray {
                self.part(part, b);
            }
            return;
        }
        let root_multipart = m.parts.first().is_some_and(|p| p.is_multipart());
        if root_multipart && m.parts.len() <= 1 {
            b.warn(format!(
                "the message at byte {} has no readable MIME parts; its body is read as plain text",
                self.file_at + self.base
            ));
            let end = self.base + m.raw_message.len();
            raw_body(
                self.bytes,
                self.text.unwrap_or(""),
                self.text.is_some(),
                self.base,
                end,
                self.mbox,
                b,
            );
        }
    }

    /// Warns when a multipart message never closes its boundary.
    fn check_boundary(&self, m: &Message, b: &mut Builder) {
        let Some(root) = m.parts.first() else {
            return;
        };
        if !root.is_multipart() {
            return;
        }
        let boundary = m
            .content_type()
            .and_then(|ct| ct.attribute("boundary"))
            .map(|s| format!("--{s}--"));
        if let Some(close) = boundary {
            let raw = &m.raw_message[..];
            let found = raw.windows(close.len()).any(|w| w == close.as_bytes());
            if !found {
                b.warn(format!(
                    "the message at byte {}: its MIME parts never end (no closing boundary {close}); read to the end of the file",
                    self.file_at + self.base
                ));
            }
        }
    }

    fn part(&self, part: &MessagePart, b: &mut Builder) {
        let start = self.base + part.offset_body as usize;
        if part.is_encoding_problem {
            b.warn(format!(
                "a MIME part at byte {} could not be decoded; its raw body is read as plain text",
                self.file_at + start
            ));
        }
        match &part.body {
            PartType::Text(t) => {
                let t: &str = t;
                let verbatim = self.text.filter(|text| {
                    part.encoding == Encoding::None && text.get(start..start + t.len()) == Some(t)
                });
                match verbatim {
                    Some(text) => plain(text, start, start + t.len(), self.mbox, b),
                    None => {
                        b.fix_origin(Some(start));
                        plain(t, 0, t.len(), self.mbox, b);
                        b.fix_origin(None);
                    }
                }
            }
            PartType::Html(h) => {
                let h: &str = h;
                let verbatim = self.text.is_some_and(|text| {
                    part.encoding == Encoding::None && text.get(start..start + h.len()) == Some(h)
                });
                if verbatim {
                    html(h, Some(start), b);
                } else {
                    b.fix_origin(Some(start));
                    html(h, None, b);
                    b.fix_origin(None);
                }
            }
            _ => {}
        }
    }
}

/// What a message's headers give the document read from its body, in
/// windows or in parts: its subject (reply prefixes stripped) and the
/// date it was sent.
fn headers_doc(m: &Message) -> Document {
    let mut b = Builder::new();
    if let Some(subject) = m.subject() {
        b.set_subject(strip_reply_prefixes(subject));
    }
    if let Some(t) = date(m) {
        b.set_dated(t, dct::Source::EmailHeader);
    }
    b.finish()
}

/// The `Date:` header as the local wall time it states.
fn date(m: &Message) -> Option<chrono::NaiveDateTime> {
    let raw = m.header_raw(HeaderName::Date)?.trim();
    if let Ok(t) = dct::parse(raw) {
        return Some(t);
    }
    if let Some(d) = m.date() {
        let t = chrono::NaiveDate::from_ymd_opt(d.year.into(), d.month.into(), d.day.into())
            .and_then(|day| day.and_hms_opt(d.hour.into(), d.minute.into(), d.second.into()));
        if t.is_some() {
            return t;
        }
    }
    dct::date_in(raw)
}

/// A subject without its reply and forward prefixes ("Re: Fwd: AW: …").
fn strip_reply_prefixes(subject: &str) -> &str {
    const PREFIXES: [&str; 9] = ["re", "fwd", "fw", "aw", "wg", "sv", "vs", "tr", "antw"];
    let mut s = subject.trim();
    loop {
        let Some(colon) = s.find(':') else {
            return s;
        };
        let word = s[..colon].trim();
        // "Re[2]:" and "RE:" alike.
        let bare = word.split('[').next().unwrap_or(word).to_ascii_lowercase();
        if !PREFIXES.contains(&bare.as_str()) {
            return s;
        }
        s = s[colon + 1..].trim_start();
    }
}

/// Reads `text[from..to]` as plain text, leaving out quoted replies,
/// forwarded messages and the signature.
fn plain(text: &str, from: usize, to: usize, mbox: bool, b: &mut Builder) {
    let to = to.min(text.len());
    let from = from.min(to);
    if !text.is_char_boundary(from) || !text.is_char_boundary(to) {
        return;
    }
    let lines: Vec<(usize, &str)> = lines_from(&text[..to], from).collect();
    // Only the part is copied to be masked: copying the file up to it, part
    // after part, made an mbox quadratic.
    let mut masked = text[from..to].to_owned();
    for (at, len) in quoted_lines(&lines, mbox) {
        masked.replace_range(at - from..at - from + len, &" ".repeat(len));
    }
    b.shift_offsets(from);
    read_into(&masked, 0, b);
    b.shift_offsets(0);
}

/// Whether a line is quoted ("> …"); in an mbox, ">From " is an escaped
/// "From " and no quote.
fn quoted(line: &str, mbox: bool) -> bool {
    let t = line.trim_start();
    t.starts_with('>') && !(mbox && t.trim_start_matches('>').starts_with("From "))
}

/// An attribution line: "On Wed, 14 Jan 2026 at 17:05, Tomas wrote:".
fn attribution(line: &str) -> bool {
    const ENDS: [&str; 11] = [
        "wrote:",
        "writes:",
        "schrieb:",
        "a écrit :",
        "a écrit:",
        "escribió:",
        "scrisse:",
        "schreef:",
        "skrev:",
        "napisał:",
        "kirjoitti:",
    ];
    let t = line.trim().to_lowercase();
    ENDS.iter().any(|e| t.ends_with(e))
}

/// Whether a line opens an attribution written over two lines.
fn attribution_start(line: &str) -> bool {
    let t = line.trim_start();
    ["On ", "Am ", "Le ", "El ", "Il ", "Op "]
        .iter()
        .any(|s| t.starts_with(s))
}

/// A line after which the rest is an earlier or forwarded message.
fn separator(line: &str) -> bool {
    let raw = line.trim();
    let t = raw.trim_matches(|c: char| c == '-' || c == '_' || c == '=' || c.is_whitespace());
    // "-----Original Message-----": the words framed by dashes.
    let framed = t.len() < raw.len();
    match t.to_lowercase().as_str() {
        "begin forwarded message:" => true,
        "original message"
        | "forwarded message"
        | "forwarded message follows"
        | "ursprüngliche nachricht"
        | "weitergeleitete nachricht"
        | "message d'origine"
        | "message transféré"
        | "mensaje original"
        | "mensaje reenviado" => framed,
        _ => false,
    }
}

/// An Outlook-style quoted header block: "From: …" with "Sent: …" or
/// "Date: …" in the next lines.
fn quoted_headers(lines: &[(usize, &str)], k: usize) -> bool {
    let sent = |l: &str| {
        let l = l.trim_start();
        [
            "Sent:",
            "Date:",
            "Gesendet:",
            "Datum:",
            "Envoyé :",
            "Envoyé:",
            "Enviado:",
            "Verzonden:",
        ]
        .iter()
        .any(|p| l.starts_with(p))
    };
    quoted_from(lines[k].1) && lines[k + 1..].iter().take(4).any(|(_, l)| sent(l))
}

/// Whether a line may open an Outlook-style quoted header block ("From: …").
fn quoted_from(line: &str) -> bool {
    let l = line.trim_start();
    ["From:", "Von:", "De:", "De :", "Van:"]
        .iter()
        .any(|p| l.starts_with(p))
}

/// The lines (offset and length) to leave out of a body: quoted lines and
/// their attribution, and everything from a separator or a signature on.
fn quoted_lines(lines: &[(usize, &str)], mbox: bool) -> Vec<(usize, usize)> {
    let (drop, _) = left_out(lines, mbox);
    lines
        .iter()
        .zip(drop)
        .filter(|(_, d)| *d)
        .map(|(&(at, l), _)| (at, l.len()))
        .collect()
}

/// Which lines [`quoted_lines`] leaves out, and the separator or
/// signature line from which on all are, if any.
fn left_out(lines: &[(usize, &str)], mbox: bool) -> (Vec<bool>, Option<usize>) {
    let mut drop = vec![false; lines.len()];
    let mut rest = None;
    let next_text = |k: usize| lines[k + 1..].iter().find(|(_, l)| !l.trim().is_empty());
    for k in 0..lines.len() {
        let line = lines[k].1;
        let sig = line == "-- " || line == "--";
        if separator(line) || sig || quoted_headers(lines, k) {
            drop[k..].iter_mut().for_each(|d| *d = true);
            rest = Some(k);
            break;
        }
        if quoted(line, mbox) {
            drop[k] = true;
            continue;
        }
        if attribution(line) && next_text(k).is_some_and(|(_, l)| quoted(l, mbox)) {
            drop[k] = true;
            // "On Wed, 14 Jan 2026 at 17:05, Tomas Brandt\n<t@b.org> wrote:"
            if k > 0 && !attribution_start(line) && attribution_start(lines[k - 1].1) {
                drop[k - 1] = true;
            }
        }
    }
    (drop, rest)
}

/// Reads an HTML part with the HTML reader and copies its blocks; `origin`
/// is where the part is in the file when the file holds it as it is.
fn html(source: &str, origin: Option<usize>, b: &mut Builder) {
    let doc = super::html::read(source);
    copy_blocks(&doc, source, origin, b);
}

/// Copies a document's blocks into `b`, keeping their kinds, cells and
/// headers, without quoted replies, forwarded messages and signatures;
/// whether a separator or signature ended it (the rest is left out).
fn copy_blocks(doc: &Document, source: &str, origin: Option<usize>, b: &mut Builder) -> bool {
    let text_of = |k: usize| &doc.text[doc.blocks[k].range.clone()];
    let is_quote = |k: usize| doc.blocks[k].kind == BlockKind::Quote || quoted(text_of(k), false);
    let mut ended = false;
    for (k, block) in doc.blocks.iter().enumerate() {
        let text = text_of(k);
        let first = text.lines().next().unwrap_or("");
        let sig = first.trim_end() == "--" || text.starts_with("-- ");
        let block_lines: Vec<(usize, &str)> = text.lines().map(|l| (0, l)).collect();
        ended =
            separator(first) || sig || (!block_lines.is_empty() && quoted_headers(&block_lines, 0));
        if ended {
            break;
        }
        if is_quote(k) {
            continue;
        }
        if attribution(text) && k + 1 < doc.blocks.len() && is_quote(k + 1) {
            continue;
        }
        b.end();
        b.set_headers(block.headers.clone());
        b.start(block.kind);
        if block.kind == BlockKind::TableRow && !block.cells.is_empty() {
            for cell in &block.cells {
                b.start_cell();
                copy_text(doc, cell.clone(), source, origin, b);
                b.end_cell();
            }
        } else {
            copy_text(doc, block.range.clone(), source, origin, b);
        }
        b.end();
    }
    b.set_headers(Vec::new());
    ended
}

/// Whether the last block of an HTML part's window may be an attribution
/// whose fate waits on the next window's first block (a quote drops it).
fn ends_in_attribution(doc: &Document) -> bool {
    doc.blocks
        .last()
        .is_some_and(|block| attribution(&doc.text[block.range.clone()]))
}

/// Copies a run of a document's text: where it is `source` byte for byte
/// (and `source` is in the file at `origin`), verbatim at its place in the
/// file; else decoded.
fn copy_text(
    doc: &Document,
    range: std::ops::Range<usize>,
    source: &str,
    origin: Option<usize>,
    b: &mut Builder,
) {
    let s = &doc.text[range.clone()];
    let Some(base) = origin else {
        b.push_decoded(s, 0);
        return;
    };
    // Runs of characters that are in `source` where the map says, in order.
    let mut run: Option<(usize, usize)> = None;
    for (k, c) in s.char_indices() {
        let at = range.start + k;
        let file = doc.file_offset(at);
        let same = source.get(file..).is_some_and(|h| h.starts_with(c));
        if let Some((rs, rf)) = run {
            if same && file == rf + (at - rs) {
                continue;
            }
            b.push(&doc.text[rs..at], base + rf);
            run = None;
        }
        if same {
            run = Some((at, file));
        } else {
            let mut buf = [0u8; 4];
            b.push_decoded(c.encode_utf8(&mut buf), base + file.min(source.len()));
        }
    }
    if let Some((rs, rf)) = run {
        b.push(&doc.text[rs..range.end], base + rf);
    }
}

/// Whether a file read piece by piece is UTF-8, and else where its first
/// byte that is not lies: a sequence cut between two pieces is held back
/// until the next piece completes it. The survey of a single-part message
/// and the check of a multipart one both keep one.
#[derive(Default)]
pub(crate) struct Utf8Watch {
    /// The start of a UTF-8 sequence the last piece ended in.
    rest: Vec<u8>,
    invalid_at: Option<usize>,
}

impl Utf8Watch {
    /// Takes the piece `bytes`, which starts at byte `from` of the file.
    pub fn feed(&mut self, from: usize, bytes: &[u8]) {
        if self.invalid_at.is_some() {
            return;
        }
        let mut joined = std::mem::take(&mut self.rest);
        let start = from - joined.len();
        joined.extend_from_slice(bytes);
        match std::str::from_utf8(&joined) {
            Ok(_) => {}
            Err(e) if e.error_len().is_none() => self.rest = joined[e.valid_up_to()..].to_vec(),
            Err(e) => self.invalid_at = Some(start + e.valid_up_to()),
        }
    }

    /// The first byte that is not UTF-8, the file having ended at byte
    /// `end`: a sequence it leaves unfinished is one.
    pub fn invalid_at(&self, end: usize) -> Option<usize> {
        self.invalid_at
            .or_else(|| (!self.rest.is_empty()).then(|| end - self.rest.len()))
    }
}

#[cfg(test)]
mod tests;
