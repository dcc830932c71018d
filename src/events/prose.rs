//! The events of prose from a text that may come in pieces: the blocks
//! the tokenizer reads it in, each built once the text settles it (see
//! [`ProseEvents`]), and where the document's own header ends.

use chrono::NaiveDateTime;

use super::build::{build, LOOK_BACK};
use crate::engine::timex::Timex;
use crate::engine::tokenize::{blocks, tokenize, Token};
use crate::events::{Event, Merged};

/// The tokenizer's blocks events are read in (see [`blocks`]).
const PROSE_BLOCK: usize = 64 * 1024;

/// [`events_from`](super::build::events_from) for a text that comes in pieces: the timexes of each
/// piece are pushed, then [`ProseEvents::run`] builds the events of the
/// blocks the text so far settles. Each block is the one the whole text
/// gives, read with the same kilobyte above it, so the events are the
/// ones the whole text gives.
pub(crate) struct ProseEvents {
    /// Where the next block starts in the text.
    next: usize,
    /// Timexes not yet built or still near the next block, by start, with
    /// lengths dated; offsets from the text's start.
    waiting: Vec<Timex>,
    header: Header,
    out: Merged,
    dct: NaiveDateTime,
    file: String,
    added: NaiveDateTime,
}

impl ProseEvents {
    pub(crate) fn new(dct: NaiveDateTime, file: &str, added: NaiveDateTime) -> ProseEvents {
        ProseEvents {
            next: 0,
            waiting: Vec::new(),
            header: Header::Unknown,
            out: Merged::default(),
            dct,
            file: file.to_owned(),
            added,
        }
    }

    /// A timex of the prose, after those pushed before it.
    pub(crate) fn push(&mut self, t: Timex) {
        let t = t.reached().unwrap_or(t);
        self.waiting.push(t);
    }

    /// How many timexes wait.
    pub(crate) fn waiting(&self) -> usize {
        self.waiting.len()
    }

    /// Builds the events of the blocks `text` settles: it is the text from
    /// byte `base` on (`last`: to its end), holding the timexes pushed so
    /// far. Returns the byte the next call's text must start at or before.
    pub(crate) fn run(&mut self, text: &str, base: usize, last: bool) -> usize {
        self.header = match self.header {
            Header::Unknown => header_of(text, last),
            Header::Fields(at) => scan_fields(text, base, at, last),
            known => known,
        };
        let lex = crate::engine::english();
        let mut toks: Vec<Token> = Vec::new();
        shift(&mut self.waiting, base, false);
        let waiting = &self.waiting;
        let origin = self.next - base;
        let (mut pos, mut next) = (origin, 0);
        for (from, to) in blocks(&text[origin..], PROSE_BLOCK) {
            let (from, to) = (origin + from, origin + to);
            // A block is settled where the text goes on past what
            // `blocks` looks at to end it.
            if !last && from + PROSE_BLOCK + 8 > text.len() {
                break;
            }
            let header_end = match self.header {
                Header::Known(at) => at,
                Header::Fields(at) if base + to <= at => at,
                _ => break,
            };
            let in_block: Vec<&Timex> = waiting[next..]
                .iter()
                .take_while(|t| t.start < to)
                .filter(|t| t.start >= from)
                .collect();
            next += waiting[next..].iter().take_while(|t| t.start < to).count();
            pos = to;
            if in_block.is_empty() {
                continue;
            }
            tokenize(text, from, to, lex, &mut toks);
            for t in in_block {
                if base + t.start < header_end {
                    continue;
                }
                let file = &self.file;
                if let Some(mut e) = build(text, &toks, self.dct, t, waiting, file, self.added) {
                    e.move_sources(base);
                    self.out.push(e);
                }
            }
        }
        // What ended before the next block takes no part in it.
        let gone = self.waiting.iter().take_while(|t| t.end <= pos).count();
        self.waiting.drain(..gone.min(next));
        shift(&mut self.waiting, base, true);
        self.next = base + pos;
        let held = self.waiting.first().map_or(usize::MAX, |t| t.start);
        match self.header {
            Header::Unknown => 0,
            _ => self.next.saturating_sub(LOOK_BACK + 8).min(held),
        }
    }

    pub(crate) fn into_events(self) -> Vec<Event> {
        self.out.into_vec()
    }
}

/// Moves timexes (and their parts) by `by` bytes, `up` or down, wrapping:
/// a timex held from before `base` goes below 0 and comes back whole,
/// where [`Timex::move_earlier`] would stop it at 0 and lose its place.
fn shift(timexes: &mut [Timex], by: usize, up: bool) {
    for t in timexes {
        let (start, end) = match up {
            true => (t.start.wrapping_add(by), t.end.wrapping_add(by)),
            false => (t.start.wrapping_sub(by), t.end.wrapping_sub(by)),
        };
        (t.start, t.end) = (start, end);
        shift(&mut t.parts, by, up);
    }
}

/// Where the document's header ends, as far as its start tells.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Header {
    /// The text read so far does not tell.
    Unknown,
    /// A block of "Key: value" lines going on at least to this byte.
    Fields(usize),
    Known(usize),
}

/// Where the document's own header ends (email headers, front matter and a
/// dateline date the document, not an event in it), as far as its start
/// `text` (all of it when `whole`) tells; a line not yet ended is not read.
fn header_of(text: &str, whole: bool) -> Header {
    let text = match whole {
        true => text,
        false => &text[..memchr::memrchr(b'\n', text.as_bytes()).map_or(0, |k| k + 1)],
    };
    let mut end = 0;
    let mut lines = text.split_inclusive('\n');
    let Some(first) = lines.clone().next().or(whole.then_some("")) else {
        return Header::Unknown;
    };
    if first.trim() == "---" {
        // front matter
        end += first.len();
        for line in lines.by_ref().skip(1) {
            end += line.len();
            if line.trim() == "---" {
                return Header::Known(end);
            }
        }
        return match whole {
            true => Header::Known(0),
            false => Header::Unknown,
        };
    }
    let looks_like_header = |l: &str| {
        l.split_once(':').is_some_and(|(k, _)| {
            !k.is_empty() && !k.contains(' ') && k.chars().next().is_some_and(char::is_uppercase)
        })
    };
    // Two "Key: value" lines in a row make a header block; one alone
    // ("Reminder: the council…") is just a sentence.
    let Some(second) = text.split_inclusive('\n').nth(1).or(whole.then_some("")) else {
        return Header::Unknown;
    };
    if looks_like_header(first) && looks_like_header(second) {
        return scan_fields(text, 0, 0, whole);
    }
    // A dateline: "VIENNA, Oct. 14 — …": its date is the document's.
    if let Some(k) = ["—", "–", " -- ", " _ "]
        .iter()
        .filter_map(|d| first.find(d))
        .min()
    {
        let lead = &first[..k];
        if lead
            .split(',')
            .next()
            .is_some_and(|p| !p.is_empty() && !p.chars().any(char::is_lowercase))
        {
            return Header::Known(k);
        }
    }
    Header::Known(0)
}

/// A header block of "Key: value" lines read on from byte `at` of the
/// document, `text` being it from byte `base` on: it ends at its first
/// blank line, or with the document.
fn scan_fields(text: &str, base: usize, at: usize, whole: bool) -> Header {
    let rest = &text[at - base..];
    let rest = match whole {
        true => rest,
        false => &rest[..memchr::memrchr(b'\n', rest.as_bytes()).map_or(0, |k| k + 1)],
    };
    let mut end = at;
    for line in rest.split_inclusive('\n') {
        if line.trim().is_empty() {
            return Header::Known(end);
        }
        end += line.len();
    }
    match whole {
        true => Header::Known(end),
        false => Header::Fields(end),
    }
}
