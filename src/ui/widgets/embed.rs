//! Mounts the live widget for an embed block found in a lesson.

use crate::content::Embed;
use leptos::prelude::*;

/// A demo or quiz embedded in a lesson.
#[component]
pub fn EmbedView(
    /// The parsed embed block.
    embed: Embed,
    /// Position of the block in the lesson, to give each demo a unique id.
    index: usize,
) -> impl IntoView {
    match embed {
        Embed::Quiz { card } => view! { <super::quiz::Quiz card=card /> }.into_any(),
        // Demos live in their own lazily loaded WASM module.
        Embed::Demo { kind, options } => view! {
            <super::lazy_demo::LazyDemo what=kind.name() options=options id=format!("{}-{index}", kind.name()) />
        }
        .into_any(),
    }
}
