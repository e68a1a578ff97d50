//! Losses as plain functions: each returns the value and its gradient with respect to its
//! inputs, averaged over the batch. Inputs are flat, batch-major slices (`B` rows, row-major
//! for `(B, K)`); values are accumulated in f64.
//!
//! Every gradient here has a central-difference test (see [`crate::gradcheck`]).

/// A loss value and dL/d(input), the same shape as the input.
#[derive(Debug, Clone, PartialEq)]
pub struct LossGrad {
    pub value: f64,
    pub grad: Vec<f32>,
}

/// Inputs a loss cannot use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LossError {
    /// Two inputs that must match in length do not.
    #[error("{what}: {got} values, expected {expected}")]
    Shape {
        what: &'static str,
        got: usize,
        expected: usize,
    },
    /// A class label is not below the number of classes.
    #[error("label {label} of row {row} is not below the {classes} classes")]
    Label {
        row: usize,
        label: usize,
        classes: usize,
    },
}

fn same_len(what: &'static str, got: usize, expected: usize) -> Result<(), LossError> {
    if got == expected {
        Ok(())
    } else {
        Err(LossError::Shape {
            what,
            got,
            expected,
        })
    }
}

/// log(1 + e^z) without overflow.
fn softplus(z: f64) -> f64 {
    z.max(0.0) + (-z.abs()).exp().ln_1p()
}

fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

/// Binary cross-entropy on logits z (B) against targets y (B) in [0, 1]:
///
/// ```text
/// L = (1/B) sum_i [ -y_i log sigma(z_i) - (1 - y_i) log(1 - sigma(z_i)) ]
///   = (1/B) sum_i [ softplus(z_i) - y_i z_i ]          (stable for any z)
/// dL/dz_i = (sigma(z_i) - y_i) / B
/// ```
pub fn bce_with_logits(logits: &[f32], targets: &[f32]) -> Result<LossGrad, LossError> {
    same_len("targets", targets.len(), logits.len())?;
    let n = logits.len().max(1) as f64;
    let mut value = 0.0;
    let grad = logits
        .iter()
        .zip(targets)
        .map(|(&z, &y)| {
            let (z, y) = (f64::from(z), f64::from(y));
            value += softplus(z) - y * z;
            ((sigmoid(z) - y) / n) as f32
        })
        .collect();
    Ok(LossGrad {
        value: value / n,
        grad,
    })
}

/// Least squares of outputs x (B) against targets t (B) (the LSGAN objectives use it with
/// targets 0 and 1):
///
/// ```text
/// L = (1/B) sum_i (x_i - t_i)^2
/// dL/dx_i = 2 (x_i - t_i) / B
/// ```
pub fn least_squares(outputs: &[f32], targets: &[f32]) -> Result<LossGrad, LossError> {
    same_len("targets", targets.len(), outputs.len())?;
    let n = outputs.len().max(1) as f64;
    let mut value = 0.0;
    let grad = outputs
        .iter()
        .zip(targets)
        .map(|(&x, &t)| {
            let d = f64::from(x) - f64::from(t);
            value += d * d;
            (2.0 * d / n) as f32
        })
        .collect();
    Ok(LossGrad {
        value: value / n,
        grad,
    })
}

/// Hinge loss of scores s (B) for labels y (B) in {-1, +1}:
///
/// ```text
/// L = (1/B) sum_i max(0, 1 - y_i s_i)
/// dL/ds_i = -y_i / B where y_i s_i < 1, else 0   (the subgradient 0 at the kink)
/// ```
pub fn hinge(scores: &[f32], labels: &[f32]) -> Result<LossGrad, LossError> {
    same_len("labels", labels.len(), scores.len())?;
    let n = scores.len().max(1) as f64;
    let mut value = 0.0;
    let grad = scores
        .iter()
        .zip(labels)
        .map(|(&s, &y)| {
            let margin = 1.0 - f64::from(y) * f64::from(s);
            if margin > 0.0 {
                value += margin;
                (-f64::from(y) / n) as f32
            } else {
                0.0
            }
        })
        .collect();
    Ok(LossGrad {
        value: value / n,
        grad,
    })
}

/// Softmax cross-entropy of logits z (B, K), row-major, against class labels c (B) in 0..K:
///
/// ```text
/// p_ik = exp(z_ik) / sum_j exp(z_ij)
/// L = (1/B) sum_i [ logsumexp_j(z_ij) - z_{i,c_i} ] = -(1/B) sum_i log p_{i,c_i}
/// dL/dz_ik = (p_ik - [k = c_i]) / B
/// ```
pub fn softmax_cross_entropy(
    logits: &[f32],
    classes: usize,
    labels: &[usize],
) -> Result<LossGrad, LossError> {
    same_len("logits", logits.len(), labels.len() * classes)?;
    let n = labels.len().max(1) as f64;
    let mut value = 0.0;
    let mut grad = vec![0.0f32; logits.len()];
    for (row, (&label, (z, g))) in labels
        .iter()
        .zip(
            logits
                .chunks(classes.max(1))
                .zip(grad.chunks_mut(classes.max(1))),
        )
        .enumerate()
    {
        if label >= classes {
            return Err(LossError::Label {
                row,
                label,
                classes,
            });
        }
        let max = z
            .iter()
            .fold(f64::NEG_INFINITY, |m, &v| m.max(f64::from(v)));
        let sum: f64 = z.iter().map(|&v| (f64::from(v) - max).exp()).sum();
        let lse = max + sum.ln();
        value += lse - f64::from(z[label]);
        for (k, (gk, &zk)) in g.iter_mut().zip(z).enumerate() {
            let p = (f64::from(zk) - lse).exp();
            *gk = ((p - f64::from(u8::from(k == label))) / n) as f32;
        }
    }
    Ok(LossGrad {
        value: value / n,
        grad,
    })
}

/// The KL divergence of diagonal Gaussians N(mu, diag(exp(logvar))) (B, D each, row-major)
/// to N(0, I), the VAE's prior term, with its gradients.
#[derive(Debug, Clone, PartialEq)]
pub struct GaussianKl {
    pub value: f64,
    /// dL/dmu, (B, D).
    pub grad_mu: Vec<f32>,
    /// dL/dlogvar, (B, D).
    pub grad_logvar: Vec<f32>,
}

/// ```text
/// L = (1/B) sum_i sum_d 1/2 (mu_id^2 + exp(lv_id) - 1 - lv_id)
/// dL/dmu_id = mu_id / B
/// dL/dlv_id = (exp(lv_id) - 1) / (2B)
/// ```
/// `batch` is B (the mean is over rows, the sum over the D latent dimensions).
pub fn gaussian_kl_to_standard(
    mu: &[f32],
    logvar: &[f32],
    batch: usize,
) -> Result<GaussianKl, LossError> {
    same_len("logvar", logvar.len(), mu.len())?;
    if batch == 0 || !mu.len().is_multiple_of(batch) {
        return Err(LossError::Shape {
            what: "mu (rows of the batch)",
            got: mu.len(),
            expected: batch.max(1) * (mu.len() / batch.max(1)).max(1),
        });
    }
    let b = batch as f64;
    let mut value = 0.0;
    let mut grad_mu = Vec::with_capacity(mu.len());
    let mut grad_logvar = Vec::with_capacity(mu.len());
    for (&m, &lv) in mu.iter().zip(logvar) {
        let (m, lv) = (f64::from(m), f64::from(lv));
        let var = lv.exp();
        value += 0.5 * (m * m + var - 1.0 - lv);
        grad_mu.push((m / b) as f32);
        grad_logvar.push(((var - 1.0) / (2.0 * b)) as f32);
    }
    Ok(GaussianKl {
        value: value / b,
        grad_mu,
        grad_logvar,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gradcheck::check_gradient;
    use gentutor_rng::Rng;

    const H: f32 = 1e-3;
    const TOL: f64 = 1e-3;

    fn normals(n: usize, scale: f32, seed: u64) -> Vec<f32> {
        let mut r = Rng::new(seed);
        (0..n).map(|_| scale * r.normal_f32()).collect()
    }

    #[test]
    fn bce_gradient_matches_central_differences() {
        let z = normals(7, 3.0, 1);
        let y = [0.0, 1.0, 1.0, 0.0, 0.3, 1.0, 0.0];
        let l = bce_with_logits(&z, &y).expect("shapes");
        let f = |z: &[f32]| bce_with_logits(z, &y).map(|l| l.value).unwrap_or(f64::NAN);
        assert_eq!(check_gradient(f, &z, &l.grad, H, TOL), Ok(()));
        // log 2 at z = 0, and no overflow far out.
        let at0 = bce_with_logits(&[0.0], &[1.0]).expect("shapes");
        assert!((at0.value - std::f64::consts::LN_2).abs() < 1e-12);
        let far = bce_with_logits(&[-500.0, 500.0], &[1.0, 0.0]).expect("shapes");
        assert!((far.value - 500.0).abs() < 1e-9 && far.grad.iter().all(|g| g.is_finite()));
    }

    #[test]
    fn least_squares_gradient_matches_central_differences() {
        let x = normals(6, 1.0, 2);
        let t = normals(6, 1.0, 3);
        let l = least_squares(&x, &t).expect("shapes");
        let f = |x: &[f32]| least_squares(x, &t).map(|l| l.value).unwrap_or(f64::NAN);
        assert_eq!(check_gradient(f, &x, &l.grad, H, TOL), Ok(()));
        assert_eq!(least_squares(&[3.0], &[1.0]).map(|l| l.value), Ok(4.0));
    }

    #[test]
    fn hinge_gradient_matches_central_differences_away_from_the_kink() {
        // Margins 1 - y s well away from 0, on both sides of it.
        let s = [0.2f32, -0.4, 2.5, -3.0, 0.9, -0.1];
        let y = [1.0f32, -1.0, 1.0, -1.0, -1.0, 1.0];
        let l = hinge(&s, &y).expect("shapes");
        let f = |s: &[f32]| hinge(s, &y).map(|l| l.value).unwrap_or(f64::NAN);
        assert_eq!(check_gradient(f, &s, &l.grad, H, TOL), Ok(()));
        assert_eq!(l.grad[2], 0.0, "a margin met exactly has no gradient");
    }

    #[test]
    fn softmax_cross_entropy_gradient_matches_central_differences() {
        let (b, k) = (4, 5);
        let z = normals(b * k, 2.0, 4);
        let labels = [0usize, 4, 2, 2];
        let l = softmax_cross_entropy(&z, k, &labels).expect("shapes");
        let f = |z: &[f32]| {
            softmax_cross_entropy(z, k, &labels)
                .map(|l| l.value)
                .unwrap_or(f64::NAN)
        };
        assert_eq!(check_gradient(f, &z, &l.grad, H, TOL), Ok(()));
        // Uniform logits: log K.
        let u = softmax_cross_entropy(&[0.0; 3], 3, &[1]).expect("shapes");
        assert!((u.value - 3f64.ln()).abs() < 1e-12);
        assert_eq!(
            softmax_cross_entropy(&[0.0; 3], 3, &[3]),
            Err(LossError::Label {
                row: 0,
                label: 3,
                classes: 3
            })
        );
        assert!(softmax_cross_entropy(&[0.0; 4], 3, &[0]).is_err());
    }

    #[test]
    fn gaussian_kl_gradients_match_central_differences() {
        let (b, d) = (3, 2);
        let mu = normals(b * d, 1.0, 5);
        let lv = normals(b * d, 0.7, 6);
        let l = gaussian_kl_to_standard(&mu, &lv, b).expect("shapes");
        let f_mu = |m: &[f32]| {
            gaussian_kl_to_standard(m, &lv, b)
                .map(|l| l.value)
                .unwrap_or(f64::NAN)
        };
        assert_eq!(check_gradient(f_mu, &mu, &l.grad_mu, H, TOL), Ok(()));
        let f_lv = |v: &[f32]| {
            gaussian_kl_to_standard(&mu, v, b)
                .map(|l| l.value)
                .unwrap_or(f64::NAN)
        };
        assert_eq!(check_gradient(f_lv, &lv, &l.grad_logvar, H, TOL), Ok(()));
        // Zero exactly at the prior.
        let at_prior = gaussian_kl_to_standard(&[0.0; 4], &[0.0; 4], 2).expect("shapes");
        assert_eq!(at_prior.value, 0.0);
        assert!(gaussian_kl_to_standard(&[0.0; 3], &[0.0; 3], 2).is_err());
    }

    #[test]
    fn mismatched_lengths_are_errors() {
        assert!(bce_with_logits(&[0.0], &[]).is_err());
        assert!(least_squares(&[0.0], &[0.0, 1.0]).is_err());
        assert!(hinge(&[], &[1.0]).is_err());
    }
}
