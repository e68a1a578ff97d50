//! The live 2D normalizing flow: exact log-likelihood training, the density heatmap, samples vs
//! data, the NLL curve, and a layer slider that warps the base Gaussian into the data step by step.
//! All logic is in `core::models::flow2d`. Play trains in a Web Worker where the page can start
//! one (the page then only draws, the canvases a few times a second); Pause, Step, a new setting
//! or Reset take the run back first, so every control acts on the newest state.

use super::shared::{
    draw_on_canvas, draw_on_canvas_fit, event_number, event_string, hash_state, lr_to_slider,
    lr_valuetext, page_theme, set_hash_state, slider_to_lr, track_page_look, Animator, Live,
    HEAVY_EVERY_MS,
};
use gentutor_models::datasets2d::Dataset2d;
use gentutor_models::flow2d::{self, Config, Flow2d};
use gentutor_models::link::Settings as _;
use gentutor_plot::flow2d::{
    canvas_height, draw_flow2d, draw_flow_warp, draw_pad, pad_to_data, Pad,
};
use leptos::html::Canvas;
use leptos::prelude::*;
use std::collections::BTreeMap;

/// Heatmap resolution: fine enough to look smooth, cheap enough for every frame.
const GRID: usize = 48;
/// Base points pushed through the layers for the warp view.
const WARP_POINTS: usize = 400;
/// Grid lines of the warp view.
const WARP_LINES: usize = 11;
/// The drawing pad covers [-PAD_HALF, PAD_HALF]².
const PAD_HALF: f32 = 3.0;

/// The heatmap and the NLL curve are drawn by the component (an effect on
/// [`Animator::heavy`]), which also keeps the view's held-out NLL for the read-out.
impl Live for Flow2d {
    fn train(&mut self, n: usize) -> Result<(), String> {
        self.step(n).map_err(|e| e.to_string())
    }
}

impl super::worker::Remote for Flow2d {
    const KIND: &'static str = "flow2d";
    fn to_bytes(&self) -> Vec<u8> {
        Flow2d::to_bytes(self)
    }
    fn from_bytes(bytes: &[u8]) -> Result<Self, String> {
        Flow2d::from_bytes(bytes).map_err(|e| e.to_string())
    }
}

fn initial(id: &str, options: &BTreeMap<String, String>) -> (Config, Option<String>) {
    let mut config = Config::default();
    if let Some(d) = options
        .get("dataset")
        .and_then(|d| Dataset2d::from_name(d).ok())
    {
        config.dataset = d;
    }
    let mut notice = None;
    if let Some(state) = hash_state(id) {
        match Config::from_hash(&state) {
            Ok(c) => config = c,
            Err(e) => {
                notice = Some(format!(
                    "The link's demo settings could not be used ({e}); showing the defaults."
                ))
            }
        }
    }
    (config.clamped(), notice)
}

/// A RealNVP flow on 2D toy data, live.
#[component]
pub fn Flow2dDemo(
    /// Options from the lesson's `demo flow2d` block: `dataset`.
    options: BTreeMap<String, String>,
    /// Unique id on the page (used for the URL-hash state).
    id: String,
) -> impl IntoView {
    let (init, notice) = initial(&id, &options);
    let config = RwSignal::new(init.clone());
    let lp = Animator::new(Flow2d::from_config(init).ok(), 5, notice);
    let stage = RwSignal::new(usize::MAX); // MAX = the data end (clamped to the layer count)
    let warp_canvas = NodeRef::<Canvas>::new();
    let hash_id = StoredValue::new(id.clone());
    let pad = NodeRef::<Canvas>::new();
    // A drawing from the link is shown (and counted) on the pad after a reload.
    let drawn = RwSignal::new(match &config.get_untracked().dataset {
        Dataset2d::Custom(points) => Pad::with_points(points.clone()),
        _ => Pad::default(),
    });
    // The keyboard cursor is drawn only while the pad has focus.
    let pad_focus = RwSignal::new(false);
    Effect::new(move |_| {
        track_page_look();
        let focus = pad_focus.get();
        drawn.with(|d| {
            if let Some(c) = pad.get() {
                let cursor = focus.then_some(d.cursor);
                if let Err(e) = draw_on_canvas(&c, |area| {
                    draw_pad(area, &d.points, PAD_HALF, cursor, &page_theme())
                }) {
                    lp.error.set(Some(e));
                }
            }
        });
    });
    let pad_point = move |ev: &leptos::ev::PointerEvent| -> Option<[f32; 2]> {
        let c = pad.get_untracked()?;
        // The canvas may be scaled by CSS: map through its displayed size.
        let (w, h) = (f64::from(c.client_width()), f64::from(c.client_height()));
        Some(pad_to_data(
            f64::from(ev.offset_x()),
            f64::from(ev.offset_y()),
            w,
            h,
            PAD_HALF,
        ))
    };

    let draw_warp = move || {
        let Some(canvas) = warp_canvas.get_untracked() else {
            return;
        };
        let s = stage.get_untracked();
        let result = lp.model.try_with_value(|m| {
            m.as_ref().map(|m| {
                let stages = m.warp_stages(m.base_points(WARP_POINTS).view());
                let k = s.min(stages.len().saturating_sub(1));
                let Some(pts) = stages.get(k) else {
                    return Ok(());
                };
                let lines = m.warp_grid(WARP_LINES, k);
                let bbox = m.config().dataset.bbox();
                draw_on_canvas(&canvas, |area| {
                    draw_flow_warp(area, pts.view(), &lines, bbox, &page_theme())
                })
            })
        });
        if let Some(Some(Err(e))) = result {
            lp.error.set(Some(e));
        }
    };
    let rebuild = move |c: Config| {
        let c = c.clamped();
        config.set(c.clone());
        lp.replace(Flow2d::from_config(c.clone()).map_err(|e| e.to_string()));
        hash_id.with_value(|h| set_hash_state(h, &c.to_hash()));
        draw_warp();
    };
    // The learning rate changes the running flow (raise it and watch the run diverge); data
    // and network settings start a new one.
    let set_cfg = move |f: &dyn Fn(&mut Config)| {
        let old = config.get_untracked();
        let mut c = old.clone();
        f(&mut c);
        let c = c.clamped();
        if old.same_run(&c) {
            config.set(c.clone());
            let next = c.clone();
            lp.modify_remote(move |m| m.retune(&next).map_err(|e| e.to_string()));
            hash_id.with_value(|h| set_hash_state(h, &c.to_hash()));
        } else {
            rebuild(c);
        }
    };
    // The held-out NLL of the last drawn view: the view computes it (the 1,024-point evaluation
    // batch through every block), so the read-out does not compute it again.
    let nll = RwSignal::new(None::<f32>);
    // The heatmap and NLL curve follow `heavy` (every frame on the page, a few times a second
    // while the worker trains), and draw once the canvas exists.
    Effect::new(move |_| {
        lp.heavy.get();
        let Some(canvas) = lp.canvas.get() else {
            return;
        };
        let drawn = lp.model.try_with_value(|m| {
            m.as_ref().map(|m| {
                let v = m.view(GRID, GRID);
                let shown = draw_on_canvas_fit(&canvas, canvas_height, |area| {
                    draw_flow2d(area, &v, &page_theme())
                });
                (v.eval_nll, shown)
            })
        });
        if let Some(Some((eval, shown))) = drawn {
            let _ = nll.try_set(Some(eval));
            if let Err(e) = shown {
                lp.error.set(Some(e));
            }
        }
    });
    // The warp view follows training (with the heatmap: every frame on the page, a few times a
    // second while the worker trains) and the slider.
    // While the worker trains it redraws with every other heatmap (it costs about as much), in
    // a task of its own after the frame that drew the heatmap; a moved slider redraws at once.
    let warp_at = StoredValue::new(f64::NEG_INFINITY);
    Effect::new(move |prev: Option<usize>| {
        lp.heavy.get();
        let k = stage.get();
        track_page_look();
        if warp_canvas.get().is_none() {
            return k;
        }
        let remote = lp.in_worker.get_untracked() && lp.running.get_untracked();
        if remote && prev == Some(k) {
            let now = js_sys::Date::now();
            let last = warp_at.try_get_value().unwrap_or(f64::NEG_INFINITY);
            if now - last < 2.0 * HEAVY_EVERY_MS - 20.0 {
                return k;
            }
            warp_at.set_value(now);
            if gentutor_web::scoped::timeout(draw_warp, 0) {
                return k;
            }
        }
        draw_warp();
        k
    });
    on_cleanup(move || lp.running.set(false));

    let datasets = ["moons", "8gaussians", "rings", "checkerboard"]
        .into_iter()
        .filter_map(|n| Dataset2d::from_name(n).ok())
        .map(|d| view! { <option value=d.name()>{d.label()}</option> })
        .collect_view();
    let layers = move || config.get().layers;

    view! {
        // `data-worker`: "busy" until a worker run has handed its final state back after a pause.
        <figure class="demo demo-flow2d" data-testid="demo-flow2d" id=id.clone()
            data-worker=move || if lp.in_worker.get() { "busy" } else { "idle" }>
            <figcaption>"A 2D normalizing flow, live"</figcaption>
            <p class="demo-help">"Affine coupling layers trained by exact maximum likelihood. First plot: the learned density log q(x) with data (white) and model samples (orange), on equal axis scales; below it, the negative log-likelihood. Second plot: drag the layer slider to watch the base Gaussian warp into the data."</p>
            <div class="demo-canvases">
                <canvas node_ref=lp.canvas width="560" height="620" class="demo-canvas"
                    aria-label="Heatmap of the learned density with data and samples, and the NLL curve"></canvas>
                <div>
                    <canvas node_ref=warp_canvas width="420" height="420" class="demo-canvas"
                        aria-label="Base samples and grid lines after the chosen number of layers"></canvas>
                    <label class="stage-slider">{move || {
                        let k = stage.get().min(layers());
                        format!("After {k} of {} layers", layers())
                    }}
                        <input type="range" min="0" max=move || layers().to_string() step="1" data-testid="flow-stage"
                            prop:value=move || stage.get().min(layers()).to_string()
                            on:input=move |ev| if let Some(v) = event_number(&ev) { stage.set(v.max(0.0) as usize) } />
                    </label>
                </div>
            </div>
            // Not a live region: it changes many times a second while training.
            <p class="demo-readout">
                // Siblings, not nested: the step moves every frame, the NLL only with `heavy`.
                <Show when=move || lp.read(|_| ()).is_some() fallback=|| view! { <span>"No model"</span> }>
                    <span data-testid="flow-step">{move || lp.read(Flow2d::step_count).map(|s| format!("step {s}"))}</span>
                    " · NLL on held-out data "<strong data-testid="flow-nll">{move || nll.get().map(|v| format!("{v:.3}"))}</strong>" nats per point"
                </Show>
                <Show when=move || lp.in_worker.get() && lp.running.get()>
                    <span class="demo-note" data-testid="flow-in-worker">" · training in a background worker"</span>
                </Show>
            </p>
            <Show when=move || lp.error.get().is_some()>
                <div class="demo-error" role="alert" data-testid="flow-error">
                    <p>{move || lp.error.get().unwrap_or_default()}</p>
                    <button on:click=move |_| rebuild(config.get_untracked())>"Reset"</button>
                </div>
            </Show>
            <div class="demo-buttons">
                <button data-testid="flow-play" data-demo-train="" on:click=move |_| lp.toggle_prefer_worker()>{move || if lp.running.get() { "Pause" } else { "Play" }}</button>
                // From the newest state the worker posted (`pause` takes it back first).
                <button class="secondary" data-testid="flow-step-button" on:click=move |_| { lp.pause(); lp.advance(1); }>"Step"</button>
                <button class="secondary" data-testid="flow-reset" on:click=move |_| rebuild(config.get_untracked())>"Reset"</button>
            </div>
            <div class="demo-controls">
                <label>"Dataset"
                    <select data-testid="flow-dataset" prop:value=move || config.get().dataset.name().to_string() on:change=move |ev| {
                        if let Ok(d) = Dataset2d::from_name(&event_string(&ev)) { set_cfg(&|c| c.dataset = d.clone()) }
                    }>{datasets}</select>
                </label>
                <label>{move || format!("Coupling layers = {}", config.get().layers)}
                    <input type="range" min=*flow2d::LAYERS.start() max=*flow2d::LAYERS.end() step="1"
                        prop:value=move || config.get().layers.to_string()
                        on:change=move |ev| if let Some(v) = event_number(&ev) { set_cfg(&|c| c.layers = v as usize) } />
                </label>
                <label>{move || format!("Hidden width = {}", config.get().hidden)}
                    <input type="range" min="4" max="128" step="4"
                        prop:value=move || config.get().hidden.to_string()
                        on:change=move |ev| if let Some(v) = event_number(&ev) { set_cfg(&|c| c.hidden = v as usize) } />
                </label>
                <label>{move || format!("Learning rate = {:.0e}", config.get().lr)}
                    <input type="range" min="-5" max="-1" step="0.1" data-testid="flow-lr"
                        aria-valuetext=move || lr_valuetext(config.get().lr)
                        prop:value=move || lr_to_slider(config.get().lr).to_string()
                        on:change=move |ev| if let Some(v) = event_number(&ev) { set_cfg(&|c| c.lr = slider_to_lr(v)) } />
                </label>
                <label class="check">
                    <input type="checkbox" prop:checked=move || config.get().actnorm
                        on:change=move |ev| { let on = event_target_checked(&ev); set_cfg(&|c| c.actnorm = on) } />
                    "ActNorm"
                </label>
                <label>{move || format!("Steps per frame = {}", lp.steps_per_frame.get())}
                    <input type="range" min="1" max="30" step="1"
                        prop:value=move || lp.steps_per_frame.get().to_string()
                        on:input=move |ev| if let Some(v) = event_number(&ev) { lp.set_steps_per_frame((v as usize).clamp(1, 30)) } />
                </label>
            </div>
            <details class="draw-data">
                <summary>"Draw your own data"</summary>
                <p class="demo-help" id=format!("{id}-pad-help")>"Click or drag to place points (at least 3), then train the flow on them. With the keyboard: focus the pad, move the cross with the arrow keys (Shift: bigger steps) and press Enter or Space to add a point."</p>
                <canvas node_ref=pad width="300" height="300" class="demo-canvas pad" data-testid="flow-pad"
                    tabindex="0" role="application" aria-label="Drawing pad for your own data points"
                    aria-describedby=format!("{id}-pad-help")
                    on:pointerdown=move |ev| {
                        if let Some(p) = pad_point(&ev) {
                            drawn.update(|d| d.press(p));
                            // Keep receiving moves when the pointer leaves the pad mid-drag.
                            if let Some(c) = pad.get_untracked() {
                                let _ = c.set_pointer_capture(ev.pointer_id());
                            }
                        }
                    }
                    on:pointermove=move |ev| {
                        if let Some(p) = pad_point(&ev) {
                            drawn.update(|d| d.drag(p));
                        }
                    }
                    on:pointerup=move |_| drawn.update(Pad::release)
                    on:pointercancel=move |_| drawn.update(Pad::release)
                    on:focus=move |_| pad_focus.set(true)
                    on:blur=move |_| pad_focus.set(false)
                    on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                        let used = drawn.try_update(|d| d.key(&ev.key(), ev.shift_key(), PAD_HALF)).unwrap_or(false);
                        if used {
                            ev.prevent_default();
                        }
                    }></canvas>
                <div class="demo-buttons">
                    <button data-testid="flow-train-drawing" on:click=move |_| {
                        match Dataset2d::custom(drawn.with_untracked(|d| d.points.clone())) {
                            Ok(d) => set_cfg(&|c| c.dataset = d.clone()),
                            Err(e) => lp.error.set(Some(e.to_string())),
                        }
                    }>{move || format!("Train on my {} points", drawn.with(|d| d.points.len()))}</button>
                    <button class="secondary" data-testid="flow-pad-clear" on:click=move |_| drawn.update(|d| d.points.clear())>"Clear"</button>
                </div>
            </details>
            <p class="demo-note">"The learning rate changes the running flow; the data and network settings start a new run. The page address holds the current settings."</p>
        </figure>
    }
}
