//! The study modes' shuffles use the shared SplitMix64 (seeded, so tests are exact).

pub use gentutor_rng::SplitMix64;
