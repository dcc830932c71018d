//! The tracker as people use it every day, end to end: dates typed in
//! plain English (and echoed back), "now" fixed on any command, overdue
//! deadlines first, `timeline overdue`, and countdown in every format.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{err, ok, run};

/// Monday 30 November 2026, 14:00.
const NOW: &str = "2026-11-30T14:00";

#[test]
fn add_reads_dates_as_people_say_them_and_echoes_them() {
    let dir = common::scratch("daily", "add");
    let store = dir.join("events.toml");
    let out = ok(&run(
        &store,
        &[
            "add",
            "--title",
            "Review call",
            "--date",
            "next friday 5pm",
            "--now",
            NOW,
        ],
    ));
    assert!(out.contains("→ Fri 2026-12-04 17:00"), "{out}");
    assert!(out.contains("(2026-12-04T17:00)"), "{out}");
    // A bare weekday for a new event is the coming one.
    let out = ok(&run(
        &store,
        &["add", "--title", "Demo", "--date", "friday", "--now", NOW],
    ));
    assert!(
        out.contains("→ Fri 2026-12-04") && out.contains("(2026-12-04)"),
        "{out}"
    );
    let out = ok(&run(
        &store,
        &[
            "add",
            "--title",
            "Call mum",
            "--date",
            "tomorrow",
            "--today",
            "2026-11-30",
        ],
    ));
    assert!(out.contains("(2026-12-01)"), "{out}");
    // ISO is taken as written, with nothing to echo.
    let out = ok(&run(
        &store,
        &[
            "add",
            "--title",
            "Tax",
            "--date",
            "2027-04-15",
            "--now",
            NOW,
        ],
    ));
    assert!(!out.contains('→') && out.contains("(2027-04-15)"), "{out}");
}

#[test]
fn an_unreadable_date_says_what_was_understood() {
    let dir = common::scratch("daily", "unreadable");
    let store = dir.join("events.toml");
    let o = run(
        &store,
        &[
            "add",
            "--title",
            "X",
            "--date",
            "next friday after lunch-ish",
            "--now",
            NOW,
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    let e = err(&o);
    assert!(
        e.contains("--date") && e.contains("next friday") && e.contains("lunch-ish"),
        "{e}"
    );
    assert!(!store.exists(), "nothing is written on a usage error");
    let o = run(&store, &["list", "--within", "a while", "--now", NOW]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("--within"), "{}", err(&o));
}

#[test]
fn filters_take_phrases_and_say_what_they_read() {
    let dir = common::scratch("daily", "filters");
    let store = dir.join("events.toml");
    for (title, date) in [
        ("Today thing", "2026-11-30"),
        ("Tomorrow thing", "2026-12-01"),
        ("Later thing", "2026-12-28"),
    ] {
        ok(&run(
            &store,
            &["add", "--title", title, "--date", date, "--now", NOW],
        ));
    }
    let o = run(
        &store,
        &[
            "upcoming", "--from", "tomorrow", "--within", "2 weeks", "--now", NOW, "--format",
            "json",
        ],
    );
    let shown: Vec<serde_json::Value> = serde_json::from_str(&ok(&o)).unwrap();
    let titles: Vec<&str> = shown.iter().map(|e| e["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["Tomorrow thing"]);
    assert!(
        err(&o).contains("--from tomorrow → Tue 2026-12-01"),
        "{}",
        err(&o)
    );
    // --to a day includes that day.
    let o = run(
        &store,
        &["list", "--to", "tomorrow", "--now", NOW, "--format", "json"],
    );
    let shown: Vec<serde_json::Value> = serde_json::from_str(&ok(&o)).unwrap();
    assert_eq!(shown.len(), 2, "{shown:?}");
}

#[test]
fn dct_takes_a_phrase_read_backwards() {
    let dir = common::scratch("daily", "dct");
    let doc = dir.join("memo.txt");
    std::fs::write(&doc, "The board meets again next Wednesday.\n").unwrap();
    let o = run(
        &dir.join("events.toml"),
        &[
            "extract",
            doc.to_str().unwrap(),
            "--dct",
            "yesterday",
            "--now",
            NOW,
            "--format",
            "json",
        ],
    );
    let out = ok(&o);
    assert!(
        err(&o).contains("--dct yesterday → Sun 2026-11-29"),
        "{}",
        err(&o)
    );
    // Next Wednesday from Sunday 29 November.
    assert!(out.contains("2026-12-02"), "{out}");
}

#[test]
fn overdue_deadlines_lead_upcoming_and_countdown_until_done() {
    let dir = common::scratch("daily", "overdue");
    let store = dir.join("events.toml");
    ok(&run(
        &store,
        &[
            "add",
            "--title",
            "Grant report",
            "--date",
            "2026-11-20",
            "--deadline",
            "--now",
            NOW,
        ],
    ));
    ok(&run(
        &store,
        &[
            "add",
            "--title",
            "Camera ready",
            "--date",
            "2026-12-20",
            "--deadline",
            "--now",
            NOW,
        ],
    ));
    ok(&run(
        &store,
        &[
            "add",
            "--title",
            "Old talk",
            "--date",
            "2026-11-10",
            "--now",
            NOW,
        ],
    ));

    let countdown = ok(&run(&store, &["countdown", "--now", NOW]));
    let late = countdown
        .find("Grant report")
        .expect("overdue deadline shown");
    let next = countdown.find("Camera ready").unwrap();
    assert!(late < next, "{countdown}");
    assert!(countdown.contains("overdue by 10 days"), "{countdown}");

    let upcoming = ok(&run(&store, &["upcoming", "--now", NOW]));
    assert!(
        upcoming.find("Grant report").unwrap() < upcoming.find("Camera ready").unwrap(),
        "{upcoming}"
    );
    assert!(!upcoming.contains("Old talk"), "{upcoming}");

    let overdue = ok(&run(&store, &["overdue", "--now", NOW]));
    assert!(
        overdue.contains("Grant report") && !overdue.contains("Camera ready"),
        "{overdue}"
    );

    let id = {
        let json = ok(&run(&store, &["overdue", "--now", NOW, "--format", "json"]));
        let v: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
        v[0]["id"].as_str().unwrap().to_string()
    };
    ok(&run(&store, &["done", &id]));
    let overdue = ok(&run(&store, &["overdue", "--now", NOW]));
    assert!(overdue.contains("No overdue deadlines"), "{overdue}");
    let countdown = ok(&run(&store, &["countdown", "--now", NOW]));
    assert!(!countdown.contains("Grant report"), "{countdown}");
}

#[test]
fn countdown_honours_json_and_csv() {
    let dir = common::scratch("daily", "formats");
    let store = dir.join("events.toml");
    ok(&run(
        &store,
        &[
            "add",
            "--title",
            "Camera ready",
            "--date",
            "2026-12-20",
            "--deadline",
            "--now",
            NOW,
        ],
    ));
    let json = ok(&run(
        &store,
        &["countdown", "--now", NOW, "--format", "json"],
    ));
    let v: Vec<serde_json::Value> = serde_json::from_str(&json).expect("JSON");
    assert_eq!(v[0]["title"], "Camera ready");
    let csv = ok(&run(
        &store,
        &["countdown", "--now", NOW, "--format", "csv"],
    ));
    assert!(
        csv.starts_with("id,title,kind") && csv.contains("Camera ready"),
        "{csv}"
    );
}

#[test]
fn serve_and_watch_refuse_a_fixed_now() {
    let dir = common::scratch("daily", "fixed");
    let store = dir.join("events.toml");
    let o = run(&store, &["serve", "--now", NOW]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("follows the clock"), "{}", err(&o));
}

/// Runs without --store, in `cwd`, with the data folder at `data`.
fn run_in(cwd: &Path, data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_timeline"))
        .args(args)
        .current_dir(cwd)
        .env_remove("TIMELINE_STORE")
        .env("XDG_DATA_HOME", data)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

#[test]
fn the_store_is_found_as_git_finds_its_folder() {
    let dir = common::scratch("daily", "discover");
    let (project, data) = (dir.join("project"), dir.join("data"));
    let deep = project.join("notes/2026");
    std::fs::create_dir_all(&deep).unwrap();
    std::fs::create_dir_all(&data).unwrap();
    // No store anywhere: the data folder's, and the first write says so.
    let o = run_in(
        &deep,
        &data,
        &["add", "--title", "Anywhere", "--date", "2026-12-01"],
    );
    ok(&o);
    let in_data = data.join("timeline/events.toml");
    assert!(in_data.is_file());
    assert!(
        err(&o).contains("created the store") && err(&o).contains("timeline/events.toml"),
        "{}",
        err(&o)
    );
    // A store in a parent folder wins over the data folder.
    std::fs::write(project.join("events.toml"), "# project deadlines\n").unwrap();
    ok(&run_in(
        &deep,
        &data,
        &["add", "--title", "Project thing", "--date", "2026-12-02"],
    ));
    let project_store = std::fs::read_to_string(project.join("events.toml")).unwrap();
    assert!(project_store.contains("Project thing"), "{project_store}");
    assert!(!std::fs::read_to_string(&in_data)
        .unwrap()
        .contains("Project thing"));
    // "No events match" names the store it read.
    let o = run_in(
        &deep,
        &data,
        &["list", "--grep", "nothing like this", "--now", NOW],
    );
    let out = ok(&o);
    assert!(
        out.contains("No events match in") && out.contains("events.toml"),
        "{out}"
    );
}

#[test]
fn export_and_serve_hold_the_same_events_by_default() {
    let dir = common::scratch("daily", "feed-default");
    let store = dir.join("events.toml");
    ok(&run(
        &store,
        &[
            "add",
            "--title",
            "Old talk",
            "--date",
            "2026-11-10",
            "--now",
            NOW,
        ],
    ));
    ok(&run(
        &store,
        &[
            "add",
            "--title",
            "Next talk",
            "--date",
            "2026-12-10",
            "--now",
            NOW,
        ],
    ));
    let ics = ok(&run(&store, &["export", "--now", NOW]));
    // A calendar shows history, as the served feed does.
    assert!(
        ics.contains("SUMMARY:Old talk") && ics.contains("SUMMARY:Next talk"),
        "{ics}"
    );
}

#[test]
fn calendar_draws_the_month_with_marked_days() {
    let dir = common::scratch("daily", "calendar");
    let store = dir.join("events.toml");
    ok(&run(
        &store,
        &[
            "add",
            "--title",
            "Camera ready",
            "--date",
            "2026-12-04",
            "--deadline",
            "--now",
            NOW,
        ],
    ));
    ok(&run(
        &store,
        &[
            "add",
            "--title",
            "Winter school",
            "--date",
            "2026-12-14",
            "--now",
            NOW,
        ],
    ));
    let out = ok(&run(
        &store,
        &["calendar", "--month", "2026-12", "--now", NOW],
    ));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0].trim(), "December 2026", "{out}");
    assert!(out.contains("  4!") && out.contains(" 14*"), "{out}");
    assert!(
        out.contains("2026-12-04") && out.contains("Camera ready"),
        "{out}"
    );
    assert!(lines.iter().all(|l| l.chars().count() <= 80), "{out}");
    let o = run(&store, &["calendar", "--month", "December", "--now", NOW]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("--month"), "{}", err(&o));
}

#[test]
fn modify_reopen_and_undo_keep_what_the_user_wrote() {
    let dir = common::scratch("daily", "edit");
    let store = dir.join("events.toml");
    std::fs::write(
        &store,
        "# my deadlines\n\n[[event]]\n# from the grant office\nid = \"ev-1111aaaa2222bbbb\"\ntitle = \"Grant report\"\nkind = \"deadline\"\ndate = 2026-12-10\nvalue = \"2026-12-10\"\nstatus = \"open\"\nadded = 2026-11-01T09:00:00\n",
    )
    .unwrap();
    let out = ok(&run(
        &store,
        &[
            "modify",
            "1111aaaa",
            "--date",
            "next friday 5pm",
            "--where",
            "Room 4",
            "--now",
            NOW,
        ],
    ));
    assert!(
        out.contains("→ Fri 2026-12-04 17:00") && out.contains("modified"),
        "{out}"
    );
    let text = std::fs::read_to_string(&store).unwrap();
    assert!(
        text.starts_with("# my deadlines\n") && text.contains("# from the grant office"),
        "{text}"
    );
    assert!(
        text.contains("at = 2026-12-04T17:00:00") && !text.contains("date = "),
        "{text}"
    );
    assert!(text.contains("where = \"Room 4\""), "{text}");

    ok(&run(&store, &["done", "1111aaaa"]));
    let out = ok(&run(&store, &["reopen", "1111aaaa"]));
    assert!(out.contains("reopened"), "{out}");
    assert!(std::fs::read_to_string(&store)
        .unwrap()
        .contains("status = \"open\""));

    ok(&run(&store, &["rm", "1111aaaa", "--yes"]));
    assert!(!std::fs::read_to_string(&store)
        .unwrap()
        .contains("Grant report"));
    let out = ok(&run(&store, &["undo"]));
    assert!(out.contains("before the last change"), "{out}");
    let back = std::fs::read_to_string(&store).unwrap();
    assert!(
        back.contains("Grant report") && back.contains("# from the grant office"),
        "{back}"
    );
    // Undo again and again: reopen, done, modify, back to the original.
    for _ in 0..3 {
        ok(&run(&store, &["undo"]));
    }
    let original = std::fs::read_to_string(&store).unwrap();
    assert!(
        original.contains("date = 2026-12-10") && !original.contains("Room 4"),
        "{original}"
    );
    let out = ok(&run(&store, &["undo"]));
    assert!(out.contains("nothing to undo"), "{out}");

    let o = run(&store, &["modify", "1111aaaa"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("nothing to change"), "{}", err(&o));
}

#[test]
fn the_undo_journal_is_bounded() {
    let dir = common::scratch("daily", "journal");
    let store = dir.join("events.toml");
    for i in 0..25 {
        let title = format!("Item {i}");
        ok(&run(
            &store,
            &["add", "--title", &title, "--date", "2026-12-01"],
        ));
    }
    let journal = dir.join(".events.toml.undo");
    let kept = std::fs::read_dir(&journal).unwrap().count();
    assert_eq!(kept, 20, "the last 20 versions are kept");
}

#[test]
fn tags_are_added_filtered_shown_and_exported() {
    let dir = common::scratch("daily", "tags");
    let store = dir.join("events.toml");
    let doc = dir.join("call.md");
    std::fs::write(&doc, "# ICWX 2026\n\n- Abstract submission: 2026-12-07\n").unwrap();
    // add says what it added, one line each.
    let out = ok(&run(
        &store,
        &["add", doc.to_str().unwrap(), "+conf", "--now", NOW],
    ));
    assert!(
        out.contains("+ ev-") && out.contains("2026-12-07  ICWX 2026 · Abstract submission"),
        "{out}"
    );
    ok(&run(
        &store,
        &[
            "add",
            "--title",
            "Tax return",
            "--date",
            "2027-04-15",
            "--tag",
            "home,money",
            "--now",
            NOW,
        ],
    ));
    let text = std::fs::read_to_string(&store).unwrap();
    assert!(
        text.contains("tags = [\"conf\"]") && text.contains("tags = [\"home\", \"money\"]"),
        "{text}"
    );
    let json = ok(&run(
        &store,
        &["list", "--tag", "+money", "--format", "json", "--now", NOW],
    ));
    let v: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    assert_eq!(v.len(), 1);
    assert_eq!(v[0]["tags"], serde_json::json!(["home", "money"]));
    let table = ok(&run(&store, &["list", "--now", NOW]));
    assert!(
        table.contains("+conf") && table.contains("+home +money"),
        "{table}"
    );
    let ics = ok(&run(&store, &["export", "--tag", "conf", "--now", NOW]));
    assert!(ics.contains("CATEGORIES:deadline,conf"), "{ics}");
    assert!(!ics.contains("Tax return"), "{ics}");
    // modify adds and removes tags.
    let id = v[0]["id"].as_str().unwrap().to_string();
    ok(&run(
        &store,
        &["modify", &id, "--tag", "urgent", "--untag", "home"],
    ));
    let json = ok(&run(
        &store,
        &["list", "--tag", "urgent", "--format", "json", "--now", NOW],
    ));
    let v: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    assert_eq!(v[0]["tags"], serde_json::json!(["money", "urgent"]));
}

#[test]
fn adding_a_file_again_with_a_tag_tags_what_is_already_stored() {
    let dir = common::scratch("daily", "retag");
    let store = dir.join("events.toml");
    let doc = dir.join("call.md");
    std::fs::write(&doc, "# ICWX 2026\n\n- Abstract submission: 2026-12-07\n").unwrap();
    ok(&run(
        &store,
        &["add", doc.to_str().unwrap(), "+conf", "--now", NOW],
    ));
    let out = ok(&run(
        &store,
        &["add", doc.to_str().unwrap(), "+deadlines", "--now", NOW],
    ));
    assert!(out.contains("1 updated (new sources or tags)"), "{out}");
    let text = std::fs::read_to_string(&store).unwrap();
    assert!(text.contains("tags = [\"conf\", \"deadlines\"]"), "{text}");
    // The same tag again changes nothing.
    ok(&run(
        &store,
        &["add", doc.to_str().unwrap(), "+conf", "--now", NOW],
    ));
    assert_eq!(std::fs::read_to_string(&store).unwrap(), text);
}

#[test]
fn one_bad_document_does_not_stop_the_batch() {
    let dir = common::scratch("daily", "batch");
    let store = dir.join("events.toml");
    let good = dir.join("call.md");
    std::fs::write(&good, "# Call\n\n- Abstracts due: March 3, 2027\n").unwrap();
    let binary = dir.join("scan.pdf");
    std::fs::write(&binary, b"%PDF-1.7\n\x00\x01\x02 May 3\n").unwrap();
    let absurd = dir.join("absurd.txt");
    std::fs::write(
        &absurd,
        "The review ends after 999999999 days; in 18446744073709551615 years.\n",
    )
    .unwrap();
    let args = [
        "add",
        binary.to_str().unwrap(),
        absurd.to_str().unwrap(),
        good.to_str().unwrap(),
        "--dct",
        "9999-12-20",
        "--today",
        "2026-11-30",
    ];
    let o = run(&store, &args);
    let e = err(&o);
    assert_eq!(o.status.code(), Some(2), "{e}");
    assert!(
        e.contains("scan.pdf") && e.contains("1 of 3 documents"),
        "{e}"
    );
    assert!(!e.contains("panicked"), "{e}");
    let stored = std::fs::read_to_string(&store).unwrap();
    assert!(stored.contains("Abstracts due"), "{stored}");
}

#[test]
fn reference_dates_beyond_9999_are_refused_by_name() {
    let dir = common::scratch("daily", "far");
    for date in ["+10000-01-01", "-0001-12-31", "+10000-01-01T09:00Z"] {
        let flag = format!("--date={date}");
        let o = run(&dir.join("events.toml"), &["add", "--title", "x", &flag]);
        assert_eq!(o.status.code(), Some(2), "{date}");
        assert!(err(&o).contains(date), "{}", err(&o));
    }
    let o = run(
        &dir.join("events.toml"),
        &["add", "--title", "x", "--date", "+10000-01-01"],
    );
    assert!(err(&o).contains("0001-01-01 to 9999-12-31"), "{}", err(&o));
    assert!(!dir.join("events.toml").exists());
}
