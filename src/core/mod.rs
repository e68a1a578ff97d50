//! Pure logic: content pipeline, models, plots and study engine. Nothing here touches the DOM.

pub mod content;
pub mod models;
pub mod plot;
pub mod study;
