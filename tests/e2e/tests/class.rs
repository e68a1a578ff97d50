//! A class end to end in headless Chromium against the real server (in-process, SQLite file,
//! serving the built app): a teacher creates a class; two students join in separate browser
//! profiles and study in different modes, one of them with the browser offline for a while;
//! the teacher's table shows both rows with the right figures after a reload.

use fantoccini::{Client, ClientBuilder, Locator};
use gentutor_e2e::{dist_dir, start_driver};
use std::time::Duration;

async fn browser(driver_port: u16, profile: &std::path::Path) -> Client {
    let _ = std::fs::create_dir_all(profile);
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1200,900",
                format!("--user-data-dir={}", profile.display()),
            ]
        }),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{driver_port}"))
        .await
        .expect("Chromium session")
}

async fn wait_text(c: &Client, css: &str, pred: impl Fn(&str) -> bool) -> String {
    let mut last = String::new();
    for _ in 0..300 {
        if let Ok(el) = c.find(Locator::Css(css)).await {
            if let Ok(t) = el.text().await {
                if pred(&t) {
                    return t;
                }
                last = t;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("text of `{css}` never satisfied the condition; last: {last:?}");
}

async fn click(c: &Client, css: &str) {
    let el = c
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no {css}: {e}"));
    el.click()
        .await
        .unwrap_or_else(|e| panic!("click {css}: {e}"));
}

async fn type_into(c: &Client, css: &str, text: &str) {
    let el = c
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no {css}: {e}"));
    el.send_keys(text).await.expect("type");
}

/// Pretends the browser is offline (the sender checks `navigator.onLine`) or back online.
async fn set_online(c: &Client, online: bool) {
    c.execute(
        "Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => arguments[0] }); return true;",
        vec![serde_json::json!(online)],
    )
    .await
    .expect("script");
}

#[tokio::test(flavor = "multi_thread")]
async fn teacher_and_two_students() {
    let dist = dist_dir();
    assert!(
        dist.join("index.html").is_file(),
        "build the app first (make dist)"
    );
    let tmp = std::env::temp_dir().join(format!("gentutor-class-e2e-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let db =
        gentutor_server::db::Db::open(&format!("sqlite://{}", tmp.join("db.sqlite").display()))
            .await
            .expect("database");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let app = gentutor_server::api::app(
        gentutor_server::api::AppState {
            db,
            trust_forwarded_for: false,
        },
        Some(dist),
    );
    tokio::spawn(gentutor_server::serve(listener, app));
    let driver = start_driver().await;
    let teacher = browser(driver.port, &tmp.join("teacher")).await;
    let ada = browser(driver.port, &tmp.join("ada")).await;
    let bo = browser(driver.port, &tmp.join("bo")).await;

    // The teacher creates the class.
    teacher
        .goto(&format!("{base}/class/new"))
        .await
        .expect("open");
    type_into(
        &teacher,
        "[data-testid=class-name]",
        "Generative models 101",
    )
    .await;
    click(&teacher, "[data-testid=class-create]").await;
    let code = wait_text(&teacher, "[data-testid=join-code]", |t| t.len() == 8).await;
    let teacher_link = teacher
        .find(Locator::Css("[data-testid=teacher-link]"))
        .await
        .expect("link")
        .attr("href")
        .await
        .expect("href")
        .expect("has href");
    teacher
        .goto(&format!("{base}{teacher_link}"))
        .await
        .expect("teacher page");
    wait_text(&teacher, "[data-testid=class-empty]", |t| {
        t.contains("No analytics yet")
    })
    .await;

    // Ada studies a little before joining (it comes along), joins, then reviews in Spaced.
    ada.goto(&format!("{base}/study/spaced"))
        .await
        .expect("open");
    click(&ada, "[data-testid=review-reveal]").await;
    click(&ada, "[data-testid=rate-3]").await;
    wait_text(&ada, "[data-testid=review-log-count]", |t| t == "1").await;
    ada.goto(&format!("{base}/join/{code}"))
        .await
        .expect("join page");
    type_into(&ada, "[data-testid=join-name]", "Ada").await;
    click(&ada, "[data-testid=join-submit]").await;
    wait_text(&ada, "[data-testid=member-class]", |t| {
        t == "Generative models 101"
    })
    .await;
    ada.goto(&format!("{base}/study/spaced"))
        .await
        .expect("open");
    for n in 2..=3 {
        click(&ada, "[data-testid=review-reveal]").await;
        click(&ada, "[data-testid=rate-3]").await;
        wait_text(&ada, "[data-testid=review-log-count]", |t| {
            t == n.to_string()
        })
        .await;
    }
    ada.goto(&format!("{base}/join/{code}"))
        .await
        .expect("status");
    wait_text(&ada, "[data-testid=sync-status]", |t| {
        t.contains("All your results")
    })
    .await;
    let ada_mastery = wait_text(&ada, "[data-testid=my-mastery]", |t| t.ends_with('%')).await;
    assert_ne!(ada_mastery, "0%", "three reviews give some mastery");

    // Bo joins, then goes offline and answers three Learn questions; they wait in the outbox.
    bo.goto(&format!("{base}/join/{code}"))
        .await
        .expect("join page");
    type_into(&bo, "[data-testid=join-name]", "Bo").await;
    click(&bo, "[data-testid=join-submit]").await;
    wait_text(&bo, "[data-testid=member-class]", |t| !t.is_empty()).await;
    bo.goto(&format!("{base}/study/learn"))
        .await
        .expect("learn");
    set_online(&bo, false).await;
    click(&bo, "[data-testid=learn-start]").await;
    for _ in 0..3 {
        click(&bo, "[data-testid=learn-option-0]").await;
        click(&bo, "[data-testid=learn-continue]").await;
    }
    tokio::time::sleep(Duration::from_millis(3000)).await;
    let queued: usize = bo
        .execute("return JSON.parse(localStorage.getItem('gentutor.class.outbox') || '{\"pending\":[]}').pending.length;", vec![])
        .await
        .expect("script")
        .as_u64()
        .expect("number") as usize;
    assert_eq!(queued, 3, "offline answers stay queued");
    // The queue survives a reload (it is in localStorage) and drains once online.
    bo.refresh().await.expect("reload");
    set_online(&bo, true).await;
    bo.goto(&format!("{base}/join/{code}"))
        .await
        .expect("status");
    wait_text(&bo, "[data-testid=sync-status]", |t| {
        t.contains("All your results")
    })
    .await;

    // The teacher reloads: both rows with the right figures.
    teacher.refresh().await.expect("reload");
    wait_text(&teacher, "[data-testid=class-table]", |t| {
        t.contains("Ada") && t.contains("Bo")
    })
    .await;
    let rows = teacher
        .find_all(Locator::Css("[data-testid=class-row]"))
        .await
        .expect("rows");
    assert_eq!(rows.len(), 2);
    let mut texts = Vec::new();
    let mut masteries = Vec::new();
    for r in rows {
        texts.push(r.text().await.expect("text"));
        let first_cell = r.find(Locator::Css("td")).await.expect("cell");
        masteries.push(first_cell.text().await.expect("text"));
    }
    let ada_index = texts
        .iter()
        .position(|t| t.starts_with("Ada"))
        .expect("Ada's row");
    assert_eq!(
        masteries[ada_index], ada_mastery,
        "the teacher sees the mastery Ada sees in her own browser"
    );
    let ada_row = texts
        .iter()
        .find(|t| t.starts_with("Ada"))
        .expect("Ada's row");
    let bo_row = texts
        .iter()
        .find(|t| t.starts_with("Bo"))
        .expect("Bo's row");
    assert!(ada_row.contains("3 reviews of 3 cards"), "{ada_row}");
    assert!(bo_row.contains("learned"), "{bo_row}");
    assert!(!bo_row.contains("reviews"), "{bo_row}");
    assert!(
        teacher
            .find_all(Locator::Css("[data-testid=class-empty]"))
            .await
            .expect("find")
            .is_empty(),
        "the empty state is gone once students study"
    );
    for c in [teacher, ada, bo] {
        let _ = c.close().await;
    }
    let _ = std::fs::remove_dir_all(&tmp);
}
