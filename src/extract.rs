//! The pipeline, in order: tokenize, find, refine, resolve.
//!
//! A document is cut into blocks (paragraphs); each block is tokenized once,
//! the grammar finds the expressions, the refiners drop false ones, and the
//! resolver turns the rest into values in document order, so that anaphora
//! ("the following day") see the dates before them.

use chrono::NaiveDateTime;

use crate::lexicon::Lexicon;
use crate::parse::{find_all, Match};
use crate::refine::refine;
use crate::resolve::Resolver;
use crate::tense::clause_tense;
use crate::timex::{Interval, Timex};
use crate::tokenize::{blocks, tokenize, Token};

/// Largest block handed to the grammar at once; longer paragraphs are cut at
/// whitespace so memory stays bounded on one enormous line.
const MAX_BLOCK: usize = 64 * 1024;

/// Reusable buffers, so a corpus run allocates per document, not per token.
pub struct Extractor {
    lex: &'static Lexicon,
    tokens: Vec<Token<'static>>,
    matches: Vec<Match>,
}

impl Default for Extractor {
    fn default() -> Self {
        Extractor::new(Lexicon::english())
    }
}

impl Extractor {
    pub fn new(lex: &'static Lexicon) -> Extractor {
        Extractor {
            lex,
            tokens: Vec::new(),
            matches: Vec::new(),
        }
    }

    /// Finds and resolves every temporal expression in `text`, whose
    /// reference date-time (document creation time) is `dct`.
    pub fn extract(&mut self, text: &str, dct: NaiveDateTime) -> Vec<Timex> {
        let mut out = Vec::new();
        let mut resolver = Resolver::new(dct);
        for (from, to) in blocks(text, MAX_BLOCK) {
            tokenize(text, from, to, self.lex, &mut self.tokens);
            self.matches.clear();
            find_all(&self.tokens, text, self.lex, &mut self.matches);
            refine(&mut self.matches, &self.tokens);
            for m in &self.matches {
                let tense = clause_tense(&self.tokens, text, self.lex, m.start, m.end);
                let Some(r) = resolver.resolve(&m.partial, tense) else {
                    continue;
                };
                let start = self.tokens[m.start].start;
                let end = self.tokens[m.end - 1].end;
                out.push(Timex {
                    start,
                    end,
                    text: text[start..end].to_string(),
                    kind: r.kind,
                    value: r.value,
                    modifier: r.modifier,
                    interval: r.interval.map(|(start, end)| Interval { start, end }),
                    zone: r.zone,
                });
            }
        }
        out
    }
}

/// Convenience for one document: see [`Extractor::extract`].
pub fn extract(text: &str, dct: NaiveDateTime) -> Vec<Timex> {
    Extractor::default().extract(text, dct)
}
