//! Named configurations with measured seeds, one phenomenon each.

use super::*;

/// Named configurations with fixed seeds that reliably show one phenomenon each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    /// The reference configuration.
    Default,
    /// A configuration whose generator covers only a few modes.
    ModeCollapse,
    /// Saturating loss against a strong discriminator: the generator's gradient vanishes.
    VanishingGradients,
    /// WGAN-GP, which keeps useful gradients and covers the modes.
    FixedWganGp,
    /// Non-saturating loss with k = 5 discriminator steps.
    FixedNsK5,
}

impl Preset {
    /// All presets in UI order.
    pub fn all() -> [Preset; 5] {
        [
            Preset::Default,
            Preset::ModeCollapse,
            Preset::VanishingGradients,
            Preset::FixedWganGp,
            Preset::FixedNsK5,
        ]
    }

    /// Stable name (used in URLs).
    pub fn name(self) -> &'static str {
        match self {
            Preset::Default => "default",
            Preset::ModeCollapse => "mode-collapse",
            Preset::VanishingGradients => "vanishing-gradients",
            Preset::FixedWganGp => "fixed-wgan-gp",
            Preset::FixedNsK5 => "fixed-ns-k5",
        }
    }

    /// Looks a preset up by [`Preset::name`].
    pub fn from_name(name: &str) -> Result<Preset, ModelError> {
        Preset::all()
            .into_iter()
            .find(|p| p.name() == name.trim())
            .ok_or_else(|| ModelError::UnknownPreset {
                name: name.to_string(),
                choices: Preset::all().map(Preset::name).join(", "),
            })
    }

    /// The seed the preset was measured with.
    pub fn seed(self) -> u64 {
        match self {
            Preset::Default => 1,
            Preset::ModeCollapse => 1,
            Preset::VanishingGradients => 1,
            Preset::FixedWganGp => 1,
            Preset::FixedNsK5 => 1,
        }
    }

    /// Number of training steps after which the phenomenon is clearly visible.
    pub fn suggested_steps(self) -> usize {
        3000
    }

    /// What the preset shows (measured numbers in the module tests and the report).
    pub fn description(self) -> &'static str {
        match self {
            Preset::Default => "Reference: 8 modes, non-saturating loss, k = 1, Adam 1e-3.",
            Preset::ModeCollapse => {
                "A fast generator against a slow discriminator (lr_G 1e-2, lr_D 1e-4) on 4 \
                 modes: G piles its samples onto one or two modes, D learns that they are fake, \
                 and G hops elsewhere. Measured with seed 1 (modes numbered from the left): \
                 modes 2 and 3 at step 500, modes 1 and 4 at step 2000, modes 2 and 3 again at \
                 step 3000; in between it is often on none."
            }
            Preset::VanishingGradients => {
                "Two far-apart modes (+-5), saturating (minimax) loss, fast discriminator \
                 (lr_D 5e-3, k = 5): D rejects every fake with confidence, log(1 - D(G(z))) is \
                 flat there and mean |dL_G/dx| falls from ~0.2 in the first steps to ~1e-8 by \
                 step 3000: G never moves (0/2 modes). Switch the loss to non-saturating and the same run covers \
                 both modes by step 1500 (2 of 2 at steps 1500 and 3000)."
            }
            Preset::FixedWganGp => {
                "WGAN-GP on the 8 reference modes (k = 5, lr_G 1e-4, lr_D 1e-3, betas 0.5/0.9): \
                 the critic's slope stays near 1, so the generator's gradient never vanishes \
                 (mean |dL_G/dx| ~ 1 throughout), yet in 3000 steps its samples stay a smear \
                 over the modes' range: by mass it holds 3 of 8 modes at step 1000 and 1 of 8 \
                 at step 3000 (seed 1)."
            }
            Preset::FixedNsK5 => {
                "The mode-collapse preset's 4 modes with the non-saturating loss, k = 5 \
                 discriminator steps and lr 1e-3 for both players: D stays close to optimal, so G \
                 cannot park on a stale favourite; measured 4 of 4 modes at steps 2000 and 3000 \
                 (seed 1)."
            }
        }
    }

    /// The preset's configuration.
    pub fn config(self) -> Config {
        let d = Config::default();
        match self {
            Preset::Default => d,
            Preset::ModeCollapse => Config {
                lr_g: 1e-2,
                lr_d: 1e-4,
                ..Preset::four_modes()
            },
            Preset::VanishingGradients => Config {
                modes: 2,
                spacing: 10.0,
                loss: LossKind::Minimax,
                lr_d: 5e-3,
                lr_g: 1e-4,
                d_steps: 5,
                ..d
            },
            Preset::FixedWganGp => Config {
                loss: LossKind::WganGp,
                d_steps: 5,
                lr_g: 1e-4,
                lr_d: 1e-3,
                beta1: 0.5,
                beta2: 0.9,
                ..d
            },
            Preset::FixedNsK5 => Config {
                d_steps: 5,
                ..Preset::four_modes()
            },
        }
    }

    /// The data of the mode-collapse preset and its remedy: 4 modes 3 apart with std 0.3. A
    /// tanh generator of width 32 learns these (8 modes of std 0.2 stay a smear for it for
    /// thousands of steps, which hides the difference between collapse and its remedy).
    fn four_modes() -> Config {
        Config {
            modes: 4,
            spacing: 3.0,
            std: 0.3,
            ..Config::default()
        }
    }
}
