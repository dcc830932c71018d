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
    // Each candidate with its end (those without one are left out), in a
    // fixed array like the candidates.
    // No candidates, nothing to pick; else the first fills the array's
    // unused slots, which are never read.
    let mut buf = [(*candidates.first()?, NaiveDateTime::MIN); CANDIDATES];
    let mut len = 0;
    for p in candidates {
        if let Some(end) = point_end(p) {
            buf[len] = (*p, end);
            len = len.saturating_add(1);
        }
    }
    let ends = &buf[..len];
    let day_after = reference.checked_add_signed(Duration::days(1))?;
    match rule {
        Rule::PastInclusive => ends
            .iter()
            .rev()
            .find(|(p, _)| p.start <= reference)
            .map(|x| x.0),
        Rule::FutureInclusive => ends.iter().find(|(_, e)| *e > reference).map(|x| x.0),
        Rule::Last => ends
            .iter()
            .rev()
            .find(|(_, e)| *e <= reference)
            .map(|x| x.0),
        Rule::Next => ends.iter().find(|(p, _)| p.start >= day_after).map(|x| x.0),
        Rule::SameYear => {
            if same_week {
                let week = reference.date().iso_week();
                ends.iter()
                    .find(|(p, _)| p.start.date().iso_week() == week)
                    .map(|x| x.0)
            } else {
                ends.iter()
                    .find(|(p, _)| p.start.year() == reference.year())
                    .map(|x| x.0)
            }
        }
        Rule::Nearest => ends
            .iter()
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
            .map(|x| x.0),
    }
}
