//! LaTeX to MathML, in pure Rust (pulldown-latex), plus a structural check of the output.
//!
//! pulldown-latex renders unknown commands as `<merror>` and, in a few known cases
//! (`\min_{a}\max_{b}`), emits scripts with the wrong number of children. Both make a
//! formula look wrong in the browser without any error, so [`render`] reports them.

use pulldown_latex::config::DisplayMode;
use pulldown_latex::{push_mathml, Parser, RenderConfig, Storage};

/// Whether a formula is inline (`$..$`) or on its own line (`$$..$$`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Display {
    Inline,
    Block,
}

/// Renders `tex` to a `<math>` element. The error explains what is wrong with the formula.
/// On error the returned MathML (with the problem marked) is still usable for display.
pub fn render(tex: &str, display: Display) -> Result<String, (String, String)> {
    let storage = Storage::new();
    let parser = Parser::new(tex, &storage);
    let mut events = Vec::new();
    let mut problems = Vec::new();
    for ev in parser {
        if let Err(e) = &ev {
            problems.push(e.to_string());
        }
        events.push(ev);
    }
    // No `<annotation>` with the TeX source: it is never displayed and would double the size.
    let config = RenderConfig {
        display_mode: match display {
            Display::Inline => DisplayMode::Inline,
            Display::Block => DisplayMode::Block,
        },
        ..Default::default()
    };
    let mut out = String::new();
    if let Err(e) = push_mathml(&mut out, events.into_iter(), config) {
        problems.push(e.to_string());
    }
    // pulldown-latex 0.8 writes `<` and `>` operators unescaped (`<mo><</mo>`).
    let out = out.replace("><</", ">&lt;</").replace(">></", ">&gt;</");
    if problems.is_empty() {
        if let Err(p) = check_structure(&out) {
            problems.push(p);
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err((out, problems.join("; ")))
    }
}

/// The exact number of element children MathML requires for scripted and fraction elements.
fn required_children(tag: &str) -> Option<usize> {
    match tag {
        "munder" | "mover" | "msub" | "msup" | "mfrac" | "mroot" => Some(2),
        "munderover" | "msubsup" => Some(3),
        _ => None,
    }
}

/// Walks the MathML tags (the output is well-formed XML without comments) and checks for
/// `<merror>` and wrong child counts.
pub fn check_structure(mathml: &str) -> Result<(), String> {
    // Stack of (tag name, element children seen so far).
    let mut stack: Vec<(String, usize)> = Vec::new();
    let mut rest = mathml;
    while let Some(start) = rest.find('<') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('>') else {
            return Err("unterminated tag in MathML output".into());
        };
        let tag_src = &after[..end];
        rest = &after[end + 1..];
        if let Some(name) = tag_src.strip_prefix('/') {
            let name = name.trim();
            match stack.pop() {
                Some((open, n)) if open == name => {
                    if let Some(req) = required_children(name) {
                        if n != req {
                            return Err(format!(
                                "<{name}> has {n} children instead of {req} (try grouping with braces, e.g. `\\min_{{a}} {{\\max_{{b}}}}`)"
                            ));
                        }
                    }
                }
                _ => return Err(format!("mismatched closing tag </{name}>")),
            }
            continue;
        }
        let self_closing = tag_src.ends_with('/');
        let name: String = tag_src
            .trim_end_matches('/')
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_string();
        if name == "merror" {
            return Err("unsupported or malformed LaTeX (rendered as <merror>)".into());
        }
        if let Some(parent) = stack.last_mut() {
            parent.1 += 1;
        }
        if !self_closing {
            stack.push((name, 0));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_fractions_roots_and_expectations() {
        let m = render(
            r"\mathbb{E}_{x\sim p^*}\left[\log D(x)\right] + \frac{1}{2}\sqrt{\bar{\alpha}_t}",
            Display::Block,
        )
        .expect("renders");
        assert!(m.starts_with("<math"), "{m}");
        assert!(m.contains("<mfrac>") && m.contains("<msqrt>"), "{m}");
        assert!(m.contains("display=\"block\""), "{m}");
    }

    #[test]
    fn comparison_signs_stay_valid_html() {
        let m = render(r"D < \tfrac{1}{2} > 0", Display::Inline).expect("renders");
        assert!(
            m.contains("<mo>&lt;</mo>") && m.contains("<mo>&gt;</mo>"),
            "{m}"
        );
        assert!(check_structure(&m).is_ok());
    }

    #[test]
    fn unknown_command_is_an_error() {
        let (_, msg) = render(r"\notacommand{x}", Display::Inline).unwrap_err();
        assert!(!msg.is_empty());
    }

    #[test]
    fn catches_the_adjacent_limits_bug_and_accepts_the_workaround() {
        assert!(render(r"\min_{\theta}\max_{\phi} V", Display::Block).is_err());
        assert!(render(r"\min_{\theta} {\max_{\phi}} V", Display::Block).is_ok());
    }

    #[test]
    fn structure_check_counts_children() {
        assert!(check_structure("<math><mfrac><mn>1</mn><mn>2</mn></mfrac></math>").is_ok());
        assert!(check_structure("<math><mfrac><mn>1</mn></mfrac></math>").is_err());
        assert!(check_structure("<math><merror><mtext>x</mtext></merror></math>").is_err());
    }
}
