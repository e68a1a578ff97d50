//! The digits flow demo's state machine: `new(config, data)`, `step(n)` (an error, not a panic,
//! on divergence), the exact test bits/dim, samples at a temperature, and the worker/checkpoint
//! bytes.

use super::config::FlowConfig;
use super::net::{self, FlowNet, Workspace};
use super::DIMS;
use crate::digits::{Digits, Split};
use crate::error::{Model, ModelError};
use crate::history::History;
use crate::train_loop::{self, guarded_update, Epochs, TrainStep};
use gentutor_nn::mlp::{Adam, Optimizer};
use gentutor_rng::Rng;
use ndarray::Array2;
use serde::{Deserialize, Serialize};

/// Test bits/dim is measured every this many steps (and at step 0).
pub const EVAL_EVERY: u64 = 100;
/// The noise of the test set's dequantisation: fixed, so the figure is reproducible.
pub const TEST_NOISE_SEED: u64 = 0xB175;
/// Training images used for the data-dependent ActNorm init.
const INIT_IMAGES: usize = 512;
/// A minibatch bits/dim above this counts as divergence (uniform over 17 levels is 4.09).
pub const MAX_BPD: f64 = 1e3;

/// Everything a run is, apart from the data (postcard bytes for the worker and checkpoints).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct State {
    config: FlowConfig,
    net: FlowNet,
    opt: Adam,
    rng: Rng,
    batches: Epochs,
    step: u64,
    train_bpd: History,
    test_bpd: History,
    last_test: f64,
}

/// A RealNVP training on the digits' standard training split.
#[derive(Debug, Clone)]
pub struct DigitsFlow {
    s: State,
    data: Digits,
    split: Split,
    ws: Workspace,
    batch_idx: Vec<usize>,
    error: Option<ModelError>,
}

/// What the demo draws each frame.
#[derive(Debug, Clone, PartialEq)]
pub struct FlowView {
    /// Samples (n, 64), pixel values as fractions of 16 in [0, 1].
    pub samples: Array2<f32>,
    pub temperature: f32,
    /// (step, minibatch bits/dim) and (step, test bits/dim).
    pub train_curve: Vec<[f32; 2]>,
    pub test_curve: Vec<[f32; 2]>,
    pub test_bpd: f64,
    pub step: u64,
}

impl DigitsFlow {
    /// A fresh flow on `data`'s standard split (settings are clamped into range first).
    pub fn new(config: &FlowConfig, data: Digits) -> Result<DigitsFlow, ModelError> {
        let config = config.clamped();
        let split = data.standard_split();
        if split.train.is_empty() || split.test.is_empty() {
            return Err(ModelError::BadState("the digits data set is empty".into()));
        }
        let mut rng = Rng::new(config.seed);
        let mut net = FlowNet::new(config.layers, config.hidden, &mut rng);
        let init: Vec<usize> = split.train.iter().copied().take(INIT_IMAGES).collect();
        net.init_actnorm(net::preprocess(&data, &init, &mut rng.fork(1)).y.view());
        let mut flow = DigitsFlow {
            s: State {
                opt: Adam::new(config.lr, 0.9, 0.999, 1e-8),
                batches: Epochs::new(split.train.clone()),
                config,
                net,
                rng,
                step: 0,
                train_bpd: History::default(),
                test_bpd: History::default(),
                last_test: f64::NAN,
            },
            data,
            split,
            ws: Workspace::default(),
            batch_idx: Vec::new(),
            error: None,
        };
        flow.record_test();
        Ok(flow)
    }

    /// A run that continues from trained weights (a shipped checkpoint) as if it had taken
    /// `steps` steps; the optimiser's moments start fresh. The settings are the checkpoint's.
    pub fn from_weights(
        w: super::checkpoint::FlowWeights,
        steps: u64,
        data: Digits,
    ) -> Result<DigitsFlow, ModelError> {
        let mut f = DigitsFlow::new(&w.config, data)?;
        if w.net.couplings.len() != f.s.net.couplings.len() {
            return Err(ModelError::BadState(
                "the checkpoint does not fit its settings".into(),
            ));
        }
        f.s.net = w.net;
        f.s.step = steps;
        f.s.test_bpd = History::default();
        f.record_test();
        Ok(f)
    }

    fn record_test(&mut self) {
        let t = self.test_bits_per_dim();
        self.s.last_test = t;
        if t.is_finite() {
            self.s.test_bpd.push(self.s.step, t);
        }
    }

    /// `n` steps: a minibatch, fresh dequantisation noise, one Adam step on the mean NLL. Stops
    /// at the first non-finite or exploding loss or parameter, and keeps returning that error.
    pub fn step(&mut self, n: usize) -> Result<(), ModelError> {
        train_loop::train(self, n)
    }

    /// The bits/dim of the module docs, averaged over the held-out test split, with the test
    /// set's fixed dequantisation noise ([`TEST_NOISE_SEED`]).
    pub fn test_bits_per_dim(&self) -> f64 {
        let pre = net::preprocess(&self.data, &self.split.test, &mut Rng::new(TEST_NOISE_SEED));
        let lp = self.s.net.log_prob(pre.y.view());
        let n = lp.len().max(1) as f64;
        lp.iter()
            .zip(&pre.log_jac)
            .map(|(&l, &j)| net::bits_per_dim(l, j))
            .sum::<f64>()
            / n
    }

    /// `n` samples at temperature `t` (z ~ N(0, t^2 I), then f^{-1} and the inverse logit),
    /// (n, 64) pixel fractions in [0, 1]; a non-finite pixel (a broken flow) shows as 0.
    pub fn samples(&self, n: usize, temperature: f32, seed: u64) -> Array2<f32> {
        let mut z = Array2::zeros((n, DIMS));
        Rng::new(seed).fill_normal(z.iter_mut());
        z *= temperature.max(0.0);
        let y = self.s.net.inverse(z.view());
        y.mapv(|v| if v.is_finite() { net::to_unit(v) } else { 0.0 })
    }

    /// The frame's view: `n` samples at the configured temperature.
    pub fn view(&self, n: usize, seed: u64) -> FlowView {
        FlowView {
            samples: self.samples(n, self.s.config.temperature, seed),
            temperature: self.s.config.temperature,
            train_curve: self.s.train_bpd.points().to_vec(),
            test_curve: self.s.test_bpd.points().to_vec(),
            test_bpd: self.s.last_test,
            step: self.s.step,
        }
    }

    /// Live settings: the learning rate, temperature and speed change the run in place.
    pub fn set_live(&mut self, lr: f32, temperature: f32, speed: usize) {
        let c = FlowConfig {
            lr,
            temperature,
            speed,
            ..self.s.config.clone()
        }
        .clamped();
        self.s.opt.lr = c.lr;
        self.s.config = c;
    }

    pub fn config(&self) -> &FlowConfig {
        &self.s.config
    }
    pub fn step_count(&self) -> u64 {
        self.s.step
    }
    pub fn diverged(&self) -> Option<&ModelError> {
        self.error.as_ref()
    }
    pub fn net(&self) -> &FlowNet {
        &self.s.net
    }
    /// The latest test bits/dim (measured every [`EVAL_EVERY`] steps).
    pub fn last_test_bpd(&self) -> f64 {
        self.s.last_test
    }
    /// The minibatch bits/dim averaged over the last `n` recorded points.
    pub fn recent_train_bpd(&self, n: usize) -> f32 {
        self.s.train_bpd.recent_mean(n)
    }

    /// The whole training state (not the data) as postcard bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        postcard::to_allocvec(&self.s).unwrap_or_default()
    }

    /// A run from [`DigitsFlow::to_bytes`] on `data`; refuses bytes whose network does not fit.
    pub fn from_bytes(bytes: &[u8], data: Digits) -> Result<DigitsFlow, ModelError> {
        let s: State =
            postcard::from_bytes(bytes).map_err(|e| ModelError::BadState(e.to_string()))?;
        let fits = s.net.logs.len() == DIMS
            && s.net.bias.len() == DIMS
            && s.net
                .couplings
                .iter()
                .all(|m| m.in_dim() == net::HALF && m.out_dim() == DIMS)
            && s.batches.fits(data.len());
        if !fits || !s.net.is_finite() {
            return Err(ModelError::BadState(
                "the flow's weights do not fit the digits".into(),
            ));
        }
        let split = data.standard_split();
        Ok(DigitsFlow {
            s,
            data,
            split,
            ws: Workspace::default(),
            batch_idx: Vec::new(),
            error: None,
        })
    }
}

impl TrainStep for DigitsFlow {
    const MODEL: Model = Model::DigitsFlow;
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
        let pre = net::preprocess(&self.data, &self.batch_idx, &mut s.rng);
        let nll = s.net.loss_and_grads(pre.y.view(), &mut self.ws);
        s.step += 1;
        let jac = pre.log_jac.iter().sum::<f64>() / pre.log_jac.len().max(1) as f64;
        let bpd = net::bits_per_dim(-nll, jac);
        guarded_update("the minibatch bits/dim", bpd, MAX_BPD, || {
            let count = s.net.param_count();
            s.opt
                .step_iter(s.net.params_mut(), self.ws.grads_iter(), count);
            s.net.is_finite()
        })?;
        s.train_bpd.push(s.step, bpd);
        if s.step.is_multiple_of(EVAL_EVERY) {
            self.record_test();
        }
        Ok(())
    }
}

#[cfg(test)]
impl DigitsFlow {
    pub(super) fn s_mut_for_test(&mut self) -> &mut FlowNet {
        &mut self.s.net
    }
}
