//! Ancestral sampling (Ho et al. 2020, Alg. 2) as a resumable state machine, so the page can
//! run a few reverse steps per frame and show x_t moving from noise to digits. It keeps
//! snapshots of the same samples at chosen t, for the "same sample at several t" strip.

use super::model::DigitsDenoiser;
use super::DIMS;
use crate::diffusion::Schedule;
use crate::error::ModelError;
use gentutor_rng::Rng;
use ndarray::Array2;

/// A batch of samples part-way from x_T to x_0.
#[derive(Debug, Clone)]
pub struct DigitsSampler {
    x: Array2<f32>,
    /// The timestep x currently belongs to (T at the start, 0 when done).
    t: usize,
    schedule: Schedule,
    rng: Rng,
    /// The t at which snapshots are kept, and the snapshots taken so far (t, x_t).
    snap_at: Vec<usize>,
    snapshots: Vec<(usize, Array2<f32>)>,
    clip: bool,
}

impl DigitsSampler {
    /// `n` samples x_T ~ N(0, I) for `denoiser`'s T; snapshots at T, 3T/4, T/2, T/4, T/10, 0.
    /// With `clip`, each step's prediction of x_0 is clipped to the data's [-1, 1] (see
    /// [`DigitsSampler::step`]).
    pub fn new(
        denoiser: &DigitsDenoiser,
        n: usize,
        seed: u64,
        clip: bool,
    ) -> Result<DigitsSampler, ModelError> {
        let schedule = denoiser.noise_schedule()?;
        let tt = denoiser.steps;
        let mut rng = Rng::new(seed);
        let mut x = Array2::zeros((n, DIMS));
        rng.fill_normal(x.iter_mut());
        let mut snap_at = vec![tt, tt * 3 / 4, tt / 2, tt / 4, tt / 10, 0];
        snap_at.dedup();
        let mut s = DigitsSampler {
            x,
            t: tt,
            schedule,
            rng,
            snap_at,
            snapshots: Vec::new(),
            clip,
        };
        s.snapshot();
        Ok(s)
    }

    fn snapshot(&mut self) {
        if self.snap_at.contains(&self.t) {
            self.snapshots.push((self.t, self.x.clone()));
        }
    }

    /// Up to `k` reverse steps x_t -> x_{t-1}, written through the prediction of x_0 (as in
    /// Ho et al.'s released code):
    /// ```text
    /// x0_hat = (x_t - sqrt(1 - alpha_bar_t) eps_theta(x_t, t)) / sqrt(alpha_bar_t)   [clipped to [-1, 1]]
    /// mu     = sqrt(alpha_bar_{t-1}) beta_t / (1 - alpha_bar_t) x0_hat
    ///          + sqrt(alpha_t) (1 - alpha_bar_{t-1}) / (1 - alpha_bar_t) x_t
    /// x_{t-1} = mu + sigma_t z,   sigma_t^2 = beta_t,  z ~ N(0, I), z = 0 at t = 1
    /// ```
    /// Unclipped, mu is exactly Alg. 2's (x_t - beta_t / sqrt(1 - alpha_bar_t) eps) / sqrt(alpha_t).
    /// Clipping matters where alpha_bar_t is tiny (the cosine schedule's last steps), where
    /// dividing by sqrt(alpha_bar_t) turns small errors of eps_theta into huge pixels.
    /// Refuses a denoiser for another T, and stops with an error if a sample is not finite.
    pub fn step(&mut self, denoiser: &DigitsDenoiser, k: usize) -> Result<(), ModelError> {
        if denoiser.steps != self.schedule.steps() {
            return Err(ModelError::StepsMismatch {
                sampler: self.schedule.steps(),
                denoiser: denoiser.steps,
            });
        }
        for _ in 0..k {
            if self.t == 0 {
                break;
            }
            let t = self.t;
            let eps = denoiser.predict_eps(self.x.view(), t);
            let (beta, alpha) = (self.schedule.beta(t), self.schedule.alpha(t));
            let (ab, ab_prev) = (self.schedule.alpha_bar(t), self.schedule.alpha_bar(t - 1));
            let (sab, s1ab) = (ab.sqrt() as f32, (1.0 - ab).sqrt() as f32);
            let c0 = (ab_prev.sqrt() * beta / (1.0 - ab)) as f32;
            let ct = (alpha.sqrt() * (1.0 - ab_prev) / (1.0 - ab)) as f32;
            let sigma = if t > 1 { beta.sqrt() as f32 } else { 0.0 };
            for (x, &e) in self.x.iter_mut().zip(eps.iter()) {
                let mut x0 = (*x - s1ab * e) / sab;
                if self.clip {
                    x0 = x0.clamp(-1.0, 1.0);
                }
                let z = if sigma > 0.0 {
                    self.rng.normal_f32()
                } else {
                    0.0
                };
                *x = c0 * x0 + ct * *x + sigma * z;
            }
            self.t -= 1;
            if !self.x.iter().all(|v| v.is_finite()) {
                return Err(ModelError::SamplingDiverged { t });
            }
            self.snapshot();
        }
        Ok(())
    }

    /// The timestep the samples are at (0 when done).
    pub fn t(&self) -> usize {
        self.t
    }
    pub fn done(&self) -> bool {
        self.t == 0
    }
    /// The samples x_t (n, 64) in the data's [-1, 1] scale (noise overshoots it).
    pub fn current(&self) -> &Array2<f32> {
        &self.x
    }
    /// (t, x_t) snapshots taken so far, from t = T down.
    pub fn snapshots(&self) -> &[(usize, Array2<f32>)] {
        &self.snapshots
    }
    /// The t values snapshots are taken at.
    pub fn snapshot_times(&self) -> &[usize] {
        &self.snap_at
    }
}
