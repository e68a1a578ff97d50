//! Adversarial examples on the 8x8 digits: the input gradient of a classifier's loss, the fast
//! gradient sign method (FGSM; Goodfellow, Shlens & Szegedy 2015, Sec. 4), a targeted variant,
//! and the same attack on a linear model (softmax regression) for the lesson's linearity
//! argument. Pixels are in [0, 1]: one grey level of these images (17 levels, 0..=16) is
//! [`GREY_STEP`] = 1/16.
//!
//! ```text
//! x (B, 64) in [0,1];  z = f(x) (B, 10) logits;  J(x, y) = -log softmax(z)_y  (mean over B)
//! untargeted:  x' = clip(x + eps sign(grad_x J(x, y)), 0, 1)     climb the true class's loss
//! targeted t:  x' = clip(x - eps sign(grad_x J(x, t)), 0, 1)     descend the target's loss
//! sign(0) = 0: a pixel whose gradient is exactly zero does not move
//! ```
//! For the linear model z = x W + b, the gap z_t - z_y moves by (w_t - w_y) . eta, which for
//! eta = eps sign(w_t - w_y) is exactly eps ||w_t - w_y||_1, the most any eta with
//! ||eta||_inf <= eps can do ([`linear_gap`]).
//!
//! Both classifiers are [`Classifier`]s: the MLP is the site's standard digit classifier, the
//! linear one the same code with no hidden layer, trained on the same split with the same
//! steps and seed ([`Models::standard`]).

mod settings;
#[cfg(test)]
mod tests;
mod train;
mod view;

pub use settings::{AttackSettings, Target, EPS_MAX, EPS_STEP};
pub use train::ModelsTrainer;
pub use view::{AttackView, ModelView, SweepPoint};

use crate::digit_classifier::{Classifier, STEPS};
use crate::digits::{Digits, CLASSES, PIXELS};
use crate::error::{matrix, ModelError};
use gentutor_nn::loss::softmax_cross_entropy;
use gentutor_nn::loss::LossError;
use gentutor_nn::mlp::Cache;
use ndarray::{Array2, ArrayView2};

/// One grey level of the 8x8 digits in the classifier's [0, 1] units: pixels take the 17
/// values 0, 1/16, ..., 1. (Goodfellow et al.'s eps = 0.007 is one level of an 8-bit image.)
pub const GREY_STEP: f32 = 1.0 / 16.0;

/// What an attack aims at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Goal {
    /// Any wrong answer: climb the loss of the true class.
    Untargeted,
    /// This digit: descend the loss of the target class.
    Targeted(usize),
}

/// sign with sign(0) = 0 (`f32::signum` gives +1 for +0.0, which would move pixels whose
/// gradient is exactly zero, e.g. behind a dead ReLU).
pub fn sign(v: f32) -> f32 {
    if v > 0.0 {
        1.0
    } else if v < 0.0 {
        -1.0
    } else {
        0.0
    }
}

/// Mean cross-entropy J of `labels` at images x (B, 64) and its input gradient dJ/dx (B, 64).
///
/// ```text
/// z = f(x) (B, 10);  dJ/dz = (softmax(z) - onehot(labels)) / B  (B, 10);  dJ/dx = backprop (B, 64)
/// ```
pub fn input_gradient(
    c: &Classifier,
    x: ArrayView2<'_, f32>,
    labels: &[usize],
) -> Result<(f64, Array2<f32>), ModelError> {
    let mut cache = Cache::default();
    c.mlp.forward_into(x, &mut cache);
    let logits: Vec<f32> = cache.output().iter().copied().collect();
    let lg = softmax_cross_entropy(&logits, CLASSES, labels)?;
    let g = matrix("loss gradient", lg.grad, (labels.len(), CLASSES))?;
    // Only the input gradient: no parameter products.
    c.mlp.backward_into(&mut cache, g.view(), None);
    Ok((lg.value, cache.input_grad().to_owned()))
}

/// The attack's step direction (B, 64), entries -1, 0 or +1: sign(dJ(x, y)/dx) untargeted,
/// -sign(dJ(x, t)/dx) towards target t. It does not depend on eps.
pub fn direction(
    c: &Classifier,
    x: ArrayView2<'_, f32>,
    labels: &[usize],
    goal: Goal,
) -> Result<Array2<f32>, ModelError> {
    let (aim, dir): (Vec<usize>, f32) = match goal {
        Goal::Untargeted => (labels.to_vec(), 1.0),
        Goal::Targeted(t) => (vec![t; labels.len()], -1.0),
    };
    let (_, mut g) = input_gradient(c, x, &aim)?;
    g.mapv_inplace(|v| dir * sign(v));
    Ok(g)
}

/// FGSM: the perturbed images x' (B, 64) in [0, 1] for true labels `labels` (B).
///
/// ```text
/// untargeted: x' = clip(x + eps sign(dJ(x, y)/dx));  targeted t: x' = clip(x - eps sign(dJ(x, t)/dx))
/// ```
pub fn fgsm(
    c: &Classifier,
    x: ArrayView2<'_, f32>,
    labels: &[usize],
    eps: f32,
    goal: Goal,
) -> Result<Array2<f32>, ModelError> {
    let mut out = direction(c, x, labels, goal)?;
    out.zip_mut_with(&x, |d, &v| *d = (v + eps * *d).clamp(0.0, 1.0));
    Ok(out)
}

/// Logits (B, 10).
pub fn logits(c: &Classifier, x: ArrayView2<'_, f32>) -> Array2<f32> {
    c.mlp.forward(x).0
}

/// The linearity argument on a linear model's class pair (from, to): with w = w_to - w_from
/// (the columns of W) and eta = eps sign(w), the gap z_to - z_from of image x moves by
///
/// ```text
/// bound  = eps ||w||_1                       (no clipping: the exact change, and the largest)
/// actual = w . (clip(x + eta, 0, 1) - x)     (what remains when pixels stop at 0 or 1)
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinearGap {
    /// ||w_to - w_from||_1.
    pub l1: f64,
    /// eps ||w||_1.
    pub bound: f64,
    /// The gap's change with the pixels clipped to [0, 1].
    pub clipped: f64,
    /// The gap's change without clipping, measured through the model's own forward pass.
    pub unclipped: f64,
}

/// See [`LinearGap`]. `linear` must have no hidden layer; `x` is one image (64 pixels).
pub fn linear_gap(
    linear: &Classifier,
    x: &[f32],
    from: usize,
    to: usize,
    eps: f32,
) -> Result<LinearGap, ModelError> {
    let layer = match linear.mlp.layers.as_slice() {
        [only] => only,
        _ => return Err(ModelError::NotLinear),
    };
    if x.len() != PIXELS {
        return Err(LossError::Shape {
            what: "image",
            got: x.len(),
            expected: PIXELS,
        }
        .into());
    }
    if let Some(&label) = [from, to].iter().find(|&&k| k >= CLASSES) {
        return Err(LossError::Label {
            row: 0,
            label,
            classes: CLASSES,
        }
        .into());
    }
    let w: Vec<f32> = (0..PIXELS)
        .map(|i| layer.w[[i, to]] - layer.w[[i, from]])
        .collect();
    let l1: f64 = w.iter().map(|&v| f64::from(v.abs())).sum();
    let gap = |img: Vec<f32>| -> Result<f64, ModelError> {
        let a = matrix("image", img, (1, PIXELS))?;
        let z = logits(linear, a.view());
        Ok(f64::from(z[[0, to]]) - f64::from(z[[0, from]]))
    };
    let base = gap(x.to_vec())?;
    let free: Vec<f32> = x
        .iter()
        .zip(&w)
        .map(|(&v, &wi)| v + eps * sign(wi))
        .collect();
    let clipped: f64 = x
        .iter()
        .zip(&w)
        .map(|(&v, &wi)| f64::from(wi) * f64::from((v + eps * sign(wi)).clamp(0.0, 1.0) - v))
        .sum();
    Ok(LinearGap {
        l1,
        bound: f64::from(eps) * l1,
        clipped,
        unclipped: gap(free)? - base,
    })
}

/// Probabilities of one logit row.
pub fn softmax_row(z: &[f32]) -> [f32; CLASSES] {
    let max = z.iter().fold(f32::NEG_INFINITY, |m, &v| m.max(v));
    let mut p = [0.0f32; CLASSES];
    let mut s = 0.0;
    for (pk, &zk) in p.iter_mut().zip(z) {
        *pk = (zk - max).exp();
        s += *pk;
    }
    p.iter_mut().for_each(|v| *v /= s);
    p
}

/// The index of the largest value (the first on ties).
pub fn argmax(p: &[f32]) -> usize {
    p.iter()
        .enumerate()
        .fold(
            (0, f32::NEG_INFINITY),
            |b, (k, &v)| if v > b.1 { (k, v) } else { b },
        )
        .0
}

/// The two classifiers the demo attacks, trained once and shared.
#[derive(Debug, Clone, PartialEq)]
pub struct Models {
    /// The site's standard digit classifier (64 -> 64 ReLU -> 10).
    pub mlp: Classifier,
    /// Softmax regression (64 -> 10), trained like the MLP.
    pub linear: Classifier,
    /// The digits and their held-out indices (the demo attacks held-out images).
    pub data: Digits,
    pub test: Vec<usize>,
}

impl Models {
    /// [`Classifier::standard`] and the linear model with the same steps, batch and seed
    /// (through [`ModelsTrainer`], which a page runs a few steps per frame).
    pub fn standard(data: Digits) -> Result<Models, ModelError> {
        let mut t = ModelsTrainer::new(data)?;
        t.step(STEPS)?;
        Ok(t.models())
    }

    /// Held-out accuracy of `c` after attacking every held-out image with (eps, goal): the
    /// fraction still classified as its true digit.
    pub fn attacked_accuracy(
        &self,
        c: &Classifier,
        eps: f32,
        goal: Goal,
    ) -> Result<f64, ModelError> {
        let x = self.data.batch_unit(&self.test);
        let labels: Vec<usize> = self
            .test
            .iter()
            .map(|&i| usize::from(self.data.label(i)))
            .collect();
        let adv = fgsm(c, x.view(), &labels, eps, goal)?;
        let pred = c.predict(adv.view());
        let right = pred
            .iter()
            .zip(&labels)
            .filter(|(p, &l)| usize::from(**p) == l)
            .count();
        Ok(right as f64 / labels.len().max(1) as f64)
    }

    /// Fraction of held-out images not of digit t that a targeted attack with eps makes the
    /// classifier call t.
    pub fn target_success(&self, c: &Classifier, eps: f32, t: usize) -> Result<f64, ModelError> {
        let idx: Vec<usize> = self
            .test
            .iter()
            .copied()
            .filter(|&i| usize::from(self.data.label(i)) != t)
            .collect();
        let x = self.data.batch_unit(&idx);
        let labels: Vec<usize> = idx
            .iter()
            .map(|&i| usize::from(self.data.label(i)))
            .collect();
        let adv = fgsm(c, x.view(), &labels, eps, Goal::Targeted(t))?;
        let hits = c
            .predict(adv.view())
            .iter()
            .filter(|&&p| usize::from(p) == t)
            .count();
        Ok(hits as f64 / idx.len().max(1) as f64)
    }
}
