//! The study modes that stay in the first load (Review, the overview with mastery), the progress
//! store, and the app's side of the lazily loaded modes: Flashcards, Learn, Test, Matching and
//! Call live in `crates/demos/src/pages` (mounted by `ui::widgets::lazy_page`), which read and
//! save progress through this store. Components are thin: the engine is the `gentutor-study`
//! crate.

pub mod call;
pub mod mastery;
pub mod progress_panel;
pub mod shell;
pub mod spaced;
pub mod store;

pub use store::{use_progress, ProgressProvider, ProgressRoot, ProgressStore};

use crate::content::library;
use gentutor_study::flashcards::DeckFilter;
use leptos::prelude::*;

/// Every card id, in content order.
pub(crate) fn all_card_ids() -> Vec<u32> {
    library().cards.iter().map(|c| c.id).collect()
}

/// Tags used by the cards, sorted, each once.
pub(crate) fn all_tags() -> Vec<String> {
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
pub(crate) fn lessons_with_cards() -> Vec<(String, String)> {
    let lib = library();
    lib.lessons
        .iter()
        .filter(|l| lib.cards.iter().any(|c| c.lesson_slug() == l.slug))
        .map(|l| (l.slug.clone(), l.front.title.clone()))
        .collect()
}

/// A [`DeckFilter`] as a `<select>` value (`all`, `starred`, `tag:gan`, `lesson:slug`).
pub(crate) fn filter_value(f: &DeckFilter) -> String {
    match f {
        DeckFilter::All => "all".into(),
        DeckFilter::Starred => "starred".into(),
        DeckFilter::Tag(t) => format!("tag:{t}"),
        DeckFilter::Lesson(l) => format!("lesson:{l}"),
    }
}

/// The inverse of [`filter_value`]; anything unknown is `All`.
pub(crate) fn parse_filter(v: &str) -> DeckFilter {
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
pub(crate) fn scope_options() -> (impl IntoView, impl IntoView) {
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

/// The study mode tabs.
#[component]
pub fn StudyNav(
    /// The path of the page showing the tabs (marks the current tab).
    current: &'static str,
) -> impl IntoView {
    let tabs = [
        ("/study", "Overview"),
        ("/study/flashcards", "Flashcards"),
        ("/study/learn", "Learn"),
        ("/study/test", "Test"),
        ("/study/matching", "Matching"),
        ("/study/spaced", "Review"),
        ("/study/call", "Call"),
    ];
    // Studying here is where "continue where you left off" should bring the learner back.
    if let Some((_, label)) = tabs.iter().find(|(href, _)| *href == current) {
        shell::remember_place(current, label);
    }
    let links = tabs
        .into_iter()
        .map(|(href, label)| {
            let here = href == current;
            view! {
                <a href=href class:current=here aria-current=here.then_some("page")
                    data-testid=format!("tab-{}", label.to_lowercase())>{label}</a>
            }
        })
        .collect_view();
    view! { <nav class="study-tabs" aria-label="Study modes" data-testid="study-nav">{links}</nav> }
}
