//! Learn: adaptive rounds moving each card from multiple choice to true/false to a typed
//! answer. Shows which key points a typed answer hit and missed, with an "I was right" override.

use super::question::{Feedback, QuestionBody};
use super::{fresh_seed, now_ms, use_progress};
use crate::library::library;
use gentutor_study::display;
use gentutor_study::learn::{LearnFeedback, LearnSession};
use gentutor_study::questions::{Answer, Question};
use leptos::prelude::*;

/// Where the session is.
#[derive(Debug, Clone, PartialEq)]
enum Phase {
    /// Not started: choose the cards.
    Setup,
    /// A question is open.
    Asking(Question),
    /// The last question was answered (with what the learner gave, kept in view).
    Answered(Question, LearnFeedback, Answer),
    /// The round is over: `(correct, asked)`.
    RoundOver(usize, usize),
    /// Every card of the session is learned.
    Complete,
}

/// The Learn mode.
#[component]
pub fn Learn() -> impl IntoView {
    let store = use_progress();
    let lib = library();
    let session = StoredValue::new(None::<LearnSession>);
    let phase = RwSignal::new(Phase::Setup);
    let scope = RwSignal::new(String::from("all"));
    let error = RwSignal::new(None::<String>);

    let ask_next = move || {
        let q = store.with_untracked(|p| {
            session
                .try_update_value(|s| s.as_mut().and_then(|s| s.next_question(&lib.cards, p)))
                .flatten()
        });
        match q {
            Some(q) => phase.set(Phase::Asking(q)),
            None => {
                let (c, n) = session
                    .with_value(|s| s.as_ref().map(LearnSession::round_score))
                    .unwrap_or((0, 0));
                phase.set(Phase::RoundOver(c, n));
            }
        }
    };
    let start_round = move || {
        let ids = store
            .update(|p| {
                session
                    .try_update_value(|s| s.as_mut().map(|s| s.start_round(p)))
                    .flatten()
            })
            .flatten()
            .unwrap_or_default();
        if ids.is_empty() {
            phase.set(Phase::Complete);
        } else {
            ask_next();
        }
    };
    let start = move || {
        let pick = scope.get_untracked();
        let pool: Vec<u32> = lib
            .cards
            .iter()
            .filter(|c| pick == "all" || c.lesson_slug() == pick)
            .map(|c| c.id)
            .collect();
        match LearnSession::new(&lib.cards, &pool, fresh_seed()) {
            Ok(s) => {
                session.set_value(Some(s));
                error.set(None);
                start_round();
            }
            Err(e) => error.set(Some(e.to_string())),
        }
    };
    let answer = Callback::new(move |a: Answer| {
        let Phase::Asking(q) = phase.get_untracked() else {
            return;
        };
        let t = now_ms();
        let fb = store
            .update(|p| {
                session
                    .try_update_value(|s| s.as_mut().and_then(|s| s.answer(&lib.cards, p, &a, t)))
                    .flatten()
            })
            .flatten();
        if let Some(fb) = fb {
            phase.set(Phase::Answered(q, fb, a));
        }
    });
    let override_last = move || {
        let Phase::Answered(q, _, a) = phase.get_untracked() else {
            return;
        };
        let fb = store
            .update(|p| {
                session
                    .try_update_value(|s| s.as_mut().and_then(|s| s.override_last(p)))
                    .flatten()
            })
            .flatten();
        // The whole feedback is redrawn from the engine's corrected version.
        if let Some(fb) = fb {
            phase.set(Phase::Answered(q, fb, a));
        }
    };

    let counts = move || store.with(|p| session.with_value(|s| s.as_ref().map(|s| s.counts(p))));
    let stage_bar = move || {
        // Re-read on every phase change (the session is not reactive by itself).
        phase.track();
        counts().map(|c| {
            view! {
                <div class="stage-counts" data-testid="learn-counts">
                    <span>"Multiple choice "<strong>{c.multiple_choice}</strong></span>
                    <span>"True/false "<strong>{c.true_false}</strong></span>
                    <span>"Typed "<strong>{c.typed}</strong></span>
                    <span>"Learned "<strong data-testid="learn-learned">{c.learned}</strong></span>
                </div>
            }
        })
    };
    let round = move || {
        phase.track();
        session.with_value(|s| s.as_ref().map(LearnSession::round).unwrap_or(0))
    };
    // Built on demand: views are not `Clone` when components are type-erased.
    let lesson_options = || {
        super::lessons_with_cards()
            .into_iter()
            .map(|(slug, title)| view! { <option value=slug>{title}</option> })
            .collect_view()
    };

    let body = move || {
        match phase.get() {
        Phase::Setup => view! {
            <div class="learn-setup">
                <p>"Each card is asked as multiple choice, then true/false, then as a typed answer, in separate rounds. A card is learned after a right answer at each stage; a wrong answer moves it back one stage and brings it back sooner."</p>
                <label>"Cards: "
                    <select data-testid="learn-scope" prop:value=move || scope.get()
                        on:change=move |ev| scope.set(event_target_value(&ev))>
                        <option value="all">"All lessons"</option>
                        {lesson_options()}
                    </select>
                </label>
                " "
                <button data-testid="learn-start" on:click=move |_| start()>"Start learning"</button>
            </div>
        }
        .into_any(),
        Phase::Asking(q) => {
            let chosen = Signal::derive(|| None::<Answer>);
            view! {
                <QuestionBody question=q on_answer=answer chosen=chosen locked=false testid="learn".to_string() window_keys=true />
            }
            .into_any()
        }
        Phase::Answered(q, fb, given) => {
            let typed = fb.checked.grade.is_some();
            let overridden = fb.overridden;
            let note = display::learn_note(&fb);
            view! {
                <QuestionBody question=q.clone() on_answer=answer chosen=Signal::derive(move || Some(given.clone())) locked=true testid="learn".to_string() />
                <Feedback question=q checked=fb.checked.clone() testid="learn-feedback".to_string() />
                <p class="muted" data-testid="learn-stage">{note}</p>
                <div class="mode-actions">
                    {(typed && (overridden || !fb.checked.correct)).then(|| view! {
                        <button class="secondary" data-testid="learn-override" disabled=overridden
                            on:click=move |_| override_last()>
                            {if overridden { "Counted as right" } else { "I was right" }}
                        </button>
                    })}
                    <button data-testid="learn-continue" autofocus on:click=move |_| ask_next()>"Continue"</button>
                </div>
            }
            .into_any()
        }
        Phase::RoundOver(c, n) => view! {
            <div class="round-over" data-testid="learn-round-over">
                <p>{format!("Round over: {c} of {n} right.")}</p>
                <button data-testid="learn-next-round" on:click=move |_| start_round()>"Next round"</button>
            </div>
        }
        .into_any(),
        Phase::Complete => view! {
            <div class="round-over" data-testid="learn-complete">
                <p>"Every card in this session is learned. Review keeps them fresh."</p>
                <a class="button" href="/study/spaced">"Go to Review"</a>
            </div>
        }
        .into_any(),
    }
    };

    view! {
        <section class="learn" data-testid="learn">
            <div class="mode-bar">
                <span data-testid="learn-round">{move || match round() { 0 => String::new(), r => format!("Round {r}") }}</span>
                {stage_bar}
            </div>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            {body}
        </section>
    }
}
