//! Browser plumbing shared by the app's module and the lazily loaded demos module: the panic
//! screen, the demos module's URL, timers and tasks that end with the component that started
//! them, `fetch` for the class API and the keyboard-shortcut filter. No models, no plots: the
//! first load depends on this crate.
#![cfg(target_arch = "wasm32")]

pub mod keys;
pub mod net;
pub mod panic;
pub mod scoped;

/// The demos module's URL, from the `<meta name="gentutor-demos">` that `crates/xtask` writes.
pub fn demos_module_url() -> Result<String, String> {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("meta[name=gentutor-demos]").ok().flatten())
        .and_then(|m| m.get_attribute("content"))
        .filter(|u| !u.is_empty())
        .ok_or_else(|| {
            "this build has no demos module (build the app with `make serve` or `make dist`)"
                .to_string()
        })
}

/// Sets the tab title as "`title` · gentutor".
pub fn set_title(title: &str) {
    if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
        doc.set_title(&format!("{title} · gentutor"));
    }
}
