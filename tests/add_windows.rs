//! `timeline add` reads a plain text in windows of a few MiB, building
//! each window's events as it goes, so that memory holds a window and the
//! events, not the document: the events it adds are the ones reading the
//! text whole gives, offsets counted from the start of the file.

mod common;

use common::news::numbers;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use timeline::cli::add::{extract_for_add, AddOptions, MAX_DATES_PER_DOCUMENT};
use timeline::cli::track::ViewFormat;
use timeline::document::{self, dct, Format};
use timeline::events::document::events_from_document;
use timeline::events::Event;
use timeline::Extractor;

fn now() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 30)
        .and_then(|d| d.and_hms_opt(9, 0, 0))
        .expect("a date")
}

/// About `bytes` of a text whose events differ: prose paragraphs with
/// dates of their own, schedule lines, headings, a deadline rule, "that
/// day" pointing back, and now and then a paragraph of no line ends.
fn varied(bytes: usize, seed: u64) -> String {
    let mut next = numbers(seed);
    let mut text = String::new();
    let mut n = 0;
    while text.len() < bytes {
        n += 1;
        let date = |k: usize| {
            let month = chrono::Month::try_from((k % 12) as u8 + 1).expect("a month");
            format!("{} {}, {}", month.name(), 1 + k % 28, 2026 + k % 4)
        };
        match next(12) {
            0 => text.push_str(&format!(
                "Track {n} abstracts: {}\nTrack {n} notification: {}\n\n",
                date(n),
                date(n + 3)
            )),
            1 => text.push_str(&format!("Session {n}\n==========\n\n")),
            // Rare: each dated heading is compared with every event.
            2 if n % 50 == 0 => text.push_str(&format!(
                "Review {n} on {}\n-------------\n\nThe panel {n} will meet on {}. That day, residents can also speak.\n\n",
                date(n),
                date(n)
            )),
            3 => text.push_str("All deadlines are at 23:59 AoE.\n\n"),
            4 => text.push_str(&format!(
                "From June 18 to June 21 the fair {n} runs; applicants must register by {}.\n\n",
                date(n + 1)
            )),
            5 if n % 400 == 0 => {
                // A paragraph longer than the engine's blocks.
                for k in 0..1500 {
                    text.push_str(&format!("The board {n} met on {} and ", date(n + k)));
                }
                text.push_str("adjourned.\n\n");
            }
            _ => text.push_str(&format!(
                "The committee {n} will vote on {}, officials said. Nothing else happened \
                 here at all, said the chair, and the minutes were read out in full.\n\n",
                date(n * 7)
            )),
        }
    }
    text
}

/// The events of `bytes` read whole, as `add` read every document before
/// it read plain text in windows.
fn whole(bytes: &[u8], name: &str, flag: Option<NaiveDateTime>) -> Vec<Event> {
    let doc = document::read(bytes, name, Some(Format::Text)).expect("a text");
    let today = now().date().and_time(NaiveTime::MIN);
    let (dct, source) = match flag {
        Some(t) => (t, dct::Source::Flag),
        None => dct::for_document(&doc, &doc.text, Format::Text, today),
    };
    let found = Extractor::default()
        .limited(MAX_DATES_PER_DOCUMENT)
        .extract_blocks(&doc.text, dct, doc.engine_blocks());
    let storable = |e: &Event| {
        let year = |t: NaiveDateTime| (0..=9999).contains(&chrono::Datelike::year(&t));
        e.when.start().is_none_or(year) && e.when.end().is_none_or(year)
    };
    events_from_document(&doc, dct, &source, &found, name, now())
        .into_iter()
        .filter(storable)
        .collect()
}

/// What `add` finds in the file at `path` (or in `stdin` for "-"), and
/// what it says on stderr.
fn added(path: &std::path::Path, dct: Option<&str>, stdin: &[u8]) -> (Vec<Event>, String) {
    let opts = AddOptions {
        inputs: vec![path.to_path_buf()],
        dct: dct.map(str::to_owned),
        input_format: None,
        store: path.with_extension("toml"),
        dry_run: true,
        format: ViewFormat::Json,
        now: now(),
        tags: Vec::new(),
    };
    let mut err = Vec::new();
    let mut input = std::io::Cursor::new(stdin);
    let found = extract_for_add(&opts, &mut input, &mut err).expect("read");
    assert!(found.errors.is_empty(), "{:?}", found.errors);
    (found.events, String::from_utf8_lossy(&err).into_owned())
}

fn dct_of(s: &str) -> NaiveDateTime {
    dct::parse(s).expect("a date")
}

/// Asserts `add` finds in `text` what reading it whole gives, naming the
/// events found and how many.
fn same_as_whole(text: &str, name: &str, dct: Option<&str>) -> Vec<Event> {
    let dir = common::Scratch::new("add-windows", name);
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    let file = path.display().to_string();
    let want = whole(text.as_bytes(), &file, dct.map(dct_of));
    let (got, _) = added(&path, dct, b"");
    assert_eq!(got.len(), want.len(), "events found");
    for (k, (g, w)) in got.iter().zip(&want).enumerate() {
        assert_eq!(g, w, "event {k}");
    }
    got
}

#[test]
fn a_text_of_many_windows_adds_the_events_of_the_whole_text() {
    let text = varied(9 << 20, 18);
    let events = same_as_whole(&text, "varied.txt", Some("2026-03-01"));
    // Offsets far into the file: the later windows count from its start.
    let last = events.iter().flat_map(|e| &e.sources).map(|s| s.end).max();
    assert!(last.is_some_and(|end| end > 6 << 20), "{last:?}");
    assert!(events.len() > 10_000, "{}", events.len());
}

#[test]
fn a_heading_after_the_first_window_names_and_dates_the_document() {
    // No heading, no header: until the heading 6 MiB in, the document has
    // neither subject nor date; read whole, that heading gives both.
    let mut text = String::new();
    while text.len() < 6 << 20 {
        text.push_str(
            "The committee will vote on Friday, officials said. Nothing else happened.\n\n",
        );
    }
    text.push_str("Minutes of 14 October 2026\n==========================\n\n");
    text.push_str("The board will meet on Friday. Abstracts are due next Monday.\n");
    let events = same_as_whole(&text, "late-title.txt", None);
    let context = events.first().and_then(|e| e.context.as_deref());
    assert_eq!(context, Some("Minutes of 14 October 2026"));
    assert!(
        events.iter().any(|e| e.value == "2026-10-16"),
        "{}",
        events.len()
    );
}

#[test]
fn a_header_of_key_value_lines_longer_than_a_window_reads_as_whole() {
    // "WARNING: …" and "ERROR: …" lines from the first on read as one
    // header block, up to the first blank line: whole or in windows, its
    // dates are rows, and the prose after it is read.
    let mut text = String::new();
    let mut n = 0;
    while text.len() < 5 << 20 {
        n += 1;
        // A date on one line in ten: the date limit is not reached.
        match n % 10 {
            0 => text.push_str(&format!(
                "ERROR: job {n} failed on March {}, 2027\n",
                1 + n % 28
            )),
            _ => text.push_str(&format!("WARNING: job {n} is slow\n")),
        }
    }
    text.push_str("\nThe board will meet on March 3, 2027.\n");
    let events = same_as_whole(&text, "log.txt", Some("2026-11-30"));
    let board = events.iter().filter(|e| e.title == "Board to meet").count();
    assert_eq!(board, 1, "{} events", events.len());
}

#[test]
fn front_matter_and_invalid_utf8_in_a_later_window_read_as_whole() {
    let mut bytes = b"---\ntitle: Field notes\ndate: 2026-10-01\n---\n\n".to_vec();
    bytes.extend_from_slice(varied(5 << 20, 7).as_bytes());
    bytes.extend_from_slice(b"\n\nA bad byte \xff here; the fair opens on Monday.\n");
    let dir = common::Scratch::new("add-windows", "notes");
    let path = dir.join("notes.txt");
    std::fs::write(&path, &bytes).expect("write");
    let want = whole(&bytes, &path.display().to_string(), None);
    let (got, err) = added(&path, None, b"");
    assert!(
        got == want,
        "{} events, {} read whole",
        got.len(),
        want.len()
    );
    assert_eq!(got[0].context.as_deref(), Some("Field notes"));
    // The warning comes before the reference date, as when read whole.
    let warned = err.find("invalid UTF-8 at byte");
    let dated = err.find("reference date 2026-10-01 from the front matter");
    assert!(warned.is_some() && warned < dated, "{err}");
}

#[test]
fn standard_input_adds_what_the_file_does() {
    let text = varied(6 << 20, 3);
    let dir = common::Scratch::new("add-windows", "stdin");
    let path = dir.join("news.txt");
    std::fs::write(&path, &text).expect("write");
    let (from_file, _) = added(&path, Some("2026-03-01"), b"");
    let (mut from_stdin, _) = added(
        std::path::Path::new("-"),
        Some("2026-03-01"),
        text.as_bytes(),
    );
    let file = path.display().to_string();
    for s in from_stdin.iter_mut().flat_map(|e| &mut e.sources) {
        assert_eq!(s.file, "-");
        s.file.clone_from(&file);
    }
    assert!(from_stdin == from_file, "{} events", from_file.len());
}

#[test]
fn standard_input_dated_by_a_later_heading_is_read_again_from_its_copy() {
    let mut text = String::new();
    while text.len() < 5 << 20 {
        text.push_str("The committee will vote on Friday, officials said.\n\n");
    }
    text.push_str("Minutes of 14 October 2026\n==========================\n\n");
    text.push_str("The board will meet on Friday.\n");
    let dir = common::Scratch::new("add-windows", "stdin-title");
    let path = dir.join("minutes.txt");
    std::fs::write(&path, &text).expect("write");
    let (from_file, _) = added(&path, None, b"");
    let (from_stdin, err) = added(std::path::Path::new("-"), None, text.as_bytes());
    assert!(err.contains("reference date 2026-10-14 from"), "{err}");
    assert_eq!(from_stdin.len(), from_file.len());
    for (s, f) in from_stdin.iter().zip(&from_file) {
        assert_eq!((&s.id, &s.value, &s.context), (&f.id, &f.value, &f.context));
    }
}
