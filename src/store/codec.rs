//! The binary encoding of the read cache (see `index`): little-endian
//! numbers, strings as a u32 length and UTF-8 bytes, dates as days from
//! the common era. A reader never panics: any short or malformed input is
//! `None`, and the cache is then only a miss. An event is written field
//! by field, and read back to a [`Depth`].

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

use super::event_ref::{EventRef, SourceRef};
use crate::events::{Event, Kind, Row, Source, Status, When};

/// How much of each event is decoded.
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

pub(super) fn put_event(w: &mut Writer, e: &Event) -> Option<()> {
    w.str(&e.id)?;
    w.str(&e.title)?;
    w.u8(Kind::ALL.iter().position(|k| *k == e.kind)? as u8);
    match &e.when {
        When::Date(d) => {
            w.u8(0);
            w.date(*d);
        }
        When::DateTime { at, offset } => {
            w.u8(1);
            w.datetime(*at);
            match offset {
                None => w.u8(0),
                Some(o) => {
                    w.u8(1);
                    w.0.extend_from_slice(&o.to_le_bytes());
                }
            }
        }
        When::Range { start, end } => {
            w.u8(2);
            w.date(*start);
            w.date(*end);
        }
        When::Recurring(r) => {
            w.u8(3);
            w.opt_str(r.rule.as_deref())?;
            w.opt_date(r.start);
            match r.time {
                None => w.u8(0),
                Some(t) => {
                    w.u8(1);
                    w.u32(t.num_seconds_from_midnight());
                }
            }
            w.opt_date(r.done_through);
        }
    }
    w.str(&e.value)?;
    w.opt_str(e.place.as_deref())?;
    w.u8(match e.status {
        Status::Open => 0,
        Status::Done => 1,
    });
    w.datetime(e.added);
    w.opt_str(e.notes.as_deref())?;
    w.opt_str(e.remind.as_deref())?;
    w.opt_str(e.context.as_deref())?;
    w.u64(e.tags.len() as u64);
    for t in &e.tags {
        w.str(t)?;
    }
    w.opt_str(e.tz.as_deref())?;
    match e.modified {
        None => w.u8(0),
        Some(m) => {
            w.u8(1);
            w.datetime(m);
        }
    }
    w.u32(e.edits);
    w.u64(e.sources.len() as u64);
    for s in &e.sources {
        w.str(&s.file)?;
        w.str(&s.sentence)?;
        w.u64(s.start as u64);
        w.u64(s.end as u64);
        w.str(&s.timex)?;
    }
    Some(())
}

/// One event, decoded to `depth`.
pub(super) fn get_event(r: &mut Reader<'_>, depth: Depth) -> Option<Event> {
    let id = r.string()?;
    let title = r.string()?;
    let kind = *Kind::ALL.get(usize::from(r.u8()?))?;
    let when = get_when(r, depth.shown())?;
    let value = r.text(depth.identity() || matches!(when, When::Recurring(_)))?;
    let place = r.opt_text(depth.shown())?;
    let status = match r.u8()? {
        0 => Status::Open,
        1 => Status::Done,
        _ => return None,
    };
    let added = r.datetime()?;
    let notes = r.opt_text(depth.full())?;
    let remind = r.opt_text(depth.full())?;
    let context = r.opt_string()?;
    let tags = (0..r.len()?)
        .map(|_| r.string())
        .collect::<Option<Vec<String>>>()?;
    let tz = r.opt_text(depth.full())?;
    let modified = match r.u8()? {
        0 => None,
        1 => Some(r.datetime()?),
        _ => return None,
    };
    let edits = r.u32()?;
    let n = r.len()?;
    let room = if depth.identity() {
        n.min(r.rest.len() / 32)
    } else {
        0
    };
    let mut sources = Vec::with_capacity(room);
    for _ in 0..n {
        let source = Source {
            file: r.text(depth.identity())?,
            sentence: r.text(depth.full())?,
            start: r.len()?,
            end: r.len()?,
            timex: r.text(depth.full())?,
        };
        if depth.identity() {
            sources.push(source);
        }
    }
    Some(Event {
        id,
        title,
        kind,
        when,
        value,
        place,
        context,
        status,
        added,
        notes,
        remind,
        tags,
        tz,
        modified,
        edits,
        sources,
    })
}

/// An event's time; a recurrence's rule read past (`Some("")`) unless
/// `rule`.
fn get_when(r: &mut Reader<'_>, rule: bool) -> Option<When> {
    Some(match r.u8()? {
        0 => When::Date(r.date()?),
        1 => {
            let at = r.datetime()?;
            let offset = match r.u8()? {
                0 => None,
                1 => Some(i16::from_le_bytes(r.array()?)),
                _ => return None,
            };
            When::DateTime { at, offset }
        }
        2 => When::Range {
            start: r.date()?,
            end: r.date()?,
        },
        3 => When::Recurring(crate::events::Recurrence {
            rule: r.opt_text(rule)?,
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

/// One event as a table shows it ([`Row`]), its text borrowed from the
/// cache's bytes: what [`Depth::View`] decodes, without an allocation
/// per field. The fields a row has no room for are read past.
pub(super) fn get_row<'a>(r: &mut Reader<'a>) -> Option<Row<'a>> {
    let id = r.str()?;
    let title = r.str()?;
    let kind = *Kind::ALL.get(usize::from(r.u8()?))?;
    let when = get_when(r, true)?;
    let value = match when {
        When::Recurring(_) => r.str()?,
        _ => r.skip_str().map(|()| "")?,
    };
    let place = r.opt_str()?;
    let status = match r.u8()? {
        0 => Status::Open,
        1 => Status::Done,
        _ => return None,
    };
    // `added` and `modified`, which no table shows, are read past
    // undecoded: decoding a date was a tenth of a row.
    r.take(DATETIME)?;
    r.skip_opt_str()?;
    r.skip_opt_str()?;
    let context = r.opt_str()?;
    let tags = (0..r.len()?)
        .map(|_| r.str())
        .collect::<Option<Vec<&str>>>()?;
    r.skip_opt_str()?;
    match r.u8()? {
        0 => {}
        1 => {
            r.take(DATETIME)?;
        }
        _ => return None,
    }
    r.u32()?;
    for _ in 0..r.len()? {
        r.skip_str()?;
        r.skip_str()?;
        r.u64()?;
        r.u64()?;
        r.skip_str()?;
    }
    Some(Row {
        id,
        title,
        kind,
        when,
        value,
        place,
        context,
        status,
        tags,
    })
}

/// The bytes of a date-time: days, seconds and nanoseconds.
const DATETIME: usize = 12;

/// One event whole, its text borrowed from the cache's bytes: what
/// [`Depth::Full`] decodes but each source's offsets and timex, which the
/// feed does not write.
pub(super) fn get_event_ref<'a>(r: &mut Reader<'a>) -> Option<EventRef<'a>> {
    let id = r.str()?;
    let title = r.str()?;
    let kind = *Kind::ALL.get(usize::from(r.u8()?))?;
    let when = get_when(r, true)?;
    let value = r.str()?;
    let place = r.opt_str()?;
    let status = match r.u8()? {
        0 => Status::Open,
        1 => Status::Done,
        _ => return None,
    };
    let added = r.datetime()?;
    let notes = r.opt_str()?;
    let remind = r.opt_str()?;
    let context = r.opt_str()?;
    let tags = (0..r.len()?)
        .map(|_| r.str())
        .collect::<Option<Vec<&str>>>()?;
    let tz = r.opt_str()?;
    let modified = match r.u8()? {
        0 => None,
        1 => Some(r.datetime()?),
        _ => return None,
    };
    let edits = r.u32()?;
    let n = r.len()?;
    let mut sources = Vec::with_capacity(n.min(r.rest.len() / 32));
    for _ in 0..n {
        let file = r.str()?;
        let sentence = r.str()?;
        r.u64()?;
        r.u64()?;
        r.skip_str()?;
        sources.push(SourceRef { file, sentence });
    }
    Some(EventRef {
        id,
        title,
        kind,
        when,
        value,
        place,
        context,
        status,
        added,
        notes,
        remind,
        tags,
        tz,
        modified,
        edits,
        sources,
    })
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

    pub(super) fn str(&mut self, s: &str) -> Option<()> {
        self.u32(u32::try_from(s.len()).ok()?);
        self.0.extend_from_slice(s.as_bytes());
        Some(())
    }

    pub(super) fn opt_str(&mut self, s: Option<&str>) -> Option<()> {
        match s {
            None => {
                self.u8(0);
                Some(())
            }
            Some(s) => {
                self.u8(1);
                self.str(s)
            }
        }
    }

    pub(super) fn date(&mut self, d: NaiveDate) {
        self.0
            .extend_from_slice(&d.num_days_from_ce().to_le_bytes());
    }

    pub(super) fn opt_date(&mut self, d: Option<NaiveDate>) {
        match d {
            None => self.u8(0),
            Some(d) => {
                self.u8(1);
                self.date(d);
            }
        }
    }

    /// Date, seconds from midnight and nanoseconds (a leap second's
    /// are 1e9 or more, as chrono keeps them).
    pub(super) fn datetime(&mut self, dt: NaiveDateTime) {
        self.date(dt.date());
        self.u32(dt.time().num_seconds_from_midnight());
        self.u32(dt.time().nanosecond());
    }
}

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

    pub(super) fn u8(&mut self) -> Option<u8> {
        Some(self.array::<1>()?[0])
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

    /// A string where it lies.
    pub(super) fn str(&mut self) -> Option<&'a str> {
        let n = usize::try_from(self.u32()?).ok()?;
        std::str::from_utf8(self.take(n)?).ok()
    }

    pub(super) fn opt_str(&mut self) -> Option<Option<&'a str>> {
        match self.u8()? {
            0 => Some(None),
            1 => Some(Some(self.str()?)),
            _ => None,
        }
    }

    /// A string read past, its bytes unchecked (as [`Reader::text`]).
    fn skip_str(&mut self) -> Option<()> {
        let n = usize::try_from(self.u32()?).ok()?;
        self.take(n).map(|_| ())
    }

    fn skip_opt_str(&mut self) -> Option<()> {
        match self.u8()? {
            0 => Some(()),
            1 => self.skip_str(),
            _ => None,
        }
    }

    pub(super) fn string(&mut self) -> Option<String> {
        let n = usize::try_from(self.u32()?).ok()?;
        Some(std::str::from_utf8(self.take(n)?).ok()?.to_owned())
    }

    pub(super) fn opt_string(&mut self) -> Option<Option<String>> {
        self.opt_text(true)
    }

    /// A string, or with `keep` false one read past (empty): its bytes
    /// are checked when a load decodes them.
    pub(super) fn text(&mut self, keep: bool) -> Option<String> {
        if keep {
            return self.string();
        }
        let n = usize::try_from(self.u32()?).ok()?;
        self.take(n)?;
        Some(String::new())
    }

    /// An optional string, as [`Reader::text`]: `Some("")` when read past.
    pub(super) fn opt_text(&mut self, keep: bool) -> Option<Option<String>> {
        match self.u8()? {
            0 => Some(None),
            1 => Some(Some(self.text(keep)?)),
            _ => None,
        }
    }

    pub(super) fn date(&mut self) -> Option<NaiveDate> {
        NaiveDate::from_num_days_from_ce_opt(i32::from_le_bytes(self.array()?))
    }

    pub(super) fn opt_date(&mut self) -> Option<Option<NaiveDate>> {
        match self.u8()? {
            0 => Some(None),
            1 => Some(Some(self.date()?)),
            _ => None,
        }
    }

    pub(super) fn datetime(&mut self) -> Option<NaiveDateTime> {
        let date = self.date()?;
        let (secs, nanos) = (self.u32()?, self.u32()?);
        Some(date.and_time(NaiveTime::from_num_seconds_from_midnight_opt(secs, nanos)?))
    }
}
