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

//!
//! A new event appended to the store in place (see `merge`) is kept as an
//! entry of its own, `NNNNNNNN.append`: the store's length and hash before
//! it, and the text appended. Undoing it cuts that text off again. Such an
//! entry is written and flushed before the store is touched, so it also
//! tells a torn append (a writer killed in the middle of it, or a crash
//! before the text reached the disk) from a store edited after it: the
//! store's bytes before that length are the old store and the bytes after
//! it are a strict beginning of the text (see [`torn`]).

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
            let ext = path.extension()?;
            (ext == "toml" || ext == APPEND).then_some((n, path))
        })
        .collect();
    found.sort();
    found
}

/// Keeps `previous` (the text before a change of the real store file
/// `store`; empty when it did not exist) as the newest entry, and drops
/// entries beyond [`KEEP`].
pub fn save(store: &Path, previous: &str) -> Result<(), StoreError> {
    let next = Next::of(store, "toml")?;
    if !previous.is_empty() && linked(store, &next.entry, previous) {
        sync_dir(&next.dir);
    } else {
        write_atomic_like(&next.entry, previous, next.like())?;
    }
    next.prune();
    Ok(())
}

/// The next entry of a store's journal, and what making it involves.
struct Next<'s> {
    store: &'s Path,
    dir: PathBuf,
    entry: PathBuf,
    /// The store's metadata, which entries take.
    like: Option<fs::Metadata>,
    /// The entries there were before it.
    all: Vec<(u64, PathBuf)>,
}

impl<'s> Next<'s> {
    /// The journal folder made (given to the store's owner) and the next
    /// entry's path, with extension `ext`.
    fn of(store: &'s Path, ext: &str) -> Result<Next<'s>, StoreError> {
        let dir = dir(store);
        let like = fs::metadata(store).ok();
        fs::create_dir_all(&dir).map_err(|e| io_error(&dir, e))?;
        if let Some(meta) = &like {
            give_to_owner(&dir, meta);
        }
        let all = entries(&dir);
        let next = all.last().map_or(1, |(n, _)| n + 1);
        let entry = dir.join(format!("{next:08}.{ext}"));
        Ok(Next {
            store,
            dir,
            entry,
            like,
            all,
        })
    }

    fn like(&self) -> Option<(&Path, &fs::Metadata)> {
        self.like.as_ref().map(|m| (self.store, m))
    }

    /// Drops the entries beyond [`KEEP`], the new one counted.
    fn prune(self) {
        let all = &self.all;
        for (_, old) in all.iter().take((all.len() + 1).saturating_sub(KEEP)) {
            let _ = fs::remove_file(old);
        }
    }
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

/// The extension of an entry that undoes an append.
const APPEND: &str = "append";

/// The first line of an append entry.
const APPEND_MAGIC: &str = "timeline undo: cut off the text appended below";

/// What an entry puts back.
#[derive(Debug, PartialEq, Eq)]
pub enum Entry {
    /// The store's whole text before the change.
    Whole(String),
    /// The change appended `text` to a store of `len` bytes hashing to
    /// `hash` (see `index::Key`).
    Append { len: u64, hash: u64, text: String },
}

/// The newest entry and its path, if any (an entry that cannot be read
/// is `None`, as no entry).
pub fn newest(store: &Path) -> Option<(Entry, PathBuf)> {
    let (_, path) = entries(&dir(store)).pop()?;
    let text = fs::read_to_string(&path).ok()?;
    if path.extension().is_some_and(|e| e == APPEND) {
        return Some((parse_append(&text)?, path));
    }
    Some((Entry::Whole(text), path))
}

/// The newest entry and its path when it is an append's (read only then:
/// a whole entry is as large as the store).
pub fn newest_append(store: &Path) -> Option<(Entry, PathBuf)> {
    let (_, path) = entries(&dir(store)).pop()?;
    if path.extension()? != APPEND {
        return None;
    }
    let entry = parse_append(&fs::read_to_string(&path).ok()?)?;
    Some((entry, path))
}

fn parse_append(entry: &str) -> Option<Entry> {
    let rest = entry.strip_prefix(APPEND_MAGIC)?.strip_prefix('\n')?;
    let (len, rest) = rest.strip_prefix("length = ")?.split_once('\n')?;
    let (hash, rest) = rest.strip_prefix("hash = ")?.split_once('\n')?;
    let text = rest.strip_prefix("--\n")?;
    Some(Entry::Append {
        len: len.parse().ok()?,
        hash: u64::from_str_radix(hash, 16).ok()?,
        text: text.to_owned(),
    })
}

/// Keeps, as the newest entry, that `text` is about to be appended to the
/// store `store`, now `len` bytes hashing to `hash`; drops entries beyond
/// [`KEEP`]. The entry is on disk when this returns.
pub fn save_append(store: &Path, len: u64, hash: u64, text: &str) -> Result<(), StoreError> {
    let next = Next::of(store, APPEND)?;
    let body = format!("{APPEND_MAGIC}\nlength = {len}\nhash = {hash:016x}\n--\n{text}");
    write_atomic_like(&next.entry, &body, next.like())?;
    next.prune();
    Ok(())
}

/// How an append recorded in an entry stands in the store's bytes.
#[derive(Debug, PartialEq, Eq)]
pub enum Appended {
    /// The text is all there, and nothing after it.
    Whole,
    /// Only a strict beginning of the text is there (possibly followed by
    /// zero bytes a crash left): the append never finished.
    Torn,
    /// The store is something else: the old store changed, or text
    /// follows the append.
    Other,
}

/// [`Appended`] for an entry's `text` and `after`, the store's bytes
/// after the entry's length. Whether the bytes before it are still the
/// store the text was appended to is for the caller to check (by their
/// key), and only matters when this is not [`Appended::Other`].
pub fn appended(after: &[u8], text: &str) -> Appended {
    let text = text.as_bytes();
    if after == text {
        return Appended::Whole;
    }
    let written = after.iter().position(|&b| b == 0).unwrap_or(after.len());
    let (kept, zeros) = after.split_at(written);
    if after.len() <= text.len() && text.starts_with(kept) && zeros.iter().all(|&b| b == 0) {
        Appended::Torn
    } else {
        Appended::Other
    }
}

/// How many undo steps are left.
pub fn depth(store: &Path) -> usize {
    entries(&dir(store)).len()
}
