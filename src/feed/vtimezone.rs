//! `VTIMEZONE` components (RFC 5545 §3.6.5) for the zones the feed's
//! recurrences are in, read off the tz database that `chrono-tz` bundles.
//!
//! A recurrence at "09:30 Europe/Vienna" must stay at 09:30 on both sides
//! of a DST change, so it is written with `TZID` rather than in UTC, and
//! RFC 5545 wants each `TZID` defined. The zone's changes over the years
//! the feed covers are found by scanning its offsets; changes that follow
//! a yearly rule (the last Sunday of March at 02:00) become one observance
//! with an `RRULE`, others are listed by `RDATE`.

use std::str::FromStr;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::{OffsetComponents, OffsetName, Tz};

/// One change of offset: the wall time it happens at (in the offset before
/// it, as RFC 5545 writes an observance's onset), the offsets around it,
/// the name after it, and whether daylight time begins.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Change {
    onset: NaiveDateTime,
    from: i32,
    to: i32,
    name: String,
    daylight: bool,
}

/// The content lines of a `VTIMEZONE` for zone `name`, covering the years
/// `first..=last`; `None` for a name the database does not know. The
/// changes are listed from the year before, so that an observance is in
/// force on the first day of `first` (readers assume UTC before the first).
pub fn vtimezone(name: &str, first: i32, last: i32) -> Option<Vec<String>> {
    let tz = Tz::from_str(name).ok()?;
    let start = NaiveDate::from_ymd_opt(first.checked_sub(1)?, 1, 1)?;
    let start = Utc.from_utc_datetime(&start.and_hms_opt(0, 0, 0)?);
    let end =
        Utc.from_utc_datetime(&NaiveDate::from_ymd_opt(last + 1, 1, 1)?.and_hms_opt(0, 0, 0)?);
    let changes = changes(tz, start, end);
    let mut lines = vec!["BEGIN:VTIMEZONE".to_string(), format!("TZID:{name}")];
    if changes.is_empty() {
        // No change in those years: one observance from the start.
        let at = tz.from_utc_datetime(&start.naive_utc());
        let offset = at.offset().fix().local_minus_utc();
        let label = at.offset().abbreviation().unwrap_or("").to_string();
        lines.extend(observance(
            false,
            at.naive_local(),
            offset,
            offset,
            &label,
            None,
        ));
    }
    // Group the changes that look alike (same offsets and name): one
    // observance each, by rule when they follow one.
    let mut groups: Vec<Vec<&Change>> = Vec::new();
    for c in &changes {
        match groups.iter_mut().find(|g| {
            let h = g[0];
            (h.from, h.to, &h.name, h.daylight) == (c.from, c.to, &c.name, c.daylight)
        }) {
            Some(g) => g.push(c),
            None => groups.push(vec![c]),
        }
    }
    for g in groups {
        let h = g[0];
        match yearly_rule(&g) {
            Some(rule) => lines.extend(observance(
                h.daylight,
                h.onset,
                h.from,
                h.to,
                &h.name,
                Some(format!("RRULE:{rule}")),
            )),
            None => {
                let rdates: Vec<String> = g[1..]
                    .iter()
                    .map(|c| c.onset.format("%Y%m%dT%H%M%S").to_string())
                    .collect();
                let rdate = (!rdates.is_empty()).then(|| format!("RDATE:{}", rdates.join(",")));
                lines.extend(observance(
                    h.daylight, h.onset, h.from, h.to, &h.name, rdate,
                ));
            }
        }
    }
    lines.push("END:VTIMEZONE".to_string());
    Some(lines)
}

fn observance(
    daylight: bool,
    onset: NaiveDateTime,
    from: i32,
    to: i32,
    name: &str,
    repeat: Option<String>,
) -> Vec<String> {
    let kind = if daylight { "DAYLIGHT" } else { "STANDARD" };
    let mut lines = vec![
        format!("BEGIN:{kind}"),
        format!("DTSTART:{}", onset.format("%Y%m%dT%H%M%S")),
        format!("TZOFFSETFROM:{}", utc_offset(from)),
        format!("TZOFFSETTO:{}", utc_offset(to)),
    ];
    if !name.is_empty() && !name.starts_with(['+', '-']) {
        lines.push(format!("TZNAME:{name}"));
    }
    lines.extend(repeat);
    lines.push(format!("END:{kind}"));
    lines
}

/// "+0100", "-0430": an offset in seconds as RFC 5545 writes it.
fn utc_offset(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.unsigned_abs();
    format!("{sign}{:02}{:02}", s / 3600, s % 3600 / 60)
}

/// The zone's changes of offset between `start` and `end`: the days are
/// scanned twice a day, and a change found between two is narrowed to the
/// second.
fn changes(tz: Tz, start: DateTime<Utc>, end: DateTime<Utc>) -> Vec<Change> {
    let offset = |t: DateTime<Utc>| {
        tz.from_utc_datetime(&t.naive_utc())
            .offset()
            .fix()
            .local_minus_utc()
    };
    let mut out = Vec::new();
    let mut t = start;
    let mut before = offset(t);
    while t < end {
        let next = t + Duration::hours(12);
        let after = offset(next);
        if after != before {
            let (mut lo, mut hi) = (t, next);
            while hi - lo > Duration::seconds(1) {
                let mid = lo + (hi - lo) / 2;
                if offset(mid) == before {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            let at = tz.from_utc_datetime(&hi.naive_utc());
            out.push(Change {
                onset: hi.naive_utc() + Duration::seconds(i64::from(before)),
                from: before,
                to: after,
                name: at.offset().abbreviation().unwrap_or("").to_string(),
                daylight: !at.offset().dst_offset().is_zero(),
            });
        }
        before = after;
        t = next;
    }
    out
}

/// The yearly rule a group of changes follows, one a year on the same
/// weekday of the same week of the same month at the same time ("the last
/// Sunday of March at 02:00": `FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU`).
fn yearly_rule(group: &[&Change]) -> Option<String> {
    const BYDAY: [&str; 7] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
    if group.len() < 2 {
        return None;
    }
    let first = group[0].onset;
    let week = |d: NaiveDate| -> (i32, bool) {
        let last = d
            .checked_add_signed(Duration::days(7))
            .is_none_or(|w| w.month() != d.month());
        ((d.day() as i32 - 1) / 7 + 1, last)
    };
    let (nth, last) = week(first.date());
    let same = group
        .windows(2)
        .all(|w| w[1].onset.year() == w[0].onset.year() + 1)
        && group.iter().all(|c| {
            let d = c.onset.date();
            let (n, l) = week(d);
            d.month() == first.month()
                && d.weekday() == first.weekday()
                && c.onset.time() == first.time()
                && if last { l } else { n == nth }
        });
    if !same {
        return None;
    }
    let n = if last { -1 } else { nth };
    let day = BYDAY[first.weekday().num_days_from_monday() as usize];
    Some(format!(
        "FREQ=YEARLY;BYMONTH={};BYDAY={n}{day}",
        first.month()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vienna_changes_on_the_last_sundays_of_march_and_october() {
        let lines = vtimezone("Europe/Vienna", 2026, 2030).unwrap();
        let text = lines.join("\n");
        assert!(text.contains("TZID:Europe/Vienna"), "{text}");
        assert!(
            text.contains("BEGIN:DAYLIGHT\nDTSTART:20250330T020000\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0200\nTZNAME:CEST\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\nEND:DAYLIGHT"),
            "{text}"
        );
        assert!(
            text.contains("BEGIN:STANDARD\nDTSTART:20251026T030000\nTZOFFSETFROM:+0200\nTZOFFSETTO:+0100\nTZNAME:CET\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\nEND:STANDARD"),
            "{text}"
        );
    }

    #[test]
    fn new_york_changes_on_the_second_sunday_of_march() {
        let text = vtimezone("America/New_York", 2026, 2028)
            .unwrap()
            .join("\n");
        assert!(
            text.contains("RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU"),
            "{text}"
        );
        assert!(
            text.contains("RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU"),
            "{text}"
        );
    }

    #[test]
    fn a_zone_without_changes_has_one_observance() {
        let text = vtimezone("Asia/Tokyo", 2026, 2027).unwrap().join("\n");
        assert!(text.contains("BEGIN:STANDARD\nDTSTART:20250101T090000\nTZOFFSETFROM:+0900\nTZOFFSETTO:+0900\nTZNAME:JST"), "{text}");
        assert_eq!(text.matches("BEGIN:STANDARD").count(), 1);
        assert!(vtimezone("Mars/Olympus", 2026, 2027).is_none());
    }
}
