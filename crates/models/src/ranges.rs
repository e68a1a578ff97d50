//! The demos' settings: forcing a slider or link value into range, the message for one that is
//! out of it, and reading `key=value` pieces of a shareable link. Shared by every model's
//! `Config`.

use crate::error::ModelError;
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

/// `Ok` when `v` is in `r`, else [`ModelError::InvalidConfig`] naming `field` and the valid
/// range: every model's `Config::validate` checks its fields with this.
pub fn check<F: PartialOrd + Display>(
    field: &'static str,
    v: F,
    r: &RangeInclusive<F>,
) -> Result<(), ModelError> {
    out_of_range(v, r).map_or(Ok(()), |reason| {
        Err(ModelError::InvalidConfig { field, reason })
    })
}

/// One `key=value` piece of a settings link (`#k=8&sd=0.2`), with parsers whose errors say
/// what was expected ([`crate::link`] wraps the message in [`ModelError::BadHash`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinkField<'a> {
    pub key: &'a str,
    pub val: &'a str,
}

impl<'a> LinkField<'a> {
    /// The pieces of a link's hash (a leading `#` and blanks are ignored).
    pub fn parse_all(s: &'a str) -> impl Iterator<Item = Result<LinkField<'a>, String>> {
        s.trim()
            .trim_start_matches('#')
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|piece| {
                piece
                    .split_once('=')
                    .map(|(key, val)| LinkField { key, val })
                    .ok_or_else(|| format!("`{piece}` is not of the form key=value"))
            })
    }

    /// "`key=val`: expected <what>".
    pub fn bad(&self, what: &str) -> String {
        format!("`{}={}`: expected {what}", self.key, self.val)
    }

    /// A number (not NaN; infinities are left for clamping).
    pub fn float(&self) -> Result<f64, String> {
        self.val
            .parse::<f64>()
            .ok()
            .filter(|v| !v.is_nan())
            .ok_or_else(|| self.bad("a number"))
    }

    /// A whole number; "3.0" and huge values are accepted and saturate into `0..=max`.
    pub fn uint(&self, max: f64) -> Result<u64, String> {
        self.val
            .parse::<f64>()
            .ok()
            .filter(|v| !v.is_nan())
            .map(|v| v.clamp(0.0, max) as u64)
            .ok_or_else(|| self.bad("a whole number"))
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

    #[test]
    fn link_fields_parse_and_explain_bad_values() {
        let f: Vec<_> = LinkField::parse_all("#k=8&&sd=0.2&n=3.0&big=1e30").collect();
        assert_eq!(f.len(), 4);
        let f: Vec<LinkField> = f.into_iter().map(|x| x.expect("valid")).collect();
        assert_eq!(f[0].uint(1e9), Ok(8));
        assert_eq!(f[1].float(), Ok(0.2));
        assert_eq!(f[2].uint(1e9), Ok(3));
        assert_eq!(f[3].uint(1e6), Ok(1_000_000));
        let nan = LinkField {
            key: "lr",
            val: "NaN",
        };
        assert_eq!(nan.float(), Err("`lr=NaN`: expected a number".to_string()));
        assert!(nan.uint(9.0).is_err());
        let err = LinkField::parse_all("k=1&oops").nth(1).expect("two pieces");
        assert_eq!(err, Err("`oops` is not of the form key=value".to_string()));
    }
}
