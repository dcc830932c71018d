//! The commands behind `timeline`: everything the binary does, with the
//! clock and the standard streams passed in, so it is testable and the
//! library never reads the environment.

use std::fmt::Write as _;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use chrono::{NaiveDateTime, NaiveTime, Timelike};
use comfy_table::{presets::UTF8_FULL_CONDENSED, ContentArrangement, Table};
use serde::Serialize;

use crate::dct::{self, Source};
use crate::eval::{self, Counts, Span};
use crate::extract::Extractor;
use crate::timeml;
use crate::timex::Timex;

/// How input is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputFormat {
    /// Each file is one document.
    Text,
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
}

/// A failure that ends the command: message and exit code.
#[derive(Debug)]
pub struct Failure {
    pub message: String,
    pub code: i32,
}

impl Failure {
    fn usage(message: String) -> Failure {
        Failure { message, code: 2 }
    }
}

/// A document read from input, with the name to report it by.
struct Doc {
    name: String,
    dct: NaiveDateTime,
    text: String,
}

/// The JSON shape of one document's result (documented in the README).
#[derive(Serialize)]
struct DocOut<'a> {
    doc: &'a str,
    dct: String,
    timexes: Vec<TimexOut<'a>>,
}

#[derive(Serialize)]
struct TimexOut<'a> {
    start: usize,
    end: usize,
    text: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    value: &'a str,
    #[serde(rename = "mod", skip_serializing_if = "Option::is_none")]
    modifier: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    interval: Option<&'a crate::timex::Interval>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tz: Option<String>,
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
            tz: t.zone.map(crate::timex::format_zone),
        }
    }
}

fn format_dct(t: NaiveDateTime) -> String {
    if t.time() == NaiveTime::MIN {
        t.format("%Y-%m-%d").to_string()
    } else if t.second() == 0 {
        t.format("%Y-%m-%dT%H:%M").to_string()
    } else {
        t.format("%Y-%m-%dT%H:%M:%S").to_string()
    }
}

/// Reads a file (or stdin for "-") as text; invalid UTF-8 is replaced, with a warning.
pub fn read_text(
    path: &Path,
    stdin: &mut dyn BufRead,
    err: &mut dyn Write,
) -> Result<String, Failure> {
    let bytes = if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(stdin, &mut buf)
            .map_err(|e| Failure::usage(format!("timeline: cannot read standard input: {e}")))?;
        buf
    } else {
        std::fs::read(path)
            .map_err(|e| Failure::usage(format!("timeline: cannot read {}: {e}", path.display())))?
    };
    Ok(match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => {
            let _ = writeln!(
                err,
                "timeline: {}: invalid UTF-8 at byte {}; replaced with U+FFFD",
                path.display(),
                e.utf8_error().valid_up_to()
            );
            String::from_utf8_lossy(e.as_bytes()).into_owned()
        }
    })
}

/// `timeline extract`.
pub fn extract(
    opts: &ExtractOptions,
    stdin: &mut dyn BufRead,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), Failure> {
    let flag_dct = match &opts.dct {
        Some(s) => {
            Some(dct::parse(s).map_err(|e| Failure::usage(format!("timeline: --dct: {e}")))?)
        }
        None => None,
    };
    let inputs: Vec<PathBuf> = if opts.inputs.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        opts.inputs.clone()
    };
    let mut extractor = Extractor::default();
    let mut writer = Writer::new(opts.format, opts.offsets);
    let mut bad_lines = 0usize;
    for path in &inputs {
        match opts.input {
            InputFormat::Text => {
                let text = read_text(path, stdin, err)?;
                let (dct, source) = match flag_dct {
                    Some(t) => (t, Source::Flag),
                    None => dct::detect(&text, opts.today),
                };
                let _ = writeln!(
                    err,
                    "timeline: {}: reference date {} from {source}",
                    path.display(),
                    format_dct(dct)
                );
                let doc = Doc {
                    name: path.display().to_string(),
                    dct,
                    text,
                };
                let found = extractor.extract(&doc.text, doc.dct);
                writer.write(&doc, &found, out)?;
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
                let mut line = Vec::new();
                let mut n = 0usize;
                loop {
                    line.clear();
                    let read = reader.read_until(b'\n', &mut line).map_err(|e| {
                        Failure::usage(format!("timeline: cannot read {}: {e}", path.display()))
                    })?;
                    if read == 0 {
                        break;
                    }
                    n += 1;
                    if line.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    match parse_jsonl_line(&line, flag_dct, opts.today) {
                        Ok(doc) => {
                            let found = extractor.extract(&doc.text, doc.dct);
                            writer.write(&doc, &found, out)?;
                        }
                        Err(e) => {
                            bad_lines += 1;
                            let _ = writeln!(err, "timeline: {}:{n}: {e}", path.display());
                        }
                    }
                }
            }
        }
    }
    writer.finish(out)?;
    if bad_lines > 0 {
        return Err(Failure {
            message: format!("timeline: {bad_lines} input line(s) skipped"),
            code: 1,
        });
    }
    Ok(())
}

fn parse_jsonl_line(
    line: &[u8],
    flag_dct: Option<NaiveDateTime>,
    today: NaiveDateTime,
) -> Result<Doc, String> {
    #[derive(serde::Deserialize)]
    struct Line {
        doc: Option<serde_json::Value>,
        dct: Option<String>,
        text: String,
    }
    // Lines are nearly always valid UTF-8: borrow them then, and copy only
    // to replace invalid bytes (which the lossy conversion checks for anyway).
    let line = match std::str::from_utf8(line) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(line),
    };
    let parsed: Line =
        serde_json::from_str(&line).map_err(|e| format!("not a document line: {e}"))?;
    let name = match parsed.doc {
        Some(serde_json::Value::String(s)) => s,
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let dct = match (flag_dct, &parsed.dct) {
        (Some(t), _) => t,
        (None, Some(s)) => dct::parse(s).map_err(|e| format!("dct: {e}"))?,
        (None, None) => dct::detect(&parsed.text, today).0,
    };
    Ok(Doc {
        name,
        dct,
        text: parsed.text,
    })
}

/// Writes results in the chosen format, streaming where the format allows.
struct Writer {
    format: OutputFormat,
    offsets: Offsets,
    first: bool,
    /// One document's JSON, reused across documents: serde writes many small
    /// pieces, which cost a dynamic call each on `out` but are plain copies
    /// into a `Vec`, and the whole record then goes out in one call.
    buf: Vec<u8>,
}

impl Writer {
    fn new(format: OutputFormat, offsets: Offsets) -> Writer {
        Writer {
            format,
            offsets,
            first: true,
            buf: Vec::new(),
        }
    }

    fn write(&mut self, doc: &Doc, found: &[Timex], out: &mut dyn Write) -> Result<(), Failure> {
        let io = |e: std::io::Error| Failure {
            message: format!("timeline: cannot write output: {e}"),
            code: 1,
        };
        match self.format {
            OutputFormat::Jsonl | OutputFormat::Json => {
                let record = DocOut {
                    doc: &doc.name,
                    dct: format_dct(doc.dct),
                    timexes: offsets(&doc.text, found, self.offsets),
                };
                let buf = &mut self.buf;
                buf.clear();
                if self.format == OutputFormat::Json {
                    buf.extend_from_slice(if self.first { b"[\n" } else { b",\n" });
                    serde_json::to_writer_pretty(&mut *buf, &record).map_err(|e| io(e.into()))?;
                } else {
                    serde_json::to_writer(&mut *buf, &record).map_err(|e| io(e.into()))?;
                    buf.push(b'\n');
                }
                out.write_all(buf).map_err(io)?;
            }
            OutputFormat::Timeml => {
                let xml = timeml::write(&doc.name, &format_dct(doc.dct), &doc.text, found);
                out.write_all(xml.as_bytes()).map_err(io)?;
            }
            OutputFormat::Table => {
                let mut s = String::new();
                if !self.first {
                    s.push('\n');
                }
                let _ = writeln!(s, "{} (reference date {})", doc.name, format_dct(doc.dct));
                s.push_str(&table(&doc.text, found));
                s.push('\n');
                out.write_all(s.as_bytes()).map_err(io)?;
            }
        }
        self.first = false;
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write) -> Result<(), Failure> {
        if self.format == OutputFormat::Json {
            let text: &[u8] = if self.first { b"[]\n" } else { b"\n]\n" };
            out.write_all(text).map_err(|e| Failure {
                message: format!("timeline: cannot write output: {e}"),
                code: 1,
            })?;
        }
        out.flush().map_err(|e| Failure {
            message: format!("timeline: cannot write output: {e}"),
            code: 1,
        })
    }
}

/// Timexes with offsets in the requested unit; one pass over the text.
fn offsets<'a>(text: &str, found: &'a [Timex], unit: Offsets) -> Vec<TimexOut<'a>> {
    match unit {
        Offsets::Bytes => found
            .iter()
            .map(|t| TimexOut::new(t, t.start, t.end))
            .collect(),
        Offsets::Chars => {
            let mut byte = 0;
            let mut chars = 0;
            let mut to_chars = |target: usize| {
                if target >= byte {
                    chars += text[byte..target].chars().count();
                } else {
                    chars -= text[target..byte].chars().count();
                }
                byte = target;
                chars
            };
            found
                .iter()
                .map(|t| {
                    let start = to_chars(t.start);
                    let end = to_chars(t.end);
                    TimexOut::new(t, start, end)
                })
                .collect()
        }
    }
}

/// The sentence around a timex, shortened for a table cell.
fn context(text: &str, t: &Timex) -> String {
    let before = &text[..t.start];
    let after = &text[t.end..];
    let from = before
        .rfind(['\n', '.', '!', '?'])
        .map_or(0, |k| k + 1)
        .max(floor_char(text, t.start.saturating_sub(60)));
    let to = t.end
        + after
            .find(['\n', '!', '?'])
            .unwrap_or(after.len())
            .min(ceil_char(after, 60));
    let snippet = format!(
        "{}[{}]{}",
        text[from..t.start].trim_start(),
        &text[t.start..t.end],
        text[t.end..to].trim_end()
    );
    snippet.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn floor_char(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_char(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

fn table(text: &str, found: &[Timex]) -> String {
    let mut table = Table::new();
    table
        .load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(vec!["text", "type", "value", "resolved", "context"]);
    for t in found {
        let mut value = t.value.clone();
        if let Some(m) = t.modifier {
            let _ = write!(value, " ({m})");
        }
        let resolved = match &t.interval {
            Some(i) => describe_interval(i.start, i.end),
            None => String::new(),
        };
        table.add_row(vec![
            t.text.clone(),
            t.kind.to_string(),
            value,
            resolved,
            context(text, t),
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

/// Options of `timeline eval`.
pub struct EvalOptions {
    pub gold: PathBuf,
    pub errors: usize,
    pub json: bool,
}

/// `timeline eval`: scores the engine on every TimeML file under a folder.
pub fn eval(opts: &EvalOptions, out: &mut dyn Write) -> Result<(), Failure> {
    let mut files = Vec::new();
    collect_tml(&opts.gold, &mut files).map_err(|e| {
        Failure::usage(format!(
            "timeline: cannot read {}: {e}",
            opts.gold.display()
        ))
    })?;
    if files.is_empty() {
        return Err(Failure::usage(format!(
            "timeline: no .tml files under {}",
            opts.gold.display()
        )));
    }
    let mut extractor = Extractor::default();
    let mut total = Counts::default();
    let mut errors: Vec<(String, String, eval::Error)> = Vec::new();
    for file in &files {
        let xml = std::fs::read(file).map_err(|e| {
            Failure::usage(format!("timeline: cannot read {}: {e}", file.display()))
        })?;
        let xml = String::from_utf8_lossy(&xml);
        let id = file
            .file_stem()
            .map_or(String::new(), |s| s.to_string_lossy().into_owned());
        let doc = timeml::parse(&id, &xml)
            .map_err(|e| Failure::usage(format!("timeline: {}: {e}", file.display())))?;
        let dct_text = doc.dct.clone().ok_or_else(|| {
            Failure::usage(format!(
                "timeline: {}: no document creation time",
                file.display()
            ))
        })?;
        let dct = dct::parse(&dct_text)
            .map_err(|e| Failure::usage(format!("timeline: {}: DCT: {e}", file.display())))?;
        let gold: Vec<Span> = doc
            .gold
            .iter()
            .map(|g| Span {
                start: g.start,
                end: g.end,
                kind: g.kind.clone(),
                value: g.value.clone(),
            })
            .collect();
        let system: Vec<Span> = extractor
            .extract(&doc.text, dct)
            .into_iter()
            .map(|t| Span {
                start: t.start,
                end: t.end,
                kind: t.kind.to_string(),
                value: t.value,
            })
            .collect();
        let (counts, errs) = eval::score_document(&gold, &system);
        total.add(&counts);
        if errors.len() < opts.errors * 3 {
            for e in errs {
                errors.push((id.clone(), doc.text.clone(), e));
            }
        }
    }
    let io = |e: std::io::Error| Failure {
        message: format!("timeline: cannot write output: {e}"),
        code: 1,
    };
    let (s, r) = (total.strict(), total.relaxed());
    if opts.json {
        let v = serde_json::json!({
            "docs": total.docs, "gold": total.gold, "system": total.system,
            "strict": {"p": s.p, "r": s.r, "f1": s.f1},
            "relaxed": {"p": r.p, "r": r.r, "f1": r.f1},
            "type": {"accuracy": total.accuracy(total.type_ok), "f1": total.attribute_f1(total.type_ok)},
            "value": {"accuracy": total.accuracy(total.value_ok), "f1": total.attribute_f1(total.value_ok)},
        });
        writeln!(out, "{v}").map_err(io)?;
    } else {
        let mut t = String::new();
        let _ = writeln!(
            t,
            "{} documents, {} gold timexes, {} system timexes",
            total.docs, total.gold, total.system
        );
        let _ = writeln!(t, "           precision  recall     F1");
        let _ = writeln!(t, "strict     {:9.4}  {:6.4}  {:6.4}", s.p, s.r, s.f1);
        let _ = writeln!(t, "relaxed    {:9.4}  {:6.4}  {:6.4}", r.p, r.r, r.f1);
        let _ = writeln!(
            t,
            "type       accuracy {:.4}  F1 {:.4}",
            total.accuracy(total.type_ok),
            total.attribute_f1(total.type_ok)
        );
        let _ = writeln!(
            t,
            "value      accuracy {:.4}  F1 {:.4}",
            total.accuracy(total.value_ok),
            total.attribute_f1(total.value_ok)
        );
        out.write_all(t.as_bytes()).map_err(io)?;
        if opts.errors > 0 {
            write_errors(&errors, opts.errors, out).map_err(io)?;
        }
    }
    Ok(())
}

fn write_errors(
    errors: &[(String, String, eval::Error)],
    n: usize,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let snippet = |text: &str, s: &Span| {
        let from = floor_char(text, s.start.saturating_sub(40));
        let to = ceil_char(text, s.end + 40);
        let raw = format!(
            "{}[[{}]]{}",
            &text[from..s.start],
            &text[s.start..s.end],
            &text[s.end..to]
        );
        raw.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    type Filter = fn(&eval::Error) -> bool;
    let sections: [(&str, Filter); 3] = [
        ("missed", |e| matches!(e, eval::Error::Missed(_))),
        ("spurious", |e| matches!(e, eval::Error::Spurious(_))),
        ("wrong", |e| matches!(e, eval::Error::Wrong { .. })),
    ];
    for (title, is) in sections {
        writeln!(out, "\n{title}:")?;
        for (doc, text, e) in errors.iter().filter(|(_, _, e)| is(e)).take(n) {
            match e {
                eval::Error::Missed(g) => writeln!(
                    out,
                    "  {doc}: {} {} | {}",
                    g.kind,
                    g.value,
                    snippet(text, g)
                )?,
                eval::Error::Spurious(s) => writeln!(
                    out,
                    "  {doc}: {} {} | {}",
                    s.kind,
                    s.value,
                    snippet(text, s)
                )?,
                eval::Error::Wrong { gold, system } => writeln!(
                    out,
                    "  {doc}: gold {} {} {:?} / system {} {} {:?} | {}",
                    gold.kind,
                    gold.value,
                    &text[gold.start..gold.end],
                    system.kind,
                    system.value,
                    &text[system.start..system.end],
                    snippet(text, gold)
                )?,
            }
        }
    }
    Ok(())
}

fn collect_tml(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    if dir.is_file() {
        out.push(dir.to_path_buf());
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect_tml(&p, out)?;
        } else if p.extension().is_some_and(|e| e == "tml")
            && !p
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("._"))
        {
            out.push(p);
        }
    }
    Ok(())
}
