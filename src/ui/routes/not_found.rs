//! 404: say what was not found and offer the way back.

use crate::content::library;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// Shown for any unknown URL, and for lesson URLs whose slug does not exist.
#[component]
pub fn NotFound() -> impl IntoView {
    super::set_title("Page not found");
    let path = use_location().pathname;
    let lib = library();
    let lessons = lib
        .lessons
        .iter()
        .map(|l| {
            let href = format!("/lesson/{}", l.slug);
            view! { <li><a href=href>{l.front.title.clone()}</a></li> }
        })
        .collect_view();
    view! {
        <div class="not-found" data-testid="not-found">
            <h1>"Page not found"</h1>
            <p>"There is no page at "<code>{move || path.get()}</code>". It may have moved, or the link has a typo."</p>
            <p><a class="button" href="/">"Go to the lesson map"</a></p>
            <h2>"All lessons"</h2>
            <ul>{lessons}</ul>
        </div>
    }
}
