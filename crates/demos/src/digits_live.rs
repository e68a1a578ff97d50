//! The digits flow and diffusion models as the animation loop and the training worker see them
//! (drawing happens in the components, `digits_flow.rs` and `digits_diffusion.rs`).
//!
//! A run handed to the worker carries the digits: bytes = a flag, then (flag 1) the digits
//! file's bytes with their u32 length, then the run. The page sends them with every hand-over
//! (the worker cannot fetch them itself); the worker, which has no `window`, leaves them out of
//! what it posts back, and the page keeps its own copy.

use super::shared::Live;
use gentutor_models::digits::Digits;
use gentutor_models::digits_diffusion::{DigitsDiffusion, DigitsSampler};
use gentutor_models::digits_flow::DigitsFlow;
use std::cell::RefCell;

/// Reverse steps per animation frame while sampling (T = 100 takes 100 frames, ~1.7 s).
pub const SAMPLE_STEPS_PER_FRAME: usize = 1;

thread_local! {
    /// The digits on this side (page or worker), once known.
    static DIGITS: RefCell<Option<Digits>> = const { RefCell::new(None) };
}

/// Makes `d` the digits runs are decoded against on this side.
pub fn set_digits(d: &Digits) {
    DIGITS.with_borrow_mut(|slot| *slot = Some(d.clone()));
}

fn with_digits(run: Vec<u8>) -> Vec<u8> {
    let digits = web_sys::window()
        .is_some()
        .then(|| DIGITS.with_borrow(|d| d.as_ref().and_then(|d| d.encode().ok())))
        .flatten();
    let mut out = Vec::with_capacity(run.len() + 80_000);
    match digits {
        Some(d) => {
            out.push(1);
            out.extend_from_slice(&(d.len() as u32).to_le_bytes());
            out.extend_from_slice(&d);
        }
        None => out.push(0),
    }
    out.extend(run);
    out
}

/// The run's bytes and the digits to decode it against.
fn split_digits(bytes: &[u8]) -> Result<(Digits, &[u8]), String> {
    let bad = || "the run handed over is damaged; press Reset".to_string();
    let rest = match bytes.first() {
        Some(1) => {
            let len = bytes
                .get(1..5)
                .and_then(|b| b.try_into().ok())
                .map(u32::from_le_bytes)
                .ok_or_else(bad)? as usize;
            let d = bytes.get(5..5 + len).ok_or_else(bad)?;
            set_digits(&Digits::parse(d).map_err(|e| e.to_string())?);
            &bytes[5 + len..]
        }
        Some(0) => &bytes[1..],
        _ => return Err(bad()),
    };
    let digits = DIGITS
        .with_borrow(Clone::clone)
        .ok_or("the digits are not loaded; press Reset")?;
    Ok((digits, rest))
}

/// The flow demo's run.
pub struct FlowLive(pub DigitsFlow);

impl Live for FlowLive {
    fn train(&mut self, n: usize) -> Result<(), String> {
        self.0.step(n).map_err(|e| e.to_string())
    }
    fn draw(&self, _canvas: &web_sys::HtmlCanvasElement) -> Result<(), String> {
        Ok(())
    }
}

impl super::worker::Remote for FlowLive {
    const KIND: &'static str = "digits-flow";
    fn to_bytes(&self) -> Vec<u8> {
        with_digits(self.0.to_bytes())
    }
    fn from_bytes(bytes: &[u8]) -> Result<Self, String> {
        let (digits, run) = split_digits(bytes)?;
        DigitsFlow::from_bytes(run, digits)
            .map(FlowLive)
            .map_err(|e| e.to_string())
    }
}

/// The diffusion demo's run and, while samples are shown, their sampler: then the loop only
/// samples (training resumes from the Train button, which clears them).
pub struct DiffusionLive {
    pub model: DigitsDiffusion,
    pub sampler: Option<DigitsSampler>,
}

impl Live for DiffusionLive {
    fn train(&mut self, n: usize) -> Result<(), String> {
        if let Some(s) = self.sampler.as_mut() {
            if !s.done() {
                s.step(self.model.denoiser(), SAMPLE_STEPS_PER_FRAME)
                    .map_err(|e| e.to_string())?;
            }
            return Ok(());
        }
        self.model.step(n).map_err(|e| e.to_string())
    }
    fn draw(&self, _canvas: &web_sys::HtmlCanvasElement) -> Result<(), String> {
        Ok(())
    }
    fn finished(&self) -> bool {
        self.sampler.as_ref().is_some_and(DigitsSampler::done)
    }
}

/// Only training crosses to the worker: sampling is short and stays on the page.
impl super::worker::Remote for DiffusionLive {
    const KIND: &'static str = "digits-diffusion";
    fn to_bytes(&self) -> Vec<u8> {
        with_digits(self.model.to_bytes())
    }
    fn from_bytes(bytes: &[u8]) -> Result<Self, String> {
        let (digits, run) = split_digits(bytes)?;
        let model = DigitsDiffusion::from_bytes(run, digits).map_err(|e| e.to_string())?;
        Ok(DiffusionLive {
            model,
            sampler: None,
        })
    }
}
