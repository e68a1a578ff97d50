//! Plots of the diffusion demos: point clouds, schedules (log scale), the noisy image, its
//! signal vs noise power spectra (log-log), the training loss and the timestep-sampling variance.

use crate::PlotError;
use gentutor_models::diffusion::image::{NoiseWins, Spectra};
use gentutor_models::diffusion::schedule::Schedule;
use gentutor_models::diffusion::timesteps::TimestepVariance;
use ndarray::ArrayView2;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Colour of data points x_0 ~ p*.
pub const DATA_COLOR: RGBColor = RGBColor(31, 119, 180);
/// Colour of noised / generated points.
pub const POINTS_COLOR: RGBColor = RGBColor(255, 127, 14);
/// Colour of the signal spectrum.
pub const SIGNAL_COLOR: RGBColor = RGBColor(44, 160, 44);
/// Colour of the noise spectrum.
pub const NOISE_COLOR: RGBColor = RGBColor(214, 39, 40);
/// Colour of the current-t marker and crossover line.
pub const MARKER_COLOR: RGBColor = RGBColor(80, 80, 80);
/// Colours of successive schedule curves / loss curve.
pub const CURVE_COLORS: [RGBColor; 4] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(148, 103, 189),
    RGBColor(44, 160, 44),
];
/// Half-width of the square shown in point-cloud plots (x_T ~ N(0, I) stays well inside).
pub const POINT_RANGE: f32 = 3.5;

/// Draws a centred message instead of a plot (empty or diverged views).
pub fn draw_message<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    lines: &[&str],
) -> Result<(), PlotError> {
    area.fill(&WHITE)?;
    let (_, h) = area.dim_in_pixel();
    let style = TextStyle::from(("sans-serif", 16).into_font()).color(&NOISE_COLOR);
    for (i, line) in lines.iter().enumerate() {
        let y = h as i32 / 2 - 12 * lines.len() as i32 + 24 * i as i32;
        area.draw(&Text::new(line.to_string(), (20, y), style.clone()))?;
    }
    area.present()?;
    Ok(())
}

fn finite_xy(points: ArrayView2<'_, f32>) -> Vec<(f32, f32)> {
    points
        .rows()
        .into_iter()
        .filter_map(|r| Some((*r.get(0)?, *r.get(1)?)))
        .filter(|(x, y)| {
            x.is_finite() && y.is_finite() && x.abs() <= POINT_RANGE && y.abs() <= POINT_RANGE
        })
        .collect()
}

/// Scatter of `reference` (blue, e.g. data x_0) and `points` (orange, e.g. x_t or samples), both
/// (n, 2), on the fixed square [-3.5, 3.5]^2 so frames of an animation line up. Non-finite or
/// off-range points are skipped.
pub fn draw_point_clouds<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    reference: ArrayView2<'_, f32>,
    points: ArrayView2<'_, f32>,
    labels: (&str, &str),
    caption: &str,
) -> Result<(), PlotError> {
    area.fill(&WHITE)?;
    let r = POINT_RANGE;
    let mut chart = ChartBuilder::on(area)
        .caption(caption, ("sans-serif", 16))
        .margin(8)
        .x_label_area_size(24)
        .y_label_area_size(32)
        .build_cartesian_2d(-r..r, -r..r)?;
    chart.configure_mesh().disable_mesh().draw()?;
    for (pts, color, label) in [
        (finite_xy(reference), DATA_COLOR, labels.0),
        (finite_xy(points), POINTS_COLOR, labels.1),
    ] {
        let series = chart.draw_series(
            pts.into_iter()
                .map(|p| Circle::new(p, 2, color.mix(0.5).filled())),
        )?;
        // An unnamed series (no samples yet) gets no legend entry.
        if !label.is_empty() {
            series
                .label(label)
                .legend(move |(x, y)| Circle::new((x + 8, y), 4, color.filled()));
        }
    }
    // The corner is empty for every data set here (they live inside radius ~2.5).
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .draw()?;
    area.present()?;
    Ok(())
}

/// Which schedule quantity to plot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScheduleView {
    /// alpha_bar_t (signal fraction kept).
    AlphaBar,
    /// SNR(t) = alpha_bar_t / (1 - alpha_bar_t).
    Snr,
}

/// alpha_bar_t or SNR(t) against t (log-scale y) for one or more named schedules, with a
/// vertical marker and dots at the current t.
pub fn draw_schedules<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    schedules: &[(&str, &Schedule)],
    t: usize,
    view: ScheduleView,
) -> Result<(), PlotError> {
    if schedules.is_empty() {
        return draw_message(area, &["no schedule to show"]);
    }
    area.fill(&WHITE)?;
    let value = |s: &Schedule, t: usize| match view {
        ScheduleView::AlphaBar => s.alpha_bar(t),
        ScheduleView::Snr => s.snr(t),
    };
    let t_max = schedules.iter().map(|(_, s)| s.steps()).max().unwrap_or(1);
    let (mut lo, mut hi) = (f64::INFINITY, 0.0f64);
    for (_, s) in schedules {
        for tt in 1..=s.steps() {
            let v = value(s, tt);
            if v.is_finite() && v > 0.0 {
                lo = lo.min(v);
                hi = hi.max(v);
            }
        }
    }
    // Floor the axis so a tiny last value (cosine's clipped step) does not squash the plot.
    let lo = if lo.is_finite() { lo.max(1e-12) } else { 1e-6 };
    let hi = if hi > lo { hi } else { lo * 10.0 };
    let (name, caption) = match view {
        ScheduleView::AlphaBar => ("ᾱₜ", "signal kept: ᾱₜ (log scale)"),
        ScheduleView::Snr => ("SNR(t)", "signal-to-noise ratio SNR(t) (log scale)"),
    };
    let mut chart = ChartBuilder::on(area)
        .caption(caption, ("sans-serif", 16))
        .margin(8)
        .x_label_area_size(28)
        .y_label_area_size(56)
        .build_cartesian_2d(0f64..t_max as f64, (lo / 2.0..hi * 2.0).log_scale())?;
    chart
        .configure_mesh()
        .x_desc("t")
        // Few, integer ticks: default labels such as "100.0" collide on a half-width panel.
        .x_labels(5)
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_desc(name)
        .y_label_formatter(&|v| format!("{v:.0e}"))
        .draw()?;
    for (i, (label, s)) in schedules.iter().enumerate() {
        let color = CURVE_COLORS[i % CURVE_COLORS.len()];
        let pts: Vec<(f64, f64)> = (1..=s.steps())
            .map(|tt| (tt as f64, value(s, tt).max(lo)))
            .filter(|(_, v)| v.is_finite())
            .collect();
        chart
            .draw_series(LineSeries::new(pts, color.stroke_width(2)))?
            .label(*label)
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], color));
        let tc = t.clamp(1, s.steps());
        let v = value(s, tc);
        if v.is_finite() && v > 0.0 {
            chart.draw_series(std::iter::once(Circle::new(
                (tc as f64, v.max(lo)),
                4,
                color.filled(),
            )))?;
        }
    }
    let tx = t.min(t_max) as f64;
    chart.draw_series(DashedLineSeries::new(
        vec![(tx, lo / 2.0), (tx, hi * 2.0)],
        4,
        4,
        MARKER_COLOR.stroke_width(1),
    ))?;
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .draw()?;
    area.present()?;
    Ok(())
}

/// An n x n image (row-major, values in [-1, 1]; clipped) as a grid of grey squares filling the
/// largest centred square of `area`. Draws a message if `pixels.len() != n * n`.
pub fn draw_image<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    pixels: &[f64],
    n: usize,
) -> Result<(), PlotError> {
    if n == 0 || pixels.len() != n * n {
        return draw_message(area, &["no image to show"]);
    }
    area.fill(&WHITE)?;
    let (w, h) = area.dim_in_pixel();
    let side = w.min(h) as f64;
    let cell = side / n as f64;
    let (ox, oy) = ((w as f64 - side) / 2.0, (h as f64 - side) / 2.0);
    for (i, &v) in pixels.iter().enumerate() {
        let (x, y) = ((i % n) as f64, (i / n) as f64);
        let g = if v.is_finite() {
            ((v.clamp(-1.0, 1.0) + 1.0) * 127.5).round() as u8
        } else {
            0
        };
        let x0 = (ox + x * cell).floor() as i32;
        let y0 = (oy + y * cell).floor() as i32;
        let x1 = (ox + (x + 1.0) * cell).floor() as i32;
        let y1 = (oy + (y + 1.0) * cell).floor() as i32;
        area.draw(&Rectangle::new(
            [(x0, y0), (x1, y1)],
            RGBColor(g, g, g).filled(),
        ))?;
    }
    area.present()?;
    Ok(())
}

/// Radially averaged power spectra of the signal and noise parts of x_t (log-log), against
/// frequency in cycles per image (the lesson's unit), on a power axis fixed for all t
/// (`Spectra::power_range`), with a dashed vertical line above which noise wins everywhere.
pub fn draw_spectra<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    spectra: &Spectra,
) -> Result<(), PlotError> {
    let per_image = spectra.size.max(1) as f64;
    let (floor, ceil) = spectra.power_range;
    let positive = |ys: &[f64]| -> Vec<(f64, f64)> {
        spectra
            .freqs
            .iter()
            .zip(ys)
            .filter(|(f, p)| **f > 0.0 && **p > 0.0 && p.is_finite())
            .map(|(&f, &p)| (f * per_image, p.max(floor)))
            .collect()
    };
    let sig = positive(&spectra.signal);
    let noi = positive(&spectra.noise);
    if sig.is_empty() && noi.is_empty() {
        return draw_message(area, &["nothing to show: the spectra are empty"]);
    }
    area.fill(&WHITE)?;
    let all = sig.iter().chain(&noi);
    let (mut f_lo, mut f_hi, mut p_lo, mut p_hi) = (f64::INFINITY, 0.0f64, f64::INFINITY, 0.0f64);
    for &(f, p) in all {
        f_lo = f_lo.min(f);
        f_hi = f_hi.max(f);
        p_lo = p_lo.min(p);
        p_hi = p_hi.max(p);
    }
    let f_hi = if f_hi > f_lo { f_hi } else { f_lo * 2.0 };
    // The fixed range when it is usable, so the axis does not rescale as t moves.
    let (p_lo, p_hi) = if floor > 0.0 && ceil > floor {
        (floor * 2.0, ceil / 2.0)
    } else {
        let p_lo = p_lo.max(p_hi * 1e-12);
        (p_lo, if p_hi > p_lo { p_hi } else { p_lo * 10.0 })
    };
    let mut chart = ChartBuilder::on(area)
        .caption(
            format!("power spectrum of x_t at t = {}", spectra.t),
            ("sans-serif", 16),
        )
        .margin(8)
        .x_label_area_size(28)
        .y_label_area_size(56)
        .build_cartesian_2d(
            (f_lo * 0.9..f_hi * 1.1).log_scale(),
            (p_lo / 2.0..p_hi * 2.0).log_scale(),
        )?;
    chart
        .configure_mesh()
        .x_desc("frequency (cycles per image)")
        .y_desc("power")
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&|v| format!("{v:.0e}"))
        .draw()?;
    for (pts, color, label) in [
        (sig, SIGNAL_COLOR, "signal √ᾱₜ x₀"),
        (noi, NOISE_COLOR, "noise √(1−ᾱₜ) ε"),
    ] {
        if pts.is_empty() {
            continue;
        }
        chart
            .draw_series(LineSeries::new(pts, color.stroke_width(2)))?
            .label(label)
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], color));
    }
    if let NoiseWins::Above(fc) = spectra.noise_wins() {
        chart.draw_series(DashedLineSeries::new(
            vec![(fc, p_lo / 2.0), (fc, p_hi * 2.0)],
            4,
            4,
            MARKER_COLOR.stroke_width(1),
        ))?;
    }
    // Lower left: signal power is high and noise flat there, so that corner stays empty.
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerLeft)
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .draw()?;
    area.present()?;
    Ok(())
}

/// Training loss against step, from (step, loss) points (a model's `History`), plus a smoothed
/// curve (exponential moving average). Non-finite values are skipped; the y axis starts at 0.
pub fn draw_loss<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    history: &[[f32; 2]],
) -> Result<(), PlotError> {
    let pts: Vec<(f64, f64)> = history
        .iter()
        .filter(|p| p[1].is_finite())
        .map(|p| (f64::from(p[0]), f64::from(p[1])))
        .collect();
    if pts.is_empty() {
        return draw_message(area, &["no training steps yet"]);
    }
    area.fill(&WHITE)?;
    let x_hi = pts.last().map_or(1.0, |p| p.0).max(2.0);
    let y_hi = pts.iter().map(|p| p.1).fold(0.0f64, f64::max).max(1e-6) * 1.05;
    let mut chart = ChartBuilder::on(area)
        .caption("denoising loss", ("sans-serif", 16))
        .margin(8)
        .x_label_area_size(28)
        .y_label_area_size(48)
        .build_cartesian_2d(0f64..x_hi, 0f64..y_hi)?;
    chart
        .configure_mesh()
        .x_desc("step")
        .y_desc("loss")
        .draw()?;
    chart.draw_series(LineSeries::new(
        pts.clone(),
        CURVE_COLORS[0].mix(0.3).stroke_width(1),
    ))?;
    let mut ema = pts.first().map_or(0.0, |p| p.1);
    let smooth: Vec<(f64, f64)> = pts
        .iter()
        .map(|&(x, y)| {
            ema = 0.95 * ema + 0.05 * y;
            (x, ema)
        })
        .collect();
    chart
        .draw_series(LineSeries::new(smooth, CURVE_COLORS[0].stroke_width(2)))?
        .label("moving average")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], CURVE_COLORS[0]));
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .draw()?;
    area.present()?;
    Ok(())
}

/// Variance of the minibatch loss estimate against batch size k (log-log) for i.i.d. and
/// low-discrepancy timesteps, one point per entry of `results`.
pub fn draw_timestep_variance<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    results: &[TimestepVariance],
) -> Result<(), PlotError> {
    let series = |ld: bool| -> Vec<(f64, f64)> {
        let mut v: Vec<(f64, f64)> = results
            .iter()
            .map(|r| (r.k as f64, if ld { r.ld_var } else { r.iid_var }))
            .filter(|(_, v)| v.is_finite() && *v > 0.0)
            .collect();
        v.sort_by(|a, b| a.0.total_cmp(&b.0));
        v
    };
    let (iid, ld) = (series(false), series(true));
    if iid.is_empty() && ld.is_empty() {
        return draw_message(area, &["no variance to show (constant loss?)"]);
    }
    area.fill(&WHITE)?;
    let (mut k_lo, mut k_hi, mut v_lo, mut v_hi) = (f64::INFINITY, 0.0f64, f64::INFINITY, 0.0f64);
    for &(k, v) in iid.iter().chain(&ld) {
        k_lo = k_lo.min(k);
        k_hi = k_hi.max(k);
        v_lo = v_lo.min(v);
        v_hi = v_hi.max(v);
    }
    let k_hi = if k_hi > k_lo { k_hi } else { k_lo * 2.0 };
    let v_hi = if v_hi > v_lo { v_hi } else { v_lo * 10.0 };
    let mut chart = ChartBuilder::on(area)
        .caption("variance of the batch loss estimate", ("sans-serif", 16))
        .margin(8)
        .x_label_area_size(28)
        .y_label_area_size(56)
        .build_cartesian_2d(
            (k_lo / 1.2..k_hi * 1.2).log_scale(),
            (v_lo / 2.0..v_hi * 2.0).log_scale(),
        )?;
    chart
        .configure_mesh()
        .x_desc("timesteps per batch k")
        .y_desc("variance")
        .y_label_formatter(&|v| format!("{v:.0e}"))
        .draw()?;
    for (pts, color, label) in [
        (iid, CURVE_COLORS[0], "i.i.d. t"),
        (ld, CURVE_COLORS[1], "low-discrepancy t"),
    ] {
        if pts.is_empty() {
            continue;
        }
        chart.draw_series(pts.iter().map(|&p| Circle::new(p, 4, color.filled())))?;
        chart
            .draw_series(LineSeries::new(pts, color.stroke_width(2)))?
            .label(label)
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], color));
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .draw()?;
    area.present()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use gentutor_models::diffusion::forward::q_sample;
    use gentutor_models::diffusion::image::{GrayImage, ImageForward};
    use gentutor_models::diffusion::timesteps::timestep_variance_curve;
    use gentutor_models::diffusion::{sample_data, Dataset2d};
    use gentutor_models::rng::Rng;
    use ndarray::Array2;

    fn svg(f: impl FnOnce(&DrawingArea<SVGBackend<'_>, Shift>) -> Result<(), PlotError>) -> String {
        let mut out = String::new();
        {
            let area = SVGBackend::with_string(&mut out, (480, 360)).into_drawing_area();
            f(&area).expect("draws");
        }
        out
    }

    fn hex(c: RGBColor) -> String {
        format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
    }

    #[test]
    fn point_clouds_draw_both_sets_and_skip_nan() {
        let x0 = sample_data(&Dataset2d::TwoMoons, 200, &mut Rng::new(1)).expect("data");
        let s = Schedule::linear(1000).expect("valid");
        let mut xt = q_sample(&s, x0.view(), 300, &mut Rng::new(2));
        xt[[0, 0]] = f32::NAN;
        let out = svg(|a| draw_point_clouds(a, x0.view(), xt.view(), ("x_0", "x_t"), "t = 300"));
        assert!(out.contains(&hex(DATA_COLOR)) && out.contains(&hex(POINTS_COLOR)));
        assert!(out.contains("x_t") && out.contains("t = 300"));
        // 200 + 199 finite points (the NaN one and off-range ones skipped) plus 2 legend dots.
        let circles = out.matches("<circle").count();
        assert!((350..=402).contains(&circles), "{circles} circles");
        let empty = Array2::<f32>::zeros((0, 2));
        let out = svg(|a| draw_point_clouds(a, empty.view(), empty.view(), ("a", "b"), ""));
        assert!(out.contains("<svg"));
    }

    #[test]
    fn schedules_draw_on_log_axes_with_marker() {
        let lin = Schedule::linear(1000).expect("valid");
        let cos = Schedule::cosine(1000).expect("valid");
        for view in [ScheduleView::AlphaBar, ScheduleView::Snr] {
            let out = svg(|a| draw_schedules(a, &[("linear", &lin), ("cosine", &cos)], 400, view));
            assert!(out.contains("linear") && out.contains("cosine"));
            assert!(out.contains(&hex(CURVE_COLORS[0])) && out.contains(&hex(CURVE_COLORS[1])));
            assert!(out.contains(&hex(MARKER_COLOR)));
            assert!(out.contains("e-"), "log tick labels missing");
        }
        let out = svg(|a| draw_schedules(a, &[], 0, ScheduleView::Snr));
        assert!(out.contains("no schedule"));
    }

    #[test]
    fn image_and_spectra_draw() {
        let s = Schedule::linear(1000).expect("valid");
        let f = ImageForward::new(GrayImage::procedural(16), 1);
        let out = svg(|a| draw_image(a, &f.x_t(&s, 100), 16));
        assert_eq!(out.matches("<rect").count(), 16 * 16 + 1);
        let out = svg(|a| draw_image(a, &[0.0; 3], 16));
        assert!(out.contains("no image"));
        let f = ImageForward::new(GrayImage::procedural(64), 1);
        let sp = f.spectra(&s, 200);
        assert!(matches!(sp.noise_wins(), NoiseWins::Above(_)));
        let out = svg(|a| draw_spectra(a, &sp));
        assert!(out.contains(&hex(SIGNAL_COLOR)) && out.contains(&hex(NOISE_COLOR)));
        assert!(out.contains(&hex(MARKER_COLOR)) && out.contains("t = 200"));
        // t = 0: no noise, no crossover; still draws the signal.
        let out = svg(|a| draw_spectra(a, &f.spectra(&s, 0)));
        assert!(out.contains(&hex(SIGNAL_COLOR)) && !out.contains(&hex(NOISE_COLOR)));
    }

    /// The `<text>` elements of an SVG (tick labels, legends, captions).
    fn texts(svg: &str) -> Vec<String> {
        svg.split("<text")
            .skip(1)
            .filter_map(|t| {
                Some(
                    t.split_once('>')?
                        .1
                        .split("</text>")
                        .next()?
                        .trim()
                        .to_string(),
                )
            })
            .collect()
    }

    /// Issue 18: the power axis rescaled as t moved, and the frequency axis was in cycles/pixel
    /// while the lesson counts cycles per image.
    #[test]
    fn spectra_axis_is_fixed_and_in_cycles_per_image() {
        let s = Schedule::linear(1000).expect("valid");
        let f = ImageForward::new(GrayImage::procedural(64), 11);
        let labels = |t: usize| -> Vec<String> {
            let out = svg(|a| draw_spectra(a, &f.spectra(&s, t)));
            texts(&out)
                .into_iter()
                .filter(|t| t.contains('e') && !t.contains(' '))
                .collect()
        };
        let (early, late) = (labels(100), labels(700));
        assert!(early.len() >= 3, "{early:?}");
        assert_eq!(early, late, "power ticks moved with t");
        let out = svg(|a| draw_spectra(a, &f.spectra(&s, 100)));
        assert!(out.contains("cycles per image") && !out.contains("cycles/pixel"));
        assert!(out.contains("ᾱ") && !out.contains("alpha_bar"));
    }

    #[test]
    fn loss_and_variance_plots_draw() {
        let losses: Vec<[f32; 2]> = (0..300)
            .map(|i| [2.0 * (i + 1) as f32, 1.0 / (1.0 + i as f32 * 0.01)])
            .collect();
        let out = svg(|a| draw_loss(a, &losses));
        assert!(out.contains(&hex(CURVE_COLORS[0])) && out.contains("step"));
        let out = svg(|a| draw_loss(a, &[[1.0, f32::NAN]]));
        assert!(out.contains("no training steps"));
        let res = timestep_variance_curve(|u| (-4.0 * u).exp(), &[2, 8, 32], 200, 1);
        let out = svg(|a| draw_timestep_variance(a, &res));
        assert!(out.contains("i.i.d.") && out.contains("low-discrepancy"));
        assert!(out.contains(&hex(CURVE_COLORS[1])));
        let out = svg(|a| draw_timestep_variance(a, &[]));
        assert!(out.contains("no variance"));
    }
}
