//! The digits GAN's settings, their ranges and the settings link (`#gz=16&gh=128&...`).

use crate::error::ModelError;
use crate::link::{LinkVisitor, Settings};
use crate::ranges::{check, clamp_or};
use serde::{Deserialize, Serialize};
use std::ops::RangeInclusive;

/// Dimensions of the generator's noise z.
pub const LATENT: RangeInclusive<usize> = 2..=64;
/// Hidden width of both networks.
pub const HIDDEN: RangeInclusive<usize> = 16..=256;
/// Adam learning rates of G and D.
pub const LR: RangeInclusive<f32> = 1e-5..=1e-2;
/// Minibatch size (real images, and as many fakes).
pub const BATCH: RangeInclusive<usize> = 8..=256;
/// Training steps per animation frame.
pub const SPEED: RangeInclusive<usize> = 1..=50;

/// All settings of the digits GAN demo.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DigitsGanConfig {
    /// Noise dimensions, in [`LATENT`].
    pub latent: usize,
    /// Hidden width of G and D (two hidden layers each), in [`HIDDEN`].
    pub hidden: usize,
    /// Generator learning rate, in [`LR`]; changing it keeps the run.
    pub lr_g: f32,
    /// Discriminator learning rate, in [`LR`]; changing it keeps the run.
    pub lr_d: f32,
    /// Minibatch size, in [`BATCH`].
    pub batch: usize,
    /// Steps per animation frame, in [`SPEED`].
    pub speed: usize,
    /// Seed of the initial weights and of every random draw.
    pub seed: u64,
}

impl Default for DigitsGanConfig {
    /// The shipped checkpoint's settings (see `checkpoint::RECIPES`).
    fn default() -> Self {
        DigitsGanConfig {
            latent: 16,
            hidden: 128,
            lr_g: 1e-3,
            lr_d: 1e-3,
            batch: 64,
            speed: 5,
            seed: 1,
        }
    }
}

/// Named starting points for lesson blocks (`preset = "collapse"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    /// [`DigitsGanConfig::default`], the shipped checkpoint's settings.
    Default,
    /// The generator's learning rate 25 times the discriminator's: on seed 1, every sample is
    /// the same digit after 1,000 steps from scratch (a test checks it).
    Collapse,
}

impl Preset {
    pub const ALL: [Preset; 2] = [Preset::Default, Preset::Collapse];

    /// Name in lesson blocks.
    pub fn name(self) -> &'static str {
        match self {
            Preset::Default => "default",
            Preset::Collapse => "collapse",
        }
    }

    pub fn from_name(s: &str) -> Option<Preset> {
        Preset::ALL.into_iter().find(|p| p.name() == s)
    }

    /// The preset's settings.
    pub fn config(self) -> DigitsGanConfig {
        match self {
            Preset::Default => DigitsGanConfig::default(),
            Preset::Collapse => DigitsGanConfig {
                lr_g: 5e-3,
                lr_d: 2e-4,
                ..DigitsGanConfig::default()
            },
        }
    }

    /// Whether the demo starts from the shipped checkpoint (else from scratch, so the learner
    /// watches the preset's run unfold).
    pub fn from_checkpoint(self) -> bool {
        self == Preset::Default
    }
}

impl DigitsGanConfig {
    /// A copy with every field forced into its range (NaN becomes the default).
    pub fn clamped(&self) -> DigitsGanConfig {
        let d = DigitsGanConfig::default();
        let cu = |v: usize, r: &RangeInclusive<usize>| v.clamp(*r.start(), *r.end());
        DigitsGanConfig {
            latent: cu(self.latent, &LATENT),
            hidden: cu(self.hidden, &HIDDEN),
            lr_g: clamp_or(self.lr_g, &LR, d.lr_g),
            lr_d: clamp_or(self.lr_d, &LR, d.lr_d),
            batch: cu(self.batch, &BATCH),
            speed: cu(self.speed, &SPEED),
            seed: self.seed,
        }
    }

    /// Checks every field; the error names the first one out of range.
    pub fn validate(&self) -> Result<(), ModelError> {
        check("latent", self.latent, &LATENT)?;
        check("hidden", self.hidden, &HIDDEN)?;
        check("lr_g", self.lr_g, &LR)?;
        check("lr_d", self.lr_d, &LR)?;
        check("batch", self.batch, &BATCH)?;
        check("speed", self.speed, &SPEED)
    }

    /// Whether `other` trains the same networks (only the live settings differ).
    pub fn same_networks(&self, other: &DigitsGanConfig) -> bool {
        (self.latent, self.hidden, self.seed) == (other.latent, other.hidden, other.seed)
    }
}

impl Settings for DigitsGanConfig {
    const WHAT: &'static str = "digits GAN";
    /// Keys prefixed `g` so a page can hold several demos' links in one hash. A promise: links
    /// written today must keep reading.
    fn fields(&mut self, v: &mut dyn LinkVisitor) -> Result<(), String> {
        v.field("gz", &mut self.latent)?;
        v.field("gh", &mut self.hidden)?;
        v.field("glrg", &mut self.lr_g)?;
        v.field("glrd", &mut self.lr_d)?;
        v.field("gbs", &mut self.batch)?;
        v.field("gspeed", &mut self.speed)?;
        v.field("gseed", &mut self.seed)
    }
    fn finish(self) -> Result<Self, String> {
        Ok(self.clamped())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_round_trips_clamps_and_refuses_garbage() {
        let d = DigitsGanConfig::default();
        assert_eq!(d.validate(), Ok(()));
        let other = DigitsGanConfig {
            latent: 5,
            hidden: 33,
            lr_g: 3e-4,
            lr_d: 2e-3,
            batch: 17,
            speed: 40,
            seed: 987_654_321_012,
        };
        for c in [d, other] {
            assert_eq!(DigitsGanConfig::from_hash(&c.to_hash()), Ok(c.clone()));
            assert_eq!(
                DigitsGanConfig::from_hash(&format!("#{}&vh=3", c.to_hash())),
                Ok(c)
            );
        }
        for bad in ["", "vh=64", "gz=abc", "glrg=NaN", "gh=4&&x"] {
            assert!(
                matches!(DigitsGanConfig::from_hash(bad), Err(ModelError::BadHash(_))),
                "{bad:?} accepted"
            );
        }
        let c = DigitsGanConfig::from_hash("gz=0&gh=99999&glrg=-1&glrd=inf&gbs=1&gspeed=0")
            .expect("clamps");
        assert_eq!(c.validate(), Ok(()));
        assert_eq!((c.latent, c.hidden, c.lr_g, c.batch), (2, 256, 1e-5, 8));
    }

    /// Links shared today must keep opening the same settings.
    #[test]
    fn golden_link() {
        assert_eq!(
            DigitsGanConfig::default().to_hash(),
            "gz=16&gh=128&glrg=0.001&glrd=0.001&gbs=64&gspeed=5&gseed=1"
        );
        let c = DigitsGanConfig::from_hash("gh=64&glrd=0.0005&gseed=9").expect("reads");
        assert_eq!((c.hidden, c.lr_d, c.seed, c.latent), (64, 5e-4, 9, 16));
        assert!(c.same_networks(&DigitsGanConfig {
            lr_d: 0.01,
            ..c.clone()
        }));
        assert!(!c.same_networks(&DigitsGanConfig {
            hidden: 32,
            ..c.clone()
        }));
    }
}
