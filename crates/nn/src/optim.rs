//! Optimisers over parameter slices: `update(params, grads)` takes any flat `&mut [f32]` with
//! its gradient (so inputs can be optimised too, not only network weights), and `apply` updates
//! an MLP's layers in one step.

use crate::mlp::{Grads, Mlp};
use serde::{Deserialize, Serialize};

/// Anything that updates parameters from their gradients.
pub trait Optimizer {
    /// One step over the parameters yielded by `params`, with the gradients in the same order.
    /// `n` is their count (the optimiser's state is sized to it).
    fn step_iter<'a>(
        &mut self,
        params: impl Iterator<Item = &'a mut f32>,
        grads: impl Iterator<Item = &'a f32>,
        n: usize,
    );

    /// theta <- update(theta, dL/dtheta) for a flat parameter slice. The lengths must match.
    fn update(&mut self, params: &mut [f32], grads: &[f32]) {
        assert_eq!(params.len(), grads.len(), "one gradient per parameter");
        let n = params.len();
        self.step_iter(params.iter_mut(), grads.iter(), n);
    }

    /// theta <- update(theta, dL/dtheta) for an MLP's weights and biases, as one step.
    fn apply(&mut self, mlp: &mut Mlp, grads: &Grads) {
        let n = mlp.param_count();
        let gs = grads
            .layers
            .iter()
            .flat_map(|l| l.w.iter().chain(l.b.iter()));
        self.step_iter(mlp.params_mut(), gs, n);
    }
}

/// Plain stochastic gradient descent: theta <- theta - lr * g.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sgd {
    /// Learning rate.
    pub lr: f32,
}

impl Optimizer for Sgd {
    fn step_iter<'a>(
        &mut self,
        params: impl Iterator<Item = &'a mut f32>,
        grads: impl Iterator<Item = &'a f32>,
        _n: usize,
    ) {
        for (p, g) in params.zip(grads) {
            *p -= self.lr * g;
        }
    }

    /// The whole-array form (same arithmetic as the element loop, vectorised by ndarray).
    fn apply(&mut self, mlp: &mut Mlp, grads: &Grads) {
        for (p, g) in mlp.layers.iter_mut().zip(&grads.layers) {
            p.w.scaled_add(-self.lr, &g.w);
            p.b.scaled_add(-self.lr, &g.b);
        }
    }
}

/// Adam (Kingma & Ba 2015) with bias correction; holds the first/second moment buffers.
///
/// ```text
/// m <- b1 m + (1-b1) g;  v <- b2 v + (1-b2) g^2
/// theta <- theta - lr * (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps)
/// ```
///
/// One `Adam` belongs to one set of parameters: its moments are per parameter.
// The field order is part of the worker bytes (postcard): do not reorder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Adam {
    /// Learning rate.
    pub lr: f32,
    /// Decay of the first moment.
    pub beta1: f32,
    /// Decay of the second moment.
    pub beta2: f32,
    /// Denominator guard.
    pub eps: f32,
    t: u64,
    b1_pow: f64,
    b2_pow: f64,
    m: Vec<f32>,
    v: Vec<f32>,
}

impl Adam {
    /// A fresh Adam optimiser (moment buffers are allocated at the first step).
    pub fn new(lr: f32, beta1: f32, beta2: f32, eps: f32) -> Self {
        Adam {
            lr,
            beta1,
            beta2,
            eps,
            t: 0,
            b1_pow: 1.0,
            b2_pow: 1.0,
            m: Vec::new(),
            v: Vec::new(),
        }
    }

    /// Number of steps taken.
    pub fn step_count(&self) -> u64 {
        self.t
    }
}

impl Optimizer for Adam {
    fn step_iter<'a>(
        &mut self,
        params: impl Iterator<Item = &'a mut f32>,
        grads: impl Iterator<Item = &'a f32>,
        n: usize,
    ) {
        if self.m.len() != n {
            self.m = vec![0.0; n];
            self.v = vec![0.0; n];
        }
        self.t += 1;
        self.b1_pow *= self.beta1 as f64;
        self.b2_pow *= self.beta2 as f64;
        let c1 = (1.0 / (1.0 - self.b1_pow)) as f32;
        let c2 = (1.0 / (1.0 - self.b2_pow)) as f32;
        let (b1, b2, lr, eps) = (self.beta1, self.beta2, self.lr, self.eps);
        for (((p, g), m), v) in params.zip(grads).zip(&mut self.m).zip(&mut self.v) {
            *m = b1 * *m + (1.0 - b1) * g;
            *v = b2 * *v + (1.0 - b2) * g * g;
            *p -= lr * (*m * c1) / ((*v * c2).sqrt() + eps);
        }
    }
}

/// Either optimiser, chosen at run time from a config.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum AnyOptimizer {
    /// SGD.
    Sgd(Sgd),
    /// Adam.
    Adam(Adam),
}

impl Optimizer for AnyOptimizer {
    fn step_iter<'a>(
        &mut self,
        params: impl Iterator<Item = &'a mut f32>,
        grads: impl Iterator<Item = &'a f32>,
        n: usize,
    ) {
        match self {
            AnyOptimizer::Sgd(o) => o.step_iter(params, grads, n),
            AnyOptimizer::Adam(o) => o.step_iter(params, grads, n),
        }
    }

    fn apply(&mut self, mlp: &mut Mlp, grads: &Grads) {
        match self {
            AnyOptimizer::Sgd(o) => o.apply(mlp, grads),
            AnyOptimizer::Adam(o) => o.apply(mlp, grads),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mlp::Activation;
    use gentutor_rng::Rng;
    use ndarray::Array2;

    #[test]
    fn optimisers_minimise_a_quadratic_over_a_slice() {
        // L(x) = sum (x_i - c_i)^2, dL/dx = 2 (x - c).
        let c = [1.5f32, -2.0, 0.25];
        let grad =
            |x: &[f32]| -> Vec<f32> { x.iter().zip(&c).map(|(x, c)| 2.0 * (x - c)).collect() };
        let mut opts = [
            AnyOptimizer::Sgd(Sgd { lr: 0.1 }),
            AnyOptimizer::Adam(Adam::new(0.05, 0.9, 0.999, 1e-8)),
        ];
        for opt in &mut opts {
            let mut x = [0.0f32; 3];
            for _ in 0..500 {
                let g = grad(&x);
                opt.update(&mut x, &g);
            }
            for (x, c) in x.iter().zip(&c) {
                assert!((x - c).abs() < 1e-2, "{opt:?}: {x} vs {c}");
            }
        }
    }

    #[test]
    fn an_input_is_optimised_through_a_fixed_network() {
        // Find x with f(x) = 0.5 for a fixed random MLP f: R^2 -> R, moving only x, by the
        // input gradient dL/dx of L = (f(x) - 0.5)^2.
        let mlp = Mlp::new(
            &[2, 8, 1],
            Activation::Tanh,
            Activation::Tanh,
            &mut Rng::new(3),
        );
        let mut x = Array2::<f32>::zeros((1, 2));
        let mut adam = Adam::new(0.05, 0.9, 0.999, 1e-8);
        let loss = |x: &Array2<f32>| (mlp.forward(x.view()).0[[0, 0]] - 0.5).powi(2);
        let before = loss(&x);
        for _ in 0..300 {
            let (y, cache) = mlp.forward(x.view());
            let gy = y.mapv(|y| 2.0 * (y - 0.5));
            let (_, gx) = mlp.backward(&cache, gy.view());
            let (Some(xs), Some(gs)) = (x.as_slice_mut(), gx.as_slice()) else {
                panic!("row-major arrays");
            };
            adam.update(xs, gs);
        }
        assert_eq!(adam.step_count(), 300);
        assert!(
            loss(&x) < 1e-4 && loss(&x) < before,
            "{before} -> {}",
            loss(&x)
        );
    }

    #[test]
    fn apply_is_update_over_the_flat_parameters() {
        let mut a = Mlp::new(
            &[2, 3, 1],
            Activation::Relu,
            Activation::Identity,
            &mut Rng::new(1),
        );
        let mut flat = a.params_flat();
        let mut grads = Grads::zeros_like(&a);
        for (i, g) in grads
            .layers
            .iter_mut()
            .flat_map(|l| l.w.iter_mut().chain(l.b.iter_mut()))
            .enumerate()
        {
            *g = (i as f32 * 0.37).sin();
        }
        let (mut o1, mut o2) = (
            Adam::new(0.01, 0.9, 0.999, 1e-8),
            Adam::new(0.01, 0.9, 0.999, 1e-8),
        );
        for _ in 0..3 {
            o1.apply(&mut a, &grads);
            o2.update(&mut flat, &grads.flat());
        }
        assert_eq!(a.params_flat(), flat);
        assert_eq!(o1, o2);
    }
}
