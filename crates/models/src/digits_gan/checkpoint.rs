//! The digits GAN's shipped checkpoint: its weights with the settings they were trained with,
//! and the recipe `train_digits digits-gan` runs.

use super::config::DigitsGanConfig;
use super::coverage::Coverage;
use super::model::Nets;
use super::train::DigitsGan;
use crate::checkpoint::recipes::Progress;
use crate::checkpoint::{from_postcard, to_postcard, Checkpoint, CheckpointError, Checkpointed};
use crate::digit_classifier::Classifier;
use crate::digits::{Digits, PIXELS};
use crate::error::ModelError;
use serde::{Deserialize, Serialize};

/// Training steps of the shipped checkpoint.
pub const SHIPPED_STEPS: u64 = 6000;
/// Samples the coverage metrics are measured on, and their noise seed.
pub const COVERAGE_SAMPLES: usize = 1000;
pub const COVERAGE_SEED: u64 = 77;

/// Trained networks and their settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GanWeights {
    pub config: DigitsGanConfig,
    pub nets: Nets,
}

impl Checkpointed for GanWeights {
    const KIND: &'static str = "digits-gan";
    const VERSION: u16 = 1;
    /// Version 1: postcard of [`GanWeights`] (config, then G and D).
    fn payload(&self) -> Vec<u8> {
        to_postcard(self)
    }
    fn from_payload(version: u16, bytes: &[u8]) -> Result<Self, CheckpointError> {
        let w: GanWeights = from_postcard(Self::KIND, Self::VERSION, version, bytes)?;
        if w.nets.latent() != w.config.latent || w.nets.g.out_dim() != PIXELS || !w.nets.is_finite()
        {
            return Err(CheckpointError::Payload(
                "the GAN's networks do not fit its settings".into(),
            ));
        }
        Ok(w)
    }
}

/// Trains the default settings with `seed` for `steps` steps; the metrics are the classifier's
/// coverage of [`COVERAGE_SAMPLES`] samples (digits produced, confident share, each digit's
/// share as `share_<d>`).
pub fn train_recipe(
    data: &Digits,
    seed: u64,
    steps: u64,
    progress: Progress<'_>,
) -> Result<Checkpoint, ModelError> {
    let config = DigitsGanConfig {
        seed,
        ..DigitsGanConfig::default()
    };
    let mut g = DigitsGan::new(&config, data)?;
    while g.step_count() < steps {
        g.step((steps - g.step_count()).min(250) as usize)?;
        progress(g.step_count());
    }
    let classifier = Classifier::standard(data)?;
    let cov = Coverage::of(
        &classifier,
        g.samples(COVERAGE_SAMPLES, COVERAGE_SEED).view(),
    );
    let mut metrics = vec![
        ("digits_produced".to_string(), cov.produced().len() as f64),
        ("confident_share".to_string(), cov.confident_share()),
    ];
    metrics.extend((0..10).map(|d| (format!("share_{d}"), cov.share(d))));
    let w = GanWeights {
        config: g.config().clone(),
        nets: g.nets().clone(),
    };
    Ok(Checkpoint::of(&w, seed, steps, metrics))
}
