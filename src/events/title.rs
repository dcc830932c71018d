//! Headline-style titles from a clause's words.
//!
//! The builder hands over the clause's tokens (with a borrowed subject, if
//! any). The title leaves out auxiliaries, fillers and dangling words, turns
//! "will" into "to", and, when the clause is still longer than a headline,
//! drops whole phrases rather than cutting words: first the adjuncts after
//! the object ("… for $640 million"), then the modifiers of the subject
//! ("Ferry service between Port Arden and Fairhaven Island" → "Ferry
//! service"), then everything after the object's head.

use super::build::{bullet, markup, role, verbish, word};
use crate::engine::lexicon::{Lexicon, Role};
use crate::engine::tokenize::{Kind as TokKind, Token};

/// The longest title, in words: a headline, not the clause.
pub const MAX_TITLE_WORDS: usize = crate::events::score::MAX_TITLE_WORDS;

/// What a shortened title aims at: the 4 to 10 words a person writes.
const TARGET_WORDS: usize = 10;

/// Stands for a headline "to" in place of "will".
const TO: usize = usize::MAX;

pub(super) fn title_from(
    toks: &[Token],
    text: &str,
    subject: &[usize],
    words: &[usize],
) -> Option<String> {
    let mut kept = select(toks, text, subject, words);
    trim_dangling(toks, &mut kept);
    if word_count(toks, text, &kept) > MAX_TITLE_WORDS {
        compress(toks, text, subject.len(), &mut kept);
    }
    let out = render(toks, text, &kept);
    let out = out
        .trim_matches(|c: char| c.is_whitespace() || c == '\'' || c == '`')
        .to_string();
    let mut chars = out.chars();
    let first = chars.next()?;
    Some(first.to_uppercase().chain(chars).collect())
}

/// The clause's words a headline keeps, with [`TO`] where "will" stood.
fn select(toks: &[Token], text: &str, subject: &[usize], words: &[usize]) -> Vec<usize> {
    let all: Vec<usize> = subject
        .iter()
        .chain(words.iter())
        .copied()
        .filter(|&k| !markup(&toks[k]) && !bullet(&toks[k]))
        .collect();
    let mut kept: Vec<usize> = Vec::new();
    for (i, &k) in all.iter().enumerate() {
        let t = &toks[k];
        let next = all.get(i + 1).map(|&n| &toks[n]);
        let leading = kept.iter().all(|&p| p == TO);
        // "is to meet" -> "to meet", "is planned" -> "planned"; a main verb
        // "have" ("hoped to have a text") stays.
        if role(t, Role::BeForm) || role(t, Role::Be) {
            // "has been idle" -> "idle": "been" after an auxiliary the
            // title dropped goes too.
            let after_aux = i > 0 && {
                let p = &toks[all[i - 1]];
                (role(p, Role::BeForm) || role(p, Role::Be)) && !kept.contains(&all[i - 1])
            };
            let aux = after_aux
                || next.is_none_or(|n| {
                    word(text, n).eq_ignore_ascii_case("to")
                        || role(n, Role::BeForm)
                        || (n.kind == TokKind::Word && word(text, n).ends_with("ed"))
                        || role(n, Role::Past)
                });
            // "must be received", "to be held": after a modal or "to" the
            // passive's "be" carries the grammar and stays.
            let after_modal = word(text, t).eq_ignore_ascii_case("be")
                && kept.last().is_some_and(|&p| {
                    p == TO
                        || role(&toks[p], Role::Modal)
                        || word(text, &toks[p]).eq_ignore_ascii_case("to")
                });
            if aux && !after_modal {
                continue;
            }
        }
        if role(t, Role::FutureAuxiliary) {
            kept.push(TO);
            continue;
        }
        if role(t, Role::Filler) || role(t, Role::DeadlineVerb) {
            continue;
        }
        // "meet with X" -> "meet X"
        if word(text, t).eq_ignore_ascii_case("with")
            && kept
                .last()
                .is_some_and(|&p| p != TO && role(&toks[p], Role::MeetingCue))
        {
            continue;
        }
        // "(said) that its satellite…": the complementizer opens no title.
        if leading
            && (role(t, Role::TitleArticle)
                || role(t, Role::SubjectPronoun)
                || role(t, Role::Coordinator)
                || word(text, t).eq_ignore_ascii_case("that")
                || t.kind == TokKind::Punct)
        {
            continue;
        }
        kept.push(k);
    }
    kept
}

/// Nothing dangles at the end: "Feature freeze is", "consolidate them over".
fn trim_dangling(toks: &[Token], kept: &mut Vec<usize>) {
    while let Some(&k) = kept.last() {
        if k == TO {
            kept.pop();
            continue;
        }
        let t = &toks[k];
        // "Talk proposals are due": "due" says what the event is.
        if role(t, Role::RowDeadline) {
            break;
        }
        let dangling = t.kind == TokKind::Punct && t.ch != '%'
            || role(t, Role::BeForm)
            || role(t, Role::TitleArticle)
            || role(t, Role::Possessive)
            || role(t, Role::AttachingPreposition)
            || role(t, Role::Preposition)
            || role(t, Role::Coordinator)
            || role(t, Role::RelativePronoun)
            || role(t, Role::Modal);
        if !dangling {
            break;
        }
        kept.pop();
    }
}

/// Punctuation a title leaves out.
fn dropped_punct(t: &Token) -> bool {
    t.kind == TokKind::Punct
        && matches!(
            t.ch,
            ',' | ';' | ':' | '"' | '(' | ')' | '.' | '—' | '–' | '“' | '”'
        )
}

fn render(toks: &[Token], text: &str, kept: &[usize]) -> String {
    let mut out = String::new();
    for (n, &k) in kept.iter().enumerate() {
        if k == TO {
            let next_is_to = kept
                .get(n + 1)
                .is_some_and(|&m| m != TO && word(text, &toks[m]).eq_ignore_ascii_case("to"));
            if !next_is_to && !out.ends_with(" to") && !out.is_empty() {
                out.push_str(" to");
            }
            continue;
        }
        let t = &toks[k];
        // "4.2.1", "12,000": a point or comma inside a number stays.
        let inside_number = !t.space_before
            && kept
                .get(n + 1)
                .is_some_and(|&m| m == k + 1 && m != TO && toks[m].start == t.end);
        if dropped_punct(t) && !inside_number {
            continue;
        }
        // The text's own spacing: "river-flow" and "$640" stay joined.
        let joined = n > 0 && kept[n - 1] != TO && kept[n - 1] + 1 == k && !t.space_before;
        if !out.is_empty() && !joined {
            out.push(' ');
        }
        out.push_str(word(text, t));
    }
    out
}

fn word_count(toks: &[Token], text: &str, kept: &[usize]) -> usize {
    render(toks, text, kept).split_whitespace().count()
}

/// Where a phrase that a headline can do without begins: a preposition, a
/// relative or complement clause, a coordinated part, a participle.
fn phrase_start(toks: &[Token], text: &str, kept: &[usize], i: usize, in_subject: bool) -> bool {
    let k = kept[i];
    if k == TO {
        return false;
    }
    let t = &toks[k];
    if t.kind != TokKind::Word {
        return false;
    }
    let w = word(text, t);
    // "Bank of Arlen": "of" between capitalized words is inside a name.
    let in_name = role(t, Role::Of)
        && i > 0
        && kept[i - 1] != TO
        && toks[kept[i - 1]].capital
        && kept.get(i + 1).is_some_and(|&n| n != TO && toks[n].capital);
    if in_name {
        return false;
    }
    role(t, Role::Preposition)
        || role(t, Role::AttachingPreposition)
        || role(t, Role::RelativePronoun)
        || role(t, Role::ClauseOpener)
        // "Pilots' and flight attendants' unions": a subject's "and" joins
        // its head's own modifiers.
        || (role(t, Role::Coordinator) && !in_subject)
        || w.eq_ignore_ascii_case("that")
        || (!t.capital && w.len() > 5 && w.ends_with("ing"))
}

/// Shortens `kept` to at most [`MAX_TITLE_WORDS`] words by dropping whole
/// phrases; `subject_len` words at its start came from a borrowed subject.
fn compress(toks: &[Token], text: &str, subject_len: usize, kept: &mut Vec<usize>) {
    let fits = |k: &[usize]| word_count(toks, text, k) <= MAX_TITLE_WORDS;
    // The verb: the first verb-like word after the subject (or "to").
    let verb = (subject_len.min(kept.len().saturating_sub(1))..kept.len())
        .chain(0..subject_len.min(kept.len()))
        .find(|&i| kept[i] == TO || verbish(toks, text, kept[i]));
    // The object's head comes at least one word after the verb group.
    let object_from = verb.map_or(1, |v| {
        let mut i = v + 1;
        while i < kept.len()
            && (kept[i] == TO
                || verbish(toks, text, kept[i])
                || word(text, &toks[kept[i]]).eq_ignore_ascii_case("to"))
        {
            i += 1;
        }
        i + 1
    });
    // 1. The latest adjunct cut after the object that makes it fit, to a
    // headline's length if one does.
    if cut_predicate(toks, text, kept, object_from) {
        return;
    }
    // 2. The subject reduced to its head: up to its first modifier phrase.
    if let Some(v) = verb.filter(|&v| v > 1) {
        if let Some(j) = (1..v).find(|&j| phrase_start(toks, text, kept, j, true)) {
            kept.drain(j..v);
            if fits(kept) || cut_predicate(toks, text, kept, object_from - (v - j)) {
                return;
            }
        }
    }
    // 3. No phrase to drop makes it fit: keep the first words, ending on
    // a content word.
    while !fits(kept) {
        kept.pop();
    }
    trim_dangling(toks, kept);
}

/// Cuts `kept` before a phrase at or after `from`, the latest cut that
/// gives [`TARGET_WORDS`] words, else the latest that gives
/// [`MAX_TITLE_WORDS`]; false when none does.
fn cut_predicate(toks: &[Token], text: &str, kept: &mut Vec<usize>, from: usize) -> bool {
    let cuts: Vec<usize> = (from..kept.len())
        .rev()
        .filter(|&i| phrase_start(toks, text, kept, i, false))
        .collect();
    for limit in [TARGET_WORDS, MAX_TITLE_WORDS] {
        if let Some(&cut) = cuts
            .iter()
            .find(|&&i| word_count(toks, text, &shortened(toks, &kept[..i])) <= limit)
        {
            kept.truncate(cut);
            trim_dangling(toks, kept);
            return true;
        }
    }
    false
}

/// A schedule row's label in at most [`MAX_TITLE_WORDS`] words: a label
/// that is a whole sentence loses its trailing phrases, as a clause does.
pub(crate) fn shorten_label(label: &str, lex: &Lexicon) -> String {
    let words: Vec<&str> = label.split_whitespace().collect();
    if words.len() <= MAX_TITLE_WORDS {
        return label.to_owned();
    }
    let bare = |w: &str| {
        w.trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase()
    };
    let opens_phrase = |w: &str| {
        lex.get(&bare(w)).is_some_and(|e| {
            e.has(Role::Preposition) || e.has(Role::RelativePronoun) || e.has(Role::Coordinator)
        })
    };
    let dangling = |w: &str| {
        w.ends_with([',', ';', ':'])
            || lex.get(&bare(w)).is_some_and(|e| {
                e.has(Role::Preposition)
                    || e.has(Role::AttachingPreposition)
                    || e.has(Role::TitleArticle)
                    || e.has(Role::Coordinator)
                    || e.has(Role::BeForm)
            })
    };
    // The latest cut before a phrase, or after a comma, that fits.
    let cut = [TARGET_WORDS, MAX_TITLE_WORDS].iter().find_map(|&limit| {
        (2..=limit.min(words.len() - 1))
            .rev()
            .find(|&i| opens_phrase(words[i]) || words[i - 1].ends_with([',', ';']))
    });
    let mut kept = &words[..cut.unwrap_or(MAX_TITLE_WORDS)];
    while kept.len() > 1 && dangling(kept[kept.len() - 1]) {
        kept = &kept[..kept.len() - 1];
    }
    kept.join(" ").trim_end_matches([',', ';', ':']).to_owned()
}

fn shortened(toks: &[Token], kept: &[usize]) -> Vec<usize> {
    let mut v = kept.to_vec();
    trim_dangling(toks, &mut v);
    v
}

#[cfg(test)]
mod tests {
    use crate::document::dct;
    use crate::events::build::events_from;

    fn titles(text: &str) -> Vec<String> {
        let d = dct::parse("2026-03-02").unwrap();
        let found = crate::extract(text, d);
        events_from(text, d, &found, "t.txt", d)
            .into_iter()
            .map(|e| e.title)
            .collect()
    }

    #[test]
    fn long_clauses_lose_whole_phrases_not_words() {
        let t = titles(
            "The grocer completed the sale of its canned soup division for $310 million and a stake in the buyer on Feb. 3.",
        );
        assert_eq!(t, ["Grocer completed the sale of its canned soup division"]);
        let t = titles(
            "A shuttle bus between Lower Quay and the Willow Hill campus of the college will resume service with the first departure at dawn on March 9 after repairs to the bridge.",
        );
        assert_eq!(
            t,
            ["Shuttle bus to resume service with the first departure"],
            "{t:?}"
        );
    }

    #[test]
    fn no_title_runs_past_twelve_words_or_ends_in_an_ellipsis() {
        let t = titles(
            "Inspectors from the regional office of the environment agency found traces of a banned pesticide in eleven of the forty wells sampled along the northern edge of the valley on Feb. 20 during a routine survey.",
        );
        assert_eq!(t.len(), 1);
        assert!(t[0].split_whitespace().count() <= 12, "{t:?}");
        assert!(!t[0].ends_with('…') && t[0].contains("found"), "{t:?}");
    }

    #[test]
    fn numbers_with_points_and_full_month_names_split_sentences_right() {
        let t = titles(
            "Version 4.2.1 of the mapping app was released on Feb. 26 with a fix. Payments rose 2.5 percent in January. The board meets on March 12.",
        );
        assert_eq!(
            t,
            [
                "Version 4.2.1 of the mapping app released with a fix",
                "Payments rose 2.5 percent",
                "Board meets"
            ],
            "{t:?}"
        );
    }
}
