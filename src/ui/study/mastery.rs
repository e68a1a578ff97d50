//! Mastery per lesson and per card, its definition, and the small bar on the home page.

use super::store::{now_ms, use_progress};
use crate::content::library;
use gentutor_study::display;
use gentutor_study::mastery::{
    card_mastery, lesson_mastery, lessons_in_order, MasteryLevel, MASTERY_DEFINITION,
};
use leptos::prelude::*;

fn level_name(l: MasteryLevel) -> &'static str {
    match l {
        MasteryLevel::New => "New",
        MasteryLevel::Learning => "Learning",
        MasteryLevel::Familiar => "Familiar",
        MasteryLevel::Mastered => "Mastered",
    }
}

fn bar(value: f64) -> impl IntoView {
    let pct = display::percent(value);
    view! {
        <span class="bar" aria-hidden="true"><span class="bar-fill" style:width=pct></span></span>
    }
}

/// How mastery is computed (the core's wording, verbatim).
#[component]
pub fn MasteryDefinition() -> impl IntoView {
    let mut intro = Vec::new();
    let mut items = Vec::new();
    let mut outro = Vec::new();
    for line in MASTERY_DEFINITION.lines() {
        if let Some(item) = line.strip_prefix("- ") {
            items.push(item.to_string());
        } else if items.is_empty() {
            intro.push(line.to_string());
        } else {
            outro.push(line.to_string());
        }
    }
    view! {
        <div class="mastery-definition" data-testid="mastery-definition">
            {intro.into_iter().map(|l| view! { <p>{l}</p> }).collect_view()}
            <ul>{items.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
            {outro.into_iter().map(|l| view! { <p>{l}</p> }).collect_view()}
        </div>
    }
}

/// Mastery of every lesson, each with its cards' mastery in a disclosure.
#[component]
pub fn MasteryTable() -> impl IntoView {
    let store = use_progress();
    let lib = library();
    let rows = move || {
        let now = now_ms();
        store.with(|p| {
            let order = super::lessons_with_cards();
            lessons_in_order(&lib.cards, p, order.iter().map(|(slug, _)| slug.as_str()), now)
                .into_iter()
                .map(|lm| {
                    let cards = lib
                        .cards
                        .iter()
                        .filter(|c| c.lesson_slug() == lm.slug)
                        .map(|c| {
                            let m = card_mastery(p, c.id, now);
                            let ev = |x: Option<f64>| x.map_or("–".to_string(), display::percent);
                            view! {
                                <tr data-testid="card-mastery">
                                    <td>{c.id}</td>
                                    <td>{c.term.clone()}</td>
                                    <td>{bar(m.value)}" "{display::percent(m.value)}</td>
                                    <td>{level_name(m.level)}</td>
                                    <td>{ev(m.recall)}</td>
                                    <td>{ev(m.learn)}</td>
                                    <td>{ev(m.results)}</td>
                                </tr>
                            }
                        })
                        .collect_view();
                    let [n, l, f, m] = lm.counts;
                    view! {
                        <details class="mastery-lesson" data-testid="lesson-mastery-row" data-slug=lm.slug.clone()>
                            <summary>
                                <span class="mastery-title">{lib.lesson_title(&lm.slug).to_string()}</span>
                                {bar(lm.value)}
                                <span class="mastery-value" data-testid="lesson-mastery-value">{display::percent(lm.value)}</span>
                                <span class="mastery-level">{level_name(lm.level)}</span>
                                <span class="muted mastery-counts">{format!("{n} new · {l} learning · {f} familiar · {m} mastered")}</span>
                            </summary>
                            <div class="table-scroll">
                                <table class="card-mastery">
                                    <thead><tr><th>"#"</th><th>"Card"</th><th>"Mastery"</th><th>"Level"</th><th title="memory: FSRS recall probability 30 days from now">"R"</th><th title="Learn stage">"L"</th><th title="recent Test and quiz results">"T"</th></tr></thead>
                                    <tbody>{cards}</tbody>
                                </table>
                            </div>
                        </details>
                    }
                })
                .collect_view()
        })
    };
    view! { <div class="mastery-table" data-testid="mastery-table">{rows}</div> }
}

/// The small mastery bar on a lesson card of the home page.
#[component]
pub fn LessonMasteryBar(
    /// The lesson's slug.
    #[prop(into)]
    slug: String,
) -> impl IntoView {
    let store = use_progress();
    let lib = library();
    let m = move || store.with(|p| lesson_mastery(&lib.cards, p, &slug, now_ms()));
    move || {
        m().map(|lm| {
            let label = format!(
                "Mastery {} ({})",
                display::percent(lm.value),
                level_name(lm.level)
            );
            view! {
                <span class="lesson-mastery" data-testid="lesson-mastery">
                    {bar(lm.value)}
                    <span class="lesson-mastery-text">{label}</span>
                </span>
            }
        })
    }
}
