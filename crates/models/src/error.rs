//! The models' one error type. Messages say what the learner can do about the problem; the
//! advice after a divergence depends on the model, so that variant names it.

use crate::checkpoint::CheckpointError;
use crate::datasets2d::DatasetError;
use gentutor_nn::loss::LossError;
use ndarray::Array2;

/// Which model an error comes from (it picks the advice in a divergence message).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Model {
    Gan,
    Flow,
    Diffusion,
    DensityRatio,
    /// The RealNVP on the 8x8 digits (ActNorm is always on there).
    DigitsFlow,
    /// The variational autoencoder on the 8x8 digits.
    Vae,
    /// The GAN on the 8x8 digits.
    DigitsGan,
    /// The semi-supervised GAN on 2D points.
    Ssgan,
    /// The digit classifier of the read-outs and the adversarial demo.
    Classifier,
}

impl Model {
    /// What to try after this model's training diverged.
    pub fn divergence_advice(self) -> &'static str {
        match self {
            Model::Gan => {
                "Lower the learning rates (or use Adam, a smaller batch-independent k, or the \
                 WGAN-GP loss) and press Reset."
            }
            Model::Flow => {
                "Lower the learning rate (1e-3 is safe), turn ActNorm on or use fewer layers, \
                 then press Reset."
            }
            Model::Diffusion => "Lower the learning rate and press Reset.",
            Model::DensityRatio => "Lower the learning rate and press Reset.",
            Model::DigitsFlow => {
                "Lower the learning rate (1e-3 is safe) or use fewer coupling layers, then press Reset."
            }
            Model::Vae => "Lower the learning rate and press Reset.",
            Model::DigitsGan => "Lower the learning rates (2e-4 is safe) and press Reset.",
            Model::Ssgan => "Lower the learning rates and press Reset.",
            Model::Classifier => "Reload the page to train the classifier again.",
        }
    }
}

/// Everything that can go wrong in the models (GANs, flows, diffusion, VAE, classifiers).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ModelError {
    /// Training produced NaN/inf or exploding values; the run is stopped and stays stopped.
    #[error("training diverged at step {step}: {what}. {}", model.divergence_advice())]
    Diverged {
        /// The model that diverged.
        model: Model,
        /// Training step at which divergence was detected.
        step: u64,
        /// What went wrong.
        what: String,
    },
    /// A configuration field is outside its valid range or not a number.
    #[error("invalid setting `{field}`: {reason}")]
    InvalidConfig {
        /// The offending field.
        field: &'static str,
        /// Why it is invalid, with the valid range.
        reason: String,
    },
    /// A settings link (URL hash) could not be read.
    #[error("could not read the settings from the link ({0}); the defaults are safe to use")]
    BadHash(String),
    /// Saved training state (handed between the page and its worker) could not be used.
    #[error("the saved training state could not be used ({0}); press Reset to start over")]
    BadState(String),
    /// A preset name is not known.
    #[error("unknown preset `{name}`; choose one of: {choices}")]
    UnknownPreset {
        /// The name asked for.
        name: String,
        /// The known presets, comma-separated.
        choices: String,
    },
    /// Sampling produced NaN or infinite points (the denoiser is broken).
    #[error("sampling produced non-finite points at t = {t}; the denoiser has probably diverged: reset and retrain it with a lower learning rate")]
    SamplingDiverged {
        /// The timestep being computed.
        t: usize,
    },
    /// The sampler was started for a different number of steps T than this denoiser uses.
    #[error("this sampler was started for T = {sampler} steps but the denoiser uses T = {denoiser}; restart the sampler")]
    StepsMismatch {
        /// T of the sampler.
        sampler: usize,
        /// T of the denoiser.
        denoiser: usize,
    },
    /// An image could not be loaded.
    #[error("cannot use this image: {0}")]
    BadImage(String),
    /// A model that trains on a data set was given an empty one.
    #[error("the {0} data set is empty; reload the page")]
    NoData(&'static str),
    /// The data set is unusable (for example too few drawn points).
    #[error(transparent)]
    Data(#[from] DatasetError),
    /// A checkpoint could not be read or written.
    #[error(transparent)]
    Checkpoint(#[from] CheckpointError),
    /// A loss could not be computed from a network's outputs (shapes or labels that do not
    /// fit: a bug, not a setting).
    #[error("the loss could not be computed ({0}); press Reset to start over")]
    Loss(#[from] LossError),
    /// A read-out that needs a linear model was asked of one with hidden layers.
    #[error("the linear read-out needs a model without hidden layers")]
    NotLinear,
    /// An image index outside the held-out digits.
    #[error("image {index} is not among the {count} held-out digits; pick another image")]
    NoImage {
        /// The index asked for.
        index: usize,
        /// How many held-out digits there are.
        count: usize,
    },
}

/// `values` as a (rows, cols) matrix (a loss gradient); a length that does not fit is a
/// [`LossError::Shape`].
pub(crate) fn matrix(
    what: &'static str,
    values: Vec<f32>,
    (rows, cols): (usize, usize),
) -> Result<Array2<f32>, ModelError> {
    let got = values.len();
    Array2::from_shape_vec((rows, cols), values).map_err(|_| {
        ModelError::Loss(LossError::Shape {
            what,
            got,
            expected: rows * cols,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn divergence_messages_carry_each_models_advice() {
        let e = |model| ModelError::Diverged {
            model,
            step: 3,
            what: "loss is NaN".into(),
        };
        assert_eq!(
            e(Model::Gan).to_string(),
            "training diverged at step 3: loss is NaN. Lower the learning rates (or use Adam, a \
             smaller batch-independent k, or the WGAN-GP loss) and press Reset."
        );
        assert!(e(Model::Flow).to_string().contains("ActNorm"));
        assert!(e(Model::Diffusion)
            .to_string()
            .ends_with("Lower the learning rate and press Reset."));
        assert!(e(Model::Vae)
            .to_string()
            .ends_with("Lower the learning rate and press Reset."));
        assert_eq!(
            ModelError::NoData("digits").to_string(),
            "the digits data set is empty; reload the page"
        );
        assert!(e(Model::DigitsGan)
            .to_string()
            .ends_with("Lower the learning rates (2e-4 is safe) and press Reset."));
        assert!(e(Model::Classifier).to_string().contains("Reload the page"));
        assert_eq!(
            ModelError::from(LossError::Label {
                row: 0,
                label: 12,
                classes: 10
            })
            .to_string(),
            "the loss could not be computed (label 12 of row 0 is not below the 10 classes); \
             press Reset to start over"
        );
        assert_eq!(
            ModelError::NoImage {
                index: 400,
                count: 359
            }
            .to_string(),
            "image 400 is not among the 359 held-out digits; pick another image"
        );
        assert_eq!(
            matrix("image", vec![0.0; 3], (1, 64)),
            Err(ModelError::Loss(LossError::Shape {
                what: "image",
                got: 3,
                expected: 64
            }))
        );
    }
}
