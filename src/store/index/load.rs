//! The cache read for a load: events decoded as the file is read, never
//! held whole. A load of 100,000 events keeps their records (4 MB) and
//! one block of the file at a time beside the events, not the cache's 23 MB;
//! the payload is hashed as it streams past and the events are used only
//! when the hash is the header's.
//!
//! Tables read the counts and the rows section alone
//! ([`Opened::read_rows`]), a third of the cache, checked by their own
//! hash; the iCalendar export reads it whole ([`Opened::read_whole`]).
//! Their rows borrow their text from those bytes, which take less room
//! than the same events decoded, and no time to allocate and free.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::ops::Range;
use std::os::unix::fs::FileExt;

use super::*;
use crate::events::Row;
use crate::store::codec::{
    event_of, get_detail_part, get_event_ref, get_row, get_row_part, source,
};
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
pub(in crate::store) struct Opened {
    head: Head,
    tail: Option<tail::Tail>,
}

/// The header and tail of the cache at `path` when they were written for
/// store bytes `len` bytes long (the cache with its tail, see `tail`);
/// `None` when not, or on any problem. Told by lengths alone: a store of
/// another length need not be hashed to know its cache is stale.
pub(in crate::store) fn found_for(path: &Path, len: u64) -> Option<Opened> {
    let head = read_head(path)?;
    let tail = match head.key.len == len {
        true => None,
        false => Some(tail::read(path, head.key).filter(|t| t.key().len == len)?),
    };
    Some(Opened { head, tail })
}

impl Opened {
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

    /// The cache read whole and checked, whatever its key: its events are
    /// used when [`Cached::key`] is the store's.
    pub(in crate::store) fn read_whole(self, path: &Path) -> Option<Cached> {
        let (bytes, found) = read_base(path)?;
        if found != self.head {
            return None;
        }
        let s = sections(bytes.get(HEADER_LEN..)?)?;
        let rows = HEADER_LEN + COUNTS..HEADER_LEN + COUNTS + s.rows.len();
        let details = rows.end..rows.end + s.details.len();
        let half = match s.count >= SPLIT_FROM {
            true => Some(record(s.records, s.count / 2)?),
            false => None,
        };
        Some(Cached {
            key: self.tail.as_ref().map_or(self.head.key, |t| t.key()),
            count: s.count,
            bytes,
            rows,
            details: Some(details),
            half,
            tail: self.tail,
        })
    }

    /// The cache's counts and rows section alone, checked by their hash,
    /// whatever its key: what [`Cached::rows`] reads.
    pub(in crate::store) fn read_rows(self, path: &Path) -> Option<Cached> {
        let file = File::open(path).ok()?;
        let file_len = file.metadata().ok()?.len();
        if file_len != HEADER_LEN as u64 + self.head.payload_len {
            return None;
        }
        let mut counts = [0u8; COUNTS];
        file.read_exact_at(&mut counts, HEADER_LEN as u64).ok()?;
        let mut r = Reader { rest: &counts };
        let (count, rows_len) = (r.len()?, r.len()?);
        if rows_len as u64 > self.head.payload_len {
            return None;
        }
        // Read into the vector's spare room: zeroed first, the rows of
        // 100,000 events cost a cold read 11 M instructions of `memset`
        // (the heap the store's text was freed to is not fresh memory).
        let mut bytes = Vec::new();
        bytes.try_reserve_exact(COUNTS + rows_len).ok()?;
        bytes.extend_from_slice(&counts);
        let mut rows = &file;
        rows.seek(SeekFrom::Start((HEADER_LEN + COUNTS) as u64))
            .ok()?;
        rows.take(rows_len as u64).read_to_end(&mut bytes).ok()?;
        if bytes.len() != COUNTS + rows_len {
            return None;
        }
        if hash(&bytes) != self.head.rows_hash {
            return None;
        }
        // Where the second half starts, for a second thread. The record is
        // read alone, unchecked: a wrong one leaves halves that are not
        // exactly their events, and the cache is then not used.
        let half = match count >= SPLIT_FROM {
            true => {
                let records_at =
                    file_len.checked_sub((count as u64).checked_mul(RECORD as u64)?)?;
                let mut one = [0u8; RECORD];
                let at = records_at + (count / 2 * RECORD) as u64;
                file.read_exact_at(&mut one, at).ok()?;
                Some(record(&one, 0)?)
            }
            false => None,
        };
        Some(Cached {
            key: self.tail.as_ref().map_or(self.head.key, |t| t.key()),
            count,
            rows: COUNTS..bytes.len(),
            bytes,
            details: None,
            half,
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
        rows_len,
        details_len,
        records,
        ..
    } = read_layout(file, head)?;
    let mut input = file;
    let mut skip = [0u8; HEADER_LEN];
    input.read_exact(&mut skip).ok()?;
    let mut payload = Blocks {
        input,
        hasher: Hasher::new(),
        buf: Vec::with_capacity(BLOCK),
        at: 0,
        left: head.payload_len,
    };
    payload.next(COUNTS)?;
    // Event `i`'s part in the rows section (`details` false) or in the
    // details section: offsets start the section and rise through it.
    let part = |i: usize, details: bool| -> Option<Range<usize>> {
        let pick = |r: Record| Some(if details { r.at()?.1 } else { r.at()?.0 });
        let len = if details { details_len } else { rows_len };
        let at = pick(record(&records, i)?)?;
        let end = match record(&records, i + 1) {
            Some(next) => pick(next)?,
            None => len,
        };
        (!(i == 0 && at != 0 || end <= at || end > len)).then_some(at..end)
    };
    // The row parts first, each made an event without its details; then
    // the details section fills them in. Each event's strings are checked
    // as they are kept: a table's load reads most of them past.
    let mut events = Vec::with_capacity(count.min(rows_len / MIN_ROW));
    for i in 0..count {
        let mut r = Fields::unchecked(payload.next(part(i, false)?.len())?);
        events.push(event_of(get_row_part(&mut r, depth)?));
        if r.remaining() != 0 {
            return None;
        }
    }
    for (i, event) in events.iter_mut().enumerate() {
        let mut r = Fields::unchecked(payload.next(part(i, true)?.len())?);
        get_detail_part(&mut r, depth, source)?.fill(event);
        if r.remaining() != 0 {
            return None;
        }
    }
    if count == 0 && rows_len + details_len != 0 {
        return None;
    }
    // The spans and the records, hashed as they pass.
    (payload.finish()? == head.payload_hash).then_some(events)
}

/// The bytes read from a file at a time.
const BLOCK: usize = 1 << 20;

/// A payload read a block at a time, each block hashed once as it is
/// read (hashing each event's part on its own cost a tenth of a load),
/// and handed out in pieces.
struct Blocks<R> {
    input: R,
    hasher: Hasher,
    buf: Vec<u8>,
    /// Where the bytes not handed out yet start in `buf`.
    at: usize,
    /// The payload's bytes not read yet.
    left: u64,
}

impl<R: Read> Blocks<R> {
    /// The next `n` bytes of the payload.
    fn next(&mut self, n: usize) -> Option<&[u8]> {
        if self.buf.len() - self.at < n {
            self.buf.drain(..self.at);
            self.at = 0;
            let want = (n - self.buf.len()).max(BLOCK) as u64;
            let want = usize::try_from(want.min(self.left)).ok()?;
            let old = self.buf.len();
            self.buf.resize(old + want, 0);
            self.input.read_exact(&mut self.buf[old..]).ok()?;
            self.hasher.update(&self.buf[old..]);
            self.left -= want as u64;
        }
        let piece = self.buf.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(piece)
    }

    /// The hash of the whole payload, the rest read to its end.
    fn finish(mut self) -> Option<u64> {
        while self.left > 0 {
            let n = usize::try_from(self.left.min(BLOCK as u64)).ok()?;
            self.buf.resize(n, 0);
            self.input.read_exact(&mut self.buf).ok()?;
            self.hasher.update(&self.buf);
            self.left -= n as u64;
        }
        // Nothing may follow the payload.
        let mut more = [0u8; 1];
        matches!(self.input.read(&mut more), Ok(0)).then(|| self.hasher.finish())
    }
}

/// A cache file's bytes, checked (whole, or its rows section alone), and
/// its tail: what [`Cached::rows`] borrows from.
pub(in crate::store) struct Cached {
    key: Key,
    count: usize,
    bytes: Vec<u8>,
    /// Where the rows and the details sections are in `bytes`; no details
    /// when only the rows were read.
    rows: Range<usize>,
    details: Option<Range<usize>>,
    /// The record of the event the second half starts at, when there are
    /// two halves.
    half: Option<Record>,
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
        self.each(|rows, _| get_row(rows))
    }

    /// Every event whole, borrowed (see [`EventRef`]), the tail's after
    /// the cache's; `None` unless the events sections are exactly valid
    /// ones.
    pub(in crate::store) fn event_refs(&self) -> Option<Vec<EventRef<'_>>> {
        self.details.as_ref()?;
        self.each(get_event_ref)
    }

    /// `get` of every event, given its rows and details sections (no
    /// details when only the rows were read), the tail's after the
    /// cache's.
    fn each<'a, T: Send>(&'a self, get: Get<'a, T>) -> Option<Vec<T>> {
        let rows = self.bytes.get(self.rows.clone())?;
        let details = match &self.details {
            Some(d) => self.bytes.get(d.clone())?,
            None => &[],
        };
        let count = self.count;
        let extra = self.tail.as_ref().map_or(0, |t| t.count());
        let room = count.min(rows.len() / MIN_ROW) + extra;
        let mut out = Vec::with_capacity(room);
        match self.half {
            None => decode_into((rows, details), count, get, &mut out)?,
            Some(r) => {
                // The second half is decoded on a second thread, from where
                // its first event's record says it starts: a half must
                // then be exactly its events, or the cache is not used.
                let half = count / 2;
                let (rows_at, details_at) = r.at()?;
                let (first_rows, second_rows) = rows.split_at_checked(rows_at)?;
                let (first_details, second_details) = match self.details {
                    Some(_) => details.split_at_checked(details_at)?,
                    None => (details, details),
                };
                let later = std::thread::scope(|scope| {
                    let later = scope.spawn(|| {
                        let mut later = Vec::with_capacity(count - half);
                        let second = (second_rows, second_details);
                        decode_into(second, count - half, get, &mut later).map(|()| later)
                    });
                    let first = decode_into((first_rows, first_details), half, get, &mut out);
                    first.and(later.join().ok().flatten())
                })?;
                out.extend(later);
            }
        }
        if let Some(t) = &self.tail {
            // Rows alone read no details, and must be given none, as for
            // the cache's own sections: given the tail's, the rows of a
            // store an `add` had just appended to were never read.
            let details = match self.details {
                Some(_) => t.details(),
                None => &[],
            };
            decode_into((t.rows(), details), t.count(), get, &mut out)?;
        }
        Some(out)
    }
}

/// A decoder of one event from its rows and details sections.
type Get<'a, T> = fn(&mut Fields<'a>, &mut Fields<'a>) -> Option<T>;

/// Below this many events, a second thread costs more than it saves.
const SPLIT_FROM: usize = 4096;

/// Appends `get` of each of the `count` events of a rows and a details
/// section to `out`; `None` unless they are exactly that many (a table's
/// `get` reads no details, and is given none).
fn decode_into<'a, T>(
    (rows, details): (&'a [u8], &'a [u8]),
    count: usize,
    get: Get<'a, T>,
    out: &mut Vec<T>,
) -> Option<()> {
    let (mut rows, mut details) = (Fields::new(rows)?, Fields::new(details)?);
    for _ in 0..count {
        out.push(get(&mut rows, &mut details)?);
    }
    (rows.remaining() == 0 && details.remaining() == 0).then_some(())
}
