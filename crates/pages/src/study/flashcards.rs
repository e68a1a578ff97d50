//! Flashcards: flip (click or Space), previous/next (arrow keys), shuffle, star, filter by tag
//! or lesson, with a "3/37" counter and a summary at the end of the deck.
//!
//! Keys stay with the card: after a pointer click on a button or a new filter, focus moves to
//! the card, so Space flips (rather than pressing the clicked button again) and the arrows move
//! through cards (rather than changing the filter's value).

use super::Html;
use super::{fresh_seed, use_progress};
use crate::library::library;
use gentutor_study::flashcards::{DeckFilter, DeckSummary, FlashcardDeck};
use gentutor_web::keys::ignore_shortcut;
use leptos::html;
use leptos::prelude::*;

/// What the card area shows.
#[derive(Debug, Clone, PartialEq)]
enum Area {
    Card,
    Summary(DeckSummary),
    Empty(String),
}

/// The Flashcards mode.
#[component]
pub fn Flashcards() -> impl IntoView {
    let store = use_progress();
    let lib = library();
    let deck = RwSignal::new(FlashcardDeck::new(&lib.cards));
    let card_ref = NodeRef::<html::Div>::new();
    let focus_card = move || {
        if let Some(el) = card_ref.get_untracked() {
            let _ = el.focus();
        }
    };
    // A pointer click (detail > 0) hands the keys back to the card; keyboard activation
    // (detail 0) leaves focus where the learner put it.
    let after_click = move |ev: &leptos::ev::MouseEvent| {
        if ev.detail() > 0 {
            focus_card();
        }
    };

    let flip = move || deck.update(FlashcardDeck::flip);
    let next = move || deck.update(FlashcardDeck::next);
    let previous = move || deck.update(FlashcardDeck::previous);
    let restart = move || deck.update(FlashcardDeck::restart);
    let shuffle = move || {
        deck.update(|d| {
            if d.is_shuffled() {
                d.unshuffle();
            } else {
                d.shuffle(fresh_seed());
            }
        })
    };
    let star = move || {
        let id = deck.with_untracked(FlashcardDeck::current);
        if let Some(id) = id {
            store.update(|p| p.toggle_star(id));
        }
    };
    let set_filter = move |v: String| {
        let filter = super::parse_filter(&v);
        store.with_untracked(|p| deck.update(|d| d.set_filter(&lib.cards, p, filter)));
    };

    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        if ignore_shortcut(&ev) {
            return;
        }
        match ev.key().as_str() {
            " " | "Enter" => {
                ev.prevent_default();
                flip();
            }
            "ArrowRight" => {
                ev.prevent_default();
                next();
            }
            "ArrowLeft" => {
                ev.prevent_default();
                previous();
            }
            _ => {}
        }
    });
    on_cleanup(move || handle.remove());

    let current = move || deck.with(FlashcardDeck::current);
    let flipped = move || deck.with(FlashcardDeck::is_flipped);
    let face = move || {
        let id = current()?;
        let h = lib.card_html(id)?;
        Some(if flipped() {
            view! { <Html html=h.back.clone() class="fc-back" /> }.into_any()
        } else {
            view! { <Html html=h.front.clone() class="fc-front" /> }.into_any()
        })
    };
    let starred = move || current().is_some_and(|id| store.with(|p| p.is_starred(id)));
    let lesson_link = move || {
        let c = lib.card(current()?)?;
        Some(view! {
            <a href=format!("/lesson/{}", c.lesson) data-testid="fc-lesson">
                {format!("Lesson: {}", lib.lesson_title(c.lesson_slug()))}
            </a>
        })
    };
    let (lesson_options, tag_options) = super::scope_options();

    // What fills the card area: the card, the end-of-deck summary, or why the deck is empty.
    // A memo, so the card element (and its focus) survives flips, moves and stars.
    let area = Memo::new(move |_| {
        if deck.with(FlashcardDeck::is_empty) {
            Area::Empty(deck.with(FlashcardDeck::empty_message))
        } else if let Some(s) = store.with(|p| deck.with(|d| d.summary(p))) {
            Area::Summary(s)
        } else {
            Area::Card
        }
    });
    let body = move || {
        match area.get() {
        Area::Empty(msg) => view! {
            <div class="fc-empty" data-testid="fc-empty" role="status">
                <p>{msg}</p>
                <button data-testid="fc-show-all" on:click=move |_| set_filter("all".into())>"Show all cards"</button>
            </div>
        }
        .into_any(),
        Area::Summary(s) => view! {
            <div class="fc-summary" data-testid="fc-summary" role="status">
                <h2>"End of the deck"</h2>
                <p data-testid="fc-summary-text">{format!(
                    "You went through all {} card{}, turned {} over, and have {} starred.",
                    s.cards,
                    if s.cards == 1 { "" } else { "s" },
                    s.turned,
                    s.starred
                )}</p>
                <div class="mode-actions">
                    <button data-testid="fc-restart" on:click=move |_| restart()>"Start again"</button>
                    <button class="secondary" data-testid="fc-reshuffle" on:click=move |_| deck.update(|d| d.shuffle(fresh_seed()))>"Shuffle and start again"</button>
                    {(s.starred > 0 && !deck.with_untracked(|d| *d.filter() == DeckFilter::Starred)).then(|| view! {
                        <button class="secondary" data-testid="fc-starred-only" on:click=move |_| set_filter("starred".into())>"Only the starred cards"</button>
                    })}
                    <button class="secondary" data-testid="fc-back" on:click=move |_| previous()>"← Back to the last card"</button>
                </div>
            </div>
        }
        .into_any(),
        Area::Card => view! {
            <p class="sr-only" id="fc-hint">"Press Space or click the card to turn it over."</p>
            <div class="fc-card" class:flipped=flipped role="button" tabindex="0" data-testid="fc-card"
                node_ref=card_ref aria-describedby="fc-hint"
                on:click=move |_| flip()>
                <p class="fc-side" data-testid="fc-side">{move || if flipped() { "Answer" } else { "Question" }}</p>
                {face}
            </div>
            <p class="fc-meta">{lesson_link}</p>
            <div class="mode-actions">
                <button class="secondary" data-testid="fc-prev" on:click=move |ev| { previous(); after_click(&ev); } aria-label="Previous card"
                    disabled=move || deck.with(|d| d.position().0 <= 1)>"← Previous"</button>
                <button data-testid="fc-flip" on:click=move |ev| { flip(); after_click(&ev); }>"Flip"</button>
                <button class="secondary" data-testid="fc-next" on:click=move |ev| { next(); after_click(&ev); } aria-label="Next card">"Next →"</button>
                <button class="secondary" data-testid="fc-shuffle" aria-pressed=move || deck.with(|d| d.is_shuffled().to_string())
                    on:click=move |ev| { shuffle(); after_click(&ev); }>{move || if deck.with(FlashcardDeck::is_shuffled) { "Unshuffle" } else { "Shuffle" }}</button>
                <button class="secondary star" data-testid="fc-star" aria-pressed=move || starred().to_string()
                    on:click=move |ev| { star(); after_click(&ev); }>{move || if starred() { "★ Starred" } else { "☆ Star" }}</button>
            </div>
        }
        .into_any(),
    }
    };

    view! {
        <section class="flashcards" data-testid="flashcards">
            <div class="mode-bar">
                <label>"Show "
                    <select data-testid="fc-filter" prop:value=move || deck.with(|d| super::filter_value(d.filter()))
                        on:change=move |ev| {
                            set_filter(event_target_value(&ev));
                            // Arrow keys should now move through cards, not change the filter.
                            focus_card();
                        }>
                        <option value="all">"All cards"</option>
                        <option value="starred">"Starred cards"</option>
                        {tag_options}
                        {lesson_options}
                    </select>
                </label>
                <span class="counter" data-testid="fc-counter" aria-live="polite">{move || deck.with(|d| if d.is_finished() { "Done".to_string() } else { d.counter() })}</span>
            </div>
            {body}
            <p class="hint">"Keys: Space flips, ← and → move."</p>
        </section>
    }
}
