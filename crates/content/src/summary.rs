//! `content/SUMMARY.md`: the lesson order, grouped into parts, in the spirit of mdBook's summary.
//!
//! ```text
//! # Summary
//! ## Generative adversarial networks
//! - [The GAN objective](lessons/gan-objective.md)
//! ```

use super::ContentError;

/// One lesson entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryItem {
    pub title: String,
    pub slug: String,
    pub line: usize,
}

/// A titled group of lessons (a topic on the home page).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub title: String,
    pub items: Vec<SummaryItem>,
}

/// The parsed summary.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Summary {
    pub parts: Vec<Part>,
}

impl Summary {
    /// All lesson slugs in reading order.
    pub fn slugs(&self) -> impl Iterator<Item = &str> {
        self.parts
            .iter()
            .flat_map(|p| p.items.iter().map(|i| i.slug.as_str()))
    }
}

/// Parses the summary. Lines are `# Title` (ignored), `## Part`, `- [Title](lessons/slug.md)` or blank.
pub fn parse_summary(file: &str, src: &str) -> Result<Summary, ContentError> {
    let mut parts: Vec<Part> = Vec::new();
    for (i, raw) in src.lines().enumerate() {
        let line = i + 1;
        let err = |msg: String| ContentError::Summary {
            file: file.to_string(),
            line,
            msg,
        };
        let l = raw.trim();
        if l.is_empty() || (l.starts_with("# ") && !l.starts_with("## ")) {
            continue;
        }
        if let Some(title) = l.strip_prefix("## ") {
            parts.push(Part {
                title: title.trim().to_string(),
                items: Vec::new(),
            });
            continue;
        }
        let item = l
            .strip_prefix("- [")
            .and_then(|rest| rest.split_once("]("))
            .and_then(|(title, rest)| rest.strip_suffix(')').map(|target| (title, target)));
        let Some((title, target)) = item else {
            return Err(err(format!(
                "expected `## Part` or `- [Title](lessons/slug.md)`, found `{l}`"
            )));
        };
        let Some(slug) = target
            .strip_prefix("lessons/")
            .and_then(|t| t.strip_suffix(".md"))
        else {
            return Err(err(format!(
                "link `{target}` must look like `lessons/slug.md`"
            )));
        };
        let Some(part) = parts.last_mut() else {
            return Err(err("a lesson must come after a `## Part` heading".into()));
        };
        part.items.push(SummaryItem {
            title: title.to_string(),
            slug: slug.to_string(),
            line,
        });
    }
    Ok(Summary { parts })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_parts_in_order() {
        let s = parse_summary(
            "SUMMARY.md",
            "# Summary\n\n## GANs\n- [A](lessons/a.md)\n- [B](lessons/b.md)\n## Diffusion\n- [C](lessons/c.md)\n",
        )
        .expect("valid");
        assert_eq!(s.parts.len(), 2);
        assert_eq!(s.slugs().collect::<Vec<_>>(), vec!["a", "b", "c"]);
        assert_eq!(s.parts[1].items[0].line, 7);
    }

    #[test]
    fn rejects_stray_lines_with_their_line_number() {
        let e = parse_summary("SUMMARY.md", "## P\n- [A](lessons/a.md)\nhello\n").unwrap_err();
        assert!(e.to_string().starts_with("SUMMARY.md:3:"), "{e}");
        let e = parse_summary("SUMMARY.md", "- [A](lessons/a.md)\n").unwrap_err();
        assert!(e.to_string().contains("after a `## Part`"), "{e}");
        let e = parse_summary("SUMMARY.md", "## P\n- [A](a.html)\n").unwrap_err();
        assert!(e.to_string().contains("lessons/slug.md"), "{e}");
    }
}
