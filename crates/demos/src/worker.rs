//! Training in a Web Worker, so the page draws at the display's rate while the model trains on
//! another core (measured on `/bench`: see BENCHMARKS.md, "Training off the main thread").
//!
//! The worker runs this same demos module: a small ES-module script (from a Blob URL) imports
//! it, then hands each message to the exports in `src/demos_main.rs` (`worker_load`,
//! `worker_train`, `worker_state`). The whole training state crosses as bytes ([`Remote`]), so
//! pausing hands the exact run back to the page: single steps, resets and setting changes
//! happen on the page while paused, and nothing is lost either way.
//!
//! The worker trains `steps` steps per 1/60 s on average (catching up when a tick is late), so
//! "steps per frame" keeps its meaning; after each tick it posts `{epoch, running, state, error}`. The page
//! applies a state only if its `epoch` matches the current run (a local step, reset or new run
//! bumps the epoch, so a late message cannot overwrite newer state).

use super::shared::Live;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// A model whose whole training state can cross to a worker and back as bytes.
pub trait Remote: Live + Sized {
    /// Picks the model type on the worker side: the demo's registry name
    /// (`crate::registry::ENTRIES` lists the model under it).
    const KIND: &'static str;
    fn to_bytes(&self) -> Vec<u8>;
    fn from_bytes(bytes: &[u8]) -> Result<Self, String>;
}

/// The worker's script. Messages that arrive while the module loads are queued.
const WORKER_JS: &str = r#"
const queue = []; let handle = null;
self.onmessage = (e) => handle ? handle(e.data) : queue.push(e.data);
const url = new URL(location.hash.slice(1));
let running = false, epoch = 0, steps = 1, start = 0, done = 0;
const m = await import(url.href);
await m.default();
const FRAME = 1000 / 60;
function post(run, error) {
  self.postMessage({ epoch, running: run, state: m.worker_state(), error: error ?? null });
}
// Keeps to `steps` per 1/60 s on average: a late tick trains what is due (at most 4 frames'
// worth, then the schedule slips rather than bursting).
function tick() {
  if (!running) return;
  let due = Math.floor((performance.now() - start) / FRAME * steps) + steps - done;
  if (due > 4 * steps) { start += (due - 4 * steps) / steps * FRAME; due = 4 * steps; }
  if (due > 0) {
    const error = m.worker_train(due);
    done += due;
    if (error) { running = false; post(false, error); return; }
    post(true);
  }
  setTimeout(tick, Math.max(0, start + done / steps * FRAME - performance.now()));
}
handle = (d) => {
  if (d.cmd === "run") {
    const error = m.worker_load(d.kind, d.state);
    epoch = d.epoch; steps = Math.max(1, d.steps | 0); start = performance.now(); done = 0;
    if (error) { running = false; self.postMessage({ epoch, running: false, state: null, error }); return; }
    if (!running) { running = true; tick(); }
  } else if (d.cmd === "steps") {
    steps = Math.max(1, d.steps | 0); start = performance.now(); done = 0;
  } else if (d.cmd === "stop") {
    if (running) { running = false; post(false); }
  }
};
for (const d of queue) handle(d);
"#;

/// The absolute URL of the demos module, from `<meta name="gentutor-demos">`.
pub fn demos_module_url() -> Option<String> {
    // The app writes this meta tag (crates/xtask); read directly so this crate needs nothing of the app.
    let rel = web_sys::window()?
        .document()?
        .query_selector("meta[name=gentutor-demos]")
        .ok()
        .flatten()?
        .get_attribute("content")
        .filter(|u| !u.is_empty())?;
    let base = web_sys::window()?.location().href().ok()?;
    Some(web_sys::Url::new_with_base(&rel, &base).ok()?.href())
}

/// Starts a module worker running `script`, passing the demos module URL in the script URL's
/// hash (a Blob URL has no other way to receive it before its first line runs).
pub fn spawn_module_worker(script: &str) -> Result<web_sys::Worker, String> {
    let url = demos_module_url().ok_or("no demos module URL on the page")?;
    let parts = js_sys::Array::of1(&script.into());
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type("text/javascript");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts)
        .map_err(|_| "could not create the worker script")?;
    let blob_url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| "no object URL")?;
    let wo = web_sys::WorkerOptions::new();
    wo.set_type(web_sys::WorkerType::Module);
    let worker = web_sys::Worker::new_with_options(&format!("{blob_url}#{url}"), &wo)
        .map_err(|_| "this browser cannot start a module worker".to_string());
    let _ = web_sys::Url::revoke_object_url(&blob_url);
    worker
}

/// A message from the training worker.
pub struct Report {
    pub epoch: u32,
    pub running: bool,
    pub state: Option<Vec<u8>>,
    pub error: Option<String>,
}

impl Report {
    fn from_js(v: &JsValue) -> Report {
        let get = |k: &str| js_sys::Reflect::get(v, &k.into()).unwrap_or(JsValue::UNDEFINED);
        Report {
            epoch: get("epoch").as_f64().unwrap_or(-1.0) as u32,
            running: get("running").as_bool().unwrap_or(false),
            state: get("state")
                .dyn_into::<js_sys::Uint8Array>()
                .ok()
                .map(|a| a.to_vec()),
            error: get("error").as_string(),
        }
    }
}

/// The page's end of a training worker. Dropping it terminates the worker.
pub struct TrainingWorker {
    worker: web_sys::Worker,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
}

impl TrainingWorker {
    /// Starts a worker; `on_report` receives each of its messages.
    pub fn spawn(mut on_report: impl FnMut(Report) + 'static) -> Result<Self, String> {
        let worker = spawn_module_worker(WORKER_JS)?;
        let on_message =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
                on_report(Report::from_js(&e.data()))
            });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        Ok(TrainingWorker {
            worker,
            _on_message: on_message,
        })
    }

    /// Hands the run to the worker and starts training `steps` steps per tick.
    pub fn run(&self, kind: &str, state: &[u8], steps: usize, epoch: u32) -> Result<(), String> {
        let msg = js_sys::Object::new();
        let set = |k: &str, v: JsValue| js_sys::Reflect::set(&msg, &k.into(), &v).is_ok();
        let ok = set("cmd", "run".into())
            && set("kind", kind.into())
            && set("state", js_sys::Uint8Array::from(state).into())
            && set("steps", (steps as f64).into())
            && set("epoch", f64::from(epoch).into());
        if !ok {
            return Err("could not build the message for the worker".into());
        }
        self.worker
            .post_message(&msg)
            .map_err(|_| "could not message the worker".to_string())
    }

    /// Changes the steps per frame of the run in progress.
    pub fn set_steps(&self, steps: usize) {
        let msg = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&msg, &"cmd".into(), &"steps".into());
        let _ = js_sys::Reflect::set(&msg, &"steps".into(), &(steps as f64).into());
        let _ = self.worker.post_message(&msg);
    }

    /// Asks the worker to stop; it answers with the final state.
    pub fn stop(&self) {
        let msg = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&msg, &"cmd".into(), &"stop".into());
        let _ = self.worker.post_message(&msg);
    }
}

impl Drop for TrainingWorker {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

/// The worker's side: the model it trains, type-erased.
pub trait WorkerModel {
    fn train(&mut self, n: usize) -> Result<(), String>;
    fn state(&self) -> Vec<u8>;
}

impl<M: Remote> WorkerModel for M {
    fn train(&mut self, n: usize) -> Result<(), String> {
        Live::train(self, n)
    }
    fn state(&self) -> Vec<u8> {
        self.to_bytes()
    }
}

/// Decodes a run sent by the page, choosing the type by its [`Remote::KIND`] (the demo
/// registry lists which demos have a worker model: [`crate::registry::ENTRIES`]).
pub fn load_remote(kind: &str, bytes: &[u8]) -> Result<Box<dyn WorkerModel>, String> {
    crate::registry::load_worker(kind, bytes)
}
