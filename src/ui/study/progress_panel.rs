//! Export progress to a JSON file and import (merge) one; says whether progress is saved.

use super::store::use_progress;
use gentutor_study::progress::Progress;
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// Offers `text` as a file download named `name`.
fn download(name: &str, text: &str) -> Result<(), String> {
    let fail = |what: &str| format!("Could not create the download ({what}).");
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type("application/json");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts)
        .map_err(|_| fail("blob"))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| fail("URL"))?;
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| fail("no document"))?;
    let a: web_sys::HtmlAnchorElement = doc
        .create_element("a")
        .map_err(|_| fail("link"))?
        .dyn_into()
        .map_err(|_| fail("link"))?;
    a.set_href(&url);
    a.set_download(name);
    if let Some(body) = doc.body() {
        let _ = body.append_child(&a);
        a.click();
        let _ = body.remove_child(&a);
    }
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// Export / Import buttons and the storage status.
#[component]
pub fn ProgressPanel() -> impl IntoView {
    let store = use_progress();
    let message = RwSignal::new(None::<(bool, String)>);

    let export = move |_| {
        let result = store
            .with_untracked(Progress::export)
            .map_err(|e| e.to_string())
            .and_then(|json| {
                let day = String::from(js_sys::Date::new_0().to_iso_string())
                    .chars()
                    .take(10)
                    .collect::<String>();
                download(&format!("gentutor-progress-{day}.json"), &json)
            });
        message.set(Some(match result {
            Ok(()) => (true, "Progress exported as a JSON file.".to_string()),
            Err(e) => (false, e),
        }));
    };

    let import = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        let Ok(reader) = web_sys::FileReader::new() else {
            message.set(Some((false, "This browser cannot read files.".into())));
            return;
        };
        let r2 = reader.clone();
        let onload = Closure::once(move || {
            let text = r2.result().ok().and_then(|v| v.as_string());
            let Some(text) = text else {
                let _ =
                    message.try_set(Some((false, "The file could not be read as text.".into())));
                return;
            };
            match Progress::import(&text) {
                Ok(other) => {
                    // The merge lands even if the learner left the page meanwhile; the message only if not.
                    store.update(|p| p.merge(&other));
                    let cards = other.cards.len();
                    let _ = message.try_set(Some((
                        true,
                        format!("Imported and merged progress for {cards} card{} (nothing was lost: logs were combined).", if cards == 1 { "" } else { "s" }),
                    )));
                }
                Err(e) => {
                    let _ = message.try_set(Some((
                        false,
                        format!("{e} Your current progress is unchanged."),
                    )));
                }
            }
        });
        reader.set_onload(Some(onload.as_ref().unchecked_ref()));
        // The reader holds the only reference to the callback until it fires once.
        onload.forget();
        if reader.read_as_text(&file).is_err() {
            message.set(Some((false, "The file could not be read.".into())));
        }
        input.set_value("");
    };

    view! {
        <section class="progress-panel" data-testid="progress-panel">
            <h2>"Your progress"</h2>
            <p data-testid="storage-status">{move || if store.persistent() {
                "Saved in this browser after every answer."
            } else {
                "Kept in memory only (this browser does not let the site save it): export it to keep it."
            }}</p>
            <div class="mode-actions">
                <button data-testid="export-progress" on:click=export>"Export (JSON file)"</button>
                <label class="button secondary file-button">
                    "Import a file…"
                    <input type="file" accept=".json,application/json" data-testid="import-file" on:change=import />
                </label>
            </div>
            {move || message.get().map(|(ok, m)| view! {
                <p class=if ok { "ok" } else { "error" } role="status" data-testid="import-message">{m}</p>
            })}
        </section>
    }
}
