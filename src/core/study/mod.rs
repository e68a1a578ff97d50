//! The self-testing engine: grading, scheduling, mastery and progress.
