//! Element-wise activations, their derivatives, and the array loops the MLP runs them in.

use gentutor_kernels as gemm;
use ndarray::{Array2, Zip};
use serde::{Deserialize, Serialize};

/// tanh without `exp`: a rational approximation ([`gemm::tanh`]), absolute error < 5e-7.
/// libm's `tanhf` was ~50% of a GAN step natively, and WASM has no fast `exp` at all.
#[inline]
pub fn fast_tanh(z: f32) -> f32 {
    gemm::tanh(z)
}

/// Element-wise activation function.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Activation {
    /// sigma(z) = z
    Identity,
    /// sigma(z) = tanh z
    Tanh,
    /// sigma(z) = max(z, 0)
    Relu,
    /// sigma(z) = z for z > 0, slope * z otherwise
    LeakyRelu(f32),
}

impl Activation {
    /// sigma(z).
    #[inline]
    pub fn apply(self, z: f32) -> f32 {
        match self {
            Activation::Identity => z,
            Activation::Tanh => fast_tanh(z),
            Activation::Relu => z.max(0.0),
            Activation::LeakyRelu(s) => {
                if z > 0.0 {
                    z
                } else {
                    s * z
                }
            }
        }
    }

    /// sigma'(z), given both the pre-activation `z` and the output `h = sigma(z)` (tanh reuses h).
    #[inline]
    pub fn deriv(self, z: f32, h: f32) -> f32 {
        match self {
            Activation::Identity => 1.0,
            Activation::Tanh => 1.0 - h * h,
            Activation::Relu => {
                if z > 0.0 {
                    1.0
                } else {
                    0.0
                }
            }
            Activation::LeakyRelu(s) => {
                if z > 0.0 {
                    1.0
                } else {
                    s
                }
            }
        }
    }

    /// sigma''(z) (zero almost everywhere for piecewise-linear activations).
    #[inline]
    pub fn deriv2(self, h: f32) -> f32 {
        match self {
            Activation::Tanh => -2.0 * h * (1.0 - h * h),
            _ => 0.0,
        }
    }
}

/// h = sigma(z) element-wise, with the activation dispatched once per array (not per element)
/// so the loops vectorise.
pub(crate) fn apply_act(act: Activation, z: &Array2<f32>, h: &mut Array2<f32>) {
    // Contiguous arrays (the cache's own): the vectorised slice kernels.
    if let (Some(zs), Some(hs)) = (z.as_slice(), h.as_slice_mut()) {
        match act {
            Activation::Identity => hs.copy_from_slice(zs),
            Activation::Tanh => gemm::tanh_into(zs, hs),
            Activation::Relu => gemm::leaky_relu_into(0.0, zs, hs),
            Activation::LeakyRelu(s) => gemm::leaky_relu_into(s, zs, hs),
        }
        return;
    }
    let zh = Zip::from(h).and(z);
    match act {
        Activation::Identity => zh.for_each(|h, &z| *h = z),
        Activation::Tanh => zh.for_each(|h, &z| *h = fast_tanh(z)),
        Activation::Relu => zh.for_each(|h, &z| *h = z.max(0.0)),
        Activation::LeakyRelu(s) => zh.for_each(|h, &z| *h = if z > 0.0 { z } else { s * z }),
    }
}

/// out = g (.) sigma'(z), dispatched once per array.
pub(crate) fn mul_act_deriv(
    act: Activation,
    g: &Array2<f32>,
    z: &Array2<f32>,
    h: &Array2<f32>,
    out: &mut Array2<f32>,
) {
    if let (Some(gs), Some(zs), Some(hs), Some(os)) =
        (g.as_slice(), z.as_slice(), h.as_slice(), out.as_slice_mut())
    {
        match act {
            Activation::Identity => os.copy_from_slice(gs),
            Activation::Tanh => gemm::mul_tanh_deriv(gs, hs, os),
            Activation::Relu => gemm::mul_leaky_relu_deriv(0.0, gs, zs, os),
            Activation::LeakyRelu(s) => gemm::mul_leaky_relu_deriv(s, gs, zs, os),
        }
        return;
    }
    match act {
        Activation::Identity => out.assign(g),
        Activation::Tanh => Zip::from(out)
            .and(g)
            .and(h)
            .for_each(|o, &g, &h| *o = g * (1.0 - h * h)),
        Activation::Relu => Zip::from(out)
            .and(g)
            .and(z)
            .for_each(|o, &g, &z| *o = if z > 0.0 { g } else { 0.0 }),
        Activation::LeakyRelu(s) => Zip::from(out)
            .and(g)
            .and(z)
            .for_each(|o, &g, &z| *o = if z > 0.0 { g } else { s * g }),
    }
}
