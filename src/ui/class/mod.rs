//! Class tracking in the app: a teacher creates a class and follows the table; a student joins
//! with a code and their study results reach the server as events (see `gentutor_study::events`).
//! The server is the same origin that served the app (`crates/server`).
//!
//! - [`net`]: `fetch` for the JSON API (in `gentutor_web`, shared with the lazily loaded pages);
//! - [`sync`]: the membership, the outbox in localStorage and the sender with retry/backoff;
//! - [`pages`]: `/join/<code>`, `/resume/<token>`, and the routes of `/class/new` and
//!   `/class/<teacher token>`, whose pages live in the lazily loaded module
//!   (`crates/demos/src/pages/class.rs`).

pub use gentutor_web::net;
pub mod pages;
pub mod sync;

use leptos::prelude::*;
use leptos::reactive::owner::WeakOwner;

/// The owner of the component being built, for tasks started later from its event handlers.
/// Held weakly, so keeping it does not keep the component alive after the learner leaves.
#[derive(Clone, Copy)]
pub(crate) struct Here(StoredValue<Option<WeakOwner>>);

impl Here {
    /// The owner current now (call in the component's body).
    pub(crate) fn current() -> Here {
        Here(StoredValue::new(Owner::current().map(|o| o.downgrade())))
    }

    /// Spawns `task` tied to that owner (dropped if the component is gone).
    pub(crate) fn spawn(&self, task: impl std::future::Future<Output = ()> + 'static) {
        let owner = self.0.try_get_value().flatten().and_then(|w| w.upgrade());
        gentutor_web::scoped::spawn_in(owner.as_ref(), task);
    }
}
