//! Test-only card builders (tests construct their own cards rather than reading content/).

use gentutor_content::cards::{Card, KeyPoint};

/// A complete card with id `id`, tags and lesson; text fields derived from the id.
pub fn card(id: u32, tags: &[&str], lesson: &str) -> Card {
    Card {
        id,
        front: format!("Question {id}?"),
        back: format!("Answer {id}, at length."),
        answer: format!("Answer {id}."),
        term: format!("Term {id}"),
        definition: format!("Definition {id}"),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        lesson: lesson.to_string(),
        key_points: vec![KeyPoint {
            point: format!("keyword{id}"),
            synonyms: vec![format!("alias{id}")],
        }],
        misconceptions: Vec::new(),
        distractors: vec![
            format!("Wrong {id}a."),
            format!("Wrong {id}b."),
            format!("Wrong {id}c."),
        ],
        true_statement: format!("True {id}."),
        false_statement: format!("False {id}."),
        sources: vec!["Test source".to_string()],
    }
}

/// A card whose key points are `(point, synonyms)`.
pub fn card_with_points(points: &[(&str, &[&str])]) -> Card {
    let mut c = card(1, &["gan"], "gan-objective#training-loop");
    c.key_points = points
        .iter()
        .map(|(p, syn)| KeyPoint {
            point: p.to_string(),
            synonyms: syn.iter().map(|s| s.to_string()).collect(),
        })
        .collect();
    c
}

/// `n` cards with ids 1..=n; odd ids tagged "gan" in lesson "gan-objective", even ids
/// tagged "diffusion" in lesson "diffusion-forward".
pub fn deck(n: u32) -> Vec<Card> {
    (1..=n)
        .map(|id| {
            if id % 2 == 1 {
                card(id, &["gan"], "gan-objective#intuition")
            } else {
                card(id, &["diffusion"], "diffusion-forward#intuition")
            }
        })
        .collect()
}

/// The right answer to a question about a card built by [`card`].
pub fn right_answer(q: &crate::questions::Question) -> crate::questions::Answer {
    use crate::questions::{Answer, Question};
    match q {
        Question::MultipleChoice { correct, .. } | Question::Matching { correct, .. } => {
            Answer::Choice(*correct)
        }
        Question::TrueFalse { is_true, .. } => Answer::TrueFalse(*is_true),
        Question::Typed { card_id, .. } => Answer::Text(format!("keyword{card_id}")),
    }
}

/// A wrong answer to the same question.
pub fn wrong_answer(q: &crate::questions::Question) -> crate::questions::Answer {
    use crate::questions::{Answer, Question};
    match q {
        Question::MultipleChoice {
            correct, options, ..
        } => Answer::Choice((*correct + 1) % options.len().max(1)),
        Question::Matching { correct, terms, .. } => {
            Answer::Choice((*correct + 1) % terms.len().max(1))
        }
        Question::TrueFalse { is_true, .. } => Answer::TrueFalse(!*is_true),
        Question::Typed { .. } => Answer::Text("no idea".to_string()),
    }
}
