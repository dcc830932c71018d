//! The undo journal: before each change, the store's previous text is kept
//! beside it (`.events.toml.undo/`, one numbered file per change, the last
//! [`KEEP`] changes), so `timeline undo` can put it back. Entries get the
//! store's mode, owner and extended attributes: a private store keeps a
//! private history, and a write by root leaves one its owner can extend.
//!
//! The entry is the store's own file given a second name (a hard link)
//! when it still holds the previous text: every write replaces the store
//! by a new file, so the old one is never written again, and keeping it
//! costs no copy of a 35 MB store and no flush of its bytes. Where a link
//! cannot be made (another file system, no permission), the text is
//! written out as before.

use std::fs;
use std::path::{Path, PathBuf};

use super::write::{give_to_owner, io_error, sync_dir, write_atomic_like};
use super::StoreError;

/// How many earlier versions are kept.
pub const KEEP: usize = 20;

/// The journal folder of a store: `.NAME.undo` beside it.
pub fn dir(store: &Path) -> PathBuf {
    let name = store.file_name().map_or_else(
        || "events.toml".into(),
        |n| n.to_string_lossy().into_owned(),
    );
    store.with_file_name(format!(".{name}.undo"))
}

/// The journal's entries, oldest first, by their number.
fn entries(dir: &Path) -> Vec<(u64, PathBuf)> {
    let mut found: Vec<(u64, PathBuf)> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let path = e.path();
            let n = path.file_stem()?.to_str()?.parse().ok()?;
            (path.extension()? == "toml").then_some((n, path))
        })
        .collect();
    found.sort();
    found
}

/// Keeps `previous` (the text before a change of the real store file
/// `store`; empty when it did not exist) as the newest entry, and drops
/// entries beyond [`KEEP`].
pub fn save(store: &Path, previous: &str) -> Result<(), StoreError> {
    let dir = dir(store);
    let like = fs::metadata(store).ok();
    fs::create_dir_all(&dir).map_err(|e| io_error(&dir, e))?;
    if let Some(meta) = &like {
        give_to_owner(&dir, meta);
    }
    let all = entries(&dir);
    let next = all.last().map_or(1, |(n, _)| n + 1);
    let entry = dir.join(format!("{next:08}.toml"));
    if !previous.is_empty() && linked(store, &entry, previous) {
        sync_dir(&dir);
    } else {
        write_atomic_like(&entry, previous, like.as_ref().map(|m| (store, m)))?;
    }
    for (_, old) in all.iter().take((all.len() + 1).saturating_sub(KEEP)) {
        let _ = fs::remove_file(old);
    }
    Ok(())
}

/// Whether `entry` is now a second name of the store's file, which holds
/// `previous` (checked after linking: a hand edit may have come between
/// the writer's read and the link).
fn linked(store: &Path, entry: &Path, previous: &str) -> bool {
    if fs::hard_link(store, entry).is_err() {
        return false;
    }
    let same = same_bytes(entry, previous.as_bytes()).unwrap_or(false);
    if !same {
        let _ = fs::remove_file(entry);
    }
    same
}

/// Whether the file holds exactly `expected`, read a piece at a time (a
/// second copy of a large store would double a write's memory).
fn same_bytes(path: &Path, expected: &[u8]) -> std::io::Result<bool> {
    use std::io::Read;
    let mut file = fs::File::open(path)?;
    let mut buf = vec![0u8; 1 << 20];
    let mut at = 0;
    loop {
        let n = match file.read(&mut buf) {
            Ok(0) => return Ok(at == expected.len()),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if expected.get(at..at + n) != Some(&buf[..n]) {
            return Ok(false);
        }
        at += n;
    }
}

/// The newest entry's text and path, if any.
pub fn newest(store: &Path) -> Option<(String, PathBuf)> {
    let (_, path) = entries(&dir(store)).pop()?;
    let text = fs::read_to_string(&path).ok()?;
    Some((text, path))
}

/// How many undo steps are left.
pub fn depth(store: &Path) -> usize {
    entries(&dir(store)).len()
}
