//! The shipped checkpoints (`assets/checkpoints/<kind>.gtck`, see
//! `gentutor_models::checkpoint`), fetched from this site the first time a demo asks for one and
//! kept for the page's lifetime: they are in no WASM module, so they stay out of the first load
//! and out of the demos module too.
//!
//! [`classifier`] is the shared digit classifier (held-out accuracy in its header): demos that
//! read digits (the GAN's coverage, adversarial examples) use this one instead of training
//! their own.

use gentutor_models::checkpoint::{asset_path, Checkpoint, Checkpointed};
use gentutor_models::digit_classifier::Classifier;
use std::cell::RefCell;
use std::collections::HashMap;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

thread_local! {
    /// Checkpoint bytes by kind, once fetched (or provided).
    static BYTES: RefCell<HashMap<String, Vec<u8>>> = RefCell::new(HashMap::new());
    /// The decoded classifier, once read.
    static CLASSIFIER: RefCell<Option<Classifier>> = const { RefCell::new(None) };
}

/// Hands a checkpoint to the demos without a download (browser tests, whose server has no
/// `/assets`, pass the shipped files' bytes).
pub fn provide_checkpoint(kind: &str, bytes: &[u8]) {
    BYTES.with_borrow_mut(|m| m.insert(kind.to_string(), bytes.to_vec()));
}

/// The bytes at `path` on this site. Errors are sentences for the page.
pub async fn fetch_bytes(path: &str) -> Result<Vec<u8>, String> {
    let js = |e: wasm_bindgen::JsValue| format!("{e:?}");
    let window = web_sys::window().ok_or("no window")?;
    let resp: web_sys::Response = JsFuture::from(window.fetch_with_str(path))
        .await
        .map_err(|e| format!("{path} could not be downloaded ({})", js(e)))?
        .dyn_into()
        .map_err(|_| format!("{path}: no response"))?;
    if !resp.ok() {
        return Err(format!(
            "{path} could not be downloaded (HTTP {})",
            resp.status()
        ));
    }
    let buf = JsFuture::from(resp.array_buffer().map_err(js)?)
        .await
        .map_err(js)?;
    Ok(js_sys::Uint8Array::new(&buf).to_vec())
}

/// The shipped checkpoint of `M` with its header, fetched once per page.
pub async fn load<M: Checkpointed>() -> Result<(Checkpoint, M), String> {
    let cached = BYTES.with_borrow(|m| m.get(M::KIND).cloned());
    let bytes = match cached {
        Some(b) => b,
        None => {
            let b = fetch_bytes(&asset_path(M::KIND)).await?;
            BYTES.with_borrow_mut(|m| m.insert(M::KIND.to_string(), b.clone()));
            b
        }
    };
    Checkpoint::load::<M>(&bytes).map_err(|e| format!("the shipped {} checkpoint: {e}", M::KIND))
}

/// The shared digit classifier (the shipped `digit-classifier` checkpoint).
pub async fn classifier() -> Result<Classifier, String> {
    if let Some(c) = CLASSIFIER.with_borrow(Clone::clone) {
        return Ok(c);
    }
    let (_, c) = load::<Classifier>().await?;
    CLASSIFIER.with_borrow_mut(|slot| *slot = Some(c.clone()));
    Ok(c)
}
