//! The digits GAN's state machine: `new(config, data)`, `step(n)` (an error, not a panic, on
//! divergence), live settings (learning rates, speed), the whole run as bytes for the worker,
//! and read-only views (samples, curves) for the plots.

use super::config::DigitsGanConfig;
use super::model::{DStats, Nets, Workspace};
use crate::digits::{Digits, PIXELS};
use crate::error::{Model, ModelError};
use crate::history::History;
use gentutor_nn::mlp::{Adam, Optimizer};
use gentutor_rng::Rng;
use ndarray::Array2;
use serde::{Deserialize, Serialize};

/// Images in the demo's sample grid (8 x 8).
pub const GRID: usize = 64;
/// The layout version of [`DigitsGan::to_bytes`] (its first byte).
const STATE_VERSION: u8 = 1;
/// Adam's betas for both networks (beta1 = 0.5, as usual for GANs since DCGAN).
const BETAS: (f32, f32) = (0.5, 0.999);

/// Loss curves and the discriminator's mean verdicts per step.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Curves {
    pub loss_d: History,
    pub loss_g: History,
    pub d_real: History,
    pub d_fake: History,
}

/// A GAN training on the digits' training split.
#[derive(Debug, Clone)]
pub struct DigitsGan {
    config: DigitsGanConfig,
    nets: Nets,
    opt_g: Adam,
    opt_d: Adam,
    rng: Rng,
    step: u64,
    curves: Curves,
    error: Option<ModelError>,
    /// The training images scaled to [-1, 1] (N, 64): not part of the saved state.
    images: Array2<f32>,
    /// The grid's fixed noise, so the grid shows the same z as training moves G.
    grid_z: Array2<f32>,
    ws: Workspace,
    real: Array2<f32>,
    z: Array2<f32>,
}

/// The saved run (everything but the data and scratch), in this order.
#[derive(Serialize, Deserialize)]
struct Saved {
    config: DigitsGanConfig,
    nets: Nets,
    opt_g: Adam,
    opt_d: Adam,
    rng: Rng,
    step: u64,
    curves: Curves,
    diverged: Option<(u64, String)>,
}

/// Training images of `data`'s standard split, scaled to [-1, 1].
fn training_images(data: &Digits) -> Result<Array2<f32>, ModelError> {
    let idx = data.standard_split().train;
    if idx.is_empty() {
        return Err(ModelError::NoData("digits"));
    }
    Ok(data.batch_unit(&idx).mapv(|p| 2.0 * p - 1.0))
}

fn grid_noise(seed: u64, latent: usize) -> Array2<f32> {
    let mut z = Array2::zeros((GRID, latent));
    Rng::new(seed ^ 0x6A1D).fill_normal(z.iter_mut());
    z
}

impl DigitsGan {
    /// A fresh GAN on `data`'s standard split (settings are clamped into range first).
    pub fn new(config: &DigitsGanConfig, data: &Digits) -> Result<DigitsGan, ModelError> {
        let config = config.clamped();
        let mut rng = Rng::new(config.seed);
        let nets = Nets::new(config.latent, config.hidden, PIXELS, &mut rng);
        DigitsGan::assemble(config, nets, rng, data)
    }

    fn assemble(
        config: DigitsGanConfig,
        nets: Nets,
        rng: Rng,
        data: &Digits,
    ) -> Result<DigitsGan, ModelError> {
        let images = training_images(data)?;
        let adam = |lr| Adam::new(lr, BETAS.0, BETAS.1, 1e-8);
        Ok(DigitsGan {
            grid_z: grid_noise(config.seed, config.latent),
            opt_g: adam(config.lr_g),
            opt_d: adam(config.lr_d),
            config,
            nets,
            rng,
            step: 0,
            curves: Curves::default(),
            error: None,
            images,
            ws: Workspace::default(),
            real: Array2::zeros((0, PIXELS)),
            z: Array2::zeros((0, 0)),
        })
    }

    /// A GAN that continues from trained networks (a shipped checkpoint) as if it had taken
    /// `steps` steps; the optimisers' moments start fresh.
    pub fn from_weights(
        config: &DigitsGanConfig,
        nets: Nets,
        steps: u64,
        data: &Digits,
    ) -> Result<DigitsGan, ModelError> {
        let config = config.clamped();
        if nets.latent() != config.latent || nets.g.out_dim() != PIXELS || !nets.is_finite() {
            return Err(ModelError::BadState(
                "the networks do not fit these settings".into(),
            ));
        }
        // Another stream than a fresh run's, so continuing is not a replay of its draws.
        let rng = Rng::new(config.seed).fork(steps);
        let mut g = DigitsGan::assemble(config, nets, rng, data)?;
        g.step = steps;
        Ok(g)
    }

    fn fill_noise(&mut self, b: usize) {
        if self.z.dim() != (b, self.config.latent) {
            self.z = Array2::zeros((b, self.config.latent));
        }
        self.rng.fill_normal(self.z.iter_mut());
    }

    /// `n` training steps. One step: a minibatch of real images and B fakes G(z), one Adam step
    /// on D's loss; fresh noise, one Adam step on G's non-saturating loss. Stops at the first
    /// non-finite loss or weight and keeps returning that error until the run is replaced.
    pub fn step(&mut self, n: usize) -> Result<(), ModelError> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        let b = self.config.batch;
        for _ in 0..n {
            if self.real.dim() != (b, PIXELS) {
                self.real = Array2::zeros((b, PIXELS));
            }
            for mut row in self.real.rows_mut() {
                let i = self.rng.below(self.images.nrows());
                row.assign(&self.images.row(i));
            }
            self.fill_noise(b);
            let fake = self.nets.generate(self.z.view());
            let st: DStats =
                self.nets
                    .d_loss_and_grads(self.real.view(), fake.view(), &mut self.ws);
            if let Some(g) = &self.ws.d_grads {
                self.opt_d.apply(&mut self.nets.d, g);
            }
            self.fill_noise(b);
            let lg = self.nets.g_loss_and_grads(self.z.view(), &mut self.ws);
            if let Some(g) = &self.ws.g_grads {
                self.opt_g.apply(&mut self.nets.g, g);
            }
            self.step += 1;
            let what = if !st.loss.is_finite() || !lg.is_finite() {
                Some(format!("the loss is not finite (D {}, G {lg})", st.loss))
            } else if !self.nets.is_finite() {
                Some("a weight became NaN or infinite".to_string())
            } else {
                None
            };
            if let Some(what) = what {
                let e = ModelError::Diverged {
                    model: Model::DigitsGan,
                    step: self.step,
                    what,
                };
                self.error = Some(e.clone());
                return Err(e);
            }
            self.curves.loss_d.push(self.step, st.loss);
            self.curves.loss_g.push(self.step, lg);
            self.curves.d_real.push(self.step, st.d_real);
            self.curves.d_fake.push(self.step, st.d_fake);
        }
        Ok(())
    }

    /// Changes the learning rates (the run and Adam's moments are kept).
    pub fn set_lrs(&mut self, lr_g: f32, lr_d: f32) {
        let c = DigitsGanConfig {
            lr_g,
            lr_d,
            ..self.config.clone()
        }
        .clamped();
        self.opt_g.lr = c.lr_g;
        self.opt_d.lr = c.lr_d;
        self.config = c;
    }

    /// Changes the minibatch size (the run is kept).
    pub fn set_batch(&mut self, batch: usize) {
        self.config = DigitsGanConfig {
            batch,
            ..self.config.clone()
        }
        .clamped();
    }

    /// Changes the steps per frame.
    pub fn set_speed(&mut self, speed: usize) {
        self.config = DigitsGanConfig {
            speed,
            ..self.config.clone()
        }
        .clamped();
    }

    /// The settings in use.
    pub fn config(&self) -> &DigitsGanConfig {
        &self.config
    }

    /// Training steps taken.
    pub fn step_count(&self) -> u64 {
        self.step
    }

    /// The error that stopped training, if any.
    pub fn error(&self) -> Option<&ModelError> {
        self.error.as_ref()
    }

    /// The networks.
    pub fn nets(&self) -> &Nets {
        &self.nets
    }

    /// The per-step curves.
    pub fn curves(&self) -> &Curves {
        &self.curves
    }

    /// The sample grid: G of the grid's fixed noise, (64, 64) in [0, 1].
    pub fn grid(&self) -> Array2<f32> {
        self.nets
            .generate(self.grid_z.view())
            .mapv(|v| (0.5 * (v + 1.0)).clamp(0.0, 1.0))
    }

    /// `n` samples from noise drawn with `seed`, (n, 64) in [0, 1] (for the coverage read-out;
    /// the same seed and weights give the same images).
    pub fn samples(&self, n: usize, seed: u64) -> Array2<f32> {
        let mut z = Array2::zeros((n, self.config.latent));
        Rng::new(seed).fill_normal(z.iter_mut());
        self.nets
            .generate(z.view())
            .mapv(|v| (0.5 * (v + 1.0)).clamp(0.0, 1.0))
    }

    /// The whole run (not the data) as bytes: a layout byte, then postcard.
    pub fn to_bytes(&self) -> Vec<u8> {
        let saved = Saved {
            config: self.config.clone(),
            nets: self.nets.clone(),
            opt_g: self.opt_g.clone(),
            opt_d: self.opt_d.clone(),
            rng: self.rng.clone(),
            step: self.step,
            curves: self.curves.clone(),
            diverged: match &self.error {
                Some(ModelError::Diverged { step, what, .. }) => Some((*step, what.clone())),
                _ => None,
            },
        };
        let mut out = vec![STATE_VERSION];
        out.extend(postcard::to_allocvec(&saved).unwrap_or_default());
        out
    }

    /// Inverse of [`DigitsGan::to_bytes`], on the same `data`. Bytes that are not a run of
    /// this layout are refused.
    pub fn from_bytes(bytes: &[u8], data: &Digits) -> Result<DigitsGan, ModelError> {
        let bad = |m: String| ModelError::BadState(m);
        match bytes.first() {
            Some(&STATE_VERSION) => {}
            Some(v) => return Err(bad(format!("unknown layout {v}"))),
            None => return Err(bad("no bytes".into())),
        }
        let (s, rest): (Saved, _) =
            postcard::take_from_bytes(&bytes[1..]).map_err(|e| bad(e.to_string()))?;
        if !rest.is_empty() || s.config.clamped() != s.config {
            return Err(bad("not a digits GAN run".into()));
        }
        if s.nets.latent() != s.config.latent || s.nets.g.out_dim() != PIXELS {
            return Err(bad("the networks do not fit the settings".into()));
        }
        let mut g = DigitsGan::assemble(s.config, s.nets, s.rng, data)?;
        g.opt_g = s.opt_g;
        g.opt_d = s.opt_d;
        g.step = s.step;
        g.curves = s.curves;
        g.error = s.diverged.map(|(step, what)| ModelError::Diverged {
            model: Model::DigitsGan,
            step,
            what,
        });
        Ok(g)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn divergence_is_an_error_that_stays_and_survives_the_bytes() {
        let d = Digits::shipped().expect("digits");
        let mut g = DigitsGan::new(&DigitsGanConfig::default(), &d).expect("data");
        g.step(2).expect("trains");
        g.nets.g.layers[0].w[[0, 0]] = f32::INFINITY;
        let e = g.step(5).expect_err("an infinite weight is caught");
        assert!(matches!(e, ModelError::Diverged { step: 3, .. }), "{e}");
        assert!(e.to_string().contains("Lower the learning rates"));
        assert_eq!(g.step(1), Err(e.clone()), "stays stopped");
        assert_eq!(g.step_count(), 3);
        let back = DigitsGan::from_bytes(&g.to_bytes(), &d).expect("reads");
        assert_eq!(back.error(), Some(&e));
        assert!(
            DigitsGan::from_weights(&DigitsGanConfig::default(), g.nets.clone(), 3, &d).is_err()
        );
    }
}
