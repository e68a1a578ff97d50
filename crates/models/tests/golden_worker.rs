//! Golden worker state: the demos hand a training run to a Web Worker and back as bytes
//! (`to_bytes` / `from_bytes`), and a page of one version may meet bytes of another (a worker or
//! a saved run from before an update). The files in `tests/golden/` are runs saved by the first
//! version with this test, at a fixed seed; the current code must still read them, find the
//! values they were saved with, and resume them exactly.
//!
//! The files were written once with `GENTUTOR_BLESS=1 cargo test -p gentutor-models --test
//! golden_worker`, which writes a golden file only if it is missing: an existing one is what an
//! older version saved and is never rewritten. If a rename of the API breaks compilation here,
//! adapt the call, never the file.

use gentutor_models::diffusion::config::{ActKind as DiffAct, LossKind as DiffLoss};
use gentutor_models::diffusion::timesteps::TSampling;
use gentutor_models::diffusion::{Dataset2d, Denoiser, DiffusionConfig, ScheduleKind};
use gentutor_models::digits::Digits;
use gentutor_models::digits_diffusion::config::DigitsSchedule;
use gentutor_models::digits_diffusion::{DiffusionDigitsConfig, DigitsDiffusion};
use gentutor_models::digits_flow::{DigitsFlow, FlowConfig};
use gentutor_models::flow2d::{self, Flow2d};
use gentutor_models::gan1d::{self, ActKind, Gan1d, LossKind, OptKind};
use gentutor_models::ssgan::{LabelledSet, Ssgan, SsganConfig};
use gentutor_models::vae::config::DecoderKind;
use gentutor_models::vae::{VaeConfig, VaeTrainer};
use ndarray::array;
use std::path::PathBuf;

/// Seed and training steps of the frozen runs.
const SEED: u64 = 7;
const STEPS: usize = 20;
/// Steps trained after loading, to check the run resumes exactly.
const MORE: usize = 10;

fn golden_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name)
}

/// The golden file `name`. With `GENTUTOR_BLESS=1` a missing file is first written from `make`.
fn golden(name: &str, make: impl FnOnce() -> Vec<u8>) -> Vec<u8> {
    let path = golden_path(name);
    if std::env::var_os("GENTUTOR_BLESS").is_some_and(|v| v == "1") && !path.exists() {
        std::fs::create_dir_all(path.parent().expect("golden dir")).expect("mkdir golden");
        std::fs::write(&path, make()).expect("write the golden file");
    }
    std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "{} is missing ({e}); it is a frozen file from an older version, restore it from git",
            path.display()
        )
    })
}

/// A small GAN (the file stays small): every setting away from its default.
fn gan_config() -> gan1d::Config {
    gan1d::Config {
        modes: 3,
        spacing: 2.5,
        std: 0.3,
        g_width: 8,
        g_depth: 1,
        g_act: ActKind::Tanh,
        d_width: 8,
        d_depth: 2,
        d_act: ActKind::LeakyRelu,
        loss: LossKind::NonSaturating,
        gp_lambda: 10.0,
        d_steps: 2,
        lr_g: 0.002,
        lr_d: 0.001,
        optimizer: OptKind::Adam,
        beta1: 0.5,
        beta2: 0.999,
        batch: 32,
    }
}

fn gan_trained(steps: usize) -> Gan1d {
    let mut g = Gan1d::new(gan_config(), SEED).expect("valid config");
    g.step(steps).expect("trains");
    g
}

#[test]
fn gan_worker_bytes_of_v1_still_load() {
    let bytes = golden("gan1d_seed7_step20.bin", || gan_trained(STEPS).to_bytes());
    let g = Gan1d::from_bytes(&bytes).expect("the frozen GAN run decodes");
    assert_eq!(g.config(), &gan_config());
    assert_eq!(g.seed(), SEED);
    assert_eq!(g.step_count(), STEPS as u64);
    assert!(g.diverged().is_none());
    // Values the run was saved with (read from the file when it was written).
    let gen = g.generator();
    assert_eq!(gen.layers.len(), 2);
    assert_eq!(gen.layers[0].w.dim(), (1, 8));
    assert_eq!(gen.layers[0].w.row(0).to_vec(), GAN_G_W0);
    assert_eq!(g.discriminator().layers[2].b, array![GAN_D_B_LAST]);
    let loss_d = g.histories().loss_d.points();
    assert_eq!(loss_d.len(), STEPS);
    assert_eq!([loss_d[0], loss_d[STEPS - 1]], GAN_LOSS_D_FIRST_LAST);
}

#[test]
fn gan_run_resumes_exactly_from_the_frozen_bytes() {
    let bytes = golden("gan1d_seed7_step20.bin", || gan_trained(STEPS).to_bytes());
    let mut resumed = Gan1d::from_bytes(&bytes).expect("decodes");
    resumed.step(MORE).expect("trains on");
    // The bytes carry the whole state (weights, optimiser moments, random stream, curves): the
    // resumed run is the run trained without a break.
    let straight = gan_trained(STEPS + MORE);
    assert_eq!(resumed.step_count(), (STEPS + MORE) as u64);
    assert_eq!(resumed.to_bytes(), straight.to_bytes());
}

/// A small denoiser, every setting away from its default.
fn denoiser_config() -> DiffusionConfig {
    DiffusionConfig {
        schedule: ScheduleKind::Cosine,
        steps: 100,
        beta_1: 0.0002,
        beta_t: 0.03,
        t: 50,
        dataset: Dataset2d::EightGaussians,
        n_points: 500,
        hidden: 16,
        depth: 2,
        time_freqs: 2,
        act: DiffAct::Tanh,
        lr: 0.002,
        batch: 32,
        loss: DiffLoss::Simple,
        t_sampling: TSampling::LowDiscrepancy,
    }
}

fn denoiser_trained(steps: usize) -> Denoiser {
    let mut d = Denoiser::new(&denoiser_config(), SEED).expect("valid config");
    d.step(steps).expect("trains");
    d
}

#[test]
fn denoiser_worker_bytes_of_v1_still_load() {
    let bytes = golden("denoiser_seed7_step20.bin", || {
        denoiser_trained(STEPS).to_bytes()
    });
    let d = Denoiser::from_bytes(&bytes).expect("the frozen denoiser run decodes");
    assert_eq!(d.config(), &denoiser_config());
    assert_eq!(d.seed(), SEED);
    assert_eq!(d.step_count(), STEPS as u64);
    assert!(d.diverged().is_none());
    assert_eq!(d.loss_history().stride(), 1);
    let losses: Vec<f32> = d.loss_history().points().iter().map(|p| p[1]).collect();
    assert_eq!(losses, DENOISER_LOSSES);
    // Read into the shared loss history and written back: the same bytes.
    assert_eq!(d.to_bytes(), bytes);
    // The saved network's prediction at two fixed points and time steps.
    let eps = d.predict_eps(array![[0.5f32, -1.0], [2.0, 0.0]].view(), 30);
    assert_eq!(eps, ndarray::arr2(&DENOISER_EPS));
}

#[test]
fn denoiser_run_resumes_exactly_from_the_frozen_bytes() {
    let bytes = golden("denoiser_seed7_step20.bin", || {
        denoiser_trained(STEPS).to_bytes()
    });
    let mut resumed = Denoiser::from_bytes(&bytes).expect("decodes");
    resumed.step(MORE).expect("trains on");
    let straight = denoiser_trained(STEPS + MORE);
    assert_eq!(resumed.step_count(), (STEPS + MORE) as u64);
    assert_eq!(resumed.to_bytes(), straight.to_bytes());
}

/// A small VAE (the file stays small): settings away from their defaults. The VAE's bytes do
/// not carry the digits (the page sends those beside them); it is read against the shipped set.
fn vae_config() -> VaeConfig {
    VaeConfig {
        hidden: 8,
        depth: 1,
        decoder: DecoderKind::Gaussian,
        sigma: 0.3,
        beta: 0.5,
        lr: 0.002,
        batch: 16,
        speed: 3,
        seed: SEED,
    }
}

fn digits() -> Digits {
    Digits::shipped().expect("the shipped digits parse")
}

fn vae_trained(steps: usize) -> VaeTrainer {
    let mut t = VaeTrainer::new(&vae_config(), digits()).expect("valid config");
    t.step(steps).expect("trains");
    t
}

#[test]
fn vae_worker_bytes_of_v1_still_load() {
    let bytes = golden("vae_seed7_step20.bin", || vae_trained(STEPS).to_bytes());
    assert_eq!(bytes[0], 1, "layout version 1");
    let t = VaeTrainer::from_bytes(&bytes, digits()).expect("the frozen VAE run decodes");
    assert_eq!(t.config(), &vae_config());
    assert_eq!(t.step_count(), STEPS as u64);
    assert!(t.error().is_none());
    let (recon, kl) = t.curves();
    assert_eq!(recon.points().len(), STEPS);
    assert_eq!(
        [recon.points()[0], recon.points()[STEPS - 1]],
        VAE_RECON_FIRST_LAST
    );
    assert_eq!(kl.points()[STEPS - 1], VAE_KL_LAST);
    assert_eq!(t.vae().decoder.layers[0].b.to_vec(), VAE_DEC_B0);
    // Read and written back: the same bytes.
    assert_eq!(t.to_bytes(), bytes);
    let terms = t.test_terms(7);
    assert_eq!([terms.recon, terms.kl], VAE_TEST_TERMS);
}

#[test]
fn vae_run_resumes_exactly_from_the_frozen_bytes() {
    let bytes = golden("vae_seed7_step20.bin", || vae_trained(STEPS).to_bytes());
    let mut resumed = VaeTrainer::from_bytes(&bytes, digits()).expect("decodes");
    resumed.step(MORE).expect("trains on");
    let straight = vae_trained(STEPS + MORE);
    assert_eq!(resumed.step_count(), (STEPS + MORE) as u64);
    assert_eq!(resumed.to_bytes(), straight.to_bytes());
}

/// A small digits flow, settings away from their defaults. Batches of 100: the 20 frozen steps
/// and the 10 resumed ones each cross an epoch of the training split, so the saved epoch order
/// and position (and the reshuffle) are exercised.
fn flow_config() -> FlowConfig {
    FlowConfig {
        layers: 2,
        hidden: 8,
        lr: 0.002,
        batch: 100,
        temperature: 0.5,
        speed: 3,
        seed: SEED,
    }
}

fn flow_trained(steps: usize) -> DigitsFlow {
    let mut f = DigitsFlow::new(&flow_config(), digits()).expect("valid config");
    f.step(steps).expect("trains");
    f
}

/// The worker bytes (without the digits the page sends beside them) saved by 0ed8c89, the
/// version before the batch order became `train_loop::Epochs` (58f76c7). Written from a git
/// worktree at 0ed8c89 with the same config and calls as `flow_trained(STEPS).to_bytes()`.
const FLOW_GOLDEN: &str = "digits_flow_seed7_step20.bin";
/// As [`FLOW_GOLDEN`], for the digits diffusion model.
const DIFFUSION_GOLDEN: &str = "digits_diffusion_seed7_step20.bin";

#[test]
fn digits_flow_worker_bytes_of_0ed8c89_still_load() {
    let bytes = golden(FLOW_GOLDEN, || flow_trained(STEPS).to_bytes());
    let f = DigitsFlow::from_bytes(&bytes, digits()).expect("the frozen flow run decodes");
    assert_eq!(f.config(), &flow_config());
    assert_eq!(f.step_count(), STEPS as u64);
    assert!(f.diverged().is_none());
    assert!(f.recent_train_bpd(STEPS).is_finite());
    // Read and written back: the same bytes.
    assert_eq!(f.to_bytes(), bytes);
    // The current code, trained from scratch, writes exactly what the old code wrote.
    assert_eq!(flow_trained(STEPS).to_bytes(), bytes);
}

#[test]
fn digits_flow_run_resumes_exactly_from_the_frozen_bytes() {
    let bytes = golden(FLOW_GOLDEN, || flow_trained(STEPS).to_bytes());
    let mut resumed = DigitsFlow::from_bytes(&bytes, digits()).expect("decodes");
    resumed.step(MORE).expect("trains on");
    let straight = flow_trained(STEPS + MORE);
    assert_eq!(resumed.step_count(), (STEPS + MORE) as u64);
    assert_eq!(resumed.to_bytes(), straight.to_bytes());
    assert_eq!(
        resumed.samples(4, 0.5, 3).as_slice(),
        straight.samples(4, 0.5, 3).as_slice()
    );
}

/// A small digits diffusion model, settings away from their defaults (batches of 100, as the
/// flow's).
fn diffusion_config() -> DiffusionDigitsConfig {
    DiffusionDigitsConfig {
        steps: 50,
        schedule: DigitsSchedule::Linear,
        hidden: 16,
        depth: 1,
        lr: 0.002,
        batch: 100,
        speed: 3,
        seed: SEED,
        clip: false,
    }
}

fn diffusion_trained(steps: usize) -> DigitsDiffusion {
    let mut d = DigitsDiffusion::new(&diffusion_config(), digits()).expect("valid config");
    d.step(steps).expect("trains");
    d
}

#[test]
fn digits_diffusion_worker_bytes_of_0ed8c89_still_load() {
    let bytes = golden(DIFFUSION_GOLDEN, || diffusion_trained(STEPS).to_bytes());
    let d = DigitsDiffusion::from_bytes(&bytes, digits()).expect("the frozen run decodes");
    assert_eq!(d.config(), &diffusion_config());
    assert_eq!(d.step_count(), STEPS as u64);
    assert!(d.diverged().is_none());
    assert!(d.recent_loss(STEPS).is_finite());
    assert_eq!(d.to_bytes(), bytes);
    assert_eq!(diffusion_trained(STEPS).to_bytes(), bytes);
}

#[test]
fn digits_diffusion_run_resumes_exactly_from_the_frozen_bytes() {
    let bytes = golden(DIFFUSION_GOLDEN, || diffusion_trained(STEPS).to_bytes());
    let mut resumed = DigitsDiffusion::from_bytes(&bytes, digits()).expect("decodes");
    resumed.step(MORE).expect("trains on");
    let straight = diffusion_trained(STEPS + MORE);
    assert_eq!(resumed.step_count(), (STEPS + MORE) as u64);
    assert_eq!(resumed.to_bytes(), straight.to_bytes());
    assert_eq!(resumed.test_loss(3), straight.test_loss(3));
}

#[test]
fn the_digits_goldens_cross_epochs() {
    // The claim in `flow_config`'s comment: 20 batches of 100 pass the end of the training
    // split once, and 10 more pass it again.
    let n = digits().standard_split().train.len();
    assert!(
        STEPS * 100 > n && STEPS * 100 < 2 * n,
        "{n} training digits"
    );
    assert!((STEPS + MORE) * 100 > 2 * n, "{n} training digits");
}

/// A small 2D flow (the file stays small): every setting away from its default, an odd number
/// of blocks (the last keeps coordinate 0) and ActNorm on.
fn flow2d_config() -> flow2d::Config {
    flow2d::Config {
        layers: 3,
        hidden: 8,
        lr: 0.002,
        dataset: Dataset2d::Rings,
        batch: 32,
        actnorm: true,
        seed: SEED,
    }
}

fn flow2d_trained(steps: usize) -> Flow2d {
    let mut f = Flow2d::from_config(flow2d_config()).expect("valid config");
    f.step(steps).expect("trains");
    f
}

const FLOW2D_GOLDEN: &str = "flow2d_seed7_step20.bin";

#[test]
fn flow2d_worker_bytes_of_v1_still_load() {
    let bytes = golden(FLOW2D_GOLDEN, || flow2d_trained(STEPS).to_bytes());
    assert_eq!(bytes[0], 1, "layout version 1");
    let f = Flow2d::from_bytes(&bytes).expect("the frozen flow run decodes");
    assert_eq!(f.config(), &flow2d_config());
    assert_eq!(f.layers(), 3);
    assert_eq!(f.step_count(), STEPS as u64);
    assert!(f.diverged().is_none());
    let nll = f.nll_history();
    assert_eq!(nll.len(), STEPS);
    assert_eq!([nll[0], nll[STEPS - 1]], FLOW2D_NLL_FIRST_LAST);
    // The saved weights, evaluation batch and view points, read through what the demo shows.
    assert_eq!(f.eval_nll(), FLOW2D_EVAL_NLL);
    assert_eq!(f.view(4, 4).samples[0], FLOW2D_SAMPLE0);
    // Read and written back: the same bytes.
    assert_eq!(f.to_bytes(), bytes);
}

#[test]
fn flow2d_run_resumes_exactly_from_the_frozen_bytes() {
    let bytes = golden(FLOW2D_GOLDEN, || flow2d_trained(STEPS).to_bytes());
    let mut resumed = Flow2d::from_bytes(&bytes).expect("decodes");
    resumed.step(MORE).expect("trains on");
    let straight = flow2d_trained(STEPS + MORE);
    assert_eq!(resumed.step_count(), (STEPS + MORE) as u64);
    assert_eq!(resumed.nll_history(), straight.nll_history());
    assert_eq!(resumed.to_bytes(), straight.to_bytes());
}

/// A small semi-supervised GAN (the file stays small): settings away from their defaults. The
/// 10 resumed steps cross an evaluation of the held-out accuracy (every 25 steps).
fn ssgan_config() -> SsganConfig {
    SsganConfig {
        dataset: LabelledSet::Spirals,
        labels: 3,
        unlabelled: 120,
        hidden: 8,
        lr_d: 0.003,
        lr_g: 0.002,
        batch: 16,
        speed: 7,
        seed: SEED,
    }
}

fn ssgan_trained(steps: usize) -> Ssgan {
    let mut s = Ssgan::new(ssgan_config());
    s.step(steps).expect("trains");
    s
}

const SSGAN_GOLDEN: &str = "ssgan_seed7_step20.bin";

#[test]
fn ssgan_worker_bytes_of_v1_still_load() {
    let bytes = golden(SSGAN_GOLDEN, || ssgan_trained(STEPS).to_bytes());
    assert_eq!(bytes[0], 1, "layout version 1");
    let s = Ssgan::from_bytes(&bytes).expect("the frozen run decodes");
    assert_eq!(s.config, ssgan_config());
    assert_eq!(s.step_count(), STEPS as u64);
    assert_eq!(s.labels.len(), 9);
    assert_eq!(s.unlabelled.nrows(), 120);
    assert_eq!(s.last_losses, SSGAN_LAST_LOSSES);
    let a = s.latest();
    assert_eq!(
        (a.step, a.ssgan, a.labels_only),
        (0, SSGAN_ACC0[0], SSGAN_ACC0[1])
    );
    assert_eq!(s.generated().row(0).to_vec(), SSGAN_GENERATED0);
    // Read and written back: the same bytes.
    assert_eq!(s.to_bytes(), bytes);
}

#[test]
fn ssgan_run_resumes_exactly_from_the_frozen_bytes() {
    let bytes = golden(SSGAN_GOLDEN, || ssgan_trained(STEPS).to_bytes());
    let mut resumed = Ssgan::from_bytes(&bytes).expect("decodes");
    resumed.step(MORE).expect("trains on");
    let straight = ssgan_trained(STEPS + MORE);
    assert_eq!(resumed.step_count(), (STEPS + MORE) as u64);
    assert_eq!(resumed.accuracy.len(), 2, "evaluated at steps 0 and 25");
    assert_eq!(resumed.accuracy, straight.accuracy);
    assert_eq!(resumed.last_losses, straight.last_losses);
    assert_eq!(resumed.to_bytes(), straight.to_bytes());
}

// Values read from the golden files when they were written (`{:?}` of each; `{:?}` of an f32
// reads back to the same bits, so the comparisons are exact).
const GAN_G_W0: [f32; 8] = [
    0.24858022,
    -0.5147769,
    -0.07846988,
    -1.1500533,
    -0.1478409,
    -0.8702373,
    1.0277104,
    -1.1660192,
];
const GAN_D_B_LAST: f32 = -0.04227918;
const GAN_LOSS_D_FIRST_LAST: [[f32; 2]; 2] = [[1.0, 1.0830957], [20.0, 1.0086092]];
const DENOISER_LOSSES: &[f32] = &[
    1.4441099, 1.7115382, 1.1685507, 1.2795718, 1.3315425, 1.3326156, 1.2775434, 0.97906196,
    1.2661253, 1.2548504, 1.3601903, 0.87683237, 1.0324569, 0.87686986, 1.1758132, 1.1625013,
    1.0172795, 0.8106635, 1.3358406, 0.93758434,
];
const DENOISER_EPS: [[f32; 2]; 2] = [[0.3466603, 0.3212576], [0.8251187, 0.20941462]];
const VAE_RECON_FIRST_LAST: [[f32; 2]; 2] = [[1.0, 55.798046], [20.0, 51.222374]];
const VAE_KL_LAST: [f32; 2] = [20.0, 0.04614774];
const VAE_DEC_B0: &[f32] = &[
    -0.03330706,
    -0.037760552,
    0.036743265,
    -0.038329564,
    -0.02453792,
    -0.03629653,
    -0.03723012,
    -0.037103567,
];
const VAE_TEST_TERMS: [f64; 2] = [49.104844480442104, 0.06102975008515256];
const FLOW2D_NLL_FIRST_LAST: [[f32; 2]; 2] = [[1.0, 3.296363], [20.0, 3.5891297]];
const FLOW2D_EVAL_NLL: f32 = 3.5079086;
const FLOW2D_SAMPLE0: [f32; 2] = [-0.3015611, 0.5817886];
const SSGAN_LAST_LOSSES: [f32; 2] = [2.8030205, 0.45766595];
const SSGAN_ACC0: [f64; 2] = [0.152, 0.152];
const SSGAN_GENERATED0: [f32; 2] = [1.321811, 1.2595057];
