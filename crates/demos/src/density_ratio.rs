//! A classifier as a density-ratio estimator: train it live on samples of p* and q and compare
//! the ratio read off D(x) with the truth, for a proper scoring rule or the hinge loss, with
//! equal or unequal class sizes.

use super::shared::{draw_on_canvas, event_number, event_string, hash_state, set_hash_state};
use super::shared::{page_is_dark, track_page_look};
use gentutor_models::density_ratio::{RatioClassifier, Scoring, Settings};
use gentutor_models::link::Settings as _;
use gentutor_plot::density_ratio::draw_density_ratio;
use leptos::html::Canvas;
use leptos::prelude::*;
use std::collections::BTreeMap;

/// Steps per animation frame while playing (full-batch steps on a few hundred samples).
const STEPS_PER_FRAME: usize = 10;
/// Playing stops by itself here: the fit has long converged.
const MAX_STEPS: u64 = 3000;

/// The demo. Block option: `loss` (log, brier, hinge).
#[component]
pub fn DensityRatioDemo(
    /// Options from the lesson's block.
    options: BTreeMap<String, String>,
    /// Unique id on the page (for the settings in the link).
    id: String,
) -> impl IntoView {
    let mut start = Settings::default();
    if let Some(k) = options.get("loss").and_then(|l| Scoring::from_name(l)) {
        start.scoring = k;
    }
    let error = RwSignal::new(None::<String>);
    if let Some(state) = hash_state(&id) {
        match Settings::from_hash(&state) {
            Ok(s) => start = s,
            Err(e) => error.set(Some(e.to_string())),
        }
    }
    let settings = RwSignal::new(start.clamped());
    let model = StoredValue::new(RatioClassifier::new(start.clamped()));
    let steps = RwSignal::new(0u64);
    let running = RwSignal::new(false);
    let readout = RwSignal::new(String::new());
    let canvas = NodeRef::<Canvas>::new();
    let hash_id = StoredValue::new(id);

    let redraw = move || {
        let Some(c) = canvas.get_untracked() else {
            return;
        };
        track_page_look();
        let dark = page_is_dark();
        let drawn = model.try_with_value(|m| {
            let (e_raw, e_fix) = (m.log_ratio_error(false, 100), m.log_ratio_error(true, 100));
            readout.set(format!(
                "step {}; loss {:.4}; mean |log-ratio error|: {:.3} uncorrected, {:.3} with the prior correction (class share π = {:.2})",
                m.step_count(),
                m.loss_history().recent_mean(1),
                e_raw,
                e_fix,
                m.settings.prior()
            ));
            draw_on_canvas(&c, |area| draw_density_ratio(area, m, dark))
        });
        if let Some(Err(e)) = drawn {
            error.set(Some(e));
        }
    };
    // A new data set or scoring rule starts a new run (the learning rate keeps the run).
    Effect::new(move |_| {
        let s = settings.get();
        hash_id.with_value(|h| set_hash_state(h, &s.to_hash()));
        let keep = model.with_value(|m| {
            let old = m.settings;
            Settings { lr: s.lr, ..old } == s
        });
        if keep {
            model.update_value(|m| m.settings.lr = s.lr);
        } else {
            model.set_value(RatioClassifier::new(s));
            steps.set(0);
        }
        redraw();
    });

    let train = move |n: usize| {
        let result = model.try_update_value(|m| m.step(n).map(|_| m.step_count()));
        match result {
            Some(Ok(k)) => {
                steps.set(k);
                redraw();
            }
            Some(Err(e)) => {
                running.set(false);
                error.set(Some(e.to_string()));
            }
            None => {}
        }
    };
    // Animation loop: ends with the component (the Animate handle is dropped on cleanup).
    let frame = StoredValue::new(None::<leptos::prelude::AnimationFrameRequestHandle>);
    fn tick(
        running: RwSignal<bool>,
        steps: RwSignal<u64>,
        frame: StoredValue<Option<AnimationFrameRequestHandle>>,
        train: impl Fn(usize) + Clone + 'static,
    ) {
        if !running.try_get_untracked().unwrap_or(false) {
            return;
        }
        train(STEPS_PER_FRAME);
        if steps.try_get_untracked().unwrap_or(MAX_STEPS) >= MAX_STEPS {
            running.try_set(false);
            return;
        }
        let t2 = train.clone();
        let handle = request_animation_frame_with_handle(move || tick(running, steps, frame, t2));
        frame.try_set_value(handle.ok());
    }
    on_cleanup(move || {
        if let Some(Some(h)) = frame.try_get_value() {
            h.cancel();
        }
    });
    let toggle = move |_| {
        let now = !running.get_untracked();
        running.set(now);
        if now {
            tick(running, steps, frame, train);
        }
    };
    let set = move |f: fn(&mut Settings, f64)| {
        move |ev: leptos::ev::Event| {
            if let Some(v) = event_number(&ev) {
                settings.update(|s| {
                    f(s, v);
                    *s = s.clamped();
                });
            }
        }
    };

    view! {
        <div class="demo" data-testid="demo-density-ratio">
            <div class="demo-buttons">
                <button data-testid="ratio-play" data-demo-train="" on:click=toggle>
                    {move || if running.get() { "Pause" } else { "Train" }}
                </button>
                <button data-testid="ratio-step" on:click=move |_| train(1)>"Step"</button>
                <button data-testid="ratio-reset" on:click=move |_| {
                    running.set(false);
                    model.set_value(RatioClassifier::new(settings.get_untracked()));
                    steps.set(0);
                    error.set(None);
                    redraw();
                }>"Reset"</button>
            </div>
            <div class="demo-controls">
                <label>"Scoring rule "
                    <select data-testid="ratio-loss" on:change=move |ev| {
                        if let Some(k) = Scoring::from_name(&event_string(&ev)) {
                            settings.update(|s| s.scoring = k);
                        }
                    }>
                        {Scoring::ALL.into_iter().map(|k| {
                            let label = match k {
                                Scoring::LogLoss => "log loss (proper)",
                                Scoring::Brier => "Brier score (proper)",
                                Scoring::Hinge => "hinge (not proper)",
                            };
                            view! { <option value=k.name() selected=move || settings.get().scoring == k>{label}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <label>"Samples of p* "
                    <input type="range" min="20" max="2000" step="20" data-testid="ratio-np"
                        prop:value=move || settings.get().n_p
                        on:change=set(|s, v| s.n_p = v as usize) />
                    <output>{move || settings.get().n_p}</output>
                </label>
                <label>"Samples of q "
                    <input type="range" min="20" max="2000" step="20" data-testid="ratio-nq"
                        prop:value=move || settings.get().n_q
                        on:change=set(|s, v| s.n_q = v as usize) />
                    <output>{move || settings.get().n_q}</output>
                </label>
                <label>"Mean of q "
                    <input type="range" min="-4" max="4" step="0.1" data-testid="ratio-mq"
                        prop:value=move || settings.get().mu_q
                        on:change=set(|s, v| s.mu_q = v) />
                    <output>{move || format!("{:.1}", settings.get().mu_q)}</output>
                </label>
                <label>"Learning rate "
                    <input type="range" min="-4" max="0" step="0.1" data-testid="ratio-lr"
                        aria-valuetext=move || format!("{:.4}", settings.get().lr)
                        prop:value=move || settings.get().lr.log10()
                        on:input=set(|s, v| s.lr = 10f64.powf(v)) />
                    <output>{move || format!("{:.4}", settings.get().lr)}</output>
                </label>
            </div>
            {move || error.get().map(|e| view! { <p class="demo-error" role="alert" data-testid="ratio-error">{e}</p> })}
            <canvas node_ref=canvas width="720" height="360" class="demo-canvas"
                aria-label="The two densities with the classifier's D(x), and the true log density ratio against the classifier's estimate"></canvas>
            <p class="demo-readout" data-testid="ratio-readout">{move || readout.get()}</p>
        </div>
    }
}
