//! Offline: the service worker (`sw.js`, written by crates/xtask with the precache list of the
//! whole build) keeps the app working once the site is unreachable, including pages never
//! opened in this browser: a reload shows the app, a lesson never visited renders with its
//! maths and its live demo (the demos module, trained in the Web Worker), a page from the
//! lazily loaded pages module opens, and saved progress is still there. A new build's worker
//! takes over and keeps the previous build's cache for tabs still running it.

use gentutor_e2e::{click, dist_dir, wait_until, Session};
use std::path::{Path, PathBuf};

/// True once a service worker controls the page. The worker claims open pages only after
/// installing, i.e. after the whole build is in its cache.
/// True once the build's worker controls the page; until then, the registration's state, so a
/// timeout says how far the worker got (a CI run once timed out here with no clue).
const CONTROLLED: &str = "const sw = navigator.serviceWorker; \
     if (sw && sw.controller && sw.controller.scriptURL.endsWith('/sw.js')) return true; \
     if (!sw) return 'no service worker API'; \
     return sw.getRegistration().then((r) => r ? JSON.stringify({ \
       installing: r.installing && r.installing.state, waiting: r.waiting && r.waiting.state, \
       active: r.active && r.active.state }) : 'not registered');";

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
    learn_starts(&s, "Learn offline").await;

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

/// The names of gentutor's caches, sorted (WebDriver waits for a returned promise).
async fn caches(s: &Session) -> Vec<String> {
    let js = "return caches.keys().then((k) => k.filter((n) => n.startsWith('gentutor-')).sort());";
    serde_json::from_value(s.client.execute(js, vec![]).await.expect("caches"))
        .expect("cache names")
}

/// Learn starts from the lazily loaded pages module, with no load error and no page error.
async fn learn_starts(s: &Session, when: &str) {
    click(
        &s.client,
        "[data-testid=lazy-page] [data-testid=learn-start]",
    )
    .await;
    s.wait_for("[data-testid=learn-option-0]").await;
    assert!(
        !gentutor_e2e::exists(&s.client, "[data-testid=page-load-error]").await,
        "{when}: the pages module did not load"
    );
    no_errors(s, when).await;
}

/// What a new build of the server looks like to a browser that has `dist`'s: `sw.js` under
/// the cache version `prefix` + the old one, and without the files whose names start with one
/// of `dropped` (a new build names its modules by their new hashes, so the old names are gone
/// from the server and from the new precache list).
fn deploy(dist: &Path, prefix: &str, dropped: &[&str]) {
    let sw = dist.join("sw.js");
    let text = std::fs::read_to_string(&sw).expect("read sw.js");
    let at = text.find("const VERSION = \"").expect("a VERSION line") + 17;
    let mut text = format!("{}{prefix}{}", &text[..at], &text[at..]);
    for entry in std::fs::read_dir(dist).expect("read the copy") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        if dropped.iter().any(|d| name.starts_with(d)) {
            std::fs::remove_file(dist.join(&name)).expect("drop a file");
            text = text.replace(&format!("  \"/{name}\",\n"), "");
            text = text.replace(&format!(",\n  \"/{name}\""), "");
            assert!(
                !text.contains(&format!("\"/{name}\"")),
                "{name} left in sw.js"
            );
        }
    }
    std::fs::write(&sw, text).expect("write sw.js");
}

/// The browser checks for a new worker, as it does on every page load, and waits until the
/// caches are exactly `names` (sorted).
async fn update_until_caches_are(s: &Session, names: &[String], what: &str) {
    let updated = s
        .client
        .execute(
            "return navigator.serviceWorker.getRegistration().then((r) => r.update()) \
             .then(() => true, (e) => String(e));",
            vec![],
        )
        .await
        .expect("update the registration");
    assert_eq!(updated, serde_json::Value::Bool(true), "update: {updated}");
    let list = serde_json::to_string(names).expect("names");
    wait_until(
        &s.client,
        &format!(
            "return caches.keys().then((k) => JSON.stringify(k.filter((n) => n.startsWith('gentutor-')).sort()) === '{list}');"
        ),
        what,
    )
    .await;
}

/// A tab opened before an update keeps running its build: the new worker takes over at once
/// but keeps the previous build's cache, so the tab can still load the lazily loaded pages
/// module it had not loaded yet, although the server no longer has that file. The build before
/// the previous one is dropped.
#[tokio::test(flavor = "multi_thread")]
async fn an_open_tab_keeps_working_after_an_update() {
    let dist = dist_with_new_version(&dist_dir());
    let s = Session::start_with_dist(dist.clone()).await;
    let c = &s.client;
    c.goto(&s.url("/study")).await.expect("open the study hub");
    s.wait_for("a[href='/study/learn']").await;
    wait_until(c, CONTROLLED, "the service worker controls the page").await;
    let first = caches(&s).await;
    assert_eq!(first.len(), 1, "one cache: {first:?}");
    let version = first[0].trim_start_matches("gentutor-").to_string();
    let loaded = "return performance.getEntriesByType('resource') \
                  .some((e) => e.name.includes('/gentutor-pages-'));";
    assert_eq!(
        c.execute(loaded, vec![]).await.expect("resources"),
        serde_json::Value::Bool(false),
        "the hub has not loaded the pages module yet"
    );

    // A new build: the pages module under a new name, so the old one is gone from the server.
    deploy(&dist, "0000", &["gentutor-pages-"]);
    let second = format!("gentutor-0000{version}");
    let mut both = vec![first[0].clone(), second.clone()];
    both.sort();
    update_until_caches_are(&s, &both, "the new cache next to the previous one").await;
    wait_until(
        c,
        "return navigator.serviceWorker.controller && navigator.serviceWorker.controller.state === 'activated';",
        "the new worker controls the tab",
    )
    .await;
    assert_eq!(
        caches(&s).await,
        both,
        "the activated worker kept the previous cache"
    );

    // The open tab, still on the old build, opens Learn: its pages module comes from the
    // previous build's cache.
    c.execute(WATCH_JS, vec![]).await.expect("watch");
    click(c, "a[href='/study/learn']").await;
    learn_starts(&s, "Learn in the old tab after an update").await;

    // Another build: its cache and the one before it stay, the oldest goes.
    deploy(&dist, "1111", &[]);
    let mut last = vec![second, format!("gentutor-11110000{version}")];
    last.sort();
    update_until_caches_are(&s, &last, "the oldest cache dropped").await;
    s.close().await;
    let _ = std::fs::remove_dir_all(dist);
}
