//! Test: the learner picks how many questions, which types and which tags; then a scored report
//! per question and per tag, with the right answers and links to the lesson sections.

use super::question::{Feedback, QuestionBody};
use super::Html;
use super::{fresh_seed, now_ms, use_progress};
use crate::library::library;
use gentutor_study::display;
use gentutor_study::questions::{Answer, QuestionKind};
use gentutor_study::session::override_test_result;
use gentutor_study::test_mode::{build_test, grade_test, TestConfig, TestPaper, TestReport};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

fn kind_id(k: QuestionKind) -> &'static str {
    match k {
        QuestionKind::MultipleChoice => "mc",
        QuestionKind::TrueFalse => "tf",
        QuestionKind::Typed => "typed",
        QuestionKind::Matching => "matching",
    }
}

/// The Test mode.
#[component]
pub fn TestMode() -> impl IntoView {
    let store = use_progress();
    let lib = library();
    let count = RwSignal::new(10usize);
    let kinds = RwSignal::new(QuestionKind::ALL.to_vec());
    let tags = RwSignal::new(Vec::<String>::new());
    let error = RwSignal::new(None::<String>);
    let paper = RwSignal::new(None::<TestPaper>);
    let answers = RwSignal::new(Vec::<Option<Answer>>::new());
    let report = RwSignal::new(None::<(TestReport, i64)>);
    // How long grading the paper took (ms) and how many typed answers it graded: read by the
    // grading-time bench (`cargo run -p gentutor-e2e --bin grading_bench`).
    let grade_time = RwSignal::new((0.0f64, 0usize));
    // The warning shown when Finish is pressed with questions left open.
    let confirm = RwSignal::new(None::<String>);

    let start = move || {
        let config = TestConfig {
            count: count.get_untracked(),
            kinds: kinds.get_untracked(),
            tags: tags.get_untracked(),
        };
        match build_test(&lib.cards, &config, fresh_seed()) {
            Ok(p) => {
                answers.set(vec![None; p.questions.len()]);
                confirm.set(None);
                paper.set(Some(p));
                report.set(None);
                error.set(None);
            }
            Err(e) => error.set(Some(e.to_string())),
        }
    };
    let submit = move || {
        let Some(p) = paper.get_untracked() else {
            return;
        };
        confirm.set(None);
        let typed = p
            .questions
            .iter()
            .filter(|q| q.kind() == QuestionKind::Typed)
            .count();
        let started = perf_now();
        let r = grade_test(&lib.cards, &p, &answers.get_untracked());
        grade_time.set((perf_now() - started, typed));
        let t = now_ms();
        store.update(|prog| r.record_into(prog, t));
        report.set(Some((r, t)));
        paper.set(None);
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("main"))
        {
            el.scroll_into_view();
        }
    };
    // Finish: scores at once when everything is answered, otherwise asks first.
    let finish = move || {
        let warning = paper.with_untracked(|p| {
            p.as_ref()
                .and_then(|p| answers.with_untracked(|a| p.unanswered_warning(a)))
        });
        match warning {
            Some(w) => confirm.set(Some(w)),
            None => submit(),
        }
    };
    let override_item = move |i: usize| {
        let Some((mut r, t)) = report.get_untracked() else {
            return;
        };
        if r.override_item(i) {
            if let Some(item) = r.items.get(i) {
                let (id, kind) = (item.question.card_id(), item.question.kind());
                store.update(|p| override_test_result(p, id, kind, t));
            }
            report.set(Some((r, t)));
        }
    };

    let kind_boxes = QuestionKind::ALL
        .into_iter()
        .map(|k| {
            let on = move || kinds.with(|v| v.contains(&k));
            view! {
                <label class="check">
                    <input type="checkbox" data-testid=format!("test-kind-{}", kind_id(k)) prop:checked=on
                        on:change=move |ev| {
                            let checked = event_target_checked(&ev);
                            kinds.update(|v| {
                                v.retain(|x| *x != k);
                                if checked { v.push(k); }
                            });
                        } />
                    {display::kind_label(k)}
                </label>
            }
        })
        .collect_view();
    let tag_boxes = super::all_tags()
        .into_iter()
        .map(|t| {
            let t2 = t.clone();
            let t3 = t.clone();
            view! {
                <label class="check tag-check">
                    <input type="checkbox" data-testid=format!("test-tag-{t}")
                        prop:checked=move || tags.with(|v| v.contains(&t2))
                        on:change=move |ev| {
                            let checked = event_target_checked(&ev);
                            let t = t3.clone();
                            tags.update(|v| {
                                v.retain(|x| *x != t);
                                if checked { v.push(t); }
                            });
                        } />
                    {t.clone()}
                </label>
            }
        })
        .collect_view();
    let setup = view! {
        <form class="test-setup" data-testid="test-setup" on:submit=move |ev| { ev.prevent_default(); start(); }>
            <label>"Questions: "
                <input type="number" min="1" max=lib.cards.len() data-testid="test-count"
                    prop:value=move || count.get().to_string()
                    on:input=move |ev| {
                        if let Ok(n) = event_target_value(&ev).trim().parse::<usize>() {
                            count.set(n.clamp(1, lib.cards.len().max(1)));
                        }
                    } />
            </label>
            <fieldset><legend>"Question types"</legend>{kind_boxes}</fieldset>
            <fieldset><legend>"Tags (none ticked = all cards)"</legend><div class="tag-boxes">{tag_boxes}</div></fieldset>
            <button type="submit" data-testid="test-start">"Start the test"</button>
        </form>
    };

    let paper_view = move || {
        let p = paper.get()?;
        let n = p.questions.len();
        let shortfall = p.shortfall_note().map(|note| {
            view! { <p class="notice-inline" role="status" data-testid="test-shortfall">{note}</p> }
        });
        let items = p
            .questions
            .into_iter()
            .enumerate()
            .map(|(i, q)| {
                let chosen = Signal::derive(move || answers.with(|a| a.get(i).cloned().flatten()));
                let on_answer = Callback::new(move |a: Answer| {
                    answers.update(|v| {
                        if let Some(slot) = v.get_mut(i) {
                            *slot = Some(a);
                        }
                    })
                });
                view! {
                    <li class="test-question" data-testid="test-question">
                        <p class="muted">{format!("Question {} of {n}", i + 1)}</p>
                        <QuestionBody question=q on_answer=on_answer chosen=chosen locked=false typed_live=true testid=format!("test-{i}") />
                    </li>
                }
            })
            .collect_view();
        let answered = move || answers.with(|a| a.iter().filter(|x| x.is_some()).count());
        Some(view! {
            <div class="test-paper" data-testid="test-paper">
                {shortfall}
                <ol class="plain">{items}</ol>
                <p>{move || format!("{} of {n} answered.", answered())}</p>
                {move || confirm.get().map(|w| view! {
                    <div class="notice-inline" role="alert" data-testid="test-unanswered">
                        <p>{w}</p>
                        <div class="mode-actions">
                            <button data-testid="test-submit-anyway" on:click=move |_| submit()>"Finish anyway"</button>
                            <button class="secondary" data-testid="test-keep-going" on:click=move |_| confirm.set(None)>"Keep answering"</button>
                        </div>
                    </div>
                })}
                <button data-testid="test-submit" on:click=move |_| finish()>"Finish and score"</button>
            </div>
        })
    };

    let report_view = move || {
        let (r, _) = report.get()?;
        let per_tag = r
            .per_tag
            .iter()
            .map(|(tag, s)| {
                view! {
                    <tr data-testid="test-tag-row">
                        <td>{tag.clone()}</td>
                        <td>{format!("{}/{}", s.correct, s.total)}</td>
                        <td>{display::percent(s.score)}</td>
                    </tr>
                }
            })
            .collect_view();
        let items = r
            .items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let can_override = item.question.kind() == QuestionKind::Typed && !item.checked.correct;
                let slug = item.lesson.split('#').next().unwrap_or("").to_string();
                let given = if item.checked.given.is_empty() {
                    "<p>(no answer)</p>".to_string()
                } else {
                    match (item.question.kind(), lib.card(item.question.card_id()), lib.card_html(item.question.card_id())) {
                        (QuestionKind::MultipleChoice, Some(c), Some(h)) => display::answer_html(c, h, &item.checked.given),
                        _ => format!("<p>{}</p>", display::escape_html(&item.checked.given)),
                    }
                };
                view! {
                    <li class="test-item" class:ok=item.checked.correct class:wrong=!item.checked.correct data-testid="test-item">
                        <p class="muted">{format!("{}. {}", i + 1, display::kind_label(item.question.kind()))}</p>
                        <div class="given"><p class="right-label">"Your answer:"</p><Html html=given class="given-answer" /></div>
                        <Feedback question=item.question.clone() checked=item.checked.clone() testid=format!("test-feedback-{i}") />
                        <p class="lesson-link">
                            <a href=display::lesson_href(&item.lesson) data-testid="test-lesson-link">
                                {format!("Revisit: {}", lib.lesson_title(&slug))}
                            </a>
                        </p>
                        {can_override.then(|| view! {
                            <button class="secondary" data-testid=format!("test-override-{i}") on:click=move |_| override_item(i)>"I was right"</button>
                        })}
                    </li>
                }
            })
            .collect_view();
        Some(view! {
            <div class="test-report" data-testid="test-report"
                data-grade-ms=move || format!("{:.3}", grade_time.get().0)
                data-graded-typed=move || grade_time.get().1.to_string()>
                <h2>"Your result"</h2>
                <p class="score" data-testid="test-score">{format!("{} of {} right ({})", r.correct, r.total, display::percent(r.score))}</p>
                <table class="tag-table">
                    <thead><tr><th>"Tag"</th><th>"Right"</th><th>"Score"</th></tr></thead>
                    <tbody>{per_tag}</tbody>
                </table>
                <ol class="plain">{items}</ol>
                <button data-testid="test-again" on:click=move |_| { report.set(None); }>"New test"</button>
            </div>
        })
    };

    view! {
        <section class="test-mode" data-testid="test-mode">
            {move || error.get().map(|e| view! { <p class="error" role="alert" data-testid="test-error">{e}</p> })}
            <div hidden=move || paper.with(Option::is_some) || report.with(Option::is_some)>{setup}</div>
            {paper_view}
            {report_view}
        </section>
    }
}

/// `performance.now()` in ms (sub-millisecond, unlike `Date.now()`), 0 when unavailable.
fn perf_now() -> f64 {
    js_sys::Reflect::get(&js_sys::global(), &"performance".into())
        .ok()
        .and_then(|p| {
            let now = js_sys::Reflect::get(&p, &"now".into()).ok()?;
            let f: js_sys::Function = now.dyn_into().ok()?;
            f.call0(&p).ok()?.as_f64()
        })
        .unwrap_or(0.0)
}
