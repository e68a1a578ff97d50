//! The digits GAN demo in headless Chromium: it starts from the shipped checkpoint (handed
//! over, as the test server has no `/assets`), reads out the coverage the checkpoint states,
//! steps, keeps its settings in the link, trains from scratch, and runs a whole training state
//! through the worker's bytes; without a checkpoint it says so and trains from scratch.
#![cfg(target_arch = "wasm32")]

use gentutor_demos::digits_gan::{DigitsGanDemo, GanLive};
use gentutor_demos::worker::Remote;
use leptos::mount::mount_to;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn container() -> web_sys::HtmlElement {
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .expect("document");
    let el = doc.create_element("div").expect("div");
    doc.body().expect("body").append_child(&el).expect("append");
    el.unchecked_into()
}

async fn tick() {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .expect("window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 20)
            .expect("timeout");
    });
    wasm_bindgen_futures::JsFuture::from(p).await.expect("tick");
}

fn click(root: &web_sys::HtmlElement, css: &str) {
    root.query_selector(css)
        .expect("selector")
        .unwrap_or_else(|| panic!("no {css}"))
        .unchecked_into::<web_sys::HtmlElement>()
        .click();
}

fn text(root: &web_sys::HtmlElement, css: &str) -> String {
    root.query_selector(css)
        .expect("selector")
        .and_then(|e| e.text_content())
        .unwrap_or_default()
}

fn step(root: &web_sys::HtmlElement) -> u64 {
    text(root, "[data-testid=digits-gan-step]")
        .trim_start_matches("step ")
        .parse()
        .unwrap_or(u64::MAX)
}

async fn until(root: &web_sys::HtmlElement, css: &str) {
    for _ in 0..200 {
        if root.query_selector(css).ok().flatten().is_some() {
            return;
        }
        tick().await;
    }
    panic!("{css} never appeared");
}

fn provide_digits() {
    gentutor_demos::vae::provide_digits(include_bytes!("../../../assets/data/digits-8x8.bin"))
        .expect("the shipped digits parse");
}

fn mount(id: &str) -> web_sys::HtmlElement {
    let root = container();
    let id = id.to_string();
    mount_to(root.clone(), move || {
        view! { <DigitsGanDemo options=Default::default() id=id.clone() /> }
    })
    .forget();
    root
}

#[wasm_bindgen_test]
async fn starts_from_the_checkpoint_reads_coverage_steps_and_trains_from_scratch() {
    provide_digits();
    gentutor_demos::checkpoints::provide_checkpoint(
        "digits-gan",
        include_bytes!("../../../assets/checkpoints/digits-gan.gtck"),
    );
    gentutor_demos::checkpoints::provide_checkpoint(
        "digit-classifier",
        include_bytes!("../../../assets/checkpoints/digit-classifier.gtck"),
    );
    let root = mount("digits-gan-test");
    until(&root, "[data-testid=digits-gan-step]").await;
    tick().await;
    assert_eq!(step(&root), 6000, "the shipped checkpoint's steps");
    let readout = text(&root, ".demo-readout");
    assert!(readout.contains("from the shipped checkpoint"), "{readout}");
    // The checkpoint draws every digit (its header says so; 500 samples here).
    assert_eq!(
        text(&root, "[data-testid=digits-gan-coverage]"),
        "draws 10 of 10 digits"
    );
    click(&root, "[data-testid=digits-gan-step-button]");
    tick().await;
    assert_eq!(step(&root), 6001, "Step trains one step");

    // A live setting keeps the run and goes into the link.
    let lr: web_sys::HtmlInputElement = root
        .query_selector("[data-testid=digits-gan-lr-d]")
        .expect("q")
        .expect("lr slider")
        .unchecked_into();
    lr.set_value("-3.5");
    lr.dispatch_event(&web_sys::Event::new("change").expect("event"))
        .expect("dispatch");
    tick().await;
    assert_eq!(step(&root), 6001, "the run is kept");
    let hash = web_sys::window()
        .expect("window")
        .location()
        .hash()
        .expect("hash");
    assert!(
        hash.contains("digits-gan-test:") && hash.contains("glrd=0.0003"),
        "{hash}"
    );

    // Train from scratch: new networks, training starts (on the page here: no worker URL).
    click(&root, "[data-testid=digits-gan-scratch]");
    for _ in 0..10 {
        tick().await;
    }
    click(&root, "[data-testid=digits-gan-play]"); // pause
    tick().await;
    let s = step(&root);
    assert!(s > 0 && s < 1000, "from scratch, trained {s} steps");
    assert!(text(&root, ".demo-readout").contains("from scratch"));
    assert!(root
        .query_selector("[data-testid=digits-gan-error]")
        .expect("q")
        .is_none());
    // Reset returns to the checkpoint.
    click(&root, "[data-testid=digits-gan-reset]");
    tick().await;
    assert_eq!(step(&root), 6000);
}

/// The worker's bytes: the page sends the digits with the run, the worker (no `window` there,
/// but the same decoding) rebuilds the exact run.
#[wasm_bindgen_test]
fn a_run_crosses_to_the_worker_with_its_digits() {
    use gentutor_models::digits::Digits;
    use gentutor_models::digits_gan::{DigitsGan, DigitsGanConfig};
    provide_digits();
    let d = Digits::parse(include_bytes!("../../../assets/data/digits-8x8.bin")).expect("parse");
    let mut g = DigitsGan::new(&DigitsGanConfig::default(), &d).expect("data");
    g.step(3).expect("trains");
    // On the page the digits are known once a demo loaded them: hand them over like one.
    gentutor_demos::digits_live::set_digits(&d);
    let live = gentutor_demos::digits_live::Run(g);
    let bytes = live.to_bytes();
    assert!(
        bytes.len() > live.0.to_bytes().len(),
        "the digits travel with the run"
    );
    let back = GanLive::from_bytes(&bytes).expect("reads");
    assert_eq!(back.0.to_bytes(), live.0.to_bytes());
    assert!(GanLive::from_bytes(&bytes[..10]).is_err());
    assert!(GanLive::from_bytes(&[7, 1, 2]).is_err());
}

/// The VAE demo starts from its shipped checkpoint too, and "Train from scratch" leaves it.
#[wasm_bindgen_test]
async fn the_vae_demo_starts_from_its_checkpoint() {
    provide_digits();
    gentutor_demos::checkpoints::provide_checkpoint(
        "vae",
        include_bytes!("../../../assets/checkpoints/vae.gtck"),
    );
    let root = container();
    mount_to(root.clone(), move || {
        view! { <gentutor_demos::vae::VaeDemo options=Default::default() id="vae-ckpt-test".to_string() /> }
    })
    .forget();
    until(&root, "[data-testid=vae-step-count]").await;
    tick().await;
    assert_eq!(text(&root, "[data-testid=vae-step-count]"), "step 20000");
    assert!(text(&root, ".demo-readout").contains("from the shipped checkpoint"));
    // The shipped VAE's held-out ELBO (about -23.9 nats; its header says so).
    let elbo: f64 = text(&root, "[data-testid=vae-elbo]")
        .parse()
        .expect("a number");
    assert!(elbo > -26.0 && elbo < -22.0, "ELBO {elbo}");
    click(&root, "[data-testid=vae-scratch]");
    for _ in 0..5 {
        tick().await;
    }
    click(&root, "[data-testid=vae-play]");
    tick().await;
    let s: u64 = text(&root, "[data-testid=vae-step-count]")
        .trim_start_matches("step ")
        .parse()
        .expect("a step");
    assert!(s < 5000, "from scratch: step {s}");
    assert!(!text(&root, ".demo-readout").contains("shipped checkpoint"));
}

/// The VAE's run crosses to the worker the same way: with its digits, decoded by the registry
/// under the demo's name (what the worker does), and trained there exactly as on the page.
#[wasm_bindgen_test]
fn a_vae_run_crosses_to_the_worker_and_trains_on_identically() {
    use gentutor_demos::digits_live::Run;
    use gentutor_models::digits::Digits;
    use gentutor_models::vae::{VaeConfig, VaeTrainer};
    provide_digits();
    let d = Digits::parse(include_bytes!("../../../assets/data/digits-8x8.bin")).expect("parse");
    let cfg = VaeConfig {
        hidden: 16,
        ..VaeConfig::default()
    };
    let mut t = VaeTrainer::new(&cfg, d).expect("data");
    t.step(3).expect("trains");
    let live = Run(t);
    let bytes = live.to_bytes();
    assert!(
        bytes.len() > live.0.to_bytes().len(),
        "the digits travel with the run"
    );
    let mut worker =
        gentutor_demos::worker::load_remote("vae", &bytes).expect("the worker reads it");
    worker.train(4).expect("trains in the worker");
    let mut page = live;
    page.0.step(4).expect("trains on the page");
    let back = Run::<VaeTrainer>::from_bytes(&worker.state()).expect("the page reads it back");
    assert_eq!(back.0.step_count(), 7);
    assert_eq!(
        back.0.to_bytes(),
        page.0.to_bytes(),
        "the same run either way"
    );
    assert!(Run::<VaeTrainer>::from_bytes(&bytes[..20]).is_err());
}
