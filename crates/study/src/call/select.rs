//! Which cards a call asks: the due ones first (earliest due first), then the weakest by
//! mastery (ties in a seeded random order); or, for a call started from a lesson, that
//! lesson's cards in the same order.

use super::{CallCard, CallOptions, DEFAULT_CALL_LENGTH};
use crate::mastery::card_mastery;
use crate::progress::Progress;
use crate::rng::SplitMix64;
use crate::scheduler::Phase;

/// The cards to ask, in order (at most `options.max_cards`).
pub fn choose_cards<'a>(
    deck: &'a [CallCard],
    progress: &Progress,
    options: &CallOptions,
    now_ms: i64,
    rng: &mut SplitMix64,
) -> Vec<&'a CallCard> {
    let limit = if options.max_cards == 0 {
        DEFAULT_CALL_LENGTH
    } else {
        options.max_cards
    };
    let mut pool: Vec<&CallCard> = deck
        .iter()
        .filter(|c| {
            options
                .lesson
                .as_deref()
                .is_none_or(|slug| c.card.lesson_slug() == slug)
        })
        .collect();
    // Shuffle first so that the stable sorts below break ties at random.
    rng.shuffle(&mut pool);
    let due_at = |c: &CallCard| {
        progress
            .cards
            .get(&c.card.id)
            .and_then(|p| p.fsrs.as_ref())
            .filter(|s| s.phase != Phase::New && s.due_ms <= now_ms)
            .map(|s| s.due_ms)
    };
    let (mut due, mut rest): (Vec<&CallCard>, Vec<&CallCard>) =
        pool.into_iter().partition(|c| due_at(c).is_some());
    due.sort_by_key(|c| due_at(c).unwrap_or(i64::MAX));
    let mastery = |c: &CallCard| card_mastery(progress, c.card.id, now_ms).value;
    rest.sort_by(|a, b| mastery(a).total_cmp(&mastery(b)));
    due.extend(rest);
    due.truncate(limit);
    due
}
