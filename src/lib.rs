//! gentutor: an interactive tutor for generative models.
//!
//! This is the first-load app: `content` installs the compiled lessons, `ui` holds the Leptos
//! components (browser only). The logic lives in the `gentutor-study` and `gentutor-content`
//! crates; the live demos are the separate `gentutor-demos` module and the class, Call and
//! study-mode pages the `gentutor-pages` module, each loaded on demand.

pub mod content;
#[cfg(target_arch = "wasm32")]
pub mod ui;
