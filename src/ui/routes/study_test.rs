//! /study/test: the Test mode.

use crate::ui::study::StudyNav;
use crate::ui::widgets::lazy_page::LazyPage;
use leptos::prelude::*;

/// The Test page.
#[component]
pub fn StudyTestRoute() -> impl IntoView {
    super::set_title("Test");
    view! {
        <div class="study study-mode">
            <h1>"Test"</h1>
            <StudyNav current="/study/test" />
            <LazyPage what="test" />
        </div>
    }
}
