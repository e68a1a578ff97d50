//! Plot of the 1D GAN demo: densities with D(x) and D*(x) on top, loss curves and the
//! generator's gradient magnitude (log scale) below.

use crate::PlotError;
use gentutor_models::gan1d::Gan1dView;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Colour of the data density p*.
pub const REAL_COLOR: RGBColor = RGBColor(31, 119, 180);
/// Colour of the generated density q_theta (KDE line and histogram bars).
pub const GEN_COLOR: RGBColor = RGBColor(255, 127, 14);
/// Colour of D(x).
pub const D_COLOR: RGBColor = RGBColor(44, 160, 44);
/// Colour of the optimal discriminator D*(x).
pub const D_STAR_COLOR: RGBColor = RGBColor(148, 103, 189);
/// Colour of the discriminator loss curve.
pub const LOSS_D_COLOR: RGBColor = RGBColor(214, 39, 40);
/// Colour of the generator loss curve.
pub const LOSS_G_COLOR: RGBColor = RGBColor(23, 190, 207);
/// Colour of ||dL_G/dtheta_G||.
pub const GRAD_G_COLOR: RGBColor = RGBColor(127, 127, 127);
/// Colour of mean |dl_G/dx|.
pub const GRAD_X_COLOR: RGBColor = RGBColor(188, 189, 34);

fn finite_points(points: &[[f32; 2]]) -> Vec<(f32, f32)> {
    points
        .iter()
        .filter(|p| p[0].is_finite() && p[1].is_finite())
        .map(|p| (p[0], p[1]))
        .collect()
}

/// (min, max) of the finite values, widened so the range is never empty.
fn finite_range(vals: impl Iterator<Item = f32>) -> (f32, f32) {
    let (mut lo, mut hi) = (f32::INFINITY, f32::NEG_INFINITY);
    for v in vals.filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !lo.is_finite() || !hi.is_finite() {
        return (0.0, 1.0);
    }
    if hi - lo < 1e-6 {
        return (lo - 0.5, hi + 0.5);
    }
    let pad = 0.05 * (hi - lo);
    (lo - pad, hi + pad)
}

/// Draws a centred message (used for diverged or empty views).
fn draw_message<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    lines: &[String],
) -> Result<(), PlotError> {
    area.fill(&WHITE)?;
    let (w, h) = area.dim_in_pixel();
    let style = TextStyle::from(("sans-serif", 16).into_font()).color(&LOSS_D_COLOR);
    for (i, line) in lines.iter().enumerate() {
        let y = h as i32 / 2 - 12 * lines.len() as i32 + 24 * i as i32;
        area.draw(&Text::new(line.clone(), (20, y), style.clone()))?;
    }
    let _ = w;
    area.present()?;
    Ok(())
}

/// Draws the whole GAN view into `area`. A diverged view, or one without finite data, draws
/// an explanatory message instead of the plots.
pub fn draw_gan1d<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    view: &Gan1dView,
) -> Result<(), PlotError> {
    if let Some(msg) = &view.diverged {
        return draw_message(area, &wrap(msg, 70));
    }
    let n = view.grid.len();
    let usable = n >= 2
        && view.real_density.len() == n
        && view.gen_kde.len() == n
        && view.gen_hist.len() == n
        && view.d_grid.len() == n
        && view.d_star.len() == n
        && view.grid.iter().all(|x| x.is_finite());
    if !usable {
        return draw_message(area, &["Nothing to show yet: press Train.".to_string()]);
    }
    area.fill(&WHITE)?;
    let (top, bottom) = area.split_vertically(area.dim_in_pixel().1 * 3 / 5);
    let (bl, br) = bottom.split_horizontally(bottom.dim_in_pixel().0 / 2);
    draw_densities(&top, view)?;
    draw_losses(&bl, view)?;
    draw_gradients(&br, view)?;
    area.present()?;
    Ok(())
}

fn wrap(msg: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in msg.split_whitespace() {
        let cur = lines.last().map_or(0, |l| l.len());
        if cur > 0 && cur + word.len() + 1 > width {
            lines.push(String::new());
        }
        if let Some(l) = lines.last_mut() {
            if !l.is_empty() {
                l.push(' ');
            }
            l.push_str(word);
        }
    }
    lines
}

fn draw_densities<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    v: &Gan1dView,
) -> Result<(), PlotError> {
    let lo = v.grid[0] - v.bin_width / 2.0;
    let hi = v.grid[v.grid.len() - 1] + v.bin_width / 2.0;
    let (_, ymax) = finite_range(
        v.real_density
            .iter()
            .chain(&v.gen_kde)
            .chain(&v.gen_hist)
            .copied()
            .chain(std::iter::once(0.0)),
    );
    let mut chart = ChartBuilder::on(area)
        .caption(
            format!(
                "step {}: p* (blue), generated (orange), D (green), D* (purple)   modes {}/{}  JS {:.3} nats",
                v.step, v.metrics.modes_captured, v.metrics.modes_total, v.metrics.js_nats
            ),
            ("sans-serif", 14),
        )
        .margin(8)
        .x_label_area_size(24)
        .y_label_area_size(40)
        .right_y_label_area_size(36)
        .build_cartesian_2d(lo..hi, 0f32..ymax)?
        .set_secondary_coord(lo..hi, 0f32..1.05f32);
    chart
        .configure_mesh()
        .disable_x_mesh()
        .y_desc("density")
        .draw()?;
    chart.configure_secondary_axes().y_desc("D(x)").draw()?;
    let half = v.bin_width / 2.0;
    chart.draw_series(
        v.grid
            .iter()
            .zip(&v.gen_hist)
            .filter(|(_, h)| h.is_finite() && **h > 0.0)
            .map(|(&x, &h)| {
                Rectangle::new(
                    [(x - half, 0.0), (x + half, h.min(ymax))],
                    GEN_COLOR.mix(0.3).filled(),
                )
            }),
    )?;
    let line = |ys: &[f32]| -> Vec<(f32, f32)> {
        v.grid
            .iter()
            .zip(ys)
            .filter(|(_, y)| y.is_finite())
            .map(|(&x, &y)| (x, y))
            .collect()
    };
    chart.draw_series(LineSeries::new(
        line(&v.real_density),
        REAL_COLOR.stroke_width(2),
    ))?;
    chart.draw_series(LineSeries::new(line(&v.gen_kde), GEN_COLOR.stroke_width(2)))?;
    chart.draw_secondary_series(LineSeries::new(line(&v.d_grid), D_COLOR.stroke_width(2)))?;
    if v.d_star_applies {
        chart.draw_secondary_series(LineSeries::new(
            line(&v.d_star),
            D_STAR_COLOR.stroke_width(1),
        ))?;
    }
    Ok(())
}

fn draw_losses<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    v: &Gan1dView,
) -> Result<(), PlotError> {
    let ld = finite_points(v.histories.loss_d.points());
    let lg = finite_points(v.histories.loss_g.points());
    let (x0, x1) = finite_range(ld.iter().chain(&lg).map(|p| p.0));
    let (y0, y1) = finite_range(ld.iter().chain(&lg).map(|p| p.1));
    let mut chart = ChartBuilder::on(area)
        .caption("losses: L_D (red), L_G (cyan)", ("sans-serif", 13))
        .margin(8)
        .x_label_area_size(34)
        .y_label_area_size(44)
        .build_cartesian_2d(x0.max(0.0)..x1, y0..y1)?;
    chart.configure_mesh().x_desc("step").x_labels(4).draw()?;
    chart.draw_series(LineSeries::new(ld, LOSS_D_COLOR))?;
    chart.draw_series(LineSeries::new(lg, LOSS_G_COLOR))?;
    Ok(())
}

fn draw_gradients<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    v: &Gan1dView,
) -> Result<(), PlotError> {
    // Log scale: keep strictly positive values only.
    let pos = |pts: &[[f32; 2]]| -> Vec<(f32, f32)> {
        finite_points(pts)
            .into_iter()
            .filter(|p| p.1 > 0.0)
            .collect()
    };
    let gg = pos(v.histories.grad_g.points());
    let gx = pos(v.histories.grad_x.points());
    let (x0, x1) = finite_range(gg.iter().chain(&gx).map(|p| p.0));
    let (mut y0, mut y1) = (f32::INFINITY, 0.0f32);
    for p in gg.iter().chain(&gx) {
        y0 = y0.min(p.1);
        y1 = y1.max(p.1);
    }
    if !(y0.is_finite() && y1 > 0.0) {
        (y0, y1) = (1e-6, 1.0);
    }
    let (y0, y1) = (y0 / 2.0, (y1 * 2.0).max(y0 * 4.0));
    let mut chart = ChartBuilder::on(area)
        .caption(
            "G gradient: ||dL_G/dtheta|| (grey), mean |dl/dx| (olive)",
            ("sans-serif", 13),
        )
        .margin(8)
        .x_label_area_size(34)
        .y_label_area_size(52)
        .build_cartesian_2d(x0.max(0.0)..x1, (y0..y1).log_scale())?;
    chart
        .configure_mesh()
        .x_desc("step")
        .x_labels(4)
        .y_label_formatter(&|y| format!("{y:.0e}"))
        .draw()?;
    chart.draw_series(LineSeries::new(gg, GRAD_G_COLOR))?;
    chart.draw_series(LineSeries::new(gx, GRAD_X_COLOR))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use gentutor_models::gan1d::{Gan1d, Preset};

    fn render(view: &Gan1dView) -> Result<String, PlotError> {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (800, 600)).into_drawing_area();
            draw_gan1d(&root, view)?;
        }
        Ok(svg)
    }

    fn hex(c: RGBColor) -> String {
        format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
    }

    #[test]
    fn draws_all_series_after_training() {
        let mut gan = Gan1d::from_preset(Preset::Default);
        assert!(gan.step(30).is_ok());
        let view = gan.view();
        let svg = render(&view).expect("draw");
        // Exactly one polyline per series: p*, KDE, D, D*, two losses, two gradient curves.
        let series_lines = |c: RGBColor| {
            svg.lines()
                .filter(|l| {
                    l.starts_with("<polyline") && l.contains(&format!("stroke=\"{}\"", hex(c)))
                })
                .count()
        };
        for c in [
            REAL_COLOR,
            GEN_COLOR,
            D_COLOR,
            D_STAR_COLOR,
            LOSS_D_COLOR,
            LOSS_G_COLOR,
            GRAD_G_COLOR,
            GRAD_X_COLOR,
        ] {
            assert_eq!(series_lines(c), 1, "colour {}", hex(c));
        }
        // Histogram bars and text labels (no font crate needed for SVG).
        assert!(svg.matches("<rect").count() > 10);
        assert!(svg.contains("<text") && svg.contains("modes"));
    }

    #[test]
    fn diverged_and_empty_views_draw_a_message() {
        let mut gan = Gan1d::from_preset(Preset::Default);
        let mut view = gan.view();
        view.diverged = Some("training diverged at step 3: NaN. Lower the learning rates".into());
        view.d_grid.iter_mut().for_each(|d| *d = f32::NAN);
        let svg = render(&view).expect("draw");
        assert!(svg.contains("diverged"));
        assert_eq!(
            svg.matches(&format!("stroke=\"{}\"", hex(REAL_COLOR)))
                .count(),
            0
        );
        let mut empty = gan.view();
        empty.grid.clear();
        let svg = render(&empty).expect("draw");
        assert!(svg.contains("Nothing to show"));
        // A fresh view with empty histories still draws (no NaN ranges).
        assert!(gan.step(0).is_ok());
        assert!(render(&gan.view()).is_ok());
    }
}
