//! The content, compiled at build time (see `build.rs` and the `gentutor-content` crate, whose
//! types and modules are re-exported here) and installed once at run time.
//!
//! In the browser the compiled bytes are not part of the WASM (they would cost 124 KB gzip of
//! the first-load budget): the app fetches `/content-<hash>.bin` and calls [`install`]. Natively
//! (tests, tools) the bytes are compiled in and [`library`] loads them on first use.

pub use gentutor_content::*;

use gentutor_content::compiled::Compiled;
use std::sync::OnceLock;

/// The hash in the content asset's file name, computed by `build.rs` from the bytes.
pub const CONTENT_HASH: &str = env!("GENTUTOR_CONTENT_HASH");

/// The URL path of the compiled content asset, relative to the site root.
pub fn asset_path() -> String {
    format!("/content-{CONTENT_HASH}.bin")
}

/// The content as compiled into native builds, so tests and tools need no fetch.
#[cfg(not(target_arch = "wasm32"))]
static EMBEDDED: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/content.bin"));

static INSTALLED: OnceLock<Compiled> = OnceLock::new();
static LOAD_ERROR: OnceLock<String> = OnceLock::new();

/// Decodes the compiled content and makes it the [`library`]. Installing twice keeps the first.
/// Fails with a message a user can act on if the bytes are not this build's content.
pub fn install(bytes: &[u8]) -> Result<(), String> {
    if INSTALLED.get().is_some() {
        return Ok(());
    }
    let c = decode(bytes)?;
    let _ = INSTALLED.set(c);
    Ok(())
}

/// Decodes compiled content bytes.
pub fn decode(bytes: &[u8]) -> Result<Compiled, String> {
    postcard::from_bytes::<Compiled>(bytes).map_err(|e| {
        format!("the lesson data could not be read ({e}); reload the page to fetch it again")
    })
}

/// Whether [`install`] has succeeded (always true natively after the first [`library`] call).
pub fn is_installed() -> bool {
    INSTALLED.get().is_some()
}

/// The installed content. Before it is installed (or if it could not be decoded) this is an
/// empty library, and [`load_error`] says why, rather than crashing.
pub fn library() -> &'static Compiled {
    #[cfg(not(target_arch = "wasm32"))]
    if INSTALLED.get().is_none() {
        if let Err(e) = install(EMBEDDED) {
            let _ = LOAD_ERROR.set(e);
        }
    }
    static EMPTY: OnceLock<Compiled> = OnceLock::new();
    INSTALLED
        .get()
        .unwrap_or_else(|| EMPTY.get_or_init(Compiled::default))
}

/// Why the compiled content could not be decoded, if it could not.
pub fn load_error() -> Option<&'static str> {
    LOAD_ERROR.get().map(String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_compiled_content_loads_with_every_lesson_and_card() {
        let lib = library();
        assert_eq!(load_error(), None);
        assert!(lib.lessons.len() >= 10, "{} lessons", lib.lessons.len());
        assert_eq!(lib.cards.len() as u32, SEED_CARD_COUNT);
        assert_eq!(lib.card_html.len(), lib.cards.len());
        assert!(lib.lesson("gan-objective").is_some());
    }

    #[test]
    #[cfg(not(target_arch = "wasm32"))]
    fn garbage_bytes_are_refused_with_a_message() {
        let msg = decode(b"\xff\xff\xff\xff garbage").unwrap_err();
        assert!(msg.contains("reload"), "{msg}");
        // A truncated copy of the real content is refused too.
        let half = &EMBEDDED[..EMBEDDED.len() / 2];
        assert!(decode(half).is_err());
        assert!(decode(EMBEDDED).is_ok());
    }

    #[test]
    fn the_asset_name_carries_the_content_hash() {
        assert_eq!(CONTENT_HASH.len(), 16);
        assert!(CONTENT_HASH.chars().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(asset_path(), format!("/content-{CONTENT_HASH}.bin"));
    }
}
