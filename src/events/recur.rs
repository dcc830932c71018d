//! Recurring events: an RFC 5545 rule counted from its first occurrence,
//! the next occurrence on or after a day, done one occurrence at a time,
//! and how the rule reads ("every other Thu", "monthly on the 1st Mon").
//!
//! Occurrences come from the `rrule` crate, so what the views call "next"
//! is exactly what a calendar app computes from the exported `RRULE`.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use rrule::{RRule, RRuleSet, Tz, Unvalidated};

/// A recurrence. Without a rule ("twice a month", which no rule of days
/// says) it has no occurrences to name; the event's TIMEX3 value still
/// says what the text did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recurrence {
    /// The rule as RFC 5545 writes it after `RRULE:`
    /// ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TH").
    pub rule: Option<String>,
    /// The first occurrence (`DTSTART`); set whenever `rule` is.
    pub start: Option<NaiveDate>,
    /// The time of day of every occurrence; `None` for all-day ones.
    pub time: Option<NaiveTime>,
    /// Occurrences on or before this day are done (`timeline done` on a
    /// recurring event completes one occurrence, not the series).
    pub done_through: Option<NaiveDate>,
}

/// Occurrences further than this from the day asked about are not looked
/// for: a rule that never fires again ("every Feb 30") ends the search.
const SEARCH_YEARS: i32 = 30;

impl Recurrence {
    /// A recurrence with no rule: shown by its value, never dated.
    pub fn unruled() -> Recurrence {
        Recurrence {
            rule: None,
            start: None,
            time: None,
            done_through: None,
        }
    }

    /// Checks `rule` and counts it from its first occurrence on or after
    /// `from`. A rule's `BYHOUR`/`BYMINUTE` give the time of day when
    /// `time` is `None`.
    pub fn new(rule: &str, from: NaiveDate, time: Option<NaiveTime>) -> Result<Recurrence, String> {
        let rule = rule.trim();
        let rule = rule
            .strip_prefix("RRULE:")
            .or_else(|| rule.strip_prefix("rrule:"))
            .unwrap_or(rule);
        let time = time.or_else(|| clock_of(rule));
        let set = rule_set(rule, from, time)?;
        let first = first_on_or_after(&set, from)
            .ok_or_else(|| format!("the rule {rule:?} has no occurrence on or after {from}"))?;
        // Re-anchored at its first occurrence, as RFC 5545 wants DTSTART.
        Ok(Recurrence {
            rule: Some(normalized(rule)),
            start: Some(first),
            time,
            done_through: None,
        })
    }

    /// The recurrence a TIMEX3 set says, from its first occurrence on or
    /// after `from`: the engine's rule where it gave one, else the rule
    /// of the value, else no rule ("twice a month").
    pub fn of_timex(value: &str, rule: Option<&str>, from: NaiveDate) -> Recurrence {
        let time = value
            .split_once('T')
            .and_then(|(_, t)| NaiveTime::parse_from_str(t, "%H:%M").ok());
        let found = match rule {
            Some(rule) => Recurrence::new(rule, from, time).ok(),
            None => None,
        };
        found
            .or_else(|| {
                let (rule, time) = rule_of_value(value)?;
                Recurrence::new(&rule, from, time).ok()
            })
            .unwrap_or_else(Recurrence::unruled)
    }

    /// The first occurrence on or after `day` that is not done yet.
    pub fn next_from(&self, day: NaiveDate) -> Option<NaiveDate> {
        let (rule, start) = (self.rule.as_deref()?, self.start?);
        let after_done = self.done_through.and_then(|d| d.succ_opt());
        let from = day.max(after_done.unwrap_or(day)).max(start);
        let set = rule_set(rule, start, self.time).ok()?;
        first_on_or_after(&set, from)
    }

    /// The occurrences from `from` (inclusive) to `until` (exclusive),
    /// done or not, at most `limit` of them: what a calendar grid shows.
    pub fn between(&self, from: NaiveDate, until: NaiveDate, limit: u16) -> Vec<NaiveDate> {
        let (Some(rule), Some(start)) = (self.rule.as_deref(), self.start) else {
            return Vec::new();
        };
        let Ok(set) = rule_set(rule, start, self.time) else {
            return Vec::new();
        };
        let at = |d: NaiveDate| Tz::UTC.from_utc_datetime(&d.and_time(NaiveTime::MIN));
        let Some(last) = until.pred_opt() else {
            return Vec::new();
        };
        let end = last
            .and_hms_opt(23, 59, 59)
            .map(|t| Tz::UTC.from_utc_datetime(&t));
        let Some(end) = end else {
            return Vec::new();
        };
        set.after(at(from.max(start)))
            .before(end)
            .all(limit)
            .dates
            .iter()
            .map(|d| d.date_naive())
            .collect()
    }

    /// The occurrence on `day`: the day, or its time of day.
    pub fn on(&self, day: NaiveDate) -> super::When {
        match self.time {
            Some(t) => super::When::DateTime {
                at: day.and_time(t),
                offset: None,
            },
            None => super::When::Date(day),
        }
    }

    /// How the rule reads: "every Thu", "every other Thu at 17:00",
    /// "monthly on the 1st Mon", "every weekday".
    pub fn describe(&self) -> Option<String> {
        let rule = self.rule.as_deref()?;
        let mut text = describe_rule(rule, self.start?)?;
        if let Some(t) = self.time {
            text.push_str(&t.format(" at %H:%M").to_string());
        }
        Some(text)
    }
}

/// The rule for a TIMEX3 set value, for stores written before rules were
/// kept and for values the engine gave no rule: the weekday, day of the
/// month, day of the year or frequency it names, and its time of day.
pub fn rule_of_value(value: &str) -> Option<(String, Option<NaiveTime>)> {
    let (date, time) = match value.split_once('T') {
        Some((d, t)) => (d, NaiveTime::parse_from_str(t, "%H:%M").ok()),
        None => (value, None),
    };
    if let Some(day) = date.strip_prefix("XXXX-WXX-") {
        let n: usize = digits(day)?;
        let byday = BYDAY.get(n.checked_sub(1)?)?;
        return Some((format!("FREQ=WEEKLY;BYDAY={byday}"), time));
    }
    if let Some(day) = date.strip_prefix("XXXX-XX-") {
        let d: u32 = digits(day).filter(|d| (1..=31).contains(d))?;
        return Some((format!("FREQ=MONTHLY;BYMONTHDAY={d}"), time));
    }
    if let Some(md) = date.strip_prefix("XXXX-") {
        let (m, d) = md.split_once('-')?;
        let (m, d): (u32, u32) = (digits(m)?, digits(d)?);
        NaiveDate::from_ymd_opt(2000, m, d)?;
        return Some((format!("FREQ=YEARLY;BYMONTH={m};BYMONTHDAY={d}"), time));
    }
    let period = value.strip_prefix('P')?;
    let unit = period.chars().last()?;
    let n: u32 = digits(&period[..period.len() - unit.len_utf8()])?;
    let (freq, times) = match unit {
        'D' => ("DAILY", 1),
        'W' => ("WEEKLY", 1),
        'M' => ("MONTHLY", 1),
        'Q' => ("MONTHLY", 3),
        'Y' => ("YEARLY", 1),
        _ => return None,
    };
    let n = n.checked_mul(times).filter(|&n| n > 0)?;
    let rule = if n == 1 {
        format!("FREQ={freq}")
    } else {
        format!("FREQ={freq};INTERVAL={n}")
    };
    Some((rule, time))
}

/// The TIMEX3 value of a recurrence, the inverse of [`rule_of_value`]
/// where TIMEX3 can say the rule ("XXXX-WXX-4T17:00", "XXXX-XX-15"), else
/// its frequency ("P2W"); "" without a rule.
pub fn timex_of_recurrence(r: &Recurrence) -> String {
    let Some(rule) = r.rule.as_deref() else {
        return String::new();
    };
    let time = r.time.map(|t| t.format("T%H:%M").to_string());
    let simple = parts(rule).all(|(k, _)| {
        [
            "FREQ",
            "BYDAY",
            "BYMONTHDAY",
            "BYMONTH",
            "BYHOUR",
            "BYMINUTE",
        ]
        .iter()
        .any(|key| k.eq_ignore_ascii_case(key))
    });
    let freq = part(rule, "FREQ").map(str::to_ascii_uppercase);
    let day = match (simple, freq.as_deref()) {
        (true, Some("WEEKLY")) => part(rule, "BYDAY")
            .and_then(|d| BYDAY.iter().position(|c| c.eq_ignore_ascii_case(d)))
            .map(|i| format!("XXXX-WXX-{}", i + 1)),
        (true, Some("MONTHLY")) if part(rule, "BYDAY").is_none() => part(rule, "BYMONTHDAY")
            .and_then(digits::<u32>)
            .map(|d| format!("XXXX-XX-{d:02}")),
        (true, Some("YEARLY")) => match (
            part(rule, "BYMONTH").and_then(digits::<u32>),
            part(rule, "BYMONTHDAY").and_then(digits::<u32>),
        ) {
            (Some(m), Some(d)) => Some(format!("XXXX-{m:02}-{d:02}")),
            _ => None,
        },
        _ => None,
    };
    match day {
        Some(day) => day + time.as_deref().unwrap_or(""),
        None => timex_of_rule(rule),
    }
}

/// The TIMEX3 value closest to a rule: its frequency ("P2W" for
/// "FREQ=WEEKLY;INTERVAL=2"), since TIMEX3 has no value for the rest.
pub fn timex_of_rule(rule: &str) -> String {
    let interval: u32 = part(rule, "INTERVAL").and_then(digits).unwrap_or(1);
    let unit = match part(rule, "FREQ").map(str::to_ascii_uppercase).as_deref() {
        Some("YEARLY") => "Y",
        Some("MONTHLY") => "M",
        Some("WEEKLY") => "W",
        Some("DAILY") => "D",
        Some("HOURLY") => "TH",
        Some("MINUTELY") => "TM",
        _ => "TS",
    };
    match unit.strip_prefix('T') {
        Some(u) => format!("PT{interval}{u}"),
        None => format!("P{interval}{unit}"),
    }
}

const BYDAY: [&str; 7] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
const DAY_NAMES: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// The rule with its parts in upper case and without empty parts, so the
/// same rule is always written the same way.
fn normalized(rule: &str) -> String {
    rule.split(';')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_ascii_uppercase)
        .collect::<Vec<_>>()
        .join(";")
}

fn parts(rule: &str) -> impl Iterator<Item = (&str, &str)> {
    rule.split(';').filter_map(|p| p.split_once('='))
}

fn part<'r>(rule: &'r str, key: &str) -> Option<&'r str> {
    parts(rule).find_map(|(k, v)| k.eq_ignore_ascii_case(key).then_some(v))
}

/// `BYHOUR=17;BYMINUTE=30` as 17:30, when the rule names one time.
fn clock_of(rule: &str) -> Option<NaiveTime> {
    let hour: u32 = digits(part(rule, "BYHOUR")?)?;
    let minute: u32 = part(rule, "BYMINUTE").map_or(Some(0), digits)?;
    NaiveTime::from_hms_opt(hour, minute, 0)
}

fn rule_set(rule: &str, start: NaiveDate, time: Option<NaiveTime>) -> Result<RRuleSet, String> {
    let parsed: RRule<Unvalidated> = rule
        .parse()
        .map_err(|e| format!("not a recurrence rule ({rule:?}): {e}"))?;
    let dtstart = Tz::UTC.from_utc_datetime(&start.and_time(time.unwrap_or(NaiveTime::MIN)));
    parsed
        .build(dtstart)
        .map_err(|e| format!("not a valid recurrence rule ({rule:?}): {e}"))
}

fn first_on_or_after(set: &RRuleSet, day: NaiveDate) -> Option<NaiveDate> {
    let from = Tz::UTC.from_utc_datetime(&day.and_time(NaiveTime::MIN));
    let until_year = day.year().checked_add(SEARCH_YEARS)?;
    let until: NaiveDateTime = NaiveDate::from_ymd_opt(until_year, 1, 1)?.and_time(NaiveTime::MIN);
    let found = set
        .clone()
        .after(from)
        .before(Tz::UTC.from_utc_datetime(&until))
        .all(1);
    found.dates.first().map(|d| d.date_naive())
}

/// "every Thu", "every other Thu", "every 3 weeks on Mon, Wed", "every
/// weekday", "monthly on the 1st Mon", "monthly on the 15th", "every 3
/// months", "yearly on Jun 21", "daily".
fn describe_rule(rule: &str, start: NaiveDate) -> Option<String> {
    let freq = part(rule, "FREQ")?.to_ascii_uppercase();
    let interval: u32 = part(rule, "INTERVAL").map_or(Some(1), digits)?;
    let byday: Vec<&str> = part(rule, "BYDAY").map_or(Vec::new(), |d| d.split(',').collect());
    let every = |unit: &str, units: &str| match interval {
        1 => format!("every {unit}"),
        2 => format!("every other {unit}"),
        n => format!("every {n} {units}"),
    };
    let weekday = |code: &str| -> Option<(Option<i32>, &'static str)> {
        let split = code.len().checked_sub(2)?;
        let (n, day) = code.split_at(split);
        let i = BYDAY.iter().position(|d| d.eq_ignore_ascii_case(day))?;
        let n = if n.is_empty() {
            None
        } else {
            Some(n.trim_start_matches('+').parse().ok()?)
        };
        Some((n, DAY_NAMES[i]))
    };
    let text = match freq.as_str() {
        "WEEKLY" => {
            let days: Vec<&str> = if byday.is_empty() {
                vec![DAY_NAMES[start.weekday().num_days_from_monday() as usize]]
            } else {
                byday
                    .iter()
                    .map(|c| weekday(c).map(|(_, d)| d))
                    .collect::<Option<_>>()?
            };
            match interval {
                1 if days == DAY_NAMES[..5] => "every weekday".to_string(),
                1 => format!("every {}", days.join(", ")),
                2 => format!("every other {}", days.join(", ")),
                n => format!("every {n} weeks on {}", days.join(", ")),
            }
        }
        "MONTHLY" => {
            let lead = match interval {
                1 => "monthly".to_string(),
                _ => every("month", "months"),
            };
            if let Some(code) = byday.first() {
                let (n, day) = weekday(code)?;
                match n {
                    Some(-1) => format!("{lead} on the last {day}"),
                    Some(n) => format!("{lead} on the {} {day}", ordinal(n)),
                    None => format!("{lead} on {day}s"),
                }
            } else {
                let d: i32 =
                    part(rule, "BYMONTHDAY").map_or(Some(start.day() as i32), digits_signed)?;
                match d {
                    -1 => format!("{lead} on the last day"),
                    d => format!("{lead} on the {}", ordinal(d)),
                }
            }
        }
        "YEARLY" => {
            let month: u32 = part(rule, "BYMONTH").map_or(Some(start.month()), digits)?;
            let day: u32 = part(rule, "BYMONTHDAY").map_or(Some(start.day()), digits)?;
            let date = NaiveDate::from_ymd_opt(2000, month, day)?;
            let lead = match interval {
                1 => "yearly".to_string(),
                _ => every("year", "years"),
            };
            format!("{lead} on {}", date.format("%b %-d"))
        }
        "DAILY" => match interval {
            1 => "daily".to_string(),
            _ => every("day", "days"),
        },
        "HOURLY" => match interval {
            1 => "hourly".to_string(),
            _ => every("hour", "hours"),
        },
        "MINUTELY" => every("minute", "minutes"),
        "SECONDLY" => every("second", "seconds"),
        _ => return None,
    };
    Some(text)
}

fn ordinal(n: i32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// A run of ASCII digits as a number (no sign, no spaces).
fn digits<T: std::str::FromStr>(s: &str) -> Option<T> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn digits_signed(s: &str) -> Option<i32> {
    match s.strip_prefix('-') {
        Some(rest) => digits::<i32>(rest).map(|n| -n),
        None => digits(s.trim_start_matches('+')),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    // Monday 30 November 2026.
    const MON: (i32, u32, u32) = (2026, 11, 30);

    fn from() -> NaiveDate {
        day(MON.0, MON.1, MON.2)
    }

    #[test]
    fn a_rule_starts_at_its_first_occurrence() {
        let r = Recurrence::new("FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", from(), None).unwrap();
        assert_eq!(r.start, Some(day(2026, 12, 3)));
        assert_eq!(r.next_from(day(2026, 12, 4)), Some(day(2026, 12, 17)));
        assert_eq!(r.describe().as_deref(), Some("every other Thu"));
    }

    #[test]
    fn ordinal_weekdays_of_the_month() {
        let r = Recurrence::new("FREQ=MONTHLY;BYDAY=1MO", from(), None).unwrap();
        assert_eq!(r.start, Some(day(2026, 12, 7)));
        assert_eq!(r.next_from(day(2026, 12, 8)), Some(day(2027, 1, 4)));
        assert_eq!(r.describe().as_deref(), Some("monthly on the 1st Mon"));
        let last = Recurrence::new("FREQ=MONTHLY;BYDAY=-1FR", from(), None).unwrap();
        assert_eq!(last.start, Some(day(2026, 12, 25)));
        assert_eq!(last.describe().as_deref(), Some("monthly on the last Fri"));
    }

    #[test]
    fn done_moves_to_the_next_occurrence() {
        let mut r = Recurrence::new("FREQ=WEEKLY;BYDAY=MO", from(), None).unwrap();
        assert_eq!(r.next_from(from()), Some(from()));
        r.done_through = Some(from());
        assert_eq!(r.next_from(from()), Some(day(2026, 12, 7)));
    }

    #[test]
    fn clock_times_come_from_the_rule() {
        let r = Recurrence::new(
            "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=9;BYMINUTE=30",
            day(2026, 12, 5),
            None,
        )
        .unwrap();
        assert_eq!(r.time, NaiveTime::from_hms_opt(9, 30, 0));
        assert_eq!(r.start, Some(day(2026, 12, 7)));
        assert_eq!(r.describe().as_deref(), Some("every weekday at 09:30"));
    }

    #[test]
    fn bad_rules_are_refused_with_the_reason() {
        assert!(Recurrence::new("FREQ=SOMETIMES", from(), None)
            .unwrap_err()
            .contains("FREQ=SOMETIMES"));
        assert!(Recurrence::new("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", from(), None).is_err());
    }

    #[test]
    fn timex_values_become_rules() {
        assert_eq!(
            rule_of_value("XXXX-WXX-4"),
            Some(("FREQ=WEEKLY;BYDAY=TH".into(), None))
        );
        assert_eq!(
            rule_of_value("XXXX-WXX-5T17:00"),
            Some((
                "FREQ=WEEKLY;BYDAY=FR".into(),
                NaiveTime::from_hms_opt(17, 0, 0)
            ))
        );
        assert_eq!(
            rule_of_value("P2W"),
            Some(("FREQ=WEEKLY;INTERVAL=2".into(), None))
        );
        assert_eq!(
            rule_of_value("P1Q"),
            Some(("FREQ=MONTHLY;INTERVAL=3".into(), None))
        );
        assert_eq!(
            rule_of_value("XXXX-02-29"),
            Some(("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29".into(), None))
        );
        for v in ["XXXX-WXX-9", "XXXX-02-30", "P0D", "PT1H", "XXXX-SU", ""] {
            assert_eq!(rule_of_value(v), None, "{v}");
        }
    }

    #[test]
    fn rules_read_as_people_say_them() {
        let read = |rule: &str| {
            Recurrence::new(rule, from(), None)
                .unwrap()
                .describe()
                .unwrap()
        };
        assert_eq!(read("FREQ=WEEKLY;BYDAY=MO"), "every Mon");
        assert_eq!(
            read("FREQ=WEEKLY;INTERVAL=3;BYDAY=MO,WE"),
            "every 3 weeks on Mon, Wed"
        );
        assert_eq!(read("FREQ=MONTHLY;BYMONTHDAY=15"), "monthly on the 15th");
        assert_eq!(
            read("FREQ=MONTHLY;INTERVAL=3"),
            "every 3 months on the 30th"
        );
        assert_eq!(
            read("FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=21"),
            "yearly on Jun 21"
        );
        assert_eq!(read("FREQ=DAILY"), "daily");
        assert_eq!(read("FREQ=DAILY;INTERVAL=2"), "every other day");
    }
}
