//! The grammar: turns classified tokens into [`Partial`] values.
//!
//! Each rule is a small function that tries to read one shape of expression
//! starting at a token and returns where it ended and what it stated. At a
//! candidate token every rule is tried and the longest reading wins; the
//! scan then continues after it, so the text is read once, left to right.

use crate::engine::lexicon::{Entry, Lexicon, Phrase, Role};
use crate::engine::partial::{
    Anchor, CalendarDate, Clock, Mod, PartOfDay, Partial, Placement, Reach, RefKind, SetSpec,
    Shift, Unit, What, YearPart, Zone,
};
use crate::engine::tokenize::{Kind, Token};

mod compound;
mod dates;
mod durations;
mod holidays;
mod numeric;
mod ranges;
mod relative;
mod sets;
mod story;
mod times;

#[cfg(test)]
mod numeral_tests;

/// One recognized expression: tokens `start..end` and what they stated.
#[derive(Clone, Debug)]
pub struct Match {
    pub start: usize,
    pub end: usize,
    pub partial: Partial,
    /// A range's second part ("2-3pm", "from 1861 to 1865"): `partial` is
    /// then its first.
    pub range: Option<Box<RangeEnd>>,
}

pub use ranges::{Join, RangeEnd};

type Parsed = Option<(usize, Partial)>;

/// The rules that can read an expression beginning at a token, one bit per
/// rule.
///
/// Most tokens of running text start nothing, and most cue words ("to",
/// "of", "said", "in") only matter next to an expression, so trying every
/// rule at every known word wastes most of the grammar's time. Each rule's
/// bit is set only for tokens its first test accepts: a rule whose bit is
/// clear would return `None` at once, so skipping it changes no result.
/// [`word_starts`] derives the bits of a word from its lexicon entry, once,
/// when the table loads; [`Grammar::starts`] adds digits and apostrophes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Starts(u32);

impl Starts {
    const NONE: Starts = Starts(0);
    const CLOCK: Starts = Starts(1);
    const PART_OF_DAY_PHRASE: Starts = Starts(1 << 1);
    const WEEKDAY_DATE: Starts = Starts(1 << 2);
    const MONTH_DATE: Starts = Starts(1 << 3);
    const DAY_MONTH: Starts = Starts(1 << 4);
    const THE_ORDINAL_DAY: Starts = Starts(1 << 5);
    const NUMERIC_DATE: Starts = Starts(1 << 6);
    const YEAR: Starts = Starts(1 << 7);
    const DECADE: Starts = Starts(1 << 8);
    const CENTURY: Starts = Starts(1 << 9);
    const SEASON: Starts = Starts(1 << 10);
    const QUARTER: Starts = Starts(1 << 11);
    const RELATIVE: Starts = Starts(1 << 12);
    const DEICTIC: Starts = Starts(1 << 13);
    const ANAPHORIC: Starts = Starts(1 << 14);
    const WEEKEND: Starts = Starts(1 << 15);
    const PERIOD_END: Starts = Starts(1 << 16);
    const YEAR_AGO_ALONE: Starts = Starts(1 << 17);
    const OFFSET: Starts = Starts(1 << 18);
    const DURATION: Starts = Starts(1 << 19);
    const SET: Starts = Starts(1 << 20);
    const REFERENCE: Starts = Starts(1 << 21);
    const MODIFIED: Starts = Starts(1 << 22);
    const HOLIDAY: Starts = Starts(1 << 23);
    const COMPOUND: Starts = Starts(1 << 24);
    /// Not a rule: the grammar reads this word (see [`read_by_grammar`]).
    const READ: Starts = Starts(1 << 25);

    /// The rules of [`Grammar::day_expression`] that can match on their
    /// own ("14 October" only extends one of their readings).
    const DAY_EXPRESSION: Starts = Starts(
        Self::WEEKDAY_DATE.0
            | Self::MONTH_DATE.0
            | Self::DEICTIC.0
            | Self::RELATIVE.0
            | Self::NUMERIC_DATE.0
            | Self::HOLIDAY.0,
    );

    /// The rules of [`Grammar::date`].
    const DATE: Starts = Starts(
        Self::DAY_EXPRESSION.0
            | Self::DAY_MONTH.0
            | Self::THE_ORDINAL_DAY.0
            | Self::YEAR.0
            | Self::DECADE.0
            | Self::CENTURY.0
            | Self::SEASON.0
            | Self::QUARTER.0
            | Self::ANAPHORIC.0
            | Self::WEEKEND.0
            | Self::PERIOD_END.0
            | Self::YEAR_AGO_ALONE.0,
    );

    /// Rules that can read digits first: times, numeric dates, years,
    /// "1990s", "14th", counts.
    const NUMBER: Starts = Starts(
        Self::CLOCK.0
            | Self::DAY_MONTH.0
            | Self::NUMERIC_DATE.0
            | Self::YEAR.0
            | Self::DECADE.0
            | Self::CENTURY.0
            | Self::QUARTER.0
            | Self::OFFSET.0
            | Self::DURATION.0
            | Self::SET.0
            | Self::COMPOUND.0,
    );

    fn has(self, rules: Starts) -> bool {
        self.0 & rules.0 != 0
    }

    fn add(&mut self, when: bool, rules: Starts) {
        if when {
            self.0 |= rules.0;
        }
    }
}

/// The rules that can begin at a word with this entry, read off each rule's
/// test of its first token (see `Starts`). A rule added here or a new
/// first-token test in one must be reflected in this table.
pub fn rules_starting_at(word: &[u8], e: &Entry) -> u32 {
    word_starts(word, e).0
}

fn word_starts(word: &[u8], e: &Entry) -> Starts {
    use Role::*;
    let unit = e.unit;
    let mut s = Starts::NONE;
    s.add(read_by_grammar(word, e), Starts::READ);
    // "noon", "midnight"; "half past four", "a quarter to five", "ten to noon"
    let minutes = e.number.is_some_and(|n| (1..60).contains(&n));
    let fraction = e.has(Half) || e.has(Article) || (e.unit == Some(Unit::Quarter) && !e.plural);
    s.add(e.clock_hour.is_some() || minutes || fraction, Starts::CLOCK);
    // "the": "the next morning", "the 14th", "the 1990s", "the 20th century",
    // "the spring", "the third quarter", "the following day", "the day
    // before yesterday", "the same day", "the weekend", "the past two
    // months", "the early 1990s".
    s.add(
        e.has(The),
        Starts(
            Starts::PART_OF_DAY_PHRASE.0
                | Starts::THE_ORDINAL_DAY.0
                | Starts::DECADE.0
                | Starts::CENTURY.0
                | Starts::SEASON.0
                | Starts::QUARTER.0
                | Starts::RELATIVE.0
                | Starts::DEICTIC.0
                | Starts::ANAPHORIC.0
                | Starts::WEEKEND.0
                | Starts::DURATION.0
                | Starts::MODIFIED.0
                | Starts::SET.0,
        ),
    );
    // "this morning", "last night", "next week", "this year's first quarter"
    let deixis = e.has(This) || e.has(Last) || e.has(Next);
    s.add(
        deixis,
        Starts(Starts::PART_OF_DAY_PHRASE.0 | Starts::RELATIVE.0 | Starts::QUARTER.0),
    );
    // "Tuesday", "Tuesday nights"
    s.add(
        e.weekday.is_some(),
        Starts(Starts::WEEKDAY_DATE.0 | Starts::SET.0),
    );
    s.add(e.month.is_some(), Starts::MONTH_DATE);
    // "Christmas", "New Year's Eve"
    s.add(e.has(HolidayStart), Starts::HOLIDAY);
    // "fourteenth of May", "the nineteenth century", "third quarter"
    // "first Monday of every month"
    s.add(
        e.ordinal.is_some(),
        Starts(Starts::DAY_MONTH.0 | Starts::CENTURY.0 | Starts::QUARTER.0 | Starts::SET.0),
    );
    s.add(e.has(Last), Starts::SET);
    // "Thursday of next week", "the Friday after next", "the first Monday
    // of March", "two weeks from Friday", "four Mondays from now"
    s.add(
        e.weekday.is_some()
            || e.has(The)
            || e.ordinal.is_some()
            || e.number.is_some()
            || e.has(Article)
            || e.has(Last),
        Starts::COMPOUND,
    );
    // "fiscal 1989", "fiscal third quarter"
    s.add(e.has(Fiscal), Starts(Starts::YEAR.0 | Starts::QUARTER.0));
    // "AD 79"
    s.add(e.has(EraAfter), Starts::YEAR);
    // "'90s" read as one word ("'s" is one too): the decade rule tests the
    // apostrophe, which such a word keeps as its character.
    s.add(word.first() == Some(&b'\''), Starts::DECADE);
    s.add(e.season.is_some(), Starts::SEASON);
    // "latest quarter", "year-ago quarter", "Q3"
    s.add(
        e.has(Latest) || e.has(YearAgo) || word == b"q",
        Starts::QUARTER,
    );
    // "year-ago quarter", "year-earlier"
    s.add(
        unit == Some(Unit::Year),
        Starts(Starts::QUARTER.0 | Starts::YEAR_AGO_ALONE.0),
    );
    s.add(e.has(YearAgo), Starts::YEAR_AGO_ALONE);
    s.add(e.deictic.is_some(), Starts::DEICTIC);
    // "that day", "that same week"
    s.add(e.has(That), Starts::ANAPHORIC);
    // "EOD", "EOM"
    s.add(e.period_end.is_some(), Starts::PERIOD_END);
    // "year-end"; "for years" (a bare plural unit after "for")
    s.add(
        unit.is_some(),
        Starts(Starts::PERIOD_END.0 | Starts::OFFSET.0 | Starts::DURATION.0),
    );
    // "three days ago", "three days", "three times a week"
    s.add(
        e.number.is_some(),
        Starts(Starts::OFFSET.0 | Starts::DURATION.0 | Starts::SET.0),
    );
    // "a week later", "a few years", "several weeks"
    // "in half an hour"
    s.add(
        e.has(Article) || e.has(Few) || e.has(Half),
        Starts(Starts::OFFSET.0 | Starts::DURATION.0),
    );
    // "past two months", "half an hour"
    s.add(e.has(RecentSpan) || e.has(Half), Starts::DURATION);
    // "daily", "Mondays", "every week", "twice a month"
    s.add(
        e.set_adverb.is_some() || e.weekday_plural.is_some() || e.has(Every) || e.has(Twice),
        Starts::SET,
    );
    // "now", "these days": phrases are known to begin at a word by its role.
    s.add(
        e.reference.is_some() || e.has(PhraseStart),
        Starts::REFERENCE,
    );
    // "early", "more than", "earlier this year"
    s.add(
        e.modifier.is_some() || e.has(PhraseStart) || e.has(Earlier) || e.has(Later),
        Starts::MODIFIED,
    );
    s
}

/// Roles that only later stages (events, tense) read: no rule of the
/// grammar tests them (a test checks the grammar's source for their names).
const ROLES_GRAMMAR_IGNORES: &[Role] = &[
    Role::Passive,
    Role::Reporting,
    Role::ClauseOpener,
    Role::RelativePronoun,
    Role::DeadlineCue,
    Role::MeetingCue,
    Role::PlacePreposition,
    Role::AttachingPreposition,
    Role::Filler,
    Role::TitleArticle,
    Role::DeadlineVerb,
    Role::FutureAuxiliary,
    Role::BeForm,
    Role::Modal,
    Role::Coordinator,
    Role::NotPast,
    Role::RowDeadline,
    Role::RowStart,
    Role::RuleScope,
    Role::RowMetadata,
    Role::Possessive,
    Role::StateWord,
    Role::Preposition,
    Role::OnsetVerb,
    Role::Closing,
    Role::RecordDate,
    Role::ChangeVerb,
    Role::Age,
    Role::Baseline,
    Role::DeadlinePreposition,
    Role::OpenBound,
    Role::PastPreposition,
    Role::Perfect,
];

/// Roles the grammar tests only on the word next to an expression, never
/// on one inside it: "the plan", "the people" or "said" begin no
/// expression and continue none, though a rule may look at them to decide
/// where one ends ("in May said", "at 3 percent").
const ROLES_READ_ONLY_BESIDE: &[Role] = &[Role::Future, Role::Past, Role::AmountNoun];

/// Words some rule compares by their text.
const WORDS_GRAMMAR_READS: &[&[u8]] = &[b"s", b"'s", b"q", b"old", b"before", b"on", b"per"];

/// Whether some rule reads this word: a value it names, a role a rule tests,
/// or its text. A word the table holds only for later stages ("plan",
/// "said", "deadline") is, to the grammar, as good as unknown.
fn read_by_grammar(word: &[u8], e: &Entry) -> bool {
    e.names_a_value()
        || e.has_role_besides(&[ROLES_GRAMMAR_IGNORES, ROLES_READ_ONLY_BESIDE])
        || WORDS_GRAMMAR_READS
            .iter()
            .any(|w| w.eq_ignore_ascii_case(word))
}

/// Finds every expression in a block of tokens, left to right.
pub fn find_all(toks: &[Token], text: &str, lex: &Lexicon, out: &mut Vec<Match>) {
    find_with(toks, text, lex, out, true);
}

/// [`find_all`], skipping (`skip_numeral_ends`) the numbers no rule can
/// start at, or not: the tests hold the two to the same results.
fn find_with(
    toks: &[Token],
    text: &str,
    lex: &Lexicon,
    out: &mut Vec<Match>,
    skip_numeral_ends: bool,
) {
    let g = Grammar { toks, text, lex };
    let mut i = 0;
    while i < toks.len() {
        let mut starts = g.starts(i);
        if skip_numeral_ends && starts != Starts::NONE && g.numeral_end(i) {
            starts = Starts::NONE;
        }
        if starts != Starts::NONE {
            // A range is tried only where an expression or a number starts.
            if let Some(m) = g.range(i, g.at(i, starts)) {
                i = m.end;
                out.push(m);
                continue;
            }
        }
        i += 1;
    }
}

struct Grammar<'a, 'l> {
    toks: &'a [Token<'l>],
    text: &'a str,
    lex: &'l Lexicon,
}

/// Keeps the longer reading; on equal length the one already kept.
fn keep(best: &mut Parsed, candidate: Parsed) {
    if let Some((end, _)) = &candidate {
        if best.as_ref().is_none_or(|(kept, _)| end > kept) {
            *best = candidate;
        }
    }
}

impl<'l> Grammar<'_, 'l> {
    // ----------------------------------------------------------- token tests

    fn tok(&self, i: usize) -> Option<&Token<'l>> {
        self.toks.get(i)
    }

    fn entry(&self, i: usize) -> Option<&'l Entry> {
        self.toks.get(i).and_then(|t| t.entry)
    }

    fn role(&self, i: usize, role: Role) -> bool {
        self.entry(i).is_some_and(|e| e.has(role))
    }

    /// "now" at `i`: "from now".
    fn present_ref(&self, i: usize) -> bool {
        self.entry(i).and_then(|e| e.reference) == Some(RefKind::Present)
    }

    /// Which of two roles the word at `i` plays: `Some(true)` for `first`
    /// ("after", "past"), `Some(false)` for `second` ("before", "to").
    fn which_role(&self, i: usize, first: Role, second: Role) -> Option<bool> {
        if self.role(i, first) {
            Some(true)
        } else if self.role(i, second) {
            Some(false)
        } else {
            None
        }
    }

    fn punct(&self, i: usize, c: char) -> bool {
        self.toks.get(i).is_some_and(|t| t.is_punct(c))
    }

    /// Token `i` touches token `i - 1` with no space between.
    fn attached(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| !t.space_before)
    }

    fn word_text(&self, i: usize) -> &str {
        self.toks.get(i).map_or("", |t| &self.text[t.start..t.end])
    }

    fn is_word(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| t.kind == Kind::Word)
    }

    /// A word the lexicon does not know ("mayor"): no expression has it.
    /// A word no rule reads: not in the table, or there only for later
    /// stages.
    fn unknown_word(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| {
            t.kind == Kind::Word
                && !t
                    .entry
                    .is_some_and(|e| Starts(e.rule_bits).has(Starts::READ))
        })
    }

    /// A number no rule starts at, though numbers start many: the digits
    /// after a thousands comma or a decimal point ("2,050", "1.3"), which
    /// every rule reads from the numeral's head, or a number of up to three
    /// digits that a period or semicolon closes ("rose to 45."), or a comma
    /// before a word no rule reads ("97, officials said"): no rule reads
    /// such a number alone. About a third of the failed
    /// tries in news text were at these.
    fn numeral_end(&self, i: usize) -> bool {
        let Some((_, digits)) = self.number(i) else {
            return false;
        };
        let tail = i >= 2
            && self.attached(i)
            && self.attached(i - 1)
            && (self.punct(i - 1, ',') || self.punct(i - 1, '.'))
            && self.number(i - 2).is_some()
            // A word after it may still make it a date of its own ("1,1990s",
            // "1,44 B.C.", read letter by letter): the numeral's head missed
            // those. A spaced word no rule reads cannot ("2,050 students").
            && self.tok(i + 1).is_none_or(|n| {
                n.kind != Kind::Word
                    || (n.space_before && n.end - n.start > 1 && self.unknown_word(i + 1))
            });
        // After a comma a day may still follow a time: "at 4, tomorrow".
        let closed = digits <= 3
            && self.attached(i + 1)
            && !self.attached(i + 2)
            && (self.punct(i + 1, '.')
                || self.punct(i + 1, ';')
                || self.punct(i + 1, ',')
                    && self.tok(i + 2).is_none_or(|_| self.unknown_word(i + 2)));
        tail || closed
    }

    fn number(&self, i: usize) -> Option<(u64, u8)> {
        self.toks
            .get(i)
            .filter(|t| t.kind == Kind::Number)
            .map(|t| (t.value, t.digits))
    }

    /// Skips an abbreviation's period directly after token `i - 1`.
    fn skip_period(&self, i: usize) -> usize {
        if self.punct(i, '.') && self.attached(i) {
            i + 1
        } else {
            i
        }
    }

    fn skip_comma(&self, i: usize) -> usize {
        if self.punct(i, ',') {
            i + 1
        } else {
            i
        }
    }

    /// Whether a number token stands alone, not part of "2,014", "3.5", "$2015".
    fn standalone_number(&self, i: usize) -> bool {
        let before_ok = i == 0 || {
            let prev = &self.toks[i - 1];
            let range_dash = prev.ch == '-' && i > 1 && self.toks[i - 2].kind == Kind::Number;
            !(self.attached(i)
                && (prev.kind == Kind::Number
                    || prev.kind == Kind::Word
                    || range_dash
                    || matches!(prev.ch, ',' | '.' | '$' | '£' | '€' | '#' | '/' | ':')))
        };
        let after_ok = match self.tok(i + 1) {
            Some(next) if !next.space_before => match next.kind {
                Kind::Number => false,
                Kind::Word => false,
                Kind::Punct => {
                    !(next.ch == '%'
                        || (matches!(next.ch, ',' | '.' | '-' | '/' | ':')
                            && self
                                .tok(i + 2)
                                .is_some_and(|t| t.kind == Kind::Number && !t.space_before)))
                }
            },
            _ => true,
        };
        before_ok && after_ok
    }

    /// The rules that can begin at token `i` (none past the end).
    fn starts(&self, i: usize) -> Starts {
        let Some(t) = self.tok(i) else {
            return Starts::NONE;
        };
        match t.kind {
            // Before a separate word the lexicon does not know ("2015
            // budget", "40 students"), a number can only be a year; attached
            // ones are suffixes ("1990s", "20th").
            Kind::Number if self.unknown_word(i + 1) && !self.attached(i + 1) => Starts::YEAR,
            Kind::Number => Starts::NUMBER,
            Kind::Word => match t.entry {
                // "the" and "a" lead only into a word the lexicon knows, a
                // number or an apostrophe ("the 1990s", "the '90s", "a
                // week"). Most are followed by none ("the mayor"), and trying
                // every rule there was the grammar's largest cost.
                Some(e)
                    if (e.has(Role::The) || e.has(Role::Article)) && self.unknown_word(i + 1) =>
                {
                    Starts::NONE
                }
                Some(e) => Starts(e.rule_bits & !Starts::READ.0),
                None => Starts::NONE,
            },
            // "'90s"
            Kind::Punct if t.ch == '\'' || t.ch == '\u{2019}' => Starts::DECADE,
            Kind::Punct => Starts::NONE,
        }
    }

    /// Matches a multi-word phrase at `i`, returning the index after it.
    fn phrase<T: Copy>(&self, i: usize, phrases: &[Phrase<T>]) -> Option<(usize, T)> {
        // Most words begin no phrase; the lexicon marks those that do.
        if !self.role(i, Role::PhraseStart) {
            return None;
        }
        phrases.iter().find_map(|p| {
            let ok = p.ids.iter().enumerate().all(|(k, &id)| {
                // The entry is the word (see `Phrase::ids`).
                self.toks
                    .get(i + k)
                    .is_some_and(|t| t.kind == Kind::Word && t.entry.is_some_and(|e| e.id == id))
            });
            ok.then(|| (i + p.ids.len(), p.value))
        })
    }

    // ---------------------------------------------------------------- entry

    fn at(&self, i: usize, starts: Starts) -> Parsed {
        let mut best = self.core_with(i, starts);
        if starts.has(Starts::MODIFIED) {
            keep(&mut best, self.modified(i));
        }
        best
    }

    /// A modifier before an expression: "early next year", "about three hours".
    fn modified(&self, i: usize) -> Parsed {
        // "the early 1990s", "the late 19th century": an article before the modifier.
        let lead_the = self.role(i, Role::The)
            && self
                .entry(i + 1)
                .and_then(|e| e.modifier)
                .is_some_and(Mod::is_edge);
        let i0 = i;
        let i = if lead_the { i + 1 } else { i };
        // "How about Friday?" suggests a day; it does not blur it.
        let suggestion = i > 0 && self.role(i - 1, Role::Question);
        let (j, modifier, phrase) = if let Some((j, m)) = self.phrase(i, &self.lex.phrase_modifiers)
        {
            (j, m, true)
        } else if let Some(m) = self
            .entry(i)
            .and_then(|e| e.modifier)
            .filter(|&m| !(suggestion && m == Mod::Approx))
        {
            // "mid-2015", "mid-November": the hyphen belongs to the modifier.
            let j = if self.punct(i + 1, '-') && self.attached(i + 1) {
                i + 2
            } else {
                i + 1
            };
            (j, m, false)
        } else if self.role(i, Role::Earlier) || self.role(i, Role::Later) {
            // "earlier this year", "later Sunday": the adverb only narrows.
            // Before a day ("earlier Friday") the adverb stays outside, as
            // TimeBank annotates it; before "this year" it is part of it.
            let (end, p) = self.core(i + 1)?;
            let ok = matches!(p.what, What::Relative { offset: 0, unit, .. } if unit > Unit::Day);
            return ok.then_some((end, p));
        } else {
            return None;
        };
        // "over the past decade": before an article, "over" is a preposition.
        if !phrase && !modifier.is_edge() && modifier != Mod::Approx && self.role(j, Role::The) {
            return None;
        }
        let core = self.core(j).or_else(|| {
            // "the end of the month", "by end of day": this one.
            let k = j + usize::from(self.role(j, Role::The));
            let unit = self.singular_unit(k)?;
            (phrase && modifier.is_edge() && !unit.is_clock())
                .then(|| (k + 1, Partial::relative(unit, 0, Anchor::Reference)))
        });
        let (end, mut p) = core?;
        let fits = match p.what {
            What::Duration(_) => !modifier.is_edge(),
            // "over Easter", "over Christmas Day": a day is gone through,
            // not exceeded.
            What::Calendar(d, _) if d.names_day() => {
                phrase || !matches!(modifier, Mod::MoreThan | Mod::LessThan)
            }
            What::Set(_) | What::Ref(_) => false,
            What::Decade(_) | What::Century(_) => true,
            _ => !lead_the,
        };
        if !fits || p.modifier.is_some() {
            return None;
        }
        p.modifier = Some(modifier);
        Some((end.max(i0 + 1), p))
    }

    /// "year-end", "month-end", "year end": the end of the current period.
    fn period_end(&self, i: usize) -> Parsed {
        // "EOD", "EOM": the end of this day or month.
        if let Some(unit) = self.entry(i).and_then(|e| e.period_end) {
            // "COB Friday", "EOD tomorrow": the end of that day.
            let day = (unit == Unit::Day)
                .then(|| self.day_expression(i + 1))
                .flatten()
                .filter(|(_, p)| p.clock.is_none());
            let (end, mut p) =
                day.unwrap_or_else(|| (i + 1, Partial::relative(unit, 0, Anchor::Reference)));
            p.modifier = Some(Mod::End);
            return Some((end, p));
        }
        let unit = self.singular_unit(i)?;
        if !matches!(unit, Unit::Year | Unit::Month | Unit::Quarter | Unit::Week) {
            return None;
        }
        let j = if self.punct(i + 1, '-') && self.attached(i + 1) {
            i + 2
        } else {
            i + 1
        };
        if !self.role(j, Role::End) {
            return None;
        }
        let mut p = Partial::relative(unit, 0, Anchor::Reference);
        p.modifier = Some(Mod::End);
        Some((j + 1, p))
    }

    fn core(&self, i: usize) -> Parsed {
        self.core_with(i, self.starts(i))
    }

    /// [`Self::core`] given the rules that can start at `i`.
    fn core_with(&self, i: usize, s: Starts) -> Parsed {
        let mut best = self.date_with_time(i, s);
        // On equal length the earlier rule wins: "in two weeks" is a date
        // (offset) before it is a length (duration). A reading that runs to
        // the end of the block cannot be beaten.
        let open = |best: &Parsed| best.as_ref().is_none_or(|(e, _)| *e < self.toks.len());
        if s.has(Starts::DATE) && open(&best) {
            keep(&mut best, self.date(i, s));
        }
        if s.has(Starts::OFFSET) && open(&best) {
            keep(&mut best, self.offset(i));
        }
        if s.has(Starts::DURATION) && open(&best) {
            keep(&mut best, self.duration(i));
        }
        if s.has(Starts::SET) && open(&best) {
            keep(&mut best, self.set(i));
        }
        if s.has(Starts::REFERENCE) && open(&best) {
            keep(&mut best, self.reference(i));
        }
        if s.has(Starts::COMPOUND) && open(&best) {
            keep(&mut best, self.compound(i));
        }
        best
    }
}

fn duration_of(amount: f64, unit: Unit) -> Partial {
    Partial::new(What::Duration(vec![(Some(amount), unit)]))
}

fn set_of(unit: Unit) -> Partial {
    Partial::new(What::Set(SetSpec {
        count: 1,
        unit: Some(unit),
        ..SetSpec::default()
    }))
}

fn valid_day(year: Option<i32>, month: u8, day: u8) -> bool {
    // Without a year, Feb. 29 is allowed: some year has it.
    let y = year.unwrap_or(2000);
    chrono::NaiveDate::from_ymd_opt(y, u32::from(month), u32::from(day)).is_some()
}

impl Entry {
    /// A part-of-day word in the plural ("nights") names a recurrence.
    fn plural_part(&self, word: &str) -> bool {
        self.part_of_day.is_some() && word.ends_with('s') && !word.eq_ignore_ascii_case("overnight")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::tokenize::tokenize;

    fn parse(text: &str) -> Vec<(String, Partial)> {
        let lex = crate::engine::english();
        let mut toks = Vec::new();
        tokenize(text, 0, text.len(), lex, &mut toks);
        let mut out = Vec::new();
        find_all(&toks, text, lex, &mut out);
        out.into_iter()
            .map(|m| {
                (
                    text[toks[m.start].start..toks[m.end - 1].end].to_string(),
                    m.partial,
                )
            })
            .collect()
    }

    #[test]
    fn weekday_with_date_is_one_expression() {
        let got = parse("on Tuesday, Oct. 14, 2014 in Paris");
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0, "Tuesday, Oct. 14, 2014");
    }

    /// `ROLES_GRAMMAR_IGNORES` lets the grammar skip words with only those
    /// roles; a rule that began testing one would silently never fire.
    #[test]
    fn the_roles_the_grammar_ignores_are_read_by_no_rule() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/engine/grammar");
        let whole_word = |text: &str, word: &str| {
            text.match_indices(word).any(|(at, _)| {
                let ident = |c: char| c.is_alphanumeric() || c == '_';
                !text[..at].ends_with(ident) && !text[at + word.len()..].starts_with(ident)
            })
        };
        for file in std::fs::read_dir(dir).expect("grammar sources") {
            let path = file.expect("grammar source").path();
            let mut text = std::fs::read_to_string(&path).expect("readable source");
            // The list itself names them.
            if let Some(at) = text.find("const ROLES_GRAMMAR_IGNORES") {
                let end = at + text[at..].find("];").expect("end of the list");
                text.replace_range(at..end, "");
            }
            for role in ROLES_GRAMMAR_IGNORES {
                let name = format!("{role:?}");
                assert!(!whole_word(&text, &name), "{} reads {name}", path.display());
            }
        }
    }

    #[test]
    fn words_kept_for_later_stages_do_not_start_expressions() {
        // "the plan", "a deadline": cue words of the events stage.
        assert!(parse("They said the plan and a deadline would change.").is_empty());
        assert_eq!(parse("the near future")[0].0, "the near future");
        assert_eq!(parse("a week later")[0].0, "a week later");
    }

    #[test]
    fn modal_may_is_not_a_month() {
        assert!(parse("Officials may decide later.").is_empty());
        assert_eq!(parse("in May")[0].0, "May");
    }
}
