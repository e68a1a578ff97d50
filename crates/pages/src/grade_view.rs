//! How a typed or spoken answer was graded, shown the same way wherever one is (Learn's typed
//! stage, Test's typed questions, Call): the wrong option the answer stated, if any, then each
//! key point found (in the learner's words), stated the wrong way round, missing or optional.

use gentutor_study::display::{KeyPointLine, KeyPointStatus};
use leptos::prelude::*;

/// The key points of a grade and its misconception note (see
/// `gentutor_study::display::{key_point_lines, misconception_note}`).
#[component]
pub fn GradeDetails(
    /// The grade's key points, in feedback order.
    lines: Vec<KeyPointLine>,
    /// The note naming a wrong option the answer stated.
    misconception: Option<String>,
) -> impl IntoView {
    let found = lines
        .iter()
        .filter(|l| matches!(l.status, KeyPointStatus::Found { .. }))
        .count();
    let total = lines.len();
    let items = lines
        .iter()
        .map(|l| {
            let (class, id) = match l.status {
                KeyPointStatus::Found { .. } => ("kp found", "kp-found"),
                KeyPointStatus::Contradicted => ("kp missed contradicted", "kp-contradicted"),
                KeyPointStatus::Missing => ("kp missed", "kp-missed"),
                KeyPointStatus::Optional => ("kp optional", "kp-optional"),
            };
            view! { <li class=class data-testid=id>{l.text()}</li> }
        })
        .collect_view();
    let misconception = misconception.map(|m| {
        view! { <p class="misconception" data-testid="misconception">{m}</p> }
    });
    view! {
        {misconception}
        <div class="key-points" data-testid="key-points">
            <p>{format!("Key points found: {found} of {total}")}</p>
            <ul>{items}</ul>
        </div>
    }
}
