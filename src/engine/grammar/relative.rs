//! Dates relative to now or to an earlier date: "last week", "next
//! Tuesday", "the day before yesterday", "that day", "three days ago",
//! and references such as "now" and "these days".

use super::*;

impl<'l> Grammar<'_, 'l> {
    /// "last week", "this year", "next Tuesday", "last March", "the following day".
    pub(super) fn relative(&self, i: usize) -> Parsed {
        if let Some(found) = self.story_time(i) {
            return Some(found);
        }
        let the = self.role(i, Role::The);
        let j = if the { i + 1 } else { i };
        let e = self.entry(j)?;
        // "this past week", "this coming year"
        let (dir, k) = if e.has(Role::This)
            && (self.role(j + 1, Role::Last) || self.role(j + 1, Role::Next))
        {
            (if self.role(j + 1, Role::Last) { -1 } else { 1 }, j + 2)
        } else if e.has(Role::Last) {
            (-1, j + 1)
        } else if e.has(Role::Next) || (the && e.has(Role::Following)) {
            (1, j + 1)
        } else if e.has(Role::This) && !the {
            (0, j + 1)
        } else {
            return None;
        };
        let target = self.entry(k)?;
        let anchor = if the {
            Anchor::Narrative
        } else {
            Anchor::Reference
        };
        let placement = match dir {
            -1 => Placement::Last,
            1 => Placement::Next,
            _ => Placement::This,
        };
        if let Some(unit) = target.unit {
            if target.plural || unit.is_clock() {
                return None;
            }
            // "the past year", "past decade": a span reaching up to now.
            if self.role(j, Role::SpanPast) || (the && dir == -1 && unit >= Unit::Decade) {
                return Some((k + 1, Partial::new(What::Duration(vec![(Some(1.0), unit)]))));
            }
            if unit == Unit::Weekend && the {
                return None;
            }
            // "the last week" of something is not "last week".
            if the && dir == -1 && !self.role(j, Role::Last) {
                return None;
            }
            return Some((k + 1, Partial::relative(unit, dir, anchor)));
        }
        // "the following spring", "the next March": after the date the
        // text reached.
        if the {
            return if dir == 1 {
                self.story_part(k, 1)
            } else {
                None
            };
        }
        // "last Thanksgiving", "this Christmas", "next Easter"
        if let Some((end, d)) = self.holiday_name(k) {
            return Some((end, Partial::calendar(d, placement)));
        }
        if let Some(weekday) = self.weekday_at(k) {
            let d = CalendarDate {
                weekday: Some(weekday),
                ..CalendarDate::default()
            };
            return Some((
                self.skip_period_if_abbrev(k),
                Partial::calendar(d, placement),
            ));
        }
        if let Some(month) = target.month {
            if !self.tok(k).is_some_and(|t| t.capital) || target.month_abbrev {
                return None;
            }
            let d = CalendarDate {
                month: Some(month),
                ..CalendarDate::default()
            };
            return Some((k + 1, Partial::calendar(d, placement)));
        }
        if let Some(season) = target.season {
            let d = CalendarDate {
                part: Some(YearPart::Season(season)),
                ..CalendarDate::default()
            };
            return Some((k + 1, Partial::calendar(d, placement)));
        }
        None
    }

    pub(super) fn skip_period_if_abbrev(&self, k: usize) -> usize {
        if self.word_text(k).len() <= 4 {
            self.skip_period(k + 1)
        } else {
            k + 1
        }
    }

    /// "the weekend".
    pub(super) fn weekend(&self, i: usize) -> Parsed {
        if !self.role(i, Role::The) || self.entry(i + 1).and_then(|e| e.unit) != Some(Unit::Weekend)
        {
            return None;
        }
        if self.entry(i + 1).is_some_and(|e| e.plural) {
            return None;
        }
        let d = CalendarDate {
            weekend: true,
            ..CalendarDate::default()
        };
        Some((i + 2, Partial::calendar(d, Placement::Tense)))
    }

    /// "today", "yesterday afternoon", "the day before yesterday".
    pub(super) fn deictic(&self, i: usize) -> Parsed {
        // "the day before yesterday", "the day after tomorrow"
        if self.role(i, Role::The)
            && self.entry(i + 1).and_then(|e| e.unit) == Some(Unit::Day)
            && self.role(i + 2, Role::DayBefore)
        {
            if let Some((offset, _)) = self.entry(i + 3).and_then(|e| e.deictic) {
                if offset != 0 {
                    let before = self.word_text(i + 2).eq_ignore_ascii_case("before");
                    let total = i64::from(offset) + if before { -1 } else { 1 };
                    return Some((
                        i + 4,
                        Partial::relative(Unit::Day, total, Anchor::Reference),
                    ));
                }
            }
        }
        let (offset, part) = self.entry(i)?.deictic?;
        let mut p = Partial::relative(Unit::Day, i64::from(offset), Anchor::Reference);
        let mut end = i + 1;
        if let Some(part) = part {
            p.clock = Some(Clock::Part(part));
        } else if let Some(part) = self.entry(i + 1).and_then(|e| e.part_of_day) {
            if !self
                .entry(i + 1)
                .is_some_and(|e| e.plural_part(self.word_text(i + 1)))
            {
                p.clock = Some(Clock::Part(part));
                end = i + 2;
            }
        }
        Some((end, p))
    }

    /// "that day", "the same week", "the next day", "the day before".
    pub(super) fn anaphoric(&self, i: usize) -> Parsed {
        // "that day", "that same day", "the same day"
        let mut j = i;
        let mut that = false;
        while self.role(j, Role::That)
            || (j == i && self.role(j, Role::The) && self.role(j + 1, Role::That))
        {
            that |= self.role(j, Role::That);
            j += 1;
        }
        if that {
            if let Some(found) = self.story_part(j, 0).or_else(|| self.story_time(i)) {
                return Some(found);
            }
            let unit = self.entry(j).and_then(|e| e.unit)?;
            if self.entry(j).is_some_and(|e| e.plural) || unit.is_clock() {
                return None;
            }
            if unit == Unit::Weekend {
                return None;
            }
            return Some((j + 1, Partial::relative(unit, 0, Anchor::Narrative)));
        }
        // "the day before", "the week after": only when nothing follows that
        // would make them prepositions ("the day before the vote").
        if self.role(i, Role::The) {
            let unit = self.entry(i + 1).and_then(|e| e.unit)?;
            if unit != Unit::Day && unit != Unit::Week && unit != Unit::Month && unit != Unit::Year
            {
                return None;
            }
            if self.role(i + 2, Role::DayBefore)
                && matches!(
                    self.tok(i + 3),
                    None | Some(Token {
                        kind: Kind::Punct,
                        ..
                    })
                )
            {
                let before = self.word_text(i + 2).eq_ignore_ascii_case("before");
                return Some((
                    i + 3,
                    Partial::relative(unit, if before { -1 } else { 1 }, Anchor::Narrative),
                ));
            }
        }
        None
    }

    /// "now", "recently", "the future", "these days".
    pub(super) fn reference(&self, i: usize) -> Parsed {
        if let Some((end, kind)) = self.phrase(i, &self.lex.phrase_references) {
            // "the past five presidents": a count of something follows.
            if self.number(end).is_some() || self.entry(end).is_some_and(|e| e.number.is_some()) {
                return None;
            }
            return Some((end, Partial::new(What::Ref(kind))));
        }
        let kind = self.entry(i)?.reference?;
        // "as soon as", "soon after": a conjunction, not a time.
        if kind == RefKind::Future
            && ((i > 0 && self.role(i - 1, Role::As)) || self.role(i + 1, Role::DayBefore))
        {
            return None;
        }
        // "current" and "recent" qualify a noun; they still refer to a time.
        Some((i + 1, Partial::new(What::Ref(kind))))
    }

    /// "three days ago", "two years earlier", "a week later", "in two weeks",
    /// "a few years ago".
    pub(super) fn offset(&self, i: usize) -> Parsed {
        if let Some(found) = self.clock_offset(i) {
            return Some(found);
        }
        let (amount, j) = self.amount(i, false)?;
        let unit = self.entry(j)?.unit?;
        if unit == Unit::Weekend {
            return None;
        }
        let k = j + 1;
        // "in two weeks", "eight years from now": a length that reaches a
        // date, which TimeML tags as the length.
        let mut measured = false;
        let (sign, anchor, end) = if self.role(k, Role::Ago) {
            (-1, Anchor::Reference, k + 1)
        } else if self.role(k, Role::From) && self.present_ref(k + 1) {
            measured = true;
            (1, Anchor::Reference, k + 2)
        } else if self.role(k, Role::Earlier) || self.role(k, Role::Later) {
            // "a month earlier than usual": a length compared, dating
            // nothing; the length alone is tagged.
            if self.role(k + 1, Role::Comparative) {
                return None;
            }
            let word = self.word_text(k);
            // "before"/"after" are adverbs only at the end of a phrase.
            let preposition = self.role(k, Role::DayBefore)
                && !matches!(
                    self.tok(k + 1),
                    None | Some(Token {
                        kind: Kind::Punct,
                        ..
                    })
                );
            if preposition || word.eq_ignore_ascii_case("on") {
                return None;
            }
            let sign = if self.role(k, Role::Earlier) { -1 } else { 1 };
            (sign, Anchor::Narrative, k + 1)
        } else if i > 0
            && self.role(i - 1, Role::In)
            && !self.role(k, Role::Of)
            && amount.is_some()
            && !(i > 1 && (self.role(i - 2, Role::The) || self.role(i - 2, Role::SpanNoun)))
        {
            // "in two weeks": the preposition counts forward from now.
            measured = true;
            (1, Anchor::Reference, k)
        } else {
            return None;
        };
        let Some(amount) = amount else {
            let p = Partial::new(What::VagueOffset {
                unit,
                past: sign < 0,
            });
            return Some((end, p));
        };
        if amount.fract() != 0.0 || amount > 1e7 {
            return None;
        }
        let mut p = Partial::relative(unit, sign * amount as i64, anchor);
        p.measured = measured;
        if unit.is_clock() {
            // "three hours ago" is a time, at the precision of the clock.
            p.clock = Some(Clock::At {
                hour: 0,
                minute: 0,
                zone: None,
            });
        }
        Some((end, p))
    }

    /// "in half an hour", "in an hour and a half", "in 1 hr 30 min": a
    /// length on the clock, ahead of now, that only the duration rule
    /// reads whole.
    fn clock_offset(&self, i: usize) -> Parsed {
        if !(i > 0 && self.role(i - 1, Role::In)) {
            return None;
        }
        let (end, p) = self.duration(i)?;
        let What::Duration(parts) = &p.what else {
            return None;
        };
        if !parts.iter().all(|&(_, unit)| unit.is_clock()) {
            return None;
        }
        let seconds = crate::engine::partial::length_seconds(parts)?;
        let whole = parts.len() == 1 && parts[0].0.is_some_and(|a| a.fract() == 0.0);
        if whole || seconds > 1e9 {
            return None;
        }
        // Bounded above; whole seconds.
        let mut p = Partial::relative(Unit::Second, seconds.round() as i64, Anchor::Reference);
        p.clock = Some(Clock::At {
            hour: 0,
            minute: 0,
            zone: None,
        });
        Some((end, p))
    }
}
