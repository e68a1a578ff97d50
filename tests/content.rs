//! The content lint over everything in `content/`: front matter, SUMMARY links, every formula,
//! every embed, internal links, and all 37 cards.

use gentutor::core::content::{embedded::FILES, lint::lint};

#[test]
fn all_content_is_valid() {
    let errors = lint(FILES);
    let list: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
    assert!(
        list.is_empty(),
        "{} content problem(s):\n{}",
        list.len(),
        list.join("\n")
    );
}
