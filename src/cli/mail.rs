//! `extract` of a file holding one email of a single text/plain part, read
//! in windows (see `document::mail_body`): memory holds a window of its
//! body, whatever the message's size, and the record is the one reading
//! it whole gives. The file is read twice: a first pass that keeps
//! nothing tells whether the body maps to the file byte for byte and
//! whether it decodes, which decide how every window is read. A message
//! on standard input is first copied to a spool file ([`spool`]), so that
//! it too can be read twice.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

use chrono::NaiveDateTime;

use crate::document::dct::{self, Source};
use crate::document::mail_body::{Body, Head, Survey, Window};
use crate::document::mail_parts::{Check, Plan, Skeleton};
use crate::document::{Document, Format};
use crate::engine::timex::Timex;
use crate::engine::{Extractor, Session};

use super::extract::{format_dct, Record, Writer};
use super::stream::{place_in_file, Target};
use super::{floor_char, Failure};

/// The most bytes read from the file at once.
const CHUNK: usize = 1 << 20;

/// Text kept before a window for what reads back from its start.
const MARGIN: usize = 64;

/// A copy of standard input in a temporary file, removed when dropped (on
/// Unix already once opened, so a killed run leaves nothing behind).
pub(super) struct Spool {
    pub file: File,
    path: std::path::PathBuf,
}

impl Drop for Spool {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Copies standard input (its first bytes `buf`, the rest still in
/// `input`) to a new file in `dir`; `None`, with a warning, where no file
/// can be made there (the message is then read whole, as before).
pub(super) fn spool(
    dir: &Path,
    buf: &[u8],
    input: &mut dyn Read,
    err: &mut dyn Write,
) -> Result<Option<Spool>, Failure> {
    let path = dir.join(format!(".timeline-stdin-{}.spool", std::process::id()));
    let opened = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .open(&path);
    let file = match opened {
        Ok(file) => file,
        Err(e) => {
            let _ = writeln!(
                err,
                "timeline: -: cannot spool standard input in {} ({e}); it is read whole",
                dir.display()
            );
            return Ok(None);
        }
    };
    #[cfg(unix)]
    let _ = std::fs::remove_file(&path);
    let mut spool = Spool { file, path };
    let failed = |e: std::io::Error| {
        Failure::usage(format!(
            "timeline: cannot spool standard input in {}: {e}",
            dir.display()
        ))
    };
    spool.file.write_all(buf).map_err(failed)?;
    let mut chunk = Vec::with_capacity(CHUNK);
    loop {
        chunk.clear();
        let ended = super::read_input(input, "-", &mut chunk, CHUNK as u64)?;
        spool.file.write_all(&chunk).map_err(failed)?;
        if ended {
            break;
        }
    }
    Ok(Some(spool))
}

/// A body's bytes read on from the file, up to `end` (or the file's end),
/// fed to the body until it gives a window.
pub(super) struct BodyBytes<'f, F> {
    file: F,
    name: &'f str,
    /// The file's byte read next.
    at: usize,
    end: usize,
    ended: bool,
    chunk: Vec<u8>,
}

impl<'f, F: Read> BodyBytes<'f, F> {
    /// The file from byte `at` (where it is positioned) to `end`.
    pub(super) fn new(file: F, name: &'f str, at: usize, end: usize) -> BodyBytes<'f, F> {
        BodyBytes {
            file,
            name,
            at,
            end,
            ended: at >= end,
            chunk: Vec::with_capacity(CHUNK),
        }
    }

    /// The body's next window, more of the file fed to it as it needs;
    /// `None` once it has given all.
    pub(super) fn window(&mut self, body: &mut Body) -> Result<Option<Window>, Failure> {
        loop {
            if let Some(window) = body.window(self.ended) {
                return Ok(Some(window));
            }
            if self.ended {
                return Ok(None);
            }
            self.chunk.clear();
            let most = CHUNK.min(self.end - self.at) as u64;
            let short = super::read_input(&mut self.file, self.name, &mut self.chunk, most)?;
            self.at += self.chunk.len();
            self.ended = short || self.at >= self.end;
            body.feed(&self.chunk, self.ended);
        }
    }
}

impl<F: Read + Seek> BodyBytes<'_, F> {
    /// Reads on from the file's byte `at` to `end` (another part's body).
    pub(super) fn restart(&mut self, at: usize, end: usize) -> std::io::Result<()> {
        self.file.seek(SeekFrom::Start(at as u64))?;
        (self.at, self.end, self.ended) = (at, end, at >= end);
        Ok(())
    }

    /// The failure to read the file.
    pub(super) fn failed(&self, e: std::io::Error) -> Failure {
        Failure::usage(format!("timeline: cannot read {}: {e}", self.name))
    }

    /// The file, to read elsewhere in before a [`restart`](Self::restart).
    pub(super) fn file(&mut self) -> &mut F {
        &mut self.file
    }
}

/// Reads the message in `file`, whose first bytes `buf` are, when its
/// start shows one text/plain part (`head`).
pub(super) fn single_part(
    file: &mut File,
    name: &str,
    buf: Vec<u8>,
    head: Head,
    flag_dct: Option<NaiveDateTime>,
    today: NaiveDateTime,
    to: &mut Target,
) -> Result<(), Failure> {
    let failed = |e: std::io::Error| Failure::usage(format!("timeline: cannot read {name}: {e}"));
    let mut survey = Survey::new(&head);
    file.seek(SeekFrom::Start(0)).map_err(failed)?;
    let mut chunk = vec![0; CHUNK];
    loop {
        let n = file.read(&mut chunk).map_err(failed)?;
        if n == 0 {
            break;
        }
        survey.feed(&chunk[..n]);
    }
    drop(chunk);
    file.seek(SeekFrom::Start(buf.len() as u64))
        .map_err(failed)?;
    let mut body = survey.body(&head);
    if let Some(at) = body.invalid_at {
        let _ = writeln!(
            to.err,
            "timeline: {name}: invalid UTF-8 at byte {at}; replaced with U+FFFD"
        );
    }
    if body.failed {
        let _ = writeln!(
            to.err,
            "timeline: {name}: a MIME part at byte {} could not be decoded; its raw body is read as plain text",
            head.body_at
        );
    }
    // The file's text up to a little past the body's start: a decoded body
    // maps there as a whole, and offsets in characters count through it.
    let mut start = String::from_utf8_lossy(&buf[..head.body_at.min(buf.len())]).into_owned();
    let decoded_at = if body.verbatim {
        None
    } else {
        let more = &buf[head.body_at.min(buf.len())..];
        let more = String::from_utf8_lossy(&more[..more.len().min(MARGIN)]).into_owned();
        Some(format!("{start}{more}"))
    };
    body.feed(&buf[head.body_at.min(buf.len())..], false);
    let mut source = BodyBytes::new(file, name, buf.len(), usize::MAX);
    drop(buf);

    let mut open = None;
    let mut read: Vec<(usize, usize, Document)> = Vec::new();
    let (mut clean_at, mut goes_on, mut blocks) = (0, false, false);
    while let Some(window) = source.window(&mut body)? {
        let Window {
            mut doc,
            text,
            text_at,
            after,
            goes_on: next_goes_on,
        } = window;
        blocks |= !doc.blocks.is_empty();
        let (mut record, mut session) = match open.take() {
            Some(open) => open,
            None => open_record(
                name,
                &mut doc,
                &head.doc,
                &text,
                (flag_dct, today),
                (&mut *to.writer, &mut *to.extractor, &mut *to.err),
            ),
        };
        // The file's text the window's timexes point into.
        let view_at = match &decoded_at {
            Some(_) => 0,
            None if start.is_empty() => text_at,
            None => text_at - start.len(),
        };
        let view: String = match &decoded_at {
            Some(whole) => whole.clone(),
            None => format!("{start}{text}{after}"),
        };
        read.push((clean_at, 0, doc));
        let text_ref = (&*view, view_at);
        let mut failure = None;
        let mut write = |mut t: Timex| {
            if failure.is_none() {
                place_in_file(&mut t, &read, text_ref);
                failure = record.timex(text_ref, &t, to.out).err();
            }
        };
        if std::mem::replace(&mut goes_on, next_goes_on) {
            session.go_on();
        }
        if let Some((_, _, doc)) = read.last() {
            session.feed(&doc.text, clean_at, doc.engine_blocks(), &mut write);
            clean_at += doc.text.len();
        }
        if let Some(f) = failure {
            return Err(f);
        }
        if decoded_at.is_none() {
            // What the next window's timexes and offsets need of this one:
            // all of it while the document's kind is detected, else a
            // margin.
            start.push_str(&text);
            if !session.detecting() {
                record.upto((&start, view_at), view_at + start.len(), to.out)?;
                let keep = floor_char(&start, start.len().saturating_sub(MARGIN));
                start.drain(..keep);
                read.clear();
            }
        } else if !session.detecting() {
            read.clear();
        }
        open = Some((record, session));
    }
    let Some((mut record, session)) = open else {
        return Ok(());
    };
    let view = decoded_at.unwrap_or(start);
    let view_at = match body.verbatim {
        true => body.read_to().saturating_sub(view.len()),
        false => 0,
    };
    let text = (&*view, view_at);
    let mut failure = None;
    session.finish(|mut t| {
        if failure.is_none() {
            place_in_file(&mut t, &read, text);
            failure = record.timex(text, &t, to.out).err();
        }
    });
    if let Some(f) = failure {
        return Err(f);
    }
    if !blocks {
        let _ = writeln!(to.err, "timeline: {name}: no text found");
    }
    record.finish(text, to.extractor.doctype_used(), to.out)
}

/// How the message in `file` is read in parts, when it is one of several
/// MIME parts whose skeleton tells all (see `document::mail_parts`): two
/// passes over the file that keep its headers and boundary lines.
pub(super) fn plan_parts(file: &mut File, name: &str) -> Result<Option<(Plan, Check)>, Failure> {
    let failed = |e: std::io::Error| Failure::usage(format!("timeline: cannot read {name}: {e}"));
    let mut chunk = vec![0; CHUNK];
    let mut skeleton = Skeleton::new();
    file.seek(SeekFrom::Start(0)).map_err(failed)?;
    loop {
        let n = file.read(&mut chunk).map_err(failed)?;
        if n == 0 || skeleton.overflow {
            break;
        }
        skeleton.feed(&chunk[..n]);
    }
    let Some(plan) = skeleton.plan() else {
        return Ok(None);
    };
    let mut check = Check::new(&plan);
    file.seek(SeekFrom::Start(0)).map_err(failed)?;
    loop {
        let n = file.read(&mut chunk).map_err(failed)?;
        if n == 0 {
            break;
        }
        check.feed(&plan, &chunk[..n]);
    }
    // Offsets past a byte that is not UTF-8 count in the text with it
    // replaced: the text parts must come before.
    let decodes = check.decodes(&plan);
    let valid = check.invalid_at.is_none_or(|at| at >= plan.text_end());
    Ok((decodes && valid).then_some((plan, check)))
}

/// Reads the message in `file` of several MIME parts (`plan`): its text
/// parts in windows, one after the other, as the whole message reads
/// them, the file read again only where they are.
pub(super) fn parts(
    file: &mut File,
    name: &str,
    (plan, check): (Plan, Check),
    flag_dct: Option<NaiveDateTime>,
    today: NaiveDateTime,
    to: &mut Target,
) -> Result<(), Failure> {
    let failed = |e: std::io::Error| Failure::usage(format!("timeline: cannot read {name}: {e}"));
    if let Some(at) = check.invalid_at {
        let _ = writeln!(
            to.err,
            "timeline: {name}: invalid UTF-8 at byte {at}; replaced with U+FFFD"
        );
    }
    let mut open = None;
    // The windows whose timexes may still come, each with the file's text
    // around it (where its timexes are placed).
    let mut read: Vec<(usize, usize, Document)> = Vec::new();
    let mut views: Vec<(String, usize)> = Vec::new();
    let (mut clean_at, mut blocks) = (0, false);
    for (mut body, end) in plan.bodies(&check) {
        let body_at = body.read_to();
        // The file's text just before the part (a decoded one maps to its
        // start, which the text after it then holds too).
        let (around, lead_at) =
            file_text(file, body_at.saturating_sub(MARGIN), body_at + MARGIN).map_err(failed)?;
        let mut before = around.get(..body_at - lead_at).unwrap_or("").to_owned();
        file.seek(SeekFrom::Start(body_at as u64)).map_err(failed)?;
        let mut source = BodyBytes::new(&mut *file, name, body_at, end);
        let mut goes_on = false;
        while let Some(window) = source.window(&mut body)? {
            let Window {
                mut doc,
                text,
                text_at,
                after,
                goes_on: next_goes_on,
            } = window;
            blocks |= !doc.blocks.is_empty();
            let (mut record, mut session) = match open.take() {
                Some(open) => open,
                None => open_record(
                    name,
                    &mut doc,
                    &plan.doc,
                    &text,
                    (flag_dct, today),
                    (&mut *to.writer, &mut *to.extractor, &mut *to.err),
                ),
            };
            views.push(match body.verbatim {
                true => (format!("{before}{text}{after}"), text_at - before.len()),
                false => (around.clone(), lead_at),
            });
            if body.verbatim {
                let keep = floor_char(&text, text.len().saturating_sub(MARGIN));
                before = text[keep..].to_owned();
            }
            read.push((clean_at, 0, doc));
            let mut failure = None;
            let mut write = |mut t: Timex| {
                if failure.is_none() {
                    let k = read.partition_point(|(clean, _, _)| *clean <= t.start);
                    let k = k.saturating_sub(1);
                    let text = (&*views[k].0, views[k].1);
                    place_in_file(&mut t, &read[k..=k], text);
                    failure = record.timex(text, &t, to.out).err();
                }
            };
            if std::mem::replace(&mut goes_on, next_goes_on) {
                session.go_on();
            }
            if let Some((_, _, doc)) = read.last() {
                session.feed(&doc.text, clean_at, doc.engine_blocks(), &mut write);
                clean_at += doc.text.len();
            }
            if let Some(f) = failure {
                return Err(f);
            }
            if !session.detecting() {
                read.clear();
                views.clear();
            }
            open = Some((record, session));
        }
    }
    let Some((mut record, session)) = open else {
        return Ok(());
    };
    let mut failure = None;
    session.finish(|mut t| {
        if failure.is_none() {
            let k = read.partition_point(|(clean, _, _)| *clean <= t.start);
            let k = k.saturating_sub(1);
            if let (Some(view), Some(_)) = (views.get(k), read.get(k)) {
                let text = (&*view.0, view.1);
                place_in_file(&mut t, &read[k..=k], text);
                failure = record.timex(text, &t, to.out).err();
            }
        }
    });
    if let Some(f) = failure {
        return Err(f);
    }
    if !blocks {
        let _ = writeln!(to.err, "timeline: {name}: no text found");
    }
    record.finish(("", 0), to.extractor.doctype_used(), to.out)
}

/// Starts the message's record at its first window: the headers' date
/// and subject carried to the window, the reference date (the flag's, or
/// the one the window shows) said on stderr, and the engine's session.
fn open_record<'w, 'x>(
    name: &str,
    doc: &mut Document,
    headers: &Document,
    text: &str,
    (flag_dct, today): (Option<NaiveDateTime>, NaiveDateTime),
    (writer, extractor, err): (&'w mut Writer, &'x mut Extractor, &mut dyn std::io::Write),
) -> (Record<'w>, Session<'x>) {
    doc.dated = headers.dated.clone();
    if headers.subject.is_some() {
        doc.subject = headers.subject.clone();
    }
    let (dct, source) = match flag_dct {
        Some(t) => (t, Source::Flag),
        None => dct::for_document(doc, text, Format::Email, today),
    };
    let _ = writeln!(
        err,
        "timeline: {name}: email document, reference date {} from {source}",
        format_dct(dct)
    );
    (writer.begin_record(name, dct, None), extractor.session(dct))
}

/// The file's text from byte `from` to `to` (or its end), from the first
/// character that starts there on, and the byte it starts at.
pub(super) fn file_text(
    file: &mut File,
    from: usize,
    to: usize,
) -> std::io::Result<(String, usize)> {
    file.seek(SeekFrom::Start(from as u64))?;
    let mut bytes = Vec::new();
    Read::take(&mut *file, (to - from) as u64).read_to_end(&mut bytes)?;
    let skip = bytes.iter().take_while(|&&b| b & 0xC0 == 0x80).count();
    let text = String::from_utf8_lossy(&bytes[skip..]).into_owned();
    Ok((text, from + skip))
}
