//! Screenshots of the typed-answer feedback (the shared grade details: misconception note and
//! key points) at 375 and 1280 px, light and dark: in Call after typing one of the card's
//! wrong options, and in a Test report after two typed answers.
//! Run: `cargo run -p gentutor-e2e --bin feedback_shots -- <out dir>` after `make dist`.

use gentutor_e2e::Session;
use std::path::{Path, PathBuf};
use std::time::Duration;

fn card(id: u32) -> gentutor_content::cards::Card {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content/cards");
    for e in std::fs::read_dir(dir).expect("cards").flatten() {
        let src = std::fs::read_to_string(e.path()).expect("read");
        let cards = gentutor_content::cards::parse_cards("cards", &src).expect("parse");
        if let Some(c) = cards.into_iter().find(|c| c.id == id) {
            return c;
        }
    }
    panic!("no card {id}");
}

async fn shots(s: &Session, dir: &Path, name: &str, css: &str) {
    for (w, h) in [(375u32, 1600u32), (1280, 1100)] {
        for theme in ["light", "dark"] {
            s.client.set_window_size(w, h).await.expect("size");
            s.client
                .execute(
                    "document.documentElement.setAttribute('data-theme', arguments[0]); \
                     document.querySelector(arguments[1]).scrollIntoView(); return true;",
                    vec![theme.into(), css.into()],
                )
                .await
                .expect("theme");
            tokio::time::sleep(Duration::from_millis(400)).await;
            let png = s.client.screenshot().await.expect("shot");
            let out = dir.join(format!("{name}-{w}-{theme}.png"));
            std::fs::write(&out, png).expect("write");
            println!("{}", out.display());
        }
    }
}

#[tokio::main]
async fn main() {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "/tmp/shots".into()),
    );
    std::fs::create_dir_all(&dir).expect("out dir");
    let s = Session::start().await;
    let c = &s.client;

    // Call, typed: the first card's first wrong option.
    c.goto(&s.url("/study/call?lesson=gan-objective"))
        .await
        .expect("open Call");
    s.wait_for("[data-testid=call-mute]")
        .await
        .click()
        .await
        .expect("mute");
    s.wait_for("[data-testid=call-ear-typing]")
        .await
        .click()
        .await
        .expect("typing");
    s.wait_for("[data-testid=call-start]")
        .await
        .click()
        .await
        .expect("start");
    let q = s.wait_for("[data-testid=call-question]").await;
    let id: u32 = q
        .attr("data-card")
        .await
        .ok()
        .flatten()
        .and_then(|v| v.parse().ok())
        .expect("card id");
    let wrong = card(id).distractors[0].clone();
    s.wait_for("#call-answer")
        .await
        .send_keys(&format!("{wrong}\n"))
        .await
        .expect("type");
    s.wait_text("[data-testid=call-graded]", |t| {
        t.contains("common mistake")
    })
    .await;
    shots(&s, &dir, "call-feedback", "[data-testid=call-graded]").await;

    // Test: two typed questions.
    s.typed_test(
        2,
        "the generator maximises V and the forward process is learned",
    )
    .await;
    shots(&s, &dir, "test-feedback", "[data-testid=test-feedback-0]").await;
    s.close().await;
}
