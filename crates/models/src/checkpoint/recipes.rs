//! How each shipped checkpoint is trained: one [`Recipe`] per model kind, run by
//! `cargo run --release -p gentutor-models --example train_digits -- <kind> [--seed S]
//! [--steps N] [--out FILE]`. A recipe is a pure function of the digits, the seed and the step
//! count, so the same command gives the same bytes (tested with few steps below).
//!
//! To add a model: implement [`super::Checkpointed`] for its weights in its own folder, write a
//! `fn(&Digits, seed, steps, progress) -> Result<Checkpoint, ModelError>` there, and add one line
//! to [`RECIPES`].

use super::models::VaeWeights;
use super::Checkpoint;
use crate::digit_classifier::{self, Classifier};
use crate::digits::Digits;
use crate::error::ModelError;
use crate::vae::{VaeConfig, VaeTrainer};
use gentutor_rng::Rng;

/// Called with the steps done so far, now and then, for a progress read-out.
pub type Progress<'a> = &'a mut dyn FnMut(u64);
/// Trains a model from `seed` for `steps` steps and returns its checkpoint.
pub type TrainFn = fn(&Digits, u64, u64, Progress<'_>) -> Result<Checkpoint, ModelError>;

/// How one model's shipped checkpoint is made.
#[derive(Clone, Copy)]
pub struct Recipe {
    /// The model kind ([`super::Checkpointed::KIND`]), also the file name.
    pub kind: &'static str,
    /// One line for `--help`.
    pub about: &'static str,
    /// The seed of the shipped file.
    pub seed: u64,
    /// The training steps of the shipped file.
    pub steps: u64,
    pub train: TrainFn,
}

/// Every model with a shipped checkpoint, by kind.
pub static RECIPES: &[Recipe] = &[
    Recipe {
        kind: "digit-classifier",
        about:
            "the read-out classifier 64-64-10 (coverage of generated digits, adversarial examples)",
        seed: digit_classifier::SEED,
        steps: digit_classifier::STEPS as u64,
        train: train_classifier,
    },
    Recipe {
        kind: "vae",
        about: "the VAE demo's default settings (2D latent, Bernoulli decoder)",
        seed: 1,
        steps: 20_000,
        train: train_vae,
    },
    Recipe {
        kind: "digits-gan",
        about: "the digits GAN demo's default settings (MLP generator and discriminator)",
        seed: 1,
        steps: crate::digits_gan::SHIPPED_STEPS,
        train: crate::digits_gan::checkpoint::train_recipe,
    },
    Recipe {
        kind: "digits-flow",
        about: "the digits flow demo's default settings (RealNVP, 6 couplings, hidden 64)",
        seed: 1,
        steps: crate::digits_flow::checkpoint::SHIPPED_STEPS,
        train: crate::digits_flow::checkpoint::train_recipe,
    },
    Recipe {
        kind: "digits-diffusion",
        about: "the digits diffusion demo's default settings (MLP denoiser, T = 100, cosine)",
        seed: 1,
        steps: crate::digits_diffusion::checkpoint::SHIPPED_STEPS,
        train: crate::digits_diffusion::checkpoint::train_recipe,
    },
];

/// The recipe of `kind`.
pub fn recipe(kind: &str) -> Option<&'static Recipe> {
    RECIPES.iter().find(|r| r.kind == kind)
}

/// The standard classifier's training with another seed and step count (the standard one is
/// seed [`digit_classifier::SEED`], [`digit_classifier::STEPS`] steps).
fn train_classifier(
    data: &Digits,
    seed: u64,
    steps: u64,
    progress: Progress<'_>,
) -> Result<Checkpoint, ModelError> {
    let mut rng = Rng::new(seed);
    let mut c = Classifier::new(&digit_classifier::HIDDEN, &mut rng);
    let split = data.standard_split();
    c.train(
        data,
        &split,
        steps as usize,
        digit_classifier::BATCH,
        &mut rng,
    )?;
    progress(steps);
    let metrics = vec![
        ("test_accuracy".into(), c.accuracy(data, &split.test)),
        ("train_accuracy".into(), c.accuracy(data, &split.train)),
    ];
    Ok(Checkpoint::of(&c, seed, steps, metrics))
}

fn train_vae(
    data: &Digits,
    seed: u64,
    steps: u64,
    progress: Progress<'_>,
) -> Result<Checkpoint, ModelError> {
    let config = VaeConfig {
        seed,
        ..VaeConfig::default()
    };
    let mut t = VaeTrainer::new(&config, data.clone())?;
    while t.step_count() < steps {
        t.step((steps - t.step_count()).min(500) as usize)?;
        progress(t.step_count());
    }
    let test = t.test_terms(7);
    let metrics = vec![
        ("test_elbo".into(), test.elbo()),
        ("test_recon".into(), test.recon),
        ("test_kl".into(), test.kl),
    ];
    let w = VaeWeights {
        config: t.config().clone(),
        vae: t.vae().clone(),
    };
    Ok(Checkpoint::of(&w, seed, steps, metrics))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checkpoint::Checkpointed;

    /// The same command gives the same bytes, and the file reads back as its model.
    #[test]
    fn recipes_are_reproducible_and_load() {
        let d = Digits::shipped().expect("digits");
        for r in RECIPES {
            let mut seen = Vec::new();
            let a = (r.train)(&d, 5, 40, &mut |s| seen.push(s)).expect("trains");
            let b = (r.train)(&d, 5, 40, &mut |_| {}).expect("trains");
            assert_eq!(a.encode(), b.encode(), "{}: same seed, same bytes", r.kind);
            assert_eq!(
                seen.last(),
                Some(&40),
                "{}: progress reaches the end",
                r.kind
            );
            assert_eq!((a.kind.as_str(), a.seed, a.steps), (r.kind, 5, 40));
            let c = (r.train)(&d, 6, 40, &mut |_| {}).expect("trains");
            assert_ne!(a.payload, c.payload, "{}: the seed matters", r.kind);
            assert!(recipe(r.kind).is_some());
        }
        let bytes = recipe("vae")
            .map(|r| (r.train)(&d, 5, 40, &mut |_| {}))
            .expect("vae recipe")
            .expect("trains")
            .encode()
            .expect("encodes");
        let (_, w) = Checkpoint::load::<VaeWeights>(&bytes).expect("loads");
        assert_eq!(w.config.seed, 5);
        assert!(
            Checkpoint::load::<Classifier>(&bytes).is_err(),
            "kind checked"
        );
        assert_eq!(VaeWeights::KIND, "vae");
    }
}
