//! Prints every card's spoken forms (question, answer, key points), to proofread what the
//! spoken tutor will say: `cargo run -p gentutor-content --features compile --example speak_cards`.

use gentutor_content::cards::parse_cards;
use gentutor_content::speech::card_speech;

fn main() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content/cards");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("content/cards")
        .flatten()
        .map(|e| e.path())
        .collect();
    paths.sort();
    for p in paths {
        let src = std::fs::read_to_string(&p).expect("read");
        let name = p.display().to_string();
        for c in parse_cards(&name, &src).expect("cards parse") {
            match card_speech(&c) {
                Ok(s) => {
                    println!("#{} Q: {}\n    A: {}", c.id, s.front, s.answer);
                    for k in s.key_points {
                        println!("    - {k}");
                    }
                }
                Err((field, msg)) => println!("#{} {field}: NO SPOKEN FORM: {msg}", c.id),
            }
        }
    }
}
