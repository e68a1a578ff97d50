//! Gradient checks by central differences, for the tests of every hand-written backward pass.
//!
//! ```text
//! dL/dx_i ~ (L(x + h e_i) - L(x - h e_i)) / (2h)      error O(h^2)
//! ```
//! Compare with [`check_gradient`]: it names the worst coordinate when the two disagree.

/// The central-difference gradient of `f` at `x` with step `h` (the function is evaluated in
/// f64 so the difference keeps its precision; `x` is perturbed in f32, as the code under test
/// sees it).
pub fn numeric_gradient(mut f: impl FnMut(&[f32]) -> f64, x: &[f32], h: f32) -> Vec<f64> {
    let mut x = x.to_vec();
    (0..x.len())
        .map(|i| {
            let x0 = x[i];
            x[i] = x0 + h;
            let up = f(&x);
            x[i] = x0 - h;
            let down = f(&x);
            x[i] = x0;
            // The actual step taken in f32, not the nominal h.
            let step = f64::from(x0 + h) - f64::from(x0 - h);
            (up - down) / step
        })
        .collect()
}

/// |a - n| / max(|a| + |n|, floor): relative where the derivatives are large, absolute (scaled
/// by `floor`) where both are near zero.
pub fn relative_error(analytic: f64, numeric: f64, floor: f64) -> f64 {
    (analytic - numeric).abs() / (analytic.abs() + numeric.abs()).max(floor)
}

/// Checks an analytic gradient against central differences of `f` at `x`: `Err` names the
/// worst coordinate when its [`relative_error`] (with floor 1e-3) exceeds `tol`.
pub fn check_gradient(
    f: impl FnMut(&[f32]) -> f64,
    x: &[f32],
    analytic: &[f32],
    h: f32,
    tol: f64,
) -> Result<(), String> {
    if analytic.len() != x.len() {
        return Err(format!(
            "{} analytic derivatives for {} inputs",
            analytic.len(),
            x.len()
        ));
    }
    let numeric = numeric_gradient(f, x, h);
    let worst = analytic
        .iter()
        .zip(&numeric)
        .enumerate()
        .map(|(i, (&a, &n))| (i, f64::from(a), n, relative_error(f64::from(a), n, 1e-3)))
        .fold(None, |w: Option<(usize, f64, f64, f64)>, c| match w {
            Some(w) if w.3 >= c.3 => Some(w),
            _ => Some(c),
        });
    match worst {
        Some((i, a, n, e)) if e > tol || e.is_nan() => Err(format!(
            "d/dx[{i}]: analytic {a:.6e}, central difference {n:.6e} (relative error {e:.2e} > {tol:.0e})"
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passes_a_right_gradient_and_names_a_wrong_one() {
        // f(x) = x0^2 x1 + sin(x1): grad = (2 x0 x1, x0^2 + cos x1).
        let f = |x: &[f32]| {
            let (a, b) = (f64::from(x[0]), f64::from(x[1]));
            a * a * b + b.sin()
        };
        let x = [0.7f32, -1.3];
        let right = [2.0 * 0.7 * -1.3, 0.49 + (-1.3f32).cos()];
        assert_eq!(check_gradient(f, &x, &right, 1e-3, 1e-3), Ok(()));
        let wrong = [right[0], right[1] + 0.1];
        let err = check_gradient(f, &x, &wrong, 1e-3, 1e-3).expect_err("wrong gradient");
        assert!(err.starts_with("d/dx[1]"), "{err}");
        assert!(check_gradient(f, &x, &right[..1], 1e-3, 1e-3).is_err());
        assert!(relative_error(0.0, 1e-9, 1e-3) < 1e-5);
    }
}
