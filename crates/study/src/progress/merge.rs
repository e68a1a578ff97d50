//! Merging two progress documents without losing anything.

use super::*;

impl Progress {
    /// Merges `other` (e.g. an import from another browser) into `self`, losing nothing:
    /// - review logs, Learn logs, Test and quiz results: union (duplicates, i.e. same time and
    ///   kind, kept once), in time order, capped to the newest entries;
    /// - FSRS state: the one with the later last review;
    /// - Learn stage: the higher one, with its last-correct round; Learn round: the larger;
    /// - stars: a card is starred if either side starred it;
    /// - Matching best time: the faster;
    /// - settings: `self`'s are kept (they belong to this browser).
    pub fn merge(&mut self, other: &Progress) {
        for (id, theirs) in &other.cards {
            let mine = self.cards.entry(*id).or_default();
            mine.fsrs = match (mine.fsrs.take(), theirs.fsrs.clone()) {
                (Some(a), Some(b)) => Some(if b.last_review_ms > a.last_review_ms {
                    b
                } else {
                    a
                }),
                (a, b) => a.or(b),
            };
            union_by(
                &mut mine.review_log,
                &theirs.review_log,
                |e| (e.reviewed_ms, e.rating as u8),
                MAX_REVIEW_LOG,
            );
            union_by(
                &mut mine.learn_log,
                &theirs.learn_log,
                |e| (e.at_ms, e.round),
                MAX_RESULTS,
            );
            union_by(
                &mut mine.test_results,
                &theirs.test_results,
                |e| (e.at_ms, e.kind as u8),
                MAX_RESULTS,
            );
            union_by(
                &mut mine.quiz_results,
                &theirs.quiz_results,
                |e| (e.at_ms, e.kind as u8),
                MAX_RESULTS,
            );
            if theirs.learn_stage > mine.learn_stage {
                mine.learn_stage = theirs.learn_stage;
                mine.learn_last_correct_round = theirs.learn_last_correct_round;
            }
            mine.starred |= theirs.starred;
        }
        self.matching_best_ms = match (self.matching_best_ms, other.matching_best_ms) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.learn_round = self.learn_round.max(other.learn_round);
    }
}

/// Appends the entries of `theirs` whose key is not in `mine`, sorts by key, keeps the newest `cap`.
fn union_by<T: Clone, K: Ord + Copy>(
    mine: &mut Vec<T>,
    theirs: &[T],
    key: impl Fn(&T) -> K,
    cap: usize,
) {
    let have: std::collections::BTreeSet<K> = mine.iter().map(&key).collect();
    mine.extend(theirs.iter().filter(|e| !have.contains(&key(e))).cloned());
    mine.sort_by_key(|e| key(e));
    keep_last(mine, cap);
}
