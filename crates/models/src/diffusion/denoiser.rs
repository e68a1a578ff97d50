//! The noise predictor eps_theta(x_t, t) on 2D data and its training loop.
//!
//! Input: x_t (2 numbers) concatenated with a sinusoidal embedding of s = t/T,
//! ```text
//! emb(t) = [sin(pi 2^k s), cos(pi 2^k s)]  for k = 0..K-1          (2K features)
//! h_0 = [x_t, emb(t)]  (B, 2 + 2K)  ->  MLP  ->  eps_theta(x_t, t)  (B, 2)
//! ```
//! Training (Ho et al. 2020, Alg. 1): x_0 ~ p*, t ~ U{1..T}, eps ~ N(0, I),
//! x_t = sqrt(alpha_bar_t) x_0 + sqrt(1 - alpha_bar_t) eps, and a gradient step on
//! ```text
//! L = 1/(2B) sum_i w_{t_i} ||eps_i - eps_theta(x_t_i, t_i)||^2
//! ```
//! with w_t = 1 for L_simple, and for the VLB-weighted loss
//! ```text
//! w_t = beta_t^2 / (2 sigma_t^2 alpha_t (1 - alpha_bar_t)),  sigma_t^2 = beta_t,
//! ```
//! normalised so that its mean over t = 1..T is 1. The normalisation only rescales the loss (Adam
//! is insensitive to a constant loss scale anyway) so the same learning rate and the same loss
//! axis work for both; what changes is the relative weight of the timesteps: the VLB puts most
//! weight on small t (and, for the cosine schedule, on the clipped last steps).
//! The 1/(2B) averages over the batch and the 2 coordinates: predicting eps_theta = 0 scores 1.

use super::config::{DiffusionConfig, LossKind};
use super::sample_data;
use super::sampler::Sampler;
use super::schedule::Schedule;
use super::timesteps::{discrete_t, sample_uniforms};
use crate::error::{Model, ModelError};
use crate::history::History;
use gentutor_nn::mlp::{Activation, Adam, Cache, Grads, Mlp, Optimizer};
use gentutor_rng::Rng;
use ndarray::{Array2, ArrayView2};

/// Writes the network input row [x, y, sin(pi 2^k s), cos(pi 2^k s) ...] for s = t/T.
fn write_input(row: &mut [f32], x: f32, y: f32, t: usize, steps: usize) {
    let s = t as f64 / steps.max(1) as f64;
    let mut it = row.iter_mut();
    if let Some(v) = it.next() {
        *v = x;
    }
    if let Some(v) = it.next() {
        *v = y;
    }
    let mut freq = std::f64::consts::PI;
    while let (Some(a), Some(b)) = (it.next(), it.next()) {
        let (sn, cs) = (freq * s).sin_cos();
        *a = sn as f32;
        *b = cs as f32;
        freq *= 2.0;
    }
}

/// Fills `input` (B, 2 + 2K) from points `x` (B, 2) all at the timesteps `ts` (B).
fn build_input(
    input: &mut Array2<f32>,
    x: ArrayView2<'_, f32>,
    ts: &[usize],
    steps: usize,
    width: usize,
) {
    let b = x.nrows();
    if input.dim() != (b, width) {
        *input = Array2::zeros((b, width));
    }
    for ((mut row, xr), &t) in input.rows_mut().into_iter().zip(x.rows()).zip(ts) {
        let (px, py) = (
            xr.get(0).copied().unwrap_or(0.0),
            xr.get(1).copied().unwrap_or(0.0),
        );
        if let Some(r) = row.as_slice_mut() {
            write_input(r, px, py, t, steps);
        }
    }
}

/// The eps-prediction network with its optimiser and training history.
#[derive(Debug, Clone)]
pub struct Denoiser {
    config: DiffusionConfig,
    seed: u64,
    schedule: Schedule,
    net: Mlp,
    opt: Adam,
    rng: Rng,
    /// Loss weights w_t, index t - 1 (all 1 for L_simple).
    weights: Vec<f32>,
    step: u64,
    diverged: Option<ModelError>,
    /// The loss curve (the shared [`History`]; the worker bytes keep their older layout).
    history: History,
    // Reused buffers (no per-step allocation at a stable batch size).
    cache: Cache,
    grads: Grads,
    input: Array2<f32>,
    eps: Array2<f32>,
    gout: Array2<f32>,
    us: Vec<f64>,
    ts: Vec<usize>,
}

/// The state of a [`Denoiser`] (not its scratch buffers), as [`Denoiser::from_bytes`] reads it.
#[derive(serde::Deserialize)]
struct Saved {
    config: DiffusionConfig,
    seed: u64,
    net: Mlp,
    opt: Adam,
    rng: Rng,
    step: u64,
    /// Step and message of a divergence.
    diverged: Option<(u64, String)>,
    losses: Vec<f32>,
    history_stride: usize,
    pending: (f64, usize),
}

/// [`Saved`] by reference, for [`Denoiser::to_bytes`] (same field order: same bytes).
#[derive(serde::Serialize)]
struct SavedRef<'a> {
    config: &'a DiffusionConfig,
    seed: u64,
    net: &'a Mlp,
    opt: &'a Adam,
    rng: &'a Rng,
    step: u64,
    diverged: Option<(u64, String)>,
    losses: &'a [f32],
    history_stride: usize,
    pending: (f64, usize),
}

impl Denoiser {
    /// A fresh denoiser for `config` (validated; pass `config.clamped()` for slider values),
    /// with every random choice (init, data, t, noise) derived from `seed`.
    pub fn new(config: &DiffusionConfig, seed: u64) -> Result<Self, ModelError> {
        // The t slider is a view setting: it never invalidates the model.
        let config = &DiffusionConfig {
            t: config.t.min(config.steps),
            ..config.clone()
        };
        config.validate()?;
        sample_data(&config.dataset, 1, &mut Rng::new(0))?;
        let schedule = config.schedule()?;
        let mut root = Rng::new(seed);
        let mut init = root.fork(1);
        let rng = root.split();
        let width = 2 + 2 * config.time_freqs;
        let mut sizes = vec![width];
        sizes.extend(std::iter::repeat_n(config.hidden, config.depth));
        sizes.push(2);
        let net = Mlp::new(
            &sizes,
            config.act.activation(),
            Activation::Identity,
            &mut init,
        );
        Ok(Denoiser::assemble(
            Saved {
                config: config.clone(),
                seed,
                opt: Adam::new(config.lr, 0.9, 0.999, 1e-8),
                net,
                rng,
                step: 0,
                diverged: None,
                losses: Vec::new(),
                history_stride: 1,
                pending: (0.0, 0),
            },
            schedule,
        ))
    }

    /// A denoiser from its state, with the schedule and loss weights it implies and fresh
    /// work buffers.
    fn assemble(s: Saved, schedule: Schedule) -> Denoiser {
        let width = 2 + 2 * s.config.time_freqs;
        Denoiser {
            grads: Grads::zeros_like(&s.net),
            weights: loss_weights(&schedule, s.config.loss),
            schedule,
            diverged: s.diverged.map(|(step, what)| ModelError::Diverged {
                model: Model::Diffusion,
                step,
                what,
            }),
            config: s.config,
            seed: s.seed,
            net: s.net,
            opt: s.opt,
            rng: s.rng,
            step: s.step,
            history: History::from_windows(
                &s.losses,
                s.history_stride as u64,
                (s.pending.0, s.pending.1 as u64),
            ),
            cache: Cache::default(),
            input: Array2::zeros((0, width)),
            eps: Array2::zeros((0, 2)),
            gout: Array2::zeros((0, 2)),
            us: Vec::new(),
            ts: Vec::new(),
        }
    }

    /// The whole training state as bytes (to train in a Web Worker and hand the run back).
    pub fn to_bytes(&self) -> Vec<u8> {
        // Borrowed, not cloned (but the curve's values): the worker sends this every frame.
        let (losses, stride, pending) = self.history.to_windows();
        let saved = SavedRef {
            config: &self.config,
            seed: self.seed,
            net: &self.net,
            opt: &self.opt,
            rng: &self.rng,
            step: self.step,
            diverged: self.diverged.as_ref().map(|e| match e {
                ModelError::Diverged {
                    model: Model::Diffusion,
                    step,
                    what,
                } => (*step, what.clone()),
                other => (self.step, other.to_string()),
            }),
            losses: &losses,
            history_stride: stride as usize,
            pending: (pending.0, pending.1 as usize),
        };
        postcard::to_allocvec(&saved).unwrap_or_default()
    }

    /// Inverse of [`Denoiser::to_bytes`]; refuses bytes that are not a valid run (settings
    /// validated, network shapes checked).
    pub fn from_bytes(bytes: &[u8]) -> Result<Denoiser, ModelError> {
        let bad = |why: String| ModelError::BadState(why);
        let s: Saved = postcard::from_bytes(bytes).map_err(|e| bad(e.to_string()))?;
        s.config.validate()?;
        let schedule = s.config.schedule()?;
        let mut sizes = vec![2 + 2 * s.config.time_freqs];
        sizes.extend(std::iter::repeat_n(s.config.hidden, s.config.depth));
        sizes.push(2);
        let shapes_ok = s.net.layers.len() + 1 == sizes.len()
            && s.net
                .layers
                .iter()
                .zip(sizes.windows(2))
                .all(|(l, w)| l.w.dim() == (w[0], w[1]) && l.b.len() == w[1]);
        if !shapes_ok || s.history_stride == 0 {
            return Err(bad("the network does not match the settings".into()));
        }
        Ok(Denoiser::assemble(s, schedule))
    }

    /// The settings this denoiser was built with.
    pub fn config(&self) -> &DiffusionConfig {
        &self.config
    }

    /// The seed it was built with.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Its noise schedule.
    pub fn schedule(&self) -> &Schedule {
        &self.schedule
    }

    /// Training steps taken.
    pub fn step_count(&self) -> u64 {
        self.step
    }

    /// The error that stopped training, if it diverged.
    pub fn diverged(&self) -> Option<&ModelError> {
        self.diverged.as_ref()
    }

    /// The training loss curve, (step, mean loss) points.
    pub fn loss_history(&self) -> &History {
        &self.history
    }

    /// The (normalised) loss weight w_t for t in 1..=T (clamped); 1 for L_simple.
    pub fn loss_weight(&self, t: usize) -> f64 {
        let i = t.clamp(1, self.schedule.steps()) - 1;
        self.weights.get(i).copied().unwrap_or(1.0) as f64
    }

    /// Runs `n` training steps. Stops at the first non-finite loss, gradient or weight and
    /// returns [`ModelError::Diverged`]; later calls return the same error without training.
    pub fn step(&mut self, n: usize) -> Result<(), ModelError> {
        for _ in 0..n {
            if let Some(e) = &self.diverged {
                return Err(e.clone());
            }
            if let Err(e) = self.step_once() {
                self.diverged = Some(e.clone());
                return Err(e);
            }
        }
        Ok(())
    }

    fn step_once(&mut self) -> Result<(), ModelError> {
        let b = self.config.batch;
        let steps = self.schedule.steps();
        let x0 = sample_data(&self.config.dataset, b, &mut self.rng)?;
        sample_uniforms(self.config.t_sampling, b, &mut self.rng, &mut self.us);
        self.ts.clear();
        self.ts
            .extend(self.us.iter().map(|&u| discrete_t(u, steps)));
        if self.eps.dim() != (b, 2) {
            self.eps = Array2::zeros((b, 2));
        }
        self.rng.fill_normal(self.eps.view_mut());
        let loss = loss_and_grads(
            &self.net,
            &self.schedule,
            &self.weights,
            x0.view(),
            self.eps.view(),
            &self.ts,
            Buffers {
                input: &mut self.input,
                cache: &mut self.cache,
                gout: &mut self.gout,
                grads: &mut self.grads,
            },
        );
        let fail = |what: &str| ModelError::Diverged {
            model: Model::Diffusion,
            step: self.step,
            what: what.to_string(),
        };
        if !loss.is_finite() {
            return Err(fail("the loss became NaN or infinite"));
        }
        if !self.grads.is_finite() {
            return Err(fail("a gradient became NaN or infinite"));
        }
        self.opt.apply(&mut self.net, &self.grads);
        if !self.net.is_finite() {
            return Err(fail("a network weight became NaN or infinite"));
        }
        self.step += 1;
        self.record(loss as f32);
        Ok(())
    }

    fn record(&mut self, loss: f32) {
        self.history.push(self.step, f64::from(loss));
    }

    /// eps_theta(x_t, t) for points `x_t` (n, 2) all at timestep t (clamped to 1..=T): (n, 2).
    pub fn predict_eps(&self, x_t: ArrayView2<'_, f32>, t: usize) -> Array2<f32> {
        let mut input = Array2::zeros((0, 0));
        let mut cache = Cache::default();
        self.predict_eps_into(x_t, t, &mut input, &mut cache);
        cache.output().to_owned()
    }

    /// [`Denoiser::predict_eps`] into reusable buffers; the result is `cache.output()`.
    pub(crate) fn predict_eps_into(
        &self,
        x_t: ArrayView2<'_, f32>,
        t: usize,
        input: &mut Array2<f32>,
        cache: &mut Cache,
    ) {
        let steps = self.schedule.steps();
        let t = t.clamp(1, steps);
        let ts = vec![t; x_t.nrows()];
        build_input(input, x_t, &ts, steps, self.net.in_dim());
        self.net.forward_into(input.view(), cache);
    }

    /// The unweighted per-timestep loss E||eps - eps_theta(x_t, t)||^2 / 2 for every t = 1..=T
    /// (entry t - 1), each estimated from `n_per_t` fresh (x_0, eps) pairs drawn from `seed`.
    /// Feeds the timestep-sampling demo and shows which t the model finds hard.
    pub fn per_t_loss(&self, n_per_t: usize, seed: u64) -> Result<Vec<f64>, ModelError> {
        let n = n_per_t.clamp(1, 4096);
        let mut rng = Rng::new(seed);
        let steps = self.schedule.steps();
        let mut input = Array2::zeros((0, 0));
        let mut cache = Cache::default();
        let mut eps = Array2::zeros((n, 2));
        (1..=steps)
            .map(|t| {
                let x0 = sample_data(&self.config.dataset, n, &mut rng)?;
                rng.fill_normal(eps.view_mut());
                let ab = self.schedule.alpha_bar(t);
                let xt = &x0 * (ab.sqrt() as f32) + &eps * ((1.0 - ab).sqrt() as f32);
                self.predict_eps_into(xt.view(), t, &mut input, &mut cache);
                let se: f64 = cache
                    .output()
                    .iter()
                    .zip(eps.iter())
                    .map(|(&p, &e)| ((p - e) as f64).powi(2))
                    .sum();
                Ok(se / (2 * n) as f64)
            })
            .collect()
    }

    /// A DDPM sampler for this denoiser, starting from x_T ~ N(0, I) (see [`Sampler`]).
    pub fn sampler(&self, n_points: usize, seed: u64) -> Sampler {
        Sampler::new(n_points, seed)
    }

    /// Runs a whole DDPM sampling chain (T steps) and returns x_0 (n, 2).
    pub fn sample(&self, n_points: usize, seed: u64) -> Result<Array2<f32>, ModelError> {
        let mut s = Sampler::new(n_points, seed);
        s.step(self, usize::MAX)?;
        Ok(s.current().to_owned())
    }
}

/// The loss weights w_t (index t - 1): 1 for L_simple; for the VLB
/// w_t = beta_t^2 / (2 sigma_t^2 alpha_t (1 - alpha_bar_t)) with sigma_t^2 = beta_t, divided by
/// its mean over t.
pub fn loss_weights(schedule: &Schedule, loss: LossKind) -> Vec<f32> {
    let steps = schedule.steps();
    match loss {
        LossKind::Simple => vec![1.0; steps],
        LossKind::Vlb => {
            let raw: Vec<f64> = (1..=steps)
                .map(|t| {
                    let beta = schedule.beta(t);
                    let sigma2 = beta;
                    let d = 2.0 * sigma2 * schedule.alpha(t) * (1.0 - schedule.alpha_bar(t));
                    if d > 0.0 {
                        beta * beta / d
                    } else {
                        0.0
                    }
                })
                .collect();
            let mean = raw.iter().sum::<f64>() / steps.max(1) as f64;
            let scale = if mean > 0.0 && mean.is_finite() {
                1.0 / mean
            } else {
                1.0
            };
            raw.iter().map(|w| (w * scale) as f32).collect()
        }
    }
}

/// Scratch buffers for [`loss_and_grads`].
struct Buffers<'a> {
    input: &'a mut Array2<f32>,
    cache: &'a mut Cache,
    gout: &'a mut Array2<f32>,
    grads: &'a mut Grads,
}

/// Forward and backward pass of the weighted denoising loss on one batch.
/// ```text
/// x_t = sqrt(alpha_bar_t) x_0 + sqrt(1 - alpha_bar_t) eps        x_0, eps, x_t: (B, 2)
/// r   = eps_theta([x_t, emb(t)]) - eps                           (B, 2)
/// L   = 1/(2B) sum_i w_{t_i} sum_d r_id^2
/// dL/d eps_theta = w_{t_i} r_id / B                               (B, 2), then MLP backprop
/// ```
/// Writes dL/dtheta into `buf.grads` and returns L (f64 accumulation).
fn loss_and_grads(
    net: &Mlp,
    schedule: &Schedule,
    weights: &[f32],
    x0: ArrayView2<'_, f32>,
    eps: ArrayView2<'_, f32>,
    ts: &[usize],
    buf: Buffers<'_>,
) -> f64 {
    let b = x0.nrows();
    let steps = schedule.steps();
    let mut xt = x0.to_owned();
    for ((mut row, er), &t) in xt.rows_mut().into_iter().zip(eps.rows()).zip(ts) {
        let ab = schedule.alpha_bar(t);
        let (a, s) = (ab.sqrt() as f32, (1.0 - ab).sqrt() as f32);
        for (x, &e) in row.iter_mut().zip(er.iter()) {
            *x = a * *x + s * e;
        }
    }
    build_input(buf.input, xt.view(), ts, steps, net.in_dim());
    net.forward_into(buf.input.view(), buf.cache);
    if buf.gout.dim() != (b, 2) {
        *buf.gout = Array2::zeros((b, 2));
    }
    let inv_b = 1.0 / b.max(1) as f32;
    let mut loss = 0.0f64;
    for (((mut g, p), e), &t) in buf
        .gout
        .rows_mut()
        .into_iter()
        .zip(buf.cache.output().rows())
        .zip(eps.rows())
        .zip(ts)
    {
        let w = weights.get(t.clamp(1, steps) - 1).copied().unwrap_or(1.0);
        for ((g, &p), &e) in g.iter_mut().zip(p.iter()).zip(e.iter()) {
            let r = p - e;
            loss += (w * r * r) as f64;
            *g = w * r * inv_b;
        }
    }
    net.backward_into(buf.cache, buf.gout.view(), Some(buf.grads));
    loss / (2 * b.max(1)) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diffusion::config::ActKind;
    use crate::diffusion::metrics::{energy_distance, mmd2};
    use crate::diffusion::schedule::ScheduleKind;
    use crate::diffusion::timesteps::TSampling;
    use crate::diffusion::Dataset2d;
    use crate::history::HISTORY_CAP;

    fn rel_err(a: f64, b: f64, floor: f64) -> f64 {
        (a - b).abs() / (a.abs() + b.abs()).max(floor)
    }

    /// Central differences of the batch loss w.r.t. every parameter, for both losses and both
    /// schedules. tanh hidden units keep the loss smooth (no ReLU kinks inside [-h, h]).
    /// Tolerance: 2e-2 relative with floor 1e-3 (f32 forward pass, h = 1e-2).
    #[test]
    fn gradient_check_both_losses() {
        for (loss, sched) in [
            (LossKind::Simple, ScheduleKind::Linear),
            (LossKind::Vlb, ScheduleKind::Linear),
            (LossKind::Vlb, ScheduleKind::Cosine),
        ] {
            let config = DiffusionConfig {
                hidden: 6,
                depth: 2,
                time_freqs: 2,
                act: ActKind::Tanh,
                loss,
                schedule: sched,
                steps: 100,
                t: 10,
                ..DiffusionConfig::default()
            };
            let d = Denoiser::new(&config, 4).expect("valid");
            let mut rng = Rng::new(9);
            let b = 8;
            let x0 = sample_data(&Dataset2d::TwoMoons, b, &mut rng).expect("data");
            let mut eps = Array2::zeros((b, 2));
            rng.fill_normal(eps.view_mut());
            // Include t = 1 and t = T, where the VLB weights are most extreme.
            let ts: Vec<usize> = vec![1, 2, 5, 20, 50, 80, 99, 100];
            let eval = |net: &Mlp, grads: &mut Grads| {
                let (mut input, mut cache, mut gout) = (
                    Array2::zeros((0, 0)),
                    Cache::default(),
                    Array2::zeros((0, 0)),
                );
                loss_and_grads(
                    net,
                    &d.schedule,
                    &d.weights,
                    x0.view(),
                    eps.view(),
                    &ts,
                    Buffers {
                        input: &mut input,
                        cache: &mut cache,
                        gout: &mut gout,
                        grads,
                    },
                )
            };
            let mut grads = Grads::zeros_like(&d.net);
            let l0 = eval(&d.net, &mut grads);
            assert!(l0.is_finite() && l0 > 0.0);
            let analytic = grads.flat();
            let h = 1e-2f32;
            let mut scratch = Grads::zeros_like(&d.net);
            for (i, &ana) in analytic.iter().enumerate() {
                let mut at = |delta: f32| {
                    let mut m = d.net.clone();
                    if let Some(p) = m.params_mut().nth(i) {
                        *p += delta;
                    }
                    eval(&m, &mut scratch)
                };
                let num = (at(h) - at(-h)) / (2.0 * h as f64);
                assert!(
                    rel_err(num, ana as f64, 1e-3) < 2e-2,
                    "{loss:?}/{sched:?} param {i}: numeric {num} analytic {ana}"
                );
            }
        }
    }

    #[test]
    fn vlb_weights_are_normalised_and_favour_small_t() {
        let s = Schedule::linear(1000).expect("valid");
        let w = loss_weights(&s, LossKind::Vlb);
        let mean = w.iter().map(|&x| x as f64).sum::<f64>() / 1000.0;
        assert!((mean - 1.0).abs() < 1e-5);
        assert!(w[0] > 10.0 * w[500], "{} vs {}", w[0], w[500]);
        // Raw w_1 = beta_1 / (2 alpha_1 beta_1) = 1 / (2 alpha_1) (tilde: 1 - alpha_bar_1 = beta_1).
        let raw_1 = 1.0 / (2.0 * (1.0 - 1e-4));
        let raw_mean = raw_1 / w[0] as f64;
        assert!(raw_mean > 0.0 && raw_mean < raw_1);
        assert!(loss_weights(&s, LossKind::Simple).iter().all(|&x| x == 1.0));
    }

    fn train_config() -> DiffusionConfig {
        DiffusionConfig {
            steps: 100,
            hidden: 64,
            depth: 2,
            time_freqs: 4,
            batch: 128,
            lr: 3e-3,
            ..DiffusionConfig::default()
        }
    }

    /// Fixed seed, 1500 steps on two moons with T = 100: the samples' energy distance to fresh
    /// data drops below 0.03, and below 1/5 of pure N(0, I) noise's distance to the same data.
    #[test]
    fn training_learns_the_data() {
        let config = train_config();
        let mut d = Denoiser::new(&config, 1).expect("valid");
        d.step(1500).expect("stable");
        assert_eq!(d.step_count(), 1500);
        let hist: Vec<f32> = d.loss_history().points().iter().map(|p| p[1]).collect();
        let first: f32 = hist[..50].iter().sum::<f32>() / 50.0;
        let last: f32 = hist[hist.len() - 200..].iter().sum::<f32>() / 200.0;
        assert!(last < 0.8 * first, "loss {first} -> {last}");
        let data = sample_data(&Dataset2d::TwoMoons, 1000, &mut Rng::new(1234)).expect("data");
        let samples = d.sample(1000, 5).expect("finite");
        let mut noise = Array2::zeros((1000, 2));
        Rng::new(6).fill_normal(noise.view_mut());
        let e_model = energy_distance(samples.view(), data.view());
        let e_noise = energy_distance(noise.view(), data.view());
        let (m_model, _) = mmd2(samples.view(), data.view());
        let (m_noise, _) = mmd2(noise.view(), data.view());
        eprintln!("energy: model {e_model:.4} noise {e_noise:.4}; mmd2: model {m_model:.5} noise {m_noise:.5}");
        assert!(e_model < 0.03, "energy distance {e_model}");
        assert!(
            e_model < e_noise / 5.0,
            "model {e_model} vs noise {e_noise}"
        );
        assert!(
            m_model < m_noise / 5.0,
            "mmd2 model {m_model} vs noise {m_noise}"
        );
        // The per-t loss is available for every t and finite.
        let per_t = d.per_t_loss(16, 3).expect("valid data");
        assert_eq!(per_t.len(), 100);
        assert!(per_t.iter().all(|v| v.is_finite() && *v >= 0.0));
    }

    #[test]
    fn a_run_survives_the_trip_to_a_worker_and_back() {
        let cfg = DiffusionConfig {
            batch: 32,
            ..DiffusionConfig::default()
        };
        let mut a = Denoiser::new(&cfg, 3).expect("valid");
        assert!(a.step(15).is_ok());
        let bytes = a.to_bytes();
        let mut b = Denoiser::from_bytes(&bytes).expect("round trip");
        assert_eq!(b.step_count(), 15);
        assert_eq!(b.to_bytes(), bytes);
        assert!(a.step(10).is_ok());
        assert!(b.step(10).is_ok());
        assert_eq!(
            a.to_bytes(),
            b.to_bytes(),
            "optimiser and random state came along"
        );
        assert_eq!(a.loss_history(), b.loss_history());
        for bad in [&b""[..], &b"nonsense"[..], &bytes[..bytes.len() / 3]] {
            assert!(matches!(
                Denoiser::from_bytes(bad),
                Err(ModelError::BadState(_) | ModelError::InvalidConfig { .. })
            ));
        }
    }

    #[test]
    fn same_seed_same_run() {
        let config = DiffusionConfig {
            steps: 50,
            hidden: 8,
            batch: 16,
            ..DiffusionConfig::default()
        };
        let mut a = Denoiser::new(&config, 3).expect("valid");
        let mut b = Denoiser::new(&config, 3).expect("valid");
        a.step(20).expect("ok");
        b.step(20).expect("ok");
        assert_eq!(a.loss_history(), b.loss_history());
        assert_eq!(a.net, b.net);
        let mut c = Denoiser::new(&config, 4).expect("valid");
        c.step(20).expect("ok");
        assert_ne!(a.loss_history(), c.loss_history());
    }

    #[test]
    fn nan_stops_training_with_a_clear_error() {
        let mut d = Denoiser::new(&DiffusionConfig::default(), 1).expect("valid");
        d.step(2).expect("ok");
        if let Some(p) = d.net.params_mut().next() {
            *p = f32::NAN;
        }
        let e = d.step(5).expect_err("must stop");
        assert!(
            matches!(
                e,
                ModelError::Diverged {
                    model: Model::Diffusion,
                    step: 2,
                    ..
                }
            ),
            "{e}"
        );
        assert!(e.to_string().contains("learning rate"));
        assert_eq!(d.step_count(), 2);
        assert_eq!(d.diverged(), Some(&e));
        // Stays stopped.
        assert_eq!(d.step(1), Err(e));
        assert_eq!(d.loss_history().points().len(), 2);
        // Sampling from the broken net reports an error instead of panicking (the NaN goes
        // into the output bias: ReLU's max(z, 0) would swallow a NaN in a hidden layer).
        if let Some(p) = d.net.params_mut().last() {
            *p = f32::NAN;
        }
        assert!(matches!(
            d.sample(10, 1),
            Err(ModelError::SamplingDiverged { .. })
        ));
    }

    #[test]
    fn extreme_configs_never_panic() {
        let lo = DiffusionConfig {
            steps: 2,
            t: 0,
            n_points: 10,
            hidden: 4,
            depth: 1,
            time_freqs: 0,
            lr: 1.0,
            batch: 1,
            loss: LossKind::Vlb,
            schedule: ScheduleKind::Custom,
            beta_1: 0.999,
            beta_t: 1e-5,
            t_sampling: TSampling::LowDiscrepancy,
            ..DiffusionConfig::default()
        };
        let hi = DiffusionConfig {
            steps: 2000,
            hidden: 256,
            depth: 4,
            time_freqs: 12,
            lr: 1.0,
            batch: 64,
            schedule: ScheduleKind::Cosine,
            loss: LossKind::Vlb,
            ..DiffusionConfig::default()
        };
        for c in [lo, hi] {
            let mut d = Denoiser::new(&c, 7).expect("valid");
            // Either trains or stops cleanly.
            let r = d.step(30);
            assert!(
                r.is_ok()
                    || matches!(
                        r,
                        Err(ModelError::Diverged {
                            model: Model::Diffusion,
                            ..
                        })
                    )
            );
            let _ = d.sample(10, 2);
            let _ = d.per_t_loss(1, 1);
        }
        // Invalid configs are rejected with the field named; the clamped copy works.
        let bad = DiffusionConfig {
            hidden: 0,
            lr: f32::INFINITY,
            ..DiffusionConfig::default()
        };
        assert!(matches!(
            Denoiser::new(&bad, 1),
            Err(ModelError::InvalidConfig {
                field: "hidden",
                ..
            })
        ));
        assert!(Denoiser::new(&bad.clamped(), 1).is_ok());
        // An invalid custom drawing (too few points) is refused with the field named.
        let few = DiffusionConfig {
            dataset: Dataset2d::Custom(vec![[0.0, 0.0]]),
            ..DiffusionConfig::default()
        };
        assert!(matches!(
            Denoiser::new(&few, 1),
            Err(ModelError::InvalidConfig {
                field: "dataset",
                ..
            })
        ));
    }

    #[test]
    fn history_is_thinned_not_unbounded() {
        let config = DiffusionConfig {
            steps: 10,
            hidden: 4,
            depth: 1,
            batch: 1,
            ..DiffusionConfig::default()
        };
        let mut d = Denoiser::new(&config, 1).expect("valid");
        d.step(HISTORY_CAP * 2 + 10).expect("ok");
        let (points, stride) = (
            d.loss_history().points(),
            d.loss_history().stride() as usize,
        );
        assert!(points.len() < HISTORY_CAP);
        assert!(stride >= 2);
        let covered = points.len() * stride;
        assert!(
            covered <= HISTORY_CAP * 2 + 10 && covered + stride > HISTORY_CAP * 2 + 10 - stride
        );
        // The last point sits at the last step of its window.
        assert_eq!(points[points.len() - 1][0] as usize, covered);
    }
}
