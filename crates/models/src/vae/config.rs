//! The VAE demo's settings, their slider ranges and the settings link (`#vh=64&beta=1&...`).

use super::Likelihood;
use crate::error::ModelError;
use crate::link::{link_names, LinkVisitor, Settings};
use crate::ranges::{check, clamp_or};
use gentutor_nn::mlp::Activation;
use serde::{Deserialize, Serialize};
use std::ops::RangeInclusive;

/// Hidden width of the encoder and decoder.
pub const HIDDEN: RangeInclusive<usize> = 4..=256;
/// Hidden layers in each network.
pub const DEPTH: RangeInclusive<usize> = 1..=3;
/// The KL weight beta.
pub const BETA: RangeInclusive<f32> = 0.0..=8.0;
/// The Gaussian decoder's sigma.
pub const SIGMA: RangeInclusive<f32> = 0.02..=1.0;
/// Adam learning rate.
pub const LR: RangeInclusive<f32> = 1e-5..=0.1;
/// Minibatch size.
pub const BATCH: RangeInclusive<usize> = 1..=512;
/// Training steps per animation frame.
pub const SPEED: RangeInclusive<usize> = 1..=100;

/// The decoder's likelihood family (the Gaussian's sigma is its own setting).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DecoderKind {
    Bernoulli,
    Gaussian,
}

impl DecoderKind {
    /// Name in links and block options.
    pub fn name(self) -> &'static str {
        match self {
            DecoderKind::Bernoulli => "bernoulli",
            DecoderKind::Gaussian => "gaussian",
        }
    }

    pub fn from_name(s: &str) -> Option<DecoderKind> {
        match s {
            "bernoulli" => Some(DecoderKind::Bernoulli),
            "gaussian" => Some(DecoderKind::Gaussian),
            _ => None,
        }
    }
}

/// All settings of the VAE demo.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VaeConfig {
    /// Hidden width, in [`HIDDEN`].
    pub hidden: usize,
    /// Hidden layers per network, in [`DEPTH`].
    pub depth: usize,
    /// Decoder likelihood.
    pub decoder: DecoderKind,
    /// Gaussian decoder's sigma, in [`SIGMA`] (unused by the Bernoulli decoder).
    pub sigma: f32,
    /// KL weight, in [`BETA`]; changing it does not restart training.
    pub beta: f32,
    /// Adam learning rate, in [`LR`].
    pub lr: f32,
    /// Minibatch size, in [`BATCH`].
    pub batch: usize,
    /// Steps per animation frame, in [`SPEED`].
    pub speed: usize,
    /// Seed of the initial weights and of every random draw.
    pub seed: u64,
}

impl Default for VaeConfig {
    /// Settings that give a readable latent plane within a few thousand steps.
    fn default() -> Self {
        VaeConfig {
            hidden: 64,
            depth: 2,
            decoder: DecoderKind::Bernoulli,
            sigma: 0.1,
            beta: 1.0,
            lr: 2e-3,
            batch: 64,
            speed: 10,
            seed: 1,
        }
    }
}

impl VaeConfig {
    /// The decoder's likelihood these settings describe.
    pub fn likelihood(&self) -> Likelihood {
        match self.decoder {
            DecoderKind::Bernoulli => Likelihood::Bernoulli,
            DecoderKind::Gaussian => Likelihood::Gaussian { sigma: self.sigma },
        }
    }

    /// The networks' hidden activation (fixed: ReLU trains fastest here).
    pub fn activation(&self) -> Activation {
        Activation::Relu
    }

    /// Hidden widths of the encoder (the decoder mirrors them).
    pub fn hidden_sizes(&self) -> Vec<usize> {
        vec![self.hidden; self.depth]
    }

    /// A copy with every field forced into its range (NaN becomes the default).
    pub fn clamped(&self) -> VaeConfig {
        let d = VaeConfig::default();
        let cu = |v: usize, r: &RangeInclusive<usize>| v.clamp(*r.start(), *r.end());
        VaeConfig {
            hidden: cu(self.hidden, &HIDDEN),
            depth: cu(self.depth, &DEPTH),
            decoder: self.decoder,
            sigma: clamp_or(self.sigma, &SIGMA, d.sigma),
            beta: clamp_or(self.beta, &BETA, d.beta),
            lr: clamp_or(self.lr, &LR, d.lr),
            batch: cu(self.batch, &BATCH),
            speed: cu(self.speed, &SPEED),
            seed: self.seed,
        }
    }

    /// Checks every field; the error names the first one out of range.
    pub fn validate(&self) -> Result<(), ModelError> {
        check("hidden", self.hidden, &HIDDEN)?;
        check("depth", self.depth, &DEPTH)?;
        check("sigma", self.sigma, &SIGMA)?;
        check("beta", self.beta, &BETA)?;
        check("lr", self.lr, &LR)?;
        check("batch", self.batch, &BATCH)?;
        check("speed", self.speed, &SPEED)
    }
}

impl Settings for VaeConfig {
    const WHAT: &'static str = "VAE";
    fn fields(&mut self, v: &mut dyn LinkVisitor) -> Result<(), String> {
        v.field("vh", &mut self.hidden)?;
        v.field("vd", &mut self.depth)?;
        v.field("vdec", &mut self.decoder)?;
        v.field("vsig", &mut self.sigma)?;
        v.field("beta", &mut self.beta)?;
        v.field("vlr", &mut self.lr)?;
        v.field("vbs", &mut self.batch)?;
        v.field("vspeed", &mut self.speed)?;
        v.field("vseed", &mut self.seed)
    }
    fn finish(self) -> Result<Self, String> {
        Ok(self.clamped())
    }
}

link_names!(
    DecoderKind => &[DecoderKind::Bernoulli, DecoderKind::Gaussian],
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_round_trips_and_refuses_garbage() {
        let d = VaeConfig::default();
        assert_eq!(d.validate(), Ok(()));
        let other = VaeConfig {
            hidden: 17,
            depth: 3,
            decoder: DecoderKind::Gaussian,
            sigma: 0.35,
            beta: 4.5,
            lr: 3e-4,
            batch: 9,
            speed: 50,
            seed: 123_456_789,
        };
        for c in [d.clone(), other] {
            assert_eq!(VaeConfig::from_hash(&c.to_hash()), Ok(c.clone()));
            assert_eq!(VaeConfig::from_hash(&format!("#{}", c.to_hash())), Ok(c));
        }
        for bad in [
            "",
            "#",
            "x",
            "k=3&lr=1",
            "beta=NaN",
            "vdec=poisson",
            "vh=abc",
            "beta=1&&oops",
        ] {
            assert!(
                matches!(VaeConfig::from_hash(bad), Err(ModelError::BadHash(_))),
                "{bad:?} accepted"
            );
        }
        let c = VaeConfig::from_hash("beta=1e9&vh=0&vlr=-1&vsig=inf&vbs=99999&vspeed=0&k=8")
            .expect("clamps");
        assert_eq!(
            (c.beta, c.hidden, c.lr, c.sigma, c.batch, c.speed),
            (
                *BETA.end(),
                *HIDDEN.start(),
                *LR.start(),
                *SIGMA.end(),
                *BATCH.end(),
                1
            )
        );
        assert_eq!(c.validate(), Ok(()));
    }

    /// The link format is a promise: links shared today must keep opening the same settings.
    #[test]
    fn golden_link() {
        assert_eq!(
            VaeConfig::default().to_hash(),
            "vh=64&vd=2&vdec=bernoulli&vsig=0.1&beta=1&vlr=0.002&vbs=64&vspeed=10&vseed=1"
        );
        let c = VaeConfig::from_hash(
            "vh=32&vd=1&vdec=gaussian&vsig=0.2&beta=0.5&vlr=0.001&vbs=32&vspeed=5&vseed=7",
        )
        .expect("reads");
        assert_eq!(c.likelihood(), Likelihood::Gaussian { sigma: 0.2 });
        assert_eq!(
            (c.hidden, c.depth, c.beta, c.batch, c.speed, c.seed),
            (32, 1, 0.5, 32, 5, 7)
        );
    }

    #[test]
    fn validate_names_the_field_and_clamped_repairs_it() {
        let c = VaeConfig {
            beta: f32::NAN,
            ..VaeConfig::default()
        };
        assert!(matches!(
            c.validate(),
            Err(ModelError::InvalidConfig { field: "beta", .. })
        ));
        assert_eq!(c.clamped(), VaeConfig::default());
    }
}
