//! What the end-to-end tests of the tracker share: a scratch folder, the
//! binary run against a store, and its output checked.
#![allow(dead_code)] // each test binary uses its own part

pub mod binary;
pub mod events;
pub mod news;

use std::ffi::OsStr;
use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A fresh folder for one test under the system temp dir, named
/// `timeline-<suite>-<name>-<pid>-<n>` (`n` counts the folders this test
/// binary has made, so two made under one name never meet). It derefs to
/// its path and is removed when dropped, whether the test passes or not,
/// except that a test that fails keeps its folder for inspection and
/// prints its path: a folder is left behind only by a failed run, and the
/// failure's output says where.
///
/// Bind it to a name for as long as the test uses the folder:
/// `scratch(..).join(..)` alone drops (removes) the folder at once.
#[must_use = "the folder is removed when this guard is dropped"]
pub struct Scratch(PathBuf);

impl Scratch {
    pub fn new(suite: &str, name: &str) -> Scratch {
        static MADE: AtomicUsize = AtomicUsize::new(0);
        let n = MADE.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!(
            "timeline-{suite}-{name}-{}-{n}",
            std::process::id()
        ));
        // A folder left by a failed run whose pid this one reuses.
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create the scratch folder");
        Scratch(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    /// Writes `bytes` to `name` inside the folder and returns its path.
    pub fn file(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.0.join(name);
        std::fs::write(&p, bytes).expect("write a scratch file");
        p
    }

    /// The folder with `bytes` written to `name` in it, as that file.
    pub fn holding(self, name: &str, bytes: impl AsRef<[u8]>) -> ScratchFile {
        let path = self.file(name, bytes);
        ScratchFile { _dir: self, path }
    }
}

impl Deref for Scratch {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<Path> for Scratch {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<OsStr> for Scratch {
    fn as_ref(&self) -> &OsStr {
        self.0.as_os_str()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("kept the failed test's folder {}", self.0.display());
        } else {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

/// One file in its own [`Scratch`] folder: derefs to the file's path, and
/// the folder goes when this is dropped.
#[must_use = "the folder is removed when this guard is dropped"]
pub struct ScratchFile {
    _dir: Scratch,
    path: PathBuf,
}

impl Deref for ScratchFile {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.path
    }
}

impl AsRef<Path> for ScratchFile {
    fn as_ref(&self) -> &Path {
        &self.path
    }
}

/// A fresh folder for one test: see [`Scratch`].
pub fn scratch(suite: &str, name: &str) -> Scratch {
    Scratch::new(suite, name)
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
