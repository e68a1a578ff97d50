//! A training curve kept at bounded size, shared by the demos' loss plots.

use serde::{Deserialize, Serialize};

/// Points kept in a history before it is halved by averaging neighbours.
pub const HISTORY_CAP: usize = 2000;

/// A curve kept at bounded size: consecutive values are averaged in windows of `stride` steps;
/// when `HISTORY_CAP` points are stored, neighbours are averaged pairwise and the stride doubles.
/// So the whole run stays visible, ever more coarsely, in O(cap) memory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct History {
    stride: u64,
    acc: f64,
    acc_n: u64,
    points: Vec<[f32; 2]>,
}

impl Default for History {
    fn default() -> Self {
        History {
            stride: 1,
            acc: 0.0,
            acc_n: 0,
            points: Vec::new(),
        }
    }
}

impl History {
    /// Records the value of training step `step`.
    pub fn push(&mut self, step: u64, v: f64) {
        self.acc += v;
        // Saturating: the pending count also comes from saved worker bytes.
        self.acc_n = self.acc_n.saturating_add(1);
        if self.acc_n >= self.stride {
            self.points
                .push([step as f32, (self.acc / self.acc_n as f64) as f32]);
            self.acc = 0.0;
            self.acc_n = 0;
            if self.points.len() >= HISTORY_CAP {
                self.points = self
                    .points
                    .chunks(2)
                    .map(|c| {
                        let n = c.len() as f32;
                        let last = c[c.len() - 1][0];
                        [last, c.iter().map(|p| p[1]).sum::<f32>() / n]
                    })
                    .collect();
                // Saturating: the stride also comes from saved worker bytes.
                self.stride = self.stride.saturating_mul(2);
            }
        }
    }

    /// Steps averaged per stored point (1 until the cap is first reached, then doubling).
    pub fn stride(&self) -> u64 {
        self.stride
    }

    /// The curve as equal windows: `values[i]` averages steps `i*stride+1 ..= (i+1)*stride`,
    /// and the unfinished window as (sum, count). Exact for a run pushed once per step from
    /// step 1 (halving at an even cap pairs equal windows). The denoiser's worker bytes store
    /// its curve this way.
    pub fn to_windows(&self) -> (Vec<f32>, u64, (f64, u64)) {
        let values = self.points.iter().map(|p| p[1]).collect();
        (values, self.stride, (self.acc, self.acc_n))
    }

    /// Inverse of [`History::to_windows`]. A zero stride becomes 1.
    pub fn from_windows(values: &[f32], stride: u64, pending: (f64, u64)) -> History {
        let stride = stride.max(1);
        History {
            stride,
            acc: pending.0,
            acc_n: pending.1,
            points: values
                .iter()
                .enumerate()
                .map(|(i, &v)| [(i as u64 + 1).saturating_mul(stride) as f32, v])
                .collect(),
        }
    }

    /// (step, value) points, oldest first.
    pub fn points(&self) -> &[[f32; 2]] {
        &self.points
    }

    /// Mean of the last `n` stored values (NaN if empty).
    pub fn recent_mean(&self, n: usize) -> f32 {
        let k = self.points.len().min(n);
        if k == 0 {
            return f32::NAN;
        }
        self.points[self.points.len() - k..]
            .iter()
            .map(|p| p[1])
            .sum::<f32>()
            / k as f32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_huge_saved_stride_does_not_overflow() {
        // Saved bytes one step short of a window of 2^63 steps, with the curve one point short
        // of the cap: the next step completes the window and halves the curve.
        let mut h =
            History::from_windows(&vec![1.0; HISTORY_CAP - 1], 1 << 63, (0.0, (1 << 63) - 1));
        h.push(u64::MAX, 0.0);
        assert_eq!(h.stride(), u64::MAX);
        assert_eq!(h.points().len(), HISTORY_CAP / 2);
        assert!(h.points().iter().all(|p| p[0].is_finite()));
    }

    #[test]
    fn a_full_saved_pending_count_does_not_overflow() {
        // Crafted bytes: a pending window already holding u64::MAX steps.
        let mut h = History::from_windows(&[1.0], 2, (0.0, u64::MAX));
        h.push(3, 4.0);
        assert_eq!(h.points().len(), 2);
        assert!(h.points()[1][1].is_finite());
    }

    #[test]
    fn history_downsamples_and_keeps_the_curve() {
        let mut h = History::default();
        for i in 1..=5000u64 {
            h.push(i, i as f64);
        }
        assert!(h.points().len() < HISTORY_CAP && h.points().len() > HISTORY_CAP / 4);
        let last = h.points()[h.points().len() - 1];
        assert!(last[0] <= 5000.0 && last[0] > 4990.0 - 4.0 * h.stride as f32);
        // Averaging keeps the values on the line y = step (within one window).
        for p in h.points() {
            assert!((p[1] - p[0]).abs() <= h.stride as f32, "{p:?}");
        }
        assert!((h.recent_mean(1) - last[1]).abs() < 1e-3);
        assert!(History::default().recent_mean(5).is_nan());
    }

    #[test]
    fn windows_round_trip_a_thinned_run() {
        let mut h = History::default();
        for i in 1..=(2 * HISTORY_CAP as u64 + 7) {
            h.push(i, (i % 13) as f64);
        }
        let (values, stride, pending) = h.to_windows();
        // Halved at steps 2000 and 4000, then 4 steps per window: 1001 windows cover steps
        // 1-4004, and steps 4005-4007 wait for their window to fill.
        assert_eq!((values.len(), stride, pending.1), (1001, 4, 3));
        assert_eq!(History::from_windows(&values, stride, pending), h);
    }
}
