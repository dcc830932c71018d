//! The kind of a prose event: a deadline by its cue words ("by", "due",
//! "must be received", "applications close"), a meeting by its own, else
//! scheduled or past by whether the date lies ahead; a state that began
//! ("since", "the strike began") is ongoing. Every word list is in the
//! `[events]` table of `data/en.toml`.

use chrono::NaiveDateTime;

use super::build::{role, word};
use crate::engine::lexicon::{Entry, Lexicon, Role};
use crate::engine::tense::Tense;
use crate::engine::tokenize::Token;
use crate::events::{Kind, When};

#[allow(clippy::too_many_arguments)]
pub(super) fn kind_of(
    toks: &[Token],
    text: &str,
    s: usize,
    e: usize,
    a: usize,
    when: &When,
    hint: Option<Kind>,
    dct: NaiveDateTime,
    tense: Option<Tense>,
) -> Kind {
    if let Some(k) = hint {
        return k;
    }
    let ahead = when.start().is_some_and(|st| st.date() > dct.date())
        || (when.start().is_some_and(|st| st.date() == dct.date()) && tense != Some(Tense::Past));
    // "by Friday", "until Friday", "no later than": the word right before.
    // "remains closed until April 3": a state ends then, nothing is due.
    let state_ends = (s..a).any(|k| role(&toks[k], Role::StateWord));
    let prep_deadline = a > s && !state_ends && {
        let p = &toks[a - 1];
        role(p, Role::DeadlineCue)
            && (role(p, Role::AttachingPreposition) || word(text, p).eq_ignore_ascii_case("than"))
    };
    // A cue that can also attach a date ("due May 29") still cues when
    // another preposition attaches it ("due on May 29").
    let cue_deadline = (s..e).any(|k| {
        role(&toks[k], Role::DeadlineCue)
            && (!role(&toks[k], Role::AttachingPreposition)
                || toks
                    .get(k + 1)
                    .is_some_and(|n| role(n, Role::AttachingPreposition)))
            && !word(text, &toks[k]).eq_ignore_ascii_case("later")
    });
    // "Applications close", "early registration ends": a closing verb with
    // a word of what is due, and nothing that starts ("projects start on
    // 1 March and must end…").
    let closing = closes_what_is_due((s..e).map(|k| toks[k].entry));
    if ahead && (prep_deadline || cue_deadline || closing) {
        return Kind::Deadline;
    }
    let meeting = (s..e).any(|k| role(&toks[k], Role::MeetingCue));
    if ahead && meeting {
        return Kind::Meeting;
    }
    // "idle since Jan. 9", "has been on strike since Monday": a state
    // that began then and still holds.
    let since = a > s && word(text, &toks[a - 1]).eq_ignore_ascii_case("since");
    // "the strike began on Nov. 2": a recent start whose state goes on; a
    // start years ago is history.
    let recent = when
        .start()
        .is_some_and(|st| (dct.date() - st.date()).num_days() <= 365);
    let onset = recent && (s..e).any(|k| role(&toks[k], Role::OnsetVerb));
    if ahead {
        Kind::Scheduled
    } else if since || onset {
        Kind::Ongoing
    } else {
        Kind::Past
    }
}

/// A title with a closing verb and a word of what is due, and nothing
/// that starts: "Applications close", "Early registration ends".
pub(super) fn closing_title(title: &str, lex: &Lexicon) -> bool {
    closes_what_is_due(title.split_whitespace().map(|w| lex.get(&w.to_lowercase())))
}

/// Whether words (their table entries) hold a closing verb, a word of what
/// is due other than that verb, and no word of a start.
fn closes_what_is_due<'e>(words: impl Iterator<Item = Option<&'e Entry>> + Clone) -> bool {
    let any = |test: fn(&Entry) -> bool| words.clone().flatten().any(test);
    any(|e| e.has(Role::Closing))
        && any(|e| e.has(Role::RowDeadline) && !e.has(Role::Closing))
        && !any(|e| e.has(Role::RowStart))
}
