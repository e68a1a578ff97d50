//! Fixed-seed tests of the digits GAN as a whole: it learns digits (the coverage read-out), a
//! run survives the trip to the worker and back, and the shipped checkpoint says what the
//! lessons say about it.

use super::checkpoint::{COVERAGE_SAMPLES, COVERAGE_SEED};
use super::*;
use crate::checkpoint::Checkpoint;
use crate::digit_classifier::Classifier;
use crate::digits::Digits;

fn data() -> Digits {
    Digits::shipped().expect("shipped digits parse")
}

/// Fixed seed, default settings: after 1,500 steps the classifier finds all 10
/// digits among 1,000 samples, most samples look confidently like a digit, and D has not won.
/// Untrained, the samples cover at most three digits.
#[test]
fn learns_to_draw_most_digits() {
    let d = data();
    let c = Classifier::standard(&d).expect("classifier");
    let mut g = DigitsGan::new(&DigitsGanConfig::default(), &d).expect("data");
    let before = Coverage::of(&c, g.samples(COVERAGE_SAMPLES, COVERAGE_SEED).view());
    g.step(1500).expect("no divergence");
    let after = Coverage::of(&c, g.samples(COVERAGE_SAMPLES, COVERAGE_SEED).view());
    eprintln!(
        "digits GAN: before {:?} ({:.2} confident), after 1500 steps {:?} ({:.2} confident), counts {:?}",
        before.produced(),
        before.confident_share(),
        after.produced(),
        after.confident_share(),
        after.counts
    );
    // Untrained, G maps every z to nearly the same blob: at most a few "digits".
    assert!(before.produced().len() <= 3, "{before:?}");
    // All ten (the failure-modes lesson says so for step 1,500).
    assert_eq!(after.produced().len(), 10, "{after:?}");
    assert!(after.confident_share() >= 0.6, "{after:?}");
    let dr = g.curves().d_real.recent_mean(100);
    let df = g.curves().d_fake.recent_mean(100);
    assert!(
        dr > df && dr < 0.95 && df > 0.05,
        "D(real) {dr}, D(fake) {df}"
    );
    // Sharp, not blurry: most generated pixels are near ink or near paper, as in the data.
    let x = g.samples(500, 3);
    let sharp = x.iter().filter(|&&p| !(0.2..=0.8).contains(&p)).count() as f64 / x.len() as f64;
    assert!(sharp > 0.6, "share of decided pixels {sharp}");
}

/// Same seed, same run; a run crosses to the worker and back without losing a bit, and both
/// copies go on identically.
#[test]
fn a_run_is_its_seed_and_survives_the_bytes() {
    let d = data();
    let mut a = DigitsGan::new(&DigitsGanConfig::default(), &d).expect("data");
    let mut b = DigitsGan::new(&DigitsGanConfig::default(), &d).expect("data");
    a.step(20).expect("trains");
    b.step(20).expect("trains");
    assert_eq!(a.to_bytes(), b.to_bytes());
    let mut c = DigitsGan::from_bytes(&a.to_bytes(), &d).expect("reads");
    assert_eq!(c.to_bytes(), a.to_bytes(), "nothing lost");
    a.step(5).expect("trains");
    c.step(5).expect("trains");
    assert_eq!(c.to_bytes(), a.to_bytes(), "continues identically");
    assert_eq!(c.grid().dim(), (train::GRID, 64));
    let other = DigitsGanConfig {
        seed: 2,
        ..DigitsGanConfig::default()
    };
    assert_ne!(
        DigitsGan::new(&other, &d).expect("data").to_bytes(),
        DigitsGan::new(&DigitsGanConfig::default(), &d)
            .expect("data")
            .to_bytes()
    );
    let bytes = a.to_bytes();
    for bad in [&[][..], &[9u8, 1, 2][..], &bytes[..bytes.len() / 2]] {
        assert!(DigitsGan::from_bytes(bad, &d).is_err());
    }
    // Live settings keep the run; out-of-range values are clamped.
    a.set_lrs(1.0, f32::NAN);
    a.set_batch(0);
    assert_eq!(
        (a.config().lr_g, a.config().lr_d, a.config().batch),
        (1e-2, 1e-3, 8)
    );
    a.step(1).expect("trains with the new settings");
    assert_eq!(a.step_count(), 26);
}

/// The shipped checkpoint: it loads, continues training, and its stated coverage is what its
/// weights give (the demo's caption reads these numbers).
#[test]
fn the_shipped_checkpoint_states_its_coverage_truthfully() {
    let d = data();
    let bytes = include_bytes!("../../../../assets/checkpoints/digits-gan.gtck");
    let (ck, w) = Checkpoint::load::<GanWeights>(bytes).expect("loads");
    assert_eq!(
        w.config,
        DigitsGanConfig::default(),
        "the demo's default settings"
    );
    assert_eq!((ck.seed, ck.steps), (w.config.seed, SHIPPED_STEPS));
    let c = Classifier::standard(&d).expect("classifier");
    let g = DigitsGan::from_weights(&w.config, w.nets, ck.steps, &d).expect("fits");
    let cov = Coverage::of(&c, g.samples(COVERAGE_SAMPLES, COVERAGE_SEED).view());
    assert_eq!(
        ck.metric("digits_produced"),
        Some(cov.produced().len() as f64)
    );
    for k in 0..10 {
        assert_eq!(ck.metric(&format!("share_{k}")), Some(cov.share(k)));
    }
    assert_eq!(
        cov.produced().len(),
        10,
        "the shipped GAN draws every digit: {cov:?}"
    );
    let mut g = g;
    g.step(3).expect("continues");
    assert_eq!(g.step_count(), SHIPPED_STEPS + 3);
}

/// The lesson's mode-collapse claim, on the preset's own seed: with G's learning rate 25 times
/// D's, after 1,000 steps from scratch the classifier finds a single digit among the samples.
#[test]
fn the_collapse_preset_drops_all_but_one_digit() {
    let d = data();
    let c = Classifier::standard(&d).expect("classifier");
    let mut g = DigitsGan::new(&config::Preset::Collapse.config(), &d).expect("data");
    g.step(1000).expect("no divergence");
    let cov = Coverage::of(&c, g.samples(COVERAGE_SAMPLES, COVERAGE_SEED).view());
    eprintln!("collapse preset after 1000 steps: {cov:?}");
    assert_eq!(cov.produced().len(), 1, "{cov:?}");
    assert_eq!(cov.dropped().len(), 9);
    assert_eq!(
        config::Preset::from_name("collapse"),
        Some(config::Preset::Collapse)
    );
    assert!(!config::Preset::Collapse.from_checkpoint());
}

/// Share of pixels that are clearly ink or clearly paper (outside 0.2..0.8).
fn decided(x: &ndarray::Array2<f32>) -> f64 {
    x.iter().filter(|&&p| !(0.2..=0.8).contains(&p)).count() as f64 / x.len().max(1) as f64
}

/// The model-families lesson's claim, on the two shipped checkpoints: the GAN's samples are
/// sharper than the VAE's decoder means (more pixels clearly ink or paper), and about as sharp
/// as the real digits.
#[test]
fn shipped_gan_samples_are_sharper_than_the_shipped_vae_means() {
    use crate::checkpoint::models::VaeWeights;
    use gentutor_rng::Rng;
    let d = data();
    let (_, g) = Checkpoint::load::<GanWeights>(include_bytes!(
        "../../../../assets/checkpoints/digits-gan.gtck"
    ))
    .expect("gan loads");
    let (_, v) =
        Checkpoint::load::<VaeWeights>(include_bytes!("../../../../assets/checkpoints/vae.gtck"))
            .expect("vae loads");
    let gan = DigitsGan::from_weights(&g.config, g.nets, 0, &d).expect("fits");
    let gan_sharp = decided(&gan.samples(500, 5));
    let mut z = ndarray::Array2::zeros((500, crate::vae::LATENT));
    Rng::new(5).fill_normal(z.iter_mut());
    let vae_sharp = decided(&v.vae.decode_mean(z.view()));
    let real_sharp = decided(&d.batch_unit(&d.standard_split().test));
    eprintln!("decided pixels: GAN {gan_sharp:.3}, VAE mean {vae_sharp:.3}, real {real_sharp:.3}");
    assert!(
        gan_sharp > vae_sharp + 0.05,
        "GAN {gan_sharp}, VAE {vae_sharp}"
    );
    assert!(
        (gan_sharp - real_sharp).abs() < 0.1,
        "GAN {gan_sharp}, real {real_sharp}"
    );
}
