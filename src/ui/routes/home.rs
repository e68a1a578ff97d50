//! Home: the lesson map, grouped by topic (the parts of SUMMARY.md).

use crate::content::library;
use crate::ui::study::mastery::LessonMasteryBar;
use leptos::prelude::*;

/// The lesson map.
#[component]
pub fn Home() -> impl IntoView {
    super::set_title("Lessons");
    let lib = library();
    let parts = lib
        .parts
        .iter()
        .map(|part| {
            let items = part
                .lessons
                .iter()
                .filter_map(|slug| lib.lesson(slug))
                .map(|lesson| {
                    let href = format!("/lesson/{}", lesson.slug);
                    let cards = lesson.front.cards.len();
                    view! {
                        <li class="lesson-card" data-testid="lesson-card">
                            <a href=href>
                                <span class="lesson-title">{lesson.front.title.clone()}</span>
                                <span class="lesson-summary">{lesson.front.summary.clone()}</span>
                                <span class="lesson-meta">{format!("{cards} card{}", if cards == 1 { "" } else { "s" })}</span>
                                <LessonMasteryBar slug=lesson.slug.clone() />
                            </a>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <section class="part">
                    <h2>{part.title.clone()}</h2>
                    <ol class="lesson-grid">{items}</ol>
                </section>
            }
        })
        .collect_view();
    view! {
        <div class="home">
            <section class="hero">
                <h1>"Generative models, from the objective up"</h1>
                <p>"GANs, VAEs, normalizing flows and diffusion models: read a lesson, play with a model that trains live in your browser, then test yourself."</p>
                <p><a class="button" href="/study">"Study the cards"</a></p>
            </section>
            {parts}
        </div>
    }
}
