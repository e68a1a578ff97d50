//! Sample quality as a number: distances between a model sample q_theta and data p*.
//!
//! Both are O(n^2) in the number of points, so at most [`MAX_METRIC_POINTS`] of each set are used.

use ndarray::ArrayView2;

/// Points of each set used by the metrics (the first ones; the sets are i.i.d. so this is fair).
pub const MAX_METRIC_POINTS: usize = 2000;
/// Points of each set used for the median-heuristic bandwidth.
pub const MEDIAN_POINTS: usize = 300;

/// Finite rows of the first two columns, at most `cap` of them.
fn rows(a: ArrayView2<'_, f32>, cap: usize) -> Vec<[f64; 2]> {
    a.rows()
        .into_iter()
        .filter_map(|r| {
            let x = *r.get(0)? as f64;
            let y = r.get(1).copied().unwrap_or(0.0) as f64;
            (x.is_finite() && y.is_finite()).then_some([x, y])
        })
        .take(cap)
        .collect()
}

fn dist(a: [f64; 2], b: [f64; 2]) -> f64 {
    (a[0] - b[0]).hypot(a[1] - b[1])
}

/// Mean of k(a_i, b_j) over all pairs, or over i != j when `same` (a U-statistic).
fn mean_pairs(a: &[[f64; 2]], b: &[[f64; 2]], same: bool, k: impl Fn(f64) -> f64) -> f64 {
    let mut s = 0.0;
    let mut n = 0usize;
    for (i, &p) in a.iter().enumerate() {
        for (j, &q) in b.iter().enumerate() {
            if same && i == j {
                continue;
            }
            s += k(dist(p, q));
            n += 1;
        }
    }
    if n == 0 {
        0.0
    } else {
        s / n as f64
    }
}

/// Energy distance between the 2D point sets `x` ~ q and `y` ~ p (n, 2):
/// ```text
/// D^2 = 2 E||X - Y|| - E||X - X'|| - E||Y - Y'||   (>= 0, = 0 iff q = p)
/// ```
/// Within-set terms exclude i = j (unbiased). NaN if either set has fewer than 2 finite points.
pub fn energy_distance(x: ArrayView2<'_, f32>, y: ArrayView2<'_, f32>) -> f64 {
    let (a, b) = (rows(x, MAX_METRIC_POINTS), rows(y, MAX_METRIC_POINTS));
    if a.len() < 2 || b.len() < 2 {
        return f64::NAN;
    }
    2.0 * mean_pairs(&a, &b, false, |d| d)
        - mean_pairs(&a, &a, true, |d| d)
        - mean_pairs(&b, &b, true, |d| d)
}

/// Median of the pairwise distances within the pooled first [`MEDIAN_POINTS`] of each set.
fn median_bandwidth(a: &[[f64; 2]], b: &[[f64; 2]]) -> f64 {
    let pool: Vec<[f64; 2]> = a
        .iter()
        .take(MEDIAN_POINTS)
        .chain(b.iter().take(MEDIAN_POINTS))
        .copied()
        .collect();
    let mut d: Vec<f64> = Vec::with_capacity(pool.len() * pool.len() / 2);
    for (i, &p) in pool.iter().enumerate() {
        for &q in pool.iter().skip(i + 1) {
            d.push(dist(p, q));
        }
    }
    if d.is_empty() {
        return 1.0;
    }
    let mid = d.len() / 2;
    d.select_nth_unstable_by(mid, f64::total_cmp);
    let h = d.get(mid).copied().unwrap_or(1.0);
    if h > 0.0 {
        h
    } else {
        1.0
    }
}

/// Squared maximum mean discrepancy with a Gaussian kernel k(a, b) = exp(-||a - b||^2 / (2 h^2)),
/// h = median pairwise distance of the pooled sets (median heuristic), unbiased estimate:
/// ```text
/// MMD^2 = E k(X, X') + E k(Y, Y') - 2 E k(X, Y)
/// ```
/// Returns (MMD^2, h). NaN if either set has fewer than 2 finite points.
pub fn mmd2(x: ArrayView2<'_, f32>, y: ArrayView2<'_, f32>) -> (f64, f64) {
    let (a, b) = (rows(x, MAX_METRIC_POINTS), rows(y, MAX_METRIC_POINTS));
    if a.len() < 2 || b.len() < 2 {
        return (f64::NAN, f64::NAN);
    }
    let h = median_bandwidth(&a, &b);
    let g = -0.5 / (h * h);
    let k = |d: f64| (g * d * d).exp();
    (
        mean_pairs(&a, &a, true, k) + mean_pairs(&b, &b, true, k)
            - 2.0 * mean_pairs(&a, &b, false, k),
        h,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diffusion::{sample_data, Dataset2d};
    use gentutor_rng::Rng;
    use ndarray::Array2;

    #[test]
    fn distances_separate_same_from_different() {
        let p1 = sample_data(&Dataset2d::TwoMoons, 800, &mut Rng::new(1)).expect("data");
        let p2 = sample_data(&Dataset2d::TwoMoons, 800, &mut Rng::new(2)).expect("data");
        let mut noise = Array2::zeros((800, 2));
        Rng::new(3).fill_normal(noise.view_mut());
        let same = energy_distance(p1.view(), p2.view());
        let diff = energy_distance(p1.view(), noise.view());
        // Two samples of the same law: E ~ O(1/n); against N(0, I): order 0.1 or more.
        assert!(same.abs() < 0.01, "same {same}");
        assert!(
            diff > 10.0 * same.abs().max(1e-3),
            "diff {diff} same {same}"
        );
        let (m_same, h) = mmd2(p1.view(), p2.view());
        let (m_diff, _) = mmd2(p1.view(), noise.view());
        assert!(h > 0.1 && h < 5.0);
        assert!(m_same.abs() < 0.005 && m_diff > 10.0 * m_same.abs().max(1e-4));
        // Symmetric.
        let back = energy_distance(noise.view(), p1.view());
        assert!((back - diff).abs() < 1e-9);
        // Degenerate inputs: NaN, not a panic; NaN rows are skipped.
        let empty = Array2::<f32>::zeros((0, 2));
        assert!(energy_distance(empty.view(), p1.view()).is_nan());
        assert!(mmd2(p1.view(), empty.view()).0.is_nan());
        let mut with_nan = p2.clone();
        with_nan[[0, 0]] = f32::NAN;
        assert!(energy_distance(p1.view(), with_nan.view()).is_finite());
    }
}
