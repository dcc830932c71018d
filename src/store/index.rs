//! The derived read cache beside a store: `.<store file name>.cache`.
//!
//! The TOML file stays the single source of truth. The cache only holds
//! what a full parse of one exact store content gave, in a compact binary
//! form that loads in a fraction of the time, under a key computed from
//! that content: its length and a 64-bit hash of all of its bytes
//! (`hash`). A load reads the store's bytes anyway, computes their key
//! and uses the cache only when the key matches. Any other case — no
//! cache, an unreadable, truncated or corrupt one, another format or
//! another build of the reading code, a key mismatch — is a miss, and a
//! miss is only a full parse, never an error. So a store edited by hand,
//! even without changing its size or modification time, is parsed again;
//! a store that does not parse was never cached (the cache is written only
//! after a successful parse, from the events of those exact bytes), so its
//! error is reported as always. A stale cache would need two different
//! contents of the same length with the same 64-bit hash: edits that stay
//! within one aligned 8-byte word (any one-byte change) provably change
//! the hash, and for other accidental edits the odds are about 1 in 2^64.
//! The hash is not cryptographic; it guards against accidents, not against
//! someone crafting a collision — who could as well edit the store.
//!
//! Layout, little-endian: the header
//!
//! | bytes | field |
//! |-------|-------|
//! | 8     | magic `TLCACHE\0` |
//! | 4     | `FORMAT` |
//! | 4     | flags: bit 0 set when the store is appendable (`merge`), bit 1 when its events may be spliced (`splice`) |
//! | 8     | `CODE`: the build of the reading code |
//! | 8     | the store's length |
//! | 8     | the store's hash |
//! | 8     | the payload's length |
//! | 8     | the payload's hash |
//!
//! then the payload: the number of events (u64) and each event, field by
//! field (strings as a u32 length and UTF-8 bytes; see `put_event`), then
//! the spans: their number (u64; 0 when unknown, else one per event) and
//! the byte offset in the store of each event's `[[event]]` header (u64
//! each). `done`, `rm` and `modify` find an event's text by them.
//!
//! The appendable flag says that these exact bytes can take new
//! `[[event]]` tables by appending their text, with the same bytes a full
//! rewrite would give (see `merge::appendable`); `add` then writes new
//! events without parsing the TOML. The flag is part of the key's facts,
//! computed from the same parse as the events.
//!
//! The cache is written to a temporary file beside it (for example
//! `.events.toml.cache.<pid>-<n>.tmp`) and renamed over the old one, without flushing to disk: it is derived
//! data, and one torn by a crash fails its payload hash. Writing is best
//! effort: a read-only folder, a full disk or a directory in the cache's
//! place just leave no cache. Loads write it after a miss, writers after
//! each change.

use std::fs::{self, OpenOptions};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

pub(super) use super::hash::{hash, Hasher};
use super::write::{keep_metadata, temp_is_stale};
use crate::events::{Event, Kind, Source, Status, When};

const MAGIC: [u8; 8] = *b"TLCACHE\0";

/// The layout version: bump it when the layout changes.
const FORMAT: u32 = 5;

/// The build of the code that reads stores: a hash of the crate
/// version and of the source of this module, of `schema.rs`, `merge.rs`
/// and `line_ends.rs` (which say when a store is appendable),
/// `events/mod.rs` and `events/recur.rs`, so a cache written before any
/// change to how stores are read (defaults, validation, the event type)
/// is never used by the changed code.
const CODE: u64 = {
    let h = fnv1a(0xcbf2_9ce4_8422_2325, env!("CARGO_PKG_VERSION").as_bytes());
    let h = fnv1a(h, include_str!("schema.rs").as_bytes());
    let h = fnv1a(h, include_str!("merge.rs").as_bytes());
    let h = fnv1a(h, include_str!("line_ends.rs").as_bytes());
    let h = fnv1a(h, include_str!("index.rs").as_bytes());
    let h = fnv1a(h, include_str!("hash.rs").as_bytes());
    let h = fnv1a(h, include_str!("../events/recur.rs").as_bytes());
    fnv1a(h, include_str!("../events/mod.rs").as_bytes())
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

    /// The key of a file's bytes, hashed as they are read: a read that
    /// finds its cache current never holds the store in memory.
    pub(super) fn of_file(path: &Path) -> std::io::Result<Key> {
        let mut file = fs::File::open(path)?;
        let mut h = Hasher::new();
        let mut buf = vec![0u8; 1 << 20];
        loop {
            match file.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => h.update(&buf[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(Key {
            len: h.len(),
            hash: h.finish(),
        })
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

/// The flag bit of an appendable store.
const APPENDABLE: u32 = 1;
/// The flag bit of a store whose events may be spliced one by one.
const SPLICEABLE: u32 = 2;

/// What one parse of a store's exact bytes says besides its events.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Facts {
    /// New `[[event]]` tables may be appended as text (`merge::appendable`).
    pub(super) appendable: bool,
    /// One event's text may be replaced on its own (`splice::spliceable`).
    pub(super) spliceable: bool,
    /// The byte offset of each event's `[[event]]` header; empty when
    /// not known.
    pub(super) spans: Vec<usize>,
}

impl Facts {
    fn flags(&self) -> u32 {
        (u32::from(self.appendable) * APPENDABLE) | (u32::from(self.spliceable) * SPLICEABLE)
    }
}

/// The cache file's bytes, header and payload; `None` when an event
/// cannot be written (a string of 4 GiB or more).
pub(super) fn contents(key: Key, events: &[Event], facts: &Facts) -> Option<Vec<u8>> {
    let mut w = Writer(Vec::with_capacity(HEADER_LEN + events.len() * 256));
    w.0.resize(HEADER_LEN, 0);
    w.u64(events.len() as u64);
    for e in events {
        put_event(&mut w, e)?;
    }
    put_spans(&mut w, events.len(), &facts.spans);
    let mut bytes = w.0;
    set_header(&mut bytes, key, facts.flags());
    Some(bytes)
}

/// The spans section: written only when there is one span per event.
fn put_spans(w: &mut Writer, events: usize, spans: &[usize]) {
    if spans.len() == events {
        w.u64(spans.len() as u64);
        for &s in spans {
            w.u64(s as u64);
        }
    } else {
        w.u64(0);
    }
}

/// The spans section after the events: one offset per event, or none.
fn get_spans(r: &mut Reader<'_>, events: usize) -> Option<Vec<usize>> {
    let n = r.len()?;
    if n != 0 && n != events {
        return None;
    }
    let mut spans = Vec::with_capacity(n.min(r.rest.len() / 8));
    for _ in 0..n {
        spans.push(r.len()?);
    }
    Some(spans)
}

/// Writes the header of a cache file's bytes for its payload.
fn set_header(bytes: &mut [u8], key: Key, flags: u32) {
    let (header, payload) = bytes.split_at_mut(HEADER_LEN);
    let mut h = Writer(Vec::with_capacity(HEADER_LEN));
    h.0.extend_from_slice(&MAGIC);
    h.u32(FORMAT);
    h.u32(flags);
    for n in [CODE, key.len, key.hash, payload.len() as u64, hash(payload)] {
        h.u64(n);
    }
    header.copy_from_slice(&h.0);
}

/// Whether a header is this build's, for this key; its flags, and the
/// payload's length and hash, when it is.
fn check_header(header: &[u8], key: Key) -> Option<(u32, u64, u64)> {
    let mut r = Reader { rest: header };
    let current = r.take(8)? == MAGIC && r.u32()? == FORMAT;
    let flags = r.u32()?;
    let current = current
        && flags & !(APPENDABLE | SPLICEABLE) == 0
        && r.u64()? == CODE
        && r.u64()? == key.len
        && r.u64()? == key.hash;
    current.then_some((flags, r.u64()?, r.u64()?))
}

/// The cache file's bytes when they are current for this key, and
/// its flags; `None` on any problem.
fn read_checked(path: &Path, key: Key) -> Option<(Vec<u8>, u32)> {
    let bytes = fs::read(path).ok()?;
    let (header, payload) = bytes.split_at_checked(HEADER_LEN)?;
    let (flags, len, payload_hash) = check_header(header, key)?;
    if payload.len() as u64 != len || hash(payload) != payload_hash {
        return None;
    }
    Some((bytes, flags))
}

/// The cached events for this key, or `None` on any problem.
#[cfg(test)]
pub(super) fn read(path: &Path, key: Key) -> Option<Vec<Event>> {
    read_with_facts(path, key).map(|(events, _)| events)
}

/// How much of each event is decoded.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Depth {
    /// What tells whether an incoming event is new or adds to a stored
    /// one (id, title, context, value, tags, each source's file and
    /// offsets); the rest read past and left empty.
    Identity,
    /// Every field but the sentence and timex of each source (empty):
    /// what tables show.
    View,
    Full,
}

/// The cached events for this key, decoded to `depth`, or `None` on any
/// problem.
pub(super) fn read_to(path: &Path, key: Key, depth: Depth) -> Option<Vec<Event>> {
    let (bytes, _) = read_checked(path, key)?;
    decode_with_spans(&bytes[HEADER_LEN..], depth).map(|(events, _)| events)
}

/// The cached events for this key and what else the parse said, or
/// `None` on any problem.
pub(super) fn read_with_facts(path: &Path, key: Key) -> Option<(Vec<Event>, Facts)> {
    let (bytes, flags) = read_checked(path, key)?;
    let (events, spans) = decode_with_spans(&bytes[HEADER_LEN..], Depth::Full)?;
    let facts = Facts {
        appendable: flags & APPENDABLE != 0,
        spliceable: flags & SPLICEABLE != 0,
        spans,
    };
    Some((events, facts))
}

/// A current cache of an appendable store, for adding new events to it
/// without a parse.
pub(super) struct Appendable {
    /// The cache file's bytes, up to the end of the last event.
    bytes: Vec<u8>,
    flags: u32,
    spans: Vec<usize>,
    /// The stored events with only what `merge::plan` looks at (id,
    /// title, context, value, tags, each source's file and offsets): every
    /// other field is empty. Decoding whole events would cost as much as
    /// the rest of an add.
    pub(super) identities: Vec<Event>,
}

/// The cache for this key when it is current and the store appendable;
/// `None` when it is not, or on any problem.
pub(super) fn read_appendable(path: &Path, key: Key) -> Option<Appendable> {
    let (mut bytes, flags) = read_checked(path, key)?;
    if flags & APPENDABLE == 0 {
        return None;
    }
    let mut r = Reader {
        rest: &bytes[HEADER_LEN..],
    };
    let count = r.len()?;
    let mut identities = Vec::with_capacity(count.min(r.rest.len() / 32));
    for _ in 0..count {
        identities.push(get_event(&mut r, Depth::Identity)?);
    }
    let events_end = bytes.len() - r.rest.len();
    let spans = get_spans(&mut r, count)?;
    if !r.rest.is_empty() {
        return None;
    }
    bytes.truncate(events_end);
    Some(Appendable {
        bytes,
        flags,
        spans,
        identities,
    })
}

/// Writes the cache of a store that was `from`'s and now has `added`
/// appended, under the new store bytes' `key`: the old payload is kept as
/// it is and the new events are written after it, their headers at
/// `added_spans` (when known). Best effort, as [`write`].
pub(super) fn write_appended(
    path: &Path,
    from: Appendable,
    added: &[Event],
    added_spans: Option<&[usize]>,
    key: Key,
    store: &Path,
) {
    let mut w = Writer(from.bytes);
    let count = from.identities.len() + added.len();
    w.0[HEADER_LEN..HEADER_LEN + 8].copy_from_slice(&(count as u64).to_le_bytes());
    for e in added {
        if put_event(&mut w, e).is_none() {
            return;
        }
    }
    let mut spans = from.spans;
    match added_spans {
        Some(new) if spans.len() == from.identities.len() => spans.extend_from_slice(new),
        _ => spans.clear(),
    }
    put_spans(&mut w, count, &spans);
    let mut bytes = w.0;
    set_header(&mut bytes, key, from.flags);
    write_bytes(path, &bytes, store);
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

/// Replaces the cache with `events` under `key` (with `facts`, what the
/// parse of those store bytes said); gives up silently on any failure. The
/// cache gets the store's mode, owner and extended attributes (as the
/// store's own writes do), so it is as private as the store.
pub(super) fn write(path: &Path, key: Key, events: &[Event], facts: &Facts, store: &Path) {
    if let Some(bytes) = contents(key, events, facts) {
        write_bytes(path, &bytes, store);
    }
}

/// Replaces the cache file with `bytes` (see [`write`]).
fn write_bytes(path: &Path, bytes: &[u8], store: &Path) {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
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
            keep_metadata(&file, store, &meta);
        }
        file.write_all(bytes)?;
        drop(file);
        fs::rename(&tmp, path)
    })();
    if written.is_err() {
        let _ = fs::remove_file(&tmp);
    }
}

/// Deletes temporary cache files a killed process left (or an old one:
/// see `temp_is_stale`). Called by writers under the store's lock; a
/// reader's cache write in flight keeps its file.
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
        let candidate = entry.file_name().to_string_lossy().into_owned();
        if is_temp_name(&name, &candidate) && temp_is_stale(&entry.path(), &candidate) {
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
        When::Recurring(r) => {
            w.u8(3);
            w.opt_str(r.rule.as_deref())?;
            w.opt_date(r.start);
            match r.time {
                None => w.u8(0),
                Some(t) => {
                    w.u8(1);
                    w.u32(t.num_seconds_from_midnight());
                }
            }
            w.opt_date(r.done_through);
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
    w.opt_str(e.context.as_deref())?;
    w.u64(e.tags.len() as u64);
    for t in &e.tags {
        w.str(t)?;
    }
    w.opt_str(e.tz.as_deref())?;
    match e.modified {
        None => w.u8(0),
        Some(m) => {
            w.u8(1);
            w.datetime(m);
        }
    }
    w.u32(e.edits);
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
#[cfg(test)]
pub(super) fn decode(payload: &[u8]) -> Option<Vec<Event>> {
    decode_with_spans(payload, Depth::Full).map(|(events, _)| events)
}

/// The events of a payload and their spans; `None` unless it is exactly
/// a valid one.
fn decode_with_spans(payload: &[u8], depth: Depth) -> Option<(Vec<Event>, Vec<usize>)> {
    let mut r = Reader { rest: payload };
    let count = r.len()?;
    // Each event takes more than 32 bytes: never trust a count beyond that.
    let mut events = Vec::with_capacity(count.min(payload.len() / 32));
    for _ in 0..count {
        events.push(get_event(&mut r, depth)?);
    }
    let spans = get_spans(&mut r, count)?;
    r.rest.is_empty().then_some((events, spans))
}

/// One event, decoded to `depth`.
fn get_event(r: &mut Reader<'_>, depth: Depth) -> Option<Event> {
    let full = depth >= Depth::View;
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
        3 => When::Recurring(crate::events::Recurrence {
            rule: r.opt_text(full)?,
            start: r.opt_date()?,
            time: match r.u8()? {
                0 => None,
                1 => Some(NaiveTime::from_num_seconds_from_midnight_opt(r.u32()?, 0)?),
                _ => return None,
            },
            done_through: r.opt_date()?,
        }),
        _ => return None,
    };
    let value = r.string()?;
    let place = r.opt_text(full)?;
    let status = match r.u8()? {
        0 => Status::Open,
        1 => Status::Done,
        _ => return None,
    };
    let added = r.datetime()?;
    let notes = r.opt_text(full)?;
    let remind = r.opt_text(full)?;
    let context = r.opt_string()?;
    let tags = (0..r.len()?)
        .map(|_| r.string())
        .collect::<Option<Vec<String>>>()?;
    let tz = r.opt_text(full)?;
    let modified = match r.u8()? {
        0 => None,
        1 => Some(r.datetime()?),
        _ => return None,
    };
    let edits = r.u32()?;
    let n = r.len()?;
    let mut sources = Vec::with_capacity(n.min(r.rest.len() / 32));
    for _ in 0..n {
        sources.push(Source {
            file: r.string()?,
            sentence: r.text(depth == Depth::Full)?,
            start: r.len()?,
            end: r.len()?,
            timex: r.text(depth == Depth::Full)?,
        });
    }
    Some(Event {
        id,
        title,
        kind,
        when,
        value,
        place,
        context,
        status,
        added,
        notes,
        remind,
        tags,
        tz,
        modified,
        edits,
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

    fn opt_date(&mut self, d: Option<NaiveDate>) {
        match d {
            None => self.u8(0),
            Some(d) => {
                self.u8(1);
                self.date(d);
            }
        }
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
        self.opt_text(true)
    }

    /// A string, or with `keep` false one read past (empty): its bytes
    /// are checked when a load decodes them.
    fn text(&mut self, keep: bool) -> Option<String> {
        if keep {
            return self.string();
        }
        let n = usize::try_from(self.u32()?).ok()?;
        self.take(n)?;
        Some(String::new())
    }

    /// An optional string, as [`Reader::text`]: `Some("")` when read past.
    fn opt_text(&mut self, keep: bool) -> Option<Option<String>> {
        match self.u8()? {
            0 => Some(None),
            1 => Some(Some(self.text(keep)?)),
            _ => None,
        }
    }

    fn date(&mut self) -> Option<NaiveDate> {
        NaiveDate::from_num_days_from_ce_opt(i32::from_le_bytes(self.array()?))
    }

    fn opt_date(&mut self) -> Option<Option<NaiveDate>> {
        match self.u8()? {
            0 => Some(None),
            1 => Some(Some(self.date()?)),
            _ => None,
        }
    }

    fn datetime(&mut self) -> Option<NaiveDateTime> {
        let date = self.date()?;
        let (secs, nanos) = (self.u32()?, self.u32()?);
        Some(date.and_time(NaiveTime::from_num_seconds_from_midnight_opt(secs, nanos)?))
    }
}
