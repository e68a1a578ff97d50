//! Plots shared by the digits flow, diffusion and side-by-side demos: grids of 8x8 images,
//! the flow's bits/dim curves, the diffusion strip (the same samples at several t) and a loss
//! curve. Colours and fonts from [`crate::Theme`].

use crate::theme::{fmt_tick, legend_corner, legend_frac, Hue, Theme, LABEL_PX, TITLE_PX};
use crate::PlotError;
use gentutor_models::digits::{PIXELS, SIDE};
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

/// One 8x8 image at (x, y) with `cell` px per pixel, framed.
fn draw_image<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    t: &Theme,
    img: &[f32],
    (x, y): (i32, i32),
    cell: i32,
) -> Result<(), PlotError> {
    let side = cell * SIDE as i32;
    area.draw(&Rectangle::new(
        [(x, y), (x + side, y + side)],
        t.bg.filled(),
    ))?;
    for (j, &p) in img.iter().enumerate().take(PIXELS) {
        if p <= 0.02 || p.is_nan() {
            continue;
        }
        let (px, py) = (x + (j % SIDE) as i32 * cell, y + (j / SIDE) as i32 * cell);
        area.draw(&Rectangle::new(
            [(px, py), (px + cell, py + cell)],
            pixel(t, p).filled(),
        ))?;
    }
    area.draw(&Rectangle::new(
        [(x - 1, y - 1), (x + side, y + side)],
        t.grid.stroke_width(1),
    ))?;
    Ok(())
}

/// A grid of images (`images`: n * 64 values in [0, 1]) in `cols` columns under `title`, as
/// large as the area allows and centred; without images, `title` is shown as a message.
pub fn draw_digit_grid<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    images: &[f32],
    cols: usize,
    theme: &Theme,
) -> Result<(), PlotError> {
    let t = *theme;
    t.fill(area)?;
    let n = images.len() / PIXELS;
    if n == 0 {
        // Without images the title is the message (what to do to get some).
        return t.message(
            area,
            if title.is_empty() {
                "No samples yet"
            } else {
                title
            },
        );
    }
    let (w, h) = area.dim_in_pixel();
    area.draw(&Text::new(title.to_string(), (6, 4), t.title_font()))?;
    let cols = cols.clamp(1, n) as i32;
    let rows = (n as i32 + cols - 1) / cols;
    let top = TITLE_PX as i32 + 12;
    let gap = 3;
    let cell_w = ((w as i32 - 8) / cols - gap) / SIDE as i32;
    let cell_h = ((h as i32 - top - 4) / rows - gap) / SIDE as i32;
    let cell = cell_w.min(cell_h).max(1);
    let tile = cell * SIDE as i32 + gap;
    let x0 = (w as i32 - tile * cols) / 2;
    for (i, img) in images.chunks(PIXELS).enumerate() {
        let (r, c) = (i as i32 / cols, i as i32 % cols);
        draw_image(area, &t, img, (x0 + c * tile, top + r * tile), cell)?;
    }
    Ok(())
}

/// The same samples at several t: one column per snapshot (labelled with its t), one row per
/// sample. `snaps`: (t, images) with the same number of images each, values in [0, 1].
pub fn draw_diffusion_strip<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    snaps: &[(usize, Vec<f32>)],
    theme: &Theme,
) -> Result<(), PlotError> {
    let t = *theme;
    t.fill(area)?;
    let rows = snaps.first().map_or(0, |s| s.1.len() / PIXELS);
    if snaps.is_empty() || rows == 0 {
        return t.message(area, "Press Sample to watch noise become digits");
    }
    let (w, h) = area.dim_in_pixel();
    area.draw(&Text::new(
        "the same samples xₜ as t falls to 0".to_string(),
        (6, 4),
        t.title_font(),
    ))?;
    let cols = snaps.len() as i32;
    let top = TITLE_PX as i32 + 12 + LABEL_PX as i32 + 6;
    let gap = 4;
    let cell_w = ((w as i32 - 8) / cols - gap) / SIDE as i32;
    let cell_h = ((h as i32 - top - 4) / rows as i32 - gap) / SIDE as i32;
    let cell = cell_w.min(cell_h).max(1);
    let tile = cell * SIDE as i32 + gap;
    let x0 = (w as i32 - tile * cols) / 2;
    for (c, (tt, imgs)) in snaps.iter().enumerate() {
        let x = x0 + c as i32 * tile;
        area.draw(&Text::new(
            format!("t = {tt}"),
            (x, top - LABEL_PX as i32 - 4),
            t.label_font(),
        ))?;
        for (r, img) in imgs.chunks(PIXELS).enumerate() {
            draw_image(area, &t, img, (x, top + r as i32 * tile), cell)?;
        }
    }
    Ok(())
}

fn finite_points(p: &[[f32; 2]]) -> Vec<(f64, f64)> {
    p.iter()
        .filter(|q| q[0].is_finite() && q[1].is_finite())
        .map(|q| (f64::from(q[0]), f64::from(q[1])))
        .collect()
}

/// Training curves against the step: each series is (label, points, hue); the y range covers
/// every finite point. `y_desc` names the quantity.
pub fn draw_curves<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    caption: &str,
    y_desc: &str,
    series: &[(&str, &[[f32; 2]], Hue)],
    theme: &Theme,
) -> Result<(), PlotError> {
    let t = *theme;
    t.fill(area)?;
    let pts: Vec<Vec<(f64, f64)>> = series.iter().map(|s| finite_points(s.1)).collect();
    let all = || pts.iter().flatten();
    if all().next().is_none() {
        return t.message(area, "Press Play or Step to train");
    }
    // From step 0: a run that starts from a checkpoint shows where its curve begins.
    let x1 = all().map(|p| p.0).fold(1.0, f64::max);
    let x0 = 0.0;
    let y0 = all().map(|p| p.1).fold(f64::INFINITY, f64::min);
    let y1 = all().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max);
    // A flat curve or a single point (the checkpoint's test figure) gets a range of about 4%
    // of its value, so the two-decimal tick labels stay distinct.
    let pad = ((y1 - y0) * 0.08)
        .max(0.02)
        .max(0.02 * y1.abs().max(y0.abs()));
    let (y0, y1) = (y0 - pad, y1 + pad);
    let mut chart = t
        .chart(area, caption)
        .x_label_area_size(t.x_label_area(true))
        .y_label_area_size(t.y_label_area(y0, y1))
        .build_cartesian_2d(x0..x1, y0..y1)?;
    t.mesh(&mut chart.configure_mesh())
        .x_desc("step")
        .y_desc(y_desc)
        .x_labels(4)
        .x_label_formatter(&|v| fmt_tick(*v))
        .y_label_formatter(&|v| fmt_tick(*v))
        .draw()?;
    let labels: Vec<&str> = series.iter().map(|s| s.0).collect();
    let refs: Vec<&Vec<(f64, f64)>> = pts.iter().collect();
    let corner = legend_corner(
        &refs.iter().map(|v| v.as_slice()).collect::<Vec<_>>(),
        (x0, x1),
        (y0, y1),
        legend_frac(&labels, area.dim_in_pixel()),
    );
    for ((label, _, hue), p) in series.iter().zip(pts) {
        let style = t.line(*hue);
        let drawn = if p.len() == 1 || label.contains("test") {
            chart.draw_series(p.iter().map(|&q| Circle::new(q, 3, style.filled())))?;
            chart.draw_series(LineSeries::new(p, style))?
        } else {
            chart.draw_series(LineSeries::new(p, style))?
        };
        drawn
            .label(*label)
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 16, y)], style));
    }
    t.legend(&mut chart.configure_series_labels(), corner)
        .draw()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn svg(f: impl Fn(&DrawingArea<SVGBackend, Shift>) -> Result<(), PlotError>) -> String {
        let mut s = String::new();
        {
            let area = SVGBackend::with_string(&mut s, (420, 300)).into_drawing_area();
            f(&area).expect("draws");
        }
        s
    }

    #[test]
    fn draws_grids_strips_and_curves_in_both_themes() {
        let imgs: Vec<f32> = (0..16 * PIXELS).map(|i| (i % 5) as f32 / 4.0).collect();
        for t in [Theme::light(), Theme::dark()] {
            let g = svg(|a| draw_digit_grid(a, "samples, step 7", &imgs, 4, &t));
            assert!(g.contains("samples, step 7"));
            let fg = format!("#{:02X}{:02X}{:02X}", t.fg.0, t.fg.1, t.fg.2);
            assert!(g.to_uppercase().contains(&fg), "full ink is the foreground");
            let snaps: Vec<(usize, Vec<f32>)> = [100, 50, 0]
                .iter()
                .map(|&tt| (tt, imgs[..2 * PIXELS].to_vec()))
                .collect();
            let s = svg(|a| draw_diffusion_strip(a, &snaps, &t));
            for label in ["t = 100", "t = 50", "t = 0"] {
                assert!(s.contains(label), "{label}");
            }
            let train = [[1.0, 3.0], [2.0, 2.5], [3.0, 2.4]];
            let test = [[0.0, 2.9], [3.0, 2.45]];
            let c = svg(|a| {
                draw_curves(
                    a,
                    "bits per dimension",
                    "bits/dim",
                    &[
                        ("train batch", &train, Hue::Blue),
                        ("test (exact)", &test, Hue::Vermillion),
                    ],
                    &t,
                )
            });
            assert!(c.contains("train batch") && c.contains("test (exact)"));
        }
        // One point (a run from a checkpoint): the y tick labels are all different.
        let one = [[1000.0f32, 2.204]];
        let c = svg(|a| {
            draw_curves(
                a,
                "c",
                "bits/dim",
                &[("held-out test (exact)", &one, Hue::Vermillion)],
                &Theme::light(),
            )
        });
        let ticks: Vec<&str> = c
            .split("<text")
            .filter_map(|t| Some(t.split('>').nth(1)?.split('<').next()?.trim()))
            .filter(|t| t.starts_with("2."))
            .collect();
        let mut distinct = ticks.clone();
        distinct.dedup();
        assert!(
            ticks.len() >= 3 && distinct.len() == ticks.len(),
            "{ticks:?}"
        );
        assert!(svg(|a| draw_digit_grid(a, "", &[], 4, &Theme::light())).contains("No samples"));
        assert!(svg(|a| draw_diffusion_strip(a, &[], &Theme::light())).contains("Press Sample"));
        assert!(
            svg(|a| draw_curves(a, "c", "y", &[("a", &[], Hue::Blue)], &Theme::dark()))
                .contains("Press Play")
        );
    }
}
