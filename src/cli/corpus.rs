//! Corpus mode, `extract --input jsonl`: one document a line, as a batch
//! job or a Spark `pipe` stage runs it.
//!
//! Every input line gets exactly one output line, in order, so the output
//! zips back onto the input: a line that cannot be read (bad JSON, no
//! `dct`, a blank line) gets an error record `{"doc": …, "line": N,
//! "error": "…"}` instead of a result, and the run still succeeds, so one
//! bad line does not fail a whole job. A leading byte-order mark is
//! dropped. Results never depend on the day the job runs: a line without
//! `dct` is an error unless `--dct-missing today` says otherwise.
//!
//! With `jobs` above one, lines are read in batches and each batch is cut
//! into one contiguous run per thread; the runs are written in order, so
//! the output is byte-identical to one thread's.
//!
//! A line longer than [`LONG_LINE`] is never held: it is checked while
//! its text is spooled, then its text is read back in windows
//! ([`super::long_line`]), with the same output as a short line's.

use std::borrow::Cow;
use std::io::{BufRead, Write};
use std::path::Path;

use chrono::NaiveDateTime;
use serde::Serialize;

use super::extract::{Doc, ExtractOptions, OutputFormat, Writer};
use super::json_text;
use super::long_line::{self, Sizes};
use super::Failure;
use crate::document::dct::{self, Source};
use crate::engine::doctype::DocType;
use crate::engine::Extractor;

/// What a line without a `dct` gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum DctMissing {
    /// An error record: the default, so a result never depends on the day
    /// it was computed.
    #[default]
    Error,
    /// A date found in the text (a dateline, a header), else today.
    Today,
}

/// A line that gave no document, and why.
#[derive(Debug)]
pub(super) struct BadLine {
    pub doc: Option<String>,
    pub line: usize,
    pub error: String,
}

/// Why a line's record ended early: the line itself (an error record
/// answers it and the run goes on), or the output (a reader that went
/// away, a full disk), which ends the run: going on would only fail again
/// at every line.
pub(super) enum Stop {
    Line(BadLine),
    Output(Failure),
}

impl From<BadLine> for Stop {
    fn from(e: BadLine) -> Stop {
        Stop::Line(e)
    }
}

#[derive(Serialize)]
struct ErrorOut<'a> {
    doc: Option<&'a str>,
    line: usize,
    error: &'a str,
}

/// Input read at a time when several threads share the work: enough that
/// the threads' runs are long, little enough to bound memory.
const BATCH_BYTES: usize = 8 << 20;

/// Lines longer than this are read in pieces ([`super::long_line`]):
/// shorter ones are read whole, the fast way.
pub const LONG_LINE: usize = 8 << 20;

/// The most line buffers kept for reuse, and the largest kept.
const SPARE_LINES: usize = 4096;
const SPARE_BYTES: usize = 1 << 20;

/// Reads one JSONL input to the end, writing a record for every line.
/// Returns how many lines were errors.
pub(super) fn run(
    reader: &mut dyn BufRead,
    path: &Path,
    opts: &ExtractOptions,
    flag_dct: Option<NaiveDateTime>,
    writer: &mut Writer,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<usize, Failure> {
    let parallel = opts.jobs > 1 && writer.format() == OutputFormat::Jsonl;
    let mut extractors: Vec<Extractor> = (0..opts.jobs.max(1))
        .map(|_| Extractor::default().doctype(opts.doctype))
        .collect();
    let mut bad = 0usize;
    let mut n = 0usize;
    let mut batch: Vec<(usize, Vec<u8>)> = Vec::new();
    // A line too long to hold, as far as it was read.
    let mut long: Option<(usize, Vec<u8>)> = None;
    // At least a byte-order mark is read before a line is found long.
    let most = opts.long_line.max(3);
    let sizes = Sizes {
        chunk: opts.long_line.min(1 << 20),
        window: opts.long_line.min(4 << 20),
    };
    // Buffers of lines already answered, for the next ones: a line grown
    // from empty reallocated about ten times. A buffer a long line grew
    // is let go, so memory stays bounded by the batch.
    let mut spare: Vec<Vec<u8>> = Vec::new();
    loop {
        // One line, or with threads a batch of them.
        spare.extend(
            batch
                .drain(..)
                .map(|(_, line)| line)
                .filter(|line| line.capacity() <= SPARE_BYTES),
        );
        spare.truncate(SPARE_LINES);
        let mut bytes = 0usize;
        loop {
            let mut line = spare.pop().unwrap_or_default();
            line.clear();
            let (read, whole) = read_line(reader, &mut line, most).map_err(|e| {
                Failure::usage(format!("timeline: cannot read {}: {e}", path.display()))
            })?;
            if read == 0 {
                break;
            }
            n += 1;
            if n == 1 && line.starts_with("\u{feff}".as_bytes()) {
                line.drain(..3);
            }
            if !whole {
                long = Some((n, line));
                break;
            }
            bytes += line.len();
            batch.push((n, line));
            if !parallel || bytes >= BATCH_BYTES {
                break;
            }
        }
        if batch.is_empty() && long.is_none() {
            break;
        }
        // A line as long as a batch goes alone, straight to the output once
        // the lines before it are out: its record is never held whole.
        let mut alone = match batch.last() {
            Some((_, line)) if parallel && line.len() >= BATCH_BYTES => batch.pop(),
            _ => None,
        };
        if parallel {
            let per = batch.len().div_ceil(extractors.len()).max(1);
            let results: Vec<(Vec<u8>, Vec<BadLine>)> = std::thread::scope(|scope| {
                let handles: Vec<_> = batch
                    .chunks_mut(per)
                    .zip(extractors.iter_mut())
                    .map(|(lines, ex)| {
                        let mut w = writer.fork();
                        scope.spawn(move || {
                            let mut buf = Vec::new();
                            let mut a = Answer {
                                extractor: ex,
                                opts,
                                flag_dct,
                                writer: &mut w,
                            };
                            let bad = a.batch(lines, &mut buf);
                            (buf, bad)
                        })
                    })
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().unwrap_or_else(|_| (Vec::new(), Vec::new())))
                    .collect()
            });
            for (buf, errors) in results {
                out.write_all(&buf).map_err(Failure::output)?;
                bad += report(&errors, path, err);
            }
        }
        // One thread streams each record to the output as it grows: the
        // long line, or without threads every line.
        let streamed = if parallel {
            alone.as_mut_slice()
        } else {
            &mut batch[..]
        };
        for (n, line) in streamed {
            let errors = Answer {
                extractor: &mut extractors[0],
                opts,
                flag_dct,
                writer,
            }
            .streamed(line, *n, out)?;
            bad += report(&errors, path, err);
        }
        // The lines before it are out.
        if let Some((n, prefix)) = long.take() {
            let mut a = Answer {
                extractor: &mut extractors[0],
                opts,
                flag_dct,
                writer,
            };
            let errors = long_line::answer(&mut a, reader, prefix, n, path, sizes, out, err)?;
            bad += report(&errors, path, err);
        }
    }
    Ok(bad)
}

/// Reads a line into `line` (with its `\n`) as `read_until` does, but
/// stops after `most + 1` bytes without its end (a line of `most` bytes
/// and its `\n` is whole): how many bytes were read, and whether the line
/// is whole. Where the line stops does not depend on how the input comes.
fn read_line(
    reader: &mut dyn BufRead,
    line: &mut Vec<u8>,
    most: usize,
) -> std::io::Result<(usize, bool)> {
    let mut read = 0;
    loop {
        let available = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let room = most.saturating_add(1).saturating_sub(line.len());
        let looked = &available[..available.len().min(room)];
        let (used, done) = match memchr::memchr(b'\n', looked) {
            Some(k) => (k + 1, true),
            None => (looked.len(), available.is_empty()),
        };
        line.extend_from_slice(&available[..used]);
        reader.consume(used);
        read += used;
        if done {
            return Ok((read, true));
        }
        if line.len() > most {
            return Ok((read, false));
        }
    }
}

fn report(errors: &[BadLine], path: &Path, err: &mut dyn Write) -> usize {
    for e in errors {
        let _ = writeln!(err, "timeline: {}:{}: {}", path.display(), e.line, e.error);
    }
    errors.len()
}

/// What answers the lines of one thread: its engine and writer, and the
/// options every line shares.
pub(super) struct Answer<'a> {
    pub extractor: &'a mut Extractor,
    pub opts: &'a ExtractOptions,
    pub flag_dct: Option<NaiveDateTime>,
    pub writer: &'a mut Writer,
}

impl Answer<'_> {
    /// Writes the record of each line into `buf`; returns the lines that
    /// were errors (whose records are in `buf` too, where the format has
    /// records).
    fn batch(&mut self, lines: &mut [(usize, Vec<u8>)], buf: &mut Vec<u8>) -> Vec<BadLine> {
        let mut bad = Vec::new();
        for (n, line) in lines {
            let mark = buf.len();
            // A line that trips a bug is that line's error record, not the end
            // of every document after it. (The extractor clears its buffers at
            // each block, so it can go on.)
            let result =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.line(line, *n, buf)))
                    .unwrap_or_else(|_| Err(Stop::Line(internal_error(*n))));
            let result = match result {
                Ok(()) => Ok(()),
                Err(Stop::Line(e)) => Err(e),
                // Writing to a Vec does not fail.
                Err(Stop::Output(_)) => Err(internal_error(*n)),
            };
            if let Err(e) = result {
                buf.truncate(mark);
                self.writer.write_error(&e, buf);
                bad.push(e);
            }
        }
        bad
    }

    /// [`Answer::batch`] of one line written to `out` as it is found. A bug caught
    /// after part of the record went out ends that record with an `"error"`
    /// beside its timexes, so the line still gets one line.
    pub(super) fn streamed(
        &mut self,
        line: &mut [u8],
        n: usize,
        out: &mut dyn Write,
    ) -> Result<Vec<BadLine>, Failure> {
        self.guarded(n, out, |a, out| a.line(line, n, out))
    }

    /// Writes the record of line `n` with `write`, catching a bug in it:
    /// a record cut short by a bug or an error after part of it went out
    /// ends with an `"error"` beside its timexes.
    pub(super) fn guarded(
        &mut self,
        n: usize,
        out: &mut dyn Write,
        write: impl FnOnce(&mut Self, &mut dyn Write) -> Result<(), Stop>,
    ) -> Result<Vec<BadLine>, Failure> {
        let mut counted = Counted { out, bytes: 0 };
        let result =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| write(self, &mut counted)));
        let e = match result {
            Ok(Ok(())) => return Ok(Vec::new()),
            Ok(Err(Stop::Output(f))) => return Err(f),
            Ok(Err(Stop::Line(e))) if counted.bytes > 0 => {
                self.writer.abandon_record(&e.error, counted.out)?;
                return Ok(vec![e]);
            }
            Ok(Err(Stop::Line(e))) => e,
            Err(_) if counted.bytes > 0 => {
                let e = internal_error(n);
                self.writer.abandon_record(&e.error, counted.out)?;
                return Ok(vec![e]);
            }
            Err(_) => internal_error(n),
        };
        let mut buf = Vec::new();
        self.writer.write_error(&e, &mut buf);
        counted.out.write_all(&buf).map_err(Failure::output)?;
        Ok(vec![e])
    }

    /// Reads one line and writes its record to `out`: a JSONL record timex by
    /// timex as the engine finds them, other formats whole.
    /// The line's buffer is where its text is decoded (see [`json_text`]).
    fn line(&mut self, line: &mut [u8], n: usize, out: &mut dyn Write) -> Result<(), Stop> {
        let Answer {
            extractor,
            opts,
            flag_dct,
            writer,
        } = self;
        let flag_dct = *flag_dct;
        let doc = parse_line(line, n, flag_dct, opts.today, opts.dct_missing)?;
        // The line's own "doctype" wins over --doctype.
        let given = match doc.doctype {
            DocType::Auto => opts.doctype,
            own => own,
        };
        extractor.set_doctype(given);
        let mut record = writer.begin_record(&doc.name, doc.dct, doc.dct_zone);
        let mut written = Ok(());
        let text = (&*doc.text, 0);
        extractor.extract_each(&doc.text, doc.dct, |t| {
            if written.is_ok() {
                written = record.timex(text, &t, out);
            }
        });
        written
            .and_then(|()| record.finish(text, extractor.doctype_used(), out))
            .map_err(Stop::Output)
    }
}

pub(super) fn internal_error(n: usize) -> BadLine {
    BadLine {
        doc: None,
        line: n,
        error: "internal error reading this line (a bug: please report it)".to_string(),
    }
}

/// A writer that counts what went through it.
struct Counted<'a> {
    out: &'a mut dyn Write,
    bytes: usize,
}

impl Write for Counted<'_> {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        let n = self.out.write(b)?;
        self.bytes += n;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// One JSONL line as a document: `{"doc": …, "dct": …, "text": …}`.
/// Reads one line into a document. Its text is decoded in the line's own
/// buffer and borrowed from it (an invalid UTF-8 line is first copied with
/// replacement characters).
pub(super) fn parse_line(
    line: &mut [u8],
    n: usize,
    flag_dct: Option<NaiveDateTime>,
    today: NaiveDateTime,
    missing: DctMissing,
) -> Result<Doc<'_>, BadLine> {
    if line.iter().all(u8::is_ascii_whitespace) {
        return Err(bad_line(n, None, "blank line".to_string()));
    }
    if let Ok(source) = std::str::from_utf8(line) {
        let (fields, body) = read_fields(source, n, None)?;
        let len = decode_text(&mut line[body.clone()], n, &fields.name)?;
        let line: &[u8] = line;
        let text = std::str::from_utf8(&line[body.start..body.start + len])
            .map_err(|_| bad_line(n, Some(fields.name.clone()), "text: bad UTF-8".to_string()))?;
        return fields.into_doc(Cow::Borrowed(text), n, flag_dct, today, missing);
    }
    let owned = String::from_utf8_lossy(line).into_owned();
    let (fields, body) = read_fields(&owned, n, None)?;
    let mut owned = owned.into_bytes();
    let len = decode_text(&mut owned[body.clone()], n, &fields.name)?;
    owned.truncate(body.start + len);
    owned.drain(..body.start);
    let text = String::from_utf8(owned)
        .map_err(|_| bad_line(n, Some(fields.name.clone()), "text: bad UTF-8".to_string()))?;
    fields.into_doc(Cow::Owned(text), n, flag_dct, today, missing)
}

fn bad_line(line: usize, doc: Option<String>, error: String) -> BadLine {
    BadLine { doc, line, error }
}

/// A line's fields other than its text.
pub(super) struct Fields {
    pub name: String,
    dct: Option<String>,
    doctype: Option<String>,
}

/// The fields of a line and where its text's body lies,
/// still encoded: the bytes between its quotes. `removed`: `source` is a
/// long line without its text's body, `(at, len)`: `len` bytes were cut
/// out at byte `at`, which the columns of serde_json's errors count in.
pub(super) fn read_fields(
    source: &str,
    n: usize,
    removed: Option<(usize, usize)>,
) -> Result<(Fields, std::ops::Range<usize>), BadLine> {
    #[derive(serde::Deserialize)]
    struct Line<'a> {
        doc: Option<serde_json::Value>,
        dct: Option<String>,
        #[serde(borrow)]
        text: Option<&'a serde_json::value::RawValue>,
        /// "news", "narrative", "colloquial" or "auto".
        doctype: Option<String>,
    }
    let parsed: Line = serde_json::from_str(source).map_err(|e| {
        let e = match removed {
            Some((at, len)) if e.line() == 1 && e.column() >= at => {
                let whole = e.to_string();
                let place = format!(" at line 1 column {}", e.column());
                let what = whole.strip_suffix(&place).unwrap_or(&whole);
                format!("{what} at line 1 column {}", e.column() + len)
            }
            _ => e.to_string(),
        };
        bad_line(n, None, format!("not a document line: {e}"))
    })?;
    let name = match parsed.doc {
        Some(serde_json::Value::String(s)) => s,
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let Some(raw) = parsed.text.map(|r| r.get()) else {
        return Err(bad_line(n, Some(name), "no \"text\"".to_string()));
    };
    if !(raw.len() >= 2 && raw.starts_with('"') && raw.ends_with('"')) {
        return Err(bad_line(
            n,
            Some(name),
            "\"text\" is not a string".to_string(),
        ));
    }
    // The raw value is borrowed from `source`: its place is where it lies
    // (checked all the same, so a change in serde_json is an error, not a
    // slice out of bounds).
    let at = (raw.as_ptr() as usize).wrapping_sub(source.as_ptr() as usize);
    let end = at.saturating_add(raw.len());
    if source.get(at..end) != Some(raw) {
        return Err(bad_line(
            n,
            Some(name),
            "internal error: text not found in its line".to_string(),
        ));
    }
    let fields = Fields {
        name,
        dct: parsed.dct,
        doctype: parsed.doctype,
    };
    Ok((fields, at + 1..at + raw.len() - 1))
}

fn decode_text(body: &mut [u8], n: usize, name: &str) -> Result<usize, BadLine> {
    json_text::decode_in_place(body).map_err(|e| {
        bad_line(
            n,
            Some(name.to_string()),
            format!("not a document line: text: {e}"),
        )
    })
}

/// What a line says of its document, but its text.
pub(super) struct Meta {
    pub name: String,
    pub dct: NaiveDateTime,
    pub dct_zone: Option<i16>,
    doctype: DocType,
}

impl Meta {
    /// The kind to read the text as: the line's own, else `flag`'s.
    pub(super) fn doctype(&self, flag: DocType) -> DocType {
        match self.doctype {
            DocType::Auto => flag,
            own => own,
        }
    }
}

impl Fields {
    fn into_doc(
        self,
        text: Cow<'_, str>,
        n: usize,
        flag_dct: Option<NaiveDateTime>,
        today: NaiveDateTime,
        missing: DctMissing,
    ) -> Result<Doc<'_>, BadLine> {
        let meta = self.into_meta(&text, n, flag_dct, today, missing)?;
        Ok(Doc {
            name: meta.name,
            dct: meta.dct,
            dct_zone: meta.dct_zone,
            text,
            doctype: meta.doctype,
        })
    }

    /// The line's document but its text, which a `dct` may be found in.
    pub(super) fn into_meta(
        self,
        text: &str,
        n: usize,
        flag_dct: Option<NaiveDateTime>,
        today: NaiveDateTime,
        missing: DctMissing,
    ) -> Result<Meta, BadLine> {
        let name = self.name;
        let (dct, zone) = match (flag_dct, &self.dct) {
            (Some(t), _) => (t, None),
            (None, Some(s)) => {
                let t = dct::parse(s)
                    .map_err(|e| bad_line(n, Some(name.clone()), format!("dct: {e}")))?;
                (t, dct_offset(s))
            }
            (None, None) => match missing {
                DctMissing::Today => (dct::detect(text, today).0, None),
                DctMissing::Error => match dct::detect(text, today) {
                    // A date the document states is as good as a "dct" field.
                    (t, source) if source != Source::Fallback => (t, None),
                    _ => return Err(bad_line(
                        n,
                        Some(name),
                        "no \"dct\" and none in the text; give one, or --dct, or --dct-missing today"
                            .to_string(),
                    )),
                },
            },
        };
        let doctype = match self.doctype.as_deref() {
            None => DocType::Auto,
            Some(d) => d.parse().map_err(|e| bad_line(n, Some(name.clone()), e))?,
        };
        Ok(Meta {
            name,
            dct,
            dct_zone: zone,
            doctype,
        })
    }
}

/// The UTC offset written on a date-time ("…T09:00:00Z", "…+01:00"), in
/// minutes east, so the output's `dct` keeps it.
fn dct_offset(s: &str) -> Option<i16> {
    let s = s.trim();
    if !s.contains('T') && !s.contains(' ') {
        return None;
    }
    if s.ends_with(['Z', 'z']) {
        return Some(0);
    }
    let t = chrono::DateTime::parse_from_rfc3339(s).ok()?;
    i16::try_from(t.offset().local_minus_utc() / 60).ok()
}

impl Writer {
    /// An error record, in the formats that have records (JSONL, JSON).
    pub(super) fn write_error(&mut self, e: &BadLine, out: &mut Vec<u8>) {
        let record = ErrorOut {
            doc: e.doc.as_deref(),
            line: e.line,
            error: &e.error,
        };
        match self.format() {
            OutputFormat::Jsonl => {
                if serde_json::to_writer(&mut *out, &record).is_ok() {
                    out.push(b'\n');
                }
            }
            OutputFormat::Json => {
                out.extend_from_slice(if self.is_first() { b"[\n" } else { b",\n" });
                let _ = serde_json::to_writer_pretty(&mut *out, &record);
                self.wrote();
            }
            OutputFormat::Table | OutputFormat::Timeml => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDateTime {
        dct::parse("2026-11-30").unwrap()
    }

    #[test]
    fn a_line_without_a_dct_is_an_error_unless_the_text_dates_itself() {
        let line = br#"{"doc": "a", "text": "The talks resume on Monday."}"#;
        let e = parse_line(&mut line.to_vec(), 3, None, today(), DctMissing::Error).unwrap_err();
        assert_eq!((e.doc.as_deref(), e.line), (Some("a"), 3));
        assert!(e.error.contains("dct"), "{}", e.error);
        let mut buf = line.to_vec();
        let doc = parse_line(&mut buf, 3, None, today(), DctMissing::Today).unwrap();
        assert_eq!(doc.dct, today());
        let dated =
            br#"{"doc": "b", "text": "VIENNA, Oct. 14, 2014 -- The talks resume on Monday."}"#;
        let mut buf = dated.to_vec();
        let doc = parse_line(&mut buf, 4, None, today(), DctMissing::Error).unwrap();
        assert_eq!(doc.dct, dct::parse("2014-10-14").unwrap());
    }

    #[test]
    fn offsets_on_the_dct_are_kept() {
        let line = br#"{"doc": "a", "dct": "2014-10-14T09:00:00Z", "text": "x"}"#;
        let mut buf = line.to_vec();
        let doc = parse_line(&mut buf, 1, None, today(), DctMissing::Error).unwrap();
        assert_eq!(doc.dct_zone, Some(0));
        let line = br#"{"doc": "a", "dct": "2014-10-14T09:00:00-05:00", "text": "x"}"#;
        let mut buf = line.to_vec();
        let doc = parse_line(&mut buf, 1, None, today(), DctMissing::Error).unwrap();
        assert_eq!(
            (doc.dct_zone, doc.dct.to_string()),
            (Some(-300), "2014-10-14 09:00:00".into())
        );
    }

    #[test]
    fn blank_and_broken_lines_are_errors_with_their_number() {
        let e = parse_line(&mut b"  \n".to_vec(), 7, None, today(), DctMissing::Error).unwrap_err();
        assert_eq!((e.line, e.error.as_str()), (7, "blank line"));
        let e = parse_line(
            &mut b"{\"doc\": 1,".to_vec(),
            8,
            None,
            today(),
            DctMissing::Error,
        )
        .unwrap_err();
        assert!(e.error.starts_with("not a document line"), "{}", e.error);
        let e = parse_line(
            &mut br#"{"doc": 5, "dct": "2014-10-14"}"#.to_vec(),
            9,
            None,
            today(),
            DctMissing::Error,
        )
        .unwrap_err();
        assert_eq!(
            (e.doc.as_deref(), e.error.as_str()),
            (Some("5"), "no \"text\"")
        );
        let e = parse_line(
            &mut br#"{"doc": "n", "dct": "2014-10-14", "text": 5}"#.to_vec(),
            10,
            None,
            today(),
            DctMissing::Error,
        )
        .unwrap_err();
        assert_eq!(e.error, "\"text\" is not a string");
    }

    #[test]
    fn the_text_is_decoded_in_the_line_and_borrowed_from_it() {
        let mut line =
            br#"{"doc": "a", "dct": "2014-10-14", "text": "Caf\u00e9 \"Ost\"\nMonday \ud83d\ude00"}"#
                .to_vec();
        let doc = parse_line(&mut line, 1, None, today(), DctMissing::Error).unwrap();
        assert_eq!(doc.text, "Caf\u{e9} \"Ost\"\nMonday \u{1f600}");
        assert!(matches!(doc.text, Cow::Borrowed(_)));
        // Invalid UTF-8 is replaced, in a copy.
        let mut line =
            b"{\"doc\": \"b\", \"dct\": \"2014-10-14\", \"text\": \"x \xff\\ty\"}".to_vec();
        let doc = parse_line(&mut line, 2, None, today(), DctMissing::Error).unwrap();
        assert_eq!(doc.text, "x \u{fffd}\ty");
        let mut line = br#"{"doc": "c", "dct": "2014-10-14", "text": "\ud800 alone"}"#.to_vec();
        let e = parse_line(&mut line, 3, None, today(), DctMissing::Error).unwrap_err();
        assert!(e.error.contains("surrogate"), "{}", e.error);
    }

    #[test]
    fn a_line_is_long_past_the_same_byte_however_the_input_comes() {
        for capacity in [1, 2, 3, 7, 64] {
            let input: &[u8] = b"abcd\nabcde\nxy";
            let mut reader = std::io::BufReader::with_capacity(capacity, input);
            let mut lines = Vec::new();
            loop {
                let mut line = Vec::new();
                let (read, whole) = read_line(&mut reader, &mut line, 4).unwrap();
                if read == 0 {
                    break;
                }
                if !whole {
                    // The rest of a long line is left to be read on.
                    reader.read_until(b'\n', &mut line).unwrap();
                }
                lines.push((String::from_utf8(line).unwrap(), whole));
            }
            let want = [("abcd\n", true), ("abcde\n", false), ("xy", true)];
            let want: Vec<(String, bool)> = want.iter().map(|&(l, w)| (l.into(), w)).collect();
            assert_eq!(lines, want, "capacity {capacity}");
            // No limit is a limit too.
            let mut line = Vec::new();
            let mut reader = std::io::BufReader::with_capacity(capacity, input);
            assert_eq!(
                read_line(&mut reader, &mut line, usize::MAX).unwrap(),
                (5, true)
            );
        }
    }
}
