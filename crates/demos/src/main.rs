//! The demos' WASM module: the live models, plots and the benchmark page, loaded by the app only
//! when a page shows one (see `ui::widgets::lazy_demo`; the lighter pages have their own module,
//! `crates/pages`). It exports the mount/unmount and worker functions to the app's module;
//! nothing else lives here.

#[cfg(target_arch = "wasm32")]
mod exports {
    use gentutor_content::decode_options;
    use gentutor_demos::worker::{load_remote, WorkerModel};
    use gentutor_demos::{view_for, Mountable};
    use std::any::Any;
    use std::cell::RefCell;
    use std::collections::HashMap;
    use wasm_bindgen::prelude::*;

    /// The next handle, and the mounted demos by handle (`UnmountHandle`s of different types).
    type Mounted = (u32, HashMap<u32, Box<dyn Any>>);

    thread_local! {
        /// Mounted demos by handle; dropping an entry unmounts it and runs its cleanups
        /// (animation loops stop).
        static MOUNTED: RefCell<Mounted> = RefCell::new((0, HashMap::new()));
    }

    /// Mounts `what` (a demo name, or `bench`) into `host` and returns a handle for
    /// [`unmount_demo`]. `options` is `encode_options` of the lesson's block options.
    #[wasm_bindgen]
    pub fn mount_demo(
        host: web_sys::HtmlElement,
        what: &str,
        options: &str,
        id: &str,
    ) -> Result<u32, JsValue> {
        let what = Mountable::from_name(what)
            .ok_or_else(|| JsValue::from_str(&format!("unknown demo \"{what}\"")))?;
        let options = decode_options(options);
        let id = id.to_string();
        let handle = leptos::mount::mount_to(host, move || view_for(what, options, id));
        Ok(MOUNTED.with_borrow_mut(|(next, map)| {
            *next += 1;
            map.insert(*next, Box::new(handle));
            *next
        }))
    }

    /// Runs in a Web Worker started by `/bench`: trains the default denoiser for `ms`
    /// milliseconds and returns its steps per second (NaN if it could not train).
    #[wasm_bindgen]
    pub fn worker_train_denoiser(ms: f64) -> f64 {
        use gentutor_models::diffusion::{Denoiser, DiffusionConfig};
        let Ok(mut d) = Denoiser::new(&DiffusionConfig::default(), 1) else {
            return f64::NAN;
        };
        let ms = ms.clamp(1.0, 60_000.0);
        let t0 = js_sys::Date::now();
        let mut steps = 0u32;
        while js_sys::Date::now() - t0 < ms {
            if d.step(1).is_err() {
                return f64::NAN;
            }
            steps += 1;
        }
        f64::from(steps) * 1000.0 / (js_sys::Date::now() - t0)
    }

    thread_local! {
        /// The run this worker trains (see `ui::demos::worker`).
        static TRAINING: RefCell<Option<Box<dyn WorkerModel>>> = const { RefCell::new(None) };
    }

    /// Worker: takes over the run `state` of model `kind`. Returns an error message, if any.
    #[wasm_bindgen]
    pub fn worker_load(kind: &str, state: &[u8]) -> Option<String> {
        match load_remote(kind, state) {
            Ok(m) => {
                TRAINING.with_borrow_mut(|t| *t = Some(m));
                None
            }
            Err(e) => Some(e),
        }
    }

    /// Worker: trains `steps` steps. Returns the divergence message, if training stopped.
    #[wasm_bindgen]
    pub fn worker_train(steps: usize) -> Option<String> {
        TRAINING.with_borrow_mut(|t| match t.as_mut() {
            Some(m) => m.train(steps.clamp(1, 10_000)).err(),
            None => Some("the worker has no model to train".into()),
        })
    }

    /// Worker: the current run, as bytes for the page.
    #[wasm_bindgen]
    pub fn worker_state() -> Vec<u8> {
        TRAINING.with_borrow(|t| t.as_ref().map(|m| m.state()).unwrap_or_default())
    }

    /// Unmounts a demo mounted by [`mount_demo`]; unknown handles are ignored.
    #[wasm_bindgen]
    pub fn unmount_demo(handle: u32) {
        let removed = MOUNTED.with_borrow_mut(|(_, map)| map.remove(&handle));
        drop(removed);
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {
    gentutor_web::panic::install();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("gentutor-demos is a WASM module the app loads in the browser: see README.md.");
}
