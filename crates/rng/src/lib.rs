//! A small, fast, seeded random number generator shared by all model demos.
//!
//! xoshiro256++ (Blackman & Vigna 2019) seeded through SplitMix64, so any `u64` seed (including 0)
//! gives a well-mixed state. Normal samples use the Marsaglia polar method, caching the second
//! sample of each pair. The state is plain data (serde), so a demo can save and resume a stream.
//!
//! Nothing here touches the system clock or the OS entropy source: every stream is reproducible
//! from its seed, which keeps tests exact and lets the UI share runs through the URL.

use serde::{Deserialize, Serialize};

/// SplitMix64 (Steele, Lea & Flood 2014): one 64-bit state, good enough for shuffling cards and for
/// seeding [`Rng`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// A generator with the given seed (any value, including 0, is fine).
    pub fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    /// Next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform index in `0..n`; returns 0 when `n == 0` so callers never panic.
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        // Multiply-shift avoids the modulo bias of `% n` for small n well enough for shuffles.
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// In-place Fisher-Yates shuffle.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

/// Seeded xoshiro256++ generator with a cached spare normal sample.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rng {
    s: [u64; 4],
    spare: Option<f32>,
}

impl Rng {
    /// A new generator whose whole stream is determined by `seed`.
    pub fn new(seed: u64) -> Self {
        let mut sm = SplitMix64::new(seed);
        let s = [sm.next_u64(), sm.next_u64(), sm.next_u64(), sm.next_u64()];
        Rng { s, spare: None }
    }

    /// Next raw 64-bit output (xoshiro256++).
    pub fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let result = s[0].wrapping_add(s[3]).rotate_left(23).wrapping_add(s[0]);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// Uniform sample in [0, 1) with 24 bits of resolution (exactly representable in f32).
    pub fn uniform_f32(&mut self) -> f32 {
        (self.next_u64() >> 40) as f32 * (1.0 / (1u64 << 24) as f32)
    }

    /// Uniform sample in [0, 1) with 53 bits of resolution.
    pub fn uniform_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Standard normal sample N(0, 1) by the Marsaglia polar method (pairs, second one cached).
    pub fn normal_f32(&mut self) -> f32 {
        if let Some(z) = self.spare.take() {
            return z;
        }
        loop {
            let u = 2.0 * self.uniform_f64() - 1.0;
            let v = 2.0 * self.uniform_f64() - 1.0;
            let s = u * u + v * v;
            if s > 0.0 && s < 1.0 {
                let m = (-2.0 * s.ln() / s).sqrt();
                self.spare = Some((v * m) as f32);
                return (u * m) as f32;
            }
        }
    }

    /// Fills any mutable view (an ndarray `view_mut()`, a slice) with independent N(0, 1) samples.
    /// Generic over the container so this crate needs no ndarray (the study engine uses it too).
    pub fn fill_normal<'a>(&mut self, a: impl IntoIterator<Item = &'a mut f32>) {
        for x in a {
            *x = self.normal_f32();
        }
    }

    /// Fills any mutable view with independent U[0, 1) samples.
    pub fn fill_uniform<'a>(&mut self, a: impl IntoIterator<Item = &'a mut f32>) {
        for x in a {
            *x = self.uniform_f32();
        }
    }

    /// Uniform integer in `0..n` (unbiased, Lemire's multiply-and-reject). Returns 0 when `n == 0`.
    pub fn below(&mut self, n: usize) -> usize {
        if n <= 1 {
            return 0;
        }
        let n = n as u64;
        loop {
            let m = (self.next_u64() as u128) * (n as u128);
            let low = m as u64;
            // Reject the small biased zone at the bottom of each bucket.
            if low >= n.wrapping_neg() % n {
                return (m >> 64) as usize;
            }
        }
    }

    /// Derives an independent generator (for a sub-task such as evaluation noise) and advances
    /// this one, so successive splits differ. The child is seeded via SplitMix64 from fresh
    /// output, which decorrelates it from the parent stream.
    pub fn split(&mut self) -> Rng {
        let seed = self.next_u64() ^ 0xD1B5_4A32_D192_ED03;
        Rng::new(seed)
    }

    /// Derives the generator for the named sub-stream `stream` without advancing `self`:
    /// `fork(i)` is a pure function of (state, i), handy for "one stream per purpose".
    pub fn fork(&self, stream: u64) -> Rng {
        let sm = self.s[0] ^ self.s[2].rotate_left(17) ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        Rng::new(SplitMix64::new(sm).next_u64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream_different_seed_different_stream() {
        let mut a = Rng::new(42);
        let mut b = Rng::new(42);
        let mut c = Rng::new(43);
        let xa: Vec<u64> = (0..100).map(|_| a.next_u64()).collect();
        let xb: Vec<u64> = (0..100).map(|_| b.next_u64()).collect();
        let xc: Vec<u64> = (0..100).map(|_| c.next_u64()).collect();
        assert_eq!(xa, xb);
        assert_ne!(xa, xc);
        // Seed 0 must not produce a stuck all-zero state.
        let mut z = Rng::new(0);
        assert_ne!(z.next_u64(), z.next_u64());
    }

    #[test]
    fn uniform_in_range_with_right_mean() {
        let mut r = Rng::new(7);
        let n = 100_000;
        let mut sum = 0.0f64;
        for _ in 0..n {
            let u = r.uniform_f32();
            assert!((0.0..1.0).contains(&u));
            sum += u as f64;
        }
        let mean = sum / n as f64;
        // Std of the mean is sqrt(1/12/n) ~ 0.0009; allow 5 sigma.
        assert!((mean - 0.5).abs() < 0.0046, "mean {mean}");
    }

    #[test]
    fn normal_mean_and_variance_within_tolerance() {
        let mut r = Rng::new(123);
        let n = 200_000;
        let xs: Vec<f64> = (0..n).map(|_| r.normal_f32() as f64).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
        // Std error of the mean 1/sqrt(n) ~ 0.0022, of the variance sqrt(2/n) ~ 0.0032: 5 sigma.
        assert!(mean.abs() < 0.011, "mean {mean}");
        assert!((var - 1.0).abs() < 0.016, "var {var}");
        // Tail mass beyond 2 sigma should be ~4.55%.
        let tail = xs.iter().filter(|x| x.abs() > 2.0).count() as f64 / n as f64;
        assert!((tail - 0.0455).abs() < 0.003, "tail {tail}");
    }

    #[test]
    fn below_is_uniform_and_in_range() {
        let mut r = Rng::new(9);
        let mut counts = [0usize; 7];
        for _ in 0..70_000 {
            let i = r.below(7);
            counts[i] += 1;
        }
        for &c in &counts {
            // Expected 10_000, std ~ 93: allow 5 sigma.
            assert!((c as i64 - 10_000).abs() < 470, "{counts:?}");
        }
        assert_eq!(r.below(0), 0);
        assert_eq!(r.below(1), 0);
    }

    #[test]
    fn split_and_fork_give_independent_reproducible_streams() {
        let mut a = Rng::new(5);
        let mut b = Rng::new(5);
        let mut ca = a.split();
        let mut cb = b.split();
        assert_eq!(ca.next_u64(), cb.next_u64());
        let mut c2 = a.split();
        assert_ne!(ca.next_u64(), c2.next_u64());
        let f1 = a.fork(1).next_u64();
        assert_eq!(f1, a.fork(1).next_u64());
        assert_ne!(f1, a.fork(2).next_u64());
        // Child stream should not replay the parent stream.
        let mut p = Rng::new(5);
        let mut child = p.split();
        let pv: Vec<u64> = (0..10).map(|_| p.next_u64()).collect();
        let cv: Vec<u64> = (0..10).map(|_| child.next_u64()).collect();
        assert_ne!(pv, cv);
    }

    #[test]
    fn fill_normal_fills_every_element_and_state_roundtrips() {
        let mut r = Rng::new(11);
        let mut a = [0.0f32; 12];
        r.fill_normal(a.iter_mut());
        assert!(a.iter().all(|x| *x != 0.0 && x.is_finite()));
        let saved = serde_json::to_string(&r).expect("serialize");
        let mut restored: Rng = serde_json::from_str(&saved).expect("deserialize");
        assert_eq!(r.normal_f32(), restored.normal_f32());
        assert_eq!(r.next_u64(), restored.next_u64());
    }

    #[test]
    fn same_seed_same_sequence_and_different_seed_differs() {
        let mut a = SplitMix64::new(42);
        let mut b = SplitMix64::new(42);
        let mut c = SplitMix64::new(43);
        let xa: Vec<u64> = (0..5).map(|_| a.next_u64()).collect();
        let xb: Vec<u64> = (0..5).map(|_| b.next_u64()).collect();
        let xc: Vec<u64> = (0..5).map(|_| c.next_u64()).collect();
        assert_eq!(xa, xb);
        assert_ne!(xa, xc);
    }

    #[test]
    fn shuffle_is_a_permutation_and_below_stays_in_range() {
        let mut r = SplitMix64::new(7);
        let mut v: Vec<u32> = (0..37).collect();
        r.shuffle(&mut v);
        assert_ne!(v, (0..37).collect::<Vec<u32>>());
        let mut sorted = v.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..37).collect::<Vec<u32>>());
        for n in 1..20 {
            assert!(r.below(n) < n);
        }
        assert_eq!(r.below(0), 0);
    }
}
