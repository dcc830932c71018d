//! `timeline extract`: the timexes of documents as a table, JSON, JSON
//! lines or TimeML.

use std::fmt::Write as _;
use std::io::{BufRead, Write};
use std::path::PathBuf;

use chrono::{NaiveDateTime, NaiveTime, Timelike};
use comfy_table::{presets::UTF8_FULL_CONDENSED, ContentArrangement, Table};
use serde::Serialize;

use crate::engine::doctype::DocType;
use crate::engine::timex::Timex;
use crate::engine::Extractor;
use crate::timeml;

use super::corpus::{self, DctMissing};
use super::{ceil_char, floor_char, stream, Failure};

/// How input is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputFormat {
    /// Each file is one document, read into blocks in this format (`None`:
    /// detected from the name and content).
    Document(Option<crate::document::Format>),
    /// Each line is `{"doc", "dct", "text"}`.
    Jsonl,
}

/// How results are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    Table,
    Json,
    Jsonl,
    Timeml,
}

/// What `start`/`end` count in JSON output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Offsets {
    /// UTF-8 bytes (the default; what Rust and most byte-level tools use).
    Bytes,
    /// Unicode code points (what Python string indices use).
    Chars,
}

pub struct ExtractOptions {
    /// Files to read; empty or "-" reads standard input.
    pub inputs: Vec<PathBuf>,
    pub dct: Option<String>,
    pub input: InputFormat,
    pub format: OutputFormat,
    pub offsets: Offsets,
    /// The fallback reference date when neither --dct nor the document gives one.
    pub today: NaiveDateTime,
    /// What a JSONL line without a `dct` gets.
    pub dct_missing: DctMissing,
    /// Threads for JSONL input (1: this thread only).
    pub jobs: usize,
    /// The kind of the documents (`Auto`: detected per document; a JSONL
    /// line's own `"doctype"` wins).
    pub doctype: DocType,
    /// JSONL lines longer than this are read in pieces, their text
    /// spooled in `spool_dir` ([`corpus::LONG_LINE`]; tests lower it).
    pub long_line: usize,
    /// Where the text of a long JSONL line is spooled: the system's
    /// temporary folder.
    pub spool_dir: PathBuf,
}

/// A document read from input, with the name to report it by.
#[derive(Debug)]
pub(super) struct Doc<'a> {
    pub name: String,
    pub dct: NaiveDateTime,
    /// The UTC offset written on the dct, kept in the output.
    pub dct_zone: Option<i16>,
    /// Borrowed from a JSONL line's buffer, where it was decoded.
    pub text: std::borrow::Cow<'a, str>,
    /// The kind the line says it is (`Auto`: detected).
    pub doctype: DocType,
}

/// The JSON shape of one document's result (documented in the README),
/// as serde writes it: [`Record`] writes the same bytes a timex at a time,
/// and the tests compare the two.
#[cfg(test)]
#[derive(Serialize)]
struct DocOut<'a> {
    doc: &'a str,
    dct: String,
    timexes: Vec<TimexOut<'a>>,
    /// The kind the document was read as: news, narrative, colloquial.
    doctype: &'static str,
}

#[derive(Serialize, Clone)]
pub(super) struct TimexOut<'a> {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) text: &'a str,
    #[serde(rename = "type")]
    pub(super) kind: &'static str,
    pub(super) value: &'a str,
    #[serde(rename = "mod", skip_serializing_if = "Option::is_none")]
    pub(super) modifier: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) interval: Option<&'a crate::engine::timex::Interval>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) tz: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) tzid: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) rrule: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) open: Option<&'static str>,
    /// The date a length points at ("in two weeks"): value and interval.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) anchored: Option<&'a crate::engine::timex::Anchored>,
    /// A range's ends, each as TimeML annotates it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) parts: Vec<TimexOut<'a>>,
}

impl<'a> TimexOut<'a> {
    fn new(t: &'a Timex, start: usize, end: usize) -> TimexOut<'a> {
        TimexOut {
            start,
            end,
            text: &t.text,
            kind: t.kind.code(),
            value: &t.value,
            modifier: t.modifier.map(|m| m.code()),
            interval: t.interval.as_ref(),
            tz: t.zone.map(crate::engine::timex::format_zone),
            tzid: t.tzid,
            rrule: t.rule.as_deref(),
            open: t.open.map(|m| m.code()),
            anchored: t.anchored.as_ref(),
            parts: Vec::new(),
        }
    }
}

pub(super) fn format_dct(t: NaiveDateTime) -> String {
    if t.time() == NaiveTime::MIN {
        t.format("%Y-%m-%d").to_string()
    } else if t.second() == 0 {
        t.format("%Y-%m-%dT%H:%M").to_string()
    } else {
        t.format("%Y-%m-%dT%H:%M:%S").to_string()
    }
}

/// `timeline extract`.
pub fn extract(
    opts: &ExtractOptions,
    stdin: &mut dyn BufRead,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), Failure> {
    let flag_dct = crate::cli::flag_dct(opts.dct.as_deref(), opts.today, err)?;
    let inputs: Vec<PathBuf> = if opts.inputs.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        opts.inputs.clone()
    };
    let mut extractor = Extractor::default().doctype(opts.doctype);
    let mut writer = Writer::new(opts.format, opts.offsets);
    let mut bad_lines = 0usize;
    for path in &inputs {
        match opts.input {
            InputFormat::Document(format) => {
                let mut to = stream::Target {
                    extractor: &mut extractor,
                    writer: &mut writer,
                    out: &mut *out,
                    err: &mut *err,
                };
                let dir = &opts.spool_dir;
                stream::document(path, format, flag_dct, opts.today, stdin, dir, &mut to)?;
            }
            InputFormat::Jsonl => {
                let mut file_reader;
                let reader: &mut dyn BufRead = if path.as_os_str() == "-" {
                    &mut *stdin
                } else {
                    let f = std::fs::File::open(path).map_err(|e| {
                        Failure::usage(format!("timeline: cannot read {}: {e}", path.display()))
                    })?;
                    file_reader = std::io::BufReader::with_capacity(1 << 20, f);
                    &mut file_reader
                };
                bad_lines += corpus::run(reader, path, opts, flag_dct, &mut writer, out, err)?;
            }
        }
    }
    writer.finish(out)?;
    if bad_lines > 0 {
        // Records answer every line where the format has records: the
        // run did its job, and the errors are in the output.
        let answered = matches!(opts.format, OutputFormat::Jsonl | OutputFormat::Json);
        let message = if answered {
            format!("timeline: {bad_lines} input line(s) answered with an error record")
        } else {
            format!("timeline: {bad_lines} input line(s) skipped")
        };
        if answered {
            let _ = writeln!(err, "{message}");
            return Ok(());
        }
        return Err(Failure { message, code: 1 });
    }
    Ok(())
}

/// Writes results in the chosen format, streaming where the format allows.
pub(super) struct Writer {
    format: OutputFormat,
    offsets: Offsets,
    first: bool,
    /// One document's JSON, reused across documents: serde writes many small
    /// pieces, which cost a dynamic call each on `out` but are plain copies
    /// into a `Vec`, and the whole record then goes out in one call.
    buf: Vec<u8>,
}

impl Writer {
    /// Whether a record takes nothing of the document's text but the
    /// bytes within 64 of each timex: JSON and JSONL (the timex's text) and
    /// a table (its context) with byte offsets, not TimeML (the whole
    /// text tagged) nor character offsets (counted from the start).
    pub(super) fn needs_text_near_timexes(&self) -> bool {
        self.format != OutputFormat::Timeml && self.offsets == Offsets::Bytes
    }

    pub(super) fn new(format: OutputFormat, offsets: Offsets) -> Writer {
        Writer {
            format,
            offsets,
            first: true,
            buf: Vec::new(),
        }
    }

    pub(super) fn format(&self) -> OutputFormat {
        self.format
    }

    pub(super) fn is_first(&self) -> bool {
        self.first
    }

    pub(super) fn wrote(&mut self) {
        self.first = false;
    }

    /// A writer for a thread's share of the records, which follow others.
    pub(super) fn fork(&self) -> Writer {
        Writer {
            first: false,
            ..Writer::new(self.format, self.offsets)
        }
    }

    /// Starts one document's record, whose timexes then stream in one by
    /// one, so a document of a million dates is never held: a JSONL line
    /// or JSON's object in its array (the bytes serde writes for a
    /// [`DocOut`], compact or pretty; the tests compare them), a TimeML
    /// document, or a table drawn [`TABLE_ROWS`] rows at a time.
    pub(super) fn begin_record<'w>(
        &'w mut self,
        name: &str,
        dct: NaiveDateTime,
        zone: Option<i16>,
    ) -> Record<'w> {
        let first = std::mem::replace(&mut self.first, false);
        let buf = &mut self.buf;
        buf.clear();
        let shape = match self.format {
            OutputFormat::Jsonl | OutputFormat::Json => {
                let pretty = self.format == OutputFormat::Json;
                if pretty {
                    buf.extend_from_slice(if first { b"[\n" } else { b",\n" });
                }
                let (doc, dct_key, timexes) = if pretty {
                    ("{\n  \"doc\": ", ",\n  \"dct\": ", ",\n  \"timexes\": [")
                } else {
                    ("{\"doc\":", ",\"dct\":", ",\"timexes\":[")
                };
                buf.extend_from_slice(doc.as_bytes());
                // Strings always serialize.
                let _ = serde_json::to_writer(&mut *buf, name);
                buf.extend_from_slice(dct_key.as_bytes());
                let _ = serde_json::to_writer(&mut *buf, &dct_text(dct, zone));
                buf.extend_from_slice(timexes.as_bytes());
                if pretty {
                    Shape::Pretty
                } else {
                    Shape::Line
                }
            }
            OutputFormat::Timeml => {
                let (tagged, head) = timeml::Tagged::head(name, &format_dct(dct));
                buf.extend_from_slice(head.as_bytes());
                Shape::Timeml(tagged, String::new())
            }
            OutputFormat::Table => {
                // A blank line between documents.
                let blank = if first { "" } else { "\n" };
                let head = format!("{blank}{name} (reference date {})\n", format_dct(dct));
                buf.extend_from_slice(head.as_bytes());
                Shape::Table {
                    rows: Vec::new(),
                    drawn: 0,
                }
            }
        };
        Record {
            buf,
            unit: self.offsets,
            chars: CharCounter::default(),
            empty: true,
            shape,
        }
    }

    /// Ends a record that a caught bug cut short after part of it went
    /// out: the timexes found so far, then the error (JSONL and JSON).
    pub(super) fn abandon_record(
        &mut self,
        error: &str,
        out: &mut dyn Write,
    ) -> Result<(), Failure> {
        let buf = &mut self.buf;
        match self.format {
            OutputFormat::Json => {
                buf.extend_from_slice(b"\n  ],\n  \"error\": ");
                crate::cli::json_line::push_str(buf, error);
                buf.extend_from_slice(b"\n}");
            }
            OutputFormat::Jsonl => {
                buf.extend_from_slice(b"],\"error\":");
                crate::cli::json_line::push_str(buf, error);
                buf.extend_from_slice(b"}\n");
            }
            // No records to end: what was drawn goes out.
            OutputFormat::Table | OutputFormat::Timeml => {}
        }
        out.write_all(buf).map_err(Failure::output)?;
        buf.clear();
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write) -> Result<(), Failure> {
        if self.format == OutputFormat::Json {
            let text: &[u8] = if self.first { b"[]\n" } else { b"\n]\n" };
            out.write_all(text).map_err(Failure::output)?;
        }
        out.flush().map_err(Failure::output)
    }
}

/// One document's record being written (see [`Writer::begin_record`]);
/// it goes out in pieces of about 64 KiB. Each call is given the
/// document's text, or the window of it (from byte `base` on) that holds
/// the timex and, for a table, the sentence around it.
pub(super) struct Record<'w> {
    buf: &'w mut Vec<u8>,
    unit: Offsets,
    chars: CharCounter,
    empty: bool,
    shape: Shape,
}

/// How a [`Record`] lays its timexes out, by output format.
enum Shape {
    /// JSONL: one line.
    Line,
    /// JSON: serde's pretty layout.
    Pretty,
    /// TimeML: the text with its tags, and a piece of it being made.
    Timeml(timeml::Tagged, String),
    /// A table: rows not yet drawn, each with its sentence (taken while
    /// its text is at hand), and how many were.
    Table {
        rows: Vec<(Timex, String)>,
        drawn: usize,
    },
}

impl Record<'_> {
    pub(super) fn timex(
        &mut self,
        (text, base): (&str, usize),
        t: &Timex,
        out: &mut dyn Write,
    ) -> Result<(), Failure> {
        let first = std::mem::replace(&mut self.empty, false);
        match &mut self.shape {
            Shape::Line => {
                let shown = self.chars.timex_out((text, base), t, self.unit);
                if !first {
                    self.buf.push(b',');
                }
                crate::cli::json_line::push_timex(self.buf, &shown);
            }
            Shape::Pretty => {
                let shown = self.chars.timex_out((text, base), t, self.unit);
                self.buf
                    .extend_from_slice(if first { b"\n" } else { b",\n" });
                // The object at the depth of the array's items: its lines
                // indented by two levels (no string holds a raw line break).
                let object = serde_json::to_string_pretty(&shown).unwrap_or_default();
                for (k, line) in object.split('\n').enumerate() {
                    if k > 0 {
                        self.buf.push(b'\n');
                    }
                    self.buf.extend_from_slice(b"    ");
                    self.buf.extend_from_slice(line.as_bytes());
                }
            }
            Shape::Timeml(tagged, xml) => {
                tagged.timex(text, base, t, xml);
                self.buf.extend_from_slice(xml.as_bytes());
                xml.clear();
            }
            Shape::Table { rows, drawn } => {
                rows.push((t.clone(), context((text, base), t)));
                if rows.len() == TABLE_ROWS {
                    push_table(self.buf, rows);
                    *drawn += rows.len();
                    rows.clear();
                }
            }
        }
        if self.buf.len() >= 1 << 16 {
            out.write_all(self.buf).map_err(Failure::output)?;
            self.buf.clear();
        }
        Ok(())
    }

    /// Before the window `text` (from `base`) is let go: what needs the
    /// document's text up to byte `to` takes it.
    pub(super) fn upto(
        &mut self,
        (text, base): (&str, usize),
        to: usize,
        out: &mut dyn Write,
    ) -> Result<(), Failure> {
        if self.unit == Offsets::Chars {
            self.chars.at((text, base), to);
        }
        if let Shape::Timeml(tagged, xml) = &mut self.shape {
            tagged.upto(text, base, to, xml);
            self.buf.extend_from_slice(xml.as_bytes());
            xml.clear();
            if self.buf.len() >= 1 << 16 {
                out.write_all(self.buf).map_err(Failure::output)?;
                self.buf.clear();
            }
        }
        Ok(())
    }

    pub(super) fn finish(
        self,
        (text, base): (&str, usize),
        doctype: DocType,
        out: &mut dyn Write,
    ) -> Result<(), Failure> {
        let name = doctype.name().as_bytes();
        match self.shape {
            Shape::Line => {
                self.buf.extend_from_slice(b"],\"doctype\":\"");
                self.buf.extend_from_slice(name);
                self.buf.extend_from_slice(b"\"}\n");
            }
            Shape::Pretty => {
                let close: &[u8] = if self.empty { b"]" } else { b"\n  ]" };
                self.buf.extend_from_slice(close);
                self.buf.extend_from_slice(b",\n  \"doctype\": \"");
                self.buf.extend_from_slice(name);
                self.buf.extend_from_slice(b"\"\n}");
            }
            Shape::Timeml(tagged, mut xml) => {
                tagged.tail(text, base, &mut xml);
                self.buf.extend_from_slice(xml.as_bytes());
            }
            Shape::Table { rows, drawn } => {
                // A document without dates still shows its empty table.
                if !rows.is_empty() || drawn == 0 {
                    push_table(self.buf, &rows);
                }
            }
        }
        out.write_all(self.buf).map_err(Failure::output)
    }
}

/// Byte offsets to character offsets, for offsets that mostly grow: each
/// step counts only the characters between the last offset and this one.
#[derive(Default)]
struct CharCounter {
    byte: usize,
    chars: usize,
}

impl CharCounter {
    /// The characters before byte `target` of the document, of which
    /// `text` is the part from byte `base` on, holding `target` and the
    /// last offset asked for.
    fn at(&mut self, (text, base): (&str, usize), target: usize) -> usize {
        let count = |from: usize, to: usize| {
            let piece = text.get(from.saturating_sub(base)..to.saturating_sub(base));
            piece.map_or(0, |p| p.chars().count())
        };
        if target >= self.byte {
            self.chars += count(self.byte, target);
        } else {
            self.chars = self.chars.saturating_sub(count(target, self.byte));
        }
        self.byte = target;
        self.chars
    }

    /// A timex as output, its offsets in `unit`.
    fn timex_out<'a>(&mut self, text: (&str, usize), t: &'a Timex, unit: Offsets) -> TimexOut<'a> {
        match unit {
            Offsets::Bytes => {
                let mut out = TimexOut::new(t, t.start, t.end);
                // Nearly every timex has no parts: no collecting then.
                if !t.parts.is_empty() {
                    out.parts = (t.parts.iter())
                        .map(|p| TimexOut::new(p, p.start, p.end))
                        .collect();
                }
                out
            }
            Offsets::Chars => {
                // In order: the parts lie between the range's ends.
                let start = self.at(text, t.start);
                let parts = (t.parts.iter())
                    .map(|p| {
                        let (s, e) = (self.at(text, p.start), self.at(text, p.end));
                        TimexOut::new(p, s, e)
                    })
                    .collect();
                let end = self.at(text, t.end);
                TimexOut {
                    parts,
                    ..TimexOut::new(t, start, end)
                }
            }
        }
    }
}

/// The dct as written in JSON: "2014-10-14T09:00" plus its zone, where
/// the input gave one (a date then gets a time).
fn dct_text(t: NaiveDateTime, zone: Option<i16>) -> String {
    let mut dct = format_dct(t);
    if let Some(zone) = zone {
        if !dct.contains('T') {
            dct.push_str("T00:00");
        }
        match zone {
            0 => dct.push('Z'),
            z => dct.push_str(&crate::engine::timex::format_zone(z)),
        }
    }
    dct
}

/// The sentence around a timex, shortened for a table cell: it reaches
/// 60 bytes (and a character) to either side at most, which `text` (the
/// document from byte `base` on) must hold unless the document ends.
fn context((text, base): (&str, usize), t: &Timex) -> String {
    let (Some(start), Some(end)) = (t.start.checked_sub(base), t.end.checked_sub(base)) else {
        return String::new();
    };
    let (Some(before), Some(after)) = (text.get(..start), text.get(end..)) else {
        return String::new();
    };
    // The sentence's ends are looked for within the reach only: a line
    // of 60 MB without one is not searched for each of its timexes.
    let reach = floor_char(text, start.saturating_sub(60));
    let from = before[reach..]
        .rfind(['\n', '.', '!', '?'])
        .map_or(reach, |k| reach + k + 1);
    let after = &after[..ceil_char(after, 60)];
    let to = end + after.find(['\n', '!', '?']).unwrap_or(after.len());
    let snippet = format!(
        "{}[{}]{}",
        text[from..start].trim_start(),
        &text[start..end],
        text[end..to].trim_end()
    );
    snippet.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The most rows drawn as one table: a document of a million dates is
/// drawn as tables of this many rows, each under its own header, so
/// memory holds one section (the table crate takes about 2 KB a row), not
/// the whole document's.
const TABLE_ROWS: usize = 1000;

/// Appends `rows` as one table, then a line break.
fn push_table(buf: &mut Vec<u8>, rows: &[(Timex, String)]) {
    buf.extend_from_slice(table(rows).as_bytes());
    buf.push(b'\n');
}

fn table(found: &[(Timex, String)]) -> String {
    let mut table = Table::new();
    table
        .load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(vec!["text", "type", "value", "resolved", "context"]);
    for (t, context) in found {
        let mut value = t.value.to_string();
        if let Some(m) = t.modifier {
            let _ = write!(value, " ({m})");
        }
        let resolved = match (&t.interval, &t.rule, &t.anchored) {
            (Some(i), _, _) => describe_interval(i.start, i.end),
            (None, Some(rule), _) => rule.clone(),
            // "in two weeks": the date the length reaches.
            (None, None, Some(a)) => format!("→ {}", describe_interval(a.start, a.end)),
            (None, None, None) => String::new(),
        };
        table.add_row(vec![
            t.text.to_string(),
            t.kind.to_string(),
            value,
            resolved,
            context.clone(),
        ]);
    }
    table.to_string()
}

/// "2014-10-15", "2014-10-01 … 2014-10-31", "2014-10-14 15:00".
fn describe_interval(start: NaiveDateTime, end: NaiveDateTime) -> String {
    let last = end - chrono::Duration::seconds(1);
    if start.time() == NaiveTime::MIN && end.time() == NaiveTime::MIN {
        if last.date() == start.date() {
            start.format("%Y-%m-%d").to_string()
        } else {
            format!("{} … {}", start.format("%Y-%m-%d"), last.format("%Y-%m-%d"))
        }
    } else if end - start <= chrono::Duration::minutes(1) {
        start.format("%Y-%m-%d %H:%M").to_string()
    } else {
        format!(
            "{} … {}",
            start.format("%Y-%m-%d %H:%M"),
            end.format("%H:%M")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `--format json` written a timex at a time gives what serde's pretty
    /// printer gives for the whole document: an array of [`DocOut`].
    #[test]
    fn json_documents_stream_as_serde_writes_them_whole() {
        let texts = [
            "The talks resume Monday, Nov. 24, from 2-3pm ET, every week.",
            "",
            "Réunion le 14 — the café opens in two weeks, daily at 9:30 until Friday.",
        ];
        let dct = crate::document::dct::parse("2014-10-14").expect("a date");
        for offsets in [Offsets::Bytes, Offsets::Chars] {
            let mut writer = Writer::new(OutputFormat::Json, offsets);
            let (mut streamed, mut whole) = (Vec::new(), Vec::new());
            for (k, text) in texts.iter().enumerate() {
                let found = crate::engine::extract(text, dct);
                let name = format!("doc \"{k}\"");
                let mut record = writer.begin_record(&name, dct, Some(60));
                for t in &found {
                    record.timex((text, 0), t, &mut streamed).expect("written");
                }
                record
                    .finish((text, 0), DocType::News, &mut streamed)
                    .expect("written");
                let mut chars = CharCounter::default();
                let record = DocOut {
                    doc: &name,
                    dct: dct_text(dct, Some(60)),
                    timexes: (found.iter())
                        .map(|t| chars.timex_out((text, 0), t, offsets))
                        .collect(),
                    doctype: "news",
                };
                whole.extend_from_slice(if k == 0 { b"[\n" } else { b",\n" });
                serde_json::to_writer_pretty(&mut whole, &record).expect("serializes");
            }
            writer.finish(&mut streamed).expect("finished");
            whole.extend_from_slice(b"\n]\n");
            assert_eq!(
                String::from_utf8_lossy(&streamed),
                String::from_utf8_lossy(&whole)
            );
        }
    }
}
