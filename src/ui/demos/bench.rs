//! `/bench`: in-browser benchmarks of the demos, on the reference configurations of
//! `BENCHMARKS.md`. Results are shown on the page and exposed to scripts as
//! `window.gentutorBenchResult` (JSON), which `tests/e2e/src/bin/bench_page.rs` reads.

use crate::core::models::diffusion::{Denoiser, DiffusionConfig};
use crate::core::models::flow2d::{self, Flow2d};
use crate::core::models::gan1d::{bench_steps, Gan1d, Preset};
use crate::core::plot::gan1d::draw_gan1d;
use crate::ui::demos::shared::draw_on_canvas;
use leptos::html::Canvas;
use leptos::prelude::*;

/// Frames timed for the frames-per-second figure.
const FPS_FRAMES: u32 = 120;
/// Training steps per frame while measuring frames per second.
const STEPS_PER_FRAME: usize = 10;

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

/// The benchmark page.
#[component]
pub fn Bench() -> impl IntoView {
    crate::ui::routes::set_title("Benchmarks");
    let status = RwSignal::new("Running: training steps without drawing…".to_string());
    let steps_per_s = RwSignal::new(None::<f64>);
    let other = RwSignal::new(None::<(f64, f64)>);
    let fps = RwSignal::new(None::<f64>);
    let canvas = NodeRef::<Canvas>::new();

    // Run after first paint so the page is visible while it works.
    request_animation_frame(move || {
        let mut gan = Gan1d::from_preset(Preset::Default);
        match bench_steps(&mut gan, 50, 500, now_ms) {
            Ok(r) => steps_per_s.set(Some(r.steps_per_sec)),
            Err(e) => {
                status.set(format!("Benchmark failed: {e}"));
                return;
            }
        }
        // The flow and the diffusion denoiser, default configurations, no drawing.
        let flow = Flow2d::from_config(flow2d::Config::default())
            .ok()
            .and_then(|mut f| flow2d::bench_flow(&mut f, 20, 200, now_ms).ok())
            .map(|r| r.steps_per_sec)
            .unwrap_or(f64::NAN);
        let denoise = Denoiser::new(&DiffusionConfig::default(), 1)
            .ok()
            .and_then(|mut d| {
                crate::core::models::bench::bench_steps(|n| d.train_step(n), 20, 200, now_ms).ok()
            })
            .map(|r| r.steps_per_sec)
            .unwrap_or(f64::NAN);
        other.set(Some((flow, denoise)));
        status.set(format!(
            "Running: {FPS_FRAMES} animation frames of {STEPS_PER_FRAME} steps + drawing…"
        ));
        let model = StoredValue::new(gan);
        let start = now_ms();
        // Plain copyable handles threaded through the frame chain.
        #[allow(clippy::too_many_arguments)]
        fn frame(
            i: u32,
            start: f64,
            model: StoredValue<Gan1d>,
            canvas: NodeRef<Canvas>,
            fps: RwSignal<Option<f64>>,
            status: RwSignal<String>,
            steps_per_s: RwSignal<Option<f64>>,
            other: RwSignal<Option<(f64, f64)>>,
        ) {
            if i == FPS_FRAMES {
                let f = f64::from(FPS_FRAMES) * 1000.0 / (now_ms() - start).max(1e-9);
                fps.set(Some(f));
                status.set("Done.".into());
                let sps = steps_per_s.get_untracked().unwrap_or(0.0);
                let (flow, denoise) = other.get_untracked().unwrap_or((f64::NAN, f64::NAN));
                publish(&format!(
                    "{{\"gan1d_steps_per_s\":{sps:.1},\"gan1d_fps_with_plot\":{f:.1},\"steps_per_frame\":{STEPS_PER_FRAME},\"flow2d_steps_per_s\":{flow:.1},\"denoiser_steps_per_s\":{denoise:.1}}}"
                ));
                return;
            }
            let _ = model.try_update_value(|m| m.step(STEPS_PER_FRAME));
            if let Some(c) = canvas.get_untracked() {
                let _ = model.try_with_value(|m| draw_on_canvas(&c, |a| draw_gan1d(a, &m.view())));
            }
            request_animation_frame(move || {
                frame(i + 1, start, model, canvas, fps, status, steps_per_s, other)
            });
        }
        request_animation_frame(move || {
            frame(0, start, model, canvas, fps, status, steps_per_s, other)
        });
    });

    view! {
        <div class="bench" data-testid="bench">
            <h1>"Benchmarks"</h1>
            <p>"The 1D GAN reference configuration (8 Gaussians; G and D 1→32→32→1; non-saturating loss; batch 256; Adam 1e-3), timed in this browser. See BENCHMARKS.md for the native figures and how they compare."</p>
            <p data-testid="bench-status">{move || status.get()}</p>
            <dl>
                <dt>"Training steps per second (no drawing, 500 steps after 50 warm-up)"</dt>
                <dd data-testid="bench-steps">{move || steps_per_s.get().map(|v| format!("{v:.0}")).unwrap_or_else(|| "…".into())}</dd>
                <dt>{format!("Frames per second with {STEPS_PER_FRAME} steps and one full redraw per frame")}</dt>
                <dd data-testid="bench-fps">{move || fps.get().map(|v| format!("{v:.1}")).unwrap_or_else(|| "…".into())}</dd>
            </dl>
            <dl>
                <dt>"2D flow training steps per second (default config, no drawing)"</dt>
                <dd data-testid="bench-flow">{move || other.get().map(|v| format!("{:.0}", v.0)).unwrap_or_else(|| "…".into())}</dd>
                <dt>"Diffusion denoiser training steps per second (default config, no drawing)"</dt>
                <dd data-testid="bench-denoiser">{move || other.get().map(|v| format!("{:.0}", v.1)).unwrap_or_else(|| "…".into())}</dd>
            </dl>
            <canvas node_ref=canvas width="760" height="560" class="demo-canvas"></canvas>
        </div>
    }
}
