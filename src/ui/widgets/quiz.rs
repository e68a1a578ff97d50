//! A quiz on one card, embedded in a lesson: answer a true/false statement, then see the answer.
//! Checked by the study engine (`LessonQuiz::pick`: the true/false part of `check_answer`, so
//! the typed-answer grader stays out of the first load) and recorded in the shared progress with
//! the learner's pick as its response, so lesson quizzes count towards mastery like Test answers
//! and the class event says what was answered.

use crate::content::library;
use crate::ui::study::store::{now_ms, use_progress};
use gentutor_study::questions::Question;
use gentutor_study::session::LessonQuiz;
use leptos::prelude::*;

/// Quiz widget for card `card`.
#[component]
pub fn Quiz(
    /// Seed card id (1-37).
    card: u32,
) -> impl IntoView {
    let lib = library();
    let (Some(c), Some(h)) = (lib.card(card), lib.card_html(card)) else {
        return view! { <p class="quiz-missing">{format!("Quiz card {card} is missing.")}</p> }
            .into_any();
    };
    let store = use_progress();
    // Alternate which statement is asked so both get used across cards; the id makes it stable.
    let is_true = card.is_multiple_of(2);
    let question = Question::TrueFalse {
        card_id: card,
        statement: if is_true {
            c.true_statement.clone()
        } else {
            c.false_statement.clone()
        },
        is_true,
    };
    let statement = if is_true {
        h.true_statement.clone()
    } else {
        h.false_statement.clone()
    };
    let (revealed, set_revealed) = signal(false);
    // Only the first answer on this page view is recorded (later clicks just re-check), and
    // the engine's words say which one counts.
    let quiz = RwSignal::new(LessonQuiz::default());
    let last_right = RwSignal::new(None::<bool>);
    let card_data = c.clone();
    let choose = move |b: bool| {
        let mut q = quiz.get_untracked();
        let (right, record) = q.pick(&card_data, &question, b);
        if let Some(record) = record {
            let t = now_ms();
            store.update(|p| record.record_into(p, t));
        }
        quiz.set(q);
        last_right.set(Some(right));
    };
    let verdict = move || {
        let text = quiz.with(|q| q.verdict(is_true))?;
        let ok = last_right.get() == Some(true);
        Some(view! {
            <p class="verdict" class:ok=ok class:wrong=!ok data-testid="quiz-verdict" role="status">{text}</p>
        })
    };
    let back = h.back.clone();
    let choose_t = choose.clone();
    view! {
        <aside class="quiz" data-testid="quiz">
            <p class="quiz-label">{format!("Check yourself · card {card}")}</p>
            <super::Html html=h.front.clone() class="quiz-front" />
            <p class="quiz-q">"True or false?"</p>
            <super::Html html=statement class="quiz-statement" />
            <div class="quiz-actions">
                <button on:click=move |_| choose_t(true) data-testid="quiz-true">"True"</button>
                <button on:click=move |_| choose(false) data-testid="quiz-false">"False"</button>
                <button class="secondary" on:click=move |_| set_revealed.update(|r| *r = !*r) data-testid="quiz-reveal">
                    {move || if revealed.get() { "Hide answer" } else { "Show answer" }}
                </button>
            </div>
            {verdict}
            <Show when=move || revealed.get()>
                <super::Html html=back.clone() class="quiz-back" />
            </Show>
            <p class="quiz-note"><a href="/study" data-testid="quiz-note">{move || quiz.with(LessonQuiz::note)}</a></p>
        </aside>
    }
    .into_any()
}
