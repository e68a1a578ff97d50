//! The digits models (VAE, GAN, flow, diffusion) as the animation loop and the training worker
//! see them, and the digits they share. Each demo file implements [`DigitsModel`] for its model
//! (its settings, checkpoint and bytes); [`Run`] turns any of them into a [`Live`] model that
//! can cross to the worker ([`Remote`]), and `digits_runner` wires it to the page.
//!
//! A run handed to the worker carries the digits: bytes = a flag, then (flag 1) the digits
//! file's bytes with their u32 length, then the run. The page sends them with every hand-over
//! (the worker cannot fetch them itself); the worker, which has no `window`, leaves them out of
//! what it posts back, and the page keeps its own copy.
//!
//! The digits (74 KB) are fetched from this site the first time a digits demo is shown and kept
//! for the page's lifetime; they are in no WASM module and not in the first load.

use super::shared::Live;
use super::worker::Remote;
use gentutor_models::checkpoint::Checkpointed;
use gentutor_models::digits::{Digits, ASSET_PATH};
use gentutor_models::link::Settings;
use std::cell::RefCell;

thread_local! {
    /// The digits on this side (page or worker), once known.
    static DIGITS: RefCell<Option<Digits>> = const { RefCell::new(None) };
}

/// Makes `d` the digits runs are decoded against on this side.
pub fn set_digits(d: &Digits) {
    DIGITS.with_borrow_mut(|slot| *slot = Some(d.clone()));
}

/// Hands the digits to the demos without a download (the browser tests, whose server has no
/// `/assets`, pass the shipped file's bytes).
pub fn provide_digits(bytes: &[u8]) -> Result<(), String> {
    set_digits(&Digits::parse(bytes).map_err(|e| e.to_string())?);
    Ok(())
}

/// Fetches and parses [`ASSET_PATH`] (same site), once per page. Errors are sentences for the
/// page.
pub async fn fetch_digits() -> Result<Digits, String> {
    if let Some(d) = DIGITS.with_borrow(Clone::clone) {
        return Ok(d);
    }
    // Its errors name the file: "/assets/... could not be downloaded (HTTP 404)".
    let bytes = super::checkpoints::fetch_bytes(ASSET_PATH).await?;
    let digits = Digits::parse(&bytes).map_err(|e| format!("the digits file is damaged: {e}"))?;
    set_digits(&digits);
    Ok(digits)
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

/// What a digits demo's model gives the shared runner: its settings, its shipped checkpoint,
/// its live settings and its whole run as bytes.
pub trait DigitsModel: Sized + Send + Sync + 'static {
    /// The demo's registry name: what the page sends the worker, and the prefix of the
    /// demo's `data-testid`s.
    const KIND: &'static str;
    /// Whether a setting that restarts the run keeps a run from scratch from scratch (else it
    /// goes back to the checkpoint when the settings fit it).
    const RESTART_KEEPS_SCRATCH: bool = false;
    type Config: Settings + Send + Sync + 'static;
    type Weights: Checkpointed + Clone + Send + Sync + 'static;

    /// The settings brought into range.
    fn clamped(c: &Self::Config) -> Self::Config;
    /// Training steps per animation frame.
    fn speed(c: &Self::Config) -> usize;
    fn set_speed(c: &mut Self::Config, speed: usize);
    /// Whether the shipped weights fit these settings (settings that can change in a running
    /// model may differ).
    fn fits(w: &Self::Weights, c: &Self::Config) -> bool;
    /// A run: from the shipped weights (trained `steps` steps) if given, else new networks.
    fn start(
        c: &Self::Config,
        from: Option<(u64, Self::Weights)>,
        data: Digits,
    ) -> Result<Self, String>;
    /// Applies the settings that change a running model.
    fn set_live(&mut self, c: &Self::Config);
    fn step_count(&self) -> u64;
    /// Trains `n` steps; an error (divergence) stops the loop with its message.
    fn train(&mut self, n: usize) -> Result<(), String>;
    /// True when a finite job (such as sampling) has ended ([`Live::finished`]).
    fn finished(&self) -> bool {
        false
    }
    /// The run as bytes, without the digits.
    fn run_bytes(&self) -> Vec<u8>;
    fn from_run_bytes(bytes: &[u8], data: Digits) -> Result<Self, String>;
    /// The `data-testid` of one of the demo's parts (`<KIND>-<part>`).
    fn test_id(part: &str) -> String {
        format!("{}-{part}", Self::KIND)
    }
}

/// A digits model as the animation loop and the worker see it (drawing happens in the
/// components, from one view per frame).
pub struct Run<M>(pub M);

impl<M: DigitsModel> Live for Run<M> {
    fn train(&mut self, n: usize) -> Result<(), String> {
        self.0.train(n)
    }
    fn finished(&self) -> bool {
        self.0.finished()
    }
}

impl<M: DigitsModel> Remote for Run<M> {
    const KIND: &'static str = M::KIND;
    fn to_bytes(&self) -> Vec<u8> {
        with_digits(self.0.run_bytes())
    }
    fn from_bytes(bytes: &[u8]) -> Result<Self, String> {
        let (digits, run) = split_digits(bytes)?;
        M::from_run_bytes(run, digits).map(Run)
    }
}
