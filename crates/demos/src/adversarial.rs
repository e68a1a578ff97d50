//! Adversarial examples on the 8x8 digits: FGSM with an eps slider, untargeted or towards a
//! target digit, on the site's digit classifier (MLP) and on a linear model beside it. All
//! logic is in `gentutor_models::adversarial`.
//!
//! The MLP is the site's shared digit classifier (`super::checkpoints::classifier`, the shipped
//! `digit-classifier` checkpoint, 19 KB); the linear model trains in the page, a
//! few dozen steps per frame. Without the checkpoint (no network) the MLP trains here too, to
//! the same weights. Every adversarial demo on the page shares the result.

use super::shared::{
    aspect_height, draw_on_canvas_fit, event_number, event_string, hash_state, page_theme,
    set_hash_state, track_page_look,
};
use gentutor_models::adversarial::{
    AttackSettings, AttackView, Models, ModelsTrainer, Target, EPS_MAX, EPS_STEP, GREY_STEP,
};
use gentutor_models::digit_classifier::STEPS;
use gentutor_models::link::Settings as _;
use gentutor_plot::adversarial::draw_adversarial;
use gentutor_plot::theme::is_narrow;
use leptos::html::Canvas;
use leptos::prelude::*;
use std::cell::RefCell;
use std::collections::BTreeMap;

/// The canvas's design size (its markup attributes), and its height on a phone, where each
/// model's images sit above its two charts.
const DESIGN: (u32, u32) = (720, 500);
const NARROW_HEIGHT: u32 = 880;

fn height_for(w: u32) -> u32 {
    if is_narrow(w) {
        NARROW_HEIGHT
    } else {
        aspect_height(w, DESIGN.0, DESIGN.1)
    }
}

/// Classifier training steps per frame while the page trains them.
const STEPS_PER_FRAME: usize = 60;

thread_local! {
    /// The trained classifiers: trained once, shared by every adversarial demo on the page.
    static TRAINED: RefCell<Option<Models>> = const { RefCell::new(None) };
}

/// Settings from the block options, then the link (which wins); a bad link is a notice.
fn initial(id: &str, options: &BTreeMap<String, String>) -> (AttackSettings, Option<String>) {
    let mut s = AttackSettings::default();
    let int = |k: &str| options.get(k).and_then(|v| v.trim().parse::<usize>().ok());
    if let Some(t) = int("target") {
        s.target = Target(Some(t.min(9)));
    }
    if let Some(l) = int("levels") {
        s.eps = l as f32 * GREY_STEP;
    }
    if let Some(i) = int("image") {
        s.image = i;
    }
    let mut notice = None;
    if let Some(state) = hash_state(id) {
        match AttackSettings::from_hash(&state) {
            Ok(h) => s = h,
            Err(e) => notice = Some(format!("{e}; showing the defaults.")),
        }
    }
    (s.clamped(), notice)
}

/// FGSM on the digits, live. Block options: `target` (0-9: start targeted), `levels` (eps in
/// grey levels, 0-8), `image` (which held-out digit).
#[component]
pub fn AdversarialDemo(options: BTreeMap<String, String>, id: String) -> impl IntoView {
    let (init, notice) = initial(&id, &options);
    let settings = RwSignal::new(init);
    let error = RwSignal::new(notice);
    let note = RwSignal::new(None::<String>);
    let models = StoredValue::new(TRAINED.with(|t| t.borrow().clone()));
    let progress = RwSignal::new(if models.with_value(Option::is_some) {
        STEPS
    } else {
        0
    });
    let view_state = StoredValue::new(None::<AttackView>);
    let version = RwSignal::new(0u64);
    let canvas = NodeRef::<Canvas>::new();
    let hash_id = StoredValue::new(id.clone());

    // Recomputes the view for the current settings and draws it.
    let redraw = move || {
        let s = settings.get_untracked();
        let v = models.try_with_value(|m| m.as_ref().map(|m| AttackView::new(m, s)));
        match v {
            Some(Some(Ok(v))) => {
                if let Some(c) = canvas.get_untracked() {
                    if let Err(e) = draw_on_canvas_fit(&c, height_for, |a| {
                        draw_adversarial(a, &v, &page_theme())
                    }) {
                        error.set(Some(e));
                    }
                }
                view_state.set_value(Some(v));
                version.update(|n| *n += 1);
            }
            Some(Some(Err(e))) => error.set(Some(e.to_string())),
            _ => {}
        }
    };

    if models.with_value(Option::is_none) {
        gentutor_web::scoped::spawn(async move {
            let digits = match super::vae::fetch_digits().await {
                Ok(d) => d,
                Err(e) => {
                    let _ = error.try_set(Some(e));
                    return;
                }
            };
            // The site's classifier from its checkpoint; if that fails, train it here (slower,
            // same weights) and say so.
            let made = match super::checkpoints::classifier().await {
                Ok(c) => ModelsTrainer::with_mlp(digits, c),
                Err(e) => {
                    let _ = note.try_set(Some(format!("The trained classifier could not be loaded ({e}), so it trains here first.")));
                    ModelsTrainer::new(digits)
                }
            };
            let mut trainer = match made {
                Ok(t) => t,
                Err(e) => {
                    let _ = error.try_set(Some(e.to_string()));
                    return;
                }
            };
            // A few steps per frame: the page stays responsive and the picture follows the
            // classifiers as they learn.
            while !trainer.done() {
                if let Err(e) = trainer.step(STEPS_PER_FRAME) {
                    let _ = error.try_set(Some(e.to_string()));
                    return;
                }
                if progress.try_set(trainer.step_count()).is_some() {
                    return; // unmounted
                }
                let _ = models.try_set_value(Some(trainer.models()));
                redraw();
                gentutor_web::scoped::sleep(0).await;
            }
            let trained = trainer.models();
            TRAINED.with(|t| *t.borrow_mut() = Some(trained.clone()));
            let _ = models.try_set_value(Some(trained));
            redraw();
        });
    }

    // Settings change: new link, new view (and a redraw when the page's theme or width changes).
    Effect::new(move |_| {
        track_page_look();
        let s = settings.get();
        hash_id.with_value(|h| set_hash_state(h, &s.to_hash()));
        redraw();
    });

    let set = move |f: &dyn Fn(&mut AttackSettings)| {
        let mut s = settings.get_untracked();
        f(&mut s);
        settings.set(s.clamped());
    };
    let read = move |f: fn(&AttackView) -> String| {
        move || {
            version.get();
            view_state
                .with_value(|v| v.as_ref().map(f))
                .unwrap_or_default()
        }
    };

    view! {
        <figure class="demo demo-adversarial" data-testid="demo-adversarial" id=id>
            <figcaption>"Adversarial examples: the fast gradient sign method on the digits"</figcaption>
            <p class="demo-help">"Each pixel of a held-out digit moves by eps, up or down as the sign of the loss gradient says. One grey level of these 8x8 images is 1/16 = 0.0625. Top: the site's digit classifier (an MLP); bottom: a linear model trained on the same digits. The bars are the class probabilities after the attack (outlines: before); the curves follow the true class and the attack's class as eps grows along the same sign pattern."</p>
            <Show when=move || { progress.get() < STEPS }>
                <p class="demo-note" data-testid="adv-training">
                    {move || format!("Training the linear model on 1,438 digits: step {} of {STEPS}…", progress.get())}
                </p>
            </Show>
            {move || note.get().map(|n| view! { <p class="demo-note" data-testid="adv-note">{n}</p> })}
            <div class="demo-controls">
                <label>{move || {
                    let e = settings.get().eps;
                    format!("eps = {e:.4} ({:.2} grey levels)", e / GREY_STEP)
                }}
                    <input type="range" min="0" max=EPS_MAX step=EPS_STEP data-testid="adv-eps"
                        prop:value=move || settings.get().eps.to_string()
                        on:input=move |ev| if let Some(v) = event_number(&ev) { set(&|s| s.eps = v as f32) } />
                </label>
                <label>"Attack "
                    <select data-testid="adv-target"
                        prop:value=move || settings.get().target.0.map_or("none".to_string(), |t| t.to_string())
                        on:change=move |ev| {
                            let v = event_string(&ev);
                            set(&|s| s.target = Target(v.parse::<usize>().ok().filter(|&t| t < 10)));
                        }>
                        <option value="none">"untargeted: any wrong digit"</option>
                        {(0..10).map(|t| view! { <option value=t.to_string()>{format!("targeted: make it a {t}")}</option> }).collect_view()}
                    </select>
                </label>
                <div class="demo-buttons">
                    <button class="secondary" data-testid="adv-prev" on:click=move |_| set(&|s| s.image = s.image.checked_sub(1).unwrap_or(358))>"Previous digit"</button>
                    <button class="secondary" data-testid="adv-next" on:click=move |_| set(&|s| s.image = (s.image + 1) % 359)>"Next digit"</button>
                </div>
            </div>
            <canvas node_ref=canvas width="720" height="500" class="demo-canvas"
                aria-label="For the MLP and the linear model: the digit, the perturbation, the perturbed digit, class probabilities before and after, and the true and attacking class's probability as eps grows"></canvas>
            <p class="demo-readout" aria-live="polite" data-testid="adv-readout">
                {read(|v| {
                    let what = |m: &gentutor_models::adversarial::ModelView| match v.settings.target.0 {
                        None => format!("{} says {} ({:.0}%); held-out accuracy under this attack {:.1}%",
                            m.name, m.predicted(), 100.0 * m.attacked[m.predicted()], 100.0 * m.heldout),
                        Some(t) => format!("{} says {} ({:.0}%); held-out digits turned into a {t}: {:.1}%",
                            m.name, m.predicted(), 100.0 * m.attacked[m.predicted()], 100.0 * m.heldout),
                    };
                    format!("Digit {}. {}. {}.", v.label, what(&v.mlp), what(&v.linear))
                })}
            </p>
            <p class="demo-readout" data-testid="adv-linear">
                {read(|v| {
                    let (y, t) = v.pair;
                    format!(
                        "Linear model, logit gap z{t} − z{y}: eps·‖w{t} − w{y}‖₁ = {:.4} × {:.2} = {:.2}, the most an eps-step can add, reached exactly by eps·sign(w{t} − w{y}) (measured {:.2}); {:.2} after pixels stop at 0 and 1.",
                        v.settings.eps, v.gap.l1, v.gap.bound, v.gap.unclipped, v.gap.clipped
                    )
                })}
            </p>
            {move || error.get().map(|e| view! { <p class="demo-error" role="alert" data-testid="adv-error">{e}</p> })}
        </figure>
    }
}
