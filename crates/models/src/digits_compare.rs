//! The side-by-side view of the four model families on the same digits: what each can compute
//! about an image, and its measured speed. The models themselves live in `vae`, `digits_gan`,
//! `digits_flow` and `digits_diffusion`; this module holds the facts the view states and the
//! timing, with time passed in (so it is testable natively and in the browser alike).

/// One model family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Vae,
    Gan,
    Flow,
    Diffusion,
}

/// What a family can say about log p(x) for a given image x.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Likelihood {
    /// A lower bound on log p(x) (an ELBO).
    Bound,
    /// Nothing: the model only draws samples.
    None,
    /// log p(x) exactly (change of variables).
    Exact,
}

impl Family {
    pub const ALL: [Family; 4] = [Family::Vae, Family::Gan, Family::Flow, Family::Diffusion];

    pub fn name(self) -> &'static str {
        match self {
            Family::Vae => "VAE",
            Family::Gan => "GAN",
            Family::Flow => "Flow (RealNVP)",
            Family::Diffusion => "Diffusion (DDPM)",
        }
    }

    pub fn likelihood(self) -> Likelihood {
        match self {
            Family::Vae | Family::Diffusion => Likelihood::Bound,
            Family::Gan => Likelihood::None,
            Family::Flow => Likelihood::Exact,
        }
    }

    /// One sentence on what it computes for an image, as the view states it.
    pub fn computes(self) -> &'static str {
        match self {
            Family::Vae => "the ELBO: a lower bound on log p(x), from one encoder and decoder pass",
            Family::Gan => "nothing about p(x): it only draws samples (D's score is no density)",
            Family::Flow => "log p(x) exactly, by the change of variables, in one pass",
            Family::Diffusion => {
                "an ELBO-like bound over T steps; training minimises its reweighted form L_simple"
            }
        }
    }

    /// How one sample is drawn.
    pub fn sampling(self) -> &'static str {
        match self {
            Family::Vae => "z ~ N(0, I), one decoder pass (its mean shown)",
            Family::Gan => "z ~ N(0, I), one generator pass",
            Family::Flow => "z ~ N(0, T^2 I), one inverse pass",
            Family::Diffusion => "x_T ~ N(0, I), then T = 100 denoiser passes",
        }
    }
}

/// Measured speed of one family in this browser (or natively).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Speed {
    pub train_steps_per_s: f64,
    /// Milliseconds to draw the view's samples.
    pub sample_ms: f64,
}

/// Times `steps` training steps and one call of `sample`, with `now()` in milliseconds.
pub fn measure<E>(
    mut now: impl FnMut() -> f64,
    steps: usize,
    mut train: impl FnMut(usize) -> Result<(), E>,
    sample: impl FnOnce(),
) -> Result<Speed, E> {
    let t0 = now();
    train(steps)?;
    let t1 = now();
    sample();
    let t2 = now();
    let train_ms = t1 - t0;
    Ok(Speed {
        train_steps_per_s: if train_ms > 0.0 {
            steps as f64 * 1000.0 / train_ms
        } else {
            f64::INFINITY
        },
        sample_ms: t2 - t1,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn measure_times_training_and_sampling_with_the_clock_given() {
        // A fake clock: each training step costs 4 ms, sampling 30 ms.
        let clock = Cell::new(0.0);
        let s = measure(
            || clock.get(),
            25,
            |n| {
                clock.set(clock.get() + 4.0 * n as f64);
                Ok::<(), String>(())
            },
            || clock.set(clock.get() + 30.0),
        )
        .expect("measures");
        assert_eq!(
            s,
            Speed {
                train_steps_per_s: 250.0,
                sample_ms: 30.0
            }
        );
        let err = measure(|| 0.0, 3, |_| Err("diverged"), || {});
        assert_eq!(err, Err("diverged"));
    }

    #[test]
    fn each_family_states_what_it_computes() {
        let exact: Vec<Family> = Family::ALL
            .into_iter()
            .filter(|f| f.likelihood() == Likelihood::Exact)
            .collect();
        assert_eq!(exact, vec![Family::Flow]);
        assert_eq!(Family::Gan.likelihood(), Likelihood::None);
        assert!(Family::Vae.computes().contains("ELBO"));
        assert!(Family::Gan.computes().starts_with("nothing"));
        assert!(Family::Flow.computes().contains("exactly"));
        assert!(Family::Diffusion.computes().contains("bound"));
    }
}
