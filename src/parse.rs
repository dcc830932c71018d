//! The grammar: turns classified tokens into [`Partial`] values.
//!
//! Each rule is a small function that tries to read one shape of expression
//! starting at a token and returns where it ended and what it stated. At a
//! candidate token every rule is tried and the longest reading wins; the
//! scan then continues after it, so the text is read once, left to right.

use crate::lexicon::{Entry, Lexicon, Phrase, Role};
use crate::partial::{
    Anchor, CalendarDate, Clock, Mod, PartOfDay, Partial, Placement, RefKind, SetSpec, Unit, What,
    YearPart,
};
use crate::tokenize::{Kind, Token};

/// One recognized expression: tokens `start..end` and what they stated.
#[derive(Clone, Debug)]
pub struct Match {
    pub start: usize,
    pub end: usize,
    pub partial: Partial,
}

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
pub struct Starts(u32);

impl Starts {
    pub const NONE: Starts = Starts(0);
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

    /// The rules of [`Grammar::day_expression`] that can match on their
    /// own ("14 October" only extends one of their readings).
    const DAY_EXPRESSION: Starts = Starts(
        Self::WEEKDAY_DATE.0
            | Self::MONTH_DATE.0
            | Self::DEICTIC.0
            | Self::RELATIVE.0
            | Self::NUMERIC_DATE.0,
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
            | Self::SET.0,
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
/// test of its first token (see [`Starts`]). A rule added here or a new
/// first-token test in one must be reflected in this table.
pub(crate) fn word_starts(word: &[u8], e: &Entry) -> Starts {
    use Role::*;
    let unit = e.unit;
    let mut s = Starts::NONE;
    // "noon", "midnight"
    s.add(e.clock_hour.is_some(), Starts::CLOCK);
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
                | Starts::MODIFIED.0,
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
    // "fourteenth of May", "the nineteenth century", "third quarter"
    s.add(
        e.ordinal.is_some(),
        Starts(Starts::DAY_MONTH.0 | Starts::CENTURY.0 | Starts::QUARTER.0),
    );
    // "fiscal 1989", "fiscal third quarter"
    s.add(e.has(Fiscal), Starts(Starts::YEAR.0 | Starts::QUARTER.0));
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
    s.add(
        e.has(Article) || e.has(Few),
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

/// Finds every expression in a block of tokens, left to right.
pub fn find_all(toks: &[Token], text: &str, lex: &Lexicon, out: &mut Vec<Match>) {
    let g = Grammar { toks, text, lex };
    let mut i = 0;
    while i < toks.len() {
        let starts = g.starts(i);
        if starts != Starts::NONE {
            if let Some((end, partial)) = g.at(i, starts) {
                out.push(Match {
                    start: i,
                    end,
                    partial,
                });
                i = end;
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
            Kind::Number => Starts::NUMBER,
            Kind::Word => t.entry.map_or(Starts::NONE, |e| e.starts),
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
            let ok =
                p.words.iter().enumerate().all(|(k, w)| {
                    self.is_word(i + k) && self.word_text(i + k).eq_ignore_ascii_case(w)
                });
            ok.then(|| (i + p.words.len(), p.value))
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
        let (j, modifier, phrase) = if let Some((j, m)) = self.phrase(i, &self.lex.phrase_modifiers)
        {
            (j, m, true)
        } else if let Some(m) = self.entry(i).and_then(|e| e.modifier) {
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
            // "the end of the month", "the end of the week": this one.
            let unit = self.singular_unit(j + 1)?;
            (phrase && modifier.is_edge() && self.role(j, Role::The) && !unit.is_clock())
                .then(|| (j + 2, Partial::relative(unit, 0, Anchor::Reference)))
        });
        let (end, mut p) = core?;
        let fits = match p.what {
            What::Duration(_) => !modifier.is_edge(),
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
        best
    }

    // ---------------------------------------------------------------- dates

    /// The date rules that can start at `i`, in order of precedence.
    fn date(&self, i: usize, s: Starts) -> Parsed {
        let mut best = None;
        for (rule, read) in [
            (
                Starts::WEEKDAY_DATE,
                Self::weekday_date as fn(&Self, usize) -> Parsed,
            ),
            (Starts::MONTH_DATE, Self::month_date),
            (Starts::DAY_MONTH, Self::day_month),
            (Starts::THE_ORDINAL_DAY, Self::the_ordinal_day),
            (Starts::NUMERIC_DATE, Self::numeric_date),
            (Starts::YEAR, Self::year),
            (Starts::DECADE, Self::decade),
            (Starts::CENTURY, Self::century),
            (Starts::SEASON, Self::season),
            (Starts::QUARTER, Self::quarter),
            (Starts::RELATIVE, Self::relative),
            (Starts::DEICTIC, Self::deictic),
            (Starts::ANAPHORIC, Self::anaphoric),
            (Starts::WEEKEND, Self::weekend),
            (Starts::PERIOD_END, Self::period_end),
            (Starts::YEAR_AGO_ALONE, Self::year_ago_alone),
        ] {
            if s.has(rule) {
                keep(&mut best, read(self, i));
            }
        }
        best
    }

    /// A weekday, alone or with its date: "Tuesday", "Tuesday, Oct. 14".
    fn weekday_date(&self, i: usize) -> Parsed {
        let weekday = self.weekday_at(i)?;
        let mut j = self.skip_period_if_abbrev(i);
        let after = self.skip_comma(j);
        if let Some((
            end,
            Partial {
                what: What::Calendar(mut d, pl),
                ..
            },
        )) = self
            .month_date(after)
            .or_else(|| self.day_month(after))
            .or_else(|| self.the_ordinal_day(after))
            .or_else(|| self.numeric_date(after))
        {
            d.weekday = Some(weekday);
            return Some((end, Partial::calendar(d, pl)));
        }
        // "Sunday Times": a capitalized word glued to the weekday makes a name.
        if let Some(next) = self.tok(j) {
            let temporal = next.entry.is_some_and(|e| e.is_temporal());
            if next.kind == Kind::Word && next.capital && !temporal && j == i + 1 {
                let prev_is_prep = i > 0 && self.role(i - 1, Role::DatePreposition);
                if !prev_is_prep {
                    return None;
                }
            }
        }
        if j > i + 1 && !self.tok(i).is_some_and(|t| t.capital) {
            j = i + 1;
        }
        let d = CalendarDate {
            weekday: Some(weekday),
            ..CalendarDate::default()
        };
        Some((j, Partial::calendar(d, Placement::Tense)))
    }

    fn weekday_at(&self, i: usize) -> Option<u8> {
        let t = self.tok(i)?;
        let day = t.entry?.weekday?;
        let full_len =
            self.word_text(i).len() > 4 || self.word_text(i).eq_ignore_ascii_case("tues");
        // Abbreviations ("Wed", "Sat", "Sun") are words too: need a capital and a period.
        if !(full_len || t.capital && self.punct(i + 1, '.') && self.attached(i + 1)) {
            return None;
        }
        Some(day)
    }

    /// "October 14, 2014", "Oct. 14", "October 2014", "October".
    fn month_date(&self, i: usize) -> Parsed {
        let t = self.tok(i)?;
        let e = t.entry?;
        let month = e.month?;
        let mut j = i + 1;
        let has_period = self.punct(j, '.') && self.attached(j);
        if has_period {
            j += 1;
        }
        let mut d = CalendarDate {
            month: Some(month),
            ..CalendarDate::default()
        };
        if let Some((day, after_day)) = self.day_number(j) {
            d.day = Some(day);
            let mut k = after_day;
            let after_comma = self.skip_comma(k);
            if let Some(year) = self.year_number(after_comma) {
                d.year = Some(year);
                k = after_comma + 1;
            }
            if !valid_day(d.year, month, day) {
                return None;
            }
            let pl = if d.year.is_some() {
                Placement::This
            } else {
                Placement::Tense
            };
            return Some((k, Partial::calendar(d, pl)));
        }
        if e.month_abbrev && !has_period && self.year_number(j).is_none() {
            return None;
        }
        let after = if self.role(j, Role::Of) {
            j + 1
        } else {
            self.skip_comma(j)
        };
        if let Some(year) = self.year_number(after) {
            d.year = Some(year);
            return Some((after + 1, Partial::calendar(d, Placement::This)));
        }
        // A bare month name: capitalized, and the everyday homographs
        // ("may", "march") only after a word that introduces dates.
        if !t.capital {
            return None;
        }
        if e.ambiguous_month || e.month_abbrev {
            let prev_ok = i > 0
                && (self.role(i - 1, Role::DatePreposition)
                    || self.entry(i - 1).is_some_and(|p| p.modifier.is_some())
                    || (self.punct(i - 1, '-')
                        && i > 1
                        && self.entry(i - 2).is_some_and(|p| p.modifier.is_some())));
            if !prev_ok {
                return None;
            }
            // "may" after "in" can still be the modal: "in May" needs the capital (checked).
        }
        let end = if e.month_abbrev { j } else { i + 1 };
        Some((end, Partial::calendar(d, Placement::Tense)))
    }

    /// A day of the month: "14", "14th", "fourteenth".
    fn day_number(&self, i: usize) -> Option<(u8, usize)> {
        let t = self.tok(i)?;
        if let Some((v, digits)) = self.number(i) {
            if digits > 2 || !(1..=31).contains(&v) {
                return None;
            }
            // "14th"
            let mut end = i + 1;
            if self.attached(i + 1) && self.is_word(i + 1) {
                let suffix = self.word_text(i + 1).to_ascii_lowercase();
                if matches!(suffix.as_str(), "st" | "nd" | "rd" | "th") {
                    end = i + 2;
                } else {
                    return None;
                }
            } else if !self.standalone_number(i) {
                return None;
            }
            // "May 3:30", "Oct. 14-15" ranges keep only the first day.
            if self.punct(end, ':') && self.attached(end) && self.number(end + 1).is_some() {
                return None;
            }
            return Some((v as u8, end));
        }
        let n = t.entry?.ordinal?;
        (1..=31).contains(&n).then_some((n as u8, i + 1))
    }

    /// A four-digit year standing alone.
    fn year_number(&self, i: usize) -> Option<i32> {
        let (v, digits) = self.number(i)?;
        if digits != 4 || !(1000..=2999).contains(&v) || !self.standalone_number(i) {
            return None;
        }
        Some(v as i32)
    }

    /// "14 October 2014", "14th of October".
    fn day_month(&self, i: usize) -> Parsed {
        let (day, mut j) = self.day_number(i)?;
        if self.role(j, Role::Of) {
            j += 1;
        }
        let e = self.entry(j)?;
        let month = e.month?;
        let mut k = self.skip_period(j + 1);
        if e.month_abbrev && k == j + 1 && self.year_number(k).is_none() {
            return None;
        }
        let mut d = CalendarDate {
            month: Some(month),
            day: Some(day),
            ..CalendarDate::default()
        };
        let after = self.skip_comma(k);
        if let Some(year) = self.year_number(after) {
            d.year = Some(year);
            k = after + 1;
        }
        if !valid_day(d.year, month, day) {
            return None;
        }
        let pl = if d.year.is_some() {
            Placement::This
        } else {
            Placement::Tense
        };
        Some((k, Partial::calendar(d, pl)))
    }

    /// "the 14th", when what follows shows it is a day and not "the 14th floor".
    fn the_ordinal_day(&self, i: usize) -> Parsed {
        if !self.role(i, Role::The) {
            return None;
        }
        let (day, j) = self.day_number(i + 1)?;
        // Digits need a suffix here: "the 14" is not a date.
        if self.number(i + 1).is_some() && j == i + 2 {
            return None;
        }
        if self.role(j, Role::Of) {
            if let Some((
                end,
                Partial {
                    what: What::Calendar(mut d, pl),
                    ..
                },
            )) = self.month_date(j + 1)
            {
                if d.day.is_none() {
                    d.day = Some(day);
                    if !valid_day(d.year, d.month.unwrap_or(1), day) {
                        return None;
                    }
                    return Some((end, Partial::calendar(d, pl)));
                }
            }
        }
        // "the first to", "the second of three": an ordinal word names a day
        // only with its month ("the first of May"); digits ("the 14th.") may
        // stand alone before punctuation or a function word.
        self.number(i + 1)?;
        let follower_ok = match self.tok(j) {
            None => true,
            Some(t) => t.kind == Kind::Punct || self.role(j, Role::OrdinalDayFollower),
        };
        if !follower_ok {
            return None;
        }
        let d = CalendarDate {
            day: Some(day),
            ..CalendarDate::default()
        };
        Some((j, Partial::calendar(d, Placement::Tense)))
    }

    /// "10/14/2014", "2014-10-14".
    fn numeric_date(&self, i: usize) -> Parsed {
        let (a, ad) = self.number(i)?;
        if i > 0
            && self.attached(i)
            && !self.toks[i - 1].is_punct('(')
            && self.toks[i - 1].kind != Kind::Word
        {
            return None;
        }
        let sep = self.tok(i + 1)?;
        if sep.space_before || !(sep.is_punct('/') || sep.is_punct('-')) {
            return None;
        }
        let c = sep.ch;
        let (b, bd) = self.number(i + 2).filter(|_| self.attached(i + 2))?;
        if !self.punct(i + 3, c) || !self.attached(i + 3) {
            // "on 11/3": month/day without a year, only after a preposition
            // that introduces dates, since "3/4" is more often a fraction.
            let prep = i > 0 && self.role(i - 1, Role::DatePreposition);
            let ends = !self
                .tok(i + 3)
                .is_some_and(|t| !t.space_before && !t.is_punct('.') && !t.is_punct(','));
            if c == '/'
                && prep
                && ends
                && ad <= 2
                && bd <= 2
                && (1..=12).contains(&a)
                && valid_day(None, a as u8, b as u8)
                && b >= 1
            {
                let d = CalendarDate {
                    month: Some(a as u8),
                    day: Some(b as u8),
                    ..CalendarDate::default()
                };
                return Some((i + 3, Partial::calendar(d, Placement::Tense)));
            }
            return None;
        }
        let (y3, yd) = self.number(i + 4).filter(|_| self.attached(i + 4))?;
        if self.tok(i + 5).is_some_and(|t| {
            !t.space_before && (t.kind == Kind::Number || t.is_punct(c) || t.kind == Kind::Word)
        }) {
            return None;
        }
        let (year, month, day) = if ad == 4 && bd <= 2 && yd <= 2 {
            (a as i32, b, y3)
        } else if ad <= 2 && bd <= 2 && (yd == 4 || yd == 2) && c == '/' {
            let year = if yd == 2 {
                // Two-digit years: the sliding window most software uses.
                if y3 < 50 {
                    2000 + y3 as i32
                } else {
                    1900 + y3 as i32
                }
            } else {
                y3 as i32
            };
            (year, a, b)
        } else {
            return None;
        };
        if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
            return None;
        }
        if !valid_day(Some(year), month as u8, day as u8) {
            return None;
        }
        let d = CalendarDate {
            year: Some(year),
            month: Some(month as u8),
            day: Some(day as u8),
            ..CalendarDate::default()
        };
        Some((i + 5, Partial::calendar(d, Placement::This)))
    }

    /// A year: "2014", "fiscal 1989".
    fn year(&self, i: usize) -> Parsed {
        let (fiscal, j) = if self.role(i, Role::Fiscal) {
            let j = if self.entry(i + 1).and_then(|e| e.unit) == Some(Unit::Year) {
                i + 2
            } else {
                i + 1
            };
            (true, j)
        } else {
            (false, i)
        };
        let year = self.year_number(j)?;
        // Outside 1900-2099 a bare four-digit number is more often a count.
        let prep = j > 0 && (self.role(j - 1, Role::DatePreposition) || fiscal);
        if !(1900..=2099).contains(&year) && !prep {
            return None;
        }
        // "2014 soldiers": a count of something, not a year.
        if let Some(next) = self.tok(j + 1) {
            if next.kind == Kind::Word && next.entry.and_then(|e| e.unit).is_some() {
                return None;
            }
        }
        let d = CalendarDate {
            year: Some(year),
            ..CalendarDate::default()
        };
        Some((j + 1, Partial::calendar(d, Placement::This)))
    }

    /// "the 1990s", "the '90s", "1990s".
    fn decade(&self, i: usize) -> Parsed {
        let j = if self.role(i, Role::The) { i + 1 } else { i };
        let apostrophe = self
            .tok(j)
            .is_some_and(|t| t.ch == '\'' || t.ch == '\u{2019}');
        let n = if apostrophe { j + 1 } else { j };
        let (v, digits) = self.number(n)?;
        if apostrophe && !self.attached(n) {
            return None;
        }
        if !(self.is_word(n + 1)
            && self.attached(n + 1)
            && self.word_text(n + 1).eq_ignore_ascii_case("s"))
        {
            return None;
        }
        let decade = match (apostrophe, digits) {
            (false, 4) if v % 10 == 0 => (v / 10) as i32,
            (true, 2) if v % 10 == 0 => {
                if v < 30 {
                    200 + (v / 10) as i32
                } else {
                    190 + (v / 10) as i32
                }
            }
            _ => return None,
        };
        Some((n + 2, Partial::new(What::Decade(decade))))
    }

    /// "the 20th century", "the nineteenth century".
    fn century(&self, i: usize) -> Parsed {
        let j = if self.role(i, Role::The) { i + 1 } else { i };
        let (n, k) = self.ordinal(j)?;
        if self.entry(k).and_then(|e| e.unit) != Some(Unit::Century)
            || self.entry(k).is_some_and(|e| e.plural)
        {
            return None;
        }
        if !(1..=30).contains(&n) {
            return None;
        }
        Some((k + 1, Partial::new(What::Century((n - 1) as i32))))
    }

    /// An ordinal: "third", "3rd".
    fn ordinal(&self, i: usize) -> Option<(i64, usize)> {
        if let Some((v, digits)) = self.number(i) {
            if digits <= 2 && self.attached(i + 1) && self.is_word(i + 1) {
                let suffix = self.word_text(i + 1).to_ascii_lowercase();
                if matches!(suffix.as_str(), "st" | "nd" | "rd" | "th") {
                    return Some((v as i64, i + 2));
                }
            }
            return None;
        }
        let n = self.entry(i)?.ordinal?;
        Some((n, i + 1))
    }

    /// "summer", "the spring of 1998", "summer 2015".
    fn season(&self, i: usize) -> Parsed {
        let the = self.role(i, Role::The);
        let j = if the { i + 1 } else { i };
        let season = self.entry(j)?.season?;
        let mut d = CalendarDate {
            part: Some(YearPart::Season(season)),
            ..CalendarDate::default()
        };
        let after = if self.role(j + 1, Role::Of) {
            j + 2
        } else {
            j + 1
        };
        if let Some(year) = self.year_number(after) {
            d.year = Some(year);
            return Some((after + 1, Partial::calendar(d, Placement::This)));
        }
        // "spring water", "summer camp": a season before a noun is a modifier.
        let prep = i > 0 && self.role(i - 1, Role::DatePreposition);
        if !(the || prep) || !self.ends_phrase(j + 1) {
            return None;
        }
        Some((j + 1, Partial::calendar(d, Placement::Tense)))
    }

    /// Whether token `i` can follow the end of a noun phrase (so the token
    /// before it is not a modifier of some noun).
    fn ends_phrase(&self, i: usize) -> bool {
        match self.tok(i) {
            None => true,
            Some(t) => match t.kind {
                Kind::Punct => true,
                Kind::Number => false,
                Kind::Word => {
                    t.entry.is_some_and(|e| {
                        e.has(Role::Of)
                            || e.has(Role::And)
                            || e.has(Role::Or)
                            || e.has(Role::To)
                            || e.has(Role::DatePreposition)
                            || e.has(Role::Be)
                            || e.has(Role::Future)
                            || e.has(Role::Past)
                    }) || (!t.capital && self.word_text(i).ends_with("ed"))
                }
            },
        }
    }

    /// "the third quarter", "third-quarter", "Q3 2014", "the first half of 2015",
    /// "the latest quarter", "the year-ago quarter".
    fn quarter(&self, i: usize) -> Parsed {
        let the = self.role(i, Role::The);
        let mut j = if the { i + 1 } else { i };
        // "the fiscal third quarter", "the comparable year-ago quarter"
        while self.role(j, Role::Fiscal) {
            j += 1;
        }
        let latest = self.role(j, Role::Latest);
        if latest {
            j += 1;
        }
        let year_ago = self.year_ago(j);
        if let Some(k) = year_ago {
            j = k;
        }
        while self.role(j, Role::Fiscal) {
            j += 1;
        }
        // "the 1988 second quarter", "next year's first quarter"
        let mut stated_year = None;
        let mut stated_offset = None;
        if the || latest {
            if let Some(y) = self.year_number(j) {
                stated_year = Some(y);
                j += 1;
            }
        }
        if let Some((offset, k)) = self.relative_year(j) {
            if self.is_word(k) && self.word_text(k).eq_ignore_ascii_case("'s") {
                stated_offset = Some(offset);
                j = k + 1;
            }
        }
        let (part, k) = if let Some((n, k)) = self.ordinal(j) {
            let k = if self.punct(k, '-') && self.attached(k) {
                k + 1
            } else {
                k
            };
            match self.entry(k).and_then(|e| e.unit) {
                Some(Unit::Quarter) if (1..=4).contains(&n) => {
                    (Some(YearPart::Quarter(n as u8)), k + 1)
                }
                _ if (1..=2).contains(&n) && self.role(k, Role::Half) => {
                    (Some(YearPart::Half(n as u8)), k + 1)
                }
                _ => return None,
            }
        } else if self.word_text(j).eq_ignore_ascii_case("q") && self.attached(j + 1) {
            let (n, _) = self.number(j + 1)?;
            if !(1..=4).contains(&n) {
                return None;
            }
            (Some(YearPart::Quarter(n as u8)), j + 2)
        } else if (the || latest || year_ago.is_some())
            && self.entry(j).and_then(|e| e.unit) == Some(Unit::Quarter)
            && !self.entry(j).is_some_and(|e| e.plural)
        {
            // "the quarter", "the latest quarter": the last one reported.
            let offset = if year_ago.is_some() { -5 } else { -1 };
            return Some((
                j + 1,
                Partial::relative(Unit::Quarter, offset, Anchor::Reference),
            ));
        } else {
            return None;
        };
        if year_ago.is_some() {
            let Some(YearPart::Quarter(_)) = part else {
                return None;
            };
        }
        let mut d = CalendarDate {
            part,
            year: stated_year,
            year_offset: stated_offset,
            ..CalendarDate::default()
        };
        if d.year.is_some() || d.year_offset.is_some() {
            return Some((k, Partial::calendar(d, Placement::This)));
        }
        let after = if self.role(k, Role::Of) { k + 1 } else { k };
        let mut end = k;
        if let Some((offset, e)) = self.relative_year(after).filter(|_| after > k) {
            d.year_offset = Some(offset);
            return Some((e, Partial::calendar(d, Placement::This)));
        }
        if let Some(year) = self.year_number(after).or_else(|| {
            // "fiscal 1989"
            (self.role(after, Role::Fiscal))
                .then(|| self.year_number(after + 1))
                .flatten()
        }) {
            d.year = Some(year);
            end = if self.role(after, Role::Fiscal) {
                after + 2
            } else {
                after + 1
            };
        }
        if d.year.is_none() && year_ago.is_some() {
            d.year_offset = Some(-1);
        }
        // Without a year, a quarter is one of the reference's year: reports
        // look back at it ("third-quarter loss") as often as ahead.
        Some((end, Partial::calendar(d, Placement::This)))
    }

    /// "next year", "last year", "this year", as the year of another expression.
    fn relative_year(&self, i: usize) -> Option<(i32, usize)> {
        let e = self.entry(i)?;
        let offset = if e.has(Role::Last) && !e.has(Role::SpanPast) {
            -1
        } else if e.has(Role::Next) {
            1
        } else if e.has(Role::This) {
            0
        } else {
            return None;
        };
        (self.singular_unit(i + 1) == Some(Unit::Year)).then_some((offset, i + 2))
    }

    /// "year-earlier", "year-ago" on their own: "a year-earlier loss".
    fn year_ago_alone(&self, i: usize) -> Parsed {
        let end = self.year_ago(i)?;
        Some((end, Partial::relative(Unit::Year, -1, Anchor::Narrative)))
    }

    /// "year-ago", "year-earlier": one word or three tokens.
    fn year_ago(&self, i: usize) -> Option<usize> {
        if self.role(i, Role::YearAgo) {
            return Some(i + 1);
        }
        let year = self.entry(i).and_then(|e| e.unit) == Some(Unit::Year);
        if year
            && self.punct(i + 1, '-')
            && self.attached(i + 1)
            && (self.role(i + 2, Role::Ago) || self.role(i + 2, Role::Earlier))
        {
            return Some(i + 3);
        }
        None
    }

    /// "last week", "this year", "next Tuesday", "last March", "the following day".
    fn relative(&self, i: usize) -> Parsed {
        let the = self.role(i, Role::The);
        let j = if the { i + 1 } else { i };
        let e = self.entry(j)?;
        // "this past week", "this coming year"
        let (dir, k) = if e.has(Role::This)
            && (self.role(j + 1, Role::Last) || self.role(j + 1, Role::Next))
        {
            (if self.role(j + 1, Role::Last) { -1 } else { 1 }, j + 2)
        } else if e.has(Role::Last) {
            (-1, j + 1)
        } else if e.has(Role::Next) || (the && e.has(Role::Following)) {
            (1, j + 1)
        } else if e.has(Role::This) && !the {
            (0, j + 1)
        } else {
            return None;
        };
        let target = self.entry(k)?;
        let anchor = if the {
            Anchor::Narrative
        } else {
            Anchor::Reference
        };
        let placement = match dir {
            -1 => Placement::Last,
            1 => Placement::Next,
            _ => Placement::This,
        };
        if let Some(unit) = target.unit {
            if target.plural || unit.is_clock() {
                return None;
            }
            // "the past year", "past decade": a span reaching up to now.
            if self.role(j, Role::SpanPast) || (the && dir == -1 && unit >= Unit::Decade) {
                return Some((k + 1, Partial::new(What::Duration(vec![(Some(1.0), unit)]))));
            }
            if unit == Unit::Weekend && the {
                return None;
            }
            // "the last week" of something is not "last week".
            if the && dir == -1 && !self.role(j, Role::Last) {
                return None;
            }
            return Some((k + 1, Partial::relative(unit, dir, anchor)));
        }
        if the {
            return None;
        }
        if let Some(weekday) = self.weekday_at(k) {
            let d = CalendarDate {
                weekday: Some(weekday),
                ..CalendarDate::default()
            };
            return Some((
                self.skip_period_if_abbrev(k),
                Partial::calendar(d, placement),
            ));
        }
        if let Some(month) = target.month {
            if !self.tok(k).is_some_and(|t| t.capital) || target.month_abbrev {
                return None;
            }
            let d = CalendarDate {
                month: Some(month),
                ..CalendarDate::default()
            };
            return Some((k + 1, Partial::calendar(d, placement)));
        }
        if let Some(season) = target.season {
            let d = CalendarDate {
                part: Some(YearPart::Season(season)),
                ..CalendarDate::default()
            };
            return Some((k + 1, Partial::calendar(d, placement)));
        }
        None
    }

    fn skip_period_if_abbrev(&self, k: usize) -> usize {
        if self.word_text(k).len() <= 4 {
            self.skip_period(k + 1)
        } else {
            k + 1
        }
    }

    /// "the weekend".
    fn weekend(&self, i: usize) -> Parsed {
        if !self.role(i, Role::The) || self.entry(i + 1).and_then(|e| e.unit) != Some(Unit::Weekend)
        {
            return None;
        }
        if self.entry(i + 1).is_some_and(|e| e.plural) {
            return None;
        }
        let d = CalendarDate {
            weekend: true,
            ..CalendarDate::default()
        };
        Some((i + 2, Partial::calendar(d, Placement::Tense)))
    }

    /// "today", "yesterday afternoon", "the day before yesterday".
    fn deictic(&self, i: usize) -> Parsed {
        // "the day before yesterday", "the day after tomorrow"
        if self.role(i, Role::The)
            && self.entry(i + 1).and_then(|e| e.unit) == Some(Unit::Day)
            && self.role(i + 2, Role::DayBefore)
        {
            if let Some((offset, _)) = self.entry(i + 3).and_then(|e| e.deictic) {
                if offset != 0 {
                    let before = self.word_text(i + 2).eq_ignore_ascii_case("before");
                    let total = i64::from(offset) + if before { -1 } else { 1 };
                    return Some((
                        i + 4,
                        Partial::relative(Unit::Day, total, Anchor::Reference),
                    ));
                }
            }
        }
        let (offset, part) = self.entry(i)?.deictic?;
        let mut p = Partial::relative(Unit::Day, i64::from(offset), Anchor::Reference);
        let mut end = i + 1;
        if let Some(part) = part {
            p.clock = Some(Clock::Part(part));
        } else if let Some(part) = self.entry(i + 1).and_then(|e| e.part_of_day) {
            if !self
                .entry(i + 1)
                .is_some_and(|e| e.plural_part(self.word_text(i + 1)))
            {
                p.clock = Some(Clock::Part(part));
                end = i + 2;
            }
        }
        Some((end, p))
    }

    /// "that day", "the same week", "the next day", "the day before".
    fn anaphoric(&self, i: usize) -> Parsed {
        // "that day", "that same day", "the same day"
        let mut j = i;
        let mut that = false;
        while self.role(j, Role::That)
            || (j == i && self.role(j, Role::The) && self.role(j + 1, Role::That))
        {
            that |= self.role(j, Role::That);
            j += 1;
        }
        if that {
            let unit = self.entry(j).and_then(|e| e.unit)?;
            if self.entry(j).is_some_and(|e| e.plural) || unit.is_clock() {
                return None;
            }
            if unit == Unit::Weekend {
                return None;
            }
            return Some((j + 1, Partial::relative(unit, 0, Anchor::Narrative)));
        }
        // "the day before", "the week after": only when nothing follows that
        // would make them prepositions ("the day before the vote").
        if self.role(i, Role::The) {
            let unit = self.entry(i + 1).and_then(|e| e.unit)?;
            if unit != Unit::Day && unit != Unit::Week && unit != Unit::Month && unit != Unit::Year
            {
                return None;
            }
            if self.role(i + 2, Role::DayBefore)
                && matches!(
                    self.tok(i + 3),
                    None | Some(Token {
                        kind: Kind::Punct,
                        ..
                    })
                )
            {
                let before = self.word_text(i + 2).eq_ignore_ascii_case("before");
                return Some((
                    i + 3,
                    Partial::relative(unit, if before { -1 } else { 1 }, Anchor::Narrative),
                ));
            }
        }
        None
    }

    // ---------------------------------------------------------------- times

    /// A date and a time together: "3 p.m. Tuesday", "Tuesday at 3 p.m.",
    /// "Tuesday morning", "this morning", "last night".
    fn date_with_time(&self, i: usize, s: Starts) -> Parsed {
        // time first
        let clock = if s.has(Starts::CLOCK) {
            self.clock(i)
        } else {
            None
        };
        if let Some((j, clock)) = clock {
            let mut k = self.skip_comma(j);
            if self.word_text(k).eq_ignore_ascii_case("on") {
                k += 1;
            }
            if let Some((end, mut p)) = self.day_expression(k) {
                if p.clock.is_none() {
                    p.clock = Some(clock);
                    return Some((end, p));
                }
            }
            let mut p = Partial::relative(Unit::Day, 0, Anchor::Narrative);
            p.clock = Some(clock);
            return Some((j, p));
        }
        // "this morning", "last night", "the next morning"
        if s.has(Starts::PART_OF_DAY_PHRASE) {
            if let Some(p) = self.part_of_day_phrase(i) {
                return Some(p);
            }
        }
        let (j, mut p) = self.day_expression(i)?;
        if p.clock.is_some() {
            return None;
        }
        // date then part of day: "Tuesday morning", "Wednesday night"
        if let Some(part) = self.entry(j).and_then(|e| e.part_of_day) {
            if !self
                .entry(j)
                .is_some_and(|e| e.plural_part(self.word_text(j)))
            {
                p.clock = Some(Clock::Part(part));
                return Some((j + 1, p));
            }
        }
        // date then time: "Tuesday at 3 p.m.", "Oct. 14, 15:30"
        let k = if self.role(j, Role::At) || self.punct(j, ',') {
            j + 1
        } else {
            j
        };
        let (end, clock) = self.clock(k)?;
        p.clock = Some(clock);
        Some((end, p))
    }

    /// An expression naming one day, to which a time can attach.
    fn day_expression(&self, i: usize) -> Parsed {
        let s = self.starts(i);
        if !s.has(Starts::DAY_EXPRESSION) {
            return None;
        }
        let mut best = None;
        for (rule, read) in [
            (
                Starts::WEEKDAY_DATE,
                Self::weekday_date as fn(&Self, usize) -> Parsed,
            ),
            (Starts::MONTH_DATE, Self::month_date),
            (Starts::DEICTIC, Self::deictic),
            (Starts::RELATIVE, Self::relative),
            (Starts::NUMERIC_DATE, Self::numeric_date),
        ] {
            if s.has(rule) {
                keep(&mut best, read(self, i));
            }
        }
        // "14 October" counts only as a longer reading of one of the above,
        // never on its own.
        best.as_ref()?;
        if s.has(Starts::DAY_MONTH) {
            keep(&mut best, self.day_month(i));
        }
        let (end, p) = best?;
        p.is_day().then_some((end, p))
    }

    /// "this morning", "last night", "the next morning", "tonight".
    fn part_of_day_phrase(&self, i: usize) -> Parsed {
        let e = self.entry(i)?;
        let (offset, anchor, j) = if e.has(Role::This) {
            (0, Anchor::Reference, i + 1)
        } else if e.has(Role::Last) && !e.has(Role::SpanPast) {
            (-1, Anchor::Reference, i + 1)
        } else if e.has(Role::The)
            && (self.role(i + 1, Role::Following) || self.role(i + 1, Role::Next))
        {
            (1, Anchor::Narrative, i + 2)
        } else {
            return None;
        };
        let part = self.entry(j)?.part_of_day?;
        if self
            .entry(j)
            .is_some_and(|e| e.plural_part(self.word_text(j)))
        {
            return None;
        }
        // "last night" is the night before; "last morning" is not said.
        if offset == -1 && part != PartOfDay::Night && part != PartOfDay::Evening {
            return None;
        }
        let mut p = Partial::relative(Unit::Day, offset, anchor);
        p.clock = Some(Clock::Part(part));
        Some((j + 1, p))
    }

    /// A clock time: "3 p.m.", "10:35 a.m. EST", "15:30", "noon", "10 o'clock".
    fn clock(&self, i: usize) -> Option<(usize, Clock)> {
        if let Some(hour) = self.entry(i).and_then(|e| e.clock_hour) {
            let (end, zone) = self.zone(i + 1);
            return Some((
                end,
                Clock::At {
                    hour,
                    minute: 0,
                    zone,
                },
            ));
        }
        let (h, hd) = self.number(i)?;
        if hd > 2 || h > 24 {
            return None;
        }
        if i > 0 && self.attached(i) && !self.toks[i - 1].is_punct('(') {
            return None;
        }
        let mut j = i + 1;
        let mut minute = 0u64;
        let mut colon = false;
        if self.punct(j, ':') && self.attached(j) {
            let (m, md) = self.number(j + 1).filter(|_| self.attached(j + 1))?;
            if md != 2 || m > 59 {
                return None;
            }
            minute = m;
            colon = true;
            j += 2;
            // "10:35:12": seconds are read and dropped.
            if self.punct(j, ':')
                && self.attached(j)
                && self.number(j + 1).is_some_and(|(_, d)| d == 2)
            {
                j += 2;
            }
        }
        let mut hour = h;
        if let Some((k, pm)) = self.am_pm(j) {
            if !(1..=12).contains(&h) {
                return None;
            }
            hour = match (pm, h) {
                (false, 12) => 0,
                (true, 12) => 12,
                (true, h) => h + 12,
                (false, h) => h,
            };
            j = k;
        } else if self.role(j, Role::OClock) {
            if h > 12 {
                return None;
            }
            j += 1;
        } else if self.role(j, Role::In) && self.role(j + 1, Role::The) && (1..=12).contains(&h) {
            // "4 in the morning"
            let part = self.entry(j + 2).and_then(|e| e.part_of_day)?;
            if part != PartOfDay::Morning && h != 12 {
                hour = h + 12;
            }
            return Some((
                j + 3,
                Clock::At {
                    hour: hour as u8,
                    minute: minute as u8,
                    zone: None,
                },
            ));
        } else if !colon
            || h > 23
            || self
                .tok(j)
                .is_some_and(|t| !t.space_before && t.kind != Kind::Punct)
        {
            return None;
        }
        let (end, zone) = self.zone(j);
        Some((
            end,
            Clock::At {
                hour: hour as u8,
                minute: minute as u8,
                zone,
            },
        ))
    }

    /// "a.m.", "p.m.", "am", "pm", "A.M": the index after it and whether it is p.m.
    fn am_pm(&self, i: usize) -> Option<(usize, bool)> {
        let e = self.entry(i)?;
        let pm = e.has(Role::Pm);
        if !pm && !e.has(Role::Am) {
            return None;
        }
        let text = self.word_text(i);
        if text.len() == 2 {
            // "am", "pm", "3pm"; a period after them ends the sentence.
            return Some((i + 1, pm));
        }
        // "a.m.", "p.m", "a. m."
        if self.punct(i + 1, '.') && self.role(i + 2, Role::M) {
            return Some((self.skip_period(i + 3), pm));
        }
        None
    }

    /// An optional time zone after a clock time ("EST", "GMT").
    fn zone(&self, i: usize) -> (usize, Option<i16>) {
        if let (Some(t), Some(z)) = (self.tok(i), self.entry(i).and_then(|e| e.zone)) {
            let word = self.word_text(i);
            if word.len() >= 2
                && word.bytes().all(|b| b.is_ascii_uppercase())
                && t.kind == Kind::Word
            {
                return (i + 1, Some(z));
            }
        }
        (i, None)
    }

    // ------------------------------------------------------------ durations

    /// "three hours", "seven months", "18-month", "the past two months",
    /// "half an hour", "a year and a half", "several weeks".
    fn duration(&self, i: usize) -> Parsed {
        let mut j = i;
        let mut spanned = false;
        if self.role(j, Role::The) {
            j += 1;
            if !(self.role(j, Role::RecentSpan)
                || self.role(j, Role::Latest)
                || self.entry(j).and_then(|e| e.number).is_some()
                || self.number(j).is_some()
                || self.role(j, Role::Few))
            {
                return None;
            }
        }
        if self.role(j, Role::RecentSpan) || (j > i && self.role(j, Role::Latest)) {
            j += 1;
            spanned = true;
        }
        // "half an hour", "a half hour"
        if self.role(j, Role::Half) && self.role(j + 1, Role::Article) {
            let unit = self.singular_unit(j + 2)?;
            return Some((j + 3, duration_of(0.5, unit)));
        }
        if self.role(j, Role::Article) && self.role(j + 1, Role::Half) {
            if let Some(unit) = self.singular_unit(j + 2) {
                return Some((j + 3, duration_of(0.5, unit)));
            }
        }
        let (amount, k) = self.amount(j, spanned)?;
        // "18-month", "two-year": a hyphenated adjective
        if self.punct(k, '-') && self.attached(k) && self.attached(k + 1) {
            // The compound takes the singular: "three-quarters" is a fraction.
            let unit = self.singular_unit(k + 1)?;
            let amount = amount?;
            if self.punct(k + 2, '-')
                && self.attached(k + 2)
                && self.word_text(k + 3).eq_ignore_ascii_case("old")
            {
                return None;
            }
            return Some((k + 2, duration_of(amount, unit)));
        }
        let e = self.entry(k)?;
        let unit = e.unit?;
        if unit == Unit::Weekend {
            return None;
        }
        // "a second", "one second time": "second" after an article is the ordinal.
        if unit == Unit::Second && !e.plural && amount != Some(1.0) {
            return None;
        }
        if unit == Unit::Second && !e.plural && self.number(j).is_none() {
            return None;
        }
        // "a year-earlier loss", "year-end": the unit is part of a compound.
        if self.punct(k + 1, '-')
            && self.attached(k + 1)
            && self.attached(k + 2)
            && self.is_word(k + 2)
        {
            return None;
        }
        let mut end = k + 1;
        let mut amount = amount;
        // "a year and a half", "two and a half years" (handled in amount)
        if self.role(end, Role::And)
            && self.role(end + 1, Role::Article)
            && self.role(end + 2, Role::Half)
        {
            amount = amount.map(|a| a + 0.5);
            end += 3;
        }
        let mut parts = vec![(amount, unit)];
        // "two hours and 30 minutes"
        if self.role(end, Role::And) {
            if let Some((a2, k2)) = self.amount(end + 1, false) {
                if let Some(u2) = self.entry(k2).and_then(|e| e.unit) {
                    if u2 < unit && a2.is_some() && amount.is_some() {
                        parts.push((a2, u2));
                        end = k2 + 1;
                    }
                }
            }
        }
        // "$5 a day", "twice a year" are rates, not lengths.
        if self.role(j, Role::Article)
            && i > 0
            && (self.number(i - 1).is_some()
                || self.role(i - 1, Role::Twice)
                || self.role(i - 1, Role::Times))
        {
            return None;
        }
        Some((end, Partial::new(What::Duration(parts))))
    }

    fn singular_unit(&self, i: usize) -> Option<Unit> {
        let e = self.entry(i)?;
        if e.plural {
            return None;
        }
        e.unit
    }

    /// A count before a unit: digits, number words, "a", "a few", "several",
    /// "two and a half". `None` inside is an unstated amount.
    fn amount(&self, i: usize, spanned: bool) -> Option<(Option<f64>, usize)> {
        if let Some((v, end)) = self.cardinal(i) {
            // "two and a half years"
            if self.role(end, Role::And)
                && self.role(end + 1, Role::Article)
                && self.role(end + 2, Role::Half)
            {
                return Some((Some(v + 0.5), end + 3));
            }
            return Some((Some(v), end));
        }
        if self.role(i, Role::Article) {
            if self.role(i + 1, Role::Few) {
                return Some((None, i + 2));
            }
            return Some((Some(1.0), i + 1));
        }
        if self.role(i, Role::Few) && self.entry(i + 1).is_some_and(|e| e.plural) {
            return Some((None, i + 1));
        }
        // "for years", "for hours"
        if i > 0
            && self.role(i - 1, Role::VagueLength)
            && self.entry(i).is_some_and(|e| e.plural && e.unit.is_some())
        {
            return Some((None, i));
        }
        // "the past year" has its own rule; here "the next days" etc.
        if spanned && self.entry(i).is_some_and(|e| e.plural && e.unit.is_some()) {
            return Some((None, i));
        }
        None
    }

    /// A cardinal number: "3", "1.5", "10,000", "twenty-five", "one hundred".
    fn cardinal(&self, i: usize) -> Option<(f64, usize)> {
        if let Some((v, _)) = self.number(i) {
            if i > 0
                && self.attached(i)
                && matches!(self.toks[i - 1].ch, '$' | '£' | '€' | '.' | ',' | '#')
            {
                return None;
            }
            let mut value = v as f64;
            let mut j = i + 1;
            // thousands groups "10,000"
            while self.punct(j, ',')
                && self.attached(j)
                && self.attached(j + 1)
                && self.number(j + 1).is_some_and(|(_, d)| d == 3)
            {
                value = value * 1000.0 + self.number(j + 1).map_or(0, |(v, _)| v) as f64;
                j += 2;
            }
            // "5 1/2"
            if self.number(j) == Some((1, 1))
                && self.punct(j + 1, '/')
                && self.attached(j + 1)
                && self.number(j + 2) == Some((2, 1))
                && self.attached(j + 2)
            {
                value += 0.5;
                j += 3;
            }
            // decimals "1.5"
            if self.punct(j, '.') && self.attached(j) && self.attached(j + 1) {
                if let Some((frac, d)) = self.number(j + 1) {
                    value += frac as f64 / 10f64.powi(i32::from(d));
                    j += 2;
                }
            }
            if self.attached(j) && self.is_word(j) && !self.punct(j, '-') {
                // "3pm", "14th": not a count
                return None;
            }
            return Some((value, j));
        }
        let mut total = self.entry(i)?.number? as f64;
        let mut j = i + 1;
        // "twenty-five", "twenty five", "one hundred"
        if (20.0..100.0).contains(&total) && (total as i64) % 10 == 0 {
            let k = if self.punct(j, '-') && self.attached(j) {
                j + 1
            } else {
                j
            };
            if let Some(n) = self.entry(k).and_then(|e| e.number) {
                if (1..10).contains(&n) {
                    total += n as f64;
                    j = k + 1;
                }
            }
        }
        if let Some(n) = self.entry(j).and_then(|e| e.number) {
            if n == 100 || n == 1000 {
                total *= n as f64;
                j += 1;
            }
        }
        // "7-Eleven": a number word glued to digits is a name.
        if i > 0
            && self.attached(i)
            && self.punct(i - 1, '-')
            && i > 1
            && self.number(i - 2).is_some()
        {
            return None;
        }
        Some((total, j))
    }

    // ----------------------------------------------------------------- sets

    /// "every Monday", "daily", "twice a month", "three times a week", "Mondays".
    fn set(&self, i: usize) -> Parsed {
        let e = self.entry(i);
        if let Some(unit) = e.and_then(|e| e.set_adverb) {
            // "the Daily Telegraph": a capitalized adverb before a name.
            let t = &self.toks[i];
            if t.capital
                && self
                    .tok(i + 1)
                    .is_some_and(|n| n.capital && n.kind == Kind::Word)
            {
                return None;
            }
            return Some((i + 1, set_of(unit)));
        }
        if let Some(weekday) = e.and_then(|e| e.weekday_plural) {
            let mut spec = SetSpec {
                weekday: Some(weekday),
                ..SetSpec::default()
            };
            let mut end = i + 1;
            if let Some(part) = self.entry(i + 1).and_then(|e| e.part_of_day) {
                spec.part_of_day = Some(part);
                end += 1;
            } else if self.role(end, Role::At) {
                if let Some((k, Clock::At { hour, minute, .. })) = self.clock(end + 1) {
                    spec.time = Some((hour, minute));
                    end = k;
                }
            }
            return Some((end, Partial::new(What::Set(spec))));
        }
        // "Tuesday nights"
        if let Some(weekday) = e.and_then(|e| e.weekday) {
            let part = self.entry(i + 1).and_then(|e| e.part_of_day)?;
            if !self
                .entry(i + 1)
                .is_some_and(|e| e.plural_part(self.word_text(i + 1)))
            {
                return None;
            }
            let spec = SetSpec {
                weekday: Some(weekday),
                part_of_day: Some(part),
                ..SetSpec::default()
            };
            return Some((i + 2, Partial::new(What::Set(spec))));
        }
        if e.is_some_and(|e| e.has(Role::Every)) && !self.word_text(i).eq_ignore_ascii_case("per") {
            let mut j = i + 1;
            let mut every = 1.0;
            if self.role(j, Role::More) {
                // "every other week"
                every = 2.0;
                j += 1;
            } else if let Some((n, k)) = self.cardinal(j) {
                every = n;
                j = k;
            }
            let target = self.entry(j)?;
            if let Some(unit) = target.unit {
                if every.fract() != 0.0 || !(1.0..=1e6).contains(&every) {
                    return None;
                }
                let spec = SetSpec {
                    count: every as u32,
                    unit: Some(unit),
                    ..SetSpec::default()
                };
                return Some((j + 1, Partial::new(What::Set(spec))));
            }
            if let Some(weekday) = self.weekday_at(j) {
                let spec = SetSpec {
                    weekday: Some(weekday),
                    part_of_day: self.entry(j + 1).and_then(|e| e.part_of_day),
                    ..SetSpec::default()
                };
                let end = if spec.part_of_day.is_some() {
                    j + 2
                } else {
                    j + 1
                };
                return Some((end, Partial::new(What::Set(spec))));
            }
            if let Some(month) = target.month {
                return Some((
                    j + 1,
                    Partial::new(What::Set(SetSpec {
                        month: Some(month),
                        ..SetSpec::default()
                    })),
                ));
            }
            if let Some(part) = target.part_of_day {
                return Some((
                    j + 1,
                    Partial::new(What::Set(SetSpec {
                        unit: Some(Unit::Day),
                        part_of_day: Some(part),
                        ..SetSpec::default()
                    })),
                ));
            }
            return None;
        }
        // "twice a month", "three times a week", "once a year"
        let j = if self.role(i, Role::Twice) {
            i + 1
        } else {
            let (_, k) = self.cardinal(i)?;
            if !self.role(k, Role::Times) {
                return None;
            }
            k + 1
        };
        if !(self.role(j, Role::Article) || self.word_text(j).eq_ignore_ascii_case("per")) {
            return None;
        }
        let unit = self.singular_unit(j + 1)?;
        Some((j + 2, set_of(unit)))
    }

    // ----------------------------------------------------------- references

    /// "now", "recently", "the future", "these days".
    fn reference(&self, i: usize) -> Parsed {
        if let Some((end, kind)) = self.phrase(i, &self.lex.phrase_references) {
            return Some((end, Partial::new(What::Ref(kind))));
        }
        let kind = self.entry(i)?.reference?;
        // "as soon as", "soon after": a conjunction, not a time.
        if kind == RefKind::Future
            && ((i > 0 && self.role(i - 1, Role::As)) || self.role(i + 1, Role::DayBefore))
        {
            return None;
        }
        // "current" and "recent" qualify a noun; they still refer to a time.
        Some((i + 1, Partial::new(What::Ref(kind))))
    }

    /// "three days ago", "two years earlier", "a week later", "in two weeks",
    /// "a few years ago".
    fn offset(&self, i: usize) -> Parsed {
        let (amount, j) = self.amount(i, false)?;
        let unit = self.entry(j)?.unit?;
        if unit == Unit::Weekend {
            return None;
        }
        let k = j + 1;
        let (sign, anchor, end) = if self.role(k, Role::Ago) {
            (-1, Anchor::Reference, k + 1)
        } else if self.role(k, Role::From)
            && self.entry(k + 1).and_then(|e| e.reference) == Some(RefKind::Present)
        {
            (1, Anchor::Reference, k + 2)
        } else if self.role(k, Role::Earlier) || self.role(k, Role::Later) {
            let word = self.word_text(k);
            // "before"/"after" are adverbs only at the end of a phrase.
            let preposition = self.role(k, Role::DayBefore)
                && !matches!(
                    self.tok(k + 1),
                    None | Some(Token {
                        kind: Kind::Punct,
                        ..
                    })
                );
            if preposition || word.eq_ignore_ascii_case("on") {
                return None;
            }
            let sign = if self.role(k, Role::Earlier) { -1 } else { 1 };
            (sign, Anchor::Narrative, k + 1)
        } else if i > 0
            && self.role(i - 1, Role::In)
            && !self.role(k, Role::Of)
            && amount.is_some()
            && !(i > 1 && (self.role(i - 2, Role::The) || self.role(i - 2, Role::SpanNoun)))
        {
            // "in two weeks": the preposition counts forward from now.
            (1, Anchor::Reference, k)
        } else {
            return None;
        };
        let Some(amount) = amount else {
            let p = Partial::new(What::VagueOffset {
                unit,
                past: sign < 0,
            });
            return Some((end, p));
        };
        if amount.fract() != 0.0 || amount > 1e7 {
            return None;
        }
        let mut p = Partial::relative(unit, sign * amount as i64, anchor);
        if unit.is_clock() {
            // "three hours ago" is a time, at the precision of the clock.
            p.clock = Some(Clock::At {
                hour: 0,
                minute: 0,
                zone: None,
            });
        }
        Some((end, p))
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
    use crate::tokenize::tokenize;

    fn parse(text: &str) -> Vec<(String, Partial)> {
        let lex = Lexicon::english();
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
    fn modal_may_is_not_a_month() {
        assert!(parse("Officials may decide later.").is_empty());
        assert_eq!(parse("in May")[0].0, "May");
    }
}
