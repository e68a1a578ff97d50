//! Dense layers, their gradients, and the small matrix products of the forward and backward
//! passes (shapes in each function's comment; batch-major, row-major arrays).

use crate::mlp::Mlp;
use gentutor_kernels as gemm;
use ndarray::linalg::general_mat_mul;
use ndarray::{Array1, Array2, Axis};
use serde::{Deserialize, Serialize};

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

/// z = h W + b: h (B, n_in), W (n_in, n_out), b (n_out), z (B, n_out). Uses the small-matrix
/// kernels of [`gemm`] when every array is row-major contiguous (always, for the cache's own
/// arrays), else ndarray's general product.
pub(crate) fn affine(h: &Array2<f32>, w: &Array2<f32>, b: &Array1<f32>, z: &mut Array2<f32>) {
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
pub(crate) fn matmul(a: &Array2<f32>, b: &Array2<f32>, c: &mut Array2<f32>, accumulate: bool) {
    let dims = (a.nrows(), a.ncols(), b.ncols());
    if let (Some(x), Some(y), Some(z)) = (a.as_slice(), b.as_slice(), c.as_slice_mut()) {
        gemm::gemm_nn(dims, x, y, None, z, accumulate);
    } else {
        general_mat_mul(1.0, a, b, if accumulate { 1.0 } else { 0.0 }, c);
    }
}

/// c = a^T b (or c += a^T b): a (m, k), b (m, n), c (k, n).
pub(crate) fn matmul_tn(a: &Array2<f32>, b: &Array2<f32>, c: &mut Array2<f32>, accumulate: bool) {
    let dims = (a.nrows(), a.ncols(), b.ncols());
    if let (Some(x), Some(y), Some(z)) = (a.as_slice(), b.as_slice(), c.as_slice_mut()) {
        gemm::gemm_tn(dims, x, y, z, accumulate);
    } else {
        general_mat_mul(1.0, &a.t(), b, if accumulate { 1.0 } else { 0.0 }, c);
    }
}

/// c = a b^T: a (m, n), b (k, n), c (m, k).
pub(crate) fn matmul_nt(
    a: &Array2<f32>,
    b: &Array2<f32>,
    c: &mut Array2<f32>,
    scratch: &mut Vec<f32>,
) {
    let dims = (a.nrows(), a.ncols(), b.nrows());
    if let (Some(x), Some(y), Some(z)) = (a.as_slice(), b.as_slice(), c.as_slice_mut()) {
        gemm::gemm_nt(dims, x, y, z, false, scratch);
    } else {
        general_mat_mul(1.0, a, &b.t(), 0.0, c);
    }
}

/// dL/db = column sums of delta (B, n) into b (n).
pub(crate) fn bias_grad(delta: &Array2<f32>, b: &mut Array1<f32>) {
    let dims = delta.dim();
    if let (Some(d), Some(o)) = (delta.as_slice(), b.as_slice_mut()) {
        gemm::col_sums(dims, d, o);
    } else {
        b.assign(&delta.sum_axis(Axis(0)));
    }
}

/// Resizes `v` to `n` arrays and each array to the given shape, reallocating only on change.
pub(crate) fn ensure_shapes(
    v: &mut Vec<Array2<f32>>,
    shapes: impl Iterator<Item = (usize, usize)>,
) {
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
