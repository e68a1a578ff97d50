//! The VAE's networks, its loss (the negative beta-ELBO) and the hand-written backward pass
//! through the decoder, the reparameterisation and the encoder.
//!
//! Shapes: a batch of B images x (B, D) with D = 64 pixels in [0, 1]; the latent has K = 2
//! dimensions.
//! ```text
//! encoder:  x (B, D) -> [mu | logvar] (B, 2K)            q(z | x) = N(mu, diag(exp(logvar)))
//! reparam:  z = mu + exp(logvar / 2) (.) eps  (B, K),     eps ~ N(0, I) drawn outside
//! decoder:  z (B, K) -> logits l (B, D)                   p(x | z), mean m = sigmoid(l)
//! ```
//! Per image, in nats:
//! ```text
//! KL    = 1/2 sum_k (mu_k^2 + exp(logvar_k) - 1 - logvar_k)             (closed form)
//! recon = -log p(x | z)
//!       = sum_j softplus(l_j) - x_j l_j                                 (Bernoulli)
//!       = sum_j (x_j - m_j)^2 / (2 s^2) + 1/2 log(2 pi s^2)              (Gaussian, fixed s)
//! loss  = 1/B sum_i (recon_i + beta KL_i)        (= -ELBO averaged over the batch when beta = 1)
//! ```

use super::Likelihood;
use gentutor_nn::mlp::{Activation, Cache, Grads, Mlp};
use gentutor_rng::Rng;
use ndarray::{Array2, ArrayView2, Axis, Slice, Zip};
use serde::{Deserialize, Serialize};

/// Latent dimensions (2, so the latent plane can be drawn).
pub const LATENT: usize = 2;

/// The two terms of the loss, averaged over the batch, in nats per image.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Terms {
    /// E_q[-log p(x | z)] estimated with the batch's one z per image.
    pub recon: f64,
    /// KL(q(z | x) || N(0, I)), exact.
    pub kl: f64,
}

impl Terms {
    /// The ELBO (beta = 1): -(recon + KL). Higher is better.
    pub fn elbo(&self) -> f64 {
        -(self.recon + self.kl)
    }

    /// The training loss recon + beta KL.
    pub fn loss(&self, beta: f32) -> f64 {
        self.recon + beta as f64 * self.kl
    }
}

/// Encoder and decoder MLPs with the decoder's likelihood.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Vae {
    /// x (B, D) -> [mu | logvar] (B, 2K).
    pub encoder: Mlp,
    /// z (B, K) -> logits (B, D).
    pub decoder: Mlp,
    /// How the decoder's output scores a pixel.
    pub likelihood: Likelihood,
}

/// Buffers reused across training steps, and the last step's gradients.
#[derive(Debug, Clone, Default)]
pub struct Workspace {
    enc: Cache,
    dec: Cache,
    z: Array2<f32>,
    g_logits: Array2<f32>,
    g_enc: Array2<f32>,
    /// dL/dtheta of the encoder from the last [`Vae::loss_and_grads`].
    pub enc_grads: Option<Grads>,
    /// dL/dtheta of the decoder from the last [`Vae::loss_and_grads`].
    pub dec_grads: Option<Grads>,
}

/// log(1 + e^l), without overflow.
fn softplus(l: f32) -> f64 {
    let l = l as f64;
    l.max(0.0) + (-l.abs()).exp().ln_1p()
}

fn sigmoid(l: f32) -> f32 {
    1.0 / (1.0 + (-l).exp())
}

impl Vae {
    /// A VAE for `pixels`-dimensional inputs with `hidden` widths in both networks (the decoder
    /// mirrors the encoder), hidden activation `act`.
    pub fn new(
        pixels: usize,
        hidden: &[usize],
        act: Activation,
        likelihood: Likelihood,
        rng: &mut Rng,
    ) -> Vae {
        let mut enc = vec![pixels];
        enc.extend_from_slice(hidden);
        enc.push(2 * LATENT);
        let mut dec = vec![LATENT];
        dec.extend(hidden.iter().rev());
        dec.push(pixels);
        let mut encoder = Mlp::new(&enc, act, Activation::Identity, rng);
        // A small last layer starts q(z|x) near N(0, I) (logvar ~ 0), so the first steps do not
        // see exp(logvar) blow up.
        if let Some(last) = encoder.layers.last_mut() {
            last.w *= 0.1;
        }
        let decoder = Mlp::new(&dec, act, Activation::Identity, rng);
        Vae {
            encoder,
            decoder,
            likelihood,
        }
    }

    /// Pixels per image D.
    pub fn pixels(&self) -> usize {
        self.decoder.out_dim()
    }

    /// q(z | x)'s parameters: mu (B, K) and logvar (B, K) for images x (B, D).
    pub fn encode(&self, x: ArrayView2<'_, f32>) -> (Array2<f32>, Array2<f32>) {
        let (out, _) = self.encoder.forward(x);
        (
            out.slice_axis(Axis(1), Slice::from(..LATENT)).to_owned(),
            out.slice_axis(Axis(1), Slice::from(LATENT..)).to_owned(),
        )
    }

    /// The decoder's mean image m = E[x | z] (B, D) for latents z (B, K): sigmoid(logits)
    /// (the Bernoulli's p, the Gaussian's mean).
    pub fn decode_mean(&self, z: ArrayView2<'_, f32>) -> Array2<f32> {
        let (mut out, _) = self.decoder.forward(z);
        out.mapv_inplace(sigmoid);
        out
    }

    /// One draw x ~ p(x | z) per row of `mean` (B, D): the decoder's noise, which the mean leaves
    /// out. Bernoulli pixels are 0 or 1; Gaussian ones are clipped to [0, 1] for display.
    pub fn sample_pixels(&self, mean: ArrayView2<'_, f32>, rng: &mut Rng) -> Array2<f32> {
        match self.likelihood {
            Likelihood::Bernoulli => mean.mapv(|p| if rng.uniform_f32() < p { 1.0 } else { 0.0 }),
            Likelihood::Gaussian { sigma } => {
                mean.mapv(|m| (m + sigma * rng.normal_f32()).clamp(0.0, 1.0))
            }
        }
    }

    /// Forward only: the loss terms for images x (B, D) with fixed noise eps (B, K).
    pub fn terms(&self, x: ArrayView2<'_, f32>, eps: ArrayView2<'_, f32>) -> Terms {
        let mut ws = Workspace::default();
        self.forward(x, eps, &mut ws)
    }

    /// The forward pass into `ws`, returning the batch-averaged terms:
    /// ```text
    /// [mu | logvar] = enc(x)  (B, 2K);  z = mu + exp(logvar/2) (.) eps  (B, K);  l = dec(z)  (B, D)
    /// ```
    fn forward(
        &self,
        x: ArrayView2<'_, f32>,
        eps: ArrayView2<'_, f32>,
        ws: &mut Workspace,
    ) -> Terms {
        let b = x.nrows();
        self.encoder.forward_into(x, &mut ws.enc);
        let stats = ws.enc.output();
        if ws.z.dim() != (b, LATENT) {
            ws.z = Array2::zeros((b, LATENT));
        }
        let mut kl = 0.0f64;
        for i in 0..b {
            for k in 0..LATENT {
                let (mu, lv) = (stats[[i, k]], stats[[i, LATENT + k]]);
                ws.z[[i, k]] = mu + (0.5 * lv).exp() * eps[[i, k]];
                kl += 0.5 * (mu as f64 * mu as f64 + (lv as f64).exp() - 1.0 - lv as f64);
            }
        }
        self.decoder.forward_into(ws.z.view(), &mut ws.dec);
        let logits = ws.dec.output();
        let mut recon = 0.0f64;
        match self.likelihood {
            Likelihood::Bernoulli => {
                Zip::from(&logits).and(&x).for_each(|&l, &xv| {
                    recon += softplus(l) - xv as f64 * l as f64;
                });
            }
            Likelihood::Gaussian { sigma } => {
                let s2 = sigma as f64 * sigma as f64;
                let c = 0.5 * (2.0 * std::f64::consts::PI * s2).ln();
                Zip::from(&logits).and(&x).for_each(|&l, &xv| {
                    let d = xv as f64 - sigmoid(l) as f64;
                    recon += d * d / (2.0 * s2) + c;
                });
            }
        }
        let n = b.max(1) as f64;
        Terms {
            recon: recon / n,
            kl: kl / n,
        }
    }

    /// Forward and backward for L = 1/B sum_i (recon_i + beta KL_i); the parameter gradients are
    /// left in `ws.enc_grads` / `ws.dec_grads`. Backward, with m = sigmoid(l):
    /// ```text
    /// dL/dl       = (m - x) / B                                   (B, D)  Bernoulli
    ///             = (m - x) m (1 - m) / (s^2 B)                   (B, D)  Gaussian
    /// dL/dz       = decoder backward of dL/dl                     (B, K)
    /// dL/dmu      = dL/dz + beta mu / B                           (B, K)
    /// dL/dlogvar  = dL/dz (.) eps (.) exp(logvar/2) / 2
    ///               + beta (exp(logvar) - 1) / (2B)               (B, K)
    /// encoder backward of [dL/dmu | dL/dlogvar]                   (B, 2K)
    /// ```
    pub fn loss_and_grads(
        &self,
        x: ArrayView2<'_, f32>,
        eps: ArrayView2<'_, f32>,
        beta: f32,
        ws: &mut Workspace,
    ) -> Terms {
        let terms = self.forward(x, eps, ws);
        let b = x.nrows();
        let inv_b = 1.0 / b.max(1) as f32;
        let d = self.pixels();
        if ws.g_logits.dim() != (b, d) {
            ws.g_logits = Array2::zeros((b, d));
        }
        let logits = ws.dec.output();
        match self.likelihood {
            Likelihood::Bernoulli => Zip::from(&mut ws.g_logits)
                .and(&logits)
                .and(&x)
                .for_each(|g, &l, &xv| *g = (sigmoid(l) - xv) * inv_b),
            Likelihood::Gaussian { sigma } => {
                let k = inv_b / (sigma * sigma);
                Zip::from(&mut ws.g_logits)
                    .and(&logits)
                    .and(&x)
                    .for_each(|g, &l, &xv| {
                        let m = sigmoid(l);
                        *g = (m - xv) * m * (1.0 - m) * k;
                    })
            }
        }
        let dec_grads = ws
            .dec_grads
            .get_or_insert_with(|| Grads::zeros_like(&self.decoder));
        self.decoder
            .backward_into(&mut ws.dec, ws.g_logits.view(), Some(dec_grads));
        let gz = ws.dec.input_grad();
        let stats = ws.enc.output();
        if ws.g_enc.dim() != (b, 2 * LATENT) {
            ws.g_enc = Array2::zeros((b, 2 * LATENT));
        }
        for i in 0..b {
            for k in 0..LATENT {
                let (mu, lv) = (stats[[i, k]], stats[[i, LATENT + k]]);
                let g = gz[[i, k]];
                ws.g_enc[[i, k]] = g + beta * mu * inv_b;
                ws.g_enc[[i, LATENT + k]] = g * eps[[i, k]] * 0.5 * (0.5 * lv).exp()
                    + beta * 0.5 * (lv.exp() - 1.0) * inv_b;
            }
        }
        let enc_grads = ws
            .enc_grads
            .get_or_insert_with(|| Grads::zeros_like(&self.encoder));
        self.encoder
            .backward_into(&mut ws.enc, ws.g_enc.view(), Some(enc_grads));
        terms
    }

    /// Whether every parameter is finite.
    pub fn is_finite(&self) -> bool {
        self.encoder.is_finite() && self.decoder.is_finite()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::digits::Digits;

    /// Central differences of the loss against the backward pass, for every parameter of a small
    /// VAE on real digits, with the noise eps held fixed (the reparameterisation makes z a
    /// differentiable function of mu and logvar).
    fn check(likelihood: Likelihood, act: Activation, beta: f32, seed: u64) {
        // ReLU's kink: a smaller step, so few pre-activations cross 0 between the two sides.
        let (h, scale) = match act {
            Activation::Relu | Activation::LeakyRelu(_) => (5e-3f32, 1.0),
            _ => (1e-2f32, 3.0),
        };
        let mut rng = Rng::new(seed);
        let data = Digits::shipped().expect("shipped digits parse");
        let x = data.batch_unit(&[3, 50, 400, 1200, 1700]);
        let mut vae = Vae::new(64, &[6, 5], act, likelihood, &mut rng);
        // Move logvar away from 0 so its gradient terms are not trivially small.
        for p in vae.encoder.params_mut() {
            *p *= scale;
        }
        let mut eps = Array2::zeros((x.nrows(), LATENT));
        rng.fill_normal(eps.iter_mut());
        let mut ws = Workspace::default();
        vae.loss_and_grads(x.view(), eps.view(), beta, &mut ws);
        let analytic: Vec<f32> = ws
            .enc_grads
            .as_ref()
            .expect("encoder grads")
            .flat()
            .into_iter()
            .chain(ws.dec_grads.as_ref().expect("decoder grads").flat())
            .collect();
        let n_enc = vae.encoder.param_count();
        // f32 forward passes: a step large enough that rounding noise in the loss stays small
        // next to the difference, and an absolute floor relative to the largest gradient.
        let gmax = analytic.iter().fold(0.0f64, |m, &g| m.max(g.abs() as f64));
        let mut worst = 0.0f64;
        let mut checked = 0;
        let mut skipped = 0;
        // The loss and the signs of every pre-activation with parameter `idx` moved by `delta`.
        let eval = |vae: &mut Vae, idx: usize, delta: f32| {
            let p = if idx < n_enc {
                vae.encoder.params_mut().nth(idx)
            } else {
                vae.decoder.params_mut().nth(idx - n_enc)
            }
            .expect("index in range");
            let old = *p;
            *p = old + delta;
            let mut w = Workspace::default();
            let loss = vae.forward(x.view(), eps.view(), &mut w).loss(beta);
            let signs: Vec<bool> = w
                .enc
                .z
                .iter()
                .chain(&w.dec.z)
                .flat_map(|z| z.iter().map(|&v| v > 0.0))
                .collect();
            let p = if idx < n_enc {
                vae.encoder.params_mut().nth(idx)
            } else {
                vae.decoder.params_mut().nth(idx - n_enc)
            }
            .expect("index in range");
            *p = old;
            (loss, signs)
        };
        for (idx, &a) in analytic.iter().enumerate() {
            let (up, s_up) = eval(&mut vae, idx, h);
            let (down, s_down) = eval(&mut vae, idx, -h);
            if act != Activation::Tanh && s_up != s_down {
                // A ReLU kink lies between the two points: the difference is not a derivative.
                skipped += 1;
                continue;
            }
            let numeric = (up - down) / (2.0 * h as f64);
            let err =
                (numeric - a as f64).abs() / (numeric.abs().max(a.abs() as f64) + 1e-3 * gmax);
            assert!(
                err < 2e-2,
                "param {idx} ({}): numeric {numeric} vs backward {a}",
                if idx < n_enc { "encoder" } else { "decoder" }
            );
            worst = worst.max(err);
            checked += 1;
        }
        let total = n_enc + vae.decoder.param_count();
        assert_eq!(checked + skipped, total);
        assert!(
            skipped * 20 < total,
            "{skipped} of {total} parameters at a kink"
        );
        assert!(
            worst.is_finite() && gmax > 0.1,
            "worst {worst}, largest gradient {gmax}"
        );
        eprintln!(
            "{likelihood:?} {act:?} beta {beta}: worst relative error {worst:.2e}, {skipped} at a kink"
        );
    }

    #[test]
    fn gradient_check_bernoulli_through_the_reparameterisation() {
        check(Likelihood::Bernoulli, Activation::Tanh, 1.0, 1);
        check(Likelihood::Bernoulli, Activation::Tanh, 3.5, 2);
    }

    /// The demo's activation: ReLU kinks are rarely within h of a pre-activation.
    #[test]
    fn gradient_check_relu_networks() {
        check(Likelihood::Bernoulli, Activation::Relu, 1.0, 11);
    }

    #[test]
    fn gradient_check_gaussian_decoder_and_small_beta() {
        check(
            Likelihood::Gaussian { sigma: 0.3 },
            Activation::Tanh,
            0.25,
            3,
        );
        check(
            Likelihood::Gaussian { sigma: 0.1 },
            Activation::Tanh,
            1.0,
            4,
        );
    }

    #[test]
    fn kl_and_recon_match_their_closed_forms_on_a_hand_built_case() {
        // Zero networks: mu = 0, logvar = 0 (KL = 0), logits = 0 (p = 1/2).
        let mut rng = Rng::new(5);
        let mut vae = Vae::new(4, &[3], Activation::Tanh, Likelihood::Bernoulli, &mut rng);
        for p in vae.encoder.params_mut().chain(vae.decoder.params_mut()) {
            *p = 0.0;
        }
        let x = Array2::from_shape_vec((1, 4), vec![0.0, 1.0, 0.5, 0.25]).expect("shape");
        let eps = Array2::from_shape_vec((1, 2), vec![0.3, -1.0]).expect("shape");
        let t = vae.terms(x.view(), eps.view());
        assert!(t.kl.abs() < 1e-9);
        // softplus(0) - x * 0 = ln 2 per pixel.
        assert!((t.recon - 4.0 * std::f64::consts::LN_2).abs() < 1e-6);
        // mu = (1, -2), logvar = (ln 4, 0): KL = 1/2 (1 + 4 - 1 - ln 4) + 1/2 (4 + 1 - 1 - 0).
        let last = vae.encoder.layers.last_mut().expect("a layer");
        last.b[0] = 1.0;
        last.b[1] = -2.0;
        last.b[2] = 4f32.ln();
        let t = vae.terms(x.view(), eps.view());
        let want = 0.5 * (4.0 - 4f64.ln()) + 0.5 * 4.0;
        assert!((t.kl - want).abs() < 1e-5, "{} vs {want}", t.kl);
        assert!((t.elbo() + t.recon + t.kl).abs() < 1e-12);
        assert!((t.loss(0.5) - (t.recon + 0.5 * t.kl)).abs() < 1e-12);
    }

    #[test]
    fn the_mean_is_smooth_and_a_sample_is_noisy() {
        let mut rng = Rng::new(9);
        let vae = Vae::new(64, &[8], Activation::Tanh, Likelihood::Bernoulli, &mut rng);
        let z = Array2::zeros((3, LATENT));
        let mean = vae.decode_mean(z.view());
        assert!(mean.iter().all(|&m| m > 0.0 && m < 1.0));
        let sample = vae.sample_pixels(mean.view(), &mut rng);
        assert!(sample.iter().all(|&v| v == 0.0 || v == 1.0));
        // Over many draws the sample's average approaches the mean (Bernoulli).
        let mut acc = Array2::<f32>::zeros(mean.raw_dim());
        for _ in 0..4000 {
            acc += &vae.sample_pixels(mean.view(), &mut rng);
        }
        acc /= 4000.0;
        let err = (&acc - &mean).mapv(f32::abs).fold(0.0f32, |a, &b| a.max(b));
        assert!(err < 0.05, "{err}");
        let g = Vae {
            likelihood: Likelihood::Gaussian { sigma: 0.2 },
            ..vae
        };
        let s = g.sample_pixels(mean.view(), &mut rng);
        assert!(s.iter().all(|&v| (0.0..=1.0).contains(&v)));
        assert!(s != mean);
    }
}
