//! What the iCalendar writer reads of an event ([`IcsEvent`]): beyond
//! what views read ([`Shown`]), its times of change, reminder, zone and
//! sources. Both a whole [`Event`] and one borrowed from the read cache's
//! bytes ([`EventRef`]) have it, so an export of the store need not
//! decode 100,000 events into strings of their own.

use chrono::NaiveDateTime;

use crate::events::{Event, Shown};
use crate::store::EventRef;

/// The fields of an event the feed writes besides [`Shown`]'s.
pub trait IcsEvent: Shown {
    fn added(&self) -> NaiveDateTime;
    fn modified(&self) -> Option<NaiveDateTime>;
    fn remind(&self) -> Option<&str>;
    fn tz(&self) -> Option<&str>;
    fn edits(&self) -> u32;
    fn source_count(&self) -> usize;
    /// Each source's document and sentence.
    fn sources(&self) -> impl Iterator<Item = (&str, &str)>;
}

impl IcsEvent for Event {
    fn added(&self) -> NaiveDateTime {
        self.added
    }

    fn modified(&self) -> Option<NaiveDateTime> {
        self.modified
    }

    fn remind(&self) -> Option<&str> {
        self.remind.as_deref()
    }

    fn tz(&self) -> Option<&str> {
        self.tz.as_deref()
    }

    fn edits(&self) -> u32 {
        self.edits
    }

    fn source_count(&self) -> usize {
        self.sources.len()
    }

    fn sources(&self) -> impl Iterator<Item = (&str, &str)> {
        self.sources
            .iter()
            .map(|s| (s.file.as_str(), s.sentence.as_str()))
    }
}

impl IcsEvent for EventRef<'_> {
    fn added(&self) -> NaiveDateTime {
        self.added
    }

    fn modified(&self) -> Option<NaiveDateTime> {
        self.modified
    }

    fn remind(&self) -> Option<&str> {
        self.remind
    }

    fn tz(&self) -> Option<&str> {
        self.tz
    }

    fn edits(&self) -> u32 {
        self.edits
    }

    fn source_count(&self) -> usize {
        self.sources.len()
    }

    fn sources(&self) -> impl Iterator<Item = (&str, &str)> {
        self.sources.iter().map(|s| (s.file, s.sentence))
    }
}
