//! Native vs browser, one run: the digit models (classifier, VAE, GAN, flow, diffusion) and the
//! adversarial and semi-supervised GAN demos, measured by the same code
//! (`gentutor_models::bench::suite`) natively (the release example `bench_parity`, started
//! here with cargo) and in headless Chromium (`/bench`, which publishes the same keys under
//! `suite` in `window.gentutorBenchResult`). Prints each figure, native and browser, and the
//! browser's speed as a share of native (rates: browser / native; times: native / browser).
//! Run: `cargo run -p gentutor-e2e --bin bench_parity -- [rounds]` after `make dist`; each
//! round runs native first, then the browser.

use gentutor_e2e::Session;
use serde_json::{Map, Value};
use std::time::Duration;

fn native() -> Map<String, Value> {
    let out = std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args([
            "run",
            "--release",
            "-q",
            "-p",
            "gentutor-models",
            "--example",
            "bench_parity",
        ])
        .output()
        .expect("start cargo for the native half");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "the native bench failed: {}{}",
        text,
        String::from_utf8_lossy(&out.stderr)
    );
    let line = text
        .lines()
        .find_map(|l| l.strip_prefix("JSON "))
        .expect("the native bench prints a JSON line");
    match serde_json::from_str(line) {
        Ok(Value::Object(m)) => m,
        other => panic!("the native JSON is not an object: {other:?}"),
    }
}

async fn browser() -> Map<String, Value> {
    let s = Session::start().await;
    s.client.goto(&s.url("/bench")).await.expect("open /bench");
    // The page runs every benchmark on its main thread; the suite alone takes about a minute.
    let started = std::time::Instant::now();
    let json = loop {
        // A job can hold the page's main thread longer than WebDriver's script timeout on a
        // busy machine: a timed-out read is retried.
        let v = s
            .client
            .execute("return window.gentutorBenchResult || null;", vec![])
            .await;
        if let Ok(Some(j)) = v.as_ref().map(Value::as_str) {
            break j.to_string();
        }
        assert!(
            started.elapsed() < Duration::from_secs(600),
            "/bench published no result in 10 minutes"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    s.close().await;
    let all: Value = serde_json::from_str(&json).expect("/bench publishes JSON");
    match all.get("suite") {
        Some(Value::Object(m)) => m.clone(),
        _ => panic!("/bench's result has no suite: {json}"),
    }
}

#[tokio::main]
async fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1);
    // WASM / native per figure, one entry per round.
    let mut shares: std::collections::BTreeMap<String, Vec<f64>> = Default::default();
    for round in 0..rounds {
        let n = native();
        let b = browser().await;
        println!("round {round}");
        println!(
            "{:<26} {:>12} {:>12} {:>14}",
            "figure", "native", "browser", "WASM / native"
        );
        for (key, nv) in &n {
            let nv = nv.as_f64().unwrap_or(f64::NAN);
            let bv = b.get(key).and_then(Value::as_f64).unwrap_or(f64::NAN);
            // Speed as a share of native: a rate divides directly, a time inversely.
            let share = if key.ends_with("_ms") {
                nv / bv
            } else {
                bv / nv
            };
            println!("{key:<26} {nv:>12.2} {bv:>12.2} {share:>14.2}");
            shares.entry(key.clone()).or_default().push(share);
        }
        println!(
            "JSON {}",
            serde_json::json!({ "round": round, "native": n, "browser": b })
        );
    }
    // On a shared machine one round is noisy: the median over rounds, with the range.
    println!("over {rounds} rounds: WASM / native, median (min-max)");
    for (key, mut v) in shares {
        v.sort_by(f64::total_cmp);
        println!(
            "{key:<26} {:>6.2} ({:.2}-{:.2})",
            v[v.len() / 2],
            v[0],
            v[v.len() - 1]
        );
    }
}
