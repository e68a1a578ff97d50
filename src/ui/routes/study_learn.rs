//! /study/learn: the Learn mode.

use crate::ui::study::learn::Learn;
use crate::ui::study::StudyNav;
use leptos::prelude::*;

/// The Learn page.
#[component]
pub fn StudyLearnRoute() -> impl IntoView {
    super::set_title("Learn");
    view! {
        <div class="study study-mode">
            <h1>"Learn"</h1>
            <StudyNav current="/study/learn" />
            <Learn />
        </div>
    }
}
