//! Pieces of the app shell that belong to studying: the Study link with its due-count badge,
//! the light/dark switch, the keyboard-shortcuts overlay (`?`), and the "continue where you
//! left off" memory. The decisions (what is due, which pages are resumable, theme names) are in
//! `gentutor_study::session`; this file reads and writes the browser.

use super::store::{ignore_shortcut, in_field, now_ms, use_progress};
use gentutor_study::session::{due_now, ResumePoint, Theme, RESUME_KEY, THEME_KEY};
use leptos::prelude::*;

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The Study link of the main navigation, with the number of cards due for review.
#[component]
pub fn StudyNavLink() -> impl IntoView {
    let store = use_progress();
    // Cards come due while the page stays open; look again every half minute.
    let now = RwSignal::new(now_ms());
    gentutor_web::scoped::interval(
        move || {
            now.try_set(now_ms());
        },
        30_000,
    );
    let due = move || store.with(|p| due_now(p, now.get()));
    view! {
        <a href="/study" data-testid="nav-study">
            "Study"
            {move || {
                let n = due();
                (n > 0).then(|| view! {
                    <span class="badge" data-testid="due-badge" aria-hidden="true">{n}</span>
                    <span class="sr-only">{format!(", {n} card{} due for review", if n == 1 { "" } else { "s" })}</span>
                })
            }}
        </a>
    }
}

/// The saved theme choice.
fn saved_theme() -> Theme {
    storage()
        .and_then(|s| s.get_item(THEME_KEY).ok().flatten())
        .map(|v| Theme::parse(&v))
        .unwrap_or_default()
}

/// Puts the theme on `<html data-theme>`, which the CSS (and the demos' plots) follow.
fn apply_theme(t: Theme) {
    let Some(html) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    else {
        return;
    };
    let _ = match t.attribute() {
        Some(a) => html.set_attribute("data-theme", a),
        None => html.remove_attribute("data-theme"),
    };
}

/// System / light / dark, remembered in this browser.
#[component]
pub fn ThemeSwitch() -> impl IntoView {
    let theme = RwSignal::new(saved_theme());
    apply_theme(theme.get_untracked());
    let choose = move |v: String| {
        let t = Theme::parse(&v);
        theme.set(t);
        apply_theme(t);
        if let Some(s) = storage() {
            let _ = s.set_item(THEME_KEY, t.as_str());
        }
    };
    view! {
        <label class="theme-switch">
            <span class="sr-only">"Colour theme"</span>
            <select data-testid="theme-select" prop:value=move || theme.get().as_str()
                on:change=move |ev| choose(event_target_value(&ev))>
                <option value="system">"◐ System theme"</option>
                <option value="light">"☀ Light"</option>
                <option value="dark">"☾ Dark"</option>
            </select>
        </label>
    }
}

/// Every keyboard shortcut, by page.
const SHORTCUTS: &[(&str, &[(&str, &str)])] = &[
    (
        "Everywhere",
        &[("?", "show or hide this list"), ("Esc", "close it")],
    ),
    (
        "Flashcards",
        &[
            ("Space or Enter", "turn the card over"),
            ("← →", "previous / next card"),
        ],
    ),
    (
        "Learn and Test",
        &[
            (
                "1-4",
                "choose the option with that number (true/false: 1 True, 2 False)",
            ),
            ("Ctrl+Enter", "check a typed answer (Learn)"),
        ],
    ),
    (
        "Review",
        &[
            ("Space or Enter", "show the answer"),
            ("1 2 3 4", "Again, Hard, Good, Easy"),
            ("U or Ctrl+Z", "undo the last rating"),
        ],
    ),
    ("Matching", &[("Tab, then Enter or Space", "pick a tile")]),
];

/// The `?` button and the shortcuts overlay (`?` anywhere outside a text field opens it).
#[component]
pub fn ShortcutsHelp() -> impl IntoView {
    let open = RwSignal::new(false);
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        let key = ev.key();
        if key == "Escape" && open.get_untracked() {
            open.set(false);
            return;
        }
        if key == "?" && !in_field(&ev) && !ignore_shortcut(&ev) {
            ev.prevent_default();
            open.update(|o| *o = !*o);
        }
    });
    on_cleanup(move || handle.remove());
    let groups = || {
        SHORTCUTS
            .iter()
            .map(|(page, keys)| {
                let rows = keys
                    .iter()
                    .map(|(k, what)| view! { <dt><kbd>{*k}</kbd></dt><dd>{*what}</dd> })
                    .collect_view();
                view! { <h3>{*page}</h3><dl>{rows}</dl> }
            })
            .collect_view()
    };
    view! {
        <button class="secondary help-button" data-testid="shortcuts-open" aria-label="Keyboard shortcuts"
            title="Keyboard shortcuts (?)" on:click=move |_| open.update(|o| *o = !*o)>"?"</button>
        <Show when=move || open.get()>
            <div class="shortcuts-backdrop" on:click=move |_| open.set(false)>
                <div class="shortcuts" role="dialog" aria-modal="true" aria-labelledby="shortcuts-title"
                    data-testid="shortcuts" on:click=|ev| ev.stop_propagation()>
                    <h2 id="shortcuts-title">"Keyboard shortcuts"</h2>
                    {groups()}
                    <button data-testid="shortcuts-close" autofocus on:click=move |_| open.set(false)>"Close (Esc)"</button>
                </div>
            </div>
        </Show>
    }
}

/// Remembers `path` (a lesson or a study page) as the place to continue from.
pub fn remember_place(path: &str, title: &str) {
    if let (Some(p), Some(s)) = (ResumePoint::new(path, title, now_ms()), storage()) {
        let _ = s.set_item(RESUME_KEY, &p.to_json());
    }
}

/// The saved place to continue from, if any.
pub fn saved_place() -> Option<ResumePoint> {
    ResumePoint::parse(&storage()?.get_item(RESUME_KEY).ok().flatten()?)
}

/// "Continue where you left off" and the cards due, for the home page; a first visit gets a
/// pointer to the first lesson instead.
#[component]
pub fn ContinueBox(
    /// Path and title of the first lesson (for a first visit).
    first_lesson: Option<(String, String)>,
) -> impl IntoView {
    let store = use_progress();
    let place = saved_place();
    let due = store.with_untracked(|p| due_now(p, now_ms()));
    if place.is_none() && due == 0 {
        return first_lesson
            .map(|(href, title)| {
                view! {
                    <p class="continue" data-testid="continue">
                        "New here? Start with "<a href=href data-testid="continue-link">{title}</a>"."
                    </p>
                }
            })
            .into_any();
    }
    view! {
        <div class="continue" data-testid="continue">
            {place.map(|p| view! {
                <p>"Continue where you left off: "<a href=p.path data-testid="continue-link">{p.title}</a></p>
            })}
            {(due > 0).then(|| view! {
                <p>
                    <a href="/study/spaced" data-testid="continue-review">
                        {format!("{due} card{} due for review", if due == 1 { "" } else { "s" })}
                    </a>
                </p>
            })}
        </div>
    }
    .into_any()
}
