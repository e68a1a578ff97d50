//! The semi-supervised GAN demo: the critic's and the labels-only classifier's decision regions
//! with the labelled (large, coloured), unlabelled (small, grey) and generated (crosses) points;
//! held-out accuracy per step; accuracy against labels per class.

use crate::theme::{fmt_tick, is_narrow, Hue, Theme};
use crate::PlotError;
use gentutor_models::ssgan::{Regions, SsganView, BOX, SWEEP_LABELS};
use plotters::coord::Shift;
use plotters::prelude::*;

/// Class colours (Okabe-Ito through the theme); the semi-supervised critic is blue in the
/// curves, the labels-only classifier vermillion.
const CLASS_HUES: [Hue; 4] = [Hue::Blue, Hue::Vermillion, Hue::Green, Hue::Purple];
const SSGAN_HUE: Hue = Hue::Blue;
const BASE_HUE: Hue = Hue::Vermillion;

fn class_color(theme: &Theme, k: usize) -> RGBColor {
    theme.color(CLASS_HUES[k % CLASS_HUES.len()])
}

fn mix(a: RGBColor, b: RGBColor, t: f32) -> RGBColor {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let m = |a: u8, b: u8| (f32::from(a) + t * (f32::from(b) - f32::from(a))).round() as u8;
    RGBColor(m(a.0, b.0), m(a.1, b.1), m(a.2, b.2))
}

fn regions<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    r: &Regions,
    v: &SsganView,
    generated: bool,
    theme: &Theme,
) -> Result<(), PlotError> {
    let b = f64::from(BOX);
    let mut chart = theme
        .chart(area, title)
        .x_label_area_size(theme.x_label_area(false))
        .y_label_area_size(theme.y_label_area(-b, b))
        .build_cartesian_2d(-b..b, -b..b)?;
    theme
        .mesh(&mut chart.configure_mesh())
        .disable_mesh()
        .x_labels(5)
        .y_labels(5)
        .x_label_formatter(&|v| fmt_tick(*v))
        .y_label_formatter(&|v| fmt_tick(*v))
        .draw()?;
    // Cells tinted by class, more strongly where the classifier is sure.
    let cell = 2.0 * b / r.n as f64;
    chart.draw_series(
        r.class
            .iter()
            .zip(&r.confidence)
            .enumerate()
            .map(|(i, (&k, &c))| {
                let (row, col) = ((i / r.n) as f64, (i % r.n) as f64);
                let x0 = -b + col * cell;
                let y0 = b - row * cell;
                let tint = 0.12 + 0.33 * (c - 0.5).max(0.0) * 2.0;
                Rectangle::new(
                    [(x0, y0), (x0 + cell, y0 - cell)],
                    mix(theme.bg, class_color(theme, k as usize), tint).filled(),
                )
            }),
    )?;
    chart.draw_series(
        v.unlabelled
            .iter()
            .map(|p| Circle::new((f64::from(p[0]), f64::from(p[1])), 1, theme.muted.filled())),
    )?;
    if generated {
        chart.draw_series(v.generated.iter().map(|p| {
            Cross::new(
                (f64::from(p[0]), f64::from(p[1])),
                3,
                theme.fg.stroke_width(1),
            )
        }))?;
    }
    for (p, &k) in v.labelled.iter().zip(&v.labels) {
        let at = (f64::from(p[0]), f64::from(p[1]));
        chart.draw_series([
            Circle::new(at, 5, class_color(theme, k).filled()),
            Circle::new(at, 5, theme.fg.stroke_width(1)),
        ])?;
    }
    Ok(())
}

fn accuracy_curves<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    v: &SsganView,
    theme: &Theme,
) -> Result<(), PlotError> {
    let last = v.accuracy.last().map_or(1, |a| a.step.max(1)) as f64;
    let mut chart = theme
        .chart(area, "held-out accuracy per step")
        .x_label_area_size(theme.x_label_area(false))
        .y_label_area_size(theme.y_label_area(0.0, 1.0))
        .build_cartesian_2d(0.0..last, 0.0..1.0)?;
    theme
        .mesh(&mut chart.configure_mesh())
        .x_labels(4)
        .y_labels(5)
        .x_label_formatter(&|v| fmt_tick(*v))
        .y_label_formatter(&|v| fmt_tick(*v))
        .draw()?;
    let pts = |f: fn(&gentutor_models::ssgan::AccuracyPoint) -> f64| {
        v.accuracy
            .iter()
            .map(move |a| (a.step as f64, f(a)))
            .collect::<Vec<_>>()
    };
    chart
        .draw_series(LineSeries::new(pts(|a| a.ssgan), theme.line(SSGAN_HUE)))?
        .label("semi-supervised GAN")
        .legend(move |(x, y)| PathElement::new([(x, y), (x + 14, y)], theme.line(SSGAN_HUE)));
    chart
        .draw_series(LineSeries::new(
            pts(|a| a.labels_only),
            theme.line(BASE_HUE),
        ))?
        .label("labels only")
        .legend(move |(x, y)| PathElement::new([(x, y), (x + 14, y)], theme.line(BASE_HUE)));
    theme
        .legend(
            &mut chart.configure_series_labels(),
            SeriesLabelPosition::LowerRight,
        )
        .draw()?;
    Ok(())
}

fn sweep_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    v: &SsganView,
    theme: &Theme,
) -> Result<(), PlotError> {
    let max = SWEEP_LABELS[SWEEP_LABELS.len() - 1] as f64;
    let mut chart = theme
        .chart(area, "accuracy against labels per class")
        .x_label_area_size(theme.x_label_area(false))
        .y_label_area_size(theme.y_label_area(0.0, 1.0))
        .build_cartesian_2d((0.8..max * 1.25).log_scale(), 0.0..1.0)?;
    theme
        .mesh(&mut chart.configure_mesh())
        .x_labels(5)
        .y_labels(5)
        .x_label_formatter(&|v| fmt_tick(*v))
        .y_label_formatter(&|v| fmt_tick(*v))
        .draw()?;
    if v.sweep.is_empty() {
        area.draw(&Text::new(
            "press “Run the label sweep”",
            (60, area.dim_in_pixel().1 as i32 / 2),
            theme.text_in(crate::theme::LABEL_PX, theme.muted),
        ))?;
        return Ok(());
    }
    for (hue, f) in [
        (
            SSGAN_HUE,
            (|s| s.ssgan) as fn(&gentutor_models::ssgan::AccuracyPoint) -> f64,
        ),
        (BASE_HUE, |s| s.labels_only),
    ] {
        let pts: Vec<(f64, f64)> = v
            .sweep
            .iter()
            .map(|r| (r.labels as f64, f(&r.accuracy)))
            .collect();
        chart.draw_series(LineSeries::new(pts.clone(), theme.line(hue)))?;
        chart.draw_series(
            pts.into_iter()
                .map(|p| Circle::new(p, 3, theme.color(hue).filled())),
        )?;
    }
    Ok(())
}

/// The whole demo: regions side by side above the two accuracy charts (stacked when narrow).
pub fn draw_ssgan<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    v: &SsganView,
    theme: &Theme,
) -> Result<(), PlotError> {
    theme.fill(area)?;
    let (w, h) = area.dim_in_pixel();
    let (top, bottom) = area.split_vertically(h * 11 / 20);
    let panels = |a: &DrawingArea<DB, Shift>| {
        let (pw, ph) = a.dim_in_pixel();
        if is_narrow(w) && ph > pw {
            a.split_vertically(ph / 2)
        } else {
            a.split_horizontally(pw / 2)
        }
    };
    let (left, right) = panels(&top);
    let ssgan_title = format!("semi-supervised critic, step {}", v.step);
    regions(&left, &ssgan_title, &v.critic, v, true, theme)?;
    regions(&right, "labels only", &v.labels_only, v, false, theme)?;
    let (l2, r2) = panels(&bottom);
    accuracy_curves(&l2, v, theme)?;
    sweep_chart(&r2, v, theme)
}

#[cfg(test)]
mod tests {
    use super::*;
    use gentutor_models::ssgan::{LabelSweep, Ssgan, SsganConfig, SweepResult};

    fn render(v: &SsganView, size: (u32, u32), theme: &Theme) -> String {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
            draw_ssgan(&root, v, theme).unwrap_or_else(|e| panic!("{e}"));
        }
        svg
    }

    #[test]
    fn draws_regions_points_curves_and_the_sweep() {
        let mut s = Ssgan::new(SsganConfig::default());
        s.step(60).expect("trains");
        let mut v = s.view(24);
        let hex = |c: RGBColor| format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2);
        for (size, theme) in [((720, 660), Theme::light()), ((360, 900), Theme::dark())] {
            let svg = render(&v, size, &theme);
            assert!(
                svg.matches("<rect").count() >= 2 * 24 * 24,
                "two raster of cells"
            );
            // 20 labelled points twice (fill and ring) in both panels, unlabelled dots too.
            assert!(svg.matches("<circle").count() >= 2 * 2 * 20 + 600, "points");
            for t in [
                "semi-supervised critic, step 60",
                "labels only",
                "held-out accuracy",
                "press",
            ] {
                assert!(svg.contains(t), "missing {t}");
            }
            assert!(svg.contains(&hex(theme.bg)));
            assert!(svg.contains(&hex(class_color(&theme, 1))));
        }
        // A finished sweep replaces the prompt by two curves with their markers.
        let mut sweep = LabelSweep::new(SsganConfig::default(), 3);
        sweep.step(100).expect("sweeps");
        assert!(sweep.done());
        v.sweep = sweep.results.clone();
        let svg = render(&v, (720, 660), &Theme::light());
        assert!(!svg.contains("press"));
        assert_eq!(v.sweep.len(), SWEEP_LABELS.len());
        let r: &SweepResult = &v.sweep[0];
        assert_eq!(r.labels, 1);
    }
}
