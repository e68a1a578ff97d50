//! Golden settings links: learners share demo URLs, and a link made today must open the same
//! demo in every later version. Each link below is frozen as today's code writes it (the state
//! after `#<demo id>:` in the URL, checked byte for byte against `to_hash` when frozen) and must
//! still parse to exactly the settings it was made from. The diffusion demos do not put their
//! settings in the URL yet; their links freeze `DiffusionConfig`'s codec (the forward one gives
//! only the keys that demo has).
//!
//! Never edit a link to make this pass: change the parser (or add a migration) instead. If a
//! rename of the API breaks compilation here, adapt the call, not the link.

use gentutor_models::adversarial::{AttackSettings, Target};
use gentutor_models::datasets2d::Dataset2d;
use gentutor_models::density_ratio::{self, Scoring};
use gentutor_models::diffusion::config::{ActKind as DiffAct, LossKind as DiffLoss};
use gentutor_models::diffusion::timesteps::TSampling;
use gentutor_models::diffusion::{DiffusionConfig, ScheduleKind};
use gentutor_models::digits_diffusion::config::DigitsSchedule;
use gentutor_models::digits_diffusion::DiffusionDigitsConfig;
use gentutor_models::digits_flow::FlowConfig;
use gentutor_models::digits_gan::DigitsGanConfig;
use gentutor_models::divergences;
use gentutor_models::flow2d;
use gentutor_models::gan1d::{self, ActKind, LossKind, OptKind};
use gentutor_models::link::Settings as _;
use gentutor_models::ssgan::{LabelledSet, SsganConfig};
use gentutor_models::vae::config::DecoderKind;
use gentutor_models::vae::VaeConfig;

/// The 1D GAN's link (`crates/demos/src/gan1d.rs` appends `&seed=` to `Config::to_hash`), with
/// every setting away from its default so none can fall back silently.
const GAN1D_LINK: &str = "k=4&sp=3&sd=0.3&gw=16&gd=3&ga=relu&dw=64&dd=1&da=tanh&loss=wgan-gp&gp=5&kd=5&lrg=0.0002&lrd=0.0005&opt=sgd&b1=0.9&b2=0.99&bs=128&seed=42";

#[test]
fn gan1d_link_of_today_still_opens_the_same_demo() {
    let c = gan1d::Config::from_hash(GAN1D_LINK).expect("the frozen GAN link parses");
    assert_eq!(
        c,
        gan1d::Config {
            modes: 4,
            spacing: 3.0,
            std: 0.3,
            g_width: 16,
            g_depth: 3,
            g_act: ActKind::Relu,
            d_width: 64,
            d_depth: 1,
            d_act: ActKind::Tanh,
            loss: LossKind::WganGp,
            gp_lambda: 5.0,
            d_steps: 5,
            lr_g: 0.0002,
            lr_d: 0.0005,
            optimizer: OptKind::Sgd,
            beta1: 0.9,
            beta2: 0.99,
            batch: 128,
        }
    );
    // The same link read with the URL's leading `#`.
    assert_eq!(
        gan1d::Config::from_hash(&format!("#{GAN1D_LINK}")).expect("with #"),
        c
    );
}

/// The 2D flow's link (`Config::to_hash`, seed included), a built-in data set.
const FLOW2D_LINK: &str = "L=4&h=16&lr=0.01&data=rings&bs=64&an=0&seed=9";
/// The 2D flow's link for a data set the learner drew (points with 2 decimals).
const FLOW2D_DRAWN_LINK: &str =
    "L=6&h=48&lr=0.002&data=custom&bs=256&an=1&seed=12345678901&pts=-1.50,0.25;0.00,0.00;2.75,-3.10;9.99,-9.99";

#[test]
fn flow2d_links_of_today_still_open_the_same_demo() {
    let c = flow2d::Config::from_hash(FLOW2D_LINK).expect("the frozen flow link parses");
    assert_eq!(
        c,
        flow2d::Config {
            layers: 4,
            hidden: 16,
            lr: 0.01,
            dataset: Dataset2d::Rings,
            batch: 64,
            actnorm: false,
            seed: 9,
        }
    );
    let d = flow2d::Config::from_hash(FLOW2D_DRAWN_LINK).expect("the frozen drawn link parses");
    assert_eq!(
        d,
        flow2d::Config {
            layers: 6,
            hidden: 48,
            lr: 0.002,
            dataset: Dataset2d::Custom(vec![[-1.5, 0.25], [0.0, 0.0], [2.75, -3.1], [9.99, -9.99]]),
            batch: 256,
            actnorm: true,
            seed: 12_345_678_901,
        }
    );
}

/// The forward-diffusion demo's settings (schedule and time step).
const DIFFUSION_FORWARD_LINK: &str = "sch=custom&T=500&b1=0.0005&bT=0.05&t=250&ds=8gaussians";
/// The reverse-diffusion demo's settings (data, network, training), written by `to_hash`.
const DIFFUSION_REVERSE_LINK: &str = "sch=cosine&T=200&b1=0.0001&bT=0.02&t=100&ds=checkerboard&n=2000&h=32&d=2&tf=6&act=tanh&lr=0.003&bs=512&loss=vlb&ts=ld";

#[test]
fn diffusion_links_of_today_still_open_the_same_demos() {
    let f = DiffusionConfig::from_hash(DIFFUSION_FORWARD_LINK).expect("forward link parses");
    assert_eq!(
        f,
        DiffusionConfig {
            schedule: ScheduleKind::Custom,
            steps: 500,
            beta_1: 0.0005,
            beta_t: 0.05,
            t: 250,
            dataset: Dataset2d::EightGaussians,
            ..DiffusionConfig::default()
        }
    );
    let r = DiffusionConfig::from_hash(DIFFUSION_REVERSE_LINK).expect("reverse link parses");
    assert_eq!(
        r,
        DiffusionConfig {
            schedule: ScheduleKind::Cosine,
            steps: 200,
            beta_1: 0.0001,
            beta_t: 0.02,
            t: 100,
            dataset: Dataset2d::Checkerboard,
            n_points: 2000,
            hidden: 32,
            depth: 2,
            time_freqs: 6,
            act: DiffAct::Tanh,
            lr: 0.003,
            batch: 512,
            loss: DiffLoss::Vlb,
            t_sampling: TSampling::LowDiscrepancy,
        }
    );
}

// One frozen link per demo that keeps its settings in the URL. Each is checked both ways: it
// reads to exactly these settings, and these settings still write exactly this link.

/// The adversarial demo's link (`crates/demos/src/adversarial.rs`), a targeted attack.
const ADVERSARIAL_LINK: &str = "img=7&eps=0.125&tgt=4";
/// The same demo untargeted (`tgt=none`).
const ADVERSARIAL_UNTARGETED_LINK: &str = "img=300&eps=0.015625&tgt=none";

#[test]
fn adversarial_links_of_today_still_open_the_same_demo() {
    let a = AttackSettings {
        image: 7,
        eps: 0.125,
        target: Target(Some(4)),
    };
    assert_eq!(AttackSettings::from_hash(ADVERSARIAL_LINK), Ok(a));
    assert_eq!(a.to_hash(), ADVERSARIAL_LINK);
    let u = AttackSettings {
        image: 300,
        eps: 0.015625,
        target: Target(None),
    };
    assert_eq!(
        AttackSettings::from_hash(ADVERSARIAL_UNTARGETED_LINK),
        Ok(u)
    );
    assert_eq!(u.to_hash(), ADVERSARIAL_UNTARGETED_LINK);
}

/// The density-ratio demo's link (`crates/demos/src/density_ratio.rs`).
const DENSITY_RATIO_LINK: &str =
    "mp=1.5&sp=0.5&mq=-1&sq=2&np=800&nq=200&loss=hinge&lr=0.05&seed=77";

#[test]
fn density_ratio_link_of_today_still_opens_the_same_demo() {
    let s = density_ratio::Settings {
        mu_p: 1.5,
        sd_p: 0.5,
        mu_q: -1.0,
        sd_q: 2.0,
        n_p: 800,
        n_q: 200,
        scoring: Scoring::Hinge,
        lr: 0.05,
        seed: 77,
    };
    assert_eq!(
        density_ratio::Settings::from_hash(DENSITY_RATIO_LINK),
        Ok(s)
    );
    assert_eq!(s.to_hash(), DENSITY_RATIO_LINK);
}

/// The divergences demo's link (`crates/demos/src/divergences.rs`).
const DIVERGENCES_LINK: &str = "fam=uniform&w=0.5&t=3.25&h=2&n=500&seed=3";

#[test]
fn divergences_link_of_today_still_opens_the_same_demo() {
    let s = divergences::Settings {
        family: "uniform",
        width: 0.5,
        theta: 3.25,
        h: 2.0,
        n: 500,
        seed: 3,
    };
    assert_eq!(divergences::Settings::from_hash(DIVERGENCES_LINK), Ok(s));
    assert_eq!(s.to_hash(), DIVERGENCES_LINK);
}

/// The semi-supervised GAN demo's link (`crates/demos/src/ssgan.rs`).
const SSGAN_LINK: &str = "data=spirals&lab=5&unl=2000&h=32&lrd=0.005&lrg=0.0005&bs=64&sp=20&seed=8";

#[test]
fn ssgan_link_of_today_still_opens_the_same_demo() {
    let c = SsganConfig {
        dataset: LabelledSet::Spirals,
        labels: 5,
        unlabelled: 2000,
        hidden: 32,
        lr_d: 0.005,
        lr_g: 0.0005,
        batch: 64,
        speed: 20,
        seed: 8,
    };
    assert_eq!(SsganConfig::from_hash(SSGAN_LINK), Ok(c));
    assert_eq!(c.to_hash(), SSGAN_LINK);
}

/// The digits GAN demo's link (`crates/demos/src/digits_gan.rs`).
const DIGITS_GAN_LINK: &str = "gz=8&gh=64&glrg=0.0002&glrd=0.0005&gbs=32&gspeed=10&gseed=99";

#[test]
fn digits_gan_link_of_today_still_opens_the_same_demo() {
    let c = DigitsGanConfig {
        latent: 8,
        hidden: 64,
        lr_g: 0.0002,
        lr_d: 0.0005,
        batch: 32,
        speed: 10,
        seed: 99,
    };
    assert_eq!(DigitsGanConfig::from_hash(DIGITS_GAN_LINK), Ok(c.clone()));
    assert_eq!(c.to_hash(), DIGITS_GAN_LINK);
}

/// The digits flow demo's link (`crates/demos/src/digits_flow.rs`).
const DIGITS_FLOW_LINK: &str = "fl=4&fh=32&flr=0.002&fbs=128&ftemp=1&fspeed=10&fseed=5";

#[test]
fn digits_flow_link_of_today_still_opens_the_same_demo() {
    let c = FlowConfig {
        layers: 4,
        hidden: 32,
        lr: 0.002,
        batch: 128,
        temperature: 1.0,
        speed: 10,
        seed: 5,
    };
    assert_eq!(FlowConfig::from_hash(DIGITS_FLOW_LINK), Ok(c.clone()));
    assert_eq!(c.to_hash(), DIGITS_FLOW_LINK);
}

/// The digits diffusion demo's link (`crates/demos/src/digits_diffusion.rs`).
const DIGITS_DIFFUSION_LINK: &str =
    "dT=50&dsched=linear&dh=128&dd=3&dlr=0.0005&dbs=32&dspeed=2&dseed=11&dclip=0";

#[test]
fn digits_diffusion_link_of_today_still_opens_the_same_demo() {
    let c = DiffusionDigitsConfig {
        steps: 50,
        schedule: DigitsSchedule::Linear,
        hidden: 128,
        depth: 3,
        lr: 0.0005,
        batch: 32,
        speed: 2,
        seed: 11,
        clip: false,
    };
    assert_eq!(
        DiffusionDigitsConfig::from_hash(DIGITS_DIFFUSION_LINK),
        Ok(c.clone())
    );
    assert_eq!(c.to_hash(), DIGITS_DIFFUSION_LINK);
}

/// The VAE demo's link (`crates/demos/src/vae.rs`), a Gaussian decoder.
const VAE_LINK: &str =
    "vh=32&vd=1&vdec=gaussian&vsig=0.2&beta=0.5&vlr=0.001&vbs=32&vspeed=5&vseed=7";

#[test]
fn vae_link_of_today_still_opens_the_same_demo() {
    let c = VaeConfig {
        hidden: 32,
        depth: 1,
        decoder: DecoderKind::Gaussian,
        sigma: 0.2,
        beta: 0.5,
        lr: 0.001,
        batch: 32,
        speed: 5,
        seed: 7,
    };
    assert_eq!(VaeConfig::from_hash(VAE_LINK), Ok(c.clone()));
    assert_eq!(c.to_hash(), VAE_LINK);
}
