//! A cache's bytes read so that its events can be taken as they are
//! encoded, without decoding them: the cache written before a hand edit,
//! whose events with unchanged text are kept (see `pieces::refresh`), and
//! the current cache when one event's text is replaced (`splice`).

use std::collections::HashMap;
use std::path::Path;

use super::*;

/// A cache's bytes, cut into its sections.
pub(in crate::store) struct Encoded {
    bytes: Vec<u8>,
    flags: u32,
    count: usize,
    spans: Vec<usize>,
    /// Where the events section and the records are in `bytes`.
    events: std::ops::Range<usize>,
    records: std::ops::Range<usize>,
}

/// The cache at `path` when it is this build's and whole, whatever its
/// key; `None` on any problem.
pub(in crate::store) fn read_earlier(path: &Path) -> Option<Encoded> {
    encoded(read_whole(path, None)?.0)
}

/// The cache at `path` when it is current for the store key `key`;
/// `None` on any problem.
pub(in crate::store) fn read_encoded(path: &Path, key: Key) -> Option<Encoded> {
    encoded(read_whole(path, Some(key))?.0)
}

/// Cache file bytes, checked, as [`Encoded`]; `None` when their event
/// offsets do not run through the events section in order.
fn encoded(bytes: Vec<u8>) -> Option<Encoded> {
    let flags = read_header(bytes.get(..HEADER_LEN)?)?.flags;
    let s = sections(bytes.get(HEADER_LEN..)?)?;
    let events = HEADER_LEN + 16..HEADER_LEN + 16 + s.events.len();
    let records = bytes.len() - s.records.len()..bytes.len();
    let earlier = Encoded {
        count: s.count,
        spans: s.spans,
        flags,
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

impl Encoded {
    fn record(&self, i: usize) -> Option<[u64; 4]> {
        record(&self.bytes[self.records.clone()], i)
    }

    /// Each event with a known text hash, by that hash.
    pub(in crate::store) fn by_piece(&self) -> HashMap<u64, usize> {
        (0..self.count)
            .filter_map(|i| Some((self.record(i)?[3], i)))
            .filter(|&(h, _)| h != 0)
            .collect()
    }

    /// The hash of event `i`'s id.
    pub(in crate::store) fn id_hash(&self, i: usize) -> Option<u64> {
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

/// An event of a store read a piece at a time: the earlier cache's
/// event `i`, or one parsed from the text, encoded as it was read.
pub(in crate::store) enum Found {
    Earlier(usize),
    New(NewEvent),
}

/// An event parsed from a store's text and encoded at once into one of
/// the reading threads' buffers (`part`), so that a store read in pieces
/// never holds its events decoded.
pub(in crate::store) struct NewEvent {
    part: usize,
    bytes: std::ops::Range<usize>,
    id: u64,
    value: u64,
}

impl NewEvent {
    /// Encodes `e` at the end of `out`, the buffer of part `part`.
    pub(in crate::store) fn encode(out: &mut Vec<u8>, part: usize, e: &Event) -> Option<NewEvent> {
        let start = out.len();
        let mut w = Writer(std::mem::take(out));
        let put = put_event(&mut w, e);
        *out = w.0;
        put?;
        Some(NewEvent {
            part,
            bytes: start..out.len(),
            id: hash(e.id.as_bytes()),
            value: hash(e.value.as_bytes()),
        })
    }

    pub(in crate::store) fn id_hash(&self) -> u64 {
        self.id
    }
}

/// The cache file for a store whose events are `found`, each with the
/// hash of its text in `pieces` (see [`piece_hash`]), in parts handed to
/// `then` (header first): the earlier cache's events are its bytes as
/// they are encoded there, the new ones as they were encoded in `parts`;
/// none is decoded or copied.
#[allow(clippy::too_many_arguments)]
pub(in crate::store) fn with_found<R>(
    key: Key,
    found: &[Found],
    pieces: &[u64],
    earlier: Option<&Encoded>,
    parts: &[Vec<u8>],
    facts: &Facts,
    then: impl FnOnce(&[&[u8]]) -> R,
) -> Option<R> {
    let mut events: Vec<&[u8]> = Vec::with_capacity(found.len());
    let mut records = Writer(Vec::with_capacity(found.len() * RECORD));
    let mut at = 0u64;
    for (f, &piece) in found.iter().zip(pieces) {
        let (bytes, id, value) = match f {
            Found::Earlier(i) => {
                let earlier = earlier?;
                let r = earlier.record(*i)?;
                (earlier.event(*i)?, r[1], r[2])
            }
            Found::New(n) => (parts.get(n.part)?.get(n.bytes.clone())?, n.id, n.value),
        };
        for n in [at, id, value, piece] {
            records.u64(n);
        }
        at += bytes.len() as u64;
        events.push(bytes);
    }
    let mut counts = Writer(Vec::with_capacity(16));
    counts.u64(found.len() as u64);
    counts.u64(at);
    let mut spans = Writer(Vec::new());
    put_spans(&mut spans, found.len(), &facts.spans);
    let mut payload = Vec::with_capacity(events.len() + 3);
    payload.push(counts.0.as_slice());
    payload.extend(events);
    payload.push(&spans.0);
    payload.push(&records.0);
    let head = header(key, facts.flags(), &payload);
    payload.insert(0, &head);
    Some(then(&payload))
}

/// What `splice` reads of the current cache, and the cache it writes.
impl Encoded {
    pub(in crate::store) fn count(&self) -> usize {
        self.count
    }

    /// The spans, one per event, or empty when not known.
    pub(in crate::store) fn spans(&self) -> &[usize] {
        &self.spans
    }

    pub(in crate::store) fn spliceable(&self) -> bool {
        self.flags & SPLICEABLE != 0
    }

    pub(in crate::store) fn appendable(&self) -> bool {
        self.flags & APPENDABLE != 0
    }

    /// Each event's id, read where it is encoded (an event's first field).
    pub(in crate::store) fn ids(&self) -> Option<Vec<&str>> {
        (0..self.count)
            .map(|i| {
                let mut r = Reader {
                    rest: self.event(i)?,
                };
                let n = usize::try_from(r.u32()?).ok()?;
                std::str::from_utf8(r.take(n)?).ok()
            })
            .collect()
    }

    /// Events `range`, decoded whole.
    pub(in crate::store) fn decoded(
        &self,
        range: std::ops::RangeInclusive<usize>,
    ) -> Option<Vec<Event>> {
        range
            .map(|i| {
                let mut r = Reader {
                    rest: self.event(i)?,
                };
                get_event(&mut r, Depth::Full).filter(|_| r.rest.is_empty())
            })
            .collect()
    }

    /// Writes the cache of the store whose events `lo..=hi` were replaced
    /// by `local`, under the new store's `key`: the other events are
    /// copied as they are encoded, with their text hashes (their text did
    /// not change), and the new ones get `pieces`. `spans` are the new
    /// store's, `appendable` whether it may be appended to. The cache is
    /// written from its parts, never built whole. Best effort, as
    /// [`write`].
    #[allow(clippy::too_many_arguments)]
    pub(in crate::store) fn write_spliced(
        &self,
        path: &Path,
        key: Key,
        (lo, hi): (usize, usize),
        local: &[Event],
        pieces: &[u64],
        spans: &[usize],
        appendable: bool,
        store: &Path,
    ) {
        let _ = (|| {
            let events = &self.bytes[self.events.clone()];
            let start = usize::try_from(self.record(lo)?[0]).ok()?;
            let end = match self.record(hi + 1) {
                Some(r) => usize::try_from(r[0]).ok()?,
                None => events.len(),
            };
            let mut new = Writer(Vec::new());
            let mut records = Writer(Vec::with_capacity(
                (self.count + local.len()).saturating_sub(hi + 1 - lo) * RECORD,
            ));
            records
                .0
                .extend_from_slice(self.bytes[self.records.clone()].get(..lo * RECORD)?);
            for (e, &piece) in local.iter().zip(pieces) {
                put_record(&mut records, start + new.0.len(), e, piece);
                put_event(&mut new, e)?;
            }
            // The events after move by the change in length.
            let moved = |at: u64| {
                let at = usize::try_from(at).ok()?.checked_sub(end)?;
                Some((at + start + new.0.len()) as u64)
            };
            for i in hi + 1..self.count {
                let [at, id, value, piece] = self.record(i)?;
                for n in [moved(at)?, id, value, piece] {
                    records.u64(n);
                }
            }
            let count = self.count - (hi + 1 - lo) + local.len();
            let facts = Facts {
                appendable,
                spliceable: count > 0,
                spans: spans.to_vec(),
            };
            let mut counts = Writer(Vec::with_capacity(16));
            counts.u64(count as u64);
            counts.u64((events.len() - (end - start) + new.0.len()) as u64);
            let mut span_part = Writer(Vec::with_capacity(8 + spans.len() * 8));
            put_spans(&mut span_part, count, &facts.spans);
            let payload = [
                counts.0.as_slice(),
                &events[..start],
                &new.0,
                &events[end..],
                &span_part.0,
                &records.0,
            ];
            let head = header(key, facts.flags(), &payload);
            let mut parts = vec![head.as_slice()];
            parts.extend(payload);
            write_parts(path, &parts, store);
            Some(())
        })();
    }
}
