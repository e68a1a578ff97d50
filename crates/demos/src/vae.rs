//! The live VAE on the 8x8 digits: the ELBO's two terms per step with a beta slider, the latent
//! plane coloured by digit, decoded images across it, and reconstructions with the decoder's
//! mean apart from a sample of its noise. All logic is in `gentutor_models::vae`.
//!
//! The digits (74 KB) are fetched from this site the first time a VAE demo is shown and kept for
//! the page's lifetime; they are in no WASM module and not in the first load. So is the shipped
//! checkpoint (`assets/checkpoints/vae.gtck`, 68 KB): the demo starts from it when the settings
//! match its networks, so a trained latent plane shows at once; "Train from scratch" starts anew.

use super::shared::page_is_dark;
use super::shared::{
    draw_on_canvas, event_number, event_string, hash_state, lr_to_slider, set_hash_state,
    slider_to_lr, Animator, Live,
};
use gentutor_models::checkpoint::models::VaeWeights;
use gentutor_models::digits::{Digits, ASSET_PATH};
use gentutor_models::link::Settings as _;
use gentutor_models::vae::config::{DecoderKind, BETA, HIDDEN, SPEED};
use gentutor_models::vae::{VaeConfig, VaeTrainer};
use gentutor_plot::vae::{draw_vae_curves, draw_vae_grid, draw_vae_latent, draw_vae_recons};
use leptos::html::Canvas;
use leptos::prelude::*;
use std::cell::RefCell;
use std::collections::BTreeMap;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

thread_local! {
    /// The digits once fetched: every VAE on the page, and every later one, shares them.
    static DIGITS: RefCell<Option<Digits>> = const { RefCell::new(None) };
}

/// Hands the digits to the demos without a download (the browser tests, whose server has no
/// `/assets`, pass the shipped file's bytes).
pub fn provide_digits(bytes: &[u8]) -> Result<(), String> {
    let digits = Digits::parse(bytes).map_err(|e| e.to_string())?;
    DIGITS.with(|c| *c.borrow_mut() = Some(digits));
    Ok(())
}

/// Fetches and parses [`ASSET_PATH`] (same site). Errors are sentences for the page.
pub(crate) async fn fetch_digits() -> Result<Digits, String> {
    if let Some(d) = DIGITS.with(|c| c.borrow().clone()) {
        return Ok(d);
    }
    let js = |e: wasm_bindgen::JsValue| format!("{e:?}");
    let window = web_sys::window().ok_or("no window")?;
    let resp: web_sys::Response = JsFuture::from(window.fetch_with_str(ASSET_PATH))
        .await
        .map_err(|e| format!("the digits could not be downloaded ({})", js(e)))?
        .dyn_into()
        .map_err(|_| "the digits download gave no response".to_string())?;
    if !resp.ok() {
        return Err(format!(
            "the digits could not be downloaded (HTTP {})",
            resp.status()
        ));
    }
    let buf = JsFuture::from(resp.array_buffer().map_err(js)?)
        .await
        .map_err(js)?;
    let bytes = js_sys::Uint8Array::new(&buf).to_vec();
    let digits = Digits::parse(&bytes).map_err(|e| format!("the digits file is damaged: {e}"))?;
    DIGITS.with(|c| *c.borrow_mut() = Some(digits.clone()));
    Ok(digits)
}

/// The trainer as the animation loop sees it. Drawing happens in the component (four canvases
/// from one view per frame), so `draw` only reports success.
struct VaeLive(VaeTrainer);

impl Live for VaeLive {
    fn train(&mut self, n: usize) -> Result<(), String> {
        self.0.step(n).map_err(|e| e.to_string())
    }
    fn draw(&self, _canvas: &web_sys::HtmlCanvasElement) -> Result<(), String> {
        Ok(())
    }
}

/// Settings from the block options, then the link (which wins); a bad link is a notice.
fn initial(id: &str, options: &BTreeMap<String, String>) -> (VaeConfig, Option<String>) {
    let mut config = VaeConfig::default();
    if let Some(d) = options
        .get("decoder")
        .and_then(|d| DecoderKind::from_name(d))
    {
        config.decoder = d;
    }
    let mut notice = None;
    if let Some(state) = hash_state(id) {
        match VaeConfig::from_hash(&state) {
            Ok(c) => config = c,
            Err(e) => notice = Some(format!("{e}; showing the defaults.")),
        }
    }
    (config.clamped(), notice)
}

/// A variational autoencoder on handwritten digits, live.
#[component]
pub fn VaeDemo(
    /// Options from the lesson's `demo vae` block: `decoder` (bernoulli, gaussian).
    options: BTreeMap<String, String>,
    /// Unique id on the page (used for the settings in the link).
    id: String,
) -> impl IntoView {
    let (init, notice) = initial(&id, &options);
    let config = RwSignal::new(init);
    let lp = Animator::<VaeLive>::new(None, config.get_untracked().speed, notice);
    let data = StoredValue::new(None::<Digits>);
    let shipped = StoredValue::new(None::<(u64, VaeWeights)>);
    let from_ckpt = RwSignal::new(false);
    let loading = RwSignal::new(true);
    let sample_seed = RwSignal::new(1u64);
    let hash_id = StoredValue::new(id.clone());
    let latent_canvas = NodeRef::<Canvas>::new();
    let grid_canvas = NodeRef::<Canvas>::new();
    let recon_canvas = NodeRef::<Canvas>::new();

    let save_link = move |c: &VaeConfig| hash_id.with_value(|h| set_hash_state(h, &c.to_hash()));
    // A new run: from the shipped checkpoint when its networks fit the settings (beta, the
    // learning rate and the speed may differ) and `scratch` is false, else new networks.
    let rebuild_from = move |scratch: bool| {
        let c = config.get_untracked().clamped();
        let Some(d) = data.get_value() else { return };
        let ckpt = (!scratch)
            .then(|| shipped.get_value())
            .flatten()
            .filter(|(_, w)| {
                let k = &w.config;
                (k.hidden, k.depth, k.decoder, k.seed) == (c.hidden, c.depth, c.decoder, c.seed)
            });
        from_ckpt.set(ckpt.is_some());
        let run = match ckpt {
            Some((steps, w)) => VaeTrainer::from_weights(&c, d, w.vae, steps),
            None => VaeTrainer::new(&c, d),
        };
        lp.replace(run.map(VaeLive).map_err(|e| e.to_string()));
    };
    let rebuild = move || rebuild_from(false);
    let set_cfg = move |f: &dyn Fn(&mut VaeConfig)| {
        let mut c = config.get_untracked();
        f(&mut c);
        let c = c.clamped();
        config.set(c.clone());
        save_link(&c);
        rebuild();
    };

    gentutor_web::scoped::spawn(async move {
        let result = fetch_digits().await;
        // Without the checkpoint the demo still works, from scratch.
        if let Ok((c, w)) = super::checkpoints::load::<VaeWeights>().await {
            let _ = shipped.try_set_value(Some((c.steps, w)));
        }
        let _ = loading.try_set(false);
        match result {
            Ok(d) => {
                if data.try_set_value(Some(d)).is_none() {
                    rebuild();
                }
            }
            Err(e) => {
                let _ = lp.error.try_set(Some(e));
            }
        }
    });

    // One view per frame, drawn on the four canvases.
    Effect::new(move |_| {
        lp.frame.get();
        let seed = sample_seed.get();
        let (Some(cc), Some(lc), Some(gc), Some(rc)) = (
            lp.canvas.get(),
            latent_canvas.get(),
            grid_canvas.get(),
            recon_canvas.get(),
        ) else {
            return;
        };
        let dark = page_is_dark();
        let drawn = lp.model.try_with_value(|m| {
            m.as_ref().map(|m| {
                let v = m.0.view(seed);
                draw_on_canvas(&cc, |a| draw_vae_curves(a, &v, dark))?;
                draw_on_canvas(&lc, |a| draw_vae_latent(a, &v, dark))?;
                draw_on_canvas(&gc, |a| draw_vae_grid(a, &v, dark))?;
                draw_on_canvas(&rc, |a| draw_vae_recons(a, &v, dark))
            })
        });
        if let Some(Some(Err(e))) = drawn {
            lp.error.set(Some(e));
        }
    });
    on_cleanup(move || {
        let _ = lp.running.try_set(false);
    });

    let decoder = move || config.get().decoder;
    view! {
        <figure class="demo demo-vae" data-testid="demo-vae" id=id.clone()>
            <figcaption>"A variational autoencoder on handwritten digits, live"</figcaption>
            <p class="demo-help">"An encoder maps each 8x8 digit to a Gaussian q(z|x) on a 2D latent plane; a decoder maps a point z back to pixel probabilities. Training maximises the ELBO: reconstruct well (top curve), while keeping q(z|x) close to the prior N(0, I) (the KL, bottom curve, weighted by beta). Trained on 1,438 digits in your browser; the plots show the 359 held-out ones."</p>
            <Show when=move || loading.get()>
                <p class="demo-note" data-testid="vae-loading">"Loading the digits (74 KB)…"</p>
            </Show>
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
                {move || match lp.read(|m| (m.0.step_count(), m.0.test_terms(7))) {
                    Some((step, t)) => view! {
                        <span data-testid="vae-step-count">{format!("step {step}")}</span>
                        {move || if from_ckpt.get() { " (from the shipped checkpoint)" } else { "" }}
                        " · held-out ELBO "<strong data-testid="vae-elbo">{format!("{:.2}", t.elbo())}</strong>
                        {format!(" nats per image (reconstruction {:.2}, KL {:.2})", t.recon, t.kl)}
                    }.into_any(),
                    None => view! { <span>"No model yet"</span> }.into_any(),
                }}
            </p>
            <Show when=move || lp.error.get().is_some()>
                <div class="demo-error" role="alert" data-testid="vae-error">
                    <p>{move || lp.error.get().unwrap_or_default()}</p>
                    <button on:click=move |_| {
                        if data.with_value(Option::is_some) {
                            rebuild()
                        } else {
                            // The download failed: reload the page to try again.
                            if let Some(w) = web_sys::window() { let _ = w.location().reload(); }
                        }
                    }>"Reset"</button>
                </div>
            </Show>
            <div class="demo-buttons">
                <button data-testid="vae-play" data-demo-train="" on:click=move |_| lp.toggle()>{move || if lp.running.get() { "Pause" } else { "Play" }}</button>
                <button class="secondary" data-testid="vae-step" on:click=move |_| { lp.running.set(false); lp.advance(1); }>"Step"</button>
                <button class="secondary" data-testid="vae-reset" on:click=move |_| rebuild()>"Reset"</button>
                <button class="secondary" data-testid="vae-scratch" on:click=move |_| { rebuild_from(true); lp.toggle(); }>"Train from scratch"</button>
                <button class="secondary" data-testid="vae-resample" on:click=move |_| sample_seed.update(|s| *s += 1)>"New decoder sample"</button>
            </div>
            <div class="demo-controls">
                <label>{move || format!("beta (KL weight) = {:.2}", config.get().beta)}
                    <input type="range" min=*BETA.start() max=*BETA.end() step="0.05" data-testid="vae-beta"
                        prop:value=move || config.get().beta.to_string()
                        on:input=move |ev| if let Some(v) = event_number(&ev) {
                            let mut c = config.get_untracked();
                            c.beta = v as f32;
                            let c = c.clamped();
                            lp.model.update_value(|m| if let Some(m) = m { m.0.set_beta(c.beta) });
                            save_link(&c);
                            config.set(c);
                            lp.redraw();
                        } />
                </label>
                <label>"Decoder p(x|z)"
                    <select data-testid="vae-decoder" prop:value=move || decoder().name().to_string() on:change=move |ev| {
                        if let Some(d) = DecoderKind::from_name(&event_string(&ev)) { set_cfg(&|c| c.decoder = d) }
                    }>
                        <option value="bernoulli">"Bernoulli"</option>
                        <option value="gaussian">"Gaussian, fixed sigma"</option>
                    </select>
                </label>
                <label>{move || format!("Gaussian sigma = {:.2}", config.get().sigma)}
                    <input type="range" min="0.02" max="1" step="0.01" disabled=move || decoder() != DecoderKind::Gaussian
                        prop:value=move || config.get().sigma.to_string()
                        on:change=move |ev| if let Some(v) = event_number(&ev) { set_cfg(&|c| c.sigma = v as f32) } />
                </label>
                <label>{move || format!("Hidden width = {}", config.get().hidden)}
                    <input type="range" min=*HIDDEN.start() max="256" step="4"
                        prop:value=move || config.get().hidden.to_string()
                        on:change=move |ev| if let Some(v) = event_number(&ev) { set_cfg(&|c| c.hidden = v as usize) } />
                </label>
                <label>{move || format!("Learning rate = {:.0e}", config.get().lr)}
                    <input type="range" min="-5" max="-1" step="0.1"
                        prop:value=move || lr_to_slider(config.get().lr).to_string()
                        on:change=move |ev| if let Some(v) = event_number(&ev) {
                            let mut c = config.get_untracked();
                            c.lr = slider_to_lr(v);
                            let c = c.clamped();
                            lp.model.update_value(|m| if let Some(m) = m { m.0.set_lr(c.lr) });
                            save_link(&c);
                            config.set(c);
                        } />
                </label>
                <label>{move || format!("Steps per frame = {}", config.get().speed)}
                    <input type="range" min=*SPEED.start() max="50" step="1"
                        prop:value=move || config.get().speed.to_string()
                        on:input=move |ev| if let Some(v) = event_number(&ev) {
                            let mut c = config.get_untracked();
                            c.speed = v as usize;
                            let c = c.clamped();
                            lp.steps_per_frame.set(c.speed);
                            save_link(&c);
                            config.set(c);
                        } />
                </label>
            </div>
            <p class="demo-note">"The decoder's mean is the average of everything the decoder finds plausible for that z: that is where the blur lives. A sample adds the decoder's pixel noise back (for the Bernoulli decoder, every pixel on or off). beta and the learning rate change the running model; the other settings restart it. The page address holds the settings."</p>
        </figure>
    }
}
