//! Building a run, handing it to a worker and back, retuning it, and its accessors.

use super::*;

impl Gan1d {
    /// A fresh run. The config must be valid ([`Config::validate`]; use [`Config::clamped`]
    /// for untrusted input). All randomness derives from `seed`.
    pub fn new(config: Config, seed: u64) -> Result<Self, ModelError> {
        config.validate()?;
        let mut root = Rng::new(seed);
        let mut init = root.split();
        let mut eval_rng = root.split();
        let rng = root.split();
        let g = Mlp::new(
            &mlp_sizes(config.g_width, config.g_depth),
            config.g_act.activation(),
            Activation::Identity,
            &mut init,
        );
        let d = Mlp::new(
            &mlp_sizes(config.d_width, config.d_depth),
            config.d_act.activation(),
            Activation::Identity,
            &mut init,
        );
        let mut eval_z = Array2::zeros((EVAL_SAMPLES, 1));
        eval_rng.fill_normal(eval_z.view_mut());
        Ok(Gan1d::assemble(Saved {
            opt_g: build_optimizer(&config, config.lr_g),
            opt_d: build_optimizer(&config, config.lr_d),
            g,
            d,
            config,
            seed,
            rng,
            eval_z,
            step: 0,
            diverged: None,
            hist: Histories::default(),
        }))
    }

    /// A run from its learned and random state, with fresh work buffers.
    pub(super) fn assemble(s: Saved) -> Gan1d {
        let b = s.config.batch;
        Gan1d {
            g_grads: Grads::zeros_like(&s.g),
            d_grads: Grads::zeros_like(&s.d),
            gp_grads: Grads::zeros_like(&s.d),
            target: Target::new(&s.config),
            memo: MetricsMemo::default(),
            diverged: s.diverged.map(|(step, what)| ModelError::Diverged {
                model: Model::Gan,
                step,
                what,
            }),
            config: s.config,
            seed: s.seed,
            g: s.g,
            d: s.d,
            opt_g: s.opt_g,
            opt_d: s.opt_d,
            rng: s.rng,
            eval_z: s.eval_z,
            step: s.step,
            hist: s.hist,
            z: Array2::zeros((b, 1)),
            x_d: Array2::zeros((2 * b, 1)),
            x_hat: Array2::zeros((b, 1)),
            eps: Array2::zeros((b, 1)),
            ones: Array2::ones((b, 1)),
            grad_a: Array2::zeros((2 * b, 1)),
            grad_zero: Array2::zeros((b, 1)),
            grad_t: Array2::zeros((b, 1)),
            g_cache: Cache::default(),
            d_cache: Cache::default(),
            gp_cache: Cache::default(),
        }
    }

    /// Applies new training settings to this run, keeping its weights, optimiser moments, curves
    /// and step count, so "raise the learning rate and watch it diverge" works. Refuses (and
    /// changes nothing) unless [`Config::same_run`] holds.
    pub fn retune(&mut self, c: Config) -> Result<(), ModelError> {
        c.validate()?;
        if !self.config.same_run(&c) {
            return Err(ModelError::InvalidConfig {
                field: "config",
                reason: "only training settings can change a running model; the data, \
                         networks and optimiser need a new run"
                    .into(),
            });
        }
        for (opt, lr) in [(&mut self.opt_g, c.lr_g), (&mut self.opt_d, c.lr_d)] {
            match opt {
                AnyOptimizer::Adam(a) => {
                    a.lr = lr;
                    a.beta1 = c.beta1;
                    a.beta2 = c.beta2;
                }
                AnyOptimizer::Sgd(s) => s.lr = lr,
            }
        }
        let b = c.batch;
        if b != self.config.batch {
            self.z = Array2::zeros((b, 1));
            self.x_d = Array2::zeros((2 * b, 1));
            self.x_hat = Array2::zeros((b, 1));
            self.eps = Array2::zeros((b, 1));
            self.ones = Array2::ones((b, 1));
            self.grad_a = Array2::zeros((2 * b, 1));
            self.grad_zero = Array2::zeros((b, 1));
            self.grad_t = Array2::zeros((b, 1));
        }
        self.config = c;
        Ok(())
    }

    /// The whole training state (networks, optimiser moments, random state, curves) as bytes,
    /// to hand the run to a Web Worker and back without losing a step.
    pub fn to_bytes(&self) -> Vec<u8> {
        let saved = SavedRef {
            config: &self.config,
            seed: self.seed,
            g: &self.g,
            d: &self.d,
            opt_g: &self.opt_g,
            opt_d: &self.opt_d,
            rng: &self.rng,
            eval_z: &self.eval_z,
            step: self.step,
            diverged: match &self.diverged {
                Some(ModelError::Diverged {
                    model: Model::Gan,
                    step,
                    what,
                }) => Some((*step, what.clone())),
                Some(other) => Some((self.step, other.to_string())),
                None => None,
            },
            hist: &self.hist,
        };
        postcard::to_allocvec(&saved).unwrap_or_default()
    }

    /// Inverse of [`Gan1d::to_bytes`]. Bytes that are not a valid run are refused (the config
    /// is validated and the network shapes checked against it), never trusted.
    pub fn from_bytes(bytes: &[u8]) -> Result<Gan1d, ModelError> {
        let bad = ModelError::BadState;
        let s: Saved = postcard::from_bytes(bytes).map_err(|e| bad(e.to_string()))?;
        s.config.validate()?;
        let shapes_ok = |m: &Mlp, width: usize, depth: usize| {
            let sizes = mlp_sizes(width, depth);
            m.layers.len() + 1 == sizes.len()
                && m.layers
                    .iter()
                    .zip(sizes.windows(2))
                    .all(|(l, w)| l.w.dim() == (w[0], w[1]) && l.b.len() == w[1])
        };
        if !shapes_ok(&s.g, s.config.g_width, s.config.g_depth)
            || !shapes_ok(&s.d, s.config.d_width, s.config.d_depth)
            || s.eval_z.dim() != (EVAL_SAMPLES, 1)
        {
            return Err(bad("the networks do not match the settings".into()));
        }
        Ok(Gan1d::assemble(s))
    }

    /// A fresh run of a preset with its measured seed.
    pub fn from_preset(p: Preset) -> Self {
        // Preset configs are valid by construction (checked by a test); clamp anyway so this
        // can never fail.
        match Gan1d::new(p.config().clamped(), p.seed()) {
            Ok(g) => g,
            Err(_) => unreachable!("preset configs are clamped into range"),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Training steps done.
    pub fn step_count(&self) -> u64 {
        self.step
    }

    /// `Some(err)` once training has diverged.
    pub fn diverged(&self) -> Option<&ModelError> {
        self.diverged.as_ref()
    }

    /// The training curves.
    pub fn histories(&self) -> &Histories {
        &self.hist
    }

    /// The generator network G_theta.
    pub fn generator(&self) -> &Mlp {
        &self.g
    }

    /// The discriminator network D_phi.
    pub fn discriminator(&self) -> &Mlp {
        &self.d
    }
}
