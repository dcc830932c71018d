//! The commands that work on the store: `add`, `list`, `upcoming`,
//! `countdown`, `done`, `rm`, `show` and `export`.
//!
//! Like `cli`, they take "now", the streams and the store path as
//! parameters; `main` supplies the clock and the environment.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::{NaiveDateTime, NaiveTime};

use crate::cli::{store_at, Failure};
use crate::events::{when_value, Event, Kind, Recurrence, Row, Shown, Status, When};
use crate::feed::json_csv::{self, ExportEvent};
use crate::store::{EventRef, FileStamp, Store, StoreError};
use crate::views::dates::{read_date, read_recurrence, Lean, TypedDate};
use crate::views::{self, Filter, Style};

/// Output formats of the views.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ViewFormat {
    Table,
    Json,
    Csv,
}

pub(super) fn store_failure(e: StoreError) -> Failure {
    let code = match e {
        StoreError::NotFound { .. } | StoreError::Ambiguous { .. } => 1,
        _ => 2,
    };
    Failure {
        message: format!("timeline: {e}"),
        code,
    }
}

pub(super) fn io_failure(e: std::io::Error) -> Failure {
    Failure::output(e)
}

/// A table view, or, when nothing matches, a line that names the store
/// read (so a user in the wrong folder sees why).
fn write_view<E: ExportEvent + Sync>(
    events: &[&E],
    opts: &ViewOptions,
    empty: &str,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    if opts.format != ViewFormat::Table {
        return render(events, opts.format, opts.now, opts.style, out);
    }
    write_table(events, opts, empty, out)
}

/// [`write_view`] of a table.
fn write_table(
    events: &[&(impl Shown + Sync)],
    opts: &ViewOptions,
    empty: &str,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    if events.is_empty() {
        return writeln!(out, "{empty} in {}", opts.store.display()).map_err(io_failure);
    }
    let shown = shown(events.len(), opts);
    views::table(&events[..shown], opts.now, opts.style, out).map_err(io_failure)?;
    more(events.len() - shown, out)
}

/// How many of `rows` rows a table shows: `--limit`, or every one.
fn shown(rows: usize, opts: &ViewOptions) -> usize {
    opts.limit.map_or(rows, |n| n.min(rows))
}

/// The line under a table cut by `--limit`, when it hid rows.
fn more(hidden: usize, out: &mut dyn Write) -> Result<(), Failure> {
    if hidden > 0 {
        writeln!(out, "… and {hidden} more (--limit 0 shows them all)").map_err(io_failure)?;
    }
    Ok(())
}

pub(super) fn render<E: ExportEvent + Sync>(
    events: &[&E],
    format: ViewFormat,
    now: NaiveDateTime,
    style: Style,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    match format {
        ViewFormat::Table => views::table(events, now, style, &mut out),
        ViewFormat::Json => json_csv::write_json(events, &mut out),
        ViewFormat::Csv => json_csv::write_csv(events, &mut out),
    }
    .and_then(|()| out.flush())
    .map_err(io_failure)
}

/// Options shared by `list` and `upcoming`.
pub struct ViewOptions {
    pub store: PathBuf,
    pub now: NaiveDateTime,
    pub filter: Filter,
    pub format: ViewFormat,
    pub style: Style,
    /// The most rows a table shows (`None`: all); JSON and CSV show all.
    pub limit: Option<usize>,
}

/// `f` of the events a view reads whole (to write JSON or CSV, or to
/// search sources with `--grep`): borrowed from the read cache's bytes
/// when it is current, so 100,000 events are not decoded into strings
/// of their own.
fn with_events<R>(
    store: &Store,
    f: impl FnOnce(&[EventRef<'_>]) -> Result<R, Failure>,
) -> Result<R, Failure> {
    store.with_event_refs(f).map_err(store_failure)?
}

/// Whether a view is a table that [`Row`]s can show: one that shows no
/// source and searches none (`--grep` does).
///
/// [`Row`]: crate::events::Row
fn rows_suffice(opts: &ViewOptions) -> bool {
    opts.format == ViewFormat::Table && opts.filter.grep.is_none()
}

/// `timeline list`: open events (with `--all`, done and past ones too).
pub fn list(opts: &ViewOptions, out: &mut dyn Write) -> Result<(), Failure> {
    let store = store_at(&opts.store);
    if rows_suffice(opts) {
        return store
            .with_rows(|rows| write_table(&opts.filter.apply(rows), opts, "No events match", out))
            .map_err(store_failure)?;
    }
    with_events(&store, |events| {
        write_view(&opts.filter.apply(events), opts, "No events match", out)
    })
}

/// `timeline upcoming`: open events that have not ended by today, soonest first.
pub fn upcoming(opts: &ViewOptions, out: &mut dyn Write) -> Result<(), Failure> {
    let store = store_at(&opts.store);
    if rows_suffice(opts) {
        return store
            .with_rows(|rows| write_table(&upcoming_rows(rows, opts), opts, "No events match", out))
            .map_err(store_failure)?;
    }
    with_events(&store, |events| {
        write_view(&upcoming_rows(events, opts), opts, "No events match", out)
    })
}

/// The events `upcoming` shows, in its order.
fn upcoming_rows<'a, E: Shown>(events: &'a [E], opts: &ViewOptions) -> Vec<&'a E> {
    let mut filter = opts.filter.clone();
    let today = opts.now.date().and_time(NaiveTime::MIN);
    filter.from = Some(filter.from.map_or(today, |f| f.max(today)));
    // Open deadlines already past due come first, until they are done.
    let mut shown = views::overdue_rows(events, opts.now, &opts.filter);
    // By address: tens of thousands of overdue rows make a scan per row
    // quadratic.
    let first: std::collections::HashSet<*const E> = shown.iter().map(|e| *e as *const E).collect();
    let later: Vec<&E> = filter
        .apply(events)
        .into_iter()
        .filter(|e| !first.contains(&(*e as *const E)))
        .collect();
    shown.extend(later);
    shown
}

/// `timeline calendar`: month grids with marked days, and their events.
pub fn calendar(
    store: &Path,
    filter: &Filter,
    first: chrono::NaiveDate,
    months: u32,
    now: NaiveDateTime,
    style: Style,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let draw = |shown: &[&Row<'_>]| views::calendar::calendar(shown, first, months, now, style);
    let store = store_at(store);
    let text = if filter.grep.is_none() {
        store
            .with_rows(|rows| draw(&filter.apply(rows)))
            .map_err(store_failure)?
    } else {
        // `--grep` searches sources, which rows lack: the events are
        // read whole (borrowed from the read cache), and only those it
        // finds become rows.
        with_events(&store, |events| {
            let rows: Vec<Row<'_>> = filter.apply(events).into_iter().map(Row::of).collect();
            Ok(draw(&rows.iter().collect::<Vec<_>>()))
        })?
    };
    out.write_all(text.as_bytes()).map_err(io_failure)
}

/// `timeline overdue`: open deadlines past due, most overdue first.
pub fn overdue(opts: &ViewOptions, out: &mut dyn Write) -> Result<(), Failure> {
    let store = store_at(&opts.store);
    if rows_suffice(opts) {
        let empty = "No overdue deadlines";
        return store
            .with_rows(|rows| {
                write_table(
                    &views::overdue_rows(rows, opts.now, &opts.filter),
                    opts,
                    empty,
                    out,
                )
            })
            .map_err(store_failure)?;
    }
    with_events(&store, |events| {
        let rows = views::overdue_rows(events, opts.now, &opts.filter);
        write_view(&rows, opts, "No overdue deadlines", out)
    })
}

/// `timeline countdown`: time left to each upcoming deadline. With `watch`,
/// redraws once a second on the terminal's alternate screen until `stop`
/// is set, then restores the screen.
/// What `countdown --watch` needs from the machine: the clock, the flag
/// that `q` or Ctrl-C sets, and the terminal's size (columns, rows), read
/// every frame so a resized window is filled again.
pub struct Watch<'a> {
    pub clock: fn() -> NaiveDateTime,
    pub stop: &'a AtomicBool,
    pub size: fn() -> Option<(u16, u16)>,
}

pub fn countdown(
    opts: &ViewOptions,
    watch: Option<Watch<'_>>,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let store = store_at(&opts.store);
    let Some(Watch { clock, stop, size }) = watch else {
        if rows_suffice(opts) {
            return store
                .with_rows(|rows| {
                    countdown_table(
                        &views::countdown_rows(rows, opts.now, &opts.filter),
                        opts,
                        out,
                    )
                })
                .map_err(store_failure)?;
        }
        return with_events(&store, |events| {
            let rows = views::countdown_rows(events, opts.now, &opts.filter);
            match opts.format {
                ViewFormat::Table => countdown_table(&rows, opts, out),
                format => render(&rows, format, opts.now, opts.style, out),
            }
        });
    };
    // Alternate screen, hidden cursor; both undone however the loop ends.
    out.write_all(b"\x1b[?1049h\x1b[?25l").map_err(io_failure)?;
    // The store is read again only when its file changed: a 100,000-event
    // store took a second to read, every second. Two writes of the same
    // size within one tick of the file system's clock share a stamp, so it
    // is read again once a minute all the same.
    let mut loaded: Option<(Option<FileStamp>, Loaded)> = None;
    let mut frames = 0u32;
    let result = (|| {
        while !stop.load(Ordering::SeqCst) {
            let now = clock();
            let stamp = FileStamp::of(&opts.store);
            frames = frames.wrapping_add(1);
            let fresh = frames.is_multiple_of(60);
            if fresh || loaded.as_ref().is_some_and(|(seen, _)| *seen != stamp) {
                loaded = None;
            }
            let (_, events) =
                loaded.get_or_insert_with(|| (stamp, store.load().map_err(|e| e.to_string())));
            let (cols, lines) = size().map_or((None, None), |(c, r)| (Some(c), Some(r)));
            let style = Style {
                width: cols.or(opts.style.width),
                ..opts.style
            };
            let screen = match events {
                Ok(events) => {
                    let mut rows = views::countdown_rows(events, now, &opts.filter);
                    // Nearest first, as many as the screen holds: the title
                    // line, a blank, the table's head (3) and foot (1), and
                    // a line saying how many more there are.
                    let room =
                        lines.map_or(usize::MAX, |l| usize::from(l).saturating_sub(7).max(1));
                    let hidden = rows.len().saturating_sub(room);
                    rows.truncate(room);
                    let mut table = Vec::new();
                    // Writing to memory cannot fail.
                    let _ = views::countdown(&rows, now, style, &mut table);
                    let mut text = String::from_utf8_lossy(&table).into_owned();
                    if hidden > 0 {
                        text.push_str(&format!("… and {hidden} more\n"));
                    }
                    text
                }
                // A store mid-edit by hand: say so and keep watching.
                Err(e) => format!("timeline: {e}\n"),
            };
            let status = format!(
                "{}  (q or Ctrl-C to stop)  {}",
                now.format("%Y-%m-%d %H:%M:%S"),
                opts.store.display()
            );
            let status = match style.width {
                Some(w) => views::fit::truncate(&status, usize::from(w)),
                None => status,
            };
            let frame = format!("\x1b[H\x1b[2J{status}\n\n{screen}");
            // The terminal is in raw mode (so `q` is read at once), where a
            // line feed does not return the carriage.
            let frame = frame.replace('\n', "\r\n");
            out.write_all(frame.as_bytes()).map_err(io_failure)?;
            out.flush().map_err(io_failure)?;
            for _ in 0..10 {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
        }
        Ok(())
    })();
    out.write_all(b"\x1b[?25h\x1b[?1049l").map_err(io_failure)?;
    out.flush().map_err(io_failure)?;
    result
}

/// What `countdown --watch` last read of the store: its events, or why
/// it could not read them (a store mid-edit by hand).
type Loaded = Result<Vec<Event>, String>;

/// The countdown table of `rows`, cut by `--limit`; or, when there are
/// none, a line that names the store read.
fn countdown_table(
    rows: &[&(impl Shown + Sync)],
    opts: &ViewOptions,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    if rows.is_empty() {
        return write_table(rows, opts, "No upcoming deadlines", out);
    }
    let shown = shown(rows.len(), opts);
    views::countdown(&rows[..shown], opts.now, opts.style, out).map_err(io_failure)?;
    more(rows.len() - shown, out)
}

/// One event typed in by hand: `timeline add --title T --date D`.
pub struct ManualEvent {
    pub title: String,
    /// "2014-11-24", "2014-11-24T15:00" or "next friday 5pm"; a recurring
    /// event's first day.
    pub date: Option<String>,
    /// "weekly", "every other thursday", "FREQ=MONTHLY;BYDAY=1MO".
    pub recur: Option<String>,
    /// The user's zone (--tz or the system's): a time typed without one
    /// is in it.
    pub zone: Option<String>,
    pub deadline: bool,
    pub place: Option<String>,
    pub tags: Vec<String>,
}

/// `timeline add --title … --date …`.
pub fn add_manual(
    store: &Path,
    m: &ManualEvent,
    now: NaiveDateTime,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), Failure> {
    let usage = |message: String| Failure { message, code: 2 };
    let title = m.title.trim();
    if title.is_empty() {
        return Err(usage("timeline: --title must not be empty".to_string()));
    }
    // "next friday 5pm", "tomorrow": a new event's date looks ahead.
    let typed = match &m.date {
        Some(date) => {
            let typed = read_date(date, now, Lean::Ahead)
                .map_err(|e| usage(format!("timeline: --date: {e}")))?;
            if !typed.iso && m.recur.is_none() {
                writeln!(out, "→ {}", typed.echo()).map_err(io_failure)?;
            }
            Some(typed)
        }
        None => None,
    };
    let mut zone = None;
    let (when, value) = match (&m.recur, &typed) {
        (Some(recur), _) => {
            let (from, time) = match &typed {
                Some(t) => (t.at.date(), t.has_time.then(|| t.at.time())),
                None => (now.date(), None),
            };
            let (r, value) = read_recurrence(recur, now, from, time)
                .map_err(|e| usage(format!("timeline: --recur: {e}")))?;
            if let (Some(every), Some(first)) = (r.describe(), r.start) {
                writeln!(out, "→ {every} · first {}", first.format("%a %Y-%m-%d"))
                    .map_err(io_failure)?;
            }
            // A time of day recurs in a zone: the one named, else the user's.
            if r.time.is_some() {
                zone = typed
                    .as_ref()
                    .and_then(|t| t.tzid)
                    .map(str::to_string)
                    .or_else(|| m.zone.clone());
            }
            (When::Recurring(r), value)
        }
        (None, Some(t)) => {
            let (when, tz) = typed_when(t, m.zone.as_deref());
            zone = tz;
            let mut value = when_value(&when);
            // "2-3pm": the end rides in the value, as for a found event.
            if let (When::DateTime { .. }, Some(until)) = (&when, t.until) {
                value = format!("{value}/{}", until.format("%Y-%m-%dT%H:%M"));
            }
            (when, value)
        }
        (None, None) => return Err(usage("timeline: --title needs --date or --recur".into())),
    };
    let kind = match &when {
        _ if m.deadline => Kind::Deadline,
        When::Recurring(_) => Kind::Recurring,
        w if w.start().is_some_and(|s| s.date() >= now.date()) => Kind::Scheduled,
        _ => Kind::Past,
    };
    let event = Event {
        place: m.place.clone().filter(|p| !p.trim().is_empty()),
        tags: m.tags.clone(),
        tz: zone,
        ..Event::valued(title.to_string(), kind, when, value, now)
    };
    let created = !store.exists();
    let report = store_at(store)
        .merge(std::slice::from_ref(&event))
        .map_err(store_failure)?;
    say_created(created, store, err)?;
    let mut event = event;
    if let Some((_, fresh)) = report.renamed.first() {
        event.id = fresh.clone();
        writeln!(
            out,
            "note: another event had this event's id; it is stored as {fresh}"
        )
        .map_err(io_failure)?;
    }
    let verb = if !report.added.is_empty() {
        "added"
    } else {
        "already there"
    };
    writeln!(
        out,
        "{} {verb}: {} ({})",
        event.id, event.title, event.value
    )
    .map_err(io_failure)
}

/// The first write made the store: say where it is.
pub(super) fn say_created(created: bool, store: &Path, err: &mut dyn Write) -> Result<(), Failure> {
    if created && store.exists() {
        writeln!(err, "timeline: created the store {}", store.display()).map_err(io_failure)?;
    }
    Ok(())
}

/// A new event whose id another event held was stored under a fresh one.
pub(super) fn warn_renamed(
    report: &crate::store::MergeReport,
    err: &mut dyn Write,
) -> Result<(), Failure> {
    for (taken, fresh) in &report.renamed {
        writeln!(
            err,
            "timeline: id {taken} belongs to a different event; the new one is stored as {fresh}"
        )
        .map_err(io_failure)?;
    }
    Ok(())
}

/// `timeline done ID`.
///
/// On a recurring event it completes one occurrence, the next one not done
/// on or after today, and names the one after; the series stays open until
/// its rule runs out.
pub fn done(
    store: &Path,
    id: &str,
    now: NaiveDateTime,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let store = store_at(store);
    let today = now.date();
    let mut completed = None;
    let (_, e) = store
        .update(id, |e| {
            stamp(e, now, 1);
            let When::Recurring(r) = &mut e.when else {
                e.status = Status::Done;
                return;
            };
            match r.next_from(today) {
                Some(day) => {
                    r.done_through = Some(day);
                    completed = Some(day);
                    if r.next_from(day).is_none() {
                        e.status = Status::Done;
                    }
                }
                None => e.status = Status::Done,
            }
        })
        .map_err(store_failure)?;
    match (completed, &e.when) {
        (Some(day), When::Recurring(r)) => {
            let next = match r.next_from(day) {
                Some(next) => format!("next {}", next.format("%a %Y-%m-%d")),
                None => "no more occurrences".to_string(),
            };
            writeln!(
                out,
                "{} done for {}: {}; {next}",
                e.id,
                day.format("%a %Y-%m-%d"),
                e.title
            )
        }
        _ => writeln!(out, "{} done: {}", e.id, e.title),
    }
    .map_err(io_failure)
}

/// `timeline rm ID`.
pub fn remove(store: &Path, id: &str, out: &mut dyn Write) -> Result<(), Failure> {
    let e = store_at(store).remove(id).map_err(store_failure)?;
    writeln!(out, "{} removed: {}", e.id, e.title).map_err(io_failure)
}

/// `timeline reopen ID`: a done event is open again.
///
/// A recurring event's done occurrences are open again too.
pub fn reopen(
    store: &Path,
    id: &str,
    now: NaiveDateTime,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let (_, e) = store_at(store)
        .update(id, |e| {
            // Two edits: the feed's SEQUENCE counts "done" too, and must
            // still grow when reopening takes that away.
            stamp(e, now, 2);
            e.status = Status::Open;
            if let When::Recurring(r) = &mut e.when {
                r.done_through = None;
            }
        })
        .map_err(store_failure)?;
    writeln!(out, "{} reopened: {}", e.id, e.title).map_err(io_failure)
}

/// What `timeline modify` changes; `None` leaves a field as it is.
#[derive(Default)]
pub struct Changes {
    pub title: Option<String>,
    /// A date as typed: ISO or "next friday 5pm", read ahead of `now`.
    pub date: Option<String>,
    pub kind: Option<Kind>,
    /// The place; an empty string removes it.
    pub place: Option<String>,
    pub add_tags: Vec<String>,
    pub remove_tags: Vec<String>,
    /// The user's zone, for a time typed without one.
    pub zone: Option<String>,
}

/// `timeline modify ID --title … --date … --kind … --where …`.
pub fn modify(
    store: &Path,
    id: &str,
    changes: &Changes,
    now: NaiveDateTime,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let usage = |message: String| Failure { message, code: 2 };
    if changes.title.is_none()
        && changes.date.is_none()
        && changes.kind.is_none()
        && changes.place.is_none()
        && changes.add_tags.is_empty()
        && changes.remove_tags.is_empty()
    {
        return Err(usage(
            "timeline: modify: nothing to change; give --title, --date, --kind, --where, --tag or --untag"
                .into(),
        ));
    }
    if changes
        .title
        .as_deref()
        .is_some_and(|t| t.trim().is_empty())
    {
        return Err(usage("timeline: --title must not be empty".into()));
    }
    let when = match &changes.date {
        Some(d) => {
            let typed = read_date(d, now, Lean::Ahead)
                .map_err(|e| usage(format!("timeline: --date: {e}")))?;
            if !typed.iso {
                writeln!(out, "→ {}", typed.echo()).map_err(io_failure)?;
            }
            Some(typed)
        }
        None => None,
    };
    let (before, after) = store_at(store)
        .update(id, |e| {
            let old = e.clone();
            if let Some(t) = &changes.title {
                e.title = t.trim().to_string();
            }
            match (&when, &mut e.when) {
                // A recurrence moves its first occurrence.
                (Some(typed), When::Recurring(r)) => {
                    if let Some(rule) = r.rule.clone() {
                        let time = typed.has_time.then(|| typed.at.time()).or(r.time);
                        if let Ok(moved) = Recurrence::new(&rule, typed.at.date(), time) {
                            *r = moved;
                        }
                    }
                }
                (Some(typed), _) => {
                    let (w, tz) = typed_when(typed, changes.zone.as_deref());
                    e.value = when_value(&w);
                    e.when = w;
                    e.tz = tz;
                }
                (None, _) => {}
            }
            if let Some(k) = changes.kind {
                e.kind = k;
            }
            if let Some(p) = &changes.place {
                e.place = Some(p.trim().to_string()).filter(|p| !p.is_empty());
            }
            e.tags.retain(|t| {
                !changes
                    .remove_tags
                    .iter()
                    .any(|r| r.eq_ignore_ascii_case(t))
            });
            for t in &changes.add_tags {
                if !t.is_empty() && !e.tags.iter().any(|x| x.eq_ignore_ascii_case(t)) {
                    e.tags.push(t.clone());
                }
            }
            if *e != old {
                stamp(e, now, 1);
            }
        })
        .map_err(store_failure)?;
    if before == after {
        return writeln!(out, "{} unchanged: {}", after.id, after.title).map_err(io_failure);
    }
    writeln!(
        out,
        "{} modified: {} ({})",
        after.id, after.title, after.value
    )
    .map_err(io_failure)
}

/// A change the user made: when, and `n` more edits (the feed's
/// `SEQUENCE` grows with them, so subscribed calendars update).
fn stamp(e: &mut Event, now: NaiveDateTime, n: u32) {
    e.modified = Some(now);
    e.edits = e.edits.saturating_add(n);
}

/// The `When` of a typed date, and the zone of its time: the one the user
/// named ("5pm ET"), else, with no offset given, the user's own. A day
/// has no zone.
fn typed_when(t: &TypedDate, user_zone: Option<&str>) -> (When, Option<String>) {
    if !t.has_time {
        let (start, end) = (t.at.date(), t.until.map(|u| u.date()));
        return match end {
            // "Dec 3 to 5": a range of days.
            Some(end) if end > start.succ_opt().unwrap_or(start) => {
                (When::Range { start, end }, None)
            }
            _ => (When::Date(start), None),
        };
    }
    let zone = match (t.tzid, t.offset) {
        (Some(z), _) => Some(z.to_string()),
        (None, Some(_)) => None,
        (None, None) => user_zone.map(str::to_string),
    };
    let offset = t.offset.or_else(|| {
        zone.as_deref()
            .and_then(|z| crate::engine::zone::offset_at(z, t.at))
    });
    (When::DateTime { at: t.at, offset }, zone)
}

/// `timeline undo`: the store as it was before its last change.
pub fn undo(store: &Path, out: &mut dyn Write) -> Result<(), Failure> {
    match store_at(store).undo().map_err(store_failure)? {
        Some(left) => writeln!(
            out,
            "{}: back to how it was before the last change ({left} more undo step{} kept)",
            store.display(),
            if left == 1 { "" } else { "s" }
        ),
        None => writeln!(out, "{}: nothing to undo", store.display()),
    }
    .map_err(io_failure)
}

/// `timeline show ID`: every field and every source.
pub fn show(
    store: &Path,
    id: &str,
    now: NaiveDateTime,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let e = store_at(store).get(id).map_err(store_failure)?;
    let mut s = String::new();
    use std::fmt::Write as _;
    let _ = writeln!(s, "id:      {}", e.id);
    let _ = writeln!(s, "title:   {}", e.title);
    let _ = writeln!(s, "kind:    {}", e.kind);
    let _ = writeln!(
        s,
        "when:    {} ({})",
        views::date_text(&e, now.date()),
        views::relative(&e.when, now)
    );
    let _ = writeln!(s, "value:   {}", e.value);
    let _ = writeln!(s, "where:   {}", e.place.as_deref().unwrap_or("-"));
    let _ = writeln!(s, "status:  {}", e.status.name());
    let _ = writeln!(s, "added:   {}", e.added.format("%Y-%m-%d %H:%M"));
    if let Some(n) = &e.notes {
        let _ = writeln!(s, "notes:   {n}");
    }
    if let Some(r) = &e.remind {
        let _ = writeln!(s, "remind:  {r}");
    }
    for src in &e.sources {
        // An imported event's source has no place in its file to show.
        let place = if src.start == src.end && src.timex.is_empty() {
            String::new()
        } else if src.start == src.end {
            format!(" {:?}", src.timex)
        } else {
            format!(" [{}..{}] {:?}", src.start, src.end, src.timex)
        };
        let _ = writeln!(s, "source:  {}{place}\n         {}", src.file, src.sentence);
    }
    out.write_all(s.as_bytes()).map_err(io_failure)
}
