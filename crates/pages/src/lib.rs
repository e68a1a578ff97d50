//! The pages module: pages few visits need at once, built as their own WASM module
//! (`src/main.rs`) and loaded by the app only when one is opened: the teacher's class pages
//! (`/class/new`, `/class/<teacher token>`), the Call page (`/study/call`) and the Flashcards,
//! Learn, Test and Matching modes (`/study/...`, see [`study`]). The app keeps the routes and
//! mounts these into a placeholder (`ui::widgets::lazy_page`), as it does demos with the demos
//! module. This crate has no models, plots or ndarray (`tests/layers.rs`), so opening Learn on a
//! phone does not download them.
//!
//! The modules share no memory. What crosses: the page's name and one string argument, the
//! compiled content's bytes (decoded here once, [`library`]), and an [`AppBridge`] whose
//! functions reach the app's progress store (read the progress; record a Call outcome, which
//! the app saves like every other result, so spaced review, mastery and the class see it).
#![cfg(target_arch = "wasm32")]

pub mod call;
pub mod class;
pub mod grade_view;
pub mod library;
pub mod study;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// What the app passes for pages that read or record progress: a JS object with
/// `progress(): string` (the progress document as JSON), `replace_progress(doc: string)` (the
/// changed document, for the app to save) and `record_call(outcome: string)` (a
/// `gentutor_study::call::Outcome` as JSON).
#[derive(Clone)]
pub struct AppBridge(JsValue);

impl AppBridge {
    pub fn new(value: JsValue) -> Self {
        Self(value)
    }

    fn function(&self, name: &str) -> Result<js_sys::Function, String> {
        js_sys::Reflect::get(&self.0, &name.into())
            .ok()
            .and_then(|f| f.dyn_into().ok())
            .ok_or_else(|| format!("the app did not pass {name}"))
    }

    /// The learner's progress now (the app's store), as its saved JSON.
    pub fn progress_json(&self) -> Result<String, String> {
        self.function("progress")?
            .call0(&JsValue::NULL)
            .ok()
            .and_then(|v| v.as_string())
            .ok_or_else(|| "the app could not read your progress".to_string())
    }

    /// Hands the whole changed progress document (JSON) to the app's store, which saves it.
    pub fn replace_progress(&self, json: &str) -> Result<(), String> {
        self.function("replace_progress")?
            .call1(&JsValue::NULL, &json.into())
            .map(|_| ())
            .map_err(|e| {
                e.as_string()
                    .unwrap_or_else(|| "the app could not save your progress".to_string())
            })
    }

    /// Hands one Call outcome (JSON) to the app's progress store.
    pub fn record_call(&self, outcome_json: &str) -> Result<(), String> {
        self.function("record_call")?
            .call1(&JsValue::NULL, &outcome_json.into())
            .map(|_| ())
            .map_err(|_| "the app could not save this result".to_string())
    }
}

/// The pages [`page_view`] knows.
pub const PAGES: [&str; 7] = [
    "class-new",
    "class-teacher",
    "call",
    "flashcards",
    "learn",
    "test",
    "matching",
];

/// The view of page `what` (one of [`PAGES`]) with its argument (the teacher token; the lesson
/// slug for a lesson's call, or empty). An unknown name shows a message.
pub fn page_view(what: &str, arg: String, app: AppBridge) -> AnyView {
    match what {
        "class-new" => view! { <class::NewClassPage /> }.into_any(),
        "class-teacher" => view! { <class::TeacherPage token=arg /> }.into_any(),
        "call" => {
            let lesson = (!arg.is_empty()).then_some(arg);
            view! { <call::CallMode lesson app /> }.into_any()
        }
        "flashcards" | "learn" | "test" | "matching" => {
            provide_context(study::ProgressStore::new(app));
            let page = match what {
                "flashcards" => view! { <study::flashcards::Flashcards /> }.into_any(),
                "learn" => view! { <study::learn::Learn /> }.into_any(),
                "test" => view! { <study::test::TestMode /> }.into_any(),
                _ => view! { <study::matching::Matching /> }.into_any(),
            };
            view! { <study::StoreError />{page} }.into_any()
        }
        _ => {
            let msg = format!("There is no page \"{what}\".");
            view! { <p class="notice error" role="alert">{msg}</p> }.into_any()
        }
    }
}
