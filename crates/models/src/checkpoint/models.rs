//! The payloads of the models whose checkpoints ship today (the digit classifier and the VAE;
//! the GAN's lives in `digits_gan`). Each is postcard of the weights with the settings they
//! were trained with, so a demo knows which settings a checkpoint belongs to.

use super::{from_postcard, to_postcard, CheckpointError, Checkpointed};
use crate::digit_classifier::Classifier;
use crate::vae::{Vae, VaeConfig};
use gentutor_nn::mlp::Mlp;
use serde::{Deserialize, Serialize};

impl Checkpointed for Classifier {
    const KIND: &'static str = "digit-classifier";
    const VERSION: u16 = 1;
    /// Version 1: postcard of the MLP (64 -> hidden -> 10).
    fn payload(&self) -> Vec<u8> {
        to_postcard(&self.mlp)
    }
    fn from_payload(version: u16, bytes: &[u8]) -> Result<Self, CheckpointError> {
        let mlp: Mlp = from_postcard(Self::KIND, Self::VERSION, version, bytes)?;
        if mlp.in_dim() != crate::digits::PIXELS || mlp.out_dim() != crate::digits::CLASSES {
            return Err(CheckpointError::Payload(format!(
                "a {} -> {} network is no digit classifier",
                mlp.in_dim(),
                mlp.out_dim()
            )));
        }
        Ok(Classifier { mlp })
    }
}

/// A trained VAE with the settings it was trained with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VaeWeights {
    pub config: VaeConfig,
    pub vae: Vae,
}

impl Checkpointed for VaeWeights {
    const KIND: &'static str = "vae";
    const VERSION: u16 = 1;
    /// Version 1: postcard of [`VaeWeights`] (config, then encoder, decoder, likelihood).
    fn payload(&self) -> Vec<u8> {
        to_postcard(self)
    }
    fn from_payload(version: u16, bytes: &[u8]) -> Result<Self, CheckpointError> {
        let w: VaeWeights = from_postcard(Self::KIND, Self::VERSION, version, bytes)?;
        if w.vae.encoder.in_dim() != crate::digits::PIXELS || !w.vae.is_finite() {
            return Err(CheckpointError::Payload(
                "the VAE's weights do not fit the 8x8 digits".into(),
            ));
        }
        Ok(w)
    }
}
