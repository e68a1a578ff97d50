//! The semi-supervised GAN, live: the critic's decision regions with labelled, unlabelled and
//! generated points beside the same classifier trained on the labels alone, accuracy per step,
//! and a sweep of accuracy against the number of labels. All logic is in
//! `gentutor_models::ssgan`. Play trains in a Web Worker where the page can start one (the page
//! then only draws, the canvas a few times a second); Pause, Step, a new setting or Reset take
//! the run back first. The label sweep trains its own runs on the page.

use super::shared::{
    aspect_height, draw_on_canvas_fit, event_number, event_string, hash_state, lr_to_slider,
    page_theme, set_hash_state, slider_to_lr, track_page_look, Animator, Live,
};
use gentutor_models::link::Settings as _;
use gentutor_models::ssgan::{LabelSweep, LabelledSet, Ssgan, SsganConfig, SweepResult};
use gentutor_plot::ssgan::draw_ssgan;
use gentutor_plot::theme::is_narrow;
use leptos::prelude::*;
use std::collections::BTreeMap;

/// The canvas's design size, and its height on a phone (one panel under the other).
const DESIGN: (u32, u32) = (720, 660);
const NARROW_HEIGHT: u32 = 1120;

fn height_for(w: u32) -> u32 {
    if is_narrow(w) {
        NARROW_HEIGHT
    } else {
        aspect_height(w, DESIGN.0, DESIGN.1)
    }
}

/// Decision-region raster of the plots.
const GRID: usize = 48;
/// Steps per setting of the label sweep (the figure the lesson and the tests quote).
pub const SWEEP_STEPS: u64 = 1500;
/// Sweep steps per frame.
const SWEEP_CHUNK: usize = 20;

/// The run as the animation loop and the worker see it.
pub struct SsganLive(pub Ssgan);

impl Live for SsganLive {
    fn train(&mut self, n: usize) -> Result<(), String> {
        self.0.step(n).map_err(|e| e.to_string())
    }
    fn draw(&self, _canvas: &web_sys::HtmlCanvasElement) -> Result<(), String> {
        Ok(())
    }
}

impl super::worker::Remote for SsganLive {
    const KIND: &'static str = "ssgan";
    fn to_bytes(&self) -> Vec<u8> {
        self.0.to_bytes()
    }
    fn from_bytes(bytes: &[u8]) -> Result<Self, String> {
        Ssgan::from_bytes(bytes)
            .map(SsganLive)
            .map_err(|e| e.to_string())
    }
}

/// Settings from the block options, then the link (which wins); a bad link is a notice.
fn initial(id: &str, options: &BTreeMap<String, String>) -> (SsganConfig, Option<String>) {
    let mut c = SsganConfig::default();
    if let Some(d) = options.get("data").and_then(|d| LabelledSet::from_name(d)) {
        c.dataset = d;
    }
    if let Some(l) = options.get("labels").and_then(|l| l.trim().parse().ok()) {
        c.labels = l;
    }
    let mut notice = None;
    if let Some(state) = hash_state(id) {
        match SsganConfig::from_hash(&state) {
            Ok(h) => c = h,
            Err(e) => notice = Some(format!("{e}; showing the defaults.")),
        }
    }
    (c.clamped(), notice)
}

/// The semi-supervised GAN demo. Block options: `data` (moons, rings, spirals, blobs),
/// `labels` (labels per class, 1-50).
#[component]
pub fn SsganDemo(options: BTreeMap<String, String>, id: String) -> impl IntoView {
    let (init, notice) = initial(&id, &options);
    let config = RwSignal::new(init);
    let lp = Animator::<SsganLive>::new(Some(SsganLive(Ssgan::new(init))), init.speed, notice);
    let sweep = StoredValue::new(None::<LabelSweep>);
    let sweep_results = RwSignal::new(Vec::<SweepResult>::new());
    let sweeping = RwSignal::new(false);
    let sweep_progress = RwSignal::new((0u64, 0u64));
    let hash_id = StoredValue::new(id.clone());

    let save_link = move |c: &SsganConfig| hash_id.with_value(|h| set_hash_state(h, &c.to_hash()));
    let reset = move || lp.replace(Ok(SsganLive(Ssgan::new(config.get_untracked()))));
    // A new data set, label count, width or seed is a new run; learning rates and speed keep it.
    let set_cfg = move |f: &dyn Fn(&mut SsganConfig), restart: bool| {
        let mut c = config.get_untracked();
        f(&mut c);
        let c = c.clamped();
        config.set(c);
        save_link(&c);
        lp.set_steps_per_frame(c.speed);
        if restart {
            sweep_results.set(Vec::new());
            sweeping.set(false);
            reset();
        } else {
            lp.modify_remote(move |m| {
                m.0.set_learning_rates(c.lr_d, c.lr_g);
                Ok(())
            });
        }
    };

    // The canvas follows `heavy`: every frame on the page, a few times a second while the
    // worker trains.
    Effect::new(move |_| {
        track_page_look();
        lp.heavy.get();
        let results = sweep_results.get();
        let Some(canvas) = lp.canvas.get() else {
            return;
        };
        let drawn = lp.model.try_with_value(|m| {
            m.as_ref().map(|m| {
                let mut v = m.0.view(GRID);
                v.sweep = results;
                draw_on_canvas_fit(&canvas, height_for, |a| draw_ssgan(a, &v, &page_theme()))
            })
        });
        if let Some(Some(Err(e))) = drawn {
            lp.error.set(Some(e));
        }
    });

    let run_sweep = move |_| {
        if sweeping.get_untracked() {
            sweeping.set(false);
            return;
        }
        sweep.set_value(Some(LabelSweep::new(config.get_untracked(), SWEEP_STEPS)));
        sweep_results.set(Vec::new());
        sweeping.set(true);
        gentutor_web::scoped::spawn(async move {
            loop {
                if !sweeping.try_get_untracked().unwrap_or(false) {
                    return;
                }
                let step = sweep.try_update_value(|s| {
                    s.as_mut().map(|s| {
                        s.step(SWEEP_CHUNK)
                            .map(|_| (s.done(), s.progress(), s.results.clone()))
                    })
                });
                match step {
                    Some(Some(Ok((done, progress, results)))) => {
                        let _ = sweep_progress.try_set(progress);
                        if results.len() != sweep_results.get_untracked().len() {
                            let _ = sweep_results.try_set(results);
                        }
                        if done {
                            let _ = sweeping.try_set(false);
                            return;
                        }
                    }
                    Some(Some(Err(e))) => {
                        let _ = lp.error.try_set(Some(e.to_string()));
                        let _ = sweeping.try_set(false);
                        return;
                    }
                    _ => return,
                }
                gentutor_web::scoped::sleep(0).await;
            }
        });
    };
    on_cleanup(move || {
        let _ = lp.running.try_set(false);
        let _ = sweeping.try_set(false);
    });

    let readout = move || {
        lp.frame.get();
        lp.read(|m| {
            let a = m.0.latest();
            let [ld, lg] = m.0.last_losses;
            // No loss is measured before the first step (they are NaN then): say nothing of them.
            let losses = if ld.is_finite() && lg.is_finite() {
                format!(" · critic loss {ld:.3}, feature matching {lg:.4}")
            } else {
                String::new()
            };
            format!(
                "step {} · held-out accuracy: semi-supervised {:.1}%, labels only {:.1}%{losses}",
                m.0.step_count(),
                100.0 * a.ssgan,
                100.0 * a.labels_only
            )
        })
        .unwrap_or_default()
    };

    view! {
        // `data-worker`: "busy" until a worker run has handed its final state back after a pause.
        <figure class="demo demo-ssgan" data-testid="demo-ssgan" id=id
            data-worker=move || if lp.in_worker.get() { "busy" } else { "idle" }>
            <figcaption>"A semi-supervised GAN on 2D data, live"</figcaption>
            <p class="demo-help">"Large coloured dots are the few labelled points, grey dots the unlabelled ones, crosses the generator's samples. The panel titled “semi-supervised critic” shows the K-class critic (fake logit fixed to 0) trained on all three, with a feature-matching generator; the one titled “labels only” shows the same network from the same start, trained on the labelled points alone (side by side on a wide screen, one above the other on a phone). The shading is each classifier's decision; the curves are accuracy on 1,000 fresh points."</p>
            <div class="demo-buttons">
                <button data-testid="ssgan-play" data-demo-train="" on:click=move |_| lp.toggle_prefer_worker()>
                    {move || if lp.running.get() { "Pause" } else { "Play" }}
                </button>
                // From the newest state the worker posted (`pause` takes it back first).
                <button class="secondary" data-testid="ssgan-step" on:click=move |_| { lp.pause(); lp.advance(1); }>"Step"</button>
                <button class="secondary" data-testid="ssgan-reset" on:click=move |_| reset()>"Reset"</button>
                <button class="secondary" data-testid="ssgan-sweep" on:click=run_sweep>
                    {move || if sweeping.get() {
                        let (d, t) = sweep_progress.get();
                        format!("Stop the sweep ({:.0}%)", 100.0 * d as f64 / t.max(1) as f64)
                    } else {
                        "Run the label sweep".to_string()
                    }}
                </button>
            </div>
            <div class="demo-controls">
                <label>"Data "
                    <select data-testid="ssgan-data" prop:value=move || config.get().dataset.name().to_string()
                        on:change=move |ev| if let Some(d) = LabelledSet::from_name(&event_string(&ev)) { set_cfg(&|c| c.dataset = d, true) }>
                        {LabelledSet::ALL.into_iter().map(|d| view! {
                            <option value=d.name()>{format!("{} (K = {})", d.name(), d.classes())}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label>{move || format!("Labels per class = {}", config.get().labels)}
                    <input type="range" min="1" max="50" step="1" data-testid="ssgan-labels"
                        prop:value=move || config.get().labels.to_string()
                        on:change=move |ev| if let Some(v) = event_number(&ev) { set_cfg(&|c| c.labels = v as usize, true) } />
                </label>
                <label>{move || format!("Unlabelled points = {}", config.get().unlabelled)}
                    <input type="range" min="50" max="4000" step="50" data-testid="ssgan-unlabelled"
                        prop:value=move || config.get().unlabelled.to_string()
                        on:change=move |ev| if let Some(v) = event_number(&ev) { set_cfg(&|c| c.unlabelled = v as usize, true) } />
                </label>
                <label>{move || format!("Critic learning rate = {:.0e}", config.get().lr_d)}
                    <input type="range" min="-5" max="-1.3" step="0.1" data-testid="ssgan-lrd"
                        prop:value=move || lr_to_slider(config.get().lr_d).to_string()
                        on:change=move |ev| if let Some(v) = event_number(&ev) { set_cfg(&|c| c.lr_d = slider_to_lr(v), false) } />
                </label>
                <label>{move || format!("Generator learning rate = {:.0e}", config.get().lr_g)}
                    <input type="range" min="-5" max="-1.3" step="0.1" data-testid="ssgan-lrg"
                        prop:value=move || lr_to_slider(config.get().lr_g).to_string()
                        on:change=move |ev| if let Some(v) = event_number(&ev) { set_cfg(&|c| c.lr_g = slider_to_lr(v), false) } />
                </label>
                <label>{move || format!("Steps per frame = {}", config.get().speed)}
                    <input type="range" min="1" max="50" step="1" data-testid="ssgan-speed"
                        prop:value=move || config.get().speed.to_string()
                        on:change=move |ev| if let Some(v) = event_number(&ev) { set_cfg(&|c| c.speed = v as usize, false) } />
                </label>
            </div>
            <canvas node_ref=lp.canvas width="720" height="660" class="demo-canvas"
                aria-label="Decision regions of the semi-supervised critic and of the labels-only classifier with the labelled, unlabelled and generated points; held-out accuracy per step; accuracy against labels per class"></canvas>
            <p class="demo-readout">
                <span aria-live="polite" data-testid="ssgan-readout">{readout}</span>
                <Show when=move || lp.in_worker.get() && lp.running.get()>
                    <span class="demo-note" data-testid="ssgan-in-worker">" · training in a background worker"</span>
                </Show>
            </p>
            <Show when=move || lp.error.get().is_some()>
                <div class="demo-error" role="alert" data-testid="ssgan-error">
                    <p>{move || lp.error.get().unwrap_or_default()}</p>
                    <button on:click=move |_| reset()>"Reset"</button>
                </div>
            </Show>
        </figure>
    }
}
