//! The semi-supervised GAN's whole training state as bytes, so the demo can hand a run to a Web
//! Worker and take it back without losing a step. A format: a page of one version may meet bytes
//! of another, so the layout is versioned (the first byte) and frozen in
//! `tests/golden_worker.rs`.
//!
//! Layout version 1: the byte 1, then postcard of [`Saved`] (field order is the format). The
//! data travel with the run (they are drawn once from the seed; sending them saves the page
//! from redrawing them for every state the worker posts).

use super::train::{Classifier2d, LEAK};
use super::{AccuracyPoint, LabelledSet, Ssgan, SsganConfig, TEST_POINTS};
use crate::error::ModelError;
use gentutor_nn::mlp::{Activation, Adam, Mlp};
use gentutor_rng::Rng;
use ndarray::Array2;
use serde::{Deserialize, Serialize};

/// The first byte of [`Ssgan::to_bytes`].
const STATE_VERSION: u8 = 1;
/// Generated points shown in the plot (fixed noise).
const SHOWN: usize = 200;

/// [`SsganConfig`] in the bytes: the data set by its link name.
#[derive(Serialize, Deserialize)]
struct SavedConfig {
    dataset: String,
    labels: usize,
    unlabelled: usize,
    hidden: usize,
    lr_d: f32,
    lr_g: f32,
    batch: usize,
    speed: usize,
    seed: u64,
}

/// A classifier: body, head and their Adam states.
#[derive(Serialize, Deserialize)]
struct SavedClassifier {
    body: Mlp,
    head: Mlp,
    body_opt: Adam,
    head_opt: Adam,
}

/// What a run is made of (layout version 1).
#[derive(Serialize, Deserialize)]
struct Saved {
    config: SavedConfig,
    labelled: Array2<f32>,
    labels: Vec<usize>,
    unlabelled: Array2<f32>,
    test: Array2<f32>,
    test_labels: Vec<usize>,
    critic: SavedClassifier,
    labels_only: SavedClassifier,
    generator: Mlp,
    gen_opt: Adam,
    rng: Rng,
    shown_noise: Array2<f32>,
    step: u64,
    /// (step, semi-supervised accuracy, labels-only accuracy) per evaluation.
    accuracy: Vec<(u64, f64, f64)>,
    last_losses: [f32; 2],
}

fn save_classifier(c: &Classifier2d) -> SavedClassifier {
    SavedClassifier {
        body: c.body.clone(),
        head: c.head.clone(),
        body_opt: c.body_opt.clone(),
        head_opt: c.head_opt.clone(),
    }
}

/// An MLP with these layer sizes and activations.
fn shaped(m: &Mlp, sizes: &[usize], hidden: Activation, out: Activation) -> bool {
    m.hidden_act == hidden
        && m.out_act == out
        && m.layers.len() + 1 == sizes.len()
        && m.layers
            .iter()
            .zip(sizes.windows(2))
            .all(|(l, w)| l.w.dim() == (w[0], w[1]) && l.b.len() == w[1])
}

impl Ssgan {
    /// The whole training state (data, networks, Adam's moments, random stream, accuracy
    /// curve, step): a version byte, then postcard bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let c = &self.config;
        let saved = Saved {
            config: SavedConfig {
                dataset: c.dataset.name().to_string(),
                labels: c.labels,
                unlabelled: c.unlabelled,
                hidden: c.hidden,
                lr_d: c.lr_d,
                lr_g: c.lr_g,
                batch: c.batch,
                speed: c.speed,
                seed: c.seed,
            },
            labelled: self.labelled.clone(),
            labels: self.labels.clone(),
            unlabelled: self.unlabelled.clone(),
            test: self.test.clone(),
            test_labels: self.test_labels.clone(),
            critic: save_classifier(&self.critic),
            labels_only: save_classifier(&self.labels_only),
            generator: self.generator.clone(),
            gen_opt: self.gen_opt.clone(),
            rng: self.rng.clone(),
            shown_noise: self.shown_noise.clone(),
            step: self.step,
            accuracy: self
                .accuracy
                .iter()
                .map(|a| (a.step, a.ssgan, a.labels_only))
                .collect(),
            last_losses: self.last_losses,
        };
        let mut out = vec![STATE_VERSION];
        out.extend(postcard::to_allocvec(&saved).unwrap_or_default());
        out
    }

    /// Inverse of [`Ssgan::to_bytes`]. Bytes that are not a valid run (another version,
    /// settings out of range, data or networks whose shapes do not fit the settings, labels
    /// outside the classes) are refused, never trusted.
    pub fn from_bytes(bytes: &[u8]) -> Result<Ssgan, ModelError> {
        let bad = |why: &str| ModelError::BadState(why.to_string());
        let rest = match bytes.split_first() {
            Some((&STATE_VERSION, rest)) => rest,
            Some((v, _)) => {
                return Err(bad(&format!(
                    "unknown semi-supervised GAN state version {v}"
                )))
            }
            None => return Err(bad("no semi-supervised GAN state")),
        };
        let s: Saved = postcard::from_bytes(rest).map_err(|e| bad(&e.to_string()))?;
        let sc = &s.config;
        let dataset = LabelledSet::from_name(&sc.dataset)
            .ok_or_else(|| bad(&format!("unknown data set {:?}", sc.dataset)))?;
        let config = SsganConfig {
            dataset,
            labels: sc.labels,
            unlabelled: sc.unlabelled,
            hidden: sc.hidden,
            lr_d: sc.lr_d,
            lr_g: sc.lr_g,
            batch: sc.batch,
            speed: sc.speed,
            seed: sc.seed,
        };
        if config.clamped() != config {
            return Err(bad("the settings are out of range"));
        }
        let (k, h) = (dataset.classes(), config.hidden);
        let nl = k * config.labels;
        let classifier_ok = |c: &SavedClassifier| {
            shaped(&c.body, &[2, h, h], LEAK, LEAK)
                && shaped(&c.head, &[h, k], Activation::Identity, Activation::Identity)
        };
        let fits = s.labelled.dim() == (nl, 2)
            && s.labels.len() == nl
            && s.unlabelled.dim() == (config.unlabelled.max(nl), 2)
            && s.test.dim() == (TEST_POINTS, 2)
            && s.test_labels.len() == TEST_POINTS
            && s.labels.iter().chain(&s.test_labels).all(|&y| y < k)
            && classifier_ok(&s.critic)
            && classifier_ok(&s.labels_only)
            && shaped(&s.generator, &[2, h, h, 2], LEAK, Activation::Identity)
            && s.shown_noise.dim() == (SHOWN, 2);
        if !fits {
            return Err(bad("the data or networks do not fit the settings"));
        }
        let load = |c: SavedClassifier| Classifier2d {
            body: c.body,
            head: c.head,
            body_opt: c.body_opt,
            head_opt: c.head_opt,
        };
        Ok(Ssgan {
            config,
            labelled: s.labelled,
            labels: s.labels,
            unlabelled: s.unlabelled,
            test: s.test,
            test_labels: s.test_labels,
            critic: load(s.critic),
            labels_only: load(s.labels_only),
            generator: s.generator,
            gen_opt: s.gen_opt,
            rng: s.rng,
            shown_noise: s.shown_noise,
            step: s.step,
            accuracy: s
                .accuracy
                .into_iter()
                .map(|(step, ssgan, labels_only)| AccuracyPoint {
                    step,
                    ssgan,
                    labels_only,
                })
                .collect(),
            last_losses: s.last_losses,
        })
    }
}
