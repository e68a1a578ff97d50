//! `/bench`: in-browser benchmarks of the demos, on the reference configurations of
//! `BENCHMARKS.md`. Results are shown on the page and exposed to scripts as
//! `window.gentutorBenchResult` (JSON), which `tests/e2e/src/bin/bench_page.rs` reads.
//!
//! Besides steps per second it measures how training and drawing share the main thread, to
//! choose between the two ways of training without freezing the page (issue: reverse diffusion):
//! - time-sliced, a fixed number of steps per animation frame (what the demos did first);
//! - time-sliced within a per-frame time budget ([`train_within_budget`]);
//! - a Web Worker that imports this same demos module and trains while the main thread only draws.

use super::diffusion::Reverse;
use super::shared::{draw_on_canvas, page_theme, Live};
use super::worker::{spawn_module_worker, TrainingWorker};
use gentutor_models::bench::suite as bench_suite;
use gentutor_models::bench::{bench_steps, train_within_budget, FrameStats};
use gentutor_models::diffusion::config::LossKind;
use gentutor_models::diffusion::{Denoiser, DiffusionConfig};
use gentutor_models::flow2d::{self, Flow2d};
use gentutor_models::gan1d::{Gan1d, Preset};
use gentutor_plot::gan1d::draw_gan1d;
use leptos::html::Canvas;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Frames timed for each frames-per-second figure.
const FRAMES: usize = 120;
/// Training steps per frame of the GAN figure (the target: 60 fps with at least 10).
const GAN_STEPS_PER_FRAME: usize = 10;
/// Steps per frame of the reverse-diffusion demo in fixed mode.
const DENOISER_STEPS_PER_FRAME: usize = 10;
/// Per-frame training budget of the time-sliced-with-budget mode, in ms.
pub const FRAME_BUDGET_MS: f64 = 8.0;
/// How long the worker trains, in ms.
const WORKER_MS: f64 = 3000.0;

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}

fn publish(json: &str) {
    if let Some(w) = web_sys::window() {
        let _ = js_sys::Reflect::set(&w, &"gentutorBenchResult".into(), &json.into());
    }
}

/// Resolves at the next animation frame with its timestamp.
async fn next_frame() -> f64 {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.request_animation_frame(&resolve);
        }
    });
    JsFuture::from(p)
        .await
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or_else(now_ms)
}

/// Runs `work` once per animation frame for [`FRAMES`] frames and times the frames.
async fn time_frames(mut work: impl FnMut()) -> Option<FrameStats> {
    let mut ts = Vec::with_capacity(FRAMES + 1);
    ts.push(next_frame().await);
    for _ in 0..FRAMES {
        work();
        ts.push(next_frame().await);
    }
    FrameStats::from_timestamps(&ts)
}

const WORKER_JS: &str = "self.onmessage = async (e) => {
  try {
    const m = await import(new URL(location.hash.slice(1)).href);
    await m.default();
    self.postMessage(m.worker_train_denoiser(e.data.ms));
  } catch (err) { self.postMessage('error: ' + err); }
};";

/// Starts a module worker that imports the demos module and trains the default denoiser for
/// `ms`; resolves with its steps per second (the worker's `worker_train_denoiser`).
fn start_worker(ms: f64) -> Result<js_sys::Promise, String> {
    let worker = spawn_module_worker(WORKER_JS)?;
    let w2 = worker.clone();
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let w3 = w2.clone();
        let on_msg = Closure::once_into_js(move |e: web_sys::MessageEvent| {
            let _ = resolve.call1(&JsValue::NULL, &e.data());
            w3.terminate();
        });
        w2.set_onmessage(Some(on_msg.unchecked_ref()));
    });
    let msg = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&msg, &"ms".into(), &ms.into());
    worker
        .post_message(&msg)
        .map_err(|_| "could not message the worker")?;
    Ok(promise)
}

fn fmt_stats(s: &Option<FrameStats>) -> String {
    match s {
        Some(s) => format!(
            "{:.1} fps; frame {:.1} ms mean, {:.1} ms p95",
            s.fps, s.mean_ms, s.p95_ms
        ),
        None => "n/a".into(),
    }
}

fn json_stats(name: &str, s: &Option<FrameStats>) -> String {
    let (fps, mean, p95) = s.map_or((f64::NAN, f64::NAN, f64::NAN), |s| {
        (s.fps, s.mean_ms, s.p95_ms)
    });
    // JSON has no NaN: write null.
    let num = |v: f64| {
        if v.is_finite() {
            format!("{v:.1}")
        } else {
            "null".into()
        }
    };
    format!(
        "\"{name}_fps\":{},\"{name}_frame_ms\":{},\"{name}_frame_p95_ms\":{}",
        num(fps),
        num(mean),
        num(p95)
    )
}

/// The benchmark page.
#[component]
pub fn Bench() -> impl IntoView {
    if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
        doc.set_title("Benchmarks · gentutor");
    }
    let status = RwSignal::new("Running: training steps without drawing…".to_string());
    let lines = RwSignal::new(Vec::<(String, String, &'static str)>::new());
    let canvas = NodeRef::<Canvas>::new();
    let add = move |label: String, value: String, id: &'static str| {
        lines.try_update(|l| l.push((label, value, id)));
    };

    // Leaving /bench mid-run cancels the task: nothing after an `await` reads disposed signals.
    gentutor_web::scoped::spawn(async move {
        next_frame().await; // the page is visible while it works
        let mut json = Vec::new();

        // 1. Steps per second without drawing, reference configurations.
        let mut gan = Gan1d::from_preset(Preset::Default);
        let gan_sps = bench_steps(|n| gan.step(n), 50, 500, now_ms)
            .map(|r| r.steps_per_sec)
            .unwrap_or(f64::NAN);
        add(
            "1D GAN training steps/s (no drawing)".into(),
            format!("{gan_sps:.0}"),
            "bench-steps",
        );
        let flow = Flow2d::from_config(flow2d::Config::default())
            .ok()
            .and_then(|mut f| flow2d::bench_flow(&mut f, 20, 200, now_ms).ok())
            .map_or(f64::NAN, |r| r.steps_per_sec);
        add(
            "2D flow training steps/s".into(),
            format!("{flow:.0}"),
            "bench-flow",
        );
        let denoise = Denoiser::new(&DiffusionConfig::default(), 1)
            .ok()
            .and_then(|mut d| bench_steps(|n| d.step(n), 20, 200, now_ms).ok())
            .map_or(f64::NAN, |r| r.steps_per_sec);
        add(
            "Diffusion denoiser training steps/s".into(),
            format!("{denoise:.0}"),
            "bench-denoiser",
        );
        json.push(format!(
            "\"gan1d_steps_per_s\":{gan_sps:.1},\"steps_per_frame\":{GAN_STEPS_PER_FRAME},\"flow2d_steps_per_s\":{flow:.1},\"denoiser_steps_per_s\":{denoise:.1}"
        ));
        // The digit models (issue 14) and the theory demos (issue 15): the same code and
        // settings as the native `examples/bench_parity.rs` (`gentutor_models::bench::suite`),
        // so BENCHMARKS.md can set the two side by side. The GAN's coverage uses the shipped
        // classifier (the native run trains the same network).
        status.try_set("Running: the digit models and the theory demos…".into());
        let inputs = match super::vae::fetch_digits().await {
            Ok(d) => super::checkpoints::classifier().await.map(|c| (d, c)),
            Err(e) => Err(e.to_string()),
        };
        let mut suite = Vec::new();
        match inputs {
            Ok((data, classifier)) => {
                for job in bench_suite::Job::ALL {
                    status.try_set(format!("Running: {}…", job.name()));
                    next_frame().await; // the status shows; each job blocks for a few seconds
                    match bench_suite::run(job, &data, &classifier, &mut now_ms) {
                        Ok(figs) => {
                            for f in &figs {
                                add(
                                    f.label.into(),
                                    format!("{:.2} {}", f.value, f.unit),
                                    "bench-suite",
                                );
                            }
                            suite.extend(figs);
                        }
                        Err(e) => add(job.name().into(), format!("failed: {e}"), "bench-suite"),
                    }
                }
            }
            Err(e) => add(
                "Digit models".into(),
                format!("not measured: {e}"),
                "bench-suite",
            ),
        }
        json.push(format!("\"suite\":{}", bench_suite::to_json(&suite)));

        // 2. The GAN demo's frame: 10 steps and a full redraw.
        status.try_set(format!("Running: {FRAMES} frames of the GAN demo…"));
        let Some(c) = canvas.get_untracked() else {
            status.try_set("Benchmark failed: no canvas".into());
            return;
        };
        let mut gan = Gan1d::from_preset(Preset::Default);
        let gan_frames = time_frames(|| {
            let _ = gan.step(GAN_STEPS_PER_FRAME);
            let _ = draw_on_canvas(&c, |a| draw_gan1d(a, &gan.view(), &page_theme()));
        })
        .await;
        add(
            format!("GAN demo, {GAN_STEPS_PER_FRAME} steps + redraw per frame"),
            fmt_stats(&gan_frames),
            "bench-fps",
        );
        json.push(json_stats("gan1d", &gan_frames));
        json.push(format!(
            "\"gan1d_fps_with_plot\":{:.1}",
            gan_frames.map_or(0.0, |s| s.fps)
        ));

        // 2b. The same demo with training in a Web Worker (what the demo does when it can):
        // the page only decodes the newest state and redraws.
        status.try_set(format!(
            "Running: {FRAMES} frames of the GAN demo, training in a worker…"
        ));
        // Asked for 10 steps per frame (the target), then 20 (to find the worker's ceiling).
        for ask in [GAN_STEPS_PER_FRAME, 2 * GAN_STEPS_PER_FRAME] {
            let latest = std::rc::Rc::new(std::cell::RefCell::new(None::<Vec<u8>>));
            let sink = latest.clone();
            let gan_worker = TrainingWorker::spawn(move |r| {
                if let Some(s) = r.state {
                    *sink.borrow_mut() = Some(s);
                }
            })
            .and_then(|w| {
                let g = Gan1d::from_preset(Preset::Default);
                w.run("gan1d", &g.to_bytes(), ask, 1).map(|_| w)
            });
            let worker = match gan_worker {
                Ok(w) => w,
                Err(e) => {
                    add(
                        "GAN demo in a Web Worker".into(),
                        format!("not measured: {e}"),
                        "bench-gan-worker",
                    );
                    break;
                }
            };
            // Wait (at most ~5 s) for the worker's first report.
            for _ in 0..300 {
                if latest.borrow().is_some() {
                    break;
                }
                next_frame().await;
            }
            let mut shown: Option<Gan1d> = None;
            let (mut first, mut last, mut seen) = (None::<u64>, 0u64, 0usize);
            let frames = time_frames(|| {
                if let Some(b) = latest.borrow_mut().take() {
                    if let Ok(g) = Gan1d::from_bytes(&b) {
                        first.get_or_insert(g.step_count());
                        last = g.step_count();
                        shown = Some(g);
                    }
                }
                if let Some(g) = &shown {
                    seen += 1;
                    let _ = draw_on_canvas(&c, |a| draw_gan1d(a, &g.view(), &page_theme()));
                }
            })
            .await;
            drop(worker);
            // Steps the worker delivered per displayed frame, over the frames that showed one.
            let per_frame = if seen > 1 {
                (last - first.unwrap_or(last)) as f64 / (seen - 1) as f64
            } else {
                f64::NAN
            };
            add(
                format!("GAN demo, training in a Web Worker (asked {ask} steps per frame), page redraws"),
                format!("{} · {per_frame:.1} training steps per frame", fmt_stats(&frames)),
                if ask == GAN_STEPS_PER_FRAME { "bench-gan-worker" } else { "bench-gan-worker-max" },
            );
            let name = format!("gan1d_worker{ask}");
            json.push(json_stats(&name, &frames));
            json.push(if per_frame.is_finite() {
                format!("\"{name}_steps_per_frame\":{per_frame:.1}")
            } else {
                format!("\"{name}_steps_per_frame\":null")
            });
        }

        // 3. Reverse diffusion: three ways to train while drawing.
        status.try_set("Running: reverse diffusion, time-sliced…".into());
        let mut fixed_steps = 0usize;
        let mut rev = Reverse::new(LossKind::Simple).ok();
        let t0 = now_ms();
        let fixed = time_frames(|| {
            if let Some(r) = rev.as_mut() {
                if r.train(DENOISER_STEPS_PER_FRAME).is_ok() {
                    fixed_steps += DENOISER_STEPS_PER_FRAME;
                }
                let _ = r.draw(&c);
            }
        })
        .await;
        let fixed_sps = fixed_steps as f64 * 1000.0 / (now_ms() - t0);
        add(
            format!("Denoiser, time-sliced, {DENOISER_STEPS_PER_FRAME} steps per frame + redraw"),
            format!("{} · {fixed_sps:.0} steps/s", fmt_stats(&fixed)),
            "bench-sliced-fixed",
        );
        json.push(json_stats("denoiser_fixed", &fixed));
        json.push(format!("\"denoiser_fixed_steps_per_s\":{fixed_sps:.1}"));

        let mut budget_steps = 0usize;
        let mut rev = Reverse::new(LossKind::Simple).ok();
        let t0 = now_ms();
        let budget = time_frames(|| {
            if let Some(r) = rev.as_mut() {
                if let Ok(n) = train_within_budget(|n| r.train(n), 2, FRAME_BUDGET_MS, now_ms) {
                    budget_steps += n;
                }
                let _ = r.draw(&c);
            }
        })
        .await;
        let budget_sps = budget_steps as f64 * 1000.0 / (now_ms() - t0);
        add(
            format!("Denoiser, time-sliced within {FRAME_BUDGET_MS} ms per frame + redraw"),
            format!("{} · {budget_sps:.0} steps/s", fmt_stats(&budget)),
            "bench-sliced-budget",
        );
        json.push(json_stats("denoiser_budget", &budget));
        json.push(format!("\"denoiser_budget_steps_per_s\":{budget_sps:.1}"));

        status.try_set("Running: reverse diffusion, Web Worker…".into());
        let worker = match start_worker(WORKER_MS) {
            Ok(p) => {
                // The main thread keeps drawing (no training) while the worker trains.
                let rev = Reverse::new(LossKind::Simple).ok();
                let frames = time_frames(|| {
                    if let Some(r) = rev.as_ref() {
                        let _ = r.draw(&c);
                    }
                })
                .await;
                let sps = JsFuture::from(p).await.ok().and_then(|v| v.as_f64());
                Some((frames, sps))
            }
            Err(e) => {
                add(
                    "Web Worker".into(),
                    format!("not measured: {e}"),
                    "bench-worker",
                );
                None
            }
        };
        if let Some((frames, sps)) = worker {
            let sps = sps.unwrap_or(f64::NAN);
            add(
                "Denoiser in a Web Worker; main thread only redraws".into(),
                format!("{} · worker {sps:.0} steps/s", fmt_stats(&frames)),
                "bench-worker",
            );
            json.push(json_stats("denoiser_worker", &frames));
            json.push(if sps.is_finite() {
                format!("\"denoiser_worker_steps_per_s\":{sps:.1}")
            } else {
                "\"denoiser_worker_steps_per_s\":null".into()
            });
        }

        status.try_set("Done.".into());
        publish(&format!("{{{}}}", json.join(",")));
    });

    view! {
        <div class="bench" data-testid="bench">
            <h1>"Benchmarks"</h1>
            <p>"Reference configurations, timed in this browser: the 1D GAN (8 Gaussians; G and D 1→32→32→1; non-saturating loss; batch 256; Adam 1e-3), the 2D flow and the diffusion denoiser at their defaults; then every digit model and the adversarial and semi-supervised GAN demos, with the same code and settings as the native example bench_parity. Frame figures train and redraw the demo's plots once per animation frame. See BENCHMARKS.md for native figures and how they compare."</p>
            <p data-testid="bench-status">{move || status.get()}</p>
            <dl>
                <For each=move || lines.get() key=|(l, _, _)| l.clone() let:((label, value, id))>
                    <dt>{label}</dt>
                    <dd data-testid=id>{value}</dd>
                </For>
            </dl>
            <canvas node_ref=canvas width="760" height="560" class="demo-canvas"></canvas>
        </div>
    }
}
