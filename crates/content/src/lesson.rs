//! A lesson file: TOML front matter between `+++` lines, then Markdown.

#[cfg(feature = "compile")]
use super::ContentError;
use serde::{Deserialize, Serialize};

/// The lesson's metadata, from its front matter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: String,
    /// One sentence for the lesson map.
    pub summary: String,
    #[serde(default)]
    pub tags: Vec<String>,
    /// Seed card ids this lesson teaches.
    #[serde(default)]
    pub cards: Vec<u32>,
    /// Primary sources: authors, year, title, venue, sections. Rendered as the lesson's "Sources".
    #[serde(default)]
    pub sources: Vec<String>,
}

/// A parsed (not yet rendered) lesson.
#[derive(Debug, Clone, PartialEq)]
#[cfg(feature = "compile")]
pub struct Lesson {
    /// File stem: `content/lessons/gan-objective.md` has slug `gan-objective`.
    pub slug: String,
    /// Path relative to `content/`, for error messages.
    pub file: String,
    pub front: FrontMatter,
    pub body: String,
    /// 1-based line of the first body line in the file, so body errors report file lines.
    pub body_line: usize,
}

/// Parses `src` (the file `file`, e.g. `lessons/gan-objective.md`).
#[cfg(feature = "compile")]
pub fn parse_lesson(file: &str, src: &str) -> Result<Lesson, ContentError> {
    let slug = file
        .rsplit('/')
        .next()
        .and_then(|n| n.strip_suffix(".md"))
        .unwrap_or(file)
        .to_string();
    let fm_err = |line: usize, msg: &str| ContentError::FrontMatter {
        file: file.to_string(),
        line,
        msg: msg.to_string(),
    };
    let src = src.strip_prefix('\u{feff}').unwrap_or(src);
    let mut lines = src.split_inclusive('\n');
    match lines.next() {
        Some(first) if first.trim_end() == "+++" => {}
        _ => {
            return Err(fm_err(
                1,
                "a lesson must start with TOML front matter between `+++` lines",
            ))
        }
    }
    let mut toml_src = String::new();
    let mut consumed = 1;
    let mut closed = false;
    for l in lines.by_ref() {
        consumed += 1;
        if l.trim_end() == "+++" {
            closed = true;
            break;
        }
        toml_src.push_str(l);
    }
    if !closed {
        return Err(fm_err(1, "front matter opened with `+++` is never closed"));
    }
    let front: FrontMatter =
        toml::from_str(&toml_src).map_err(|e| ContentError::toml_at(file, &toml_src, &e, 1))?;
    if front.title.trim().is_empty() {
        return Err(fm_err(2, "front matter `title` is empty"));
    }
    let body: String = lines.collect();
    Ok(Lesson {
        slug,
        file: file.to_string(),
        front,
        body,
        body_line: consumed + 1,
    })
}

#[cfg(all(test, feature = "compile"))]
mod tests {
    use super::*;

    const OK: &str = "+++\ntitle = \"T\"\nsummary = \"S\"\ncards = [2]\n+++\n## Hi\n";

    #[test]
    fn parses_front_matter_and_body() {
        let l = parse_lesson("lessons/gan.md", OK).expect("valid");
        assert_eq!(l.slug, "gan");
        assert_eq!(l.front.cards, vec![2]);
        assert_eq!(l.body, "## Hi\n");
        assert_eq!(l.body_line, 6);
    }

    #[test]
    fn errors_point_at_the_file_line() {
        let bad = "+++\ntitle = \"T\"\nsummary = 3\n+++\n";
        let e = parse_lesson("lessons/x.md", bad).unwrap_err().to_string();
        assert!(e.starts_with("lessons/x.md:3:"), "{e}");
        let unclosed = "+++\ntitle = \"T\"\n";
        assert!(parse_lesson("lessons/x.md", unclosed).is_err());
        assert!(parse_lesson("lessons/x.md", "# no front matter").is_err());
    }
}
