//! One look for every plot: page colours for a light or a dark page, a colour-blind-safe
//! palette, font sizes readable on a 375 px phone, tick formats, and the layout helpers that
//! keep labels and legends from clipping or covering the curves.
//!
//! Sizes are CSS pixels: the demos draw on a canvas whose backing store is the CSS size times
//! the device pixel ratio with a matching scale transform (`gentutor_demos::shared::draw_on_canvas`),
//! so an 11 px font here is 11 CSS px on every screen, and crisp on a 2x one.
//!
//! Typical use in a `draw_*` function:
//! ```text
//! theme.fill(area)?;
//! let mut chart = theme
//!     .chart(area, "loss per step")
//!     .x_label_area_size(theme.x_label_area(true))
//!     .y_label_area_size(theme.y_label_area(y0, y1))
//!     .build_cartesian_2d(x0..x1, y0..y1)?;
//! theme.mesh(&mut chart.configure_mesh()).x_desc("step").draw()?;
//! chart.draw_series(LineSeries::new(pts, theme.line(Hue::Blue)))?;
//! ```

use crate::PlotError;
use plotters::chart::{ChartBuilder, MeshStyle, SeriesLabelPosition, SeriesLabelStyle};
use plotters::coord::ranged1d::Ranged;
use plotters::coord::{CoordTranslate, Shift};
use plotters::prelude::*;

/// The font family of every plot (the page's own sans-serif).
pub const FONT: &str = "sans-serif";
/// Smallest text any plot draws, in CSS px (tick labels).
pub const MIN_FONT_PX: u32 = 11;
/// Tick labels.
pub const TICK_PX: u32 = 11;
/// Axis descriptions, legends and in-plot notes.
pub const LABEL_PX: u32 = 12;
/// Panel titles (captions).
pub const TITLE_PX: u32 = 13;
/// Margin around a chart, in px.
pub const MARGIN: u32 = 6;
/// Below this width (CSS px) a plot stacks its panels instead of placing them side by side.
pub const NARROW_PX: u32 = 560;
/// Average advance of a character as a fraction of the font size; generous (digits and
/// capitals run ~0.55-0.65 in common sans-serif faces), so estimated widths never clip.
const CHAR_EM: f32 = 0.62;
/// Tick mark plus the gap between tick and label, in px.
const TICK_GAP: u32 = 10;

/// The palette's hues: Okabe & Ito's colour-blind-safe set (2008), each in a shade with at
/// least 3:1 contrast against the plot background of its theme. Pairs that carry meaning use
/// blue against vermillion (signal/noise, data/model), never red against green.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hue {
    Blue,
    Vermillion,
    Green,
    Purple,
    Orange,
    Sky,
}

impl Hue {
    /// Every hue, in the order [`Theme::series`] hands them out.
    pub const ALL: [Hue; 6] = [
        Hue::Blue,
        Hue::Vermillion,
        Hue::Green,
        Hue::Purple,
        Hue::Orange,
        Hue::Sky,
    ];
}

/// Colours of a light or a dark plot. Build with [`Theme::new`] (or [`Theme::light`] /
/// [`Theme::dark`]); the demos pass the page's theme to every `draw_*` function.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Theme {
    pub dark: bool,
    /// Plot background (the page's card colour).
    pub bg: RGBColor,
    /// Text, axes and curves drawn in "ink".
    pub fg: RGBColor,
    /// Secondary text and markers (current-t line, reference curves).
    pub muted: RGBColor,
    /// Light grid lines.
    pub grid: RGBColor,
    /// Frames and bold grid lines.
    pub frame: RGBColor,
    /// Error and divergence messages.
    pub error: RGBColor,
}

impl Theme {
    /// The theme of a light (`dark = false`) or a dark page.
    pub fn new(dark: bool) -> Theme {
        if dark {
            Theme {
                dark,
                bg: RGBColor(24, 26, 31),
                fg: RGBColor(220, 222, 228),
                muted: RGBColor(160, 164, 172),
                grid: RGBColor(48, 51, 58),
                frame: RGBColor(90, 94, 102),
                error: RGBColor(240, 128, 90),
            }
        } else {
            Theme {
                dark,
                bg: RGBColor(255, 255, 255),
                fg: RGBColor(40, 40, 40),
                muted: RGBColor(95, 99, 108),
                grid: RGBColor(232, 233, 236),
                frame: RGBColor(200, 202, 208),
                error: RGBColor(190, 60, 0),
            }
        }
    }

    pub fn light() -> Theme {
        Theme::new(false)
    }

    pub fn dark() -> Theme {
        Theme::new(true)
    }

    /// The colour of `hue` on this theme's background.
    pub fn color(&self, hue: Hue) -> RGBColor {
        match (hue, self.dark) {
            (Hue::Blue, false) => RGBColor(0, 114, 178),
            (Hue::Blue, true) => RGBColor(86, 180, 233),
            (Hue::Vermillion, false) => RGBColor(213, 94, 0),
            (Hue::Vermillion, true) => RGBColor(230, 110, 40),
            (Hue::Green, false) => RGBColor(0, 140, 100),
            (Hue::Green, true) => RGBColor(0, 158, 115),
            (Hue::Purple, false) => RGBColor(180, 90, 145),
            (Hue::Purple, true) => RGBColor(204, 121, 167),
            (Hue::Orange, false) => RGBColor(165, 135, 10),
            (Hue::Orange, true) => RGBColor(230, 159, 0),
            (Hue::Sky, false) => RGBColor(20, 150, 210),
            (Hue::Sky, true) => RGBColor(150, 210, 240),
        }
    }

    /// The `i`-th series colour (cycling through [`Hue::ALL`]).
    pub fn series(&self, i: usize) -> RGBColor {
        self.color(Hue::ALL[i % Hue::ALL.len()])
    }

    /// A 2 px line in `hue`.
    pub fn line(&self, hue: Hue) -> ShapeStyle {
        self.color(hue).stroke_width(2)
    }

    /// Text of `px` CSS px (never below [`MIN_FONT_PX`]) in the foreground colour.
    pub fn text(&self, px: u32) -> TextStyle<'static> {
        self.text_in(px, self.fg)
    }

    /// Text of `px` CSS px (never below [`MIN_FONT_PX`]) in `color`.
    pub fn text_in(&self, px: u32, color: RGBColor) -> TextStyle<'static> {
        TextStyle {
            font: (FONT, px.max(MIN_FONT_PX)).into_font(),
            color: color.to_backend_color(),
            pos: Default::default(),
        }
    }

    pub fn title_font(&self) -> TextStyle<'static> {
        self.text(TITLE_PX)
    }

    pub fn label_font(&self) -> TextStyle<'static> {
        self.text(LABEL_PX)
    }

    pub fn tick_font(&self) -> TextStyle<'static> {
        self.text(TICK_PX)
    }

    /// Fills `area` with the background.
    pub fn fill<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        area.fill(&self.bg)?;
        Ok(())
    }

    /// A chart builder with the theme's margins and title (none when `caption` is empty). The
    /// right margin leaves room for half of a last x tick label such as "1000", which the
    /// plotting area's edge would otherwise cut ("100(").
    pub fn chart<'a, 'b, DB: DrawingBackend>(
        &self,
        area: &'a DrawingArea<DB, Shift>,
        caption: &str,
    ) -> ChartBuilder<'a, 'b, DB> {
        let mut b = ChartBuilder::on(area);
        b.margin(MARGIN)
            .margin_right(MARGIN + text_width("10000", TICK_PX) / 2);
        if !caption.is_empty() {
            b.caption(caption, self.title_font());
        }
        b
    }

    /// Styles a mesh: theme colours, tick and axis-description fonts, and tick formats without
    /// "1000.0" or "-0.0" ([`fmt_tick`]). Chain `x_desc`, `x_labels`, ... and `draw()` after it;
    /// a log axis should set `y_label_formatter(&|v| fmt_log_tick(*v))` too.
    pub fn mesh<'m, 'a, 'b, X, Y, DB>(
        &self,
        mesh: &'m mut MeshStyle<'a, 'b, X, Y, DB>,
    ) -> &'m mut MeshStyle<'a, 'b, X, Y, DB>
    where
        X: Ranged,
        Y: Ranged,
        DB: DrawingBackend,
    {
        mesh.light_line_style(self.grid)
            .bold_line_style(self.frame.mix(0.6))
            .axis_style(self.frame)
            .label_style(self.tick_font())
            .axis_desc_style(self.label_font())
    }

    /// Styles a legend: a background box, the label font, and the corner `pos` (pick it with
    /// [`legend_corner`] so it sits where the curves are not).
    pub fn legend<'m, 'a, 'b, DB, CT>(
        &self,
        legend: &'m mut SeriesLabelStyle<'a, 'b, DB, CT>,
        pos: SeriesLabelPosition,
    ) -> &'m mut SeriesLabelStyle<'a, 'b, DB, CT>
    where
        DB: DrawingBackend + 'a,
        CT: CoordTranslate,
    {
        legend
            .position(pos)
            .background_style(self.bg.mix(0.9))
            .border_style(self.frame)
            .label_font(self.label_font())
    }

    /// A message instead of a plot (an empty or diverged view), wrapped to the area's width.
    pub fn message<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        text: &str,
    ) -> Result<(), PlotError> {
        self.fill(area)?;
        let (w, h) = area.dim_in_pixel();
        let px = LABEL_PX + 2;
        let lines = wrap_text(text, w.saturating_sub(2 * 16), px);
        let line_h = (px as f32 * 1.4) as i32;
        let top = h as i32 / 2 - line_h * lines.len() as i32 / 2;
        for (i, line) in lines.iter().enumerate() {
            area.draw(&Text::new(
                line.clone(),
                (16, top + line_h * i as i32),
                self.text_in(px, self.error),
            ))?;
        }
        Ok(())
    }

    /// A one-line note across the top of `area` (e.g. a divergence message above plots that
    /// still show the last finite state), wrapped; returns the area below it.
    pub fn banner<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        text: &str,
    ) -> Result<DrawingArea<DB, Shift>, PlotError> {
        let (w, _) = area.dim_in_pixel();
        let lines = wrap_text(text, w.saturating_sub(12), LABEL_PX);
        let line_h = LABEL_PX as i32 + 4;
        let (top, rest) = area.split_vertically(line_h * lines.len() as i32 + 6);
        for (i, line) in lines.iter().enumerate() {
            top.draw(&Text::new(
                line.clone(),
                (6, 4 + line_h * i as i32),
                self.text_in(LABEL_PX, self.error),
            ))?;
        }
        Ok(rest)
    }

    /// Height (px) of an x label area: tick labels, plus an axis description when `desc`.
    pub fn x_label_area(&self, desc: bool) -> u32 {
        TICK_PX + TICK_GAP + if desc { LABEL_PX + 6 } else { 0 }
    }

    /// Width (px) of a y label area wide enough for the tick labels of `lo..hi` as
    /// [`fmt_tick`] writes them, plus a rotated axis description.
    pub fn y_label_area(&self, lo: f64, hi: f64) -> u32 {
        y_label_width(&tick_labels(lo, hi, fmt_tick), true)
    }

    /// Like [`Theme::y_label_area`] for a log axis ([`fmt_log_tick`]).
    pub fn y_label_area_log(&self, lo: f64, hi: f64) -> u32 {
        y_label_width(&tick_labels(lo, hi, fmt_log_tick), true)
    }
}

impl Default for Theme {
    fn default() -> Self {
        Theme::light()
    }
}

/// Estimated width in px of `text` at `px` (generous, so labels sized by it do not clip).
pub fn text_width(text: &str, px: u32) -> u32 {
    (text.chars().count() as f32 * CHAR_EM * px as f32).ceil() as u32
}

/// Width of a y label area holding `labels`, with room for a rotated description when `desc`.
pub fn y_label_width(labels: &[String], desc: bool) -> u32 {
    let widest = labels
        .iter()
        .map(|l| text_width(l, TICK_PX))
        .max()
        .unwrap_or(0);
    widest + TICK_GAP + if desc { LABEL_PX + 6 } else { 0 }
}

/// The labels an axis over `lo..hi` may show: both ends, the middle and the nice values
/// between, formatted by `fmt` (used to size label areas).
pub fn tick_labels(lo: f64, hi: f64, fmt: fn(f64) -> String) -> Vec<String> {
    let (lo, hi) = if lo <= hi { (lo, hi) } else { (hi, lo) };
    if !(lo.is_finite() && hi.is_finite()) {
        return vec![fmt(0.0)];
    }
    let mut out: Vec<String> = [lo, hi, (lo + hi) / 2.0].into_iter().map(fmt).collect();
    let span = hi - lo;
    if span > 0.0 {
        let step = 10f64.powf(span.log10().floor() - 1.0);
        let mut v = (lo / step).ceil() * step;
        let mut n = 0;
        while v <= hi && n < 200 {
            out.push(fmt(v));
            v += step;
            n += 1;
        }
    }
    out
}

/// A tick label as a person writes it: no trailing zeros ("1000", not "1000.0"), no negative
/// zero, at most 3 decimals, and powers of ten for very large or very small values ("2e-5").
pub fn fmt_tick(v: f64) -> String {
    if !v.is_finite() {
        return String::new();
    }
    let a = v.abs();
    if a < 5e-10 {
        return "0".into();
    }
    if !(1e-3..1e5).contains(&a) {
        return fmt_exp(v);
    }
    let decimals = if a >= 100.0 {
        0
    } else if a >= 1.0 {
        2
    } else {
        3
    };
    let s = format!("{v:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        &s
    };
    if s == "-0" || s.is_empty() {
        "0".into()
    } else {
        s.to_string()
    }
}

/// A tick label on a log axis: decades from 0.01 to 10000 as plain numbers, others as
/// "1e-5"; in-between ticks ("2e-3") keep one significant digit.
pub fn fmt_log_tick(v: f64) -> String {
    if !(v.is_finite() && v > 0.0) {
        return String::new();
    }
    if (1e-2..=1e4).contains(&v) {
        return fmt_tick(v);
    }
    fmt_exp(v)
}

/// "2.5e-4", "1e6": mantissa without trailing zeros.
fn fmt_exp(v: f64) -> String {
    let s = format!("{v:.1e}");
    match s.split_once('e') {
        Some((m, e)) => {
            let m = m.trim_end_matches('0').trim_end_matches('.');
            format!("{m}e{e}")
        }
        None => s,
    }
}

/// Splits `text` into lines no wider than `max_px` at `px` (a word longer than a line gets
/// a line of its own).
pub fn wrap_text(text: &str, max_px: u32, px: u32) -> Vec<String> {
    let max_chars = ((max_px as f32 / (CHAR_EM * px as f32)).floor() as usize).max(8);
    let mut lines = vec![String::new()];
    for word in text.split_whitespace() {
        let cur = lines.last().map_or(0, |l| l.chars().count());
        if cur > 0 && cur + 1 + word.chars().count() > max_chars {
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

/// True when `width` px is too narrow for panels side by side (stack them instead).
pub fn is_narrow(width: u32) -> bool {
    width < NARROW_PX
}

/// Two panels of `area`: side by side (split at `split` of the width) on a wide area, one above
/// the other (split at `split` of the height) on a narrow one ([`is_narrow`]).
pub fn split_pair<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    split: f64,
) -> (DrawingArea<DB, Shift>, DrawingArea<DB, Shift>) {
    let (w, h) = area.dim_in_pixel();
    if is_narrow(w) {
        area.split_vertically((f64::from(h) * split).round() as u32)
    } else {
        area.split_horizontally((f64::from(w) * split).round() as u32)
    }
}

/// Height of a canvas `w` px wide holding two panels ([`split_pair`]): the design aspect
/// `dw:dh` when wide; stacked when narrow, the two heights `narrow` (CSS px) added.
pub fn pair_height(w: u32, (dw, dh): (u32, u32), narrow: (u32, u32)) -> u32 {
    if is_narrow(w) {
        narrow.0 + narrow.1
    } else {
        (f64::from(w) * f64::from(dh) / f64::from(dw.max(1))).round() as u32
    }
}

/// The corner of a plot where a legend covers the fewest points of the curves: `series` are
/// the drawn points in data coordinates, `x` and `y` the axis ranges, and the legend box takes
/// `frac` (width, height) of the plotting area. Ties go to the upper right, then upper left.
pub fn legend_corner(
    series: &[&[(f64, f64)]],
    x: (f64, f64),
    y: (f64, f64),
    frac: (f64, f64),
) -> SeriesLabelPosition {
    let (xs, ys) = (x.1 - x.0, y.1 - y.0);
    let corners = [
        (SeriesLabelPosition::UpperRight, true, true),
        (SeriesLabelPosition::UpperLeft, false, true),
        (SeriesLabelPosition::LowerRight, true, false),
        (SeriesLabelPosition::LowerLeft, false, false),
    ];
    if !(xs > 0.0 && ys > 0.0 && xs.is_finite() && ys.is_finite()) {
        return SeriesLabelPosition::UpperRight;
    }
    let covered = |right: bool, upper: bool| -> usize {
        series
            .iter()
            .flat_map(|s| s.iter())
            .filter(|(px, py)| px.is_finite() && py.is_finite())
            .filter(|(px, py)| {
                let u = (px - x.0) / xs;
                let v = (py - y.0) / ys;
                let in_x = if right {
                    u >= 1.0 - frac.0
                } else {
                    u <= frac.0
                };
                let in_y = if upper {
                    v >= 1.0 - frac.1
                } else {
                    v <= frac.1
                };
                in_x && in_y
            })
            .count()
    };
    corners
        .into_iter()
        .map(|(pos, right, upper)| (covered(right, upper), pos))
        .min_by_key(|(n, _)| *n)
        .map_or(SeriesLabelPosition::UpperRight, |(_, p)| p)
}

/// Fraction (width, height) of a plotting area `area_px` that a legend of `labels` takes.
pub fn legend_frac(labels: &[&str], area_px: (u32, u32)) -> (f64, f64) {
    let widest = labels
        .iter()
        .map(|l| text_width(l, LABEL_PX))
        .max()
        .unwrap_or(0);
    let w = widest + 40;
    let h = labels.len() as u32 * (LABEL_PX + 8) + 8;
    (
        (f64::from(w) / f64::from(area_px.0.max(1))).min(1.0),
        (f64::from(h) / f64::from(area_px.1.max(1))).min(1.0),
    )
}

/// WCAG relative luminance of a colour.
pub fn luminance(c: RGBColor) -> f64 {
    let ch = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.039_28 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * ch(c.0) + 0.7152 * ch(c.1) + 0.0722 * ch(c.2)
}

/// WCAG contrast ratio of two colours (1 to 21).
pub fn contrast(a: RGBColor, b: RGBColor) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// Checks on SVG renderings shared by the plots' tests.
#[cfg(test)]
pub(crate) mod svg_checks {
    /// (font size in px as a canvas gets it, text) of every `<text>` element (plotters' SVG
    /// backend writes sizes divided by 1.24; the canvas backend writes them as they are).
    pub fn texts(svg: &str) -> Vec<(f64, String)> {
        svg.split("<text")
            .skip(1)
            .filter_map(|t| {
                let (attrs, rest) = t.split_once('>')?;
                let size = attrs
                    .split("font-size=\"")
                    .nth(1)?
                    .split('"')
                    .next()?
                    .parse::<f64>()
                    .ok()?;
                Some((
                    size * 1.24,
                    rest.split("</text>").next()?.trim().to_string(),
                ))
            })
            .collect()
    }

    /// (x, y) of every `<text>` whose text is exactly `text`.
    pub fn positions(svg: &str, text: &str) -> Vec<(f64, f64)> {
        svg.split("<text")
            .skip(1)
            .filter(|t| {
                t.split_once('>')
                    .is_some_and(|(_, r)| r.split("</text>").next().map(str::trim) == Some(text))
            })
            .map(|t| (attr(t, "x"), attr(t, "y")))
            .collect()
    }

    fn attr(t: &str, k: &str) -> f64 {
        t.split(&format!(" {k}=\""))
            .nth(1)
            .and_then(|r| r.split('"').next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(f64::NAN)
    }

    /// (x, y) of the first `<text>` containing `needle` (panics when there is none).
    pub fn text_pos(svg: &str, needle: &str) -> (f64, f64) {
        let t = svg
            .split("<text")
            .skip(1)
            .find(|t| t.split_once('>').is_some_and(|(_, r)| r.contains(needle)))
            .unwrap_or_else(|| panic!("no text {needle:?}"));
        let attr = |k: &str| -> f64 {
            t.split(&format!(" {k}=\""))
                .nth(1)
                .and_then(|r| r.split('"').next())
                .and_then(|v| v.parse().ok())
                .unwrap_or(f64::NAN)
        };
        (attr("x"), attr("y"))
    }

    /// Every text is at least [`super::MIN_FONT_PX`], no tick reads "1000.0" or "-0", and no
    /// ASCII stand-in for a symbol the lessons write ("alpha_bar", "theta", "mu(").
    pub fn assert_readable(svg: &str) {
        let texts = texts(svg);
        assert!(!texts.is_empty(), "no text drawn");
        for (size, text) in &texts {
            assert!(
                *size >= f64::from(super::MIN_FONT_PX) - 0.01,
                "{text:?} at {size} px"
            );
            let t = text.trim();
            assert!(
                !(t.ends_with(".0") && t.trim_end_matches(".0").parse::<f64>().is_ok()),
                "tick {t:?}"
            );
            assert!(t != "-0" && !t.starts_with("-0 "), "tick {t:?}");
            for ascii in ["alpha_bar", "theta", "mu(", "beta =", "dtheta"] {
                assert!(!t.contains(ascii), "{t:?} writes {ascii}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tick_labels_read_as_people_write_them() {
        assert_eq!(fmt_tick(1000.0), "1000");
        assert_eq!(fmt_tick(-0.0), "0");
        assert_eq!(fmt_tick(-1e-12), "0");
        assert_eq!(fmt_tick(0.5), "0.5");
        assert_eq!(fmt_tick(2.25), "2.25");
        assert_eq!(fmt_tick(-3.0), "-3");
        assert_eq!(fmt_tick(250.0), "250");
        assert_eq!(fmt_tick(0.30000001192092896), "0.3");
        assert_eq!(fmt_tick(0.0125), "0.013");
        assert_eq!(fmt_tick(12.5), "12.5");
        assert_eq!(fmt_tick(2e-5), "2e-5");
        assert_eq!(fmt_tick(150000.0), "1.5e5");
        assert_eq!(fmt_tick(f64::NAN), "");
        for v in [
            -2.0, -1.5, -0.5, -0.001, 0.0, 0.001, 1.0, 999.0, 1000.0, 12345.0,
        ] {
            let s = fmt_tick(v);
            assert!(!s.ends_with(".0") && s != "-0", "{v} -> {s}");
            assert!(!s.contains(".0e") && !s.ends_with('.'), "{v} -> {s}");
        }
    }

    #[test]
    fn log_ticks_are_plain_decades_near_one_and_short_exponents_elsewhere() {
        assert_eq!(fmt_log_tick(1.0), "1");
        assert_eq!(fmt_log_tick(0.01), "0.01");
        assert_eq!(fmt_log_tick(1000.0), "1000");
        assert_eq!(fmt_log_tick(1e-5), "1e-5");
        assert_eq!(fmt_log_tick(2e-3), "2e-3");
        assert_eq!(fmt_log_tick(1e6), "1e6");
        assert_eq!(fmt_log_tick(0.0), "");
        assert_eq!(fmt_log_tick(-1.0), "");
    }

    #[test]
    fn palette_contrasts_with_both_backgrounds() {
        for dark in [false, true] {
            let t = Theme::new(dark);
            assert!(contrast(t.fg, t.bg) >= 7.0, "text, dark={dark}");
            assert!(contrast(t.muted, t.bg) >= 4.5, "muted text, dark={dark}");
            assert!(contrast(t.error, t.bg) >= 4.5, "error text, dark={dark}");
            // Grid lines are visible but quieter than any curve.
            let g = contrast(t.grid, t.bg);
            assert!((1.1..2.0).contains(&g), "grid {g}, dark={dark}");
            for hue in Hue::ALL {
                let c = contrast(t.color(hue), t.bg);
                assert!(c >= 3.0, "{hue:?} only {c:.2}:1 on dark={dark}");
            }
            // Hues stay apart from each other (no two series look alike).
            for (i, a) in Hue::ALL.iter().enumerate() {
                for b in &Hue::ALL[i + 1..] {
                    let (p, q) = (t.color(*a), t.color(*b));
                    let dist = (i32::from(p.0) - i32::from(q.0)).abs()
                        + (i32::from(p.1) - i32::from(q.1)).abs()
                        + (i32::from(p.2) - i32::from(q.2)).abs();
                    assert!(dist >= 60, "{a:?} and {b:?} too close, dark={dark}");
                }
            }
        }
        assert_eq!(
            contrast(RGBColor(0, 0, 0), RGBColor(255, 255, 255)).round(),
            21.0
        );
        assert_eq!(Theme::dark().bg, crate::page_colors(true).0);
        assert_eq!(Theme::light().fg, crate::page_colors(false).1);
    }

    #[test]
    fn no_font_is_below_the_minimum() {
        let t = Theme::light();
        for px in [4, 9, 10, 11, 16] {
            assert!(t.text(px).font.get_size() >= f64::from(MIN_FONT_PX));
        }
        for f in [t.tick_font(), t.label_font(), t.title_font()] {
            assert!(f.font.get_size() >= f64::from(MIN_FONT_PX));
        }
    }

    #[test]
    fn y_label_areas_fit_their_widest_label() {
        let t = Theme::light();
        // "1000" at 11 px: about 27 px, plus tick gap and the rotated description.
        let w = t.y_label_area(0.0, 1000.0);
        assert!(w >= text_width("1000", TICK_PX) + 10, "{w}");
        assert!(t.y_label_area(0.0, 1.0) < w, "short labels take less room");
        assert!(tick_labels(0.0, 1000.0, fmt_tick).contains(&"1000".to_string()));
        assert!(t.y_label_area_log(1e-6, 1.0) >= text_width("1e-6", TICK_PX));
        assert!(t.x_label_area(true) > t.x_label_area(false));
        assert!(text_width("100(", TICK_PX) >= 4 * 6);
    }

    #[test]
    fn legends_go_to_the_emptiest_corner() {
        // A curve rising from lower left to upper right: the upper left is free.
        let rising: Vec<(f64, f64)> = (0..=100).map(|i| (i as f64, i as f64)).collect();
        let pos = legend_corner(&[&rising], (0.0, 100.0), (0.0, 100.0), (0.3, 0.2));
        assert!(matches!(pos, SeriesLabelPosition::UpperLeft), "{pos:?}");
        // A decaying loss curve fills the upper left: the upper right is free.
        let decay: Vec<(f64, f64)> = (0..=100)
            .map(|i| (i as f64, 100.0 * (-(i as f64) / 10.0).exp()))
            .collect();
        let pos = legend_corner(&[&decay], (0.0, 100.0), (0.0, 100.0), (0.3, 0.2));
        assert!(matches!(pos, SeriesLabelPosition::UpperRight), "{pos:?}");
        // Upper corners both busy (a plateau at the top): a lower corner.
        let top: Vec<(f64, f64)> = (0..=100).map(|i| (i as f64, 95.0)).collect();
        let pos = legend_corner(&[&top, &rising], (0.0, 100.0), (0.0, 100.0), (0.3, 0.2));
        assert!(matches!(pos, SeriesLabelPosition::LowerRight), "{pos:?}");
        let f = legend_frac(&["signal", "noise"], (300, 200));
        assert!(f.0 > 0.2 && f.0 < 0.5 && f.1 > 0.1 && f.1 < 0.4, "{f:?}");
    }

    #[test]
    fn messages_wrap_to_the_width() {
        let text = "training diverged at step 312: the loss became NaN. Lower the learning rate";
        let lines = wrap_text(text, 200, 14);
        assert!(lines.len() >= 3, "{lines:?}");
        for l in &lines {
            assert!(text_width(l, 14) <= 200 || !l.contains(' '), "{l}");
        }
        assert_eq!(lines.join(" "), text);
        assert!(is_narrow(375) && !is_narrow(760));
    }

    #[test]
    fn pairs_sit_side_by_side_when_wide_and_stack_when_narrow() {
        use plotters::backend::SVGBackend;
        let mut svg = String::new();
        let wide = SVGBackend::with_string(&mut svg, (760, 360)).into_drawing_area();
        let (a, b) = split_pair(&wide, 0.5);
        assert_eq!(
            (a.dim_in_pixel(), b.dim_in_pixel()),
            ((380, 360), (380, 360))
        );
        let mut svg2 = String::new();
        let narrow = SVGBackend::with_string(&mut svg2, (340, 700)).into_drawing_area();
        let (a, b) = split_pair(&narrow, 0.5);
        assert_eq!(
            (a.dim_in_pixel(), b.dim_in_pixel()),
            ((340, 350), (340, 350))
        );
        assert_eq!(pair_height(760, (760, 360), (300, 300)), 360);
        assert_eq!(pair_height(340, (760, 360), (300, 320)), 620);
    }
}
