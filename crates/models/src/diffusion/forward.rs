//! The forward (noising) process on point sets, two ways, and the posterior q(x_{t-1} | x_t, x_0).

use super::schedule::Schedule;
use gentutor_rng::Rng;
use ndarray::{Array2, ArrayView2};

/// Mean vector and covariance matrix of a 2D point set (population covariance, f64).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stats2 {
    /// Mean (E[x], E[y]).
    pub mean: [f64; 2],
    /// Covariance [[var x, cov xy], [cov xy, var y]].
    pub cov: [[f64; 2]; 2],
}

/// Mean and covariance of the first two columns of `points` (n, d >= 2). Missing columns count
/// as zeros; an empty set gives zeros.
pub fn stats2(points: ArrayView2<'_, f32>) -> Stats2 {
    let n = points.nrows();
    let get = |r: &ndarray::ArrayView1<'_, f32>, c: usize| r.get(c).copied().unwrap_or(0.0) as f64;
    if n == 0 {
        return Stats2 {
            mean: [0.0; 2],
            cov: [[0.0; 2]; 2],
        };
    }
    let mut m = [0.0f64; 2];
    for r in points.rows() {
        m[0] += get(&r, 0);
        m[1] += get(&r, 1);
    }
    m[0] /= n as f64;
    m[1] /= n as f64;
    let mut c = [[0.0f64; 2]; 2];
    for r in points.rows() {
        let d = [get(&r, 0) - m[0], get(&r, 1) - m[1]];
        for i in 0..2 {
            for j in 0..2 {
                c[i][j] += d[i] * d[j];
            }
        }
    }
    for row in &mut c {
        for v in row.iter_mut() {
            *v /= n as f64;
        }
    }
    Stats2 { mean: m, cov: c }
}

/// Closed form x_t ~ q(x_t | x_0) = N(sqrt(alpha_bar_t) x_0, (1 - alpha_bar_t) I):
/// ```text
/// x_t = sqrt(alpha_bar_t) x_0 + sqrt(1 - alpha_bar_t) eps,  eps ~ N(0, I)     x_0, x_t: (n, d)
/// ```
/// t is clamped to 0..=T (t = 0 returns x_0).
pub fn q_sample(
    schedule: &Schedule,
    x0: ArrayView2<'_, f32>,
    t: usize,
    rng: &mut Rng,
) -> Array2<f32> {
    let ab = schedule.alpha_bar(t);
    let (a, s) = (ab.sqrt() as f32, (1.0 - ab).max(0.0).sqrt() as f32);
    let mut out = x0.to_owned();
    for v in out.iter_mut() {
        *v = a * *v + s * rng.normal_f32();
    }
    out
}

/// The same distribution by running the Markov chain t times (accumulated in f64):
/// ```text
/// x_s = sqrt(1 - beta_s) x_{s-1} + sqrt(beta_s) eps_s,  s = 1..t                 x_s: (n, d)
/// ```
/// Cost O(n d t): the closed form is what makes training cheap.
pub fn q_sample_iterated(
    schedule: &Schedule,
    x0: ArrayView2<'_, f32>,
    t: usize,
    rng: &mut Rng,
) -> Array2<f32> {
    let t = t.min(schedule.steps());
    let coefs: Vec<(f64, f64)> = (1..=t)
        .map(|s| {
            let b = schedule.beta(s);
            ((1.0 - b).sqrt(), b.sqrt())
        })
        .collect();
    let mut out = x0.to_owned();
    for v in out.iter_mut() {
        let mut x = *v as f64;
        for &(a, s) in &coefs {
            x = a * x + s * rng.normal_f32() as f64;
        }
        *v = x as f32;
    }
    out
}

/// Both forward samplers side by side at one t, with their statistics and the theory's.
#[derive(Debug, Clone, PartialEq)]
pub struct ForwardComparison {
    /// The timestep (clamped to 0..=T).
    pub t: usize,
    /// x_t by the closed form, (n, 2).
    pub closed: Array2<f32>,
    /// x_t by iterating the chain, (n, 2).
    pub iterated: Array2<f32>,
    /// Statistics of `closed`.
    pub closed_stats: Stats2,
    /// Statistics of `iterated`.
    pub iterated_stats: Stats2,
    /// What both should approach: mean sqrt(alpha_bar_t) m_0, covariance alpha_bar_t C_0 + (1 - alpha_bar_t) I,
    /// from the statistics (m_0, C_0) of x_0.
    pub theory: Stats2,
}

/// Runs both forward samplers from the same x_0 (n, 2) with independent noise streams derived
/// from `seed`.
pub fn compare_forward(
    schedule: &Schedule,
    x0: ArrayView2<'_, f32>,
    t: usize,
    seed: u64,
) -> ForwardComparison {
    let t = t.min(schedule.steps());
    let root = Rng::new(seed);
    let closed = q_sample(schedule, x0, t, &mut root.fork(1));
    let iterated = q_sample_iterated(schedule, x0, t, &mut root.fork(2));
    let s0 = stats2(x0);
    let ab = schedule.alpha_bar(t);
    let mut theory = s0;
    for i in 0..2 {
        theory.mean[i] = ab.sqrt() * s0.mean[i];
        for j in 0..2 {
            theory.cov[i][j] = ab * s0.cov[i][j] + if i == j { 1.0 - ab } else { 0.0 };
        }
    }
    ForwardComparison {
        t,
        closed_stats: stats2(closed.view()),
        iterated_stats: stats2(iterated.view()),
        closed,
        iterated,
        theory,
    }
}

/// Coefficients (c_0, c_t) of the posterior mean tilde_mu_t = c_0 x_0 + c_t x_t, t in 1..=T (clamped):
/// ```text
/// c_0 = sqrt(alpha_bar_{t-1}) beta_t / (1 - alpha_bar_t)
/// c_t = sqrt(alpha_t) (1 - alpha_bar_{t-1}) / (1 - alpha_bar_t)
/// ```
pub fn posterior_coefs(schedule: &Schedule, t: usize) -> (f64, f64) {
    let t = t.clamp(1, schedule.steps());
    let ab = schedule.alpha_bar(t);
    let ab_prev = schedule.alpha_bar(t - 1);
    let beta = schedule.beta(t);
    let denom = 1.0 - ab;
    (
        ab_prev.sqrt() * beta / denom,
        schedule.alpha(t).sqrt() * (1.0 - ab_prev) / denom,
    )
}

/// Posterior mean tilde_mu_t(x_t, x_0) of q(x_{t-1} | x_t, x_0), per coordinate.
pub fn posterior_mean(schedule: &Schedule, t: usize, x0: f64, xt: f64) -> f64 {
    let (c0, ct) = posterior_coefs(schedule, t);
    c0 * x0 + ct * xt
}

/// The same mean written with the noise eps that produced x_t = sqrt(alpha_bar_t) x_0 + sqrt(1 - alpha_bar_t) eps:
/// ```text
/// tilde_mu_t = 1/sqrt(alpha_t) (x_t - beta_t / sqrt(1 - alpha_bar_t) eps)
/// ```
/// This is the form the sampler uses with eps replaced by eps_theta(x_t, t).
pub fn posterior_mean_from_eps(schedule: &Schedule, t: usize, xt: f64, eps: f64) -> f64 {
    let t = t.clamp(1, schedule.steps());
    let ab = schedule.alpha_bar(t);
    (xt - schedule.beta(t) / (1.0 - ab).sqrt() * eps) / schedule.alpha(t).sqrt()
}

/// Posterior variance tilde_beta_t = (1 - alpha_bar_{t-1}) / (1 - alpha_bar_t) beta_t.
pub fn posterior_variance(schedule: &Schedule, t: usize) -> f64 {
    schedule.tilde_beta(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diffusion::{sample_data, Dataset2d};

    #[test]
    fn closed_form_and_iteration_agree() {
        let n = 20_000;
        let x0 = sample_data(&Dataset2d::TwoMoons, n, &mut Rng::new(3)).expect("data");
        for (sched, ts) in [
            (
                Schedule::linear(1000).expect("valid"),
                &[1, 50, 300, 1000][..],
            ),
            (Schedule::cosine(1000).expect("valid"), &[10, 500][..]),
        ] {
            for &t in ts {
                let c = compare_forward(&sched, x0.view(), t, 77 + t as u64);
                let ab = sched.alpha_bar(t);
                // Mean: both estimates share x_0, so they differ by noise averages with
                // std sqrt(2 (1 - alpha_bar) / n) <= 0.01; tolerance 0.05 (5 sigma).
                // Covariance: sampling error of a (co)variance ~ sqrt(2/n) * scale ~ 0.01 * scale;
                // tolerance 0.06 * (1 + |theory|).
                for (name, s) in [("closed", c.closed_stats), ("iterated", c.iterated_stats)] {
                    for i in 0..2 {
                        assert!(
                            (s.mean[i] - c.theory.mean[i]).abs() < 0.05,
                            "{:?} t={t} {name} mean {i}: {} vs {}",
                            sched.kind(),
                            s.mean[i],
                            c.theory.mean[i]
                        );
                        for j in 0..2 {
                            let th = c.theory.cov[i][j];
                            assert!(
                                (s.cov[i][j] - th).abs() < 0.06 * (1.0 + th.abs()),
                                "{:?} t={t} {name} cov {i}{j}: {} vs {th} (ab {ab})",
                                sched.kind(),
                                s.cov[i][j]
                            );
                        }
                    }
                }
                for i in 0..2 {
                    assert!((c.closed_stats.mean[i] - c.iterated_stats.mean[i]).abs() < 0.05);
                    for j in 0..2 {
                        let d = c.closed_stats.cov[i][j] - c.iterated_stats.cov[i][j];
                        assert!(d.abs() < 0.06 * (1.0 + c.theory.cov[i][j].abs()));
                    }
                }
            }
        }
    }

    #[test]
    fn forward_at_t0_is_identity_and_at_t_is_noise() {
        let x0 = sample_data(&Dataset2d::EightGaussians, 5000, &mut Rng::new(1)).expect("data");
        let s = Schedule::linear(1000).expect("valid");
        let c = compare_forward(&s, x0.view(), 0, 1);
        assert_eq!(c.closed, x0);
        assert_eq!(c.iterated, x0);
        // Beyond T is clamped to T; there the data is gone: mean ~ 0, cov ~ I.
        let c = compare_forward(&s, x0.view(), 5000, 2);
        assert_eq!(c.t, 1000);
        for st in [c.closed_stats, c.iterated_stats] {
            assert!(st.mean[0].abs() < 0.07 && st.mean[1].abs() < 0.07);
            assert!((st.cov[0][0] - 1.0).abs() < 0.08 && (st.cov[1][1] - 1.0).abs() < 0.08);
            assert!(st.cov[0][1].abs() < 0.06);
        }
    }

    #[test]
    fn posterior_mean_equals_its_eps_form() {
        let mut rng = Rng::new(5);
        for sched in [
            Schedule::linear(1000).expect("valid"),
            Schedule::cosine(1000).expect("valid"),
            Schedule::custom(50, 0.2, 0.01).expect("valid"),
        ] {
            for t in [1, 2, 7, 25, 50, 999, 1000] {
                let t = t.min(sched.steps());
                for _ in 0..20 {
                    let x0 = 2.0 * rng.uniform_f64() - 1.0;
                    let eps = rng.normal_f32() as f64;
                    let ab = sched.alpha_bar(t);
                    let xt = ab.sqrt() * x0 + (1.0 - ab).sqrt() * eps;
                    let a = posterior_mean(&sched, t, x0, xt);
                    let b = posterior_mean_from_eps(&sched, t, xt, eps);
                    assert!((a - b).abs() < 1e-9, "t={t}: {a} vs {b}");
                }
            }
            // At t = 1 the posterior is a point mass on x_0.
            assert!((posterior_mean(&sched, 1, 0.3, -2.0) - 0.3).abs() < 1e-12);
            assert_eq!(posterior_variance(&sched, 1), 0.0);
            // tilde_beta_t <= beta_t.
            for t in 1..=sched.steps() {
                assert!(posterior_variance(&sched, t) <= sched.beta(t) + 1e-15);
            }
        }
    }
}
