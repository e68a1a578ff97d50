//! The pages module on its own, in headless Chromium: the contract with the app that mounts it
//! (`mount_page` in `src/main.rs`, `ui::widgets::lazy_page` in the app). Unknown pages and
//! unreadable content say so, a page whose app bridge lacks the progress functions says so
//! instead of crashing, the progress store reads the app's document and hands every change
//! back through the bridge, and the teacher's new-class page mounts without any content. The
//! study modes played against the app's real store are in the app's `tests/study_components.rs`.
#![cfg(target_arch = "wasm32")]

use gentutor_pages::study::ProgressStore;
use gentutor_pages::{page_view, AppBridge};
use gentutor_study::progress::Progress;
use leptos::mount::mount_to;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn container() -> web_sys::HtmlElement {
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .expect("document");
    let el = doc.create_element("div").expect("div");
    doc.body().expect("body").append_child(&el).expect("append");
    el.unchecked_into()
}

/// Lets Leptos' scheduled effects run.
async fn tick() {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .expect("window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 20)
            .expect("timeout");
    });
    wasm_bindgen_futures::JsFuture::from(p).await.expect("tick");
}

fn text(root: &web_sys::HtmlElement, css: &str) -> String {
    root.query_selector(css)
        .expect("selector")
        .unwrap_or_else(|| panic!("no {css} in {}", root.inner_html()))
        .text_content()
        .unwrap_or_default()
}

/// A stand-in for the app's bridge: `progress()` returns `doc`, `replace_progress(json)` pushes
/// onto the returned array (what the app would save).
fn stub_bridge(doc: &str) -> (AppBridge, js_sys::Array) {
    let saved = js_sys::Array::new();
    let doc = doc.to_string();
    let progress = Closure::<dyn Fn() -> JsValue>::new(move || JsValue::from_str(&doc));
    let sink = saved.clone();
    let replace = Closure::<dyn Fn(String)>::new(move |json: String| {
        sink.push(&JsValue::from_str(&json));
    });
    let o = js_sys::Object::new();
    js_sys::Reflect::set(&o, &"progress".into(), &progress.into_js_value()).expect("set");
    js_sys::Reflect::set(&o, &"replace_progress".into(), &replace.into_js_value()).expect("set");
    (AppBridge::new(o.into()), saved)
}

#[wasm_bindgen_test]
async fn an_unknown_page_says_so() {
    let root = container();
    let app = AppBridge::new(js_sys::Object::new().into());
    let mounted = mount_to(root.clone(), move || page_view("nope", String::new(), app));
    tick().await;
    assert!(
        root.text_content()
            .unwrap_or_default()
            .contains("There is no page \"nope\""),
        "{}",
        root.inner_html()
    );
    drop(mounted);
    assert!(gentutor_pages::PAGES.contains(&"learn") && !gentutor_pages::PAGES.contains(&"nope"));
}

#[wasm_bindgen_test]
fn unreadable_content_is_refused_with_a_message() {
    let err = gentutor_pages::library::install(b"not postcard").expect_err("garbage is refused");
    assert!(err.contains("could not be read"), "{err}");
}

#[wasm_bindgen_test]
async fn a_study_page_without_the_apps_progress_says_so() {
    let root = container();
    // An app that passed no functions at all: Learn mounts and explains, nothing panics.
    let app = AppBridge::new(js_sys::Object::new().into());
    let mounted = mount_to(root.clone(), move || page_view("learn", String::new(), app));
    tick().await;
    let err = text(&root, "[data-testid=page-store-error]");
    assert!(err.contains("the app did not pass progress"), "{err}");
    drop(mounted);
}

#[wasm_bindgen_test]
async fn the_store_reads_the_apps_document_and_hands_each_change_back() {
    let mut doc = Progress::fresh();
    doc.learn_round = 3;
    let json = doc.to_json().expect("json");
    let (app, saved) = stub_bridge(&json);
    let owner = Owner::new();
    owner.with(|| {
        let store = ProgressStore::new(app);
        assert_eq!(store.error(), None);
        assert_eq!(
            store.with_untracked(|p| p.learn_round),
            3,
            "read the app's document"
        );
        store
            .update(|p| p.matching_best_ms = Some(1234))
            .expect("the change is made");
        assert_eq!(store.with_untracked(|p| p.matching_best_ms), Some(1234));
    });
    assert_eq!(saved.length(), 1, "one change, one document handed back");
    let back = saved.get(0).as_string().expect("a string");
    let loaded = Progress::load(Some(&back), 0);
    assert!(loaded.quarantine.is_none(), "the app can read it");
    assert_eq!(loaded.progress.learn_round, 3, "what the app had is kept");
    assert_eq!(
        loaded.progress.matching_best_ms,
        Some(1234),
        "the change is in it"
    );
}

#[wasm_bindgen_test]
async fn the_new_class_page_mounts_without_content_or_progress() {
    let root = container();
    let app = AppBridge::new(JsValue::NULL);
    let mounted = mount_to(root.clone(), move || {
        page_view("class-new", String::new(), app)
    });
    tick().await;
    assert!(
        root.query_selector("[data-testid=class-name]")
            .expect("selector")
            .is_some(),
        "{}",
        root.inner_html()
    );
    drop(mounted);
}
