//! /study/call: the spoken tutor (`?lesson=slug` asks only that lesson's cards).

use crate::ui::study::call::CallMode;
use crate::ui::study::StudyNav;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The Call page.
#[component]
pub fn StudyCallRoute() -> impl IntoView {
    super::set_title("Call");
    let query = use_query_map();
    let lesson = query
        .with_untracked(|q| q.get("lesson"))
        .filter(|l| !l.is_empty());
    view! {
        <div class="study study-mode">
            <h1>"Call"</h1>
            <StudyNav current="/study/call" />
            <CallMode lesson=lesson />
        </div>
    }
}
