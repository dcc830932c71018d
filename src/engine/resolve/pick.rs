//! Choosing among candidate periods for a date whose year (or week, or
//! month) the text left open: the rules of [`Resolver::calendar`].

use super::*;

/// How many periods [`Resolver::calendar`] weighs: the one around the
/// reference and two on each side.
pub(super) const CANDIDATES: usize = 5;

/// Up to [`CANDIDATES`] points in a fixed array (resolving allocates no list).
pub(super) struct Candidates {
    points: [Point; CANDIDATES],
    len: usize,
}

impl Default for Candidates {
    fn default() -> Self {
        Candidates {
            // Placeholders, never read: only `points[..len]` is.
            points: [Point {
                granularity: Granularity::Day,
                start: NaiveDateTime::MIN,
            }; CANDIDATES],
            len: 0,
        }
    }
}

impl Candidates {
    pub(super) fn push(&mut self, p: Point) {
        // At most one candidate per period, five periods: never full.
        if let Some(slot) = self.points.get_mut(self.len) {
            *slot = p;
            self.len = self.len.saturating_add(1);
        }
    }

    pub(super) fn as_slice(&self) -> &[Point] {
        &self.points[..self.len]
    }

    /// Keeps the candidates that pass `test`, unless none does; says
    /// whether any did.
    pub(super) fn keep(&mut self, test: impl Fn(&Point) -> bool) -> bool {
        if !self.as_slice().iter().any(&test) {
            return false;
        }
        let mut kept = 0;
        for i in 0..self.len {
            if test(&self.points[i]) {
                self.points[kept] = self.points[i];
                kept = kept.saturating_add(1);
            }
        }
        self.len = kept;
        true
    }
}

/// How to choose among candidate periods.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Rule {
    /// The latest that started on or before the reference day.
    PastInclusive,
    /// The earliest that has not ended by the reference day.
    FutureInclusive,
    /// The latest that ended before the reference day.
    Last,
    /// The earliest that starts after the reference day.
    Next,
    /// The one in the reference's year (its week, for weekdays).
    SameYear,
    /// The one closest to the reference.
    Nearest,
}

pub(super) fn pick(
    candidates: &[Point],
    rule: Rule,
    reference: NaiveDateTime,
    same_week: bool,
) -> Option<Point> {
    // Only candidates whose period has an end (all but those at the edge of
    // the calendar) are weighed. The end is found only where a rule reads
    // it or a candidate is about to be chosen: for months and years it
    // costs a calendar shift, and most rules read starts alone.
    let ended = |p: &&Point| point_end(p).is_some();
    let day_after = reference.checked_add_days(chrono::Days::new(1))?;
    let chosen = match rule {
        Rule::PastInclusive => candidates
            .iter()
            .rev()
            .filter(|p| p.start <= reference)
            .find(ended),
        Rule::FutureInclusive => candidates
            .iter()
            .find(|p| point_end(p).is_some_and(|e| e > reference)),
        Rule::Last => candidates
            .iter()
            .rev()
            .find(|p| point_end(p).is_some_and(|e| e <= reference)),
        Rule::Next => candidates
            .iter()
            .filter(|p| p.start >= day_after)
            .find(ended),
        Rule::SameYear => {
            if same_week {
                let week = reference.date().iso_week();
                candidates
                    .iter()
                    .filter(|p| p.start.date().iso_week() == week)
                    .find(ended)
            } else {
                candidates
                    .iter()
                    .filter(|p| p.start.year() == reference.year())
                    .find(ended)
            }
        }
        Rule::Nearest => candidates
            .iter()
            .filter_map(|p| Some((p, point_end(p)?)))
            .min_by_key(|(p, e)| {
                if p.start > reference {
                    p.start.signed_duration_since(reference).num_days()
                } else if *e <= reference {
                    reference
                        .signed_duration_since(*e)
                        .num_days()
                        .saturating_add(1)
                } else {
                    0
                }
            })
            .map(|(p, _)| p),
    };
    chosen.copied()
}
