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
use crate::error::ModelError;
pub use config::DiffusionConfig;
pub use denoiser::Denoiser;
pub use sampler::Sampler;
pub use schedule::{Schedule, ScheduleKind};

/// Draws `n` points x_0 ~ p* as an (n, 2) array from the shared 2D data sets; an invalid custom
/// drawing becomes [`ModelError::InvalidConfig`] for the field `dataset`.
pub fn sample_data(
    dataset: &Dataset2d,
    n: usize,
    rng: &mut gentutor_rng::Rng,
) -> Result<ndarray::Array2<f32>, ModelError> {
    dataset
        .sample(n, rng)
        .map_err(|e| ModelError::InvalidConfig {
            field: "dataset",
            reason: e.to_string(),
        })
}
