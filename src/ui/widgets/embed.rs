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
                DemoKind::Gan1d => {
                    view! { <demos::gan1d::Gan1dDemo options=options id=id /> }.into_any()
                }
                DemoKind::Flow2d => {
                    view! { <demos::flow2d::Flow2dDemo options=options id=id /> }.into_any()
                }
                DemoKind::DiffusionForward => {
                    view! { <demos::diffusion::DiffusionForwardDemo options=options /> }.into_any()
                }
                DemoKind::DiffusionReverse => {
                    view! { <demos::diffusion::DiffusionReverseDemo options=options /> }.into_any()
                }
                DemoKind::TimestepSampler => {
                    view! { <demos::diffusion::TimestepSamplerDemo /> }.into_any()
                }
            }
        }
    }
}
