//! A live 2D normalizing flow: RealNVP affine coupling layers (Dinh et al. 2017, Sec. 3) with
//! optional ActNorm (Kingma & Dhariwal 2018, Sec. 3.1), trained by exact maximum likelihood.
//!
//! Notation (lesson "Model families", Papamakarios et al. 2021, Sec. 2.1): the model is
//! x = T(u) with base u ~ p_u = N(0, I_2). The *normalizing* direction is f = T^{-1}: x -> u
//! (data to base), the *generative* direction is T: u -> x. With T^{-1} = f_K o ... o f_1
//! (f_1 applied to x first) the exact log-density is
//!
//! ```text
//! log q_theta(x) = log p_u(T^{-1}(x)) + sum_k log|det J_{f_k}(h_{k-1})|,   h_0 = x, h_K = u
//! log p_u(u)     = -log(2 pi) - |u|^2 / 2
//! ```
//!
//! One *block* k (what the UI calls a layer) is, in the normalizing direction, ActNorm (if on)
//! followed by one affine coupling. Couplings alternate which coordinate is kept: block k keeps
//! a = k mod 2 and transforms b = 1 - a:
//!
//! ```text
//! y_a = h_a
//! y_b = h_b * exp(s(h_a)) + t(h_a),   s = S_MAX * tanh(r),   [r, t] = MLP_k(h_a)
//! log|det J| = s(h_a)                  (triangular Jacobian, diagonal (1, e^s))
//! ```
//!
//! Bounding s with tanh keeps every layer's volume change within e^{+-S_MAX}, which is what
//! keeps training stable at demo learning rates. Each MLP is 1 -> H -> H -> 2 (tanh hidden,
//! identity output) with its last layer initialised to zero, so every coupling starts as the
//! identity. Training minimises the mean NLL = -mean log q_theta(x) over minibatches x ~ p*
//! with Adam, using a hand-written backward pass through the blocks.

use crate::datasets2d::{Bbox, Dataset2d, CUSTOM_LIMIT};
use crate::datasets2d::{MAX_CUSTOM_POINTS, MIN_CUSTOM_POINTS};
use crate::error::{Model, ModelError};
use gentutor_nn::mlp::{fast_tanh, Activation, Adam, Cache, Dense, Grads, Mlp, Optimizer};
use gentutor_rng::Rng;
use ndarray::{Array1, Array2, ArrayView2, Axis};
use serde::{Deserialize, Serialize};
use std::ops::RangeInclusive;

/// Valid number of coupling blocks K.
pub const LAYERS: RangeInclusive<usize> = 2..=12;
/// Valid hidden width H of each coupling MLP.
pub const HIDDEN: RangeInclusive<usize> = 4..=128;
/// Valid Adam learning rates (log-scale slider recommended).
pub const LR: RangeInclusive<f32> = 1e-5..=1e-1;
/// Valid minibatch size.
pub const BATCH: RangeInclusive<usize> = 8..=1024;
/// Bound on each coupling's log-scale: |s| <= S_MAX.
pub const S_MAX: f32 = 2.0;
/// Size of the fixed evaluation batch behind [`Flow2d::eval_nll`].
pub const EVAL_SAMPLES: usize = 1024;
/// Samples (model and data) in a [`Flow2dView`].
pub const VIEW_SAMPLES: usize = 500;
pub use super::history::{History, HISTORY_CAP};
/// Parameters larger than this in magnitude count as divergence.
pub const MAX_WEIGHT: f32 = 1e4;
/// A minibatch NLL above this (nats) counts as divergence.
pub const MAX_NLL: f32 = 1e4;
/// Largest grid side accepted by [`Flow2d::log_density_grid`] (larger requests are clamped).
pub const MAX_GRID: usize = 512;
/// Largest sample count accepted by [`Flow2d::sample`] (larger requests are clamped).
pub const MAX_SAMPLES: usize = 100_000;
/// Half-width of the base-space square [-r, r]^2 whose grid lines [`Flow2d::warp_grid`] warps.
pub const BASE_BOX: f32 = 3.0;
/// Points per warped grid line.
pub const GRID_LINE_POINTS: usize = 64;
/// Valid number of grid lines per direction in [`Flow2d::warp_grid`] (requests are clamped).
pub const GRID_LINES: RangeInclusive<usize> = 2..=64;
/// At most this many drawn points go into a URL hash (evenly subsampled).
pub const MAX_HASH_POINTS: usize = 300;
/// Samples used for the data-dependent ActNorm initialisation (at least one batch).
pub const ACTNORM_INIT_SAMPLES: usize = 512;

const LOG_2PI: f32 = 1.837_877_1;

/// Demo settings. Serde and URL-hash round-trippable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Config {
    /// Number of coupling blocks K ([`LAYERS`]).
    pub layers: usize,
    /// Hidden width H of each coupling MLP ([`HIDDEN`]).
    pub hidden: usize,
    /// Adam learning rate ([`LR`]).
    pub lr: f32,
    /// Data distribution p*.
    pub dataset: Dataset2d,
    /// Minibatch size ([`BATCH`]).
    pub batch: usize,
    /// Whether each block starts with an ActNorm layer.
    pub actnorm: bool,
    /// Seed of the whole run (weights, minibatches, evaluation batch).
    pub seed: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            layers: 8,
            hidden: 32,
            lr: 3e-3,
            dataset: Dataset2d::TwoMoons,
            batch: 128,
            actnorm: true,
            seed: 1,
        }
    }
}

mod config;
mod model;
mod state;
#[cfg(test)]
mod tests;
mod train;

/// One affine coupling with its training buffers.
#[derive(Debug, Clone)]
struct Coupling {
    /// Kept coordinate a (0 or 1); b = 1 - a is transformed.
    keep: usize,
    /// h_a (B, 1) -> [r, t] (B, 2).
    mlp: Mlp,
    opt: Adam,
    cache: Cache,
    grads: Grads,
}

/// Per-step buffers of the training forward pass, reused across steps.
#[derive(Debug, Clone, Default)]
struct Workspace {
    /// Input of block k's ActNorm (B, 2) (empty without ActNorm).
    an_in: Vec<Array2<f32>>,
    /// Input of block k's coupling (B, 2).
    c_in: Vec<Array2<f32>>,
    /// tanh(r) of block k (B).
    th: Vec<Array1<f32>>,
    /// exp(s) of block k (B).
    es: Vec<Array1<f32>>,
}

/// Everything the flow plot needs, computed by [`Flow2d::view`].
#[derive(Debug, Clone, PartialEq)]
pub struct Flow2dView {
    /// Training steps done.
    pub step: u64,
    /// `Some(message)` once training has diverged (the view shows the last finite state).
    pub diverged: Option<String>,
    /// Plot box of the heatmap.
    pub bbox: Bbox,
    /// Heatmap columns.
    pub nx: usize,
    /// Heatmap rows.
    pub ny: usize,
    /// log q_theta at the cell centres, row-major with y outermost (see [`Bbox::grid_centres`]).
    pub log_density: Vec<f32>,
    /// Model samples x = T(u) for a fixed set of base points u.
    pub samples: Vec<[f32; 2]>,
    /// Samples of p* (the fixed evaluation batch).
    pub data: Vec<[f32; 2]>,
    /// (step, minibatch NLL in nats) points, oldest first.
    pub nll_history: Vec<[f32; 2]>,
    /// Mean NLL on the fixed evaluation batch (nats per 2D point).
    pub eval_nll: f32,
}

/// The 2D RealNVP demo state machine.
#[derive(Debug, Clone)]
pub struct Flow2d {
    config: Config,
    couplings: Vec<Coupling>,
    /// ActNorm parameters of all blocks, one [`Dense`] per block holding log-scales in `w`
    /// (1, 2) and biases in `b` (2). Kept in an [`Mlp`] container only so the shared
    /// [`Adam`]/[`Grads`] update them; it is never run as a network.
    actnorm: Mlp,
    an_opt: Adam,
    an_grads: Grads,
    data_rng: Rng,
    view_rng: Rng,
    eval_batch: Array2<f32>,
    work: Workspace,
    history: History,
    step: u64,
    diverged: Option<ModelError>,
}

/// log p_u(u) = -log(2 pi) - |u|^2 / 2 for the 2D standard normal base.
fn log_base(u0: f32, u1: f32) -> f32 {
    -LOG_2PI - 0.5 * (u0 * u0 + u1 * u1)
}

/// Times `steps` training steps of `flow` after `warmup` untimed ones with the injected clock
/// `now()` in milliseconds (see [`crate::bench::bench_steps`]).
pub fn bench_flow(
    flow: &mut Flow2d,
    warmup: usize,
    steps: usize,
    now: impl FnMut() -> f64,
) -> Result<crate::bench::BenchReport, ModelError> {
    crate::bench::bench_steps(|n| flow.step(n), warmup, steps, now)
}
