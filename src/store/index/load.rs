//! The cache read for a load: events decoded as the file is read, never
//! held whole. A load of 100,000 events keeps their records (3 MB) and
//! one event's bytes at a time beside the events, not the cache's 27 MB;
//! the payload is hashed as it streams past and the events are used only
//! when the hash is the header's.
//!
//! Tables, and the iCalendar export, read it whole instead
//! ([`Found::read_whole`]): their rows borrow their text from its bytes,
//! which take less room than the same events decoded, and no time to
//! allocate and free.

use std::fs::File;
use std::io::{BufReader, Read};

use super::*;
use crate::events::Row;
use crate::store::codec::{get_event_ref, get_row};
use crate::store::event_ref::EventRef;

/// The cached events decoded to `depth` and the key of the store bytes
/// they were read from, when those were `len` bytes long (the cache with
/// its tail, see `tail`): read while the store is hashed, and used when
/// their key is the store's. `None` on any problem.
pub(in crate::store) fn read_unkeyed(
    path: &Path,
    len: u64,
    depth: Depth,
) -> Option<(Key, Vec<Event>)> {
    found_for(path, len)?.decode(path, depth)
}

/// A cache file's header and tail, read before the rest: they say
/// whether it can be current for the store at all.
pub(in crate::store) struct Found {
    head: Head,
    tail: Option<tail::Tail>,
}

/// The header and tail of the cache at `path` when they were written for
/// store bytes `len` bytes long (the cache with its tail, see `tail`);
/// `None` when not, or on any problem. Told by lengths alone: a store of
/// another length need not be hashed to know its cache is stale.
pub(in crate::store) fn found_for(path: &Path, len: u64) -> Option<Found> {
    let head = read_head(path)?;
    let tail = match head.key.len == len {
        true => None,
        false => Some(tail::read(path, head.key).filter(|t| t.key().len == len)?),
    };
    Some(Found { head, tail })
}

impl Found {
    /// The cached events decoded to `depth` as the file is read, and the
    /// key of the store bytes they were read from.
    pub(in crate::store) fn decode(self, path: &Path, depth: Depth) -> Option<(Key, Vec<Event>)> {
        let key = self.tail.as_ref().map_or(self.head.key, |t| t.key());
        let file = File::open(path).ok()?;
        let mut events = streamed(&file, &self.head, depth)?;
        if let Some(tail) = self.tail {
            tail.decode_into(&mut events, depth)?;
        }
        Some((key, events))
    }

    /// The cache read whole and checked, whatever its key: its rows are
    /// used when [`Cached::key`] is the store's.
    pub(in crate::store) fn read_whole(self, path: &Path) -> Option<Cached> {
        let (bytes, found) = read_base(path)?;
        (found == self.head).then_some(Cached {
            key: self.tail.as_ref().map_or(self.head.key, |t| t.key()),
            bytes,
            tail: self.tail,
        })
    }
}

/// The events of the cache file `file`, whose header is `head`.
fn streamed(file: &File, head: &Head, depth: Depth) -> Option<Vec<Event>> {
    // The records first (each event's offset gives its length), checked
    // by their own hash; then the payload from its start.
    let Layout {
        count,
        events_len,
        records,
        ..
    } = read_layout(file, head)?;
    let file_len = HEADER_LEN as u64 + head.payload_len;
    let mut input = BufReader::with_capacity(1 << 20, file);
    let mut skip = [0u8; HEADER_LEN];
    input.read_exact(&mut skip).ok()?;
    let mut hasher = Hasher::new();
    let mut buf = Vec::new();
    let mut read = |n: usize, buf: &mut Vec<u8>| -> Option<()> {
        buf.resize(n, 0);
        input.read_exact(buf).ok()?;
        hasher.update(buf);
        Some(())
    };
    read(16, &mut buf)?;
    // Each event takes more than 32 bytes: never trust a count beyond that.
    let mut events = Vec::with_capacity(count.min(events_len / 32));
    for i in 0..count {
        let at = usize::try_from(record(&records, i)?[0]).ok()?;
        let end = match record(&records, i + 1) {
            Some(next) => usize::try_from(next[0]).ok()?,
            None => events_len,
        };
        // Offsets start the section and rise through it.
        if i == 0 && at != 0 || end <= at || end > events_len {
            return None;
        }
        read(end - at, &mut buf)?;
        let mut r = Reader { rest: &buf };
        events.push(get_event(&mut r, depth)?);
        if !r.rest.is_empty() {
            return None;
        }
    }
    if count == 0 && events_len != 0 {
        return None;
    }
    // The spans and the records, hashed as they pass.
    let mut rest = (file_len - HEADER_LEN as u64 - 16 - events_len as u64) as usize;
    while rest > 0 {
        let n = rest.min(1 << 20);
        read(n, &mut buf)?;
        rest -= n;
    }
    (hasher.len() == head.payload_len && hasher.finish() == head.payload_hash).then_some(events)
}

/// A cache file's bytes, checked whole, and its tail: what [`Cached::rows`]
/// borrows from.
pub(in crate::store) struct Cached {
    key: Key,
    bytes: Vec<u8>,
    tail: Option<tail::Tail>,
}

impl Cached {
    /// The key of the store bytes the cache (with its tail) was written
    /// for.
    pub(in crate::store) fn key(&self) -> Key {
        self.key
    }

    /// Every event's row, the tail's after the cache's; `None` unless the
    /// events sections are exactly valid ones.
    pub(in crate::store) fn rows(&self) -> Option<Vec<Row<'_>>> {
        self.each(get_row)
    }

    /// Every event whole, borrowed (see [`EventRef`]), the tail's after
    /// the cache's; `None` unless the events sections are exactly valid
    /// ones.
    pub(in crate::store) fn event_refs(&self) -> Option<Vec<EventRef<'_>>> {
        self.each(get_event_ref)
    }

    /// `get` of every event, the tail's after the cache's.
    fn each<'a, T: Send>(&'a self, get: fn(&mut Reader<'a>) -> Option<T>) -> Option<Vec<T>> {
        let s = sections(self.bytes.get(HEADER_LEN..)?)?;
        let extra = self.tail.as_ref().map_or(0, |t| t.count());
        // Each event takes more than 32 bytes: never trust a count beyond that.
        let room = s.count.min(s.events.len() / 32) + extra;
        let mut out = Vec::with_capacity(room);
        if s.count < SPLIT_FROM {
            decode_into(s.events, s.count, get, &mut out)?;
        } else {
            // The second half is decoded on a second thread, from where
            // its first event's record says it starts: a half must then
            // be exactly its events, or the cache is not used.
            let half = s.count / 2;
            let at = usize::try_from(record(s.records, half)?[0]).ok()?;
            let (first, second) = s.events.split_at_checked(at)?;
            let later = std::thread::scope(|scope| {
                let later = scope.spawn(|| {
                    let mut later = Vec::with_capacity(s.count - half);
                    decode_into(second, s.count - half, get, &mut later).map(|()| later)
                });
                let first = decode_into(first, half, get, &mut out);
                first.and(later.join().ok().flatten())
            })?;
            out.extend(later);
        }
        if let Some(t) = &self.tail {
            decode_into(t.events(), t.count(), get, &mut out)?;
        }
        Some(out)
    }
}

/// Below this many events, a second thread costs more than it saves.
const SPLIT_FROM: usize = 4096;

/// Appends `get` of each event of an events section of `count` events
/// to `out`; `None` unless it is exactly that many.
fn decode_into<'a, T>(
    events: &'a [u8],
    count: usize,
    get: fn(&mut Reader<'a>) -> Option<T>,
    out: &mut Vec<T>,
) -> Option<()> {
    let mut r = Reader { rest: events };
    for _ in 0..count {
        out.push(get(&mut r)?);
    }
    r.rest.is_empty().then_some(())
}
