//! The GAN's tests: gradients against central differences, loss terms, the KDE and the
//! worker round trip; measured captions and training in `training`, limits in `robustness`.

use super::*;

/// Relative error with a floor for near-zero entries.
fn rel_err(a: f64, b: f64, floor: f64) -> f64 {
    (a - b).abs() / (a.abs() + b.abs()).max(floor)
}

/// A small GAN whose batches are fixed so losses are deterministic functions of the weights.
fn small(loss: LossKind, d_act: ActKind, g_act: ActKind) -> Gan1d {
    let cfg = Config {
        modes: 3,
        g_width: 5,
        d_width: 6,
        g_act,
        d_act,
        loss,
        batch: 8,
        ..Config::default()
    };
    let mut gan = Gan1d::new(cfg, 17).expect("valid");
    // Zero-initialised biases put every near-zero fake sample exactly on a ReLU kink of
    // D's first layer, where central differences are meaningless: randomise them.
    let mut r = Rng::new(99);
    for net in [&mut gan.g, &mut gan.d] {
        for l in &mut net.layers {
            r.fill_normal(l.b.view_mut());
        }
    }
    let b = gan.config.batch;
    if let Some(xs) = gan.x_d.as_slice_mut() {
        Gan1d::sample_real(&mut gan.rng, &gan.config, &mut xs[..b]);
    }
    gan.rng.fill_normal(gan.z.view_mut());
    gan.g.forward_into(gan.z.view(), &mut gan.g_cache);
    gan.x_d
        .slice_axis_mut(Axis(0), Slice::from(b..))
        .assign(&gan.g_cache.output());
    gan.rng.fill_uniform(gan.eps.view_mut());
    gan
}

/// Central-difference check of the gradient of `f` w.r.t. the parameters of the network
/// chosen by `pick`. Entries whose one-sided differences disagree (a ReLU/hinge kink within
/// +-h) are skipped. Tolerance: 3e-2 relative with floor 5e-3, i.e. absolute 1.5e-4 for tiny
/// gradients (f32 per-sample losses, h = 5e-3).
fn check(
    gan: &mut Gan1d,
    analytic: &[f32],
    pick: fn(&mut Gan1d) -> &mut Mlp,
    f: fn(&mut Gan1d) -> f64,
    label: &str,
) {
    let h = 5e-3f32;
    let n = analytic.len();
    let mut checked = 0;
    for (i, &ana) in analytic.iter().enumerate() {
        let mut eval = |d: f32| {
            if let Some(p) = pick(gan).params_mut().nth(i) {
                *p += d;
            }
            let v = f(gan);
            if let Some(p) = pick(gan).params_mut().nth(i) {
                *p -= d;
            }
            v
        };
        let (lp, l0, lm) = (eval(h), eval(0.0), eval(-h));
        let (fw, bw) = ((lp - l0) / h as f64, (l0 - lm) / h as f64);
        if rel_err(fw, bw, 1e-4) > 0.03 {
            continue;
        }
        let num = (lp - lm) / (2.0 * h as f64);
        assert!(
            rel_err(num, ana as f64, 5e-3) < 3e-2,
            "{label} param {i}: numeric {num} analytic {ana}"
        );
        checked += 1;
    }
    assert!(checked > n / 2, "{label}: only {checked}/{n} checked");
}

#[test]
fn gradient_check_every_loss_through_d_and_through_g() {
    let acts = [
        (ActKind::LeakyRelu, ActKind::Tanh),
        (ActKind::Tanh, ActKind::Relu),
        (ActKind::Relu, ActKind::LeakyRelu),
    ];
    for loss in LossKind::ALL {
        for (d_act, g_act) in acts {
            let label = format!("{loss:?} D {d_act:?} G {g_act:?}");
            let mut gan = small(loss, d_act, g_act);
            gan.d_loss_grads();
            let analytic = gan.d_grads.flat();
            check(
                &mut gan,
                &analytic,
                |g| &mut g.d,
                |g| g.d_loss_grads(),
                &format!("L_D {label}"),
            );
            gan.g_loss_grads();
            let analytic = gan.g_grads.flat();
            check(
                &mut gan,
                &analytic,
                |g| &mut g.g,
                |g| g.g_loss_grads().0,
                &format!("L_G {label}"),
            );
        }
    }
}

#[test]
fn loss_terms_are_stable_for_extreme_logits() {
    for loss in LossKind::ALL {
        for a in [-1e4f32, -50.0, 0.0, 50.0, 1e4] {
            for (v, d) in [d_real_term(loss, a), d_fake_term(loss, a), g_term(loss, a)] {
                assert!(v.is_finite() && d.is_finite(), "{loss:?} a={a}: {v} {d}");
            }
        }
    }
    // Minimax saturates (tiny slope) where non-saturating does not, for a confident D.
    assert!(g_term(LossKind::Minimax, -20.0).1.abs() < 1e-8);
    assert!((g_term(LossKind::NonSaturating, -20.0).1 + 1.0).abs() < 1e-6);
    assert!((softplus(0.0) - 2f32.ln()).abs() < 1e-7);
}

#[test]
fn binned_kde_matches_the_direct_sum_and_integrates_to_the_in_range_mass() {
    let (nb, w, h) = (64usize, 0.1f32, 0.17f32);
    let mut counts = vec![0.0f32; nb];
    for (j, c) in counts.iter_mut().enumerate() {
        *c = ((j * 37) % 11) as f32 * if (20..40).contains(&j) { 1.0 } else { 0.1 };
    }
    let n = counts.iter().sum::<f32>() + 10.0; // 10 samples fell outside the grid
    let fast = binned_kde(&counts, h, w, n);
    let norm = 1.0 / ((2.0 * std::f32::consts::PI).sqrt() * h * n);
    for (i, &f) in fast.iter().enumerate() {
        let direct: f32 = counts
            .iter()
            .enumerate()
            .map(|(j, &c)| {
                let d = (i as f32 - j as f32) * w / h;
                if d.abs() <= 6.0 {
                    c * (-0.5 * d * d).exp()
                } else {
                    0.0
                }
            })
            .sum::<f32>()
            * norm;
        assert!(
            (f - direct).abs() <= 1e-5 * (1.0 + direct),
            "bin {i}: {f} vs {direct}"
        );
    }
    let mass: f32 = fast.iter().sum::<f32>() * w;
    let in_range = (n - 10.0) / n;
    assert!((mass - in_range).abs() < 0.03, "mass {mass} vs {in_range}");
}

#[test]
fn a_run_survives_the_trip_to_a_worker_and_back() {
    let mut a = Gan1d::from_preset(Preset::Default);
    assert!(a.step(30).is_ok());
    let bytes = a.to_bytes();
    let mut b = Gan1d::from_bytes(&bytes).expect("round trip");
    assert_eq!(b.step_count(), 30);
    assert_eq!(b.to_bytes(), bytes, "nothing lost");
    // Both continue identically: optimiser moments and random state came along.
    assert!(a.step(20).is_ok());
    assert!(b.step(20).is_ok());
    assert_eq!(a.to_bytes(), b.to_bytes());
    assert_eq!(a.view().gen_kde, b.view().gen_kde);
}

#[test]
fn damaged_or_mismatched_state_is_refused() {
    let a = Gan1d::from_preset(Preset::Default);
    let bytes = a.to_bytes();
    for bad in [&b""[..], &b"garbage"[..], &bytes[..bytes.len() / 2]] {
        assert!(matches!(
            Gan1d::from_bytes(bad),
            Err(ModelError::BadState(_))
        ));
    }
    // A config that says width 16 with networks of width 32 is refused.
    let mut other = Gan1d::new(
        Config {
            g_width: 16,
            ..Config::default()
        },
        1,
    )
    .expect("valid");
    other.g = a.g.clone();
    assert!(matches!(
        Gan1d::from_bytes(&other.to_bytes()),
        Err(ModelError::BadState(_))
    ));
}

mod robustness;
mod training;
