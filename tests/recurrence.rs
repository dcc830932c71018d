//! Recurring events end to end: said in words or as an RFC 5545 rule,
//! shown with their next occurrence, done one occurrence at a time, and
//! exported with their interval, so a calendar app sees the same days.

mod common;

use common::{err, ok, run};

/// Monday 30 November 2026, 14:00.
const NOW: &str = "2026-11-30T14:00";

fn add_recurring(store: &std::path::Path, title: &str, recur: &str) -> String {
    ok(&run(
        store,
        &["add", "--title", title, "--recur", recur, "--now", NOW],
    ))
}

#[test]
fn recurrences_said_in_words_keep_their_interval_and_ordinal() {
    let dir = common::scratch("recurrence", "words");
    let store = dir.join("events.toml");
    let out = add_recurring(&store, "Reading group", "every other thursday");
    assert!(
        out.contains("→ every other Thu · first Thu 2026-12-03"),
        "{out}"
    );
    let out = add_recurring(&store, "Board", "the first monday of each month at 7pm");
    assert!(
        out.contains("→ monthly on the 1st Mon at 19:00 · first Mon 2026-12-07"),
        "{out}"
    );
    let out = add_recurring(&store, "Rent", "FREQ=MONTHLY;BYMONTHDAY=1");
    assert!(
        out.contains("→ monthly on the 1st · first Tue 2026-12-01"),
        "{out}"
    );

    let text = std::fs::read_to_string(&store).unwrap();
    assert!(
        text.contains("recurs = \"FREQ=WEEKLY;INTERVAL=2;BYDAY=TH\""),
        "{text}"
    );
    assert!(text.contains("first = 2026-12-07T19:00:00"), "{text}");

    // Soonest next occurrence first, each with its rule in words.
    let out = ok(&run(&store, &["upcoming", "--now", NOW]));
    let rent = out
        .find("monthly on the 1st · next Tue 2026-12-01")
        .expect(&out);
    let reading = out
        .find("every other Thu · next Thu 2026-12-03")
        .expect(&out);
    let board = out.find("next Mon 2026-12-07").expect(&out);
    assert!(rent < reading && reading < board, "{out}");
}

#[test]
fn done_on_a_recurrence_moves_it_on_and_undo_brings_it_back() {
    let dir = common::scratch("recurrence", "done-next");
    let store = dir.join("events.toml");
    add_recurring(&store, "Reading group", "every other thursday");
    let listed = ok(&run(&store, &["list", "--format", "json", "--now", NOW]));
    let events: serde_json::Value = serde_json::from_str(&listed).unwrap();
    let id = events[0]["id"].as_str().unwrap().to_string();
    assert_eq!(events[0]["rrule"], "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH");
    assert_eq!(events[0]["first"], "2026-12-03");

    let out = ok(&run(&store, &["done", &id, "--now", NOW]));
    assert!(
        out.contains("done for Thu 2026-12-03") && out.contains("next Thu 2026-12-17"),
        "{out}"
    );
    // Still open, and the views count to the next occurrence.
    let out = ok(&run(&store, &["upcoming", "--now", NOW]));
    assert!(out.contains("next Thu 2026-12-17"), "{out}");
    let text = std::fs::read_to_string(&store).unwrap();
    assert!(text.contains("done_through = 2026-12-03"), "{text}");
    assert!(text.contains("status = \"open\""), "{text}");

    ok(&run(&store, &["undo"]));
    let out = ok(&run(&store, &["upcoming", "--now", NOW]));
    assert!(out.contains("next Thu 2026-12-03"), "{out}");
}

#[test]
fn a_recurring_deadline_counts_down_to_its_next_occurrence() {
    let dir = common::scratch("recurrence", "countdown");
    let store = dir.join("events.toml");
    ok(&run(
        &store,
        &[
            "add",
            "--title",
            "Timesheet",
            "--recur",
            "weekly",
            "--date",
            "friday 5pm",
            "--deadline",
            "--now",
            NOW,
        ],
    ));
    let out = ok(&run(
        &store,
        &["countdown", "--format", "json", "--now", NOW],
    ));
    assert!(out.contains("2026-12-04T17:00"), "{out}");
}

#[test]
fn the_feed_carries_the_rule_and_the_first_occurrence() {
    let dir = common::scratch("recurrence", "feed");
    let store = dir.join("events.toml");
    add_recurring(&store, "Reading group", "every other thursday");
    ok(&run(
        &store,
        &[
            "add",
            "--title",
            "Standup",
            "--recur",
            "every weekday at 9:30",
            "--now",
            NOW,
            "--tz",
            "Europe/Vienna",
        ],
    ));
    let ics = ok(&run(&store, &["export", "--format", "ics"]));
    assert!(
        ics.contains("RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TH\r\n"),
        "{ics}"
    );
    assert!(ics.contains("DTSTART;VALUE=DATE:20261203\r\n"), "{ics}");
    assert!(
        ics.contains("RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=9;BYMINUTE=30\r\n"),
        "{ics}"
    );
    // A time of day recurs in the user's zone, which the feed defines.
    assert!(
        ics.contains("DTSTART;TZID=Europe/Vienna:20261130T093000\r\n"),
        "{ics}"
    );
    assert!(
        ics.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/Vienna\r\n"),
        "{ics}"
    );
}

#[test]
fn the_calendar_marks_every_occurrence() {
    let dir = common::scratch("recurrence", "calendar");
    let store = dir.join("events.toml");
    add_recurring(&store, "Reading group", "every other thursday");
    let out = ok(&run(
        &store,
        &["calendar", "--month", "2026-12", "--now", NOW],
    ));
    for day in ["2026-12-03", "2026-12-17", "2026-12-31"] {
        assert!(out.contains(day), "{day}: {out}");
    }
    assert!(!out.contains("2026-12-10"), "{out}");
}

#[test]
fn recurrences_found_in_documents_are_kept_with_their_rule() {
    let dir = common::scratch("recurrence", "document");
    let store = dir.join("events.toml");
    let doc = dir.join("club.txt");
    std::fs::write(
        &doc,
        "Chess club\n\nThe club meets every other Tuesday in the library.\n\
         Dues are collected on the last Friday of every month.\n",
    )
    .unwrap();
    ok(&run(
        &store,
        &[
            "add",
            doc.to_str().unwrap(),
            "--dct",
            "2026-11-30",
            "--now",
            NOW,
        ],
    ));
    let text = std::fs::read_to_string(&store).unwrap();
    assert!(text.contains("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"), "{text}");
    assert!(text.contains("FREQ=MONTHLY;BYDAY=-1FR"), "{text}");
}

#[test]
fn what_does_not_recur_is_refused_with_a_hint() {
    let dir = common::scratch("recurrence", "refused");
    let store = dir.join("events.toml");
    for (recur, says) in [
        ("tomorrow", "does not recur"),
        ("twice a month", "no calendar rule can say"),
        ("FREQ=WEEKLY;BYDAY=XX", "XX"),
        ("purple", "could not read"),
    ] {
        let o = run(
            &store,
            &["add", "--title", "X", "--recur", recur, "--now", NOW],
        );
        assert_eq!(o.status.code(), Some(2), "{recur}");
        let e = err(&o);
        assert!(e.contains("--recur") && e.contains(says), "{recur}: {e}");
    }
    assert!(!store.exists());
}
