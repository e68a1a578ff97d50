//! Divergences pulled apart: slide Q away from P and watch KL, JSD, TV, W1 and MMD (and their
//! gradients) side by side. Nothing trains: every change redraws from the exact formulas in
//! `gentutor_models::divergences`, with sample estimates beside them.

use super::shared::{
    draw_on_canvas, event_number, event_string, hash_state, page_is_dark, set_hash_state,
    track_page_look,
};
use gentutor_models::divergences::{
    estimate, exact, gradients, Divergences, Settings, FAMILIES, THETA_MAX,
};
use gentutor_models::link::Settings as _;
use gentutor_plot::divergences::{draw_divergences, DivergencesView, NAMES};
use leptos::html::Canvas;
use leptos::prelude::*;
use std::collections::BTreeMap;

/// Points along the shift axis for the curves.
const CURVE_POINTS: usize = 200;

fn fmt(v: f64) -> String {
    if v.is_infinite() {
        "∞".into()
    } else if v.is_nan() {
        "undefined".into()
    } else if v != 0.0 && v.abs() < 1e-3 {
        format!("{v:.1e}")
    } else {
        format!("{v:.3}")
    }
}

fn row(d: &Divergences) -> [f64; 5] {
    [d.kl, d.jsd, d.tv, d.w1, d.mmd]
}

/// The demo. Block option: `family` (point-mass, gaussian, uniform).
#[component]
pub fn DivergencesDemo(
    /// Options from the lesson's block.
    options: BTreeMap<String, String>,
    /// Unique id on the page (for the settings in the link).
    id: String,
) -> impl IntoView {
    let mut start = Settings::default();
    if let Some(f) = options.get("family") {
        start.family = FAMILIES
            .iter()
            .find(|n| **n == f.as_str())
            .copied()
            .unwrap_or(start.family);
    }
    let error = RwSignal::new(None::<String>);
    if let Some(state) = hash_state(&id) {
        match Settings::from_hash(&state) {
            Ok(s) => start = s,
            Err(e) => error.set(Some(e.to_string())),
        }
    }
    let settings = RwSignal::new(start.clamped());
    let canvas = NodeRef::<Canvas>::new();
    let table = RwSignal::new(Vec::<(String, String, String, String)>::new());
    let hash_id = StoredValue::new(id);

    Effect::new(move |_| {
        let s = settings.get();
        hash_id.with_value(|h| set_hash_state(h, &s.to_hash()));
        let family = s.family();
        let (p, q) = s.samples();
        let ex = exact(family, s.theta, s.h);
        let gr = gradients(family, s.theta, s.h);
        let est = estimate(&p, &q, s.h, 30);
        table.set(
            (0..5)
                .map(|k| {
                    (
                        NAMES[k].to_string(),
                        fmt(row(&ex)[k]),
                        fmt(row(&est)[k]),
                        fmt(row(&gr)[k]),
                    )
                })
                .collect(),
        );
        let Some(c) = canvas.get() else { return };
        let view = DivergencesView {
            family,
            theta: s.theta,
            h: s.h,
            curves: s.curves(CURVE_POINTS),
            samples_p: p,
            samples_q: q,
            dark: {
                track_page_look();
                page_is_dark()
            },
        };
        if let Err(e) = draw_on_canvas(&c, |area| draw_divergences(area, &view)) {
            error.set(Some(e));
        }
    });

    let set = move |f: fn(&mut Settings, f64)| {
        move |ev: leptos::ev::Event| {
            if let Some(v) = event_number(&ev) {
                settings.update(|s| {
                    f(s, v);
                    *s = s.clamped();
                });
            }
        }
    };

    view! {
        <div class="demo" data-testid="demo-divergences">
            <div class="demo-controls">
                <label>"Family "
                    <select data-testid="div-family" on:change=move |ev| {
                        let name = event_string(&ev);
                        if let Some(f) = FAMILIES.iter().find(|f| **f == name.as_str()) {
                            settings.update(|s| s.family = f);
                        }
                    }>
                        {FAMILIES.iter().map(|f| {
                            let label = match *f {
                                "point-mass" => "point masses",
                                "uniform" => "uniforms",
                                _ => "Gaussians",
                            };
                            view! { <option value=*f selected=move || settings.get().family == *f>{label}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <label>"Shift θ "
                    <input type="range" min="0" max=THETA_MAX step="0.05" data-testid="div-theta"
                        prop:value=move || settings.get().theta
                        on:input=set(|s, v| s.theta = v) />
                    <output>{move || format!("{:.2}", settings.get().theta)}</output>
                </label>
                <label>"Kernel bandwidth h "
                    <input type="range" min="0.05" max="10" step="0.05" data-testid="div-h"
                        prop:value=move || settings.get().h
                        on:input=set(|s, v| s.h = v) />
                    <output>{move || format!("{:.2}", settings.get().h)}</output>
                </label>
                <label>"Width "
                    <input type="range" min="0.05" max="5" step="0.05" data-testid="div-width"
                        prop:disabled=move || settings.get().family == "point-mass"
                        prop:value=move || settings.get().width
                        on:input=set(|s, v| s.width = v) />
                    <output>{move || format!("{:.2}", settings.get().width)}</output>
                </label>
                <label>"Samples "
                    <input type="range" min="10" max="2000" step="10" data-testid="div-n"
                        prop:value=move || settings.get().n
                        on:input=set(|s, v| s.n = v as usize) />
                    <output>{move || settings.get().n}</output>
                </label>
            </div>
            {move || error.get().map(|e| view! { <p class="demo-error" role="alert">{e}</p> })}
            <canvas node_ref=canvas width="720" height="520" class="demo-canvas"
                aria-label="P and Q on a line, and each divergence and its gradient against the shift"></canvas>
            <div class="table-wrap">
                <table data-testid="div-table">
                    <caption>"At the current shift"</caption>
                    <thead><tr><th scope="col">"divergence"</th><th scope="col">"exact"</th><th scope="col">"from samples"</th><th scope="col">"gradient d/dθ"</th></tr></thead>
                    <tbody>
                        {move || table.get().into_iter().map(|(n, e, s, g)| view! {
                            <tr><th scope="row">{n}</th><td>{e}</td><td>{s}</td><td>{g}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <p class="demo-note">"Exact values come from closed forms (KL, TV, W₁, MMD for point masses and Gaussians) or fine numerical integration (JSD for Gaussians, MMD for uniforms); gradients of W₁ and the Gaussians' KL are exact, the others central differences. The sample column uses histograms (KL, JSD, TV), sorted samples (W₁) and the unbiased MMD² estimate."</p>
        </div>
    }
}
