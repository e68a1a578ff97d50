//! Accuracy against the number of labels: the semi-supervised GAN and the labels-only
//! classifier trained to the same step count for each labels-per-class setting in turn, so a
//! page can run the sweep a few steps per frame.

use super::{AccuracyPoint, Ssgan, SsganConfig};
use crate::error::ModelError;

/// Labels per class the sweep tries, in order.
pub const SWEEP_LABELS: [usize; 5] = [1, 3, 10, 30, 50];

/// One finished setting of the sweep.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SweepResult {
    pub labels: usize,
    pub accuracy: AccuracyPoint,
}

/// A sweep over [`SWEEP_LABELS`] with everything else from `base`.
#[derive(Debug, Clone)]
pub struct LabelSweep {
    base: SsganConfig,
    steps: u64,
    current: Option<Ssgan>,
    pub results: Vec<SweepResult>,
}

impl LabelSweep {
    /// Each setting trains `steps` steps.
    pub fn new(base: SsganConfig, steps: u64) -> LabelSweep {
        LabelSweep {
            base,
            steps: steps.max(1),
            current: None,
            results: Vec::new(),
        }
    }

    pub fn done(&self) -> bool {
        self.results.len() >= SWEEP_LABELS.len()
    }

    /// Steps done over steps in total.
    pub fn progress(&self) -> (u64, u64) {
        let per = self.steps;
        let now = self.current.as_ref().map_or(0, Ssgan::step_count);
        (
            self.results.len() as u64 * per + now,
            SWEEP_LABELS.len() as u64 * per,
        )
    }

    /// Up to `n` training steps, moving on to the next setting when one is finished.
    pub fn step(&mut self, mut n: usize) -> Result<(), ModelError> {
        while n > 0 && !self.done() {
            let labels = SWEEP_LABELS[self.results.len()];
            let run = self.current.get_or_insert_with(|| {
                Ssgan::new(SsganConfig {
                    labels,
                    ..self.base
                })
            });
            let k = n.min((self.steps - run.step_count()) as usize);
            run.step(k)?;
            n -= k;
            if run.step_count() >= self.steps {
                let accuracy = run.final_accuracy();
                self.results.push(SweepResult { labels, accuracy });
                self.current = None;
            }
        }
        Ok(())
    }
}
