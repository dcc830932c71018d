//! The export formats, and the iCalendar feed read back by two independent
//! real parsers (Python `icalendar` and `ical.js`, installed by
//! `scripts/ical-parsers`). A parser that cannot be installed fails the
//! test; it is never skipped.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use serde_json::{json, Value};
use timeline::events::{Event, Kind, Recurrence, Source, Status, When};
use timeline::feed::ical::{to_ics, IcsOptions};
use timeline::feed::json_csv::{to_csv, to_json};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    day(y, m, d).and_hms_opt(h, min, 0).unwrap()
}

fn event(title: &str, kind: Kind, when: When) -> Event {
    Event {
        sources: vec![Source {
            file: "examples/vienna-talks.txt".to_string(),
            sentence: format!("{title}, officials said."),
            start: 10,
            end: 17,
            timex: "Nov. 24".to_string(),
        }],
        ..Event::new(title, kind, when, at(2014, 10, 14, 9, 30))
    }
}

const JAPANESE: &str = "ウィーンでの核協議は十一月二十四日の期限を前に再開され、\
    各国の代表団は合意の最終確認を行う予定です🎉🇯🇵。";

/// One of every shape the feed must carry, with the hard characters.
fn sample() -> Vec<Event> {
    let deadline = event(
        "Deadline to finalize an agreement",
        Kind::Deadline,
        When::Date(day(2014, 11, 24)),
    );
    let mut meeting = event(
        "Kerry to meet Zarif",
        Kind::Meeting,
        When::DateTime {
            at: at(2014, 10, 15, 15, 0),
            offset: Some(-300),
        },
    );
    meeting.place = Some("Vienna".to_string());
    let mut vote = event(
        "Council to vote on the budget",
        Kind::Scheduled,
        When::DateTime {
            at: at(2014, 10, 17, 10, 30),
            offset: None,
        },
    );
    vote.place = Some("City Hall, Room 4; 2nd floor".to_string());
    let talks = event(
        "Talks over the nuclear program",
        Kind::Ongoing,
        When::Range {
            start: day(2014, 3, 1),
            end: day(2014, 11, 1),
        },
    );
    let weekly = event(
        "Weekly staff meeting",
        Kind::Recurring,
        When::Recurring(Recurrence::of_timex(
            "XXXX-WXX-1",
            None,
            chrono::NaiveDate::from_ymd_opt(2014, 10, 14).unwrap(),
        )),
    );
    let mut japanese = event(
        &format!("東京で予算会議 — 最終確認 🎉 {}", "長い題名".repeat(6)),
        Kind::Meeting,
        When::Date(day(2014, 12, 1)),
    );
    japanese.place = Some("Zürich".to_string());
    japanese.sources[0].sentence = JAPANESE.repeat(3);
    let mut odd = event(
        "Back\\slash, semi;colon and \"quotes\"",
        Kind::Deadline,
        When::Date(day(2014, 11, 30)),
    );
    odd.notes = Some("line one\nline two\r\nline three".to_string());
    odd.sources[0].file = "notes/a,b;c.txt".to_string();
    odd.remind = Some("2h".to_string());
    vec![deadline, meeting, vote, talks, weekly, japanese, odd]
}

fn uid(e: &Event) -> String {
    format!("{}@timeline", e.id)
}

/// What a real parser must read back from `sample()`, in the checkers' terms.
fn expected(events: &[Event]) -> Value {
    let [deadline, meeting, vote, talks, weekly, japanese, odd] = events else {
        panic!("sample changed")
    };
    json!([
        {"uid": uid(deadline), "summary": deadline.title, "start": "2014-11-24",
         "end": "2014-11-25", "location": null},
        // 15:00 at UTC-5 is 20:00 UTC; a time lasts one minute.
        {"uid": uid(meeting), "summary": meeting.title, "start": "2014-10-15T20:00:00Z",
         "end": "2014-10-15T21:00:00Z", "location": "Vienna"},
        // No offset in the text: floating, on purpose.
        {"uid": uid(vote), "summary": vote.title, "start": "2014-10-17T10:30:00",
         "end": "2014-10-17T11:30:00", "location": "City Hall, Room 4; 2nd floor"},
        {"uid": uid(talks), "summary": talks.title, "start": "2014-03-01",
         "end": "2014-11-01", "location": null},
        // Added on Tuesday 2014-10-14: the first Monday on or after is the 20th.
        {"uid": uid(weekly), "summary": weekly.title, "start": "2014-10-20",
         "end": "2014-10-21", "location": null, "rrule": "FREQ=WEEKLY;BYDAY=MO"},
        {"uid": uid(japanese), "summary": japanese.title, "start": "2014-12-01",
         "end": "2014-12-02", "location": "Zürich",
         "description": format!("{}\n(from examples/vienna-talks.txt)", JAPANESE.repeat(3))},
        {"uid": uid(odd), "summary": odd.title, "start": "2014-11-30",
         "end": "2014-12-01", "location": null,
         "description": "line one\nline two\nline three\n\n\
                         Back\\slash, semi;colon and \"quotes\", officials said.\n\
                         (from notes/a,b;c.txt)"},
    ])
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `scripts/ical-parsers` once for this test binary.
fn parsers() -> &'static Result<(), String> {
    static READY: OnceLock<Result<(), String>> = OnceLock::new();
    READY.get_or_init(|| {
        let out = Command::new("bash")
            .arg(root().join("scripts/ical-parsers"))
            .output()
            .map_err(|e| format!("cannot run scripts/ical-parsers: {e}"))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "scripts/ical-parsers failed ({}), so the feed cannot be checked with real parsers:\n{}{}",
                out.status,
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    })
}

fn scratch(name: &str) -> common::Scratch {
    common::scratch("export", name)
}

fn check_with(program: &Path, script: &str, ics: &Path, want: &Path, count: usize) {
    let out = Command::new(program)
        .arg(root().join("scripts").join(script))
        .arg(ics)
        .arg(want)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {} {script}: {e}", program.display()));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{script} rejected the feed ({}):\n{stdout}{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(stdout.trim(), format!("{count} events ok"), "{script}");
}

#[test]
fn real_parsers_read_back_every_event() {
    if let Err(e) = parsers() {
        panic!("{e}");
    }
    let events = sample();
    let dir = scratch("interop");
    let ics = dir.join("events.ics");
    let want = dir.join("expected.json");
    let opts = IcsOptions {
        todo: true,
        ..IcsOptions::default()
    };
    std::fs::write(&ics, to_ics(&events, &opts)).unwrap();
    std::fs::write(&want, expected(&events).to_string()).unwrap();

    check_with(
        &root().join(".ci/venv/bin/python"),
        "check_ics.py",
        &ics,
        &want,
        7,
    );
    check_with(Path::new("node"), "check_ics.js", &ics, &want, 7);
}

#[test]
fn zoned_recurrences_keep_their_hour_across_dst_in_real_parsers() {
    if let Err(e) = parsers() {
        panic!("{e}");
    }
    // 09:30 in Vienna every Friday from 2027-03-19: CET (+01:00) for two
    // weeks, then CEST (+02:00) after the change of 2027-03-28.
    let rule = Recurrence::new(
        "FREQ=WEEKLY;BYDAY=FR",
        day(2027, 3, 19),
        chrono::NaiveTime::from_hms_opt(9, 30, 0),
    )
    .unwrap();
    let mut standup = event("Vienna standup", Kind::Recurring, When::Recurring(rule));
    standup.tz = Some("Europe/Vienna".to_string());
    let mut ny = event(
        "New York review",
        Kind::Meeting,
        When::DateTime {
            at: at(2027, 7, 1, 10, 0),
            offset: Some(-240),
        },
    );
    ny.tz = Some("America/New_York".to_string());
    let events = [standup, ny];
    let ics = to_ics(&events, &IcsOptions::default());
    assert!(
        ics.contains("DTSTART;TZID=Europe/Vienna:20270319T093000\r\n"),
        "{ics}"
    );
    assert_eq!(ics.matches("BEGIN:VTIMEZONE").count(), 1, "{ics}");
    let dir = scratch("dst");
    let (file, want) = (dir.join("events.ics"), dir.join("expected.json"));
    std::fs::write(&file, &ics).unwrap();
    let expected = json!([
        {"uid": uid(&events[0]), "summary": "Vienna standup",
         "start": "2027-03-19T08:30:00Z", "end": "2027-03-19T09:30:00Z",
         "rrule": "FREQ=WEEKLY;BYDAY=FR",
         "occurrences": ["2027-03-19T08:30:00Z", "2027-03-26T08:30:00Z",
                         "2027-04-02T07:30:00Z", "2027-04-09T07:30:00Z"]},
        {"uid": uid(&events[1]), "summary": "New York review",
         "start": "2027-07-01T14:00:00Z", "end": "2027-07-01T15:00:00Z"},
    ]);
    std::fs::write(&want, expected.to_string()).unwrap();
    check_with(
        &root().join(".ci/venv/bin/python"),
        "check_ics.py",
        &file,
        &want,
        2,
    );
    check_with(Path::new("node"), "check_ics.js", &file, &want, 2);
}

#[test]
fn a_change_by_the_user_bumps_sequence_and_last_modified() {
    let mut e = sample().remove(0);
    let before = component(
        &to_ics(std::slice::from_ref(&e), &IcsOptions::default()),
        &uid(&e),
    );
    assert!(before.contains(&"SEQUENCE:1".to_string()), "{before:?}");
    assert!(before.contains(&"LAST-MODIFIED:20141014T093000Z".to_string()));
    e.edits = 2;
    e.modified = Some(at(2014, 10, 20, 8, 0));
    let after = component(
        &to_ics(std::slice::from_ref(&e), &IcsOptions::default()),
        &uid(&e),
    );
    assert!(after.contains(&"SEQUENCE:3".to_string()), "{after:?}");
    assert!(after.contains(&"LAST-MODIFIED:20141020T080000Z".to_string()));
    assert!(after.contains(&"DTSTAMP:20141020T080000Z".to_string()));
}

#[test]
fn checkers_catch_a_wrong_expectation() {
    if let Err(e) = parsers() {
        panic!("{e}");
    }
    let events = sample();
    let dir = scratch("mismatch");
    let ics = dir.join("events.ics");
    let want = dir.join("expected.json");
    std::fs::write(&ics, to_ics(&events, &IcsOptions::default())).unwrap();
    let mut wrong = expected(&events);
    wrong[1]["start"] = json!("2014-10-15T15:00:00Z");
    std::fs::write(&want, wrong.to_string()).unwrap();
    for (program, script) in [
        (root().join(".ci/venv/bin/python"), "check_ics.py"),
        (PathBuf::from("node"), "check_ics.js"),
    ] {
        let out = Command::new(&program)
            .arg(root().join("scripts").join(script))
            .arg(&ics)
            .arg(&want)
            .output()
            .unwrap();
        assert!(!out.status.success(), "{script} accepted a wrong start");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("start"),
            "{script} did not name the field"
        );
    }
}

#[test]
fn the_same_store_exports_the_same_bytes() {
    let opts = IcsOptions {
        todo: true,
        ..IcsOptions::default()
    };
    let first = to_ics(&sample(), &opts);
    let second = to_ics(&sample(), &opts);
    assert_eq!(first, second);
    assert_eq!(to_json(&sample()), to_json(&sample()));
    assert_eq!(to_csv(&sample()), to_csv(&sample()));
}

#[test]
fn lines_fold_at_75_octets_between_characters() {
    let ics = to_ics(&sample(), &IcsOptions::default());
    let bytes = ics.as_bytes();
    let mut folded = 0;
    for line in bytes.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        assert!(
            line.len() <= 75,
            "{} octets: {:?}",
            line.len(),
            String::from_utf8_lossy(line)
        );
        // Each physical line is valid UTF-8 on its own: no character was cut.
        let text = std::str::from_utf8(line).expect("a fold split a UTF-8 character");
        folded += usize::from(text.starts_with(' '));
    }
    assert!(folded > 5, "the long Japanese description should fold");
    let unfolded = ics.replace("\r\n ", "");
    assert!(unfolded.contains(&JAPANESE.repeat(3)));
}

#[test]
fn every_line_ends_in_crlf() {
    let ics = to_ics(&sample(), &IcsOptions::default());
    assert!(ics.ends_with("END:VCALENDAR\r\n"));
    assert!(
        !ics.replace("\r\n", "").contains(['\r', '\n']),
        "a bare CR or LF"
    );
}

/// The content lines, unfolded.
fn lines(ics: &str) -> Vec<String> {
    ics.replace("\r\n ", "")
        .split("\r\n")
        .map(str::to_string)
        .collect()
}

/// The unfolded lines of the component whose UID is `uid`.
fn component(ics: &str, uid: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = Vec::new();
    for line in lines(ics) {
        if line.starts_with("BEGIN:VEVENT") || line.starts_with("BEGIN:VTODO") {
            current.clear();
        }
        current.push(line.clone());
        if (line == "END:VEVENT" || line == "END:VTODO")
            && current.iter().any(|l| l == &format!("UID:{uid}"))
        {
            out = current.clone();
        }
    }
    assert!(!out.is_empty(), "no component {uid}");
    out
}

#[test]
fn text_is_escaped() {
    let ics = to_ics(&sample(), &IcsOptions::default());
    let odd = &sample()[6];
    let c = component(&ics, &uid(odd));
    assert!(c.contains(&r#"SUMMARY:Back\\slash\, semi\;colon and "quotes""#.to_string()));
    assert!(c
        .iter()
        .any(|l| l.starts_with(r"DESCRIPTION:line one\nline two\nline three\n\n")));
    let vote = component(&ics, &uid(&sample()[2]));
    assert!(vote.contains(&r"LOCATION:City Hall\, Room 4\; 2nd floor".to_string()));
}

#[test]
fn the_calendar_says_its_name_and_refresh() {
    let opts = IcsOptions {
        calendar_name: "Work, mostly".to_string(),
        ..IcsOptions::default()
    };
    let ics = to_ics(&sample(), &opts);
    let head: Vec<String> = lines(&ics)
        .into_iter()
        .take_while(|l| l != "BEGIN:VEVENT")
        .collect();
    for want in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//timeline//timeline//EN",
        "CALSCALE:GREGORIAN",
        r"NAME:Work\, mostly",
        r"X-WR-CALNAME:Work\, mostly",
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        "X-PUBLISHED-TTL:PT1H",
    ] {
        assert!(
            head.contains(&want.to_string()),
            "missing {want} in {head:?}"
        );
    }
}

#[test]
fn stamps_come_from_the_store_never_the_clock() {
    let ics = to_ics(
        &sample(),
        &IcsOptions {
            todo: true,
            ..IcsOptions::default()
        },
    );
    let stamps: Vec<String> = lines(&ics)
        .into_iter()
        .filter(|l| l.starts_with("DTSTAMP") || l.starts_with("LAST-MODIFIED"))
        .collect();
    assert_eq!(
        stamps.len(),
        2 * (7 + 2),
        "one of each per VEVENT and VTODO"
    );
    assert!(
        stamps.iter().all(|l| l.ends_with(":20141014T093000Z")),
        "{stamps:?}"
    );
}

#[test]
fn stamps_are_real_utc_under_the_users_zone() {
    // A user in New York (UTC-4 in October, under DST) added the events at
    // 09:30 wall time: DTSTAMP is 13:30Z, not 09:30 with a Z.
    let ics = to_ics(
        &sample(),
        &IcsOptions {
            zone: Some("America/New_York".to_string()),
            ..IcsOptions::default()
        },
    );
    let stamps: Vec<String> = lines(&ics)
        .into_iter()
        .filter(|l| l.starts_with("DTSTAMP"))
        .collect();
    assert!(!stamps.is_empty());
    assert!(
        stamps.iter().all(|l| l.ends_with(":20141014T133000Z")),
        "{stamps:?}"
    );
}

#[test]
fn dates_are_all_day_and_times_utc_or_floating() {
    let ics = to_ics(&sample(), &IcsOptions::default());
    let ev = sample();
    let deadline = component(&ics, &uid(&ev[0]));
    assert!(deadline.contains(&"DTSTART;VALUE=DATE:20141124".to_string()));
    assert!(deadline.contains(&"DTEND;VALUE=DATE:20141125".to_string()));
    let meeting = component(&ics, &uid(&ev[1]));
    assert!(meeting.contains(&"DTSTART:20141015T200000Z".to_string()));
    let vote = component(&ics, &uid(&ev[2]));
    assert!(vote.contains(&"DTSTART:20141017T103000".to_string()));
    // Floating only where the text gave no offset.
    let floating: Vec<String> = lines(&ics)
        .into_iter()
        .filter(|l| l.starts_with("DTSTART:") && !l.ends_with('Z'))
        .collect();
    assert_eq!(floating, vec!["DTSTART:20141017T103000".to_string()]);
    let weekly = component(&ics, &uid(&ev[4]));
    assert!(weekly.contains(&"RRULE:FREQ=WEEKLY;BYDAY=MO".to_string()));
    assert!(weekly.contains(&"DTSTART;VALUE=DATE:20141020".to_string()));
}

#[test]
fn recurrences_without_a_rule_are_left_out_and_counted() {
    let mut events = sample();
    events.push(event(
        "Briefing twice a month",
        Kind::Recurring,
        When::Recurring(Recurrence::unruled()),
    ));
    let ics = to_ics(&events, &IcsOptions::default());
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 7);
    assert!(lines(&ics).contains(&"X-TIMELINE-SKIPPED-RECURRING:1".to_string()));
    assert!(!to_ics(&sample(), &IcsOptions::default()).contains("X-TIMELINE-SKIPPED"));
}

#[test]
fn deadlines_carry_an_alarm_a_day_before() {
    let ev = sample();
    let ics = to_ics(&ev, &IcsOptions::default());
    let deadline = component(&ics, &uid(&ev[0]));
    // An all-day deadline: 09:00 the day before (midnight minus 15 hours),
    // not midnight.
    for want in [
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        "TRIGGER:-PT15H",
        "END:VALARM",
        "TRANSP:TRANSPARENT",
    ] {
        assert!(
            deadline.contains(&want.to_string()),
            "missing {want}: {deadline:?}"
        );
    }
    // An event's own lead time wins.
    assert!(component(&ics, &uid(&ev[6])).contains(&"TRIGGER:-PT2H".to_string()));
    // A meeting without one has no alarm.
    assert!(!component(&ics, &uid(&ev[1])).contains(&"BEGIN:VALARM".to_string()));
    // The VALARM has no DTSTAMP or UID of its own (RFC 5545 §3.6.6).
    let alarm: Vec<&String> = deadline
        .iter()
        .skip_while(|l| *l != "BEGIN:VALARM")
        .take_while(|l| *l != "END:VALARM")
        .collect();
    assert_eq!(alarm.len(), 4, "{alarm:?}");

    let lead = to_ics(
        &ev,
        &IcsOptions {
            alarm: Some(Duration::hours(36)),
            ..IcsOptions::default()
        },
    );
    assert!(component(&lead, &uid(&ev[0])).contains(&"TRIGGER:-P1DT12H".to_string()));
    let off = to_ics(
        &ev,
        &IcsOptions {
            alarm: None,
            ..IcsOptions::default()
        },
    );
    assert!(!off.contains("VALARM"));
}

#[test]
fn todo_adds_a_vtodo_due_on_each_deadline() {
    let mut ev = sample();
    ev[6].status = Status::Done;
    let ics = to_ics(
        &ev,
        &IcsOptions {
            todo: true,
            ..IcsOptions::default()
        },
    );
    assert_eq!(ics.matches("BEGIN:VTODO").count(), 2);
    let open = component(&ics, &format!("{}-todo@timeline", ev[0].id));
    assert!(open.contains(&"DUE;VALUE=DATE:20141124".to_string()));
    assert!(open.contains(&"STATUS:NEEDS-ACTION".to_string()));
    let done = component(&ics, &format!("{}-todo@timeline", ev[6].id));
    assert!(done.contains(&"STATUS:COMPLETED".to_string()));
    // A done deadline's event stays confirmed, says so, and rings no alarm.
    let done_event = component(&ics, &uid(&ev[6]));
    assert!(done_event.contains(&"STATUS:CONFIRMED".to_string()));
    assert!(done_event.contains(&"X-TIMELINE-STATUS:done".to_string()));
    assert!(!done_event.contains(&"BEGIN:VALARM".to_string()));
    assert!(!to_ics(&ev, &IcsOptions::default()).contains("VTODO"));
}

#[test]
fn sequence_grows_with_sources_and_completion() {
    let mut ev = sample();
    let seq = |e: &[Event]| {
        component(&to_ics(e, &IcsOptions::default()), &uid(&e[0]))
            .into_iter()
            .find(|l| l.starts_with("SEQUENCE:"))
            .unwrap()
    };
    assert_eq!(seq(&ev), "SEQUENCE:1");
    let extra = ev[0].sources[0].clone();
    ev[0].sources.push(extra);
    assert_eq!(seq(&ev), "SEQUENCE:2");
    ev[0].status = Status::Done;
    assert_eq!(seq(&ev), "SEQUENCE:3");
}

#[test]
fn json_is_the_documented_array() {
    let mut ev = sample();
    ev[0].notes = Some("Bring the draft.".to_string());
    let v: Value = serde_json::from_str(&to_json(&ev)).unwrap();
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), 7);
    assert_eq!(
        rows[0],
        json!({
            "id": ev[0].id, "title": "Deadline to finalize an agreement", "kind": "deadline",
            "where": null, "value": "2014-11-24", "start": "2014-11-24", "end": "2014-11-25",
            "status": "open", "added": "2014-10-14T09:30:00", "notes": "Bring the draft.",
            "sources": [{"file": "examples/vienna-talks.txt",
                         "sentence": "Deadline to finalize an agreement, officials said.",
                         "start": 10, "end": 17, "timex": "Nov. 24"}]
        })
    );
    assert_eq!(rows[1]["start"], "2014-10-15T15:00:00-05:00");
    assert_eq!(rows[1]["where"], "Vienna");
    assert_eq!(rows[2]["start"], "2014-10-17T10:30:00");
    assert_eq!(rows[3]["end"], "2014-11-01");
    assert_eq!(rows[4]["start"], Value::Null);
    assert_eq!(rows[4]["value"], "XXXX-WXX-1");
    assert_eq!(rows[6]["remind"], "2h");
    assert!(rows[1].get("notes").is_none());
    assert_eq!(to_json(&[]), "[]\n");
}

#[test]
fn csv_quotes_fields_per_rfc_4180() {
    let csv = to_csv(&sample());
    let rows: Vec<&str> = csv.split_terminator("\r\n").collect();
    assert_eq!(rows[0], "id,title,kind,where,value,start,end,status");
    assert_eq!(rows.len(), 8);
    assert_eq!(
        rows[3],
        format!(
            "{},Council to vote on the budget,scheduled,\"City Hall, Room 4; 2nd floor\",2014-10-17T10:30,2014-10-17T10:30:00,2014-10-17T10:31:00,open",
            sample()[2].id
        )
    );
    assert!(rows[5].ends_with(",recurring,,XXXX-WXX-1,,,open"));
    assert!(rows[7].contains(r#","Back\slash, semi;colon and ""quotes""",deadline,"#));
}

/// JSON and CSV are written from events borrowed from the store's read
/// cache, as the iCalendar feed is: the bytes must be those of the events
/// loaded whole, for every shape (zones, recurrences with a rule and done
/// days, tags, several sources, notes, hard characters).
#[test]
fn json_and_csv_from_the_read_cache_are_those_of_the_loaded_events() {
    use timeline::feed::json_csv::{write_csv, write_json};
    use timeline::store::{EventRef, Store};
    let dir = scratch("cache-json");
    let mut events = sample();
    events[0].tags = vec!["grant".to_string(), "q4".to_string()];
    events[1].tz = Some("America/New_York".to_string());
    events[2].sources.push(Source {
        file: "minutes.md".to_string(),
        sentence: "The vote was moved, \"again\".".to_string(),
        start: 3,
        end: 9,
        timex: "Friday".to_string(),
    });
    if let When::Recurring(r) = &mut events[4].when {
        r.done_through = Some(day(2014, 10, 27));
    }
    events[5].context = Some("Budget 2015".to_string());
    let store = Store::new(dir.join("events.toml"));
    store.merge(&events).unwrap();
    let loaded = store.load().unwrap();
    assert_eq!(loaded.len(), events.len());
    // A view writes the read cache; the next read borrows from it.
    store.with_rows(|rows| rows.len()).unwrap();
    assert!(
        store.cache_path().exists(),
        "the read cache was not written"
    );
    let (json, csv) = store
        .with_event_refs(|refs| {
            let refs: Vec<&EventRef> = refs.iter().collect();
            let (mut json, mut csv) = (Vec::new(), Vec::new());
            write_json(&refs, &mut json).unwrap();
            write_csv(&refs, &mut csv).unwrap();
            (
                String::from_utf8(json).unwrap(),
                String::from_utf8(csv).unwrap(),
            )
        })
        .unwrap();
    assert_eq!(json, to_json(&loaded));
    assert_eq!(csv, to_csv(&loaded));
    let rows: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(rows[0]["tags"], json!(["grant", "q4"]));
    assert_eq!(rows[1]["tz"], "America/New_York");
    assert_eq!(rows[2]["sources"][1]["timex"], "Friday");
    assert_eq!(rows[4]["done_through"], "2014-10-27");
}
