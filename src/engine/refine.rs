//! Refiners: second looks at what the grammar found, with more context.
//!
//! The grammar reads each expression on its own; a refiner sees the matches
//! of a whole block with their neighbours and drops those that context shows
//! are not times: a weekday inside a name ("Sunday Times"), a year that
//! counts something ("2014 soldiers"), an age ("a 10-year-old").

use crate::engine::grammar::Match;
use crate::engine::lexicon::Role;
use crate::engine::partial::What;
use crate::engine::tokenize::{Kind, Token};

/// Drops matches that their neighbours show are not temporal.
pub fn refine(matches: &mut Vec<Match>, toks: &[Token], text: &str) {
    matches
        .retain(|m| !inside_name(m, toks) && !counts_something(m, toks, text) && !is_age(m, toks));
}

/// A lone capitalized temporal word between capitalized words that are not
/// temporal and not sentence starts: "the Sunday Times", "Tuesday Group".
fn inside_name(m: &Match, toks: &[Token]) -> bool {
    if m.end - m.start != 1 {
        return false;
    }
    let t = &toks[m.start];
    if t.kind != Kind::Word || !t.capital {
        return false;
    }
    let name_word = |k: usize| {
        toks.get(k).is_some_and(|n| {
            n.kind == Kind::Word
                && n.capital
                && !n.entry.is_some_and(|e| e.is_temporal())
                && n.space_before
                && !n.paragraph
        })
    };
    let weekday_like = t
        .entry
        .is_some_and(|e| e.weekday.is_some() || e.season.is_some());
    weekday_like && name_word(m.end) && m.start > 0 && {
        let p = &toks[m.start - 1];
        // "The Sunday Times": a capitalized article or name before it.
        p.kind == Kind::Word && p.capital
    }
}

/// A bare year followed by a plural noun that it counts: "2014 soldiers"
/// (but "a 2012 audit found" dates the audit).
fn counts_something(m: &Match, toks: &[Token], text: &str) -> bool {
    let What::Calendar(d, _) = &m.partial.what else {
        return false;
    };
    if d.year.is_none() || d.month.is_some() || d.part.is_some() || m.end - m.start != 1 {
        return false;
    }
    let Some(next) = toks.get(m.end) else {
        return false;
    };
    next.kind == Kind::Word
        && !next.capital
        && next.entry.is_none()
        && next.end - next.start > 3
        && text[next.start..next.end].ends_with('s')
        && toks.get(m.end + 1).is_some_and(|after| {
            after.kind == Kind::Word
                && after
                    .entry
                    .is_some_and(|e| e.has(Role::Be) || e.has(Role::Past))
        })
}

/// "a 10-year-old", "the two-year-old filly": ages are not durations here.
fn is_age(m: &Match, toks: &[Token]) -> bool {
    if !matches!(m.partial.what, What::Duration(_)) {
        return false;
    }
    let (Some(dash), Some(word)) = (toks.get(m.end), toks.get(m.end + 1)) else {
        return false;
    };
    dash.ch == '-'
        && !dash.space_before
        && !word.space_before
        && word.entry.is_some_and(|e| e.has(Role::Age))
}
