//! Compiles the deck's card ids into the server (`OUT_DIR/card_ids.rs`): events about cards that
//! are not in the deck are refused, and mastery is the mean over exactly these cards.

use std::path::PathBuf;

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let cards_dir = root.join("../../content/cards");
    println!("cargo:rerun-if-changed={}", cards_dir.display());
    let mut files = Vec::new();
    if let Ok(entries) = std::fs::read_dir(&cards_dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().and_then(|e| e.to_str()) == Some("toml") {
                println!("cargo:rerun-if-changed={}", path.display());
                let name = format!(
                    "cards/{}",
                    path.file_name()
                        .and_then(|n| n.to_str())
                        .unwrap_or("x.toml")
                );
                let text = std::fs::read_to_string(&path)
                    .unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
                files.push((name, text));
            }
        }
    }
    files.sort();
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    // Problems in the cards are the content lint's to report; whatever parses is the deck.
    let (lib, _errors) = gentutor_content::Library::from_files(&refs);
    let mut ids: Vec<u32> = lib.cards.iter().map(|c| c.id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert!(
        !ids.is_empty(),
        "no cards found under {}",
        cards_dir.display()
    );
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it"));
    std::fs::write(
        out.join("card_ids.rs"),
        format!("/// The deck's card ids, ascending.\npub const CARD_IDS: &[u32] = &{ids:?};\n"),
    )
    .expect("write card_ids.rs");
}
