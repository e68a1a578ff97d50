//! One benchmark for the digit models (classifier, VAE, GAN, flow, diffusion) and the two theory
//! demos (adversarial examples, semi-supervised GAN), run by the same code natively
//! (`examples/bench_parity.rs`) and in the browser (`/bench`), so the two sets of figures
//! compare like with like. The settings are those of the per-model native examples
//! (`bench_vae`, `bench_digits_gan`, `bench_digits_flow`, `bench_digits_diffusion`,
//! `bench_adversarial`, `bench_ssgan`): each model's default configuration, 50 warm-up steps,
//! the same number of timed steps and the same sampling calls. The clock is injected.

use crate::adversarial::{AttackSettings, AttackView, ModelsTrainer, Target, GREY_STEP};
use crate::bench::bench_steps;
use crate::digit_classifier::{self, Classifier};
use crate::digits::Digits;
use crate::digits_diffusion::{DiffusionDigitsConfig, DigitsDiffusion};
use crate::digits_flow::{DigitsFlow, FlowConfig};
use crate::digits_gan::{Coverage, DigitsGan, DigitsGanConfig};
use crate::rng::Rng;
use crate::ssgan::{Ssgan, SsganConfig};
use crate::vae::{VaeConfig, VaeTrainer};

/// Warm-up steps before every timed run (as in the native examples).
pub const WARMUP: usize = 50;

/// One measured figure.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// Stable key, e.g. `vae_steps_per_s` (the JSON name).
    pub key: &'static str,
    /// What was measured, for tables.
    pub label: &'static str,
    pub value: f64,
    /// `steps/s` (higher is faster) or `ms` (lower is faster).
    pub unit: &'static str,
}

impl Figure {
    fn rate(key: &'static str, label: &'static str, value: f64) -> Figure {
        Figure {
            key,
            label,
            value,
            unit: "steps/s",
        }
    }
    fn ms(key: &'static str, label: &'static str, value: f64) -> Figure {
        Figure {
            key,
            label,
            value,
            unit: "ms",
        }
    }
    /// Whether a higher value means faster (a rate) rather than slower (a time).
    pub fn higher_is_faster(&self) -> bool {
        self.unit == "steps/s"
    }
}

/// One model's part of the suite.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    Classifier,
    Vae,
    Gan,
    Flow,
    Diffusion,
    Adversarial,
    Ssgan,
}

impl Job {
    pub const ALL: [Job; 7] = [
        Job::Classifier,
        Job::Vae,
        Job::Gan,
        Job::Flow,
        Job::Diffusion,
        Job::Adversarial,
        Job::Ssgan,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Job::Classifier => "digit classifier",
            Job::Vae => "VAE",
            Job::Gan => "digits GAN",
            Job::Flow => "digits flow",
            Job::Diffusion => "digits diffusion",
            Job::Adversarial => "adversarial examples",
            Job::Ssgan => "semi-supervised GAN",
        }
    }
}

/// Mean time of `reps` calls of `f`, in ms.
fn time_ms(reps: usize, now: &mut dyn FnMut() -> f64, mut f: impl FnMut()) -> f64 {
    let reps = reps.max(1);
    let t0 = now();
    for _ in 0..reps {
        f();
    }
    (now() - t0) / reps as f64
}

fn rate<E: ToString>(
    step: impl FnMut(usize) -> Result<(), E>,
    steps: usize,
    now: &mut dyn FnMut() -> f64,
) -> Result<f64, String> {
    bench_steps(step, WARMUP, steps, &mut *now)
        .map(|r| r.steps_per_sec)
        .map_err(|e| e.to_string())
}

/// Runs one job on `data` (the shipped digits); `classifier` reads out the GAN's coverage (the
/// site's shipped classifier in the browser, [`Classifier::standard`] natively: same network).
/// `now()` returns milliseconds.
pub fn run(
    job: Job,
    data: &Digits,
    classifier: &Classifier,
    now: &mut dyn FnMut() -> f64,
) -> Result<Vec<Figure>, String> {
    Ok(match job {
        Job::Classifier => {
            // The standard classifier's training (64 -> 64 -> 10, batch 64, Adam 2e-3), timed
            // over its 1,500 steps; then predicting the held-out digits.
            let split = data.standard_split();
            let mut rng = Rng::new(digit_classifier::SEED);
            let mut c = Classifier::new(&digit_classifier::HIDDEN, &mut rng);
            let sps = rate(
                |n| c.train(data, &split, n, digit_classifier::BATCH, &mut rng),
                digit_classifier::STEPS,
                now,
            )?;
            let test = data.batch_unit(&split.test);
            let predict = time_ms(20, now, || {
                std::hint::black_box(c.predict(test.view()));
            });
            vec![
                Figure::rate(
                    "classifier_steps_per_s",
                    "classifier training (1,500 timed steps)",
                    sps,
                ),
                Figure::ms(
                    "classifier_predict_ms",
                    "classify the 359 held-out digits",
                    predict,
                ),
            ]
        }
        Job::Vae => {
            let mut t =
                VaeTrainer::new(&VaeConfig::default(), data.clone()).map_err(|e| e.to_string())?;
            let sps = rate(|n| t.step(n), 3000, now)?;
            let grid = time_ms(200, now, || {
                std::hint::black_box(t.decoded_grid(15, 3.0));
            });
            vec![
                Figure::rate("vae_steps_per_s", "VAE training (3,000 timed steps)", sps),
                Figure::ms("vae_grid_ms", "VAE: decode the 15x15 latent grid", grid),
            ]
        }
        Job::Gan => {
            let mut g =
                DigitsGan::new(&DigitsGanConfig::default(), data).map_err(|e| e.to_string())?;
            let sps = rate(|n| g.step(n), 1000, now)?;
            let grid = time_ms(200, now, || {
                std::hint::black_box(g.grid());
            });
            let coverage = time_ms(5, now, || {
                std::hint::black_box(Coverage::of(classifier, g.samples(1000, 77).view()));
            });
            vec![
                Figure::rate("gan_steps_per_s", "GAN training (1,000 timed steps)", sps),
                Figure::ms("gan_grid_ms", "GAN: generate the 64-image grid", grid),
                Figure::ms(
                    "gan_coverage_ms",
                    "GAN: 1,000 samples + coverage read-out",
                    coverage,
                ),
            ]
        }
        Job::Flow => {
            let mut f =
                DigitsFlow::new(&FlowConfig::default(), data.clone()).map_err(|e| e.to_string())?;
            let sps = rate(|n| f.step(n), 1000, now)?;
            let mut seed = 0;
            let samples = time_ms(20, now, || {
                seed += 1;
                std::hint::black_box(f.samples(36, 0.7, seed));
            });
            vec![
                Figure::rate("flow_steps_per_s", "flow training (1,000 timed steps)", sps),
                Figure::ms("flow_samples_ms", "flow: 36 samples", samples),
            ]
        }
        Job::Diffusion => {
            let mut m = DigitsDiffusion::new(&DiffusionDigitsConfig::default(), data.clone())
                .map_err(|e| e.to_string())?;
            let sps = rate(|n| m.step(n), 1000, now)?;
            let mut seed = 0;
            let mut failed = None;
            let samples = time_ms(5, now, || {
                seed += 1;
                if let Err(e) = m.sample(36, seed) {
                    failed = Some(e.to_string());
                }
            });
            if let Some(e) = failed {
                return Err(e);
            }
            vec![
                Figure::rate(
                    "diffusion_steps_per_s",
                    "diffusion training (1,000 timed steps)",
                    sps,
                ),
                Figure::ms(
                    "diffusion_samples_ms",
                    "diffusion: 36 samples, T = 100 reverse steps",
                    samples,
                ),
            ]
        }
        Job::Adversarial => {
            let mut t = ModelsTrainer::new(data.clone()).map_err(|e| e.to_string())?;
            let sps = rate(|n| t.step(n), 1450, now)?;
            let m = t.models();
            let mut i = 0;
            let mut failed = None;
            let view = time_ms(50, now, || {
                let s = AttackSettings {
                    image: i,
                    eps: GREY_STEP,
                    target: Target(if i % 2 == 0 { None } else { Some(3) }),
                };
                i += 1;
                if let Err(e) = AttackView::new(&m, s) {
                    failed = Some(e.to_string());
                }
            });
            if let Some(e) = failed {
                return Err(e);
            }
            vec![
                Figure::rate(
                    "adversarial_steps_per_s",
                    "adversarial: train MLP + linear (1,450 timed steps)",
                    sps,
                ),
                Figure::ms(
                    "adversarial_view_ms",
                    "adversarial: one view (attack, sweep, held-out accuracy)",
                    view,
                ),
            ]
        }
        Job::Ssgan => {
            let mut s = Ssgan::new(SsganConfig::default());
            let sps = rate(|n| s.step(n), 1000, now)?;
            let view = time_ms(20, now, || {
                std::hint::black_box(s.view(48));
            });
            vec![
                Figure::rate(
                    "ssgan_steps_per_s",
                    "semi-supervised GAN training (1,000 timed steps)",
                    sps,
                ),
                Figure::ms(
                    "ssgan_view_ms",
                    "semi-supervised GAN: one view (two 48x48 rasters)",
                    view,
                ),
            ]
        }
    })
}

/// The figures as one JSON object (`{"vae_steps_per_s": 812.3, ...}`); a non-finite value is
/// written as null.
pub fn to_json(figures: &[Figure]) -> String {
    let fields: Vec<String> = figures
        .iter()
        .map(|f| {
            if f.value.is_finite() {
                format!("\"{}\":{:.4}", f.key, f.value)
            } else {
                format!("\"{}\":null", f.key)
            }
        })
        .collect();
    format!("{{{}}}", fields.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A clock that advances 1 ms per reading, so every figure is finite and positive.
    fn ticking() -> impl FnMut() -> f64 {
        let mut t = 0.0;
        move || {
            t += 1.0;
            t
        }
    }

    #[test]
    fn every_job_measures_finite_figures_with_distinct_keys() {
        let data = Digits::shipped().expect("shipped digits");
        // A short-trained classifier: only its shape matters for the coverage timing.
        let mut rng = Rng::new(1);
        let classifier = Classifier::new(&digit_classifier::HIDDEN, &mut rng);
        let mut now = ticking();
        let mut keys = std::collections::BTreeSet::new();
        // The two quickest jobs run in full; the others are covered by their own examples and
        // by the browser run (a full run of every job takes tens of seconds in a debug build).
        for job in [Job::Classifier, Job::Adversarial] {
            let figs = run(job, &data, &classifier, &mut now).expect("job runs");
            assert!(!figs.is_empty(), "{job:?} measured nothing");
            for f in figs {
                assert!(f.value.is_finite() && f.value > 0.0, "{f:?}");
                assert!(keys.insert(f.key), "duplicate key {}", f.key);
            }
        }
    }

    #[test]
    fn json_writes_every_key_and_null_for_non_finite() {
        let figs = [
            Figure::rate("a_steps_per_s", "a", 12.5),
            Figure::ms("b_ms", "b", f64::NAN),
        ];
        assert_eq!(to_json(&figs), "{\"a_steps_per_s\":12.5000,\"b_ms\":null}");
        assert!(figs[0].higher_is_faster() && !figs[1].higher_is_faster());
    }
}
