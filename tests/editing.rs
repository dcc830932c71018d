//! Editing events in the user's editor, end to end: `timeline edit ID` and
//! `timeline add -i`. The editor is a small shell script given as
//! `$EDITOR` (or `$VISUAL`), which changes the file with `sed`, breaks it,
//! leaves it alone or fails; the answers to `add -i` are piped on stdin.
#![cfg(unix)]

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use common::{err, ok};

/// A store written by hand: a heading, comments inside an event, two events.
const STORE: &str = r#"# Work deadlines

[[event]]
id = "ev-review"
title = "Review call"   # with the whole team
kind = "meeting"
date = 2026-12-04
where = "Room 4"

[[event]]
id = "ev-grant"
title = "Grant report"
kind = "deadline"
date = 2026-12-15
"#;

/// A schedule with four events (dates as a reader would type them).
const CALL: &str = "# ICWX 2026

- April 7, 2026: Abstract submission
- May 12, 2026: Notification
- May 29, 2026: Camera-ready
- June 22, 2026: Conference opens
";

/// A scratch folder holding `events.toml` written from [`STORE`].
fn store_in(name: &str) -> (common::Scratch, PathBuf) {
    let dir = common::scratch("editing", name);
    let store = dir.join("events.toml");
    std::fs::write(&store, STORE).unwrap();
    (dir, store)
}

/// An editor: a shell script in `dir` running `body` with the file as $1.
fn editor(dir: &Path, name: &str, body: &str) -> String {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path.to_str().unwrap().to_owned()
}

/// Runs the binary with `$EDITOR` set (and no `$VISUAL`), `answers` on
/// stdin, against `store`.
fn run_edit(store: &Path, args: &[&str], editor: &str, answers: &str) -> Output {
    run_env(store, args, &[("EDITOR", editor)], answers)
}

fn run_env(store: &Path, args: &[&str], env: &[(&str, &str)], answers: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_timeline"))
        .args(args)
        .arg("--store")
        .arg(store)
        .env_remove("TIMELINE_STORE")
        .env_remove("VISUAL")
        .env_remove("EDITOR")
        .envs(env.iter().copied())
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    // The command may end before reading every answer.
    let _ = child.stdin.take().unwrap().write_all(answers.as_bytes());
    child.wait_with_output().unwrap()
}

/// The titles in the store, in order.
fn titles(store: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(store).unwrap();
    let doc: toml::Table = text.parse().unwrap();
    doc["event"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["title"].as_str().unwrap().to_owned())
        .collect()
}

/// Files left in the folder by an edit (there should be none).
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".timeline-"))
        .collect()
}

#[test]
fn edit_stores_a_changed_title_and_undo_takes_it_back() {
    let (dir, store) = store_in("title");
    let sed = editor(
        &dir,
        "retitle.sh",
        r#"sed -i 's/^title = "Review call"/title = "Budget review"/' "$1""#,
    );
    let out = ok(&run_edit(
        &store,
        &["edit", "ev-rev", "--now", "2026-11-30T09:00"],
        &sed,
        "",
    ));
    assert!(out.contains("ev-review edited: Budget review"), "{out}");
    assert!(
        out.contains(r#"title: "Review call" → "Budget review""#),
        "{out}"
    );
    // Only the title changed, and the change is stamped (for the feed's
    // LAST-MODIFIED and SEQUENCE): the comment after it, the heading and
    // the other event are as they were.
    let text = std::fs::read_to_string(&store).unwrap();
    assert_eq!(
        text,
        STORE
            .replace(r#"title = "Review call""#, r#"title = "Budget review""#)
            .replace(
                "where = \"Room 4\"\n",
                "where = \"Room 4\"\nmodified = 2026-11-30T09:00:00\nedits = 1\n"
            )
    );
    assert!(leftovers(&dir).is_empty(), "{:?}", leftovers(&dir));

    ok(&run_edit(&store, &["undo"], &sed, ""));
    assert_eq!(std::fs::read_to_string(&store).unwrap(), STORE);
}

#[test]
fn the_editor_may_take_arguments_and_visual_comes_first() {
    let (_dir, store) = store_in("visual");
    let o = run_env(
        &store,
        &["edit", "ev-grant"],
        &[("VISUAL", "sed -i s/Grant/Final/"), ("EDITOR", "false")],
        "",
    );
    let out = ok(&o);
    assert!(
        out.contains(r#"title: "Grant report" → "Final report""#),
        "{out}"
    );
    assert_eq!(titles(&store), ["Review call", "Final report"]);
}

#[test]
fn a_changed_date_moves_the_event() {
    let (dir, store) = store_in("date");
    let sed = editor(
        &dir,
        "move.sh",
        r#"sed -i 's/^date = .*/date = 2026-12-18/' "$1""#,
    );
    let out = ok(&run_edit(&store, &["edit", "ev-grant"], &sed, ""));
    assert!(out.contains("when: 2026-12-15 → 2026-12-18"), "{out}");
    let list = ok(&run_edit(
        &store,
        &["list", "--today", "2026-12-01"],
        &sed,
        "",
    ));
    assert!(list.contains("12-18"), "{list}");
}

#[test]
fn invalid_toml_is_refused_with_its_line_and_the_store_is_untouched() {
    let (dir, store) = store_in("toml");
    let broken = editor(
        &dir,
        "break.sh",
        r#"echo 'where = ' >> "$1"; wc -l < "$1" > "$(dirname "$0")/line""#,
    );
    let o = run_edit(&store, &["edit", "ev-review"], &broken, "");
    assert!(!o.status.success());
    let line = std::fs::read_to_string(dir.join("line")).unwrap();
    let e = err(&o);
    assert!(
        e.contains(&format!("TOML parse error at line {}", line.trim())),
        "{e}"
    );
    assert!(e.contains("nothing was changed"), "{e}");
    assert_eq!(std::fs::read_to_string(&store).unwrap(), STORE);
    assert!(leftovers(&dir).is_empty());
    let undo = ok(&run_edit(&store, &["undo"], &broken, ""));
    assert!(undo.contains("nothing to undo"), "{undo}");
}

#[test]
fn a_block_that_breaks_the_schema_is_refused_naming_the_line() {
    let (dir, store) = store_in("schema");
    let typo = editor(
        &dir,
        "typo.sh",
        r#"sed -i 's/^kind = .*/kind = "deadlin"/' "$1"; grep -n '^kind' "$1" | cut -d: -f1 > "$(dirname "$0")/line""#,
    );
    let o = run_edit(&store, &["edit", "ev-grant"], &typo, "");
    assert!(!o.status.success());
    let line = std::fs::read_to_string(dir.join("line")).unwrap();
    let e = err(&o);
    assert!(
        e.contains(&format!("line {}: unknown kind \"deadlin\"", line.trim())),
        "{e}"
    );
    assert_eq!(std::fs::read_to_string(&store).unwrap(), STORE);
}

#[test]
fn an_unchanged_file_or_a_failed_editor_writes_nothing() {
    let (dir, store) = store_in("nothing");
    let out = ok(&run_edit(&store, &["edit", "ev-review"], "true", ""));
    assert!(out.contains("ev-review no change"), "{out}");

    // The editor changed the file but exited with an error: not stored.
    let failing = editor(&dir, "fail.sh", r#"sed -i 's/Review/Budget/' "$1"; exit 3"#);
    let o = run_edit(&store, &["edit", "ev-review"], &failing, "");
    assert!(!o.status.success());
    assert!(err(&o).contains("failed"), "{}", err(&o));

    let o = run_edit(&store, &["edit", "ev-review"], "/no/such/editor --wait", "");
    assert!(!o.status.success());
    assert!(
        err(&o).contains("cannot run the editor \"/no/such/editor --wait\""),
        "{}",
        err(&o)
    );
    assert_eq!(std::fs::read_to_string(&store).unwrap(), STORE);
    assert!(ok(&run_edit(&store, &["undo"], "true", "")).contains("nothing to undo"));
}

#[test]
fn the_id_cannot_change() {
    let (dir, store) = store_in("id");
    let taken = editor(
        &dir,
        "id.sh",
        r#"sed -i 's/^id = .*/id = "ev-grant"/' "$1""#,
    );
    let o = run_edit(&store, &["edit", "ev-review"], &taken, "");
    assert!(!o.status.success());
    assert!(err(&o).contains("the id cannot change"), "{}", err(&o));
    let gone = editor(&dir, "noid.sh", r#"sed -i '/^id = /d' "$1""#);
    let o = run_edit(&store, &["edit", "ev-review"], &gone, "");
    assert!(
        err(&o).contains(r#"`id` is missing; put back id = "ev-review""#),
        "{}",
        err(&o)
    );
    assert_eq!(std::fs::read_to_string(&store).unwrap(), STORE);
}

#[test]
fn edit_names_an_unknown_id() {
    let (_dir, store) = store_in("unknown");
    let o = run_edit(&store, &["edit", "ev-nope"], "true", "");
    assert_eq!(o.status.code(), Some(1));
    assert!(err(&o).contains("no event with id"), "{}", err(&o));
}

/// `add -i` on [`CALL`] in a fresh folder, with these answers.
fn add_interactive(name: &str, answers: &str) -> (common::Scratch, PathBuf, Output) {
    let dir = common::scratch("editing", name);
    let call = dir.join("call.md");
    std::fs::write(&call, CALL).unwrap();
    let store = dir.join("events.toml");
    let sed = editor(
        &dir,
        "retitle.sh",
        r#"sed -i 's/^title = .*/title = "Final version"/' "$1""#,
    );
    let args = [
        "add",
        "-i",
        call.to_str().unwrap(),
        "--dct",
        "2026-01-10",
        "--now",
        "2026-01-10T09:00",
    ];
    let o = run_edit(&store, &args, &sed, answers);
    (dir, store, o)
}

#[test]
fn add_i_adds_only_the_accepted_events_and_edits_on_e() {
    let (dir, store, o) = add_interactive("add-i", "y\nn\ne\nq\n");
    let out = ok(&o);
    assert!(out.contains("Abstract submission"), "{out}");
    assert!(out.contains("Final version"), "{out}");
    assert!(out.contains("2 added"), "{out}");
    // Each event was shown with its date and kind before the question.
    let e = err(&o);
    assert!(
        e.contains("[1/4] 2026-04-07  deadline  ICWX 2026 · Abstract submission"),
        "{e}"
    );
    assert!(e.contains("[y]es / [n]o / [e]dit"), "{e}");
    assert_eq!(titles(&store), ["Abstract submission", "Final version"]);
    assert!(leftovers(&dir).is_empty());
}

#[test]
fn add_i_all_accepts_the_rest() {
    let (_dir, store, o) = add_interactive("add-a", "n\na\n");
    assert!(ok(&o).contains("3 added"));
    assert_eq!(
        titles(&store),
        ["Notification", "Camera-ready", "Conference opens"]
    );
}

#[test]
fn add_i_without_answers_adds_nothing() {
    let (_dir, store, o) = add_interactive("add-none", "");
    assert!(ok(&o).contains("nothing accepted"));
    assert!(!store.exists());
}

#[test]
fn add_i_refuses_documents_from_stdin() {
    let dir = common::scratch("editing", "add-stdin");
    let store = dir.join("events.toml");
    let o = run_edit(&store, &["add", "-i", "-"], "true", CALL);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains("add -i reads its answers from standard input"),
        "{}",
        err(&o)
    );
    assert!(!store.exists());
}

#[test]
fn add_i_with_an_invalid_edit_and_no_terminal_adds_nothing() {
    let dir = common::scratch("editing", "add-bad");
    let call = dir.join("call.md");
    std::fs::write(&call, CALL).unwrap();
    let store = dir.join("events.toml");
    let bad = editor(&dir, "bad.sh", r#"echo '[[event' >> "$1""#);
    let o = run_edit(
        &store,
        &["add", "-i", call.to_str().unwrap()],
        &bad,
        "y\ne\n",
    );
    assert!(!o.status.success());
    assert!(err(&o).contains("TOML parse error"), "{}", err(&o));
    assert!(!store.exists());
}
