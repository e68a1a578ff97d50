//! The pages' WASM module: the teacher's class pages, Call, Flashcards, Learn, Test and
//! Matching, loaded by the app only when one of them is opened (see `ui::widgets::lazy_page`).
//! It exports the mount/unmount functions to the app's module; nothing else lives here.

#[cfg(target_arch = "wasm32")]
mod exports {
    use gentutor_pages as pages;
    use std::any::Any;
    use std::cell::RefCell;
    use std::collections::HashMap;
    use wasm_bindgen::prelude::*;

    /// The next handle, and the mounted pages by handle (their `UnmountHandle`s).
    type Mounted = (u32, HashMap<u32, Box<dyn Any>>);

    thread_local! {
        /// Mounted pages by handle; dropping an entry unmounts it and runs its cleanups.
        static MOUNTED: RefCell<Mounted> = RefCell::new((0, HashMap::new()));
    }

    /// Mounts the page `what` (one of `gentutor_pages::PAGES`) into `host` with its argument,
    /// and returns a handle for [`unmount_page`]. `content` is the compiled lessons' bytes as
    /// the app fetched them (decoded here on first use); `app` is the app's bridge to its
    /// progress store.
    #[wasm_bindgen]
    pub fn mount_page(
        host: web_sys::HtmlElement,
        what: &str,
        arg: &str,
        content: Option<js_sys::Uint8Array>,
        app: JsValue,
    ) -> Result<u32, JsValue> {
        if let Some(bytes) = content {
            pages::library::install(&bytes.to_vec()).map_err(|e| JsValue::from_str(&e))?;
        }
        if !pages::PAGES.contains(&what) {
            return Err(JsValue::from_str(&format!("unknown page \"{what}\"")));
        }
        let (what, arg) = (what.to_string(), arg.to_string());
        let app = pages::AppBridge::new(app);
        let handle = leptos::mount::mount_to(host, move || pages::page_view(&what, arg, app));
        Ok(MOUNTED.with_borrow_mut(|(next, map)| {
            *next += 1;
            map.insert(*next, Box::new(handle));
            *next
        }))
    }

    /// Unmounts a page mounted by [`mount_page`]; unknown handles are ignored.
    #[wasm_bindgen]
    pub fn unmount_page(handle: u32) {
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
    eprintln!("gentutor-pages is a WASM module the app loads in the browser: see README.md.");
}
