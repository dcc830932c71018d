//! [`EventRef`]: a whole event with its text borrowed from where it lies
//! (the read cache's bytes, or an [`Event`]), for the export that writes
//! every field of 100,000 events once and keeps none.
//!
//! Decoding each into an `Event` of its own was a third of an iCalendar
//! export's instructions, and freeing them again another twelfth: some
//! fifteen strings an event allocated, copied and freed.

use chrono::NaiveDateTime;

use crate::events::{Event, Kind, Shown, Status, When};

/// Every field of an [`Event`], its text borrowed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventRef<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub kind: Kind,
    pub when: When,
    pub value: &'a str,
    pub place: Option<&'a str>,
    pub context: Option<&'a str>,
    pub status: Status,
    pub added: NaiveDateTime,
    pub notes: Option<&'a str>,
    pub remind: Option<&'a str>,
    pub tags: Vec<&'a str>,
    pub tz: Option<&'a str>,
    pub modified: Option<NaiveDateTime>,
    pub edits: u32,
    pub sources: SourceRefs<'a>,
}

/// A source of an [`EventRef`], as [`Source`](crate::events::Source) has it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SourceRef<'a> {
    pub file: &'a str,
    pub sentence: &'a str,
    /// Byte offsets of the timex in the document.
    pub start: usize,
    pub end: usize,
    pub timex: &'a str,
}

/// An [`EventRef`]'s sources. Nearly every event has one: it is kept in
/// place, and only a second and later ones in a `Vec` (one `Vec` of its
/// own per event was a twentieth of an export's instructions, in
/// allocating and freeing it).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SourceRefs<'a> {
    first: Option<SourceRef<'a>>,
    rest: Vec<SourceRef<'a>>,
}

impl<'a> SourceRefs<'a> {
    /// Adds `source` after those there.
    pub fn push(&mut self, source: SourceRef<'a>) {
        match self.first {
            None => self.first = Some(source),
            Some(_) => self.rest.push(source),
        }
    }

    pub fn len(&self) -> usize {
        usize::from(self.first.is_some()) + self.rest.len()
    }

    pub fn is_empty(&self) -> bool {
        self.first.is_none()
    }

    /// Each source, in the order pushed.
    pub fn iter(&self) -> impl Iterator<Item = &SourceRef<'a>> {
        self.first.iter().chain(&self.rest)
    }
}

impl<'a> FromIterator<SourceRef<'a>> for SourceRefs<'a> {
    fn from_iter<I: IntoIterator<Item = SourceRef<'a>>>(sources: I) -> Self {
        let mut all = SourceRefs::default();
        for source in sources {
            all.push(source);
        }
        all
    }
}

impl<'a> From<&'a Event> for EventRef<'a> {
    fn from(e: &'a Event) -> EventRef<'a> {
        EventRef {
            id: &e.id,
            title: &e.title,
            kind: e.kind,
            when: e.when.clone(),
            value: &e.value,
            place: e.place.as_deref(),
            context: e.context.as_deref(),
            status: e.status,
            added: e.added,
            notes: e.notes.as_deref(),
            remind: e.remind.as_deref(),
            tags: e.tags.iter().map(String::as_str).collect(),
            tz: e.tz.as_deref(),
            modified: e.modified,
            edits: e.edits,
            sources: e
                .sources
                .iter()
                .map(|s| SourceRef {
                    file: &s.file,
                    sentence: &s.sentence,
                    start: s.start,
                    end: s.end,
                    timex: &s.timex,
                })
                .collect(),
        }
    }
}

impl Shown for EventRef<'_> {
    fn id(&self) -> &str {
        self.id
    }

    fn title(&self) -> &str {
        self.title
    }

    fn kind(&self) -> Kind {
        self.kind
    }

    fn when(&self) -> &When {
        &self.when
    }

    fn value(&self) -> &str {
        self.value
    }

    fn place(&self) -> Option<&str> {
        self.place
    }

    fn context(&self) -> Option<&str> {
        self.context
    }

    fn status(&self) -> Status {
        self.status
    }

    fn tags(&self) -> impl Iterator<Item = &str> {
        self.tags.iter().copied()
    }

    fn notes(&self) -> Option<&str> {
        self.notes
    }

    fn sentences(&self) -> impl Iterator<Item = &str> {
        self.sources.iter().map(|s| s.sentence)
    }
}
