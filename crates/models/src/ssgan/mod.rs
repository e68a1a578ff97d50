//! A semi-supervised GAN on 2D data (Salimans et al. 2016, Sec. 3.1 and 5): a K-class critic
//! whose fake class has its logit fixed to 0, trained on a few labelled points per class, many
//! unlabelled ones and the generator's samples; the generator is trained by feature matching.
//! Beside it, the same classifier trained on the labelled points alone.
//!
//! ```text
//! critic:     x (B, 2) -> body -> f (B, H) (leaky ReLU features) -> head -> l (B, K) logits
//! labelled:   L_sup  = CE(softmax(l), y)                                  (gentutor_nn::loss)
//! unlabelled: L_real = -log D(x),  D = Z / (Z + 1),  Z = sum_k exp l_k    (losses::realness_loss)
//! generated:  L_fake = -log(1 - D(G(z))),  z ~ N(0, I_2)
//! critic step:    minimise L_sup + L_real + L_fake over body and head
//! generator step: minimise ||mean f(x_unl) - mean f(G(z))||^2 (feature matching) over G
//! labels only:    minimise L_sup over a second body + head of the same shape
//! ```

pub mod config;
pub mod data;
pub mod losses;
mod state;
pub mod sweep;
#[cfg(test)]
mod tests;
mod train;
mod view;

pub use config::SsganConfig;
pub use data::LabelledSet;
pub use sweep::LabelSweep;
pub use sweep::{SweepResult, SWEEP_LABELS};
pub use train::{Classifier2d, Ssgan};
pub use view::SsganView;

/// Steps between two evaluations of the held-out accuracy.
pub const EVAL_EVERY: u64 = 25;
/// Held-out points the accuracy is measured on.
pub const TEST_POINTS: usize = 1000;
/// The plots' box: [-BOX, BOX]^2.
pub const BOX: f32 = 3.2;

/// One evaluation: held-out accuracy of the semi-supervised critic and the labels-only
/// classifier after `step` steps.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AccuracyPoint {
    pub step: u64,
    pub ssgan: f64,
    pub labels_only: f64,
}

/// A classifier's decision over a `n x n` grid covering [-BOX, BOX]^2, row 0 at the top.
#[derive(Debug, Clone, PartialEq)]
pub struct Regions {
    pub n: usize,
    /// The most probable real class at each cell.
    pub class: Vec<u8>,
    /// Its probability among the K real classes.
    pub confidence: Vec<f32>,
    /// sigma(log Z) at each cell: the critic's D(x) = Z / (Z + 1), its probability of "real"
    /// (for the labels-only classifier, whose logits were never asked about realness, the
    /// same formula means little).
    pub realness: Vec<f32>,
}
