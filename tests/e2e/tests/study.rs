//! The study modes in a real headless Chromium, played with the keyboard where the modes have
//! shortcuts; progress must survive a reload, and damaged saved data must be backed up, not lost.

use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use gentutor_e2e::Session;
use std::time::Duration;

async fn press(c: &Client, keys: &str) {
    c.find(Locator::Css("body"))
        .await
        .expect("body")
        .send_keys(keys)
        .await
        .expect("send keys");
}

async fn click(c: &Client, css: &str) {
    c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no {css}: {e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("click {css}: {e}"));
}

async fn exists(c: &Client, css: &str) -> bool {
    !c.find_all(Locator::Css(css))
        .await
        .expect("find_all")
        .is_empty()
}

async fn count(c: &Client, css: &str) -> usize {
    c.find_all(Locator::Css(css)).await.expect("find_all").len()
}

#[tokio::test(flavor = "multi_thread")]
async fn every_mode_by_keyboard_and_progress_survives_a_reload() {
    let s = Session::start().await;
    let c = &s.client;

    // Flashcards: Space flips, arrows move, the counter follows.
    c.goto(&s.url("/study/flashcards")).await.expect("open");
    let counter = s
        .wait_text("[data-testid=fc-counter]", |t| t.starts_with("1/"))
        .await;
    let total: usize = counter[2..].parse().expect("deck size");
    assert!(total >= 30, "{counter}");
    s.wait_text("[data-testid=fc-side]", |t| {
        t.eq_ignore_ascii_case("Question")
    })
    .await;
    press(c, " ").await;
    s.wait_text("[data-testid=fc-side]", |t| {
        t.eq_ignore_ascii_case("Answer")
    })
    .await;
    press(c, &Key::Right).await;
    s.wait_text("[data-testid=fc-counter]", |t| t == format!("2/{total}"))
        .await;
    s.wait_text("[data-testid=fc-side]", |t| {
        t.eq_ignore_ascii_case("Question")
    })
    .await;
    press(c, &Key::Left).await;
    press(c, &Key::Left).await;
    s.wait_text("[data-testid=fc-counter]", |t| t == format!("1/{total}"))
        .await;
    click(c, "[data-testid=fc-star]").await;
    s.wait_text("[data-testid=fc-star]", |t| t.contains("Starred"))
        .await;

    // Review: Space reveals, 3 = Good, 1 = Again; every rating is logged.
    c.goto(&s.url("/study/spaced")).await.expect("open");
    s.wait_for("[data-testid=review-card]").await;
    let new_before: usize = s
        .wait_text("[data-testid=due-new]", |t| !t.is_empty())
        .await
        .parse()
        .expect("count");
    s.wait_text("[data-testid=review-log-count]", |t| t == "0")
        .await;
    press(c, " ").await;
    s.wait_for("[data-testid=review-answer]").await;
    assert_eq!(count(c, "[data-testid=rate-interval]").await, 4);
    press(c, "3").await;
    s.wait_text("[data-testid=review-log-count]", |t| t == "1")
        .await;
    press(c, " ").await;
    s.wait_for("[data-testid=review-answer]").await;
    press(c, "1").await;
    s.wait_text("[data-testid=review-log-count]", |t| t == "2")
        .await;
    let new_after: usize = s
        .wait_text("[data-testid=due-new]", |t| !t.is_empty())
        .await
        .parse()
        .expect("count");
    assert_eq!(new_after + 2, new_before, "two new cards were introduced");

    // Matching: pick terms with the keyboard (focus + Enter) and definitions by click.
    c.goto(&s.url("/study/matching")).await.expect("open");
    s.wait_for("[data-testid=match-term-0]").await;
    let pairs = count(c, "[data-testid^=match-term-]").await;
    assert_eq!(pairs, 6);
    let (mut failed, mut flashed) = (0u32, 0u32);
    for i in 0..pairs {
        let term = format!("[data-testid=match-term-{i}]");
        for j in 0..pairs {
            let def = c
                .find(Locator::Css(&format!("[data-testid=match-def-{j}]")))
                .await
                .expect("definition");
            if !def.is_enabled().await.expect("enabled") {
                continue;
            }
            c.find(Locator::Css(&term))
                .await
                .expect("term")
                .send_keys(&Key::Enter)
                .await
                .expect("enter");
            def.click().await.expect("click");
            let class = c
                .find(Locator::Css(&term))
                .await
                .expect("term")
                .attr("class")
                .await
                .expect("class")
                .unwrap_or_default();
            if class.contains("matched") {
                break;
            }
            failed += 1;
            let def_class = def.attr("class").await.expect("class").unwrap_or_default();
            flashed += u32::from(def_class.contains("wrong"));
        }
    }
    s.wait_for("[data-testid=match-result]").await;
    let best = s
        .wait_text("[data-testid=match-best]", |t| t.ends_with(" s"))
        .await;
    let mistakes: u32 = s
        .wait_text("[data-testid=match-mistakes]", |t| !t.is_empty())
        .await
        .parse()
        .expect("mistakes");
    assert_eq!(mistakes, failed, "every wrong pair counts ({best})");
    assert!(failed == 0 || flashed > 0, "a wrong pair flashes");

    // Learn: answer three questions.
    c.goto(&s.url("/study/learn")).await.expect("open");
    // Learn comes from the lazily loaded module: wait until it is mounted.
    s.wait_for("[data-testid=learn-start]").await;
    click(c, "[data-testid=learn-start]").await;
    for _ in 0..3 {
        s.wait_for("[data-testid=learn-option-0]").await;
        click(c, "[data-testid=learn-option-0]").await;
        s.wait_for("[data-testid=learn-feedback]").await;
        click(c, "[data-testid=learn-continue]").await;
    }
    s.wait_text("[data-testid=learn-round]", |t| t == "Round 1")
        .await;

    // Test: 4 questions of every type, answered, then the report.
    c.goto(&s.url("/study/test")).await.expect("open");
    let n = s.wait_for("[data-testid=test-count]").await;
    n.clear().await.expect("clear");
    n.send_keys("4").await.expect("type");
    click(c, "[data-testid=test-start]").await;
    s.wait_for("[data-testid=test-paper]").await;
    assert_eq!(count(c, "[data-testid=test-question]").await, 4);
    for i in 0..4 {
        if exists(c, &format!("[data-testid=test-{i}-option-0]")).await {
            click(c, &format!("[data-testid=test-{i}-option-0]")).await;
        } else if exists(c, &format!("[data-testid=test-{i}-true]")).await {
            click(c, &format!("[data-testid=test-{i}-true]")).await;
        } else {
            c.find(Locator::Css(&format!("[data-testid=test-{i}-typed]")))
                .await
                .expect("typed answer")
                .send_keys("the generator and the discriminator")
                .await
                .expect("type");
        }
    }
    click(c, "[data-testid=test-submit]").await;
    s.wait_for("[data-testid=test-report]").await;
    assert_eq!(count(c, "[data-testid=test-item]").await, 4);
    assert!(count(c, "[data-testid=test-tag-row]").await >= 1);
    let score = s
        .wait_text("[data-testid=test-score]", |t| t.contains(" of 4 right"))
        .await;
    let href = c
        .find(Locator::Css("[data-testid=test-lesson-link]"))
        .await
        .expect("lesson link")
        .attr("href")
        .await
        .expect("href")
        .unwrap_or_default();
    assert!(
        href.starts_with("/lesson/") && href.contains('#'),
        "{href} ({score})"
    );

    // Reload: progress survived.
    c.goto(&s.url("/study/spaced")).await.expect("open");
    c.refresh().await.expect("reload");
    s.wait_text("[data-testid=review-log-count]", |t| t == "2")
        .await;
    let new_reloaded: usize = s
        .wait_text("[data-testid=due-new]", |t| !t.is_empty())
        .await
        .parse()
        .expect("count");
    assert_eq!(
        new_reloaded, new_after,
        "the new-card limit remembers today's cards"
    );
    c.goto(&s.url("/study/flashcards")).await.expect("open");
    let filter = s.wait_for("[data-testid=fc-filter]").await;
    filter
        .select_by_value("starred")
        .await
        .expect("starred filter");
    s.wait_text("[data-testid=fc-counter]", |t| t == "1/1")
        .await;
    c.goto(&s.url("/study")).await.expect("open");
    s.wait_for("[data-testid=mastery-definition]").await;
    let values = c
        .execute(
            "return [...document.querySelectorAll('[data-testid=lesson-mastery-value]')].map(e => e.textContent);",
            vec![],
        )
        .await
        .expect("mastery values");
    let shown: Vec<String> = values
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect();
    assert!(shown.len() >= 10, "{shown:?}");
    assert!(
        shown.iter().any(|v| v != "0%"),
        "some mastery after studying: {shown:?}"
    );
    c.goto(&s.url("/")).await.expect("home");
    s.wait_for("[data-testid=lesson-mastery]").await;
    assert!(count(c, "[data-testid=lesson-mastery]").await >= 10);
    s.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn damaged_progress_is_backed_up_and_the_learner_is_told() {
    let s = Session::start().await;
    let c = &s.client;
    c.goto(&s.url("/")).await.expect("home");
    s.wait_for("[data-testid=lesson-card]").await;
    c.execute(
        "localStorage.setItem('gentutor.progress', '{broken');",
        vec![],
    )
    .await
    .expect("corrupt the save");
    c.refresh().await.expect("reload");
    let notice = s
        .wait_text("[data-testid=progress-notice]", |t| {
            t.contains("could not be used")
        })
        .await;
    assert!(
        notice.contains("gentutor.progress.backup-corrupt-"),
        "{notice}"
    );
    let kept = c
        .execute(
            "return Object.keys(localStorage).filter(k => k.startsWith('gentutor.progress.backup-corrupt-')).map(k => localStorage.getItem(k));",
            vec![],
        )
        .await
        .expect("backups");
    assert_eq!(
        kept,
        serde_json::json!(["{broken"]),
        "the damaged text is kept"
    );
    // Studying after that saves fresh progress, and the backup is still there.
    c.goto(&s.url("/study/spaced")).await.expect("open");
    s.wait_for("[data-testid=review-card]").await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    press(c, " ").await;
    s.wait_for("[data-testid=review-answer]").await;
    press(c, "3").await;
    s.wait_text("[data-testid=review-log-count]", |t| t == "1")
        .await;
    let state = c
        .execute(
            "const k = Object.keys(localStorage).filter(k => k.startsWith('gentutor.progress.backup-corrupt-'));\
             return [localStorage.getItem(k[0]), JSON.parse(localStorage.getItem('gentutor.progress')).version];",
            vec![],
        )
        .await
        .expect("storage");
    assert_eq!(state, serde_json::json!(["{broken", 2]));
    click(c, "[data-testid=notice-dismiss]").await;
    for _ in 0..50 {
        if !exists(c, "[data-testid=progress-notice]").await {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        !exists(c, "[data-testid=progress-notice]").await,
        "dismissed"
    );
    s.close().await;
}

/// Sends keys to whatever has focus, as a learner's keyboard does.
async fn type_to_focus(c: &Client, keys: &str) {
    c.active_element()
        .await
        .expect("focused element")
        .send_keys(keys)
        .await
        .expect("send keys");
}

async fn value(c: &Client, css: &str) -> String {
    c.execute(
        &format!("return document.querySelector({css:?}).value;"),
        vec![],
    )
    .await
    .expect("value")
    .as_str()
    .unwrap_or_default()
    .to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn flashcard_keys_reach_the_card_after_clicking_star_or_the_filter() {
    let s = Session::start().await;
    let c = &s.client;
    c.goto(&s.url("/study/flashcards")).await.expect("open");
    s.wait_text("[data-testid=fc-counter]", |t| t.starts_with("1/"))
        .await;

    // Space after clicking Star turns the card over; the star stays.
    click(c, "[data-testid=fc-star]").await;
    s.wait_text("[data-testid=fc-star]", |t| t.contains("Starred"))
        .await;
    type_to_focus(c, " ").await;
    s.wait_text("[data-testid=fc-side]", |t| {
        t.eq_ignore_ascii_case("Answer")
    })
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let star = s.wait_text("[data-testid=fc-star]", |_| true).await;
    assert!(star.contains("Starred"), "Space must not un-star: {star}");

    // Arrows after choosing a filter move through its cards; the filter stays.
    let lessons = c
        .execute(
            "return [...document.querySelectorAll('[data-testid=fc-filter] option')].map(o => o.value).filter(v => v.startsWith('lesson:'));",
            vec![],
        )
        .await
        .expect("options");
    let mut picked = None;
    for v in lessons
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|v| v.as_str())
    {
        let filter = s.wait_for("[data-testid=fc-filter]").await;
        filter.select_by_value(v).await.expect("choose a lesson");
        let counter = s
            .wait_text("[data-testid=fc-counter]", |t| t.contains('/'))
            .await;
        let size: usize = counter
            .split('/')
            .nth(1)
            .and_then(|n| n.parse().ok())
            .expect("deck size");
        if size >= 2 && counter.starts_with("1/") {
            picked = Some((v.to_string(), size));
            break;
        }
    }
    let (lesson, size) = picked.expect("a lesson with two cards or more");
    type_to_focus(c, &Key::Right).await;
    s.wait_text("[data-testid=fc-counter]", |t| t == format!("2/{size}"))
        .await;
    assert_eq!(
        value(c, "[data-testid=fc-filter]").await,
        lesson,
        "the filter stays"
    );
    type_to_focus(c, &Key::Left).await;
    s.wait_text("[data-testid=fc-counter]", |t| t == format!("1/{size}"))
        .await;
    assert_eq!(value(c, "[data-testid=fc-filter]").await, lesson);
    s.close().await;
}
