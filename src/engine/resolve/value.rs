//! TIMEX3 value strings: points ("2014-10-15", "2014-W42", "2014-Q3"),
//! durations ("P3D", "PT1H30M") and sets ("XXXX-WXX-1").

// Writes bounded numbers (digits, months, counts) as text; the date
// arithmetic this module's parent checks is not done here.
#![allow(clippy::arithmetic_side_effects)]

use super::*;
use compact_str::{format_compact, CompactString};

/// Appends a year as TIMEX3 writes it: four digits, zero-padded, for years
/// 0 to 9999; as a plain number otherwise.
pub(super) fn push_year(s: &mut String, y: i32) {
    if (0..10000).contains(&y) {
        push_digits(s, y as u32, 4);
    } else {
        let _ = write!(s, "{y}");
    }
}

/// Appends `n` zero-padded to `width` digits (more if it needs them).
///
/// Values are written by hand, not with `format!`: every date of a corpus
/// is resolved to one, and the formatting machinery costs more than the
/// resolving.
pub(super) fn push_digits(s: &mut String, n: u32, width: usize) {
    let mut buf = [b'0'; 20];
    let written = decimal(u64::from(n), &mut buf).len();
    let k = (buf.len() - written).min(buf.len() - width);
    // A char at a time: two to four digits, and no UTF-8 check of them.
    for &digit in &buf[k..] {
        s.push(char::from(digit));
    }
}

/// `n` in decimal, written at the end of `buf` (whose other bytes are
/// left as they were): the digits written.
pub fn decimal(n: u64, buf: &mut [u8; 20]) -> &[u8] {
    use crate::engine::timex::DIGIT_PAIRS;
    // Two digits a step, from a table: every offset of a corpus's output
    // is written with this.
    let mut k = buf.len();
    let mut v = n;
    while v >= 100 {
        let pair = 2 * (v % 100) as usize;
        v /= 100;
        k -= 2;
        buf[k..k + 2].copy_from_slice(&DIGIT_PAIRS[pair..pair + 2]);
    }
    if v >= 10 {
        let pair = 2 * v as usize;
        k -= 2;
        buf[k..k + 2].copy_from_slice(&DIGIT_PAIRS[pair..pair + 2]);
    } else {
        k -= 1;
        buf[k] = b'0' + v as u8;
    }
    &buf[k..]
}

/// Appends "YYYY-MM-DD" as chrono's `%Y-%m-%d` writes it, for years it
/// writes with four digits; `false` (nothing written) for the others.
pub(super) fn push_iso_date(s: &mut String, d: NaiveDate) -> bool {
    if !(0..=9999).contains(&d.year()) {
        return false;
    }
    push_digits(s, d.year() as u32, 4);
    s.push('-');
    push_digits(s, d.month(), 2);
    s.push('-');
    push_digits(s, d.day(), 2);
    true
}

/// The TIMEX3 value of a point.
/// "2026-12-15T24:00": the midnight that ends a day, written on that day
/// as TIMEX3 does; `p` is the instant, the next day's start.
pub(super) fn midnight_value(p: &Point) -> Option<CompactString> {
    let day = p.start.date().pred_opt()?;
    let mut s = ValueText::new();
    push_iso_date(&mut s, day).then(|| {
        s.push_str("T24:00");
        s.finish()
    })
}

pub fn point_value(p: &Point) -> CompactString {
    let d = p.start.date();
    let y = d.year();
    let mut s = ValueText::new();
    match p.granularity {
        Granularity::Minute => {
            if push_iso_date(&mut s, d) {
                s.push('T');
                push_digits(&mut s, p.start.hour(), 2);
                s.push(':');
                push_digits(&mut s, p.start.minute(), 2);
                // "in 90 seconds": only an offset in seconds lands between minutes.
                if p.start.second() != 0 {
                    s.push(':');
                    push_digits(&mut s, p.start.second(), 2);
                }
            } else {
                // Five-digit and negative years: chrono's own signed form.
                return format_compact!(
                    "{}T{}",
                    p.start.format("%Y-%m-%d"),
                    p.start.format("%H:%M")
                );
            }
        }
        Granularity::PartOfDay(part) => {
            if push_iso_date(&mut s, d) {
                s.push('T');
                s.push_str(part.code());
            } else {
                return format_compact!("{}T{}", d.format("%Y-%m-%d"), part.code());
            }
        }
        Granularity::Day => {
            push_year(&mut s, y);
            s.push('-');
            push_digits(&mut s, d.month(), 2);
            s.push('-');
            push_digits(&mut s, d.day(), 2);
        }
        Granularity::Week | Granularity::Weekend => {
            let w = d.iso_week();
            push_year(&mut s, w.year());
            s.push_str("-W");
            push_digits(&mut s, w.week(), 2);
            if p.granularity == Granularity::Weekend {
                s.push_str("-WE");
            }
        }
        Granularity::Month => {
            push_year(&mut s, y);
            s.push('-');
            push_digits(&mut s, d.month(), 2);
        }
        Granularity::Season(season) => {
            push_year(&mut s, y);
            s.push('-');
            s.push_str(season.code());
        }
        Granularity::Quarter => {
            push_year(&mut s, y);
            s.push_str("-Q");
            push_digits(&mut s, d.month0() / 3 + 1, 1);
        }
        Granularity::Half => {
            push_year(&mut s, y);
            s.push_str("-H");
            push_digits(&mut s, d.month0() / 6 + 1, 1);
        }
        // Year 0 of the proleptic calendar is 1 BC: TIMEX3 writes "BC0001".
        Granularity::Year if (-9998..=0).contains(&y) => {
            s.push_str("BC");
            push_digits(&mut s, (1 - y) as u32, 4);
        }
        Granularity::Year => push_year(&mut s, y),
        // The year without its last digit, or last two.
        Granularity::Decade => {
            push_year(&mut s, y);
            s.pop();
        }
        Granularity::Century => {
            push_year(&mut s, y);
            let len = s.len();
            s.truncate(len - 2);
        }
    }
    s.finish()
}

/// The TIMEX3 value of a duration: "P7M", "PT3H", "P2Y6M", "PXW".
pub fn duration_value(parts: &[(Option<f64>, Unit)]) -> CompactString {
    let mut s = ValueText::new();
    s.push('P');
    // A fraction splits into whole units and the rest in the next smaller
    // one: "5 1/2 hours" is PT5H30M, "two and a half years" P2Y6M.
    let mut split: Vec<(Option<f64>, Unit)> = Vec::with_capacity(parts.len() + 1);
    for &(amount, unit) in parts {
        match amount {
            Some(a) if a.fract() != 0.0 => {
                let (rest, smaller) = whole(a.fract(), unit);
                if smaller == unit {
                    split.push((Some(a), unit));
                } else {
                    if a.trunc() > 0.0 {
                        split.push((Some(a.trunc()), unit));
                    }
                    split.push((rest, smaller));
                }
            }
            _ => split.push((amount, unit)),
        }
    }
    // Date units first, then the clock ones after a "T".
    for clock_part in [false, true] {
        let mut first = true;
        for &(amount, unit) in &split {
            let (factor, code, clock) = unit_code(unit);
            if clock != clock_part {
                continue;
            }
            if clock && first {
                s.push('T');
            }
            first = false;
            match amount {
                Some(a) => push_amount(&mut s, a * factor),
                None => s.push('X'),
            }
            s.push_str(code);
        }
    }
    s.finish()
}

/// Rewrites a fractional amount in a smaller unit: 1.5 years → 18 months.
pub(super) fn whole(amount: f64, unit: Unit) -> (Option<f64>, Unit) {
    if amount.fract() == 0.0 {
        return (Some(amount), unit);
    }
    let smaller = match unit {
        Unit::Year => Some((12.0, Unit::Month)),
        Unit::Month => Some((30.0, Unit::Day)),
        Unit::Week => Some((7.0, Unit::Day)),
        Unit::Day => Some((24.0, Unit::Hour)),
        Unit::Hour => Some((60.0, Unit::Minute)),
        Unit::Minute => Some((60.0, Unit::Second)),
        _ => None,
    };
    match smaller {
        Some((k, u)) if (amount * k).fract() == 0.0 => (Some(amount * k), u),
        _ => (Some(amount), unit),
    }
}

pub(super) fn push_amount(s: &mut String, a: f64) {
    if a.fract() == 0.0 && a.abs() < 1e15 {
        let _ = write!(s, "{}", a as i64);
    } else {
        let _ = write!(s, "{a}");
    }
}

/// Multiplier, TIMEX3 letter, and whether it goes after the T.
pub(super) fn unit_code(unit: Unit) -> (f64, &'static str, bool) {
    match unit {
        Unit::Second => (1.0, "S", true),
        Unit::Minute => (1.0, "M", true),
        Unit::Hour => (1.0, "H", true),
        Unit::Day => (1.0, "D", false),
        Unit::Weekend => (1.0, "WE", false),
        Unit::Week => (1.0, "W", false),
        Unit::Fortnight => (2.0, "W", false),
        Unit::Month => (1.0, "M", false),
        Unit::Quarter => (1.0, "Q", false),
        Unit::Half => (6.0, "M", false),
        Unit::Season => (3.0, "M", false),
        Unit::Year => (1.0, "Y", false),
        Unit::Decade => (10.0, "Y", false),
        Unit::Century => (100.0, "Y", false),
        Unit::Millennium => (1000.0, "Y", false),
    }
}

/// The TIMEX3 value of a recurrence.
pub fn set_value(s: &SetSpec) -> CompactString {
    // A day of each month: TIMEX3 has a value for a fixed day ("the 15th of
    // every month") and only the monthly frequency for a weekday of it.
    if let Some(d) = s.month_day {
        return format_compact!("XXXX-XX-{d:02}");
    }
    if s.nth.is_some() {
        return CompactString::const_new("P1M");
    }
    if s.workdays {
        return CompactString::const_new("P1D");
    }
    if let Some(w) = s.weekday {
        let part = match (s.part_of_day, s.time) {
            (Some(p), _) => format_compact!("T{}", p.code()),
            (None, Some((h, m))) => format_compact!("T{h:02}:{m:02}"),
            (None, None) => CompactString::default(),
        };
        return format_compact!("XXXX-WXX-{w}{part}");
    }
    if let Some(m) = s.month {
        return format_compact!("XXXX-{m:02}");
    }
    if let (Some(Unit::Day), Some(p)) = (s.unit, s.part_of_day) {
        return format_compact!("XXXX-XX-XXT{}", p.code());
    }
    let unit = s.unit.unwrap_or(Unit::Day);
    duration_value(&[(Some(f64::from(s.count.max(1))), unit)])
}

/// The RFC 5545 rule of a recurrence ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
/// with `BYHOUR` and `BYMINUTE` when the text gave a clock time); `None`
/// when no rule of days says it ("twice a month", "every summer").
pub fn set_rule(s: &SetSpec) -> Option<String> {
    const BYDAY: [&str; 7] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
    if s.several_per_unit {
        return None;
    }
    let day = |w: u8| BYDAY.get(usize::from(w).checked_sub(1)?).copied();
    let every = |freq: &str, n: u32| match n {
        0 | 1 => format!("FREQ={freq}"),
        n => format!("FREQ={freq};INTERVAL={n}"),
    };
    let at = |rule: String| match s.time {
        Some((h, m)) => format!("{rule};BYHOUR={h};BYMINUTE={m}"),
        None => rule,
    };
    if s.workdays {
        return Some(at("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR".to_string()));
    }
    if let Some(d) = s.month_day {
        return Some(at(format!("FREQ=MONTHLY;BYMONTHDAY={d}")));
    }
    if let Some(w) = s.weekday {
        let code = day(w)?;
        return Some(at(match s.nth {
            Some(n) => format!("FREQ=MONTHLY;BYDAY={n}{code}"),
            None => format!("{};BYDAY={code}", every("WEEKLY", s.count)),
        }));
    }
    if let Some(m) = s.month {
        return Some(format!("FREQ=YEARLY;BYMONTH={m}"));
    }
    let n = s.count.max(1);
    let (freq, times) = match s.unit? {
        Unit::Second => ("SECONDLY", 1),
        Unit::Minute => ("MINUTELY", 1),
        Unit::Hour => ("HOURLY", 1),
        Unit::Day => ("DAILY", 1),
        Unit::Week => ("WEEKLY", 1),
        Unit::Fortnight => ("WEEKLY", 2),
        Unit::Month => ("MONTHLY", 1),
        Unit::Quarter => ("MONTHLY", 3),
        Unit::Half => ("MONTHLY", 6),
        Unit::Year => ("YEARLY", 1),
        Unit::Decade => ("YEARLY", 10),
        Unit::Century => ("YEARLY", 100),
        Unit::Weekend | Unit::Season | Unit::Millennium => return None,
    };
    Some(every(freq, n.checked_mul(times)?))
}

#[cfg(test)]
mod rule_tests {
    use super::*;

    #[test]
    fn several_a_unit_and_seasons_have_no_rule() {
        let twice_a_month = SetSpec {
            count: 1,
            unit: Some(Unit::Month),
            several_per_unit: true,
            ..SetSpec::default()
        };
        assert_eq!(set_rule(&twice_a_month), None);
        let every_summer = SetSpec {
            unit: Some(Unit::Season),
            ..SetSpec::default()
        };
        assert_eq!(set_rule(&every_summer), None);
        let fortnightly = SetSpec {
            count: 1,
            unit: Some(Unit::Fortnight),
            ..SetSpec::default()
        };
        assert_eq!(
            set_rule(&fortnightly).as_deref(),
            Some("FREQ=WEEKLY;INTERVAL=2")
        );
    }
}

/// A value being written, in a buffer reused from one value to the next.
///
/// Every timex of a corpus gets a value, nearly always short enough
/// ("2014-10-15T09:30") for an inline `CompactString`: written here and
/// copied once, it costs no allocation, where a `String` per value cost
/// two calls into the allocator.
pub(super) struct ValueText(String);

thread_local! {
    static SCRATCH: std::cell::Cell<String> = const { std::cell::Cell::new(String::new()) };
}

impl ValueText {
    pub(super) fn new() -> ValueText {
        ValueText(SCRATCH.take())
    }

    pub(super) fn finish(self) -> CompactString {
        CompactString::from(self.0.as_str())
    }
}

impl Drop for ValueText {
    fn drop(&mut self) {
        let mut buf = std::mem::take(&mut self.0);
        buf.clear();
        SCRATCH.set(buf);
    }
}

impl std::ops::Deref for ValueText {
    type Target = String;
    fn deref(&self) -> &String {
        &self.0
    }
}

impl std::ops::DerefMut for ValueText {
    fn deref_mut(&mut self) -> &mut String {
        &mut self.0
    }
}
