//! The engine: text → timexes. The pipeline, in order: tokenize, find,
//! refine, resolve.
//!
//! A document is cut into blocks (paragraphs); each block is tokenized once
//! ([`tokenize`](mod@tokenize), words looked up in the [`lexicon`]), the [`grammar`] finds
//! the expressions as [`partial`] values, the refiners ([`refine`](mod@refine)) drop
//! false ones, and the resolver ([`resolve`], with [`tense`] cues) turns the
//! rest into [`timex`] values in document order, so that anaphora ("the
//! following day") see the dates before them.
//!
//! The engine depends on nothing else in the crate: no document reading,
//! no events, no store.

pub mod doctype;
pub mod grammar;
pub mod holiday;
pub mod lexicon;
pub mod partial;
pub mod refine;
// Date arithmetic that overflows would panic on absurd input: checked only.
#[deny(clippy::arithmetic_side_effects)]
pub mod resolve;
pub mod tense;
pub mod timex;
pub mod tokenize;
// Date arithmetic that overflows would panic on absurd input: checked only.
#[deny(clippy::arithmetic_side_effects)]
pub mod zone;

use std::sync::OnceLock;

use chrono::NaiveDateTime;

use doctype::{DocType, Signals};
use grammar::{find_all, Match};
use lexicon::{Lexicon, LexiconError};
use refine::refine;
use resolve::Resolver;
use tense::clause_tense;
use timex::{Interval, Timex};
use tokenize::{blocks, tokenize, Token};

/// The built-in English table, with the grammar's rule bits on its words.
pub fn english() -> &'static Lexicon {
    static EN: OnceLock<Lexicon> = OnceLock::new();
    EN.get_or_init(|| {
        load_lexicon(include_str!("../../data/en.toml"))
            .expect("data/en.toml is checked by the test suite")
    })
}

/// Loads a language table in the format of `data/en.toml`, ready for the
/// grammar.
pub fn load_lexicon(source: &str) -> Result<Lexicon, LexiconError> {
    Lexicon::from_toml(source, grammar::rules_starting_at)
}

/// Largest block handed to the grammar at once; longer paragraphs are cut at
/// whitespace so memory stays bounded on one enormous line.
const MAX_BLOCK: usize = 64 * 1024;

/// Reusable buffers, so a corpus run allocates per document, not per token.
pub struct Extractor {
    lex: &'static Lexicon,
    tokens: Vec<Token<'static>>,
    matches: Vec<Match>,
    /// The tense taken when a clause shows none: a date typed for a new
    /// event ("friday") looks ahead.
    lean: Option<tense::Tense>,
    /// The most timexes one document gives (see [`Extractor::limited`]).
    limit: usize,
    /// The kind of documents given, or `Auto` to detect each one's.
    doctype: DocType,
    /// The kind the last document was read as.
    used: DocType,
}

impl Default for Extractor {
    fn default() -> Self {
        Extractor::new(english())
    }
}

impl Extractor {
    pub fn new(lex: &'static Lexicon) -> Extractor {
        Extractor {
            lex,
            tokens: Vec::new(),
            matches: Vec::new(),
            lean: None,
            limit: usize::MAX,
            doctype: DocType::Auto,
            used: DocType::News,
        }
    }

    /// Reads every document as `doctype` (news, narrative, colloquial), or
    /// detects each one's kind (`Auto`, the default): see [`doctype`].
    pub fn doctype(mut self, doctype: DocType) -> Extractor {
        self.doctype = doctype;
        self
    }

    /// Changes the kind of the documents that follow.
    pub fn set_doctype(&mut self, doctype: DocType) {
        self.doctype = doctype;
    }

    /// The kind the last document was read as (detected, or as given).
    pub fn doctype_used(&self) -> DocType {
        self.used
    }

    /// The kind `text` is read as: the one given, else the one its start
    /// shows. Sets up the resolver and the lean for it.
    fn settle(&mut self, text: &str, dct: NaiveDateTime) -> (Resolver, Option<tense::Tense>) {
        let kind = match self.doctype {
            DocType::Auto => {
                let mut cut = text.len().min(doctype::DETECT_BYTES);
                while !text.is_char_boundary(cut) {
                    cut -= 1;
                }
                let head = &text[..cut];
                let mut signals = Signals::default();
                for (from, to) in blocks(head, MAX_BLOCK) {
                    tokenize(head, from, to, self.lex, &mut self.tokens);
                    signals.count(&self.tokens, chrono::Datelike::year(&dct));
                }
                signals.classify()
            }
            given => given,
        };
        self.used = kind;
        let mut resolver = Resolver::new(dct);
        resolver.set_narrative(kind == DocType::Narrative);
        // An isolated phrase looks ahead unless a cue says otherwise.
        let lean = match kind {
            DocType::Colloquial => self.lean.or(Some(tense::Tense::Future)),
            _ => self.lean,
        };
        (resolver, lean)
    }

    /// Stops each document after `limit` timexes, so a document made of
    /// dates ("Monday" on ten million lines) costs bounded memory. The
    /// caller sees the cut as a result `limit` long.
    pub fn limited(mut self, limit: usize) -> Extractor {
        self.limit = limit;
        self
    }

    /// Reads underspecified dates in clauses without a tense cue as lying
    /// ahead of (`Future`) or behind (`Past`) the reference, instead of
    /// nearest: what a typed "friday" means depends on the question.
    pub fn leaning(mut self, lean: Option<tense::Tense>) -> Extractor {
        self.lean = lean;
        self
    }

    /// Finds and resolves every temporal expression in `text`, whose
    /// reference date-time (document creation time) is `dct`.
    pub fn extract(&mut self, text: &str, dct: NaiveDateTime) -> Vec<Timex> {
        let mut out = Vec::new();
        let (mut resolver, lean) = self.settle(text, dct);
        for (from, to) in blocks(text, MAX_BLOCK) {
            if out.len() >= self.limit {
                break;
            }
            self.block(text, from, to, &mut resolver, lean, &mut out);
        }
        out.truncate(self.limit);
        out
    }

    /// Like [`Extractor::extract`], over blocks a document reader found:
    /// each `(range, rows)` is read as a paragraph of its own (a block
    /// holds no blank line; one over 64 KiB is cut at whitespace), and `rows`
    /// marks the rows of a schedule (list items, table rows, "date: label"
    /// lines), where a date without a year reads forward from the one
    /// before. Blocks must be in order and must not overlap.
    pub fn extract_blocks(
        &mut self,
        text: &str,
        dct: NaiveDateTime,
        spans: impl IntoIterator<Item = (std::ops::Range<usize>, bool)>,
    ) -> Vec<Timex> {
        let mut out = Vec::new();
        self.extract_blocks_each(text, dct, spans, |t| out.push(t));
        out
    }

    /// [`Extractor::extract_blocks`], handing each timex to `each` as soon
    /// as its block is read: memory holds one block's timexes, not the
    /// document's.
    pub fn extract_blocks_each(
        &mut self,
        text: &str,
        dct: NaiveDateTime,
        spans: impl IntoIterator<Item = (std::ops::Range<usize>, bool)>,
        mut each: impl FnMut(Timex),
    ) {
        let mut batch = Vec::new();
        let mut given = 0usize;
        let limit = self.limit;
        let mut hand_on = |batch: &mut Vec<Timex>| {
            for t in batch.drain(..) {
                if given < limit {
                    each(t);
                    given += 1;
                }
            }
            given >= limit
        };
        let (mut resolver, lean) = self.settle(text, dct);
        for (range, rows) in spans {
            resolver.set_schedule(rows);
            let Some(part) = text.get(range.clone()) else {
                continue;
            };
            // A reader's block is a paragraph already: only an over-long
            // one needs cutting.
            if part.len() <= MAX_BLOCK {
                self.block(
                    text,
                    range.start,
                    range.end,
                    &mut resolver,
                    lean,
                    &mut batch,
                );
                if hand_on(&mut batch) {
                    return;
                }
                continue;
            }
            for (from, to) in blocks(part, MAX_BLOCK) {
                self.block(
                    text,
                    range.start + from,
                    range.start + to,
                    &mut resolver,
                    lean,
                    &mut batch,
                );
                if hand_on(&mut batch) {
                    return;
                }
            }
        }
    }

    fn block(
        &mut self,
        text: &str,
        from: usize,
        to: usize,
        resolver: &mut Resolver,
        lean: Option<tense::Tense>,
        out: &mut Vec<Timex>,
    ) {
        tokenize(text, from, to, self.lex, &mut self.tokens);
        self.matches.clear();
        find_all(&self.tokens, text, self.lex, &mut self.matches);
        refine(&mut self.matches, &self.tokens, text);
        for m in &self.matches {
            let tense = clause_tense(&self.tokens, text, self.lex, m.start, m.end).or(lean);
            resolver.set_aside(aside(&self.tokens, m));
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
                tzid: r.tzid,
                rule: r.rule,
            });
        }
    }
}

/// Whether match `m` is an aside of its clause, whose date a story does not
/// move to: "since 1809", a year naming an event ("the great fire of 1638").
fn aside(toks: &[Token], m: &Match) -> bool {
    // The clause's verb, behind the date: a past perfect looks back.
    let mut k = m.start;
    while k > 0 && m.start - k < ASIDE_REACH {
        k -= 1;
        if tense::ends_sentence(toks, k) || toks[k].is_punct(',') || toks[k].is_punct(';') {
            break;
        }
        if toks[k].entry.is_some_and(|e| e.has(lexicon::Role::Perfect)) {
            return true;
        }
    }
    let Some(before) = m.start.checked_sub(1).and_then(|k| toks[k].entry) else {
        return false;
    };
    let bare_year = matches!(
        &m.partial.what,
        partial::What::Calendar(d, _) if d.month.is_none() && d.part.is_none()
    );
    before.has(lexicon::Role::PastPreposition) || (bare_year && before.has(lexicon::Role::Of))
}

/// How far behind a date [`aside`] looks for its clause's verb, in tokens.
const ASIDE_REACH: usize = 8;

/// Convenience for one document: see [`Extractor::extract`].
pub fn extract(text: &str, dct: NaiveDateTime) -> Vec<Timex> {
    Extractor::default().extract(text, dct)
}
