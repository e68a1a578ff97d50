//! Labelled 2D data for the semi-supervised GAN: K classes, each a curve or cluster with noise,
//! laid out so that the classes are separated by low-density gaps (the situation in which
//! unlabelled points can help). All sets fit in [-3, 3]^2.

use gentutor_rng::Rng;
use std::f32::consts::PI;

/// A labelled toy data set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelledSet {
    /// Two interleaving half-circles (K = 2).
    Moons,
    /// Three concentric rings (K = 3).
    Rings,
    /// Three spiral arms (K = 3).
    Spirals,
    /// Four Gaussian blobs (K = 4): easy for labels alone too.
    Blobs,
}

impl LabelledSet {
    pub const ALL: [LabelledSet; 4] = [
        LabelledSet::Moons,
        LabelledSet::Rings,
        LabelledSet::Spirals,
        LabelledSet::Blobs,
    ];

    /// Name in links and block options.
    pub fn name(self) -> &'static str {
        match self {
            LabelledSet::Moons => "moons",
            LabelledSet::Rings => "rings",
            LabelledSet::Spirals => "spirals",
            LabelledSet::Blobs => "blobs",
        }
    }

    pub fn from_name(s: &str) -> Option<LabelledSet> {
        LabelledSet::ALL.into_iter().find(|d| d.name() == s)
    }

    /// The number of classes K.
    pub fn classes(self) -> usize {
        match self {
            LabelledSet::Moons => 2,
            LabelledSet::Rings | LabelledSet::Spirals => 3,
            LabelledSet::Blobs => 4,
        }
    }

    /// One point of class `k` (a fresh draw from `rng`).
    pub fn sample_class(self, k: usize, rng: &mut Rng) -> [f32; 2] {
        let n = |rng: &mut Rng, s: f32| s * rng.normal_f32();
        match self {
            LabelledSet::Moons => {
                let t = PI * rng.uniform_f32();
                let (x, y) = if k == 0 {
                    (t.cos(), t.sin())
                } else {
                    (1.0 - t.cos(), 0.5 - t.sin())
                };
                [
                    1.6 * (x - 0.5) + n(rng, 0.12),
                    1.6 * (y - 0.25) + n(rng, 0.12),
                ]
            }
            LabelledSet::Rings => {
                let r = [0.7, 1.6, 2.5][k.min(2)];
                let t = 2.0 * PI * rng.uniform_f32();
                [r * t.cos() + n(rng, 0.12), r * t.sin() + n(rng, 0.12)]
            }
            LabelledSet::Spirals => {
                let u = rng.uniform_f32();
                let r = 0.3 + 2.4 * u;
                let t = 1.6 * PI * u + 2.0 * PI * k as f32 / 3.0;
                [r * t.cos() + n(rng, 0.1), r * t.sin() + n(rng, 0.1)]
            }
            LabelledSet::Blobs => {
                let c = [[-1.5, -1.5], [1.5, -1.5], [-1.5, 1.5], [1.5, 1.5]][k.min(3)];
                [c[0] + n(rng, 0.5), c[1] + n(rng, 0.5)]
            }
        }
    }

    /// `n` points with labels, the classes in turn (equal class sizes up to one).
    pub fn sample(self, n: usize, rng: &mut Rng) -> (Vec<[f32; 2]>, Vec<usize>) {
        let k = self.classes();
        let labels: Vec<usize> = (0..n).map(|i| i % k).collect();
        let points = labels.iter().map(|&c| self.sample_class(c, rng)).collect();
        (points, labels)
    }
}
