//! Timestep sampling for the Monte-Carlo estimate of the diffusion loss (Kingma et al. 2021, VDM).
//!
//! The loss is an average over t of a per-t loss L(t). A minibatch of k timesteps estimates it by
//! (1/k) sum_i L(t_i). Drawing u_i i.i.d. U(0, 1) gives variance Var[L]/k; the low-discrepancy
//! sampler u_i = mod(u_0 + i/k, 1), with one u_0 ~ U(0, 1) per batch, spreads the batch evenly
//! over [0, 1) (still unbiased: each u_i is marginally uniform) and for smooth L cuts the
//! variance far below Var[L]/k.

use gentutor_rng::Rng;
use serde::{Deserialize, Serialize};
use std::ops::RangeInclusive;

/// Batch sizes k accepted by [`timestep_variance`].
pub const BATCH_K: RangeInclusive<usize> = 1..=4096;
/// Repeated batches accepted by [`timestep_variance`].
pub const REPEATS: RangeInclusive<usize> = 2..=100_000;

/// How a batch of timesteps is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TSampling {
    /// u_i ~ U(0, 1) independently.
    Iid,
    /// u_i = mod(u_0 + i/k, 1), u_0 ~ U(0, 1) once per batch.
    LowDiscrepancy,
}

impl TSampling {
    /// Short name used in the URL hash.
    pub fn name(self) -> &'static str {
        match self {
            TSampling::Iid => "iid",
            TSampling::LowDiscrepancy => "ld",
        }
    }

    /// Inverse of [`TSampling::name`].
    pub fn from_name(s: &str) -> Option<Self> {
        match s {
            "iid" => Some(TSampling::Iid),
            "ld" => Some(TSampling::LowDiscrepancy),
            _ => None,
        }
    }
}

/// Fills `out` with k uniforms in [0, 1) drawn the `kind` way.
pub fn sample_uniforms(kind: TSampling, k: usize, rng: &mut Rng, out: &mut Vec<f64>) {
    out.clear();
    match kind {
        TSampling::Iid => out.extend((0..k).map(|_| rng.uniform_f64())),
        TSampling::LowDiscrepancy => {
            let u0 = rng.uniform_f64();
            out.extend((0..k).map(|i| (u0 + i as f64 / k as f64).fract()));
        }
    }
}

/// Maps u in [0, 1) to a discrete timestep t = 1 + floor(u T) in 1..=T (u outside is clamped).
pub fn discrete_t(u: f64, steps: usize) -> usize {
    let steps = steps.max(1);
    let t = (u.clamp(0.0, 1.0) * steps as f64).floor() as usize;
    t.min(steps - 1) + 1
}

/// Spread of the minibatch-mean estimate of E_u[f(u)] under both samplers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimestepVariance {
    /// Batch size k.
    pub k: usize,
    /// Number of repeated batches.
    pub repeats: usize,
    /// Sample variance over batches of the i.i.d. batch mean.
    pub iid_var: f64,
    /// Sample variance over batches of the low-discrepancy batch mean.
    pub ld_var: f64,
    /// iid_var / ld_var (how many times smaller the low-discrepancy variance is; inf if ld_var = 0).
    pub ratio: f64,
}

/// Variance over `repeats` batches of (1/k) sum_i f(u_i), for i.i.d. and low-discrepancy u.
/// `k` and `repeats` are clamped to [`BATCH_K`] and [`REPEATS`]; non-finite f values count as 0.
pub fn timestep_variance(
    f: impl Fn(f64) -> f64,
    k: usize,
    repeats: usize,
    seed: u64,
) -> TimestepVariance {
    let k = k.clamp(*BATCH_K.start(), *BATCH_K.end());
    let repeats = repeats.clamp(*REPEATS.start(), *REPEATS.end());
    let root = Rng::new(seed);
    let mut u = Vec::with_capacity(k);
    let mut var_of = |kind: TSampling, mut rng: Rng| {
        let means: Vec<f64> = (0..repeats)
            .map(|_| {
                sample_uniforms(kind, k, &mut rng, &mut u);
                let s: f64 = u
                    .iter()
                    .map(|&x| f(x))
                    .map(|v| if v.is_finite() { v } else { 0.0 })
                    .sum();
                s / k as f64
            })
            .collect();
        let m = means.iter().sum::<f64>() / repeats as f64;
        means.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (repeats - 1) as f64
    };
    let iid_var = var_of(TSampling::Iid, root.fork(1));
    let ld_var = var_of(TSampling::LowDiscrepancy, root.fork(2));
    TimestepVariance {
        k,
        repeats,
        iid_var,
        ld_var,
        ratio: if ld_var > 0.0 {
            iid_var / ld_var
        } else {
            f64::INFINITY
        },
    }
}

/// [`timestep_variance`] for a per-timestep table `per_t[t - 1]` (e.g. the denoiser's current
/// per-t loss), with t = 1 + floor(u T).
pub fn timestep_variance_table(
    per_t: &[f64],
    k: usize,
    repeats: usize,
    seed: u64,
) -> TimestepVariance {
    let steps = per_t.len();
    timestep_variance(
        |u| per_t.get(discrete_t(u, steps) - 1).copied().unwrap_or(0.0),
        k,
        repeats,
        seed,
    )
}

/// [`timestep_variance`] for several batch sizes (for a variance-vs-k plot on log-log axes).
pub fn timestep_variance_curve(
    f: impl Fn(f64) -> f64,
    ks: &[usize],
    repeats: usize,
    seed: u64,
) -> Vec<TimestepVariance> {
    ks.iter()
        .map(|&k| timestep_variance(&f, k, repeats, seed))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn low_discrepancy_has_lower_variance_on_a_fixed_function() {
        // A loss-like shape: large at small t, decaying (as the VLB weights do).
        let f = |u: f64| (-6.0 * u).exp() + 0.2 * u;
        // The i.i.d. variance must match theory Var[f]/k; compute Var[f] by quadrature.
        let m = 200_000;
        let (mut s1, mut s2) = (0.0, 0.0);
        for i in 0..m {
            let v = f((i as f64 + 0.5) / m as f64);
            s1 += v;
            s2 += v * v;
        }
        let var_f = s2 / m as f64 - (s1 / m as f64).powi(2);
        for k in [4, 16, 64] {
            let r = timestep_variance(f, k, 4000, 11);
            let theory = var_f / k as f64;
            // Sample variance over 4000 batches: relative std sqrt(2/3999) ~ 2.2%; allow 12%.
            assert!(
                (r.iid_var - theory).abs() < 0.12 * theory,
                "k={k}: {} vs {theory}",
                r.iid_var
            );
            assert!(r.ld_var < r.iid_var, "k={k}: {r:?}");
            // For a smooth f the gain grows with k (variance ~ 1/k^2 or faster vs 1/k).
            assert!(r.ratio > k as f64 / 2.0, "k={k}: ratio {}", r.ratio);
        }
        // A constant has zero variance under both.
        let c = timestep_variance(|_| 3.0, 8, 10, 1);
        assert!(c.iid_var.abs() < 1e-24 && c.ld_var.abs() < 1e-24);
    }

    #[test]
    fn samplers_are_marginally_uniform_and_t_maps_into_range() {
        let mut rng = Rng::new(3);
        let mut u = Vec::new();
        let mut hist = [0usize; 10];
        for _ in 0..5000 {
            sample_uniforms(TSampling::LowDiscrepancy, 7, &mut rng, &mut u);
            assert_eq!(u.len(), 7);
            for &x in &u {
                assert!((0.0..1.0).contains(&x));
                hist[(x * 10.0) as usize] += 1;
            }
        }
        for &h in &hist {
            // Expected 3500 per decile, std ~ 56 (less with low discrepancy): allow 300.
            assert!((h as i64 - 3500).abs() < 300, "{hist:?}");
        }
        assert_eq!(discrete_t(0.0, 1000), 1);
        assert_eq!(discrete_t(0.99999999, 1000), 1000);
        assert_eq!(discrete_t(1.0, 1000), 1000);
        assert_eq!(discrete_t(f64::NAN, 10), 1);
        assert_eq!(discrete_t(0.5, 0), 1);
        // Extreme arguments are clamped, a table works, NaN entries count as zero.
        let r = timestep_variance_table(&[1.0, f64::NAN, 3.0, 4.0], 0, 0, 2);
        assert_eq!((r.k, r.repeats), (1, 2));
        assert!(r.iid_var.is_finite() && r.ld_var.is_finite());
        let e = timestep_variance_table(&[], 4, 10, 2);
        assert_eq!(e.iid_var, 0.0);
    }
}
