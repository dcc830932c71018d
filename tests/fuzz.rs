//! Property: no input panics the pipeline. Documents are strung together
//! from the words dates are made of (numbers up to `u64::MAX`, months,
//! units, cue words, list and table markup, bytes that are not UTF-8), read
//! in every format, resolved against reference dates from 0001-01-01 to
//! 9999-12-31, built into events and exported. Every timex must point
//! inside the text, on character boundaries.
//!
//! CI runs 2,000 documents and 10,000 lines; `PROPTEST_CASES=N cargo test
//! --release --test fuzz` runs N documents and 5N lines.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use proptest::prelude::*;
use timeline::document::{self, dct, Format};
use timeline::events::document::events_from_document;
use timeline::feed::ical::{to_ics, IcsOptions};
use timeline::feed::json_csv::{to_csv, to_json};
use timeline::Extractor;

const WORDS: &[&str] = &[
    "after",
    "before",
    "by",
    "until",
    "since",
    "from",
    "to",
    "between",
    "and",
    "in",
    "on",
    "at",
    "ago",
    "later",
    "earlier",
    "next",
    "last",
    "this",
    "that",
    "the",
    "a",
    "every",
    "other",
    "each",
    "of",
    "past",
    "following",
    "previous",
    "early",
    "late",
    "mid",
    "end",
    "beginning",
    "about",
    "said",
    "will",
    "is",
    "to be",
    "due",
    "deadline",
    "submission",
    "closes",
    "opens",
    "meeting",
    "today",
    "tomorrow",
    "yesterday",
    "tonight",
    "now",
    "noon",
    "midnight",
    "morning",
    "evening",
    "Monday",
    "tue",
    "Thu.",
    "weekend",
    "weekday",
    "business day",
    "January",
    "Feb.",
    "Sept",
    "December",
    "spring",
    "summer",
    "fall",
    "winter",
    "Q1",
    "Q4",
    "H2",
    "quarter",
    "half",
    "fiscal",
    "FY",
    "year",
    "years",
    "month",
    "months",
    "week",
    "weeks",
    "fortnight",
    "day",
    "days",
    "hour",
    "hours",
    "minute",
    "minutes",
    "second",
    "decade",
    "century",
    "millennium",
    "1990s",
    "'90s",
    "BC",
    "AD",
    "am",
    "p.m.",
    "ET",
    "UTC",
    "CET",
    "Europe/Vienna",
    "Tokyo time",
    "GMT+14",
    "+25:00",
    "one",
    "two",
    "seven",
    "twenty",
    "hundred",
    "thousand",
    "million",
    "half",
    "first",
    "third",
    "last",
    "1st",
    "31st",
    "0",
    "00",
    "1",
    "12",
    "24",
    "29",
    "31",
    "32",
    "60",
    "99",
    "1914",
    "2026",
    "9999",
    "10000",
    "99999",
    "999999999",
    "2147483648",
    "18446744073709551615",
    "1e308",
    "3/14",
    "2/30/2026",
    "2026-02-30",
    "2026-W53",
    "9999-12-31",
    "0000-01-01",
    "12:00",
    "25:61",
    "5pm",
    "17h30",
    "10h30",
    "1/2",
    "-",
    "–",
    "—",
    "/",
    ":",
    ",",
    ".",
    "(",
    ")",
    "'",
    "\"",
    "@",
    "#",
    "|",
    "*",
    "+",
    "\n",
    "\n\n",
    "\t",
    "é",
    "日",
    "\u{200b}",
    "\u{feff}",
];

const PREFIXES: &[&str] = &[
    "",
    "# ",
    "## ",
    "- ",
    "* ",
    "1. ",
    "| ",
    "> ",
    "Date: ",
    "Subject: ",
    "---\n",
    "<p>",
    "<td>",
    "<time datetime=\"",
    "SCHEDULED: <",
    "DEADLINE: ",
    ":date: ",
];

fn sentence() -> impl Strategy<Value = String> {
    (
        prop::sample::select(PREFIXES),
        prop::collection::vec(
            prop_oneof![
                4 => prop::sample::select(WORDS).prop_map(str::to_string),
                1 => any::<u64>().prop_map(|n| n.to_string()),
                1 => (0u32..10_000, 1u32..13, 1u32..32).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
            ],
            0..24,
        ),
        prop::sample::select(&[" ", "  ", "", " | ", "\t", ", "][..]),
    )
        .prop_map(|(prefix, words, sep)| format!("{prefix}{}", words.join(sep)))
}

fn document() -> impl Strategy<Value = Vec<u8>> {
    (
        prop::collection::vec(sentence(), 1..8),
        prop::collection::vec(any::<u8>(), 0..4),
    )
        .prop_map(|(lines, junk)| {
            let mut bytes = lines.join("\n").into_bytes();
            // A few raw bytes, often not UTF-8, somewhere in the middle.
            let at = bytes.len() / 2;
            bytes.splice(at..at, junk);
            bytes
        })
}

fn reference() -> impl Strategy<Value = NaiveDateTime> {
    prop_oneof![
        Just((1, 1, 1)),
        Just((9999, 12, 31)),
        Just((9999, 12, 25)),
        Just((1, 1, 7)),
        (1i32..=9999, 1u32..=12, 1u32..=28),
    ]
    .prop_map(|(y, m, d)| {
        NaiveDate::from_ymd_opt(y, m, d)
            .expect("a day every month has")
            .and_time(NaiveTime::MIN)
    })
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2_000)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn no_input_panics_the_pipeline(
        bytes in document(),
        fallback in reference(),
        format in prop::sample::select(&Format::ALL[..]),
    ) {
        let Ok(doc) = document::read(&bytes, "fuzz", Some(format)) else {
            return Ok(());
        };
        let raw = String::from_utf8_lossy(&bytes);
        let (at, source) = dct::for_document(&doc, &raw, format, fallback);
        let found = Extractor::default().extract_blocks(&doc.text, at, doc.engine_blocks());
        for t in &found {
            prop_assert!(t.start < t.end && t.end <= doc.text.len(), "{t:?}");
            prop_assert!(doc.text.is_char_boundary(t.start) && doc.text.is_char_boundary(t.end));
        }
        let events = events_from_document(&doc, at, &source, &found, "fuzz", fallback);
        let _ = to_ics(&events, &IcsOptions::default());
        let _ = to_json(&events);
        let _ = to_csv(&events);
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases().saturating_mul(5),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// The same search, cheaper per input: one line of prose straight into
    /// the engine and the event builder, so a long run covers more phrasings.
    #[test]
    fn no_phrase_panics_the_engine(text in sentence(), dct in reference()) {
        let found = Extractor::default().extract(&text, dct);
        for t in &found {
            prop_assert!(t.start < t.end && t.end <= text.len(), "{t:?}");
        }
        let _ = timeline::events::build::events_from(&text, dct, &found, "fuzz", dct);
    }
}
