//! A quiz on one card, embedded in a lesson: answer a true/false statement, then see the answer.

use crate::core::content::library;
use leptos::prelude::*;

/// Quiz widget for card `card`.
#[component]
pub fn Quiz(
    /// Seed card id (1-37).
    card: u32,
) -> impl IntoView {
    let Some(h) = library().card_html(card) else {
        return view! { <p class="quiz-missing">{format!("Quiz card {card} is missing.")}</p> }
            .into_any();
    };
    // Alternate which statement is asked so both get used across cards; the id makes it stable.
    let (statement, is_true) = if card.is_multiple_of(2) {
        (h.true_statement.clone(), true)
    } else {
        (h.false_statement.clone(), false)
    };
    let (answer, set_answer) = signal(None::<bool>);
    let (revealed, set_revealed) = signal(false);
    let verdict = move || {
        answer.get().map(|a| {
            if a == is_true {
                view! { <p class="verdict ok" data-testid="quiz-verdict">"Correct."</p> }.into_any()
            } else {
                view! { <p class="verdict wrong" data-testid="quiz-verdict">{format!("Not quite: the statement is {}.", if is_true { "true" } else { "false" })}</p> }.into_any()
            }
        })
    };
    let back = h.back.clone();
    view! {
        <aside class="quiz" data-testid="quiz">
            <p class="quiz-label">{format!("Check yourself · card {card}")}</p>
            <super::Html html=h.front.clone() class="quiz-front" />
            <p class="quiz-q">"True or false?"</p>
            <super::Html html=statement class="quiz-statement" />
            <div class="quiz-actions">
                <button on:click=move |_| set_answer.set(Some(true)) data-testid="quiz-true">"True"</button>
                <button on:click=move |_| set_answer.set(Some(false)) data-testid="quiz-false">"False"</button>
                <button class="secondary" on:click=move |_| set_revealed.update(|r| *r = !*r) data-testid="quiz-reveal">
                    {move || if revealed.get() { "Hide answer" } else { "Show answer" }}
                </button>
            </div>
            {verdict}
            <Show when=move || revealed.get()>
                <super::Html html=back.clone() class="quiz-back" />
            </Show>
        </aside>
    }
    .into_any()
}
