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
mod range;
pub mod refine;
// Date arithmetic that overflows would panic on absurd input: checked only.
#[deny(clippy::arithmetic_side_effects)]
pub mod resolve;
mod session;
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
pub use session::Session;
use tense::clause_tense;
use timex::{Anchored, Interval, Timex};
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
pub const MAX_BLOCK: usize = 64 * 1024;

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
    /// Buffers of the last document, empty, handed to the next: a corpus
    /// of short documents grew them again from nothing each time.
    spare: Spare,
}

/// A finished document's buffers, cleared, for the next one.
#[derive(Default)]
struct Spare {
    held: Vec<Found>,
    held_rows: Vec<(usize, bool)>,
    batch: Vec<Timex>,
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
            spare: Spare::default(),
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

    /// Starts reading a document: with its kind given, ready to resolve;
    /// with `Auto`, holding what it finds back until its start shows the
    /// kind (one pass over the text either way).
    fn begin(&mut self, dct: NaiveDateTime) -> Reading {
        let mut reading = Reading {
            resolver: Resolver::new(dct),
            lean: self.lean,
            signals: None,
            reference_year: chrono::Datelike::year(&dct),
            held: std::mem::take(&mut self.spare.held),
            held_rows: std::mem::take(&mut self.spare.held_rows),
        };
        match self.doctype {
            DocType::Auto => reading.signals = Some(Signals::default()),
            given => self.settle_as(given, &mut reading),
        }
        reading
    }

    fn settle_as(&mut self, kind: DocType, reading: &mut Reading) {
        self.used = kind;
        reading.resolver.set_narrative(kind == DocType::Narrative);
        // An isolated phrase looks ahead unless a cue says otherwise.
        if kind == DocType::Colloquial {
            reading.lean = self.lean.or(Some(tense::Tense::Future));
        }
    }

    /// Decides the kind of a document being detected and resolves what was
    /// held back, into `out`.
    fn settle(&mut self, text: &str, reading: &mut Reading, out: &mut Vec<Timex>) {
        let Some(signals) = reading.signals.take() else {
            return;
        };
        self.settle_as(signals.classify(), reading);
        let mut marks_kept = std::mem::take(&mut reading.held_rows);
        let mut held = std::mem::take(&mut reading.held);
        let mut marks = marks_kept.drain(..).peekable();
        for (k, found) in held.drain(..).enumerate() {
            while let Some((_, rows)) = marks.next_if(|&(at, _)| at <= k) {
                reading.resolver.set_schedule(rows);
            }
            resolve_into(text, reading, found, out);
        }
        for (_, rows) in marks {
            reading.resolver.set_schedule(rows);
        }
        // Empty now, kept for the next document.
        self.spare.held = held;
        self.spare.held_rows = marks_kept;
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
        self.extract_each(text, dct, |t| out.push(t));
        out
    }

    /// [`Extractor::extract`], handing each timex to `each` as soon as its
    /// paragraph is read, so that memory does not grow with what is found.
    pub fn extract_each(&mut self, text: &str, dct: NaiveDateTime, each: impl FnMut(Timex)) {
        let paragraphs = blocks(text, MAX_BLOCK).map(|(from, to)| (from..to, false));
        self.extract_blocks_each(text, dct, paragraphs, each);
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
        // The whole document is one window: what is held back while its
        // kind is detected is resolved against `text` itself, not a copy.
        let mut session = self.session(dct);
        session.read(text, 0, spans, &mut each, true);
    }

    /// Reads one block: its expressions are resolved into `out`, or held
    /// back while the document's kind is being detected.
    fn block(
        &mut self,
        text: &str,
        (from, to): (usize, usize),
        base: usize,
        reading: &mut Reading,
        out: &mut Vec<Timex>,
    ) {
        tokenize(text, from, to, self.lex, &mut self.tokens);
        if let Some(signals) = &mut reading.signals {
            signals.count(&self.tokens, reading.reference_year);
        }
        self.matches.clear();
        find_all(&self.tokens, text, self.lex, &mut self.matches);
        refine(&mut self.matches, &self.tokens, text);
        for m in self.matches.drain(..) {
            let toks = &self.tokens;
            let found = Found {
                start: toks[m.start].start,
                end: toks[m.end - 1].end,
                // The clause's own tense; the lean applies once the kind is known.
                tense: reads_tense(&m)
                    .then(|| clause_tense(toks, text, self.lex, m.start, m.end))
                    .flatten(),
                aside: aside(toks, &m),
                partial: m.partial,
                // Byte offsets, so a held match needs no tokens to resolve.
                range: m.range.map(|r| FoundRange {
                    first_end: toks[r.first_end - 1].end,
                    second_start: toks[r.second_start].start,
                    partial: r.partial,
                    join: r.join,
                }),
                open: range::open_word(toks, m.start),
            };
            if reading.signals.is_some() {
                reading.held.push(found);
            } else {
                resolve_into(text, reading, found, out);
            }
        }
        // The start of a document shows its kind.
        if reading.signals.is_some() && base.saturating_add(to) >= doctype::DETECT_BYTES {
            self.settle(text, reading, out);
        }
    }
}

/// One document being read (see [`Extractor::begin`]).
struct Reading {
    resolver: Resolver,
    /// The tense taken where a clause shows none.
    lean: Option<tense::Tense>,
    /// While the kind is detected: the evidence so far.
    signals: Option<Signals>,
    reference_year: i32,
    /// What was found while the kind was detected, in order.
    held: Vec<Found>,
    /// Where the reader's blocks begin among `held`: from that many held
    /// finds on, the blocks are (or are not) schedule rows.
    held_rows: Vec<(usize, bool)>,
}

/// An expression found, ready to resolve: byte offsets into the text.
struct Found {
    start: usize,
    end: usize,
    tense: Option<tense::Tense>,
    aside: bool,
    partial: partial::Partial,
    /// A range's second part ("2-3pm": "3pm").
    range: Option<FoundRange>,
    /// The side a word before it leaves open ("until noon").
    open: Option<partial::Mod>,
}

/// A range's second part, by byte offsets.
struct FoundRange {
    /// Where the first part ends and the second begins.
    first_end: usize,
    second_start: usize,
    partial: partial::Partial,
    join: grammar::Join,
}

fn resolve_into(text: &str, reading: &mut Reading, found: Found, out: &mut Vec<Timex>) {
    reading.resolver.set_aside(found.aside);
    let tense = found.tense.or(reading.lean);
    let resolver = &mut reading.resolver;
    let t = match &found.range {
        None => timex(
            text,
            found.start,
            found.end,
            &found.partial,
            resolver,
            tense,
        ),
        Some(r) => range::joined(text, &found, r, resolver, tense),
    };
    if let Some(mut t) = t {
        t.open = range::open_side(found.open, &t);
        out.push(t);
    }
}

/// Whether a match or its range's second part reads its clause's tense.
fn reads_tense(m: &grammar::Match) -> bool {
    m.partial.reads_tense() || m.range.as_ref().is_some_and(|r| r.partial.reads_tense())
}

/// Text `start..end` (bytes) resolved as `p`.
fn timex(
    text: &str,
    start: usize,
    end: usize,
    p: &partial::Partial,
    resolver: &mut Resolver,
    tense: Option<tense::Tense>,
) -> Option<Timex> {
    let r = resolver.resolve(p, tense)?;
    Some(Timex {
        start,
        end,
        text: text.get(start..end)?.into(),
        kind: r.kind,
        value: r.value,
        modifier: r.modifier,
        interval: r.interval.map(|(start, end)| Interval { start, end }),
        zone: r.zone,
        tzid: r.tzid,
        rule: r.rule,
        open: None,
        parts: Vec::new(),
        anchored: r
            .anchored
            .map(|(value, (start, end))| Anchored { value, start, end }),
    })
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
