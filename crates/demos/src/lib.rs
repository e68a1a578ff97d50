//! Live demos: each wires sliders and the animation clock to a core state machine and draws with
//! the core's plot functions onto a canvas.
//!
//! They are built into their own WASM module (`src/main.rs`), which the app loads only when a
//! page shows a demo (the app's `ui::widgets::lazy_demo`), so the models, plots and plotters stay
//! out of the first load. The app does not depend on this crate; Cargo keeps it that way.
#![cfg(target_arch = "wasm32")]

pub mod adversarial;
pub mod bench;
pub mod checkpoints;
pub mod density_ratio;
pub mod diffusion;
pub mod digits_compare;
pub mod digits_diffusion;
pub mod digits_flow;
pub mod digits_gan;
pub mod digits_live;
pub mod digits_runner;
pub mod divergences;
pub mod flow2d;
pub mod gan1d;
pub mod registry;
pub mod shared;
pub mod ssgan;
pub mod vae;
pub mod worker;

use gentutor_content::DemoKind;
use leptos::prelude::*;
use std::collections::BTreeMap;

/// What the demos module can mount: a lesson demo, or the benchmark page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mountable {
    Demo(DemoKind),
    Bench,
}

impl Mountable {
    /// The name used across the module boundary: a demo's block name, or `bench`.
    pub fn name(self) -> &'static str {
        match self {
            Mountable::Demo(kind) => kind.name(),
            Mountable::Bench => "bench",
        }
    }

    pub fn from_name(name: &str) -> Option<Mountable> {
        if name == "bench" {
            Some(Mountable::Bench)
        } else {
            DemoKind::from_name(name).map(Mountable::Demo)
        }
    }
}

/// The view for `what`, with the lesson's options; `id` is unique on the page. Demos come from
/// the registry ([`registry::ENTRIES`]); a registered demo without a component shows a message.
pub fn view_for(what: Mountable, options: BTreeMap<String, String>, id: String) -> AnyView {
    match what {
        Mountable::Bench => view! { <bench::Bench /> }.into_any(),
        Mountable::Demo(kind) => match registry::entry(kind) {
            Some(e) => (e.mount)(options, id),
            None => {
                let msg = format!("The demo \"{}\" has no component.", kind.name());
                view! { <p class="demo-error" role="alert">{msg}</p> }.into_any()
            }
        },
    }
}
