//! A panic in WASM stops the app. Instead of leaving a silently blank page, show what happened
//! and how to recover (reload; progress in localStorage is untouched).

use wasm_bindgen::JsCast;

/// Installs a panic hook that logs to the console and shows a message on the page.
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_crash(&info.to_string());
    }));
}

/// Shows the crash banner. Uses only the DOM API: the Leptos runtime may be unusable now.
pub fn show_crash(detail: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(body) = doc.body() else {
        return;
    };
    let Ok(el) = doc.create_element("div") else {
        return;
    };
    el.set_id("crash");
    let _ = el.set_attribute("role", "alert");
    let _ = el.set_attribute("data-testid", "crash");
    let escaped = detail
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    el.set_inner_html(&format!(
        "<h2>Something went wrong</h2><p>gentutor hit an internal error and stopped. \
         Your saved progress is safe. <a href=\"/\">Reload the app</a> to continue.</p>\
         <details><summary>Technical details</summary><pre>{escaped}</pre></details>"
    ));
    if let Some(el) = el.dyn_ref::<web_sys::HtmlElement>() {
        let _ = body.prepend_with_node_1(el);
    }
}
