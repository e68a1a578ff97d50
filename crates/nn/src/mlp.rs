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

use gentutor_kernels as gemm;
use gentutor_rng::Rng;
use ndarray::linalg::general_mat_mul;
use ndarray::{Array1, Array2, ArrayView2, Axis, Zip};
use serde::{Deserialize, Serialize};

/// tanh without `exp`: a rational approximation ([`gemm::tanh`]), absolute error < 5e-7.
/// libm's `tanhf` was ~50% of a GAN step natively, and WASM has no fast `exp` at all.
#[inline]
pub fn fast_tanh(z: f32) -> f32 {
    gemm::tanh(z)
}

/// Element-wise activation function.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Activation {
    /// sigma(z) = z
    Identity,
    /// sigma(z) = tanh z
    Tanh,
    /// sigma(z) = max(z, 0)
    Relu,
    /// sigma(z) = z for z > 0, slope * z otherwise
    LeakyRelu(f32),
}

impl Activation {
    /// sigma(z).
    #[inline]
    pub fn apply(self, z: f32) -> f32 {
        match self {
            Activation::Identity => z,
            Activation::Tanh => fast_tanh(z),
            Activation::Relu => z.max(0.0),
            Activation::LeakyRelu(s) => {
                if z > 0.0 {
                    z
                } else {
                    s * z
                }
            }
        }
    }

    /// sigma'(z), given both the pre-activation `z` and the output `h = sigma(z)` (tanh reuses h).
    #[inline]
    pub fn deriv(self, z: f32, h: f32) -> f32 {
        match self {
            Activation::Identity => 1.0,
            Activation::Tanh => 1.0 - h * h,
            Activation::Relu => {
                if z > 0.0 {
                    1.0
                } else {
                    0.0
                }
            }
            Activation::LeakyRelu(s) => {
                if z > 0.0 {
                    1.0
                } else {
                    s
                }
            }
        }
    }

    /// sigma''(z) (zero almost everywhere for piecewise-linear activations).
    #[inline]
    pub fn deriv2(self, h: f32) -> f32 {
        match self {
            Activation::Tanh => -2.0 * h * (1.0 - h * h),
            _ => 0.0,
        }
    }
}

/// A dense (fully connected) layer: z = h W + b.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dense {
    /// Weights, shape (in, out).
    pub w: Array2<f32>,
    /// Biases, shape (out).
    pub b: Array1<f32>,
}

/// Parameter gradients, one [`Dense`]-shaped entry per layer.
#[derive(Debug, Clone, PartialEq)]
pub struct Grads {
    /// dL/dW_l and dL/db_l for each layer.
    pub layers: Vec<Dense>,
}

impl Grads {
    /// Zero gradients shaped like `mlp`'s parameters.
    pub fn zeros_like(mlp: &Mlp) -> Self {
        Grads {
            layers: mlp
                .layers
                .iter()
                .map(|l| Dense {
                    w: Array2::zeros(l.w.raw_dim()),
                    b: Array1::zeros(l.b.raw_dim()),
                })
                .collect(),
        }
    }

    /// Euclidean norm of all gradient entries together (accumulated in f64).
    pub fn norm(&self) -> f64 {
        self.layers
            .iter()
            .flat_map(|l| l.w.iter().chain(l.b.iter()))
            .map(|&g| (g as f64) * (g as f64))
            .sum::<f64>()
            .sqrt()
    }

    /// Whether every entry is finite.
    pub fn is_finite(&self) -> bool {
        self.layers
            .iter()
            .all(|l| l.w.iter().chain(l.b.iter()).all(|g| g.is_finite()))
    }

    /// self += other (shapes must match, as produced for the same network).
    pub fn add_assign(&mut self, other: &Grads) {
        for (a, b) in self.layers.iter_mut().zip(&other.layers) {
            a.w += &b.w;
            a.b += &b.b;
        }
    }

    /// All entries flattened in the same order as [`Mlp::params_flat`].
    pub fn flat(&self) -> Vec<f32> {
        self.layers
            .iter()
            .flat_map(|l| l.w.iter().chain(l.b.iter()).copied())
            .collect()
    }
}

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

/// h = sigma(z) element-wise, with the activation dispatched once per array (not per element)
/// so the loops vectorise.
fn apply_act(act: Activation, z: &Array2<f32>, h: &mut Array2<f32>) {
    // Contiguous arrays (the cache's own): the vectorised slice kernels.
    if let (Some(zs), Some(hs)) = (z.as_slice(), h.as_slice_mut()) {
        match act {
            Activation::Identity => hs.copy_from_slice(zs),
            Activation::Tanh => gemm::tanh_into(zs, hs),
            Activation::Relu => gemm::leaky_relu_into(0.0, zs, hs),
            Activation::LeakyRelu(s) => gemm::leaky_relu_into(s, zs, hs),
        }
        return;
    }
    let zh = Zip::from(h).and(z);
    match act {
        Activation::Identity => zh.for_each(|h, &z| *h = z),
        Activation::Tanh => zh.for_each(|h, &z| *h = fast_tanh(z)),
        Activation::Relu => zh.for_each(|h, &z| *h = z.max(0.0)),
        Activation::LeakyRelu(s) => zh.for_each(|h, &z| *h = if z > 0.0 { z } else { s * z }),
    }
}

/// out = g (.) sigma'(z), dispatched once per array.
fn mul_act_deriv(
    act: Activation,
    g: &Array2<f32>,
    z: &Array2<f32>,
    h: &Array2<f32>,
    out: &mut Array2<f32>,
) {
    if let (Some(gs), Some(zs), Some(hs), Some(os)) =
        (g.as_slice(), z.as_slice(), h.as_slice(), out.as_slice_mut())
    {
        match act {
            Activation::Identity => os.copy_from_slice(gs),
            Activation::Tanh => gemm::mul_tanh_deriv(gs, hs, os),
            Activation::Relu => gemm::mul_leaky_relu_deriv(0.0, gs, zs, os),
            Activation::LeakyRelu(s) => gemm::mul_leaky_relu_deriv(s, gs, zs, os),
        }
        return;
    }
    match act {
        Activation::Identity => out.assign(g),
        Activation::Tanh => Zip::from(out)
            .and(g)
            .and(h)
            .for_each(|o, &g, &h| *o = g * (1.0 - h * h)),
        Activation::Relu => Zip::from(out)
            .and(g)
            .and(z)
            .for_each(|o, &g, &z| *o = if z > 0.0 { g } else { 0.0 }),
        Activation::LeakyRelu(s) => Zip::from(out)
            .and(g)
            .and(z)
            .for_each(|o, &g, &z| *o = if z > 0.0 { g } else { s * g }),
    }
}

/// z = h W + b: h (B, n_in), W (n_in, n_out), b (n_out), z (B, n_out). Uses the small-matrix
/// kernels of [`gemm`] when every array is row-major contiguous (always, for the cache's own
/// arrays), else ndarray's general product.
fn affine(h: &Array2<f32>, w: &Array2<f32>, b: &Array1<f32>, z: &mut Array2<f32>) {
    let dims = (h.nrows(), h.ncols(), w.ncols());
    if let (Some(hs), Some(ws), Some(bs), Some(zs)) =
        (h.as_slice(), w.as_slice(), b.as_slice(), z.as_slice_mut())
    {
        gemm::gemm_nn(dims, hs, ws, Some(bs), zs, false);
    } else {
        general_mat_mul(1.0, h, w, 0.0, z);
        *z += b;
    }
}

/// c = a b (or c += a b): a (m, k), b (k, n), c (m, n).
fn matmul(a: &Array2<f32>, b: &Array2<f32>, c: &mut Array2<f32>, accumulate: bool) {
    let dims = (a.nrows(), a.ncols(), b.ncols());
    if let (Some(x), Some(y), Some(z)) = (a.as_slice(), b.as_slice(), c.as_slice_mut()) {
        gemm::gemm_nn(dims, x, y, None, z, accumulate);
    } else {
        general_mat_mul(1.0, a, b, if accumulate { 1.0 } else { 0.0 }, c);
    }
}

/// c = a^T b (or c += a^T b): a (m, k), b (m, n), c (k, n).
fn matmul_tn(a: &Array2<f32>, b: &Array2<f32>, c: &mut Array2<f32>, accumulate: bool) {
    let dims = (a.nrows(), a.ncols(), b.ncols());
    if let (Some(x), Some(y), Some(z)) = (a.as_slice(), b.as_slice(), c.as_slice_mut()) {
        gemm::gemm_tn(dims, x, y, z, accumulate);
    } else {
        general_mat_mul(1.0, &a.t(), b, if accumulate { 1.0 } else { 0.0 }, c);
    }
}

/// c = a b^T: a (m, n), b (k, n), c (m, k).
fn matmul_nt(a: &Array2<f32>, b: &Array2<f32>, c: &mut Array2<f32>, scratch: &mut Vec<f32>) {
    let dims = (a.nrows(), a.ncols(), b.nrows());
    if let (Some(x), Some(y), Some(z)) = (a.as_slice(), b.as_slice(), c.as_slice_mut()) {
        gemm::gemm_nt(dims, x, y, z, false, scratch);
    } else {
        general_mat_mul(1.0, a, &b.t(), 0.0, c);
    }
}

/// dL/db = column sums of delta (B, n) into b (n).
fn bias_grad(delta: &Array2<f32>, b: &mut Array1<f32>) {
    let dims = delta.dim();
    if let (Some(d), Some(o)) = (delta.as_slice(), b.as_slice_mut()) {
        gemm::col_sums(dims, d, o);
    } else {
        b.assign(&delta.sum_axis(Axis(0)));
    }
}

/// Resizes `v` to `n` arrays and each array to the given shape, reallocating only on change.
fn ensure_shapes(v: &mut Vec<Array2<f32>>, shapes: impl Iterator<Item = (usize, usize)>) {
    let shapes: Vec<(usize, usize)> = shapes.collect();
    v.truncate(shapes.len());
    while v.len() < shapes.len() {
        v.push(Array2::zeros((0, 0)));
    }
    for (a, &s) in v.iter_mut().zip(&shapes) {
        if a.dim() != s {
            *a = Array2::zeros(s);
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

/// Anything that updates an MLP's parameters from gradients.
pub trait Optimizer {
    /// theta <- update(theta, dL/dtheta).
    fn apply(&mut self, mlp: &mut Mlp, grads: &Grads);
}

/// Plain stochastic gradient descent: theta <- theta - lr * g.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sgd {
    /// Learning rate.
    pub lr: f32,
}

impl Optimizer for Sgd {
    fn apply(&mut self, mlp: &mut Mlp, grads: &Grads) {
        for (p, g) in mlp.layers.iter_mut().zip(&grads.layers) {
            p.w.scaled_add(-self.lr, &g.w);
            p.b.scaled_add(-self.lr, &g.b);
        }
    }
}

/// Adam (Kingma & Ba 2015) with bias correction; holds the first/second moment buffers.
///
/// ```text
/// m <- b1 m + (1-b1) g;  v <- b2 v + (1-b2) g^2
/// theta <- theta - lr * (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps)
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Adam {
    /// Learning rate.
    pub lr: f32,
    /// Decay of the first moment.
    pub beta1: f32,
    /// Decay of the second moment.
    pub beta2: f32,
    /// Denominator guard.
    pub eps: f32,
    t: u64,
    b1_pow: f64,
    b2_pow: f64,
    m: Vec<f32>,
    v: Vec<f32>,
}

impl Adam {
    /// A fresh Adam optimiser (moment buffers are allocated at the first step).
    pub fn new(lr: f32, beta1: f32, beta2: f32, eps: f32) -> Self {
        Adam {
            lr,
            beta1,
            beta2,
            eps,
            t: 0,
            b1_pow: 1.0,
            b2_pow: 1.0,
            m: Vec::new(),
            v: Vec::new(),
        }
    }

    /// Number of steps taken.
    pub fn steps(&self) -> u64 {
        self.t
    }
}

impl Optimizer for Adam {
    fn apply(&mut self, mlp: &mut Mlp, grads: &Grads) {
        let n = mlp.param_count();
        if self.m.len() != n {
            self.m = vec![0.0; n];
            self.v = vec![0.0; n];
        }
        self.t += 1;
        self.b1_pow *= self.beta1 as f64;
        self.b2_pow *= self.beta2 as f64;
        let c1 = (1.0 / (1.0 - self.b1_pow)) as f32;
        let c2 = (1.0 / (1.0 - self.b2_pow)) as f32;
        let (b1, b2, lr, eps) = (self.beta1, self.beta2, self.lr, self.eps);
        let gs = grads
            .layers
            .iter()
            .flat_map(|l| l.w.iter().chain(l.b.iter()));
        for (((p, g), m), v) in mlp.params_mut().zip(gs).zip(&mut self.m).zip(&mut self.v) {
            *m = b1 * *m + (1.0 - b1) * g;
            *v = b2 * *v + (1.0 - b2) * g * g;
            *p -= lr * (*m * c1) / ((*v * c2).sqrt() + eps);
        }
    }
}

/// Either optimiser, chosen at run time from a config.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum AnyOptimizer {
    /// SGD.
    Sgd(Sgd),
    /// Adam.
    Adam(Adam),
}

impl Optimizer for AnyOptimizer {
    fn apply(&mut self, mlp: &mut Mlp, grads: &Grads) {
        match self {
            AnyOptimizer::Sgd(o) => o.apply(mlp, grads),
            AnyOptimizer::Adam(o) => o.apply(mlp, grads),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ACTS: [Activation; 4] = [
        Activation::Identity,
        Activation::Tanh,
        Activation::Relu,
        Activation::LeakyRelu(0.2),
    ];

    /// A fixed random linear functional of the output makes a scalar loss with generic dL/dy.
    fn loss_weights(b: usize, n: usize, seed: u64) -> Array2<f32> {
        let mut r = Rng::new(seed);
        let mut c = Array2::zeros((b, n));
        r.fill_normal(c.view_mut());
        c
    }

    fn loss_of(mlp: &Mlp, x: &Array2<f32>, c: &Array2<f32>) -> f64 {
        let (y, _) = mlp.forward(x.view());
        y.iter()
            .zip(c.iter())
            .map(|(&a, &b)| a as f64 * b as f64)
            .sum()
    }

    /// Relative error |a-b| / max(|a|+|b|, floor); the floor keeps tiny gradients from
    /// dominating through f32 round-off.
    fn rel_err(a: f64, b: f64, floor: f64) -> f64 {
        (a - b).abs() / (a.abs() + b.abs()).max(floor)
    }

    /// Inputs well away from the ReLU kinks in the first layer are not guaranteed deeper in the
    /// net, so checks skip entries whose central difference straddles a kink (detected by
    /// asymmetric one-sided differences).
    fn check_mlp(act: Activation, out_act: Activation, seed: u64) {
        let mut rng = Rng::new(seed);
        let mlp = Mlp::new(&[3, 5, 4, 2], act, out_act, &mut rng);
        let mut x = Array2::zeros((6, 3));
        rng.fill_normal(x.view_mut());
        let c = loss_weights(6, 2, seed + 1);
        let (_y, cache) = mlp.forward(x.view());
        let (grads, gx) = mlp.backward(&cache, c.view());
        let analytic = grads.flat();
        let h = 1e-2f32;
        let mut checked = 0;
        // Tolerance: 2e-2 relative (f32 forward, h = 1e-2, floor 1e-3 for near-zero entries).
        let tol = 2e-2;
        for (i, &ana) in analytic.iter().enumerate() {
            let eval = |delta: f32| {
                let mut m = mlp.clone();
                if let Some(p) = m.params_mut().nth(i) {
                    *p += delta;
                }
                loss_of(&m, &x, &c)
            };
            let (lp, l0, lm) = (eval(h), eval(0.0), eval(-h));
            let (fwd, bwd) = ((lp - l0) / h as f64, (l0 - lm) / h as f64);
            if rel_err(fwd, bwd, 1e-2) > 0.1 {
                continue; // a kink lies inside [-h, h]
            }
            let num = (lp - lm) / (2.0 * h as f64);
            assert!(
                rel_err(num, ana as f64, 1e-3) < tol,
                "{act:?} param {i}: numeric {num} analytic {}",
                ana
            );
            checked += 1;
        }
        assert!(
            checked > mlp.param_count() / 2,
            "too few params checked: {checked}"
        );
        for i in 0..x.len() {
            let eval = |delta: f32| {
                let mut xx = x.clone();
                if let Some(p) = xx.iter_mut().nth(i) {
                    *p += delta;
                }
                loss_of(&mlp, &xx, &c)
            };
            let (lp, l0, lm) = (eval(h), eval(0.0), eval(-h));
            let (fwd, bwd) = ((lp - l0) / h as f64, (l0 - lm) / h as f64);
            if rel_err(fwd, bwd, 1e-2) > 0.1 {
                continue;
            }
            let num = (lp - lm) / (2.0 * h as f64);
            let ana = gx.iter().nth(i).copied().unwrap_or(f32::NAN) as f64;
            assert!(
                rel_err(num, ana, 1e-3) < tol,
                "{act:?} input {i}: {num} vs {ana}"
            );
        }
    }

    #[test]
    fn gradient_check_every_activation() {
        for (k, act) in ACTS.iter().enumerate() {
            check_mlp(*act, Activation::Identity, 100 + k as u64);
            // Also every activation in the output position.
            check_mlp(Activation::Tanh, *act, 200 + k as u64);
        }
    }

    #[test]
    fn backward_into_reuses_buffers_and_matches_backward() {
        let mut rng = Rng::new(3);
        let mlp = Mlp::new(&[2, 8, 1], Activation::Tanh, Activation::Identity, &mut rng);
        let mut x = Array2::zeros((5, 2));
        rng.fill_normal(x.view_mut());
        let g = loss_weights(5, 1, 4);
        let (_, c) = mlp.forward(x.view());
        let (grads, gx) = mlp.backward(&c, g.view());
        let mut cache = Cache::default();
        let mut grads2 = Grads::zeros_like(&mlp);
        for _ in 0..2 {
            mlp.forward_into(x.view(), &mut cache);
            mlp.backward_into(&mut cache, g.view(), Some(&mut grads2));
        }
        assert_eq!(grads, grads2);
        assert_eq!(gx.view(), cache.input_grad());
        // Input-only mode gives the same input gradient.
        mlp.backward_into(&mut cache, g.view(), None);
        assert_eq!(gx.view(), cache.input_grad());
    }

    /// Loss L = sum(c1 * y) + sum(c2 * t_L) with t_L = dy/dx along tx; checks the exact
    /// double-backprop parameter gradient against central differences of the same loss (the
    /// tangent itself computed by forward mode, which is exact).
    #[test]
    fn gradient_check_tangent_double_backprop() {
        for (k, act) in ACTS.iter().enumerate() {
            let mut rng = Rng::new(300 + k as u64);
            let mlp = Mlp::new(&[1, 6, 5, 1], *act, Activation::Identity, &mut rng);
            let mut x = Array2::zeros((7, 1));
            rng.fill_normal(x.view_mut());
            let tx = Array2::ones((7, 1));
            let c1 = loss_weights(7, 1, 11);
            let c2 = loss_weights(7, 1, 12);
            let loss = |m: &Mlp| {
                let mut cache = Cache::default();
                m.forward_tangent(x.view(), tx.view(), &mut cache);
                let a: f64 = cache
                    .output()
                    .iter()
                    .zip(&c1)
                    .map(|(&y, &c)| (y * c) as f64)
                    .sum();
                let b: f64 = cache
                    .tangent_output()
                    .iter()
                    .zip(&c2)
                    .map(|(&t, &c)| (t * c) as f64)
                    .sum();
                a + b
            };
            let mut cache = Cache::default();
            mlp.forward_tangent(x.view(), tx.view(), &mut cache);
            // Sanity: the tangent equals the input gradient from ordinary backprop.
            let ones = Array2::ones((7, 1));
            let (_, gx) = mlp.backward(&cache, ones.view());
            for (a, b) in gx.iter().zip(cache.tangent_output().iter()) {
                assert!((a - b).abs() < 1e-5 * (1.0 + a.abs()), "{a} vs {b}");
            }
            let mut grads = Grads::zeros_like(&mlp);
            mlp.backward_tangent(&mut cache, c1.view(), c2.view(), &mut grads);
            let analytic = grads.flat();
            let h = 1e-2f32;
            let mut checked = 0;
            for (i, &ana) in analytic.iter().enumerate() {
                let eval = |d: f32| {
                    let mut m = mlp.clone();
                    if let Some(p) = m.params_mut().nth(i) {
                        *p += d;
                    }
                    loss(&m)
                };
                let (lp, l0, lm) = (eval(h), eval(0.0), eval(-h));
                let (fwd, bwd) = ((lp - l0) / h as f64, (l0 - lm) / h as f64);
                if rel_err(fwd, bwd, 1e-2) > 0.1 {
                    continue;
                }
                let num = (lp - lm) / (2.0 * h as f64);
                // Tolerance 2e-2 relative, floor 1e-3 (f32 forward, h = 1e-2).
                assert!(
                    rel_err(num, ana as f64, 1e-3) < 2e-2,
                    "{act:?} param {i}: {num} vs {}",
                    ana
                );
                checked += 1;
            }
            assert!(
                checked > mlp.param_count() / 2,
                "{act:?}: only {checked} checked"
            );
        }
    }

    #[test]
    fn optimisers_reduce_a_regression_loss() {
        // Fit y = sin(2x) on [-1, 1]; both optimisers must cut the MSE by 5x.
        let mut rng = Rng::new(21);
        let x = Array2::from_shape_fn((64, 1), |(i, _)| -1.0 + 2.0 * i as f32 / 63.0);
        let y = x.mapv(|v| (2.0 * v).sin());
        let opts = [
            AnyOptimizer::Sgd(Sgd { lr: 0.1 }),
            AnyOptimizer::Adam(Adam::new(1e-2, 0.9, 0.999, 1e-8)),
        ];
        for mut opt in opts {
            let mut mlp = Mlp::new(
                &[1, 16, 1],
                Activation::Tanh,
                Activation::Identity,
                &mut rng,
            );
            let mse = |m: &Mlp| {
                let (p, _) = m.forward(x.view());
                (&p - &y).mapv(|d| d * d).mean().unwrap_or(f32::NAN)
            };
            let start = mse(&mlp);
            let mut cache = Cache::default();
            let mut grads = Grads::zeros_like(&mlp);
            for _ in 0..500 {
                mlp.forward_into(x.view(), &mut cache);
                let g = (&cache.output() - &y) * (2.0 / 64.0);
                mlp.backward_into(&mut cache, g.view(), Some(&mut grads));
                opt.apply(&mut mlp, &grads);
            }
            let end = mse(&mlp);
            assert!(end < start / 5.0, "{opt:?}: {start} -> {end}");
            assert!(mlp.is_finite());
        }
    }

    #[test]
    fn fast_tanh_matches_libm() {
        let mut worst = 0.0f32;
        for i in -2000..=2000 {
            let z = i as f32 * 0.01;
            worst = worst.max((fast_tanh(z) - z.tanh()).abs());
        }
        assert!(worst < 5e-7, "max abs error {worst}");
        assert!((fast_tanh(100.0) - 1.0).abs() < 1e-6);
        assert!((fast_tanh(-100.0) + 1.0).abs() < 1e-6);
        assert!(fast_tanh(f32::NAN).is_nan());
    }

    #[test]
    fn counts_and_finiteness() {
        let mut rng = Rng::new(1);
        let mut mlp = Mlp::new(
            &[1, 32, 32, 1],
            Activation::Tanh,
            Activation::Identity,
            &mut rng,
        );
        assert_eq!(mlp.param_count(), 32 + 32 + 32 * 32 + 32 + 32 + 1);
        assert_eq!(mlp.params_flat().len(), mlp.param_count());
        assert!(mlp.is_finite());
        let m = mlp.max_abs_weight();
        assert!(m > 0.0 && m.is_finite());
        mlp.layers[1].w[[3, 4]] = f32::NAN;
        assert!(!mlp.is_finite());
        assert!(mlp.max_abs_weight().is_nan());
        // Degenerate sizes are repaired rather than panicking.
        let tiny = Mlp::new(&[0], Activation::Relu, Activation::Identity, &mut rng);
        assert_eq!((tiny.in_dim(), tiny.out_dim()), (1, 1));
    }
}
