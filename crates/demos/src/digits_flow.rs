//! The RealNVP on the 8x8 digits: samples at a temperature as an image grid, and the bits/dim
//! curves (minibatch while training, exact on the held-out split every 100 steps). It starts
//! from the checkpoint shipped with the site; "Train from scratch" starts a new flow, trained in
//! a Web Worker where the page can start one. All logic is in `gentutor_models::digits_flow`.

use super::checkpoints;
use super::digits_live::{set_digits, FlowLive};
use super::shared::{
    draw_on_canvas, event_number, hash_state, lr_to_slider, lr_valuetext, page_theme,
    set_hash_state, slider_to_lr, Animator,
};
use gentutor_models::digits::Digits;
use gentutor_models::digits_flow::checkpoint::FlowWeights;
use gentutor_models::digits_flow::config::{HIDDEN, LAYERS};
use gentutor_models::digits_flow::{DigitsFlow, FlowConfig};
use gentutor_models::link::Settings as _;
use gentutor_plot::digits_models::{draw_curves, draw_digit_grid};
use gentutor_plot::theme::Hue;
use leptos::html::Canvas;
use leptos::prelude::*;
use std::collections::BTreeMap;

/// Samples shown (a 6 x 6 grid).
const SAMPLES: usize = 36;

/// Settings from the link (which wins over the defaults); a bad link is a notice.
fn initial(id: &str) -> (FlowConfig, Option<String>) {
    match hash_state(id).map(|s| FlowConfig::from_hash(&s)) {
        Some(Ok(c)) => (c, None),
        Some(Err(e)) => (
            FlowConfig::default(),
            Some(format!("{e}; showing the defaults.")),
        ),
        None => (FlowConfig::default(), None),
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
    let (init, notice) = initial(&id);
    let scratch_first = options.get("start").is_some_and(|s| s == "scratch");
    let config = RwSignal::new(init);
    let lp = Animator::<FlowLive>::new(None, config.get_untracked().speed, notice);
    let data = StoredValue::new(None::<Digits>);
    let shipped = StoredValue::new(None::<(u64, FlowWeights)>);
    let from_ckpt = RwSignal::new(false);
    let loading = RwSignal::new(true);
    let sample_seed = RwSignal::new(1u64);
    let hash_id = StoredValue::new(id.clone());
    let grid_canvas = NodeRef::<Canvas>::new();

    let save_link = move |c: &FlowConfig| hash_id.with_value(|h| set_hash_state(h, &c.to_hash()));
    // A new run: from the shipped checkpoint when it has these network sizes, else from scratch.
    let rebuild = move |scratch: bool| {
        let c = config.get_untracked().clamped();
        let Some(d) = data.get_value() else { return };
        let ckpt = (!scratch)
            .then(|| shipped.get_value())
            .flatten()
            .filter(|(_, w)| w.config.layers == c.layers && w.config.hidden == c.hidden);
        let used = ckpt.is_some();
        let run = match ckpt {
            Some((steps, mut w)) => {
                w.config = c.clone();
                DigitsFlow::from_weights(w, steps, d)
            }
            None => DigitsFlow::new(&c, d),
        };
        from_ckpt.set(used && run.is_ok());
        lp.replace(run.map(FlowLive).map_err(|e| e.to_string()));
    };
    let set_live = move |f: &dyn Fn(&mut FlowConfig)| {
        let mut c = config.get_untracked();
        f(&mut c);
        let c = c.clamped();
        config.set(c.clone());
        save_link(&c);
        lp.set_steps_per_frame(c.speed);
        lp.modify_remote(move |m| {
            m.0.set_live(c.lr, c.temperature, c.speed);
            Ok(())
        });
    };
    let set_restart = move |f: &dyn Fn(&mut FlowConfig)| {
        let mut c = config.get_untracked();
        f(&mut c);
        let c = c.clamped();
        config.set(c.clone());
        save_link(&c);
        rebuild(false);
    };

    gentutor_web::scoped::spawn(async move {
        let digits = super::vae::fetch_digits().await;
        let ckpt = checkpoints::load::<FlowWeights>().await;
        let _ = loading.try_set(false);
        let d = match digits {
            Ok(d) => d,
            Err(e) => {
                let _ = lp.error.try_set(Some(e));
                return;
            }
        };
        set_digits(&d);
        let note = match ckpt {
            Ok((c, w)) => {
                let _ = shipped.try_set_value(Some((c.steps, w)));
                None
            }
            Err(e) => Some(format!("{e}. Starting from scratch.")),
        };
        if data.try_set_value(Some(d)).is_none() {
            rebuild(scratch_first);
            if note.is_some() {
                let _ = lp.error.try_set(note);
            }
        }
    });

    Effect::new(move |_| {
        lp.frame.get();
        let seed = sample_seed.get();
        let temperature = config.get().temperature;
        let (Some(cc), Some(gc)) = (lp.canvas.get(), grid_canvas.get()) else {
            return;
        };
        let theme = page_theme();
        let drawn = lp.model.try_with_value(|m| {
            m.as_ref().map(|m| {
                let s = m.0.samples(SAMPLES, temperature, seed);
                let title = format!(
                    "samples at temperature {temperature:.2}, step {}",
                    m.0.step_count()
                );
                draw_on_canvas(&gc, |a| {
                    draw_digit_grid(a, &title, s.as_slice().unwrap_or(&[]), 6, &theme)
                })?;
                let v = m.0.view(0, seed);
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
            })
        });
        if let Some(Some(Err(e))) = drawn {
            lp.error.set(Some(e));
        }
    });
    on_cleanup(move || {
        let _ = lp.running.try_set(false);
    });

    let readout = move || lp.read(|m| (m.0.step_count(), m.0.last_test_bpd()));
    view! {
        <figure class="demo demo-digits-flow" data-testid="demo-digits-flow" id=id.clone()>
            <figcaption>"A normalizing flow on handwritten digits, live"</figcaption>
            <p class="demo-help">"A RealNVP maps each 8x8 digit (with uniform noise added to its 17 grey levels, then a logit) through ActNorm and six affine couplings to a standard normal z, so it computes the exact density of every image. Left: samples f⁻¹(z) with z drawn at the temperature T. Right: the bits per dimension, on training batches and, exactly, on the 359 held-out digits; 4.09 is a model that knows nothing. Keep training and watch the two curves part: the flow starts memorising its 1,438 training images."</p>
            <Show when=move || loading.get()>
                <p class="demo-note" data-testid="digits-flow-loading">"Loading the digits and the trained flow…"</p>
            </Show>
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
                        {move || if from_ckpt.get() { " (from the shipped checkpoint)" } else { " (from scratch)" }}
                        " · test log-likelihood: "
                        <strong data-testid="digits-flow-bpd">{format!("{bpd:.3} bits/dim")}</strong>
                    }.into_any(),
                    None => view! { <span>"No model yet"</span> }.into_any(),
                }}
                <Show when=move || lp.in_worker.get()>
                    <span class="demo-note" data-testid="digits-flow-in-worker">" · training in a background worker"</span>
                </Show>
            </p>
            <Show when=move || lp.error.get().is_some()>
                <div class="demo-error" role="alert" data-testid="digits-flow-error">
                    <p>{move || lp.error.get().unwrap_or_default()}</p>
                    <button on:click=move |_| {
                        if data.with_value(Option::is_some) {
                            rebuild(!from_ckpt.get_untracked())
                        } else if let Some(w) = web_sys::window() {
                            let _ = w.location().reload();
                        }
                    }>"Reset"</button>
                </div>
            </Show>
            <div class="demo-buttons">
                <button data-testid="digits-flow-play" data-demo-train="" on:click=move |_| lp.toggle_prefer_worker()>
                    {move || if lp.running.get() { "Pause" } else { "Play" }}</button>
                <button class="secondary" data-testid="digits-flow-step-button" on:click=move |_| { lp.pause(); lp.advance(1); }>"Step"</button>
                <button class="secondary" data-testid="digits-flow-reset" on:click=move |_| rebuild(false)
                    title="Back to the shipped checkpoint (or a new flow if the sizes differ from it)">"Reset"</button>
                <button class="secondary" data-testid="digits-flow-scratch" on:click=move |_| { rebuild(true); lp.toggle_prefer_worker(); }>"Train from scratch"</button>
                <button class="secondary" data-testid="digits-flow-resample" on:click=move |_| sample_seed.update(|s| *s += 1)>"New samples"</button>
            </div>
            <div class="demo-controls">
                <label>{move || format!("Temperature T = {:.2}", config.get().temperature)}
                    <input type="range" min="0" max="1.5" step="0.05" data-testid="digits-flow-temperature"
                        prop:value=move || config.get().temperature.to_string()
                        on:input=move |ev| if let Some(v) = event_number(&ev) { set_live(&|c| c.temperature = v as f32) } />
                </label>
                <label>{move || format!("Learning rate = {:.0e}", config.get().lr)}
                    <input type="range" min="-5" max="-2" step="0.1" data-testid="digits-flow-lr"
                        aria-valuetext=move || lr_valuetext(config.get().lr)
                        prop:value=move || lr_to_slider(config.get().lr).to_string()
                        on:change=move |ev| if let Some(v) = event_number(&ev) { set_live(&|c| c.lr = slider_to_lr(v)) } />
                </label>
                <label>{move || format!("Steps per frame = {}", config.get().speed)}
                    <input type="range" min="1" max="50" step="1"
                        prop:value=move || config.get().speed.to_string()
                        on:input=move |ev| if let Some(v) = event_number(&ev) { set_live(&|c| c.speed = v as usize) } />
                </label>
                <label>{move || format!("Coupling layers = {} (restarts)", config.get().layers)}
                    <input type="range" min=*LAYERS.start() max=*LAYERS.end() step="1" data-testid="digits-flow-layers"
                        prop:value=move || config.get().layers.to_string()
                        on:change=move |ev| if let Some(v) = event_number(&ev) { set_restart(&|c| c.layers = v as usize) } />
                </label>
                <label>{move || format!("Hidden width = {} (restarts)", config.get().hidden)}
                    <input type="range" min=*HIDDEN.start() max=*HIDDEN.end() step="8"
                        prop:value=move || config.get().hidden.to_string()
                        on:change=move |ev| if let Some(v) = event_number(&ev) { set_restart(&|c| c.hidden = v as usize) } />
                </label>
            </div>
            <p class="demo-note">"Temperature, learning rate and speed change the running model; the network sizes start a new run (from the checkpoint when they match it). The page address holds the settings."</p>
        </figure>
    }
}
