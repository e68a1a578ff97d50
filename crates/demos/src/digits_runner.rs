//! What every digits demo (VAE, GAN, flow, diffusion) wires the same way: settings from the
//! link, the digits and the shipped checkpoint loaded once, a run started from the checkpoint
//! (or from scratch), training in a Web Worker where the page can start one, live and
//! restarting settings, and the read-out, note, error and button parts of the view. A demo
//! file adds only its model ([`DigitsModel`]), its plots, read-out and sliders.

use super::checkpoints;
use super::digits_live::{fetch_digits, set_digits, DigitsModel, Run};
use super::shared::{event_number, hash_state, set_hash_state, Animator};
use gentutor_models::digits::Digits;
use gentutor_models::link::Settings;
use leptos::prelude::*;

/// The shared state of one digits demo on the page. Copyable handles only.
pub struct Runner<M: DigitsModel> {
    pub lp: Animator<Run<M>>,
    pub config: RwSignal<M::Config>,
    /// Whether the run started from the shipped checkpoint (else from scratch).
    pub from_ckpt: RwSignal<bool>,
    /// Until the digits and the checkpoint are there.
    pub loading: RwSignal<bool>,
    /// What the learner should know that is no error (a missing checkpoint, ...).
    pub note: RwSignal<Option<String>>,
    data: StoredValue<Option<Digits>>,
    shipped: StoredValue<Option<(u64, M::Weights)>>,
    hash_id: StoredValue<String>,
}

impl<M: DigitsModel> Clone for Runner<M> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<M: DigitsModel> Copy for Runner<M> {}

impl<M: DigitsModel> Runner<M> {
    /// Settings `base` (the demo's defaults or its block's preset), overridden by the link
    /// under `id` (a bad link is a notice). Stops training when the component goes.
    pub fn new(id: &str, base: M::Config) -> Self {
        let mut notice = None;
        let mut config = base;
        if let Some(state) = hash_state(id) {
            match M::Config::from_hash(&state) {
                Ok(c) => config = c,
                Err(e) => notice = Some(format!("{e}; showing the defaults.")),
            }
        }
        let config = M::clamped(&config);
        let lp = Animator::new(None, M::speed(&config), notice);
        on_cleanup(move || {
            let _ = lp.running.try_set(false);
        });
        Runner {
            lp,
            config: RwSignal::new(config),
            from_ckpt: RwSignal::new(false),
            loading: RwSignal::new(true),
            note: RwSignal::new(None),
            data: StoredValue::new(None),
            shipped: StoredValue::new(None),
            hash_id: StoredValue::new(id.to_string()),
        }
    }

    /// Fetches the digits and the shipped checkpoint, then starts the first run (from scratch
    /// if `scratch_first`); `then(from_checkpoint)` follows. Without the checkpoint the demo
    /// trains from scratch and says so.
    pub fn load(self, scratch_first: bool, then: impl FnOnce(bool) + 'static) {
        gentutor_web::scoped::spawn(async move {
            let digits = fetch_digits().await;
            let ckpt = checkpoints::load::<M::Weights>().await;
            let _ = self.loading.try_set(false);
            let d = match digits {
                Ok(d) => d,
                Err(e) => {
                    let _ = self.lp.error.try_set(Some(e));
                    return;
                }
            };
            set_digits(&d);
            match ckpt {
                Ok((c, w)) => {
                    let _ = self.shipped.try_set_value(Some((c.steps, w)));
                }
                Err(e) => self.add_note(format!("{e}: training starts from scratch.")),
            }
            if self.data.try_set_value(Some(d)).is_none() {
                then(self.rebuild(scratch_first));
            }
        });
    }

    /// Adds a sentence to the note (if the component is still there).
    pub fn add_note(self, s: String) {
        let _ = self.note.try_update(|n| {
            *n = Some(match n.take() {
                Some(old) => format!("{old} {s}"),
                None => s,
            })
        });
    }

    /// A new run: from the shipped checkpoint when it fits the settings and `scratch` is
    /// false, else new networks. Answers whether it came from the checkpoint.
    pub fn rebuild(self, scratch: bool) -> bool {
        let c = M::clamped(&self.config.get_untracked());
        let Some(d) = self.data.get_value() else {
            return false;
        };
        let ckpt = (!scratch)
            .then(|| self.shipped.get_value())
            .flatten()
            .filter(|(_, w)| M::fits(w, &c));
        let used = ckpt.is_some();
        let run = M::start(&c, ckpt, d);
        let from = used && run.is_ok();
        self.from_ckpt.set(from);
        self.lp.replace(run.map(Run));
        from
    }

    /// Reset: back to the checkpoint where the settings fit it.
    pub fn reset(self) -> bool {
        self.rebuild(false)
    }

    fn change(self, f: &dyn Fn(&mut M::Config)) -> M::Config {
        let mut c = self.config.get_untracked();
        f(&mut c);
        let c = M::clamped(&c);
        self.config.set(c.clone());
        self.hash_id.with_value(|h| set_hash_state(h, &c.to_hash()));
        c
    }

    /// A setting that changes the running model (in the worker too), kept in the link.
    pub fn set_live(self, f: &dyn Fn(&mut M::Config)) {
        let c = self.change(f);
        self.lp.set_steps_per_frame(M::speed(&c));
        self.lp.modify_remote(move |m| {
            m.0.set_live(&c);
            Ok(())
        });
    }

    /// A setting that starts a new run, kept in the link.
    pub fn set_restart(self, f: &dyn Fn(&mut M::Config)) {
        self.change(f);
        let scratch = M::RESTART_KEEPS_SCRATCH && !self.from_ckpt.get_untracked();
        self.rebuild(scratch);
    }

    /// Play / pause, in the worker where the page can start one.
    pub fn play(self) {
        self.lp.toggle_prefer_worker();
    }

    /// One training step on the page (pausing a run first).
    pub fn step(self) {
        self.lp.pause();
        self.lp.advance(1);
    }

    /// Reads the model for a read-out; re-runs after every frame.
    pub fn read<T>(self, f: impl FnOnce(&M) -> T) -> Option<T> {
        self.lp.read(|r| f(&r.0))
    }

    /// Changes the model in place on the page (not a setting: nothing goes to the link).
    pub fn modify(self, f: impl FnOnce(&mut M) -> Result<(), String>) {
        self.lp.modify(|r| f(&mut r.0));
    }

    /// Draws after every frame (a few times a second while the worker trains, see
    /// `Animator::heavy`): `draw` gets the model and answers `None` while its canvases are not
    /// mounted; an error is shown.
    pub fn draw_each_frame(self, draw: impl Fn(&M) -> Option<Result<(), String>> + 'static) {
        let lp = self.lp;
        Effect::new(move |_| {
            lp.heavy.get();
            let drawn = lp
                .model
                .try_with_value(|m| m.as_ref().and_then(|m| draw(&m.0)));
            if let Some(Some(Err(e))) = drawn {
                lp.error.set(Some(e));
            }
        });
    }

    /// Where the run started, for the read-out.
    pub fn start_text(self) -> impl Fn() -> &'static str + Copy {
        move || {
            if self.from_ckpt.get() {
                " (from the shipped checkpoint)"
            } else {
                " (from scratch)"
            }
        }
    }

    /// "training in a background worker", while it does.
    pub fn worker_note(self) -> impl IntoView {
        let lp = self.lp;
        view! {
            <Show when=move || lp.in_worker.get()>
                <span class="demo-note" data-testid={M::test_id("in-worker")}>" · training in a background worker"</span>
            </Show>
        }
    }

    /// The loading line, the note and the error box (whose Reset starts the run again, or
    /// reloads the page when the digits never came).
    pub fn notices(self, loading_text: &'static str) -> impl IntoView {
        let lp = self.lp;
        let note = self.note;
        let loading = self.loading;
        let data = self.data;
        let from_ckpt = self.from_ckpt;
        view! {
            <Show when=move || loading.get()>
                <p class="demo-note" data-testid={M::test_id("loading")}>{loading_text}</p>
            </Show>
            <Show when=move || note.get().is_some()>
                <p class="demo-note" data-testid={M::test_id("note")}>{move || note.get().unwrap_or_default()}</p>
            </Show>
            <Show when=move || lp.error.get().is_some()>
                <div class="demo-error" role="alert" data-testid={M::test_id("error")}>
                    <p>{move || lp.error.get().unwrap_or_default()}</p>
                    <button on:click=move |_| {
                        if data.with_value(Option::is_some) {
                            self.rebuild(!from_ckpt.get_untracked());
                        } else if let Some(w) = web_sys::window() {
                            // The download failed: reload the page to try again.
                            let _ = w.location().reload();
                        }
                    }>"Reset"</button>
                </div>
            </Show>
        }
    }

    /// The training steps per frame slider (1 to 50), `label = n`.
    pub fn speed_slider(self, label: &'static str) -> impl IntoView {
        let config = self.config;
        view! {
            <label>{move || format!("{label} = {}", M::speed(&config.get()))}
                <input type="range" min="1" max="50" step="1"
                    prop:value=move || M::speed(&config.get()).to_string()
                    on:input=move |ev| if let Some(v) = event_number(&ev) {
                        self.set_live(&|c| M::set_speed(c, v as usize))
                    } />
            </label>
        }
    }

    /// Play/Pause (`play`, labelled `idle` while paused), Step, Reset (`reset`), Train from
    /// scratch, then the demo's own `extra` buttons.
    pub fn buttons(
        self,
        play: impl Fn() + Copy + Send + Sync + 'static,
        idle: &'static str,
        reset: impl Fn() + Copy + Send + Sync + 'static,
        step_title: &'static str,
        extra: impl IntoView,
    ) -> impl IntoView {
        let running = self.lp.running;
        view! {
            <div class="demo-buttons">
                <button data-testid={M::test_id("play")} data-demo-train="" on:click=move |_| play()>
                    {move || if running.get() { "Pause" } else { idle }}</button>
                <button class="secondary" data-testid={M::test_id("step-button")} title=step_title
                    on:click=move |_| self.step()>"Step"</button>
                <button class="secondary" data-testid={M::test_id("reset")} on:click=move |_| reset()
                    title="Back to the shipped checkpoint (or new networks if the settings differ from it)">"Reset"</button>
                <button class="secondary" data-testid={M::test_id("scratch")}
                    on:click=move |_| { self.rebuild(true); play(); }>"Train from scratch"</button>
                {extra}
            </div>
        }
    }
}
