//! The store keeps its promises when the file is not what it should be:
//! reached through a symlink while others use its real path, a device, a
//! FIFO, a dangling link, owned by someone else, read-only, written on
//! Windows, named as an export's output, or holding values out of range.
//! Every test is bounded in time: a store that blocks fails, never hangs.

mod common;

use std::fs;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{err, ok, run, scratch};

fn timeline() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_timeline"));
    c.env_remove("TIMELINE_STORE")
        .env("TZ", "UTC")
        .env("NO_COLOR", "1");
    c
}

/// Runs `command`, killing it and failing the test after `limit`.
fn bounded(mut command: Command, limit: Duration) -> Output {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the command still ran after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// `timeline --store store ARGS…`, failing the test after ten seconds.
fn run_bounded(store: &Path, args: &[&str]) -> Output {
    let mut c = timeline();
    c.args(args).arg("--store").arg(store);
    bounded(c, Duration::from_secs(10))
}

fn add(store: &Path, title: &str) -> Output {
    run(store, &["add", "--title", title, "--date", "2026-12-01"])
}

fn is_root() -> bool {
    fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

fn titles(store: &Path) -> Vec<String> {
    timeline::store::Store::new(store)
        .load()
        .unwrap()
        .into_iter()
        .map(|e| e.title)
        .collect()
}

#[test]
fn writers_through_a_symlink_and_the_real_path_lose_nothing() {
    let dir = scratch("abuse", "symlink-race");
    let real = dir.join("real").join("events.toml");
    fs::create_dir_all(real.parent().unwrap()).unwrap();
    ok(&add(&real, "First"));
    let link = dir.join("link.toml");
    std::os::unix::fs::symlink(&real, &link).unwrap();

    let children: Vec<(String, std::process::Child)> = (0..100)
        .map(|i| {
            let title = format!("Writer {i}");
            let via = if i % 2 == 0 { &link } else { &real };
            let mut c = timeline();
            c.args(["add", "--title", &title, "--date", "2026-12-01", "--store"])
                .arg(via)
                .stdout(Stdio::null())
                .stderr(Stdio::piped());
            (title, c.spawn().unwrap())
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut succeeded = Vec::new();
    for (title, mut child) in children {
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                if status.success() {
                    succeeded.push(title);
                }
                break;
            }
            assert!(
                Instant::now() < deadline,
                "writers still running after 120 s"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }
    let stored = titles(&real);
    let lost: Vec<&String> = succeeded.iter().filter(|t| !stored.contains(t)).collect();
    println!(
        "{} reported successes, {} of them in the store",
        succeeded.len(),
        succeeded.len() - lost.len()
    );
    assert!(lost.is_empty(), "reported added but lost: {lost:?}");
    assert_eq!(succeeded.len(), 100, "every writer gets the lock in time");
    assert!(fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    let sidecars: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        sidecars.len(),
        2,
        "no lock or temp beside the link: {sidecars:?}"
    );
}

#[test]
fn a_device_node_is_refused_and_left_alone() {
    let dir = scratch("abuse", "device");
    // As root, a node of our own with /dev/null's numbers: a regression
    // could then only replace this one, never the system's. Without root,
    // /dev/null itself, which only root could replace.
    let node = dir.join("null");
    let made = Command::new("mknod")
        .arg(&node)
        .args(["c", "1", "3"])
        .status()
        .is_ok_and(|s| s.success());
    let node = if made {
        node
    } else {
        println!("mknod failed (not root?): using /dev/null, which this user cannot replace");
        PathBuf::from("/dev/null")
    };
    let link = dir.join("link.toml");
    std::os::unix::fs::symlink(&node, &link).unwrap();
    for store in [&node, &link] {
        for args in [
            &["list"][..],
            &["add", "--title", "X", "--date", "2026-12-01"],
            &["undo"],
        ] {
            let o = run_bounded(store, args);
            assert!(!o.status.success(), "{args:?} on {}", store.display());
            assert!(err(&o).contains("character device"), "{}", err(&o));
        }
        assert!(fs::metadata(&node).unwrap().file_type().is_char_device());
    }
    assert!(fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(fs::metadata("/dev/null")
        .unwrap()
        .file_type()
        .is_char_device());
}

#[test]
fn a_fifo_is_refused_without_blocking() {
    let dir = scratch("abuse", "fifo");
    let fifo = dir.join("events.toml");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    for args in [
        &["list"][..],
        &["add", "--title", "X", "--date", "2026-12-01"],
        &["export", "--format", "ics"],
    ] {
        let started = Instant::now();
        let o = run_bounded(&fifo, args);
        assert!(!o.status.success());
        assert!(err(&o).contains("FIFO"), "{}", err(&o));
        assert!(started.elapsed() < Duration::from_secs(5));
    }
    assert!(fs::metadata(&fifo).unwrap().file_type().is_fifo());
}

#[test]
fn a_dangling_symlink_is_refused_not_replaced() {
    let dir = scratch("abuse", "dangling");
    let link = dir.join("events.toml");
    std::os::unix::fs::symlink(dir.join("gone.toml"), &link).unwrap();
    let o = add(&link, "X");
    assert!(!o.status.success());
    assert!(err(&o).contains("which does not exist"), "{}", err(&o));
    assert!(fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(!dir.join("gone.toml").exists());
}

/// Runs a Python snippet on `path`; its output, or `None` when it fails.
fn python(code: &str, path: &Path) -> Option<String> {
    let o = Command::new("python3")
        .args(["-c", code])
        .arg(path)
        .output()
        .ok()?;
    o.status
        .success()
        .then(|| String::from_utf8_lossy(&o.stdout).trim().to_owned())
}

/// A file's POSIX ACL attribute, in hex.
fn acl_of(path: &Path) -> Option<String> {
    python(
        "import os,sys; print(os.getxattr(sys.argv[1], 'system.posix_acl_access').hex())",
        path,
    )
}

/// Runs the binary as `nobody` (uid and gid 65534), or `None` when
/// `setpriv` cannot drop to it.
fn as_nobody(store: &Path, args: &[&str]) -> Option<Output> {
    let o = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
        .arg(env!("CARGO_BIN_EXE_timeline"))
        .args(args)
        .arg("--store")
        .arg(store)
        .env_remove("TIMELINE_STORE")
        .env("TZ", "UTC")
        .output()
        .ok()?;
    let e = err(&o);
    (!e.contains("setpriv:")).then_some(o)
}

#[test]
fn a_write_by_root_keeps_owner_mode_and_attributes() {
    if !is_root() {
        println!("skipped: needs root to give the store to another user");
        return;
    }
    let dir = scratch("abuse", "owner");
    let store = dir.join("events.toml");
    ok(&add(&store, "First"));
    // nobody's store, in nobody's folder, readable by its group only.
    for path in [dir.path(), store.as_path()] {
        std::os::unix::fs::chown(path, Some(65534), Some(65534)).unwrap();
    }
    fs::set_permissions(&store, fs::Permissions::from_mode(0o640)).unwrap();
    let xattr = python(
        "import os,sys; os.setxattr(sys.argv[1], 'user.timeline-test', b'kept')",
        &store,
    )
    .is_some();
    // A POSIX ACL granting uid 65534 read and write, as the kernel stores
    // it (setfacl is not always installed): version 2, then (tag, perm,
    // id) entries for user::rw-, user:65534:rw-, group::r--, mask::rw-,
    // other::r--.
    let acl = python(
        "import os,sys,struct; e=[(1,6,-1),(2,6,65534),(4,4,-1),(16,6,-1),(32,4,-1)]; \
         os.setxattr(sys.argv[1], 'system.posix_acl_access', struct.pack('<I',2) + \
         b''.join(struct.pack('<HHI',t,p,i & 0xffffffff) for t,p,i in e))",
        &store,
    )
    .and_then(|_| acl_of(&store));

    let mode = fs::metadata(&store).unwrap().mode() & 0o7777;

    ok(&add(&store, "Added by root"));
    let meta = fs::metadata(&store).unwrap();
    assert_eq!((meta.uid(), meta.gid()), (65534, 65534));
    assert_eq!(meta.mode() & 0o7777, mode);
    if xattr {
        let kept = python(
            "import os,sys; print(os.getxattr(sys.argv[1], 'user.timeline-test').decode())",
            &store,
        );
        assert_eq!(kept.as_deref(), Some("kept"));
    } else {
        println!("user.* attributes not checked: this file system refuses them");
    }
    match acl {
        Some(before) => assert_eq!(acl_of(&store), Some(before), "the ACL is kept"),
        None => println!("ACL not checked: this file system refuses POSIX ACLs"),
    }

    // The owner can still write: the lock and the undo journal are theirs.
    match as_nobody(
        &store,
        &["add", "--title", "Added by nobody", "--date", "2026-12-02"],
    ) {
        Some(o) => {
            ok(&o);
            assert!(titles(&store).contains(&"Added by nobody".to_string()));
            ok(&as_nobody(&store, &["undo"]).unwrap());
        }
        None => println!("second half skipped: setpriv cannot drop to nobody here"),
    }
}

#[test]
fn a_read_only_store_is_refused_and_unchanged() {
    let dir = scratch("abuse", "read-only");
    let store = dir.join("events.toml");
    let first = ok(&add(&store, "First"));
    let id = first.split_whitespace().next().unwrap().to_owned();
    ok(&add(&store, "Second"));
    fs::set_permissions(&store, fs::Permissions::from_mode(0o444)).unwrap();
    let before = fs::read(&store).unwrap();
    let undo = dir.join(".events.toml.undo");
    let entries = fs::read_dir(&undo).unwrap().count();
    for args in [
        &["add", "--title", "X", "--date", "2026-12-01"][..],
        &["rm", &id, "--yes"],
        &["undo"],
    ] {
        let o = run(&store, args);
        assert!(!o.status.success(), "{args:?}");
        let e = err(&o);
        assert!(e.contains("read-only") && e.contains("chmod u+w"), "{e}");
    }
    assert_eq!(fs::read(&store).unwrap(), before);
    assert_eq!(fs::metadata(&store).unwrap().mode() & 0o777, 0o444);
    assert_eq!(fs::read_dir(&undo).unwrap().count(), entries);
    assert_eq!(titles(&store), ["First", "Second"], "reading still works");
    let again = ok(&add(&store, "First"));
    assert!(
        again.contains("already"),
        "a change-free add still answers: {again}"
    );
}

#[test]
fn crlf_and_a_bom_are_kept() {
    let dir = scratch("abuse", "crlf");
    let store = dir.join("events.toml");
    let windows = "\u{feff}# Saved on Windows\r\n\r\n[[event]]\r\ntitle = \"First\"\r\n\
                   kind = \"deadline\"\r\ndate = 2026-11-01\r\nnotes = \"\"\"two\r\nlines\"\"\"\r\n";
    fs::write(&store, windows).unwrap();
    ok(&add(&store, "Second"));
    let text = fs::read_to_string(&store).unwrap();
    assert!(text.starts_with(windows), "{text:?}");
    assert!(text.contains("title = \"Second\"\r\n"));
    assert_eq!(text.matches('\n').count(), text.matches("\r\n").count());
    assert_eq!(titles(&store), ["First", "Second"]);
}

#[test]
fn export_onto_the_store_is_refused() {
    let dir = scratch("abuse", "export");
    let store = dir.join("events.toml");
    ok(&add(&store, "First"));
    let before = fs::read(&store).unwrap();
    let link = dir.join("link.toml");
    std::os::unix::fs::symlink(&store, &link).unwrap();
    let hard = dir.join("hard.toml");
    fs::hard_link(&store, &hard).unwrap();
    for output in [&store, &link, &hard] {
        let o = run(&store, &["export", "-o", output.to_str().unwrap()]);
        assert!(!o.status.success(), "{}", output.display());
        assert!(err(&o).contains("is the store itself"), "{}", err(&o));
    }
    assert_eq!(fs::read(&store).unwrap(), before);
    let feed = dir.join("feed.ics");
    ok(&run(&store, &["export", "-o", feed.to_str().unwrap()]));
    assert!(fs::read_to_string(&feed)
        .unwrap()
        .starts_with("BEGIN:VCALENDAR"));
}

#[test]
fn an_empty_store_path_is_an_error_and_leaves_nothing() {
    let dir = scratch("abuse", "empty-env");
    let o = timeline()
        .args(["add", "--title", "X", "--date", "2026-12-01"])
        .env("TIMELINE_STORE", "")
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(err(&o).contains("TIMELINE_STORE is empty"), "{}", err(&o));
    let o = timeline()
        .args(["add", "--title", "X", "--date", "2026-12-01", "--store="])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(!o.status.success(), "an empty --store is refused too");
    assert_eq!(fs::read_dir(&dir).unwrap().count(), 0, "no .lock, no store");
}

#[test]
fn offsets_out_of_range_and_backward_ranges_are_refused_with_their_line() {
    let dir = scratch("abuse", "values");
    let store = dir.join("events.toml");
    let cases = [
        (
            "[[event]]\ntitle = \"Call\"\nkind = \"meeting\"\nat = 2026-12-01T09:00:00\noffset = \"+25:00\"\n",
            "line 5",
            "out of range",
        ),
        (
            "[[event]]\ntitle = \"Trip\"\nkind = \"scheduled\"\nstart = 2026-12-10\nend = 2026-12-03\n",
            "line 5",
            "is not after `start`",
        ),
    ];
    for (text, line, what) in cases {
        fs::write(&store, text).unwrap();
        for args in [
            &["list"][..],
            &["add", "--title", "X", "--date", "2026-12-01"],
        ] {
            let o = run(&store, args);
            assert!(!o.status.success());
            let e = err(&o);
            assert!(e.contains(line) && e.contains(what), "{e}");
        }
        assert_eq!(fs::read_to_string(&store).unwrap(), text);
    }
    fs::write(
        &store,
        "[[event]]\ntitle = \"Call\"\nkind = \"meeting\"\nat = 2026-12-01T09:00:00\noffset = \"-23:59\"\n",
    )
    .unwrap();
    ok(&run(&store, &["list"]));
}

#[test]
fn csv_cells_that_would_be_formulas_are_neutralised() {
    let dir = scratch("abuse", "csv");
    let store = dir.join("events.toml");
    for title in [
        "=HYPERLINK(\"http://evil.example\",\"Click\")",
        "@SUM(A1)",
        "+1 call",
        "-2 days",
        "Plain",
    ] {
        ok(&run(
            &store,
            &["add", &format!("--title={title}"), "--date", "2026-12-01"],
        ));
    }
    let csv = ok(&run(&store, &["export", "--format", "csv"]));
    assert!(
        csv.contains(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"Click\"\")\","),
        "{csv}"
    );
    for cell in [",'@SUM(A1),", ",'+1 call,", ",'-2 days,", ",Plain,"] {
        assert!(csv.contains(cell), "{cell} in {csv}");
    }
}

#[test]
fn only_temp_files_of_gone_or_old_writers_are_removed() {
    let dir = scratch("abuse", "temps");
    let store = dir.join("events.toml");
    ok(&add(&store, "First"));
    // A live process (this test) with a write in flight, a writer that
    // exited, and a live pid on a file two hours old (a reused pid).
    let live = dir.join(format!(".events.toml.{}-0.tmp", std::process::id()));
    let mut exited = Command::new("true").spawn().unwrap();
    let gone_pid = exited.id();
    exited.wait().unwrap();
    let gone = dir.join(format!(".events.toml.{gone_pid}-0.tmp"));
    let old = dir.join(format!(".events.toml.{}-1.tmp", std::process::id()));
    for f in [&live, &gone, &old] {
        fs::write(f, "half").unwrap();
    }
    let touched = Command::new("touch")
        .args(["-d", "2 hours ago"])
        .arg(&old)
        .status()
        .unwrap();
    assert!(touched.success());
    ok(&add(&store, "Second"));
    assert!(live.exists(), "a live writer's file stays");
    assert!(!gone.exists(), "an exited writer's file goes");
    assert!(!old.exists(), "a file over an hour old goes");
}
