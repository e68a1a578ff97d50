//! Labelled typed answers and the figures that compare the grader with a teacher's labels.
//!
//! The data lives in `crates/study/data/grading/{train,test,test2,test3,test5,test6}.txt`: one
//! answer a line, `<card id> <label> <answer>`, labels `C` (correct), `P` (partial), `W`
//! (wrong); `#` starts a comment line. The grader's rules and the cards' wordings were tuned on
//! `train.txt` only; the held-out test sets (written and labelled before the grader saw them, the
//! last two by independent labellers) are held out, and the crate's tests pin the figures
//! reached on each.

use super::Verdict;
use gentutor_content::cards::Card;

/// A line of a labelled-answers file that could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LabelledError {
    #[error("line {line}: expected `<card id> <C|P|W> <answer>`, found {text:?}")]
    Malformed { line: usize, text: String },
    #[error("line {line}: card {card} is not in the deck")]
    UnknownCard { line: usize, card: u32 },
}

/// One typed answer with the teacher's verdict.
#[derive(Debug, Clone, PartialEq)]
pub struct Labelled {
    pub card: u32,
    pub label: Verdict,
    pub answer: String,
}

/// Parses a labelled-answers file (see the module docs).
pub fn parse_labelled(text: &str) -> Result<Vec<Labelled>, LabelledError> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let malformed = || LabelledError::Malformed {
            line: i + 1,
            text: line.to_string(),
        };
        let mut parts = line.splitn(3, ' ');
        let card = parts
            .next()
            .and_then(|s| s.parse::<u32>().ok())
            .ok_or_else(malformed)?;
        let label = match parts.next() {
            Some("C") => Verdict::Correct,
            Some("P") => Verdict::Partial,
            Some("W") => Verdict::Incorrect,
            _ => return Err(malformed()),
        };
        let answer = parts.next().map(str::trim).unwrap_or("");
        if answer.is_empty() {
            return Err(malformed());
        }
        out.push(Labelled {
            card,
            label,
            answer: answer.to_string(),
        });
    }
    Ok(out)
}

/// How a grader's verdicts compare with the labels.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Figures {
    /// Answers measured.
    pub n: usize,
    /// Fraction of answers whose verdict equals the label (three ways: correct/partial/wrong).
    pub agreement: f64,
    /// Fraction of answers where both say "correct" or both say "not correct".
    pub pass_agreement: f64,
    /// Fraction of right answers (`C`) not graded `Correct`.
    pub false_reject: f64,
    /// Fraction of wrong answers (`W`) graded `Correct`.
    pub false_accept: f64,
    /// Fraction of partial answers (`P`) graded `Correct`.
    pub partial_accept: f64,
    /// Fraction of right answers of at most eight words not graded `Correct`.
    pub short_false_reject: f64,
}

/// Grades every labelled answer with `grade` and compares. Answers whose card is missing from
/// `cards` are an error, so a renumbered deck cannot silently shrink the set.
pub fn measure(
    cards: &[Card],
    set: &[Labelled],
    grade: impl Fn(&Card, &str) -> Verdict,
) -> Result<Figures, LabelledError> {
    let mut agree = 0usize;
    let mut pass_agree = 0usize;
    let (mut right, mut right_rejected) = (0usize, 0usize);
    let (mut short_right, mut short_rejected) = (0usize, 0usize);
    let (mut wrong, mut wrong_accepted) = (0usize, 0usize);
    let (mut partial, mut partial_accepted) = (0usize, 0usize);
    for (i, item) in set.iter().enumerate() {
        let card = cards
            .iter()
            .find(|c| c.id == item.card)
            .ok_or(LabelledError::UnknownCard {
                line: i + 1,
                card: item.card,
            })?;
        let v = grade(card, &item.answer);
        agree += usize::from(v == item.label);
        pass_agree += usize::from((v == Verdict::Correct) == (item.label == Verdict::Correct));
        let passed = v == Verdict::Correct;
        match item.label {
            Verdict::Correct => {
                right += 1;
                right_rejected += usize::from(!passed);
                if item.answer.split_whitespace().count() <= 8 {
                    short_right += 1;
                    short_rejected += usize::from(!passed);
                }
            }
            Verdict::Incorrect => {
                wrong += 1;
                wrong_accepted += usize::from(passed);
            }
            Verdict::Partial => {
                partial += 1;
                partial_accepted += usize::from(passed);
            }
        }
    }
    let frac = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    Ok(Figures {
        n: set.len(),
        agreement: frac(agree, set.len()),
        pass_agreement: frac(pass_agree, set.len()),
        false_reject: frac(right_rejected, right),
        false_accept: frac(wrong_accepted, wrong),
        partial_accept: frac(partial_accepted, partial),
        short_false_reject: frac(short_rejected, short_right),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_cards::card_with_points;

    #[test]
    fn parses_lines_and_rejects_bad_ones() {
        let set = parse_labelled("# c\n\n1 C alpha beta\n1 W  gamma \n").expect("valid");
        assert_eq!(set.len(), 2);
        assert_eq!(set[0].label, Verdict::Correct);
        assert_eq!(set[1].answer, "gamma");
        assert!(matches!(
            parse_labelled("1 X alpha"),
            Err(LabelledError::Malformed { line: 1, .. })
        ));
        assert!(parse_labelled("x C alpha").is_err());
        assert!(parse_labelled("1 C").is_err());
    }

    #[test]
    fn figures_count_each_kind_of_disagreement() {
        let card = card_with_points(&[("alpha", &[])]);
        let set =
            parse_labelled("1 C alpha\n1 C beta\n1 W alpha\n1 W beta\n1 P alpha").expect("ok");
        let f = measure(std::slice::from_ref(&card), &set, |c, a| {
            super::super::grade_answer(c, a).verdict
        })
        .expect("cards known");
        assert_eq!(f.n, 5);
        assert!((f.agreement - 2.0 / 5.0).abs() < 1e-12, "{f:?}");
        assert!((f.false_reject - 0.5).abs() < 1e-12);
        assert!((f.false_accept - 0.5).abs() < 1e-12);
        assert!((f.partial_accept - 1.0).abs() < 1e-12);
        let missing = parse_labelled("9 C alpha").expect("ok");
        assert!(measure(&[card], &missing, |_, _| Verdict::Correct).is_err());
    }
}
