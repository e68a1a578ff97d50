//! The demos' controls in headless Chromium (wasm-bindgen-test): settings that keep the run,
//! what screen readers hear, and the flow's drawing pad (issue 18).
#![cfg(target_arch = "wasm32")]

use gentutor_demos::flow2d::Flow2dDemo;
use gentutor_demos::gan1d::Gan1dDemo;
use leptos::mount::mount_to;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod common;
use common::{container, el, text, tick};

/// Sets a range input's value and fires `change`, as a drag ending on it would.
fn set_range(root: &web_sys::HtmlElement, css: &str, value: &str) {
    let input: web_sys::HtmlInputElement = el(root, css).unchecked_into();
    input.set_value(value);
    let ev = web_sys::Event::new("change").expect("event");
    input.dispatch_event(&ev).expect("dispatch");
}

fn gan(root: &web_sys::HtmlElement, preset: &str, id: &str) {
    let mut options = std::collections::BTreeMap::new();
    options.insert("preset".to_string(), preset.to_string());
    let id = id.to_string();
    mount_to(
        root.clone(),
        move || view! { <Gan1dDemo options=options id=id /> },
    )
    .forget();
}

/// Log-scale sliders announce the learning rate, not its logarithm; the training read-out is
/// not a live region (it changes many times a second).
#[wasm_bindgen_test]
async fn log_sliders_announce_values_and_the_readout_is_not_live() {
    let root = container();
    gan(&root, "default", "gan1d-a11y");
    tick().await;
    let lr = el(&root, "[data-testid=gan-lr-g]");
    assert_eq!(lr.get_attribute("aria-valuetext").as_deref(), Some("1e-3"));
    set_range(&root, "[data-testid=gan-lr-g]", "-2.3");
    tick().await;
    assert_eq!(
        el(&root, "[data-testid=gan-lr-g]")
            .get_attribute("aria-valuetext")
            .as_deref(),
        Some("5e-3")
    );
    let live = root.query_selector_all("[aria-live]").expect("selector");
    assert_eq!(live.length(), 0, "a training read-out is a live region");
}

/// A learning-rate change keeps the run (same step count) and the preset label no longer
/// claims a preset; a data change starts a new run.
#[wasm_bindgen_test]
async fn learning_rate_changes_keep_the_run() {
    let root = container();
    gan(&root, "mode-collapse", "gan1d-keep");
    tick().await;
    for _ in 0..5 {
        el(&root, "[data-testid=gan-step-button]").click();
        tick().await;
    }
    assert_eq!(text(&root, "[data-testid=gan-step]"), "step 5");
    set_range(&root, "[data-testid=gan-lr-d]", "-2");
    tick().await;
    assert_eq!(
        text(&root, "[data-testid=gan-step]"),
        "step 5",
        "changing the learning rate restarted training"
    );
    let preset: web_sys::HtmlSelectElement = el(&root, "[data-testid=gan-preset]").unchecked_into();
    assert_eq!(preset.value(), "custom");
    assert!(text(&root, ".demo-help").contains("Your own settings"));
    // Training goes on from there.
    el(&root, "[data-testid=gan-step-button]").click();
    tick().await;
    assert_eq!(text(&root, "[data-testid=gan-step]"), "step 6");
    // The number of modes changes the data: a new run.
    set_range(&root, "[data-testid=gan-modes]", "3");
    tick().await;
    assert_eq!(text(&root, "[data-testid=gan-step]"), "step 0");
}

fn flow(root: &web_sys::HtmlElement, id: &str) {
    let id = id.to_string();
    mount_to(root.clone(), move || {
        view! { <Flow2dDemo options=Default::default() id=id /> }
    })
    .forget();
}

/// Runs `js` with `el` bound to the first match of `css` under `root`.
fn js_on(root: &web_sys::HtmlElement, css: &str, js: &str) {
    let f = js_sys::Function::new_with_args("el", js);
    f.call1(&wasm_bindgen::JsValue::NULL, &el(root, css))
        .expect("script runs");
}

/// The count in the pad's "Train on my N points" button.
fn pad_count(root: &web_sys::HtmlElement) -> usize {
    text(root, "[data-testid=flow-train-drawing]")
        .split_whitespace()
        .find_map(|w| w.parse().ok())
        .unwrap_or(usize::MAX)
}

/// A drag adds points along its path (it added one), and the keyboard adds points too.
#[wasm_bindgen_test]
async fn the_pad_draws_along_a_drag_and_from_the_keyboard() {
    let root = container();
    flow(&root, "flow2d-pad");
    tick().await;
    js_on(&root, "details.draw-data", "el.open = true;");
    tick().await;
    assert_eq!(pad_count(&root), 0);
    js_on(
        &root,
        "[data-testid=flow-pad]",
        "const r = el.getBoundingClientRect();
         const at = (type, fx, fy) => el.dispatchEvent(new PointerEvent(type, {
             bubbles: true, pointerId: 1, isPrimary: true,
             clientX: r.left + fx * r.width, clientY: r.top + fy * r.height }));
         at('pointerdown', 0.1, 0.5);
         at('pointermove', 0.5, 0.5);
         at('pointermove', 0.9, 0.5);
         at('pointerup', 0.9, 0.5);",
    );
    tick().await;
    // 0.8 of a 6-unit pad is 4.8 units: one point per 0.12 units plus the first.
    let dragged = pad_count(&root);
    assert!(
        (30..=45).contains(&dragged),
        "{dragged} points after a drag"
    );
    js_on(
        &root,
        "[data-testid=flow-pad]",
        "el.focus();
         for (const key of ['ArrowLeft', 'ArrowUp', 'Enter', 'ArrowDown', ' ']) {
             el.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
         }",
    );
    tick().await;
    assert_eq!(pad_count(&root), dragged + 2, "Enter and Space add points");
}

/// A drawing in the link is on the pad (and counted) after a reload; it showed 0 points.
#[wasm_bindgen_test]
async fn a_drawing_from_the_link_is_shown_on_the_pad() {
    use gentutor_models::datasets2d::Dataset2d;
    use gentutor_models::flow2d::Config;
    use gentutor_models::link::Settings as _;
    let points: Vec<[f32; 2]> = (0..7).map(|i| [i as f32 * 0.3 - 1.0, 0.5]).collect();
    let config = Config {
        dataset: Dataset2d::custom(points).expect("a drawing"),
        ..Config::default()
    };
    let window = web_sys::window().expect("window");
    let path = window.location().pathname().unwrap_or_default();
    window
        .history()
        .expect("history")
        .replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&format!("{path}#flow2d-link:{}", config.to_hash())),
        )
        .expect("set the hash");
    let root = container();
    flow(&root, "flow2d-link");
    tick().await;
    assert_eq!(pad_count(&root), 7);
}
