//! A JSONL line too long to hold (see [`super::corpus`]), read in two
//! passes so that memory stays bounded whatever the line.
//!
//! The line is read once in pieces: everything but the `"text"` string's
//! body is kept (the line's "skeleton", a few hundred bytes) and checked
//! by serde_json as the whole line would be, with the body's own checks
//! done as it goes by ([`Decoder`]); the body is copied, still encoded, to
//! a spool file. Only once the whole line is known good (JSON, fields,
//! `dct`) is its text read back from the spool, decoded and fed to the
//! engine in windows, and its record written as its timexes come. So a
//! bad line, bad anywhere (past the text too), gets its error record and
//! no part of a result; and the fields may come in any order: a `"dct"`
//! after a 300 MB text is read before the text is.
//!
//! Spooling the input rather than the output: the text must be read
//! again anyway when `dct` or `doc` comes after it, and the output of a
//! text full of dates is about as long as the text. A line whose text is
//! not a string, or whose `"text"` key is written with escapes, is held
//! whole, as before.

use std::io::{BufRead, BufReader, Seek, Write};
use std::path::Path;

use super::corpus::{self, Answer, BadLine, Meta, Stop};
use super::json_text::Decoder;
use super::{ceil_char, floor_char, Failure};
use crate::engine::timex::Timex;
use crate::engine::tokenize::blocks;
use crate::engine::MAX_BLOCK;

/// Text kept on either side of a window: what a table's sentence reaches
/// (as for plain text in `stream`).
const MARGIN: usize = 64;

/// Bytes past a block's start that decide where it ends
/// ([`blocks`] looks `MAX_BLOCK` ahead, then to the end of a character).
const AHEAD: usize = MAX_BLOCK + 4;

/// How much of a long line's text a `dct` is looked for in, when the line
/// has none: its start, where a dateline or a header is.
const HEAD: usize = 4 << 20;

/// How a long line is read: pieces of input of at most `chunk` bytes,
/// windows of `window` bytes of text.
#[derive(Clone, Copy)]
pub(super) struct Sizes {
    pub chunk: usize,
    pub window: usize,
}

/// What the first pass made of a line.
enum Checked {
    /// No text streamed (none, not a string, an escaped key): the line
    /// was kept whole and is read as a short one.
    Held(Vec<u8>),
    /// Good: its text is in the spool.
    Spooled(Meta),
    Bad(BadLine),
}

/// Answers the line `n`, of which `prefix` was read and the rest is
/// still in `reader`; returns its error, if it was one.
#[allow(clippy::too_many_arguments)]
pub(super) fn answer(
    a: &mut Answer,
    reader: &mut dyn BufRead,
    prefix: Vec<u8>,
    n: usize,
    path: &Path,
    sizes: Sizes,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Vec<BadLine>, Failure> {
    let mut spool = match Spool::create(&a.opts.spool_dir, n) {
        Ok(spool) => spool,
        Err(e) => {
            // Without a spool the line is held whole, as short ones are.
            let _ = writeln!(
                err,
                "timeline: {}:{n}: cannot spool a long line in {} ({e}); it is held whole",
                path.display(),
                a.opts.spool_dir.display()
            );
            let mut line = prefix;
            reader
                .read_until(b'\n', &mut line)
                .map_err(|e| cannot_read(path, e))?;
            return a.streamed(&mut line, n, out);
        }
    };
    let keep_head = a.flag_dct.is_none();
    // A bug in the first pass is this line's error record, as in a short
    // line's reading; the rest of the line is skipped.
    let checked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        check(reader, prefix, n, &mut spool, sizes, keep_head, &*a)
    }))
    .unwrap_or_else(|_| {
        skip_line(reader)?;
        Ok(Checked::Bad(corpus::internal_error(n)))
    })
    .map_err(|e| cannot_read(path, e))?;
    let meta = match checked {
        Checked::Held(mut line) => return a.streamed(&mut line, n, out),
        Checked::Bad(e) => {
            let mut buf = Vec::new();
            a.writer.write_error(&e, &mut buf);
            out.write_all(&buf).map_err(Failure::output)?;
            return Ok(vec![e]);
        }
        Checked::Spooled(meta) => meta,
    };
    a.guarded(n, out, |a, out| {
        read_back(a, &meta, &mut spool.file, sizes, out).map_err(|e| match e {
            ReadBack::Input(error) => Stop::Line(BadLine {
                doc: Some(meta.name.clone()),
                line: n,
                error,
            }),
            ReadBack::Output(f) => Stop::Output(f),
        })
    })
}

/// Reads past the end of the line.
fn skip_line(reader: &mut dyn BufRead) -> std::io::Result<()> {
    loop {
        let available = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let (used, done) = match memchr::memchr(b'\n', available) {
            Some(k) => (k + 1, true),
            None => (available.len(), available.is_empty()),
        };
        reader.consume(used);
        if done {
            return Ok(());
        }
    }
}

fn cannot_read(path: &Path, e: std::io::Error) -> Failure {
    Failure::usage(format!("timeline: cannot read {}: {e}", path.display()))
}

/// A file the text of a long line is copied to, deleted when dropped (on
/// Unix already once opened, so a killed run leaves nothing behind).
struct Spool {
    file: std::fs::File,
    path: std::path::PathBuf,
    /// Why writing it failed, if it did: the line's error then.
    failed: Option<std::io::Error>,
}

impl Spool {
    fn create(dir: &Path, n: usize) -> std::io::Result<Spool> {
        let path = dir.join(format!(".timeline-line-{}-{n}.spool", std::process::id()));
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)?;
        #[cfg(unix)]
        let _ = std::fs::remove_file(&path);
        Ok(Spool {
            file,
            path,
            failed: None,
        })
    }

    fn write(&mut self, bytes: &[u8]) {
        if self.failed.is_none() {
            self.failed = self.file.write_all(bytes).err();
        }
    }
}

impl Drop for Spool {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Where the first pass is in the line.
#[derive(Clone, Copy, PartialEq)]
enum Place {
    /// Outside the text's body: bytes go to the skeleton.
    Skeleton,
    /// In the body, after a backslash or not.
    Body { escaped: bool },
    /// In the body, where serde_json refuses it: the rest goes to the
    /// decoder (which keeps what names the fault), then nowhere.
    Refused,
}

/// The first pass's reading of the line's JSON, enough to find the
/// text's body: strings, nesting, and the last key at the top.
struct Scan {
    skeleton: Vec<u8>,
    place: Place,
    depth: usize,
    in_string: bool,
    escaped: bool,
    /// The last string at the top level, as written, if it is the last
    /// token (a key, when a colon follows).
    key: Vec<u8>,
    key_last: bool,
    /// A `"text":` was just read: the next string is the body.
    wants_text: bool,
    /// Whether a body was found (only the first `"text"` streams).
    streamed: bool,
    /// Where the body was cut out of the skeleton (after its quote).
    cut: usize,
}

/// The first pass: reads the rest of the line, spooling its text and
/// checking everything else; with `keep_head`, the text's start is kept
/// for a `dct` found in it.
fn check(
    reader: &mut dyn BufRead,
    prefix: Vec<u8>,
    n: usize,
    spool: &mut Spool,
    sizes: Sizes,
    keep_head: bool,
    a: &Answer,
) -> std::io::Result<Checked> {
    let mut scan = Scan {
        skeleton: Vec::new(),
        place: Place::Skeleton,
        depth: 0,
        in_string: false,
        escaped: false,
        key: Vec::new(),
        key_last: false,
        wants_text: false,
        streamed: false,
        cut: 0,
    };
    // The text is decoded only for its head; past that, only checked.
    let mut decoder = Decoder::new(!keep_head);
    let (mut head, mut text) = (String::new(), String::new());
    let mut feed = |scan: &mut Scan, bytes: &[u8]| {
        scan.read(bytes, &mut decoder, spool, &mut text);
        head.push_str(&text);
        text.clear();
        decoder.quiet |= head.len() >= HEAD;
    };
    let mut ended = memchr::memchr(b'\n', &prefix).is_some();
    for piece in prefix.chunks(sizes.chunk.max(1)) {
        feed(&mut scan, piece);
    }
    drop(prefix);
    while !ended {
        let available = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            break;
        }
        let piece = &available[..available.len().min(sizes.chunk.max(1))];
        let used = match memchr::memchr(b'\n', piece) {
            Some(k) => {
                ended = true;
                k + 1
            }
            None => piece.len(),
        };
        feed(&mut scan, &piece[..used]);
        reader.consume(used);
    }
    if matches!(scan.place, Place::Body { .. }) {
        // The line ended in the text: serde_json says how.
        decoder.finish(&mut text);
    }
    if !scan.streamed {
        return Ok(Checked::Held(scan.skeleton));
    }
    head.truncate(floor_char(&head, HEAD));
    let Scan {
        mut skeleton, cut, ..
    } = scan;
    let removed = match decoder.refused.take() {
        Some((at, piece)) => {
            skeleton.truncate(cut);
            skeleton.extend_from_slice(&piece);
            at
        }
        None => decoder.lossy_len(),
    };
    let at = String::from_utf8_lossy(&skeleton[..cut]).len();
    let skeleton = String::from_utf8_lossy(&skeleton);
    let checked =
        corpus::read_fields(&skeleton, n, Some((at, removed))).and_then(|(fields, body)| {
            if body != (at..at) {
                return Err(BadLine {
                    doc: Some(fields.name),
                    line: n,
                    error: "internal error: text not found in its line".to_string(),
                });
            }
            if let Some(e) = decoder.broken.take() {
                let error = format!("not a document line: text: {e}");
                return Err(BadLine {
                    doc: Some(fields.name),
                    line: n,
                    error,
                });
            }
            if let Some(e) = spool.failed.take() {
                let error = format!("cannot spool this line's text: {e}");
                return Err(BadLine {
                    doc: Some(fields.name),
                    line: n,
                    error,
                });
            }
            fields.into_meta(&head, n, a.flag_dct, a.opts.today, a.opts.dct_missing)
        });
    Ok(match checked {
        Ok(meta) => Checked::Spooled(meta),
        Err(e) => Checked::Bad(e),
    })
}

impl Scan {
    /// Reads the next bytes of the line.
    fn read(&mut self, mut bytes: &[u8], d: &mut Decoder, spool: &mut Spool, text: &mut String) {
        while !bytes.is_empty() {
            match self.place {
                Place::Skeleton => bytes = self.skeleton_part(bytes),
                Place::Refused => {
                    d.push(bytes, text);
                    return;
                }
                Place::Body { mut escaped } => {
                    // The body ends at its first quote not escaped.
                    let mut at = 0;
                    let end = loop {
                        if escaped {
                            if at >= bytes.len() {
                                break None;
                            }
                            escaped = false;
                            at += 1;
                            continue;
                        }
                        match memchr::memchr2(b'"', b'\\', bytes.get(at..).unwrap_or(&[])) {
                            None => break None,
                            Some(k) if bytes[at + k] == b'\\' => {
                                escaped = true;
                                at += k + 1;
                            }
                            Some(k) => break Some(at + k),
                        }
                    };
                    let body = &bytes[..end.unwrap_or(bytes.len())];
                    d.push(body, text);
                    spool.write(body);
                    if d.refused.is_some() {
                        self.place = Place::Refused;
                        bytes = &bytes[body.len()..];
                        continue;
                    }
                    let Some(end) = end else {
                        self.place = Place::Body { escaped };
                        return;
                    };
                    d.finish(text);
                    if d.refused.is_some() {
                        // Cut short at the quote: serde_json sees it too.
                        self.place = Place::Refused;
                        bytes = &bytes[end..];
                        continue;
                    }
                    self.place = Place::Skeleton;
                    self.skeleton.push(b'"');
                    bytes = &bytes[end + 1..];
                }
            }
        }
    }

    /// Reads bytes outside the body up to where one starts; returns the
    /// rest.
    fn skeleton_part<'b>(&mut self, bytes: &'b [u8]) -> &'b [u8] {
        for (k, &b) in bytes.iter().enumerate() {
            self.skeleton.push(b);
            if self.in_string {
                if self.escaped {
                    self.escaped = false;
                } else if b == b'\\' {
                    self.escaped = true;
                } else if b == b'"' {
                    self.in_string = false;
                    self.key_last = self.depth == 1;
                    continue;
                }
                if self.key.len() <= 8 {
                    self.key.push(b);
                }
                continue;
            }
            if b.is_ascii_whitespace() {
                continue;
            }
            let wants_text = std::mem::take(&mut self.wants_text);
            let key_last = std::mem::take(&mut self.key_last);
            match b {
                b'"' if wants_text && !self.streamed => {
                    self.streamed = true;
                    self.cut = self.skeleton.len();
                    self.place = Place::Body { escaped: false };
                    return &bytes[k + 1..];
                }
                b'"' => {
                    self.in_string = true;
                    self.key.clear();
                }
                b'{' | b'[' => self.depth += 1,
                b'}' | b']' => self.depth = self.depth.saturating_sub(1),
                b':' => self.wants_text = key_last && self.depth == 1 && self.key == b"text",
                _ => {}
            }
        }
        &[]
    }
}

/// The second pass: the spooled text decoded again, fed to the engine in
/// windows cut between the blocks it reads the whole text in, its record
/// written as the timexes come (as `stream` reads a plain text).
/// Why reading a spooled line back stopped: the spool, or the output.
enum ReadBack {
    Input(String),
    Output(Failure),
}

fn read_back(
    a: &mut Answer,
    meta: &Meta,
    file: &mut std::fs::File,
    sizes: Sizes,
    out: &mut dyn Write,
) -> Result<(), ReadBack> {
    let failed_read =
        |e: std::io::Error| ReadBack::Input(format!("cannot read this line's text back: {e}"));
    file.rewind().map_err(failed_read)?;
    let mut raw = BufReader::with_capacity(sizes.chunk.clamp(1, 1 << 20), &mut *file);
    let Answer {
        extractor,
        opts,
        writer,
        ..
    } = a;
    extractor.set_doctype(meta.doctype(opts.doctype));
    let mut record = writer.begin_record(&meta.name, meta.dct, meta.dct_zone);
    let mut session = extractor.session(meta.dct);
    let mut decoder = Decoder::default();
    // The text decoded and not let go, from byte `at` of the whole; the
    // next block starts at `next` in it.
    let (mut text, mut at, mut next) = (String::new(), 0usize, 0usize);
    let mut ended = false;
    // The text of windows whose timexes may still come (see
    // `Session::detecting`), and where it starts.
    let mut pending: Option<(String, usize)> = None;
    loop {
        while !ended && text.len() - next < sizes.window + AHEAD + MARGIN {
            let chunk = raw.fill_buf().map_err(failed_read)?;
            if chunk.is_empty() {
                decoder.finish(&mut text);
                ended = true;
            } else {
                decoder.push(chunk, &mut text);
                let used = chunk.len();
                raw.consume(used);
            }
        }
        // The blocks the whole text is read in, as far as they are known.
        let mut end = next;
        let mut spans = Vec::new();
        for (from, to) in blocks(&text[next..], MAX_BLOCK) {
            if !ended && next + from + AHEAD > text.len() {
                break;
            }
            spans.push((next + from, next + to));
            end = next + to;
            if end - next >= sizes.window {
                break;
            }
        }
        let last = ended && end == text.len();
        let from = floor_char(&text, next.saturating_sub(MARGIN));
        let to = ceil_char(&text, end.saturating_add(MARGIN));
        let view = &text[from..to];
        let base = at + from;
        let joined;
        let shown = match pending.take() {
            Some((kept, kept_base)) => {
                let keep = base.saturating_sub(kept_base);
                joined = [kept.get(..keep).unwrap_or(kept.as_str()), view].concat();
                (joined.as_str(), kept_base)
            }
            None => (view, base),
        };
        let mut failed = None;
        let mut write = |t: Timex| {
            if failed.is_none() {
                failed = record.timex(shown, &t, out).err();
            }
        };
        let spans = spans.iter().map(|&(s, e)| (s - from..e - from, false));
        session.feed(view, base, spans, &mut write);
        if last {
            session.finish(&mut write);
            if let Some(f) = failed {
                return Err(ReadBack::Output(f));
            }
            return (record.finish(shown, extractor.doctype_used(), out)).map_err(ReadBack::Output);
        }
        if let Some(f) = failed {
            return Err(ReadBack::Output(f));
        }
        if session.detecting() {
            pending = Some((shown.0.to_owned(), shown.1));
        } else {
            record
                .upto(shown, at + end, out)
                .map_err(ReadBack::Output)?;
        }
        next = end;
        let keep = floor_char(&text, end.saturating_sub(MARGIN));
        text.drain(..keep);
        at += keep;
        next -= keep;
    }
}
