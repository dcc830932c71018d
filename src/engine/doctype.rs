//! What kind of text a document is, which decides what an underspecified
//! date ("in March", "Friday", "that year") is read against.
//!
//! - **news** dates itself by its reference date: "said Tuesday", "this
//!   week", "in March" are near the DCT.
//! - a **narrative** (history, biography) walks through years far from the
//!   DCT: "In 1862 … In March" is March 1862, "that year" the year the
//!   story has reached.
//! - a **colloquial** text is a short, isolated phrase or line ("Friday
//!   works for me", "can we do thursday at 3?"): it looks ahead unless it
//!   carries a past cue.
//!
//! [`Signals`] counts the evidence from a document's tokens (its start is
//! enough: a document shows its kind early) and [`Signals::classify`]
//! weighs it.

use std::fmt;
use std::str::FromStr;

use crate::engine::lexicon::Role;
use crate::engine::partial::RefKind;
use crate::engine::tense::ends_sentence;
use crate::engine::tokenize::{Kind, Token};

/// The kind of a document, as given or detected.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum DocType {
    /// Detect it from the text ([`Signals::classify`]).
    #[default]
    Auto,
    News,
    Narrative,
    Colloquial,
}

impl DocType {
    pub const NAMES: [&'static str; 4] = ["auto", "news", "narrative", "colloquial"];

    pub fn name(self) -> &'static str {
        match self {
            DocType::Auto => "auto",
            DocType::News => "news",
            DocType::Narrative => "narrative",
            DocType::Colloquial => "colloquial",
        }
    }
}

impl fmt::Display for DocType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for DocType {
    type Err = String;

    fn from_str(s: &str) -> Result<DocType, String> {
        Ok(match s.to_ascii_lowercase().as_str() {
            "auto" => DocType::Auto,
            "news" => DocType::News,
            "narrative" => DocType::Narrative,
            "colloquial" => DocType::Colloquial,
            _ => {
                return Err(format!(
                    "unknown document type {s:?} (expected one of {})",
                    DocType::NAMES.join(", ")
                ))
            }
        })
    }
}

/// How much of a document detection reads: its kind shows in its start,
/// and a corpus of long documents pays for one prefix each.
pub const DETECT_BYTES: usize = 16 * 1024;

/// A year this far from the reference year or more is history, not news.
const FAR_YEARS: i64 = 10;

/// One sentence of at most this many words, without a year, is an
/// isolated phrase.
const COLLOQUIAL_WORDS: usize = 20;

/// The evidence for a document's kind.
///
/// Words and sentences decide only whether a document is one short
/// isolated phrase, so they are counted in its first block alone, and
/// sentences only up to two: past that the counts cannot change the kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Signals {
    /// Words of the first block.
    words: usize,
    /// Four-digit years far from the reference year ([`FAR_YEARS`]).
    far_years: usize,
    /// Four-digit years near the reference year.
    near_years: usize,
    /// Words that point at the reference date: "today", "yesterday",
    /// weekday names, "now", "this week", "last month", "ago".
    deictic: usize,
    /// Blocks (paragraphs) seen.
    blocks: usize,
    /// Sentence ends seen in the first block, up to two (a last sentence
    /// without its period is not counted).
    sentences: usize,
}

impl Signals {
    /// Adds one block's tokens. `reference_year` is the DCT's year.
    pub fn count(&mut self, toks: &[Token], reference_year: i32) {
        // Tallied locally and added once: this runs over every token of a
        // document's start, so the loop tests only what every block needs.
        let mut deictic_words = 0usize;
        for (k, t) in toks.iter().enumerate() {
            if t.entry.is_some() {
                deictic_words += usize::from(deictic(toks, k));
            } else if t.digits == 4 && t.kind == Kind::Number {
                if let Some(year) = year_at(toks, k) {
                    let far = (year - i64::from(reference_year)).abs() >= FAR_YEARS;
                    if far {
                        self.far_years = self.far_years.saturating_add(1);
                    } else {
                        self.near_years = self.near_years.saturating_add(1);
                    }
                }
            }
        }
        if self.blocks == 0 {
            self.words = toks.iter().filter(|t| t.kind == Kind::Word).count();
            // Sentence ends are the dearest test here: up to two.
            self.sentences = (0..toks.len())
                .filter(|&k| toks[k].kind == Kind::Punct && ends_sentence(toks, k))
                .take(2)
                .count();
        }
        self.blocks = self.blocks.saturating_add(1);
        self.deictic = self.deictic.saturating_add(deictic_words);
    }

    /// The kind the evidence shows (never [`DocType::Auto`]).
    pub fn classify(&self) -> DocType {
        let years = self.far_years.saturating_add(self.near_years);
        let isolated = self.blocks <= 1 && self.sentences <= 1;
        if isolated && self.words <= COLLOQUIAL_WORDS && years == 0 {
            return DocType::Colloquial;
        }
        // A story told in past years: several of them, outnumbering by far
        // what ties the text to its own date. News looking back ("the 1991
        // war") names a past year or two among many near ones and its
        // "yesterday"s and weekdays.
        let tied = self.near_years.saturating_add(self.deictic);
        if self.far_years >= 2 && self.far_years >= tied.saturating_mul(3) {
            return DocType::Narrative;
        }
        DocType::News
    }
}

/// The year a number token writes, if it looks like one: four digits,
/// not part of an amount ("$1500", "1,500", "1500.5", "1500 people" are
/// left to chance: counted, they are rare beside real years).
fn year_at(toks: &[Token], k: usize) -> Option<i64> {
    let t = &toks[k];
    if t.digits != 4 || !(1000..=2999).contains(&t.value) {
        return None;
    }
    let glued = |j: usize| toks.get(j).is_some_and(|n| !n.space_before);
    let before_glued = k > 0 && !t.space_before;
    let amount = before_glued
        && toks[k - 1].kind == Kind::Punct
        && matches!(toks[k - 1].ch, '$' | ',' | '.' | '€' | '£');
    let after_amount = glued(k + 1)
        && toks[k + 1].kind == Kind::Punct
        && matches!(toks[k + 1].ch, ',' | '.' | '%')
        && toks
            .get(k + 2)
            .is_some_and(|n| n.kind == Kind::Number && !n.space_before);
    if amount || after_amount || (glued(k + 1) && toks[k + 1].is_punct('%')) {
        return None;
    }
    i64::try_from(t.value).ok()
}

/// Whether word `k` points at the reference date.
fn deictic(toks: &[Token], k: usize) -> bool {
    let Some(e) = toks[k].entry else {
        return false;
    };
    if e.deictic.is_some() || e.reference == Some(RefKind::Present) {
        return true;
    }
    // One mask test for the roles that can count: most words have none.
    if !e.has_any(DEICTIC_ROLES) && e.weekday.is_none() {
        return false;
    }
    if e.has(Role::Ago) {
        return true;
    }
    // "Tuesday", not "tuesday" the common noun of a schedule line.
    if e.weekday.is_some() && toks[k].capital {
        return true;
    }
    // "this week", "last month", "next year" (not "the last year of").
    let determiner = e.has_any(DETERMINERS);
    let the_before = k > 0 && toks[k - 1].entry.is_some_and(|p| p.has(Role::The));
    determiner
        && !the_before
        && toks
            .get(k + 1)
            .and_then(|n| n.entry)
            .is_some_and(|n| n.unit.is_some() && !n.plural)
}

const DETERMINERS: &[Role] = &[Role::This, Role::Last, Role::Next];
const DEICTIC_ROLES: &[Role] = &[Role::Ago, Role::This, Role::Last, Role::Next];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Extractor;
    use chrono::NaiveDate;

    fn dct() -> chrono::NaiveDateTime {
        NaiveDate::from_ymd_opt(2024, 5, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .unwrap()
    }

    const STORY: &str = "In 1862 the engineer moved to Lyon, ten years after the fire of 1852. \
                         In March she opened a workshop.\n\n";

    #[test]
    fn kinds_are_detected() {
        let mut x = Extractor::default();
        x.extract(STORY, dct());
        assert_eq!(x.doctype_used(), DocType::Narrative);
        x.extract(
            "The minister said Tuesday that talks in 1998 would resume in March.",
            dct(),
        );
        assert_eq!(x.doctype_used(), DocType::News);
        x.extract("Friday works for me", dct());
        assert_eq!(x.doctype_used(), DocType::Colloquial);
    }

    /// A document longer than the part detection reads: what was held back
    /// and what came after are read alike, by either entry point.
    #[test]
    fn long_documents_are_read_in_one_kind() {
        let text = STORY.repeat(2 * DETECT_BYTES / STORY.len());
        let mut x = Extractor::default();
        let whole = x.extract(&text, dct());
        assert_eq!(x.doctype_used(), DocType::Narrative);
        let months: Vec<&str> = whole
            .iter()
            .filter(|t| t.text == "March")
            .map(|t| t.value.as_str())
            .collect();
        assert!(months.len() > 100 && months.iter().all(|v| *v == "1862-03"));
        let spans = crate::engine::tokenize::blocks(&text, 1 << 16).map(|(a, b)| (a..b, false));
        assert_eq!(x.extract_blocks(&text, dct(), spans), whole);
        assert_eq!(
            Extractor::default().limited(5).extract(&text, dct()),
            whole[..5].to_vec()
        );
    }

    /// Words and sentences are counted only as far as they decide: one
    /// short sentence is colloquial; a second sentence, or a second block,
    /// however short, makes it news.
    #[test]
    fn only_one_short_sentence_is_colloquial() {
        let kind = |text: &str| {
            let mut x = Extractor::default();
            x.extract(text, dct());
            x.doctype_used()
        };
        assert_eq!(kind("can we do thursday at 3?"), DocType::Colloquial);
        assert_eq!(kind("Friday works. Monday too."), DocType::News);
        assert_eq!(kind("Friday works. Monday too. Or Tuesday."), DocType::News);
        assert_eq!(kind("Friday works\n\nMonday too"), DocType::News);
        let long = format!("Friday {}", "works ".repeat(COLLOQUIAL_WORDS));
        assert_eq!(kind(&long), DocType::News);
    }

    #[test]
    fn names_parse_back() {
        for name in DocType::NAMES {
            assert_eq!(name.parse::<DocType>().map(|d| d.name()), Ok(name));
        }
        assert!("poem".parse::<DocType>().is_err());
    }
}
