//! The saved document's types (field names and serde attributes are the format: see the
//! golden tests) and the helpers that read numbers leniently and cap logs.

use super::*;

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
    /// What the learner answered, as a class event records it (`questions::response_for`);
    /// absent in older saves and for lesson quizzes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<String>,
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
    /// What the learner answered (as in [`ResultRecord::response`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<String>,
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

/// Accepts `null` (how serde_json writes NaN) as NaN; [`Progress::sanitize`] then repairs it.
fn lenient_f64<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::NAN))
}

pub(super) fn keep_last<T>(v: &mut Vec<T>, n: usize) {
    if v.len() > n {
        v.drain(..v.len() - n);
    }
}

pub(super) fn clean_score(x: f64) -> f64 {
    if x.is_finite() {
        x.clamp(0.0, 1.0)
    } else {
        0.0
    }
}
