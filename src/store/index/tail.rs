//! The read cache's tail: the events `add` appended to the store since
//! the cache file was written, in a small file of their own beside it,
//! `.<store>.cache.tail`.
//!
//! Rewriting the cache for each `add` would write all of a large store's
//! events again (27 MB for 100,000). The tail holds only the new ones,
//! under the key of the cache it extends and the key of the store bytes
//! both describe together. Readers join the two (see `read_whole`), so to
//! them it is one cache for the new key. When the tail grows past
//! [`MAX_EVENTS`] or [`MAX_BYTES`], the next `add` writes the whole cache
//! again, and any whole write removes the tail. Like the cache, the tail
//! is derived: a missing, torn or stale one is only a miss.
//!
//! Layout, little-endian: magic `TLCTAIL\0`, `FORMAT` (u32), 0 (u32),
//! `CODE` (u64), the cache's key and the store's key (length and hash,
//! u64 each), the payload's length and hash (u64), then the payload laid
//! out as the cache's: the number of events, the length of the events
//! section, the events, the spans, the records (their offsets counted
//! from the start of the tail's own events section).

use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::PathBuf;

use super::*;

const TAIL_MAGIC: [u8; 8] = *b"TLCTAIL\0";
const TAIL_HEADER_LEN: usize = 72;

/// A tail longer than this is folded into the cache by the next `add`.
const MAX_EVENTS: usize = 4096;
const MAX_BYTES: usize = 4 << 20;

/// The tail file of the cache at `cache`.
pub(super) fn path_of(cache: &Path) -> PathBuf {
    let mut s = cache.as_os_str().to_owned();
    s.push(".tail");
    PathBuf::from(s)
}

/// Removes the tail of the cache at `cache`, if any.
pub(super) fn remove(cache: &Path) {
    let _ = fs::remove_file(path_of(cache));
}

/// Events appended after those of a cache.
pub(super) struct Tail {
    /// The key of the store the cache and this tail describe together.
    key: Key,
    count: usize,
    /// The events section, encoded as in the cache.
    events: Vec<u8>,
    /// The `[[event]]` headers' offsets in the store, one per event, or
    /// none when not known.
    spans: Vec<usize>,
    records: Vec<u8>,
}

/// The tail of the cache at `cache` when it extends the cache whose
/// store key is `base`, and is this build's and whole; `None` otherwise.
pub(super) fn read(cache: &Path, base: Key) -> Option<Tail> {
    let bytes = fs::read(path_of(cache)).ok()?;
    let (header, payload) = bytes.split_at_checked(TAIL_HEADER_LEN)?;
    let mut r = Reader { rest: header };
    if r.take(8)? != TAIL_MAGIC || r.u32()? != FORMAT || r.u32()? != 0 || r.u64()? != CODE {
        return None;
    }
    let mut key = || {
        Some(Key {
            len: r.u64()?,
            hash: r.u64()?,
        })
    };
    let (extends, key) = (key()?, key()?);
    let (len, payload_hash) = (r.u64()?, r.u64()?);
    if extends != base || payload.len() as u64 != len || hash(payload) != payload_hash {
        return None;
    }
    let s = sections(payload)?;
    Some(Tail {
        key,
        count: s.count,
        events: s.events.to_vec(),
        spans: s.spans,
        records: s.records.to_vec(),
    })
}

impl Tail {
    pub(super) fn key(&self) -> Key {
        self.key
    }

    pub(super) fn count(&self) -> usize {
        self.count
    }

    /// The events section, encoded as in the cache.
    pub(super) fn events(&self) -> &[u8] {
        &self.events
    }

    /// Appends the tail's events, decoded to `depth`, to `events`.
    pub(super) fn decode_into(&self, events: &mut Vec<Event>, depth: Depth) -> Option<()> {
        let mut r = Reader { rest: &self.events };
        for _ in 0..self.count {
            events.push(get_event(&mut r, depth)?);
        }
        r.rest.is_empty().then_some(())
    }

    /// The cache file `base` (whole and checked) with this tail's events
    /// after its own: the bytes a cache written for the tail's key would
    /// have, but for the last base event's text hash (see
    /// [`write_appended`]).
    pub(super) fn join(self, mut base: Vec<u8>) -> Option<Vec<u8>> {
        let head = read_header(base.get(..HEADER_LEN)?)?;
        let s = sections(base.get(HEADER_LEN..)?)?;
        let (count, events_len) = (s.count, s.events.len());
        let spans = joined_spans(&s.spans, count, &self.spans, self.count);
        let records = s.records.to_vec();
        base.truncate(HEADER_LEN + 16 + events_len);
        base.extend_from_slice(&self.events);
        let mut w = Writer(base);
        let total = count + self.count;
        put_spans(&mut w, total, &spans);
        w.0.extend_from_slice(&records);
        shifted_records(&mut w, &self.records, self.count, events_len)?;
        let mut bytes = w.0;
        bytes[HEADER_LEN..HEADER_LEN + 8].copy_from_slice(&(total as u64).to_le_bytes());
        let all_events = (events_len + self.events.len()) as u64;
        bytes[HEADER_LEN + 8..HEADER_LEN + 16].copy_from_slice(&all_events.to_le_bytes());
        let new_head = header(self.key, head.flags, &[&bytes[HEADER_LEN..]]);
        bytes[..HEADER_LEN].copy_from_slice(&new_head);
        Some(bytes)
    }
}

/// The spans of `a` events then `b` events, when both are known.
fn joined_spans(a: &[usize], a_count: usize, b: &[usize], b_count: usize) -> Vec<usize> {
    if a.len() == a_count && b.len() == b_count {
        a.iter().chain(b).copied().collect()
    } else {
        Vec::new()
    }
}

/// Writes `count` records with their event offsets moved by `by`.
fn shifted_records(w: &mut Writer, records: &[u8], count: usize, by: usize) -> Option<()> {
    for i in 0..count {
        let [at, id, value, piece] = record(records, i)?;
        for n in [at.checked_add(by as u64)?, id, value, piece] {
            w.u64(n);
        }
    }
    Some(())
}

/// A current cache of an appendable store, read for adding new events
/// without a parse: only the header, the records and the tail are read,
/// and a stored event is decoded only when an incoming one may match it
/// (reading the whole cache would cost as much as the rest of an add).
pub(in crate::store) struct Appendable {
    file: File,
    head: Head,
    count: usize,
    events_len: usize,
    /// Whether the cache has one span per event.
    spans_known: bool,
    records: Vec<u8>,
    tail: Option<Tail>,
}

/// The cache for the store key `key` when it is current and the store
/// appendable; `None` when it is not, or on any problem.
pub(in crate::store) fn read_appendable(path: &Path, key: Key) -> Option<Appendable> {
    let file = File::open(path).ok()?;
    let mut header = [0u8; HEADER_LEN];
    file.read_exact_at(&mut header, 0).ok()?;
    let head = read_header(&header)?;
    if head.flags & APPENDABLE == 0 {
        return None;
    }
    let tail = match head.key == key {
        true => None,
        false => Some(read(path, head.key).filter(|t| t.key == key)?),
    };
    let layout = read_layout(&file, &head)?;
    Some(Appendable {
        file,
        head,
        count: layout.count,
        events_len: layout.events_len,
        spans_known: layout.spans_known,
        records: layout.records,
        tail,
    })
}

impl Appendable {
    /// The stored events whose id or value hashes to one of these, in
    /// the store's order, decoded to [`Depth::Identity`]: the only ones
    /// `merge::plan` can find an incoming event among. `None` when the
    /// cache does not say what its records say.
    pub(in crate::store) fn matching(
        &self,
        ids: &std::collections::HashSet<u64>,
        values: &std::collections::HashSet<u64>,
    ) -> Option<Vec<Event>> {
        let wanted = |id: u64, value: u64| ids.contains(&id) || values.contains(&value);
        let mut found = Vec::new();
        let mut buf = Vec::new();
        for i in 0..self.count {
            let [at, id, value, _] = record(&self.records, i)?;
            if !wanted(id, value) {
                continue;
            }
            let end = match record(&self.records, i + 1) {
                Some(next) => next[0],
                None => self.events_len as u64,
            };
            buf.resize(usize::try_from(end.checked_sub(at)?).ok()?, 0);
            let offset = (HEADER_LEN as u64 + 16).checked_add(at)?;
            self.file.read_exact_at(&mut buf, offset).ok()?;
            found.push(checked_event(&buf, id, value)?);
        }
        if let Some(tail) = &self.tail {
            for i in 0..tail.count {
                let [at, id, value, _] = record(&tail.records, i)?;
                if wanted(id, value) {
                    let bytes = tail.events.get(usize::try_from(at).ok()?..)?;
                    found.push(checked_event(bytes, id, value)?);
                }
            }
        }
        Some(found)
    }
}

/// The event encoded at the start of `bytes`, when its id and value hash
/// as its record says.
fn checked_event(bytes: &[u8], id: u64, value: u64) -> Option<Event> {
    let e = get_event(&mut Reader { rest: bytes }, Depth::Identity)?;
    (hash(e.id.as_bytes()) == id && hash(e.value.as_bytes()) == value).then_some(e)
}

/// Records that the store whose cache `from` is now has `added` appended
/// as `text`, which starts at byte `at` of the store, its headers at
/// `added_spans` (when known), and has the key `key`: the events go to
/// the tail, or, once it is long, the whole cache is written again. Best
/// effort, as [`write`].
///
/// The text hash of the event that was last before (see `piece_hash`)
/// is left as it was, though its text now ends at the first new header:
/// a hash that no longer matches only costs that event a parse when the
/// store is next read after a hand edit.
#[allow(clippy::too_many_arguments)]
pub(in crate::store) fn write_appended(
    path: &Path,
    from: Appendable,
    added: &[Event],
    added_spans: Option<&[usize]>,
    text: &[u8],
    at: usize,
    key: Key,
    store: &Path,
) {
    let facts = Facts {
        appendable: true,
        spliceable: from.head.flags & SPLICEABLE != 0,
        spans: added_spans.map_or_else(Vec::new, |s| s.iter().map(|&s| s - at).collect()),
    };
    let mut tail = from.tail.unwrap_or(Tail {
        key,
        count: 0,
        events: Vec::new(),
        spans: Vec::new(),
        records: Vec::new(),
    });
    let spans_known =
        from.spans_known && tail.spans.len() == tail.count && facts.spans.len() == added.len();
    for (i, e) in added.iter().enumerate() {
        let mut w = Writer(std::mem::take(&mut tail.events));
        let start = w.0.len();
        if put_event(&mut w, e).is_none() {
            return;
        }
        tail.events = w.0;
        let mut r = Writer(std::mem::take(&mut tail.records));
        put_record(&mut r, start, e, piece_hash(text, &facts, i));
        tail.records = r.0;
    }
    tail.spans = if spans_known {
        tail.spans.extend(facts.spans.iter().map(|s| s + at));
        tail.spans
    } else {
        Vec::new()
    };
    tail.count += added.len();
    tail.key = key;
    if tail.count > MAX_EVENTS || tail.events.len() > MAX_BYTES {
        return compact(path, from.head.key, tail, store);
    }
    let mut payload = Writer(Vec::with_capacity(
        16 + tail.events.len() + tail.records.len(),
    ));
    payload.u64(tail.count as u64);
    payload.u64(tail.events.len() as u64);
    payload.0.extend_from_slice(&tail.events);
    put_spans(&mut payload, tail.count, &tail.spans);
    payload.0.extend_from_slice(&tail.records);
    let mut w = Writer(Vec::with_capacity(TAIL_HEADER_LEN));
    w.0.extend_from_slice(&TAIL_MAGIC);
    w.u32(FORMAT);
    w.u32(0);
    let extends = from.head.key;
    for n in [CODE, extends.len, extends.hash, key.len, key.hash] {
        w.u64(n);
    }
    w.u64(payload.0.len() as u64);
    w.u64(hash(&payload.0));
    replace_file(&path_of(path), &[&w.0, &payload.0], store);
}

/// Writes the whole cache for a long tail: the cache whose store key is
/// `extends` joined with `tail` (which holds all the events after it).
fn compact(path: &Path, extends: Key, tail: Tail, store: &Path) {
    match read_base(path) {
        Some((base, head)) if head.key == extends => {
            if let Some(joined) = tail.join(base) {
                write_parts(path, &[&joined], store);
            }
        }
        _ => remove(path),
    }
}
