//! The self-testing engine: grading typed answers, FSRS scheduling, question generation,
//! the Learn / Test / Matching / Flashcards modes, mastery, and saved progress.
//!
//! Pure logic: no web-sys, no Leptos, no clock, no OS randomness. Time comes in as `now_ms`
//! (Unix milliseconds) and randomness as a `seed: u64`.

pub mod call;
pub mod display;
pub mod events;
pub mod flashcards;
pub mod grading;
pub mod insights;
pub mod learn;
pub mod mastery;
pub mod matching;
pub mod progress;
pub mod questions;
pub mod rng;
pub mod scheduler;
pub mod session;
pub mod test_mode;

#[cfg(test)]
pub(crate) mod test_cards;

/// Errors of the study engine, worded for the learner.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StudyError {
    /// A filter (tag, lesson, starred) left no cards.
    #[error("No cards match {what}. Choose another tag or lesson, or clear the filter.")]
    NoCards { what: String },
    /// Test mode with no question type ticked.
    #[error("Pick at least one question type for the test.")]
    NoQuestionKinds,
    /// A card id that is not in the deck.
    #[error("Card {0} is not in this deck; the saved data may come from another version.")]
    UnknownCard(u32),
    /// An imported file that is not gentutor progress.
    #[error("This file is not gentutor progress ({0}). Choose a file made with Export.")]
    ImportInvalid(String),
    /// An imported file written by a newer gentutor.
    #[error(
        "This progress file was written by a newer gentutor (format v{found}; this one reads up to v{supported}). Open it with the newer version."
    )]
    ImportFromFuture { found: u32, supported: u32 },
    /// Progress could not be turned into JSON (should not happen; nothing was overwritten).
    #[error("Could not save progress as JSON ({0}); your previous save is untouched.")]
    Serialize(String),
}
