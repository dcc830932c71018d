//! Holidays by name: "Christmas", "Easter 2027", "Thanksgiving of 2025",
//! "New Year's Eve". Their names and rules are language data; a name
//! gives a date like a month and day without a year, which the resolver
//! places by the year given, by "last"/"next", or by tense.

use super::*;
use crate::engine::holiday::Holiday;
use crate::engine::lexicon::{holiday_punct, Piece};

impl<'l> Grammar<'_, 'l> {
    /// A holiday's name with the year that may follow: "Christmas 2028",
    /// "Thanksgiving of 2025", "Easter next year".
    pub(super) fn holiday(&self, i: usize) -> Parsed {
        let (j, mut d) = self.holiday_name(i)?;
        let after = self.year_slot(j);
        if let Some(year) = self.year_number(after) {
            d.year = Some(year);
            return Some((after + 1, Partial::calendar(d, Placement::This)));
        }
        if let Some((offset, end)) = self.relative_year(after) {
            d.year_offset = Some(offset);
            return Some((end, Partial::calendar(d, Placement::This)));
        }
        Some((j, Partial::calendar(d, Placement::Tense)))
    }

    /// Just the name, and the date it names (its month and
    /// day when they are fixed, else its rule): the index after it.
    pub(super) fn holiday_name(&self, i: usize) -> Option<(usize, CalendarDate)> {
        if !self.role(i, Role::HolidayStart) {
            return None;
        }
        // "Father Christmas" is a person.
        if i > 0 && self.role(i - 1, Role::HolidayPerson) {
            return None;
        }
        let first = self.entry(i)?.id;
        let (end, holiday) = (self.lex.holidays.starting_with(first).iter())
            .find_map(|h| Some((self.name_at(i, &h.pieces)?, h.holiday)))?;
        // "Easter Island", "Christmas tree": a place or a thing, no day.
        if self.role(end, Role::HolidayObject) {
            return None;
        }
        // Typed in lower case ("xmas @ 7pm", "on easter"), a name needs a
        // cue or a time beside it.
        let cued = i > 0 && self.role(i - 1, Role::WeekdayCue);
        if !self.tok(i)?.capital && !cued && !self.time_follows(end) {
            return None;
        }
        let d = match holiday {
            Holiday::Fixed { month, day } => CalendarDate {
                month: Some(month),
                day: Some(day),
                ..CalendarDate::default()
            },
            moving => CalendarDate {
                holiday: Some(moving),
                ..CalendarDate::default()
            },
        };
        Some((end, d))
    }

    /// Whether the tokens at `i` spell a name's pieces: the index after it.
    fn name_at(&self, i: usize, pieces: &[Piece]) -> Option<usize> {
        for (k, piece) in pieces.iter().enumerate() {
            let t = self.tok(i + k)?;
            let same = match *piece {
                Piece::Word(id) => t.kind == Kind::Word && t.entry.is_some_and(|e| e.id == id),
                Piece::Punct(c) => {
                    t.kind == Kind::Punct && !t.space_before && holiday_punct(t.ch) == c
                }
            };
            if !same {
                return None;
            }
        }
        Some(i + pieces.len())
    }
}
