//! The event store: a hand-editable `events.toml`. `schema` maps TOML to
//! events and back, `write` replaces the file atomically, `block` hands
//! out one event's table as text and takes it back edited, `upsert`
//! replaces events by id for imports, and `index` keeps a derived read
//! cache beside it. The store knows events, never the views, the feed or
//! the commands.
//!
//! The store is a plain TOML file the user may edit at will. `timeline`
//! never regenerates it: every write *edits* the parsed document with
//! `toml_edit`, so comments, key order, blank lines and keys `timeline` does
//! not know about survive. A new event is appended as a new `[[event]]`
//! table, followed by its `[[event.source]]` tables. When every merged
//! event is new and the read cache is current, those tables are appended
//! to the file in place without parsing it, giving the same bytes (see
//! the `append` module).
//!
//! # Schema
//!
//! ```toml
//! # My deadlines. Comments and layout here are kept when timeline writes.
//!
//! [[event]]
//! id = "ev-1a2b3c4d"
//! title = "Deadline to finalize an agreement"
//! kind = "deadline"            # deadline | meeting | scheduled | past | ongoing | recurring
//! date = 2014-11-24            # a whole day; or
//! # at = 2014-10-15T15:00:00   #   a wall-clock time, with
//! # offset = "-05:00"          #   its UTC offset when known; or
//! # start = 2014-03-01         #   a range, end exclusive, with
//! # end = 2014-11-01           #   end; or
//! # recurs = "XXXX-WXX-1"      #   a recurrence (TIMEX3 value)
//! value = "2014-11-24"         # TIMEX3-style value of its time
//! where = "Vienna"             # optional
//! status = "open"              # open | done
//! added = 2014-10-14T00:00:00
//! notes = "Bring the draft."   # optional
//! remind = "1d"                # optional
//!
//! [[event.source]]
//! file = "examples/vienna-talks.txt"
//! sentence = "The deadline to finalize an agreement is Nov. 24."
//! start = 412                  # byte offsets of the timex in the file
//! end = 419
//! timex = "Nov. 24"
//! ```
//!
//! Field by field:
//!
//! * `title`, `kind` and exactly one time are required. The time is one of
//!   `date` (a TOML local date), `at` (a TOML local date-time, optionally
//!   with `offset = "±HH:MM"`; an offset date-time such as
//!   `2014-10-15T15:00:00-05:00` is accepted too), `start` + `end` (local
//!   dates, `end` exclusive), or `recurs` (a TIMEX3 recurrence string).
//! * `id` defaults to the id `timeline` would derive from the title and
//!   value ([`event_id`]), so an event typed in by hand needs none.
//! * `value` defaults to the value of the time ([`when_value`]).
//! * `status` defaults to `open`; `kind` and `status` are read
//!   case-insensitively.
//! * `added` defaults to 1970-01-01T00:00:00 (meaning "unknown"); a plain
//!   date is read as its midnight.
//! * `where`, `notes` and `remind` are optional.
//! * Each `[[event.source]]` needs `file`, `start` and `end`; `sentence` and
//!   `timex` default to empty. Sources may also be written inline:
//!   `source = [{ file = "a.txt", start = 1, end = 5 }]`.
//! * Any other key, in an event, a source or at the top level, is kept
//!   as it is and otherwise ignored.
//! * Two events may not share an id.
//!
//! A store that does not parse, or breaks the rules above, is reported with
//! its file, line (and column, for TOML syntax errors) and is never written.
//!
//! # Writing
//!
//! Every operation first resolves the path it was given to the store's
//! real file (symlinks followed), refusing anything but a regular file
//! (see the `target` module); all sidecars are named after the real file,
//! so writers that reach one store by different paths share one lock.
//! Every write then takes an exclusive lock on the sidecar file
//! `<real store>.lock` (for example `events.toml.lock`; it is never
//! deleted, and a left-over one is harmless because the operating system
//! drops the lock when its process dies), re-reads the store under the
//! lock, applies the change, refuses a read-only store if there is a
//! change to write, writes the text back with the file's own line ends
//! and byte-order mark (`line_ends`), checks that it reads back as
//! exactly the intended events, writes it to a temporary file in the same
//! folder with the store's mode, owner and extended attributes, flushes
//! it to disk, renames it over the store and flushes the folder. Readers
//! never lock: they see either the old or the new file, never a
//! half-written one. The next writer deletes temporary files whose
//! writer has exited (the pid in their name) or that are over an hour
//! old by the host's clock ([`Store::with_clock`]), never one still being
//! written.
//!
//! The exception is `add` of new events to a store whose read cache is
//! current: their text is appended to the file in place, after an undo
//! entry that lets readers and the next writer tell an append that never
//! finished from an edit (see the `append` module). Readers then see the
//! store before the add or after it, as with a replaced file.
//!
//! Removing an event removes its table, its sources, and the comment lines
//! directly above its `[[event]]` header; comments separated from the
//! header by a blank line (such as a heading at the top of the file) stay.
//!
//! # Reading
//!
//! Parsing a large store is slow (about a second for 100,000 events even
//! read a piece at a time, see `pieces`), so reads keep a derived cache
//! beside it, `.<store>.cache` (for example
//! `.events.toml.cache`): the events of the last store content that parsed,
//! keyed by that content's length and a 64-bit hash of all its bytes. A
//! read always reads the store and uses the cache only when the key
//! matches; otherwise it parses the TOML and rewrites the cache. After a
//! hand edit, only the events whose text changed are parsed again: the
//! others are taken from the cache the edit made stale. The TOML
//! file stays the only source of truth: deleting the cache is always safe,
//! and any problem with it only costs a full parse. See the `index`
//! module.

use std::collections::HashMap;
use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime};

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use toml_edit::{ArrayOfTables, Datetime, DocumentMut, ImDocument, Item, Table, TableLike, Value};

use crate::events::{event_id, when_value, Event, Kind, Recurrence, Source, Status, When};

mod append;
mod block;
mod codec;
mod event_ref;
mod hash;
mod in_place;
mod index;
pub mod journal;
mod line_ends;
mod merge;
mod pieces;
mod read;
mod schema;
mod splice;
mod stamp;
mod target;
#[cfg(test)]
mod tests;
mod upsert;
mod values;
mod write;

pub use block::{new_event_block, read_edited};
pub use event_ref::{EventRef, SourceRef, SourceRefs};
use in_place::*;
use index as cache;
use line_ends::LineStyle;
use schema::*;
pub use stamp::FileStamp;
pub use target::resolve as real_file;
pub use upsert::{plan_upsert, Plan, UpsertReport};
use values::*;
use write::*;
pub use write::{write_atomic, write_atomic_with};

/// The comment a new store file starts with.
const HEADER: &str = "# Events tracked by timeline. Edit freely: comments, key order and blank\n\
                      # lines are kept when timeline writes. See the README for the fields.\n\n";

/// How long a writer waits for the lock by default.
const DEFAULT_LOCK_TIMEOUT: Duration = Duration::from_secs(60);

/// An `events.toml` file.
#[derive(Clone, Debug)]
pub struct Store {
    path: PathBuf,
    lock_timeout: Duration,
    /// The host's clocks; `None` until [`Store::with_clock`].
    clock: Option<Clock>,
}

/// The clocks a store reads, given by the host (the library never reads
/// one itself): `cli::SYSTEM_CLOCK` in the program, a fixed one in tests.
#[derive(Clone, Copy, Debug)]
pub struct Clock {
    /// Wall-clock time now: how old a left-over temporary file is.
    pub wall: fn() -> SystemTime,
    /// Monotonic time now: how long a writer has waited for the lock.
    pub monotonic: fn() -> Instant,
}

/// What a [`Store::merge`] did: each merged event is counted once.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MergeReport {
    /// The ids of the events appended as new `[[event]]` tables, in order
    /// (after a rename, the id they were stored under).
    pub added: Vec<String>,
    /// Events already stored that gained sources.
    pub updated: usize,
    /// Events already stored with all their sources.
    pub unchanged: usize,
    /// New events whose id was taken by a different event (a hash
    /// collision): stored under the id with a suffix, never dropped.
    pub renamed: Vec<(String, String)>,
}

/// Why a store operation failed.
#[derive(Debug)]
pub enum StoreError {
    /// Reading or writing a file failed.
    Io { path: PathBuf, source: io::Error },
    /// The store is not valid TOML (or not UTF-8). Line and column are 1-based.
    Parse {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    /// The store is valid TOML but not a valid store (unknown kind, missing
    /// title, ...). `line` is 1-based; 0 when no line applies.
    Invalid {
        path: PathBuf,
        line: usize,
        message: String,
    },
    /// The path is not a store `timeline` may use or change: not a regular
    /// file (a device, a FIFO, a folder, a dangling symlink), empty, or
    /// read-only. Nothing was read or written.
    Refused { path: PathBuf, reason: String },
    /// Another writer held the lock for longer than the lock timeout.
    Locked { path: PathBuf, waited: Duration },
    /// No event has this id or id prefix.
    NotFound { id: String },
    /// The prefix matches several events.
    Ambiguous { prefix: String, ids: Vec<String> },
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Io { path, source } => write!(f, "{}: {source}", path.display()),
            StoreError::Parse {
                path,
                line,
                column,
                message,
            } => write!(
                f,
                "{}: TOML parse error at line {line}, column {column}: {message}",
                path.display()
            ),
            StoreError::Invalid {
                path,
                line: 0,
                message,
            } => write!(f, "{}: {message}", path.display()),
            StoreError::Invalid {
                path,
                line,
                message,
            } => write!(f, "{}: line {line}: {message}", path.display()),
            StoreError::Refused { path, reason } => write!(f, "{}: {reason}", path.display()),
            StoreError::Locked { path, waited } => write!(
                f,
                "{}: still locked by another timeline process after {}s",
                path.display(),
                waited.as_secs()
            ),
            StoreError::NotFound { id } => write!(f, "no event with id or id prefix {id:?}"),
            StoreError::Ambiguous { prefix, ids } => write!(
                f,
                "id prefix {prefix:?} matches {} events: {}",
                ids.len(),
                ids.join(", ")
            ),
        }
    }
}

impl std::error::Error for StoreError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StoreError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl Store {
    pub fn new(path: impl Into<PathBuf>) -> Store {
        Store {
            path: path.into(),
            lock_timeout: DEFAULT_LOCK_TIMEOUT,
            clock: None,
        }
    }

    /// The clocks this store reads. Without them, a left-over temporary
    /// file is deleted only once its writer has exited (never for its
    /// age), and the wait for the lock is timed by the pauses slept.
    pub fn with_clock(mut self, clock: Clock) -> Store {
        self.clock = Some(clock);
        self
    }

    /// The wall-clock time now, when the host gave a clock.
    fn wall_now(&self) -> Option<SystemTime> {
        self.clock.map(|c| (c.wall)())
    }

    /// How long a write waits for another writer before giving up with
    /// [`StoreError::Locked`] (default 60 s).
    pub fn with_lock_timeout(mut self, timeout: Duration) -> Store {
        self.lock_timeout = timeout;
        self
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The store's real file: the path given with every symlink followed
    /// (see the `target` module). Every sidecar is named after it, so
    /// writers that reach one store by different paths share one lock.
    /// Refuses an empty path and anything but a regular file or a symlink
    /// to one.
    pub fn real_path(&self) -> Result<PathBuf, StoreError> {
        target::resolve(&self.path)
    }

    /// The real file, or the path as given when it cannot be resolved
    /// (the operations themselves report why).
    fn real_or_given(&self) -> PathBuf {
        self.real_path().unwrap_or_else(|_| self.path.clone())
    }

    /// The sidecar lock file: `<real store file>.lock`.
    pub fn lock_path(&self) -> PathBuf {
        lock_path_of(&self.real_or_given())
    }

    /// The sidecar read cache: `.<store file name>.cache` in the real
    /// store file's folder (for example `.events.toml.cache`). See
    /// [`Store::load`].
    pub fn cache_path(&self) -> PathBuf {
        cache_path_of(&self.real_or_given())
    }

    /// Find by id or unique prefix.
    pub fn get(&self, id: &str) -> Result<Event, StoreError> {
        let events = self.load()?;
        let i = resolve(&events, id)?;
        Ok(events[i].clone())
    }

    /// Merge under the lock: an event whose id exists gains the sources it
    /// lacks (same file+start+end = same source); otherwise it is appended.
    /// The stored fields of an existing event (title, status, notes, ...)
    /// are left as they are. Nothing is written when nothing changes.
    ///
    /// When every event is new and the read cache is current for the
    /// store's exact bytes, the new tables are appended to those bytes
    /// without parsing the TOML (see the `merge` module); the file written
    /// is the one the full path writes.
    pub fn merge(&self, events: &[Event]) -> Result<MergeReport, StoreError> {
        if let Some(report) = self.append_new(events)? {
            return Ok(report);
        }
        // The full path: anything the fast path does not take.
        let path = self.path.clone();
        self.modify(true, None, &mut |doc, stored| {
            let (report, changes) = merge::plan(stored, events, &path)?;
            let changed = !changes.is_empty();
            merge::apply(doc, changes, &path)?;
            Ok((report, changed))
        })
    }

    /// Set status by id or unique id prefix; returns the event.
    pub fn set_status(&self, id: &str, status: Status) -> Result<Event, StoreError> {
        let path = self.path.clone();
        self.modify(false, Some(id), &mut |doc, stored| {
            let i = resolve(stored, id)?;
            if stored[i].status == status {
                return Ok((stored[i].clone(), false));
            }
            let table = event_table_mut(doc, i, &path)?;
            set_value_keeping_decor(table, "status", Value::from(status.name()));
            stored[i].status = status;
            Ok((stored[i].clone(), true))
        })
    }

    /// Remove by id or unique id prefix; returns the removed event.
    pub fn remove(&self, id: &str) -> Result<Event, StoreError> {
        let path = self.path.clone();
        self.modify(false, Some(id), &mut |doc, stored| {
            let i = resolve(stored, id)?;
            let aot = events_mut(doc, &path)?;
            let prefix = aot
                .get(i)
                .and_then(|t| t.decor().prefix())
                .and_then(|p| p.as_str())
                .unwrap_or("")
                .to_owned();
            aot.remove(i);
            let keep = comments_to_keep(&prefix);
            if !keep.is_empty() {
                if let Some(next) = aot.get_mut(i) {
                    let next_prefix = next
                        .decor()
                        .prefix()
                        .and_then(|p| p.as_str())
                        .unwrap_or("")
                        .to_owned();
                    let merged = format!("{keep}{}", strip_leading_blank_lines(&next_prefix));
                    next.decor_mut().set_prefix(merged);
                } else {
                    let trailing = doc.trailing().as_str().unwrap_or("").to_owned();
                    doc.set_trailing(format!("{keep}{trailing}"));
                }
            }
            Ok((stored.remove(i), true))
        })
    }

    /// Puts back the store as it was before the last change, from the undo
    /// journal; returns how many earlier versions are left, or `None` when
    /// there is nothing to undo. The undone version must read as a store.
    pub fn undo(&self) -> Result<Option<usize>, StoreError> {
        let real = self.real_path()?;
        target::check_writable(&real)?;
        let _lock = self.lock(&real)?;
        let Some((entry, path)) = journal::newest(&real) else {
            return Ok(None);
        };
        let text = match entry {
            journal::Entry::Whole(text) => text,
            journal::Entry::Append { len, hash, text } => {
                self.before_append(&real, len, hash, &text)?
            }
        };
        // The version put back must read as a store; its cache is made
        // from the current one, or by a whole parse.
        let cache_path = cache_path_of(&real);
        let key = cache::Key::of(text.as_bytes());
        let fresh = pieces::refresh(&self.path, &text, &cache_path);
        let whole = match fresh {
            Some(_) => None,
            None => Some(merge::read_store_for_cache(&self.path, &text)?),
        };
        write_atomic(&real, &text)?;
        if let Some(fresh) = fresh {
            fresh.write(key, &cache_path, &real);
        } else if let Some((events, facts)) = whole {
            cache::write(&cache_path, key, &events, &facts, text.as_bytes(), &real);
        }
        fs::remove_file(&path).map_err(|e| io_error(&path, e))?;
        Ok(Some(journal::depth(&real)))
    }

    /// Changes one event (by id or unique prefix) with `edit`, keeping the
    /// table's comments and the keys `edit` left alone. Returns the event
    /// before and after. `edit` may be called more than once, each time on
    /// a fresh copy of the stored event (when the fast path gives way to
    /// the full one): only its last call counts.
    pub fn update(
        &self,
        id: &str,
        mut edit: impl FnMut(&mut Event),
    ) -> Result<(Event, Event), StoreError> {
        let path = self.path.clone();
        self.modify(false, Some(id), &mut |doc, stored| {
            let i = resolve(stored, id)?;
            let before = stored[i].clone();
            let mut after = before.clone();
            edit(&mut after);
            if after == before {
                return Ok(((before, after), false));
            }
            let fresh = event_to_table(&after).map_err(|m| StoreError::Invalid {
                path: path.clone(),
                line: 0,
                message: format!("cannot store event {}: {m}", after.id),
            })?;
            let table = event_table_mut(doc, i, &path)?;
            rewrite_values(table, &fresh);
            stored[i] = after.clone();
            Ok(((before, after), true))
        })
    }

    /// Locks, re-reads, lets `change` edit the document and the matching
    /// event list, checks the result reads back as that list, and writes it
    /// atomically when `change` reports a change. With `create` false a
    /// missing store is handed to `change` as empty and never created.
    ///
    /// A change to the one event `target` names (an id or unique prefix)
    /// is first tried on that event's text alone (see the `splice`
    /// module); when that cannot be done, `change` is called again on the
    /// whole document, so it must not depend on an earlier call.
    fn modify<T>(
        &self,
        create: bool,
        target: Option<&str>,
        change: &mut splice::ChangeFn<'_, T>,
    ) -> Result<T, StoreError> {
        let mut real = self.real_path()?;
        if !create && !real.exists() {
            let mut doc = DocumentMut::new();
            let mut events = Vec::new();
            return change(&mut doc, &mut events).map(|(out, _)| out);
        }
        let dir = parent_dir(&real);
        if create && !dir.exists() {
            fs::create_dir_all(&dir).map_err(|e| io_error(&dir, e))?;
            // The folder is real now: name the sidecars after its real path.
            real = self.real_path()?;
        }
        let _lock = self.lock(&real)?;
        remove_stale_temp_files(&real, self.wall_now());
        let cache_path = cache_path_of(&real);
        cache::remove_stale_temp_files(&cache_path, self.wall_now());
        let mut existing = self.read_bytes(&real)?;
        if let Some(bytes) = &mut existing {
            self.repair(&real, bytes)?;
        }
        if let (Some(query), Some(bytes)) = (target, &existing) {
            if let Some(out) = self.splice(&real, bytes, query, change)? {
                return Ok(out);
            }
        }
        let existed = existing.is_some();
        let text = match existing {
            Some(bytes) => self.utf8(bytes)?,
            None => String::new(),
        };
        let style = LineStyle::of(&text);
        let parsed = parse_document(&self.path, &text)?;
        let mut events = read_events(&self.path, &text, &parsed)?;
        let facts = splice::facts(&text, &parsed);
        let mut doc = parsed.into_mut();
        let (out, changed) = change(&mut doc, &mut events)?;
        if !changed {
            if !existed {
                return Ok(out);
            }
            // The store was parsed anyway: leave a current cache behind.
            let key = cache::Key::of(text.as_bytes());
            if !cache::is_current(&cache_path, key) {
                cache::write(&cache_path, key, &events, &facts, text.as_bytes(), &real);
            }
        } else {
            let new_text = style.apply(&doc.to_string());
            // The check reads the new text once, and gives the cache its
            // facts (the headers' offsets) too.
            let reread = parse_document(&self.path, &new_text).and_then(|d| {
                let events = read_events(&self.path, &new_text, &d)?;
                Ok((events, splice::facts(&new_text, &d)))
            });
            let new_facts = match reread {
                Ok((reread, facts)) if reread == events => facts,
                _ => {
                    return Err(StoreError::Invalid {
                        path: self.path.clone(),
                        line: 0,
                        message: "internal error: the edited store would not read back as \
                                  intended; nothing was written"
                            .into(),
                    })
                }
            };
            // Checked only now: a read-only store still answers commands
            // that change nothing (adding a document added before).
            target::check_writable(&real)?;
            // The text before the change goes to the undo journal first:
            // a change that cannot be undone is not made.
            save_and_replace(&real, &text, &new_text)?;
            // `events` is what the new text reads back as (checked above).
            cache::write(
                &cache_path,
                cache::Key::of(new_text.as_bytes()),
                &events,
                &new_facts,
                new_text.as_bytes(),
                &real,
            );
        }
        Ok(out)
    }
}

/// The lock file of a real store file: `<store>.lock`.
fn lock_path_of(real: &Path) -> PathBuf {
    let mut s = real.as_os_str().to_owned();
    s.push(".lock");
    PathBuf::from(s)
}

/// The read cache of a real store file: `.<name>.cache` beside it.
fn cache_path_of(real: &Path) -> PathBuf {
    parent_dir(real).join(format!(".{}.cache", file_name(real)))
}

/// The index of the event with this id, or the only one whose id starts
/// with it (ignoring ASCII case; "1a2b" also tries "ev-1a2b").
/// The sources of `incoming` that `known` lacks, each once, in order. A
/// date a document repeats a thousand times has a thousand sources: a set,
/// not a scan of the list per source.
fn unseen_sources(known: &[Source], incoming: &[Source]) -> Vec<Source> {
    fn key(s: &Source) -> (&str, usize, usize) {
        (&s.file, s.start, s.end)
    }
    let mut seen: std::collections::HashSet<(&str, usize, usize)> = known.iter().map(key).collect();
    incoming
        .iter()
        .filter(|s| seen.insert(key(s)))
        .cloned()
        .collect()
}

fn resolve(events: &[Event], query: &str) -> Result<usize, StoreError> {
    resolve_id(events.len(), |i| &events[i].id, query)
}

/// [`resolve`] among `count` ids, the `i`th given by `id(i)`.
fn resolve_id<'a>(
    count: usize,
    id: impl Fn(usize) -> &'a str,
    query: &str,
) -> Result<usize, StoreError> {
    let q = query.trim();
    let not_found = || StoreError::NotFound {
        id: query.to_owned(),
    };
    if q.is_empty() {
        return Err(not_found());
    }
    if let Some(i) = (0..count).find(|&i| id(i) == q) {
        return Ok(i);
    }
    let matching = |p: &str| -> Vec<usize> {
        (0..count)
            .filter(|&i| {
                id(i)
                    .get(..p.len())
                    .is_some_and(|h| h.eq_ignore_ascii_case(p))
            })
            .collect()
    };
    let mut found = matching(q);
    if found.is_empty() && !q.to_ascii_lowercase().starts_with("ev-") {
        found = matching(&format!("ev-{q}"));
    }
    match found.as_slice() {
        [] => Err(not_found()),
        [i] => Ok(*i),
        many => {
            let mut ids: Vec<String> = many.iter().map(|&i| id(i).to_owned()).collect();
            ids.sort();
            Err(StoreError::Ambiguous {
                prefix: query.to_owned(),
                ids,
            })
        }
    }
}
