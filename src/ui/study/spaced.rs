//! Review (spaced repetition with FSRS): the due queue with counts, Space to reveal, and
//! Again/Hard/Good/Easy on keys 1-4, each button showing the interval it would set.

use super::store::{ignore_shortcut, now_ms, use_progress};
use crate::content::library;
use crate::ui::widgets::Html;
use gentutor_study::display;
use gentutor_study::scheduler::{due_queue, CardState, Rating, Scheduler};
use gentutor_study::session::new_cards_left;
use leptos::prelude::*;

fn rating_label(r: Rating) -> &'static str {
    match r {
        Rating::Again => "Again",
        Rating::Hard => "Hard",
        Rating::Good => "Good",
        Rating::Easy => "Easy",
    }
}

/// The Review mode.
#[component]
pub fn Spaced() -> impl IntoView {
    let store = use_progress();
    let lib = library();
    let ids = super::all_card_ids();
    // The clock is read at each action, so the queue is recomputed when the learner acts.
    let now = RwSignal::new(now_ms());
    let revealed = RwSignal::new(false);
    let queue = Memo::new(move |_| {
        let t = now.get();
        store.with(|p| due_queue(p, &ids, t, new_cards_left(p, t)))
    });
    let current = move || queue.with(|q| q.ids.first().copied());
    let state_of = move |id: u32| {
        store.with_untracked(|p| {
            p.cards
                .get(&id)
                .and_then(|c| c.fsrs.clone())
                .unwrap_or_default()
        })
    };
    let scheduler = move || Scheduler::new(store.with_untracked(|p| p.settings.desired_retention));

    let rate = move |r: Rating| {
        if !revealed.get_untracked() {
            return;
        }
        let Some(id) = queue.with_untracked(|q| q.ids.first().copied()) else {
            return;
        };
        let t = now_ms();
        let s = scheduler();
        store.update(|p| p.record_review(id, r, &s, t));
        revealed.set(false);
        now.set(t);
    };
    let reveal = move || {
        if current().is_some() {
            now.set(now_ms());
            revealed.set(true);
        }
    };

    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        if ignore_shortcut(&ev) {
            return;
        }
        let rating = match ev.key().as_str() {
            " " | "Enter" => {
                ev.prevent_default();
                if !revealed.get_untracked() {
                    reveal();
                }
                return;
            }
            "1" => Rating::Again,
            "2" => Rating::Hard,
            "3" => Rating::Good,
            "4" => Rating::Easy,
            _ => return,
        };
        ev.prevent_default();
        rate(rating);
    });
    on_cleanup(move || handle.remove());

    let reviews_logged =
        move || store.with(|p| p.cards.values().map(|c| c.review_log.len()).sum::<usize>());
    let card_view = move || {
        let Some(id) = current() else {
            let next_due = store.with(|p| {
                p.cards
                    .values()
                    .filter_map(|c| c.fsrs.as_ref().map(|s| s.due_ms))
                    .filter(|d| *d > now.get_untracked())
                    .min()
            });
            let when = next_due
                .map(|d| {
                    format!(
                        "The next card is due in {}.",
                        display::interval_label(d, now.get_untracked())
                    )
                })
                .unwrap_or_default();
            return view! {
                <div class="review-done" data-testid="review-done">
                    <p>{format!("Nothing is due right now. {when}")}</p>
                    <button class="secondary" data-testid="review-refresh" on:click=move |_| now.set(now_ms())>"Check again"</button>
                </div>
            }
            .into_any();
        };
        let Some(h) = lib.card_html(id) else {
            return view! { <p class="error">"This card is missing from the deck."</p> }.into_any();
        };
        let front = h.front.clone();
        let back = h.back.clone();
        let buttons = move || {
            let s = scheduler();
            let state: CardState = state_of(id);
            let t = now.get();
            s.preview(&state, t)
                .into_iter()
                .enumerate()
                .map(|(i, (r, due))| {
                    view! {
                        <button class=format!("rate rate-{}", rating_label(r).to_lowercase())
                            data-testid=format!("rate-{}", i + 1)
                            on:click=move |_| rate(r)>
                            <span class="rate-name">{format!("{} · {}", i + 1, rating_label(r))}</span>
                            <span class="rate-interval" data-testid="rate-interval">{display::interval_label(due, t)}</span>
                        </button>
                    }
                })
                .collect_view()
        };
        view! {
            <div class="review-card" data-testid="review-card" data-card=id>
                <p class="fc-side">"Question"</p>
                <Html html=front class="fc-front" />
                <Show when=move || revealed.get() fallback=move || view! {
                    <button data-testid="review-reveal" on:click=move |_| reveal()>"Show answer (Space)"</button>
                }>
                    <div class="review-answer" data-testid="review-answer">
                        <p class="fc-side">"Answer"</p>
                        <Html html=back.clone() class="fc-back" />
                        <p class="hint">"How well did you recall it? Keys 1-4."</p>
                        <div class="rate-row">{buttons}</div>
                    </div>
                </Show>
            </div>
        }
        .into_any()
    };

    view! {
        <section class="spaced" data-testid="spaced">
            <div class="mode-bar due-counts" aria-live="polite">
                <span>"New "<strong data-testid="due-new">{move || queue.with(|q| q.new)}</strong></span>
                <span>"Learning "<strong data-testid="due-learning">{move || queue.with(|q| q.learning)}</strong></span>
                <span>"Due "<strong data-testid="due-review">{move || queue.with(|q| q.review)}</strong></span>
                <span class="muted">"Reviews logged "<strong data-testid="review-log-count">{reviews_logged}</strong></span>
            </div>
            {card_view}
            <p class="hint">"Keys: Space shows the answer; 1 Again, 2 Hard, 3 Good, 4 Easy. Every rating is saved to your review log."</p>
        </section>
    }
}
