//! The short-word table of a [`Lexicon`](super::Lexicon): words of up to
//! 15 bytes, packed with their length into one `u128` key.

use super::Entry;

/// The short words of a loaded table, frozen into an open-addressing table
/// with linear probing, for `Lexicon::get`'s hot path.
///
/// Most lookups in running text are for common words, many of them in the
/// table (cue words such as "the", "of", "said") and the rest not: either
/// way one probe nearly always decides, since the table is at most a quarter
/// full. A miss ends at an empty slot (key 0: a packed key holds its length,
/// so it is never 0). This replaced a `HashMap` lookup with a first-byte and
/// length prefilter that rejected only one word in twenty of news text.
pub(super) struct ShortTable {
    /// Packed keys (`pack`), 0 for an empty slot; a power of two long.
    keys: Box<[u128]>,
    /// For each slot, the index of its entry in `entries`.
    index: Box<[u32]>,
    entries: Vec<Entry>,
    /// 64 minus log2 of the table length: the hash's top bits pick the slot.
    shift: u32,
}

impl ShortTable {
    pub(super) fn new(words: impl IntoIterator<Item = (u128, Entry)>) -> ShortTable {
        // Inserted in key order, so the layout does not depend on the
        // building map's iteration order.
        let mut words: Vec<(u128, Entry)> = words.into_iter().collect();
        words.sort_by_key(|&(k, _)| k);
        let len = (words.len() * 4).next_power_of_two().max(16);
        let mut table = ShortTable {
            keys: vec![0; len].into(),
            index: vec![0; len].into(),
            entries: Vec::with_capacity(words.len()),
            shift: 64 - len.trailing_zeros(),
        };
        for (key, entry) in words {
            let mut slot = table.slot(key);
            while table.keys[slot] != 0 {
                slot = (slot + 1) & (len - 1);
            }
            table.keys[slot] = key;
            table.index[slot] = table.entries.len() as u32;
            table.entries.push(entry);
        }
        table
    }

    /// The home slot of a key: a multiply of its two halves folded together.
    fn slot(&self, key: u128) -> usize {
        let folded = (key as u64) ^ ((key >> 64) as u64).rotate_left(31);
        (folded.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> self.shift) as usize
    }

    pub(super) fn get(&self, key: u128) -> Option<&Entry> {
        let mask = self.keys.len() - 1;
        let mut slot = self.slot(key);
        loop {
            let k = self.keys[slot];
            if k == key {
                return self.entries.get(self.index[slot] as usize);
            }
            if k == 0 {
                return None;
            }
            slot = (slot + 1) & mask;
        }
    }
}
