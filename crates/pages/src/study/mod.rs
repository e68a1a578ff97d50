//! The study modes kept out of the first load: Learn, Test, Matching and Flashcards (and the
//! question widget Learn and Test share). The app keeps the routes, the tabs and the progress
//! store; these pages work on a copy of the progress ([`ProgressStore`]) that reads the app's
//! store before each change and hands the changed document back, so the app saves it and turns
//! the difference into class events exactly as when the modes lived in the first load.

pub mod flashcards;
pub mod learn;
pub mod matching;
pub mod question;
pub mod test;

use super::library::library;
use super::AppBridge;
use gentutor_study::flashcards::DeckFilter;
use gentutor_study::progress::Progress;
use leptos::prelude::*;

/// Unix milliseconds now (the only clock the study pages read).
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// A seed for the study engine's RNG, from the clock (mixed so two seeds taken in the same
/// millisecond still differ).
pub fn fresh_seed() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    (js_sys::Date::now() as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ n.wrapping_mul(0xBF58_476D_1CE4_E5B9)
        ^ ((js_sys::Math::random() * 2f64.powi(53)) as u64)
}

/// Pre-rendered HTML + MathML from the compiled content (trusted: our own content).
#[component]
pub fn Html(
    #[prop(into)] html: String,
    /// Extra CSS class.
    #[prop(optional, into)]
    class: String,
) -> impl IntoView {
    view! { <div class=format!("md {class}") inner_html=html></div> }
}

/// The learner's progress as the pages in this module see it: a reactive copy of the app's
/// store. [`ProgressStore::update`] starts from the app's current document (so nothing changed
/// elsewhere since the page opened is overwritten) and gives the result back to the app, which
/// saves it.
#[derive(Clone, Copy)]
pub struct ProgressStore {
    progress: RwSignal<Progress>,
    app: StoredValue<AppBridge, LocalStorage>,
    error: RwSignal<Option<String>>,
}

fn read(app: &AppBridge) -> Result<Progress, String> {
    let json = app.progress_json()?;
    let outcome = Progress::load(Some(&json), now_ms());
    match outcome.quarantine {
        None => Ok(outcome.progress),
        Some(_) => Err("the app's progress could not be read".into()),
    }
}

impl ProgressStore {
    /// Reads the app's progress now.
    pub fn new(app: AppBridge) -> Self {
        let (progress, error) = match read(&app) {
            Ok(p) => (p, None),
            Err(e) => (Progress::fresh(), Some(e)),
        };
        Self {
            progress: RwSignal::new(progress),
            app: StoredValue::new_local(app),
            error: RwSignal::new(error),
        }
    }

    /// Reads progress (tracked).
    pub fn with<R>(&self, f: impl FnOnce(&Progress) -> R) -> R {
        self.progress.with(f)
    }

    /// Reads progress without tracking.
    pub fn with_untracked<R>(&self, f: impl FnOnce(&Progress) -> R) -> R {
        self.progress.with_untracked(f)
    }

    /// Changes progress and hands it to the app to save. None (and nothing changes) if the
    /// app's progress could not be read or the page is gone.
    pub fn update<R>(&self, f: impl FnOnce(&mut Progress) -> R) -> Option<R> {
        let app = self.app.try_get_value()?;
        let mut p = match read(&app) {
            Ok(p) => p,
            Err(e) => {
                self.error.try_set(Some(e));
                return None;
            }
        };
        let r = f(&mut p);
        let saved = p
            .to_json()
            .map_err(|e| e.to_string())
            .and_then(|json| app.replace_progress(&json));
        if let Err(e) = saved {
            self.error
                .try_set(Some(format!("your progress could not be saved ({e})")));
        }
        self.progress.try_set(p);
        Some(r)
    }

    /// Why progress could not be read or saved, if it could not.
    pub fn error(&self) -> Option<String> {
        self.error.get()
    }
}

/// The store of the page being built (provided by [`super::page_view`]).
pub fn use_progress() -> ProgressStore {
    expect_context::<ProgressStore>()
}

/// Shows the store's error, if any (a page whose progress does not reach the app says so).
#[component]
pub fn StoreError() -> impl IntoView {
    let store = use_progress();
    move || {
        store.error().map(|e| {
            view! { <p class="notice error" role="alert" data-testid="page-store-error">{format!("Progress: {e}.")}</p> }
        })
    }
}

/// Every card id, in content order.
pub fn all_card_ids() -> Vec<u32> {
    library().cards.iter().map(|c| c.id).collect()
}

/// Tags used by the cards, sorted, each once.
pub fn all_tags() -> Vec<String> {
    let mut tags: Vec<String> = library()
        .cards
        .iter()
        .flat_map(|c| c.tags.iter().cloned())
        .collect();
    tags.sort();
    tags.dedup();
    tags
}

/// Lessons that have cards: `(slug, title)` in reading order.
pub fn lessons_with_cards() -> Vec<(String, String)> {
    let lib = library();
    lib.lessons
        .iter()
        .filter(|l| lib.cards.iter().any(|c| c.lesson_slug() == l.slug))
        .map(|l| (l.slug.clone(), l.front.title.clone()))
        .collect()
}

/// A [`DeckFilter`] as a `<select>` value (`all`, `starred`, `tag:gan`, `lesson:slug`).
pub fn filter_value(f: &DeckFilter) -> String {
    match f {
        DeckFilter::All => "all".into(),
        DeckFilter::Starred => "starred".into(),
        DeckFilter::Tag(t) => format!("tag:{t}"),
        DeckFilter::Lesson(l) => format!("lesson:{l}"),
    }
}

/// The inverse of [`filter_value`]; anything unknown is `All`.
pub fn parse_filter(v: &str) -> DeckFilter {
    if let Some(t) = v.strip_prefix("tag:") {
        DeckFilter::Tag(t.to_string())
    } else if let Some(l) = v.strip_prefix("lesson:") {
        DeckFilter::Lesson(l.to_string())
    } else if v == "starred" {
        DeckFilter::Starred
    } else {
        DeckFilter::All
    }
}

/// `<option>`s for every lesson with cards, then every tag (values as in [`filter_value`]).
pub fn scope_options() -> (impl IntoView, impl IntoView) {
    let lessons = lessons_with_cards()
        .into_iter()
        .map(|(slug, title)| view! { <option value=format!("lesson:{slug}")>{format!("Lesson: {title}")}</option> })
        .collect_view();
    let tags = all_tags()
        .into_iter()
        .map(|t| view! { <option value=format!("tag:{t}")>{format!("Tag: {t}")}</option> })
        .collect_view();
    (lessons, tags)
}
