//! Training the two attacked classifiers a few steps at a time, so a page can show progress
//! instead of freezing for the second or two it takes. Each classifier follows exactly
//! [`Classifier::train`] (same seed, batches, Adam and step count): the MLP ends bit-identical
//! to [`Classifier::standard`] (a test checks), so the site's one digit classifier is shared,
//! not forked.

use super::Models;
use crate::digit_classifier::{diverged, Classifier, BATCH, HIDDEN, SEED, STEPS};
use crate::digits::{Digits, Split, PIXELS};
use crate::error::ModelError;
use gentutor_nn::mlp::{Adam, Cache, Grads, Optimizer};
use gentutor_rng::Rng;
use ndarray::Array2;

/// One classifier in training: [`Classifier::train`]'s loop state.
#[derive(Debug, Clone)]
struct Run {
    c: Classifier,
    rng: Rng,
    opt: Adam,
    cache: Cache,
    grads: Grads,
}

impl Run {
    fn new(hidden: &[usize]) -> Run {
        let mut rng = Rng::new(SEED);
        let c = Classifier::new(hidden, &mut rng);
        let grads = Grads::zeros_like(&c.mlp);
        Run {
            c,
            rng,
            opt: Adam::new(2e-3, 0.9, 0.999, 1e-8),
            cache: Cache::default(),
            grads,
        }
    }

    fn step(
        &mut self,
        data: &Digits,
        split: &Split,
        x: &mut Array2<f32>,
        step: usize,
    ) -> Result<(), ModelError> {
        let idx: Vec<usize> = (0..BATCH)
            .map(|_| split.train[self.rng.below(split.train.len())])
            .collect();
        data.fill_unit(&idx, x);
        let labels: Vec<usize> = idx.iter().map(|&i| usize::from(data.label(i))).collect();
        let loss = self
            .c
            .loss_and_grads(x.view(), &labels, &mut self.cache, &mut self.grads)?;
        if !loss.is_finite() {
            return Err(diverged(step));
        }
        self.opt.apply(&mut self.c.mlp, &self.grads);
        Ok(())
    }
}

/// Both classifiers of [`Models`] in training.
#[derive(Debug, Clone)]
pub struct ModelsTrainer {
    data: Digits,
    split: Split,
    mlp: Run,
    /// The MLP came ready (the shipped checkpoint): only the linear model trains.
    mlp_ready: bool,
    linear: Run,
    x: Array2<f32>,
    step: usize,
}

impl ModelsTrainer {
    pub fn new(data: Digits) -> Result<ModelsTrainer, ModelError> {
        let split = data.standard_split();
        if split.train.is_empty() {
            return Err(ModelError::NoData("digits training"));
        }
        Ok(ModelsTrainer {
            data,
            split,
            mlp: Run::new(&HIDDEN),
            mlp_ready: false,
            linear: Run::new(&[]),
            x: Array2::zeros((0, PIXELS)),
            step: 0,
        })
    }

    /// Like [`ModelsTrainer::new`], with the MLP already trained (the site's checkpoint of
    /// [`Classifier::standard`]): only the linear model trains.
    pub fn with_mlp(data: Digits, mlp: Classifier) -> Result<ModelsTrainer, ModelError> {
        let mut t = ModelsTrainer::new(data)?;
        t.mlp.c = mlp;
        t.mlp_ready = true;
        Ok(t)
    }

    /// Steps done, of [`STEPS`].
    pub fn step_count(&self) -> usize {
        self.step
    }

    pub fn done(&self) -> bool {
        self.step >= STEPS
    }

    /// Up to `n` more steps of both classifiers (never past [`STEPS`]).
    pub fn step(&mut self, n: usize) -> Result<(), ModelError> {
        for _ in 0..n.min(STEPS - self.step.min(STEPS)) {
            if !self.mlp_ready {
                self.mlp
                    .step(&self.data, &self.split, &mut self.x, self.step)?;
            }
            self.linear
                .step(&self.data, &self.split, &mut self.x, self.step)?;
            self.step += 1;
        }
        Ok(())
    }

    /// The classifiers as they are now (trained once [`ModelsTrainer::done`]).
    pub fn models(&self) -> Models {
        Models {
            mlp: self.mlp.c.clone(),
            linear: self.linear.c.clone(),
            data: self.data.clone(),
            test: self.split.test.clone(),
        }
    }
}
