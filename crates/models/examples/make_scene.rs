//! Draws `assets/images/scene-64.pgm`, the grayscale picture of the forward-diffusion demo: a
//! small landscape with smooth regions (sky, hills), sharp edges (sun, house) and fine textures
//! (roof tiles, bricks, grass), so the power spectrum has energy at every frequency. Drawn here
//! from scratch, so it is ours to redistribute (CC0). Run:
//! `cargo run --example make_scene > assets/images/scene-64.pgm`.

use gentutor_rng::Rng;
use std::io::Write;

const N: usize = 64;

fn main() {
    let mut rng = Rng::new(2026);
    let mut img = [[0.0f64; N]; N];
    for (y, row) in img.iter_mut().enumerate() {
        for (x, px) in row.iter_mut().enumerate() {
            let (xf, yf) = (x as f64 + 0.5, y as f64 + 0.5);
            // Sky: brighter towards the horizon.
            let mut v = 0.35 + 0.35 * yf / N as f64;
            // Sun: a bright disc with a soft halo.
            let d = ((xf - 48.0).powi(2) + (yf - 12.0).powi(2)).sqrt();
            if d < 6.0 {
                v = 0.98;
            } else if d < 10.0 {
                v += 0.25 * (10.0 - d) / 4.0;
            }
            // Far hill (smooth) and near ground with grass texture.
            let hill = 34.0 + 6.0 * (xf / 9.0).sin() + 3.0 * (xf / 4.3 + 1.0).cos();
            if yf > hill {
                v = 0.45 - 0.1 * (yf - hill) / 30.0;
            }
            if yf > 46.0 {
                v = 0.3 + 0.25 * rng.uniform_f64() + 0.1 * ((xf * 1.7).sin() * (yf * 2.3).cos());
            }
            // House: wall of bricks (3 px rows, 6 px bricks, staggered) and a tiled roof.
            let in_wall = (8.0..28.0).contains(&xf) && (34.0..52.0).contains(&yf);
            if in_wall {
                let row = ((yf - 34.0) / 3.0) as usize;
                let shift = if row.is_multiple_of(2) { 0.0 } else { 3.0 };
                let mortar = (yf - 34.0) % 3.0 < 0.9 || (xf - 8.0 + shift) % 6.0 < 0.9;
                v = if mortar { 0.85 } else { 0.55 };
                // Door and window: flat dark and bright regions.
                if (15.0..21.0).contains(&xf) && yf > 42.0 {
                    v = 0.12;
                }
                if (22.0..26.0).contains(&xf) && (37.0..41.0).contains(&yf) {
                    v = 0.95;
                }
            }
            let roof_half = (yf - 22.0) * 1.1;
            if (22.0..34.0).contains(&yf) && (xf - 18.0).abs() < roof_half {
                // Stripes with a 2-pixel period: the highest frequencies in the picture.
                v = if (x + y) % 2 == 0 { 0.18 } else { 0.4 };
            }
            *px = v.clamp(0.0, 1.0);
        }
    }
    let mut out = Vec::with_capacity(N * N + 32);
    write!(
        out,
        "P5\n# scene-64: drawn by examples/make_scene.rs, CC0\n{N} {N}\n255\n"
    )
    .expect("header");
    for row in img {
        out.extend(row.iter().map(|v| (v * 255.0).round() as u8));
    }
    std::io::stdout().write_all(&out).expect("write");
}
