//! Neural-network building blocks with hand-written backward passes: the MLP, its activations,
//! losses (value and gradient) and optimizers over parameter slices, and central-difference
//! gradient checks for tests. Pure Rust on ndarray; no web, no plots.

pub mod activation;
pub mod dense;
pub mod gradcheck;
pub mod loss;
pub mod mlp;
pub mod optim;
