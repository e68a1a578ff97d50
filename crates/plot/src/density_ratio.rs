//! Plots of the density-ratio demo: the two densities with the classifier's D(x), and the true
//! log-ratio against the classifier's estimate, with and without the prior correction.

use crate::divergences::trim;
use crate::theme::{Hue, Theme};
use crate::PlotError;
use gentutor_models::density_ratio::RatioClassifier;
use plotters::coord::Shift;
use plotters::prelude::*;

/// The theme's hues: p* blue, q vermillion, D(x) and the estimate in ink, the raw estimate
/// orange (the legend says "uncorrected"), the truth green.
const P_HUE: Hue = Hue::Blue;
const Q_HUE: Hue = Hue::Vermillion;
const RAW_HUE: Hue = Hue::Orange;
const TRUE_HUE: Hue = Hue::Green;

fn normal_pdf(x: f64, mu: f64, sd: f64) -> f64 {
    let z = (x - mu) / sd;
    (-0.5 * z * z).exp() / (sd * (2.0 * std::f64::consts::PI).sqrt())
}

/// Draws the classifier: left, p* and q with D(x) (scaled to the density axis' top); right, the
/// true log p*/q against log D/(1-D) and its prior-corrected version.
pub fn draw_density_ratio<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    model: &RatioClassifier,
    dark: bool,
) -> Result<(), PlotError> {
    let theme = Theme::new(dark);
    let (bg, fg) = (theme.bg, theme.fg);
    area.fill(&bg)?;
    let (w, h) = area.dim_in_pixel();
    let narrow = crate::theme::is_narrow(w);
    let label_px = if narrow { 12 } else { 13 };
    let font = |px: u32| theme.text(px);
    let (p_color, q_color, raw_color, true_color) = (
        theme.color(P_HUE),
        theme.color(Q_HUE),
        theme.color(RAW_HUE),
        theme.color(TRUE_HUE),
    );
    let (left, right) = if narrow {
        area.split_vertically(h / 2)
    } else {
        area.split_horizontally(w / 2)
    };
    let s = model.settings;
    let x_lo = (s.mu_p - 3.0 * s.sd_p).min(s.mu_q - 3.0 * s.sd_q);
    let x_hi = (s.mu_p + 3.0 * s.sd_p).max(s.mu_q + 3.0 * s.sd_q);
    let grid: Vec<f64> = (0..=240)
        .map(|i| x_lo + (x_hi - x_lo) * f64::from(i) / 240.0)
        .collect();
    let dens_top = 1.1 * normal_pdf(0.0, 0.0, s.sd_p.min(s.sd_q));

    let mut chart = ChartBuilder::on(&left)
        .margin(8)
        .caption("p* (label 1), q (label 0) and D(x)", font(label_px + 1))
        .x_label_area_size(26)
        .y_label_area_size(40)
        .build_cartesian_2d(x_lo..x_hi, 0.0..dens_top)?;
    chart
        .configure_mesh()
        .light_line_style(theme.grid)
        .bold_line_style(theme.frame.mix(0.6))
        .axis_style(fg)
        .label_style(font(label_px - 1))
        .x_labels(6)
        .y_labels(4)
        .x_label_formatter(&|v| trim(*v))
        .y_label_formatter(&|v| trim(*v))
        .draw()?;
    let line = |c: RGBColor| ShapeStyle::from(&c).stroke_width(2);
    for (mu, sd, c, name) in [
        (s.mu_p, s.sd_p, p_color, "p*"),
        (s.mu_q, s.sd_q, q_color, "q"),
    ] {
        chart
            .draw_series(LineSeries::new(
                grid.iter().map(|&x| (x, normal_pdf(x, mu, sd))),
                line(c),
            ))?
            .label(name)
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 14, y)], line(c)));
    }
    chart
        .draw_series(LineSeries::new(
            grid.iter().map(|&x| (x, model.d(x) * dens_top)),
            line(fg),
        ))?
        .label("D(x), 0 to 1 (axis top = 1)")
        .legend(move |(x, y)| PathElement::new([(x, y), (x + 14, y)], line(fg)));
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(bg.mix(0.85))
        .border_style(theme.frame)
        .label_font(font(label_px - 1))
        .draw()?;

    let truth: Vec<(f64, f64)> = grid.iter().map(|&x| (x, s.true_ratio(x).ln())).collect();
    let (mut y_lo, mut y_hi) = truth
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), (_, y)| {
            (a.min(*y), b.max(*y))
        });
    y_lo = y_lo.max(-8.0) - 0.5;
    y_hi = y_hi.min(8.0) + 0.5;
    let mut chart = ChartBuilder::on(&right)
        .margin(8)
        .caption("log p*/q: truth and the classifier's", font(label_px + 1))
        .x_label_area_size(26)
        .y_label_area_size(40)
        .build_cartesian_2d(x_lo..x_hi, y_lo..y_hi)?;
    chart
        .configure_mesh()
        .light_line_style(theme.grid)
        .bold_line_style(theme.frame.mix(0.6))
        .axis_style(fg)
        .label_style(font(label_px - 1))
        .x_labels(6)
        .y_labels(5)
        .x_label_formatter(&|v| trim(*v))
        .y_label_formatter(&|v| trim(*v))
        .draw()?;
    let clip = |v: f64| v.clamp(y_lo, y_hi);
    chart
        .draw_series(LineSeries::new(
            truth.iter().map(|&(x, y)| (x, clip(y))),
            line(true_color),
        ))?
        .label("true log p*/q")
        .legend(move |(x, y)| PathElement::new([(x, y), (x + 14, y)], line(true_color)));
    chart
        .draw_series(LineSeries::new(
            grid.iter().map(|&x| (x, clip(model.ratio(x, false).ln()))),
            line(raw_color),
        ))?
        .label("log D/(1-D), uncorrected")
        .legend(move |(x, y)| PathElement::new([(x, y), (x + 14, y)], line(raw_color)));
    chart
        .draw_series(LineSeries::new(
            grid.iter().map(|&x| (x, clip(model.ratio(x, true).ln()))),
            line(fg),
        ))?
        .label("with the prior correction")
        .legend(move |(x, y)| PathElement::new([(x, y), (x + 14, y)], line(fg)));
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerRight)
        .background_style(bg.mix(0.85))
        .border_style(theme.frame)
        .label_font(font(label_px - 1))
        .draw()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use gentutor_models::density_ratio::{RatioClassifier, Settings};

    #[test]
    fn draws_wide_and_narrow_light_and_dark() {
        let mut m = RatioClassifier::new(Settings::default());
        m.step(50).expect("trains");
        for (size, dark) in [((720, 360), false), ((340, 560), true)] {
            let mut svg = String::new();
            {
                let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
                draw_density_ratio(&root, &m, dark).expect("draws");
                root.present().expect("present");
            }
            for label in ["true log p*/q", "uncorrected", "D(x)"] {
                assert!(svg.contains(label), "{label} missing at {size:?}");
            }
            assert_eq!(svg.contains("#181A1F"), dark);
            crate::theme::svg_checks::assert_readable(&svg);
        }
    }
}
