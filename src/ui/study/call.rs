//! The app's side of the Call page. The page itself (speech, captions, the tutor's state
//! machine `gentutor_study::call::Call`) lives in the lazily loaded module
//! (`crates/demos/src/pages/call.rs`); each card's outcome comes back here as JSON and is saved
//! like every other study result, so spaced review, mastery and the class table see it.

use super::ProgressStore;
use gentutor_study::call::Outcome;
use gentutor_study::scheduler::Scheduler;

/// Records one Call outcome (a `gentutor_study::call::Outcome` as JSON): an FSRS review in the
/// progress store marked as the call's, which a class receives as one answer event of mode
/// "call".
pub fn record_call(store: ProgressStore, outcome_json: &str) -> Result<(), String> {
    let outcome: Outcome = serde_json::from_str(outcome_json)
        .map_err(|e| format!("the Call result could not be read ({e})"))?;
    // One record: in a class, the store's diff sends it as one event of mode "call" that
    // also carries the FSRS rating (sending a second event here counted every call twice).
    store.update(|p| {
        let s = Scheduler::new(p.settings.desired_retention);
        outcome.record(p, &s);
    });
    Ok(())
}
