//! Lines that stand on their own: list items and schedule lines written
//! without markup ("April 7, 2026: Abstract submission", "• May 12 –
//! Notification", "Camera-ready (May 29)"), shared by the plain-text and
//! Markdown readers.

use crate::engine::lexicon::Role;

/// Bullets people type or paste in front of list items.
const BULLETS: [&str; 10] = ["- ", "* ", "+ ", "• ", "· ", "▪ ", "◦ ", "‣ ", "– ", "— "];

/// The longest line, in words, that can be a schedule line by its date alone.
const SHORT_WORDS: usize = 12;

/// The list marker at the start of a line ("- ", "• ", "3. ", "b) "), as its
/// length in bytes, or `None`.
pub fn list_marker(line: &str) -> Option<usize> {
    let t = line.trim_start();
    let indent = line.len() - t.len();
    if let Some(b) = BULLETS.iter().find(|b| t.starts_with(*b)) {
        return Some(indent + b.len());
    }
    // "•April 7" without a space, as pasted from word processors.
    for b in ['•', '▪', '◦', '‣'] {
        if t.starts_with(b) {
            return Some(indent + b.len_utf8());
        }
    }
    // "1. ", "12) ", "a) ", "(3) "
    let bytes = t.as_bytes();
    let mut k = usize::from(bytes.first() == Some(&b'('));
    let digits = bytes[k..].iter().take_while(|b| b.is_ascii_digit()).count();
    let letter = digits == 0 && bytes.get(k).is_some_and(|b| b.is_ascii_lowercase());
    if (1..=3).contains(&digits) || letter {
        k += if letter { 1 } else { digits };
        if matches!(bytes.get(k), Some(b'.' | b')')) && bytes.get(k + 1) == Some(&b' ') {
            // "3. " but not "3.5 " or a year "2026. "
            if digits <= 2 || letter {
                return Some(indent + k + 2);
            }
        }
    }
    None
}

/// Where "Label: value" has its ": ", if it has one. A byte search for the
/// colon: a substring search costs several times more on every line of prose.
pub fn label_end(t: &str) -> Option<usize> {
    t.match_indices(':')
        .map(|(k, _)| k)
        .find(|&k| t.as_bytes().get(k + 1) == Some(&b' '))
}

/// Whether a word names a date by itself: a number, a month or a weekday.
fn date_word(word: &str) -> bool {
    let w = word.trim_matches(|c: char| !c.is_alphanumeric());
    if w.is_empty() {
        return false;
    }
    if w.as_bytes()[0].is_ascii_digit() {
        return true;
    }
    crate::engine::english()
        .get(w)
        .is_some_and(|e| e.month.is_some() || e.weekday.is_some())
}

/// Whether a line stops where no sentence or row ends: on a preposition,
/// an article or a conjunction ("… runs 10.30am-12.30pm on"), so the next
/// line goes on with it, whatever that one starts with.
pub fn ends_unfinished(line: &str) -> bool {
    let Some(last) = line.split_whitespace().next_back() else {
        return false;
    };
    if !last.ends_with(|c: char| c.is_alphabetic()) {
        return false;
    }
    crate::engine::english().get(last).is_some_and(|e| {
        [
            Role::Preposition,
            Role::The,
            Role::Article,
            Role::Coordinator,
        ]
        .into_iter()
        .any(|r| e.has(r))
    })
}

/// Whether a line reads as one row of a schedule or list rather than a
/// piece of wrapped prose.
pub fn looks_like_schedule_line(line: &str) -> bool {
    let t = line.trim();
    if t.is_empty() || t.len() > 200 {
        return false;
    }
    if list_marker(line).is_some() || t.contains('\t') {
        return true;
    }
    // Counted without collecting: this runs on every line of prose too.
    let word_count = t.split_whitespace().take(21).count();
    if word_count > 20 {
        return false;
    }
    // "Label: value" with a short label; a clock "10:30" is no label.
    if let Some(k) = label_end(t) {
        let label_words = t[..k].split_whitespace().count();
        if (1..=6).contains(&label_words) && !t[k + 2..].trim().is_empty() {
            return true;
        }
    }
    if t.ends_with(':') && word_count <= 8 {
        return true;
    }
    if word_count <= SHORT_WORDS {
        let mut words = t.split_whitespace();
        let first = words.next().unwrap_or("");
        let last = words.next_back().unwrap_or(first);
        if date_word(first) || date_word(last) {
            return true;
        }
        // "Camera-ready (May 29)", "Registration — 14 June"
        if t.ends_with(')') || t.split_whitespace().rev().take(3).any(date_word) {
            return true;
        }
    }
    false
}

/// How the lines of one paragraph of unmarked text are read.
#[derive(Debug, PartialEq, Eq)]
pub enum Layout {
    /// Wrapped prose: one block.
    Prose,
    /// Each line (with its indented continuation lines) is a block.
    Rows,
    /// Tab-separated cells: a table.
    Table,
}

/// Decides how to read a paragraph's lines.
pub fn split_schedule_lines(lines: &[&str]) -> Layout {
    if lines.len() < 2 {
        return if lines.first().is_some_and(|l| l.contains('\t')) {
            Layout::Table
        } else {
            Layout::Prose
        };
    }
    let tabbed = lines.iter().filter(|l| l.trim().contains('\t')).count();
    if tabbed * 2 > lines.len() {
        return Layout::Table;
    }
    if lines.iter().any(|l| list_marker(l).is_some()) {
        return Layout::Rows;
    }
    // Rows need two thirds of the lines: stop at the first line too many
    // that is prose (most paragraphs are prose, and this runs on each).
    let allowed_prose = lines.len() / 3;
    let mut prose = 0;
    for l in lines {
        if !looks_like_schedule_line(l) {
            prose += 1;
            if prose > allowed_prose {
                return Layout::Prose;
            }
        }
    }
    if lines.len() - prose >= 2 {
        Layout::Rows
    } else {
        Layout::Prose
    }
}

/// Whether `line` starts with `prefix`, ASCII case aside.
pub(super) fn starts_with_ignoring_case(line: &[u8], prefix: &[u8]) -> bool {
    line.get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_cut_short_mid_sentence_are_unfinished() {
        for line in [
            "A drop-in session runs 10.30am-12.30pm on",
            "The induction is held on Monday 18 May at",
            "Forms go back to the",
            "Bring your badge and",
        ] {
            assert!(ends_unfinished(line), "{line:?}");
        }
        for line in [
            "Term ends   Friday 18 December 2026, 1.30 pm finish",
            "Deadline: 30 June",
            // A period ends it, whatever the word before.
            "Parents' evenings are held in.",
            "",
        ] {
            assert!(!ends_unfinished(line), "{line:?}");
        }
    }

    #[test]
    fn schedule_lines_in_every_common_shape() {
        for line in [
            "April 7, 2026: Abstract submission",
            "Abstract submission: April 7, 2026",
            "• April 7: abstracts due",
            "- **May 12** – Notification",
            "Camera-ready (May 29)",
            "2026-05-29\tCamera-ready",
            "3. Notification of acceptance, 12 May",
            "Mon 14 Sep   Opening lecture",
        ] {
            assert!(looks_like_schedule_line(line), "{line}");
        }
    }

    #[test]
    fn wrapped_prose_is_not_a_schedule() {
        let para = [
            "The workshop invites submissions on every aspect of reading dates in",
            "text. Abstracts are due on April 7 and full papers follow three weeks",
            "later, after which the committee meets.",
        ];
        assert_eq!(split_schedule_lines(&para), Layout::Prose);
        let sched = [
            "Abstracts: April 7",
            "Notification: May 12",
            "Camera-ready: May 29",
        ];
        assert_eq!(split_schedule_lines(&sched), Layout::Rows);
    }

    #[test]
    fn list_markers() {
        assert_eq!(list_marker("- item"), Some(2));
        assert_eq!(list_marker("  12) item"), Some(6));
        assert_eq!(list_marker("2026. The year"), None);
        assert_eq!(list_marker("3.5 million"), None);
    }
}
