//! New events are appended to the store's file in place: the file keeps
//! its inode, the read cache gains a small tail, `undo` cuts the text off
//! again, and an append that never finished is never seen and is cut off
//! by the next writer.

mod common;

use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use common::events::numbered;
use timeline::events::Status;
use timeline::store::journal::{appended, Appended};
use timeline::store::{Store, StoreError};

fn ids(store: &Store) -> Vec<String> {
    store.load().unwrap().into_iter().map(|e| e.id).collect()
}

fn numbered_ids(ns: &[usize]) -> Vec<String> {
    ns.iter().map(|&n| numbered(n).id).collect()
}

fn tail_of(store: &Store) -> std::path::PathBuf {
    let mut s = store.cache_path().into_os_string();
    s.push(".tail");
    s.into()
}

/// A store of events 1 and 2 with a current cache, and its bytes.
fn two_events(name: &str) -> (common::Scratch, Store, Vec<u8>) {
    let dir = common::scratch("store-append", name);
    let store = Store::new(dir.path().join("events.toml"));
    store.merge(&[numbered(1), numbered(2)]).unwrap();
    let bytes = fs::read(store.path()).unwrap();
    (dir, store, bytes)
}

fn inode(path: &Path) -> u64 {
    fs::metadata(path).unwrap().ino()
}

#[test]
fn an_add_is_appended_in_place_and_undone() {
    let (_dir, store, before) = two_events("in-place");
    let ino = inode(store.path());
    assert_eq!(store.merge(&[numbered(3)]).unwrap().added, [numbered(3).id]);
    let after = fs::read(store.path()).unwrap();
    assert_eq!(inode(store.path()), ino, "written in place");
    assert!(after.starts_with(&before) && after.len() > before.len());
    assert!(
        tail_of(&store).exists(),
        "the new event is in the cache's tail"
    );
    assert_eq!(ids(&store), numbered_ids(&[1, 2, 3]));
    // What the cache and its tail say is what the file says.
    fs::remove_file(store.cache_path()).unwrap();
    assert_eq!(ids(&store), numbered_ids(&[1, 2, 3]));

    assert_eq!(store.merge(&[numbered(4)]).unwrap().added, [numbered(4).id]);
    assert_eq!(store.undo().unwrap(), Some(2));
    assert_eq!(fs::read(store.path()).unwrap(), after);
    assert_eq!(store.undo().unwrap(), Some(1));
    assert_eq!(fs::read(store.path()).unwrap(), before);
    assert_eq!(ids(&store), numbered_ids(&[1, 2]));
}

#[test]
fn a_torn_append_is_never_seen_and_is_cut_off_by_the_next_writer() {
    let (_dir, store, before) = two_events("torn");
    store.merge(&[numbered(3)]).unwrap();
    let whole = fs::read(store.path()).unwrap();
    let added = whole.len() - before.len();
    // A writer killed half-way through its write, and a crash that left
    // the file its new length with zeros where the text did not arrive.
    let half = whole[..before.len() + added / 2].to_vec();
    let zeros = [&half[..], &vec![0; whole.len() - half.len()]].concat();
    for (name, torn) in [("killed", &half), ("crashed", &zeros)] {
        let (_dir, store, _) = two_events(&format!("torn-{name}"));
        store.merge(&[numbered(3)]).unwrap();
        fs::write(store.path(), torn).unwrap();
        assert_eq!(ids(&store), numbered_ids(&[1, 2]), "{name}: a reader");
        assert_eq!(
            fs::read(store.path()).unwrap(),
            *torn,
            "readers never write"
        );
        store.merge(&[numbered(4)]).unwrap();
        assert_eq!(ids(&store), numbered_ids(&[1, 2, 4]), "{name}: a writer");
        assert_eq!(
            store.undo().unwrap(),
            Some(1),
            "{name}: the torn add's entry is gone"
        );
        assert_eq!(fs::read(store.path()).unwrap(), before);
    }
    // The full path (`done`) repairs it too.
    let (_dir, store, _) = two_events("torn-done");
    store.merge(&[numbered(3)]).unwrap();
    fs::write(store.path(), &half).unwrap();
    store.set_status(&numbered(2).id, Status::Done).unwrap();
    let events = store.load().unwrap();
    assert_eq!(events.len(), 2);
    assert_eq!(events[1].status, Status::Done);
}

#[test]
fn undoing_an_add_after_a_hand_edit_is_refused_and_changes_nothing() {
    let (_dir, store, _) = two_events("undo-edited");
    store.merge(&[numbered(3)]).unwrap();
    let text = fs::read_to_string(store.path()).unwrap();
    let edited = text.replacen(&numbered(1).title, "Renamed by hand", 1);
    assert_ne!(edited, text);
    fs::write(store.path(), &edited).unwrap();
    match store.undo() {
        Err(StoreError::Invalid { message, .. }) => {
            assert!(message.contains("changed after the last add"), "{message}")
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(fs::read_to_string(store.path()).unwrap(), edited);
}

#[test]
fn a_store_with_a_second_name_is_replaced_not_written_in_place() {
    let (dir, store, before) = two_events("linked");
    let other = dir.path().join("other-name.toml");
    fs::hard_link(store.path(), &other).unwrap();
    store.merge(&[numbered(3)]).unwrap();
    assert_eq!(
        fs::read(&other).unwrap(),
        before,
        "the other name keeps its text"
    );
    assert_eq!(ids(&store), numbered_ids(&[1, 2, 3]));
}

#[test]
fn a_long_tail_is_folded_into_the_cache() {
    let (_dir, store, _) = two_events("fold");
    let many: Vec<_> = (10..4200).map(numbered).collect();
    let ino = inode(store.path());
    store.merge(&many).unwrap();
    assert_eq!(inode(store.path()), ino, "appended in place");
    assert!(!tail_of(&store).exists(), "written as a whole cache");
    assert_eq!(store.load().unwrap().len(), 2 + many.len());
    store.merge(&[numbered(5)]).unwrap();
    assert!(tail_of(&store).exists());
    let cached = store.load().unwrap();
    fs::remove_file(store.cache_path()).unwrap();
    assert_eq!(store.load().unwrap(), cached);
}

#[test]
fn a_torn_append_is_told_from_an_edit() {
    let text = "[[event]]\ntitle = \"x\"\n";
    assert_eq!(appended(text.as_bytes(), text), Appended::Whole);
    assert_eq!(appended(b"", text), Appended::Torn);
    assert_eq!(appended(&text.as_bytes()[..7], text), Appended::Torn);
    assert_eq!(appended(b"[[eve\0\0\0", text), Appended::Torn);
    // Text after the append, or in place of it, is an edit.
    let more = format!("{text}# mine\n");
    assert_eq!(appended(more.as_bytes(), text), Appended::Other);
    assert_eq!(
        appended(b"[[event]]\ntitle = \"y\"\n", text),
        Appended::Other
    );
    assert_eq!(appended(b"[[eve\0x", text), Appended::Other);
}

#[test]
fn the_command_line_appends_in_place_and_undo_takes_it_back() {
    let dir = common::scratch("store-append", "cli");
    let store = dir.path().join("events.toml");
    let first = dir.file(
        "board.txt",
        "The board meets on Friday, March 6, 2026 at 10:00 in Room 2.\n\n\
         Applications are due by April 1, 2026.\n",
    );
    let second = dir.file(
        "review.txt",
        "The annual review takes place on May 12, 2026.\n",
    );
    let timeline = |args: &[&str]| {
        let mut all: Vec<&str> = args.to_vec();
        all.extend([
            "--store",
            store.to_str().unwrap(),
            "--now",
            "2026-01-10T09:00",
        ]);
        let out = common::binary::run(&all, None);
        common::binary::assert_code(&out, 0);
        out
    };
    timeline(&["add", first.to_str().unwrap(), "--dct", "2026-01-10"]);
    let before = fs::read(&store).unwrap();
    let ino = inode(&store);
    let out = timeline(&["add", second.to_str().unwrap(), "--dct", "2026-01-10"]);
    assert!(common::binary::stdout(&out).contains("review"), "{out:?}");
    let after = fs::read(&store).unwrap();
    assert_eq!(inode(&store), ino, "appended in place");
    assert!(after.starts_with(&before) && after.len() > before.len());
    let listed = common::binary::stdout(&timeline(&["list"]));
    assert!(
        listed.contains("Annual review") && listed.contains("Board meets"),
        "{listed}"
    );
    timeline(&["undo"]);
    assert_eq!(fs::read(&store).unwrap(), before);
    let listed = common::binary::stdout(&timeline(&["list"]));
    assert!(
        !listed.contains("Annual review") && listed.contains("Board meets"),
        "{listed}"
    );
}

#[test]
fn a_table_reads_an_added_event_from_the_cache_and_its_tail() {
    let (_dir, store, _) = two_events("rows-from-tail");
    store.merge(&[numbered(3)]).unwrap();
    let cache = fs::read(store.cache_path()).unwrap();
    let ids: Vec<String> = store
        .with_rows(|rows| rows.iter().map(|r| r.id.to_string()).collect())
        .unwrap();
    assert_eq!(ids, numbered_ids(&[1, 2, 3]));
    // Read as they were: had the rows missed, the store would have been
    // read whole and the cache written again, without its tail.
    assert!(tail_of(&store).exists(), "the tail is still there");
    assert_eq!(fs::read(store.cache_path()).unwrap(), cache);
}
