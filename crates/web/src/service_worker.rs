//! Registers the service worker (`sw.js`, written by `gentutor-xtask post-build` with the
//! precache list of the whole build), so the app keeps working offline, including pages and
//! modules never opened in this browser. Its URL is in `<meta name="gentutor-sw">`; a build
//! without it (no post-build hook) registers nothing.

use wasm_bindgen::prelude::*;

// In JavaScript, so that nothing here can panic on what the browser does: no service workers
// (an old browser, a private window, a page not served over HTTPS or from localhost), a
// throwing `navigator.serviceWorker` (some browsers' privacy settings) or a failed
// registration are logged and the app goes on. Registering after the page's `load` keeps the
// precache downloads from competing with the first load.
#[wasm_bindgen(inline_js = "export function register_sw(url) {
    const warn = (e) => console.warn('gentutor: no offline copy (service worker not registered):', e);
    try {
        if (!('serviceWorker' in navigator)) return;
        const go = () => {
            try {
                navigator.serviceWorker.register(url).catch(warn);
                // Loaded while the worker was installing: not claimed by it, so ask.
                navigator.serviceWorker.ready.then((r) => {
                    if (!navigator.serviceWorker.controller && r.active) r.active.postMessage('claim');
                }).catch(warn);
            } catch (e) { warn(e); }
        };
        if (document.readyState === 'complete') go();
        else addEventListener('load', go, { once: true });
    } catch (e) { warn(e); }
}")]
extern "C" {
    fn register_sw(url: &str);
}

/// Registers the build's service worker where the browser has them; never fails.
pub fn register() {
    if let Ok(url) = crate::module_url("gentutor-sw") {
        register_sw(&url);
    }
}
