//! A small multilayer perceptron on `ndarray` f32 with hand-written forward and backward passes.
//!
//! Shared by the model demos (1D GAN, 2D flow, diffusion denoiser). Inputs are batch-major:
//! a batch of `B` vectors with `n_0` features is an array of shape `(B, n_0)`.
//!
//! Notation for a network with `L` dense layers, layer `l = 1..L`:
//!
//! ```text
//! h_0 = x                       (B, n_0)
//! z_l = h_{l-1} W_l + b_l       W_l: (n_{l-1}, n_l), b_l: (n_l), z_l: (B, n_l)
//! h_l = sigma_l(z_l)            sigma_l = hidden activation for l < L, output activation for l = L
//! y   = h_L                     (B, n_L)
//! ```
//!
//! Besides the usual gradient w.r.t. parameters, `backward` returns the gradient w.r.t. the INPUT
//! (a GAN's generator learns through the discriminator's input gradient), and
//! [`Mlp::forward_tangent`] / [`Mlp::backward_tangent`] give exact double backprop through a
//! directional input derivative (the WGAN-GP gradient penalty, 1D flow log-determinants).
//!
//! The pieces live in their own modules ([`crate::activation`], [`crate::dense`],
//! [`crate::optim`]) and are re-exported here, where the models import them from.

use crate::activation::{apply_act, mul_act_deriv};
pub use crate::activation::{fast_tanh, Activation};
use crate::dense::{affine, bias_grad, ensure_shapes, matmul, matmul_nt, matmul_tn};
pub use crate::dense::{Dense, Grads};
pub use crate::optim::{Adam, AnyOptimizer, Optimizer, Sgd};
use gentutor_rng::Rng;
use ndarray::{Array1, Array2, ArrayView2, Zip};
use serde::{Deserialize, Serialize};

/// Activations saved by the forward pass, plus scratch buffers for the backward pass.
/// Reusing one `Cache` across steps avoids per-step allocations when the batch size is stable.
#[derive(Debug, Clone, Default)]
pub struct Cache {
    /// h_0 .. h_L: h[0] is the input, h[L] the output.
    pub h: Vec<Array2<f32>>,
    /// z_1 .. z_L stored at indices 0..L.
    pub z: Vec<Array2<f32>>,
    /// Tangents t_0 .. t_L (only filled by `forward_tangent`).
    pub t: Vec<Array2<f32>>,
    /// Tangents of the pre-activations u_1 .. u_L (only filled by `forward_tangent`).
    pub u: Vec<Array2<f32>>,
    /// Backward scratch: dL/dh_l for l = 0..L (index 0 is the input gradient).
    gh: Vec<Array2<f32>>,
    /// Backward scratch: dL/dz_l.
    delta: Vec<Array2<f32>>,
    /// Backward scratch for the tangent pass: dL/dt_l and dL/du_l.
    gt: Vec<Array2<f32>>,
    gu: Vec<Array2<f32>>,
    /// Transposed weights for the input-gradient product.
    scratch: Vec<f32>,
}

impl Cache {
    /// The network output h_L of the last forward pass (empty if none was run).
    pub fn output(&self) -> ArrayView2<'_, f32> {
        match self.h.last() {
            Some(h) => h.view(),
            None => ArrayView2::from_shape((0, 0), &[]).unwrap_or_else(|_| unreachable!()),
        }
    }

    /// The directional input derivative t_L of the last `forward_tangent` pass.
    pub fn tangent_output(&self) -> ArrayView2<'_, f32> {
        match self.t.last() {
            Some(t) => t.view(),
            None => ArrayView2::from_shape((0, 0), &[]).unwrap_or_else(|_| unreachable!()),
        }
    }

    /// dL/dx from the last backward pass.
    pub fn input_grad(&self) -> ArrayView2<'_, f32> {
        match self.gh.first() {
            Some(g) => g.view(),
            None => ArrayView2::from_shape((0, 0), &[]).unwrap_or_else(|_| unreachable!()),
        }
    }
}

/// Multilayer perceptron: dense layers with a shared hidden activation and an output activation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mlp {
    /// Layers 1..L.
    pub layers: Vec<Dense>,
    /// Activation after every layer except the last.
    pub hidden_act: Activation,
    /// Activation after the last layer (usually `Identity`: raw outputs or logits).
    pub out_act: Activation,
}

impl Mlp {
    /// Builds an MLP with layer widths `sizes = [n_0, n_1, ..., n_L]` (at least two entries;
    /// zero widths are raised to 1 so the network is always well formed).
    ///
    /// Initialisation: W ~ N(0, gain / n_in), He (gain 2 / (1 + slope^2)) for rectifiers and
    /// Xavier-style LeCun (gain 1) otherwise; biases 0.
    pub fn new(
        sizes: &[usize],
        hidden_act: Activation,
        out_act: Activation,
        rng: &mut Rng,
    ) -> Self {
        let mut sizes: Vec<usize> = sizes.iter().map(|&n| n.max(1)).collect();
        while sizes.len() < 2 {
            sizes.push(1);
        }
        let n_layers = sizes.len() - 1;
        let layers = (0..n_layers)
            .map(|l| {
                let (n_in, n_out) = (sizes[l], sizes[l + 1]);
                let act = if l + 1 < n_layers {
                    hidden_act
                } else {
                    out_act
                };
                let gain = match act {
                    Activation::Relu => 2.0,
                    Activation::LeakyRelu(s) => 2.0 / (1.0 + s * s),
                    _ => 1.0,
                };
                let scale = (gain / n_in as f32).sqrt();
                let mut w = Array2::zeros((n_in, n_out));
                rng.fill_normal(w.view_mut());
                w *= scale;
                Dense {
                    w,
                    b: Array1::zeros(n_out),
                }
            })
            .collect();
        Mlp {
            layers,
            hidden_act,
            out_act,
        }
    }

    /// Input width n_0.
    pub fn in_dim(&self) -> usize {
        self.layers.first().map_or(0, |l| l.w.nrows())
    }

    /// Output width n_L.
    pub fn out_dim(&self) -> usize {
        self.layers.last().map_or(0, |l| l.w.ncols())
    }

    fn act(&self, l: usize) -> Activation {
        if l + 1 < self.layers.len() {
            self.hidden_act
        } else {
            self.out_act
        }
    }

    /// Total number of scalar parameters.
    pub fn param_count(&self) -> usize {
        self.layers.iter().map(|l| l.w.len() + l.b.len()).sum()
    }

    /// max |theta| over all parameters (NaN-aware: returns NaN if any parameter is NaN).
    pub fn max_abs_weight(&self) -> f32 {
        let mut m = 0.0f32;
        for v in self
            .layers
            .iter()
            .flat_map(|l| l.w.iter().chain(l.b.iter()))
        {
            if v.is_nan() {
                return f32::NAN;
            }
            m = m.max(v.abs());
        }
        m
    }

    /// Whether every parameter is finite.
    pub fn is_finite(&self) -> bool {
        self.layers
            .iter()
            .all(|l| l.w.iter().chain(l.b.iter()).all(|v| v.is_finite()))
    }

    /// All parameters flattened (per layer: W row-major, then b).
    pub fn params_flat(&self) -> Vec<f32> {
        self.layers
            .iter()
            .flat_map(|l| l.w.iter().chain(l.b.iter()).copied())
            .collect()
    }

    /// Mutable references to every parameter, in [`Mlp::params_flat`] order.
    pub fn params_mut(&mut self) -> impl Iterator<Item = &mut f32> {
        self.layers
            .iter_mut()
            .flat_map(|l| l.w.iter_mut().chain(l.b.iter_mut()))
    }

    /// Forward pass, allocating a fresh cache. See [`Mlp::forward_into`].
    pub fn forward(&self, x: ArrayView2<'_, f32>) -> (Array2<f32>, Cache) {
        let mut cache = Cache::default();
        self.forward_into(x, &mut cache);
        let y = cache.output().to_owned();
        (y, cache)
    }

    /// Forward pass into a reusable cache; the output is `cache.output()`.
    ///
    /// ```text
    /// h_0 = x (B, n_0);  z_l = h_{l-1} W_l + b_l (B, n_l);  h_l = sigma_l(z_l) (B, n_l);  y = h_L
    /// ```
    /// `x` must have `n_0` columns (a mismatch is a programming error and panics in ndarray).
    pub fn forward_into(&self, x: ArrayView2<'_, f32>, cache: &mut Cache) {
        let b = x.nrows();
        let shapes = || {
            std::iter::once((b, self.in_dim()))
                .chain(self.layers.iter().map(move |l| (b, l.w.ncols())))
        };
        ensure_shapes(&mut cache.h, shapes());
        ensure_shapes(&mut cache.z, shapes().skip(1));
        cache.h[0].assign(&x);
        for (l, layer) in self.layers.iter().enumerate() {
            let (h_prev, h_next) = cache.h.split_at_mut(l + 1);
            let z = &mut cache.z[l];
            affine(&h_prev[l], &layer.w, &layer.b, z);
            apply_act(self.act(l), z, &mut h_next[0]);
        }
    }

    /// Backward pass for a fresh cache. See [`Mlp::backward_into`].
    pub fn backward(&self, cache: &Cache, grad_out: ArrayView2<'_, f32>) -> (Grads, Array2<f32>) {
        let mut c = cache.clone();
        let mut grads = Grads::zeros_like(self);
        self.backward_into(&mut c, grad_out, Some(&mut grads));
        (grads, c.input_grad().to_owned())
    }

    /// Backward pass: given g_y = dL/dy (B, n_L) for a scalar loss L, computes
    ///
    /// ```text
    /// delta_l = dL/dz_l = dL/dh_l (.) sigma_l'(z_l)            (B, n_l)
    /// dL/dW_l = h_{l-1}^T delta_l                              (n_{l-1}, n_l)
    /// dL/db_l = sum over batch of delta_l                      (n_l)
    /// dL/dh_{l-1} = delta_l W_l^T                              (B, n_{l-1})
    /// ```
    /// down to dL/dx = dL/dh_0 (B, n_0), available as `cache.input_grad()`. The parameter
    /// gradients are written (overwritten) into `grads` if given; pass `None` when only the input
    /// gradient is needed (the generator step of a GAN), which skips the W/b products.
    pub fn backward_into(
        &self,
        cache: &mut Cache,
        grad_out: ArrayView2<'_, f32>,
        mut grads: Option<&mut Grads>,
    ) {
        let n = self.layers.len();
        let dims: Vec<(usize, usize)> = cache.h.iter().map(|h| h.dim()).collect();
        ensure_shapes(&mut cache.gh, dims.iter().copied());
        ensure_shapes(&mut cache.delta, dims.iter().copied().skip(1));
        if let Some(g) = grads.as_deref_mut() {
            if g.layers.len() != n {
                *g = Grads::zeros_like(self);
            }
        }
        cache.gh[n].assign(&grad_out);
        for l in (0..n).rev() {
            let delta = &mut cache.delta[l];
            mul_act_deriv(
                self.act(l),
                &cache.gh[l + 1],
                &cache.z[l],
                &cache.h[l + 1],
                delta,
            );
            if let Some(g) = grads.as_deref_mut() {
                let gl = &mut g.layers[l];
                matmul_tn(&cache.h[l], delta, &mut gl.w, false);
                bias_grad(delta, &mut gl.b);
            }
            matmul_nt(
                delta,
                &self.layers[l].w,
                &mut cache.gh[l],
                &mut cache.scratch,
            );
        }
    }

    /// Forward pass that also propagates a tangent (forward-mode derivative) along the input
    /// direction `tx` (B, n_0): t_L = (dy/dx) tx per sample. For a 1D input with tx = 1 this is
    /// exactly dD/dx, as needed by the WGAN-GP gradient penalty.
    ///
    /// ```text
    /// t_0 = tx;  u_l = t_{l-1} W_l (B, n_l);  t_l = sigma_l'(z_l) (.) u_l (B, n_l)
    /// ```
    /// Outputs: `cache.output()` = y and `cache.tangent_output()` = t_L, both (B, n_L).
    pub fn forward_tangent(
        &self,
        x: ArrayView2<'_, f32>,
        tx: ArrayView2<'_, f32>,
        cache: &mut Cache,
    ) {
        self.forward_into(x, cache);
        let dims: Vec<(usize, usize)> = cache.h.iter().map(|h| h.dim()).collect();
        ensure_shapes(&mut cache.t, dims.iter().copied());
        ensure_shapes(&mut cache.u, dims.iter().copied().skip(1));
        cache.t[0].assign(&tx);
        for (l, layer) in self.layers.iter().enumerate() {
            let act = self.act(l);
            let (t_prev, t_next) = cache.t.split_at_mut(l + 1);
            matmul(&t_prev[l], &layer.w, &mut cache.u[l], false);
            Zip::from(&mut t_next[0])
                .and(&cache.u[l])
                .and(&cache.z[l])
                .and(&cache.h[l + 1])
                .for_each(|t, &u, &z, &h| *t = act.deriv(z, h) * u);
        }
    }

    /// Exact double backprop through [`Mlp::forward_tangent`]: given a scalar loss
    /// L(y, t_L) and its partials g_y = dL/dy and g_t = dL/dt_L (both (B, n_L)), accumulates
    /// dL/dtheta into `grads` (overwrites). The tangent input t_0 is treated as a constant.
    ///
    /// Reverse of the joint primal/tangent graph, for l = L..1 (s' = sigma', s'' = sigma''):
    /// ```text
    /// gu_l = g_{t_l} (.) s'(z_l)                                   (B, n_l)
    /// gz_l = g_{h_l} (.) s'(z_l) + g_{t_l} (.) u_l (.) s''(z_l)    (B, n_l)
    /// dL/dW_l = h_{l-1}^T gz_l + t_{l-1}^T gu_l                    (n_{l-1}, n_l)
    /// dL/db_l = sum over batch of gz_l                             (n_l)
    /// g_{h_{l-1}} = gz_l W_l^T,  g_{t_{l-1}} = gu_l W_l^T          (B, n_{l-1})
    /// ```
    pub fn backward_tangent(
        &self,
        cache: &mut Cache,
        grad_out: ArrayView2<'_, f32>,
        grad_tangent: ArrayView2<'_, f32>,
        grads: &mut Grads,
    ) {
        let n = self.layers.len();
        let dims: Vec<(usize, usize)> = cache.h.iter().map(|h| h.dim()).collect();
        ensure_shapes(&mut cache.gh, dims.iter().copied());
        ensure_shapes(&mut cache.delta, dims.iter().copied().skip(1));
        ensure_shapes(&mut cache.gt, dims.iter().copied());
        ensure_shapes(&mut cache.gu, dims.iter().copied().skip(1));
        if grads.layers.len() != n {
            *grads = Grads::zeros_like(self);
        }
        cache.gh[n].assign(&grad_out);
        cache.gt[n].assign(&grad_tangent);
        for l in (0..n).rev() {
            let act = self.act(l);
            Zip::from(&mut cache.gu[l])
                .and(&mut cache.delta[l])
                .and(&cache.gt[l + 1])
                .and(&cache.gh[l + 1])
                .and(&cache.z[l])
                .and(&cache.h[l + 1])
                .for_each(|gu, gz, &gt, &gh, &z, &h| {
                    let d1 = act.deriv(z, h);
                    *gu = gt * d1;
                    *gz = gh * d1;
                });
            if act == Activation::Tanh {
                // Curvature term: only activations with sigma'' != 0 contribute.
                Zip::from(&mut cache.delta[l])
                    .and(&cache.gt[l + 1])
                    .and(&cache.u[l])
                    .and(&cache.h[l + 1])
                    .for_each(|gz, &gt, &u, &h| *gz += gt * u * act.deriv2(h));
            }
            let gl = &mut grads.layers[l];
            matmul_tn(&cache.h[l], &cache.delta[l], &mut gl.w, false);
            matmul_tn(&cache.t[l], &cache.gu[l], &mut gl.w, true);
            bias_grad(&cache.delta[l], &mut gl.b);
            let w = &self.layers[l].w;
            matmul_nt(&cache.delta[l], w, &mut cache.gh[l], &mut cache.scratch);
            matmul_nt(&cache.gu[l], w, &mut cache.gt[l], &mut cache.scratch);
        }
    }
}
