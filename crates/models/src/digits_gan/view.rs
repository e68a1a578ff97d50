//! The plain struct the digits GAN's plots draw each frame.

use super::coverage::Coverage;
use super::train::DigitsGan;

/// What the plots need: the sample grid, the coverage read-out and the D(x) curves.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GanView {
    /// Training steps taken.
    pub step: u64,
    /// [`super::train::GRID`] images of 64 pixels in [0, 1], row-major, one after another.
    pub grid: Vec<f32>,
    /// The classifier's read-out of many samples (None while the classifier loads).
    pub coverage: Option<Coverage>,
    /// Mean D(x) on real images and mean D(G(z)) on fakes, per step.
    pub d_real: Vec<[f32; 2]>,
    pub d_fake: Vec<[f32; 2]>,
    /// The divergence message, if training stopped.
    pub error: Option<String>,
}

impl DigitsGan {
    /// The view of the current state with a coverage read-out measured by the caller (it is
    /// the expensive part, so the page refreshes it less often than the grid).
    pub fn view(&self, coverage: Option<Coverage>) -> GanView {
        GanView {
            step: self.step_count(),
            grid: self.grid().iter().copied().collect(),
            coverage,
            d_real: self.curves().d_real.points().to_vec(),
            d_fake: self.curves().d_fake.points().to_vec(),
            error: self.error().map(|e| e.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::digits::Digits;
    use crate::digits_gan::train::GRID;
    use crate::digits_gan::DigitsGanConfig;

    #[test]
    fn view_has_every_part() {
        let d = Digits::shipped().expect("digits");
        let mut g = DigitsGan::new(&DigitsGanConfig::default(), &d).expect("data");
        g.step(3).expect("trains");
        let v = g.view(None);
        assert_eq!(v.grid.len(), GRID * 64);
        assert!(v.grid.iter().all(|p| (0.0..=1.0).contains(p)));
        assert_eq!((v.step, v.d_real.len(), v.d_fake.len()), (3, 3, 3));
        assert!(v.error.is_none() && v.coverage.is_none());
    }
}
