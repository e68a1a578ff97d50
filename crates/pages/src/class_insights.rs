//! The teacher page's sections under the table: the recall grid, self-ratings that disagree
//! with the grader, and the answers students confuse. Thin: the server computes them with
//! `gentutor_study::insights` (tested natively there); this only lays them out.

use crate::library::library;
use gentutor_study::insights::{
    read_response, CardConfusions, RatingCheck, RecallGrid, ResponseText,
};
use leptos::prelude::*;
use serde_json::Value;
use std::collections::BTreeMap;

/// A card's name for the teacher (its term), or "Card N" for a card this build does not have.
fn term(id: u32) -> String {
    library()
        .card(id)
        .map_or_else(|| format!("Card {id}"), |c| c.term.clone())
}

/// The three sections, from the class JSON of `GET /api/class`.
pub fn insights_view(j: &Value) -> impl IntoView {
    let names: BTreeMap<String, String> = j["rows"]
        .as_array()
        .map(|rows| {
            rows.iter()
                .map(|r| {
                    (
                        r["learner_id"].as_str().unwrap_or_default().to_string(),
                        r["name"].as_str().unwrap_or_default().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let name = move |id: &str| names.get(id).cloned().unwrap_or_else(|| "A student".into());
    let grid: RecallGrid = serde_json::from_value(j["grid"].clone()).unwrap_or_default();
    let checks: Vec<RatingCheck> =
        serde_json::from_value(j["disagreements"].clone()).unwrap_or_default();
    let confusions: Vec<CardConfusions> =
        serde_json::from_value(j["confusions"].clone()).unwrap_or_default();
    let studied = !grid.cards.is_empty();
    let grid_view = studied.then(|| grid_section(&grid, &name));
    let checks_view = studied.then(|| disagreements_section(&checks, &name));
    let confusions_view = studied.then(|| confusions_section(&confusions));
    view! { {grid_view}{checks_view}{confusions_view} }
}

fn grid_section(grid: &RecallGrid, name: &dyn Fn(&str) -> String) -> impl IntoView {
    let head = grid
        .cards
        .iter()
        .map(|&id| {
            let t = term(id);
            let title = t.clone();
            view! { <th scope="col" title=title><span class="grid-term">{t}</span></th> }
        })
        .collect_view();
    let body = grid
        .rows
        .iter()
        .map(|row| {
            let cells = row
                .cells
                .iter()
                .map(|c| match c {
                    Some(c) => view! {
                        <td class=format!("lvl-{}", c.level) title=c.describe()>
                            {c.percent()}<span class="sr-only">{format!(", {}", c.describe())}</span>
                        </td>
                    }
                    .into_any(),
                    None => view! {
                        <td class="lvl-none" title="not studied yet">
                            <span aria-hidden="true">"–"</span><span class="sr-only">"not studied yet"</span>
                        </td>
                    }
                    .into_any(),
                })
                .collect_view();
            view! { <tr><th scope="row">{name(&row.learner)}</th>{cells}</tr> }
        })
        .collect_view();
    view! {
        <section data-testid="class-grid">
            <h2 id="class-grid-title">"Recall by student and card"</h2>
            <p class="hint">"Each cell is the student's mastery of that card, the number their own Study page shows; its tooltip adds the level and, once the card was reviewed, the chance they would recall it now. Only cards someone has studied are shown."</p>
            <div class="table-scroll grid-scroll" role="region" aria-labelledby="class-grid-title" tabindex="0">
                <table class="recall-grid" data-testid="recall-grid">
                    <caption class="sr-only">"Mastery per student (rows) and card (columns)"</caption>
                    <thead><tr><th scope="col">"Student"</th>{head}</tr></thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
        </section>
    }
}

fn disagreements_section(checks: &[RatingCheck], name: &dyn Fn(&str) -> String) -> impl IntoView {
    let items = checks
        .iter()
        .map(|c| {
            let mut parts = Vec::new();
            if c.overconfident > 0 {
                parts.push(format!("{} overconfident", c.overconfident));
            }
            if c.underconfident > 0 {
                parts.push(format!("{} underconfident", c.underconfident));
            }
            let count = format!(
                "{} of {} compared rating{}",
                parts.join(" and "),
                c.compared,
                if c.compared == 1 { "" } else { "s" }
            );
            let latest = c
                .latest
                .as_ref()
                .map(|p| format!(" (latest: {})", p.describe()))
                .unwrap_or_default();
            view! {
                <li data-testid="disagreement">
                    <strong>{name(&c.learner)}</strong>" on "<em>{term(c.card)}</em>": "{count}{latest}
                </li>
            }
        })
        .collect_view();
    view! {
        <section data-testid="class-disagreements">
            <h2>"Self-ratings that disagree with the grader"</h2>
            <p class="hint">"Each Spaced-review rating is compared with the student's nearest Learn, Test or Call answer on the same card within a day. Overconfident: rated Good or Easy, but that answer was wrong. Underconfident: rated Again, but that answer was right."</p>
            {if checks.is_empty() {
                view! { <p data-testid="disagreements-none">"None so far: every compared rating agrees with the grader."</p> }.into_any()
            } else {
                view! { <ul class="insight-list">{items}</ul> }.into_any()
            }}
        </section>
    }
}

fn confusions_section(cards: &[CardConfusions]) -> impl IntoView {
    let lib = library();
    let items = cards
        .iter()
        .map(|c| {
            let html = lib.card_html(c.card);
            let answers = c
                .top
                .iter()
                .map(|a| {
                    let what = match read_response(a.question, &a.response) {
                        ResponseText::Distractor(i) => {
                            match html.and_then(|h| h.distractors.get(i)) {
                                Some(h) => view! { <span class="md" inner_html=h.clone()></span> }
                                    .into_any(),
                                None => view! { <span>{format!("option {}", a.response)}</span> }
                                    .into_any(),
                            }
                        }
                        ResponseText::RightOption => {
                            view! { <span>"the right option (under an older version of the card)"</span> }
                                .into_any()
                        }
                        ResponseText::TrueToFalseStatement => view! {
                            <span>"“True” to the false statement: "
                                <span class="md" inner_html=html.map(|h| h.false_statement.clone()).unwrap_or_default()></span>
                            </span>
                        }
                        .into_any(),
                        ResponseText::FalseToTrueStatement => view! {
                            <span>"“False” to the true statement: "
                                <span class="md" inner_html=html.map(|h| h.true_statement.clone()).unwrap_or_default()></span>
                            </span>
                        }
                        .into_any(),
                        ResponseText::Term(t) => view! { <span>"the term “"{t}"”"</span> }.into_any(),
                        ResponseText::Typed(t) => {
                            view! { <q class="typed-answer">{t}</q> }.into_any()
                        }
                    };
                    let times = format!(
                        " — {} time{} by {} student{}",
                        a.count,
                        if a.count == 1 { "" } else { "s" },
                        a.learners,
                        if a.learners == 1 { "" } else { "s" }
                    );
                    view! { <li>{what}<span class="confusion-count">{times}</span></li> }
                })
                .collect_view();
            view! {
                <li data-testid="confusion-card">
                    <strong>{term(c.card)}</strong>
                    {format!(" ({} wrong answer{} recorded)", c.wrong, if c.wrong == 1 { "" } else { "s" })}
                    <ol>{answers}</ol>
                </li>
            }
        })
        .collect_view();
    view! {
        <section data-testid="class-confusions">
            <h2>"Answers students confuse"</h2>
            <p class="hint">"The wrong answers given most often on each card: the option picked, or the words typed (grouped ignoring case and spacing). Only you see these; no student sees another's answers."</p>
            {if cards.is_empty() {
                view! { <p data-testid="confusions-none">"No wrong answers recorded yet."</p> }.into_any()
            } else {
                view! { <ul class="insight-list">{items}</ul> }.into_any()
            }}
        </section>
    }
}
