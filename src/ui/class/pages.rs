//! The class pages. The student's (`/join`, `/resume`) are here, next to the sync they drive
//! ([`super::sync`]); the teacher's (`/class/new`, `/class/<token>`) are mounted from the lazily
//! loaded module (`crates/demos/src/pages/class.rs`), since most visitors never open them.

use super::sync;
use crate::ui::study::use_progress;
use crate::ui::widgets::lazy_page::LazyPage;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

fn set_title(t: &str) {
    gentutor_web::set_title(t);
}

/// `/class/new`: create a class. The page lives in the lazily loaded module (the teacher's
/// pages need no progress store; `gentutor_demos::pages::class`).
#[component]
pub fn NewClassPage() -> impl IntoView {
    set_title("New class");
    view! { <LazyPage what="class-new" /> }
}

/// `/class/:token`: the teacher's page, from the lazily loaded module
/// (`gentutor_demos::pages::class::TeacherPage`).
#[component]
pub fn TeacherPage() -> impl IntoView {
    set_title("Class");
    let params = use_params_map();
    let token = Memo::new(move |_| params.read().get("token").unwrap_or_default());
    // A new token (another teacher link in the same tab) mounts the page afresh.
    move || view! { <LazyPage what="class-teacher" arg=token.get() /> }
}

/// The student's class status: membership, queue, resume link.
#[component]
fn MemberStatus(member: RwSignal<Option<sync::Membership>>) -> impl IntoView {
    let store = use_progress();
    // The same study-crate number the teacher's table shows in the Mastery column.
    let mastery = move || {
        let ids = crate::ui::study::all_card_ids();
        let x = store.with(|p| {
            gentutor_study::events::deck_mastery(p, &ids, crate::ui::study::store::now_ms())
        });
        format!("{:.0}%", (x * 100.0).round())
    };
    let pending = RwSignal::new(sync::pending());
    let error = RwSignal::new(sync::last_error());
    gentutor_web::scoped::interval(
        move || {
            pending.try_set(sync::pending());
            error.try_set(sync::last_error());
        },
        1000,
    );
    move || {
        member.get().map(|m| {
            let link = m.resume_link();
            view! {
                <section data-testid="member-status">
                    <p>"You are in the class "<strong data-testid="member-class">{m.class_name.clone()}</strong>" as "<strong>{m.name.clone()}</strong>"."</p>
                    <p>"Your mastery over all cards: "<strong data-testid="my-mastery">{mastery}</strong></p>
                    <p data-testid="sync-status">{move || match (pending.get(), error.get()) {
                        (0, _) => "All your results have reached your teacher.".to_string(),
                        (n, None) => format!("{n} results waiting to be sent."),
                        (n, Some(e)) => format!("{n} results waiting to be sent ({e})."),
                    }}</p>
                    <p>"Your personal resume link continues your progress on another device. Keep it private: "<code data-testid="resume-link">{link}</code></p>
                    <a class="button" href="/study">"Study"</a>
                    " "
                    <button class="secondary" data-testid="leave-class" on:click=move |_| { sync::leave(); member.set(None); }>"Leave the class on this browser"</button>
                </section>
            }
        })
    }
}

/// `/join/:code`: a student joins.
#[component]
pub fn JoinPage() -> impl IntoView {
    set_title("Join a class");
    let params = use_params_map();
    let code = Memo::new(move |_| params.read().get("code").unwrap_or_default());
    let store = use_progress();
    let member = RwSignal::new(sync::member());
    let name = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let owner = super::Here::current();
    let submit = move || {
        busy.set(true);
        error.set(None);
        let (c, n) = (code.get_untracked(), name.get_untracked());
        owner.spawn(async move {
            match sync::join(&c, &n, store).await {
                Ok(m) => {
                    member.try_set(Some(m));
                }
                Err(e) => {
                    error.try_set(Some(e));
                }
            }
            busy.try_set(false);
        });
    };
    view! {
        <div class="class-page">
            <h1>"Join a class"</h1>
            <Show when=move || member.with(Option::is_none)>
                <p>"Type the name your teacher will see. Your teacher sees your name and study results; other students see neither. Progress already in this browser comes along, and studying works offline as before: results are sent when you are online."</p>
                <form on:submit=move |ev| { ev.prevent_default(); submit(); }>
                    <label>"Your name "
                        <input type="text" maxlength="60" required data-testid="join-name"
                            prop:value=move || name.get()
                            on:input=move |ev| name.set(event_target_value(&ev)) />
                    </label>
                    " "
                    <button type="submit" data-testid="join-submit" disabled=move || busy.get()>"Join"</button>
                </form>
            </Show>
            {move || error.get().map(|e| view! { <p class="notice error" role="alert" data-testid="join-error">{e}</p> })}
            <MemberStatus member=member />
        </div>
    }
}

/// `/resume/:token`: continue as a student on this device.
#[component]
pub fn ResumePage() -> impl IntoView {
    set_title("Continue in your class");
    let params = use_params_map();
    let store = use_progress();
    let member = RwSignal::new(None::<sync::Membership>);
    let error = RwSignal::new(None::<String>);
    let token = params.read_untracked().get("token").unwrap_or_default();
    gentutor_web::scoped::spawn(async move {
        match sync::resume(&token, store).await {
            Ok(m) => {
                member.try_set(Some(m));
            }
            Err(e) => {
                error.try_set(Some(e));
            }
        }
    });
    view! {
        <div class="class-page">
            <h1>"Continue in your class"</h1>
            {move || (member.with(Option::is_none) && error.with(Option::is_none)).then(|| view! { <p>"Loading your progress…"</p> })}
            {move || error.get().map(|e| view! { <p class="notice error" role="alert" data-testid="resume-error">{e}</p> })}
            <MemberStatus member=member />
        </div>
    }
}
