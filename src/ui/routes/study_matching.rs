//! /study/matching: the Matching mode.

use crate::ui::study::StudyNav;
use crate::ui::widgets::lazy_page::LazyPage;
use leptos::prelude::*;

/// The Matching page.
#[component]
pub fn StudyMatchingRoute() -> impl IntoView {
    super::set_title("Matching");
    view! {
        <div class="study study-mode">
            <h1>"Matching"</h1>
            <StudyNav current="/study/matching" />
            <LazyPage what="matching" />
        </div>
    }
}
