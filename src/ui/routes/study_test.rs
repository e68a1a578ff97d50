//! /study/test: the Test mode.

use crate::ui::study::test::TestMode;
use crate::ui::study::StudyNav;
use leptos::prelude::*;

/// The Test page.
#[component]
pub fn StudyTestRoute() -> impl IntoView {
    super::set_title("Test");
    view! {
        <div class="study study-mode">
            <h1>"Test"</h1>
            <StudyNav current="/study/test" />
            <TestMode />
        </div>
    }
}
