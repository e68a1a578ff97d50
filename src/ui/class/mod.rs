//! Class tracking in the app: a teacher creates a class and follows the table; a student joins
//! with a code and their study results reach the server as events (see `gentutor_study::events`).
//! The server is the same origin that served the app (`crates/server`).
//!
//! - [`net`]: `fetch` for the JSON API;
//! - [`sync`]: the membership, the outbox in localStorage and the sender with retry/backoff;
//! - [`pages`]: `/class/new`, `/class/<teacher token>`, `/join/<code>`, `/resume/<token>`.

pub mod net;
pub mod pages;
pub mod sync;
