//! The read cache's tail: the events `add` appended to the store since
//! the cache file was written, in a small file of their own beside it,
//! `.<store>.cache.tail`.
//!
//! Rewriting the cache for each `add` would write all of a large store's
//! events again (23 MB for 100,000). The tail holds only the new ones,
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
//! out as the cache's: the counts, the rows and the details sections,
//! the spans, the records (their offsets counted from the start of the
//! tail's own sections).

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
    /// The rows and the details sections, encoded as in the cache.
    rows: Vec<u8>,
    details: Vec<u8>,
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
        rows: s.rows.to_vec(),
        details: s.details.to_vec(),
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

    /// The rows section, encoded as in the cache.
    pub(super) fn rows(&self) -> &[u8] {
        &self.rows
    }

    /// The details section, encoded as in the cache.
    pub(super) fn details(&self) -> &[u8] {
        &self.details
    }

    /// Appends the tail's events, decoded to `depth`, to `events`.
    pub(super) fn decode_into(&self, events: &mut Vec<Event>, depth: Depth) -> Option<()> {
        decode_events(&self.rows, &self.details, self.count, depth, events)
    }

    /// The cache file `base` (whole and checked) with this tail's events
    /// after its own: the bytes a cache written for the tail's key would
    /// have, but for the last base event's text hash (see
    /// [`write_appended`]).
    pub(super) fn join(self, mut base: Vec<u8>) -> Option<Vec<u8>> {
        let head = read_header(base.get(..HEADER_LEN)?)?;
        let s = sections(base.get(HEADER_LEN..)?)?;
        let (count, rows_len, details_len) = (s.count, s.rows.len(), s.details.len());
        let spans = joined_spans(&s.spans, count, &self.spans, self.count);
        let records = s.records.to_vec();
        let details = s.details.to_vec();
        let total = count + self.count;
        // The base's rows stay where they are, after the counts.
        base.truncate(HEADER_LEN + COUNTS + rows_len);
        base[HEADER_LEN..HEADER_LEN + COUNTS].copy_from_slice(&counts(
            total,
            rows_len + self.rows.len(),
            details_len + self.details.len(),
        ));
        base.extend_from_slice(&self.rows);
        base.extend_from_slice(&details);
        base.extend_from_slice(&self.details);
        let mut w = Writer(base);
        put_spans(&mut w, total, &spans);
        w.0.extend_from_slice(&records);
        shifted_records(&mut w, &self.records, self.count, (rows_len, details_len))?;
        let mut bytes = w.0;
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

/// Writes `count` records with their offsets in the rows and the
/// details sections moved by `by`.
fn shifted_records(w: &mut Writer, records: &[u8], count: usize, by: (usize, usize)) -> Option<()> {
    for i in 0..count {
        let r = record(records, i)?;
        put_record(
            w,
            Record {
                rows: r.rows.checked_add(by.0 as u64)?,
                details: r.details.checked_add(by.1 as u64)?,
                ..r
            },
        );
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
    rows_len: usize,
    details_len: usize,
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
        rows_len: layout.rows_len,
        details_len: layout.details_len,
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
        let wanted = |r: &Record| ids.contains(&r.id) || values.contains(&r.value);
        let mut found = Vec::new();
        let (mut row, mut detail) = (Vec::new(), Vec::new());
        let rows_at = HEADER_LEN as u64 + COUNTS as u64;
        let details_at = rows_at + self.rows_len as u64;
        for i in 0..self.count {
            let r = record(&self.records, i)?;
            if !wanted(&r) {
                continue;
            }
            let (rows_end, details_end) = match record(&self.records, i + 1) {
                Some(next) => (next.rows, next.details),
                None => (self.rows_len as u64, self.details_len as u64),
            };
            let read = |buf: &mut Vec<u8>, at: u64, end: u64, base: u64| {
                buf.resize(usize::try_from(end.checked_sub(at)?).ok()?, 0);
                self.file.read_exact_at(buf, base.checked_add(at)?).ok()
            };
            read(&mut row, r.rows, rows_end, rows_at)?;
            read(&mut detail, r.details, details_end, details_at)?;
            found.push(checked_event((&row, &detail), &r)?);
        }
        if let Some(tail) = &self.tail {
            for i in 0..tail.count {
                let r = record(&tail.records, i)?;
                if wanted(&r) {
                    let (rows_at, details_at) = r.at()?;
                    let parts = (tail.rows.get(rows_at..)?, tail.details.get(details_at..)?);
                    found.push(checked_event(parts, &r)?);
                }
            }
        }
        Some(found)
    }
}

/// The event whose parts start `row` and `detail`, when its id and value
/// hash as its record says.
fn checked_event((row, detail): (&[u8], &[u8]), r: &Record) -> Option<Event> {
    let (mut rows, mut details) = (Fields::unchecked(row), Fields::unchecked(detail));
    let e = get_event(&mut rows, &mut details, Depth::Identity)?;
    (hash(e.id.as_bytes()) == r.id && hash(e.value.as_bytes()) == r.value).then_some(e)
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
        rows: Vec::new(),
        details: Vec::new(),
        spans: Vec::new(),
        records: Vec::new(),
    });
    let spans_known =
        from.spans_known && tail.spans.len() == tail.count && facts.spans.len() == added.len();
    for (i, e) in added.iter().enumerate() {
        let mut rows = Writer(std::mem::take(&mut tail.rows));
        let mut details = Writer(std::mem::take(&mut tail.details));
        let (rows_at, details_at) = (rows.0.len(), details.0.len());
        if put_event(&mut rows, &mut details, e).is_none() {
            return;
        }
        (tail.rows, tail.details) = (rows.0, details.0);
        let mut r = Writer(std::mem::take(&mut tail.records));
        let piece = piece_hash(text, &facts, i);
        put_record(&mut r, Record::of(e, rows_at, details_at, piece));
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
    if tail.count > MAX_EVENTS || tail.rows.len() + tail.details.len() > MAX_BYTES {
        return compact(path, from.head.key, tail, store);
    }
    let mut payload = Writer(counts(tail.count, tail.rows.len(), tail.details.len()));
    payload.0.extend_from_slice(&tail.rows);
    payload.0.extend_from_slice(&tail.details);
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
