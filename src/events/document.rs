//! The events of a whole document read into blocks: schedule rows by their
//! structure ([`rows`](super::rows)), prose by its clauses
//! ([`build`](super::build)), each kept with the document's subject and
//! pointing into the file the user has.

use chrono::{Duration, NaiveDateTime};

use super::prose::ProseEvents;
use super::rows::{
    apply_rule, deadline_rule, read_rows, row_kind, DeadlineRule, Row, RANGE_JOINERS,
};
use crate::document::{dct, Block, BlockKind, Document};
use crate::engine::lexicon::Role;
use crate::engine::timex::Timex;
use crate::events::{event_id, when_value, Event, Kind, Merged, Source, When};

/// Builds the events of a document from the timexes the engine found in
/// [`Document::text`]. `dated_by` says where the reference date came from:
/// a date in the title dates the document and is no event.
pub fn events_from_document(
    doc: &Document,
    dct: NaiveDateTime,
    dated_by: &dct::Source,
    timexes: &[Timex],
    file: &str,
    added: NaiveDateTime,
) -> Vec<Event> {
    let mut events = DocumentEvents::new(dct, dated_by, file, added);
    events.blocks(doc, 0, timexes);
    events.prose(&doc.text, 0, true);
    events.finish(|at| doc.file_offset(at), doc.subject.as_deref())
}

/// [`events_from_document`] for a document read in windows: the blocks of
/// each window with their timexes ([`DocumentEvents::blocks`]), the text
/// as it comes ([`DocumentEvents::prose`]), then the document's subject
/// ([`DocumentEvents::finish`]). Memory holds the events, not the text.
pub struct DocumentEvents {
    dct: NaiveDateTime,
    dated_by: dct::Source,
    file: String,
    added: NaiveDateTime,
    /// Events of schedule rows and headings, in the order of the blocks.
    rows: Vec<Event>,
    /// Events read from headings, by index in `rows`.
    headlines: Vec<usize>,
    /// The document's first deadline rule.
    rule: Option<DeadlineRule>,
    prose: ProseEvents,
}

impl DocumentEvents {
    pub fn new(
        dct: NaiveDateTime,
        dated_by: &dct::Source,
        file: &str,
        added: NaiveDateTime,
    ) -> DocumentEvents {
        DocumentEvents {
            dct,
            dated_by: dated_by.clone(),
            file: file.to_owned(),
            added,
            rows: Vec::new(),
            headlines: Vec::new(),
            rule: None,
            prose: ProseEvents::new(dct, file, added),
        }
    }

    /// Reads the blocks of `doc`, whose text starts at byte `base` of the
    /// document's, with the timexes found in them (offsets into
    /// `doc.text`): rows become events, prose waits for
    /// [`DocumentEvents::prose`].
    pub fn blocks(&mut self, doc: &Document, base: usize, timexes: &[Timex]) {
        let mut next = 0;
        for block in &doc.blocks {
            let begin = next + timexes[next..].partition_point(|t| t.start < block.range.start);
            let end = begin + timexes[begin..].partition_point(|t| t.start < block.range.end);
            next = end;
            self.block(doc, block, base, &timexes[begin..end]);
        }
    }

    /// [`DocumentEvents::blocks`] for one block of `doc` and the timexes
    /// that start in it, after the blocks before it.
    pub fn block(&mut self, doc: &Document, block: &Block, base: usize, inside: &[Timex]) {
        if inside.is_empty() {
            return;
        }
        let (dct, dated_by, file) = (self.dct, &self.dated_by, self.file.as_str());
        let dated = super::when::dated_lengths(inside);
        let inside = &dated[..];
        let lex = crate::engine::english();
        if let Some(r) = deadline_rule(doc, block, inside, lex) {
            self.rule.get_or_insert(r);
            return;
        }
        let is_title = matches!(block.kind, BlockKind::Heading(_))
            && *dated_by == dct::Source::Title
            && inside
                .iter()
                .any(|t| t.interval.is_some_and(|i| i.start.date() == dct.date()));
        if is_title {
            return;
        }
        let row_like = block.kind.is_row() || matches!(block.kind, BlockKind::Heading(_));
        let rows = if row_like {
            read_rows(doc, block, inside, lex)
        } else {
            Vec::new()
        };
        if !rows.is_empty() {
            for row in &rows {
                let Some(mut e) = row_event(doc, block, row, dct, file, self.added) else {
                    continue;
                };
                // A dated heading in the past names notes or minutes of
                // that day, not something to track.
                let heading = matches!(block.kind, BlockKind::Heading(_));
                if heading && e.when.start().is_some_and(|s| s.date() < dct.date()) {
                    continue;
                }
                if heading {
                    self.headlines.push(self.rows.len());
                }
                e.move_sources(base);
                self.rows.push(e);
            }
        } else if block.kind != BlockKind::Code {
            for mut t in joined_ranges(&doc.text, inside) {
                t.move_later(base);
                self.prose.push(t);
            }
        }
    }

    /// How many prose timexes wait for their text.
    pub fn waiting(&self) -> usize {
        self.prose.waiting()
    }

    /// Builds the events of the prose the text settles: `text` is the
    /// document's text from byte `base` on (`last`: to its end), after the
    /// blocks of it were read. Returns the byte the next call's text must
    /// start at or before.
    pub fn prose(&mut self, text: &str, base: usize, last: bool) -> usize {
        self.prose.run(text, base, last)
    }

    /// The document's events, once all of it was read: `in_file` maps a
    /// byte of its text to the file's, `subject` names it.
    pub fn finish(self, in_file: impl Fn(usize) -> usize, subject: Option<&str>) -> Vec<Event> {
        let lex = crate::engine::english();
        let mut out = self.rows;
        for mut e in self.prose.into_events() {
            if qualifier_period(&e) {
                continue;
            }
            // "voters must register", "banks to submit comments": the words of
            // a deadline row, with an obligation. "Dividend to be paid" and
            // "workshops to be held" are scheduled (a passive "to be" obliges
            // no one), and a hearing stays a meeting whatever it is about.
            // The headline's first "to" is the one that can oblige ("…to be
            // paid to shareholders" has a second, a preposition).
            let words: Vec<&str> = e.title.split(' ').collect();
            let first_to = words.iter().position(|&w| w == "to");
            let obliged = words.contains(&"must")
                || first_to.is_some_and(|i| words.get(i + 1).is_some_and(|&n| n != "be"));
            let can_be_due = matches!(e.kind, Kind::Scheduled | Kind::Past) && obliged;
            if can_be_due && row_kind(&e.title, lex) == Some(Kind::Deadline) {
                e.kind = Kind::Deadline;
            }
            out.push(e);
        }
        merge_headlines(&mut out, &self.headlines, lex);
        merge_anaphora(&mut out, lex);
        let mut merged = Merged::default();
        for mut e in out {
            for s in &mut e.sources {
                let (start, end) = (in_file(s.start), in_file(s.end.saturating_sub(1)) + 1);
                s.start = start;
                s.end = end.max(start);
            }
            if let Some(context) = subject {
                e.context = Some(context.to_owned());
                e.id = event_id(&format!("{context}\u{1f}{}", e.title), &e.value);
            }
            if let (Some(r), Kind::Deadline) = (self.rule, e.kind) {
                if let Some(w) = apply_rule(&e.when, r) {
                    e.value = when_value(&w);
                    e.when = w;
                }
            }
            merged.push(e);
        }
        merged.into_vec()
    }
}

/// A headline and the body report one happening: the headline's event
/// joins a body event that starts the same day and shares a content word
/// with it ("Ferry service resumes Monday" and "The ferry will resume
/// sailings on Monday").
fn merge_headlines(
    out: &mut Vec<Event>,
    headlines: &[usize],
    lex: &crate::engine::lexicon::Lexicon,
) {
    // Content words: not in the language table, which lists the function
    // and time words; compared on a short prefix so "resumes" meets "resume".
    let words = |e: &Event| -> Vec<String> {
        e.title
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() >= 4 && lex.get(w).is_none())
            .map(|w| w.to_lowercase().chars().take(5).collect())
            .collect()
    };
    let day = |e: &Event| e.when.start().map(|s| s.date());
    let mut gone = vec![false; out.len()];
    for &h in headlines {
        let (hw, hd) = (words(&out[h]), day(&out[h]));
        let body = (0..out.len()).find(|&j| {
            !gone[j]
                && j != h
                && !headlines.contains(&j)
                && hd.is_some()
                && day(&out[j]) == hd
                && words(&out[j]).iter().any(|w| hw.contains(w))
        });
        if let Some(j) = body {
            let sources = std::mem::take(&mut out[h].sources);
            out[j].sources.extend(sources);
            gone[h] = true;
        }
    }
    drop_marked(out, &gone);
}

/// "The council will vote on Dec. 8. That day, residents can also speak.":
/// a date that points back ("that day", "the same day") to a day that
/// already has an event is that event, mentioned again.
fn merge_anaphora(out: &mut Vec<Event>, lex: &crate::engine::lexicon::Lexicon) {
    let day = |e: &Event| e.when.start().map(|s| s.date());
    let anaphoric = |e: &Event| {
        e.sources.len() == 1
            && e.sources[0].timex.split_whitespace().count() <= 3
            && e.sources[0]
                .timex
                .split_whitespace()
                .any(|w| lex.get(w).is_some_and(|x| x.has(Role::That)))
    };
    let mut gone = vec![false; out.len()];
    for i in 0..out.len() {
        if !anaphoric(&out[i]) || day(&out[i]).is_none() {
            continue;
        }
        let earlier = (0..i).find(|&j| !gone[j] && day(&out[j]) == day(&out[i]));
        if let Some(j) = earlier {
            let sources = std::mem::take(&mut out[i].sources);
            out[j].sources.extend(sources);
            gone[i] = true;
        }
    }
    drop_marked(out, &gone);
}

/// Removes the events marked in `gone` (merged into another), in order.
fn drop_marked(out: &mut Vec<Event>, gone: &[bool]) {
    let mut k = 0;
    out.retain(|_| {
        k += 1;
        !gone[k - 1]
    });
}

/// Whether an event's time is a period that qualifies a noun or gives a
/// baseline far more often than it dates something a person tracks: a
/// whole year ("the 2025 edition", "up from last year"), a quarter, half
/// or season ("second-quarter earnings"), or a frequency written as one
/// word ("quarterly dividend", "weekly advisories").
fn qualifier_period(e: &Event) -> bool {
    let v = e.value.as_bytes();
    let year = v.len() >= 4 && v[..4].iter().all(u8::is_ascii_digit);
    let coarse = year
        && (v.len() == 4
            || (v.len() == 7
                && v[4] == b'-'
                && matches!(
                    &e.value[5..],
                    "Q1" | "Q2" | "Q3" | "Q4" | "H1" | "H2" | "SP" | "SU" | "FA" | "WI"
                )));
    let one_word_frequency = e.kind == Kind::Recurring
        && e.value.starts_with('P')
        && e.sources.first().is_some_and(|s| !s.timex.contains(' '));
    coarse || one_word_frequency
}

/// The prose timexes of a block with "June 18 to June 21", "May 11 -
/// May 13" and "from 3 to 5 March" joined into one timex spanning both
/// days, so the event gets a start and an end.
fn joined_ranges(text: &str, timexes: &[Timex]) -> Vec<Timex> {
    let mut out: Vec<Timex> = Vec::with_capacity(timexes.len());
    for t in timexes {
        if let Some(prev) = out.last_mut() {
            if let Some(joined) = join(text, prev, t) {
                *prev = joined;
                continue;
            }
        }
        out.push(t.clone());
    }
    out
}

fn join(text: &str, a: &Timex, b: &Timex) -> Option<Timex> {
    let between = text.get(a.end..b.start)?.trim();
    let joiner = RANGE_JOINERS
        .iter()
        .any(|j| between.eq_ignore_ascii_case(j));
    let (ia, ib) = (a.interval?, b.interval?);
    let days = |i: &crate::engine::timex::Interval| i.end - i.start == Duration::days(1);
    if !joiner
        || !days(&ia)
        || !days(&ib)
        || ib.start <= ia.start
        || ib.start - ia.start > Duration::days(370)
    {
        return None;
    }
    let mut joined = a.clone();
    joined.end = b.end;
    joined.text = text[a.start..b.end].into();
    joined.value = compact_str::format_compact!("{}/{}", a.value, b.value);
    joined.interval = Some(crate::engine::timex::Interval {
        start: ia.start,
        end: ib.end,
    });
    Some(joined)
}

/// One event from a schedule row.
fn row_event(
    doc: &Document,
    block: &Block,
    row: &Row,
    dct: NaiveDateTime,
    file: &str,
    added: NaiveDateTime,
) -> Option<Event> {
    let first = row.dates[0];
    let last = row.dates[row.dates.len() - 1];
    // A row's date reads as a prose one's; a date and a time given apart,
    // or the two ends of a range, are put together here.
    let when = match (row.time, row.dates.len()) {
        (Some(t), _) => When::DateTime {
            at: t.interval?.start,
            offset: t.zone,
        },
        (None, 2) => When::Range {
            start: first.interval?.start.date(),
            end: last.interval?.end.date(),
        },
        _ => super::when::dated(first)?.0,
    };
    let ahead = when.start().is_some_and(|s| s.date() >= dct.date());
    let lex = crate::engine::english();
    let meeting = row
        .title
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| lex.get(w).is_some_and(|e| e.has(Role::MeetingCue)));
    let kind = match row.kind_hint {
        Some(k) => k,
        None if ahead && meeting => Kind::Meeting,
        None if ahead => Kind::Scheduled,
        None => Kind::Past,
    };
    let text = &doc.text[block.range.clone()];
    Some(Event {
        tz: row.time.and_then(|t| t.tzid).map(str::to_owned),
        sources: vec![Source {
            file: file.to_string(),
            sentence: text.split_whitespace().collect::<Vec<_>>().join(" "),
            start: first.start,
            end: last.end,
            timex: doc.text[first.start..last.end].to_string(),
        }],
        ..Event::new(&row.title, kind, when, added)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(s: &str) -> NaiveDateTime {
        dct::parse(s).unwrap()
    }

    fn events(text: &str, dct: &str) -> Vec<Event> {
        let doc = crate::document::read(text.as_bytes(), "t.txt", None).unwrap();
        let blocks = doc.engine_blocks();
        let found = crate::engine::Extractor::default().extract_blocks(&doc.text, at(dct), blocks);
        events_from_document(&doc, at(dct), &dct::Source::Flag, &found, "t.txt", at(dct))
    }

    #[test]
    fn from_x_to_y_is_one_event_with_both_ends() {
        let found = events(
            "The fair will run from June 18 to June 21 in Milwaukee.\n",
            "2026-03-01",
        );
        assert_eq!(found.len(), 1, "{found:?}");
        let day = |d| NaiveDate::from_ymd_opt(2026, 6, d).unwrap();
        assert_eq!(
            found[0].when,
            When::Range {
                start: day(18),
                end: day(22)
            }
        );
        assert_eq!(found[0].value, "2026-06-18/2026-06-21");
    }

    #[test]
    fn periods_that_qualify_a_noun_are_no_events() {
        let text =
            "Second-quarter earnings rose from a year earlier, and the quarterly dividend stays. \
                    The 2025 edition drew crowds. The board will meet on March 3.\n";
        let found = events(text, "2026-02-01");
        let values: Vec<&str> = found.iter().map(|e| e.value.as_str()).collect();
        assert_eq!(values, ["2026-03-03"], "{found:?}");
    }

    #[test]
    fn a_headline_and_its_body_are_one_event() {
        let text = "Ferry service resumes Monday after repairs\n\n\
                    The island ferry will resume sailings on Monday, the operator said.\n";
        let found = events(text, "2026-11-12");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].value, "2026-11-16");
        assert_eq!(found[0].sources.len(), 2);
    }

    #[test]
    fn deadlines_by_what_is_due_and_states_that_end() {
        let text = "Voters who want to vote in the primary must register by May 18. \
                    Banks had until March 10 to submit comments on the rules. \
                    The bridge remains closed until April 3.\n";
        let found = events(text, "2026-03-20");
        let kind = |v: &str| found.iter().find(|e| e.value == v).map(|e| e.kind);
        assert_eq!(kind("2026-05-18"), Some(Kind::Deadline), "{found:?}");
        assert_eq!(kind("2026-03-10"), Some(Kind::Deadline), "{found:?}");
        assert_eq!(kind("2026-04-03"), Some(Kind::Scheduled), "{found:?}");
    }
}
