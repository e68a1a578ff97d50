//! The content, compiled at build time (see `build.rs` and the `gentutor-content` crate, whose
//! types and modules are re-exported here) and loaded once at run time.

pub use gentutor_content::*;

use gentutor_content::compiled::Compiled;
use std::sync::OnceLock;

static BYTES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/content.bin"));

/// The compiled-in content. If it could not be decoded (a build bug), the app runs with no
/// lessons and [`load_error`] says why, rather than crashing.
pub fn library() -> &'static Compiled {
    &loaded().0
}

/// Why the compiled content could not be decoded, if it could not.
pub fn load_error() -> Option<&'static str> {
    loaded().1.as_deref()
}

fn loaded() -> &'static (Compiled, Option<String>) {
    static LIB: OnceLock<(Compiled, Option<String>)> = OnceLock::new();
    LIB.get_or_init(|| match postcard::from_bytes::<Compiled>(BYTES) {
        Ok(c) => (c, None),
        Err(e) => (
            Compiled::default(),
            Some(format!("the lessons could not be loaded ({e})")),
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_compiled_content_loads_with_every_lesson_and_card() {
        assert_eq!(load_error(), None);
        let lib = library();
        assert!(lib.lessons.len() >= 10, "{} lessons", lib.lessons.len());
        assert_eq!(lib.cards.len() as u32, SEED_CARD_COUNT);
        assert_eq!(lib.card_html.len(), lib.cards.len());
        assert!(lib.lesson("gan-objective").is_some());
    }
}
