//! Small pieces every demo uses: the URL-hash state, canvas drawing and log-scale sliders.

use crate::core::plot::PlotError;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;

/// The demo state in the URL hash, `#<demo-id>:<config>&seed=<n>`, if the hash is for `id`.
pub fn hash_state(id: &str) -> Option<String> {
    let hash = web_sys::window()?.location().hash().ok()?;
    let raw = hash.strip_prefix('#')?;
    let decoded = js_sys::decode_uri_component(raw).ok().and_then(|s| s.as_string()).unwrap_or_else(|| raw.to_string());
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
    let backend = CanvasBackend::with_canvas_object(canvas.clone()).ok_or("this browser has no 2D canvas")?;
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
