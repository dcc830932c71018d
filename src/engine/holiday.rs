//! Holidays as rules that give their day in any year: a fixed month and
//! day, the nth (or last) weekday of a month, or a number of days from
//! Easter Sunday. The names and rules themselves are language data
//! (`[[holidays]]` in `data/en.toml`); this module only computes days.

use chrono::{Datelike, Duration, NaiveDate};

/// When a holiday falls, as a rule over years.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Holiday {
    /// The same day every year: Christmas is (12, 25).
    Fixed { month: u8, day: u8 },
    /// The `nth` `weekday` (ISO, Monday = 1) of `month`, `nth` -1 the last
    /// one, then moved by `days_after`: Thanksgiving is the fourth Thursday
    /// of November; Election Day the first Monday of November, plus one.
    Nth {
        month: u8,
        weekday: u8,
        nth: i8,
        days_after: i8,
    },
    /// `days` from Easter Sunday: Good Friday is -2.
    Easter { days: i16 },
}

impl Holiday {
    /// The holiday's day in `year`, for years 1 to 9999 (the years TIMEX3
    /// writes); `None` outside them.
    pub fn date_in(self, year: i32) -> Option<NaiveDate> {
        if !(1..=9999).contains(&year) {
            return None;
        }
        match self {
            Holiday::Fixed { month, day } => {
                NaiveDate::from_ymd_opt(year, u32::from(month), u32::from(day))
            }
            Holiday::Nth {
                month,
                weekday,
                nth,
                days_after,
            } => nth_weekday(year, month, weekday, nth)?
                .checked_add_signed(Duration::days(i64::from(days_after))),
            Holiday::Easter { days } => {
                easter_sunday(year)?.checked_add_signed(Duration::days(i64::from(days)))
            }
        }
    }
}

/// Easter Sunday of a Gregorian year, by the anonymous Gregorian algorithm
/// (Meeus/Jones/Butcher): the first Sunday after the ecclesiastical full
/// moon on or after March 21.
pub fn easter_sunday(year: i32) -> Option<NaiveDate> {
    if !(1..=9999).contains(&year) {
        return None;
    }
    // Place of the year in the 19-year Metonic cycle.
    let a = year % 19;
    let (b, c) = (year / 100, year % 100);
    // Leap-year corrections of the century: the Gregorian calendar drops
    // three leap days in four centuries (d, e), and the moon's orbit
    // drifts against the 19-year cycle (f, g).
    let (d, e) = (b / 4, b % 4);
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    // Days from March 21 to the full moon.
    let h = (19 * a + b - d - g + 15) % 30;
    let (i, k) = (c / 4, c % 4);
    // Days from the full moon to the Sunday after it.
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?)
}

/// The `nth` `weekday` (ISO, Monday = 1) of a month; `nth` -1 is the last
/// one. `None` when the month has no such day (a fifth Monday).
pub fn nth_weekday(year: i32, month: u8, weekday: u8, nth: i8) -> Option<NaiveDate> {
    let wanted = i64::from(weekday.checked_sub(1).filter(|w| *w < 7)?);
    if nth < 0 {
        let next = if month == 12 {
            NaiveDate::from_ymd_opt(year.checked_add(1)?, 1, 1)?
        } else {
            NaiveDate::from_ymd_opt(year, u32::from(month).checked_add(1)?, 1)?
        };
        let last = next.pred_opt()?;
        let back = (i64::from(last.weekday().num_days_from_monday()) - wanted).rem_euclid(7);
        let weeks_back = i64::from(nth.checked_add(1)?.unsigned_abs());
        let d = last.checked_sub_signed(Duration::days(back + 7 * weeks_back))?;
        return (d.month() == u32::from(month)).then_some(d);
    }
    let first = NaiveDate::from_ymd_opt(year, u32::from(month), 1)?;
    let ahead = (wanted - i64::from(first.weekday().num_days_from_monday())).rem_euclid(7);
    let weeks = i64::from(nth.checked_sub(1)?);
    if weeks < 0 {
        return None;
    }
    let d = first.checked_add_signed(Duration::days(ahead + 7 * weeks))?;
    (d.month() == u32::from(month)).then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn easter_sundays_of_known_years() {
        // Dates as church calendars list them, across the algorithm's
        // corner cases: the earliest (March 22, 1818) and latest (April
        // 25, 1943 and 2038) possible Easters, and the exceptions of the
        // lunar table (1954, 1981, 2049, 2076).
        for (y, m, d) in [
            (1818, 3, 22),
            (1943, 4, 25),
            (1954, 4, 18),
            (1961, 4, 2),
            (1981, 4, 19),
            (2000, 4, 23),
            (2008, 3, 23),
            (2011, 4, 24),
            (2019, 4, 21),
            (2024, 3, 31),
            (2025, 4, 20),
            (2026, 4, 5),
            (2027, 3, 28),
            (2028, 4, 16),
            (2038, 4, 25),
            (2049, 4, 18),
            (2076, 4, 19),
            (2285, 3, 22),
        ] {
            assert_eq!(easter_sunday(y), Some(ymd(y, m, d)), "{y}");
        }
    }

    #[test]
    fn easter_is_a_sunday_between_march_22_and_april_25() {
        for y in 1583..=4099 {
            let e = easter_sunday(y).unwrap();
            assert_eq!(e.weekday(), chrono::Weekday::Sun, "{y}");
            assert!(e >= ymd(y, 3, 22) && e <= ymd(y, 4, 25), "{y}: {e}");
        }
        assert_eq!(easter_sunday(0), None);
        assert_eq!(easter_sunday(10000), None);
    }

    #[test]
    fn nth_and_last_weekdays() {
        // Thanksgiving: fourth Thursday of November.
        assert_eq!(nth_weekday(2026, 11, 4, 4), Some(ymd(2026, 11, 26)));
        assert_eq!(nth_weekday(2027, 11, 4, 4), Some(ymd(2027, 11, 25)));
        // Memorial Day: last Monday of May, when May 31 is a Monday too.
        assert_eq!(nth_weekday(2027, 5, 1, -1), Some(ymd(2027, 5, 31)));
        assert_eq!(nth_weekday(2026, 5, 1, -1), Some(ymd(2026, 5, 25)));
        // Labor Day when September starts on its Monday.
        assert_eq!(nth_weekday(2025, 9, 1, 1), Some(ymd(2025, 9, 1)));
        // The last day of December, and a month without a fifth Monday.
        assert_eq!(nth_weekday(2026, 12, 4, -1), Some(ymd(2026, 12, 31)));
        assert_eq!(nth_weekday(2026, 2, 1, 5), None);
        assert_eq!(nth_weekday(2026, 2, 8, 1), None);
        assert_eq!(nth_weekday(2026, 2, 1, 0), None);
    }

    #[test]
    fn rules_give_their_day_in_any_year() {
        let election = Holiday::Nth {
            month: 11,
            weekday: 1,
            nth: 1,
            days_after: 1,
        };
        // The Tuesday after the first Monday: never November 1.
        assert_eq!(election.date_in(2026), Some(ymd(2026, 11, 3)));
        assert_eq!(election.date_in(2022), Some(ymd(2022, 11, 8)));
        assert_eq!(election.date_in(1998), Some(ymd(1998, 11, 3)));
        let good_friday = Holiday::Easter { days: -2 };
        assert_eq!(good_friday.date_in(2027), Some(ymd(2027, 3, 26)));
        let feb29 = Holiday::Fixed { month: 2, day: 29 };
        assert_eq!(feb29.date_in(2027), None);
        assert_eq!(good_friday.date_in(0), None);
    }
}
