//! Mounts the live widget for an embed block found in a lesson.

use crate::core::content::{DemoKind, Embed};
use leptos::prelude::*;

/// A demo or quiz embedded in a lesson.
#[component]
pub fn EmbedView(
    /// The parsed embed block.
    embed: Embed,
) -> impl IntoView {
    match embed {
        Embed::Quiz { card } => view! { <super::quiz::Quiz card=card /> }.into_any(),
        Embed::Demo { kind, options } => {
            view! { <DemoFrame kind=kind options=options /> }.into_any()
        }
    }
}

/// The frame around a demo. Demos that are not built yet show what they will do.
#[component]
fn DemoFrame(
    /// Which demo.
    kind: DemoKind,
    /// Options from the block (e.g. `preset`).
    options: std::collections::BTreeMap<String, String>,
) -> impl IntoView {
    let opts = options
        .iter()
        .map(|(k, v)| format!("{k} = {v}"))
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <figure class="demo" data-testid=format!("demo-{}", kind.name())>
            <figcaption>{kind.title()}</figcaption>
            <p class="demo-pending">"This live demo is being built. It will train in your browser right here"
                {if opts.is_empty() { String::new() } else { format!(" ({opts})") }}"."</p>
        </figure>
    }
}
