//! /study/call: the spoken tutor (`?lesson=slug` asks only that lesson's cards). The page is
//! mounted from the lazily loaded module (`crates/demos/src/pages/call.rs`); its results come
//! back through [`crate::ui::study::call::record_call`].

use crate::ui::study::StudyNav;
use crate::ui::widgets::lazy_page::LazyPage;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The Call page.
#[component]
pub fn StudyCallRoute() -> impl IntoView {
    super::set_title("Call");
    let query = use_query_map();
    let lesson = query
        .with_untracked(|q| q.get("lesson"))
        .filter(|l| !l.is_empty())
        .unwrap_or_default();
    view! {
        <div class="study study-mode">
            <h1>"Call"</h1>
            <StudyNav current="/study/call" />
            <LazyPage what="call" arg=lesson />
        </div>
    }
}
