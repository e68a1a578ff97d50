//! The flow's tests: invertibility, log-determinants and gradients against central
//! differences, convergence at a fixed seed, links and divergence.

use super::*;
use crate::link::Settings as _;

/// Relative error with a floor for near-zero values.
fn rel_err(a: f64, b: f64, floor: f64) -> f64 {
    (a - b).abs() / (a.abs() + b.abs()).max(floor)
}

fn cfg(layers: usize, hidden: usize, actnorm: bool) -> Config {
    Config {
        layers,
        hidden,
        actnorm,
        ..Config::default()
    }
}

fn flow(c: Config, seed: u64) -> Flow2d {
    Flow2d::new(c, seed).unwrap_or_else(|e| panic!("{e}"))
}

/// Replaces every parameter with N(0, scale^2) noise, so the couplings are far from the
/// identity (a fresh flow has zero last layers) and every code path is exercised.
fn randomize(f: &mut Flow2d, seed: u64, scale: f32) {
    let mut r = Rng::new(seed);
    for c in &mut f.couplings {
        for p in c.mlp.params_mut() {
            *p = scale * r.normal_f32();
        }
    }
    for p in f.actnorm.params_mut() {
        *p = 0.1 * r.normal_f32();
    }
}

fn normal_points(n: usize, sd: f32, seed: u64) -> Array2<f32> {
    let mut x = Array2::zeros((n, 2));
    Rng::new(seed).fill_normal(x.view_mut());
    x * sd
}

#[test]
fn inverse_of_forward_is_identity() {
    for actnorm in [true, false] {
        let mut f = flow(cfg(12, 16, actnorm), 3);
        randomize(&mut f, 4, 0.2);
        let x = normal_points(500, 2.0, 5);
        let (u, _) = f.forward(x.view());
        let back = f.inverse(u.view());
        let err = (&back - &x).iter().fold(0.0f32, |m, d| m.max(d.abs()));
        assert!(
            err < 1e-5,
            "actnorm {actnorm}: max |T(T^-1(x)) - x| = {err}"
        );
        // And the other way round.
        let x2 = f.inverse(x.view());
        let (u2, _) = f.forward(x2.view());
        let err = (&u2 - &x).iter().fold(0.0f32, |m, d| m.max(d.abs()));
        assert!(
            err < 1e-5,
            "actnorm {actnorm}: max |T^-1(T(u)) - u| = {err}"
        );
        // The couplings really move points (the test is not vacuous).
        let moved = (&u - &x).iter().fold(0.0f32, |m, d| m.max(d.abs()));
        assert!(moved > 0.5, "{moved}");
    }
}

#[test]
fn log_det_matches_numeric_jacobian() {
    let mut f = flow(cfg(6, 8, true), 7);
    randomize(&mut f, 8, 0.3);
    let x = normal_points(20, 1.5, 9);
    let (_, ld) = f.forward(x.view());
    let h = 1e-3f32;
    let mut worst = 0.0f64;
    for i in 0..x.nrows() {
        // J[r][c] = d u_r / d x_c by central differences, in f64 from f32 evaluations.
        let mut jac = [[0.0f64; 2]; 2];
        for col in 0..2 {
            let mut xp = x.row(i).to_owned().insert_axis(Axis(0));
            let mut xm = xp.clone();
            xp[[0, col]] += h;
            xm[[0, col]] -= h;
            let (up, _) = f.forward(xp.view());
            let (um, _) = f.forward(xm.view());
            for row in 0..2 {
                jac[row][col] = (up[[0, row]] as f64 - um[[0, row]] as f64) / (2.0 * h as f64);
            }
        }
        let det = jac[0][0] * jac[1][1] - jac[0][1] * jac[1][0];
        let num = det.abs().ln();
        worst = worst.max((num - ld[i] as f64).abs());
        // Tolerance 5e-3 absolute on log|det J| (f32 forward, h = 1e-3).
        assert!(
            (num - ld[i] as f64).abs() < 5e-3,
            "point {i}: numeric {num} analytic {}",
            ld[i]
        );
    }
    assert!(worst.is_finite());
    // The Jacobian is far from volume-preserving, so the check is meaningful.
    assert!(ld.iter().any(|v| v.abs() > 0.5), "{ld}");
}

/// Central differences of the mean NLL w.r.t. every parameter of every coupling MLP and
/// every ActNorm log-scale and bias, against the hand-written backward pass.
#[test]
fn gradient_check_every_parameter_group() {
    for actnorm in [true, false] {
        let mut f = flow(cfg(3, 5, actnorm), 11);
        randomize(&mut f, 12, 0.4);
        let x = Dataset2d::TwoMoons
            .sample(8, &mut Rng::new(13))
            .unwrap_or_else(|e| panic!("{e}"));
        let loss = f.loss_and_grads(x.view());
        assert!((loss as f64 - f.mean_nll(x.view())).abs() < 1e-4);
        let h = 1e-2f32;
        // Tolerance: 1e-2 relative with floor 5e-3, i.e. 5e-5 absolute for tiny entries
        // (f32 NLL ~3 has round-off ~3e-7, divided by 2h = 2e-2 gives ~2e-5 noise).
        let tol = 1e-2;
        let mut checked = 0;
        for k in 0..f.couplings.len() {
            let analytic = f.couplings[k].grads.flat();
            assert_eq!(analytic.len(), f.couplings[k].mlp.param_count());
            for (i, &ana) in analytic.iter().enumerate() {
                let eval = |d: f32| {
                    let mut g = f.clone();
                    if let Some(p) = g.couplings[k].mlp.params_mut().nth(i) {
                        *p += d;
                    }
                    g.mean_nll(x.view())
                };
                let num = (eval(h) - eval(-h)) / (2.0 * h as f64);
                assert!(
                    rel_err(num, ana as f64, 5e-3) < tol,
                    "actnorm {actnorm} coupling {k} param {i}: numeric {num} analytic {ana}"
                );
                checked += 1;
            }
        }
        let analytic = f.an_grads.flat();
        assert_eq!(analytic.len(), if actnorm { 3 * 4 } else { 0 });
        for (i, &ana) in analytic.iter().enumerate() {
            let eval = |d: f32| {
                let mut g = f.clone();
                if let Some(p) = g.actnorm.params_mut().nth(i) {
                    *p += d;
                }
                g.mean_nll(x.view())
            };
            let num = (eval(h) - eval(-h)) / (2.0 * h as f64);
            assert!(
                rel_err(num, ana as f64, 5e-3) < tol,
                "actnorm param {i} (per block: logs0, logs1, b0, b1): numeric {num} analytic {ana}"
            );
            checked += 1;
        }
        assert_eq!(checked, f.param_count());
    }
}

#[test]
fn actnorm_init_standardises_the_data() {
    let c = Config {
        dataset: Dataset2d::EightGaussians,
        ..cfg(4, 8, true)
    };
    let mut f = flow(c, 21);
    let x = Dataset2d::EightGaussians
        .sample(ACTNORM_INIT_SAMPLES, &mut Rng::new(22))
        .unwrap_or_else(|e| panic!("{e}"));
    f.init_actnorm(x.clone());
    // Couplings start as the identity, so u is the ActNorm output on the init batch:
    // exactly standardised (up to f32 round-off, tolerance 1e-4).
    let (u, ld) = f.forward(x.view());
    for j in 0..2 {
        let col = u.column(j);
        let mean = col.iter().map(|&v| v as f64).sum::<f64>() / col.len() as f64;
        let var = col.iter().map(|&v| (v as f64 - mean).powi(2)).sum::<f64>() / col.len() as f64;
        assert!(
            mean.abs() < 1e-4 && (var - 1.0).abs() < 1e-4,
            "dim {j}: {mean} {var}"
        );
    }
    // Later ActNorms see standardised data and start as (nearly) the identity.
    assert!(f.actnorm.layers[1..]
        .iter()
        .all(|l| l.w.iter().all(|v| v.abs() < 1e-3)));
    // 8 Gaussians has std ~1.42 per axis: log|det| ~ -2 log 1.42 = -0.70.
    assert!((ld[0] + 0.70).abs() < 0.05, "{}", ld[0]);
}

#[test]
fn trains_on_two_moons_below_bound() {
    // Fixed-seed run of the default config (8 blocks, width 32, batch 128, lr 3e-3,
    // ActNorm on, seed 1) for 500 steps; it reaches ~1.61 nats, the bound is 1.8.
    let mut f = flow(Config::default(), 1);
    let start = f.eval_nll();
    f.step(500).unwrap_or_else(|e| panic!("{e}"));
    let end = f.eval_nll();
    // After ActNorm init the model is a diagonal Gaussian fit (~2.8 nats); getting below
    // 1.8 needs the couplings to bend space into the two crescents.
    assert!(start > 2.7, "start {start}");
    assert!(end < 1.8, "NLL {start} -> {end} after 500 steps");
    assert_eq!(f.step_count(), 500);
    assert!(!f.nll_history().is_empty());
    // The trained density still integrates to ~1: midpoint rule on 400 x 400 cells over
    // [-6, 6]^2, tolerance 2%.
    let b = Bbox::square(6.0);
    let (nx, ny) = (400, 400);
    let cell = b.area() as f64 / (nx * ny) as f64;
    let mass: f64 = f
        .log_density_grid(nx, ny, b)
        .iter()
        .map(|&l| (l as f64).exp() * cell)
        .sum();
    assert!((mass - 1.0).abs() < 0.02, "integral {mass}");
}

#[test]
fn random_flow_density_integrates_to_one() {
    let mut f = flow(cfg(8, 16, true), 31);
    randomize(&mut f, 32, 0.15);
    let b = Bbox::square(10.0);
    let (nx, ny) = (300, 300);
    let cell = b.area() as f64 / (nx * ny) as f64;
    let lp = f.log_density_grid(nx, ny, b);
    assert_eq!(lp.len(), nx * ny);
    let mass: f64 = lp.iter().map(|&l| (l as f64).exp() * cell).sum();
    // Tolerance 2% (midpoint rule; tails beyond +-10 are negligible).
    assert!((mass - 1.0).abs() < 0.02, "integral {mass}");
}

#[test]
fn same_seed_same_run_different_seed_different_run() {
    let run = |seed| {
        let mut f = flow(cfg(4, 8, true), seed);
        f.step(20).unwrap_or_else(|e| panic!("{e}"));
        f.nll_history().to_vec()
    };
    assert_eq!(run(5), run(5));
    assert_ne!(run(5), run(6));
}

#[test]
fn warp_stages_and_grid_go_from_base_to_data() {
    let mut f = flow(cfg(5, 8, true), 41);
    randomize(&mut f, 42, 0.5);
    let u = f.base_points(100);
    assert_eq!(u, f.base_points(100));
    let st = f.warp_stages(u.view());
    assert_eq!(st.len(), 6);
    assert_eq!(st[0], u);
    assert_eq!(st[5], f.inverse(u.view()));
    assert!(
        st.windows(2).all(|w| w[0] != w[1]),
        "every stage moves the points"
    );
    assert!(f.warp_stages(Array2::zeros((3, 3)).view()).is_empty());
    let g0 = f.warp_grid(5, 0);
    assert_eq!(g0.len(), 10);
    assert!(g0.iter().all(|l| l.len() == GRID_LINE_POINTS));
    // Stage 0: the first vertical line is x = -BASE_BOX, the last horizontal y = BASE_BOX.
    assert!(g0[0].iter().all(|p| p[0] == -BASE_BOX));
    assert!(g0[9].iter().all(|p| p[1] == BASE_BOX));
    // Stage K equals pushing the stage-0 points through T; out-of-range stage is clamped.
    let gk = f.warp_grid(5, 99);
    let flat: Vec<f32> = g0.iter().flatten().flat_map(|p| [p[0], p[1]]).collect();
    let arr = Array2::from_shape_vec((flat.len() / 2, 2), flat).unwrap_or_default();
    let tx = f.inverse(arr.view());
    for (p, q) in gk.iter().flatten().zip(tx.outer_iter()) {
        assert_eq!([p[0], p[1]], [q[0], q[1]]);
    }
    assert_eq!(f.warp_grid(0, 1).len(), 2 * GRID_LINES.start());
}

#[test]
fn hash_round_trip_and_garbage() {
    let c = Config {
        layers: 5,
        hidden: 17,
        lr: 3e-4,
        dataset: Dataset2d::Rings,
        batch: 64,
        actnorm: false,
        seed: 987654321,
    };
    assert_eq!(
        Config::from_hash(&format!("#{}", c.to_hash())),
        Ok(c.clone())
    );
    let d = Config::default();
    assert_eq!(Config::from_hash(&d.to_hash()), Ok(d.clone()));
    let custom = Config {
        dataset: Dataset2d::Custom(vec![[0.25, -1.5], [1.0, 2.0], [-0.75, 0.5]]),
        ..d.clone()
    };
    assert_eq!(Config::from_hash(&custom.to_hash()), Ok(custom.clone()));
    // Many drawn points are subsampled to fit the URL.
    let many = Config {
        dataset: Dataset2d::Custom((0..1000).map(|i| [i as f32 * 0.001, 0.0]).collect()),
        ..d.clone()
    };
    match Config::from_hash(&many.to_hash()).map(|c| c.dataset) {
        Ok(Dataset2d::Custom(p)) => assert!(p.len() <= MAX_HASH_POINTS && p.len() >= 250),
        other => panic!("{other:?}"),
    }
    // Serde round trip too.
    let json = serde_json::to_string(&custom).unwrap_or_default();
    assert_eq!(serde_json::from_str::<Config>(&json).ok(), Some(custom));
    // Clamping: out-of-range numbers are pulled into range.
    let cl = Config::from_hash("L=100&h=0&lr=5&bs=1e9&an=1").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (cl.layers, cl.hidden, cl.lr, cl.batch),
        (*LAYERS.end(), *HIDDEN.start(), *LR.end(), *BATCH.end())
    );
    assert!(cl.validate().is_ok());
    // Unknown keys are ignored when some known key is present.
    assert_eq!(Config::from_hash("page=flows&L=4").map(|c| c.layers), Ok(4));
    for bad in [
        "",
        "#",
        "hello",
        "page=flows",
        "L=four",
        "lr=NaN",
        "an=maybe",
        "data=spirals",
        "data=custom",
        "data=custom&pts=1,1;2,2",
        "data=custom&pts=1,1;2;3,3",
        "data=custom&pts=1,1;2,inf;3,3",
        "seed=-1",
        "L=3&junk",
    ] {
        assert!(
            matches!(Config::from_hash(bad), Err(ModelError::BadHash(_))),
            "`{bad}` accepted: {:?}",
            Config::from_hash(bad)
        );
    }
    // Every error message is non-empty and actionable.
    if let Err(e) = Config::from_hash("data=custom") {
        assert!(e.to_string().contains("at least"), "{e}");
    }
}

#[test]
fn invalid_configs_are_rejected_and_clamped() {
    let bad = Config {
        layers: 0,
        hidden: 1000,
        lr: f32::NAN,
        batch: 0,
        ..Config::default()
    };
    assert!(matches!(
        Flow2d::new(bad.clone(), 1),
        Err(ModelError::InvalidConfig {
            field: "layers",
            ..
        })
    ));
    let c = bad.clamped();
    assert_eq!(
        (c.layers, c.hidden, c.lr, c.batch),
        (2, 128, Config::default().lr, 8)
    );
    assert!(Flow2d::new(c, 1).is_ok());
    let few = Config {
        dataset: Dataset2d::Custom(vec![[0.0, 0.0]]),
        ..Config::default()
    };
    assert!(matches!(
        Flow2d::new(few.clone(), 1),
        Err(ModelError::Data(
            crate::datasets2d::DatasetError::TooFewPoints { got: 1, .. }
        ))
    ));
    assert!(Flow2d::new(few.clamped(), 1).is_err());
    let nan = Config {
        dataset: Dataset2d::Custom(vec![[0.0, 0.0], [f32::NAN, 0.0], [1.0, 1.0], [2.0, 0.0]]),
        ..Config::default()
    };
    assert!(Flow2d::new(nan.clone(), 1).is_err());
    assert!(Flow2d::new(nan.clamped(), 1).is_ok());
}

#[test]
fn extreme_configs_never_panic() {
    let datasets = [
        Dataset2d::TwoMoons,
        Dataset2d::Checkerboard,
        Dataset2d::Custom(vec![[1.0, 1.0]; 3]),
        Dataset2d::Custom(vec![[-10.0, 10.0], [10.0, -10.0], [10.0, 10.0]]),
    ];
    let mut diverged = 0;
    for (i, dataset) in datasets.into_iter().enumerate() {
        for (layers, hidden, lr, batch, actnorm) in [
            (2, 4, 1e-5, 8, false),
            (12, 4, 1e-1, 8, true),
            (12, 4, 1e-1, 8, false),
            (2, 128, 1e-1, 16, true),
        ] {
            let c = Config {
                layers,
                hidden,
                lr,
                dataset: dataset.clone(),
                batch,
                actnorm,
                seed: 0,
            };
            let mut f = flow(c, i as u64);
            let r = f.step(40);
            if r.is_err() {
                diverged += 1;
                assert_eq!(f.step(1), r, "a diverged run stays stopped");
            }
            let v = f.view(8, 0);
            assert_eq!((v.nx, v.ny), (8, 1));
            assert_eq!(v.log_density.len(), 8);
            assert_eq!(v.samples.len(), VIEW_SAMPLES);
            assert_eq!(f.warp_grid(3, 1).len(), 6);
            assert_eq!(f.sample(10, &mut Rng::new(0)).dim(), (10, 2));
        }
    }
    // Diverging is allowed here (the point is no panic), but it must be reported, not silent.
    assert!(diverged <= 16);
    let f = flow(cfg(2, 4, true), 0);
    // Huge requests are clamped rather than exhausting memory.
    assert_eq!(f.sample(usize::MAX, &mut Rng::new(0)).nrows(), MAX_SAMPLES);
    assert_eq!(f.base_points(usize::MAX).nrows(), MAX_SAMPLES);
    let nan_box = Bbox {
        x_min: f32::NAN,
        x_max: 1.0,
        y_min: 0.0,
        y_max: 1.0,
    };
    assert!(f
        .log_density_grid(3, 3, nan_box)
        .iter()
        .all(|v| v.is_finite()));
    assert!(f
        .log_prob(Array2::zeros((2, 3)).view())
        .iter()
        .all(|v| v.is_nan()));
    assert!(f.mean_nll(Array2::zeros((0, 2)).view()).is_nan());
}

#[test]
fn nan_injection_stops_with_diverged() {
    // A NaN weight in a coupling.
    let mut f = flow(cfg(4, 8, true), 51);
    f.step(3).unwrap_or_else(|e| panic!("{e}"));
    if let Some(p) = f.couplings[2].mlp.params_mut().nth(3) {
        *p = f32::NAN;
    }
    let r = f.step(5);
    assert!(
        matches!(
            r,
            Err(ModelError::Diverged {
                model: Model::Flow,
                step: 4,
                ..
            })
        ),
        "{r:?}"
    );
    assert_eq!(f.step_count(), 4);
    assert_eq!(f.step(1), r);
    assert!(f.diverged().is_some());
    let msg = r.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(
        msg.contains("learning rate") && msg.contains("Reset"),
        "{msg}"
    );
    let v = f.view(4, 4);
    assert!(v.diverged.is_some());
    // An infinite ActNorm log-scale.
    let mut f = flow(cfg(3, 8, true), 52);
    f.actnorm.layers[1].w[[0, 0]] = f32::INFINITY;
    assert!(matches!(
        f.step(1),
        Err(ModelError::Diverged {
            model: Model::Flow,
            ..
        })
    ));
    // A huge (finite) weight is caught by the explosion check.
    let mut f = flow(cfg(3, 8, false), 53);
    f.couplings[0].mlp.layers[0].b[0] = 2.0 * MAX_WEIGHT;
    assert!(matches!(
        f.step(1),
        Err(ModelError::Diverged {
            model: Model::Flow,
            ..
        })
    ));
}

/// Issue 18: changing the learning rate restarted training. Now the run keeps its weights,
/// step count and history, and trains on at the new rate.
#[test]
fn set_lr_keeps_parameters_and_step_count() {
    let mut f = flow(cfg(2, 8, true), 3);
    f.step(20).unwrap_or_else(|e| panic!("{e}"));
    let params: Vec<f32> = f
        .couplings
        .iter()
        .flat_map(|c| c.mlp.params_flat())
        .collect();
    let history = f.nll_history().len();
    f.set_lr(1e-2).unwrap_or_else(|e| panic!("{e}"));
    let after: Vec<f32> = f
        .couplings
        .iter()
        .flat_map(|c| c.mlp.params_flat())
        .collect();
    assert_eq!(params, after, "weights kept");
    assert_eq!(f.step_count(), 20);
    assert_eq!(f.nll_history().len(), history);
    assert_eq!(f.config().lr, 1e-2);
    assert!(f.couplings.iter().all(|c| c.opt.lr == 1e-2) && f.an_opt.lr == 1e-2);
    // The next step uses the new rate: same start, a different update than at the old rate.
    let mut slow = f.clone();
    slow.set_lr(1e-4).unwrap_or_else(|e| panic!("{e}"));
    f.step(1).unwrap_or_else(|e| panic!("{e}"));
    slow.step(1).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(f.step_count(), 21);
    let moved = |g: &Flow2d| -> f32 {
        g.couplings
            .iter()
            .flat_map(|c| c.mlp.params_flat())
            .zip(&params)
            .map(|(a, b)| (a - b).abs())
            .sum()
    };
    assert!(
        moved(&f) > 10.0 * moved(&slow),
        "{} vs {}",
        moved(&f),
        moved(&slow)
    );
    // Out of range: refused, nothing changed.
    assert!(f.set_lr(f32::NAN).is_err() && f.set_lr(5.0).is_err());
    assert_eq!(f.config().lr, 1e-2);
}

/// Only the learning rate keeps a run; data, layers, width and ActNorm start a new one.
#[test]
fn retune_takes_the_learning_rate_and_refuses_the_rest() {
    let base = Config {
        seed: 3,
        ..cfg(2, 8, true)
    };
    let mut f = flow(base.clone(), 3);
    f.step(5).unwrap_or_else(|e| panic!("{e}"));
    let faster = Config {
        lr: 1e-2,
        ..base.clone()
    };
    assert!(base.same_run(&faster));
    f.retune(&faster).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((f.step_count(), f.config().lr), (5, 1e-2));
    for other in [
        Config {
            layers: 3,
            ..faster.clone()
        },
        Config {
            hidden: 16,
            ..faster.clone()
        },
        Config {
            actnorm: false,
            ..faster.clone()
        },
        Config {
            dataset: Dataset2d::Rings,
            ..faster.clone()
        },
        Config {
            seed: 4,
            ..faster.clone()
        },
    ] {
        assert!(!faster.same_run(&other), "{other:?}");
        assert!(f.retune(&other).is_err());
    }
    assert_eq!(f.config(), &faster);
}

/// The worker path: the page sends the run as bytes, the worker trains a few steps and posts
/// the bytes back, again and again. At a fixed seed that run must be the run trained without a
/// break on the page: the same losses, step by step, and the same state.
#[test]
fn a_run_handed_through_bytes_trains_exactly_as_straight() {
    for actnorm in [true, false] {
        let c = cfg(4, 16, actnorm);
        let mut straight = flow(c.clone(), 11);
        straight.step(30).expect("trains");
        let mut bytes = flow(c, 11).to_bytes();
        for chunk in [1, 5, 7, 17] {
            let mut worker = Flow2d::from_bytes(&bytes).expect("decodes");
            worker.step(chunk).expect("trains in chunks");
            bytes = worker.to_bytes();
        }
        let handed = Flow2d::from_bytes(&bytes).expect("decodes");
        assert_eq!(handed.step_count(), 30);
        assert_eq!(handed.nll_history().len(), 30);
        assert_eq!(handed.nll_history(), straight.nll_history(), "same losses");
        assert_eq!(handed.eval_nll(), straight.eval_nll());
        assert_eq!(handed.view(8, 8), straight.view(8, 8));
        assert_eq!(bytes, straight.to_bytes(), "the same state");
    }
}

#[test]
fn worker_bytes_keep_settings_divergence_and_refuse_garbage() {
    let mut f = flow(cfg(2, 8, true), 3);
    f.step(3).expect("trains");
    f.set_lr(0.02).expect("in range");
    let g = Flow2d::from_bytes(&f.to_bytes()).expect("decodes");
    assert_eq!(g.config(), f.config());
    assert_eq!(g.layers(), 2);
    // A diverged run stays diverged (same step, same message) after the round trip.
    randomize(&mut f, 5, 1e5);
    let err = f.step(1).expect_err("diverges");
    let h = Flow2d::from_bytes(&f.to_bytes()).expect("decodes a diverged run");
    assert_eq!(h.diverged().map(ToString::to_string), Some(err.to_string()));
    let bytes = flow(cfg(2, 8, true), 3).to_bytes();
    assert_eq!(bytes[0], 1, "layout version 1");
    assert!(Flow2d::from_bytes(&[]).is_err());
    assert!(Flow2d::from_bytes(&[2]).is_err(), "an unknown version");
    let mut other = bytes.clone();
    other[0] = 2;
    assert!(Flow2d::from_bytes(&other).is_err());
    for cut in [1, 10, bytes.len() / 2, bytes.len() - 1] {
        assert!(Flow2d::from_bytes(&bytes[..cut]).is_err(), "cut at {cut}");
    }
    // Settings that say 3 blocks over networks of 2: refused, not a panic later.
    let mut three = flow(cfg(2, 8, true), 3);
    three.config.layers = 3;
    assert!(Flow2d::from_bytes(&three.to_bytes()).is_err());
    let mut wide = flow(cfg(2, 8, false), 3);
    wide.config.hidden = 12;
    assert!(Flow2d::from_bytes(&wide.to_bytes()).is_err());
}
