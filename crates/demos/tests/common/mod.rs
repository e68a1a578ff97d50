//! What the demos' browser tests share: a fresh container, a tick that lets Leptos' effects and
//! a few animation frames run, waiting for a condition, DOM shortcuts and canvas pixels.
#![allow(dead_code)] // each test file uses its own part

use wasm_bindgen::JsCast;

/// A fresh element to mount into.
pub fn container() -> web_sys::HtmlElement {
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .expect("document");
    let el = doc.create_element("div").expect("div");
    doc.body().expect("body").append_child(&el).expect("append");
    el.unchecked_into()
}

/// Lets Leptos' scheduled effects and a few animation frames run (20 ms).
pub async fn tick() {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .expect("window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 20)
            .expect("timeout");
    });
    wasm_bindgen_futures::JsFuture::from(p).await.expect("tick");
}

/// Ticks until `done()` holds, at most `max_ticks` times (20 ms each, more on a busy machine);
/// returns whether it held. Tests wait for what they need (a worker's first report, a redraw)
/// rather than for a fixed number of frames.
pub async fn tick_until(max_ticks: u32, mut done: impl FnMut() -> bool) -> bool {
    for _ in 0..max_ticks {
        if done() {
            return true;
        }
        tick().await;
    }
    done()
}

/// The element matching `css` under `root`; panics naming it if there is none.
pub fn el(root: &web_sys::HtmlElement, css: &str) -> web_sys::HtmlElement {
    root.query_selector(css)
        .expect("selector")
        .unwrap_or_else(|| panic!("no {css}"))
        .unchecked_into()
}

pub fn click(root: &web_sys::HtmlElement, css: &str) {
    el(root, css).click();
}

/// The text of `css` under `root` ("" when absent).
pub fn text(root: &web_sys::HtmlElement, css: &str) -> String {
    root.query_selector(css)
        .expect("selector")
        .and_then(|e| e.text_content())
        .unwrap_or_default()
}

/// Whether `css` matches anything under `root`.
pub fn has(root: &web_sys::HtmlElement, css: &str) -> bool {
    root.query_selector(css).expect("selector").is_some()
}

/// The location's hash (a demo's settings link).
pub fn hash() -> String {
    web_sys::window()
        .expect("window")
        .location()
        .hash()
        .expect("hash")
}

/// Sets an input's (or a select's) value and fires `event` (`input` or `change`).
pub fn set_value(root: &web_sys::HtmlElement, css: &str, value: &str, event: &str) {
    let e = el(root, css);
    if let Some(i) = e.dyn_ref::<web_sys::HtmlInputElement>() {
        i.set_value(value);
    } else if let Some(s) = e.dyn_ref::<web_sys::HtmlSelectElement>() {
        s.set_value(value);
    }
    e.dispatch_event(&web_sys::Event::new(event).expect("event"))
        .expect("dispatch");
}

pub fn canvases(root: &web_sys::HtmlElement) -> Vec<web_sys::HtmlCanvasElement> {
    let list = root.query_selector_all("canvas").expect("selector");
    (0..list.length())
        .filter_map(|i| list.item(i))
        .map(|n| n.unchecked_into())
        .collect()
}

fn rgba(canvas: &web_sys::HtmlCanvasElement) -> Vec<u8> {
    let ctx: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")
        .expect("context")
        .expect("a 2d context")
        .unchecked_into();
    ctx.get_image_data(
        0.0,
        0.0,
        f64::from(canvas.width()),
        f64::from(canvas.height()),
    )
    .expect("image data")
    .data()
    .to_vec()
}

/// The pixels of every canvas under `root`, to see whether something changed the picture.
pub fn pixels(root: &web_sys::HtmlElement) -> Vec<Vec<u8>> {
    canvases(root).iter().map(rgba).collect()
}

/// Pixels of `canvas` that are drawn on: neither transparent nor (near) white, the blank
/// canvas and the plots' background.
pub fn drawn_pixels(canvas: &web_sys::HtmlCanvasElement) -> usize {
    rgba(canvas)
        .chunks_exact(4)
        .filter(|p| p[3] > 0 && !(p[0] > 245 && p[1] > 245 && p[2] > 245))
        .count()
}
