//! Settings of the diffusion demos, slider ranges, and URL-hash encoding.

use super::schedule::{Schedule, ScheduleKind, BETA, STEPS};
use super::timesteps::TSampling;
use crate::datasets2d::Dataset2d;
use crate::error::ModelError;
use serde::{Deserialize, Serialize};
use std::ops::RangeInclusive;

/// Number of points drawn in the point-cloud demos.
pub const N_POINTS: RangeInclusive<usize> = 10..=20_000;
/// Hidden width of the denoiser MLP.
pub const HIDDEN: RangeInclusive<usize> = 4..=256;
/// Number of hidden layers of the denoiser MLP.
pub const DEPTH: RangeInclusive<usize> = 1..=4;
/// Number K of sinusoidal time frequencies (2K features).
pub const TIME_FREQS: RangeInclusive<usize> = 0..=12;
/// Adam learning rate.
pub const LR: RangeInclusive<f32> = 1e-6..=1.0;
/// Minibatch size.
pub const BATCH: RangeInclusive<usize> = 1..=2048;

/// Training objective.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LossKind {
    /// L_simple = E ||eps - eps_theta(x_t, t)||^2 with t ~ U{1..T} (Ho et al. 2020).
    Simple,
    /// The same squared error weighted by the variational bound's w_t (see `denoiser`).
    Vlb,
}

impl LossKind {
    /// All objectives, in menu order.
    pub const ALL: [LossKind; 2] = [LossKind::Simple, LossKind::Vlb];

    /// Short name used in the URL hash.
    pub fn name(self) -> &'static str {
        match self {
            LossKind::Simple => "simple",
            LossKind::Vlb => "vlb",
        }
    }
}

/// Hidden activation of the denoiser.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ActKind {
    /// tanh.
    Tanh,
    /// ReLU.
    Relu,
    /// Leaky ReLU with slope 0.2.
    LeakyRelu,
}

impl ActKind {
    /// Short name used in the URL hash.
    pub fn name(self) -> &'static str {
        match self {
            ActKind::Tanh => "tanh",
            ActKind::Relu => "relu",
            ActKind::LeakyRelu => "lrelu",
        }
    }

    /// The MLP activation.
    pub fn activation(self) -> gentutor_nn::mlp::Activation {
        use gentutor_nn::mlp::Activation;
        match self {
            ActKind::Tanh => Activation::Tanh,
            ActKind::Relu => Activation::Relu,
            ActKind::LeakyRelu => Activation::LeakyRelu(0.2),
        }
    }
}

/// All settings of the diffusion demos. Each page uses a subset; one struct keeps the URL hash
/// and the "reset to defaults" logic in one place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiffusionConfig {
    /// Schedule family.
    pub schedule: ScheduleKind,
    /// Number of steps T, in [`STEPS`].
    pub steps: usize,
    /// beta_1 of the custom schedule, in [`BETA`].
    pub beta_1: f64,
    /// beta_T of the custom schedule, in [`BETA`].
    pub beta_t: f64,
    /// The t slider, 0..=steps.
    pub t: usize,
    /// Toy data set p* (a custom drawing is not stored in the URL hash).
    pub dataset: Dataset2d,
    /// Points in the point-cloud views, in [`N_POINTS`].
    pub n_points: usize,
    /// Denoiser hidden width, in [`HIDDEN`].
    pub hidden: usize,
    /// Denoiser hidden layers, in [`DEPTH`].
    pub depth: usize,
    /// Time frequencies K, in [`TIME_FREQS`].
    pub time_freqs: usize,
    /// Denoiser hidden activation.
    pub act: ActKind,
    /// Adam learning rate, in [`LR`].
    pub lr: f32,
    /// Minibatch size, in [`BATCH`].
    pub batch: usize,
    /// Training loss.
    pub loss: LossKind,
    /// How the minibatch's timesteps are drawn during training.
    pub t_sampling: TSampling,
}

impl Default for DiffusionConfig {
    /// Ho et al.'s linear schedule with T = 1000 on the two-moons data, and a denoiser that
    /// learns it in a few thousand steps.
    fn default() -> Self {
        DiffusionConfig {
            schedule: ScheduleKind::Linear,
            steps: 1000,
            beta_1: 1e-4,
            beta_t: 0.02,
            t: 100,
            dataset: Dataset2d::TwoMoons,
            n_points: 1000,
            hidden: 64,
            depth: 3,
            time_freqs: 4,
            act: ActKind::Relu,
            lr: 1e-3,
            batch: 256,
            loss: LossKind::Simple,
            t_sampling: TSampling::Iid,
        }
    }
}

use crate::link::{link_names, DatasetLink, LinkVisitor, Settings};
use crate::ranges::{check, clamp_or};
use clamp_or as clamp_f32;
use clamp_or as clamp_f64;

impl DiffusionConfig {
    /// A copy with every field forced into its valid range (NaN becomes the default; t is
    /// clamped to 0..=steps).
    pub fn clamped(&self) -> DiffusionConfig {
        let d = DiffusionConfig::default();
        let cu = |v: usize, r: &RangeInclusive<usize>| v.clamp(*r.start(), *r.end());
        let steps = cu(self.steps, &STEPS);
        DiffusionConfig {
            schedule: self.schedule,
            steps,
            beta_1: clamp_f64(self.beta_1, &BETA, d.beta_1),
            beta_t: clamp_f64(self.beta_t, &BETA, d.beta_t),
            t: self.t.min(steps),
            dataset: self.dataset.clone(),
            n_points: cu(self.n_points, &N_POINTS),
            hidden: cu(self.hidden, &HIDDEN),
            depth: cu(self.depth, &DEPTH),
            time_freqs: cu(self.time_freqs, &TIME_FREQS),
            act: self.act,
            lr: clamp_f32(self.lr, &LR, d.lr),
            batch: cu(self.batch, &BATCH),
            loss: self.loss,
            t_sampling: self.t_sampling,
        }
    }

    /// Checks every field against its range; the error names the first offending field.
    pub fn validate(&self) -> Result<(), ModelError> {
        check("steps", self.steps, &STEPS)?;
        check("beta_1", self.beta_1, &BETA)?;
        check("beta_T", self.beta_t, &BETA)?;
        check("t", self.t, &(0..=self.steps))?;
        check("n_points", self.n_points, &N_POINTS)?;
        check("hidden", self.hidden, &HIDDEN)?;
        check("depth", self.depth, &DEPTH)?;
        check("time_freqs", self.time_freqs, &TIME_FREQS)?;
        check("lr", self.lr, &LR)?;
        check("batch", self.batch, &BATCH)
    }

    /// The noise schedule these settings describe.
    pub fn schedule(&self) -> Result<Schedule, ModelError> {
        Schedule::new(self.schedule, self.steps, self.beta_1, self.beta_t)
    }
}

impl Settings for DiffusionConfig {
    const WHAT: &'static str = "diffusion";
    /// The link's keys, in link order (a promise: shared links of earlier versions must read).
    fn fields(&mut self, v: &mut dyn LinkVisitor) -> Result<(), String> {
        v.field("sch", &mut self.schedule)?;
        v.field("T", &mut self.steps)?;
        v.field("b1", &mut self.beta_1)?;
        v.field("bT", &mut self.beta_t)?;
        v.field("t", &mut self.t)?;
        // A drawn data set is too big for a link: `custom` keeps the default.
        v.field(
            "ds",
            &mut DatasetLink {
                dataset: &mut self.dataset,
                custom_points: false,
            },
        )?;
        v.field("n", &mut self.n_points)?;
        v.field("h", &mut self.hidden)?;
        v.field("d", &mut self.depth)?;
        v.field("tf", &mut self.time_freqs)?;
        v.field("act", &mut self.act)?;
        v.field("lr", &mut self.lr)?;
        v.field("bs", &mut self.batch)?;
        v.field("loss", &mut self.loss)?;
        v.field("ts", &mut self.t_sampling)
    }
    fn finish(self) -> Result<Self, String> {
        Ok(self.clamped())
    }
}

link_names!(
    ScheduleKind => &ScheduleKind::ALL,
    ActKind => &[ActKind::Tanh, ActKind::Relu, ActKind::LeakyRelu],
    LossKind => &LossKind::ALL,
    TSampling => &[TSampling::Iid, TSampling::LowDiscrepancy],
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_round_trip_and_garbage() {
        let d = DiffusionConfig::default();
        assert_eq!(d.validate(), Ok(()));
        let other = DiffusionConfig {
            schedule: ScheduleKind::Custom,
            steps: 50,
            beta_1: 0.003,
            beta_t: 0.25,
            t: 50,
            dataset: Dataset2d::Checkerboard,
            n_points: 300,
            hidden: 16,
            depth: 1,
            time_freqs: 0,
            act: ActKind::Tanh,
            lr: 1.5e-4,
            batch: 7,
            loss: LossKind::Vlb,
            t_sampling: TSampling::LowDiscrepancy,
        };
        for c in [d.clone(), other] {
            assert_eq!(DiffusionConfig::from_hash(&c.to_hash()), Ok(c.clone()));
            assert_eq!(
                DiffusionConfig::from_hash(&format!("#{}", c.to_hash())),
                Ok(c)
            );
        }
        for bad in [
            "",
            "#",
            "garbage",
            "page=gan&x=1",
            "T=abc",
            "lr=NaN",
            "sch=quadratic",
            "ds=mnist",
            "loss=elbo",
            "act=gelu",
            "ts=sobol",
            "T=5&&noequals",
        ] {
            assert!(
                matches!(DiffusionConfig::from_hash(bad), Err(ModelError::BadHash(_))),
                "{bad:?} accepted"
            );
        }
        // Out-of-range values are clamped, with t following the clamped T.
        let c =
            DiffusionConfig::from_hash("T=1e12&t=99999999&n=0&h=100000&lr=1e9&b1=-3&bs=0&page=x")
                .expect("clamps");
        assert_eq!(c.steps, *STEPS.end());
        assert_eq!(c.t, c.steps);
        assert_eq!(c.n_points, *N_POINTS.start());
        assert_eq!(c.hidden, *HIDDEN.end());
        assert_eq!(c.lr, *LR.end());
        assert_eq!(c.beta_1, *BETA.start());
        assert_eq!(c.batch, 1);
        assert_eq!(c.validate(), Ok(()));
        // A custom drawing is not in the link: `ds=custom` keeps the default data set.
        let custom = DiffusionConfig {
            dataset: Dataset2d::custom(vec![[0.0, 0.0], [1.0, 1.0], [2.0, 0.5]]).expect("valid"),
            ..DiffusionConfig::default()
        };
        assert_eq!(
            DiffusionConfig::from_hash(&custom.to_hash()),
            Ok(DiffusionConfig::default())
        );
        let c = DiffusionConfig::from_hash("T=-5&lr=-inf").expect("clamps");
        assert_eq!((c.steps, c.lr), (*STEPS.start(), *LR.start()));
        assert_eq!(c.t, c.steps.min(100));
    }

    #[test]
    fn validate_names_the_field_and_clamped_repairs_it() {
        let c = DiffusionConfig {
            lr: f32::NAN,
            t: 5000,
            ..DiffusionConfig::default()
        };
        assert!(matches!(
            c.validate(),
            Err(ModelError::InvalidConfig { field: "t", .. })
        ));
        let fixed = c.clamped();
        assert_eq!(fixed.validate(), Ok(()));
        assert_eq!(fixed.lr, DiffusionConfig::default().lr);
        assert_eq!(fixed.t, 1000);
        assert!(fixed.schedule().is_ok());
    }
}
