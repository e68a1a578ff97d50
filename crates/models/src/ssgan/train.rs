//! The training state machine: [`Ssgan::new`], [`Ssgan::step`], read-only views.

use super::losses::{feature_matching, log_z, realness_loss};
use super::{AccuracyPoint, Regions, SsganConfig, BOX, EVAL_EVERY, TEST_POINTS};
use crate::error::{matrix, Model, ModelError};
use gentutor_nn::loss::softmax_cross_entropy;
use gentutor_nn::mlp::{Activation, Adam, Cache, Grads, Mlp, Optimizer};
use gentutor_rng::Rng;
use ndarray::{Array2, ArrayView2};

pub(super) const LEAK: Activation = Activation::LeakyRelu(0.2);

/// A classifier x (B, 2) -> features (B, H) -> K logits, with its optimizer.
#[derive(Debug, Clone)]
pub struct Classifier2d {
    pub body: Mlp,
    pub head: Mlp,
    pub(super) body_opt: Adam,
    pub(super) head_opt: Adam,
}

/// One pass of a loss through the classifier: value, and parameter gradients added into
/// (gb, gh); returns dL/dx (B, 2) too.
fn backprop(
    c: &Classifier2d,
    x: ArrayView2<'_, f32>,
    loss: impl FnOnce(ArrayView2<'_, f32>) -> Result<(f64, Array2<f32>), ModelError>,
    gb: &mut Grads,
    gh: &mut Grads,
) -> Result<(f64, Array2<f32>), ModelError> {
    let (mut cb, mut ch) = (Cache::default(), Cache::default());
    c.body.forward_into(x, &mut cb);
    c.head.forward_into(cb.output(), &mut ch);
    let (v, g) = loss(ch.output())?;
    let (mut db, mut dh) = (Grads::zeros_like(&c.body), Grads::zeros_like(&c.head));
    c.head.backward_into(&mut ch, g.view(), Some(&mut dh));
    let gf = ch.input_grad().to_owned();
    c.body.backward_into(&mut cb, gf.view(), Some(&mut db));
    gb.add_assign(&db);
    gh.add_assign(&dh);
    Ok((v, cb.input_grad().to_owned()))
}

/// Softmax cross-entropy of logits (B, K) against labels, as (value, dL/dlogits).
pub(super) fn ce(
    logits: ArrayView2<'_, f32>,
    labels: &[usize],
) -> Result<(f64, Array2<f32>), ModelError> {
    let flat: Vec<f32> = logits.iter().copied().collect();
    let lg = softmax_cross_entropy(&flat, logits.ncols(), labels)?;
    let g = matrix("loss gradient", lg.grad, logits.dim())?;
    Ok((lg.value, g))
}

impl Classifier2d {
    pub fn new(hidden: usize, k: usize, lr: f32, rng: &mut Rng) -> Classifier2d {
        Classifier2d {
            body: Mlp::new(&[2, hidden, hidden], LEAK, LEAK, rng),
            head: Mlp::new(
                &[hidden, k],
                Activation::Identity,
                Activation::Identity,
                rng,
            ),
            body_opt: Adam::new(lr, 0.5, 0.999, 1e-8),
            head_opt: Adam::new(lr, 0.5, 0.999, 1e-8),
        }
    }

    /// Logits (B, K).
    pub fn logits(&self, x: ArrayView2<'_, f32>) -> Array2<f32> {
        let (f, _) = self.body.forward(x);
        self.head.forward(f.view()).0
    }

    /// Features (B, H).
    pub fn features(&self, x: ArrayView2<'_, f32>) -> Array2<f32> {
        self.body.forward(x).0
    }

    /// The critic's loss on (labelled, unlabelled, generated) points, with `unsup` weighting
    /// the two realness terms (0 = labels only), and its gradients (body, head).
    pub fn critic_loss(
        &self,
        (xl, yl): (ArrayView2<'_, f32>, &[usize]),
        xu: ArrayView2<'_, f32>,
        xg: ArrayView2<'_, f32>,
        unsup: f32,
    ) -> Result<(f64, Grads, Grads), ModelError> {
        let mut gb = Grads::zeros_like(&self.body);
        let mut gh = Grads::zeros_like(&self.head);
        let (mut v, _) = backprop(self, xl, |l| ce(l, yl), &mut gb, &mut gh)?;
        if unsup > 0.0 {
            for (x, real) in [(xu, true), (xg, false)] {
                let (vu, _) = backprop(
                    self,
                    x,
                    |l| {
                        let (v, g) = realness_loss(l, real);
                        Ok((v, g * unsup))
                    },
                    &mut gb,
                    &mut gh,
                )?;
                v += f64::from(unsup) * vu;
            }
        }
        Ok((v, gb, gh))
    }

    /// A new learning rate for both optimizers (the run continues).
    pub fn set_lr(&mut self, lr: f32) {
        self.body_opt.lr = lr;
        self.head_opt.lr = lr;
    }

    fn apply(&mut self, gb: &Grads, gh: &Grads) {
        self.body_opt.apply(&mut self.body, gb);
        self.head_opt.apply(&mut self.head, gh);
    }

    /// Fraction of `x` (B, 2) classified as `y`.
    pub fn accuracy(&self, x: ArrayView2<'_, f32>, y: &[usize]) -> f64 {
        let z = self.logits(x);
        let right = z
            .rows()
            .into_iter()
            .zip(y)
            .filter(|(r, &c)| {
                let best = r
                    .iter()
                    .enumerate()
                    .fold(
                        (0, f32::NEG_INFINITY),
                        |b, (k, &v)| if v > b.1 { (k, v) } else { b },
                    );
                best.0 == c
            })
            .count();
        right as f64 / y.len().max(1) as f64
    }

    /// Decision regions on an n x n grid (see [`Regions`]).
    pub fn regions(&self, n: usize) -> Regions {
        let n = n.max(2);
        let step = 2.0 * BOX / n as f32;
        let grid = Array2::from_shape_fn((n * n, 2), |(i, j)| {
            let (r, c) = (i / n, i % n);
            if j == 0 {
                -BOX + (c as f32 + 0.5) * step
            } else {
                BOX - (r as f32 + 0.5) * step
            }
        });
        let z = self.logits(grid.view());
        let s = log_z(z.view());
        let mut class = Vec::with_capacity(n * n);
        let mut confidence = Vec::with_capacity(n * n);
        for (row, &lz) in z.rows().into_iter().zip(&s) {
            let (k, m) = row
                .iter()
                .enumerate()
                .fold(
                    (0, f32::NEG_INFINITY),
                    |b, (k, &v)| if v > b.1 { (k, v) } else { b },
                );
            class.push(k as u8);
            confidence.push((f64::from(m) - lz).exp() as f32);
        }
        let realness = s
            .iter()
            .map(|&v| (1.0 / (1.0 + (-v).exp())) as f32)
            .collect();
        Regions {
            n,
            class,
            confidence,
            realness,
        }
    }
}

/// The semi-supervised GAN and its labels-only twin, trained side by side.
#[derive(Debug, Clone)]
pub struct Ssgan {
    pub config: SsganConfig,
    /// Labelled points (K * labels, 2) and their classes.
    pub labelled: Array2<f32>,
    pub labels: Vec<usize>,
    /// Unlabelled points (n, 2) (their classes are never used for training).
    pub unlabelled: Array2<f32>,
    pub(super) test: Array2<f32>,
    pub(super) test_labels: Vec<usize>,
    pub critic: Classifier2d,
    pub labels_only: Classifier2d,
    pub generator: Mlp,
    pub(super) gen_opt: Adam,
    pub(super) rng: Rng,
    /// Noise kept fixed for the plot of generated points.
    pub(super) shown_noise: Array2<f32>,
    pub(super) step: u64,
    pub accuracy: Vec<AccuracyPoint>,
    /// The last step's critic and generator (feature-matching) losses.
    pub last_losses: [f32; 2],
}

fn points(p: &[[f32; 2]]) -> Array2<f32> {
    Array2::from_shape_fn((p.len(), 2), |(i, j)| p[i][j])
}

impl Ssgan {
    /// A fresh run: data, networks and noise all from `config.seed`.
    pub fn new(config: SsganConfig) -> Ssgan {
        let c = config.clamped();
        let k = c.dataset.classes();
        let root = Rng::new(c.seed);
        let (mut data_rng, mut test_rng, mut init) = (root.fork(1), root.fork(2), root.fork(3));
        // The labelled points are the first `labels` of each class of the training draw; the
        // whole draw (labelled ones included, as in Salimans et al.'s code) is the unlabelled set.
        let n = c.unlabelled.max(k * c.labels);
        let (pts, cls) = c.dataset.sample(n, &mut data_rng);
        let nl = k * c.labels;
        let (tp, tl) = c.dataset.sample(TEST_POINTS, &mut test_rng);
        let critic = Classifier2d::new(c.hidden, k, c.lr_d, &mut init);
        // The same initial weights: the two classifiers differ only in what they train on.
        let labels_only = critic.clone();
        let generator = Mlp::new(
            &[2, c.hidden, c.hidden, 2],
            LEAK,
            Activation::Identity,
            &mut init,
        );
        let mut shown_noise = Array2::zeros((200, 2));
        init.fill_normal(shown_noise.iter_mut());
        let mut s = Ssgan {
            labelled: points(&pts[..nl]),
            labels: cls[..nl].to_vec(),
            unlabelled: points(&pts),
            test: points(&tp),
            test_labels: tl,
            critic,
            labels_only,
            generator,
            gen_opt: Adam::new(c.lr_g, 0.5, 0.999, 1e-8),
            rng: root.fork(4),
            shown_noise,
            step: 0,
            accuracy: Vec::new(),
            last_losses: [f32::NAN; 2],
            config: c,
        };
        s.evaluate();
        s
    }

    pub fn step_count(&self) -> u64 {
        self.step
    }

    /// New learning rates for the run in progress (critic and labels-only share `lr_d`).
    pub fn set_learning_rates(&mut self, lr_d: f32, lr_g: f32) {
        self.config.lr_d = lr_d;
        self.config.lr_g = lr_g;
        self.critic.set_lr(lr_d);
        self.labels_only.set_lr(lr_d);
        self.gen_opt.lr = lr_g;
    }

    fn evaluate(&mut self) {
        self.accuracy.push(AccuracyPoint {
            step: self.step,
            ssgan: self.critic.accuracy(self.test.view(), &self.test_labels),
            labels_only: self
                .labels_only
                .accuracy(self.test.view(), &self.test_labels),
        });
    }

    /// The latest held-out accuracies.
    pub fn latest(&self) -> AccuracyPoint {
        self.accuracy.last().copied().unwrap_or(AccuracyPoint {
            step: 0,
            ssgan: f64::NAN,
            labels_only: f64::NAN,
        })
    }

    /// The held-out accuracies now (measured afresh, not the last evaluation).
    pub fn final_accuracy(&self) -> AccuracyPoint {
        AccuracyPoint {
            step: self.step,
            ssgan: self.critic.accuracy(self.test.view(), &self.test_labels),
            labels_only: self
                .labels_only
                .accuracy(self.test.view(), &self.test_labels),
        }
    }

    fn batch(&mut self) -> (Array2<f32>, Array2<f32>) {
        let b = self.config.batch;
        let n = self.unlabelled.nrows();
        let mut xu = Array2::zeros((b, 2));
        for mut row in xu.rows_mut() {
            row.assign(&self.unlabelled.row(self.rng.below(n)));
        }
        let mut z = Array2::zeros((b, 2));
        self.rng.fill_normal(z.iter_mut());
        (xu, z)
    }

    /// Generated points for noise z (B, 2).
    pub fn generate(&self, z: ArrayView2<'_, f32>) -> Array2<f32> {
        self.generator.forward(z).0
    }

    /// The generator's points for the fixed plot noise (200, 2).
    pub fn generated(&self) -> Array2<f32> {
        self.generate(self.shown_noise.view())
    }

    /// Feature-matching loss of the generator at noise z and its parameter gradients.
    ///
    /// ```text
    /// x_g = G(z) (B, 2);  f_g = body(x_g) (B, H);  L = ||mean f(x_u) - mean f_g||^2
    /// dL/df_g from losses::feature_matching -> body backward (input only) -> dL/dx_g (B, 2)
    /// -> G backward -> dL/dtheta_G
    /// ```
    pub fn generator_loss(&self, xu: ArrayView2<'_, f32>, z: ArrayView2<'_, f32>) -> (f64, Grads) {
        let mut cg = Cache::default();
        self.generator.forward_into(z, &mut cg);
        let xg = cg.output().to_owned();
        let mut cb = Cache::default();
        self.critic.body.forward_into(xg.view(), &mut cb);
        let fr = self.critic.features(xu);
        let (v, gf) = feature_matching(fr.view(), cb.output());
        self.critic.body.backward_into(&mut cb, gf.view(), None);
        let gx = cb.input_grad().to_owned();
        let mut gg = Grads::zeros_like(&self.generator);
        self.generator
            .backward_into(&mut cg, gx.view(), Some(&mut gg));
        (v, gg)
    }

    /// Trains `n` steps: one critic step, one generator step, one labels-only step each.
    pub fn step(&mut self, n: usize) -> Result<(), ModelError> {
        for _ in 0..n {
            let (xu, z) = self.batch();
            let xg = self.generate(z.view());
            let (ld, gb, gh) = self.critic.critic_loss(
                (self.labelled.view(), &self.labels),
                xu.view(),
                xg.view(),
                1.0,
            )?;
            self.critic.apply(&gb, &gh);
            let mut z2 = Array2::zeros(z.raw_dim());
            self.rng.fill_normal(z2.iter_mut());
            let (lg, gg) = self.generator_loss(xu.view(), z2.view());
            self.gen_opt.apply(&mut self.generator, &gg);
            let empty = Array2::zeros((0, 2));
            let (_, bb, bh) = self.labels_only.critic_loss(
                (self.labelled.view(), &self.labels),
                empty.view(),
                empty.view(),
                0.0,
            )?;
            self.labels_only.apply(&bb, &bh);
            self.step += 1;
            let finite = ld.is_finite()
                && lg.is_finite()
                && self.critic.body.is_finite()
                && self.critic.head.is_finite()
                && self.generator.is_finite();
            if !finite || self.generator.max_abs_weight() > 1e4 {
                return Err(ModelError::Diverged {
                    model: Model::Ssgan,
                    step: self.step,
                    what: format!("critic loss {ld:.3}, generator loss {lg:.3}"),
                });
            }
            self.last_losses = [ld as f32, lg as f32];
            if self.step.is_multiple_of(EVAL_EVERY) {
                self.evaluate();
            }
        }
        Ok(())
    }
}
