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
mod starts;
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
pub use starts::rules_starting_at;
use starts::Starts;

type Parsed = Option<(usize, Partial)>;

/// Finds every expression in a block of tokens, left to right.
pub fn find_all(toks: &[Token], text: &str, lex: &Lexicon, out: &mut Vec<Match>) {
    find_with(toks, text, lex, out, true);
}

/// [`find_all`], skipping (`skip_dead_starts`) the numbers and words no
/// rule can start at for what follows them, or not: the tests hold the two
/// to the same results.
fn find_with(
    toks: &[Token],
    text: &str,
    lex: &Lexicon,
    out: &mut Vec<Match>,
    skip_dead_starts: bool,
) {
    let g = Grammar { toks, text, lex };
    let mut i = 0;
    while i < toks.len() {
        let mut starts = g.starts(i);
        if skip_dead_starts
            && starts != Starts::NONE
            && (g.numeral_end(i) || g.leads_into_unknown(i) || g.homograph_into_unknown(i))
        {
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
    /// every rule reads from the numeral's head, the head itself before a
    /// word no rule reads ("2,050 students"), or a number of up to three
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
        // The head of "2,050 students" or "18.5 percent": the numeral ends
        // before a word no rule reads. Dotted times need "a.m." or "p.m."
        // (words rules read) or, on the 24-hour clock, a date before them
        // ("Nov. 3, at 18.00 sharp"): those on five-minute marks are tried;
        // dotted dates need a second period, lengths a unit.
        let head = digits <= 3
            && !self.on_five_minutes(i)
            && self.attached(i + 1)
            && (self.punct(i + 1, ',') || self.punct(i + 1, '.'))
            && self.number(i + 2).is_some()
            && self.attached(i + 2)
            && self.tok(i + 3).is_some_and(|n| {
                n.kind == Kind::Word
                    && n.space_before
                    && n.end - n.start > 1
                    && self.unknown_word(i + 3)
            });
        tail || closed || head
    }

    /// A word that only leads into an expression ([`Starts::LEADS`]:
    /// "that", "more", "first") before a word no rule reads ("that
    /// meeting", "first time"). About a fifth of the failed tries in news
    /// text were at these.
    fn leads_into_unknown(&self, i: usize) -> bool {
        self.entry(i)
            .is_some_and(|e| Starts(e.rule_bits).has(Starts::LEADS))
            && self.unknown_word(i + 1)
    }

    /// A month name that is also an everyday word, written in lower case,
    /// before a word no rule reads: "may cost", "march ahead". Its month
    /// reads alone only capitalized, and with a day or year only with
    /// them next; news has the modal "may" in most paragraphs.
    fn homograph_into_unknown(&self, i: usize) -> bool {
        self.tok(i)
            .is_some_and(|t| !t.capital && t.entry.is_some_and(|e| e.ambiguous_month))
            && self.unknown_word(i + 1)
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
                Some(e) => Starts(e.rule_bits & !Starts::NOT_RULES.0),
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
