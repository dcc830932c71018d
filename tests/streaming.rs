//! `timeline extract` reads a plain text in windows of a few MiB, so that
//! memory does not grow with the document; what it writes is what reading
//! the text whole gives, offsets counted from the start of the file.

mod common;

use common::binary::{assert_code, run, stderr, stdout};
use serde_json::Value;
use timeline::document::{self, dct, Format};
use timeline::{Extractor, Timex};

const DCT: &str = "2014-10-14";

/// Sentences of news with dates of every kind, and some without.
const SENTENCES: [&str; 12] = [
    "The talks resume Monday, Nov. 24, in Vienna, officials said Tuesday.",
    "The minister said the deal would be signed within three weeks.",
    "Prices rose 2.1 percent in the third quarter, the agency reported.",
    "A year earlier, on March 3, 2013, the plant was shut for 18 months.",
    "The committee meets every Thursday at 4 p.m. until the end of June.",
    "Négociations à Genève — the café reopens in two weeks, daily at 9:30.",
    "No date was set for the vote.",
    "The following day the court adjourned until Friday morning.",
    "Since 1998 the firm has reported losses in each winter season.",
    "From 2-3pm ET the line was closed; it reopened late Wednesday.",
    "The deadline, Dec. 1, 2014, looms after seven months of dispute.",
    "Officials expect the report by mid-2015 or earlier.",
];

/// About `bytes` of text from a fixed seed: paragraphs of a few sentences
/// between blank lines, with now and then a list of schedule lines.
fn news(bytes: usize, seed: u64) -> String {
    let mut state = seed;
    let mut next = move |n: usize| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as usize % n
    };
    let mut text = String::new();
    while text.len() < bytes {
        if next(9) == 0 {
            text.push_str("Abstracts: April 7\nNotification: May 12\nCamera-ready: May 29\n\n");
            continue;
        }
        for _ in 0..1 + next(5) {
            text.push_str(SENTENCES[next(SENTENCES.len())]);
            text.push(if next(6) == 0 { '\n' } else { ' ' });
        }
        text.push_str("\n\n");
    }
    text
}

/// What reading `bytes` whole as plain text gives: the text as decoded,
/// and its timexes.
fn whole(bytes: &[u8]) -> (String, Vec<Timex>) {
    let doc = document::read(bytes, "doc.txt", Some(Format::Text)).expect("text");
    let dct = dct::parse(DCT).expect("a date");
    let found = Extractor::default().extract_blocks(&doc.text, dct, doc.engine_blocks());
    (doc.text, found)
}

fn extract(path: &std::path::Path, args: &[&str]) -> String {
    let mut all = vec![
        "extract",
        path.to_str().expect("a UTF-8 path"),
        "--dct",
        DCT,
    ];
    all.extend_from_slice(args);
    let out = run(&all, None);
    assert_code(&out, 0);
    stdout(&out)
}

/// The binary's JSON lines record, checked against `found` in `text`:
/// offsets in bytes, or in characters.
fn check_jsonl(line: &str, text: &str, found: &[Timex], chars: bool) {
    let record: Value = serde_json::from_str(line).expect("one JSON record");
    let timexes = record["timexes"].as_array().expect("timexes");
    assert_eq!(timexes.len(), found.len(), "as many timexes as read whole");
    let (mut byte, mut char) = (0, 0);
    let mut at = |to: usize| {
        char += text[byte..to].chars().count();
        byte = to;
        char
    };
    for (got, want) in timexes.iter().zip(found) {
        let (start, end) = match chars {
            true => (at(want.start), at(want.end)),
            false => (want.start, want.end),
        };
        let wanted = (
            start as u64,
            end as u64,
            want.text.as_str(),
            want.value.as_str(),
        );
        let (s, e) = (got["start"].as_u64(), got["end"].as_u64());
        let pair = (
            s.unwrap_or(0),
            e.unwrap_or(0),
            got["text"].as_str().unwrap_or(""),
        );
        assert_eq!(
            (pair.0, pair.1, pair.2, got["value"].as_str().unwrap_or("")),
            wanted
        );
    }
}

/// Every format checked against the text read whole.
fn same_as_whole(bytes: &[u8]) {
    let dir = common::scratch("streaming", "whole");
    let path = dir.file("doc.txt", bytes);
    let (text, found) = whole(bytes);
    assert!(found.len() > 1000, "a text with dates: {}", found.len());
    let lines = extract(&path, &["--format", "jsonl"]);
    check_jsonl(&lines, &text, &found, false);
    let lines = extract(&path, &["--format", "jsonl", "--offsets", "chars"]);
    check_jsonl(&lines, &text, &found, true);
    let name = path.display().to_string();
    let timeml = extract(&path, &["--format", "timeml"]);
    assert!(timeml == timeline::timeml::write(&name, DCT, &text, &found));
}

#[test]
fn a_text_of_many_windows_reads_as_the_whole_text() {
    same_as_whole(news(10_000_000, 1).as_bytes());
}

#[test]
fn one_line_of_megabytes_reads_as_the_whole_line() {
    // No line end at all: windows end where the engine cuts the line into
    // pieces anyway, so no piece differs.
    let line = news(9_000_000, 2).replace('\n', " ");
    same_as_whole(line.as_bytes());
}

#[test]
fn invalid_utf8_in_a_later_window_is_replaced_as_in_the_whole_text() {
    let mut bytes = news(6_000_000, 3).into_bytes();
    let bad = 5_000_000
        + bytes[5_000_000..]
            .iter()
            .position(|&b| b == b' ')
            .expect("a space");
    bytes[bad] = 0xff;
    same_as_whole(&bytes);
    let dir = common::scratch("streaming", "utf8");
    let path = dir.file("doc.txt", &bytes);
    let out = run(
        &[
            "extract",
            path.to_str().expect("a path"),
            "--format",
            "jsonl",
        ],
        None,
    );
    assert!(stderr(&out).contains(&format!(
        "invalid UTF-8 at byte {bad}; replaced with U+FFFD"
    )));
}

#[test]
fn what_the_start_holds_back_comes_out_after_a_blank_window() {
    // A story whose kind is decided only past megabytes of blank lines:
    // its dates are held back across windows and written in order.
    let story = "In 1862 the engineer moved to Lyon. In March she opened a workshop.\n\n";
    let mut text = story.repeat(3);
    text.push_str(&" \n\n".repeat(2_000_000));
    text.push_str(&news(2_000_000, 4));
    same_as_whole(text.as_bytes());
}

#[test]
fn standard_input_reads_as_a_file() {
    let text = news(5_000_000, 5);
    let dir = common::scratch("streaming", "stdin");
    let path = dir.file("doc.txt", &text);
    let from_file = extract(&path, &["--format", "jsonl"]);
    let out = run(
        &["extract", "-", "--dct", DCT, "--format", "jsonl"],
        Some(text.as_bytes()),
    );
    assert_code(&out, 0);
    let (file, stdin): (Value, Value) = (
        serde_json::from_str(&from_file).expect("JSON"),
        serde_json::from_str(&stdout(&out)).expect("JSON"),
    );
    assert_eq!(file["timexes"], stdin["timexes"]);
}

/// About `bytes` of Markdown: headings, paragraphs of the news sentences,
/// lists (some loose), tables, quotes, fenced code and comments with blank
/// lines inside.
fn markdown(bytes: usize, seed: u64) -> String {
    let mut state = seed;
    let mut next = move |n: usize| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as usize % n
    };
    let mut text = String::from("---\ntitle: Field notes\n---\n\n");
    while text.len() < bytes {
        let s = SENTENCES[next(SENTENCES.len())];
        let block = match next(8) {
            0 => format!("## {s}\n"),
            1 => format!("- {s}\n- Talks: June 9\n\n- {s}\n\n  {s}\n"),
            2 => format!("| Task | Date |\n|---|---|\n| Review | April 7 |\n| {s} | May 29 |\n"),
            3 => format!("```\n{s}\n\n{s}\n```\n"),
            4 => format!("<!-- draft\n\n{s}\n\n-->\n"),
            5 => format!("> {s}\n>\n> *{s}*\n"),
            _ => format!("{s} **{s}**\n{s}\n"),
        };
        text.push_str(&block);
        text.push('\n');
    }
    text
}

#[test]
fn a_markdown_file_of_many_windows_reads_as_the_whole_file() {
    let text = markdown(5_000_000, 6);
    let doc = document::read(text.as_bytes(), "doc.md", Some(Format::Markdown)).expect("markdown");
    let dct = dct::parse(DCT).expect("a date");
    let mut found = Extractor::default().extract_blocks(&doc.text, dct, doc.engine_blocks());
    assert!(found.len() > 1000, "a text with dates: {}", found.len());
    // Placed in the file as `extract` places a whole document's timexes.
    let floor = |mut at: usize| {
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    let ceil = |mut at: usize| {
        while !text.is_char_boundary(at) {
            at += 1;
        }
        at
    };
    for t in &mut found {
        let start = floor(doc.file_offset(t.start));
        let end = ceil((doc.file_offset(t.end.saturating_sub(1)) + 1).max(start));
        (t.start, t.end) = (start, end);
    }
    let dir = common::scratch("streaming", "markdown");
    let path = dir.file("doc.md", &text);
    let lines = extract(&path, &["--format", "jsonl"]);
    check_jsonl(&lines, &text, &found, false);
    // A range's ends ("2-3pm ET") are placed in the file too.
    let record: Value = serde_json::from_str(&lines).expect("JSON");
    let parts: Vec<&Value> = (record["timexes"].as_array().expect("timexes").iter())
        .flat_map(|t| t["parts"].as_array().into_iter().flatten())
        .collect();
    assert!(parts.len() > 100);
    for p in parts {
        let at = |key: &str| p[key].as_u64().expect("an offset") as usize;
        assert_eq!(
            &text[at("start")..at("end")],
            p["text"].as_str().expect("text")
        );
    }
    let lines = extract(&path, &["--format", "jsonl", "--offsets", "chars"]);
    check_jsonl(&lines, &text, &found, true);
}
