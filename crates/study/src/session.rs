//! Study-session bookkeeping on top of the modes: the Review session (relearning steps that
//! come back while the page is open, undo), how many new cards Review has introduced recently
//! (so the daily new-card limit survives a reload), and an "I was right" override of a Test
//! answer that is already saved.

use super::progress::Progress;
use super::questions::{response_for, true_false_correct, Answer, Question, QuestionKind};
use super::scheduler::{due_queue, CardState, DueQueue, Phase, Rating, ReviewLogEntry, Scheduler};
use gentutor_content::cards::Card;

/// As in Anki: when nothing else is due, learning cards due within this many ms are shown
/// early rather than making the learner wait on an empty screen.
pub const LEARN_AHEAD_MS: i64 = 20 * 60_000;

/// What Review shows next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewNext {
    /// Show this card.
    Card(u32),
    /// Nothing to show now; a learning card comes due at `show_at_ms` (ask again then).
    Wait { show_at_ms: i64 },
    /// Nothing left in this session (the next review is days away, or never).
    Done,
}

/// What one rating changed, so it can be undone.
#[derive(Debug, Clone, PartialEq)]
struct UndoStep {
    card_id: u32,
    before: Option<CardState>,
    log: ReviewLogEntry,
}

/// One open Review session over a set of cards (all, a lesson's, a tag's).
///
/// The queue is recomputed from the saved progress at every step, so cards rated Again or still
/// in their learning steps come back by themselves once due, in front of review and new cards;
/// when nothing else is left they are shown up to [`LEARN_AHEAD_MS`] early. Ratings can be
/// undone, newest first, which restores the card's memory state and its review log exactly.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewSession {
    ids: Vec<u32>,
    undo: Vec<UndoStep>,
    /// A card just restored by undo, shown again before anything else.
    redo_front: Option<u32>,
    reviewed: usize,
}

impl ReviewSession {
    /// A session over `ids` (in content order; duplicates kept once).
    pub fn new(ids: &[u32]) -> Self {
        let mut seen = std::collections::BTreeSet::new();
        Self {
            ids: ids.iter().copied().filter(|id| seen.insert(*id)).collect(),
            undo: Vec::new(),
            redo_front: None,
            reviewed: 0,
        }
    }

    /// The cards this session draws from.
    pub fn ids(&self) -> &[u32] {
        &self.ids
    }

    /// The due queue at `now_ms`, new cards limited by [`new_cards_left`].
    pub fn queue(&self, progress: &Progress, now_ms: i64) -> DueQueue {
        due_queue(
            progress,
            &self.ids,
            now_ms,
            new_cards_left(progress, now_ms),
        )
    }

    /// The card to show at `now_ms`, or how long to wait.
    pub fn next(&self, progress: &Progress, now_ms: i64) -> ReviewNext {
        if let Some(id) = self.redo_front {
            return ReviewNext::Card(id);
        }
        if let Some(&id) = self.queue(progress, now_ms).ids.first() {
            return ReviewNext::Card(id);
        }
        // Learning cards not yet due, earliest first.
        let soonest = self
            .ids
            .iter()
            .filter_map(|id| {
                let s = progress.cards.get(id)?.fsrs.as_ref()?;
                matches!(s.phase, Phase::Learning | Phase::Relearning).then_some((s.due_ms, *id))
            })
            .min();
        match soonest {
            Some((due, id)) if due <= now_ms.saturating_add(LEARN_AHEAD_MS) => ReviewNext::Card(id),
            Some((due, _)) => ReviewNext::Wait {
                show_at_ms: due.saturating_sub(LEARN_AHEAD_MS),
            },
            None => ReviewNext::Done,
        }
    }

    /// Rates `card_id` at `now_ms`, saving the review in `progress`.
    pub fn rate(
        &mut self,
        progress: &mut Progress,
        card_id: u32,
        rating: Rating,
        scheduler: &Scheduler,
        now_ms: i64,
    ) -> ReviewLogEntry {
        let before = progress.cards.get(&card_id).and_then(|c| c.fsrs.clone());
        let log = progress.record_review(card_id, rating, scheduler, now_ms);
        self.undo.push(UndoStep {
            card_id,
            before,
            log: log.clone(),
        });
        self.redo_front = None;
        self.reviewed += 1;
        log
    }

    /// Undoes the newest rating of this session: the card's memory state and review log are
    /// restored and the card is shown again. Returns the card id, or `None` if nothing is left
    /// to undo.
    pub fn undo(&mut self, progress: &mut Progress) -> Option<u32> {
        let step = self.undo.pop()?;
        let c = progress.card_mut(step.card_id);
        c.fsrs = step.before;
        if let Some(pos) = c.review_log.iter().rposition(|e| *e == step.log) {
            c.review_log.remove(pos);
        }
        self.reviewed = self.reviewed.saturating_sub(1);
        self.redo_front = Some(step.card_id);
        Some(step.card_id)
    }

    /// Whether [`ReviewSession::undo`] has something to undo.
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// Ratings given in this session (undone ones not counted).
    pub fn reviewed(&self) -> usize {
        self.reviewed
    }
}

/// Cards due for review now: reviewed cards (learning, relearning or review) whose due time
/// has passed. New cards are not counted. The Study link's badge shows this number.
pub fn due_now(progress: &Progress, now_ms: i64) -> usize {
    progress
        .cards
        .values()
        .filter(|c| {
            c.fsrs
                .as_ref()
                .is_some_and(|s| s.phase != Phase::New && s.due_ms <= now_ms)
        })
        .count()
}

/// The browser storage key of the [`ResumePoint`].
pub const RESUME_KEY: &str = "gentutor.resume";

/// Where the learner was last, for "Continue where you left off" on the home page.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ResumePoint {
    /// A lesson (`/lesson/<slug>`) or a study page (`/study/<mode>`).
    pub path: String,
    /// What to call it ("The GAN objective", "Review").
    pub title: String,
    /// When the learner was there (Unix ms).
    pub at_ms: i64,
}

impl ResumePoint {
    /// A point for `path`, or `None` for pages not worth resuming (home, about, unknown).
    pub fn new(path: &str, title: &str, at_ms: i64) -> Option<Self> {
        let ok_slug = |s: &str| {
            !s.is_empty()
                && s.len() <= 100
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        };
        let ok = match path.strip_prefix("/lesson/") {
            Some(slug) => ok_slug(slug),
            None => path
                .strip_prefix("/study/")
                .is_some_and(|m| ok_slug(m) && m != "call"),
        };
        let title = title.trim();
        (ok && !title.is_empty()).then(|| Self {
            path: path.to_string(),
            title: title.chars().take(120).collect(),
            at_ms,
        })
    }

    /// Reads a saved point; anything malformed or pointing elsewhere is `None`.
    pub fn parse(raw: &str) -> Option<Self> {
        let p: ResumePoint = serde_json::from_str(raw).ok()?;
        Self::new(&p.path, &p.title, p.at_ms)
    }

    /// The point as JSON for browser storage.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// The colour theme: the system's, or one chosen by the learner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    #[default]
    System,
    Light,
    Dark,
}

/// The browser storage key of the [`Theme`].
pub const THEME_KEY: &str = "gentutor.theme";

impl Theme {
    /// From its stored name; anything else is `System`.
    pub fn parse(raw: &str) -> Self {
        match raw.trim() {
            "light" => Theme::Light,
            "dark" => Theme::Dark,
            _ => Theme::System,
        }
    }

    /// Its stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    /// The `data-theme` attribute to put on the document (`None`: follow the system).
    pub fn attribute(self) -> Option<&'static str> {
        match self {
            Theme::System => None,
            Theme::Light => Some("light"),
            Theme::Dark => Some("dark"),
        }
    }
}

/// A lesson's embedded true/false quiz on one page view: only the first answer is recorded
/// (later tries only re-check), and the words say so, so a second try never claims to count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LessonQuiz {
    first: Option<bool>,
    last: Option<bool>,
    tries: u32,
}

impl LessonQuiz {
    /// Takes an answer (`correct` as checked by the engine). Returns `Some(correct)` when this
    /// answer is to be recorded (the first one), `None` for a later try.
    pub fn answer(&mut self, correct: bool) -> Option<bool> {
        self.last = Some(correct);
        self.tries = self.tries.saturating_add(1);
        if self.first.is_some() {
            return None;
        }
        self.first = Some(correct);
        Some(correct)
    }

    /// The verdict on the latest try (`None` before any); `is_true` is the statement's truth.
    pub fn verdict(&self, is_true: bool) -> Option<String> {
        let last = self.last?;
        let second_try = self.answers_after_first();
        let truth = if is_true { "true" } else { "false" };
        Some(match (last, second_try) {
            (true, false) => "Correct. This answer counts towards your mastery.".to_string(),
            (false, false) => format!(
                "Not quite: the statement is {truth}. This answer counts towards your mastery."
            ),
            (true, true) => "Correct now. Only your first answer counts towards your mastery, so this try does not.".to_string(),
            (false, true) => format!(
                "Not quite: the statement is {truth}. (Only your first answer counts towards your mastery.)"
            ),
        })
    }

    /// The standing note under the quiz.
    pub fn note(&self) -> &'static str {
        match self.first {
            None => "Your first answer counts towards your mastery.",
            Some(true) => "Your first answer (right) was saved towards your mastery.",
            Some(false) => "Your first answer (not right) was saved towards your mastery.",
        }
    }

    /// Whether the latest answer came after the first.
    fn answers_after_first(&self) -> bool {
        self.tries > 1
    }

    /// The learner picks `picked` (true or false) on the quiz's `question` about `card`,
    /// checked by the engine. Returns whether the pick is right and, for the first pick only,
    /// what to save: with the learner's response, as Learn and Test keep theirs
    /// ([`response_for`]), so the class event carries it too.
    pub fn pick(
        &mut self,
        card: &Card,
        question: &Question,
        picked: bool,
    ) -> (bool, Option<QuizRecord>) {
        let right = true_false_correct(question, picked);
        let record = self.answer(right).map(|correct| QuizRecord {
            card: question.card_id(),
            kind: question.kind(),
            correct,
            response: response_for(card, question, &Answer::TrueFalse(picked)),
        });
        (right, record)
    }
}

/// A lesson quiz's first answer, to be saved ([`LessonQuiz::pick`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuizRecord {
    card: u32,
    kind: QuestionKind,
    correct: bool,
    response: Option<String>,
}

impl QuizRecord {
    /// Saves the answer in `progress` as a quiz result at `now_ms`, response included.
    pub fn record_into(&self, progress: &mut Progress, now_ms: i64) {
        progress.record_quiz_answer(self.card, self.kind, self.correct, false, now_ms);
        if let Some(last) = progress.card_mut(self.card).quiz_results.last_mut() {
            last.response = self.response.clone();
        }
    }
}

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
    use crate::scheduler::DAY_MS;

    const T0: i64 = 1_750_000_000_000;

    /// Plays `session` from `now`, rating every card shown with `rate(id)`, one rating every
    /// `step_ms`, until it is done or `max` cards were shown; returns the cards shown.
    fn play(
        session: &mut ReviewSession,
        p: &mut Progress,
        mut now: i64,
        step_ms: i64,
        max: usize,
        rate: impl Fn(u32, usize) -> Rating,
    ) -> Vec<u32> {
        let s = Scheduler::default();
        let mut shown = Vec::new();
        while shown.len() < max {
            match session.next(p, now) {
                ReviewNext::Card(id) => {
                    let seen = shown.iter().filter(|&&x| x == id).count();
                    shown.push(id);
                    session.rate(p, id, rate(id, seen), &s, now);
                }
                ReviewNext::Wait { show_at_ms } => {
                    assert!(show_at_ms > now);
                    now = show_at_ms;
                    continue;
                }
                ReviewNext::Done => break,
            }
            now += step_ms;
        }
        shown
    }

    #[test]
    fn cards_rated_again_come_back_in_the_same_session() {
        let mut p = Progress::fresh();
        let mut session = ReviewSession::new(&[1, 2, 3]);
        // Card 1 is forgotten the first time, then recalled; the others are recalled.
        let shown = play(&mut session, &mut p, T0, 5_000, 50, |id, seen| {
            if id == 1 && seen == 0 {
                Rating::Again
            } else {
                Rating::Good
            }
        });
        assert_eq!(&shown[..3], &[1, 2, 3], "new cards first, in order");
        assert!(
            shown[3..].contains(&1),
            "the card rated Again came back: {shown:?}"
        );
        // Every card has left its learning steps before the session ends.
        for id in 1..=3 {
            let phase = p.cards[&id].fsrs.as_ref().map(|s| s.phase);
            assert_eq!(phase, Some(Phase::Review), "card {id}: {shown:?}");
        }
        assert_eq!(session.next(&p, T0 + 3_600_000), ReviewNext::Done);
    }

    #[test]
    fn a_due_learning_card_goes_before_new_cards() {
        let mut p = Progress::fresh();
        let s = Scheduler::default();
        let mut session = ReviewSession::new(&[1, 2, 3, 4]);
        session.rate(&mut p, 1, Rating::Again, &s, T0);
        assert_eq!(session.next(&p, T0 + 1_000), ReviewNext::Card(2));
        // One minute later the Again step is due and jumps the new cards.
        assert_eq!(session.next(&p, T0 + 61_000), ReviewNext::Card(1));
    }

    #[test]
    fn learning_cards_further_ahead_are_waited_for() {
        let mut p = Progress::fresh();
        let s = Scheduler::default();
        let mut session = ReviewSession::new(&[5]);
        // A relearning card due in an hour (more than the learn-ahead window).
        p.record_review(5, Rating::Good, &s, T0);
        if let Some(st) = p.card_mut(5).fsrs.as_mut() {
            st.due_ms = T0 + 3_600_000;
        }
        assert_eq!(
            session.next(&p, T0),
            ReviewNext::Wait {
                show_at_ms: T0 + 3_600_000 - LEARN_AHEAD_MS
            }
        );
        assert_eq!(
            session.next(&p, T0 + 3_600_000 - LEARN_AHEAD_MS),
            ReviewNext::Card(5)
        );
        let _ = session.rate(&mut p, 5, Rating::Easy, &s, T0 + 3_600_000);
        assert_eq!(session.next(&p, T0 + 3_600_000), ReviewNext::Done);
    }

    #[test]
    fn undo_restores_the_card_and_its_log_exactly() {
        let mut p = Progress::fresh();
        let s = Scheduler::default();
        let mut session = ReviewSession::new(&[1, 2]);
        assert!(!session.can_undo());
        assert_eq!(session.undo(&mut p), None);
        session.rate(&mut p, 1, Rating::Good, &s, T0);
        let after_first = p.clone();
        session.rate(&mut p, 2, Rating::Again, &s, T0 + 1_000);
        session.rate(&mut p, 2, Rating::Good, &s, T0 + 70_000);
        assert_eq!(session.reviewed(), 3);
        assert_eq!(session.undo(&mut p), Some(2));
        assert_eq!(
            session.next(&p, T0 + 80_000),
            ReviewNext::Card(2),
            "shown again"
        );
        assert_eq!(session.undo(&mut p), Some(2));
        assert_eq!(p.cards[&2].fsrs, None);
        assert!(p.cards[&2].review_log.is_empty());
        assert_eq!(p.cards[&1], after_first.cards[&1]);
        assert_eq!(
            new_introduced_since(&p, T0),
            1,
            "the undone new card is new again"
        );
        assert_eq!(session.undo(&mut p), Some(1));
        assert!(!session.can_undo());
        assert_eq!(session.reviewed(), 0);
        // Rating again after an undo works as if the undone rating never happened.
        session.rate(&mut p, 1, Rating::Easy, &s, T0 + 90_000);
        assert_eq!(p.cards[&1].review_log.len(), 1);
        assert_eq!(session.next(&p, T0 + 90_000), ReviewNext::Card(2));
    }

    #[test]
    fn the_session_keeps_to_its_cards_and_the_daily_new_limit() {
        let mut p = Progress::fresh();
        p.settings.new_cards_per_session = 2;
        let mut session = ReviewSession::new(&[4, 6, 8, 8]);
        assert_eq!(session.ids(), &[4, 6, 8]);
        let shown = play(&mut session, &mut p, T0, 5_000, 50, |_, _| Rating::Easy);
        assert_eq!(shown, vec![4, 6], "two new cards a day");
        assert_eq!(session.next(&p, T0 + DAY_MS + 60_000), ReviewNext::Card(8));
    }

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
    fn due_now_counts_reviewed_cards_past_their_due_time() {
        let mut p = Progress::fresh();
        let s = Scheduler::default();
        let t0 = 1_750_000_000_000;
        assert_eq!(due_now(&p, t0), 0);
        p.record_review(1, Rating::Again, &s, t0); // due in a minute
        p.record_review(2, Rating::Easy, &s, t0); // due in days
        p.toggle_star(3); // no memory state: not due
        assert_eq!(due_now(&p, t0), 0);
        assert_eq!(due_now(&p, t0 + 61_000), 1);
        assert_eq!(due_now(&p, t0 + 60 * DAY_MS), 2);
    }

    #[test]
    fn resume_points_only_name_lessons_and_study_pages() {
        let p = ResumePoint::new("/lesson/gan-objective", " The GAN objective ", 5).expect("ok");
        assert_eq!(p.title, "The GAN objective");
        assert_eq!(ResumePoint::parse(&p.to_json()), Some(p));
        assert!(ResumePoint::new("/study/spaced", "Review", 1).is_some());
        for bad in [
            "/",
            "/about",
            "/lesson/",
            "/lesson/../x",
            "https://x.org/lesson/a",
            "/study/call",
        ] {
            assert_eq!(ResumePoint::new(bad, "T", 1), None, "{bad}");
        }
        assert_eq!(ResumePoint::new("/study/learn", "  ", 1), None);
        assert_eq!(ResumePoint::parse("{broken"), None);
        assert_eq!(
            ResumePoint::parse(r#"{"path":"javascript:alert(1)","title":"x","at_ms":1}"#),
            None
        );
    }

    #[test]
    fn the_theme_round_trips_and_unknown_names_follow_the_system() {
        for t in [Theme::System, Theme::Light, Theme::Dark] {
            assert_eq!(Theme::parse(t.as_str()), t);
        }
        assert_eq!(Theme::parse("purple"), Theme::System);
        assert_eq!(Theme::Dark.attribute(), Some("dark"));
        assert_eq!(Theme::System.attribute(), None);
    }

    #[test]
    fn a_second_quiz_try_is_not_said_to_count() {
        let mut q = LessonQuiz::default();
        assert_eq!(q.verdict(true), None);
        assert!(q.note().starts_with("Your first answer counts"));
        assert_eq!(q.answer(false), Some(false), "the first answer is recorded");
        let v = q.verdict(true).expect("verdict");
        assert!(v.starts_with("Not quite: the statement is true.") && v.contains("counts"));
        assert_eq!(q.answer(true), None, "a second try is not recorded");
        let v = q.verdict(true).expect("verdict");
        assert!(
            v.starts_with("Correct now.") && v.contains("does not"),
            "{v}"
        );
        assert!(!v.contains("This answer counts"), "{v}");
        assert!(q.note().contains("(not right) was saved"));
        let mut first_right = LessonQuiz::default();
        assert_eq!(first_right.answer(true), Some(true));
        assert_eq!(
            first_right.verdict(false).as_deref(),
            Some("Correct. This answer counts towards your mastery.")
        );
    }

    #[test]
    fn a_quiz_pick_is_saved_with_its_response_and_reaches_the_quiz_event() {
        use crate::events::{events_from_diff, EventBody, Mode};
        let card = crate::test_cards::card(4, &[], "l#a");
        let question = Question::TrueFalse {
            card_id: 4,
            statement: "s".into(),
            is_true: true,
        };
        let mut q = LessonQuiz::default();
        let before = Progress::fresh();
        let mut p = before.clone();
        let (right, record) = q.pick(&card, &question, false);
        assert!(!right);
        record
            .expect("the first pick is saved")
            .record_into(&mut p, T0);
        let r = &p.cards[&4].quiz_results[0];
        assert_eq!((r.correct, r.response.as_deref()), (false, Some("false")));
        let events = events_from_diff(&before, &p, T0);
        assert!(
            matches!(
                events.as_slice(),
                [e] if e.mode == Mode::Quiz && matches!(
                    &e.body,
                    EventBody::Answer { response: Some(r), correct: false, .. } if r == "false"
                )
            ),
            "{events:?}"
        );
        // A later pick re-checks only.
        assert_eq!(q.pick(&card, &question, true), (true, None));
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
