//! Demo components in headless Chromium (wasm-bindgen-test): every registered demo mounts,
//! trains and draws (the registry is iterated, not listed here); the GAN demo's controls work.
#![cfg(target_arch = "wasm32")]

use gentutor_content::DemoKind;
use gentutor_demos::gan1d::Gan1dDemo;
use gentutor_demos::registry::ENTRIES;
use gentutor_demos::{view_for, Mountable};
use leptos::mount::mount_to;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod common;
use common::{
    canvases, click, container, drawn_pixels, has, hash, pixels, set_value, text, tick, tick_until,
};

/// The VAE's digits come from `/assets` at run time; the test server has none, so the tests
/// hand over the shipped file.
fn provide_digits() {
    gentutor_demos::vae::provide_digits(include_bytes!("../../../assets/data/digits-8x8.bin"))
        .expect("the shipped digits parse");
    // The digits flow and diffusion demos start from their shipped checkpoints (the
    // side-by-side view notes, in place, any family whose checkpoint is not provided).
    gentutor_demos::checkpoints::provide_checkpoint(
        "digits-flow",
        include_bytes!("../../../assets/checkpoints/digits-flow.gtck"),
    );
    gentutor_demos::checkpoints::provide_checkpoint(
        "digits-diffusion",
        include_bytes!("../../../assets/checkpoints/digits-diffusion.gtck"),
    );
    // Likewise the shipped checkpoints the digits GAN starts from (not the VAE's: its tests
    // here start from scratch; tests/digits_gan.rs covers its checkpoint).
    for (kind, bytes) in [
        (
            "digits-gan",
            &include_bytes!("../../../assets/checkpoints/digits-gan.gtck")[..],
        ),
        (
            "digit-classifier",
            &include_bytes!("../../../assets/checkpoints/digit-classifier.gtck")[..],
        ),
    ] {
        gentutor_demos::checkpoints::provide_checkpoint(kind, bytes);
    }
}

#[wasm_bindgen_test]
async fn gan_demo_mounts_draws_and_advances_training() {
    let root = container();
    let mut options = std::collections::BTreeMap::new();
    options.insert("preset".to_string(), "default".to_string());
    mount_to(
        root.clone(),
        move || view! { <Gan1dDemo options=options id="gan1d-test".to_string() /> },
    )
    .forget();
    tick().await;
    assert_eq!(text(&root, "[data-testid=gan-step]"), "step 0");
    assert!(text(&root, "[data-testid=gan-coverage]").ends_with("/8"));
    click(&root, "[data-testid=gan-step-button]");
    tick().await;
    assert_eq!(
        text(&root, "[data-testid=gan-step]"),
        "step 1",
        "Step trains exactly one step"
    );
    // Play runs several steps per animation frame (in a worker, once it has started); pause
    // stops it.
    let steps = || -> u64 {
        text(&root, "[data-testid=gan-step]")
            .trim_start_matches("step ")
            .parse()
            .unwrap_or(0)
    };
    click(&root, "[data-testid=gan-play]");
    let advanced = tick_until(500, || steps() > 1).await;
    click(&root, "[data-testid=gan-play]");
    assert!(advanced, "play advanced training, at step {}", steps());
    // The canvas was drawn on: some pixel is not blank.
    let canvas: web_sys::HtmlCanvasElement = root
        .query_selector("canvas")
        .expect("q")
        .expect("a canvas")
        .unchecked_into();
    let url = canvas.to_data_url().expect("data url");
    assert!(url.len() > 5000, "the plot was drawn ({} bytes)", url.len());
    assert!(root
        .query_selector("[data-testid=gan-error]")
        .expect("q")
        .is_none());
}

#[wasm_bindgen_test]
async fn every_registered_demo_mounts_trains_and_draws() {
    provide_digits();
    let mut mounted = 0;
    for kind in DemoKind::all() {
        let name = kind.name();
        let root = container();
        let id = format!("{name}-registry-test");
        // The handle is kept to the end of this demo's checks, then unmounts it.
        let handle = mount_to(root.clone(), move || {
            view_for(Mountable::Demo(kind), Default::default(), id)
        });
        for _ in 0..5 {
            tick().await;
        }
        let drawn = canvases(&root);
        assert!(!drawn.is_empty(), "demo `{name}` shows a canvas");
        let before = pixels(&root);
        // A demo that trains marks its Train/Play button with `data-demo-train`.
        if let Some(train) = root.query_selector("[data-demo-train]").expect("selector") {
            train.unchecked_ref::<web_sys::HtmlElement>().click();
            // Until the picture changes, while training or once paused (a worker run shows its
            // state when it hands it back, which can take a while on a busy machine).
            let mut redrawn = tick_until(100, || pixels(&root) != before).await;
            train.unchecked_ref::<web_sys::HtmlElement>().click(); // pause
            if !redrawn {
                redrawn = tick_until(500, || pixels(&root) != before).await;
            }
            assert!(
                redrawn,
                "training demo `{name}` redrew its canvas after training"
            );
        }
        for (i, c) in canvases(&root).iter().enumerate() {
            let n = drawn_pixels(c);
            assert!(
                n > 500,
                "demo `{name}`: canvas {i} is drawn on ({n} non-blank pixels)"
            );
        }
        let alert = text(&root, "[role=alert]");
        assert!(
            alert.trim().is_empty(),
            "demo `{name}` shows an error: {alert}"
        );
        drop(handle);
        root.remove();
        mounted += 1;
    }
    assert_eq!(mounted, gentutor_content::DEMOS.len());
}

#[wasm_bindgen_test]
fn the_component_registry_matches_the_content_registry() {
    for kind in DemoKind::all() {
        assert!(
            gentutor_demos::registry::entry(kind).is_some(),
            "demo `{}` has no line in crates/demos/src/registry.rs",
            kind.name()
        );
    }
    for e in ENTRIES {
        assert!(
            DemoKind::from_name(e.name).is_some(),
            "`{}` is not in gentutor_content::registry::DEMOS",
            e.name
        );
        if let Some(w) = e.worker {
            assert_eq!(
                w.kind, e.name,
                "a worker model is sent under its demo's name"
            );
        }
    }
}

#[wasm_bindgen_test]
async fn vae_steps_keeps_beta_in_the_link_and_shows_the_mean_apart_from_a_sample() {
    provide_digits();
    let root = container();
    let handle = mount_to(root.clone(), || {
        view! { <gentutor_demos::vae::VaeDemo options=Default::default() id="vae-test".to_string() /> }
    });
    for _ in 0..5 {
        tick().await;
    }
    let text = |css: &str| text(&root, css);
    assert_eq!(text("[data-testid=vae-step-count]"), "step 0");
    click(&root, "[data-testid=vae-step]");
    tick().await;
    assert_eq!(text("[data-testid=vae-step-count]"), "step 1");
    let elbo: f64 = text("[data-testid=vae-elbo]").parse().expect("a number");
    assert!(elbo < -30.0 && elbo > -60.0, "untrained ELBO {elbo}");
    // beta changes the running model (no restart) and the link.
    set_value(&root, "[data-testid=vae-beta]", "2.5", "input");
    tick().await;
    let hash = hash();
    assert!(
        hash.contains("vae-test:") && hash.contains("beta=2.5"),
        "{hash}"
    );
    assert_eq!(text("[data-testid=vae-step-count]"), "step 1");
    // Four canvases, all drawn; a new decoder sample redraws the reconstructions only.
    let cs = canvases(&root);
    assert_eq!(cs.len(), 4);
    let before = pixels(&root);
    click(&root, "[data-testid=vae-resample]");
    tick().await;
    let after = pixels(&root);
    let changed: Vec<bool> = before.iter().zip(&after).map(|(a, b)| a != b).collect();
    assert_eq!(
        changed,
        vec![false, false, false, true],
        "only the sample row changes"
    );
    assert!(!has(&root, "[role=alert]"));
    drop(handle);
    root.remove();
}

/// The adversarial demo: the classifiers load (here: train, the test server has no
/// checkpoint), eps and the target reach the readouts and the link.
#[wasm_bindgen_test]
async fn adversarial_demo_attacks_with_the_chosen_eps_and_target() {
    provide_digits();
    let root = container();
    let handle = mount_to(root.clone(), || {
        view! { <gentutor_demos::adversarial::AdversarialDemo options=Default::default() id="adv-test".to_string() /> }
    });
    let text = |css: &str| text(&root, css);
    // Training ends (1,500 steps, a few dozen per frame); wait up to ~20 s.
    tick_until(1000, || {
        !has(&root, "[data-testid=adv-training]") && !text("[data-testid=adv-readout]").is_empty()
    })
    .await;
    let before = text("[data-testid=adv-readout]");
    assert!(
        before.contains("held-out accuracy under this attack"),
        "{before}"
    );
    let input = |css: &str, value: &str, ev: &str| set_value(&root, css, value, ev);
    input("[data-testid=adv-eps]", "0.25", "input");
    tick().await;
    let hash = hash();
    assert!(
        hash.contains("adv-test:") && hash.contains("eps=0.25"),
        "{hash}"
    );
    // At four grey levels no held-out digit survives (the lesson's table).
    assert!(
        text("[data-testid=adv-readout]").contains("held-out accuracy under this attack 0.0%"),
        "{}",
        text("[data-testid=adv-readout]")
    );
    // The default digit is a 3; aim it at 8.
    input("[data-testid=adv-target]", "8", "change");
    tick().await;
    assert!(text("[data-testid=adv-readout]").contains("turned into a 8"));
    assert!(text("[data-testid=adv-linear]").contains("z8 − z3"));
    assert!(!has(&root, "[role=alert]"));
    drop(handle);
    root.remove();
}

/// The semi-supervised GAN demo: Step trains one step of both classifiers; a new label count
/// restarts the run and goes into the link.
#[wasm_bindgen_test]
async fn ssgan_demo_steps_and_restarts_with_new_labels() {
    let root = container();
    let handle = mount_to(root.clone(), || {
        view! { <gentutor_demos::ssgan::SsganDemo options=Default::default() id="ssgan-test".to_string() /> }
    });
    for _ in 0..3 {
        tick().await;
    }
    let text = |css: &str| text(&root, css);
    let first = text("[data-testid=ssgan-readout]");
    assert!(first.starts_with("step 0 "), "{first}");
    assert!(
        !first.contains("NaN"),
        "no loss before the first step: {first}"
    );
    // The panels sit side by side on a wide screen and stack on a phone: the help names them
    // by their titles, not by where they are.
    let help = text(".demo-help");
    assert!(
        help.contains("“semi-supervised critic”") && help.contains("“labels only”"),
        "{help}"
    );
    assert!(!help.contains("Left") && !help.contains("Right"), "{help}");
    click(&root, "[data-testid=ssgan-step]");
    tick().await;
    let one = text("[data-testid=ssgan-readout]");
    assert!(
        one.starts_with("step 1 ") && one.contains("critic loss"),
        "{one}"
    );
    set_value(&root, "[data-testid=ssgan-labels]", "3", "change");
    tick().await;
    assert!(text("[data-testid=ssgan-readout]").starts_with("step 0 "));
    let hash = hash();
    assert!(
        hash.contains("ssgan-test:") && hash.contains("lab=3"),
        "{hash}"
    );
    assert!(!has(&root, "[role=alert]"));
    drop(handle);
    root.remove();
}
