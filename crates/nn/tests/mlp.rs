//! The MLP's forward and backward passes against central differences, buffer reuse, the
//! optimisers and the activations.

use gentutor_nn::mlp::*;
use gentutor_rng::Rng;
use ndarray::Array2;

const ACTS: [Activation; 4] = [
    Activation::Identity,
    Activation::Tanh,
    Activation::Relu,
    Activation::LeakyRelu(0.2),
];

/// A fixed random linear functional of the output makes a scalar loss with generic dL/dy.
fn loss_weights(b: usize, n: usize, seed: u64) -> Array2<f32> {
    let mut r = Rng::new(seed);
    let mut c = Array2::zeros((b, n));
    r.fill_normal(c.view_mut());
    c
}

fn loss_of(mlp: &Mlp, x: &Array2<f32>, c: &Array2<f32>) -> f64 {
    let (y, _) = mlp.forward(x.view());
    y.iter()
        .zip(c.iter())
        .map(|(&a, &b)| a as f64 * b as f64)
        .sum()
}

/// The shared helper ([`gentutor_nn::gradcheck::relative_error`]); the floor keeps tiny
/// gradients from dominating through f32 round-off.
use gentutor_nn::gradcheck::relative_error as rel_err;

/// Inputs well away from the ReLU kinks in the first layer are not guaranteed deeper in the
/// net, so checks skip entries whose central difference straddles a kink (detected by
/// asymmetric one-sided differences).
fn check_mlp(act: Activation, out_act: Activation, seed: u64) {
    let mut rng = Rng::new(seed);
    let mlp = Mlp::new(&[3, 5, 4, 2], act, out_act, &mut rng);
    let mut x = Array2::zeros((6, 3));
    rng.fill_normal(x.view_mut());
    let c = loss_weights(6, 2, seed + 1);
    let (_y, cache) = mlp.forward(x.view());
    let (grads, gx) = mlp.backward(&cache, c.view());
    let analytic = grads.flat();
    let h = 1e-2f32;
    let mut checked = 0;
    // Tolerance: 2e-2 relative (f32 forward, h = 1e-2, floor 1e-3 for near-zero entries).
    let tol = 2e-2;
    for (i, &ana) in analytic.iter().enumerate() {
        let eval = |delta: f32| {
            let mut m = mlp.clone();
            if let Some(p) = m.params_mut().nth(i) {
                *p += delta;
            }
            loss_of(&m, &x, &c)
        };
        let (lp, l0, lm) = (eval(h), eval(0.0), eval(-h));
        let (fwd, bwd) = ((lp - l0) / h as f64, (l0 - lm) / h as f64);
        if rel_err(fwd, bwd, 1e-2) > 0.1 {
            continue; // a kink lies inside [-h, h]
        }
        let num = (lp - lm) / (2.0 * h as f64);
        assert!(
            rel_err(num, ana as f64, 1e-3) < tol,
            "{act:?} param {i}: numeric {num} analytic {}",
            ana
        );
        checked += 1;
    }
    assert!(
        checked > mlp.param_count() / 2,
        "too few params checked: {checked}"
    );
    for i in 0..x.len() {
        let eval = |delta: f32| {
            let mut xx = x.clone();
            if let Some(p) = xx.iter_mut().nth(i) {
                *p += delta;
            }
            loss_of(&mlp, &xx, &c)
        };
        let (lp, l0, lm) = (eval(h), eval(0.0), eval(-h));
        let (fwd, bwd) = ((lp - l0) / h as f64, (l0 - lm) / h as f64);
        if rel_err(fwd, bwd, 1e-2) > 0.1 {
            continue;
        }
        let num = (lp - lm) / (2.0 * h as f64);
        let ana = gx.iter().nth(i).copied().unwrap_or(f32::NAN) as f64;
        assert!(
            rel_err(num, ana, 1e-3) < tol,
            "{act:?} input {i}: {num} vs {ana}"
        );
    }
}

#[test]
fn gradient_check_every_activation() {
    for (k, act) in ACTS.iter().enumerate() {
        check_mlp(*act, Activation::Identity, 100 + k as u64);
        // Also every activation in the output position.
        check_mlp(Activation::Tanh, *act, 200 + k as u64);
    }
}

#[test]
fn backward_into_reuses_buffers_and_matches_backward() {
    let mut rng = Rng::new(3);
    let mlp = Mlp::new(&[2, 8, 1], Activation::Tanh, Activation::Identity, &mut rng);
    let mut x = Array2::zeros((5, 2));
    rng.fill_normal(x.view_mut());
    let g = loss_weights(5, 1, 4);
    let (_, c) = mlp.forward(x.view());
    let (grads, gx) = mlp.backward(&c, g.view());
    let mut cache = Cache::default();
    let mut grads2 = Grads::zeros_like(&mlp);
    for _ in 0..2 {
        mlp.forward_into(x.view(), &mut cache);
        mlp.backward_into(&mut cache, g.view(), Some(&mut grads2));
    }
    assert_eq!(grads, grads2);
    assert_eq!(gx.view(), cache.input_grad());
    // Input-only mode gives the same input gradient.
    mlp.backward_into(&mut cache, g.view(), None);
    assert_eq!(gx.view(), cache.input_grad());
}

/// Loss L = sum(c1 * y) + sum(c2 * t_L) with t_L = dy/dx along tx; checks the exact
/// double-backprop parameter gradient against central differences of the same loss (the
/// tangent itself computed by forward mode, which is exact).
#[test]
fn gradient_check_tangent_double_backprop() {
    for (k, act) in ACTS.iter().enumerate() {
        let mut rng = Rng::new(300 + k as u64);
        let mlp = Mlp::new(&[1, 6, 5, 1], *act, Activation::Identity, &mut rng);
        let mut x = Array2::zeros((7, 1));
        rng.fill_normal(x.view_mut());
        let tx = Array2::ones((7, 1));
        let c1 = loss_weights(7, 1, 11);
        let c2 = loss_weights(7, 1, 12);
        let loss = |m: &Mlp| {
            let mut cache = Cache::default();
            m.forward_tangent(x.view(), tx.view(), &mut cache);
            let a: f64 = cache
                .output()
                .iter()
                .zip(&c1)
                .map(|(&y, &c)| (y * c) as f64)
                .sum();
            let b: f64 = cache
                .tangent_output()
                .iter()
                .zip(&c2)
                .map(|(&t, &c)| (t * c) as f64)
                .sum();
            a + b
        };
        let mut cache = Cache::default();
        mlp.forward_tangent(x.view(), tx.view(), &mut cache);
        // Sanity: the tangent equals the input gradient from ordinary backprop.
        let ones = Array2::ones((7, 1));
        let (_, gx) = mlp.backward(&cache, ones.view());
        for (a, b) in gx.iter().zip(cache.tangent_output().iter()) {
            assert!((a - b).abs() < 1e-5 * (1.0 + a.abs()), "{a} vs {b}");
        }
        let mut grads = Grads::zeros_like(&mlp);
        mlp.backward_tangent(&mut cache, c1.view(), c2.view(), &mut grads);
        let analytic = grads.flat();
        let h = 1e-2f32;
        let mut checked = 0;
        for (i, &ana) in analytic.iter().enumerate() {
            let eval = |d: f32| {
                let mut m = mlp.clone();
                if let Some(p) = m.params_mut().nth(i) {
                    *p += d;
                }
                loss(&m)
            };
            let (lp, l0, lm) = (eval(h), eval(0.0), eval(-h));
            let (fwd, bwd) = ((lp - l0) / h as f64, (l0 - lm) / h as f64);
            if rel_err(fwd, bwd, 1e-2) > 0.1 {
                continue;
            }
            let num = (lp - lm) / (2.0 * h as f64);
            // Tolerance 2e-2 relative, floor 1e-3 (f32 forward, h = 1e-2).
            assert!(
                rel_err(num, ana as f64, 1e-3) < 2e-2,
                "{act:?} param {i}: {num} vs {}",
                ana
            );
            checked += 1;
        }
        assert!(
            checked > mlp.param_count() / 2,
            "{act:?}: only {checked} checked"
        );
    }
}

#[test]
fn optimisers_reduce_a_regression_loss() {
    // Fit y = sin(2x) on [-1, 1]; both optimisers must cut the MSE by 5x.
    let mut rng = Rng::new(21);
    let x = Array2::from_shape_fn((64, 1), |(i, _)| -1.0 + 2.0 * i as f32 / 63.0);
    let y = x.mapv(|v| (2.0 * v).sin());
    let opts = [
        AnyOptimizer::Sgd(Sgd { lr: 0.1 }),
        AnyOptimizer::Adam(Adam::new(1e-2, 0.9, 0.999, 1e-8)),
    ];
    for mut opt in opts {
        let mut mlp = Mlp::new(
            &[1, 16, 1],
            Activation::Tanh,
            Activation::Identity,
            &mut rng,
        );
        let mse = |m: &Mlp| {
            let (p, _) = m.forward(x.view());
            (&p - &y).mapv(|d| d * d).mean().unwrap_or(f32::NAN)
        };
        let start = mse(&mlp);
        let mut cache = Cache::default();
        let mut grads = Grads::zeros_like(&mlp);
        for _ in 0..500 {
            mlp.forward_into(x.view(), &mut cache);
            let g = (&cache.output() - &y) * (2.0 / 64.0);
            mlp.backward_into(&mut cache, g.view(), Some(&mut grads));
            opt.apply(&mut mlp, &grads);
        }
        let end = mse(&mlp);
        assert!(end < start / 5.0, "{opt:?}: {start} -> {end}");
        assert!(mlp.is_finite());
    }
}

#[test]
fn fast_tanh_matches_libm() {
    let mut worst = 0.0f32;
    for i in -2000..=2000 {
        let z = i as f32 * 0.01;
        worst = worst.max((fast_tanh(z) - z.tanh()).abs());
    }
    assert!(worst < 5e-7, "max abs error {worst}");
    assert!((fast_tanh(100.0) - 1.0).abs() < 1e-6);
    assert!((fast_tanh(-100.0) + 1.0).abs() < 1e-6);
    assert!(fast_tanh(f32::NAN).is_nan());
}

#[test]
fn counts_and_finiteness() {
    let mut rng = Rng::new(1);
    let mut mlp = Mlp::new(
        &[1, 32, 32, 1],
        Activation::Tanh,
        Activation::Identity,
        &mut rng,
    );
    assert_eq!(mlp.param_count(), 32 + 32 + 32 * 32 + 32 + 32 + 1);
    assert_eq!(mlp.params_flat().len(), mlp.param_count());
    assert!(mlp.is_finite());
    let m = mlp.max_abs_weight();
    assert!(m > 0.0 && m.is_finite());
    mlp.layers[1].w[[3, 4]] = f32::NAN;
    assert!(!mlp.is_finite());
    assert!(mlp.max_abs_weight().is_nan());
    // Degenerate sizes are repaired rather than panicking.
    let tiny = Mlp::new(&[0], Activation::Relu, Activation::Identity, &mut rng);
    assert_eq!((tiny.in_dim(), tiny.out_dim()), (1, 1));
}
