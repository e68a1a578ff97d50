//! What the VAE demo's plots read: one plain struct per frame, built from a [`VaeTrainer`].

use super::train::{Reconstructions, VaeTrainer};

/// Side of the decoded grid across the latent plane.
pub const GRID_SIDE: usize = 12;
/// The grid and the latent plot cover [-EXTENT, EXTENT]^2: under the prior N(0, I), 99.5% of
/// the mass of each coordinate.
pub const EXTENT: f32 = 2.8;

/// Everything the VAE plots show, in plain arrays.
#[derive(Debug, Clone, PartialEq)]
pub struct VaeView {
    /// Training steps taken.
    pub step: u64,
    /// The KL weight in use.
    pub beta: f32,
    /// (step, reconstruction term) per step, nats per image.
    pub recon: Vec<[f32; 2]>,
    /// (step, KL term) per step, nats per image.
    pub kl: Vec<[f32; 2]>,
    /// Encoder means mu(x) of the held-out images, with their digit.
    pub latent: Vec<([f32; 2], u8)>,
    /// Half-width of the latent window (plot and grid).
    pub extent: f32,
    /// Decoder means on a `grid_side` x `grid_side` grid over the window, row-major from the top
    /// left, 64 pixels each in [0, 1].
    pub grid: Vec<f32>,
    /// Images per side of `grid`.
    pub grid_side: usize,
    /// Originals, decoder means and decoder samples of one held-out image per digit.
    pub recons: Reconstructions,
    /// The divergence message, if training stopped.
    pub diverged: Option<String>,
}

impl VaeTrainer {
    /// The frame's view; `sample_seed` picks the decoder-noise sample shown (keep it fixed for a
    /// still picture, change it to redraw the noise).
    pub fn view(&self, sample_seed: u64) -> VaeView {
        let (recon, kl) = self.curves();
        let (mu, labels) = self.latent_means();
        let latent = mu
            .rows()
            .into_iter()
            .zip(labels)
            .filter_map(|(r, l)| Some(([*r.first()?, *r.get(1)?], l)))
            .collect();
        VaeView {
            step: self.step_count(),
            beta: self.config().beta,
            recon: recon.points().to_vec(),
            kl: kl.points().to_vec(),
            latent,
            extent: EXTENT,
            grid: self
                .decoded_grid(GRID_SIDE, EXTENT)
                .iter()
                .copied()
                .collect(),
            grid_side: GRID_SIDE,
            recons: self.reconstructions(sample_seed),
            diverged: self.error().map(|e| e.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::digits::Digits;
    use crate::vae::VaeConfig;

    #[test]
    fn view_has_every_part() {
        let data = Digits::shipped().expect("parses");
        let mut t = VaeTrainer::new(&VaeConfig::default(), data).expect("data");
        t.step(3).expect("ok");
        let v = t.view(1);
        assert_eq!((v.step, v.recon.len(), v.kl.len()), (3, 3, 3));
        assert_eq!(v.latent.len(), 359);
        assert_eq!(v.grid.len(), GRID_SIDE * GRID_SIDE * 64);
        assert!(v.grid.iter().all(|p| (0.0..=1.0).contains(p)));
        assert_eq!(v.recons.originals.nrows(), 10);
        assert_eq!(v.diverged, None);
        assert_eq!(t.view(1), v);
    }
}
