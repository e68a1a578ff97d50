//! A variational autoencoder (Kingma & Welling 2014) on the 8x8 digits with a 2D latent, so the
//! latent plane can be drawn.
//!
//! The model q(z | x) = N(mu(x), diag(sigma^2(x))), p(z) = N(0, I), p(x | z) = Bernoulli or
//! Gaussian with mean m(z) = sigmoid(decoder(z)), trained by maximising the beta-ELBO
//! ```text
//! ELBO_beta(x) = E_{z ~ q(z|x)}[log p(x | z)] - beta KL(q(z | x) || p(z))
//! ```
//! with one reparameterised sample z = mu + sigma (.) eps per image and the KL in closed form.
//!
//! Submodules:
//! - [`model`]: the encoder and decoder MLPs, the loss terms and the backward pass.
//! - [`config`]: the demo's settings, their ranges and the settings link.
//! - [`train`]: the demo's state machine: minibatch training, curves, and the views the plots
//!   read (latent plane, decoded grid, reconstructions, mean vs sample).
//! - [`view`]: the plain struct the plots draw each frame.

pub mod config;
pub mod model;
pub mod train;
pub mod view;

pub use config::VaeConfig;
pub use model::{Terms, Vae, LATENT};
pub use train::{Reconstructions, VaeTrainer};
pub use view::VaeView;

use serde::{Deserialize, Serialize};

/// The decoder's likelihood p(x | z) for a pixel x in [0, 1] with mean m.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Likelihood {
    /// m^x (1 - m)^(1 - x): the usual choice for pixels scaled to [0, 1] (strictly a density
    /// only for binary x; for grey pixels it is the common cross-entropy stand-in).
    Bernoulli,
    /// N(x; m, sigma^2) with a fixed sigma: a small sigma weighs reconstruction more.
    Gaussian {
        /// The decoder's noise standard deviation.
        sigma: f32,
    },
}
