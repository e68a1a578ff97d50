//! A GAN (Goodfellow et al. 2014) on the 8x8 digits: an MLP generator and an MLP
//! discriminator trained with the non-saturating loss and Adam, with a per-digit coverage
//! read-out from the shared digit classifier, so a learner sees both claims of the lessons:
//! the samples are sharp (no averaging over a posterior, unlike a VAE's mean), and the
//! generator may drop digits (nothing in its loss asks it to cover every one).
//!
//! ```text
//! min_G max_D  E_x[log D(x)] + E_z[log(1 - D(G(z)))]     (D trained on this)
//! G minimises  -E_z[log D(G(z))]                          (non-saturating, Sec. 3 of the paper)
//! ```
//! Submodules:
//! - [`config`]: settings, ranges, the settings link.
//! - [`model`]: the networks, the losses and their backward passes (formulas and shapes there).
//! - [`train`]: the demo's state machine and its saved bytes.
//! - [`coverage`]: which digits the classifier finds among the samples.
//! - [`checkpoint`]: the shipped weights and the recipe that trains them.
//! - [`view`]: the plain struct the plots draw.

pub mod checkpoint;
pub mod config;
pub mod coverage;
pub mod model;
pub mod train;
pub mod view;

pub use checkpoint::{GanWeights, SHIPPED_STEPS};
pub use config::DigitsGanConfig;
pub use coverage::Coverage;
pub use model::Nets;
pub use train::DigitsGan;
pub use view::GanView;

#[cfg(test)]
mod tests;
