//! Recording answers, reviews, stars, settings and Matching times.

use super::*;

impl Progress {
    /// The card's progress, created empty if absent.
    pub fn card_mut(&mut self, card_id: u32) -> &mut CardProgress {
        self.cards.entry(card_id).or_default()
    }

    /// Applies an FSRS review at `now_ms`, logs it and returns the log entry.
    pub fn record_review(
        &mut self,
        card_id: u32,
        rating: Rating,
        scheduler: &Scheduler,
        now_ms: i64,
    ) -> ReviewLogEntry {
        let c = self.card_mut(card_id);
        let before = c.fsrs.clone().unwrap_or_default();
        let (next, log) = scheduler.review(&before, rating, now_ms);
        c.fsrs = Some(next);
        c.review_log.push(log.clone());
        keep_last(&mut c.review_log, MAX_REVIEW_LOG);
        log
    }

    /// Records a Learn answer given in Learn round `round` and returns the new stage.
    /// Correct: the stage advances one step, but at most once per round (a second correct
    /// answer in the same round changes nothing). Wrong: the stage drops one step.
    pub fn record_learn_answer(
        &mut self,
        card_id: u32,
        round: u32,
        correct: bool,
        now_ms: i64,
    ) -> LearnStage {
        let c = self.card_mut(card_id);
        c.learn_log.push(LearnAnswerRecord {
            at_ms: now_ms,
            round,
            stage_before: c.learn_stage,
            last_correct_round_before: c.learn_last_correct_round,
            correct,
            overridden: false,
            response: None,
        });
        keep_last(&mut c.learn_log, MAX_RESULTS);
        apply_learn(c, round, correct);
        c.learn_stage
    }

    /// "I was right" for the card's last Learn answer: undoes it and records it as correct.
    /// Returns the new stage, or `None` if there is nothing to override.
    pub fn override_last_learn_answer(&mut self, card_id: u32) -> Option<LearnStage> {
        let c = self.cards.get_mut(&card_id)?;
        let last = c.learn_log.last_mut()?;
        if last.correct {
            return None;
        }
        last.correct = true;
        last.overridden = true;
        let (round, stage, lcr) = (
            last.round,
            last.stage_before,
            last.last_correct_round_before,
        );
        c.learn_stage = stage;
        c.learn_last_correct_round = lcr;
        apply_learn(c, round, true);
        Some(c.learn_stage)
    }

    /// Records one Test-mode answer.
    pub fn record_test_result(
        &mut self,
        card_id: u32,
        kind: QuestionKind,
        score: f64,
        correct: bool,
        overridden: bool,
        now_ms: i64,
    ) {
        let c = self.card_mut(card_id);
        c.test_results.push(ResultRecord {
            at_ms: now_ms,
            kind,
            score: clean_score(score),
            correct,
            overridden,
            response: None,
        });
        keep_last(&mut c.test_results, MAX_RESULTS);
    }

    /// Records one answer to a lesson's embedded quiz.
    pub fn record_quiz_answer(
        &mut self,
        card_id: u32,
        kind: QuestionKind,
        correct: bool,
        overridden: bool,
        now_ms: i64,
    ) {
        let c = self.card_mut(card_id);
        c.quiz_results.push(ResultRecord {
            at_ms: now_ms,
            kind,
            score: if correct { 1.0 } else { 0.0 },
            correct,
            overridden,
            response: None,
        });
        keep_last(&mut c.quiz_results, MAX_RESULTS);
    }

    /// Stars or unstars a card; returns the new state.
    pub fn toggle_star(&mut self, card_id: u32) -> bool {
        let c = self.card_mut(card_id);
        c.starred = !c.starred;
        c.starred
    }

    /// Whether the card is starred.
    pub fn is_starred(&self, card_id: u32) -> bool {
        self.cards.get(&card_id).is_some_and(|c| c.starred)
    }

    /// The card's Learn stage (`MultipleChoice` if never seen).
    pub fn learn_stage(&self, card_id: u32) -> LearnStage {
        self.cards
            .get(&card_id)
            .map(|c| c.learn_stage)
            .unwrap_or_default()
    }

    /// Sets how many new cards Review introduces per day, clamped to [1, 100]; returns the
    /// value kept.
    pub fn set_new_cards_per_day(&mut self, n: u32) -> u32 {
        self.settings.new_cards_per_session = n.clamp(1, 100);
        self.settings.new_cards_per_session
    }

    /// Sets the desired retention (probability of recall when a card comes due), clamped to
    /// [0.70, 0.97]; a non-finite value leaves it unchanged. Returns the value kept.
    pub fn set_desired_retention(&mut self, r: f64) -> f64 {
        if r.is_finite() {
            self.settings.desired_retention = r.clamp(0.70, 0.97);
        }
        self.settings.desired_retention
    }

    /// Records a full-board Matching time; returns true if it is a new best.
    pub fn record_matching_time(&mut self, elapsed_ms: u64) -> bool {
        let best = self.matching_best_ms.is_none_or(|b| elapsed_ms < b);
        if best {
            self.matching_best_ms = Some(elapsed_ms);
        }
        best
    }
}

fn apply_learn(c: &mut CardProgress, round: u32, correct: bool) {
    if correct {
        if c.learn_last_correct_round != Some(round) {
            c.learn_stage = c.learn_stage.next();
            c.learn_last_correct_round = Some(round);
        }
    } else {
        c.learn_stage = c.learn_stage.previous();
    }
}
