//! The binary encoding of the read cache (see `index`). Its framing
//! (header, counts, spans, records) is fixed-width little-endian numbers
//! ([`Writer`], [`Reader`]). Events are written in two parts, each to a
//! section of its own: the row part, what tables show, and the detail
//! part, the rest (dates added and modified, notes, sources with their
//! sentences), so that a table reads a third of the cache.
//!
//! Within an event's parts every number is written six bits to a byte
//! ([`Writer::var`]), so every byte but a string's is ASCII: a section is
//! then UTF-8 exactly when its strings are, and one check of the whole
//! section stands for one per string (a table of 100,000 events spent
//! 37 M instructions checking its strings one by one). Strings are a
//! length and UTF-8 bytes; dates days from the common era. A reader never
//! panics: any short or malformed input is `None`, and the cache is then
//! only a miss. One decoder reads each part, into owned strings (an
//! [`Event`], to a [`Depth`]) or borrowed ones (a [`Row`], an
//! [`EventRef`]).

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

use super::event_ref::{EventRef, SourceRef, SourceRefs};
use crate::events::{Event, Kind, Recurrence, Row, Source, Status, When};

/// How much of each event is decoded into an owned [`Event`].
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Depth {
    /// What tells whether an incoming event is new or adds to a stored
    /// one (id, title, context, value, tags, each source's file and
    /// offsets); the rest read past and left empty.
    Identity,
    /// What tables and their filters use (id, title, kind, when, place,
    /// context, status, tags, and the value of a recurrence, which a rule
    /// that cannot be described shows): the rest read past and left
    /// empty, and no sources. Each string kept is an allocation, and a
    /// table of 100,000 events spent a fifth of its load on those.
    View,
    Full,
}

impl Depth {
    /// The fields a view shows beyond identity: place, a recurrence's rule.
    fn shown(self) -> bool {
        self >= Depth::View
    }

    /// The value, and each source's file and offsets.
    fn identity(self) -> bool {
        self != Depth::View
    }

    /// Notes, reminder, zone, and each source's sentence and timex.
    fn full(self) -> bool {
        self == Depth::Full
    }
}

/// Writes `e`'s row part to `rows` and its detail part to `details`;
/// `None` when it cannot be (a string of 4 GiB or more).
pub(super) fn put_event(rows: &mut Writer, details: &mut Writer, e: &Event) -> Option<()> {
    rows.text(&e.id)?;
    rows.text(&e.title)?;
    rows.u8(Kind::ALL.iter().position(|k| *k == e.kind)? as u8);
    put_when(rows, &e.when)?;
    rows.text(&e.value)?;
    rows.opt_text(e.place.as_deref())?;
    rows.u8(match e.status {
        Status::Open => 0,
        Status::Done => 1,
    });
    rows.opt_text(e.context.as_deref())?;
    rows.var(e.tags.len() as u64);
    for t in &e.tags {
        rows.text(t)?;
    }

    details.var_datetime(e.added);
    details.opt_text(e.notes.as_deref())?;
    details.opt_text(e.remind.as_deref())?;
    details.opt_text(e.tz.as_deref())?;
    match e.modified {
        None => details.u8(0),
        Some(m) => {
            details.u8(1);
            details.var_datetime(m);
        }
    }
    details.var(u64::from(e.edits));
    details.var(e.sources.len() as u64);
    for s in &e.sources {
        details.text(&s.file)?;
        details.text(&s.sentence)?;
        details.var(s.start as u64);
        details.var(s.end as u64);
        details.text(&s.timex)?;
    }
    Some(())
}

fn put_when(w: &mut Writer, when: &When) -> Option<()> {
    match when {
        When::Date(d) => {
            w.u8(0);
            w.var_date(*d);
        }
        When::DateTime { at, offset } => {
            w.u8(1);
            w.var_datetime(*at);
            match offset {
                None => w.u8(0),
                Some(o) => {
                    w.u8(1);
                    w.var(u64::from(*o as u16));
                }
            }
        }
        When::Range { start, end } => {
            w.u8(2);
            w.var_date(*start);
            w.var_date(*end);
        }
        When::Recurring(r) => {
            w.u8(3);
            w.opt_text(r.rule.as_deref())?;
            w.opt_var_date(r.start);
            match r.time {
                None => w.u8(0),
                Some(t) => {
                    w.u8(1);
                    w.var(u64::from(t.num_seconds_from_midnight()));
                }
            }
            w.opt_var_date(r.done_through);
        }
    }
    Some(())
}

/// An event's row part, its strings as `S` (owned or borrowed).
pub(super) struct RowPart<S> {
    id: S,
    title: S,
    kind: Kind,
    when: When,
    value: S,
    place: Option<S>,
    status: Status,
    context: Option<S>,
    tags: Vec<S>,
}

/// An event's detail part, its strings as `S` and each source as `Src`,
/// kept in a `Srcs`.
pub(super) struct DetailPart<S, Src, Srcs: SourceList<Src> = Vec<Src>> {
    added: NaiveDateTime,
    notes: Option<S>,
    remind: Option<S>,
    tz: Option<S>,
    modified: Option<NaiveDateTime>,
    edits: u32,
    sources: Srcs,
    kept: std::marker::PhantomData<Src>,
}

/// Where a detail part keeps its sources.
pub(super) trait SourceList<Src> {
    /// Room for `n` sources (a count read from the cache, already bounded
    /// by the bytes left).
    fn with_room(n: usize) -> Self;
    fn push(&mut self, source: Src);
}

impl<Src> SourceList<Src> for Vec<Src> {
    fn with_room(n: usize) -> Self {
        Vec::with_capacity(n)
    }

    fn push(&mut self, source: Src) {
        Vec::push(self, source);
    }
}

impl<'a> SourceList<SourceRef<'a>> for SourceRefs<'a> {
    fn with_room(_: usize) -> Self {
        SourceRefs::default()
    }

    fn push(&mut self, source: SourceRef<'a>) {
        SourceRefs::push(self, source);
    }
}

/// The row part at `r`, its strings kept as `depth` says (borrowed ones
/// cost nothing to keep: read them at [`Depth::Full`]).
pub(super) fn get_row_part<'a, S: Text<'a>>(
    r: &mut Fields<'a>,
    depth: Depth,
) -> Option<RowPart<S>> {
    let id = r.text(true)?;
    let title = r.text(true)?;
    let kind = *Kind::ALL.get(usize::from(r.u8()?))?;
    let when = get_when(r, depth.shown())?;
    let value = r.text(depth.identity() || matches!(when, When::Recurring(_)))?;
    let place = r.opt_text(depth.shown())?;
    let status = match r.u8()? {
        0 => Status::Open,
        1 => Status::Done,
        _ => return None,
    };
    let context = r.opt_text(true)?;
    let n = r.len()?;
    // A tag takes a byte at least: never trust a count beyond that.
    let mut tags = Vec::with_capacity(n.min(r.remaining()));
    for _ in 0..n {
        tags.push(r.text(true)?);
    }
    Some(RowPart {
        id,
        title,
        kind,
        when,
        value,
        place,
        status,
        context,
        tags,
    })
}

/// The detail part at `r`, as [`get_row_part`]; each source kept (as
/// `source` makes it of its file, sentence, offsets and timex) unless
/// `depth` is [`Depth::View`].
pub(super) fn get_detail_part<'a, S: Text<'a>, Src, Srcs: SourceList<Src>>(
    r: &mut Fields<'a>,
    depth: Depth,
    source: impl Fn(S, S, usize, usize, S) -> Src,
) -> Option<DetailPart<S, Src, Srcs>> {
    let added = r.datetime()?;
    let notes = r.opt_text(depth.full())?;
    let remind = r.opt_text(depth.full())?;
    let tz = r.opt_text(depth.full())?;
    let modified = match r.u8()? {
        0 => None,
        1 => Some(r.datetime()?),
        _ => return None,
    };
    let edits = r.u32()?;
    let n = r.len()?;
    // A source takes five bytes at least.
    let room = if depth.identity() {
        n.min(r.remaining() / 5)
    } else {
        0
    };
    let mut sources = Srcs::with_room(room);
    for _ in 0..n {
        let file = r.text(depth.identity())?;
        let sentence = r.text(depth.full())?;
        let start = r.len()?;
        let end = r.len()?;
        let timex = r.text(depth.full())?;
        if depth.identity() {
            sources.push(source(file, sentence, start, end, timex));
        }
    }
    Some(DetailPart {
        added,
        notes,
        remind,
        tz,
        modified,
        edits,
        sources,
        kept: std::marker::PhantomData,
    })
}

/// An event's time; a recurrence's rule read past (`Some("")`) unless
/// `rule`.
fn get_when(r: &mut Fields<'_>, rule: bool) -> Option<When> {
    Some(match r.u8()? {
        0 => When::Date(r.date()?),
        1 => {
            let at = r.datetime()?;
            let offset = match r.u8()? {
                0 => None,
                1 => Some(u16::try_from(r.var()?).ok()? as i16),
                _ => return None,
            };
            When::DateTime { at, offset }
        }
        2 => When::Range {
            start: r.date()?,
            end: r.date()?,
        },
        3 => When::Recurring(Recurrence {
            rule: r.opt_text::<String>(rule)?,
            start: r.opt_date()?,
            time: match r.u8()? {
                0 => None,
                1 => Some(NaiveTime::from_num_seconds_from_midnight_opt(r.u32()?, 0)?),
                _ => return None,
            },
            done_through: r.opt_date()?,
        }),
        _ => return None,
    })
}

/// One event decoded to `depth`, its parts read from `rows` and
/// `details`.
pub(super) fn get_event(
    rows: &mut Fields<'_>,
    details: &mut Fields<'_>,
    depth: Depth,
) -> Option<Event> {
    let mut event = event_of(get_row_part(rows, depth)?);
    get_detail_part(details, depth, source)?.fill(&mut event);
    Some(event)
}

/// A source of an owned [`Event`], for [`get_detail_part`].
pub(super) fn source(
    file: String,
    sentence: String,
    start: usize,
    end: usize,
    timex: String,
) -> Source {
    Source {
        file,
        sentence,
        start,
        end,
        timex,
    }
}

/// The event of a row part, its details empty until a detail part
/// fills them in ([`DetailPart::fill`]).
pub(super) fn event_of(row: RowPart<String>) -> Event {
    Event {
        id: row.id,
        title: row.title,
        kind: row.kind,
        when: row.when,
        value: row.value,
        place: row.place,
        context: row.context,
        status: row.status,
        added: NaiveDateTime::MIN,
        notes: None,
        remind: None,
        tags: row.tags,
        tz: None,
        modified: None,
        edits: 0,
        sources: Vec::new(),
    }
}

impl DetailPart<String, Source> {
    /// Gives `event` these details.
    pub(super) fn fill(self, event: &mut Event) {
        event.added = self.added;
        event.notes = self.notes;
        event.remind = self.remind;
        event.tz = self.tz;
        event.modified = self.modified;
        event.edits = self.edits;
        event.sources = self.sources;
    }
}

/// One event as a table shows it ([`Row`]), its text borrowed from the
/// cache's bytes: its row part, all a table reads.
pub(super) fn get_row<'a>(rows: &mut Fields<'a>) -> Option<Row<'a>> {
    let row = get_row_part(rows, Depth::View)?;
    Some(Row {
        id: row.id,
        title: row.title,
        kind: row.kind,
        when: row.when,
        value: row.value,
        place: row.place,
        context: row.context,
        status: row.status,
        tags: row.tags,
    })
}

/// One event whole, its text borrowed from the cache's bytes.
pub(super) fn get_event_ref<'a>(
    rows: &mut Fields<'a>,
    details: &mut Fields<'a>,
) -> Option<EventRef<'a>> {
    let row = get_row_part(rows, Depth::Full)?;
    let detail: DetailPart<_, _, SourceRefs<'a>> =
        get_detail_part(details, Depth::Full, |file, sentence, start, end, timex| {
            SourceRef {
                file,
                sentence,
                start,
                end,
                timex,
            }
        })?;
    Some(EventRef {
        id: row.id,
        title: row.title,
        kind: row.kind,
        when: row.when,
        value: row.value,
        place: row.place,
        context: row.context,
        status: row.status,
        added: detail.added,
        notes: detail.notes,
        remind: detail.remind,
        tags: row.tags,
        tz: detail.tz,
        modified: detail.modified,
        edits: detail.edits,
        sources: detail.sources,
    })
}

/// A string field as a decoder keeps it: owned, or borrowed from the
/// cache's bytes.
pub(super) trait Text<'a>: Default {
    fn of(s: &'a str) -> Self;
}

impl<'a> Text<'a> for String {
    fn of(s: &'a str) -> String {
        s.to_owned()
    }
}

impl<'a> Text<'a> for &'a str {
    fn of(s: &'a str) -> &'a str {
        s
    }
}

/// Reads events' parts: from a section checked as UTF-8 once, whole
/// ([`Fields::new`]), or from bytes whose strings are checked one by one
/// as they are kept ([`Fields::unchecked`]), when most are read past.
pub(super) struct Fields<'a> {
    bytes: &'a [u8],
    /// The same bytes, when checked whole.
    text: Option<&'a str>,
    at: usize,
}

impl<'a> Fields<'a> {
    /// `None` unless `bytes` are UTF-8.
    pub(super) fn new(bytes: &'a [u8]) -> Option<Fields<'a>> {
        let text = std::str::from_utf8(bytes).ok()?;
        Some(Fields {
            bytes,
            text: Some(text),
            at: 0,
        })
    }

    /// Each string checked when it is kept.
    pub(super) fn unchecked(bytes: &'a [u8]) -> Fields<'a> {
        Fields {
            bytes,
            text: None,
            at: 0,
        }
    }

    /// Bytes `range` of a section checked whole, read from their start.
    pub(super) fn part(&self, range: std::ops::Range<usize>) -> Option<Fields<'a>> {
        let text = self.text?.get(range)?;
        Some(Fields {
            bytes: text.as_bytes(),
            text: Some(text),
            at: 0,
        })
    }

    /// The bytes not read yet.
    pub(super) fn remaining(&self) -> usize {
        self.bytes.len() - self.at
    }

    pub(super) fn u8(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(b)
    }

    /// A number written by [`Writer::var`].
    fn var(&mut self) -> Option<u64> {
        let mut n = 0u64;
        let mut shift = 0;
        loop {
            let b = self.u8()?;
            // Past the sixty-fourth bit, or a byte no writer gives.
            if b >= 0x80 || shift == 60 && b > 0x0f {
                return None;
            }
            n |= u64::from(b & 0x3f) << shift;
            if b & 0x40 == 0 {
                return Some(n);
            }
            shift += 6;
        }
    }

    fn len(&mut self) -> Option<usize> {
        usize::try_from(self.var()?).ok()
    }

    fn u32(&mut self) -> Option<u32> {
        u32::try_from(self.var()?).ok()
    }

    /// A string where it lies: in a section checked whole, its ends must
    /// fall between characters, the only check left.
    pub(super) fn str(&mut self) -> Option<&'a str> {
        let n = self.len()?;
        let end = self.at.checked_add(n)?;
        let s = match self.text {
            Some(text) => text.get(self.at..end)?,
            None => std::str::from_utf8(self.bytes.get(self.at..end)?).ok()?,
        };
        self.at = end;
        Some(s)
    }

    /// A string, or with `keep` false one read past (empty, its bytes
    /// unchecked).
    fn text<S: Text<'a>>(&mut self, keep: bool) -> Option<S> {
        if keep {
            return Some(S::of(self.str()?));
        }
        let n = self.len()?;
        let end = self.at.checked_add(n)?;
        if end > self.bytes.len() {
            return None;
        }
        self.at = end;
        Some(S::default())
    }

    /// An optional string, as [`Fields::text`]: `Some("")` when read past.
    fn opt_text<S: Text<'a>>(&mut self, keep: bool) -> Option<Option<S>> {
        match self.u8()? {
            0 => Some(None),
            1 => Some(Some(self.text(keep)?)),
            _ => None,
        }
    }

    fn date(&mut self) -> Option<NaiveDate> {
        NaiveDate::from_num_days_from_ce_opt(self.u32()? as i32)
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

pub(super) struct Writer(pub(super) Vec<u8>);

impl Writer {
    pub(super) fn u8(&mut self, n: u8) {
        self.0.push(n);
    }

    pub(super) fn u32(&mut self, n: u32) {
        self.0.extend_from_slice(&n.to_le_bytes());
    }

    pub(super) fn u64(&mut self, n: u64) {
        self.0.extend_from_slice(&n.to_le_bytes());
    }

    /// A number in an event's part: six bits to a byte, the lowest
    /// first, bit 6 set on each byte but the last. No byte is 0x80 or
    /// more, so the part's bytes are UTF-8 where its strings are.
    pub(super) fn var(&mut self, mut n: u64) {
        while n >= 0x40 {
            self.0.push((n & 0x3f) as u8 | 0x40);
            n >>= 6;
        }
        self.0.push(n as u8);
    }

    /// A string in an event's part: its length and its bytes.
    fn text(&mut self, s: &str) -> Option<()> {
        self.var(u64::from(u32::try_from(s.len()).ok()?));
        self.0.extend_from_slice(s.as_bytes());
        Some(())
    }

    fn opt_text(&mut self, s: Option<&str>) -> Option<()> {
        match s {
            None => {
                self.u8(0);
                Some(())
            }
            Some(s) => {
                self.u8(1);
                self.text(s)
            }
        }
    }

    /// Days from the common era, as their i32's bits.
    fn var_date(&mut self, d: NaiveDate) {
        self.var(u64::from(d.num_days_from_ce() as u32));
    }

    fn opt_var_date(&mut self, d: Option<NaiveDate>) {
        match d {
            None => self.u8(0),
            Some(d) => {
                self.u8(1);
                self.var_date(d);
            }
        }
    }

    /// Date, seconds from midnight and nanoseconds (a leap second's
    /// are 1e9 or more, as chrono keeps them).
    fn var_datetime(&mut self, dt: NaiveDateTime) {
        self.var_date(dt.date());
        self.var(u64::from(dt.time().num_seconds_from_midnight()));
        self.var(u64::from(dt.time().nanosecond()));
    }
}

/// Reads the cache's framing: fixed-width little-endian numbers.
pub(super) struct Reader<'a> {
    pub(super) rest: &'a [u8],
}

impl<'a> Reader<'a> {
    pub(super) fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = self.rest.split_at_checked(n)?;
        self.rest = rest;
        Some(head)
    }

    pub(super) fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.take(N)?.try_into().ok()
    }

    pub(super) fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.array()?))
    }

    pub(super) fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.array()?))
    }

    pub(super) fn len(&mut self) -> Option<usize> {
        usize::try_from(self.u64()?).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event_with_sources(n: usize) -> Event {
        let day = NaiveDate::from_ymd_opt(2014, 10, 14).unwrap();
        Event {
            id: format!("ev-{n}"),
            title: "Budget talks".into(),
            kind: Kind::Meeting,
            when: When::Date(day),
            value: "2014-10-14".into(),
            place: Some("Vienna".into()),
            context: None,
            status: Status::Open,
            added: day.and_hms_opt(9, 0, 0).unwrap(),
            notes: Some("bring the figures".into()),
            remind: None,
            tags: vec!["work".into()],
            tz: None,
            modified: None,
            edits: 0,
            sources: (0..n)
                .map(|k| Source {
                    file: format!("doc-{k}.txt"),
                    sentence: format!("Sentence {k}."),
                    start: k,
                    end: k + 4,
                    timex: "2014-10-14".into(),
                })
                .collect(),
        }
    }

    #[test]
    fn an_event_read_borrowed_has_every_source_in_order() {
        // No source, the one nearly every event has (kept in place), and
        // several (the later ones in a Vec).
        for n in [0, 1, 2, 5] {
            let event = event_with_sources(n);
            let (mut rows, mut details) = (Writer(Vec::new()), Writer(Vec::new()));
            put_event(&mut rows, &mut details, &event).unwrap();
            let (mut r, mut d) = (
                Fields::new(&rows.0).unwrap(),
                Fields::new(&details.0).unwrap(),
            );
            let read = get_event_ref(&mut r, &mut d).unwrap();
            assert_eq!(read, EventRef::from(&event), "{n} sources");
            assert_eq!(read.sources.len(), n);
            let files: Vec<&str> = read.sources.iter().map(|s| s.file).collect();
            let want: Vec<&str> = event.sources.iter().map(|s| s.file.as_str()).collect();
            assert_eq!(files, want);
        }
    }
}
