//! Small pieces every demo uses: the URL-hash state, canvas drawing and log-scale sliders.

use gentutor_plot::PlotError;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;

/// The demo state in the URL hash, `#<demo-id>:<config>&seed=<n>`, if the hash is for `id`.
pub fn hash_state(id: &str) -> Option<String> {
    let hash = web_sys::window()?.location().hash().ok()?;
    let raw = hash.strip_prefix('#')?;
    let decoded = js_sys::decode_uri_component(raw)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_else(|| raw.to_string());
    decoded.strip_prefix(&format!("{id}:")).map(str::to_string)
}

/// Puts the demo state in the URL hash without a navigation or a history entry, so the current
/// URL is always a shareable link to what the learner sees.
pub fn set_hash_state(id: &str, state: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let loc = window.location();
    let path = loc.pathname().unwrap_or_default();
    let url = format!("{path}#{id}:{state}");
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// The `seed=<n>` entry of a hash state.
pub fn seed_from_state(state: &str) -> Option<u64> {
    state
        .split('&')
        .find_map(|p| p.strip_prefix("seed="))
        .and_then(|s| s.parse().ok())
}

/// Draws onto `canvas` with a core plot function. Returns a message instead of panicking.
pub fn draw_on_canvas(
    canvas: &web_sys::HtmlCanvasElement,
    draw: impl FnOnce(&DrawingArea<CanvasBackend, Shift>) -> Result<(), PlotError>,
) -> Result<(), String> {
    let backend =
        CanvasBackend::with_canvas_object(canvas.clone()).ok_or("this browser has no 2D canvas")?;
    let area = backend.into_drawing_area();
    draw(&area).map_err(|e| e.to_string())?;
    area.present().map_err(|e| e.to_string())
}

/// Slider position for a learning rate: log10 scale.
pub fn lr_to_slider(lr: f32) -> f64 {
    f64::from(lr.max(1e-9)).log10()
}

/// Learning rate from a log10 slider position.
pub fn slider_to_lr(v: f64) -> f32 {
    10f64.powf(v) as f32
}

/// What a screen reader says for a log10 slider at `v`: the value itself ("5e-3"), not its
/// logarithm ("-2.3").
pub fn lr_valuetext(v: f32) -> String {
    format!("{v:.0e}")
}

/// Reads a number from an input event; `None` for anything that is not a finite number.
pub fn event_number(ev: &leptos::ev::Event) -> Option<f64> {
    use wasm_bindgen::JsCast;
    let target = ev.target()?;
    let value = if let Some(i) = target.dyn_ref::<web_sys::HtmlInputElement>() {
        i.value()
    } else if let Some(s) = target.dyn_ref::<web_sys::HtmlSelectElement>() {
        s.value()
    } else {
        return None;
    };
    value.trim().parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Reads the string value of an input or select.
pub fn event_string(ev: &leptos::ev::Event) -> String {
    leptos::prelude::event_target_value(ev)
}

/// A model the animation loop can train and draw.
pub trait Live: Send + Sync + 'static {
    /// Trains `n` steps; an error (divergence) stops the loop and is shown to the learner.
    fn train(&mut self, n: usize) -> Result<(), String>;
    /// Draws the current state on the canvas.
    fn draw(&self, canvas: &web_sys::HtmlCanvasElement) -> Result<(), String>;
    /// True when a finite job (such as sampling) has ended: the loop stops by itself rather
    /// than going on to train, so a run the learner paused stays paused.
    fn finished(&self) -> bool {
        false
    }
}

use leptos::html::Canvas;
use leptos::prelude::*;

/// Runs a [`Live`] model from `requestAnimationFrame`: a few training steps, then one draw, per
/// frame. Copyable handles only, so closures can capture it freely; when the component is
/// disposed the stored model goes away and the loop stops by itself.
pub struct Animator<M: Live> {
    pub model: StoredValue<Option<M>>,
    pub running: RwSignal<bool>,
    /// Whether the current run trains in a Web Worker ([`Animator::toggle_prefer_worker`]).
    pub in_worker: RwSignal<bool>,
    /// Bumped by every change made on the page; worker reports of another epoch are stale.
    epoch: StoredValue<u32>,
    /// The page's end of the training worker, once started.
    remote: StoredValue<Option<super::worker::TrainingWorker>, LocalStorage>,
    /// The newest state the worker reported, not yet applied.
    pending: StoredValue<Option<Vec<u8>>>,
    /// Bumped after every draw, so readouts re-read the model.
    pub frame: RwSignal<u64>,
    pub error: RwSignal<Option<String>>,
    pub steps_per_frame: RwSignal<usize>,
    pub canvas: NodeRef<Canvas>,
}

impl<M: Live> Clone for Animator<M> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<M: Live> Copy for Animator<M> {}

impl<M: Live> Animator<M> {
    pub fn new(model: Option<M>, steps_per_frame: usize, error: Option<String>) -> Self {
        Animator {
            model: StoredValue::new(model),
            running: RwSignal::new(false),
            in_worker: RwSignal::new(false),
            epoch: StoredValue::new(0),
            remote: StoredValue::new_local(None),
            pending: StoredValue::new(None),
            frame: RwSignal::new(0),
            error: RwSignal::new(error),
            steps_per_frame: RwSignal::new(steps_per_frame),
            canvas: NodeRef::new(),
        }
    }

    /// Replaces the model (after a reset or a settings change) and redraws.
    pub fn replace(self, model: Result<M, String>) {
        self.running.set(false);
        self.local_change();
        match model {
            Ok(m) => {
                self.model.set_value(Some(m));
                self.error.set(None);
            }
            Err(e) => self.error.set(Some(e)),
        }
        self.redraw();
    }

    /// Changes the model in place (a setting that keeps the run: learning rate, batch, ...),
    /// without stopping it; an error is shown and stops the loop.
    pub fn modify(self, f: impl FnOnce(&mut M) -> Result<(), String>) {
        self.local_change_on_page();
        let result = self.model.try_update_value(|m| m.as_mut().map(f));
        if let Some(Some(Err(e))) = result {
            self.running.set(false);
            self.error.set(Some(e));
        }
        self.redraw();
    }

    /// Trains `n` steps, then redraws. A diverged run stops and shows its message.
    pub fn advance(self, n: usize) {
        if self.in_worker.get_untracked() && self.running.get_untracked() {
            return; // the worker owns the run until it is paused
        }
        self.local_change();
        let result = self
            .model
            .try_update_value(|m| m.as_mut().map(|m| m.train(n)));
        match result {
            None => return, // the component is gone
            Some(Some(Err(e))) => {
                self.running.set(false);
                self.error.set(Some(e));
            }
            _ => {}
        }
        self.redraw();
    }

    pub fn redraw(self) {
        let Some(canvas) = self.canvas.get_untracked() else {
            return;
        };
        let drawn = self
            .model
            .try_with_value(|m| m.as_ref().map(|m| m.draw(&canvas)));
        if let Some(Some(Err(msg))) = drawn {
            self.error.set(Some(msg));
        }
        let _ = self.frame.try_update(|f| *f += 1);
    }

    /// Starts or pauses the loop.
    pub fn toggle(self) {
        if self.running.get_untracked() {
            self.running.set(false);
        } else if self.error.get_untracked().is_none() && self.model.with_value(Option::is_some) {
            self.running.set(true);
            self.tick();
        }
    }

    fn tick(self) {
        if !self.running.try_get_untracked().unwrap_or(false) {
            return;
        }
        let n = self.steps_per_frame.get_untracked();
        self.advance(n);
        let finished = self
            .model
            .try_with_value(|m| m.as_ref().is_some_and(M::finished))
            .unwrap_or(true);
        if finished {
            let _ = self.running.try_set(false);
            return;
        }
        request_animation_frame(move || self.tick());
    }

    /// Sets the training steps per animation frame, also for a run in the worker.
    pub fn set_steps_per_frame(self, n: usize) {
        self.steps_per_frame.set(n);
        if self.in_worker.get_untracked() {
            self.remote.with_value(|w| {
                if let Some(w) = w {
                    w.set_steps(n);
                }
            });
        }
    }

    /// A change to a run that trains on the page: only the epoch moves (no worker to stop).
    fn local_change_on_page(self) {
        let _ = self.epoch.try_update_value(|e| *e = e.wrapping_add(1));
    }

    /// A change made on the page: reports from a worker run started before it are stale.
    fn local_change(self) {
        let _ = self.epoch.try_update_value(|e| *e = e.wrapping_add(1));
        if self.in_worker.get_untracked() {
            self.remote.with_value(|w| {
                if let Some(w) = w {
                    w.stop();
                }
            });
            self.in_worker.set(false);
        }
    }

    /// Reads the model for a readout; re-runs after every frame.
    pub fn read<T>(self, f: impl FnOnce(&M) -> T) -> Option<T> {
        self.frame.get();
        self.model.try_with_value(|m| m.as_ref().map(f)).flatten()
    }
}

impl<M: super::worker::Remote> Animator<M> {
    /// Play/pause, training in a Web Worker when the page can start one (the page then only
    /// draws), else on the page between frames ([`Animator::toggle`]).
    pub fn toggle_prefer_worker(self) {
        if self.running.get_untracked() {
            self.running.set(false);
            if self.in_worker.get_untracked() {
                // The worker answers with the final state (see `on_report`).
                self.remote.with_value(|w| {
                    if let Some(w) = w {
                        w.stop();
                    }
                });
            }
            return;
        }
        if self.error.get_untracked().is_some() || !self.model.with_value(Option::is_some) {
            return;
        }
        if self.remote.with_value(Option::is_none) {
            match super::worker::TrainingWorker::spawn(move |r| self.on_report(r)) {
                Ok(w) => self.remote.set_value(Some(w)),
                Err(_) => return self.toggle(), // no worker here: train on the page
            }
        }
        let epoch = self.epoch.get_value().wrapping_add(1);
        self.epoch.set_value(epoch);
        let state = self.model.with_value(|m| m.as_ref().map(M::to_bytes));
        let steps = self.steps_per_frame.get_untracked();
        let sent = self.remote.with_value(|w| match (w, &state) {
            (Some(w), Some(s)) => w.run(M::KIND, s, steps, epoch),
            _ => Err("no worker".into()),
        });
        if sent.is_err() {
            self.remote.set_value(None);
            return self.toggle();
        }
        self.in_worker.set(true);
        self.running.set(true);
        self.remote_tick();
    }

    /// Like [`Animator::modify`] for a run that may be in the worker: the worker hands its
    /// newest state back, the change is applied, and the run goes on in the worker.
    pub fn modify_remote(self, f: impl FnOnce(&mut M) -> Result<(), String>) {
        let resume = self.running.get_untracked() && self.in_worker.get_untracked();
        if resume {
            self.pause();
        }
        self.modify(f);
        if resume && self.error.get_untracked().is_none() {
            self.toggle_prefer_worker();
        }
    }

    /// Stops training (on the page or in the worker) and keeps the newest state shown; a later
    /// report from the worker is ignored, so the page can change the model right away.
    pub fn pause(self) {
        self.running.set(false);
        if self.in_worker.get_untracked() {
            self.apply_pending();
            self.local_change();
        }
    }

    fn on_report(self, r: super::worker::Report) {
        if Some(r.epoch) != self.epoch.try_get_value() {
            return; // stale, or the component is gone
        }
        if let Some(state) = r.state {
            self.pending.set_value(Some(state));
        }
        if let Some(e) = r.error {
            self.running.set(false);
            self.apply_pending();
            self.in_worker.set(false);
            self.error.set(Some(e));
        } else if !r.running {
            self.apply_pending();
            self.in_worker.set(false);
        }
    }

    /// Once per animation frame while the worker trains: draw its newest state.
    fn remote_tick(self) {
        if !self.running.try_get_untracked().unwrap_or(false) || !self.in_worker.get_untracked() {
            return;
        }
        self.apply_pending();
        request_animation_frame(move || self.remote_tick());
    }

    fn apply_pending(self) {
        let Some(Some(bytes)) = self.pending.try_update_value(Option::take) else {
            return;
        };
        match M::from_bytes(&bytes) {
            Ok(m) => self.model.set_value(Some(m)),
            Err(e) => {
                self.running.set(false);
                self.error.set(Some(e));
            }
        }
        self.redraw();
    }
}

/// Whether the page shows its dark theme: an explicit `data-theme` on `<html>` wins over the
/// system setting.
pub fn page_is_dark() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let explicit = window
        .document()
        .and_then(|d| d.document_element())
        .and_then(|e| e.get_attribute("data-theme"));
    match explicit.as_deref() {
        Some("dark") => true,
        Some("light") => false,
        _ => window
            .match_media("(prefers-color-scheme: dark)")
            .ok()
            .flatten()
            .is_some_and(|m| m.matches()),
    }
}
