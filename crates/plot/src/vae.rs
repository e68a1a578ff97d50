//! Plots of the VAE demo: the latent plane coloured by digit, decoded images across it, the
//! ELBO's two terms per step, and reconstructions (original, decoder mean, decoder sample).
//! Each panel draws on its own area so the page can give each a canvas; [`draw_vae`] lays all
//! four out on one area.

use crate::theme::{fmt_tick, Hue, Theme};
use crate::PlotError;
use gentutor_models::digits::SIDE;
use gentutor_models::vae::VaeView;
use plotters::coord::Shift;
use plotters::prelude::*;

/// One colour per digit 0-9 (the Tableau 10 palette: distinct in light and dark print).
pub const DIGIT_COLORS: [RGBColor; 10] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
    RGBColor(188, 189, 34),
    RGBColor(23, 190, 207),
];
/// Hue of the reconstruction curve.
pub const RECON: Hue = Hue::Blue;
/// Hue of the KL curve.
pub const KL: Hue = Hue::Vermillion;
/// Pixels below this value are left as background (most of an 8x8 digit is blank).
const BLANK: f32 = 0.02;

/// Background, text, grid-line and frame colours for a light or a dark page (the same
/// background as the other demos' dark plots).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Palette {
    pub bg: RGBColor,
    pub fg: RGBColor,
    pub grid: RGBColor,
    pub frame: RGBColor,
    /// Colour of a pixel at 1 (ink); a pixel at 0 is `bg`.
    pub ink: RGBColor,
}

impl Palette {
    /// The [`Theme`]'s colours, plus the ink of the digit images.
    pub fn new(dark: bool) -> Palette {
        let t = Theme::new(dark);
        Palette {
            bg: t.bg,
            fg: t.fg,
            grid: t.grid,
            frame: t.frame,
            ink: if dark {
                RGBColor(245, 245, 245)
            } else {
                RGBColor(20, 20, 20)
            },
        }
    }

    /// The colour of a pixel value in [0, 1], from background to ink (NaN is background).
    pub fn pixel(&self, p: f32) -> RGBColor {
        let p = if p.is_finite() {
            p.clamp(0.0, 1.0)
        } else {
            0.0
        };
        let mix = |a: u8, b: u8| (a as f32 + p * (b as f32 - a as f32)).round() as u8;
        RGBColor(
            mix(self.bg.0, self.ink.0),
            mix(self.bg.1, self.ink.1),
            mix(self.bg.2, self.ink.2),
        )
    }

    fn font(&self, size: u32) -> TextStyle<'static> {
        Theme::new(self.bg != WHITE).text_in(size, self.fg)
    }
}

/// The colour of digit `d` (grey for anything out of range).
pub fn digit_color(d: u8) -> RGBColor {
    DIGIT_COLORS
        .get(d as usize)
        .copied()
        .unwrap_or(RGBColor(0, 0, 0))
}

/// Draws one 8x8 image with its top-left corner at (x, y), `cell` pixels per image pixel, and a
/// thin frame.
fn draw_image<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
    cell: i32,
    pixels: &[f32],
    pal: &Palette,
) -> Result<(), PlotError> {
    let side = SIDE as i32 * cell;
    area.draw(&Rectangle::new(
        [(x - 1, y - 1), (x + side, y + side)],
        pal.frame.stroke_width(1),
    ))?;
    // NaN counts as blank too.
    let ink = |k: usize| {
        pixels
            .get(k)
            .filter(|p| !p.is_nan() && **p > BLANK)
            .map(|&p| pal.pixel(p))
    };
    // One rectangle per horizontal run of equal colour, not per pixel: the grid's ~7,000
    // rectangles were most of the page's drawing time (same picture, see the test).
    for r in 0..SIDE {
        let mut c = 0;
        while c < SIDE {
            let Some(colour) = ink(r * SIDE + c) else {
                c += 1;
                continue;
            };
            let mut end = c + 1;
            while end < SIDE && ink(r * SIDE + end) == Some(colour) {
                end += 1;
            }
            let (x0, x1, y0) = (
                x + c as i32 * cell,
                x + end as i32 * cell,
                y + r as i32 * cell,
            );
            area.draw(&Rectangle::new(
                [(x0, y0), (x1, y0 + cell)],
                colour.filled(),
            ))?;
            c = end;
        }
    }
    Ok(())
}

/// The latent plane: the encoder's mean mu(x) of every held-out image, coloured by its digit,
/// with a legend of the colours along the top.
pub fn draw_vae_latent<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    v: &VaeView,
    dark: bool,
) -> Result<(), PlotError> {
    let pal = Palette::new(dark);
    area.fill(&pal.bg)?;
    let e = if v.extent.is_finite() && v.extent > 0.0 {
        v.extent
    } else {
        3.0
    };
    let (legend, rest) = area.split_vertically(22);
    let (w, _) = legend.dim_in_pixel();
    let step = (w as i32 - 20).max(100) / 10;
    for d in 0..10u8 {
        legend.draw(&Text::new(
            d.to_string(),
            (10 + step * d as i32 + step / 2, 4),
            Theme::new(dark).text_in(15, digit_color(d)),
        ))?;
    }
    let mut chart = ChartBuilder::on(&rest)
        .caption("latent means μ(x) of test digits", pal.font(13))
        .margin(6)
        .x_label_area_size(20)
        .y_label_area_size(26)
        .build_cartesian_2d(-e..e, -e..e)?;
    chart
        .configure_mesh()
        .x_labels(5)
        .y_labels(5)
        .x_label_formatter(&|v| fmt_tick(f64::from(*v)))
        .y_label_formatter(&|v| fmt_tick(f64::from(*v)))
        .light_line_style(pal.grid)
        .bold_line_style(pal.frame)
        .axis_style(pal.frame)
        .label_style(pal.font(11))
        .draw()?;
    let inside = |p: &[f32; 2]| p.iter().all(|c| c.is_finite() && c.abs() <= e);
    chart.draw_series(
        v.latent
            .iter()
            .filter(|(p, _)| inside(p))
            .map(|(p, d)| Circle::new((p[0], p[1]), 3, digit_color(*d).filled())),
    )?;
    Ok(())
}

/// Where the decoded grid goes in a `w` x `h` panel: below the title, centred, with
/// [`GRID_MARGIN`] px left at the sides and below (with 2 px the bottom row touched the
/// panel's edge).
#[derive(Debug, Clone, Copy, PartialEq)]
struct GridLayout {
    /// Top-left corner of the first tile.
    x0: i32,
    y0: i32,
    /// Tile pitch (an image of `cell` px per pixel plus its 1 px frame on each side).
    tile: i32,
    cell: i32,
}

/// Title band above the decoded grid.
const GRID_TOP: i32 = 24;
const GRID_MARGIN: i32 = 6;

fn grid_layout(w: i32, h: i32, k: i32) -> GridLayout {
    let k = k.max(1);
    let avail = (w - 2 * GRID_MARGIN).min(h - GRID_TOP - GRID_MARGIN);
    let cell = ((avail / k - 2) / SIDE as i32).max(1);
    let tile = cell * SIDE as i32 + 2;
    // Whole pixels per cell leave some room: centre the grid in it.
    GridLayout {
        x0: (w - tile * k) / 2,
        y0: GRID_TOP + ((h - GRID_TOP - GRID_MARGIN - tile * k) / 2).max(0),
        tile,
        cell,
    }
}

/// Decoder means on a grid over the same window as the latent plane (z_1 to the right, z_2 up).
pub fn draw_vae_grid<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    v: &VaeView,
    dark: bool,
) -> Result<(), PlotError> {
    let pal = Palette::new(dark);
    area.fill(&pal.bg)?;
    let (w, h) = area.dim_in_pixel();
    let k = v.grid_side.max(1);
    // The long title fits from about 380 px; a phone gets the short one.
    let what = if w >= 380 {
        "decoder mean across the latent plane"
    } else {
        "decoder means"
    };
    area.draw(&Text::new(
        format!("{what}, z ∈ [−{0}, {0}]²", fmt_tick(f64::from(v.extent))),
        (6, 4),
        pal.font(13),
    ))?;
    let GridLayout { x0, y0, tile, cell } = grid_layout(w as i32, h as i32, k as i32);
    for (t, img) in v.grid.chunks(SIDE * SIDE).enumerate().take(k * k) {
        let (r, c) = ((t / k) as i32, (t % k) as i32);
        draw_image(
            area,
            (x0 + c * tile + 1, y0 + r * tile + 1),
            cell,
            img,
            &pal,
        )?;
    }
    Ok(())
}

fn curve<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    points: &[[f32; 2]],
    caption: String,
    color: RGBColor,
    x_desc: Option<&str>,
    pal: &Palette,
) -> Result<(), PlotError> {
    let pts: Vec<(f32, f32)> = points
        .iter()
        .filter(|p| p[0].is_finite() && p[1].is_finite())
        .map(|p| (p[0], p[1]))
        .collect();
    // From the first recorded step: a run from the 20,000-step checkpoint would otherwise be
    // a sliver at the right edge of an axis from 0.
    let x0 = pts.first().map_or(0.0, |p| p.0 - 1.0).max(0.0);
    let x1 = pts.last().map_or(1.0, |p| p.0).max(x0 + 1.0);
    let (mut lo, mut hi) = pts
        .iter()
        .fold((f32::INFINITY, f32::NEG_INFINITY), |(a, b), p| {
            (a.min(p.1), b.max(p.1))
        });
    if !(lo.is_finite() && hi.is_finite()) {
        (lo, hi) = (0.0, 1.0);
    }
    let pad = ((hi - lo) * 0.08).max(0.05);
    let theme = Theme::new(pal.bg != WHITE);
    let (y0, y1) = ((lo - pad).max(0.0), hi + pad);
    let mut chart = theme
        .chart(area, &caption)
        .x_label_area_size(theme.x_label_area(x_desc.is_some()))
        .y_label_area_size(theme.y_label_area(f64::from(y0), f64::from(y1)))
        .build_cartesian_2d(x0..x1, y0..y1)?;
    let mut mesh = chart.configure_mesh();
    mesh.x_labels(4)
        .y_labels(4)
        .x_label_formatter(&|v| fmt_tick(f64::from(*v)))
        .y_label_formatter(&|v| fmt_tick(f64::from(*v)))
        .light_line_style(pal.grid)
        .bold_line_style(pal.frame)
        .axis_style(pal.frame)
        .label_style(pal.font(11))
        .axis_desc_style(pal.font(12));
    if let Some(d) = x_desc {
        mesh.x_desc(d);
    }
    mesh.draw()?;
    chart.draw_series(LineSeries::new(pts, color.stroke_width(2)))?;
    Ok(())
}

/// The ELBO's two terms per training step, each on its own scale: the reconstruction term
/// E_q[-log p(x | z)] above, the KL(q(z | x) || p(z)) below. A diverged run shows its message.
pub fn draw_vae_curves<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    v: &VaeView,
    dark: bool,
) -> Result<(), PlotError> {
    let pal = Palette::new(dark);
    area.fill(&pal.bg)?;
    let area = match &v.diverged {
        Some(msg) => Theme::new(dark).banner(area, msg)?,
        None => area.clone(),
    };
    if v.recon.is_empty() {
        // A new run, or one from the checkpoint (whose curves were not shipped).
        return Theme::new(dark).message(
            &area,
            "Press Play or Step to train: the ELBO's two terms per step",
        );
    }
    let (w, h) = area.dim_in_pixel();
    let (upper, lower) = area.split_vertically(h / 2 - 6);
    let last = |p: &[[f32; 2]]| p.last().map_or(f32::NAN, |q| q[1]);
    let (r, k) = (last(&v.recon), last(&v.kl));
    // Captions short enough for a phone's width.
    let wide = w >= 420;
    curve(
        &upper,
        &v.recon,
        if wide {
            format!("reconstruction −log p(x|z): {r:.2} nats")
        } else {
            format!("reconstruction: {r:.2} nats")
        },
        Theme::new(dark).color(RECON),
        None,
        &pal,
    )?;
    curve(
        &lower,
        &v.kl,
        if wide {
            format!(
                "KL(q(z|x) ‖ p(z)): {k:.2} nats, β = {:.2}; ELBO {:.2}",
                v.beta,
                -(r + k)
            )
        } else {
            format!("KL: {k:.2} nats, β = {:.2}; ELBO {:.2}", v.beta, -(r + k))
        },
        Theme::new(dark).color(KL),
        Some("step"),
        &pal,
    )?;
    Ok(())
}

/// One held-out image per digit: the original, the decoder's mean for z = mu(x), and one sample
/// of the decoder's noise around that mean. The blur is in the mean; the sample adds the noise
/// the mean averages away.
pub fn draw_vae_recons<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    v: &VaeView,
    dark: bool,
) -> Result<(), PlotError> {
    let pal = Palette::new(dark);
    area.fill(&pal.bg)?;
    let (w, h) = area.dim_in_pixel();
    let n = v.recons.labels.len().max(1) as i32;
    let rows = [
        ("original", &v.recons.originals),
        ("decoder mean μ(z), z = μ(x)", &v.recons.means),
        (
            "a sample of p(x|z): the decoder's noise added",
            &v.recons.samples,
        ),
    ];
    // Each row: a label line above a strip of images, as wide as the area allows.
    let label_h = 16;
    let by_w = (w as i32 - 4) / n - 4;
    let by_h = (h as i32 - 4) / rows.len() as i32 - label_h - 6;
    let cell = (by_w.min(by_h) / SIDE as i32).max(1);
    let tile = cell * SIDE as i32 + 4;
    let x0 = (w as i32 - tile * n).max(0) / 2;
    for (ri, (name, imgs)) in rows.iter().enumerate() {
        let y = 4 + ri as i32 * (label_h + tile + 4);
        area.draw(&Text::new(name.to_string(), (x0 + 1, y), pal.font(13)))?;
        for (ci, img) in imgs.rows().into_iter().enumerate() {
            let px: Vec<f32> = img.iter().copied().collect();
            draw_image(
                area,
                (x0 + ci as i32 * tile + 2, y + label_h),
                cell,
                &px,
                &pal,
            )?;
        }
    }
    Ok(())
}

/// All four panels on one area: latent plane and decoded grid above, curves and
/// reconstructions below.
pub fn draw_vae<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    view: &VaeView,
    dark: bool,
) -> Result<(), PlotError> {
    area.fill(&Palette::new(dark).bg)?;
    let (w, h) = area.dim_in_pixel();
    let (top, bottom) = area.split_vertically(h * 3 / 5);
    let (tl, tr) = top.split_horizontally(w / 2);
    let (bl, br) = bottom.split_horizontally(w / 2);
    draw_vae_latent(&tl, view, dark)?;
    draw_vae_grid(&tr, view, dark)?;
    draw_vae_curves(&bl, view, dark)?;
    draw_vae_recons(&br, view, dark)?;
    area.present()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use gentutor_models::digits::Digits;
    use gentutor_models::vae::{VaeConfig, VaeTrainer};

    fn render(v: &VaeView, dark: bool) -> String {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (1000, 700)).into_drawing_area();
            draw_vae(&root, v, dark).unwrap_or_else(|e| panic!("{e}"));
        }
        svg
    }

    fn hex(c: RGBColor) -> String {
        format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
    }

    /// Runs of equal colour are merged into one rectangle each, and the picture is the same as
    /// one rectangle per pixel: every image cell gets the colour of its pixel (or none).
    #[test]
    fn image_runs_paint_every_pixel_its_colour() {
        let pal = Palette::new(false);
        let mut px = vec![0.0f32; SIDE * SIDE];
        px[0..5].fill(1.0); // one run of ink
        px[5] = 0.5;
        px[6] = f32::NAN;
        px[7] = 1.0;
        for (k, p) in px.iter_mut().enumerate().skip(SIDE) {
            *p = (k % 5) as f32 / 4.0; // blanks and runs of one or two
        }
        px[SIDE * 3..SIDE * 4].fill(0.75);
        let cell = 3;
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (40, 40)).into_drawing_area();
            draw_image(&root, (5, 5), cell, &px, &pal).unwrap_or_else(|e| panic!("{e}"));
        }
        // Paint the filled rectangles onto the 8x8 cells.
        let attr = |r: &str, name: &str| -> String {
            r.split(&format!(" {name}=\""))
                .nth(1)
                .and_then(|v| v.split('"').next())
                .unwrap_or("")
                .to_string()
        };
        let mut painted: Vec<Option<String>> = vec![None; SIDE * SIDE];
        let rects: Vec<&str> = svg
            .split("<rect")
            .skip(1)
            .filter(|r| !r.contains("fill=\"none\""))
            .collect();
        for r in &rects {
            let n = |name| {
                attr(r, name)
                    .parse::<i32>()
                    .unwrap_or_else(|_| panic!("{name} in {r}"))
            };
            let (x0, y0, w, h) = (n("x"), n("y"), n("width"), n("height"));
            assert_eq!(h, cell, "one row per rectangle: {r}");
            assert_eq!((x0 - 5) % cell, 0);
            for col in (x0 - 5) / cell..(x0 - 5 + w) / cell {
                let k = ((y0 - 5) / cell) as usize * SIDE + col as usize;
                assert!(painted[k].is_none(), "cell {k} painted twice");
                painted[k] = Some(attr(r, "fill"));
            }
        }
        for (k, &p) in px.iter().enumerate() {
            let want = (!p.is_nan() && p > BLANK).then(|| hex(pal.pixel(p)));
            assert_eq!(painted[k], want, "pixel {k} ({p})");
        }
        let inked = px.iter().filter(|p| !p.is_nan() && **p > BLANK).count();
        assert!(
            rects.len() < inked - 10,
            "{} rectangles for {inked} pixels",
            rects.len()
        );
    }

    #[test]
    fn the_decoded_grid_keeps_a_margin_inside_its_panel() {
        // Panel sizes from a 375 px phone to a 1280 px desktop, wide and tall, and the grid
        // sides the demo offers.
        for (w, h) in [
            (160, 200),
            (343, 300),
            (480, 340),
            (600, 300),
            (620, 420),
            (900, 380),
        ] {
            for k in [4, 8, 12] {
                let g = grid_layout(w, h, k);
                let (right, bottom) = (g.x0 + g.tile * k, g.y0 + g.tile * k);
                let at = format!("{w}x{h}, {k}x{k}: {g:?}");
                assert!(
                    g.x0 >= GRID_MARGIN && w - right >= GRID_MARGIN,
                    "sides {at}"
                );
                assert!(g.y0 >= GRID_TOP && h - bottom >= GRID_MARGIN, "bottom {at}");
                // As large as whole pixels allow: one more pixel per cell would not fit.
                let bigger = (g.cell + 1) * SIDE as i32 + 2;
                assert!(
                    bigger * k > (w - 2 * GRID_MARGIN).min(h - GRID_TOP - GRID_MARGIN),
                    "room left {at}"
                );
            }
        }
    }

    #[test]
    fn draws_every_panel() {
        let data = Digits::shipped().expect("parses");
        let mut t = VaeTrainer::new(&VaeConfig::default(), data).expect("data");
        t.step(30).expect("trains");
        let v = t.view(1);
        let svg = render(&v, false);
        assert!(!svg.contains(&hex(Palette::new(true).bg)));
        let dark = render(&v, true);
        assert!(
            dark.contains(&hex(Palette::new(true).bg)),
            "dark background"
        );
        crate::theme::svg_checks::assert_readable(&svg);
        crate::theme::svg_checks::assert_readable(&dark);
        // Every test digit is a dot in its digit's colour.
        let dots = svg.matches("<circle").count();
        assert!(dots >= 300 && dots <= v.latent.len(), "{dots} dots");
        for (d, &c) in DIGIT_COLORS.iter().enumerate() {
            assert!(svg.contains(&hex(c)), "no colour for {d}");
        }
        // Images: 144 grid tiles and 30 reconstruction tiles, each with a frame and pixels.
        assert!(svg.matches("<rect").count() > 174 * 5);
        // Both curves and their captions.
        assert!(svg.matches("<polyline").count() >= 2);
        for s in [
            "reconstruction",
            "KL(q(z|x) ‖ p(z))",
            "decoder mean",
            "a sample",
            "original",
        ] {
            assert!(svg.contains(s), "missing {s}");
        }
    }

    /// A run continued from a checkpoint: its curves span the plot from their first step,
    /// not a sliver at the end of an axis from step 0.
    #[test]
    fn curves_of_a_continued_run_fill_their_panel() {
        let data = Digits::shipped().expect("parses");
        let mut t = VaeTrainer::new(&VaeConfig::default(), data).expect("data");
        t.step(30).expect("trains");
        let mut v = t.view(1);
        for p in v.recon.iter_mut().chain(v.kl.iter_mut()) {
            p[0] += 20_000.0;
        }
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (480, 340)).into_drawing_area();
            draw_vae_curves(&root, &v, false).unwrap_or_else(|e| panic!("{e}"));
        }
        // The longest polyline is a curve (the axes and grid are short ones).
        let xs: Vec<f32> = svg
            .split("<polyline")
            .skip(1)
            .filter_map(|l| l.split("points=\"").nth(1)?.split('"').next())
            .max_by_key(|pts| pts.len())
            .expect("a curve")
            .split_whitespace()
            .filter_map(|p| p.split(',').next()?.parse().ok())
            .collect();
        assert!(xs.len() >= 20, "{} points", xs.len());
        let span = xs.iter().copied().fold(f32::NEG_INFINITY, f32::max)
            - xs.iter().copied().fold(f32::INFINITY, f32::min);
        assert!(span > 300.0, "the curve spans {span} of 480 px");
    }

    #[test]
    fn diverged_and_empty_views_still_draw() {
        let data = Digits::shipped().expect("parses");
        let t = VaeTrainer::new(&VaeConfig::default(), data).expect("data");
        let mut v = t.view(1);
        assert!(v.recon.is_empty());
        v.diverged = Some("training diverged at step 7".into());
        v.latent.push(([f32::NAN, 0.0], 3));
        v.grid[0] = f32::NAN;
        let svg = render(&v, false);
        assert!(svg.contains("diverged at step 7"));
        for dark in [false, true] {
            let pal = Palette::new(dark);
            assert_eq!(pal.pixel(f32::NAN), pal.bg);
            assert_eq!(pal.pixel(0.0), pal.bg);
            assert_eq!(pal.pixel(7.0), pal.ink);
        }
        assert_eq!(digit_color(42), RGBColor(0, 0, 0));
    }
}
