//! On a 375 px phone the study pages fit the screen: nothing makes the page scroll sideways
//! (wide content scrolls inside its own box). Measured as the scrolling element's scrollWidth.

use fantoccini::Locator;
use gentutor_e2e::Session;
use std::time::Duration;

/// `(scrollWidth, clientWidth)` of the page, and the widest elements sticking out (for the
/// failure message).
async fn widths(s: &Session) -> (u64, u64, String) {
    let v = s
        .client
        .execute(
            // Phones draw scrollbars over the page; so does this (desktop Chromium takes 15 px).
            "document.documentElement.style.scrollbarWidth = 'none';\
             const se = document.scrollingElement;\
             const over = e => e.getBoundingClientRect().right > se.clientWidth + 0.5;\
             const out = [...document.querySelectorAll('body *')]\
               .filter(e => over(e) && !(e.parentElement && over(e.parentElement)))\
               .slice(0, 6).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right));\
             return [se.scrollWidth, se.clientWidth, out.join('; ')];",
            vec![],
        )
        .await
        .expect("measure");
    let a = v.as_array().expect("array");
    (
        a[0].as_u64().unwrap_or(0),
        a[1].as_u64().unwrap_or(0),
        a[2].as_str().unwrap_or_default().to_string(),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn study_pages_do_not_scroll_sideways_at_375_px() {
    let s = Session::start().await;
    let c = &s.client;
    c.set_window_size(375, 800).await.expect("window size");
    let pages = [
        "/study",
        "/study/learn",
        "/study/flashcards",
        "/study/test",
        "/study/matching",
        "/study/spaced",
        "/",
    ];
    for page in pages {
        c.goto(&s.url(page)).await.expect("open");
        s.wait_for("main h1").await;
        tokio::time::sleep(Duration::from_millis(400)).await;
        let (scroll, client, wide) = widths(&s).await;
        assert_eq!(client, 375, "the viewport is 375 px wide on {page}");
        assert!(
            scroll <= 375,
            "{page} scrolls sideways: {scroll} px ({wide})"
        );
    }
    // Learn with a question open, and its feedback.
    c.goto(&s.url("/study/learn")).await.expect("open");
    s.wait_for("[data-testid=learn-start]")
        .await
        .click()
        .await
        .expect("start");
    s.wait_for("[data-testid=learn-option-0]").await;
    let (scroll, _, wide) = widths(&s).await;
    assert!(
        scroll <= 375,
        "a Learn question scrolls sideways: {scroll} px ({wide})"
    );
    c.find(Locator::Css("[data-testid=learn-option-0]"))
        .await
        .expect("option")
        .click()
        .await
        .expect("answer");
    s.wait_for("[data-testid=learn-feedback]").await;
    let (scroll, _, wide) = widths(&s).await;
    assert!(
        scroll <= 375,
        "Learn feedback scrolls sideways: {scroll} px ({wide})"
    );
    // The Study overview with every card's answer open.
    c.goto(&s.url("/study")).await.expect("open");
    s.wait_for("[data-testid=study-card]").await;
    c.execute(
        "document.querySelectorAll('details').forEach(d => d.open = true);",
        vec![],
    )
    .await
    .expect("open all");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (scroll, _, wide) = widths(&s).await;
    assert!(
        scroll <= 375,
        "/study with cards open scrolls sideways: {scroll} px ({wide})"
    );
    s.close().await;
}
