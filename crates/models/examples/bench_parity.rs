//! Native half of the native-vs-browser comparison: every digit model (classifier, VAE, GAN,
//! flow, diffusion) and the adversarial and semi-supervised GAN demos, through
//! `gentutor_models::bench::suite`, the same code `/bench` runs in the browser. Prints a table,
//! then one line `JSON {...}` with the figures.
//! Run with `cargo run --release -p gentutor-models --example bench_parity`;
//! `cargo run -p gentutor-e2e --bin bench_parity` runs this and `/bench` and prints the ratios.

use gentutor_models::bench::suite::{run, to_json, Job};
use gentutor_models::digit_classifier::Classifier;
use gentutor_models::digits::Digits;
use std::time::Instant;

fn main() {
    let data = Digits::shipped().unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(1)
    });
    // The same network as the site's shipped classifier (`train_digits digit-classifier`).
    let classifier = Classifier::standard(&data).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(1)
    });
    let start = Instant::now();
    let mut now = || start.elapsed().as_secs_f64() * 1000.0;
    let mut all = Vec::new();
    for job in Job::ALL {
        match run(job, &data, &classifier, &mut now) {
            Ok(figs) => {
                for f in &figs {
                    println!("{:<60} {:>10.2} {}", f.label, f.value, f.unit);
                }
                all.extend(figs);
            }
            Err(e) => {
                eprintln!("{}: {e}", job.name());
                std::process::exit(1);
            }
        }
    }
    println!("JSON {}", to_json(&all));
}
