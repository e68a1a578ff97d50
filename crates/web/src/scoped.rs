//! Timers and tasks that end with the component that started them.
//!
//! A callback or a task that outlives its component and then reads the component's signals
//! panics ("you tried to access a reactive value which ... has already been disposed"), and a
//! panic in WASM stops the page. So every timer, interval and spawned task in the app and the
//! demos goes through here: each registers its cancellation with the reactive owner that is
//! current when it starts (the component, or the owner passed in), as leptos-use does.

use leptos::prelude::*;
use leptos::reactive::owner::WeakOwner;
use std::future::Future;
use std::time::Duration;

/// Runs `cb` once after `ms` milliseconds unless the current owner is cleaned up first.
/// Returns false if the browser refused the timer (the callback will not run).
pub fn timeout(cb: impl FnOnce() + 'static, ms: u32) -> bool {
    match set_timeout_with_handle(cb, Duration::from_millis(u64::from(ms))) {
        Ok(handle) => {
            on_cleanup(move || handle.clear());
            true
        }
        Err(_) => false,
    }
}

/// Runs `cb` every `ms` milliseconds until the current owner is cleaned up.
pub fn interval(cb: impl Fn() + 'static, ms: u32) -> bool {
    match set_interval_with_handle(cb, Duration::from_millis(u64::from(ms))) {
        Ok(handle) => {
            on_cleanup(move || handle.clear());
            true
        }
        Err(_) => false,
    }
}

/// Spawns `task` on the page's executor; it is dropped (never polled again) when the current
/// owner is cleaned up, so no code after an `await` runs for an unmounted component.
pub fn spawn(task: impl Future<Output = ()> + 'static) {
    leptos::task::spawn_local_scoped_with_cancellation(task);
}

/// The owner of the component being built, for timers and tasks started later from its event
/// handlers (where no owner is current). Held weakly: a component that kept its own `Owner` in
/// its state (say a `StoredValue<Option<Owner>>`) would keep itself alive, and its cleanup (which
/// stops its timers, tasks and intervals) would never run once the learner leaves the page.
#[derive(Clone, Copy)]
pub struct OwnerRef(StoredValue<Option<WeakOwner>>);

impl OwnerRef {
    /// The owner current now (call it in the component's body).
    pub fn current() -> OwnerRef {
        OwnerRef(StoredValue::new(Owner::current().map(|o| o.downgrade())))
    }

    /// The owner, unless it has been cleaned up (the component is gone).
    pub fn get(&self) -> Option<Owner> {
        self.0.try_get_value().flatten().and_then(|w| w.upgrade())
    }
}

/// Like [`spawn`], but tied to `owner` (for tasks started from an event handler, where no owner
/// is current). With no owner the task runs to completion and must use `try_*` accessors only.
pub fn spawn_in(owner: Option<&Owner>, task: impl Future<Output = ()> + 'static) {
    match owner {
        Some(owner) => owner.with(|| spawn(task)),
        None => leptos::task::spawn_local(task),
    }
}

/// A future that resolves after `ms` milliseconds (a `setTimeout` promise). Await it only inside
/// [`spawn`]ed tasks, so an unmount cancels what follows.
pub async fn sleep(ms: u32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let ms = i32::try_from(ms).unwrap_or(i32::MAX);
            if w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
                .is_err()
            {
                let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
            }
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
