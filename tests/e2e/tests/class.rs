//! A class end to end in headless Chromium against the real server (in-process, SQLite file,
//! serving the built app): a teacher creates a class; two students join in separate browser
//! profiles and study in different modes, one of them with the browser offline for a while;
//! the teacher's table shows both rows with the right figures after a reload.

use fantoccini::Locator;
use gentutor_e2e::class::{queued, set_online, ClassServer};
use gentutor_e2e::{browser, click, start_driver, type_into, wait_text, wait_until};
use std::time::Duration;

#[tokio::test(flavor = "multi_thread")]
async fn teacher_and_two_students() {
    let server = ClassServer::start("class").await;
    let base = server.base.clone();
    let driver = start_driver().await;
    let teacher = browser(driver.port, &server.profile("teacher"), &[]).await;
    let ada = browser(driver.port, &server.profile("ada"), &[]).await;
    let bo = browser(driver.port, &server.profile("bo"), &[]).await;

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
    server.join(&ada, &code, "Ada").await;
    assert_eq!(
        wait_text(&ada, "[data-testid=member-class]", |t| !t.is_empty()).await,
        "Generative models 101"
    );
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
    server.wait_all_sent(&ada, &code).await;
    let ada_mastery = wait_text(&ada, "[data-testid=my-mastery]", |t| t.ends_with('%')).await;
    assert_ne!(ada_mastery, "0%", "three reviews give some mastery");

    // Bo joins, then goes offline and answers three Learn questions; they wait in the outbox.
    server.join(&bo, &code, "Bo").await;
    bo.goto(&format!("{base}/study/learn"))
        .await
        .expect("learn");
    set_online(&bo, false).await;
    click(&bo, "[data-testid=learn-start]").await;
    for _ in 0..3 {
        click(&bo, "[data-testid=learn-option-0]").await;
        click(&bo, "[data-testid=learn-continue]").await;
    }
    // Wait for the three to be queued (however slow the machine), then give the sender (it
    // looks every 3 s at most) time to try: nothing leaves while offline.
    wait_until(
        &bo,
        "return JSON.parse(localStorage.getItem('gentutor.class.outbox') || '{\"pending\":[]}').pending.length === 3;",
        "three offline answers queued",
    )
    .await;
    tokio::time::sleep(Duration::from_millis(3500)).await;
    assert_eq!(queued(&bo).await, 3, "offline answers stay queued");
    // The queue survives a reload (it is in localStorage) and drains once online.
    bo.refresh().await.expect("reload");
    set_online(&bo, true).await;
    server.wait_all_sent(&bo, &code).await;

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
}
