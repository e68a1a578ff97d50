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
        self.acc_n += 1;
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
                self.stride *= 2;
            }
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
}
