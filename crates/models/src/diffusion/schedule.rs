//! Noise schedules in f64 (the products alpha_bar_t reach ~1e-5 and below, where f32 loses digits).
//!
//! ```text
//! beta_t (t = 1..T),  alpha_t = 1 - beta_t,  alpha_bar_t = prod_{s=1..t} alpha_s,  alpha_bar_0 = 1
//! SNR(t) = alpha_bar_t / (1 - alpha_bar_t)
//! ```

use crate::error::ModelError;
use serde::{Deserialize, Serialize};
use std::ops::RangeInclusive;

/// Valid number of diffusion steps T.
pub const STEPS: RangeInclusive<usize> = 2..=2000;
/// Valid range for the custom schedule's endpoints beta_1 and beta_T.
pub const BETA: RangeInclusive<f64> = 1e-5..=0.999;
/// Ho et al.'s linear schedule starts at beta_1 = 1e-4 (for T = 1000) ...
pub const LINEAR_BETA_1: f64 = 1e-4;
/// ... and ends at beta_T = 0.02 (for T = 1000).
pub const LINEAR_BETA_T: f64 = 0.02;
/// Offset s of the cosine schedule (Nichol & Dhariwal 2021), keeps beta_1 from being tiny.
pub const COSINE_S: f64 = 0.008;
/// Upper clip for any beta_t (the cosine schedule's last step would otherwise be beta_T = 1).
pub const MAX_BETA: f64 = 0.999;

/// Which family of beta_t.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ScheduleKind {
    /// beta_t linear from 1e-4 to 0.02 (scaled by 1000/T for other T, see [`Schedule::linear`]).
    Linear,
    /// alpha_bar_t = f(t)/f(0), f(t) = cos^2(((t/T + s)/(1 + s)) pi/2).
    Cosine,
    /// beta_t linear between user-chosen beta_1 and beta_T.
    Custom,
}

impl ScheduleKind {
    /// All kinds, for a UI selector.
    pub const ALL: [ScheduleKind; 3] = [
        ScheduleKind::Linear,
        ScheduleKind::Cosine,
        ScheduleKind::Custom,
    ];

    /// Short name used in the URL hash.
    pub fn name(self) -> &'static str {
        match self {
            ScheduleKind::Linear => "linear",
            ScheduleKind::Cosine => "cosine",
            ScheduleKind::Custom => "custom",
        }
    }

    /// Inverse of [`ScheduleKind::name`].
    pub fn from_name(s: &str) -> Option<Self> {
        ScheduleKind::ALL.into_iter().find(|k| k.name() == s)
    }
}

/// A noise schedule: beta_1..beta_T and the cumulative products alpha_bar_0..alpha_bar_T.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    kind: ScheduleKind,
    /// betas[t - 1] = beta_t.
    betas: Vec<f64>,
    /// alpha_bars[t] = alpha_bar_t, with alpha_bars[0] = 1.
    alpha_bars: Vec<f64>,
}

fn check_steps(steps: usize) -> Result<(), ModelError> {
    if STEPS.contains(&steps) {
        Ok(())
    } else {
        Err(ModelError::InvalidConfig {
            field: "steps",
            reason: format!("T = {steps} is outside {}..={}", STEPS.start(), STEPS.end()),
        })
    }
}

fn check_beta(field: &'static str, b: f64) -> Result<(), ModelError> {
    if b.is_finite() && BETA.contains(&b) {
        Ok(())
    } else {
        Err(ModelError::InvalidConfig {
            field,
            reason: format!("{b} is outside {}..={}", BETA.start(), BETA.end()),
        })
    }
}

/// beta linear from `b1` (t = 1) to `bt` (t = T), clipped to [0, MAX_BETA].
fn linear_betas(steps: usize, b1: f64, bt: f64) -> Vec<f64> {
    let denom = (steps.max(2) - 1) as f64;
    (0..steps)
        .map(|i| (b1 + (bt - b1) * i as f64 / denom).clamp(0.0, MAX_BETA))
        .collect()
}

impl Schedule {
    /// Builds a schedule from its betas, computing alpha_bar_t = prod (1 - beta_s).
    fn from_betas(kind: ScheduleKind, betas: Vec<f64>) -> Self {
        let mut alpha_bars = Vec::with_capacity(betas.len() + 1);
        let mut ab = 1.0;
        alpha_bars.push(ab);
        for b in &betas {
            ab *= 1.0 - b;
            alpha_bars.push(ab);
        }
        Schedule {
            kind,
            betas,
            alpha_bars,
        }
    }

    /// Ho et al.'s linear schedule. For T = 1000 beta runs from 1e-4 to 0.02 exactly; for other T
    /// both endpoints are scaled by 1000/T (as in Nichol & Dhariwal's code) so the total noise
    /// sum beta_t, and hence alpha_bar_T ~ 4e-5, stays about the same whatever T the slider picks.
    pub fn linear(steps: usize) -> Result<Self, ModelError> {
        check_steps(steps)?;
        let scale = 1000.0 / steps as f64;
        Ok(Self::from_betas(
            ScheduleKind::Linear,
            linear_betas(steps, LINEAR_BETA_1 * scale, LINEAR_BETA_T * scale),
        ))
    }

    /// Cosine schedule (Nichol & Dhariwal 2021):
    /// ```text
    /// f(t) = cos^2(((t/T + s)/(1 + s)) pi/2),  s = 0.008
    /// beta_t = min(1 - f(t)/f(t-1), 0.999),    alpha_bar_t = prod (1 - beta_s) ~ f(t)/f(0)
    /// ```
    /// (alpha_bar is recomputed from the clipped betas, so only the last steps differ from f(t)/f(0).)
    pub fn cosine(steps: usize) -> Result<Self, ModelError> {
        check_steps(steps)?;
        let tt = steps as f64;
        let f = |t: f64| {
            let c = ((t / tt + COSINE_S) / (1.0 + COSINE_S) * std::f64::consts::FRAC_PI_2).cos();
            c * c
        };
        let betas = (1..=steps)
            .map(|t| {
                let ratio = f(t as f64) / f(t as f64 - 1.0);
                (1.0 - ratio).clamp(0.0, MAX_BETA)
            })
            .collect();
        Ok(Self::from_betas(ScheduleKind::Cosine, betas))
    }

    /// beta_t linear between the user's `beta_1` and `beta_t_end` (each in [`BETA`]; either may
    /// be the larger one).
    pub fn custom(steps: usize, beta_1: f64, beta_t_end: f64) -> Result<Self, ModelError> {
        check_steps(steps)?;
        check_beta("beta_1", beta_1)?;
        check_beta("beta_T", beta_t_end)?;
        Ok(Self::from_betas(
            ScheduleKind::Custom,
            linear_betas(steps, beta_1, beta_t_end),
        ))
    }

    /// Builds the schedule of `kind` (`beta_1`/`beta_t_end` are only used by `Custom`).
    pub fn new(
        kind: ScheduleKind,
        steps: usize,
        beta_1: f64,
        beta_t_end: f64,
    ) -> Result<Self, ModelError> {
        match kind {
            ScheduleKind::Linear => Self::linear(steps),
            ScheduleKind::Cosine => Self::cosine(steps),
            ScheduleKind::Custom => Self::custom(steps, beta_1, beta_t_end),
        }
    }

    /// The schedule family.
    pub fn kind(&self) -> ScheduleKind {
        self.kind
    }

    /// Number of steps T.
    pub fn steps(&self) -> usize {
        self.betas.len()
    }

    /// beta_t for t in 1..=T (t is clamped into that range).
    pub fn beta(&self, t: usize) -> f64 {
        let i = t.clamp(1, self.steps()) - 1;
        self.betas.get(i).copied().unwrap_or(0.0)
    }

    /// alpha_t = 1 - beta_t for t in 1..=T (clamped).
    pub fn alpha(&self, t: usize) -> f64 {
        1.0 - self.beta(t)
    }

    /// alpha_bar_t for t in 0..=T (clamped; alpha_bar_0 = 1).
    pub fn alpha_bar(&self, t: usize) -> f64 {
        let i = t.min(self.steps());
        self.alpha_bars.get(i).copied().unwrap_or(1.0)
    }

    /// SNR(t) = alpha_bar_t / (1 - alpha_bar_t) for t in 0..=T (clamped; SNR(0) = +inf).
    pub fn snr(&self, t: usize) -> f64 {
        let ab = self.alpha_bar(t);
        ab / (1.0 - ab)
    }

    /// Posterior variance tilde_beta_t = (1 - alpha_bar_{t-1}) / (1 - alpha_bar_t) beta_t,
    /// t in 1..=T (clamped). tilde_beta_1 = 0: x_0 is determined by x_1 and x_0.
    pub fn tilde_beta(&self, t: usize) -> f64 {
        let t = t.clamp(1, self.steps());
        let denom = 1.0 - self.alpha_bar(t);
        if denom <= 0.0 {
            return 0.0;
        }
        (1.0 - self.alpha_bar(t - 1)) / denom * self.beta(t)
    }

    /// All betas, `betas()[t - 1] = beta_t`.
    pub fn betas(&self) -> &[f64] {
        &self.betas
    }

    /// All alpha_bars, `alpha_bars()[t] = alpha_bar_t` for t = 0..=T.
    pub fn alpha_bars(&self) -> &[f64] {
        &self.alpha_bars
    }

    /// (t, alpha_bar_t) for t = 1..=T, ready for a log-scale plot.
    pub fn alpha_bar_curve(&self) -> Vec<(f64, f64)> {
        (1..=self.steps())
            .map(|t| (t as f64, self.alpha_bar(t)))
            .collect()
    }

    /// (t, SNR(t)) for t = 1..=T, ready for a log-scale plot.
    pub fn snr_curve(&self) -> Vec<(f64, f64)> {
        (1..=self.steps())
            .map(|t| (t as f64, self.snr(t)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn monotone_decreasing(s: &Schedule) -> bool {
        s.alpha_bars().windows(2).all(|w| w[1] < w[0])
    }

    #[test]
    fn linear_schedule_endpoints_and_alpha_bar_t() {
        let s = Schedule::linear(1000).expect("valid");
        assert_eq!(s.steps(), 1000);
        assert!((s.beta(1) - 1e-4).abs() < 1e-15);
        assert!((s.beta(1000) - 0.02).abs() < 1e-15);
        assert_eq!(s.alpha_bar(0), 1.0);
        assert!(monotone_decreasing(&s));
        // Independent computation of alpha_bar_T via a sum of logs.
        let log_ab: f64 = (0..1000)
            .map(|i| (1.0 - (1e-4 + (0.02 - 1e-4) * i as f64 / 999.0)).ln())
            .sum();
        let ab_t = s.alpha_bar(1000);
        assert!((ab_t - log_ab.exp()).abs() < 1e-12 * ab_t.max(1e-30) + 1e-18);
        // The value quoted in the literature: alpha_bar_T ~ 4.0e-5 (within 3%).
        assert!(
            (ab_t - 4.0e-5).abs() < 0.03 * 4.0e-5,
            "alpha_bar_T = {ab_t:e}"
        );
        // SNR runs from ~1e4 at t = 1 down to ~4e-5 at t = T.
        assert!(s.snr(1) > 9e3 && s.snr(1000) < 5e-5);
        assert!(s.snr(0).is_infinite());
    }

    #[test]
    fn cosine_schedule_endpoints() {
        let s = Schedule::cosine(1000).expect("valid");
        assert!(monotone_decreasing(&s));
        // alpha_bar_1 = f(1)/f(0): close to 1 but beta_1 is larger than linear's 1e-4 ... still tiny.
        let b1 = s.beta(1);
        assert!(b1 > 1e-5 && b1 < 1e-4, "beta_1 = {b1}");
        // The last beta hits the 0.999 clip, so alpha_bar_T is essentially zero.
        assert!((s.beta(1000) - MAX_BETA).abs() < 1e-12);
        assert!(s.alpha_bar(1000) < 1e-6);
        // Halfway the cosine schedule keeps far more signal than the linear one.
        let lin = Schedule::linear(1000).expect("valid");
        assert!(s.alpha_bar(500) > 3.0 * lin.alpha_bar(500));
        // And it matches f(t)/f(0) away from the clipped end.
        let f = |t: f64| {
            let c =
                ((t / 1000.0 + COSINE_S) / (1.0 + COSINE_S) * std::f64::consts::FRAC_PI_2).cos();
            c * c
        };
        assert!((s.alpha_bar(500) - f(500.0) / f(0.0)).abs() < 1e-12);
    }

    #[test]
    fn custom_schedule_is_validated() {
        let s = Schedule::custom(100, 1e-3, 0.1).expect("valid");
        assert!((s.beta(1) - 1e-3).abs() < 1e-15 && (s.beta(100) - 0.1).abs() < 1e-15);
        assert!(monotone_decreasing(&s));
        for (b1, bt) in [
            (0.0, 0.1),
            (1e-3, 1.0),
            (f64::NAN, 0.1),
            (1e-3, f64::INFINITY),
            (-0.1, 0.1),
        ] {
            assert!(matches!(
                Schedule::custom(100, b1, bt),
                Err(ModelError::InvalidConfig { .. })
            ));
        }
        assert!(Schedule::linear(1).is_err());
        assert!(Schedule::cosine(0).is_err());
        assert!(Schedule::linear(100_000).is_err());
    }

    #[test]
    fn other_step_counts_keep_alpha_bar_t_small() {
        for steps in [2, 10, 100, 2000] {
            let s = Schedule::linear(steps).expect("valid");
            assert!(monotone_decreasing(&s));
            assert!(s.alpha_bar(steps) < 0.01, "T = {steps}");
            let c = Schedule::cosine(steps).expect("valid");
            assert!(monotone_decreasing(&c));
        }
        // Out-of-range t is clamped, never panics.
        let s = Schedule::linear(10).expect("valid");
        assert_eq!(s.alpha_bar(1_000_000), s.alpha_bar(10));
        assert_eq!(s.beta(0), s.beta(1));
        assert_eq!(s.tilde_beta(1), 0.0);
    }
}
