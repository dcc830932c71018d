//! End-to-end tests of the deadline tracker: `add`, `upcoming`, `countdown`,
//! `done`, `rm`, `show`, `list` filters, and many concurrent writers.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::run;

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/vienna-talks.txt")
}

/// A fresh folder for one test.
fn scratch(name: &str) -> common::Scratch {
    common::scratch("tracking", name)
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn add_example(store: &Path) {
    let o = run(
        store,
        &[
            "add",
            example().to_str().unwrap(),
            "--dct",
            "2014-10-14",
            "--now",
            "2014-10-14T09:00",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

fn events_json(store: &Path, args: &[&str]) -> Vec<serde_json::Value> {
    let mut all = vec!["list", "--all", "--format", "json", "--today", "2014-10-14"];
    all.extend_from_slice(args);
    let o = run(store, &all);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).expect("list --format json is a JSON array")
}

#[test]
fn upcoming_shows_the_vienna_meeting_and_the_deadline() {
    let dir = scratch("upcoming");
    let store = dir.join("events.toml");
    add_example(&store);
    let o = run(&store, &["upcoming", "--today", "2014-10-14"]);
    let table = stdout(&o);
    assert!(o.status.success());
    assert!(table.contains("2014-10-15"), "{table}");
    assert!(table.contains("Vienna"), "{table}");
    assert!(table.contains("meeting"), "{table}");
    assert!(table.contains("2014-11-24"), "{table}");
    assert!(
        table.contains("Deadline to finalize an agreement"),
        "{table}"
    );
    assert!(table.contains("deadline"), "{table}");

    let events = events_json(&store, &[]);
    let meeting = events
        .iter()
        .find(|e| e["value"] == "2014-10-15")
        .expect("the Wednesday meeting");
    assert_eq!(meeting["kind"], "meeting");
    assert_eq!(meeting["where"], "Vienna");
    let deadline = events
        .iter()
        .find(|e| e["value"] == "2014-11-24")
        .expect("the Nov. 24 deadline");
    assert_eq!(deadline["kind"], "deadline");
    assert_eq!(deadline["title"], "Deadline to finalize an agreement");
    let dispute = events
        .iter()
        .find(|e| e["value"] == "2014-03/2014-10")
        .expect("seven months of dispute as a range");
    assert_eq!(dispute["kind"], "ongoing");
}

#[test]
fn countdown_counts_to_the_start_of_the_deadline_day() {
    let dir = scratch("countdown");
    let store = dir.join("events.toml");
    add_example(&store);
    let o = run(&store, &["countdown", "--now", "2014-10-14T12:00"]);
    let text = stdout(&o);
    assert!(o.status.success());
    assert!(text.contains("40 days 12 hours 0 minutes"), "{text}");
    // Nearest first.
    let first = text.find("2014-11-24").unwrap();
    let second = text.find("2014-11-30").unwrap();
    assert!(first < second, "{text}");
}

#[test]
fn adding_the_same_document_twice_adds_nothing() {
    let dir = scratch("twice");
    let store = dir.join("events.toml");
    add_example(&store);
    let before = std::fs::read(&store).unwrap();
    let o = run(
        &store,
        &[
            "add",
            example().to_str().unwrap(),
            "--dct",
            "2014-10-14",
            "--now",
            "2014-10-15T09:00",
        ],
    );
    assert!(stdout(&o).contains("0 added"), "{}", stdout(&o));
    assert_eq!(before, std::fs::read(&store).unwrap());
}

#[test]
fn the_same_event_from_two_documents_has_two_sources() {
    let dir = scratch("sources");
    let store = dir.join("events.toml");
    let a = dir.join("a.txt");
    let b = dir.join("b.txt");
    std::fs::write(&a, "The council will vote on the budget on Friday.\n").unwrap();
    std::fs::write(
        &b,
        "Reminder: the council will vote on the budget on Friday.\n",
    )
    .unwrap();
    for f in [&a, &b] {
        let o = run(&store, &["add", f.to_str().unwrap(), "--dct", "2014-10-14"]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let events = events_json(&store, &[]);
    let vote: Vec<_> = events
        .iter()
        .filter(|e| e["value"] == "2014-10-17")
        .collect();
    assert_eq!(vote.len(), 1, "{events:?}");
    assert_eq!(vote[0]["sources"].as_array().unwrap().len(), 2);
}

#[test]
fn dry_run_changes_nothing() {
    let dir = scratch("dry");
    let store = dir.join("events.toml");
    let o = run(
        &store,
        &[
            "add",
            example().to_str().unwrap(),
            "--dct",
            "2014-10-14",
            "--dry-run",
            "--format",
            "json",
        ],
    );
    assert!(o.status.success());
    let events: Vec<serde_json::Value> = serde_json::from_slice(&o.stdout).unwrap();
    assert!(events.iter().any(|e| e["value"] == "2014-11-24"));
    assert!(!store.exists());
}

#[test]
fn done_rm_and_show_by_id_prefix() {
    let dir = scratch("done");
    let store = dir.join("events.toml");
    let o = run(
        &store,
        &[
            "add",
            "--title",
            "File the tax return",
            "--date",
            "2015-04-15",
            "--deadline",
            "--where",
            "Online",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let id = stdout(&o).split_whitespace().next().unwrap().to_string();
    let prefix = &id[..6];
    let shown = stdout(&run(&store, &["show", prefix, "--today", "2015-04-01"]));
    assert!(
        shown.contains("File the tax return") && shown.contains("Online"),
        "{shown}"
    );
    assert!(shown.contains("in 2 weeks"), "{shown}");
    assert!(run(&store, &["done", prefix]).status.success());
    let listed = stdout(&run(&store, &["list", "--today", "2015-04-01"]));
    assert!(
        !listed.contains("File the tax return"),
        "done events are hidden: {listed}"
    );
    let all = stdout(&run(&store, &["list", "--all", "--today", "2015-04-01"]));
    assert!(all.contains("File the tax return"), "{all}");
    assert!(run(&store, &["rm", prefix]).status.success());
    let o = run(&store, &["show", &id]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains(&id));
}

#[test]
fn list_filters_by_kind_place_text_and_span() {
    let dir = scratch("filters");
    let store = dir.join("events.toml");
    add_example(&store);
    let deadlines = events_json(&store, &["--kind", "deadline"]);
    assert!(!deadlines.is_empty());
    assert!(deadlines.iter().all(|e| e["kind"] == "deadline"));
    let vienna = events_json(&store, &["--where", "vien"]);
    assert_eq!(vienna.len(), 1);
    let grep = events_json(&store, &["--grep", "AGREEMENT"]);
    assert!(grep.iter().any(|e| e["value"] == "2014-11-24"));
    let soon = events_json(&store, &["--within", "3d", "--from", "2014-10-14"]);
    assert!(soon.iter().any(|e| e["value"] == "2014-10-15"));
    assert!(soon.iter().all(|e| e["value"] != "2014-11-24"));
    let csv = stdout(&run(
        &store,
        &["list", "--format", "csv", "--today", "2014-10-14"],
    ));
    assert!(
        csv.starts_with("id,title,kind,where,value,start,end,status"),
        "{csv}"
    );
}

#[test]
fn overdue_deadlines_are_marked() {
    let dir = scratch("overdue");
    let store = dir.join("events.toml");
    add_example(&store);
    let table = stdout(&run(&store, &["list", "--today", "2014-12-01"]));
    assert!(table.contains("overdue"), "{table}");
}

#[test]
fn many_processes_adding_at_once_lose_nothing() {
    let dir = scratch("concurrent");
    let store = dir.join("events.toml");
    let children: Vec<_> = (0..24)
        .map(|n| {
            Command::new(env!("CARGO_BIN_EXE_timeline"))
                .args([
                    "add",
                    "--title",
                    &format!("Task number {n}"),
                    "--date",
                    "2015-01-10",
                    "--deadline",
                ])
                .arg("--store")
                .arg(&store)
                .env_remove("TIMELINE_STORE")
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    let events = events_json(&store, &[]);
    assert_eq!(events.len(), 24, "{events:?}");
}

#[test]
fn a_broken_store_is_reported_and_left_alone() {
    let dir = scratch("broken");
    let store = dir.join("events.toml");
    let broken = "# mine\n[[event]]\nid = \"ev-1\"\ntitle = \"x\nkind = \"deadline\"\n";
    std::fs::write(&store, broken).unwrap();
    let o = run(&store, &["add", "--title", "New", "--date", "2015-01-10"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("events.toml") && err.contains("line"), "{err}");
    assert_eq!(std::fs::read_to_string(&store).unwrap(), broken);
}

#[test]
fn bad_view_arguments_are_usage_errors() {
    let dir = scratch("usage");
    let store = dir.join("events.toml");
    for args in [
        vec!["list", "--within", "soon"],
        vec!["upcoming", "--today", "2014-13-01"],
        vec!["add", "--title", "x", "--date", "someday soon"],
        vec!["list", "--from", "the twelfth of never"],
    ] {
        let o = run(&store, &args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(!String::from_utf8_lossy(&o.stderr).contains("panicked"));
    }
}

#[test]
fn export_writes_ics_json_and_csv_through_the_command_line() {
    let dir = scratch("export");
    let store = dir.join("events.toml");
    add_example(&store);
    let ics = run(
        &store,
        &[
            "export", "--format", "ics", "--kind", "deadline", "--alarm", "2h",
        ],
    );
    assert!(
        ics.status.success(),
        "{}",
        String::from_utf8_lossy(&ics.stderr)
    );
    let text = stdout(&ics);
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n"), "{text}");
    assert!(text.contains("SUMMARY:Deadline to finalize an agreement\r\n"));
    assert!(text.contains("DTSTART;VALUE=DATE:20141124\r\n"));
    assert!(text.contains("TRIGGER:-PT2H\r\n"), "{text}");
    assert!(
        !text.contains("CATEGORIES:meeting"),
        "filtered to deadlines"
    );
    let file = dir.join("feed.ics");
    let o = run(&store, &["export", "-o", file.to_str().unwrap()]);
    assert!(o.status.success());
    assert!(std::fs::read_to_string(&file)
        .unwrap()
        .contains("LOCATION:Vienna"));
    let json = run(&store, &["export", "--format", "json"]);
    let events: Vec<serde_json::Value> = serde_json::from_slice(&json.stdout).unwrap();
    assert!(events.iter().any(|e| e["where"] == "Vienna"));
    let csv = stdout(&run(&store, &["export", "--format", "csv"]));
    assert!(csv.starts_with("id,title,kind,where,value,start,end,status"));
    let bad = run(&store, &["export", "--alarm", "soon"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn limit_cuts_a_table_and_says_how_many_more() {
    let dir = scratch("limit");
    let store = dir.join("events.toml");
    add_example(&store);
    let all = events_json(&store, &[]).len();
    let o = run(
        &store,
        &["list", "--all", "--limit", "2", "--today", "2014-10-14"],
    );
    let text = stdout(&o);
    assert!(
        text.ends_with(&format!(
            "… and {} more (--limit 0 shows them all)\n",
            all - 2
        )),
        "{text}"
    );
    // Off a terminal, and with --limit 0, every row; JSON is never cut.
    let o = run(&store, &["list", "--all", "--today", "2014-10-14"]);
    assert!(!stdout(&o).contains("more (--limit"), "{}", stdout(&o));
    assert_eq!(events_json(&store, &["--limit", "1"]).len(), all);
    // The countdown too.
    let today = ["--today", "2014-10-14"];
    let json = run(
        &store,
        &[&["countdown", "--format", "json"][..], &today].concat(),
    );
    let deadlines = serde_json::from_slice::<Vec<serde_json::Value>>(&json.stdout).unwrap();
    assert!(deadlines.len() > 1, "{}", stdout(&json));
    let o = run(
        &store,
        &[&["countdown", "--limit", "1"][..], &today].concat(),
    );
    let text = stdout(&o);
    let more = format!(
        "… and {} more (--limit 0 shows them all)\n",
        deadlines.len() - 1
    );
    assert!(text.ends_with(&more), "{text}");
    let o = run(
        &store,
        &[&["countdown", "--limit", "0"][..], &today].concat(),
    );
    assert!(!stdout(&o).contains("more (--limit"), "{}", stdout(&o));
}

#[test]
fn a_clock_range_ends_the_calendar_event() {
    let dir = scratch("clock-range");
    let store = dir.join("events.toml");
    let doc = dir.join("memo.txt");
    std::fs::write(
        &doc,
        "The budget review will be held 2-3pm on Thursday, Dec 3 in room B.\n",
    )
    .unwrap();
    let added = run(
        &store,
        &[
            "add",
            doc.to_str().unwrap(),
            "--dct",
            "2026-11-30",
            "--now",
            "2026-11-30T09:00",
        ],
    );
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let typed = run(
        &store,
        &[
            "add",
            "--title",
            "Dentist",
            "--date",
            "tomorrow 9-10:30am",
            "--now",
            "2026-11-30T09:00",
        ],
    );
    assert!(
        typed.status.success(),
        "{}",
        String::from_utf8_lossy(&typed.stderr)
    );
    let ics = stdout(&run(&store, &["export", "--format", "ics"]));
    for line in [
        "DTSTART:20261203T140000",
        "DTEND:20261203T150000",
        "DTSTART:20261201T090000",
        "DTEND:20261201T103000",
    ] {
        assert!(ics.contains(line), "{line} missing:\n{ics}");
    }
}
