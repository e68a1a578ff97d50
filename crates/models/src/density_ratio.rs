//! A classifier as a density-ratio estimator (cards 30-33): train a classifier to tell samples of
//! `p*` (label 1) from samples of `q` (label 0) and read the ratio `p*/q` off its output.
//!
//! The classifier is logistic on quadratic features, which holds the exact answer for two
//! Gaussians (their log-ratio is quadratic in `x`):
//!
//! ```text
//! phi(x) = [1, u, u^2],  u = (x - c) / s      (c, s: centre and scale of all samples)
//! f(x)   = w . phi(x)                          the logit;   D(x) = sigmoid(f(x))
//!
//! log loss   L = mean over p* of -log D  + mean over q of -log(1 - D)          (weighted)
//! Brier      L = mean over p* of (1 - D)^2 + mean over q of D^2
//! hinge      L = mean over p* of max(0, 1 - f) + mean over q of max(0, 1 + f)
//! ```
//!
//! With `n_p` samples of `p*` and `n_q` of `q`, each class's mean is weighted by its share
//! `pi = n_p / (n_p + n_q)`, as a plain average over all samples would do. The minimiser of a
//! proper scoring rule (log loss, Brier) is then `D* = pi p* / (pi p* + (1 - pi) q)`, so
//!
//! ```text
//! p*/q = D/(1 - D) * (1 - pi)/pi        (the prior correction; 1 when the classes are equal)
//! ```
//!
//! The hinge loss is not proper: its minimiser is `sign(pi p* - (1 - pi) q)`, so it recovers only
//! where the ratio crosses the prior odds, not the ratio itself (Nguyen, Wainwright & Jordan 2009).

use crate::error::{Model, ModelError};
use crate::history::History;
use crate::link::{link_names, LinkVisitor, Settings as LinkSettings};
use crate::rng::Rng;

/// Which scoring rule the classifier is trained with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scoring {
    LogLoss,
    Brier,
    Hinge,
}

impl Scoring {
    pub const ALL: [Scoring; 3] = [Scoring::LogLoss, Scoring::Brier, Scoring::Hinge];

    /// The name in links and lesson blocks.
    pub fn name(self) -> &'static str {
        match self {
            Scoring::LogLoss => "log",
            Scoring::Brier => "brier",
            Scoring::Hinge => "hinge",
        }
    }

    pub fn from_name(s: &str) -> Option<Scoring> {
        Scoring::ALL.into_iter().find(|k| k.name() == s)
    }

    /// Whether the rule is proper (its minimiser is the true class probability).
    pub fn is_proper(self) -> bool {
        !matches!(self, Scoring::Hinge)
    }
}

link_names!(
    Scoring => &Scoring::ALL,
);

/// The demo's settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// p* = N(mu_p, sd_p^2)
    pub mu_p: f64,
    pub sd_p: f64,
    /// q = N(mu_q, sd_q^2)
    pub mu_q: f64,
    pub sd_q: f64,
    pub n_p: usize,
    pub n_q: usize,
    pub scoring: Scoring,
    pub lr: f64,
    pub seed: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            mu_p: 1.0,
            sd_p: 0.7,
            mu_q: -0.5,
            sd_q: 1.2,
            n_p: 400,
            n_q: 400,
            scoring: Scoring::LogLoss,
            lr: 0.1,
            seed: 1,
        }
    }
}

impl Settings {
    /// Every number inside its range; NaN becomes the default.
    pub fn clamped(self) -> Settings {
        let d = Settings::default();
        let fix = |v: f64, lo: f64, hi: f64, def: f64| {
            if v.is_nan() {
                def
            } else {
                v.clamp(lo, hi)
            }
        };
        Settings {
            mu_p: fix(self.mu_p, -4.0, 4.0, d.mu_p),
            sd_p: fix(self.sd_p, 0.2, 3.0, d.sd_p),
            mu_q: fix(self.mu_q, -4.0, 4.0, d.mu_q),
            sd_q: fix(self.sd_q, 0.2, 3.0, d.sd_q),
            n_p: self.n_p.clamp(20, 4000),
            n_q: self.n_q.clamp(20, 4000),
            scoring: self.scoring,
            lr: fix(self.lr, 1e-4, 1.0, d.lr),
            seed: self.seed,
        }
    }

    /// The true density ratio p*(x)/q(x).
    pub fn true_ratio(&self, x: f64) -> f64 {
        (log_normal(x, self.mu_p, self.sd_p) - log_normal(x, self.mu_q, self.sd_q)).exp()
    }

    /// The share of p* samples, pi = n_p / (n_p + n_q).
    pub fn prior(&self) -> f64 {
        self.n_p as f64 / (self.n_p + self.n_q) as f64
    }
}

impl LinkSettings for Settings {
    const WHAT: &'static str = "density-ratio";
    /// `mp=1&sp=0.7&mq=-0.5&sq=1.2&np=400&nq=400&loss=log&lr=0.1&seed=1`, in this order (a
    /// promise: shared links of earlier versions must read).
    fn fields(&mut self, v: &mut dyn LinkVisitor) -> Result<(), String> {
        v.field("mp", &mut self.mu_p)?;
        v.field("sp", &mut self.sd_p)?;
        v.field("mq", &mut self.mu_q)?;
        v.field("sq", &mut self.sd_q)?;
        v.field("np", &mut self.n_p)?;
        v.field("nq", &mut self.n_q)?;
        v.field("loss", &mut self.scoring)?;
        v.field("lr", &mut self.lr)?;
        v.field("seed", &mut self.seed)
    }
    fn finish(self) -> Result<Self, String> {
        Ok(self.clamped())
    }
}

fn log_normal(x: f64, mu: f64, sd: f64) -> f64 {
    let z = (x - mu) / sd;
    -0.5 * z * z - sd.ln() - 0.5 * (2.0 * std::f64::consts::PI).ln()
}

fn sigmoid(f: f64) -> f64 {
    if f >= 0.0 {
        1.0 / (1.0 + (-f).exp())
    } else {
        let e = f.exp();
        e / (1.0 + e)
    }
}

/// The classifier and its training data.
#[derive(Debug, Clone, PartialEq)]
pub struct RatioClassifier {
    pub settings: Settings,
    /// Samples of p* then q.
    xs_p: Vec<f64>,
    xs_q: Vec<f64>,
    /// Feature normalisation.
    centre: f64,
    scale: f64,
    /// Logit weights on [1, u, u^2].
    pub w: [f64; 3],
    /// Adam moments.
    m: [f64; 3],
    v: [f64; 3],
    step_count: u64,
    /// The loss per step (the shared bounded curve: a long run does not grow it).
    loss: History,
}

impl RatioClassifier {
    /// Draws the samples from the settings' seed and starts at w = 0 (D = 1/2 everywhere).
    pub fn new(settings: Settings) -> RatioClassifier {
        let s = settings.clamped();
        let mut rng = Rng::new(s.seed);
        let xs_p: Vec<f64> = (0..s.n_p)
            .map(|_| s.mu_p + s.sd_p * f64::from(rng.normal_f32()))
            .collect();
        let xs_q: Vec<f64> = (0..s.n_q)
            .map(|_| s.mu_q + s.sd_q * f64::from(rng.normal_f32()))
            .collect();
        let all = xs_p.iter().chain(&xs_q);
        let n = (s.n_p + s.n_q) as f64;
        let centre = all.clone().sum::<f64>() / n;
        let scale = (all.map(|x| (x - centre).powi(2)).sum::<f64>() / n)
            .sqrt()
            .max(1e-6);
        RatioClassifier {
            settings: s,
            xs_p,
            xs_q,
            centre,
            scale,
            w: [0.0; 3],
            m: [0.0; 3],
            v: [0.0; 3],
            step_count: 0,
            loss: History::default(),
        }
    }

    /// Training steps taken.
    pub fn step_count(&self) -> u64 {
        self.step_count
    }

    /// The loss curve.
    pub fn loss_history(&self) -> &History {
        &self.loss
    }

    /// The samples of p* and q.
    pub fn samples(&self) -> (&[f64], &[f64]) {
        (&self.xs_p, &self.xs_q)
    }

    fn features(&self, x: f64) -> [f64; 3] {
        let u = (x - self.centre) / self.scale;
        [1.0, u, u * u]
    }

    /// The logit f(x) = w . phi(x).
    pub fn logit(&self, x: f64) -> f64 {
        let p = self.features(x);
        self.w[0] * p[0] + self.w[1] * p[1] + self.w[2] * p[2]
    }

    /// D(x) = sigmoid(f(x)).
    pub fn d(&self, x: f64) -> f64 {
        sigmoid(self.logit(x))
    }

    /// The ratio read off the classifier: D/(1 - D), times (1 - pi)/pi when `corrected`.
    pub fn ratio(&self, x: f64, corrected: bool) -> f64 {
        let raw = self.logit(x).exp();
        if corrected {
            let pi = self.settings.prior();
            raw * (1.0 - pi) / pi
        } else {
            raw
        }
    }

    /// The loss and its gradient with respect to `w` at the current weights (see the module
    /// docs); each class's mean is weighted by its share of the samples.
    ///
    /// Per sample with logit f and label y (1 for p*, 0 for q):
    /// ```text
    /// log loss  l = -y log D - (1-y) log(1-D)      dl/df = D - y
    /// Brier     l = (y - D)^2                      dl/df = 2 (D - y) D (1 - D)
    /// hinge     l = max(0, 1 - t f), t = 2y - 1    dl/df = -t if t f < 1 else 0
    /// ```
    pub fn loss_and_grad(&self, w: &[f64; 3]) -> (f64, [f64; 3]) {
        let n = (self.xs_p.len() + self.xs_q.len()) as f64;
        let mut loss = 0.0;
        let mut g = [0.0; 3];
        let scoring = self.settings.scoring;
        for (xs, y) in [(&self.xs_p, 1.0), (&self.xs_q, 0.0)] {
            for &x in xs.iter() {
                let phi = self.features(x);
                let f = w[0] * phi[0] + w[1] * phi[1] + w[2] * phi[2];
                let (l, dl) = match scoring {
                    Scoring::LogLoss => {
                        // log(1 + e^{-f}) for y = 1, log(1 + e^{f}) for y = 0, stably.
                        let z = if y > 0.5 { -f } else { f };
                        let l = z.max(0.0) + (-z.abs()).exp().ln_1p();
                        (l, sigmoid(f) - y)
                    }
                    Scoring::Brier => {
                        let d = sigmoid(f);
                        ((y - d).powi(2), 2.0 * (d - y) * d * (1.0 - d))
                    }
                    Scoring::Hinge => {
                        let t = 2.0 * y - 1.0;
                        if t * f < 1.0 {
                            (1.0 - t * f, -t)
                        } else {
                            (0.0, 0.0)
                        }
                    }
                };
                loss += l / n;
                for (gk, pk) in g.iter_mut().zip(phi) {
                    *gk += dl * pk / n;
                }
            }
        }
        (loss, g)
    }

    /// `n` full-batch Adam steps. Stops with an error if the weights stop being finite.
    pub fn step(&mut self, n: usize) -> Result<(), ModelError> {
        let (b1, b2, eps) = (0.9, 0.999, 1e-8);
        let lr = self.settings.lr;
        for _ in 0..n {
            let (loss, g) = self.loss_and_grad(&self.w);
            self.step_count += 1;
            let t = self.step_count as i32;
            for (k, &gk) in g.iter().enumerate() {
                self.m[k] = b1 * self.m[k] + (1.0 - b1) * gk;
                self.v[k] = b2 * self.v[k] + (1.0 - b2) * gk * gk;
                let mh = self.m[k] / (1.0 - b1.powi(t));
                let vh = self.v[k] / (1.0 - b2.powi(t));
                self.w[k] -= lr * mh / (vh.sqrt() + eps);
            }
            self.loss.push(self.step_count, loss);
            if !loss.is_finite() || self.w.iter().any(|w| !w.is_finite()) {
                return Err(ModelError::Diverged {
                    model: Model::DensityRatio,
                    step: self.step_count,
                    what: "the classifier's weights are no longer finite".into(),
                });
            }
        }
        Ok(())
    }

    /// Mean absolute error of the log-ratio estimate against the truth over `x` in the central
    /// 95% of the mixture (where there are samples to learn from), on a grid of `points`.
    pub fn log_ratio_error(&self, corrected: bool, points: usize) -> f64 {
        let s = &self.settings;
        let lo = (s.mu_p - 2.0 * s.sd_p).max(s.mu_q - 2.0 * s.sd_q);
        let hi = (s.mu_p + 2.0 * s.sd_p).min(s.mu_q + 2.0 * s.sd_q);
        let (lo, hi) = if lo < hi { (lo, hi) } else { (hi, lo) };
        let points = points.max(2);
        (0..points)
            .map(|i| {
                let x = lo + (hi - lo) * i as f64 / (points - 1) as f64;
                (self.ratio(x, corrected).ln() - s.true_ratio(x).ln()).abs()
            })
            .sum::<f64>()
            / points as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trained(scoring: Scoring, n_p: usize, n_q: usize, steps: usize) -> RatioClassifier {
        let mut c = RatioClassifier::new(Settings {
            scoring,
            n_p,
            n_q,
            ..Settings::default()
        });
        c.step(steps).expect("trains");
        c
    }

    #[test]
    fn gradients_match_central_differences_for_every_scoring_rule() {
        for scoring in Scoring::ALL {
            let c = RatioClassifier::new(Settings {
                scoring,
                n_p: 60,
                n_q: 90,
                ..Settings::default()
            });
            let w = [0.3, -0.7, 0.4];
            let (_, g) = c.loss_and_grad(&w);
            for (k, &gk) in g.iter().enumerate() {
                let eps = 1e-6;
                let mut a = w;
                let mut b = w;
                a[k] += eps;
                b[k] -= eps;
                let fd = (c.loss_and_grad(&a).0 - c.loss_and_grad(&b).0) / (2.0 * eps);
                assert!(
                    (fd - gk).abs() < 1e-6 * (1.0 + fd.abs()),
                    "{scoring:?} w[{k}]: {fd} vs {gk}"
                );
            }
        }
    }

    #[test]
    fn proper_scoring_rules_recover_the_ratio_and_hinge_only_its_sign() {
        let log = trained(Scoring::LogLoss, 400, 400, 1500);
        let brier = trained(Scoring::Brier, 400, 400, 1500);
        let hinge = trained(Scoring::Hinge, 400, 400, 1500);
        let (e_log, e_brier, e_hinge) = (
            log.log_ratio_error(true, 200),
            brier.log_ratio_error(true, 200),
            hinge.log_ratio_error(true, 200),
        );
        assert!(e_log < 0.25, "log loss error {e_log}");
        assert!(e_brier < 0.35, "Brier error {e_brier}");
        assert!(e_hinge > 2.0 * e_log.max(e_brier), "hinge error {e_hinge}");
        // Where the true ratio is clearly above or below 1, the hinge classifier's sign agrees.
        let s = hinge.settings;
        let mut agree = 0;
        let mut total = 0;
        for i in 0..200 {
            let x = -2.0 + 4.0 * f64::from(i) / 199.0;
            let truth = s.true_ratio(x).ln();
            if truth.abs() > 0.5 {
                total += 1;
                agree += usize::from(truth.signum() == hinge.logit(x).signum());
            }
        }
        assert!(agree * 10 >= total * 9, "sign agrees at {agree} of {total}");
    }

    #[test]
    fn unequal_classes_need_the_prior_correction() {
        // One p* sample for every four of q: D/(1-D) is off by the prior odds 1/4.
        let c = trained(Scoring::LogLoss, 200, 800, 1500);
        let raw = c.log_ratio_error(false, 200);
        let fixed = c.log_ratio_error(true, 200);
        assert!(fixed < 0.3, "corrected error {fixed}");
        assert!(
            (raw - 4f64.ln()).abs() < 0.35,
            "uncorrected error {raw} ~ log 4"
        );
    }

    #[test]
    fn training_lowers_the_loss_and_settings_round_trip() {
        let c = trained(Scoring::LogLoss, 400, 400, 300);
        let curve = c.loss_history().points();
        assert_eq!(curve.len(), 300);
        let (first, last) = (curve[0][1], curve[299][1]);
        assert!(last < first - 0.05, "{first} -> {last}");
        assert_eq!(c.loss_history().recent_mean(1), last);
        assert_eq!(c.step_count(), 300);
        let s = Settings {
            scoring: Scoring::Brier,
            n_p: 120,
            mu_q: 0.25,
            ..Settings::default()
        };
        assert_eq!(Settings::from_hash(&s.to_hash()).expect("reads"), s);
        assert!(Settings::from_hash("loss=zero-one").is_err());
        let wild = Settings::from_hash("np=1e12&sp=-1&lr=50").expect("reads");
        assert_eq!((wild.n_p, wild.sd_p, wild.lr), (4000, 0.2, 1.0));
        // A frozen link of this version keeps meaning the same settings.
        assert_eq!(
            Settings::from_hash("mp=1&sp=0.7&mq=-0.5&sq=1.2&np=400&nq=400&loss=log&lr=0.1&seed=1")
                .expect("reads"),
            Settings::default()
        );
    }

    #[test]
    fn an_absurd_learning_rate_is_clamped_and_training_stays_finite() {
        let mut c = RatioClassifier::new(Settings {
            lr: f64::INFINITY,
            ..Settings::default()
        });
        assert_eq!(c.settings.lr, 1.0);
        c.step(200).expect("stays finite");
        assert!(c.w.iter().all(|w| w.is_finite()));
    }
}
