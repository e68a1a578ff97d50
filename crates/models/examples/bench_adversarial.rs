//! Native benchmark of the adversarial-examples demo: training the two classifiers (the digit
//! MLP 64 -> 64 -> 10 and softmax regression 64 -> 10, batch 64, Adam 2e-3, 1,500 steps each;
//! one step below = one step of both), then the time to build the demo's view for one setting
//! (FGSM on one digit for both models, the 33-point eps sweep, and both models' held-out
//! accuracy under attack on 359 digits), and the linear model's ||w_i - w_j||_1 over all pairs.
//! Run with `cargo run --release -p gentutor-models --example bench_adversarial`.

use gentutor_models::adversarial::{AttackSettings, AttackView, ModelsTrainer, Target, GREY_STEP};
use gentutor_models::bench::bench_steps;
use gentutor_models::digits::{Digits, CLASSES, PIXELS};
use std::time::Instant;

fn main() {
    let data = Digits::shipped().unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(1)
    });
    let mut t = ModelsTrainer::new(data).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(1)
    });
    let start = Instant::now();
    let now = || start.elapsed().as_secs_f64() * 1000.0;
    match bench_steps(|n| t.step(n), 50, 1450, now) {
        Ok(r) => println!(
            "classifier training: {} steps in {:.1} ms: {:.0} steps/s (both models)",
            r.steps, r.elapsed_ms, r.steps_per_sec
        ),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
    let m = t.models();
    let reps = 50;
    let t0 = now();
    for i in 0..reps {
        let s = AttackSettings {
            image: i,
            eps: GREY_STEP,
            target: Target(if i % 2 == 0 { None } else { Some(3) }),
        };
        if let Err(e) = AttackView::new(&m, s) {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
    println!(
        "view (attack + sweep + held-out accuracy): {:.2} ms",
        (now() - t0) / reps as f64
    );
    let w = &m.linear.mlp.layers[0].w;
    let mut l1 = Vec::new();
    for a in 0..CLASSES {
        for b in (a + 1)..CLASSES {
            l1.push(
                (0..PIXELS)
                    .map(|i| f64::from((w[[i, a]] - w[[i, b]]).abs()))
                    .sum::<f64>(),
            );
        }
    }
    l1.sort_by(f64::total_cmp);
    let mean = l1.iter().sum::<f64>() / l1.len() as f64;
    println!(
        "linear model ||w_i - w_j||_1 over the 45 pairs: min {:.1}, mean {mean:.1}, max {:.1}; one grey level ({GREY_STEP}) moves a logit gap by up to {:.2} on average",
        l1[0],
        l1[l1.len() - 1],
        mean * f64::from(GREY_STEP)
    );
}
