//! Denoising diffusion (Ho et al. 2020, "DDPM") on 2D toy data and a small grayscale image.
//!
//! Notation: data x_0 ~ p*, T steps, noise schedule beta_t (t = 1..T), alpha_t = 1 - beta_t,
//! alpha_bar_t = prod_{s<=t} alpha_s (alpha_bar_0 = 1). The forward process adds Gaussian noise,
//! q(x_t | x_0) = N(sqrt(alpha_bar_t) x_0, (1 - alpha_bar_t) I); the model eps_theta(x_t, t)
//! predicts that noise and the sampler runs the process backwards (Ho Alg. 2).
//!
//! Submodules:
//! - [`schedule`]: linear, cosine and custom beta schedules, alpha_bar(t), SNR(t).
//! - [`forward`]: closed-form vs iterated forward process on 2D points, the posterior q(x_{t-1} | x_t, x_0).
//! - [`image`]: grayscale images (the demo's `assets/images/scene-64.pgm`, or a procedural one), their x_t, FFT and radially averaged power spectra.
//! - [`denoiser`]: the eps_theta MLP with a sinusoidal time embedding, L_simple / VLB training.
//! - [`sampler`]: DDPM ancestral sampling as a resumable state machine.
//! - [`metrics`]: energy distance and MMD between point sets.
//! - [`timesteps`]: i.i.d. vs low-discrepancy timestep sampling (Kingma et al. 2021).
//! - [`config`]: the demo settings with URL-hash encoding and slider ranges.

pub mod config;
pub mod denoiser;
pub mod forward;
pub mod image;
pub mod metrics;
pub mod sampler;
pub mod schedule;
pub mod timesteps;

pub use crate::datasets2d::Dataset2d;
pub use config::DiffusionConfig;
pub use denoiser::Denoiser;
pub use sampler::Sampler;
pub use schedule::{Schedule, ScheduleKind};

/// Everything that can go wrong in the diffusion demos. Messages say what the user can do.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DiffusionError {
    /// A configuration field is outside its valid range or not a number.
    #[error("invalid setting `{field}`: {reason}")]
    InvalidConfig {
        /// The offending field.
        field: &'static str,
        /// Why it is invalid, with the valid range.
        reason: String,
    },
    /// A URL-hash string could not be read.
    #[error("could not read the diffusion settings from the link ({0}); the default settings are safe to use")]
    BadHash(String),
    /// Training produced NaN or infinite values; the denoiser is stopped.
    #[error("training diverged at step {step}: {what}. Lower the learning rate and press Reset.")]
    Diverged {
        /// Training step at which the problem was detected.
        step: u64,
        /// What was not finite.
        what: String,
    },
    /// Sampling produced NaN or infinite points (the denoiser is broken).
    #[error("sampling produced non-finite points at t = {t}; the denoiser has probably diverged: reset and retrain it with a lower learning rate")]
    SamplingDiverged {
        /// The timestep being computed.
        t: usize,
    },
    /// The sampler was started for a different number of steps T than this denoiser uses.
    #[error("this sampler was started for T = {sampler} steps but the denoiser uses T = {denoiser}; restart the sampler")]
    StepsMismatch {
        /// T of the sampler.
        sampler: usize,
        /// T of the denoiser.
        denoiser: usize,
    },
    /// Saved training state (handed between the page and its worker) could not be used.
    #[error("the saved training state could not be used ({0}); press Reset to start over")]
    BadState(String),
    /// An image could not be loaded.
    #[error("cannot use this image: {0}")]
    BadImage(String),
}

/// Draws `n` points x_0 ~ p* as an (n, 2) array from the shared 2D data sets; an invalid custom
/// drawing becomes [`DiffusionError::InvalidConfig`] for the field `dataset`.
pub fn sample_data(
    dataset: &Dataset2d,
    n: usize,
    rng: &mut gentutor_rng::Rng,
) -> Result<ndarray::Array2<f32>, DiffusionError> {
    dataset
        .sample(n, rng)
        .map_err(|e| DiffusionError::InvalidConfig {
            field: "dataset",
            reason: e.to_string(),
        })
}
