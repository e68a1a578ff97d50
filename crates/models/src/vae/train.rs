//! The VAE demo's state machine: `new(config, data, seed)`, `step(n)` (an error, not a panic, on
//! divergence), live settings (beta, learning rate, speed), read-only views for the plots, and
//! the whole run as bytes for the training worker (`to_bytes` / `from_bytes`, a format promise:
//! `tests/golden_worker.rs`).

use super::config::VaeConfig;
use super::model::{Terms, Vae, Workspace, LATENT};
use crate::digits::{Digits, Split, PIXELS};
use crate::error::{Model, ModelError};
use crate::history::History;
use crate::train_loop::{self, Epochs, TrainStep};
use gentutor_nn::mlp::{Adam, Optimizer};
use gentutor_rng::Rng;
use ndarray::Array2;
use serde::{Deserialize, Serialize};

/// Test images whose reconstructions the demo shows (one per digit, chosen by the split).
pub const RECON_SHOWN: usize = 10;

/// The layout version of [`VaeTrainer::to_bytes`] (its first byte).
const STATE_VERSION: u8 = 1;

/// Everything a run is, apart from the data and scratch buffers (the worker's bytes).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct State {
    config: VaeConfig,
    vae: Vae,
    opt_enc: Adam,
    opt_dec: Adam,
    rng: Rng,
    batches: Epochs,
    step: u64,
    recon: History,
    kl: History,
}

/// A VAE training on the digits' training split.
#[derive(Debug, Clone)]
pub struct VaeTrainer {
    s: State,
    data: Digits,
    split: Split,
    ws: Workspace,
    x: Array2<f32>,
    eps: Array2<f32>,
    batch_idx: Vec<usize>,
    error: Option<ModelError>,
}

/// Originals, decoder means and decoder samples of some images, each (n, 64) in [0, 1].
#[derive(Debug, Clone, PartialEq)]
pub struct Reconstructions {
    pub labels: Vec<u8>,
    pub originals: Array2<f32>,
    pub means: Array2<f32>,
    pub samples: Array2<f32>,
}

impl VaeTrainer {
    /// A fresh VAE on `data`'s standard split (settings are clamped into range first).
    pub fn new(config: &VaeConfig, data: Digits) -> Result<VaeTrainer, ModelError> {
        if data.is_empty() {
            return Err(ModelError::NoData("digits"));
        }
        let config = config.clamped();
        let mut rng = Rng::new(config.seed);
        let vae = Vae::new(
            PIXELS,
            &config.hidden_sizes(),
            config.activation(),
            config.likelihood(),
            &mut rng,
        );
        let split = data.standard_split();
        let adam = Adam::new(config.lr, 0.9, 0.999, 1e-8);
        let s = State {
            batches: Epochs::new(split.train.clone()),
            opt_enc: adam.clone(),
            opt_dec: adam,
            config,
            vae,
            rng,
            step: 0,
            recon: History::default(),
            kl: History::default(),
        };
        Ok(VaeTrainer::assemble(s, data, split))
    }

    fn assemble(s: State, data: Digits, split: Split) -> VaeTrainer {
        VaeTrainer {
            s,
            data,
            split,
            ws: Workspace::default(),
            x: Array2::zeros((0, PIXELS)),
            eps: Array2::zeros((0, LATENT)),
            batch_idx: Vec::new(),
            error: None,
        }
    }

    /// A trainer that continues from trained weights (a shipped checkpoint) as if it had taken
    /// `steps` steps; the optimiser's moments start fresh. `config` should be the checkpoint's.
    pub fn from_weights(
        config: &VaeConfig,
        data: Digits,
        vae: Vae,
        steps: u64,
    ) -> Result<VaeTrainer, ModelError> {
        let mut t = VaeTrainer::new(config, data)?;
        if vae.encoder.in_dim() != PIXELS || vae.decoder.out_dim() != PIXELS {
            return Err(ModelError::BadState(
                "the weights do not fit the digits".into(),
            ));
        }
        t.s.vae = vae;
        t.s.step = steps;
        Ok(t)
    }

    /// The whole training state (not the data): a version byte, then postcard bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = vec![STATE_VERSION];
        out.extend(postcard::to_allocvec(&self.s).unwrap_or_default());
        out
    }

    /// A run from [`VaeTrainer::to_bytes`] on `data`; refuses other versions and bytes whose
    /// networks or batch order do not fit the digits.
    pub fn from_bytes(bytes: &[u8], data: Digits) -> Result<VaeTrainer, ModelError> {
        let bad = |e: &str| ModelError::BadState(e.to_string());
        let rest = match bytes.split_first() {
            Some((&STATE_VERSION, rest)) => rest,
            Some((v, _)) => return Err(bad(&format!("unknown VAE state version {v}"))),
            None => return Err(bad("no VAE state")),
        };
        let s: State = postcard::from_bytes(rest).map_err(|e| bad(&e.to_string()))?;
        let v = &s.vae;
        let fits = v.encoder.in_dim() == PIXELS
            && v.encoder.out_dim() == 2 * LATENT
            && v.decoder.in_dim() == LATENT
            && v.decoder.out_dim() == PIXELS
            && s.batches.fits(data.len())
            && !s.batches.is_empty();
        if !fits || !v.is_finite() {
            return Err(bad("the VAE's weights do not fit the digits"));
        }
        let split = data.standard_split();
        Ok(VaeTrainer::assemble(s, data, split))
    }

    /// `n` training steps: a minibatch, fresh noise eps, one Adam step on each network. Stops at
    /// the first non-finite loss or parameter and returns (and keeps) the error; further calls
    /// return it again until the trainer is replaced.
    pub fn step(&mut self, n: usize) -> Result<(), ModelError> {
        train_loop::train(self, n)
    }

    /// Changes the KL weight (the run continues).
    pub fn set_beta(&mut self, beta: f32) {
        self.s.config.beta = VaeConfig {
            beta,
            ..self.s.config.clone()
        }
        .clamped()
        .beta;
    }

    /// Changes the learning rate (the run continues, Adam's moments are kept).
    pub fn set_lr(&mut self, lr: f32) {
        let lr = VaeConfig {
            lr,
            ..self.s.config.clone()
        }
        .clamped()
        .lr;
        self.s.config.lr = lr;
        self.s.opt_enc.lr = lr;
        self.s.opt_dec.lr = lr;
    }

    /// Changes the steps per frame.
    pub fn set_speed(&mut self, speed: usize) {
        self.s.config.speed = VaeConfig {
            speed,
            ..self.s.config.clone()
        }
        .clamped()
        .speed;
    }

    /// The settings in use.
    pub fn config(&self) -> &VaeConfig {
        &self.s.config
    }

    /// Training steps taken.
    pub fn step_count(&self) -> u64 {
        self.s.step
    }

    /// The error that stopped training, if any.
    pub fn error(&self) -> Option<&ModelError> {
        self.error.as_ref()
    }

    /// The networks.
    pub fn vae(&self) -> &Vae {
        &self.s.vae
    }

    /// The data and its split.
    pub fn data(&self) -> (&Digits, &Split) {
        (&self.data, &self.split)
    }

    /// Per-step training curves of the reconstruction term and the KL (nats per image).
    pub fn curves(&self) -> (&History, &History) {
        (&self.s.recon, &self.s.kl)
    }

    /// The loss terms on the held-out test images, with noise drawn from `seed` (so two calls
    /// with the same seed and weights agree).
    pub fn test_terms(&self, seed: u64) -> Terms {
        let x = self.data.batch_unit(&self.split.test);
        let mut eps = Array2::zeros((x.nrows(), LATENT));
        Rng::new(seed).fill_normal(eps.iter_mut());
        self.s.vae.terms(x.view(), eps.view())
    }

    /// The encoder's means mu(x) of the test images with their labels: the latent plane.
    pub fn latent_means(&self) -> (Array2<f32>, Vec<u8>) {
        let x = self.data.batch_unit(&self.split.test);
        let (mu, _) = self.s.vae.encode(x.view());
        let labels = self
            .split
            .test
            .iter()
            .map(|&i| self.data.label(i))
            .collect();
        (mu, labels)
    }

    /// Decoder means on a k x k grid of latents spanning [-extent, extent]^2, row by row from the
    /// top (z_2 = +extent) and left (z_1 = -extent): (k*k, 64).
    pub fn decoded_grid(&self, k: usize, extent: f32) -> Array2<f32> {
        let k = k.max(1);
        let mut z = Array2::zeros((k * k, LATENT));
        let at = |i: usize| {
            if k == 1 {
                0.0
            } else {
                -extent + 2.0 * extent * i as f32 / (k - 1) as f32
            }
        };
        for r in 0..k {
            for c in 0..k {
                z[[r * k + c, 0]] = at(c);
                z[[r * k + c, 1]] = at(k - 1 - r);
            }
        }
        self.s.vae.decode_mean(z.view())
    }

    /// The first test image of each digit, reconstructed through z = mu(x) (the encoder's mean):
    /// the decoder's mean image and one sample of the decoder's noise around it, drawn from
    /// `seed`.
    pub fn reconstructions(&self, seed: u64) -> Reconstructions {
        let mut idx = Vec::new();
        for d in 0..RECON_SHOWN as u8 {
            if let Some(&i) = self.split.test.iter().find(|&&i| self.data.label(i) == d) {
                idx.push(i);
            }
        }
        let originals = self.data.batch_unit(&idx);
        let (mu, _) = self.s.vae.encode(originals.view());
        let means = self.s.vae.decode_mean(mu.view());
        let samples = self.s.vae.sample_pixels(means.view(), &mut Rng::new(seed));
        Reconstructions {
            labels: idx.iter().map(|&i| self.data.label(i)).collect(),
            originals,
            means,
            samples,
        }
    }
}

impl TrainStep for VaeTrainer {
    const MODEL: Model = Model::Vae;
    fn kept_error(&mut self) -> &mut Option<ModelError> {
        &mut self.error
    }
    fn steps_taken(&self) -> u64 {
        self.s.step
    }
    fn one_step(&mut self) -> Result<(), String> {
        let s = &mut self.s;
        s.batches
            .next_batch(s.config.batch, &mut s.rng, &mut self.batch_idx);
        self.data.fill_unit(&self.batch_idx, &mut self.x);
        let b = self.batch_idx.len();
        if self.eps.dim() != (b, LATENT) {
            self.eps = Array2::zeros((b, LATENT));
        }
        s.rng.fill_normal(self.eps.iter_mut());
        let terms =
            s.vae
                .loss_and_grads(self.x.view(), self.eps.view(), s.config.beta, &mut self.ws);
        s.step += 1;
        if !terms.recon.is_finite() || !terms.kl.is_finite() {
            return Err(format!(
                "the loss is not finite (recon {}, KL {})",
                terms.recon, terms.kl
            ));
        }
        if let (Some(ge), Some(gd)) = (&self.ws.enc_grads, &self.ws.dec_grads) {
            s.opt_enc.apply(&mut s.vae.encoder, ge);
            s.opt_dec.apply(&mut s.vae.decoder, gd);
        }
        if !s.vae.is_finite() {
            return Err("a weight became NaN or infinite".to_string());
        }
        s.recon.push(s.step, terms.recon);
        s.kl.push(s.step, terms.kl);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vae::config::DecoderKind;

    fn data() -> Digits {
        Digits::shipped().expect("shipped digits parse")
    }

    /// Fixed seed, default settings: the held-out ELBO must pass a threshold within N steps, and
    /// the latent means must separate the digits better than chance.
    #[test]
    fn converges_on_real_digits() {
        let mut t = VaeTrainer::new(&VaeConfig::default(), data()).expect("data");
        let before = t.test_terms(7);
        t.step(3000).expect("no divergence");
        let after = t.test_terms(7);
        // At initialisation every pixel has p ~ 1/2: about 64 ln 2 = 44 nats of reconstruction.
        assert!(before.elbo() < -40.0, "{before:?}");
        assert!(after.elbo() > -26.0, "{after:?}");
        assert!(after.kl > 2.0, "the latent is used: {after:?}");
        // Nearest-centroid accuracy of the 2D means on the test set (chance is 10%).
        let (mu, labels) = t.latent_means();
        let mut cent = [[0.0f32; 2]; 10];
        let mut cnt = [0f32; 10];
        for (row, &l) in mu.rows().into_iter().zip(&labels) {
            cent[l as usize][0] += row[0];
            cent[l as usize][1] += row[1];
            cnt[l as usize] += 1.0;
        }
        for (c, n) in cent.iter_mut().zip(cnt) {
            c[0] /= n;
            c[1] /= n;
        }
        let correct = mu
            .rows()
            .into_iter()
            .zip(&labels)
            .filter(|(row, &l)| {
                let d = |c: &[f32; 2]| (row[0] - c[0]).powi(2) + (row[1] - c[1]).powi(2);
                (0..10).all(|k| d(&cent[l as usize]) <= d(&cent[k]))
            })
            .count();
        let acc = correct as f32 / labels.len() as f32;
        assert!(acc > 0.5, "latent nearest-centroid accuracy {acc}");
    }

    /// What the lesson tells the learner to try: a larger beta lowers the KL and raises the
    /// reconstruction term of the same run.
    #[test]
    fn raising_beta_trades_reconstruction_for_kl() {
        let mut base = VaeTrainer::new(&VaeConfig::default(), data()).expect("data");
        base.step(1500).expect("trains");
        let mut high = base.clone();
        high.set_beta(4.0);
        base.step(1000).expect("trains");
        high.step(1000).expect("trains");
        let (b, h) = (base.test_terms(3), high.test_terms(3));
        assert!(h.kl < 0.8 * b.kl, "KL: beta 1 {b:?}, beta 4 {h:?}");
        assert!(h.recon > b.recon, "recon: beta 1 {b:?}, beta 4 {h:?}");
    }

    #[test]
    fn same_seed_same_run_and_views_have_their_shapes() {
        let cfg = VaeConfig {
            hidden: 16,
            batch: 16,
            ..VaeConfig::default()
        };
        let mut a = VaeTrainer::new(&cfg, data()).expect("data");
        let mut b = VaeTrainer::new(&cfg, data()).expect("data");
        a.step(20).expect("ok");
        b.step(20).expect("ok");
        assert_eq!(a.vae(), b.vae());
        assert_eq!(a.curves().0.points().len(), 20);
        assert_eq!(a.decoded_grid(5, 2.5).dim(), (25, 64));
        let r = a.reconstructions(3);
        assert_eq!(r.labels, (0..10).collect::<Vec<u8>>());
        assert_eq!(r.means.dim(), (10, 64));
        assert!(r.samples.iter().all(|&v| v == 0.0 || v == 1.0));
        let (mu, labels) = a.latent_means();
        assert_eq!((mu.nrows(), labels.len()), (359, 359));
        assert_eq!(a.test_terms(1), b.test_terms(1));
    }

    #[test]
    fn divergence_is_an_error_that_stays() {
        let cfg = VaeConfig {
            lr: *crate::vae::config::LR.end(),
            decoder: DecoderKind::Gaussian,
            sigma: 0.02,
            ..VaeConfig::default()
        };
        let mut t = VaeTrainer::new(&cfg, data()).expect("data");
        // Force the weights to infinity: the next step must report it.
        for p in t.s.vae.decoder.params_mut() {
            *p = f32::INFINITY;
        }
        let e = t.step(5).expect_err("diverges");
        assert!(matches!(e, ModelError::Diverged { step: 1, .. }), "{e:?}");
        assert_eq!(t.step(1), Err(e.clone()));
        assert!(e.to_string().contains("Reset"));
        assert!(matches!(
            VaeTrainer::new(
                &VaeConfig::default(),
                Digits::new(vec![], vec![]).expect("empty")
            ),
            Err(ModelError::NoData("digits"))
        ));
    }

    /// The worker's bytes carry the whole run: read back, it equals the original and trains on
    /// exactly as the original does; damaged or foreign bytes are refused, not a panic.
    #[test]
    fn bytes_carry_the_whole_run_and_refuse_damage() {
        let cfg = VaeConfig {
            hidden: 16,
            batch: 16,
            beta: 0.5,
            ..VaeConfig::default()
        };
        let mut a = VaeTrainer::new(&cfg, data()).expect("data");
        a.step(7).expect("ok");
        let bytes = a.to_bytes();
        let mut b = VaeTrainer::from_bytes(&bytes, data()).expect("reads");
        assert_eq!(b.to_bytes(), bytes, "nothing lost");
        assert_eq!((b.step_count(), b.config()), (7, a.config()));
        a.step(5).expect("ok");
        b.step(5).expect("ok");
        assert_eq!(a.to_bytes(), b.to_bytes(), "continues identically");
        let mut wrong_version = bytes.clone();
        wrong_version[0] = 9;
        for bad in [
            &[][..],
            &bytes[..1],
            &bytes[..bytes.len() / 2],
            &wrong_version[..],
        ] {
            assert!(matches!(
                VaeTrainer::from_bytes(bad, data()),
                Err(ModelError::BadState(_))
            ));
        }
        // A run's batch order must fit the digits it is read with.
        let d = data();
        let few = Digits::new(d.image(0).repeat(50), vec![d.label(0); 50]).expect("50 images");
        assert!(VaeTrainer::from_bytes(&bytes, few).is_err());
    }

    #[test]
    fn live_settings_are_clamped_and_keep_the_run() {
        let mut t = VaeTrainer::new(&VaeConfig::default(), data()).expect("data");
        t.step(2).expect("ok");
        t.set_beta(100.0);
        t.set_lr(f32::NAN);
        t.set_speed(0);
        assert_eq!(t.config().beta, 8.0);
        assert_eq!(t.config().lr, VaeConfig::default().lr);
        assert_eq!(t.config().speed, 1);
        assert_eq!(t.step_count(), 2);
    }
}
