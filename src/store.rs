//! The event store: a hand-editable `events.toml`.
//!
//! The store is a plain TOML file the user may edit at will. `timeline`
//! never regenerates it: every write *edits* the parsed document with
//! `toml_edit`, so comments, key order, blank lines and keys `timeline` does
//! not know about survive. A new event is appended as a new `[[event]]`
//! table, followed by its `[[event.source]]` tables.
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
//! Every write takes an exclusive lock on the sidecar file `<store>.lock`
//! (for example `events.toml.lock`; it is never deleted, and a left-over
//! one is harmless because the operating system drops the lock when its
//! process dies), re-reads the store under the lock, applies the change,
//! checks that the new text reads back as exactly the intended events,
//! writes it to a temporary file in the same folder, flushes it to disk,
//! renames it over the store and flushes the folder. Readers never lock:
//! they see either the old or the new file, never a half-written one.
//! Temporary files left by a killed writer are deleted by the next writer.
//!
//! Removing an event removes its table, its sources, and the comment lines
//! directly above its `[[event]]` header; comments separated from the
//! header by a blank line (such as a heading at the top of the file) stay.
//!
//! # Reading
//!
//! Parsing a large store is slow (about 1.5 s for 100,000 events), so
//! reads keep a derived cache beside it, `.<store>.cache` (for example
//! `.events.toml.cache`): the events of the last store content that parsed,
//! keyed by that content's length and a 64-bit hash of all its bytes. A
//! read always reads the store and uses the cache only when the key
//! matches; otherwise it parses the TOML and rewrites the cache. The TOML
//! file stays the only source of truth: deleting the cache is always safe,
//! and any problem with it only costs a full parse. See the `cache`
//! module below.

use std::collections::HashMap;
use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use toml_edit::{ArrayOfTables, Datetime, DocumentMut, ImDocument, Item, Table, TableLike, Value};

use crate::event::{event_id, when_value, Event, Kind, Source, Status, When};

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
}

/// What a [`Store::merge`] did: each merged event is counted once.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MergeReport {
    /// Events appended as new `[[event]]` tables.
    pub added: usize,
    /// Events already stored that gained sources.
    pub updated: usize,
    /// Events already stored with all their sources.
    pub unchanged: usize,
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
        }
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

    /// The sidecar lock file: `<store>.lock`.
    pub fn lock_path(&self) -> PathBuf {
        let mut s = self.path.as_os_str().to_owned();
        s.push(".lock");
        PathBuf::from(s)
    }

    /// The sidecar read cache: `.<store file name>.cache` in the store's
    /// folder (for example `.events.toml.cache`). See [`Store::load`].
    pub fn cache_path(&self) -> PathBuf {
        parent_dir(&self.path).join(format!(".{}.cache", file_name(&self.path)))
    }

    /// All events; a missing file is an empty store. Errors name file, line, column.
    ///
    /// The store's bytes are always read, and their key (length and a
    /// 64-bit hash of the full contents) is looked up in the read cache
    /// ([`Store::cache_path`]); when it matches, the events come from the
    /// cache instead of parsing the TOML. Otherwise the store is parsed as
    /// usual and, when it is valid, the cache is rewritten for these bytes.
    /// Any problem with the cache only means a full parse: never an error.
    pub fn load(&self) -> Result<Vec<Event>, StoreError> {
        let Some(bytes) = self.read_bytes()? else {
            return Ok(Vec::new());
        };
        let key = cache::Key::of(&bytes);
        let cache_path = self.cache_path();
        if let Some(events) = cache::read(&cache_path, key) {
            return Ok(events);
        }
        let text = self.utf8(bytes)?;
        let events = read_store(&self.path, &text)?;
        cache::write(&cache_path, key, &events, &self.path);
        Ok(events)
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
    pub fn merge(&self, events: &[Event]) -> Result<MergeReport, StoreError> {
        let path = self.path.clone();
        self.modify(true, |doc, stored| {
            let mut report = MergeReport::default();
            let mut index: HashMap<String, usize> = stored
                .iter()
                .enumerate()
                .map(|(i, e)| (e.id.clone(), i))
                .collect();
            for event in events {
                if let Some(&i) = index.get(&event.id) {
                    let mut missing: Vec<Source> = Vec::new();
                    for s in &event.sources {
                        let known = stored[i].sources.iter().chain(&missing);
                        if !known.into_iter().any(|k| same_source(k, s)) {
                            missing.push(s.clone());
                        }
                    }
                    if missing.is_empty() {
                        report.unchanged += 1;
                        continue;
                    }
                    let table = event_table_mut(doc, i, &path)?;
                    add_sources(table, &missing, &path)?;
                    stored[i].sources.extend(missing);
                    report.updated += 1;
                } else {
                    let mut event = event.clone();
                    let mut sources: Vec<Source> = Vec::new();
                    for s in event.sources.drain(..) {
                        if !sources.iter().any(|k| same_source(k, &s)) {
                            sources.push(s);
                        }
                    }
                    event.sources = sources;
                    let table = event_to_table(&event).map_err(|m| StoreError::Invalid {
                        path: path.clone(),
                        line: 0,
                        message: format!("cannot store event {}: {m}", event.id),
                    })?;
                    append_event(doc, table);
                    index.insert(event.id.clone(), stored.len());
                    stored.push(event);
                    report.added += 1;
                }
            }
            let changed = report.added + report.updated > 0;
            Ok((report, changed))
        })
    }

    /// Set status by id or unique id prefix; returns the event.
    pub fn set_status(&self, id: &str, status: Status) -> Result<Event, StoreError> {
        let path = self.path.clone();
        self.modify(false, |doc, stored| {
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
        self.modify(false, |doc, stored| {
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

    /// Reads the store's bytes; `None` when the file does not exist.
    fn read_bytes(&self) -> Result<Option<Vec<u8>>, StoreError> {
        match fs::read(&self.path) {
            Ok(b) => Ok(Some(b)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io_error(&self.path, e)),
        }
    }

    /// Reads the store's text; `None` when the file does not exist.
    fn read_text(&self) -> Result<Option<String>, StoreError> {
        match self.read_bytes()? {
            None => Ok(None),
            Some(bytes) => self.utf8(bytes).map(Some),
        }
    }

    /// The store's bytes as text, or a parse error at the first bad byte.
    fn utf8(&self, bytes: Vec<u8>) -> Result<String, StoreError> {
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

    /// Locks, re-reads, lets `change` edit the document and the matching
    /// event list, checks the result reads back as that list, and writes it
    /// atomically when `change` reports a change. With `create` false a
    /// missing store is handed to `change` as empty and never created.
    fn modify<T>(
        &self,
        create: bool,
        change: impl FnOnce(&mut DocumentMut, &mut Vec<Event>) -> Result<(T, bool), StoreError>,
    ) -> Result<T, StoreError> {
        let dir = parent_dir(&self.path);
        if !create && !self.path.exists() {
            let mut doc = DocumentMut::new();
            let mut events = Vec::new();
            return change(&mut doc, &mut events).map(|(out, _)| out);
        }
        if create && !dir.exists() {
            fs::create_dir_all(&dir).map_err(|e| io_error(&dir, e))?;
        }
        let _lock = self.lock()?;
        let target = self.write_target();
        remove_stale_temp_files(&target);
        let cache_path = self.cache_path();
        cache::remove_stale_temp_files(&cache_path);
        let existing = self.read_text()?;
        let existed = existing.is_some();
        let text = existing.unwrap_or_default();
        let (mut doc, mut events) = parse_store(&self.path, &text)?;
        let (out, changed) = change(&mut doc, &mut events)?;
        if !changed {
            if !existed {
                return Ok(out);
            }
            // The store was parsed anyway: leave a current cache behind.
            let key = cache::Key::of(text.as_bytes());
            if !cache::is_current(&cache_path, key) {
                cache::write(&cache_path, key, &events, &self.path);
            }
        } else {
            let new_text = doc.to_string();
            match read_store(&self.path, &new_text) {
                Ok(reread) if reread == events => {}
                _ => {
                    return Err(StoreError::Invalid {
                        path: self.path.clone(),
                        line: 0,
                        message: "internal error: the edited store would not read back as \
                                  intended; nothing was written"
                            .into(),
                    })
                }
            }
            write_atomic(&target, &new_text)?;
            // `events` is what the new text reads back as (checked above).
            cache::write(
                &cache_path,
                cache::Key::of(new_text.as_bytes()),
                &events,
                &self.path,
            );
        }
        Ok(out)
    }

    /// The file to replace: the store, or what it links to.
    fn write_target(&self) -> PathBuf {
        match fs::symlink_metadata(&self.path) {
            Ok(m) if m.file_type().is_symlink() => {
                fs::canonicalize(&self.path).unwrap_or_else(|_| self.path.clone())
            }
            _ => self.path.clone(),
        }
    }

    /// Takes the exclusive lock on the sidecar file; released when the
    /// returned file is dropped (or its process dies).
    fn lock(&self) -> Result<File, StoreError> {
        let path = self.lock_path();
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| io_error(&path, e))?;
        let started = Instant::now();
        let mut pause = Duration::from_millis(1);
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(file),
                Err(fs::TryLockError::WouldBlock) => {
                    let waited = started.elapsed();
                    if waited >= self.lock_timeout {
                        return Err(StoreError::Locked { path, waited });
                    }
                    std::thread::sleep(pause);
                    pause = (pause * 2).min(Duration::from_millis(20));
                }
                Err(fs::TryLockError::Error(e)) => return Err(io_error(&path, e)),
            }
        }
    }
}

fn io_error(path: &Path, source: io::Error) -> StoreError {
    StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "events.toml".into())
}

/// `.<name>.<pid>-<n>.tmp`, in the store's folder.
fn temp_path(target: &Path) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let name = format!(".{}.{}-{n}.tmp", file_name(target), std::process::id());
    parent_dir(target).join(name)
}

fn is_temp_name(store_name: &str, candidate: &str) -> bool {
    let Some(rest) = candidate
        .strip_prefix('.')
        .and_then(|c| c.strip_prefix(store_name))
        .and_then(|c| c.strip_prefix('.'))
        .and_then(|c| c.strip_suffix(".tmp"))
    else {
        return false;
    };
    match rest.split_once('-') {
        Some((pid, n)) => {
            !pid.is_empty()
                && !n.is_empty()
                && pid.bytes().all(|b| b.is_ascii_digit())
                && n.bytes().all(|b| b.is_ascii_digit())
        }
        None => false,
    }
}

/// Deletes temporary files a killed writer left. Only called under the
/// lock, when no other writer can have one in flight.
fn remove_stale_temp_files(target: &Path) {
    let name = file_name(target);
    let Ok(entries) = fs::read_dir(parent_dir(target)) else {
        return;
    };
    for entry in entries.flatten() {
        if is_temp_name(&name, &entry.file_name().to_string_lossy()) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Writes `text` to a temporary file beside `target`, flushes it, renames
/// it over `target` and flushes the folder: a reader sees the old file or
/// the new one, never half of one. `export -o` writes through it too.
pub fn write_atomic(target: &Path, text: &str) -> Result<(), StoreError> {
    let tmp = temp_path(target);
    let result = (|| {
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .map_err(|e| io_error(&tmp, e))?;
        if let Ok(meta) = fs::metadata(target) {
            // Keep the store's permissions (a private store stays private).
            let _ = file.set_permissions(meta.permissions());
        }
        file.write_all(text.as_bytes())
            .map_err(|e| io_error(&tmp, e))?;
        file.sync_all().map_err(|e| io_error(&tmp, e))?;
        drop(file);
        fs::rename(&tmp, target).map_err(|e| io_error(target, e))
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
        return result;
    }
    sync_dir(&parent_dir(target));
    Ok(())
}

/// Flushes a folder's entries (the rename) to disk. Best effort: some
/// file systems and platforms cannot sync a folder.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// The 1-based line of a byte offset. Only errors need lines, so the
/// reading below keeps byte offsets and counts newlines once, at the end.
fn line_at(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Parses a store's text as TOML; syntax errors name line and column.
fn parse_document<'t>(path: &Path, text: &'t str) -> Result<ImDocument<&'t str>, StoreError> {
    ImDocument::parse(text).map_err(|e| {
        let (line, column) = line_col(text, e.span().map_or(0, |s| s.start));
        let message = e
            .message()
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("; ");
        StoreError::Parse {
            path: path.to_path_buf(),
            line,
            column,
            message,
        }
    })
}

/// Parses and validates a store's text: the editable document and its
/// events, in document order (event `i` is table `i` of `event`).
fn parse_store(path: &Path, text: &str) -> Result<(DocumentMut, Vec<Event>), StoreError> {
    let doc = parse_document(path, text)?;
    let events = read_events(path, text, &doc)?;
    Ok((doc.into_mut(), events))
}

/// Parses and validates a store's text for reading only: no editable
/// document (turning the parsed one into a `DocumentMut` costs as much
/// again as reading the events out of it).
fn read_store(path: &Path, text: &str) -> Result<Vec<Event>, StoreError> {
    let doc = parse_document(path, text)?;
    read_events(path, text, &doc)
}

/// The events of a parsed store, validated, in document order.
fn read_events(path: &Path, text: &str, doc: &ImDocument<&str>) -> Result<Vec<Event>, StoreError> {
    let invalid = |(at, message): Bad| StoreError::Invalid {
        path: path.to_path_buf(),
        line: at.map_or(0, |offset| line_at(text, offset)),
        message,
    };
    let mut events = Vec::new();
    if let Some((key, item)) = doc.as_table().get_key_value("event") {
        let Some(aot) = item.as_array_of_tables() else {
            let at = key.span().map(|s| s.start);
            return Err(invalid((
                at,
                "`event` must be written as [[event]] tables".into(),
            )));
        };
        events.reserve(aot.len());
        // Where each id was first seen, as a byte offset.
        let mut seen: HashMap<String, Option<usize>> = HashMap::with_capacity(aot.len());
        for table in aot.iter() {
            let at = table.span().map(|s| s.start);
            let event = read_event(table, at).map_err(invalid)?;
            if let Some(first) = seen.get(&event.id) {
                let first = first.map_or(0, |offset| line_at(text, offset));
                return Err(invalid((
                    at,
                    format!("duplicate id {:?} (also used at line {first})", event.id),
                )));
            }
            seen.insert(event.id.clone(), at);
            events.push(event);
        }
    }
    Ok(events)
}

/// A validation failure: the byte offset of what is wrong (`None` when no
/// position is known, reported as line 0) and a message.
type Bad = (Option<usize>, String);

/// The keys `timeline` reads from an event or source table. A table's
/// entries are sorted into these slots in one pass, instead of a hash
/// lookup per key and per table (a measurable part of loading a large
/// store).
const KEYS: [&str; 19] = [
    "id", "title", "kind", "date", "at", "offset", "start", "end", "recurs", "value", "where",
    "status", "added", "notes", "remind", "source", "file", "sentence", "timex",
];

fn slot(key: &str) -> Option<usize> {
    KEYS.iter().position(|k| *k == key)
}

/// Typed access to a table's fields, with positions for errors.
struct Fields<'a> {
    table: &'a dyn TableLike,
    items: [Option<&'a Item>; KEYS.len()],
    /// The offset of the table itself, for errors about missing keys.
    at: Option<usize>,
}

impl<'a> Fields<'a> {
    fn new(table: &'a dyn TableLike, at: Option<usize>) -> Fields<'a> {
        let mut items = [None; KEYS.len()];
        for (key, item) in table.iter() {
            if let Some(i) = slot(key) {
                items[i] = Some(item);
            }
        }
        Fields { table, items, at }
    }

    /// The item under a key, as `TableLike::get` would find it.
    fn get(&self, key: &str) -> Option<&'a Item> {
        slot(key).and_then(|i| self.items[i])
    }

    fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    fn at_of(&self, key: &str) -> Option<usize> {
        match self.table.get_key_value(key) {
            Some((k, item)) => item
                .span()
                .or_else(|| k.span())
                .map(|s| s.start)
                .or(self.at),
            None => self.at,
        }
    }

    fn bad(&self, key: &str, message: String) -> Bad {
        (self.at_of(key), message)
    }

    fn value(&self, key: &str) -> Result<Option<&'a Value>, Bad> {
        match self.get(key) {
            None => Ok(None),
            Some(Item::Value(v)) => Ok(Some(v)),
            Some(_) => Err(self.bad(key, format!("`{key}` must be a value, not a table"))),
        }
    }

    fn string(&self, key: &str) -> Result<Option<&'a str>, Bad> {
        match self.value(key)? {
            None => Ok(None),
            Some(v) => match v.as_str() {
                Some(s) => Ok(Some(s)),
                None => Err(self.bad(key, format!("`{key}` must be a string"))),
            },
        }
    }

    fn required_string(&self, key: &str) -> Result<&'a str, Bad> {
        self.string(key)?
            .ok_or_else(|| (self.at, format!("missing `{key}`")))
    }

    fn offset(&self, key: &str) -> Result<Option<usize>, Bad> {
        match self.value(key)? {
            None => Ok(None),
            Some(v) => match v.as_integer().and_then(|i| usize::try_from(i).ok()) {
                Some(n) => Ok(Some(n)),
                None => Err(self.bad(key, format!("`{key}` must be a whole number, 0 or more"))),
            },
        }
    }

    fn datetime(&self, key: &str) -> Result<Option<&'a Datetime>, Bad> {
        match self.value(key)? {
            None => Ok(None),
            Some(v) => match v.as_datetime() {
                Some(d) => Ok(Some(d)),
                None => Err(self.bad(
                    key,
                    format!("`{key}` must be a TOML date or date-time, unquoted, like 2014-11-24"),
                )),
            },
        }
    }

    /// A local date, no time.
    fn date(&self, key: &str) -> Result<Option<NaiveDate>, Bad> {
        let Some(dt) = self.datetime(key)? else {
            return Ok(None);
        };
        match (dt.date, dt.time, dt.offset) {
            (Some(d), None, None) => from_toml_date(d)
                .map(Some)
                .ok_or_else(|| self.bad(key, format!("`{key}` is not a real date: {dt}"))),
            _ => Err(self.bad(
                key,
                format!("`{key}` must be a date like 2014-11-24, without a time"),
            )),
        }
    }
}

fn from_toml_date(d: toml_edit::Date) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
}

fn from_toml_time(t: toml_edit::Time) -> Option<NaiveTime> {
    // TOML allows a leap second as :60; chrono writes it as :59 plus a second of nanos.
    let (second, nano) = if t.second == 60 {
        (59, t.nanosecond.checked_add(1_000_000_000)?)
    } else {
        (u32::from(t.second), t.nanosecond)
    };
    NaiveTime::from_hms_nano_opt(u32::from(t.hour), u32::from(t.minute), second, nano)
}

fn to_toml_date(d: NaiveDate) -> Result<toml_edit::Date, String> {
    let year = u16::try_from(d.year())
        .ok()
        .filter(|y| *y <= 9999)
        .ok_or_else(|| format!("year {} does not fit a TOML date (0000-9999)", d.year()))?;
    Ok(toml_edit::Date {
        year,
        month: d.month() as u8,
        day: d.day() as u8,
    })
}

fn to_toml_time(t: NaiveTime) -> toml_edit::Time {
    let (second, nanosecond) = if t.nanosecond() >= 1_000_000_000 {
        (60, t.nanosecond() - 1_000_000_000)
    } else {
        (t.second() as u8, t.nanosecond())
    };
    toml_edit::Time {
        hour: t.hour() as u8,
        minute: t.minute() as u8,
        second,
        nanosecond,
    }
}

fn date_value(d: NaiveDate) -> Result<Value, String> {
    Ok(Value::from(Datetime {
        date: Some(to_toml_date(d)?),
        time: None,
        offset: None,
    }))
}

fn datetime_value(dt: NaiveDateTime) -> Result<Value, String> {
    Ok(Value::from(Datetime {
        date: Some(to_toml_date(dt.date())?),
        time: Some(to_toml_time(dt.time())),
        offset: None,
    }))
}

/// "+05:30", "-05:00"; "+00:00" for UTC.
fn format_offset(minutes: i16) -> String {
    let m = i32::from(minutes);
    let sign = if m < 0 { '-' } else { '+' };
    format!("{sign}{:02}:{:02}", m.abs() / 60, m.abs() % 60)
}

/// Reads "±HH:MM" or "Z" as minutes east of UTC.
fn parse_offset(s: &str) -> Option<i16> {
    let s = s.trim();
    if s.eq_ignore_ascii_case("z") {
        return Some(0);
    }
    let (sign, rest) = match s.as_bytes().first()? {
        b'+' => (1, &s[1..]),
        b'-' => (-1, &s[1..]),
        _ => return None,
    };
    let (h, m) = rest.split_once(':')?;
    let digits = |x: &str| !x.is_empty() && x.len() <= 3 && x.bytes().all(|b| b.is_ascii_digit());
    if !digits(h) || m.len() != 2 || !digits(m) {
        return None;
    }
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    if m >= 60 {
        return None;
    }
    i16::try_from(sign * (h * 60 + m)).ok()
}

fn toml_offset_minutes(o: toml_edit::Offset) -> i16 {
    match o {
        toml_edit::Offset::Z => 0,
        toml_edit::Offset::Custom { minutes } => minutes,
    }
}

fn read_event(table: &Table, at: Option<usize>) -> Result<Event, Bad> {
    let f = Fields::new(table, at);
    let title = f.required_string("title")?.to_owned();

    let kind_text = f.required_string("kind")?;
    let kind = Kind::parse(kind_text)
        .or_else(|| Kind::parse(&kind_text.trim().to_lowercase()))
        .ok_or_else(|| {
            let names: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
            f.bad(
                "kind",
                format!(
                    "unknown kind {kind_text:?} (expected one of: {})",
                    names.join(", ")
                ),
            )
        })?;

    let status = match f.string("status")? {
        None | Some("open") => Status::Open,
        Some("done") => Status::Done,
        Some(s) => match s.trim().to_lowercase().as_str() {
            "open" => Status::Open,
            "done" => Status::Done,
            _ => {
                return Err(f.bad(
                    "status",
                    format!("unknown status {s:?} (expected open or done)"),
                ))
            }
        },
    };

    let when = read_when(&f)?;
    let value = match f.string("value")? {
        Some(v) => v.to_owned(),
        None => when_value(&when),
    };
    let id = match f.string("id")? {
        Some(id) => id.to_owned(),
        None => event_id(&title, &value),
    };

    let added = match f.datetime("added")? {
        None => DateTime::UNIX_EPOCH.naive_utc(),
        Some(dt) => {
            let date = dt.date.and_then(from_toml_date);
            let time = match dt.time {
                None => Some(NaiveTime::MIN),
                Some(t) => from_toml_time(t),
            };
            match (date, time) {
                (Some(d), Some(t)) => d.and_time(t),
                _ => {
                    return Err(f.bad(
                        "added",
                        format!("`added` must be a date-time like 2014-10-14T09:30:00, not {dt}"),
                    ))
                }
            }
        }
    };

    let sources = read_sources(&f)?;

    Ok(Event {
        id,
        title,
        kind,
        when,
        value,
        place: f.string("where")?.map(str::to_owned),
        status,
        added,
        notes: f.string("notes")?.map(str::to_owned),
        remind: f.string("remind")?.map(str::to_owned),
        sources,
    })
}

fn read_when(f: &Fields<'_>) -> Result<When, Bad> {
    const TIME_KEYS: [&str; 5] = ["date", "at", "start", "end", "recurs"];
    let [date, at, start, end, recurs] = TIME_KEYS.map(|k| f.has(k));
    let forms = [date, at, start || end, recurs]
        .into_iter()
        .filter(|&p| p)
        .count();
    if forms == 0 {
        return Err((
            f.at,
            "missing a time: one of `date`, `at`, `start` and `end`, or `recurs`".into(),
        ));
    }
    if forms > 1 {
        return Err((
            f.at,
            format!(
                "has {} but an event takes only one time: `date`, `at`, `start` and `end`, or `recurs`",
                TIME_KEYS
                    .iter()
                    .filter(|k| f.has(k))
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    if f.has("offset") && !at {
        return Err(f.bad("offset", "`offset` only goes with `at`".into()));
    }

    if let Some(d) = f.date("date")? {
        return Ok(When::Date(d));
    }
    if let Some(dt) = f.datetime("at")? {
        let date = dt.date.and_then(from_toml_date);
        let time = dt.time.and_then(from_toml_time);
        let (Some(date), Some(time)) = (date, time) else {
            return Err(f.bad(
                "at",
                format!("`at` must be a date-time like 2014-10-15T15:00:00, not {dt}"),
            ));
        };
        let inline = dt.offset.map(toml_offset_minutes);
        let separate = match f.string("offset")? {
            None => None,
            Some(s) => Some(parse_offset(s).ok_or_else(|| {
                f.bad(
                    "offset",
                    format!("`offset` must look like \"-05:00\" or \"+01:00\", not {s:?}"),
                )
            })?),
        };
        let offset = match (inline, separate) {
            (Some(a), Some(b)) if a != b => {
                return Err(f.bad(
                    "offset",
                    "`offset` disagrees with the offset written in `at`".into(),
                ))
            }
            (a, b) => a.or(b),
        };
        return Ok(When::DateTime {
            at: date.and_time(time),
            offset,
        });
    }
    if let Some(r) = f.string("recurs")? {
        return Ok(When::Recurring(r.to_owned()));
    }
    match (f.date("start")?, f.date("end")?) {
        (Some(start), Some(end)) => Ok(When::Range { start, end }),
        (Some(_), None) => Err((f.at, "`start` needs an `end` (exclusive)".into())),
        _ => Err((f.at, "`end` needs a `start`".into())),
    }
}

fn read_sources(f: &Fields<'_>) -> Result<Vec<Source>, Bad> {
    let mut sources = Vec::new();
    match f.get("source") {
        None => {}
        Some(Item::ArrayOfTables(aot)) => {
            sources.reserve(aot.len());
            for t in aot.iter() {
                let at = t.span().map(|s| s.start).or(f.at);
                sources.push(read_source(t, at)?);
            }
        }
        Some(Item::Value(Value::Array(array))) => {
            // Every element is checked to be a table before any is read.
            let mut tables = Vec::with_capacity(array.len());
            for v in array.iter() {
                let at = v.span().map(|s| s.start).or(f.at);
                match v.as_inline_table() {
                    Some(t) => tables.push((t, at)),
                    None => return Err((at, "each `source` must be a table".into())),
                }
            }
            for (t, at) in tables {
                sources.push(read_source(t, at)?);
            }
        }
        Some(_) => return Err(f.bad("source", "`source` must be [[event.source]] tables".into())),
    }
    Ok(sources)
}

fn read_source(table: &dyn TableLike, at: Option<usize>) -> Result<Source, Bad> {
    let s = Fields::new(table, at);
    let start = s
        .offset("start")?
        .ok_or_else(|| (at, "source is missing `start`".to_string()))?;
    let end = s
        .offset("end")?
        .ok_or_else(|| (at, "source is missing `end`".to_string()))?;
    Ok(Source {
        file: s.required_string("file")?.to_owned(),
        sentence: s.string("sentence")?.unwrap_or("").to_owned(),
        start,
        end,
        timex: s.string("timex")?.unwrap_or("").to_owned(),
    })
}

fn same_source(a: &Source, b: &Source) -> bool {
    a.file == b.file && a.start == b.start && a.end == b.end
}

fn source_table(s: &Source) -> Table {
    let mut t = Table::new();
    t.insert("file", toml_edit::value(s.file.as_str()));
    t.insert("sentence", toml_edit::value(s.sentence.as_str()));
    t.insert("start", toml_edit::value(saturating_i64(s.start)));
    t.insert("end", toml_edit::value(saturating_i64(s.end)));
    t.insert("timex", toml_edit::value(s.timex.as_str()));
    t
}

fn saturating_i64(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// The `[[event]]` table for an event, keys in schema order.
fn event_to_table(e: &Event) -> Result<Table, String> {
    let mut t = Table::new();
    t.insert("id", toml_edit::value(e.id.as_str()));
    t.insert("title", toml_edit::value(e.title.as_str()));
    t.insert("kind", toml_edit::value(e.kind.name()));
    match &e.when {
        When::Date(d) => {
            t.insert("date", Item::Value(date_value(*d)?));
        }
        When::DateTime { at, offset } => {
            t.insert("at", Item::Value(datetime_value(*at)?));
            if let Some(o) = offset {
                t.insert("offset", toml_edit::value(format_offset(*o)));
            }
        }
        When::Range { start, end } => {
            t.insert("start", Item::Value(date_value(*start)?));
            t.insert("end", Item::Value(date_value(*end)?));
        }
        When::Recurring(v) => {
            t.insert("recurs", toml_edit::value(v.as_str()));
        }
    }
    t.insert("value", toml_edit::value(e.value.as_str()));
    if let Some(place) = &e.place {
        t.insert("where", toml_edit::value(place.as_str()));
    }
    t.insert("status", toml_edit::value(e.status.name()));
    t.insert("added", Item::Value(datetime_value(e.added)?));
    if let Some(notes) = &e.notes {
        t.insert("notes", toml_edit::value(notes.as_str()));
    }
    if let Some(remind) = &e.remind {
        t.insert("remind", toml_edit::value(remind.as_str()));
    }
    if !e.sources.is_empty() {
        let mut aot = ArrayOfTables::new();
        for s in &e.sources {
            aot.push(source_table(s));
        }
        t.insert("source", Item::ArrayOfTables(aot));
    }
    Ok(t)
}

fn internal(path: &Path, what: &str) -> StoreError {
    StoreError::Invalid {
        path: path.to_path_buf(),
        line: 0,
        message: format!("internal error: {what}; nothing was written"),
    }
}

fn events_mut<'d>(
    doc: &'d mut DocumentMut,
    path: &Path,
) -> Result<&'d mut ArrayOfTables, StoreError> {
    doc.get_mut("event")
        .and_then(Item::as_array_of_tables_mut)
        .ok_or_else(|| internal(path, "no [[event]] tables"))
}

fn event_table_mut<'d>(
    doc: &'d mut DocumentMut,
    i: usize,
    path: &Path,
) -> Result<&'d mut Table, StoreError> {
    events_mut(doc, path)?
        .get_mut(i)
        .ok_or_else(|| internal(path, "event table out of range"))
}

/// Appends a new `[[event]]` table. The first event of a store that holds
/// nothing else gets the file's comments (or the default header) above it.
fn append_event(doc: &mut DocumentMut, mut table: Table) {
    let only_events = doc.as_table().iter().all(|(k, _)| k == "event");
    let no_events = doc
        .get("event")
        .and_then(Item::as_array_of_tables)
        .is_none_or(ArrayOfTables::is_empty);
    if only_events && no_events {
        let trailing = doc.trailing().as_str().unwrap_or("").to_owned();
        let prefix = if trailing.trim().is_empty() {
            HEADER.to_owned()
        } else {
            with_blank_line_after(trailing.trim_start_matches(['\n', '\r']))
        };
        table.decor_mut().set_prefix(prefix);
        doc.set_trailing("");
    }
    let item = doc
        .as_table_mut()
        .entry("event")
        .or_insert_with(|| Item::ArrayOfTables(ArrayOfTables::new()));
    if let Some(aot) = item.as_array_of_tables_mut() {
        aot.push(table);
    }
}

fn add_sources(table: &mut Table, sources: &[Source], path: &Path) -> Result<(), StoreError> {
    match table.get_mut("source") {
        None => {
            let mut aot = ArrayOfTables::new();
            for s in sources {
                aot.push(source_table(s));
            }
            table.insert("source", Item::ArrayOfTables(aot));
        }
        Some(Item::ArrayOfTables(aot)) => {
            for s in sources {
                aot.push(source_table(s));
            }
        }
        Some(Item::Value(Value::Array(array))) => {
            for s in sources {
                array.push(source_table(s).into_inline_table());
            }
        }
        Some(_) => return Err(internal(path, "`source` is neither tables nor an array")),
    }
    Ok(())
}

/// Replaces a value, keeping the whitespace and comment around it.
fn set_value_keeping_decor(table: &mut Table, key: &str, mut new: Value) {
    match table.get_mut(key).and_then(Item::as_value_mut) {
        Some(old) => {
            *new.decor_mut() = old.decor().clone();
            *old = new;
        }
        None => {
            table.insert(key, Item::Value(new));
        }
    }
}

/// The part of a removed table's prefix that belongs to what comes before
/// it: everything up to its last blank line, if that holds a comment.
fn comments_to_keep(prefix: &str) -> String {
    let lines: Vec<&str> = prefix.split_inclusive('\n').collect();
    let Some(last_blank) = lines.iter().rposition(|l| l.trim().is_empty()) else {
        return String::new();
    };
    let keep: String = lines[..=last_blank].concat();
    if keep.contains('#') {
        keep.trim_start_matches(['\n', '\r']).to_owned()
    } else {
        String::new()
    }
}

fn strip_leading_blank_lines(s: &str) -> &str {
    let mut rest = s;
    while let Some(nl) = rest.find('\n') {
        if rest[..nl].trim().is_empty() {
            rest = &rest[nl + 1..];
        } else {
            break;
        }
    }
    rest
}

fn with_blank_line_after(s: &str) -> String {
    let mut out = s.to_owned();
    if !out.ends_with('\n') {
        out.push('\n');
    }
    let last_line = out[..out.len() - 1].rsplit('\n').next().unwrap_or("");
    if !last_line.trim().is_empty() {
        out.push('\n');
    }
    out
}

/// The index of the event with this id, or the only one whose id starts
/// with it (ignoring ASCII case; "1a2b" also tries "ev-1a2b").
fn resolve(events: &[Event], query: &str) -> Result<usize, StoreError> {
    let q = query.trim();
    let not_found = || StoreError::NotFound {
        id: query.to_owned(),
    };
    if q.is_empty() {
        return Err(not_found());
    }
    if let Some(i) = events.iter().position(|e| e.id == q) {
        return Ok(i);
    }
    let matching = |p: &str| -> Vec<usize> {
        events
            .iter()
            .enumerate()
            .filter(|(_, e)| {
                e.id.get(..p.len())
                    .is_some_and(|h| h.eq_ignore_ascii_case(p))
            })
            .map(|(i, _)| i)
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
            let mut ids: Vec<String> = many.iter().map(|&i| events[i].id.clone()).collect();
            ids.sort();
            Err(StoreError::Ambiguous {
                prefix: query.to_owned(),
                ids,
            })
        }
    }
}

/// The derived read cache beside a store: `.<store file name>.cache`.
///
/// The TOML file stays the single source of truth. The cache only holds
/// what a full parse of one exact store content gave, in a compact binary
/// form that loads in a fraction of the time, under a key computed from
/// that content: its length and a 64-bit hash of all of its bytes
/// (`hash`). A load reads the store's bytes anyway, computes their key
/// and uses the cache only when the key matches. Any other case — no
/// cache, an unreadable, truncated or corrupt one, another format or
/// another build of the reading code, a key mismatch — is a miss, and a
/// miss is only a full parse, never an error. So a store edited by hand,
/// even without changing its size or modification time, is parsed again;
/// a store that does not parse was never cached (the cache is written only
/// after a successful parse, from the events of those exact bytes), so its
/// error is reported as always. A stale cache would need two different
/// contents of the same length with the same 64-bit hash: edits that stay
/// within one aligned 8-byte word (any one-byte change) provably change
/// the hash, and for other accidental edits the odds are about 1 in 2^64.
/// The hash is not cryptographic; it guards against accidents, not against
/// someone crafting a collision — who could as well edit the store.
///
/// Layout, little-endian: the header
///
/// | bytes | field |
/// |-------|-------|
/// | 8     | magic `TLCACHE\0` |
/// | 4     | `FORMAT` |
/// | 4     | zero |
/// | 8     | `CODE`: the build of the reading code |
/// | 8     | the store's length |
/// | 8     | the store's hash |
/// | 8     | the payload's length |
/// | 8     | the payload's hash |
///
/// then the payload: the number of events (u64) and each event, field by
/// field (strings as a u32 length and UTF-8 bytes; see `put_event`).
///
/// The cache is written to a temporary file beside it (for example
/// `.events.toml.cache.<pid>-<n>.tmp`) and renamed over the old one, without flushing to disk: it is derived
/// data, and one torn by a crash fails its payload hash. Writing is best
/// effort: a read-only folder, a full disk or a directory in the cache's
/// place just leave no cache. Loads write it after a miss, writers after
/// each change.
mod cache {
    use std::fs::{self, OpenOptions};
    use std::io::{Read, Write};
    use std::path::Path;
    use std::sync::atomic::{AtomicU64, Ordering};

    use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

    use crate::event::{Event, Kind, Source, Status, When};

    const MAGIC: [u8; 8] = *b"TLCACHE\0";

    /// The layout version: bump it when the layout changes.
    const FORMAT: u32 = 1;

    /// The build of the code that reads stores: a hash of the crate
    /// version and of the source of this module and of `event.rs`, so a
    /// cache written before any change to how stores are read (defaults,
    /// validation, the event type) is never used by the changed code.
    const CODE: u64 = {
        let h = fnv1a(0xcbf2_9ce4_8422_2325, env!("CARGO_PKG_VERSION").as_bytes());
        let h = fnv1a(h, include_str!("store.rs").as_bytes());
        fnv1a(h, include_str!("event.rs").as_bytes())
    };

    pub(super) const HEADER_LEN: usize = 56;

    /// A store content's key: its length and hash.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub(super) struct Key {
        len: u64,
        hash: u64,
    }

    impl Key {
        pub(super) fn of(bytes: &[u8]) -> Key {
            Key {
                len: bytes.len() as u64,
                hash: hash(bytes),
            }
        }
    }

    const fn fnv1a(mut h: u64, bytes: &[u8]) -> u64 {
        let mut i = 0;
        while i < bytes.len() {
            h = (h ^ bytes[i] as u64).wrapping_mul(0x0100_0000_01b3);
            i += 1;
        }
        h
    }

    /// An odd constant (2^64 / golden ratio), so multiplying by it is a
    /// bijection on u64.
    const K: u64 = 0x9e37_79b9_7f4a_7c15;

    /// One hashing step. For a fixed `h` it is a bijection of `w`, and for
    /// a fixed `w` a bijection of `h` (xor, multiplication by an odd
    /// number and rotation all are).
    #[inline(always)]
    fn step(h: u64, w: u64) -> u64 {
        (h ^ w).wrapping_mul(K).rotate_left(29)
    }

    /// The murmur3 finalizer: a bijection that mixes every bit into every
    /// other.
    fn fmix(mut h: u64) -> u64 {
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }

    #[inline(always)]
    fn word(b: &[u8]) -> u64 {
        let mut a = [0u8; 8];
        a[..b.len()].copy_from_slice(b);
        u64::from_le_bytes(a)
    }

    /// A 64-bit hash of all of `bytes`, at several bytes per cycle: four
    /// interleaved lanes of [`step`] over 8-byte words (the last partial
    /// word zero-padded), folded with [`fmix`] after the length. Each step
    /// and each fold is a bijection of the word or lane that changes, so
    /// two inputs of the same length differing in a single word always
    /// hash differently.
    pub(super) fn hash(bytes: &[u8]) -> u64 {
        let mut lanes: [u64; 4] = [
            0x243f_6a88_85a3_08d3,
            0x1319_8a2e_0370_7344,
            0xa409_3822_299f_31d0,
            0x082e_fa98_ec4e_6c89,
        ];
        let mut blocks = bytes.chunks_exact(32);
        for block in &mut blocks {
            for (lane, w) in lanes.iter_mut().zip(block.chunks_exact(8)) {
                *lane = step(*lane, word(w));
            }
        }
        for (lane, w) in lanes.iter_mut().zip(blocks.remainder().chunks(8)) {
            *lane = step(*lane, word(w));
        }
        let mut h = fmix(bytes.len() as u64 ^ K);
        for lane in lanes {
            h = fmix(h ^ lane);
        }
        h
    }

    /// The cache file's bytes, header and payload; `None` when an event
    /// cannot be written (a string of 4 GiB or more).
    pub(super) fn contents(key: Key, events: &[Event]) -> Option<Vec<u8>> {
        let mut w = Writer(Vec::with_capacity(HEADER_LEN + events.len() * 256));
        w.0.resize(HEADER_LEN, 0);
        w.u64(events.len() as u64);
        for e in events {
            put_event(&mut w, e)?;
        }
        let mut bytes = w.0;
        let (header, payload) = bytes.split_at_mut(HEADER_LEN);
        let mut h = Writer(Vec::with_capacity(HEADER_LEN));
        h.0.extend_from_slice(&MAGIC);
        h.u32(FORMAT);
        h.u32(0);
        for n in [CODE, key.len, key.hash, payload.len() as u64, hash(payload)] {
            h.u64(n);
        }
        header.copy_from_slice(&h.0);
        Some(bytes)
    }

    /// Whether a header is this build's, for this key; the payload's
    /// length and hash when it is.
    fn check_header(header: &[u8], key: Key) -> Option<(u64, u64)> {
        let mut r = Reader { rest: header };
        let current = r.take(8)? == MAGIC
            && r.u32()? == FORMAT
            && r.u32()? == 0
            && r.u64()? == CODE
            && r.u64()? == key.len
            && r.u64()? == key.hash;
        current.then_some((r.u64()?, r.u64()?))
    }

    /// The cached events for this key, or `None` on any problem.
    pub(super) fn read(path: &Path, key: Key) -> Option<Vec<Event>> {
        let bytes = fs::read(path).ok()?;
        let (header, payload) = bytes.split_at_checked(HEADER_LEN)?;
        let (len, payload_hash) = check_header(header, key)?;
        if payload.len() as u64 != len || hash(payload) != payload_hash {
            return None;
        }
        decode(payload)
    }

    /// Whether the cache's header is current for this key (its payload is
    /// checked only when read).
    pub(super) fn is_current(path: &Path, key: Key) -> bool {
        let mut header = [0u8; HEADER_LEN];
        fs::File::open(path)
            .and_then(|mut f| f.read_exact(&mut header))
            .is_ok()
            && check_header(&header, key).is_some()
    }

    /// Replaces the cache with `events` under `key`; gives up silently on
    /// any failure. The cache gets the store's permissions.
    pub(super) fn write(path: &Path, key: Key, events: &[Event], store: &Path) {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let Some(bytes) = contents(key, events) else {
            return;
        };
        let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
            return;
        };
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(
            "{}.{}-{n}.tmp",
            name.to_string_lossy(),
            std::process::id()
        ));
        let written = (|| {
            let mut file = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
            if let Ok(meta) = fs::metadata(store) {
                file.set_permissions(meta.permissions())?;
            }
            file.write_all(&bytes)?;
            drop(file);
            fs::rename(&tmp, path)
        })();
        if written.is_err() {
            let _ = fs::remove_file(&tmp);
        }
    }

    /// Deletes temporary cache files a killed process left. Called by
    /// writers under the store's lock; a reader's cache write in flight
    /// may lose its file too, which only means no cache this time.
    pub(super) fn remove_stale_temp_files(path: &Path) {
        let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
            return;
        };
        let name = name.to_string_lossy();
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            if is_temp_name(&name, &entry.file_name().to_string_lossy()) {
                let _ = fs::remove_file(entry.path());
            }
        }
    }

    /// `<cache name>.<pid>-<n>.tmp`.
    pub(super) fn is_temp_name(cache_name: &str, candidate: &str) -> bool {
        let Some(rest) = candidate
            .strip_prefix(cache_name)
            .and_then(|c| c.strip_prefix('.'))
            .and_then(|c| c.strip_suffix(".tmp"))
        else {
            return false;
        };
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        rest.split_once('-')
            .is_some_and(|(pid, n)| digits(pid) && digits(n))
    }

    fn put_event(w: &mut Writer, e: &Event) -> Option<()> {
        w.str(&e.id)?;
        w.str(&e.title)?;
        w.u8(Kind::ALL.iter().position(|k| *k == e.kind)? as u8);
        match &e.when {
            When::Date(d) => {
                w.u8(0);
                w.date(*d);
            }
            When::DateTime { at, offset } => {
                w.u8(1);
                w.datetime(*at);
                match offset {
                    None => w.u8(0),
                    Some(o) => {
                        w.u8(1);
                        w.0.extend_from_slice(&o.to_le_bytes());
                    }
                }
            }
            When::Range { start, end } => {
                w.u8(2);
                w.date(*start);
                w.date(*end);
            }
            When::Recurring(v) => {
                w.u8(3);
                w.str(v)?;
            }
        }
        w.str(&e.value)?;
        w.opt_str(e.place.as_deref())?;
        w.u8(match e.status {
            Status::Open => 0,
            Status::Done => 1,
        });
        w.datetime(e.added);
        w.opt_str(e.notes.as_deref())?;
        w.opt_str(e.remind.as_deref())?;
        w.u64(e.sources.len() as u64);
        for s in &e.sources {
            w.str(&s.file)?;
            w.str(&s.sentence)?;
            w.u64(s.start as u64);
            w.u64(s.end as u64);
            w.str(&s.timex)?;
        }
        Some(())
    }

    /// The events of a payload; `None` unless it is exactly a valid one.
    pub(super) fn decode(payload: &[u8]) -> Option<Vec<Event>> {
        let mut r = Reader { rest: payload };
        let count = r.len()?;
        // Each event takes more than 32 bytes: never trust a count beyond that.
        let mut events = Vec::with_capacity(count.min(payload.len() / 32));
        for _ in 0..count {
            events.push(get_event(&mut r)?);
        }
        r.rest.is_empty().then_some(events)
    }

    fn get_event(r: &mut Reader<'_>) -> Option<Event> {
        let id = r.string()?;
        let title = r.string()?;
        let kind = *Kind::ALL.get(usize::from(r.u8()?))?;
        let when = match r.u8()? {
            0 => When::Date(r.date()?),
            1 => {
                let at = r.datetime()?;
                let offset = match r.u8()? {
                    0 => None,
                    1 => Some(i16::from_le_bytes(r.array()?)),
                    _ => return None,
                };
                When::DateTime { at, offset }
            }
            2 => When::Range {
                start: r.date()?,
                end: r.date()?,
            },
            3 => When::Recurring(r.string()?),
            _ => return None,
        };
        let value = r.string()?;
        let place = r.opt_string()?;
        let status = match r.u8()? {
            0 => Status::Open,
            1 => Status::Done,
            _ => return None,
        };
        let added = r.datetime()?;
        let notes = r.opt_string()?;
        let remind = r.opt_string()?;
        let n = r.len()?;
        let mut sources = Vec::with_capacity(n.min(r.rest.len() / 32));
        for _ in 0..n {
            sources.push(Source {
                file: r.string()?,
                sentence: r.string()?,
                start: r.len()?,
                end: r.len()?,
                timex: r.string()?,
            });
        }
        Some(Event {
            id,
            title,
            kind,
            when,
            value,
            place,
            status,
            added,
            notes,
            remind,
            sources,
        })
    }

    struct Writer(Vec<u8>);

    impl Writer {
        fn u8(&mut self, n: u8) {
            self.0.push(n);
        }

        fn u32(&mut self, n: u32) {
            self.0.extend_from_slice(&n.to_le_bytes());
        }

        fn u64(&mut self, n: u64) {
            self.0.extend_from_slice(&n.to_le_bytes());
        }

        fn str(&mut self, s: &str) -> Option<()> {
            self.u32(u32::try_from(s.len()).ok()?);
            self.0.extend_from_slice(s.as_bytes());
            Some(())
        }

        fn opt_str(&mut self, s: Option<&str>) -> Option<()> {
            match s {
                None => {
                    self.u8(0);
                    Some(())
                }
                Some(s) => {
                    self.u8(1);
                    self.str(s)
                }
            }
        }

        fn date(&mut self, d: NaiveDate) {
            self.0
                .extend_from_slice(&d.num_days_from_ce().to_le_bytes());
        }

        /// Date, seconds from midnight and nanoseconds (a leap second's
        /// are 1e9 or more, as chrono keeps them).
        fn datetime(&mut self, dt: NaiveDateTime) {
            self.date(dt.date());
            self.u32(dt.time().num_seconds_from_midnight());
            self.u32(dt.time().nanosecond());
        }
    }

    struct Reader<'a> {
        rest: &'a [u8],
    }

    impl<'a> Reader<'a> {
        fn take(&mut self, n: usize) -> Option<&'a [u8]> {
            let (head, rest) = self.rest.split_at_checked(n)?;
            self.rest = rest;
            Some(head)
        }

        fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
            self.take(N)?.try_into().ok()
        }

        fn u8(&mut self) -> Option<u8> {
            Some(self.array::<1>()?[0])
        }

        fn u32(&mut self) -> Option<u32> {
            Some(u32::from_le_bytes(self.array()?))
        }

        fn u64(&mut self) -> Option<u64> {
            Some(u64::from_le_bytes(self.array()?))
        }

        fn len(&mut self) -> Option<usize> {
            usize::try_from(self.u64()?).ok()
        }

        fn string(&mut self) -> Option<String> {
            let n = usize::try_from(self.u32()?).ok()?;
            Some(std::str::from_utf8(self.take(n)?).ok()?.to_owned())
        }

        fn opt_string(&mut self) -> Option<Option<String>> {
            match self.u8()? {
                0 => Some(None),
                1 => Some(Some(self.string()?)),
                _ => None,
            }
        }

        fn date(&mut self) -> Option<NaiveDate> {
            NaiveDate::from_num_days_from_ce_opt(i32::from_le_bytes(self.array()?))
        }

        fn datetime(&mut self) -> Option<NaiveDateTime> {
            let date = self.date()?;
            let (secs, nanos) = (self.u32()?, self.u32()?);
            Some(date.and_time(NaiveTime::from_num_seconds_from_midnight_opt(secs, nanos)?))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn event(when: When) -> Event {
        let value = when_value(&when);
        Event {
            id: event_id("Talks", &value),
            title: "Talks".into(),
            kind: Kind::Meeting,
            when,
            value,
            place: Some("Vienna".into()),
            status: Status::Open,
            added: d(2014, 10, 14).and_hms_opt(9, 30, 0).unwrap(),
            notes: None,
            remind: Some("1d".into()),
            sources: vec![Source {
                file: "a.txt".into(),
                sentence: "Talks on Nov. 24 in \"Vienna\".\nNext line.".into(),
                start: 9,
                end: 16,
                timex: "Nov. 24".into(),
            }],
        }
    }

    /// Event → table → text → event.
    fn round_trip(e: &Event) -> (String, Event) {
        let mut doc = DocumentMut::new();
        append_event(&mut doc, event_to_table(e).unwrap());
        let text = doc.to_string();
        let (_, events) = parse_store(Path::new("t.toml"), &text).unwrap();
        assert_eq!(events.len(), 1, "{text}");
        (text, events.into_iter().next().unwrap())
    }

    fn invalid_line(text: &str) -> (usize, String) {
        match parse_store(Path::new("t.toml"), text) {
            Err(StoreError::Invalid { line, message, .. }) => (line, message),
            Err(other) => panic!("expected Invalid, got {other}"),
            Ok(_) => panic!("expected Invalid, got Ok"),
        }
    }

    #[test]
    fn date_round_trips() {
        let e = event(When::Date(d(2014, 11, 24)));
        let (text, back) = round_trip(&e);
        assert!(text.contains("\ndate = 2014-11-24\n"), "{text}");
        assert!(text.contains("added = 2014-10-14T09:30:00\n"), "{text}");
        assert!(text.contains("\n[[event.source]]\n"), "{text}");
        assert_eq!(back, e);
    }

    #[test]
    fn datetime_with_offset_round_trips() {
        let at = d(2014, 10, 15).and_hms_opt(15, 0, 0).unwrap();
        let e = event(When::DateTime {
            at,
            offset: Some(-300),
        });
        let (text, back) = round_trip(&e);
        assert!(text.contains("at = 2014-10-15T15:00:00\n"), "{text}");
        assert!(text.contains("offset = \"-05:00\"\n"), "{text}");
        assert_eq!(back, e);

        let e = event(When::DateTime {
            at,
            offset: Some(330),
        });
        let (text, back) = round_trip(&e);
        assert!(text.contains("offset = \"+05:30\"\n"), "{text}");
        assert_eq!(back, e);
    }

    #[test]
    fn datetime_without_offset_round_trips() {
        let at = d(2014, 10, 15)
            .and_hms_nano_opt(8, 5, 7, 250_000_000)
            .unwrap();
        let e = event(When::DateTime { at, offset: None });
        let (text, back) = round_trip(&e);
        assert!(text.contains("at = 2014-10-15T08:05:07.25\n"), "{text}");
        assert!(!text.contains("offset"), "{text}");
        assert_eq!(back, e);
    }

    #[test]
    fn range_round_trips() {
        let e = event(When::Range {
            start: d(2014, 3, 1),
            end: d(2014, 11, 1),
        });
        let (text, back) = round_trip(&e);
        assert!(
            text.contains("start = 2014-03-01\nend = 2014-11-01\n"),
            "{text}"
        );
        assert!(text.contains("value = \"2014-03/2014-10\""), "{text}");
        assert_eq!(back, e);
    }

    #[test]
    fn recurrence_round_trips() {
        let mut e = event(When::Recurring("XXXX-WXX-1".into()));
        e.kind = Kind::Recurring;
        e.place = None;
        e.remind = None;
        e.notes = Some("every Monday".into());
        e.status = Status::Done;
        e.sources.clear();
        let (text, back) = round_trip(&e);
        assert!(text.contains("recurs = \"XXXX-WXX-1\"\n"), "{text}");
        assert!(text.contains("status = \"done\"\n"), "{text}");
        assert!(!text.contains("where"), "{text}");
        assert_eq!(back, e);
    }

    #[test]
    fn leap_second_round_trips() {
        let at = d(2016, 12, 31)
            .and_hms_nano_opt(23, 59, 59, 1_500_000_000)
            .unwrap();
        let e = event(When::DateTime { at, offset: None });
        let (text, back) = round_trip(&e);
        assert!(text.contains("at = 2016-12-31T23:59:60.5\n"), "{text}");
        assert_eq!(back, e);
    }

    #[test]
    fn years_past_9999_are_refused() {
        let e = event(When::Date(d(12000, 1, 1)));
        assert!(event_to_table(&e).unwrap_err().contains("12000"));
    }

    #[test]
    fn hand_written_event_gets_defaults() {
        let text = "[[event]]\ntitle = \"Dentist\"\nkind = \"Scheduled\"\nat = 2014-10-15T15:00:00-05:00\n";
        let (_, events) = parse_store(Path::new("t.toml"), text).unwrap();
        let e = &events[0];
        assert_eq!(e.value, "2014-10-15T15:00");
        assert_eq!(e.id, event_id("Dentist", "2014-10-15T15:00"));
        assert_eq!(e.kind, Kind::Scheduled);
        assert_eq!(e.status, Status::Open);
        assert_eq!(e.added, DateTime::UNIX_EPOCH.naive_utc());
        assert_eq!(
            e.when,
            When::DateTime {
                at: d(2014, 10, 15).and_hms_opt(15, 0, 0).unwrap(),
                offset: Some(-300)
            }
        );
        assert!(e.sources.is_empty());
    }

    #[test]
    fn inline_sources_are_read() {
        let text = "[[event]]\ntitle = \"X\"\nkind = \"past\"\ndate = 2014-01-02\n\
                    source = [{ file = \"a.txt\", start = 1, end = 5 }]\n";
        let (_, events) = parse_store(Path::new("t.toml"), text).unwrap();
        assert_eq!(events[0].sources[0].file, "a.txt");
        assert_eq!(events[0].sources[0].end, 5);
    }

    #[test]
    fn invalid_fields_name_their_line() {
        let base = "# top\n\n[[event]]\ntitle = \"X\"\n";
        let (line, msg) = invalid_line(&format!("{base}kind = \"party\"\ndate = 2014-01-02\n"));
        assert_eq!(line, 5);
        assert!(msg.contains("party"), "{msg}");

        let (line, msg) = invalid_line(&format!(
            "{base}kind = \"past\"\ndate = 2014-01-02\nstatus = \"later\"\n"
        ));
        assert_eq!(line, 7);
        assert!(msg.contains("later"), "{msg}");

        let (line, msg) = invalid_line(&format!("{base}kind = \"past\"\n"));
        assert_eq!(line, 3);
        assert!(msg.contains("missing a time"), "{msg}");

        let (line, _) = invalid_line(&format!(
            "{base}kind = \"past\"\ndate = 2014-01-02\nat = 2014-01-02T10:00:00\n"
        ));
        assert_eq!(line, 3);

        let (line, _) = invalid_line(&format!("{base}kind = \"past\"\ndate = \"2014-01-02\"\n"));
        assert_eq!(line, 6);

        let (line, _) = invalid_line(&format!("{base}kind = \"past\"\nstart = 2014-01-02\n"));
        assert_eq!(line, 3);

        let (line, _) = invalid_line(&format!(
            "{base}kind = \"past\"\nat = 2014-01-02T10:00:00\noffset = \"EST\"\n"
        ));
        assert_eq!(line, 7);

        let (line, _) = invalid_line(&format!(
            "{base}kind = \"past\"\ndate = 2014-01-02\n\n[[event.source]]\nfile = \"a\"\nstart = -1\nend = 3\n"
        ));
        assert_eq!(line, 10);

        let (line, msg) = invalid_line("[[event]]\nid = \"ev-1\"\ntitle = \"X\"\nkind = \"past\"\ndate = 2014-01-02\n\n[[event]]\nid = \"ev-1\"\ntitle = \"Y\"\nkind = \"past\"\ndate = 2014-01-02\n");
        assert_eq!(line, 7);
        assert!(msg.contains("line 1"), "{msg}");

        let (line, _) = invalid_line("x = 1\nevent = 3\n");
        assert_eq!(line, 2);
    }

    #[test]
    fn parse_errors_give_line_and_column() {
        let text = "[[event]]\ntitle = \"X\"\nkind = past\n";
        match parse_store(Path::new("dir/events.toml"), text) {
            Err(e @ StoreError::Parse { line, column, .. }) => {
                assert_eq!((line, column), (3, 8));
                let shown = e.to_string();
                assert!(shown.starts_with("dir/events.toml: "), "{shown}");
                assert!(shown.contains("line 3, column 8"), "{shown}");
                assert!(!shown.contains('\n'), "{shown}");
            }
            other => panic!("{other:?}"),
        }
        // Duplicate keys are TOML errors too.
        let text = "[[event]]\ntitle = \"X\"\ntitle = \"Y\"\n";
        match parse_store(Path::new("events.toml"), text) {
            Err(StoreError::Parse { line, .. }) => assert_eq!(line, 3),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn offsets_parse() {
        assert_eq!(parse_offset("-05:00"), Some(-300));
        assert_eq!(parse_offset("+05:30"), Some(330));
        assert_eq!(parse_offset("Z"), Some(0));
        assert_eq!(parse_offset("05:00"), None);
        assert_eq!(parse_offset("+5:0"), None);
        for m in [i16::MIN, -1439, -1, 0, 59, 1439, i16::MAX] {
            assert_eq!(parse_offset(&format_offset(m)), Some(m));
        }
    }

    #[test]
    fn removal_keeps_separated_comments() {
        assert_eq!(comments_to_keep("# head\n\n# mine\n"), "# head\n\n");
        assert_eq!(comments_to_keep("\n# mine\n"), "");
        assert_eq!(comments_to_keep("\n"), "");
        assert_eq!(strip_leading_blank_lines("\n \n# b\n"), "# b\n");
        assert_eq!(with_blank_line_after("# a"), "# a\n\n");
        assert_eq!(with_blank_line_after("# a\n"), "# a\n\n");
        assert_eq!(with_blank_line_after("# a\n\n"), "# a\n\n");
    }

    #[test]
    fn cache_round_trips_every_field() {
        let mut events = vec![
            event(When::Date(d(2014, 11, 24))),
            event(When::DateTime {
                at: d(2016, 12, 31)
                    .and_hms_nano_opt(23, 59, 59, 1_999_999_999)
                    .unwrap(),
                offset: Some(i16::MIN),
            }),
            event(When::DateTime {
                at: d(-44, 3, 15).and_hms_opt(0, 0, 0).unwrap(),
                offset: None,
            }),
            event(When::Range {
                start: NaiveDate::MIN,
                end: NaiveDate::MAX,
            }),
            event(When::Recurring("XXXX-WXX-1".into())),
        ];
        events[1].place = None;
        events[1].notes = Some(String::new());
        events[2].status = Status::Done;
        events[2].title = "Zürich — «quoted»\n\u{1F600}".into();
        events[3].sources[0].start = usize::MAX;
        events[4].sources.clear();
        for (i, e) in events.iter_mut().enumerate() {
            e.kind = Kind::ALL[i];
        }
        let key = cache::Key::of(b"store");
        let bytes = cache::contents(key, &events).unwrap();
        let payload = &bytes[cache::HEADER_LEN..];
        assert_eq!(cache::decode(payload).unwrap(), events);
        assert_eq!(
            cache::decode(&cache::contents(key, &[]).unwrap()[cache::HEADER_LEN..]),
            Some(vec![])
        );
        // Every truncation, and anything after the end, is refused.
        for n in 0..payload.len() {
            assert_eq!(cache::decode(&payload[..n]), None, "{n}");
        }
        assert_eq!(cache::decode(&[payload, &[0]].concat()), None);
    }

    #[test]
    fn cache_hash_sees_every_one_byte_change() {
        let text: Vec<u8> = (0..200u8).map(|i| i.wrapping_mul(37)).collect();
        for len in [0, 1, 7, 8, 31, 32, 33, 100, 200] {
            let base = &text[..len];
            let h = cache::hash(base);
            for i in 0..len {
                for bit in 0..8 {
                    let mut changed = base.to_vec();
                    changed[i] ^= 1 << bit;
                    assert_ne!(cache::hash(&changed), h, "len {len}, byte {i}, bit {bit}");
                }
            }
        }
        // Zero padding of the last word does not hide a length change.
        assert_ne!(cache::hash(b"abc"), cache::hash(b"abc\0"));
        assert_ne!(cache::hash(b""), cache::hash(&[0; 32]));
        assert_ne!(cache::Key::of(b"ab"), cache::Key::of(b"ba"));
    }

    #[test]
    fn cache_temp_names_are_recognized() {
        let name = ".events.toml.cache";
        assert!(cache::is_temp_name(name, ".events.toml.cache.123-4.tmp"));
        assert!(!cache::is_temp_name(name, ".events.toml.cache"));
        assert!(!cache::is_temp_name(name, ".events.toml.cache.x-4.tmp"));
        assert!(!cache::is_temp_name(name, ".events.toml.cache.old.tmp"));
        // Store temp files and cache temp files do not overlap.
        assert!(!is_temp_name("events.toml", ".events.toml.cache.123-4.tmp"));
        assert!(!cache::is_temp_name(name, ".events.toml.123-4.tmp"));
    }

    #[test]
    fn temp_names_are_recognized() {
        assert!(is_temp_name("events.toml", ".events.toml.123-4.tmp"));
        assert!(!is_temp_name("events.toml", ".events.toml.x-4.tmp"));
        assert!(!is_temp_name("events.toml", "events.toml"));
        assert!(!is_temp_name("events.toml", ".events.toml.backup.tmp"));
    }
}
