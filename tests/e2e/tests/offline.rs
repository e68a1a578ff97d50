//! Offline: the service worker (`sw.js`, written by crates/xtask with the precache list of the
//! whole build) keeps the app working once the site is unreachable, including pages never
//! opened in this browser: a reload shows the app, a lesson never visited renders with its
//! maths and its live demo (the demos module, trained in the Web Worker), a page from the
//! lazily loaded pages module opens, and saved progress is still there. A new build's worker
//! replaces the old cache.

use gentutor_e2e::{click, dist_dir, wait_until, Session};
use std::path::{Path, PathBuf};

/// True once a service worker controls the page. The worker claims open pages only after
/// installing, i.e. after the whole build is in its cache.
const CONTROLLED: &str = "return !!(navigator.serviceWorker && navigator.serviceWorker.controller \
     && navigator.serviceWorker.controller.scriptURL.endsWith('/sw.js'));";

/// The page's own errors (console.error, uncaught errors and rejections) from now on.
const WATCH_JS: &str = "if (!window.__errors) { window.__errors = []; \
    const e = console.error.bind(console); \
    console.error = (...a) => { window.__errors.push(a.map(String).join(' ')); e(...a); }; \
    window.addEventListener('error', (x) => window.__errors.push(String(x.message))); \
    window.addEventListener('unhandledrejection', (x) => window.__errors.push(String(x.reason))); }";

async fn no_errors(s: &Session, when: &str) {
    let v = s
        .client
        .execute(
            "const c = document.querySelector('[data-testid=crash]'); \
             return { errors: window.__errors || [], crash: c ? c.textContent : null };",
            vec![],
        )
        .await
        .expect("read the error watch");
    assert!(v["crash"].is_null(), "{when}: panic screen: {}", v["crash"]);
    assert_eq!(
        v["errors"].as_array().map_or(0, Vec::len),
        0,
        "{when}: errors: {}",
        v["errors"]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_app_works_offline_after_one_visit() {
    let s = Session::start().await;
    let c = &s.client;

    // One visit online: home, then one review rated in Spaced (saved progress).
    c.goto(&s.url("/")).await.expect("open home");
    s.wait_for("[data-testid=lesson-card]").await;
    c.goto(&s.url("/study/spaced")).await.expect("open review");
    click(c, "[data-testid=review-reveal]").await;
    click(c, "[data-testid=rate-3]").await;
    s.wait_text("[data-testid=review-log-count]", |t| t == "1")
        .await;
    wait_until(c, CONTROLLED, "the service worker controls the page").await;

    // The site goes away: even the class API (never cached) is unreachable now.
    s.stop_server();
    wait_until(
        c,
        "return fetch('/api/health', { cache: 'no-store' }).then(() => false, () => true);",
        "the server is unreachable",
    )
    .await;

    // (1) A reload shows the app.
    c.refresh().await.expect("reload offline");
    s.wait_text("[data-testid=review-log-count]", |t| t == "1")
        .await;
    c.goto(&s.url("/")).await.expect("open home offline");
    s.wait_for("[data-testid=lesson-card]").await;
    c.execute(WATCH_JS, vec![]).await.expect("watch");

    // (2) A lesson never opened in this browser, loaded as a new page: text, maths, and its
    // demo from the demos module, training in the Web Worker.
    c.goto(&s.url("/lesson/gan-objective"))
        .await
        .expect("open a lesson offline");
    c.execute(WATCH_JS, vec![]).await.expect("watch");
    let h1 = s
        .wait_text("[data-testid=lesson] h1", |t| !t.is_empty())
        .await;
    assert!(h1.contains("GAN objective"), "{h1}");
    wait_until(
        c,
        "return document.querySelectorAll('[data-testid=lesson] .prose math').length > 10 \
         && document.querySelector('.prose math[display=block]').getBoundingClientRect().height > 15;",
        "the lesson's maths is rendered offline",
    )
    .await;
    click(c, "[data-testid=demo-gan1d] [data-testid=gan-play]").await;
    s.wait_for("[data-testid=demo-gan1d] [data-testid=trains-in-worker]")
        .await;
    s.wait_text("[data-testid=gan-step]", |t| {
        t.trim_start_matches("step ")
            .trim()
            .parse::<u64>()
            .is_ok_and(|n| n >= 20)
    })
    .await;
    no_errors(&s, "the lesson offline").await;

    // (3) Learn, from the lazily loaded pages module (never fetched by this browser before).
    c.goto(&s.url("/study/learn"))
        .await
        .expect("open Learn offline");
    c.execute(WATCH_JS, vec![]).await.expect("watch");
    click(c, "[data-testid=lazy-page] [data-testid=learn-start]").await;
    s.wait_for("[data-testid=learn-option-0]").await;
    assert!(
        !gentutor_e2e::exists(c, "[data-testid=page-load-error]").await,
        "the pages module loaded offline"
    );
    no_errors(&s, "Learn offline").await;

    // (4) The progress saved online is still there.
    c.goto(&s.url("/study/spaced"))
        .await
        .expect("open review offline");
    s.wait_text("[data-testid=review-log-count]", |t| t == "1")
        .await;
    s.close().await;
}

/// A copy of the build whose `sw.js` announces another cache version: what a new build looks
/// like to a browser that has the old one.
fn dist_with_new_version(from: &Path) -> PathBuf {
    let to = std::env::temp_dir().join(format!("gentutor-dist-sw-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&to);
    copy_dir(from, &to);
    to
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("make the copy's directory");
    for entry in std::fs::read_dir(from).expect("read dist") {
        let path = entry.expect("entry").path();
        let dest = to.join(path.file_name().expect("name"));
        if path.is_dir() {
            copy_dir(&path, &dest);
        } else {
            std::fs::copy(&path, &dest).expect("copy");
        }
    }
}

/// The names of gentutor's caches (WebDriver waits for a returned promise).
const CACHES: &str =
    "return caches.keys().then((k) => k.filter((n) => n.startsWith('gentutor-')));";

#[tokio::test(flavor = "multi_thread")]
async fn a_new_build_replaces_the_old_cache() {
    let dist = dist_with_new_version(&dist_dir());
    let s = Session::start_with_dist(dist.clone()).await;
    let c = &s.client;
    c.goto(&s.url("/")).await.expect("open home");
    s.wait_for("[data-testid=lesson-card]").await;
    wait_until(c, CONTROLLED, "the service worker controls the page").await;
    let old = c.execute(CACHES, vec![]).await.expect("caches");
    let old_names: Vec<String> = serde_json::from_value(old).expect("cache names");
    assert_eq!(old_names.len(), 1, "one cache: {old_names:?}");

    // The server gets a new build (here: the same files under a new version).
    let sw = dist.join("sw.js");
    let text = std::fs::read_to_string(&sw).expect("read sw.js");
    let at = text.find("const VERSION = \"").expect("a VERSION line") + 17;
    let new_text = format!("{}0000{}", &text[..at], &text[at..]);
    std::fs::write(&sw, new_text).expect("write sw.js");
    let new_name = format!(
        "gentutor-0000{}",
        old_names[0].trim_start_matches("gentutor-")
    );

    // The browser checks for a new worker (as it does on every page load); the new one
    // installs, takes over and leaves only its own cache.
    let updated = c
        .execute(
            "return navigator.serviceWorker.getRegistration().then((r) => r.update()) \
             .then(() => true, (e) => String(e));",
            vec![],
        )
        .await
        .expect("update the registration");
    assert_eq!(updated, serde_json::Value::Bool(true), "update: {updated}");
    wait_until(
        c,
        &format!(
            "return caches.keys().then((k) => k.filter((n) => n.startsWith('gentutor-')).join() === '{new_name}');"
        ),
        "only the new build's cache is left",
    )
    .await;
    s.close().await;
    let _ = std::fs::remove_dir_all(dist);
}
