//! One question (Learn and Test): the prompt and the answer controls, and the feedback after.

use super::Html;
use crate::grade_view::GradeDetails;
use crate::library::library;
use gentutor_study::display;
use gentutor_study::questions::{Answer, Checked, Question};
use gentutor_web::keys::ignore_shortcut;
use leptos::prelude::*;

/// The prompt and the answer controls of `question`.
#[component]
pub fn QuestionBody(
    /// The question to show.
    question: Question,
    /// Called with the learner's answer (a click on an option, True/False, or the typed text).
    on_answer: Callback<Answer>,
    /// The answer chosen so far (highlights it; Test mode lets the learner change it).
    #[prop(into)]
    chosen: Signal<Option<Answer>>,
    /// Disables the controls (after answering in Learn mode).
    #[prop(into)]
    locked: Signal<bool>,
    /// Typed answers are reported on every keystroke (Test) rather than with a Check button
    /// (Learn).
    #[prop(optional)]
    typed_live: bool,
    /// Prefix of the controls' `data-testid`s (`learn`, `test-3`).
    testid: String,
    /// Number keys 1-4 answer anywhere on the page (Learn, one question at a time); otherwise
    /// only while focus is inside this question (Test, several questions on a page).
    #[prop(optional)]
    window_keys: bool,
) -> impl IntoView {
    let lib = library();
    let (Some(card), Some(html)) = (
        lib.card(question.card_id()),
        lib.card_html(question.card_id()),
    ) else {
        return view! { <p class="error">"This card is missing from the deck."</p> }.into_any();
    };
    let prompt = display::prompt_html(&question, html);
    let keyed = question.clone();
    let on_key = move |ev: &web_sys::KeyboardEvent| {
        if locked.get_untracked() || ignore_shortcut(ev) {
            return;
        }
        if let Some(a) = keyed.answer_for_key(&ev.key()) {
            ev.prevent_default();
            on_answer.run(a);
        }
    };
    if window_keys {
        let on_key = on_key.clone();
        let handle = window_event_listener(leptos::ev::keydown, move |ev| on_key(&ev));
        on_cleanup(move || handle.remove());
    }
    let ask = match &question {
        Question::MultipleChoice { .. } => "Choose the right answer (keys 1-4).",
        Question::TrueFalse { .. } => "True or false? (keys 1 and 2)",
        Question::Typed { .. } => "Answer in your own words.",
        Question::Matching { .. } => "Which term has this definition? (keys 1-4)",
    };
    let controls = match &question {
        Question::MultipleChoice { .. } | Question::Matching { .. } => {
            let options = display::options_html(&question, card, html);
            options
                .into_iter()
                .enumerate()
                .map(|(i, face)| {
                    let picked = move || chosen.get() == Some(Answer::Choice(i));
                    view! {
                        <button class="option" class:picked=picked aria-pressed=move || picked().to_string()
                            disabled=move || locked.get()
                            data-testid=format!("{testid}-option-{i}")
                            on:click=move |_| on_answer.run(Answer::Choice(i))>
                            <span class="option-key">{i + 1}</span>
                            <Html html=face class="option-face" />
                        </button>
                    }
                })
                .collect_view()
                .into_any()
        }
        Question::TrueFalse { .. } => {
            let tf = move |b: bool, label: &'static str, id: String| {
                let picked = move || chosen.get() == Some(Answer::TrueFalse(b));
                view! {
                    <button class="option tf" class:picked=picked aria-pressed=move || picked().to_string()
                        disabled=move || locked.get() data-testid=id
                        on:click=move |_| on_answer.run(Answer::TrueFalse(b))>
                        <span class="option-key">{if b { 1 } else { 2 }}</span>{label}
                    </button>
                }
            };
            view! {
                <div class="tf-row">
                    {tf(true, "True", format!("{testid}-true"))}
                    {tf(false, "False", format!("{testid}-false"))}
                </div>
            }
            .into_any()
        }
        Question::Typed { .. } => {
            // Starts from the answer given, so it stays readable next to the feedback.
            let text = RwSignal::new(match chosen.get_untracked() {
                Some(Answer::Text(t)) => t,
                _ => String::new(),
            });
            let submit = move || on_answer.run(Answer::Text(text.get_untracked()));
            let check = (!typed_live).then(|| {
                view! {
                    <button disabled=move || locked.get() data-testid=format!("{testid}-submit")
                        on:click=move |_| submit()>"Check"</button>
                }
            });
            view! {
                <label class="typed">
                    <span class="sr-only">"Your answer"</span>
                    <textarea rows="3" prop:value=move || text.get() disabled=move || locked.get()
                        data-testid=format!("{testid}-typed")
                        placeholder="Type your answer (Ctrl+Enter to check)"
                        on:input=move |ev| {
                            text.set(event_target_value(&ev));
                            if typed_live {
                                on_answer.run(Answer::Text(text.get_untracked()));
                            }
                        }
                        on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                            if !typed_live && ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) {
                                ev.prevent_default();
                                submit();
                            }
                        }></textarea>
                </label>
                {check}
            }
            .into_any()
        }
    };
    view! {
        <div class="question" data-kind=display::kind_label(question.kind())
            on:keydown=move |ev| if !window_keys { on_key(&ev) }>
            <p class="question-kind">{display::kind_label(question.kind())}</p>
            <Html html=prompt class="question-prompt" />
            <p class="question-ask">{ask}</p>
            <div class="options">{controls}</div>
        </div>
    }
    .into_any()
}

/// Right or wrong, the right answer, and for typed answers the key points found and missed.
#[component]
pub fn Feedback(
    /// The question answered.
    question: Question,
    /// The checked answer.
    checked: Checked,
    /// `data-testid` of the feedback box.
    testid: String,
) -> impl IntoView {
    let lib = library();
    let (Some(card), Some(html)) = (
        lib.card(question.card_id()),
        lib.card_html(question.card_id()),
    ) else {
        return ().into_any();
    };
    let right = display::right_answer_html(&question, html);
    let details = checked.grade.as_ref().map(|g| {
        view! {
            <GradeDetails lines=display::key_point_lines(card, g)
                misconception=display::misconception_note(g) />
        }
    });
    let verdict = display::verdict(&checked);
    view! {
        <div class="feedback" class:ok=checked.correct class:wrong=!checked.correct data-testid=testid>
            <p class="verdict">{verdict}</p>
            {details}
            <p class="right-label">"The answer:"</p>
            <Html html=right class="right-answer" />
        </div>
    }
    .into_any()
}
