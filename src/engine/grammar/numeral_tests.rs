//! `find_all` skips numbers no rule starts at ([`Grammar::numeral_end`])
//! and words that only lead into an expression before a word no rule reads
//! ([`Grammar::leads_into_unknown`]), and lower-case month homographs
//! there ([`Grammar::homograph_into_unknown`]). These tests hold it to the
//! grammar without the skip, on the corpus cases with their numbers glued into
//! numerals and closed by punctuation, and with a word no rule reads after
//! each of their words, and on random runs of the lexicon's words, numbers
//! and punctuation.

use super::{find_with, Match};
use crate::engine::tokenize::tokenize;

/// What the grammar found in `text`, with and without the skip.
fn both(text: &str) -> (Vec<String>, Vec<String>) {
    let lex = crate::engine::english();
    let mut toks = Vec::new();
    tokenize(text, 0, text.len(), lex, &mut toks);
    let shown = |skip: bool| {
        let mut out = Vec::new();
        find_with(&toks, text, lex, &mut out, skip);
        out.iter()
            .map(|m: &Match| {
                let (a, b) = (toks[m.start].start, toks[m.end - 1].end);
                format!("{:?} {:?} {:?}", &text[a..b], m.partial, m.range)
            })
            .collect::<Vec<_>>()
    };
    (shown(true), shown(false))
}

/// A small seeded generator: the same cases on every run.
struct Seeded(u64);

impl Seeded {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

/// The text of every case in `tests/corpus/en`.
fn case_texts() -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/en");
    let mut texts = Vec::new();
    for entry in std::fs::read_dir(dir).expect("the corpus is there") {
        let path = entry.expect("a corpus file").path();
        let raw = std::fs::read_to_string(&path).expect("a corpus file reads");
        let table: toml::Table = toml::from_str(&raw).expect("a corpus file parses");
        for key in ["case", "negative"] {
            for case in table
                .get(key)
                .and_then(|v| v.as_array())
                .into_iter()
                .flatten()
            {
                if let Some(t) = case.get("text").and_then(|t| t.as_str()) {
                    texts.push(t.to_string());
                }
            }
        }
    }
    assert!(texts.len() > 1000, "{} cases", texts.len());
    texts
}

/// `text` with the number at `at..to` glued into a numeral or closed.
fn variants(text: &str, at: usize, to: usize) -> Vec<String> {
    let n = &text[at..to];
    let (head, tail) = (&text[..at], &text[to..]);
    [
        format!("{n},000"),
        format!("1,{n}"),
        format!("{n}.5"),
        format!("0.{n}"),
        format!("{n}."),
        format!("{n},"),
        format!("{n};"),
        format!("{n}.,"),
        format!("{n}, {n}"),
        format!("{n}. {n}"),
        format!("$1.{n}"),
    ]
    .into_iter()
    .map(|v| format!("{head}{v}{tail}"))
    .collect()
}

#[test]
fn corpus_cases_with_numerals_are_read_as_without_the_skip() {
    let mut tried = 0;
    for text in case_texts() {
        let mut cases = vec![text.clone()];
        let bytes = text.as_bytes();
        let mut k = 0;
        while k < bytes.len() {
            if bytes[k].is_ascii_alphabetic() {
                let end = k + bytes[k..]
                    .iter()
                    .take_while(|b| b.is_ascii_alphabetic())
                    .count();
                cases.push(format!("{} mayor{}", &text[..end], &text[end..]));
                k = end;
            } else if bytes[k].is_ascii_digit() {
                let end = k + bytes[k..].iter().take_while(|b| b.is_ascii_digit()).count();
                cases.extend(variants(&text, k, end));
                k = end;
            } else {
                k += 1;
            }
        }
        for case in cases {
            let (with, without) = both(&case);
            assert_eq!(with, without, "{case:?}");
            tried += 1;
        }
    }
    assert!(tried > 5000, "{tried} texts");
}

/// Every word `data/en.toml` names, so that every rule's words come up.
fn lexicon_words() -> Vec<String> {
    let raw = include_str!("../../../data/en.toml");
    let table: toml::Table = toml::from_str(raw).expect("data/en.toml parses");
    let mut words = Vec::new();
    let mut stack: Vec<&toml::Value> = table.values().collect();
    while let Some(v) = stack.pop() {
        match v {
            toml::Value::String(s) => words.extend(s.split_whitespace().map(str::to_string)),
            toml::Value::Array(a) => stack.extend(a),
            toml::Value::Table(t) => stack.extend(t.values()),
            _ => {}
        }
    }
    words
}

#[test]
fn lower_case_month_homographs_before_an_unknown_word_are_read_as_without_the_skip() {
    let lex = crate::engine::english();
    let raw = include_str!("../../../data/en.toml");
    let table: toml::Table = toml::from_str(raw).expect("data/en.toml parses");
    let homographs: Vec<&str> = table["ambiguous_months"]
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    assert!(!homographs.is_empty());
    // Every word of the lexicon before the homograph, so that every
    // word that introduces a date comes up.
    let mut before: Vec<String> = lexicon_words();
    before.push(String::new());
    for m in homographs {
        assert!(lex.get(m).is_some_and(|e| e.ambiguous_month), "{m}");
        for b in &before {
            for text in [format!("{b} {m} mayor"), format!("{b} - {m} mayor.")] {
                let (with, without) = both(&text);
                assert_eq!(with, without, "{text:?}");
            }
        }
    }
}

#[test]
fn random_runs_of_words_numbers_and_punctuation_are_read_as_without_the_skip() {
    let mut words = lexicon_words();
    words.extend(["the", "a", "of", "mayor", "students", "percent"].map(String::from));
    let puncts = [",", ".", ";", ":", "-", "/", "'", "%", "$", "(", ")", "–"];
    let mut rng = Seeded(7);
    let mut found = 0;
    for _ in 0..40_000 {
        let mut text = String::new();
        for _ in 0..4 + rng.below(10) {
            if rng.below(3) > 0 {
                text.push(' ');
            }
            match rng.below(5) {
                0 | 1 => text.push_str(&words[rng.below(words.len())]),
                2 | 3 => {
                    let n = match rng.below(4) {
                        0 => rng.below(10),
                        1 => 1 + rng.below(31),
                        2 => 1900 + rng.below(140),
                        _ => rng.below(1000),
                    };
                    text.push_str(&n.to_string());
                }
                _ => text.push_str(puncts[rng.below(puncts.len())]),
            }
        }
        let (with, without) = both(&text);
        found += with.len();
        assert_eq!(with, without, "{text:?}");
    }
    // The runs do reach the rules.
    assert!(found > 10_000, "{found} expressions");
}
