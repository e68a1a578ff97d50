//! Plots as `draw_*<DB: DrawingBackend>(area, state)`: the browser draws to a canvas, tests to SVG.

pub mod adversarial;
pub mod density_ratio;
pub mod diffusion;
pub mod digits_gan;
pub mod digits_models;
pub mod divergences;
pub mod flow2d;
pub mod gan1d;
pub mod ssgan;
pub mod theme;
pub mod vae;

use plotters::drawing::DrawingAreaErrorKind;
pub use theme::{Hue, Theme};

/// A plot could not be drawn.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PlotError {
    /// The drawing backend (canvas/SVG) reported an error.
    #[error("the plot could not be drawn: {0}. Resizing or reloading the page may help.")]
    Draw(String),
}

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for PlotError {
    fn from(e: DrawingAreaErrorKind<E>) -> Self {
        PlotError::Draw(e.to_string())
    }
}

/// Background and foreground of the plots on a light or a dark page (the [`Theme`]'s).
pub fn page_colors(dark: bool) -> (plotters::style::RGBColor, plotters::style::RGBColor) {
    let t = Theme::new(dark);
    (t.bg, t.fg)
}
