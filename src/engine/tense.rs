//! Reads the tense of the clause around an expression from cue words.
//!
//! An underspecified date ("Tuesday", "Nov. 24") lies behind or ahead of the
//! reference date depending on its clause: "said Tuesday" looks back, "is to
//! meet on Wednesday" and "a Nov. 24 deadline looms" look ahead. The nearest
//! cue on either side wins; the scan stops at the sentence's edge.

use crate::engine::lexicon::{Lexicon, Role};
use crate::engine::tokenize::{Kind, Token};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tense {
    Past,
    Future,
}

/// How far from the expression a cue may stand, in tokens.
const BEHIND: usize = 14;
const AHEAD: usize = 12;

/// The tense of the clause holding tokens `start..end`, if a cue shows it.
pub fn clause_tense(
    toks: &[Token],
    text: &str,
    lex: &Lexicon,
    start: usize,
    end: usize,
) -> Option<Tense> {
    // "by Friday": a deadline, so ahead of the reference.
    if start > 0
        && toks[start - 1]
            .entry
            .is_some_and(|e| e.has(Role::DeadlinePreposition))
    {
        return Some(Tense::Future);
    }
    // "since Nov. 9": a state that began then, behind the reference.
    if start > 0
        && toks[start - 1]
            .entry
            .is_some_and(|e| e.has(Role::PastPreposition))
    {
        return Some(Tense::Past);
    }
    let mut behind = None;
    let mut k = start;
    while k > 0 && start - k < BEHIND {
        k -= 1;
        if ends_sentence(toks, k) {
            break;
        }
        if let Some(t) = cue(toks, text, lex, k) {
            // "who were holders of record on June 1 are eligible": the verb
            // of a relative clause governs the dates inside it.
            if k > 0
                && toks[k - 1]
                    .entry
                    .is_some_and(|e| e.has(Role::RelativePronoun))
            {
                return Some(t);
            }
            behind = Some((start - k, t));
            break;
        }
    }
    let mut ahead = None;
    let mut k = end;
    while k < toks.len() && k - end < AHEAD {
        if ends_sentence(toks, k) {
            break;
        }
        // "will be held on Nov. 5, and selected applicants…": a cue past a
        // comma or a relative pronoun belongs to the next clause; the
        // date's own clause, behind it, decides.
        if behind.is_some() && clause_break(&toks[k]) {
            break;
        }
        // "…on Tuesday, Castro said": a reporting verb after the date frames
        // the sentence and says nothing of the event's time.
        let reporting = toks[k].entry.is_some_and(|e| e.has(Role::Reporting));
        if !reporting {
            if let Some(t) = cue(toks, text, lex, k) {
                ahead = Some((k + 1 - end, t));
                break;
            }
        }
        k += 1;
    }
    match (behind, ahead) {
        (Some((db, tb)), Some((da, ta))) => Some(if da < db { ta } else { tb }),
        (Some((_, t)), None) | (None, Some((_, t))) => Some(t),
        (None, None) => None,
    }
}

fn clause_break(t: &Token) -> bool {
    match t.kind {
        Kind::Punct => matches!(t.ch, ',' | ':' | '(' | '—' | '–'),
        Kind::Word => t.entry.is_some_and(|e| e.has(Role::RelativePronoun)),
        Kind::Number => false,
    }
}

fn cue(toks: &[Token], text: &str, lex: &Lexicon, k: usize) -> Option<Tense> {
    let t = &toks[k];
    if t.kind != Kind::Word {
        return None;
    }
    let word = &text[t.start..t.end];
    if let Some(e) = t.entry {
        if e.has(Role::Future) {
            return Some(Tense::Future);
        }
        // "is to meet": a form of "be" right before "to".
        // "is to meet", "is set to begin", "are likely to vote".
        if e.has(Role::Be) {
            let is_to = |j: usize| {
                toks.get(j).is_some_and(|n| {
                    n.kind == Kind::Word && text[n.start..n.end].eq_ignore_ascii_case("to")
                })
            };
            let adjective = toks
                .get(k + 1)
                .is_some_and(|n| n.kind == Kind::Word && n.entry.is_none_or(|e| !e.has(Role::Be)));
            if is_to(k + 1) || (adjective && !e.has(Role::Past) && is_to(k + 2)) {
                return Some(Tense::Future);
            }
        }
        // "would be held": a participle after "be" is passive, not past.
        let passive = k > 0 && toks[k - 1].entry.is_some_and(|e| e.has(Role::Passive));
        if e.has(Role::Past) && !passive {
            return Some(Tense::Past);
        }
        if e.has(Role::NotPast) {
            return None;
        }
    }
    // "he'll": the contraction carries the tense.
    // Tested byte by byte: every word near a date comes here. A word holds
    // only ASCII letters and apostrophes, so 0xE2 can only begin U+2019.
    if let Some(pos) = word
        .bytes()
        .position(|b| b == b'\'' || b == 0xE2)
        .filter(|&p| word[p..].starts_with(['\'', '\u{2019}']))
    {
        let suffix_future = lex.get(&word[pos..]).is_some_and(|e| e.has(Role::Future));
        if suffix_future {
            return Some(Tense::Future);
        }
    }
    // Regular past tense: "exploded", "announced"; not the passive "will be signed".
    let passive = k > 0 && toks[k - 1].entry.is_some_and(|e| e.has(Role::Passive));
    if word.len() > 4 && word.ends_with("ed") && !passive {
        return Some(Tense::Past);
    }
    None
}

/// Whether token `k` ends a sentence: ! ? ; or a period that does not close
/// an abbreviation ("Oct.", "Mr.", "U.S.").
pub fn ends_sentence(toks: &[Token], k: usize) -> bool {
    let t = &toks[k];
    if t.paragraph && k > 0 {
        return true;
    }
    if t.kind != Kind::Punct {
        return false;
    }
    match t.ch {
        '!' | '?' | ';' => true,
        '.' => {
            if k == 0 {
                return true;
            }
            let prev = &toks[k - 1];
            // "$2.7 million", "version 2.6.1", "example.com": a period with
            // a word or number right after it, no space, is inside a token.
            if toks
                .get(k + 1)
                .is_some_and(|n| n.start == t.end && n.kind != Kind::Punct)
            {
                return false;
            }
            let glued_to_number =
                k > 1 && toks[k - 2].kind == Kind::Number && prev.start == toks[k - 2].end;
            // "Inc.", "Dr.", "Oct." abbreviate; a full month name ("in May.")
            // ends its sentence.
            let full_month = prev
                .entry
                .is_some_and(|e| e.month.is_some() && !e.month_abbrev);
            let abbreviation = !glued_to_number
                && prev.kind == Kind::Word
                && prev.capital
                && !full_month
                && (prev.end - prev.start <= 3 || prev.entry.is_some_and(|e| e.month_abbrev));
            // "J. Smith", but not "Room 4B."
            let initial = prev.kind == Kind::Word && prev.end - prev.start == 1 && !glued_to_number;
            !(abbreviation || initial)
        }
        _ => false,
    }
}
