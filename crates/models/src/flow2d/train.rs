//! Training: the hand-written backward pass of the mean NLL and the step loop with its
//! divergence checks.

use super::*;

impl Flow2d {
    /// Mean NLL of the minibatch x (B, 2) and its gradient w.r.t. every parameter, written into
    /// each coupling's `grads` and `an_grads`. Forward (normalizing direction) as in
    /// [`Flow2d::forward`], saving block inputs; then, with L = (1/B) sum_i nll_i,
    /// nll_i = |u_i|^2 / 2 + log(2 pi) - sum_k ld_{k,i}:
    ///
    /// ```text
    /// g = dL/du = u / B  (B, 2);   dL/d ld_{k,i} = -1/B
    /// coupling k (reverse order), h = block input, y_b = h_b e^s + t:
    ///   g_t = g_b;  g_s = g_b h_b e^s - 1/B;  g_r = g_s S_MAX (1 - tanh^2 r)     (B)
    ///   MLP backward with dL/d[r, t] = [g_r, g_t] (B, 2) -> dL/dtheta_k, dL/dh_a (B, 1)
    ///   g_b <- g_b e^s;  g_a <- g_a + dL/dh_a
    /// ActNorm k, y = h e^logs + bias:
    ///   dL/dbias_j = sum_i g_ij;  dL/dlogs_j = sum_i g_ij h_ij e^logs_j - 1;  g <- g e^logs
    /// ```
    pub(super) fn loss_and_grads(&mut self, x: ArrayView2<'_, f32>) -> f32 {
        let bsz = x.nrows();
        let n = self.couplings.len();
        if bsz == 0 || x.ncols() != 2 {
            return f32::NAN;
        }
        let inv_b = 1.0 / bsz as f32;
        let w = &mut self.work;
        w.an_in.resize(n, Array2::zeros((0, 2)));
        w.c_in.resize(n, Array2::zeros((0, 2)));
        w.th.resize(n, Array1::zeros(0));
        w.es.resize(n, Array1::zeros(0));
        let mut h = x.to_owned();
        let mut ld = Array1::<f32>::zeros(bsz);
        let mut xa = Array2::<f32>::zeros((bsz, 1));
        for k in 0..n {
            if let Some(an) = self.actnorm.layers.get(k) {
                w.an_in[k].clone_from(&h);
                let (l0, l1) = (an.w[[0, 0]], an.w[[0, 1]]);
                let (e0, e1) = (l0.exp(), l1.exp());
                for mut r in h.rows_mut() {
                    r[0] = r[0] * e0 + an.b[0];
                    r[1] = r[1] * e1 + an.b[1];
                }
                ld += l0 + l1;
            }
            w.c_in[k].clone_from(&h);
            let c = &mut self.couplings[k];
            let (a, b) = (c.keep, 1 - c.keep);
            xa.column_mut(0).assign(&h.column(a));
            c.mlp.forward_into(xa.view(), &mut c.cache);
            let out = c.cache.output();
            let th = &mut w.th[k];
            let es = &mut w.es[k];
            if th.len() != bsz {
                *th = Array1::zeros(bsz);
                *es = Array1::zeros(bsz);
            }
            for (i, mut r) in h.rows_mut().into_iter().enumerate() {
                let t = fast_tanh(out[[i, 0]]);
                let s = S_MAX * t;
                let e = s.exp();
                th[i] = t;
                es[i] = e;
                r[b] = r[b] * e + out[[i, 1]];
                ld[i] += s;
            }
        }
        let mut nll = 0.0f64;
        for (i, r) in h.rows().into_iter().enumerate() {
            nll -= (log_base(r[0], r[1]) + ld[i]) as f64;
        }
        nll /= bsz as f64;
        // Backward: g = dL/dh, starting from dL/du = u / B.
        let mut g = h * inv_b;
        let mut gout = Array2::<f32>::zeros((bsz, 2));
        for k in (0..n).rev() {
            let c = &mut self.couplings[k];
            let (a, b) = (c.keep, 1 - c.keep);
            let hin = &w.c_in[k];
            for i in 0..bsz {
                let gb = g[[i, b]];
                let (t, e) = (w.th[k][i], w.es[k][i]);
                let gs = gb * hin[[i, b]] * e - inv_b;
                gout[[i, 0]] = gs * S_MAX * (1.0 - t * t);
                gout[[i, 1]] = gb;
                g[[i, b]] = gb * e;
            }
            c.mlp
                .backward_into(&mut c.cache, gout.view(), Some(&mut c.grads));
            let gin = c.cache.input_grad();
            for i in 0..bsz {
                g[[i, a]] += gin[[i, 0]];
            }
            if let (Some(an), Some(ag)) =
                (self.actnorm.layers.get(k), self.an_grads.layers.get_mut(k))
            {
                let hin = &w.an_in[k];
                for j in 0..2 {
                    let e = an.w[[0, j]].exp();
                    let (mut gbias, mut glogs) = (0.0f32, 0.0f32);
                    for i in 0..bsz {
                        gbias += g[[i, j]];
                        glogs += g[[i, j]] * hin[[i, j]] * e;
                        g[[i, j]] *= e;
                    }
                    ag.b[j] = gbias;
                    ag.w[[0, j]] = glogs - 1.0;
                }
            }
        }
        nll as f32
    }

    pub(super) fn grads_finite(&self) -> bool {
        self.an_grads.is_finite() && self.couplings.iter().all(|c| c.grads.is_finite())
    }

    pub(super) fn max_abs_param(&self) -> f32 {
        self.couplings
            .iter()
            .map(|c| c.mlp.max_abs_weight())
            .chain(std::iter::once(self.actnorm.max_abs_weight()))
            .fold(0.0f32, |m, v| {
                if v.is_nan() || m.is_nan() {
                    f32::NAN
                } else {
                    m.max(v)
                }
            })
    }

    pub(super) fn stop(&mut self, what: String) -> ModelError {
        let e = ModelError::Diverged {
            model: Model::Flow,
            step: self.step,
            what,
        };
        self.diverged = Some(e.clone());
        e
    }

    /// Sets the learning rate of every optimiser, keeping the weights, Adam's moments, the
    /// step count and the history: the run goes on at the new rate.
    pub fn set_lr(&mut self, lr: f32) -> Result<(), ModelError> {
        if !LR.contains(&lr) {
            return Err(config::range_err("lr", lr, *LR.start(), *LR.end()));
        }
        for c in &mut self.couplings {
            c.opt.lr = lr;
        }
        self.an_opt.lr = lr;
        self.config.lr = lr;
        Ok(())
    }

    /// Takes over `c` without restarting when [`Config::same_run`] allows it (else an
    /// [`ModelError::InvalidConfig`]: the caller builds a new flow).
    pub fn retune(&mut self, c: &Config) -> Result<(), ModelError> {
        c.validate()?;
        if !self.config.same_run(c) {
            return Err(ModelError::InvalidConfig {
                field: "config",
                reason: "only the learning rate can change a running flow; the data and the \
                         network need a new run"
                    .into(),
            });
        }
        self.set_lr(c.lr)
    }

    /// Runs `n` Adam steps on fresh minibatches x ~ p* of the configured size, minimising the
    /// mean NLL. A NaN/inf loss or gradient (the update is then skipped, so the views keep the
    /// last finite model), a loss above [`MAX_NLL`] or a parameter above [`MAX_WEIGHT`] stops
    /// training with [`ModelError::Diverged`], returned now and by every later call.
    pub fn step(&mut self, n: usize) -> Result<(), ModelError> {
        if let Some(e) = &self.diverged {
            return Err(e.clone());
        }
        for _ in 0..n {
            let x = self
                .config
                .dataset
                .sample(self.config.batch, &mut self.data_rng)?;
            let nll = self.loss_and_grads(x.view());
            self.step += 1;
            if !nll.is_finite() || !self.grads_finite() {
                return Err(self.stop("the loss or its gradient became NaN or infinite".into()));
            }
            if nll > MAX_NLL {
                return Err(self.stop(format!("the NLL exploded to {nll:.3e} nats")));
            }
            for c in &mut self.couplings {
                c.opt.apply(&mut c.mlp, &c.grads);
            }
            self.an_opt.apply(&mut self.actnorm, &self.an_grads);
            self.history.push(self.step, nll as f64);
            let m = self.max_abs_param();
            if m.is_nan() || m > MAX_WEIGHT {
                return Err(self.stop(format!("a weight grew to {m:.3e}")));
            }
        }
        Ok(())
    }
}
