//! `timeline calendar`: a month grid, as `cal`, `task calendar` and
//! `khal calendar` draw one, with the days that have events marked and
//! today highlighted, then the month's events listed under it.
//!
//! The grid is 7 columns of 4 characters (28 wide): one month, or two side
//! by side, fit 80 columns; weeks start on Monday (ISO 8601).

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};

use super::{date_text, overdue, Style};
use crate::events::{Kind, Row, Shown, Status, When};

/// A month: its first day.
pub fn month_of(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

/// Parses "2026-12" (or a day in the month, "2026-12-04").
pub fn parse_month(s: &str) -> Result<NaiveDate, String> {
    let t = s.trim();
    let day = NaiveDate::parse_from_str(&format!("{t}-01"), "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(t, "%Y-%m-%d"))
        .map_err(|_| format!("invalid month {t:?}: expected YYYY-MM, like 2026-12"))?;
    Ok(month_of(day))
}

/// The days an event covers in the grid (first and last), and whether it
/// is an open deadline: worked out once per event, not once per day.
struct Span {
    from: NaiveDate,
    last: NaiveDate,
    deadline: bool,
}

fn spans(events: &[&Row<'_>]) -> Vec<Span> {
    events
        .iter()
        .filter_map(|e| {
            let (start, end) = (e.when.start()?, e.when.end()?);
            let from = start.date();
            Some(Span {
                from,
                last: (end - Duration::seconds(1)).date().max(from),
                deadline: e.kind == Kind::Deadline && e.status == Status::Open,
            })
        })
        .collect()
}

/// What marks a day in the grid: `!` an open deadline, `*` any other event.
fn mark(spans: &[&Span], day: NaiveDate) -> Option<char> {
    let mut hits = spans.iter().filter(|s| s.from <= day && day <= s.last);
    let first = hits.next()?;
    let deadline = first.deadline || hits.any(|s| s.deadline);
    Some(if deadline { '!' } else { '*' })
}

/// The grid of `months` months from `first` (a first day), side by side,
/// with the days holding `events` marked and `today` in reverse video when
/// colour is on (in brackets when not).
pub fn grid(
    events: &[&Row<'_>],
    first: NaiveDate,
    months: u32,
    today: NaiveDate,
    style: Style,
) -> String {
    let spans = spans(events);
    let blocks: Vec<Vec<String>> = (0..months)
        .filter_map(|i| first.checked_add_months(chrono::Months::new(i)))
        .map(|m| month_block(&spans, m, today, style))
        .collect();
    let height = blocks.iter().map(Vec::len).max().unwrap_or(0);
    let mut out = String::new();
    for row in 0..height {
        let line: Vec<String> = blocks
            .iter()
            .map(|b| b.get(row).cloned().unwrap_or_else(|| " ".repeat(28)))
            .collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
    }
    out
}

/// One month, as lines of 28 visible columns.
fn month_block(spans: &[Span], first: NaiveDate, today: NaiveDate, style: Style) -> Vec<String> {
    // A month's days are looked up among the events it holds: 100,000
    // events scanned for each of its days took half a second.
    let last = first
        .checked_add_months(chrono::Months::new(1))
        .and_then(|next| next.pred_opt())
        .unwrap_or(NaiveDate::MAX);
    let spans: Vec<&Span> = spans
        .iter()
        .filter(|s| s.from <= last && first <= s.last)
        .collect();
    let title = first.format("%B %Y").to_string();
    let mut lines = vec![
        format!("{title:^28}"),
        " Mo  Tu  We  Th  Fr  Sa  Su ".to_string(),
    ];
    let offset = first.weekday().num_days_from_monday() as usize;
    let mut cells: Vec<String> = vec!["    ".to_string(); offset];
    let mut day = first;
    while day.month() == first.month() {
        let m = mark(&spans, day).unwrap_or(' ');
        let n = day.day();
        let cell = if day == today {
            if style.color {
                format!("\x1b[7m{n:>3}\x1b[27m{m}")
            } else {
                format!("[{n:>2}]").replace("[ ", " [")
            }
        } else {
            format!("{n:>3}{m}")
        };
        cells.push(cell);
        day = match day.succ_opt() {
            Some(d) => d,
            None => break,
        };
    }
    for week in cells.chunks(7) {
        let mut line = week.concat();
        line.push_str(&"    ".repeat(7 - week.len()));
        lines.push(line);
    }
    lines
}

/// At most this many occurrences of one recurrence are drawn (an hourly
/// rule would otherwise fill the list under the grid).
const MAX_OCCURRENCES: u16 = 62;

/// The month grid and, under it, the events of those months by day; a
/// recurrence appears on each of its days. Events come as [`Row`]s: the
/// calendar shows nothing a row lacks.
pub fn calendar(
    events: &[&Row<'_>],
    first: NaiveDate,
    months: u32,
    now: NaiveDateTime,
    style: Style,
) -> String {
    let end = first
        .checked_add_months(chrono::Months::new(months))
        .unwrap_or(first);
    // Each occurrence of a recurrence in these months is a day to mark.
    let occurrences: Vec<Row<'_>> = events
        .iter()
        .filter_map(|e| match &e.when {
            When::Recurring(r) => Some((*e, r)),
            _ => None,
        })
        .flat_map(|(e, r)| {
            r.between(first, end, MAX_OCCURRENCES)
                .into_iter()
                .map(move |day| {
                    let mut one = e.clone();
                    one.when = r.on(day);
                    if r.done_through.is_some_and(|d| day <= d) {
                        one.status = Status::Done;
                    }
                    one
                })
        })
        .collect();
    let events: Vec<&Row<'_>> = events
        .iter()
        .copied()
        .filter(|e| !matches!(e.when, When::Recurring(_)))
        .chain(&occurrences)
        .collect();
    let events = events.as_slice();
    let mut out = grid(events, first, months, now.date(), style);
    out.push_str("\n  ! open deadline   * event\n\n");
    let mut shown: Vec<&&Row<'_>> = events
        .iter()
        .filter(|e| {
            e.when.start().is_some_and(|s| s.date() < end)
                && e.when.end().is_some_and(|x| x.date() > first)
        })
        .collect();
    shown.sort_by_key(|e| e.when.start());
    if shown.is_empty() {
        out.push_str("  No events in these months.\n");
    }
    for e in shown {
        let late = if overdue(e, now) { "  (overdue)" } else { "" };
        let title = match style.width {
            Some(w) => super::fit::truncate(&e.display_title(), usize::from(w).saturating_sub(32)),
            None => e.display_title(),
        };
        out.push_str(&format!(
            "  {:<18} {title}{late}\n",
            date_text(e, now.date())
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::{Event, When};

    fn event(title: &str, when: When, kind: Kind) -> Event {
        let at = NaiveDate::from_ymd_opt(2026, 11, 1)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap();
        Event {
            id: crate::events::event_id(title, "x"),
            value: String::new(),
            ..Event::new(title, kind, when, at)
        }
    }

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    #[test]
    fn december_2026_starts_on_a_tuesday_and_marks_its_days() {
        let evs = [
            event("Camera ready", When::Date(day(12, 4)), Kind::Deadline),
            event(
                "Winter school",
                When::Range {
                    start: day(12, 14),
                    end: day(12, 17),
                },
                Kind::Scheduled,
            ),
        ];
        let rows: Vec<Row<'_>> = evs.iter().map(Row::from).collect();
        let refs: Vec<&Row<'_>> = rows.iter().collect();
        let text = grid(&refs, day(12, 1), 1, day(12, 2), Style::default());
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0].trim(), "December 2026");
        assert_eq!(lines[1], " Mo  Tu  We  Th  Fr  Sa  Su");
        // Tuesday the 1st, today (the 2nd) in brackets, the 4th a deadline.
        assert_eq!(lines[2], "      1  [2]  3   4!  5   6");
        // The 14th to the 16th (the range's end is exclusive).
        assert!(lines[4].starts_with(" 14* 15* 16* 17 "), "{:?}", lines[4]);
        assert!(text.lines().all(|l| l.chars().count() <= 28), "{text}");
    }

    #[test]
    fn two_months_fit_80_columns() {
        let text = grid(&[], day(12, 1), 2, day(11, 30), Style::default());
        assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");
        assert!(text.lines().next().unwrap().contains("January 2027"));
    }

    #[test]
    fn months_parse() {
        assert_eq!(parse_month("2026-12"), Ok(day(12, 1)));
        assert_eq!(parse_month("2026-12-25"), Ok(day(12, 1)));
        assert!(parse_month("December").is_err());
    }
}
