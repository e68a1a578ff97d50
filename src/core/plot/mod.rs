//! Plots as `draw_*<DB: DrawingBackend>(area, state)`: the browser draws to a canvas, tests to SVG.
