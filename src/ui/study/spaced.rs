//! Review (spaced repetition with FSRS): the due queue with counts, Space to reveal, and
//! Again/Hard/Good/Easy on keys 1-4, each button showing the interval it would set. Cards rated
//! Again or still in their learning steps come back in the same session when due (the engine's
//! [`ReviewSession`]); `u` or Ctrl+Z undoes the last rating. The learner can limit the session to
//! a lesson or a tag and set new cards per day and the desired retention.

use super::store::{ignore_shortcut, in_field, now_ms, use_progress};
use crate::content::library;
use crate::ui::widgets::Html;
use gentutor_study::display;
use gentutor_study::flashcards::DeckFilter;
use gentutor_study::scheduler::{CardState, Rating, Scheduler};
use gentutor_study::session::{ReviewNext, ReviewSession};
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
    let scope = RwSignal::new(DeckFilter::All);
    let session = RwSignal::new(ReviewSession::new(&super::all_card_ids()));
    // The clock is read at each action (and every second while nothing is shown), so the queue
    // is recomputed when the learner acts or a learning card comes due.
    let now = RwSignal::new(now_ms());
    let revealed = RwSignal::new(false);
    let queue = Memo::new(move |_| {
        let t = now.get();
        session.with(|s| store.with(|p| s.queue(p, t)))
    });
    let next = Memo::new(move |_| {
        let t = now.get();
        session.with(|s| store.with(|p| s.next(p, t)))
    });
    let current = move || match next.get() {
        ReviewNext::Card(id) => Some(id),
        _ => None,
    };
    gentutor_web::scoped::interval(
        move || {
            if next
                .try_get_untracked()
                .is_some_and(|n| !matches!(n, ReviewNext::Card(_)))
            {
                now.try_set(now_ms());
            }
        },
        1000,
    );
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
        let ReviewNext::Card(id) = next.get_untracked() else {
            return;
        };
        let t = now_ms();
        let s = scheduler();
        let mut sess = session.get_untracked();
        store.update(|p| sess.rate(p, id, r, &s, t));
        session.set(sess);
        revealed.set(false);
        now.set(t);
    };
    let undo = move || {
        let mut sess = session.get_untracked();
        if let Some(Some(_)) = store.update(|p| sess.undo(p)) {
            session.set(sess);
            revealed.set(false);
            now.set(now_ms());
        }
    };
    let reveal = move || {
        if matches!(next.get_untracked(), ReviewNext::Card(_)) {
            revealed.set(true);
        }
    };
    let set_scope = move |v: String| {
        let f = super::parse_filter(&v);
        let ids = store.with_untracked(|p| f.ids(&lib.cards, p));
        scope.set(f);
        session.set(ReviewSession::new(&ids));
        revealed.set(false);
        now.set(now_ms());
    };

    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        let key = ev.key();
        if (key == "z" || key == "Z")
            && (ev.ctrl_key() || ev.meta_key())
            && !ev.alt_key()
            && !ev.shift_key()
            && !in_field(&ev)
        {
            ev.prevent_default();
            undo();
            return;
        }
        if ignore_shortcut(&ev) {
            return;
        }
        let rating = match key.as_str() {
            " " | "Enter" => {
                ev.prevent_default();
                if !revealed.get_untracked() {
                    reveal();
                }
                return;
            }
            "u" | "U" => {
                ev.prevent_default();
                undo();
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
            let t = now.get_untracked();
            let empty = session.with(|s| s.ids().is_empty());
            let text = match next.get() {
                _ if empty => "No cards match this choice. Pick another lesson or tag.".to_string(),
                ReviewNext::Wait { show_at_ms } => format!(
                    "Nothing is due right now. A card you are learning comes back in {}; keep this page open.",
                    display::interval_label(show_at_ms, t)
                ),
                _ => {
                    let next_due = session.with(|s| {
                        store.with(|p| {
                            s.ids()
                                .iter()
                                .filter_map(|id| p.cards.get(id)?.fsrs.as_ref().map(|s| s.due_ms))
                                .filter(|d| *d > t)
                                .min()
                        })
                    });
                    let when = next_due
                        .map(|d| {
                            format!(
                                " The next card is due in {}.",
                                display::interval_label(d, t)
                            )
                        })
                        .unwrap_or_default();
                    format!("Nothing is due right now.{when}")
                }
            };
            return view! {
                <div class="review-done" data-testid="review-done">
                    <p>{text}</p>
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
            let s = Scheduler::new(store.with(|p| p.settings.desired_retention));
            let state: CardState = state_of(id);
            let t = now_ms();
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

    let (lesson_options, tag_options) = super::scope_options();
    let new_per_day = move || store.with(|p| p.settings.new_cards_per_session);
    let retention_pct =
        move || store.with(|p| (p.settings.desired_retention * 100.0).round() as u32);
    view! {
        <section class="spaced" data-testid="spaced">
            <div class="mode-bar">
                <label>"Cards "
                    <select data-testid="review-scope" prop:value=move || scope.with(super::filter_value)
                        on:change=move |ev| set_scope(event_target_value(&ev))>
                        <option value="all">"All cards"</option>
                        <option value="starred">"Starred cards"</option>
                        {lesson_options}
                        {tag_options}
                    </select>
                </label>
                <button class="secondary" data-testid="review-undo"
                    disabled=move || !session.with(ReviewSession::can_undo)
                    on:click=move |_| undo()>"Undo last rating (U)"</button>
            </div>
            <div class="mode-bar due-counts" aria-live="polite">
                <span>"New "<strong data-testid="due-new">{move || queue.with(|q| q.new)}</strong></span>
                <span>"Learning "<strong data-testid="due-learning">{move || queue.with(|q| q.learning)}</strong></span>
                <span>"Due "<strong data-testid="due-review">{move || queue.with(|q| q.review)}</strong></span>
                <span class="muted">"This session "<strong data-testid="review-session-count">{move || session.with(ReviewSession::reviewed)}</strong></span>
                <span class="muted">"Reviews logged "<strong data-testid="review-log-count">{reviews_logged}</strong></span>
            </div>
            {card_view}
            <p class="hint">"Keys: Space shows the answer; 1 Again, 2 Hard, 3 Good, 4 Easy; U or Ctrl+Z undoes the last rating. Cards you rate Again come back in this session. Every rating is saved to your review log."</p>
            <details class="review-settings" data-testid="review-settings">
                <summary>"Review settings"</summary>
                <label>"New cards per day "
                    <input type="number" min="1" max="100" data-testid="setting-new-per-day"
                        prop:value=move || new_per_day().to_string()
                        on:change=move |ev| {
                            if let Ok(n) = event_target_value(&ev).trim().parse::<u32>() {
                                store.update(|p| p.set_new_cards_per_day(n));
                                now.set(now_ms());
                            }
                        } />
                </label>
                <label>"Desired retention (%) "
                    <input type="number" min="70" max="97" step="1" data-testid="setting-retention"
                        prop:value=move || retention_pct().to_string()
                        on:change=move |ev| {
                            if let Ok(r) = event_target_value(&ev).trim().parse::<f64>() {
                                store.update(|p| p.set_desired_retention(r / 100.0));
                                now.set(now_ms());
                            }
                        } />
                </label>
                <p class="hint">"Retention is the chance of still recalling a card when it comes due: higher means shorter intervals and more reviews (70-97%). New cards per day counts the last 24 hours."</p>
            </details>
        </section>
    }
}
