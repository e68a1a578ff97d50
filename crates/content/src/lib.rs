//! The content pipeline: lessons (Markdown + TOML front matter), `SUMMARY.md`, study cards and
//! corrections, all parsed from `&str` so the same code serves the app and the content lint.
//!
//! IO happens only at the edges: the app's `build.rs` reads `content/`, [`Library::from_files`] turns
//! the files into typed data (collecting every error it finds), and [`compiled::compile`] renders it
//! all to HTML + MathML once, at build time. The browser only deserializes the result, so none of the
//! parsers (TOML, Markdown, LaTeX) end up in the WASM.

pub mod cards;
pub mod compiled;
pub mod corrections;
pub mod embed;
pub mod lesson;
#[cfg(feature = "compile")]
pub mod library;
#[cfg(feature = "compile")]
pub mod lint;
pub mod markdown;
#[cfg(feature = "compile")]
pub mod math;
pub mod registry;
#[cfg(feature = "compile")]
pub mod speech;
#[cfg(feature = "compile")]
pub mod summary;

pub use cards::Card;
pub use embed::{decode_options, encode_options, DemoKind, Embed};
pub use lesson::FrontMatter;
#[cfg(feature = "compile")]
pub use lesson::Lesson;
#[cfg(feature = "compile")]
pub use library::Library;
#[cfg(feature = "compile")]
pub use markdown::Rendered;
pub use markdown::{Block, TocEntry};
pub use registry::{DemoSpec, OptionKind, OptionSpec, DEMOS};

/// The number of cards in the seed deck; card ids run from 1 to this, in seed order.
pub const SEED_CARD_COUNT: u32 = 37;

/// Anything wrong with the content. Each error names the file and, where it can, the line and column,
/// so an author can go straight to the problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContentError {
    #[error("{file}:{line}:{col}: invalid TOML: {msg}")]
    Toml {
        file: String,
        line: usize,
        col: usize,
        msg: String,
    },
    #[error("{file}:{line}: {msg}")]
    FrontMatter {
        file: String,
        line: usize,
        msg: String,
    },
    #[error("{file}:{line}:{col}: formula `{tex}` does not render: {msg}")]
    Math {
        file: String,
        line: usize,
        col: usize,
        tex: String,
        msg: String,
    },
    #[error("{file}:{line}:{col}: broken link `{target}`: {msg}")]
    Link {
        file: String,
        line: usize,
        col: usize,
        target: String,
        msg: String,
    },
    #[error("{file}:{line}:{col}: bad embed: {msg}")]
    Embed {
        file: String,
        line: usize,
        col: usize,
        msg: String,
    },
    #[error("{file}:{line}: {msg}")]
    Summary {
        file: String,
        line: usize,
        msg: String,
    },
    #[error("{file}: card {id}: {msg}")]
    Card { file: String, id: u32, msg: String },
    #[error("{file}: {msg}")]
    File { file: String, msg: String },
}

#[cfg(feature = "compile")]
impl ContentError {
    /// Wraps a TOML error, locating it in `src` (the text that was parsed).
    pub fn toml(file: &str, src: &str, err: &toml::de::Error) -> Self {
        Self::toml_at(file, src, err, 0)
    }

    /// Like [`ContentError::toml`], for TOML that starts `line_offset` lines into the file.
    pub fn toml_at(file: &str, src: &str, err: &toml::de::Error, line_offset: usize) -> Self {
        let (line, col) = err.span().map(|s| line_col(src, s.start)).unwrap_or((1, 1));
        Self::Toml {
            file: file.to_string(),
            line: line + line_offset,
            col,
            msg: err.message().to_string(),
        }
    }
}

#[cfg(feature = "compile")]
/// 1-based line and column (in characters) of byte offset `pos` in `src`.
pub fn line_col(src: &str, pos: usize) -> (usize, usize) {
    let pos = pos.min(src.len());
    let before = src.get(..pos).unwrap_or(src);
    let line = before.matches('\n').count() + 1;
    let col = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0)
        + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one() {
        let s = "ab\ncd\nef";
        assert_eq!(line_col(s, 0), (1, 1));
        assert_eq!(line_col(s, 4), (2, 2));
        assert_eq!(line_col(s, 6), (3, 1));
        assert_eq!(line_col(s, 999), (3, 3));
    }
}
