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

use super::ranges::clamp_or as clamp_f;
use crate::link::{self, DatasetLink, DrawnPoints, LinkVisitor, Settings};

fn range_err<T: std::fmt::Display>(field: &'static str, v: T, lo: T, hi: T) -> ModelError {
    ModelError::InvalidConfig {
        field,
        reason: format!("{v} is outside {lo}..={hi}"),
    }
}

impl Config {
    /// A copy with every field forced into range (a NaN learning rate becomes the default).
    /// Drawn points are clamped to +-CUSTOM_LIMIT, non-finite ones dropped and the list cut to
    /// MAX_CUSTOM_POINTS; a drawing with too few points stays invalid (nothing to clamp to).
    pub fn clamped(&self) -> Config {
        let cu = |v: usize, r: &RangeInclusive<usize>| v.clamp(*r.start(), *r.end());
        let dataset = match &self.dataset {
            Dataset2d::Custom(pts) => Dataset2d::Custom(
                pts.iter()
                    .filter(|p| p[0].is_finite() && p[1].is_finite())
                    .take(MAX_CUSTOM_POINTS)
                    .map(|p| {
                        [
                            p[0].clamp(-CUSTOM_LIMIT, CUSTOM_LIMIT),
                            p[1].clamp(-CUSTOM_LIMIT, CUSTOM_LIMIT),
                        ]
                    })
                    .collect(),
            ),
            d => d.clone(),
        };
        Config {
            layers: cu(self.layers, &LAYERS),
            hidden: cu(self.hidden, &HIDDEN),
            lr: clamp_f(self.lr, &LR, Config::default().lr),
            dataset,
            batch: cu(self.batch, &BATCH),
            actnorm: self.actnorm,
            seed: self.seed,
        }
    }

    /// Checks every field; the error names the first offending one.
    pub fn validate(&self) -> Result<(), ModelError> {
        let check_u = |field, v: usize, r: &RangeInclusive<usize>| {
            if r.contains(&v) {
                Ok(())
            } else {
                Err(range_err(field, v, *r.start(), *r.end()))
            }
        };
        check_u("layers", self.layers, &LAYERS)?;
        check_u("hidden", self.hidden, &HIDDEN)?;
        check_u("batch", self.batch, &BATCH)?;
        if !LR.contains(&self.lr) {
            return Err(range_err("lr", self.lr, *LR.start(), *LR.end()));
        }
        self.dataset.validate()?;
        Ok(())
    }

    /// URL-hash fragment `key=value&...` (no leading `#`). Keys: `L` blocks, `h` hidden width,
    /// `lr`, `data` (a data set name), `bs` batch, `an` ActNorm 0/1, `seed`, and for a drawn
    /// data set `pts=x,y;x,y;...` (2 decimals, at most [`MAX_HASH_POINTS`], evenly subsampled).
    /// The shared codec ([`crate::link`]) over the fields of [`Settings::fields`].
    pub fn to_hash(&self) -> String {
        link::to_hash(self)
    }

    /// Decodes [`Config::to_hash`] output with the shared codec ([`crate::link`]): keys in any
    /// order, missing keys keep their defaults, unknown keys are ignored, numbers are clamped
    /// ([`Config::clamped`]). Also rejected: an unknown data set, or `data=custom` without
    /// enough valid `pts`.
    pub fn from_hash(s: &str) -> Result<Config, ModelError> {
        link::from_hash(s)
    }
}

impl Settings for Config {
    const WHAT: &'static str = "flow";
    /// The link's keys, in link order (a promise: shared links of earlier versions must read).
    fn fields(&mut self, v: &mut dyn LinkVisitor) -> Result<(), String> {
        v.field("L", &mut self.layers)?;
        v.field("h", &mut self.hidden)?;
        v.field("lr", &mut self.lr)?;
        v.field(
            "data",
            &mut DatasetLink {
                dataset: &mut self.dataset,
                custom_points: true,
            },
        )?;
        v.field("bs", &mut self.batch)?;
        v.field("an", &mut self.actnorm)?;
        v.field("seed", &mut self.seed)?;
        v.field(
            "pts",
            &mut DrawnPoints {
                dataset: &mut self.dataset,
                max_written: MAX_HASH_POINTS,
            },
        )
    }
    fn finish(self) -> Result<Self, String> {
        if let Dataset2d::Custom(p) = &self.dataset {
            if p.len() < MIN_CUSTOM_POINTS {
                return Err(format!(
                    "a drawn data set needs at least {MIN_CUSTOM_POINTS} points in `pts`"
                ));
            }
        }
        Ok(self.clamped())
    }
}

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

impl Flow2d {
    /// A fresh flow for `config` (validated, not clamped: use [`Config::clamped`] for slider
    /// input). `seed` determines the whole run and overrides `config.seed`.
    ///
    /// Couplings start as the identity (zero last layer). With ActNorm on, each ActNorm is
    /// initialised from data (Kingma & Dhariwal 2018): on a first batch of
    /// [`ACTNORM_INIT_SAMPLES`] points its output gets zero mean and unit variance per
    /// coordinate.
    pub fn new(mut config: Config, seed: u64) -> Result<Self, ModelError> {
        config.validate()?;
        config.seed = seed;
        let mut rng = Rng::new(seed);
        let couplings = (0..config.layers)
            .map(|k| {
                let mut mlp = Mlp::new(
                    &[1, config.hidden, config.hidden, 2],
                    Activation::Tanh,
                    Activation::Identity,
                    &mut rng,
                );
                if let Some(last) = mlp.layers.last_mut() {
                    last.w.fill(0.0);
                    last.b.fill(0.0);
                }
                let grads = Grads::zeros_like(&mlp);
                Coupling {
                    keep: k % 2,
                    mlp,
                    opt: Adam::new(config.lr, 0.9, 0.999, 1e-8),
                    cache: Cache::default(),
                    grads,
                }
            })
            .collect();
        let actnorm = Mlp {
            layers: (0..if config.actnorm { config.layers } else { 0 })
                .map(|_| Dense {
                    w: Array2::zeros((1, 2)),
                    b: Array1::zeros(2),
                })
                .collect(),
            hidden_act: Activation::Identity,
            out_act: Activation::Identity,
        };
        let an_grads = Grads::zeros_like(&actnorm);
        let eval_batch = config.dataset.sample(EVAL_SAMPLES, &mut rng.fork(2))?;
        let mut flow = Flow2d {
            couplings,
            actnorm,
            an_opt: Adam::new(config.lr, 0.9, 0.999, 1e-8),
            an_grads,
            data_rng: rng.fork(1),
            view_rng: rng.fork(4),
            eval_batch,
            work: Workspace::default(),
            history: History::default(),
            step: 0,
            diverged: None,
            config,
        };
        if flow.config.actnorm {
            let n = ACTNORM_INIT_SAMPLES.max(flow.config.batch);
            let x = flow.config.dataset.sample(n, &mut rng.fork(3))?;
            flow.init_actnorm(x);
        }
        Ok(flow)
    }

    /// [`Flow2d::new`] with `config.seed`.
    pub fn from_config(config: Config) -> Result<Self, ModelError> {
        let seed = config.seed;
        Flow2d::new(config, seed)
    }

    /// Data-dependent ActNorm init, block by block: log-scale = -log std, bias = -mean / std,
    /// so y = h * exp(logs) + bias is standardised. The std is floored at 1e-3 (a degenerate
    /// drawn data set) and the log-scale clamped to [-5, 5].
    fn init_actnorm(&mut self, mut h: Array2<f32>) {
        for k in 0..self.couplings.len() {
            if let Some(an) = self.actnorm.layers.get_mut(k) {
                for j in 0..2 {
                    let col = h.column(j);
                    let n = col.len().max(1) as f64;
                    let mean = col.iter().map(|&v| v as f64).sum::<f64>() / n;
                    let var = col.iter().map(|&v| (v as f64 - mean).powi(2)).sum::<f64>() / n;
                    let sd = var.sqrt().max(1e-3);
                    let logs = (-sd.ln()).clamp(-5.0, 5.0);
                    an.w[[0, j]] = logs as f32;
                    an.b[j] = (-mean * logs.exp()) as f32;
                }
            }
            self.actnorm_forward(k, &mut h);
            self.coupling_forward(k, &mut h, None);
        }
    }

    /// The (validated) configuration in use.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Number of blocks K (the layer slider runs over stages 0..=K).
    pub fn layers(&self) -> usize {
        self.couplings.len()
    }

    /// Training steps done.
    pub fn step_count(&self) -> u64 {
        self.step
    }

    /// The divergence error once training has stopped.
    pub fn diverged(&self) -> Option<&ModelError> {
        self.diverged.as_ref()
    }

    /// (step, minibatch NLL in nats) points, oldest first (capped, see [`HISTORY_CAP`]).
    pub fn nll_history(&self) -> &[[f32; 2]] {
        self.history.points()
    }

    /// Total number of trainable parameters.
    pub fn param_count(&self) -> usize {
        self.couplings
            .iter()
            .map(|c| c.mlp.param_count())
            .sum::<usize>()
            + self.actnorm.param_count()
    }

    /// ActNorm of block k, normalizing direction, in place (identity without ActNorm):
    ///
    /// ```text
    /// y = h * exp(logs) + bias    h, y: (B, 2); logs, bias: (2);   log|det J| = logs_0 + logs_1
    /// ```
    /// Returns log|det J| (the same for every row).
    fn actnorm_forward(&self, k: usize, h: &mut Array2<f32>) -> f32 {
        let Some(an) = self.actnorm.layers.get(k) else {
            return 0.0;
        };
        let (l0, l1) = (an.w[[0, 0]], an.w[[0, 1]]);
        let (e0, e1) = (l0.exp(), l1.exp());
        for mut r in h.rows_mut() {
            r[0] = r[0] * e0 + an.b[0];
            r[1] = r[1] * e1 + an.b[1];
        }
        l0 + l1
    }

    /// Inverse ActNorm of block k (generative direction): h = (y - bias) * exp(-logs), (B, 2).
    fn actnorm_inverse(&self, k: usize, y: &mut Array2<f32>) {
        let Some(an) = self.actnorm.layers.get(k) else {
            return;
        };
        let (e0, e1) = ((-an.w[[0, 0]]).exp(), (-an.w[[0, 1]]).exp());
        for mut r in y.rows_mut() {
            r[0] = (r[0] - an.b[0]) * e0;
            r[1] = (r[1] - an.b[1]) * e1;
        }
    }

    /// Coupling of block k, normalizing direction, in place on h (B, 2):
    ///
    /// ```text
    /// [r, t] = MLP_k(h_a) (B, 2);  s = S_MAX tanh(r) (B)
    /// y_a = h_a;  y_b = h_b * exp(s) + t;  log|det J| = s (per row)
    /// ```
    /// Adds log|det J| to `logdet` (B) when given.
    fn coupling_forward(&self, k: usize, h: &mut Array2<f32>, logdet: Option<&mut Array1<f32>>) {
        let Some(c) = self.couplings.get(k) else {
            return;
        };
        let (a, b) = (c.keep, 1 - c.keep);
        let xa = h.column(a).to_owned().insert_axis(Axis(1));
        let (out, _) = c.mlp.forward(xa.view());
        let mut ld = logdet;
        for (i, mut r) in h.rows_mut().into_iter().enumerate() {
            let s = S_MAX * fast_tanh(out[[i, 0]]);
            r[b] = r[b] * s.exp() + out[[i, 1]];
            if let Some(ld) = ld.as_deref_mut() {
                ld[i] += s;
            }
        }
    }

    /// Inverse coupling of block k (generative direction), in place on y (B, 2):
    ///
    /// ```text
    /// h_a = y_a;  [r, t] = MLP_k(y_a);  h_b = (y_b - t) * exp(-S_MAX tanh(r))
    /// ```
    fn coupling_inverse(&self, k: usize, y: &mut Array2<f32>) {
        let Some(c) = self.couplings.get(k) else {
            return;
        };
        let (a, b) = (c.keep, 1 - c.keep);
        let ya = y.column(a).to_owned().insert_axis(Axis(1));
        let (out, _) = c.mlp.forward(ya.view());
        for (i, mut r) in y.rows_mut().into_iter().enumerate() {
            let s = S_MAX * fast_tanh(out[[i, 0]]);
            r[b] = (r[b] - out[[i, 1]]) * (-s).exp();
        }
    }

    /// Normalizing direction u = T^{-1}(x) = f_K(...f_1(x)) for x (B, 2), with
    /// log|det J_{T^{-1}}(x)| = sum_k log|det J_{f_k}| per row: returns (u (B, 2), logdet (B)).
    pub fn forward(&self, x: ArrayView2<'_, f32>) -> (Array2<f32>, Array1<f32>) {
        let mut h = x.to_owned();
        let mut ld = Array1::zeros(h.nrows());
        if h.ncols() != 2 {
            return (h, ld);
        }
        for k in 0..self.couplings.len() {
            let an = self.actnorm_forward(k, &mut h);
            ld += an;
            self.coupling_forward(k, &mut h, Some(&mut ld));
        }
        (h, ld)
    }

    /// Generative direction x = T(u) = f_1^{-1}(...f_K^{-1}(u)) for u (B, 2) -> x (B, 2).
    pub fn inverse(&self, u: ArrayView2<'_, f32>) -> Array2<f32> {
        self.inverse_partial(u, self.couplings.len())
    }

    /// Applies the last `stages` inverse blocks f_K^{-1}, ..., f_{K-stages+1}^{-1} to u (B, 2).
    fn inverse_partial(&self, u: ArrayView2<'_, f32>, stages: usize) -> Array2<f32> {
        let mut y = u.to_owned();
        if y.ncols() != 2 {
            return y;
        }
        let n = self.couplings.len();
        for k in (n - stages.min(n)..n).rev() {
            self.coupling_inverse(k, &mut y);
            self.actnorm_inverse(k, &mut y);
        }
        y
    }

    /// Exact log q_theta(x) = log p_u(T^{-1}(x)) + log|det J_{T^{-1}}(x)| for x (B, 2) -> (B).
    /// A wrong column count gives NaN for every row.
    pub fn log_prob(&self, x: ArrayView2<'_, f32>) -> Array1<f32> {
        if x.ncols() != 2 {
            return Array1::from_elem(x.nrows(), f32::NAN);
        }
        let (u, ld) = self.forward(x);
        Array1::from_shape_fn(x.nrows(), |i| log_base(u[[i, 0]], u[[i, 1]]) + ld[i])
    }

    /// Mean NLL = -mean_i log q_theta(x_i) in nats (accumulated in f64).
    pub fn mean_nll(&self, x: ArrayView2<'_, f32>) -> f64 {
        let lp = self.log_prob(x);
        if lp.is_empty() {
            return f64::NAN;
        }
        -lp.iter().map(|&v| v as f64).sum::<f64>() / lp.len() as f64
    }

    /// Mean NLL on the fixed evaluation batch of [`EVAL_SAMPLES`] points from p*.
    pub fn eval_nll(&self) -> f32 {
        self.mean_nll(self.eval_batch.view()) as f32
    }

    /// log q_theta on the centres of an `nx` x `ny` grid over `bbox` (row-major, y outermost,
    /// see [`Bbox::grid_centres`]): length nx * ny. Sides are clamped to 1..=[`MAX_GRID`]; an
    /// invalid box is replaced by the data set's box.
    pub fn log_density_grid(&self, nx: usize, ny: usize, bbox: Bbox) -> Vec<f32> {
        let (nx, ny) = (nx.clamp(1, MAX_GRID), ny.clamp(1, MAX_GRID));
        let bbox = if bbox.is_valid() {
            bbox
        } else {
            self.config.dataset.bbox()
        };
        self.log_prob(bbox.grid_centres(nx, ny).view()).to_vec()
    }

    /// n samples x = T(u), u ~ N(0, I), shape (n, 2); n is clamped to [`MAX_SAMPLES`].
    pub fn sample(&self, n: usize, rng: &mut Rng) -> Array2<f32> {
        let mut u = Array2::zeros((n.min(MAX_SAMPLES), 2));
        rng.fill_normal(u.view_mut());
        self.inverse(u.view())
    }

    /// A fixed set of n base points u ~ N(0, I) (the same every call), for the layer slider.
    pub fn base_points(&self, n: usize) -> Array2<f32> {
        let mut r = self.view_rng.clone();
        let mut u = Array2::zeros((n.min(MAX_SAMPLES), 2));
        r.fill_normal(u.view_mut());
        u
    }

    /// Base points u (B, 2) pushed through the generative blocks one at a time: K + 1 arrays of
    /// shape (B, 2); stage 0 is u itself, stage k is after f_K^{-1}, ..., f_{K-k+1}^{-1}, and
    /// stage K is x = T(u) in data space. A wrong column count returns an empty Vec.
    pub fn warp_stages(&self, points: ArrayView2<'_, f32>) -> Vec<Array2<f32>> {
        if points.ncols() != 2 {
            return Vec::new();
        }
        let n = self.couplings.len();
        let mut stages = Vec::with_capacity(n + 1);
        let mut y = points.to_owned();
        stages.push(y.clone());
        for k in (0..n).rev() {
            self.coupling_inverse(k, &mut y);
            self.actnorm_inverse(k, &mut y);
            stages.push(y.clone());
        }
        stages
    }

    /// Grid lines of the base square [-BASE_BOX, BASE_BOX]^2 (`lines` vertical and `lines`
    /// horizontal, clamped to [`GRID_LINES`]), each a polyline of [`GRID_LINE_POINTS`] points,
    /// pushed through the first `stage` generative blocks (clamped to 0..=K), as in
    /// [`Flow2d::warp_stages`]. Vertical lines come first.
    pub fn warp_grid(&self, lines: usize, stage: usize) -> Vec<Vec<[f32; 2]>> {
        let lines = lines.clamp(*GRID_LINES.start(), *GRID_LINES.end());
        let m = GRID_LINE_POINTS;
        let coord = |i: usize, n: usize| -BASE_BOX + 2.0 * BASE_BOX * i as f32 / (n - 1) as f32;
        let mut u = Array2::zeros((2 * lines * m, 2));
        for l in 0..lines {
            for p in 0..m {
                let (c, t) = (coord(l, lines), coord(p, m));
                let v = (l * m + p, (lines + l) * m + p);
                u[[v.0, 0]] = c;
                u[[v.0, 1]] = t;
                u[[v.1, 0]] = t;
                u[[v.1, 1]] = c;
            }
        }
        let x = self.inverse_partial(u.view(), stage);
        x.outer_iter()
            .map(|r| [r[0], r[1]])
            .collect::<Vec<_>>()
            .chunks(m)
            .map(|c| c.to_vec())
            .collect()
    }

    /// The plot data: log-density heatmap on an `nx` x `ny` grid over the data set's box,
    /// [`VIEW_SAMPLES`] model samples (fixed base points, so they move smoothly while training)
    /// and data samples, the NLL history and the evaluation NLL.
    pub fn view(&self, nx: usize, ny: usize) -> Flow2dView {
        let bbox = self.config.dataset.bbox();
        let (nx, ny) = (nx.clamp(1, MAX_GRID), ny.clamp(1, MAX_GRID));
        let to_vec = |a: &Array2<f32>| a.outer_iter().map(|r| [r[0], r[1]]).collect::<Vec<_>>();
        let samples = self.inverse(self.base_points(VIEW_SAMPLES).view());
        let data_n = VIEW_SAMPLES.min(self.eval_batch.nrows());
        Flow2dView {
            step: self.step,
            diverged: self.diverged.as_ref().map(|e| e.to_string()),
            bbox,
            nx,
            ny,
            log_density: self.log_density_grid(nx, ny, bbox),
            samples: to_vec(&samples),
            data: to_vec(
                &self
                    .eval_batch
                    .slice_axis(ndarray::Axis(0), ndarray::Slice::from(..data_n))
                    .to_owned(),
            ),
            nll_history: self.history.points().to_vec(),
            eval_nll: self.eval_nll(),
        }
    }

    /// Mean NLL of the minibatch x (B, 2) and its gradient w.r.t. every parameter, written into
    /// each coupling's `grads` and `an_grads`. Forward (normalizing direction) as in
    /// [`Flow2d::forward`], saving block inputs; then, with L = (1/B) sum_i nll_i,
    /// nll_i = |u_i|^2 / 2 + log(2 pi) - sum_k ld_{k,i}:
    ///
    /// ```text
    /// g = dL/du = u / B  (B, 2);   dL/d ld_{k,i} = -1/B
    /// coupling k (reverse order), h = block input, y_b = h_b e^s + t:
    ///   g_t = g_b;  g_s = g_b h_b e^s - 1/B;  g_r = g_s S_MAX (1 - tanh^2 r)     (B)
    ///   MLP backward with dL/d[r, t] = [g_r, g_t] (B, 2) -> dL/dtheta_k, dL/dh_a (B, 1)
    ///   g_b <- g_b e^s;  g_a <- g_a + dL/dh_a
    /// ActNorm k, y = h e^logs + bias:
    ///   dL/dbias_j = sum_i g_ij;  dL/dlogs_j = sum_i g_ij h_ij e^logs_j - 1;  g <- g e^logs
    /// ```
    fn loss_and_grads(&mut self, x: ArrayView2<'_, f32>) -> f32 {
        let bsz = x.nrows();
        let n = self.couplings.len();
        if bsz == 0 || x.ncols() != 2 {
            return f32::NAN;
        }
        let inv_b = 1.0 / bsz as f32;
        let w = &mut self.work;
        w.an_in.resize(n, Array2::zeros((0, 2)));
        w.c_in.resize(n, Array2::zeros((0, 2)));
        w.th.resize(n, Array1::zeros(0));
        w.es.resize(n, Array1::zeros(0));
        let mut h = x.to_owned();
        let mut ld = Array1::<f32>::zeros(bsz);
        let mut xa = Array2::<f32>::zeros((bsz, 1));
        for k in 0..n {
            if let Some(an) = self.actnorm.layers.get(k) {
                w.an_in[k].clone_from(&h);
                let (l0, l1) = (an.w[[0, 0]], an.w[[0, 1]]);
                let (e0, e1) = (l0.exp(), l1.exp());
                for mut r in h.rows_mut() {
                    r[0] = r[0] * e0 + an.b[0];
                    r[1] = r[1] * e1 + an.b[1];
                }
                ld += l0 + l1;
            }
            w.c_in[k].clone_from(&h);
            let c = &mut self.couplings[k];
            let (a, b) = (c.keep, 1 - c.keep);
            xa.column_mut(0).assign(&h.column(a));
            c.mlp.forward_into(xa.view(), &mut c.cache);
            let out = c.cache.output();
            let th = &mut w.th[k];
            let es = &mut w.es[k];
            if th.len() != bsz {
                *th = Array1::zeros(bsz);
                *es = Array1::zeros(bsz);
            }
            for (i, mut r) in h.rows_mut().into_iter().enumerate() {
                let t = fast_tanh(out[[i, 0]]);
                let s = S_MAX * t;
                let e = s.exp();
                th[i] = t;
                es[i] = e;
                r[b] = r[b] * e + out[[i, 1]];
                ld[i] += s;
            }
        }
        let mut nll = 0.0f64;
        for (i, r) in h.rows().into_iter().enumerate() {
            nll -= (log_base(r[0], r[1]) + ld[i]) as f64;
        }
        nll /= bsz as f64;
        // Backward: g = dL/dh, starting from dL/du = u / B.
        let mut g = h * inv_b;
        let mut gout = Array2::<f32>::zeros((bsz, 2));
        for k in (0..n).rev() {
            let c = &mut self.couplings[k];
            let (a, b) = (c.keep, 1 - c.keep);
            let hin = &w.c_in[k];
            for i in 0..bsz {
                let gb = g[[i, b]];
                let (t, e) = (w.th[k][i], w.es[k][i]);
                let gs = gb * hin[[i, b]] * e - inv_b;
                gout[[i, 0]] = gs * S_MAX * (1.0 - t * t);
                gout[[i, 1]] = gb;
                g[[i, b]] = gb * e;
            }
            c.mlp
                .backward_into(&mut c.cache, gout.view(), Some(&mut c.grads));
            let gin = c.cache.input_grad();
            for i in 0..bsz {
                g[[i, a]] += gin[[i, 0]];
            }
            if let (Some(an), Some(ag)) =
                (self.actnorm.layers.get(k), self.an_grads.layers.get_mut(k))
            {
                let hin = &w.an_in[k];
                for j in 0..2 {
                    let e = an.w[[0, j]].exp();
                    let (mut gbias, mut glogs) = (0.0f32, 0.0f32);
                    for i in 0..bsz {
                        gbias += g[[i, j]];
                        glogs += g[[i, j]] * hin[[i, j]] * e;
                        g[[i, j]] *= e;
                    }
                    ag.b[j] = gbias;
                    ag.w[[0, j]] = glogs - 1.0;
                }
            }
        }
        nll as f32
    }

    fn grads_finite(&self) -> bool {
        self.an_grads.is_finite() && self.couplings.iter().all(|c| c.grads.is_finite())
    }

    fn max_abs_param(&self) -> f32 {
        self.couplings
            .iter()
            .map(|c| c.mlp.max_abs_weight())
            .chain(std::iter::once(self.actnorm.max_abs_weight()))
            .fold(0.0f32, |m, v| {
                if v.is_nan() || m.is_nan() {
                    f32::NAN
                } else {
                    m.max(v)
                }
            })
    }

    fn stop(&mut self, what: String) -> ModelError {
        let e = ModelError::Diverged {
            model: Model::Flow,
            step: self.step,
            what,
        };
        self.diverged = Some(e.clone());
        e
    }

    /// Runs `n` Adam steps on fresh minibatches x ~ p* of the configured size, minimising the
    /// mean NLL. A NaN/inf loss or gradient (the update is then skipped, so the views keep the
    /// last finite model), a loss above [`MAX_NLL`] or a parameter above [`MAX_WEIGHT`] stops
    /// training with [`ModelError::Diverged`], returned now and by every later call.
    pub fn step(&mut self, n: usize) -> Result<(), ModelError> {
        if let Some(e) = &self.diverged {
            return Err(e.clone());
        }
        for _ in 0..n {
            let x = self
                .config
                .dataset
                .sample(self.config.batch, &mut self.data_rng)?;
            let nll = self.loss_and_grads(x.view());
            self.step += 1;
            if !nll.is_finite() || !self.grads_finite() {
                return Err(self.stop("the loss or its gradient became NaN or infinite".into()));
            }
            if nll > MAX_NLL {
                return Err(self.stop(format!("the NLL exploded to {nll:.3e} nats")));
            }
            for c in &mut self.couplings {
                c.opt.apply(&mut c.mlp, &c.grads);
            }
            self.an_opt.apply(&mut self.actnorm, &self.an_grads);
            self.history.push(self.step, nll as f64);
            let m = self.max_abs_param();
            if m.is_nan() || m > MAX_WEIGHT {
                return Err(self.stop(format!("a weight grew to {m:.3e}")));
            }
        }
        Ok(())
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Relative error with a floor for near-zero values.
    fn rel_err(a: f64, b: f64, floor: f64) -> f64 {
        (a - b).abs() / (a.abs() + b.abs()).max(floor)
    }

    fn cfg(layers: usize, hidden: usize, actnorm: bool) -> Config {
        Config {
            layers,
            hidden,
            actnorm,
            ..Config::default()
        }
    }

    fn flow(c: Config, seed: u64) -> Flow2d {
        Flow2d::new(c, seed).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Replaces every parameter with N(0, scale^2) noise, so the couplings are far from the
    /// identity (a fresh flow has zero last layers) and every code path is exercised.
    fn randomize(f: &mut Flow2d, seed: u64, scale: f32) {
        let mut r = Rng::new(seed);
        for c in &mut f.couplings {
            for p in c.mlp.params_mut() {
                *p = scale * r.normal_f32();
            }
        }
        for p in f.actnorm.params_mut() {
            *p = 0.1 * r.normal_f32();
        }
    }

    fn normal_points(n: usize, sd: f32, seed: u64) -> Array2<f32> {
        let mut x = Array2::zeros((n, 2));
        Rng::new(seed).fill_normal(x.view_mut());
        x * sd
    }

    #[test]
    fn inverse_of_forward_is_identity() {
        for actnorm in [true, false] {
            let mut f = flow(cfg(12, 16, actnorm), 3);
            randomize(&mut f, 4, 0.2);
            let x = normal_points(500, 2.0, 5);
            let (u, _) = f.forward(x.view());
            let back = f.inverse(u.view());
            let err = (&back - &x).iter().fold(0.0f32, |m, d| m.max(d.abs()));
            assert!(
                err < 1e-5,
                "actnorm {actnorm}: max |T(T^-1(x)) - x| = {err}"
            );
            // And the other way round.
            let x2 = f.inverse(x.view());
            let (u2, _) = f.forward(x2.view());
            let err = (&u2 - &x).iter().fold(0.0f32, |m, d| m.max(d.abs()));
            assert!(
                err < 1e-5,
                "actnorm {actnorm}: max |T^-1(T(u)) - u| = {err}"
            );
            // The couplings really move points (the test is not vacuous).
            let moved = (&u - &x).iter().fold(0.0f32, |m, d| m.max(d.abs()));
            assert!(moved > 0.5, "{moved}");
        }
    }

    #[test]
    fn log_det_matches_numeric_jacobian() {
        let mut f = flow(cfg(6, 8, true), 7);
        randomize(&mut f, 8, 0.3);
        let x = normal_points(20, 1.5, 9);
        let (_, ld) = f.forward(x.view());
        let h = 1e-3f32;
        let mut worst = 0.0f64;
        for i in 0..x.nrows() {
            // J[r][c] = d u_r / d x_c by central differences, in f64 from f32 evaluations.
            let mut jac = [[0.0f64; 2]; 2];
            for col in 0..2 {
                let mut xp = x.row(i).to_owned().insert_axis(Axis(0));
                let mut xm = xp.clone();
                xp[[0, col]] += h;
                xm[[0, col]] -= h;
                let (up, _) = f.forward(xp.view());
                let (um, _) = f.forward(xm.view());
                for row in 0..2 {
                    jac[row][col] = (up[[0, row]] as f64 - um[[0, row]] as f64) / (2.0 * h as f64);
                }
            }
            let det = jac[0][0] * jac[1][1] - jac[0][1] * jac[1][0];
            let num = det.abs().ln();
            worst = worst.max((num - ld[i] as f64).abs());
            // Tolerance 5e-3 absolute on log|det J| (f32 forward, h = 1e-3).
            assert!(
                (num - ld[i] as f64).abs() < 5e-3,
                "point {i}: numeric {num} analytic {}",
                ld[i]
            );
        }
        assert!(worst.is_finite());
        // The Jacobian is far from volume-preserving, so the check is meaningful.
        assert!(ld.iter().any(|v| v.abs() > 0.5), "{ld}");
    }

    /// Central differences of the mean NLL w.r.t. every parameter of every coupling MLP and
    /// every ActNorm log-scale and bias, against the hand-written backward pass.
    #[test]
    fn gradient_check_every_parameter_group() {
        for actnorm in [true, false] {
            let mut f = flow(cfg(3, 5, actnorm), 11);
            randomize(&mut f, 12, 0.4);
            let x = Dataset2d::TwoMoons
                .sample(8, &mut Rng::new(13))
                .unwrap_or_else(|e| panic!("{e}"));
            let loss = f.loss_and_grads(x.view());
            assert!((loss as f64 - f.mean_nll(x.view())).abs() < 1e-4);
            let h = 1e-2f32;
            // Tolerance: 1e-2 relative with floor 5e-3, i.e. 5e-5 absolute for tiny entries
            // (f32 NLL ~3 has round-off ~3e-7, divided by 2h = 2e-2 gives ~2e-5 noise).
            let tol = 1e-2;
            let mut checked = 0;
            for k in 0..f.couplings.len() {
                let analytic = f.couplings[k].grads.flat();
                assert_eq!(analytic.len(), f.couplings[k].mlp.param_count());
                for (i, &ana) in analytic.iter().enumerate() {
                    let eval = |d: f32| {
                        let mut g = f.clone();
                        if let Some(p) = g.couplings[k].mlp.params_mut().nth(i) {
                            *p += d;
                        }
                        g.mean_nll(x.view())
                    };
                    let num = (eval(h) - eval(-h)) / (2.0 * h as f64);
                    assert!(
                        rel_err(num, ana as f64, 5e-3) < tol,
                        "actnorm {actnorm} coupling {k} param {i}: numeric {num} analytic {ana}"
                    );
                    checked += 1;
                }
            }
            let analytic = f.an_grads.flat();
            assert_eq!(analytic.len(), if actnorm { 3 * 4 } else { 0 });
            for (i, &ana) in analytic.iter().enumerate() {
                let eval = |d: f32| {
                    let mut g = f.clone();
                    if let Some(p) = g.actnorm.params_mut().nth(i) {
                        *p += d;
                    }
                    g.mean_nll(x.view())
                };
                let num = (eval(h) - eval(-h)) / (2.0 * h as f64);
                assert!(
                    rel_err(num, ana as f64, 5e-3) < tol,
                    "actnorm param {i} (per block: logs0, logs1, b0, b1): numeric {num} analytic {ana}"
                );
                checked += 1;
            }
            assert_eq!(checked, f.param_count());
        }
    }

    #[test]
    fn actnorm_init_standardises_the_data() {
        let c = Config {
            dataset: Dataset2d::EightGaussians,
            ..cfg(4, 8, true)
        };
        let mut f = flow(c, 21);
        let x = Dataset2d::EightGaussians
            .sample(ACTNORM_INIT_SAMPLES, &mut Rng::new(22))
            .unwrap_or_else(|e| panic!("{e}"));
        f.init_actnorm(x.clone());
        // Couplings start as the identity, so u is the ActNorm output on the init batch:
        // exactly standardised (up to f32 round-off, tolerance 1e-4).
        let (u, ld) = f.forward(x.view());
        for j in 0..2 {
            let col = u.column(j);
            let mean = col.iter().map(|&v| v as f64).sum::<f64>() / col.len() as f64;
            let var =
                col.iter().map(|&v| (v as f64 - mean).powi(2)).sum::<f64>() / col.len() as f64;
            assert!(
                mean.abs() < 1e-4 && (var - 1.0).abs() < 1e-4,
                "dim {j}: {mean} {var}"
            );
        }
        // Later ActNorms see standardised data and start as (nearly) the identity.
        assert!(f.actnorm.layers[1..]
            .iter()
            .all(|l| l.w.iter().all(|v| v.abs() < 1e-3)));
        // 8 Gaussians has std ~1.42 per axis: log|det| ~ -2 log 1.42 = -0.70.
        assert!((ld[0] + 0.70).abs() < 0.05, "{}", ld[0]);
    }

    #[test]
    fn trains_on_two_moons_below_bound() {
        // Fixed-seed run of the default config (8 blocks, width 32, batch 128, lr 3e-3,
        // ActNorm on, seed 1) for 500 steps; it reaches ~1.61 nats, the bound is 1.8.
        let mut f = flow(Config::default(), 1);
        let start = f.eval_nll();
        f.step(500).unwrap_or_else(|e| panic!("{e}"));
        let end = f.eval_nll();
        // After ActNorm init the model is a diagonal Gaussian fit (~2.8 nats); getting below
        // 1.8 needs the couplings to bend space into the two crescents.
        assert!(start > 2.7, "start {start}");
        assert!(end < 1.8, "NLL {start} -> {end} after 500 steps");
        assert_eq!(f.step_count(), 500);
        assert!(!f.nll_history().is_empty());
        // The trained density still integrates to ~1: midpoint rule on 400 x 400 cells over
        // [-6, 6]^2, tolerance 2%.
        let b = Bbox::square(6.0);
        let (nx, ny) = (400, 400);
        let cell = b.area() as f64 / (nx * ny) as f64;
        let mass: f64 = f
            .log_density_grid(nx, ny, b)
            .iter()
            .map(|&l| (l as f64).exp() * cell)
            .sum();
        assert!((mass - 1.0).abs() < 0.02, "integral {mass}");
    }

    #[test]
    fn random_flow_density_integrates_to_one() {
        let mut f = flow(cfg(8, 16, true), 31);
        randomize(&mut f, 32, 0.15);
        let b = Bbox::square(10.0);
        let (nx, ny) = (300, 300);
        let cell = b.area() as f64 / (nx * ny) as f64;
        let lp = f.log_density_grid(nx, ny, b);
        assert_eq!(lp.len(), nx * ny);
        let mass: f64 = lp.iter().map(|&l| (l as f64).exp() * cell).sum();
        // Tolerance 2% (midpoint rule; tails beyond +-10 are negligible).
        assert!((mass - 1.0).abs() < 0.02, "integral {mass}");
    }

    #[test]
    fn same_seed_same_run_different_seed_different_run() {
        let run = |seed| {
            let mut f = flow(cfg(4, 8, true), seed);
            f.step(20).unwrap_or_else(|e| panic!("{e}"));
            f.nll_history().to_vec()
        };
        assert_eq!(run(5), run(5));
        assert_ne!(run(5), run(6));
    }

    #[test]
    fn warp_stages_and_grid_go_from_base_to_data() {
        let mut f = flow(cfg(5, 8, true), 41);
        randomize(&mut f, 42, 0.5);
        let u = f.base_points(100);
        assert_eq!(u, f.base_points(100));
        let st = f.warp_stages(u.view());
        assert_eq!(st.len(), 6);
        assert_eq!(st[0], u);
        assert_eq!(st[5], f.inverse(u.view()));
        assert!(
            st.windows(2).all(|w| w[0] != w[1]),
            "every stage moves the points"
        );
        assert!(f.warp_stages(Array2::zeros((3, 3)).view()).is_empty());
        let g0 = f.warp_grid(5, 0);
        assert_eq!(g0.len(), 10);
        assert!(g0.iter().all(|l| l.len() == GRID_LINE_POINTS));
        // Stage 0: the first vertical line is x = -BASE_BOX, the last horizontal y = BASE_BOX.
        assert!(g0[0].iter().all(|p| p[0] == -BASE_BOX));
        assert!(g0[9].iter().all(|p| p[1] == BASE_BOX));
        // Stage K equals pushing the stage-0 points through T; out-of-range stage is clamped.
        let gk = f.warp_grid(5, 99);
        let flat: Vec<f32> = g0.iter().flatten().flat_map(|p| [p[0], p[1]]).collect();
        let arr = Array2::from_shape_vec((flat.len() / 2, 2), flat).unwrap_or_default();
        let tx = f.inverse(arr.view());
        for (p, q) in gk.iter().flatten().zip(tx.outer_iter()) {
            assert_eq!([p[0], p[1]], [q[0], q[1]]);
        }
        assert_eq!(f.warp_grid(0, 1).len(), 2 * GRID_LINES.start());
    }

    #[test]
    fn hash_round_trip_and_garbage() {
        let c = Config {
            layers: 5,
            hidden: 17,
            lr: 3e-4,
            dataset: Dataset2d::Rings,
            batch: 64,
            actnorm: false,
            seed: 987654321,
        };
        assert_eq!(
            Config::from_hash(&format!("#{}", c.to_hash())),
            Ok(c.clone())
        );
        let d = Config::default();
        assert_eq!(Config::from_hash(&d.to_hash()), Ok(d.clone()));
        let custom = Config {
            dataset: Dataset2d::Custom(vec![[0.25, -1.5], [1.0, 2.0], [-0.75, 0.5]]),
            ..d.clone()
        };
        assert_eq!(Config::from_hash(&custom.to_hash()), Ok(custom.clone()));
        // Many drawn points are subsampled to fit the URL.
        let many = Config {
            dataset: Dataset2d::Custom((0..1000).map(|i| [i as f32 * 0.001, 0.0]).collect()),
            ..d.clone()
        };
        match Config::from_hash(&many.to_hash()).map(|c| c.dataset) {
            Ok(Dataset2d::Custom(p)) => assert!(p.len() <= MAX_HASH_POINTS && p.len() >= 250),
            other => panic!("{other:?}"),
        }
        // Serde round trip too.
        let json = serde_json::to_string(&custom).unwrap_or_default();
        assert_eq!(serde_json::from_str::<Config>(&json).ok(), Some(custom));
        // Clamping: out-of-range numbers are pulled into range.
        let cl = Config::from_hash("L=100&h=0&lr=5&bs=1e9&an=1").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (cl.layers, cl.hidden, cl.lr, cl.batch),
            (*LAYERS.end(), *HIDDEN.start(), *LR.end(), *BATCH.end())
        );
        assert!(cl.validate().is_ok());
        // Unknown keys are ignored when some known key is present.
        assert_eq!(Config::from_hash("page=flows&L=4").map(|c| c.layers), Ok(4));
        for bad in [
            "",
            "#",
            "hello",
            "page=flows",
            "L=four",
            "lr=NaN",
            "an=maybe",
            "data=spirals",
            "data=custom",
            "data=custom&pts=1,1;2,2",
            "data=custom&pts=1,1;2;3,3",
            "data=custom&pts=1,1;2,inf;3,3",
            "seed=-1",
            "L=3&junk",
        ] {
            assert!(
                matches!(Config::from_hash(bad), Err(ModelError::BadHash(_))),
                "`{bad}` accepted: {:?}",
                Config::from_hash(bad)
            );
        }
        // Every error message is non-empty and actionable.
        if let Err(e) = Config::from_hash("data=custom") {
            assert!(e.to_string().contains("at least"), "{e}");
        }
    }

    #[test]
    fn invalid_configs_are_rejected_and_clamped() {
        let bad = Config {
            layers: 0,
            hidden: 1000,
            lr: f32::NAN,
            batch: 0,
            ..Config::default()
        };
        assert!(matches!(
            Flow2d::new(bad.clone(), 1),
            Err(ModelError::InvalidConfig {
                field: "layers",
                ..
            })
        ));
        let c = bad.clamped();
        assert_eq!(
            (c.layers, c.hidden, c.lr, c.batch),
            (2, 128, Config::default().lr, 8)
        );
        assert!(Flow2d::new(c, 1).is_ok());
        let few = Config {
            dataset: Dataset2d::Custom(vec![[0.0, 0.0]]),
            ..Config::default()
        };
        assert!(matches!(
            Flow2d::new(few.clone(), 1),
            Err(ModelError::Data(
                crate::datasets2d::DatasetError::TooFewPoints { got: 1, .. }
            ))
        ));
        assert!(Flow2d::new(few.clamped(), 1).is_err());
        let nan = Config {
            dataset: Dataset2d::Custom(vec![[0.0, 0.0], [f32::NAN, 0.0], [1.0, 1.0], [2.0, 0.0]]),
            ..Config::default()
        };
        assert!(Flow2d::new(nan.clone(), 1).is_err());
        assert!(Flow2d::new(nan.clamped(), 1).is_ok());
    }

    #[test]
    fn extreme_configs_never_panic() {
        let datasets = [
            Dataset2d::TwoMoons,
            Dataset2d::Checkerboard,
            Dataset2d::Custom(vec![[1.0, 1.0]; 3]),
            Dataset2d::Custom(vec![[-10.0, 10.0], [10.0, -10.0], [10.0, 10.0]]),
        ];
        let mut diverged = 0;
        for (i, dataset) in datasets.into_iter().enumerate() {
            for (layers, hidden, lr, batch, actnorm) in [
                (2, 4, 1e-5, 8, false),
                (12, 4, 1e-1, 8, true),
                (12, 4, 1e-1, 8, false),
                (2, 128, 1e-1, 16, true),
            ] {
                let c = Config {
                    layers,
                    hidden,
                    lr,
                    dataset: dataset.clone(),
                    batch,
                    actnorm,
                    seed: 0,
                };
                let mut f = flow(c, i as u64);
                let r = f.step(40);
                if r.is_err() {
                    diverged += 1;
                    assert_eq!(f.step(1), r, "a diverged run stays stopped");
                }
                let v = f.view(8, 0);
                assert_eq!((v.nx, v.ny), (8, 1));
                assert_eq!(v.log_density.len(), 8);
                assert_eq!(v.samples.len(), VIEW_SAMPLES);
                assert_eq!(f.warp_grid(3, 1).len(), 6);
                assert_eq!(f.sample(10, &mut Rng::new(0)).dim(), (10, 2));
            }
        }
        // Diverging is allowed here (the point is no panic), but it must be reported, not silent.
        assert!(diverged <= 16);
        let f = flow(cfg(2, 4, true), 0);
        // Huge requests are clamped rather than exhausting memory.
        assert_eq!(f.sample(usize::MAX, &mut Rng::new(0)).nrows(), MAX_SAMPLES);
        assert_eq!(f.base_points(usize::MAX).nrows(), MAX_SAMPLES);
        let nan_box = Bbox {
            x_min: f32::NAN,
            x_max: 1.0,
            y_min: 0.0,
            y_max: 1.0,
        };
        assert!(f
            .log_density_grid(3, 3, nan_box)
            .iter()
            .all(|v| v.is_finite()));
        assert!(f
            .log_prob(Array2::zeros((2, 3)).view())
            .iter()
            .all(|v| v.is_nan()));
        assert!(f.mean_nll(Array2::zeros((0, 2)).view()).is_nan());
    }

    #[test]
    fn nan_injection_stops_with_diverged() {
        // A NaN weight in a coupling.
        let mut f = flow(cfg(4, 8, true), 51);
        f.step(3).unwrap_or_else(|e| panic!("{e}"));
        if let Some(p) = f.couplings[2].mlp.params_mut().nth(3) {
            *p = f32::NAN;
        }
        let r = f.step(5);
        assert!(
            matches!(
                r,
                Err(ModelError::Diverged {
                    model: Model::Flow,
                    step: 4,
                    ..
                })
            ),
            "{r:?}"
        );
        assert_eq!(f.step_count(), 4);
        assert_eq!(f.step(1), r);
        assert!(f.diverged().is_some());
        let msg = r.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(
            msg.contains("learning rate") && msg.contains("Reset"),
            "{msg}"
        );
        let v = f.view(4, 4);
        assert!(v.diverged.is_some());
        // An infinite ActNorm log-scale.
        let mut f = flow(cfg(3, 8, true), 52);
        f.actnorm.layers[1].w[[0, 0]] = f32::INFINITY;
        assert!(matches!(
            f.step(1),
            Err(ModelError::Diverged {
                model: Model::Flow,
                ..
            })
        ));
        // A huge (finite) weight is caught by the explosion check.
        let mut f = flow(cfg(3, 8, false), 53);
        f.couplings[0].mlp.layers[0].b[0] = 2.0 * MAX_WEIGHT;
        assert!(matches!(
            f.step(1),
            Err(ModelError::Diverged {
                model: Model::Flow,
                ..
            })
        ));
    }
}
