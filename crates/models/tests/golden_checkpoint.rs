//! Golden checkpoints: the site ships checkpoints (`assets/checkpoints/*.gtck`) and a page may
//! meet a file written by another version. The files in `tests/golden/` were written once by
//! the first version of the format (small networks trained a few steps at a fixed seed, each
//! with a metric measured at writing time); the current code must read them, find the header
//! they were written with, rebuild the model and measure the same metric, and write the same
//! bytes back.
//!
//! Written with `GENTUTOR_BLESS=1 cargo test -p gentutor-models --test golden_checkpoint`, which
//! writes a file only if it is missing: an existing one is never rewritten. If an API rename
//! breaks compilation here, adapt the call, never the file.

use gentutor_models::checkpoint::models::VaeWeights;
use gentutor_models::checkpoint::Checkpoint;
use gentutor_models::digit_classifier::Classifier;
use gentutor_models::digits::Digits;
use gentutor_models::digits_gan::{DigitsGan, DigitsGanConfig, GanWeights};
use gentutor_models::rng::Rng;
use gentutor_models::vae::{VaeConfig, VaeTrainer};
use std::path::PathBuf;

const SEED: u64 = 3;
const STEPS: u64 = 30;

fn data() -> Digits {
    Digits::shipped().expect("digits")
}

fn gan_config() -> DigitsGanConfig {
    DigitsGanConfig {
        latent: 4,
        hidden: 16,
        seed: SEED,
        ..DigitsGanConfig::default()
    }
}

fn vae_config() -> VaeConfig {
    VaeConfig {
        hidden: 8,
        depth: 1,
        seed: SEED,
        ..VaeConfig::default()
    }
}

/// The measured metric of each model (recomputed from the loaded weights by the test).
fn classifier_metric(c: &Classifier, d: &Digits) -> f64 {
    c.accuracy(d, &d.standard_split().test)
}
fn vae_metric(w: &VaeWeights, d: &Digits) -> f64 {
    VaeTrainer::from_weights(&w.config, d.clone(), w.vae.clone(), STEPS)
        .expect("fits")
        .test_terms(7)
        .elbo()
}
fn gan_metric(w: &GanWeights, d: &Digits) -> f64 {
    let g = DigitsGan::from_weights(&w.config, w.nets.clone(), STEPS, d).expect("fits");
    g.grid().iter().map(|&v| f64::from(v)).sum()
}

/// What the first version wrote.
fn fresh(kind: &str, d: &Digits) -> Checkpoint {
    match kind {
        "digit-classifier" => {
            let mut rng = Rng::new(SEED);
            let mut c = Classifier::new(&[8], &mut rng);
            c.train(d, &d.standard_split(), STEPS as usize, 32, &mut rng)
                .expect("trains");
            let m = classifier_metric(&c, d);
            Checkpoint::of(&c, SEED, STEPS, vec![("metric".into(), m)])
        }
        "vae" => {
            let mut t = VaeTrainer::new(&vae_config(), d.clone()).expect("data");
            t.step(STEPS as usize).expect("trains");
            let w = VaeWeights {
                config: t.config().clone(),
                vae: t.vae().clone(),
            };
            let m = vae_metric(&w, d);
            Checkpoint::of(&w, SEED, STEPS, vec![("metric".into(), m)])
        }
        _ => {
            let mut g = DigitsGan::new(&gan_config(), d).expect("data");
            g.step(STEPS as usize).expect("trains");
            let w = GanWeights {
                config: g.config().clone(),
                nets: g.nets().clone(),
            };
            let m = gan_metric(&w, d);
            Checkpoint::of(&w, SEED, STEPS, vec![("metric".into(), m)])
        }
    }
}

fn golden(kind: &str, d: &Digits) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(format!("checkpoint_v1_{kind}.gtck"));
    if !path.exists() && std::env::var_os("GENTUTOR_BLESS").is_some() {
        let bytes = fresh(kind, d).encode().expect("encodes");
        std::fs::write(&path, bytes).expect("writes the golden file");
    }
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn check_header(c: &Checkpoint, kind: &str, bytes: &[u8]) {
    assert_eq!(&bytes[..4], b"GTCK");
    assert_eq!(u16::from_le_bytes([bytes[4], bytes[5]]), 1);
    assert_eq!(
        (c.kind.as_str(), c.model_version, c.seed, c.steps),
        (kind, 1, SEED, STEPS)
    );
    assert_eq!(
        c.encode().expect("encodes"),
        bytes,
        "{kind}: written back byte for byte"
    );
}

#[test]
fn frozen_checkpoints_still_load_and_measure_the_same() {
    let d = data();

    let bytes = golden("digit-classifier", &d);
    let (c, m) = Checkpoint::load::<Classifier>(&bytes).expect("classifier loads");
    check_header(&c, "digit-classifier", &bytes);
    assert_eq!(c.metric("metric"), Some(classifier_metric(&m, &d)));

    let bytes = golden("vae", &d);
    let (c, w) = Checkpoint::load::<VaeWeights>(&bytes).expect("vae loads");
    check_header(&c, "vae", &bytes);
    assert_eq!(w.config, vae_config());
    assert_eq!(c.metric("metric"), Some(vae_metric(&w, &d)));

    let bytes = golden("digits-gan", &d);
    let (c, w) = Checkpoint::load::<GanWeights>(&bytes).expect("gan loads");
    check_header(&c, "digits-gan", &bytes);
    assert_eq!(w.config, gan_config());
    assert_eq!(c.metric("metric"), Some(gan_metric(&w, &d)));
    // And the frozen GAN still trains on.
    let mut g = DigitsGan::from_weights(&w.config, w.nets, STEPS, &d).expect("fits");
    g.step(2).expect("trains");
}
