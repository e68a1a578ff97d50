//! Study-mode component tests in headless Chromium: play Flashcards (clicks and keys), rate a
//! Review card, answer a lesson quiz, and check each recorded answer lands in localStorage.
#![cfg(target_arch = "wasm32")]

use gentutor::content::library;
use gentutor::ui::study::spaced::Spaced;
use gentutor::ui::widgets::quiz::Quiz;
use gentutor_study::learn::LearnStage;
use gentutor_study::progress::{Progress, STORAGE_KEY};
use leptos::mount::mount_to;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod common;
use common::{click, container, text, tick};

/// The lazily loaded module's copy of the lessons (the pages there read their own library).
fn install_module_content() {
    gentutor_pages::library::install(include_bytes!(concat!(env!("OUT_DIR"), "/content.bin")))
        .expect("this build's content decodes in the module");
}

/// A study mode of the lazily loaded module (Flashcards, Learn, Test, Matching), wired to the
/// app's progress store through the same bridge the app gives the module in the browser (both
/// sides live in this one test binary), so what a page saves lands in the app's localStorage.
fn page(what: &'static str) -> AnyView {
    install_module_content();
    let store = gentutor::ui::study::use_progress();
    let app = gentutor_pages::AppBridge::new(gentutor::ui::widgets::lazy_page::app_bridge(store));
    gentutor_pages::page_view(what, String::new(), app)
}

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
    press_with(key, false);
}

/// Sends a key press to the window, with Ctrl held if `ctrl`.
fn press_with(key: &str, ctrl: bool) {
    let f = js_sys::Function::new_with_args(
        "k, c",
        "window.dispatchEvent(new KeyboardEvent('keydown', { key: k, ctrlKey: c, bubbles: true, cancelable: true }));",
    );
    f.call2(
        &wasm_bindgen::JsValue::NULL,
        &wasm_bindgen::JsValue::from_str(key),
        &wasm_bindgen::JsValue::from_bool(ctrl),
    )
    .expect("dispatch a key");
}

/// Saves `p` as the learner's progress (before mounting a component, which loads it).
fn save(p: &Progress) {
    storage()
        .set_item(STORAGE_KEY, &p.to_json().expect("json"))
        .expect("write");
}

/// Sets a form control's value and sends `change`, as a learner's edit does.
fn set_value(root: &web_sys::HtmlElement, css: &str, value: &str) {
    let el = root
        .query_selector(css)
        .expect("q")
        .unwrap_or_else(|| panic!("no {css}"));
    if let Some(i) = el.dyn_ref::<web_sys::HtmlInputElement>() {
        i.set_value(value);
    } else if let Some(s) = el.dyn_ref::<web_sys::HtmlSelectElement>() {
        s.set_value(value);
    }
    el.dispatch_event(&web_sys::Event::new("change").expect("event"))
        .expect("dispatch");
}

/// Sends a key press to the element `css` (it bubbles up from there).
fn press_on(root: &web_sys::HtmlElement, css: &str, key: &str) {
    let el = root
        .query_selector(css)
        .expect("q")
        .unwrap_or_else(|| panic!("no {css}"));
    let f = js_sys::Function::new_with_args(
        "el, k",
        "el.focus(); el.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true }));",
    );
    f.call2(
        &wasm_bindgen::JsValue::NULL,
        &el,
        &wasm_bindgen::JsValue::from_str(key),
    )
    .expect("dispatch a key");
}

/// Types `value` into the text field `css` (sets it and sends `input`).
fn type_into(root: &web_sys::HtmlElement, css: &str, value: &str) {
    let el = root
        .query_selector(css)
        .expect("q")
        .unwrap_or_else(|| panic!("no {css}"));
    let f = js_sys::Function::new_with_args(
        "el, v",
        "el.value = v; el.dispatchEvent(new Event('input', { bubbles: true }));",
    );
    f.call2(
        &wasm_bindgen::JsValue::NULL,
        &el,
        &wasm_bindgen::JsValue::from_str(value),
    )
    .expect("type");
}

/// The `value` of a form field.
fn value_of(root: &web_sys::HtmlElement, css: &str) -> String {
    let el = root
        .query_selector(css)
        .expect("q")
        .unwrap_or_else(|| panic!("no {css}"));
    js_sys::Reflect::get(&el, &wasm_bindgen::JsValue::from_str("value"))
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

fn attr(root: &web_sys::HtmlElement, css: &str, name: &str) -> Option<String> {
    root.query_selector(css)
        .expect("q")
        .and_then(|e| e.get_attribute(name))
}

fn exists(root: &web_sys::HtmlElement, css: &str) -> bool {
    root.query_selector(css).expect("q").is_some()
}

fn shown_card(root: &web_sys::HtmlElement) -> Option<u32> {
    root.query_selector("[data-testid=review-card]")
        .expect("q")
        .and_then(|e| e.get_attribute("data-card"))
        .and_then(|v| v.parse().ok())
}

#[wasm_bindgen_test]
async fn flashcards_flip_move_and_star_with_clicks_and_keys() {
    storage().remove_item(STORAGE_KEY).expect("clear");
    let root = container();
    let n = library().cards.len();
    let mounted = mount_to(root.clone(), || page("flashcards"));
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

    // Next shows the front of card 2; previous goes back; previous on card 1 stays there.
    click(&root, "[data-testid=fc-next]");
    tick().await;
    assert_eq!(text(&root, "[data-testid=fc-counter]"), format!("2/{n}"));
    assert_eq!(text(&root, "[data-testid=fc-side]"), "Question");
    click(&root, "[data-testid=fc-prev]");
    click(&root, "[data-testid=fc-prev]");
    tick().await;
    assert_eq!(text(&root, "[data-testid=fc-counter]"), format!("1/{n}"));

    // Keys: Space flips, arrows move.
    press(" ");
    tick().await;
    assert_eq!(text(&root, "[data-testid=fc-side]"), "Answer");
    press("ArrowRight");
    tick().await;
    assert_eq!(text(&root, "[data-testid=fc-counter]"), format!("2/{n}"));
    assert_eq!(text(&root, "[data-testid=fc-side]"), "Question");
    for _ in 0..n - 3 {
        press("ArrowRight");
    }
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
    drop(mounted);
}

#[wasm_bindgen_test]
async fn flashcards_end_with_a_summary_and_explain_an_empty_starred_deck() {
    save(&Progress::fresh());
    let root = container();
    let n = library().cards.len();
    let mounted = mount_to(root.clone(), || page("flashcards"));
    tick().await;
    // The card's accessible name is its content (the question), not a label over it.
    assert_eq!(attr(&root, "[data-testid=fc-card]", "aria-label"), None);
    let hint = attr(&root, "[data-testid=fc-card]", "aria-describedby").expect("described");
    assert!(!text(&root, &format!("#{hint}")).is_empty());
    // "Starred" with nothing starred: an explanation and a way back, no card, no error.
    set_value(&root, "[data-testid=fc-filter]", "starred");
    tick().await;
    assert!(text(&root, "[data-testid=fc-empty]").contains("No starred cards yet"));
    assert!(!exists(&root, "[data-testid=fc-card]"));
    assert!(!exists(&root, ".error"));
    assert_eq!(text(&root, "[data-testid=fc-counter]"), "0/0");
    click(&root, "[data-testid=fc-show-all]");
    tick().await;
    assert_eq!(text(&root, "[data-testid=fc-counter]"), format!("1/{n}"));
    // Past the last card: a summary, not card 1 again.
    click(&root, "[data-testid=fc-flip]");
    for _ in 0..n {
        press("ArrowRight");
    }
    tick().await;
    assert!(!exists(&root, "[data-testid=fc-card]"));
    let summary = text(&root, "[data-testid=fc-summary-text]");
    assert!(
        summary.contains(&format!("all {n} cards")) && summary.contains("turned 1 over"),
        "{summary}"
    );
    assert_eq!(text(&root, "[data-testid=fc-counter]"), "Done");
    press("ArrowLeft");
    tick().await;
    assert_eq!(text(&root, "[data-testid=fc-counter]"), format!("{n}/{n}"));
    press("ArrowRight");
    tick().await;
    click(&root, "[data-testid=fc-restart]");
    tick().await;
    assert_eq!(text(&root, "[data-testid=fc-counter]"), format!("1/{n}"));
    drop(mounted);
}

#[wasm_bindgen_test]
async fn a_review_rating_lands_in_the_review_log_in_local_storage() {
    let root = container();
    let mounted = mount_to(root.clone(), || view! { <Spaced /> });
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
    drop(mounted);
}

#[wasm_bindgen_test]
async fn a_lesson_quiz_answer_is_checked_by_the_engine_and_saved() {
    let root = container();
    let mounted = mount_to(root.clone(), || view! { <Quiz card=4 /> });
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
    // The learner's pick is kept, as Learn and Test keep theirs, so the class event carries it.
    assert_eq!(
        results[results.len() - 1].response.as_deref(),
        Some("false"),
        "the quiz answer records the learner's response"
    );
    // A second click re-checks but records nothing more, and says it does not count.
    click(&root, "[data-testid=quiz-true]");
    tick().await;
    let verdict = text(&root, "[data-testid=quiz-verdict]");
    assert!(
        verdict.starts_with("Correct now.") && verdict.contains("does not"),
        "{verdict}"
    );
    assert!(!text(&root, "[data-testid=quiz]").contains("Counts towards your mastery"));
    assert!(text(&root, "[data-testid=quiz-note]").contains("(not right) was saved"));
    assert_eq!(saved().cards[&4].quiz_results.len(), before + 1);
    drop(mounted);
}

#[wasm_bindgen_test]
async fn a_card_rated_again_comes_back_and_undo_takes_the_rating_back() {
    let mut p = Progress::fresh();
    p.settings.new_cards_per_session = 1;
    save(&p);
    let root = container();
    let mounted = mount_to(root.clone(), || view! { <Spaced /> });
    tick().await;
    let id = shown_card(&root).expect("one new card");
    click(&root, "[data-testid=review-reveal]");
    tick().await;
    click(&root, "[data-testid=rate-1]");
    tick().await;
    // The only card was forgotten: it comes back in this session, not "Nothing is due".
    assert!(!exists(&root, "[data-testid=review-done]"));
    assert_eq!(shown_card(&root), Some(id), "the Again card came back");
    assert_eq!(saved().cards[&id].review_log.len(), 1);
    // Good now, then undo with `u`: the rating is gone from the saved log.
    click(&root, "[data-testid=review-reveal]");
    tick().await;
    click(&root, "[data-testid=rate-3]");
    tick().await;
    assert_eq!(saved().cards[&id].review_log.len(), 2);
    press("u");
    tick().await;
    assert_eq!(saved().cards[&id].review_log.len(), 1);
    assert_eq!(
        shown_card(&root),
        Some(id),
        "the undone card is shown again"
    );
    // Ctrl+Z undoes the Again too: the card is new again.
    press_with("z", true);
    tick().await;
    let after = saved();
    assert!(after.cards[&id].review_log.is_empty());
    assert!(after.cards[&id].fsrs.is_none());
    assert_eq!(text(&root, "[data-testid=due-new]"), "1");
    assert_eq!(text(&root, "[data-testid=review-session-count]"), "0");
    let undo: web_sys::HtmlButtonElement = root
        .query_selector("[data-testid=review-undo]")
        .expect("q")
        .expect("undo button")
        .unchecked_into();
    assert!(undo.disabled(), "nothing left to undo");
    drop(mounted);
}

#[wasm_bindgen_test]
async fn review_settings_and_scope_are_saved_and_used() {
    save(&Progress::fresh());
    let root = container();
    let mounted = mount_to(root.clone(), || view! { <Spaced /> });
    tick().await;
    assert_eq!(text(&root, "[data-testid=due-new]"), "10");
    set_value(&root, "[data-testid=setting-new-per-day]", "3");
    tick().await;
    assert_eq!(saved().settings.new_cards_per_session, 3);
    assert_eq!(text(&root, "[data-testid=due-new]"), "3");
    set_value(&root, "[data-testid=setting-retention]", "95");
    tick().await;
    assert!((saved().settings.desired_retention - 0.95).abs() < 1e-9);
    // Limited to one lesson, only its cards are shown.
    let lib = library();
    let lesson = lib.cards[0].lesson_slug().to_string();
    let in_lesson = lib
        .cards
        .iter()
        .filter(|c| c.lesson_slug() == lesson)
        .count();
    set_value(
        &root,
        "[data-testid=review-scope]",
        &format!("lesson:{lesson}"),
    );
    tick().await;
    assert_eq!(
        text(&root, "[data-testid=due-new]"),
        in_lesson.min(3).to_string()
    );
    let id = shown_card(&root).expect("a card");
    assert_eq!(lib.card(id).map(|c| c.lesson_slug()), Some(lesson.as_str()));
    drop(mounted);
}

#[wasm_bindgen_test]
async fn learn_keeps_the_typed_answer_and_an_override_rewrites_the_feedback() {
    // Every card at the typed stage.
    let mut p = Progress::fresh();
    for c in &library().cards {
        p.record_learn_answer(c.id, 1, true, 0);
        p.record_learn_answer(c.id, 2, true, 0);
    }
    p.learn_round = 2;
    save(&p);
    let root = container();
    let mounted = mount_to(root.clone(), || page("learn"));
    tick().await;
    click(&root, "[data-testid=learn-start]");
    tick().await;
    type_into(&root, "[data-testid=learn-typed]", "my own words");
    click(&root, "[data-testid=learn-submit]");
    tick().await;
    assert!(exists(&root, "[data-testid=learn-feedback]"));
    assert_eq!(
        value_of(&root, "[data-testid=learn-typed]"),
        "my own words",
        "the typed answer stays next to the feedback"
    );
    let note = text(&root, "[data-testid=learn-stage]");
    assert!(note.contains("again later in this round"), "{note}");
    click(&root, "[data-testid=learn-override]");
    tick().await;
    let verdict = text(&root, "[data-testid=learn-feedback] .verdict");
    assert_eq!(verdict, "Counted as right (your override).");
    let note = text(&root, "[data-testid=learn-stage]");
    assert!(
        !note.contains("again") && note.contains("learned"),
        "the note follows the override: {note}"
    );
    for internal in ["TrueFalse", "MultipleChoice", "Typed"] {
        assert!(!note.contains(internal), "{note}");
    }
    let learned = saved()
        .cards
        .values()
        .filter(|c| c.learn_stage == LearnStage::Learned)
        .count();
    assert_eq!(learned, 1, "the overridden card counts as learned");
    drop(mounted);
}

#[wasm_bindgen_test]
async fn number_keys_answer_in_learn_and_test() {
    save(&Progress::fresh());
    let root = container();
    let mounted = mount_to(root.clone(), || page("learn"));
    tick().await;
    click(&root, "[data-testid=learn-start]");
    tick().await;
    assert!(
        exists(&root, "[data-testid=learn-option-1]"),
        "multiple choice first"
    );
    press("2");
    tick().await;
    assert!(
        exists(&root, "[data-testid=learn-feedback]"),
        "key 2 answered"
    );
    assert_eq!(
        attr(&root, "[data-testid=learn-option-1]", "aria-pressed").as_deref(),
        Some("true"),
        "the option numbered 2 was chosen"
    );
    let answered: usize = saved().cards.values().map(|c| c.learn_log.len()).sum();
    assert_eq!(answered, 1);
    drop(mounted);

    let root = container();
    let mounted = mount_to(root.clone(), || page("test"));
    tick().await;
    click(&root, "[data-testid=test-start]");
    tick().await;
    let n = root
        .query_selector_all("[data-testid=test-question]")
        .expect("q")
        .length();
    let (mut choice, mut tf) = (false, false);
    for i in 0..n {
        if exists(&root, &format!("[data-testid=test-{i}-option-2]")) && !choice {
            press_on(&root, &format!("[data-testid=test-{i}-option-0]"), "3");
            tick().await;
            let pressed = attr(
                &root,
                &format!("[data-testid=test-{i}-option-2]"),
                "aria-pressed",
            );
            assert_eq!(pressed.as_deref(), Some("true"), "question {i}: key 3");
            choice = true;
        } else if exists(&root, &format!("[data-testid=test-{i}-true]")) && !tf {
            press_on(&root, &format!("[data-testid=test-{i}-true]"), "2");
            tick().await;
            let pressed = attr(
                &root,
                &format!("[data-testid=test-{i}-false]"),
                "aria-pressed",
            );
            assert_eq!(
                pressed.as_deref(),
                Some("true"),
                "question {i}: key 2 = False"
            );
            tf = true;
        }
    }
    assert!(
        choice && tf,
        "the test had a choice and a true/false question"
    );
    drop(mounted);
}

#[wasm_bindgen_test]
async fn a_test_says_when_it_is_short_and_asks_before_scoring_open_questions() {
    save(&Progress::fresh());
    let lib = library();
    // The tag with the fewest cards.
    let mut tags: Vec<(usize, String)> = Vec::new();
    for c in &lib.cards {
        for t in &c.tags {
            match tags.iter_mut().find(|(_, x)| x == t) {
                Some(e) => e.0 += 1,
                None => tags.push((1, t.clone())),
            }
        }
    }
    tags.sort();
    let (few, tag) = tags[0].clone();
    assert!(few < 20, "a tag with fewer than 20 cards");
    let root = container();
    let mounted = mount_to(root.clone(), || page("test"));
    tick().await;
    type_into(&root, "[data-testid=test-count]", "20");
    click(&root, &format!("[data-testid='test-tag-{tag}']"));
    tick().await;
    click(&root, "[data-testid=test-start]");
    tick().await;
    let n = root
        .query_selector_all("[data-testid=test-question]")
        .expect("q")
        .length() as usize;
    assert_eq!(n, few);
    let note = text(&root, "[data-testid=test-shortfall]");
    assert!(
        note.contains("asked for 20") && note.contains(&format!("only {few} card")),
        "{note}"
    );
    // Finish with nothing answered: a warning, not a report.
    click(&root, "[data-testid=test-submit]");
    tick().await;
    assert!(!exists(&root, "[data-testid=test-report]"));
    let warning = text(&root, "[data-testid=test-unanswered]");
    assert!(
        warning.contains(&format!("{few} of {few} questions")),
        "{warning}"
    );
    click(&root, "[data-testid=test-keep-going]");
    tick().await;
    assert!(!exists(&root, "[data-testid=test-unanswered]"));
    click(&root, "[data-testid=test-submit]");
    tick().await;
    click(&root, "[data-testid=test-submit-anyway]");
    tick().await;
    assert!(exists(&root, "[data-testid=test-report]"));
    drop(mounted);
}

#[wasm_bindgen_test]
async fn typed_feedback_names_the_missing_and_reversed_key_points() {
    use gentutor_pages::study::question::Feedback;
    use gentutor_study::display::{key_point_lines, KeyPointStatus};
    use gentutor_study::questions::{check_answer, Answer, Question};
    common::install_content();
    install_module_content();
    let lib = library();
    let card = lib.card(2).expect("card 2 (the GAN objective)").clone();
    let question = Question::Typed {
        card_id: card.id,
        prompt: card.front.clone(),
    };
    // Roles swapped: both role points are stated the wrong way round, the formula is missing.
    let answer =
        Answer::Text("the generator maximises V and the discriminator minimises it".into());
    let checked = check_answer(&card, &question, &answer);
    let grade = checked.grade.clone().expect("a typed answer is graded");
    let lines = key_point_lines(&card, &grade);
    assert!(lines
        .iter()
        .any(|l| l.status == KeyPointStatus::Contradicted));
    assert!(lines.iter().any(|l| l.status == KeyPointStatus::Missing));
    let root = container();
    let (q, c) = (question.clone(), checked.clone());
    let mounted = mount_to(root.clone(), move || {
        view! { <Feedback question=q.clone() checked=c.clone() testid="fb".to_string() /> }
    });
    tick().await;
    let shown: Vec<String> = {
        let list = root
            .query_selector_all("[data-testid=key-points] li")
            .expect("selector");
        (0..list.length())
            .filter_map(|i| list.item(i).and_then(|n| n.text_content()))
            .collect()
    };
    let expected: Vec<String> = lines.iter().map(|l| l.text()).collect();
    assert_eq!(shown, expected, "every key point is listed with its status");
    let reversed = text(&root, "[data-testid=kp-contradicted]");
    assert!(
        reversed.starts_with("Stated the wrong way round: discriminator maximises"),
        "{reversed}"
    );
    let missing = text(&root, "[data-testid=kp-missed]");
    assert!(missing.starts_with("Missing: "), "{missing}");
    drop(mounted);

    // A found point quotes the learner's own words.
    let answer = Answer::Text("D maximizes V".into());
    let checked = check_answer(&card, &question, &answer);
    let root = container();
    let (q, c) = (question.clone(), checked);
    let mounted = mount_to(root.clone(), move || {
        view! { <Feedback question=q.clone() checked=c.clone() testid="fb".to_string() /> }
    });
    tick().await;
    let found = text(&root, "[data-testid=kp-found]");
    assert!(
        found.starts_with("discriminator maximises V: you wrote"),
        "{found}"
    );
    assert!(
        exists(&root, "[data-testid=kp-missed]"),
        "the points still needed are named"
    );
    drop(mounted);
}

#[wasm_bindgen_test]
async fn the_study_overview_lists_lessons_in_reading_order() {
    use gentutor::ui::study::mastery::MasteryTable;
    save(&Progress::fresh());
    let lib = library();
    let expected: Vec<String> = lib
        .lessons
        .iter()
        .filter(|l| lib.cards.iter().any(|c| c.lesson_slug() == l.slug))
        .map(|l| l.slug.clone())
        .collect();
    let root = container();
    let mounted = mount_to(root.clone(), || view! { <MasteryTable /> });
    tick().await;
    let rows = root
        .query_selector_all("[data-testid=lesson-mastery-row]")
        .expect("q");
    let shown: Vec<String> = (0..rows.length())
        .filter_map(|i| rows.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::Element>().ok())
        .filter_map(|e| e.get_attribute("data-slug"))
        .collect();
    assert_eq!(shown, expected);
    drop(mounted);
}

#[wasm_bindgen_test]
async fn the_study_link_shows_how_many_cards_are_due() {
    use gentutor::ui::study::shell::StudyNavLink;
    use gentutor_study::scheduler::{Rating, Scheduler};
    let now = js_sys::Date::now() as i64;
    let mut p = Progress::fresh();
    let s = Scheduler::default();
    // Two cards forgotten ten minutes ago (due after one minute), one reviewed Easy (not due).
    for id in [1, 2] {
        p.record_review(id, Rating::Again, &s, now - 600_000);
    }
    p.record_review(3, Rating::Easy, &s, now - 600_000);
    save(&p);
    let root = container();
    let mounted = mount_to(root.clone(), || view! { <StudyNavLink /> });
    tick().await;
    assert_eq!(text(&root, "[data-testid=due-badge]"), "2");
    assert!(text(&root, "[data-testid=nav-study]").contains("2 cards due for review"));
    drop(mounted);
    save(&Progress::fresh());
    let root = container();
    let mounted = mount_to(root.clone(), || view! { <StudyNavLink /> });
    tick().await;
    assert!(
        !exists(&root, "[data-testid=due-badge]"),
        "no badge when nothing is due"
    );
    drop(mounted);
}

#[wasm_bindgen_test]
async fn question_mark_opens_the_shortcuts_and_escape_closes_them() {
    use gentutor::ui::study::shell::ShortcutsHelp;
    let root = container();
    let mounted = mount_to(root.clone(), || view! { <ShortcutsHelp /> });
    tick().await;
    assert!(!exists(&root, "[data-testid=shortcuts]"));
    press("?");
    tick().await;
    let list = text(&root, "[data-testid=shortcuts]");
    for k in ["Flashcards", "Review", "U or Ctrl+Z", "1-4"] {
        assert!(list.contains(k), "{k} in {list}");
    }
    press("Escape");
    tick().await;
    assert!(!exists(&root, "[data-testid=shortcuts]"));
    drop(mounted);
}

#[wasm_bindgen_test]
async fn the_theme_switch_overrides_the_system_setting_and_is_remembered() {
    use gentutor::ui::study::shell::ThemeSwitch;
    use gentutor_study::session::THEME_KEY;
    let html = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .expect("html");
    storage().remove_item(THEME_KEY).expect("clear");
    let root = container();
    let mounted = mount_to(root.clone(), || view! { <ThemeSwitch /> });
    tick().await;
    assert_eq!(html.get_attribute("data-theme"), None, "system by default");
    set_value(&root, "[data-testid=theme-select]", "dark");
    tick().await;
    assert_eq!(html.get_attribute("data-theme").as_deref(), Some("dark"));
    assert_eq!(
        storage().get_item(THEME_KEY).expect("read").as_deref(),
        Some("dark")
    );
    drop(mounted);
    // A new page load starts from the saved choice.
    let root = container();
    let mounted = mount_to(root.clone(), || view! { <ThemeSwitch /> });
    tick().await;
    assert_eq!(value_of(&root, "[data-testid=theme-select]"), "dark");
    set_value(&root, "[data-testid=theme-select]", "system");
    tick().await;
    assert_eq!(html.get_attribute("data-theme"), None);
    drop(mounted);
}

#[wasm_bindgen_test]
async fn home_offers_to_continue_and_marks_lessons_with_live_demos() {
    use gentutor::content::embed::Embed;
    use gentutor::content::Block;
    use gentutor::ui::routes::home::Home;
    use gentutor::ui::study::StudyNav;
    use gentutor_study::session::RESUME_KEY;
    save(&Progress::fresh());
    storage().remove_item(RESUME_KEY).expect("clear");
    // Opening a study page remembers it.
    let root = container();
    let mounted = mount_to(
        root.clone(),
        || view! { <StudyNav current="/study/learn" /> },
    );
    tick().await;
    drop(mounted);
    let root = container();
    let mounted = mount_to(root.clone(), || view! { <Home /> });
    tick().await;
    assert!(text(&root, "[data-testid=continue]").contains("Continue where you left off"));
    assert_eq!(
        attr(&root, "[data-testid=continue-link]", "href").as_deref(),
        Some("/study/learn")
    );
    let lib = library();
    let with_demos = lib
        .lessons
        .iter()
        .filter(|l| lib.parts.iter().any(|p| p.lessons.contains(&l.slug)))
        .filter(|l| {
            l.blocks
                .iter()
                .any(|b| matches!(b, Block::Embed(Embed::Demo { .. })))
        })
        .count();
    assert!(with_demos > 0);
    let marks = root
        .query_selector_all("[data-testid=lesson-demo-mark]")
        .expect("q")
        .length() as usize;
    assert_eq!(marks, with_demos);
    drop(mounted);
}

#[wasm_bindgen_test]
async fn matching_can_be_limited_to_one_lesson() {
    save(&Progress::fresh());
    let root = container();
    let lib = library();
    // A lesson with at least two cards.
    let lesson = lib
        .lessons
        .iter()
        .map(|l| l.slug.clone())
        .find(|s| lib.cards.iter().filter(|c| c.lesson_slug() == s).count() >= 2)
        .expect("a lesson with two cards");
    let terms: Vec<String> = lib
        .cards
        .iter()
        .filter(|c| c.lesson_slug() == lesson)
        .map(|c| c.term.clone())
        .collect();
    let mounted = mount_to(root.clone(), || page("matching"));
    tick().await;
    set_value(
        &root,
        "[data-testid=match-scope]",
        &format!("lesson:{lesson}"),
    );
    tick().await;
    let tiles = root
        .query_selector_all("[data-testid^=match-term-]")
        .expect("q");
    assert_eq!(tiles.length() as usize, terms.len().min(6));
    for i in 0..tiles.length() {
        let t = tiles
            .item(i)
            .and_then(|n| n.text_content())
            .unwrap_or_default();
        assert!(terms.contains(&t), "{t} is a term of {lesson}");
    }
    drop(mounted);
}
