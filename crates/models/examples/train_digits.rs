//! Trains a digit model and writes its checkpoint (the files the site ships in
//! `assets/checkpoints/`, see `gentutor_models::checkpoint`).
//!
//! ```text
//! cargo run --release -p gentutor-models --example train_digits -- <kind> [--seed S] [--steps N] [--out FILE]
//! cargo run --release -p gentutor-models --example train_digits -- --list
//! cargo run --release -p gentutor-models --example train_digits -- --check FILE
//! ```
//! Without `--seed`/`--steps` the recipe's shipped values are used, so
//! `train_digits vae` rebuilds `assets/checkpoints/vae.gtck` byte for byte; `--out` defaults to
//! that path. `--check FILE` reads a checkpoint, retrains it from the seed and step count its
//! header states, and fails unless the bytes are identical.

use gentutor_models::checkpoint::{recipes::recipe, Checkpoint, RECIPES};
use gentutor_models::digits::Digits;
use std::time::Instant;

fn fail(msg: impl std::fmt::Display) -> ! {
    eprintln!("train_digits: {msg}");
    std::process::exit(1)
}

fn usage() -> ! {
    eprintln!(
        "usage: train_digits <kind> [--seed S] [--steps N] [--out FILE] | --list | --check FILE"
    );
    eprintln!("kinds:");
    for r in RECIPES {
        eprintln!(
            "  {:<18} seed {}, {} steps: {}",
            r.kind, r.seed, r.steps, r.about
        );
    }
    std::process::exit(2)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(first) = args.first() else { usage() };
    if first == "--list" {
        for r in RECIPES {
            println!("{}\t{}\t{}\t{}", r.kind, r.seed, r.steps, r.about);
        }
        return;
    }
    let data = Digits::shipped().unwrap_or_else(|e| fail(e));
    if first == "--check" {
        let path = args.get(1).unwrap_or_else(|| usage());
        let bytes = std::fs::read(path).unwrap_or_else(|e| fail(format!("{path}: {e}")));
        let c = Checkpoint::decode(&bytes).unwrap_or_else(|e| fail(format!("{path}: {e}")));
        let r = recipe(&c.kind).unwrap_or_else(|| fail(format!("no recipe for `{}`", c.kind)));
        let again = (r.train)(&data, c.seed, c.steps, &mut |_| {})
            .and_then(|c| Ok(c.encode()?))
            .unwrap_or_else(|e| fail(e));
        if again != bytes {
            fail(format!(
                "{path}: retraining `{}` (seed {}, {} steps) gave different bytes",
                c.kind, c.seed, c.steps
            ));
        }
        println!("{path}: reproduced byte for byte");
        return;
    }
    let r = recipe(first).unwrap_or_else(|| usage());
    let (mut seed, mut steps) = (r.seed, r.steps);
    let mut out = format!("assets/checkpoints/{}.gtck", r.kind);
    let mut it = args[1..].iter();
    while let Some(flag) = it.next() {
        let val = it.next().unwrap_or_else(|| usage());
        match flag.as_str() {
            "--seed" => seed = val.parse().unwrap_or_else(|_| usage()),
            "--steps" => steps = val.parse().unwrap_or_else(|_| usage()),
            "--out" => out = val.clone(),
            _ => usage(),
        }
    }
    let t0 = Instant::now();
    let mut last = 0.0;
    let c = (r.train)(&data, seed, steps, &mut |s| {
        let t = t0.elapsed().as_secs_f64();
        if t - last > 2.0 || s == steps {
            last = t;
            eprintln!("{}: step {s}/{steps} ({t:.1} s)", r.kind);
        }
    })
    .unwrap_or_else(|e| fail(e));
    let bytes = c.encode().unwrap_or_else(|e| fail(e));
    std::fs::write(&out, &bytes).unwrap_or_else(|e| fail(format!("{out}: {e}")));
    println!(
        "{out}: {} (seed {seed}, {steps} steps, {} bytes, {:.1} s)",
        r.kind,
        bytes.len(),
        t0.elapsed().as_secs_f64()
    );
    for (k, v) in &c.metrics {
        println!("  {k} = {v:.4}");
    }
}
