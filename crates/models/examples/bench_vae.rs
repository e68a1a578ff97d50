//! Native benchmark of the VAE demo's default settings (see `VaeConfig::default`: encoder
//! 64 -> 64 -> 64 -> 4 and decoder 2 -> 64 -> 64 -> 64, ReLU, Bernoulli decoder, batch 64, Adam
//! lr 2e-3) on the digits' training split: 50 warm-up steps, then >= 500 timed steps; then the
//! time to decode the demo's 15 x 15 grid, and the held-out ELBO reached.
//! Run with `cargo run --release -p gentutor-models --example bench_vae [steps] [hash]`
//! (`hash` is a settings link such as `vh=128&beta=2`).

use gentutor_models::bench::bench_steps;
use gentutor_models::digits::Digits;
use gentutor_models::link::Settings as _;
use gentutor_models::vae::{VaeConfig, VaeTrainer};
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let steps: usize = args
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3000)
        .max(500);
    let config = match args.next() {
        Some(h) => VaeConfig::from_hash(&h).unwrap_or_else(|e| {
            eprintln!("{e}");
            std::process::exit(1)
        }),
        None => VaeConfig::default(),
    };
    println!("config: #{}", config.to_hash());
    let data = Digits::shipped().unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(1)
    });
    let mut t = VaeTrainer::new(&config, data).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(1)
    });
    let start = Instant::now();
    let now = || start.elapsed().as_secs_f64() * 1000.0;
    match bench_steps(|n| t.step(n), 50, steps, now) {
        Ok(r) => println!(
            "{} steps in {:.1} ms: {:.0} steps/s",
            r.steps, r.elapsed_ms, r.steps_per_sec
        ),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
    let t0 = now();
    let reps = 200;
    for _ in 0..reps {
        std::hint::black_box(t.decoded_grid(15, 3.0));
    }
    println!("decode a 15x15 grid: {:.3} ms", (now() - t0) / reps as f64);
    let test = t.test_terms(7);
    println!(
        "after {} steps: test ELBO {:.2} nats (recon {:.2}, KL {:.2})",
        t.step_count(),
        test.elbo(),
        test.recon,
        test.kl
    );
}
