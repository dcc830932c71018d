//! Times of day: clock times, parts of the day, and a date with its time.

use super::*;

/// The hour a person means when they leave a.m. or p.m. unsaid: in a part
/// of the day, that part's; otherwise 1 to 7 are afternoon and evening
/// hours ("Friday at 3"), 8 to 12 morning and noon.
fn with_meridiem(clock: Clock, part: Option<PartOfDay>) -> Clock {
    let Clock::At { hour, minute, zone } = clock else {
        return clock;
    };
    let afternoon = match part {
        Some(PartOfDay::Morning) => false,
        Some(_) => hour < 12,
        None => (1..=7).contains(&hour),
    };
    let hour = if afternoon && hour < 12 {
        hour + 12
    } else {
        hour
    };
    Clock::At { hour, minute, zone }
}

impl<'l> Grammar<'_, 'l> {
    /// A date and a time together: "3 p.m. Tuesday", "Tuesday at 3 p.m.",
    /// "Tuesday morning", "this morning", "last night".
    pub(super) fn date_with_time(&self, i: usize, s: Starts) -> Parsed {
        // time first
        // A time read only because a day may follow ("at 4 tomorrow",
        // "9.30 on Friday") is `bare` or `dotted`: without the day it is
        // no time.
        let clock = if s.has(Starts::CLOCK) {
            self.clock(i).map(|(j, c)| (j, c, false, false))
        } else {
            None
        };
        // "at 9.30 on Friday"; not "rose 1.25 on Friday", a price.
        let clock = clock.or_else(|| {
            let after_at = i > 0 && self.at_word(i - 1);
            if !(after_at && self.dotted_time(i)) {
                return None;
            }
            let (j, c) = self.clock_said(i, true)?;
            Some((j, c, false, true))
        });
        // "at 4 tomorrow": after "at", a bare hour is a time if a day follows.
        let clock = clock.or_else(|| {
            let after_at = i > 0 && self.at_word(i - 1);
            after_at
                .then(|| self.bare_hour(i, false))
                .flatten()
                .map(|(j, hour)| {
                    (
                        j,
                        Clock::At {
                            hour,
                            minute: 0,
                            zone: None,
                        },
                        true,
                        false,
                    )
                })
        });
        if let Some((j, clock, bare, dotted)) = clock {
            let mut k = j;
            while k < j + 2 && self.role(k, Role::LocalTime) {
                k += 1;
            }
            let mut k = self.skip_comma(k);
            if self.word_text(k).eq_ignore_ascii_case("on") {
                k += 1;
            }
            if let Some((end, mut p)) = self.day_expression(k) {
                // "quarter to nine tomorrow morning": the part of the day
                // says which nine.
                let part = match p.clock {
                    None => None,
                    Some(Clock::Part(part)) => Some(part),
                    Some(_) => return None,
                };
                let unsaid = bare || self.meridiem_unsaid(i, j);
                p.clock = Some(self.fit_to_day(i, clock, unsaid, part));
                return Some((end, p));
            }
            if bare || dotted {
                return None;
            }
            let mut p = Partial::relative(Unit::Day, 0, Anchor::Narrative);
            p.clock = Some(clock);
            return Some((j, p));
        }
        // "this morning", "last night", "the next morning", or a day
        let (j, mut p) = match s
            .has(Starts::PART_OF_DAY_PHRASE)
            .then(|| self.part_of_day_phrase(i))
            .flatten()
        {
            Some(found) => found,
            None => self.day_expression(i)?,
        };
        let mut j = j;
        let mut part = match p.clock {
            None => None,
            Some(Clock::Part(part)) => Some(part),
            Some(_) => return None,
        };
        // date then part of day: "Tuesday morning", "Wednesday night"
        if part.is_none() {
            if let Some(found) = self.entry(j).and_then(|e| e.part_of_day) {
                if !self
                    .entry(j)
                    .is_some_and(|e| e.plural_part(self.word_text(j)))
                {
                    part = Some(found);
                    j += 1;
                }
            }
        }
        // then a time: "Tuesday at 3 p.m.", "Oct. 14, 15:30", "tonight at 8"
        if let Some((end, clock)) = self.day_clock(j, part) {
            p.clock = Some(clock);
            return Some((end, p));
        }
        let part = part?;
        p.clock = Some(Clock::Part(part));
        Some((j, p))
    }

    /// The clock read from token `from`, said with a day: a.m. or p.m. left
    /// `unsaid` is taken from the part of the day or the hour, and
    /// "midnight" is the end of the day, as TimeML reads "midnight Friday"
    /// (T24) and as a deadline "at midnight on Dec 15" means: hour 24,
    /// which the resolver puts at the next day's start.
    fn fit_to_day(
        &self,
        from: usize,
        clock: Clock,
        unsaid: bool,
        part: Option<PartOfDay>,
    ) -> Clock {
        let clock = if unsaid {
            with_meridiem(clock, part)
        } else {
            clock
        };
        let midnight_word = self.entry(from).and_then(|e| e.clock_hour) == Some(0);
        match clock {
            Clock::At {
                hour: 0,
                minute: 0,
                zone,
            } if midnight_word => Clock::At {
                hour: 24,
                minute: 0,
                zone,
            },
            other => other,
        }
    }

    /// "at" or "@" before a time.
    fn at_word(&self, i: usize) -> bool {
        self.role(i, Role::At) || self.punct(i, '@')
    }

    /// The time after a day: "at 3 p.m.", ", 15:30", "@ 5", "at 9" (in the
    /// part of the day `part`, if one was said).
    pub(super) fn day_clock(&self, j: usize, part: Option<PartOfDay>) -> Option<(usize, Clock)> {
        let at = self.at_word(j);
        let k = if at || self.punct(j, ',') { j + 1 } else { j };
        if let Some((end, clock)) = self.clock_said(k, true) {
            let unsaid = self.meridiem_unsaid(k, end);
            return Some((end, self.fit_to_day(k, clock, unsaid, part)));
        }
        // "Friday at 3", "tonight @ 11": a bare hour needs its "at".
        let (end, hour) = self.bare_hour(k, true).filter(|_| at)?;
        let clock = Clock::At {
            hour,
            minute: 0,
            zone: None,
        };
        Some((end, self.fit_to_day(k, clock, true, part)))
    }

    /// A bare hour, 1 to 12, standing alone: "3" in "Friday at 3" and "at
    /// 3 tomorrow", but not in "at 3 percent" or "at 3.5". Without a day
    /// before it (`after_day`), a day must follow.
    fn bare_hour(&self, i: usize, after_day: bool) -> Option<(usize, u8)> {
        let (h, digits) = self.number(i)?;
        if digits > 2 || !(1..=12).contains(&h) || !self.standalone_number(i) {
            return None;
        }
        let end = i + 1 + usize::from(self.role(i + 1, Role::OClock));
        let amount = self
            .entry(end)
            .is_some_and(|e| e.unit.is_some() || e.has(Role::AmountNoun));
        // "at 3 tomorrow", "at 8 on Friday", "at 9 this morning"
        let day_follows = || {
            self.day_expression(end).is_some()
                || self.day_expression(end + 1).is_some()
                || self.part_of_day_phrase(end).is_some()
        };
        if amount || !(after_day || !self.is_word(end) || day_follows()) {
            return None;
        }
        Some((end, h as u8))
    }

    /// Whether the clock read over tokens `from..to` left a.m. or p.m.
    /// unsaid: "5:30" and "half past 4", but not "5:30 pm", "noon",
    /// "17:30" or "07:30".
    fn meridiem_unsaid(&self, from: usize, to: usize) -> bool {
        let marked = (from..to).any(|k| {
            self.entry(k)
                .is_some_and(|e| e.has(Role::Am) || e.has(Role::Pm) || e.clock_hour.is_some())
        });
        let hour = match self.number(from) {
            // "5:30", "3", "3 pm": the hour comes first.
            Some(n) if self.punct(from + 1, ':') || self.punct(from + 1, '.') || to <= from + 2 => {
                Some(n)
            }
            // "20 minutes past 3": the count comes first, the hour last.
            Some(_) => (from..to).rev().find_map(|k| self.number(k)),
            // "half past 4", "a quarter to 5": the first number not after
            // a colon.
            None => (from..to)
                .find(|&k| self.number(k).is_some() && !self.punct(k - 1, ':'))
                .and_then(|k| self.number(k)),
        };
        let twenty_four = hour.is_some_and(|(n, digits)| n > 12 || (digits == 2 && n < 10));
        !marked && !twenty_four
    }

    /// An expression naming one day, to which a time can attach.
    pub(super) fn day_expression(&self, i: usize) -> Parsed {
        let s = self.starts(i);
        if !s.has(Starts::DAY_EXPRESSION) {
            // "the 4th at 2pm": an ordinal day takes a time too.
            let ordinal_next = self.number(i + 1).is_some();
            if s.has(Starts::THE_ORDINAL_DAY) && ordinal_next {
                return self.the_ordinal_day(i).filter(|(_, p)| p.is_day());
            }
            return None;
        }
        let mut best = None;
        for (rule, read) in [
            (
                Starts::WEEKDAY_DATE,
                Self::weekday_date as fn(&Self, usize) -> Parsed,
            ),
            (Starts::MONTH_DATE, Self::month_date),
            (Starts::DEICTIC, Self::deictic),
            (Starts::RELATIVE, Self::relative),
            (Starts::NUMERIC_DATE, Self::numeric_date),
            (Starts::HOLIDAY, Self::holiday),
        ] {
            if s.has(rule) {
                keep(&mut best, read(self, i));
            }
        }
        // "14 October" counts only as a longer reading of one of the above,
        // never on its own.
        best.as_ref()?;
        if s.has(Starts::DAY_MONTH) {
            keep(&mut best, self.day_month(i));
        }
        let (end, p) = best?;
        p.is_day().then_some((end, p))
    }

    /// "this morning", "last night", "the next morning", "tonight".
    pub(super) fn part_of_day_phrase(&self, i: usize) -> Parsed {
        let e = self.entry(i)?;
        let (offset, anchor, j) = if e.has(Role::This) {
            (0, Anchor::Reference, i + 1)
        } else if e.has(Role::Last) && !e.has(Role::SpanPast) {
            (-1, Anchor::Reference, i + 1)
        } else if e.has(Role::The)
            && (self.role(i + 1, Role::Following) || self.role(i + 1, Role::Next))
        {
            (1, Anchor::Narrative, i + 2)
        } else {
            return None;
        };
        let part = self.entry(j)?.part_of_day?;
        if self
            .entry(j)
            .is_some_and(|e| e.plural_part(self.word_text(j)))
        {
            return None;
        }
        // "last night" is the night before; "last morning" is not said.
        if offset == -1 && part != PartOfDay::Night && part != PartOfDay::Evening {
            return None;
        }
        let mut p = Partial::relative(Unit::Day, offset, anchor);
        p.clock = Some(Clock::Part(part));
        Some((j + 1, p))
    }

    /// A clock time: "3 p.m.", "10:35 a.m. EST", "15:30", "noon", "10 o'clock".
    pub(super) fn clock(&self, i: usize) -> Option<(usize, Clock)> {
        self.clock_said(i, false)
    }

    /// [`Grammar::clock`]; with `day_said`, a day stands right before or
    /// after it, which makes a dotted "17.00" a time of day.
    fn clock_said(&self, i: usize, day_said: bool) -> Option<(usize, Clock)> {
        if let Some(found) = self.minutes_from_hour(i) {
            return Some(found);
        }
        if let Some(hour) = self.entry(i).and_then(|e| e.clock_hour) {
            return Some(self.clock_at(i + 1, hour, 0));
        }
        let (h, hd) = self.number(i)?;
        if hd > 2 || h > 24 {
            return None;
        }
        if i > 0 && self.attached(i) && !self.toks[i - 1].is_punct('(') {
            return None;
        }
        let mut j = i + 1;
        if let Some(found) = self.hour_letter_clock(h, j) {
            return Some(found);
        }
        let mut minute = 0u64;
        let mut colon = false;
        // "10.30am", "6.15 p.m.", "12.30-1.30pm": minutes after a period, as
        // British English writes them; "17.00 CET", "14.30-16.00", "Friday
        // at 9.30": the 24-hour clock most of Europe writes. A period is
        // also a decimal point ("rose 1.30 percent", "closed at 10.45"), so
        // only with a.m. or p.m. after it or after the range it begins, a
        // zone after it, another such time across a dash, or a day beside
        // it.
        let dotted = self.dotted_time(i)
            && (self.meridiem_ahead(j + 2)
                || ((day_said || self.date_behind(i)) && self.on_five_minutes(i))
                || self.zone(j + 2).1.is_some()
                || self
                    .range_dash(j + 2)
                    .is_some_and(|k| self.dotted_range(i, k))
                || (i >= 4 && self.range_dash(i - 1) == Some(i) && self.dotted_range(i - 4, i)));
        if (self.punct(j, ':') && self.attached(j)) || dotted {
            let (m, md) = self.number(j + 1).filter(|_| self.attached(j + 1))?;
            if md != 2 || m > 59 {
                return None;
            }
            minute = m;
            colon = true;
            j += 2;
            // "10:35:12": seconds are read and dropped.
            if self.punct(j, ':')
                && self.attached(j)
                && self.number(j + 1).is_some_and(|(_, d)| d == 2)
            {
                j += 2;
            }
        }
        let mut hour = h;
        if let Some((k, pm)) = self.am_pm(j) {
            if !(1..=12).contains(&h) {
                return None;
            }
            hour = match (pm, h) {
                (false, 12) => 0,
                (true, 12) => 12,
                (true, h) => h + 12,
                (false, h) => h,
            };
            j = k;
        } else if self.role(j, Role::OClock) {
            if h > 12 {
                return None;
            }
            j += 1;
        } else if self.role(j, Role::In) && self.role(j + 1, Role::The) && (1..=12).contains(&h) {
            // "4 in the morning"
            let part = self.entry(j + 2).and_then(|e| e.part_of_day)?;
            if part != PartOfDay::Morning && h != 12 {
                hour = h + 12;
            }
            return Some((
                j + 3,
                Clock::At {
                    hour: hour as u8,
                    minute: minute as u8,
                    zone: None,
                },
            ));
        } else if !colon
            || h > 23
            || self
                .tok(j)
                .is_some_and(|t| !t.space_before && t.kind != Kind::Punct)
        {
            return None;
        }
        Some(self.clock_at(j, hour as u8, minute as u8))
    }

    /// Whether `i` starts the shape of a dotted clock time: an hour of one
    /// or two digits up to 23, a period, two digits of minutes up to 59,
    /// all attached ("9.30", "17.00").
    pub(super) fn dotted_time(&self, i: usize) -> bool {
        self.number(i).is_some_and(|(h, d)| d <= 2 && h <= 23)
            && self.punct(i + 1, '.')
            && self.attached(i + 1)
            && self.number(i + 2).is_some_and(|(m, d)| d == 2 && m <= 59)
            && self.attached(i + 2)
    }

    /// Whether a dotted time at `i` is on a five-minute mark, as times of
    /// meetings and deadlines are ("9.30", "17.00"); prices and scores
    /// ("closed at 6.43") mostly are not.
    pub(super) fn on_five_minutes(&self, i: usize) -> bool {
        self.dotted_time(i) && self.number(i + 2).is_some_and(|(m, _)| m % 5 == 0)
    }

    /// Whether a written date ends right before `i`, but for an "at" or a
    /// comma: "15 January 2027, 17.00", "Jan. 15 at 9.30", "Friday, 9.30".
    /// The day rules read a time after a weekday or a relative day
    /// themselves; a date with its month and year is read apart, and its
    /// time after it.
    fn date_behind(&self, i: usize) -> bool {
        let mut k = i;
        if k > 0 && (self.at_word(k - 1) || self.punct(k - 1, ',')) {
            k -= 1;
        }
        if k > 0 && self.punct(k - 1, ',') {
            k -= 1;
        }
        let Some(last) = k.checked_sub(1) else {
            return false;
        };
        let month = |j: usize| self.entry(j).is_some_and(|e| e.month.is_some());
        let names_day = |j: usize| month(j) || self.entry(j).is_some_and(|e| e.weekday.is_some());
        match self.number(last) {
            // A year that ends a full date: "15 January 2027", "January
            // 15, 2027", "15.01.2027"; not "In 1999, 12.50 was the price".
            Some((year, 4)) if (1000..=2999).contains(&year) && last > 0 => {
                let before = last - 1;
                month(before)
                    || ((self.punct(before, ',')
                        || self.punct(before, '.')
                        || self.punct(before, '/'))
                        && before
                            .checked_sub(1)
                            .and_then(|j| self.number(j))
                            .is_some_and(|(n, d)| d <= 2 && (1..=31).contains(&n)))
            }
            // "January 15", "Jan. 15"
            Some((day, d)) if d <= 2 && (1..=31).contains(&day) => {
                let before =
                    last.checked_sub(1 + usize::from(self.punct(last.saturating_sub(1), '.')));
                before.is_some_and(month)
            }
            Some(_) => false,
            None => names_day(last),
        }
    }

    /// Whether dotted times at `first` and `second` (across a dash) read as
    /// a span of the day: the second later, both on five-minute marks, as
    /// schedules write them ("9.30-11.00"); "won 2.30-1.45" is a score,
    /// "12.37-12.41" more likely prices.
    fn dotted_range(&self, first: usize, second: usize) -> bool {
        let value = |k: usize| self.number(k).map(|(v, _)| v);
        let hour_minute = |k: usize| (value(k), value(k + 2));
        self.on_five_minutes(first)
            && self.on_five_minutes(second)
            && hour_minute(first) < hour_minute(second)
    }

    /// Whether a.m. or p.m. comes at `j`, or ends a clock time after a dash
    /// or "to" there ("12.30-1.30pm", "11.30 to 1pm").
    fn meridiem_ahead(&self, j: usize) -> bool {
        if self.am_pm(j).is_some() {
            return true;
        }
        let Some(k) = self
            .range_dash(j)
            .or_else(|| self.role(j, Role::To).then_some(j + 1))
        else {
            return false;
        };
        if self
            .number(k)
            .is_none_or(|(h, d)| d > 2 || !(1..=12).contains(&h))
        {
            return false;
        }
        let minutes = (self.punct(k + 1, '.') || self.punct(k + 1, ':'))
            && self.attached(k + 1)
            && self.number(k + 2).is_some_and(|(_, d)| d == 2)
            && self.attached(k + 2);
        self.am_pm(if minutes { k + 3 } else { k + 1 }).is_some()
    }

    /// A clock time read up to `j`, with the zone that may follow it.
    fn clock_at(&self, j: usize, hour: u8, minute: u8) -> (usize, Clock) {
        let (end, zone) = self.zone(j);
        (end, Clock::At { hour, minute, zone })
    }

    /// "half past four", "a quarter to 5 p.m.", "ten to noon", "20 minutes
    /// past 3 pm": minutes counted from or to an hour. A count of minutes
    /// needs "minutes" or an hour that is surely a time ("noon", "5 p.m."),
    /// so that "won ten to five" stays a score.
    fn minutes_from_hour(&self, i: usize) -> Option<(usize, Clock)> {
        let mut j = i;
        if self.role(j, Role::Article) {
            j += 1;
        }
        let quarter = self
            .entry(j)
            .is_some_and(|e| e.unit == Some(Unit::Quarter) && !e.plural);
        let (minutes, counted) = if self.role(j, Role::Half) && j == i {
            (30, false)
        } else if quarter {
            (15, false)
        } else if j == i {
            let n = match self.number(j) {
                Some((n, _)) => i64::try_from(n).ok()?,
                None => self.entry(j)?.number?,
            };
            (u8::try_from(n).ok().filter(|n| (1..60).contains(n))?, true)
        } else {
            return None;
        };
        j += 1;
        let said_minutes = self.entry(j).is_some_and(|e| e.unit == Some(Unit::Minute));
        if said_minutes {
            j += 1;
        }
        let past = self.which_role(j, Role::ClockPast, Role::ClockTo)?;
        j += 1;
        let (end, hour, zone) = match self.clock(j) {
            Some((
                end,
                Clock::At {
                    hour,
                    minute: 0,
                    zone,
                },
            )) => (end, hour, zone),
            Some(_) => return None,
            None if counted && !said_minutes => return None,
            None => {
                // A bare hour: "half past 4", "a quarter to five".
                let hour = match self.number(j) {
                    Some((h, d)) if d <= 2 => h,
                    Some(_) => return None,
                    None => u64::try_from(self.entry(j)?.number?).ok()?,
                };
                let glued = self
                    .tok(j + 1)
                    .is_some_and(|t| !t.space_before && t.kind != Kind::Punct);
                if !(1..=12).contains(&hour) || glued {
                    return None;
                }
                (j + 1, hour as u8, None)
            }
        };
        let (hour, minute) = if past {
            (hour, minutes)
        } else {
            ((hour + 23) % 24, 60 - minutes)
        };
        Some((end, Clock::At { hour, minute, zone }))
    }

    /// "17h00", "17h", "10h30": an hour, the hour unit's one-letter
    /// abbreviation glued to it, and maybe the minutes, as much of Europe
    /// writes the time. `j` is the token after the hour `h`.
    fn hour_letter_clock(&self, h: u64, j: usize) -> Option<(usize, Clock)> {
        let letter = self.attached(j)
            && self.word_text(j).len() == 1
            && self.entry(j).is_some_and(|e| e.unit == Some(Unit::Hour));
        if !letter || h > 23 {
            return None;
        }
        let mut k = j + 1;
        let mut minute = 0;
        if let Some((m, 2)) = self.number(k).filter(|_| self.attached(k)) {
            if m > 59 {
                return None;
            }
            minute = m as u8;
            k += 1;
        }
        // "17h30m" or "2h45min" is a length of time, not a clock.
        if self
            .tok(k)
            .is_some_and(|t| !t.space_before && t.kind == Kind::Word)
        {
            return None;
        }
        Some(self.clock_at(k, h as u8, minute))
    }

    /// "a.m.", "p.m.", "am", "pm", "A.M": the index after it and whether it is p.m.
    pub(super) fn am_pm(&self, i: usize) -> Option<(usize, bool)> {
        let e = self.entry(i)?;
        let pm = e.has(Role::Pm);
        if !pm && !e.has(Role::Am) {
            return None;
        }
        let text = self.word_text(i);
        if text.len() == 2 {
            // "am", "pm", "3pm"; a period after them ends the sentence.
            return Some((i + 1, pm));
        }
        // "a.m.", "p.m", "a. m."
        if self.punct(i + 1, '.') && self.role(i + 2, Role::M) {
            return Some((self.skip_period(i + 3), pm));
        }
        None
    }

    /// An optional time zone after a clock time: "EST", "GMT" (fixed
    /// offsets); "ET", "Eastern time", "Europe/Vienna", "Vienna time"
    /// (zones of the tz database, whose offset depends on the day).
    pub(super) fn zone(&self, i: usize) -> (usize, Option<Zone>) {
        let Some(t) = self.tok(i).filter(|t| t.kind == Kind::Word) else {
            return (i, None);
        };
        let word = self.word_text(i);
        let b = word.as_bytes();
        // "CET", "AoE": capitals at both ends, so "met" or "Est." in
        // running text are no zones.
        let shouting = word.len() >= 2 && t.capital && b[b.len() - 1].is_ascii_uppercase();
        let entry = self.entry(i);
        if let Some(z) = entry.and_then(|e| e.zone).filter(|_| shouting) {
            return (i + 1, Some(Zone::Fixed(z)));
        }
        let suffix = |k: usize| k + usize::from(self.role(k, Role::ZoneSuffix));
        if let Some(tz) = entry.and_then(|e| e.zone_name).filter(|_| t.capital) {
            // "ET", "Eastern", "Eastern Time"
            if shouting || self.role(i + 1, Role::ZoneSuffix) {
                return (suffix(i + 1), Some(Zone::Named(tz)));
            }
        }
        // "Europe/Vienna", "America/New_York"
        if self.punct(i + 1, '/') && self.attached(i + 1) && self.attached(i + 2) {
            let name = format!("{word}/{}", self.word_text(i + 2));
            if let Some(tz) = crate::engine::zone::canonical(&name).and_then(|n| n.parse().ok()) {
                return (i + 3, Some(Zone::Named(tz)));
            }
        }
        // "Vienna time", "New York time": a city of the tz database.
        if t.capital {
            for words in 1..=3 {
                let last = i + words - 1;
                if !self.role(last + 1, Role::ZoneSuffix)
                    || !(i..=last)
                        .all(|k| self.is_word(k) && self.tok(k).is_some_and(|t| t.capital))
                {
                    continue;
                }
                let name = (i..=last)
                    .map(|k| self.word_text(k))
                    .collect::<Vec<_>>()
                    .join(" ");
                if let Some(tz) = crate::engine::zone::city(&name) {
                    return (last + 2, Some(Zone::Named(tz)));
                }
            }
        }
        (i, None)
    }
}
