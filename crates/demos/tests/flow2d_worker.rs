//! The 2D flow's run crosses to the training worker and back in headless Chromium, through the
//! same code the worker runs (`worker::load_remote` under the demo's registry name, then
//! `train` and `state`): at a fixed seed it trains exactly as the page trained it before the
//! demo moved to the worker (the same losses step by step, the same state), and bytes the page
//! did not make are refused with a message, not a panic.
#![cfg(target_arch = "wasm32")]

use gentutor_demos::shared::Live;
use gentutor_demos::worker::{load_remote, Remote};
use gentutor_models::flow2d::{Config, Flow2d};
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
