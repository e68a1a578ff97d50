//! How the typed-answer grader agrees with the labelled answers, and how fast it is.
//!
//! `cargo run --release -p gentutor-study --example grading_report` prints the figures on the
//! train split and the held-out sets (`test`, `test2`, `test3`, `test5` to `test8`); add `train` to also list the train
//! answers it disagrees with (held-out answers are never listed: tuning must not see them);
//! `train-only` lists them and prints no held-out figure at all (for tuning runs).

#[path = "../tests/common/mod.rs"]
mod common;

use gentutor_study::grading::labelled::{measure, Figures};
use gentutor_study::grading::{grade_answer, Verdict};
use std::time::Instant;

fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

fn row(name: &str, f: &Figures) {
    println!(
        "{name:<6} n={:<4} agreement {:<7} pass/fail agreement {:<7} right rejected {:<7} (short right rejected {:<7}) wrong accepted {:<7} partial accepted {}",
        f.n,
        pct(f.agreement),
        pct(f.pass_agreement),
        pct(f.false_reject),
        pct(f.short_false_reject),
        pct(f.false_accept),
        pct(f.partial_accept)
    );
}

fn main() {
    let cards = common::deck();
    let train = common::split("train");
    let test = common::split("test");
    let test2 = common::split("test2");
    let test3 = common::split("test3");
    let test5 = common::split("test5");
    let test6 = common::split("test6");
    let test7 = common::split("test7");
    let test8 = common::split("test8");
    let verdict = |c: &_, a: &str| grade_answer(c, a).verdict;
    // `train-only`: tuning runs print no held-out figure at all, not even totals.
    let train_only = std::env::args().any(|a| a == "train-only");
    let held_out: &[(&str, &Vec<_>)] = if train_only {
        &[]
    } else {
        &[
            ("test", &test),
            ("test2", &test2),
            ("test3", &test3),
            ("test5", &test5),
            ("test6", &test6),
            ("test7", &test7),
            ("test8", &test8),
        ]
    };
    let sets: Vec<(&str, &Vec<_>)> = std::iter::once(("train", &train))
        .chain(held_out.iter().copied())
        .collect();
    for &(name, set) in &sets {
        let f = measure(&cards, set, verdict).expect("labelled cards are in the deck");
        row(name, &f);
    }
    // Totals only (no answer is listed): label -> verdict counts.
    for &(name, set) in &sets {
        let mut m = [[0usize; 3]; 3];
        let ix = |v: Verdict| match v {
            Verdict::Correct => 0,
            Verdict::Partial => 1,
            Verdict::Incorrect => 2,
        };
        for item in set.iter() {
            if let Some(c) = cards.iter().find(|c| c.id == item.card) {
                m[ix(item.label)][ix(verdict(c, &item.answer))] += 1;
            }
        }
        println!(
            "{name:<6} label -> verdict (C/P/W): C {:?}  P {:?}  W {:?}",
            m[0], m[1], m[2]
        );
    }
    let all: Vec<_> = train.iter().chain(test.iter()).cloned().collect();
    if !train_only {
        row("all", &measure(&cards, &all, verdict).expect("cards known"));
    }

    let own_answer = cards
        .iter()
        .filter(|c| grade_answer(c, &c.answer).verdict == Verdict::Correct)
        .count();
    let own_back = cards
        .iter()
        .filter(|c| grade_answer(c, &c.back).verdict == Verdict::Correct)
        .count();
    println!(
        "cards' own one-line answer graded Correct: {own_answer}/{}; own back: {own_back}/{}",
        cards.len(),
        cards.len()
    );

    // Time: grade every labelled answer repeatedly (the browser grades one per press).
    let rounds = 20;
    let start = Instant::now();
    let mut sink = 0usize;
    for _ in 0..rounds {
        for item in &all {
            if let Some(c) = cards.iter().find(|c| c.id == item.card) {
                sink += grade_answer(c, &item.answer).found.len();
            }
        }
    }
    let per = start.elapsed().as_secs_f64() / (rounds * all.len()) as f64;
    println!(
        "grading time: {:.1} us per answer (mean over {} gradings; checksum {sink})",
        per * 1e6,
        rounds * all.len()
    );

    // The first answer to a card also tokenises its phrasings and grades its own answer (then
    // cached): time that on a fresh thread, whose cache is empty.
    let cold = std::thread::spawn(move || {
        let start = Instant::now();
        let mut sink = 0usize;
        for c in &cards {
            sink += grade_answer(c, "an answer").found.len();
        }
        (start.elapsed().as_secs_f64() / cards.len() as f64, sink)
    })
    .join()
    .expect("timing thread");
    println!(
        "first answer to a card (cold cache): {:.1} us (mean over the {} cards; checksum {})",
        cold.0 * 1e6,
        common::deck().len(),
        cold.1
    );

    if std::env::args().any(|a| a == "train" || a == "train-only") {
        let cards = common::deck();
        println!("\ntrain answers where the grader disagrees (label -> verdict):");
        for item in &train {
            let Some(c) = cards.iter().find(|c| c.id == item.card) else {
                continue;
            };
            let g = grade_answer(c, &item.answer);
            if g.verdict != item.label {
                println!(
                    "  card {:>2} {:?} -> {:?} found {:?} {:?} contradicted {:?} core {:?}: {}",
                    item.card,
                    item.label,
                    g.verdict,
                    g.found,
                    g.quotes,
                    g.contradicted,
                    g.core,
                    item.answer
                );
            }
        }
    }
}
