//! Toy generative models that train live in the browser: pure Rust on ndarray, f32.

pub mod bench;
pub mod datasets2d;
pub mod diffusion;
pub mod flow2d;
pub mod gan1d;
pub mod history;
/// The MLP's matrix products (the `gentutor-kernels` crate, optimised for speed).
pub use gentutor_kernels as gemm;
pub mod mlp;
pub mod ranges;
pub mod rng;
