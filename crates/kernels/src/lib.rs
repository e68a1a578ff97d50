//! Small dense matrix products for the MLP, on row-major f32 slices.
//!
//! The demos multiply tall, thin matrices (batch 256 by 1..64 features). A general GEMM
//! (`matrixmultiply`, behind ndarray's `general_mat_mul`) spends a third of its time packing
//! panels at these sizes. These loops keep one output row in registers as 4-lane vectors
//! ([`F4`]: SSE natively, `simd128` in the browser, the same 128-bit width and the same
//! operations on both, so native and WASM speeds compare like for like) for the common widths
//! (multiples of 4), and fall back to plain loops otherwise. Each function states its shapes.
//!
//! This is its own crate so that it alone is compiled at `opt-level = 3`: the workspace's
//! release profile is `z`, for size, at which LLVM neither unrolls nor vectorises loops.
mod f4 {
    //! Four f32 lanes: one 128-bit vector where the target has one, else an array.
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    mod imp {
        use core::arch::wasm32::*;
        #[derive(Clone, Copy)]
        pub struct F4(v128);
        impl F4 {
            #[inline(always)]
            pub fn splat(x: f32) -> F4 {
                F4(f32x4_splat(x))
            }
            #[inline(always)]
            pub fn load(a: &[f32; 4]) -> F4 {
                // SAFETY: `a` is 16 readable bytes; v128_load allows any alignment.
                F4(unsafe { v128_load(a.as_ptr().cast()) })
            }
            #[inline(always)]
            pub fn store(self, out: &mut [f32; 4]) {
                // SAFETY: `out` is 16 writable bytes; v128_store allows any alignment.
                unsafe { v128_store(out.as_mut_ptr().cast(), self.0) }
            }
            /// self + a * b
            #[inline(always)]
            pub fn mul_add(self, a: F4, b: F4) -> F4 {
                F4(f32x4_add(self.0, f32x4_mul(a.0, b.0)))
            }
        }
    }
    #[cfg(target_arch = "x86_64")]
    mod imp {
        use core::arch::x86_64::*;
        #[derive(Clone, Copy)]
        pub struct F4(__m128);
        // SSE is part of the x86_64 baseline, so these intrinsics are always available.
        #[allow(unused_unsafe)]
        impl F4 {
            #[inline(always)]
            pub fn splat(x: f32) -> F4 {
                F4(unsafe { _mm_set1_ps(x) })
            }
            #[inline(always)]
            pub fn load(a: &[f32; 4]) -> F4 {
                // SAFETY: `a` is 16 readable bytes; loadu allows any alignment.
                F4(unsafe { _mm_loadu_ps(a.as_ptr()) })
            }
            #[inline(always)]
            pub fn store(self, out: &mut [f32; 4]) {
                // SAFETY: `out` is 16 writable bytes; storeu allows any alignment.
                unsafe { _mm_storeu_ps(out.as_mut_ptr(), self.0) }
            }
            /// self + a * b (no FMA: the same rounding as the WASM build)
            #[inline(always)]
            pub fn mul_add(self, a: F4, b: F4) -> F4 {
                F4(unsafe { _mm_add_ps(self.0, _mm_mul_ps(a.0, b.0)) })
            }
        }
    }
    #[cfg(not(any(
        all(target_arch = "wasm32", target_feature = "simd128"),
        target_arch = "x86_64"
    )))]
    mod imp {
        #[derive(Clone, Copy)]
        pub struct F4([f32; 4]);
        impl F4 {
            #[inline(always)]
            pub fn splat(x: f32) -> F4 {
                F4([x; 4])
            }
            #[inline(always)]
            pub fn load(a: &[f32; 4]) -> F4 {
                F4(*a)
            }
            #[inline(always)]
            pub fn store(self, out: &mut [f32; 4]) {
                *out = self.0;
            }
            #[inline(always)]
            pub fn mul_add(self, a: F4, b: F4) -> F4 {
                let mut r = self.0;
                for i in 0..4 {
                    r[i] += a.0[i] * b.0[i];
                }
                F4(r)
            }
        }
    }
    pub use imp::F4;
}
pub use f4::F4;

/// Four-lane groups of a slice whose length is a multiple of 4.
#[inline(always)]
fn quads(s: &[f32]) -> impl Iterator<Item = &[f32; 4]> {
    s.chunks_exact(4)
        .filter_map(|c| <&[f32; 4]>::try_from(c).ok())
}

#[inline(always)]
fn quads_mut(s: &mut [f32]) -> impl Iterator<Item = &mut [f32; 4]> {
    s.chunks_exact_mut(4)
        .filter_map(|c| <&mut [f32; 4]>::try_from(c).ok())
}

/// C = A B + bias, or C += A B when `accumulate`.
///
/// ```text
/// A: (m, k)   B: (k, n)   bias: (n) or none   C: (m, n)
/// C[i, j] = bias[j] + sum_p A[i, p] B[p, j]
/// ```
pub fn gemm_nn(
    (m, k, n): (usize, usize, usize),
    a: &[f32],
    b: &[f32],
    bias: Option<&[f32]>,
    c: &mut [f32],
    accumulate: bool,
) {
    assert!(a.len() == m * k && b.len() == k * n && c.len() == m * n);
    assert!(bias.is_none_or(|bias| bias.len() == n));
    if k == 0 || n == 0 {
        for crow in c.chunks_exact_mut(n.max(1)).take(m) {
            if !accumulate {
                match bias {
                    Some(bias) => crow.copy_from_slice(bias),
                    None => crow.fill(0.0),
                }
            }
        }
        return;
    }
    match n {
        4 => nn_quads::<1>(m, k, a, b, bias, c, accumulate),
        8 => nn_quads::<2>(m, k, a, b, bias, c, accumulate),
        16 => nn_quads::<4>(m, k, a, b, bias, c, accumulate),
        32 => nn_quads::<8>(m, k, a, b, bias, c, accumulate),
        64 => nn_quads::<16>(m, k, a, b, bias, c, accumulate),
        _ => {
            for (arow, crow) in a.chunks_exact(k).zip(c.chunks_exact_mut(n)).take(m) {
                if !accumulate {
                    match bias {
                        Some(bias) => crow.copy_from_slice(bias),
                        None => crow.fill(0.0),
                    }
                }
                for (&aip, brow) in arow.iter().zip(b.chunks_exact(n)) {
                    for (cj, &bj) in crow.iter_mut().zip(brow) {
                        *cj += aip * bj;
                    }
                }
            }
        }
    }
}

/// [`gemm_nn`] for n = 4 * Q: the output row lives in Q vector registers.
#[inline(always)]
fn nn_quads<const Q: usize>(
    m: usize,
    k: usize,
    a: &[f32],
    b: &[f32],
    bias: Option<&[f32]>,
    c: &mut [f32],
    accumulate: bool,
) {
    let n = 4 * Q;
    let mut init = [F4::splat(0.0); Q];
    if let Some(bias) = bias {
        for (v, q) in init.iter_mut().zip(quads(bias)) {
            *v = F4::load(q);
        }
    }
    for (arow, crow) in a.chunks_exact(k).zip(c.chunks_exact_mut(n)).take(m) {
        let mut acc = init;
        if accumulate {
            for (v, q) in acc.iter_mut().zip(quads(crow)) {
                *v = v.mul_add(F4::load(q), F4::splat(1.0));
            }
        }
        for (&aip, brow) in arow.iter().zip(b.chunks_exact(n)) {
            let av = F4::splat(aip);
            for (v, q) in acc.iter_mut().zip(quads(brow)) {
                *v = v.mul_add(av, F4::load(q));
            }
        }
        for (v, q) in acc.iter().zip(quads_mut(crow)) {
            v.store(q);
        }
    }
}

/// C = A^T B, or C += A^T B when `accumulate` (the weight gradient h^T delta).
///
/// ```text
/// A: (m, k)   B: (m, n)   C: (k, n)
/// C[p, j] = sum_i A[i, p] B[i, j]
/// ```
pub fn gemm_tn(
    (m, k, n): (usize, usize, usize),
    a: &[f32],
    b: &[f32],
    c: &mut [f32],
    accumulate: bool,
) {
    assert!(a.len() == m * k && b.len() == m * n && c.len() == k * n);
    if !accumulate {
        c.fill(0.0);
    }
    if k == 0 || n == 0 {
        return;
    }
    if n % 4 == 0 {
        for (arow, brow) in a.chunks_exact(k).zip(b.chunks_exact(n)).take(m) {
            for (&aip, crow) in arow.iter().zip(c.chunks_exact_mut(n)) {
                let av = F4::splat(aip);
                for (cq, bq) in quads_mut(crow).zip(quads(brow)) {
                    F4::load(cq).mul_add(av, F4::load(bq)).store(cq);
                }
            }
        }
    } else {
        for (arow, brow) in a.chunks_exact(k).zip(b.chunks_exact(n)).take(m) {
            for (&aip, crow) in arow.iter().zip(c.chunks_exact_mut(n)) {
                for (cj, &bj) in crow.iter_mut().zip(brow) {
                    *cj += aip * bj;
                }
            }
        }
    }
}

/// C = A B^T (the input gradient delta W^T), via a transposed copy of B so the inner loop is
/// [`gemm_nn`]'s contiguous one. `scratch` is reused between calls.
///
/// ```text
/// A: (m, n)   B: (k, n)   C: (m, k)
/// C[i, p] = sum_j A[i, j] B[p, j]
/// ```
pub fn gemm_nt(
    (m, n, k): (usize, usize, usize),
    a: &[f32],
    b: &[f32],
    c: &mut [f32],
    accumulate: bool,
    scratch: &mut Vec<f32>,
) {
    assert!(a.len() == m * n && b.len() == k * n && c.len() == m * k);
    scratch.clear();
    scratch.resize(n * k, 0.0);
    for (p, brow) in b.chunks_exact(n).enumerate().take(k) {
        for (j, &v) in brow.iter().enumerate() {
            scratch[j * k + p] = v;
        }
    }
    gemm_nn((m, n, k), a, scratch, None, c, accumulate);
}

/// Column sums: out[j] = sum_i A[i, j] for A: (m, n) (the bias gradient).
pub fn col_sums((m, n): (usize, usize), a: &[f32], out: &mut [f32]) {
    assert!(a.len() == m * n && out.len() == n);
    out.fill(0.0);
    if n == 0 {
        return;
    }
    if n % 4 == 0 {
        let one = F4::splat(1.0);
        for row in a.chunks_exact(n).take(m) {
            for (oq, rq) in quads_mut(out).zip(quads(row)) {
                F4::load(oq).mul_add(one, F4::load(rq)).store(oq);
            }
        }
        return;
    }
    for row in a.chunks_exact(n).take(m) {
        for (o, &v) in out.iter_mut().zip(row) {
            *o += v;
        }
    }
}

/// tanh as a rational function (Eigen's float `ptanh` coefficients): odd degree-13 numerator
/// over even degree-6 denominator, on z clamped to [-9, 9] (where tanh is 1 to f32 precision).
/// No `exp` and no branch, so slices of it vectorise; the WASM target has no fast libm `exp`.
/// Max abs error vs f64 tanh 3.6e-7, about 6 f32 ulps near 1 (tested); NaN stays NaN.
#[inline(always)]
pub fn tanh(z: f32) -> f32 {
    #[allow(clippy::excessive_precision)] // the published coefficients, as written
    const A: [f32; 7] = [
        4.893_524_6e-3,
        6.372_619_3e-4,
        1.485_722_4e-5,
        5.122_297e-8,
        -8.604_671_5e-11,
        2.000_188e-13,
        -2.760_768_5e-16,
    ];
    #[allow(clippy::excessive_precision)]
    const B: [f32; 4] = [4.893_525e-3, 2.268_434_6e-3, 1.185_347e-4, 1.198_258_4e-6];
    // max/min pass NaN through as the other operand, so keep NaN explicitly.
    let x = if z.is_nan() { z } else { z.clamp(-9.0, 9.0) };
    let x2 = x * x;
    let mut p = A[6];
    for &a in A[..6].iter().rev() {
        p = p * x2 + a;
    }
    let q = ((B[3] * x2 + B[2]) * x2 + B[1]) * x2 + B[0];
    x * p / q
}

/// h = tanh(z), element-wise.
pub fn tanh_into(z: &[f32], h: &mut [f32]) {
    for (h, &z) in h.iter_mut().zip(z) {
        *h = tanh(z);
    }
}

/// h = z for z > 0, slope * z otherwise (slope 0: ReLU), element-wise.
pub fn leaky_relu_into(slope: f32, z: &[f32], h: &mut [f32]) {
    for (h, &z) in h.iter_mut().zip(z) {
        *h = if z > 0.0 { z } else { slope * z };
    }
}

/// out = g * (1 - h^2): the tanh backward step, given h = tanh(z).
pub fn mul_tanh_deriv(g: &[f32], h: &[f32], out: &mut [f32]) {
    for ((o, &g), &h) in out.iter_mut().zip(g).zip(h) {
        *o = g * (1.0 - h * h);
    }
}

/// out = g for z > 0, slope * g otherwise: the (leaky) ReLU backward step.
pub fn mul_leaky_relu_deriv(slope: f32, g: &[f32], z: &[f32], out: &mut [f32]) {
    for ((o, &g), &z) in out.iter_mut().zip(g).zip(z) {
        *o = if z > 0.0 { g } else { slope * g };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deterministic values in [-1, 1) (a 64-bit LCG; the tests need no better).
    struct Rng(u64);
    impl Rng {
        fn new(seed: u64) -> Rng {
            Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1)
        }
    }

    fn rand(len: usize, rng: &mut Rng) -> Vec<f32> {
        (0..len)
            .map(|_| {
                rng.0 = rng
                    .0
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1);
                ((rng.0 >> 40) as f32 / (1u64 << 24) as f32) * 2.0 - 1.0
            })
            .collect()
    }

    /// The textbook triple loop, in f64.
    fn naive(
        m: usize,
        k: usize,
        n: usize,
        a: impl Fn(usize, usize) -> f32,
        b: impl Fn(usize, usize) -> f32,
    ) -> Vec<f32> {
        let mut c = vec![0.0f32; m * n];
        for i in 0..m {
            for j in 0..n {
                c[i * n + j] = (0..k).map(|p| a(i, p) as f64 * b(p, j) as f64).sum::<f64>() as f32;
            }
        }
        c
    }

    fn close(x: &[f32], y: &[f32]) {
        assert_eq!(x.len(), y.len());
        for (i, (a, b)) in x.iter().zip(y).enumerate() {
            assert!(
                (a - b).abs() <= 1e-4 * (1.0 + b.abs()),
                "element {i}: {a} vs {b}"
            );
        }
    }

    #[test]
    fn rational_tanh_is_accurate_saturates_and_keeps_nan() {
        let mut worst = 0.0f64;
        for i in -20_000..=20_000 {
            let z = i as f32 * 1e-3;
            worst = worst.max((tanh(z) as f64 - (z as f64).tanh()).abs());
        }
        assert!(worst < 5e-7, "max abs error {worst}"); // about 6 f32 ulps near 1
        assert_eq!(tanh(100.0), tanh(9.0));
        assert!((tanh(9.0) - 1.0).abs() < 1e-6);
        assert_eq!(tanh(-3.0), -tanh(3.0));
        assert_eq!(tanh(0.0), 0.0);
        assert!(tanh(f32::NAN).is_nan());
        let z = [-2.0f32, -0.5, 0.0, 0.5, 2.0];
        let mut h = [0.0f32; 5];
        tanh_into(&z, &mut h);
        leaky_relu_into(0.2, &z, &mut h);
        assert_eq!(h, [-0.4, -0.1, 0.0, 0.5, 2.0]);
        let mut out = [0.0f32; 5];
        mul_leaky_relu_deriv(0.2, &[1.0; 5], &z, &mut out);
        assert_eq!(out, [0.2, 0.2, 0.2, 1.0, 1.0]);
        mul_tanh_deriv(&[2.0; 5], &[0.0, 0.5, 1.0, -0.5, 0.1], &mut out);
        assert_eq!(out, [2.0, 1.5, 0.0, 1.5, 2.0 * (1.0 - 0.01)]);
    }

    #[test]
    fn products_match_the_triple_loop_for_every_width() {
        let mut rng = Rng::new(5);
        // Widths with a vector kernel (4, 8, 16, 32, 64), without (1, 2, 3, 7), and k = 0.
        for &(m, k, n) in &[
            (5, 3, 1),
            (4, 1, 2),
            (3, 32, 32),
            (7, 2, 64),
            (6, 5, 3),
            (2, 16, 16),
            (9, 4, 7),
            (3, 5, 4),
            (4, 3, 8),
            (2, 0, 8),
        ] {
            let a = rand(m * k, &mut rng);
            let b = rand(k * n, &mut rng);
            let bias = rand(n, &mut rng);
            let want = naive(m, k, n, |i, p| a[i * k + p], |p, j| b[p * n + j]);

            let mut c = vec![f32::NAN; m * n];
            gemm_nn((m, k, n), &a, &b, None, &mut c, false);
            close(&c, &want);

            let mut c = vec![f32::NAN; m * n];
            gemm_nn((m, k, n), &a, &b, Some(&bias), &mut c, false);
            let with_bias: Vec<f32> = want
                .iter()
                .enumerate()
                .map(|(i, v)| v + bias[i % n])
                .collect();
            close(&c, &with_bias);

            // Accumulate adds onto what is there.
            let mut c = vec![1.0; m * n];
            gemm_nn((m, k, n), &a, &b, None, &mut c, true);
            close(&c, &want.iter().map(|v| v + 1.0).collect::<Vec<_>>());

            // A^T B with A: (m, k), B: (m, n).
            let bm = rand(m * n, &mut rng);
            let want_tn = naive(k, m, n, |p, i| a[i * k + p], |i, j| bm[i * n + j]);
            let mut c = vec![f32::NAN; k * n];
            gemm_tn((m, k, n), &a, &bm, &mut c, false);
            close(&c, &want_tn);
            let mut c2 = c.clone();
            gemm_tn((m, k, n), &a, &bm, &mut c2, true);
            close(&c2, &c.iter().map(|v| 2.0 * v).collect::<Vec<_>>());

            // A B^T with A: (m, n), B: (k, n).
            let bk = rand(k * n, &mut rng);
            let want_nt = naive(m, n, k, |i, j| bm[i * n + j], |j, p| bk[p * n + j]);
            let mut c = vec![f32::NAN; m * k];
            let mut scratch = Vec::new();
            gemm_nt((m, n, k), &bm, &bk, &mut c, false, &mut scratch);
            close(&c, &want_nt);

            let mut sums = vec![f32::NAN; n];
            col_sums((m, n), &bm, &mut sums);
            let want_sums: Vec<f32> = (0..n)
                .map(|j| (0..m).map(|i| bm[i * n + j]).sum())
                .collect();
            close(&sums, &want_sums);
        }
    }
}
