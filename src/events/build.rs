//! From timexes to events: what happens, when, where, and of what kind.
//!
//! For each timex that dates something, the builder finds its clause in the
//! sentence (splitting at punctuation, clause openers and relative
//! pronouns, and borrowing a subject from the clause before when the
//! timex's own clause has none), then writes a headline-style title from it:
//! the date and its preposition, the place phrase, the reporting frame
//! ("officials said") and auxiliaries are left out, "is to"/"will" become
//! "to". The place is the capitalized phrase after "in"/"at"; the kind comes
//! from cue words (deadline, meeting) and from whether the date is ahead.
//! Every word list involved lives in the `[events]` table of `data/en.toml`.

use chrono::NaiveDateTime;

use super::kind::{closing_title, kind_of};
use super::prose::ProseEvents;
use super::title::title_from;
use super::when::when_of;
use crate::engine::lexicon::Role;
use crate::engine::partial::TimexType;
use crate::engine::tense::{clause_tense, ends_sentence};
use crate::engine::timex::Timex;
use crate::engine::tokenize::{Kind as TokKind, Token};
use crate::events::{Event, Kind, Source};

/// How far a sentence reaches on each side of its timex, in tokens.
const MAX_SENTENCE: usize = 120;

/// Builds the events of one document from its timexes.
pub fn events_from(
    text: &str,
    dct: NaiveDateTime,
    timexes: &[Timex],
    file: &str,
    added: NaiveDateTime,
) -> Vec<Event> {
    let mut prose = ProseEvents::new(dct, file, added);
    timexes.iter().for_each(|t| prose.push(t.clone()));
    prose.run(text, 0, true);
    prose.into_events()
}

pub(super) fn word<'t>(text: &'t str, t: &Token) -> &'t str {
    &text[t.start..t.end]
}

pub(super) fn role(t: &Token, r: Role) -> bool {
    t.entry.is_some_and(|e| e.has(r))
}

/// Whether a token can only be read as a verb here (for finding clauses).
pub(super) fn verbish(toks: &[Token], text: &str, k: usize) -> bool {
    let t = &toks[k];
    if t.kind != TokKind::Word {
        return false;
    }
    if role(t, Role::Be)
        || role(t, Role::BeForm)
        || role(t, Role::FutureAuxiliary)
        || role(t, Role::Modal)
    {
        return true;
    }
    if role(t, Role::Past) || role(t, Role::Future) && !role(t, Role::DeadlineCue) {
        return true;
    }
    let w = word(text, t);
    (w.len() > 4 && w.ends_with("ed") && !t.capital)
        || (k > 0 && word(text, &toks[k - 1]).eq_ignore_ascii_case("to") && !t.capital)
}

/// A clause boundary before token `k`: punctuation or an opener word.
fn boundary_at(toks: &[Token], text: &str, k: usize) -> bool {
    let t = &toks[k];
    match t.kind {
        TokKind::Punct => matches!(
            t.ch,
            ',' | ';' | ':' | '(' | ')' | '"' | '—' | '–' | '“' | '”'
        ),
        TokKind::Word => {
            role(t, Role::ClauseOpener) || role(t, Role::RelativePronoun) || {
                let w = word(text, t);
                w == "``" || w == "''"
            }
        }
        TokKind::Number => false,
    }
}

pub(super) fn build(
    text: &str,
    toks: &[Token],
    dct: NaiveDateTime,
    t: &Timex,
    all: &[Timex],
    file: &str,
    added: NaiveDateTime,
) -> Option<Event> {
    if t.value.ends_with("_REF") {
        return None;
    }
    // Tokens are sorted by offset: binary search, not a scan per timex.
    let a = toks.partition_point(|k| k.start < t.start);
    let b = toks.partition_point(|k| k.end <= t.end);
    if b <= a {
        return None;
    }
    // The sentence: back to the previous boundary, forward to the next.
    // A sentence also starts at a paragraph or at a bulleted line.
    let starts_here = |k: usize| toks[k].paragraph || (toks[k].line_start && bullet(&toks[k]));
    // A "sentence" without punctuation (a list, a 100 MB line) is cut at
    // MAX_SENTENCE tokens each way, so the work per timex stays bounded.
    let mut s = a;
    while s > 0 && a - s < MAX_SENTENCE && !ends_sentence(toks, s - 1) && !starts_here(s) {
        s -= 1;
    }
    while s < a && (bullet(&toks[s]) || markup(&toks[s])) {
        s += 1;
    }
    let mut e = b;
    while e < toks.len() && e - b < MAX_SENTENCE && !ends_sentence(toks, e) && !starts_here(e) {
        e += 1;
    }
    let e_incl = (e + 1).min(toks.len());
    // "said Tuesday": the date of the reporting, not of an event.
    let reported = (a > s && role(&toks[a - 1], Role::Reporting))
        || (b < e
            && role(&toks[b], Role::Reporting)
            && (b + 1 >= e || !verbish(toks, text, b + 1)));
    if reported && t.kind != TimexType::Set {
        return None;
    }
    // "her Tuesday briefings", "the Friday market": a weekday between a
    // determiner and a noun names a kind of thing, not a day.
    let lone_weekday = b == a + 1 && toks[a].entry.is_some_and(|e| e.weekday.is_some());
    let determiner_before =
        a > s && (role(&toks[a - 1], Role::Possessive) || role(&toks[a - 1], Role::TitleArticle));
    let noun_after = b < e
        && toks[b].kind == TokKind::Word
        && !toks[b].capital
        && !verbish(toks, text, b)
        && toks[b].entry.is_none_or(|n| {
            !n.is_temporal()
                && ![
                    Role::AttachingPreposition,
                    Role::PlacePreposition,
                    Role::ClauseOpener,
                    Role::Coordinator,
                    Role::RelativePronoun,
                    Role::SubjectPronoun,
                    Role::TitleArticle,
                    Role::Reporting,
                ]
                .iter()
                .any(|&r| n.has(r))
        });
    if lone_weekday && determiner_before && noun_after {
        return None;
    }
    // "lands on a Saturday": a weekday after "a" is any such day.
    if lone_weekday && a > s && role(&toks[a - 1], Role::Article) {
        return None;
    }
    // "a day later than expected": a comparison, not a date of anything.
    if b < e && role(&toks[b], Role::Comparative) {
        return None;
    }
    // "prices have doubled since March": the baseline of a change.
    if a > s
        && role(&toks[a - 1], Role::Baseline)
        && (s..e).any(|k| role(&toks[k], Role::ChangeVerb))
    {
        return None;
    }
    let tense = clause_tense(toks, text, crate::engine::english(), a, b);
    let (when, value, kind_hint) = when_of(t, dct, toks, text, a, s)?;

    // The clause: from the boundary before the timex to the one after it.
    let mut c0 = a;
    while c0 > s && !boundary_at(toks, text, c0 - 1) {
        c0 -= 1;
    }
    let mut c1 = b;
    while c1 < e && !boundary_at(toks, text, c1) {
        c1 += 1;
    }
    // A clause with no verb ("on Wednesday in Vienna") belongs to the one before.
    let has_verb = |from: usize, to: usize| (from..to).any(|k| verbish(toks, text, k));
    while !has_verb(c0, c1) && c0 > s {
        c0 -= 1;
        while c0 > s && !boundary_at(toks, text, c0 - 1) {
            c0 -= 1;
        }
    }
    let relative = c0 > s && role(&toks[c0 - 1], Role::RelativePronoun);
    let main_verb = |k: usize| {
        let t = &toks[k];
        [Role::Modal, Role::Be, Role::FutureAuxiliary]
            .iter()
            .any(|&r| role(t, r))
    };
    if relative {
        if (c0 + 1..a).any(main_verb) {
            // "Residents who want a permit must apply by Dec. 9": the
            // relative clause sits in the subject, and the date belongs to
            // the main clause, which starts at that subject.
            c0 -= 1;
            while c0 > s && !boundary_at(toks, text, c0 - 1) {
                c0 -= 1;
            }
        } else if let Some(m) = (b..c1).find(|&k| main_verb(k)) {
            // "Members who were on the roll on Nov. 1 are entitled…": the
            // relative clause ends where the main clause's verb comes.
            c1 = m;
        }
    }
    // Skip a leading boundary word ("as", "who").
    let mut start = c0;
    while start < c1 && (boundary_at(toks, text, start) || role(&toks[start], Role::ClauseOpener)) {
        start += 1;
    }
    // Subject from the clause before, when this one starts with its verb.
    let mut subject: Vec<usize> = Vec::new();
    let starts_with_verb = start < c1 && verbish(toks, text, start);
    if starts_with_verb && start > s {
        subject = borrowed_subject(toks, text, s, c0);
    }

    let mut place = None;
    let mut words: Vec<usize> = Vec::new();
    let mut k = start;
    let clause_has_reporting = (start..c1).any(|k| role(&toks[k], Role::Reporting));
    if clause_has_reporting {
        // "officials said they hoped to…": keep what was said, with the
        // speaker standing in for a pronoun subject.
        if let Some(r) = (start..c1).find(|&k| role(&toks[k], Role::Reporting)) {
            if r < a {
                let speaker: Vec<usize> = (start..r)
                    .filter(|&k| toks[k].kind == TokKind::Word)
                    .collect();
                k = r + 1;
                if k < c1 && word(text, &toks[k]).eq_ignore_ascii_case("that") {
                    k += 1;
                }
                subject.clear();
                if k < c1 && role(&toks[k], Role::SubjectPronoun) && !speaker.is_empty() {
                    subject = speaker;
                    k += 1;
                }
            }
        }
    }
    // Dates leave the title; recurrences and lengths ("the weekly sync")
    // describe the event and stay.
    // Only the timexes inside this sentence matter (the list is sorted).
    let (sent_from, sent_to) = (toks[s].start, toks[e_incl - 1].end);
    let near = &all
        [all.partition_point(|x| x.end <= sent_from)..all.partition_point(|x| x.start < sent_to)];
    let in_timex = |k: usize| {
        let (ts, te) = (toks[k].start, toks[k].end);
        near.iter().any(|x| {
            x.start <= ts
                && te <= x.end
                && (std::ptr::eq(x, t) || matches!(x.kind, TimexType::Date | TimexType::Time))
        })
    };
    let timex_follows = |k: usize| k + 1 < c1 && in_timex(k + 1) && !in_timex(k);
    while k < c1 {
        let tok = &toks[k];
        // timexes and the prepositions that attach them
        if in_timex(k) || (timex_follows(k) && role(tok, Role::AttachingPreposition)) {
            k += 1;
            continue;
        }
        // "Sunday's final": the possessive goes with its date.
        if k > 0
            && in_timex(k - 1)
            && matches!(word(text, tok), "'s" | "\u{2019}s" | "'" | "\u{2019}")
        {
            k += 1;
            continue;
        }
        // "no later than Nov. 21"
        if k + 3 < c1 && timex_follows(k + 2) && word(text, tok).eq_ignore_ascii_case("no") {
            k += 3;
            continue;
        }
        // place phrase: "in Vienna", "at the Hofburg", "in Room 4B"
        if role(tok, Role::PlacePreposition) {
            if let Some((name, end)) = place_phrase(toks, text, k + 1, c1) {
                if place.is_none() {
                    place = Some(name);
                }
                // Keep "talks in Paris" in the title; drop the place after the date.
                if k >= b || k + 1 == a {
                    k = end;
                    continue;
                }
            }
        }
        words.push(k);
        k += 1;
    }
    // "Applications open Dec. 1 and close Jan. 15": each conjunct that
    // holds its own date is its own event, sharing the subject.
    let (mut kind_from, mut kind_to) = (c0.min(a), c1.max(b));
    if let Some((j, other)) = coordinated_split(toks, start, c1, a, near, t) {
        let in_timex_at = |k: usize| {
            near.iter()
                .any(|x| x.start <= toks[k].start && toks[k].end <= x.end)
        };
        // A content word in the other conjunct: "and close Jan. 15" has
        // one; "and on Aug. 13 in Ely" shares the whole predicate.
        let content = |k: usize| {
            let t = &toks[k];
            t.kind == TokKind::Word
                && !t.capital
                && !in_timex_at(k)
                && ![
                    Role::AttachingPreposition,
                    Role::Preposition,
                    Role::PlacePreposition,
                    Role::TitleArticle,
                    Role::Coordinator,
                ]
                .iter()
                .any(|&r| role(t, r))
        };
        if other < t.start {
            let verbs_coordinated = (j + 1..c1).any(content);
            if verbs_coordinated {
                // "and close at 11:59": a verb right after the coordinator
                // (one that takes a date or preposition next) shares the
                // first conjunct's subject; "and early registration … ends"
                // has its own.
                let shares_subject = j + 1 < c1
                    && (verbish(toks, text, j + 1)
                        || (j + 2 < c1
                            && (in_timex_at(j + 2)
                                || role(&toks[j + 2], Role::AttachingPreposition)
                                || role(&toks[j + 2], Role::Preposition))));
                let before_other: Vec<usize> = words
                    .iter()
                    .copied()
                    .filter(|&k| k < j && toks[k].end <= other)
                    .collect();
                // The first conjunct's last word before its date is its verb.
                let shared = if shares_subject {
                    &before_other[..before_other.len().saturating_sub(1)]
                } else {
                    &[][..]
                };
                let rest = words.iter().copied().filter(|&k| k > j);
                words = shared.iter().copied().chain(rest).collect();
                kind_from = j;
            } else {
                // The shared predicate, without the other date's adjuncts.
                words.retain(|&k| k < j && toks[k].end <= other);
            }
            // The place of this date is in its own conjunct ("in Ely").
            if let Some(p) = (j + 1..c1).find(|&k| role(&toks[k], Role::PlacePreposition)) {
                if let Some((name, _)) = place_phrase(toks, text, p + 1, c1) {
                    place = Some(name);
                }
            }
        } else {
            words.retain(|&k| k < j);
            kind_to = j;
        }
    }
    // "after seven months of dispute": the length measures what follows "of".
    let title = if t.kind == TimexType::Duration && b < e && role(&toks[b], Role::Of) {
        let mut k = b + 1;
        let mut phrase = Vec::new();
        while k < e
            && !boundary_at(toks, text, k)
            && !role(&toks[k], Role::AttachingPreposition)
            && !role(&toks[k], Role::PlacePreposition)
        {
            phrase.push(k);
            k += 1;
        }
        title_from(toks, text, &[], &phrase)
    } else {
        title_from(toks, text, &subject, &words)
    };
    // A date alone on its line ("Monday, March 9.") takes its heading.
    let title = title.or_else(|| heading_before(text, toks[s].start))?;
    let kind = kind_of(
        toks, text, kind_from, kind_to, a, &when, kind_hint, dct, tense,
    );
    // "Applications open Dec. 1 and close Jan. 15": the closing verb's
    // conjunct borrowed its subject, so the title shows what closes.
    let lex = crate::engine::english();
    let kind = if kind == Kind::Scheduled && closing_title(&title, lex) {
        Kind::Deadline
    } else {
        kind
    };
    // "to shareholders of record on Feb. 13": the date is a cut-off for
    // the holders, whatever the main clause says.
    let record = a >= 2
        && role(&toks[a - 1], Role::AttachingPreposition)
        && role(&toks[a - 2], Role::RecordDate);
    let (title, kind) = if record {
        let r = a - 2;
        let from = if r >= 2 && role(&toks[r - 1], Role::Of) {
            r - 2
        } else {
            r
        };
        let phrase = collapse(&text[toks[from].start..toks[r].end]);
        let mut chars = phrase.chars();
        let title = chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect::<String>())
            .unwrap_or(phrase);
        let ahead = when.start().is_some_and(|st| st.date() >= dct.date());
        (title, if ahead { Kind::Deadline } else { kind })
    } else {
        (title, kind)
    };
    let sentence = collapse(&text[toks[s].start..toks[e_incl - 1].end]);
    let tz = match when {
        crate::events::When::DateTime { .. } => t.tzid.map(str::to_owned),
        _ => None,
    };
    Some(Event {
        place,
        tz,
        sources: vec![Source {
            file: file.to_string(),
            sentence,
            start: t.start,
            end: t.end,
            timex: t.text.to_string(),
        }],
        ..Event::valued(title, kind, when, value, added)
    })
}

/// Where a clause "X verb1 DATE1 and verb2 DATE2" divides: the coordinator
/// between the timex `t` (tokens from `a`) and another date of the clause,
/// with that date's start.
fn coordinated_split(
    toks: &[Token],
    start: usize,
    c1: usize,
    a: usize,
    near: &[Timex],
    t: &Timex,
) -> Option<(usize, usize)> {
    let dating = |x: &&Timex| {
        !std::ptr::eq(*x, t)
            && matches!(x.kind, TimexType::Date | TimexType::Time)
            && (x.end <= t.start || x.start >= t.end)
    };
    let (from, to) = (toks[start].start, toks[c1.max(start + 1) - 1].end);
    let others: Vec<&Timex> = near
        .iter()
        .filter(dating)
        .filter(|x| x.start >= from && x.end <= to)
        .collect();
    let preposition = |k: usize| {
        toks.get(k)
            .is_some_and(|t| role(t, Role::AttachingPreposition) || role(t, Role::Preposition))
    };
    // "on or before May 18" joins two prepositions, not two clauses.
    let is_coordinator = |k: usize| {
        toks[k].kind == TokKind::Word
            && (role(&toks[k], Role::And) || role(&toks[k], Role::Or))
            && !(k > 0 && preposition(k - 1) && preposition(k + 1))
            && !near
                .iter()
                .any(|x| x.start <= toks[k].start && toks[k].end <= x.end)
    };
    // The nearest other date on each side, and a coordinator between.
    let before = others
        .iter()
        .filter(|x| x.end <= t.start)
        .map(|x| x.start)
        .max();
    if let Some(other) = before {
        let j = (start..a)
            .rev()
            .find(|&k| toks[k].start >= other && is_coordinator(k))?;
        return Some((j, other));
    }
    let after = others
        .iter()
        .filter(|x| x.start >= t.end)
        .map(|x| x.start)
        .min()?;
    let j =
        (a..c1).find(|&k| toks[k].start < after && toks[k].start >= t.end && is_coordinator(k))?;
    Some((j, after))
}

/// Markdown emphasis and heading marks, which titles leave out.
pub(super) fn markup(t: &Token) -> bool {
    t.kind == TokKind::Punct && matches!(t.ch, '*' | '#' | '_' | '`' | '>')
}

/// How far back [`heading_before`] looks, in bytes.
pub(super) const LOOK_BACK: usize = 1024;

/// The nearest heading or label line above `pos`: "## Next meeting".
fn heading_before(text: &str, pos: usize) -> Option<String> {
    // Only the last kilobyte above: a heading is a short line, and looking
    // further back for each date of a long paragraph would make a long
    // document cost the square of its length.
    let mut from = pos.saturating_sub(LOOK_BACK);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let above = &text[from..pos];
    let line = above.lines().rev().find(|l| !l.trim().is_empty())?;
    // A line cut by the window is longer than any heading.
    if from > 0 && std::ptr::eq(line.as_ptr(), above.as_ptr()) {
        return None;
    }
    let line = line.trim();
    let cleaned = line.trim_matches(|c: char| matches!(c, '#' | '*' | '_' | ':' | '-' | ' '));
    (!cleaned.is_empty() && cleaned.len() <= 80).then(|| cleaned.to_string())
}

pub(super) fn bullet(t: &Token) -> bool {
    t.kind == TokKind::Punct && matches!(t.ch, '-' | '*' | '•')
}

/// The subject of a clause that starts with its verb: a name in apposition
/// ("The minister, Helena Marek, is to meet") or the noun phrase before.
fn borrowed_subject(toks: &[Token], text: &str, s: usize, c0: usize) -> Vec<usize> {
    // Segments before c0, nearest first.
    let mut end = c0;
    let mut segments: Vec<(usize, usize)> = Vec::new();
    while end > s {
        let mut from = end;
        while from > s && !boundary_at(toks, text, from - 1) {
            from -= 1;
        }
        let seg: (usize, usize) = (from, end);
        let content = (seg.0..seg.1)
            .filter(|&k| toks[k].kind != TokKind::Punct)
            .count();
        if content > 0 {
            segments.push(seg);
        }
        if from == s {
            break;
        }
        end = from - 1;
        if segments.len() >= 3 {
            break;
        }
    }
    let name = |seg: &(usize, usize)| {
        (seg.0..seg.1).all(|k| {
            toks[k].kind != TokKind::Word
                || toks[k].capital
                || role(&toks[k], Role::TitleArticle)
                || role(&toks[k], Role::Of)
        }) && !(seg.0..seg.1).any(|k| verbish(toks, text, k))
    };
    let noun_phrase = |seg: &(usize, usize)| !(seg.0..seg.1).any(|k| verbish(toks, text, k));
    let pick = segments
        .iter()
        .find(|s| name(s))
        .or_else(|| segments.iter().find(|s| noun_phrase(s)));
    match pick {
        Some(&(from, to)) => (from..to)
            .filter(|&k| !role(&toks[k], Role::RelativePronoun))
            .collect(),
        None => Vec::new(),
    }
}

/// A place after "in"/"at": capitalized words (and "the", "of", numbers
/// inside them): "Vienna", "the Hofburg", "Room 4B", "New York".
fn place_phrase(toks: &[Token], text: &str, from: usize, limit: usize) -> Option<(String, usize)> {
    let mut k = from;
    if k < limit && role(&toks[k], Role::The) {
        k += 1;
    }
    let first = k;
    while k < limit {
        let t = &toks[k];
        let named = t.kind == TokKind::Word
            && t.capital
            && !t
                .entry
                .is_some_and(|e| e.is_temporal() || e.has(Role::SubjectPronoun));
        let glue = k > first
            && (t.kind == TokKind::Number || (t.kind == TokKind::Word && !t.space_before));
        if named || glue {
            k += 1;
        } else {
            break;
        }
    }
    (k > first).then(|| (collapse(&text[toks[first].start..toks[k - 1].end]), k))
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::dct;

    fn events(text: &str, at: &str) -> Vec<Event> {
        let d = dct::parse(at).unwrap();
        let found = crate::extract(text, d);
        events_from(text, d, &found, "test.txt", d)
    }

    #[test]
    fn relative_clause_borrows_its_subject() {
        let ev = events(
            "Kerry, who is to meet with Iranian Foreign Minister Mohammad Javad Zarif on Wednesday in Vienna, said little.",
            "2014-10-14",
        );
        assert_eq!(ev.len(), 1);
        assert_eq!(
            ev[0].title,
            "Kerry to meet Iranian Foreign Minister Mohammad Javad Zarif"
        );
        assert_eq!(ev[0].place.as_deref(), Some("Vienna"));
        assert_eq!(ev[0].kind, Kind::Meeting);
        assert_eq!(ev[0].value, "2014-10-15");
    }

    #[test]
    fn looming_deadline_is_titled_by_its_noun_phrase() {
        let ev = events(
            "The sides met again as a Nov. 24 deadline to finalize an agreement looms.",
            "2014-10-14",
        );
        let d = ev.iter().find(|e| e.value == "2014-11-24").unwrap();
        assert_eq!(d.title, "Deadline to finalize an agreement");
        assert_eq!(d.kind, Kind::Deadline);
    }

    #[test]
    fn anchored_duration_is_a_range_up_to_now() {
        let ev = events(
            "It was the first sign of a thaw after seven months of dispute.",
            "2014-10-14",
        );
        assert_eq!(ev.len(), 1);
        assert_eq!(ev[0].value, "2014-03/2014-10");
        assert_eq!(ev[0].kind, Kind::Ongoing);
    }

    #[test]
    fn reporting_dates_are_not_events() {
        let ev = events(
            "The minister said Tuesday that talks went well.",
            "2014-10-14",
        );
        assert!(ev.is_empty(), "{ev:?}");
    }

    #[test]
    fn a_state_since_a_date_is_ongoing_and_hearings_are_meetings() {
        let ev = events(
            "The plant has been idle since Jan. 9. The agency will hold public hearings on Feb. 11.",
            "2026-02-01",
        );
        let kind = |v: &str| ev.iter().find(|e| e.value == v).map(|e| e.kind);
        assert_eq!(kind("2026-01-09"), Some(Kind::Ongoing), "{ev:?}");
        assert_eq!(kind("2026-02-11"), Some(Kind::Meeting), "{ev:?}");
    }

    #[test]
    fn the_passive_be_stays_after_a_modal_or_to() {
        let ev = events(
            "Comments must be received by May 5. The lottery drawing is to be held on Nov. 5.",
            "2026-02-01",
        );
        let titles: Vec<&str> = ev.iter().map(|e| e.title.as_str()).collect();
        assert_eq!(
            titles,
            ["Comments must be received", "Lottery drawing to be held"]
        );
    }

    #[test]
    fn a_weekday_that_modifies_a_noun_dates_nothing() {
        let ev = events(
            "Vasquez spoke at one of her Tuesday briefings. Sunday's final drew a record crowd.",
            "2026-02-04",
        );
        let titles: Vec<&str> = ev.iter().map(|e| e.title.as_str()).collect();
        assert_eq!(titles, ["Final drew a record crowd"], "{ev:?}");
    }
}
