//! gentutor: an interactive tutor for generative models.
//!
//! This is the first-load app: `content` installs the compiled lessons, `ui` holds the Leptos
//! components (browser only). The logic lives in the `gentutor-study` and `gentutor-content`
//! crates; the live demos are the separate `gentutor-demos` module, loaded on demand.

pub mod content;
#[cfg(target_arch = "wasm32")]
pub mod ui;
