//! Views of the store: filters, the event table, relative times and the
//! countdown. They read events (and the engine's date parsing for flags),
//! never the feed or the commands.
//!
//! Every view takes "now" as a parameter (`--today`, `--now`, or the clock
//! in `main`), so output is reproducible in tests and scripts.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{self, Write};

use chrono::{Datelike, Duration, NaiveDateTime, Timelike};

pub mod calendar;
pub mod dates;
pub mod fit;
pub mod grid;
#[cfg(test)]
mod grid_tests;
mod order;
mod short_id;

pub use short_id::{short_id_lens, short_ids};

use grid::Tint;

use crate::events::{Kind, Shown, Status, When};

/// Which events a view shows.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Filter {
    /// Only events that end on or after this instant.
    pub from: Option<NaiveDateTime>,
    /// Only events that start before this instant.
    pub to: Option<NaiveDateTime>,
    pub kinds: Vec<Kind>,
    /// Case-insensitive substring of the place.
    pub place: Option<String>,
    /// Case-insensitive substring of the title, place, notes or source sentences.
    pub grep: Option<String>,
    /// Include done events.
    pub include_done: bool,
    /// Include events of kind `past`.
    pub include_past: bool,
    /// Only events with every one of these tags.
    pub tags: Vec<String>,
}

impl Filter {
    pub fn matches(&self, e: &impl Shown) -> bool {
        self.matched(e).is_some()
    }

    /// Where the time filters placed `e` (see [`Filter::placed`]), when
    /// it matches: worked out once for both the test and the sort key.
    fn matched<'e>(&self, e: &'e impl Shown) -> Option<Cow<'e, When>> {
        if e.status() == Status::Done && !self.include_done {
            return None;
        }
        if e.kind() == Kind::Past && !self.include_past {
            return None;
        }
        if !self.kinds.is_empty() && !self.kinds.contains(&e.kind()) {
            return None;
        }
        if !self
            .tags
            .iter()
            .all(|t| e.tags().any(|x| x.eq_ignore_ascii_case(t)))
        {
            return None;
        }
        if let Some(p) = &self.place {
            let p = p.to_lowercase();
            if !e.place().is_some_and(|w| w.to_lowercase().contains(&p)) {
                return None;
            }
        }
        if let Some(g) = &self.grep {
            let g = g.to_lowercase();
            let hit = e.title().to_lowercase().contains(&g)
                || e.place().is_some_and(|p| p.to_lowercase().contains(&g))
                || e.notes().is_some_and(|n| n.to_lowercase().contains(&g))
                || e.sentences().any(|s| s.to_lowercase().contains(&g));
            if !hit {
                return None;
            }
        }
        // A recurrence is placed at its next occurrence from `from`, and
        // without a `from` passes time filters.
        let when = self.placed(e)?;
        if let (Some(from), Some(end)) = (self.from, when.end()) {
            if end <= from {
                return None;
            }
        }
        if let (Some(to), Some(start)) = (self.to, when.start()) {
            if start >= to {
                return None;
            }
        }
        Some(when)
    }

    /// The matching events, soonest first (a recurrence at its next
    /// occurrence from `from`; without a `from`, last, by title).
    pub fn apply<'a, E: Shown>(&self, events: &'a [E]) -> Vec<&'a E> {
        // Each key worked out once; titles are compared only where starts
        // tie, and equal rows keep the store's order, by their place in it.
        let rows = events
            .iter()
            .enumerate()
            .filter_map(|(n, e)| Some((start_key(self.matched(e)?.start()), n)))
            .collect();
        sorted(events, rows)
    }

    /// Where the time filters see an event: a recurrence at its next
    /// occurrence from `from` (`None` when it has no more), unplaced
    /// without a `from`; any other event where it is, not copied.
    fn placed<'e>(&self, e: &'e impl Shown) -> Option<Cow<'e, When>> {
        match (e.when(), self.from) {
            (When::Recurring(_), Some(from)) => e.when().occurrence(from.date()).map(Cow::Owned),
            (when, _) => Some(Cow::Borrowed(when)),
        }
    }
}

/// Parses a span such as "30d", "2w", "6m", "1y", "12h".
pub fn parse_span(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let n: i64 = num
        .parse()
        .map_err(|_| format!("invalid span {s:?}: expected a number and a unit, like 30d or 2w"))?;
    let days = match unit {
        "h" => return Duration::try_hours(n).ok_or_else(|| format!("span {s:?} is too long")),
        "d" | "" => n,
        "w" => n
            .checked_mul(7)
            .ok_or_else(|| format!("span {s:?} is too long"))?,
        "m" => n
            .checked_mul(30)
            .ok_or_else(|| format!("span {s:?} is too long"))?,
        "y" => n
            .checked_mul(365)
            .ok_or_else(|| format!("span {s:?} is too long"))?,
        _ => {
            return Err(format!(
                "invalid span {s:?}: the unit is one of h, d, w, m, y"
            ))
        }
    };
    Duration::try_days(days).ok_or_else(|| format!("span {s:?} is too long"))
}

/// The end of a span that starts at `now`. A span can be read fine and
/// still end past the last date chrono holds (about 262,000 years on, so
/// "100000000d"): that is an error naming the span, never an overflow.
pub fn span_end(now: NaiveDateTime, span: Duration, text: &str) -> Result<NaiveDateTime, String> {
    now.checked_add_signed(span)
        .ok_or_else(|| format!("span {:?} is too long", text.trim()))
}

/// "today", "tomorrow", "in 3 days", "2 weeks ago", "in 5 hours".
pub fn relative(when: &When, now: NaiveDateTime) -> String {
    let mut text = String::new();
    push_relative(&mut text, when, now);
    text
}

/// [`relative`], appended to `out` (tables write 100,000 of them).
pub fn push_relative(out: &mut String, when: &When, now: NaiveDateTime) {
    let Some(start) = when.start() else {
        // A recurrence: how far its next day is.
        if let When::Recurring(r) = when {
            if let Some(next) = r.next_from(now.date()) {
                return push_relative(out, &When::Date(next), now);
            }
        }
        return out.push_str("recurring");
    };
    let today = now.date();
    let has_time = matches!(when, When::DateTime { .. });
    if !has_time || start.date() != today {
        // The last day: a day's own, a range's the one before its end,
        // told without date-time arithmetic for a day or a range (a
        // table works it out for each of its rows).
        let end_day = match when {
            When::Date(d) => *d,
            When::Range { end, .. } => end.pred_opt().unwrap_or(*end),
            _ => when
                .end()
                .map_or(start.date(), |e| (e - Duration::seconds(1)).date()),
        };
        if start.date() <= today && today <= end_day && end_day != start.date() {
            return out.push_str("now");
        }
        let days = (start.date() - today).num_days();
        return match days {
            0 => out.push_str("today"),
            1 => out.push_str("tomorrow"),
            -1 => out.push_str("yesterday"),
            d if d > 0 => {
                out.push_str("in ");
                push_amount(out, d);
            }
            d => {
                push_amount(out, -d);
                out.push_str(" ago");
            }
        };
    }
    let minutes = (start - now).num_minutes();
    let (n, unit) = if minutes.abs() >= 60 {
        (minutes.abs() / 60, "hour")
    } else {
        (minutes.abs(), "minute")
    };
    if minutes >= 0 {
        out.push_str("in ");
    }
    push_count(out, n, unit);
    if minutes < 0 {
        out.push_str(" ago");
    }
}

/// "3 days", "2 weeks", "5 months", "4 years".
fn push_amount(out: &mut String, days: i64) {
    let (n, unit) = if days >= 730 {
        (days / 365, "year")
    } else if days >= 60 {
        (days / 30, "month")
    } else if days >= 14 {
        (days / 7, "week")
    } else {
        (days, "day")
    };
    push_count(out, n, unit);
}

/// "1 day", "3 days": as `format!("{n} {unit}s")` writes it (but for one),
/// without the formatting machinery, which was a third of a table row.
fn push_count(out: &mut String, n: i64, unit: &str) {
    if n < 0 {
        out.push('-');
    }
    push_decimal(out, n.unsigned_abs());
    out.push(' ');
    out.push_str(unit);
    if n != 1 {
        out.push('s');
    }
}

/// `n` in decimal, as `{n}` writes it.
fn push_decimal(out: &mut String, n: u64) {
    let mut digits = [0u8; 20];
    let digits = crate::engine::resolve::decimal(n, &mut digits);
    out.push_str(std::str::from_utf8(digits).unwrap_or_default());
}

/// The date column: "2014-11-24", "2014-10-16 15:00 -05:00", "2014-03-01 … 2014-10-31".
pub fn date_text(e: &impl Shown, today: chrono::NaiveDate) -> String {
    let mut text = String::new();
    push_date_text(&mut text, e, today);
    text
}

/// [`date_text`], appended to `out`.
pub fn push_date_text(out: &mut String, e: &impl Shown, today: chrono::NaiveDate) {
    match e.when() {
        When::Date(d) => push_day(out, *d),
        When::DateTime { at, offset } => {
            push_day(out, at.date());
            out.push(' ');
            push_digits(out, at.hour(), 2);
            out.push(':');
            push_digits(out, at.minute(), 2);
            if let Some(o) = offset {
                out.push(' ');
                out.push_str(&crate::engine::timex::format_zone(*o));
            }
        }
        When::Range { start, end } => {
            push_day(out, *start);
            out.push_str(" … ");
            push_day(out, *end - Duration::days(1));
        }
        When::Recurring(r) => match (r.describe(), r.next_from(today)) {
            (Some(every), Some(next)) => {
                let _ = write!(out, "{every} · next {}", next.format("%a %Y-%m-%d"));
            }
            (Some(every), None) => {
                let _ = write!(out, "{every} · ended");
            }
            // No rule says it ("twice a month"): the value the text gave.
            _ => {
                let _ = write!(out, "recurring {}", e.value());
            }
        },
    }
}

/// A day as chrono's "%Y-%m-%d" writes it, without parsing the format
/// for each of a table's rows.
fn push_day(out: &mut String, d: chrono::NaiveDate) {
    match u32::try_from(d.year()) {
        Ok(year) if year <= 9999 => {
            push_digits(out, year, 4);
            out.push('-');
            push_digits(out, d.month(), 2);
            out.push('-');
            push_digits(out, d.day(), 2);
        }
        // chrono signs years outside 0000-9999: its own format.
        _ => {
            let _ = write!(out, "{}", d.format("%Y-%m-%d"));
        }
    }
}

/// `n` in `width` decimal digits, zero-padded (`n` has no more).
fn push_digits(out: &mut String, n: u32, width: u32) {
    for place in (0..width).rev() {
        let digit = n / 10u32.pow(place) % 10;
        out.push(char::from(b'0' + digit as u8));
    }
}

/// Whether an open deadline's time has passed.
pub fn overdue(e: &impl Shown, now: NaiveDateTime) -> bool {
    e.kind() == Kind::Deadline
        && e.status() == Status::Open
        && due_on(e, now).is_some_and(|d| d <= now)
}

/// When a deadline is due as of `now`: a recurring one at its next
/// occurrence not done.
pub fn due_on(e: &impl Shown, now: NaiveDateTime) -> Option<NaiveDateTime> {
    e.when().occurrence(now.date())?.due()
}

/// The open deadlines past due that match `filter` in all but time, most
/// overdue first: they lead `upcoming` and `countdown` until done.
pub fn overdue_rows<'a, E: Shown>(
    events: &'a [E],
    now: NaiveDateTime,
    filter: &Filter,
) -> Vec<&'a E> {
    let untimed = Filter {
        from: None,
        to: None,
        ..filter.clone()
    };
    // As `overdue`, with the due time worked out once for the sort; equal
    // rows in the store's order, as in `Filter::apply`.
    let rows = events
        .iter()
        .enumerate()
        .filter(|(_, e)| e.kind() == Kind::Deadline && e.status() == Status::Open)
        .filter_map(|(n, e)| Some((due_on(e, now).filter(|d| *d <= now)?, n, e)))
        .filter(|(.., e)| untimed.matches(e))
        .map(|(due, n, _)| (start_key(Some(due)), n))
        .collect();
    sorted(events, rows)
}

/// Events by (key, place in `events`) in the order tables show them: by
/// key (see [`start_key`]), then title, then place, so equal rows keep the
/// store's order.
fn sorted<E: Shown>(events: &[E], mut rows: Vec<(u128, usize)>) -> Vec<&E> {
    order::sort_by_key(&mut rows, |a, b| {
        events[a].title().cmp(events[b].title()).then(a.cmp(&b))
    });
    rows.into_iter().map(|(_, n)| &events[n]).collect()
}

/// "overdue by 2 days", "overdue by 3 hours": how late an open deadline is.
pub fn overdue_by(due: NaiveDateTime, now: NaiveDateTime) -> String {
    let mut text = String::new();
    push_overdue_by(&mut text, due, now);
    text
}

/// [`overdue_by`], appended to `out`.
pub fn push_overdue_by(out: &mut String, due: NaiveDateTime, now: NaiveDateTime) {
    let minutes = (now - due).num_minutes().max(0);
    out.push_str("overdue by ");
    if minutes < 24 * 60 {
        let (n, unit) = if minutes >= 60 {
            (minutes / 60, "hour")
        } else {
            (minutes, "minute")
        };
        let _ = write!(out, "{n} {unit}{}", if n == 1 { "" } else { "s" });
        return;
    }
    push_amount(out, minutes / (24 * 60));
}

/// How a table is drawn.
#[derive(Clone, Copy, Debug, Default)]
pub struct Style {
    /// Use colour (the caller decides: a terminal, and NO_COLOR unset).
    pub color: bool,
    /// Fit the table to this many columns.
    pub width: Option<u16>,
}

/// A start as a number that sorts as starts do, with no start last.
fn start_key(start: Option<NaiveDateTime>) -> u128 {
    let Some(t) = start else {
        return u128::MAX;
    };
    let day = i64::from(t.date().num_days_from_ce()) - i64::from(i32::MIN);
    (day as u128) << 64
        | u128::from(t.time().num_seconds_from_midnight()) << 32
        | u128::from(t.time().nanosecond())
}

/// The width under which tables take their compact layout.
const COMPACT_BELOW: u16 = 100;

/// The event table of `list` and `upcoming`: one line per event, fitted
/// to `style.width` when there is one. Under 100 columns it is compact:
/// no kind column (a deadline says "due" in the when column) and no year
/// on dates of the current year.
pub fn table(
    events: &[&(impl Shown + Sync)],
    now: NaiveDateTime,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    if events.is_empty() {
        return out.write_all(b"No events match.\n");
    }
    let compact = style.width.is_some_and(|w| w < COMPACT_BELOW);
    let ids = short_id_lens(events);
    let this_year = format!("{}-", now.format("%Y"));
    let range_this_year = format!(" … {this_year}");
    let columns = grid::Columns {
        headers: &["id", "date", "when", "kind", "title", "where", "tags"],
        flex: 4,
        keep: &[0, 1, 2],
    };
    let row = |i: usize, cells: &mut [String]| {
        let (Some(e), Some(&id_len)) = (events.get(i), ids.get(i)) else {
            return Tint::Plain;
        };
        let due = due_on(e, now);
        // As `overdue`, with the due time worked out once.
        let late = e.kind() == Kind::Deadline
            && e.status() == Status::Open
            && due.is_some_and(|d| d <= now);
        let soon = !late
            && e.kind() == Kind::Deadline
            && due.is_some_and(|d| d > now && d - now <= Duration::days(3));
        let [id, date, when, kind, title, place, tags] = cells else {
            return Tint::Plain;
        };
        id.push_str(e.id().get(..id_len).unwrap_or(e.id()));
        push_date_text(date, e, now.date());
        if compact {
            if let Some(short) = date.strip_prefix(&this_year) {
                *date = short.replace(&range_this_year, " … ");
            }
        }
        if compact && e.kind() == Kind::Deadline && !late {
            when.push_str("due ");
        }
        match (late, due) {
            (true, Some(due)) => push_overdue_by(when, due, now),
            _ => push_relative(when, e.when(), now),
        }
        if e.status() == Status::Done {
            when.push_str(" (done)");
        }
        if !compact {
            kind.push_str(e.kind().name());
        }
        push_title(title, e);
        place.push_str(e.place().unwrap_or_default());
        for (n, t) in e.tags().enumerate() {
            if n > 0 {
                tags.push(' ');
            }
            tags.push('+');
            tags.push_str(t);
        }
        tint(late, soon)
    };
    grid::write(&columns, events.len(), row, style, out)
}

/// [`Shown::display_title`], appended to `out`; without a context it is
/// the title, which is not copied first.
fn push_title(out: &mut String, e: &impl Shown) {
    if e.context().is_some() {
        out.push_str(&e.display_title());
    } else {
        out.push_str(e.title());
    }
}

fn tint(late: bool, soon: bool) -> Tint {
    match (late, soon) {
        (true, _) => Tint::Late,
        (false, true) => Tint::Soon,
        _ => Tint::Plain,
    }
}

/// Days, hours and minutes from `now` to `due`: "40 days 12 hours 0 minutes".
pub fn time_left(due: NaiveDateTime, now: NaiveDateTime) -> String {
    let mut text = String::new();
    push_time_left(&mut text, due, now);
    text
}

/// [`time_left`], appended to `out` without the formatting machinery
/// (countdowns write 100,000 of them).
pub fn push_time_left(out: &mut String, due: NaiveDateTime, now: NaiveDateTime) {
    let total = (due - now).num_minutes();
    let m = total.unsigned_abs();
    if total < 0 {
        out.push_str("overdue by ");
    }
    push_decimal(out, m / (24 * 60));
    out.push_str(" days ");
    push_decimal(out, (m / 60) % 24);
    out.push_str(" hours ");
    push_decimal(out, m % 60);
    out.push_str(" minutes");
}

/// The deadlines a countdown shows: open, not yet due (or overdue if
/// `include_overdue`), nearest first.
pub fn countdown_rows<'a, E: Shown>(
    events: &'a [E],
    now: NaiveDateTime,
    filter: &Filter,
) -> Vec<&'a E> {
    // Overdue open deadlines first, whatever the time filters say; then
    // the rest, nearest first.
    let mut rows = overdue_rows(events, now, filter);
    // Each due time worked out once, not once per comparison.
    let mut ahead: Vec<(NaiveDateTime, &E)> = events
        .iter()
        .filter(|e| e.kind() == Kind::Deadline && filter.matches(e))
        .filter_map(|e| Some((due_on(e, now)?, e)))
        .filter(|&(due, e)| !(e.status() == Status::Open && due <= now))
        .filter(|&(due, _)| filter.include_past || due > now)
        .collect();
    ahead.sort_by_key(|&(due, _)| due);
    rows.extend(ahead.into_iter().map(|(_, e)| e));
    rows
}

/// The countdown table, fitted like [`table`].
pub fn countdown(
    rows: &[&(impl Shown + Sync)],
    now: NaiveDateTime,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    if rows.is_empty() {
        return out.write_all(b"No upcoming deadlines.\n");
    }
    let compact = style.width.is_some_and(|w| w < COMPACT_BELOW);
    let ids = short_id_lens(rows);
    let columns = grid::Columns {
        headers: &["due", "left", "title", "id"],
        flex: 2,
        keep: &[0, 1, 3],
    };
    let row = |i: usize, cells: &mut [String]| {
        let (Some(e), Some(&id_len)) = (rows.get(i), ids.get(i)) else {
            return Tint::Plain;
        };
        let [due_cell, left, title, id] = cells else {
            return Tint::Plain;
        };
        let due = due_on(e, now).unwrap_or(now);
        let late = due <= now;
        if late && e.status() == Status::Open {
            push_overdue_by(left, due, now);
        } else if compact {
            // "19d 10h 0m": the same figures in a third of the width.
            let m = (due - now).num_minutes().abs();
            let _ = write!(left, "{}d {}h {}m", m / 1440, (m / 60) % 24, m % 60);
        } else {
            push_time_left(left, due, now);
        }
        // "%Y-%m-%d %H:%M", or "%m-%d %H:%M" in this year when compact,
        // without parsing the format for each row.
        if compact && due.year() == now.year() {
            push_digits(due_cell, due.month(), 2);
            due_cell.push('-');
            push_digits(due_cell, due.day(), 2);
        } else {
            push_day(due_cell, due.date());
        }
        due_cell.push(' ');
        push_digits(due_cell, due.hour(), 2);
        due_cell.push(':');
        push_digits(due_cell, due.minute(), 2);
        push_title(title, e);
        id.push_str(e.id().get(..id_len).unwrap_or(e.id()));
        tint(late, !late && due - now <= Duration::days(3))
    };
    grid::write(&columns, rows.len(), row, style, out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(s: &str) -> NaiveDateTime {
        crate::document::dct::parse(s).unwrap()
    }

    #[test]
    fn countdown_to_the_start_of_a_date_only_deadline() {
        let due = When::Date(NaiveDate::from_ymd_opt(2014, 11, 24).unwrap())
            .due()
            .unwrap();
        assert_eq!(
            time_left(due, at("2014-10-14T12:00")),
            "40 days 12 hours 0 minutes"
        );
    }

    #[test]
    fn relative_times_read_naturally() {
        let now = at("2014-10-14T12:00");
        let day = |s: &str| When::Date(NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap());
        assert_eq!(relative(&day("2014-10-15"), now), "tomorrow");
        assert_eq!(relative(&day("2014-10-17"), now), "in 3 days");
        assert_eq!(relative(&day("2014-09-30"), now), "2 weeks ago");
        assert_eq!(relative(&day("2014-11-24"), now), "in 5 weeks");
    }

    #[test]
    fn spans_parse_with_units() {
        assert_eq!(parse_span("30d").unwrap(), Duration::days(30));
        assert_eq!(parse_span("2w").unwrap(), Duration::days(14));
        assert!(parse_span("soon").is_err());
        let now = NaiveDate::from_ymd_opt(2014, 10, 14)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap();
        let huge = parse_span("100000000d").unwrap();
        assert_eq!(
            span_end(now, huge, "100000000d"),
            Err("span \"100000000d\" is too long".to_string())
        );
        assert_eq!(
            span_end(now, parse_span("2w").unwrap(), "2w"),
            Ok(now + Duration::days(14))
        );
    }
}
