//! Page-load benchmark in headless Chromium: opens a lesson URL directly (cold, new session each
//! run) and reports the time from navigation start until the lesson is painted, read from the
//! Performance API mark `lesson-painted` the app sets. Run: `cargo run -p gentutor-e2e --bin bench_page`
//! after `make dist`. Prints one line per run and the median.

use gentutor_e2e::Session;

#[tokio::main]
async fn main() {
    let runs: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(5);
    let mut times = Vec::new();
    for i in 0..runs {
        let s = Session::start().await;
        s.client
            .goto(&s.url("/lesson/gan-objective"))
            .await
            .expect("open the lesson");
        s.wait_for("[data-testid=lesson] h1").await;
        let mut ms = None;
        for _ in 0..50 {
            let v = s
                .client
                .execute(
                    "const m = performance.getEntriesByName('lesson-painted'); return m.length ? m[0].startTime : null;",
                    vec![],
                )
                .await
                .expect("read the mark");
            if let Some(x) = v.as_f64() {
                ms = Some(x);
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        let ms = ms.expect("the app sets the lesson-painted mark");
        println!("run {i}: lesson painted {ms:.0} ms after navigation start");
        times.push(ms);
        s.close().await;
    }
    times.sort_by(f64::total_cmp);
    println!("median over {runs} runs: {:.0} ms", times[times.len() / 2]);

    // The in-browser model benchmarks of the /bench route.
    let s = Session::start().await;
    s.client.goto(&s.url("/bench")).await.expect("open /bench");
    for _ in 0..600 {
        let v = s
            .client
            .execute("return window.gentutorBenchResult || null;", vec![])
            .await
            .expect("read the result");
        if let Some(json) = v.as_str() {
            println!("/bench: {json}");
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    s.close().await;
}
