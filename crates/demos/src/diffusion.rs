//! The diffusion demos: the forward process (closed form vs iteration, schedules, the image's
//! power spectrum), reverse sampling with a denoiser trained live, and timestep sampling.
//! All logic is in `core::models::diffusion`.

use super::shared::{
    draw_on_canvas, draw_on_canvas_fit, event_number, event_string, page_theme, track_page_look,
    Animator, Live,
};
use gentutor_models::diffusion::config::LossKind;
use gentutor_models::diffusion::forward::{compare_forward, Stats2};
use gentutor_models::diffusion::image::{GrayImage, ImageForward, NoiseWins};
use gentutor_models::diffusion::metrics::energy_distance;
use gentutor_models::diffusion::timesteps::timestep_variance_curve;
use gentutor_models::diffusion::{
    sample_data, Dataset2d, Denoiser, DiffusionConfig, Sampler, Schedule, ScheduleKind,
};
use gentutor_models::rng::Rng;
use gentutor_plot::diffusion::{
    clouds_height, draw_image, draw_loss, draw_point_clouds, draw_schedules, draw_spectra,
    draw_timestep_variance, image_spectra_height, reverse_height, schedules_height, ScheduleView,
};
use gentutor_plot::theme::split_pair;
use leptos::html::Canvas;
use leptos::prelude::*;
use ndarray::Array2;
use plotters::prelude::*;
use std::collections::BTreeMap;

/// Points in the forward-process clouds.
const FORWARD_POINTS: usize = 1500;
/// Reverse steps per animation frame while sampling.
const SAMPLE_STEPS_PER_FRAME: usize = 25;
/// Points sampled by the reverse process.
const SAMPLE_POINTS: usize = 800;

fn kind_from(name: &str) -> Option<ScheduleKind> {
    [
        ScheduleKind::Linear,
        ScheduleKind::Cosine,
        ScheduleKind::Custom,
    ]
    .into_iter()
    .find(|k| k.name() == name)
}

fn stats_row(label: &str, s: &Stats2) -> String {
    format!(
        "{label}: mean ({:+.3}, {:+.3}), var ({:.3}, {:.3}), cov {:+.3}",
        s.mean[0], s.mean[1], s.cov[0][0], s.cov[1][1], s.cov[0][1]
    )
}

/// The forward process, instant: drag t and compare the closed form with the iterated chain.
#[component]
pub fn DiffusionForwardDemo(
    /// Options from the lesson's block: `schedule` (linear, cosine) and `t`.
    options: BTreeMap<String, String>,
) -> impl IntoView {
    let kind = RwSignal::new(
        options
            .get("schedule")
            .and_then(|s| kind_from(s))
            .unwrap_or(ScheduleKind::Linear),
    );
    let t = RwSignal::new(
        options
            .get("t")
            .and_then(|t| t.parse::<usize>().ok())
            .unwrap_or(250)
            .min(1000),
    );
    let beta_1 = RwSignal::new(1e-4f64);
    let beta_end = RwSignal::new(0.02f64);
    let error = RwSignal::new(None::<String>);
    let stats = RwSignal::new(Vec::<String>::new());
    let crossover = RwSignal::new(NoiseWins::Nowhere);
    let clouds = NodeRef::<Canvas>::new();
    let curves = NodeRef::<Canvas>::new();
    let image_canvas = NodeRef::<Canvas>::new();
    let mut rng = Rng::new(7);
    let x0 = StoredValue::new(sample_data(&Dataset2d::TwoMoons, FORWARD_POINTS, &mut rng).ok());
    // The picture from assets/images; should it ever fail to parse, the built-in scene keeps the
    // demo working and the error is shown.
    let scene = GrayImage::scene().unwrap_or_else(|e| {
        error.set(Some(e.to_string()));
        GrayImage::procedural(64)
    });
    let image = StoredValue::new(ImageForward::new(scene, 11));

    let schedule = move || Schedule::new(kind.get(), 1000, beta_1.get(), beta_end.get());
    // Redraw whenever the schedule or t changes (Effect: this talks to the canvases).
    Effect::new(move |_| {
        let (Some(c1), Some(c2), Some(c3)) = (clouds.get(), curves.get(), image_canvas.get())
        else {
            return;
        };
        track_page_look();
        let theme = page_theme();
        let s = match schedule() {
            Ok(s) => s,
            Err(e) => {
                error.set(Some(e.to_string()));
                return;
            }
        };
        error.set(None);
        let t_now = t.get().min(s.steps());
        let mut problems = Vec::new();
        x0.with_value(|x0| {
            let Some(x0) = x0 else { return };
            let cmp = compare_forward(&s, x0.view(), t_now, 3);
            stats.set(vec![
                stats_row("closed form q(xₜ | x₀)", &cmp.closed_stats),
                stats_row("iterated q(xₜ | xₜ₋₁)", &cmp.iterated_stats),
                stats_row("theory", &cmp.theory),
            ]);
            let r = draw_on_canvas_fit(&c1, clouds_height, |area| {
                let (l, r) = split_pair(area, 0.5);
                draw_point_clouds(
                    &l,
                    x0.view(),
                    cmp.closed.view(),
                    ("x₀", "xₜ"),
                    &format!("closed form, t = {t_now}"),
                    &theme,
                )?;
                draw_point_clouds(
                    &r,
                    x0.view(),
                    cmp.iterated.view(),
                    ("x₀", "xₜ"),
                    &format!("iterated {t_now} steps"),
                    &theme,
                )
            });
            problems.extend(r.err());
        });
        let r = draw_on_canvas_fit(&c2, schedules_height, |area| {
            let (l, r) = split_pair(area, 0.5);
            draw_schedules(
                &l,
                &[(kind.get_untracked().name(), &s)],
                t_now,
                ScheduleView::AlphaBar,
                &theme,
            )?;
            draw_schedules(
                &r,
                &[(kind.get_untracked().name(), &s)],
                t_now,
                ScheduleView::Snr,
                &theme,
            )
        });
        problems.extend(r.err());
        image.with_value(|img| {
            let spectra = img.spectra(&s, t_now);
            crossover.set(spectra.noise_wins());
            let r = draw_on_canvas_fit(&c3, image_spectra_height, |area| {
                let (w, h) = area.dim_in_pixel();
                // The image as a square beside the spectra, or above them on a phone.
                let (l, r) = if gentutor_plot::theme::is_narrow(w) {
                    area.split_vertically(200)
                } else {
                    area.split_horizontally(h)
                };
                draw_image(&l, &img.x_t(&s, t_now), img.image().size(), &theme)?;
                draw_spectra(&r, &spectra, &theme)
            });
            problems.extend(r.err());
        });
        if let Some(p) = problems.into_iter().next() {
            error.set(Some(p));
        }
    });

    view! {
        <figure class="demo demo-diffusion-forward" data-testid="demo-diffusion-forward">
            <figcaption>"The forward diffusion process"</figcaption>
            <p class="demo-help">"Drag t. First: xₜ sampled in one jump with the closed form; then: by iterating t noising steps. Their statistics agree. Below: how much signal is left (ᾱₜ and SNR), and on an image, which spatial frequencies the noise has drowned."</p>
            <div class="demo-controls">
                <label>"Schedule"
                    <select data-testid="fwd-schedule" prop:value=move || kind.get().name() on:change=move |ev| {
                        if let Some(k) = kind_from(&event_string(&ev)) { kind.set(k) }
                    }>
                        <option value="linear">"linear (Ho et al. 2020)"</option>
                        <option value="cosine">"cosine (Nichol & Dhariwal 2021)"</option>
                        <option value="custom">"custom endpoints"</option>
                    </select>
                </label>
                <label>{move || format!("t = {} of 1000", t.get())}
                    <input type="range" min="0" max="1000" step="1" data-testid="fwd-t"
                        prop:value=move || t.get().to_string()
                        on:input=move |ev| if let Some(v) = event_number(&ev) { t.set(v.clamp(0.0, 1000.0) as usize) } />
                </label>
                <Show when=move || kind.get() == ScheduleKind::Custom>
                    <label>"β₁"
                        <input type="number" step="0.0001" prop:value=move || beta_1.get().to_string()
                            on:change=move |ev| if let Some(v) = event_number(&ev) { beta_1.set(v) } />
                    </label>
                    <label>"β_T"
                        <input type="number" step="0.001" prop:value=move || beta_end.get().to_string()
                            on:change=move |ev| if let Some(v) = event_number(&ev) { beta_end.set(v) } />
                    </label>
                </Show>
            </div>
            <Show when=move || error.get().is_some()>
                <p class="demo-error" role="alert" data-testid="fwd-error">{move || error.get().unwrap_or_default()}</p>
            </Show>
            <canvas node_ref=clouds width="760" height="380" class="demo-canvas" data-testid="fwd-clouds"
                aria-label="Data x₀ and noised xₜ, closed form and iterated"></canvas>
            <ul class="demo-stats" data-testid="fwd-stats">{move || stats.get().into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ul>
            <canvas node_ref=curves width="760" height="300" class="demo-canvas" aria-label="ᾱₜ and SNR against t"></canvas>
            <canvas node_ref=image_canvas width="760" height="300" class="demo-canvas" aria-label="Noised image and power spectra of signal and noise"></canvas>
            <p class="demo-readout" data-testid="fwd-crossover">{move || match crossover.get() {
                NoiseWins::Above(f) => format!("Noise power exceeds signal power above {f:.0} cycles per image (the image is 64 pixels wide, so 32 is the finest): the fine detail is gone first."),
                NoiseWins::Everywhere => "Noise power exceeds signal power at every frequency, down to the lowest (1 cycle per image): nothing of the image stands out of the noise.".to_string(),
                NoiseWins::Nowhere => "Signal power is above noise power at every frequency.".to_string(),
            }}</p>
        </figure>
    }
}

/// Training a denoiser, then ancestral sampling, as one animated model.
pub(crate) struct Reverse {
    denoiser: Denoiser,
    data: Array2<f32>,
    sampler: Option<Sampler>,
    /// Energy distance of the finished samples to the data.
    distance: Option<f64>,
}

impl Reverse {
    /// The demo's model: the default denoiser on 8 Gaussians with loss `l`, and the data sample
    /// the results are compared with. (Also the workload of the `/bench` frame-time figures.)
    pub(crate) fn new(l: LossKind) -> Result<Reverse, String> {
        let config = DiffusionConfig {
            loss: l,
            dataset: Dataset2d::EightGaussians,
            ..DiffusionConfig::default()
        };
        Reverse::from_denoiser(Denoiser::new(&config, 1).map_err(|e| e.to_string())?)
    }

    /// A model around a (possibly trained) denoiser, with the comparison data of its data set.
    fn from_denoiser(denoiser: Denoiser) -> Result<Reverse, String> {
        let mut rng = Rng::new(99);
        let data = sample_data(&denoiser.config().dataset, SAMPLE_POINTS, &mut rng)
            .map_err(|e| e.to_string())?;
        Ok(Reverse {
            denoiser,
            data,
            sampler: None,
            distance: None,
        })
    }
}

/// Only training crosses to the worker: sampling is short and stays on the page.
impl super::worker::Remote for Reverse {
    const KIND: &'static str = "diffusion-reverse";
    fn to_bytes(&self) -> Vec<u8> {
        self.denoiser.to_bytes()
    }
    fn from_bytes(bytes: &[u8]) -> Result<Self, String> {
        Reverse::from_denoiser(Denoiser::from_bytes(bytes).map_err(|e| e.to_string())?)
    }
}

impl Live for Reverse {
    fn train(&mut self, n: usize) -> Result<(), String> {
        if let Some(s) = self.sampler.as_mut() {
            // While samples are shown, the loop only samples: training resumes only from the
            // Train button (which clears them), never by itself after Sample.
            if !s.done() {
                s.step(&self.denoiser, SAMPLE_STEPS_PER_FRAME)
                    .map_err(|e| e.to_string())?;
                if s.done() {
                    self.distance = Some(energy_distance(s.current(), self.data.view()));
                }
            }
            return Ok(());
        }
        self.denoiser.step(n).map_err(|e| e.to_string())
    }

    fn finished(&self) -> bool {
        self.sampler.as_ref().is_some_and(Sampler::done)
    }

    fn draw(&self, canvas: &web_sys::HtmlCanvasElement) -> Result<(), String> {
        let theme = page_theme();
        draw_on_canvas_fit(canvas, reverse_height, |area| {
            let (w, _) = area.dim_in_pixel();
            let (l, r) = if gentutor_plot::theme::is_narrow(w) {
                area.split_vertically(230)
            } else {
                area.split_horizontally(w / 2)
            };
            draw_loss(&l, self.denoiser.loss_history().points(), &theme)?;
            match &self.sampler {
                Some(s) => {
                    let caption = match s.t() {
                        Some(t) if !s.done() => format!("sampling: x at t = {t}"),
                        _ => "samples x₀ against the data".to_string(),
                    };
                    draw_point_clouds(
                        &r,
                        self.data.view(),
                        s.current(),
                        ("data", "samples"),
                        &caption,
                        &theme,
                    )
                }
                None => draw_point_clouds(
                    &r,
                    self.data.view(),
                    self.data
                        .slice_axis(ndarray::Axis(0), ndarray::Slice::from(0..0)),
                    ("data", ""),
                    "training data",
                    &theme,
                ),
            }
        })
    }
}

/// A tiny epsilon-prediction denoiser trained live, then DDPM ancestral sampling.
#[component]
pub fn DiffusionReverseDemo(
    /// Options from the lesson's block: `loss` ("simple" or "vlb").
    options: BTreeMap<String, String>,
) -> impl IntoView {
    let loss = RwSignal::new(if options.get("loss").map(String::as_str) == Some("vlb") {
        LossKind::Vlb
    } else {
        LossKind::Simple
    });
    let build = Reverse::new;
    let lp = Animator::new(build(loss.get_untracked()).ok(), 10, None);
    Effect::new(move |_| {
        if lp.canvas.get().is_some() {
            lp.redraw();
        }
    });
    on_cleanup(move || lp.running.set(false));
    let sample = move |_| {
        lp.pause();
        let _ = lp.model.try_update_value(|m| {
            if let Some(m) = m.as_mut() {
                m.sampler = Some(m.denoiser.sampler(SAMPLE_POINTS, 5));
                m.distance = None;
            }
        });
        lp.toggle();
    };
    let readout = move || {
        lp.read(|m| {
            let sampling = m.sampler.as_ref().map(|s| (s.t(), s.done()));
            (m.denoiser.step_count(), sampling, m.distance)
        })
    };
    view! {
        // `data-worker`: as in the GAN demo, "busy" until a paused worker run is back.
        <figure class="demo demo-diffusion-reverse" data-testid="demo-diffusion-reverse"
            data-worker=move || if lp.in_worker.get() { "busy" } else { "idle" }>
            <figcaption>"Reverse diffusion: train a denoiser, then sample"</figcaption>
            <p class="demo-help">"Train ε_θ(x_t, t) on the 8-Gaussians data (the “denoising loss” panel), then press Sample to run DDPM ancestral sampling from pure noise x_T down to x_0 (the point-cloud panel). Training runs in a background worker (or, where none can start, in short slices between frames), so the page stays responsive."</p>
            <div class="demo-buttons">
                <button data-testid="rev-train" data-demo-train="" on:click=move |_| {
                    if !lp.running.get_untracked() {
                        let _ = lp.model.try_update_value(|m| if let Some(m) = m.as_mut() { m.sampler = None });
                    }
                    lp.toggle_prefer_worker();
                }>{move || if lp.running.get() { "Pause" } else { "Train" }}</button>
                <button class="secondary" data-testid="rev-sample" on:click=sample>"Sample"</button>
                <button class="secondary" on:click=move |_| lp.replace(build(loss.get_untracked()))>"Reset"</button>
                <label>"Loss "
                    <select data-testid="rev-loss" prop:value=move || loss.get().name() on:change=move |ev| {
                        let l = if event_string(&ev) == "vlb" { LossKind::Vlb } else { LossKind::Simple };
                        loss.set(l);
                        lp.replace(build(l));
                    }>
                        <option value="simple">"L_simple"</option>
                        <option value="vlb">"VLB-weighted"</option>
                    </select>
                </label>
            </div>
            <Show when=move || lp.error.get().is_some()>
                <div class="demo-error" role="alert" data-testid="rev-error">
                    <p>{move || lp.error.get().unwrap_or_default()}</p>
                    <button on:click=move |_| lp.replace(build(loss.get_untracked()))>"Reset"</button>
                </div>
            </Show>
            <canvas node_ref=lp.canvas width="760" height="380" class="demo-canvas" aria-label="Training loss, and samples against the data"></canvas>
            // Not a live region: it changes many times a second while training.
            <p class="demo-readout">{move || match readout() {
                Some((steps, sampling, distance)) => {
                    let s = match sampling {
                        Some((_, true)) => "sampling done".to_string(),
                        Some((Some(t), false)) => format!("sampling, t = {t}"),
                        Some((None, false)) => "sampling…".to_string(),
                        None => "not sampled yet".to_string(),
                    };
                    let d = distance.map(|d| format!(" · energy distance to the data {d:.4}")).unwrap_or_default();
                    view! { <span data-testid="rev-status">{format!("{steps} training steps · {s}")}</span><span data-testid="rev-distance">{d}</span> }.into_any()
                }
                None => view! { <span>"No model"</span> }.into_any(),
            }}
            <Show when=move || lp.in_worker.get() && lp.running.get()>
                <span class="demo-note" data-testid="trains-in-worker">" · training in a background worker"</span>
            </Show>
            </p>
        </figure>
    }
}

/// The VDM low-discrepancy timestep sampler against i.i.d. sampling.
#[component]
pub fn TimestepSamplerDemo() -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    let rows = RwSignal::new(Vec::<(usize, f64, f64, f64)>::new());
    let error = RwSignal::new(None::<String>);
    // A loss-like function of t in [0, 1]: large at small t, flat later.
    let f = |t: f64| (-6.0 * t).exp() * 3.0 + 0.2 + 0.1 * (12.0 * t).sin();
    Effect::new(move |_| {
        let Some(c) = canvas.get() else { return };
        track_page_look();
        let results = timestep_variance_curve(f, &[2, 4, 8, 16, 32, 64, 128], 2000, 1);
        rows.set(
            results
                .iter()
                .map(|r| (r.k, r.iid_var, r.ld_var, r.ratio))
                .collect(),
        );
        if let Err(e) = draw_on_canvas(&c, |area| {
            draw_timestep_variance(area, &results, &page_theme())
        }) {
            error.set(Some(e));
        }
    });
    view! {
        <figure class="demo demo-timestep-sampler" data-testid="demo-timestep-sampler">
            <figcaption>"Timestep sampling: i.i.d. vs low-discrepancy"</figcaption>
            <p class="demo-help">"For a fixed loss curve over t, the variance of the minibatch mean over 2000 batches: t drawn i.i.d. uniform, against t_i = mod(u_0 + i/k, 1) with one u_0 per batch (Kingma et al. 2021). Both are unbiased; the second has far lower variance."</p>
            <canvas node_ref=canvas width="760" height="320" class="demo-canvas" aria-label="Variance against batch size, i.i.d. and low-discrepancy"></canvas>
            <Show when=move || error.get().is_some()>
                <p class="demo-error" role="alert">{move || error.get().unwrap_or_default()}</p>
            </Show>
            <table class="demo-table" data-testid="ts-table">
                <thead><tr><th>"batch k"</th><th>"i.i.d. variance"</th><th>"low-discrepancy variance"</th><th>"ratio"</th></tr></thead>
                <tbody>{move || rows.get().into_iter().map(|(k, a, b, r)| view! {
                    <tr><td>{k}</td><td>{format!("{a:.2e}")}</td><td>{format!("{b:.2e}")}</td><td>{format!("{r:.0}×")}</td></tr>
                }).collect_view()}</tbody>
            </table>
        </figure>
    }
}

/// Keeps the plotters prelude import used (its traits are needed for `split_horizontally`).
#[allow(dead_code)]
fn _uses(_: &DrawingArea<plotters_canvas::CanvasBackend, plotters::coord::Shift>) {}
