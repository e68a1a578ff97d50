//! 2D toy data distributions p* for the flow and diffusion demos.
//!
//! Every sampler takes the RNG as an argument (no hidden global state), so a run is reproducible
//! from its seed. Samples are returned batch-major as an `(n, 2)` array: row i is x_i = (x, y).
//! All built-in sets live roughly in [-3, 3]^2 so one plot box fits them all.

use gentutor_rng::Rng;
use ndarray::Array2;
use serde::{Deserialize, Serialize};
use std::f32::consts::PI;

/// Fewest drawn points a custom data set needs (fewer cannot show a shape worth learning).
pub const MIN_CUSTOM_POINTS: usize = 3;
/// Most drawn points a custom data set may hold (keeps saved state and URLs small).
pub const MAX_CUSTOM_POINTS: usize = 5000;
/// Std of the Gaussian jitter added to each drawn point when sampling a custom set.
pub const CUSTOM_JITTER: f32 = 0.08;
/// Drawn points must lie within [-LIMIT, LIMIT] in both coordinates.
pub const CUSTOM_LIMIT: f32 = 10.0;
/// Names accepted by [`Dataset2d::from_name`], in menu order.
pub const BUILTIN_NAMES: [&str; 4] = ["moons", "8gaussians", "rings", "checkerboard"];

/// Errors of the 2D data sets.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DatasetError {
    /// A custom data set has too few points.
    #[error(
        "the drawn data set has {got} point(s); draw at least {min} points (click or drag on \
         the canvas) or pick a built-in data set"
    )]
    TooFewPoints {
        /// Points present.
        got: usize,
        /// Points needed.
        min: usize,
    },
    /// A custom data set has too many points.
    #[error("the drawn data set has {got} points; at most {max} are allowed, clear some")]
    TooManyPoints {
        /// Points present.
        got: usize,
        /// Maximum allowed.
        max: usize,
    },
    /// A drawn point is NaN/inf or far outside the canvas.
    #[error(
        "drawn point #{index} ({x}, {y}) is not a finite point within +-{limit}; clear the \
         drawing and draw again"
    )]
    BadPoint {
        /// Index of the point.
        index: usize,
        /// Its x.
        x: f32,
        /// Its y.
        y: f32,
        /// The allowed range.
        limit: f32,
    },
    /// A data set name is not known.
    #[error(
        "unknown data set `{0}`; choose one of: moons, 8gaussians, rings, checkerboard, custom"
    )]
    UnknownName(String),
}

/// Axis-aligned box [x_min, x_max] x [y_min, y_max] used as a plot range and density grid.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Bbox {
    /// Left edge.
    pub x_min: f32,
    /// Right edge.
    pub x_max: f32,
    /// Bottom edge.
    pub y_min: f32,
    /// Top edge.
    pub y_max: f32,
}

impl Bbox {
    /// The square [-r, r]^2.
    pub fn square(r: f32) -> Self {
        Bbox {
            x_min: -r,
            x_max: r,
            y_min: -r,
            y_max: r,
        }
    }

    /// Whether all edges are finite and the box has positive width and height.
    pub fn is_valid(&self) -> bool {
        [self.x_min, self.x_max, self.y_min, self.y_max]
            .iter()
            .all(|v| v.is_finite())
            && self.x_max > self.x_min
            && self.y_max > self.y_min
    }

    /// Width times height.
    pub fn area(&self) -> f32 {
        (self.x_max - self.x_min) * (self.y_max - self.y_min)
    }

    /// Cell centres of an `nx` x `ny` grid over the box, row-major with y outermost:
    /// index j * nx + i is the centre of column i (x ascending), row j (y ascending).
    /// Shape (nx * ny, 2).
    pub fn grid_centres(&self, nx: usize, ny: usize) -> Array2<f32> {
        let dx = (self.x_max - self.x_min) / nx.max(1) as f32;
        let dy = (self.y_max - self.y_min) / ny.max(1) as f32;
        Array2::from_shape_fn((nx * ny, 2), |(k, c)| {
            let (i, j) = (k % nx.max(1), k / nx.max(1));
            if c == 0 {
                self.x_min + (i as f32 + 0.5) * dx
            } else {
                self.y_min + (j as f32 + 0.5) * dy
            }
        })
    }
}

/// A 2D toy data distribution p*.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub enum Dataset2d {
    /// Two interleaved half circles (as scikit-learn's `make_moons`), scaled by 1.5 and centred,
    /// with N(0, 0.1^2) noise. The default.
    #[default]
    TwoMoons,
    /// Eight Gaussians with std 0.15 whose means sit evenly on the circle of radius 2.
    EightGaussians,
    /// Three concentric rings of radii 0.8, 1.6, 2.4 (equal density along each ring) with
    /// N(0, 0.08^2) radial noise.
    Rings,
    /// Uniform on the 8 dark squares of a 4 x 4 checkerboard covering [-2, 2]^2.
    Checkerboard,
    /// Points the learner drew; sampling picks one uniformly and adds N(0, CUSTOM_JITTER^2 I).
    Custom(Vec<[f32; 2]>),
}

impl Dataset2d {
    /// A custom data set from drawn points, validated (see [`Dataset2d::validate`]).
    pub fn custom(points: Vec<[f32; 2]>) -> Result<Self, DatasetError> {
        let d = Dataset2d::Custom(points);
        d.validate()?;
        Ok(d)
    }

    /// Checks a custom set: between [`MIN_CUSTOM_POINTS`] and [`MAX_CUSTOM_POINTS`] finite
    /// points within +-[`CUSTOM_LIMIT`]. Built-in sets are always valid.
    pub fn validate(&self) -> Result<(), DatasetError> {
        let Dataset2d::Custom(pts) = self else {
            return Ok(());
        };
        if pts.len() < MIN_CUSTOM_POINTS {
            return Err(DatasetError::TooFewPoints {
                got: pts.len(),
                min: MIN_CUSTOM_POINTS,
            });
        }
        if pts.len() > MAX_CUSTOM_POINTS {
            return Err(DatasetError::TooManyPoints {
                got: pts.len(),
                max: MAX_CUSTOM_POINTS,
            });
        }
        for (index, p) in pts.iter().enumerate() {
            if !p.iter().all(|v| v.is_finite() && v.abs() <= CUSTOM_LIMIT) {
                return Err(DatasetError::BadPoint {
                    index,
                    x: p[0],
                    y: p[1],
                    limit: CUSTOM_LIMIT,
                });
            }
        }
        Ok(())
    }

    /// Short name: one of [`BUILTIN_NAMES`] or `custom`.
    pub fn name(&self) -> &'static str {
        match self {
            Dataset2d::TwoMoons => "moons",
            Dataset2d::EightGaussians => "8gaussians",
            Dataset2d::Rings => "rings",
            Dataset2d::Checkerboard => "checkerboard",
            Dataset2d::Custom(_) => "custom",
        }
    }

    /// Human-readable label for menus.
    pub fn label(&self) -> &'static str {
        match self {
            Dataset2d::TwoMoons => "Two moons",
            Dataset2d::EightGaussians => "8 Gaussians",
            Dataset2d::Rings => "Concentric rings",
            Dataset2d::Checkerboard => "Checkerboard",
            Dataset2d::Custom(_) => "Your drawing",
        }
    }

    /// Parses a built-in name (case-insensitive; `two-moons`/`2moons` also accepted). `custom`
    /// is rejected here because it needs points: use [`Dataset2d::custom`].
    pub fn from_name(name: &str) -> Result<Self, DatasetError> {
        match name.trim().to_ascii_lowercase().as_str() {
            "moons" | "two-moons" | "twomoons" | "2moons" => Ok(Dataset2d::TwoMoons),
            "8gaussians" | "eight-gaussians" | "8-gaussians" => Ok(Dataset2d::EightGaussians),
            "rings" | "circles" => Ok(Dataset2d::Rings),
            "checkerboard" => Ok(Dataset2d::Checkerboard),
            _ => Err(DatasetError::UnknownName(name.to_string())),
        }
    }

    /// Plot box that contains essentially all the mass of p*. Built-in sets share [-3, 3]^2 so
    /// switching data sets does not move the axes; a custom set gets the drawing's extent
    /// padded by 0.5 (at least [-3, 3]^2).
    pub fn bbox(&self) -> Bbox {
        match self {
            Dataset2d::Custom(pts) => {
                let mut b = Bbox::square(3.0);
                for p in pts.iter().filter(|p| p[0].is_finite() && p[1].is_finite()) {
                    let (x, y) = (p[0].clamp(-CUSTOM_LIMIT, CUSTOM_LIMIT), p[1]);
                    let y = y.clamp(-CUSTOM_LIMIT, CUSTOM_LIMIT);
                    b.x_min = b.x_min.min(x - 0.5);
                    b.x_max = b.x_max.max(x + 0.5);
                    b.y_min = b.y_min.min(y - 0.5);
                    b.y_max = b.y_max.max(y + 0.5);
                }
                b
            }
            _ => Bbox::square(3.0),
        }
    }

    /// Draws n i.i.d. samples x ~ p*, shape (n, 2). Fails only for an invalid custom set.
    pub fn sample(&self, n: usize, rng: &mut Rng) -> Result<Array2<f32>, DatasetError> {
        self.validate()?;
        let mut out = Array2::zeros((n, 2));
        for mut row in out.rows_mut() {
            let [x, y] = self.sample_one(rng);
            row[0] = x;
            row[1] = y;
        }
        Ok(out)
    }

    /// One sample; assumes [`Dataset2d::validate`] passed (an empty custom set gives (0, 0)).
    fn sample_one(&self, rng: &mut Rng) -> [f32; 2] {
        match self {
            Dataset2d::TwoMoons => {
                let t = PI * rng.uniform_f32();
                let (mx, my) = if rng.below(2) == 0 {
                    (t.cos(), t.sin())
                } else {
                    (1.0 - t.cos(), 0.5 - t.sin())
                };
                // Centre the pair of moons (their bounding box centre is (0.5, 0.25)).
                [
                    1.5 * (mx - 0.5) + 0.1 * rng.normal_f32(),
                    1.5 * (my - 0.25) + 0.1 * rng.normal_f32(),
                ]
            }
            Dataset2d::EightGaussians => {
                let a = 2.0 * PI * rng.below(8) as f32 / 8.0;
                [
                    2.0 * a.cos() + 0.15 * rng.normal_f32(),
                    2.0 * a.sin() + 0.15 * rng.normal_f32(),
                ]
            }
            Dataset2d::Rings => {
                // Ring k chosen with probability proportional to its radius, so the density
                // along each circumference is the same.
                let u = rng.uniform_f32() * 6.0; // 1 + 2 + 3
                let r = if u < 1.0 {
                    0.8
                } else if u < 3.0 {
                    1.6
                } else {
                    2.4
                } + 0.08 * rng.normal_f32();
                let a = 2.0 * PI * rng.uniform_f32();
                [r * a.cos(), r * a.sin()]
            }
            Dataset2d::Checkerboard => {
                // Column c in 0..4 and a row of the same parity: squares with (c + r) even.
                let c = rng.below(4);
                let r = 2 * rng.below(2) + (c % 2);
                [
                    -2.0 + c as f32 + rng.uniform_f32(),
                    -2.0 + r as f32 + rng.uniform_f32(),
                ]
            }
            Dataset2d::Custom(pts) => {
                let p = pts.get(rng.below(pts.len())).copied().unwrap_or([0.0, 0.0]);
                [
                    p[0] + CUSTOM_JITTER * rng.normal_f32(),
                    p[1] + CUSTOM_JITTER * rng.normal_f32(),
                ]
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_builtin() -> Vec<Dataset2d> {
        BUILTIN_NAMES
            .iter()
            .map(|n| Dataset2d::from_name(n).unwrap_or_else(|e| panic!("{e}")))
            .collect()
    }

    #[test]
    fn names_round_trip_and_unknown_rejected() {
        for d in all_builtin() {
            assert_eq!(Dataset2d::from_name(d.name()), Ok(d.clone()));
            assert!(!d.label().is_empty());
        }
        assert!(matches!(
            Dataset2d::from_name("spirals"),
            Err(DatasetError::UnknownName(_))
        ));
        assert!(Dataset2d::from_name("custom").is_err());
    }

    #[test]
    fn samples_are_reproducible_finite_and_inside_the_box() {
        for d in all_builtin() {
            let a = d
                .sample(2000, &mut Rng::new(1))
                .unwrap_or_else(|e| panic!("{e}"));
            let b = d
                .sample(2000, &mut Rng::new(1))
                .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(a, b);
            assert_eq!(a.dim(), (2000, 2));
            let bb = d.bbox();
            let inside = a
                .rows()
                .into_iter()
                .filter(|r| {
                    r[0] > bb.x_min && r[0] < bb.x_max && r[1] > bb.y_min && r[1] < bb.y_max
                })
                .count();
            assert!(inside >= 1995, "{}: only {inside} inside", d.name());
        }
    }

    #[test]
    fn shapes_have_the_documented_geometry() {
        let mut rng = Rng::new(2);
        let n = 20_000;
        // 8 Gaussians: every point is near one of the 8 means, and each mode gets ~1/8.
        let x = Dataset2d::EightGaussians
            .sample(n, &mut rng)
            .unwrap_or_else(|e| panic!("{e}"));
        let mut counts = [0usize; 8];
        for r in x.rows() {
            let k = ((r[1].atan2(r[0]) / (2.0 * PI) * 8.0).round() as i64).rem_euclid(8) as usize;
            counts[k] += 1;
            let a = 2.0 * PI * k as f32 / 8.0;
            let d2 = (r[0] - 2.0 * a.cos()).powi(2) + (r[1] - 2.0 * a.sin()).powi(2);
            assert!(d2 < (6.0f32 * 0.15).powi(2), "far from its mode: {r}");
        }
        // Expected 2500 each, std ~47: allow 5 sigma.
        assert!(
            counts.iter().all(|&c| (c as i64 - 2500).abs() < 235),
            "{counts:?}"
        );
        // Checkerboard: exactly on the squares with (column + row) even, equal mass.
        let x = Dataset2d::Checkerboard
            .sample(n, &mut rng)
            .unwrap_or_else(|e| panic!("{e}"));
        let mut sq = [0usize; 16];
        for r in x.rows() {
            let (c, w) = ((r[0] + 2.0).floor() as i64, (r[1] + 2.0).floor() as i64);
            assert!((0..4).contains(&c) && (0..4).contains(&w), "{r}");
            assert_eq!((c + w) % 2, 0, "point on a light square: {r}");
            sq[(w * 4 + c) as usize] += 1;
        }
        assert!(
            sq.iter()
                .filter(|&&k| k > 0)
                .all(|&k| (k as i64 - 2500).abs() < 235),
            "{sq:?}"
        );
        // Rings: radii cluster at 0.8, 1.6, 2.4 in proportion 1:2:3.
        let x = Dataset2d::Rings
            .sample(n, &mut rng)
            .unwrap_or_else(|e| panic!("{e}"));
        let mut rc = [0usize; 3];
        for r in x.rows() {
            let rad = (r[0] * r[0] + r[1] * r[1]).sqrt();
            let k = ((rad / 0.8).round() as usize).clamp(1, 3) - 1;
            assert!((rad - 0.8 * (k + 1) as f32).abs() < 0.4, "radius {rad}");
            rc[k] += 1;
        }
        let frac: Vec<f32> = rc.iter().map(|&c| c as f32 / n as f32).collect();
        for (f, e) in frac.iter().zip([1.0 / 6.0, 2.0 / 6.0, 3.0 / 6.0]) {
            assert!((f - e).abs() < 0.02, "{frac:?}");
        }
        // Two moons: centred, both moons equally likely (upper moon has y > -0.4 mostly).
        let x = Dataset2d::TwoMoons
            .sample(n, &mut rng)
            .unwrap_or_else(|e| panic!("{e}"));
        let mean_x = x.column(0).mean().unwrap_or(f32::NAN);
        let mean_y = x.column(1).mean().unwrap_or(f32::NAN);
        assert!(
            mean_x.abs() < 0.05 && mean_y.abs() < 0.05,
            "{mean_x} {mean_y}"
        );
    }

    #[test]
    fn custom_points_jitter_and_errors() {
        assert_eq!(
            Dataset2d::custom(vec![]),
            Err(DatasetError::TooFewPoints {
                got: 0,
                min: MIN_CUSTOM_POINTS
            })
        );
        let built_unchecked = Dataset2d::Custom(vec![[0.0, 0.0]]);
        assert!(built_unchecked.sample(5, &mut Rng::new(0)).is_err());
        assert!(matches!(
            Dataset2d::custom(vec![[0.0, 0.0], [f32::NAN, 1.0], [1.0, 1.0]]),
            Err(DatasetError::BadPoint { index: 1, .. })
        ));
        assert!(matches!(
            Dataset2d::custom(vec![[0.0, 0.0]; MAX_CUSTOM_POINTS + 1]),
            Err(DatasetError::TooManyPoints { .. })
        ));
        let pts = vec![[-1.0, 0.0], [1.0, 0.0], [4.0, 5.0]];
        let d = Dataset2d::custom(pts.clone()).unwrap_or_else(|e| panic!("{e}"));
        let x = d
            .sample(3000, &mut Rng::new(4))
            .unwrap_or_else(|e| panic!("{e}"));
        let mut near = [0usize; 3];
        for r in x.rows() {
            let (k, d2) = pts
                .iter()
                .enumerate()
                .map(|(k, p)| (k, (r[0] - p[0]).powi(2) + (r[1] - p[1]).powi(2)))
                .fold((0, f32::INFINITY), |a, b| if b.1 < a.1 { b } else { a });
            assert!(d2.sqrt() < 6.0 * CUSTOM_JITTER * 1.5, "{r}");
            near[k] += 1;
        }
        assert!(
            near.iter().all(|&c| (c as i64 - 1000).abs() < 130),
            "{near:?}"
        );
        // The box grows to hold the drawing.
        let b = d.bbox();
        assert!(b.x_max >= 4.5 && b.y_max >= 5.5 && b.is_valid());
    }

    #[test]
    fn grid_centres_are_row_major_cell_centres() {
        let g = Bbox::square(1.0).grid_centres(2, 3);
        assert_eq!(g.dim(), (6, 2));
        assert_eq!([g[[0, 0]], g[[0, 1]]], [-0.5, -1.0 + 1.0 / 3.0]);
        assert_eq!([g[[1, 0]], g[[1, 1]]], [0.5, -1.0 + 1.0 / 3.0]);
        assert!((g[[5, 1]] - (1.0 - 1.0 / 3.0)).abs() < 1e-6);
        assert!(!Bbox {
            x_min: 1.0,
            x_max: 0.0,
            y_min: 0.0,
            y_max: 1.0
        }
        .is_valid());
    }
}
