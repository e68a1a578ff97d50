//! Question generation from a card (Learn and Test modes) and answer checking.

use super::grading::{grade_answer, Grade};
use super::rng::SplitMix64;
use gentutor_content::cards::Card;
use serde::{Deserialize, Serialize};

/// The kinds of question a card can produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum QuestionKind {
    /// The card's front, with `back` and the three distractors shuffled.
    MultipleChoice,
    /// The card's true or false statement.
    TrueFalse,
    /// The card's front, answered in words and graded by key points.
    Typed,
    /// The card's definition, with its term and up to three other cards' terms.
    Matching,
}

impl QuestionKind {
    /// All kinds, in the order Test mode lists them.
    pub const ALL: [QuestionKind; 4] = [
        QuestionKind::MultipleChoice,
        QuestionKind::TrueFalse,
        QuestionKind::Typed,
        QuestionKind::Matching,
    ];
}

/// A question ready to show. Text is Markdown with `$math$`, as in the card.
#[derive(Debug, Clone, PartialEq)]
pub enum Question {
    MultipleChoice {
        card_id: u32,
        prompt: String,
        options: Vec<String>,
        /// Index of the right option in `options`.
        correct: usize,
    },
    TrueFalse {
        card_id: u32,
        statement: String,
        is_true: bool,
    },
    Typed {
        card_id: u32,
        prompt: String,
    },
    Matching {
        card_id: u32,
        definition: String,
        terms: Vec<String>,
        /// Index of the right term in `terms`.
        correct: usize,
    },
}

impl Question {
    /// The card this question is about.
    pub fn card_id(&self) -> u32 {
        match self {
            Question::MultipleChoice { card_id, .. }
            | Question::TrueFalse { card_id, .. }
            | Question::Typed { card_id, .. }
            | Question::Matching { card_id, .. } => *card_id,
        }
    }

    /// The answer picked by the number key `key` ("1" is the first option shown, "1" True and
    /// "2" False for true/false); `None` for other keys, out-of-range numbers and typed
    /// questions.
    pub fn answer_for_key(&self, key: &str) -> Option<Answer> {
        let i = key.parse::<usize>().ok()?.checked_sub(1)?;
        match self {
            Question::MultipleChoice { options, .. }
            | Question::Matching { terms: options, .. } => {
                (i < options.len()).then_some(Answer::Choice(i))
            }
            Question::TrueFalse { .. } => (i < 2).then_some(Answer::TrueFalse(i == 0)),
            Question::Typed { .. } => None,
        }
    }

    /// Its kind.
    pub fn kind(&self) -> QuestionKind {
        match self {
            Question::MultipleChoice { .. } => QuestionKind::MultipleChoice,
            Question::TrueFalse { .. } => QuestionKind::TrueFalse,
            Question::Typed { .. } => QuestionKind::Typed,
            Question::Matching { .. } => QuestionKind::Matching,
        }
    }
}

/// What the learner answered.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// Option index (multiple choice, matching).
    Choice(usize),
    /// True/false.
    TrueFalse(bool),
    /// Typed text.
    Text(String),
}

/// The checked answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    pub correct: bool,
    /// In [0, 1]: 0/1 for choice questions, the key-point fraction for typed ones.
    pub score: f64,
    /// Key-point details for typed answers.
    pub grade: Option<Grade>,
    /// What the learner gave, as text for a report (empty when nothing was given).
    pub given: String,
    /// The right answer as text for a report.
    pub right_answer: String,
    /// What the learner gave, as a class event records it ([`response_for`]).
    pub response: Option<String>,
}

/// Builds a question of `kind` about `card`. `deck` supplies other cards' terms for a
/// `Matching` question (the card itself is skipped; fewer than three others is fine).
pub fn build_question(
    card: &Card,
    kind: QuestionKind,
    deck: &[Card],
    rng: &mut SplitMix64,
) -> Question {
    match kind {
        QuestionKind::MultipleChoice => {
            let mut options = vec![card.mc_answer().to_string()];
            for d in &card.distractors {
                if !d.trim().is_empty() && !options.contains(d) {
                    options.push(d.clone());
                }
            }
            let (options, correct) = shuffle_with_answer(options, rng);
            Question::MultipleChoice {
                card_id: card.id,
                prompt: card.front.clone(),
                options,
                correct,
            }
        }
        QuestionKind::TrueFalse => {
            let want_true = rng.next_u64() & 1 == 0;
            let is_true = if card.false_statement.trim().is_empty() {
                true
            } else if card.true_statement.trim().is_empty() {
                false
            } else {
                want_true
            };
            let statement = if is_true {
                card.true_statement.clone()
            } else {
                card.false_statement.clone()
            };
            Question::TrueFalse {
                card_id: card.id,
                statement,
                is_true,
            }
        }
        QuestionKind::Typed => Question::Typed {
            card_id: card.id,
            prompt: card.front.clone(),
        },
        QuestionKind::Matching => {
            let mut others: Vec<&Card> = deck
                .iter()
                .filter(|c| c.id != card.id && c.term != card.term)
                .collect();
            rng.shuffle(&mut others);
            let mut terms = vec![card.term.clone()];
            for c in others {
                if terms.len() == 4 {
                    break;
                }
                if !terms.contains(&c.term) {
                    terms.push(c.term.clone());
                }
            }
            let (terms, correct) = shuffle_with_answer(terms, rng);
            Question::Matching {
                card_id: card.id,
                definition: card.definition.clone(),
                terms,
                correct,
            }
        }
    }
}

/// Shuffles `items` whose first element is the right one; returns its new index.
fn shuffle_with_answer(items: Vec<String>, rng: &mut SplitMix64) -> (Vec<String>, usize) {
    let mut order: Vec<usize> = (0..items.len()).collect();
    rng.shuffle(&mut order);
    let correct = order.iter().position(|&i| i == 0).unwrap_or(0);
    let shuffled = order
        .iter()
        .filter_map(|&i| items.get(i).cloned())
        .collect();
    (shuffled, correct)
}

/// Checks `answer` to `question` (about `card`). A wrong answer type or an out-of-range
/// index counts as wrong, never panics.
pub fn check_answer(card: &Card, question: &Question, answer: &Answer) -> Checked {
    let mut checked = check_only(card, question, answer);
    checked.response = response_for(card, question, answer);
    checked
}

/// Whether `answer` is right for a true/false question: what [`check_answer`] decides for
/// [`Question::TrueFalse`] (false for any other question). The lesson quiz uses this, so the
/// first-load app carries no typed-answer grader (the study modes that grade typed answers are
/// loaded lazily).
pub fn true_false_correct(question: &Question, answer: bool) -> bool {
    matches!(question, Question::TrueFalse { is_true, .. } if *is_true == answer)
}

/// The learner's response as a class event records it (the teacher sees the most frequent
/// wrong ones per card): multiple choice, the option's id (`answer` for the right one, `d1`..
/// for the card's distractors in card order); true/false, `true` or `false`; matching, the term
/// picked; typed, the text (`events::clean_response`). `None` when nothing was given.
pub fn response_for(card: &Card, question: &Question, answer: &Answer) -> Option<String> {
    match (question, answer) {
        (Question::MultipleChoice { options, .. }, Answer::Choice(i)) => {
            let picked = options.get(*i)?;
            if picked == card.mc_answer() {
                Some("answer".into())
            } else {
                let d = card.distractors.iter().position(|d| d == picked)?;
                Some(format!("d{}", d + 1))
            }
        }
        (Question::Matching { terms, .. }, Answer::Choice(i)) => {
            crate::events::clean_response(terms.get(*i)?)
        }
        (Question::TrueFalse { .. }, Answer::TrueFalse(b)) => Some(b.to_string()),
        (Question::Typed { .. }, Answer::Text(t)) => crate::events::clean_response(t),
        _ => None,
    }
}

fn check_only(card: &Card, question: &Question, answer: &Answer) -> Checked {
    match question {
        Question::MultipleChoice {
            options, correct, ..
        }
        | Question::Matching {
            terms: options,
            correct,
            ..
        } => {
            let right_answer = options.get(*correct).cloned().unwrap_or_default();
            let (ok, given) = match answer {
                Answer::Choice(i) => (*i == *correct, options.get(*i).cloned().unwrap_or_default()),
                _ => (false, String::new()),
            };
            choice(ok, given, right_answer)
        }
        Question::TrueFalse { is_true, .. } => {
            let right_answer = if *is_true {
                "True".to_string()
            } else {
                format!("False. True is: {}", card.true_statement)
            };
            let (ok, given) = match answer {
                Answer::TrueFalse(b) => (
                    *b == *is_true,
                    if *b { "True" } else { "False" }.to_string(),
                ),
                _ => (false, String::new()),
            };
            choice(ok, given, right_answer)
        }
        Question::Typed { .. } => {
            let text = match answer {
                Answer::Text(t) => t.as_str(),
                _ => "",
            };
            let grade = grade_answer(card, text);
            Checked {
                correct: grade.is_correct(),
                score: grade.score,
                given: text.to_string(),
                right_answer: card.back.clone(),
                grade: Some(grade),
                response: None,
            }
        }
    }
}

fn choice(ok: bool, given: String, right_answer: String) -> Checked {
    Checked {
        correct: ok,
        score: if ok { 1.0 } else { 0.0 },
        grade: None,
        given,
        right_answer,
        response: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_cards::{card, deck};

    #[test]
    fn true_false_correct_agrees_with_check_answer() {
        let c = &deck(3)[0];
        for is_true in [true, false] {
            let q = Question::TrueFalse {
                card_id: c.id,
                statement: String::new(),
                is_true,
            };
            for b in [true, false] {
                let full = check_answer(c, &q, &Answer::TrueFalse(b)).correct;
                assert_eq!(
                    true_false_correct(&q, b),
                    full,
                    "is_true {is_true}, answer {b}"
                );
            }
            assert!(true_false_correct(&q, is_true));
        }
        let mut rng = SplitMix64::new(1);
        let mc = build_question(c, QuestionKind::MultipleChoice, &deck(6), &mut rng);
        assert!(!true_false_correct(&mc, true) && !true_false_correct(&mc, false));
    }

    #[test]
    fn responses_name_the_option_picked_or_the_text_typed() {
        let cards = deck(6);
        let c = &cards[0];
        let mut rng = SplitMix64::new(9);
        let mc = build_question(c, QuestionKind::MultipleChoice, &cards, &mut rng);
        let Question::MultipleChoice { options, .. } = &mc else {
            panic!("{mc:?}");
        };
        for (i, o) in options.iter().enumerate() {
            let want = if o == c.mc_answer() {
                "answer".to_string()
            } else {
                let d = c
                    .distractors
                    .iter()
                    .position(|d| d == o)
                    .expect("a distractor");
                format!("d{}", d + 1)
            };
            let got = check_answer(c, &mc, &Answer::Choice(i)).response;
            assert_eq!(got.as_deref(), Some(want.as_str()), "option {i}: {o}");
        }
        assert_eq!(check_answer(c, &mc, &Answer::Choice(9)).response, None);
        let tf = build_question(c, QuestionKind::TrueFalse, &cards, &mut rng);
        assert_eq!(
            check_answer(c, &tf, &Answer::TrueFalse(false))
                .response
                .as_deref(),
            Some("false")
        );
        let m = build_question(c, QuestionKind::Matching, &cards, &mut rng);
        let Question::Matching { terms, .. } = &m else {
            panic!("{m:?}");
        };
        assert_eq!(
            check_answer(c, &m, &Answer::Choice(1)).response.as_deref(),
            Some(terms[1].as_str())
        );
        let typed = build_question(c, QuestionKind::Typed, &cards, &mut rng);
        let long = format!("  the\tgenerator\u{0}\n{}", "x".repeat(900));
        let r = check_answer(c, &typed, &Answer::Text(long))
            .response
            .expect("kept");
        assert!(r.starts_with("the generator x"), "{r}");
        assert_eq!(r.chars().count(), crate::events::MAX_RESPONSE_CHARS);
        assert_eq!(
            check_answer(c, &typed, &Answer::Text("  ".into())).response,
            None
        );
    }

    #[test]
    fn number_keys_pick_the_options_shown_with_those_numbers() {
        let cards = deck(6);
        let mut rng = SplitMix64::new(3);
        let mc = build_question(&cards[0], QuestionKind::MultipleChoice, &cards, &mut rng);
        assert_eq!(mc.answer_for_key("1"), Some(Answer::Choice(0)));
        assert_eq!(mc.answer_for_key("4"), Some(Answer::Choice(3)));
        assert_eq!(mc.answer_for_key("5"), None);
        assert_eq!(mc.answer_for_key("0"), None);
        assert_eq!(mc.answer_for_key("a"), None);
        // The key's answer is graded as the option with that number.
        let Question::MultipleChoice { correct, .. } = &mc else {
            panic!("{mc:?}");
        };
        let key = (correct + 1).to_string();
        let a = mc.answer_for_key(&key).expect("in range");
        assert!(check_answer(&cards[0], &mc, &a).correct);
        let tf = build_question(&cards[0], QuestionKind::TrueFalse, &cards, &mut rng);
        assert_eq!(tf.answer_for_key("1"), Some(Answer::TrueFalse(true)));
        assert_eq!(tf.answer_for_key("2"), Some(Answer::TrueFalse(false)));
        assert_eq!(tf.answer_for_key("3"), None);
        let typed = build_question(&cards[0], QuestionKind::Typed, &cards, &mut rng);
        assert_eq!(typed.answer_for_key("1"), None);
        let m = build_question(&cards[0], QuestionKind::Matching, &cards, &mut rng);
        assert_eq!(m.answer_for_key("2"), Some(Answer::Choice(1)));
    }

    #[test]
    fn multiple_choice_has_back_and_three_distractors_shuffled_by_seed() {
        let c = card(4, &["gan"], "gan-objective#intuition");
        let mut seen_positions = std::collections::BTreeSet::new();
        for seed in 0..16 {
            let q = build_question(
                &c,
                QuestionKind::MultipleChoice,
                &[],
                &mut SplitMix64::new(seed),
            );
            let Question::MultipleChoice {
                options, correct, ..
            } = &q
            else {
                panic!("wrong kind {q:?}");
            };
            assert_eq!(options.len(), 4);
            assert_eq!(options[*correct], c.answer);
            for d in &c.distractors {
                assert!(options.contains(d));
            }
            seen_positions.insert(*correct);
            assert!(check_answer(&c, &q, &Answer::Choice(*correct)).correct);
            assert!(!check_answer(&c, &q, &Answer::Choice((*correct + 1) % 4)).correct);
            assert!(!check_answer(&c, &q, &Answer::Choice(99)).correct);
        }
        assert!(
            seen_positions.len() >= 3,
            "answer position should vary: {seen_positions:?}"
        );
        let a = build_question(
            &c,
            QuestionKind::MultipleChoice,
            &[],
            &mut SplitMix64::new(5),
        );
        let b = build_question(
            &c,
            QuestionKind::MultipleChoice,
            &[],
            &mut SplitMix64::new(5),
        );
        assert_eq!(a, b);
    }

    #[test]
    fn true_false_uses_both_statements() {
        let c = card(2, &["gan"], "gan-objective#intuition");
        let mut rng = SplitMix64::new(1);
        let mut saw = (false, false);
        for _ in 0..20 {
            let q = build_question(&c, QuestionKind::TrueFalse, &[], &mut rng);
            let Question::TrueFalse {
                statement, is_true, ..
            } = &q
            else {
                panic!("wrong kind");
            };
            let expected = if *is_true {
                &c.true_statement
            } else {
                &c.false_statement
            };
            assert_eq!(statement, expected);
            if *is_true {
                saw.0 = true
            } else {
                saw.1 = true
            }
            assert!(check_answer(&c, &q, &Answer::TrueFalse(*is_true)).correct);
            assert!(!check_answer(&c, &q, &Answer::TrueFalse(!*is_true)).correct);
        }
        assert_eq!(saw, (true, true));
    }

    #[test]
    fn typed_is_graded_by_key_points_and_matching_offers_other_terms() {
        let d = deck(6);
        let c = &d[2];
        let q = build_question(c, QuestionKind::Typed, &d, &mut SplitMix64::new(0));
        let ok = check_answer(c, &q, &Answer::Text("it is alias3".into()));
        assert!(ok.correct && ok.grade.is_some());
        let bad = check_answer(c, &q, &Answer::Text(String::new()));
        assert!(!bad.correct && bad.score == 0.0);

        let m = build_question(c, QuestionKind::Matching, &d, &mut SplitMix64::new(3));
        let Question::Matching {
            terms,
            correct,
            definition,
            ..
        } = &m
        else {
            panic!("wrong kind");
        };
        assert_eq!(definition, &c.definition);
        assert_eq!(terms.len(), 4);
        assert_eq!(terms[*correct], c.term);
        let mut uniq = terms.clone();
        uniq.sort();
        uniq.dedup();
        assert_eq!(uniq.len(), 4);
        assert!(check_answer(c, &m, &Answer::Choice(*correct)).correct);
        // Wrong answer type is simply wrong.
        assert!(!check_answer(c, &m, &Answer::TrueFalse(true)).correct);
    }
}
