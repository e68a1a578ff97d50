//! Spaced repetition with FSRS (the `rs-fsrs` crate), wrapped so that:
//! - time is always injected as `now_ms` (Unix milliseconds, e.g. `Date.now()` in the UI);
//!   nothing here reads a clock;
//! - the saved state is our own serde struct ([`CardState`]), independent of the crate's types;
//! - interval fuzzing is off, so schedules are exact and testable.
//!
//! Recall probability follows the FSRS power forgetting curve
//! `R(t, S) = (1 + F * t / S)^(-0.5)` with `F = 19/81`, `t` the days since the last review
//! (fractional) and `S` the card's stability in days, so `R(S, S) = 0.9`.

use super::progress::Progress;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Milliseconds per day.
pub const DAY_MS: i64 = 86_400_000;

/// The FSRS-5 default weights as shipped by rs-fsrs 1.2 (copied because the crate's
/// `Parameters::default()` also seeds its fuzz RNG from the system clock, which the core
/// must never read; a test checks they still equal the crate's defaults).
const FSRS_WEIGHTS: [f64; 19] = [
    0.4072, 1.1829, 3.1262, 15.4722, 7.2102, 0.5316, 1.0651, 0.0234, 1.616, 0.1544, 1.0824, 1.9813,
    0.0953, 0.2975, 2.2042, 0.2407, 2.9466, 0.5034, 0.6567,
];

/// The learner's self-rating after seeing the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Rating {
    Again,
    Hard,
    Good,
    Easy,
}

impl Rating {
    /// All four, in button order.
    pub const ALL: [Rating; 4] = [Rating::Again, Rating::Hard, Rating::Good, Rating::Easy];

    fn to_fsrs(self) -> rs_fsrs::Rating {
        match self {
            Rating::Again => rs_fsrs::Rating::Again,
            Rating::Hard => rs_fsrs::Rating::Hard,
            Rating::Good => rs_fsrs::Rating::Good,
            Rating::Easy => rs_fsrs::Rating::Easy,
        }
    }
}

/// Where a card is in the FSRS life cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Phase {
    /// Never reviewed.
    #[default]
    New,
    /// First short steps (minutes) after the first review.
    Learning,
    /// Graduated: intervals in days.
    Review,
    /// Forgotten (rated Again) while in Review: short steps again.
    Relearning,
}

/// The saved FSRS memory state of one card.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CardState {
    /// When the card is next due (Unix ms).
    pub due_ms: i64,
    /// FSRS stability S in days (interval at which recall probability is 90%).
    pub stability: f64,
    /// FSRS difficulty D in [1, 10].
    pub difficulty: f64,
    /// Whole days between the last two reviews.
    pub elapsed_days: i64,
    /// Days scheduled until the due date (0 while in short-term steps).
    pub scheduled_days: i64,
    pub reps: u32,
    pub lapses: u32,
    pub phase: Phase,
    /// Time of the last review (Unix ms).
    pub last_review_ms: i64,
}

impl CardState {
    /// A never-reviewed card.
    pub fn new_card() -> Self {
        Self::default()
    }

    /// Repairs values that saved data could have broken (NaN, out of range).
    pub fn sanitized(mut self) -> Self {
        if !self.stability.is_finite() || self.stability <= 0.0 {
            self.stability = 0.1;
        }
        self.stability = self.stability.clamp(0.01, 36_500.0);
        if !self.difficulty.is_finite() {
            self.difficulty = 5.0;
        }
        self.difficulty = self.difficulty.clamp(1.0, 10.0);
        self.elapsed_days = self.elapsed_days.clamp(0, 36_500);
        self.scheduled_days = self.scheduled_days.clamp(0, 36_500);
        self.due_ms = clamp_ms(self.due_ms);
        self.last_review_ms = clamp_ms(self.last_review_ms);
        self
    }
}

/// One review as stored in the log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewLogEntry {
    pub rating: Rating,
    /// When the review happened (Unix ms).
    pub reviewed_ms: i64,
    /// Phase before the review.
    pub phase_before: Phase,
    /// Whole days since the previous review.
    pub elapsed_days: i64,
    /// Days until the next due date that this review set (0 = minutes).
    pub scheduled_days: i64,
    /// The next due date that this review set (Unix ms).
    pub due_ms: i64,
    /// Set when a Call made this review from a graded answer (not a self-rating in Spaced
    /// review), so the class sees it once, as a call (see `events::events_from_diff`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call: Option<CallGrade>,
}

/// How a Call graded the answer behind a review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallGrade {
    /// Fraction of key points covered, in [0, 1].
    pub score: f64,
    /// Went well (first try or after a hint); false when the tutor had to explain.
    pub correct: bool,
    /// The learner's last words on the card (cleaned, at most `events::MAX_RESPONSE_CHARS`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<String>,
}

/// Counts of a due queue.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DueQueue {
    /// Card ids to study, in order: learning/relearning due (earliest first), then review due
    /// (earliest due first), then new cards (ascending id, at most `new_limit`).
    pub ids: Vec<u32>,
    /// New cards in `ids`.
    pub new: usize,
    /// Learning or relearning cards in `ids`.
    pub learning: usize,
    /// Review cards in `ids`.
    pub review: usize,
    /// All new cards, including those beyond `new_limit`.
    pub new_available: usize,
}

/// FSRS scheduler with fixed parameters.
#[derive(Debug, Clone)]
pub struct Scheduler {
    fsrs: rs_fsrs::FSRS,
    retention: f64,
}

impl Default for Scheduler {
    fn default() -> Self {
        Self::new(0.9)
    }
}

/// Keeps timestamps inside the range chrono can represent (years 1970-9999).
fn clamp_ms(ms: i64) -> i64 {
    ms.clamp(0, 253_402_300_799_000)
}

fn to_dt(ms: i64) -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp_millis(clamp_ms(ms)).unwrap_or_default()
}

impl Scheduler {
    /// A scheduler aiming at `desired_retention` (probability of recall when a card comes due),
    /// clamped to [0.70, 0.97]; a non-finite value gives the default 0.9.
    pub fn new(desired_retention: f64) -> Self {
        let retention = if desired_retention.is_finite() {
            desired_retention.clamp(0.70, 0.97)
        } else {
            0.9
        };
        let params = rs_fsrs::Parameters {
            request_retention: retention,
            maximum_interval: 36_500,
            w: FSRS_WEIGHTS,
            decay: rs_fsrs::Parameters::DECAY,
            factor: rs_fsrs::Parameters::FACTOR,
            enable_short_term: true,
            enable_fuzz: false,
            seed: rs_fsrs::Seed::Empty,
        };
        Self {
            fsrs: rs_fsrs::FSRS::new(params),
            retention,
        }
    }

    /// The desired retention actually used.
    pub fn retention(&self) -> f64 {
        self.retention
    }

    /// Applies one review at `now_ms` and returns the new state and its log entry.
    pub fn review(
        &self,
        state: &CardState,
        rating: Rating,
        now_ms: i64,
    ) -> (CardState, ReviewLogEntry) {
        let state = state.clone().sanitized();
        let now_ms = clamp_ms(now_ms);
        let card = rs_fsrs::Card {
            due: to_dt(state.due_ms),
            stability: state.stability,
            difficulty: state.difficulty,
            elapsed_days: state.elapsed_days,
            scheduled_days: state.scheduled_days,
            reps: i32::try_from(state.reps).unwrap_or(i32::MAX - 1),
            lapses: i32::try_from(state.lapses).unwrap_or(i32::MAX - 1),
            state: match state.phase {
                Phase::New => rs_fsrs::State::New,
                Phase::Learning => rs_fsrs::State::Learning,
                Phase::Review => rs_fsrs::State::Review,
                Phase::Relearning => rs_fsrs::State::Relearning,
            },
            last_review: to_dt(state.last_review_ms),
        };
        let info = self.fsrs.next(card, to_dt(now_ms), rating.to_fsrs());
        let c = info.card;
        let next = CardState {
            due_ms: c.due.timestamp_millis(),
            stability: c.stability,
            difficulty: c.difficulty,
            elapsed_days: c.elapsed_days,
            scheduled_days: c.scheduled_days,
            reps: u32::try_from(c.reps).unwrap_or(0),
            lapses: u32::try_from(c.lapses).unwrap_or(0),
            phase: match c.state {
                rs_fsrs::State::New => Phase::New,
                rs_fsrs::State::Learning => Phase::Learning,
                rs_fsrs::State::Review => Phase::Review,
                rs_fsrs::State::Relearning => Phase::Relearning,
            },
            last_review_ms: now_ms,
        }
        .sanitized();
        let log = ReviewLogEntry {
            rating,
            reviewed_ms: now_ms,
            phase_before: state.phase,
            elapsed_days: next.elapsed_days,
            scheduled_days: next.scheduled_days,
            due_ms: next.due_ms,
            call: None,
        };
        (next, log)
    }

    /// The due time each rating would set, for labelling the four buttons ("Good: 3d").
    pub fn preview(&self, state: &CardState, now_ms: i64) -> [(Rating, i64); 4] {
        Rating::ALL.map(|r| (r, self.review(state, r, now_ms).0.due_ms))
    }

    /// Probability of recalling the card at `now_ms`; `None` for a never-reviewed card.
    /// `R = (1 + F t / S)^(-0.5)`, `F = 19/81`, `t` = fractional days since the last review.
    pub fn recall_probability(&self, state: &CardState, now_ms: i64) -> Option<f64> {
        recall_probability(state, now_ms)
    }

    /// The study queue at `now_ms` for the cards `card_ids` (see [`DueQueue::ids`] for order).
    /// Cards with no FSRS state in `progress` are new.
    pub fn due_queue(
        &self,
        progress: &Progress,
        card_ids: &[u32],
        now_ms: i64,
        new_limit: usize,
    ) -> DueQueue {
        due_queue(progress, card_ids, now_ms, new_limit)
    }
}

/// Free-function form of [`Scheduler::recall_probability`] (it needs no parameters).
pub fn recall_probability(state: &CardState, now_ms: i64) -> Option<f64> {
    if state.phase == Phase::New {
        return None;
    }
    let stability = if state.stability.is_finite() && state.stability > 0.0 {
        state.stability
    } else {
        0.1
    };
    let t_days = ((now_ms.saturating_sub(state.last_review_ms)) as f64 / DAY_MS as f64).max(0.0);
    let r = rs_fsrs::Parameters::forgetting_curve(t_days, stability);
    Some(if r.is_finite() {
        r.clamp(0.0, 1.0)
    } else {
        0.0
    })
}

/// Free-function form of [`Scheduler::due_queue`].
pub fn due_queue(progress: &Progress, card_ids: &[u32], now_ms: i64, new_limit: usize) -> DueQueue {
    let mut learning: Vec<(i64, u32)> = Vec::new();
    let mut review: Vec<(i64, u32)> = Vec::new();
    let mut new: Vec<u32> = Vec::new();
    for &id in card_ids {
        match progress.cards.get(&id).and_then(|c| c.fsrs.as_ref()) {
            None => new.push(id),
            Some(s) => match s.phase {
                Phase::New => new.push(id),
                Phase::Learning | Phase::Relearning if s.due_ms <= now_ms => {
                    learning.push((s.due_ms, id))
                }
                Phase::Review if s.due_ms <= now_ms => review.push((s.due_ms, id)),
                _ => {}
            },
        }
    }
    learning.sort_unstable();
    review.sort_unstable();
    new.sort_unstable();
    new.dedup();
    let new_available = new.len();
    new.truncate(new_limit);
    let mut ids: Vec<u32> = learning.iter().map(|&(_, id)| id).collect();
    ids.extend(review.iter().map(|&(_, id)| id));
    ids.extend(new.iter().copied());
    DueQueue {
        ids,
        new: new.len(),
        learning: learning.len(),
        review: review.len(),
        new_available,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: i64 = 1_750_000_000_000; // fixed "now", mid-2025

    fn interval_days(s: &CardState, at: i64) -> f64 {
        (s.due_ms - at) as f64 / DAY_MS as f64
    }

    /// Reviews Good at each due date `n` times from a new card; returns the intervals (days).
    fn good_chain(sched: &Scheduler, n: usize) -> (CardState, Vec<f64>) {
        let mut s = CardState::new_card();
        let mut now = T0;
        let mut intervals = Vec::new();
        for _ in 0..n {
            let (next, _) = sched.review(&s, Rating::Good, now);
            intervals.push(interval_days(&next, now));
            now = next.due_ms;
            s = next;
        }
        (s, intervals)
    }

    #[test]
    fn weights_match_the_crate_defaults() {
        assert_eq!(FSRS_WEIGHTS, rs_fsrs::Parameters::default().w);
    }

    #[test]
    fn intervals_grow_on_repeated_good() {
        let sched = Scheduler::default();
        let (s, iv) = good_chain(&sched, 6);
        // First Good on a new card is a 10-minute learning step.
        assert!((iv[0] - 10.0 / 1440.0).abs() < 1e-9, "{iv:?}");
        for w in iv[1..].windows(2) {
            assert!(w[1] > w[0], "intervals must grow: {iv:?}");
        }
        assert!(iv[5] > 30.0, "{iv:?}");
        assert_eq!(s.phase, Phase::Review);
        assert_eq!(s.reps, 6);
    }

    #[test]
    fn again_sends_a_review_card_to_relearning_with_a_short_step() {
        let sched = Scheduler::default();
        let (s, _) = good_chain(&sched, 4);
        let now = s.due_ms;
        let (after, log) = sched.review(&s, Rating::Again, now);
        assert_eq!(after.phase, Phase::Relearning);
        assert_eq!(after.lapses, 1);
        assert_eq!(log.phase_before, Phase::Review);
        assert_eq!(after.due_ms - now, 5 * 60_000);
        assert!(after.stability < s.stability);
    }

    #[test]
    fn easy_beats_good_beats_hard() {
        let sched = Scheduler::default();
        let (s, _) = good_chain(&sched, 3);
        let now = s.due_ms;
        let [_, (_, hard), (_, good), (_, easy)] = sched.preview(&s, now);
        assert!(
            easy > good && good > hard && hard > now,
            "{hard} {good} {easy}"
        );
    }

    #[test]
    fn recall_probability_is_none_for_new_and_decays() {
        let sched = Scheduler::default();
        assert_eq!(sched.recall_probability(&CardState::new_card(), T0), None);
        let (s, _) = good_chain(&sched, 3);
        let r0 = recall_probability(&s, s.last_review_ms).unwrap_or(-1.0);
        assert!((r0 - 1.0).abs() < 1e-12);
        let at_s = s.last_review_ms + (s.stability * DAY_MS as f64) as i64;
        let r_s = recall_probability(&s, at_s).unwrap_or(-1.0);
        assert!((r_s - 0.9).abs() < 1e-6, "R(S) = {r_s}");
        let later = recall_probability(&s, at_s + 30 * DAY_MS).unwrap_or(-1.0);
        assert!(later < r_s);
    }

    #[test]
    fn due_queue_orders_learning_then_review_then_new() {
        let sched = Scheduler::default();
        let mut p = Progress::fresh();
        // Card 5: learning, due 10 minutes after T0.
        p.record_review(5, Rating::Good, &sched, T0);
        // Card 3: learning, due 1 minute after T0 (Again on a new card).
        p.record_review(3, Rating::Again, &sched, T0);
        // Card 2: review, due after a few days.
        p.record_review(2, Rating::Easy, &sched, T0);
        // Card 7: the same as card 2 one day later, so due one day after card 2.
        p.record_review(7, Rating::Easy, &sched, T0 + DAY_MS);
        let ids: Vec<u32> = (1..=8).collect();

        let q_now = due_queue(&p, &ids, T0, 10);
        assert_eq!(q_now.ids, vec![1, 4, 6, 8], "nothing reviewed is due yet");
        assert_eq!((q_now.new, q_now.learning, q_now.review), (4, 0, 0));

        let far = T0 + 400 * DAY_MS;
        let q = sched.due_queue(&p, &ids, far, 2);
        assert_eq!(q.ids, vec![3, 5, 2, 7, 1, 4]);
        assert_eq!((q.learning, q.review, q.new, q.new_available), (2, 2, 2, 4));
    }

    #[test]
    fn broken_saved_state_is_repaired_not_panicked_on() {
        let sched = Scheduler::new(f64::NAN);
        assert!((sched.retention() - 0.9).abs() < 1e-12);
        let bad = CardState {
            stability: f64::NAN,
            difficulty: f64::INFINITY,
            phase: Phase::Review,
            due_ms: i64::MIN,
            last_review_ms: i64::MAX,
            ..CardState::default()
        };
        let (next, _) = sched.review(&bad, Rating::Good, T0);
        assert!(next.stability.is_finite() && next.difficulty.is_finite());
        assert!(recall_probability(&bad, T0).is_some_and(|r| (0.0..=1.0).contains(&r)));
    }
}
