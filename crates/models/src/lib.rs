//! Toy generative models that train live in the browser: pure Rust on ndarray, f32.

pub mod adversarial;
pub mod bench;
pub mod checkpoint;
pub mod datasets2d;
pub mod density_ratio;
pub mod diffusion;
pub mod digit_classifier;
pub mod digits;
pub mod digits_compare;
pub mod digits_diffusion;
pub mod digits_flow;
pub mod digits_gan;
pub mod divergences;
pub mod error;
pub mod flow2d;
pub mod gan1d;
pub mod history;
pub mod link;
pub mod ssgan;
pub mod train_loop;
pub use error::{Model, ModelError};
/// The MLP's matrix products (the `gentutor-kernels` crate, optimised for speed).
pub use gentutor_kernels as gemm;
/// The network every model is built from (the `gentutor-nn` crate).
pub use gentutor_nn::mlp;
pub mod ranges;
pub mod vae;
/// The seeded generators (the `gentutor-rng` crate, shared with the study engine).
pub use gentutor_rng as rng;
