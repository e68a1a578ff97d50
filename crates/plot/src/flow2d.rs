//! Plots of the 2D flow demo: the exact log-density heatmap with model samples and data on top
//! plus the NLL curve, and the warped base grid for the layer slider.

use crate::theme::{fmt_tick, Hue, Theme, LABEL_PX};
use crate::PlotError;
use gentutor_models::datasets2d::Bbox;
use gentutor_models::flow2d::Flow2dView;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Colour of data points x ~ p* (white reads on every colour of the heatmap).
pub const DATA_COLOR: RGBColor = RGBColor(255, 255, 255);
/// Hue of model samples x = T(u).
pub const SAMPLE: Hue = Hue::Vermillion;
/// Hue of the NLL curve.
pub const NLL: Hue = Hue::Blue;
/// Hue of warped points (and of the points on the drawing pad).
pub const POINT: Hue = Hue::Blue;

/// Canvas height (CSS px) of the main flow canvas `w` px wide: a square heatmap as wide as the
/// canvas allows (equal axis scales) above the NLL curve.
pub fn canvas_height(w: u32) -> u32 {
    let side = w.saturating_sub(2 * 6 + 30);
    side + 24 + 22 + 12 + 190
}
/// The heatmap shows log q over this many nats below its maximum (lower values are clipped),
/// so thin high-density ridges and the low-density gaps are both visible.
pub const LOG_RANGE: f32 = 12.0;

/// Viridis-like colour map, t in [0, 1] (dark purple -> blue -> green -> yellow).
pub fn colormap(t: f32) -> RGBColor {
    const STOPS: [(f32, f32, f32); 5] = [
        (68.0, 1.0, 84.0),
        (59.0, 82.0, 139.0),
        (33.0, 145.0, 140.0),
        (94.0, 201.0, 98.0),
        (253.0, 231.0, 37.0),
    ];
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let x = t * (STOPS.len() - 1) as f32;
    let i = (x.floor() as usize).min(STOPS.len() - 2);
    let f = x - i as f32;
    let (a, b) = (STOPS[i], STOPS[i + 1]);
    let lerp = |p: f32, q: f32| (p + f * (q - p)).round() as u8;
    RGBColor(lerp(a.0, b.0), lerp(a.1, b.1), lerp(a.2, b.2))
}

/// The part of `area` on which a chart with `margin` px all round, a `y_label` px wide label
/// area on the left and an `x_label` px tall one below has a plotting rectangle of aspect
/// `x_span : y_span`, centred: 2D plots keep equal axis scales, so a circle stays a circle
/// whatever the canvas's shape.
pub fn equal_aspect<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    x_span: f32,
    y_span: f32,
    (margin, x_label, y_label): (u32, u32, u32),
) -> DrawingArea<DB, Shift> {
    let (w, h) = area.dim_in_pixel();
    let pw = w.saturating_sub(2 * margin + y_label) as f32;
    let ph = h.saturating_sub(2 * margin + x_label) as f32;
    let ratio = if x_span > 0.0 && y_span > 0.0 && x_span.is_finite() && y_span.is_finite() {
        x_span / y_span
    } else {
        1.0
    };
    if pw <= 0.0 || ph <= 0.0 {
        return area.clone();
    }
    if pw / ph > ratio {
        let extra = (pw - ph * ratio).floor() as u32;
        area.margin(0, 0, extra / 2, extra - extra / 2)
    } else {
        let extra = (ph - pw / ratio).floor() as u32;
        area.margin(extra / 2, extra - extra / 2, 0, 0)
    }
}

fn in_box(b: &Bbox, p: &[f32; 2]) -> bool {
    p[0] >= b.x_min && p[0] <= b.x_max && p[1] >= b.y_min && p[1] <= b.y_max
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

/// Draws the flow view into `area`: above, the heatmap of log q_θ(x) (colour-mapped over the
/// top [`LOG_RANGE`] nats) with data (white) and model samples; below, the minibatch NLL per
/// step. A diverged view adds the message above the plots.
pub fn draw_flow2d<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    view: &Flow2dView,
    theme: &Theme,
) -> Result<(), PlotError> {
    theme.fill(area)?;
    let area = match &view.diverged {
        Some(msg) => theme.banner(area, msg)?,
        None => area.clone(),
    };
    // Heatmap above, the NLL curve below: a square heatmap needs the canvas's full width.
    let (_, h) = area.dim_in_pixel();
    let nll_h = (h / 3).clamp(150, 200);
    let (top, bottom) = area.split_vertically(h.saturating_sub(nll_h));
    draw_heatmap(&top, view, theme)?;
    draw_nll(&bottom, view, theme)?;
    area.present()?;
    Ok(())
}

fn draw_heatmap<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    v: &Flow2dView,
    theme: &Theme,
) -> Result<(), PlotError> {
    let b = if v.bbox.is_valid() {
        v.bbox
    } else {
        Bbox::square(3.0)
    };
    let area = area.titled(
        &format!("log q_θ(x) at step {}", v.step),
        theme.title_font(),
    )?;
    let sizes = (6, theme.x_label_area(false), 30);
    let area = equal_aspect(&area, b.x_max - b.x_min, b.y_max - b.y_min, sizes);
    let mut chart = ChartBuilder::on(&area)
        .margin(sizes.0)
        .x_label_area_size(sizes.1)
        .y_label_area_size(sizes.2)
        .build_cartesian_2d(b.x_min..b.x_max, b.y_min..b.y_max)?;
    theme
        .mesh(&mut chart.configure_mesh())
        .disable_mesh()
        .x_labels(5)
        .y_labels(5)
        .x_label_formatter(&|v| fmt_tick(f64::from(*v)))
        .y_label_formatter(&|v| fmt_tick(f64::from(*v)))
        .draw()?;
    let (nx, ny) = (v.nx, v.ny);
    if nx > 0 && ny > 0 && v.log_density.len() == nx * ny {
        let hi = v
            .log_density
            .iter()
            .copied()
            .filter(|l| l.is_finite())
            .fold(f32::NEG_INFINITY, f32::max);
        let lo = hi - LOG_RANGE;
        let (dx, dy) = (
            (b.x_max - b.x_min) / nx as f32,
            (b.y_max - b.y_min) / ny as f32,
        );
        chart.draw_series(v.log_density.iter().enumerate().map(|(k, &l)| {
            let (i, j) = ((k % nx) as f32, (k / nx) as f32);
            let x0 = b.x_min + i * dx;
            let y0 = b.y_min + j * dy;
            let t = if l.is_finite() && hi.is_finite() {
                (l - lo) / LOG_RANGE
            } else {
                0.0
            };
            Rectangle::new([(x0, y0), (x0 + dx, y0 + dy)], colormap(t).filled())
        }))?;
    }
    chart
        .draw_series(
            v.data
                .iter()
                .filter(|p| in_box(&b, p))
                .map(|p| Circle::new((p[0], p[1]), 1, DATA_COLOR.mix(0.7).filled())),
        )?
        .label("data x ~ p*")
        .legend(|(x, y)| Circle::new((x + 8, y), 3, DATA_COLOR.filled()));
    let sample = theme.color(SAMPLE);
    chart
        .draw_series(
            v.samples
                .iter()
                .filter(|p| in_box(&b, p))
                .map(move |p| Circle::new((p[0], p[1]), 2, sample.filled())),
        )?
        .label("samples x = T(u)")
        .legend(move |(x, y)| Circle::new((x + 8, y), 3, sample.filled()));
    // The legend sits on the heatmap's dark background (most of the box has low density);
    // its own box keeps it readable where it does not.
    chart
        .configure_series_labels()
        .position(plotters::chart::SeriesLabelPosition::UpperLeft)
        .background_style(RGBColor(0, 0, 0).mix(0.55))
        .border_style(RGBColor(0, 0, 0).mix(0.0))
        .label_font(theme.text_in(LABEL_PX, DATA_COLOR))
        .draw()?;
    Ok(())
}

fn draw_nll<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    v: &Flow2dView,
    theme: &Theme,
) -> Result<(), PlotError> {
    let pts: Vec<(f32, f32)> = v
        .nll_history
        .iter()
        .filter(|p| p[0].is_finite() && p[1].is_finite())
        .map(|p| (p[0], p[1]))
        .collect();
    let (x0, x1) = finite_range(pts.iter().map(|p| p.0));
    let (y0, y1) = finite_range(pts.iter().map(|p| p.1).chain([v.eval_nll]));
    let caption = if v.eval_nll.is_finite() {
        format!("negative log-likelihood (nats), held out {:.3}", v.eval_nll)
    } else {
        "negative log-likelihood (nats)".to_string()
    };
    let mut chart = theme
        .chart(area, &caption)
        .x_label_area_size(theme.x_label_area(true))
        .y_label_area_size(theme.y_label_area(f64::from(y0), f64::from(y1)))
        .build_cartesian_2d(x0.max(0.0)..x1, y0..y1)?;
    theme
        .mesh(&mut chart.configure_mesh())
        .x_desc("step")
        .x_labels(4)
        .y_labels(4)
        .x_label_formatter(&|v| fmt_tick(f64::from(*v)))
        .y_label_formatter(&|v| fmt_tick(f64::from(*v)))
        .draw()?;
    chart.draw_series(LineSeries::new(pts, theme.line(NLL)))?;
    Ok(())
}

/// Draws one stage of the layer slider: the warped grid lines (from
/// [`gentutor_models::flow2d::Flow2d::warp_grid`]) and the warped points (one stage of
/// [`gentutor_models::flow2d::Flow2d::warp_stages`], shape (B, 2)) inside the fixed box
/// `bbox`, so the axes do not jump while the slider moves. Non-finite points are skipped.
pub fn draw_flow_warp<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    points: ndarray::ArrayView2<'_, f32>,
    grid_lines: &[Vec<[f32; 2]>],
    bbox: Bbox,
    theme: &Theme,
) -> Result<(), PlotError> {
    theme.fill(area)?;
    let b = if bbox.is_valid() {
        bbox
    } else {
        Bbox::square(3.0)
    };
    let sizes = (6, theme.x_label_area(false), 30);
    let square = equal_aspect(area, b.x_max - b.x_min, b.y_max - b.y_min, sizes);
    let mut chart = ChartBuilder::on(&square)
        .margin(sizes.0)
        .x_label_area_size(sizes.1)
        .y_label_area_size(sizes.2)
        .build_cartesian_2d(b.x_min..b.x_max, b.y_min..b.y_max)?;
    theme
        .mesh(&mut chart.configure_mesh())
        .disable_mesh()
        .x_labels(5)
        .y_labels(5)
        .x_label_formatter(&|v| fmt_tick(f64::from(*v)))
        .y_label_formatter(&|v| fmt_tick(f64::from(*v)))
        .draw()?;
    let plot_area = chart.plotting_area().clone();
    for line in grid_lines {
        // Split a line where it leaves the finite range; plotters clips to the box.
        let seg: Vec<(f32, f32)> = line
            .iter()
            .filter(|p| p[0].is_finite() && p[1].is_finite())
            .map(|p| (p[0], p[1]))
            .collect();
        if seg.len() >= 2 {
            plot_area.draw(&PathElement::new(seg, theme.muted.mix(0.7).stroke_width(1)))?;
        }
    }
    if points.ncols() >= 2 {
        chart.draw_series(
            points
                .outer_iter()
                .map(|r| [r[0], r[1]])
                .filter(|p| in_box(&b, p))
                .map(|p| Circle::new((p[0], p[1]), 2, theme.color(POINT).filled())),
        )?;
    }
    area.present()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use gentutor_models::flow2d::{Config, Flow2d};

    fn count(svg: &str, needle: &str) -> usize {
        svg.matches(needle).count()
    }

    #[test]
    fn colormap_endpoints_and_garbage() {
        assert_eq!(colormap(0.0), RGBColor(68, 1, 84));
        assert_eq!(colormap(1.0), RGBColor(253, 231, 37));
        assert_eq!(colormap(f32::NAN), colormap(0.0));
        assert_eq!(colormap(7.0), colormap(1.0));
        assert_ne!(colormap(0.5), colormap(0.25));
    }

    #[test]
    fn flow_view_draws_heatmap_points_and_curve() {
        let mut f = Flow2d::new(
            Config {
                layers: 2,
                hidden: 8,
                ..Config::default()
            },
            1,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        f.step(5).unwrap_or_else(|e| panic!("{e}"));
        let v = f.view(10, 12);
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (800, 400)).into_drawing_area();
            draw_flow2d(&root, &v, &Theme::light()).unwrap_or_else(|e| panic!("{e}"));
        }
        // 120 heatmap cells (plus the background and frame rects).
        assert!(
            count(&svg, "<rect") >= 120,
            "{} rects",
            count(&svg, "<rect")
        );
        // Data and samples drawn as circles (most of both lie inside the box).
        assert!(
            count(&svg, "<circle") > 800,
            "{} circles",
            count(&svg, "<circle")
        );
        assert!(svg.contains("<polyline"), "NLL curve missing");
        assert!(svg.contains("log q_θ(x)") && svg.contains("negative log-likelihood"));
        assert!(svg.contains("samples x = T(u)") && svg.contains("data x ~ p*"));
        crate::theme::svg_checks::assert_readable(&svg);
        // Both ends of the colour map appear (the heatmap spans the range).
        assert!(
            svg.contains("#FDE725") || svg.contains("#fde725"),
            "no yellow peak"
        );
        // A diverged view shows its message.
        let mut dv = v.clone();
        dv.diverged = Some("training diverged at step 3".into());
        let mut svg2 = String::new();
        {
            let root = SVGBackend::with_string(&mut svg2, (800, 400)).into_drawing_area();
            draw_flow2d(&root, &dv, &Theme::dark()).unwrap_or_else(|e| panic!("{e}"));
        }
        assert!(svg2.contains("training diverged at step 3"));
        // Garbage view (mismatched grid, NaN values, empty history) still draws.
        dv.log_density = vec![f32::NAN; 3];
        dv.nll_history.clear();
        dv.eval_nll = f32::NAN;
        dv.samples.push([f32::NAN, 1.0]);
        let mut svg3 = String::new();
        let root = SVGBackend::with_string(&mut svg3, (300, 200)).into_drawing_area();
        assert!(draw_flow2d(&root, &dv, &Theme::light()).is_ok());
    }

    /// The (width, height) of every heatmap cell drawn: `<rect>`s of the colour map's colours.
    fn cell_sizes(svg: &str) -> Vec<(f32, f32)> {
        let attr = |l: &str, k: &str| -> Option<f32> {
            let i = l.find(&format!(" {k}=\""))? + k.len() + 3;
            l[i..].split('"').next()?.parse().ok()
        };
        svg.lines()
            .filter(|l| l.starts_with("<rect") && l.contains("fill=\"#") && !l.contains("#FFFFFF"))
            .filter_map(|l| Some((attr(l, "width")?, attr(l, "height")?)))
            .collect()
    }

    /// The flow's density plot keeps equal axis scales on a tall canvas (it was ~200 px wide
    /// and 390 px tall for -3..3 on both axes) and on a wide one.
    #[test]
    fn heatmap_keeps_equal_axis_scales() {
        let f = Flow2d::new(
            Config {
                layers: 2,
                hidden: 8,
                ..Config::default()
            },
            1,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let v = f.view(12, 12);
        let b = v.bbox;
        assert!(
            ((b.x_max - b.x_min) - (b.y_max - b.y_min)).abs() < 1e-6,
            "{b:?}"
        );
        for dims in [(560u32, 620u32), (300, 700), (900, 400)] {
            let mut svg = String::new();
            {
                let root = SVGBackend::with_string(&mut svg, dims).into_drawing_area();
                draw_flow2d(&root, &v, &Theme::light()).unwrap_or_else(|e| panic!("{e}"));
            }
            let cells = cell_sizes(&svg);
            assert!(cells.len() >= 144, "{dims:?}: {} cells", cells.len());
            let (w, h) = cells
                .iter()
                .fold((0.0, 0.0), |(a, b), c| (a + c.0, b + c.1));
            let ratio = w / h;
            assert!(
                (ratio - 1.0).abs() < 0.05,
                "{dims:?}: cells {w} wide vs {h} tall"
            );
        }
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (300, 700)).into_drawing_area();
            let u = f.base_points(20);
            let lines = f.warp_grid(4, 2);
            draw_flow_warp(&root, u.view(), &lines, Bbox::square(3.0), &Theme::light())
                .unwrap_or_else(|e| panic!("{e}"));
        }
        // The warp view's frame is square too: its mesh frame is the one <rect> with no fill.
        assert!(svg.contains("<circle"));
    }

    #[test]
    fn warp_plot_draws_lines_and_points() {
        let f = Flow2d::new(
            Config {
                layers: 3,
                hidden: 8,
                ..Config::default()
            },
            2,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let u = f.base_points(50);
        let stages = f.warp_stages(u.view());
        let lines = f.warp_grid(6, 3);
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (400, 400)).into_drawing_area();
            draw_flow_warp(
                &root,
                stages[3].view(),
                &lines,
                f.config().dataset.bbox(),
                &Theme::light(),
            )
            .unwrap_or_else(|e| panic!("{e}"));
        }
        assert!(count(&svg, "<polyline") >= 12, "grid lines missing");
        assert!(count(&svg, "<circle") >= 40, "points missing");
        let mut svg2 = String::new();
        let root = SVGBackend::with_string(&mut svg2, (400, 400)).into_drawing_area();
        let bad_box = Bbox {
            x_min: 1.0,
            x_max: -1.0,
            y_min: 0.0,
            y_max: 1.0,
        };
        let nanpts = ndarray::Array2::from_elem((3, 2), f32::NAN);
        assert!(draw_flow_warp(
            &root,
            nanpts.view(),
            &[vec![[f32::NAN, 0.0]]],
            bad_box,
            &Theme::dark()
        )
        .is_ok());
    }
}

/// Most points a drawing may hold.
pub const PAD_MAX_POINTS: usize = 2000;
/// A drag adds a point each time the pointer has moved this far (data units) from the last.
pub const PAD_SPACING: f32 = 0.12;
/// One arrow-key press moves the keyboard cursor this far (data units); Shift moves 5 times.
pub const PAD_KEY_STEP: f32 = 0.1;

/// The drawing pad's state: points, a drag in progress, and a cursor for the keyboard.
/// Pointer: press adds a point, dragging adds points along the path every [`PAD_SPACING`].
/// Keyboard: arrows move the cursor (Shift: 5 steps), Enter or Space adds a point at it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Pad {
    /// The drawn points, in data coordinates inside `[-half, half]²`.
    pub points: Vec<[f32; 2]>,
    /// The keyboard cursor.
    pub cursor: [f32; 2],
    /// The last point of a drag in progress.
    drag_from: Option<[f32; 2]>,
}

impl Pad {
    /// A pad holding `points` (e.g. a drawing read back from the link).
    pub fn with_points(points: Vec<[f32; 2]>) -> Pad {
        Pad {
            points,
            ..Pad::default()
        }
    }

    fn add(&mut self, p: [f32; 2]) {
        if self.points.len() < PAD_MAX_POINTS && p.iter().all(|v| v.is_finite()) {
            self.points.push(p);
        }
    }

    /// The pointer went down at `p`: one point there, and a drag starts.
    pub fn press(&mut self, p: [f32; 2]) {
        self.add(p);
        self.cursor = p;
        self.drag_from = Some(p);
    }

    /// The pointer moved to `p`: while dragging, points along the way every [`PAD_SPACING`]
    /// (a fast move between two events still leaves an evenly spaced line).
    pub fn drag(&mut self, p: [f32; 2]) {
        let Some(mut from) = self.drag_from else {
            return;
        };
        let (dx, dy) = (p[0] - from[0], p[1] - from[1]);
        let dist = (dx * dx + dy * dy).sqrt();
        if !dist.is_finite() {
            return;
        }
        let steps = (dist / PAD_SPACING).floor() as usize;
        for _ in 0..steps.min(PAD_MAX_POINTS) {
            from = [
                from[0] + dx / dist * PAD_SPACING,
                from[1] + dy / dist * PAD_SPACING,
            ];
            self.add(from);
        }
        self.drag_from = Some(from);
        self.cursor = from;
    }

    /// The pointer went up or left the pad.
    pub fn release(&mut self) {
        self.drag_from = None;
    }

    /// A key on the focused pad (`KeyboardEvent.key`); true when it was used (so the page
    /// should not scroll). The cursor stays inside `[-half, half]²`.
    pub fn key(&mut self, key: &str, shift: bool, half: f32) -> bool {
        let step = if shift {
            5.0 * PAD_KEY_STEP
        } else {
            PAD_KEY_STEP
        };
        let (dx, dy) = match key {
            "ArrowLeft" => (-step, 0.0),
            "ArrowRight" => (step, 0.0),
            "ArrowUp" => (0.0, step),
            "ArrowDown" => (0.0, -step),
            "Enter" | " " => {
                self.add(self.cursor);
                return true;
            }
            _ => return false,
        };
        self.cursor = [
            (self.cursor[0] + dx).clamp(-half, half),
            (self.cursor[1] + dy).clamp(-half, half),
        ];
        true
    }
}

/// The drawing pad where learners place their own data points: the square `[-half, half]²`
/// mapped onto the whole area with no margins, so a click at pixel (px, py) of a `w × h` area
/// is the point [`pad_to_data`] returns. `cursor`, if any, is drawn as a cross (the keyboard's
/// position).
pub fn draw_pad<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    points: &[[f32; 2]],
    half: f32,
    cursor: Option<[f32; 2]>,
    theme: &Theme,
) -> Result<(), PlotError> {
    theme.fill(area)?;
    let (w, h) = area.dim_in_pixel();
    let to_px = |p: [f32; 2]| -> (i32, i32) {
        let x = (p[0] + half) / (2.0 * half) * w as f32;
        let y = (half - p[1]) / (2.0 * half) * h as f32;
        (x.round() as i32, y.round() as i32)
    };
    let grid = theme.grid;
    let mut v = -half.floor();
    while v <= half {
        area.draw(&PathElement::new(
            vec![to_px([v, -half]), to_px([v, half])],
            grid,
        ))?;
        area.draw(&PathElement::new(
            vec![to_px([-half, v]), to_px([half, v])],
            grid,
        ))?;
        v += 1.0;
    }
    for p in points
        .iter()
        .filter(|p| p[0].is_finite() && p[1].is_finite())
    {
        area.draw(&Circle::new(to_px(*p), 4, theme.color(POINT).filled()))?;
    }
    if let Some(c) = cursor.filter(|c| c.iter().all(|v| v.is_finite())) {
        let (x, y) = to_px(c);
        let ink = theme.color(Hue::Vermillion).stroke_width(2);
        area.draw(&PathElement::new(vec![(x - 9, y), (x + 9, y)], ink))?;
        area.draw(&PathElement::new(vec![(x, y - 9), (x, y + 9)], ink))?;
    }
    Ok(())
}

/// Data coordinates of pixel (px, py) on a `w × h` pad drawn by [`draw_pad`].
pub fn pad_to_data(px: f64, py: f64, w: f64, h: f64, half: f32) -> [f32; 2] {
    let (w, h) = (w.max(1.0), h.max(1.0));
    let x = (px / w) as f32 * 2.0 * half - half;
    let y = half - (py / h) as f32 * 2.0 * half;
    [x.clamp(-half, half), y.clamp(-half, half)]
}

#[cfg(test)]
mod pad_tests {
    use super::*;
    use plotters::backend::SVGBackend;

    /// Issue 18: a drag added one point. Now it adds points along its path, evenly spaced.
    #[test]
    fn a_drag_adds_points_along_its_path() {
        let mut pad = Pad::default();
        pad.press([-1.0, 0.0]);
        pad.drag([-0.5, 0.0]);
        pad.drag([1.0, 0.0]); // a fast move: one event for 1.5 units
        pad.release();
        let n = pad.points.len();
        assert_eq!(
            n,
            1 + (2.0 / PAD_SPACING).floor() as usize,
            "{:?}",
            pad.points
        );
        for w in pad.points.windows(2) {
            let d = ((w[1][0] - w[0][0]).powi(2) + (w[1][1] - w[0][1]).powi(2)).sqrt();
            assert!((d - PAD_SPACING).abs() < 1e-3, "gap {d}");
        }
        // Moving without a press draws nothing.
        pad.drag([2.0, 2.0]);
        assert_eq!(pad.points.len(), n);
        // Never more than the cap, never a NaN.
        pad.press([0.0, 0.0]);
        pad.drag([f32::NAN, 0.0]);
        for i in 0..5000 {
            pad.drag([(i % 2) as f32 * 2.0, 0.0]);
        }
        assert_eq!(pad.points.len(), PAD_MAX_POINTS);
    }

    /// The keyboard path: arrows move the cursor inside the pad, Enter and Space add points.
    #[test]
    fn the_keyboard_moves_a_cursor_and_adds_points() {
        let mut pad = Pad::with_points(vec![[0.5, 0.5]]);
        assert!(pad.key("ArrowRight", false, 3.0));
        assert!(pad.key("ArrowUp", true, 3.0));
        assert!(pad.key("Enter", false, 3.0));
        assert!(pad.key(" ", false, 3.0));
        assert!(!pad.key("a", false, 3.0));
        assert_eq!(pad.points.len(), 3);
        let c = pad.points[1];
        assert!((c[0] - PAD_KEY_STEP).abs() < 1e-6 && (c[1] - 5.0 * PAD_KEY_STEP).abs() < 1e-6);
        for _ in 0..100 {
            pad.key("ArrowLeft", true, 3.0);
        }
        assert_eq!(pad.cursor[0], -3.0);
        let mut svg = String::new();
        {
            let area = SVGBackend::with_string(&mut svg, (300, 300)).into_drawing_area();
            draw_pad(&area, &pad.points, 3.0, Some(pad.cursor), &Theme::light()).expect("draws");
        }
        assert!(svg.contains("#D55E00"), "the cursor is drawn");
    }

    #[test]
    fn pad_pixels_map_to_data_and_back() {
        assert_eq!(pad_to_data(0.0, 0.0, 300.0, 300.0, 3.0), [-3.0, 3.0]);
        assert_eq!(pad_to_data(150.0, 150.0, 300.0, 300.0, 3.0), [0.0, 0.0]);
        assert_eq!(pad_to_data(300.0, 300.0, 300.0, 300.0, 3.0), [3.0, -3.0]);
        // Outside the pad clamps; a zero-size pad does not divide by zero.
        assert_eq!(pad_to_data(-50.0, 900.0, 300.0, 300.0, 3.0), [-3.0, -3.0]);
        assert!(pad_to_data(1.0, 1.0, 0.0, 0.0, 3.0)
            .iter()
            .all(|v| v.is_finite()));
    }

    #[test]
    fn pad_draws_one_dot_per_finite_point() {
        let mut svg = String::new();
        {
            let area = SVGBackend::with_string(&mut svg, (300, 300)).into_drawing_area();
            draw_pad(
                &area,
                &[[0.0, 0.0], [1.0, -1.0], [f32::NAN, 0.0]],
                3.0,
                None,
                &Theme::dark(),
            )
            .expect("draws");
        }
        assert_eq!(svg.matches("<circle").count(), 2, "{svg}");
    }
}
