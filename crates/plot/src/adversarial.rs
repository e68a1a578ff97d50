//! The adversarial-examples demo: per model (MLP above, linear below) the digit, the
//! perturbation, the perturbed digit, the class probabilities before and after, and the
//! probabilities of the true and the winning class as eps grows along the same sign pattern.

use crate::theme::{fmt_tick, is_narrow, Hue, Theme};
use crate::PlotError;
use gentutor_models::adversarial::{AttackView, ModelView, EPS_MAX};
use gentutor_models::digits::{CLASSES, SIDE};
use plotters::coord::Shift;
use plotters::prelude::*;

/// The true class blue, the attack's class vermillion; a raised pixel orange, a lowered one
/// sky blue (the theme's Okabe-Ito hues).
const TRUE_HUE: Hue = Hue::Blue;
const ADV_HUE: Hue = Hue::Vermillion;
const UP_HUE: Hue = Hue::Orange;
const DOWN_HUE: Hue = Hue::Sky;

fn mix(a: RGBColor, b: RGBColor, t: f32) -> RGBColor {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let m = |a: u8, b: u8| (f32::from(a) + t * (f32::from(b) - f32::from(a))).round() as u8;
    RGBColor(m(a.0, b.0), m(a.1, b.1), m(a.2, b.2))
}

/// A pixel in [0, 1], from background to ink.
fn pixel(theme: &Theme, p: f32) -> RGBColor {
    mix(theme.bg, theme.fg, p)
}

/// One 8x8 image at (x, y) with `cell` pixels per image pixel; `color` maps a pixel value.
fn image<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
    cell: i32,
    pixels: &[f32],
    color: impl Fn(f32) -> RGBColor,
    theme: &Theme,
) -> Result<(), PlotError> {
    let side = SIDE as i32 * cell;
    area.draw(&Rectangle::new(
        [(x - 1, y - 1), (x + side, y + side)],
        theme.frame.stroke_width(1),
    ))?;
    for (k, &p) in pixels.iter().enumerate().take(SIDE * SIDE) {
        let (r, c) = ((k / SIDE) as i32, (k % SIDE) as i32);
        let (x0, y0) = (x + c * cell, y + r * cell);
        area.draw(&Rectangle::new(
            [(x0, y0), (x0 + cell, y0 + cell)],
            color(p).filled(),
        ))?;
    }
    Ok(())
}

/// A perturbation value in [-eps, eps] as a colour: raised pixels orange, lowered sky blue,
/// untouched the background.
fn eta_color(theme: &Theme, v: f32, eps: f32) -> RGBColor {
    let t = if eps > 0.0 { v.abs() / eps } else { 0.0 };
    let to = theme.color(if v > 0.0 { UP_HUE } else { DOWN_HUE });
    mix(theme.bg, to, t)
}

/// The class the attack pushes: the target, or the most probable wrong class after the attack.
fn rival(v: &AttackView, m: &ModelView) -> usize {
    v.settings.target.0.unwrap_or_else(|| {
        let mut p = m.attacked;
        p[v.label] = f32::NEG_INFINITY;
        gentutor_models::adversarial::argmax(&p)
    })
}

fn bars<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    v: &AttackView,
    m: &ModelView,
    theme: &Theme,
) -> Result<(), PlotError> {
    let mut chart = theme
        .chart(area, "p(class): before (outline), after")
        .x_label_area_size(theme.x_label_area(false))
        .y_label_area_size(theme.y_label_area(0.0, 1.0))
        .build_cartesian_2d(-0.5f64..9.5, 0.0f64..1.0)?;
    theme
        .mesh(&mut chart.configure_mesh())
        .disable_x_mesh()
        .x_labels(10)
        .x_label_formatter(&|x| format!("{}", x.round()))
        .y_labels(3)
        .y_label_formatter(&|v| fmt_tick(*v))
        .draw()?;
    let pred = m.predicted();
    for k in 0..CLASSES {
        let x = k as f64;
        let color = if k == v.label {
            theme.color(TRUE_HUE)
        } else if k == pred || Some(k) == v.settings.target.0 {
            theme.color(ADV_HUE)
        } else {
            theme.muted
        };
        chart.draw_series(std::iter::once(Rectangle::new(
            [(x - 0.35, 0.0), (x + 0.35, f64::from(m.attacked[k]))],
            color.filled(),
        )))?;
        chart.draw_series(std::iter::once(Rectangle::new(
            [(x - 0.42, 0.0), (x + 0.42, f64::from(m.clean[k]))],
            theme.fg.stroke_width(1),
        )))?;
    }
    Ok(())
}

fn sweep<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    v: &AttackView,
    m: &ModelView,
    theme: &Theme,
) -> Result<(), PlotError> {
    let r = rival(v, m);
    let mut chart = theme
        .chart(area, &format!("p({}) and p({r}) as ε grows", v.label))
        .x_label_area_size(theme.x_label_area(false))
        .y_label_area_size(theme.y_label_area(0.0, 1.0))
        .build_cartesian_2d(0.0f64..f64::from(EPS_MAX), 0.0f64..1.0)?;
    theme
        .mesh(&mut chart.configure_mesh())
        .x_labels(5)
        .y_labels(3)
        .x_label_formatter(&|v| fmt_tick(*v))
        .y_label_formatter(&|v| fmt_tick(*v))
        .draw()?;
    for (k, hue) in [(v.label, TRUE_HUE), (r, ADV_HUE)] {
        chart.draw_series(LineSeries::new(
            m.sweep
                .iter()
                .map(|p| (f64::from(p.eps), f64::from(p.probs[k]))),
            theme.line(hue),
        ))?;
    }
    let e = f64::from(v.settings.eps);
    chart.draw_series(std::iter::once(PathElement::new(
        vec![(e, 0.0), (e, 1.0)],
        theme.muted.stroke_width(1),
    )))?;
    Ok(())
}

/// One model's row: the three images with their titles, the bars and the sweep.
fn row<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    v: &AttackView,
    m: &ModelView,
    theme: &Theme,
    narrow: bool,
) -> Result<(), PlotError> {
    let (w, h) = area.dim_in_pixel();
    let font = crate::theme::LABEL_PX;
    let (imgs, charts) = if narrow {
        area.split_vertically(h * 2 / 5)
    } else {
        area.split_horizontally(w * 12 / 25)
    };
    let (iw, ih) = imgs.dim_in_pixel();
    let title_h = 2 * font as i32 + 6;
    let cell = (((iw as i32 - 24) / 3).min(ih as i32 - title_h - 6) / SIDE as i32).max(2);
    let side = cell * SIDE as i32;
    let gap = ((iw as i32 - 3 * side) / 4).max(4);
    let eps = v.settings.eps;
    let pred = m.predicted();
    let titles = [
        format!("{}: digit {}", m.name, v.label),
        format!("perturbation: ε = {eps:.3}"),
        format!("attacked: says {pred} ({:.0}%)", 100.0 * m.attacked[pred]),
    ];
    // The block of titles and images, centred vertically in its panel.
    let top = ((ih as i32 - title_h - side) / 2).max(0);
    let y = top + title_h;
    for (i, t) in titles.iter().enumerate() {
        let x = gap + i as i32 * (side + gap);
        let style = theme.label_font();
        // Titles wrap at the colon onto two lines.
        let (a, b) = t.split_once(": ").unwrap_or((t.as_str(), ""));
        imgs.draw(&Text::new(a.to_string(), (x, top + 2), style.clone()))?;
        imgs.draw(&Text::new(b.to_string(), (x, top + font as i32 + 4), style))?;
        match i {
            0 => image(&imgs, (x, y), cell, &v.x, |p| pixel(theme, p), theme)?,
            1 => image(
                &imgs,
                (x, y),
                cell,
                &m.eta,
                |p| eta_color(theme, p, eps),
                theme,
            )?,
            _ => image(&imgs, (x, y), cell, &m.adv, |p| pixel(theme, p), theme)?,
        }
    }
    let (cw, ch) = charts.dim_in_pixel();
    let (left, right) = if narrow && cw < 300 {
        charts.split_vertically(ch / 2)
    } else {
        charts.split_horizontally(cw / 2)
    };
    bars(&left, v, m, theme)?;
    sweep(&right, v, m, theme)
}

/// The whole demo: MLP row, linear row.
pub fn draw_adversarial<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    v: &AttackView,
    theme: &Theme,
) -> Result<(), PlotError> {
    theme.fill(area)?;
    let (w, h) = area.dim_in_pixel();
    let narrow = is_narrow(w);
    let (top, bottom) = area.split_vertically(h / 2);
    row(&top, v, &v.mlp, theme, narrow)?;
    row(&bottom, v, &v.linear, theme, narrow)
}

#[cfg(test)]
mod tests {
    use super::*;
    use gentutor_models::adversarial::{AttackSettings, Models, Target};
    use gentutor_models::digits::Digits;

    fn render(v: &AttackView, size: (u32, u32), theme: &Theme) -> String {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
            draw_adversarial(&root, v, theme).unwrap_or_else(|e| panic!("{e}"));
        }
        svg
    }

    #[test]
    fn draws_both_models_images_bars_and_sweeps() {
        let m = Models::standard(Digits::shipped().expect("digits")).expect("models");
        let s = AttackSettings {
            image: 1,
            eps: 0.125,
            target: Target(Some(8)),
        };
        let v = AttackView::new(&m, s).expect("view");
        for (size, theme) in [((720, 560), Theme::light()), ((360, 900), Theme::dark())] {
            let svg = render(&v, size, &theme);
            // 6 images of 64 pixels (plus frames and bars).
            assert!(svg.matches("<rect").count() > 6 * 64, "images");
            // Two sweeps, two curves each, and the eps marker.
            assert!(svg.matches("<polyline").count() >= 6, "sweeps");
            for text in [
                "MLP (64-64-10)",
                "linear (64-10)",
                "perturbation",
                "as ε grows",
            ] {
                assert!(svg.contains(text), "missing {text}");
            }
            let bg = theme.bg;
            assert!(svg.contains(&format!("#{:02X}{:02X}{:02X}", bg.0, bg.1, bg.2)));
        }
        // Raised and lowered pixels both appear in the perturbation at this eps.
        let t = Theme::light();
        let svg = render(&v, (720, 560), &t);
        let hex = |c: RGBColor| format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2);
        assert!(svg.contains(&hex(t.color(UP_HUE))) && svg.contains(&hex(t.color(DOWN_HUE))));
    }
}
