//! The flow and diffusion demos on their lesson pages, in a real browser.

use fantoccini::Locator;
use gentutor_e2e::Session;

fn number(text: &str) -> f64 {
    text.trim().parse().unwrap_or(f64::NAN)
}

#[tokio::test(flavor = "multi_thread")]
async fn flow_trains_and_its_nll_decreases() {
    let s = Session::start().await;
    let c = &s.client;
    c.goto(&s.url("/lesson/model-families"))
        .await
        .expect("open the lesson");
    let play = s
        .wait_for("[data-testid=demo-flow2d] [data-testid=flow-play]")
        .await;
    let nll0 = number(
        &s.wait_text("[data-testid=flow-nll]", |t| number(t).is_finite())
            .await,
    );
    play.click().await.expect("play");
    s.wait_text("[data-testid=flow-step]", |t| {
        t.trim_start_matches("step ").parse::<u64>().unwrap_or(0) >= 150
    })
    .await;
    c.find(Locator::Css("[data-testid=flow-play]"))
        .await
        .expect("pause")
        .click()
        .await
        .expect("click");
    let nll1 = number(
        &c.find(Locator::Css("[data-testid=flow-nll]"))
            .await
            .expect("nll")
            .text()
            .await
            .expect("t"),
    );
    assert!(
        nll1 < nll0 - 0.2,
        "held-out NLL should fall with training: {nll0} -> {nll1}"
    );
    // The layer slider redraws the warp view without errors.
    c.execute(
        "const r = document.querySelector('[data-testid=flow-stage]'); r.value = '0'; r.dispatchEvent(new Event('input'));",
        vec![],
    )
    .await
    .expect("move the layer slider");
    assert!(c
        .find(Locator::Css("[data-testid=flow-error]"))
        .await
        .is_err());
    s.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn diffusion_t_slider_changes_the_plot_and_sampling_completes() {
    let s = Session::start().await;
    let c = &s.client;
    c.goto(&s.url("/lesson/diffusion-forward"))
        .await
        .expect("open the lesson");
    s.wait_for("[data-testid=fwd-clouds]").await;
    let stats0 = s
        .wait_text("[data-testid=fwd-stats]", |t| t.contains("closed form"))
        .await;
    let png0 = c
        .execute(
            "return document.querySelector('[data-testid=fwd-clouds]').toDataURL();",
            vec![],
        )
        .await
        .expect("canvas");
    c.execute(
        "const r = document.querySelector('[data-testid=fwd-t]'); r.value = '900'; r.dispatchEvent(new Event('input'));",
        vec![],
    )
    .await
    .expect("move t");
    let stats1 = s
        .wait_text("[data-testid=fwd-stats]", |t| t != stats0)
        .await;
    assert!(stats1.contains("iterated"), "{stats1}");
    let png1 = c
        .execute(
            "return document.querySelector('[data-testid=fwd-clouds]').toDataURL();",
            vec![],
        )
        .await
        .expect("canvas");
    assert_ne!(png0, png1, "moving t redraws the point clouds");

    // Reverse process: train briefly, then sample down to x_0 and get a distance readout.
    c.goto(&s.url("/lesson/diffusion-epsilon"))
        .await
        .expect("open the epsilon lesson");
    let train = s.wait_for("[data-testid=rev-train]").await;
    train.click().await.expect("train");
    // Training runs in a Web Worker (measured best on /bench); sampling then runs on the page
    // from the state the worker handed back.
    s.wait_for("[data-testid=demo-diffusion-reverse] [data-testid=trains-in-worker]")
        .await;
    s.wait_text("[data-testid=rev-status]", |t| {
        t.split(' ')
            .next()
            .and_then(|n| n.parse::<u64>().ok())
            .unwrap_or(0)
            >= 200
    })
    .await;
    c.find(Locator::Css("[data-testid=rev-sample]"))
        .await
        .expect("sample")
        .click()
        .await
        .expect("click");
    let done = s
        .wait_text("[data-testid=rev-status]", |t| t.contains("sampling done"))
        .await;
    let d = s
        .wait_text("[data-testid=rev-distance]", |t| {
            t.contains("energy distance")
        })
        .await;
    assert!(done.contains("training steps"), "{done}");
    let value: f64 = d
        .rsplit(' ')
        .next()
        .and_then(|v| v.parse().ok())
        .unwrap_or(f64::NAN);
    assert!(value.is_finite() && value >= 0.0, "{d}");
    assert!(c.find(Locator::Css("#crash")).await.is_err());
    s.close().await;
}

/// The training-step count in the reverse demo's status line ("N training steps · ...").
async fn rev_steps(s: &Session) -> u64 {
    let t = s
        .wait_text("[data-testid=rev-status]", |t| t.contains("training steps"))
        .await;
    t.split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(u64::MAX)
}

/// Issue 18: Sample restarted training that the learner had paused. Sampling now runs to the
/// end and stops; the step count stays where the learner paused it.
#[tokio::test(flavor = "multi_thread")]
async fn sampling_does_not_restart_paused_training() {
    let s = Session::start().await;
    let c = &s.client;
    c.goto(&s.url("/lesson/diffusion-epsilon"))
        .await
        .expect("open the epsilon lesson");
    let train = s.wait_for("[data-testid=rev-train]").await;
    train.click().await.expect("train");
    s.wait_text("[data-testid=rev-status]", |t| {
        t.split(' ')
            .next()
            .and_then(|n| n.parse::<u64>().ok())
            .unwrap_or(0)
            >= 100
    })
    .await;
    train.click().await.expect("pause");
    s.wait_text("[data-testid=rev-train]", |t| t == "Train")
        .await;
    // The worker's final state is back once the demo says so.
    s.wait_for("[data-testid=demo-diffusion-reverse][data-worker=idle]")
        .await;
    let paused_at = rev_steps(&s).await;
    c.find(Locator::Css("[data-testid=rev-sample]"))
        .await
        .expect("sample")
        .click()
        .await
        .expect("click");
    s.wait_text("[data-testid=rev-status]", |t| t.contains("sampling done"))
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert_eq!(
        rev_steps(&s).await,
        paused_at,
        "sampling restarted training"
    );
    s.wait_text("[data-testid=rev-train]", |t| t == "Train")
        .await;
    s.close().await;
}
