//! Native benchmark of the digits GAN demo's default settings (`DigitsGanConfig::default()`:
//! G 16 -> 128 -> 128 -> 64 tanh, D 64 -> 128 -> 128 -> 1, LeakyReLU 0.2, batch 64, Adam 1e-3
//! with betas (0.5, 0.999), non-saturating loss): 50 warm-up steps, then timed steps; the time
//! to generate the demo's 64-image grid and 1,000 samples with their coverage read-out; and the
//! coverage every `every` steps.
//! Run with `cargo run --release -p gentutor-models --example bench_digits_gan [steps] [every] [hash]`.

use gentutor_models::bench::bench_steps;
use gentutor_models::digit_classifier::Classifier;
use gentutor_models::digits::Digits;
use gentutor_models::digits_gan::{Coverage, DigitsGan, DigitsGanConfig};
use gentutor_models::link::Settings as _;
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let steps: usize = args
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000)
        .max(100);
    let every: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(0);
    let config = match args.next() {
        Some(h) => DigitsGanConfig::from_hash(&h).unwrap_or_else(|e| {
            eprintln!("{e}");
            std::process::exit(1)
        }),
        None => DigitsGanConfig::default(),
    };
    println!("config: #{}", config.to_hash());
    let data = Digits::shipped().unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(1)
    });
    let classifier = Classifier::standard(&data).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(1)
    });
    let mut g = DigitsGan::new(&config, &data).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(1)
    });
    let start = Instant::now();
    let now = || start.elapsed().as_secs_f64() * 1000.0;
    if every == 0 {
        match bench_steps(|n| g.step(n), 50, steps, now) {
            Ok(r) => println!(
                "{} steps in {:.1} ms: {:.0} steps/s",
                r.steps, r.elapsed_ms, r.steps_per_sec
            ),
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(1);
            }
        }
    } else {
        while g.step_count() < steps as u64 {
            if let Err(e) = g.step(every) {
                eprintln!("{e}");
                std::process::exit(1);
            }
            let cov = Coverage::of(&classifier, g.samples(1000, 77).view());
            println!(
                "step {:>6}: produced {:?} dropped {:?} confident {:.2} counts {:?} ({:.1} s)",
                g.step_count(),
                cov.produced(),
                cov.dropped(),
                cov.confident_share(),
                cov.counts,
                now() / 1000.0
            );
        }
    }
    let reps = 200;
    let t0 = now();
    for _ in 0..reps {
        std::hint::black_box(g.grid());
    }
    println!(
        "generate the 64-image grid: {:.3} ms",
        (now() - t0) / reps as f64
    );
    let t0 = now();
    let cov = Coverage::of(&classifier, g.samples(1000, 77).view());
    println!(
        "1000 samples + coverage: {:.2} ms; after {} steps: produced {:?}, dropped {:?}",
        now() - t0,
        g.step_count(),
        cov.produced(),
        cov.dropped()
    );
}
