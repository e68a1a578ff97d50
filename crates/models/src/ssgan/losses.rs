//! The semi-supervised critic's losses on its K logits, with the fake class's logit fixed to 0
//! (Salimans et al. 2016, Sec. 5): S(x) = log Z(x) = logsumexp_k l_k(x), D(x) = sigma(S).
//!
//! ```text
//! unlabelled real:  -log D(x)       = softplus(S) - S      dL/dl_k = (sigma(S) - 1) softmax_k(l)
//! generated:        -log (1 - D(x)) = softplus(S)          dL/dl_k =  sigma(S)      softmax_k(l)
//! feature matching: || mean_i f(x_i) - mean_j f(G(z_j)) ||^2,  dL/df(G(z_j)) = -2 (m_r - m_g) / N_g
//! ```
//! Each returns the batch mean and the gradient with respect to its input (same shape), like
//! `gentutor_nn::loss`; the labelled term is `gentutor_nn::loss::softmax_cross_entropy`.

use ndarray::{Array1, Array2, ArrayView2, Axis};

fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

fn softplus(z: f64) -> f64 {
    z.max(0.0) + (-z.abs()).exp().ln_1p()
}

/// logsumexp of a row and its softmax.
fn lse_softmax(row: &[f32]) -> (f64, Vec<f64>) {
    let max = row
        .iter()
        .fold(f64::NEG_INFINITY, |m, &v| m.max(f64::from(v)));
    let e: Vec<f64> = row.iter().map(|&v| (f64::from(v) - max).exp()).collect();
    let s: f64 = e.iter().sum();
    (max + s.ln(), e.into_iter().map(|v| v / s).collect())
}

/// S = logsumexp of each row of logits (B, K): log Z, the critic's "real" logit.
pub fn log_z(logits: ArrayView2<'_, f32>) -> Vec<f64> {
    logits
        .rows()
        .into_iter()
        .map(|r| lse_softmax(&r.to_vec()).0)
        .collect()
}

/// Mean over rows of -log D (`real`) or -log(1 - D) (generated), and dL/dlogits (B, K).
pub fn realness_loss(logits: ArrayView2<'_, f32>, real: bool) -> (f64, Array2<f32>) {
    let b = logits.nrows().max(1) as f64;
    let mut grad = Array2::zeros(logits.raw_dim());
    let mut value = 0.0;
    for (row, mut g) in logits.rows().into_iter().zip(grad.rows_mut()) {
        let (s, p) = lse_softmax(&row.to_vec());
        let (v, ds) = if real {
            (softplus(s) - s, sigmoid(s) - 1.0)
        } else {
            (softplus(s), sigmoid(s))
        };
        value += v;
        for (gk, pk) in g.iter_mut().zip(p) {
            *gk = (ds * pk / b) as f32;
        }
    }
    (value / b, grad)
}

/// Feature matching: ||mean real features - mean generated features||^2 and its gradient with
/// respect to the generated features (B_g, H).
pub fn feature_matching(
    real: ArrayView2<'_, f32>,
    fake: ArrayView2<'_, f32>,
) -> (f64, Array2<f32>) {
    let zero = || Array1::zeros(real.ncols());
    let mr = real.mean_axis(Axis(0)).unwrap_or_else(zero);
    let mg = fake.mean_axis(Axis(0)).unwrap_or_else(zero);
    let d = &mr - &mg;
    let value: f64 = d.iter().map(|&v| f64::from(v) * f64::from(v)).sum();
    let n = fake.nrows().max(1) as f32;
    let row = d.mapv(|v| -2.0 * v / n);
    let grad = Array2::from_shape_fn(fake.raw_dim(), |(_, j)| row[j]);
    (value, grad)
}

#[cfg(test)]
mod tests {
    use super::*;
    use gentutor_nn::gradcheck::check_gradient;

    #[test]
    fn realness_losses_match_central_differences_and_the_lessons_example() {
        let logits = Array2::from_shape_vec(
            (3, 3),
            vec![2.0, 0.5, -1.0, -3.0, -4.0, -5.0, 0.3, 8.0, -2.0],
        )
        .expect("shape");
        for real in [true, false] {
            let (_, g) = realness_loss(logits.view(), real);
            let f = |p: &[f32]| {
                let a = Array2::from_shape_vec((3, 3), p.to_vec()).expect("shape");
                realness_loss(a.view(), real).0
            };
            let x: Vec<f32> = logits.iter().copied().collect();
            let a: Vec<f32> = g.iter().copied().collect();
            check_gradient(f, &x, &a, 1e-3, 1e-3).expect("realness gradient");
        }
        // The lesson's worked example: logits (2, 0.5, -1): -log D = 0.10104, -log(1-D) = 2.34235.
        let one = logits.row(0).insert_axis(ndarray::Axis(0));
        assert!((realness_loss(one, true).0 - 0.10104).abs() < 1e-5);
        assert!((realness_loss(one, false).0 - 2.34235).abs() < 1e-5);
        assert!((log_z(one)[0] - 2.24131).abs() < 1e-5);
    }

    #[test]
    fn feature_matching_matches_central_differences() {
        let real = Array2::from_shape_fn((4, 3), |(i, j)| (i as f32 * 0.3 - j as f32 * 0.7).sin());
        let fake = Array2::from_shape_fn((5, 3), |(i, j)| (i as f32 * 0.5 + j as f32).cos());
        let (_, g) = feature_matching(real.view(), fake.view());
        let f = |p: &[f32]| {
            let a = Array2::from_shape_vec((5, 3), p.to_vec()).expect("shape");
            feature_matching(real.view(), a.view()).0
        };
        let x: Vec<f32> = fake.iter().copied().collect();
        let a: Vec<f32> = g.iter().copied().collect();
        check_gradient(f, &x, &a, 1e-3, 1e-3).expect("feature matching gradient");
        assert_eq!(feature_matching(real.view(), real.view()).0, 0.0);
    }
}
