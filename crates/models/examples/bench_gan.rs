//! Native benchmark of the reference 1D GAN config: 50 warm-up steps, then >= 500 timed steps.
//! Run with `cargo run --release --example bench_gan [steps] [seed]`.

use gentutor_models::gan1d::{bench_steps, Config, Gan1d};
use gentutor_models::link::Settings as _;
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let steps: usize = args
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2000)
        .max(500);
    let seed: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(1);
    let config = Config::default();
    println!("config: #{}", config.to_hash());
    println!("seed: {seed}");
    let mut gan = match Gan1d::new(config, seed) {
        Ok(g) => g,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    let start = Instant::now();
    match bench_steps(&mut gan, 50, steps, || {
        start.elapsed().as_secs_f64() * 1000.0
    }) {
        Ok(r) => println!(
            "{} steps in {:.1} ms: {:.0} steps/s",
            r.steps, r.elapsed_ms, r.steps_per_sec
        ),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
