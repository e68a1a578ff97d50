//! Learn mode: adaptive rounds that walk each card through
//! multiple choice -> true/false -> typed -> learned.
//!
//! Rules:
//! - A round holds up to `settings.learn_round_size` (default 7) cards that are not yet
//!   learned: first the cards missed twice in the previous round, then cards already in
//!   progress (furthest stage first), then new cards, in the session's order.
//! - Each card is asked at its current stage. A correct answer advances it one stage, at most
//!   once per round, so "learned" needs correct answers in three separate rounds.
//! - A wrong answer drops it one stage and brings it back sooner: re-asked within the round
//!   (after two other questions); if missed again in that round, it opens the next round.
//! - "I was right" on a wrong answer undoes the miss (see [`LearnSession::override_last`]).

use super::progress::Progress;
use super::questions::{build_question, check_answer, Answer, Checked, Question, QuestionKind};
use super::rng::SplitMix64;
use super::StudyError;
use gentutor_content::cards::Card;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, VecDeque};

/// How far a card has got in Learn mode.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
pub enum LearnStage {
    /// Next asked as multiple choice (also: never seen).
    #[default]
    MultipleChoice,
    /// Next asked as true/false.
    TrueFalse,
    /// Next asked as a typed answer.
    Typed,
    /// Passed all three stages.
    Learned,
}

impl LearnStage {
    /// One stage up (Learned stays Learned).
    pub fn next(self) -> Self {
        match self {
            Self::MultipleChoice => Self::TrueFalse,
            Self::TrueFalse => Self::Typed,
            Self::Typed | Self::Learned => Self::Learned,
        }
    }

    /// One stage down (MultipleChoice stays).
    pub fn previous(self) -> Self {
        match self {
            Self::MultipleChoice | Self::TrueFalse => Self::MultipleChoice,
            Self::Typed => Self::TrueFalse,
            Self::Learned => Self::Typed,
        }
    }

    /// 0..=3.
    pub fn index(self) -> u8 {
        self as u8
    }

    /// From 0..=3; larger values mean Learned.
    pub fn from_index(i: u64) -> Self {
        match i {
            0 => Self::MultipleChoice,
            1 => Self::TrueFalse,
            2 => Self::Typed,
            _ => Self::Learned,
        }
    }

    /// The serialised name.
    pub fn name(self) -> &'static str {
        match self {
            Self::MultipleChoice => "MultipleChoice",
            Self::TrueFalse => "TrueFalse",
            Self::Typed => "Typed",
            Self::Learned => "Learned",
        }
    }

    /// The question kind asked at this stage (`None` once learned).
    pub fn question_kind(self) -> Option<QuestionKind> {
        match self {
            Self::MultipleChoice => Some(QuestionKind::MultipleChoice),
            Self::TrueFalse => Some(QuestionKind::TrueFalse),
            Self::Typed => Some(QuestionKind::Typed),
            Self::Learned => None,
        }
    }
}

/// How many session cards are at each stage (for the progress bar).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StageCounts {
    pub multiple_choice: usize,
    pub true_false: usize,
    pub typed: usize,
    pub learned: usize,
}

/// Feedback after one answer.
#[derive(Debug, Clone, PartialEq)]
pub struct LearnFeedback {
    pub checked: Checked,
    pub stage_before: LearnStage,
    pub stage_after: LearnStage,
    /// The card will be asked again this round.
    pub again_this_round: bool,
    /// The card will open the next round.
    pub first_next_round: bool,
    /// The learner said "I was right" and the answer now counts as right.
    pub overridden: bool,
}

/// A Learn session over a chosen set of cards.
#[derive(Debug, Clone)]
pub struct LearnSession {
    pool: Vec<u32>,
    rng: SplitMix64,
    round: u32,
    queue: VecDeque<u32>,
    requeued: BTreeSet<u32>,
    carry_over: Vec<u32>,
    current: Option<Question>,
    last_answered: Option<(u32, bool)>,
    /// The feedback on the last answer, updated by an override.
    last_feedback: Option<LearnFeedback>,
    asked: usize,
    correct: usize,
}

/// How many questions a missed card waits before it is asked again.
const REASK_GAP: usize = 2;

impl LearnSession {
    /// A session over `pool` (card ids, in the order new cards should be introduced).
    /// Ids not in `cards` are dropped; duplicates are kept once.
    pub fn new(cards: &[Card], pool: &[u32], seed: u64) -> Result<Self, StudyError> {
        let mut seen = BTreeSet::new();
        let pool: Vec<u32> = pool
            .iter()
            .copied()
            .filter(|id| cards.iter().any(|c| c.id == *id) && seen.insert(*id))
            .collect();
        if pool.is_empty() {
            return Err(StudyError::NoCards {
                what: "this Learn session".into(),
            });
        }
        Ok(Self {
            pool,
            rng: SplitMix64::new(seed),
            round: 0,
            queue: VecDeque::new(),
            requeued: BTreeSet::new(),
            carry_over: Vec::new(),
            current: None,
            last_answered: None,
            last_feedback: None,
            asked: 0,
            correct: 0,
        })
    }

    /// Starts the next round (bumping `progress.learn_round`) and returns the card ids in it,
    /// in asking order; an empty list means every card is learned.
    pub fn start_round(&mut self, progress: &mut Progress) -> Vec<u32> {
        let size = progress.settings.learn_round_size.clamp(1, 20) as usize;
        let not_learned = |id: &u32| progress.learn_stage(*id) != LearnStage::Learned;
        let mut first: Vec<u32> = self.carry_over.drain(..).filter(not_learned).collect();
        first.dedup();
        first.truncate(size);
        let mut rest: Vec<u32> = self
            .pool
            .iter()
            .copied()
            .filter(|id| not_learned(id) && !first.contains(id))
            .collect();
        // Furthest-along first (stable, so ties keep the session order).
        rest.sort_by_key(|id| std::cmp::Reverse(progress.learn_stage(*id)));
        rest.truncate(size - first.len());
        self.rng.shuffle(&mut rest);
        self.queue = first.into_iter().chain(rest).collect();
        self.requeued.clear();
        self.current = None;
        self.last_answered = None;
        self.last_feedback = None;
        self.asked = 0;
        self.correct = 0;
        if !self.queue.is_empty() {
            progress.learn_round = progress.learn_round.saturating_add(1);
            self.round = progress.learn_round;
        }
        self.queue.iter().copied().collect()
    }

    /// The next question of this round, or `None` when the round is over.
    pub fn next_question(&mut self, cards: &[Card], progress: &Progress) -> Option<Question> {
        while let Some(id) = self.queue.pop_front() {
            let Some(kind) = progress.learn_stage(id).question_kind() else {
                continue;
            };
            let Some(card) = cards.iter().find(|c| c.id == id) else {
                continue;
            };
            let q = build_question(card, kind, cards, &mut self.rng);
            self.current = Some(q.clone());
            return Some(q);
        }
        self.current = None;
        None
    }

    /// The question being asked, if any.
    pub fn current(&self) -> Option<&Question> {
        self.current.as_ref()
    }

    /// Checks `answer` to the current question, records it in `progress`, and schedules a
    /// missed card to come back. `None` if no question is open.
    pub fn answer(
        &mut self,
        cards: &[Card],
        progress: &mut Progress,
        answer: &Answer,
        now_ms: i64,
    ) -> Option<LearnFeedback> {
        let q = self.current.take()?;
        let id = q.card_id();
        let card = cards.iter().find(|c| c.id == id)?;
        let checked = check_answer(card, &q, answer);
        let stage_before = progress.learn_stage(id);
        let stage_after = progress.record_learn_answer(id, self.round, checked.correct, now_ms);
        if let Some(last) = progress.card_mut(id).learn_log.last_mut() {
            last.response = checked.response.clone();
        }
        self.asked += 1;
        let (mut again_this_round, mut first_next_round) = (false, false);
        if checked.correct {
            self.correct += 1;
        } else if self.requeued.insert(id) {
            let at = REASK_GAP.min(self.queue.len());
            self.queue.insert(at, id);
            again_this_round = true;
        } else if !self.carry_over.contains(&id) {
            self.carry_over.push(id);
            first_next_round = true;
        }
        self.last_answered = Some((id, checked.correct));
        let fb = LearnFeedback {
            checked,
            stage_before,
            stage_after,
            again_this_round,
            first_next_round,
            overridden: false,
        };
        self.last_feedback = Some(fb.clone());
        Some(fb)
    }

    /// "I was right": turns the last (wrong) answer into a correct one, in `progress` and in
    /// this round's queue. Returns the feedback as it now stands (right, overridden, the new
    /// stage, not coming back), or `None` if there is nothing to undo.
    pub fn override_last(&mut self, progress: &mut Progress) -> Option<LearnFeedback> {
        let (id, correct) = self.last_answered?;
        if correct {
            return None;
        }
        let stage = progress.override_last_learn_answer(id)?;
        if let Some(pos) = self.queue.iter().position(|&q| q == id) {
            self.queue.remove(pos);
            self.requeued.remove(&id);
        }
        self.carry_over.retain(|&c| c != id);
        self.last_answered = Some((id, true));
        self.correct += 1;
        let fb = self.last_feedback.take().map(|mut fb| {
            fb.checked.correct = true;
            fb.checked.score = 1.0;
            fb.checked.grade = fb.checked.grade.as_ref().map(|g| g.overridden_correct());
            fb.stage_after = stage;
            fb.again_this_round = false;
            fb.first_next_round = false;
            fb.overridden = true;
            fb
        })?;
        self.last_feedback = Some(fb.clone());
        Some(fb)
    }

    /// The current round number (0 before the first round).
    pub fn round(&self) -> u32 {
        self.round
    }

    /// Questions answered and answered correctly in this round.
    pub fn round_score(&self) -> (usize, usize) {
        (self.correct, self.asked)
    }

    /// Questions still queued in this round (not counting the open one).
    pub fn remaining_in_round(&self) -> usize {
        self.queue.len()
    }

    /// Stage counts over the session's cards.
    pub fn counts(&self, progress: &Progress) -> StageCounts {
        let mut c = StageCounts::default();
        for id in &self.pool {
            match progress.learn_stage(*id) {
                LearnStage::MultipleChoice => c.multiple_choice += 1,
                LearnStage::TrueFalse => c.true_false += 1,
                LearnStage::Typed => c.typed += 1,
                LearnStage::Learned => c.learned += 1,
            }
        }
        c
    }

    /// True when every card in the session is learned.
    pub fn is_complete(&self, progress: &Progress) -> bool {
        self.pool
            .iter()
            .all(|id| progress.learn_stage(*id) == LearnStage::Learned)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_cards::{deck, right_answer, wrong_answer};

    const T0: i64 = 1_750_000_000_000;

    /// Plays one round answering with `good(card_id)`; returns the ids asked in order.
    fn play_round(
        s: &mut LearnSession,
        cards: &[Card],
        p: &mut Progress,
        good: impl Fn(u32) -> bool,
    ) -> Vec<(u32, QuestionKind)> {
        s.start_round(p);
        let mut asked = Vec::new();
        while let Some(q) = s.next_question(cards, p) {
            asked.push((q.card_id(), q.kind()));
            let a = if good(q.card_id()) {
                right_answer(&q)
            } else {
                wrong_answer(&q)
            };
            s.answer(cards, p, &a, T0).expect("open question");
        }
        asked
    }

    #[test]
    fn rounds_hold_seven_cards_and_stages_advance_once_per_round() {
        let cards = deck(10);
        let ids: Vec<u32> = cards.iter().map(|c| c.id).collect();
        let mut p = Progress::fresh();
        let mut s = LearnSession::new(&cards, &ids, 1).expect("cards");
        let r1 = play_round(&mut s, &cards, &mut p, |_| true);
        assert_eq!(r1.len(), 7);
        assert!(r1.iter().all(|(_, k)| *k == QuestionKind::MultipleChoice));
        assert_eq!(s.round(), 1);
        assert_eq!(p.learn_round, 1);
        let asked1: BTreeSet<u32> = r1.iter().map(|(id, _)| *id).collect();
        for id in &asked1 {
            assert_eq!(p.learn_stage(*id), LearnStage::TrueFalse);
        }
        // Round 2 takes the in-progress cards first.
        let r2 = play_round(&mut s, &cards, &mut p, |_| true);
        let asked2: BTreeSet<u32> = r2.iter().map(|(id, _)| *id).collect();
        assert_eq!(asked1, asked2);
        assert!(r2.iter().all(|(_, k)| *k == QuestionKind::TrueFalse));
        let r3 = play_round(&mut s, &cards, &mut p, |_| true);
        assert!(r3.iter().all(|(_, k)| *k == QuestionKind::Typed));
        for id in &asked1 {
            assert_eq!(p.learn_stage(*id), LearnStage::Learned, "3 separate rounds");
        }
        assert_eq!(s.counts(&p).learned, 7);
        // Learned cards are no longer asked; the remaining 3 come in.
        let r4 = play_round(&mut s, &cards, &mut p, |_| true);
        let asked4: BTreeSet<u32> = r4.iter().map(|(id, _)| *id).collect();
        assert_eq!(asked4.len(), 3);
        assert!(asked4.is_disjoint(&asked1));
        assert!(!s.is_complete(&p));
    }

    #[test]
    fn in_progress_cards_are_picked_before_new_ones() {
        let cards = deck(10);
        let ids: Vec<u32> = (1..=10).collect();
        let mut p = Progress::fresh();
        p.settings.learn_round_size = 3;
        p.record_learn_answer(9, 0, true, T0);
        p.record_learn_answer(10, 0, true, T0);
        p.record_learn_answer(10, 1, true, T0);
        let mut s = LearnSession::new(&cards, &ids, 2).expect("cards");
        let mut round: Vec<u32> = s.start_round(&mut p);
        round.sort_unstable();
        assert_eq!(
            round,
            vec![1, 9, 10],
            "two in progress, then the first new card"
        );
    }

    #[test]
    fn two_correct_answers_in_one_round_count_once() {
        let cards = deck(1);
        let mut p = Progress::fresh();
        let mut s = LearnSession::new(&cards, &[1], 0).expect("cards");
        s.start_round(&mut p);
        let q = s.next_question(&cards, &p).expect("question");
        s.answer(&cards, &mut p, &right_answer(&q), T0);
        // The same round recorded again directly: still one step.
        p.record_learn_answer(1, s.round(), true, T0);
        assert_eq!(p.learn_stage(1), LearnStage::TrueFalse);
        assert!(s.next_question(&cards, &p).is_none());
    }

    #[test]
    fn a_miss_demotes_and_comes_back_soon_then_opens_next_round() {
        let cards = deck(5);
        let ids: Vec<u32> = (1..=5).collect();
        let mut p = Progress::fresh();
        p.settings.learn_round_size = 5;
        p.record_learn_answer(3, 0, true, T0); // card 3 starts at TrueFalse
        let mut s = LearnSession::new(&cards, &ids, 9).expect("cards");
        let order = s.start_round(&mut p);
        assert_eq!(order.len(), 5);
        let first3 = order.iter().position(|&i| i == 3).expect("card 3 in round");
        let mut asked = Vec::new();
        while let Some(q) = s.next_question(&cards, &p) {
            asked.push(q.card_id());
            let a = if q.card_id() == 3 {
                wrong_answer(&q)
            } else {
                right_answer(&q)
            };
            let fb = s.answer(&cards, &mut p, &a, T0).expect("open");
            if q.card_id() == 3 {
                let n = asked.iter().filter(|&&i| i == 3).count();
                assert_eq!(fb.again_this_round, n == 1);
                assert_eq!(fb.first_next_round, n == 2);
                assert_eq!(fb.stage_after, LearnStage::MultipleChoice);
            }
        }
        // Asked, then again after REASK_GAP other questions (fewer if the round ends first).
        assert_eq!(asked.len(), 6);
        assert_eq!(asked[first3], 3);
        let gap = REASK_GAP.min(order.len() - first3 - 1);
        assert_eq!(asked[first3 + 1 + gap], 3, "{asked:?}");
        let next = s.start_round(&mut p);
        assert_eq!(next.first(), Some(&3));
        let q = s.next_question(&cards, &p).expect("question");
        assert_eq!(q.kind(), QuestionKind::MultipleChoice, "demoted");
    }

    #[test]
    fn override_turns_a_miss_into_progress_and_cancels_the_reask() {
        let cards = deck(3);
        let mut p = Progress::fresh();
        let mut s = LearnSession::new(&cards, &[1, 2, 3], 4).expect("cards");
        s.start_round(&mut p);
        let q = s.next_question(&cards, &p).expect("question");
        let id = q.card_id();
        let fb = s
            .answer(&cards, &mut p, &wrong_answer(&q), T0)
            .expect("open");
        assert!(fb.again_this_round);
        assert_eq!(s.remaining_in_round(), 3);
        let fb = s.override_last(&mut p).expect("overridden");
        assert_eq!(fb.stage_after, LearnStage::TrueFalse);
        assert!(fb.checked.correct && fb.overridden && fb.checked.score == 1.0);
        assert!(
            !fb.again_this_round && !fb.first_next_round,
            "an overridden card does not come back this round"
        );
        assert_eq!(p.learn_stage(id), LearnStage::TrueFalse);
        assert_eq!(s.remaining_in_round(), 2);
        assert_eq!(s.round_score(), (1, 1));
        assert_eq!(s.override_last(&mut p), None);
    }

    #[test]
    fn empty_or_unknown_pool_is_an_error_and_all_learned_ends() {
        let cards = deck(2);
        assert!(matches!(
            LearnSession::new(&cards, &[99], 0),
            Err(StudyError::NoCards { .. })
        ));
        let mut p = Progress::fresh();
        for r in 1..=3 {
            p.record_learn_answer(1, r, true, T0);
        }
        let mut s = LearnSession::new(&cards, &[1], 0).expect("cards");
        assert!(s.is_complete(&p));
        assert!(s.start_round(&mut p).is_empty());
        assert_eq!(p.learn_round, 0, "no round started");
    }
}
