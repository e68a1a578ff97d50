//! Mastery per card and per lesson, combining the evidence from every mode.

use super::progress::Progress;
use super::scheduler::{recall_probability, Rating, DAY_MS};
use gentutor_content::cards::Card;

/// How mastery is computed, in words the UI can show verbatim.
pub const MASTERY_DEFINITION: &str = "\
Mastery of a card is a number from 0 to 1 that combines up to three kinds of evidence:
- R, memory: the FSRS estimate of the probability that you would still recall the card 30 days from now (only once you have reviewed it in Review), so a card you just forgot, or saw only once, is not counted as known;
- L, Learn progress: your Learn stage divided by 3 (0 = multiple choice, 1/3 = true/false, 2/3 = typed, 1 = learned);
- T, recent results: your mean score over the 5 most recent Test and lesson-quiz answers on the card.
Mastery = (0.5 R + 0.25 L + 0.25 T) / (the sum of the weights of the evidence you have), so missing evidence is left out rather than counted as zero.
Levels: New = no evidence yet; Learning = below 0.5, or your latest Review rating was Again; Familiar = 0.5 or more; Mastered = 0.85 or more backed by at least two kinds of evidence (one kind alone stops at Familiar).
A lesson's mastery is the mean over its cards (cards with no evidence count as 0); the lesson is Mastered only when every card is.";

/// How far ahead memory is judged. Recall probability *now* is ~1 right after any rating,
/// Again included; a month ahead it reflects the stability FSRS estimated, which a lapse cuts.
pub const MEMORY_HORIZON_DAYS: i64 = 30;
/// Weights of the evidence terms (memory, Learn, results).
const W_RECALL: f64 = 0.5;
const W_LEARN: f64 = 0.25;
const W_RESULTS: f64 = 0.25;
/// How many recent Test/quiz results count.
const RECENT_RESULTS: usize = 5;
/// Level thresholds.
const FAMILIAR_AT: f64 = 0.5;
const MASTERED_AT: f64 = 0.85;

/// Mastery level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MasteryLevel {
    New,
    Learning,
    Familiar,
    Mastered,
}

/// One card's mastery with its evidence.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mastery {
    /// In [0, 1].
    pub value: f64,
    pub level: MasteryLevel,
    /// R: FSRS recall probability [`MEMORY_HORIZON_DAYS`] from now, if reviewed.
    pub recall: Option<f64>,
    /// L: Learn stage / 3, if the card was ever answered in Learn.
    pub learn: Option<f64>,
    /// T: mean of the recent Test/quiz scores, if any.
    pub results: Option<f64>,
}

/// Per-lesson summary.
#[derive(Debug, Clone, PartialEq)]
pub struct LessonMastery {
    pub slug: String,
    /// Mean card mastery in [0, 1].
    pub value: f64,
    pub level: MasteryLevel,
    /// Number of cards at each level: [new, learning, familiar, mastered].
    pub counts: [usize; 4],
}

fn level_of(value: f64, kinds: usize, lapsed: bool) -> MasteryLevel {
    if kinds == 0 {
        MasteryLevel::New
    } else if lapsed {
        MasteryLevel::Learning
    } else if value >= MASTERED_AT && kinds >= 2 {
        MasteryLevel::Mastered
    } else if value >= FAMILIAR_AT {
        MasteryLevel::Familiar
    } else {
        MasteryLevel::Learning
    }
}

/// The mastery of `card_id` at `now_ms` (see [`MASTERY_DEFINITION`]).
pub fn card_mastery(progress: &Progress, card_id: u32, now_ms: i64) -> Mastery {
    let Some(c) = progress.cards.get(&card_id) else {
        return Mastery {
            value: 0.0,
            level: MasteryLevel::New,
            recall: None,
            learn: None,
            results: None,
        };
    };
    let horizon = now_ms.saturating_add(MEMORY_HORIZON_DAYS * DAY_MS);
    let recall = c.fsrs.as_ref().and_then(|s| recall_probability(s, horizon));
    let lapsed = c
        .review_log
        .last()
        .is_some_and(|e| e.rating == Rating::Again);
    let learn = (!c.learn_log.is_empty() || c.learn_stage.index() > 0)
        .then(|| f64::from(c.learn_stage.index()) / 3.0);
    let mut recent: Vec<(i64, f64)> = c
        .test_results
        .iter()
        .chain(c.quiz_results.iter())
        .map(|r| (r.at_ms, r.score))
        .collect();
    recent.sort_by_key(|r| std::cmp::Reverse(r.0));
    recent.truncate(RECENT_RESULTS);
    let results =
        (!recent.is_empty()).then(|| recent.iter().map(|r| r.1).sum::<f64>() / recent.len() as f64);
    let mut num = 0.0;
    let mut den = 0.0;
    let mut kinds = 0;
    for (w, x) in [(W_RECALL, recall), (W_LEARN, learn), (W_RESULTS, results)] {
        if let Some(x) = x.filter(|x| x.is_finite()) {
            num += w * x.clamp(0.0, 1.0);
            den += w;
            kinds += 1;
        }
    }
    let value = if den > 0.0 {
        (num / den).clamp(0.0, 1.0)
    } else {
        0.0
    };
    Mastery {
        value,
        level: level_of(value, kinds, lapsed),
        recall,
        learn,
        results,
    }
}

/// The mastery of the lesson `slug` (cards whose `lesson` starts with `slug#` or equals it),
/// or `None` if it has no cards.
pub fn lesson_mastery(
    cards: &[Card],
    progress: &Progress,
    slug: &str,
    now_ms: i64,
) -> Option<LessonMastery> {
    let ms: Vec<Mastery> = cards
        .iter()
        .filter(|c| c.lesson_slug() == slug)
        .map(|c| card_mastery(progress, c.id, now_ms))
        .collect();
    if ms.is_empty() {
        return None;
    }
    let mut counts = [0usize; 4];
    for m in &ms {
        counts[m.level as usize] += 1;
    }
    let value = ms.iter().map(|m| m.value).sum::<f64>() / ms.len() as f64;
    let level = if counts[MasteryLevel::New as usize] == ms.len() {
        MasteryLevel::New
    } else if counts[MasteryLevel::Mastered as usize] == ms.len() {
        MasteryLevel::Mastered
    } else if value >= FAMILIAR_AT {
        MasteryLevel::Familiar
    } else {
        MasteryLevel::Learning
    };
    Some(LessonMastery {
        slug: slug.to_string(),
        value,
        level,
        counts,
    })
}

/// Mastery of the lessons `slugs`, in that order (the lessons' reading order), skipping those
/// without cards.
pub fn lessons_in_order<'a>(
    cards: &[Card],
    progress: &Progress,
    slugs: impl IntoIterator<Item = &'a str>,
    now_ms: i64,
) -> Vec<LessonMastery> {
    slugs
        .into_iter()
        .filter_map(|s| lesson_mastery(cards, progress, s, now_ms))
        .collect()
}

/// Mastery of every lesson that has cards, in order of first appearance in `cards`.
pub fn all_lessons(cards: &[Card], progress: &Progress, now_ms: i64) -> Vec<LessonMastery> {
    let mut slugs: Vec<&str> = Vec::new();
    for c in cards {
        if !slugs.contains(&c.lesson_slug()) {
            slugs.push(c.lesson_slug());
        }
    }
    slugs
        .into_iter()
        .filter_map(|s| lesson_mastery(cards, progress, s, now_ms))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questions::QuestionKind;
    use crate::scheduler::Scheduler;
    use crate::test_cards::deck;

    const T0: i64 = 1_750_000_000_000;

    #[test]
    fn no_evidence_is_new_and_zero() {
        let p = Progress::fresh();
        let m = card_mastery(&p, 1, T0);
        assert_eq!((m.value, m.level), (0.0, MasteryLevel::New));
        assert!(MASTERY_DEFINITION.contains("0.5 R + 0.25 L + 0.25 T"));
    }

    #[test]
    fn formula_combines_available_evidence() {
        let mut p = Progress::fresh();
        // Learn stage TrueFalse only: L = 1/3.
        p.record_learn_answer(1, 1, true, T0);
        let m = card_mastery(&p, 1, T0);
        assert!((m.value - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!(m.level, MasteryLevel::Learning);
        // Add results 1.0 and 0.5 (mean 0.75): (0.25/3 + 0.25*0.75) / 0.5.
        p.record_test_result(1, QuestionKind::Typed, 1.0, true, false, T0);
        p.record_quiz_answer(1, QuestionKind::TrueFalse, false, false, T0 + 1);
        p.record_test_result(1, QuestionKind::Typed, 0.5, false, false, T0 + 2);
        let m = card_mastery(&p, 1, T0);
        let t = (1.0 + 0.0 + 0.5) / 3.0;
        let expected = (0.25 / 3.0 + 0.25 * t) / 0.5;
        assert!((m.value - expected).abs() < 1e-12, "{m:?}");
        // Add a review just now: R is the recall probability a month ahead.
        p.record_review(1, Rating::Good, &Scheduler::default(), T0);
        let m = card_mastery(&p, 1, T0);
        let r = p.cards[&1]
            .fsrs
            .as_ref()
            .and_then(|s| recall_probability(s, T0 + MEMORY_HORIZON_DAYS * DAY_MS))
            .expect("reviewed");
        assert_eq!(m.recall, Some(r));
        assert!(r > 0.3 && r < 0.9, "one Good is not yet durable: {r}");
        let expected = (0.5 * r + 0.25 / 3.0 + 0.25 * t) / 1.0;
        assert!((m.value - expected).abs() < 1e-12, "{m:?}");
        // Memory decays with time, so mastery drops.
        let later = card_mastery(&p, 1, T0 + 30 * DAY_MS);
        assert!(later.value < m.value);
    }

    #[test]
    fn a_lapse_lowers_mastery_right_away() {
        let s = Scheduler::default();
        let mut p = Progress::fresh();
        // Three good reviews, each when due: a well-remembered card.
        let mut t = T0;
        for _ in 0..3 {
            let log = p.record_review(7, Rating::Good, &s, t);
            t = log.due_ms;
        }
        let before = card_mastery(&p, 7, t);
        // Forgotten at the next due date: rated Again.
        p.record_review(7, Rating::Again, &s, t);
        let after = card_mastery(&p, 7, t);
        assert!(
            after.value < before.value - 0.2,
            "a lapse must lower mastery: {before:?} -> {after:?}"
        );
        assert_eq!(after.level, MasteryLevel::Learning, "{after:?}");
        // A card whose only evidence is an Again is not Familiar either.
        p.record_review(8, Rating::Again, &s, T0);
        let m = card_mastery(&p, 8, T0);
        assert_eq!(m.level, MasteryLevel::Learning, "{m:?}");
        // Good right after rates higher than Again right after.
        p.record_review(9, Rating::Good, &s, T0);
        assert!(card_mastery(&p, 9, T0).value > m.value);
    }

    #[test]
    fn only_recent_results_count_and_mastered_needs_two_kinds() {
        let mut p = Progress::fresh();
        for i in 0..5 {
            p.record_test_result(2, QuestionKind::MultipleChoice, 0.0, false, false, T0 + i);
        }
        for i in 5..10 {
            p.record_test_result(2, QuestionKind::MultipleChoice, 1.0, true, false, T0 + i);
        }
        let m = card_mastery(&p, 2, T0);
        assert_eq!(m.results, Some(1.0));
        assert_eq!(
            m.level,
            MasteryLevel::Familiar,
            "one kind of evidence caps at Familiar"
        );
        for r in 1..=3 {
            p.record_learn_answer(2, r, true, T0);
        }
        let m = card_mastery(&p, 2, T0);
        assert!((m.value - 1.0).abs() < 1e-12);
        assert_eq!(m.level, MasteryLevel::Mastered);
    }

    #[test]
    fn lesson_mastery_is_the_mean_over_its_cards() {
        let cards = deck(4); // gan: 1, 3; diffusion: 2, 4
        let mut p = Progress::fresh();
        for r in 1..=3 {
            p.record_learn_answer(1, r, true, T0);
        }
        p.record_test_result(1, QuestionKind::Typed, 1.0, true, false, T0);
        let gan = lesson_mastery(&cards, &p, "gan-objective", T0).expect("has cards");
        assert!((gan.value - 0.5).abs() < 1e-12);
        assert_eq!(gan.counts, [1, 0, 0, 1]);
        assert_eq!(gan.level, MasteryLevel::Familiar);
        let diff = lesson_mastery(&cards, &p, "diffusion-forward", T0).expect("has cards");
        assert_eq!(diff.level, MasteryLevel::New);
        assert!(lesson_mastery(&cards, &p, "vdm", T0).is_none());
        let ordered = lessons_in_order(
            &cards,
            &p,
            ["diffusion-forward", "vdm", "gan-objective"],
            T0,
        );
        assert_eq!(
            ordered.iter().map(|l| l.slug.as_str()).collect::<Vec<_>>(),
            vec!["diffusion-forward", "gan-objective"],
            "the given order, lessons without cards left out"
        );
        let all = all_lessons(&cards, &p, T0);
        assert_eq!(
            all.iter().map(|l| l.slug.as_str()).collect::<Vec<_>>(),
            vec!["gan-objective", "diffusion-forward"]
        );
    }
}
