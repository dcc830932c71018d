//! New events appended to the store's file in place.
//!
//! Replacing a 35 MB store to add one event costs a copy of every byte
//! and a flush of all of them to disk. When every merged event is new and
//! the read cache says the store's exact bytes are appendable (see
//! `merge::appendable`), `add` instead, under the lock:
//!
//! 1. reads the store a piece at a time, only to hash it: the cache key;
//! 2. reads the cache's records (not its events) to find the stored
//!    events an incoming one may match (`index::tail::Appendable`);
//! 3. renders the new `[[event]]` tables, and checks they read back;
//! 4. keeps an undo entry saying "this text is appended to a store of
//!    this length and hash", flushed to disk (`journal::save_append`);
//! 5. writes the text after the store's last byte and flushes it;
//! 6. writes the new events to the cache's tail (`index::tail`).
//!
//! A writer killed in step 5, or a crash before the text reached the
//! disk, leaves the store ending in a strict beginning of the text: the
//! entry tells that apart from an edit, so the next writer cuts the text
//! off again ([`Store::repair`]) and a reader meanwhile reads the store
//! without it ([`without_torn_append`]). Either sees the store before
//! the add or after it, never half of it. A store with a second name (a
//! hard link) is replaced as before: writing in place would change the
//! other name too.

use std::io::Read;
use std::os::unix::fs::{FileExt, MetadataExt};

use super::journal::{Appended, Entry};
use super::*;

/// The store's bytes read a piece at a time, never whole.
struct Scan {
    /// The hash of all of them, to be continued with the appended text.
    hasher: cache::Hasher,
    /// Their first bytes, for the line style.
    start: Vec<u8>,
    /// How many names the file has.
    links: u64,
    /// The newest undo entry's append, when it is there and not finished.
    torn: Option<(PathBuf, u64)>,
}

/// How many of the store's first bytes a scan keeps.
const START: usize = 64 << 10;

/// Reads the store `real` a piece at a time: its key, its start, and
/// whether the newest undo entry's append is torn in it.
fn scan(real: &Path) -> io::Result<Scan> {
    let entry = match journal::newest_append(real) {
        Some((Entry::Append { len, hash, text }, path)) => Some((len, hash, text, path)),
        _ => None,
    };
    let mut file = File::open(real)?;
    let links = file.metadata()?.nlink();
    let mut hasher = cache::Hasher::new();
    let mut start = Vec::new();
    let mut prefix = None;
    let mut after = Vec::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let mut piece = &buf[..n];
        if start.len() < START {
            start.extend_from_slice(&piece[..piece.len().min(START - start.len())]);
        }
        if let Some((len, _, text, _)) = &entry {
            // The entry's old length falls in this piece: the hash up to
            // it is the old store's key, and what follows is compared
            // with the text (no more of it than the text could be).
            let at = hasher.len();
            if prefix.is_none() && at + n as u64 >= *len {
                let cut = (*len - at) as usize;
                hasher.update(&piece[..cut]);
                prefix = Some(cache::Key::of_hasher(&hasher));
                piece = &piece[cut..];
            }
            if prefix.is_some() && after.len() <= text.len() {
                after.extend_from_slice(&piece[..piece.len().min(text.len() + 1 - after.len())]);
            }
        }
        hasher.update(piece);
    }
    let torn = entry.and_then(|(len, hash, text, path)| {
        let intact = prefix == Some(cache::Key::from_parts(len, hash));
        (intact && journal::appended(&after, &text) == Appended::Torn).then_some((path, len))
    });
    Ok(Scan {
        hasher,
        start,
        links,
        torn,
    })
}

/// Where the newest undo entry's append is torn in `bytes` (the store
/// `real`'s): the length of the store before it.
fn torn_at(real: &Path, bytes: &[u8]) -> Option<(PathBuf, usize)> {
    let (Entry::Append { len, hash, text }, path) = journal::newest_append(real)? else {
        return None;
    };
    let len = usize::try_from(len).ok().filter(|&l| l <= bytes.len())?;
    let (old, after) = bytes.split_at(len);
    // The hash last: this is the first test a good store fails.
    (journal::appended(after, &text) == Appended::Torn
        && cache::Key::of(old) == cache::Key::from_parts(len as u64, hash))
    .then_some((path, len))
}

/// `bytes`, a store read without the lock, without the text of an append
/// that has not finished (see the module's comment).
pub(super) fn without_torn_append(real: &Path, bytes: &mut Vec<u8>) {
    if let Some((_, len)) = torn_at(real, bytes) {
        bytes.truncate(len);
    }
}

/// Cuts the store's file back to `len` bytes and drops the undo entry
/// `entry` of the append that never finished.
fn cut(real: &Path, len: u64, entry: &Path) -> Result<(), StoreError> {
    let file = OpenOptions::new()
        .write(true)
        .open(real)
        .map_err(|e| io_error(real, e))?;
    file.set_len(len).map_err(|e| io_error(real, e))?;
    file.sync_data().map_err(|e| io_error(real, e))?;
    fs::remove_file(entry).map_err(|e| io_error(entry, e))
}

impl Store {
    /// Under the lock, with `bytes` the store's: an append that never
    /// finished is cut off the file and out of `bytes`.
    pub(super) fn repair(&self, real: &Path, bytes: &mut Vec<u8>) -> Result<(), StoreError> {
        if let Some((entry, len)) = torn_at(real, bytes) {
            target::check_writable(real)?;
            cut(real, len as u64, &entry)?;
            bytes.truncate(len);
        }
        Ok(())
    }

    /// The fast path of [`Store::merge`] (see the module's comment).
    /// `Ok(None)` means nothing was written and the full path must merge:
    /// no store yet, no current cache, a store not appendable, an event
    /// already stored, or a store with a second name.
    pub(super) fn append_new(&self, events: &[Event]) -> Result<Option<MergeReport>, StoreError> {
        let real = self.real_path()?;
        if !real.is_file() {
            return Ok(None);
        }
        let _lock = self.lock(&real)?;
        remove_stale_temp_files(&real, self.wall_now());
        let cache_path = cache_path_of(&real);
        cache::remove_stale_temp_files(&cache_path, self.wall_now());
        let mut scanned = scan(&real).map_err(|e| io_error(&self.path, e))?;
        if let Some((entry, len)) = &scanned.torn {
            target::check_writable(&real)?;
            cut(&real, *len, entry)?;
            scanned = scan(&real).map_err(|e| io_error(&self.path, e))?;
        }
        let key = cache::Key::of_hasher(&scanned.hasher);
        if scanned.links != 1 {
            return Ok(None);
        }
        if !cache::is_current(&cache_path, key) && !self.cache_anew(&real, key, &cache_path)? {
            return Ok(None);
        }
        let Some(cached) = cache::read_appendable(&cache_path, key) else {
            return Ok(None);
        };
        // The plan only finds an incoming event among stored ones with
        // its id or its value (its content key holds the value), so it
        // is given those alone, with only what it looks at decoded.
        let ids = events
            .iter()
            .map(|e| cache::hash(e.id.as_bytes()))
            .collect();
        let values = events
            .iter()
            .map(|e| cache::hash(e.value.as_bytes()))
            .collect();
        let Some(mut stored) = cached.matching(&ids, &values) else {
            return Ok(None);
        };
        let old_len = stored.len();
        let (report, changes) = merge::plan(&mut stored, events, &self.path)?;
        // A new id for a collision must be free among all stored ids, not
        // just those given to the plan: the full path's, as any change to
        // a stored event is.
        if !report.renamed.is_empty() {
            return Ok(None);
        }
        let mut tables = Vec::with_capacity(changes.len());
        for change in changes {
            match change {
                merge::Change::Append(table) => tables.push(table),
                merge::Change::Update { .. } => return Ok(None),
            }
        }
        if tables.is_empty() {
            return Ok(Some(report));
        }
        // The cache was written for these bytes, so they are UTF-8 and
        // hold a line end (the style is that of the first).
        let start = &scanned.start;
        let start = std::str::from_utf8(start)
            .or_else(|e| std::str::from_utf8(&start[..e.valid_up_to()]))
            .unwrap_or("");
        if !start.contains('\n') {
            return Ok(None);
        }
        let appended = LineStyle::of(start)
            .without_bom()
            .apply(&merge::render_appended(tables));
        let at = scanned.hasher.len();
        let reread = parse_document(&self.path, &appended)
            .and_then(|doc| Ok((read_events(&self.path, &appended, &doc)?, doc)));
        // Where the new headers are, from the parse that checks them.
        let added_spans = match reread {
            Ok((events, doc)) if events == stored[old_len..] => {
                let spans = splice::header_spans(&doc);
                (spans.len() == events.len())
                    .then(|| spans.iter().map(|s| s + at as usize).collect::<Vec<_>>())
            }
            _ => return Err(internal(&self.path, "the new events would not read back")),
        };
        target::check_writable(&real)?;
        let old_key = key;
        journal::save_append(&real, old_key.len(), old_key.hash(), &appended)?;
        self.write_at_end(&real, at, &appended)?;
        let added = stored.split_off(old_len);
        scanned.hasher.update(appended.as_bytes());
        cache::write_appended(
            &cache_path,
            cached,
            &added,
            added_spans.as_deref(),
            appended.as_bytes(),
            at as usize,
            cache::Key::of_hasher(&scanned.hasher),
            &real,
        );
        Ok(Some(report))
    }

    /// After a hand edit (or with no cache yet), the cache made for the
    /// store's bytes (whose key is `key`), reading the store a piece at a
    /// time (see `pieces`), not as one editable document; whether it was.
    fn cache_anew(
        &self,
        real: &Path,
        key: cache::Key,
        cache_path: &Path,
    ) -> Result<bool, StoreError> {
        let Some(bytes) = self.read_bytes(real)? else {
            return Ok(false);
        };
        let Ok(text) = std::str::from_utf8(&bytes) else {
            return Ok(false);
        };
        if cache::Key::of(&bytes) != key {
            return Ok(false);
        }
        Ok(self.refresh_cache(text, key, cache_path, real))
    }

    /// For `undo` of an append: the store's text before `text` was
    /// appended to its first `len` bytes, which hashed to `hash`. Refused
    /// when the store has changed since in any other way: what changed
    /// would be lost.
    pub(super) fn before_append(
        &self,
        real: &Path,
        len: u64,
        hash: u64,
        text: &str,
    ) -> Result<String, StoreError> {
        let mut bytes = self.read_bytes(real)?.unwrap_or_default();
        let old = usize::try_from(len).ok().filter(|&l| l <= bytes.len());
        let unchanged = old.is_some_and(|l| {
            journal::appended(&bytes[l..], text) != Appended::Other
                && cache::Key::of(&bytes[..l]) == cache::Key::from_parts(len, hash)
        });
        match old {
            Some(l) if unchanged => {
                bytes.truncate(l);
                self.utf8(bytes)
            }
            _ => Err(StoreError::Invalid {
                path: self.path.clone(),
                line: 0,
                message: "the store was changed after the last add (by hand or by another \
                          program), so undoing the add would lose that change; nothing was \
                          undone. Remove the added events with `timeline rm` instead"
                    .into(),
            }),
        }
    }

    /// Writes `text` after the `len` bytes of the store's file `real` and
    /// flushes it. On failure the file is cut back and the undo entry
    /// just kept for it dropped: the store is as it was.
    fn write_at_end(&self, real: &Path, len: u64, text: &str) -> Result<(), StoreError> {
        let written = (|| {
            let file = OpenOptions::new().write(true).open(real)?;
            if file.metadata()?.len() != len {
                return Err(io::Error::other("the store changed while it was locked"));
            }
            let done = file
                .write_all_at(text.as_bytes(), len)
                .and_then(|()| file.sync_data());
            if done.is_err() {
                let _ = file.set_len(len).and_then(|()| file.sync_data());
            }
            done
        })();
        written.map_err(|e| {
            if let Some((_, entry)) = journal::newest_append(real) {
                let _ = fs::remove_file(entry);
            }
            io_error(&self.path, e)
        })
    }
}
