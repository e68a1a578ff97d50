//! Native benchmark of the digits diffusion demo's default settings
//! (`DiffusionDigitsConfig::default`: denoiser [x_t, emb(t)] 80 -> 256 -> 256 -> 64 ReLU, T = 100,
//! cosine schedule, batch 64, Adam lr 1e-3) on the digits' training split: 50 warm-up steps,
//! then at least 500 timed steps; then the time of the demo's ancestral sampling (36 samples,
//! T = 100 reverse steps) and the held-out L_simple reached.
//! Run with `cargo run --release -p gentutor-models --example bench_digits_diffusion [steps]`.

use gentutor_models::bench::bench_steps;
use gentutor_models::digits::Digits;
use gentutor_models::digits_diffusion::{DiffusionDigitsConfig, DigitsDiffusion};
use gentutor_models::link::Settings as _;
use std::time::Instant;

fn main() {
    let steps: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000)
        .max(500);
    let config = DiffusionDigitsConfig::default();
    println!("config: #{}", config.to_hash());
    let data = Digits::shipped().unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(1)
    });
    let mut m = DigitsDiffusion::new(&config, data).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(1)
    });
    let start = Instant::now();
    let now = || start.elapsed().as_secs_f64() * 1000.0;
    match bench_steps(|n| m.step(n), 50, steps, now) {
        Ok(r) => println!(
            "{} steps in {:.1} ms: {:.0} steps/s",
            r.steps, r.elapsed_ms, r.steps_per_sec
        ),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1)
        }
    }
    let reps = 5;
    let t0 = now();
    for i in 0..reps {
        if let Err(e) = m.sample(36, i) {
            eprintln!("{e}");
            std::process::exit(1)
        }
    }
    println!(
        "36 samples, T = {} reverse steps: {:.1} ms",
        config.steps,
        (now() - t0) / reps as f64
    );
    println!(
        "held-out L_simple after {} steps: {:.3}",
        m.step_count(),
        m.test_loss(1)
    );
}
