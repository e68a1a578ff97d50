//! The content lint: every check the app relies on, run over all content by a native test
//! (`tests/content.rs`). Errors name the file and, where possible, line and column.
//!
//! Demo blocks are checked against the demo registry ([`crate::registry`]): an unknown demo, an
//! unknown option key or a value the demo does not accept (a misspelt preset would otherwise
//! fall back to the default without a word) is an error at the option's line and column.

use super::cards::Card;
use super::embed::Embed;
use super::library::Library;
use super::markdown::{self, LinkTarget, Rendered};
use super::{ContentError, SEED_CARD_COUNT};
use std::collections::{BTreeMap, BTreeSet};

/// Checks all content and returns every problem found (empty means clean).
pub fn lint(files: &[(&str, &str)]) -> Vec<ContentError> {
    let (lib, mut errors) = Library::from_files(files);
    let rendered: BTreeMap<&str, Rendered> = lib
        .lessons
        .iter()
        .map(|l| (l.slug.as_str(), Library::render_lesson(l)))
        .collect();
    let summary_slugs: BTreeSet<&str> = lib.summary.slugs().collect();
    let summary_file = "SUMMARY.md";

    for part in &lib.summary.parts {
        for item in &part.items {
            if lib.lesson(&item.slug).is_none() {
                errors.push(ContentError::Summary {
                    file: summary_file.into(),
                    line: item.line,
                    msg: format!("links to `lessons/{}.md`, which does not exist", item.slug),
                });
            }
        }
    }

    let card_ids: BTreeSet<u32> = lib.cards.iter().map(|c| c.id).collect();
    for lesson in &lib.lessons {
        let file = lesson.file.as_str();
        if !summary_slugs.contains(lesson.slug.as_str()) {
            errors.push(ContentError::File {
                file: file.into(),
                msg: "orphaned: not listed in SUMMARY.md".into(),
            });
        }
        if lesson.front.sources.is_empty() {
            errors.push(ContentError::FrontMatter {
                file: file.into(),
                line: 1,
                msg: "`sources` is empty: cite the primary papers".into(),
            });
        }
        for id in &lesson.front.cards {
            if !card_ids.contains(id) {
                errors.push(ContentError::FrontMatter {
                    file: file.into(),
                    line: 1,
                    msg: format!("front matter lists card {id}, which does not exist"),
                });
            }
        }
        let Some(r) = rendered.get(lesson.slug.as_str()) else {
            continue;
        };
        errors.extend(r.errors.iter().cloned());
        for link in &r.links {
            let problem = match &link.target {
                LinkTarget::Anchor(a) if !r.anchors.contains(a) => {
                    Some(format!("no heading with id `{a}` on this page"))
                }
                LinkTarget::Lesson { slug, anchor } => match rendered.get(slug.as_str()) {
                    None => Some(format!("no lesson `{slug}`")),
                    Some(other) => match anchor {
                        Some(a) if !other.anchors.contains(a) => {
                            Some(format!("lesson `{slug}` has no heading with id `{a}`"))
                        }
                        _ => None,
                    },
                },
                _ => None,
            };
            if let Some(msg) = problem {
                errors.push(ContentError::Link {
                    file: file.into(),
                    line: link.line,
                    col: link.col,
                    target: link.raw.clone(),
                    msg,
                });
            }
        }
        for (embed, line, col) in &r.embeds {
            if let Embed::Quiz { card } = embed {
                if !card_ids.contains(card) {
                    errors.push(ContentError::Embed {
                        file: file.into(),
                        line: *line,
                        col: *col,
                        msg: format!("quiz names card {card}, which does not exist"),
                    });
                }
            }
        }
    }

    for card in &lib.cards {
        errors.extend(lint_card(card, &lib, &rendered));
    }
    let expected: BTreeSet<u32> = (1..=SEED_CARD_COUNT).collect();
    for missing in expected.difference(&card_ids) {
        errors.push(ContentError::File {
            file: "cards/".into(),
            msg: format!("seed card {missing} has no study card"),
        });
    }
    let mut seen = BTreeSet::new();
    for c in &lib.cards {
        if !seen.insert(c.id) {
            errors.push(ContentError::File {
                file: "cards/".into(),
                msg: format!("card id {} is defined twice", c.id),
            });
        }
    }
    let mut definitions = BTreeMap::new();
    for c in &lib.cards {
        if let Some(other) = definitions.insert(c.definition.trim().to_lowercase(), c.id) {
            errors.push(card_err(
                c,
                format!("has the same Matching definition as card {other}"),
            ));
        }
    }
    for corr in &lib.corrections {
        if !card_ids.contains(&corr.card)
            || corr.source.trim().is_empty()
            || corr.correction.trim().is_empty()
        {
            errors.push(ContentError::File {
                file: "corrections/".into(),
                msg: format!(
                    "correction for card {} needs an existing card, a correction and a source",
                    corr.card
                ),
            });
        }
        let (_, errs) = markdown::render_fragment(
            "corrections/",
            &format!("{}\n\n{}", corr.deck_said, corr.correction),
        );
        errors.extend(errs);
    }
    errors
}

fn card_err(card: &Card, msg: String) -> ContentError {
    ContentError::Card {
        file: "cards/".into(),
        id: card.id,
        msg,
    }
}

fn lint_card(card: &Card, lib: &Library, rendered: &BTreeMap<&str, Rendered>) -> Vec<ContentError> {
    let mut errors = Vec::new();
    let mut err = |msg: String| errors.push(card_err(card, msg));
    if !(1..=SEED_CARD_COUNT).contains(&card.id) {
        err(format!("id must be between 1 and {SEED_CARD_COUNT}"));
    }
    for (name, text) in [
        ("front", &card.front),
        ("back", &card.back),
        ("answer", &card.answer),
        ("term", &card.term),
        ("definition", &card.definition),
        ("true_statement", &card.true_statement),
        ("false_statement", &card.false_statement),
    ] {
        if text.trim().is_empty() {
            err(format!("`{name}` is empty"));
        }
    }
    if !(3..=5).contains(&card.key_points.len()) {
        err(format!(
            "needs 3-5 key points, has {}",
            card.key_points.len()
        ));
    }
    if card.distractors.len() != 3 {
        err(format!(
            "needs exactly 3 distractors, has {}",
            card.distractors.len()
        ));
    }
    // Multiple choice must not give the answer away by its length.
    let mean = card
        .distractors
        .iter()
        .map(|d| d.chars().count())
        .sum::<usize>() as f64
        / card.distractors.len().max(1) as f64;
    let len = card.answer.chars().count() as f64;
    if !card.answer.trim().is_empty() && mean > 0.0 && !(0.5..=2.0).contains(&(len / mean)) {
        err(format!(
            "`answer` is {len} characters against distractors of {mean:.0} on average; keep it \
             between half and twice their length so it cannot be picked by length"
        ));
    }
    if card.answer.contains("$$") || card.answer.contains('\n') {
        err("`answer` must be one line of text (no display math), like the distractors".into());
    }
    if card.sources.is_empty() {
        err("`sources` is empty".into());
    }
    if card.tags.is_empty() {
        err("`tags` is empty".into());
    }
    let slug = card.lesson_slug();
    match (rendered.get(slug), card.lesson_anchor()) {
        (None, _) => err(format!("`lesson = \"{}\"` names no lesson", card.lesson)),
        (Some(_), None) => err("`lesson` needs an anchor: `slug#section`".into()),
        (Some(r), Some(a)) if !r.anchors.iter().any(|x| x == a) => {
            err(format!("lesson `{slug}` has no section `#{a}`"))
        }
        _ => {}
    }
    match lib.lesson(slug) {
        Some(l) if !l.front.cards.contains(&card.id) => err(format!(
            "orphaned: lesson `{slug}` does not list it in its front matter `cards`"
        )),
        _ => {}
    }
    // The spoken tutor reads the question, the answer and the key points aloud.
    if let Err((field, msg)) = super::speech::card_speech(card) {
        err(format!(
            "`{field}` has no spoken form ({msg}); write its maths with supported LaTeX"
        ));
    }
    let texts = std::iter::once(&card.front)
        .chain([
            &card.back,
            &card.answer,
            &card.true_statement,
            &card.false_statement,
        ])
        .chain(card.distractors.iter());
    for t in texts {
        let (_, errs) = markdown::render_fragment(&format!("cards/ (card {})", card.id), t);
        errors.extend(errs);
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_card_without_a_spoken_form_is_refused() {
        let mut card = crate::Card {
            id: 1,
            front: r"What is $\notspeakable{x}$?".into(),
            back: "b".into(),
            answer: "a".into(),
            term: "t".into(),
            definition: "d".into(),
            tags: vec!["x".into()],
            lesson: "a#intro".into(),
            key_points: vec![],
            misconceptions: vec![],
            distractors: vec![],
            true_statement: "t".into(),
            false_statement: "f".into(),
            sources: vec!["s".into()],
        };
        let (lib, _) = Library::from_files(&[]);
        let msgs: Vec<String> = lint_card(&card, &lib, &BTreeMap::new())
            .iter()
            .map(|e| e.to_string())
            .collect();
        assert!(
            msgs.iter()
                .any(|m| m.contains("`front` has no spoken form") && m.contains("notspeakable")),
            "{msgs:#?}"
        );
        card.front = r"What is $\bar{\alpha}_t$?".into();
        let msgs: Vec<String> = lint_card(&card, &lib, &BTreeMap::new())
            .iter()
            .map(|e| e.to_string())
            .collect();
        assert!(!msgs.iter().any(|m| m.contains("spoken form")), "{msgs:#?}");
    }

    #[test]
    fn reports_broken_links_orphans_missing_cards_and_bad_quizzes() {
        let lesson = "+++\ntitle = \"A\"\nsummary = \"s\"\nsources = [\"x\"]\n+++\n## Intro {#intro}\n\n[x](b.md#nope) [y](#intro)\n\n```quiz\ncard = 99\n```\n";
        let orphan = "+++\ntitle = \"B\"\nsummary = \"s\"\nsources = [\"x\"]\n+++\n## B\n";
        let files = [
            ("SUMMARY.md", "## P\n- [A](lessons/a.md)\n"),
            ("lessons/a.md", lesson),
            ("lessons/b.md", orphan),
        ];
        let msgs: Vec<String> = lint(&files).iter().map(|e| e.to_string()).collect();
        let has = |s: &str| msgs.iter().any(|m| m.contains(s));
        assert!(
            has("lessons/a.md:8:1: broken link `b.md#nope`"),
            "{msgs:#?}"
        );
        assert!(!has("`#intro`"), "{msgs:#?}");
        assert!(has("orphaned: not listed in SUMMARY.md"), "{msgs:#?}");
        assert!(has("quiz names card 99"), "{msgs:#?}");
        assert!(has("seed card 37 has no study card"), "{msgs:#?}");
    }

    /// A clean one-lesson library with `block` (a fenced demo block) at line 8 of `lessons/a.md`.
    fn lint_demo_block(block: &str) -> Vec<String> {
        let lesson = format!(
            "+++\ntitle = \"A\"\nsummary = \"s\"\nsources = [\"x\"]\n+++\n## Intro {{#intro}}\n\n{block}\n"
        );
        let files = [
            ("SUMMARY.md", "## P\n- [A](lessons/a.md)\n"),
            ("lessons/a.md", lesson.as_str()),
        ];
        lint(&files)
            .iter()
            .map(|e| e.to_string())
            .filter(|m| m.starts_with("lessons/a.md"))
            .collect()
    }

    #[test]
    fn a_misspelt_demo_preset_is_an_error_at_its_line_and_column() {
        let ok = lint_demo_block("```demo gan1d\npreset = \"mode-collapse\"\n```");
        assert!(ok.is_empty(), "{ok:#?}");
        let msgs = lint_demo_block("```demo gan1d\npreset = \"mode-colapse\"\n```");
        assert_eq!(msgs.len(), 1, "{msgs:#?}");
        assert!(
            msgs[0].starts_with("lessons/a.md:9:1: bad embed: option `preset` of demo `gan1d`")
                && msgs[0].contains("did you mean `mode-collapse`?"),
            "{msgs:#?}"
        );
    }

    #[test]
    fn an_unknown_demo_option_or_a_bad_value_is_an_error() {
        let msgs =
            lint_demo_block("```demo flow2d\ndataset = \"moons\"\n  data_set = \"rings\"\n```");
        assert_eq!(msgs.len(), 1, "{msgs:#?}");
        assert!(
            msgs[0].starts_with(
                "lessons/a.md:10:3: bad embed: demo `flow2d` has no option `data_set`"
            ),
            "{msgs:#?}"
        );
        let msgs = lint_demo_block("```demo diffusion-forward\nt = 5000\n```");
        assert!(
            msgs.len() == 1
                && msgs[0].starts_with("lessons/a.md:9:1:")
                && msgs[0].contains("outside 0..=1000"),
            "{msgs:#?}"
        );
        let msgs = lint_demo_block("```demo gan2d\n```");
        assert!(
            msgs.len() == 1
                && msgs[0].starts_with("lessons/a.md:8:1:")
                && msgs[0].contains("unknown demo `gan2d`"),
            "{msgs:#?}"
        );
    }
}
