//! The live VAE on the 8x8 digits: the ELBO's two terms per step with a beta slider, the latent
//! plane coloured by digit, decoded images across it, and reconstructions with the decoder's
//! mean apart from a sample of its noise. All logic is in `gentutor_models::vae`.
//!
//! It starts from the checkpoint shipped with the site (`assets/checkpoints/vae.gtck`, 68 KB)
//! when the settings match its networks, so a trained latent plane shows at once; Play and
//! "Train from scratch" train in a Web Worker where the page can start one (the page then only
//! draws), with the step and the held-out ELBO read out as it goes.

use super::digits_live::{DigitsModel, Run};
use super::digits_runner::Runner;
use super::shared::{
    draw_on_canvas, event_number, event_string, lr_to_slider, page_is_dark, slider_to_lr,
};
use gentutor_models::checkpoint::models::VaeWeights;
use gentutor_models::digits::Digits;
use gentutor_models::vae::config::{DecoderKind, BETA, HIDDEN};
use gentutor_models::vae::{VaeConfig, VaeTrainer};
use gentutor_plot::vae::{draw_vae_curves, draw_vae_grid, draw_vae_latent, draw_vae_recons};
use leptos::html::Canvas;
use leptos::prelude::*;
use std::collections::BTreeMap;

/// Where the other demos have always found the digits.
pub use super::digits_live::{fetch_digits, provide_digits};

/// The VAE's run as the animation loop and the worker see it.
pub type VaeLive = Run<VaeTrainer>;

impl DigitsModel for VaeTrainer {
    const KIND: &'static str = "vae";
    type Config = VaeConfig;
    type Weights = VaeWeights;
    fn clamped(c: &VaeConfig) -> VaeConfig {
        c.clamped()
    }
    fn speed(c: &VaeConfig) -> usize {
        c.speed
    }
    fn set_speed(c: &mut VaeConfig, speed: usize) {
        c.speed = speed;
    }
    /// The networks must match; beta, the learning rate and the speed may differ.
    fn fits(w: &VaeWeights, c: &VaeConfig) -> bool {
        let k = &w.config;
        (k.hidden, k.depth, k.decoder, k.seed) == (c.hidden, c.depth, c.decoder, c.seed)
    }
    fn start(c: &VaeConfig, from: Option<(u64, VaeWeights)>, data: Digits) -> Result<Self, String> {
        match from {
            Some((steps, w)) => VaeTrainer::from_weights(c, data, w.vae, steps),
            None => VaeTrainer::new(c, data),
        }
        .map_err(|e| e.to_string())
    }
    fn set_live(&mut self, c: &VaeConfig) {
        self.set_beta(c.beta);
        self.set_lr(c.lr);
        self.set_speed(c.speed);
    }
    fn step_count(&self) -> u64 {
        VaeTrainer::step_count(self)
    }
    fn train(&mut self, n: usize) -> Result<(), String> {
        self.step(n).map_err(|e| e.to_string())
    }
    fn run_bytes(&self) -> Vec<u8> {
        self.to_bytes()
    }
    fn from_run_bytes(bytes: &[u8], data: Digits) -> Result<Self, String> {
        VaeTrainer::from_bytes(bytes, data).map_err(|e| e.to_string())
    }
    /// The VAE's ids predate the shared runner (tests and the fps bench use them).
    fn test_id(part: &str) -> String {
        match part {
            "step-button" => "vae-step".into(),
            _ => format!("vae-{part}"),
        }
    }
}

/// Settings from the block options (the link overrides them).
fn base_config(options: &BTreeMap<String, String>) -> VaeConfig {
    let mut config = VaeConfig::default();
    if let Some(d) = options
        .get("decoder")
        .and_then(|d| DecoderKind::from_name(d))
    {
        config.decoder = d;
    }
    config
}

/// A variational autoencoder on handwritten digits, live.
#[component]
pub fn VaeDemo(
    /// Options from the lesson's `demo vae` block: `decoder` (bernoulli, gaussian).
    options: BTreeMap<String, String>,
    /// Unique id on the page (used for the settings in the link).
    id: String,
) -> impl IntoView {
    let run = Runner::<VaeTrainer>::new(&id, base_config(&options));
    let (lp, config) = (run.lp, run.config);
    let sample_seed = RwSignal::new(1u64);
    let latent_canvas = NodeRef::<Canvas>::new();
    let grid_canvas = NodeRef::<Canvas>::new();
    let recon_canvas = NodeRef::<Canvas>::new();
    run.load(false, |_| {});

    // One view per frame, drawn on the four canvases.
    run.draw_each_frame(move |m| {
        let seed = sample_seed.get();
        let (Some(cc), Some(lc), Some(gc), Some(rc)) = (
            lp.canvas.get(),
            latent_canvas.get(),
            grid_canvas.get(),
            recon_canvas.get(),
        ) else {
            return None;
        };
        let dark = page_is_dark();
        let v = m.view(seed);
        Some(
            draw_on_canvas(&cc, |a| draw_vae_curves(a, &v, dark))
                .and_then(|()| draw_on_canvas(&lc, |a| draw_vae_latent(a, &v, dark)))
                .and_then(|()| draw_on_canvas(&gc, |a| draw_vae_grid(a, &v, dark)))
                .and_then(|()| draw_on_canvas(&rc, |a| draw_vae_recons(a, &v, dark))),
        )
    });

    let decoder = move || config.get().decoder;
    view! {
        <figure class="demo demo-vae" data-testid="demo-vae" id=id.clone()>
            <figcaption>"A variational autoencoder on handwritten digits, live"</figcaption>
            <p class="demo-help">"An encoder maps each 8x8 digit to a Gaussian q(z|x) on a 2D latent plane; a decoder maps a point z back to pixel probabilities. Training maximises the ELBO: reconstruct well (top curve), while keeping q(z|x) close to the prior N(0, I) (the KL, bottom curve, weighted by beta). Trained on 1,438 digits in your browser; the plots show the 359 held-out ones."</p>
            {run.notices("Loading the digits (74 KB) and the trained VAE…")}
            <div class="demo-canvases">
                <canvas node_ref=latent_canvas width="440" height="440" class="demo-canvas"
                    aria-label="The latent plane: the encoder's mean for each held-out digit, coloured by digit"></canvas>
                <canvas node_ref=grid_canvas width="440" height="440" class="demo-canvas"
                    aria-label="Decoder means for a grid of latent points across the plane"></canvas>
            </div>
            <div class="demo-canvases">
                <canvas node_ref=lp.canvas width="480" height="340" class="demo-canvas"
                    aria-label="The reconstruction term and the KL term of the loss per training step"></canvas>
                <canvas node_ref=recon_canvas width="480" height="200" class="demo-canvas"
                    aria-label="One held-out digit of each class: the original, the decoder's mean, and a sample of the decoder's noise"></canvas>
            </div>
            <p class="demo-readout" aria-live="polite">
                {move || match run.read(|m| (m.step_count(), m.test_terms(7))) {
                    Some((step, t)) => view! {
                        <span data-testid="vae-step-count">{format!("step {step}")}</span>
                        {run.start_text()}
                        " · held-out ELBO "<strong data-testid="vae-elbo">{format!("{:.2}", t.elbo())}</strong>
                        {format!(" nats per image (reconstruction {:.2}, KL {:.2})", t.recon, t.kl)}
                    }.into_any(),
                    None => view! { <span>"No model yet"</span> }.into_any(),
                }}
                {run.worker_note()}
            </p>
            {run.buttons(move || run.play(), "Play", move || { run.reset(); }, "One training step",
                view! {
                    <button class="secondary" data-testid="vae-resample" on:click=move |_| sample_seed.update(|s| *s += 1)>"New decoder sample"</button>
                })}
            <div class="demo-controls">
                <label>{move || format!("beta (KL weight) = {:.2}", config.get().beta)}
                    <input type="range" min=*BETA.start() max=*BETA.end() step="0.05" data-testid="vae-beta"
                        prop:value=move || config.get().beta.to_string()
                        on:input=move |ev| if let Some(v) = event_number(&ev) { run.set_live(&|c| c.beta = v as f32) } />
                </label>
                <label>"Decoder p(x|z)"
                    <select data-testid="vae-decoder" prop:value=move || decoder().name().to_string() on:change=move |ev| {
                        if let Some(d) = DecoderKind::from_name(&event_string(&ev)) { run.set_restart(&|c| c.decoder = d) }
                    }>
                        <option value="bernoulli">"Bernoulli"</option>
                        <option value="gaussian">"Gaussian, fixed sigma"</option>
                    </select>
                </label>
                <label>{move || format!("Gaussian sigma = {:.2}", config.get().sigma)}
                    <input type="range" min="0.02" max="1" step="0.01" disabled=move || decoder() != DecoderKind::Gaussian
                        prop:value=move || config.get().sigma.to_string()
                        on:change=move |ev| if let Some(v) = event_number(&ev) { run.set_restart(&|c| c.sigma = v as f32) } />
                </label>
                <label>{move || format!("Hidden width = {}", config.get().hidden)}
                    <input type="range" min=*HIDDEN.start() max="256" step="4"
                        prop:value=move || config.get().hidden.to_string()
                        on:change=move |ev| if let Some(v) = event_number(&ev) { run.set_restart(&|c| c.hidden = v as usize) } />
                </label>
                <label>{move || format!("Learning rate = {:.0e}", config.get().lr)}
                    <input type="range" min="-5" max="-1" step="0.1"
                        prop:value=move || lr_to_slider(config.get().lr).to_string()
                        on:change=move |ev| if let Some(v) = event_number(&ev) { run.set_live(&|c| c.lr = slider_to_lr(v)) } />
                </label>
                {run.speed_slider("Steps per frame")}
            </div>
            <p class="demo-note">"The decoder's mean is the average of everything the decoder finds plausible for that z: that is where the blur lives. A sample adds the decoder's pixel noise back (for the Bernoulli decoder, every pixel on or off). beta and the learning rate change the running model; the other settings restart it. The page address holds the settings."</p>
        </figure>
    }
}
