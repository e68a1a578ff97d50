//! The four model families side by side on the same digits: each one's samples (from the
//! checkpoints shipped with the site), what it can compute about an image, the held-out figure
//! its training command measured, and its training and sampling speed measured here, in this
//! browser. Facts and timing live in `gentutor_models::digits_compare`.

use super::checkpoints;
use super::shared::{draw_on_canvas, page_theme};
use gentutor_models::checkpoint::models::VaeWeights;
use gentutor_models::checkpoint::Checkpoint;
use gentutor_models::digits::Digits;
use gentutor_models::digits_compare::{measure, Family, Speed};
use gentutor_models::digits_diffusion::checkpoint::DiffusionWeights;
use gentutor_models::digits_diffusion::{to_unit, DigitsDiffusion};
use gentutor_models::digits_flow::checkpoint::FlowWeights;
use gentutor_models::digits_flow::DigitsFlow;
use gentutor_models::digits_gan::{DigitsGan, GanWeights};
use gentutor_models::rng::Rng;
use gentutor_models::vae::VaeTrainer;
use gentutor_plot::digits_models::draw_digit_grid;
use leptos::html::Canvas;
use leptos::prelude::*;

/// Samples per family (a 4 x 4 grid), their seed, and the training steps timed.
const SAMPLES: usize = 16;
const SEED: u64 = 5;
const TIMED_STEPS: usize = 20;

/// One family's card: samples (n * 64 in [0, 1]), the stated figure, the measured speed.
#[derive(Clone, Default, PartialEq)]
struct Card {
    samples: Vec<f32>,
    figure: String,
    speed: Option<Speed>,
    error: Option<String>,
}

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or_else(js_sys::Date::now, |p| p.now())
}

fn stated(c: &Checkpoint, name: &str, label: &str, digits: usize) -> String {
    match c.metric(name) {
        Some(v) => format!(
            "{label}: {v:.digits$} (held out, {} training steps)",
            c.steps
        ),
        None => format!("{label}: not stated in the checkpoint"),
    }
}

/// Loads one family's checkpoint, draws its samples and times it (on the page's thread: the
/// view runs this once per family, one family per task turn).
async fn card(family: Family, d: Digits) -> Card {
    let result: Result<Card, String> = async {
        let mut rng = Rng::new(SEED);
        match family {
            Family::Vae => {
                let (c, w) = checkpoints::load::<VaeWeights>().await?;
                let mut t = VaeTrainer::new(&w.config, d).map_err(|e| e.to_string())?;
                let mut samples = Vec::new();
                let speed = measure(
                    now_ms,
                    TIMED_STEPS,
                    |n| t.step(n),
                    || {
                        let mut z = ndarray::Array2::zeros((SAMPLES, 2));
                        rng.fill_normal(z.iter_mut());
                        samples = w.vae.decode_mean(z.view()).iter().copied().collect();
                    },
                )
                .map_err(|e| e.to_string())?;
                Ok(Card {
                    samples,
                    figure: stated(&c, "test_elbo", "ELBO per image", 1),
                    speed: Some(speed),
                    error: None,
                })
            }
            Family::Gan => {
                let (c, w) = checkpoints::load::<GanWeights>().await?;
                let mut g = DigitsGan::from_weights(&w.config, w.nets, c.steps, &d)
                    .map_err(|e| e.to_string())?;
                let shown = g.clone();
                let mut samples = Vec::new();
                let speed = measure(
                    now_ms,
                    TIMED_STEPS,
                    |n| g.step(n),
                    || {
                        samples = shown.samples(SAMPLES, SEED).iter().copied().collect();
                    },
                )
                .map_err(|e| e.to_string())?;
                let figure = match c.metric("digits_produced") {
                    Some(k) => {
                        format!("no likelihood; draws {k:.0} of 10 digits (classifier read-out)")
                    }
                    None => "no likelihood".into(),
                };
                Ok(Card {
                    samples,
                    figure,
                    speed: Some(speed),
                    error: None,
                })
            }
            Family::Flow => {
                let (c, w) = checkpoints::load::<FlowWeights>().await?;
                let mut f = DigitsFlow::from_weights(w, c.steps, d).map_err(|e| e.to_string())?;
                let shown = f.clone();
                let mut samples = Vec::new();
                let speed = measure(
                    now_ms,
                    TIMED_STEPS,
                    |n| f.step(n),
                    || {
                        samples = shown.samples(SAMPLES, 0.7, SEED).iter().copied().collect();
                    },
                )
                .map_err(|e| e.to_string())?;
                Ok(Card {
                    samples,
                    figure: stated(&c, "test_bits_per_dim", "exact bits/dim", 3),
                    speed: Some(speed),
                    error: None,
                })
            }
            Family::Diffusion => {
                let (c, w) = checkpoints::load::<DiffusionWeights>().await?;
                let mut m =
                    DigitsDiffusion::from_weights(w, c.steps, d).map_err(|e| e.to_string())?;
                let shown = m.clone();
                let mut samples = Ok(Vec::new());
                let speed = measure(
                    now_ms,
                    TIMED_STEPS,
                    |n| m.step(n),
                    || {
                        samples = shown
                            .sample(SAMPLES, SEED)
                            .map(|x| x.iter().map(|&v| to_unit(v)).collect());
                    },
                )
                .map_err(|e| e.to_string())?;
                Ok(Card {
                    samples: samples.map_err(|e| e.to_string())?,
                    figure: stated(&c, "test_loss", "L_simple", 3),
                    speed: Some(speed),
                    error: None,
                })
            }
        }
    }
    .await;
    result.unwrap_or_else(|e| Card {
        error: Some(e),
        ..Card::default()
    })
}

/// One family's column.
#[component]
fn FamilyCard(family: Family, card: RwSignal<Option<Card>>) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    Effect::new(move |_| {
        super::shared::track_page_look();
        let Some(cv) = canvas.get() else { return };
        let (samples, title) = card.with(|c| match c {
            None => (
                Vec::new(),
                "Loading the checkpoint, then drawing 16 samples…",
            ),
            Some(c) if c.samples.is_empty() => (
                Vec::new(),
                "No samples: this family's checkpoint could not be loaded (see below)",
            ),
            Some(c) => (c.samples.clone(), "samples"),
        });
        let _ = draw_on_canvas(&cv, |a| {
            draw_digit_grid(a, title, &samples, 4, &page_theme())
        });
    });
    let slug = match family {
        Family::Vae => "vae",
        Family::Gan => "gan",
        Family::Flow => "flow",
        Family::Diffusion => "diffusion",
    };
    view! {
        <section class="compare-card" data-testid=format!("compare-{slug}")>
            <h4>{family.name()}</h4>
            <canvas node_ref=canvas width="220" height="240" class="demo-canvas"
                aria-label=format!("16 samples from the {}", family.name())></canvas>
            <p><strong>"Computes: "</strong>{family.computes()}</p>
            <p><strong>"Samples: "</strong>{family.sampling()}</p>
            {move || match card.get() {
                None => view! { <p class="demo-note">"Loading and timing…"</p> }.into_any(),
                // A card that cannot load says why in place; the other three still compare.
                Some(Card { error: Some(e), .. }) => view! { <p class="demo-note" data-testid=format!("compare-{slug}-error")>{e}</p> }.into_any(),
                Some(c) => view! {
                    <p>{c.figure.clone()}</p>
                    <p data-testid=format!("compare-{slug}-speed")>{match c.speed {
                        Some(s) => format!("here: {:.0} training steps/s · {} samples in {:.1} ms", s.train_steps_per_s, SAMPLES, s.sample_ms),
                        None => String::new(),
                    }}</p>
                }.into_any(),
            }}
        </section>
    }
}

/// Four model families on the same digits.
#[component]
pub fn DigitsCompareDemo(
    /// Unique id on the page.
    id: String,
) -> impl IntoView {
    let cards: [RwSignal<Option<Card>>; 4] = std::array::from_fn(|_| RwSignal::new(None));
    let error = RwSignal::new(None::<String>);
    let run = move || {
        for c in cards {
            c.set(None);
        }
        gentutor_web::scoped::spawn(async move {
            let d = match super::digits_live::fetch_digits().await {
                Ok(d) => d,
                Err(e) => {
                    let _ = error.try_set(Some(e));
                    return;
                }
            };
            for (family, slot) in Family::ALL.into_iter().zip(cards) {
                // Let the page paint between two families' timings.
                gentutor_web::scoped::sleep(30).await;
                let c = card(family, d.clone()).await;
                // `try_set` hands the value back when the signal is gone (the view was left).
                if slot.try_set(Some(c)).is_some() {
                    return;
                }
            }
        });
    };
    run();
    view! {
        <figure class="demo demo-digits-compare" data-testid="demo-digits-compare" id=id>
            <figcaption>"Four model families on the same digits"</figcaption>
            <p class="demo-help">"Each model was trained on the same 1,438 digits by the site's training command and is loaded from its checkpoint. The samples are drawn and the speeds measured now, in this browser (20 training steps of batch 64, then 16 samples)."</p>
            <Show when=move || error.get().is_some()>
                <p class="demo-error" role="alert">{move || error.get().unwrap_or_default()}</p>
            </Show>
            <div class="compare-grid">
                <FamilyCard family=Family::Vae card=cards[0] />
                <FamilyCard family=Family::Gan card=cards[1] />
                <FamilyCard family=Family::Flow card=cards[2] />
                <FamilyCard family=Family::Diffusion card=cards[3] />
            </div>
            <div class="demo-buttons">
                <button class="secondary" data-testid="compare-measure" on:click=move |_| run()>"Measure again"</button>
            </div>
        </figure>
    }
}
