//! The digits diffusion model's shipped checkpoint: the denoiser with the settings it was
//! trained with, and the recipe `train_digits digits-diffusion` runs.

use super::config::DiffusionDigitsConfig;
use super::model::{DigitsDenoiser, INPUT};
use super::train::DigitsDiffusion;
use super::DIMS;
use crate::checkpoint::recipes::Progress;
use crate::checkpoint::{from_postcard, to_postcard, Checkpoint, CheckpointError, Checkpointed};
use crate::digits::Digits;
use crate::error::ModelError;
use serde::{Deserialize, Serialize};

/// Training steps of the shipped checkpoint.
pub const SHIPPED_STEPS: u64 = 8000;
/// Seed of the held-out loss stated in the checkpoint.
pub const TEST_LOSS_SEED: u64 = 1;

/// A trained denoiser and its settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiffusionWeights {
    pub config: DiffusionDigitsConfig,
    pub denoiser: DigitsDenoiser,
}

impl Checkpointed for DiffusionWeights {
    const KIND: &'static str = "digits-diffusion";
    const VERSION: u16 = 1;
    /// Version 1: postcard of [`DiffusionWeights`] (config, then the denoiser).
    fn payload(&self) -> Vec<u8> {
        to_postcard(self)
    }
    fn from_payload(version: u16, bytes: &[u8]) -> Result<Self, CheckpointError> {
        let w: DiffusionWeights = from_postcard(Self::KIND, Self::VERSION, version, bytes)?;
        let m = &w.denoiser.mlp;
        if m.in_dim() != INPUT
            || m.out_dim() != DIMS
            || w.denoiser.steps != w.config.steps
            || !m.is_finite()
        {
            return Err(CheckpointError::Payload(
                "the denoiser does not fit its settings".into(),
            ));
        }
        Ok(w)
    }
}

/// Trains the default settings with `seed` for `steps` steps; the metric is L_simple on the
/// held-out images (`test_loss`).
pub fn train_recipe(
    data: &Digits,
    seed: u64,
    steps: u64,
    progress: Progress<'_>,
) -> Result<Checkpoint, ModelError> {
    let config = DiffusionDigitsConfig {
        seed,
        ..DiffusionDigitsConfig::default()
    };
    let mut m = DigitsDiffusion::new(&config, data.clone())?;
    while m.step_count() < steps {
        m.step((steps - m.step_count()).min(250) as usize)?;
        progress(m.step_count());
    }
    let metrics = vec![("test_loss".to_string(), m.test_loss(TEST_LOSS_SEED))];
    let w = DiffusionWeights {
        config: m.config().clone(),
        denoiser: m.denoiser().clone(),
    };
    Ok(Checkpoint::of(&w, seed, steps, metrics))
}
