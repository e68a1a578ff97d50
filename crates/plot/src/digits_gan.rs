//! Plots of the digits GAN demo: the generator's samples as an image grid, the per-digit
//! coverage read-out as bars (dropped digits marked), and the discriminator's mean verdicts on
//! real and generated images per step. Colours and fonts from [`crate::Theme`].

use crate::theme::{fmt_tick, legend_corner, legend_frac, Hue, Theme, LABEL_PX, TITLE_PX};
use crate::PlotError;
use gentutor_models::digits::{CLASSES, SIDE};
use gentutor_models::digits_gan::coverage::{CONFIDENCE, MIN_SHARE};
use gentutor_models::digits_gan::GanView;
use plotters::coord::Shift;
use plotters::prelude::*;

/// The colour of pixel value `p` in [0, 1]: from the background to the foreground ink.
fn pixel(t: &Theme, p: f32) -> RGBColor {
    let p = if p.is_finite() {
        p.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let mix = |a: u8, b: u8| (f32::from(a) + p * (f32::from(b) - f32::from(a))).round() as u8;
    RGBColor(
        mix(t.bg.0, t.fg.0),
        mix(t.bg.1, t.fg.1),
        mix(t.bg.2, t.fg.2),
    )
}

/// The sample grid: `k x k` images (k = sqrt of the grid size), as large as the area allows,
/// under a caption with the step.
pub fn draw_gan_samples<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    v: &GanView,
    t: &Theme,
) -> Result<(), PlotError> {
    t.fill(area)?;
    let n = v.grid.len() / (SIDE * SIDE);
    if n == 0 {
        return t.message(area, "No samples yet");
    }
    let (w, h) = area.dim_in_pixel();
    area.draw(&Text::new(
        format!("samples G(z), step {}", v.step),
        (6, 4),
        t.title_font(),
    ))?;
    let k = (n as f64).sqrt().ceil() as i32;
    let top = TITLE_PX as i32 + 12;
    let avail = (w as i32).min(h as i32 - top) - 4;
    let gap = 2;
    let cell = ((avail / k - gap) / SIDE as i32).max(1);
    let tile = cell * SIDE as i32 + gap;
    let x0 = (w as i32 - tile * k) / 2;
    for (i, img) in v.grid.chunks(SIDE * SIDE).enumerate() {
        let (r, c) = (i as i32 / k, i as i32 % k);
        let (x, y) = (x0 + c * tile, top + r * tile);
        area.draw(&Rectangle::new(
            [(x, y), (x + cell * SIDE as i32, y + cell * SIDE as i32)],
            t.bg.filled(),
        ))?;
        for (j, &p) in img.iter().enumerate() {
            if p <= 0.02 || p.is_nan() {
                continue;
            }
            let (pr, pc) = ((j / SIDE) as i32, (j % SIDE) as i32);
            let (px, py) = (x + pc * cell, y + pr * cell);
            area.draw(&Rectangle::new(
                [(px, py), (px + cell, py + cell)],
                pixel(t, p).filled(),
            ))?;
        }
        area.draw(&Rectangle::new(
            [
                (x - 1, y - 1),
                (x + cell * SIDE as i32, y + cell * SIDE as i32),
            ],
            t.grid.stroke_width(1),
        ))?;
    }
    if let Some(e) = &v.error {
        t.banner(area, e)?;
    }
    Ok(())
}

/// The coverage read-out: per digit, the share of samples the classifier confidently calls
/// that digit; a dashed line at [`MIN_SHARE`]; bars under it drawn as dropped.
pub fn draw_gan_coverage<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    v: &GanView,
    t: &Theme,
) -> Result<(), PlotError> {
    t.fill(area)?;
    let Some(cov) = &v.coverage else {
        return t.message(area, "Loading the digit classifier…");
    };
    let shares: Vec<f64> = (0..CLASSES).map(|d| cov.share(d)).collect();
    let top = shares.iter().copied().fold(0.2f64, f64::max) * 1.1;
    let caption = format!("digits found (p ≥ {CONFIDENCE}) in {} samples", cov.samples);
    let mut chart = t
        .chart(area, &caption)
        .x_label_area_size(t.x_label_area(true))
        .y_label_area_size(t.y_label_area(0.0, top))
        .build_cartesian_2d(-0.5f64..9.5f64, 0.0f64..top)?;
    t.mesh(&mut chart.configure_mesh())
        .disable_x_mesh()
        .x_labels(10)
        .x_label_formatter(&|x| format!("{}", x.round() as i64))
        .y_label_formatter(&|v| fmt_tick(*v))
        .y_labels(5)
        .x_desc("digit")
        .y_desc("share of samples")
        .draw()?;
    let ok = t.color(Hue::Blue);
    for (d, &s) in shares.iter().enumerate() {
        let x = d as f64;
        let dropped = s < MIN_SHARE;
        let color = if dropped { t.error } else { ok };
        chart.draw_series(std::iter::once(Rectangle::new(
            [(x - 0.35, 0.0), (x + 0.35, s.max(top * 0.004))],
            color.filled(),
        )))?;
        if dropped {
            chart.draw_series(std::iter::once(Text::new(
                "dropped",
                (x - 0.45, top * 0.12),
                t.text_in(LABEL_PX - 1, t.error)
                    .transform(FontTransform::Rotate270),
            )))?;
        }
    }
    chart.draw_series(DashedLineSeries::new(
        vec![(-0.5, MIN_SHARE), (9.5, MIN_SHARE)],
        5,
        4,
        t.muted.stroke_width(1),
    ))?;
    Ok(())
}

/// Mean D(x) on real images and mean D(G(z)) on generated ones, per step (1/2 is a
/// discriminator that cannot tell them apart).
pub fn draw_gan_verdicts<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    v: &GanView,
    t: &Theme,
) -> Result<(), PlotError> {
    t.fill(area)?;
    if v.d_real.is_empty() {
        return t.message(
            area,
            "D's verdicts show here once training runs (Play or Step)",
        );
    }
    let x1 = v.d_real.last().map_or(1.0, |p| f64::from(p[0])).max(1.0);
    let x0 = v
        .d_real
        .first()
        .map_or(0.0, |p| f64::from(p[0]))
        .min(x1 - 1.0);
    let mut chart = t
        .chart(area, "discriminator's mean verdict D(x)")
        .x_label_area_size(t.x_label_area(true))
        .y_label_area_size(t.y_label_area(0.0, 1.0))
        .build_cartesian_2d(x0..x1, 0.0f64..1.0f64)?;
    t.mesh(&mut chart.configure_mesh())
        .x_labels(5)
        .y_labels(6)
        .x_label_formatter(&|v| fmt_tick(*v))
        .y_label_formatter(&|v| fmt_tick(*v))
        .x_desc("step")
        .y_desc("D(x)")
        .draw()?;
    let pts = |p: &[[f32; 2]]| -> Vec<(f64, f64)> {
        p.iter()
            .filter(|q| q[1].is_finite())
            .map(|q| (f64::from(q[0]), f64::from(q[1])))
            .collect()
    };
    let (real, fake) = (pts(&v.d_real), pts(&v.d_fake));
    let (blue, red) = (t.line(Hue::Blue), t.line(Hue::Vermillion));
    let corner = legend_corner(
        &[&real, &fake],
        (x0, x1),
        (0.0, 1.0),
        legend_frac(&["real digits", "generated"], area.dim_in_pixel()),
    );
    chart
        .draw_series(LineSeries::new(real, t.line(Hue::Blue)))?
        .label("real digits")
        .legend(move |(x, y)| PathElement::new([(x, y), (x + 16, y)], blue));
    chart
        .draw_series(LineSeries::new(fake, t.line(Hue::Vermillion)))?
        .label("generated")
        .legend(move |(x, y)| PathElement::new([(x, y), (x + 16, y)], red));
    t.legend(&mut chart.configure_series_labels(), corner)
        .draw()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use gentutor_models::digits_gan::Coverage;

    fn view() -> GanView {
        let mut counts = [40usize; CLASSES];
        counts[8] = 3;
        GanView {
            step: 120,
            grid: (0..64 * 64).map(|i| (i % 7) as f32 / 6.0).collect(),
            coverage: Some(Coverage {
                counts,
                samples: 500,
            }),
            d_real: vec![[1.0, 0.6], [2.0, 0.7]],
            d_fake: vec![[1.0, 0.4], [2.0, 0.3]],
            error: None,
        }
    }

    fn svg(f: impl Fn(&DrawingArea<SVGBackend, Shift>) -> Result<(), PlotError>) -> String {
        let mut s = String::new();
        {
            let area = SVGBackend::with_string(&mut s, (420, 300)).into_drawing_area();
            f(&area).expect("draws");
        }
        s
    }

    #[test]
    fn draws_samples_coverage_and_verdicts() {
        for t in [Theme::light(), Theme::dark()] {
            let v = view();
            let samples = svg(|a| draw_gan_samples(a, &v, &t));
            assert!(samples.contains("step 120"));
            // Ink at full value is the theme's foreground.
            let fg = format!("#{:02X}{:02X}{:02X}", t.fg.0, t.fg.1, t.fg.2);
            assert!(samples.to_uppercase().contains(&fg), "ink colour");
            let bars = svg(|a| draw_gan_coverage(a, &v, &t));
            assert_eq!(bars.matches("dropped").count(), 1, "digit 8 only");
            let curves = svg(|a| draw_gan_verdicts(a, &v, &t));
            assert!(curves.contains("real digits") && curves.contains("generated"));
        }
        let empty = GanView::default();
        assert!(svg(|a| draw_gan_coverage(a, &empty, &Theme::light())).contains("Loading"));
        assert!(svg(|a| draw_gan_verdicts(a, &empty, &Theme::light())).contains("Play or Step"));
        assert!(svg(|a| draw_gan_samples(a, &empty, &Theme::light())).contains("No samples"));
        let diverged = GanView {
            error: Some("training diverged at step 9".into()),
            ..view()
        };
        assert!(
            svg(|a| draw_gan_samples(a, &diverged, &Theme::dark())).contains("diverged at step 9")
        );
    }
}
