//! The digits diffusion demo's settings, their ranges and the settings link (`#dT=100&...`).

use crate::diffusion::ScheduleKind;
use crate::error::ModelError;
use crate::link::{LinkName, LinkVisitor, Settings};
use crate::ranges::{check, clamp_or};
use serde::{Deserialize, Serialize};
use std::ops::RangeInclusive;

/// Diffusion steps T.
pub const STEPS: RangeInclusive<usize> = 10..=1000;
/// Hidden width of the denoiser.
pub const HIDDEN: RangeInclusive<usize> = 16..=512;
/// Hidden layers of the denoiser.
pub const DEPTH: RangeInclusive<usize> = 1..=4;
/// Adam learning rate.
pub const LR: RangeInclusive<f32> = 1e-5..=1e-2;
/// Minibatch size.
pub const BATCH: RangeInclusive<usize> = 8..=512;
/// Training steps per animation frame.
pub const SPEED: RangeInclusive<usize> = 1..=100;

/// The schedules offered here (no custom endpoints: the 2D demo teaches those).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DigitsSchedule {
    Linear,
    Cosine,
}

impl DigitsSchedule {
    pub fn kind(self) -> ScheduleKind {
        match self {
            DigitsSchedule::Linear => ScheduleKind::Linear,
            DigitsSchedule::Cosine => ScheduleKind::Cosine,
        }
    }
}

impl LinkName for DigitsSchedule {
    const CHOICES: &'static [Self] = &[DigitsSchedule::Linear, DigitsSchedule::Cosine];
    fn link_name(self) -> &'static str {
        match self {
            DigitsSchedule::Linear => "linear",
            DigitsSchedule::Cosine => "cosine",
        }
    }
}

/// All settings of the digits diffusion demo.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiffusionDigitsConfig {
    pub steps: usize,
    pub schedule: DigitsSchedule,
    pub hidden: usize,
    pub depth: usize,
    pub lr: f32,
    pub batch: usize,
    pub speed: usize,
    pub seed: u64,
    /// Clip each sampling step's prediction of x_0 to [-1, 1] (never changes training).
    pub clip: bool,
}

impl Default for DiffusionDigitsConfig {
    fn default() -> Self {
        DiffusionDigitsConfig {
            steps: 100,
            schedule: DigitsSchedule::Cosine,
            hidden: 256,
            depth: 2,
            lr: 1e-3,
            batch: 64,
            speed: 5,
            seed: 1,
            clip: true,
        }
    }
}

impl DiffusionDigitsConfig {
    /// A copy with every field forced into its range (NaN becomes the default).
    pub fn clamped(&self) -> Self {
        let d = Self::default();
        let cu = |v: usize, r: &RangeInclusive<usize>| v.clamp(*r.start(), *r.end());
        DiffusionDigitsConfig {
            steps: cu(self.steps, &STEPS),
            schedule: self.schedule,
            hidden: cu(self.hidden, &HIDDEN),
            depth: cu(self.depth, &DEPTH),
            lr: clamp_or(self.lr, &LR, d.lr),
            batch: cu(self.batch, &BATCH),
            speed: cu(self.speed, &SPEED),
            seed: self.seed,
            clip: self.clip,
        }
    }

    /// Checks every field; the error names the first one out of range.
    pub fn validate(&self) -> Result<(), ModelError> {
        check("steps", self.steps, &STEPS)?;
        check("hidden", self.hidden, &HIDDEN)?;
        check("depth", self.depth, &DEPTH)?;
        check("lr", self.lr, &LR)?;
        check("batch", self.batch, &BATCH)?;
        check("speed", self.speed, &SPEED)
    }
}

impl Settings for DiffusionDigitsConfig {
    const WHAT: &'static str = "digits diffusion";
    /// Keys prefixed `d` (a page may hold several demos' links). A promise: links written
    /// today must keep reading.
    fn fields(&mut self, v: &mut dyn LinkVisitor) -> Result<(), String> {
        v.field("dT", &mut self.steps)?;
        v.field("dsched", &mut self.schedule)?;
        v.field("dh", &mut self.hidden)?;
        v.field("dd", &mut self.depth)?;
        v.field("dlr", &mut self.lr)?;
        v.field("dbs", &mut self.batch)?;
        v.field("dspeed", &mut self.speed)?;
        v.field("dseed", &mut self.seed)?;
        v.field("dclip", &mut self.clip)
    }
    fn finish(self) -> Result<Self, String> {
        Ok(self.clamped())
    }
}
