//! Pre-rendered content: everything the browser needs, with Markdown and LaTeX already turned into
//! HTML + MathML. Produced at build time by [`compile`], serialized to JSON, and deserialized by the
//! app; it carries no parser.

use crate::cards::Card;
use crate::lesson::FrontMatter;
#[cfg(feature = "compile")]
use crate::library::Library;
#[cfg(feature = "compile")]
use crate::markdown::render_fragment;
use crate::markdown::{Block, TocEntry};
#[cfg(feature = "compile")]
use crate::ContentError;
use serde::{Deserialize, Serialize};

/// A topic of the lesson map (a `## Part` of SUMMARY.md).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompiledPart {
    pub title: String,
    /// Lesson slugs in reading order.
    pub lessons: Vec<String>,
}

/// A rendered lesson.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompiledLesson {
    pub slug: String,
    pub front: FrontMatter,
    pub blocks: Vec<Block>,
    pub toc: Vec<TocEntry>,
}

/// A card's faces rendered to HTML (same order and meaning as the [`Card`] fields).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CardHtml {
    pub front: String,
    pub back: String,
    pub answer: String,
    pub true_statement: String,
    pub false_statement: String,
    pub distractors: Vec<String>,
}

/// A card's texts as they are spoken (maths read out: "x sub t minus one", "alpha bar t"), made
/// at build time from the LaTeX, for the spoken tutor.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CardSpeech {
    /// The question.
    pub front: String,
    /// The one-line answer.
    pub answer: String,
    /// One per key point, in the card's order.
    pub key_points: Vec<String>,
}

/// A correction with its text rendered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompiledCorrection {
    pub card: u32,
    pub deck_said: String,
    pub correction: String,
    pub source: String,
}

/// All content, ready to display.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Compiled {
    pub parts: Vec<CompiledPart>,
    /// In reading order.
    pub lessons: Vec<CompiledLesson>,
    /// Sorted by id; `card_html[i]` belongs to `cards[i]`.
    pub cards: Vec<Card>,
    pub card_html: Vec<CardHtml>,
    /// `card_speech[i]` is `cards[i]` as spoken (empty in content compiled before it existed).
    #[serde(default)]
    pub card_speech: Vec<CardSpeech>,
    pub corrections: Vec<CompiledCorrection>,
    pub about_html: String,
}

/// Renders the whole library. Rendering problems are returned (the lint reports them too); the
/// output is still complete and displayable.
#[cfg(feature = "compile")]
pub fn compile(lib: &Library) -> (Compiled, Vec<ContentError>) {
    let mut errors = Vec::new();
    let mut frag = |file: &str, src: &str| {
        let (html, errs) = render_fragment(file, src);
        errors.extend(errs);
        html
    };
    let cards = lib.cards.clone();
    let card_html = cards
        .iter()
        .map(|c| {
            let file = format!("cards (card {})", c.id);
            CardHtml {
                front: frag(&file, &c.front),
                back: frag(&file, &c.back),
                answer: frag(&file, &c.answer),
                true_statement: frag(&file, &c.true_statement),
                false_statement: frag(&file, &c.false_statement),
                distractors: c.distractors.iter().map(|d| frag(&file, d)).collect(),
            }
        })
        .collect();
    let mut speech_errors = Vec::new();
    let card_speech = cards
        .iter()
        .map(|c| {
            crate::speech::card_speech(c).unwrap_or_else(|(field, msg)| {
                speech_errors.push(ContentError::Card {
                    file: "cards/".into(),
                    id: c.id,
                    msg: format!("`{field}` has no spoken form: {msg}"),
                });
                CardSpeech::default()
            })
        })
        .collect();
    let corrections = lib
        .corrections
        .iter()
        .map(|c| CompiledCorrection {
            card: c.card,
            deck_said: frag("corrections", &c.deck_said),
            correction: frag("corrections", &c.correction),
            source: c.source.clone(),
        })
        .collect();
    let about_html = frag("about.md", &lib.about);
    let lessons = lib
        .lessons
        .iter()
        .map(|l| {
            let r = Library::render_lesson(l);
            errors.extend(r.errors);
            CompiledLesson {
                slug: l.slug.clone(),
                front: l.front.clone(),
                blocks: r.blocks,
                toc: r.toc,
            }
        })
        .collect();
    let parts = lib
        .summary
        .parts
        .iter()
        .map(|p| CompiledPart {
            title: p.title.clone(),
            lessons: p.items.iter().map(|i| i.slug.clone()).collect(),
        })
        .collect();
    errors.extend(speech_errors);
    (
        Compiled {
            parts,
            lessons,
            cards,
            card_html,
            card_speech,
            corrections,
            about_html,
        },
        errors,
    )
}

impl Compiled {
    pub fn lesson(&self, slug: &str) -> Option<&CompiledLesson> {
        self.lessons.iter().find(|l| l.slug == slug)
    }

    /// Previous and next lessons in reading order.
    pub fn neighbours(&self, slug: &str) -> (Option<&CompiledLesson>, Option<&CompiledLesson>) {
        let Some(i) = self.lessons.iter().position(|l| l.slug == slug) else {
            return (None, None);
        };
        let prev = i.checked_sub(1).and_then(|p| self.lessons.get(p));
        (prev, self.lessons.get(i + 1))
    }

    pub fn card(&self, id: u32) -> Option<&Card> {
        self.cards.iter().find(|c| c.id == id)
    }

    /// The rendered faces of card `id`.
    pub fn card_html(&self, id: u32) -> Option<&CardHtml> {
        let i = self.cards.iter().position(|c| c.id == id)?;
        self.card_html.get(i)
    }

    /// The spoken forms of card `id` (empty forms if the content has none).
    pub fn card_speech(&self, id: u32) -> CardSpeech {
        self.cards
            .iter()
            .position(|c| c.id == id)
            .and_then(|i| self.card_speech.get(i))
            .cloned()
            .unwrap_or_default()
    }

    /// The lesson's title, or the slug when there is no such lesson.
    pub fn lesson_title<'a>(&'a self, slug: &'a str) -> &'a str {
        self.lesson(slug)
            .map(|l| l.front.title.as_str())
            .unwrap_or(slug)
    }
}

#[cfg(all(test, feature = "compile"))]
mod tests {
    use super::*;

    #[test]
    fn compiles_lessons_cards_and_parts_in_order() {
        let lesson = "+++\ntitle = \"A\"\nsummary = \"s\"\ncards = [1]\n+++\n## Intro {#intro}\n\n$$\\frac{1}{2}$$\n";
        let b = "+++\ntitle = \"B\"\nsummary = \"s\"\n+++\ntext\n";
        let cards = "[[card]]\nid = 1\nfront = 'What is $x$?'\nback = 'b'\nterm = 't'\ndefinition = 'd'\ntags = ['x']\nlesson = 'a#intro'\nkey_points = []\ndistractors = ['$y$']\ntrue_statement = 't'\nfalse_statement = 'f'\nsources = ['s']\n";
        let files = [
            (
                "SUMMARY.md",
                "## P\n- [A](lessons/a.md)\n- [B](lessons/b.md)\n",
            ),
            ("lessons/b.md", b),
            ("lessons/a.md", lesson),
            ("cards/a.toml", cards),
        ];
        let (lib, errors) = Library::from_files(&files);
        assert!(errors.is_empty(), "{errors:?}");
        let (c, errors) = compile(&lib);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(c.parts[0].lessons, vec!["a", "b"]);
        assert_eq!(c.lessons[0].toc[0].id, "intro");
        assert!(matches!(&c.lessons[0].blocks[0], Block::Html(h) if h.contains("<mfrac>")));
        let html = c.card_html(1).expect("card 1 html");
        assert!(html.front.contains("<math"), "{}", html.front);
        assert!(
            html.distractors[0].contains("<mi>y</mi>"),
            "{:?}",
            html.distractors
        );
        assert_eq!(c.card_speech(1).front, "What is x?");
        let (prev, next) = c.neighbours("b");
        assert_eq!(prev.map(|l| l.slug.as_str()), Some("a"));
        assert!(next.is_none());
    }
}
