//! The study page: every card, grouped by lesson, with math on both sides.

use crate::core::content::library;
use crate::ui::widgets::Html;
use leptos::prelude::*;

/// Lists the cards (the study modes build on this page).
#[component]
pub fn Study() -> impl IntoView {
    super::set_title("Study");
    let lib = library();
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
                    <h2>{lesson.front.title.clone()}</h2>
                    <ol class="study-list">{cards}</ol>
                </section>
            }
        })
        .collect_view();
    view! {
        <div class="study">
            <h1>"Study"</h1>
            <p>{format!("{} cards, one per concept of the source deck, checked against the primary papers. Open a card to see its answer.", lib.cards.len())}</p>
            {groups}
        </div>
    }
}
