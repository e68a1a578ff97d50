//! The one progress store shared by every route, and its localStorage IO.
//!
//! Loading follows [`Progress::load`]: unreadable saved text is first copied to its backup key,
//! then the learner is told. Every change goes through [`ProgressStore::update`], which saves
//! right away. Without localStorage (private mode, blocked storage) progress lives in memory
//! and a notice says so.

use gentutor_study::progress::{Progress, STORAGE_KEY};
use leptos::prelude::*;

/// Unix milliseconds now (the only clock the study UI reads).
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// A seed for the study engine's RNG, from the clock (mixed so two seeds taken in the same
/// millisecond still differ).
pub fn fresh_seed() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    (js_sys::Date::now() as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ n.wrapping_mul(0xBF58_476D_1CE4_E5B9)
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// A message shown in the dismissible banner.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub id: u32,
    pub text: String,
}

/// Shared study progress (cheap to copy; lives in a Leptos context).
#[derive(Debug, Clone, Copy)]
pub struct ProgressStore {
    progress: RwSignal<Progress>,
    notices: RwSignal<Vec<Notice>>,
    /// False when progress cannot be written (no storage, or the backup of unreadable data
    /// failed, in which case writing would overwrite it).
    persist: RwSignal<bool>,
}

impl ProgressStore {
    /// Loads progress from localStorage (quarantining unreadable data first).
    pub fn init() -> Self {
        let store = Self {
            progress: RwSignal::new(Progress::fresh()),
            notices: RwSignal::new(Vec::new()),
            persist: RwSignal::new(false),
        };
        let Some(st) = storage() else {
            store.notify(
                "Your browser does not allow this site to store data (private mode or blocked storage), so your study progress is kept in memory only and will be lost when you close the tab. Use Export on the Study page to keep it.",
            );
            return store;
        };
        let raw = match st.get_item(STORAGE_KEY) {
            Ok(raw) => raw,
            Err(_) => {
                store.notify("Your saved study progress could not be read from browser storage, so this session keeps progress in memory only (nothing was overwritten).");
                return store;
            }
        };
        let outcome = Progress::load(raw.as_deref(), now_ms());
        let mut persist = true;
        if let Some(q) = &outcome.quarantine {
            // The backup must exist before anything can overwrite the main key.
            if st.set_item(&q.key(), &q.raw).is_err() {
                persist = false;
                store.notify(&format!(
                    "Your saved study progress could not be used, and it could not be backed up either (storage full?). To keep it, nothing will be saved in this session; copy the browser storage key \"{STORAGE_KEY}\" if you need it."
                ));
            }
        }
        if let Some(n) = &outcome.notice {
            store.notify(n);
        }
        store.progress.set(outcome.progress);
        store.persist.set(persist);
        store
    }

    /// Reads progress (tracked: the caller re-runs when it changes).
    pub fn with<R>(&self, f: impl FnOnce(&Progress) -> R) -> R {
        self.progress.with(f)
    }

    /// Reads progress without tracking.
    pub fn with_untracked<R>(&self, f: impl FnOnce(&Progress) -> R) -> R {
        self.progress.with_untracked(f)
    }

    /// Changes progress and saves it.
    pub fn update<R>(&self, f: impl FnOnce(&mut Progress) -> R) -> Option<R> {
        // In a class, every change also becomes study events for the teacher (see ui::class).
        let before = crate::ui::class::sync::active()
            .then(|| self.progress.try_with_untracked(Progress::clone))
            .flatten();
        let r = self.progress.try_update(f);
        if let Some(before) = before {
            self.progress
                .try_with_untracked(|after| crate::ui::class::sync::record(&before, after));
        }
        self.save();
        r
    }

    /// True when changes are written to localStorage.
    pub fn persistent(&self) -> bool {
        self.persist.get()
    }

    /// Writes progress to localStorage (no-op in memory-only mode).
    pub fn save(&self) {
        if !self.persist.get_untracked() {
            return;
        }
        let json = match self.progress.with_untracked(Progress::to_json) {
            Ok(j) => j,
            Err(e) => {
                self.notify(&e.to_string());
                return;
            }
        };
        let ok = storage().is_some_and(|st| st.set_item(STORAGE_KEY, &json).is_ok());
        if !ok {
            self.persist.set(false);
            self.notify("Your progress could not be saved in this browser (storage full or blocked). It is kept in memory for this visit; use Export on the Study page to keep a copy.");
        }
    }

    /// Adds a banner message.
    pub fn notify(&self, text: &str) {
        self.notices.update(|v| {
            let id = v.iter().map(|n| n.id).max().unwrap_or(0) + 1;
            v.push(Notice {
                id,
                text: text.to_string(),
            });
        });
    }

    /// The banner messages (tracked).
    pub fn notices(&self) -> Vec<Notice> {
        self.notices.get()
    }

    /// Removes banner message `id`.
    pub fn dismiss(&self, id: u32) {
        self.notices.update(|v| v.retain(|n| n.id != id));
    }
}

/// The shared store, or (outside a [`ProgressProvider`], e.g. a component mounted alone in a
/// test) a freshly loaded one provided at this level.
pub fn use_progress() -> ProgressStore {
    use_context::<ProgressStore>().unwrap_or_else(|| {
        let store = ProgressStore::init();
        provide_context(store);
        store
    })
}

/// Loads progress once and shares it with everything inside (the whole shell, so the header's
/// Study badge and the pages read the same store). Shows nothing itself.
#[component]
pub fn ProgressRoot(
    /// The app shell.
    children: Children,
) -> impl IntoView {
    provide_context(ProgressStore::init());
    children()
}

/// Shares progress with everything inside (the store of an outer [`ProgressRoot`], or one
/// loaded here) and shows the notice banner.
#[component]
pub fn ProgressProvider(
    /// The app content that reads or records progress.
    children: Children,
) -> impl IntoView {
    let store = use_progress();
    provide_context(store);
    // Sends queued class events while the app is open (no-op outside a class).
    crate::ui::class::sync::start();
    view! {
        <NoticeBanner />
        {children()}
    }
}

/// Dismissible messages about saved progress (damaged data, memory-only mode, save errors).
#[component]
pub fn NoticeBanner() -> impl IntoView {
    let store = use_progress();
    view! {
        <For each=move || store.notices() key=|n| n.id let:n>
            <div class="notice" role="status" data-testid="progress-notice">
                <p>{n.text.clone()}</p>
                <button class="secondary" data-testid="notice-dismiss" aria-label="Dismiss this message"
                    on:click=move |_| store.dismiss(n.id)>"Dismiss"</button>
            </div>
        </For>
    }
}

// Shared with the lazily loaded pages (the Call page), so it lives in the web crate.
pub use gentutor_web::keys::{ignore_shortcut, in_field};
