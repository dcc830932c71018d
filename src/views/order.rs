//! The order of a table's rows, by a radix sort of number keys: sorting
//! 100,000 rows by comparisons took some 1.4 million of them, a tenth of
//! a `list`; a radix sort reads each key once for each of its bytes that
//! is not the same in every key.

use std::cmp::Ordering;

/// Below this many rows, comparisons cost less than a radix sort's
/// counts.
const FEW: usize = 64;

/// Sorts `rows` (a key and a place) by key, and rows of equal keys as
/// `tie` orders their places (a total order, so the result is the same
/// whichever sort made it).
pub(super) fn sort_by_key(rows: &mut Vec<(u128, usize)>, tie: impl Fn(usize, usize) -> Ordering) {
    if rows.len() < FEW {
        rows.sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| tie(a.1, b.1)));
        return;
    }
    // The greatest key (a row without a start) is set apart: alone among
    // dates, it would differ from them in every byte.
    let last: Vec<(u128, usize)> = rows.iter().filter(|r| r.0 == u128::MAX).copied().collect();
    if !last.is_empty() {
        rows.retain(|r| r.0 != u128::MAX);
    }
    radix(rows);
    rows.extend(last);
    let mut start = 0;
    while let Some(&(key, _)) = rows.get(start) {
        let run = rows[start..].iter().take_while(|r| r.0 == key).count();
        if run > 1 {
            rows[start..start + run].sort_unstable_by(|a, b| tie(a.1, b.1));
        }
        start += run;
    }
}

/// Least significant byte first, each pass stable, over the bytes in
/// which the keys differ once the least is taken from each (dates of a
/// few years differ in two).
fn radix(rows: &mut Vec<(u128, usize)>) {
    let Some(least) = rows.iter().map(|r| r.0).min() else {
        return;
    };
    let (and, or) = rows.iter().fold((u128::MAX, 0), |(and, or), r| {
        let k = r.0 - least;
        (and & k, or | k)
    });
    let differ = and ^ or;
    let mut spare = vec![(0u128, 0usize); rows.len()];
    for byte in 0..16 {
        if (differ >> (8 * byte)) & 0xff == 0 {
            continue;
        }
        // The byte from the key's half that holds it: shifting a u128
        // by a variable takes several instructions.
        let digit = |key: u128| {
            let k = key - least;
            let half = if byte < 8 { k as u64 } else { (k >> 64) as u64 };
            usize::from((half >> (8 * (byte % 8))) as u8)
        };
        let mut at = [0usize; 256];
        for r in rows.iter() {
            at[digit(r.0)] += 1;
        }
        let mut sum = 0;
        for slot in at.iter_mut() {
            (*slot, sum) = (sum, sum + *slot);
        }
        for r in rows.iter() {
            let d = digit(r.0);
            spare[at[d]] = *r;
            at[d] += 1;
        }
        std::mem::swap(rows, &mut spare);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_as_comparisons_do() {
        // Keys with equal runs, bytes alike and not, and u128::MAX (no
        // start), ties broken by place descending.
        let mut state = 7u64;
        let mut next = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            state >> 33
        };
        for n in [0, 1, 5, 63, 64, 65, 1000] {
            let mut rows: Vec<(u128, usize)> = (0..n)
                .map(|i| {
                    let k = match next() % 4 {
                        0 => u128::MAX,
                        1 => u128::from(next() % 8) << 70,
                        _ => u128::from(next()) << 64 | u128::from(next() % 3),
                    };
                    (k, i)
                })
                .collect();
            let mut expected = rows.clone();
            expected.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
            sort_by_key(&mut rows, |a, b| b.cmp(&a));
            assert_eq!(rows, expected, "{n} rows");
        }
    }
}
