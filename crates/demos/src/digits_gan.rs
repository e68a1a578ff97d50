//! The live GAN on the 8x8 digits: samples as an image grid, the per-digit coverage read-out
//! from the shared digit classifier (which digits it draws, which it dropped), and D's mean
//! verdicts. It starts from the checkpoint shipped with the site (so sharp digits show at once);
//! "Train from scratch" starts new networks, trained in a Web Worker where the page can start
//! one. All logic is in `gentutor_models::digits_gan`.

use super::checkpoints;
use super::shared::{
    draw_on_canvas, event_number, hash_state, lr_to_slider, lr_valuetext, page_is_dark,
    set_hash_state, slider_to_lr, Animator, Live,
};
use gentutor_models::digit_classifier::Classifier;
use gentutor_models::digits::Digits;
use gentutor_models::digits_gan::config::{Preset, HIDDEN, LATENT};
use gentutor_models::digits_gan::{Coverage, DigitsGan, DigitsGanConfig, GanWeights};
use gentutor_models::link::Settings as _;
use gentutor_plot::digits_gan::{draw_gan_coverage, draw_gan_samples, draw_gan_verdicts};
use gentutor_plot::Theme;
use leptos::html::Canvas;
use leptos::prelude::*;
use std::cell::RefCell;
use std::collections::BTreeMap;

/// Samples the coverage read-out classifies (the shipped checkpoint's metrics use 1,000).
const COVERAGE_SAMPLES: usize = 500;
/// Frames between two coverage read-outs while training (it costs more than a frame's draw).
const COVERAGE_EVERY: u64 = 20;

thread_local! {
    /// The digits: on the page once fetched; in the worker once a run brought them (see
    /// `Remote` below).
    static WORKER_DIGITS: RefCell<Option<Digits>> = const { RefCell::new(None) };
}

/// Makes `digits` the ones runs carry to the worker (the demo calls it once it has them).
pub fn use_digits(digits: &Digits) {
    WORKER_DIGITS.with_borrow_mut(|slot| *slot = Some(digits.clone()));
}

/// The GAN as the animation loop and the worker see it (drawing happens in the component).
pub struct GanLive(pub DigitsGan);

impl Live for GanLive {
    fn train(&mut self, n: usize) -> Result<(), String> {
        self.0.step(n).map_err(|e| e.to_string())
    }
    fn draw(&self, _canvas: &web_sys::HtmlCanvasElement) -> Result<(), String> {
        Ok(())
    }
}

/// Bytes: a flag, then (flag 1) the digits file's bytes with their u32 length, then the run.
/// The page sends the digits with every run it hands over (the worker has no other way to get
/// them); the worker, which has no `window`, leaves them out of the runs it posts back.
impl super::worker::Remote for GanLive {
    const KIND: &'static str = "digits-gan";
    fn to_bytes(&self) -> Vec<u8> {
        let digits = web_sys::window()
            .is_some()
            .then(|| WORKER_DIGITS.with_borrow(|d| d.as_ref().and_then(|d| d.encode().ok())))
            .flatten();
        let mut out = Vec::new();
        match digits {
            Some(d) => {
                out.push(1);
                out.extend_from_slice(&(d.len() as u32).to_le_bytes());
                out.extend_from_slice(&d);
            }
            None => out.push(0),
        }
        out.extend(self.0.to_bytes());
        out
    }
    fn from_bytes(bytes: &[u8]) -> Result<Self, String> {
        let bad = || "the run handed over is damaged; press Reset".to_string();
        let rest = match bytes.first() {
            Some(1) => {
                let len = bytes
                    .get(1..5)
                    .and_then(|b| b.try_into().ok())
                    .map(u32::from_le_bytes)
                    .ok_or_else(bad)? as usize;
                let d = bytes.get(5..5 + len).ok_or_else(bad)?;
                let digits = Digits::parse(d).map_err(|e| e.to_string())?;
                WORKER_DIGITS.with_borrow_mut(|slot| *slot = Some(digits));
                &bytes[5 + len..]
            }
            Some(0) => &bytes[1..],
            _ => return Err(bad()),
        };
        let digits = WORKER_DIGITS
            .with_borrow(Clone::clone)
            .ok_or("the digits are not loaded; press Reset")?;
        DigitsGan::from_bytes(rest, &digits)
            .map(GanLive)
            .map_err(|e| e.to_string())
    }
}

/// Settings from the block's preset, then the link (which wins); a bad link is a notice.
fn initial(id: &str, preset: Preset) -> (DigitsGanConfig, Option<String>) {
    let mut config = preset.config();
    let mut notice = None;
    if let Some(state) = hash_state(id) {
        match DigitsGanConfig::from_hash(&state) {
            Ok(c) => config = c,
            Err(e) => notice = Some(format!("{e}; showing the defaults.")),
        }
    }
    (config.clamped(), notice)
}

/// What the run started from, for the read-out.
#[derive(Clone, Copy, PartialEq)]
enum Start {
    Checkpoint,
    Scratch,
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
    let (init, notice) = initial(&id, preset);
    let scratch_first =
        !preset.from_checkpoint() || options.get("start").is_some_and(|s| s == "scratch");
    let config = RwSignal::new(init);
    let lp = Animator::<GanLive>::new(None, config.get_untracked().speed, notice);
    let data = StoredValue::new(None::<Digits>);
    let shipped = StoredValue::new(None::<(u64, GanWeights)>);
    let classifier = StoredValue::new(None::<Classifier>);
    let coverage = RwSignal::new(None::<Coverage>);
    let start = RwSignal::new(Start::Scratch);
    let loading = RwSignal::new(true);
    // A missing checkpoint or classifier is no error: the demo trains from scratch, or
    // without the read-out, and says so.
    let note = RwSignal::new(None::<String>);
    let hash_id = StoredValue::new(id.clone());
    let grid_canvas = NodeRef::<Canvas>::new();
    let cov_canvas = NodeRef::<Canvas>::new();

    let save_link =
        move |c: &DigitsGanConfig| hash_id.with_value(|h| set_hash_state(h, &c.to_hash()));
    let measure = move || {
        let cov = classifier.with_value(|c| {
            let c = c.as_ref()?;
            lp.model.try_with_value(|m| {
                m.as_ref()
                    .map(|m| Coverage::of(c, m.0.samples(COVERAGE_SAMPLES, 77).view()))
            })?
        });
        let _ = coverage.try_set(cov);
    };
    // A new run: from the shipped checkpoint when it fits the settings (and `scratch` is
    // false), else new networks.
    let rebuild = move |scratch: bool| {
        let c = config.get_untracked().clamped();
        let Some(d) = data.get_value() else { return };
        let from_ckpt = (!scratch)
            .then(|| shipped.get_value())
            .flatten()
            .filter(|(_, w)| w.config.same_networks(&c));
        let run = match from_ckpt {
            Some((steps, w)) => DigitsGan::from_weights(&c, w.nets, steps, &d),
            None => DigitsGan::new(&c, &d),
        };
        start.set(if from_ckpt_is(&run, scratch) {
            Start::Checkpoint
        } else {
            Start::Scratch
        });
        lp.replace(run.map(GanLive).map_err(|e| e.to_string()));
        measure();
    };
    let set_live = move |f: &dyn Fn(&mut DigitsGanConfig)| {
        let mut c = config.get_untracked();
        f(&mut c);
        let c = c.clamped();
        config.set(c.clone());
        save_link(&c);
        let next = c.clone();
        lp.modify_remote(move |m| {
            m.0.set_lrs(next.lr_g, next.lr_d);
            m.0.set_batch(next.batch);
            Ok(())
        });
    };
    let set_restart = move |f: &dyn Fn(&mut DigitsGanConfig)| {
        let mut c = config.get_untracked();
        f(&mut c);
        let c = c.clamped();
        config.set(c.clone());
        save_link(&c);
        rebuild(start.get_untracked() == Start::Scratch);
    };

    gentutor_web::scoped::spawn(async move {
        let digits = super::vae::fetch_digits().await;
        let ckpt = checkpoints::load::<GanWeights>().await;
        let cls = checkpoints::classifier().await;
        let _ = loading.try_set(false);
        let d = match digits {
            Ok(d) => d,
            Err(e) => {
                let _ = lp.error.try_set(Some(e));
                return;
            }
        };
        use_digits(&d);
        let mut notes = Vec::new();
        match ckpt {
            Ok((c, w)) => {
                let _ = shipped.try_set_value(Some((c.steps, w)));
            }
            Err(e) => notes.push(format!("{e}: the GAN trains from scratch.")),
        }
        match cls {
            Ok(c) => {
                let _ = classifier.try_set_value(Some(c));
            }
            Err(e) => notes.push(format!("{e}: no coverage read-out.")),
        }
        let _ = note.try_set((!notes.is_empty()).then(|| notes.join(" ")));
        if data.try_set_value(Some(d)).is_none() {
            rebuild(scratch_first);
        }
    });

    // One view per frame on the three canvases; the coverage now and then.
    Effect::new(move |_| {
        let frame = lp.frame.get();
        let (Some(vc), Some(gc), Some(cc)) = (lp.canvas.get(), grid_canvas.get(), cov_canvas.get())
        else {
            return;
        };
        if !lp.running.get_untracked() || frame.is_multiple_of(COVERAGE_EVERY) {
            measure();
        }
        let cov = coverage.get_untracked();
        let theme = Theme::new(page_is_dark());
        let drawn = lp.model.try_with_value(|m| {
            m.as_ref().map(|m| {
                let v = m.0.view(cov);
                draw_on_canvas(&gc, |a| draw_gan_samples(a, &v, &theme))?;
                draw_on_canvas(&cc, |a| draw_gan_coverage(a, &v, &theme))?;
                draw_on_canvas(&vc, |a| draw_gan_verdicts(a, &v, &theme))
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
            let c = m.0.curves();
            (
                m.0.step_count(),
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
            <p class="demo-help">"A generator G turns 16 random numbers z into an 8x8 image; a discriminator D tries to tell those images from the 1,438 real training digits, and G learns from D's gradient (non-saturating loss, Adam). Left: 64 samples. Right: which digits the site's digit classifier confidently sees in 500 samples; a digit under the dashed line is one the GAN has dropped."</p>
            <Show when=move || loading.get()>
                <p class="demo-note" data-testid="digits-gan-loading">"Loading the digits and the trained GAN…"</p>
            </Show>
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
                        {move || match start.get() {
                            Start::Checkpoint => " (from the shipped checkpoint)",
                            Start::Scratch => " (from scratch)",
                        }}
                        {if dr.is_finite() && df.is_finite() {
                            format!(" · D(real) {dr:.2}, D(fake) {df:.2} · ")
                        } else {
                            " · ".to_string()
                        }}
                        <strong data-testid="digits-gan-coverage">{coverage_text}</strong>
                    }.into_any(),
                    None => view! { <span>"No model yet"</span> }.into_any(),
                }}
                <Show when=move || lp.in_worker.get()>
                    <span class="demo-note" data-testid="digits-gan-in-worker">" · training in a background worker"</span>
                </Show>
            </p>
            <Show when=move || note.get().is_some()>
                <p class="demo-note" data-testid="digits-gan-note">{move || note.get().unwrap_or_default()}</p>
            </Show>
            <Show when=move || lp.error.get().is_some()>
                <div class="demo-error" role="alert" data-testid="digits-gan-error">
                    <p>{move || lp.error.get().unwrap_or_default()}</p>
                    <button on:click=move |_| {
                        if data.with_value(Option::is_some) {
                            rebuild(start.get_untracked() == Start::Scratch)
                        } else if let Some(w) = web_sys::window() {
                            // The download failed: reload the page to try again.
                            let _ = w.location().reload();
                        }
                    }>"Reset"</button>
                </div>
            </Show>
            <div class="demo-buttons">
                <button data-testid="digits-gan-play" data-demo-train="" on:click=move |_| lp.toggle_prefer_worker()>
                    {move || if lp.running.get() { "Pause" } else { "Play" }}</button>
                <button class="secondary" data-testid="digits-gan-step-button" on:click=move |_| { lp.pause(); lp.advance(1); measure(); }>"Step"</button>
                <button class="secondary" data-testid="digits-gan-reset" on:click=move |_| rebuild(false)
                    title="Back to the shipped checkpoint (or new networks if the settings differ from it)">"Reset"</button>
                <button class="secondary" data-testid="digits-gan-scratch" on:click=move |_| { rebuild(true); lp.toggle_prefer_worker(); }>"Train from scratch"</button>
            </div>
            <div class="demo-controls">
                <label>{move || format!("Generator lr = {:.0e}", config.get().lr_g)}
                    <input type="range" min="-5" max="-2" step="0.1" data-testid="digits-gan-lr-g"
                        aria-valuetext=move || lr_valuetext(config.get().lr_g)
                        prop:value=move || lr_to_slider(config.get().lr_g).to_string()
                        on:change=move |ev| if let Some(v) = event_number(&ev) { set_live(&|c| c.lr_g = slider_to_lr(v)) } />
                </label>
                <label>{move || format!("Discriminator lr = {:.0e}", config.get().lr_d)}
                    <input type="range" min="-5" max="-2" step="0.1" data-testid="digits-gan-lr-d"
                        aria-valuetext=move || lr_valuetext(config.get().lr_d)
                        prop:value=move || lr_to_slider(config.get().lr_d).to_string()
                        on:change=move |ev| if let Some(v) = event_number(&ev) { set_live(&|c| c.lr_d = slider_to_lr(v)) } />
                </label>
                <label>{move || format!("Batch = {}", config.get().batch)}
                    <input type="range" min="3" max="8" step="1"
                        aria-valuetext=move || config.get().batch.to_string()
                        prop:value=move || (config.get().batch.max(1) as f64).log2().round().to_string()
                        on:change=move |ev| if let Some(v) = event_number(&ev) { set_live(&|c| c.batch = 1usize << (v.clamp(3.0, 8.0) as u32)) } />
                </label>
                <label>{move || format!("Hidden width = {} (restarts)", config.get().hidden)}
                    <input type="range" min=*HIDDEN.start() max=*HIDDEN.end() step="16" data-testid="digits-gan-hidden"
                        prop:value=move || config.get().hidden.to_string()
                        on:change=move |ev| if let Some(v) = event_number(&ev) { set_restart(&|c| c.hidden = v as usize) } />
                </label>
                <label>{move || format!("Noise dimensions = {} (restarts)", config.get().latent)}
                    <input type="range" min=*LATENT.start() max=*LATENT.end() step="1"
                        prop:value=move || config.get().latent.to_string()
                        on:change=move |ev| if let Some(v) = event_number(&ev) { set_restart(&|c| c.latent = v as usize) } />
                </label>
                <label>{move || format!("Steps per frame = {}", config.get().speed)}
                    <input type="range" min="1" max="50" step="1"
                        prop:value=move || config.get().speed.to_string()
                        on:input=move |ev| if let Some(v) = event_number(&ev) {
                            let mut c = config.get_untracked();
                            c.speed = v as usize;
                            let c = c.clamped();
                            lp.set_steps_per_frame(c.speed);
                            save_link(&c);
                            config.set(c);
                        } />
                </label>
            </div>
            <p class="demo-note">"Learning rates and batch change the running model; the network sizes start a new run (from scratch unless they match the shipped checkpoint). The page address holds the settings."</p>
        </figure>
    }
}

/// Whether `run` came from the checkpoint: it did if it was asked for and starts past step 0.
fn from_ckpt_is(run: &Result<DigitsGan, impl std::fmt::Debug>, scratch: bool) -> bool {
    !scratch && run.as_ref().is_ok_and(|g| g.step_count() > 0)
}
