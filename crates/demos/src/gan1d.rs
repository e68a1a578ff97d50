//! The live 1D GAN: trains in the animation loop, draws densities, D(x) vs D*(x), losses and the
//! generator's gradient, and reports mode coverage. All logic is in `core::models::gan1d`.

use super::shared::{
    draw_on_canvas_fit, event_number, event_string, hash_state, lr_to_slider, lr_valuetext,
    page_theme, seed_from_state, set_hash_state, slider_to_lr, Animator, Live,
};
use gentutor_models::gan1d::{self, Config, Gan1d, LossKind, Preset};
use gentutor_models::link::Settings as _;
use gentutor_plot::gan1d::{canvas_height, draw_gan1d};
use leptos::prelude::*;
use std::collections::BTreeMap;

/// The preset selector's entry once a setting differs from every preset.
const CUSTOM: &str = "custom";

/// Steps per animation frame: the default meets the "10 steps per frame" goal (see BENCHMARKS.md).
const DEFAULT_STEPS_PER_FRAME: usize = 10;

/// The configuration a demo starts from: the URL hash if it is for this demo, else the block's
/// options (`preset`, `loss`, `modes`). Returns a notice when the hash could not be used.
fn initial(id: &str, options: &BTreeMap<String, String>) -> (Config, u64, String, Option<String>) {
    let preset_name = options
        .get("preset")
        .cloned()
        .unwrap_or_else(|| "default".into());
    let preset = Preset::from_name(&preset_name).unwrap_or(Preset::Default);
    let mut config = preset.config();
    if let Some(loss) = options
        .get("loss")
        .and_then(|l| LossKind::ALL.into_iter().find(|k| k.name() == l))
    {
        config.loss = loss;
    }
    if let Some(k) = options.get("modes").and_then(|m| m.parse::<usize>().ok()) {
        config.modes = k;
    }
    let mut seed = preset.seed();
    let mut notice = None;
    if let Some(state) = hash_state(id) {
        match Config::from_hash(&state) {
            Ok(c) => {
                config = c;
                seed = seed_from_state(&state).unwrap_or(seed);
            }
            Err(e) => {
                notice = Some(format!(
                    "The link's demo settings could not be used ({e}); showing the preset instead."
                ))
            }
        }
    }
    let config = config.clamped();
    let name = if config == preset.config() {
        preset.name()
    } else {
        CUSTOM
    };
    (config, seed, name.to_string(), notice)
}

impl Live for Gan1d {
    fn train(&mut self, n: usize) -> Result<(), String> {
        self.step(n).map_err(|e| e.to_string())
    }
    fn draw(&self, canvas: &web_sys::HtmlCanvasElement) -> Result<(), String> {
        draw_on_canvas_fit(canvas, canvas_height, |area| {
            draw_gan1d(area, &self.view(), &page_theme())
        })
    }
}

impl super::worker::Remote for Gan1d {
    const KIND: &'static str = "gan1d";
    fn to_bytes(&self) -> Vec<u8> {
        Gan1d::to_bytes(self)
    }
    fn from_bytes(bytes: &[u8]) -> Result<Self, String> {
        Gan1d::from_bytes(bytes).map_err(|e| e.to_string())
    }
}

/// A 1D GAN on a mixture of Gaussians, live.
#[component]
pub fn Gan1dDemo(
    /// Options from the lesson's `demo gan1d` block: `preset`, `loss`, `modes`.
    options: BTreeMap<String, String>,
    /// Unique id on the page (used for the URL-hash state).
    id: String,
) -> impl IntoView {
    let (init_config, init_seed, init_preset, notice) = initial(&id, &options);
    let config = RwSignal::new(init_config.clone());
    let seed = RwSignal::new(init_seed);
    let preset = RwSignal::new(init_preset);
    let lp = Animator::new(
        Gan1d::new(init_config, init_seed).ok(),
        DEFAULT_STEPS_PER_FRAME,
        notice,
    );
    let hash_id = StoredValue::new(id.clone());
    // Rebuild the model whenever the configuration or seed changes; keep the URL shareable.
    let rebuild = move |c: Config, s: u64| {
        let c = c.clamped();
        lp.replace(Gan1d::new(c.clone(), s).map_err(|e| e.to_string()));
        hash_id.with_value(|h| set_hash_state(h, &format!("{}&seed={s}", c.to_hash())));
    };
    // A training setting (learning rates, k, batch, loss, ...) changes the live run, so the
    // learner can raise a learning rate and watch the run diverge; data or networks start anew.
    let set_cfg = move |f: &dyn Fn(&mut Config)| {
        let old = config.get_untracked();
        let mut c = old.clone();
        f(&mut c);
        let c = c.clamped();
        config.set(c.clone());
        // The preset's name stays only while its settings do.
        let still = Preset::from_name(&preset.get_untracked()).is_ok_and(|p| p.config() == c);
        if !still {
            preset.set(CUSTOM.to_string());
        }
        let s = seed.get_untracked();
        if old.same_run(&c) {
            let next = c.clone();
            lp.modify_remote(move |m| m.retune(next).map_err(|e| e.to_string()));
            hash_id.with_value(|h| set_hash_state(h, &format!("{}&seed={s}", c.to_hash())));
        } else {
            rebuild(c, s);
        }
    };
    // First draw once the canvas exists.
    Effect::new(move |_| {
        if lp.canvas.get().is_some() {
            lp.redraw();
        }
    });
    on_cleanup(move || lp.running.set(false));

    let toggle = move |_| lp.toggle_prefer_worker();
    let readout = move || {
        lp.read(|m| {
            let met = m.metrics();
            let grad = m.histories().grad_x.recent_mean(20);
            (
                m.step_count(),
                met.modes_captured,
                met.modes_total,
                met.js_nats,
                grad,
            )
        })
    };
    let presets = Preset::all()
        .into_iter()
        .map(|p| view! { <option value=p.name()>{p.name()}</option> })
        .collect_view();
    let losses = LossKind::ALL
        .into_iter()
        .map(|l| view! { <option value=l.name()>{l.label()}</option> })
        .collect_view();
    let preset_text = move || {
        Preset::from_name(&preset.get())
            .map(|p| p.description())
            .unwrap_or("Your own settings (changed from a preset).")
    };

    view! {
        // `data-worker`: "busy" until a worker run has handed its final state back after a pause
        // (tests wait for "idle" instead of guessing how long that takes).
        <figure class="demo demo-gan1d" data-testid="demo-gan1d" id=id.clone()
            data-worker=move || if lp.in_worker.get() { "busy" } else { "idle" }>
            <figcaption>"A 1D GAN, live"</figcaption>
            <p class="demo-help">{preset_text}</p>
            <canvas node_ref=lp.canvas width="760" height="560" class="demo-canvas"
                aria-label="Real density p*(x) and generated density q(x); discriminator D(x) and optimal D*(x); losses and generator gradient over training"></canvas>
            // Not a live region: it changes many times a second while training.
            <p class="demo-readout">
                {move || match readout() {
                    Some((step, cap, total, js, grad)) => view! {
                        <span data-testid="gan-step">{format!("step {step}")}</span>
                        " · modes captured "<strong data-testid="gan-coverage">{format!("{cap}/{total}")}</strong>
                        {format!(" · JS(p*, q) = {js:.3} nats")}
                        // No gradient is measured before the first generator step.
                        {if grad.is_finite() { format!(" · mean |∂L_G/∂x| = {grad:.2e}") } else { String::new() }}
                    }.into_any(),
                    None => view! { <span>"No model"</span> }.into_any(),
                }}
                <Show when=move || lp.in_worker.get() && lp.running.get()>
                    <span class="demo-note" data-testid="trains-in-worker">" · training in a background worker"</span>
                </Show>
            </p>
            <Show when=move || lp.error.get().is_some()>
                <div class="demo-error" role="alert" data-testid="gan-error">
                    <p>{move || lp.error.get().unwrap_or_default()}</p>
                    <button on:click=move |_| rebuild(config.get_untracked(), seed.get_untracked())>"Reset"</button>
                </div>
            </Show>
            <div class="demo-buttons">
                <button data-testid="gan-play" data-demo-train="" on:click=toggle>{move || if lp.running.get() { "Pause" } else { "Play" }}</button>
                <button class="secondary" data-testid="gan-step-button" on:click=move |_| { lp.running.set(false); lp.advance(1); }>"Step"</button>
                <button class="secondary" data-testid="gan-reset" on:click=move |_| rebuild(config.get_untracked(), seed.get_untracked())>"Reset"</button>
            </div>
            <div class="demo-controls">
                <label>"Preset"
                    <select data-testid="gan-preset" prop:value=move || preset.get() on:change=move |ev| {
                        if let Ok(p) = Preset::from_name(&event_string(&ev)) {
                            preset.set(p.name().to_string());
                            config.set(p.config());
                            seed.set(p.seed());
                            rebuild(p.config(), p.seed());
                        }
                    }>{presets}<option value=CUSTOM disabled=true>"custom"</option></select>
                </label>
                <label>"Loss"
                    <select data-testid="gan-loss" prop:value=move || config.get().loss.name() on:change=move |ev| {
                        let v = event_string(&ev);
                        if let Some(l) = LossKind::ALL.into_iter().find(|k| k.name() == v) {
                            set_cfg(&|c| c.loss = l);
                        }
                    }>{losses}</select>
                </label>
                <label>{move || format!("Modes K = {}", config.get().modes)}
                    <input type="range" min=*gan1d::MODES.start() max=*gan1d::MODES.end() step="1" data-testid="gan-modes"
                        prop:value=move || config.get().modes.to_string()
                        on:change=move |ev| if let Some(v) = event_number(&ev) { set_cfg(&|c| c.modes = v as usize) } />
                </label>
                <label>{move || format!("Spacing = {:.1}", config.get().spacing)}
                    <input type="range" min="0" max="10" step="0.5"
                        prop:value=move || config.get().spacing.to_string()
                        on:change=move |ev| if let Some(v) = event_number(&ev) { set_cfg(&|c| c.spacing = v as f32) } />
                </label>
                <label>{move || format!("Std = {:.2}", config.get().std)}
                    <input type="range" min="0.05" max="2" step="0.05"
                        prop:value=move || config.get().std.to_string()
                        on:change=move |ev| if let Some(v) = event_number(&ev) { set_cfg(&|c| c.std = v as f32) } />
                </label>
                <label>{move || format!("D steps per G step k = {}", config.get().d_steps)}
                    <input type="range" min="1" max="10" step="1" data-testid="gan-k"
                        prop:value=move || config.get().d_steps.to_string()
                        on:change=move |ev| if let Some(v) = event_number(&ev) { set_cfg(&|c| c.d_steps = v as usize) } />
                </label>
                <label>{move || format!("Generator lr = {:.0e}", config.get().lr_g)}
                    <input type="range" min="-5" max="-1" step="0.1" data-testid="gan-lr-g"
                        aria-valuetext=move || lr_valuetext(config.get().lr_g)
                        prop:value=move || lr_to_slider(config.get().lr_g).to_string()
                        on:change=move |ev| if let Some(v) = event_number(&ev) { set_cfg(&|c| c.lr_g = slider_to_lr(v)) } />
                </label>
                <label>{move || format!("Discriminator lr = {:.0e}", config.get().lr_d)}
                    <input type="range" min="-5" max="-1" step="0.1" data-testid="gan-lr-d"
                        aria-valuetext=move || lr_valuetext(config.get().lr_d)
                        prop:value=move || lr_to_slider(config.get().lr_d).to_string()
                        on:change=move |ev| if let Some(v) = event_number(&ev) { set_cfg(&|c| c.lr_d = slider_to_lr(v)) } />
                </label>
                <label>{move || format!("Batch = {}", config.get().batch)}
                    <input type="range" min="3" max="10" step="1"
                        aria-valuetext=move || config.get().batch.to_string()
                        prop:value=move || (config.get().batch.max(1) as f64).log2().round().to_string()
                        on:change=move |ev| if let Some(v) = event_number(&ev) { set_cfg(&|c| c.batch = 1usize << (v.clamp(0.0, 10.0) as u32)) } />
                </label>
                <label>{move || format!("Hidden width = {}", config.get().g_width)}
                    <input type="range" min="4" max="128" step="4"
                        prop:value=move || config.get().g_width.to_string()
                        on:change=move |ev| if let Some(v) = event_number(&ev) { set_cfg(&|c| { c.g_width = v as usize; c.d_width = v as usize; }) } />
                </label>
                <label>{move || format!("Steps per frame = {}", lp.steps_per_frame.get())}
                    <input type="range" min="1" max="50" step="1" data-testid="gan-steps-per-frame"
                        prop:value=move || lp.steps_per_frame.get().to_string()
                        on:input=move |ev| if let Some(v) = event_number(&ev) { lp.set_steps_per_frame((v as usize).clamp(1, 50)) } />
                </label>
                <label>"Seed"
                    <input type="number" min="0" data-testid="gan-seed"
                        prop:value=move || seed.get().to_string()
                        on:change=move |ev| if let Some(v) = event_number(&ev) {
                            let s = v.clamp(0.0, 1e15) as u64;
                            seed.set(s);
                            rebuild(config.get_untracked(), s);
                        } />
                </label>
            </div>
            <p class="demo-note">"Learning rates, k, batch and loss change the running model; the data and network settings start a new run. The page address always holds the current settings, so you can share it."</p>
        </figure>
    }
}
