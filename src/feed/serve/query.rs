//! The feed's query string: its filters, read into the filter the CLI
//! views use.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use crate::events::Kind;
use crate::views::{self, Filter};

/// Reads the feed's query filters — `kind`, `within`, `from`, `to`,
/// `where`, `grep`, `all` — into the filter the CLI views use. `within`
/// counts from `now`; `to` is inclusive; past events stay in the feed (a
/// calendar shows history), done ones only with `all`.
pub fn parse_query(query: &str, now: NaiveDateTime) -> Result<Filter, String> {
    let mut f = Filter {
        include_past: true,
        ..Filter::default()
    };
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, raw) = pair.split_once('=').unwrap_or((pair, ""));
        let value = percent_decode(raw).ok_or_else(|| format!("bad escape in {key}="))?;
        match key {
            "kind" => {
                f.kinds = value
                    .split(',')
                    .filter(|k| !k.is_empty())
                    .map(|k| {
                        Kind::parse(&k.to_ascii_lowercase())
                            .ok_or_else(|| format!("unknown kind {k:?}"))
                    })
                    .collect::<Result<_, _>>()?;
            }
            "within" => {
                let end = views::parse_span(&value)
                    .and_then(|span| views::span_end(now, span, &value))
                    .map_err(|e| format!("within: {e}"))?;
                f.from = Some(now);
                f.to = Some(end);
            }
            "from" => f.from = Some(parse_day(key, &value)?.and_time(NaiveTime::MIN)),
            "to" => {
                let last = parse_day(key, &value)?;
                let end = last.succ_opt().unwrap_or(last);
                f.to = Some(end.and_time(NaiveTime::MIN));
            }
            "where" => f.place = Some(value.to_lowercase()),
            "grep" => f.grep = Some(value.to_lowercase()),
            "all" => {
                f.include_done = match value.as_str() {
                    "" | "1" | "true" | "yes" => true,
                    "0" | "false" | "no" => false,
                    _ => return Err(format!("all={value:?}: expected true or false")),
                }
            }
            _ => {
                return Err(format!(
                    "unknown parameter {key:?} (known: kind, within, from, to, where, grep, all)"
                ))
            }
        }
    }
    Ok(f)
}

fn parse_day(key: &str, value: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .map_err(|_| format!("{key}={value:?}: expected a date like 2014-11-24"))
}

/// Decodes `%XX` escapes and `+` as a space; `None` for a bad escape or
/// bytes that are not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = s.get(i + 1..i + 3)?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2014, 10, 14)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap()
    }

    #[test]
    fn queries_decode_and_reject_unknown_keys() {
        let f = parse_query("kind=deadline,meeting&where=New+York&grep=caf%C3%A9", now()).unwrap();
        assert_eq!(f.kinds, vec![Kind::Deadline, Kind::Meeting]);
        assert_eq!(f.place.as_deref(), Some("new york"));
        assert_eq!(f.grep.as_deref(), Some("café"));
        let f = parse_query("within=90d&all", now()).unwrap();
        assert_eq!(f.to, Some(now() + chrono::Duration::days(90)));
        assert!(f.include_done);
        assert!(parse_query("kind=party", now()).is_err());
        assert!(parse_query("within=soon", now()).is_err());
        assert!(parse_query("colour=red", now()).is_err());
        assert!(parse_query("grep=%zz", now()).is_err());
    }

    #[test]
    fn a_span_past_the_calendars_end_is_an_error() {
        assert_eq!(
            parse_query("within=100000000d", now()).unwrap_err(),
            "within: span \"100000000d\" is too long"
        );
        assert!(parse_query("within=99999999999999999999d", now()).is_err());
    }
}
