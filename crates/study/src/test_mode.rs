//! Test mode: a one-off scored test with chosen size, question types and tags, and a report
//! per question and per tag with the right answers and lesson links.

use super::progress::Progress;
use super::questions::{build_question, check_answer, Answer, Checked, Question, QuestionKind};
use super::rng::SplitMix64;
use super::StudyError;
use gentutor_content::cards::Card;
use std::collections::BTreeMap;

/// What the learner asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct TestConfig {
    /// Number of questions; clamped to [1, number of matching cards] (one question per card).
    pub count: usize,
    /// Question types to mix (at least one).
    pub kinds: Vec<QuestionKind>,
    /// Only cards with at least one of these tags; empty = all cards.
    pub tags: Vec<String>,
}

/// The generated test.
#[derive(Debug, Clone, PartialEq)]
pub struct TestPaper {
    pub questions: Vec<Question>,
    /// How many questions the learner asked for (more than `questions.len()` when fewer
    /// cards match; see [`TestPaper::shortfall_note`]).
    pub requested: usize,
}

impl TestPaper {
    /// Says so when the test is shorter than asked because fewer cards match.
    pub fn shortfall_note(&self) -> Option<String> {
        let n = self.questions.len();
        (self.requested > n).then(|| {
            format!(
                "You asked for {} questions, but only {n} card{} match{} your choice, so this test has {n} question{} (one per card).",
                self.requested,
                if n == 1 { "" } else { "s" },
                if n == 1 { "es" } else { "" },
                if n == 1 { "" } else { "s" },
            )
        })
    }

    /// The (0-based) questions with no answer yet: none chosen, or typed text that is blank.
    pub fn unanswered(&self, answers: &[Option<Answer>]) -> Vec<usize> {
        (0..self.questions.len())
            .filter(|&i| match answers.get(i).and_then(Option::as_ref) {
                None => true,
                Some(Answer::Text(t)) => t.trim().is_empty(),
                Some(_) => false,
            })
            .collect()
    }

    /// The warning to show before scoring a test with unanswered questions, if any.
    pub fn unanswered_warning(&self, answers: &[Option<Answer>]) -> Option<String> {
        let open = self.unanswered(answers);
        if open.is_empty() {
            return None;
        }
        let list = open
            .iter()
            .map(|i| (i + 1).to_string())
            .collect::<Vec<_>>()
            .join(", ");
        Some(format!(
            "{} of {} questions {} no answer yet (question{} {list}); unanswered questions count as wrong.",
            open.len(),
            self.questions.len(),
            if open.len() == 1 { "has" } else { "have" },
            if open.len() == 1 { "" } else { "s" },
        ))
    }
}

/// One graded question.
#[derive(Debug, Clone, PartialEq)]
pub struct TestItemReport {
    pub question: Question,
    pub checked: Checked,
    /// The card's full answer (`card.back`), shown under the right answer.
    pub explanation: String,
    /// `slug#anchor` of the lesson section to revisit (`card.lesson`).
    pub lesson: String,
    pub tags: Vec<String>,
    /// The learner overrode a wrong typed answer ("I was right").
    pub overridden: bool,
}

/// Score for one tag.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct TagScore {
    pub correct: usize,
    pub total: usize,
    /// Mean item score in [0, 1] (typed answers give partial credit).
    pub score: f64,
}

/// The graded test.
#[derive(Debug, Clone, PartialEq)]
pub struct TestReport {
    pub items: Vec<TestItemReport>,
    pub correct: usize,
    pub total: usize,
    /// Mean item score in [0, 1].
    pub score: f64,
    pub per_tag: BTreeMap<String, TagScore>,
}

/// Builds a test: picks `count` distinct cards among those matching `tags` (seeded shuffle)
/// and spreads the chosen kinds evenly over them (then shuffles which card gets which).
pub fn build_test(cards: &[Card], config: &TestConfig, seed: u64) -> Result<TestPaper, StudyError> {
    let mut kinds = config.kinds.clone();
    kinds.sort_unstable();
    kinds.dedup();
    if kinds.is_empty() {
        return Err(StudyError::NoQuestionKinds);
    }
    let mut pool: Vec<&Card> = cards
        .iter()
        .filter(|c| config.tags.is_empty() || c.tags.iter().any(|t| config.tags.contains(t)))
        .collect();
    if pool.is_empty() {
        return Err(StudyError::NoCards {
            what: format!("the tags {}", config.tags.join(", ")),
        });
    }
    let mut rng = SplitMix64::new(seed);
    rng.shuffle(&mut pool);
    let n = config.count.clamp(1, pool.len());
    pool.truncate(n);
    let mut assigned: Vec<QuestionKind> = (0..n).map(|i| kinds[i % kinds.len()]).collect();
    rng.shuffle(&mut assigned);
    let questions = pool
        .iter()
        .zip(assigned)
        .map(|(card, kind)| build_question(card, kind, cards, &mut rng))
        .collect();
    Ok(TestPaper {
        questions,
        requested: config.count.max(1),
    })
}

/// Grades the answers (`answers[i]` for question `i`; missing or `None` counts as wrong).
/// Questions whose card is no longer in `cards` are skipped.
pub fn grade_test(cards: &[Card], paper: &TestPaper, answers: &[Option<Answer>]) -> TestReport {
    let items = paper
        .questions
        .iter()
        .enumerate()
        .filter_map(|(i, q)| {
            let card = cards.iter().find(|c| c.id == q.card_id())?;
            let checked = match answers.get(i).and_then(Option::as_ref) {
                Some(a) => check_answer(card, q, a),
                None => {
                    let mut c = check_answer(card, q, &Answer::Text(String::new()));
                    c.correct = false;
                    c.score = 0.0;
                    c
                }
            };
            Some(TestItemReport {
                question: q.clone(),
                checked,
                explanation: card.back.clone(),
                lesson: card.lesson.clone(),
                tags: card.tags.clone(),
                overridden: false,
            })
        })
        .collect();
    let mut report = TestReport {
        items,
        correct: 0,
        total: 0,
        score: 0.0,
        per_tag: BTreeMap::new(),
    };
    report.recount();
    report
}

impl TestReport {
    fn recount(&mut self) {
        self.total = self.items.len();
        self.correct = self.items.iter().filter(|i| i.checked.correct).count();
        let sum: f64 = self.items.iter().map(|i| i.checked.score).sum();
        self.score = if self.total == 0 {
            0.0
        } else {
            sum / self.total as f64
        };
        let mut sums: BTreeMap<String, (usize, usize, f64)> = BTreeMap::new();
        for item in &self.items {
            for tag in &item.tags {
                let e = sums.entry(tag.clone()).or_default();
                e.0 += usize::from(item.checked.correct);
                e.1 += 1;
                e.2 += item.checked.score;
            }
        }
        self.per_tag = sums
            .into_iter()
            .map(|(tag, (correct, total, sum))| {
                let score = if total == 0 { 0.0 } else { sum / total as f64 };
                (
                    tag,
                    TagScore {
                        correct,
                        total,
                        score,
                    },
                )
            })
            .collect();
    }

    /// "I was right" on item `index` (typed questions only). Returns false if not applicable.
    pub fn override_item(&mut self, index: usize) -> bool {
        let Some(item) = self.items.get_mut(index) else {
            return false;
        };
        if item.checked.correct || item.question.kind() != QuestionKind::Typed {
            return false;
        }
        item.checked.correct = true;
        item.checked.score = 1.0;
        item.checked.grade = item.checked.grade.as_ref().map(|g| g.overridden_correct());
        item.overridden = true;
        self.recount();
        true
    }

    /// Items answered wrongly, with their lesson links (for "Review these sections").
    pub fn to_review(&self) -> Vec<&TestItemReport> {
        self.items.iter().filter(|i| !i.checked.correct).collect()
    }

    /// Saves every item as a Test result in `progress`.
    pub fn record_into(&self, progress: &mut Progress, now_ms: i64) {
        for item in &self.items {
            progress.record_test_result(
                item.question.card_id(),
                item.question.kind(),
                item.checked.score,
                item.checked.correct,
                item.overridden,
                now_ms,
            );
            let card = progress.card_mut(item.question.card_id());
            if let Some(last) = card.test_results.last_mut() {
                last.response = item.checked.response.clone();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_cards::{deck, right_answer, wrong_answer};

    fn config(count: usize, kinds: &[QuestionKind], tags: &[&str]) -> TestConfig {
        TestConfig {
            count,
            kinds: kinds.to_vec(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
        }
    }

    #[test]
    fn picks_distinct_cards_with_the_tags_and_mixes_kinds_evenly() {
        let cards = deck(20);
        let paper =
            build_test(&cards, &config(6, &QuestionKind::ALL[..3], &["gan"]), 11).expect("paper");
        assert_eq!(paper.questions.len(), 6);
        let mut ids: Vec<u32> = paper.questions.iter().map(Question::card_id).collect();
        assert!(ids.iter().all(|id| id % 2 == 1), "only gan cards: {ids:?}");
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 6);
        for k in &QuestionKind::ALL[..3] {
            assert_eq!(paper.questions.iter().filter(|q| q.kind() == *k).count(), 2);
        }
        // Asking for more than exist gives one per card.
        let all =
            build_test(&cards, &config(99, &[QuestionKind::Matching], &["gan"]), 1).expect("paper");
        assert_eq!(all.questions.len(), 10);
        assert_eq!(
            build_test(&cards, &config(6, &[QuestionKind::Typed], &[]), 11),
            build_test(&cards, &config(6, &[QuestionKind::Typed], &[]), 11)
        );
    }

    #[test]
    fn a_short_test_says_why_and_unanswered_questions_are_listed() {
        let cards = deck(6);
        // Only 3 cards carry the tag, but 20 questions were asked for.
        let paper =
            build_test(&cards, &config(20, &[QuestionKind::Typed], &["gan"]), 2).expect("paper");
        assert_eq!(paper.questions.len(), 3);
        let note = paper.shortfall_note().expect("a note");
        assert!(
            note.contains("asked for 20") && note.contains("only 3 cards"),
            "{note}"
        );
        let exact =
            build_test(&cards, &config(3, &[QuestionKind::Typed], &["gan"]), 2).expect("paper");
        assert_eq!(exact.shortfall_note(), None);
        let answers = vec![
            Some(Answer::Text("an answer".into())),
            Some(Answer::Text("   ".into())),
        ];
        assert_eq!(paper.unanswered(&answers), vec![1, 2]);
        let w = paper.unanswered_warning(&answers).expect("warning");
        assert!(
            w.starts_with("2 of 3 questions have no answer yet (questions 2, 3)"),
            "{w}"
        );
        let all: Vec<Option<Answer>> = (0..3).map(|_| Some(Answer::Text("x".into()))).collect();
        assert_eq!(paper.unanswered_warning(&all), None);
    }

    #[test]
    fn errors_for_no_kinds_or_no_cards() {
        let cards = deck(4);
        assert_eq!(
            build_test(&cards, &config(3, &[], &[]), 0),
            Err(StudyError::NoQuestionKinds)
        );
        assert!(matches!(
            build_test(&cards, &config(3, &[QuestionKind::Typed], &["vae"]), 0),
            Err(StudyError::NoCards { .. })
        ));
    }

    #[test]
    fn report_scores_per_question_and_per_tag_with_links() {
        let cards = deck(8);
        let paper = build_test(&cards, &config(8, &QuestionKind::ALL, &[]), 5).expect("paper");
        // Right on gan (odd) cards, wrong on diffusion (even); the last answer is missing.
        let mut answers: Vec<Option<Answer>> = paper
            .questions
            .iter()
            .map(|q| {
                Some(if q.card_id() % 2 == 1 {
                    right_answer(q)
                } else {
                    wrong_answer(q)
                })
            })
            .collect();
        let last_id = paper.questions[7].card_id();
        answers.pop();
        let report = grade_test(&cards, &paper, &answers);
        assert_eq!(report.total, 8);
        let gan_right = if last_id % 2 == 1 { 3 } else { 4 };
        assert_eq!(report.correct, gan_right);
        assert_eq!(report.per_tag["gan"].correct, gan_right);
        assert_eq!(report.per_tag["gan"].total, 4);
        assert_eq!(report.per_tag["diffusion"].correct, 0);
        assert!((report.score - gan_right as f64 / 8.0).abs() < 1e-12);
        for item in &report.items {
            let id = item.question.card_id();
            let expected = if id % 2 == 1 {
                "gan-objective#intuition"
            } else {
                "diffusion-forward#intuition"
            };
            assert_eq!(item.lesson, expected);
            assert!(!item.checked.right_answer.is_empty());
        }
        assert_eq!(report.to_review().len(), 8 - gan_right);
    }

    #[test]
    fn override_and_recording() {
        let cards = deck(4);
        let paper = build_test(&cards, &config(2, &[QuestionKind::Typed], &[]), 3).expect("paper");
        let answers = vec![Some(Answer::Text("something else".into())), None];
        let mut report = grade_test(&cards, &paper, &answers);
        assert_eq!(report.correct, 0);
        assert!(report.override_item(0));
        assert!(!report.override_item(0), "already correct");
        assert!(!report.override_item(9));
        assert_eq!(report.correct, 1);
        assert!((report.score - 0.5).abs() < 1e-12);
        let mut p = Progress::fresh();
        report.record_into(&mut p, 1_000);
        let id0 = paper.questions[0].card_id();
        let r = &p.cards[&id0].test_results[0];
        assert!(r.correct && r.overridden && r.at_ms == 1_000);
    }
}
