//! The pages kept out of the first load (the teacher's class pages, Call, Flashcards, Learn,
//! Test, Matching) come from the lazily loaded pages module (`crates/pages`), not the demos
//! module: home never fetches it, each of those pages does and works without downloading the
//! demos (models, plots), a module that cannot be fetched gives a message with a retry that
//! works once the file is back, and leaving such a page while the module loads does not crash.

use fantoccini::Locator;
use gentutor_e2e::{dist_dir, ServeOptions, Session};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The pages module's files (`gentutor-pages-<hash>.js`, `_bg.wasm`).
const PAGES: &str = "gentutor-pages-";
/// The demos module's files: models, plots, `/bench`.
const DEMOS: &str = "gentutor-demos-";

/// True once the page has fetched the WASM of the module whose files start with `prefix`.
async fn module_fetched(s: &Session, prefix: &str) -> bool {
    s.client
        .execute(
            "return performance.getEntriesByType('resource').some(e => \
             e.name.includes(arguments[0]) && e.name.endsWith('_bg.wasm'))",
            vec![serde_json::json!(prefix)],
        )
        .await
        .expect("read resource timings")
        .as_bool()
        .unwrap_or(false)
}

/// Navigates client-side to `path` (the router intercepts the click; no reload).
async fn click_link_to(s: &Session, path: &str) {
    s.client
        .execute(
            "const a = document.createElement('a'); a.href = arguments[0]; a.textContent = 'go'; \
             document.body.appendChild(a); a.click(); a.remove();",
            vec![serde_json::json!(path)],
        )
        .await
        .expect("click a link");
}

async fn no_crash(s: &Session, when: &str) {
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

const WATCH_JS: &str = "if (!window.__errors) { window.__errors = []; \
    const e = console.error.bind(console); \
    console.error = (...a) => { window.__errors.push(a.map(String).join(' ')); e(...a); }; \
    window.addEventListener('error', (x) => window.__errors.push(String(x.message))); \
    window.addEventListener('unhandledrejection', (x) => window.__errors.push(String(x.reason))); }";

#[tokio::test(flavor = "multi_thread")]
async fn home_does_not_fetch_the_module_and_the_lazy_pages_load_it_and_work() {
    let s = Session::start().await;
    let c = &s.client;
    c.goto(&s.url("/")).await.expect("open home");
    s.wait_for("[data-testid=lesson-card]").await;
    c.execute(WATCH_JS, vec![]).await.expect("watch");
    // Review and the overview stay in the first load.
    click_link_to(&s, "/study").await;
    s.wait_for("[data-testid=mode-matching]").await;
    click_link_to(&s, "/study/spaced").await;
    s.wait_for("[data-testid=review-log-count]").await;
    assert!(
        !module_fetched(&s, PAGES).await && !module_fetched(&s, DEMOS).await,
        "home, the study overview and Review must load neither lazy module"
    );

    // The teacher's new-class page: the module arrives and the form is there.
    click_link_to(&s, "/class/new").await;
    s.wait_for("[data-testid=lazy-page] [data-testid=class-name]")
        .await;
    assert!(
        module_fetched(&s, PAGES).await,
        "/class/new loads the pages module"
    );
    assert!(c
        .find(Locator::Css("[data-testid=page-load-error]"))
        .await
        .is_err());

    // Call (captions only, typed): a question is asked and a typed answer is heard.
    click_link_to(&s, "/study/call").await;
    s.wait_for("[data-testid=lazy-page] [data-testid=call-start]")
        .await;
    c.find(Locator::Css("[data-testid=call-mute]"))
        .await
        .expect("mute")
        .click()
        .await
        .expect("mute");
    c.find(Locator::Css("[data-testid=call-start]"))
        .await
        .expect("start")
        .click()
        .await
        .expect("start");
    s.wait_for("[data-testid=call-question]").await;
    s.wait_text("[data-testid=call-state]", |t| t.starts_with("Your turn"))
        .await;
    c.find(Locator::Css("[data-testid=call-skip]"))
        .await
        .expect("skip")
        .click()
        .await
        .expect("skip");
    s.wait_text("[data-testid=call-question] .fc-side", |t| {
        t.to_lowercase().starts_with("card 2 ")
    })
    .await;

    // Learn (lazy) records an answer that reaches the app's store and localStorage.
    let saved_cards = "const p = JSON.parse(localStorage.getItem('gentutor.progress') || '{}'); \
                       return Object.keys(p.cards || {}).length;";
    let before = c.execute(saved_cards, vec![]).await.expect("read progress");
    click_link_to(&s, "/study/learn").await;
    s.wait_for("[data-testid=lazy-page] [data-testid=learn-start]")
        .await
        .click()
        .await
        .expect("start learn");
    s.wait_for("[data-testid=learn-option-0]")
        .await
        .click()
        .await
        .expect("answer");
    s.wait_for("[data-testid=learn-continue]").await;
    let after = c.execute(saved_cards, vec![]).await.expect("read progress");
    assert!(
        after.as_u64() > before.as_u64(),
        "the answer was saved by the app: {before} -> {after}"
    );
    // The Test page mounts too.
    click_link_to(&s, "/study/test").await;
    s.wait_for("[data-testid=lazy-page] [data-testid=test-start]")
        .await;
    no_crash(&s, "after the lazy pages").await;
    // None of them needed the models and plots: a student studying on a phone never
    // downloads the demos module.
    assert!(
        !module_fetched(&s, DEMOS).await,
        "the class, Call, Learn and Test pages must not load the demos module"
    );
    s.close().await;
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read dist").flatten() {
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).expect("copy");
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_module_explains_itself_and_retry_loads_it_once_it_is_back() {
    let dir = std::env::temp_dir().join(format!("gentutor-dist-lazy-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&dist_dir(), &dir);
    let hidden: PathBuf = dir.join("hidden");
    std::fs::create_dir_all(&hidden).expect("mkdir");
    let module: Vec<_> = std::fs::read_dir(&dir)
        .expect("read")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(PAGES))
        .map(|e| e.file_name())
        .collect();
    assert!(!module.is_empty(), "the build has a pages module");
    for m in &module {
        std::fs::rename(dir.join(m), hidden.join(m)).expect("hide the module");
    }
    let s = Session::start_with_dist(dir.clone()).await;
    s.client
        .goto(&s.url("/study/matching"))
        .await
        .expect("open matching");
    let err = s.wait_for("[data-testid=page-load-error]").await;
    let text = err.text().await.expect("text");
    assert!(text.contains("unavailable"), "{text}");
    // The rest of the app still works: the tabs are there.
    assert!(s
        .client
        .find(Locator::Css("[data-testid=study-nav]"))
        .await
        .is_ok());

    // The module is back (the connection returned): Try again mounts the page.
    for m in &module {
        std::fs::rename(hidden.join(m), dir.join(m)).expect("restore the module");
    }
    s.client
        .find(Locator::Css("[data-testid=page-retry]"))
        .await
        .expect("retry button")
        .click()
        .await
        .expect("retry");
    s.wait_for("[data-testid=lazy-page] [data-testid=match-scope]")
        .await;
    assert!(s
        .client
        .find(Locator::Css("[data-testid=page-load-error]"))
        .await
        .is_err());
    s.close().await;
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread")]
async fn leaving_a_lazy_page_while_its_module_loads_does_not_crash() {
    let opts = ServeOptions::default().delay(PAGES, Duration::from_millis(2500));
    let s = Session::start_with(dist_dir(), opts).await;
    s.client.goto(&s.url("/")).await.expect("open home");
    s.wait_for("[data-testid=lesson-card]").await;
    s.client.execute(WATCH_JS, vec![]).await.expect("watch");

    click_link_to(&s, "/study/call").await;
    s.wait_for("[data-testid=page-loading]").await;
    assert!(
        !module_fetched(&s, PAGES).await,
        "still loading when we leave"
    );
    click_link_to(&s, "/study").await;
    s.wait_for("[data-testid=mode-matching]").await;
    no_crash(&s, "right after leaving").await;

    let t0 = Instant::now();
    while !module_fetched(&s, PAGES).await {
        assert!(
            t0.elapsed() < Duration::from_secs(30),
            "module never arrived"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    no_crash(&s, "after the module arrived").await;
    assert!(
        s.client
            .find(Locator::Css("[data-testid=call]"))
            .await
            .is_err(),
        "nothing was mounted into the page we left"
    );

    // Coming back mounts the (now loaded) page.
    click_link_to(&s, "/study/call").await;
    s.wait_for("[data-testid=lazy-page] [data-testid=call-start]")
        .await;
    no_crash(&s, "after coming back").await;
    s.close().await;
}
