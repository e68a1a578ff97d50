//! The per-digit coverage read-out: the digit classifier labels generated images, and a digit
//! counts as produced when enough of them are confidently that digit. A GAN that "drops modes"
//! shows up here as digits with (almost) no samples.

use crate::digit_classifier::Classifier;
use crate::digits::CLASSES;
use ndarray::ArrayView2;
use serde::{Deserialize, Serialize};

/// A sample counts for a digit only if the classifier gives that digit at least this
/// probability (blobs that look like no digit count for none).
pub const CONFIDENCE: f32 = 0.9;
/// A digit is produced when at least this share of all samples is confidently that digit (a
/// quarter of the 10% it has in the data).
pub const MIN_SHARE: f64 = 0.025;

/// How many generated images the classifier confidently calls each digit.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Coverage {
    /// Confident samples per digit.
    pub counts: [usize; CLASSES],
    /// Samples classified.
    pub samples: usize,
}

impl Coverage {
    /// Classifies `images` (B, 64) in [0, 1].
    pub fn of(classifier: &Classifier, images: ArrayView2<'_, f32>) -> Coverage {
        let p = classifier.probabilities(images);
        let mut counts = [0; CLASSES];
        for row in p.rows() {
            if let Some((k, _)) = row.iter().enumerate().find(|(_, &v)| v >= CONFIDENCE) {
                counts[k] += 1;
            }
        }
        Coverage {
            counts,
            samples: images.nrows(),
        }
    }

    /// The share of all samples confidently classified as `digit`.
    pub fn share(&self, digit: usize) -> f64 {
        match self.counts.get(digit) {
            Some(&c) if self.samples > 0 => c as f64 / self.samples as f64,
            _ => 0.0,
        }
    }

    /// The share of samples that look confidently like some digit.
    pub fn confident_share(&self) -> f64 {
        self.counts.iter().sum::<usize>() as f64 / self.samples.max(1) as f64
    }

    /// Digits produced (share >= [`MIN_SHARE`]), ascending.
    pub fn produced(&self) -> Vec<u8> {
        (0..CLASSES as u8)
            .filter(|&d| self.share(d as usize) >= MIN_SHARE)
            .collect()
    }

    /// Digits dropped (share < [`MIN_SHARE`]), ascending.
    pub fn dropped(&self) -> Vec<u8> {
        (0..CLASSES as u8)
            .filter(|&d| self.share(d as usize) < MIN_SHARE)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::digits::Digits;

    #[test]
    fn real_digits_cover_everything_and_one_digit_covers_one() {
        let d = Digits::shipped().expect("digits");
        let c = Classifier::standard(&d).expect("trains");
        let test = d.standard_split().test;
        let all = Coverage::of(&c, d.batch_unit(&test).view());
        assert_eq!(all.produced(), (0..10).collect::<Vec<u8>>());
        assert!(all.dropped().is_empty());
        assert!(all.confident_share() > 0.85, "{all:?}");
        let sevens: Vec<usize> = test.iter().copied().filter(|&i| d.label(i) == 7).collect();
        let only = Coverage::of(&c, d.batch_unit(&sevens).view());
        assert_eq!(only.produced(), vec![7]);
        assert_eq!(only.dropped().len(), 9);
        // Noise is no digit at all.
        let grey = ndarray::Array2::from_elem((50, 64), 0.5f32);
        assert!(Coverage::of(&c, grey.view()).produced().len() <= 1);
        assert_eq!(Coverage::default().share(3), 0.0);
    }
}
