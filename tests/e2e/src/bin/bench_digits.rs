//! In-browser speed of the four digit models, as the side-by-side view (`digits-compare`, in
//! the model-families lesson) measures them: per family, training steps/s over 20 steps of
//! batch 64 and the time to draw 16 samples, from the shipped checkpoints. Each run is a fresh
//! page (cold), and "Measure again" is pressed `repeats` times more on it.
//! Run: `cargo run -p gentutor-e2e --bin bench_digits -- [runs] [repeats]` after `make dist`.

use fantoccini::Locator;
use gentutor_e2e::Session;

const FAMILIES: [&str; 4] = ["vae", "gan", "flow", "diffusion"];

async fn read_all(s: &Session) -> Vec<String> {
    let mut out = Vec::new();
    for f in FAMILIES {
        let text = s
            .wait_text(&format!("[data-testid=compare-{f}-speed]"), |t| {
                t.contains("steps/s")
            })
            .await;
        out.push(format!("{f}: {text}"));
    }
    out
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let runs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(2);
    let repeats: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(2);
    for run in 0..runs {
        let s = Session::start().await;
        s.client
            .goto(&s.url("/lesson/model-families"))
            .await
            .expect("open the lesson");
        s.wait_for("[data-testid=demo-digits-compare]").await;
        for line in read_all(&s).await {
            println!("run {run}, load: {line}");
        }
        for rep in 0..repeats {
            s.client
                .find(Locator::Css("[data-testid=compare-measure]"))
                .await
                .expect("the Measure again button")
                .click()
                .await
                .expect("click");
            tokio::time::sleep(std::time::Duration::from_millis(300)).await;
            for line in read_all(&s).await {
                println!("run {run}, repeat {rep}: {line}");
            }
        }
        s.close().await;
    }
}
