//! The semi-supervised GAN demo's settings, their ranges and the settings link
//! (`#data=moons&lab=10&unl=1000&...`).

use super::data::LabelledSet;
use crate::link::{link_names, LinkVisitor, Settings};
use crate::ranges::clamp_or;
use std::ops::RangeInclusive;

/// Labelled points per class.
pub const LABELS: RangeInclusive<usize> = 1..=50;
/// Unlabelled points (all classes together).
pub const UNLABELLED: RangeInclusive<usize> = 50..=4000;
/// Hidden width of the critic and the generator.
pub const HIDDEN: RangeInclusive<usize> = 8..=128;
/// Adam learning rates.
pub const LR: RangeInclusive<f32> = 1e-5..=0.05;
/// Unlabelled and generated points per step.
pub const BATCH: RangeInclusive<usize> = 8..=512;
/// Training steps per animation frame.
pub const SPEED: RangeInclusive<usize> = 1..=50;

link_names!(
    LabelledSet => &LabelledSet::ALL,
);

/// All settings of the semi-supervised GAN demo.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SsganConfig {
    pub dataset: LabelledSet,
    /// Labelled points per class, in [`LABELS`].
    pub labels: usize,
    /// Unlabelled points, in [`UNLABELLED`].
    pub unlabelled: usize,
    /// Hidden width, in [`HIDDEN`].
    pub hidden: usize,
    /// The critic's (and the labels-only classifier's) learning rate, in [`LR`].
    pub lr_d: f32,
    /// The generator's learning rate, in [`LR`].
    pub lr_g: f32,
    /// Unlabelled and generated points per step, in [`BATCH`].
    pub batch: usize,
    /// Steps per animation frame, in [`SPEED`].
    pub speed: usize,
    pub seed: u64,
}

impl Default for SsganConfig {
    fn default() -> Self {
        SsganConfig {
            dataset: LabelledSet::Moons,
            labels: 10,
            unlabelled: 1000,
            hidden: 64,
            lr_d: 2e-3,
            lr_g: 1e-3,
            batch: 128,
            speed: 10,
            seed: 1,
        }
    }
}

impl SsganConfig {
    /// Every field in range (NaN becomes the default).
    pub fn clamped(self) -> SsganConfig {
        let d = SsganConfig::default();
        let cu = |v: usize, r: &RangeInclusive<usize>| v.clamp(*r.start(), *r.end());
        SsganConfig {
            dataset: self.dataset,
            labels: cu(self.labels, &LABELS),
            unlabelled: cu(self.unlabelled, &UNLABELLED),
            hidden: cu(self.hidden, &HIDDEN),
            lr_d: clamp_or(self.lr_d, &LR, d.lr_d),
            lr_g: clamp_or(self.lr_g, &LR, d.lr_g),
            batch: cu(self.batch, &BATCH),
            speed: cu(self.speed, &SPEED),
            seed: self.seed,
        }
    }
}

impl Settings for SsganConfig {
    const WHAT: &'static str = "semi-supervised GAN";
    /// The link's keys, in link order (a promise: links shared today must read later).
    fn fields(&mut self, v: &mut dyn LinkVisitor) -> Result<(), String> {
        v.field("data", &mut self.dataset)?;
        v.field("lab", &mut self.labels)?;
        v.field("unl", &mut self.unlabelled)?;
        v.field("h", &mut self.hidden)?;
        v.field("lrd", &mut self.lr_d)?;
        v.field("lrg", &mut self.lr_g)?;
        v.field("bs", &mut self.batch)?;
        v.field("sp", &mut self.speed)?;
        v.field("seed", &mut self.seed)
    }
    fn finish(self) -> Result<Self, String> {
        Ok(self.clamped())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_reads_back_clamps_and_keeps_its_meaning() {
        let c = SsganConfig {
            dataset: LabelledSet::Rings,
            labels: 3,
            lr_g: 5e-4,
            seed: 9,
            ..SsganConfig::default()
        };
        assert_eq!(SsganConfig::from_hash(&c.to_hash()), Ok(c));
        // A frozen link of this version keeps meaning the defaults.
        assert_eq!(
            SsganConfig::from_hash(
                "data=moons&lab=10&unl=1000&h=64&lrd=0.002&lrg=0.001&bs=128&sp=10&seed=1"
            ),
            Ok(SsganConfig::default())
        );
        assert_eq!(
            SsganConfig::default().to_hash(),
            "data=moons&lab=10&unl=1000&h=64&lrd=0.002&lrg=0.001&bs=128&sp=10&seed=1"
        );
        let wild = SsganConfig::from_hash("lab=0&unl=1e9&lrd=9").expect("clamped");
        assert_eq!((wild.labels, wild.unlabelled, wild.lr_d), (1, 4000, 0.05));
        assert!(SsganConfig::from_hash("data=swirl").is_err());
        assert!(SsganConfig::from_hash("nothing=1").is_err());
    }
}
