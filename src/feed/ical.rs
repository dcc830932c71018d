//! The tracked events as an iCalendar feed (RFC 5545).
//!
//! It is a pure function of the events: no clock, no randomness, so
//! the same store always exports to the same bytes (and so the same ETag in
//! `serve`).
//!
//! How an [`Event`] becomes iCalendar:
//!
//! - **Date** → an all-day `VEVENT`: `DTSTART;VALUE=DATE` and the exclusive
//!   `DTEND;VALUE=DATE` of the next day. **Range** → the same with its own
//!   start and (exclusive) end dates.
//! - **Date-time with a known UTC offset** → converted to UTC (`…Z`).
//! - **Date-time without an offset** → a *floating* time, on purpose: the
//!   text said "3 p.m." and nothing about a zone, so the event happens at
//!   3 p.m. on whatever clock the reader's calendar keeps. Guessing a zone
//!   would invent precision the text did not give. A timed event lasts an
//!   hour in the calendar (the views count only to its start).
//! - **Recurrence** → a `VEVENT` whose `DTSTART` is the first occurrence
//!   (all-day, or floating at the occurrences' time) and whose `RRULE` is
//!   the event's rule (see [`crate::events::recur`]). A recurrence no rule
//!   says ("twice a month") is left out of the feed, and the calendar's
//!   `X-TIMELINE-SKIPPED-RECURRING` property says how many (the property is
//!   absent when none were). JSON and CSV carry every event.
//! - `UID` is `<event id>@timeline` (`<event id>-todo@timeline` for the
//!   `VTODO`, since a UID names one component). `DTSTAMP` and
//!   `LAST-MODIFIED` are the event's `added` time, converted from the
//!   user's wall clock to UTC in [`IcsOptions::zone`] — never the
//!   current time. `SEQUENCE` is the number of sources plus one when the
//!   event is done (see [`sequence`]), so it grows when more evidence is
//!   found or the event is closed.
//! - `STATUS:CONFIRMED` on every `VEVENT` (the text reported it), with
//!   `X-TIMELINE-STATUS:open|done`; a done deadline's `VTODO` is
//!   `STATUS:COMPLETED`, an open one `NEEDS-ACTION`.
//! - `CATEGORIES` is the kind and the tags, `LOCATION` the place, `SUMMARY` the title,
//!   `DESCRIPTION` the notes and each source sentence with its document,
//!   `X-TIMELINE-VALUE` the TIMEX3 value, `X-TIMELINE-CONTEXT` the
//!   document's subject (`SUMMARY` shows it before the title).
//! - Deadlines are `TRANSP:TRANSPARENT` (a due date does not make anyone
//!   busy) and carry a `VALARM` (`ACTION:DISPLAY`): by default a day
//!   before a timed deadline, and at 09:00 the day before an all-day one
//!   (`TRIGGER:-PT15H`), not at midnight; an event with its own `remind` lead time gets an alarm with
//!   that lead whatever its kind. `alarm: None` turns every alarm off; done
//!   events get none. With `todo`, each dated deadline also becomes a
//!   `VTODO` with `DUE` (recurring deadlines stay `VEVENT`s only).

use std::fmt::Write as _;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};

use super::ics_text::{clean_text, escape_text, fold_into, Lines};

use super::ics_event::IcsEvent;
use crate::events::{Event, Kind, Status, When};

/// How the iCalendar feed is written.
#[derive(Clone, Debug)]
pub struct IcsOptions {
    /// The calendar's name (`NAME`, `X-WR-CALNAME`).
    pub calendar_name: String,
    /// How long before a deadline its alarm fires; `None` writes no alarms.
    pub alarm: Option<Duration>,
    /// Also write a `VTODO` with `DUE` for each deadline.
    pub todo: bool,
    /// How often subscribers should re-fetch (`REFRESH-INTERVAL`,
    /// `X-PUBLISHED-TTL`).
    pub refresh: Duration,
    /// The user's zone (an IANA name): the store's own wall-clock times
    /// (`added`, `modified`) are in it, for `DTSTAMP` and `LAST-MODIFIED`.
    /// The library reads no zone: the caller passes the user's; `None`
    /// takes wall time as UTC.
    pub zone: Option<String>,
}

impl IcsOptions {
    /// A wall-clock time of the user's zone in UTC.
    pub fn to_utc(&self, t: NaiveDateTime) -> NaiveDateTime {
        self.zone
            .as_deref()
            .and_then(|z| crate::engine::zone::to_utc(z, t))
            .unwrap_or(t)
    }
}

impl Default for IcsOptions {
    fn default() -> Self {
        IcsOptions {
            calendar_name: "timeline".to_string(),
            alarm: Some(Duration::days(1)),
            todo: false,
            refresh: Duration::hours(1),
            zone: None,
        }
    }
}

/// The product identifier written as `PRODID`.
pub const PRODID: &str = "-//timeline//timeline//EN";

/// The events as an iCalendar document: CRLF line ends, lines folded at 75
/// octets on UTF-8 character boundaries, byte-identical for the same input.
pub fn to_ics(events: &[Event], opts: &IcsOptions) -> String {
    let refs: Vec<&Event> = events.iter().collect();
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write_ics(&refs, opts, &mut out);
    // Every piece written is a `String`'s bytes.
    String::from_utf8(out).unwrap_or_default()
}

/// How much text [`write_ics`] gathers before passing it on: large writes,
/// flat memory.
const CHUNK: usize = 1 << 16;

/// [`to_ics`], written to `out` as it is made: the calendar's head (which
/// needs every event's zone and whether any is left out), then the events,
/// never the whole document in memory.
pub fn write_ics<E: IcsEvent + Sync>(
    events: &[&E],
    opts: &IcsOptions,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let Plan {
        timings,
        skipped,
        zones,
    } = Plan::of(events);
    let mut w = Lines::default();
    w.whole("BEGIN:VCALENDAR\r\n");
    w.text("VERSION", "2.0");
    w.text("PRODID", PRODID);
    w.text("CALSCALE", "GREGORIAN");
    w.text("METHOD", "PUBLISH");
    let name = clean_text(&opts.calendar_name);
    w.text("NAME", &name);
    w.text("X-WR-CALNAME", &name);
    // "PT1H", not chrono's "PT3600S": what people expect to see.
    let refresh = ical_duration(opts.refresh);
    w.start("REFRESH-INTERVAL")
        .param("VALUE", "DURATION")
        .colon()
        .raw(&refresh)
        .end();
    w.text("X-PUBLISHED-TTL", &refresh);
    if skipped > 0 {
        w.prop("X-TIMELINE-SKIPPED-RECURRING", &skipped.to_string());
    }
    // Each zone is defined over the years its recurrences are likely to
    // be looked at; calendar apps repeat the last rule beyond them. The
    // zones go before the first component that uses them.
    for (z, year) in &zones {
        for line in super::vtimezone::vtimezone(z, *year, year.saturating_add(ZONE_YEARS))
            .unwrap_or_default()
        {
            fold_into(&line, &mut w.out);
        }
    }
    let components = |w: &mut Lines, clock: &mut Clock, i: usize| {
        let (Some(ev), Some(Some(timing))) = (events.get(i), timings.get(i)) else {
            return;
        };
        vevent(w, clock, *ev, timing, opts);
        if opts.todo && ev.kind() == Kind::Deadline && timing.rrule.is_none() {
            vtodo(w, clock, *ev, timing);
        }
    };
    if events.len() < SPLIT_FROM {
        let mut clock = Clock::new(opts);
        for i in 0..events.len() {
            components(&mut w, &mut clock, i);
            if w.out.len() >= CHUNK {
                out.write_all(w.out.as_bytes())?;
                w.out.clear();
            }
        }
    } else {
        in_two_threads(&mut w, events.len(), opts, components, out)?;
    }
    w.whole("END:VCALENDAR\r\n");
    out.write_all(w.out.as_bytes())
}

/// From this many events on, [`write_ics`] writes them on two threads.
const SPLIT_FROM: usize = 4096;

/// How many events each thread writes at a time.
const BATCH: usize = 512;

/// The text `write` gives each of `count` events, written to `out` in
/// order after what `w` holds: batches of [`BATCH`] events, every other
/// one written on a second thread and handed back in order, one batch at
/// a time (a feed of 100,000 events took 0.3 s on one). Each thread has
/// its own [`Clock`]: its memory of the last time converted changes no
/// time written.
fn in_two_threads(
    w: &mut Lines,
    count: usize,
    opts: &IcsOptions,
    write: impl Fn(&mut Lines, &mut Clock, usize) + Sync,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let batches = count.div_ceil(BATCH);
    let batch = &|w: &mut Lines, clock: &mut Clock, b: usize| {
        for i in b * BATCH..((b + 1) * BATCH).min(count) {
            write(w, clock, i);
        }
    };
    std::thread::scope(|s| {
        // One batch waits while the next is written: flat memory.
        let (give, take) = std::sync::mpsc::sync_channel::<String>(1);
        s.spawn(move || {
            let (mut mine, mut clock) = (Lines::default(), Clock::new(opts));
            for b in (1..batches).step_by(2) {
                batch(&mut mine, &mut clock, b);
                // The next batch's room, sized as this one's: no growing.
                let room = mine.out.len();
                let text = std::mem::replace(&mut mine.out, String::with_capacity(room));
                if give.send(text).is_err() {
                    // The writer stopped: its error is reported.
                    return;
                }
            }
        });
        let mut clock = Clock::new(opts);
        for b in (0..batches).step_by(2) {
            batch(w, &mut clock, b);
            out.write_all(w.out.as_bytes())?;
            w.out.clear();
            if b + 1 < batches {
                let text = take.recv().map_err(|_| {
                    std::io::Error::other("the iCalendar writer's second thread stopped")
                })?;
                out.write_all(text.as_bytes())?;
            }
        }
        Ok(())
    })
}

/// What the calendar's head needs before any event is written, from one
/// pass over the events: each event's placement, how many recurrences are
/// left out, and the zones of TZID times with the first year each is used
/// in.
pub(super) struct Plan {
    pub(super) timings: Vec<Option<Timing>>,
    pub(super) skipped: usize,
    pub(super) zones: Vec<(String, i32)>,
}

impl Plan {
    pub(super) fn of<E: IcsEvent>(events: &[&E]) -> Plan {
        let mut plan = Plan {
            timings: Vec::with_capacity(events.len()),
            skipped: 0,
            zones: Vec::new(),
        };
        for ev in events {
            let t = timing(*ev);
            match &t {
                None => plan.skipped += 1,
                Some(Timing {
                    span: Span::Zoned { start, tzid, .. },
                    ..
                }) => match plan.zones.iter_mut().find(|(z, _)| z == tzid) {
                    Some((_, year)) => *year = (*year).min(start.year()),
                    None => plan.zones.push((tzid.clone(), start.year())),
                },
                Some(_) => {}
            }
            plan.timings.push(t);
        }
        plan
    }
}

/// How many years past its first use a `VTIMEZONE` lists its changes.
pub(super) const ZONE_YEARS: i32 = 10;

/// When an event sits in the calendar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Span {
    /// All-day, `end` exclusive.
    Days { start: NaiveDate, end: NaiveDate },
    /// An instant known in UTC.
    Utc {
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    },
    /// Wall-clock time with no zone: floating, on purpose (module docs).
    Floating {
        start: NaiveDateTime,
        end: NaiveDateTime,
    },
    /// Wall-clock time of a named zone (`TZID`): a recurrence whose hour
    /// must hold across DST changes.
    Zoned {
        start: NaiveDateTime,
        end: NaiveDateTime,
        tzid: String,
    },
}

pub(super) struct Timing {
    pub(super) span: Span,
    pub(super) rrule: Option<String>,
}

/// The calendar placement of an event; `None` for a recurrence no `RRULE`
/// expresses.
pub(super) fn timing(ev: &impl IcsEvent) -> Option<Timing> {
    let span = match ev.when() {
        When::Date(d) => Span::Days {
            start: *d,
            end: next_day(*d),
        },
        When::Range { start, end } => Span::Days {
            start: *start,
            end: if end > start { *end } else { next_day(*start) },
        },
        When::DateTime { at, offset } => {
            // The end a range of clock times gave ("2-3pm": the value
            // "…T14:00/…T15:00"), else an hour in the calendar: a
            // one-minute event is a sliver no one can see or click.
            let end = stated_end(ev.value(), *at).unwrap_or(*at + Duration::hours(1));
            match offset {
                Some(minutes) => {
                    let shift = Duration::minutes(i64::from(*minutes));
                    Span::Utc {
                        start: Utc.from_utc_datetime(&(*at - shift)),
                        end: Utc.from_utc_datetime(&(end - shift)),
                    }
                }
                None => Span::Floating { start: *at, end },
            }
        }
        When::Recurring(r) => {
            let (rule, first) = (r.rule.clone()?, r.start?);
            let span = match (r.time, ev.tz()) {
                (None, _) => Span::Days {
                    start: first,
                    end: next_day(first),
                },
                (Some(t), Some(tz)) => Span::Zoned {
                    start: first.and_time(t),
                    end: first.and_time(t) + Duration::hours(1),
                    tzid: tz.to_string(),
                },
                (Some(t), None) => Span::Floating {
                    start: first.and_time(t),
                    end: first.and_time(t) + Duration::hours(1),
                },
            };
            return Some(Timing {
                span,
                rrule: Some(rule),
            });
        }
    };
    Some(Timing { span, rrule: None })
}

/// The end of a timed event whose value is an interval ("…T14:00/…T15:00"),
/// when it is later than the start and within a day of it.
fn stated_end(value: &str, at: NaiveDateTime) -> Option<NaiveDateTime> {
    let (_, end) = value.split_once('/')?;
    let end = NaiveDateTime::parse_from_str(end, "%Y-%m-%dT%H:%M").ok()?;
    (end > at && end - at <= Duration::days(1)).then_some(end)
}

pub(super) fn next_day(d: NaiveDate) -> NaiveDate {
    d.succ_opt().unwrap_or(d)
}

/// `SEQUENCE`: the number of sources, plus one once the event is done. Both
/// only grow as the store learns more, and the value depends on nothing but
/// the event, so the export stays byte-identical.
pub fn sequence(ev: &impl IcsEvent) -> u32 {
    let done = u32::from(ev.status() == Status::Done);
    u32::try_from(ev.source_count())
        .unwrap_or(u32::MAX)
        .saturating_add(done)
        .saturating_add(ev.edits())
}

/// A start, end or due time, with `key` its property name.
fn when_line(w: &mut Lines, key: &str, span: &Span, end: bool) {
    w.start(key);
    match span {
        Span::Days { start, end: e } => {
            w.value_date().colon().date(if end { *e } else { *start });
        }
        Span::Utc { start, end: e } => {
            w.colon().utc(if end { *e } else { *start });
        }
        Span::Floating { start, end: e } => {
            w.colon().date_time(if end { *e } else { *start });
        }
        Span::Zoned {
            start,
            end: e,
            tzid,
        } => {
            w.param("TZID", tzid)
                .colon()
                .date_time(if end { *e } else { *start });
        }
    }
    w.end();
}

/// A `VEVENT`, its properties in name order as the crate kept them, then
/// `CATEGORIES` and the alarm.
fn vevent(
    w: &mut Lines,
    clock: &mut Clock,
    ev: &impl IcsEvent,
    timing: &Timing,
    opts: &IcsOptions,
) {
    w.whole("BEGIN:VEVENT\r\n");
    description_line(w, ev);
    when_line(w, "DTEND", &timing.span, true);
    let (stamp, changed) = clock.stamps(ev);
    w.start("DTSTAMP").colon().utc(changed.max(stamp)).end();
    when_line(w, "DTSTART", &timing.span, false);
    w.start("LAST-MODIFIED").colon().utc(changed).end();
    if let Some(place) = ev.place() {
        w.start("LOCATION").colon().clean_escaped(place).end();
    }
    if let Some(rule) = &timing.rrule {
        w.prop("RRULE", rule);
    }
    w.start("SEQUENCE")
        .colon()
        .number(u64::from(sequence(ev)))
        .end();
    w.whole("STATUS:CONFIRMED\r\n");
    summary(w, ev);
    if ev.kind() == Kind::Deadline {
        w.whole("TRANSP:TRANSPARENT\r\n");
    }
    w.start("UID")
        .colon()
        .escaped(ev.id())
        .raw("@timeline")
        .end();
    context_line(w, ev);
    // Whole lines: a status name has nothing to escape (taking it through
    // the escaper was three hundred instructions an event).
    w.whole(match ev.status() {
        Status::Open => "X-TIMELINE-STATUS:open\r\n",
        Status::Done => "X-TIMELINE-STATUS:done\r\n",
    });
    w.start("X-TIMELINE-VALUE")
        .colon()
        .clean_escaped(ev.value())
        .end();
    categories(w, ev);
    let all_day = matches!(timing.span, Span::Days { .. });
    if let Some(lead) = alarm_lead(ev, opts, all_day) {
        w.whole("BEGIN:VALARM\r\n");
        w.whole("ACTION:DISPLAY\r\n");
        w.start("DESCRIPTION")
            .colon()
            .clean_escaped(ev.title())
            .end();
        w.start("TRIGGER").colon().duration(-lead).end();
        w.whole("END:VALARM\r\n");
    }
    w.whole("END:VEVENT\r\n");
}

/// A deadline's `VTODO`, laid out as [`vevent`].
fn vtodo(w: &mut Lines, clock: &mut Clock, ev: &impl IcsEvent, timing: &Timing) {
    w.whole("BEGIN:VTODO\r\n");
    description_line(w, ev);
    let (stamp, changed) = clock.stamps(ev);
    w.start("DTSTAMP").colon().utc(changed.max(stamp)).end();
    when_line(w, "DUE", &timing.span, false);
    w.start("LAST-MODIFIED").colon().utc(changed).end();
    if let Some(place) = ev.place() {
        w.start("LOCATION").colon().clean_escaped(place).end();
    }
    if ev.status() == Status::Done {
        w.whole("PERCENT-COMPLETE:100\r\n");
    }
    w.start("SEQUENCE")
        .colon()
        .number(u64::from(sequence(ev)))
        .end();
    w.whole(match ev.status() {
        Status::Open => "STATUS:NEEDS-ACTION\r\n",
        Status::Done => "STATUS:COMPLETED\r\n",
    });
    summary(w, ev);
    w.start("UID")
        .colon()
        .escaped(ev.id())
        .raw("-todo@timeline")
        .end();
    context_line(w, ev);
    w.start("X-TIMELINE-VALUE")
        .colon()
        .clean_escaped(ev.value())
        .end();
    categories(w, ev);
    w.whole("END:VTODO\r\n");
}

/// [`IcsOptions::to_utc`] with the zone looked up once, remembering the
/// last time converted: events added together share their `added` time.
struct Clock {
    tz: Option<chrono_tz::Tz>,
    last: Option<(NaiveDateTime, NaiveDateTime)>,
}

impl Clock {
    fn new(opts: &IcsOptions) -> Clock {
        let zone = opts.zone.as_deref();
        let tz = zone
            .and_then(crate::engine::zone::canonical)
            .and_then(|z| z.parse().ok());
        Clock { tz, last: None }
    }

    fn utc_of(&mut self, t: NaiveDateTime) -> DateTime<Utc> {
        let utc = match self.last {
            Some((wall, utc)) if wall == t => utc,
            _ => {
                let utc = self
                    .tz
                    .and_then(|tz| crate::engine::zone::offset_of(tz, t))
                    .and_then(|m| t.checked_sub_signed(Duration::minutes(i64::from(m))))
                    .unwrap_or(t);
                self.last = Some((t, utc));
                utc
            }
        };
        Utc.from_utc_datetime(&utc)
    }

    /// `DTSTAMP`'s and `LAST-MODIFIED`'s times: the event's own, never now.
    fn stamps(&mut self, ev: &impl IcsEvent) -> (DateTime<Utc>, DateTime<Utc>) {
        let stamp = self.utc_of(ev.added());
        match ev.modified() {
            Some(m) if m != ev.added() => (stamp, self.utc_of(m)),
            _ => (stamp, stamp),
        }
    }
}

/// SUMMARY shows the context in front of the title; this says which part
/// it is, so an import gives both back. Escaped twice, as the crate-based
/// writer did (it escaped the value, then the crate escaped X- properties
/// again), to keep the feed's bytes; the import undoes both (the
/// crate's parser once, `import/ics.rs` once more).
fn context_line(w: &mut Lines, ev: &impl IcsEvent) {
    if let Some(context) = ev.context() {
        let once = escape_text(&clean_text(context));
        w.start("X-TIMELINE-CONTEXT").colon().escaped(&once).end();
    }
}

/// `SUMMARY`: [`Shown::display_title`], not copied when it is the title.
///
/// [`Shown::display_title`]: crate::events::Shown::display_title
fn summary(w: &mut Lines, ev: &impl IcsEvent) {
    w.start("SUMMARY").colon();
    match ev.context() {
        None => w.clean_escaped(ev.title()),
        Some(_) => w.clean_escaped(&ev.display_title()),
    }
    .end();
}

/// The kind and the tags, each escaped, separated by bare commas.
fn categories(w: &mut Lines, ev: &impl IcsEvent) {
    w.start("CATEGORIES").colon().word(ev.kind().name());
    for tag in ev.tags() {
        w.raw(",").clean_escaped(tag);
    }
    w.end();
}

/// `DESCRIPTION`, as [`description`] gives it, without its allocations:
/// each part cleaned and escaped straight into the line, which is the
/// same as the whole text cleaned and escaped (a part never ends in a
/// CR before one that starts with a line break, nor in half a
/// character).
fn description_line(w: &mut Lines, ev: &impl IcsEvent) {
    let notes = ev.notes().map(str::trim).filter(|n| !n.is_empty());
    let mut sources = ev.sources().peekable();
    // Cleaning drops control characters; a line break stays. A source
    // always leaves "(from".
    let kept = |c: char| !c.is_control() || matches!(c, '\n' | '\t' | '\r');
    if sources.peek().is_none() && !notes.is_some_and(|n| n.chars().any(kept)) {
        return;
    }
    w.start("DESCRIPTION").colon();
    let mut first = true;
    if let Some(notes) = notes {
        w.clean_escaped(notes);
        first = false;
    }
    for (file, sentence) in sources {
        if !first {
            w.raw("\\n\\n");
        }
        first = false;
        w.clean_escaped(sentence.trim())
            .raw("\\n(from ")
            .clean_escaped(file)
            .raw(")");
    }
    w.end();
}

/// How long before the start an event's alarm fires, if it gets one.
pub(super) fn alarm_lead(ev: &impl IcsEvent, opts: &IcsOptions, all_day: bool) -> Option<Duration> {
    let default = opts.alarm?;
    if ev.status() == Status::Done {
        return None;
    }
    let lead = match ev.remind().and_then(parse_lead) {
        Some(lead) => lead,
        None if ev.kind() == Kind::Deadline => default,
        None => return None,
    };
    // An all-day event starts at midnight: a lead of whole days fires at
    // 09:00 of the day that far ahead, when someone is awake to read it.
    let whole_days = lead >= Duration::days(1) && lead.num_seconds() % 86_400 == 0;
    Some(if all_day && whole_days {
        lead - Duration::hours(9)
    } else {
        lead
    })
}

/// A reminder lead time such as "1d", "2h", "30m", "1w" or "1d12h".
pub fn parse_lead(s: &str) -> Option<Duration> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let mut total = Duration::zero();
    let mut num = String::new();
    for c in s.chars() {
        if c.is_ascii_digit() {
            num.push(c);
            continue;
        }
        let n: i64 = num.parse().ok()?;
        num.clear();
        total += match c.to_ascii_lowercase() {
            'w' => Duration::try_weeks(n)?,
            'd' => Duration::try_days(n)?,
            'h' => Duration::try_hours(n)?,
            'm' => Duration::try_minutes(n)?,
            _ => return None,
        };
    }
    num.is_empty().then_some(total)
}

/// An RFC 5545 duration (§3.3.6): "P1D", "PT1H", "-P1DT12H", "PT0S".
pub fn ical_duration(d: Duration) -> String {
    let mut out = String::new();
    push_ical_duration(&mut out, d);
    out
}

/// [`ical_duration`], appended to `out` (every deadline's alarm has one).
pub(super) fn push_ical_duration(out: &mut String, d: Duration) {
    let sign = if d < Duration::zero() { "-" } else { "" };
    let secs = d.num_seconds().unsigned_abs();
    if secs == 0 {
        return out.push_str("PT0S");
    }
    let (days, rest) = (secs / 86_400, secs % 86_400);
    let (h, m, s) = (rest / 3600, rest % 3600 / 60, rest % 60);
    out.push_str(sign);
    out.push('P');
    if days > 0 {
        let _ = write!(out, "{days}D");
    }
    if rest > 0 {
        out.push('T');
        if h > 0 {
            let _ = write!(out, "{h}H");
        }
        // The grammar allows no gap: an hour and seconds need "0M" between.
        if m > 0 || (h > 0 && s > 0) {
            let _ = write!(out, "{m}M");
        }
        if s > 0 {
            let _ = write!(out, "{s}S");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_written_as_words_need_no_escape() {
        // `vevent` and `categories` write kind and status names as they
        // are, which is only right while escaping would keep them so.
        let names = Kind::ALL.iter().map(|k| k.name());
        for name in names.chain([Status::Open.name(), Status::Done.name()]) {
            assert_eq!(escape_text(name), name);
            assert!(!name.contains('\r'), "{name:?}");
        }
    }

    #[test]
    fn durations_follow_the_rfc_grammar() {
        assert_eq!(ical_duration(Duration::hours(1)), "PT1H");
        assert_eq!(ical_duration(-Duration::days(1)), "-P1D");
        assert_eq!(ical_duration(Duration::zero()), "PT0S");
        assert_eq!(
            ical_duration(Duration::days(1) + Duration::hours(12)),
            "P1DT12H"
        );
        assert_eq!(
            ical_duration(Duration::hours(1) + Duration::seconds(5)),
            "PT1H0M5S"
        );
        assert_eq!(ical_duration(Duration::minutes(90)), "PT1H30M");
    }

    #[test]
    fn lead_times_read_like_the_cli() {
        assert_eq!(parse_lead("1d"), Some(Duration::days(1)));
        assert_eq!(parse_lead("2h"), Some(Duration::hours(2)));
        assert_eq!(
            parse_lead("1d12h"),
            Some(Duration::days(1) + Duration::hours(12))
        );
        assert_eq!(parse_lead("1w"), Some(Duration::weeks(1)));
        assert_eq!(parse_lead("soon"), None);
        assert_eq!(parse_lead("12"), None);
    }
}
