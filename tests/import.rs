//! `timeline import` end to end: a calendar app's file with every shape
//! the importer maps, importing twice, a changed event updated in place,
//! our own iCalendar and JSON exports read back, bad files, --dry-run.
//! The calendars here are written for these tests.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::{err, ok, run};
use serde_json::Value;

const NOW: &str = "2026-11-30T09:00";

fn scratch(name: &str) -> common::Scratch {
    common::scratch("import", name)
}

/// Runs `timeline … --now NOW` against `store`.
fn timeline(store: &Path, args: &[&str]) -> Output {
    let mut all = args.to_vec();
    all.extend(["--now", NOW]);
    run(store, &all)
}

/// Lines joined with CRLF, as RFC 5545 writes them.
fn crlf(lines: &[&str]) -> String {
    lines.join("\r\n") + "\r\n"
}

/// A team calendar as a calendar app would export it: an all-day event
/// with an alarm, a UTC call, a Vienna meeting in July (+02:00) and one in
/// January (+01:00), a fortnightly reading group, a to-do with a due date,
/// a cancelled event, a folded line and escaped commas and semicolons.
fn team_calendar(review_title: &str, review_day: &str) -> String {
    let summary = format!("SUMMARY:{review_title}");
    let start = format!("DTSTART;VALUE=DATE:{review_day}");
    crlf(&[
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Import tests//Team calendar//EN",
        "BEGIN:VEVENT",
        "UID:review-2026@team.example",
        &start,
        &summary,
        "LOCATION:Room 4\\, 2nd floor\\; east wing",
        "CATEGORIES:work,grants",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        "TRIGGER:-P1D",
        "END:VALARM",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:call-sam@team.example",
        "DTSTART:20261203T140000Z",
        "DTEND:20261203T143000Z",
        "SUMMARY:Call with Sam",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:summer@team.example",
        "DTSTART;TZID=Europe/Vienna:20270715T090000",
        "SUMMARY:Summer planning",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:winter@team.example",
        "DTSTART;TZID=Europe/Vienna:20270114T090000",
        "SUMMARY:Winter planning",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:reading@team.example",
        "DTSTART;TZID=Europe/Vienna:20261203T170000",
        "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
        "SUMMARY:Reading group",
        "END:VEVENT",
        "BEGIN:VTODO",
        "UID:taxes@team.example",
        "DUE;VALUE=DATE:20261215",
        "SUMMARY:Submit the tax return",
        "END:VTODO",
        "BEGIN:VEVENT",
        "UID:party@team.example",
        "DTSTART:20261205T190000",
        "STATUS:CANCELLED",
        "SUMMARY:Office party",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:long@team.example",
        "DTSTART;VALUE=DATE:20261218",
        "SUMMARY:Workshop on calendars\\, feeds\\; and the long lines that calenda",
        " r apps fold at seventy-five octets",
        "END:VEVENT",
        "END:VCALENDAR",
    ])
}

fn list_json(store: &Path) -> Vec<Value> {
    let o = timeline(store, &["list", "--all", "--format", "json"]);
    serde_json::from_str(&ok(&o)).expect("list --format json is JSON")
}

fn by_title<'a>(events: &'a [Value], title: &str) -> &'a Value {
    events
        .iter()
        .find(|e| e["title"] == title)
        .unwrap_or_else(|| panic!("no {title:?} in {events:#?}"))
}

#[test]
fn a_calendar_apps_file_is_imported_with_zones_rules_and_alarms() {
    let dir = scratch("team");
    let (store, cal) = (dir.join("events.toml"), dir.join("team.ics"));
    std::fs::write(&cal, team_calendar("Grant report\\, final", "20261210")).unwrap();
    let o = timeline(&store, &["import", cal.to_str().unwrap()]);
    let out = ok(&o);
    assert!(out.contains("+ ev-"), "{out}");
    assert!(out.contains("7 added, 0 updated, 0 unchanged"), "{out}");
    assert!(
        err(&o).contains("skipped the cancelled event \"Office party\""),
        "{}",
        err(&o)
    );

    let events = list_json(&store);
    assert_eq!(events.len(), 7);
    let review = by_title(&events, "Grant report, final");
    assert_eq!(review["kind"], "scheduled");
    assert_eq!(review["start"], "2026-12-10");
    assert_eq!(review["where"], "Room 4, 2nd floor; east wing");
    assert_eq!(review["remind"], "1d");
    assert_eq!(review["tags"], serde_json::json!(["work", "grants"]));
    let call = by_title(&events, "Call with Sam");
    assert_eq!(call["start"], "2026-12-03T14:00:00+00:00");
    let summer = by_title(&events, "Summer planning");
    assert_eq!(summer["start"], "2027-07-15T09:00:00+02:00");
    assert_eq!(summer["tz"], "Europe/Vienna");
    let winter = by_title(&events, "Winter planning");
    assert_eq!(winter["start"], "2027-01-14T09:00:00+01:00");
    let reading = by_title(&events, "Reading group");
    assert_eq!(reading["kind"], "recurring");
    assert_eq!(reading["rrule"], "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH");
    assert_eq!(reading["first"], "2026-12-03T17:00:00");
    let taxes = by_title(&events, "Submit the tax return");
    assert_eq!(taxes["kind"], "deadline");
    assert_eq!(taxes["start"], "2026-12-15");
    by_title(
        &events,
        "Workshop on calendars, feeds; and the long lines that calendar apps fold at seventy-five octets",
    );

    // The views read them like any other events.
    let upcoming = ok(&timeline(&store, &["upcoming"]));
    assert!(
        upcoming.contains("every other Thu at 17:00 · next Thu 2026-12-03"),
        "{upcoming}"
    );
}

#[test]
fn importing_the_same_file_twice_adds_nothing() {
    let dir = scratch("twice");
    let (store, cal) = (dir.join("events.toml"), dir.join("team.ics"));
    std::fs::write(&cal, team_calendar("Grant report", "20261210")).unwrap();
    ok(&timeline(&store, &["import", cal.to_str().unwrap()]));
    let before = std::fs::read(&store).unwrap();
    let out = ok(&timeline(&store, &["import", cal.to_str().unwrap()]));
    assert!(out.contains("0 added, 0 updated, 7 unchanged"), "{out}");
    assert!(!out.contains("+ "), "{out}");
    assert_eq!(std::fs::read(&store).unwrap(), before);
}

#[test]
fn a_changed_event_is_updated_in_place() {
    let dir = scratch("changed");
    let (store, cal) = (dir.join("events.toml"), dir.join("team.ics"));
    std::fs::write(&cal, team_calendar("Grant report", "20261210")).unwrap();
    ok(&timeline(&store, &["import", cal.to_str().unwrap()]));
    let id = by_title(&list_json(&store), "Grant report")["id"]
        .as_str()
        .unwrap()
        .to_string();
    // The user tags it; then the calendar moves and renames it.
    ok(&timeline(&store, &["modify", &id, "--tag", "mine"]));
    std::fs::write(&cal, team_calendar("Budget review", "20261211")).unwrap();
    let out = ok(&timeline(&store, &["import", cal.to_str().unwrap()]));
    assert!(out.contains("0 added, 1 updated, 6 unchanged"), "{out}");
    assert!(out.contains("~ ev-"), "{out}");
    assert!(out.contains("Budget review"), "{out}");

    let events = list_json(&store);
    assert_eq!(events.len(), 7, "no second event: {events:#?}");
    let review = by_title(&events, "Budget review");
    assert_eq!(review["id"], id.as_str());
    assert_eq!(review["start"], "2026-12-11");
    assert_eq!(
        review["tags"],
        serde_json::json!(["work", "grants", "mine"])
    );
    assert!(!events.iter().any(|e| e["title"] == "Grant report"));
    assert_eq!(review["sources"].as_array().unwrap().len(), 1);
    assert!(!std::fs::read_to_string(&store).unwrap().contains("-2\""));
}

/// A store of every shape our export writes, added at NOW so that an
/// import (which adds at NOW) can give exactly it back.
const STORE: &str = r#"# written by hand for the import tests

[[event]]
id = "ev-00000000000000a1"
title = "Deadline to finalize an agreement"
kind = "deadline"
date = 2026-12-24
value = "2026-12-24"
status = "open"
added = 2026-11-30T09:00:00
notes = "Bring the draft.\nTwo copies."
tags = ["grants", "EU, Horizon"]

[[event.source]]
file = "vienna.txt"
sentence = "The deadline is Dec. 24."
start = 16
end = 23
timex = "Dec. 24"

[[event]]
id = "ev-00000000000000a2"
title = "Kerry to meet Zarif"
kind = "meeting"
at = 2026-12-02T15:00:00
offset = "-05:00"
value = "2026-12-02T15:00"
where = "Palais Coburg, Vienna; Room 2"
context = "Nuclear talks"
status = "open"
added = 2026-11-30T09:00:00
remind = "3h"

[[event]]
id = "ev-00000000000000a3"
title = "Summit"
kind = "ongoing"
start = 2026-11-20
end = 2026-12-05
value = "2026-11-20/2026-12-04"
status = "open"
added = 2026-11-30T09:00:00
remind = "2d"

[[event]]
id = "ev-00000000000000a4"
title = "Reading group"
kind = "recurring"
recurs = "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH"
first = 2026-12-03T17:00:00
done_through = 2026-12-03
value = "P2W"
status = "open"
added = 2026-11-30T09:00:00

[[event]]
id = "ev-00000000000000a5"
title = "Old report"
kind = "past"
date = 2026-10-01
value = "2026-10"
status = "done"
added = 2026-11-30T09:00:00
"#;

fn export(store: &Path, format: &str, to: &Path) {
    let o = timeline(
        store,
        &[
            "export",
            "--all",
            "--todo",
            "--format",
            format,
            "-o",
            to.to_str().unwrap(),
        ],
    );
    ok(&o);
}

/// The export's JSON without what iCalendar does not carry: a source's
/// place in its file, and `done_through` (VEVENTs have no such field).
fn comparable(text: &str, ics: bool) -> Value {
    let mut v: Value = serde_json::from_str(text).unwrap();
    if ics {
        for e in v.as_array_mut().unwrap() {
            for s in e["sources"].as_array_mut().unwrap() {
                s["start"] = 0.into();
                s["end"] = 0.into();
                s["timex"] = "".into();
            }
            e.as_object_mut().unwrap().remove("done_through");
        }
    }
    v
}

#[test]
fn our_own_exports_read_back_into_an_empty_store() {
    let dir = scratch("own");
    let original = dir.join("events.toml");
    std::fs::write(&original, STORE).unwrap();
    for format in ["json", "ics"] {
        let file = dir.join(format!("export.{format}"));
        let copy = dir.join(format!("copy-{format}.toml"));
        export(&original, format, &file);
        let out = ok(&timeline(&copy, &["import", file.to_str().unwrap()]));
        assert!(out.contains("5 added"), "{format}: {out}");
        let (a, b) = (dir.join("a.json"), dir.join("b.json"));
        export(&original, "json", &a);
        export(&copy, "json", &b);
        let ics = format == "ics";
        assert_eq!(
            comparable(&std::fs::read_to_string(&a).unwrap(), ics),
            comparable(&std::fs::read_to_string(&b).unwrap(), ics),
            "{format} round trip"
        );
        // Into the store it came from: nothing new, nothing changed.
        let before = std::fs::read(&original).unwrap();
        let out = ok(&timeline(&original, &["import", file.to_str().unwrap()]));
        assert!(
            out.contains("0 added, 0 updated, 5 unchanged"),
            "{format}: {out}"
        );
        assert_eq!(std::fs::read(&original).unwrap(), before);
    }
}

#[test]
fn a_bad_file_fails_with_its_line_and_changes_nothing() {
    let dir = scratch("bad");
    let store = dir.join("events.toml");
    std::fs::write(&store, STORE).unwrap();
    let before = std::fs::read(&store).unwrap();
    let good = dir.join("good.ics");
    std::fs::write(&good, team_calendar("Review", "20261210")).unwrap();
    let cases: [(&str, &[u8], &str); 5] = [
        (
            "date.ics",
            b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nSUMMARY:x\r\nDTSTART:2026-12-01\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
            "date.ics: line 5: DTSTART is not a date",
        ),
        (
            "unended.ics",
            b"BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:x\nEND:VCALENDAR\n",
            "unended.ics: line 4: END:VCALENDAR, but BEGIN:VEVENT (line 2) is not ended",
        ),
        (
            "binary.ics",
            b"BEGIN:VCALENDAR\n\xff\xfe\x00\x01",
            "binary.ics: line 2: not UTF-8 text",
        ),
        (
            "broken.json",
            b"[\n  {\"title\": \"a\", \"start\": \"2026-12-01\"},\n  {\"title\": \"b\", \"start\": \"soon\"}\n]\n",
            "broken.json: line 3: event 2: `start` is not a date",
        ),
        (
            "notes.txt",
            b"just some notes\n",
            "notes.txt: neither iCalendar",
        ),
    ];
    for (name, bytes, expected) in cases {
        let bad = dir.join(name);
        std::fs::write(&bad, bytes).unwrap();
        let o = timeline(
            &store,
            &["import", good.to_str().unwrap(), bad.to_str().unwrap()],
        );
        assert_eq!(o.status.code(), Some(1), "{name}: {}", err(&o));
        assert!(err(&o).contains(expected), "{name}: {}", err(&o));
        assert_eq!(std::fs::read(&store).unwrap(), before, "{name}");
    }
}

#[test]
fn dry_run_shows_the_changes_and_writes_nothing() {
    let dir = scratch("dry");
    let (store, cal) = (dir.join("events.toml"), dir.join("team.ics"));
    std::fs::write(&cal, team_calendar("Review", "20261210")).unwrap();
    let out = ok(&timeline(
        &store,
        &["import", "--dry-run", cal.to_str().unwrap()],
    ));
    assert!(out.contains("+ ev-"), "{out}");
    assert!(out.contains("would add 7, update 0"), "{out}");
    assert!(!store.exists());

    ok(&timeline(&store, &["import", cal.to_str().unwrap()]));
    let before = std::fs::read(&store).unwrap();
    std::fs::write(&cal, team_calendar("Budget review", "20261210")).unwrap();
    let o = timeline(
        &store,
        &[
            "import",
            "--dry-run",
            "--format",
            "json",
            cal.to_str().unwrap(),
        ],
    );
    let changed: Vec<Value> = serde_json::from_str(&ok(&o)).unwrap();
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0]["title"], "Budget review");
    assert_eq!(std::fs::read(&store).unwrap(), before);
}

#[test]
fn standard_input_is_read_by_content_and_tags_are_given() {
    let dir = scratch("stdin");
    let store = dir.join("events.toml");
    let mut child = Command::new(env!("CARGO_BIN_EXE_timeline"))
        .args(["import", "-", "+team", "--tag", "work", "--now", NOW])
        .arg("--store")
        .arg(&store)
        .env_remove("TIMELINE_STORE")
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(team_calendar("Review", "20261210").as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(ok(&o).contains("7 added"));
    let events = list_json(&store);
    let call = by_title(&events, "Call with Sam");
    assert_eq!(call["tags"], serde_json::json!(["work", "team"]));
    assert_eq!(call["sources"][0]["file"], "-");
}
