//! The store as the server last read it, and the feeds rendered from it.
//!
//! Any edit is seen by the next request, even one of the same size in the
//! same second, or a restore that keeps the old mtime (a key of mtime and
//! size, as before, missed both). Each request `stat`s the file: device,
//! inode, size, and mtime and ctime to the nanosecond; a restore or a
//! rename changes the ctime or the inode. Timestamps are only as fine as
//! the file system's clock tick, though, so two same-size writes within
//! one tick look alike: for [`RACY`] after a change is first seen, each
//! request also reads the file and compares its bytes with the ones the
//! events came from (as git does for "racily clean" files). The store is
//! parsed again only when the bytes differ, and each feed and filter is
//! rendered once per version.

use std::collections::HashMap;
use std::io::Read;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;

use crate::events::Event;
use crate::feed::ical::{to_ics, IcsOptions};
use crate::feed::json_csv::to_json;
use crate::store::{FileStamp, Store};
use crate::views::Filter;

/// How many bytes of rendered feeds (and their keys) are kept; past this
/// the cache starts over, so odd queries cannot grow memory without end.
const CACHE_BYTES: usize = 32 << 20;
/// How long after a change to the file's metadata its bytes are still
/// compared on every request: longer than the coarsest file timestamps
/// (FAT's 2 s), so a write within the same tick is read.
const RACY: Duration = Duration::from_secs(3);

/// Which feed a path names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum Format {
    Ics,
    Json,
}

impl Format {
    pub(super) fn named(name: &str) -> Option<Format> {
        match name {
            "events.ics" => Some(Format::Ics),
            "events.json" => Some(Format::Json),
            _ => None,
        }
    }

    pub(super) fn content_type(self) -> &'static str {
        match self {
            Format::Ics => "text/calendar; charset=utf-8",
            Format::Json => "application/json",
        }
    }
}

/// One feed, rendered: its bytes and their tag.
#[derive(Clone)]
pub(super) struct Rendered {
    pub body: Bytes,
    /// A hash of the body bytes, quoted, as the `ETag` header has it.
    pub etag: String,
    /// The mtime of the store file the events came from.
    pub modified: Option<SystemTime>,
}

/// The shared state, behind one lock: a cache hit holds it for a `stat`
/// (and a read and compare, for a few seconds after a change).
pub(super) struct Feeds {
    state: Mutex<State>,
}

struct State {
    store: Store,
    /// The monotonic clock, from the host.
    monotonic: fn() -> Instant,
    /// What `stat` said last (`None`: no file), and when that was first
    /// seen.
    stat: Option<FileStamp>,
    stat_since: Instant,
    /// When the bytes were last read and compared.
    verified: Option<Instant>,
    /// The bytes the events were read from (`Some(None)`: the file was
    /// missing); `None` before the first read and after a failed one.
    seen: Option<Option<Vec<u8>>>,
    /// Where this request's read goes, kept to reuse its allocation.
    scratch: Vec<u8>,
    /// The events last read successfully (kept while the store is broken).
    events: Vec<Event>,
    modified: Option<SystemTime>,
    /// Why the current file does not load.
    error: Option<String>,
    rendered: HashMap<(Format, Filter), Rendered>,
    rendered_bytes: usize,
}

impl Feeds {
    pub(super) fn new(store: Store, monotonic: fn() -> Instant) -> Feeds {
        Feeds {
            state: Mutex::new(State {
                store,
                monotonic,
                stat: None,
                stat_since: monotonic(),
                verified: None,
                seen: None,
                scratch: Vec::new(),
                events: Vec::new(),
                modified: None,
                error: None,
                rendered: HashMap::new(),
                rendered_bytes: 0,
            }),
        }
    }

    /// The feed for this filter from the store as it is now, or why the
    /// store does not load; and a note for the log when whether it loads
    /// just changed.
    pub(super) fn feed(
        &self,
        format: Format,
        filter: &Filter,
        ics: &IcsOptions,
    ) -> (Result<Rendered, String>, Option<String>) {
        let mut state = self.lock();
        let note = state.refresh();
        if let Some(e) = &state.error {
            return (Err(e.clone()), note);
        }
        (Ok(state.render(format, filter, ics)), note)
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while rendering leaves nothing half-written that a later
        // request could trip over: the state is replaced whole on reload.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl State {
    /// Re-reads the events when the file's bytes differ from the ones they
    /// came from. Returns a note for the log when that changed whether the
    /// store loads.
    fn refresh(&mut self) -> Option<String> {
        let now = (self.monotonic)();
        let stat = FileStamp::of(self.store.path());
        if stat != self.stat {
            self.stat = stat;
            self.stat_since = now;
        } else if self
            .verified
            .is_some_and(|v| v.duration_since(self.stat_since) > RACY)
        {
            // Read more than a tick after this metadata appeared: a later
            // write would have changed it.
            return None;
        }
        let read = read_file(self.store.path(), &mut self.scratch);
        self.verified = read.is_ok().then_some(now);
        let unchanged = match (&read, &self.seen) {
            (Ok(Some(_)), Some(Some(old))) => *old == self.scratch,
            (Ok(None), Some(None)) => true,
            _ => false,
        };
        if unchanged {
            return None;
        }
        self.seen = match read {
            Ok(Some(_)) => Some(Some(std::mem::take(&mut self.scratch))),
            Ok(None) => Some(None),
            Err(_) => None,
        };
        self.rendered.clear();
        self.rendered_bytes = 0;
        match self.store.load() {
            Ok(events) => {
                self.events = events;
                self.modified = read.ok().flatten().flatten();
                self.error.take().map(|_| "store loads again".to_string())
            }
            Err(e) => {
                let message = e.to_string();
                self.error = Some(message.clone());
                Some(format!("store does not load: {message}"))
            }
        }
    }

    fn render(&mut self, format: Format, filter: &Filter, ics: &IcsOptions) -> Rendered {
        let key = (format, filter.clone());
        if let Some(hit) = self.rendered.get(&key) {
            return hit.clone();
        }
        let chosen: Vec<Event> = self
            .events
            .iter()
            .filter(|e| filter.matches(e))
            .cloned()
            .collect();
        let body = match format {
            Format::Ics => to_ics(&chosen, ics),
            Format::Json => to_json(&chosen),
        };
        let rendered = Rendered {
            etag: format!("\"{:016x}\"", fnv1a(body.as_bytes())),
            body: Bytes::from(body),
            modified: self.modified,
        };
        let cost = rendered.body.len() + key_cost(filter);
        if self.rendered_bytes + cost > CACHE_BYTES {
            self.rendered.clear();
            self.rendered_bytes = 0;
        }
        self.rendered_bytes += cost;
        self.rendered.insert(key, rendered.clone());
        rendered
    }
}

/// Reads the whole file into `buf`: `Ok(Some(mtime))` when it was read,
/// `Ok(None)` when there is no file (an empty store).
fn read_file(
    path: &std::path::Path,
    buf: &mut Vec<u8>,
) -> std::io::Result<Option<Option<SystemTime>>> {
    let mut file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let modified = file.metadata()?.modified().ok();
    buf.clear();
    file.read_to_end(buf)?;
    Ok(Some(modified))
}

/// Roughly what a filter costs as a key in the cache.
fn key_cost(filter: &Filter) -> usize {
    let text = |s: &Option<String>| s.as_ref().map_or(0, String::len);
    256 + text(&filter.place)
        + text(&filter.grep)
        + filter.tags.iter().map(String::len).sum::<usize>()
        + filter.kinds.len()
}

/// 64-bit FNV-1a: a cheap, stable hash for the ETag.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "timeline-serve-cache-{}-{name}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        dir.join("events.toml")
    }

    const ONE: &str = "[[event]]\ntitle = \"Budget talks\"\nkind = \"deadline\"\ndate = 2014-11-24\nadded = 2014-10-14T09:30:00\n";

    #[test]
    fn a_same_size_edit_with_the_same_mtime_is_seen() {
        let path = scratch("same-size");
        std::fs::write(&path, ONE).unwrap();
        let mtime = std::fs::metadata(&path).unwrap().modified().unwrap();
        let feeds = Feeds::new(Store::new(&path), Instant::now);
        let ics = IcsOptions::default();
        let (first, _) = feeds.feed(Format::Json, &Filter::default(), &ics);
        let first = first.unwrap();
        assert!(std::str::from_utf8(&first.body)
            .unwrap()
            .contains("Budget talks"));

        let edited = ONE.replace("Budget talks", "Border talks");
        assert_eq!(edited.len(), ONE.len());
        std::fs::write(&path, &edited).unwrap();
        let f = std::fs::File::options().write(true).open(&path).unwrap();
        f.set_modified(mtime).unwrap();

        let (second, _) = feeds.feed(Format::Json, &Filter::default(), &ics);
        let second = second.unwrap();
        assert!(std::str::from_utf8(&second.body)
            .unwrap()
            .contains("Border talks"));
        assert_ne!(first.etag, second.etag);
        let _ = std::fs::remove_dir_all(path.parent().unwrap());
    }

    #[test]
    fn the_cache_stays_within_its_budget() {
        let path = scratch("budget");
        std::fs::write(&path, ONE).unwrap();
        let feeds = Feeds::new(Store::new(&path), Instant::now);
        let ics = IcsOptions::default();
        for i in 0..(CACHE_BYTES / 256 + 10) {
            let filter = Filter {
                grep: Some(format!("q{i}")),
                ..Filter::default()
            };
            assert!(feeds.feed(Format::Json, &filter, &ics).0.is_ok());
        }
        let state = feeds.lock();
        assert!(state.rendered_bytes <= CACHE_BYTES);
        assert!(state.rendered.len() < CACHE_BYTES / 256);
        drop(state);
        let _ = std::fs::remove_dir_all(path.parent().unwrap());
    }
}
