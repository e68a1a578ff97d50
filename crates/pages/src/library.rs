//! The compiled content in this module: the app passes the bytes it fetched
//! (`/content-<hash>.bin`, the same build), decoded here once on first use.

use gentutor_content::compiled::Compiled;
use std::sync::OnceLock;

static INSTALLED: OnceLock<Compiled> = OnceLock::new();

/// Decodes `bytes` and keeps them as the [`library`] (a second call keeps the first).
pub fn install(bytes: &[u8]) -> Result<(), String> {
    if INSTALLED.get().is_some() {
        return Ok(());
    }
    let c = postcard::from_bytes::<Compiled>(bytes).map_err(|e| {
        format!("the lesson data could not be read ({e}); reload the page to fetch it again")
    })?;
    let _ = INSTALLED.set(c);
    Ok(())
}

/// The installed content, or an empty library before [`install`].
pub fn library() -> &'static Compiled {
    static EMPTY: OnceLock<Compiled> = OnceLock::new();
    INSTALLED
        .get()
        .unwrap_or_else(|| EMPTY.get_or_init(Compiled::default))
}
