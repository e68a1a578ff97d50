//! Leaving a page at the bad moment must not crash the app (issue 11): a panic in WASM stops the
//! whole page. Each test leaves a page while work it started is still pending (a module load, a
//! timer, an async task, a training loop), waits until that work would have come back, and fails
//! on any sign of a panic: the panic screen (`[data-testid=crash]`, from `crates/web/src/panic.rs`),
//! a `console.error` (the panic hook logs there first), an uncaught error or an unhandled
//! rejection.
//!
//! Navigation is client-side (clicking a link the router intercepts), as a learner's would be:
//! a full reload would throw the pending work away and hide the bug. The error watch lives in
//! `window`, so it also proves that no reload happened.

use gentutor_e2e::{dist_dir, ServeOptions, Session};
use std::time::{Duration, Instant};

/// Records console errors, uncaught errors and unhandled rejections in `window.__gentutorErrors`.
const WATCH_JS: &str = r#"
if (!window.__gentutorWatch) {
  window.__gentutorWatch = true;
  window.__gentutorErrors = [];
  const keep = (kind, x) =>
    window.__gentutorErrors.push(kind + ': ' + String((x && x.stack) || (x && x.message) || x));
  const error = console.error.bind(console);
  console.error = (...args) => { keep('console.error', args.map(String).join(' ')); error(...args); };
  window.addEventListener('error', (e) => keep('uncaught', e.error || e.message));
  window.addEventListener('unhandledrejection', (e) => keep('unhandled rejection', e.reason));
}
"#;

/// Opens `path` with a full load, waits for `ready`, and starts watching for errors.
async fn open_watched(s: &Session, path: &str, ready: &str) {
    s.client.goto(&s.url(path)).await.expect("open the page");
    s.wait_for(ready).await;
    s.client
        .execute(WATCH_JS, vec![])
        .await
        .expect("install the error watch");
}

/// Navigates client-side to `path` by clicking a link, as the router sees a learner's click.
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

/// Fails if the page crashed, logged an error, or was reloaded (which would drop the watch).
async fn assert_no_crash(s: &Session, when: &str) {
    let v = s
        .client
        .execute(
            "const c = document.querySelector('[data-testid=crash]'); \
             return { watch: window.__gentutorWatch === true, \
                      errors: window.__gentutorErrors || [], \
                      crash: c ? c.textContent : null };",
            vec![],
        )
        .await
        .expect("read the error watch");
    assert_eq!(
        v["watch"], true,
        "{when}: the page was reloaded, so the test did not exercise a client-side navigation"
    );
    assert!(
        v["crash"].is_null(),
        "{when}: the panic screen is shown: {}",
        v["crash"]
    );
    assert_eq!(
        v["errors"].as_array().map_or(0, Vec::len),
        0,
        "{when}: errors in the console: {}",
        v["errors"]
    );
}

/// Checks for a crash every 100 ms for `d` (so a test fails as soon as one shows).
async fn watch_for(s: &Session, d: Duration, when: &str) {
    let end = Instant::now() + d;
    while Instant::now() < end {
        assert_no_crash(s, when).await;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_no_crash(s, when).await;
}

/// Leaves the page through the Study link (a client-side navigation) and waits for Study.
async fn leave_for_study(s: &Session, what: &str) {
    s.client
        .find(fantoccini::Locator::Css("[data-testid=nav-study]"))
        .await
        .expect("Study link")
        .click()
        .await
        .unwrap_or_else(|e| panic!("{what}: {e}"));
    s.wait_for("[data-testid=mode-matching]").await;
}

/// True once the page has fetched the demos module's WASM (the module has arrived).
async fn demos_wasm_fetched(s: &Session) -> bool {
    s.client
        .execute(
            "return performance.getEntriesByType('resource').some(e => \
             e.name.includes('gentutor-demos') && e.name.endsWith('_bg.wasm'))",
            vec![],
        )
        .await
        .expect("read resource timings")
        .as_bool()
        .unwrap_or(false)
}

/// How long the test server holds back each file of the demos module (its JS, then its WASM).
const MODULE_DELAY: Duration = Duration::from_millis(2500);

#[tokio::test(flavor = "multi_thread")]
async fn leaving_a_lesson_while_its_demo_loads_does_not_crash() {
    let opts = ServeOptions::default().delay("gentutor-demos-", MODULE_DELAY);
    let s = Session::start_with(dist_dir(), opts).await;
    open_watched(&s, "/", "[data-testid=lesson-card]").await;

    // Open a lesson with a demo; its placeholder starts loading the (slow) demos module.
    s.client
        .find(fantoccini::Locator::Css("a[href='/lesson/gan-objective']"))
        .await
        .expect("link to the GAN lesson")
        .click()
        .await
        .expect("open the lesson");
    s.wait_for("[data-testid=lazy-demo] [data-testid=demo-loading]")
        .await;
    assert!(
        !demos_wasm_fetched(&s).await,
        "the module must still be loading when we leave"
    );

    // Leave while it loads.
    leave_for_study(&s, "leave the lesson").await;
    assert_no_crash(&s, "right after leaving").await;

    // Wait until the module has arrived and the load's continuation has run.
    let t0 = Instant::now();
    while !demos_wasm_fetched(&s).await {
        assert!(
            t0.elapsed() < Duration::from_secs(30),
            "the demos module never arrived"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    watch_for(&s, Duration::from_millis(1500), "after the module arrived").await;

    // The app still works: back on the lesson, the (now loaded) demo mounts.
    click_link_to(&s, "/lesson/gan-objective").await;
    s.wait_for("[data-testid=lazy-demo] [data-testid=demo-gan1d] canvas")
        .await;
    assert_no_crash(&s, "after coming back to the lesson").await;
    s.close().await;
}

/// How long a wrong pair flashes in Matching (`FLASH_MS` in `src/ui/study/matching.rs`).
const FLASH_MS: f64 = 600.0;

#[tokio::test(flavor = "multi_thread")]
async fn leaving_matching_while_a_wrong_pair_flashes_does_not_crash() {
    let s = Session::start().await;
    open_watched(&s, "/study", "[data-testid=mode-matching]").await;
    click_link_to(&s, "/study/matching").await;
    s.wait_for("[data-testid=match-term-0]").await;

    // Pick pairs until one is wrong, then leave at once (within the flash). One script, so no
    // WebDriver round trips sit between the wrong pick and the click on the nav link.
    let r = s
        .client
        .execute(
            r#"
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const q = (id) => document.querySelector(`[data-testid=${id}]`);
return (async () => {
  const n = document.querySelectorAll('[data-testid^=match-term-]').length;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const def = q(`match-def-${j}`);
      if (!def || def.disabled) continue;
      q(`match-term-${i}`).click();
      def.click();
      const picked = performance.now();
      await sleep(20); // let the view apply the pick
      if (q(`match-def-${j}`).classList.contains('wrong')) {
        q('nav-study').click();
        return { left_after_ms: performance.now() - picked };
      }
      if (q(`match-term-${i}`).classList.contains('matched')) break;
    }
  }
  return { left_after_ms: null };
})();
"#,
            vec![],
        )
        .await
        .expect("play Matching");
    let left_after = r["left_after_ms"]
        .as_f64()
        .unwrap_or_else(|| panic!("no wrong pair could be picked: {r}"));
    assert!(
        left_after < FLASH_MS,
        "left {left_after} ms after the wrong pick: too late to test the pending flash timer"
    );
    s.wait_for("[data-testid=mode-matching]").await;
    // The flash timer would have fired by now.
    watch_for(&s, Duration::from_millis(1000), "after the flash timer").await;
    s.close().await;
}

/// Delays every animation frame by `window.__slowFramesMs` and counts the delayed frames still
/// pending in `window.__slowFramesPending`.
const SLOW_FRAMES_JS: &str = r#"
if (!window.__slowFrames) {
  window.__slowFrames = true;
  window.__slowFramesMs = 0;
  window.__slowFramesPending = 0;
  const raf = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (cb) => {
    const ms = window.__slowFramesMs;
    if (ms <= 0) return raf(cb);
    window.__slowFramesPending += 1;
    return setTimeout(() => { window.__slowFramesPending -= 1; raf(cb); }, ms);
  };
}
"#;

/// How long each animation frame is held back while the test leaves /bench.
const SLOW_FRAME: Duration = Duration::from_millis(2500);

#[tokio::test(flavor = "multi_thread")]
async fn leaving_bench_before_its_first_frame_does_not_crash() {
    let s = Session::start().await;
    open_watched(&s, "/", "[data-testid=lesson-card]").await;
    // /bench starts by awaiting an animation frame; holding frames back makes that `await` long
    // enough for the test to leave during it, every time.
    s.client
        .execute(SLOW_FRAMES_JS, vec![])
        .await
        .expect("slow frames");
    s.client
        .execute(
            "window.__slowFramesMs = arguments[0];",
            vec![serde_json::json!(SLOW_FRAME.as_millis() as u64)],
        )
        .await
        .expect("set the frame delay");
    click_link_to(&s, "/bench").await;
    s.wait_for("[data-testid=bench]").await;
    let pending = s
        .client
        .execute(
            "const p = window.__slowFramesPending; \
             document.querySelector('[data-testid=nav-study]').click(); return p;",
            vec![],
        )
        .await
        .expect("leave /bench");
    assert!(
        pending.as_u64().unwrap_or(0) >= 1,
        "left /bench after its first frame had run ({pending}): the bad moment was missed"
    );
    s.wait_for("[data-testid=mode-matching]").await;
    s.client
        .execute("window.__slowFramesMs = 0;", vec![])
        .await
        .expect("normal frames");
    // The held-back frame fires, then the first benchmarks (a few seconds of training) would run
    // before the task reads the canvas.
    watch_for(
        &s,
        SLOW_FRAME + Duration::from_secs(6),
        "after /bench's first frame",
    )
    .await;
    s.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn leaving_bench_mid_run_does_not_crash() {
    let s = Session::start().await;
    open_watched(&s, "/", "[data-testid=lesson-card]").await;
    click_link_to(&s, "/bench").await;
    s.wait_for("[data-testid=bench]").await;
    tokio::time::sleep(Duration::from_millis(1000)).await;
    leave_for_study(&s, "leave /bench").await;
    watch_for(&s, Duration::from_secs(4), "after leaving /bench mid-run").await;
    s.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn leaving_demos_while_they_train_does_not_crash() {
    let s = Session::start().await;
    open_watched(&s, "/", "[data-testid=lesson-card]").await;
    // The GAN trains in a Web Worker (worker reports, a frame loop drawing them); the reverse
    // diffusion demo, the 2D flow and the semi-supervised GAN too.
    for (lesson, play) in [
        ("/lesson/gan-objective", "[data-testid=gan-play]"),
        ("/lesson/model-families", "[data-testid=flow-play]"),
        ("/lesson/diffusion-reverse", "[data-testid=rev-train]"),
        ("/lesson/semi-supervised-gans", "[data-testid=ssgan-play]"),
    ] {
        click_link_to(&s, lesson).await;
        s.wait_for(play)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("press play on {lesson}: {e}"));
        tokio::time::sleep(Duration::from_millis(300)).await;
        leave_for_study(&s, "leave the lesson").await;
        watch_for(
            &s,
            Duration::from_millis(1500),
            &format!("after leaving {lesson}"),
        )
        .await;
    }
    s.close().await;
}

/// The VAE trains in a Web Worker from its checkpoint; leaving while the worker posts its
/// runs back must neither panic nor leave the worker's reports applied to a gone component.
#[tokio::test(flavor = "multi_thread")]
async fn leaving_the_vae_while_its_worker_trains_does_not_crash() {
    let s = Session::start().await;
    open_watched(&s, "/", "[data-testid=lesson-card]").await;
    click_link_to(&s, "/lesson/model-families").await;
    s.wait_text("[data-testid=vae-step-count]", |t| t == "step 20000")
        .await;
    s.wait_for("[data-testid=vae-play]")
        .await
        .click()
        .await
        .expect("press Play");
    s.wait_for("[data-testid=vae-in-worker]").await;
    s.wait_text("[data-testid=vae-step-count]", |t| t != "step 20000")
        .await;
    leave_for_study(&s, "leave the lesson").await;
    watch_for(&s, Duration::from_secs(2), "after leaving the training VAE").await;
    s.close().await;
}

/// Counts the page's live intervals (`window.__liveIntervals`) and animation-frame requests
/// (`window.__frameRequests`), to see what keeps running after a page is left.
const CENSUS_JS: &str = r#"
if (!window.__census) {
  window.__census = true;
  const live = new Set();
  window.__liveIntervals = () => live.size;
  const si = window.setInterval.bind(window), ci = window.clearInterval.bind(window);
  window.setInterval = (...a) => { const id = si(...a); live.add(id); return id; };
  window.clearInterval = (id) => { live.delete(id); ci(id); };
  window.__frameRequests = 0;
  const raf = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (cb) => { window.__frameRequests += 1; return raf(cb); };
}
"#;

async fn live_intervals(s: &Session) -> u64 {
    s.client
        .execute("return window.__liveIntervals()", vec![])
        .await
        .expect("count intervals")
        .as_u64()
        .unwrap_or(u64::MAX)
}

async fn frame_requests(s: &Session) -> u64 {
    s.client
        .execute("return window.__frameRequests", vec![])
        .await
        .expect("count frame requests")
        .as_u64()
        .unwrap_or(u64::MAX)
}

#[tokio::test(flavor = "multi_thread")]
async fn leaving_a_page_stops_its_timers_and_frame_loops() {
    let s = Session::start().await;
    open_watched(&s, "/", "[data-testid=lesson-card]").await;
    s.client
        .execute(CENSUS_JS, vec![])
        .await
        .expect("install the census");

    // Matching's stopwatch is an interval: it must end with the page.
    click_link_to(&s, "/study/matching").await;
    s.wait_for("[data-testid=match-term-0]").await;
    assert!(
        live_intervals(&s).await >= 1,
        "the stopwatch runs while Matching is shown"
    );
    click_link_to(&s, "/study").await;
    s.wait_for("[data-testid=mode-matching]").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        live_intervals(&s).await,
        0,
        "Matching's stopwatch still runs after leaving the page"
    );

    // A training demo draws every animation frame: its loop must end with the lesson.
    click_link_to(&s, "/lesson/gan-objective").await;
    s.wait_for("[data-testid=gan-play]")
        .await
        .click()
        .await
        .expect("press play");
    s.wait_text("[data-testid=gan-step]", |t| {
        t.trim_start_matches("step ")
            .trim()
            .parse::<u64>()
            .is_ok_and(|n| n > 0)
    })
    .await;
    let training = frame_requests(&s).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        frame_requests(&s).await > training,
        "the demo requests frames while it trains"
    );
    click_link_to(&s, "/study").await;
    s.wait_for("[data-testid=mode-matching]").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let left = frame_requests(&s).await;
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let later = frame_requests(&s).await;
    assert!(
        later - left <= 2,
        "{} animation frames requested in the second after leaving the lesson: the demo still runs",
        later - left
    );
    assert_no_crash(&s, "after leaving the pages").await;
    s.close().await;
}
