//! The noise predictor eps_theta(x_t, t) on 64 pixels, its L_simple loss with the gradient, and
//! the forward process in closed form.

use super::config::{DiffusionDigitsConfig, DigitsSchedule};
use super::{DIMS, EMB_FREQS};
use crate::diffusion::Schedule;
use crate::error::ModelError;
use gentutor_nn::mlp::{Activation, Cache, Grads, Mlp};
use gentutor_rng::Rng;
use ndarray::{Array2, ArrayView2};
use serde::{Deserialize, Serialize};

/// Input width: the 64 pixels of x_t and the 2 K embedding features.
pub const INPUT: usize = DIMS + 2 * EMB_FREQS;

/// The denoiser's weights and the diffusion it was trained for. Postcard-serialised in
/// checkpoints and worker state: do not reorder fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DigitsDenoiser {
    /// [x_t, emb(t)] (B, 64 + 2K) -> H -> ... -> H -> eps (B, 64).
    pub mlp: Mlp,
    /// Diffusion steps T.
    pub steps: usize,
    pub schedule: DigitsSchedule,
}

/// Reusable buffers of a training step.
#[derive(Debug, Clone, Default)]
pub struct Workspace {
    input: Array2<f32>,
    gout: Array2<f32>,
    cache: Cache,
    /// d L_simple / d theta of the last [`DigitsDenoiser::loss_and_grads`].
    pub grads: Option<Grads>,
}

/// emb(t) = [sin(pi 2^k t/T), cos(pi 2^k t/T)] for k = 0..K-1, written into `out` (2K).
pub fn embed(t: usize, steps: usize, out: &mut [f32]) {
    let s = t as f32 / steps.max(1) as f32;
    for k in 0..EMB_FREQS {
        let a = std::f32::consts::PI * (1u32 << k) as f32 * s;
        out[2 * k] = a.sin();
        out[2 * k + 1] = a.cos();
    }
}

/// x_t = sqrt(alpha_bar_t) x_0 + sqrt(1 - alpha_bar_t) eps, row by row with each row's t_i:
/// x_0, eps (B, 64), ts (B) in 1..=T -> x_t (B, 64).
pub fn q_sample(
    schedule: &Schedule,
    x0: ArrayView2<'_, f32>,
    ts: &[usize],
    eps: ArrayView2<'_, f32>,
) -> Array2<f32> {
    let mut xt = x0.to_owned();
    for ((mut r, e), &t) in xt.rows_mut().into_iter().zip(eps.rows()).zip(ts) {
        let ab = schedule.alpha_bar(t);
        let (a, b) = (ab.sqrt() as f32, (1.0 - ab).sqrt() as f32);
        r.zip_mut_with(&e, |x, &e| *x = a * *x + b * e);
    }
    xt
}

impl DigitsDenoiser {
    /// A fresh denoiser for `config` (clamped first), weights from `rng`.
    pub fn new(config: &DiffusionDigitsConfig, rng: &mut Rng) -> DigitsDenoiser {
        let c = config.clamped();
        let mut sizes = vec![INPUT];
        sizes.extend(std::iter::repeat_n(c.hidden, c.depth));
        sizes.push(DIMS);
        DigitsDenoiser {
            mlp: Mlp::new(&sizes, Activation::Relu, Activation::Identity, rng),
            steps: c.steps,
            schedule: c.schedule,
        }
    }

    /// The noise schedule of this denoiser (rebuilt: it is O(T) and not serialised).
    pub fn noise_schedule(&self) -> Result<Schedule, ModelError> {
        Schedule::new(self.schedule.kind(), self.steps, 0.0, 0.0)
    }

    fn fill_input(&self, xt: ArrayView2<'_, f32>, ts: &[usize], input: &mut Array2<f32>) {
        if input.dim() != (xt.nrows(), INPUT) {
            *input = Array2::zeros((xt.nrows(), INPUT));
        }
        for ((mut r, x), &t) in input.rows_mut().into_iter().zip(xt.rows()).zip(ts) {
            let Some(row) = r.as_slice_mut() else {
                continue;
            };
            for (o, &v) in row[..DIMS].iter_mut().zip(x.iter()) {
                *o = v;
            }
            embed(t, self.steps, &mut row[DIMS..]);
        }
    }

    /// eps_theta(x_t, t) for a batch at one timestep: x_t (B, 64) -> (B, 64).
    pub fn predict_eps(&self, xt: ArrayView2<'_, f32>, t: usize) -> Array2<f32> {
        let ts = vec![t; xt.nrows()];
        let mut input = Array2::zeros((0, 0));
        self.fill_input(xt, &ts, &mut input);
        self.mlp.forward(input.view()).0
    }

    /// L_simple of one minibatch and its gradient (into `ws.grads`):
    /// ```text
    /// x_t = q_sample(x_0, t, eps);  e = eps_theta(x_t, t) (B, 64)
    /// L = 1/(64 B) sum_{i,j} (e_ij - eps_ij)^2;   dL/de = 2 (e - eps) / (64 B)
    /// ```
    /// then the MLP's backward pass from dL/de.
    pub fn loss_and_grads(
        &self,
        schedule: &Schedule,
        x0: ArrayView2<'_, f32>,
        ts: &[usize],
        eps: ArrayView2<'_, f32>,
        ws: &mut Workspace,
    ) -> f64 {
        let xt = q_sample(schedule, x0, ts, eps);
        self.fill_input(xt.view(), ts, &mut ws.input);
        self.mlp.forward_into(ws.input.view(), &mut ws.cache);
        let n = (x0.nrows() * DIMS).max(1) as f32;
        let out = ws.cache.output();
        if ws.gout.dim() != out.dim() {
            ws.gout = Array2::zeros(out.dim());
        }
        let mut loss = 0.0f64;
        ndarray::Zip::from(&mut ws.gout)
            .and(&out)
            .and(&eps)
            .for_each(|g, &e, &target| {
                let d = e - target;
                loss += f64::from(d * d);
                *g = 2.0 * d / n;
            });
        let grads = ws.grads.get_or_insert_with(|| Grads::zeros_like(&self.mlp));
        self.mlp
            .backward_into(&mut ws.cache, ws.gout.view(), Some(grads));
        loss / f64::from(n)
    }
}
