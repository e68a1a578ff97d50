//! Frames per second of the demo pages while they train, in headless Chromium (a benchmark,
//! not a test: it prints figures and asserts nothing about them).
//!
//! For each demo with a Play button: open its lesson in a fresh browser, scroll the demo into
//! view, wait until its model is there, then count `requestAnimationFrame` callbacks for
//! `seconds` with the page idle, press Play, let training start, and count them again for the
//! same time. It reports frames per second, frames longer than 50 ms, the longest frame, the
//! main thread's long tasks (PerformanceObserver `longtask`: work that blocked it > 50 ms), the
//! training steps the demo's read-out advanced by, and whether the demo said it trains in a
//! Web Worker. The ratio training fps / idle fps compares the page with itself in one run.
//!
//! Run: `cargo run -p gentutor-e2e --bin fps -- [seconds] [runs] [name-filter]` after
//! `make dist` (default 4 s, 1 run, every demo).

use fantoccini::Locator;
use gentutor_e2e::Session;
use std::time::Duration;

/// One demo to measure.
struct Demo {
    /// Short name (the filter matches it).
    name: &'static str,
    /// Lesson that embeds it.
    path: &'static str,
    /// The demo's `data-testid` (the first one on the page is measured).
    demo: &'static str,
    /// Play button, inside the demo.
    play: &'static str,
    /// Element whose text holds the step count, inside the demo (present once the model is).
    step: &'static str,
}

const DEMOS: &[Demo] = &[
    Demo {
        name: "gan1d",
        path: "/lesson/gan-objective",
        demo: "demo-gan1d",
        play: "gan-play",
        step: "gan-step",
    },
    Demo {
        name: "diffusion-reverse",
        path: "/lesson/diffusion-epsilon",
        demo: "demo-diffusion-reverse",
        play: "rev-train",
        step: "rev-status",
    },
    Demo {
        name: "flow2d",
        path: "/lesson/model-families",
        demo: "demo-flow2d",
        play: "flow-play",
        step: "flow-step",
    },
    Demo {
        name: "density-ratio",
        path: "/lesson/learning-by-comparison",
        demo: "demo-density-ratio",
        play: "ratio-play",
        step: "ratio-readout",
    },
    Demo {
        name: "ssgan",
        path: "/lesson/semi-supervised-gans",
        demo: "demo-ssgan",
        play: "ssgan-play",
        step: "ssgan-readout",
    },
    Demo {
        name: "vae",
        path: "/lesson/model-families",
        demo: "demo-vae",
        play: "vae-play",
        step: "vae-step-count",
    },
    Demo {
        name: "digits-gan",
        path: "/lesson/model-families",
        demo: "demo-digits-gan",
        play: "digits-gan-play",
        step: "digits-gan-step",
    },
    Demo {
        name: "digits-flow",
        path: "/lesson/model-families",
        demo: "demo-digits-flow",
        play: "digits-flow-play",
        step: "digits-flow-step",
    },
    Demo {
        name: "digits-diffusion",
        path: "/lesson/diffusion-reverse",
        demo: "demo-digits-diffusion",
        play: "digits-diffusion-play",
        step: "digits-diffusion-step",
    },
];

/// Counts animation frames for `arguments[0]` ms and collects the main thread's long tasks;
/// calls back with `{ts: [frame timestamps], longs: [long task durations]}`.
const MEASURE_JS: &str = r#"
const ms = arguments[0], done = arguments[arguments.length - 1];
const ts = [], longs = [], loafs = [];
let obs = null, lobs = null;
try {
  obs = new PerformanceObserver((l) => { for (const e of l.getEntries()) longs.push(e.duration); });
  obs.observe({ type: 'longtask' });
} catch (e) { obs = null; }
// Long animation frames (> 50 ms) say where the time went: scripts by what invoked them, and
// style + layout + paint after them.
try {
  lobs = new PerformanceObserver((l) => {
    for (const e of l.getEntries()) {
      const end = e.startTime + e.duration;
      loafs.push({
        duration: e.duration,
        render: e.renderStart ? end - e.renderStart : 0,
        layout: e.styleAndLayoutStart ? end - e.styleAndLayoutStart : 0,
        scripts: e.scripts.map((s) => ({ invoker: s.invokerType + ' ' + s.invoker, duration: s.duration })),
      });
    }
  });
  lobs.observe({ type: 'long-animation-frame' });
} catch (e) { lobs = null; }
const t0 = performance.now();
function frame(t) {
  ts.push(t);
  if (performance.now() - t0 < ms) requestAnimationFrame(frame);
  else {
    if (obs) obs.disconnect();
    if (lobs) lobs.disconnect();
    done({ ts, longs, loafs });
  }
}
requestAnimationFrame(frame);
"#;

/// Frame figures of one measured window.
#[derive(Debug, Clone)]
struct Window {
    fps: f64,
    /// Intervals between frames longer than 50 ms.
    long_frames: usize,
    max_ms: f64,
    p95_ms: f64,
    /// Long tasks (> 50 ms) on the main thread, and their total time.
    long_tasks: usize,
    long_task_ms: f64,
    /// Where the long animation frames' time went (empty if there were none).
    breakdown: String,
}

/// Sums the long animation frames: their time, the part from the start of rendering (rAF
/// callbacks, style, layout, paint), the style + layout part, and script time by invoker.
fn breakdown(v: &serde_json::Value) -> String {
    let Some(loafs) = v.get("loafs").and_then(|a| a.as_array()) else {
        return String::new();
    };
    if loafs.is_empty() {
        return String::new();
    }
    let num = |e: &serde_json::Value, k: &str| e.get(k).and_then(|x| x.as_f64()).unwrap_or(0.0);
    let (mut total, mut render, mut layout) = (0.0, 0.0, 0.0);
    let mut by: std::collections::BTreeMap<String, f64> = Default::default();
    for e in loafs {
        total += num(e, "duration");
        render += num(e, "render");
        layout += num(e, "layout");
        for sc in e
            .get("scripts")
            .and_then(|a| a.as_array())
            .into_iter()
            .flatten()
        {
            let inv = sc.get("invoker").and_then(|x| x.as_str()).unwrap_or("?");
            // Event listeners name the element; keep the kind of invoker.
            let inv = inv
                .split(['#', '['])
                .next()
                .unwrap_or(inv)
                .trim()
                .to_string();
            *by.entry(inv).or_default() += num(sc, "duration");
        }
    }
    let mut by: Vec<_> = by.into_iter().collect();
    by.sort_by(|a, b| b.1.total_cmp(&a.1));
    let scripts: Vec<String> = by
        .iter()
        .take(4)
        .map(|(k, d)| format!("{k} {d:.0} ms"))
        .collect();
    format!(
        "{} long animation frames, {total:.0} ms: rendering phase {render:.0} ms (style+layout {layout:.0} ms); scripts: {}",
        loafs.len(),
        scripts.join(", ")
    )
}

fn numbers(v: &serde_json::Value, key: &str) -> Vec<f64> {
    v.get(key)
        .and_then(|a| a.as_array())
        .map(|a| a.iter().filter_map(|x| x.as_f64()).collect())
        .unwrap_or_default()
}

async fn measure(s: &Session, ms: f64) -> Window {
    let v = s
        .client
        .execute_async(MEASURE_JS, vec![serde_json::json!(ms)])
        .await
        .expect("count animation frames");
    let ts = numbers(&v, "ts");
    let longs = numbers(&v, "longs");
    assert!(ts.len() >= 2, "fewer than two animation frames in {ms} ms");
    let mut d: Vec<f64> = ts.windows(2).map(|w| w[1] - w[0]).collect();
    let span = ts[ts.len() - 1] - ts[0];
    d.sort_by(f64::total_cmp);
    let p95 = d[((d.len() as f64 * 0.95).ceil() as usize).clamp(1, d.len()) - 1];
    Window {
        fps: d.len() as f64 * 1000.0 / span,
        long_frames: d.iter().filter(|&&x| x > 50.0).count(),
        max_ms: d[d.len() - 1],
        p95_ms: p95,
        long_tasks: longs.len(),
        long_task_ms: longs.iter().sum::<f64>() + 0.0,
        breakdown: breakdown(&v),
    }
}

/// The first integer in the demo's step read-out, if any.
async fn step_count(s: &Session, css: &str) -> Option<u64> {
    let text = s
        .client
        .find(Locator::Css(css))
        .await
        .ok()?
        .text()
        .await
        .ok()?;
    let digits: String = text
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(|c| c.is_ascii_digit() || *c == ',')
        .filter(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// Clicks through the DOM (a sticky header may cover the button at the top of the view).
async fn click(s: &Session, css: &str) {
    let js = format!(
        "const b = document.querySelector({css:?}); if (!b) return false; b.click(); return true;"
    );
    let found = s.client.execute(&js, vec![]).await.expect("click");
    assert_eq!(found.as_bool(), Some(true), "no `{css}`");
}

fn fmt(w: &Window) -> String {
    format!(
        "{:.1} fps, p95 {:.1} ms, max {:.0} ms, {} frames > 50 ms, {} long tasks ({:.0} ms)",
        w.fps, w.p95_ms, w.max_ms, w.long_frames, w.long_tasks, w.long_task_ms
    )
}

async fn run_demo(d: &Demo, seconds: f64) {
    let s = Session::start().await;
    s.client
        .goto(&s.url(d.path))
        .await
        .expect("open the lesson");
    let root = format!("[data-testid={}]", d.demo);
    s.wait_for(&root).await;
    let step_css = format!("{root} [data-testid={}]", d.step);
    // The model is there (checkpoint loaded, data parsed) once its read-out shows.
    s.wait_for(&step_css).await;
    let js = format!("document.querySelector({root:?}).scrollIntoView({{block: 'center'}});",);
    s.client.execute(&js, vec![]).await.expect("scroll");
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let ms = seconds * 1000.0;
    let idle = measure(&s, ms).await;
    let play = format!("{root} [data-testid={}]", d.play);
    click(&s, &play).await;
    // Let the worker start (it imports the demos module) before timing.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let before = step_count(&s, &step_css).await;
    let t0 = std::time::Instant::now();
    let busy = measure(&s, ms).await;
    let after = step_count(&s, &step_css).await;
    let elapsed = t0.elapsed().as_secs_f64();
    let in_worker = s
        .client
        .find(Locator::Css(&format!("{root} [data-testid$=in-worker]")))
        .await
        .is_ok();
    click(&s, &play).await;
    let steps = match (before, after) {
        (Some(a), Some(b)) if b >= a => {
            format!("{} steps ({:.0}/s)", b - a, (b - a) as f64 / elapsed)
        }
        _ => "steps: n/a".into(),
    };
    println!("{} ({}):", d.name, d.path);
    println!("  idle:     {}", fmt(&idle));
    println!(
        "  training: {}; {steps}; {}",
        fmt(&busy),
        if in_worker {
            "in a Web Worker"
        } else {
            "on the page (main thread)"
        }
    );
    if !busy.breakdown.is_empty() {
        println!("  where:    {}", busy.breakdown);
    }
    println!("  ratio training/idle fps: {:.2}", busy.fps / idle.fps);
    println!(
        "JSON {}",
        serde_json::json!({
            "demo": d.name,
            "idle_fps": (idle.fps * 10.0).round() / 10.0,
            "train_fps": (busy.fps * 10.0).round() / 10.0,
            "ratio": (busy.fps / idle.fps * 100.0).round() / 100.0,
            "idle_long_frames": idle.long_frames,
            "train_long_frames": busy.long_frames,
            "train_max_frame_ms": busy.max_ms.round(),
            "train_p95_ms": (busy.p95_ms * 10.0).round() / 10.0,
            "train_long_tasks": busy.long_tasks,
            "train_long_task_ms": busy.long_task_ms.round(),
            "steps": after.zip(before).map(|(b, a)| b.saturating_sub(a)),
            "in_worker": in_worker,
        })
    );
    s.close().await;
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let seconds: f64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(4.0);
    let runs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1);
    let filter = args.next().unwrap_or_default();
    for run in 0..runs {
        println!("run {run}, {seconds} s per window");
        for d in DEMOS.iter().filter(|d| d.name.contains(filter.as_str())) {
            run_demo(d, seconds).await;
        }
    }
}
