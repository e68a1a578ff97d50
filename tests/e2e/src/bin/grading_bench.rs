//! Typed-answer grading time in headless Chromium (issue 17's budget: under 20 ms per answer).
//! Opens Test with typed questions only, one per card (all 37), types the same answer of
//! typical length into each, submits, and reads the time `grade_test` took from the report's
//! `data-grade-ms` (measured in the page with `performance.now()`, grading only: no rendering).
//! The first paper is cold (the first answer to a card also compiles its phrasings and grades
//! its own answer); a second paper in the same page is warm. Each run is a new browser session.
//! Run: `cargo run -p gentutor-e2e --bin grading_bench -- [runs]` after `make dist`.

use fantoccini::Locator;
use gentutor_e2e::Session;

/// A typed answer of typical length (about 25 words), on no card in particular.
const ANSWER: &str = "the discriminator maximises V while the generator minimises it; \
                      fresh noise each step, and the forward process adds gaussian noise";

async fn paper(s: &Session, cards: usize) -> (f64, usize) {
    let c = &s.client;
    c.goto(&s.url("/study/test")).await.expect("open Test");
    let n = s.wait_for("[data-testid=test-count]").await;
    n.clear().await.expect("clear");
    n.send_keys(&cards.to_string()).await.expect("count");
    for kind in ["mc", "tf", "matching"] {
        let b = s.wait_for(&format!("[data-testid=test-kind-{kind}]")).await;
        if b.prop("checked").await.ok().flatten().as_deref() == Some("true") {
            b.click().await.expect("untick");
        }
    }
    s.wait_for("[data-testid=test-start]")
        .await
        .click()
        .await
        .expect("start");
    s.wait_for("[data-testid=test-paper]").await;
    let typed = c
        .find_all(Locator::Css(
            "[data-testid=test-paper] [data-testid$=-typed]",
        ))
        .await
        .expect("typed boxes");
    for t in &typed {
        t.send_keys(ANSWER).await.expect("type");
    }
    s.wait_for("[data-testid=test-submit]")
        .await
        .click()
        .await
        .expect("submit");
    let report = s.wait_for("[data-testid=test-report]").await;
    let ms: f64 = report
        .attr("data-grade-ms")
        .await
        .ok()
        .flatten()
        .and_then(|v| v.parse().ok())
        .expect("data-grade-ms");
    let n: usize = report
        .attr("data-graded-typed")
        .await
        .ok()
        .flatten()
        .and_then(|v| v.parse().ok())
        .expect("data-graded-typed");
    (ms, n)
}

#[tokio::main]
async fn main() {
    let runs: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(3);
    let cards = 37;
    for run in 0..runs {
        let s = Session::start().await;
        let (cold, n) = paper(&s, cards).await;
        assert!(n > 0, "the paper had typed questions");
        let (warm, m) = paper(&s, cards).await;
        println!(
            "run {run}: cold {cold:.2} ms for {n} typed answers ({:.3} ms each); warm {warm:.2} ms for {m} ({:.3} ms each)",
            cold / n as f64,
            warm / m.max(1) as f64
        );
        s.close().await;
    }
}
