//! The engine's output: a temporal expression found in a text, resolved.

use chrono::{Datelike, NaiveDateTime, Timelike};
use compact_str::CompactString;
use serde::Serialize;

use crate::engine::partial::{Mod, TimexType};

/// One temporal expression, with its TIMEX3 value and resolved interval.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Timex {
    /// Byte offsets into the input text, end exclusive.
    pub start: usize,
    pub end: usize,
    pub text: CompactString,
    #[serde(rename = "type", serialize_with = "ser_type")]
    pub kind: TimexType,
    /// The TIMEX3 value: "2014-10-15", "P7M", "XXXX-WXX-1", "PRESENT_REF"…
    pub value: CompactString,
    #[serde(
        rename = "mod",
        skip_serializing_if = "Option::is_none",
        serialize_with = "ser_mod"
    )]
    pub modifier: Option<Mod>,
    /// The span of time it denotes, start inclusive, end exclusive, where it
    /// denotes one (dates and times, not durations or sets).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interval: Option<Interval>,
    /// The UTC offset the text gave ("3 p.m. EST" → "-05:00").
    #[serde(
        rename = "tz",
        skip_serializing_if = "Option::is_none",
        serialize_with = "ser_zone"
    )]
    pub zone: Option<i16>,
    /// The tz database zone the text named ("America/New_York" for "ET"),
    /// whose offset that day is `zone`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tzid: Option<&'static str>,
    /// A recurrence's rule in RFC 5545 form ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TH"),
    /// which says what TIMEX3 values cannot (intervals, "the first Monday of
    /// each month"); the time of day stays in `value`.
    #[serde(rename = "rrule", skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// The side a word before the timex leaves open: "until noon" is
    /// `ON_OR_BEFORE` noon, "since 2019" `ON_OR_AFTER`. TimeML keeps the
    /// word out of the span and gives no `mod`, so neither does `modifier`.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "ser_mod")]
    pub open: Option<Mod>,
    /// A range's parts ("2-3pm": "2" and "3pm"), each resolved alone, as
    /// TimeML annotates each end; `interval` spans them both.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<Timex>,
    /// A length that points at a date ("in two weeks", "five years from
    /// now"): TimeML tags it as a DURATION, and this is the date it
    /// reaches, so what happens then keeps its date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub anchored: Option<Anchored>,
}

/// The date a length reaches from the reference: its TIMEX3 value and
/// interval.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Anchored {
    pub value: CompactString,
    #[serde(serialize_with = "ser_datetime")]
    pub start: NaiveDateTime,
    #[serde(serialize_with = "ser_datetime")]
    pub end: NaiveDateTime,
}

impl Timex {
    /// Moves its offsets (and its parts', a range's ends) `by` bytes on,
    /// in place: a timex is large, and every copy of it counts over a
    /// corpus.
    pub fn move_later(&mut self, by: usize) {
        if by == 0 {
            return;
        }
        self.start = self.start.saturating_add(by);
        self.end = self.end.saturating_add(by);
        self.parts.iter_mut().for_each(|p| p.move_later(by));
    }

    /// Moves its offsets (and its parts') `by` bytes back, to no less
    /// than 0.
    pub fn move_earlier(&mut self, by: usize) {
        self.start = self.start.saturating_sub(by);
        self.end = self.end.saturating_sub(by);
        self.parts.iter_mut().for_each(|p| p.move_earlier(by));
    }

    /// The timexes TimeML would annotate here: each end of a range of
    /// dates or times on its own ("from 1861 to 1865"), a range of lengths
    /// whole ("two to three weeks", valued by its first), as the TempEval
    /// training data does.
    pub fn timeml(self) -> Vec<Timex> {
        if self.parts.is_empty() || self.kind == TimexType::Duration {
            vec![self]
        } else {
            self.parts
        }
    }

    /// The date a length points at ("in two weeks" → the week it
    /// reaches), as a dated timex over the same text; `None` for others.
    pub fn reached(&self) -> Option<Timex> {
        let a = self.anchored.as_ref()?;
        let kind = if a.value.contains('T') {
            TimexType::Time
        } else {
            TimexType::Date
        };
        Some(Timex {
            kind,
            value: a.value.clone(),
            interval: Some(Interval {
                start: a.start,
                end: a.end,
            }),
            anchored: None,
            ..self.clone()
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Interval {
    #[serde(serialize_with = "ser_datetime")]
    pub start: NaiveDateTime,
    #[serde(serialize_with = "ser_datetime")]
    pub end: NaiveDateTime,
}

fn ser_type<S: serde::Serializer>(t: &TimexType, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(t.code())
}

fn ser_mod<S: serde::Serializer>(m: &Option<Mod>, s: S) -> Result<S::Ok, S::Error> {
    match m {
        Some(m) => s.serialize_str(m.code()),
        None => s.serialize_none(),
    }
}

fn ser_datetime<S: serde::Serializer>(t: &NaiveDateTime, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(DateTimeText::of(t).as_str())
}

/// "2014-10-14T00:00:00" as the JSON output writes an interval's ends.
/// Written by hand: every resolved date and time is written twice
/// (interval start and end), and chrono's `format` parses its pattern and
/// allocates a `String` on each call.
pub enum DateTimeText {
    Short([u8; 19]),
    /// Signed or five-digit years, leap seconds: left to chrono.
    Long(String),
}

/// "00" to "99", each pair at twice its value.
pub(crate) const DIGIT_PAIRS: [u8; 200] = {
    let mut pairs = [0u8; 200];
    let mut n = 0;
    while n < 100 {
        pairs[2 * n] = b'0' + (n / 10) as u8;
        pairs[2 * n + 1] = b'0' + (n % 10) as u8;
        n += 1;
    }
    pairs
};

impl DateTimeText {
    pub fn of(t: &NaiveDateTime) -> DateTimeText {
        let year = t.year();
        if !(0..=9999).contains(&year) || t.nanosecond() >= 1_000_000_000 {
            return DateTimeText::Long(t.format("%Y-%m-%dT%H:%M:%S").to_string());
        }
        let mut buf = *b"0000-00-00T00:00:00";
        // Every field is written as pairs of digits from a table: a corpus
        // writes two of these per timex.
        let year = year as u32;
        let fields = [
            (0, year / 100),
            (2, year % 100),
            (5, t.month()),
            (8, t.day()),
            (11, t.hour()),
            (14, t.minute()),
            (17, t.second()),
        ];
        for (at, pair) in fields {
            let k = 2 * (pair as usize % 100);
            buf[at..at + 2].copy_from_slice(&DIGIT_PAIRS[k..k + 2]);
        }
        DateTimeText::Short(buf)
    }

    pub fn as_bytes(&self) -> &[u8] {
        match self {
            DateTimeText::Short(buf) => buf,
            DateTimeText::Long(s) => s.as_bytes(),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            // Only ASCII digits and separators were written.
            DateTimeText::Short(buf) => std::str::from_utf8(buf).unwrap_or_default(),
            DateTimeText::Long(s) => s,
        }
    }
}

fn ser_zone<S: serde::Serializer>(z: &Option<i16>, s: S) -> Result<S::Ok, S::Error> {
    match z {
        Some(z) => s.serialize_str(&format_zone(*z)),
        None => s.serialize_none(),
    }
}

/// "+01:00", "-05:00".
pub fn format_zone(minutes: i16) -> String {
    let sign = if minutes < 0 { '-' } else { '+' };
    let m = minutes.unsigned_abs();
    format!("{sign}{:02}:{:02}", m / 60, m % 60)
}

#[cfg(test)]
mod tests {
    use super::DateTimeText;
    use chrono::NaiveDate;

    /// The hand-written text is chrono's, at the edges of every field and
    /// for years outside four digits.
    #[test]
    fn date_times_are_written_as_chrono_writes_them() {
        for (y, mo, d) in [
            (0, 1, 1),
            (7, 2, 28),
            (999, 12, 31),
            (1999, 12, 31),
            (2026, 6, 15),
            (9999, 12, 31),
            (-1, 1, 1),
            (10000, 1, 1),
        ] {
            for (h, mi, s) in [(0, 0, 0), (9, 5, 7), (23, 59, 59), (12, 30, 0)] {
                let t = NaiveDate::from_ymd_opt(y, mo, d)
                    .and_then(|day| day.and_hms_opt(h, mi, s))
                    .expect("a valid date and time");
                let want = t.format("%Y-%m-%dT%H:%M:%S").to_string();
                assert_eq!(DateTimeText::of(&t).as_str(), want);
            }
        }
    }
}
