//! Metrics, links, extreme configs, NaN injection, determinism, views and the bench.

use super::*;
use crate::link::Settings as _;

#[test]
fn metrics_of_real_samples_are_near_perfect() {
    let gan = Gan1d::new(Config::default(), 5).expect("valid");
    let mut rng = Rng::new(8);
    let mut xs = vec![0.0f32; EVAL_SAMPLES];
    Gan1d::sample_real(&mut rng, &gan.config, &mut xs);
    let m = gan.metrics_from(&xs);
    assert_eq!(m.modes_captured, 8);
    assert!((m.on_mode_fraction - 0.954).abs() < 0.02, "{m:?}");
    assert!(m.js_nats < 0.05, "{m:?}");
    // All samples on one mode: 1 of 8 captured and a large JS.
    let one = vec![gan.config.mode_mean(0); EVAL_SAMPLES];
    let m1 = gan.metrics_from(&one);
    assert_eq!(m1.modes_captured, 1);
    assert!(m1.js_nats > 0.5, "{m1:?}");
}

#[test]
fn hash_round_trip_and_garbage() {
    for p in Preset::all() {
        let c = p.config();
        assert_eq!(c.validate(), Ok(()), "{}", p.name());
        assert_eq!(Config::from_hash(&c.to_hash()), Ok(c.clone()));
        assert_eq!(Config::from_hash(&format!("#{}", c.to_hash())), Ok(c));
        assert_eq!(Preset::from_name(p.name()), Ok(p));
    }
    assert!(matches!(
        Preset::from_name("nope"),
        Err(ModelError::UnknownPreset { .. })
    ));
    for bad in [
        "",
        "#",
        "garbage",
        "k=abc",
        "loss=foo",
        "k=NaN",
        "lrg=nan",
        "ga=sigmoid",
        "&&&",
        "x=1&y=2",
    ] {
        assert!(
            matches!(Config::from_hash(bad), Err(ModelError::BadHash(_))),
            "{bad}"
        );
    }
    // Out of range is clamped; unknown keys are ignored.
    let c = Config::from_hash("k=99&bs=0&lrg=1e9&sd=-1&b1=5&page=gan&gw=1e30").expect("clamps");
    assert_eq!((c.modes, c.batch, c.g_width), (8, 1, 128));
    assert_eq!((c.lr_g, c.std, c.beta1), (10.0, 0.01, 0.999));
    assert_eq!(c.validate(), Ok(()));
    let nan = Config {
        lr_d: f32::NAN,
        spacing: f32::INFINITY,
        ..Config::default()
    }
    .clamped();
    assert_eq!((nan.lr_d, nan.spacing), (1e-3, 10.0));
    let err = Gan1d::new(
        Config {
            lr_g: 1e9,
            ..Config::default()
        },
        1,
    )
    .err();
    assert!(
        matches!(err, Some(ModelError::InvalidConfig { field: "lr_g", .. })),
        "{err:?}"
    );
}

#[test]
fn extreme_configs_never_panic() {
    let base = Config {
        batch: 16,
        ..Config::default()
    };
    let configs = [
        Config {
            batch: 1,
            ..base.clone()
        },
        Config {
            g_width: 1,
            d_width: 1,
            g_depth: 3,
            d_depth: 3,
            ..base.clone()
        },
        Config {
            lr_g: 1e9,
            lr_d: 1e9,
            ..base.clone()
        }
        .clamped(),
        Config {
            lr_g: 1e9,
            lr_d: 1e9,
            optimizer: OptKind::Sgd,
            ..base.clone()
        }
        .clamped(),
        Config {
            spacing: 0.0,
            ..base.clone()
        },
        Config {
            loss: LossKind::WganGp,
            gp_lambda: 100.0,
            lr_d: 10.0,
            ..base.clone()
        },
        Config {
            loss: LossKind::LeastSquares,
            optimizer: OptKind::Sgd,
            lr_g: 10.0,
            lr_d: 10.0,
            ..base.clone()
        },
        Config {
            loss: LossKind::Hinge,
            d_steps: 20,
            std: 0.01,
            ..base
        },
    ];
    let mut diverged = 0;
    for (i, c) in configs.into_iter().enumerate() {
        let mut gan = Gan1d::new(c, i as u64).expect("valid");
        match gan.step(200) {
            Ok(()) => assert!(gan.generator().is_finite() && gan.discriminator().is_finite()),
            Err(ModelError::Diverged {
                model: Model::Gan,
                step,
                what,
            }) => {
                diverged += 1;
                assert!(step <= 200 && !what.is_empty());
                assert!(gan.diverged().is_some());
            }
            Err(e) => panic!("config {i}: unexpected {e}"),
        }
        // Views and metrics never panic, diverged or not.
        let v = gan.view();
        assert_eq!(v.grid.len(), GRID_POINTS);
    }
    // SGD at lr 10 must blow up.
    assert!(diverged >= 1);
}

#[test]
fn nan_injection_stops_training_for_good() {
    let mut gan = Gan1d::new(
        Config {
            batch: 32,
            ..Config::default()
        },
        4,
    )
    .expect("valid");
    assert!(gan.step(5).is_ok());
    gan.d.layers[1].w[[0, 0]] = f32::NAN;
    let e = gan.step(10);
    assert!(
        matches!(
            e,
            Err(ModelError::Diverged {
                model: Model::Gan,
                step: 5,
                ..
            })
        ),
        "{e:?}"
    );
    let msg = e.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(msg.contains("Lower the learning rates"), "{msg}");
    // Stays stopped: no further steps, same error.
    assert!(matches!(
        gan.step(1),
        Err(ModelError::Diverged {
            model: Model::Gan,
            step: 5,
            ..
        })
    ));
    assert_eq!(gan.step_count(), 5);
    assert!(gan.view().diverged.is_some());
    // Same via the generator.
    let mut gan = Gan1d::new(
        Config {
            batch: 32,
            ..Config::default()
        },
        4,
    )
    .expect("valid");
    gan.g.layers[0].b[2] = f32::INFINITY;
    assert!(matches!(
        gan.step(1),
        Err(ModelError::Diverged {
            model: Model::Gan,
            step: 0,
            ..
        })
    ));
}

#[test]
fn same_seed_same_run() {
    let cfg = Config {
        batch: 32,
        ..Config::default()
    };
    let mut a = Gan1d::new(cfg.clone(), 9).expect("valid");
    let mut b = Gan1d::new(cfg.clone(), 9).expect("valid");
    let mut c = Gan1d::new(cfg, 10).expect("valid");
    for g in [&mut a, &mut b, &mut c] {
        assert!(g.step(20).is_ok());
    }
    assert_eq!(a.eval_samples(), b.eval_samples());
    assert_ne!(a.eval_samples(), c.eval_samples());
}

#[test]
fn view_curves_are_consistent() {
    let mut gan = Gan1d::new(
        Config {
            batch: 32,
            ..Config::default()
        },
        2,
    )
    .expect("valid");
    assert!(gan.step(10).is_ok());
    let v = gan.view();
    assert_eq!(v.histories.loss_d.points().len(), 10);
    let mass: f32 = v.real_density.iter().sum::<f32>() * v.bin_width;
    assert!((mass - 1.0).abs() < 1e-3, "p* mass {mass}");
    let gen_mass: f32 = v.gen_hist.iter().sum::<f32>() * v.bin_width;
    assert!(gen_mass <= 1.0 + 1e-4 && gen_mass > 0.5, "{gen_mass}");
    assert!(v
        .d_grid
        .iter()
        .chain(&v.d_star)
        .all(|d| (0.0..=1.0).contains(d)));
}

#[test]
fn bench_uses_injected_clock() {
    let mut gan = Gan1d::new(
        Config {
            batch: 16,
            ..Config::default()
        },
        1,
    )
    .expect("valid");
    let mut t = 0.0;
    let r = bench_steps(&mut gan, 2, 10, || {
        t += 50.0;
        t
    })
    .expect("no divergence");
    assert_eq!(gan.step_count(), 12);
    assert_eq!((r.steps, r.elapsed_ms), (10, 50.0));
    assert!((r.steps_per_sec - 200.0).abs() < 1e-9);
}
