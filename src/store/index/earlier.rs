//! The cache written before a hand edit, read whatever its key: the
//! events whose text did not change are taken from it as they are
//! encoded (see `pieces::refresh`).

use std::collections::HashMap;
use std::path::Path;

use super::*;

/// A cache read whatever store bytes it was written for: a store edited
/// by hand since takes from it the events whose text did not change
/// (see `pieces::refresh`), as their encoded bytes.
pub(in crate::store) struct Earlier {
    bytes: Vec<u8>,
    count: usize,
    /// Where the events section and the records are in `bytes`.
    events: std::ops::Range<usize>,
    records: std::ops::Range<usize>,
}

/// The cache at `path` when it is this build's and whole, whatever its
/// key; `None` on any problem.
pub(in crate::store) fn read_earlier(path: &Path) -> Option<Earlier> {
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

/// An event of a store read again after a hand edit: the earlier cache's
/// event `i`, or one parsed from the new text.
pub(in crate::store) enum Found {
    Earlier(usize),
    /// Boxed: most events of a large store are the earlier cache's, and
    /// a list of unboxed ones would take an event's size for each.
    New(Box<Event>),
}

/// [`contents`] for a store whose events are `found`, each with the hash
/// of its text in `pieces` (see [`piece_hash`]): the earlier cache's
/// events are copied as they are encoded there, not decoded.
pub(in crate::store) fn contents_with(
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
