//! The read cache beside the events.toml store: a load that hits gives
//! the events of a full parse, and any change to the store, a broken
//! cache or an unwritable folder falls back to the store itself.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::events::{assert_parse_error, date, event, numbered, source, MALFORMED};
use timeline::events::{Event, Kind, Recurrence, Source, Status, When};
use timeline::store::{Store, StoreError};

/// A fresh, empty folder for one test, removed when dropped.
fn temp_folder(name: &str) -> common::Scratch {
    common::scratch("store", name)
}

/// Events of every shape: each time form, offsets, a leap second, optional
/// fields, several sources, non-ASCII text.
fn varied_events() -> Vec<Event> {
    let at = date(2014, 10, 15).and_hms_opt(15, 0, 0).unwrap();
    let mut events = vec![
        event(
            "Deadline to finalize an agreement",
            Kind::Deadline,
            When::Date(date(2014, 11, 24)),
            vec![source("a.txt", 3), source("b.txt", 40)],
        ),
        event(
            "Talks in Wien — \"quoted\"\nsecond line",
            Kind::Meeting,
            When::DateTime {
                at,
                offset: Some(-300),
            },
            vec![],
        ),
        event(
            "Leap",
            Kind::Past,
            When::DateTime {
                at: date(2016, 12, 31)
                    .and_hms_nano_opt(23, 59, 59, 1_500_000_000)
                    .unwrap(),
                offset: None,
            },
            vec![source("c.txt", 0)],
        ),
        event(
            "Renovation",
            Kind::Ongoing,
            When::Range {
                start: date(2014, 3, 1),
                end: date(2014, 11, 1),
            },
            vec![],
        ),
        event(
            "Weekly call",
            Kind::Recurring,
            When::Recurring(Recurrence::of_timex(
                "XXXX-WXX-1",
                None,
                chrono::NaiveDate::from_ymd_opt(2014, 10, 14).unwrap(),
            )),
            vec![],
        ),
    ];
    events[0].place = Some("Vienna".into());
    events[0].notes = Some("Bring the draft.".into());
    events[0].remind = Some("1d".into());
    events[4].status = Status::Done;
    events.extend((0..50).map(numbered));
    events
}

/// A store with `varied_events()` in it and a current cache beside it.
fn cached_store(name: &str) -> (common::Scratch, PathBuf, Store, Vec<Event>) {
    let dir = temp_folder(name);
    let path = dir.join("events.toml");
    let store = Store::new(&path);
    let mut events = varied_events();
    store.merge(&events).unwrap();
    store.set_status(&events[0].id, Status::Done).unwrap();
    events[0].status = Status::Done;
    (dir, path, store, events)
}

/// The cache file's identity: a load that hits leaves the file alone, a
/// miss replaces it (a new file renamed into place).
#[cfg(unix)]
fn identity(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn identity(path: &Path) -> Option<Vec<u8>> {
    fs::read(path).ok()
}

/// What a full parse gives, with no cache at all: the events, or the
/// error as shown after the store's path.
fn full_parse(path: &Path) -> Result<Vec<Event>, String> {
    let dir = temp_folder("full-parse");
    let copy = dir.join("events.toml");
    fs::copy(path, &copy).unwrap();
    let store = Store::new(&copy);
    assert!(!store.cache_path().exists());
    store.load().map_err(|e| shown_after_path(&e, &copy))
}

fn shown_after_path(e: &StoreError, path: &Path) -> String {
    let shown = e.to_string();
    let prefix = path.display().to_string();
    assert!(shown.starts_with(&prefix), "{shown}");
    shown[prefix.len()..].to_owned()
}

#[test]
fn cache_is_hidden_beside_the_store() {
    let store = Store::new("some/dir/events.toml");
    assert_eq!(store.cache_path(), Path::new("some/dir/.events.toml.cache"));
    // Named after the real file: a relative store resolves against the
    // real current folder.
    assert_eq!(
        Store::new("events.toml").cache_path(),
        std::env::current_dir()
            .unwrap()
            .canonicalize()
            .unwrap()
            .join(".events.toml.cache")
    );
}

#[test]
fn cache_hit_gives_the_events_of_a_full_parse() {
    let (_dir, path, store, events) = cached_store("cache-hit");
    let cache = store.cache_path();
    assert!(cache.is_file(), "writers leave a current cache");

    let before = identity(&cache);
    let loaded = store.load().unwrap();
    assert_eq!(identity(&cache), before, "a hit does not rewrite the cache");
    assert_eq!(loaded, events);
    assert_eq!(loaded, full_parse(&path).unwrap());
    assert_eq!(store.get(&events[1].id).unwrap(), events[1]);

    // A load without a cache writes one, and the next load hits it.
    fs::remove_file(&cache).unwrap();
    assert_eq!(store.load().unwrap(), events);
    let written = identity(&cache);
    assert!(written.is_some());
    assert_eq!(store.load().unwrap(), events);
    assert_eq!(identity(&cache), written);

    // A writer that changes nothing leaves a current cache alone.
    assert_eq!(store.merge(&events).unwrap().unchanged, events.len());
    assert_eq!(identity(&cache), written);
}

#[test]
fn hand_edit_of_the_same_size_invalidates_the_cache() {
    let (_dir, path, store, events) = cached_store("cache-edit");
    assert_eq!(store.load().unwrap(), events);
    let text = fs::read_to_string(&path).unwrap();
    let mtime = fs::metadata(&path).unwrap().modified().unwrap();

    // One digit of one source offset: same size, and the same mtime.
    let needle = "start = 30\n";
    assert_eq!(text.matches(needle).count(), 1, "{text}");
    let edited = text.replace(needle, "start = 31\n");
    assert_eq!(edited.len(), text.len());
    fs::write(&path, &edited).unwrap();
    fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(mtime)
        .unwrap();

    let loaded = store.load().unwrap();
    let changed: Vec<&Source> = loaded
        .iter()
        .flat_map(|e| &e.sources)
        .filter(|s| s.start == 31)
        .collect();
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0].file, "numbers.txt");
    assert_ne!(loaded, events);
    assert_eq!(loaded, full_parse(&path).unwrap());
    // Loaded again, now from the rewritten cache.
    assert_eq!(store.load().unwrap(), loaded);

    // Back to the original text: the events are the original ones again.
    fs::write(&path, &text).unwrap();
    assert_eq!(store.load().unwrap(), events);
}

#[test]
fn table_rows_see_a_hand_edit_that_keeps_the_length_and_one_that_does_not() {
    // A view tells a stale cache by the store's length alone when it can,
    // without hashing the store, and by the hash when the length is kept.
    let (_dir, path, store, _) = cached_store("cache-rows-edit");
    let titles = |store: &Store| {
        store
            .with_rows(|rows| rows.iter().map(|r| r.title.to_string()).collect::<Vec<_>>())
            .unwrap()
    };
    let cache = store.cache_path();
    for (from, to) in [
        ("\"Renovation\"", "\"Renovatiox\""),
        ("\"Renovatiox\"", "\"Renovation of the hall\""),
        ("\"Renovation of the hall\"", "\"Renovation\""),
    ] {
        let text = fs::read_to_string(&path).unwrap();
        assert_eq!(text.matches(from).count(), 1, "{text}");
        fs::write(&path, text.replace(from, to)).unwrap();
        let expected: Vec<String> = full_parse(&path)
            .unwrap()
            .iter()
            .map(|e| e.title.clone())
            .collect();
        assert!(expected.contains(&to.trim_matches('"').to_string()));
        assert_eq!(titles(&store), expected);
        // The miss wrote a cache for the edited store, which the next view
        // uses as it is.
        let written = identity(&cache);
        assert!(written.is_some());
        assert_eq!(titles(&store), expected);
        assert_eq!(identity(&cache), written);
        let loaded = store.load_for_table().unwrap();
        let loaded: Vec<&str> = loaded.iter().map(|e| e.title.as_str()).collect();
        assert_eq!(loaded, expected);
    }
}

#[test]
fn tables_never_trust_a_corrupt_cache() {
    // Tables read the cache's rows alone: a change anywhere in what they
    // read (the header but for the flags, which writers read, and the
    // payload's and records' hashes, which the reads of all the payload
    // and of the records check), or a cache cut short, is a miss that
    // makes the cache again.
    let (_dir, _, store, events) = cached_store("cache-corrupt-rows");
    let cache = store.cache_path();
    let good = fs::read(&cache).unwrap();
    let shown = |store: &Store| {
        store
            .with_rows(|rows| rows.iter().map(|r| format!("{r:?}")).collect::<Vec<_>>())
            .unwrap()
    };
    let expected: Vec<String> = events
        .iter()
        .map(|e| format!("{:?}", timeline::events::Row::from(e)))
        .collect();
    assert_eq!(shown(&store), expected);
    let n = good.len();
    let mut corruptions = vec![good[..n - 1].to_vec(), good[..n / 2].to_vec()];
    let unread = |offset: usize| (12..16).contains(&offset) || (48..64).contains(&offset);
    // Every byte tables read of the header, the counts and the rows.
    for offset in (0..good.len().min(72 + 24 + 64)).filter(|&o| !unread(o)) {
        let mut bad = good.clone();
        bad[offset] ^= 0x01;
        corruptions.push(bad);
    }
    for (i, bytes) in corruptions.into_iter().enumerate() {
        fs::write(&cache, &bytes).unwrap();
        assert_eq!(shown(&store), expected, "corruption {i}");
        assert_eq!(
            fs::read(&cache).unwrap(),
            good,
            "corruption {i} is rewritten"
        );
    }
}

#[test]
fn corrupt_cache_falls_back_to_the_store() {
    let (_dir, _, store, events) = cached_store("cache-corrupt");
    let cache = store.cache_path();
    let good = fs::read(&cache).unwrap();
    let n = good.len();
    let mut corruptions: Vec<(&str, Vec<u8>)> = vec![
        ("empty", Vec::new()),
        ("header only", good[..72].to_vec()),
        ("truncated", good[..n / 2].to_vec()),
        ("one byte short", good[..n - 1].to_vec()),
        ("one byte more", [good.as_slice(), &[0]].concat()),
        ("garbage", b"not a cache at all".repeat(1000)),
    ];
    for (name, offset) in [
        ("magic", 0),
        ("format version", 8),
        ("code", 16),
        ("store length", 24),
        ("store hash", 32),
        ("payload length", 40),
        ("payload hash", 48),
        ("records hash", 56),
        ("event count", 72),
        ("rows length", 80),
        ("details length", 88),
        ("rows start", 96),
        ("payload middle", n / 2),
        ("payload end", n - 1),
    ] {
        let mut bad = good.clone();
        bad[offset] ^= 0x01;
        corruptions.push((name, bad));
    }
    for (name, bytes) in corruptions {
        fs::write(&cache, &bytes).unwrap();
        assert_eq!(store.load().unwrap(), events, "{name}");
        assert_eq!(
            fs::read(&cache).unwrap(),
            good,
            "{name}: the cache is rewritten"
        );
    }
    // A missing cache and a left-over temporary one.
    fs::remove_file(&cache).unwrap();
    let stale = cache.with_file_name(".events.toml.cache.999999-0.tmp");
    fs::write(&stale, &good[..n / 2]).unwrap();
    assert_eq!(store.load().unwrap(), events);
    assert_eq!(fs::read(&cache).unwrap(), good);
    store.merge(&[numbered(1000)]).unwrap();
    assert!(!stale.exists(), "writers remove stale temporary caches");
}

#[test]
fn unwritable_cache_still_loads() {
    // The cache's place is taken by a folder: it can be neither read nor
    // replaced.
    let (_dir, path, store, mut events) = cached_store("cache-folder");
    let cache = store.cache_path();
    fs::remove_file(&cache).unwrap();
    fs::create_dir(&cache).unwrap();
    fs::write(cache.join("inside"), "x").unwrap();
    assert_eq!(store.load().unwrap(), events);
    assert_eq!(store.load().unwrap(), events);
    store.merge(&[numbered(500)]).unwrap();
    events.push(numbered(500));
    assert_eq!(store.load().unwrap(), events);
    assert!(cache.is_dir());
    assert_eq!(fs::read_to_string(cache.join("inside")).unwrap(), "x");
    let leftovers: Vec<String> = fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[cfg(unix)]
#[test]
fn read_only_folder_still_loads() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_folder("cache-read-only");
    let path = dir.join("events.toml");
    let events = varied_events();
    Store::new(&path).merge(&events).unwrap();
    let store = Store::new(&path);
    fs::remove_file(store.cache_path()).unwrap();
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o555)).unwrap();
    let first = store.load();
    let second = store.load();
    // (Run as root, the folder is writable anyway and a cache appears.)
    let cached = store.cache_path().exists();
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(first.unwrap(), events);
    assert_eq!(second.unwrap(), events);
    if cached {
        assert_eq!(store.load().unwrap(), events);
    }
}

#[cfg(unix)]
#[test]
fn cache_keeps_the_store_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_folder("cache-private");
    let path = dir.join("events.toml");
    let store = Store::new(&path);
    store.merge(&[numbered(1)]).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
    fs::remove_file(store.cache_path()).unwrap();
    store.load().unwrap();
    let mode = fs::metadata(store.cache_path())
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[test]
fn broken_store_reports_its_error_despite_an_old_cache() {
    let (_dir, path, store, _) = cached_store("cache-broken");
    let cache = store.cache_path();
    let old_cache = fs::read(&cache).unwrap();

    // A TOML syntax error.
    fs::write(&path, MALFORMED).unwrap();
    assert_parse_error(store.load(), &path);
    assert_parse_error(store.get("ev-00000001"), &path);
    let shown = shown_after_path(&store.load().unwrap_err(), &path);
    assert_eq!(shown, full_parse(&path).unwrap_err());
    assert_eq!(
        fs::read(&cache).unwrap(),
        old_cache,
        "a failed parse writes no cache"
    );

    // Valid TOML, invalid store.
    let invalid = MALFORMED.replace("status = open", "status = \"someday\"");
    fs::write(&path, &invalid).unwrap();
    let e = store.load().unwrap_err();
    assert!(matches!(e, StoreError::Invalid { line: 7, .. }), "{e}");
    assert_eq!(shown_after_path(&e, &path), full_parse(&path).unwrap_err());

    // Not UTF-8.
    let mut bytes = b"# ok\n[[event]]\ntitle = \"".to_vec();
    bytes.extend([0xff, 0xfe]);
    bytes.extend(b"\"\n");
    fs::write(&path, &bytes).unwrap();
    assert!(matches!(
        store.load(),
        Err(StoreError::Parse { line: 3, .. })
    ));
    assert_eq!(fs::read(&cache).unwrap(), old_cache);
}

#[test]
fn writers_keep_the_cache_current() {
    let (_dir, _, store, mut events) = cached_store("cache-writers");
    let cache = store.cache_path();

    store.merge(&[numbered(100)]).unwrap();
    events.push(numbered(100));
    let after_merge = identity(&cache);
    assert_eq!(store.load().unwrap(), events);
    assert_eq!(identity(&cache), after_merge, "merge refreshed the cache");

    store.set_status(&events[2].id, Status::Done).unwrap();
    events[2].status = Status::Done;
    let after_status = identity(&cache);
    assert_eq!(store.load().unwrap(), events);
    assert_eq!(identity(&cache), after_status);

    let removed = store.remove(&events[3].id).unwrap();
    assert_eq!(removed, events.remove(3));
    let after_remove = identity(&cache);
    assert_eq!(store.load().unwrap(), events);
    assert_eq!(identity(&cache), after_remove);
}
