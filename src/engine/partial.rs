//! Partial values: what the text stated about a time, before resolution.
//!
//! The grammar produces a [`Partial`] for each expression it recognizes. It
//! records only what the words said ("Wednesday", "a Nov. 24 of some year",
//! "one week before the reference") and leaves the rest open; the resolver
//! fills the open fields from the reference date and the clause's tense.

use std::fmt;

use crate::engine::holiday::Holiday;

/// A calendar or clock unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Unit {
    Second,
    Minute,
    Hour,
    Day,
    Weekend,
    Week,
    Fortnight,
    Month,
    Quarter,
    Half,
    Season,
    Year,
    Decade,
    Century,
    Millennium,
}

impl Unit {
    pub fn from_name(name: &str) -> Option<Unit> {
        Some(match name {
            "second" => Unit::Second,
            "minute" => Unit::Minute,
            "hour" => Unit::Hour,
            "day" => Unit::Day,
            "weekend" => Unit::Weekend,
            "week" => Unit::Week,
            "fortnight" => Unit::Fortnight,
            "month" => Unit::Month,
            "quarter" => Unit::Quarter,
            "half" => Unit::Half,
            "season" => Unit::Season,
            "year" => Unit::Year,
            "decade" => Unit::Decade,
            "century" => Unit::Century,
            "millennium" => Unit::Millennium,
            _ => return None,
        })
    }

    /// Whether the unit is measured on the clock (PT…) rather than the calendar.
    pub fn is_clock(self) -> bool {
        matches!(self, Unit::Second | Unit::Minute | Unit::Hour)
    }

    /// Seconds in one unit, for the units of fixed length (a day taken as
    /// 24 hours); months and longer vary.
    pub fn seconds(self) -> Option<f64> {
        Some(match self {
            Unit::Second => 1.0,
            Unit::Minute => 60.0,
            Unit::Hour => 3600.0,
            Unit::Day => 86_400.0,
            Unit::Week => 604_800.0,
            _ => return None,
        })
    }
}

/// The seconds a length lasts ("1 hr 30 min" → 5400), when every part is
/// counted in units of fixed length.
pub fn length_seconds(parts: &[(Amount, Unit)]) -> Option<f64> {
    parts.iter().try_fold(0.0, |sum, &(amount, unit)| {
        Some(sum + amount? * unit.seconds()?)
    })
}

/// A season of the year, as TIMEX3 writes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Season {
    Spring,
    Summer,
    Fall,
    Winter,
}

impl Season {
    pub fn from_code(code: &str) -> Option<Season> {
        Some(match code {
            "SP" => Season::Spring,
            "SU" => Season::Summer,
            "FA" => Season::Fall,
            "WI" => Season::Winter,
            _ => return None,
        })
    }

    pub fn code(self) -> &'static str {
        match self {
            Season::Spring => "SP",
            Season::Summer => "SU",
            Season::Fall => "FA",
            Season::Winter => "WI",
        }
    }
}

/// A part of the day, as TIMEX3 writes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PartOfDay {
    Morning,
    Afternoon,
    Evening,
    Night,
}

impl PartOfDay {
    pub fn from_code(code: &str) -> Option<PartOfDay> {
        Some(match code {
            "MO" => PartOfDay::Morning,
            "AF" => PartOfDay::Afternoon,
            "EV" => PartOfDay::Evening,
            "NI" => PartOfDay::Night,
            _ => return None,
        })
    }

    pub fn code(self) -> &'static str {
        match self {
            PartOfDay::Morning => "MO",
            PartOfDay::Afternoon => "AF",
            PartOfDay::Evening => "EV",
            PartOfDay::Night => "NI",
        }
    }

    /// The hours the part of the day covers, for intervals: [start, end).
    pub fn hours(self) -> (u32, u32) {
        match self {
            PartOfDay::Morning => (6, 12),
            PartOfDay::Afternoon => (12, 18),
            PartOfDay::Evening => (18, 22),
            PartOfDay::Night => (20, 24),
        }
    }
}

/// The vague references TIMEX3 names instead of dating.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefKind {
    Present,
    Past,
    Future,
}

impl RefKind {
    pub fn from_code(code: &str) -> Option<RefKind> {
        Some(match code {
            "PRESENT_REF" => RefKind::Present,
            "PAST_REF" => RefKind::Past,
            "FUTURE_REF" => RefKind::Future,
            _ => return None,
        })
    }

    pub fn code(self) -> &'static str {
        match self {
            RefKind::Present => "PRESENT_REF",
            RefKind::Past => "PAST_REF",
            RefKind::Future => "FUTURE_REF",
        }
    }
}

/// The TIMEX3 `mod` attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mod {
    Start,
    Mid,
    End,
    Approx,
    Before,
    After,
    OnOrBefore,
    OnOrAfter,
    LessThan,
    MoreThan,
    EqualOrLess,
    EqualOrMore,
}

impl Mod {
    pub fn from_code(code: &str) -> Option<Mod> {
        Some(match code {
            "START" => Mod::Start,
            "MID" => Mod::Mid,
            "END" => Mod::End,
            "APPROX" => Mod::Approx,
            "BEFORE" => Mod::Before,
            "AFTER" => Mod::After,
            "ON_OR_BEFORE" => Mod::OnOrBefore,
            "ON_OR_AFTER" => Mod::OnOrAfter,
            "LESS_THAN" => Mod::LessThan,
            "MORE_THAN" => Mod::MoreThan,
            "EQUAL_OR_LESS" => Mod::EqualOrLess,
            "EQUAL_OR_MORE" => Mod::EqualOrMore,
            _ => return None,
        })
    }

    pub fn code(self) -> &'static str {
        match self {
            Mod::Start => "START",
            Mod::Mid => "MID",
            Mod::End => "END",
            Mod::Approx => "APPROX",
            Mod::Before => "BEFORE",
            Mod::After => "AFTER",
            Mod::OnOrBefore => "ON_OR_BEFORE",
            Mod::OnOrAfter => "ON_OR_AFTER",
            Mod::LessThan => "LESS_THAN",
            Mod::MoreThan => "MORE_THAN",
            Mod::EqualOrLess => "EQUAL_OR_LESS",
            Mod::EqualOrMore => "EQUAL_OR_MORE",
        }
    }

    /// Modifiers that place a point inside its period ("early", "late").
    pub fn is_edge(self) -> bool {
        matches!(self, Mod::Start | Mod::Mid | Mod::End)
    }
}

impl fmt::Display for Mod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The four TIMEX3 types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TimexType {
    Date,
    Time,
    Duration,
    Set,
}

impl TimexType {
    pub fn code(self) -> &'static str {
        match self {
            TimexType::Date => "DATE",
            TimexType::Time => "TIME",
            TimexType::Duration => "DURATION",
            TimexType::Set => "SET",
        }
    }
}

impl fmt::Display for TimexType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// How an underspecified date is placed relative to the reference date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placement {
    /// Read it from the tense of the clause ("said Tuesday", "will meet Tuesday").
    Tense,
    /// "last March": the latest one that ended before the reference.
    Last,
    /// "this summer": the one in the reference's own year (week for weekdays).
    This,
    /// "next Tuesday": the first one that starts after the reference.
    Next,
    /// Placed from the date the text mentioned last, not the reference
    /// date: "the following spring" (1), "that summer" (0), "the previous
    /// March" (-1).
    Anaphoric(i8),
}

/// A sub-period of a year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum YearPart {
    Quarter(u8),
    Half(u8),
    Season(Season),
}

/// A calendar date with only the fields the text stated.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CalendarDate {
    pub year: Option<i32>,
    pub month: Option<u8>,
    pub day: Option<u8>,
    pub weekday: Option<u8>,
    pub part: Option<YearPart>,
    /// A year stated relative to the reference ("of next year" → +1).
    pub year_offset: Option<i32>,
    /// The last day of a day range, as (month, day): "Sept 8-11" → (9, 11).
    pub through: Option<(u8, u8)>,
    /// "the weekend": the weekend of the week the other fields place.
    pub weekend: bool,
    /// A holiday whose day moves from year to year ("Thanksgiving",
    /// "Easter"): the rule gives the day once the year is known. Fixed
    /// ones ("Christmas") are stated as their month and day instead.
    pub holiday: Option<Holiday>,
    /// The week or month, counted from the reference's, that holds the
    /// other fields: "Thursday of next week" → (Week, 1), "the 12th of next
    /// month" → (Month, 1).
    pub within: Option<(Unit, i32)>,
    /// Which one of the month's days the date is: with a weekday, the nth
    /// such weekday ("the first Monday of March" → 1); without, the nth
    /// day. -1 is the last ("the last day of October").
    pub nth: Option<i8>,
    /// Weeks past the first upcoming weekday: "the Friday after next" → 1,
    /// "four Mondays from now" → 3.
    pub skip_weeks: u8,
}

impl CalendarDate {
    /// Whether the date names a day of the year, a year still open.
    pub fn names_day(&self) -> bool {
        self.day.is_some() || self.holiday.is_some() || self.nth.is_some()
    }
}

/// What a point in time is measured from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    /// The document's reference date ("last week", "three days ago").
    Reference,
    /// The date the text mentioned last ("the following day", "a year earlier").
    Narrative,
    /// The period a report compares with ("year-ago", "year-earlier"): the
    /// date mentioned last, a year back, unless that date already lies in
    /// the year before the reference ("in the 1988 period … the year-ago
    /// results" are 1988's).
    Compared,
}

/// A time of day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Clock {
    At {
        hour: u8,
        minute: u8,
        /// The zone the text names, if any.
        zone: Option<Zone>,
    },
    Part(PartOfDay),
}

/// A time zone named in the text: a fixed offset ("EST", "GMT+2"), or a
/// zone of the tz database ("Eastern time", "Europe/Vienna", "Vienna
/// time"), whose offset depends on the day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Zone {
    /// Minutes east of UTC.
    Fixed(i16),
    Named(chrono_tz::Tz),
}

/// An amount of a unit; `None` is an unstated amount ("several weeks").
pub type Amount = Option<f64>;

/// What an expression denotes, as far as the text says.
#[derive(Clone, Debug, PartialEq)]
pub enum What {
    /// A calendar date, some of whose fields may be open.
    Calendar(CalendarDate, Placement),
    /// A decade, by its first three digits ("the 1990s" → 199).
    Decade(i32),
    /// A century, by its first two digits ("the 20th century" → 19).
    Century(i32),
    /// The period `offset` units away from the anchor ("last week", "today",
    /// "three days ago", "the following day").
    Relative {
        unit: Unit,
        offset: i64,
        anchor: Anchor,
    },
    /// An unstated number of units before the anchor: "a few years ago".
    VagueOffset {
        unit: Unit,
        past: bool,
    },
    Ref(RefKind),
    /// The time a story has reached: "at that time", "during this
    /// period" (the date the text mentioned last).
    Then,
    /// A length of time: a sum of amounts of units.
    Duration(Vec<(Amount, Unit)>),
    /// A recurrence.
    Set(SetSpec),
}

/// A recurrence: every unit, or every named day or month.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct SetSpec {
    /// Every `count` units ("every two weeks" → 2).
    pub count: u32,
    pub unit: Option<Unit>,
    pub weekday: Option<u8>,
    pub month: Option<u8>,
    pub part_of_day: Option<PartOfDay>,
    /// "Mondays at 11:00": the hour and minute of each occurrence.
    pub time: Option<(u8, u8)>,
    /// "the first Monday of each month": 1; "the last Friday …": -1.
    pub nth: Option<i8>,
    /// "every weekday", "every business day": Monday to Friday.
    pub workdays: bool,
    /// "the 15th of every month".
    pub month_day: Option<u8>,
    /// "twice a month": more than one occurrence per unit, which no single
    /// rule of dates can say.
    pub several_per_unit: bool,
}

/// One recognized expression, before resolution.
#[derive(Clone, Debug, PartialEq)]
pub struct Partial {
    pub what: What,
    pub clock: Option<Clock>,
    pub modifier: Option<Mod>,
    /// How to move the resolved point: "the day after Christmas" is
    /// Christmas moved a day.
    pub shift: Option<Shift>,
    /// Where a counted length lies from the reference: "the next three
    /// weeks" runs ahead of it, "the past two quarters" behind, so it has
    /// an interval as well as a length.
    pub reach: Option<Reach>,
    /// A length said to point at a date: "in five years", "eight years
    /// from now". TimeML tags the length alone (DURATION P5Y); the date it
    /// points to is kept beside it as the timex's `anchored` date.
    pub measured: bool,
}

/// A day said from another one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shift {
    /// Moved by a number of units: "two weeks from Friday" is (Week, 2).
    By(Unit, i32),
    /// The nearest weekday (Monday = 1) after or before: "the Friday after
    /// Thanksgiving", "the Saturday before Easter".
    ToWeekday { weekday: u8, after: bool },
    /// The nearest weekend after or before: "the weekend before Christmas".
    ToWeekend { after: bool },
    /// Moved by days Monday to Friday: "ten business days from now".
    Workdays(i32),
    /// The week that holds the day: "the week of Dec 14".
    WeekOf,
}

/// The side of the reference a counted span lies on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reach {
    Ahead,
    Behind,
}

impl Partial {
    /// Whether resolving it reads its clause's tense: only a calendar date
    /// placed by tense with no year of its own does ("on Tuesday", "in
    /// March"), so the clause is searched for a cue only then.
    pub fn reads_tense(&self) -> bool {
        matches!(&self.what, What::Calendar(d, Placement::Tense)
            if d.year.is_none() && d.year_offset.is_none() && d.within.is_none())
    }

    pub fn new(what: What) -> Partial {
        Partial {
            what,
            clock: None,
            modifier: None,
            shift: None,
            reach: None,
            measured: false,
        }
    }

    pub fn calendar(date: CalendarDate, placement: Placement) -> Partial {
        Partial::new(What::Calendar(date, placement))
    }

    pub fn relative(unit: Unit, offset: i64, anchor: Anchor) -> Partial {
        Partial::new(What::Relative {
            unit,
            offset,
            anchor,
        })
    }

    /// The TIMEX3 type this expression will have.
    pub fn timex_type(&self) -> TimexType {
        match self.what {
            What::Duration(_) => TimexType::Duration,
            What::Set(_) => TimexType::Set,
            _ if self.clock.is_some() => TimexType::Time,
            _ => TimexType::Date,
        }
    }

    /// Whether the expression names a day (so a clock time can attach to it).
    pub fn is_day(&self) -> bool {
        match &self.what {
            What::Calendar(d, _) => {
                d.part.is_none() && !d.weekend && (d.names_day() || d.weekday.is_some())
            }
            What::Relative { unit, .. } => *unit == Unit::Day,
            _ => false,
        }
    }
}
