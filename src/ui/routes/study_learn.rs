//! /study/learn: the Learn mode.

use crate::ui::study::StudyNav;
use crate::ui::widgets::lazy_page::LazyPage;
use leptos::prelude::*;

/// The Learn page.
#[component]
pub fn StudyLearnRoute() -> impl IntoView {
    super::set_title("Learn");
    view! {
        <div class="study study-mode">
            <h1>"Learn"</h1>
            <StudyNav current="/study/learn" />
            <LazyPage what="learn" />
        </div>
    }
}
