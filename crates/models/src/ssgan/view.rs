//! What the semi-supervised GAN demo draws: both classifiers' decision regions, the labelled,
//! unlabelled and generated points, the accuracy curves, and the label sweep's results.

use super::sweep::SweepResult;
use super::{AccuracyPoint, LabelledSet, Regions, Ssgan};

/// Unlabelled points drawn at most (an even subsample of the set).
pub const MAX_SHOWN: usize = 600;

/// A snapshot for the plots.
#[derive(Debug, Clone, PartialEq)]
pub struct SsganView {
    pub dataset: LabelledSet,
    pub classes: usize,
    pub step: u64,
    pub critic: Regions,
    pub labels_only: Regions,
    pub labelled: Vec<[f32; 2]>,
    pub labels: Vec<usize>,
    pub unlabelled: Vec<[f32; 2]>,
    pub generated: Vec<[f32; 2]>,
    pub accuracy: Vec<AccuracyPoint>,
    /// Accuracy against labels per class (empty until a sweep has run).
    pub sweep: Vec<SweepResult>,
}

fn rows(a: &ndarray::Array2<f32>, stride: usize) -> Vec<[f32; 2]> {
    a.rows()
        .into_iter()
        .step_by(stride.max(1))
        .map(|r| [r[0], r[1]])
        .collect()
}

impl Ssgan {
    /// The view with decision regions on a `grid x grid` raster.
    pub fn view(&self, grid: usize) -> SsganView {
        let n = self.unlabelled.nrows();
        SsganView {
            dataset: self.config.dataset,
            classes: self.config.dataset.classes(),
            step: self.step_count(),
            critic: self.critic.regions(grid),
            labels_only: self.labels_only.regions(grid),
            labelled: rows(&self.labelled, 1),
            labels: self.labels.clone(),
            unlabelled: rows(&self.unlabelled, n.div_ceil(MAX_SHOWN)),
            generated: rows(&self.generated(), 1),
            accuracy: self.accuracy.clone(),
            sweep: Vec::new(),
        }
    }
}
