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
//! then the payload: the number of events (u64), the length of the
//! events section (u64), each event field by field (strings as a u32
//! length and UTF-8 bytes; see `codec::put_event`), then the spans: their
//! number (u64; 0 when unknown, else one per event) and the byte offset in
//! the store of each event's `[[event]]` header (u64 each), then one
//! 32-byte record per event ([`RECORD`]): where its encoding starts in
//! the events section and the hashes of its id, its value and its text.
//! `done`, `rm` and `modify` find an event's text by the spans; `add`
//! decodes only the events whose id or value an incoming event has; a
//! store edited by hand takes the events whose text did not change from
//! the cache written before the edit (see `pieces`), whatever key it has.
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

use std::collections::HashMap;
use std::fs::{self, OpenOptions};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

pub(super) use super::codec::Depth;
use super::codec::{get_event, put_event, Reader, Writer};
pub(super) use super::hash::{hash, Hasher};
use super::write::{keep_metadata, temp_is_stale};
use crate::events::Event;

const MAGIC: [u8; 8] = *b"TLCACHE\0";

/// The layout version: bump it when the layout changes.
const FORMAT: u32 = 6;

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
    let h = fnv1a(h, include_str!("codec.rs").as_bytes());
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

/// Each event's record, after the spans: where its encoding starts in
/// the events section, the hash of its id, of its value, and of its text
/// in the store (see [`piece_hash`]; 0 when not known). `add` decodes only
/// the stored events whose id or value an incoming event has, and a store
/// edited by hand reuses the events whose text is unchanged (`pieces`).
const RECORD: usize = 32;

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

fn put_record(w: &mut Writer, at: usize, e: &Event, piece: u64) {
    for n in [
        at as u64,
        hash(e.id.as_bytes()),
        hash(e.value.as_bytes()),
        piece,
    ] {
        w.u64(n);
    }
}

/// Record `i`: offset, id hash, value hash, piece hash.
fn record(records: &[u8], i: usize) -> Option<[u64; 4]> {
    let bytes = records.get(i.checked_mul(RECORD)?..)?.get(..RECORD)?;
    let mut out = [0u64; 4];
    for (n, b) in out.iter_mut().zip(bytes.chunks_exact(8)) {
        *n = u64::from_le_bytes(b.try_into().ok()?);
    }
    Some(out)
}

/// The cache file's bytes, header and payload, for the store `text`;
/// `None` when an event cannot be written (a string of 4 GiB or more).
#[cfg(test)]
pub(super) fn contents(key: Key, events: &[Event], facts: &Facts, text: &[u8]) -> Option<Vec<u8>> {
    Some(contents_parts(key, events, facts, text)?.concat())
}

/// [`contents`] in parts: the header, the counts, the events, and the
/// spans and records. Apart, so the events' buffer (sized by a guess)
/// never has to grow to take the rest: a copy of it at its largest.
fn contents_parts(key: Key, events: &[Event], facts: &Facts, text: &[u8]) -> Option<[Vec<u8>; 4]> {
    let mut w = Writer(Vec::with_capacity(events.len() * 256));
    let mut tail = Writer(Vec::with_capacity(8 + events.len() * (8 + RECORD)));
    put_spans(&mut tail, events.len(), &facts.spans);
    let pieces = piece_hashes(text, facts, events.len());
    for (e, piece) in events.iter().zip(pieces) {
        put_record(&mut tail, w.0.len(), e, piece);
        put_event(&mut w, e)?;
    }
    let mut counts = Writer(Vec::with_capacity(16));
    counts.u64(events.len() as u64);
    counts.u64(w.0.len() as u64);
    let head = header(key, facts.flags(), &[&counts.0, &w.0, &tail.0]);
    Some([head, counts.0, w.0, tail.0])
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

/// A payload cut into its sections: the number of events (u64), the
/// length of the events section (u64), the events, the spans, the records.
struct Sections<'a> {
    count: usize,
    events: &'a [u8],
    spans: Vec<usize>,
    records: &'a [u8],
}

fn sections(payload: &[u8]) -> Option<Sections<'_>> {
    let mut r = Reader { rest: payload };
    let count = r.len()?;
    let events_len = r.len()?;
    let events = r.take(events_len)?;
    let spans = get_spans(&mut r, count)?;
    let records = r.take(count.checked_mul(RECORD)?)?;
    r.rest.is_empty().then_some(Sections {
        count,
        events,
        spans,
        records,
    })
}

/// The header for a payload given in parts.
fn header(key: Key, flags: u32, payload: &[&[u8]]) -> Vec<u8> {
    let mut h = Hasher::new();
    for part in payload {
        h.update(part);
    }
    let mut w = Writer(Vec::with_capacity(HEADER_LEN));
    w.0.extend_from_slice(&MAGIC);
    w.u32(FORMAT);
    w.u32(flags);
    for n in [CODE, key.len, key.hash, h.len(), h.finish()] {
        w.u64(n);
    }
    w.0
}

/// A header of this build's: its flags, the key of the store it was
/// written for, and the payload's length and hash.
fn read_header(header: &[u8]) -> Option<(u32, Key, u64, u64)> {
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
    Some((flags, key, r.u64()?, r.u64()?))
}

/// Whether a header is this build's, for this key; its flags, and the
/// payload's length and hash, when it is.
fn check_header(header: &[u8], key: Key) -> Option<(u32, u64, u64)> {
    let (flags, found, len, payload_hash) = read_header(header)?;
    (found == key).then_some((flags, len, payload_hash))
}

/// The cache file's bytes when they are this build's and whole, for
/// this key (any key with `None`), and its flags; `None` on any problem.
fn read_whole(path: &Path, key: Option<Key>) -> Option<(Vec<u8>, u32)> {
    // A stale cache is told by its header, without reading the rest.
    if key.is_some_and(|k| !is_current(path, k)) {
        return None;
    }
    let bytes = fs::read(path).ok()?;
    let (header, payload) = bytes.split_at_checked(HEADER_LEN)?;
    let (flags, found, len, payload_hash) = read_header(header)?;
    if key.is_some_and(|k| k != found)
        || payload.len() as u64 != len
        || hash(payload) != payload_hash
    {
        return None;
    }
    Some((bytes, flags))
}

/// The cache file's bytes when they are current for this key, and
/// its flags; `None` on any problem.
fn read_checked(path: &Path, key: Key) -> Option<(Vec<u8>, u32)> {
    read_whole(path, Some(key))
}

/// The cached events for this key, or `None` on any problem.
#[cfg(test)]
pub(super) fn read(path: &Path, key: Key) -> Option<Vec<Event>> {
    read_with_facts(path, key).map(|(events, _)| events)
}

/// The cached events decoded to `depth` and the key of the store bytes
/// they were read from, when those were `len` bytes long: read while the
/// store is hashed, and used when their key is the store's. `None` on any
/// problem.
pub(super) fn read_unkeyed(path: &Path, len: u64, depth: Depth) -> Option<(Key, Vec<Event>)> {
    let mut header = [0u8; HEADER_LEN];
    fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut header))
        .ok()?;
    let (_, key, _, _) = read_header(&header)?;
    if key.len != len {
        return None;
    }
    let (bytes, _) = read_whole(path, Some(key))?;
    decode_with_spans(&bytes[HEADER_LEN..], depth).map(|(events, _)| (key, events))
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

/// A cache read whatever store bytes it was written for: a store edited
/// by hand since takes from it the events whose text did not change
/// (see `pieces::refresh`), as their encoded bytes.
pub(super) struct Earlier {
    bytes: Vec<u8>,
    count: usize,
    /// Where the events section and the records are in `bytes`.
    events: std::ops::Range<usize>,
    records: std::ops::Range<usize>,
}

/// The cache at `path` when it is this build's and whole, whatever its
/// key; `None` on any problem.
pub(super) fn read_earlier(path: &Path) -> Option<Earlier> {
    let (bytes, _) = read_whole(path, None)?;
    let s = sections(&bytes[HEADER_LEN..])?;
    let events = HEADER_LEN + 16..HEADER_LEN + 16 + s.events.len();
    let records = bytes.len() - s.records.len()..bytes.len();
    let earlier = Earlier {
        count: s.count,
        bytes,
        events,
        records,
    };
    // An event's bytes run from its offset to the next one's: the
    // offsets must start the section and rise through it.
    let mut next = 0;
    for i in 0..earlier.count {
        let at = usize::try_from(earlier.record(i)?[0]).ok()?;
        if at != next && (i == 0 || at < next) || at >= earlier.events.len() {
            return None;
        }
        next = at + 1;
    }
    Some(earlier)
}

impl Earlier {
    fn record(&self, i: usize) -> Option<[u64; 4]> {
        record(&self.bytes[self.records.clone()], i)
    }

    /// Each event with a known text hash, by that hash.
    pub(super) fn by_piece(&self) -> HashMap<u64, usize> {
        (0..self.count)
            .filter_map(|i| Some((self.record(i)?[3], i)))
            .filter(|&(h, _)| h != 0)
            .collect()
    }

    /// The hash of event `i`'s id.
    pub(super) fn id_hash(&self, i: usize) -> Option<u64> {
        Some(self.record(i)?[1])
    }

    /// Event `i`'s encoding.
    fn event(&self, i: usize) -> Option<&[u8]> {
        let start = usize::try_from(self.record(i)?[0]).ok()?;
        let end = match self.record(i + 1) {
            Some(r) => usize::try_from(r[0]).ok()?,
            None => self.events.len(),
        };
        self.bytes[self.events.clone()].get(start..end)
    }
}

/// An event of a store read again after a hand edit: the earlier cache's
/// event `i`, or one parsed from the new text.
pub(super) enum Found {
    Earlier(usize),
    /// Boxed: most events of a large store are the earlier cache's, and
    /// a list of unboxed ones would take an event's size for each.
    New(Box<Event>),
}

/// [`contents`] for a store whose events are `found`, each with the hash
/// of its text in `pieces` (see [`piece_hash`]): the earlier cache's
/// events are copied as they are encoded there, not decoded.
pub(super) fn contents_with(
    key: Key,
    found: &[Found],
    pieces: &[u64],
    earlier: &Earlier,
    facts: &Facts,
) -> Option<Vec<u8>> {
    let mut w = Writer(Vec::with_capacity(earlier.bytes.len() + 4096));
    w.0.resize(HEADER_LEN + 16, 0);
    let start = w.0.len();
    let mut records = Writer(Vec::with_capacity(found.len() * RECORD));
    for (f, &piece) in found.iter().zip(pieces) {
        let at = w.0.len() - start;
        match f {
            Found::Earlier(i) => {
                let r = earlier.record(*i)?;
                w.0.extend_from_slice(earlier.event(*i)?);
                for n in [at as u64, r[1], r[2], piece] {
                    records.u64(n);
                }
            }
            Found::New(e) => {
                put_event(&mut w, e)?;
                put_record(&mut records, at, e, piece);
            }
        }
    }
    let events_len = (w.0.len() - start) as u64;
    w.0[HEADER_LEN..HEADER_LEN + 8].copy_from_slice(&(found.len() as u64).to_le_bytes());
    w.0[HEADER_LEN + 8..start].copy_from_slice(&events_len.to_le_bytes());
    put_spans(&mut w, found.len(), &facts.spans);
    w.0.extend_from_slice(&records.0);
    let mut bytes = w.0;
    let head = header(key, facts.flags(), &[&bytes[HEADER_LEN..]]);
    bytes[..HEADER_LEN].copy_from_slice(&head);
    Some(bytes)
}

/// The events of cache contents for this key, decoded to `depth`; `None`
/// on any problem.
pub(super) fn decode_to(bytes: &[u8], key: Key, depth: Depth) -> Option<Vec<Event>> {
    let (header, payload) = bytes.split_at_checked(HEADER_LEN)?;
    check_header(header, key)?;
    decode_with_spans(payload, depth).map(|(events, _)| events)
}

/// A current cache of an appendable store, for adding new events to it
/// without a parse: the stored events are looked up by their records and
/// decoded only when an incoming event may match them (decoding them all
/// would cost as much as the rest of an add).
pub(super) struct Appendable {
    /// The cache file's bytes.
    bytes: Vec<u8>,
    flags: u32,
    count: usize,
    /// Where the events section and the records are in `bytes`.
    events: std::ops::Range<usize>,
    records: std::ops::Range<usize>,
    spans: Vec<usize>,
}

/// The cache for this key when it is current and the store appendable;
/// `None` when it is not, or on any problem.
pub(super) fn read_appendable(path: &Path, key: Key) -> Option<Appendable> {
    let (bytes, flags) = read_checked(path, key)?;
    if flags & APPENDABLE == 0 {
        return None;
    }
    let s = sections(&bytes[HEADER_LEN..])?;
    let events = HEADER_LEN + 16..HEADER_LEN + 16 + s.events.len();
    let records = bytes.len() - s.records.len()..bytes.len();
    let (count, spans) = (s.count, s.spans);
    Some(Appendable {
        bytes,
        flags,
        count,
        events,
        records,
        spans,
    })
}

impl Appendable {
    /// The stored events whose id or value hashes to one of these, in
    /// the store's order, decoded to [`Depth::Identity`]: the only ones
    /// `merge::plan` can find an incoming event among. `None` when the
    /// cache does not say what its records say.
    pub(super) fn matching(
        &self,
        ids: &std::collections::HashSet<u64>,
        values: &std::collections::HashSet<u64>,
    ) -> Option<Vec<Event>> {
        let events = &self.bytes[self.events.clone()];
        let records = &self.bytes[self.records.clone()];
        let mut found = Vec::new();
        for i in 0..self.count {
            let [at, id, value, _] = record(records, i)?;
            if !ids.contains(&id) && !values.contains(&value) {
                continue;
            }
            let mut r = Reader {
                rest: events.get(usize::try_from(at).ok()?..)?,
            };
            let e = get_event(&mut r, Depth::Identity)?;
            if hash(e.id.as_bytes()) != id || hash(e.value.as_bytes()) != value {
                return None;
            }
            found.push(e);
        }
        Some(found)
    }
}

/// Writes the cache of a store that was `from`'s and now has `added`
/// appended, under the new store `text`'s `key`: the old payload's
/// sections are kept as they are and the new events written after each,
/// their headers at `added_spans` (when known). Best effort, as [`write`].
pub(super) fn write_appended(
    path: &Path,
    from: Appendable,
    added: &[Event],
    added_spans: Option<&[usize]>,
    text: &[u8],
    key: Key,
    store: &Path,
) {
    let count = from.count + added.len();
    let mut spans = from.spans;
    match added_spans {
        Some(new) if spans.len() == from.count => spans.extend_from_slice(new),
        _ => spans.clear(),
    }
    let facts = Facts {
        appendable: from.flags & APPENDABLE != 0,
        spliceable: from.flags & SPLICEABLE != 0,
        spans,
    };
    let old_events = &from.bytes[from.events.clone()];
    let mut new_events = Writer(Vec::new());
    let mut new_records = Writer(Vec::new());
    for (i, e) in added.iter().enumerate() {
        let at = old_events.len() + new_events.0.len();
        if put_event(&mut new_events, e).is_none() {
            return;
        }
        put_record(
            &mut new_records,
            at,
            e,
            piece_hash(text, &facts, from.count + i),
        );
    }
    // The last old event's text now ends at the first new header.
    let mut old_records = from.bytes[from.records.clone()].to_vec();
    if let Some(last) = from.count.checked_sub(1) {
        let piece = piece_hash(text, &facts, last).to_le_bytes();
        old_records[last * RECORD + 24..(last + 1) * RECORD].copy_from_slice(&piece);
    }
    let mut counts = Writer(Vec::with_capacity(16));
    counts.u64(count as u64);
    counts.u64((old_events.len() + new_events.0.len()) as u64);
    let mut spans = Writer(Vec::new());
    put_spans(&mut spans, count, &facts.spans);
    let payload = [
        counts.0.as_slice(),
        old_events,
        &new_events.0,
        &spans.0,
        &old_records,
        &new_records.0,
    ];
    let head = header(key, facts.flags(), &payload);
    let mut parts = vec![head.as_slice()];
    parts.extend(payload);
    write_parts(path, &parts, store);
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
pub(super) fn write_parts(path: &Path, parts: &[&[u8]], store: &Path) {
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
        for part in parts {
            file.write_all(part)?;
        }
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

/// The events of a payload; `None` unless it is exactly a valid one.
#[cfg(test)]
pub(super) fn decode(payload: &[u8]) -> Option<Vec<Event>> {
    decode_with_spans(payload, Depth::Full).map(|(events, _)| events)
}

/// The events of a payload and their spans; `None` unless it is exactly
/// a valid one.
fn decode_with_spans(payload: &[u8], depth: Depth) -> Option<(Vec<Event>, Vec<usize>)> {
    let s = sections(payload)?;
    let mut r = Reader { rest: s.events };
    // Each event takes more than 32 bytes: never trust a count beyond that.
    let mut events = Vec::with_capacity(s.count.min(s.events.len() / 32));
    for _ in 0..s.count {
        events.push(get_event(&mut r, depth)?);
    }
    r.rest.is_empty().then_some((events, s.spans))
}
