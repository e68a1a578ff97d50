//! /study/flashcards: the Flashcards mode.

use crate::ui::study::StudyNav;
use crate::ui::widgets::lazy_page::LazyPage;
use leptos::prelude::*;

/// The Flashcards page.
#[component]
pub fn StudyFlashcardsRoute() -> impl IntoView {
    super::set_title("Flashcards");
    view! {
        <div class="study study-mode">
            <h1>"Flashcards"</h1>
            <StudyNav current="/study/flashcards" />
            <LazyPage what="flashcards" />
        </div>
    }
}
