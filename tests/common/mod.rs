//! Helpers shared by the wasm-bindgen component tests: a fresh container, a tick that lets
//! Leptos' scheduled effects run, and DOM shortcuts.

use wasm_bindgen::JsCast;

/// The app fetches the compiled lessons at run time; tests install this build's copy directly.
pub fn install_content() {
    gentutor::content::install(include_bytes!(concat!(env!("OUT_DIR"), "/content.bin")))
        .expect("this build's content decodes");
}

/// A fresh element to mount into, with the content installed.
pub fn container() -> web_sys::HtmlElement {
    install_content();
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .expect("document");
    let el = doc.create_element("div").expect("div");
    doc.body().expect("body").append_child(&el).expect("append");
    el.unchecked_into()
}

/// Lets Leptos' scheduled effects run.
pub async fn tick() {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .expect("window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 20)
            .expect("timeout");
    });
    wasm_bindgen_futures::JsFuture::from(p).await.expect("tick");
}

pub fn click(root: &web_sys::HtmlElement, css: &str) {
    root.query_selector(css)
        .expect("selector")
        .unwrap_or_else(|| panic!("no {css}"))
        .unchecked_into::<web_sys::HtmlElement>()
        .click();
}

pub fn text(root: &web_sys::HtmlElement, css: &str) -> String {
    root.query_selector(css)
        .expect("selector")
        .and_then(|e| e.text_content())
        .unwrap_or_default()
}
