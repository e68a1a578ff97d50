//! Plots of the divergences demo: the two distributions at the current shift, each divergence
//! against the shift, and each one's gradient with respect to the shift.

use crate::theme::{fmt_tick, Hue, Theme};
use crate::PlotError;
use gentutor_models::divergences::{Divergences, Family};
use plotters::coord::Shift;
use plotters::prelude::*;

/// One hue per divergence (the theme's Okabe-Ito palette), in the order KL, JSD, TV, W1, MMD;
/// every curve also has its label in the legend, so colour is never the only cue.
pub const HUES: [Hue; 5] = [
    Hue::Vermillion,
    Hue::Blue,
    Hue::Green,
    Hue::Orange,
    Hue::Purple,
];
/// The names, in the order of [`HUES`].
pub const NAMES: [&str; 5] = ["KL(P‖Q)", "JSD", "TV", "W₁", "MMD"];
/// Hues of P's and Q's densities.
pub const P_HUE: Hue = Hue::Blue;
pub const Q_HUE: Hue = Hue::Vermillion;

/// Everything the plot shows: the curves over `thetas`, the current shift, and samples.
#[derive(Debug, Clone, PartialEq)]
pub struct DivergencesView {
    pub family: Family,
    pub theta: f64,
    pub h: f64,
    /// (theta, exact values, gradients) along the slider's range.
    pub curves: Vec<(f64, Divergences, Divergences)>,
    pub samples_p: Vec<f64>,
    pub samples_q: Vec<f64>,
    /// Light or dark page.
    pub dark: bool,
}

fn values(d: &Divergences) -> [f64; 5] {
    [d.kl, d.jsd, d.tv, d.w1, d.mmd]
}

/// Draws the view: densities on top (P blue, Q orange, point masses as arrows), divergences
/// against the shift bottom left, their gradients bottom right; a vertical line marks the
/// current shift. Infinite values (KL between disjoint supports) are drawn at the top edge.
pub fn draw_divergences<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    view: &DivergencesView,
) -> Result<(), PlotError> {
    let theme = Theme::new(view.dark);
    let (bg, fg) = (theme.bg, theme.fg);
    area.fill(&bg)?;
    let (w, h) = area.dim_in_pixel();
    let font = |px: u32| theme.text(px);
    let small = (w < 500) as u32;
    let label_px = 13 - small;
    let (top, bottom) = area.split_vertically(h * 2 / 5);
    let theta_max = view.curves.last().map_or(10.0, |c| c.0).max(1e-3);

    // 1. The distributions at the current shift.
    let reach = match view.family {
        Family::PointMass => 1.0,
        Family::Gaussian { s } => 3.5 * s,
        Family::Uniform { w } => 0.6 * w + 0.2,
    };
    let x_lo = -reach.max(1.0);
    let x_hi = theta_max + reach.max(1.0);
    let density = |x: f64, shift: f64| match view.family {
        Family::PointMass => 0.0,
        Family::Gaussian { s } => {
            let z = (x - shift) / s;
            (-0.5 * z * z).exp() / (s * (2.0 * std::f64::consts::PI).sqrt())
        }
        Family::Uniform { w } => {
            if (x - shift).abs() <= w / 2.0 {
                1.0 / w
            } else {
                0.0
            }
        }
    };
    let y_top = match view.family {
        Family::PointMass => 1.0,
        Family::Gaussian { s } => 1.15 / (s * (2.0 * std::f64::consts::PI).sqrt()),
        Family::Uniform { w } => 1.15 / w,
    };
    let mut chart = ChartBuilder::on(&top)
        .margin(8)
        .caption(
            format!("P and Q = P shifted by θ = {:.2}", view.theta),
            font(label_px + 1),
        )
        .x_label_area_size(22)
        .y_label_area_size(40)
        .build_cartesian_2d(x_lo..x_hi, 0.0..y_top)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .axis_style(fg)
        .label_style(font(label_px - 1))
        .x_labels(6)
        .y_labels(3)
        .y_label_formatter(&|v| trim(*v))
        .x_label_formatter(&|v| trim(*v))
        .draw()?;
    for (shift, color, name) in [
        (0.0, theme.color(P_HUE), "P"),
        (view.theta, theme.color(Q_HUE), "Q"),
    ] {
        let style = ShapeStyle::from(&color).stroke_width(2);
        match view.family {
            Family::PointMass => {
                chart
                    .draw_series(LineSeries::new([(shift, 0.0), (shift, 0.9)], style))?
                    .label(name)
                    .legend(move |(x, y)| PathElement::new([(x, y), (x + 14, y)], style));
                chart.draw_series([TriangleMarker::new((shift, 0.9), 6, color.filled())])?;
            }
            _ => {
                let n = 300;
                let pts = (0..=n).map(|i| {
                    let x = x_lo + (x_hi - x_lo) * i as f64 / n as f64;
                    (x, density(x, shift))
                });
                chart
                    .draw_series(LineSeries::new(pts, style))?
                    .label(name)
                    .legend(move |(x, y)| PathElement::new([(x, y), (x + 14, y)], style));
            }
        }
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(bg.mix(0.85))
        .border_style(theme.frame)
        .label_font(font(label_px - 1))
        .draw()?;

    // 2. Divergences and gradients against the shift.
    let (left, right) = bottom.split_horizontally(w / 2);
    let y_cap = 3.0;
    for (panel, title, grads) in [
        (&left, "divergence against the shift θ", false),
        (&right, "its gradient d/dθ", true),
    ] {
        let (y_lo, y_hi) = if grads { (-0.2, 1.4) } else { (0.0, y_cap) };
        let mut chart = ChartBuilder::on(panel)
            .margin(8)
            .caption(title, font(label_px))
            .x_label_area_size(36)
            .y_label_area_size(36)
            .build_cartesian_2d(0.0..theta_max, y_lo..y_hi)?;
        chart
            .configure_mesh()
            .light_line_style(theme.grid)
            .bold_line_style(theme.frame.mix(0.6))
            .axis_style(fg)
            .label_style(font(label_px - 1))
            .x_desc("θ")
            .x_labels(5)
            .y_labels(5)
            .x_label_formatter(&|v| trim(*v))
            .y_label_formatter(&|v| trim(*v))
            .draw()?;
        for (k, color) in HUES.iter().map(|h| theme.color(*h)).enumerate() {
            let pts: Vec<(f64, f64)> = view
                .curves
                .iter()
                // Values off the top are left out (not drawn along the edge), so the curves
                // leave the upper right free for the legend.
                .filter_map(|(t, v, g)| {
                    let y = values(if grads { g } else { v })[k];
                    (y.is_finite() && y <= y_hi).then(|| (*t, y.max(y_lo)))
                })
                .collect();
            let style = ShapeStyle::from(&color).stroke_width(2);
            let series = chart.draw_series(LineSeries::new(pts, style))?;
            if !grads {
                series
                    .label(NAMES[k])
                    .legend(move |(x, y)| PathElement::new([(x, y), (x + 14, y)], style));
            }
        }
        chart.draw_series(LineSeries::new(
            [(view.theta, y_lo), (view.theta, y_hi)],
            ShapeStyle::from(&fg.mix(0.5)).stroke_width(1),
        ))?;
        if !grads {
            chart
                .configure_series_labels()
                .position(SeriesLabelPosition::UpperRight)
                .background_style(bg.mix(0.85))
                .border_style(theme.frame)
                .label_font(font(label_px - 1))
                .draw()?;
        }
    }
    Ok(())
}

/// A tick label to 2 decimals without trailing zeros or a negative zero ("1000", "0.5", "0"):
/// the theme's [`fmt_tick`] of the rounded value (these axes never need finer ticks).
pub fn trim(v: f64) -> String {
    fmt_tick((v * 100.0).round() / 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use gentutor_models::divergences::{exact, gradients};

    fn view(family: Family, dark: bool) -> DivergencesView {
        let curves = (0..=50)
            .map(|i| {
                let t = 10.0 * f64::from(i) / 50.0;
                (t, exact(family, t, 1.0), gradients(family, t, 1.0))
            })
            .collect();
        DivergencesView {
            family,
            theta: 3.0,
            h: 1.0,
            curves,
            samples_p: vec![],
            samples_q: vec![],
            dark,
        }
    }

    #[test]
    fn draws_every_family_light_and_dark_with_every_legend() {
        for family in [
            Family::PointMass,
            Family::Gaussian { s: 1.0 },
            Family::Uniform { w: 1.0 },
        ] {
            for dark in [false, true] {
                let mut svg = String::new();
                {
                    let root = SVGBackend::with_string(&mut svg, (640, 480)).into_drawing_area();
                    draw_divergences(&root, &view(family, dark)).expect("draws");
                    root.present().expect("present");
                }
                for name in ["JSD", "TV", "MMD", "P and Q"] {
                    assert!(svg.contains(name), "{family:?}: {name} missing");
                }
                // Dark pages get a dark background, not white.
                assert_eq!(svg.contains("#181A1F"), dark, "{family:?} dark={dark}");
                crate::theme::svg_checks::assert_readable(&svg);
            }
        }
    }

    #[test]
    fn tick_labels_have_no_trailing_zeros_or_negative_zero() {
        assert_eq!(trim(1000.0), "1000");
        assert_eq!(trim(-0.0001), "0");
        assert_eq!(trim(0.5), "0.5");
        assert_eq!(trim(2.25), "2.25");
    }
}
