//! Study-mode component tests in headless Chromium: play Flashcards (clicks and keys), rate a
//! Review card, answer a lesson quiz, and check each recorded answer lands in localStorage.
#![cfg(target_arch = "wasm32")]

use gentutor::content::library;
use gentutor::ui::study::flashcards::Flashcards;
use gentutor::ui::study::spaced::Spaced;
use gentutor::ui::widgets::quiz::Quiz;
use gentutor_study::progress::{Progress, STORAGE_KEY};
use leptos::mount::mount_to;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod common;
use common::{click, container, text, tick};

fn storage() -> web_sys::Storage {
    web_sys::window()
        .expect("window")
        .local_storage()
        .expect("storage access")
        .expect("localStorage")
}

/// The progress saved in localStorage right now.
fn saved() -> Progress {
    let raw = storage().get_item(STORAGE_KEY).expect("read");
    let outcome = Progress::load(raw.as_deref(), 0);
    assert!(outcome.quarantine.is_none(), "saved progress is readable");
    outcome.progress
}

/// Sends a key press to the window, as the page shortcuts see it.
fn press(key: &str) {
    let f = js_sys::Function::new_with_args(
        "k",
        "window.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true }));",
    );
    f.call1(
        &wasm_bindgen::JsValue::NULL,
        &wasm_bindgen::JsValue::from_str(key),
    )
    .expect("dispatch a key");
}

#[wasm_bindgen_test]
async fn flashcards_flip_move_and_star_with_clicks_and_keys() {
    storage().remove_item(STORAGE_KEY).expect("clear");
    let root = container();
    let n = library().cards.len();
    mount_to(root.clone(), || view! { <Flashcards /> }).forget();
    tick().await;
    assert_eq!(text(&root, "[data-testid=fc-counter]"), format!("1/{n}"));
    assert_eq!(text(&root, "[data-testid=fc-side]"), "Question");
    let front = text(&root, "[data-testid=fc-card] .md");
    assert!(!front.is_empty());

    // Click flips; the answer face is different text.
    click(&root, "[data-testid=fc-card]");
    tick().await;
    assert_eq!(text(&root, "[data-testid=fc-side]"), "Answer");
    assert_ne!(text(&root, "[data-testid=fc-card] .md"), front);

    // Next shows the front of card 2; previous wraps back; previous again wraps to the end.
    click(&root, "[data-testid=fc-next]");
    tick().await;
    assert_eq!(text(&root, "[data-testid=fc-counter]"), format!("2/{n}"));
    assert_eq!(text(&root, "[data-testid=fc-side]"), "Question");
    click(&root, "[data-testid=fc-prev]");
    click(&root, "[data-testid=fc-prev]");
    tick().await;
    assert_eq!(text(&root, "[data-testid=fc-counter]"), format!("{n}/{n}"));

    // Keys: Space flips, arrows move.
    press(" ");
    tick().await;
    assert_eq!(text(&root, "[data-testid=fc-side]"), "Answer");
    press("ArrowRight");
    tick().await;
    assert_eq!(text(&root, "[data-testid=fc-counter]"), format!("1/{n}"));
    assert_eq!(text(&root, "[data-testid=fc-side]"), "Question");
    press("ArrowLeft");
    press("ArrowLeft");
    tick().await;
    assert_eq!(
        text(&root, "[data-testid=fc-counter]"),
        format!("{}/{n}", n - 1)
    );

    // Star the current card: saved at once.
    let id = library().cards[n - 2].id;
    assert!(!saved().is_starred(id));
    click(&root, "[data-testid=fc-star]");
    tick().await;
    assert!(saved().is_starred(id), "the star is in localStorage");
    assert!(text(&root, "[data-testid=fc-star]").contains("Starred"));

    // The starred filter leaves one card.
    let select: web_sys::HtmlSelectElement = root
        .query_selector("[data-testid=fc-filter]")
        .expect("q")
        .expect("filter")
        .unchecked_into();
    select.set_value("starred");
    select
        .dispatch_event(&web_sys::Event::new("change").expect("event"))
        .expect("dispatch");
    tick().await;
    assert_eq!(text(&root, "[data-testid=fc-counter]"), "1/1");
}

#[wasm_bindgen_test]
async fn a_review_rating_lands_in_the_review_log_in_local_storage() {
    let root = container();
    mount_to(root.clone(), || view! { <Spaced /> }).forget();
    tick().await;
    let id: u32 = root
        .query_selector("[data-testid=review-card]")
        .expect("q")
        .expect("a card is due")
        .get_attribute("data-card")
        .and_then(|v| v.parse().ok())
        .expect("card id");
    let before = saved().cards.get(&id).map_or(0, |c| c.review_log.len());
    let new_before: usize = text(&root, "[data-testid=due-new]").parse().expect("count");
    assert!(root
        .query_selector("[data-testid=rate-3]")
        .expect("q")
        .is_none());
    click(&root, "[data-testid=review-reveal]");
    tick().await;
    let intervals = root
        .query_selector_all("[data-testid=rate-interval]")
        .expect("q")
        .length();
    assert_eq!(intervals, 4, "four rating buttons with intervals");
    click(&root, "[data-testid=rate-3]");
    tick().await;
    let after = saved();
    let log = &after.cards.get(&id).expect("card saved").review_log;
    assert_eq!(log.len(), before + 1);
    assert!(after.cards[&id].fsrs.is_some());
    let new_after: usize = text(&root, "[data-testid=due-new]").parse().expect("count");
    assert_eq!(
        new_after + 1,
        new_before,
        "the rated new card left the queue"
    );
}

#[wasm_bindgen_test]
async fn a_lesson_quiz_answer_is_checked_by_the_engine_and_saved() {
    let root = container();
    mount_to(root.clone(), || view! { <Quiz card=4 /> }).forget();
    tick().await;
    let before = saved().cards.get(&4).map_or(0, |c| c.quiz_results.len());
    // Card 4 (even) asks its true statement.
    click(&root, "[data-testid=quiz-false]");
    tick().await;
    assert!(text(&root, "[data-testid=quiz-verdict]").contains("Not quite"));
    let p = saved();
    let results = &p.cards.get(&4).expect("saved").quiz_results;
    assert_eq!(results.len(), before + 1);
    assert!(!results[results.len() - 1].correct);
    // A second click re-checks but records nothing more.
    click(&root, "[data-testid=quiz-true]");
    tick().await;
    assert_eq!(text(&root, "[data-testid=quiz-verdict]"), "Correct.");
    assert_eq!(saved().cards[&4].quiz_results.len(), before + 1);
}
