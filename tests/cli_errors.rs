//! End-to-end tests of the `timeline` binary on what can go wrong: bad
//! flags and files, reference dates found in the document, and input that
//! must never make it panic.

mod common;

use std::path::Path;

use common::binary::*;
use serde_json::Value;

const VIENNA: &str = "examples/vienna-talks.txt";

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

/// Extracts `content` saved as `name` with no `--dct`: the JSONL record,
/// after checking stderr names `source` as where the date came from.
fn dated_by_itself(test: &str, name: &str, content: &[u8], source: &str) -> Value {
    let dir = common::scratch("cli", test);
    let file = dir.file(name, content);
    let args = [
        Path::new("extract"),
        &file,
        Path::new("--format"),
        Path::new("jsonl"),
    ];
    let out = run(&args, None);
    assert_code(&out, 0);
    let err = stderr(&out);
    assert!(
        err.contains(source),
        "stderr does not mention {source:?}:\n{err}"
    );
    serde_json::from_str(stdout(&out).trim()).expect("jsonl line")
}

#[test]
fn dct_from_email_date_header() {
    let mail = b"Date: Mon, 3 Nov 2014 09:15:00 +0100\nFrom: a@example.org\nSubject: talks\n\nSee you on Friday.\n";
    let record = dated_by_itself("dct_email", "mail.txt", mail, "Date: header");
    assert_eq!(record["dct"], "2014-11-03T09:15", "{record}");
}

#[test]
fn dct_from_front_matter() {
    let post = b"---\npublished: 2015-03-02\n---\nThe talks resumed yesterday.\n";
    let record = dated_by_itself("dct_front_matter", "post.md", post, "front matter");
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
