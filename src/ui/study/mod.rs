//! The study modes (Flashcards, Learn, Test, Matching, Review), mastery, and the progress store.
//! Components are thin: the engine is the `gentutor-study` crate.

pub mod flashcards;
pub mod learn;
pub mod mastery;
pub mod matching;
pub mod progress_panel;
pub mod question;
pub mod spaced;
pub mod store;
pub mod test;

pub use store::{use_progress, ProgressProvider, ProgressStore};

use crate::content::library;
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
    ];
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
