use super::net::{self, mask, FlowNet, Workspace, HALF};
use super::*;
use crate::digits::Digits;
use crate::link::Settings as _;
use gentutor_rng::Rng;
use ndarray::Array2;

/// A flow whose couplings are far from the identity (random last layers), so every test sees
/// non-trivial scales and shifts.
fn random_net(layers: usize, hidden: usize, seed: u64) -> FlowNet {
    let mut rng = Rng::new(seed);
    let mut net = FlowNet::new(layers, hidden, &mut rng);
    for m in &mut net.couplings {
        if let Some(last) = m.layers.last_mut() {
            rng.fill_normal(last.w.iter_mut());
            last.w *= 0.3;
            rng.fill_normal(last.b.iter_mut());
            last.b *= 0.3;
        }
    }
    rng.fill_normal(net.logs.iter_mut());
    net.logs.iter_mut().for_each(|l| *l *= 0.3);
    rng.fill_normal(net.bias.iter_mut());
    net
}

fn digits_y(n: usize, seed: u64) -> Array2<f32> {
    let data = Digits::shipped().expect("shipped digits");
    let idx: Vec<usize> = (0..n).map(|i| i * 7).collect();
    net::preprocess(&data, &idx, &mut Rng::new(seed)).y
}

#[test]
fn masks_split_the_64_pixels_in_halves() {
    for k in 0..6 {
        let (keep, change) = mask(k);
        let mut all: Vec<usize> = keep.iter().chain(&change).copied().collect();
        all.sort_unstable();
        assert_eq!(all, (0..64).collect::<Vec<_>>(), "mask {k}");
        assert_eq!(keep.len(), HALF);
    }
    assert_ne!(mask(0).0, mask(2).0);
}

#[test]
fn inverse_undoes_forward() {
    let net = random_net(6, 16, 3);
    let y = digits_y(20, 1);
    let (z, _) = net.forward(y.view());
    assert!(
        z.iter().zip(y.iter()).any(|(a, b)| (a - b).abs() > 0.1),
        "not the identity"
    );
    let back = net.inverse(z.view());
    let err = back
        .iter()
        .zip(y.iter())
        .map(|(a, b)| (a - b).abs())
        .fold(0.0f32, f32::max);
    assert!(err < 1e-4, "max |f^-1(f(y)) - y| = {err}");
}

/// LU determinant of a square matrix (row-major n x n) in f64: ln|det|.
fn ln_abs_det(mut a: Vec<f64>, n: usize) -> f64 {
    let mut ld = 0.0;
    for c in 0..n {
        let p = (c..n)
            .max_by(|&i, &j| a[i * n + c].abs().total_cmp(&a[j * n + c].abs()))
            .unwrap_or(c);
        if p != c {
            for k in 0..n {
                a.swap(c * n + k, p * n + k);
            }
        }
        let d = a[c * n + c];
        ld += d.abs().ln();
        for r in c + 1..n {
            let f = a[r * n + c] / d;
            for k in c..n {
                a[r * n + k] -= f * a[c * n + k];
            }
        }
    }
    ld
}

#[test]
fn log_det_matches_a_finite_difference_jacobian_on_64_dims() {
    let net = random_net(4, 16, 5);
    let y = digits_y(3, 2);
    let (_, ld) = net.forward(y.view());
    let h = 1e-2f32;
    for (i, row) in y.rows().into_iter().enumerate() {
        // J[r][c] = dz_r / dy_c by central differences, one column per input coordinate.
        let mut jac = vec![0.0f64; 64 * 64];
        for c in 0..64 {
            let mut up = row.to_owned().insert_axis(ndarray::Axis(0));
            let mut down = up.clone();
            up[[0, c]] += h;
            down[[0, c]] -= h;
            let (zu, _) = net.forward(up.view());
            let (zd, _) = net.forward(down.view());
            for r in 0..64 {
                jac[r * 64 + c] =
                    (f64::from(zu[[0, r]]) - f64::from(zd[[0, r]])) / f64::from(2.0 * h);
            }
        }
        let numeric = ln_abs_det(jac, 64);
        assert!(
            (numeric - ld[i]).abs() < 2e-2 * ld[i].abs().max(1.0),
            "row {i}: ln|det J| analytic {} vs numeric {numeric}",
            ld[i]
        );
    }
}

#[test]
fn preprocessing_jacobian_and_bits_formula() {
    // ln|dy/du| of the logit step against a central difference in u, pixel by pixel.
    let data = Digits::new([0, 3, 8, 16].repeat(16), vec![1]).expect("one image");
    let pre = net::preprocess(&data, &[0], &mut Rng::new(9));
    let y_of_u = |u: f64| {
        let s = f64::from(ALPHA) + f64::from(1.0 - 2.0 * ALPHA) * u;
        s.ln() - (1.0 - s).ln()
    };
    let mut sum = 0.0;
    for &yj in pre.y.iter() {
        let s = 1.0 / (1.0 + (-f64::from(yj)).exp());
        let u = (s - f64::from(ALPHA)) / f64::from(1.0 - 2.0 * ALPHA);
        sum += ((y_of_u(u + 1e-6) - y_of_u(u - 1e-6)) / 2e-6).ln();
    }
    assert!(
        (sum - pre.log_jac[0]).abs() < 1e-3,
        "{sum} vs {}",
        pre.log_jac[0]
    );
    // A density uniform on the unit cube (ln p_U = 0) spreads over the 17 levels evenly.
    let uniform = net::bits_per_dim(-pre.log_jac[0], pre.log_jac[0]);
    assert!((uniform - 17f64.log2()).abs() < 1e-9, "{uniform}");
    // Every pixel comes back to its value (the noise is at most one level).
    for (&yj, &p) in pre.y.iter().zip(data.image(0)) {
        assert!((net::to_unit(yj) * 16.0 - f32::from(p)).abs() <= 0.5 + 1e-4);
    }
}

#[test]
fn parameter_gradients_match_central_differences() {
    let mut net = random_net(3, 8, 11);
    let y = digits_y(4, 3);
    // Standardised inputs keep the loss near 100 nats, so f32 rounding stays small (below).
    net.init_actnorm(digits_y(64, 4).view());
    let mut ws = Workspace::default();
    let loss = net.loss_and_grads(y.view(), &mut ws);
    assert!(loss.abs() < 300.0, "loss {loss}");
    let analytic = ws.grads_flat();
    let params = net.params_flat();
    assert_eq!(analytic.len(), params.len());
    let mut rng = Rng::new(4);
    // Every ActNorm parameter and a random subset of the couplings' weights.
    let idx: Vec<usize> = (0..128)
        .chain((0..300).map(|_| 128 + rng.below(params.len() - 128)))
        .collect();
    // The loss is computed in f32 (about 7 digits of a value near 100), so a central
    // difference carries an absolute noise near 1e-5 / (2h) = 5e-4: small derivatives are
    // compared absolutely (error / 0.3), the rest relatively.
    let h = 1e-2f32;
    let (mut large, mut worst) = (0, (0.0f64, 0usize, 0.0f32, 0.0f64));
    for &i in &idx {
        let mut f = |v: f32| {
            let p0 = params[i];
            *net.params_mut().nth(i).expect("index") = v;
            let l = net.loss_and_grads(y.view(), &mut Workspace::default());
            *net.params_mut().nth(i).expect("index") = p0;
            l
        };
        let num = (f(params[i] + h) - f(params[i] - h)) / f64::from(2.0 * h);
        let a = f64::from(analytic[i]);
        large += usize::from(a.abs() > 0.1);
        let err = (a - num).abs() / (a.abs() + num.abs()).max(0.3);
        if err > worst.0 {
            worst = (err, i, analytic[i], num);
        }
    }
    assert!(
        worst.0 < 1e-2,
        "param {}: analytic {} vs numeric {} (rel {:.2e})",
        worst.1,
        worst.2,
        worst.3,
        worst.0
    );
    assert!(
        large > 100,
        "only {large} checked derivatives are large enough to mean something"
    );
}

#[test]
fn fixed_seed_training_lowers_the_test_bits_per_dim() {
    let data = Digits::shipped().expect("shipped digits");
    let config = FlowConfig::default();
    let mut flow = DigitsFlow::new(&config, data.clone()).expect("flow");
    let start = flow.last_test_bpd();
    flow.step(STEPS).expect("trains");
    let end = flow.test_bits_per_dim();
    eprintln!("digits flow: test bits/dim {start:.3} -> {end:.3} after {STEPS} steps");
    assert!(
        end < THRESHOLD,
        "test bits/dim {end} (from {start}) not below {THRESHOLD}"
    );
    // Same seed, same run.
    let mut again = DigitsFlow::new(&config, data.clone()).expect("flow");
    again.step(STEPS).expect("trains");
    assert_eq!(again.test_bits_per_dim(), end);
    // Samples: finite pixels in [0, 1]; temperature 0 is one image repeated.
    let s = flow.samples(8, 0.7, 1);
    assert!(s.iter().all(|v| (0.0..=1.0).contains(v)));
    let mode = flow.samples(3, 0.0, 2);
    assert_eq!(mode.row(0), mode.row(2));
    // The whole state survives the bytes (the worker hand-off and checkpoints).
    let mut copy = DigitsFlow::from_bytes(&flow.to_bytes(), data.clone()).expect("bytes");
    flow.step(3).expect("trains");
    copy.step(3).expect("trains");
    assert_eq!(copy.to_bytes(), flow.to_bytes());
    assert!(DigitsFlow::from_bytes(&[1, 2, 3], data).is_err());
}

/// Measured: see the eprintln above (run with --nocapture).
const STEPS: usize = 600;
/// Measured 2.22 at 600 steps (from 2.88).
const THRESHOLD: f64 = 2.5;

#[test]
fn a_huge_learning_rate_is_a_divergence_message_not_a_panic() {
    let data = Digits::shipped().expect("shipped digits");
    let mut flow = DigitsFlow::new(&FlowConfig::default(), data).expect("flow");
    // Break the run on purpose: a NaN weight must stop training with the model's advice.
    flow.s_mut_for_test().couplings[0].layers[0].w[[0, 0]] = f32::NAN;
    let err = flow.step(5).expect_err("diverges");
    assert!(err.to_string().contains("Lower the learning rate"), "{err}");
    assert_eq!(flow.step(1), Err(err));
}

#[test]
fn golden_link() {
    let d = FlowConfig::default();
    assert_eq!(
        d.to_hash(),
        "fl=6&fh=64&flr=0.001&fbs=64&ftemp=0.7&fspeed=5&fseed=1"
    );
    assert_eq!(FlowConfig::from_hash(&d.to_hash()), Ok(d.clone()));
    let c = FlowConfig::from_hash("fl=99&flr=1e9&ftemp=0.5&other=1").expect("reads");
    assert_eq!(
        (c.layers, c.lr, c.temperature),
        (12, *config::LR.end(), 0.5)
    );
    assert!(FlowConfig::from_hash("flr=nan").is_err());
    assert!(FlowConfig::from_hash("k=1").is_err());
    assert_eq!(c.validate(), Ok(()));
}

#[test]
fn the_shipped_checkpoint_loads_and_states_its_test_bits_truthfully() {
    use crate::checkpoint::Checkpoint;
    let bytes = include_bytes!("../../../../assets/checkpoints/digits-flow.gtck");
    let (c, w) = Checkpoint::load::<checkpoint::FlowWeights>(bytes).expect("loads");
    assert_eq!(
        w.config,
        FlowConfig::default(),
        "the demo's defaults start from it"
    );
    let stated = c.metric("test_bits_per_dim").expect("stated");
    let flow =
        DigitsFlow::from_weights(w, c.steps, Digits::shipped().expect("digits")).expect("fits");
    assert_eq!(flow.step_count(), c.steps);
    assert!((flow.test_bits_per_dim() - stated).abs() < 1e-9, "{stated}");
    assert!(
        stated < 2.3,
        "the shipped flow is trained: {stated} bits/dim"
    );
}
