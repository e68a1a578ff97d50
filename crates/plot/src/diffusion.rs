//! Plots of the diffusion demos: point clouds, schedules (log scale), the noisy image, its
//! signal vs noise power spectra (log-log), the training loss and the timestep-sampling variance.

use crate::flow2d::equal_aspect;
use crate::theme::{fmt_log_tick, fmt_tick, legend_corner, legend_frac, Hue, Theme};
use crate::PlotError;
use gentutor_models::diffusion::image::{NoiseWins, Spectra};
use gentutor_models::diffusion::schedule::Schedule;
use gentutor_models::diffusion::timesteps::TimestepVariance;
use ndarray::ArrayView2;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Hue of data points x₀ ~ p*.
pub const DATA: Hue = Hue::Blue;
/// Hue of noised / generated points.
pub const POINTS: Hue = Hue::Vermillion;
/// Hue of the signal spectrum (blue against the noise's vermillion: never red against green).
pub const SIGNAL: Hue = Hue::Blue;
/// Hue of the noise spectrum.
pub const NOISE: Hue = Hue::Vermillion;
/// Half-width of the square shown in point-cloud plots (x_T ~ N(0, I) stays well inside).
pub const POINT_RANGE: f32 = 3.5;

/// Draws a centred message instead of a plot (empty or diverged views).
pub fn draw_message<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    lines: &[&str],
    theme: &Theme,
) -> Result<(), PlotError> {
    theme.message(area, &lines.join(" "))?;
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

/// Scatter of `reference` (blue, e.g. data x₀) and `points` (vermillion, e.g. xₜ or samples),
/// both (n, 2), on the fixed square [-3.5, 3.5]² with equal axis scales, so frames of an
/// animation line up and a circle stays round. Non-finite or off-range points are skipped.
pub fn draw_point_clouds<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    reference: ArrayView2<'_, f32>,
    points: ArrayView2<'_, f32>,
    labels: (&str, &str),
    caption: &str,
    theme: &Theme,
) -> Result<(), PlotError> {
    theme.fill(area)?;
    let r = POINT_RANGE;
    let area = if caption.is_empty() {
        area.clone()
    } else {
        area.titled(caption, theme.title_font())?
    };
    let sizes = (6, theme.x_label_area(false), 28);
    let square = equal_aspect(&area, 2.0 * r, 2.0 * r, sizes);
    let mut chart = ChartBuilder::on(&square)
        .margin(sizes.0)
        .x_label_area_size(sizes.1)
        .y_label_area_size(sizes.2)
        .build_cartesian_2d(-r..r, -r..r)?;
    theme
        .mesh(&mut chart.configure_mesh())
        .disable_mesh()
        .x_labels(5)
        .y_labels(5)
        .x_label_formatter(&|v| fmt_tick(f64::from(*v)))
        .y_label_formatter(&|v| fmt_tick(f64::from(*v)))
        .draw()?;
    for (pts, color, label) in [
        (finite_xy(reference), theme.color(DATA), labels.0),
        (finite_xy(points), theme.color(POINTS), labels.1),
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
    theme
        .legend(
            &mut chart.configure_series_labels(),
            SeriesLabelPosition::UpperLeft,
        )
        .draw()?;
    square.present()?;
    Ok(())
}

/// Height of the forward demo's clouds canvas `w` px wide: two squares side by side, or
/// stacked on a phone.
pub fn clouds_height(w: u32) -> u32 {
    let square = w.saturating_sub(40) + 50;
    crate::theme::pair_height(w, (760, 380), (square, square))
}

/// Height of the schedules canvas (ᾱₜ and SNR, side by side or stacked).
pub fn schedules_height(w: u32) -> u32 {
    crate::theme::pair_height(w, (760, 300), (250, 250))
}

/// Height of the image + spectra canvas (the image above the spectra on a phone).
pub fn image_spectra_height(w: u32) -> u32 {
    crate::theme::pair_height(w, (760, 300), (200, 290))
}

/// Height of the reverse demo's canvas (loss, then samples; stacked on a phone).
pub fn reverse_height(w: u32) -> u32 {
    let square = w.saturating_sub(40) + 50;
    crate::theme::pair_height(w, (760, 380), (230, square))
}

/// Which schedule quantity to plot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScheduleView {
    /// ᾱₜ (signal fraction kept).
    AlphaBar,
    /// SNR(t) = ᾱₜ / (1 - ᾱₜ).
    Snr,
}

/// ᾱₜ or SNR(t) against t (log-scale y) for one or more named schedules, with a
/// vertical marker and dots at the current t.
pub fn draw_schedules<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    schedules: &[(&str, &Schedule)],
    t: usize,
    view: ScheduleView,
    theme: &Theme,
) -> Result<(), PlotError> {
    if schedules.is_empty() {
        return draw_message(area, &["no schedule to show"], theme);
    }
    theme.fill(area)?;
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
    let mut chart = theme
        .chart(area, caption)
        .x_label_area_size(theme.x_label_area(true))
        .y_label_area_size(theme.y_label_area_log(lo / 2.0, hi * 2.0))
        .build_cartesian_2d(0f64..t_max as f64, (lo / 2.0..hi * 2.0).log_scale())?;
    theme
        .mesh(&mut chart.configure_mesh())
        .x_desc("t")
        // Few, integer ticks: more collide on a half-width panel.
        .x_labels(5)
        .y_labels(5)
        .x_label_formatter(&|v| fmt_tick(*v))
        .y_desc(name)
        .y_label_formatter(&|v| fmt_log_tick(*v))
        .draw()?;
    let mut drawn = Vec::new();
    for (i, (label, s)) in schedules.iter().enumerate() {
        let color = theme.series(i);
        let pts: Vec<(f64, f64)> = (1..=s.steps())
            .map(|tt| (tt as f64, value(s, tt).max(lo)))
            .filter(|(_, v)| v.is_finite())
            .collect();
        // Legend placement works on the log of the values (the axis is logarithmic).
        drawn.extend(pts.iter().map(|&(x, y)| (x, y.ln())));
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
        theme.muted.stroke_width(1),
    ))?;
    let labels: Vec<&str> = schedules.iter().map(|(l, _)| *l).collect();
    let corner = legend_corner(
        &[&drawn],
        (0.0, t_max as f64),
        ((lo / 2.0).ln(), (hi * 2.0).ln()),
        legend_frac(&labels, chart.plotting_area().dim_in_pixel()),
    );
    theme
        .legend(&mut chart.configure_series_labels(), corner)
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
    theme: &Theme,
) -> Result<(), PlotError> {
    if n == 0 || pixels.len() != n * n {
        return draw_message(area, &["no image to show"], theme);
    }
    theme.fill(area)?;
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
    theme: &Theme,
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
        return draw_message(area, &["nothing to show: the spectra are empty"], theme);
    }
    theme.fill(area)?;
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
    let mut chart = theme
        .chart(area, &format!("power spectrum of xₜ at t = {}", spectra.t))
        .x_label_area_size(theme.x_label_area(true))
        .y_label_area_size(theme.y_label_area_log(p_lo / 2.0, p_hi * 2.0))
        .build_cartesian_2d(
            (f_lo * 0.9..f_hi * 1.1).log_scale(),
            (p_lo / 2.0..p_hi * 2.0).log_scale(),
        )?;
    theme
        .mesh(&mut chart.configure_mesh())
        .x_desc("frequency (cycles per image)")
        .y_desc("power")
        .y_labels(5)
        .x_label_formatter(&|v| fmt_log_tick(*v))
        .y_label_formatter(&|v| fmt_log_tick(*v))
        .draw()?;
    for (pts, color, label) in [
        (sig, theme.color(SIGNAL), "signal √ᾱₜ x₀"),
        (noi, theme.color(NOISE), "noise √(1−ᾱₜ) ε"),
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
            theme.muted.stroke_width(1),
        ))?;
    }
    // Lower left: signal power is high and noise flat there, so that corner stays empty.
    theme
        .legend(
            &mut chart.configure_series_labels(),
            SeriesLabelPosition::LowerLeft,
        )
        .draw()?;
    area.present()?;
    Ok(())
}

/// Training loss against step, from (step, loss) points (a model's `History`), plus a smoothed
/// curve (exponential moving average). Non-finite values are skipped; the y axis starts at 0.
pub fn draw_loss<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    history: &[[f32; 2]],
    theme: &Theme,
) -> Result<(), PlotError> {
    let pts: Vec<(f64, f64)> = history
        .iter()
        .filter(|p| p[1].is_finite())
        .map(|p| (f64::from(p[0]), f64::from(p[1])))
        .collect();
    if pts.is_empty() {
        return draw_message(area, &["no training steps yet: press Train"], theme);
    }
    theme.fill(area)?;
    let x_hi = pts.last().map_or(1.0, |p| p.0).max(2.0);
    let y_hi = pts.iter().map(|p| p.1).fold(0.0f64, f64::max).max(1e-6) * 1.05;
    let mut chart = theme
        .chart(area, "denoising loss")
        .x_label_area_size(theme.x_label_area(true))
        .y_label_area_size(theme.y_label_area(0.0, y_hi))
        .build_cartesian_2d(0f64..x_hi, 0f64..y_hi)?;
    theme
        .mesh(&mut chart.configure_mesh())
        .x_desc("step")
        .y_desc("loss")
        .x_labels(4)
        .y_labels(5)
        .x_label_formatter(&|v| fmt_tick(*v))
        .y_label_formatter(&|v| fmt_tick(*v))
        .draw()?;
    let c = theme.color(Hue::Blue);
    chart.draw_series(LineSeries::new(pts.clone(), c.mix(0.3).stroke_width(1)))?;
    let mut ema = pts.first().map_or(0.0, |p| p.1);
    let smooth: Vec<(f64, f64)> = pts
        .iter()
        .map(|&(x, y)| {
            ema = 0.95 * ema + 0.05 * y;
            (x, ema)
        })
        .collect();
    chart
        .draw_series(LineSeries::new(smooth.clone(), c.stroke_width(2)))?
        .label("moving average")
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], c.stroke_width(2)));
    let corner = legend_corner(
        &[&pts],
        (0.0, x_hi),
        (0.0, y_hi),
        legend_frac(&["moving average"], chart.plotting_area().dim_in_pixel()),
    );
    theme
        .legend(&mut chart.configure_series_labels(), corner)
        .draw()?;
    area.present()?;
    Ok(())
}

/// Variance of the minibatch loss estimate against batch size k (log-log) for i.i.d. and
/// low-discrepancy timesteps, one point per entry of `results`.
pub fn draw_timestep_variance<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    results: &[TimestepVariance],
    theme: &Theme,
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
        return draw_message(area, &["no variance to show (constant loss?)"], theme);
    }
    theme.fill(area)?;
    let (mut k_lo, mut k_hi, mut v_lo, mut v_hi) = (f64::INFINITY, 0.0f64, f64::INFINITY, 0.0f64);
    for &(k, v) in iid.iter().chain(&ld) {
        k_lo = k_lo.min(k);
        k_hi = k_hi.max(k);
        v_lo = v_lo.min(v);
        v_hi = v_hi.max(v);
    }
    let k_hi = if k_hi > k_lo { k_hi } else { k_lo * 2.0 };
    let v_hi = if v_hi > v_lo { v_hi } else { v_lo * 10.0 };
    let mut chart = theme
        .chart(area, "variance of the batch loss estimate")
        .x_label_area_size(theme.x_label_area(true))
        .y_label_area_size(theme.y_label_area_log(v_lo / 2.0, v_hi * 2.0))
        .build_cartesian_2d(
            (k_lo / 1.2..k_hi * 1.2).log_scale(),
            (v_lo / 2.0..v_hi * 2.0).log_scale(),
        )?;
    theme
        .mesh(&mut chart.configure_mesh())
        .x_desc("timesteps per batch k")
        .y_desc("variance")
        .y_labels(5)
        // Plotters ticks every 10 from 10 to 100 and the last ones run together ("90100"):
        // label only 1, 2 and 5 times a power of ten (the grid keeps every line).
        .x_label_formatter(&|v| {
            let m = *v / 10f64.powf(v.log10().floor());
            if [1.0, 2.0, 5.0].iter().any(|t| (m - t).abs() < 1e-6) {
                fmt_log_tick(*v)
            } else {
                String::new()
            }
        })
        .y_label_formatter(&|v| fmt_log_tick(*v))
        .draw()?;
    for (pts, color, label) in [
        (iid, theme.color(Hue::Blue), "i.i.d. t"),
        (ld, theme.color(Hue::Vermillion), "low-discrepancy t"),
    ] {
        if pts.is_empty() {
            continue;
        }
        chart.draw_series(pts.iter().map(|&p| Circle::new(p, 4, color.filled())))?;
        chart
            .draw_series(LineSeries::new(pts, color.stroke_width(2)))?
            .label(label)
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 16, y)], color.stroke_width(2))
            });
    }
    // Both curves fall from upper left to lower right: the upper right is free.
    theme
        .legend(
            &mut chart.configure_series_labels(),
            SeriesLabelPosition::UpperRight,
        )
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
        svg_at((480, 360), f)
    }

    fn svg_at(
        size: (u32, u32),
        f: impl FnOnce(&DrawingArea<SVGBackend<'_>, Shift>) -> Result<(), PlotError>,
    ) -> String {
        let mut out = String::new();
        {
            let area = SVGBackend::with_string(&mut out, size).into_drawing_area();
            f(&area).expect("draws");
        }
        out
    }

    const L: Theme = Theme {
        dark: false,
        bg: RGBColor(255, 255, 255),
        fg: RGBColor(40, 40, 40),
        muted: RGBColor(95, 99, 108),
        grid: RGBColor(232, 233, 236),
        frame: RGBColor(200, 202, 208),
        error: RGBColor(190, 60, 0),
    };

    fn hex(c: RGBColor) -> String {
        format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
    }

    #[test]
    fn point_clouds_draw_both_sets_and_skip_nan() {
        let x0 = sample_data(&Dataset2d::TwoMoons, 200, &mut Rng::new(1)).expect("data");
        let s = Schedule::linear(1000).expect("valid");
        let mut xt = q_sample(&s, x0.view(), 300, &mut Rng::new(2));
        xt[[0, 0]] = f32::NAN;
        let out = svg(|a| draw_point_clouds(a, x0.view(), xt.view(), ("x₀", "xₜ"), "t = 300", &L));
        assert!(out.contains(&hex(L.color(DATA))) && out.contains(&hex(L.color(POINTS))));
        assert!(out.contains("xₜ") && out.contains("t = 300"));
        crate::theme::svg_checks::assert_readable(&out);
        // 200 + 199 finite points (the NaN one and off-range ones skipped) plus 2 legend dots.
        let circles = out.matches("<circle").count();
        assert!((350..=402).contains(&circles), "{circles} circles");
        let empty = Array2::<f32>::zeros((0, 2));
        let out = svg(|a| draw_point_clouds(a, empty.view(), empty.view(), ("a", "b"), "", &L));
        assert!(out.contains("<svg"));
    }

    #[test]
    fn schedules_draw_on_log_axes_with_marker() {
        let lin = Schedule::linear(1000).expect("valid");
        let cos = Schedule::cosine(1000).expect("valid");
        for view in [ScheduleView::AlphaBar, ScheduleView::Snr] {
            let out =
                svg(|a| draw_schedules(a, &[("linear", &lin), ("cosine", &cos)], 400, view, &L));
            assert!(out.contains("linear") && out.contains("cosine"));
            assert!(out.contains(&hex(L.series(0))) && out.contains(&hex(L.series(1))));
            assert!(out.contains(&hex(L.muted)));
            assert!(out.contains("e-"), "log tick labels missing");
            crate::theme::svg_checks::assert_readable(&out);
        }
        let out = svg(|a| draw_schedules(a, &[], 0, ScheduleView::Snr, &L));
        assert!(out.contains("no schedule"));
    }

    #[test]
    fn image_and_spectra_draw() {
        let s = Schedule::linear(1000).expect("valid");
        let f = ImageForward::new(GrayImage::procedural(16), 1);
        let out = svg(|a| draw_image(a, &f.x_t(&s, 100), 16, &L));
        assert_eq!(out.matches("<rect").count(), 16 * 16 + 1);
        let out = svg(|a| draw_image(a, &[0.0; 3], 16, &L));
        assert!(out.contains("no image"));
        let f = ImageForward::new(GrayImage::procedural(64), 1);
        let sp = f.spectra(&s, 200);
        assert!(matches!(sp.noise_wins(), NoiseWins::Above(_)));
        let out = svg(|a| draw_spectra(a, &sp, &L));
        assert!(out.contains(&hex(L.color(SIGNAL))) && out.contains(&hex(L.color(NOISE))));
        assert!(out.contains(&hex(L.muted)) && out.contains("t = 200"));
        crate::theme::svg_checks::assert_readable(&out);
        // t = 0: no noise, no crossover; still draws the signal.
        let out = svg(|a| draw_spectra(a, &f.spectra(&s, 0), &L));
        assert!(out.contains(&hex(L.color(SIGNAL))) && !out.contains(&hex(L.color(NOISE))));
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
            let out = svg(|a| draw_spectra(a, &f.spectra(&s, t), &L));
            texts(&out)
                .into_iter()
                .filter(|t| {
                    !t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || ".e-".contains(c))
                })
                .collect()
        };
        let (early, late) = (labels(100), labels(700));
        assert!(early.len() >= 3, "{early:?}");
        assert_eq!(early, late, "power ticks moved with t");
        let out = svg(|a| draw_spectra(a, &f.spectra(&s, 100), &L));
        assert!(out.contains("cycles per image") && !out.contains("cycles/pixel"));
        assert!(out.contains("ᾱ") && !out.contains("alpha_bar"));
    }

    #[test]
    fn loss_and_variance_plots_draw() {
        let losses: Vec<[f32; 2]> = (0..300)
            .map(|i| [2.0 * (i + 1) as f32, 1.0 / (1.0 + i as f32 * 0.01)])
            .collect();
        let out = svg(|a| draw_loss(a, &losses, &L));
        assert!(out.contains(&hex(L.color(Hue::Blue))) && out.contains("step"));
        crate::theme::svg_checks::assert_readable(&out);
        let out = svg(|a| draw_loss(a, &[[1.0, f32::NAN]], &L));
        assert!(out.contains("no training steps"));
        let res = timestep_variance_curve(|u| (-4.0 * u).exp(), &[2, 8, 32], 200, 1);
        let out = svg(|a| draw_timestep_variance(a, &res, &Theme::dark()));
        assert!(out.contains("i.i.d.") && out.contains("low-discrepancy"));
        assert!(out.contains(&hex(Theme::dark().color(Hue::Vermillion))));
        assert!(out.contains(&hex(Theme::dark().bg)));
        crate::theme::svg_checks::assert_readable(&out);
        let out = svg(|a| draw_timestep_variance(a, &[], &L));
        assert!(out.contains("no variance"));
        // The demo's k = 2..128: the x labels do not run together near 100.
        let res = timestep_variance_curve(|u| (-4.0 * u).exp(), &[2, 4, 8, 16, 32, 64, 128], 50, 1);
        let out = svg(|a| draw_timestep_variance(a, &res, &L));
        let labels: Vec<&str> = out
            .split("</text>")
            .filter_map(|t| t.rsplit('>').next())
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .collect();
        for crowded in ["30", "70", "80", "90"] {
            assert!(!labels.contains(&crowded), "x label {crowded}: {labels:?}");
        }
        assert!(
            labels.contains(&"50") && labels.contains(&"100"),
            "{labels:?}"
        );
    }
}

#[cfg(test)]
mod layout_tests {
    use super::*;
    use gentutor_models::diffusion::{sample_data, Dataset2d};
    use gentutor_models::rng::Rng;

    /// Point clouds keep equal axis scales on any canvas (the frame of the plotting area, the
    /// one unfilled rect, is square), also on a phone's stacked layout.
    #[test]
    fn point_clouds_keep_equal_axis_scales() {
        let x0 = sample_data(&Dataset2d::TwoMoons, 50, &mut Rng::new(1)).expect("data");
        for (w, h) in [(380u32, 360u32), (300, 520), (760, 300)] {
            let mut out = String::new();
            {
                let area = SVGBackend::with_string(&mut out, (w, h)).into_drawing_area();
                draw_point_clouds(
                    &area,
                    x0.view(),
                    x0.view(),
                    ("x₀", "xₜ"),
                    "t = 1",
                    &Theme::light(),
                )
                .expect("draws");
            }
            // The tick labels "-2" and "2" on the x axis and on the y axis span the same
            // distance in pixels.
            let pos = |t: &str| crate::theme::svg_checks::positions(&out, t);
            let (lo, hi) = (pos("-2"), pos("2"));
            assert!(lo.len() == 2 && hi.len() == 2, "{lo:?} {hi:?}");
            // x-axis labels share a y; y-axis labels share an x.
            let (xa, ya) = if (lo[0].1 - hi[0].1).abs() < 1.0 {
                (0, 1)
            } else {
                (1, 0)
            };
            let x_span = (hi[xa].0 - lo[xa].0).abs();
            let y_span = (hi[ya].1 - lo[ya].1).abs();
            assert!(
                (x_span - y_span).abs() <= 2.0,
                "{w}x{h}: {x_span} vs {y_span}"
            );
        }
    }

    #[test]
    fn canvas_heights_stack_on_a_phone() {
        assert!(clouds_height(340) > 2 * 300);
        assert_eq!(clouds_height(760), 380);
        assert!(schedules_height(340) >= 480 && schedules_height(760) == 300);
        assert!(image_spectra_height(340) > image_spectra_height(760));
        assert!(reverse_height(340) > reverse_height(760));
    }
}
