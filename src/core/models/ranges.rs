//! Valid ranges of the demos' settings: forcing a slider or link value into range, and the
//! message for one that is out of it. Shared by every model's `Config`.

use std::fmt::Display;
use std::ops::RangeInclusive;

/// `v` forced into `r`; NaN (which has no place in a range) becomes `default`.
pub fn clamp_or<F: PartialOrd + Copy>(v: F, r: &RangeInclusive<F>, default: F) -> F {
    // `v != v` only for NaN.
    #[allow(clippy::eq_op)]
    if v != v {
        default
    } else if v < *r.start() {
        *r.start()
    } else if v > *r.end() {
        *r.end()
    } else {
        v
    }
}

/// Why `v` is not a valid setting (`"3 is outside 4..=8"`), or `None` if it is in `r`. NaN is
/// never in range.
pub fn out_of_range<F: PartialOrd + Display>(v: F, r: &RangeInclusive<F>) -> Option<String> {
    if r.contains(&v) {
        None
    } else {
        Some(format!("{v} is outside {}..={}", r.start(), r.end()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clamps_into_range_and_replaces_nan() {
        assert_eq!(clamp_or(5usize, &(1..=3), 2), 3);
        assert_eq!(clamp_or(0usize, &(1..=3), 2), 1);
        assert_eq!(clamp_or(2.5f32, &(1.0..=3.0), 2.0), 2.5);
        assert_eq!(clamp_or(f32::NAN, &(1.0..=3.0), 2.0), 2.0);
        assert_eq!(clamp_or(f64::INFINITY, &(1.0..=3.0), 2.0), 3.0);
        assert_eq!(out_of_range(2, &(1..=3)), None);
        assert_eq!(
            out_of_range(9, &(1..=3)).as_deref(),
            Some("9 is outside 1..=3")
        );
        assert!(out_of_range(f32::NAN, &(0.0..=1.0)).is_some());
    }
}
