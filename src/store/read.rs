//! Reading the store: its events or its table rows through the read
//! cache when the cache is current, else from the TOML, making the cache
//! again (see the module `index` and "Reading" in the store's own docs).

use std::fs;
use std::io;
use std::path::Path;

use super::EventRef;
use super::{append, cache, cache_path_of, io_error, line_col, merge, pieces, Store, StoreError};
use crate::events::{Event, Row};

impl Store {
    /// All events; a missing file is an empty store. Errors name file, line, column.
    ///
    /// The store's bytes are always read, and their key (length and a
    /// 64-bit hash of the full contents) is looked up in the read cache
    /// ([`Store::cache_path`]); when it matches, the events come from the
    /// cache instead of parsing the TOML. Otherwise the store is parsed as
    /// usual and, when it is valid, the cache is rewritten for these bytes.
    /// Any problem with the cache only means a full parse: never an error.
    pub fn load(&self) -> Result<Vec<Event>, StoreError> {
        self.load_to(cache::Depth::Full)
    }

    /// [`Store::load`] for tables: from a current cache, each source's
    /// `sentence` and `timex` are left empty (decoding them is a large
    /// part of a load, and tables show neither); every other field is
    /// there.
    pub fn load_for_table(&self) -> Result<Vec<Event>, StoreError> {
        self.load_to(cache::Depth::View)
    }

    /// `f` of every event's [`Row`], the fields a table shows: from a
    /// current cache, borrowed from its bytes; else from the events
    /// [`Store::load_for_table`] gives.
    pub fn with_rows<R>(&self, f: impl FnOnce(&[Row<'_>]) -> R) -> Result<R, StoreError> {
        self.with_borrowed::<Rows, R>(f)
    }

    /// `f` of every event whole, borrowed ([`EventRef`]): from a current
    /// cache, from its bytes; else from the events [`Store::load`] gives.
    pub fn with_event_refs<R>(
        &self,
        f: impl FnOnce(&[EventRef<'_>]) -> R,
    ) -> Result<R, StoreError> {
        self.with_borrowed::<EventRefs, R>(f)
    }

    /// `f` of every event as `T` borrows it: from the cache's bytes
    /// when the cache is current, else from each event loaded.
    fn with_borrowed<T: Borrowed, R>(
        &self,
        f: impl FnOnce(&[T::In<'_>]) -> R,
    ) -> Result<R, StoreError> {
        let real = self.real_path()?;
        let cache_path = cache_path_of(&real);
        let len = fs::metadata(&real).map_or(u64::MAX, |m| m.len());
        // The store is hashed on a second thread while the cache is read
        // and decoded (each takes about as long), as in a load; `f` comes
        // back when the cache is not current. A cache written for another
        // length is stale whatever the hash: the store's bytes are then
        // read, and hashed, once.
        let f = match cache::found_for(&cache_path, len) {
            None => Err(f),
            Some(found) => std::thread::scope(|s| {
                let key = s.spawn(|| cache::Key::of_file(&real));
                let cached = T::read(found, &cache_path);
                let decoded = cached.as_ref().and_then(T::from_cache);
                let cached_key = cached.as_ref().map(|c| c.key());
                let done = match (key.join(), cached_key, decoded) {
                    (Ok(Ok(key)), Some(k), Some(decoded)) if k == key => Ok(f(&decoded)),
                    (Ok(Err(e)), ..) if e.kind() == io::ErrorKind::NotFound => Ok(f(&[])),
                    _ => Err(f),
                };
                // What was decoded borrows the cache's bytes: gone before them.
                drop(cached);
                done
            }),
        };
        let f = match f {
            Ok(r) => return Ok(r),
            Err(f) => f,
        };
        // Straight to the store's bytes, without reading the cache again
        // as `load_to` would. After a hash found the cache stale (an edit
        // that kept the length), the bytes read are hashed again: the new
        // cache must be keyed by the bytes it is made from, and the file
        // may have changed since.
        let key = match self.read_uncached(&real, &cache_path, T::DEPTH)? {
            Uncached::Missing => return Ok(f(&[])),
            Uncached::Events(events) => return Ok(with_each::<T, R>(&events, f)),
            Uncached::Written(key) => key,
        };
        // The cache just written is read as a current one is: what `f`
        // borrows takes less room than the same events decoded (a cold
        // export of 100,000 events held 32 MB of `Event`s and their
        // strings besides).
        let cached = cache::found_for(&cache_path, key.len())
            .and_then(|found| T::read(found, &cache_path))
            .filter(|c| c.key() == key);
        if let Some(decoded) = cached.as_ref().and_then(T::from_cache) {
            return Ok(f(&decoded));
        }
        drop(cached);
        let events = self.reparse(&real, &cache_path)?;
        Ok(with_each::<T, R>(&events, f))
    }

    fn load_to(&self, depth: cache::Depth) -> Result<Vec<Event>, StoreError> {
        let real = self.real_path()?;
        let cache_path = cache_path_of(&real);
        // Hashed as it is read: a current cache needs no copy of the
        // store. The cache is read and decoded meanwhile on a second
        // thread (each takes about as long), and used if its key is the
        // store's.
        let len = fs::metadata(&real).map_or(u64::MAX, |m| m.len());
        // A cache written for another length is stale whatever the hash:
        // the store is read, and hashed, once.
        let Some(found) = cache::found_for(&cache_path, len) else {
            return self.load_uncached(&real, &cache_path, depth);
        };
        let (key, cached) = std::thread::scope(|s| {
            let cached = s.spawn(|| found.decode(&cache_path, depth));
            let key = cache::Key::of_file(&real);
            (key, cached.join().ok().flatten())
        });
        match key {
            Ok(key) => {
                if let Some((_, events)) = cached.filter(|(k, _)| *k == key) {
                    return Ok(events);
                }
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            // The read below reports it.
            Err(_) => {}
        }
        self.load_uncached(&real, &cache_path, depth)
    }

    /// The events read from the store's bytes, the cache made again from
    /// them: when the cache is not current.
    fn load_uncached(
        &self,
        real: &Path,
        cache_path: &Path,
        depth: cache::Depth,
    ) -> Result<Vec<Event>, StoreError> {
        let key = match self.read_uncached(real, cache_path, depth)? {
            Uncached::Missing => return Ok(Vec::new()),
            Uncached::Events(events) => return Ok(events),
            Uncached::Written(key) => key,
        };
        // Decoded as the file is read, never held whole.
        let events = cache::read_unkeyed(cache_path, key.len(), depth)
            .filter(|(k, _)| *k == key)
            .map(|(_, events)| events);
        match events {
            Some(events) => Ok(events),
            None => self.reparse(real, cache_path),
        }
    }

    /// The store's bytes read and the cache made again from them: the
    /// events, or the key of the cache written (the events are then read
    /// from it, without the store's text in memory).
    fn read_uncached(
        &self,
        real: &Path,
        cache_path: &Path,
        depth: cache::Depth,
    ) -> Result<Uncached, StoreError> {
        let Some(mut bytes) = self.read_bytes(real)? else {
            return Ok(Uncached::Missing);
        };
        append::without_torn_append(real, &mut bytes);
        let key = cache::Key::of(&bytes);
        let mut text = self.utf8(bytes)?;
        if let Some(refreshed) = pieces::refresh(&self.path, &text, cache_path) {
            // The new cache is made without the store's text in memory.
            drop(std::mem::take(&mut text));
            if refreshed.write(key, cache_path, real) {
                return Ok(Uncached::Written(key));
            }
            let events = refreshed
                .contents(key)
                .and_then(|fresh| cache::decode_to(&fresh, key, depth));
            return match events {
                Some(events) => Ok(Uncached::Events(events)),
                None => self.reparse(real, cache_path).map(Uncached::Events),
            };
        }
        self.parse_whole(text, key, cache_path, real)
            .map(Uncached::Events)
    }

    /// When a cache just made does not read back (never expected: those
    /// bytes were just made): the store read again as if there were no
    /// cache, as one document.
    fn reparse(&self, real: &Path, cache_path: &Path) -> Result<Vec<Event>, StoreError> {
        let _ = fs::remove_file(cache_path);
        let Some(mut bytes) = self.read_bytes(real)? else {
            return Ok(Vec::new());
        };
        append::without_torn_append(real, &mut bytes);
        let key = cache::Key::of(&bytes);
        let text = self.utf8(bytes)?;
        self.parse_whole(text, key, cache_path, real)
    }

    /// The store's `text` (whose key is `key`) parsed as one document,
    /// and the cache written for it.
    fn parse_whole(
        &self,
        text: String,
        key: cache::Key,
        cache_path: &Path,
        real: &Path,
    ) -> Result<Vec<Event>, StoreError> {
        let (events, facts) = merge::read_store_for_cache(&self.path, &text)?;
        cache::write(cache_path, key, &events, &facts, text.as_bytes(), real);
        Ok(events)
    }

    /// After a hand edit of the store (whose `text` has the key `key`), or
    /// with no cache yet: its read cache, made a piece at a time (from
    /// the stale one without parsing the events whose text did not
    /// change, see `pieces::refresh`) and written to `cache_path`;
    /// whether it was (not when the store must be read as one document).
    pub(super) fn refresh_cache(
        &self,
        text: &str,
        key: cache::Key,
        cache_path: &Path,
        real: &Path,
    ) -> bool {
        pieces::refresh(&self.path, text, cache_path)
            .is_some_and(|fresh| fresh.write(key, cache_path, real))
    }

    /// Reads the bytes of the store's real file; `None` when it does not
    /// exist.
    pub(super) fn read_bytes(&self, real: &Path) -> Result<Option<Vec<u8>>, StoreError> {
        match fs::read(real) {
            Ok(b) => Ok(Some(b)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io_error(&self.path, e)),
        }
    }

    /// Reads the store's text; `None` when the file does not exist.
    pub(super) fn read_text(&self, real: &Path) -> Result<Option<String>, StoreError> {
        match self.read_bytes(real)? {
            None => Ok(None),
            Some(bytes) => self.utf8(bytes).map(Some),
        }
    }

    /// The store's bytes as text, or a parse error at the first bad byte.
    pub(super) fn utf8(&self, bytes: Vec<u8>) -> Result<String, StoreError> {
        match String::from_utf8(bytes) {
            Ok(s) => Ok(s),
            Err(e) => {
                let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
                // Valid by construction; the fallback never runs.
                let good = std::str::from_utf8(good).unwrap_or("");
                let (line, column) = line_col(good, good.len());
                Err(StoreError::Parse {
                    path: self.path.clone(),
                    line,
                    column,
                    message: "the file is not UTF-8 text".into(),
                })
            }
        }
    }
}

/// What a read of the store's bytes gave (see [`Store::read_uncached`]).
enum Uncached {
    /// No store file: no events.
    Missing,
    /// The events, when no cache could be written for them.
    Events(Vec<Event>),
    /// The cache was written for the store bytes with this key.
    Written(cache::Key),
}

/// `f` of every event as `T` borrows it.
fn with_each<T: Borrowed, R>(events: &[Event], f: impl FnOnce(&[T::In<'_>]) -> R) -> R {
    let borrowed: Vec<T::In<'_>> = events.iter().map(T::from_event).collect();
    f(&borrowed)
}

/// A borrowed form of every event, from the cache's bytes or from loaded
/// events (see [`Store::with_borrowed`]).
trait Borrowed {
    type In<'a>: Send;
    /// What a load must decode for [`Borrowed::from_event`].
    const DEPTH: cache::Depth;
    /// What of the cache, whose header and tail are `found`, it reads.
    fn read(found: cache::Opened, path: &Path) -> Option<cache::Cached>;
    fn from_cache(cached: &cache::Cached) -> Option<Vec<Self::In<'_>>>;
    fn from_event(e: &Event) -> Self::In<'_>;
}

/// Tables' rows ([`Row`]).
struct Rows;

impl Borrowed for Rows {
    type In<'a> = Row<'a>;
    const DEPTH: cache::Depth = cache::Depth::View;

    fn read(found: cache::Opened, path: &Path) -> Option<cache::Cached> {
        found.read_rows(path)
    }

    fn from_cache(cached: &cache::Cached) -> Option<Vec<Row<'_>>> {
        cached.rows()
    }

    fn from_event(e: &Event) -> Row<'_> {
        Row::from(e)
    }
}

/// Whole events ([`EventRef`]).
struct EventRefs;

impl Borrowed for EventRefs {
    type In<'a> = EventRef<'a>;
    const DEPTH: cache::Depth = cache::Depth::Full;

    fn read(found: cache::Opened, path: &Path) -> Option<cache::Cached> {
        found.read_whole(path)
    }

    fn from_cache(cached: &cache::Cached) -> Option<Vec<EventRef<'_>>> {
        cached.event_refs()
    }

    fn from_event(e: &Event) -> EventRef<'_> {
        EventRef::from(e)
    }
}
