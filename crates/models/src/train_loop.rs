//! What the digits models' training loops share (the flow, the diffusion model and the VAE):
//! minibatches drawn without replacement within an epoch in the run's own shuffled order, and
//! the step loop that turns a bad step into a [`ModelError::Diverged`] the run keeps.

use crate::error::{Model, ModelError};
use gentutor_rng::Rng;
use serde::{Deserialize, Serialize};

/// The training indices in this epoch's order and the next position in it. Saved with a run,
/// as the two fields `order, pos` (postcard writes a struct as its fields, so runs saved
/// before this type existed read the same).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Epochs {
    order: Vec<usize>,
    pos: usize,
}

impl Epochs {
    /// Epochs over `indices`; the first batch shuffles them.
    pub fn new(indices: Vec<usize>) -> Epochs {
        Epochs {
            order: indices,
            pos: usize::MAX,
        }
    }

    /// Whether there is nothing to draw from.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// Whether every index is below `n` (saved bytes must fit the data they are read with).
    pub fn fits(&self, n: usize) -> bool {
        self.order.iter().all(|&i| i < n)
    }

    /// The next `batch` indices (at least one, at most an epoch) into `out`. At the end of an
    /// epoch the order is shuffled (Fisher-Yates) with the run's generator, so a run is a
    /// function of its seed.
    pub fn next_batch(&mut self, batch: usize, rng: &mut Rng, out: &mut Vec<usize>) {
        let b = batch.min(self.order.len()).max(1);
        out.clear();
        while out.len() < b {
            if self.pos >= self.order.len() {
                for i in (1..self.order.len()).rev() {
                    let j = rng.below(i + 1);
                    self.order.swap(i, j);
                }
                self.pos = 0;
            }
            out.push(self.order[self.pos]);
            self.pos += 1;
        }
    }
}

/// A model trained one step at a time by [`train`].
pub(crate) trait TrainStep {
    /// Which model's advice a divergence message gives.
    const MODEL: Model;
    /// The error that stopped the run, kept: later calls return it again.
    fn kept_error(&mut self) -> &mut Option<ModelError>;
    /// Steps taken (counting the step that failed).
    fn steps_taken(&self) -> u64;
    /// One step; `Err(what)` when it diverged (then nothing is recorded for it).
    fn one_step(&mut self) -> Result<(), String>;
}

/// `n` steps of `t`; stops at the first that diverges and returns (and keeps) its error.
pub(crate) fn train<T: TrainStep>(t: &mut T, n: usize) -> Result<(), ModelError> {
    if let Some(e) = t.kept_error() {
        return Err(e.clone());
    }
    for _ in 0..n {
        if let Err(what) = t.one_step() {
            let e = ModelError::Diverged {
                model: T::MODEL,
                step: t.steps_taken(),
                what,
            };
            *t.kept_error() = Some(e.clone());
            return Err(e);
        }
    }
    Ok(())
}

/// The guarded update every step ends with: a loss that is not finite or above `max` is a
/// divergence (`"<name> is <loss>"`) and nothing is updated; otherwise `update` applies the
/// optimiser and answers whether every weight is still finite.
pub(crate) fn guarded_update(
    name: &str,
    loss: f64,
    max: f64,
    update: impl FnOnce() -> bool,
) -> Result<(), String> {
    if !loss.is_finite() || loss > max {
        return Err(format!("{name} is {loss}"));
    }
    if update() {
        Ok(())
    } else {
        Err("a weight became NaN or infinite".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_epoch_visits_every_index_once_then_reshuffles() {
        let mut e = Epochs::new((0..10).collect());
        let mut rng = Rng::new(1);
        let mut out = Vec::new();
        let mut seen = Vec::new();
        for _ in 0..3 {
            e.next_batch(4, &mut rng, &mut out);
            assert!(out.len() == 4 || seen.len() == 8, "{out:?}");
            seen.extend_from_slice(&out);
        }
        let first: Vec<usize> = seen[..10].to_vec();
        let mut sorted = first.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..10).collect::<Vec<_>>());
        assert_ne!(first, (0..10).collect::<Vec<_>>(), "shuffled");
        // A batch larger than the epoch is one epoch; zero is one index.
        e.next_batch(100, &mut rng, &mut out);
        assert_eq!(out.len(), 10);
        e.next_batch(0, &mut rng, &mut out);
        assert_eq!(out.len(), 1);
        assert!(e.fits(10) && !e.fits(9) && !e.is_empty());
    }

    #[test]
    fn saved_as_its_two_fields() {
        let e = Epochs {
            order: vec![3, 1, 2],
            pos: 1,
        };
        let bytes = postcard::to_allocvec(&e).expect("encodes");
        let fields = postcard::to_allocvec(&(vec![3usize, 1, 2], 1usize)).expect("encodes");
        assert_eq!(bytes, fields);
    }

    struct Fails {
        step: u64,
        at: u64,
        error: Option<ModelError>,
    }
    impl TrainStep for Fails {
        const MODEL: Model = Model::Vae;
        fn kept_error(&mut self) -> &mut Option<ModelError> {
            &mut self.error
        }
        fn steps_taken(&self) -> u64 {
            self.step
        }
        fn one_step(&mut self) -> Result<(), String> {
            self.step += 1;
            guarded_update(
                "the loss",
                if self.step == self.at { f64::NAN } else { 1.0 },
                10.0,
                || true,
            )
        }
    }

    #[test]
    fn a_divergence_stops_the_loop_and_is_kept() {
        let mut f = Fails {
            step: 0,
            at: 3,
            error: None,
        };
        assert_eq!(train(&mut f, 2), Ok(()));
        let e = train(&mut f, 5).expect_err("diverges at step 3");
        assert!(
            matches!(&e, ModelError::Diverged { model: Model::Vae, step: 3, what } if what == "the loss is NaN"),
            "{e:?}"
        );
        assert_eq!(f.step, 3, "no step after the bad one");
        assert_eq!(train(&mut f, 1), Err(e));
        assert_eq!(f.step, 3);
        assert_eq!(
            guarded_update("x", 11.0, 10.0, || true),
            Err("x is 11".into())
        );
        assert_eq!(
            guarded_update("x", 1.0, 10.0, || false),
            Err("a weight became NaN or infinite".into())
        );
    }
}
