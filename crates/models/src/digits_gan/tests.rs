//! Fixed-seed tests of the digits GAN as a whole.
