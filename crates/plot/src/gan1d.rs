//! Plot of the 1D GAN demo: densities with D(x) and D*(x) on top, loss curves and the
//! generator's gradient magnitude (log scale) below.

use crate::theme::{fmt_log_tick, fmt_tick, is_narrow, legend_corner, legend_frac, Hue, Theme};
use crate::PlotError;
use gentutor_models::gan1d::Gan1dView;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Hue of the data density p*.
pub const REAL: Hue = Hue::Blue;
/// Hue of the generated density q_θ (KDE line and histogram bars) and of G's loss.
pub const GEN: Hue = Hue::Vermillion;
/// Hue of D(x) and of D's loss.
pub const D: Hue = Hue::Green;
/// Hue of the optimal discriminator D*(x) (dashed).
pub const D_STAR: Hue = Hue::Purple;
/// Hue of ‖∇θ L_G‖.
pub const GRAD_G: Hue = Hue::Orange;
/// Hue of mean |∂l/∂x|.
pub const GRAD_X: Hue = Hue::Sky;

/// The density panel's y axes run to this multiple of their data (densities) or of 1 (D):
/// the top stays free for the legend.
const HEADROOM: f32 = 1.6;

/// Canvas height (CSS px) for a canvas `w` px wide: side-by-side lower panels on a wide canvas
/// (the 760 x 560 design), all three panels stacked on a narrow one.
pub fn canvas_height(w: u32) -> u32 {
    if is_narrow(w) {
        300 + 2 * 210
    } else {
        (w * 560 / 760).max(460)
    }
}

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

fn to_f64(points: &[(f32, f32)]) -> Vec<(f64, f64)> {
    points
        .iter()
        .map(|&(x, y)| (f64::from(x), f64::from(y)))
        .collect()
}

/// Draws the whole GAN view into `area`. A diverged view, or one without finite data, draws
/// an explanatory message instead of the plots.
pub fn draw_gan1d<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    view: &Gan1dView,
    theme: &Theme,
) -> Result<(), PlotError> {
    if let Some(msg) = &view.diverged {
        theme.message(area, msg)?;
        area.present()?;
        return Ok(());
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
        theme.message(area, "Nothing to show yet: press Play.")?;
        area.present()?;
        return Ok(());
    }
    theme.fill(area)?;
    let (w, h) = area.dim_in_pixel();
    if is_narrow(w) {
        // Phone: the three panels one above the other, each the full width.
        let (top, rest) = area.split_vertically(h * 30 / 72);
        let (mid, low) = rest.split_vertically(rest.dim_in_pixel().1 / 2);
        draw_densities(&top, view, theme)?;
        draw_losses(&mid, view, theme)?;
        draw_gradients(&low, view, theme)?;
    } else {
        let (top, bottom) = area.split_vertically(h * 3 / 5);
        let (bl, br) = bottom.split_horizontally(bottom.dim_in_pixel().0 / 2);
        draw_densities(&top, view, theme)?;
        draw_losses(&bl, view, theme)?;
        draw_gradients(&br, view, theme)?;
    }
    area.present()?;
    Ok(())
}

fn draw_densities<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    v: &Gan1dView,
    theme: &Theme,
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
    // Room above the curves for the four-line legend: D and D* reach at most 1 of 1.6.
    let ymax = ymax * HEADROOM;
    let caption = format!(
        "step {} · modes {}/{} · JS {:.3} nats",
        v.step, v.metrics.modes_captured, v.metrics.modes_total, v.metrics.js_nats
    );
    let y_area = theme.y_label_area(0.0, f64::from(ymax));
    let mut chart = theme
        .chart(area, &caption)
        .x_label_area_size(theme.x_label_area(false))
        .y_label_area_size(y_area)
        .right_y_label_area_size(theme.y_label_area(0.0, 1.0))
        .build_cartesian_2d(lo..hi, 0f32..ymax)?
        .set_secondary_coord(lo..hi, 0f32..HEADROOM);
    theme
        .mesh(&mut chart.configure_mesh())
        .disable_x_mesh()
        .x_labels(7)
        .y_labels(4)
        .x_label_formatter(&|x| fmt_tick(f64::from(*x)))
        .y_label_formatter(&|y| fmt_tick(f64::from(*y)))
        .y_desc("density")
        .draw()?;
    chart
        .configure_secondary_axes()
        .axis_style(theme.frame)
        .label_style(theme.tick_font())
        .axis_desc_style(theme.label_font())
        .y_labels(3)
        .y_label_formatter(&|y| fmt_tick(f64::from(*y)))
        .y_desc("D(x)")
        .draw()?;
    let half = v.bin_width / 2.0;
    let (real, gen, d, d_star) = (
        theme.color(REAL),
        theme.color(GEN),
        theme.color(D),
        theme.color(D_STAR),
    );
    chart.draw_series(
        v.grid
            .iter()
            .zip(&v.gen_hist)
            .filter(|(_, h)| h.is_finite() && **h > 0.0)
            .map(|(&x, &h)| {
                Rectangle::new(
                    [(x - half, 0.0), (x + half, h.min(ymax))],
                    gen.mix(0.25).filled(),
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
    let (real_pts, gen_pts) = (line(&v.real_density), line(&v.gen_kde));
    let d_pts = line(&v.d_grid);
    chart
        .draw_series(LineSeries::new(real_pts.clone(), real.stroke_width(2)))?
        .label("p* (data)")
        .legend(move |(x, y)| PathElement::new([(x, y), (x + 16, y)], real.stroke_width(2)));
    chart
        .draw_series(LineSeries::new(gen_pts.clone(), gen.stroke_width(2)))?
        .label("q_θ (generated)")
        .legend(move |(x, y)| PathElement::new([(x, y), (x + 16, y)], gen.stroke_width(2)));
    chart
        .draw_secondary_series(LineSeries::new(d_pts.clone(), d.stroke_width(2)))?
        .label("D(x)")
        .legend(move |(x, y)| PathElement::new([(x, y), (x + 16, y)], d.stroke_width(2)));
    if v.d_star_applies {
        chart
            .draw_secondary_series(DashedLineSeries::new(
                line(&v.d_star),
                5,
                4,
                d_star.stroke_width(2),
            ))?
            .label("D*(x), optimal")
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 6, y)], d_star.stroke_width(2)));
    }
    // The legend goes where neither the densities nor D(x) (rescaled to the density axis) run.
    let scale = f64::from(ymax / HEADROOM);
    let mut all = to_f64(&real_pts);
    all.extend(to_f64(&gen_pts));
    let d_star_pts = if v.d_star_applies {
        line(&v.d_star)
    } else {
        Vec::new()
    };
    all.extend(
        d_pts
            .iter()
            .chain(&d_star_pts)
            .map(|&(x, y)| (f64::from(x), f64::from(y) * scale)),
    );
    let (pw, ph) = chart.plotting_area().dim_in_pixel();
    let labels = ["q_θ (generated)", "D*(x), optimal", "p* (data)", "D(x)"];
    let corner = legend_corner(
        &[&all],
        (f64::from(lo), f64::from(hi)),
        (0.0, f64::from(ymax)),
        legend_frac(&labels, (pw, ph)),
    );
    theme
        .legend(&mut chart.configure_series_labels(), corner)
        .draw()?;
    Ok(())
}

fn draw_losses<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    v: &Gan1dView,
    theme: &Theme,
) -> Result<(), PlotError> {
    let ld = finite_points(v.histories.loss_d.points());
    let lg = finite_points(v.histories.loss_g.points());
    let (x0, x1) = finite_range(ld.iter().chain(&lg).map(|p| p.0));
    let (y0, y1) = finite_range(ld.iter().chain(&lg).map(|p| p.1));
    // Room above the curves for the legend.
    let y1 = y1 + 0.35 * (y1 - y0);
    let mut chart = theme
        .chart(area, "losses")
        .x_label_area_size(theme.x_label_area(true))
        .y_label_area_size(theme.y_label_area(f64::from(y0), f64::from(y1)))
        .build_cartesian_2d(x0.max(0.0)..x1, y0..y1)?;
    theme
        .mesh(&mut chart.configure_mesh())
        .x_desc("step")
        .x_labels(4)
        .y_labels(4)
        .x_label_formatter(&|x| fmt_tick(f64::from(*x)))
        .y_label_formatter(&|y| fmt_tick(f64::from(*y)))
        .draw()?;
    let (cd, cg) = (theme.color(D), theme.color(GEN));
    chart
        .draw_series(LineSeries::new(ld.clone(), cd.stroke_width(2)))?
        .label("L_D (discriminator)")
        .legend(move |(x, y)| PathElement::new([(x, y), (x + 16, y)], cd.stroke_width(2)));
    chart
        .draw_series(LineSeries::new(lg.clone(), cg.stroke_width(2)))?
        .label("L_G (generator)")
        .legend(move |(x, y)| PathElement::new([(x, y), (x + 16, y)], cg.stroke_width(2)));
    let mut all = to_f64(&ld);
    all.extend(to_f64(&lg));
    let corner = legend_corner(
        &[&all],
        (f64::from(x0.max(0.0)), f64::from(x1)),
        (f64::from(y0), f64::from(y1)),
        legend_frac(
            &["L_D (discriminator)", "L_G (generator)"],
            chart.plotting_area().dim_in_pixel(),
        ),
    );
    theme
        .legend(&mut chart.configure_series_labels(), corner)
        .draw()?;
    Ok(())
}

fn draw_gradients<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    v: &Gan1dView,
    theme: &Theme,
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
    // Two decades of headroom on top for the legend.
    let (y0, y1) = (y0 / 2.0, (y1 * 100.0).max(y0 * 400.0));
    let mut chart = theme
        .chart(area, "generator gradients (log scale)")
        .x_label_area_size(theme.x_label_area(true))
        .y_label_area_size(theme.y_label_area_log(f64::from(y0), f64::from(y1)))
        .build_cartesian_2d(x0.max(0.0)..x1, (y0..y1).log_scale())?;
    theme
        .mesh(&mut chart.configure_mesh())
        .x_desc("step")
        .x_labels(4)
        .y_labels(4)
        .x_label_formatter(&|x| fmt_tick(f64::from(*x)))
        .y_label_formatter(&|y| fmt_log_tick(f64::from(*y)))
        .draw()?;
    let (cg, cx) = (theme.color(GRAD_G), theme.color(GRAD_X));
    chart
        .draw_series(LineSeries::new(gg, cg.stroke_width(2)))?
        .label("‖∇θ L_G‖")
        .legend(move |(x, y)| PathElement::new([(x, y), (x + 16, y)], cg.stroke_width(2)));
    chart
        .draw_series(LineSeries::new(gx, cx.stroke_width(2)))?
        .label("mean |∂l/∂x|")
        .legend(move |(x, y)| PathElement::new([(x, y), (x + 16, y)], cx.stroke_width(2)));
    theme
        .legend(
            &mut chart.configure_series_labels(),
            plotters::chart::SeriesLabelPosition::UpperRight,
        )
        .draw()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use gentutor_models::gan1d::{Gan1d, Preset};

    fn render(view: &Gan1dView) -> Result<String, PlotError> {
        render_with(view, (800, 600), &Theme::light())
    }

    fn render_with(view: &Gan1dView, size: (u32, u32), theme: &Theme) -> Result<String, PlotError> {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
            draw_gan1d(&root, view, theme)?;
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
        for theme in [Theme::light(), Theme::dark()] {
            for size in [(800, 600), (340, 720)] {
                let svg = render_with(&view, size, &theme).expect("draw");
                // Every series is drawn in its hue (curves plus their legend samples).
                for hue in [REAL, GEN, D, D_STAR, GRAD_G, GRAD_X] {
                    let c = hex(theme.color(hue));
                    assert!(
                        svg.lines()
                            .filter(|l| l.contains(&format!("stroke=\"{c}\"")))
                            .count()
                            >= 2,
                        "{hue:?} ({c}) at {size:?}"
                    );
                }
                assert!(svg.contains(&hex(theme.bg)), "background {size:?}");
                // Histogram bars and text labels (no font crate needed for SVG).
                assert!(svg.matches("<rect").count() > 10);
                for label in [
                    "modes",
                    "p* (data)",
                    "q_θ (generated)",
                    "L_D",
                    "L_G",
                    "‖∇θ L_G‖",
                ] {
                    assert!(svg.contains(label), "{label} missing at {size:?}");
                }
                crate::theme::svg_checks::assert_readable(&svg);
            }
        }
    }

    /// On a phone-width canvas the three panels stack: the loss and gradient titles sit one
    /// above the other (same x, different y), not side by side.
    #[test]
    fn narrow_canvas_stacks_the_panels() {
        let mut gan = Gan1d::from_preset(Preset::Default);
        assert!(gan.step(30).is_ok());
        let svg =
            render_with(&gan.view(), (340, canvas_height(340)), &Theme::light()).expect("draw");
        let pos = |needle: &str| crate::theme::svg_checks::text_pos(&svg, needle);
        let (l, g) = (pos("losses"), pos("generator gradients"));
        assert!(g.1 > l.1 + 100.0, "{l:?} {g:?}");
        assert!((g.0 - l.0).abs() < 30.0, "{l:?} {g:?}");
        assert!(canvas_height(340) > canvas_height(800) - 100);
        let wide = render_with(&gan.view(), (800, 600), &Theme::light()).expect("draw");
        let pos = |needle: &str| crate::theme::svg_checks::text_pos(&wide, needle);
        assert!(pos("generator gradients").0 > pos("losses").0 + 200.0);
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
            svg.matches(&format!("stroke=\"{}\"", hex(Theme::light().color(REAL))))
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
