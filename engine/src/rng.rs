//! Seeded randomness, split into independent streams.
//!
//! Every random choice in the simulation comes from one scenario `seed`. Each subsystem
//! (replica placement, each producer's partitioner, ...) draws from its own stream, derived
//! from the seed and a stable label, so that adding a producer does not change the draws of
//! the placement or of another producer. Draws are made on `u32`/`u64` only, never `usize`,
//! so that `wasm32` and 64-bit hosts see the same numbers.

/// One deterministic stream of random numbers.
#[derive(Clone, Debug)]
pub struct SimRng(fastrand::Rng);

impl SimRng {
    /// The stream named `label` under `seed`.
    pub fn stream(seed: u64, label: &str) -> SimRng {
        // FNV-1a of the label, mixed with the seed through splitmix64, so that nearby seeds
        // and similar labels still give unrelated streams.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in label.as_bytes() {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        SimRng(fastrand::Rng::with_seed(splitmix64(seed ^ h)))
    }

    /// A uniform draw in `0..bound`; `bound` must be at least 1 (0 gives 0).
    pub fn below(&mut self, bound: u32) -> u32 {
        if bound == 0 {
            return 0;
        }
        self.0.u32(..bound)
    }

    /// A uniform non-negative 31-bit number, like Java's `Utils.toPositive(random.nextInt())`.
    pub fn positive_i31(&mut self) -> u32 {
        self.0.u32(..) & 0x7fff_ffff
    }
}

fn splitmix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_and_label_give_the_same_draws() {
        let mut a = SimRng::stream(7, "placement");
        let mut b = SimRng::stream(7, "placement");
        let xs: Vec<u32> = (0..32).map(|_| a.below(1000)).collect();
        let ys: Vec<u32> = (0..32).map(|_| b.below(1000)).collect();
        assert_eq!(xs, ys);
    }

    #[test]
    fn streams_with_other_labels_differ() {
        let mut a = SimRng::stream(7, "placement");
        let mut b = SimRng::stream(7, "producer:web-api");
        let xs: Vec<u32> = (0..32).map(|_| a.below(1_000_000)).collect();
        let ys: Vec<u32> = (0..32).map(|_| b.below(1_000_000)).collect();
        assert_ne!(xs, ys);
    }

    #[test]
    fn draws_stay_below_the_bound() {
        let mut r = SimRng::stream(1, "x");
        for bound in 1..50 {
            for _ in 0..20 {
                assert!(r.below(bound) < bound);
            }
        }
        assert_eq!(r.below(0), 0);
        assert!(r.positive_i31() <= 0x7fff_ffff);
    }
}
