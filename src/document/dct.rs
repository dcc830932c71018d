//! The document creation time (DCT): parsed from a flag or found in the
//! document itself.
//!
//! A document can carry its own date in an email `Date:` header, in a
//! `published:` or `date:` front-matter field, or in a news dateline
//! ("PARIS, Oct. 14 —"). Datelines often omit the year; it is then taken as
//! the latest such date on or before the fallback ("today"), since a dateline
//! is never in the future.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime};

use crate::engine::doctype::DocType;
use crate::engine::Extractor;

/// Where the DCT came from, for the message on stderr.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    Flag,
    EmailHeader,
    FrontMatter,
    /// A `Date:`, `Created:` or `Published:` field at the top.
    Header,
    /// A page's metadata: `<meta name="date">`, `article:published_time`,
    /// `<time datetime>`.
    PageMetadata,
    /// A date written in the document's title or first heading.
    Title,
    Dateline,
    Fallback,
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Source::Flag => "--dct",
            Source::EmailHeader => "the Date: header",
            Source::FrontMatter => "the front matter",
            Source::Header => "a date field at the top",
            Source::PageMetadata => "the page's metadata",
            Source::Title => "the date in the title",
            Source::Dateline => "the dateline",
            Source::Fallback => "today's date (none given or found; use --dct)",
        })
    }
}

/// The years a reference date may have: those TIMEX3 writes with four digits.
pub const YEARS: std::ops::RangeInclusive<i32> = 1..=9999;

/// Parses "2014-10-14", "2014-10-14T15:30", "2014-10-14T15:30:00", or an
/// RFC 3339 / RFC 2822 date-time (its local wall time is kept), in
/// [`YEARS`].
pub fn parse(s: &str) -> Result<NaiveDateTime, String> {
    let t = parse_any_year(s)?;
    if !YEARS.contains(&t.year()) {
        return Err(format!(
            "{:?} is out of range: reference dates run from 0001-01-01 to 9999-12-31",
            s.trim()
        ));
    }
    Ok(t)
}

fn parse_any_year(s: &str) -> Result<NaiveDateTime, String> {
    let s = s.trim();
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(d.and_time(NaiveTime::MIN));
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, fmt) {
            return Ok(t);
        }
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.naive_local());
    }
    if let Ok(t) = DateTime::parse_from_rfc2822(s) {
        return Ok(t.naive_local());
    }
    // TimeML writes some DCTs as "19980108" or with a trailing zone.
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y%m%d") {
        return Ok(d.and_time(NaiveTime::MIN));
    }
    Err(format!(
        "invalid date {s:?}: expected YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS]"
    ))
}

/// A full date (with its year) written in `value`, as found by the engine:
/// "2026-02-11", "03-Feb-2026", "Tuesday, February 3, 2026 09:12".
pub fn date_in(value: &str) -> Option<NaiveDateTime> {
    if let Ok(t) = parse(value) {
        return Some(t);
    }
    // Any anchor will do: a date with its year does not depend on it.
    let anchor = NaiveDate::from_ymd_opt(2000, 1, 1)?.and_time(NaiveTime::MIN);
    let dashed = value.replace('-', " ");
    for text in [value, dashed.as_str()] {
        let found = Extractor::default()
            .doctype(DocType::News)
            .extract(text, anchor);
        let full = found.iter().find(|t| {
            t.kind == crate::engine::partial::TimexType::Date
                && t.value.len() == 10
                && t.value.as_bytes()[4] == b'-'
                && t.interval.is_some()
        });
        if let Some(t) = full {
            // A year stated in the text, not the anchor's.
            let year = &t.value[..4];
            if year != "2000" || value.contains("2000") {
                return t.interval.map(|i| i.start);
            }
        }
    }
    None
}

/// The reference date of a document read into blocks: what its metadata
/// states (an email's `Date:`, a page's publication time, a `Created:` or
/// front-matter field), else a dateline in the text, else a full date in
/// its title or first heading, else `fallback`.
pub fn for_document(
    doc: &super::Document,
    raw: &str,
    format: super::Format,
    fallback: NaiveDateTime,
) -> (NaiveDateTime, Source) {
    for_blocks(doc, &doc.text, raw, format, fallback)
}

/// [`for_document`] for a document whose blocks are ranges of `text`
/// rather than of its own text (a window of a plain text read in windows).
pub fn for_blocks(
    doc: &super::Document,
    text: &str,
    raw: &str,
    format: super::Format,
    fallback: NaiveDateTime,
) -> (NaiveDateTime, Source) {
    if let Some((t, source)) = &doc.dated {
        return (*t, source.clone());
    }
    if matches!(format, super::Format::Text | super::Format::Markdown) {
        let (t, source) = detect(raw, fallback);
        if source != Source::Fallback {
            return (t, source);
        }
    }
    let title = doc.subject.iter().map(String::as_str).chain(
        doc.blocks
            .iter()
            .filter(|b| matches!(b.kind, super::BlockKind::Heading(_)))
            .take(1)
            .filter_map(|b| text.get(b.range.clone())),
    );
    for t in title {
        if let Some(at) = date_in(t) {
            return (at, Source::Title);
        }
    }
    (fallback, Source::Fallback)
}

/// Finds the DCT in the document's first lines, or returns `fallback`.
pub fn detect(text: &str, fallback: NaiveDateTime) -> (NaiveDateTime, Source) {
    let head: Vec<&str> = text.lines().take(40).collect();
    // Front matter: "---" then "key: value" lines then "---".
    if head.first().is_some_and(|l| l.trim() == "---") {
        for line in head.iter().skip(1) {
            if line.trim() == "---" {
                break;
            }
            if let Some((key, value)) = line.split_once(':') {
                let key = key.trim().to_ascii_lowercase();
                if crate::engine::english().document_fields.dates(&key) {
                    if let Ok(t) = parse(value.trim().trim_matches('"').trim_matches('\'')) {
                        return (t, Source::FrontMatter);
                    }
                }
            }
        }
    }
    // Email headers: a block of "Key: value" lines at the top.
    for line in &head {
        if line.trim().is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Date:") {
            if let Ok(t) = parse(value) {
                return (t, Source::EmailHeader);
            }
        }
    }
    // A dateline: the first non-empty line, "PLACE, <date> —" or "PLACE (AP) —".
    if let Some(line) = text.lines().find(|l| !l.trim().is_empty()) {
        if let Some(t) = dateline(line, fallback) {
            return (t, Source::Dateline);
        }
    }
    (fallback, Source::Fallback)
}

fn dateline(line: &str, fallback: NaiveDateTime) -> Option<NaiveDateTime> {
    let dash = ["—", "–", "--", " - ", " _"]
        .iter()
        .filter_map(|d| line.find(d))
        .min()?;
    let lead = &line[..dash];
    let comma = lead.find(',')?;
    let place = &lead[..comma];
    // The place is written in capitals: "PARIS", "NEW YORK".
    if place.is_empty() || place.chars().any(|c| c.is_lowercase()) {
        return None;
    }
    let rest = &lead[comma + 1..];
    // Resolve the date part as if written on the fallback day, looking back.
    let found = Extractor::default()
        .doctype(DocType::News)
        .extract(&format!("said on {rest}"), fallback);
    let t = found
        .into_iter()
        .find(|t| t.kind == crate::engine::partial::TimexType::Date)?;
    let interval = t.interval?;
    let date = interval.start;
    (t.value.len() == 10).then_some(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        parse(s).unwrap()
    }

    #[test]
    fn dateline_without_year_takes_latest_past_one() {
        let (t, src) = detect("PARIS, Oct. 14 — Talks resumed.", at("2015-03-01"));
        assert_eq!(src, Source::Dateline);
        assert_eq!(t, at("2014-10-14"));
    }

    #[test]
    fn email_header_wins_over_fallback() {
        let (t, src) = detect(
            "From: a@b.c\nDate: Mon, 3 Nov 2014 09:15:00 +0100\n\nHi",
            at("2020-01-01"),
        );
        assert_eq!(src, Source::EmailHeader);
        assert_eq!(t, at("2014-11-03T09:15"));
    }

    #[test]
    fn bad_dates_are_errors() {
        assert!(parse("2014-02-30").is_err());
        assert!(parse("tomorrow").is_err());
    }
}
