//! Training: the per-sample loss terms with their slopes, the step loop with its divergence
//! checks, the players' losses and gradients (with the exact gradient penalty), and the bench.

use super::*;

pub(super) fn softplus(x: f32) -> f32 {
    x.max(0.0) + (-x.abs()).exp().ln_1p()
}

pub(super) fn sigmoid(x: f32) -> f32 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

/// Per-sample discriminator loss on a real logit: (value, d value / d a).
pub(super) fn d_real_term(loss: LossKind, a: f32) -> (f32, f32) {
    match loss {
        LossKind::Minimax | LossKind::NonSaturating => (softplus(-a), sigmoid(a) - 1.0),
        LossKind::LeastSquares => (0.5 * (a - 1.0) * (a - 1.0), a - 1.0),
        LossKind::Hinge => {
            if a < 1.0 {
                (1.0 - a, -1.0)
            } else {
                (0.0, 0.0)
            }
        }
        LossKind::WganGp => (-a, -1.0),
    }
}

/// Per-sample discriminator loss on a fake logit: (value, d value / d a).
pub(super) fn d_fake_term(loss: LossKind, a: f32) -> (f32, f32) {
    match loss {
        LossKind::Minimax | LossKind::NonSaturating => (softplus(a), sigmoid(a)),
        LossKind::LeastSquares => (0.5 * a * a, a),
        LossKind::Hinge => {
            if a > -1.0 {
                (1.0 + a, 1.0)
            } else {
                (0.0, 0.0)
            }
        }
        LossKind::WganGp => (a, 1.0),
    }
}

/// Per-sample generator loss on a fake logit: (value, d value / d a).
pub(super) fn g_term(loss: LossKind, a: f32) -> (f32, f32) {
    match loss {
        // log(1 - sigmoid(a)) = -softplus(a); its slope -sigmoid(a) vanishes as D rejects fakes.
        LossKind::Minimax => (-softplus(a), -sigmoid(a)),
        LossKind::NonSaturating => (softplus(-a), sigmoid(a) - 1.0),
        LossKind::LeastSquares => (0.5 * (a - 1.0) * (a - 1.0), a - 1.0),
        LossKind::Hinge | LossKind::WganGp => (-a, -1.0),
    }
}

pub(super) fn build_optimizer(c: &Config, lr: f32) -> AnyOptimizer {
    match c.optimizer {
        OptKind::Adam => AnyOptimizer::Adam(Adam::new(lr, c.beta1, c.beta2, 1e-8)),
        OptKind::Sgd => AnyOptimizer::Sgd(Sgd { lr }),
    }
}

pub(super) fn mlp_sizes(width: usize, depth: usize) -> Vec<usize> {
    let mut v = vec![1];
    v.extend(std::iter::repeat_n(width, depth));
    v.push(1);
    v
}

impl Gan1d {
    /// Runs `n` training steps. Stops at the first divergence, which is returned now and on
    /// every later call.
    pub fn step(&mut self, n: usize) -> Result<(), ModelError> {
        for _ in 0..n {
            if let Some(e) = &self.diverged {
                return Err(e.clone());
            }
            if let Err(e) = self.step_once() {
                self.diverged = Some(e.clone());
                return Err(e);
            }
        }
        match &self.diverged {
            Some(e) => Err(e.clone()),
            None => Ok(()),
        }
    }

    pub(super) fn fail(&self, what: String) -> ModelError {
        ModelError::Diverged {
            model: Model::Gan,
            step: self.step,
            what,
        }
    }

    /// Samples x ~ p* into `out`.
    pub(super) fn sample_real(rng: &mut Rng, c: &Config, out: &mut [f32]) {
        for x in out {
            let i = rng.below(c.modes);
            *x = c.mode_mean(i) + c.std * rng.normal_f32();
        }
    }

    pub(super) fn check_net(&self, net: &Mlp, who: &str) -> Result<(), ModelError> {
        if !net.is_finite() {
            return Err(self.fail(format!("the {who}'s weights became NaN or infinite")));
        }
        let m = net.max_abs_weight();
        if m > MAX_WEIGHT {
            return Err(self.fail(format!("the {who}'s weights exploded (max |w| = {m:.3e})")));
        }
        Ok(())
    }

    /// One step: k discriminator updates, then one generator update.
    pub(super) fn step_once(&mut self) -> Result<(), ModelError> {
        let b = self.config.batch;
        let mut ld_sum = 0.0f64;
        for _ in 0..self.config.d_steps {
            // Real rows 0..b, fake rows b..2b: one D pass over both halves.
            if let Some(xs) = self.x_d.as_slice_mut() {
                Self::sample_real(&mut self.rng, &self.config, &mut xs[..b]);
            }
            self.rng.fill_normal(self.z.view_mut());
            self.g.forward_into(self.z.view(), &mut self.g_cache);
            self.x_d
                .slice_axis_mut(Axis(0), Slice::from(b..))
                .assign(&self.g_cache.output());
            if self.config.loss == LossKind::WganGp {
                self.rng.fill_uniform(self.eps.view_mut());
            }
            let ld = self.d_loss_grads();
            if !ld.is_finite() || !self.d_grads.is_finite() {
                return Err(self
                    .fail("the discriminator loss or its gradient became NaN or infinite".into()));
            }
            self.opt_d.apply(&mut self.d, &self.d_grads);
            self.check_net(&self.d, "discriminator")?;
            ld_sum += ld;
        }
        let ld_mean = ld_sum / self.config.d_steps as f64;

        self.rng.fill_normal(self.z.view_mut());
        let (lg, grad_x, max_x) = self.g_loss_grads();
        if max_x.is_nan() || max_x > MAX_SAMPLE {
            return Err(self.fail(format!("generated samples flew off to |x| = {max_x:.3e}")));
        }
        let gnorm = self.g_grads.norm();
        if !lg.is_finite() || !gnorm.is_finite() {
            return Err(
                self.fail("the generator loss or its gradient became NaN or infinite".into())
            );
        }
        self.opt_g.apply(&mut self.g, &self.g_grads);
        self.check_net(&self.g, "generator")?;
        self.step += 1;
        self.hist.loss_d.push(self.step, ld_mean);
        self.hist.loss_g.push(self.step, lg);
        self.hist.grad_g.push(self.step, gnorm);
        self.hist.grad_x.push(self.step, grad_x);
        Ok(())
    }

    /// Discriminator loss on the batch in `x_d` (rows 0..B real, B..2B fake, shape (2B, 1)):
    /// L_D = (1/B) sum_real l_r(a) + (1/B) sum_fake l_f(a) (+ gradient penalty for WGAN-GP,
    /// interpolating with `eps`). Writes dL_D/dphi into `d_grads` and returns L_D.
    pub(super) fn d_loss_grads(&mut self) -> f64 {
        let (b, loss) = (self.config.batch, self.config.loss);
        let inv_b = 1.0 / b as f32;
        self.d.forward_into(self.x_d.view(), &mut self.d_cache);
        let mut ld = 0.0f64;
        for (i, (&ai, ga)) in self
            .d_cache
            .output()
            .iter()
            .zip(self.grad_a.iter_mut())
            .enumerate()
        {
            let (v, dv) = if i < b {
                d_real_term(loss, ai)
            } else {
                d_fake_term(loss, ai)
            };
            ld += v as f64;
            *ga = dv * inv_b;
        }
        ld /= b as f64;
        self.d.backward_into(
            &mut self.d_cache,
            self.grad_a.view(),
            Some(&mut self.d_grads),
        );
        if loss == LossKind::WganGp && self.config.gp_lambda > 0.0 {
            ld += self.gradient_penalty();
            self.d_grads.add_assign(&self.gp_grads);
        }
        ld
    }

    /// Generator loss for the noise in `z` (B, 1): x = G(z), L_G = (1/B) sum_i l_G(a(x_i)).
    /// The gradient flows back through D's input: dL_G/dx (B, 1) from D's backward pass, then
    /// G's backward pass gives dL_G/dtheta in `g_grads`. Returns (L_G, mean_i |dl_G/dx_i|,
    /// max_i |x_i|).
    pub(super) fn g_loss_grads(&mut self) -> (f64, f64, f32) {
        let (b, loss) = (self.config.batch, self.config.loss);
        let inv_b = 1.0 / b as f32;
        self.g.forward_into(self.z.view(), &mut self.g_cache);
        let x_f = self.g_cache.output();
        let max_x = x_f.iter().fold(0.0f32, |m, v| {
            if v.is_nan() || m.is_nan() {
                f32::NAN
            } else {
                m.max(v.abs())
            }
        });
        self.d.forward_into(x_f, &mut self.gp_cache);
        let mut lg = 0.0f64;
        for (&ai, g) in self.gp_cache.output().iter().zip(
            self.grad_a
                .slice_axis_mut(Axis(0), Slice::from(..b))
                .iter_mut(),
        ) {
            let (v, dv) = g_term(loss, ai);
            lg += v as f64;
            *g = dv * inv_b;
        }
        lg /= b as f64;
        self.d.backward_into(
            &mut self.gp_cache,
            self.grad_a.slice_axis(Axis(0), Slice::from(..b)),
            None,
        );
        let dx = self.gp_cache.input_grad();
        // dx_i = (1/B) dl/dx_i, so the plain sum is the batch mean of |dl/dx_i|.
        let grad_x = dx.iter().map(|v| v.abs() as f64).sum::<f64>();
        self.g
            .backward_into(&mut self.g_cache, dx, Some(&mut self.g_grads));
        (lg, grad_x, max_x)
    }

    /// Gradient penalty P = lambda mean_i (|dD/dx(x_hat_i)| - 1)^2 on interpolates
    /// x_hat = eps x_real + (1 - eps) x_fake (eps ~ U[0,1], shapes (B, 1)); writes dP/dphi into
    /// `gp_grads` by exact double backprop and returns P.
    ///
    /// dP/dt_i = (2 lambda / B) (|t_i| - 1) sign(t_i) with t = dD/dx from forward mode.
    pub(super) fn gradient_penalty(&mut self) -> f64 {
        let b = self.config.batch;
        let lambda = self.config.gp_lambda;
        for i in 0..b {
            let eps = self.eps[[i, 0]];
            let (xr, xf) = (self.x_d[[i, 0]], self.x_d[[b + i, 0]]);
            self.x_hat[[i, 0]] = eps * xr + (1.0 - eps) * xf;
        }
        self.d
            .forward_tangent(self.x_hat.view(), self.ones.view(), &mut self.gp_cache);
        let mut p = 0.0f64;
        for (&t, gt) in self
            .gp_cache
            .tangent_output()
            .iter()
            .zip(self.grad_t.iter_mut())
        {
            let dev = t.abs() - 1.0;
            p += (dev * dev) as f64;
            *gt = 2.0 * lambda / b as f32 * dev * t.signum();
        }
        self.d.backward_tangent(
            &mut self.gp_cache,
            self.grad_zero.view(),
            self.grad_t.view(),
            &mut self.gp_grads,
        );
        lambda as f64 * p / b as f64
    }
}

/// Times `steps` training steps after `warmup` untimed ones. `now()` returns milliseconds
/// (`Instant` natively, `performance.now()` in the browser).
pub fn bench_steps(
    gan: &mut Gan1d,
    warmup: usize,
    steps: usize,
    now: impl FnMut() -> f64,
) -> Result<BenchReport, ModelError> {
    crate::bench::bench_steps(|n| gan.step(n), warmup, steps, now)
}
