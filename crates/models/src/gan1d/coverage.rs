//! What the plots and readouts show: p* on the grid, the KDE, mode coverage, the JS
//! divergence, and the view.

use super::*;

/// What the plots and metrics compare against, per config: the grid, p* on it, and p*'s mass
/// in each JS bin (grid bins plus one overflow bin on each side).
#[derive(Debug, Clone)]
pub(super) struct Target {
    grid: Vec<f32>,
    bin_width: f32,
    real_density: Vec<f32>,
    p_bins: Vec<f64>,
    p_total: f64,
}

impl Target {
    pub(super) fn new(c: &Config) -> Target {
        let (lo, hi) = c.grid_range();
        let nb = GRID_POINTS;
        let w = (hi - lo) / nb as f32;
        let grid: Vec<f32> = (0..nb).map(|j| lo + (j as f32 + 0.5) * w).collect();
        let real_density = grid.iter().map(|&x| c.real_density(x)).collect();
        let mut p = vec![0.0f64; nb + 2];
        for (j, pj) in p.iter_mut().enumerate().skip(1).take(nb) {
            let left = lo + (j - 1) as f32 * w;
            let mut s = 0.0f64;
            for m in 0..8 {
                s += c.real_density(left + (m as f32 + 0.5) * w / 8.0) as f64;
            }
            *pj = s * w as f64 / 8.0;
        }
        let inside: f64 = p.iter().sum();
        // The mixture is symmetric about 0, so the outside mass splits evenly.
        let outside = (1.0 - inside).max(0.0);
        p[0] = outside / 2.0;
        p[nb + 1] = outside / 2.0;
        let p_total = p.iter().sum();
        Target {
            grid,
            bin_width: w,
            real_density,
            p_bins: p,
            p_total,
        }
    }
}

/// Gaussian kernel density estimate on a uniform grid from bin counts: a convolution with the
/// kernel sampled at whole-bin offsets (the grid is uniform, so the weight depends only on the
/// offset), truncated at 6 bandwidths. `counts[j]` are the samples in grid bin j, `h` the
/// bandwidth, `w` the bin width, `n` the total sample count (including out-of-range ones).
pub(super) fn binned_kde(counts: &[f32], h: f32, w: f32, n: f32) -> Vec<f32> {
    let norm = 1.0 / ((2.0 * std::f32::consts::PI).sqrt() * h * n);
    let reach = ((6.0 * h / w).ceil() as usize).min(counts.len());
    let kernel: Vec<f32> = (0..=reach)
        .map(|o| {
            let d = o as f32 * w / h;
            (-0.5 * d * d).exp() * norm
        })
        .collect();
    let nb = counts.len();
    let mut out = vec![0.0f32; nb];
    for (j, &cnt) in counts.iter().enumerate() {
        if cnt == 0.0 {
            continue;
        }
        let from = j.saturating_sub(reach);
        let to = (j + reach).min(nb - 1);
        for (i, o) in out.iter_mut().enumerate().take(to + 1).skip(from) {
            *o += cnt * kernel[i.abs_diff(j)];
        }
    }
    out
}

impl Gan1d {
    /// Generator samples G(z) for the fixed evaluation noise (EVAL_SAMPLES of them).
    pub fn eval_samples(&self) -> Vec<f32> {
        let (y, _) = self.g.forward(self.eval_z.view());
        y.iter().copied().collect()
    }

    /// Fresh generator samples G(z) for the given noise (shape (n, 1)).
    pub fn generate(&self, z: ArrayView2<'_, f32>) -> Vec<f32> {
        let (y, _) = self.g.forward(z);
        y.iter().copied().collect()
    }

    /// Metrics on the fixed evaluation batch.
    ///
    /// Mode coverage rule, by mass: each generated sample is assigned to the nearest mode mean,
    /// and counts for it only if it lies within [`CAPTURE_STDS`] (2) std of that mean; a mode is
    /// captured when its count reaches [`CAPTURE_FRACTION`] (50%) of its fair share N/K.
    /// (Samples from p* itself capture every separated mode with ~95% of the fair share, a
    /// uniform smear over the modes' range with ~4 std / spacing of it; modes closer than
    /// ~4 std overlap and, at spacing 0, are indistinguishable: all samples go to the first.)
    ///
    /// JS divergence: both distributions are binned on the view grid plus one overflow bin on
    /// each side; p*'s bin masses are integrated (8-point midpoint rule). In nats. With 4096
    /// samples, a perfect generator still scores ~0.01-0.03 nats of sampling noise.
    pub fn metrics(&self) -> Metrics {
        if let Some(m) = self.memo.get(self.step) {
            return m;
        }
        let m = self.metrics_from(&self.eval_samples());
        self.memo.set(self.step, &m);
        m
    }

    pub(super) fn metrics_from(&self, xs: &[f32]) -> Metrics {
        let c = &self.config;
        let k = c.modes;
        let mut counts = vec![0usize; k];
        let mut on_mode = 0usize;
        for &x in xs {
            let mut best = (f32::INFINITY, 0usize);
            for i in 0..k {
                let d = (x - c.mode_mean(i)).abs();
                if d < best.0 {
                    best = (d, i);
                }
            }
            if best.0 <= CAPTURE_STDS * c.std {
                counts[best.1] += 1;
                on_mode += 1;
            }
        }
        let n = xs.len().max(1) as f64;
        let fair = n / k as f64;
        let modes_captured = counts
            .iter()
            .filter(|&&cnt| cnt as f64 >= CAPTURE_FRACTION * fair)
            .count();
        let mode_share = counts
            .iter()
            .map(|&cnt| (cnt as f64 / fair) as f32)
            .collect();
        // JS divergence on GRID_POINTS bins + 2 overflow bins.
        let t = &self.target;
        let (lo, _) = c.grid_range();
        let nb = GRID_POINTS;
        let mut q = vec![0.0f64; nb + 2];
        for &x in xs {
            q[bin_index(x, lo, t.bin_width, nb)] += 1.0;
        }
        let js = js_divergence(&t.p_bins, t.p_total, &q, n);
        Metrics {
            modes_captured,
            mode_share,
            modes_total: k,
            on_mode_fraction: (on_mode as f64 / n) as f32,
            js_nats: js as f32,
        }
    }

    /// Computes all plot data: densities, D, D*, curves and metrics (cost ~ one forward pass of
    /// G on EVAL_SAMPLES plus a KDE on the grid: call it per frame, not per step).
    pub fn view(&self) -> Gan1dView {
        let c = &self.config;
        let t = &self.target;
        let (lo, _) = c.grid_range();
        let nb = GRID_POINTS;
        let w = t.bin_width;
        let grid = t.grid.clone();
        let real_density = t.real_density.clone();
        let xs = self.eval_samples();
        let n = xs.len().max(1) as f32;
        let mut counts = vec![0.0f32; nb + 2];
        for &x in &xs {
            counts[bin_index(x, lo, w, nb)] += 1.0;
        }
        let gen_hist: Vec<f32> = counts[1..=nb].iter().map(|&cnt| cnt / (n * w)).collect();
        // Binned KDE: each in-range bin's count spread as a Gaussian from its centre. The
        // bandwidth follows the data's mode width, so q and p* are compared at the same scale.
        let h = (0.5 * c.std).max(w);
        let gen_kde = binned_kde(&counts[1..=nb], h, w, n);
        let grid_arr = Array2::from_shape_fn((nb, 1), |(j, _)| grid[j]);
        let (a, _) = self.d.forward(grid_arr.view());
        let logit_grid: Vec<f32> = a.iter().copied().collect();
        let d_grid: Vec<f32> = match c.loss {
            LossKind::Minimax | LossKind::NonSaturating | LossKind::Hinge => {
                logit_grid.iter().map(|&v| sigmoid(v)).collect()
            }
            LossKind::LeastSquares => logit_grid.iter().map(|&v| v.clamp(0.0, 1.0)).collect(),
            LossKind::WganGp => {
                let (mn, mx) = logit_grid
                    .iter()
                    .fold((f32::INFINITY, f32::NEG_INFINITY), |(a, b), &v| {
                        (a.min(v), b.max(v))
                    });
                let span = mx - mn;
                logit_grid
                    .iter()
                    .map(|&v| {
                        if span > 0.0 && span.is_finite() {
                            (v - mn) / span
                        } else {
                            0.5
                        }
                    })
                    .collect()
            }
        };
        let d_star = real_density
            .iter()
            .zip(&gen_kde)
            .map(|(&p, &q)| if p + q > 1e-12 { p / (p + q) } else { 0.5 })
            .collect();
        Gan1dView {
            step: self.step,
            diverged: self.diverged.as_ref().map(|e| e.to_string()),
            loss: c.loss,
            grid,
            bin_width: w,
            real_density,
            gen_hist,
            gen_kde,
            kde_bandwidth: h,
            d_grid,
            logit_grid,
            d_star,
            d_star_applies: matches!(
                c.loss,
                LossKind::Minimax | LossKind::NonSaturating | LossKind::LeastSquares
            ),
            histories: self.hist.clone(),
            metrics: {
                let m = self.metrics_from(&xs);
                self.memo.set(self.step, &m);
                m
            },
        }
    }
}

/// Bin of x among `nb` bins of width `w` starting at `lo`, with 0 / nb+1 the overflow bins
/// (NaN goes to the right overflow).
pub(super) fn bin_index(x: f32, lo: f32, w: f32, nb: usize) -> usize {
    let f = (x - lo) / w;
    if f < 0.0 {
        0
    } else if f < nb as f32 {
        (f as usize).min(nb - 1) + 1
    } else {
        nb + 1
    }
}

/// JS(P, Q) = 1/2 KL(P || M) + 1/2 KL(Q || M), M = (P + Q) / 2, in nats, from unnormalised
/// masses `p` (total `ptot`) and `q` (total `qtot`).
pub(super) fn js_divergence(p: &[f64], ptot: f64, q: &[f64], qtot: f64) -> f64 {
    let mut js = 0.0;
    for (&pi, &qi) in p.iter().zip(q) {
        let (pi, qi) = (pi / ptot, qi / qtot);
        let m = 0.5 * (pi + qi);
        if pi > 0.0 {
            js += 0.5 * pi * (pi / m).ln();
        }
        if qi > 0.0 {
            js += 0.5 * qi * (qi / m).ln();
        }
    }
    js.max(0.0)
}
