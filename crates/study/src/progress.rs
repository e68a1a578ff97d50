//! Saved study progress: one versioned JSON document under one localStorage key.
//!
//! Format history:
//! - v1: `{"version":1, "cards":{"<id>":{"fsrs", "review_log", "learn_stage": 0..3,
//!   "test_results"}}, "starred":[ids], "matching_best_ms"}` (stars were a top-level list,
//!   the Learn stage a number).
//! - v2 (current): stars live in each card (`starred: bool`), the Learn stage is a name
//!   (`"TrueFalse"`), and Learn rounds, Learn/quiz logs and settings were added.
//!
//! Loading never loses data: anything that cannot be read (not JSON, not ours, or written by a
//! newer version) is handed back as a [`Quarantine`] for the UI to store under a backup key,
//! with a notice for the learner, and a fresh progress is used.

use super::learn::LearnStage;
use super::questions::QuestionKind;
use super::scheduler::{CardState, Rating, ReviewLogEntry, Scheduler};
use super::StudyError;
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;

/// The format version written by this build.
pub const PROGRESS_VERSION: u32 = 2;
/// The localStorage key of the progress document.
pub const STORAGE_KEY: &str = "gentutor.progress";
/// Review log entries kept per card (oldest dropped first).
pub const MAX_REVIEW_LOG: usize = 200;
/// Test, quiz and Learn results kept per card (oldest dropped first).
pub const MAX_RESULTS: usize = 30;
/// Largest card id accepted from saved data.
const MAX_CARD_ID: u32 = 100_000;

/// One Test-mode or quiz answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResultRecord {
    /// When it was answered (Unix ms).
    pub at_ms: i64,
    pub kind: QuestionKind,
    /// In [0, 1].
    #[serde(deserialize_with = "lenient_f64")]
    pub score: f64,
    pub correct: bool,
    /// The learner overrode the grader ("I was right").
    #[serde(default)]
    pub overridden: bool,
}

/// One Learn-mode answer, with the state before it so an override can undo it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LearnAnswerRecord {
    pub at_ms: i64,
    pub round: u32,
    /// Stage the card was asked at.
    pub stage_before: LearnStage,
    pub last_correct_round_before: Option<u32>,
    pub correct: bool,
    #[serde(default)]
    pub overridden: bool,
}

/// Everything saved about one card.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct CardProgress {
    /// FSRS memory state; `None` until the first review.
    pub fsrs: Option<CardState>,
    pub review_log: Vec<ReviewLogEntry>,
    pub learn_stage: LearnStage,
    /// The Learn round of the last correct answer (a stage advances once per round).
    pub learn_last_correct_round: Option<u32>,
    pub learn_log: Vec<LearnAnswerRecord>,
    pub test_results: Vec<ResultRecord>,
    pub quiz_results: Vec<ResultRecord>,
    pub starred: bool,
}

/// Learner settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// FSRS desired retention, [0.70, 0.97].
    #[serde(deserialize_with = "lenient_f64")]
    pub desired_retention: f64,
    /// New cards Review introduces per day (a rolling 24 hours; the name is the saved
    /// format's, kept so older saves load), [1, 100].
    pub new_cards_per_session: u32,
    /// Cards per Learn round.
    pub learn_round_size: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            desired_retention: 0.9,
            new_cards_per_session: 10,
            learn_round_size: 7,
        }
    }
}

/// All saved study progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    pub version: u32,
    #[serde(default)]
    pub cards: BTreeMap<u32, CardProgress>,
    /// Best full-board Matching time (ms).
    #[serde(default)]
    pub matching_best_ms: Option<u64>,
    /// Number of Learn rounds started so far.
    #[serde(default)]
    pub learn_round: u32,
    #[serde(default)]
    pub settings: Settings,
}

impl Default for Progress {
    fn default() -> Self {
        Self::fresh()
    }
}

/// Raw text to keep aside under `STORAGE_KEY + "." + key_suffix`.
#[derive(Debug, Clone, PartialEq)]
pub struct Quarantine {
    /// E.g. `backup-corrupt-1750000000000`.
    pub key_suffix: String,
    pub raw: String,
}

impl Quarantine {
    /// The full localStorage key to write `raw` to.
    pub fn key(&self) -> String {
        format!("{STORAGE_KEY}.{}", self.key_suffix)
    }
}

/// The result of [`Progress::load`].
#[derive(Debug, Clone, PartialEq)]
pub struct LoadOutcome {
    pub progress: Progress,
    /// A message to show the learner, if something needs their attention.
    pub notice: Option<String>,
    /// Unreadable saved text that the UI must store under [`Quarantine::key`] before saving.
    pub quarantine: Option<Quarantine>,
    /// The format version migrated from, if the save was older.
    pub migrated_from: Option<u32>,
}

/// Why a document could not be read.
#[derive(Debug, Clone, PartialEq)]
enum Unreadable {
    Corrupt(String),
    Foreign(String),
    Future(u32),
}

/// Accepts `null` (how serde_json writes NaN) as NaN; [`Progress::sanitize`] then repairs it.
fn lenient_f64<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::NAN))
}

fn keep_last<T>(v: &mut Vec<T>, n: usize) {
    if v.len() > n {
        v.drain(..v.len() - n);
    }
}

fn clean_score(x: f64) -> f64 {
    if x.is_finite() {
        x.clamp(0.0, 1.0)
    } else {
        0.0
    }
}

impl Progress {
    /// Empty progress in the current format.
    pub fn fresh() -> Self {
        Self {
            version: PROGRESS_VERSION,
            cards: BTreeMap::new(),
            matching_best_ms: None,
            learn_round: 0,
            settings: Settings::default(),
        }
    }

    /// Reads the saved document (`None` when the key is absent). Never fails and never loses
    /// data: see the module docs. `now_ms` only names the backup key.
    pub fn load(raw: Option<&str>, now_ms: i64) -> LoadOutcome {
        let text = match raw {
            Some(t) if !t.trim().is_empty() => t,
            _ => {
                return LoadOutcome {
                    progress: Self::fresh(),
                    notice: None,
                    quarantine: None,
                    migrated_from: None,
                }
            }
        };
        match Self::parse(text) {
            Ok((progress, migrated_from)) => LoadOutcome {
                progress,
                notice: migrated_from.map(|v| {
                    format!(
                        "Your saved progress was upgraded from format v{v} to v{PROGRESS_VERSION}."
                    )
                }),
                quarantine: None,
                migrated_from,
            },
            Err(why) => {
                let (tag, reason) = match &why {
                    Unreadable::Corrupt(e) => ("corrupt", format!("it is damaged ({e})")),
                    Unreadable::Foreign(e) => ("foreign", format!("it is not gentutor progress ({e})")),
                    Unreadable::Future(v) => (
                        "future",
                        format!(
                            "it was written by a newer gentutor (format v{v}; this version reads up to v{PROGRESS_VERSION}), so it was not downgraded"
                        ),
                    ),
                };
                let q = Quarantine {
                    key_suffix: format!("backup-{tag}-{now_ms}"),
                    raw: text.to_string(),
                };
                let notice = format!(
                    "Your saved study progress could not be used: {reason}. Nothing was deleted: the saved text was kept under the browser storage key \"{}\". This session starts with fresh progress.",
                    q.key()
                );
                LoadOutcome {
                    progress: Self::fresh(),
                    notice: Some(notice),
                    quarantine: Some(q),
                    migrated_from: None,
                }
            }
        }
    }

    /// Parses, migrates and sanitises a document.
    fn parse(text: &str) -> Result<(Progress, Option<u32>), Unreadable> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| Unreadable::Corrupt(e.to_string()))?;
        let obj = value
            .as_object()
            .ok_or_else(|| Unreadable::Foreign("not a JSON object".into()))?;
        let version = obj
            .get("version")
            .and_then(serde_json::Value::as_u64)
            .ok_or_else(|| Unreadable::Foreign("no version number".into()))?;
        let version = u32::try_from(version).unwrap_or(u32::MAX);
        if version == 0 {
            return Err(Unreadable::Foreign("version 0".into()));
        }
        if version > PROGRESS_VERSION {
            return Err(Unreadable::Future(version));
        }
        let mut value = value;
        let migrated_from = (version < PROGRESS_VERSION).then_some(version);
        if version == 1 {
            value = migrate_v1_to_v2(value).map_err(Unreadable::Foreign)?;
        }
        let mut progress: Progress = serde_json::from_value(value)
            .map_err(|e| Unreadable::Foreign(format!("unexpected layout: {e}")))?;
        progress.sanitize();
        Ok((progress, migrated_from))
    }

    /// Repairs anything out of range (NaN scores, huge logs, bad ids).
    fn sanitize(&mut self) {
        self.version = PROGRESS_VERSION;
        self.cards.retain(|id, _| (1..=MAX_CARD_ID).contains(id));
        for c in self.cards.values_mut() {
            if let Some(s) = c.fsrs.take() {
                c.fsrs = Some(s.sanitized());
            }
            c.review_log.sort_by_key(|e| e.reviewed_ms);
            keep_last(&mut c.review_log, MAX_REVIEW_LOG);
            for r in c.test_results.iter_mut().chain(c.quiz_results.iter_mut()) {
                r.score = clean_score(r.score);
            }
            keep_last(&mut c.test_results, MAX_RESULTS);
            keep_last(&mut c.quiz_results, MAX_RESULTS);
            keep_last(&mut c.learn_log, MAX_RESULTS);
        }
        let s = &mut self.settings;
        s.desired_retention = if s.desired_retention.is_finite() {
            s.desired_retention.clamp(0.70, 0.97)
        } else {
            0.9
        };
        s.new_cards_per_session = s.new_cards_per_session.clamp(1, 100);
        s.learn_round_size = s.learn_round_size.clamp(1, 20);
    }

    /// The document as compact JSON, for localStorage.
    pub fn to_json(&self) -> Result<String, StudyError> {
        serde_json::to_string(self).map_err(|e| StudyError::Serialize(e.to_string()))
    }

    /// The document as indented JSON, for the Export button.
    pub fn export(&self) -> Result<String, StudyError> {
        serde_json::to_string_pretty(self).map_err(|e| StudyError::Serialize(e.to_string()))
    }

    /// Reads an exported file (any supported version, migrated). Unlike [`Progress::load`]
    /// this reports problems as errors: nothing is replaced unless the file is valid.
    pub fn import(raw: &str) -> Result<Progress, StudyError> {
        match Self::parse(raw) {
            Ok((p, _)) => Ok(p),
            Err(Unreadable::Corrupt(e)) => {
                Err(StudyError::ImportInvalid(format!("not valid JSON: {e}")))
            }
            Err(Unreadable::Foreign(e)) => Err(StudyError::ImportInvalid(e)),
            Err(Unreadable::Future(v)) => Err(StudyError::ImportFromFuture {
                found: v,
                supported: PROGRESS_VERSION,
            }),
        }
    }

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

/// v1 -> v2: move the top-level `starred` list into the cards, turn numeric Learn stages into
/// names. Everything else is carried over; new v2 fields take their defaults.
fn migrate_v1_to_v2(mut value: serde_json::Value) -> Result<serde_json::Value, String> {
    use serde_json::{Map, Value};
    let obj = value.as_object_mut().ok_or("not a JSON object")?;
    let starred = obj.remove("starred").unwrap_or(Value::Array(Vec::new()));
    let starred = starred
        .as_array()
        .ok_or("v1 `starred` is not a list")?
        .clone();
    let cards = obj
        .entry("cards")
        .or_insert_with(|| Value::Object(Map::new()))
        .as_object_mut()
        .ok_or("v1 `cards` is not an object")?;
    for card in cards.values_mut() {
        if let Some(c) = card.as_object_mut() {
            if let Some(n) = c.get("learn_stage").and_then(Value::as_u64) {
                let name = LearnStage::from_index(n).name();
                c.insert("learn_stage".into(), Value::String(name.into()));
            }
        }
    }
    for id in starred {
        let id = id.as_u64().ok_or("v1 `starred` holds a non-number")?;
        let entry = cards
            .entry(id.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        if let Some(c) = entry.as_object_mut() {
            c.insert("starred".into(), Value::Bool(true));
        }
    }
    obj.insert("version".into(), Value::from(2));
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: i64 = 1_750_000_000_000;

    fn sample() -> Progress {
        let sched = Scheduler::default();
        let mut p = Progress::fresh();
        p.record_review(3, Rating::Good, &sched, T0);
        p.record_review(3, Rating::Good, &sched, T0 + 600_000);
        p.record_learn_answer(3, 1, true, T0);
        p.record_test_result(5, QuestionKind::Typed, 0.5, false, false, T0);
        p.record_quiz_answer(5, QuestionKind::MultipleChoice, true, false, T0 + 1);
        p.toggle_star(7);
        p.record_matching_time(40_000);
        p.learn_round = 1;
        p
    }

    #[test]
    fn round_trip_through_json() {
        let p = sample();
        let json = p.to_json().expect("serialisable");
        let out = Progress::load(Some(&json), T0);
        assert_eq!(out.progress, p);
        assert!(out.notice.is_none() && out.quarantine.is_none());
        let exported = p.export().expect("serialisable");
        assert_eq!(Progress::import(&exported), Ok(p));
    }

    #[test]
    fn missing_or_blank_gives_fresh_without_notice() {
        for raw in [None, Some(""), Some("  \n")] {
            let out = Progress::load(raw, T0);
            assert_eq!(out.progress, Progress::fresh());
            assert!(out.notice.is_none() && out.quarantine.is_none());
        }
    }

    const V1_FIXTURE: &str = r#"{
      "version": 1,
      "cards": {
        "3": {"learn_stage": 2, "test_results": [
          {"at_ms": 1700000000000, "kind": "Typed", "score": 1.0, "correct": true}]},
        "9": {"fsrs": {"due_ms": 1700000600000, "stability": 2.3, "difficulty": 5.1,
              "elapsed_days": 0, "scheduled_days": 0, "reps": 1, "lapses": 0,
              "phase": "Learning", "last_review_ms": 1700000000000},
              "review_log": [{"rating": "Good", "reviewed_ms": 1700000000000,
              "phase_before": "New", "elapsed_days": 0, "scheduled_days": 0,
              "due_ms": 1700000600000}]}
      },
      "starred": [3, 12],
      "matching_best_ms": 31000
    }"#;

    #[test]
    fn v1_migrates_to_v2() {
        let out = Progress::load(Some(V1_FIXTURE), T0);
        assert!(out.quarantine.is_none(), "{:?}", out.notice);
        assert_eq!(out.migrated_from, Some(1));
        let p = out.progress;
        assert_eq!(p.version, 2);
        assert!(p.is_starred(3) && p.is_starred(12) && !p.is_starred(9));
        assert_eq!(p.learn_stage(3), LearnStage::Typed);
        assert_eq!(p.cards[&3].test_results.len(), 1);
        assert_eq!(p.cards[&9].review_log.len(), 1);
        assert_eq!(p.cards[&9].fsrs.as_ref().map(|s| s.reps), Some(1));
        assert_eq!(p.matching_best_ms, Some(31_000));
        assert_eq!(p.settings, Settings::default());
        // Saved back, it is a v2 document.
        let again = Progress::load(Some(&p.to_json().unwrap_or_default()), T0);
        assert_eq!(again.migrated_from, None);
        assert_eq!(again.progress, p);
    }

    #[test]
    fn corrupt_and_foreign_input_is_quarantined_not_wiped() {
        let full = sample().to_json().unwrap_or_default();
        let truncated = &full[..full.len() / 2];
        let cases: [(&str, &str); 6] = [
            (truncated, "corrupt"),
            ("not json at all", "corrupt"),
            (r#"{"foo":1}"#, "foreign"),
            ("[]", "foreign"),
            (r#""x""#, "foreign"),
            (r#"{"version":2,"cards":[1,2]}"#, "foreign"),
        ];
        for (raw, tag) in cases {
            let out = Progress::load(Some(raw), T0);
            assert_eq!(out.progress, Progress::fresh(), "{raw}");
            let q = out.quarantine.expect("quarantined");
            assert_eq!(q.raw, raw);
            assert_eq!(q.key_suffix, format!("backup-{tag}-{T0}"));
            assert_eq!(q.key(), format!("gentutor.progress.backup-{tag}-{T0}"));
            let notice = out.notice.expect("notice");
            assert!(
                notice.contains(&q.key()) && notice.contains("Nothing was deleted"),
                "{notice}"
            );
            assert!(Progress::import(raw).is_err());
        }
    }

    #[test]
    fn future_version_is_kept_aside_not_downgraded() {
        let raw = r#"{"version":3,"cards":{},"new_field":true}"#;
        let out = Progress::load(Some(raw), T0);
        let q = out.quarantine.expect("kept aside");
        assert_eq!(q.raw, raw);
        assert!(q.key_suffix.starts_with("backup-future-"));
        assert!(out.notice.is_some_and(|n| n.contains("newer")));
        assert_eq!(
            Progress::import(raw),
            Err(StudyError::ImportFromFuture {
                found: 3,
                supported: 2
            })
        );
    }

    #[test]
    fn nan_and_out_of_range_values_are_repaired_on_load() {
        let mut p = sample();
        if let Some(c) = p.cards.get_mut(&5) {
            c.test_results[0].score = f64::NAN;
        }
        p.settings.desired_retention = 5.0;
        p.cards.insert(0, CardProgress::default());
        let json = p.to_json().unwrap_or_default();
        let out = Progress::load(Some(&json), T0);
        assert!(out.quarantine.is_none(), "{:?}", out.notice);
        assert_eq!(out.progress.cards[&5].test_results[0].score, 0.0);
        assert!((out.progress.settings.desired_retention - 0.97).abs() < 1e-12);
        assert!(!out.progress.cards.contains_key(&0));
    }

    #[test]
    fn import_merge_keeps_union_and_best() {
        let sched = Scheduler::default();
        let mut here = sample();
        let mut there = Progress::fresh();
        // Same first review as `here` (duplicate) plus a later one elsewhere.
        there.record_review(3, Rating::Good, &sched, T0);
        there.record_review(3, Rating::Good, &sched, T0 + 600_000);
        there.record_review(3, Rating::Easy, &sched, T0 + 2 * 86_400_000);
        there.record_learn_answer(3, 1, true, T0 + 5);
        there.record_learn_answer(3, 2, true, T0 + 6);
        there.toggle_star(4);
        there.record_matching_time(35_000);
        there.learn_round = 2;
        there.settings.learn_round_size = 3;
        let imported = Progress::import(&there.export().unwrap_or_default()).expect("valid");
        here.merge(&imported);

        let c3 = &here.cards[&3];
        let times: Vec<i64> = c3.review_log.iter().map(|e| e.reviewed_ms).collect();
        assert_eq!(times, vec![T0, T0 + 600_000, T0 + 2 * 86_400_000]);
        assert_eq!(
            c3.fsrs.as_ref().map(|s| s.last_review_ms),
            Some(T0 + 2 * 86_400_000)
        );
        assert_eq!(c3.learn_stage, LearnStage::Typed);
        assert_eq!(c3.learn_log.len(), 3);
        assert!(here.is_starred(4) && here.is_starred(7));
        assert_eq!(here.matching_best_ms, Some(35_000));
        assert_eq!(here.learn_round, 2);
        assert_eq!(here.settings.learn_round_size, 7, "local settings kept");
        assert_eq!(here.cards[&5].test_results.len(), 1);
    }

    #[test]
    fn review_settings_are_clamped_saved_and_change_the_intervals() {
        let mut p = Progress::fresh();
        assert_eq!(p.set_new_cards_per_day(0), 1);
        assert_eq!(p.set_new_cards_per_day(500), 100);
        assert_eq!(p.set_new_cards_per_day(15), 15);
        assert_eq!(p.set_desired_retention(0.5), 0.70);
        assert_eq!(p.set_desired_retention(f64::NAN), 0.70);
        assert_eq!(p.set_desired_retention(0.95), 0.95);
        let back = Progress::load(Some(&p.to_json().unwrap_or_default()), T0).progress;
        assert_eq!(back.settings.new_cards_per_session, 15);
        assert_eq!(back.settings.desired_retention, 0.95);
        // A higher retention schedules the same card sooner.
        let easy = |r: f64| {
            Scheduler::new(r)
                .review(&CardState::default(), Rating::Easy, T0)
                .0
                .due_ms
        };
        assert!(easy(0.95) < easy(0.80));
        // Saved settings without these fields (older saves) get the defaults.
        let old = r#"{"version":2,"cards":{},"settings":{"learn_round_size":5}}"#;
        let s = Progress::load(Some(old), T0).progress.settings;
        assert_eq!(
            (
                s.new_cards_per_session,
                s.desired_retention,
                s.learn_round_size
            ),
            (10, 0.9, 5)
        );
    }

    #[test]
    fn learn_stage_advances_once_per_round_and_override_undoes_a_miss() {
        let mut p = Progress::fresh();
        assert_eq!(p.record_learn_answer(1, 1, true, T0), LearnStage::TrueFalse);
        assert_eq!(p.record_learn_answer(1, 1, true, T0), LearnStage::TrueFalse);
        assert_eq!(p.record_learn_answer(1, 2, true, T0), LearnStage::Typed);
        assert_eq!(
            p.record_learn_answer(1, 3, false, T0),
            LearnStage::TrueFalse
        );
        assert_eq!(p.override_last_learn_answer(1), Some(LearnStage::Learned));
        assert_eq!(p.override_last_learn_answer(1), None, "already correct");
        assert!(p.cards[&1].learn_log.last().is_some_and(|r| r.overridden));
        assert_eq!(p.override_last_learn_answer(99), None);
        assert!(p.toggle_star(1));
        assert!(!p.toggle_star(1));
        assert!(p.record_matching_time(10));
        assert!(!p.record_matching_time(11));
    }
}
