//! TOML values ↔ chrono: dates, times, date-times and UTC offsets as the
//! store writes and reads them.

use super::*;

pub(super) fn from_toml_date(d: toml_edit::Date) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
}

/// A TOML local date-time (no offset) as a `NaiveDateTime`.
pub(super) fn toml_datetime(dt: &Datetime) -> Option<NaiveDateTime> {
    if dt.offset.is_some() {
        return None;
    }
    Some(from_toml_date(dt.date?)?.and_time(from_toml_time(dt.time?)?))
}

pub(super) fn from_toml_time(t: toml_edit::Time) -> Option<NaiveTime> {
    // TOML allows a leap second as :60; chrono writes it as :59 plus a second of nanos.
    let (second, nano) = if t.second == 60 {
        (59, t.nanosecond.checked_add(1_000_000_000)?)
    } else {
        (u32::from(t.second), t.nanosecond)
    };
    NaiveTime::from_hms_nano_opt(u32::from(t.hour), u32::from(t.minute), second, nano)
}

pub(super) fn to_toml_date(d: NaiveDate) -> Result<toml_edit::Date, String> {
    let year = u16::try_from(d.year())
        .ok()
        .filter(|y| *y <= 9999)
        .ok_or_else(|| format!("year {} does not fit a TOML date (0000-9999)", d.year()))?;
    Ok(toml_edit::Date {
        year,
        month: d.month() as u8,
        day: d.day() as u8,
    })
}

pub(super) fn to_toml_time(t: NaiveTime) -> toml_edit::Time {
    let (second, nanosecond) = if t.nanosecond() >= 1_000_000_000 {
        (60, t.nanosecond() - 1_000_000_000)
    } else {
        (t.second() as u8, t.nanosecond())
    };
    toml_edit::Time {
        hour: t.hour() as u8,
        minute: t.minute() as u8,
        second,
        nanosecond,
    }
}

pub(super) fn date_value(d: NaiveDate) -> Result<Value, String> {
    Ok(Value::from(Datetime {
        date: Some(to_toml_date(d)?),
        time: None,
        offset: None,
    }))
}

pub(super) fn datetime_value(dt: NaiveDateTime) -> Result<Value, String> {
    Ok(Value::from(Datetime {
        date: Some(to_toml_date(dt.date())?),
        time: Some(to_toml_time(dt.time())),
        offset: None,
    }))
}

/// "+05:30", "-05:00"; "+00:00" for UTC.
pub(super) fn format_offset(minutes: i16) -> String {
    let m = i32::from(minutes);
    let sign = if m < 0 { '-' } else { '+' };
    format!("{sign}{:02}:{:02}", m.abs() / 60, m.abs() % 60)
}

/// Reads "±HH:MM" or "Z" as minutes east of UTC.
pub(super) fn parse_offset(s: &str) -> Option<i16> {
    let s = s.trim();
    if s.eq_ignore_ascii_case("z") {
        return Some(0);
    }
    let (sign, rest) = match s.as_bytes().first()? {
        b'+' => (1, &s[1..]),
        b'-' => (-1, &s[1..]),
        _ => return None,
    };
    let (h, m) = rest.split_once(':')?;
    let digits = |x: &str| !x.is_empty() && x.len() <= 3 && x.bytes().all(|b| b.is_ascii_digit());
    if !digits(h) || m.len() != 2 || !digits(m) {
        return None;
    }
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    if m >= 60 {
        return None;
    }
    i16::try_from(sign * (h * 60 + m)).ok()
}

pub(super) fn toml_offset_minutes(o: toml_edit::Offset) -> i16 {
    match o {
        toml_edit::Offset::Z => 0,
        toml_edit::Offset::Custom { minutes } => minutes,
    }
}
