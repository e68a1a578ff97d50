//! The reader's journey in a real headless Chromium: home, a lesson with MathML, back, a 404.

use fantoccini::Locator;
use gentutor_e2e::Session;

#[tokio::test(flavor = "multi_thread")]
async fn home_lesson_back_and_404() {
    let s = Session::start().await;
    let c = &s.client;

    // Home: the lesson map, grouped by topic.
    c.goto(&s.url("/")).await.expect("open home");
    s.wait_for("[data-testid=lesson-card]").await;
    let cards = c
        .find_all(Locator::Css("[data-testid=lesson-card]"))
        .await
        .expect("cards");
    assert!(
        cards.len() >= 10,
        "the map lists every lesson, found {}",
        cards.len()
    );
    assert_eq!(c.title().await.expect("title"), "Lessons · gentutor");

    // Go to the GAN lesson by clicking its card (a client-side navigation).
    c.find(Locator::Css("a[href='/lesson/gan-objective']"))
        .await
        .expect("link to the GAN lesson")
        .click()
        .await
        .expect("click");
    s.wait_for("[data-testid=lesson] h1").await;
    assert!(c
        .current_url()
        .await
        .expect("url")
        .as_str()
        .ends_with("/lesson/gan-objective"));
    let h1 = c
        .find(Locator::Css("[data-testid=lesson] h1"))
        .await
        .expect("h1")
        .text()
        .await
        .expect("text");
    assert!(h1.contains("GAN objective"), "{h1}");

    // MathML is rendered (not raw LaTeX), display and inline, and laid out with real height.
    let maths = c.find_all(Locator::Css(".prose math")).await.expect("math");
    assert!(
        maths.len() > 10,
        "expected many formulas, found {}",
        maths.len()
    );
    let block = c
        .execute(
            "const m = document.querySelector('.prose math[display=block]');\
             return m ? [m.getBoundingClientRect().height, m.querySelectorAll('mfrac,msub,munder,msup').length] : null;",
            vec![],
        )
        .await
        .expect("measure a display formula");
    let height = block[0].as_f64().expect("a display formula exists");
    assert!(
        height > 15.0,
        "display math should be laid out, height {height}"
    );
    assert!(
        block[1].as_u64().unwrap_or(0) > 0,
        "display math has structure: {block:?}"
    );
    let body_text = c
        .find(Locator::Css(".lesson-body"))
        .await
        .expect("body")
        .text()
        .await
        .expect("text");
    assert!(
        !body_text.contains("$$") && !body_text.contains("\\frac"),
        "no raw LaTeX on the page"
    );
    // Table of contents and sources.
    let toc = c
        .find_all(Locator::Css("[data-testid=toc] li"))
        .await
        .expect("toc");
    assert!(toc.len() >= 4, "toc entries: {}", toc.len());
    s.wait_for("#sources li").await;

    // The back button returns to the map.
    c.back().await.expect("back");
    s.wait_for("[data-testid=lesson-card]").await;
    assert!(c.current_url().await.expect("url").path() == "/");

    // Forward, then next-lesson navigation works too.
    c.forward().await.expect("forward");
    s.wait_for("[data-testid=next-lesson]")
        .await
        .click()
        .await
        .expect("next");
    s.wait_text("[data-testid=lesson] h1", |t| !t.contains("GAN objective"))
        .await;

    // An unknown URL: a helpful 404 with a way back, not a blank page.
    c.goto(&s.url("/no/such/page")).await.expect("open unknown");
    let nf = s
        .wait_text("[data-testid=not-found]", |t| t.contains("Page not found"))
        .await;
    assert!(nf.contains("/no/such/page"), "the 404 names the path: {nf}");
    c.find(Locator::Css("[data-testid=not-found] a[href='/']"))
        .await
        .expect("a way home");
    // An unknown lesson slug gets the same page.
    c.goto(&s.url("/lesson/not-a-lesson"))
        .await
        .expect("open unknown lesson");
    s.wait_text("[data-testid=not-found]", |t| t.contains("Page not found"))
        .await;
    assert!(
        c.find(Locator::Css("#crash")).await.is_err(),
        "no crash banner"
    );

    s.close().await;
}
