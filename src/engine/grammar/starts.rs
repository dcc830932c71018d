//! Which rules can begin at a token: the bits [`Starts`] the grammar
//! consults before trying any rule, and how a word's bits are read off its
//! lexicon entry when the table loads.

use crate::engine::lexicon::{Entry, Role};
use crate::engine::partial::Unit;

/// The rules that can read an expression beginning at a token, one bit per
/// rule.
///
/// Most tokens of running text start nothing, and most cue words ("to",
/// "of", "said", "in") only matter next to an expression, so trying every
/// rule at every known word wastes most of the grammar's time. Each rule's
/// bit is set only for tokens its first test accepts: a rule whose bit is
/// clear would return `None` at once, so skipping it changes no result.
/// [`word_starts`] derives the bits of a word from its lexicon entry, once,
/// when the table loads; `Grammar::starts` adds digits and apostrophes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Starts(pub(super) u32);

impl Starts {
    pub(super) const NONE: Starts = Starts(0);
    pub(super) const CLOCK: Starts = Starts(1);
    pub(super) const PART_OF_DAY_PHRASE: Starts = Starts(1 << 1);
    pub(super) const WEEKDAY_DATE: Starts = Starts(1 << 2);
    pub(super) const MONTH_DATE: Starts = Starts(1 << 3);
    pub(super) const DAY_MONTH: Starts = Starts(1 << 4);
    pub(super) const THE_ORDINAL_DAY: Starts = Starts(1 << 5);
    pub(super) const NUMERIC_DATE: Starts = Starts(1 << 6);
    pub(super) const YEAR: Starts = Starts(1 << 7);
    pub(super) const DECADE: Starts = Starts(1 << 8);
    pub(super) const CENTURY: Starts = Starts(1 << 9);
    pub(super) const SEASON: Starts = Starts(1 << 10);
    pub(super) const QUARTER: Starts = Starts(1 << 11);
    pub(super) const RELATIVE: Starts = Starts(1 << 12);
    pub(super) const DEICTIC: Starts = Starts(1 << 13);
    pub(super) const ANAPHORIC: Starts = Starts(1 << 14);
    pub(super) const WEEKEND: Starts = Starts(1 << 15);
    pub(super) const PERIOD_END: Starts = Starts(1 << 16);
    pub(super) const YEAR_AGO_ALONE: Starts = Starts(1 << 17);
    pub(super) const OFFSET: Starts = Starts(1 << 18);
    pub(super) const DURATION: Starts = Starts(1 << 19);
    pub(super) const SET: Starts = Starts(1 << 20);
    pub(super) const REFERENCE: Starts = Starts(1 << 21);
    pub(super) const MODIFIED: Starts = Starts(1 << 22);
    pub(super) const HOLIDAY: Starts = Starts(1 << 23);
    pub(super) const COMPOUND: Starts = Starts(1 << 24);
    /// Not a rule: the grammar reads this word (see [`read_by_grammar`]).
    pub(super) const READ: Starts = Starts(1 << 25);
    /// Not a rule: every rule that can begin at this word reads the word
    /// after it as well ("that day", "more than", "first quarter"), so
    /// before a word no rule reads ("that meeting", "first time") none can
    /// match (see [`stands_alone`]).
    pub(super) const LEADS: Starts = Starts(1 << 26);
    /// The bits that name no rule.
    pub(super) const NOT_RULES: Starts = Starts(Self::READ.0 | Self::LEADS.0);

    /// The rules of [`Grammar::day_expression`] that can match on their
    /// own ("14 October" only extends one of their readings).
    pub(super) const DAY_EXPRESSION: Starts = Starts(
        Self::WEEKDAY_DATE.0
            | Self::MONTH_DATE.0
            | Self::DEICTIC.0
            | Self::RELATIVE.0
            | Self::NUMERIC_DATE.0
            | Self::HOLIDAY.0,
    );

    /// The rules of [`Grammar::date`].
    pub(super) const DATE: Starts = Starts(
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
    pub(super) const NUMBER: Starts = Starts(
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

    pub(super) fn has(self, rules: Starts) -> bool {
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
    s.add(
        s.0 & !Starts::READ.0 != 0 && !stands_alone(word, e),
        Starts::LEADS,
    );
    s
}

/// Whether the word names something a rule can read without the word
/// after it: a month, a day, a unit, a number, a time of day, a season, a
/// zone, a holiday named in one word. The rest ("that", "more", "first", "after") only lead
/// into an expression, whose next word the grammar then reads.
fn stands_alone(word: &[u8], e: &Entry) -> bool {
    e.month.is_some()
        || e.weekday.is_some()
        || e.weekday_plural.is_some()
        || e.deictic.is_some()
        || e.reference.is_some()
        || e.season.is_some()
        || e.set_adverb.is_some()
        || e.period_end.is_some()
        || e.clock_hour.is_some()
        || e.unit.is_some()
        || e.number.is_some()
        || e.part_of_day.is_some()
        || e.zone.is_some()
        || e.zone_name.is_some()
        || e.has(Role::HolidayWord)
        || word.first() == Some(&b'\'')
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
