//! The teacher's class pages: `/class/new` (create a class) and `/class/<teacher token>` (the
//! table). They need no progress store, so they live in the lazily loaded module; the app's
//! routes mount them (`ui::class::pages` in the app). The table's figures come computed from
//! the server (study-crate code).

// Beside this file (src/), not in src/class/.
#[path = "class_insights.rs"]
mod insights;

use super::library::library;
use gentutor_web::net;
use gentutor_web::scoped::OwnerRef;
use leptos::prelude::*;
use serde_json::Value;

/// Spawns `task` tied to the component whose owner `owner` holds (dropped if it is gone).
fn spawn_in(owner: OwnerRef, task: impl std::future::Future<Output = ()> + 'static) {
    gentutor_web::scoped::spawn_in(owner.get().as_ref(), task);
}

fn set_title(t: &str) {
    gentutor_web::set_title(t);
}

/// "3 min ago" for `t` at `now` (Unix ms).
fn ago(now: i64, t: Option<i64>) -> String {
    let Some(t) = t else { return "never".into() };
    let s = (now - t).max(0) / 1000;
    match s {
        0..=59 => "just now".into(),
        60..=3599 => format!("{} min ago", s / 60),
        3600..=86_399 => format!("{} h ago", s / 3600),
        _ => format!("{} days ago", s / 86_400),
    }
}

/// `/class/new`: create a class.
#[component]
pub fn NewClassPage() -> impl IntoView {
    set_title("New class");
    let name = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let created = RwSignal::new(None::<Value>);
    let owner = OwnerRef::current();
    let create = move || {
        busy.set(true);
        error.set(None);
        let body = serde_json::json!({ "name": name.get_untracked() }).to_string();
        spawn_in(owner, async move {
            match net::call("POST", "/api/classes", None, Some(body)).await {
                Ok(r) if r.ok() => {
                    created.try_set(Some(r.json()));
                }
                Ok(r) => {
                    error.try_set(Some(r.error()));
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
            <h1>"Track a class"</h1>
            <Show when=move || created.with(Option::is_none)>
                <p>"Create a class, send the join link to your students, and follow their progress in one table. No account and no password: you get a private teacher link."</p>
                <form on:submit=move |ev| { ev.prevent_default(); create(); }>
                    <label>"Class name "
                        <input type="text" maxlength="60" required data-testid="class-name"
                            prop:value=move || name.get()
                            on:input=move |ev| name.set(event_target_value(&ev)) />
                    </label>
                    " "
                    <button type="submit" data-testid="class-create" disabled=move || busy.get()>"Create the class"</button>
                </form>
            </Show>
            {move || error.get().map(|e| view! { <p class="notice error" role="alert" data-testid="class-error">{e}</p> })}
            {move || created.get().map(|j| {
                let teacher = format!("{}{}", net::origin(), j["teacher_path"].as_str().unwrap_or_default());
                let join = format!("{}{}", net::origin(), j["join_path"].as_str().unwrap_or_default());
                let code = j["join_code"].as_str().unwrap_or_default().to_string();
                let teacher_path = j["teacher_path"].as_str().unwrap_or_default().to_string();
                view! {
                    <section data-testid="class-created">
                        <h2>{j["name"].as_str().unwrap_or_default().to_string()}</h2>
                        <p class="notice-inline" role="note"><strong>"Your teacher link is the key to this class. "</strong>
                            "Anyone who has it sees your students' names and results. Bookmark it and keep it private; if it leaks, open it and make a new one."</p>
                        <p>"Teacher link: "<a href=teacher_path.clone() data-testid="teacher-link">{teacher}</a></p>
                        <p>"Send this to your students: "<code data-testid="join-link">{join}</code>" (join code "<strong data-testid="join-code">{code}</strong>")"</p>
                        <a class="button" href=teacher_path>"Open the teacher page"</a>
                    </section>
                }
            })}
        </div>
    }
}

/// The table's sortable columns.
const COLUMNS: [&str; 8] = [
    "Name",
    "Mastery",
    "Learn",
    "Test",
    "Matching",
    "Spaced",
    "Call",
    "Last active",
];

/// A sort key for column `col` of a row (numbers sort as numbers; missing values last).
fn sort_key(row: &Value, col: usize) -> (i64, String) {
    let s = &row["summary"];
    let num = |v: Option<f64>| v.map_or(i64::MIN, |x| (x * 1e6) as i64);
    let acc = |t: &Value| {
        let (a, c) = (
            t["answers"].as_f64().unwrap_or(0.0),
            t["correct"].as_f64().unwrap_or(0.0),
        );
        (a > 0.0).then(|| c / a)
    };
    match col {
        0 => (0, row["name"].as_str().unwrap_or_default().to_lowercase()),
        1 => (num(s["mastery"].as_f64()), String::new()),
        2 => (
            num(s["learn_learned"]
                .as_f64()
                .filter(|_| s["learn_seen"].as_u64() > Some(0))),
            String::new(),
        ),
        3 => (num(s["test_score"].as_f64()), String::new()),
        // Faster is better: negate so "descending" puts the fastest first.
        4 => (
            num(s["matching_best_ms"].as_f64().map(|x| -x)),
            String::new(),
        ),
        5 => (
            num(s["spaced"]["answers"].as_f64().filter(|x| *x > 0.0)),
            String::new(),
        ),
        6 => (num(acc(&s["call"])), String::new()),
        _ => (
            s["last_active_ms"].as_i64().unwrap_or(i64::MIN),
            String::new(),
        ),
    }
}

async fn download_csv(token: String) -> Result<(), String> {
    use wasm_bindgen::JsCast;
    let r = net::call("GET", "/api/class/export.csv", Some(&token), None).await?;
    if !r.ok() {
        return Err(r.error());
    }
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(&r.body));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type("text/csv");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts)
        .map_err(|_| "the CSV could not be prepared".to_string())?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|_| "the CSV could not be prepared".to_string())?;
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let a: web_sys::HtmlAnchorElement = doc
        .create_element("a")
        .map_err(|_| "no link")?
        .dyn_into()
        .map_err(|_| "no link")?;
    a.set_href(&url);
    a.set_download("class.csv");
    a.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// `/class/:token`: the teacher's page.
#[component]
pub fn TeacherPage(
    /// The teacher token from the page's address.
    token: String,
) -> impl IntoView {
    set_title("Class");
    let token = StoredValue::new(token);
    let data = RwSignal::new(None::<Result<Value, String>>);
    let message = RwSignal::new(None::<String>);
    let sort = RwSignal::new((1usize, true));
    let owner = OwnerRef::current();

    let load = move || {
        let t = token.try_get_value().unwrap_or_default();
        spawn_in(owner, async move {
            let r = match net::call("GET", "/api/class", Some(&t), None).await {
                Ok(r) if r.ok() => Ok(r.json()),
                Ok(r) if r.status == 401 => Err("This teacher link is not valid (it may have been replaced by a new one). Use the newest teacher link.".to_string()),
                Ok(r) => Err(r.error()),
                Err(e) => Err(e),
            };
            data.try_set(Some(r));
        });
    };
    load();
    // The table follows the class while the page is open.
    gentutor_web::scoped::interval(load, 30_000);

    let act =
        move |method: &'static str, path: String, body: Option<String>, done: &'static str| {
            let t = token.try_get_value().unwrap_or_default();
            spawn_in(owner, async move {
                match net::call(method, &path, Some(&t), body).await {
                    Ok(r) if r.ok() => {
                        message.try_set(Some(done.to_string()));
                    }
                    Ok(r) => {
                        message.try_set(Some(r.error()));
                    }
                    Err(e) => {
                        message.try_set(Some(e));
                    }
                }
                load();
            });
        };
    let rotate = move || {
        let confirmed = web_sys::window()
            .and_then(|w| {
                w.confirm_with_message(
                    "Make a new teacher link? The current link stops working at once.",
                )
                .ok()
            })
            .unwrap_or(false);
        if !confirmed {
            return;
        }
        let t = token.try_get_value().unwrap_or_default();
        spawn_in(owner, async move {
            match net::call("POST", "/api/class/rotate", Some(&t), None).await {
                Ok(r) if r.ok() => {
                    if let Some(p) = r.json()["teacher_path"].as_str() {
                        // Replace, so the old link does not stay in this tab's history.
                        if let Some(w) = web_sys::window() {
                            let _ = w.location().replace(p);
                        }
                    }
                }
                Ok(r) => {
                    message.try_set(Some(r.error()));
                }
                Err(e) => {
                    message.try_set(Some(e));
                }
            }
        });
    };
    let export = move || {
        let t = token.try_get_value().unwrap_or_default();
        spawn_in(owner, async move {
            if let Err(e) = download_csv(t).await {
                message.try_set(Some(e));
            }
        });
    };

    let header = move |i: usize| {
        let label = COLUMNS[i];
        let mark = move || match sort.get() {
            (c, true) if c == i => " ▼",
            (c, false) if c == i => " ▲",
            _ => "",
        };
        let aria = move || match sort.get() {
            (c, true) if c == i => "descending",
            (c, false) if c == i => "ascending",
            _ => "none",
        };
        view! {
            <th aria-sort=aria>
                <button class="sort-button" data-testid=format!("sort-{i}")
                    on:click=move |_| sort.update(|s| *s = if s.0 == i { (i, !s.1) } else { (i, i != 0) })>
                    {label}{mark}
                </button>
            </th>
        }
    };

    let body = move || {
        let d = data.get()?;
        Some(match d {
            Err(e) => {
                view! { <p class="notice error" role="alert" data-testid="teacher-error">{e}</p> }
                    .into_any()
            }
            Ok(j) => {
                set_title(&format!(
                    "Class: {}",
                    j["name"].as_str().unwrap_or_default()
                ));
                let now = j["now_ms"].as_i64().unwrap_or(0);
                let mut rows: Vec<Value> = j["rows"].as_array().cloned().unwrap_or_default();
                let (col, desc) = sort.get();
                rows.sort_by(|a, b| {
                    let o = sort_key(a, col).cmp(&sort_key(b, col));
                    if desc {
                        o.reverse()
                    } else {
                        o
                    }
                });
                let studied = rows
                    .iter()
                    .any(|r| r["summary"]["events"].as_u64() > Some(0));
                let join = format!(
                    "{}{}",
                    net::origin(),
                    j["join_path"].as_str().unwrap_or_default()
                );
                let locked = j["locked"].as_bool().unwrap_or(false);
                let lib = library();
                let insights = insights::insights_view(&j);
                let hardest: Vec<(String, String)> = j["hardest"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
                    .iter()
                    // Only cards someone got wrong are "hard".
                    .filter(|h| h["tally"]["correct"].as_u64() < h["tally"]["answers"].as_u64())
                    .map(|h| {
                        let id = h["card"].as_u64().unwrap_or(0) as u32;
                        let term = lib
                            .card(id)
                            .map_or_else(|| format!("Card {id}"), |c| c.term.clone());
                        let (a, c) = (
                            h["tally"]["answers"].as_u64().unwrap_or(0),
                            h["tally"]["correct"].as_u64().unwrap_or(0),
                        );
                        (
                            term,
                            format!(
                                "{} right of {a} answers",
                                if a > 0 {
                                    format!("{:.0}%", 100.0 * c as f64 / a as f64)
                                } else {
                                    "-".into()
                                }
                            ),
                        )
                    })
                    .collect();
                let table_rows = rows
                    .into_iter()
                    .map(|r| {
                        let id = r["learner_id"].as_str().unwrap_or_default().to_string();
                        let name = r["name"].as_str().unwrap_or_default().to_string();
                        let cells: Vec<String> = r["cells"]
                            .as_array()
                            .map(|c| {
                                c.iter()
                                    .map(|x| x.as_str().unwrap_or_default().to_string())
                                    .collect()
                            })
                            .unwrap_or_default();
                        let last = ago(now, r["summary"]["last_active_ms"].as_i64());
                        let inactive = r["inactive"].as_bool().unwrap_or(false);
                        let (id2, name2) = (id.clone(), name.clone());
                        let rename = move |_| {
                            let new = web_sys::window().and_then(|w| {
                                w.prompt_with_message_and_default("New display name", &name2)
                                    .ok()
                                    .flatten()
                            });
                            if let Some(n) = new {
                                act(
                                    "PATCH",
                                    format!("/api/class/learners/{id2}"),
                                    Some(serde_json::json!({ "name": n }).to_string()),
                                    "Renamed.",
                                );
                            }
                        };
                        let name3 = name.clone();
                        let remove = move |_| {
                            let ok = web_sys::window()
                                .and_then(|w| {
                                    w.confirm_with_message(&format!(
                                        "Remove {name3} and all their results from the class?"
                                    ))
                                    .ok()
                                })
                                .unwrap_or(false);
                            if ok {
                                act(
                                    "DELETE",
                                    format!("/api/class/learners/{id}"),
                                    None,
                                    "Removed.",
                                );
                            }
                        };
                        view! {
                            <tr data-testid="class-row" class:inactive=inactive>
                                <th scope="row">{name}</th>
                                {cells.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}
                                <td>{last}</td>
                                <td class="row-actions">
                                    <button class="secondary" on:click=rename>"Rename"</button>
                                    <button class="secondary" on:click=remove>"Remove"</button>
                                </td>
                            </tr>
                        }
                    })
                    .collect_view();
                view! {
                    <h1 data-testid="class-title">{j["name"].as_str().unwrap_or_default().to_string()}</h1>
                    <p class="notice-inline" role="note"><strong>"This page's address is the key to your class: "</strong>
                        "no account or password protects it. Keep it private; if it leaks, make a new one."</p>
                    <p>"Students join with this link: "<code data-testid="join-link">{join}</code>
                        " (code "<strong data-testid="join-code">{j["join_code"].as_str().unwrap_or_default().to_string()}</strong>")"</p>
                    <p class="class-actions">
                        <label><input type="checkbox" data-testid="lock-joining" prop:checked=locked
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                act("PATCH", "/api/class".into(), Some(serde_json::json!({ "locked": on }).to_string()),
                                    if on { "Joining is locked." } else { "Joining is open." });
                            } />" Lock joining"</label>
                        " "<button class="secondary" data-testid="class-refresh" on:click=move |_| load()>"Refresh"</button>
                        " "<button class="secondary" data-testid="class-export" on:click=move |_| export()>"Export CSV"</button>
                        " "<button class="secondary" data-testid="class-rotate" on:click=move |_| rotate()>"Make a new teacher link"</button>
                    </p>
                    {(!studied).then(|| view! {
                        <p class="empty-state" data-testid="class-empty">"No analytics yet. Send the join link to your students to track their progress."</p>
                    })}
                    <div class="table-scroll">
                        <table class="class-table" data-testid="class-table">
                            <thead><tr>{(0..COLUMNS.len()).map(header).collect_view()}<th>"Actions"</th></tr></thead>
                            <tbody>{table_rows}</tbody>
                        </table>
                    </div>
                    <p class="hint">"Mastery: the same number each student sees on their Study page (memory, Learn stage and recent results over all "{j["card_count"].as_u64().unwrap_or(0)}" cards). Call fills in once students use the spoken tutor."</p>
                    {(!hardest.is_empty()).then(|| view! {
                        <section data-testid="class-hardest">
                            <h2>"Hardest cards"</h2>
                            <ol>{hardest.into_iter().map(|(t, a)| view! { <li>{t}": "{a}</li> }).collect_view()}</ol>
                        </section>
                    })}
                    {insights}
                }.into_any()
            }
        })
    };
    view! {
        <div class="class-page">
            {move || message.get().map(|m| view! { <p class="notice" role="status" data-testid="class-message">{m}</p> })}
            {body}
        </div>
    }
}
