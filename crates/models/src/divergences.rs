//! Divergences pulled apart: how KL, JSD, total variation, Wasserstein-1 and MMD behave as one
//! distribution on a line slides away from another (cards 31-36).
//!
//! `P` is a base distribution and `Q_theta` is `P` shifted by `theta`. For every family the exact
//! value of each divergence is a function of `theta` alone:
//!
//! ```text
//! point masses  P = delta_0          Q = delta_theta
//! Gaussians     P = N(0, s^2)        Q = N(theta, s^2)
//! uniforms      P = U[-w/2, w/2]     Q = U[theta - w/2, theta + w/2]
//!
//! KL(P || Q)    = theta^2 / (2 s^2)                    (Gaussians), +inf once supports differ
//! JSD(P, Q)     = 1/2 KL(P || M) + 1/2 KL(Q || M),     M = (P + Q) / 2, at most log 2
//! TV(P, Q)      = sup_A |P(A) - Q(A)| = 1/2 int |p - q|, at most 1
//! W1(P, Q)      = |theta|                              (any shift of any distribution)
//! MMD^2(P, Q)   = E k(X,X') + E k(Y,Y') - 2 E k(X,Y),  k(x,y) = exp(-(x-y)^2 / (2 h^2))
//!              = 2 c (1 - exp(-theta^2 / (2 (h^2 + 2 s^2)))),  c = sqrt(h^2 / (h^2 + 2 s^2))
//! ```
//!
//! For uniforms MMD uses `s^2 = w^2 / 12` only as an approximation, so it is integrated
//! numerically instead. Gradients with respect to `theta` are exact where a closed form exists and
//! central differences of the exact value otherwise. Sample estimates (from `n` draws of each
//! distribution) sit beside the exact values, as the demo shows both.

use crate::link::{LinkVisitor, OneOf, Settings as LinkSettings};
use crate::rng::Rng;
use serde::{Deserialize, Serialize};

/// The shape of `P` (and of `Q`, its shifted copy).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Family {
    /// All mass at one point.
    PointMass,
    /// A Gaussian with standard deviation `s > 0`.
    Gaussian { s: f64 },
    /// A uniform distribution of width `w > 0`.
    Uniform { w: f64 },
}

/// The five divergences (and MMD's square root) between `P` and `Q_theta`.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Divergences {
    /// KL(P || Q); `f64::INFINITY` when Q misses part of P's support.
    pub kl: f64,
    pub jsd: f64,
    pub tv: f64,
    pub w1: f64,
    /// MMD (not squared) with the Gaussian kernel of bandwidth `h`.
    pub mmd: f64,
}

const LN2: f64 = std::f64::consts::LN_2;

/// Standard normal CDF via erf (Abramowitz & Stegun 7.1.26 is too coarse for gradients near
/// 1e-6, so this uses the complementary error function by continued fraction for large |x|).
fn normal_cdf(x: f64) -> f64 {
    0.5 * erfc(-x / std::f64::consts::SQRT_2)
}

/// erfc with relative accuracy ~1e-15 (W. J. Cody's rational approximations, as in libm).
fn erfc(x: f64) -> f64 {
    // erfc(x) = 1 - erf(x); for x < 0 use symmetry.
    if x < 0.0 {
        return 2.0 - erfc(-x);
    }
    if x < 0.5 {
        return 1.0 - erf_series(x);
    }
    // Continued fraction (Lentz), converges fast for x >= 0.5.
    let x2 = x * x;
    let mut f;
    let tiny = 1e-300;
    let mut c;
    let mut d;
    // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + 1/2/(x + 1/(x + 3/2/(x + ...))))
    let b0 = x;
    f = if b0 == 0.0 { tiny } else { b0 };
    c = f;
    d = 0.0;
    for k in 1..300 {
        let a = k as f64 / 2.0;
        let b = x;
        d = b + a * d;
        if d.abs() < tiny {
            d = tiny;
        }
        c = b + a / c;
        if c.abs() < tiny {
            c = tiny;
        }
        d = 1.0 / d;
        let delta = c * d;
        f *= delta;
        if (delta - 1.0).abs() < 1e-16 {
            break;
        }
    }
    (-x2).exp() / std::f64::consts::PI.sqrt() / f
}

/// erf(x) by its Taylor series, for small |x|.
fn erf_series(x: f64) -> f64 {
    let mut sum = x;
    let mut term = x;
    let x2 = x * x;
    for n in 1..60 {
        term *= -x2 / n as f64;
        let add = term / (2 * n + 1) as f64;
        sum += add;
        if add.abs() < 1e-17 {
            break;
        }
    }
    sum * 2.0 / std::f64::consts::PI.sqrt()
}

/// `x ln(x / y)` with the conventions 0 ln 0 = 0.
fn xlogx_over(x: f64, y: f64) -> f64 {
    if x <= 0.0 {
        0.0
    } else {
        x * (x / y).ln()
    }
}

impl Family {
    /// Density of `P` at `x` (point masses have none).
    fn pdf(self, x: f64) -> f64 {
        match self {
            Family::PointMass => 0.0,
            Family::Gaussian { s } => {
                (-(x * x) / (2.0 * s * s)).exp() / (s * (2.0 * std::f64::consts::PI).sqrt())
            }
            Family::Uniform { w } => {
                if x.abs() <= w / 2.0 {
                    1.0 / w
                } else {
                    0.0
                }
            }
        }
    }

    /// A grid `[lo, hi]` that holds all but a negligible part of P and Q_theta.
    fn span(self, theta: f64) -> (f64, f64) {
        let r = match self {
            Family::PointMass => 0.0,
            Family::Gaussian { s } => 12.0 * s,
            Family::Uniform { w } => w / 2.0,
        };
        (theta.min(0.0) - r, theta.max(0.0) + r)
    }

    /// `n` draws of `P` shifted by `shift`.
    pub fn sample(self, n: usize, shift: f64, rng: &mut Rng) -> Vec<f64> {
        (0..n)
            .map(|_| {
                shift
                    + match self {
                        Family::PointMass => 0.0,
                        Family::Gaussian { s } => s * f64::from(rng.normal_f32()),
                        Family::Uniform { w } => w * (rng.uniform_f64() - 0.5),
                    }
            })
            .collect()
    }
}

/// Integrates `f` over `[lo, hi]` by Simpson's rule with `n` (even) panels.
fn simpson(lo: f64, hi: f64, n: usize, f: impl Fn(f64) -> f64) -> f64 {
    let n = n.max(2) & !1;
    let h = (hi - lo) / n as f64;
    if h <= 0.0 {
        return 0.0;
    }
    let mut sum = f(lo) + f(hi);
    for i in 1..n {
        let w = if i % 2 == 1 { 4.0 } else { 2.0 };
        sum += w * f(lo + i as f64 * h);
    }
    sum * h / 3.0
}

/// The exact divergences between `P` and `P` shifted by `theta`, with kernel bandwidth `h > 0`.
pub fn exact(family: Family, theta: f64, h: f64) -> Divergences {
    let d = theta.abs();
    let w1 = d;
    match family {
        Family::PointMass => {
            let apart = d > 0.0;
            Divergences {
                kl: if apart { f64::INFINITY } else { 0.0 },
                jsd: if apart { LN2 } else { 0.0 },
                tv: if apart { 1.0 } else { 0.0 },
                w1,
                mmd: mmd_gaussian_closed(0.0, d, h),
            }
        }
        Family::Gaussian { s } => {
            // JSD has no closed form for two Gaussians: integrate on a fine grid.
            let (lo, hi) = family.span(theta);
            let jsd = simpson(lo, hi, 8000, |x| {
                let p = family.pdf(x);
                let q = family.pdf(x - theta);
                let m = 0.5 * (p + q);
                0.5 * xlogx_over(p, m) + 0.5 * xlogx_over(q, m)
            })
            .clamp(0.0, LN2);
            Divergences {
                kl: d * d / (2.0 * s * s),
                jsd,
                tv: 2.0 * normal_cdf(d / (2.0 * s)) - 1.0,
                w1,
                mmd: mmd_gaussian_closed(s, d, h),
            }
        }
        Family::Uniform { w } => {
            // Overlap fraction of two equal-width intervals.
            let overlap = (1.0 - d / w).max(0.0);
            let apart_part = 1.0 - overlap;
            Divergences {
                kl: if d > 0.0 { f64::INFINITY } else { 0.0 },
                // Where only one density is present it is 1/w against m = 1/(2w): each side
                // contributes (1/2) * apart_part * ln 2; on the overlap p = q = m contributes 0.
                jsd: apart_part * LN2,
                tv: apart_part,
                w1,
                mmd: mmd_uniform(w, d, h),
            }
        }
    }
}

/// MMD for `N(0, s^2)` against `N(d, s^2)` with a Gaussian kernel of bandwidth `h` (`s = 0` gives
/// point masses): `MMD^2 = 2 c (1 - exp(-d^2 / (2 (h^2 + 2 s^2))))`, `c = sqrt(h^2 / (h^2 + 2 s^2))`.
fn mmd_gaussian_closed(s: f64, d: f64, h: f64) -> f64 {
    let v = h * h + 2.0 * s * s;
    let c = (h * h / v).sqrt();
    (2.0 * c * (1.0 - (-d * d / (2.0 * v)).exp()))
        .max(0.0)
        .sqrt()
}

/// MMD for two uniforms of width `w`, `d` apart: the expectations of the kernel are integrals of
/// it against the triangular density of the difference of two uniforms.
fn mmd_uniform(w: f64, d: f64, h: f64) -> f64 {
    // X - X' has the triangular density (w - |u|) / w^2 on [-w, w].
    let ek = |shift: f64| {
        simpson(-w, w, 4000, |u| {
            let z = u + shift;
            (w - u.abs()) / (w * w) * (-(z * z) / (2.0 * h * h)).exp()
        })
    };
    (2.0 * ek(0.0) - 2.0 * ek(d)).max(0.0).sqrt()
}

/// d/dtheta of each divergence at `theta`: exact for W1, and by central differences of the exact
/// values otherwise (infinite KL has no gradient: reported as NaN).
pub fn gradients(family: Family, theta: f64, h: f64) -> Divergences {
    let eps = 1e-4;
    let a = exact(family, theta + eps, h);
    let b = exact(family, theta - eps, h);
    let cd = |x: f64, y: f64| {
        if x.is_finite() && y.is_finite() {
            (x - y) / (2.0 * eps)
        } else {
            f64::NAN
        }
    };
    Divergences {
        kl: match family {
            Family::Gaussian { s } => theta / (s * s),
            _ => cd(a.kl, b.kl),
        },
        jsd: cd(a.jsd, b.jsd),
        tv: cd(a.tv, b.tv),
        w1: if theta == 0.0 { 0.0 } else { theta.signum() },
        mmd: cd(a.mmd, b.mmd),
    }
}

/// Sample estimates from `xs ~ P` and `ys ~ Q`: W1 from sorted samples, MMD from the unbiased
/// U-statistic (square-rooted after clamping at 0), TV and JSD from shared-bin histograms
/// (`bins` bins over the samples' range), KL likewise (infinite when a bin of P is empty in Q).
pub fn estimate(xs: &[f64], ys: &[f64], h: f64, bins: usize) -> Divergences {
    let n = xs.len().min(ys.len());
    if n < 2 {
        return Divergences::default();
    }
    let (xs, ys) = (&xs[..n], &ys[..n]);
    let mut a = xs.to_vec();
    let mut b = ys.to_vec();
    a.sort_by(f64::total_cmp);
    b.sort_by(f64::total_cmp);
    let w1 = a.iter().zip(&b).map(|(x, y)| (x - y).abs()).sum::<f64>() / n as f64;

    let k = |x: f64, y: f64| (-((x - y) * (x - y)) / (2.0 * h * h)).exp();
    let mut kxx = 0.0;
    let mut kyy = 0.0;
    let mut kxy = 0.0;
    for i in 0..n {
        for j in 0..n {
            if i != j {
                kxx += k(xs[i], xs[j]);
                kyy += k(ys[i], ys[j]);
            }
            kxy += k(xs[i], ys[j]);
        }
    }
    let nn = (n * (n - 1)) as f64;
    let mmd2 = kxx / nn + kyy / nn - 2.0 * kxy / (n * n) as f64;

    let lo = a[0].min(b[0]);
    let hi = a[n - 1].max(b[n - 1]);
    let bins = bins.max(1);
    let width = ((hi - lo) / bins as f64).max(1e-12);
    let mut hp = vec![0.0; bins];
    let mut hq = vec![0.0; bins];
    let bin = |x: f64| (((x - lo) / width) as usize).min(bins - 1);
    for &x in xs {
        hp[bin(x)] += 1.0 / n as f64;
    }
    for &y in ys {
        hq[bin(y)] += 1.0 / n as f64;
    }
    let mut tv = 0.0;
    let mut jsd = 0.0;
    let mut kl = 0.0;
    for (p, q) in hp.iter().zip(&hq) {
        tv += 0.5 * (p - q).abs();
        let m = 0.5 * (p + q);
        jsd += 0.5 * xlogx_over(*p, m) + 0.5 * xlogx_over(*q, m);
        kl += if *p > 0.0 && *q == 0.0 {
            f64::INFINITY
        } else {
            xlogx_over(*p, *q)
        };
    }
    Divergences {
        kl,
        jsd,
        tv,
        w1,
        mmd: mmd2.max(0.0).sqrt(),
    }
}

/// The demo's settings: which family, its width, the shift, the kernel bandwidth, the sample size
/// and the seed of the samples. Shared through the page link (`to_hash` / `from_hash`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// `point-mass`, `gaussian` or `uniform`.
    pub family: &'static str,
    /// Standard deviation (Gaussian) or width (uniform); ignored for point masses.
    pub width: f64,
    pub theta: f64,
    /// MMD's Gaussian kernel bandwidth.
    pub h: f64,
    /// Samples of each distribution for the estimates.
    pub n: usize,
    pub seed: u64,
}

/// The family names a link or a lesson block may use.
pub const FAMILIES: [&str; 3] = ["point-mass", "gaussian", "uniform"];
/// The shift slider's range.
pub const THETA_MAX: f64 = 10.0;

impl Default for Settings {
    fn default() -> Self {
        Settings {
            family: "gaussian",
            width: 1.0,
            theta: 2.0,
            h: 1.0,
            n: 200,
            seed: 1,
        }
    }
}

impl LinkSettings for Settings {
    const WHAT: &'static str = "divergences";
    /// `fam=gaussian&w=1&t=2&h=1&n=200&seed=1`, in this order (a promise: shared links of
    /// earlier versions must read).
    fn fields(&mut self, v: &mut dyn LinkVisitor) -> Result<(), String> {
        let family = &mut OneOf {
            value: &mut self.family,
            choices: &FAMILIES,
        };
        v.field("fam", family)?;
        v.field("w", &mut self.width)?;
        v.field("t", &mut self.theta)?;
        v.field("h", &mut self.h)?;
        v.field("n", &mut self.n)?;
        v.field("seed", &mut self.seed)
    }
    fn finish(self) -> Result<Self, String> {
        Ok(self.clamped())
    }
}

impl Settings {
    /// The settings with every number inside its range (absurd link values become the nearest
    /// sensible one, NaN the default).
    pub fn clamped(self) -> Settings {
        let d = Settings::default();
        let fix =
            |v: f64, lo: f64, hi: f64, def: f64| if v.is_nan() { def } else { v.clamp(lo, hi) };
        Settings {
            family: FAMILIES
                .iter()
                .find(|f| **f == self.family)
                .copied()
                .unwrap_or(d.family),
            width: fix(self.width, 0.05, 5.0, d.width),
            theta: fix(self.theta, 0.0, THETA_MAX, d.theta),
            h: fix(self.h, 0.05, 10.0, d.h),
            n: self.n.clamp(10, 2000),
            seed: self.seed,
        }
    }

    /// The distribution family these settings describe.
    pub fn family(&self) -> Family {
        match self.family {
            "point-mass" => Family::PointMass,
            "uniform" => Family::Uniform { w: self.width },
            _ => Family::Gaussian { s: self.width },
        }
    }

    /// (theta, exact values, gradients) at `points + 1` shifts across the slider's range.
    pub fn curves(&self, points: usize) -> Vec<(f64, Divergences, Divergences)> {
        let family = self.family();
        let points = points.max(1);
        (0..=points)
            .map(|i| {
                let t = THETA_MAX * i as f64 / points as f64;
                (t, exact(family, t, self.h), gradients(family, t, self.h))
            })
            .collect()
    }

    /// `n` samples of P and of Q_theta, from the settings' seed (the same samples for the same
    /// settings, so moving the slider moves the same points).
    pub fn samples(&self) -> (Vec<f64>, Vec<f64>) {
        let family = self.family();
        let mut rng = Rng::new(self.seed);
        let p = family.sample(self.n, 0.0, &mut rng);
        let q = family.sample(self.n, self.theta, &mut rng);
        (p, q)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const G1: Family = Family::Gaussian { s: 1.0 };
    const U1: Family = Family::Uniform { w: 1.0 };

    #[test]
    fn normal_cdf_matches_known_values() {
        assert!((normal_cdf(0.0) - 0.5).abs() < 1e-15);
        assert!((normal_cdf(1.0) - 0.841_344_746_068_542_9).abs() < 1e-12);
        assert!((normal_cdf(-3.0) - 0.001_349_898_031_630_094_6).abs() < 1e-14);
        // The tail keeps its relative accuracy (1 - cdf would cancel).
        let tail = 0.5 * erfc(5.0 / std::f64::consts::SQRT_2);
        assert!(
            (tail / 2.866_515_718_791_939e-7 - 1.0).abs() < 1e-10,
            "{tail}"
        );
    }

    #[test]
    fn every_divergence_is_zero_without_a_shift() {
        for f in [Family::PointMass, G1, U1] {
            let d = exact(f, 0.0, 1.0);
            assert!(
                d.kl.abs() < 1e-12 && d.tv.abs() < 1e-12 && d.w1 == 0.0,
                "{f:?}: {d:?}"
            );
            assert!(d.jsd.abs() < 1e-9 && d.mmd.abs() < 1e-6, "{f:?}: {d:?}");
        }
    }

    #[test]
    fn jsd_sticks_at_log2_with_zero_gradient_once_supports_separate_while_w1_grows_linearly() {
        // The claim of cards 31-34, at separation 10 (the issue's quality bar). Disjoint
        // supports: JSD is exactly log 2 with a zero gradient.
        for f in [Family::PointMass, U1] {
            let d = exact(f, 10.0, 1.0);
            let g = gradients(f, 10.0, 1.0);
            assert!((d.jsd - LN2).abs() < 1e-12, "{f:?}: JSD {}", d.jsd);
            assert!(g.jsd.abs() < 1e-6, "{f:?}: JSD gradient {}", g.jsd);
            assert!((d.w1 - 10.0).abs() < 1e-12 && (g.w1 - 1.0).abs() < 1e-12);
        }
        // Unit Gaussians overlap a little everywhere: at 10 standard deviations the gradient is
        // ~2e-6 (about phi(5)), and it keeps vanishing as they part, while W1's stays 1.
        let g10 = gradients(G1, 10.0, 1.0);
        let g14 = gradients(G1, 14.0, 1.0);
        assert!(g10.jsd > 0.0 && g10.jsd < 1e-5, "{}", g10.jsd);
        assert!(g14.jsd.abs() < 1e-7, "{}", g14.jsd);
        assert!((exact(G1, 14.0, 1.0).jsd - LN2).abs() < 1e-9);
        assert!((g14.w1 - 1.0).abs() < 1e-12);
        // W1 is linear: doubling the shift doubles it.
        assert_eq!(exact(G1, 6.0, 1.0).w1, 2.0 * exact(G1, 3.0, 1.0).w1);
    }

    #[test]
    fn tv_is_stuck_at_one_for_disjoint_supports_although_it_is_an_ipm() {
        for theta in [1.0, 2.0, 5.0] {
            assert!((exact(U1, theta, 1.0).tv - 1.0).abs() < 1e-12);
            assert!(gradients(U1, theta + 0.5, 1.0).tv.abs() < 1e-9);
        }
        // Overlapping uniforms: TV equals the part that does not overlap.
        assert!((exact(U1, 0.25, 1.0).tv - 0.25).abs() < 1e-12);
    }

    #[test]
    fn mmd_with_a_fixed_kernel_flattens_once_the_shift_is_many_bandwidths() {
        let h = 1.0;
        let near = gradients(Family::PointMass, 1.0, h).mmd;
        let far = gradients(Family::PointMass, 8.0, h).mmd;
        assert!(near > 0.3, "a useful gradient nearby: {near}");
        assert!(
            far.abs() < 1e-6,
            "vanishing gradient 8 bandwidths away: {far}"
        );
        // And it saturates at sqrt(2) for point masses.
        assert!((exact(Family::PointMass, 20.0, h).mmd - 2f64.sqrt()).abs() < 1e-9);
        // A wider kernel keeps the gradient alive at the same shift: why MMD-GAN learns its kernel.
        assert!(gradients(Family::PointMass, 8.0, 8.0).mmd > 0.01);
    }

    #[test]
    fn gaussian_closed_forms_agree_with_numerical_integration() {
        // KL of shifted unit Gaussians is theta^2 / 2; TV is 2 Phi(theta / 2) - 1.
        let d = exact(G1, 1.0, 1.0);
        assert!((d.kl - 0.5).abs() < 1e-12);
        let tv_num = simpson(-12.0, 13.0, 20000, |x| {
            0.5 * (G1.pdf(x) - G1.pdf(x - 1.0)).abs()
        });
        assert!((d.tv - tv_num).abs() < 1e-6, "{} vs {tv_num}", d.tv);
        // MMD closed form against the integral definition E k(X,X') + E k(Y,Y') - 2 E k(X,Y).
        let h: f64 = 0.7;
        let ek = |shift: f64| {
            simpson(-12.0, 12.0, 6000, |x| {
                G1.pdf(x)
                    * simpson(-12.0 + shift, 12.0 + shift, 600, |y| {
                        G1.pdf(y - shift) * (-((x - y) * (x - y)) / (2.0 * h * h)).exp()
                    })
            })
        };
        let mmd_num = (2.0 * ek(0.0) - 2.0 * ek(1.0)).sqrt();
        assert!((exact(G1, 1.0, h).mmd - mmd_num).abs() < 1e-4, "{mmd_num}");
    }

    #[test]
    fn uniform_mmd_integral_matches_the_point_mass_limit_for_narrow_uniforms() {
        let narrow = Family::Uniform { w: 1e-3 };
        let a = exact(narrow, 2.0, 1.0).mmd;
        let b = exact(Family::PointMass, 2.0, 1.0).mmd;
        assert!((a - b).abs() < 1e-4, "{a} vs {b}");
    }

    #[test]
    fn analytic_gradients_match_central_differences() {
        for theta in [-2.0, 0.3, 1.7] {
            let g = gradients(G1, theta, 1.0);
            let eps = 1e-5;
            let kl_fd =
                (exact(G1, theta + eps, 1.0).kl - exact(G1, theta - eps, 1.0).kl) / (2.0 * eps);
            let w1_fd =
                (exact(G1, theta + eps, 1.0).w1 - exact(G1, theta - eps, 1.0).w1) / (2.0 * eps);
            assert!((g.kl - kl_fd).abs() < 1e-6, "{} vs {kl_fd}", g.kl);
            assert!((g.w1 - w1_fd).abs() < 1e-6, "{} vs {w1_fd}", g.w1);
        }
    }

    #[test]
    fn sample_estimates_converge_to_the_exact_values() {
        let mut rng = Rng::new(7);
        let xs = G1.sample(800, 0.0, &mut rng);
        let ys = G1.sample(800, 1.5, &mut rng);
        let est = estimate(&xs, &ys, 1.0, 30);
        let ex = exact(G1, 1.5, 1.0);
        assert!((est.w1 - ex.w1).abs() < 0.15, "W1 {} vs {}", est.w1, ex.w1);
        assert!(
            (est.mmd - ex.mmd).abs() < 0.08,
            "MMD {} vs {}",
            est.mmd,
            ex.mmd
        );
        assert!((est.tv - ex.tv).abs() < 0.1, "TV {} vs {}", est.tv, ex.tv);
        assert!(
            (est.jsd - ex.jsd).abs() < 0.06,
            "JSD {} vs {}",
            est.jsd,
            ex.jsd
        );
        // Disjoint samples: histogram KL is infinite, JSD is log 2, TV is 1.
        let far = G1.sample(200, 50.0, &mut rng);
        let d = estimate(&xs[..200], &far, 1.0, 30);
        assert!(d.kl.is_infinite() && (d.jsd - LN2).abs() < 1e-12 && (d.tv - 1.0).abs() < 1e-12);
    }

    #[test]
    fn settings_round_trip_through_the_link_and_absurd_values_are_clamped() {
        let s = Settings {
            family: "uniform",
            width: 0.5,
            theta: 7.25,
            h: 2.0,
            n: 300,
            seed: 9,
        };
        assert_eq!(Settings::from_hash(&s.to_hash()).expect("reads"), s);
        let wild = Settings::from_hash("fam=point-mass&t=1e300&h=-4&n=99999999").expect("reads");
        assert_eq!(wild.theta, THETA_MAX);
        assert_eq!(wild.h, 0.05);
        assert_eq!(wild.n, 2000);
        assert_eq!(
            Settings::from_hash("fam=cauchy").map_err(|e| e.to_string()),
            Err(
                "could not read the settings from the link (`fam=cauchy`: expected point-mass, \
                 gaussian or uniform); the defaults are safe to use"
                    .to_string()
            )
        );
        assert!(Settings::from_hash("t=abc").is_err());
        assert!(Settings::from_hash("w=nan").is_err());
        // A frozen link of this version keeps meaning the same settings.
        let frozen = Settings::from_hash("fam=gaussian&w=1&t=2&h=1&n=200&seed=1").expect("reads");
        assert_eq!(frozen, Settings::default());
    }

    #[test]
    fn the_same_settings_give_the_same_samples() {
        let s = Settings::default();
        assert_eq!(s.samples(), s.samples());
        let (p, q) = s.samples();
        assert_eq!((p.len(), q.len()), (200, 200));
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
        assert!((mean(&q) - mean(&p) - 2.0).abs() < 0.3);
    }
}
