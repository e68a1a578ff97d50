//! The one list of demos a lesson may embed: each entry's block name, frame title and the
//! options its `demo <name>` block accepts.
//!
//! This is the pure half of the registry, so the content lint (which runs natively, without the
//! demos module) can check names and options. The demos crate maps every entry to its component
//! with one line (`gentutor_demos::registry`); its tests fail if an entry has no component or an
//! option's values drift from the models' own names.

use std::collections::BTreeMap;

/// What values an option accepts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum OptionKind {
    /// One of these strings, exactly.
    OneOf(&'static [&'static str]),
    /// A whole number in `min..=max`.
    Int { min: i64, max: i64 },
}

/// One option of a demo block: `key = value`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OptionSpec {
    pub key: &'static str,
    pub kind: OptionKind,
}

/// One registered demo.
#[derive(Debug, PartialEq)]
pub struct DemoSpec {
    /// The name used in `demo <name>` blocks (and for the worker's model kind).
    pub name: &'static str,
    /// A human title for the demo's frame.
    pub title: &'static str,
    /// The options its block accepts; any other key is an error.
    pub options: &'static [OptionSpec],
}

const fn one_of(key: &'static str, values: &'static [&'static str]) -> OptionSpec {
    OptionSpec {
        key,
        kind: OptionKind::OneOf(values),
    }
}

const fn int(key: &'static str, min: i64, max: i64) -> OptionSpec {
    OptionSpec {
        key,
        kind: OptionKind::Int { min, max },
    }
}

/// Every demo, in a stable order. Adding a demo: its model, its plot, its component, one line
/// here and one in `crates/demos/src/registry.rs`.
pub static DEMOS: &[DemoSpec] = &[
    DemoSpec {
        name: "gan1d",
        title: "A 1D GAN, live",
        options: &[
            one_of(
                "preset",
                &[
                    "default",
                    "mode-collapse",
                    "vanishing-gradients",
                    "fixed-wgan-gp",
                    "fixed-ns-k5",
                ],
            ),
            one_of("loss", &["minimax", "ns", "lsgan", "hinge", "wgan-gp"]),
            int("modes", 1, 8),
        ],
    },
    DemoSpec {
        name: "flow2d",
        title: "A 2D normalizing flow, live",
        options: &[one_of(
            "dataset",
            &["moons", "8gaussians", "rings", "checkerboard"],
        )],
    },
    DemoSpec {
        name: "diffusion-forward",
        title: "The forward diffusion process",
        options: &[
            one_of("schedule", &["linear", "cosine", "custom"]),
            int("t", 0, 1000),
        ],
    },
    DemoSpec {
        name: "diffusion-reverse",
        title: "Reverse diffusion: train a denoiser, then sample",
        options: &[one_of("loss", &["simple", "vlb"])],
    },
    DemoSpec {
        name: "density-ratio",
        title: "A classifier as a density-ratio estimator",
        options: &[one_of("loss", &["log", "brier", "hinge"])],
    },
    DemoSpec {
        name: "divergences",
        title: "Divergences pulled apart",
        options: &[one_of("family", &["point-mass", "gaussian", "uniform"])],
    },
    DemoSpec {
        name: "vae",
        title: "A VAE on handwritten digits, live",
        options: &[one_of("decoder", &["bernoulli", "gaussian"])],
    },
    DemoSpec {
        name: "adversarial",
        title: "Adversarial examples on the digits",
        options: &[
            int("target", 0, 9),
            int("levels", 0, 8),
            int("image", 0, 358),
        ],
    },
    DemoSpec {
        name: "ssgan",
        title: "A semi-supervised GAN, live",
        options: &[
            one_of("data", &["moons", "rings", "spirals", "blobs"]),
            int("labels", 1, 50),
        ],
    },
    DemoSpec {
        name: "digits-gan",
        title: "A GAN on handwritten digits, live",
        options: &[
            one_of("preset", &["default", "collapse"]),
            one_of("start", &["checkpoint", "scratch"]),
        ],
    },
    DemoSpec {
        name: "digits-flow",
        title: "A normalizing flow on handwritten digits, live",
        options: &[one_of("start", &["checkpoint", "scratch"])],
    },
    DemoSpec {
        name: "digits-diffusion",
        title: "A diffusion model on handwritten digits, live",
        options: &[one_of("start", &["checkpoint", "scratch"])],
    },
    DemoSpec {
        name: "digits-compare",
        title: "Four model families on the same digits",
        options: &[],
    },
    DemoSpec {
        name: "timestep-sampler",
        title: "Timestep sampling: i.i.d. vs low-discrepancy",
        options: &[],
    },
];

/// The registered demo called `name`.
pub fn demo(name: &str) -> Option<&'static DemoSpec> {
    DEMOS.iter().find(|d| d.name == name)
}

impl OptionKind {
    /// Why `value` is not accepted, or `None` if it is.
    pub fn check(self, value: &str) -> Option<String> {
        match self {
            OptionKind::OneOf(values) if values.contains(&value) => None,
            OptionKind::OneOf(values) => Some(format!(
                "`{value}` is not one of: {}{}",
                values.join(", "),
                closest(value, values)
                    .map(|c| format!(" (did you mean `{c}`?)"))
                    .unwrap_or_default()
            )),
            OptionKind::Int { min, max } => match value.trim().parse::<i64>() {
                Ok(v) if (min..=max).contains(&v) => None,
                Ok(v) => Some(format!("{v} is outside {min}..={max}")),
                Err(_) => Some(format!("`{value}` is not a whole number in {min}..={max}")),
            },
        }
    }
}

impl DemoSpec {
    /// Every problem with a block's options, as (key, message), in key order. An empty list
    /// means the demo will use exactly what the lesson asked for.
    pub fn check(&self, options: &BTreeMap<String, String>) -> Vec<(String, String)> {
        options
            .iter()
            .filter_map(|(key, value)| {
                let msg = match self.options.iter().find(|o| o.key == key) {
                    Some(spec) => spec
                        .kind
                        .check(value)
                        .map(|why| format!("option `{key}` of demo `{}`: {why}", self.name)),
                    None => {
                        let keys: Vec<&str> = self.options.iter().map(|o| o.key).collect();
                        Some(if keys.is_empty() {
                            format!("demo `{}` takes no options, got `{key}`", self.name)
                        } else {
                            format!(
                                "demo `{}` has no option `{key}`; its options: {}",
                                self.name,
                                keys.join(", ")
                            )
                        })
                    }
                };
                msg.map(|m| (key.clone(), m))
            })
            .collect()
    }
}

/// The value within edit distance 2 of `value`, if exactly one is that close.
fn closest<'a>(value: &str, values: &[&'a str]) -> Option<&'a str> {
    let mut near = values.iter().filter(|v| edit_distance(value, v) <= 2);
    match (near.next(), near.next()) {
        (Some(v), None) => Some(v),
        _ => None,
    }
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn names_are_unique_and_options_are_unique_per_demo() {
        for (i, d) in DEMOS.iter().enumerate() {
            assert!(DEMOS[..i].iter().all(|e| e.name != d.name), "{}", d.name);
            for (j, o) in d.options.iter().enumerate() {
                assert!(d.options[..j].iter().all(|p| p.key != o.key), "{}", o.key);
            }
            assert_eq!(demo(d.name), Some(d));
        }
        assert_eq!(demo("nope"), None);
    }

    #[test]
    fn checks_values_keys_and_ranges() {
        let gan = demo("gan1d").expect("registered");
        assert!(gan
            .check(&opts(&[("preset", "mode-collapse"), ("modes", "4")]))
            .is_empty());
        let bad = gan.check(&opts(&[("preset", "mode-colapse")]));
        assert_eq!(bad.len(), 1);
        assert!(
            bad[0].1.contains("`mode-colapse` is not one of")
                && bad[0].1.contains("did you mean `mode-collapse`?"),
            "{bad:?}"
        );
        let bad = gan.check(&opts(&[("presets", "default")]));
        assert!(bad[0].1.contains("has no option `presets`"), "{bad:?}");
        assert!(gan.check(&opts(&[("modes", "9")]))[0]
            .1
            .contains("outside 1..=8"));
        assert!(gan.check(&opts(&[("modes", "two")]))[0]
            .1
            .contains("not a whole number"));
        let ts = demo("timestep-sampler").expect("registered");
        assert!(ts.check(&opts(&[("x", "1")]))[0]
            .1
            .contains("takes no options"));
    }

    #[test]
    fn edit_distance_counts_edits() {
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("mode-colapse", "mode-collapse"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
