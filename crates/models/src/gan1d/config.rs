//! What the user can set: activation, loss and optimiser choices, the [`Config`] with its
//! valid ranges and clamping, and its shared-link codec.

use super::*;

/// Hidden activation choice for G or D.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ActKind {
    /// tanh.
    Tanh,
    /// ReLU.
    Relu,
    /// Leaky ReLU with slope [`LEAKY_SLOPE`].
    LeakyRelu,
}

impl ActKind {
    pub(super) fn activation(self) -> Activation {
        match self {
            ActKind::Tanh => Activation::Tanh,
            ActKind::Relu => Activation::Relu,
            ActKind::LeakyRelu => Activation::LeakyRelu(LEAKY_SLOPE),
        }
    }
    /// Short name used in the URL hash.
    pub fn name(self) -> &'static str {
        match self {
            ActKind::Tanh => "tanh",
            ActKind::Relu => "relu",
            ActKind::LeakyRelu => "lrelu",
        }
    }
}

/// GAN objective.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LossKind {
    /// Original minimax game; G minimises E log(1 - D(G(z))) and saturates when D wins.
    Minimax,
    /// Non-saturating: G maximises E log D(G(z)).
    NonSaturating,
    /// Least squares (LSGAN, a=0, b=1, c=1 on the raw output).
    LeastSquares,
    /// Hinge loss.
    Hinge,
    /// Wasserstein loss with gradient penalty.
    WganGp,
}

impl LossKind {
    /// All losses, in UI order.
    pub const ALL: [LossKind; 5] = [
        LossKind::Minimax,
        LossKind::NonSaturating,
        LossKind::LeastSquares,
        LossKind::Hinge,
        LossKind::WganGp,
    ];
    /// Short name used in the URL hash.
    pub fn name(self) -> &'static str {
        match self {
            LossKind::Minimax => "minimax",
            LossKind::NonSaturating => "ns",
            LossKind::LeastSquares => "lsgan",
            LossKind::Hinge => "hinge",
            LossKind::WganGp => "wgan-gp",
        }
    }
    /// Human-readable label.
    pub fn label(self) -> &'static str {
        match self {
            LossKind::Minimax => "minimax (saturating)",
            LossKind::NonSaturating => "non-saturating",
            LossKind::LeastSquares => "least squares (LSGAN)",
            LossKind::Hinge => "hinge",
            LossKind::WganGp => "WGAN-GP",
        }
    }
}

/// Optimiser choice (used for both players).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OptKind {
    /// Adam with `beta1`, `beta2`, eps = 1e-8.
    Adam,
    /// Plain SGD.
    Sgd,
}

impl OptKind {
    pub(super) fn name(self) -> &'static str {
        match self {
            OptKind::Adam => "adam",
            OptKind::Sgd => "sgd",
        }
    }
}

/// Everything the user can set. Valid ranges are the consts of this module ([`MODES`], ...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Config {
    /// Number of mixture components K of p*.
    pub modes: usize,
    /// Distance between neighbouring means (means are centred on 0).
    pub spacing: f32,
    /// Standard deviation of every component.
    pub std: f32,
    /// Generator hidden width.
    pub g_width: usize,
    /// Generator hidden layers.
    pub g_depth: usize,
    /// Generator hidden activation.
    pub g_act: ActKind,
    /// Discriminator hidden width.
    pub d_width: usize,
    /// Discriminator hidden layers.
    pub d_depth: usize,
    /// Discriminator hidden activation.
    pub d_act: ActKind,
    /// Objective.
    pub loss: LossKind,
    /// Gradient-penalty weight (WGAN-GP only).
    pub gp_lambda: f32,
    /// Discriminator steps per generator step, k.
    pub d_steps: usize,
    /// Generator learning rate.
    pub lr_g: f32,
    /// Discriminator learning rate.
    pub lr_d: f32,
    /// Optimiser for both players.
    pub optimizer: OptKind,
    /// Adam beta1.
    pub beta1: f32,
    /// Adam beta2.
    pub beta2: f32,
    /// Batch size of real and of fake samples.
    pub batch: usize,
}

impl Default for Config {
    /// The reference configuration: 8 modes at -7, -5, ..., 7 with std 0.2; G 1-32-32-1 tanh;
    /// D 1-32-32-1 leaky ReLU 0.2; non-saturating loss; batch 256; Adam lr 1e-3, betas (0.5, 0.999).
    fn default() -> Self {
        Config {
            modes: 8,
            spacing: 2.0,
            std: 0.2,
            g_width: 32,
            g_depth: 2,
            g_act: ActKind::Tanh,
            d_width: 32,
            d_depth: 2,
            d_act: ActKind::LeakyRelu,
            loss: LossKind::NonSaturating,
            gp_lambda: 10.0,
            d_steps: 1,
            lr_g: 1e-3,
            lr_d: 1e-3,
            optimizer: OptKind::Adam,
            beta1: 0.5,
            beta2: 0.999,
            batch: 256,
        }
    }
}

use crate::link::{link_names, LinkVisitor, Settings};
use crate::ranges::{check, clamp_or as clamp_f};

impl Config {
    /// A copy with every field forced into its valid range (NaN becomes the default value).
    pub fn clamped(&self) -> Config {
        let d = Config::default();
        let cu = |v: usize, r: &RangeInclusive<usize>| v.clamp(*r.start(), *r.end());
        Config {
            modes: cu(self.modes, &MODES),
            spacing: clamp_f(self.spacing, &SPACING, d.spacing),
            std: clamp_f(self.std, &STD, d.std),
            g_width: cu(self.g_width, &WIDTH),
            g_depth: cu(self.g_depth, &DEPTH),
            g_act: self.g_act,
            d_width: cu(self.d_width, &WIDTH),
            d_depth: cu(self.d_depth, &DEPTH),
            d_act: self.d_act,
            loss: self.loss,
            gp_lambda: clamp_f(self.gp_lambda, &GP_LAMBDA, d.gp_lambda),
            d_steps: cu(self.d_steps, &D_STEPS),
            lr_g: clamp_f(self.lr_g, &LR, d.lr_g),
            lr_d: clamp_f(self.lr_d, &LR, d.lr_d),
            optimizer: self.optimizer,
            beta1: clamp_f(self.beta1, &BETA1, d.beta1),
            beta2: clamp_f(self.beta2, &BETA2, d.beta2),
            batch: cu(self.batch, &BATCH),
        }
    }

    /// Checks every field against its range; the error names the first offending field.
    pub fn validate(&self) -> Result<(), ModelError> {
        check("modes", self.modes, &MODES)?;
        check("spacing", self.spacing, &SPACING)?;
        check("std", self.std, &STD)?;
        check("g_width", self.g_width, &WIDTH)?;
        check("g_depth", self.g_depth, &DEPTH)?;
        check("d_width", self.d_width, &WIDTH)?;
        check("d_depth", self.d_depth, &DEPTH)?;
        check("gp_lambda", self.gp_lambda, &GP_LAMBDA)?;
        check("d_steps", self.d_steps, &D_STEPS)?;
        check("lr_g", self.lr_g, &LR)?;
        check("lr_d", self.lr_d, &LR)?;
        check("beta1", self.beta1, &BETA1)?;
        check("beta2", self.beta2, &BETA2)?;
        check("batch", self.batch, &BATCH)
    }

    /// Whether a run of `self` can continue under `other`: the same data and the same networks
    /// and optimiser kind, so only training settings (learning rates, betas, k, batch, loss,
    /// lambda) differ. Those change a live run ([`Gan1d::retune`]); anything else needs a new one.
    pub fn same_run(&self, other: &Config) -> bool {
        (self.modes, self.spacing, self.std, self.optimizer)
            == (other.modes, other.spacing, other.std, other.optimizer)
            && (
                self.g_width,
                self.g_depth,
                self.g_act,
                self.d_width,
                self.d_depth,
                self.d_act,
            ) == (
                other.g_width,
                other.g_depth,
                other.g_act,
                other.d_width,
                other.d_depth,
                other.d_act,
            )
    }

    /// Mean of mixture component `i` (components centred on 0, `spacing` apart).
    pub fn mode_mean(&self, i: usize) -> f32 {
        (i as f32 - (self.modes as f32 - 1.0) / 2.0) * self.spacing
    }

    /// Density p*(x) of the data mixture.
    pub fn real_density(&self, x: f32) -> f32 {
        let k = self.modes.max(1);
        let norm = 1.0 / ((2.0 * std::f32::consts::PI).sqrt() * self.std * k as f32);
        (0..k)
            .map(|i| {
                let d = (x - self.mode_mean(i)) / self.std;
                (-0.5 * d * d).exp()
            })
            .sum::<f32>()
            * norm
    }

    /// Plot range [lo, hi] covering all modes with a margin; fixed for a config so plots don't jump.
    pub fn grid_range(&self) -> (f32, f32) {
        let half = (self.modes as f32 - 1.0) / 2.0 * self.spacing + (6.0 * self.std).max(1.5);
        (-half, half)
    }
}

impl Settings for Config {
    const WHAT: &'static str = "GAN";
    /// The link's keys, in link order (a promise: shared links of earlier versions must read).
    fn fields(&mut self, v: &mut dyn LinkVisitor) -> Result<(), String> {
        v.field("k", &mut self.modes)?;
        v.field("sp", &mut self.spacing)?;
        v.field("sd", &mut self.std)?;
        v.field("gw", &mut self.g_width)?;
        v.field("gd", &mut self.g_depth)?;
        v.field("ga", &mut self.g_act)?;
        v.field("dw", &mut self.d_width)?;
        v.field("dd", &mut self.d_depth)?;
        v.field("da", &mut self.d_act)?;
        v.field("loss", &mut self.loss)?;
        v.field("gp", &mut self.gp_lambda)?;
        v.field("kd", &mut self.d_steps)?;
        v.field("lrg", &mut self.lr_g)?;
        v.field("lrd", &mut self.lr_d)?;
        v.field("opt", &mut self.optimizer)?;
        v.field("b1", &mut self.beta1)?;
        v.field("b2", &mut self.beta2)?;
        v.field("bs", &mut self.batch)
    }
    fn finish(self) -> Result<Self, String> {
        Ok(self.clamped())
    }
}

link_names!(
    ActKind => &[ActKind::Tanh, ActKind::Relu, ActKind::LeakyRelu],
    LossKind => &LossKind::ALL,
    OptKind => &[OptKind::Adam, OptKind::Sgd],
);
