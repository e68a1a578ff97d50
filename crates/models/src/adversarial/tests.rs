use super::*;
use crate::digits::Digits;
use crate::link::Settings as _;
use gentutor_nn::gradcheck::check_gradient;
use gentutor_rng::Rng;
use std::sync::OnceLock;

/// Both standard classifiers, trained once for all tests (about two seconds).
fn models() -> &'static Models {
    static M: OnceLock<Models> = OnceLock::new();
    M.get_or_init(|| {
        Models::standard(Digits::shipped().expect("shipped digits")).expect("classifiers train")
    })
}

fn check_input_gradient(c: &Classifier, x: &Array2<f32>, labels: &[usize]) {
    let (_, g) = input_gradient(c, x.view(), labels).expect("gradient");
    let flat: Vec<f32> = x.iter().copied().collect();
    let b = x.nrows();
    let loss = |p: &[f32]| {
        let a = Array2::from_shape_vec((b, PIXELS), p.to_vec()).expect("shape");
        input_gradient(c, a.view(), labels).expect("loss").0
    };
    let analytic: Vec<f32> = g.iter().copied().collect();
    check_gradient(loss, &flat, &analytic, 1e-3, 2e-2).expect("input gradient");
    assert!(analytic.iter().any(|v| v.abs() > 1e-4));
}

#[test]
fn input_gradient_matches_central_differences() {
    let m = models();
    let idx = [m.test[0], m.test[5], m.test[40]];
    // Off the pixel grid, so no ReLU kink sits exactly at a grey level.
    let x = m.data.batch_unit(&idx).mapv(|v| 0.03 + 0.94 * v);
    let labels: Vec<usize> = idx.iter().map(|&i| usize::from(m.data.label(i))).collect();
    check_input_gradient(&m.mlp, &x, &labels);
    check_input_gradient(&m.linear, &x, &labels);
    // And on an untrained network, whose gradients are not yet shaped by training.
    let raw = Classifier::new(&[16], &mut Rng::new(7));
    check_input_gradient(&raw, &x, &[3, 1, 4]);
}

#[test]
fn fgsm_moves_each_pixel_by_eps_and_leaves_zero_gradients_alone() {
    assert_eq!(
        (sign(0.0), sign(-0.0), sign(2.0), sign(-1e-9)),
        (0.0, 0.0, 1.0, -1.0)
    );
    let m = models();
    let mut lin = m.linear.clone();
    // Pixel 0 has no weight: its loss gradient is exactly 0, so it must not move.
    lin.mlp.layers[0].w.row_mut(0).fill(0.0);
    let i = m.test[3];
    let x = m.data.batch_unit(&[i]).mapv(|v| 0.25 + 0.5 * v);
    let y = [usize::from(m.data.label(i))];
    let eps = 0.1;
    let adv = fgsm(&lin, x.view(), &y, eps, Goal::Untargeted).expect("attack");
    assert_eq!(adv[[0, 0]], x[[0, 0]], "sign(0) = 0");
    for k in 1..PIXELS {
        assert!(
            ((adv[[0, k]] - x[[0, k]]).abs() - eps).abs() < 1e-6,
            "pixel {k}"
        );
    }
    // Clipping keeps real images in [0, 1], and the loss goes up.
    let xr = m.data.batch_unit(&[i]);
    let adv = fgsm(&m.mlp, xr.view(), &y, 0.3, Goal::Untargeted).expect("attack");
    assert!(adv.iter().all(|v| (0.0..=1.0).contains(v)));
    let before = input_gradient(&m.mlp, xr.view(), &y).expect("loss").0;
    let after = input_gradient(&m.mlp, adv.view(), &y).expect("loss").0;
    assert!(after > before + 1.0, "{before} -> {after}");
}

/// The figures the lesson quotes (measured on the fixed seed; printed for BENCHMARKS.md).
#[test]
fn fgsm_breaks_both_classifiers_at_a_few_grey_levels() {
    let m = models();
    let acc = |c: &Classifier, eps: f32| {
        m.attacked_accuracy(c, eps, Goal::Untargeted)
            .expect("attack")
    };
    let mut lines = Vec::new();
    for levels in [0.0f32, 0.5, 1.0, 2.0, 3.0, 4.0] {
        let eps = levels * GREY_STEP;
        lines.push(format!(
            "eps {eps:.4} ({levels} grey levels): MLP {:.3}, linear {:.3}",
            acc(&m.mlp, eps),
            acc(&m.linear, eps)
        ));
    }
    eprintln!("held-out accuracy under FGSM:\n{}", lines.join("\n"));
    assert!(acc(&m.mlp, 0.0) > 0.95 && acc(&m.linear, 0.0) > 0.9);
    // Measured: 0.964/0.950 clean; 0.713/0.747 at one level; 0.270/0.390 at two; 0.028/0.072
    // at three; 0.000/0.003 at four (MLP/linear).
    assert!(acc(&m.mlp, GREY_STEP) < 0.8, "one grey level");
    assert!(acc(&m.mlp, 2.0 * GREY_STEP) < 0.35, "two grey levels");
    assert!(acc(&m.linear, 2.0 * GREY_STEP) < 0.45, "two grey levels");
    for c in [&m.mlp, &m.linear] {
        assert!(acc(c, 3.0 * GREY_STEP) < 0.1, "three grey levels");
        assert!(acc(c, 4.0 * GREY_STEP) < 0.01, "four grey levels");
    }
}

#[test]
fn targeted_fgsm_reaches_the_target_on_most_images() {
    let m = models();
    let mut lines = Vec::new();
    for levels in [1.0f32, 2.0, 4.0, 6.0] {
        let eps = levels * GREY_STEP;
        let mlp: f64 = (0..CLASSES)
            .map(|t| m.target_success(&m.mlp, eps, t).expect("a"))
            .sum::<f64>()
            / 10.0;
        let lin: f64 = (0..CLASSES)
            .map(|t| m.target_success(&m.linear, eps, t).expect("a"))
            .sum::<f64>()
            / 10.0;
        lines.push(format!("eps {eps:.4}: MLP {mlp:.3}, linear {lin:.3}"));
    }
    eprintln!(
        "targeted hit rate, mean over the 10 targets:\n{}",
        lines.join("\n")
    );
    let rate = |c: &Classifier, eps: f32| -> f64 {
        (0..CLASSES)
            .map(|t| m.target_success(c, eps, t).expect("attack"))
            .sum::<f64>()
            / 10.0
    };
    // Measured: 0.054/0.053 at one level, 0.291/0.230 at two, 0.773/0.860 at four (MLP/linear).
    assert!(rate(&m.mlp, 0.0) < 0.05);
    assert!(
        rate(&m.mlp, GREY_STEP) < 0.15,
        "one step of one level rarely hits a target"
    );
    assert!(rate(&m.mlp, 4.0 * GREY_STEP) > 0.7);
    assert!(rate(&m.linear, 4.0 * GREY_STEP) > 0.7);
}

#[test]
fn the_linear_gap_moves_by_exactly_eps_times_the_l1_norm() {
    let m = models();
    let i = m.test[10];
    let x: Vec<f32> = m.data.batch_unit(&[i]).iter().copied().collect();
    let y = usize::from(m.data.label(i));
    let to = (y + 1) % CLASSES;
    for eps in [GREY_STEP, 0.2] {
        let g = linear_gap(&m.linear, &x, y, to, eps).expect("linear");
        let rel = (g.unclipped - g.bound).abs() / g.bound;
        assert!(rel < 1e-4, "{g:?}");
        assert!(g.clipped <= g.bound + 1e-6 && g.clipped > 0.0, "{g:?}");
        // Any other eta in the eps-box moves the gap less: random sign patterns, scaled.
        let mut rng = Rng::new(5);
        for _ in 0..50 {
            let eta: Vec<f32> = (0..PIXELS)
                .map(|_| eps * (2.0 * rng.uniform_f32() - 1.0))
                .collect();
            let layer = &m.linear.mlp.layers[0];
            let change: f64 = (0..PIXELS)
                .map(|k| f64::from((layer.w[[k, to]] - layer.w[[k, y]]) * eta[k]))
                .sum();
            assert!(change < g.bound);
        }
    }
    let g = linear_gap(&m.linear, &x, y, to, GREY_STEP).expect("linear");
    eprintln!(
        "linear model, classes {y} -> {to}: ||w_diff||_1 = {:.2}; one grey level moves the gap by {:.2} (clipped {:.2})",
        g.l1, g.bound, g.clipped
    );
    // 64 pixels are enough: one grey level moves the gap by more than a logit.
    assert!(g.bound > 1.0);
    assert!(matches!(
        linear_gap(&m.mlp, &x, y, to, 0.1),
        Err(ModelError::NotLinear)
    ));
}

#[test]
fn the_view_shows_the_attack_it_describes() {
    let m = models();
    let s = AttackSettings {
        image: 3 + m.test.len(),
        eps: 2.0 * GREY_STEP,
        target: Target(Some(8)),
    };
    let v = AttackView::new(m, s).expect("view");
    assert_eq!(v.image, 3);
    assert_eq!(v.pair.1, 8);
    for mv in [&v.mlp, &v.linear] {
        assert!(mv.eta.iter().all(|e| e.abs() <= s.eps + 1e-6));
        assert!(mv.adv.iter().all(|p| (0.0..=1.0).contains(p)));
        assert_eq!(mv.sweep.len(), view::SWEEP_POINTS);
        assert_eq!(mv.sweep[0].probs, mv.clean);
        let sum: f32 = mv.attacked.iter().sum();
        assert!((sum - 1.0).abs() < 1e-4);
        // Towards the target, the target's probability at the largest eps beats the clean one.
        let last = mv.sweep[view::SWEEP_POINTS - 1].probs[8];
        assert!(last > mv.clean[8], "{}: {last}", mv.name);
    }
    let clean = AttackView::new(m, AttackSettings { eps: 0.0, ..s }).expect("view");
    assert!(clean.mlp.eta.iter().all(|&e| e == 0.0));
    // The default: a 3 both models get right, which one grey level turns into a 7 for the MLP.
    let d = AttackView::new(m, AttackSettings::default()).expect("view");
    assert_eq!(d.label, 3);
    assert_eq!((argmax(&d.mlp.clean), argmax(&d.linear.clean)), (3, 3));
    assert_eq!((d.mlp.predicted(), d.linear.predicted()), (7, 3));
}

#[test]
fn settings_link_reads_back_and_keeps_its_meaning() {
    let s = AttackSettings {
        image: 12,
        eps: 0.125,
        target: Target(Some(3)),
    };
    assert_eq!(s.to_hash(), "img=12&eps=0.125&tgt=3");
    assert_eq!(AttackSettings::from_hash(&s.to_hash()), Ok(s));
    assert_eq!(
        AttackSettings::from_hash("img=32&eps=0.0625&tgt=none"),
        Ok(AttackSettings::default())
    );
    let wild = AttackSettings::from_hash("eps=9").expect("clamped");
    assert_eq!(wild.eps, EPS_MAX);
    assert!(AttackSettings::from_hash("tgt=12").is_err());
    assert!(AttackSettings::from_hash("other=1").is_err());
}

#[test]
fn chunked_training_is_the_standard_classifier() {
    let m = models();
    let d = Digits::shipped().expect("digits");
    assert_eq!(
        m.mlp,
        Classifier::standard(&d).expect("trains"),
        "not a fork"
    );
    let mut t = ModelsTrainer::new(d).expect("data");
    t.step(7).expect("steps");
    assert_eq!(t.step_count(), 7);
    while !t.done() {
        t.step(500).expect("steps");
    }
    t.step(10).expect("no more");
    assert_eq!(t.step_count(), crate::digit_classifier::STEPS);
    let got = t.models();
    assert_eq!(got.mlp, m.mlp);
    assert_eq!(got.linear, m.linear);
    assert_eq!(got.test, m.test);
}

#[test]
fn the_shipped_checkpoint_is_the_standard_classifier() {
    use crate::checkpoint::Checkpoint;
    let bytes = include_bytes!("../../../../assets/checkpoints/digit-classifier.gtck");
    let (_, c) = Checkpoint::load::<Classifier>(bytes).expect("the shipped checkpoint loads");
    let m = models();
    assert_eq!(c, m.mlp, "the demo attacks the site's one classifier");
    let mut t = ModelsTrainer::with_mlp(m.data.clone(), c).expect("data");
    t.step(crate::digit_classifier::STEPS)
        .expect("linear trains");
    let got = t.models();
    assert_eq!(got.mlp, m.mlp);
    assert_eq!(got.linear, m.linear);
    assert_eq!(got.test, m.test);
}
