//! "About this content": where the material comes from and every correction made to the seed deck.

use crate::content::library;
use crate::ui::widgets::Html;
use leptos::prelude::*;

/// The about page.
#[component]
pub fn About() -> impl IntoView {
    super::set_title("About this content");
    let lib = library();
    let rows = lib
        .corrections
        .iter()
        .map(|c| {
            let card = lib.card(c.card);
            let href = card
                .map(|k| format!("/lesson/{}", k.lesson))
                .unwrap_or_default();
            view! {
                <tr>
                    <td><a href=href>{c.card}</a></td>
                    <td><Html html=c.deck_said.clone() /></td>
                    <td><Html html=c.correction.clone() /></td>
                    <td>{c.source.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="about" data-testid="about">
            <Html html=lib.about_html.clone() class="prose" />
            <h2 id="corrections">{format!("Corrections to the source deck ({})", lib.corrections.len())}</h2>
            <div class="table-wrap">
                <table class="corrections">
                    <thead><tr><th>"Card"</th><th>"The deck said"</th><th>"What is correct"</th><th>"Source"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </div>
    }
}
