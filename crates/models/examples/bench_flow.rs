//! Native benchmark of the default 2D flow config (8 coupling blocks, MLPs 1 -> 32 -> 32 -> 2,
//! batch 128, Adam lr 3e-3, ActNorm on, two moons): 50 warm-up steps, then >= 500 timed steps.
//! Run with `cargo run --release --example bench_flow [steps] [seed]`.

use gentutor_models::flow2d::{bench_flow, Config, Flow2d};
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
    let mut flow = match Flow2d::new(config, seed) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    println!("parameters: {}", flow.param_count());
    let start = Instant::now();
    match bench_flow(&mut flow, 50, steps, || {
        start.elapsed().as_secs_f64() * 1000.0
    }) {
        Ok(r) => println!(
            "{} steps in {:.1} ms: {:.0} steps/s; eval NLL {:.3} nats",
            r.steps,
            r.elapsed_ms,
            r.steps_per_sec,
            flow.eval_nll()
        ),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
