//! The holiday table of a language file (`[[holidays]]`): each holiday's
//! names, read into token patterns, and the rule that gives its day.

use serde::Deserialize;

use super::{Lexicon, LexiconError};
use crate::engine::holiday::Holiday;
use crate::engine::tokenize::{tokenize, Kind};

/// One holiday as the language file writes it: its names and one rule,
/// `month` and `day`; `month`, `weekday` and `nth` (with `days_after`); or
/// `easter`, the days from Easter Sunday.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct HolidayData {
    names: Vec<String>,
    month: Option<u8>,
    day: Option<u8>,
    weekday: Option<u8>,
    nth: Option<i8>,
    #[serde(default)]
    days_after: i8,
    easter: Option<i16>,
}

/// A token of a holiday's name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Piece {
    /// A word, by its entry's [`Entry::id`](super::Entry).
    Word(u32),
    /// A punctuation mark written against the word before it ("St.",
    /// "X-mas", "Presidents'"); apostrophes are all `'`.
    Punct(char),
}

/// One name of a holiday, as the tokens it is written with.
#[derive(Clone, Debug)]
pub struct HolidayName {
    pub pieces: Vec<Piece>,
    pub holiday: Holiday,
}

impl HolidayData {
    pub(super) fn names(&self) -> &[String] {
        &self.names
    }

    fn rule(&self) -> Result<Holiday, LexiconError> {
        let bad = |why: &str| {
            let name = self.names.first().map_or("", String::as_str);
            LexiconError(format!("language table: holiday {name:?} {why}"))
        };
        let rule = match (self.month, self.day, self.weekday, self.nth, self.easter) {
            (Some(month), Some(day), None, None, None) => Holiday::Fixed { month, day },
            (Some(month), None, Some(weekday), Some(nth), None) => Holiday::Nth {
                month,
                weekday,
                nth,
                days_after: self.days_after,
            },
            (None, None, None, None, Some(days)) => Holiday::Easter { days },
            _ => {
                return Err(bad(
                    "needs month and day, month, weekday and nth, or easter",
                ))
            }
        };
        // Every rule must give a day in an ordinary and in a leap year.
        if rule.date_in(2027).is_none() || rule.date_in(2028).is_none() || self.names.is_empty() {
            return Err(bad("has no day in some year, or no name"));
        }
        Ok(rule)
    }
}

/// The words of a name, split as the tokenizer splits text once they are
/// in the table: letters with inner apostrophes ("Hallowe'en") are one
/// word, and a possessive "'s" is a word of its own.
pub(super) fn name_words(name: &str) -> Vec<String> {
    let normal = name.replace('\u{2019}', "'").to_lowercase();
    let mut words = Vec::new();
    for run in normal.split(|c: char| !(c.is_ascii_alphabetic() || c == '\'')) {
        let run = run.trim_matches('\'');
        match run.strip_suffix("'s") {
            Some(stem) if !stem.is_empty() => {
                words.push(stem.to_string());
                words.push("'s".to_string());
            }
            _ if !run.is_empty() => words.push(run.to_string()),
            _ => {}
        }
    }
    words
}

/// Every name of every holiday, found by its first word.
#[derive(Debug, Default)]
pub struct HolidayNames {
    /// By first word, and longest first among those.
    names: Vec<HolidayName>,
    /// For each entry id, the range of `names` starting with that word
    /// (empty past the last first word): a capital "New" or "Good" in
    /// news asks at every occurrence, and two binary searches over the
    /// names cost more than the rest of the failed try.
    by_first: Vec<(u32, u32)>,
}

impl HolidayNames {
    /// The names that start with the word of entry id `first`, longest first.
    pub fn starting_with(&self, first: u32) -> &[HolidayName] {
        match self.by_first.get(first as usize) {
            Some(&(from, to)) => &self.names[from as usize..to as usize],
            None => &[],
        }
    }
}

/// Reads every holiday's names into patterns, tokenized by the tokenizer
/// with the finished table. Names with the same first word go longest
/// first, so that "Christmas Eve" is tried before "Christmas".
pub(super) fn read(lex: &Lexicon, data: &[HolidayData]) -> Result<HolidayNames, LexiconError> {
    let mut out = Vec::new();
    let mut toks = Vec::new();
    for h in data {
        let holiday = h.rule()?;
        for name in &h.names {
            tokenize(name, 0, name.len(), lex, &mut toks);
            let mut pieces = Vec::new();
            for t in &toks {
                let piece = match (t.kind, t.entry) {
                    (Kind::Word, Some(e)) => Piece::Word(e.id),
                    (Kind::Punct, _) if !t.space_before => Piece::Punct(normal(t.ch)),
                    _ => {
                        return Err(LexiconError(format!(
                            "language table: holiday name {name:?} has a number, a lone mark or a word not in the table"
                        )))
                    }
                };
                pieces.push(piece);
            }
            if !matches!(pieces.first(), Some(Piece::Word(_))) {
                return Err(LexiconError(format!(
                    "language table: holiday name {name:?} must start with a word"
                )));
            }
            out.push(HolidayName { pieces, holiday });
        }
    }
    out.sort_by_key(|n| (n.first_word(), std::cmp::Reverse(n.pieces.len())));
    let mut by_first = Vec::new();
    let mut from = 0;
    while let Some(first) = out.get(from).map(HolidayName::first_word) {
        let to = from + out[from..].partition_point(|n| n.first_word() == first);
        let slot = first as usize;
        if by_first.len() <= slot {
            by_first.resize(slot + 1, (0, 0));
        }
        by_first[slot] = (from as u32, to as u32);
        from = to;
    }
    Ok(HolidayNames {
        names: out,
        by_first,
    })
}

impl HolidayName {
    fn first_word(&self) -> u32 {
        match self.pieces.first() {
            Some(Piece::Word(id)) => *id,
            // `read` refuses a name that starts otherwise.
            _ => u32::MAX,
        }
    }
}

/// Punctuation as holiday names compare it: the typographic apostrophe is
/// the ASCII one.
pub fn normal(c: char) -> char {
    if c == '\u{2019}' {
        '\''
    } else {
        c
    }
}

#[cfg(test)]
mod tests {
    use super::name_words;

    #[test]
    fn names_split_like_text() {
        assert_eq!(
            name_words("St. Patrick\u{2019}s Day"),
            ["st", "patrick", "'s", "day"]
        );
        assert_eq!(name_words("Presidents' Day"), ["presidents", "day"]);
        assert_eq!(name_words("Hallowe'en"), ["hallowe'en"]);
        assert_eq!(name_words("X-mas"), ["x", "mas"]);
    }

    #[test]
    fn a_holiday_without_a_whole_rule_is_refused_by_name() {
        let en = include_str!("../../../data/en.toml");
        for rule in ["month = 3", "month = 2\nday = 30", "easter = 1\nmonth = 4"] {
            let bad = format!("{en}\n[[holidays]]\nnames = [\"Founders Day\"]\n{rule}\n");
            let err = crate::engine::load_lexicon(&bad).err().expect(rule);
            assert!(err.0.contains("Founders Day"), "{rule}: {err}");
        }
    }
}
