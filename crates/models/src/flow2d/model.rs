//! Building a flow, and everything that reads it: the forward (normalizing) and inverse
//! (generative) passes, log-densities, samples and the views the demo draws.

use super::*;
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
    pub(super) fn init_actnorm(&mut self, mut h: Array2<f32>) {
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
    pub(super) fn actnorm_forward(&self, k: usize, h: &mut Array2<f32>) -> f32 {
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
    pub(super) fn actnorm_inverse(&self, k: usize, y: &mut Array2<f32>) {
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
    pub(super) fn coupling_forward(
        &self,
        k: usize,
        h: &mut Array2<f32>,
        logdet: Option<&mut Array1<f32>>,
    ) {
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
    pub(super) fn coupling_inverse(&self, k: usize, y: &mut Array2<f32>) {
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
    pub(super) fn inverse_partial(&self, u: ArrayView2<'_, f32>, stages: usize) -> Array2<f32> {
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
}
