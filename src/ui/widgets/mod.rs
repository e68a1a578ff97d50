//! Reusable widgets: embeds (demos, quizzes) and Markdown fragments with math.

pub mod embed;
pub mod quiz;

use crate::core::content::markdown::render_fragment;
use leptos::prelude::*;

/// A short Markdown fragment (a card face) rendered with MathML.
#[component]
pub fn Md(
    /// Markdown source with `$math$`.
    #[prop(into)]
    src: String,
    /// Extra CSS class.
    #[prop(optional, into)]
    class: String,
) -> impl IntoView {
    let (html, _) = render_fragment("card", &src);
    view! { <div class=format!("md {class}") inner_html=html></div> }
}
