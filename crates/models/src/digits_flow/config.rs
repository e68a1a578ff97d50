//! The digits flow's settings, their ranges and the settings link (`#fl=6&fh=64&...`).

use crate::error::ModelError;
use crate::link::{LinkVisitor, Settings};
use crate::ranges::{check, clamp_or};
use serde::{Deserialize, Serialize};
use std::ops::RangeInclusive;

/// Coupling layers K.
pub const LAYERS: RangeInclusive<usize> = 2..=12;
/// Hidden width of each conditioner MLP.
pub const HIDDEN: RangeInclusive<usize> = 8..=256;
/// Adam learning rate.
pub const LR: RangeInclusive<f32> = 1e-5..=1e-2;
/// Minibatch size.
pub const BATCH: RangeInclusive<usize> = 8..=256;
/// Sampling temperature: z ~ N(0, T^2 I).
pub const TEMPERATURE: RangeInclusive<f32> = 0.0..=1.5;
/// Training steps per animation frame.
pub const SPEED: RangeInclusive<usize> = 1..=50;

/// All settings of the digits flow demo.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlowConfig {
    pub layers: usize,
    pub hidden: usize,
    pub lr: f32,
    pub batch: usize,
    /// Only changes the samples shown, never the run.
    pub temperature: f32,
    pub speed: usize,
    pub seed: u64,
}

impl Default for FlowConfig {
    fn default() -> Self {
        FlowConfig {
            layers: 6,
            hidden: 64,
            lr: 1e-3,
            batch: 64,
            temperature: 0.7,
            speed: 5,
            seed: 1,
        }
    }
}

impl FlowConfig {
    /// A copy with every field forced into its range (NaN becomes the default).
    pub fn clamped(&self) -> FlowConfig {
        let d = FlowConfig::default();
        let cu = |v: usize, r: &RangeInclusive<usize>| v.clamp(*r.start(), *r.end());
        FlowConfig {
            layers: cu(self.layers, &LAYERS),
            hidden: cu(self.hidden, &HIDDEN),
            lr: clamp_or(self.lr, &LR, d.lr),
            batch: cu(self.batch, &BATCH),
            temperature: clamp_or(self.temperature, &TEMPERATURE, d.temperature),
            speed: cu(self.speed, &SPEED),
            seed: self.seed,
        }
    }

    /// Checks every field; the error names the first one out of range.
    pub fn validate(&self) -> Result<(), ModelError> {
        check("layers", self.layers, &LAYERS)?;
        check("hidden", self.hidden, &HIDDEN)?;
        check("lr", self.lr, &LR)?;
        check("batch", self.batch, &BATCH)?;
        check("temperature", self.temperature, &TEMPERATURE)?;
        check("speed", self.speed, &SPEED)
    }
}

impl Settings for FlowConfig {
    const WHAT: &'static str = "digits flow";
    /// Keys prefixed `f` so a page can hold several demos' links in one hash. A promise: links
    /// written today must keep reading.
    fn fields(&mut self, v: &mut dyn LinkVisitor) -> Result<(), String> {
        v.field("fl", &mut self.layers)?;
        v.field("fh", &mut self.hidden)?;
        v.field("flr", &mut self.lr)?;
        v.field("fbs", &mut self.batch)?;
        v.field("ftemp", &mut self.temperature)?;
        v.field("fspeed", &mut self.speed)?;
        v.field("fseed", &mut self.seed)
    }
    fn finish(self) -> Result<Self, String> {
        Ok(self.clamped())
    }
}
