//! A live 1D GAN (Goodfellow et al. 2014): generator G_theta: z -> x with z ~ q(z) = N(0, 1),
//! discriminator/critic D_phi: x -> logit a, D(x) = sigmoid(a), trained against a 1D mixture of
//! K equally weighted Gaussians p*.
//!
//! One training step = `d_steps` (k) discriminator updates, each on a fresh real batch x ~ p* and
//! a fresh fake batch G(z), followed by one generator update with fresh noise (Algorithm 1 of
//! Goodfellow et al.). The state machine stops on NaN/inf or exploding weights and reports
//! [`ModelError::Diverged`]; a diverged state stays stopped.
//!
//! Losses (all computed on logits with numerically stable softplus, log sigma(a) = -softplus(-a)):
//!
//! | loss | L_D | L_G |
//! |---|---|---|
//! | minimax (saturating) | E softplus(-a_real) + E softplus(a_fake) | E log(1 - D(G(z))) = -E softplus(a_fake) |
//! | non-saturating | same as minimax | -E log D(G(z)) = E softplus(-a_fake) |
//! | least squares (Mao et al. 2017, a=0, b=1, c=1 on the raw output a) | 1/2 E (a_real-1)^2 + 1/2 E a_fake^2 | 1/2 E (a_fake-1)^2 |
//! | hinge (Lim & Ye 2017; Miyato et al. 2018) | E relu(1-a_real) + E relu(1+a_fake) | -E a_fake |
//! | WGAN-GP (Gulrajani et al. 2017) | E a_fake - E a_real + lambda E (abs(dD/dx(x_hat)) - 1)^2 | -E a_fake |
//!
//! The gradient penalty is differentiated exactly (double backprop through the MLP's forward-mode
//! input derivative, see [`Mlp::forward_tangent`]); x_hat = eps x_real + (1-eps) G(z),
//! eps ~ U[0, 1] per sample.

use crate::error::{Model, ModelError};
use gentutor_nn::mlp::{Activation, Adam, AnyOptimizer, Cache, Grads, Mlp, Optimizer, Sgd};
use gentutor_rng::Rng;
use ndarray::{Array2, ArrayView2, Axis, Slice};
use serde::{Deserialize, Serialize};
use std::ops::RangeInclusive;

/// Valid number of mixture components K.
pub const MODES: RangeInclusive<usize> = 1..=8;
/// Valid distance between neighbouring mode means.
pub const SPACING: RangeInclusive<f32> = 0.0..=10.0;
/// Valid standard deviation of each mode.
pub const STD: RangeInclusive<f32> = 0.01..=3.0;
/// Valid hidden width of G and D (sliders may start at 4; 1 is accepted for experiments).
pub const WIDTH: RangeInclusive<usize> = 1..=128;
/// Valid number of hidden layers of G and D.
pub const DEPTH: RangeInclusive<usize> = 1..=3;
/// Valid discriminator steps per generator step (k).
pub const D_STEPS: RangeInclusive<usize> = 1..=20;
/// Valid learning rates (log-scale slider recommended; 1e-5..1e-1 is the useful part).
pub const LR: RangeInclusive<f32> = 1e-6..=10.0;
/// Valid Adam beta1.
pub const BETA1: RangeInclusive<f32> = 0.0..=0.999;
/// Valid Adam beta2.
pub const BETA2: RangeInclusive<f32> = 0.0..=0.9999;
/// Valid batch size (for both real and fake batches; sliders may start at 8).
pub const BATCH: RangeInclusive<usize> = 1..=1024;
/// Valid gradient-penalty weight lambda (WGAN-GP only).
pub const GP_LAMBDA: RangeInclusive<f32> = 0.0..=100.0;

/// Slope of the leaky ReLU choice.
pub const LEAKY_SLOPE: f32 = 0.2;
/// Size of the fixed evaluation batch used for histograms, KDE and metrics.
pub const EVAL_SAMPLES: usize = 4096;
/// Number of grid points (and histogram bins) of the density plots.
pub const GRID_POINTS: usize = 256;
pub use super::history::{History, HISTORY_CAP};
/// Parameters larger than this in magnitude count as divergence.
pub const MAX_WEIGHT: f32 = 1e5;
/// Generated samples larger than this in magnitude count as divergence.
pub const MAX_SAMPLE: f32 = 1e4;
/// A mode is captured when the mass within [`CAPTURE_STDS`] std of its mean is at least this
/// fraction of its fair share 1/K. p* itself puts 95% of the fair share there; a generator
/// smeared evenly over the modes' range puts about 4 std / spacing (0.4 at the reference's
/// spacing 2 and std 0.2), so a smear does not count as coverage.
pub const CAPTURE_FRACTION: f64 = 0.5;
/// Half-width, in mode standard deviations, of the window that counts as "on" a mode.
pub const CAPTURE_STDS: f32 = 2.0;

mod config;
mod coverage;
mod model;
mod preset;
mod train;

#[cfg(test)]
mod tests;

pub use config::{ActKind, Config, LossKind, OptKind};
pub use preset::Preset;
pub use train::bench_steps;

use coverage::*;
use train::*;

/// The training curves.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Histories {
    /// Discriminator loss L_D (including the gradient penalty), averaged over the k D steps.
    pub loss_d: History,
    /// Generator loss L_G.
    pub loss_g: History,
    /// ||dL_G/dtheta_G|| (Euclidean norm over all generator parameters).
    pub grad_g: History,
    /// Mean over the batch of |dl_G/dx| per fake sample x = G(z) (l_G the per-sample loss).
    pub grad_x: History,
}

/// Quality metrics of the generator on the fixed evaluation batch.
#[derive(Debug, Clone, PartialEq)]
pub struct Metrics {
    /// Modes captured (see [`Gan1d::metrics`] for the rule).
    pub modes_captured: usize,
    /// Per mode: the generated mass within [`CAPTURE_STDS`] std of its mean, relative to the
    /// fair share 1/K (1.0 = as much as an ideal generator, minus the tails).
    pub mode_share: Vec<f32>,
    /// Number of modes K.
    pub modes_total: usize,
    /// Fraction of generated samples within 2 std of some mode mean (0.954 for p* itself).
    pub on_mode_fraction: f32,
    /// Jensen-Shannon divergence between binned p* and binned generated samples, in nats
    /// (0..=ln 2 = 0.693).
    pub js_nats: f32,
}

/// Everything the plots and readouts need, computed on demand by [`Gan1d::view`].
#[derive(Debug, Clone, PartialEq)]
pub struct Gan1dView {
    /// Training steps done.
    pub step: u64,
    /// `Some(message)` when training has diverged.
    pub diverged: Option<String>,
    /// Loss in use.
    pub loss: LossKind,
    /// Grid of x values (bin centres), ascending.
    pub grid: Vec<f32>,
    /// Width of each grid bin.
    pub bin_width: f32,
    /// p*(x) on the grid.
    pub real_density: Vec<f32>,
    /// Histogram density of the generated evaluation samples per bin (integrates to the
    /// in-range fraction).
    pub gen_hist: Vec<f32>,
    /// Gaussian KDE of the generated samples on the grid, bandwidth `kde_bandwidth`.
    pub gen_kde: Vec<f32>,
    /// KDE bandwidth used.
    pub kde_bandwidth: f32,
    /// D's output on the grid mapped to [0, 1]: sigmoid(a) for minimax, non-saturating and
    /// hinge; clamp(a, 0, 1) for LSGAN (whose optimum is p*/(p*+q) on the raw output);
    /// for WGAN-GP the critic min-max normalised over the grid (only its shape matters).
    pub d_grid: Vec<f32>,
    /// Raw D output a(x) on the grid.
    pub logit_grid: Vec<f32>,
    /// D*(x) = p*(x) / (p*(x) + q(x)) with q the KDE (0.5 where both vanish). This is the
    /// optimal discriminator for minimax/non-saturating and LSGAN (a=0, b=1).
    pub d_star: Vec<f32>,
    /// Whether `d_star` is the optimum of the current loss (false for hinge and WGAN-GP).
    pub d_star_applies: bool,
    /// Training curves.
    pub histories: Histories,
    /// Quality metrics.
    pub metrics: Metrics,
}

pub use crate::bench::BenchReport;

/// The GAN training state machine.
#[derive(Debug, Clone)]
pub struct Gan1d {
    config: Config,
    seed: u64,
    g: Mlp,
    d: Mlp,
    opt_g: AnyOptimizer,
    opt_d: AnyOptimizer,
    rng: Rng,
    eval_z: Array2<f32>,
    /// p* on the plot grid and its JS bins: fixed by the config, computed once.
    target: Target,
    /// The metrics of the last [`Gan1d::view`] or [`Gan1d::metrics`], by step: the page asks
    /// for both every frame, and each costs a generator pass over the evaluation batch.
    memo: MetricsMemo,
    step: u64,
    diverged: Option<ModelError>,
    hist: Histories,
    // Reused buffers (no per-step allocation at a stable batch size).
    z: Array2<f32>,
    x_d: Array2<f32>,
    x_hat: Array2<f32>,
    eps: Array2<f32>,
    ones: Array2<f32>,
    grad_a: Array2<f32>,
    grad_zero: Array2<f32>,
    grad_t: Array2<f32>,
    g_cache: Cache,
    d_cache: Cache,
    gp_cache: Cache,
    g_grads: Grads,
    d_grads: Grads,
    gp_grads: Grads,
}

#[derive(Debug, Default)]
struct MetricsMemo(std::sync::Mutex<Option<(u64, Metrics)>>);

impl MetricsMemo {
    fn get(&self, step: u64) -> Option<Metrics> {
        let guard = self.0.lock().ok()?;
        guard
            .as_ref()
            .filter(|(s, _)| *s == step)
            .map(|(_, m)| m.clone())
    }
    fn set(&self, step: u64, m: &Metrics) {
        if let Ok(mut guard) = self.0.lock() {
            *guard = Some((step, m.clone()));
        }
    }
}

impl Clone for MetricsMemo {
    fn clone(&self) -> Self {
        MetricsMemo(std::sync::Mutex::new(
            self.0.lock().ok().and_then(|g| g.clone()),
        ))
    }
}

/// The part of a [`Gan1d`] that is state, not scratch: what [`Gan1d::to_bytes`] writes.
#[derive(Deserialize)]
struct Saved {
    config: Config,
    seed: u64,
    g: Mlp,
    d: Mlp,
    opt_g: AnyOptimizer,
    opt_d: AnyOptimizer,
    rng: Rng,
    eval_z: Array2<f32>,
    step: u64,
    /// Step and message of a divergence.
    diverged: Option<(u64, String)>,
    hist: Histories,
}

/// [`Saved`] by reference, so saving copies nothing (same field order: same bytes).
#[derive(Serialize)]
struct SavedRef<'a> {
    config: &'a Config,
    seed: u64,
    g: &'a Mlp,
    d: &'a Mlp,
    opt_g: &'a AnyOptimizer,
    opt_d: &'a AnyOptimizer,
    rng: &'a Rng,
    eval_z: &'a Array2<f32>,
    step: u64,
    diverged: Option<(u64, String)>,
    hist: &'a Histories,
}
