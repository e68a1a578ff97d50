//! A placeholder that loads the demos' WASM module (once per page load) and mounts a demo into
//! itself. The module's URL is in `<meta name="gentutor-demos">`, written into `index.html` by
//! `gentutor-xtask post-build` with the file's content hash. The loader here also serves the
//! pages module ([`Module::Pages`], `<meta name="gentutor-pages">`, see [`super::lazy_page`]).
//!
//! The two modules share no memory: the demo's options cross as a string
//! (`content::encode_options`), the handle comes back as a number, and unmounting this
//! placeholder unmounts the demo (its animation loop stops).

use crate::content::encode_options;
use leptos::html::Div;
use leptos::prelude::*;
use std::cell::RefCell;
use std::collections::BTreeMap;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(inline_js = "export function import_module(url) {
    return import(url).then(async (m) => { await m.default(); return m; });
}")]
extern "C" {
    /// Imports the ES module at `url` and runs its wasm-bindgen initialiser.
    fn import_module(url: &str) -> js_sys::Promise;
}

/// The lazily loaded modules: the demos (models, plots, `/bench`) and the pages (class, Call,
/// study modes), separate so that a study page does not download the models and plots.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Module {
    Demos,
    Pages,
}

impl Module {
    fn index(self) -> usize {
        self as usize
    }

    /// The `<meta>` holding its URL (written by `gentutor-xtask post-build`).
    fn meta(self) -> &'static str {
        match self {
            Module::Demos => "gentutor-demos",
            Module::Pages => "gentutor-pages",
        }
    }

    /// Its export that undoes a mount.
    fn unmount_fn(self) -> &'static str {
        match self {
            Module::Demos => "unmount_demo",
            Module::Pages => "unmount_page",
        }
    }
}

thread_local! {
    /// Per module, the import under way or done; a failed import is forgotten so a retry
    /// fetches again.
    static MODULE: RefCell<[Option<js_sys::Promise>; 2]> = const { RefCell::new([None, None]) };
    /// The loaded modules, for unmounting from a cleanup (which cannot hold a `JsValue`).
    static LOADED: RefCell<[Option<JsValue>; 2]> = const { RefCell::new([None, None]) };
}

/// Imports a lazily loaded module (once per page load; shared with [`super::lazy_page`]).
pub(crate) async fn load(which: Module) -> Result<JsValue, String> {
    let url = gentutor_web::module_url(which.meta())?;
    let i = which.index();
    let promise =
        MODULE.with_borrow_mut(|m| m[i].get_or_insert_with(|| import_module(&url)).clone());
    match JsFuture::from(promise).await {
        Ok(module) => {
            LOADED.with_borrow_mut(|l| l[i] = Some(module.clone()));
            Ok(module)
        }
        Err(e) => {
            MODULE.with_borrow_mut(|m| m[i] = None);
            Err(format!(
                "it could not be downloaded ({}); check your connection and try again",
                e.as_string()
                    .or_else(|| js_sys::Reflect::get(&e, &"message".into())
                        .ok()
                        .and_then(|m| m.as_string()))
                    .unwrap_or_else(|| "unknown error".into())
            ))
        }
    }
}

/// Calls the module's exported function `name`.
pub(crate) fn call(module: &JsValue, name: &str, args: &[JsValue]) -> Result<JsValue, String> {
    let f: js_sys::Function = js_sys::Reflect::get(module, &name.into())
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or_else(|| format!("the module has no function {name}"))?;
    let args: js_sys::Array = args.iter().collect();
    f.apply(&JsValue::NULL, &args).map_err(|e| {
        e.as_string()
            .unwrap_or_else(|| format!("it could not start ({e:?})"))
    })
}

/// Unmounts what `which`'s `mount_demo` or `mount_page` mounted.
pub(crate) fn unmount(which: Module, handle: u32) {
    LOADED.with_borrow(|m| {
        if let Some(m) = &m[which.index()] {
            let _ = call(m, which.unmount_fn(), &[JsValue::from(handle)]);
        }
    });
}

#[derive(Clone, PartialEq)]
enum State {
    Loading,
    Mounted(u32),
    Failed(String),
}

/// A demo from the demos module, mounted here once the module is loaded.
#[component]
pub fn LazyDemo(
    /// What to mount: a demo's block name (`gan1d`, …) or `bench`.
    what: &'static str,
    /// The lesson block's options.
    #[prop(optional)]
    options: BTreeMap<String, String>,
    /// An id unique on the page (demos use it for their URL-hash state).
    #[prop(optional, into)]
    id: String,
) -> impl IntoView {
    let host = NodeRef::<Div>::new();
    let state = RwSignal::new(State::Loading);
    let wire = encode_options(&options);
    // The load is a task of this component (Retry runs from a click handler, where no owner is
    // current, hence the captured one). Leaving the page while the module is still loading: the
    // pending task holds the page's owner, so the page is cleaned up (and the demo, mounted into
    // the detached host meanwhile, unmounted) when the load ends; once cleaned up, nothing after
    // the `await` runs, and what runs reads through `try_*` accessors.
    let owner = gentutor_web::scoped::OwnerRef::current();

    let start = move || {
        state.set(State::Loading);
        let (wire, id) = (wire.clone(), id.clone());
        let owner = owner.get();
        gentutor_web::scoped::spawn_in(owner.as_ref(), async move {
            let result = match load(Module::Demos).await {
                Ok(module) => match host.try_get_untracked().flatten() {
                    Some(el) => call(
                        &module,
                        "mount_demo",
                        &[el.into(), what.into(), wire.into(), id.into()],
                    )
                    .and_then(|h| {
                        h.as_f64()
                            .map(|h| h as u32)
                            .ok_or_else(|| "the demo did not start".to_string())
                    }),
                    None => Err("the page changed before the demo could start".to_string()),
                },
                Err(e) => Err(e),
            };
            let next = match result {
                Ok(h) => State::Mounted(h),
                Err(e) => State::Failed(e),
            };
            // Belt and braces: if the component is gone after all, undo the mount.
            if let Some(State::Mounted(h)) = state.try_set(next) {
                unmount(Module::Demos, h);
            }
        });
    };
    let retry = start.clone();
    Effect::new(move |prev: Option<()>| {
        // Once, after the host element exists.
        if prev.is_none() {
            start();
        }
    });
    on_cleanup(move || {
        if let Some(State::Mounted(h)) = state.try_get_untracked() {
            unmount(Module::Demos, h);
        }
    });

    view! {
        <div class="lazy-demo" data-testid="lazy-demo" data-demo=what>
            {move || match state.get() {
                State::Loading => view! {
                    <p class="loading" data-testid="demo-loading">"Loading the live demo…"</p>
                }
                .into_any(),
                State::Mounted(_) => ().into_any(),
                State::Failed(msg) => {
                    let retry = retry.clone();
                    view! {
                        <div class="notice error" role="alert" data-testid="demo-load-error">
                            <p>{format!("The live demo is unavailable: {msg}.")}</p>
                            <button on:click=move |_| retry()>"Try again"</button>
                        </div>
                    }
                    .into_any()
                }
            }}
            <div class="demo-host" node_ref=host></div>
        </div>
    }
}
