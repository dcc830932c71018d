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
//! | 8     | the records' hash (`add` reads them alone) |
//! | 8     | the rows' hash: of the payload's counts and rows section (tables read them alone) |
//!
//! then the payload: the number of events (u64), the lengths of the rows
//! section and of the details section (u64 each), each event's row part
//! (what tables show), each event's detail part (the rest: its sources'
//! sentences are most of the cache), see `codec::put_event`; then the
//! spans: their number (u64; 0 when unknown, else one per event) and the
//! byte offset in the store of each event's `[[event]]` header (u64
//! each), then one 40-byte record per event ([`RECORD`]): where its row
//! part starts in the rows section and its detail part in the details
//! section, and the hashes of its id, its value and its text.
//! `done`, `rm` and `modify` find an event's text by the spans; `add`
//! decodes only the events whose id or value an incoming event has; a
//! store edited by hand takes the events whose text did not change from
//! the cache written before the edit (see `pieces`), whatever key it has.
//!
//! The appendable flag says that these exact bytes can take new
//! `[[event]]` tables by appending their text, with the same bytes a full
//! rewrite would give (see `merge::appendable`); `add` then writes new
//! events without parsing the TOML. The flag is part of the key's facts,
//! computed from the same parse as the events: it also holds after
//! events are appended, whose text is the tables a full rewrite writes.
//!
//! Events `add` appends to the store go to the cache's tail, a small
//! second file that extends it to the store's new key (see `tail`); to
//! readers the two are one cache.
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
use std::time::SystemTime;

pub(super) use super::codec::Depth;
use super::codec::{get_event, put_event, Fields, Reader, Writer};
pub(super) use super::hash::{hash, HashMapByHash, HashSetOfHashes, Hasher};
use super::write::{keep_metadata, temp_is_stale};
use crate::events::Event;

mod encoded;
mod load;
mod tail;
pub(super) use encoded::{read_earlier, read_encoded, with_found, Encoded, Found, NewEvent};
pub(super) use load::{found_for, read_unkeyed, Cached, Opened};
pub(super) use tail::{read_appendable, write_appended};

const MAGIC: [u8; 8] = *b"TLCACHE\0";

/// The layout version: bump it when the layout changes.
const FORMAT: u32 = 8;

/// The build of the code that reads stores: a hash of the crate
/// version and of the source of this module (all its files), of
/// `schema.rs`, `merge.rs`
/// and `line_ends.rs` (which say when a store is appendable),
/// `events/mod.rs` and `events/recur.rs`, so a cache written before any
/// change to how stores are read (defaults, validation, the event type)
/// is never used by the changed code.
const CODE: u64 = {
    let h = fnv1a(0xcbf2_9ce4_8422_2325, env!("CARGO_PKG_VERSION").as_bytes());
    let h = fnv1a(h, include_str!("../schema.rs").as_bytes());
    let h = fnv1a(h, include_str!("../merge.rs").as_bytes());
    let h = fnv1a(h, include_str!("../line_ends.rs").as_bytes());
    let h = fnv1a(h, include_str!("mod.rs").as_bytes());
    let h = fnv1a(h, include_str!("encoded.rs").as_bytes());
    let h = fnv1a(h, include_str!("load.rs").as_bytes());
    let h = fnv1a(h, include_str!("tail.rs").as_bytes());
    let h = fnv1a(h, include_str!("../hash.rs").as_bytes());
    let h = fnv1a(h, include_str!("../codec.rs").as_bytes());
    let h = fnv1a(h, include_str!("../../events/recur.rs").as_bytes());
    fnv1a(h, include_str!("../../events/mod.rs").as_bytes())
};

pub(super) const HEADER_LEN: usize = 72;

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

    /// The key of `len` bytes that hash to `hash`.
    pub(super) fn from_parts(len: u64, hash: u64) -> Key {
        Key { len, hash }
    }

    pub(super) fn len(self) -> u64 {
        self.len
    }

    pub(super) fn hash(self) -> u64 {
        self.hash
    }

    /// The key of the bytes given to `h` so far.
    pub(super) fn of_hasher(h: &Hasher) -> Key {
        Key {
            len: h.len(),
            hash: h.clone().finish(),
        }
    }

    /// The key of a file's bytes, hashed as they are read: a read that
    /// finds its cache current never holds the store in memory.
    pub(super) fn of_file(path: &Path) -> std::io::Result<Key> {
        let mut file = fs::File::open(path)?;
        let mut h = Hasher::new();
        // Small enough to stay in the core's cache between the kernel's
        // copy into it and the hash reading it: a megabyte made the copy
        // of a 35 MB store a tenth of a warm table view.
        let mut buf = vec![0u8; 128 << 10];
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

/// The bytes of each event's [`Record`], after the spans.
const RECORD: usize = 40;

/// The bytes of the payload's counts: the number of events, and the
/// lengths of the rows and details sections.
const COUNTS: usize = 24;

/// An event's record: where its row part starts in the rows section and
/// its detail part in the details section, the hash of its id, of its
/// value, and of its text in the store (see [`piece_hash`]; 0 when not
/// known). `add` decodes only the stored events whose id or value an
/// incoming event has, and a store edited by hand reuses the events whose
/// text is unchanged (`pieces`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Record {
    rows: u64,
    details: u64,
    id: u64,
    value: u64,
    piece: u64,
}

impl Record {
    /// The record of `e`, its parts at `rows` and `details`.
    fn of(e: &Event, rows: usize, details: usize, piece: u64) -> Record {
        Record {
            rows: rows as u64,
            details: details as u64,
            id: hash(e.id.as_bytes()),
            value: hash(e.value.as_bytes()),
            piece,
        }
    }

    /// Where its row part starts, and its detail part.
    fn at(self) -> Option<(usize, usize)> {
        Some((
            usize::try_from(self.rows).ok()?,
            usize::try_from(self.details).ok()?,
        ))
    }
}

/// The hash of event `i`'s text in the store `text`, from its header to
/// the next one (the last to the end): the piece `pieces` reads it from.
/// Known (non-zero) only in a spliceable store, where such a piece is the
/// event's whole text and reads alone as the event.
fn piece_hash(text: &[u8], facts: &Facts, i: usize) -> u64 {
    if !facts.spliceable {
        return 0;
    }
    let Some(&start) = facts.spans.get(i) else {
        return 0;
    };
    let end = facts.spans.get(i + 1).copied().unwrap_or(text.len());
    text.get(start..end).map_or(0, hash)
}

/// [`piece_hash`] of every event, when the spans are one per event and
/// in order.
fn piece_hashes(text: &[u8], facts: &Facts, count: usize) -> Vec<u64> {
    let spans = &facts.spans;
    if spans.len() != count || !spans.windows(2).all(|w| w[0] < w[1]) {
        return vec![0; count];
    }
    (0..count).map(|i| piece_hash(text, facts, i)).collect()
}

fn put_record(w: &mut Writer, r: Record) {
    for n in [r.rows, r.details, r.id, r.value, r.piece] {
        w.u64(n);
    }
}

/// Record `i` of `records`.
fn record(records: &[u8], i: usize) -> Option<Record> {
    let bytes = records.get(i.checked_mul(RECORD)?..)?.get(..RECORD)?;
    let mut r = Reader { rest: bytes };
    Some(Record {
        rows: r.u64()?,
        details: r.u64()?,
        id: r.u64()?,
        value: r.u64()?,
        piece: r.u64()?,
    })
}

/// The payload's counts: events, rows section, details section.
fn counts(count: usize, rows: usize, details: usize) -> Vec<u8> {
    let mut w = Writer(Vec::with_capacity(COUNTS));
    for n in [count, rows, details] {
        w.u64(n as u64);
    }
    w.0
}

/// The cache file's bytes, header and payload, for the store `text`;
/// `None` when an event cannot be written (a string of 4 GiB or more).
#[cfg(test)]
pub(super) fn contents(key: Key, events: &[Event], facts: &Facts, text: &[u8]) -> Option<Vec<u8>> {
    Some(contents_parts(key, events, facts, text)?.concat())
}

/// [`contents`] in parts: the header, the counts, the rows, the details,
/// and the spans and records. Apart, so the sections' buffers (sized by a
/// guess) never have to grow to take the rest: a copy at their largest.
fn contents_parts(key: Key, events: &[Event], facts: &Facts, text: &[u8]) -> Option<[Vec<u8>; 5]> {
    let mut rows = Writer(Vec::with_capacity(events.len() * 96));
    let mut details = Writer(Vec::with_capacity(events.len() * 192));
    let mut tail = Writer(Vec::with_capacity(8 + events.len() * (8 + RECORD)));
    put_spans(&mut tail, events.len(), &facts.spans);
    let pieces = piece_hashes(text, facts, events.len());
    for (e, piece) in events.iter().zip(pieces) {
        put_record(
            &mut tail,
            Record::of(e, rows.0.len(), details.0.len(), piece),
        );
        put_event(&mut rows, &mut details, e)?;
    }
    let counts = counts(events.len(), rows.0.len(), details.0.len());
    let head = header(key, facts.flags(), &[&counts, &rows.0, &details.0, &tail.0]);
    Some([head, counts, rows.0, details.0, tail.0])
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

/// A payload cut into its sections: the counts, the rows, the details,
/// the spans, the records.
struct Sections<'a> {
    count: usize,
    rows: &'a [u8],
    details: &'a [u8],
    spans: Vec<usize>,
    records: &'a [u8],
}

fn sections(payload: &[u8]) -> Option<Sections<'_>> {
    let mut r = Reader { rest: payload };
    let count = r.len()?;
    let rows_len = r.len()?;
    let details_len = r.len()?;
    let rows = r.take(rows_len)?;
    let details = r.take(details_len)?;
    let spans = get_spans(&mut r, count)?;
    let records = r.take(count.checked_mul(RECORD)?)?;
    r.rest.is_empty().then_some(Sections {
        count,
        rows,
        details,
        spans,
        records,
    })
}

/// The header for a payload given in parts (the first holding the
/// counts).
fn header(key: Key, flags: u32, payload: &[&[u8]]) -> Vec<u8> {
    let mut h = Hasher::new();
    for part in payload {
        h.update(part);
    }
    let count_at = |i: usize| {
        payload
            .first()
            .and_then(|p| p.get(i * 8..i * 8 + 8))
            .map_or(0, |b| u64::from_le_bytes(b.try_into().unwrap_or([0; 8])))
    };
    let records = usize::try_from(count_at(0)).map_or(0, |c| c.saturating_mul(RECORD));
    let rows = usize::try_from(count_at(1)).map_or(0, |n| n.saturating_add(COUNTS));
    let total = payload.iter().map(|p| p.len()).sum::<usize>();
    let mut w = Writer(Vec::with_capacity(HEADER_LEN));
    w.0.extend_from_slice(&MAGIC);
    w.u32(FORMAT);
    w.u32(flags);
    for n in [
        CODE,
        key.len,
        key.hash,
        h.len(),
        h.finish(),
        hash_of_range(payload, total.saturating_sub(records), records),
        hash_of_range(payload, 0, rows),
    ] {
        w.u64(n);
    }
    w.0
}

/// The hash of `len` bytes from `start` of the concatenated `parts`
/// (fewer where they end).
fn hash_of_range(parts: &[&[u8]], mut skip: usize, mut len: usize) -> u64 {
    let mut h = Hasher::new();
    for part in parts {
        let from = skip.min(part.len());
        skip -= from;
        let to = from + len.min(part.len() - from);
        len -= to - from;
        h.update(&part[from..to]);
    }
    h.finish()
}

/// A cache file's header, when it is this build's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Head {
    flags: u32,
    /// The key of the store bytes the cache was written for.
    key: Key,
    payload_len: u64,
    payload_hash: u64,
    /// The hash of the records, the payload's last part: `add` reads them
    /// alone (see `tail::Appendable`).
    records_hash: u64,
    /// The hash of the counts and the rows section: tables read them
    /// alone (see `load::Opened::read_rows`).
    rows_hash: u64,
}

fn read_header(header: &[u8]) -> Option<Head> {
    let mut r = Reader { rest: header };
    if r.take(8)? != MAGIC || r.u32()? != FORMAT {
        return None;
    }
    let flags = r.u32()?;
    if flags & !(APPENDABLE | SPLICEABLE) != 0 || r.u64()? != CODE {
        return None;
    }
    let key = Key {
        len: r.u64()?,
        hash: r.u64()?,
    };
    Some(Head {
        flags,
        key,
        payload_len: r.u64()?,
        payload_hash: r.u64()?,
        records_hash: r.u64()?,
        rows_hash: r.u64()?,
    })
}

/// The header of the cache file at `path`, when it is this build's.
fn read_head(path: &Path) -> Option<Head> {
    let mut header = [0u8; HEADER_LEN];
    fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut header))
        .ok()?;
    read_header(&header)
}

/// Where a cache file's sections are, read without reading them: the
/// number of events, the lengths of the rows and details sections,
/// whether there is one span per event, and the records themselves. `add`
/// and loads read these first. The lengths are checked against the
/// file's, and the records against the header's hash.
struct Layout {
    count: usize,
    rows_len: usize,
    details_len: usize,
    spans_known: bool,
    records: Vec<u8>,
}

fn read_layout(file: &fs::File, head: &Head) -> Option<Layout> {
    use std::os::unix::fs::FileExt;
    let u64s = |at: u64, out: &mut [u64]| -> Option<()> {
        let mut buf = vec![0u8; out.len() * 8];
        file.read_exact_at(&mut buf, at).ok()?;
        for (n, b) in out.iter_mut().zip(buf.chunks_exact(8)) {
            *n = u64::from_le_bytes(b.try_into().ok()?);
        }
        Some(())
    };
    let file_len = file.metadata().ok()?.len();
    if file_len != HEADER_LEN as u64 + head.payload_len {
        return None;
    }
    let mut counts = [0u64; 3];
    u64s(HEADER_LEN as u64, &mut counts)?;
    let [count, rows_len, details_len] = counts;
    let spans_at = (HEADER_LEN as u64 + COUNTS as u64)
        .checked_add(rows_len)?
        .checked_add(details_len)?;
    let mut spans = [0u64];
    u64s(spans_at, &mut spans)?;
    let [spans] = spans;
    let records_len = count.checked_mul(RECORD as u64)?;
    let records_at = spans_at.checked_add(8 + spans.checked_mul(8)?)?;
    if spans != 0 && spans != count || records_at.checked_add(records_len)? != file_len {
        return None;
    }
    let mut records = vec![0u8; usize::try_from(records_len).ok()?];
    file.read_exact_at(&mut records, records_at).ok()?;
    (hash(&records) == head.records_hash).then_some(Layout {
        count: usize::try_from(count).ok()?,
        rows_len: usize::try_from(rows_len).ok()?,
        details_len: usize::try_from(details_len).ok()?,
        spans_known: spans == count,
        records,
    })
}

/// Whether a header is this build's, for this key.
fn check_header(header: &[u8], key: Key) -> Option<Head> {
    read_header(header).filter(|h| h.key == key)
}

/// The cache file's bytes when they are this build's and whole, and its
/// header; `None` on any problem.
fn read_base(path: &Path) -> Option<(Vec<u8>, Head)> {
    let bytes = fs::read(path).ok()?;
    let (header, payload) = bytes.split_at_checked(HEADER_LEN)?;
    let head = read_header(header)?;
    let count = u64::from_le_bytes(payload.get(..8)?.try_into().ok()?);
    let records = usize::try_from(count).ok()?.checked_mul(RECORD)?;
    let records = payload.get(payload.len().checked_sub(records)?..)?;
    (payload.len() as u64 == head.payload_len
        && hash(payload) == head.payload_hash
        && hash(records) == head.records_hash)
        .then_some((bytes, head))
}

/// The cache's bytes for this key (the newest the cache holds with
/// `None`), with the events a tail adds to the cache file (see `tail`)
/// joined in, and its flags; `None` on any problem. The bytes are a
/// cache file's, under a header whose key is the key asked for.
fn read_whole(path: &Path, key: Option<Key>) -> Option<(Vec<u8>, u32)> {
    // A stale cache is told by the headers, without reading the rest.
    let head = read_head(path)?;
    let tail = match key {
        Some(k) if k == head.key => None,
        Some(k) => Some(tail::read(path, head.key).filter(|t| t.key() == k)?),
        None => tail::read(path, head.key),
    };
    let (bytes, found) = read_base(path)?;
    if found != head {
        return None;
    }
    match tail {
        None => Some((bytes, head.flags)),
        Some(tail) => Some((tail.join(bytes)?, head.flags)),
    }
}

/// The cached events for this key, or `None` on any problem.
#[cfg(test)]
pub(super) fn read(path: &Path, key: Key) -> Option<Vec<Event>> {
    read_with_facts(path, key).map(|(events, _)| events)
}

/// The cached events for this key and what else the parse said, or
/// `None` on any problem.
#[cfg(test)]
pub(super) fn read_with_facts(path: &Path, key: Key) -> Option<(Vec<Event>, Facts)> {
    let (bytes, flags) = read_whole(path, Some(key))?;
    let (events, spans) = decode_with_spans(&bytes[HEADER_LEN..], Depth::Full)?;
    let facts = Facts {
        appendable: flags & APPENDABLE != 0,
        spliceable: flags & SPLICEABLE != 0,
        spans,
    };
    Some((events, facts))
}

/// The events of cache contents for this key, decoded to `depth`; `None`
/// on any problem.
pub(super) fn decode_to(bytes: &[u8], key: Key, depth: Depth) -> Option<Vec<Event>> {
    let (header, payload) = bytes.split_at_checked(HEADER_LEN)?;
    check_header(header, key)?;
    decode_with_spans(payload, depth).map(|(events, _)| events)
}

/// Whether the cache is current for this key, by its header (and the
/// tail's, see `tail`); the payloads are checked only when read.
pub(super) fn is_current(path: &Path, key: Key) -> bool {
    read_head(path).is_some_and(|head| {
        head.key == key || tail::read(path, head.key).is_some_and(|t| t.key() == key)
    })
}

/// Replaces the cache with `events` under `key` (with `facts`, what the
/// parse of those store bytes, `text`, said); gives up silently on any
/// failure. The cache gets the store's mode, owner and extended
/// attributes (as the store's own writes do), so it is as private as the
/// store.
pub(super) fn write(
    path: &Path,
    key: Key,
    events: &[Event],
    facts: &Facts,
    text: &[u8],
    store: &Path,
) {
    if let Some(parts) = contents_parts(key, events, facts, text) {
        write_parts(path, &parts.each_ref().map(Vec::as_slice), store);
    }
}

/// Replaces the cache file with the concatenation of `parts` (see
/// [`write`]).
pub(super) fn write_parts(path: &Path, parts: &[&[u8]], store: &Path) -> bool {
    let written = replace_file(path, parts, store);
    if written {
        // A tail belongs to the cache it was written after.
        tail::remove(path);
    }
    written
}

/// Replaces the file at `path` with the concatenation of `parts`, through
/// a temporary file renamed over it, with `store`'s mode, owner and
/// attributes; whether it was done.
fn replace_file(path: &Path, parts: &[&[u8]], store: &Path) -> bool {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return false;
    };
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let tmp = dir.join(format!(
        "{}.{}-{n}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let written = (|| {
        let file = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        if let Ok(meta) = fs::metadata(store) {
            keep_metadata(&file, store, &meta);
        }
        // Parts may be one per event: written through a buffer.
        let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
        for part in parts {
            out.write_all(part)?;
        }
        out.into_inner().map_err(|e| e.into_error())?;
        fs::rename(&tmp, path)
    })();
    if written.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    written.is_ok()
}

/// Deletes temporary cache files a killed process left (or an old one:
/// see `temp_is_stale`). Called by writers under the store's lock; a
/// reader's cache write in flight keeps its file.
pub(super) fn remove_stale_temp_files(path: &Path, now: Option<SystemTime>) {
    remove_stale_temps_of(path, now);
    remove_stale_temps_of(&tail::path_of(path), now);
}

fn remove_stale_temps_of(path: &Path, now: Option<SystemTime>) {
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
        if is_temp_name(&name, &candidate) && temp_is_stale(&entry.path(), &candidate, now) {
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

/// The events of a payload; `None` unless it is exactly a valid one.
#[cfg(test)]
pub(super) fn decode(payload: &[u8]) -> Option<Vec<Event>> {
    decode_with_spans(payload, Depth::Full).map(|(events, _)| events)
}

/// The events of a payload and their spans; `None` unless it is exactly
/// a valid one.
fn decode_with_spans(payload: &[u8], depth: Depth) -> Option<(Vec<Event>, Vec<usize>)> {
    let s = sections(payload)?;
    let mut events = Vec::with_capacity(s.count.min(s.rows.len() / MIN_ROW));
    decode_events(s.rows, s.details, s.count, depth, &mut events)?;
    Some((events, s.spans))
}

/// A row part takes this many bytes at least: never trust a count of
/// events beyond the rows section's length over it.
const MIN_ROW: usize = 10;

/// Appends the `count` events of a rows and a details section, decoded
/// to `depth`, to `events`; `None` unless the sections are exactly that
/// many.
fn decode_events(
    rows: &[u8],
    details: &[u8],
    count: usize,
    depth: Depth,
    events: &mut Vec<Event>,
) -> Option<()> {
    let (mut rows, mut details) = (Fields::unchecked(rows), Fields::unchecked(details));
    for _ in 0..count {
        events.push(get_event(&mut rows, &mut details, depth)?);
    }
    (rows.remaining() == 0 && details.remaining() == 0).then_some(())
}
