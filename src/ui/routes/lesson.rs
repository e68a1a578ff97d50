//! The lesson page: rendered lesson with live embeds, table of contents, sources, previous/next.

use crate::content::compiled::CompiledLesson;
use crate::content::{library, Block};
use crate::ui::widgets::embed::EmbedView;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// `/lesson/:slug`: looks the lesson up; unknown slugs get the 404 page.
#[component]
pub fn LessonRoute() -> impl IntoView {
    let params = use_params_map();
    let slug = Memo::new(move |_| params.read().get("slug").unwrap_or_default());
    move || match library().lesson(&slug.get()) {
        Some(lesson) => view! { <LessonView lesson=lesson /> }.into_any(),
        None => view! { <super::not_found::NotFound /> }.into_any(),
    }
}

/// One rendered lesson.
#[component]
pub fn LessonView(
    /// The lesson to show (from the compiled-in library).
    lesson: &'static CompiledLesson,
) -> impl IntoView {
    super::set_title(&lesson.front.title);
    crate::ui::study::shell::remember_place(
        &format!("/lesson/{}", lesson.slug),
        &lesson.front.title,
    );
    scroll_to_hash_or_top();
    let lib = library();
    let toc = lesson
        .toc
        .iter()
        .map(|t| {
            let href = format!("#{}", t.id);
            let class = if t.level == 3 { "toc-sub" } else { "toc-top" };
            view! { <li class=class><a href=href>{t.title.clone()}</a></li> }
        })
        .collect_view();
    let body = lesson
        .blocks
        .iter()
        .enumerate()
        .map(|(i, b)| match b {
            Block::Html(html) => {
                view! { <div class="prose" inner_html=html.clone()></div> }.into_any()
            }
            Block::Embed(e) => view! { <EmbedView embed=e.clone() index=i /> }.into_any(),
        })
        .collect_view();
    let sources = lesson
        .front
        .sources
        .iter()
        .map(|s| view! { <li>{s.clone()}</li> })
        .collect_view();
    let (prev, next) = lib.neighbours(&lesson.slug);
    let prev = prev.map(|p| {
        let href = format!("/lesson/{}", p.slug);
        view! { <a class="prev" rel="prev" href=href data-testid="prev-lesson"><span>"Previous"</span>{p.front.title.clone()}</a> }
    });
    let next = next.map(|n| {
        let href = format!("/lesson/{}", n.slug);
        view! { <a class="next" rel="next" href=href data-testid="next-lesson"><span>"Next"</span>{n.front.title.clone()}</a> }
    });
    let tags = lesson
        .front
        .tags
        .iter()
        .map(|t| view! { <li class="tag">{t.clone()}</li> })
        .collect_view();
    view! {
        <article class="lesson" data-testid="lesson">
            <header class="lesson-header">
                <p class="crumbs"><a href="/">"Lessons"</a></p>
                <h1>{lesson.front.title.clone()}</h1>
                <p class="lesson-lede">{lesson.front.summary.clone()}</p>
                <ul class="tags" aria-label="Tags">{tags}</ul>
                {(!lesson.front.cards.is_empty()).then(|| {
                    let href = format!("/study/call?lesson={}", lesson.slug);
                    view! { <p class="lesson-call"><a href=href data-testid="lesson-call">"Quiz me on this lesson aloud (Call)"</a></p> }
                })}
            </header>
            <div class="lesson-layout">
                <nav class="toc" aria-label="On this page" data-testid="toc">
                    <h2>"On this page"</h2>
                    <ol>{toc}</ol>
                </nav>
                <div class="lesson-body">
                    {body}
                    <section class="sources" id="sources">
                        <h2>"Sources"</h2>
                        <ol>{sources}</ol>
                    </section>
                    <nav class="prev-next" aria-label="Lessons">{prev}{next}</nav>
                </div>
            </div>
        </article>
    }
}

/// After a client-side navigation, start at the top, or at the `#anchor` if the URL has one.
fn scroll_to_hash_or_top() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let hash = window.location().hash().unwrap_or_default();
    let cb = wasm_bindgen::closure::Closure::once_into_js(move || {
        let Some(window) = web_sys::window() else {
            return;
        };
        // `#gan1d-3:k=8&...` is a demo's shared state: scroll to that demo.
        let target = hash
            .strip_prefix('#')
            .and_then(|h| h.split(':').next())
            .filter(|h| !h.is_empty())
            .and_then(|id| window.document().and_then(|d| d.get_element_by_id(id)));
        match target {
            Some(el) => el.scroll_into_view(),
            None => window.scroll_to_with_x_and_y(0.0, 0.0),
        }
        // Benchmarks read this mark: time from navigation start until the lesson is in the DOM
        // and a frame is about to be painted (see BENCHMARKS.md).
        if let Some(perf) = window.performance() {
            let _ = perf.mark("lesson-painted");
        }
    });
    // Run after the view is in the DOM.
    let _ = window.request_animation_frame(wasm_bindgen::JsCast::unchecked_ref(&cb));
}
