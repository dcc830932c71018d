//! End-to-end tests of the `timeline` binary: they run the built executable
//! with `std::process::Command` and check what it writes and how it exits.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

/// The bundled example and the reference date its expectations assume.
const VIENNA: &str = "examples/vienna-talks.txt";
const VIENNA_DCT: &str = "2014-10-14";

/// Timexes every run on the Vienna example must contain: (text, type, value).
const VIENNA_EXPECTED: [(&str, &str, &str); 5] = [
    ("Tuesday", "DATE", "2014-10-14"),
    ("three hours", "DURATION", "PT3H"),
    ("Wednesday", "DATE", "2014-10-15"),
    ("Nov. 24", "DATE", "2014-11-24"),
    ("seven months", "DURATION", "P7M"),
];

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the binary from the crate root with `args`, feeding `stdin` (or
/// nothing) on standard input.
fn run<S: AsRef<std::ffi::OsStr>>(args: &[S], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_timeline"))
        .args(args)
        .current_dir(manifest_dir())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn timeline");
    let mut pipe = child.stdin.take().expect("stdin pipe");
    let input = stdin.map(<[u8]>::to_vec).unwrap_or_default();
    // Write from another thread so a large input cannot deadlock against a
    // full stdout pipe.
    let writer = std::thread::spawn(move || {
        let _ = pipe.write_all(&input);
        // Dropping `pipe` closes standard input.
    });
    let out = child.wait_with_output().expect("wait for timeline");
    writer.join().expect("stdin writer thread");
    out
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn code(out: &Output) -> i32 {
    out.status.code().expect("exited with a code, not a signal")
}

/// Asserts the run exited with `want`, showing the streams if not.
fn assert_code(out: &Output, want: i32) {
    assert_eq!(
        code(out),
        want,
        "unexpected exit code\n--- stderr ---\n{}\n--- stdout (first 2000 bytes) ---\n{}",
        stderr(out),
        String::from_utf8_lossy(&out.stdout[..out.stdout.len().min(2000)])
    );
}

/// Asserts the process did not panic and exited 0, or 2 (usage error).
fn assert_no_panic(out: &Output, what: &str) {
    let err = stderr(out);
    assert!(
        !err.contains("panicked"),
        "{what}: the binary panicked:\n{err}"
    );
    let c = code(out);
    assert!(
        c == 0 || c == 2,
        "{what}: exit code {c} (expected 0, or 2 for a usage error); stderr:\n{err}"
    );
}

/// The (text, type, value) triples of a document record.
fn triples(record: &Value) -> Vec<(String, String, String)> {
    record["timexes"]
        .as_array()
        .expect("timexes is an array")
        .iter()
        .map(|t| {
            let field = |k: &str| {
                t[k].as_str()
                    .unwrap_or_else(|| panic!("timex field {k:?} is not a string: {t}"))
                    .to_string()
            };
            (field("text"), field("type"), field("value"))
        })
        .collect()
}

fn assert_has_vienna_timexes(record: &Value) {
    let found = triples(record);
    for (text, kind, value) in VIENNA_EXPECTED {
        assert!(
            found
                .iter()
                .any(|(t, k, v)| t == text && k == kind && v == value),
            "missing ({text:?}, {kind:?}, {value:?}); found {found:#?}"
        );
    }
}

/// Keys that occur twice in one JSON object, anywhere in the
/// JSON text `raw`. serde_json's `Value` silently keeps the last of duplicate
/// keys, so duplicates are looked for in the text itself.
fn duplicate_keys(raw: &str) -> Vec<String> {
    // A tiny JSON scanner: tracks a stack of objects, each with its keys.
    let bytes = raw.as_bytes();
    let mut stack: Vec<(bool, Vec<String>)> = Vec::new(); // (is_object, keys)
    let mut dups = Vec::new();
    let mut i = 0;
    // Whether the next string in the current object is a key.
    let mut expect_key = false;
    while i < bytes.len() {
        match bytes[i] {
            b'{' => {
                stack.push((true, Vec::new()));
                expect_key = true;
            }
            b'[' => {
                stack.push((false, Vec::new()));
                expect_key = false;
            }
            b'}' | b']' => {
                stack.pop();
                expect_key = false;
            }
            b',' => expect_key = stack.last().is_some_and(|(obj, _)| *obj),
            b':' => expect_key = false,
            b'"' => {
                let start = i + 1;
                i += 1;
                while bytes[i] != b'"' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                if expect_key {
                    let key = raw[start..i].to_string();
                    let keys = &mut stack.last_mut().expect("key inside an object").1;
                    if keys.contains(&key) {
                        dups.push(key);
                    } else {
                        keys.push(key);
                    }
                    expect_key = false;
                }
            }
            _ => {}
        }
        i += 1;
    }
    dups
}

/// Undoes `timeml::escape`.
fn unescape_xml(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// The content of `<TEXT>…</TEXT>` with every tag removed and entities decoded.
fn timeml_plain_text(xml: &str) -> String {
    let from = xml.find("<TEXT>").expect("<TEXT> in TimeML output") + "<TEXT>".len();
    let to = xml.rfind("</TEXT>").expect("</TEXT> in TimeML output");
    let mut plain = String::new();
    let mut in_tag = false;
    for c in xml[from..to].chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => plain.push(c),
            _ => {}
        }
    }
    unescape_xml(&plain)
}

fn vienna_text() -> Vec<u8> {
    std::fs::read(manifest_dir().join(VIENNA)).expect("read the Vienna example")
}

fn extract_vienna(format: &str) -> Output {
    let out = run(
        &["extract", VIENNA, "--dct", VIENNA_DCT, "--format", format],
        None,
    );
    assert_code(&out, 0);
    out
}

/// Deterministic pseudo-random bytes (xorshift64*).
fn pseudo_random_bytes(n: usize, mut seed: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(n + 8);
    while out.len() < n {
        seed ^= seed >> 12;
        seed ^= seed << 25;
        seed ^= seed >> 27;
        out.extend_from_slice(&seed.wrapping_mul(0x2545_F491_4F6C_DD1D).to_le_bytes());
    }
    out.truncate(n);
    out
}

// ---------------------------------------------------------------------------
// 1. The bundled example in every output format
// ---------------------------------------------------------------------------

#[test]
fn vienna_jsonl_has_expected_timexes_and_byte_offsets() {
    let out = extract_vienna("jsonl");
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1, "one document, one line:\n{text}");
    let record: Value = serde_json::from_str(lines[0]).expect("the line is JSON");
    assert_eq!(record["doc"], VIENNA);
    assert_eq!(record["dct"], VIENNA_DCT);
    assert_has_vienna_timexes(&record);

    let input = vienna_text();
    for t in record["timexes"].as_array().unwrap() {
        let start = t["start"].as_u64().expect("start is a number") as usize;
        let end = t["end"].as_u64().expect("end is a number") as usize;
        assert!(
            start < end && end <= input.len(),
            "offsets out of range: {t}"
        );
        assert_eq!(
            std::str::from_utf8(&input[start..end]).expect("offsets on char boundaries"),
            t["text"].as_str().unwrap(),
            "input bytes [{start}..{end}] differ from the timex text: {t}"
        );
    }
}

#[test]
fn vienna_json_is_an_array_of_one_document() {
    let out = extract_vienna("json");
    let v: Value = serde_json::from_str(&stdout(&out)).expect("stdout is one JSON value");
    let docs = v.as_array().expect("a JSON array");
    assert_eq!(docs.len(), 1, "one document: {v:#}");
    assert_eq!(docs[0]["doc"], VIENNA);
    assert_eq!(docs[0]["dct"], VIENNA_DCT);
    assert_has_vienna_timexes(&docs[0]);

    // The same timexes as the jsonl output.
    let jsonl: Value =
        serde_json::from_str(stdout(&extract_vienna("jsonl")).trim()).expect("jsonl line is JSON");
    assert_eq!(triples(&docs[0]), triples(&jsonl));
}

#[test]
fn vienna_table_shows_values_and_header() {
    let out = extract_vienna("table");
    let text = stdout(&out);
    for needle in [
        "PT3H",
        "2014-11-24",
        "P7M",
        "text",
        "type",
        "value",
        "resolved",
        "context",
        "reference date 2014-10-14",
    ] {
        assert!(text.contains(needle), "table lacks {needle:?}:\n{text}");
    }
}

#[test]
fn vienna_timeml_tags_timexes_and_keeps_text() {
    let out = extract_vienna("timeml");
    let xml = stdout(&out);
    assert!(xml.contains("<TIMEX3 tid="), "no TIMEX3 tags:\n{xml}");
    assert!(
        xml.contains(r#"value="2014-11-24">Nov. 24</TIMEX3>"#),
        "Nov. 24 not tagged 2014-11-24:\n{xml}"
    );
    assert!(
        xml.contains(r#"type="DURATION" value="PT3H">three hours</TIMEX3>"#),
        "three hours not tagged PT3H:\n{xml}"
    );
    let dct_from = xml.find("<DCT>").expect("a <DCT> element");
    let dct_to = xml.find("</DCT>").expect("a </DCT> end tag");
    let dct = &xml[dct_from..dct_to];
    assert!(
        dct.contains(r#"functionInDocument="CREATION_TIME""#)
            && dct.contains(r#"value="2014-10-14""#),
        "DCT element is not a CREATION_TIME TIMEX3 valued 2014-10-14: {dct}"
    );
    let input = String::from_utf8(vienna_text()).unwrap();
    assert_eq!(
        timeml_plain_text(&xml),
        input,
        "stripping the tags does not give back the input"
    );
}

#[test]
fn vienna_stderr_names_dct_flag_as_source() {
    for format in ["table", "json", "jsonl", "timeml"] {
        let out = extract_vienna(format);
        let err = stderr(&out);
        assert!(
            err.contains("reference date 2014-10-14 from --dct"),
            "{format}: stderr does not say the date came from --dct:\n{err}"
        );
        assert!(
            !stdout(&out).contains("from --dct"),
            "{format}: the diagnostic leaked into stdout"
        );
    }
}

#[test]
fn json_objects_have_no_duplicate_keys() {
    // serde_json (and Python's json) keep the last of duplicate keys, so a
    // record with "start" twice silently loses one of the two values.
    for args in [
        vec!["--format", "jsonl"],
        vec!["--format", "json"],
        vec!["--format", "jsonl", "--offsets", "chars"],
    ] {
        let mut all = vec!["extract", VIENNA, "--dct", VIENNA_DCT];
        all.extend(&args);
        let out = run(&all, None);
        assert_code(&out, 0);
        let dups = duplicate_keys(&stdout(&out));
        assert!(
            dups.is_empty(),
            "{args:?}: JSON objects repeat keys {:?} (first few of {})",
            &dups[..dups.len().min(6)],
            dups.len()
        );
    }
}

#[test]
fn timeml_output_round_trips_through_eval() {
    let dir = common::scratch("cli", "timeml_round_trip");
    let out = extract_vienna("timeml");
    dir.file("vienna.tml", &out.stdout);
    let out = run(&[Path::new("eval"), dir.path(), Path::new("--json")], None);
    assert_code(&out, 0);
    let v: Value = serde_json::from_str(&stdout(&out)).expect("eval --json prints JSON");
    assert_eq!(v["docs"], 1);
    assert_eq!(v["gold"], v["system"], "{v}");
    for key in ["strict", "relaxed", "value"] {
        assert_eq!(v[key]["f1"].as_f64(), Some(1.0), "{key} F1: {v}");
    }
}

// ---------------------------------------------------------------------------
// 2. Character offsets
// ---------------------------------------------------------------------------

#[test]
fn char_offsets_count_code_points() {
    let text = "Zürich café, Oct. 14 — Talks résumé on Friday.";
    let out = run(
        &[
            "extract",
            "--dct",
            "2014-10-14",
            "--format",
            "jsonl",
            "--offsets",
            "chars",
        ],
        Some(text.as_bytes()),
    );
    assert_code(&out, 0);
    let record: Value = serde_json::from_str(stdout(&out).trim()).expect("jsonl line");
    let chars: Vec<char> = text.chars().collect();
    let timexes = record["timexes"].as_array().unwrap();
    let texts: Vec<&str> = timexes
        .iter()
        .map(|t| t["text"].as_str().unwrap())
        .collect();
    assert!(texts.contains(&"Oct. 14"), "Oct. 14 not found: {record}");
    assert!(texts.contains(&"Friday"), "Friday not found: {record}");
    for t in timexes {
        let start = t["start"].as_u64().unwrap() as usize;
        let end = t["end"].as_u64().unwrap() as usize;
        assert!(
            start < end && end <= chars.len(),
            "char offsets out of range: {t}"
        );
        let span: String = chars[start..end].iter().collect();
        assert_eq!(
            span,
            t["text"].as_str().unwrap(),
            "code points [{start}..{end}] differ from the timex text: {t}"
        );
    }
    // Spelled out, for the first one: "Zürich café, " is 13 code points.
    let oct = timexes.iter().find(|t| t["text"] == "Oct. 14").unwrap();
    assert_eq!(
        (oct["start"].as_u64(), oct["end"].as_u64()),
        (Some(13), Some(20)),
        "{oct}"
    );
}

// ---------------------------------------------------------------------------
// 3. JSONL input
// ---------------------------------------------------------------------------

#[test]
fn jsonl_input_answers_a_bad_line_with_an_error_record() {
    let input = concat!(
        r#"{"doc":"a","dct":"2014-10-14","text":"The talks resumed on Tuesday."}"#,
        "\n",
        "{this is not json\n",
        r#"{"doc":"c","dct":"2014-10-14","text":"They will meet again on Wednesday."}"#,
        "\n",
    );
    let out = run(
        &["extract", "--input", "jsonl", "--format", "jsonl"],
        Some(input.as_bytes()),
    );
    // Every line is answered, so the job succeeds and the output lines up
    // with the input.
    assert_code(&out, 0);
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "one record a line:\n{text}");
    let a: Value = serde_json::from_str(lines[0]).unwrap();
    let bad: Value = serde_json::from_str(lines[1]).unwrap();
    assert_eq!((&bad["doc"], &bad["line"]), (&Value::Null, &2.into()));
    let c: Value = serde_json::from_str(lines[2]).unwrap();
    assert_eq!(a["doc"], "a");
    assert_eq!(c["doc"], "c");
    assert_eq!(a["dct"], "2014-10-14");
    assert!(
        triples(&a).contains(&("Tuesday".into(), "DATE".into(), "2014-10-14".into())),
        "{a}"
    );
    assert!(
        triples(&c).contains(&("Wednesday".into(), "DATE".into(), "2014-10-15".into())),
        "{c}"
    );
    let err = stderr(&out);
    assert!(err.contains("-:2:"), "stderr does not name line 2:\n{err}");
    assert!(
        !err.contains("-:1:") && !err.contains("-:3:"),
        "good lines reported:\n{err}"
    );
    assert!(
        err.contains("1 input line(s) answered with an error record"),
        "no summary:\n{err}"
    );
}

#[test]
fn jsonl_input_reports_invalid_dct_line() {
    let input = concat!(
        r#"{"doc":"a","dct":"2014-10-14","text":"On Tuesday."}"#,
        "\n",
        r#"{"doc":"b","dct":"2014-10-14","text":"On Wednesday."}"#,
        "\n",
        r#"{"doc":"c","dct":"2014-02-30","text":"On Friday."}"#,
        "\n",
    );
    let out = run(
        &["extract", "--input", "jsonl", "--format", "jsonl"],
        Some(input.as_bytes()),
    );
    assert_code(&out, 0);
    let text = stdout(&out);
    let docs: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(docs.len(), 3, "{text}");
    assert_eq!(docs[0]["doc"], "a");
    assert_eq!(docs[1]["doc"], "b");
    assert_eq!(
        (&docs[2]["doc"], &docs[2]["line"]),
        (&"c".into(), &3.into())
    );
    assert!(docs[2]["error"].as_str().unwrap().contains("2014-02-30"));
    let err = stderr(&out);
    let line3 = err
        .lines()
        .find(|l| l.contains("-:3:"))
        .unwrap_or_else(|| panic!("stderr does not name line 3:\n{err}"));
    assert!(
        line3.contains("dct") && line3.contains("2014-02-30"),
        "line 3 report does not mention the bad dct: {line3}"
    );
}

// ---------------------------------------------------------------------------
// 4. Errors
// ---------------------------------------------------------------------------

#[test]
fn missing_file_exits_2_with_one_line() {
    let dir = common::scratch("cli", "missing_file");
    let missing = dir.path().join("no-such-file.txt");
    let out = run(&[Path::new("extract"), &missing], None);
    assert_code(&out, 2);
    let err = stderr(&out);
    assert_eq!(err.trim_end().lines().count(), 1, "not one line:\n{err}");
    assert!(
        err.contains(&*missing.to_string_lossy()),
        "stderr does not name the file:\n{err}"
    );
    assert!(out.stdout.is_empty(), "stdout not empty: {}", stdout(&out));
}

#[test]
fn invalid_dct_flag_exits_2() {
    let out = run(&["extract", VIENNA, "--dct", "2014-02-30"], None);
    assert_code(&out, 2);
    let err = stderr(&out);
    assert!(
        err.contains("--dct"),
        "stderr does not mention --dct:\n{err}"
    );
    assert!(
        err.contains("2014-02-30"),
        "stderr does not quote the date:\n{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn invalid_utf8_file_is_warned_and_still_extracted() {
    let dir = common::scratch("cli", "invalid_utf8");
    let file = dir.file("bad.txt", b"On Friday \xff\xfe the talks");
    let out = run(
        &[
            Path::new("extract"),
            &file,
            Path::new("--dct"),
            Path::new("2014-10-14"),
            Path::new("--format"),
            Path::new("jsonl"),
        ],
        None,
    );
    assert_code(&out, 0);
    let err = stderr(&out);
    assert!(err.contains("invalid UTF-8"), "no warning:\n{err}");
    let record: Value = serde_json::from_str(stdout(&out).trim()).expect("jsonl line");
    let found = triples(&record);
    assert!(
        found.iter().any(|(t, k, _)| t == "Friday" && k == "DATE"),
        "Friday not found: {record}"
    );
}

// ---------------------------------------------------------------------------
// 5. Reference date detection
// ---------------------------------------------------------------------------

#[test]
fn dct_from_email_date_header() {
    let dir = common::scratch("cli", "dct_email");
    let file = dir.file(
        "mail.txt",
        b"Date: Mon, 3 Nov 2014 09:15:00 +0100\nFrom: a@example.org\nSubject: talks\n\nSee you on Friday.\n",
    );
    let out = run(
        &[
            Path::new("extract"),
            &file,
            Path::new("--format"),
            Path::new("jsonl"),
        ],
        None,
    );
    assert_code(&out, 0);
    let err = stderr(&out);
    assert!(
        err.contains("Date: header"),
        "stderr does not mention the Date: header:\n{err}"
    );
    let record: Value = serde_json::from_str(stdout(&out).trim()).expect("jsonl line");
    assert_eq!(record["dct"], "2014-11-03T09:15", "{record}");
}

#[test]
fn dct_from_front_matter() {
    let dir = common::scratch("cli", "dct_front_matter");
    let file = dir.file(
        "post.md",
        b"---\npublished: 2015-03-02\n---\nThe talks resumed yesterday.\n",
    );
    let out = run(
        &[
            Path::new("extract"),
            &file,
            Path::new("--format"),
            Path::new("jsonl"),
        ],
        None,
    );
    assert_code(&out, 0);
    let err = stderr(&out);
    assert!(
        err.contains("front matter"),
        "stderr does not mention the front matter:\n{err}"
    );
    let record: Value = serde_json::from_str(stdout(&out).trim()).expect("jsonl line");
    assert_eq!(record["dct"], "2015-03-02", "{record}");
    assert!(
        triples(&record).contains(&("yesterday".into(), "DATE".into(), "2015-03-01".into())),
        "{record}"
    );
}

// ---------------------------------------------------------------------------
// 6. Odd input never panics
// ---------------------------------------------------------------------------

#[test]
fn empty_stdin_does_not_panic() {
    for format in ["table", "json", "jsonl", "timeml"] {
        for input in ["text", "jsonl"] {
            let out = run(
                &[
                    "extract",
                    "--dct",
                    "2014-10-14",
                    "--input",
                    input,
                    "--format",
                    format,
                ],
                Some(b""),
            );
            assert_no_panic(
                &out,
                &format!("empty stdin, --input {input} --format {format}"),
            );
            assert_code(&out, 0);
        }
    }
    // JSON output of nothing is still a JSON array.
    let out = run(
        &["extract", "--input", "jsonl", "--format", "json"],
        Some(b""),
    );
    let v: Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    assert_eq!(v, Value::Array(vec![]));
}

#[test]
fn binary_blob_is_refused_without_panic() {
    let dir = common::scratch("cli", "binary_blob");
    let blob = dir.file(
        "blob.bin",
        pseudo_random_bytes(64 * 1024, 0x5EED_1234_ABCD_0001),
    );
    for format in ["table", "json", "jsonl", "timeml"] {
        for offsets in ["bytes", "chars"] {
            let out = run(
                &[
                    Path::new("extract"),
                    &blob,
                    Path::new("--dct"),
                    Path::new("2014-10-14"),
                    Path::new("--format"),
                    Path::new(format),
                    Path::new("--offsets"),
                    Path::new(offsets),
                ],
                None,
            );
            assert_no_panic(
                &out,
                &format!("binary blob, --format {format} --offsets {offsets}"),
            );
            // Binary bytes are never tagged: a one-line refusal naming the file.
            assert_code(&out, 2);
            let err = stderr(&out);
            assert!(err.contains("blob.bin") && err.contains("binary"), "{err}");
            assert!(out.stdout.is_empty(), "binary input printed output");
        }
    }
    // The same bytes as a JSONL stream: every line is malformed, so exit 1
    // (partial failure), but no panic.
    let bytes = pseudo_random_bytes(64 * 1024, 0x5EED_1234_ABCD_0002);
    let out = run(
        &["extract", "--input", "jsonl", "--format", "jsonl"],
        Some(&bytes),
    );
    let err = stderr(&out);
    assert!(!err.contains("panicked"), "jsonl blob: panicked:\n{err}");
    assert!(
        matches!(code(&out), 0 | 1),
        "jsonl blob: exit {}:\n{err}",
        code(&out)
    );
}

#[test]
fn five_megabyte_line_does_not_panic() {
    const REPEATS: usize = 500_000;
    let line = "word 2014 ".repeat(REPEATS);
    assert_eq!(line.len(), 5_000_000);
    let out = run(
        &["extract", "--dct", "2014-10-14", "--format", "jsonl"],
        Some(line.as_bytes()),
    );
    assert_no_panic(&out, "5 MB line");
    assert_code(&out, 0);
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 1);
    let record: Value = serde_json::from_str(text.trim()).expect("jsonl line");
    let timexes = record["timexes"].as_array().unwrap();
    assert_eq!(timexes.len(), REPEATS, "every 2014 is a year");
    assert!(timexes.iter().all(|t| t["value"] == "2014"));
}

#[test]
fn absurd_dates_do_not_panic() {
    let text = "It was Feb. 30 when they said that in 10,000 years, on the 99999th \
                anniversary, on Feb. 30, 2014, or on the 31st of April 2015, or at 25:61, \
                or on 0000-00-00, or in week 54 of 2014, or 9999999999999999999 years ago, \
                all would be settled.";
    for format in ["table", "json", "jsonl", "timeml"] {
        let out = run(
            &["extract", "--dct", "2014-10-14", "--format", format],
            Some(text.as_bytes()),
        );
        assert_no_panic(&out, &format!("absurd dates, --format {format}"));
        assert_code(&out, 0);
    }
    // Nothing found may carry an impossible calendar date.
    let out = run(
        &["extract", "--dct", "2014-10-14", "--format", "jsonl"],
        Some(text.as_bytes()),
    );
    let record: Value = serde_json::from_str(stdout(&out).trim()).expect("jsonl line");
    for (t, _, v) in triples(&record) {
        for bad in ["-02-30", "-04-31", "-00-00", "-W54"] {
            assert!(!v.contains(bad), "{t:?} resolved to impossible value {v:?}");
        }
    }
}

// ---------------------------------------------------------------------------
// 7. eval
// ---------------------------------------------------------------------------

const TINY_TIMEML: &str = r#"<?xml version="1.0" ?>
<TimeML>
<DOCID>tiny</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="2014-10-14" temporalFunction="false" functionInDocument="CREATION_TIME">2014-10-14</TIMEX3></DCT>
<TEXT>Talks resumed <TIMEX3 tid="t1" type="DATE" value="2014-10-14">Tuesday</TIMEX3> after <TIMEX3 tid="t2" type="DURATION" value="P7M">seven months</TIMEX3>.</TEXT>
</TimeML>
"#;

#[test]
fn eval_tiny_gold_scores_perfectly() {
    let dir = common::scratch("cli", "eval_tiny");
    dir.file("tiny.tml", TINY_TIMEML.as_bytes());
    // Not a .tml file: must be ignored.
    dir.file("notes.txt", b"yesterday");
    let out = run(&[Path::new("eval"), dir.path(), Path::new("--json")], None);
    assert_code(&out, 0);
    let text = stdout(&out);
    let v: Value = serde_json::from_str(&text).expect("eval --json prints one JSON object");
    assert_eq!(v["docs"], 1, "{v}");
    assert_eq!(v["gold"], 2, "{v}");
    assert_eq!(v["system"], 2, "{v}");
    assert_eq!(v["strict"]["f1"].as_f64(), Some(1.0), "strict F1: {v}");
    assert_eq!(v["relaxed"]["f1"].as_f64(), Some(1.0), "relaxed F1: {v}");
    assert_eq!(v["value"]["f1"].as_f64(), Some(1.0), "value F1: {v}");
    assert_eq!(v["type"]["f1"].as_f64(), Some(1.0), "type F1: {v}");

    // The human-readable report says the same.
    let out = run(
        &[
            Path::new("eval"),
            dir.path(),
            Path::new("--errors"),
            Path::new("5"),
        ],
        None,
    );
    assert_code(&out, 0);
    let text = stdout(&out);
    assert!(
        text.contains("1 documents, 2 gold timexes, 2 system timexes"),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("strict") && l.trim_end().ends_with("1.0000")),
        "{text}"
    );
}

#[test]
fn eval_empty_dir_exits_2() {
    let dir = common::scratch("cli", "eval_empty");
    let out = run(&[Path::new("eval"), dir.path()], None);
    assert_code(&out, 2);
    let err = stderr(&out);
    assert!(err.contains("no .tml files"), "{err}");
    assert!(out.stdout.is_empty(), "{}", stdout(&out));
}

#[test]
fn duplicate_keys_helper_finds_repeats() {
    // The checker behind `json_objects_have_no_duplicate_keys` must itself work.
    assert_eq!(
        duplicate_keys(r#"{"a":1,"b":{"a":2,"c":"x\"a\":"},"a":3}"#),
        vec!["a".to_string()]
    );
    assert_eq!(
        duplicate_keys(r#"[{"start":1,"end":2,"start":1}, {"start":5}]"#),
        vec!["start".to_string()]
    );
    assert!(duplicate_keys(r#"[{"a":["a","a"]},{"a":{"a":1}}]"#).is_empty());
}
