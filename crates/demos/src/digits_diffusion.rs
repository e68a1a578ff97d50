//! The DDPM on the 8x8 digits: ancestral sampling animated from noise to digits, the same
//! samples at several t, and the L_simple curve. It starts from the checkpoint shipped with the
//! site; "Train from scratch" starts a new denoiser, trained in a Web Worker where the page can
//! start one. All logic is in `gentutor_models::digits_diffusion`.

use super::checkpoints;
use super::digits_live::{set_digits, DiffusionLive};
use super::shared::{
    draw_on_canvas, event_number, hash_state, lr_to_slider, lr_valuetext, page_theme,
    set_hash_state, slider_to_lr, Animator,
};
use gentutor_models::digits::Digits;
use gentutor_models::digits_diffusion::checkpoint::DiffusionWeights;
use gentutor_models::digits_diffusion::{to_unit, DiffusionDigitsConfig, DigitsDiffusion};
use gentutor_models::link::Settings as _;
use gentutor_plot::digits_models::{draw_curves, draw_diffusion_strip, draw_digit_grid};
use gentutor_plot::theme::Hue;
use leptos::html::Canvas;
use leptos::prelude::*;
use std::collections::BTreeMap;

/// Samples animated (a 6 x 6 grid); the strip shows the first [`STRIP_ROWS`] of them.
const SAMPLES: usize = 36;
const STRIP_ROWS: usize = 3;

fn initial(id: &str) -> (DiffusionDigitsConfig, Option<String>) {
    match hash_state(id).map(|s| DiffusionDigitsConfig::from_hash(&s)) {
        Some(Ok(c)) => (c, None),
        Some(Err(e)) => (
            DiffusionDigitsConfig::default(),
            Some(format!("{e}; showing the defaults.")),
        ),
        None => (DiffusionDigitsConfig::default(), None),
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
    let (init, notice) = initial(&id);
    let scratch_first = options.get("start").is_some_and(|s| s == "scratch");
    let config = RwSignal::new(init);
    let lp = Animator::<DiffusionLive>::new(None, config.get_untracked().speed, notice);
    let data = StoredValue::new(None::<Digits>);
    let shipped = StoredValue::new(None::<(u64, DiffusionWeights)>);
    let from_ckpt = RwSignal::new(false);
    let loading = RwSignal::new(true);
    let sample_seed = StoredValue::new(1u64);
    let hash_id = StoredValue::new(id.clone());
    let grid_canvas = NodeRef::<Canvas>::new();
    let strip_canvas = NodeRef::<Canvas>::new();

    let save_link =
        move |c: &DiffusionDigitsConfig| hash_id.with_value(|h| set_hash_state(h, &c.to_hash()));
    // Starts ancestral sampling from fresh noise; the loop then runs reverse steps, not training.
    let sample = move || {
        lp.pause();
        let seed = sample_seed.get_value();
        sample_seed.set_value(seed + 1);
        lp.modify(|m| {
            m.sampler = Some(m.model.sampler(SAMPLES, seed).map_err(|e| e.to_string())?);
            Ok(())
        });
        lp.toggle();
    };
    let rebuild = move |scratch: bool, then_sample: bool| {
        let c = config.get_untracked().clamped();
        let Some(d) = data.get_value() else { return };
        let ckpt = (!scratch)
            .then(|| shipped.get_value())
            .flatten()
            .filter(|(_, w)| {
                let s = &w.config;
                (s.steps, s.schedule, s.hidden, s.depth) == (c.steps, c.schedule, c.hidden, c.depth)
            });
        let used = ckpt.is_some();
        let run = match ckpt {
            Some((steps, mut w)) => {
                w.config = c.clone();
                DigitsDiffusion::from_weights(w, steps, d)
            }
            None => DigitsDiffusion::new(&c, d),
        };
        from_ckpt.set(used && run.is_ok());
        lp.replace(
            run.map(|model| DiffusionLive {
                model,
                sampler: None,
            })
            .map_err(|e| e.to_string()),
        );
        if then_sample && used {
            sample();
        }
    };
    let set_live = move |f: &dyn Fn(&mut DiffusionDigitsConfig)| {
        let mut c = config.get_untracked();
        f(&mut c);
        let c = c.clamped();
        config.set(c.clone());
        save_link(&c);
        lp.set_steps_per_frame(c.speed);
        lp.modify_remote(move |m| {
            m.model.set_live(c.lr, c.speed, c.clip);
            Ok(())
        });
    };
    let set_restart = move |f: &dyn Fn(&mut DiffusionDigitsConfig)| {
        let mut c = config.get_untracked();
        f(&mut c);
        let c = c.clamped();
        config.set(c.clone());
        save_link(&c);
        rebuild(false, false);
    };
    // Training: samples are cleared so the loop trains again (in the worker where it can).
    let train = move || {
        if !lp.running.get_untracked() {
            let _ = lp.model.try_update_value(|m| {
                if let Some(m) = m.as_mut() {
                    m.sampler = None;
                }
            });
        }
        lp.toggle_prefer_worker();
    };

    gentutor_web::scoped::spawn(async move {
        let digits = super::vae::fetch_digits().await;
        let ckpt = checkpoints::load::<DiffusionWeights>().await;
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
            rebuild(scratch_first, true);
            if note.is_some() {
                let _ = lp.error.try_set(note);
            }
        }
    });

    Effect::new(move |_| {
        lp.frame.get();
        let (Some(cc), Some(gc), Some(sc)) =
            (lp.canvas.get(), grid_canvas.get(), strip_canvas.get())
        else {
            return;
        };
        let theme = page_theme();
        let drawn = lp.model.try_with_value(|m| {
            m.as_ref().map(|m| {
                match &m.sampler {
                    Some(s) => {
                        let title = if s.done() {
                            "samples x₀".to_string()
                        } else {
                            format!("ancestral sampling: x at t = {}", s.t())
                        };
                        draw_on_canvas(&gc, |a| {
                            draw_digit_grid(a, &title, &unit(s.current(), SAMPLES), 6, &theme)
                        })?;
                        let snaps: Vec<(usize, Vec<f32>)> = s
                            .snapshots()
                            .iter()
                            .map(|(t, x)| (*t, unit(x, STRIP_ROWS)))
                            .collect();
                        draw_on_canvas(&sc, |a| draw_diffusion_strip(a, &snaps, &theme))?;
                    }
                    None => {
                        draw_on_canvas(&gc, |a| {
                            draw_digit_grid(
                                a,
                                "Training. Press Sample to draw digits with the current denoiser, from pure noise.",
                                &[],
                                6,
                                &theme,
                            )
                        })?;
                        draw_on_canvas(&sc, |a| draw_diffusion_strip(a, &[], &theme))?;
                    }
                }
                let v = m.model.view();
                draw_on_canvas(&cc, |a| {
                    draw_curves(
                        a,
                        "L_simple per training batch",
                        "loss",
                        &[("‖ε − ε_θ‖² / 64", &v.loss_curve, Hue::Blue)],
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

    let readout = move || {
        lp.read(|m| {
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
            <Show when=move || loading.get()>
                <p class="demo-note" data-testid="digits-diffusion-loading">"Loading the digits and the trained denoiser…"</p>
            </Show>
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
                        {move || if from_ckpt.get() { " (from the shipped checkpoint)" } else { " (from scratch)" }}
                        {if loss.is_finite() { format!(" · L_simple {loss:.3}") } else { String::new() }}
                        <span data-testid="digits-diffusion-t">{match t {
                            Some(0) => " · sampled".to_string(),
                            Some(t) => format!(" · sampling, t = {t}"),
                            None => String::new(),
                        }}</span>
                    }.into_any(),
                    None => view! { <span>"No model yet"</span> }.into_any(),
                }}
                <Show when=move || lp.in_worker.get()>
                    <span class="demo-note" data-testid="digits-diffusion-in-worker">" · training in a background worker"</span>
                </Show>
            </p>
            <Show when=move || lp.error.get().is_some()>
                <div class="demo-error" role="alert" data-testid="digits-diffusion-error">
                    <p>{move || lp.error.get().unwrap_or_default()}</p>
                    <button on:click=move |_| {
                        if data.with_value(Option::is_some) {
                            rebuild(!from_ckpt.get_untracked(), false)
                        } else if let Some(w) = web_sys::window() {
                            let _ = w.location().reload();
                        }
                    }>"Reset"</button>
                </div>
            </Show>
            <div class="demo-buttons">
                <button data-testid="digits-diffusion-play" data-demo-train="" on:click=move |_| train()>
                    {move || if lp.running.get() { "Pause" } else { "Train" }}</button>
                <button class="secondary" data-testid="digits-diffusion-sample" on:click=move |_| sample()>"Sample"</button>
                <button class="secondary" data-testid="digits-diffusion-step-button" on:click=move |_| { lp.pause(); lp.advance(1); }
                    title="One training step, or one reverse step while sampling">"Step"</button>
                <button class="secondary" data-testid="digits-diffusion-reset" on:click=move |_| rebuild(false, true)
                    title="Back to the shipped checkpoint (or a new denoiser if the settings differ from it)">"Reset"</button>
                <button class="secondary" data-testid="digits-diffusion-scratch" on:click=move |_| { rebuild(true, false); train(); }>"Train from scratch"</button>
            </div>
            <div class="demo-controls">
                <label>{move || format!("Learning rate = {:.0e}", config.get().lr)}
                    <input type="range" min="-5" max="-2" step="0.1" data-testid="digits-diffusion-lr"
                        aria-valuetext=move || lr_valuetext(config.get().lr)
                        prop:value=move || lr_to_slider(config.get().lr).to_string()
                        on:change=move |ev| if let Some(v) = event_number(&ev) { set_live(&|c| c.lr = slider_to_lr(v)) } />
                </label>
                <label>{move || format!("Training steps per frame = {}", config.get().speed)}
                    <input type="range" min="1" max="50" step="1"
                        prop:value=move || config.get().speed.to_string()
                        on:input=move |ev| if let Some(v) = event_number(&ev) { set_live(&|c| c.speed = v as usize) } />
                </label>
                <label>{move || format!("Hidden width = {} (restarts)", config.get().hidden)}
                    <input type="range" min="32" max="512" step="32"
                        prop:value=move || config.get().hidden.to_string()
                        on:change=move |ev| if let Some(v) = event_number(&ev) { set_restart(&|c| c.hidden = v as usize) } />
                </label>
                <label class="check">
                    <input type="checkbox" data-testid="digits-diffusion-clip"
                        prop:checked=move || config.get().clip
                        on:change=move |ev| { let on = event_target_checked(&ev); set_live(&|c| c.clip = on) } />
                    "Clip each step's guess of x_0 to the pixel range"
                </label>
            </div>
            <p class="demo-note">"Learning rate, speed and clipping change the running model (clipping applies to the next Sample); the hidden width starts a new run (from the checkpoint when it matches). The page address holds the settings."</p>
        </figure>
    }
}
