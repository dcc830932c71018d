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
    /// The words of up to eight bytes again, keyed by their bytes alone (no
    /// word holds a zero byte, so the zero padding tells lengths apart):
    /// most words of running text are that short, and a 64-bit key is
    /// hashed and compared in a fraction of the work of a 128-bit one.
    eight: EightTable,
}

/// [`ShortTable`]'s words of up to eight bytes, each key the word's bytes
/// in a little-endian `u64`, pointing into the same entries.
struct EightTable {
    /// Keys, 0 for an empty slot; a power of two long.
    keys: Box<[u64]>,
    index: Box<[u32]>,
    shift: u32,
}

impl EightTable {
    fn slot(&self, key: u64) -> usize {
        (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> self.shift) as usize
    }
}

impl ShortTable {
    pub(super) fn new(words: impl IntoIterator<Item = (u128, Entry)>) -> ShortTable {
        // Inserted in key order, so the layout does not depend on the
        // building map's iteration order.
        let mut words: Vec<(u128, Entry)> = words.into_iter().collect();
        words.sort_by_key(|&(k, _)| k);
        let len = (words.len() * 4).next_power_of_two().max(16);
        let eight_len = (words.iter().filter(|&&(k, _)| packed_len(k) <= 8).count() * 4)
            .next_power_of_two()
            .max(16);
        let mut table = ShortTable {
            keys: vec![0; len].into(),
            index: vec![0; len].into(),
            entries: Vec::with_capacity(words.len()),
            shift: 64 - len.trailing_zeros(),
            eight: EightTable {
                keys: vec![0; eight_len].into(),
                index: vec![0; eight_len].into(),
                shift: 64 - eight_len.trailing_zeros(),
            },
        };
        for (key, entry) in words {
            let at = table.entries.len() as u32;
            let mut slot = table.slot(key);
            while table.keys[slot] != 0 {
                slot = (slot + 1) & (len - 1);
            }
            table.keys[slot] = key;
            table.index[slot] = at;
            table.entries.push(entry);
            if packed_len(key) <= 8 {
                let short = key as u64;
                let eight = &mut table.eight;
                let mut slot = eight.slot(short);
                while eight.keys[slot] != 0 {
                    slot = (slot + 1) & (eight_len - 1);
                }
                eight.keys[slot] = short;
                eight.index[slot] = at;
            }
        }
        table
    }

    /// The entry of a word of one to eight bytes, given as its lower-case
    /// bytes in a little-endian `u64` padded with zeros.
    pub(super) fn get_eight(&self, key: u64) -> Option<&Entry> {
        let eight = &self.eight;
        let mask = eight.keys.len() - 1;
        let mut slot = eight.slot(key);
        loop {
            let k = eight.keys[slot];
            if k == key {
                return self.entries.get(eight.index[slot] as usize);
            }
            if k == 0 {
                return None;
            }
            slot = (slot + 1) & mask;
        }
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

/// The length a packed key holds in its last byte (see `pack`).
fn packed_len(key: u128) -> usize {
    (key >> 120) as usize
}
