//! The semi-supervised GAN demo on its lesson page trains in a Web Worker: Play shows the worker
//! badge while the step count moves and the canvas is drawn (the page only draws), a new
//! critic learning rate goes on in the worker and into the link, Pause hands the exact run back
//! (badge gone, the count stops), Step goes on from it, and Reset starts over.

use gentutor_e2e::{wait_until, Session};
use std::time::Duration;

const DEMO: &str = "[data-testid=demo-ssgan]";

/// The step count at the start of the read-out ("step 120 · held-out accuracy ...").
fn step_of(text: &str) -> u64 {
    text.strip_prefix("step ")
        .and_then(|t| t.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(u64::MAX)
}

/// Non-blank pixels of the demo's canvas (neither transparent nor near white or the dark
/// background).
const DRAWN_JS: &str = r#"
const c = document.querySelector('[data-testid=demo-ssgan] canvas');
const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
let n = 0;
for (let i = 0; i < d.length; i += 4) {
  const [r, g, b, a] = [d[i], d[i + 1], d[i + 2], d[i + 3]];
  if (a > 0 && !(r > 245 && g > 245 && b > 245) && !(r < 30 && g < 30 && b < 40)) n++;
}
return n;
"#;

#[tokio::test(flavor = "multi_thread")]
async fn the_ssgan_trains_in_a_worker_and_pause_hands_it_back() {
    let s = Session::start().await;
    let c = &s.client;
    c.goto(&s.url("/lesson/semi-supervised-gans"))
        .await
        .expect("open the lesson");
    let play_css = format!("{DEMO} [data-testid=ssgan-play]");
    let step_css = format!("{DEMO} [data-testid=ssgan-readout]");
    let badge_css = format!("{DEMO} [data-testid=ssgan-in-worker]");
    let valid = |t: &str| step_of(t) != u64::MAX;
    s.wait_text(&step_css, |t| step_of(t) == 0).await;
    s.wait_for(&play_css).await.click().await.expect("play");
    // The run is in the worker and the page's read-out follows it.
    s.wait_for(&badge_css).await;
    let a = step_of(
        &s.wait_text(&step_css, |t| valid(t) && step_of(t) >= 100)
            .await,
    );
    let b = step_of(&s.wait_text(&step_css, |t| valid(t) && step_of(t) > a).await);
    assert!(b > a, "still training: {a} then {b}");
    let drawn: u64 = serde_json::from_value(c.execute(DRAWN_JS, vec![]).await.expect("canvas"))
        .expect("a count");
    assert!(
        drawn > 5000,
        "the canvas is drawn on while the worker trains: {drawn}"
    );
    // A new critic learning rate changes the running model: the run goes back to the worker
    // and the link holds the new rate.
    c.execute(
        "const r = document.querySelector('[data-testid=demo-ssgan] [data-testid=ssgan-lrd]'); r.value = '-2'; r.dispatchEvent(new Event('change'));",
        vec![],
    )
    .await
    .expect("move the learning-rate slider");
    s.wait_text(&play_css, |t| t == "Pause").await;
    s.wait_for(&badge_css).await;
    let hash: String = c
        .execute("return decodeURIComponent(location.hash);", vec![])
        .await
        .expect("the link")
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        hash.contains("lrd=0.01"),
        "the link keeps the new rate: {hash}"
    );
    let c0 = step_of(&s.wait_text(&step_css, valid).await);
    s.wait_text(&step_css, |t| valid(t) && step_of(t) >= c0 + 100)
        .await;
    // Pause hands the run back: the badge goes, the worker is idle and the count stops.
    s.wait_for(&play_css).await.click().await.expect("pause");
    wait_until(
        c,
        "const f = document.querySelector('[data-testid=demo-ssgan]'); return f.dataset.worker === 'idle' && !f.querySelector('[data-testid=ssgan-in-worker]');",
        "the worker hands the run back",
    )
    .await;
    let p1 = step_of(&s.wait_text(&step_css, valid).await);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        step_of(&s.wait_text(&step_css, valid).await),
        p1,
        "paused: no more steps"
    );
    // Step trains one step on the page from the state the worker handed back.
    s.wait_for(&format!("{DEMO} [data-testid=ssgan-step]"))
        .await
        .click()
        .await
        .expect("step");
    s.wait_text(&step_css, |t| step_of(t) == p1 + 1).await;
    // Reset starts over.
    s.wait_for(&format!("{DEMO} [data-testid=ssgan-reset]"))
        .await
        .click()
        .await
        .expect("reset");
    s.wait_text(&step_css, |t| step_of(t) == 0).await;
    assert!(
        !gentutor_e2e::exists(c, &format!("{DEMO} [role=alert]")).await,
        "no error shown"
    );
    s.close().await;
}
