//! The app shell in a real browser: the theme choice overrides the system setting and survives a
//! reload, `?` lists the shortcuts, the home page offers to continue where the learner left
//! off, and the Study link counts the cards due.

use fantoccini::key::Key;
use fantoccini::Locator;
use gentutor_e2e::Session;
use std::time::Duration;

async fn js(s: &Session, code: &str) -> serde_json::Value {
    s.client.execute(code, vec![]).await.expect("script")
}

async fn gone(s: &Session, css: &str) -> bool {
    for _ in 0..50 {
        if s.client
            .find_all(Locator::Css(css))
            .await
            .expect("find")
            .is_empty()
        {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

#[tokio::test(flavor = "multi_thread")]
async fn theme_shortcuts_continue_and_due_badge() {
    let s = Session::start().await;
    let c = &s.client;
    c.goto(&s.url("/")).await.expect("home");
    s.wait_for("[data-testid=lesson-card]").await;
    // A first visit points at the first lesson; demos are marked on the map.
    let first = s
        .wait_for("[data-testid=continue-link]")
        .await
        .attr("href")
        .await
        .expect("href")
        .unwrap_or_default();
    assert!(first.starts_with("/lesson/"), "{first}");
    assert!(!c
        .find_all(Locator::Css("[data-testid=lesson-demo-mark]"))
        .await
        .expect("marks")
        .is_empty());

    // Dark by choice, whatever the system says; still dark after a reload.
    s.wait_for("[data-testid=theme-select]")
        .await
        .select_by_value("dark")
        .await
        .expect("choose dark");
    let bg = "return [document.documentElement.dataset.theme || '', getComputedStyle(document.body).backgroundColor];";
    assert_eq!(
        js(&s, bg).await,
        serde_json::json!(["dark", "rgb(21, 23, 28)"])
    );
    c.refresh().await.expect("reload");
    s.wait_for("[data-testid=lesson-card]").await;
    assert_eq!(
        js(&s, bg).await,
        serde_json::json!(["dark", "rgb(21, 23, 28)"])
    );
    s.wait_for("[data-testid=theme-select]")
        .await
        .select_by_value("light")
        .await
        .expect("choose light");
    assert_eq!(
        js(&s, bg).await,
        serde_json::json!(["light", "rgb(251, 250, 247)"])
    );

    // `?` opens the shortcuts, Esc closes them.
    c.find(Locator::Css("body"))
        .await
        .expect("body")
        .send_keys("?")
        .await
        .expect("?");
    let list = s
        .wait_text("[data-testid=shortcuts]", |t| {
            t.contains("Keyboard shortcuts")
        })
        .await;
    assert!(list.contains("undo the last rating"), "{list}");
    c.active_element()
        .await
        .expect("focus")
        .send_keys(&Key::Escape)
        .await
        .expect("Esc");
    assert!(
        gone(&s, "[data-testid=shortcuts]").await,
        "Esc closes the list"
    );

    // Reading a lesson, then going home: continue there.
    c.goto(&s.url(&first)).await.expect("lesson");
    s.wait_for("main h1").await;
    c.goto(&s.url("/")).await.expect("home");
    let text = s
        .wait_text("[data-testid=continue]", |t| {
            t.contains("Continue where you left off")
        })
        .await;
    let href = s
        .wait_for("[data-testid=continue-link]")
        .await
        .attr("href")
        .await
        .expect("href");
    assert_eq!(href.as_deref(), Some(first.as_str()), "{text}");

    // Two cards forgotten ten minutes ago are due: the Study link says 2.
    js(
        &s,
        "const t = Date.now() - 600000;\
         const st = {due_ms: t + 60000, stability: 0.4, difficulty: 7.2, elapsed_days: 0, scheduled_days: 0, reps: 1, lapses: 0, phase: 'Learning', last_review_ms: t};\
         const log = [{rating: 'Again', reviewed_ms: t, phase_before: 'New', elapsed_days: 0, scheduled_days: 0, due_ms: t + 60000}];\
         localStorage.setItem('gentutor.progress', JSON.stringify({version: 2, cards: {'1': {fsrs: st, review_log: log}, '2': {fsrs: st, review_log: log}}}));\
         return 0;",
    )
    .await;
    c.refresh().await.expect("reload");
    s.wait_text("[data-testid=due-badge]", |t| t == "2").await;
    s.wait_text("[data-testid=continue-review]", |t| {
        t.contains("2 cards due")
    })
    .await;
    s.close().await;
}
