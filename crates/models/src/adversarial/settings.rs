//! The adversarial demo's settings and their link (`#img=3&eps=0.0625&tgt=none`).

use crate::digits::CLASSES;
use crate::link::{LinkValue, LinkVisitor, Settings};
use crate::ranges::{clamp_or, LinkField};
use std::ops::RangeInclusive;

/// The eps slider's range: up to 8 grey levels (half the pixel range).
pub const EPS_MAX: f32 = 0.5;
/// The slider's step: a quarter of a grey level.
pub const EPS_STEP: f32 = 1.0 / 64.0;
const EPS: RangeInclusive<f32> = 0.0..=EPS_MAX;

/// The target digit of a targeted attack, or none (untargeted).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Target(pub Option<usize>);

impl LinkValue for Target {
    fn write(&self) -> Option<String> {
        Some(self.0.map_or_else(|| "none".to_string(), |t| t.to_string()))
    }
    fn read(&mut self, f: &LinkField) -> Result<(), String> {
        self.0 = match f.val {
            "none" => None,
            v => match v.parse::<usize>() {
                Ok(t) if t < CLASSES => Some(t),
                _ => return Err(f.bad("none or a digit 0-9")),
            },
        };
        Ok(())
    }
}

/// What the demo shows: which held-out image, how large a step, aimed where.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AttackSettings {
    /// Index into the held-out digits (wraps around their count).
    pub image: usize,
    /// The max-norm budget in pixel units ([0, 1]; one grey level is 1/16).
    pub eps: f32,
    pub target: Target,
}

impl Default for AttackSettings {
    /// One grey level, untargeted, on held-out digit 32: a 3 both models get right (MLP
    /// 100%, linear 93%) that one grey level turns into a 7 for the MLP.
    fn default() -> Self {
        AttackSettings {
            image: 32,
            eps: 1.0 / 16.0,
            target: Target(None),
        }
    }
}

impl AttackSettings {
    /// eps in range (NaN becomes the default); the image index is wrapped by the view.
    pub fn clamped(self) -> AttackSettings {
        AttackSettings {
            eps: clamp_or(self.eps, &EPS, AttackSettings::default().eps),
            ..self
        }
    }
}

impl Settings for AttackSettings {
    const WHAT: &'static str = "adversarial";
    fn fields(&mut self, v: &mut dyn LinkVisitor) -> Result<(), String> {
        v.field("img", &mut self.image)?;
        v.field("eps", &mut self.eps)?;
        v.field("tgt", &mut self.target)
    }
    fn finish(self) -> Result<Self, String> {
        Ok(self.clamped())
    }
}
