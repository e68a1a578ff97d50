//! Study events: every study result as an append-only record, and everything a class shows
//! (mastery, the teacher's table, the hardest cards) computed from them.
//!
//! An event is `{ id, learner, at_ms, content_hash, card, mode, kind, payload }`:
//! - `id` is made by the client (128 random bits in hex in the app) so that sending a batch twice
//!   stores it once;
//! - `kind` + `payload` say what happened ([`EventBody`]); nothing is edited in place: "I was right"
//!   is an [`EventBody::Override`] pointing at the answer it overrides (by its `at_ms`), and an
//!   undone Spaced rating is an [`EventBody::Undo`] pointing at the review it takes back;
//! - `content_hash` is the content version the card was shown from.
//!
//! The browser turns each change of its saved [`Progress`] into events with [`events_from_diff`];
//! [`replay`] rebuilds a `Progress` from events with the same `record_*` code, so mastery computed
//! from a learner's events equals the mastery their own browser shows (tested below).
//!
//! A Call outcome is one event of mode `call` and kind `answer` that also carries the FSRS
//! `rating` and `state_after`: the Call column counts it and the memory model sees it once.
//! (Older clients sent a `spaced` review plus a `call` answer without rating at the same time;
//! the figures count such a pair once, as the call.)
//!
//! Answers carry the learner's `response` when known (older events have none): for a
//! multiple-choice question the option id (`answer` for the right one, `d1`..`d3` for the
//! card's distractors in card order), for true/false `true` or `false`, for a matching question
//! the term picked, and for a typed question the text typed (see [`clean_response`]). Only the
//! class's teacher sees responses, aggregated per card ([`crate::insights`]).
//!
//! Wire format (JSON, a promise: the server stores `payload` as text and old events stay readable):
//! ```json
//! {"id":"5f0c…","learner":"l_ab12…","at_ms":1750000000000,"content_hash":"00c0ffee00c0ffee",
//!  "card":3,"mode":"test","kind":"answer",
//!  "payload":{"question":"Typed","score":0.5,"correct":false,"response":"the generator"}}
//! ```

use super::learn::LearnStage;
use super::mastery::card_mastery;
use super::progress::{LearnAnswerRecord, Progress, ResultRecord, MAX_REVIEW_LOG};
use super::questions::QuestionKind;
use super::scheduler::{CallGrade, CardState, Rating, ReviewLogEntry, Scheduler};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Most events in one batch sent to the server.
pub const MAX_BATCH: usize = 200;
/// Longest event id (ids are `[A-Za-z0-9_-]`).
pub const MAX_ID_LEN: usize = 64;
/// Longest typed or picked answer kept in a payload (characters).
pub const MAX_RESPONSE_CHARS: usize = 500;
/// Earliest accepted event time: 2020-01-01 (anything older is a broken clock).
pub const MIN_AT_MS: i64 = 1_577_836_800_000;
/// How far in the future an event may be (clock skew between devices).
pub const MAX_FUTURE_MS: i64 = 86_400_000;
/// A learner with no event for this long is listed as inactive.
pub const INACTIVE_AFTER_MS: i64 = 7 * 86_400_000;

/// The study mode an event comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Flashcards,
    Learn,
    Test,
    Matching,
    Spaced,
    Call,
    Quiz,
}

impl Mode {
    /// All modes, in the teacher table's order.
    pub const ALL: [Mode; 7] = [
        Mode::Flashcards,
        Mode::Learn,
        Mode::Test,
        Mode::Matching,
        Mode::Spaced,
        Mode::Call,
        Mode::Quiz,
    ];

    /// The serialised name (also the database column's text).
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Flashcards => "flashcards",
            Mode::Learn => "learn",
            Mode::Test => "test",
            Mode::Matching => "matching",
            Mode::Spaced => "spaced",
            Mode::Call => "call",
            Mode::Quiz => "quiz",
        }
    }

    /// The mode named `s` (as written by [`Mode::as_str`]).
    pub fn parse(s: &str) -> Option<Mode> {
        Mode::ALL.into_iter().find(|m| m.as_str() == s)
    }
}

/// What happened: the event's `kind` and `payload`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "payload", rename_all = "snake_case")]
pub enum EventBody {
    /// A Spaced-review self-rating. `state_after` is the FSRS state the browser computed, so a
    /// replay shows the same memory estimate even after merges; without it the review is re-run.
    Review {
        rating: Rating,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        state_after: Option<CardState>,
    },
    /// A Learn answer, with the stage before and after it.
    LearnAnswer {
        round: u32,
        stage_before: LearnStage,
        stage_after: LearnStage,
        correct: bool,
        /// Already overridden when sent (history sent on joining).
        #[serde(default)]
        overridden: bool,
        /// The option id or the text typed, when known (see the module docs).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        response: Option<String>,
    },
    /// A graded answer in Test, a lesson quiz or a call.
    Answer {
        question: QuestionKind,
        score: f64,
        correct: bool,
        #[serde(default)]
        overridden: bool,
        /// The option id, or the text typed or heard, when known (see the module docs).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        response: Option<String>,
        /// Calls only: the FSRS rating the outcome earned (absent in events of older clients,
        /// which sent the review separately).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        rating: Option<Rating>,
        /// Calls only: the memory state after that review, as in [`EventBody::Review`].
        #[serde(default, skip_serializing_if = "Option::is_none")]
        state_after: Option<CardState>,
    },
    /// "I was right": the answer of the same card and mode made at `of_at_ms` counts as correct.
    Override { of_at_ms: i64 },
    /// The review of the same card and mode (`spaced`, or `call`) made at `of_at_ms` is taken
    /// back (Review's undo): replay and every figure leave it out.
    Undo { of_at_ms: i64 },
    /// A finished full Matching board.
    Board { elapsed_ms: u64 },
    /// A card starred or unstarred.
    Star { starred: bool },
}

impl EventBody {
    /// The `kind` text.
    pub fn kind(&self) -> &'static str {
        match self {
            EventBody::Review { .. } => "review",
            EventBody::LearnAnswer { .. } => "learn_answer",
            EventBody::Answer { .. } => "answer",
            EventBody::Override { .. } => "override",
            EventBody::Undo { .. } => "undo",
            EventBody::Board { .. } => "board",
            EventBody::Star { .. } => "star",
        }
    }

    /// The modes this kind may come from.
    fn allowed_in(&self, mode: Mode) -> bool {
        match self {
            EventBody::Review { .. } => mode == Mode::Spaced,
            EventBody::LearnAnswer { .. } => mode == Mode::Learn,
            EventBody::Answer { .. } => matches!(mode, Mode::Test | Mode::Quiz | Mode::Call),
            EventBody::Override { .. } => matches!(mode, Mode::Learn | Mode::Test | Mode::Call),
            EventBody::Undo { .. } => matches!(mode, Mode::Spaced | Mode::Call),
            EventBody::Board { .. } => mode == Mode::Matching,
            EventBody::Star { .. } => true,
        }
    }

    /// Whether the answer counts as right, for answer-like kinds.
    pub(crate) fn outcome(&self) -> Option<bool> {
        match self {
            EventBody::Review { rating, .. } => Some(*rating != Rating::Again),
            EventBody::LearnAnswer {
                correct,
                overridden,
                ..
            } => Some(*correct || *overridden),
            EventBody::Answer {
                correct,
                overridden,
                ..
            } => Some(*correct || *overridden),
            _ => None,
        }
    }
}

/// One study event (see the module docs for the wire format).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StudyEvent {
    pub id: String,
    /// The learner's public id (never their token).
    pub learner: String,
    pub at_ms: i64,
    pub content_hash: String,
    /// The card id; 0 for events about no single card (a Matching board).
    pub card: u32,
    pub mode: Mode,
    #[serde(flatten)]
    pub body: EventBody,
}

/// An event before it has an id, a learner and a content version.
#[derive(Debug, Clone, PartialEq)]
pub struct EventDraft {
    pub at_ms: i64,
    pub card: u32,
    pub mode: Mode,
    pub body: EventBody,
}

impl EventDraft {
    /// The event with its identity filled in.
    pub fn into_event(self, id: String, learner: &str, content_hash: &str) -> StudyEvent {
        StudyEvent {
            id,
            learner: learner.to_string(),
            at_ms: self.at_ms,
            content_hash: content_hash.to_string(),
            card: self.card,
            mode: self.mode,
            body: self.body,
        }
    }
}

/// Why an event was refused, worded for the client developer (the API returns it as is).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EventError {
    #[error("event id {0:?} must be 1-64 characters of A-Z, a-z, 0-9, '-' or '_'")]
    BadId(String),
    #[error("event {id}: time {at_ms} is outside 2020-01-01 .. now + 1 day")]
    BadTime { id: String, at_ms: i64 },
    #[error("event {id}: content_hash must be 1-64 letters or digits")]
    BadContentHash { id: String },
    #[error("event {id}: card {card} is not in this deck")]
    UnknownCard { id: String, card: u32 },
    #[error("event {id}: kind {kind} does not belong to mode {mode}")]
    KindModeMismatch {
        id: String,
        kind: &'static str,
        mode: &'static str,
    },
    #[error("event {id}: {what}")]
    BadPayload { id: String, what: String },
}

fn valid_token_chars(s: &str, max: usize, extra: &[char]) -> bool {
    !s.is_empty()
        && s.len() <= max
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || extra.contains(&c))
}

impl StudyEvent {
    /// Checks everything a client controls: id, time, content version, card id (against
    /// `is_card`), mode/kind pairing, payload ranges. `now_ms` is the receiver's clock.
    pub fn validate(&self, is_card: impl Fn(u32) -> bool, now_ms: i64) -> Result<(), EventError> {
        let id = || self.id.clone();
        if !valid_token_chars(&self.id, MAX_ID_LEN, &['-', '_']) {
            return Err(EventError::BadId(self.id.chars().take(80).collect()));
        }
        if self.at_ms < MIN_AT_MS || self.at_ms > now_ms.saturating_add(MAX_FUTURE_MS) {
            return Err(EventError::BadTime {
                id: id(),
                at_ms: self.at_ms,
            });
        }
        if !valid_token_chars(&self.content_hash, 64, &[]) {
            return Err(EventError::BadContentHash { id: id() });
        }
        if !self.body.allowed_in(self.mode) {
            return Err(EventError::KindModeMismatch {
                id: id(),
                kind: self.body.kind(),
                mode: self.mode.as_str(),
            });
        }
        let needs_card = !matches!(self.body, EventBody::Board { .. });
        if needs_card && !is_card(self.card) || !needs_card && self.card != 0 {
            return Err(EventError::UnknownCard {
                id: id(),
                card: self.card,
            });
        }
        let bad = |what: &str| {
            Err(EventError::BadPayload {
                id: id(),
                what: what.to_string(),
            })
        };
        let response_ok = |r: &Option<String>| match r {
            Some(r) if r.chars().count() > MAX_RESPONSE_CHARS => {
                Err("response is longer than 500 characters")
            }
            // Older clients kept line breaks; anything else is refused.
            Some(r) if r.chars().any(|c| c.is_control() && c != '\n') => {
                Err("response contains control characters")
            }
            _ => Ok(()),
        };
        let state_ok = |s: &Option<CardState>| match s {
            Some(s)
                if !(s.stability.is_finite() && s.difficulty.is_finite())
                    || s.stability <= 0.0
                    || !(1.0..=10.0).contains(&s.difficulty) =>
            {
                Err("state_after has an impossible stability or difficulty")
            }
            _ => Ok(()),
        };
        match &self.body {
            EventBody::Answer {
                score,
                response,
                rating,
                state_after,
                ..
            } => {
                if !score.is_finite() || !(0.0..=1.0).contains(score) {
                    return bad("score must be a number from 0 to 1");
                }
                if let Err(what) = response_ok(response).and(state_ok(state_after)) {
                    return bad(what);
                }
                if (rating.is_some() || state_after.is_some()) && self.mode != Mode::Call {
                    return bad("only a call's answer carries a rating");
                }
                if state_after.is_some() && rating.is_none() {
                    return bad("state_after needs the rating that led to it");
                }
            }
            EventBody::Review { state_after, .. } => {
                if let Err(what) = state_ok(state_after) {
                    return bad(what);
                }
            }
            EventBody::LearnAnswer {
                round, response, ..
            } => {
                if *round > 1_000_000 {
                    return bad("round is too large");
                }
                if let Err(what) = response_ok(response) {
                    return bad(what);
                }
            }
            EventBody::Override { of_at_ms } if *of_at_ms > self.at_ms => {
                return bad("an override cannot point at a later answer");
            }
            EventBody::Undo { of_at_ms } if *of_at_ms > self.at_ms => {
                return bad("an undo cannot point at a later review");
            }
            EventBody::Board { elapsed_ms } if *elapsed_ms == 0 || *elapsed_ms > 86_400_000 => {
                return bad("elapsed_ms must be between 1 ms and one day");
            }
            _ => {}
        }
        Ok(())
    }
}

/// A learner's answer as kept in an event: control characters (line breaks and tabs too)
/// become spaces, runs of spaces one space, the ends trimmed, at most [`MAX_RESPONSE_CHARS`]
/// characters; `None` when nothing is left.
pub fn clean_response(raw: &str) -> Option<String> {
    let spaced: String = raw
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let text: String = spaced
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(MAX_RESPONSE_CHARS)
        .collect();
    let text = text.trim_end().to_string();
    (!text.is_empty()).then_some(text)
}

/// The event of one new review log entry: a Spaced self-rating, or a Call outcome (the entry
/// carries the call's grade) as one call answer with its rating.
fn review_draft(card: u32, e: &ReviewLogEntry, state_after: Option<CardState>) -> EventDraft {
    let (mode, body) = match &e.call {
        Some(g) => (
            Mode::Call,
            EventBody::Answer {
                question: QuestionKind::Typed,
                score: if g.score.is_finite() {
                    g.score.clamp(0.0, 1.0)
                } else {
                    0.0
                },
                correct: g.correct,
                overridden: false,
                response: g.response.as_deref().and_then(clean_response),
                rating: Some(e.rating),
                state_after,
            },
        ),
        None => (
            Mode::Spaced,
            EventBody::Review {
                rating: e.rating,
                state_after,
            },
        ),
    };
    EventDraft {
        at_ms: e.reviewed_ms,
        card,
        mode,
        body,
    }
}

/// The events that turn `before` into `after` (one `ProgressStore` update, or the whole saved
/// history when `before` is fresh). Changes without a time of their own (an override, an undo,
/// a star, a Matching best) are stamped `now_ms`.
///
/// Review logs only grow, except in two ways: Review's undo removes the entry it takes back
/// (sent as an [`EventBody::Undo`] of it, so the server's copy stays append-only), and a full
/// log ([`MAX_REVIEW_LOG`]) drops its oldest entries to make room (nothing to send).
pub fn events_from_diff(before: &Progress, after: &Progress, now_ms: i64) -> Vec<EventDraft> {
    let mut out = Vec::new();
    let empty = Default::default();
    for (&card, b) in &before.cards {
        let a = after.cards.get(&card).unwrap_or(&empty);
        let kept: BTreeSet<(i64, Rating)> = a
            .review_log
            .iter()
            .map(|e| (e.reviewed_ms, e.rating))
            .collect();
        let full = a.review_log.len() >= MAX_REVIEW_LOG;
        let oldest = a.review_log.first().map(|e| e.reviewed_ms);
        for e in &b.review_log {
            let dropped_for_room = full && oldest.is_some_and(|o| e.reviewed_ms <= o);
            if !kept.contains(&(e.reviewed_ms, e.rating)) && !dropped_for_room {
                out.push(EventDraft {
                    at_ms: now_ms.max(e.reviewed_ms),
                    card,
                    mode: if e.call.is_some() {
                        Mode::Call
                    } else {
                        Mode::Spaced
                    },
                    body: EventBody::Undo {
                        of_at_ms: e.reviewed_ms,
                    },
                });
            }
        }
    }
    for (&card, a) in &after.cards {
        let b = before.cards.get(&card).unwrap_or(&empty);
        // Reviews (Spaced or Call): entries whose (time, rating) is new.
        let seen: BTreeSet<(i64, Rating)> = b
            .review_log
            .iter()
            .map(|e| (e.reviewed_ms, e.rating))
            .collect();
        let last = a.review_log.len().saturating_sub(1);
        for (i, e) in a.review_log.iter().enumerate() {
            if !seen.contains(&(e.reviewed_ms, e.rating)) {
                let state_after = if i == last { a.fsrs.clone() } else { None };
                out.push(review_draft(card, e, state_after));
            }
        }
        // Learn answers; the stage after an answer is the next answer's stage before.
        let old: BTreeMap<(i64, u32), &LearnAnswerRecord> = b
            .learn_log
            .iter()
            .map(|e| ((e.at_ms, e.round), e))
            .collect();
        for (i, e) in a.learn_log.iter().enumerate() {
            match old.get(&(e.at_ms, e.round)) {
                None => {
                    let stage_after = a
                        .learn_log
                        .get(i + 1)
                        .map_or(a.learn_stage, |n| n.stage_before);
                    out.push(EventDraft {
                        at_ms: e.at_ms,
                        card,
                        mode: Mode::Learn,
                        body: EventBody::LearnAnswer {
                            round: e.round,
                            stage_before: e.stage_before,
                            stage_after,
                            correct: e.correct && !e.overridden,
                            overridden: e.overridden,
                            response: e.response.as_deref().and_then(clean_response),
                        },
                    });
                }
                Some(o) if e.overridden && !o.overridden => out.push(EventDraft {
                    at_ms: now_ms.max(e.at_ms),
                    card,
                    mode: Mode::Learn,
                    body: EventBody::Override { of_at_ms: e.at_ms },
                }),
                Some(_) => {}
            }
        }
        for (mode, list, old_list) in [
            (Mode::Test, &a.test_results, &b.test_results),
            (Mode::Quiz, &a.quiz_results, &b.quiz_results),
        ] {
            let old: BTreeMap<(i64, QuestionKind), &ResultRecord> =
                old_list.iter().map(|e| ((e.at_ms, e.kind), e)).collect();
            for e in list {
                match old.get(&(e.at_ms, e.kind)) {
                    None => out.push(EventDraft {
                        at_ms: e.at_ms,
                        card,
                        mode,
                        body: EventBody::Answer {
                            question: e.kind,
                            score: e.score,
                            correct: e.correct,
                            overridden: e.overridden,
                            response: e.response.as_deref().and_then(clean_response),
                            rating: None,
                            state_after: None,
                        },
                    }),
                    Some(o) if e.overridden && !o.overridden => out.push(EventDraft {
                        at_ms: now_ms.max(e.at_ms),
                        card,
                        mode,
                        body: EventBody::Override { of_at_ms: e.at_ms },
                    }),
                    Some(_) => {}
                }
            }
        }
        if a.starred != b.starred {
            out.push(EventDraft {
                at_ms: now_ms,
                card,
                mode: Mode::Flashcards,
                body: EventBody::Star { starred: a.starred },
            });
        }
    }
    if let Some(ms) = after.matching_best_ms {
        if before.matching_best_ms != Some(ms) && ms > 0 {
            out.push(EventDraft {
                at_ms: now_ms,
                card: 0,
                mode: Mode::Matching,
                body: EventBody::Board { elapsed_ms: ms },
            });
        }
    }
    out.sort_by_key(|e| e.at_ms);
    out
}

/// (learner, mode, card, at_ms) of a review some [`EventBody::Undo`] takes back.
type ReviewKey<'a> = (&'a str, Mode, u32, i64);

/// The reviews taken back by undo events.
fn undone(events: &[StudyEvent]) -> BTreeSet<ReviewKey<'_>> {
    events
        .iter()
        .filter_map(|e| match e.body {
            EventBody::Undo { of_at_ms } => Some((e.learner.as_str(), e.mode, e.card, of_at_ms)),
            _ => None,
        })
        .collect()
}

/// Whether `e` is a review (a Spaced rating or a call's rated answer).
fn is_review(e: &StudyEvent) -> bool {
    match &e.body {
        EventBody::Review { .. } => true,
        EventBody::Answer { rating, .. } => e.mode == Mode::Call && rating.is_some(),
        _ => false,
    }
}

/// Older clients' call answers (no rating) by (learner, card, at_ms): the Spaced review sent
/// with each at the same time is that call's, not a self-rating.
fn legacy_calls(events: &[StudyEvent]) -> BTreeMap<(&str, u32, i64), CallGrade> {
    events
        .iter()
        .filter_map(|e| match &e.body {
            EventBody::Answer {
                score,
                correct,
                response,
                rating: None,
                ..
            } if e.mode == Mode::Call => Some((
                (e.learner.as_str(), e.card, e.at_ms),
                CallGrade {
                    score: *score,
                    correct: *correct,
                    response: response.clone(),
                },
            )),
            _ => None,
        })
        .collect()
}

/// The events the figures count (summaries, hardest cards, [`crate::insights`]): undo events
/// and the reviews they take back are left out, and so is the Spaced review an older client
/// sent next to each call answer (the call answer counts for it).
pub fn countable(events: &[StudyEvent]) -> Vec<&StudyEvent> {
    let undone = undone(events);
    let legacy = legacy_calls(events);
    events
        .iter()
        .filter(|e| {
            let who = e.learner.as_str();
            match e.body {
                EventBody::Undo { .. } => false,
                _ if is_review(e) && undone.contains(&(who, e.mode, e.card, e.at_ms)) => false,
                EventBody::Review { .. } => !legacy.contains_key(&(who, e.card, e.at_ms)),
                _ => true,
            }
        })
        .collect()
}

/// Rebuilds a learner's saved progress from their events (in time order, ties by id), with the
/// same `record_*` code the browser used. Undone reviews are skipped; a call's rated answer is
/// a review marked as the call's, as `call::Outcome::record` saves it.
pub fn replay(events: &[StudyEvent]) -> Progress {
    let undone = undone(events);
    let legacy = legacy_calls(events);
    let mut sorted: Vec<&StudyEvent> = events
        .iter()
        .filter(|e| {
            !(is_review(e) && undone.contains(&(e.learner.as_str(), e.mode, e.card, e.at_ms)))
        })
        .collect();
    sorted.sort_by(|a, b| (a.at_ms, &a.id).cmp(&(b.at_ms, &b.id)));
    let mut p = Progress::fresh();
    let scheduler = Scheduler::default();
    let review = |p: &mut Progress,
                  e: &StudyEvent,
                  rating: Rating,
                  state_after: &Option<CardState>,
                  call: Option<CallGrade>| {
        p.record_review(e.card, rating, &scheduler, e.at_ms);
        let c = p.card_mut(e.card);
        if let Some(s) = state_after {
            c.fsrs = Some(s.clone().sanitized());
        }
        if let Some(last) = c.review_log.last_mut() {
            last.call = call;
        }
    };
    for e in sorted {
        match &e.body {
            EventBody::Review {
                rating,
                state_after,
            } => {
                let call = legacy.get(&(e.learner.as_str(), e.card, e.at_ms)).cloned();
                review(&mut p, e, *rating, state_after, call);
            }
            EventBody::LearnAnswer {
                round,
                stage_before,
                stage_after,
                correct,
                overridden,
                response,
            } => {
                p.learn_round = p.learn_round.max(*round);
                let c = p.card_mut(e.card);
                c.learn_log.push(LearnAnswerRecord {
                    at_ms: e.at_ms,
                    round: *round,
                    stage_before: *stage_before,
                    last_correct_round_before: c.learn_last_correct_round,
                    correct: *correct || *overridden,
                    overridden: *overridden,
                    response: response.clone(),
                });
                if *correct || *overridden {
                    c.learn_last_correct_round = Some(*round);
                }
                c.learn_stage = *stage_after;
                let n = c.learn_log.len();
                if n > super::progress::MAX_RESULTS {
                    c.learn_log.drain(..n - super::progress::MAX_RESULTS);
                }
            }
            EventBody::Answer {
                question,
                score,
                correct,
                overridden,
                response,
                rating,
                state_after,
            } => match e.mode {
                Mode::Test => {
                    p.record_test_result(e.card, *question, *score, *correct, *overridden, e.at_ms);
                    if let Some(r) = p.card_mut(e.card).test_results.last_mut() {
                        r.response = response.clone();
                    }
                }
                Mode::Quiz => {
                    p.record_quiz_answer(e.card, *question, *correct, *overridden, e.at_ms);
                    if let Some(r) = p.card_mut(e.card).quiz_results.last_mut() {
                        r.score = *score;
                        r.response = response.clone();
                    }
                }
                Mode::Call => {
                    if let Some(rating) = rating {
                        let grade = CallGrade {
                            score: *score,
                            correct: *correct,
                            response: response.clone(),
                        };
                        review(&mut p, e, *rating, state_after, Some(grade));
                    }
                }
                _ => {}
            },
            EventBody::Override { of_at_ms } => match e.mode {
                Mode::Learn => {
                    let is_last = p
                        .cards
                        .get(&e.card)
                        .and_then(|c| c.learn_log.last())
                        .is_some_and(|l| l.at_ms == *of_at_ms);
                    if is_last {
                        p.override_last_learn_answer(e.card);
                    }
                }
                Mode::Test => {
                    if let Some(r) = p.cards.get_mut(&e.card).and_then(|c| {
                        c.test_results
                            .iter_mut()
                            .rev()
                            .find(|r| r.at_ms == *of_at_ms && !r.correct)
                    }) {
                        r.correct = true;
                        r.score = 1.0;
                        r.overridden = true;
                    }
                }
                _ => {}
            },
            EventBody::Undo { .. } => {}
            EventBody::Board { elapsed_ms } => {
                p.record_matching_time(*elapsed_ms);
            }
            EventBody::Star { starred } => p.card_mut(e.card).starred = *starred,
        }
    }
    p
}

/// Mastery over a whole deck: the mean card mastery over `card_ids` (cards with no evidence
/// count as 0), as in [`crate::mastery::lesson_mastery`]. 0 for an empty deck.
pub fn deck_mastery(progress: &Progress, card_ids: &[u32], now_ms: i64) -> f64 {
    if card_ids.is_empty() {
        return 0.0;
    }
    card_ids
        .iter()
        .map(|&id| card_mastery(progress, id, now_ms).value)
        .sum::<f64>()
        / card_ids.len() as f64
}

/// Right/total counts of graded answers.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Tally {
    pub answers: u32,
    pub correct: u32,
}

impl Tally {
    fn add(&mut self, right: bool) {
        self.answers += 1;
        self.correct += u32::from(right);
    }

    /// Share of right answers, `None` with no answers.
    pub fn accuracy(&self) -> Option<f64> {
        (self.answers > 0).then(|| f64::from(self.correct) / f64::from(self.answers))
    }
}

/// One row of the teacher's table, computed from one learner's events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LearnerSummary {
    /// Deck mastery in [0, 1] (see [`deck_mastery`]).
    pub mastery: f64,
    /// Cards at Learn stage Learned, and cards ever answered in Learn.
    pub learn_learned: u32,
    pub learn_seen: u32,
    pub learn: Tally,
    /// Test answers (overrides count as right).
    pub test: Tally,
    /// Mean Test score of the latest answer per card, in [0, 1].
    pub test_score: Option<f64>,
    /// Full Matching boards reported, and the best time.
    pub matching_boards: u32,
    pub matching_best_ms: Option<u64>,
    /// Spaced reviews (right = not Again) and distinct cards reviewed.
    pub spaced: Tally,
    pub spaced_cards: u32,
    pub call: Tally,
    pub quiz: Tally,
    /// Time of the latest event.
    pub last_active_ms: Option<i64>,
    pub events: u32,
}

impl LearnerSummary {
    /// The table's cells after Name, in column order (Mastery, Learn, Test, Matching, Spaced,
    /// Call, Last active is left to the viewer's clock): the same text in the page and the CSV.
    pub fn cells(&self) -> [String; 6] {
        let pct = |x: f64| format!("{:.0}%", (x * 100.0).round());
        let tally = |t: &Tally| match t.accuracy() {
            Some(a) => format!("{} right of {}", pct(a), t.answers),
            None => String::new(),
        };
        [
            pct(self.mastery),
            if self.learn_seen > 0 {
                format!("{}/{} learned", self.learn_learned, self.learn_seen)
            } else {
                String::new()
            },
            match self.test_score {
                Some(s) => format!("{} over {} answers", pct(s), self.test.answers),
                None => String::new(),
            },
            match self.matching_best_ms {
                Some(ms) => format!("best {:.1} s", ms as f64 / 1000.0),
                None => String::new(),
            },
            if self.spaced.answers > 0 {
                format!(
                    "{} reviews of {} cards",
                    self.spaced.answers, self.spaced_cards
                )
            } else {
                String::new()
            },
            tally(&self.call),
        ]
    }
}

/// One learner's row from their events (any order) at `now_ms`, for the deck `card_ids`.
pub fn summarize(events: &[StudyEvent], card_ids: &[u32], now_ms: i64) -> LearnerSummary {
    let progress = replay(events);
    let mut s = LearnerSummary {
        mastery: deck_mastery(&progress, card_ids, now_ms),
        learn_learned: 0,
        learn_seen: 0,
        learn: Tally::default(),
        test: Tally::default(),
        test_score: None,
        matching_boards: 0,
        matching_best_ms: progress.matching_best_ms,
        spaced: Tally::default(),
        spaced_cards: 0,
        call: Tally::default(),
        quiz: Tally::default(),
        last_active_ms: events.iter().map(|e| e.at_ms).max(),
        events: u32::try_from(events.len()).unwrap_or(u32::MAX),
    };
    for c in progress.cards.values() {
        if !c.learn_log.is_empty() {
            s.learn_seen += 1;
            s.learn_learned += u32::from(c.learn_stage == LearnStage::Learned);
        }
        s.spaced_cards += u32::from(c.review_log.iter().any(|e| e.call.is_none()));
    }
    let latest: Vec<f64> = progress
        .cards
        .values()
        .filter_map(|c| c.test_results.iter().max_by_key(|r| r.at_ms))
        .map(|r| r.score)
        .collect();
    s.test_score = (!latest.is_empty()).then(|| latest.iter().sum::<f64>() / latest.len() as f64);
    let overridden = overridden_answers(events);
    for e in countable(events) {
        let right = e
            .body
            .outcome()
            .map(|r| r || overridden.contains(&key_of(e)));
        match (e.mode, right) {
            (Mode::Learn, Some(r)) => s.learn.add(r),
            (Mode::Test, Some(r)) => s.test.add(r),
            (Mode::Spaced, Some(r)) => s.spaced.add(r),
            (Mode::Call, Some(r)) => s.call.add(r),
            (Mode::Quiz, Some(r)) => s.quiz.add(r),
            (Mode::Matching, _) => s.matching_boards += 1,
            _ => {}
        }
    }
    s
}

/// (learner, mode, card, at_ms) of an answer.
fn key_of(e: &StudyEvent) -> (&str, Mode, u32, i64) {
    (e.learner.as_str(), e.mode, e.card, e.at_ms)
}

/// The answers some Override event points at.
pub(crate) fn overridden_answers(events: &[StudyEvent]) -> BTreeSet<(&str, Mode, u32, i64)> {
    events
        .iter()
        .filter_map(|e| match e.body {
            EventBody::Override { of_at_ms } => {
                Some((e.learner.as_str(), e.mode, e.card, of_at_ms))
            }
            _ => None,
        })
        .collect()
}

/// A card's accuracy over a whole class.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CardDifficulty {
    pub card: u32,
    pub tally: Tally,
    /// Learners who answered it.
    pub learners: u32,
}

/// The class's hardest cards: every card with at least `min_answers` graded answers (Learn,
/// Test, quiz, call and Spaced, where Again is wrong), lowest accuracy first (ties: more
/// answers first, then card id).
pub fn hardest_cards(events: &[StudyEvent], min_answers: u32) -> Vec<CardDifficulty> {
    let overridden = overridden_answers(events);
    let mut by_card: BTreeMap<u32, (Tally, BTreeSet<&str>)> = BTreeMap::new();
    for e in countable(events) {
        if let Some(r) = e.body.outcome() {
            let entry = by_card.entry(e.card).or_default();
            entry.0.add(r || overridden.contains(&key_of(e)));
            entry.1.insert(e.learner.as_str());
        }
    }
    let mut out: Vec<CardDifficulty> = by_card
        .into_iter()
        .filter(|(_, (t, _))| t.answers >= min_answers.max(1))
        .map(|(card, (tally, learners))| CardDifficulty {
            card,
            tally,
            learners: u32::try_from(learners.len()).unwrap_or(u32::MAX),
        })
        .collect();
    out.sort_by(|a, b| {
        let (x, y) = (a.tally.accuracy(), b.tally.accuracy());
        x.partial_cmp(&y)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(b.tally.answers.cmp(&a.tally.answers))
            .then(a.card.cmp(&b.card))
    });
    out
}

/// Whether a learner last active at `last_active_ms` counts as inactive at `now_ms`.
pub fn is_inactive(last_active_ms: Option<i64>, now_ms: i64) -> bool {
    last_active_ms.is_none_or(|t| now_ms.saturating_sub(t) > INACTIVE_AFTER_MS)
}

/// The events waiting to be sent, oldest first, with the retry schedule. The browser keeps it in
/// localStorage (as JSON) so a reload or a closed tab loses nothing.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Outbox {
    pub pending: Vec<StudyEvent>,
    /// Failed sends in a row (resets on success).
    #[serde(default)]
    pub failures: u32,
}

impl Outbox {
    /// Queues events (an id already queued is not queued twice).
    pub fn push(&mut self, events: impl IntoIterator<Item = StudyEvent>) {
        let have: BTreeSet<String> = self.pending.iter().map(|e| e.id.clone()).collect();
        for e in events {
            if !have.contains(&e.id) && !self.pending.iter().any(|p| p.id == e.id) {
                self.pending.push(e);
            }
        }
    }

    /// The next batch to send: the oldest `max` events (at most [`MAX_BATCH`]).
    pub fn batch(&self, max: usize) -> &[StudyEvent] {
        &self.pending[..self.pending.len().min(max.min(MAX_BATCH))]
    }

    /// Removes the acknowledged ids and resets the backoff; returns how many were removed.
    pub fn acknowledge(&mut self, ids: &[String]) -> usize {
        let acked: BTreeSet<&str> = ids.iter().map(String::as_str).collect();
        let before = self.pending.len();
        self.pending.retain(|e| !acked.contains(e.id.as_str()));
        self.failures = 0;
        before - self.pending.len()
    }

    /// Records a failed send.
    pub fn failed(&mut self) {
        self.failures = self.failures.saturating_add(1);
    }

    /// Milliseconds to wait before the next try: 1 s doubling per failure up to 5 minutes, with
    /// `jitter` in [0, 1) spreading retries of many clients over the upper half.
    pub fn backoff_ms(&self, jitter: f64) -> u64 {
        if self.failures == 0 {
            return 0;
        }
        let base = 1000u64.saturating_mul(1u64 << self.failures.min(20).saturating_sub(1));
        let capped = base.min(300_000);
        let j = if jitter.is_finite() {
            jitter.clamp(0.0, 1.0)
        } else {
            0.5
        };
        capped / 2 + ((capped / 2) as f64 * j) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduler::DAY_MS;

    const T0: i64 = 1_750_000_000_000;

    fn deck() -> Vec<u32> {
        (1..=6).collect()
    }

    fn stamp(drafts: Vec<EventDraft>, start: usize) -> Vec<StudyEvent> {
        drafts
            .into_iter()
            .enumerate()
            .map(|(i, d)| d.into_event(format!("ev-{}", start + i), "l1", "abc123"))
            .collect()
    }

    /// A browser session: every change goes through a diff, as ProgressStore::update does.
    fn session() -> (Progress, Vec<StudyEvent>) {
        let mut p = Progress::fresh();
        let mut events = Vec::new();
        let s = Scheduler::new(0.85);
        let mut step = |p: &mut Progress, t: i64, f: &dyn Fn(&mut Progress)| {
            let before = p.clone();
            f(p);
            let n = events.len();
            events.extend(stamp(events_from_diff(&before, p, t), n));
        };
        step(&mut p, T0, &|p| {
            p.record_learn_answer(1, 1, true, T0);
        });
        step(&mut p, T0 + 1, &|p| {
            p.record_learn_answer(2, 1, false, T0 + 1);
        });
        step(&mut p, T0 + 2, &|p| {
            p.override_last_learn_answer(2);
        });
        step(&mut p, T0 + 3, &|p| {
            p.record_learn_answer(1, 2, true, T0 + 3);
        });
        step(&mut p, T0 + 10, &|p| {
            p.record_test_result(3, QuestionKind::Typed, 0.25, false, false, T0 + 10)
        });
        step(&mut p, T0 + 11, &|p| {
            crate::session::override_test_result(p, 3, QuestionKind::Typed, T0 + 10);
        });
        step(&mut p, T0 + 12, &|p| {
            p.record_test_result(4, QuestionKind::MultipleChoice, 1.0, true, false, T0 + 12)
        });
        step(&mut p, T0 + 13, &|p| {
            p.record_quiz_answer(5, QuestionKind::TrueFalse, false, false, T0 + 13)
        });
        step(&mut p, T0 + 20, &|p| {
            p.record_review(1, Rating::Good, &s, T0 + 20);
        });
        step(&mut p, T0 + DAY_MS, &|p| {
            p.record_review(1, Rating::Again, &s, T0 + DAY_MS);
        });
        step(&mut p, T0 + DAY_MS + 1, &|p| {
            p.record_review(6, Rating::Easy, &s, T0 + DAY_MS + 1);
        });
        step(&mut p, T0 + DAY_MS + 2, &|p| {
            p.toggle_star(6);
        });
        step(&mut p, T0 + DAY_MS + 3, &|p| {
            p.record_matching_time(31_200);
        });
        (p, events)
    }

    #[test]
    fn mastery_from_events_equals_the_browsers_own() {
        let (p, events) = session();
        assert_eq!(events.len(), 13, "{events:#?}");
        for now in [T0 + DAY_MS + 5, T0 + 30 * DAY_MS] {
            let browser = deck_mastery(&p, &deck(), now);
            let server = summarize(&events, &deck(), now).mastery;
            assert!(browser > 0.0);
            assert!((browser - server).abs() < 1e-12, "{browser} vs {server}");
            for id in deck() {
                let a = card_mastery(&p, id, now);
                let b = card_mastery(&replay(&events), id, now);
                assert_eq!(a, b, "card {id}");
            }
        }
        // Order of arrival does not matter.
        let mut shuffled = events.clone();
        shuffled.reverse();
        assert_eq!(replay(&shuffled), replay(&events));
    }

    #[test]
    fn history_sent_on_joining_gives_the_same_mastery() {
        let (p, _) = session();
        let all = stamp(events_from_diff(&Progress::fresh(), &p, T0 + DAY_MS + 4), 0);
        let now = T0 + 2 * DAY_MS;
        let server = summarize(&all, &deck(), now).mastery;
        assert!((deck_mastery(&p, &deck(), now) - server).abs() < 1e-12);
        // Diffing a progress against itself yields nothing.
        assert!(events_from_diff(&p, &p, now).is_empty());
    }

    #[test]
    fn summary_counts_each_mode() {
        let (_, events) = session();
        let s = summarize(&events, &deck(), T0 + DAY_MS + 5);
        assert_eq!(
            (s.learn.answers, s.learn.correct),
            (3, 3),
            "override counts"
        );
        assert_eq!((s.learn_learned, s.learn_seen), (0, 2));
        assert_eq!((s.test.answers, s.test.correct), (2, 2));
        assert_eq!(s.test_score, Some(1.0));
        assert_eq!((s.quiz.answers, s.quiz.correct), (1, 0));
        assert_eq!(
            (s.spaced.answers, s.spaced.correct, s.spaced_cards),
            (3, 2, 2)
        );
        assert_eq!((s.matching_boards, s.matching_best_ms), (1, Some(31_200)));
        assert_eq!(s.call, Tally::default());
        assert_eq!(s.last_active_ms, Some(T0 + DAY_MS + 3));
        let cells = s.cells();
        assert_eq!(cells[1], "0/2 learned");
        assert_eq!(cells[3], "best 31.2 s");
        assert_eq!(cells[4], "3 reviews of 2 cards");
        assert_eq!(cells[5], "", "Call stays empty without call events");
    }

    /// A Call outcome as the browser saves it: `Outcome::record` inside one store update,
    /// which the class sync turns into events with `events_from_diff`.
    fn call_outcome_through_the_store(p: &mut Progress, at_ms: i64) -> Vec<EventDraft> {
        let o = crate::call::Outcome {
            card_id: 2,
            how: crate::call::How::FirstTry,
            rating: Some(Rating::Good),
            score: 0.75,
            answers: vec!["the generator\u{7} is fooled".into()],
            at_ms,
            next_due_ms: None,
        };
        let before = p.clone();
        o.record(p, &Scheduler::default());
        events_from_diff(&before, p, at_ms)
    }

    #[test]
    fn a_call_outcome_is_one_call_event_counted_once_and_fed_to_fsrs_once() {
        let mut p = Progress::fresh();
        let drafts = call_outcome_through_the_store(&mut p, T0);
        assert_eq!(drafts.len(), 1, "one event per outcome: {drafts:#?}");
        assert_eq!(drafts[0].mode, Mode::Call, "its source is the call");
        let events = stamp(drafts, 0);
        assert!(events[0].validate(|c| c <= 6, T0).is_ok());
        let s = summarize(&events, &deck(), T0);
        assert_eq!((s.call.answers, s.call.correct), (1, 1));
        assert_eq!(
            (s.spaced.answers, s.spaced_cards),
            (0, 0),
            "not a spaced review"
        );
        let hard = hardest_cards(&events, 1);
        assert_eq!(hard[0].tally.answers, 1, "counted once per card");
        // FSRS saw it once: the replayed memory state is the browser's.
        let back = replay(&events);
        assert_eq!(back.cards[&2].fsrs, p.cards[&2].fsrs);
        assert_eq!(back.cards[&2].review_log.len(), 1);
        assert_eq!(
            card_mastery(&back, 2, T0 + DAY_MS),
            card_mastery(&p, 2, T0 + DAY_MS)
        );
        assert_eq!(
            events_from_diff(&Progress::fresh(), &back, T0),
            events_from_diff(&Progress::fresh(), &p, T0),
            "history sent on joining is the same call event"
        );
    }

    #[test]
    fn call_results_sent_twice_by_older_clients_count_once() {
        // Before the fix the page sent a spaced review (from the diff) and a call answer
        // (without rating) for each outcome, at the same time and card.
        let old = [
            r#"{"id":"a","learner":"l1","at_ms":1750000000000,"content_hash":"abc","card":2,"mode":"spaced","kind":"review","payload":{"rating":"Good"}}"#,
            r#"{"id":"b","learner":"l1","at_ms":1750000000000,"content_hash":"abc","card":2,"mode":"call","kind":"answer","payload":{"question":"Typed","score":0.75,"correct":true,"overridden":false,"response":"the generator is fooled"}}"#,
        ];
        let events: Vec<StudyEvent> = old
            .iter()
            .map(|j| serde_json::from_str(j).expect("old events parse"))
            .collect();
        let s = summarize(&events, &deck(), T0);
        assert_eq!(
            (s.call.answers, s.spaced.answers, s.spaced_cards),
            (1, 0, 0)
        );
        assert_eq!(hardest_cards(&events, 1)[0].tally.answers, 1);
        assert!(
            replay(&events).cards[&2].fsrs.is_some(),
            "FSRS still fed once"
        );
    }

    #[test]
    fn an_undone_review_is_an_undo_event_the_computations_respect() {
        let s = Scheduler::default();
        let mut p = Progress::fresh();
        let mut session = crate::session::ReviewSession::new(&deck());
        let mut events = Vec::new();
        fn step(
            events: &mut Vec<StudyEvent>,
            p: &mut Progress,
            t: i64,
            f: &mut dyn FnMut(&mut Progress),
        ) -> usize {
            let before = p.clone();
            f(p);
            let d = events_from_diff(&before, p, t);
            let n = events.len();
            events.extend(stamp(d, n));
            events.len() - n
        }
        let ev = &mut events;
        assert_eq!(
            step(ev, &mut p, T0, &mut |p| {
                session.rate(p, 1, Rating::Good, &s, T0);
            }),
            1
        );
        assert_eq!(
            step(ev, &mut p, T0 + 10, &mut |p| {
                session.rate(p, 1, Rating::Easy, &s, T0 + 10);
            }),
            1
        );
        // Undo the Easy: the log shrinks, and one new event says so.
        assert_eq!(
            step(ev, &mut p, T0 + 20, &mut |p| {
                session.undo(p);
            }),
            1,
            "an undo is one new event"
        );
        let undo = ev.last().expect("undo").clone();
        assert_eq!(undo.body.kind(), "undo");
        assert_eq!(undo.at_ms, T0 + 20);
        assert!(undo.validate(|c| c <= 6, T0 + 20).is_ok());
        // Rated again: Hard this time.
        assert_eq!(
            step(ev, &mut p, T0 + 30, &mut |p| {
                session.rate(p, 1, Rating::Hard, &s, T0 + 30);
            }),
            1
        );
        assert_eq!(events.len(), 4, "nothing lost, nothing duplicated");
        let sum = summarize(&events, &deck(), T0 + 40);
        assert_eq!(
            (sum.spaced.answers, sum.spaced_cards),
            (2, 1),
            "the undone review is not counted"
        );
        let back = replay(&events);
        assert_eq!(back.cards[&1].review_log, p.cards[&1].review_log);
        assert_eq!(back.cards[&1].fsrs, p.cards[&1].fsrs);
        for now in [T0 + 40, T0 + 30 * DAY_MS] {
            assert_eq!(card_mastery(&back, 1, now), card_mastery(&p, 1, now));
        }
        // Arrival order does not matter, and an undo of the last review leaves the one before.
        let mut rev = events.clone();
        rev.reverse();
        assert_eq!(replay(&rev), back);
        let back3 = replay(&events[..3]);
        assert_eq!(back3.cards[&1].review_log.len(), 1);
        assert_eq!(back3.cards[&1].review_log[0].rating, Rating::Good);
    }

    #[test]
    fn a_full_review_log_dropping_its_oldest_entry_is_no_undo() {
        let s = Scheduler::default();
        let mut p = Progress::fresh();
        for i in 0..crate::progress::MAX_REVIEW_LOG as i64 {
            p.record_review(1, Rating::Good, &s, T0 + i * 1000);
        }
        let before = p.clone();
        p.record_review(1, Rating::Again, &s, T0 + DAY_MS);
        let d = events_from_diff(&before, &p, T0 + DAY_MS);
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!(d[0].body.kind(), "review");
    }

    #[test]
    fn call_answers_count_in_the_call_column_only() {
        let e = EventDraft {
            at_ms: T0,
            card: 2,
            mode: Mode::Call,
            body: EventBody::Answer {
                question: QuestionKind::Typed,
                score: 1.0,
                correct: true,
                overridden: false,
                response: Some("a discriminator".into()),
                rating: None,
                state_after: None,
            },
        }
        .into_event("c1".into(), "l1", "abc");
        assert!(e.validate(|c| c <= 6, T0).is_ok());
        let s = summarize(&[e], &deck(), T0);
        assert_eq!((s.call.answers, s.call.correct), (1, 1));
        assert_eq!(s.cells()[5], "100% right of 1");
        assert_eq!(s.mastery, 0.0);
    }

    #[test]
    fn wire_format_is_stable() {
        let e = EventDraft {
            at_ms: T0,
            card: 3,
            mode: Mode::Test,
            body: EventBody::Answer {
                question: QuestionKind::Typed,
                score: 0.5,
                correct: false,
                overridden: false,
                response: None,
                rating: None,
                state_after: None,
            },
        }
        .into_event("e1".into(), "l_1", "00c0ffee");
        let golden = r#"{"id":"e1","learner":"l_1","at_ms":1750000000000,"content_hash":"00c0ffee","card":3,"mode":"test","kind":"answer","payload":{"question":"Typed","score":0.5,"correct":false,"overridden":false}}"#;
        assert_eq!(serde_json::to_string(&e).expect("serializes"), golden);
        let back: StudyEvent = serde_json::from_str(golden).expect("reads");
        assert_eq!(back, e);
        // Older clients may leave out defaulted fields.
        let minimal = r#"{"id":"r","learner":"l","at_ms":1750000000000,"content_hash":"a","card":1,"mode":"spaced","kind":"review","payload":{"rating":"Good"}}"#;
        let r: StudyEvent = serde_json::from_str(minimal).expect("reads");
        assert_eq!(
            r.body,
            EventBody::Review {
                rating: Rating::Good,
                state_after: None
            }
        );
        assert!(serde_json::from_str::<StudyEvent>(
            r#"{"id":"r","learner":"l","at_ms":1,"content_hash":"a","card":1,"mode":"spaced","kind":"explode","payload":{}}"#
        )
        .is_err());
    }

    #[test]
    fn validation_refuses_what_a_client_could_get_wrong() {
        let good = EventDraft {
            at_ms: T0,
            card: 2,
            mode: Mode::Test,
            body: EventBody::Answer {
                question: QuestionKind::TrueFalse,
                score: 1.0,
                correct: true,
                overridden: false,
                response: None,
                rating: None,
                state_after: None,
            },
        }
        .into_event("ok-1_A".into(), "l", "abc");
        let is_card = |c: u32| (1..=6).contains(&c);
        assert_eq!(good.validate(is_card, T0), Ok(()));
        let check = |f: &dyn Fn(&mut StudyEvent)| {
            let mut e = good.clone();
            f(&mut e);
            e.validate(is_card, T0)
        };
        assert!(matches!(
            check(&|e| e.id = String::new()),
            Err(EventError::BadId(_))
        ));
        assert!(matches!(
            check(&|e| e.id = "a b".into()),
            Err(EventError::BadId(_))
        ));
        assert!(matches!(
            check(&|e| e.id = "x".repeat(65)),
            Err(EventError::BadId(_))
        ));
        assert!(matches!(
            check(&|e| e.at_ms = 0),
            Err(EventError::BadTime { .. })
        ));
        assert!(matches!(
            check(&|e| e.at_ms = T0 + 2 * MAX_FUTURE_MS),
            Err(EventError::BadTime { .. })
        ));
        assert!(matches!(
            check(&|e| e.card = 99),
            Err(EventError::UnknownCard { .. })
        ));
        assert!(matches!(
            check(&|e| e.card = 0),
            Err(EventError::UnknownCard { .. })
        ));
        assert!(matches!(
            check(&|e| e.mode = Mode::Spaced),
            Err(EventError::KindModeMismatch { .. })
        ));
        assert!(matches!(
            check(&|e| e.content_hash = "<script>".into()),
            Err(EventError::BadContentHash { .. })
        ));
        for bad in [f64::NAN, -0.1, 1.5] {
            assert!(matches!(
                check(&|e| if let EventBody::Answer { score, .. } = &mut e.body {
                    *score = bad
                }),
                Err(EventError::BadPayload { .. })
            ));
        }
        assert!(matches!(
            check(
                &|e| if let EventBody::Answer { response, .. } = &mut e.body {
                    *response = Some("a\u{0007}b".into())
                }
            ),
            Err(EventError::BadPayload { .. })
        ));
        let board = EventDraft {
            at_ms: T0,
            card: 0,
            mode: Mode::Matching,
            body: EventBody::Board { elapsed_ms: 5000 },
        }
        .into_event("b".into(), "l", "abc");
        assert_eq!(board.validate(is_card, T0), Ok(()));
        let mut on_card = board.clone();
        on_card.card = 3;
        assert!(on_card.validate(is_card, T0).is_err());
    }

    #[test]
    fn responses_are_cleaned_and_new_fields_validated() {
        assert_eq!(clean_response("  a\tb\n\u{7}c  "), Some("a b c".into()));
        assert_eq!(clean_response(" \n\u{0} "), None);
        let long = "é".repeat(MAX_RESPONSE_CHARS + 40);
        let kept = clean_response(&long).expect("kept");
        assert_eq!(kept.chars().count(), MAX_RESPONSE_CHARS);
        let is_card = |c: u32| (1..=6).contains(&c);
        let call = |rating: Option<Rating>, mode: Mode| {
            EventDraft {
                at_ms: T0,
                card: 2,
                mode,
                body: EventBody::Answer {
                    question: QuestionKind::Typed,
                    score: 0.5,
                    correct: true,
                    overridden: false,
                    response: Some("x".into()),
                    rating,
                    state_after: None,
                },
            }
            .into_event("c".into(), "l", "abc")
        };
        assert_eq!(
            call(Some(Rating::Good), Mode::Call).validate(is_card, T0),
            Ok(())
        );
        assert!(matches!(
            call(Some(Rating::Good), Mode::Test).validate(is_card, T0),
            Err(EventError::BadPayload { .. })
        ));
        let learn = |response: &str| {
            EventDraft {
                at_ms: T0,
                card: 2,
                mode: Mode::Learn,
                body: EventBody::LearnAnswer {
                    round: 1,
                    stage_before: LearnStage::Typed,
                    stage_after: LearnStage::TrueFalse,
                    correct: false,
                    overridden: false,
                    response: Some(response.into()),
                },
            }
            .into_event("l1".into(), "l", "abc")
        };
        assert_eq!(learn("a generator").validate(is_card, T0), Ok(()));
        assert!(learn(&"x".repeat(MAX_RESPONSE_CHARS + 1))
            .validate(is_card, T0)
            .is_err());
        assert!(learn("a\u{1b}[31m").validate(is_card, T0).is_err());
        let undo = |of_at_ms: i64, mode: Mode| {
            EventDraft {
                at_ms: T0,
                card: 2,
                mode,
                body: EventBody::Undo { of_at_ms },
            }
            .into_event("u".into(), "l", "abc")
        };
        assert_eq!(undo(T0 - 5, Mode::Spaced).validate(is_card, T0), Ok(()));
        assert!(undo(T0 + 5, Mode::Spaced).validate(is_card, T0).is_err());
        assert!(matches!(
            undo(T0 - 5, Mode::Test).validate(is_card, T0),
            Err(EventError::KindModeMismatch { .. })
        ));
    }

    #[test]
    fn learn_and_test_responses_reach_the_events_and_survive_replay() {
        use crate::learn::LearnSession;
        use crate::questions::Question;
        use crate::test_cards::{deck as cards, wrong_answer};
        let cards = cards(4);
        let ids: Vec<u32> = cards.iter().map(|c| c.id).collect();
        let mut p = Progress::fresh();
        let mut learn = LearnSession::new(&cards, &ids, 7).expect("session");
        learn.start_round(&mut p);
        let q = learn.next_question(&cards, &p).expect("a question");
        let before = p.clone();
        let fb = learn
            .answer(&cards, &mut p, &wrong_answer(&q), T0)
            .expect("answered");
        assert!(!fb.checked.correct);
        let d = events_from_diff(&before, &p, T0);
        let learn_event = d
            .iter()
            .find(|e| e.mode == Mode::Learn)
            .expect("a learn event");
        let want = fb.checked.response.clone().expect("a response");
        match (&q, &learn_event.body) {
            (Question::MultipleChoice { .. }, EventBody::LearnAnswer { response, .. }) => {
                assert!(want.starts_with('d'), "{want}");
                assert_eq!(response.as_deref(), Some(want.as_str()));
            }
            other => panic!("{other:?}"),
        }
        // A Test with a typed answer.
        let paper = crate::test_mode::build_test(
            &cards,
            &crate::test_mode::TestConfig {
                count: 1,
                kinds: vec![QuestionKind::Typed],
                tags: vec![],
            },
            3,
        )
        .expect("paper");
        let report = crate::test_mode::grade_test(
            &cards,
            &paper,
            &[Some(crate::questions::Answer::Text("no idea\n".into()))],
        );
        let before = p.clone();
        report.record_into(&mut p, T0 + 5);
        let d = events_from_diff(&before, &p, T0 + 5);
        assert!(matches!(
            &d[0].body,
            EventBody::Answer { response: Some(r), .. } if r == "no idea"
        ));
        let events = stamp(events_from_diff(&Progress::fresh(), &p, T0 + 6), 0);
        let back = replay(&events);
        assert_eq!(back, p, "responses survive the server's copy");
    }

    #[test]
    fn hardest_cards_rank_by_accuracy_and_inactivity() {
        let mut events = session().1;
        let mut other = session().1;
        for e in &mut other {
            e.learner = "l2".into();
            e.id = format!("x{}", e.id);
        }
        events.extend(other);
        let hard = hardest_cards(&events, 2);
        // Card 5: one wrong quiz answer per learner, the only card with no right answer.
        assert_eq!(hard[0].card, 5);
        assert_eq!(
            (
                hard[0].tally.answers,
                hard[0].tally.correct,
                hard[0].learners
            ),
            (2, 0, 2)
        );
        assert!(hard
            .windows(2)
            .all(|w| w[0].tally.accuracy() <= w[1].tally.accuracy()));
        assert!(hardest_cards(&events, 100).is_empty());
        assert!(is_inactive(None, T0));
        assert!(is_inactive(Some(T0), T0 + 8 * DAY_MS));
        assert!(!is_inactive(Some(T0), T0 + DAY_MS));
    }

    #[test]
    fn outbox_batches_acknowledges_and_backs_off() {
        let (_, events) = session();
        let mut o = Outbox::default();
        o.push(events.clone());
        o.push(events.clone());
        assert_eq!(o.pending.len(), events.len(), "ids are queued once");
        assert_eq!(o.batch(5).len(), 5);
        assert_eq!(o.batch(10_000).len(), events.len().min(MAX_BATCH));
        assert_eq!(o.backoff_ms(0.3), 0);
        o.failed();
        assert_eq!((o.backoff_ms(0.0), o.backoff_ms(1.0)), (500, 1000));
        o.failed();
        o.failed();
        assert_eq!(o.backoff_ms(0.0), 2000);
        for _ in 0..40 {
            o.failed();
        }
        assert_eq!(o.backoff_ms(1.0), 300_000);
        let ids: Vec<String> = o.batch(5).iter().map(|e| e.id.clone()).collect();
        assert_eq!(o.acknowledge(&ids), 5);
        assert_eq!(o.failures, 0);
        assert_eq!(o.pending.len(), events.len() - 5);
        assert!(o.pending.iter().all(|e| !ids.contains(&e.id)));
        // The outbox survives a reload as JSON.
        let json = serde_json::to_string(&o).expect("serializes");
        assert_eq!(serde_json::from_str::<Outbox>(&json).expect("reads"), o);
    }
}
