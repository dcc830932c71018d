//! A cache's bytes read so that its events can be taken as they are
//! encoded, without decoding them: the cache written before a hand edit,
//! whose events with unchanged text are kept (see `pieces::refresh`), and
//! the current cache when one event's text is replaced (`splice`).

use std::ops::Range;
use std::path::Path;

use super::*;

/// A cache's bytes, cut into its sections.
pub(in crate::store) struct Encoded {
    bytes: Vec<u8>,
    flags: u32,
    count: usize,
    spans: Vec<usize>,
    /// Where the rows and details sections and the records are in `bytes`.
    rows: Range<usize>,
    details: Range<usize>,
    records: Range<usize>,
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
/// offsets do not run through the rows and details sections in order.
fn encoded(bytes: Vec<u8>) -> Option<Encoded> {
    let flags = read_header(bytes.get(..HEADER_LEN)?)?.flags;
    let s = sections(bytes.get(HEADER_LEN..)?)?;
    let rows = HEADER_LEN + COUNTS..HEADER_LEN + COUNTS + s.rows.len();
    let details = rows.end..rows.end + s.details.len();
    let records = bytes.len() - s.records.len()..bytes.len();
    let earlier = Encoded {
        count: s.count,
        spans: s.spans,
        flags,
        bytes,
        rows,
        details,
        records,
    };
    // An event's parts run from its offsets to the next one's: the
    // offsets must start their sections and rise through them.
    let mut next = (0, 0);
    for i in 0..earlier.count {
        let at = earlier.record(i)?.at()?;
        let rises =
            |at: usize, next: usize, len: usize| (at == next || i > 0 && at > next) && at < len;
        if !rises(at.0, next.0, earlier.rows.len()) || !rises(at.1, next.1, earlier.details.len()) {
            return None;
        }
        next = (at.0 + 1, at.1 + 1);
    }
    Some(earlier)
}

impl Encoded {
    fn record(&self, i: usize) -> Option<Record> {
        record(&self.bytes[self.records.clone()], i)
    }

    /// Each event with a known text hash, by that hash.
    pub(in crate::store) fn by_piece(&self) -> HashMapByHash<usize> {
        let mut by_piece = HashMapByHash::with_capacity_and_hasher(self.count, Default::default());
        by_piece.extend(
            (0..self.count)
                .filter_map(|i| Some((self.record(i)?.piece, i)))
                .filter(|&(h, _)| h != 0),
        );
        by_piece
    }

    /// The hash of event `i`'s id.
    pub(in crate::store) fn id_hash(&self, i: usize) -> Option<u64> {
        Some(self.record(i)?.id)
    }

    /// Where events `range` lie in the rows section and in the details
    /// section.
    fn spans_of(&self, range: Range<usize>) -> Option<(Range<usize>, Range<usize>)> {
        let start = self.record(range.start)?.at()?;
        let end = match self.record(range.end) {
            Some(r) => r.at()?,
            None => (self.rows.len(), self.details.len()),
        };
        Some((start.0..end.0, start.1..end.1))
    }

    /// Event `i`'s row part and detail part.
    fn event(&self, i: usize) -> Option<(&[u8], &[u8])> {
        let (rows, details) = self.spans_of(i..i + 1)?;
        Some((
            self.bytes[self.rows.clone()].get(rows)?,
            self.bytes[self.details.clone()].get(details)?,
        ))
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
    /// Where its row part and its detail part are in the buffer.
    rows: Range<usize>,
    details: Range<usize>,
    id: u64,
    value: u64,
}

impl NewEvent {
    /// Encodes `e` at the end of `out`, the buffer of part `part`: its
    /// row part, then its detail part.
    pub(in crate::store) fn encode(out: &mut Vec<u8>, part: usize, e: &Event) -> Option<NewEvent> {
        let start = out.len();
        let mut details = Writer(Vec::new());
        let mut w = Writer(std::mem::take(out));
        let put = put_event(&mut w, &mut details, e);
        let middle = w.0.len();
        w.0.extend_from_slice(&details.0);
        *out = w.0;
        put?;
        Some(NewEvent {
            part,
            rows: start..middle,
            details: middle..out.len(),
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
    let mut rows = Runs::with_capacity(found.len());
    let mut details = Runs::with_capacity(found.len());
    let mut records = Writer(Vec::with_capacity(found.len() * RECORD));
    let mut at = (0, 0);
    for (f, &piece) in found.iter().zip(pieces) {
        let ((row, detail), id, value) = match f {
            Found::Earlier(i) => {
                let earlier = earlier?;
                let r = earlier.record(*i)?;
                let (row, detail) = earlier.spans_of(*i..*i + 1)?;
                let bytes = (
                    (
                        None,
                        earlier.rows.start + row.start..earlier.rows.start + row.end,
                    ),
                    (
                        None,
                        earlier.details.start + detail.start..earlier.details.start + detail.end,
                    ),
                );
                (bytes, r.id, r.value)
            }
            Found::New(n) => {
                let bytes = (
                    (Some(n.part), n.rows.clone()),
                    (Some(n.part), n.details.clone()),
                );
                (bytes, n.id, n.value)
            }
        };
        put_record(
            &mut records,
            Record {
                rows: at.0 as u64,
                details: at.1 as u64,
                id,
                value,
                piece,
            },
        );
        at = (at.0 + row.1.len(), at.1 + detail.1.len());
        rows.push(row);
        details.push(detail);
    }
    let counts = counts(found.len(), at.0, at.1);
    let mut spans = Writer(Vec::new());
    put_spans(&mut spans, found.len(), &facts.spans);
    let mut payload = Vec::with_capacity(rows.0.len() + details.0.len() + 3);
    payload.push(counts.as_slice());
    let bytes = |(from, range): (Option<usize>, Range<usize>)| match from {
        None => earlier?.bytes.get(range),
        Some(part) => parts.get(part)?.get(range),
    };
    for run in rows.0.into_iter().chain(details.0) {
        payload.push(bytes(run)?);
    }
    payload.push(&spans.0);
    payload.push(&records.0);
    let head = header(key, facts.flags(), &payload);
    payload.insert(0, &head);
    Some(then(&payload))
}

/// Byte ranges of the earlier cache's bytes (`None`) or of a reading
/// thread's buffer, in order, those that follow one another in the same
/// bytes joined: events the earlier cache had in the same order are one
/// run, hashed and written at once.
struct Runs(Vec<(Option<usize>, Range<usize>)>);

impl Runs {
    fn with_capacity(n: usize) -> Runs {
        Runs(Vec::with_capacity(n))
    }

    fn push(&mut self, (from, range): (Option<usize>, Range<usize>)) {
        match self.0.last_mut() {
            Some((last, r)) if *last == from && r.end == range.start => r.end = range.end,
            _ => self.0.push((from, range)),
        }
    }
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

    /// Each event's id, read where it is encoded (its row part's first
    /// field).
    pub(in crate::store) fn ids(&self) -> Option<Vec<&str>> {
        let rows = Fields::new(&self.bytes[self.rows.clone()])?;
        (0..self.count)
            .map(|i| rows.part(self.spans_of(i..i + 1)?.0)?.str())
            .collect()
    }

    /// Events `range`, decoded whole.
    pub(in crate::store) fn decoded(
        &self,
        range: std::ops::RangeInclusive<usize>,
    ) -> Option<Vec<Event>> {
        range
            .map(|i| {
                let (row, detail) = self.event(i)?;
                let (mut rows, mut details) = (Fields::new(row)?, Fields::new(detail)?);
                get_event(&mut rows, &mut details, Depth::Full)
                    .filter(|_| rows.remaining() == 0 && details.remaining() == 0)
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
            let rows = &self.bytes[self.rows.clone()];
            let details = &self.bytes[self.details.clone()];
            let (old_rows, old_details) = self.spans_of(lo..hi + 1)?;
            let mut new_rows = Writer(Vec::new());
            let mut new_details = Writer(Vec::new());
            let mut records = Writer(Vec::with_capacity(
                (self.count + local.len()).saturating_sub(hi + 1 - lo) * RECORD,
            ));
            records
                .0
                .extend_from_slice(self.bytes[self.records.clone()].get(..lo * RECORD)?);
            for (e, &piece) in local.iter().zip(pieces) {
                let at_rows = old_rows.start + new_rows.0.len();
                let at_details = old_details.start + new_details.0.len();
                put_record(&mut records, Record::of(e, at_rows, at_details, piece));
                put_event(&mut new_rows, &mut new_details, e)?;
            }
            // The events after move by the change in length.
            let moved = |at: u64, old: &Range<usize>, new: usize| {
                let at = usize::try_from(at).ok()?.checked_sub(old.end)?;
                Some((at + old.start + new) as u64)
            };
            for i in hi + 1..self.count {
                let r = self.record(i)?;
                put_record(
                    &mut records,
                    Record {
                        rows: moved(r.rows, &old_rows, new_rows.0.len())?,
                        details: moved(r.details, &old_details, new_details.0.len())?,
                        ..r
                    },
                );
            }
            let count = self.count - (hi + 1 - lo) + local.len();
            let facts = Facts {
                appendable,
                spliceable: count > 0,
                spans: spans.to_vec(),
            };
            let counts = counts(
                count,
                rows.len() - old_rows.len() + new_rows.0.len(),
                details.len() - old_details.len() + new_details.0.len(),
            );
            let mut span_part = Writer(Vec::with_capacity(8 + spans.len() * 8));
            put_spans(&mut span_part, count, &facts.spans);
            let payload = [
                counts.as_slice(),
                &rows[..old_rows.start],
                &new_rows.0,
                &rows[old_rows.end..],
                &details[..old_details.start],
                &new_details.0,
                &details[old_details.end..],
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
