//! Native benchmark of the digits flow demo's default settings (`FlowConfig::default`: ActNorm
//! and 6 affine couplings, conditioners 32 -> 64 -> 64 -> 64 tanh, batch 64, Adam lr 1e-3) on
//! the digits' training split: 50 warm-up steps, then at least 500 timed steps; the time to draw the
//! demo's 36 samples; and, with `curve`, the test bits/dim every 500 steps up to `steps`.
//! Run with `cargo run --release -p gentutor-models --example bench_digits_flow [steps] [curve]`.

use gentutor_models::bench::bench_steps;
use gentutor_models::digits::Digits;
use gentutor_models::digits_flow::{DigitsFlow, FlowConfig};
use gentutor_models::link::Settings as _;
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let steps: usize = args
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000)
        .max(500);
    let curve = args.next().is_some_and(|a| a == "curve");
    let config = FlowConfig::default();
    println!("config: #{}", config.to_hash());
    let data = Digits::shipped().unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(1)
    });
    let mut f = DigitsFlow::new(&config, data).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(1)
    });
    let start = Instant::now();
    let now = || start.elapsed().as_secs_f64() * 1000.0;
    if curve {
        println!("step 0: test bits/dim {:.3}", f.test_bits_per_dim());
        while f.step_count() < steps as u64 {
            if let Err(e) = f.step(500) {
                eprintln!("{e}");
                std::process::exit(1)
            }
            println!(
                "step {}: test bits/dim {:.3}, train batch {:.3}",
                f.step_count(),
                f.test_bits_per_dim(),
                f.recent_train_bpd(50)
            );
        }
        return;
    }
    match bench_steps(|n| f.step(n), 50, steps, now) {
        Ok(r) => println!(
            "{} steps in {:.1} ms: {:.0} steps/s",
            r.steps, r.elapsed_ms, r.steps_per_sec
        ),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1)
        }
    }
    let t0 = now();
    let reps = 20;
    for i in 0..reps {
        std::hint::black_box(f.samples(36, 0.7, i));
    }
    println!("36 samples: {:.2} ms", (now() - t0) / reps as f64);
    println!(
        "test bits/dim after {} steps: {:.3}",
        f.step_count(),
        f.test_bits_per_dim()
    );
}
