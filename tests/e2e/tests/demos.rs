//! The flow and diffusion demos on their lesson pages, in a real browser.

use fantoccini::Locator;
use gentutor_e2e::{wait_until, Session};
use std::time::Duration;

fn number(text: &str) -> f64 {
    text.trim().parse().unwrap_or(f64::NAN)
}

const FLOW: &str = "[data-testid=demo-flow2d]";

fn step_of(text: &str) -> u64 {
    text.trim_start_matches("step ")
        .trim()
        .parse()
        .unwrap_or(u64::MAX)
}

/// The 2D flow trains in a Web Worker: Play shows the worker badge while the step count and the
/// held-out NLL move (the page only draws), a new learning rate goes on in the worker and into
/// the link, Pause hands the exact run back (badge gone, the count stops), Step goes on from it,
/// the layer slider redraws, and Reset starts over.
#[tokio::test(flavor = "multi_thread")]
async fn flow_trains_in_a_worker_and_its_nll_decreases() {
    let s = Session::start().await;
    let c = &s.client;
    c.goto(&s.url("/lesson/model-families"))
        .await
        .expect("open the lesson");
    let play_css = format!("{FLOW} [data-testid=flow-play]");
    let step_css = format!("{FLOW} [data-testid=flow-step]");
    let nll_css = format!("{FLOW} [data-testid=flow-nll]");
    let badge_css = format!("{FLOW} [data-testid=flow-in-worker]");
    let play = s.wait_for(&play_css).await;
    let nll0 = number(&s.wait_text(&nll_css, |t| number(t).is_finite()).await);
    assert_eq!(step_of(&s.wait_text(&step_css, |_| true).await), 0);
    play.click().await.expect("play");
    // The run is in the worker and the page's read-outs follow it.
    s.wait_for(&badge_css).await;
    let a = step_of(
        &s.wait_text(&step_css, |t| step_of(t) >= 50 && step_of(t) != u64::MAX)
            .await,
    );
    let b = step_of(
        &s.wait_text(&step_css, |t| step_of(t) > a && step_of(t) != u64::MAX)
            .await,
    );
    assert!(b > a, "still training: {a} then {b}");
    // The held-out NLL falls with training at the default rate (measured here, before the
    // rate changes, so how far the run gets at each rate does not depend on machine speed).
    s.wait_text(&nll_css, |t| number(t) < nll0 - 0.2).await;
    // The learning rate changes the running flow: the run goes back to the worker and the link
    // holds the new rate.
    c.execute(
        "const r = document.querySelector('[data-testid=demo-flow2d] [data-testid=flow-lr]'); r.value = '-2'; r.dispatchEvent(new Event('change'));",
        vec![],
    )
    .await
    .expect("move the learning-rate slider");
    // The run goes on (Pause stays) after the new rate.
    s.wait_text(&play_css, |t| t == "Pause").await;
    s.wait_for(&badge_css).await;
    let href: String = c
        .execute("return location.hash;", vec![])
        .await
        .expect("the link")
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        href.contains("lr=0.01"),
        "the link keeps the new rate: {href}"
    );
    let c0 = step_of(&s.wait_text(&step_css, |t| step_of(t) != u64::MAX).await);
    s.wait_text(&step_css, |t| {
        step_of(t) >= c0 + 100 && step_of(t) != u64::MAX
    })
    .await;
    // Pause hands the run back: the badge goes, the worker is idle and the count stops.
    s.wait_for(&play_css).await.click().await.expect("pause");
    wait_until(
        c,
        "const f = document.querySelector('[data-testid=demo-flow2d]'); return f.dataset.worker === 'idle' && !f.querySelector('[data-testid=flow-in-worker]');",
        "the worker hands the flow's run back",
    )
    .await;
    let p1 = s.wait_text(&step_css, |_| true).await;
    let nll1 = number(&s.wait_text(&nll_css, |_| true).await);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        s.wait_text(&step_css, |_| true).await,
        p1,
        "paused: no more steps"
    );
    // At the new rate the run stays finite (how many steps it took depends on the machine).
    assert!(nll1.is_finite(), "NLL after the rate change: {nll1}");
    assert!(
        c.find(Locator::Css(&format!("{FLOW} [data-testid=flow-error]")))
            .await
            .is_err(),
        "no training error after the rate change"
    );
    // Step trains one step on the page from the state the worker handed back.
    s.wait_for(&format!("{FLOW} [data-testid=flow-step-button]"))
        .await
        .click()
        .await
        .expect("step");
    s.wait_text(&step_css, |t| step_of(t) == step_of(&p1) + 1)
        .await;
    // The layer slider redraws the warp view without errors.
    c.execute(
        "const r = document.querySelector('[data-testid=flow-stage]'); r.value = '0'; r.dispatchEvent(new Event('input'));",
        vec![],
    )
    .await
    .expect("move the layer slider");
    // Reset starts over at step 0 with the same settings.
    s.wait_for(&format!("{FLOW} [data-testid=flow-reset]"))
        .await
        .click()
        .await
        .expect("reset");
    s.wait_text(&step_css, |t| step_of(t) == 0).await;
    assert!(c
        .find(Locator::Css("[data-testid=flow-error]"))
        .await
        .is_err());
    assert!(!gentutor_e2e::exists(c, &format!("{FLOW} [role=alert]")).await);
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
