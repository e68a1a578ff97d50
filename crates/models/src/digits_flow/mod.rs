//! A small RealNVP (Dinh et al. 2017) on the 64 pixels of the 8x8 digits, trained by exact
//! maximum likelihood, with its test log-likelihood in bits per dimension.
//!
//! ## From integer pixels to a density, and back to bits
//!
//! A pixel p is an integer 0..=16 (17 levels), so the data are discrete and a density on R^64
//! could put infinite density on them. Uniform dequantisation (Theis et al. 2016; Ho et al. 2019,
//! Sec. 3.1) adds v ~ U[0, 1)^64 and scales to the unit cube; a logit transform then maps the cube
//! onto R^64, where the flow lives. Per pixel j:
//!
//! ```text
//! u_j = (p_j + v_j) / 17                      in [0, 1)      Jacobian  du/dv = 1/17
//! s_j = ALPHA + (1 - 2 ALPHA) u_j             in [ALPHA, 1 - ALPHA)
//! y_j = logit(s_j) = ln s_j - ln(1 - s_j)     in R           dy/du = (1 - 2 ALPHA) / (s_j (1 - s_j))
//! ```
//! The flow f = f_K o ... o f_1 o ActNorm maps y to z with base N(0, I_64):
//! ```text
//! ln p_Y(y) = ln N(f(y); 0, I) + ln|det df/dy|
//! ln p_U(u) = ln p_Y(y) + sum_j [ln(1 - 2 ALPHA) - ln s_j - ln(1 - s_j)]
//! ```
//! The discrete model P(p) = integral of p_U over the cell [p/17, (p+1)/17)^64, whose volume is
//! 17^-64; by Jensen, ln P(p) >= E_v[ln p_U((p + v)/17)] - 64 ln 17. We report the negative of
//! that bound per dimension in bits, with one noise draw v per test image (fixed seed, so the
//! figure is reproducible):
//! ```text
//! bits/dim = -( ln N(z; 0, I) + ln|det df/dy| + sum_j [ln(1 - 2 ALPHA) - ln s_j - ln(1 - s_j)]
//!               - 64 ln 17 ) / (64 ln 2)
//! ```
//! It is an upper bound on the discrete model's exact NLL (the flow's density of the dequantised
//! u itself is exact). A model that spreads mass evenly over the 17 levels scores log2 17 = 4.09.
//!
//! ## The flow
//!
//! ActNorm (per-pixel scale and shift, initialised from data; ln|det| = sum_j logs_j), then K
//! affine couplings. Coupling k keeps 32 pixels A_k and transforms the other 32, B_k, with the
//! masks cycling through checkerboard / inverse checkerboard / top / bottom / left / right:
//! ```text
//! [r, t] = MLP_k(h_A)     32 -> H -> H -> 64 (tanh hidden, last layer starting at zero)
//! s = S_MAX tanh(r / S_MAX)                     (soft bound on each log-scale)
//! y_A = h_A;  y_B = h_B exp(s) + t;  ln|det J| = sum_j s_j
//! ```
//! Submodules: [`net`] (the bijection, its inverse and backward pass), [`config`] (settings and
//! link), [`train`] (the demo's state machine: training, test bits/dim, samples).

pub mod checkpoint;
pub mod config;
pub mod net;
#[cfg(test)]
mod tests;
pub mod train;

pub use config::FlowConfig;
pub use net::{FlowNet, Preprocessed};
pub use train::{DigitsFlow, FlowView};

/// The logit transform's margin: pixels are squeezed into [ALPHA, 1 - ALPHA] before the logit.
pub const ALPHA: f32 = 0.05;
/// Levels per pixel (values 0..=16).
pub const LEVELS: f32 = 17.0;
/// Bound on each coupling log-scale (|s| < S_MAX).
pub const S_MAX: f32 = 3.0;
/// ln 17 * 64 + the other constants are applied in f64 by [`net::bits_per_dim`].
pub const DIMS: usize = crate::digits::PIXELS;
