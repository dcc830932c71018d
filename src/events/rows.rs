//! Events from a document's structure: a list item, table row or short
//! line that holds one date (or one range) and a label is one event, titled
//! by its label, never by text from another row.
//!
//! Also the document-wide rules for deadlines ("All deadlines are 23:59
//! AoE"), which set the time of the document's deadlines instead of
//! becoming events of their own.

use chrono::{NaiveDateTime, NaiveTime};

use crate::document::{Block, BlockKind, Document};
use crate::engine::lexicon::{Lexicon, Role};
use crate::engine::partial::TimexType;
use crate::engine::timex::Timex;
use crate::events::{Kind, When};

/// Connectors between a range's two dates.
pub(super) const RANGE_JOINERS: [&str; 9] = [
    "-", "–", "—", "--", "to", "through", "thru", "until", "till",
];

/// A row's date and label, before it becomes an event.
pub(crate) struct Row<'t> {
    /// The timexes that date the row (one, or the two ends of a range, or
    /// a date and its time).
    pub dates: Vec<&'t Timex>,
    /// The time of day, when the row gives its date and time apart.
    pub time: Option<&'t Timex>,
    pub title: String,
    pub kind_hint: Option<Kind>,
}

/// Whether a timex dates something (not a length, a set or "now").
fn dating(t: &Timex) -> bool {
    matches!(t.kind, TimexType::Date | TimexType::Time)
        && t.interval.is_some()
        && !t.value.ends_with("_REF")
}

/// Reads a row block into its events: usually one; a table row whose
/// "Due" column holds something gives that a deadline of its own ("Linked
/// lists" and "Homework 1 due" on the same date). Empty when the block is
/// not one row of a schedule (no date, or dates that form no one range).
pub(crate) fn read_rows<'t>(
    doc: &Document,
    block: &Block,
    timexes: &'t [Timex],
    lex: &Lexicon,
) -> Vec<Row<'t>> {
    let Some(row) = read_row(doc, block, timexes, lex) else {
        return Vec::new();
    };
    if block.kind != BlockKind::TableRow || block.headers.len() != block.cells.len() {
        return vec![row];
    }
    let (first, last) = (row.dates[0].start, row.dates[row.dates.len() - 1].end);
    let due_column = |h: &str| {
        h.split(|c: char| !(c.is_alphanumeric() || c == '-'))
            .any(|w| {
                lex.get(w)
                    .is_some_and(|e| e.has(Role::RowDeadline) && !e.has(Role::RowStart))
            })
    };
    let mut due = Vec::new();
    let mut rest = Vec::new();
    for (cell, header) in block.cells.iter().zip(&block.headers) {
        if cell.start <= first && last <= cell.end {
            continue;
        }
        let t = tidy(&doc.text[cell.clone()], lex);
        if t.is_empty() || bare(&t) {
            continue;
        }
        if due_column(header) {
            due.push(t);
        } else {
            rest.push(t);
        }
    }
    if due.is_empty() || rest.is_empty() {
        return vec![row];
    }
    let main = rest.join(" · ");
    vec![
        Row {
            dates: row.dates.clone(),
            time: row.time,
            kind_hint: row_kind(&main, lex),
            title: main,
        },
        Row {
            dates: row.dates,
            time: row.time,
            title: due.join(" · "),
            kind_hint: Some(Kind::Deadline),
        },
    ]
}

/// A cell that names no event: a week number, "TBD", a dash.
fn bare(t: &str) -> bool {
    t.chars()
        .all(|c| c.is_ascii_digit() || c.is_whitespace() || c == '.')
        || t.eq_ignore_ascii_case("tbd")
        || t == "-"
        || t == "–"
}

fn read_row<'t>(
    doc: &Document,
    block: &Block,
    timexes: &'t [Timex],
    lex: &Lexicon,
) -> Option<Row<'t>> {
    let dates: Vec<&Timex> = timexes.iter().filter(|t| dating(t)).collect();
    let (dates, time) = match dates.as_slice() {
        [one] => (vec![*one], None),
        [a, b] if joined_as_range(&doc.text[a.end..b.start]) => (vec![*a, *b], None),
        // "April 7, 2026, 17:00" read as a date and a time of it.
        [a, b] if b.kind == TimexType::Time && doc.text[a.end..b.start].trim().len() <= 3 => {
            (vec![*a, *b], Some(*b))
        }
        _ => return None,
    };
    let first = dates[0];
    let last = dates[dates.len() - 1];
    let label = if block.kind == BlockKind::TableRow && !block.cells.is_empty() {
        cells_label(doc, block, first.start, last.end, lex)
    } else {
        line_label(
            &doc.text[block.range.clone()],
            first.start - block.range.start,
            last.end - block.range.start,
            lex,
        )
    };
    let full_label = label.clone();
    let label = super::title::shorten_label(&label, lex);
    let title = if label.is_empty() {
        block.headers.iter().find(|h| !h.is_empty()).cloned()?
    } else {
        label
    };
    if title
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| lex.get(w).is_some_and(|e| e.has(Role::RowMetadata)))
    {
        return None;
    }
    let kind_hint = row_kind(&full_label, lex)
        .or_else(|| row_kind(&title, lex))
        .or_else(|| due_header(block, first.start, lex));
    Some(Row {
        dates,
        time,
        title,
        kind_hint,
    })
}

/// A deadline by the date's column: "Due date", "Deadline", "Cut-off".
fn due_header(block: &Block, at: usize, lex: &Lexicon) -> Option<Kind> {
    if block.headers.len() != block.cells.len() {
        return None;
    }
    let column = block
        .cells
        .iter()
        .position(|c| c.start <= at && at < c.end)?;
    row_kind(&block.headers[column], lex)
}

fn joined_as_range(between: &str) -> bool {
    let t = between.trim().trim_end_matches(',');
    RANGE_JOINERS.iter().any(|j| t.eq_ignore_ascii_case(j))
}

/// A line's label: its text without the date, and without the colons,
/// dashes, brackets and bullets that tied the two. A line of several
/// sentences gives the one holding the date.
fn line_label(text: &str, from: usize, to: usize, lex: &Lexicon) -> String {
    let (start, end) = sentence_around(text, from, to);
    let before = &text[start..from];
    let after = &text[to..end];
    // "Camera-ready (May 29)": the brackets go with the date.
    let before = before.trim_end();
    let before = before.strip_suffix('(').unwrap_or(before);
    let after = after.trim_start();
    let after = after.strip_prefix(')').unwrap_or(after);
    let parts = [tidy(before, lex), tidy(after, lex)];
    let parts: Vec<&str> = parts
        .iter()
        .map(String::as_str)
        .filter(|p| !p.is_empty())
        .collect();
    parts.join(" ")
}

/// The sentence of `text` that holds `from..to`: from after the last
/// sentence end before it to the first one after it. A sentence ends at
/// ". ", "! " or "? " before a capital letter (or the line's end), so
/// "Mar. 3" and "e.g. the" do not end one.
fn sentence_around(text: &str, from: usize, to: usize) -> (usize, usize) {
    let ends_at = |i: usize| {
        let b = text.as_bytes();
        matches!(b[i], b'.' | b'!' | b'?') && {
            let rest = text[i + 1..].trim_start();
            rest.len() < text.len() - i - 1
                && (rest.is_empty() || rest.starts_with(|c: char| c.is_uppercase()))
                && i > 0
                && (b[i - 1].is_ascii_lowercase() || b[i - 1].is_ascii_digit() || b[i - 1] == b')')
        }
    };
    let start = (0..from).rev().find(|&i| ends_at(i)).map_or(0, |i| i + 1);
    let end = (to..text.len()).find(|&i| ends_at(i)).unwrap_or(text.len());
    (start, end)
}

/// The other cells of a table row, as its label.
fn cells_label(doc: &Document, block: &Block, from: usize, to: usize, lex: &Lexicon) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cell in &block.cells {
        let text = &doc.text[cell.clone()];
        if cell.start <= from && to <= cell.end {
            // The date's own cell may hold a label too: "May 29 (camera-ready)".
            let rest = line_label(text, from - cell.start, to - cell.start, lex);
            if !rest.is_empty() {
                parts.push(rest);
            }
            continue;
        }
        let t = tidy(text, lex);
        if !t.is_empty() && !bare(&t) {
            parts.push(t);
        }
    }
    parts.join(" · ")
}

/// Trims what ties a label to its date: whitespace, bullets, colons,
/// dashes, markup leftovers, and the preposition or "is" left dangling
/// where the date was ("security fixes until", "due on").
fn tidy(s: &str, lex: &Lexicon) -> String {
    let junk = |c: char| {
        c.is_whitespace()
            || matches!(
                c,
                ':' | ';'
                    | ','
                    | '.'
                    | '-'
                    | '–'
                    | '—'
                    | '|'
                    | '*'
                    | '_'
                    | '•'
                    | '·'
                    | '('
                    | ')'
                    | '['
                    | ']'
                    | '='
            )
    };
    let mut words: Vec<&str> = s.trim_matches(junk).split_whitespace().collect();
    // "2.2 Clarification questions…": a section number is no word of it.
    while words.len() > 1
        && words[0]
            .trim_end_matches('.')
            .split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    {
        words.remove(0);
    }
    while words.len() > 1 {
        let last = words[words.len() - 1].trim_matches(junk);
        // "Camera-ready due" keeps its "due": it says what the row is.
        let dangling = lex.get(last).is_some_and(|e| {
            !e.has(Role::RowDeadline)
                && (e.has(Role::AttachingPreposition)
                    || e.has(Role::Preposition)
                    || e.has(Role::BeForm)
                    || e.has(Role::Be))
        }) || last.is_empty();
        if !dangling {
            break;
        }
        words.pop();
    }
    // Punctuation the date left behind: "is due in . Jonah", "from , to".
    let mut out = String::new();
    for w in words {
        if !out.is_empty() && !w.starts_with([',', '.', ';']) {
            out.push(' ');
        }
        out.push_str(w);
    }
    out.trim_matches(junk).to_owned()
}

/// The kind a row's label says: a deadline by its words ("submission",
/// "due"), unless it opens or announces something.
pub(crate) fn row_kind(label: &str, lex: &Lexicon) -> Option<Kind> {
    let words = label
        .split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .filter(|w| !w.is_empty());
    let mut due = false;
    for w in words {
        let Some(e) = lex.get(w) else { continue };
        if e.has(Role::RowStart) {
            return None;
        }
        due |= e.has(Role::RowDeadline);
    }
    due.then_some(Kind::Deadline)
}

/// A time of day stated once for every deadline of a document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct DeadlineRule {
    pub time: NaiveTime,
    pub offset: Option<i16>,
}

/// Whether a block states a rule for all deadlines: a scope word ("all",
/// "each"), a deadline word, and a time of day without a date.
pub(crate) fn deadline_rule(
    doc: &Document,
    block: &Block,
    timexes: &[Timex],
    lex: &Lexicon,
) -> Option<DeadlineRule> {
    let text = &doc.text[block.range.clone()];
    if text.len() > 300 {
        return None;
    }
    let mut scope = false;
    let mut deadline = false;
    for w in text.split(|c: char| !(c.is_alphanumeric() || c == '-')) {
        if let Some(e) = lex.get(w) {
            scope |= e.has(Role::RuleScope);
            deadline |= e.has(Role::DeadlineCue) || e.has(Role::RowDeadline);
        }
    }
    if !(scope && deadline) {
        return None;
    }
    let [t] = timexes else { return None };
    if t.kind != TimexType::Time {
        return None;
    }
    // The time alone: "23:59", not "April 7 at 23:59".
    let has_date = t.text.split_whitespace().any(|w| {
        lex.get(w.trim_matches(|c: char| !c.is_alphanumeric()))
            .is_some_and(|e| e.month.is_some() || e.weekday.is_some())
    });
    if has_date {
        return None;
    }
    let at = t.interval?.start;
    Some(DeadlineRule {
        time: at.time(),
        offset: t.zone,
    })
}

/// Gives a date-only deadline the document's deadline time.
pub(crate) fn apply_rule(when: &When, rule: DeadlineRule) -> Option<When> {
    match when {
        When::Date(d) => Some(When::DateTime {
            at: NaiveDateTime::new(*d, rule.time),
            offset: rule.offset,
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_lose_what_tied_them_to_the_date() {
        let cases = [
            (
                "April 7, 2026: Abstract submission",
                0,
                13,
                "Abstract submission",
            ),
            (
                "Abstract submission: April 7",
                21,
                28,
                "Abstract submission",
            ),
            ("Camera-ready (May 29)", 14, 20, "Camera-ready"),
            ("**May 12** – Notification", 2, 8, "Notification"),
            (
                "Notification of acceptance on May 12",
                30,
                36,
                "Notification of acceptance",
            ),
        ];
        for (text, from, to, want) in cases {
            assert_eq!(
                line_label(text, from, to, crate::engine::english()),
                want,
                "{text}"
            );
        }
    }

    #[test]
    fn a_label_is_the_sentence_that_holds_the_date_in_a_few_words() {
        let lex = crate::engine::english();
        let label = |text: &str, date: &str| {
            let from = text.find(date).unwrap();
            let l = line_label(text, from, from + date.len(), lex);
            crate::events::title::shorten_label(&l, lex)
        };
        assert_eq!(
            label(
                "The permit renewal is due on June 3. Ask Ana for the form.",
                "June 3"
            ),
            "The permit renewal is due"
        );
        assert_eq!(
            label("4.1 Site visits take place on 12 May.", "12 May"),
            "Site visits take place"
        );
        assert_eq!(
            label(
                "Old release gets security fixes until 30 April.",
                "30 April"
            ),
            "Old release gets security fixes"
        );
        let long = label(
            "14 March: volunteers who signed up at the spring fair collect their badges and schedules from the front desk of the town hall annex",
            "14 March",
        );
        assert!(long.split_whitespace().count() <= 12, "{long}");
        assert!(
            long.starts_with("volunteers who signed up") || long.starts_with("volunteers collect"),
            "{long}"
        );
    }

    #[test]
    fn row_kinds_come_from_the_label() {
        let lex = crate::engine::english();
        assert_eq!(row_kind("Abstract submission", lex), Some(Kind::Deadline));
        assert_eq!(
            row_kind("Camera-ready version due", lex),
            Some(Kind::Deadline)
        );
        assert_eq!(row_kind("Notification of acceptance", lex), None);
        assert_eq!(row_kind("Registration opens", lex), None);
    }
}
