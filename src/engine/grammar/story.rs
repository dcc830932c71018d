//! The expressions of stories told in the past: years of an era ("490
//! BC", "AD 79"), a season or month placed from the date the text reached
//! ("that spring", "the following March", "the summer of that year"), and
//! "that time".

use super::*;

impl<'l> Grammar<'_, 'l> {
    /// "490 BC", "44 B.C.", "AD 79", "79 CE": a year of an era.
    pub(super) fn era_year(&self, i: usize) -> Parsed {
        // "AD 79"
        if let Some((Era::Common, k)) = self.era(i) {
            let (v, digits) = self.number(k)?;
            if digits > 4 || v == 0 {
                return None;
            }
            return Some((k + 1, year_partial(i32::try_from(v).ok()?)));
        }
        let (v, digits) = self.number(i)?;
        if digits > 4 || v == 0 || !self.tok(i + 1).is_some_and(|t| t.space_before) {
            return None;
        }
        let (era, end) = self.era(i + 1)?;
        let v = i32::try_from(v).ok()?;
        // Year 1 BC is year 0 of the proleptic calendar, 2 BC is -1.
        let year = match era {
            Era::Before => 1 - v,
            Era::Common => v,
        };
        Some((end, year_partial(year)))
    }

    /// The era written at `k`: "BC", "BCE", "AD", or the letters with
    /// periods ("B.C.", "A.D.", read as "bc", "ad"); where it ends.
    fn era(&self, k: usize) -> Option<(Era, usize)> {
        let t = self.tok(k)?;
        if t.kind != Kind::Word || !t.capital {
            return None;
        }
        let read = |e: &Entry| {
            if e.has(Role::EraBefore) {
                Some(Era::Before)
            } else if e.has(Role::EraAfter) {
                Some(Era::Common)
            } else {
                None
            }
        };
        if t.end - t.start > 1 {
            return Some((read(self.entry(k)?)?, k + 1));
        }
        // Single letters, each with its period: "B.C.", "B.C.E.".
        let mut letters = String::new();
        let mut j = k;
        while let Some(w) = self.tok(j) {
            let letter = w.kind == Kind::Word && w.end - w.start == 1;
            if !letter || !self.punct(j + 1, '.') || !self.attached(j + 1) {
                break;
            }
            if j > k && !self.attached(j) {
                break;
            }
            letters.push_str(self.word_text(j));
            j += 2;
        }
        if letters.len() < 2 {
            return None;
        }
        Some((read(self.lex.get(&letters)?)?, j))
    }

    /// "that spring", "that March" (0), "the following spring", "the next
    /// March" (1), starting at the season or month at `k`.
    pub(super) fn story_part(&self, k: usize, dir: i8) -> Parsed {
        let t = self.tok(k)?;
        let e = t.entry?;
        let mut d = CalendarDate::default();
        if let Some(season) = e.season {
            d.part = Some(YearPart::Season(season));
        } else if let Some(month) = e.month {
            // A full month name with its capital: "that May", not "that may".
            if !t.capital || e.month_abbrev {
                return None;
            }
            d.month = Some(month);
        } else {
            return None;
        }
        // "that spring water", "the following March deadline": a modifier.
        if !self.clause_goes_on(k + 1) {
            return None;
        }
        Some((k + 1, Partial::calendar(d, Placement::Anaphoric(dir))))
    }

    /// "that time", "that period", "this period": the time the text has
    /// reached. "this time" counts an occasion, not a time.
    pub(super) fn story_time(&self, i: usize) -> Parsed {
        let this = self.role(i, Role::This);
        if !(this || self.role(i, Role::That)) || !self.role(i + 1, Role::TimeNoun) {
            return None;
        }
        if this && self.role(i + 1, Role::SpanNoun) {
            return None;
        }
        if !self.clause_goes_on(i + 2) {
            return None;
        }
        Some((i + 2, Partial::new(What::Then)))
    }

    /// Whether token `i` can follow a time phrase that opens a clause or
    /// ends one: "that spring she met…", "at that time the council…",
    /// "the following winter Aldric…", or where a phrase ends.
    fn clause_goes_on(&self, i: usize) -> bool {
        self.ends_phrase(i)
            || self
                .tok(i)
                .is_some_and(|t| t.kind == Kind::Word && t.capital)
            || self.clause_opens(i)
    }

    /// After "the <season> of", from `after`, the word after "of": the
    /// season of a year said by reference ("the spring of that year"), or
    /// no time at all when no time follows ("the fall of Paris", "the
    /// spring of the revolt": events). `None`: the season rule goes on.
    pub(super) fn season_of(&self, d: CalendarDate, after: usize) -> Option<Parsed> {
        if let Some(found) = self.season_of_year(d, after) {
            return Some(Some(found));
        }
        let k = after + usize::from(self.role(after, Role::The));
        if !self.entry(k).is_some_and(|e| e.is_temporal()) {
            return Some(None);
        }
        None
    }

    /// Whether token `i`, right after a season, opens a clause: "in the
    /// spring the fortresses fell", "that summer she left".
    pub(super) fn clause_opens(&self, i: usize) -> bool {
        self.role(i, Role::The) || self.role(i, Role::Article) || self.role(i, Role::SubjectPronoun)
    }

    /// "the spring of that year" (0), "of the following year" (1), "of
    /// last year" (a year from the reference): the season of that year,
    /// read from `after`, the word after "of".
    fn season_of_year(&self, d: CalendarDate, after: usize) -> Parsed {
        let (end, p) = self.anaphoric(after).or_else(|| self.relative(after))?;
        let What::Relative {
            unit: Unit::Year,
            offset,
            anchor,
        } = p.what
        else {
            return None;
        };
        let offset = i8::try_from(offset).ok()?;
        let mut d = d;
        let placement = match anchor {
            Anchor::Narrative | Anchor::Compared => Placement::Anaphoric(offset),
            Anchor::Reference => {
                d.year_offset = Some(i32::from(offset));
                Placement::This
            }
        };
        Some((end, Partial::calendar(d, placement)))
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Era {
    /// Before year 1: BC, BCE.
    Before,
    /// AD, CE.
    Common,
}

fn year_partial(year: i32) -> Partial {
    let d = CalendarDate {
        year: Some(year),
        ..CalendarDate::default()
    };
    Partial::calendar(d, Placement::This)
}
