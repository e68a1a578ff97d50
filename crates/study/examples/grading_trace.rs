//! Why the grader graded an answer as it did: `cargo run -p gentutor-study --example
//! grading_trace -- <card id> "<answer>"` prints, for each key point of the card, the phrasing
//! that found or contradicted it, and any misconception or wrong option the answer states.

#[path = "../tests/common/mod.rs"]
mod common;

use gentutor_study::grading::{grade_answer, trace};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(id), Some(answer)) = (
        args.first().and_then(|a| a.parse::<u32>().ok()),
        args.get(1),
    ) else {
        eprintln!("usage: grading_trace <card id> \"<answer>\"");
        std::process::exit(2);
    };
    let cards = common::deck();
    let Some(card) = cards.iter().find(|c| c.id == id) else {
        eprintln!("no card {id}");
        std::process::exit(2);
    };
    println!("{:?}", grade_answer(card, answer).verdict);
    for line in trace(card, answer) {
        println!("  {line}");
    }
}
