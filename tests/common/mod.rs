//! What the end-to-end tests of the tracker share: a scratch folder, the
//! binary run against a store, and its output checked.
#![allow(dead_code)] // each test binary uses its own part

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A fresh folder for one test: `timeline-<suite>-<name>-<pid>`.
pub fn scratch(suite: &str, name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("timeline-{suite}-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs the binary with `--store store`, no colour, no $TIMELINE_STORE,
/// and the user's zone UTC whatever the machine's (`--tz` overrides it).
pub fn run(store: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_timeline"))
        .args(args)
        .arg("--store")
        .arg(store)
        .env_remove("TIMELINE_STORE")
        .env("TZ", "UTC")
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

/// The standard output of a run that must succeed.
pub fn ok(o: &Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}
