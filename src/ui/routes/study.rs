//! The study hub: the mode tabs, mastery per lesson and card, how mastery is computed,
//! export/import, and every card with its answer.

use crate::content::library;
use crate::ui::study::mastery::{MasteryDefinition, MasteryTable};
use crate::ui::study::progress_panel::ProgressPanel;
use crate::ui::study::StudyNav;
use crate::ui::widgets::Html;
use leptos::prelude::*;

/// The study hub.
#[component]
pub fn Study() -> impl IntoView {
    super::set_title("Study");
    let lib = library();
    let modes = [
        (
            "/study/flashcards",
            "Flashcards",
            "Flip through the cards; star the hard ones.",
        ),
        (
            "/study/learn",
            "Learn",
            "Adaptive rounds: multiple choice, then true/false, then typed answers.",
        ),
        (
            "/study/test",
            "Test",
            "A scored test with the question types and tags you choose.",
        ),
        (
            "/study/matching",
            "Matching",
            "Match 6 terms to their definitions against the clock.",
        ),
        (
            "/study/spaced",
            "Review",
            "Spaced repetition (FSRS): the cards due today.",
        ),
        (
            "/study/call",
            "Call",
            "A spoken tutor: it asks aloud, listens (or reads what you type), hints and explains.",
        ),
    ]
    .into_iter()
    .map(|(href, name, what)| {
        view! {
            <li class="mode-card">
                <a href=href data-testid=format!("mode-{}", name.to_lowercase())>
                    <span class="lesson-title">{name}</span>
                    <span class="lesson-summary">{what}</span>
                </a>
            </li>
        }
    })
    .collect_view();
    let groups = lib
        .lessons
        .iter()
        .filter(|l| !l.front.cards.is_empty())
        .map(|lesson| {
            let cards = lib
                .cards
                .iter()
                .filter(|c| c.lesson_slug() == lesson.slug)
                .filter_map(|c| lib.card_html(c.id).map(|h| (c, h)))
                .map(|(c, h)| {
                    let href = format!("/lesson/{}", c.lesson);
                    view! {
                        <li class="study-card" data-testid="study-card">
                            <details>
                                <summary>
                                    <span class="card-id">{c.id}</span>
                                    <Html html=h.front.clone() class="card-front" />
                                </summary>
                                <Html html=h.back.clone() class="card-back" />
                                <p class="card-link"><a href=href>"Read the lesson section"</a></p>
                            </details>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <section class="study-group">
                    <h3>{lesson.front.title.clone()}</h3>
                    <ol class="study-list">{cards}</ol>
                </section>
            }
        })
        .collect_view();
    view! {
        <div class="study" data-testid="study-hub">
            <h1>"Study"</h1>
            <StudyNav current="/study" />
            <p>{format!("{} cards, one per concept, checked against the primary papers. Pick a mode:", lib.cards.len())}</p>
            <ul class="mode-grid">{modes}</ul>
            <section class="mastery">
                <h2>"Mastery"</h2>
                <MasteryTable />
                <details class="definition">
                    <summary>"How mastery is computed"</summary>
                    <MasteryDefinition />
                </details>
            </section>
            <ProgressPanel />
            <section class="all-cards">
                <h2>"All cards"</h2>
                {groups}
            </section>
        </div>
    }
}
