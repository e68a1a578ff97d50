//! The grader against the real deck and the held-out labelled answers.

mod common;

use gentutor_study::grading::labelled::measure;
use gentutor_study::grading::{grade_answer, Verdict};

#[test]
fn every_card_accepts_its_own_answer_and_back() {
    let cards = common::deck();
    assert_eq!(cards.len(), 37);
    let mut failures = Vec::new();
    for c in &cards {
        for (what, text) in [("answer", &c.answer), ("back", &c.back)] {
            let g = grade_answer(c, text);
            if g.verdict != Verdict::Correct {
                failures.push(format!(
                    "card {} {what}: {:?} found {:?} contradicted {:?} core {:?}",
                    c.id, g.verdict, g.found, g.contradicted, g.core
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A card's one-line definition (the Matching game's) is a terse right answer: a fair teacher
/// never marks it wrong, nor reads a misconception into it.
#[test]
fn no_card_marks_its_own_definition_wrong() {
    let cards = common::deck();
    let bad: Vec<String> = cards
        .iter()
        .filter_map(|c| {
            let g = grade_answer(c, &c.definition);
            (g.verdict == Verdict::Incorrect || g.misconception.is_some()).then(|| {
                format!(
                    "card {}: {:?} {:?} found {:?} in {:?}",
                    c.id, g.verdict, g.misconception, g.found, c.definition
                )
            })
        })
        .collect();
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// A card's true statement is never read as one of its wrong options or misconceptions (a
/// citation both share, "In Algorithm 1 of Goodfellow et al.", once was).
#[test]
fn no_card_reads_its_true_statement_as_a_misconception() {
    let cards = common::deck();
    let bad: Vec<String> = cards
        .iter()
        .filter_map(|c| {
            let g = grade_answer(c, &c.true_statement);
            g.misconception
                .map(|m| format!("card {}: {m:?} in {:?}", c.id, c.true_statement))
        })
        .collect();
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// Eighth session, second round (spoken and terse train answers, three card tuners, and rules
/// for run-on speech and "invariant to"), all made on train alone: summed over the seven held-out
/// sets the grader agrees with as many answers as before the round (1,165 of 1,251), test8 (a
/// third spoken or terse) rose from 90.7% to 91.8% with right answers rejected 9.5% -> 5.4%, and
/// single answers moved elsewhere (test 94.2 -> 93.7, test3 89.6 -> 89.0, test5 95.1 -> 94.5,
/// test6 94.0 -> 94.5, test7 wrong accepted 1 -> 2 of 65). A later rule (a role word in a
/// relative clause after a phrase is not its subject) let cards 6 and 7 keep two misconceptions
/// the tuners had dropped: test3 89.0 -> 89.6 and test8 91.8 -> 92.3, train unchanged. The floors
/// below are those figures.
///
/// Figures reached on the held-out splits when the grader was tuned (on the train split only);
/// see BENCHMARKS.md. A change that makes any of them worse fails here.
fn check_held_out(name: &str, min_len: usize, floors: (f64, f64, f64)) {
    let (agreement, false_reject, false_accept) = floors;
    let cards = common::deck();
    let set = common::split(name);
    assert!(
        set.len() >= min_len,
        "the held-out split {name} has {} answers",
        set.len()
    );
    let f = measure(&cards, &set, |c, a| grade_answer(c, a).verdict).expect("cards known");
    let report = format!("{name}: {f:?}");
    assert!(f.agreement >= agreement, "agreement fell: {report}");
    assert!(
        f.false_reject <= false_reject,
        "more right answers rejected: {report}"
    );
    assert!(
        f.false_accept <= false_accept,
        "more wrong answers accepted: {report}"
    );
}

/// `test.txt`. Reached (seventh session, n = 190): agreement 94.2%, right answers rejected 2.7%
/// (2 of 75), wrong answers accepted 1.4%. Fifth pass: agreement 87.9%, right answers rejected 9.3%
/// (7 of 75), wrong answers accepted 2.7%. Fourth pass: 81.6%, 12.0%, 2.7%; third pass:
/// 81.1%, 12.0%, 4.1%; second pass: 71.6%, 18.7%, 2.7%; first pass (n = 116): 66.4%, 34.0%,
/// 4.7%.
#[test]
fn held_out_figures_do_not_regress() {
    check_held_out("test", 190, (0.936, 0.027, 0.014));
}

/// `test2.txt`, a second held-out set written and labelled before the third pass graded it.
/// Reached (seventh session, n = 151): agreement 94.0%, right answers rejected 2.7%, wrong
/// answers accepted 2.5%. Fifth pass: agreement 90.7%, right answers rejected 8.1% (6 of 74),
/// wrong answers accepted 2.5% (1 of 40). Fourth pass: 83.4%, 9.5%, 5.0%; third pass: 82.1%,
/// 8.1%, 5.0%; before the third pass: 73.5%, 13.5%, 2.5%.
#[test]
fn second_held_out_figures_do_not_regress() {
    check_held_out("test2", 150, (0.940, 0.028, 0.025));
}

/// `test3.txt`, written and labelled by an independent labeller who never saw the grader, its
/// wordings or the other sets; nobody tuning the grader read it (its figures were read at
/// milestones). Reached (seventh session, n = 182): agreement 89.6%, right answers rejected
/// 6.8% (5 of 74), wrong answers accepted 1.5%. Fifth pass: agreement 88.5%, right answers rejected 9.5%
/// (7 of 74), wrong answers accepted 1.5% (1 of 65). Fourth pass: 80.2%, 14.9%, 3.1%; third
/// pass: 77.8%, 14.9%, 4.6% on its first 185 answers.
#[test]
fn third_held_out_figures_do_not_regress() {
    check_held_out("test3", 180, (0.895, 0.055, 0.016));
}

/// `test5.txt`, written and labelled by an independent labeller at the start of the seventh
/// session and kept outside the repository until every change of that session was made; read
/// once, at the end (two answers that were word for word older train answers were then
/// removed). Reached (n = 183): agreement 95.1%, right answers rejected 2.7% (2 of 74), wrong
/// answers accepted 0.0% (0 of 64). The grader and cards at the start of that session
/// (7b5f27a) scored 83.1%, 17.6%, 0.0% on it.
#[test]
fn fifth_held_out_figures_do_not_regress() {
    check_held_out("test5", 180, (0.945, 0.028, 0.0));
}

/// `test6.txt`, written by another independent labeller at the same time and kept and read
/// the same way (three answers that were word for word older train answers removed). Reached
/// (n = 182): agreement 93.4%, right answers rejected 2.7% (2 of 74), wrong answers accepted
/// 1.5% (1 of 65). At 7b5f27a: 86.3%, 8.1%, 3.1%. Agreement 94.0% after the rules for list
/// markers, subscript digits, "dalle2" and duplicate flips (made on train alone).
#[test]
fn sixth_held_out_figures_do_not_regress() {
    check_held_out("test6", 180, (0.944, 0.028, 0.0));
}

/// `test7.txt` and `test8.txt`, written by two more independent labellers in the eighth session
/// (test8 with about a third spoken or terse answers), kept outside the repository and read once
/// after that session's grader changes (seven answers that were word for word train answers
/// then removed). Reached: test7 (n = 180) agreement 94.4%, right answers rejected 2.7% (2 of
/// 74), wrong answers accepted 1.5% (1 of 65); test8 (n = 183) 90.7%, 9.5% (7 of 74), 0.0% (0 of
/// 65).
#[test]
fn seventh_and_eighth_held_out_figures_do_not_regress() {
    check_held_out("test7", 180, (0.944, 0.028, 0.031));
    check_held_out("test8", 180, (0.923, 0.055, 0.0));
}

/// A held-out answer that is also a train answer is not held out: the grader's wordings were
/// tuned on train. Compared after folding case, spacing and end punctuation.
#[test]
fn no_held_out_answer_is_in_train() {
    fn norm(s: &str) -> String {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
            .trim_end_matches(['.', '!', ';'])
            .to_string()
    }
    let train: std::collections::HashSet<(u32, String)> = common::split("train")
        .iter()
        .map(|l| (l.card, norm(&l.answer)))
        .collect();
    let mut leaked = Vec::new();
    for name in ["test", "test2", "test3", "test5", "test6", "test7", "test8"] {
        for l in common::split(name) {
            if train.contains(&(l.card, norm(&l.answer))) {
                leaked.push(format!("{name}: card {} {:?}", l.card, l.answer));
            }
        }
    }
    assert!(
        leaked.is_empty(),
        "held-out answers also in train:\n{}",
        leaked.join("\n")
    );
}
