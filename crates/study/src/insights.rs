//! What a class's events say beyond the teacher's table, for the teacher only:
//! - [`recall_grid`]: a student x card grid of mastery and recall;
//! - [`rating_disagreements`]: where a student's self-ratings in Spaced review disagree with
//!   the auto-graded answers of the same card;
//! - [`confusions`]: the wrong answers students give most often, per card.
//!
//! Everything is computed from events (any order) with [`countable`] (undone reviews, undo
//! events and older clients' duplicate call reviews left out), so the server needs no state
//! of its own. Pure and tested natively.

use crate::events::{countable, overridden_answers, replay, EventBody, Mode, StudyEvent};
use crate::mastery::{card_mastery, MasteryLevel};
use crate::questions::QuestionKind;
use crate::scheduler::{recall_probability, Rating, DAY_MS};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// How far apart in time a self-rating and a graded answer may be and still be compared
/// (see [`rating_disagreements`]).
pub const DISAGREE_WINDOW_MS: i64 = DAY_MS;
/// Wrong answers listed per card in [`confusions`] by default.
pub const CONFUSIONS_PER_CARD: usize = 3;

/// One cell of the recall grid: a learner's standing on a card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecallCell {
    /// Card mastery in [0, 1]: the number the student's own Study page shows for the card
    /// (`mastery::card_mastery`, which combines memory, Learn stage and recent results).
    pub mastery: f64,
    /// `new`, `learning`, `familiar` or `mastered`.
    pub level: String,
    /// FSRS probability of recalling the card now, once it was reviewed (Spaced or Call).
    pub recall_now: Option<f64>,
}

/// One learner's row of the grid: a cell per column of [`RecallGrid::cards`], `None` where the
/// learner has no evidence on the card yet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GridRow {
    pub learner: String,
    pub cells: Vec<Option<RecallCell>>,
}

/// The student x card grid.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct RecallGrid {
    /// The columns: the deck's cards (in deck order) that at least one learner has evidence
    /// on, so a class that studied five cards sees five columns, not the whole deck.
    pub cards: Vec<u32>,
    /// One row per learner, in the order asked for.
    pub rows: Vec<GridRow>,
}

/// The level's name as the grid sends it.
pub fn level_name(level: MasteryLevel) -> &'static str {
    match level {
        MasteryLevel::New => "new",
        MasteryLevel::Learning => "learning",
        MasteryLevel::Familiar => "familiar",
        MasteryLevel::Mastered => "mastered",
    }
}

/// The grid of `learners` (ids, rows in this order) over the deck `card_ids` at `now_ms`, from
/// the class's events. A cell is the card's mastery as the learner's own browser computes it
/// (same `replay` + `card_mastery` as the table's Mastery column).
pub fn recall_grid(
    events: &[StudyEvent],
    learners: &[&str],
    card_ids: &[u32],
    now_ms: i64,
) -> RecallGrid {
    let mut by_learner: BTreeMap<&str, Vec<StudyEvent>> = BTreeMap::new();
    for e in events {
        by_learner
            .entry(e.learner.as_str())
            .or_default()
            .push(e.clone());
    }
    let full: Vec<Vec<Option<RecallCell>>> = learners
        .iter()
        .map(|l| {
            let p = replay(by_learner.get(l).map_or(&[][..], Vec::as_slice));
            card_ids
                .iter()
                .map(|&id| {
                    let m = card_mastery(&p, id, now_ms);
                    (m.level != MasteryLevel::New).then(|| RecallCell {
                        mastery: m.value,
                        level: level_name(m.level).to_string(),
                        recall_now: p
                            .cards
                            .get(&id)
                            .and_then(|c| c.fsrs.as_ref())
                            .and_then(|s| recall_probability(s, now_ms)),
                    })
                })
                .collect()
        })
        .collect();
    let keep: Vec<usize> = (0..card_ids.len())
        .filter(|&j| full.iter().any(|row| row[j].is_some()))
        .collect();
    RecallGrid {
        cards: keep.iter().map(|&j| card_ids[j]).collect(),
        rows: learners
            .iter()
            .zip(full)
            .map(|(l, row)| GridRow {
                learner: (*l).to_string(),
                cells: keep.iter().map(|&j| row[j].clone()).collect(),
            })
            .collect(),
    }
}

/// Which way a self-rating disagreed with the grader.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Disagreement {
    /// Rated Good or Easy, but the graded answer was wrong.
    Overconfident,
    /// Rated Again, but the graded answer was right.
    Underconfident,
}

/// One review compared with its graded answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RatingPair {
    pub review_at_ms: i64,
    pub rating: Rating,
    pub graded_at_ms: i64,
    /// `learn`, `test` or `call`.
    pub graded_mode: Mode,
    pub graded_right: bool,
    pub disagreement: Disagreement,
}

/// Self-ratings against the grader for one learner and card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RatingCheck {
    pub learner: String,
    pub card: u32,
    /// Reviews that had a graded answer to compare with.
    pub compared: u32,
    pub overconfident: u32,
    pub underconfident: u32,
    /// The most recent disagreeing pair, for the teacher's note.
    pub latest: Option<RatingPair>,
}

impl RatingCheck {
    /// Reviews that disagreed either way.
    pub fn disagreements(&self) -> u32 {
        self.overconfident + self.underconfident
    }
}

/// Where self-ratings in Spaced review disagree with auto-graded answers.
///
/// Precisely: a Spaced review (a self-rating) of a card by a learner is *compared* with one
/// graded answer of the same learner and card, the one nearest to it in time (ties: the
/// later one), among
/// - Learn answers, Test answers and Call answers (auto-graded; lesson quizzes are a single
///   true/false guess and Matching has no per-card grade, so they are left out),
/// - at most [`DISAGREE_WINDOW_MS`] (one day) before or after the review,
///
/// with "I was right" overrides applied (an overridden answer is right). The pair *disagrees*
/// when the review rated Good or Easy and the graded answer was wrong
/// ([`Disagreement::Overconfident`]), or the review rated Again and the graded answer was right
/// ([`Disagreement::Underconfident`]). Hard means recalled with effort and agrees with either
/// grade. Reviews without a graded answer in the window are not compared. Undone reviews, and
/// the review an older client sent next to each call answer (a call's, not a self-rating), are
/// left out ([`countable`]).
///
/// Returns one [`RatingCheck`] per learner and card with at least one compared review, most
/// disagreements first (then learner id, then card id).
pub fn rating_disagreements(events: &[StudyEvent]) -> Vec<RatingCheck> {
    let live = countable(events);
    let overridden = overridden_answers(events);
    type Key<'a> = (&'a str, u32);
    // Graded answers per learner and card: (time, mode, right), sorted by time.
    let mut graded: BTreeMap<Key, Vec<(i64, Mode, bool)>> = BTreeMap::new();
    let mut reviews: BTreeMap<Key, Vec<(i64, Rating)>> = BTreeMap::new();
    for e in &live {
        let key = (e.learner.as_str(), e.card);
        match (&e.body, e.mode) {
            (EventBody::Review { rating, .. }, Mode::Spaced) => {
                reviews.entry(key).or_default().push((e.at_ms, *rating));
            }
            (EventBody::LearnAnswer { .. }, Mode::Learn)
            | (EventBody::Answer { .. }, Mode::Test | Mode::Call) => {
                let right = e.body.outcome().unwrap_or(false)
                    || overridden.contains(&(e.learner.as_str(), e.mode, e.card, e.at_ms));
                graded
                    .entry(key)
                    .or_default()
                    .push((e.at_ms, e.mode, right));
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for (key, mut rs) in reviews {
        let Some(gs) = graded.get_mut(&key) else {
            continue;
        };
        gs.sort_by_key(|g| g.0);
        rs.sort_by_key(|r| r.0);
        let mut check = RatingCheck {
            learner: key.0.to_string(),
            card: key.1,
            compared: 0,
            overconfident: 0,
            underconfident: 0,
            latest: None,
        };
        for (at, rating) in rs {
            // Nearest graded answer; on a tie the later one (the later scan wins with <=).
            let Some(&(g_at, mode, right)) = gs
                .iter()
                .filter(|g| (g.0 - at).abs() <= DISAGREE_WINDOW_MS)
                .fold(None, |best: Option<&(i64, Mode, bool)>, g| match best {
                    Some(b) if (b.0 - at).abs() < (g.0 - at).abs() => Some(b),
                    _ => Some(g),
                })
            else {
                continue;
            };
            check.compared += 1;
            let d = match (rating, right) {
                (Rating::Good | Rating::Easy, false) => Some(Disagreement::Overconfident),
                (Rating::Again, true) => Some(Disagreement::Underconfident),
                _ => None,
            };
            if let Some(d) = d {
                match d {
                    Disagreement::Overconfident => check.overconfident += 1,
                    Disagreement::Underconfident => check.underconfident += 1,
                }
                check.latest = Some(RatingPair {
                    review_at_ms: at,
                    rating,
                    graded_at_ms: g_at,
                    graded_mode: mode,
                    graded_right: right,
                    disagreement: d,
                });
            }
        }
        if check.compared > 0 {
            out.push(check);
        }
    }
    out.sort_by(|a, b| {
        b.disagreements()
            .cmp(&a.disagreements())
            .then_with(|| a.learner.cmp(&b.learner))
            .then(a.card.cmp(&b.card))
    });
    out
}

/// One wrong answer and how often it was given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConfusedAnswer {
    pub question: QuestionKind,
    /// The option id (multiple choice: `d1`..; true/false: `true`/`false`), the term picked
    /// (matching) or the text typed, as first given (see `events` for the response format).
    pub response: String,
    /// Times it was given, and by how many learners.
    pub count: u32,
    pub learners: u32,
}

/// A card's most frequent wrong answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CardConfusions {
    pub card: u32,
    /// Wrong answers on the card whose response is known.
    pub wrong: u32,
    /// The most frequent, most first (ties: more learners, then earlier given).
    pub top: Vec<ConfusedAnswer>,
}

/// How typed answers are grouped: case, inner spacing and end punctuation do not matter.
fn group_key(question: QuestionKind, response: &str) -> String {
    if question != QuestionKind::Typed {
        return response.to_string();
    }
    response
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_matches(|c: char| c.is_ascii_punctuation() && !"()[]{}$".contains(c))
        .to_lowercase()
}

/// The answers students confuse most often: per card, the wrong responses grouped (choice
/// questions by option; typed answers by [`group_key`]), at most `per_card` each, cards with
/// the most frequent confusion first. Wrong means graded wrong and not overridden ("I was
/// right"); answers without a response (older clients) are not counted.
pub fn confusions(events: &[StudyEvent], per_card: usize) -> Vec<CardConfusions> {
    let overridden = overridden_answers(events);
    let mut live = countable(events);
    live.sort_by(|a, b| (a.at_ms, &a.id).cmp(&(b.at_ms, &b.id)));
    // card -> (question, key) -> (first response, count, learners, first time)
    type Group<'a> = (String, u32, BTreeSet<&'a str>, i64);
    type Groups<'a> = BTreeMap<(QuestionKind, String), Group<'a>>;
    let mut by_card: BTreeMap<u32, (u32, Groups)> = BTreeMap::new();
    for e in live {
        let (question, response) = match &e.body {
            EventBody::Answer {
                question, response, ..
            } => (*question, response),
            EventBody::LearnAnswer {
                stage_before,
                response,
                ..
            } => (
                stage_before.question_kind().unwrap_or(QuestionKind::Typed),
                response,
            ),
            _ => continue,
        };
        let right = e.body.outcome().unwrap_or(true)
            || overridden.contains(&(e.learner.as_str(), e.mode, e.card, e.at_ms));
        let Some(response) = response.as_deref().filter(|r| !r.trim().is_empty()) else {
            continue;
        };
        if right {
            continue;
        }
        let entry = by_card.entry(e.card).or_default();
        entry.0 += 1;
        let g = entry
            .1
            .entry((question, group_key(question, response)))
            .or_insert_with(|| (response.to_string(), 0, BTreeSet::new(), e.at_ms));
        g.1 += 1;
        g.2.insert(e.learner.as_str());
    }
    let mut out: Vec<CardConfusions> = by_card
        .into_iter()
        .map(|(card, (wrong, groups))| {
            let mut top: Vec<(ConfusedAnswer, i64)> = groups
                .into_iter()
                .map(|((question, _), (response, count, learners, first))| {
                    (
                        ConfusedAnswer {
                            question,
                            response,
                            count,
                            learners: u32::try_from(learners.len()).unwrap_or(u32::MAX),
                        },
                        first,
                    )
                })
                .collect();
            top.sort_by(|(a, at), (b, bt)| {
                b.count
                    .cmp(&a.count)
                    .then(b.learners.cmp(&a.learners))
                    .then(at.cmp(bt))
            });
            top.truncate(per_card);
            CardConfusions {
                card,
                wrong,
                top: top.into_iter().map(|(c, _)| c).collect(),
            }
        })
        .collect();
    out.sort_by(|a, b| {
        let first = |c: &CardConfusions| c.top.first().map_or(0, |t| t.count);
        first(b)
            .cmp(&first(a))
            .then(b.wrong.cmp(&a.wrong))
            .then(a.card.cmp(&b.card))
    });
    out
}

/// How a confused response reads for the teacher (the page shows option texts from the card).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResponseText {
    /// Picked the card's distractor with this index (0-based, into `card.distractors`).
    Distractor(usize),
    /// Picked the right option (wrong only under another content version).
    RightOption,
    /// Answered "true" to the card's false statement.
    TrueToFalseStatement,
    /// Answered "false" to the card's true statement.
    FalseToTrueStatement,
    /// Picked this term (matching).
    Term(String),
    /// Typed (or said) this text.
    Typed(String),
}

/// Reads a response as [`crate::questions::response_for`] wrote it for a `question`.
pub fn read_response(question: QuestionKind, response: &str) -> ResponseText {
    match question {
        QuestionKind::MultipleChoice => match response {
            "answer" => ResponseText::RightOption,
            r => match r.strip_prefix('d').and_then(|n| n.parse::<usize>().ok()) {
                Some(n) if n >= 1 => ResponseText::Distractor(n - 1),
                _ => ResponseText::Typed(r.to_string()),
            },
        },
        QuestionKind::TrueFalse => match response {
            "true" => ResponseText::TrueToFalseStatement,
            "false" => ResponseText::FalseToTrueStatement,
            r => ResponseText::Typed(r.to_string()),
        },
        QuestionKind::Matching => ResponseText::Term(response.to_string()),
        QuestionKind::Typed => ResponseText::Typed(response.to_string()),
    }
}

/// "5 min", "3 h", "1 day" for a gap of `ms`.
fn gap(ms: i64) -> String {
    let ms = ms.abs();
    match ms {
        0..=59_999 => "less than a minute".into(),
        60_000..=3_599_999 => format!("{} min", ms / 60_000),
        3_600_000..=86_399_999 => format!("{} h", ms / 3_600_000),
        _ => "1 day".into(),
    }
}

impl RatingPair {
    /// One sentence for the teacher, in the order things happened, e.g. "rated Easy in review,
    /// then answered wrong in Test 1 h later".
    pub fn describe(&self) -> String {
        let rated = format!("rated {:?} in review", self.rating);
        let graded = format!(
            "answered {} in {}",
            if self.graded_right { "right" } else { "wrong" },
            match self.graded_mode {
                Mode::Learn => "Learn",
                Mode::Test => "Test",
                Mode::Call => "a Call",
                other => other.as_str(),
            }
        );
        let when = gap(self.graded_at_ms - self.review_at_ms);
        if self.graded_at_ms >= self.review_at_ms {
            format!("{rated}, then {graded} {when} later")
        } else {
            format!("{graded}, then {rated} {when} later")
        }
    }
}

impl RecallCell {
    /// The cell's percentage, as shown.
    pub fn percent(&self) -> String {
        format!("{:.0}%", (self.mastery * 100.0).round())
    }

    /// The cell in words (its accessible name and tooltip).
    pub fn describe(&self) -> String {
        match self.recall_now {
            Some(r) => format!(
                "mastery {}, {}; recall now {:.0}%",
                self.percent(),
                self.level,
                (r * 100.0).round()
            ),
            None => format!("mastery {}, {}", self.percent(), self.level),
        }
    }
}

#[cfg(test)]
mod tests;
