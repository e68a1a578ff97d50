//! Toy generative models that train live in the browser: pure Rust on ndarray, f32.
