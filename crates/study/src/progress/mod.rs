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

mod merge;
mod migrate;
mod record;
mod schema;
mod store;

#[cfg(test)]
mod tests;

pub use schema::{
    CardProgress, LearnAnswerRecord, LoadOutcome, Progress, Quarantine, ResultRecord, Settings,
};

use migrate::*;
use schema::*;

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
