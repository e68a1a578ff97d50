//! The study modes' shuffles use the crate's SplitMix64 (seeded, so tests are exact); it lives
//! with the models' generator in `core::models::rng`.

pub use crate::core::models::rng::SplitMix64;
