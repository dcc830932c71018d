//! Events and stores the store tests build: every event made the way the
//! event builder makes it, and the malformed store they all refuse.

use std::path::Path;

use chrono::{NaiveDate, NaiveDateTime};
use timeline::events::{Event, Kind, Source, When};
use timeline::store::StoreError;

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub fn added() -> NaiveDateTime {
    date(2014, 10, 14).and_hms_opt(8, 0, 0).unwrap()
}

pub fn source(file: &str, start: usize) -> Source {
    Source {
        file: file.into(),
        sentence: format!("Something happens, said {file}."),
        start,
        end: start + 7,
        timex: "Nov. 24".into(),
    }
}

/// An event as the event builder would make it.
pub fn event(title: &str, kind: Kind, when: When, sources: Vec<Source>) -> Event {
    Event {
        sources,
        ..Event::new(title, kind, when, added())
    }
}

pub fn numbered(n: usize) -> Event {
    event(
        &format!("Event number {n}"),
        Kind::Scheduled,
        When::Date(date(2015, 1, 1) + chrono::Duration::days(n as i64)),
        vec![source("numbers.txt", n * 10)],
    )
}

pub const MALFORMED: &str = "# My deadlines\n\n[[event]]\nid = \"ev-00000001\"\ntitle = \"X\"\nkind = \"deadline\"\nstatus = open\ndate = 2014-11-24\n";

pub fn assert_parse_error(result: Result<impl std::fmt::Debug, StoreError>, path: &Path) {
    match result {
        Err(e @ StoreError::Parse { line: 7, .. }) => {
            let shown = e.to_string();
            assert!(shown.contains("events.toml"), "{shown}");
            assert!(shown.contains(&path.display().to_string()), "{shown}");
            assert!(shown.contains("line 7"), "{shown}");
            assert!(!shown.contains('\n'), "{shown}");
        }
        other => panic!("expected a parse error at line 7, got {other:?}"),
    }
}
