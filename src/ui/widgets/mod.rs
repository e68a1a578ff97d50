//! Reusable widgets: embeds (demos, quizzes) and Markdown fragments with math.

pub mod embed;
pub mod lazy_demo;
pub mod lazy_page;
pub mod quiz;

use leptos::prelude::*;

/// Pre-rendered HTML + MathML from the compiled content (a card face, a correction).
#[component]
pub fn Html(
    /// HTML produced at build time by the content pipeline (trusted: it is our own content).
    #[prop(into)]
    html: String,
    /// Extra CSS class.
    #[prop(optional, into)]
    class: String,
) -> impl IntoView {
    view! { <div class=format!("md {class}") inner_html=html></div> }
}
