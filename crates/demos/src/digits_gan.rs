//! The live GAN on the 8x8 digits: samples as an image grid, the per-digit coverage read-out
//! from the shared digit classifier (which digits it draws, which it dropped), and D's mean
//! verdicts. It starts from the checkpoint shipped with the site (so sharp digits show at once);
//! "Train from scratch" starts new networks, trained in a Web Worker where the page can start
//! one. All logic is in `gentutor_models::digits_gan`.

use super::checkpoints;
use super::digits_live::{DigitsModel, Run};
use super::digits_runner::Runner;
use super::shared::{
    draw_on_canvas, event_number, lr_to_slider, lr_valuetext, page_is_dark, slider_to_lr,
};
use gentutor_models::digit_classifier::Classifier;
use gentutor_models::digits::Digits;
use gentutor_models::digits_gan::config::{Preset, HIDDEN, LATENT};
use gentutor_models::digits_gan::{Coverage, DigitsGan, DigitsGanConfig, GanWeights};
use gentutor_plot::digits_gan::{draw_gan_coverage, draw_gan_samples, draw_gan_verdicts};
use gentutor_plot::Theme;
use leptos::html::Canvas;
use leptos::prelude::*;
use std::collections::BTreeMap;

/// Samples the coverage read-out classifies (the shipped checkpoint's metrics use 1,000).
const COVERAGE_SAMPLES: usize = 500;
/// Frames between two coverage read-outs while training (it costs more than a frame's draw).
const COVERAGE_EVERY: u64 = 20;

/// The GAN's run as the animation loop and the worker see it.
pub type GanLive = Run<DigitsGan>;

impl DigitsModel for DigitsGan {
    const KIND: &'static str = "digits-gan";
    /// A learner who started from scratch keeps doing so when the network sizes change.
    const RESTART_KEEPS_SCRATCH: bool = true;
    type Config = DigitsGanConfig;
    type Weights = GanWeights;
    fn clamped(c: &DigitsGanConfig) -> DigitsGanConfig {
        c.clamped()
    }
    fn speed(c: &DigitsGanConfig) -> usize {
        c.speed
    }
    fn set_speed(c: &mut DigitsGanConfig, speed: usize) {
        c.speed = speed;
    }
    fn fits(w: &GanWeights, c: &DigitsGanConfig) -> bool {
        w.config.same_networks(c)
    }
    fn start(
        c: &DigitsGanConfig,
        from: Option<(u64, GanWeights)>,
        data: Digits,
    ) -> Result<Self, String> {
        match from {
            Some((steps, w)) => DigitsGan::from_weights(c, w.nets, steps, &data),
            None => DigitsGan::new(c, &data),
        }
        .map_err(|e| e.to_string())
    }
    fn set_live(&mut self, c: &DigitsGanConfig) {
        self.set_lrs(c.lr_g, c.lr_d);
        self.set_batch(c.batch);
    }
    fn step_count(&self) -> u64 {
        DigitsGan::step_count(self)
    }
    fn train(&mut self, n: usize) -> Result<(), String> {
        self.step(n).map_err(|e| e.to_string())
    }
    fn run_bytes(&self) -> Vec<u8> {
        self.to_bytes()
    }
    fn from_run_bytes(bytes: &[u8], data: Digits) -> Result<Self, String> {
        DigitsGan::from_bytes(bytes, &data).map_err(|e| e.to_string())
    }
}

/// A GAN on handwritten digits, live.
#[component]
pub fn DigitsGanDemo(
    /// Options from the lesson's `demo digits-gan` block: `preset` (default, collapse; a
    /// preset other than the default starts from scratch) and `start` (checkpoint, scratch).
    options: BTreeMap<String, String>,
    /// Unique id on the page (used for the settings in the link).
    id: String,
) -> impl IntoView {
    let preset = options
        .get("preset")
        .and_then(|p| Preset::from_name(p))
        .unwrap_or(Preset::Default);
    let run = Runner::<DigitsGan>::new(&id, preset.config());
    let (lp, config) = (run.lp, run.config);
    let classifier = StoredValue::new(None::<Classifier>);
    let coverage = RwSignal::new(None::<Coverage>);
    let grid_canvas = NodeRef::<Canvas>::new();
    let cov_canvas = NodeRef::<Canvas>::new();

    let measure = move |m: &DigitsGan| {
        let cov = classifier.with_value(|c| {
            c.as_ref()
                .map(|c| Coverage::of(c, m.samples(COVERAGE_SAMPLES, 77).view()))
        });
        let _ = coverage.try_set(cov);
    };
    run.load(
        !preset.from_checkpoint() || options.get("start").is_some_and(|s| s == "scratch"),
        |_| {},
    );
    // The classifier of the read-out; without it the demo trains without the read-out.
    gentutor_web::scoped::spawn(async move {
        match checkpoints::classifier().await {
            Ok(c) => {
                if classifier.try_set_value(Some(c)).is_none() {
                    lp.redraw();
                }
            }
            Err(e) => run.add_note(format!("{e}: no coverage read-out.")),
        }
    });

    // One view per frame on the three canvases; the coverage when paused and now and then
    // while training.
    run.draw_each_frame(move |m| {
        let frame = lp.frame.get();
        let (Some(vc), Some(gc), Some(cc)) = (lp.canvas.get(), grid_canvas.get(), cov_canvas.get())
        else {
            return None;
        };
        if !lp.running.get_untracked() || frame.is_multiple_of(COVERAGE_EVERY) {
            measure(m);
        }
        let theme = Theme::new(page_is_dark());
        let v = m.view(coverage.get_untracked());
        Some(
            draw_on_canvas(&gc, |a| draw_gan_samples(a, &v, &theme))
                .and_then(|()| draw_on_canvas(&cc, |a| draw_gan_coverage(a, &v, &theme)))
                .and_then(|()| draw_on_canvas(&vc, |a| draw_gan_verdicts(a, &v, &theme))),
        )
    });

    let readout = move || {
        run.read(|m| {
            let c = m.curves();
            (
                m.step_count(),
                c.d_real.recent_mean(50),
                c.d_fake.recent_mean(50),
            )
        })
    };
    let coverage_text = move || match coverage.get() {
        Some(c) => {
            let list = |v: Vec<u8>| v.iter().map(u8::to_string).collect::<Vec<_>>().join(", ");
            let dropped = c.dropped();
            format!(
                "draws {} of 10 digits{}",
                10 - dropped.len(),
                if dropped.is_empty() {
                    String::new()
                } else {
                    format!(" (dropped: {})", list(dropped))
                }
            )
        }
        None => "coverage: loading the classifier…".into(),
    };
    view! {
        <figure class="demo demo-digits-gan" data-testid="demo-digits-gan" id=id.clone()>
            <figcaption>"A GAN on handwritten digits, live"</figcaption>
            <p class="demo-help">"A generator G turns 16 random numbers z into an 8x8 image; a discriminator D tries to tell those images from the 1,438 real training digits, and G learns from D's gradient (non-saturating loss, Adam). The image panel shows 64 samples; the bar chart shows which digits the site's digit classifier confidently sees in 500 samples; a digit under the dashed line is one the GAN has dropped."</p>
            {run.notices("Loading the digits and the trained GAN…")}
            <div class="demo-canvases">
                <canvas node_ref=grid_canvas width="440" height="460" class="demo-canvas"
                    aria-label="64 images drawn by the generator"></canvas>
                <canvas node_ref=cov_canvas width="440" height="300" class="demo-canvas"
                    aria-label="Share of samples the digit classifier calls each digit; dropped digits marked"></canvas>
            </div>
            <canvas node_ref=lp.canvas width="760" height="240" class="demo-canvas"
                aria-label="The discriminator's mean verdict on real and on generated digits per step"></canvas>
            <p class="demo-readout">
                {move || match readout() {
                    Some((step, dr, df)) => view! {
                        <span data-testid="digits-gan-step">{format!("step {step}")}</span>
                        {run.start_text()}
                        {if dr.is_finite() && df.is_finite() {
                            format!(" · D(real) {dr:.2}, D(fake) {df:.2} · ")
                        } else {
                            " · ".to_string()
                        }}
                        <strong data-testid="digits-gan-coverage">{coverage_text}</strong>
                    }.into_any(),
                    None => view! { <span>"No model yet"</span> }.into_any(),
                }}
                {run.worker_note()}
            </p>
            {run.buttons(move || run.play(), "Play", move || { run.reset(); }, "One training step", ())}
            <div class="demo-controls">
                <label>{move || format!("Generator lr = {:.0e}", config.get().lr_g)}
                    <input type="range" min="-5" max="-2" step="0.1" data-testid="digits-gan-lr-g"
                        aria-valuetext=move || lr_valuetext(config.get().lr_g)
                        prop:value=move || lr_to_slider(config.get().lr_g).to_string()
                        on:change=move |ev| if let Some(v) = event_number(&ev) { run.set_live(&|c| c.lr_g = slider_to_lr(v)) } />
                </label>
                <label>{move || format!("Discriminator lr = {:.0e}", config.get().lr_d)}
                    <input type="range" min="-5" max="-2" step="0.1" data-testid="digits-gan-lr-d"
                        aria-valuetext=move || lr_valuetext(config.get().lr_d)
                        prop:value=move || lr_to_slider(config.get().lr_d).to_string()
                        on:change=move |ev| if let Some(v) = event_number(&ev) { run.set_live(&|c| c.lr_d = slider_to_lr(v)) } />
                </label>
                <label>{move || format!("Batch = {}", config.get().batch)}
                    <input type="range" min="3" max="8" step="1"
                        aria-valuetext=move || config.get().batch.to_string()
                        prop:value=move || (config.get().batch.max(1) as f64).log2().round().to_string()
                        on:change=move |ev| if let Some(v) = event_number(&ev) { run.set_live(&|c| c.batch = 1usize << (v.clamp(3.0, 8.0) as u32)) } />
                </label>
                <label>{move || format!("Hidden width = {} (restarts)", config.get().hidden)}
                    <input type="range" min=*HIDDEN.start() max=*HIDDEN.end() step="16" data-testid="digits-gan-hidden"
                        prop:value=move || config.get().hidden.to_string()
                        on:change=move |ev| if let Some(v) = event_number(&ev) { run.set_restart(&|c| c.hidden = v as usize) } />
                </label>
                <label>{move || format!("Noise dimensions = {} (restarts)", config.get().latent)}
                    <input type="range" min=*LATENT.start() max=*LATENT.end() step="1"
                        prop:value=move || config.get().latent.to_string()
                        on:change=move |ev| if let Some(v) = event_number(&ev) { run.set_restart(&|c| c.latent = v as usize) } />
                </label>
                {run.speed_slider("Steps per frame")}
            </div>
            <p class="demo-note">"Learning rates and batch change the running model; the network sizes start a new run (from scratch unless they match the shipped checkpoint). The page address holds the settings."</p>
        </figure>
    }
}
