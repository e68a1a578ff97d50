//! The forward process on a small grayscale image, seen in frequency space.
//!
//! x_t = sqrt(alpha_bar_t) x_0 + sqrt(1 - alpha_bar_t) eps has a signal part and a noise part.
//! Natural images have power falling with frequency while white noise is flat, so as t grows the
//! noise drowns the high frequencies first: diffusion is "coarse-to-fine" in reverse.
//!
//! Spectra: P(k) = |X(k)|^2 / N^2 for the 2D DFT X of an N x N image (so white noise of variance
//! sigma^2 has E[P(k)] = sigma^2), averaged over rings of integer radius r = round(|k|),
//! r = 1..=N/2 (DC and the corners beyond N/2 are left out). Frequencies are r/N cycles/pixel.
//!
//! Both parts are linear in x_0 and eps, so their spectra at t are alpha_bar_t P_{x_0} and
//! (1 - alpha_bar_t) P_eps: [`ImageForward`] computes the two FFTs once and a slider move only
//! rescales them.

use super::schedule::Schedule;
use crate::error::ModelError;
use gentutor_rng::Rng;
use std::ops::RangeInclusive;

/// Side of the default procedural image.
pub const IMAGE_SIZE: usize = 64;
/// Accepted sides for loaded images (powers of two only, for the radix-2 FFT).
pub const IMAGE_SIDES: RangeInclusive<usize> = 8..=256;

/// A square grayscale image with pixels in [-1, 1], row-major.
#[derive(Debug, Clone, PartialEq)]
pub struct GrayImage {
    size: usize,
    pixels: Vec<f64>,
}

impl GrayImage {
    /// A built-in scene with both low and high frequencies: a vertical brightness gradient,
    /// a bright disc, and a patch of vertical stripes with a 4-pixel period (0.25 cycles/pixel).
    /// `size` is rounded to a power of two in [`IMAGE_SIDES`].
    pub fn procedural(size: usize) -> Self {
        let n = size
            .clamp(*IMAGE_SIDES.start(), *IMAGE_SIDES.end())
            .next_power_of_two()
            .min(*IMAGE_SIDES.end());
        let nf = n as f64;
        let mut pixels = Vec::with_capacity(n * n);
        for y in 0..n {
            for x in 0..n {
                let (xf, yf) = (x as f64 + 0.5, y as f64 + 0.5);
                // Background: smooth gradient (lowest frequencies).
                let mut v = 0.15 + 0.45 * yf / nf;
                // Disc: a sharp edge around a flat region.
                let (dx, dy) = (xf - 0.32 * nf, yf - 0.4 * nf);
                if dx * dx + dy * dy < (0.2 * nf).powi(2) {
                    v = 0.95;
                }
                // Stripes: high frequency, period of 4 pixels.
                if xf > 0.6 * nf && xf < 0.9 * nf && yf > 0.15 * nf && yf < 0.85 * nf {
                    v = if (x / 2) % 2 == 0 { 0.85 } else { 0.1 };
                }
                pixels.push(2.0 * v - 1.0);
            }
        }
        GrayImage { size: n, pixels }
    }

    /// Loads raw 8-bit grayscale bytes (row-major, 0 = black, 255 = white), scaled to [-1, 1].
    /// The image must be square with a power-of-two side in [`IMAGE_SIDES`].
    pub fn from_gray_bytes(bytes: &[u8], width: usize, height: usize) -> Result<Self, ModelError> {
        if width != height {
            return Err(ModelError::BadImage(format!(
                "it is {width}x{height} pixels; it must be square"
            )));
        }
        if !IMAGE_SIDES.contains(&width) || !width.is_power_of_two() {
            return Err(ModelError::BadImage(format!(
                "its side is {width} pixels; use 8, 16, 32, 64, 128 or 256"
            )));
        }
        if bytes.len() != width * height {
            return Err(ModelError::BadImage(format!(
                "expected {} bytes of 8-bit grey levels for {width}x{height}, got {}",
                width * height,
                bytes.len()
            )));
        }
        Ok(GrayImage {
            size: width,
            pixels: bytes.iter().map(|&b| b as f64 / 127.5 - 1.0).collect(),
        })
    }

    /// The demo's picture, `assets/images/scene-64.pgm` (drawn by `examples/make_scene.rs`),
    /// compiled in so the demo never waits on a fetch.
    pub fn scene() -> Result<Self, ModelError> {
        Self::from_pgm(include_bytes!("../../../../assets/images/scene-64.pgm"))
    }

    /// Parses a binary 8-bit PGM (`P5`), the simplest grayscale file format: a header
    /// `P5 <width> <height> <maxval>` (whitespace-separated, `#` comments allowed), one whitespace
    /// byte, then width * height bytes. Grey levels are rescaled from [0, maxval] to [-1, 1].
    pub fn from_pgm(bytes: &[u8]) -> Result<Self, ModelError> {
        let bad = |why: &str| ModelError::BadImage(format!("not a usable PGM file: {why}"));
        let mut pos = 0;
        let mut fields = [0usize; 3];
        if bytes.get(..2) != Some(b"P5") {
            return Err(bad("it must start with \"P5\" (binary grayscale)"));
        }
        pos += 2;
        for field in fields.iter_mut() {
            // Skip whitespace and comments.
            loop {
                match bytes.get(pos) {
                    Some(b) if b.is_ascii_whitespace() => pos += 1,
                    Some(b'#') => {
                        while bytes.get(pos).is_some_and(|&b| b != b'\n') {
                            pos += 1;
                        }
                    }
                    _ => break,
                }
            }
            let start = pos;
            while bytes.get(pos).is_some_and(u8::is_ascii_digit) {
                pos += 1;
            }
            *field = std::str::from_utf8(&bytes[start..pos])
                .ok()
                .and_then(|s| s.parse().ok())
                .ok_or_else(|| bad("the header needs width, height and maximum grey value"))?;
        }
        let [width, height, maxval] = fields;
        if !(1..=255).contains(&maxval) {
            return Err(bad(&format!(
                "maximum grey value {maxval}; only 8-bit files (1..=255) are supported"
            )));
        }
        if !bytes.get(pos).is_some_and(u8::is_ascii_whitespace) {
            return Err(bad("no whitespace after the header"));
        }
        let data = &bytes[pos + 1..];
        let expected = width.saturating_mul(height);
        let data = data.get(..expected).ok_or_else(|| {
            bad(&format!(
                "{width}x{height} needs {expected} bytes of pixels, the file has {}",
                data.len()
            ))
        })?;
        let scaled: Vec<u8> = data
            .iter()
            .map(|&b| ((b.min(maxval as u8) as usize * 255) / maxval) as u8)
            .collect();
        Self::from_gray_bytes(&scaled, width, height)
    }

    /// Side N (pixels).
    pub fn size(&self) -> usize {
        self.size
    }

    /// Pixels in [-1, 1], row-major, N * N of them.
    pub fn pixels(&self) -> &[f64] {
        &self.pixels
    }
}

/// A complex number (just enough for the FFT).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Complex {
    /// Real part.
    pub re: f64,
    /// Imaginary part.
    pub im: f64,
}

impl Complex {
    fn mul(self, o: Complex) -> Complex {
        Complex {
            re: self.re * o.re - self.im * o.im,
            im: self.re * o.im + self.im * o.re,
        }
    }

    /// |z|^2.
    pub fn norm_sqr(self) -> f64 {
        self.re * self.re + self.im * self.im
    }
}

/// In-place iterative radix-2 FFT, X(k) = sum_n x(n) exp(-2 pi i k n / L).
/// Does nothing unless the length L is a power of two (callers only pass such lengths).
pub fn fft_in_place(buf: &mut [Complex]) {
    let n = buf.len();
    if n < 2 || !n.is_power_of_two() {
        return;
    }
    // Bit-reversal permutation.
    let bits = n.trailing_zeros();
    for i in 0..n {
        let j = i.reverse_bits() >> (usize::BITS - bits);
        if j > i {
            buf.swap(i, j);
        }
    }
    let mut len = 2;
    while len <= n {
        let ang = -2.0 * std::f64::consts::PI / len as f64;
        let w_len = Complex {
            re: ang.cos(),
            im: ang.sin(),
        };
        for chunk in buf.chunks_exact_mut(len) {
            let (lo, hi) = chunk.split_at_mut(len / 2);
            let mut w = Complex { re: 1.0, im: 0.0 };
            for (a, b) in lo.iter_mut().zip(hi.iter_mut()) {
                let v = b.mul(w);
                let u = *a;
                *a = Complex {
                    re: u.re + v.re,
                    im: u.im + v.im,
                };
                *b = Complex {
                    re: u.re - v.re,
                    im: u.im - v.im,
                };
                w = w.mul(w_len);
            }
        }
        len <<= 1;
    }
}

/// 2D DFT of a real N x N image (row-major), by row FFTs then column FFTs. Output row-major,
/// index ky * N + kx. Returns an empty vector unless `data.len() == n * n` with n a power of two.
pub fn fft2(data: &[f64], n: usize) -> Vec<Complex> {
    if n == 0 || !n.is_power_of_two() || data.len() != n * n {
        return Vec::new();
    }
    let mut out: Vec<Complex> = data.iter().map(|&re| Complex { re, im: 0.0 }).collect();
    for row in out.chunks_exact_mut(n) {
        fft_in_place(row);
    }
    let mut col = vec![Complex::default(); n];
    for x in 0..n {
        for (y, c) in col.iter_mut().enumerate() {
            *c = out[y * n + x];
        }
        fft_in_place(&mut col);
        for (y, c) in col.iter().enumerate() {
            out[y * n + x] = *c;
        }
    }
    out
}

/// Radially averaged power spectrum of a real N x N image: entry r - 1 is the mean of
/// |X(k)|^2 / N^2 over frequencies k = (kx, ky) in -N/2..N/2 with round(|k|) = r, r = 1..=N/2.
/// Empty unless `data.len() == n * n` with n a power of two.
pub fn radial_power_spectrum(data: &[f64], n: usize) -> Vec<f64> {
    let spec = fft2(data, n);
    if spec.is_empty() {
        return Vec::new();
    }
    let half = n / 2;
    let mut sum = vec![0.0f64; half];
    let mut count = vec![0usize; half];
    let norm = 1.0 / (n * n) as f64;
    let signed = |k: usize| {
        if k < half {
            k as f64
        } else {
            k as f64 - n as f64
        }
    };
    for ky in 0..n {
        for kx in 0..n {
            let r = (signed(kx).hypot(signed(ky))).round() as usize;
            if r >= 1 && r <= half {
                sum[r - 1] += spec[ky * n + kx].norm_sqr() * norm;
                count[r - 1] += 1;
            }
        }
    }
    sum.iter()
        .zip(&count)
        .map(|(&s, &c)| if c > 0 { s / c as f64 } else { 0.0 })
        .collect()
}

/// Signal vs noise spectra of x_t at one t.
#[derive(Debug, Clone, PartialEq)]
pub struct Spectra {
    /// The timestep (clamped to 0..=T).
    pub t: usize,
    /// Ring frequencies r/N (cycles/pixel), r = 1..=N/2.
    pub freqs: Vec<f64>,
    /// Power of the signal part sqrt(alpha_bar_t) x_0 per ring.
    pub signal: Vec<f64>,
    /// Power of the noise part sqrt(1 - alpha_bar_t) eps per ring.
    pub noise: Vec<f64>,
    /// Lowest frequency (cycles/pixel) where signal power falls below noise power; `None` if the
    /// signal dominates everywhere (e.g. t = 0).
    pub crossover: Option<f64>,
    /// The image side N: a frequency f in cycles/pixel is f N cycles per image.
    pub size: usize,
    /// A power range that holds both spectra at every t (signal at t = 0, noise at t = T), so
    /// a plot's power axis need not move with t.
    pub power_range: (f64, f64),
}

/// Where the noise's power exceeds the signal's, in the lesson's unit (cycles per image).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NoiseWins {
    /// Signal power is above noise power at every frequency.
    Nowhere,
    /// Noise power is above signal power at every frequency, the lowest (1 cycle per image)
    /// included: nothing of the image stands out of the noise.
    Everywhere,
    /// Noise power is above signal power at every frequency above this one (cycles per image)
    /// and not at this one.
    Above(f64),
}

impl Spectra {
    /// Where noise wins. Scans down from the highest frequency, so "above f" means at every
    /// frequency above f, even if the spectra cross more than once lower down.
    pub fn noise_wins(&self) -> NoiseWins {
        let wins: Vec<bool> = self
            .signal
            .iter()
            .zip(&self.noise)
            .map(|(s, q)| s < q)
            .collect();
        match wins.iter().rposition(|w| !w) {
            None if wins.is_empty() => NoiseWins::Nowhere,
            None => NoiseWins::Everywhere,
            Some(i) if i + 1 == wins.len() => NoiseWins::Nowhere,
            Some(i) => NoiseWins::Above(self.freqs[i] * self.size as f64),
        }
    }
}

/// A fixed image x_0 and a fixed noise image eps (so moving the t slider fades one into the
/// other instead of re-rolling the noise), with their spectra precomputed.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageForward {
    image: GrayImage,
    eps: Vec<f64>,
    p_x0: Vec<f64>,
    p_eps: Vec<f64>,
}

impl ImageForward {
    /// Draws eps ~ N(0, I) from `seed` and computes both spectra (two 2D FFTs).
    pub fn new(image: GrayImage, seed: u64) -> Self {
        let n = image.size();
        let mut rng = Rng::new(seed);
        let eps: Vec<f64> = (0..n * n).map(|_| rng.normal_f32() as f64).collect();
        let p_x0 = radial_power_spectrum(image.pixels(), n);
        let p_eps = radial_power_spectrum(&eps, n);
        ImageForward {
            image,
            eps,
            p_x0,
            p_eps,
        }
    }

    /// The clean image x_0.
    pub fn image(&self) -> &GrayImage {
        &self.image
    }

    /// The fixed noise image eps, row-major.
    pub fn eps(&self) -> &[f64] {
        &self.eps
    }

    /// x_t = sqrt(alpha_bar_t) x_0 + sqrt(1 - alpha_bar_t) eps, row-major (not clipped: values
    /// leave [-1, 1]; plots clip for display).
    pub fn x_t(&self, schedule: &Schedule, t: usize) -> Vec<f64> {
        let ab = schedule.alpha_bar(t);
        let (a, s) = (ab.sqrt(), (1.0 - ab).max(0.0).sqrt());
        self.image
            .pixels()
            .iter()
            .zip(&self.eps)
            .map(|(&x, &e)| a * x + s * e)
            .collect()
    }

    /// Signal and noise spectra at t and their crossover (a rescaling of the cached spectra).
    pub fn spectra(&self, schedule: &Schedule, t: usize) -> Spectra {
        let t = t.min(schedule.steps());
        let ab = schedule.alpha_bar(t);
        let n = self.image.size() as f64;
        let signal: Vec<f64> = self.p_x0.iter().map(|p| ab * p).collect();
        let noise: Vec<f64> = self.p_eps.iter().map(|p| (1.0 - ab) * p).collect();
        let freqs: Vec<f64> = (1..=signal.len()).map(|r| r as f64 / n).collect();
        let crossover = signal
            .iter()
            .zip(&noise)
            .position(|(s, q)| s < q)
            .and_then(|i| freqs.get(i).copied());
        let (mut lo, mut hi) = (f64::INFINITY, 0.0f64);
        for &p in self.p_x0.iter().chain(&self.p_eps) {
            if p > 0.0 && p.is_finite() {
                lo = lo.min(p);
                hi = hi.max(p);
            }
        }
        // Three decades below the smallest unscaled power: the drowned signal may leave the
        // bottom, the axis stays put.
        let power_range = if hi > 0.0 {
            (lo / 1e3, hi * 2.0)
        } else {
            (1e-6, 1.0)
        };
        Spectra {
            t,
            freqs,
            signal,
            noise,
            crossover,
            size: self.image.size(),
            power_range,
        }
    }

    /// The same spectra computed from scratch (FFT of each part of x_t). Used to check the
    /// rescaling shortcut and to time a full recomputation.
    pub fn spectra_direct(&self, schedule: &Schedule, t: usize) -> (Vec<f64>, Vec<f64>) {
        let ab = schedule.alpha_bar(t);
        let n = self.image.size();
        let sig: Vec<f64> = self.image.pixels().iter().map(|x| ab.sqrt() * x).collect();
        let noi: Vec<f64> = self
            .eps
            .iter()
            .map(|e| (1.0 - ab).max(0.0).sqrt() * e)
            .collect();
        (
            radial_power_spectrum(&sig, n),
            radial_power_spectrum(&noi, n),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dft2_direct(data: &[f64], n: usize) -> Vec<Complex> {
        let mut out = vec![Complex::default(); n * n];
        let w = -2.0 * std::f64::consts::PI / n as f64;
        for ky in 0..n {
            for kx in 0..n {
                let mut acc = Complex::default();
                for y in 0..n {
                    for x in 0..n {
                        let ang = w * ((kx * x + ky * y) % n) as f64;
                        let v = data[y * n + x];
                        acc.re += v * ang.cos();
                        acc.im += v * ang.sin();
                    }
                }
                out[ky * n + kx] = acc;
            }
        }
        out
    }

    #[test]
    fn the_scene_asset_loads_with_edges_and_texture() {
        let img = GrayImage::scene().expect("assets/images/scene-64.pgm parses");
        assert_eq!(img.size(), 64);
        let px = img.pixels();
        let (lo, hi) = px
            .iter()
            .fold((f64::MAX, f64::MIN), |(l, h), &v| (l.min(v), h.max(v)));
        assert!(lo < -0.6 && hi > 0.8, "uses the grey range: {lo}..{hi}");
        // High frequencies are present: neighbouring pixels often differ strongly.
        let jumps = px.windows(2).filter(|w| (w[0] - w[1]).abs() > 0.3).count();
        assert!(jumps > 200, "{jumps} sharp steps");
    }

    #[test]
    fn pgm_parser_reads_comments_and_maxval_and_refuses_bad_files() {
        let mut ok = b"P5\n# a comment\n8 8\n15\n".to_vec();
        ok.extend((0..64).map(|i| (i % 16) as u8));
        let img = GrayImage::from_pgm(&ok).expect("valid");
        assert_eq!(img.size(), 8);
        assert_eq!(img.pixels()[0], -1.0);
        assert_eq!(img.pixels()[15], 1.0, "maxval 15 maps to white");
        let err = |b: &[u8]| match GrayImage::from_pgm(b) {
            Err(ModelError::BadImage(m)) => m,
            other => panic!("expected BadImage, got {other:?}"),
        };
        assert!(err(b"P2\n8 8\n255\n").contains("P5"));
        assert!(err(b"P5\n8\n").contains("header"));
        assert!(err(b"P5 8 8 65535\n").contains("8-bit"));
        assert!(err(&ok[..40]).contains("needs 64 bytes"));
        let mut wide = b"P5 16 8 255\n".to_vec();
        wide.extend([0u8; 128]);
        assert!(err(&wide).contains("square"));
        assert!(err(b"").contains("P5"));
    }

    #[test]
    fn fft_matches_direct_dft() {
        let mut rng = Rng::new(2);
        for n in [1usize, 2, 4, 8, 32] {
            let data: Vec<f64> = (0..n * n).map(|_| rng.normal_f32() as f64).collect();
            let a = fft2(&data, n);
            let b = dft2_direct(&data, n);
            assert_eq!(a.len(), n * n);
            for (x, y) in a.iter().zip(&b) {
                // Round-off of O(N^2) terms of size ~1: 1e-9 absolute is ample.
                assert!(
                    (x.re - y.re).abs() < 1e-9 && (x.im - y.im).abs() < 1e-9,
                    "n={n}"
                );
            }
        }
        // The 64x64 procedural image too (DC = sum of pixels).
        let img = GrayImage::procedural(64);
        let a = fft2(img.pixels(), 64);
        let b = dft2_direct(img.pixels(), 64);
        let max_err = a
            .iter()
            .zip(&b)
            .map(|(x, y)| (x.re - y.re).abs().max((x.im - y.im).abs()))
            .fold(0.0, f64::max);
        assert!(max_err < 1e-8, "max err {max_err}");
        assert!((a[0].re - img.pixels().iter().sum::<f64>()).abs() < 1e-9);
        // Bad sizes give empty output, never a panic.
        assert!(fft2(&[1.0, 2.0, 3.0], 3).is_empty());
        assert!(fft2(&[1.0; 10], 4).is_empty());
        assert!(radial_power_spectrum(&[], 0).is_empty());
    }

    #[test]
    fn white_noise_spectrum_is_flat_at_its_variance() {
        let mut rng = Rng::new(8);
        let data: Vec<f64> = (0..64 * 64)
            .map(|_| 0.5 * rng.normal_f32() as f64)
            .collect();
        let p = radial_power_spectrum(&data, 64);
        assert_eq!(p.len(), 32);
        // Rings r >= 8 average >= 50 coefficients: each within 35% of sigma^2 = 0.25.
        for (i, v) in p.iter().enumerate().skip(7) {
            assert!((v - 0.25).abs() < 0.35 * 0.25, "ring {}: {v}", i + 1);
        }
    }

    /// Issue 18: at t >= 500 the read-out said "noise exceeds signal above 0.016 cycles/pixel"
    /// (the lowest bin) when noise wins at every frequency. It now says so, in cycles per image.
    #[test]
    fn noise_wins_everywhere_late_and_above_a_frequency_in_between() {
        let s = Schedule::linear(1000).expect("valid");
        // The demo's picture and noise seed.
        let f = ImageForward::new(GrayImage::scene().expect("the scene parses"), 11);
        assert_eq!(f.spectra(&s, 0).noise_wins(), NoiseWins::Nowhere);
        for t in [500, 750, 1000] {
            assert_eq!(
                f.spectra(&s, t).noise_wins(),
                NoiseWins::Everywhere,
                "t = {t}"
            );
        }
        let NoiseWins::Above(c) = f.spectra(&s, 100).noise_wins() else {
            panic!("t = 100: noise should win only above some frequency");
        };
        // Cycles per image: a whole number of cycles between 1 and N/2.
        assert!((1.0..32.0).contains(&c) && c.fract() == 0.0, "{c}");
        let sp = f.spectra(&s, 100);
        let i = sp
            .freqs
            .iter()
            .position(|&x| x * 64.0 == c)
            .expect("a ring");
        assert!(sp.signal[i] >= sp.noise[i]);
        assert!(sp.signal[i + 1..]
            .iter()
            .zip(&sp.noise[i + 1..])
            .all(|(a, b)| a < b));
        // The power range holds every t's spectra above its floor and is the same for all t.
        assert_eq!(
            f.spectra(&s, 100).power_range,
            f.spectra(&s, 900).power_range
        );
    }

    #[test]
    fn crossover_moves_to_lower_frequency_as_t_grows() {
        let s = Schedule::linear(1000).expect("valid");
        let f = ImageForward::new(GrayImage::procedural(64), 4);
        assert_eq!(f.spectra(&s, 0).crossover, None);
        let mut prev = f64::INFINITY;
        let mut seen = Vec::new();
        for t in [1, 5, 20, 50, 100, 200, 400, 700, 1000] {
            let sp = f.spectra(&s, t);
            let c = sp.crossover.unwrap_or(f64::INFINITY);
            assert!(c <= prev, "t={t}: crossover {c} above {prev}");
            prev = c;
            seen.push(c);
        }
        // Early on only the finest scales are drowned; at T everything is.
        assert!(seen[1] > 0.2, "t=5 crossover {}", seen[1]);
        assert!((seen[8] - 1.0 / 64.0).abs() < 1e-12);
        // It genuinely moves (several distinct values along the way).
        seen.dedup();
        assert!(seen.len() >= 4, "{seen:?}");
    }

    #[test]
    fn rescaled_spectra_equal_direct_recomputation() {
        let s = Schedule::cosine(1000).expect("valid");
        let f = ImageForward::new(GrayImage::procedural(64), 9);
        for t in [0, 10, 300, 1000] {
            let sp = f.spectra(&s, t);
            let (sig, noi) = f.spectra_direct(&s, t);
            for (a, b) in sp.signal.iter().zip(&sig).chain(sp.noise.iter().zip(&noi)) {
                assert!((a - b).abs() <= 1e-9 * (a.abs() + b.abs()) + 1e-15);
            }
        }
        let xt = f.x_t(&s, 0);
        assert_eq!(xt, f.image().pixels());
    }

    #[test]
    fn image_loader_validates() {
        let bytes: Vec<u8> = (0..16 * 16).map(|i| (i % 256) as u8).collect();
        let img = GrayImage::from_gray_bytes(&bytes, 16, 16).expect("valid");
        assert_eq!(img.size(), 16);
        assert!((img.pixels()[0] + 1.0).abs() < 1e-12);
        assert!((img.pixels()[255] - 1.0).abs() < 1e-12);
        for (b, w, h) in [
            (&bytes[..], 16, 8),
            (&bytes[..], 12, 12),
            (&bytes[..10], 16, 16),
        ] {
            assert!(matches!(
                GrayImage::from_gray_bytes(b, w, h),
                Err(ModelError::BadImage(_))
            ));
        }
        assert_eq!(GrayImage::procedural(0).size(), 8);
        assert_eq!(GrayImage::procedural(50).size(), 64);
        assert_eq!(GrayImage::procedural(usize::MAX).size(), 256);
        assert!(GrayImage::procedural(64)
            .pixels()
            .iter()
            .all(|p| p.abs() <= 1.0));
    }
}
