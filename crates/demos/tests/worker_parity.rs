//! The 2D flow's and the semi-supervised GAN's runs cross to the training worker and back in
//! headless Chromium, through the same code the worker runs (`worker::load_remote` under the
//! demo's registry name, then `train` and `state`): at a fixed seed each trains exactly as the
//! page trained it before the demo moved to the worker (the same losses step by step, the same
//! state), and bytes the page did not make are refused with a message, not a panic.
#![cfg(target_arch = "wasm32")]

use gentutor_demos::shared::Live;
use gentutor_demos::ssgan::SsganLive;
use gentutor_demos::worker::{load_remote, Remote};
use gentutor_models::flow2d::{Config, Flow2d};
use gentutor_models::ssgan::{Ssgan, SsganConfig};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The demo's own settings (its defaults), at a fixed seed.
fn fresh() -> Flow2d {
    Flow2d::from_config(Config {
        seed: 5,
        ..Config::default()
    })
    .expect("the default settings are valid")
}

#[wasm_bindgen_test]
fn a_flow_run_trains_in_the_worker_as_it_did_on_the_page() {
    // The page path as it was: `Live::train` of the animation loop, 5 steps per frame.
    let mut page = fresh();
    for _ in 0..6 {
        Live::train(&mut page, 5).expect("trains on the page");
    }
    // The worker path: the page posts its run, the worker trains ticks of 5 and posts the state
    // after each; Pause hands the last one back.
    let mut worker = load_remote(<Flow2d as Remote>::KIND, &Remote::to_bytes(&fresh()))
        .expect("the worker reads the page's run");
    let mut posted = Vec::new();
    for _ in 0..6 {
        worker.train(5).expect("trains in the worker");
        posted = worker.state();
    }
    let back = <Flow2d as Remote>::from_bytes(&posted).expect("the page reads it back");
    assert_eq!(back.step_count(), 30);
    let (a, b) = (back.nll_history(), page.nll_history());
    assert_eq!(a.len(), 30, "one loss per step");
    assert_eq!(a, b, "the same losses, step by step");
    assert!(a.iter().all(|p| p[1].is_finite()));
    assert_eq!(back.eval_nll(), page.eval_nll());
    assert_eq!(
        Remote::to_bytes(&back),
        Remote::to_bytes(&page),
        "the same run"
    );
}

#[wasm_bindgen_test]
fn the_worker_refuses_bytes_the_page_did_not_make() {
    let bytes = Remote::to_bytes(&fresh());
    for bad in [&[][..], &[9, 1, 2, 3][..], &bytes[..bytes.len() / 3]] {
        let err = load_remote("flow2d", bad).err().expect("refused");
        assert!(!err.is_empty());
        assert!(<Flow2d as Remote>::from_bytes(bad).is_err());
    }
    // Under another demo's name the flow's bytes are not a run either.
    assert!(load_remote("gan1d", &bytes).is_err());
}

/// The semi-supervised GAN demo's default settings at a fixed seed.
fn fresh_ssgan() -> SsganLive {
    SsganLive(Ssgan::new(SsganConfig {
        seed: 5,
        ..SsganConfig::default()
    }))
}

#[wasm_bindgen_test]
fn a_ssgan_run_trains_in_the_worker_as_it_did_on_the_page() {
    // The page path as it was: `Live::train` of the animation loop, 10 steps per frame, the
    // losses read after each frame.
    let mut page = fresh_ssgan();
    let mut page_losses = Vec::new();
    for _ in 0..6 {
        Live::train(&mut page, 10).expect("trains on the page");
        page_losses.push(page.0.last_losses);
    }
    let mut worker = load_remote(SsganLive::KIND, &fresh_ssgan().to_bytes())
        .expect("the worker reads the page's run");
    let mut worker_losses = Vec::new();
    let mut posted = Vec::new();
    for _ in 0..6 {
        worker.train(10).expect("trains in the worker");
        posted = worker.state();
        let seen = SsganLive::from_bytes(&posted).expect("the page reads each post");
        worker_losses.push(seen.0.last_losses);
    }
    assert_eq!(
        worker_losses, page_losses,
        "the same losses, frame by frame"
    );
    assert!(page_losses.iter().flatten().all(|v| v.is_finite()));
    let back = SsganLive::from_bytes(&posted).expect("the page reads it back");
    assert_eq!(back.0.step_count(), 60);
    assert_eq!(
        back.0.accuracy, page.0.accuracy,
        "the same held-out accuracies"
    );
    assert_eq!(back.to_bytes(), page.to_bytes(), "the same run");
}

#[wasm_bindgen_test]
fn the_worker_refuses_ssgan_bytes_the_page_did_not_make() {
    let bytes = fresh_ssgan().to_bytes();
    for bad in [&[][..], &[9, 1, 2, 3][..], &bytes[..bytes.len() / 3]] {
        assert!(load_remote("ssgan", bad).is_err());
    }
    // The flow's bytes under the GAN's name, and the GAN's under the flow's: refused.
    assert!(load_remote("ssgan", &Remote::to_bytes(&fresh())).is_err());
    assert!(load_remote("flow2d", &bytes).is_err());
}
