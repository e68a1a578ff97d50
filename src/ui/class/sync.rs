//! A student's side of class sync: the membership (learner id and token) and an outbox of study
//! events, both in localStorage so a reload or a closed tab loses nothing, and one sender that
//! posts batches with retry and exponential backoff while the page is open.
//!
//! Events come from [`record`], which `ProgressStore::update` calls with the progress before and
//! after each change (so every mode's results become events without each mode knowing).

use super::net;
use crate::content::CONTENT_HASH;
use crate::ui::study::store::now_ms;
use crate::ui::study::ProgressStore;
use gentutor_study::events::{events_from_diff, replay, EventDraft, Outbox, StudyEvent, MAX_BATCH};
use gentutor_study::progress::Progress;
use serde::{Deserialize, Serialize};
use std::cell::{Cell, RefCell};

/// localStorage key of the membership.
pub const MEMBER_KEY: &str = "gentutor.class";
/// localStorage key of the events not yet acknowledged.
pub const OUTBOX_KEY: &str = "gentutor.class.outbox";
/// Events the server refused as invalid (kept, never silently dropped).
pub const REJECTED_KEY: &str = "gentutor.class.rejected";

/// This browser's place in a class.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Membership {
    pub learner_id: String,
    pub token: String,
    pub name: String,
    pub class_name: String,
}

impl Membership {
    /// The personal resume link (continue on another device).
    pub fn resume_link(&self) -> String {
        format!("{}/resume/{}", net::origin(), self.token)
    }
}

thread_local! {
    static LAST_ERROR: RefCell<Option<String>> = const { RefCell::new(None) };
    static BATCH: Cell<usize> = const { Cell::new(MAX_BATCH) };
    static STARTED: Cell<bool> = const { Cell::new(false) };
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn read<T: for<'de> Deserialize<'de>>(key: &str) -> Option<T> {
    let raw = storage()?.get_item(key).ok()??;
    serde_json::from_str(&raw).ok()
}

fn write<T: Serialize>(key: &str, value: &T) -> bool {
    let Ok(json) = serde_json::to_string(value) else {
        return false;
    };
    storage().is_some_and(|s| s.set_item(key, &json).is_ok())
}

/// The membership saved in this browser.
pub fn member() -> Option<Membership> {
    read(MEMBER_KEY)
}

/// Forgets the membership and its queued events (they name this learner, so no other
/// membership could send them). Progress in this browser is untouched.
pub fn leave() {
    if let Some(s) = storage() {
        let _ = s.remove_item(MEMBER_KEY);
        let _ = s.remove_item(OUTBOX_KEY);
    }
}

fn outbox() -> Outbox {
    read(OUTBOX_KEY).unwrap_or_default()
}

/// Events waiting to be sent.
pub fn pending() -> usize {
    outbox().pending.len()
}

/// The last sync problem, if the last try failed.
pub fn last_error() -> Option<String> {
    LAST_ERROR.with(|e| e.borrow().clone())
}

fn set_error(e: Option<String>) {
    LAST_ERROR.with(|x| *x.borrow_mut() = e);
}

fn queue(m: &Membership, drafts: Vec<EventDraft>) {
    if drafts.is_empty() {
        return;
    }
    let mut o = outbox();
    o.push(
        drafts
            .into_iter()
            .map(|d| d.into_event(net::random_id(), &m.learner_id, CONTENT_HASH)),
    );
    if !write(OUTBOX_KEY, &o) {
        set_error(Some(
            "This browser's storage is full, so new results could not be queued for your class."
                .into(),
        ));
    }
}

/// Queues the events for one change of progress (no-op outside a class).
pub fn record(before: &Progress, after: &Progress) {
    if let Some(m) = member() {
        queue(&m, events_from_diff(before, after, now_ms()));
    }
}

/// Whether changes need recording (the store skips the copy of progress otherwise).
pub fn active() -> bool {
    storage().is_some_and(|s| s.get_item(MEMBER_KEY).ok().flatten().is_some())
}

/// Joins the class with `code` as `name`; the progress already in this browser comes along.
pub async fn join(code: &str, name: &str, store: ProgressStore) -> Result<Membership, String> {
    let body = serde_json::json!({ "code": code, "name": name }).to_string();
    let r = net::call("POST", "/api/join", None, Some(body)).await?;
    if !r.ok() {
        return Err(r.error());
    }
    let j = r.json();
    let m = Membership {
        learner_id: j["learner_id"].as_str().unwrap_or_default().to_string(),
        token: j["learner_token"].as_str().unwrap_or_default().to_string(),
        name: j["name"].as_str().unwrap_or_default().to_string(),
        class_name: j["class_name"].as_str().unwrap_or_default().to_string(),
    };
    leave();
    if !write(MEMBER_KEY, &m) {
        return Err(
            "This browser does not let the site store data, so it cannot stay in a class.".into(),
        );
    }
    let history = store.with_untracked(|p| events_from_diff(&Progress::fresh(), p, now_ms()));
    queue(&m, history);
    Ok(m)
}

/// Continues as the learner with `token` on this device: their events from the server are
/// merged into this browser's progress, and results only this browser had are sent.
pub async fn resume(token: &str, store: ProgressStore) -> Result<Membership, String> {
    let r = net::call("GET", "/api/me", Some(token), None).await?;
    if !r.ok() {
        return Err(r.error());
    }
    let j = r.json();
    let m = Membership {
        learner_id: j["learner_id"].as_str().unwrap_or_default().to_string(),
        token: token.to_string(),
        name: j["name"].as_str().unwrap_or_default().to_string(),
        class_name: j["class_name"].as_str().unwrap_or_default().to_string(),
    };
    let r = net::call("GET", "/api/me/events", Some(token), None).await?;
    if !r.ok() {
        return Err(r.error());
    }
    let events: Vec<StudyEvent> = serde_json::from_value(r.json()["events"].clone())
        .map_err(|e| format!("the server's events could not be read ({e})"))?;
    let theirs = replay(&events);
    // Not a member while merging: the merge itself must not be recorded as new events. Events
    // queued for this same learner stay queued.
    if member().is_some_and(|old| old.learner_id != m.learner_id) {
        leave();
    } else if let Some(s) = storage() {
        let _ = s.remove_item(MEMBER_KEY);
    }
    store.update(|p| p.merge(&theirs));
    let local_only = store.with_untracked(|p| events_from_diff(&theirs, p, now_ms()));
    if !write(MEMBER_KEY, &m) {
        return Err(
            "This browser does not let the site store data, so it cannot stay in a class.".into(),
        );
    }
    queue(&m, local_only);
    Ok(m)
}

/// One send; returns how long to wait before the next.
async fn step() -> u32 {
    let Some(m) = member() else { return 3000 };
    let o = outbox();
    if o.pending.is_empty() {
        return 2000;
    }
    let online = web_sys::window().is_none_or(|w| w.navigator().on_line());
    if !online {
        set_error(Some(
            "Offline: your results are kept in this browser and sent when you are back online."
                .into(),
        ));
        return 3000;
    }
    let batch: Vec<StudyEvent> = o.batch(BATCH.with(Cell::get)).to_vec();
    let body = serde_json::json!({ "events": batch }).to_string();
    let reply = net::call("POST", "/api/events", Some(&m.token), Some(body)).await;
    // The outbox may have grown while the request was out: work on a fresh copy.
    let mut o = outbox();
    match reply {
        Ok(r) if r.ok() => {
            let ids: Vec<String> =
                serde_json::from_value(r.json()["acknowledged"].clone()).unwrap_or_default();
            o.acknowledge(&ids);
            write(OUTBOX_KEY, &o);
            BATCH.with(|b| b.set(MAX_BATCH));
            set_error(None);
            200
        }
        Ok(r) if r.status == 401 => {
            set_error(Some("Your class membership is no longer valid (the teacher may have removed you). Your progress in this browser is safe.".into()));
            30_000
        }
        Ok(r) if matches!(r.status, 400 | 403 | 413) => {
            if batch.len() > 1 {
                // Narrow down to the event the server refuses.
                BATCH.with(|b| b.set((batch.len() / 2).max(1)));
            } else if let Some(bad) = batch.first() {
                let mut rejected: Vec<StudyEvent> = read(REJECTED_KEY).unwrap_or_default();
                rejected.push(bad.clone());
                write(REJECTED_KEY, &rejected);
                o.acknowledge(std::slice::from_ref(&bad.id));
                write(OUTBOX_KEY, &o);
                BATCH.with(|b| b.set(MAX_BATCH));
            }
            set_error(Some(r.error()));
            500
        }
        other => {
            o.failed();
            write(OUTBOX_KEY, &o);
            set_error(Some(match other {
                Ok(r) => r.error(),
                Err(e) => e,
            }));
            u32::try_from(o.backoff_ms(js_sys::Math::random())).unwrap_or(300_000)
        }
    }
}

/// Starts the sender once for the page's lifetime (call from a component that lives as long as
/// the app: it stops with its owner).
pub fn start() {
    if STARTED.with(|s| s.replace(true)) {
        return;
    }
    gentutor_web::scoped::spawn(async move {
        loop {
            let wait = step().await;
            gentutor_web::scoped::sleep(wait.max(100)).await;
        }
    });
}
