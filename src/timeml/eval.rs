//! Scoring against TimeML gold standards, as the TempEval-3 toolkit defines
//! it for task A (timex extraction and normalization).
//!
//! System and gold timexes are paired one-to-one when their spans overlap:
//! identical spans first, then a maximum matching over the rest, trying the
//! largest overlap first. A pair is a relaxed match; a pair with identical
//! spans is a strict match. Type and value are compared over relaxed pairs.
//! Counts are summed over documents (micro average).

use std::collections::HashMap;

/// A span with a type and value, from the gold standard or the system.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub kind: String,
    pub value: String,
}

/// Summed counts over a corpus.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub docs: usize,
    pub gold: usize,
    pub system: usize,
    pub relaxed: usize,
    pub strict: usize,
    pub type_ok: usize,
    pub value_ok: usize,
}

/// Precision, recall and F1.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Prf {
    pub p: f64,
    pub r: f64,
    pub f1: f64,
}

fn prf(matched: usize, system: usize, gold: usize) -> Prf {
    let p = if system > 0 {
        matched as f64 / system as f64
    } else {
        0.0
    };
    let r = if gold > 0 {
        matched as f64 / gold as f64
    } else {
        0.0
    };
    let f1 = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    Prf { p, r, f1 }
}

impl Counts {
    pub fn add(&mut self, other: &Counts) {
        self.docs += other.docs;
        self.gold += other.gold;
        self.system += other.system;
        self.relaxed += other.relaxed;
        self.strict += other.strict;
        self.type_ok += other.type_ok;
        self.value_ok += other.value_ok;
    }
    pub fn strict(&self) -> Prf {
        prf(self.strict, self.system, self.gold)
    }
    pub fn relaxed(&self) -> Prf {
        prf(self.relaxed, self.system, self.gold)
    }
    /// Type or value F1 as TempEval-3 reports it: accuracy times relaxed F1.
    pub fn attribute_f1(&self, correct: usize) -> f64 {
        if self.gold + self.system == 0 {
            return 0.0;
        }
        2.0 * correct as f64 / (self.gold + self.system) as f64
    }
    pub fn accuracy(&self, correct: usize) -> f64 {
        if self.relaxed == 0 {
            0.0
        } else {
            correct as f64 / self.relaxed as f64
        }
    }
}

/// One-to-one pairs (gold index, system index) of overlapping spans.
pub fn pair(gold: &[Span], system: &[Span]) -> Vec<(usize, usize)> {
    let mut gold_of: HashMap<usize, usize> = HashMap::new();
    let mut system_of: HashMap<usize, usize> = HashMap::new();
    for (si, s) in system.iter().enumerate() {
        if let Some(gi) = gold.iter().enumerate().position(|(gi, g)| {
            g.start == s.start && g.end == s.end && !system_of.contains_key(&gi)
        }) {
            system_of.insert(gi, si);
            gold_of.insert(si, gi);
        }
    }
    let locked: Vec<usize> = system_of.keys().copied().collect();
    let mut candidates: Vec<(usize, Vec<usize>)> = Vec::new();
    for (si, s) in system.iter().enumerate() {
        if gold_of.contains_key(&si) {
            continue;
        }
        let mut opts: Vec<(i64, i64, usize)> = gold
            .iter()
            .enumerate()
            .filter(|(gi, g)| !locked.contains(gi) && g.start < s.end && s.start < g.end)
            .map(|(gi, g)| {
                let overlap = (g.end.min(s.end) - g.start.max(s.start)) as i64;
                (-overlap, (g.start as i64 - s.start as i64).abs(), gi)
            })
            .collect();
        opts.sort();
        candidates.push((si, opts.into_iter().map(|o| o.2).collect()));
    }
    let options: HashMap<usize, Vec<usize>> = candidates.iter().cloned().collect();
    fn augment(
        si: usize,
        options: &HashMap<usize, Vec<usize>>,
        seen: &mut Vec<usize>,
        system_of: &mut HashMap<usize, usize>,
        gold_of: &mut HashMap<usize, usize>,
    ) -> bool {
        for &gi in options.get(&si).map_or(&[][..], |v| &v[..]) {
            if seen.contains(&gi) {
                continue;
            }
            seen.push(gi);
            let free = match system_of.get(&gi) {
                None => true,
                Some(&other) => augment(other, options, seen, system_of, gold_of),
            };
            if free {
                system_of.insert(gi, si);
                gold_of.insert(si, gi);
                return true;
            }
        }
        false
    }
    for (si, _) in &candidates {
        let mut seen = Vec::new();
        augment(*si, &options, &mut seen, &mut system_of, &mut gold_of);
    }
    let mut pairs: Vec<(usize, usize)> = gold_of.into_iter().map(|(si, gi)| (gi, si)).collect();
    pairs.sort();
    pairs
}

/// An error record for `--errors`.
#[derive(Clone, Debug)]
pub enum Error {
    Missed(Span),
    Spurious(Span),
    Wrong { gold: Span, system: Span },
}

/// Scores one document; returns its counts and its errors.
pub fn score_document(gold: &[Span], system: &[Span]) -> (Counts, Vec<Error>) {
    let pairs = pair(gold, system);
    let mut c = Counts {
        docs: 1,
        gold: gold.len(),
        system: system.len(),
        ..Counts::default()
    };
    let mut errors = Vec::new();
    let mut hit_gold = vec![false; gold.len()];
    let mut hit_system = vec![false; system.len()];
    for &(gi, si) in &pairs {
        let (g, s) = (&gold[gi], &system[si]);
        hit_gold[gi] = true;
        hit_system[si] = true;
        c.relaxed += 1;
        if g.start == s.start && g.end == s.end {
            c.strict += 1;
        }
        if g.kind == s.kind {
            c.type_ok += 1;
        }
        if g.value == s.value {
            c.value_ok += 1;
        }
        if g.value != s.value || g.kind != s.kind || g.start != s.start || g.end != s.end {
            errors.push(Error::Wrong {
                gold: g.clone(),
                system: s.clone(),
            });
        }
    }
    for (gi, g) in gold.iter().enumerate() {
        if !hit_gold[gi] {
            errors.push(Error::Missed(g.clone()));
        }
    }
    for (si, s) in system.iter().enumerate() {
        if !hit_system[si] {
            errors.push(Error::Spurious(s.clone()));
        }
    }
    (c, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(start: usize, end: usize, value: &str) -> Span {
        Span {
            start,
            end,
            kind: "DATE".into(),
            value: value.into(),
        }
    }

    #[test]
    fn gold_against_itself_is_perfect() {
        let g = vec![span(0, 5, "2014"), span(10, 20, "P1D")];
        let (c, errors) = score_document(&g, &g);
        assert_eq!(c.strict, 2);
        assert_eq!(c.value_ok, 2);
        assert!(errors.is_empty());
    }

    #[test]
    fn overlapping_spans_pair_one_to_one() {
        let g = vec![span(0, 10, "a"), span(12, 20, "b")];
        let s = vec![span(5, 15, "a"), span(14, 18, "b")];
        let (c, _) = score_document(&g, &s);
        assert_eq!(c.relaxed, 2);
        assert_eq!(c.strict, 0);
        assert_eq!(c.value_ok, 2);
    }
}
