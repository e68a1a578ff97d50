//! The digits diffusion demo's state machine: `new(config, data)`, `step(n)` (an error, not a
//! panic, on divergence), the loss curve, samplers, and the worker/checkpoint bytes.

use super::config::DiffusionDigitsConfig;
use super::model::{DigitsDenoiser, Workspace};
use super::sampler::DigitsSampler;
use super::{to_x0, DIMS};
use crate::diffusion::Schedule;
use crate::digits::{Digits, Split};
use crate::error::{Model, ModelError};
use crate::history::History;
use crate::train_loop::{self, guarded_update, Epochs, TrainStep};
use gentutor_nn::mlp::{Adam, Optimizer};
use gentutor_rng::Rng;
use ndarray::Array2;
use serde::{Deserialize, Serialize};

/// A minibatch loss above this counts as divergence (predicting 0 scores 1).
pub const MAX_LOSS: f64 = 1e3;

/// Everything a run is, apart from the data (postcard bytes for the worker and checkpoints).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct State {
    config: DiffusionDigitsConfig,
    net: DigitsDenoiser,
    opt: Adam,
    rng: Rng,
    batches: Epochs,
    step: u64,
    loss: History,
}

/// A DDPM training on the digits' standard training split.
#[derive(Debug, Clone)]
pub struct DigitsDiffusion {
    s: State,
    data: Digits,
    split: Split,
    schedule: Schedule,
    ws: Workspace,
    x0: Array2<f32>,
    eps: Array2<f32>,
    ts: Vec<usize>,
    batch_idx: Vec<usize>,
    error: Option<ModelError>,
}

/// What the loss plot draws.
#[derive(Debug, Clone, PartialEq)]
pub struct DiffusionView {
    pub loss_curve: Vec<[f32; 2]>,
    pub step: u64,
    pub steps_t: usize,
}

/// Images `idx` of `data` as x_0 in [-1, 1], (B, 64).
pub fn x0_batch(data: &Digits, idx: &[usize]) -> Array2<f32> {
    let mut x = Array2::zeros((idx.len(), DIMS));
    for (mut r, &i) in x.rows_mut().into_iter().zip(idx) {
        for (o, &p) in r.iter_mut().zip(data.image(i)) {
            *o = to_x0(p);
        }
    }
    x
}

impl DigitsDiffusion {
    /// A fresh denoiser on `data`'s standard split (settings are clamped into range first).
    pub fn new(
        config: &DiffusionDigitsConfig,
        data: Digits,
    ) -> Result<DigitsDiffusion, ModelError> {
        let config = config.clamped();
        let mut rng = Rng::new(config.seed);
        let net = DigitsDenoiser::new(&config, &mut rng);
        let opt = Adam::new(config.lr, 0.9, 0.999, 1e-8);
        let state = State {
            config,
            net,
            opt,
            rng,
            batches: Epochs::new(Vec::new()),
            step: 0,
            loss: History::default(),
        };
        Self::from_state(state, data)
    }

    /// A run that continues from a trained denoiser (a shipped checkpoint) as if it had taken
    /// `steps` steps; the optimiser's moments start fresh. The settings are the checkpoint's.
    pub fn from_weights(
        w: super::checkpoint::DiffusionWeights,
        steps: u64,
        data: Digits,
    ) -> Result<DigitsDiffusion, ModelError> {
        let mut m = DigitsDiffusion::new(&w.config, data)?;
        if w.denoiser.mlp.in_dim() != m.s.net.mlp.in_dim() || w.denoiser.steps != m.s.net.steps {
            return Err(ModelError::BadState(
                "the checkpoint does not fit its settings".into(),
            ));
        }
        m.s.net = w.denoiser;
        m.s.step = steps;
        Ok(m)
    }

    fn from_state(mut s: State, data: Digits) -> Result<DigitsDiffusion, ModelError> {
        let split = data.standard_split();
        if split.train.is_empty() {
            return Err(ModelError::BadState("the digits data set is empty".into()));
        }
        if s.batches.is_empty() {
            s.batches = Epochs::new(split.train.clone());
        }
        let schedule = s.net.noise_schedule()?;
        Ok(DigitsDiffusion {
            s,
            data,
            split,
            schedule,
            ws: Workspace::default(),
            x0: Array2::zeros((0, DIMS)),
            eps: Array2::zeros((0, DIMS)),
            ts: Vec::new(),
            batch_idx: Vec::new(),
            error: None,
        })
    }

    /// `n` steps of Ho et al.'s Alg. 1: a minibatch x_0, t ~ U{1..T}, eps ~ N(0, I), one Adam
    /// step on L_simple. Stops at the first non-finite or exploding loss or weight, and keeps
    /// returning that error.
    pub fn step(&mut self, n: usize) -> Result<(), ModelError> {
        train_loop::train(self, n)
    }

    /// L_simple on the held-out images, with fixed t and noise from `seed` (a less noisy
    /// figure than the minibatch curve).
    pub fn test_loss(&self, seed: u64) -> f64 {
        let mut rng = Rng::new(seed);
        let x0 = x0_batch(&self.data, &self.split.test);
        let ts: Vec<usize> = (0..x0.nrows())
            .map(|_| 1 + rng.below(self.s.net.steps))
            .collect();
        let mut eps = Array2::zeros(x0.dim());
        rng.fill_normal(eps.iter_mut());
        let mut ws = Workspace::default();
        self.s
            .net
            .loss_and_grads(&self.schedule, x0.view(), &ts, eps.view(), &mut ws)
    }

    /// A sampler of `n` images from noise (seeded), run by the page a few steps per frame.
    pub fn sampler(&self, n: usize, seed: u64) -> Result<DigitsSampler, ModelError> {
        DigitsSampler::new(&self.s.net, n, seed, self.s.config.clip)
    }

    /// `n` finished samples x_0 (n, 64) in [-1, 1] (all T reverse steps at once).
    pub fn sample(&self, n: usize, seed: u64) -> Result<Array2<f32>, ModelError> {
        let mut s = self.sampler(n, seed)?;
        s.step(&self.s.net, self.s.net.steps)?;
        Ok(s.current().clone())
    }

    pub fn view(&self) -> DiffusionView {
        DiffusionView {
            loss_curve: self.s.loss.points().to_vec(),
            step: self.s.step,
            steps_t: self.s.net.steps,
        }
    }

    /// Live settings: the learning rate, speed and clipping change the run in place.
    pub fn set_live(&mut self, lr: f32, speed: usize, clip: bool) {
        let c = DiffusionDigitsConfig {
            lr,
            speed,
            clip,
            ..self.s.config.clone()
        }
        .clamped();
        self.s.opt.lr = c.lr;
        self.s.config = c;
    }

    pub fn config(&self) -> &DiffusionDigitsConfig {
        &self.s.config
    }
    pub fn denoiser(&self) -> &DigitsDenoiser {
        &self.s.net
    }
    pub fn schedule(&self) -> &Schedule {
        &self.schedule
    }
    pub fn step_count(&self) -> u64 {
        self.s.step
    }
    pub fn diverged(&self) -> Option<&ModelError> {
        self.error.as_ref()
    }
    /// The minibatch loss averaged over the last `n` recorded points.
    pub fn recent_loss(&self, n: usize) -> f32 {
        self.s.loss.recent_mean(n)
    }

    /// The whole training state (not the data) as postcard bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        postcard::to_allocvec(&self.s).unwrap_or_default()
    }

    /// A run from [`DigitsDiffusion::to_bytes`] on `data`; refuses bytes that do not fit.
    pub fn from_bytes(bytes: &[u8], data: Digits) -> Result<DigitsDiffusion, ModelError> {
        let s: State =
            postcard::from_bytes(bytes).map_err(|e| ModelError::BadState(e.to_string()))?;
        let m = &s.net.mlp;
        let fits = m.in_dim() == super::model::INPUT
            && m.out_dim() == DIMS
            && crate::diffusion::schedule::STEPS.contains(&s.net.steps)
            && s.batches.fits(data.len());
        if !fits || !m.is_finite() {
            return Err(ModelError::BadState(
                "the denoiser's weights do not fit the digits".into(),
            ));
        }
        Self::from_state(s, data)
    }

    #[cfg(test)]
    pub(super) fn net_mut_for_test(&mut self) -> &mut DigitsDenoiser {
        &mut self.s.net
    }
}

impl TrainStep for DigitsDiffusion {
    const MODEL: Model = Model::Diffusion;
    fn kept_error(&mut self) -> &mut Option<ModelError> {
        &mut self.error
    }
    fn steps_taken(&self) -> u64 {
        self.s.step
    }
    fn one_step(&mut self) -> Result<(), String> {
        let s = &mut self.s;
        s.batches
            .next_batch(s.config.batch, &mut s.rng, &mut self.batch_idx);
        self.x0 = x0_batch(&self.data, &self.batch_idx);
        let b = self.batch_idx.len();
        self.ts.clear();
        for _ in 0..b {
            self.ts.push(1 + s.rng.below(s.net.steps));
        }
        if self.eps.dim() != (b, DIMS) {
            self.eps = Array2::zeros((b, DIMS));
        }
        s.rng.fill_normal(self.eps.iter_mut());
        let loss = s.net.loss_and_grads(
            &self.schedule,
            self.x0.view(),
            &self.ts,
            self.eps.view(),
            &mut self.ws,
        );
        s.step += 1;
        let grads = &self.ws.grads;
        guarded_update("the loss", loss, MAX_LOSS, || {
            if let Some(g) = grads {
                s.opt.apply(&mut s.net.mlp, g);
            }
            s.net.mlp.is_finite()
        })?;
        s.loss.push(s.step, loss);
        Ok(())
    }
}
