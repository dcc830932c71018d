//! The ids a table shows: each event's id cut to the fewest bytes that
//! tell it from every other event shown.

use super::order;
use crate::events::Shown;

/// The ids a table shows: as git shows commits, the shortest prefix (of
/// at least 8 hex digits) that no other shown event shares. Full ids are
/// in the store and in JSON; any unique prefix is accepted back.
pub fn short_ids(events: &[&impl Shown]) -> Vec<String> {
    events
        .iter()
        .zip(short_id_lens(events))
        .map(|(e, n)| e.id().get(..n).unwrap_or(e.id()).to_string())
        .collect()
}

/// The fewest bytes a short id has: "ev-" and 8 hex digits.
const MIN_SHORT: usize = "ev-".len() + 8;

/// The length in bytes of each event's id as [`short_ids`] shows it.
///
/// Two ids that differ within their first [`MIN_SHORT`] bytes never
/// lengthen each other, so only ids that share those bytes with another
/// are compared (found by a hash of them, not a sort of every id). Equal
/// ids, or prefixes the table could not place, take the sort of them all.
pub fn short_id_lens(events: &[&impl Shown]) -> Vec<usize> {
    let ids: Vec<&str> = events.iter().map(|e| e.id()).collect();
    let Some(mut crowded) = sharing_prefix(&ids) else {
        return sorted_lens(&ids);
    };
    let mut lens: Vec<usize> = ids.iter().map(|id| cut_at(id, MIN_SHORT)).collect();
    if crowded.is_empty() {
        return lens;
    }
    crowded.sort_unstable_by(|&a, &b| ids[a].cmp(ids[b]));
    if crowded.windows(2).any(|w| ids[w[0]] == ids[w[1]]) {
        return sorted_lens(&ids);
    }
    // Ids of one prefix are neighbours in the order of all ids; an id of
    // another prefix next to one shares fewer than MIN_SHORT bytes.
    for (k, &i) in crowded.iter().enumerate() {
        let mut need = MIN_SHORT;
        for n in [k.checked_sub(1), Some(k + 1)].into_iter().flatten() {
            if let Some(&other) = crowded.get(n) {
                need = need.max(shared_len(ids[i], ids[other]) + 1);
            }
        }
        lens[i] = cut_at(ids[i], need);
    }
    lens
}

/// How many bytes of `id` a short id of `need` bytes shows: all of it
/// when it is no longer, or when `need` would cut a character.
fn cut_at(id: &str, need: usize) -> usize {
    if need < id.len() && id.is_char_boundary(need) {
        need
    } else {
        id.len()
    }
}

/// The places of the ids of at least [`MIN_SHORT`] bytes that share
/// those first bytes with another id, by an open-addressing table of
/// the first place of each prefix; `None` when a prefix found no slot
/// within a few probes (ids made to collide), for the caller to sort.
fn sharing_prefix(ids: &[&str]) -> Option<Vec<usize>> {
    const PROBES: usize = 64;
    const EMPTY: usize = usize::MAX;
    let bits = ids
        .len()
        .saturating_mul(2)
        .max(2)
        .next_power_of_two()
        .trailing_zeros();
    let mask = (1usize << bits) - 1;
    let mut first = vec![EMPTY; mask + 1];
    let mut shares = vec![false; ids.len()];
    for (i, id) in ids.iter().enumerate() {
        let Some(prefix) = id.as_bytes().get(..MIN_SHORT) else {
            continue;
        };
        let word = |at: usize| {
            let bytes: [u8; 8] = prefix[at..at + 8].try_into().unwrap_or_default();
            u64::from_le_bytes(bytes)
        };
        let mixed =
            (word(MIN_SHORT - 8) ^ word(0).rotate_left(29)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        let mut slot = (mixed >> (64 - bits.max(1))) as usize & mask;
        let mut placed = false;
        for _ in 0..PROBES {
            match first[slot] {
                EMPTY => {
                    first[slot] = i;
                    placed = true;
                    break;
                }
                j if ids[j].as_bytes().get(..MIN_SHORT) == Some(prefix) => {
                    shares[i] = true;
                    shares[j] = true;
                    placed = true;
                    break;
                }
                _ => slot = (slot + 1) & mask,
            }
        }
        if !placed {
            return None;
        }
    }
    Some((0..ids.len()).filter(|&i| shares[i]).collect())
}

/// [`short_id_lens`] by a sort of every id: where equal ids are shown,
/// which neighbours each is compared with depends on that order.
fn sorted_lens(ids: &[&str]) -> Vec<usize> {
    // The bytes all ids start with ("ev-") tell none apart: the ids are
    // sorted by the 8 bytes after those, as a number, and only on a tie
    // by the whole ids and then their places. The order is the ids' own.
    let skip = ids.first().map_or(0, |first| {
        ids.iter()
            .fold(first.len(), |n, id| n.min(shared_len(first, id)))
    });
    let mut sorted: Vec<(u128, usize)> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            (
                prefix_key(id.as_bytes().get(skip..).unwrap_or_default()) >> 64,
                i,
            )
        })
        .collect();
    order::sort_by_key(&mut sorted, |a, b| ids[a].cmp(ids[b]).then(a.cmp(&b)));
    // How many bytes the ids at two places in `sorted` share.
    let shared = |a: (u128, usize), b: (u128, usize)| {
        let (x, y) = (ids[a.1], ids[b.1]);
        match a.0 ^ b.0 {
            0 => shared_len(x, y),
            differ => (skip + ((differ as u64).leading_zeros() / 8) as usize)
                .min(x.len())
                .min(y.len()),
        }
    };
    let mut lens = vec![0; ids.len()];
    for (k, &(key, i)) in sorted.iter().enumerate() {
        let id = ids[i];
        let same = |n: usize| sorted.get(n).is_some_and(|o| ids[o.1] == id);
        // Among equal ids, the one a binary search lands on decides
        // which neighbours are looked at, as it always has.
        let at = if k.checked_sub(1).is_some_and(same) || same(k + 1) {
            sorted.binary_search_by(|o| ids[o.1].cmp(id)).unwrap_or(k)
        } else {
            k
        };
        let mut need = MIN_SHORT;
        for n in [at.checked_sub(1), Some(at + 1)].into_iter().flatten() {
            if let Some(&other) = sorted.get(n).filter(|o| ids[o.1] != id) {
                need = need.max(shared((key, i), other) + 1);
            }
        }
        lens[i] = cut_at(id, need);
    }
    lens
}

/// How many bytes two texts share at their start.
fn shared_len(a: &str, b: &str) -> usize {
    a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count()
}

/// A text's first 16 bytes as a number that sorts as they do (a shorter
/// text padded with zero bytes, which sort first): where two differ, they
/// are in the order of their texts.
fn prefix_key(text: &[u8]) -> u128 {
    let mut bytes = [0u8; 16];
    let n = text.len().min(16);
    bytes[..n].copy_from_slice(&text[..n]);
    u128::from_be_bytes(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lens_of(ids: &[&str]) -> Vec<usize> {
        let rows: Vec<crate::events::Row<'_>> = ids.iter().map(|id| row(id)).collect();
        short_id_lens(&rows.iter().collect::<Vec<_>>())
    }

    fn row(id: &str) -> crate::events::Row<'_> {
        crate::events::Row {
            id,
            title: "t",
            kind: crate::events::Kind::Meeting,
            when: crate::events::When::Date(chrono::NaiveDate::from_ymd_opt(2014, 10, 14).unwrap()),
            value: "",
            place: None,
            context: None,
            status: crate::events::Status::Open,
            tags: Vec::new(),
        }
    }

    #[test]
    fn a_short_id_is_eight_digits_unless_another_shares_them() {
        let ids = [
            "ev-0123456789abcdef",
            "ev-0123456789abffff",
            "ev-fedcba9876543210",
            "ev-1234",
            "ev-00000000",
        ];
        // The first two share 15 bytes: each shows 16. The others show
        // eight digits, or all they have.
        assert_eq!(lens_of(&ids), [16, 16, 11, 7, 11]);
        // An id of exactly eight digits that another starts with.
        assert_eq!(lens_of(&["ev-00000000", "ev-00000000ab"]), [11, 12]);
        // A cut never splits a character: the whole id is shown (these
        // two differ in the second byte of the euro sign's three).
        let euro = ["ev-00000000\u{20ac}z", "ev-00000000\u{20c0}z"];
        assert_eq!(lens_of(&euro), [15, 15]);
    }

    #[test]
    fn short_ids_are_those_the_sort_of_every_id_gives() {
        let mut state = 11u64;
        let mut below = |n: u64| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) % n
        };
        for n in [0, 1, 2, 5, 100, 3000] {
            for equal in [false, true] {
                let ids: Vec<String> = (0..n)
                    .map(|_| match below(5) {
                        0 => format!("ev-{:016x}", below(1 << 40)),
                        1 => format!("ev-abcdef12{:08x}", below(64)),
                        2 => format!("ev-{:08x}", below(1 << 12)),
                        3 => format!("ev-{:x}", below(1 << 12)),
                        _ => format!("ev-abcdef1{}", ["é", "x", "éa", ""][below(4) as usize]),
                    })
                    .collect();
                let mut ids: Vec<&str> = ids.iter().map(String::as_str).collect();
                if !equal {
                    ids.sort_unstable();
                    ids.dedup();
                }
                assert_eq!(lens_of(&ids), sorted_lens(&ids), "{n} ids, equal {equal}");
            }
        }
    }
}
