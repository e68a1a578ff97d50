//! gentutor: an interactive tutor for generative models.
//!
//! `core` is pure Rust (no web-sys, no Leptos) and is tested natively; `ui` holds the
//! Leptos components, compiled only for the browser.

pub mod core;
#[cfg(target_arch = "wasm32")]
pub mod ui;
