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

use crate::registry::{self, DemoSpec, DEMOS};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A registered demo (see [`crate::registry::DEMOS`]): a handle on its registry entry,
/// serialized as its name. A name not in the registry fails the content lint.
#[derive(Clone, Copy)]
pub struct DemoKind(&'static DemoSpec);

impl DemoKind {
    /// Every registered demo, in registry order.
    pub fn all() -> impl Iterator<Item = DemoKind> {
        DEMOS.iter().map(DemoKind)
    }

    /// The name used in `demo <name>` blocks.
    pub fn name(self) -> &'static str {
        self.0.name
    }

    /// A human title for the demo's frame.
    pub fn title(self) -> &'static str {
        self.0.title
    }

    /// Its registry entry: name, title and accepted options.
    pub fn spec(self) -> &'static DemoSpec {
        self.0
    }

    pub fn from_name(name: &str) -> Option<DemoKind> {
        registry::demo(name).map(DemoKind)
    }
}

impl PartialEq for DemoKind {
    fn eq(&self, other: &Self) -> bool {
        self.name() == other.name()
    }
}
impl Eq for DemoKind {}

impl std::hash::Hash for DemoKind {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.name().hash(state)
    }
}

impl std::fmt::Debug for DemoKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DemoKind({:?})", self.name())
    }
}

impl Serialize for DemoKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for DemoKind {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        DemoKind::from_name(&name)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown demo `{name}`")))
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
                let known: Vec<_> = DemoKind::all().map(|d| d.name()).collect();
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

/// Checks a demo block's options against the registry. Each problem comes with the 1-based
/// (line, column) of its key within `body`, so the lint can point at the option itself; a key it
/// cannot find in the text (it always should) is placed at line 1, column 1.
#[cfg(feature = "compile")]
pub fn check_demo_options(
    kind: DemoKind,
    options: &BTreeMap<String, String>,
    body: &str,
) -> Vec<(usize, usize, String)> {
    kind.spec()
        .check(options)
        .into_iter()
        .map(|(key, msg)| {
            let (line, col) = key_position(body, &key).unwrap_or((1, 1));
            (line, col, msg)
        })
        .collect()
}

/// Where `key = ...` (or `"key" = ...`) starts in TOML `body`.
#[cfg(feature = "compile")]
fn key_position(body: &str, key: &str) -> Option<(usize, usize)> {
    body.lines().enumerate().find_map(|(i, line)| {
        let indent = line.len() - line.trim_start().len();
        let rest = line.trim_start();
        let after = rest
            .strip_prefix(key)
            .or_else(|| rest.strip_prefix(&format!("\"{key}\"")))?;
        after
            .trim_start()
            .starts_with('=')
            .then(|| (i + 1, line[..indent].chars().count() + 1))
    })
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
                assert_eq!(Some(kind), DemoKind::from_name("gan1d"));
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
    fn locates_bad_demo_options_at_their_key() {
        let body = "preset = \"mode-colapse\"\n  nope = 1\nmodes = 4\n";
        let Ok(Some(Embed::Demo { kind, options })) = parse_embed("demo gan1d", body) else {
            panic!("a demo block");
        };
        let found = check_demo_options(kind, &options, body);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!((found[0].0, found[0].1), (2, 3), "{found:?}");
        assert!(found[0].2.contains("no option `nope`"), "{found:?}");
        assert_eq!((found[1].0, found[1].1), (1, 1), "{found:?}");
        assert!(found[1].2.contains("`mode-colapse`"), "{found:?}");
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
