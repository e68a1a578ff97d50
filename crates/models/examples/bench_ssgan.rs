//! Native benchmark of the semi-supervised GAN demo's default settings (moons, K = 2, 10 labels
//! per class, 1,000 unlabelled points, critic and generator 2 -> 64 -> 64 leaky ReLU, batch 128,
//! Adam 2e-3 / 1e-3, betas (0.5, 0.999)). One step = one critic step (labelled, unlabelled and
//! generated terms), one feature-matching generator step and one labels-only step. 50 warm-up
//! steps, then the timed steps; then the time of one view (two 48 x 48 decision rasters); then,
//! with `sweep`, the label sweep (1, 3, 10, 30, 50 labels per class, 1,500 steps each) for every
//! data set.
//! Run with `cargo run --release -p gentutor-models --example bench_ssgan [steps] [sweep]`.

use gentutor_models::bench::bench_steps;
use gentutor_models::link::Settings as _;
use gentutor_models::ssgan::{LabelSweep, LabelledSet, Ssgan, SsganConfig};
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let steps: usize = args
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000)
        .max(500);
    let sweep = args.next().as_deref() == Some("sweep");
    let config = SsganConfig::default();
    println!("config: #{}", config.to_hash());
    let mut s = Ssgan::new(config);
    let start = Instant::now();
    let now = || start.elapsed().as_secs_f64() * 1000.0;
    match bench_steps(|n| s.step(n), 50, steps, now) {
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
    for _ in 0..20 {
        std::hint::black_box(s.view(48));
    }
    println!("view (two 48 x 48 rasters): {:.2} ms", (now() - t0) / 20.0);
    if sweep {
        for set in LabelledSet::ALL {
            let mut w = LabelSweep::new(
                SsganConfig {
                    dataset: set,
                    ..config
                },
                1500,
            );
            if let Err(e) = w.step(usize::MAX) {
                eprintln!("{e}");
                std::process::exit(1);
            }
            let row: Vec<String> = w
                .results
                .iter()
                .map(|r| {
                    format!(
                        "{}: {:.3} vs {:.3}",
                        r.labels, r.accuracy.ssgan, r.accuracy.labels_only
                    )
                })
                .collect();
            println!(
                "{} (labels per class: semi-supervised vs labels only) {}",
                set.name(),
                row.join(", ")
            );
        }
    }
}
