//! Home: "continue where you left off", then the lesson map grouped by topic (the parts of
//! SUMMARY.md), each lesson with its cards, whether it has a live demo, and its mastery.

use crate::content::embed::Embed;
use crate::content::{library, Block};
use crate::ui::study::mastery::LessonMasteryBar;
use crate::ui::study::shell::ContinueBox;
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
                    let demos = lesson
                        .blocks
                        .iter()
                        .filter(|b| matches!(b, Block::Embed(Embed::Demo { .. })))
                        .count();
                    view! {
                        <li class="lesson-card" data-testid="lesson-card">
                            <a href=href>
                                <span class="lesson-title">{lesson.front.title.clone()}</span>
                                <span class="lesson-summary">{lesson.front.summary.clone()}</span>
                                <span class="lesson-meta">
                                    {format!("{cards} card{}", if cards == 1 { "" } else { "s" })}
                                    {(demos > 0).then(|| view! {
                                        <span class="demo-mark" data-testid="lesson-demo-mark">
                                            {if demos == 1 { "▶ live demo".to_string() } else { format!("▶ {demos} live demos") }}
                                        </span>
                                    })}
                                </span>
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
    let first_lesson = lib
        .parts
        .iter()
        .flat_map(|p| p.lessons.iter())
        .find_map(|slug| lib.lesson(slug))
        .map(|l| (format!("/lesson/{}", l.slug), l.front.title.clone()));
    view! {
        <div class="home">
            <section class="hero">
                <h1>"Generative models, from the objective up"</h1>
                <p>"GANs, VAEs, normalizing flows and diffusion models: read a lesson, play with a model that trains live in your browser, then test yourself."</p>
                <p><a class="button" href="/study">"Study the cards"</a></p>
                <ContinueBox first_lesson=first_lesson />
            </section>
            {parts}
        </div>
    }
}
