//! Small pieces of study-session bookkeeping the UI needs on top of the modes: how many new
//! cards Review has introduced recently (so the daily new-card limit survives a reload), and an
//! "I was right" override of a Test answer that is already saved.

use super::progress::Progress;
use super::questions::QuestionKind;
use super::scheduler::Phase;

/// Cards whose first review (a review of a card in the `New` phase) happened at or after
/// `since_ms`.
pub fn new_introduced_since(progress: &Progress, since_ms: i64) -> usize {
    progress
        .cards
        .values()
        .filter(|c| {
            c.review_log
                .iter()
                .any(|e| e.phase_before == Phase::New && e.reviewed_ms >= since_ms)
        })
        .count()
}

/// How many new cards Review may still introduce at `now_ms`: the per-session setting minus the
/// cards introduced in the last 24 hours.
pub fn new_cards_left(progress: &Progress, now_ms: i64) -> usize {
    let limit = progress.settings.new_cards_per_session as usize;
    let since = now_ms.saturating_sub(super::scheduler::DAY_MS);
    limit.saturating_sub(new_introduced_since(progress, since))
}

/// Turns the saved Test result of `card_id` (asked as `kind`, recorded at `at_ms`) into a
/// correct, overridden one. Returns false if there is no such wrong result.
pub fn override_test_result(
    progress: &mut Progress,
    card_id: u32,
    kind: QuestionKind,
    at_ms: i64,
) -> bool {
    let Some(c) = progress.cards.get_mut(&card_id) else {
        return false;
    };
    match c
        .test_results
        .iter_mut()
        .rev()
        .find(|r| r.at_ms == at_ms && r.kind == kind && !r.correct)
    {
        Some(r) => {
            r.correct = true;
            r.score = 1.0;
            r.overridden = true;
            true
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduler::{Rating, Scheduler, DAY_MS};

    #[test]
    fn new_cards_are_counted_once_and_only_inside_the_window() {
        let mut p = Progress::fresh();
        let s = Scheduler::default();
        let t0 = 10 * DAY_MS;
        p.record_review(1, Rating::Good, &s, t0);
        p.record_review(1, Rating::Good, &s, t0 + 600_000);
        p.record_review(2, Rating::Again, &s, t0 + 1_000);
        assert_eq!(new_introduced_since(&p, t0), 2);
        assert_eq!(new_introduced_since(&p, t0 + 2_000), 0);
        p.settings.new_cards_per_session = 3;
        assert_eq!(new_cards_left(&p, t0 + 5_000), 1);
        assert_eq!(new_cards_left(&p, t0 + DAY_MS + 5_000), 3);
        p.settings.new_cards_per_session = 1;
        assert_eq!(new_cards_left(&p, t0 + 5_000), 0);
    }

    #[test]
    fn override_flips_only_the_matching_wrong_result() {
        let mut p = Progress::fresh();
        p.record_test_result(4, QuestionKind::Typed, 0.25, false, false, 100);
        p.record_test_result(4, QuestionKind::Typed, 1.0, true, false, 200);
        assert!(!override_test_result(&mut p, 4, QuestionKind::Typed, 200));
        assert!(!override_test_result(
            &mut p,
            4,
            QuestionKind::TrueFalse,
            100
        ));
        assert!(!override_test_result(&mut p, 5, QuestionKind::Typed, 100));
        assert!(override_test_result(&mut p, 4, QuestionKind::Typed, 100));
        let r = &p.cards[&4].test_results[0];
        assert!(r.correct && r.overridden);
        assert_eq!(r.score, 1.0);
        assert!(!override_test_result(&mut p, 4, QuestionKind::Typed, 100));
    }
}
