//! Views of the store: filters, the event table, relative times and the
//! countdown. They read events (and the engine's date parsing for flags),
//! never the feed or the commands.
//!
//! Every view takes "now" as a parameter (`--today`, `--now`, or the clock
//! in `main`), so output is reproducible in tests and scripts.

use std::fmt::Write as _;
use std::io::{self, Write};

use chrono::{Datelike, Duration, NaiveDateTime};

pub mod calendar;
pub mod dates;
pub mod fit;
pub mod grid;
#[cfg(test)]
mod grid_tests;

use grid::Tint;

use crate::events::{Event, Kind, Status, When};

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
    pub fn matches(&self, e: &Event) -> bool {
        if e.status == Status::Done && !self.include_done {
            return false;
        }
        if e.kind == Kind::Past && !self.include_past {
            return false;
        }
        if !self.kinds.is_empty() && !self.kinds.contains(&e.kind) {
            return false;
        }
        if !self
            .tags
            .iter()
            .all(|t| e.tags.iter().any(|x| x.eq_ignore_ascii_case(t)))
        {
            return false;
        }
        if let Some(p) = &self.place {
            let p = p.to_lowercase();
            if !e
                .place
                .as_ref()
                .is_some_and(|w| w.to_lowercase().contains(&p))
            {
                return false;
            }
        }
        if let Some(g) = &self.grep {
            let g = g.to_lowercase();
            let hit = e.title.to_lowercase().contains(&g)
                || e.place
                    .as_ref()
                    .is_some_and(|p| p.to_lowercase().contains(&g))
                || e.notes
                    .as_ref()
                    .is_some_and(|n| n.to_lowercase().contains(&g))
                || e.sources
                    .iter()
                    .any(|s| s.sentence.to_lowercase().contains(&g));
            if !hit {
                return false;
            }
        }
        // A recurrence is placed at its next occurrence from `from`, and
        // without a `from` passes time filters.
        let placed = self.placed(e);
        let Some(when) = placed.as_ref() else {
            return false;
        };
        if let (Some(from), Some(end)) = (self.from, when.end()) {
            if end <= from {
                return false;
            }
        }
        if let (Some(to), Some(start)) = (self.to, when.start()) {
            if start >= to {
                return false;
            }
        }
        true
    }

    /// The matching events, soonest first (a recurrence at its next
    /// occurrence from `from`; without a `from`, last, by title).
    pub fn apply<'a>(&self, events: &'a [Event]) -> Vec<&'a Event> {
        let mut out: Vec<(Option<NaiveDateTime>, &Event)> = events
            .iter()
            .filter(|e| self.matches(e))
            .map(|e| (self.placed(e).and_then(|w| w.start()), e))
            .collect();
        out.sort_by(|(a_start, a), (b_start, b)| {
            (a_start.is_none(), a_start)
                .cmp(&(b_start.is_none(), b_start))
                .then_with(|| a.title.cmp(&b.title))
        });
        out.into_iter().map(|(_, e)| e).collect()
    }

    /// Where the time filters see an event: a recurrence at its next
    /// occurrence from `from` (`None` when it has no more), unplaced
    /// without a `from`.
    fn placed(&self, e: &Event) -> Option<When> {
        match (&e.when, self.from) {
            (When::Recurring(_), Some(from)) => e.when.occurrence(from.date()),
            _ => Some(e.when.clone()),
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
    let Some(start) = when.start() else {
        // A recurrence: how far its next day is.
        if let When::Recurring(r) = when {
            if let Some(next) = r.next_from(now.date()) {
                return relative(&When::Date(next), now);
            }
        }
        return "recurring".to_string();
    };
    let today = now.date();
    let has_time = matches!(when, When::DateTime { .. });
    if !has_time || start.date() != today {
        let end_day = when
            .end()
            .map_or(start.date(), |e| (e - Duration::seconds(1)).date());
        if start.date() <= today && today <= end_day && end_day != start.date() {
            return "now".to_string();
        }
        let days = (start.date() - today).num_days();
        return match days {
            0 => "today".to_string(),
            1 => "tomorrow".to_string(),
            -1 => "yesterday".to_string(),
            d if d > 0 => format!("in {}", amount(d)),
            d => format!("{} ago", amount(-d)),
        };
    }
    let minutes = (start - now).num_minutes();
    let (n, unit) = if minutes.abs() >= 60 {
        (minutes.abs() / 60, "hour")
    } else {
        (minutes.abs(), "minute")
    };
    let text = format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
    if minutes >= 0 {
        format!("in {text}")
    } else {
        format!("{text} ago")
    }
}

fn amount(days: i64) -> String {
    let (n, unit) = if days >= 730 {
        (days / 365, "year")
    } else if days >= 60 {
        (days / 30, "month")
    } else if days >= 14 {
        (days / 7, "week")
    } else {
        (days, "day")
    };
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

/// The date column: "2014-11-24", "2014-10-16 15:00 -05:00", "2014-03-01 … 2014-10-31".
pub fn date_text(e: &Event, today: chrono::NaiveDate) -> String {
    match &e.when {
        When::Date(d) => d.format("%Y-%m-%d").to_string(),
        When::DateTime { at, offset } => match offset {
            Some(o) => format!(
                "{} {}",
                at.format("%Y-%m-%d %H:%M"),
                crate::engine::timex::format_zone(*o)
            ),
            None => at.format("%Y-%m-%d %H:%M").to_string(),
        },
        When::Range { start, end } => {
            let last = *end - Duration::days(1);
            format!("{} … {}", start.format("%Y-%m-%d"), last.format("%Y-%m-%d"))
        }
        When::Recurring(r) => match (r.describe(), r.next_from(today)) {
            (Some(every), Some(next)) => {
                format!("{every} · next {}", next.format("%a %Y-%m-%d"))
            }
            (Some(every), None) => format!("{every} · ended"),
            // No rule says it ("twice a month"): the value the text gave.
            _ => format!("recurring {}", e.value),
        },
    }
}

/// Whether an open deadline's time has passed.
pub fn overdue(e: &Event, now: NaiveDateTime) -> bool {
    e.kind == Kind::Deadline && e.status == Status::Open && due_on(e, now).is_some_and(|d| d <= now)
}

/// When a deadline is due as of `now`: a recurring one at its next
/// occurrence not done.
pub fn due_on(e: &Event, now: NaiveDateTime) -> Option<NaiveDateTime> {
    e.when.occurrence(now.date())?.due()
}

/// The open deadlines past due that match `filter` in all but time, most
/// overdue first: they lead `upcoming` and `countdown` until done.
pub fn overdue_rows<'a>(
    events: &'a [Event],
    now: NaiveDateTime,
    filter: &Filter,
) -> Vec<&'a Event> {
    let untimed = Filter {
        from: None,
        to: None,
        ..filter.clone()
    };
    let mut rows: Vec<&Event> = events
        .iter()
        .filter(|e| overdue(e, now) && untimed.matches(e))
        .collect();
    rows.sort_by(|a, b| {
        due_on(a, now)
            .cmp(&due_on(b, now))
            .then_with(|| a.title.cmp(&b.title))
    });
    rows
}

/// "overdue by 2 days", "overdue by 3 hours": how late an open deadline is.
pub fn overdue_by(due: NaiveDateTime, now: NaiveDateTime) -> String {
    let minutes = (now - due).num_minutes().max(0);
    if minutes < 24 * 60 {
        let (n, unit) = if minutes >= 60 {
            (minutes / 60, "hour")
        } else {
            (minutes, "minute")
        };
        return format!("overdue by {n} {unit}{}", if n == 1 { "" } else { "s" });
    }
    format!("overdue by {}", amount(minutes / (24 * 60)))
}

/// How a table is drawn.
#[derive(Clone, Copy, Debug, Default)]
pub struct Style {
    /// Use colour (the caller decides: a terminal, and NO_COLOR unset).
    pub color: bool,
    /// Fit the table to this many columns.
    pub width: Option<u16>,
}

/// The ids a table shows: as git shows commits, the shortest prefix (of
/// at least 8 hex digits) that no other shown event shares. Full ids are
/// in the store and in JSON; any unique prefix is accepted back.
pub fn short_ids(events: &[&Event]) -> Vec<String> {
    events
        .iter()
        .zip(short_id_lens(events))
        .map(|(e, n)| e.id.get(..n).unwrap_or(&e.id).to_string())
        .collect()
}

/// The length in bytes of each event's id as [`short_ids`] shows it.
pub fn short_id_lens(events: &[&Event]) -> Vec<usize> {
    const MIN: usize = "ev-".len() + 8;
    let mut sorted: Vec<&str> = events.iter().map(|e| e.id.as_str()).collect();
    sorted.sort_unstable();
    let shared = |a: &str, b: &str| a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    events
        .iter()
        .map(|e| {
            let id = e.id.as_str();
            let at = sorted.binary_search(&id).unwrap_or(0);
            let mut need = MIN;
            for n in [at.checked_sub(1), Some(at + 1)].into_iter().flatten() {
                if let Some(other) = sorted.get(n).filter(|o| **o != id) {
                    need = need.max(shared(id, other) + 1);
                }
            }
            if need < id.len() && id.is_char_boundary(need) {
                need
            } else {
                id.len()
            }
        })
        .collect()
}

/// The width under which tables take their compact layout.
const COMPACT_BELOW: u16 = 100;

/// The event table of `list` and `upcoming`: one line per event, fitted
/// to `style.width` when there is one. Under 100 columns it is compact:
/// no kind column (a deadline says "due" in the when column) and no year
/// on dates of the current year.
pub fn table(
    events: &[&Event],
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
        let late =
            e.kind == Kind::Deadline && e.status == Status::Open && due.is_some_and(|d| d <= now);
        let soon = !late
            && e.kind == Kind::Deadline
            && due.is_some_and(|d| d > now && d - now <= Duration::days(3));
        let [id, date, when, kind, title, place, tags] = cells else {
            return Tint::Plain;
        };
        id.push_str(e.id.get(..id_len).unwrap_or(&e.id));
        let full_date = date_text(e, now.date());
        match full_date.strip_prefix(&this_year) {
            Some(short) if compact => date.push_str(&short.replace(&range_this_year, " … ")),
            _ => date.push_str(&full_date),
        }
        if compact && e.kind == Kind::Deadline && !late {
            when.push_str("due ");
        }
        match (late, due) {
            (true, Some(due)) => when.push_str(&overdue_by(due, now)),
            _ => when.push_str(&relative(&e.when, now)),
        }
        if e.status == Status::Done {
            when.push_str(" (done)");
        }
        if !compact {
            let _ = write!(kind, "{}", e.kind);
        }
        title.push_str(&e.display_title());
        place.push_str(e.place.as_deref().unwrap_or_default());
        for (n, t) in e.tags.iter().enumerate() {
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

fn tint(late: bool, soon: bool) -> Tint {
    match (late, soon) {
        (true, _) => Tint::Late,
        (false, true) => Tint::Soon,
        _ => Tint::Plain,
    }
}

/// Days, hours and minutes from `now` to `due`: "40 days 12 hours 0 minutes".
pub fn time_left(due: NaiveDateTime, now: NaiveDateTime) -> String {
    let total = (due - now).num_minutes();
    let m = total.abs();
    let text = format!(
        "{} days {} hours {} minutes",
        m / (24 * 60),
        (m / 60) % 24,
        m % 60
    );
    if total < 0 {
        format!("overdue by {text}")
    } else {
        text
    }
}

/// The deadlines a countdown shows: open, not yet due (or overdue if
/// `include_overdue`), nearest first.
pub fn countdown_rows<'a>(
    events: &'a [Event],
    now: NaiveDateTime,
    filter: &Filter,
) -> Vec<&'a Event> {
    // Overdue open deadlines first, whatever the time filters say; then
    // the rest, nearest first.
    let mut rows = overdue_rows(events, now, filter);
    let mut ahead: Vec<&Event> = events
        .iter()
        .filter(|e| e.kind == Kind::Deadline && filter.matches(e) && due_on(e, now).is_some())
        .filter(|e| !overdue(e, now))
        .filter(|e| filter.include_past || due_on(e, now).is_some_and(|d| d > now))
        .collect();
    ahead.sort_by_key(|e| due_on(e, now));
    rows.extend(ahead);
    rows
}

/// The countdown table, fitted like [`table`].
pub fn countdown(
    rows: &[&Event],
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
        if late && e.status == Status::Open {
            left.push_str(&overdue_by(due, now));
        } else if compact {
            // "19d 10h 0m": the same figures in a third of the width.
            let m = (due - now).num_minutes().abs();
            let _ = write!(left, "{}d {}h {}m", m / 1440, (m / 60) % 24, m % 60);
        } else {
            left.push_str(&time_left(due, now));
        }
        let format = if compact && due.year() == now.year() {
            "%m-%d %H:%M"
        } else {
            "%Y-%m-%d %H:%M"
        };
        let _ = write!(due_cell, "{}", due.format(format));
        title.push_str(&e.display_title());
        id.push_str(e.id.get(..id_len).unwrap_or(&e.id));
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
