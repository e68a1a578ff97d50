//! Leptos components. Thin: they read core data and wire signals; all logic lives in the study and content crates.

pub mod class;
pub mod content_gate;
pub mod routes;
pub mod study;
pub mod widgets;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

/// The app shell: header, routes, footer.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <study::ProgressRoot>
            <a class="skip-link" href="#main">"Skip to content"</a>
            <header class="site-header">
                <nav aria-label="Main">
                    <a class="brand" href="/">"gentutor"</a>
                    <a href="/">"Lessons"</a>
                    <study::shell::StudyNavLink />
                    <a href="/about">"About"</a>
                    <study::shell::ThemeSwitch />
                    <study::shell::ShortcutsHelp />
                </nav>
            </header>
            <main id="main" tabindex="-1">
                <content_gate::ContentGate>
                <study::ProgressProvider>
                <Routes fallback=|| view! { <routes::not_found::NotFound /> }>
                    <Route path=path!("/") view=routes::home::Home />
                    <Route path=path!("/lesson/:slug") view=routes::lesson::LessonRoute />
                    <Route path=path!("/study") view=routes::study::Study />
                    <Route path=path!("/study/flashcards") view=routes::study_flashcards::StudyFlashcardsRoute />
                    <Route path=path!("/study/learn") view=routes::study_learn::StudyLearnRoute />
                    <Route path=path!("/study/test") view=routes::study_test::StudyTestRoute />
                    <Route path=path!("/study/matching") view=routes::study_matching::StudyMatchingRoute />
                    <Route path=path!("/study/spaced") view=routes::study_spaced::StudySpacedRoute />
                    <Route path=path!("/study/call") view=routes::study_call::StudyCallRoute />
                    <Route path=path!("/about") view=routes::about::About />
                    <Route path=path!("/class/new") view=class::pages::NewClassPage />
                    <Route path=path!("/class/:token") view=class::pages::TeacherPage />
                    <Route path=path!("/join/:code") view=class::pages::JoinPage />
                    <Route path=path!("/resume/:token") view=class::pages::ResumePage />
                    <Route path=path!("/bench") view=|| view! { <widgets::lazy_demo::LazyDemo what="bench" /> } />
                </Routes>
                </study::ProgressProvider>
                </content_gate::ContentGate>
            </main>
            <footer class="site-footer">
                <p>"gentutor: learn generative models by reading, playing and testing yourself. Every claim is checked against the primary papers; see "<a href="/about">"About this content"</a>"."</p>
            </footer>
            </study::ProgressRoot>
        </Router>
    }
}
