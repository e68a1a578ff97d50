//! What the adversarial demo draws for one setting: per model, the image, the perturbation,
//! the perturbed image, the class probabilities before and after, and the probabilities as eps
//! grows; the held-out accuracy under attack; the linear model's gap against eps ||w||_1.

use super::{
    argmax, direction, linear_gap, logits, softmax_row, AttackSettings, Goal, LinearGap, Models,
    EPS_MAX,
};
use crate::digit_classifier::Classifier;
use crate::digits::{CLASSES, PIXELS};
use crate::error::{matrix, ModelError};
use ndarray::Array2;

/// Points on the eps axis of the sweep (0 to [`EPS_MAX`]).
pub const SWEEP_POINTS: usize = 33;

/// One eps of the sweep.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SweepPoint {
    pub eps: f32,
    /// Probability of each class at clip(x + eps * direction).
    pub probs: [f32; CLASSES],
}

/// One model under the current attack.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelView {
    pub name: &'static str,
    /// The perturbed image (64, [0, 1]).
    pub adv: Vec<f32>,
    /// adv - x: what the attack added after clipping (64, in [-eps, eps]).
    pub eta: Vec<f32>,
    pub clean: [f32; CLASSES],
    pub attacked: [f32; CLASSES],
    /// Probabilities along the same sign direction for eps from 0 to [`EPS_MAX`].
    pub sweep: Vec<SweepPoint>,
    /// Held-out accuracy under this attack (untargeted) or targeted hit rate (targeted).
    pub heldout: f64,
}

impl ModelView {
    pub fn predicted(&self) -> usize {
        argmax(&self.attacked)
    }
}

/// Everything drawn for one [`AttackSettings`].
#[derive(Debug, Clone, PartialEq)]
pub struct AttackView {
    pub settings: AttackSettings,
    /// The held-out image shown (index into the held-out list after wrapping).
    pub image: usize,
    pub label: usize,
    pub x: Vec<f32>,
    pub mlp: ModelView,
    pub linear: ModelView,
    /// The class pair of the linearity read-out: (true digit, target or the linear model's
    /// runner-up on the clean image).
    pub pair: (usize, usize),
    pub gap: LinearGap,
}

fn goal(s: &AttackSettings) -> Goal {
    s.target.0.map_or(Goal::Untargeted, Goal::Targeted)
}

fn model_view(
    m: &Models,
    c: &Classifier,
    name: &'static str,
    x: &Array2<f32>,
    label: usize,
    s: &AttackSettings,
) -> Result<ModelView, ModelError> {
    let g = goal(s);
    let dir = direction(c, x.view(), &[label], g)?;
    let at = |eps: f32| -> Vec<f32> {
        x.iter()
            .zip(&dir)
            .map(|(&v, &d)| (v + eps * d).clamp(0.0, 1.0))
            .collect()
    };
    let mut batch = Vec::with_capacity(SWEEP_POINTS * PIXELS);
    let grid: Vec<f32> = (0..SWEEP_POINTS)
        .map(|i| EPS_MAX * i as f32 / (SWEEP_POINTS - 1) as f32)
        .collect();
    for &e in &grid {
        batch.extend(at(e));
    }
    let adv = at(s.eps);
    batch.extend(adv.iter().copied());
    batch.extend(x.iter().copied());
    let b = matrix("images", batch, (SWEEP_POINTS + 2, PIXELS))?;
    let z = logits(c, b.view());
    let row = |i: usize| softmax_row(z.row(i).as_slice().unwrap_or(&[0.0; CLASSES]));
    let sweep = grid
        .iter()
        .enumerate()
        .map(|(i, &eps)| SweepPoint { eps, probs: row(i) })
        .collect();
    let heldout = match g {
        Goal::Untargeted => m.attacked_accuracy(c, s.eps, g)?,
        Goal::Targeted(t) => m.target_success(c, s.eps, t)?,
    };
    Ok(ModelView {
        name,
        eta: adv.iter().zip(x.iter()).map(|(&a, &v)| a - v).collect(),
        adv,
        attacked: row(SWEEP_POINTS),
        clean: row(SWEEP_POINTS + 1),
        sweep,
        heldout,
    })
}

impl AttackView {
    /// The view of `s` (its image index wraps around the held-out count).
    pub fn new(m: &Models, s: AttackSettings) -> Result<AttackView, ModelError> {
        let s = s.clamped();
        if m.test.is_empty() {
            return Err(ModelError::NoImage {
                index: s.image,
                count: 0,
            });
        }
        let image = s.image % m.test.len();
        let i = m.test[image];
        let label = usize::from(m.data.label(i));
        let x = m.data.batch_unit(&[i]);
        let mlp = model_view(m, &m.mlp, "MLP (64-64-10)", &x, label, &s)?;
        let linear = model_view(m, &m.linear, "linear (64-10)", &x, label, &s)?;
        let to = match s.target.0 {
            Some(t) if t != label => t,
            _ => {
                // The linear model's strongest wrong class on the clean image.
                let mut p = linear.clean;
                p[label] = f32::NEG_INFINITY;
                argmax(&p)
            }
        };
        let xs: Vec<f32> = x.iter().copied().collect();
        let gap = linear_gap(&m.linear, &xs, label, to, s.eps)?;
        Ok(AttackView {
            settings: s,
            image,
            label,
            x: xs,
            mlp,
            linear,
            pair: (label, to),
            gap,
        })
    }
}
