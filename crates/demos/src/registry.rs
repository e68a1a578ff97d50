//! The demos crate's half of the demo registry: one line per demo mapping its registry name
//! (names and block options live in `gentutor_content::registry`, so the content lint can
//! check them natively) to its component and, for demos that train off the main thread, the
//! model a Web Worker runs.

use super::adversarial;
use super::ssgan;
use super::worker::{Remote, WorkerModel};
use super::{density_ratio, diffusion, digits_gan, divergences, flow2d, gan1d, vae};
use super::{digits_compare, digits_diffusion, digits_flow, digits_live};
use gentutor_content::DemoKind;
use leptos::prelude::*;
use std::collections::BTreeMap;

/// Builds a demo's view from its block options and its page-unique id.
pub type Mount = fn(BTreeMap<String, String>, String) -> AnyView;
/// Decodes a run handed to a worker ([`Remote::from_bytes`] of the model).
pub type LoadWorker = fn(&[u8]) -> Result<Box<dyn WorkerModel>, String>;

/// The model a demo trains in a Web Worker.
#[derive(Clone, Copy)]
pub struct WorkerSpec {
    /// [`Remote::KIND`]: what the page sends; it must be the demo's name (a test checks).
    pub kind: &'static str,
    pub load: LoadWorker,
}

/// A demo's component and optional worker model.
pub struct Entry {
    /// The demo's name in `gentutor_content::registry::DEMOS`.
    pub name: &'static str,
    pub mount: Mount,
    pub worker: Option<WorkerSpec>,
}

/// The worker side of a [`Remote`] model.
const fn worker<M: Remote + 'static>() -> Option<WorkerSpec> {
    fn load<M: Remote + 'static>(bytes: &[u8]) -> Result<Box<dyn WorkerModel>, String> {
        Ok(Box::new(M::from_bytes(bytes)?))
    }
    Some(WorkerSpec {
        kind: M::KIND,
        load: load::<M>,
    })
}

/// One line per registered demo. `tests/components.rs` mounts every demo of the content
/// registry through this table, so a missing line fails there.
pub static ENTRIES: &[Entry] = &[
    Entry {
        name: "gan1d",
        mount: |options, id| view! { <gan1d::Gan1dDemo options id /> }.into_any(),
        worker: worker::<gentutor_models::gan1d::Gan1d>(),
    },
    Entry {
        name: "flow2d",
        mount: |options, id| view! { <flow2d::Flow2dDemo options id /> }.into_any(),
        worker: worker::<gentutor_models::flow2d::Flow2d>(),
    },
    Entry {
        name: "diffusion-forward",
        mount: |options, _| view! { <diffusion::DiffusionForwardDemo options /> }.into_any(),
        worker: None,
    },
    Entry {
        name: "diffusion-reverse",
        mount: |options, _| view! { <diffusion::DiffusionReverseDemo options /> }.into_any(),
        worker: worker::<diffusion::Reverse>(),
    },
    Entry {
        name: "density-ratio",
        mount: |options, id| view! { <density_ratio::DensityRatioDemo options id /> }.into_any(),
        worker: None,
    },
    Entry {
        name: "divergences",
        mount: |options, id| view! { <divergences::DivergencesDemo options id /> }.into_any(),
        worker: None,
    },
    Entry {
        name: "vae",
        mount: |options, id| view! { <vae::VaeDemo options id /> }.into_any(),
        worker: worker::<vae::VaeLive>(),
    },
    Entry {
        name: "adversarial",
        mount: |options, id| view! { <adversarial::AdversarialDemo options id /> }.into_any(),
        worker: None,
    },
    Entry {
        name: "ssgan",
        mount: |options, id| view! { <ssgan::SsganDemo options id /> }.into_any(),
        worker: worker::<ssgan::SsganLive>(),
    },
    Entry {
        name: "digits-gan",
        mount: |options, id| view! { <digits_gan::DigitsGanDemo options id /> }.into_any(),
        worker: worker::<digits_gan::GanLive>(),
    },
    Entry {
        name: "digits-flow",
        mount: |options, id| view! { <digits_flow::DigitsFlowDemo options id /> }.into_any(),
        worker: worker::<digits_flow::FlowLive>(),
    },
    Entry {
        name: "digits-diffusion",
        mount: |options, id| {
            view! { <digits_diffusion::DigitsDiffusionDemo options id /> }.into_any()
        },
        worker: worker::<digits_live::Run<digits_diffusion::DiffusionLive>>(),
    },
    Entry {
        name: "digits-compare",
        mount: |_, id| view! { <digits_compare::DigitsCompareDemo id /> }.into_any(),
        worker: None,
    },
    Entry {
        name: "timestep-sampler",
        mount: |_, _| view! { <diffusion::TimestepSamplerDemo /> }.into_any(),
        worker: None,
    },
];

/// The component entry of a registered demo.
pub fn entry(kind: DemoKind) -> Option<&'static Entry> {
    ENTRIES.iter().find(|e| e.name == kind.name())
}

/// Decodes a run sent by the page, choosing the model by its [`Remote::KIND`].
pub fn load_worker(kind: &str, bytes: &[u8]) -> Result<Box<dyn WorkerModel>, String> {
    match ENTRIES
        .iter()
        .filter_map(|e| e.worker)
        .find(|w| w.kind == kind)
    {
        Some(w) => (w.load)(bytes),
        None => Err(format!("the worker cannot train a \"{kind}\" model")),
    }
}
