//! A timex as one JSON object, written by hand for `--format jsonl`.
//!
//! Over a corpus every timex goes through here, and serde's generic
//! serializer (a call per field, a `String` per zone, a vector per range)
//! took about an eighth of the whole run. The bytes are those serde writes
//! for [`TimexOut`]: `--format json` still uses serde, and the tests below
//! compare the two.

use crate::cli::extract::TimexOut;
use crate::engine::timex::DateTimeText;
pub(super) use crate::feed::json_csv::push_json_str as push_str;

/// Appends `t` as a JSON object, fields in [`TimexOut`]'s order, absent
/// ones left out.
pub(super) fn push_timex(buf: &mut Vec<u8>, t: &TimexOut) {
    buf.extend_from_slice(b"{\"start\":");
    push_number(buf, t.start);
    buf.extend_from_slice(b",\"end\":");
    push_number(buf, t.end);
    push_field(buf, b",\"text\":", t.text);
    push_code(buf, b",\"type\":", t.kind.as_bytes());
    push_field(buf, b",\"value\":", t.value);
    if let Some(m) = t.modifier {
        push_code(buf, b",\"mod\":", m.as_bytes());
    }
    if let Some(i) = t.interval {
        push_code(
            buf,
            b",\"interval\":{\"start\":",
            DateTimeText::of(&i.start).as_bytes(),
        );
        push_code(buf, b",\"end\":", DateTimeText::of(&i.end).as_bytes());
        buf.push(b'}');
    }
    if let Some(tz) = &t.tz {
        push_field(buf, b",\"tz\":", tz);
    }
    if let Some(tzid) = t.tzid {
        push_field(buf, b",\"tzid\":", tzid);
    }
    if let Some(rule) = t.rrule {
        push_field(buf, b",\"rrule\":", rule);
    }
    if let Some(open) = t.open {
        push_code(buf, b",\"open\":", open.as_bytes());
    }
    if let Some(a) = t.anchored {
        push_field(buf, b",\"anchored\":{\"value\":", &a.value);
        push_code(buf, b",\"start\":", DateTimeText::of(&a.start).as_bytes());
        push_code(buf, b",\"end\":", DateTimeText::of(&a.end).as_bytes());
        buf.push(b'}');
    }
    if !t.parts.is_empty() {
        buf.extend_from_slice(b",\"parts\":[");
        for (k, part) in t.parts.iter().enumerate() {
            if k > 0 {
                buf.push(b',');
            }
            push_timex(buf, part);
        }
        buf.push(b']');
    }
    buf.push(b'}');
}

fn push_field(buf: &mut Vec<u8>, key: &[u8], value: &str) {
    buf.extend_from_slice(key);
    push_str(buf, value);
}

/// A value of our own making that needs no escapes: a type or `mod` code,
/// a date and time.
fn push_code(buf: &mut Vec<u8>, key: &[u8], value: &[u8]) {
    debug_assert!(!value.iter().any(|&b| b < 0x20 || b == b'"' || b == b'\\'));
    buf.extend_from_slice(key);
    buf.push(b'"');
    buf.extend_from_slice(value);
    buf.push(b'"');
}

fn push_number(buf: &mut Vec<u8>, n: usize) {
    let mut digits = [0u8; 20];
    buf.extend_from_slice(crate::engine::resolve::decimal(n as u64, &mut digits));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::timex::{Anchored, Interval};
    use chrono::NaiveDate;

    fn serde_bytes(t: &TimexOut) -> Vec<u8> {
        serde_json::to_vec(t).expect("serializes")
    }

    fn mine(t: &TimexOut) -> Vec<u8> {
        let mut buf = Vec::new();
        push_timex(&mut buf, t);
        buf
    }

    #[test]
    fn strings_are_escaped_as_serde_does() {
        let mut all = String::new();
        for c in (0u32..0x80).chain([0xe9, 0x2019, 0x1f600]) {
            all.push(char::from_u32(c).expect("a char"));
        }
        for s in ["", "plain", "say \"when\"", "back\\slash", &all] {
            let mut buf = Vec::new();
            push_str(&mut buf, s);
            assert_eq!(buf, serde_json::to_vec(s).expect("serializes"), "{s:?}");
        }
    }

    #[test]
    fn escapes_are_found_at_every_place_in_a_word_of_eight_bytes() {
        for special in ["\"", "\\", "\n", "\u{1}", "\u{1f}"] {
            for at in 0..20 {
                for plain in ["x", "é"] {
                    let s = format!("{}{special}{}", plain.repeat(at), "y".repeat(at % 9));
                    let mut buf = Vec::new();
                    push_str(&mut buf, &s);
                    assert_eq!(buf, serde_json::to_vec(&s).expect("serializes"), "{s:?}");
                }
            }
        }
    }

    #[test]
    fn timexes_are_written_as_serde_does() {
        let day = |y, m, d| {
            NaiveDate::from_ymd_opt(y, m, d)
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .expect("a date")
        };
        let interval = Interval {
            start: day(2014, 10, 14),
            end: day(2014, 10, 15),
        };
        let anchored = Anchored {
            value: "2014-W44".into(),
            start: day(2014, 10, 27),
            end: day(2014, 11, 3),
        };
        let far = Interval {
            start: day(-44, 3, 15),
            end: day(12345, 1, 1),
        };
        let plain = TimexOut {
            start: 0,
            end: 1234567,
            text: "Oct. 14 \"noon\"",
            kind: "DATE",
            value: "2014-10-14",
            modifier: None,
            interval: None,
            tz: None,
            tzid: None,
            rrule: None,
            open: None,
            anchored: None,
            parts: Vec::new(),
        };
        let full = TimexOut {
            modifier: Some("END"),
            interval: Some(&interval),
            tz: Some("-05:00".to_string()),
            tzid: Some("America/New_York"),
            rrule: Some("FREQ=WEEKLY;BYDAY=TH"),
            open: Some("ON_OR_AFTER"),
            anchored: Some(&anchored),
            parts: vec![
                TimexOut {
                    interval: Some(&far),
                    ..plain.clone()
                },
                plain.clone(),
            ],
            ..plain.clone()
        };
        for t in [&plain, &full] {
            assert_eq!(
                String::from_utf8(mine(t)).expect("UTF-8"),
                String::from_utf8(serde_bytes(t)).expect("UTF-8")
            );
        }
    }
}
