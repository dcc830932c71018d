//! The 64-bit hash that keys the read cache to a store's exact bytes
//! (see `index`): fast, and sure to see any change within one aligned
//! 8-byte word. Not cryptographic.

/// An odd constant (2^64 / golden ratio), so multiplying by it is a
/// bijection on u64.
const K: u64 = 0x9e37_79b9_7f4a_7c15;

/// One hashing step. For a fixed `h` it is a bijection of `w`, and for
/// a fixed `w` a bijection of `h` (xor, multiplication by an odd
/// number and rotation all are).
#[inline(always)]
fn step(h: u64, w: u64) -> u64 {
    (h ^ w).wrapping_mul(K).rotate_left(29)
}

/// The murmur3 finalizer: a bijection that mixes every bit into every
/// other.
fn fmix(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

#[inline(always)]
fn word(b: &[u8]) -> u64 {
    let mut a = [0u8; 8];
    a[..b.len()].copy_from_slice(b);
    u64::from_le_bytes(a)
}

/// A 64-bit hash of all of `bytes`, at several bytes per cycle: four
/// interleaved lanes of [`step`] over 8-byte words (the last partial
/// word zero-padded), folded with [`fmix`] after the length. Each step
/// and each fold is a bijection of the word or lane that changes, so
/// two inputs of the same length differing in a single word always
/// hash differently.
pub(super) fn hash(bytes: &[u8]) -> u64 {
    // What `Hasher` gives, without its buffer for a partial block: a
    // cold read hashes 100,000 pieces of a few hundred bytes.
    let mut lanes = LANES;
    let mut blocks = bytes.chunks_exact(32);
    for block in &mut blocks {
        Hasher::block(&mut lanes, block);
    }
    finish(lanes, blocks.remainder(), bytes.len() as u64)
}

/// The lanes' first values.
const LANES: [u64; 4] = [
    0x243f_6a88_85a3_08d3,
    0x1319_8a2e_0370_7344,
    0xa409_3822_299f_31d0,
    0x082e_fa98_ec4e_6c89,
];

/// The hash of `len` bytes, from the lanes after their whole blocks and
/// the bytes of the last, partial block.
fn finish(mut lanes: [u64; 4], rest: &[u8], len: u64) -> u64 {
    for (lane, w) in lanes.iter_mut().zip(rest.chunks(8)) {
        *lane = step(*lane, word(w));
    }
    let mut h = fmix(len ^ K);
    for lane in lanes {
        h = fmix(h ^ lane);
    }
    h
}

/// [`hash`] over bytes given a piece at a time.
#[derive(Clone)]
pub(super) struct Hasher {
    lanes: [u64; 4],
    /// The bytes of a block not yet complete.
    pending: [u8; 32],
    filled: usize,
    len: u64,
}

impl Hasher {
    pub(super) fn new() -> Hasher {
        Hasher {
            lanes: LANES,
            pending: [0; 32],
            filled: 0,
            len: 0,
        }
    }

    // Inlined into `update`'s loop, whatever else the build inlines: left
    // a call, it made hashing a 35 MB store an eighth slower.
    #[inline(always)]
    fn block(lanes: &mut [u64; 4], block: &[u8]) {
        for (lane, w) in lanes.iter_mut().zip(block.chunks_exact(8)) {
            *lane = step(*lane, word(w));
        }
    }

    /// How many bytes were given.
    pub(super) fn len(&self) -> u64 {
        self.len
    }

    pub(super) fn update(&mut self, mut bytes: &[u8]) {
        self.len += bytes.len() as u64;
        if self.filled > 0 {
            let take = (32 - self.filled).min(bytes.len());
            self.pending[self.filled..self.filled + take].copy_from_slice(&bytes[..take]);
            self.filled += take;
            bytes = &bytes[take..];
            if self.filled < 32 {
                return;
            }
            Hasher::block(&mut self.lanes, &self.pending);
            self.filled = 0;
        }
        let mut blocks = bytes.chunks_exact(32);
        for block in &mut blocks {
            Hasher::block(&mut self.lanes, block);
        }
        let rest = blocks.remainder();
        self.pending[..rest.len()].copy_from_slice(rest);
        self.filled = rest.len();
    }

    pub(super) fn finish(self) -> u64 {
        finish(self.lanes, &self.pending[..self.filled], self.len)
    }
}

/// A `HashMap`/`HashSet` hasher for keys that are already [`hash`]es: it
/// hands them on as they are. SipHash over them only cost time (a cold
/// read of 100,000 events spent 60 M instructions in it).
#[derive(Clone, Copy, Default)]
pub(super) struct Prehashed(u64);

impl std::hash::Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }

    // Only u64 keys are hashed with it; any other bytes are still mixed.
    fn write(&mut self, bytes: &[u8]) {
        self.0 = hash(bytes) ^ self.0.rotate_left(5);
    }
}

/// Maps and sets keyed by [`hash`]es.
pub(super) type ByHash = std::hash::BuildHasherDefault<Prehashed>;
pub(super) type HashMapByHash<V> = std::collections::HashMap<u64, V, ByHash>;
pub(super) type HashSetOfHashes = std::collections::HashSet<u64, ByHash>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_shot_hash_is_the_streamed_hash_whatever_the_split() {
        let bytes: Vec<u8> = (0..100u8).map(|b| b.wrapping_mul(37) ^ 0x5a).collect();
        for len in 0..=bytes.len() {
            let text = &bytes[..len];
            for cut in [0, 1, 7, 8, 31, 32, 33, 64]
                .into_iter()
                .filter(|&c| c <= len)
            {
                let mut h = Hasher::new();
                h.update(&text[..cut]);
                h.update(&text[cut..]);
                assert_eq!(h.len(), len as u64);
                assert_eq!(h.finish(), hash(text), "length {len}, cut at {cut}");
            }
        }
    }

    #[test]
    fn any_one_changed_byte_changes_the_hash() {
        let text = vec![b'a'; 77];
        let original = hash(&text);
        for at in 0..text.len() {
            let mut changed = text.clone();
            changed[at] = b'b';
            assert_ne!(hash(&changed), original, "byte {at}");
        }
        assert_ne!(hash(&text[..76]), original, "a shorter text");
    }

    #[test]
    fn maps_by_hash_find_what_they_hold() {
        let mut by_hash = HashMapByHash::default();
        for i in 0..1000u64 {
            by_hash.insert(hash(&i.to_le_bytes()), i);
        }
        assert_eq!(by_hash.len(), 1000);
        assert_eq!(by_hash.get(&hash(&7u64.to_le_bytes())), Some(&7));
        assert_eq!(by_hash.remove(&hash(&999u64.to_le_bytes())), Some(999));
        assert!(!by_hash.contains_key(&hash(&1000u64.to_le_bytes())));
        let mut seen = HashSetOfHashes::default();
        assert!(seen.insert(1) && !seen.insert(1));
    }
}
