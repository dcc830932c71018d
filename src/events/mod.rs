//! Events: what the user tracks — something that happens, when, where, and
//! whether it is a deadline — with the evidence it came from.
//!
//! This module holds the types shared by the stages after extraction: the
//! event builder ([`build`]), the store, the views and the feed. It uses the
//! engine and the document readers, never the store or anything above it.

pub mod build;
pub mod document;
mod kind;
mod prose;
pub mod recur;
pub(crate) mod rows;
pub mod score;
mod shown;
mod title;
// Date arithmetic that overflows would panic on absurd input: checked only.
#[deny(clippy::arithmetic_side_effects)]
pub mod when;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

pub use recur::Recurrence;
pub use shown::{Row, Shown};

/// What kind of event it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Something due: "deadline", "due", "by", "expires", "until".
    Deadline,
    /// A meeting, talks, a summit, a vote among people.
    Meeting,
    /// Any other future event.
    Scheduled,
    /// Something that already happened.
    Past,
    /// Something under way over a span reaching the reference date.
    Ongoing,
    /// A recurrence ("every Monday").
    Recurring,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Deadline,
        Kind::Meeting,
        Kind::Scheduled,
        Kind::Past,
        Kind::Ongoing,
        Kind::Recurring,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Deadline => "deadline",
            Kind::Meeting => "meeting",
            Kind::Scheduled => "scheduled",
            Kind::Past => "past",
            Kind::Ongoing => "ongoing",
            Kind::Recurring => "recurring",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == s)
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Whether the user still tracks it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    #[default]
    Open,
    Done,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Done => "done",
        }
    }
}

/// When an event happens. A date, a date-time and a range are different
/// things, and a recurrence has no single time at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum When {
    /// A whole day (or a coarser period, given by `value` on the event).
    Date(NaiveDate),
    /// A wall-clock time, with its UTC offset in minutes where the text gave one.
    DateTime {
        at: NaiveDateTime,
        offset: Option<i16>,
    },
    /// A span: `start` inclusive, `end` exclusive, as dates.
    Range { start: NaiveDate, end: NaiveDate },
    /// A recurrence: its rule, first occurrence and the occurrences done
    /// (the event's `value` keeps the TIMEX3 value, "XXXX-WXX-1").
    Recurring(Recurrence),
}

impl When {
    /// The first instant, as local wall time; `None` for recurrences.
    pub fn start(&self) -> Option<NaiveDateTime> {
        match self {
            When::Date(d) => Some(d.and_time(NaiveTime::MIN)),
            When::DateTime { at, .. } => Some(*at),
            When::Range { start, .. } => Some(start.and_time(NaiveTime::MIN)),
            When::Recurring(_) => None,
        }
    }

    /// The exclusive end; a date lasts the whole day, a time one minute.
    pub fn end(&self) -> Option<NaiveDateTime> {
        match self {
            When::Date(d) => Some(d.and_time(NaiveTime::MIN) + Duration::days(1)),
            When::DateTime { at, .. } => Some(*at + Duration::minutes(1)),
            When::Range { end, .. } => Some(end.and_time(NaiveTime::MIN)),
            When::Recurring(_) => None,
        }
    }

    /// Where the views place it on or after `day`: itself, or for a
    /// recurrence its next occurrence not done (`None` when none is left).
    pub fn occurrence(&self, day: NaiveDate) -> Option<When> {
        let When::Recurring(r) = self else {
            return Some(self.clone());
        };
        Some(r.on(r.next_from(day)?))
    }

    /// The instant a countdown counts to. A date-only deadline counts to
    /// the START of its day (documented in the README): "due Nov. 24"
    /// means it must be there when Nov. 24 begins.
    pub fn due(&self) -> Option<NaiveDateTime> {
        self.start()
    }
}

/// Where an event was found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// The document: a file path, "-" for stdin, or a jsonl doc id.
    pub file: String,
    /// The sentence the event was read from.
    pub sentence: String,
    /// Byte offsets of the timex in the document.
    pub start: usize,
    pub end: usize,
    /// The timex text itself.
    pub timex: String,
}

/// One tracked event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// Stable identifier: derived from the title and time, so re-adding the
    /// same event finds it again.
    pub id: String,
    pub title: String,
    pub kind: Kind,
    pub when: When,
    /// The TIMEX3-style value of its time: "2014-11-24", "2014-10-15T15:00",
    /// "2014-03/2014-10", "XXXX-WXX-1".
    pub value: String,
    pub place: Option<String>,
    /// The document's subject ("ICWX 2026"), so "Camera-ready" from two
    /// calls can be told apart.
    pub context: Option<String>,
    pub status: Status,
    /// When it was added to the store.
    pub added: NaiveDateTime,
    pub notes: Option<String>,
    /// A reminder lead time, e.g. "1d", "2h".
    pub remind: Option<String>,
    /// The user's labels ("work", "grants"): filters, shown in tables,
    /// exported as CATEGORIES.
    pub tags: Vec<String>,
    /// The IANA zone of its wall-clock times ("Europe/Vienna"), where one
    /// is known: the feed then places them right across DST changes.
    pub tz: Option<String>,
    /// When the user last changed it (`modify`, `edit`, `done`), and how
    /// many such changes there were: the feed's `LAST-MODIFIED` and part
    /// of its `SEQUENCE`, so subscribed calendars update.
    pub modified: Option<NaiveDateTime>,
    pub edits: u32,
    pub sources: Vec<Source>,
}

impl Event {
    /// An open event with only what every event has: its id made from the
    /// title and the value `when` gives, no place, notes, tags or sources.
    pub fn new(title: &str, kind: Kind, when: When, added: NaiveDateTime) -> Event {
        let value = when_value(&when);
        Event::valued(title.to_string(), kind, when, value, added)
    }

    /// [`Event::new`] with the TIMEX3 `value` given: a found date's own
    /// ("2014-10-14T15:00/2014-10-14T16:00" for "3-4pm"), or a rule's.
    pub fn valued(
        title: String,
        kind: Kind,
        when: When,
        value: String,
        added: NaiveDateTime,
    ) -> Event {
        Event {
            id: event_id(&title, &value),
            title,
            kind,
            when,
            value,
            place: None,
            context: None,
            status: Status::Open,
            added,
            notes: None,
            remind: None,
            tags: Vec::new(),
            tz: None,
            modified: None,
            edits: 0,
            sources: Vec::new(),
        }
    }

    /// Moves the offsets of its sources `by` bytes on: found in a piece
    /// of the document that starts there.
    pub fn move_sources(&mut self, by: usize) {
        for s in &mut self.sources {
            s.start += by;
            s.end += by;
        }
    }

    /// The title as views show it: with the document's subject in front
    /// ("ICWX 2026 · Camera-ready") when there is one.
    pub fn display_title(&self) -> String {
        Shown::display_title(self)
    }
}

/// Events in the order first found, each id once: an event found again
/// (the same id) adds its sources to the one kept.
#[derive(Debug, Default)]
pub struct Merged {
    events: Vec<Event>,
    by_id: std::collections::HashMap<String, usize>,
}

/// The most sources one batch gives an event: where it was read is worth
/// a few lines, but "Monday" on each of a million lines is not a million.
pub const MAX_SOURCES: usize = 25;

impl Merged {
    pub fn push(&mut self, mut e: Event) {
        e.sources.truncate(MAX_SOURCES);
        match self.by_id.get(&e.id) {
            Some(&i) => {
                let sources = &mut self.events[i].sources;
                let room = MAX_SOURCES.saturating_sub(sources.len());
                sources.extend(e.sources.into_iter().take(room));
            }
            None => {
                self.by_id.insert(e.id.clone(), self.events.len());
                self.events.push(e);
            }
        }
    }

    pub fn into_vec(self) -> Vec<Event> {
        self.events
    }
}

/// A stable id from an event's title and value: "ev-" and 16 hex digits of
/// a 64-bit FNV-1a hash of the normalized title and the value. The same
/// event read from two documents gets the same id. (Stores written before
/// ids had 64 bits hold 8-digit ids; the store matches those by content,
/// see [`Event::same_content`].)
pub fn event_id(title: &str, value: &str) -> String {
    let h = fnv1a(
        normalized_title(title)
            .bytes()
            .chain([0u8])
            .chain(value.bytes()),
    );
    format!("ev-{h:016x}")
}

/// The id of an event a calendar file names by its `UID`: "ev-" and 16 hex
/// digits of the same hash as [`event_id`], over the UID's exact bytes
/// (UIDs are case-sensitive), so importing the file again finds it.
pub fn uid_id(uid: &str) -> String {
    format!("ev-{:016x}", fnv1a(uid.bytes()))
}

/// 64-bit FNV-1a: small, stable across versions and platforms, which is
/// what ids written to files need (std's hasher promises neither).
fn fnv1a(bytes: impl IntoIterator<Item = u8>) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// A title as ids compare it: letters and digits, lower-case.
fn normalized_title(title: &str) -> String {
    title
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

impl Event {
    /// Whether two events are the same happening as ids see it: the same
    /// normalized title (and context) and the same value. Two events with
    /// one id but different content are a hash collision, never a merge.
    pub fn same_content(&self, other: &Event) -> bool {
        self.value == other.value && self.content_key() == other.content_key()
    }

    /// What [`Event::same_content`] compares, as one string.
    pub fn content_key(&self) -> String {
        let context = self.context.as_deref().map(normalized_title);
        format!(
            "{}\u{1f}{}\u{0}{}",
            context.unwrap_or_default(),
            normalized_title(&self.title),
            self.value
        )
    }
}

/// Formats the TIMEX3-style value of a `When` at day precision or finer.
pub fn when_value(when: &When) -> String {
    match when {
        When::Date(d) => d.format("%Y-%m-%d").to_string(),
        When::DateTime { at, .. } => at.format("%Y-%m-%dT%H:%M").to_string(),
        When::Range { start, end } => {
            let last = *end - Duration::days(1);
            if start.day() == 1 && end.day() == 1 {
                format!("{}/{}", start.format("%Y-%m"), last.format("%Y-%m"))
            } else {
                format!("{}/{}", start.format("%Y-%m-%d"), last.format("%Y-%m-%d"))
            }
        }
        When::Recurring(r) => recur::timex_of_recurrence(r),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_ignore_case_and_punctuation() {
        assert_eq!(
            event_id("Deadline to finalize an agreement", "2014-11-24"),
            event_id("deadline to finalize an agreement.", "2014-11-24")
        );
        assert_ne!(
            event_id("Deadline", "2014-11-24"),
            event_id("Deadline", "2014-11-25")
        );
    }

    #[test]
    fn month_ranges_print_as_months() {
        let w = When::Range {
            start: NaiveDate::from_ymd_opt(2014, 3, 1).unwrap(),
            end: NaiveDate::from_ymd_opt(2014, 11, 1).unwrap(),
        };
        assert_eq!(when_value(&w), "2014-03/2014-10");
    }
}
