//! Flashcards: flip (click or Space), previous/next (arrow keys), shuffle, star, filter by tag
//! or lesson, with a "3/37" counter.

use super::store::{fresh_seed, ignore_shortcut, use_progress};
use crate::content::library;
use crate::ui::widgets::Html;
use gentutor_study::flashcards::{DeckFilter, FlashcardDeck};
use leptos::prelude::*;

fn filter_value(f: &DeckFilter) -> String {
    match f {
        DeckFilter::All => "all".into(),
        DeckFilter::Starred => "starred".into(),
        DeckFilter::Tag(t) => format!("tag:{t}"),
        DeckFilter::Lesson(l) => format!("lesson:{l}"),
    }
}

fn parse_filter(v: &str) -> DeckFilter {
    if let Some(t) = v.strip_prefix("tag:") {
        DeckFilter::Tag(t.to_string())
    } else if let Some(l) = v.strip_prefix("lesson:") {
        DeckFilter::Lesson(l.to_string())
    } else if v == "starred" {
        DeckFilter::Starred
    } else {
        DeckFilter::All
    }
}

/// The Flashcards mode.
#[component]
pub fn Flashcards() -> impl IntoView {
    let store = use_progress();
    let lib = library();
    let deck = RwSignal::new(FlashcardDeck::new(&lib.cards));
    let error = RwSignal::new(None::<String>);

    let flip = move || deck.update(FlashcardDeck::flip);
    let next = move || deck.update(FlashcardDeck::next);
    let previous = move || deck.update(FlashcardDeck::previous);
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
        let filter = parse_filter(&v);
        let result = store.with_untracked(|p| {
            let mut d = deck.get_untracked();
            d.set_filter(&lib.cards, p, filter).map(|()| d)
        });
        match result {
            Ok(d) => {
                deck.set(d);
                error.set(None);
            }
            Err(e) => error.set(Some(e.to_string())),
        }
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
    let tag_options = super::all_tags()
        .into_iter()
        .map(|t| view! { <option value=format!("tag:{t}")>{format!("Tag: {t}")}</option> })
        .collect_view();
    let lesson_options = super::lessons_with_cards()
        .into_iter()
        .map(|(slug, title)| view! { <option value=format!("lesson:{slug}")>{format!("Lesson: {title}")}</option> })
        .collect_view();

    view! {
        <section class="flashcards" data-testid="flashcards">
            <div class="mode-bar">
                <label>"Show "
                    <select data-testid="fc-filter" prop:value=move || deck.with(|d| filter_value(d.filter()))
                        on:change=move |ev| set_filter(event_target_value(&ev))>
                        <option value="all">"All cards"</option>
                        <option value="starred">"Starred cards"</option>
                        {tag_options}
                        {lesson_options}
                    </select>
                </label>
                <span class="counter" data-testid="fc-counter" aria-live="polite">{move || deck.with(FlashcardDeck::counter)}</span>
            </div>
            {move || error.get().map(|e| view! { <p class="error" role="alert" data-testid="fc-error">{e}</p> })}
            <div class="fc-card" class:flipped=flipped role="button" tabindex="0" data-testid="fc-card"
                aria-label=move || if flipped() { "Answer side; press to see the question" } else { "Question side; press to see the answer" }
                on:click=move |_| flip()>
                <p class="fc-side" data-testid="fc-side">{move || if flipped() { "Answer" } else { "Question" }}</p>
                {face}
            </div>
            <p class="fc-meta">{lesson_link}</p>
            <div class="mode-actions">
                <button class="secondary" data-testid="fc-prev" on:click=move |_| previous() aria-label="Previous card">"← Previous"</button>
                <button data-testid="fc-flip" on:click=move |_| flip()>"Flip"</button>
                <button class="secondary" data-testid="fc-next" on:click=move |_| next() aria-label="Next card">"Next →"</button>
                <button class="secondary" data-testid="fc-shuffle" aria-pressed=move || deck.with(|d| d.is_shuffled().to_string())
                    on:click=move |_| shuffle()>{move || if deck.with(FlashcardDeck::is_shuffled) { "Unshuffle" } else { "Shuffle" }}</button>
                <button class="secondary star" data-testid="fc-star" aria-pressed=move || starred().to_string()
                    on:click=move |_| star()>{move || if starred() { "★ Starred" } else { "☆ Star" }}</button>
            </div>
            <p class="hint">"Keys: Space flips, ← and → move."</p>
        </section>
    }
}
