//! DDPM ancestral sampling (Ho et al. 2020, Alg. 2) as a resumable state machine, so the UI can
//! animate x_T -> x_0 a few steps per frame.
//!
//! With stride s = 1 each step is exactly Alg. 2:
//! ```text
//! x_{t-1} = 1/sqrt(alpha_t) (x_t - beta_t / sqrt(1 - alpha_bar_t) eps_theta(x_t, t)) + sigma_t z,
//! z ~ N(0, I) if t > 1 else 0,  sigma_t^2 = beta_t (or tilde_beta_t)
//! ```
//! With stride s > 1 (fewer steps) it jumps t -> t' = max(t - s, 0) using the respaced schedule
//! of Nichol & Dhariwal 2021: alpha = alpha_bar_t / alpha_bar_t', beta = 1 - alpha in the same
//! formula.

use super::denoiser::Denoiser;
use crate::error::ModelError;
use gentutor_nn::mlp::Cache;
use gentutor_rng::Rng;
use ndarray::{Array2, ArrayView2};
use std::ops::RangeInclusive;

/// Valid number of sampled points.
pub const SAMPLER_POINTS: RangeInclusive<usize> = 1..=20_000;

/// Variance sigma_t^2 of the reverse steps (Ho et al. found both to work about equally).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SamplerVariance {
    /// sigma_t^2 = beta_t (upper bound on the reverse-process entropy).
    Beta,
    /// sigma_t^2 = tilde_beta_t, the posterior variance (lower bound).
    TildeBeta,
}

/// A batch of points being denoised from x_T ~ N(0, I) to x_0.
#[derive(Debug, Clone)]
pub struct Sampler {
    x: Array2<f32>,
    rng: Rng,
    /// Current t; `None` until the first step binds the sampler to a denoiser's T.
    t: Option<usize>,
    stride: usize,
    variance: SamplerVariance,
    evaluations: usize,
    input: Array2<f32>,
    cache: Cache,
    started_with: Option<usize>,
}

impl Sampler {
    /// `n_points` (clamped to [`SAMPLER_POINTS`]) points x_T ~ N(0, I) drawn from `seed`.
    /// The chain starts at t = T of the denoiser passed to the first [`Sampler::step`].
    pub fn new(n_points: usize, seed: u64) -> Self {
        let n = n_points.clamp(*SAMPLER_POINTS.start(), *SAMPLER_POINTS.end());
        let mut rng = Rng::new(seed);
        let mut x = Array2::zeros((n, 2));
        rng.fill_normal(x.view_mut());
        Sampler {
            x,
            rng,
            t: None,
            stride: 1,
            variance: SamplerVariance::Beta,
            evaluations: 0,
            input: Array2::zeros((0, 0)),
            cache: Cache::default(),
            started_with: None,
        }
    }

    /// Uses every `stride`-th timestep (>= 1; 1 = the full chain of T steps).
    pub fn with_stride(mut self, stride: usize) -> Self {
        self.stride = stride.max(1);
        self
    }

    /// Chooses sigma_t^2.
    pub fn with_variance(mut self, variance: SamplerVariance) -> Self {
        self.variance = variance;
        self
    }

    /// The points now: x_T before the first step, x_0 when done. (n, 2).
    pub fn current(&self) -> ArrayView2<'_, f32> {
        self.x.view()
    }

    /// Current timestep: `None` before the first step (the points are x_T for any T), then the
    /// t of the points shown, down to 0.
    pub fn t(&self) -> Option<usize> {
        self.t
    }

    /// Whether x_0 has been reached.
    pub fn done(&self) -> bool {
        self.t == Some(0)
    }

    /// Denoiser evaluations (reverse steps) taken so far.
    pub fn evaluations(&self) -> usize {
        self.evaluations
    }

    /// Takes up to `k` reverse steps with `denoiser` (fewer if x_0 is reached; none if done).
    /// Errors: the denoiser has a different T than the one this chain started with, or the points
    /// became non-finite (the sampler then stays where it was).
    pub fn step(&mut self, denoiser: &Denoiser, k: usize) -> Result<(), ModelError> {
        let schedule = denoiser.schedule();
        let steps = schedule.steps();
        match self.started_with {
            Some(s) if s != steps => {
                return Err(ModelError::StepsMismatch {
                    sampler: s,
                    denoiser: steps,
                })
            }
            Some(_) => {}
            None => {
                self.started_with = Some(steps);
                self.t = Some(steps);
            }
        }
        for _ in 0..k {
            let t = match self.t {
                Some(t) if t > 0 => t,
                _ => break,
            };
            let t_prev = t.saturating_sub(self.stride);
            let ab = schedule.alpha_bar(t);
            let ab_prev = schedule.alpha_bar(t_prev);
            let alpha = ab / ab_prev;
            let beta = 1.0 - alpha;
            let c_eps = (beta / (1.0 - ab).sqrt()) as f32;
            let c_x = (1.0 / alpha.sqrt()) as f32;
            let sigma = if t_prev == 0 {
                0.0
            } else {
                match self.variance {
                    SamplerVariance::Beta => beta.sqrt() as f32,
                    SamplerVariance::TildeBeta => {
                        ((1.0 - ab_prev) / (1.0 - ab) * beta).max(0.0).sqrt() as f32
                    }
                }
            };
            denoiser.predict_eps_into(self.x.view(), t, &mut self.input, &mut self.cache);
            let mut next = self.x.clone();
            for (x, &e) in next.iter_mut().zip(self.cache.output().iter()) {
                let z = if sigma > 0.0 {
                    self.rng.normal_f32()
                } else {
                    0.0
                };
                *x = c_x * (*x - c_eps * e) + sigma * z;
            }
            self.evaluations += 1;
            if !next.iter().all(|v| v.is_finite()) {
                return Err(ModelError::SamplingDiverged { t: t_prev });
            }
            self.x = next;
            self.t = Some(t_prev);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diffusion::config::DiffusionConfig;

    #[test]
    fn state_machine_walks_from_t_to_zero() {
        let config = DiffusionConfig {
            steps: 20,
            hidden: 8,
            ..DiffusionConfig::default()
        };
        let d = Denoiser::new(&config, 1).expect("valid");
        let mut s = d.sampler(50, 3);
        assert_eq!(s.t(), None);
        assert_eq!(s.current().dim(), (50, 2));
        let x_t = s.current().to_owned();
        s.step(&d, 0).expect("ok");
        assert_eq!(s.t(), Some(20));
        assert_eq!(s.current(), x_t.view());
        s.step(&d, 5).expect("ok");
        assert_eq!(s.t(), Some(15));
        assert_ne!(s.current(), x_t.view());
        s.step(&d, 100).expect("ok");
        assert_eq!(s.t(), Some(0));
        assert!(s.done());
        assert_eq!(s.evaluations(), 20);
        s.step(&d, 3).expect("ok");
        assert_eq!(s.evaluations(), 20);
        // Resumable: 5 + 15 steps equal 20 at once.
        let mut a = d.sampler(50, 3);
        a.step(&d, 20).expect("ok");
        assert_eq!(a.current(), s.current());
        // Strided chain takes ceil(20 / 3) = 7 steps and ends at 0.
        let mut st = Sampler::new(50, 3)
            .with_stride(3)
            .with_variance(SamplerVariance::TildeBeta);
        st.step(&d, usize::MAX).expect("ok");
        assert_eq!((st.t(), st.evaluations()), (Some(0), 7));
        // A denoiser with another T is refused.
        let other = Denoiser::new(
            &DiffusionConfig {
                steps: 30,
                hidden: 8,
                ..DiffusionConfig::default()
            },
            1,
        )
        .expect("valid");
        let mut half = d.sampler(5, 1);
        half.step(&d, 2).expect("ok");
        assert_eq!(
            half.step(&other, 1),
            Err(ModelError::StepsMismatch {
                sampler: 20,
                denoiser: 30
            })
        );
        assert_eq!(Sampler::new(0, 1).current().nrows(), 1);
    }

    /// The update with stride 1 uses alpha_t and beta_t and equals the posterior mean in its
    /// eps form (to 1e-12), i.e. Ho's Alg. 2 with eps_theta in place of eps.
    #[test]
    fn one_step_update_is_the_posterior_mean_in_eps_form() {
        use crate::diffusion::forward::posterior_mean_from_eps;
        use crate::diffusion::schedule::Schedule;
        let s = Schedule::linear(1000).expect("valid");
        for t in [1usize, 10, 500, 1000] {
            let (xt, eps) = (0.7, -0.3);
            let ab = s.alpha_bar(t);
            let ab_prev = s.alpha_bar(t - 1);
            let alpha = ab / ab_prev;
            let beta = 1.0 - alpha;
            // The respaced update with stride 1 reduces to alpha_t, beta_t.
            assert!((alpha - s.alpha(t)).abs() < 1e-12 && (beta - s.beta(t)).abs() < 1e-12);
            let ours = (xt - beta / (1.0 - ab).sqrt() * eps) / alpha.sqrt();
            assert!((ours - posterior_mean_from_eps(&s, t, xt, eps)).abs() < 1e-12);
        }
    }
}
