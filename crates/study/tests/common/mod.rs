//! The real deck and the labelled answers, read from the repository (shared by the grading
//! tests and `examples/grading_report.rs`).

use gentutor_content::cards::{parse_cards, Card};
use gentutor_study::grading::labelled::{parse_labelled, Labelled};
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every card in `content/cards/*.toml`, by id.
pub fn deck() -> Vec<Card> {
    let dir = root().join("../../content/cards");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    let mut cards = Vec::new();
    for p in paths {
        let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        let name = p.display().to_string();
        cards.extend(parse_cards(&name, &text).unwrap_or_else(|e| panic!("{name}: {e}")));
    }
    cards.sort_by_key(|c| c.id);
    cards
}

/// The labelled answers of one split: `"train"`, `"test"` or `"test2"`.
#[allow(dead_code)] // not every test target that shares this module reads the splits
pub fn split(name: &str) -> Vec<Labelled> {
    let p = root().join(format!("data/grading/{name}.txt"));
    let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    parse_labelled(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}
