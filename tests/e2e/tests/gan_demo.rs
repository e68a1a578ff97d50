//! The 1D GAN demo on its lesson page: press play, watch it train and the mode coverage change;
//! a shared link restores the settings.

use fantoccini::Locator;
use gentutor_e2e::Session;

fn step_of(text: &str) -> u64 {
    text.trim_start_matches("step ").trim().parse().unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread")]
async fn play_trains_and_coverage_changes() {
    let s = Session::start().await;
    let c = &s.client;
    c.goto(&s.url("/lesson/gan-objective"))
        .await
        .expect("open the lesson");
    let play = s
        .wait_for("[data-testid=demo-gan1d] [data-testid=gan-play]")
        .await;
    let first_step = s
        .wait_text("[data-testid=gan-step]", |t| t.starts_with("step"))
        .await;
    assert_eq!(step_of(&first_step), 0, "nothing trains before play");
    let coverage0 = s
        .wait_text("[data-testid=gan-coverage]", |t| t.contains('/'))
        .await;

    play.click().await.expect("press play");
    // Training runs in a Web Worker; the page says so while it does.
    s.wait_for("[data-testid=demo-gan1d] [data-testid=trains-in-worker]")
        .await;
    s.wait_text("[data-testid=gan-step]", |t| step_of(t) >= 50)
        .await;
    // Mode coverage moves as the generator spreads out over the 8 modes.
    let coverage1 = s
        .wait_text("[data-testid=gan-coverage]", |t| t != coverage0)
        .await;
    assert!(coverage1.ends_with("/8"), "{coverage1}");
    // The speed slider reaches the worker: at 1 step per frame, about 60 steps a second. The
    // setting takes a moment to arrive on a busy machine, so 1 s windows are measured until one
    // is that slow (at most 15).
    c.execute(
        "const s = document.querySelector('[data-testid=gan-steps-per-frame]'); s.value = '1'; s.dispatchEvent(new Event('input'));",
        vec![],
    )
    .await
    .expect("slow down");
    let read_step = || async {
        step_of(
            &c.find(Locator::Css("[data-testid=gan-step]"))
                .await
                .expect("step")
                .text()
                .await
                .expect("t"),
        )
    };
    let mut per_second = Vec::new();
    for _ in 0..15 {
        let before = read_step().await;
        tokio::time::sleep(std::time::Duration::from_millis(1000)).await;
        let after = read_step().await;
        per_second.push(after.saturating_sub(before));
        if after > before && after - before < 200 {
            break;
        }
    }
    let last = per_second.last().copied().unwrap_or(0);
    assert!(
        last > 0 && last < 200,
        "1 step per frame trains about 60 steps/s, not {per_second:?} a second"
    );
    c.find(Locator::Css("[data-testid=gan-play]"))
        .await
        .expect("pause")
        .click()
        .await
        .expect("click");
    // The worker hands the final state back a moment after the pause; the demo says when.
    s.wait_for("[data-testid=demo-gan1d][data-worker=idle]")
        .await;
    let paused = read_step().await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let later = read_step().await;
    assert_eq!(paused, later, "pause stops training");
    // The run came back to the page intact: Step trains exactly one more step here.
    c.find(Locator::Css("[data-testid=gan-step-button]"))
        .await
        .expect("step button")
        .click()
        .await
        .expect("click");
    s.wait_text("[data-testid=gan-step]", |t| step_of(t) == paused + 1)
        .await;
    assert!(
        c.find(Locator::Css("[data-testid=gan-error]"))
            .await
            .is_err(),
        "no error shown"
    );

    // The URL holds the settings: change the preset, reload, and it is restored.
    c.execute(
        "const s = document.querySelector('[data-testid=gan-preset]'); s.value = 'fixed-ns-k5'; s.dispatchEvent(new Event('change'));",
        vec![],
    )
    .await
    .expect("pick a preset");
    s.wait_text("[data-testid=gan-k]", |_| true).await;
    let url = c.current_url().await.expect("url");
    assert!(
        url.fragment().unwrap_or("").contains("kd=5"),
        "hash holds k = 5: {url}"
    );
    c.refresh().await.expect("reload");
    s.wait_for("[data-testid=gan-k]").await;
    let k = c
        .execute(
            "return document.querySelector('[data-testid=gan-k]').value;",
            vec![],
        )
        .await
        .expect("read k");
    assert_eq!(k.as_str(), Some("5"), "k restored from the link");

    // A garbage hash gives a message, not a crash.
    let id = c
        .execute(
            "return document.querySelector('[data-testid=demo-gan1d]').id;",
            vec![],
        )
        .await
        .expect("demo id");
    let id = id.as_str().expect("the demo has an id").to_string();
    c.goto(&s.url(&format!("/lesson/gan-objective#{id}:k=banana")))
        .await
        .expect("open with a bad hash");
    c.refresh().await.expect("reload");
    let msg = s
        .wait_text("[data-testid=gan-error]", |t| !t.is_empty())
        .await;
    assert!(msg.contains("could not be used"), "{msg}");
    assert!(c.find(Locator::Css("#crash")).await.is_err());
    s.close().await;
}

/// A run that diverges inside the Web Worker stops with the model's message and a Reset that
/// starts over, and the page stays usable.
#[tokio::test(flavor = "multi_thread")]
async fn divergence_in_the_worker_is_explained_and_reset_recovers() {
    let s = Session::start().await;
    let c = &s.client;
    c.goto(&s.url("/lesson/gan-objective"))
        .await
        .expect("open the lesson");
    let demo = s.wait_for("[data-testid=demo-gan1d]").await;
    let id = demo
        .attr("id")
        .await
        .expect("attr")
        .expect("the demo has an id");
    // Plain SGD at learning rate 1 explodes within a step or two.
    c.goto(&s.url(&format!(
        "/lesson/gan-objective#{id}:lrg=1&lrd=1&opt=sgd&seed=1"
    )))
    .await
    .expect("open the link");
    c.refresh().await.expect("reload with the hash");
    s.wait_for("[data-testid=demo-gan1d] [data-testid=gan-play]")
        .await
        .click()
        .await
        .expect("play");
    let msg = s
        .wait_text("[data-testid=gan-error] p", |t| t.contains("diverged"))
        .await;
    assert!(msg.contains("Lower the learning rates"), "{msg}");
    assert!(
        c.find(Locator::Css("[data-testid=trains-in-worker]"))
            .await
            .is_err(),
        "the worker run has ended"
    );
    c.find(Locator::Css("[data-testid=gan-error] button"))
        .await
        .expect("reset button")
        .click()
        .await
        .expect("reset");
    s.wait_text("[data-testid=gan-step]", |t| t == "step 0")
        .await;
    assert!(c
        .find(Locator::Css("[data-testid=gan-error]"))
        .await
        .is_err());
    assert!(c.find(Locator::Css("#crash")).await.is_err(), "no crash");
    s.close().await;
}
