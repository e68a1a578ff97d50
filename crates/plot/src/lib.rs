//! Plots as `draw_*<DB: DrawingBackend>(area, state)`: the browser draws to a canvas, tests to SVG.

pub mod density_ratio;
pub mod diffusion;
pub mod divergences;
pub mod flow2d;
pub mod gan1d;
pub mod vae;

use plotters::drawing::DrawingAreaErrorKind;

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

/// Background and foreground of the plots on a light or a dark page (one pair for every plot
/// that follows the page's theme).
pub fn page_colors(dark: bool) -> (plotters::style::RGBColor, plotters::style::RGBColor) {
    use plotters::style::RGBColor;
    if dark {
        (RGBColor(24, 26, 31), RGBColor(220, 222, 228))
    } else {
        (RGBColor(255, 255, 255), RGBColor(40, 40, 40))
    }
}
