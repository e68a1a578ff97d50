//! One route per file.

pub mod about;
pub mod home;
pub mod lesson;
pub mod not_found;
pub mod study;
pub mod study_call;
pub mod study_flashcards;
pub mod study_learn;
pub mod study_matching;
pub mod study_spaced;
pub mod study_test;

/// Sets the document title (the browser tab and history entries).
pub(crate) fn set_title(title: &str) {
    gentutor_web::set_title(title);
}
