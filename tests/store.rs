//! The events.toml store: edits keep the user's file, writes are locked and
//! atomic, and a broken file is never overwritten.

mod common;

use std::fs;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant, SystemTime};

use common::events::{assert_parse_error, date, event, numbered, source, MALFORMED};
use timeline::events::{Event, Kind, Recurrence, Status, When};
use timeline::store::{Clock, MergeReport, Store, StoreError};

/// A fresh, empty folder for one test, removed when dropped.
/// Takes the store's lock as another writer would, until dropped.
fn hold_lock(store: &Store) -> fs::File {
    let holder = fs::OpenOptions::new()
        .write(true)
        .open(store.lock_path())
        .unwrap();
    holder.lock().unwrap();
    holder
}

fn temp_folder(name: &str) -> common::Scratch {
    common::scratch("store", name)
}

const HAND_WRITTEN: &str = r#"# My deadlines. Comments and layout here are kept when timeline writes.
# A second line of the heading.

[[event]]
id = "ev-00000001"
title = "Deadline to finalize an agreement"
kind = "deadline"            # due by then
date = 2014-11-24
value = "2014-11-24"
where = "Vienna"
status = "open"              # still waiting
added = 2014-10-14T00:00:00
mood = "hopeful"             # a key timeline does not know

[[event.source]]
file = "examples/vienna-talks.txt"
sentence = "The deadline to finalize an agreement is Nov. 24."
start = 412
end = 419
timex = "Nov. 24"

# --- meetings below ---

[[event]]
id = "ev-00000002"
title = "Kerry meets Zarif"
kind = "meeting"
at = 2014-10-15T15:00:00
offset = "+02:00"
value = "2014-10-15T15:00"
status = "open"
added = 2014-10-14T00:00:00
# a comment inside an event
notes = "In Vienna."

# end of file
"#;

fn write_hand_store(name: &str) -> (common::Scratch, PathBuf, Store) {
    let dir = temp_folder(name);
    let path = dir.join("events.toml");
    fs::write(&path, HAND_WRITTEN).unwrap();
    (dir, path.clone(), Store::new(path))
}

#[test]
fn round_trip_keeps_comments() {
    let (_dir, path, store) = write_hand_store("round-trip");
    let before = store.load().unwrap();
    assert_eq!(before.len(), 2);
    assert_eq!(before[0].place.as_deref(), Some("Vienna"));
    assert_eq!(
        before[1].when,
        When::DateTime {
            at: date(2014, 10, 15).and_hms_opt(15, 0, 0).unwrap(),
            offset: Some(120)
        }
    );

    let mut new = event(
        "Vote on the budget",
        Kind::Scheduled,
        When::Range {
            start: date(2014, 12, 1),
            end: date(2014, 12, 3),
        },
        vec![source("budget.txt", 5), source("budget.txt", 50)],
    );
    new.place = Some("Brussels".into());
    new.notes = Some("Two \"days\".\nSecond line.".into());
    new.remind = Some("2d".into());
    let report = store.merge(std::slice::from_ref(&new)).unwrap();
    assert_eq!(
        report,
        MergeReport {
            added: vec![new.id.clone()],
            updated: 0,
            unchanged: 0,
            renamed: Vec::new(),
        }
    );
    let done = store.set_status("ev-00000001", Status::Done).unwrap();
    assert_eq!(done.status, Status::Done);
    assert_eq!(done.title, "Deadline to finalize an agreement");

    let after = fs::read_to_string(&path).unwrap();
    let after_lines: Vec<&str> = after.lines().collect();
    let status_line = "status = \"open\"              # still waiting";
    for line in HAND_WRITTEN.lines().filter(|l| l.contains('#')) {
        let expected = if line == status_line {
            "status = \"done\"              # still waiting"
        } else {
            line
        };
        assert!(
            after_lines.contains(&expected),
            "lost {expected:?} in:\n{after}"
        );
    }
    // Everything before the closing comment is unchanged but for the status,
    // and the new event comes after it.
    let edited = HAND_WRITTEN.replace(
        status_line,
        "status = \"done\"              # still waiting",
    );
    let body = edited.strip_suffix("# end of file\n").unwrap();
    assert!(after.starts_with(body), "{after}");
    assert!(after.contains("\n[[event]]\nid = \"ev-"), "{after}");
    assert!(after.ends_with("# end of file\n"), "{after}");

    let loaded = store.load().unwrap();
    assert_eq!(loaded.len(), 3);
    assert_eq!(loaded[2], new);
    assert_eq!(store.get(&new.id).unwrap(), new);
    assert_eq!(loaded[0].status, Status::Done);
    assert_eq!(loaded[1], before[1]);
}

#[test]
fn remove_keeps_file_comments() {
    let (_dir, path, store) = write_hand_store("remove");
    let removed = store.remove("ev-00000001").unwrap();
    assert_eq!(removed.title, "Deadline to finalize an agreement");
    let after = fs::read_to_string(&path).unwrap();
    assert!(
        after.starts_with(
            "# My deadlines. Comments and layout here are kept when timeline writes.\n\
             # A second line of the heading.\n\n# --- meetings below ---\n\n[[event]]\n"
        ),
        "{after}"
    );
    assert!(!after.contains("Vienna talks") && !after.contains("vienna-talks.txt"));
    assert!(
        after.ends_with("notes = \"In Vienna.\"\n\n# end of file\n"),
        "{after}"
    );
    let left = store.load().unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].id, "ev-00000002");

    // Removing the last event leaves the comments.
    store.remove("ev-00000002").unwrap();
    let empty = fs::read_to_string(&path).unwrap();
    assert!(empty.contains("# A second line of the heading."), "{empty}");
    assert!(empty.contains("# end of file"), "{empty}");
    assert!(store.load().unwrap().is_empty());

    // And a new first event goes below them.
    store.merge(&[numbered(1)]).unwrap();
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("# My deadlines."), "{text}");
    assert_eq!(store.load().unwrap(), vec![numbered(1)]);
}

#[test]
fn new_store_is_created_with_a_header() {
    let top = temp_folder("new");
    let dir = top.join("sub").join("folder");
    let store = Store::new(dir.join("events.toml"));
    assert!(store.load().unwrap().is_empty());
    assert!(matches!(
        store.set_status("ev-1", Status::Done),
        Err(StoreError::NotFound { .. })
    ));
    assert!(!store.path().exists());
    let events = vec![
        numbered(1),
        event(
            "Every Monday standup",
            Kind::Recurring,
            When::Recurring(Recurrence::of_timex(
                "XXXX-WXX-1",
                None,
                chrono::NaiveDate::from_ymd_opt(2014, 10, 14).unwrap(),
            )),
            vec![],
        ),
    ];
    let report = store.merge(&events).unwrap();
    assert_eq!(report.added.len(), 2);
    let text = fs::read_to_string(store.path()).unwrap();
    assert!(text.starts_with("# "), "{text}");
    assert!(text.contains("\n\n[[event]]\nid = "), "{text}");
    assert!(
        text.contains("\n\n[[event.source]]\nfile = \"numbers.txt\"\n"),
        "{text}"
    );
    assert_eq!(store.load().unwrap(), events);
}

#[test]
fn merging_twice_adds_nothing_and_new_sources_join_their_event() {
    let dir = temp_folder("merge-twice");
    let store = Store::new(dir.join("events.toml"));
    let events: Vec<Event> = (0..3).map(numbered).collect();
    let first = store.merge(&events).unwrap();
    assert_eq!(
        first,
        MergeReport {
            added: events.iter().map(|e| e.id.clone()).collect(),
            updated: 0,
            unchanged: 0,
            renamed: Vec::new(),
        }
    );
    let bytes = fs::read(store.path()).unwrap();
    let second = store.merge(&events).unwrap();
    assert_eq!(
        second,
        MergeReport {
            added: Vec::new(),
            updated: 0,
            unchanged: 3,
            renamed: Vec::new(),
        }
    );
    assert_eq!(fs::read(store.path()).unwrap(), bytes, "nothing to write");
    assert_eq!(store.load().unwrap(), events);

    // The same event read from another document: same id, new source.
    let mut again = numbered(1);
    again.sources = vec![source("other.txt", 99)];
    again.status = Status::Done; // stored fields are not overwritten
    let third = store.merge(&[again.clone()]).unwrap();
    assert_eq!(
        third,
        MergeReport {
            added: Vec::new(),
            updated: 1,
            unchanged: 0,
            renamed: Vec::new(),
        }
    );
    let loaded = store.load().unwrap();
    assert_eq!(loaded.len(), 3);
    let one = &loaded[1];
    assert_eq!(one.id, numbered(1).id);
    assert_eq!(one.status, Status::Open);
    assert_eq!(
        one.sources,
        vec![source("numbers.txt", 10), source("other.txt", 99)]
    );
    assert_eq!(store.merge(&[again]).unwrap().unchanged, 1);
    assert_eq!(store.load().unwrap()[1].sources.len(), 2);

    // One batch naming the same new event twice stores it once.
    let mut twin = numbered(7);
    twin.sources = vec![source("twin.txt", 1)];
    let batch = store.merge(&[numbered(7), twin, numbered(7)]).unwrap();
    assert_eq!(
        batch,
        MergeReport {
            added: vec![numbered(7).id],
            updated: 1,
            unchanged: 1,
            renamed: Vec::new(),
        }
    );
    let seven = store.get(&numbered(7).id).unwrap();
    assert_eq!(seven.sources.len(), 2);
}

/// A store with a TOML syntax error on line 7.
#[test]
fn malformed_store_is_never_written() {
    let dir = temp_folder("malformed");
    let path = dir.join("events.toml");
    fs::write(&path, MALFORMED).unwrap();
    let store = Store::new(&path);

    assert_parse_error(store.load(), &path);
    assert_parse_error(store.get("ev-00000001"), &path);
    assert_parse_error(store.merge(&[numbered(1)]), &path);
    assert_parse_error(store.set_status("ev-00000001", Status::Done), &path);
    assert_parse_error(store.remove("ev-00000001"), &path);
    assert_eq!(fs::read(&path).unwrap(), MALFORMED.as_bytes());

    // Valid TOML that is not a valid store is not written either.
    let invalid = MALFORMED.replace("status = open", "status = \"someday\"");
    fs::write(&path, &invalid).unwrap();
    match store.merge(&[numbered(1)]) {
        Err(e @ StoreError::Invalid { line: 7, .. }) => {
            let shown = e.to_string();
            assert!(shown.contains("events.toml: line 7:"), "{shown}");
            assert!(shown.contains("someday"), "{shown}");
        }
        other => panic!("expected Invalid at line 7, got {other:?}"),
    }
    assert!(matches!(
        store.set_status("ev-00000001", Status::Done),
        Err(StoreError::Invalid { line: 7, .. })
    ));
    assert!(matches!(
        store.remove("ev-00000001"),
        Err(StoreError::Invalid { line: 7, .. })
    ));
    assert_eq!(fs::read_to_string(&path).unwrap(), invalid);

    // Not UTF-8.
    let mut bytes = b"# ok\n[[event]]\ntitle = \"".to_vec();
    bytes.extend([0xff, 0xfe]);
    bytes.extend(b"\"\n");
    fs::write(&path, &bytes).unwrap();
    assert!(matches!(
        store.merge(&[numbered(1)]),
        Err(StoreError::Parse { line: 3, .. })
    ));
    assert_eq!(fs::read(&path).unwrap(), bytes);
}

#[test]
fn concurrent_merges_lose_nothing() {
    let dir = temp_folder("concurrent");
    let path = dir.join("events.toml");
    let handles: Vec<_> = (0..8)
        .map(|t| {
            let path = path.clone();
            thread::spawn(move || {
                let store = Store::new(path);
                for i in 0..25 {
                    let event = numbered(t * 25 + i);
                    let report = store.merge(std::slice::from_ref(&event)).unwrap();
                    assert_eq!(report.added, [event.id]);
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let mut ids: Vec<String> = Store::new(&path)
        .load()
        .unwrap()
        .into_iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(ids.len(), 200);
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 200);
}

#[test]
fn killed_writer_leaves_a_usable_store() {
    let dir = temp_folder("killed");
    let path = dir.join("events.toml");
    let store = Store::new(&path);
    store.merge(&[numbered(1), numbered(2)]).unwrap();
    let old = fs::read(&path).unwrap();

    // What a writer killed mid-write leaves: a half-written temp file and
    // the lock file (whose lock died with its process).
    let stale = dir.join(".events.toml.999999-0.tmp");
    fs::write(&stale, "[[event]]\ntitle = \"half").unwrap();
    fs::write(store.lock_path(), "").unwrap();
    let unrelated = dir.join("notes.tmp");
    fs::write(&unrelated, "mine").unwrap();

    assert_eq!(fs::read(&path).unwrap(), old);
    assert_eq!(store.load().unwrap(), vec![numbered(1), numbered(2)]);
    assert_eq!(store.merge(&[numbered(3)]).unwrap().added, [numbered(3).id]);
    assert_eq!(
        store.load().unwrap(),
        vec![numbered(1), numbered(2), numbered(3)]
    );
    assert!(!stale.exists(), "the stale temp file is cleaned up");
    assert!(unrelated.exists());
    let leftovers: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp") && n != "notes.tmp")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn readers_never_see_a_partial_store() {
    let dir = temp_folder("readers");
    let path = dir.join("events.toml");
    Store::new(&path).merge(&[numbered(0)]).unwrap();

    let done = Arc::new(AtomicBool::new(false));
    let reads = Arc::new(AtomicUsize::new(0));
    let reader = {
        let (path, done, reads) = (path.clone(), done.clone(), reads.clone());
        thread::spawn(move || {
            let store = Store::new(path);
            let mut last = 0;
            while !done.load(Ordering::SeqCst) {
                let n = match store.load() {
                    Ok(events) => events.len(),
                    Err(e) => panic!("reader saw: {e}"),
                };
                assert!(n >= last, "went back from {last} to {n} events");
                last = n;
                reads.fetch_add(1, Ordering::SeqCst);
            }
        })
    };
    let store = Store::new(&path);
    for i in 1..=200 {
        store.merge(&[numbered(i)]).unwrap();
    }
    done.store(true, Ordering::SeqCst);
    reader.join().unwrap();
    assert!(reads.load(Ordering::SeqCst) > 0);
    assert_eq!(store.load().unwrap().len(), 201);
}

#[test]
fn a_held_lock_times_out() {
    let dir = temp_folder("locked");
    let path = dir.join("events.toml");
    let store = Store::new(&path).with_lock_timeout(Duration::from_millis(100));
    store.merge(&[numbered(1)]).unwrap();
    let holder = hold_lock(&store);
    match store.merge(&[numbered(2)]) {
        Err(e @ StoreError::Locked { .. }) => {
            assert!(e.to_string().contains("events.toml.lock"), "{e}")
        }
        other => panic!("expected Locked, got {other:?}"),
    }
    // Reads do not wait for the lock.
    assert_eq!(store.load().unwrap().len(), 1);
    drop(holder);
    assert_eq!(store.merge(&[numbered(2)]).unwrap().added, [numbered(2).id]);
}

/// A wall clock stopped at 2030-01-01T00:00:00Z.
fn stopped_wall() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_893_456_000)
}

/// A monotonic clock that runs 30 s each time it is read (never sleeps).
fn racing_monotonic() -> Instant {
    static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    static READS: AtomicUsize = AtomicUsize::new(0);
    let start = *START.get_or_init(Instant::now);
    let reads = READS.fetch_add(1, Ordering::SeqCst) as u64;
    start + Duration::from_secs(30 * reads)
}

const STOPPED: Clock = Clock {
    wall: stopped_wall,
    monotonic: racing_monotonic,
};

/// A temporary file `name` beside the store, last written `age` before
/// the stopped clock.
fn temp_file_aged(dir: &std::path::Path, name: &str, age: Duration) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, "[[event]]\ntitle = \"half").unwrap();
    fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(stopped_wall() - age)
        .unwrap();
    path
}

#[test]
fn a_writer_removes_temp_files_over_an_hour_old_by_the_stores_clock() {
    let dir = temp_folder("aged");
    let path = dir.join("events.toml");
    let store = Store::new(&path).with_clock(STOPPED);
    store.merge(&[numbered(1)]).unwrap();
    let minutes = |m: u64| Duration::from_secs(60 * m);
    // Pid 1 always runs: only their age can make these files stale.
    let old = temp_file_aged(&dir, ".events.toml.1-0.tmp", minutes(61));
    let fresh = temp_file_aged(&dir, ".events.toml.1-1.tmp", minutes(59));
    let old_cache = temp_file_aged(&dir, ".events.toml.cache.1-0.tmp", minutes(120));
    let fresh_cache = temp_file_aged(&dir, ".events.toml.cache.1-1.tmp", minutes(1));

    // Both the append in place and the full rewrite clean up.
    store.merge(&[numbered(2)]).unwrap();
    assert!(!old.exists(), "a temp file over an hour old is removed");
    assert!(!old_cache.exists(), "so is a temporary cache");
    assert!(fresh.exists(), "a younger one may still be written");
    assert!(fresh_cache.exists());

    let old = temp_file_aged(&dir, ".events.toml.1-2.tmp", minutes(90));
    store.set_status(&numbered(1).id, Status::Done).unwrap();
    assert!(!old.exists());
    assert!(fresh.exists());
    assert_eq!(store.load().unwrap().len(), 2);
}

#[test]
fn without_a_clock_age_never_makes_a_temp_file_stale() {
    let dir = temp_folder("ageless");
    let path = dir.join("events.toml");
    let store = Store::new(&path);
    store.merge(&[numbered(1)]).unwrap();
    let old = temp_file_aged(
        &dir,
        ".events.toml.1-0.tmp",
        Duration::from_secs(86_400 * 365),
    );
    let gone = temp_file_aged(&dir, ".events.toml.999999-0.tmp", Duration::ZERO);
    store.merge(&[numbered(2)]).unwrap();
    assert!(
        old.exists(),
        "its writer still runs, and no clock says it is old"
    );
    assert!(
        !gone.exists(),
        "a file whose writer exited is removed all the same"
    );
}

#[test]
fn the_lock_wait_is_timed_by_the_stores_clock() {
    let dir = temp_folder("clocked-lock");
    let path = dir.join("events.toml");
    let store = Store::new(&path)
        .with_lock_timeout(Duration::from_secs(600))
        .with_clock(STOPPED);
    store.merge(&[numbered(1)]).unwrap();
    let _holder = hold_lock(&store);
    let started = Instant::now();
    match store.merge(&[numbered(2)]) {
        Err(StoreError::Locked { waited, .. }) => {
            assert!(waited >= Duration::from_secs(600), "{waited:?}")
        }
        other => panic!("expected Locked, got {other:?}"),
    }
    // Ten minutes by the racing clock are a few pauses of at most 20 ms.
    assert!(started.elapsed() < Duration::from_secs(30));
}

#[test]
fn ids_resolve_by_unique_prefix() {
    let dir = temp_folder("prefix");
    let store = Store::new(dir.join("events.toml"));
    let mut events: Vec<Event> = (0..3).map(numbered).collect();
    events[0].id = "ev-aaaa1111".into();
    events[1].id = "ev-aaaa2222".into();
    events[2].id = "ev-bbbb0000".into();
    store.merge(&events).unwrap();

    assert_eq!(store.get("ev-aaaa1111").unwrap(), events[0]);
    assert_eq!(store.get("ev-b").unwrap(), events[2]);
    assert_eq!(store.get("bbbb").unwrap(), events[2], "without the ev-");
    assert_eq!(store.get("EV-AAAA2").unwrap(), events[1]);

    match store.get("ev-aaaa") {
        Err(e @ StoreError::Ambiguous { .. }) => {
            let StoreError::Ambiguous { ref ids, .. } = e else {
                unreachable!()
            };
            assert_eq!(ids, &["ev-aaaa1111", "ev-aaaa2222"]);
            let shown = e.to_string();
            assert!(shown.contains("ev-aaaa1111") && shown.contains("ev-aaaa2222"));
        }
        other => panic!("expected Ambiguous, got {other:?}"),
    }
    assert!(matches!(
        store.set_status("aaaa", Status::Done),
        Err(StoreError::Ambiguous { .. })
    ));
    assert!(matches!(
        store.get("ev-cccc"),
        Err(StoreError::NotFound { ref id }) if id == "ev-cccc"
    ));
    assert!(matches!(store.get(""), Err(StoreError::NotFound { .. })));
    assert!(matches!(
        store.remove("ev-zz"),
        Err(StoreError::NotFound { .. })
    ));

    let done = store.set_status("ev-aaaa2", Status::Done).unwrap();
    assert_eq!(done.id, "ev-aaaa2222");
    assert_eq!(store.get("ev-aaaa2222").unwrap().status, Status::Done);
    let removed = store.remove("ev-aaaa1").unwrap();
    assert_eq!(removed, events[0]);
    // Now "ev-aaaa" is unique.
    assert_eq!(store.get("ev-aaaa").unwrap().id, "ev-aaaa2222");
    assert_eq!(store.load().unwrap().len(), 2);
}
