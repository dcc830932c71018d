//! End-to-end tests of the `timeline` binary: they run the built executable
//! with `std::process::Command` and check what it writes and how it exits.

mod common;

use std::path::Path;
use std::process::Output;

use common::binary::*;
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

/// A document of thousands of dates is drawn as tables of a thousand rows,
/// each under its header, so drawing it never holds the whole table.
#[test]
fn a_long_table_is_drawn_in_sections_with_every_row() {
    let text = "The fair opens Monday. ".repeat(2500);
    for input in ["document", "jsonl"] {
        let (args, stdin) = if input == "document" {
            (vec!["extract", "-", "--dct", "2014-10-14"], text.clone())
        } else {
            let line = serde_json::json!({"doc": "fair", "dct": "2014-10-14", "text": text});
            (
                vec!["extract", "--input-format", "jsonl", "-"],
                format!("{line}\n"),
            )
        };
        let out = run(&args, Some(stdin.as_bytes()));
        assert_code(&out, 0);
        let table = stdout(&out);
        let rows = table.lines().filter(|l| l.starts_with("│ Monday")).count();
        let headers = table.lines().filter(|l| l.starts_with("│ text")).count();
        assert_eq!((rows, headers), (2500, 3), "{input}");
        assert_eq!(
            table.matches("reference date 2014-10-14").count(),
            1,
            "{input}"
        );
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
