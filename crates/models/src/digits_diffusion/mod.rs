//! A small denoising diffusion model (Ho et al. 2020, "DDPM") on the 64 pixels of the 8x8
//! digits: an MLP noise predictor with a sinusoidal timestep embedding, trained with L_simple,
//! and ancestral sampling animated from noise to digits.
//!
//! Pixels p in 0..=16 are scaled to x_0 = 2 p / 16 - 1 in [-1, 1]. With the schedule's beta_t,
//! alpha_t = 1 - beta_t and alpha_bar_t = prod_{s<=t} alpha_s ([`crate::diffusion::Schedule`]):
//! ```text
//! forward   q(x_t | x_0) = N(sqrt(alpha_bar_t) x_0, (1 - alpha_bar_t) I)      (closed form)
//! model     eps_theta(x_t, t) = MLP([x_t, emb(t)])    64 + 2K -> H -> ... -> H -> 64 (ReLU)
//!           emb(t) = [sin(pi 2^k t/T), cos(pi 2^k t/T)], k = 0..K-1
//! L_simple  = E_{x_0, t ~ U{1..T}, eps ~ N(0, I)} ||eps - eps_theta(sqrt(alpha_bar_t) x_0
//!                                                   + sqrt(1 - alpha_bar_t) eps, t)||^2 / 64
//! sampling  x_T ~ N(0, I);  x_{t-1} = (x_t - beta_t / sqrt(1 - alpha_bar_t) eps_theta(x_t, t))
//!                                     / sqrt(alpha_t) + sigma_t z,  sigma_t^2 = beta_t, z = 0 at t = 1
//! ```
//! (Ho et al. Alg. 1 and 2.) The loss is per pixel, so predicting eps_theta = 0 scores 1.
//!
//! Submodules: [`config`] (settings and link), [`model`] (the denoiser, its loss and gradient,
//! the forward process), [`sampler`] (ancestral sampling as a resumable state machine, with
//! snapshots of the same samples at several t), [`train`] (the demo's state machine).

pub mod checkpoint;
pub mod config;
pub mod model;
pub mod sampler;
#[cfg(test)]
mod tests;
pub mod train;

pub use config::DiffusionDigitsConfig;
pub use model::DigitsDenoiser;
pub use sampler::DigitsSampler;
pub use train::{DiffusionView, DigitsDiffusion};

/// Frequencies in the timestep embedding (2 K features).
pub const EMB_FREQS: usize = 8;
/// Pixels per image.
pub const DIMS: usize = crate::digits::PIXELS;

/// x_0 of a pixel value 0..=16: 2 p / 16 - 1.
pub fn to_x0(p: u8) -> f32 {
    f32::from(p) / 8.0 - 1.0
}

/// A value of x back to a display fraction in [0, 1] (clamped: samples overshoot a little).
pub fn to_unit(x: f32) -> f32 {
    if x.is_finite() {
        ((x + 1.0) * 0.5).clamp(0.0, 1.0)
    } else {
        0.0
    }
}
