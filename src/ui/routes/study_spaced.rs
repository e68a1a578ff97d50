//! /study/spaced: the Review mode.

use crate::ui::study::spaced::Spaced;
use crate::ui::study::StudyNav;
use leptos::prelude::*;

/// The Review page.
#[component]
pub fn StudySpacedRoute() -> impl IntoView {
    super::set_title("Review");
    view! {
        <div class="study study-mode">
            <h1>"Review"</h1>
            <StudyNav current="/study/spaced" />
            <Spaced />
        </div>
    }
}
