//! The digits GAN's two networks, the non-saturating losses and their hand-written backward
//! passes (the generator's runs through the discriminator's input gradient).
//!
//! Shapes: B images x (B, D) with D = 64 pixels scaled to [-1, 1] (x = 2 p / 16 - 1); noise
//! z (B, K) ~ N(0, I), K = `latent`.
//! ```text
//! G: z (B, K) -> h (LeakyReLU 0.2) -> h -> tanh -> x_fake (B, D)
//! D: x (B, D) -> h (LeakyReLU 0.2) -> h -> s (B, 1), a logit: D(x) = sigmoid(s)
//! ```

use gentutor_nn::loss::bce_with_logits;
use gentutor_nn::mlp::{Activation, Cache, Grads, Mlp};
use gentutor_rng::Rng;
use ndarray::{Array2, ArrayView2, Axis, Slice};
use serde::{Deserialize, Serialize};

/// The slope of the hidden LeakyReLUs.
pub const LEAKY_SLOPE: f32 = 0.2;

/// Generator and discriminator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Nets {
    /// z (B, K) -> x (B, D) in [-1, 1].
    pub g: Mlp,
    /// x (B, D) -> logit (B, 1).
    pub d: Mlp,
}

/// Buffers reused across steps and the last step's gradients.
#[derive(Debug, Clone, Default)]
pub struct Workspace {
    gc: Cache,
    dc: Cache,
    x2: Array2<f32>,
    /// dL_D/dtheta_D of the last [`Nets::d_loss_and_grads`].
    pub d_grads: Option<Grads>,
    /// dL_G/dtheta_G of the last [`Nets::g_loss_and_grads`].
    pub g_grads: Option<Grads>,
}

/// What one discriminator step saw: its loss and its mean verdicts.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct DStats {
    /// L_D (nats, mean over the 2B images).
    pub loss: f64,
    /// Mean D(x) over the real images.
    pub d_real: f64,
    /// Mean D(G(z)) over the fakes.
    pub d_fake: f64,
}

fn sigmoid(s: f32) -> f64 {
    1.0 / (1.0 + (-f64::from(s)).exp())
}

impl Nets {
    /// Fresh networks: G latent -> hidden -> hidden -> pixels, D pixels -> hidden -> hidden -> 1.
    pub fn new(latent: usize, hidden: usize, pixels: usize, rng: &mut Rng) -> Nets {
        Nets::with_activation(
            latent,
            hidden,
            pixels,
            Activation::LeakyRelu(LEAKY_SLOPE),
            rng,
        )
    }

    /// As [`Nets::new`] with another hidden activation (the gradient checks use tanh, which
    /// has no kinks for the central differences to straddle).
    pub fn with_activation(
        latent: usize,
        hidden: usize,
        pixels: usize,
        act: Activation,
        rng: &mut Rng,
    ) -> Nets {
        let g = Mlp::new(
            &[latent, hidden, hidden, pixels],
            act,
            Activation::Tanh,
            rng,
        );
        let d = Mlp::new(&[pixels, hidden, hidden, 1], act, Activation::Identity, rng);
        Nets { g, d }
    }

    /// The noise dimension K.
    pub fn latent(&self) -> usize {
        self.g.in_dim()
    }

    /// Whether every weight is finite.
    pub fn is_finite(&self) -> bool {
        self.g.is_finite() && self.d.is_finite()
    }

    /// Generated images G(z) (B, D) in [-1, 1].
    pub fn generate(&self, z: ArrayView2<'_, f32>) -> Array2<f32> {
        self.g.forward(z).0
    }

    /// The discriminator's loss on real images and fakes, and its parameter gradients
    /// (written to `ws.d_grads`):
    /// ```text
    /// x = [real; fake] (2B, D),  y = [1 ... 1; 0 ... 0] (2B),  s = D(x) (2B, 1)
    /// L_D = 1/(2B) sum_i softplus(s_i) - y_i s_i     = (BCE(real, 1) + BCE(fake, 0)) / 2
    /// dL_D/ds_i = (sigmoid(s_i) - y_i) / (2B)  (2B, 1)  -> D's backward -> dL_D/dtheta_D
    /// ```
    /// `real` and `fake` must both have D columns.
    pub fn d_loss_and_grads(
        &self,
        real: ArrayView2<'_, f32>,
        fake: ArrayView2<'_, f32>,
        ws: &mut Workspace,
    ) -> DStats {
        let (br, bf) = (real.nrows(), fake.nrows());
        let cols = real.ncols();
        if ws.x2.dim() != (br + bf, cols) {
            ws.x2 = Array2::zeros((br + bf, cols));
        }
        ws.x2
            .slice_axis_mut(Axis(0), Slice::from(..br))
            .assign(&real);
        ws.x2
            .slice_axis_mut(Axis(0), Slice::from(br..))
            .assign(&fake);
        self.d.forward_into(ws.x2.view(), &mut ws.dc);
        let logits: Vec<f32> = ws.dc.output().iter().copied().collect();
        let targets: Vec<f32> = (0..br + bf)
            .map(|i| if i < br { 1.0 } else { 0.0 })
            .collect();
        // Equal lengths by construction: the loss cannot refuse them.
        let lg = bce_with_logits(&logits, &targets).unwrap_or_else(|_| unreachable!());
        let mean = |l: &[f32]| l.iter().map(|&s| sigmoid(s)).sum::<f64>() / l.len().max(1) as f64;
        let stats = DStats {
            loss: lg.value,
            d_real: mean(&logits[..br]),
            d_fake: mean(&logits[br..]),
        };
        let g = Array2::from_shape_vec((br + bf, 1), lg.grad).unwrap_or_else(|_| unreachable!());
        let grads = ws.d_grads.get_or_insert_with(|| Grads::zeros_like(&self.d));
        self.d.backward_into(&mut ws.dc, g.view(), Some(grads));
        stats
    }

    /// The generator's non-saturating loss and its parameter gradients (written to
    /// `ws.g_grads`), through D's input gradient:
    /// ```text
    /// x_f = G(z) (B, D),  s = D(x_f) (B, 1)
    /// L_G = 1/B sum_i softplus(-s_i)        (= -mean log D(G(z)), not log(1 - D(G(z))))
    /// dL_G/ds_i = (sigmoid(s_i) - 1) / B  (B, 1)
    /// dL_G/dx_f = D's backward without its parameter products   (B, D)
    /// dL_G/dtheta_G = G's backward of dL_G/dx_f
    /// ```
    /// Returns L_G; D's weights are not touched and its gradients not kept.
    pub fn g_loss_and_grads(&self, z: ArrayView2<'_, f32>, ws: &mut Workspace) -> f64 {
        self.g.forward_into(z, &mut ws.gc);
        self.d.forward_into(ws.gc.output(), &mut ws.dc);
        let logits: Vec<f32> = ws.dc.output().iter().copied().collect();
        let lg =
            bce_with_logits(&logits, &vec![1.0; logits.len()]).unwrap_or_else(|_| unreachable!());
        let g =
            Array2::from_shape_vec((logits.len(), 1), lg.grad).unwrap_or_else(|_| unreachable!());
        self.d.backward_into(&mut ws.dc, g.view(), None);
        let gx = ws.dc.input_grad().to_owned();
        let grads = ws.g_grads.get_or_insert_with(|| Grads::zeros_like(&self.g));
        self.g.backward_into(&mut ws.gc, gx.view(), Some(grads));
        lg.value
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gentutor_nn::gradcheck::check_gradient;

    fn set(m: &mut Mlp, p: &[f32]) {
        for (dst, &src) in m.params_mut().zip(p) {
            *dst = src;
        }
    }

    fn batch(rows: usize, cols: usize, seed: u64) -> Array2<f32> {
        let mut a = Array2::zeros((rows, cols));
        Rng::new(seed).fill_normal(a.iter_mut());
        a.mapv(|v| v.tanh())
    }

    /// Central differences of L_D in theta_D and of L_G in theta_G (through D) agree with the
    /// backward passes, on smooth (tanh) networks.
    #[test]
    fn gradient_checks_of_both_losses() {
        let mut rng = Rng::new(11);
        let nets = Nets::with_activation(3, 6, 10, Activation::Tanh, &mut rng);
        let real = batch(5, 10, 1);
        let fake = batch(4, 10, 2);
        let z = batch(6, 3, 3);
        let mut ws = Workspace::default();

        nets.d_loss_and_grads(real.view(), fake.view(), &mut ws);
        let analytic = ws.d_grads.as_ref().expect("grads").flat();
        let theta = nets.d.params_flat();
        check_gradient(
            |p| {
                let mut n = nets.clone();
                set(&mut n.d, p);
                n.d_loss_and_grads(real.view(), fake.view(), &mut Workspace::default())
                    .loss
            },
            &theta,
            &analytic,
            1e-2,
            2e-3,
        )
        .expect("dL_D/dtheta_D");

        nets.g_loss_and_grads(z.view(), &mut ws);
        let analytic = ws.g_grads.as_ref().expect("grads").flat();
        let theta = nets.g.params_flat();
        check_gradient(
            |p| {
                let mut n = nets.clone();
                set(&mut n.g, p);
                n.g_loss_and_grads(z.view(), &mut Workspace::default())
            },
            &theta,
            &analytic,
            1e-2,
            2e-3,
        )
        .expect("dL_G/dtheta_G through D");
        assert!(
            analytic.iter().any(|g| g.abs() > 1e-3),
            "gradients not all zero"
        );
    }

    /// The shipped LeakyReLU networks: all but the few parameters whose step crosses a kink.
    #[test]
    fn gradient_check_leaky_relu_networks() {
        let mut rng = Rng::new(5);
        let nets = Nets::new(4, 8, 12, &mut rng);
        let z = batch(7, 4, 9);
        let mut ws = Workspace::default();
        nets.g_loss_and_grads(z.view(), &mut ws);
        let analytic = ws.g_grads.as_ref().expect("grads").flat();
        let theta = nets.g.params_flat();
        let numeric = gentutor_nn::gradcheck::numeric_gradient(
            |p| {
                let mut n = nets.clone();
                set(&mut n.g, p);
                n.g_loss_and_grads(z.view(), &mut Workspace::default())
            },
            &theta,
            1e-3,
        );
        let bad = analytic
            .iter()
            .zip(&numeric)
            .filter(|(&a, &n)| gentutor_nn::gradcheck::relative_error(f64::from(a), n, 1e-3) > 1e-2)
            .count();
        assert!(bad <= theta.len() / 50, "{bad} of {} disagree", theta.len());
    }

    /// The losses are the textbook values at a known point: D(x) = 1/2 everywhere gives
    /// L_D = L_G = ln 2.
    #[test]
    fn losses_at_an_undecided_discriminator() {
        let mut rng = Rng::new(1);
        let mut nets = Nets::new(2, 4, 6, &mut rng);
        for p in nets.d.params_mut() {
            *p = 0.0;
        }
        let mut ws = Workspace::default();
        let st = nets.d_loss_and_grads(batch(3, 6, 1).view(), batch(3, 6, 2).view(), &mut ws);
        assert!((st.loss - std::f64::consts::LN_2).abs() < 1e-9);
        assert!((st.d_real - 0.5).abs() < 1e-9 && (st.d_fake - 0.5).abs() < 1e-9);
        let lg = nets.g_loss_and_grads(batch(3, 2, 3).view(), &mut ws);
        assert!((lg - std::f64::consts::LN_2).abs() < 1e-9);
        let x = nets.generate(batch(5, 2, 4).view());
        assert_eq!(x.dim(), (5, 6));
        assert!(x.iter().all(|v| v.abs() <= 1.0));
    }
}
