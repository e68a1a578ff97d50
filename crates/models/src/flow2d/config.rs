//! The flow's settings: ranges, clamping, validation and the settings link.

use super::*;
use crate::link::{DatasetLink, DrawnPoints, LinkVisitor, Settings};
use crate::ranges::clamp_or as clamp_f;

pub(super) fn range_err<T: std::fmt::Display>(
    field: &'static str,
    v: T,
    lo: T,
    hi: T,
) -> ModelError {
    ModelError::InvalidConfig {
        field,
        reason: format!("{v} is outside {lo}..={hi}"),
    }
}

impl Config {
    /// A copy with every field forced into range (a NaN learning rate becomes the default).
    /// Drawn points are clamped to +-CUSTOM_LIMIT, non-finite ones dropped and the list cut to
    /// MAX_CUSTOM_POINTS; a drawing with too few points stays invalid (nothing to clamp to).
    pub fn clamped(&self) -> Config {
        let cu = |v: usize, r: &RangeInclusive<usize>| v.clamp(*r.start(), *r.end());
        let dataset = match &self.dataset {
            Dataset2d::Custom(pts) => Dataset2d::Custom(
                pts.iter()
                    .filter(|p| p[0].is_finite() && p[1].is_finite())
                    .take(MAX_CUSTOM_POINTS)
                    .map(|p| {
                        [
                            p[0].clamp(-CUSTOM_LIMIT, CUSTOM_LIMIT),
                            p[1].clamp(-CUSTOM_LIMIT, CUSTOM_LIMIT),
                        ]
                    })
                    .collect(),
            ),
            d => d.clone(),
        };
        Config {
            layers: cu(self.layers, &LAYERS),
            hidden: cu(self.hidden, &HIDDEN),
            lr: clamp_f(self.lr, &LR, Config::default().lr),
            dataset,
            batch: cu(self.batch, &BATCH),
            actnorm: self.actnorm,
            seed: self.seed,
        }
    }

    /// True when `other` differs from `self` only in settings a running flow can take over
    /// ([`Flow2d::retune`]: the learning rate), so the run keeps its weights; data, layers,
    /// width, ActNorm, batch or seed need a new flow.
    pub fn same_run(&self, other: &Config) -> bool {
        Config {
            lr: other.lr,
            ..self.clone()
        } == *other
    }

    /// Checks every field; the error names the first offending one.
    pub fn validate(&self) -> Result<(), ModelError> {
        let check_u = |field, v: usize, r: &RangeInclusive<usize>| {
            if r.contains(&v) {
                Ok(())
            } else {
                Err(range_err(field, v, *r.start(), *r.end()))
            }
        };
        check_u("layers", self.layers, &LAYERS)?;
        check_u("hidden", self.hidden, &HIDDEN)?;
        check_u("batch", self.batch, &BATCH)?;
        if !LR.contains(&self.lr) {
            return Err(range_err("lr", self.lr, *LR.start(), *LR.end()));
        }
        self.dataset.validate()?;
        Ok(())
    }
}

impl Settings for Config {
    const WHAT: &'static str = "flow";
    /// The link's keys, in link order (a promise: shared links of earlier versions must read):
    /// `L` blocks, `h` hidden width, `lr`, `data` (a data set name), `bs` batch, `an` ActNorm
    /// 0/1, `seed`, and for a drawn data set `pts=x,y;x,y;...` (2 decimals, at most
    /// [`MAX_HASH_POINTS`], evenly subsampled). Also refused when read: an unknown data set, or
    /// `data=custom` without enough valid `pts`.
    fn fields(&mut self, v: &mut dyn LinkVisitor) -> Result<(), String> {
        v.field("L", &mut self.layers)?;
        v.field("h", &mut self.hidden)?;
        v.field("lr", &mut self.lr)?;
        v.field(
            "data",
            &mut DatasetLink {
                dataset: &mut self.dataset,
                custom_points: true,
            },
        )?;
        v.field("bs", &mut self.batch)?;
        v.field("an", &mut self.actnorm)?;
        v.field("seed", &mut self.seed)?;
        v.field(
            "pts",
            &mut DrawnPoints {
                dataset: &mut self.dataset,
                max_written: MAX_HASH_POINTS,
            },
        )
    }
    fn finish(self) -> Result<Self, String> {
        if let Dataset2d::Custom(p) = &self.dataset {
            if p.len() < MIN_CUSTOM_POINTS {
                return Err(format!(
                    "a drawn data set needs at least {MIN_CUSTOM_POINTS} points in `pts`"
                ));
            }
        }
        Ok(self.clamped())
    }
}
