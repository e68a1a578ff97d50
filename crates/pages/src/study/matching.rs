//! Matching: a timed board of 6 term/definition pairs. Pick a term and a definition (click, or
//! Tab to a tile and press Enter/Space); a wrong pair flashes; the best full-board time is kept.
//! The clock starts at the first animation frame after a board is drawn (it is on screen), or
//! at the first pick. The learner can play one lesson's or one tag's cards.

use super::{fresh_seed, now_ms, use_progress};
use crate::library::library;
use gentutor_study::display;
use gentutor_study::flashcards::DeckFilter;
use gentutor_study::matching::{MatchingGame, SelectOutcome, Side};
use leptos::prelude::*;

/// How long a wrong pair flashes.
const FLASH_MS: u32 = 600;

/// The Matching mode.
#[component]
pub fn Matching() -> impl IntoView {
    let store = use_progress();
    let lib = library();
    let game = RwSignal::new(None::<MatchingGame>);
    let error = RwSignal::new(None::<String>);
    let now = RwSignal::new(now_ms());
    let wrong = RwSignal::new(None::<(usize, usize)>);
    let flash_id = StoredValue::new(0u64);
    // Clicks run with no reactive owner; timers started there are tied to this component's.
    let owner = gentutor_web::scoped::OwnerRef::current();

    let scope = RwSignal::new(DeckFilter::All);
    // Bumped whenever a board is dealt: the columns are rebuilt then (their size may change),
    // not on every pick (so focus stays on the tiles).
    let deals = RwSignal::new(0u32);
    let deal = move |ids: Vec<u32>| {
        match MatchingGame::new(&lib.cards, &ids, fresh_seed()) {
            Ok(g) => {
                game.set(Some(g));
                error.set(None);
            }
            Err(e) => {
                game.set(None);
                error.set(Some(e.to_string()));
            }
        }
        deals.update(|n| *n = n.wrapping_add(1));
    };
    deal(super::all_card_ids());
    let set_scope = move |v: String| {
        let f = super::parse_filter(&v);
        let ids = store.with_untracked(|p| f.ids(&lib.cards, p));
        scope.set(f);
        wrong.set(None);
        deal(ids);
    };

    // The stopwatch: redraw ten times a second (the time itself comes from the engine).
    gentutor_web::scoped::interval(move || now.set(now_ms()), 100);

    let select = move |side: Side, index: usize| {
        let t = now_ms();
        let outcome = store
            .update(|p| game.try_update(|g| g.as_mut().map(|g| g.select(side, index, t, p))))
            .flatten()
            .flatten();
        if let Some(SelectOutcome::Wrong { term, definition }) = outcome {
            wrong.set(Some((term, definition)));
            let id = flash_id.get_value().wrapping_add(1);
            flash_id.set_value(id);
            // The timer is cancelled if the learner leaves within FLASH_MS, and reads through
            // `try_` accessors in case it was started outside this component's owner.
            if let Some(owner) = owner.get() {
                owner.with(|| {
                    gentutor_web::scoped::timeout(
                        move || {
                            if flash_id.try_get_value() == Some(id) {
                                wrong.try_set(None);
                            }
                        },
                        FLASH_MS,
                    )
                });
            }
        }
        now.set(t);
    };
    let next_board = move || {
        wrong.set(None);
        game.update(|g| {
            if let Some(g) = g {
                g.next_board();
            }
        });
        deals.update(|n| *n = n.wrapping_add(1));
    };

    let column = move |side: Side| {
        let n = game.with_untracked(|g| {
            g.as_ref().map_or(0, |g| match side {
                Side::Term => g.terms.len(),
                Side::Definition => g.definitions.len(),
            })
        });
        (0..n)
            .map(|i| {
                let tile = move || {
                    game.with(|g| {
                        g.as_ref().and_then(|g| {
                            let tiles = match side {
                                Side::Term => &g.terms,
                                Side::Definition => &g.definitions,
                            };
                            tiles.get(i).map(|t| {
                                (t.text.clone(), t.matched, g.selected() == Some((side, i)))
                            })
                        })
                    })
                };
                let flashing = move || {
                    wrong.get().is_some_and(|(t, d)| match side {
                        Side::Term => t == i,
                        Side::Definition => d == i,
                    })
                };
                let (prefix, cls) = match side {
                    Side::Term => ("match-term", "tile term"),
                    Side::Definition => ("match-def", "tile definition"),
                };
                view! {
                    <button class=cls data-testid=format!("{prefix}-{i}")
                        class:selected=move || tile().is_some_and(|t| t.2)
                        class:matched=move || tile().is_some_and(|t| t.1)
                        class:wrong=flashing
                        aria-pressed=move || tile().is_some_and(|t| t.2).to_string()
                        disabled=move || tile().is_none_or(|t| t.1)
                        on:click=move |_| select(side, i)>
                        {move || tile().map(|t| t.0).unwrap_or_default()}
                    </button>
                }
            })
            .collect_view()
    };

    // Effects run once the board is in the DOM; the next animation frame is when it is painted
    // (and never while the tab is hidden), so that is when its clock starts.
    Effect::new(move |_| {
        deals.track();
        request_animation_frame(move || {
            let t = now_ms();
            game.try_update(|g| {
                if let Some(g) = g {
                    g.start_clock(t);
                }
            });
        });
    });
    let elapsed = move || {
        let t = now.get();
        game.with(|g| g.as_ref().map(|g| g.elapsed_ms(t)).unwrap_or(0))
    };
    let finished = move || game.with(|g| g.as_ref().and_then(MatchingGame::finished));
    let mistakes = move || game.with(|g| g.as_ref().map_or(0, MatchingGame::mistakes));
    let best = move || store.with(|p| p.matching_best_ms);
    let (lesson_options, tag_options) = super::scope_options();

    view! {
        <section class="matching" data-testid="matching">
            <div class="mode-bar">
                <label>"Cards "
                    <select data-testid="match-scope" prop:value=move || scope.with(super::filter_value)
                        on:change=move |ev| set_scope(event_target_value(&ev))>
                        <option value="all">"All cards"</option>
                        <option value="starred">"Starred cards"</option>
                        {lesson_options}
                        {tag_options}
                    </select>
                </label>
            </div>
            <div class="mode-bar">
                <span>"Time "<strong data-testid="match-timer">{move || display::stopwatch(elapsed())}</strong></span>
                <span>"Mistakes "<strong data-testid="match-mistakes">{mistakes}</strong></span>
                <span>"Best "<strong data-testid="match-best">{move || best().map_or("none yet".to_string(), display::stopwatch)}</strong></span>
            </div>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <p class="hint">"Pick a term, then its definition. Tab moves between tiles; Enter or Space picks one."</p>
            // Rebuild the columns when a new board is dealt (its size may change).
            {move || {
                deals.track();
                view! {
                    <div class="board" data-testid="match-board">
                        <div class="column" role="group" aria-label="Terms">{column(Side::Term)}</div>
                        <div class="column" role="group" aria-label="Definitions">{column(Side::Definition)}</div>
                    </div>
                }
            }}
            {move || finished().map(|r| view! {
                <div class="match-result" data-testid="match-result" role="status">
                    <p>{format!("Board cleared in {} with {} mistake{}.", display::stopwatch(r.elapsed_ms), r.mistakes, if r.mistakes == 1 { "" } else { "s" })}
                        {r.new_best.then_some(" New best time!")}
                        {(!r.full_board).then_some(" (Only full boards of 6 pairs count for the best time.)")}</p>
                    <button data-testid="match-next" on:click=move |_| next_board()>"Next board"</button>
                </div>
            })}
        </section>
    }
}
