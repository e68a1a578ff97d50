//! Small pieces every demo uses: the URL-hash state, canvas drawing and log-scale sliders.

use gentutor_plot::{PlotError, Theme};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind,
};
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

/// Draws onto `canvas` with a core plot function, at the canvas's CSS width and the height that
/// keeps the aspect of its `width`/`height` attributes (the design size), at devicePixelRatio
/// (see [`draw_on_canvas_fit`]). Returns a message instead of panicking.
pub fn draw_on_canvas(
    canvas: &web_sys::HtmlCanvasElement,
    draw: impl FnOnce(&DrawingArea<HiDpiCanvas, Shift>) -> Result<(), PlotError>,
) -> Result<(), String> {
    let (dw, dh) = design_size(canvas);
    draw_on_canvas_fit(canvas, move |w| aspect_height(w, dw, dh), draw)
}

/// Draws onto `canvas` at its CSS width `w` and CSS height `height_for(w)`: the backing store
/// is that size times devicePixelRatio and the drawing is scaled to it, so the plot code works
/// in CSS px (fonts stay their size on a phone) and the result is crisp on a 2x screen.
pub fn draw_on_canvas_fit(
    canvas: &web_sys::HtmlCanvasElement,
    height_for: impl FnOnce(u32) -> u32,
    draw: impl FnOnce(&DrawingArea<HiDpiCanvas, Shift>) -> Result<(), PlotError>,
) -> Result<(), String> {
    use wasm_bindgen::JsCast;
    let (dw, _) = design_size(canvas);
    // Not laid out yet (e.g. inside a closed <details>): the design width.
    let css_w = match canvas.client_width() {
        w if w > 0 => w as u32,
        _ => dw,
    };
    let css_h = height_for(css_w).max(1);
    let dpr = device_pixel_ratio();
    let (bw, bh) = backing_size(css_w, css_h, dpr);
    // Setting a size clears the canvas even when unchanged; only set it when it differs.
    if canvas.width() != bw {
        canvas.set_width(bw);
    }
    if canvas.height() != bh {
        canvas.set_height(bh);
    }
    let ctx = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
        .ok_or("this browser has no 2D canvas")?;
    ctx.set_transform(
        f64::from(bw) / f64::from(css_w),
        0.0,
        0.0,
        f64::from(bh) / f64::from(css_h),
        0.0,
        0.0,
    )
    .map_err(|_| "the canvas could not be scaled")?;
    let inner =
        CanvasBackend::with_canvas_object(canvas.clone()).ok_or("this browser has no 2D canvas")?;
    let area = HiDpiCanvas {
        inner,
        size: (css_w, css_h),
    }
    .into_drawing_area();
    draw(&area).map_err(|e| e.to_string())?;
    area.present().map_err(|e| e.to_string())
}

/// The canvas's design size: its `width`/`height` attributes as the markup wrote them (kept in
/// `data-design` once the backing store has been resized).
fn design_size(canvas: &web_sys::HtmlCanvasElement) -> (u32, u32) {
    let stored = canvas.get_attribute("data-design").and_then(|d| {
        let (w, h) = d.split_once('x')?;
        Some((w.parse().ok()?, h.parse().ok()?))
    });
    match stored {
        Some(s) => s,
        None => {
            let (w, h) = (canvas.width().max(1), canvas.height().max(1));
            let _ = canvas.set_attribute("data-design", &format!("{w}x{h}"));
            (w, h)
        }
    }
}

/// The height that keeps the design aspect `dw:dh` at width `w`, but not below 260 px (or the
/// design height, if smaller): a wide plot shrunk to a phone's width would be a thin strip.
pub fn aspect_height(w: u32, dw: u32, dh: u32) -> u32 {
    let h = (f64::from(w) * f64::from(dh) / f64::from(dw.max(1))).round() as u32;
    h.max(dh.min(260)).max(1)
}

/// Backing-store size of a `css_w x css_h` canvas at device pixel ratio `dpr`.
pub fn backing_size(css_w: u32, css_h: u32, dpr: f64) -> (u32, u32) {
    let s = |v: u32| ((f64::from(v) * dpr).round() as u32).max(1);
    (s(css_w), s(css_h))
}

/// The screen's device pixels per CSS px (1 to 4; 1 when unknown).
pub fn device_pixel_ratio() -> f64 {
    web_sys::window()
        .map(|w| w.device_pixel_ratio())
        .filter(|r| r.is_finite() && *r > 0.0)
        .map_or(1.0, |r| r.clamp(1.0, 4.0))
}

/// The plots' theme for the page as it is shown now (light or dark).
pub fn page_theme() -> Theme {
    Theme::new(page_is_dark())
}

/// A canvas drawn in CSS px: reports the CSS size to plotters while the context's transform
/// maps it onto a backing store of CSS size x devicePixelRatio.
pub struct HiDpiCanvas {
    inner: CanvasBackend,
    size: (u32, u32),
}

impl DrawingBackend for HiDpiCanvas {
    type ErrorType = <CanvasBackend as DrawingBackend>::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }
    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.ensure_prepared()
    }
    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.present()
    }
    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_pixel(point, color)
    }
    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_line(from, to, style)
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_path(path, style)
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_circle(center, radius, style, fill)
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.fill_polygon(vert, style)
    }
    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_text(text, style, pos)
    }
    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        self.inner.estimate_text_size(text, style)
    }
}

thread_local! {
    /// Bumped when the page's look changes (dark mode switched, viewport width changed); plots
    /// that track it redraw. Reference-counted, so no component owns (and disposes) it.
    static LOOK: ArcRwSignal<u32> = {
        let signal = ArcRwSignal::new(0);
        watch_look(signal.clone());
        signal
    };
}

/// Call inside an Effect that draws a plot: the Effect re-runs when the page switches between
/// light and dark or the viewport's width changes, so the plot re-themes and re-fits.
pub fn track_page_look() {
    LOOK.with(|s| s.track());
}

/// Installs the page-wide listeners behind [`track_page_look`], once per page: they live as
/// long as the page and only bump the shared signal.
fn watch_look(signal: ArcRwSignal<u32>) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let Some(window) = web_sys::window() else {
        return;
    };
    let bump = {
        let signal = signal.clone();
        move || signal.update(|v| *v = v.wrapping_add(1))
    };
    // The page's layout width: the viewport's minus a scrollbar, which appears and goes as the
    // page grows and shrinks without any resize event.
    let page_width = |w: &web_sys::Window| {
        w.document()
            .and_then(|d| d.document_element())
            .map(|e| e.client_width())
    };
    let last_width = std::rc::Rc::new(std::cell::Cell::new(page_width(&window)));
    let on_resize = {
        let bump = bump.clone();
        let window = window.clone();
        Closure::<dyn Fn()>::new(move || {
            let w = page_width(&window);
            // Phones fire resize when the address bar hides: only a new width re-fits.
            if w != last_width.get() {
                last_width.set(w);
                bump();
            }
        })
    };
    let _ = window.add_event_listener_with_callback("resize", on_resize.as_ref().unchecked_ref());
    if let Some(html) = window.document().and_then(|d| d.document_element()) {
        if let Ok(observer) = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()) {
            observer.observe(&html);
        }
    }
    on_resize.forget();
    let on_theme = {
        let bump = bump.clone();
        Closure::<dyn Fn()>::new(bump)
    };
    if let Ok(Some(mq)) = window.match_media("(prefers-color-scheme: dark)") {
        let _ = mq.add_event_listener_with_callback("change", on_theme.as_ref().unchecked_ref());
    }
    if let Some(html) = window.document().and_then(|d| d.document_element()) {
        if let Ok(observer) = web_sys::MutationObserver::new(on_theme.as_ref().unchecked_ref()) {
            let init = web_sys::MutationObserverInit::new();
            init.set_attributes(true);
            init.set_attribute_filter(&js_sys::Array::of1(&"data-theme".into()));
            let _ = observer.observe_with_options(&html, &init);
        }
    }
    on_theme.forget();
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
    /// Draws the current state on the canvas. By default nothing: components that draw
    /// several canvases from one view do it in an effect on [`Animator::frame`].
    fn draw(&self, _canvas: &web_sys::HtmlCanvasElement) -> Result<(), String> {
        Ok(())
    }
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
    /// Bumped when the heavy panels (the canvases) should redraw: with [`Animator::frame`],
    /// except while the worker trains, when at most every [`HEAVY_EVERY_MS`].
    pub heavy: RwSignal<u64>,
    /// When the heavy panels last drew (ms), and whether a newer state is not drawn yet.
    heavy_at: StoredValue<(f64, bool)>,
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
        let a = Animator {
            model: StoredValue::new(model),
            running: RwSignal::new(false),
            in_worker: RwSignal::new(false),
            epoch: StoredValue::new(0),
            remote: StoredValue::new_local(None),
            pending: StoredValue::new(None),
            frame: RwSignal::new(0),
            heavy: RwSignal::new(0),
            heavy_at: StoredValue::new((f64::NEG_INFINITY, false)),
            error: RwSignal::new(error),
            steps_per_frame: RwSignal::new(steps_per_frame),
            canvas: NodeRef::new(),
        };
        // Re-theme and re-fit the plot when the page switches light/dark or changes width.
        Effect::new(move |prev: Option<()>| {
            track_page_look();
            if prev.is_some() {
                a.redraw();
            }
        });
        a
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

    /// Redraws: the read-outs always, the canvases (the costly part: one GAN plot, or the
    /// VAE's ~7,000 pixel rectangles) at most every [`HEAVY_EVERY_MS`] while the worker trains,
    /// so the page keeps its frame rate (see BENCHMARKS.md, frames per second).
    pub fn redraw(self) {
        let training_remote = self.running.try_get_untracked().unwrap_or(false)
            && self.in_worker.try_get_untracked().unwrap_or(false);
        let now = now_ms();
        let Some((last, _)) = self.heavy_at.try_get_value() else {
            return; // the component is gone
        };
        if training_remote && now - last < HEAVY_EVERY_MS {
            self.heavy_at.set_value((last, true));
            let _ = self.frame.try_update(|f| *f += 1);
            return;
        }
        self.heavy_at.set_value((now, false));
        let _ = self.heavy.try_update(|f| *f += 1);
        let Some(canvas) = self.canvas.get_untracked() else {
            let _ = self.frame.try_update(|f| *f += 1);
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
            self.flush();
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
            self.flush();
            self.error.set(Some(e));
        } else if !r.running {
            self.apply_pending();
            self.in_worker.set(false);
            self.flush();
        }
    }

    /// Once per animation frame while the worker trains: draw its newest state.
    fn remote_tick(self) {
        if !self.running.try_get_untracked().unwrap_or(false) || !self.in_worker.get_untracked() {
            return;
        }
        self.apply_pending();
        // A state skipped by the throttle is drawn once its turn comes, even if no newer
        // report arrives.
        if self
            .heavy_at
            .try_get_value()
            .is_some_and(|(last, stale)| stale && now_ms() - last >= HEAVY_EVERY_MS)
        {
            self.redraw();
        }
        request_animation_frame(move || self.remote_tick());
    }

    /// Draws a state the throttle skipped (the run stopped in the worker: nothing newer comes).
    fn flush(self) {
        if self
            .heavy_at
            .try_get_value()
            .is_some_and(|(_, stale)| stale)
        {
            self.redraw();
        }
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

/// While the worker trains, the canvases redraw at most this often (ms): a few times a second
/// shows the learning, and the frames in between stay cheap (read-outs only).
pub const HEAVY_EVERY_MS: f64 = 200.0;

/// Milliseconds on the page's monotonic clock.
fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or_else(js_sys::Date::now, |p| p.now())
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
