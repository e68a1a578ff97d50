//! Corrections to the seed deck, listed on the "About this content" page.

use serde::{Deserialize, Serialize};

/// One fix to the seed deck: what it said, what is true, and where that is established.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Correction {
    pub card: u32,
    pub deck_said: String,
    pub correction: String,
    pub source: String,
}

#[derive(Deserialize)]
#[cfg(feature = "compile")]
struct CorrectionFile {
    #[serde(default)]
    correction: Vec<Correction>,
}

/// Parses one corrections TOML file.
#[cfg(feature = "compile")]
pub fn parse_corrections(file: &str, src: &str) -> Result<Vec<Correction>, super::ContentError> {
    toml::from_str::<CorrectionFile>(src)
        .map(|f| f.correction)
        .map_err(|e| super::ContentError::toml(file, src, &e))
}

#[cfg(all(test, feature = "compile"))]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects_unknown_fields() {
        let ok = "[[correction]]\ncard = 3\ndeck_said = 'a'\ncorrection = 'b'\nsource = 'c'\n";
        assert_eq!(parse_corrections("c.toml", ok).map(|v| v.len()), Ok(1));
        let bad = "[[correction]]\ncard = 3\ndeck_said = 'a'\ncorrection = 'b'\nsource = 'c'\nextra = 1\n";
        let err = parse_corrections("c.toml", bad).unwrap_err().to_string();
        assert!(err.starts_with("c.toml:"), "{err}");
    }
}
