//! The bijection y <-> z: ActNorm and K affine couplings on 64 dimensions, their inverse, the
//! exact log-determinant, and the hand-written backward pass of the mean negative log-density.
//! Also the dequantisation + logit preprocessing and the bits/dim formula of the module docs.

use super::{ALPHA, DIMS, LEVELS, S_MAX};
use crate::digits::Digits;
use gentutor_nn::mlp::{Activation, Cache, Grads, Mlp};
use gentutor_rng::Rng;
use ndarray::{Array2, ArrayView2};
use serde::{Deserialize, Serialize};

/// Pixels kept (not transformed) by each coupling: half of the 64.
pub const HALF: usize = DIMS / 2;
const LN_2PI: f64 = 1.837_877_066_409_345_5;

/// The trainable flow: ActNorm (per-pixel log-scale and shift) and one conditioner MLP per
/// coupling. Postcard-serialised in checkpoints and worker state: do not reorder fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlowNet {
    /// ActNorm log-scales, 64.
    pub logs: Vec<f32>,
    /// ActNorm shifts, 64.
    pub bias: Vec<f32>,
    /// Conditioner of coupling k: 32 -> H -> H -> 64 ([r, t]).
    pub couplings: Vec<Mlp>,
}

/// Images after dequantisation and the logit: y (B, 64) and, per image, the preprocessing
/// log-Jacobian sum_j ln|dy_j/du_j| (nats; the -64 ln 17 of the cell volume is not included).
#[derive(Debug, Clone, PartialEq)]
pub struct Preprocessed {
    pub y: Array2<f32>,
    pub log_jac: Vec<f64>,
}

/// Reusable buffers of the training pass (one set per coupling), and the parameter gradients.
#[derive(Debug, Clone, Default)]
pub struct Workspace {
    inputs: Vec<Array2<f32>>,
    kept: Vec<Array2<f32>>,
    caches: Vec<Cache>,
    gout: Array2<f32>,
    g: Array2<f32>,
    /// d(mean NLL)/d(logs), d/d(bias), then each coupling's gradients.
    pub g_logs: Vec<f32>,
    pub g_bias: Vec<f32>,
    pub grads: Vec<Grads>,
}

/// Kept pixels A_k and transformed pixels B_k of coupling k (row-major pixel indices). The
/// masks cycle: checkerboard, its complement, top half, bottom half, left half, right half.
pub fn mask(k: usize) -> ([usize; HALF], [usize; HALF]) {
    let keep_pixel = |i: usize| {
        let (r, c) = (i / 8, i % 8);
        match k % 6 {
            0 => (r + c) % 2 == 0,
            1 => (r + c) % 2 == 1,
            2 => r < 4,
            3 => r >= 4,
            4 => c < 4,
            _ => c >= 4,
        }
    };
    let (mut keep, mut change) = ([0; HALF], [0; HALF]);
    let (mut a, mut b) = (0, 0);
    for i in 0..DIMS {
        if keep_pixel(i) {
            keep[a] = i;
            a += 1;
        } else {
            change[b] = i;
            b += 1;
        }
    }
    (keep, change)
}

/// Dequantises images `idx` of `data` with noise v ~ U[0,1) from `rng` and applies the logit
/// (module docs): y_j = logit(ALPHA + (1 - 2 ALPHA)(p_j + v_j)/17).
pub fn preprocess(data: &Digits, idx: &[usize], rng: &mut Rng) -> Preprocessed {
    let mut y = Array2::zeros((idx.len(), DIMS));
    let mut log_jac = vec![0.0; idx.len()];
    let ln_scale = f64::from(1.0 - 2.0 * ALPHA).ln();
    for ((mut row, &i), lj) in y.rows_mut().into_iter().zip(idx).zip(&mut log_jac) {
        for (o, &p) in row.iter_mut().zip(data.image(i)) {
            let u = (f64::from(p) + rng.uniform_f64()) / f64::from(LEVELS);
            let s = f64::from(ALPHA) + f64::from(1.0 - 2.0 * ALPHA) * u;
            *o = (s.ln() - (1.0 - s).ln()) as f32;
            *lj += ln_scale - s.ln() - (1.0 - s).ln();
        }
    }
    Preprocessed { y, log_jac }
}

/// The inverse of the preprocessing for display: y -> s = sigmoid(y) -> u -> the pixel value
/// it dequantises from, as a fraction of 16 clamped to [0, 1] (u = (p + 1/2)/17 gives p/16).
pub fn to_unit(y: f32) -> f32 {
    let s = 1.0 / (1.0 + (-y).exp());
    let u = (s - ALPHA) / (1.0 - 2.0 * ALPHA);
    ((u * LEVELS - 0.5) / (LEVELS - 1.0)).clamp(0.0, 1.0)
}

/// bits/dim of the module docs from ln p_Y(y) and the preprocessing log-Jacobian (both nats).
pub fn bits_per_dim(log_p_y: f64, log_jac: f64) -> f64 {
    let dims = DIMS as f64;
    -(log_p_y + log_jac - dims * f64::from(LEVELS).ln()) / (dims * std::f64::consts::LN_2)
}

fn gather(h: &Array2<f32>, idx: &[usize; HALF], out: &mut Array2<f32>) {
    if out.dim() != (h.nrows(), HALF) {
        *out = Array2::zeros((h.nrows(), HALF));
    }
    for (mut o, r) in out.rows_mut().into_iter().zip(h.rows()) {
        for (o, &j) in o.iter_mut().zip(idx) {
            *o = r[j];
        }
    }
}

impl FlowNet {
    /// `layers` couplings with hidden width `hidden`; ActNorm and every coupling start as the
    /// identity (zero last layer), so training starts from z = y.
    pub fn new(layers: usize, hidden: usize, rng: &mut Rng) -> FlowNet {
        let couplings = (0..layers)
            .map(|_| {
                let mut m = Mlp::new(
                    &[HALF, hidden, hidden, DIMS],
                    Activation::Tanh,
                    Activation::Identity,
                    rng,
                );
                if let Some(last) = m.layers.last_mut() {
                    last.w.fill(0.0);
                    last.b.fill(0.0);
                }
                m
            })
            .collect();
        FlowNet {
            logs: vec![0.0; DIMS],
            bias: vec![0.0; DIMS],
            couplings,
        }
    }

    /// Data-dependent ActNorm init (Kingma & Dhariwal 2018): per pixel, logs = -ln sd and
    /// bias = -mean / sd over `y` (B, 64), so the couplings see standardised inputs. The sd is
    /// floored at 1e-2 (a pixel that is always 0 still has its dequantisation spread).
    pub fn init_actnorm(&mut self, y: ArrayView2<'_, f32>) {
        let n = y.nrows().max(1) as f64;
        for j in 0..DIMS {
            let col = y.column(j);
            let mean = col.iter().map(|&v| f64::from(v)).sum::<f64>() / n;
            let var = col
                .iter()
                .map(|&v| (f64::from(v) - mean).powi(2))
                .sum::<f64>()
                / n;
            let sd = var.sqrt().max(1e-2);
            self.logs[j] = (-sd.ln()) as f32;
            self.bias[j] = (-mean / sd) as f32;
        }
    }

    pub fn param_count(&self) -> usize {
        2 * DIMS + self.couplings.iter().map(Mlp::param_count).sum::<usize>()
    }

    /// Every parameter in a fixed order (logs, bias, coupling 0, 1, ...).
    pub fn params_mut(&mut self) -> impl Iterator<Item = &mut f32> {
        self.logs
            .iter_mut()
            .chain(self.bias.iter_mut())
            .chain(self.couplings.iter_mut().flat_map(|m| m.params_mut()))
    }

    pub fn params_flat(&self) -> Vec<f32> {
        let mut v = self.logs.clone();
        v.extend_from_slice(&self.bias);
        for m in &self.couplings {
            v.extend(m.params_flat());
        }
        v
    }

    pub fn is_finite(&self) -> bool {
        self.logs.iter().chain(&self.bias).all(|v| v.is_finite())
            && self.couplings.iter().all(Mlp::is_finite)
    }

    fn actnorm(&self, h: &mut Array2<f32>, ld: &mut [f64]) {
        let e: Vec<f32> = self.logs.iter().map(|l| l.exp()).collect();
        for mut r in h.rows_mut() {
            for ((v, e), b) in r.iter_mut().zip(&e).zip(&self.bias) {
                *v = *v * e + b;
            }
        }
        let sum: f64 = self.logs.iter().map(|&l| f64::from(l)).sum();
        ld.iter_mut().for_each(|l| *l += sum);
    }

    /// Coupling k in place on h (B, 64), adding sum_j s_j to ld (B):
    /// `[r, t] = MLP_k(h_A)`, `y_B = h_B exp(s) + t`, `s = S_MAX tanh(r / S_MAX)`.
    fn coupling(
        &self,
        k: usize,
        h: &mut Array2<f32>,
        ld: &mut [f64],
        a: &mut Array2<f32>,
        cache: &mut Cache,
    ) {
        let (keep, change) = mask(k);
        gather(h, &keep, a);
        self.couplings[k].forward_into(a.view(), cache);
        let out = cache.output();
        for ((mut r, o), l) in h.rows_mut().into_iter().zip(out.rows()).zip(ld.iter_mut()) {
            let mut sum = 0.0f32;
            for (j, &i) in change.iter().enumerate() {
                let s = S_MAX * (o[j] / S_MAX).tanh();
                r[i] = r[i] * s.exp() + o[HALF + j];
                sum += s;
            }
            *l += f64::from(sum);
        }
    }

    /// z = f(y) and ln|det df/dy| per row: y (B, 64) -> (z (B, 64), logdet (B)).
    pub fn forward(&self, y: ArrayView2<'_, f32>) -> (Array2<f32>, Vec<f64>) {
        let mut h = y.to_owned();
        let mut ld = vec![0.0; y.nrows()];
        self.actnorm(&mut h, &mut ld);
        let (mut a, mut cache) = (Array2::zeros((0, 0)), Cache::default());
        for k in 0..self.couplings.len() {
            self.coupling(k, &mut h, &mut ld, &mut a, &mut cache);
        }
        (h, ld)
    }

    /// ln p_Y(y) = ln N(f(y); 0, I) + ln|det df/dy| per row (nats).
    pub fn log_prob(&self, y: ArrayView2<'_, f32>) -> Vec<f64> {
        let (z, ld) = self.forward(y);
        z.rows()
            .into_iter()
            .zip(ld)
            .map(|(r, l)| {
                let sq: f64 = r.iter().map(|&v| f64::from(v) * f64::from(v)).sum();
                -0.5 * sq - 0.5 * DIMS as f64 * LN_2PI + l
            })
            .collect()
    }

    /// y = f^{-1}(z) (B, 64): couplings undone last to first (`h_B = (y_B - t) exp(-s)`, with
    /// [r, t] computed from the kept half, which the coupling left unchanged), then ActNorm.
    pub fn inverse(&self, z: ArrayView2<'_, f32>) -> Array2<f32> {
        let mut h = z.to_owned();
        let (mut a, mut cache) = (Array2::zeros((0, 0)), Cache::default());
        for k in (0..self.couplings.len()).rev() {
            let (keep, change) = mask(k);
            gather(&h, &keep, &mut a);
            self.couplings[k].forward_into(a.view(), &mut cache);
            let out = cache.output();
            for (mut r, o) in h.rows_mut().into_iter().zip(out.rows()) {
                for (j, &i) in change.iter().enumerate() {
                    let s = S_MAX * (o[j] / S_MAX).tanh();
                    r[i] = (r[i] - o[HALF + j]) * (-s).exp();
                }
            }
        }
        for mut r in h.rows_mut() {
            for ((v, l), b) in r.iter_mut().zip(&self.logs).zip(&self.bias) {
                *v = (*v - b) * (-l).exp();
            }
        }
        h
    }

    /// The mean negative log-density L = -(1/B) sum_i ln p_Y(y_i) (nats per image) and its
    /// gradient w.r.t. every parameter, written into `ws.g_logs`, `ws.g_bias`, `ws.grads`.
    ///
    /// With c = 1/B, dL/dz = c z and dL/d(ln|det|) = -c per row. Back through coupling k
    /// (input h, output y, e = exp(s), th = tanh(r / S_MAX)), per row and transformed j:
    /// ```text
    /// dL/dt_j = g_{y_Bj};   dL/ds_j = g_{y_Bj} h_Bj e_j - c;   dL/dr_j = dL/ds_j (1 - th_j^2)
    /// g_{h_Bj} = g_{y_Bj} e_j;   g_{h_A} = g_{y_A} + MLP_k input gradient of [dL/dr, dL/dt]
    /// ```
    /// and through ActNorm h = y exp(logs) + bias:
    /// dL/dlogs_j = sum_i g_ij (h_ij - bias_j) - B c,  dL/dbias_j = sum_i g_ij.
    pub fn loss_and_grads(&self, y: ArrayView2<'_, f32>, ws: &mut Workspace) -> f64 {
        let b = y.nrows();
        let n = self.couplings.len();
        let c = 1.0 / b.max(1) as f32;
        let mut h = y.to_owned();
        let mut ld = vec![0.0; b];
        self.actnorm(&mut h, &mut ld);
        ws.inputs.resize_with(n, || Array2::zeros((0, 0)));
        ws.kept.resize_with(n, || Array2::zeros((0, 0)));
        ws.caches.resize_with(n, Cache::default);
        for k in 0..n {
            ws.inputs[k].clone_from(&h);
            self.coupling(k, &mut h, &mut ld, &mut ws.kept[k], &mut ws.caches[k]);
        }
        let mut loss = 0.0;
        for (r, l) in h.rows().into_iter().zip(&ld) {
            let sq: f64 = r.iter().map(|&v| f64::from(v) * f64::from(v)).sum();
            loss += 0.5 * sq + 0.5 * DIMS as f64 * LN_2PI - l;
        }
        loss /= b.max(1) as f64;
        ws.g = h.mapv(|v| v * c);
        if ws.grads.len() != n {
            ws.grads = self.couplings.iter().map(Grads::zeros_like).collect();
        }
        if ws.gout.dim() != (b, DIMS) {
            ws.gout = Array2::zeros((b, DIMS));
        }
        for k in (0..n).rev() {
            let (keep, change) = mask(k);
            let input = &ws.inputs[k];
            {
                let out = ws.caches[k].output();
                for i in 0..b {
                    for (j, &p) in change.iter().enumerate() {
                        let th = (out[[i, j]] / S_MAX).tanh();
                        let e = (S_MAX * th).exp();
                        let gy = ws.g[[i, p]];
                        let gs = gy * input[[i, p]] * e - c;
                        ws.gout[[i, j]] = gs * (1.0 - th * th);
                        ws.gout[[i, HALF + j]] = gy;
                        ws.g[[i, p]] = gy * e;
                    }
                }
            }
            self.couplings[k].backward_into(
                &mut ws.caches[k],
                ws.gout.view(),
                Some(&mut ws.grads[k]),
            );
            let ga = ws.caches[k].input_grad();
            for i in 0..b {
                for (j, &p) in keep.iter().enumerate() {
                    ws.g[[i, p]] += ga[[i, j]];
                }
            }
        }
        // h at the ActNorm output is the first coupling's input (or the flow output if K = 0).
        let h0 = ws.inputs.first().unwrap_or(&h);
        ws.g_logs = vec![-(b as f32) * c; DIMS];
        ws.g_bias = vec![0.0; DIMS];
        for (gr, hr) in ws.g.rows().into_iter().zip(h0.rows()) {
            for j in 0..DIMS {
                ws.g_logs[j] += gr[j] * (hr[j] - self.bias[j]);
                ws.g_bias[j] += gr[j];
            }
        }
        loss
    }
}

impl Workspace {
    /// The gradients flattened in [`FlowNet::params_mut`] order.
    pub fn grads_flat(&self) -> Vec<f32> {
        let mut v = self.g_logs.clone();
        v.extend_from_slice(&self.g_bias);
        for g in &self.grads {
            v.extend(g.flat());
        }
        v
    }

    /// The gradients in [`FlowNet::params_mut`] order, without copying.
    pub fn grads_iter(&self) -> impl Iterator<Item = &f32> {
        self.g_logs.iter().chain(&self.g_bias).chain(
            self.grads
                .iter()
                .flat_map(|g| g.layers.iter().flat_map(|l| l.w.iter().chain(l.b.iter()))),
        )
    }
}
