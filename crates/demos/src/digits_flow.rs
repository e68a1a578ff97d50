//! The RealNVP on the 8x8 digits: samples at a temperature as an image grid, and the bits/dim
//! curves (minibatch while training, exact on the held-out split every 100 steps). It starts
//! from the checkpoint shipped with the site; "Train from scratch" starts a new flow, trained in
//! a Web Worker where the page can start one. All logic is in `gentutor_models::digits_flow`.

use super::digits_live::{DigitsModel, Run};
use super::digits_runner::Runner;
use super::shared::{
    draw_on_canvas, event_number, lr_to_slider, lr_valuetext, page_theme, slider_to_lr,
};
use gentutor_models::digits::Digits;
use gentutor_models::digits_flow::checkpoint::FlowWeights;
use gentutor_models::digits_flow::config::{HIDDEN, LAYERS};
use gentutor_models::digits_flow::{DigitsFlow, FlowConfig};
use gentutor_plot::digits_models::{draw_curves, draw_digit_grid};
use gentutor_plot::theme::Hue;
use leptos::html::Canvas;
use leptos::prelude::*;
use std::collections::BTreeMap;

/// Samples shown (a 6 x 6 grid).
const SAMPLES: usize = 36;

/// The flow's run as the animation loop and the worker see it.
pub type FlowLive = Run<DigitsFlow>;

impl DigitsModel for DigitsFlow {
    const KIND: &'static str = "digits-flow";
    type Config = FlowConfig;
    type Weights = FlowWeights;
    fn clamped(c: &FlowConfig) -> FlowConfig {
        c.clamped()
    }
    fn speed(c: &FlowConfig) -> usize {
        c.speed
    }
    fn set_speed(c: &mut FlowConfig, speed: usize) {
        c.speed = speed;
    }
    fn fits(w: &FlowWeights, c: &FlowConfig) -> bool {
        w.config.layers == c.layers && w.config.hidden == c.hidden
    }
    fn start(
        c: &FlowConfig,
        from: Option<(u64, FlowWeights)>,
        data: Digits,
    ) -> Result<Self, String> {
        match from {
            Some((steps, mut w)) => {
                w.config = c.clone();
                DigitsFlow::from_weights(w, steps, data)
            }
            None => DigitsFlow::new(c, data),
        }
        .map_err(|e| e.to_string())
    }
    fn set_live(&mut self, c: &FlowConfig) {
        DigitsFlow::set_live(self, c.lr, c.temperature, c.speed);
    }
    fn step_count(&self) -> u64 {
        DigitsFlow::step_count(self)
    }
    fn train(&mut self, n: usize) -> Result<(), String> {
        self.step(n).map_err(|e| e.to_string())
    }
    fn run_bytes(&self) -> Vec<u8> {
        self.to_bytes()
    }
    fn from_run_bytes(bytes: &[u8], data: Digits) -> Result<Self, String> {
        DigitsFlow::from_bytes(bytes, data).map_err(|e| e.to_string())
    }
}

/// A normalizing flow on handwritten digits, live.
#[component]
pub fn DigitsFlowDemo(
    /// Options from the lesson's `demo digits-flow` block: `start` (checkpoint, scratch).
    options: BTreeMap<String, String>,
    /// Unique id on the page (used for the settings in the link).
    id: String,
) -> impl IntoView {
    let run = Runner::<DigitsFlow>::new(&id, FlowConfig::default());
    let (lp, config) = (run.lp, run.config);
    let sample_seed = RwSignal::new(1u64);
    let grid_canvas = NodeRef::<Canvas>::new();
    run.load(options.get("start").is_some_and(|s| s == "scratch"), |_| {});

    run.draw_each_frame(move |m| {
        let seed = sample_seed.get();
        let temperature = config.get().temperature;
        let (Some(cc), Some(gc)) = (lp.canvas.get(), grid_canvas.get()) else {
            return None;
        };
        let theme = page_theme();
        let s = m.samples(SAMPLES, temperature, seed);
        let title = format!(
            "samples at temperature {temperature:.2}, step {}",
            m.step_count()
        );
        let drawn = draw_on_canvas(&gc, |a| {
            draw_digit_grid(a, &title, s.as_slice().unwrap_or(&[]), 6, &theme)
        });
        let v = m.view(0, seed);
        Some(drawn.and_then(|()| {
            draw_on_canvas(&cc, |a| {
                draw_curves(
                    a,
                    "bits per dimension (lower is better)",
                    "bits/dim",
                    &[
                        ("training batch", &v.train_curve, Hue::Blue),
                        ("held-out test (exact)", &v.test_curve, Hue::Vermillion),
                    ],
                    &theme,
                )
            })
        }))
    });

    let readout = move || run.read(|m| (m.step_count(), m.last_test_bpd()));
    view! {
        <figure class="demo demo-digits-flow" data-testid="demo-digits-flow" id=id.clone()>
            <figcaption>"A normalizing flow on handwritten digits, live"</figcaption>
            <p class="demo-help">"A RealNVP maps each 8x8 digit (with uniform noise added to its 17 grey levels, then a logit) through ActNorm and six affine couplings to a standard normal z, so it computes the exact density of every image. The sample panel shows f⁻¹(z) with z drawn at the temperature T; the curves show the bits per dimension, on training batches and, exactly, on the 359 held-out digits; 4.09 is a model that knows nothing. Keep training and watch the two curves part: the flow starts memorising its 1,438 training images."</p>
            {run.notices("Loading the digits and the trained flow…")}
            <div class="demo-canvases">
                <canvas node_ref=grid_canvas width="440" height="460" class="demo-canvas"
                    aria-label="36 images sampled from the flow"></canvas>
                <canvas node_ref=lp.canvas width="440" height="300" class="demo-canvas"
                    aria-label="Bits per dimension on training batches and on the held-out test digits, per step"></canvas>
            </div>
            <p class="demo-readout">
                {move || match readout() {
                    Some((step, bpd)) => view! {
                        <span data-testid="digits-flow-step">{format!("step {step}")}</span>
                        {run.start_text()}
                        " · test log-likelihood: "
                        <strong data-testid="digits-flow-bpd">{format!("{bpd:.3} bits/dim")}</strong>
                    }.into_any(),
                    None => view! { <span>"No model yet"</span> }.into_any(),
                }}
                {run.worker_note()}
            </p>
            {run.buttons(move || run.play(), "Play", move || { run.reset(); }, "One training step",
                view! {
                    <button class="secondary" data-testid="digits-flow-resample"
                        on:click=move |_| sample_seed.update(|s| *s += 1)>"New samples"</button>
                })}
            <div class="demo-controls">
                <label>{move || format!("Temperature T = {:.2}", config.get().temperature)}
                    <input type="range" min="0" max="1.5" step="0.05" data-testid="digits-flow-temperature"
                        prop:value=move || config.get().temperature.to_string()
                        on:input=move |ev| if let Some(v) = event_number(&ev) { run.set_live(&|c| c.temperature = v as f32) } />
                </label>
                <label>{move || format!("Learning rate = {:.0e}", config.get().lr)}
                    <input type="range" min="-5" max="-2" step="0.1" data-testid="digits-flow-lr"
                        aria-valuetext=move || lr_valuetext(config.get().lr)
                        prop:value=move || lr_to_slider(config.get().lr).to_string()
                        on:change=move |ev| if let Some(v) = event_number(&ev) { run.set_live(&|c| c.lr = slider_to_lr(v)) } />
                </label>
                {run.speed_slider("Steps per frame")}
                <label>{move || format!("Coupling layers = {} (restarts)", config.get().layers)}
                    <input type="range" min=*LAYERS.start() max=*LAYERS.end() step="1" data-testid="digits-flow-layers"
                        prop:value=move || config.get().layers.to_string()
                        on:change=move |ev| if let Some(v) = event_number(&ev) { run.set_restart(&|c| c.layers = v as usize) } />
                </label>
                <label>{move || format!("Hidden width = {} (restarts)", config.get().hidden)}
                    <input type="range" min=*HIDDEN.start() max=*HIDDEN.end() step="8"
                        prop:value=move || config.get().hidden.to_string()
                        on:change=move |ev| if let Some(v) = event_number(&ev) { run.set_restart(&|c| c.hidden = v as usize) } />
                </label>
            </div>
            <p class="demo-note">"Temperature, learning rate and speed change the running model; the network sizes start a new run (from the checkpoint when they match it). The page address holds the settings."</p>
        </figure>
    }
}
