//! The UCI 8x8 handwritten digits (Alpaydin & Kaynak, "Optical Recognition of Handwritten
//! Digits", CC BY 4.0; 1,797 images, pixel values 0..=16) in the site's compact binary form,
//! `assets/data/digits-8x8.bin` (see `assets/data/README.md`).
//!
//! The file, written by `examples/make_digits.rs` from scikit-learn's `digits.csv`:
//! ```text
//! offset 0   magic "GTD5"                                   4 bytes
//! offset 4   n, the number of images, u16 little-endian     2 bytes
//! offset 6   n records of 41 bytes:
//!              label 0..=9                                  1 byte
//!              64 pixels, row-major, 5 bits each, most significant bit first   40 bytes
//! ```
//! Five bits, not four: a pixel counts the "on" cells of a 4x4 block, so it takes 17 values, and
//! 16 is the second most common one (10,456 of 115,008 pixels); four bits would lose it.
//! The parser is pure (bytes in, images out) and every error names the byte offset.

use gentutor_rng::SplitMix64;
use ndarray::Array2;

/// Width and height of an image.
pub const SIDE: usize = 8;
/// Pixels per image.
pub const PIXELS: usize = SIDE * SIDE;
/// The largest pixel value (a fully inked 4x4 block).
pub const MAX_VALUE: u8 = 16;
/// Digit classes 0..=9.
pub const CLASSES: usize = 10;
/// The file's first four bytes.
pub const MAGIC: &[u8; 4] = b"GTD5";
/// Header bytes before the first record.
pub const HEADER: usize = 6;
/// Bytes per image: the label and 64 five-bit pixels.
pub const RECORD: usize = 1 + PIXELS * 5 / 8;
/// Where the demos fetch the file from (same site only).
pub const ASSET_PATH: &str = "/assets/data/digits-8x8.bin";
/// The shipped split: this seed and fraction decide which images are held out for testing.
pub const SPLIT_SEED: u64 = 0x5EED_D161;
/// Fraction of each class held out for testing.
pub const TEST_FRACTION: f64 = 0.2;

/// Everything that can go wrong reading the digits.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DigitsError {
    #[error("not a digits file: expected \"GTD5\" at byte 0, found {found:?}")]
    BadMagic { found: Vec<u8> },
    #[error("the digits file ends at byte {len} but {needed} bytes are needed from byte {offset}")]
    Truncated {
        offset: usize,
        needed: usize,
        len: usize,
    },
    #[error("label {value} at byte {offset} is not a digit 0..=9")]
    BadLabel { offset: usize, value: u8 },
    #[error("pixel value {value} of the image at byte {offset} (pixel {pixel}) is above 16")]
    BadPixel {
        offset: usize,
        pixel: usize,
        value: u8,
    },
    #[error("{extra} unexpected bytes after the last image, from byte {offset}")]
    Trailing { offset: usize, extra: usize },
    #[error("digits CSV line {line}: {reason}")]
    Csv { line: usize, reason: String },
    #[error("too many images for the format: {0} (at most 65535)")]
    TooMany(usize),
}

/// A set of labelled 8x8 images with pixels 0..=16.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Digits {
    /// n * 64 pixels, image after image, row-major.
    pixels: Vec<u8>,
    /// n labels 0..=9.
    labels: Vec<u8>,
}

/// Indices of the training and held-out test images.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    pub train: Vec<usize>,
    pub test: Vec<usize>,
}

impl Digits {
    /// Images from pixels (n * 64, each 0..=16) and labels (n, each 0..=9).
    pub fn new(pixels: Vec<u8>, labels: Vec<u8>) -> Result<Digits, DigitsError> {
        if pixels.len() != labels.len() * PIXELS {
            return Err(DigitsError::Csv {
                line: 0,
                reason: format!(
                    "{} pixels for {} labels (64 per image expected)",
                    pixels.len(),
                    labels.len()
                ),
            });
        }
        for (i, &l) in labels.iter().enumerate() {
            if l as usize >= CLASSES {
                return Err(DigitsError::BadLabel {
                    offset: HEADER + i * RECORD,
                    value: l,
                });
            }
        }
        for (k, &v) in pixels.iter().enumerate() {
            if v > MAX_VALUE {
                return Err(DigitsError::BadPixel {
                    offset: HEADER + (k / PIXELS) * RECORD,
                    pixel: k % PIXELS,
                    value: v,
                });
            }
        }
        Ok(Digits { pixels, labels })
    }

    /// Reads the binary form (see the module docs).
    pub fn parse(bytes: &[u8]) -> Result<Digits, DigitsError> {
        let need = |offset: usize, needed: usize| {
            if bytes.len() < offset + needed {
                Err(DigitsError::Truncated {
                    offset,
                    needed,
                    len: bytes.len(),
                })
            } else {
                Ok(())
            }
        };
        if bytes.get(..4) != Some(&MAGIC[..]) {
            return Err(DigitsError::BadMagic {
                found: bytes.iter().take(4).copied().collect(),
            });
        }
        need(4, 2)?;
        let n = u16::from_le_bytes([bytes[4], bytes[5]]) as usize;
        let mut pixels = Vec::with_capacity(n * PIXELS);
        let mut labels = Vec::with_capacity(n);
        for i in 0..n {
            let offset = HEADER + i * RECORD;
            need(offset, RECORD)?;
            let rec = &bytes[offset..offset + RECORD];
            if rec[0] as usize >= CLASSES {
                return Err(DigitsError::BadLabel {
                    offset,
                    value: rec[0],
                });
            }
            labels.push(rec[0]);
            for p in 0..PIXELS {
                let v = read_bits5(&rec[1..], p);
                if v > MAX_VALUE {
                    return Err(DigitsError::BadPixel {
                        offset: offset + 1 + p * 5 / 8,
                        pixel: p,
                        value: v,
                    });
                }
                pixels.push(v);
            }
        }
        let end = HEADER + n * RECORD;
        if bytes.len() > end {
            return Err(DigitsError::Trailing {
                offset: end,
                extra: bytes.len() - end,
            });
        }
        Ok(Digits { pixels, labels })
    }

    /// The binary form read by [`Digits::parse`].
    pub fn encode(&self) -> Result<Vec<u8>, DigitsError> {
        let n = self.len();
        let n16 = u16::try_from(n).map_err(|_| DigitsError::TooMany(n))?;
        let mut out = Vec::with_capacity(HEADER + n * RECORD);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&n16.to_le_bytes());
        for i in 0..n {
            out.push(self.labels[i]);
            let mut packed = [0u8; RECORD - 1];
            for (p, &v) in self.image(i).iter().enumerate() {
                write_bits5(&mut packed, p, v);
            }
            out.extend_from_slice(&packed);
        }
        Ok(out)
    }

    /// Reads scikit-learn's `digits.csv` (decompressed): one image per line, 64 pixel values
    /// then the label, comma-separated (values may be written as `3` or `3.0`).
    pub fn from_csv(text: &str) -> Result<Digits, DigitsError> {
        let mut pixels = Vec::new();
        let mut labels = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line_no = i + 1;
            if line.trim().is_empty() {
                continue;
            }
            let bad = |reason: String| DigitsError::Csv {
                line: line_no,
                reason,
            };
            let vals: Vec<&str> = line.split(',').map(str::trim).collect();
            if vals.len() != PIXELS + 1 {
                return Err(bad(format!("{} values, expected 65", vals.len())));
            }
            for (col, v) in vals.iter().enumerate() {
                let x: f64 = v
                    .parse()
                    .map_err(|_| bad(format!("column {}: `{v}` is not a number", col + 1)))?;
                let max = if col == PIXELS { 9.0 } else { 16.0 };
                if x.fract() != 0.0 || !(0.0..=max).contains(&x) {
                    return Err(bad(format!(
                        "column {}: {v} is not a whole number in 0..={max}",
                        col + 1
                    )));
                }
                if col == PIXELS {
                    labels.push(x as u8);
                } else {
                    pixels.push(x as u8);
                }
            }
        }
        Digits::new(pixels, labels)
    }

    /// Number of images.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether there are no images.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// The 64 pixels (0..=16, row-major) of image `i`. Panics if `i >= len()`.
    pub fn image(&self, i: usize) -> &[u8] {
        &self.pixels[i * PIXELS..(i + 1) * PIXELS]
    }

    /// The label of image `i`. Panics if `i >= len()`.
    pub fn label(&self, i: usize) -> u8 {
        self.labels[i]
    }

    /// All labels.
    pub fn labels(&self) -> &[u8] {
        &self.labels
    }

    /// How many images of each digit.
    pub fn label_counts(&self) -> [usize; CLASSES] {
        let mut c = [0; CLASSES];
        for &l in &self.labels {
            c[l as usize] += 1;
        }
        c
    }

    /// Images `idx` as a (B, 64) array scaled to [0, 1] (pixel / 16); out-of-range indices are
    /// skipped.
    pub fn batch_unit(&self, idx: &[usize]) -> Array2<f32> {
        let idx: Vec<usize> = idx.iter().copied().filter(|&i| i < self.len()).collect();
        let mut x = Array2::zeros((idx.len(), PIXELS));
        self.fill_unit(&idx, &mut x);
        x
    }

    /// Writes images `idx` scaled to [0, 1] into the rows of `x` (reshaped to (idx.len(), 64) if
    /// needed). Every index must be `< len()`.
    pub fn fill_unit(&self, idx: &[usize], x: &mut Array2<f32>) {
        if x.dim() != (idx.len(), PIXELS) {
            *x = Array2::zeros((idx.len(), PIXELS));
        }
        for (mut row, &i) in x.rows_mut().into_iter().zip(idx) {
            for (o, &p) in row.iter_mut().zip(self.image(i)) {
                *o = p as f32 / MAX_VALUE as f32;
            }
        }
    }

    /// A split stratified by digit: from each class, a `test_fraction` share (rounded) chosen by
    /// a shuffle seeded with `seed` is held out. Both lists are sorted.
    pub fn split(&self, test_fraction: f64, seed: u64) -> Split {
        let frac = if test_fraction.is_nan() {
            0.0
        } else {
            test_fraction.clamp(0.0, 1.0)
        };
        let mut rng = SplitMix64::new(seed);
        let (mut train, mut test) = (Vec::new(), Vec::new());
        for c in 0..CLASSES as u8 {
            let mut members: Vec<usize> =
                (0..self.len()).filter(|&i| self.labels[i] == c).collect();
            rng.shuffle(&mut members);
            let k = (members.len() as f64 * frac).round() as usize;
            test.extend_from_slice(&members[..k]);
            train.extend_from_slice(&members[k..]);
        }
        train.sort_unstable();
        test.sort_unstable();
        Split { train, test }
    }

    /// The shipped split ([`SPLIT_SEED`], [`TEST_FRACTION`]) that every model and read-out uses.
    pub fn standard_split(&self) -> Split {
        self.split(TEST_FRACTION, SPLIT_SEED)
    }

    /// The shipped file, compiled in: for native tests, examples and benches only (the browser
    /// fetches [`ASSET_PATH`] so the file stays out of every WASM module).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn shipped() -> Result<Digits, DigitsError> {
        Digits::parse(include_bytes!("../../../assets/data/digits-8x8.bin"))
    }
}

/// Pixel `p`'s 5-bit value from the packed bits (most significant bit first).
fn read_bits5(packed: &[u8], p: usize) -> u8 {
    let mut v = 0u8;
    for k in 0..5 {
        let bit = p * 5 + k;
        let b = (packed[bit / 8] >> (7 - bit % 8)) & 1;
        v = (v << 1) | b;
    }
    v
}

/// Writes the low 5 bits of `v` as pixel `p` (the bits must be zero before).
fn write_bits5(packed: &mut [u8], p: usize, v: u8) {
    for k in 0..5 {
        let bit = p * 5 + k;
        let b = (v >> (4 - k)) & 1;
        packed[bit / 8] |= b << (7 - bit % 8);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> Digits {
        let mut pixels: Vec<u8> = (0..PIXELS as u8).map(|p| p % 17).collect();
        pixels.extend((0..PIXELS as u8).map(|p| 16 - p % 17));
        Digits::new(pixels, vec![3, 9]).expect("valid")
    }

    #[test]
    fn the_shipped_file_has_every_image_with_its_labels_and_values() {
        let d = Digits::shipped().expect("assets/data/digits-8x8.bin parses");
        assert_eq!(d.len(), 1797);
        // The class sizes of the UCI test set as shipped by scikit-learn.
        assert_eq!(
            d.label_counts(),
            [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
        );
        let mut hist = [0usize; 17];
        for i in 0..d.len() {
            for &p in d.image(i) {
                hist[p as usize] += 1;
            }
        }
        // Every value 0..=16 occurs; the extremes as counted from digits.csv.gz.
        assert!(hist.iter().all(|&c| c > 0), "{hist:?}");
        assert_eq!(hist[0], 56272);
        assert_eq!(hist[16], 10456);
        // The first image is a zero, as in the CSV's first line.
        assert_eq!(d.label(0), 0);
        assert_eq!(&d.image(0)[..8], &[0, 0, 5, 13, 9, 1, 0, 0]);
        // Encoding again gives the shipped bytes.
        assert_eq!(
            d.encode().expect("fits"),
            include_bytes!("../../../assets/data/digits-8x8.bin").to_vec()
        );
    }

    #[test]
    fn round_trips_every_value() {
        let d = small();
        let bytes = d.encode().expect("fits");
        assert_eq!(bytes.len(), HEADER + 2 * RECORD);
        assert_eq!(Digits::parse(&bytes), Ok(d.clone()));
        let x = d.batch_unit(&[1, 0, 99]);
        assert_eq!(x.dim(), (2, PIXELS));
        assert_eq!(x[[0, 0]], 1.0);
        assert_eq!(x[[1, 16]], 1.0);
        assert_eq!(x[[1, 0]], 0.0);
    }

    #[test]
    fn errors_name_the_offset() {
        let good = small().encode().expect("fits");
        assert!(matches!(
            Digits::parse(b"GIF89a"),
            Err(DigitsError::BadMagic { .. })
        ));
        assert_eq!(
            Digits::parse(&good[..5]),
            Err(DigitsError::Truncated {
                offset: 4,
                needed: 2,
                len: 5
            })
        );
        assert_eq!(
            Digits::parse(&good[..HEADER + RECORD + 7]),
            Err(DigitsError::Truncated {
                offset: HEADER + RECORD,
                needed: RECORD,
                len: HEADER + RECORD + 7
            })
        );
        let mut bad = good.clone();
        bad[HEADER + RECORD] = 10;
        assert_eq!(
            Digits::parse(&bad),
            Err(DigitsError::BadLabel {
                offset: HEADER + RECORD,
                value: 10
            })
        );
        // Pixel 0 of image 0 set to 31 (bits 11111).
        let mut bad = good.clone();
        bad[HEADER + 1] |= 0b1111_1000;
        assert_eq!(
            Digits::parse(&bad),
            Err(DigitsError::BadPixel {
                offset: HEADER + 1,
                pixel: 0,
                value: 31
            })
        );
        let mut long = good.clone();
        long.extend_from_slice(&[0, 0]);
        assert_eq!(
            Digits::parse(&long),
            Err(DigitsError::Trailing {
                offset: good.len(),
                extra: 2
            })
        );
        let msg = Digits::parse(&bad).expect_err("bad pixel").to_string();
        assert!(msg.contains("byte 7"), "{msg}");
    }

    #[test]
    fn csv_reader_accepts_floats_and_names_the_line() {
        let row = |label: &str| {
            let mut v: Vec<String> = (0..PIXELS).map(|p| format!("{}.0", p % 17)).collect();
            v.push(label.to_string());
            v.join(",")
        };
        let d = Digits::from_csv(&format!("{}\n\n{}\n", row("3"), row("7.0"))).expect("valid");
        assert_eq!(d.labels(), &[3, 7]);
        assert_eq!(d.image(1)[16], 16);
        for (text, line) in [
            (format!("{}\n{}", row("3"), row("10")), 2),
            (format!("{}\n1,2,3", row("3")), 2),
            (row("x"), 1),
            (row("2.5"), 1),
            (row("3").replacen("0.0", "17", 1), 1),
        ] {
            match Digits::from_csv(&text) {
                Err(DigitsError::Csv { line: l, .. }) => assert_eq!(l, line, "{text}"),
                other => panic!("{text}: {other:?}"),
            }
        }
    }

    #[test]
    fn split_is_stratified_disjoint_and_fixed_by_the_seed() {
        let d = Digits::shipped().expect("parses");
        let s = d.standard_split();
        assert_eq!(s.train.len() + s.test.len(), d.len());
        let mut all: Vec<usize> = s.train.iter().chain(&s.test).copied().collect();
        all.sort_unstable();
        assert_eq!(all, (0..d.len()).collect::<Vec<_>>());
        // Every class is held out at about 20%.
        let mut per_class = [0usize; CLASSES];
        for &i in &s.test {
            per_class[d.label(i) as usize] += 1;
        }
        for (c, (&t, &n)) in per_class.iter().zip(&d.label_counts()).enumerate() {
            assert_eq!(t, (n as f64 * 0.2).round() as usize, "class {c}");
        }
        assert_eq!(s.test.len(), 359);
        assert_eq!(d.standard_split(), s);
        assert_ne!(d.split(TEST_FRACTION, SPLIT_SEED + 1).test, s.test);
    }
}
