//! What the first load carries, and what happens when an asset is missing: the demos module is
//! fetched only by pages that show a demo, the lesson data arrives as its own asset, and a
//! missing asset gives a message and a way out instead of a blank page.

use fantoccini::Locator;
use gentutor_e2e::{dist_dir, Session};
use std::path::{Path, PathBuf};

/// Names of the resources the page has fetched so far.
async fn fetched(s: &Session) -> Vec<String> {
    let v = s
        .client
        .execute(
            "return performance.getEntriesByType('resource').map(e => e.name)",
            vec![],
        )
        .await
        .expect("read resource timings");
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn demos_module_loads_only_where_a_demo_is_shown() {
    let s = Session::start().await;
    let c = &s.client;

    c.goto(&s.url("/")).await.expect("open home");
    s.wait_for("[data-testid=lesson-card]").await;
    let home = fetched(&s).await;
    assert!(
        home.iter()
            .any(|n| n.contains("/content-") && n.ends_with(".bin")),
        "the lesson data is its own asset: {home:?}"
    );
    assert!(
        !home.iter().any(|n| n.contains("gentutor-demos")),
        "home must not load the demos module: {home:?}"
    );

    // A lesson with a demo: the module arrives and the demo mounts into the placeholder.
    c.goto(&s.url("/lesson/gan-objective"))
        .await
        .expect("open lesson");
    s.wait_for("[data-testid=lazy-demo] [data-testid=demo-gan1d] canvas")
        .await;
    let lesson = fetched(&s).await;
    assert!(
        lesson
            .iter()
            .any(|n| n.contains("gentutor-demos") && n.ends_with("_bg.wasm")),
        "the demos module was fetched for the demo: {lesson:?}"
    );
    assert!(c
        .find(Locator::Css("[data-testid=demo-load-error]"))
        .await
        .is_err());
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

/// A copy of dist/ without the files whose names start with `prefix`.
fn dist_without(prefix: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("gentutor-dist-no-{prefix}{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&dist_dir(), &dir);
    let mut removed = 0;
    for e in std::fs::read_dir(&dir).expect("read copy").flatten() {
        if e.file_name().to_string_lossy().starts_with(prefix) {
            std::fs::remove_file(e.path()).expect("remove");
            removed += 1;
        }
    }
    assert!(removed > 0, "the build has files named {prefix}*");
    dir
}

#[tokio::test(flavor = "multi_thread")]
async fn missing_lesson_data_explains_and_keeps_progress() {
    let dir = dist_without("content-");
    let s = Session::start_with_dist(dir.clone()).await;
    let c = &s.client;
    c.goto(&s.url("/")).await.expect("open home");
    // Some saved progress must survive the failure untouched.
    c.execute(
        "localStorage.setItem('gentutor.progress', '{\"version\":2,\"cards\":{}}')",
        vec![],
    )
    .await
    .expect("seed progress");
    c.refresh().await.expect("reload");
    let err = s.wait_for("[data-testid=content-error]").await;
    let text = err.text().await.expect("text");
    assert!(text.contains("could not be loaded"), "{text}");
    assert!(text.contains("404"), "says what failed: {text}");
    s.wait_for("[data-testid=content-error] button").await;
    let kept = c
        .execute("return localStorage.getItem('gentutor.progress')", vec![])
        .await
        .expect("read progress");
    assert_eq!(kept.as_str(), Some("{\"version\":2,\"cards\":{}}"));
    s.close().await;
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread")]
async fn missing_demos_module_leaves_the_lesson_readable() {
    let dir = dist_without("gentutor-demos-");
    let s = Session::start_with_dist(dir.clone()).await;
    let c = &s.client;
    c.goto(&s.url("/lesson/gan-objective"))
        .await
        .expect("open lesson");
    let err = s.wait_for("[data-testid=demo-load-error]").await;
    let text = err.text().await.expect("text");
    assert!(text.contains("unavailable"), "{text}");
    // The lesson itself is there, with its maths.
    assert!(c
        .find(Locator::Css("[data-testid=lesson] math"))
        .await
        .is_ok());
    assert!(
        c.find(Locator::Css("#crash")).await.is_err(),
        "no crash screen"
    );
    s.close().await;
    let _ = std::fs::remove_dir_all(dir);
}
