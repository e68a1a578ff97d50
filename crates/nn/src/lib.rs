//! Neural-network building blocks with hand-written backward passes: the MLP, its activations,
//! losses and optimizers. Pure Rust on ndarray; no web, no plots.

pub mod mlp;
