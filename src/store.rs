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

    /// All events; a missing file is an empty store. Errors name file, line, column.
    pub fn load(&self) -> Result<Vec<Event>, StoreError> {
        match self.read_text()? {
            None => Ok(Vec::new()),
            Some(text) => Ok(parse_store(&self.path, &text)?.1),
        }
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
    fn read_text(&self) -> Result<Option<String>, StoreError> {
        let bytes = match fs::read(&self.path) {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io_error(&self.path, e)),
        };
        match String::from_utf8(bytes) {
            Ok(s) => Ok(Some(s)),
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
        let text = self.read_text()?.unwrap_or_default();
        let (mut doc, mut events) = parse_store(&self.path, &text)?;
        let (out, changed) = change(&mut doc, &mut events)?;
        if changed {
            let new_text = doc.to_string();
            match parse_store(&self.path, &new_text) {
                Ok((_, reread)) if reread == events => {}
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
/// it over `target` and flushes the folder.
fn write_atomic(target: &Path, text: &str) -> Result<(), StoreError> {
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

/// Line numbers by byte offset, from an index of line starts built once:
/// a store of 100,000 events asks for a line per table, and counting
/// newlines from the top each time would be quadratic.
struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    fn new(text: &str) -> Lines {
        let mut starts = vec![0];
        starts.extend(text.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i + 1));
        Lines { starts }
    }

    /// 1-based line of a byte offset.
    fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset)
    }
}

/// Parses and validates a store's text: the editable document and its
/// events, in document order (event `i` is table `i` of `event`).
fn parse_store(path: &Path, text: &str) -> Result<(DocumentMut, Vec<Event>), StoreError> {
    let doc = ImDocument::parse(text).map_err(|e| {
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
    })?;
    let invalid = |(line, message): Bad| StoreError::Invalid {
        path: path.to_path_buf(),
        line,
        message,
    };
    let lines = Lines::new(text);
    let mut events = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    if let Some((key, item)) = doc.as_table().get_key_value("event") {
        let Some(aot) = item.as_array_of_tables() else {
            let line = key.span().map_or(0, |s| lines.line(s.start));
            return Err(invalid((
                line,
                "`event` must be written as [[event]] tables".into(),
            )));
        };
        for table in aot.iter() {
            let line = table.span().map_or(0, |s| lines.line(s.start));
            let event = read_event(table, &lines, line).map_err(invalid)?;
            if let Some(first) = seen.get(&event.id) {
                return Err(invalid((
                    line,
                    format!("duplicate id {:?} (also used at line {first})", event.id),
                )));
            }
            seen.insert(event.id.clone(), line);
            events.push(event);
        }
    }
    Ok((doc.into_mut(), events))
}

/// A validation failure: 1-based line and message.
type Bad = (usize, String);

/// Typed access to a table's fields, with line numbers for errors.
struct Fields<'a> {
    table: &'a dyn TableLike,
    text: &'a Lines,
    /// The line of the table itself, for errors about missing keys.
    line: usize,
}

impl<'a> Fields<'a> {
    fn line_of(&self, key: &str) -> usize {
        match self.table.get_key_value(key) {
            Some((k, item)) => item
                .span()
                .or_else(|| k.span())
                .map_or(self.line, |s| self.text.line(s.start)),
            None => self.line,
        }
    }

    fn bad(&self, key: &str, message: String) -> Bad {
        (self.line_of(key), message)
    }

    fn value(&self, key: &str) -> Result<Option<&'a Value>, Bad> {
        match self.table.get(key) {
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
            .ok_or_else(|| (self.line, format!("missing `{key}`")))
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

fn read_event(table: &Table, text: &Lines, line: usize) -> Result<Event, Bad> {
    let f = Fields { table, text, line };
    let title = f.required_string("title")?.to_owned();

    let kind_text = f.required_string("kind")?;
    let kind = Kind::parse(&kind_text.trim().to_lowercase()).ok_or_else(|| {
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
        None => Status::Open,
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
    let present: Vec<&str> = ["date", "at", "start", "end", "recurs"]
        .into_iter()
        .filter(|k| f.table.contains_key(k))
        .collect();
    let forms = ["date", "at", "start", "recurs"]
        .iter()
        .filter(|k| present.contains(k) || (**k == "start" && present.contains(&"end")))
        .count();
    if forms == 0 {
        return Err((
            f.line,
            "missing a time: one of `date`, `at`, `start` and `end`, or `recurs`".into(),
        ));
    }
    if forms > 1 {
        return Err((
            f.line,
            format!(
                "has {} but an event takes only one time: `date`, `at`, `start` and `end`, or `recurs`",
                present
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    if f.table.contains_key("offset") && !present.contains(&"at") {
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
        (Some(_), None) => Err((f.line, "`start` needs an `end` (exclusive)".into())),
        _ => Err((f.line, "`end` needs a `start`".into())),
    }
}

fn read_sources(f: &Fields<'_>) -> Result<Vec<Source>, Bad> {
    let tables: Vec<(&dyn TableLike, usize)> = match f.table.get("source") {
        None => Vec::new(),
        Some(Item::ArrayOfTables(aot)) => aot
            .iter()
            .map(|t| {
                let line = t.span().map_or(f.line, |s| f.text.line(s.start));
                (t as &dyn TableLike, line)
            })
            .collect(),
        Some(Item::Value(Value::Array(array))) => {
            let mut out = Vec::new();
            for v in array.iter() {
                let line = v.span().map_or(f.line, |s| f.text.line(s.start));
                match v.as_inline_table() {
                    Some(t) => out.push((t as &dyn TableLike, line)),
                    None => {
                        return Err((line, "each `source` must be a table".into()));
                    }
                }
            }
            out
        }
        Some(_) => return Err(f.bad("source", "`source` must be [[event.source]] tables".into())),
    };
    let mut sources = Vec::new();
    for (table, line) in tables {
        let s = Fields {
            table,
            text: f.text,
            line,
        };
        let start = s
            .offset("start")?
            .ok_or_else(|| (line, "source is missing `start`".to_string()))?;
        let end = s
            .offset("end")?
            .ok_or_else(|| (line, "source is missing `end`".to_string()))?;
        sources.push(Source {
            file: s.required_string("file")?.to_owned(),
            sentence: s.string("sentence")?.unwrap_or("").to_owned(),
            start,
            end,
            timex: s.string("timex")?.unwrap_or("").to_owned(),
        });
    }
    Ok(sources)
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
    fn temp_names_are_recognized() {
        assert!(is_temp_name("events.toml", ".events.toml.123-4.tmp"));
        assert!(!is_temp_name("events.toml", ".events.toml.x-4.tmp"));
        assert!(!is_temp_name("events.toml", "events.toml"));
        assert!(!is_temp_name("events.toml", ".events.toml.backup.tmp"));
    }
}
