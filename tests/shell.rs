//! Shell integration: completions, the man page, --color, a quiet exit on
//! a broken pipe, and examples in every command's --help.

mod common;

use std::io::Read;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_timeline")
}

fn run(args: &[&str]) -> Output {
    Command::new(bin())
        .args(args)
        .env_remove("TIMELINE_STORE")
        .env_remove("NO_COLOR")
        .output()
        .expect("the binary runs")
}

fn scratch(name: &str) -> common::Scratch {
    common::scratch("shell", name)
}

#[test]
fn completions_for_each_shell_name_the_commands() {
    for shell in ["bash", "zsh", "fish"] {
        let o = run(&["completions", shell]);
        assert!(o.status.success(), "{shell}");
        let text = String::from_utf8_lossy(&o.stdout);
        for cmd in ["upcoming", "countdown", "overdue", "export"] {
            assert!(text.contains(cmd), "{shell} completions lack {cmd}");
        }
    }
    assert_eq!(run(&["completions", "tcsh"]).status.code(), Some(2));
}

#[test]
fn the_man_page_is_roff() {
    let o = run(&["man"]);
    assert!(o.status.success());
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains(".TH timeline 1") && text.contains(".SH NAME"),
        "{text}"
    );
}

#[test]
fn color_always_and_never_override_the_terminal_test() {
    let dir = scratch("color");
    let store = dir.join("events.toml");
    let s = store.to_str().unwrap();
    let o = run(&[
        "add",
        "--title",
        "Late",
        "--date",
        "2026-11-20",
        "--deadline",
        "--store",
        s,
    ]);
    assert!(o.status.success());
    let table = |color: &str| {
        let o = run(&[
            "list",
            "--store",
            s,
            "--today",
            "2026-11-30",
            "--color",
            color,
        ]);
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    assert!(
        table("always").contains("\x1b["),
        "no colour with --color always"
    );
    assert!(!table("never").contains("\x1b["));
    // Piped and auto: no colour.
    assert!(!table("auto").contains("\x1b["));
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let dir = scratch("pipe");
    let store = dir.join("events.toml");
    let s = store.to_str().unwrap();
    for i in 0..200 {
        let title = format!("Item {i}");
        let o = run(&[
            "add",
            "--title",
            &title,
            "--date",
            "2026-12-01",
            "--store",
            s,
        ]);
        assert!(o.status.success());
    }
    let mut child = Command::new(bin())
        .args([
            "list",
            "--store",
            s,
            "--today",
            "2026-11-30",
            "--format",
            "csv",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // The reader goes away after 16 bytes.
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let status = child.wait().unwrap();
    assert!(err.is_empty(), "stderr: {err}");
    assert!(status.success() || status.code() == Some(141), "{status:?}");
}

#[test]
fn every_command_has_examples_in_its_help() {
    for cmd in [
        "extract",
        "eval",
        "eval-events",
        "add",
        "list",
        "upcoming",
        "overdue",
        "countdown",
        "calendar",
        "modify",
        "edit",
        "reopen",
        "undo",
        "done",
        "rm",
        "show",
        "export",
        "import",
        "serve",
        "completions",
        "man",
    ] {
        let o = run(&[cmd, "--help"]);
        assert!(o.status.success(), "{cmd} --help");
        let text = String::from_utf8_lossy(&o.stdout);
        assert!(
            text.contains("Example"),
            "{cmd} --help has no example:\n{text}"
        );
    }
}

/// Adds a deadline `date` (as typed: "in 3 days") titled `title`.
fn add_deadline(store: &str, title: &str, date: &str) {
    let o = run(&[
        "add",
        "--title",
        title,
        "--date",
        date,
        "--deadline",
        "--store",
        store,
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// Runs `countdown --watch` on `store` in an 80x12 pseudo-terminal
/// (`scripts/pty_watch.py`, given `extra` arguments), presses q, and gives
/// what the terminal received, once the program ended with status 0.
fn watch(store: &str, extra: &[&str]) -> String {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scripts/pty_watch.py");
    let o = Command::new("python3")
        .arg(script)
        .arg(bin())
        .arg(store)
        .args(extra)
        .output()
        .expect("python3 runs the pseudo-terminal driver");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let output = report["output"].as_str().unwrap().to_string();
    assert_eq!(report["status"], 0, "{output}");
    output
}

#[test]
fn countdown_watch_fits_the_screen_and_quits_on_q() {
    let dir = scratch("watch");
    let store = dir.join("events.toml");
    let s = store.to_str().unwrap();
    // Twenty deadlines ahead of the real clock: more than 12 lines hold.
    for i in 0..20 {
        add_deadline(
            s,
            &format!("Deadline number {i}"),
            &format!("in {} days", i + 2),
        );
    }
    let output = watch(s, &[]);
    // The last frame: nearest first, only what 12 rows hold, and a count
    // of the rest.
    let frame = output.rsplit("\x1b[2J").next().unwrap();
    let frame = frame.split("\x1b[?25h").next().unwrap();
    assert!(frame.contains("Deadline number 0"), "{frame}");
    assert!(!frame.contains("Deadline number 19"), "{frame}");
    assert!(frame.contains("more"), "{frame}");
    assert!(frame.lines().count() <= 12, "{frame}");
    // Every line fits 80 columns (colour codes take none).
    for line in frame.lines() {
        assert!(visible(line).chars().count() <= 80, "{line:?}");
    }
    // The screen and the cursor are given back.
    assert!(output.contains("\x1b[?1049l") && output.contains("\x1b[?25h"));
}

/// A line without its colour escapes (`ESC [ … m`).
fn visible(line: &str) -> String {
    let mut out = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for d in chars.by_ref() {
                if d == 'm' {
                    break;
                }
            }
            continue;
        }
        out.push(c);
    }
    out
}

/// `countdown --watch` reads the store again only when its file changed:
/// an event added while it runs shows in a frame that follows.
#[test]
fn countdown_watch_shows_an_event_added_while_it_runs() {
    let dir = scratch("watch-edit");
    let store = dir.join("events.toml");
    let s = store.to_str().unwrap();
    add_deadline(s, "First deadline", "in 3 days");
    let add = serde_json::json!([
        bin(),
        "add",
        "--title",
        "Added while watching",
        "--date",
        "in 2 days",
        "--deadline",
        "--store",
        s
    ]);
    let output = watch(
        s,
        &["First deadline", &add.to_string(), "Added while watching"],
    );
    let first = output.split("\x1b[2J").nth(1).unwrap_or_default();
    assert!(!first.contains("Added while watching"), "{first}");
    let last = output.rsplit("\x1b[2J").next().unwrap();
    assert!(last.contains("Added while watching"), "{output}");
    assert!(last.contains("First deadline"), "{last}");
}
