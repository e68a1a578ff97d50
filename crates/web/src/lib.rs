//! Browser plumbing shared by the app's module and the lazily loaded modules (demos, pages): the
//! panic screen, the lazily loaded modules' URLs, timers and tasks that end with the component
//! that started them, `fetch` for the class API and the keyboard-shortcut filter. No models, no plots: the
//! first load depends on this crate.
#![cfg(target_arch = "wasm32")]

pub mod keys;
pub mod net;
pub mod panic;
pub mod scoped;
pub mod service_worker;

/// The demos module's URL, from the `<meta name="gentutor-demos">` that `crates/xtask` writes.
pub fn demos_module_url() -> Result<String, String> {
    module_url("gentutor-demos")
}

/// A lazily loaded module's URL, from the `<meta name="{meta}">` that `crates/xtask` writes
/// (`gentutor-demos`: the demos; `gentutor-pages`: the class, Call and study-mode pages).
pub fn module_url(meta: &str) -> Result<String, String> {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| {
            d.query_selector(&format!("meta[name={meta}]"))
                .ok()
                .flatten()
        })
        .and_then(|m| m.get_attribute("content"))
        .filter(|u| !u.is_empty())
        .ok_or_else(|| {
            let what = meta.strip_prefix("gentutor-").unwrap_or(meta);
            format!(
                "this build has no {what} module (build the app with `make serve` or `make dist`)"
            )
        })
}

/// Sets the tab title as "`title` · gentutor".
pub fn set_title(title: &str) {
    if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
        doc.set_title(&format!("{title} · gentutor"));
    }
}
