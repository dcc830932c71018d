//! What the views read of an event ([`Shown`]), from a whole [`Event`] or
//! from a [`Row`]: the fields a table shows, borrowed from the read
//! cache's bytes.
//!
//! A table of 100,000 events decoded each into an `Event` spent a third
//! of its time allocating, copying and freeing the strings of its fields;
//! a row points into the cache's bytes instead and allocates nothing but
//! a recurrence's rule and a tagged event's list of tags.

use super::{Event, Kind, Status, When};

/// The fields of an event that views filter, sort and show.
pub trait Shown {
    fn id(&self) -> &str;
    fn title(&self) -> &str;
    fn kind(&self) -> Kind;
    fn when(&self) -> &When;
    /// The TIMEX3-style value (shown for a recurrence no rule describes).
    fn value(&self) -> &str;
    fn place(&self) -> Option<&str>;
    fn context(&self) -> Option<&str>;
    fn status(&self) -> Status;
    fn tags(&self) -> impl Iterator<Item = &str>;
    /// The notes, which `--grep` searches (never in a [`Row`]).
    fn notes(&self) -> Option<&str>;
    /// The sources' sentences, which `--grep` searches (never in a
    /// [`Row`]).
    fn sentences(&self) -> impl Iterator<Item = &str>;

    /// The title as views show it: with the document's subject in front
    /// ("ICWX 2026 · Camera-ready") when there is one and the title does
    /// not already say it.
    fn display_title(&self) -> String {
        match self.context() {
            Some(c) if !self.title().to_lowercase().contains(&c.to_lowercase()) => {
                format!("{c} · {}", self.title())
            }
            _ => self.title().to_string(),
        }
    }
}

impl Shown for Event {
    fn id(&self) -> &str {
        &self.id
    }

    fn title(&self) -> &str {
        &self.title
    }

    fn kind(&self) -> Kind {
        self.kind
    }

    fn when(&self) -> &When {
        &self.when
    }

    fn value(&self) -> &str {
        &self.value
    }

    fn place(&self) -> Option<&str> {
        self.place.as_deref()
    }

    fn context(&self) -> Option<&str> {
        self.context.as_deref()
    }

    fn status(&self) -> Status {
        self.status
    }

    fn tags(&self) -> impl Iterator<Item = &str> {
        self.tags.iter().map(String::as_str)
    }

    fn notes(&self) -> Option<&str> {
        self.notes.as_deref()
    }

    fn sentences(&self) -> impl Iterator<Item = &str> {
        self.sources.iter().map(|s| s.sentence.as_str())
    }
}

/// An event as a table shows it, its text borrowed from where it lies
/// (the read cache's bytes, or an [`Event`]). It has no notes and no
/// sources, so views that search them (`--grep`) read whole events.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub kind: Kind,
    pub when: When,
    /// A recurrence's TIMEX3 value (shown when no rule describes it);
    /// empty for other events, where no table shows it.
    pub value: &'a str,
    pub place: Option<&'a str>,
    pub context: Option<&'a str>,
    pub status: Status,
    pub tags: Vec<&'a str>,
}

impl<'a> Row<'a> {
    /// The row of any event views can show, borrowing its text.
    pub fn of<E: Shown>(e: &'a E) -> Row<'a> {
        let when = e.when();
        Row {
            id: e.id(),
            title: e.title(),
            kind: e.kind(),
            when: when.clone(),
            value: match when {
                When::Recurring(_) => e.value(),
                _ => "",
            },
            place: e.place(),
            context: e.context(),
            status: e.status(),
            tags: e.tags().collect(),
        }
    }
}

impl<'a> From<&'a Event> for Row<'a> {
    fn from(e: &'a Event) -> Row<'a> {
        Row::of(e)
    }
}

impl Shown for Row<'_> {
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
        None
    }

    fn sentences(&self) -> impl Iterator<Item = &str> {
        std::iter::empty()
    }
}

/// Views hold events by reference (`&[&Event]`): a reference shows what
/// it points to.
impl<T: Shown + ?Sized> Shown for &T {
    fn id(&self) -> &str {
        (**self).id()
    }

    fn title(&self) -> &str {
        (**self).title()
    }

    fn kind(&self) -> Kind {
        (**self).kind()
    }

    fn when(&self) -> &When {
        (**self).when()
    }

    fn value(&self) -> &str {
        (**self).value()
    }

    fn place(&self) -> Option<&str> {
        (**self).place()
    }

    fn context(&self) -> Option<&str> {
        (**self).context()
    }

    fn status(&self) -> Status {
        (**self).status()
    }

    fn tags(&self) -> impl Iterator<Item = &str> {
        (**self).tags()
    }

    fn notes(&self) -> Option<&str> {
        (**self).notes()
    }

    fn sentences(&self) -> impl Iterator<Item = &str> {
        (**self).sentences()
    }
}
