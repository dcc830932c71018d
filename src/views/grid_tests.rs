//! The direct table writer against comfy-table: generated tables, and
//! the event tables as they were built before (cells collected, fitted,
//! then drawn by comfy-table), must come out byte for byte the same.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};

use super::grid::{self, Columns, Tint};
use super::{due_on, fit, overdue, time_left, Style, COMPACT_BELOW};
use crate::events::{Event, Kind, Recurrence, Status, When};

/// The event table as it was built before the direct writer.
fn old_table(events: &[&Event], now: NaiveDateTime, style: Style) -> String {
    if events.is_empty() {
        return "No events match.\n".to_string();
    }
    let compact = style.width.is_some_and(|w| w < COMPACT_BELOW);
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut marks: Vec<(bool, bool)> = Vec::new();
    for (e, id) in events.iter().zip(old_short_ids(events)) {
        let late = overdue(e, now);
        let soon = !late
            && e.kind == Kind::Deadline
            && due_on(e, now).is_some_and(|d| d > now && d - now <= Duration::days(3));
        let mut when = match (late, due_on(e, now)) {
            (true, Some(due)) => old_overdue_by(due, now),
            _ => old_relative(&e.when, now),
        };
        if compact && e.kind == Kind::Deadline && !late {
            when = format!("due {when}");
        }
        if e.status == Status::Done {
            when.push_str(" (done)");
        }
        let mut date = old_date_text(e, now.date());
        if compact {
            let this_year = format!("{}-", now.format("%Y"));
            if let Some(short) = date.strip_prefix(&this_year) {
                date = short.replace(&format!(" … {this_year}"), " … ");
            }
        }
        rows.push(vec![
            id,
            date,
            when,
            if compact {
                String::new()
            } else {
                e.kind.to_string()
            },
            e.display_title(),
            e.place.clone().unwrap_or_default(),
            e.tags
                .iter()
                .map(|t| format!("+{t}"))
                .collect::<Vec<_>>()
                .join(" "),
        ]);
        marks.push((late, soon));
    }
    let headers = fit::fit(
        &["id", "date", "when", "kind", "title", "where", "tags"],
        &mut rows,
        4,
        &[0, 1, 2],
        style.width.map(usize::from),
    );
    old_draw(headers, rows, &marks, style)
}

/// The countdown table as it was built before the direct writer.
fn old_countdown(rows: &[&Event], now: NaiveDateTime, style: Style) -> String {
    if rows.is_empty() {
        return "No upcoming deadlines.\n".to_string();
    }
    let compact = style.width.is_some_and(|w| w < COMPACT_BELOW);
    let mut cells: Vec<Vec<String>> = Vec::new();
    let mut marks: Vec<(bool, bool)> = Vec::new();
    for (e, id) in rows.iter().zip(old_short_ids(rows)) {
        let due = due_on(e, now).unwrap_or(now);
        let late = due <= now;
        let left = if late && e.status == Status::Open {
            old_overdue_by(due, now)
        } else if compact {
            // "19d 10h 0m": the same figures in a third of the width.
            let m = (due - now).num_minutes().abs();
            format!("{}d {}h {}m", m / 1440, (m / 60) % 24, m % 60)
        } else {
            time_left(due, now)
        };
        let format = if compact && due.year() == now.year() {
            "%m-%d %H:%M"
        } else {
            "%Y-%m-%d %H:%M"
        };
        cells.push(vec![
            due.format(format).to_string(),
            left,
            e.display_title(),
            id,
        ]);
        marks.push((late, !late && due - now <= Duration::days(3)));
    }
    let headers = fit::fit(
        &["due", "left", "title", "id"],
        &mut cells,
        2,
        &[0, 1, 3],
        style.width.map(usize::from),
    );
    old_draw(headers, cells, &marks, style)
}

/// The short ids as they were computed before.
fn old_short_ids(events: &[&Event]) -> Vec<String> {
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
            match id.get(..need) {
                Some(prefix) if need < id.len() && id.is_char_boundary(need) => prefix.to_string(),
                _ => id.to_string(),
            }
        })
        .collect()
}

/// The relative times and dates as they were written before.
fn old_relative(when: &When, now: NaiveDateTime) -> String {
    let Some(start) = when.start() else {
        // A recurrence: how far its next day is.
        if let When::Recurring(r) = when {
            if let Some(next) = r.next_from(now.date()) {
                return old_relative(&When::Date(next), now);
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
            d if d > 0 => format!("in {}", old_amount(d)),
            d => format!("{} ago", old_amount(-d)),
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

fn old_amount(days: i64) -> String {
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

fn old_date_text(e: &Event, today: chrono::NaiveDate) -> String {
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

fn old_overdue_by(due: NaiveDateTime, now: NaiveDateTime) -> String {
    let minutes = (now - due).num_minutes().max(0);
    if minutes < 24 * 60 {
        let (n, unit) = if minutes >= 60 {
            (minutes / 60, "hour")
        } else {
            (minutes, "minute")
        };
        return format!("overdue by {n} {unit}{}", if n == 1 { "" } else { "s" });
    }
    format!("overdue by {}", old_amount(minutes / (24 * 60)))
}

fn old_draw(
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    marks: &[(bool, bool)],
    style: Style,
) -> String {
    let tints: Vec<Tint> = marks.iter().map(|&(l, s)| super::tint(l, s)).collect();
    grid::comfy(headers, rows, &tints, style)
}

/// A small deterministic generator (xorshift), so a failure repeats.
struct Dice(u64);

impl Dice {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }

    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len())]
    }
}

/// Cell texts that stress widths: wide and zero-width characters, emoji
/// sequences, combining marks, newlines, long words and spaces.
const TEXTS: &[&str] = &[
    "",
    "",
    "",
    "a",
    "ev-1234abcd",
    "2014-10-14 … 2014-10-31",
    "Café déjà vu",
    "会議の締め切りは明日です",
    "全角ＡＢＣ and ascii",
    "🎉 launch party",
    "👩‍👩‍👧 family day",
    "🇦🇹 flag",
    "e\u{301}t\u{301}e\u{301}",
    "zero\u{200b}width",
    "two\nlines",
    "three\nshort\nlines here",
    "trailing newline\n",
    "\n",
    "tab\there",
    "  spaced out  ",
    "A rather long title that would wrap around any normal terminal width, and then some more words",
    "Ünïcödé ☃ snow ★ star",
    "…",
    "한국어 제목 마감",
    "x",
];

fn generated_rows(dice: &mut Dice, n: usize, columns: usize) -> (Vec<Vec<String>>, Vec<Tint>) {
    // Some columns are empty in every row, so `fit` hides them.
    let empty: Vec<bool> = (0..columns).map(|_| dice.below(4) == 0).collect();
    let mut rows = Vec::new();
    let mut tints = Vec::new();
    for _ in 0..n {
        let row = (0..columns)
            .map(|c| {
                if empty[c] {
                    String::new()
                } else {
                    let mut s = dice.pick(TEXTS).to_string();
                    if dice.below(5) == 0 {
                        s.push_str(dice.pick(TEXTS));
                    }
                    s
                }
            })
            .collect();
        rows.push(row);
        tints.push([Tint::Plain, Tint::Late, Tint::Soon][dice.below(3)]);
    }
    (rows, tints)
}

const WIDTHS: &[Option<u16>] = &[
    None,
    Some(20),
    Some(40),
    Some(60),
    Some(80),
    Some(99),
    Some(100),
    Some(150),
    Some(400),
];

#[test]
fn generated_tables_come_out_as_comfy_table_draws_them() {
    let mut dice = Dice(0x9e37_79b9_7f4a_7c15);
    let shapes: [(&[&str], usize, &[usize]); 3] = [
        (
            &["id", "date", "when", "kind", "title", "where", "tags"],
            4,
            &[0, 1, 2],
        ),
        (&["due", "left", "title", "id"], 2, &[0, 1, 3]),
        (&["a", "b"], 0, &[]),
    ];
    let mut checked = 0;
    for round in 0..60 {
        for &(headers, flex, keep) in &shapes {
            let n = [0, 1, 2, 5, 30][round % 5];
            let (rows, tints) = generated_rows(&mut dice, n, headers.len());
            for &width in WIDTHS {
                for color in [false, true] {
                    let style = Style { color, width };
                    let mut fitted = rows.clone();
                    let kept = fit::fit(headers, &mut fitted, flex, keep, width.map(usize::from));
                    let expected = grid::comfy(kept, fitted, &tints, style);
                    let columns = Columns {
                        headers,
                        flex,
                        keep,
                    };
                    let mut got = Vec::new();
                    let row = |i: usize, cells: &mut [String]| {
                        for (cell, text) in cells.iter_mut().zip(&rows[i]) {
                            cell.push_str(text);
                        }
                        tints[i]
                    };
                    grid::write(&columns, n, row, style, &mut got).unwrap();
                    let got = String::from_utf8(got).unwrap();
                    assert_eq!(
                        got, expected,
                        "round {round}, {n} rows, width {width:?}, colour {color}: {rows:?}"
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 1000);
}

#[test]
fn a_cell_wider_than_comfy_table_lays_out_on_one_line_is_drawn_by_it() {
    let rows = vec![vec!["ev-1".to_string(), "w".repeat(70_000)]];
    let headers: &[&str] = &["id", "title"];
    let style = Style::default();
    let mut fitted = rows.clone();
    let kept = fit::fit(headers, &mut fitted, 1, &[0], None);
    let expected = grid::comfy(kept, fitted, &[Tint::Plain], style);
    let columns = Columns {
        headers,
        flex: 1,
        keep: &[0],
    };
    let mut got = Vec::new();
    let row = |i: usize, cells: &mut [String]| {
        for (cell, text) in cells.iter_mut().zip(&rows[i]) {
            cell.push_str(text);
        }
        Tint::Plain
    };
    grid::write(&columns, 1, row, style, &mut got).unwrap();
    assert!(String::from_utf8(got).unwrap() == expected);
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    day(y, m, d).and_hms_opt(h, min, 0).unwrap()
}

/// Events of every kind, status and form of time, around 2014-10-14,
/// with titles, places and tags from [`TEXTS`].
fn generated_events(dice: &mut Dice, n: usize) -> Vec<Event> {
    let kinds = [
        Kind::Deadline,
        Kind::Deadline,
        Kind::Meeting,
        Kind::Scheduled,
        Kind::Past,
        Kind::Ongoing,
        Kind::Recurring,
    ];
    let rules = [
        "FREQ=WEEKLY;BYDAY=MO",
        "FREQ=MONTHLY;BYMONTHDAY=1",
        "FREQ=DAILY;INTERVAL=3",
        "FREQ=YEARLY;COUNT=2",
    ];
    (0..n)
        .map(|i| {
            let base = day(2014, 10, 14) + Duration::days(dice.below(900) as i64 - 450);
            let when = match dice.below(6) {
                0 | 1 => When::Date(base),
                2 => When::DateTime {
                    at: base.and_hms_opt(dice.below(24) as u32, 0, 0).unwrap(),
                    offset: [None, Some(-300), Some(60), Some(330)][dice.below(4)],
                },
                3 => When::DateTime {
                    // Near now: minutes and hours away, either side.
                    at: at(2014, 10, 14, 12, 0) + Duration::minutes(dice.below(600) as i64 - 300),
                    offset: None,
                },
                4 => When::Range {
                    start: base,
                    end: base + Duration::days(1 + dice.below(200) as i64),
                },
                _ => When::Recurring(Recurrence {
                    rule: (dice.below(5) > 0).then(|| dice.pick(&rules).to_string()),
                    start: Some(base),
                    time: (dice.below(2) == 0).then_some(chrono::NaiveTime::MIN),
                    done_through: None,
                }),
            };
            let text = |dice: &mut Dice| dice.pick(TEXTS).to_string();
            let title = match dice.below(3) {
                0 => format!("Event {i}: {}", text(dice)),
                _ => text(dice),
            };
            // Ids that share long prefixes, so short ids vary in length.
            let id = match dice.below(3) {
                0 => format!("ev-{:016x}", dice.below(1 << 20)),
                1 => format!("ev-abcdef12{:08x}", dice.below(64)),
                _ => format!("ev-{:08x}", dice.below(1 << 30)),
            };
            let tags: Vec<String> = (0..dice.below(3))
                .map(|_| ["work", "grants", "会議", "🎉"][dice.below(4)].to_string())
                .collect();
            Event {
                id,
                title,
                kind: kinds[dice.below(kinds.len())],
                when,
                value: "XXXX-WXX-1".to_string(),
                place: (dice.below(2) == 0).then(|| text(dice)),
                context: (dice.below(4) == 0).then(|| text(dice)),
                status: if dice.below(5) == 0 {
                    Status::Done
                } else {
                    Status::Open
                },
                added: at(2014, 10, 1, 9, 0),
                notes: None,
                remind: None,
                tags,
                tz: None,
                modified: None,
                edits: 0,
                sources: Vec::new(),
            }
        })
        .collect()
}

#[test]
fn event_tables_are_byte_identical_to_the_comfy_table_ones() {
    let mut dice = Dice(0x2545_f491_4f6c_dd1d);
    let nows = [
        at(2014, 10, 14, 12, 0),
        at(2014, 12, 31, 23, 59),
        at(2015, 1, 1, 0, 0),
    ];
    let mut checked = 0;
    for round in 0..24 {
        let n = [0, 1, 3, 12, 80, 250][round % 6];
        let events = generated_events(&mut dice, n);
        let refs: Vec<&Event> = events.iter().collect();
        for &now in &nows {
            let due: Vec<&Event> = refs
                .iter()
                .copied()
                .filter(|e| e.kind == Kind::Deadline && due_on(e, now).is_some())
                .collect();
            for &width in WIDTHS {
                for color in [false, true] {
                    let style = Style { color, width };
                    let mut got = Vec::new();
                    super::table(&refs, now, style, &mut got).unwrap();
                    assert_eq!(
                        String::from_utf8(got).unwrap(),
                        old_table(&refs, now, style),
                        "table: round {round}, now {now}, width {width:?}, colour {color}"
                    );
                    let mut got = Vec::new();
                    super::countdown(&due, now, style, &mut got).unwrap();
                    assert_eq!(
                        String::from_utf8(got).unwrap(),
                        old_countdown(&due, now, style),
                        "countdown: round {round}, now {now}, width {width:?}, colour {color}"
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 1000);
}

#[test]
fn days_are_written_as_chrono_writes_them_in_any_year() {
    for year in [-262_000, -1, 0, 1, 999, 2014, 9999, 10_000, 262_000] {
        for (month, d) in [(1, 1), (2, 28), (12, 31)] {
            let date = day(year, month, d);
            let mut text = String::new();
            super::push_day(&mut text, date);
            assert_eq!(text, date.format("%Y-%m-%d").to_string());
        }
    }
}
