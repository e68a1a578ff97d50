//! A placeholder that mounts a page from the lazily loaded pages module (`crates/pages`: the
//! teacher's class pages, Call, Flashcards, Learn, Test, Matching; no models or plots), as
//! [`super::lazy_demo::LazyDemo`] does for demos from the demos module: the module is imported on
//! first use, a clear loading state shows meanwhile, a failed load says so and offers a retry,
//! and leaving the page during the load (or after) unmounts what was mounted.
//!
//! What crosses the boundary (the modules share no memory): the page's name and one string,
//! the compiled content's bytes (the module decodes its own copy), and an app bridge: a JS
//! object whose `progress()` returns the progress document as JSON, whose
//! `replace_progress(json)` saves a changed document (the study modes) and whose
//! `record_call(json)` saves a Call outcome in this app's progress store.

use super::lazy_demo::{call, load, unmount, Module};
use crate::ui::study::{use_progress, ProgressStore};
use leptos::html::Div;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;

/// Saves a progress document changed by a page of the module: read strictly (a document that
/// would need quarantining is refused, never half-applied), then set through
/// `ProgressStore::update`, which saves it and, in a class, sends the difference as events.
fn replace_progress(store: ProgressStore, json: &str) -> Result<(), String> {
    let outcome =
        gentutor_study::progress::Progress::load(Some(json), crate::ui::study::store::now_ms());
    if outcome.quarantine.is_some() {
        return Err("the page sent progress this app cannot read".into());
    }
    store.update(move |p| *p = outcome.progress);
    Ok(())
}

/// The JS object the module's pages use to reach the progress store (public for the component
/// tests, which wire the module's pages to the app's store with it).
pub fn app_bridge(store: ProgressStore) -> JsValue {
    let progress = Closure::<dyn Fn() -> JsValue>::new(move || {
        store
            .with_untracked(|p| p.to_json().ok())
            .map_or(JsValue::NULL, |j| JsValue::from_str(&j))
    })
    .into_js_value();
    let record = Closure::<dyn Fn(String) -> Result<(), JsValue>>::new(move |json: String| {
        crate::ui::study::call::record_call(store, &json).map_err(|e| JsValue::from_str(&e))
    })
    .into_js_value();
    let replace = Closure::<dyn Fn(String) -> Result<(), JsValue>>::new(move |json: String| {
        replace_progress(store, &json).map_err(|e| JsValue::from_str(&e))
    })
    .into_js_value();
    let o = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&o, &"replace_progress".into(), &replace);
    let _ = js_sys::Reflect::set(&o, &"progress".into(), &progress);
    let _ = js_sys::Reflect::set(&o, &"record_call".into(), &record);
    o.into()
}

#[derive(Clone, PartialEq)]
enum State {
    Loading,
    Mounted(u32),
    Failed(String),
}

/// A page from the lazily loaded module, mounted here once the module is loaded.
#[component]
pub fn LazyPage(
    /// The page: `class-new`, `class-teacher`, `call`, `flashcards`, `learn`, `test`, `matching`.
    what: &'static str,
    /// Its argument (the teacher token, a lesson slug), or empty.
    #[prop(optional, into)]
    arg: String,
) -> impl IntoView {
    let host = NodeRef::<Div>::new();
    let state = RwSignal::new(State::Loading);
    let store = use_progress();
    // As in LazyDemo: the load is a task of this component, so leaving the page while the module
    // loads drops it; what runs after the `await` reads through `try_*` accessors.
    let owner = gentutor_web::scoped::OwnerRef::current();

    let start = move || {
        state.set(State::Loading);
        let arg = arg.clone();
        let owner = owner.get();
        gentutor_web::scoped::spawn_in(owner.as_ref(), async move {
            let result = match load(Module::Pages).await {
                Ok(module) => match host.try_get_untracked().flatten() {
                    Some(el) => {
                        let bytes = crate::ui::content_gate::content_bytes()
                            .map_or(JsValue::NULL, JsValue::from);
                        call(
                            &module,
                            "mount_page",
                            &[el.into(), what.into(), arg.into(), bytes, app_bridge(store)],
                        )
                        .and_then(|h| {
                            h.as_f64()
                                .map(|h| h as u32)
                                .ok_or_else(|| "the page did not start".to_string())
                        })
                    }
                    None => Err("the page changed before it could start".to_string()),
                },
                Err(e) => Err(e),
            };
            let next = match result {
                Ok(h) => State::Mounted(h),
                Err(e) => State::Failed(e),
            };
            if let Some(State::Mounted(h)) = state.try_set(next) {
                unmount(Module::Pages, h);
            }
        });
    };
    let retry = start.clone();
    Effect::new(move |prev: Option<()>| {
        if prev.is_none() {
            start();
        }
    });
    on_cleanup(move || {
        if let Some(State::Mounted(h)) = state.try_get_untracked() {
            unmount(Module::Pages, h);
        }
    });

    view! {
        <div class="lazy-page" data-testid="lazy-page" data-page=what>
            {move || match state.get() {
                State::Loading => view! {
                    <p class="loading" data-testid="page-loading" role="status">"Loading this page…"</p>
                }
                .into_any(),
                State::Mounted(_) => ().into_any(),
                State::Failed(msg) => {
                    let retry = retry.clone();
                    view! {
                        <div class="notice error" role="alert" data-testid="page-load-error">
                            <p>{format!("This page is unavailable: {msg}.")}</p>
                            <button data-testid="page-retry" on:click=move |_| retry()>"Try again"</button>
                        </div>
                    }
                    .into_any()
                }
            }}
            <div class="page-host" node_ref=host></div>
        </div>
    }
}
