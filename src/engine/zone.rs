//! Time zones by IANA name ("Europe/Vienna", "America/New_York"), from the
//! tz database that `chrono-tz` bundles: the UTC offset a zone has at a
//! wall-clock time, so "9:00 Vienna time" is +01:00 in January and +02:00
//! in July.

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::OnceLock;

use chrono::{NaiveDateTime, Offset, TimeZone};
use chrono_tz::Tz;

/// The canonical spelling of a zone name, whatever its case
/// ("europe/vienna" → "Europe/Vienna"); `None` for an unknown name.
pub fn canonical(name: &str) -> Option<&'static str> {
    let name = name.trim();
    if let Ok(tz) = Tz::from_str(name) {
        return Some(tz.name());
    }
    // Rare (names are usually typed or copied as the database spells
    // them), so a scan of the ~600 names is cheap enough.
    chrono_tz::TZ_VARIANTS
        .iter()
        .find(|tz| tz.name().eq_ignore_ascii_case(name))
        .map(|tz| tz.name())
}

/// The offset east of UTC, in minutes, that zone `name` has at the wall
/// time `at`. A time skipped by a spring-forward change reads with the
/// offset after it; one repeated in the autumn, with the earlier one.
pub fn offset_at(name: &str, at: NaiveDateTime) -> Option<i16> {
    offset_of(Tz::from_str(canonical(name)?).ok()?, at)
}

/// [`offset_at`] for a zone already looked up.
pub fn offset_of(tz: Tz, at: NaiveDateTime) -> Option<i16> {
    let local = match tz.from_local_datetime(&at) {
        chrono::LocalResult::Single(t) => t,
        chrono::LocalResult::Ambiguous(first, _) => first,
        chrono::LocalResult::None => {
            // In the gap: the instant an hour later exists in every zone.
            let later = at.checked_add_signed(chrono::Duration::hours(1))?;
            tz.from_local_datetime(&later).earliest()?
        }
    };
    let seconds = local.offset().fix().local_minus_utc();
    i16::try_from(seconds / 60).ok()
}

/// The zone named after a city of the tz database ("Vienna" →
/// Europe/Vienna, "new york" → America/New_York), for "Vienna time".
/// Cities in several zones' names take the first in database order.
pub fn city(name: &str) -> Option<Tz> {
    static CITIES: OnceLock<HashMap<String, Tz>> = OnceLock::new();
    let cities = CITIES.get_or_init(|| {
        let mut map = HashMap::new();
        for tz in chrono_tz::TZ_VARIANTS {
            let name = tz.name();
            // Regions only ("Europe/…", "America/…"): not "Etc/GMT+5".
            if !name.contains('/') || name.starts_with("Etc/") {
                continue;
            }
            let last = name.rsplit('/').next().unwrap_or(name);
            map.entry(last.replace('_', " ").to_ascii_lowercase())
                .or_insert(tz);
        }
        map
    });
    cities.get(&name.to_ascii_lowercase()).copied()
}

/// The offset east of UTC, in minutes, that zone `name` has at the UTC
/// instant `utc`.
pub fn offset_at_utc(name: &str, utc: NaiveDateTime) -> Option<i16> {
    let tz = Tz::from_str(canonical(name)?).ok()?;
    let seconds = tz.from_utc_datetime(&utc).offset().fix().local_minus_utc();
    i16::try_from(seconds / 60).ok()
}

/// The UTC instant of wall time `at` in zone `name`.
pub fn to_utc(name: &str, at: NaiveDateTime) -> Option<NaiveDateTime> {
    let minutes = offset_at(name, at)?;
    at.checked_sub_signed(chrono::Duration::minutes(i64::from(minutes)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").unwrap()
    }

    #[test]
    fn offsets_follow_daylight_saving() {
        assert_eq!(offset_at("Europe/Vienna", at("2026-01-15T09:00")), Some(60));
        assert_eq!(
            offset_at("Europe/Vienna", at("2026-07-15T09:00")),
            Some(120)
        );
        assert_eq!(
            offset_at("america/new_york", at("2026-12-01T09:00")),
            Some(-300)
        );
        assert_eq!(
            offset_at("America/New_York", at("2026-06-01T09:00")),
            Some(-240)
        );
        assert_eq!(offset_at("Mars/Olympus", at("2026-06-01T09:00")), None);
    }

    #[test]
    fn times_in_a_change_resolve() {
        // 02:30 does not exist in Vienna on 29 March 2026; 02:30 on 25
        // October 2026 happens twice.
        assert_eq!(
            offset_at("Europe/Vienna", at("2026-03-29T02:30")),
            Some(120)
        );
        assert_eq!(
            offset_at("Europe/Vienna", at("2026-10-25T02:30")),
            Some(120)
        );
        assert_eq!(canonical("EUROPE/VIENNA"), Some("Europe/Vienna"));
        assert_eq!(city("new york").map(|t| t.name()), Some("America/New_York"));
        assert_eq!(city("Vienna").map(|t| t.name()), Some("Europe/Vienna"));
        assert_eq!(city("Atlantis"), None);
    }
}
