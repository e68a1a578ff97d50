//! Live demos: each wires sliders and the animation clock to a core state machine and draws with
//! the core's plot functions onto a canvas.

pub mod diffusion;
pub mod flow2d;
pub mod gan1d;
pub mod shared;
