//! The digits flow's shipped checkpoint: its weights with the settings they were trained with,
//! and the recipe `train_digits digits-flow` runs.

use super::config::FlowConfig;
use super::net::{FlowNet, HALF};
use super::train::DigitsFlow;
use super::DIMS;
use crate::checkpoint::recipes::Progress;
use crate::checkpoint::{from_postcard, to_postcard, Checkpoint, CheckpointError, Checkpointed};
use crate::digits::Digits;
use crate::error::ModelError;
use serde::{Deserialize, Serialize};

/// Training steps of the shipped checkpoint: where the test bits/dim bottoms out (2.20;
/// `bench_digits_flow 6000 curve`). Later the flow memorises the 1,438 training images: the
/// minibatch figure keeps falling while the test figure climbs (2.51 at 6,000 steps).
pub const SHIPPED_STEPS: u64 = 1000;

/// A trained flow and its settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlowWeights {
    pub config: FlowConfig,
    pub net: FlowNet,
}

impl Checkpointed for FlowWeights {
    const KIND: &'static str = "digits-flow";
    const VERSION: u16 = 1;
    /// Version 1: postcard of [`FlowWeights`] (config, then ActNorm and the couplings).
    fn payload(&self) -> Vec<u8> {
        to_postcard(self)
    }
    fn from_payload(version: u16, bytes: &[u8]) -> Result<Self, CheckpointError> {
        let w: FlowWeights = from_postcard(Self::KIND, Self::VERSION, version, bytes)?;
        let n = &w.net;
        let fits = n.logs.len() == DIMS
            && n.bias.len() == DIMS
            && n.couplings.len() == w.config.layers
            && n.couplings
                .iter()
                .all(|m| m.in_dim() == HALF && m.out_dim() == DIMS);
        if !fits || !n.is_finite() {
            return Err(CheckpointError::Payload(
                "the flow's weights do not fit its settings".into(),
            ));
        }
        Ok(w)
    }
}

/// Trains the default settings with `seed` for `steps` steps; the metric is the exact test
/// bits/dim (`test_bits_per_dim`).
pub fn train_recipe(
    data: &Digits,
    seed: u64,
    steps: u64,
    progress: Progress<'_>,
) -> Result<Checkpoint, ModelError> {
    let config = FlowConfig {
        seed,
        ..FlowConfig::default()
    };
    let mut f = DigitsFlow::new(&config, data.clone())?;
    while f.step_count() < steps {
        f.step((steps - f.step_count()).min(250) as usize)?;
        progress(f.step_count());
    }
    let metrics = vec![("test_bits_per_dim".to_string(), f.test_bits_per_dim())];
    let w = FlowWeights {
        config: f.config().clone(),
        net: f.net().clone(),
    };
    Ok(Checkpoint::of(&w, seed, steps, metrics))
}
