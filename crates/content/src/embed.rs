//! Live widgets embedded in lessons as fenced blocks:
//!
//! ````text
//! ```demo gan1d
//! preset = "mode-collapse"
//! ```
//! ```quiz
//! card = 3
//! ```
//! ````

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The demos a lesson may embed. A name not listed here fails the content lint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DemoKind {
    Gan1d,
    Flow2d,
    DiffusionForward,
    DiffusionReverse,
    TimestepSampler,
}

impl DemoKind {
    pub const ALL: [DemoKind; 5] = [
        DemoKind::Gan1d,
        DemoKind::Flow2d,
        DemoKind::DiffusionForward,
        DemoKind::DiffusionReverse,
        DemoKind::TimestepSampler,
    ];

    /// The name used in `demo <name>` blocks.
    pub fn name(self) -> &'static str {
        match self {
            DemoKind::Gan1d => "gan1d",
            DemoKind::Flow2d => "flow2d",
            DemoKind::DiffusionForward => "diffusion-forward",
            DemoKind::DiffusionReverse => "diffusion-reverse",
            DemoKind::TimestepSampler => "timestep-sampler",
        }
    }

    /// A human title for the demo's frame.
    pub fn title(self) -> &'static str {
        match self {
            DemoKind::Gan1d => "A 1D GAN, live",
            DemoKind::Flow2d => "A 2D normalizing flow, live",
            DemoKind::DiffusionForward => "The forward diffusion process",
            DemoKind::DiffusionReverse => "Reverse diffusion: train a denoiser, then sample",
            DemoKind::TimestepSampler => "Timestep sampling: i.i.d. vs low-discrepancy",
        }
    }

    pub fn from_name(name: &str) -> Option<DemoKind> {
        Self::ALL.into_iter().find(|d| d.name() == name)
    }
}

/// An embed found in a lesson, with its position for error messages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Embed {
    Demo {
        kind: DemoKind,
        /// Options from the block body (TOML `key = value`), values as strings.
        options: BTreeMap<String, String>,
    },
    Quiz {
        card: u32,
    },
}

/// Parses a fenced block with info string `info` and body `body`.
/// Returns `Ok(None)` for ordinary code blocks, `Err(msg)` for a malformed embed.
#[cfg(feature = "compile")]
pub fn parse_embed(info: &str, body: &str) -> Result<Option<Embed>, String> {
    let mut words = info.split_whitespace();
    let Some(first) = words.next() else {
        return Ok(None);
    };
    let options = || -> Result<BTreeMap<String, String>, String> {
        let table: toml::Table =
            toml::from_str(body).map_err(|e| format!("options are not TOML: {}", e.message()))?;
        Ok(table
            .into_iter()
            .map(|(k, v)| {
                let v = match v {
                    toml::Value::String(s) => s,
                    toml::Value::Integer(i) => i.to_string(),
                    toml::Value::Float(f) => f.to_string(),
                    toml::Value::Boolean(b) => b.to_string(),
                    other => format!("{other:?}"),
                };
                (k, v)
            })
            .collect())
    };
    match first {
        "demo" => {
            let Some(name) = words.next() else {
                return Err("a `demo` block needs a name, e.g. ```demo gan1d".into());
            };
            let kind = DemoKind::from_name(name).ok_or_else(|| {
                let known: Vec<_> = DemoKind::ALL.iter().map(|d| d.name()).collect();
                format!("unknown demo `{name}`; known demos: {}", known.join(", "))
            })?;
            Ok(Some(Embed::Demo {
                kind,
                options: options()?,
            }))
        }
        "quiz" => {
            // Accept both the body form (`card = 3`) and the info form (```quiz card=3).
            let mut opts = options()?;
            for w in words {
                if let Some((k, v)) = w.split_once('=') {
                    opts.insert(k.to_string(), v.to_string());
                }
            }
            let card = opts
                .get("card")
                .ok_or("a `quiz` block needs `card = N`")?
                .parse::<u32>()
                .map_err(|_| "`card` must be a card number".to_string())?;
            Ok(Some(Embed::Quiz { card }))
        }
        _ => Ok(None),
    }
}

/// Encodes demo options for the boundary between the app's WASM module and the lazily loaded
/// demos module (which share no memory): `key=value` records separated by U+001E. Keys and
/// values come from TOML strings; the two control characters cannot occur in them.
pub fn encode_options(options: &BTreeMap<String, String>) -> String {
    options
        .iter()
        .map(|(k, v)| format!("{k}\u{1f}{v}"))
        .collect::<Vec<_>>()
        .join("\u{1e}")
}

/// Inverse of [`encode_options`]. Records without a separator are ignored.
pub fn decode_options(wire: &str) -> BTreeMap<String, String> {
    wire.split('\u{1e}')
        .filter_map(|rec| rec.split_once('\u{1f}'))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[cfg(all(test, feature = "compile"))]
mod tests {
    use super::*;

    #[test]
    fn options_survive_the_module_boundary() {
        let mut o = BTreeMap::new();
        o.insert("preset".to_string(), "mode-collapse".to_string());
        o.insert("note".to_string(), "a = b, \"c\"".to_string());
        o.insert("empty".to_string(), String::new());
        assert_eq!(decode_options(&encode_options(&o)), o);
        assert!(decode_options("").is_empty());
        assert!(decode_options("no separator here").is_empty());
    }

    #[test]
    fn parses_demo_and_quiz_blocks() {
        let d = parse_embed("demo gan1d", "preset = \"mode-collapse\"\nmodes = 4\n").expect("ok");
        match d {
            Some(Embed::Demo { kind, options }) => {
                assert_eq!(kind, DemoKind::Gan1d);
                assert_eq!(
                    options.get("preset").map(String::as_str),
                    Some("mode-collapse")
                );
                assert_eq!(options.get("modes").map(String::as_str), Some("4"));
            }
            other => panic!("expected a demo, got {other:?}"),
        }
        assert_eq!(
            parse_embed("quiz", "card = 3"),
            Ok(Some(Embed::Quiz { card: 3 }))
        );
        assert_eq!(
            parse_embed("quiz card=5", ""),
            Ok(Some(Embed::Quiz { card: 5 }))
        );
        assert_eq!(parse_embed("rust", "fn main() {}"), Ok(None));
    }

    #[test]
    fn rejects_unknown_demos_and_bad_quizzes() {
        assert!(parse_embed("demo nope", "").unwrap_err().contains("gan1d"));
        assert!(parse_embed("demo", "").is_err());
        assert!(parse_embed("quiz", "").is_err());
        assert!(parse_embed("quiz", "card = \"x\"").is_err());
        assert!(parse_embed("demo gan1d", "not toml ===").is_err());
    }
}
