//! Mounts the live widget for an embed block found in a lesson.

use crate::core::content::{DemoKind, Embed};
use leptos::prelude::*;

/// A demo or quiz embedded in a lesson.
#[component]
pub fn EmbedView(
    /// The parsed embed block.
    embed: Embed,
    /// Position of the block in the lesson, to give each demo a unique id.
    index: usize,
) -> impl IntoView {
    use crate::ui::demos;
    match embed {
        Embed::Quiz { card } => view! { <super::quiz::Quiz card=card /> }.into_any(),
        Embed::Demo { kind, options } => {
            let id = format!("{}-{index}", kind.name());
            match kind {
                DemoKind::Gan1d => view! { <demos::gan1d::Gan1dDemo options=options id=id /> }.into_any(),
                DemoKind::Flow2d => view! { <demos::flow2d::Flow2dDemo options=options id=id /> }.into_any(),
                _ => view! { <DemoFrame kind=kind options=options /> }.into_any(),
            }
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
