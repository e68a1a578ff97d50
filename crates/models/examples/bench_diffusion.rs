//! Native benchmark of the diffusion demos with the default config (`DiffusionConfig::default()`):
//! denoiser training steps/s, DDPM sampling steps/s, and the cost of a spectrum recomputation.
//! Run with `cargo run --release --example bench_diffusion [train_steps] [seed]`.

use gentutor_models::bench::{bench_steps, BenchReport};
use gentutor_models::diffusion::image::{radial_power_spectrum, GrayImage, ImageForward};
use gentutor_models::diffusion::{Denoiser, DiffusionConfig};
use gentutor_models::link::Settings as _;
use std::time::Instant;

fn ms_each(r: &BenchReport) -> f64 {
    r.elapsed_ms / r.steps.max(1) as f64
}

fn main() {
    let mut args = std::env::args().skip(1);
    let steps: usize = args
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000)
        .max(100);
    let seed: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(1);
    let config = DiffusionConfig::default();
    println!("config: #{}", config.to_hash());
    println!("seed: {seed}");
    let start = Instant::now();
    let now = || start.elapsed().as_secs_f64() * 1000.0;
    let mut den = match Denoiser::new(&config, seed) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    match bench_steps(|n| den.step(n), 20, steps, now) {
        Ok(r) => println!(
            "training: {} steps in {:.1} ms: {:.0} steps/s (batch {})",
            r.steps, r.elapsed_ms, r.steps_per_sec, config.batch
        ),
        Err(e) => eprintln!("{e}"),
    }
    let mut sampler = den.sampler(config.n_points, seed);
    match bench_steps(|n| sampler.step(&den, n), 0, 500, now) {
        Ok(r) => println!(
            "sampling: {} points, {:.2} ms per reverse step ({:.0} steps/s; full T = {} chain {:.0} ms)",
            config.n_points,
            ms_each(&r),
            r.steps_per_sec,
            config.steps,
            ms_each(&r) * config.steps as f64
        ),
        Err(e) => eprintln!("{e}"),
    }
    let image = GrayImage::procedural(64);
    let schedule = den.schedule().clone();
    let fwd = ImageForward::new(image.clone(), seed);
    let mut sink = 0.0;
    let mut timed = |label: &str, reps: usize, f: &mut dyn FnMut() -> f64| {
        let r = bench_steps::<()>(
            |n| {
                for _ in 0..n {
                    sink += f();
                }
                Ok(())
            },
            10,
            reps,
            now,
        );
        if let Ok(r) = r {
            println!("{label}: {:.4} ms", ms_each(&r));
        }
    };
    timed(
        "one 64x64 radial power spectrum (FFT + ring average)",
        200,
        &mut || radial_power_spectrum(image.pixels(), 64).len() as f64,
    );
    timed(
        "full recomputation at a new t (signal + noise, 2 FFTs)",
        200,
        &mut || {
            let (s, q) = fwd.spectra_direct(&schedule, 300);
            (s.len() + q.len()) as f64
        },
    );
    timed(
        "slider move (rescaled cached spectra + crossover + x_t image)",
        2000,
        &mut || {
            fwd.spectra(&schedule, 300).crossover.unwrap_or(0.0)
                + fwd.x_t(&schedule, 300).len() as f64
        },
    );
    println!("(checksum {sink:.3})");
}
