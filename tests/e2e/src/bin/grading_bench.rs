//! Typed-answer grading time in headless Chromium (issue 17's budget: under 20 ms per answer).
//! Opens Test with typed questions only, one per card (all 37), types the same answer of
//! typical length into each, submits, and reads the time `grade_test` took from the report's
//! `data-grade-ms` (measured in the page with `performance.now()`, grading only: no rendering).
//! The first paper is cold (the first answer to a card also compiles its phrasings and grades
//! its own answer); a second paper in the same page is warm. Each run is a new browser session.
//! Run: `cargo run -p gentutor-e2e --bin grading_bench -- [runs]` after `make dist`.

use gentutor_e2e::Session;

/// A typed answer of typical length (about 25 words), on no card in particular.
const ANSWER: &str = "the discriminator maximises V while the generator minimises it; \
                      fresh noise each step, and the forward process adds gaussian noise";

async fn paper(s: &Session, cards: usize) -> (f64, usize) {
    let report = s.typed_test(cards, ANSWER).await;
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
