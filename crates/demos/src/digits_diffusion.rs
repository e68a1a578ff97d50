//! The DDPM on the 8x8 digits: ancestral sampling animated from noise to digits, the same
//! samples at several t, and the L_simple curve. It starts from the checkpoint shipped with the
//! site; "Train from scratch" starts a new denoiser, trained in a Web Worker where the page can
//! start one. All logic is in `gentutor_models::digits_diffusion`.

use super::digits_live::DigitsModel;
use super::digits_runner::Runner;
use super::shared::{
    draw_on_canvas, event_number, lr_to_slider, lr_valuetext, page_theme, slider_to_lr,
};
use gentutor_models::digits::Digits;
use gentutor_models::digits_diffusion::checkpoint::DiffusionWeights;
use gentutor_models::digits_diffusion::{
    to_unit, DiffusionDigitsConfig, DigitsDiffusion, DigitsSampler,
};
use gentutor_plot::digits_models::{draw_curves, draw_diffusion_strip, draw_digit_grid};
use gentutor_plot::theme::Hue;
use leptos::html::Canvas;
use leptos::prelude::*;
use std::collections::BTreeMap;

/// Samples animated (a 6 x 6 grid); the strip shows the first [`STRIP_ROWS`] of them.
const SAMPLES: usize = 36;
const STRIP_ROWS: usize = 3;
/// Reverse steps per animation frame while sampling (T = 100 takes 100 frames, ~1.7 s).
pub const SAMPLE_STEPS_PER_FRAME: usize = 1;

/// The diffusion demo's run and, while samples are shown, their sampler: then the loop only
/// samples (training resumes from the Train button, which clears them). Only training crosses
/// to the worker: sampling is short and stays on the page.
pub struct DiffusionLive {
    pub model: DigitsDiffusion,
    pub sampler: Option<DigitsSampler>,
}

impl DigitsModel for DiffusionLive {
    const KIND: &'static str = "digits-diffusion";
    type Config = DiffusionDigitsConfig;
    type Weights = DiffusionWeights;
    fn clamped(c: &DiffusionDigitsConfig) -> DiffusionDigitsConfig {
        c.clamped()
    }
    fn speed(c: &DiffusionDigitsConfig) -> usize {
        c.speed
    }
    fn set_speed(c: &mut DiffusionDigitsConfig, speed: usize) {
        c.speed = speed;
    }
    fn fits(w: &DiffusionWeights, c: &DiffusionDigitsConfig) -> bool {
        let s = &w.config;
        (s.steps, s.schedule, s.hidden, s.depth) == (c.steps, c.schedule, c.hidden, c.depth)
    }
    fn start(
        c: &DiffusionDigitsConfig,
        from: Option<(u64, DiffusionWeights)>,
        data: Digits,
    ) -> Result<Self, String> {
        let model = match from {
            Some((steps, mut w)) => {
                w.config = c.clone();
                DigitsDiffusion::from_weights(w, steps, data)
            }
            None => DigitsDiffusion::new(c, data),
        };
        model
            .map(DiffusionLive::training)
            .map_err(|e| e.to_string())
    }
    fn set_live(&mut self, c: &DiffusionDigitsConfig) {
        self.model.set_live(c.lr, c.speed, c.clip);
    }
    fn step_count(&self) -> u64 {
        self.model.step_count()
    }
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
    fn finished(&self) -> bool {
        self.sampler.as_ref().is_some_and(DigitsSampler::done)
    }
    fn run_bytes(&self) -> Vec<u8> {
        self.model.to_bytes()
    }
    fn from_run_bytes(bytes: &[u8], data: Digits) -> Result<Self, String> {
        DigitsDiffusion::from_bytes(bytes, data)
            .map(DiffusionLive::training)
            .map_err(|e| e.to_string())
    }
}

impl DiffusionLive {
    fn training(model: DigitsDiffusion) -> Self {
        DiffusionLive {
            model,
            sampler: None,
        }
    }
}

fn unit(x: &ndarray::Array2<f32>, rows: usize) -> Vec<f32> {
    x.rows()
        .into_iter()
        .take(rows)
        .flat_map(|r| r.iter().map(|&v| to_unit(v)).collect::<Vec<_>>())
        .collect()
}

/// A diffusion model on handwritten digits, live.
#[component]
pub fn DigitsDiffusionDemo(
    /// Options from the lesson's `demo digits-diffusion` block: `start` (checkpoint, scratch).
    options: BTreeMap<String, String>,
    /// Unique id on the page (used for the settings in the link).
    id: String,
) -> impl IntoView {
    let run = Runner::<DiffusionLive>::new(&id, DiffusionDigitsConfig::default());
    let (lp, config) = (run.lp, run.config);
    let sample_seed = StoredValue::new(1u64);
    let grid_canvas = NodeRef::<Canvas>::new();
    let strip_canvas = NodeRef::<Canvas>::new();

    // Starts ancestral sampling from fresh noise; the loop then runs reverse steps, not training.
    let sample = move || {
        lp.pause();
        let seed = sample_seed.get_value();
        sample_seed.set_value(seed + 1);
        run.modify(|m| {
            m.sampler = Some(m.model.sampler(SAMPLES, seed).map_err(|e| e.to_string())?);
            Ok(())
        });
        lp.toggle();
    };
    // Back to the checkpoint, then sampling from it.
    let reset = move || {
        if run.reset() {
            sample();
        }
    };
    // Training: samples are cleared so the loop trains again (in the worker where it can).
    let train = move || {
        if !lp.running.get_untracked() {
            let _ = lp.model.try_update_value(|m| {
                if let Some(m) = m.as_mut() {
                    m.0.sampler = None;
                }
            });
        }
        run.play();
    };
    run.load(
        options.get("start").is_some_and(|s| s == "scratch"),
        move |from_ckpt| {
            if from_ckpt {
                sample();
            }
        },
    );

    run.draw_each_frame(move |m| {
        let (Some(cc), Some(gc), Some(sc)) =
            (lp.canvas.get(), grid_canvas.get(), strip_canvas.get())
        else {
            return None;
        };
        let theme = page_theme();
        let samples = match &m.sampler {
            Some(s) => {
                let title = if s.done() {
                    "samples x₀".to_string()
                } else {
                    format!("ancestral sampling: x at t = {}", s.t())
                };
                let snaps: Vec<(usize, Vec<f32>)> = s
                    .snapshots()
                    .iter()
                    .map(|(t, x)| (*t, unit(x, STRIP_ROWS)))
                    .collect();
                draw_on_canvas(&gc, |a| {
                    draw_digit_grid(a, &title, &unit(s.current(), SAMPLES), 6, &theme)
                })
                .and_then(|()| draw_on_canvas(&sc, |a| draw_diffusion_strip(a, &snaps, &theme)))
            }
            None => draw_on_canvas(&gc, |a| {
                draw_digit_grid(
                    a,
                    "Training. Press Sample to draw digits with the current denoiser, from pure noise.",
                    &[],
                    6,
                    &theme,
                )
            })
            .and_then(|()| draw_on_canvas(&sc, |a| draw_diffusion_strip(a, &[], &theme))),
        };
        let v = m.model.view();
        Some(samples.and_then(|()| {
            draw_on_canvas(&cc, |a| {
                draw_curves(
                    a,
                    "L_simple per training batch",
                    "loss",
                    &[("‖ε − ε_θ‖² / 64", &v.loss_curve, Hue::Blue)],
                    &theme,
                )
            })
        }))
    });

    let readout = move || {
        run.read(|m| {
            (
                m.model.step_count(),
                m.model.recent_loss(50),
                m.sampler.as_ref().map(|s| s.t()),
            )
        })
    };
    view! {
        <figure class="demo demo-digits-diffusion" data-testid="demo-digits-diffusion" id=id.clone()>
            <figcaption>"A diffusion model on handwritten digits, live"</figcaption>
            <p class="demo-help">"A small MLP ε_θ(x_t, t) learned to predict the noise that was added to a digit (L_simple). Sampling starts from pure noise x_T and applies T = 100 small denoising steps, each adding a little fresh noise: watch the sample grid, and beside it (below it on a phone) the same three samples at several t. Train continues the training (in a background worker where possible); Sample draws new digits."</p>
            {run.notices("Loading the digits and the trained denoiser…")}
            <div class="demo-canvases">
                <canvas node_ref=grid_canvas width="440" height="460" class="demo-canvas"
                    aria-label="36 samples on their way from noise to digits"></canvas>
                <canvas node_ref=strip_canvas width="440" height="300" class="demo-canvas"
                    aria-label="The same three samples at t = T, 3T/4, T/2, T/4, T/10 and 0"></canvas>
            </div>
            <canvas node_ref=lp.canvas width="760" height="240" class="demo-canvas"
                aria-label="The training loss L_simple per step"></canvas>
            <p class="demo-readout">
                {move || match readout() {
                    Some((step, loss, t)) => view! {
                        <span data-testid="digits-diffusion-step">{format!("step {step}")}</span>
                        {run.start_text()}
                        {if loss.is_finite() { format!(" · L_simple {loss:.3}") } else { String::new() }}
                        <span data-testid="digits-diffusion-t">{match t {
                            Some(0) => " · sampled".to_string(),
                            Some(t) => format!(" · sampling, t = {t}"),
                            None => String::new(),
                        }}</span>
                    }.into_any(),
                    None => view! { <span>"No model yet"</span> }.into_any(),
                }}
                {run.worker_note()}
            </p>
            {run.buttons(train, "Train", reset, "One training step, or one reverse step while sampling",
                view! {
                    <button class="secondary" data-testid="digits-diffusion-sample" on:click=move |_| sample()>"Sample"</button>
                })}
            <div class="demo-controls">
                <label>{move || format!("Learning rate = {:.0e}", config.get().lr)}
                    <input type="range" min="-5" max="-2" step="0.1" data-testid="digits-diffusion-lr"
                        aria-valuetext=move || lr_valuetext(config.get().lr)
                        prop:value=move || lr_to_slider(config.get().lr).to_string()
                        on:change=move |ev| if let Some(v) = event_number(&ev) { run.set_live(&|c| c.lr = slider_to_lr(v)) } />
                </label>
                {run.speed_slider("Training steps per frame")}
                <label>{move || format!("Hidden width = {} (restarts)", config.get().hidden)}
                    <input type="range" min="32" max="512" step="32"
                        prop:value=move || config.get().hidden.to_string()
                        on:change=move |ev| if let Some(v) = event_number(&ev) { run.set_restart(&|c| c.hidden = v as usize) } />
                </label>
                <label class="check">
                    <input type="checkbox" data-testid="digits-diffusion-clip"
                        prop:checked=move || config.get().clip
                        on:change=move |ev| { let on = event_target_checked(&ev); run.set_live(&|c| c.clip = on) } />
                    "Clip each step's guess of x_0 to the pixel range"
                </label>
            </div>
            <p class="demo-note">"Learning rate, speed and clipping change the running model (clipping applies to the next Sample); the hidden width starts a new run (from the checkpoint when it matches). The page address holds the settings."</p>
        </figure>
    }
}
