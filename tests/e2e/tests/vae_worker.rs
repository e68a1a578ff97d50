//! The VAE demo on its lesson page trains in a Web Worker (issue 14): it starts from the shipped
//! checkpoint (a trained latent plane at once), Play hands the run to the worker, the step and
//! the held-out ELBO read-out move while the page only draws, Pause hands the exact run back
//! (the count stops) and Step goes on from it. Leaving the page mid-training is covered in
//! `unmount.rs`.

use gentutor_e2e::{wait_until, Session};
use std::time::Duration;

const DEMO: &str = "[data-testid=demo-vae]";

fn step_of(text: &str) -> u64 {
    text.trim_start_matches("step ")
        .trim()
        .parse()
        .unwrap_or(u64::MAX)
}

async fn text(s: &Session, css: &str) -> String {
    s.wait_for(css).await.text().await.unwrap_or_default()
}

/// Non-blank pixels (neither transparent nor near the plots' white or dark background) of
/// each canvas in the VAE demo.
const DRAWN_JS: &str = r#"
return [...document.querySelectorAll('[data-testid=demo-vae] canvas')].map((c) => {
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 0; i < d.length; i += 4) {
    const [r, g, b, a] = [d[i], d[i + 1], d[i + 2], d[i + 3]];
    if (a > 0 && !(r > 245 && g > 245 && b > 245) && !(r < 30 && g < 30 && b < 40)) n++;
  }
  return n;
});
"#;

#[tokio::test(flavor = "multi_thread")]
async fn the_vae_trains_in_a_worker_with_a_moving_read_out() {
    let s = Session::start().await;
    let c = &s.client;
    c.goto(&s.url("/lesson/model-families"))
        .await
        .expect("open the lesson");
    let step_css = format!("{DEMO} [data-testid=vae-step-count]");
    let elbo_css = format!("{DEMO} [data-testid=vae-elbo]");
    // The shipped checkpoint: 20,000 steps, a trained ELBO, no training yet.
    s.wait_text(&step_css, |t| t == "step 20000").await;
    let readout = text(&s, &format!("{DEMO} .demo-readout")).await;
    assert!(readout.contains("from the shipped checkpoint"), "{readout}");
    let elbo0 = text(&s, &elbo_css).await;
    let e0: f64 = elbo0.parse().expect("an ELBO");
    assert!(e0 > -26.0 && e0 < -22.0, "the checkpoint's ELBO {e0}");
    s.wait_for(&format!("{DEMO} [data-testid=vae-play]"))
        .await
        .click()
        .await
        .expect("press Play");
    // The run is in the worker, and the page's read-out follows it.
    s.wait_for(&format!("{DEMO} [data-testid=vae-in-worker]"))
        .await;
    s.wait_text(&step_css, |t| {
        step_of(t) >= 20_300 && step_of(t) != u64::MAX
    })
    .await;
    let elbo1 = s.wait_text(&elbo_css, |t| t != elbo0).await;
    assert!(
        elbo1.parse::<f64>().is_ok_and(f64::is_finite),
        "the ELBO read-out moved to a number: {elbo1}"
    );
    // The worker keeps going while the page only draws.
    // (waits for the next report rather than a fixed time: a loaded machine may be slow)
    let a = step_of(&text(&s, &step_css).await);
    let b = step_of(
        &s.wait_text(&step_css, |t| step_of(t) > a && step_of(t) != u64::MAX)
            .await,
    );
    assert!(b > a, "still training: {a} then {b}");
    let drawn = c
        .execute(DRAWN_JS, vec![])
        .await
        .expect("read the canvases");
    let drawn: Vec<u64> = serde_json::from_value(drawn).expect("counts");
    assert_eq!(drawn.len(), 4, "four canvases");
    assert!(
        drawn.iter().all(|&n| n > 500),
        "every canvas is drawn on: {drawn:?}"
    );
    // Pause hands the run back: the badge goes and the count stops.
    s.wait_for(&format!("{DEMO} [data-testid=vae-play]"))
        .await
        .click()
        .await
        .expect("press Pause");
    wait_until(
        c,
        "return !document.querySelector('[data-testid=demo-vae] [data-testid=vae-in-worker]')",
        "the worker hands the run back",
    )
    .await;
    let p1 = text(&s, &step_css).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(text(&s, &step_css).await, p1, "paused: no more steps");
    // Step trains one step on the page from the state the worker handed back.
    s.wait_for(&format!("{DEMO} [data-testid=vae-step]"))
        .await
        .click()
        .await
        .expect("press Step");
    s.wait_text(&step_css, |t| step_of(t) == step_of(&p1) + 1)
        .await;
    assert!(
        !gentutor_e2e::exists(c, &format!("{DEMO} [role=alert]")).await,
        "no error shown"
    );
    s.close().await;
}
