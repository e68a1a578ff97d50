//! All content, parsed into typed data: the summary, lessons in reading order, cards and corrections.

use super::cards::{parse_cards, Card};
use super::corrections::{parse_corrections, Correction};
use super::lesson::{parse_lesson, Lesson};
use super::markdown::{self, Rendered};
use super::summary::{parse_summary, Summary};
use super::ContentError;

/// Everything under `content/`, parsed.
#[derive(Debug, Clone, Default)]
pub struct Library {
    pub summary: Summary,
    /// In SUMMARY order; lessons missing from SUMMARY come last (the lint reports them).
    pub lessons: Vec<Lesson>,
    /// Sorted by id.
    pub cards: Vec<Card>,
    pub corrections: Vec<Correction>,
    /// Markdown introduction of the "About this content" page (`content/about.md`).
    pub about: String,
}

impl Library {
    /// Parses a table of (path relative to `content/`, text). Never fails: whatever parses is kept,
    /// and every problem is returned so the lint can list them all at once.
    pub fn from_files(files: &[(&str, &str)]) -> (Library, Vec<ContentError>) {
        let mut lib = Library::default();
        let mut errors = Vec::new();
        let mut lessons = Vec::new();
        let mut saw_summary = false;
        for &(path, text) in files {
            if path == "SUMMARY.md" {
                saw_summary = true;
                match parse_summary(path, text) {
                    Ok(s) => lib.summary = s,
                    Err(e) => errors.push(e),
                }
            } else if path == "about.md" {
                lib.about = text.to_string();
            } else if path.starts_with("lessons/") && path.ends_with(".md") {
                match parse_lesson(path, text) {
                    Ok(l) => lessons.push(l),
                    Err(e) => errors.push(e),
                }
            } else if path.starts_with("cards/") && path.ends_with(".toml") {
                match parse_cards(path, text) {
                    Ok(c) => lib.cards.extend(c),
                    Err(e) => errors.push(e),
                }
            } else if path.starts_with("corrections/") && path.ends_with(".toml") {
                match parse_corrections(path, text) {
                    Ok(c) => lib.corrections.extend(c),
                    Err(e) => errors.push(e),
                }
            }
        }
        if !saw_summary {
            errors.push(ContentError::File {
                file: "SUMMARY.md".into(),
                msg: "missing: it gives the lesson order".into(),
            });
        }
        let order: Vec<String> = lib.summary.slugs().map(str::to_string).collect();
        lessons.sort_by_key(|l| {
            order
                .iter()
                .position(|s| *s == l.slug)
                .unwrap_or(usize::MAX)
        });
        lib.lessons = lessons;
        lib.cards.sort_by_key(|c| c.id);
        lib.corrections.sort_by_key(|c| c.card);
        (lib, errors)
    }

    pub fn lesson(&self, slug: &str) -> Option<&Lesson> {
        self.lessons.iter().find(|l| l.slug == slug)
    }

    /// Previous and next lessons in reading order.
    pub fn neighbours(&self, slug: &str) -> (Option<&Lesson>, Option<&Lesson>) {
        let Some(i) = self.lessons.iter().position(|l| l.slug == slug) else {
            return (None, None);
        };
        let prev = i.checked_sub(1).and_then(|p| self.lessons.get(p));
        (prev, self.lessons.get(i + 1))
    }

    pub fn card(&self, id: u32) -> Option<&Card> {
        self.cards.iter().find(|c| c.id == id)
    }

    /// Renders a lesson body to blocks, toc and anchors.
    pub fn render_lesson(lesson: &Lesson) -> Rendered {
        markdown::render(&lesson.file, &lesson.body, lesson.body_line)
    }

    /// The lesson's title, or the slug when the lesson is missing.
    pub fn lesson_title<'a>(&'a self, slug: &'a str) -> &'a str {
        self.lesson(slug)
            .map(|l| l.front.title.as_str())
            .unwrap_or(slug)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lesson(title: &str) -> String {
        format!("+++\ntitle = \"{title}\"\nsummary = \"s\"\n+++\n## Intuition {{#intuition}}\n")
    }

    #[test]
    fn orders_lessons_by_summary_and_finds_neighbours() {
        let (a, b) = (lesson("A"), lesson("B"));
        let files = [
            ("lessons/b.md", b.as_str()),
            ("lessons/a.md", a.as_str()),
            (
                "SUMMARY.md",
                "## P\n- [A](lessons/a.md)\n- [B](lessons/b.md)\n",
            ),
        ];
        let (lib, errors) = Library::from_files(&files);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(lib.lessons[0].slug, "a");
        let (prev, next) = lib.neighbours("a");
        assert!(prev.is_none());
        assert_eq!(next.map(|l| l.slug.as_str()), Some("b"));
        assert_eq!(lib.lesson_title("b"), "B");
        assert_eq!(lib.lesson_title("zzz"), "zzz");
    }

    #[test]
    fn collects_every_error_and_keeps_the_rest() {
        let good = lesson("Good");
        let files = [
            ("lessons/good.md", good.as_str()),
            ("lessons/bad.md", "no front matter"),
            ("cards/x.toml", "[[card]]\nid = 1\n"),
        ];
        let (lib, errors) = Library::from_files(&files);
        assert_eq!(lib.lessons.len(), 1);
        assert_eq!(errors.len(), 3, "{errors:?}"); // bad lesson, bad cards, missing SUMMARY
    }
}
