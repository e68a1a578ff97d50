//! Fetches the compiled lessons (`/content-<hash>.bin`, preloaded by `index.html`) once, installs
//! them into `core::content`, and only then renders its children. A failed fetch explains itself
//! and offers a retry instead of leaving the page empty.

use crate::content;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

#[derive(Clone, PartialEq)]
enum Load {
    Loading,
    Ready,
    Failed(String),
}

thread_local! {
    /// The fetched bytes, kept (in the JS heap) for the lazily loaded pages, which decode their
    /// own copy of the lessons: the two WASM modules share no memory.
    static BYTES: std::cell::RefCell<Option<js_sys::Uint8Array>> = const { std::cell::RefCell::new(None) };
}

/// The compiled content's bytes as fetched, once the gate has loaded them.
pub fn content_bytes() -> Option<js_sys::Uint8Array> {
    BYTES.with_borrow(Clone::clone)
}

async fn fetch_bytes(url: &str) -> Result<Vec<u8>, String> {
    let window = web_sys::window().ok_or("no window")?;
    let resp = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(|_| "the network request failed".to_string())?;
    let resp: web_sys::Response = resp
        .dyn_into()
        .map_err(|_| "the server sent no response".to_string())?;
    if !resp.ok() {
        return Err(format!("the server answered {} for {url}", resp.status()));
    }
    let buf = resp
        .array_buffer()
        .map_err(|_| "the response could not be read".to_string())?;
    let buf = JsFuture::from(buf)
        .await
        .map_err(|_| "the response could not be read".to_string())?;
    let bytes = js_sys::Uint8Array::new(&buf);
    BYTES.with_borrow_mut(|b| *b = Some(bytes.clone()));
    Ok(bytes.to_vec())
}

async fn load() -> Load {
    let url = content::asset_path();
    match fetch_bytes(&url).await.and_then(|b| content::install(&b)) {
        Ok(()) => Load::Ready,
        Err(e) => Load::Failed(e),
    }
}

/// Renders `children` once the lesson data is installed.
#[component]
pub fn ContentGate(
    /// What needs the lessons: the routes.
    children: ChildrenFn,
) -> impl IntoView {
    let state = RwSignal::new(if content::is_installed() {
        Load::Ready
    } else {
        Load::Loading
    });
    let owner = gentutor_web::scoped::OwnerRef::current();
    let start = move || {
        state.set(Load::Loading);
        let owner = owner.get();
        gentutor_web::scoped::spawn_in(owner.as_ref(), async move {
            state.try_set(load().await);
        });
    };
    if !content::is_installed() {
        start();
    }
    move || {
        match state.get() {
        Load::Ready => children().into_any(),
        Load::Loading => view! {
            <p class="loading" data-testid="content-loading">"Loading the lessons…"</p>
        }
        .into_any(),
        Load::Failed(msg) => view! {
            <section class="notice error" role="alert" data-testid="content-error">
                <h1>"The lessons could not be loaded"</h1>
                <p>{format!("{msg}. Your study progress is stored in this browser and is not affected.")}</p>
                <button on:click=move |_| start()>"Try again"</button>
            </section>
        }
        .into_any(),
    }
    }
}
