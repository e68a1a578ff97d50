//! Study cards: one per seed flashcard (ids 1-37, in seed order), parsed from `content/cards/*.toml`.

use serde::{Deserialize, Serialize};

/// A point a typed answer must mention, with accepted alternative phrasings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyPoint {
    pub point: String,
    #[serde(default)]
    pub synonyms: Vec<String>,
}

/// One study card. Text fields are Markdown with `$math$`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Card {
    pub id: u32,
    pub front: String,
    pub back: String,
    /// The right answer in one sentence, in the style and length of the distractors: the
    /// correct multiple-choice option (the full `back` would give itself away by its length).
    #[serde(default)]
    pub answer: String,
    /// Short name for the Matching game ("Mode collapse").
    pub term: String,
    /// One-line definition for the Matching game.
    pub definition: String,
    pub tags: Vec<String>,
    /// `slug#anchor` of the lesson section that teaches this card.
    pub lesson: String,
    pub key_points: Vec<KeyPoint>,
    /// Wrong claims students make about this card's question (a role swap, an inverted
    /// relation, a half-remembered fact), each with accepted phrasings: an answer that states
    /// one is marked wrong, and the learner is shown which claim is not right. Written from
    /// subject knowledge, like the key points.
    #[serde(default)]
    pub misconceptions: Vec<KeyPoint>,
    /// Three plausible wrong answers for multiple choice.
    pub distractors: Vec<String>,
    pub true_statement: String,
    pub false_statement: String,
    pub sources: Vec<String>,
}

impl Card {
    /// The correct multiple-choice option: `answer`, or `back` for a card without one.
    pub fn mc_answer(&self) -> &str {
        if self.answer.trim().is_empty() {
            &self.back
        } else {
            &self.answer
        }
    }

    /// The lesson slug part of `lesson` (`gan-objective#training-loop` -> `gan-objective`).
    pub fn lesson_slug(&self) -> &str {
        self.lesson.split('#').next().unwrap_or("")
    }

    /// The anchor part of `lesson`, if any.
    pub fn lesson_anchor(&self) -> Option<&str> {
        self.lesson.split_once('#').map(|(_, a)| a)
    }
}

#[derive(Debug, Deserialize)]
#[cfg(feature = "compile")]
struct CardFile {
    #[serde(default)]
    card: Vec<Card>,
}

/// Parses one cards TOML file. `name` is used in error messages only.
#[cfg(feature = "compile")]
pub fn parse_cards(name: &str, src: &str) -> Result<Vec<Card>, super::ContentError> {
    toml::from_str::<CardFile>(src)
        .map(|f| f.card)
        .map_err(|e| super::ContentError::toml(name, src, &e))
}

#[cfg(all(test, feature = "compile"))]
mod tests {
    use super::*;

    #[test]
    fn parses_a_card_and_splits_its_lesson_link() {
        let src = r#"
[[card]]
id = 3
front = "Q"
back = '''$\frac{1}{2}$'''
term = "T"
definition = "D"
tags = ["gan"]
lesson = "gan-objective#training-loop"
key_points = [{ point = "k steps", synonyms = ["several"] }]
answer = "a1"
distractors = ["a", "b", "c"]
true_statement = "t"
false_statement = "f"
sources = ["Goodfellow et al. 2014"]
"#;
        let cards = parse_cards("x.toml", src).expect("valid card");
        assert_eq!(cards.len(), 1);
        assert_eq!(cards[0].back, r"$\frac{1}{2}$");
        assert_eq!(cards[0].lesson_slug(), "gan-objective");
        assert_eq!(cards[0].lesson_anchor(), Some("training-loop"));
    }

    #[test]
    fn a_missing_field_names_the_file_and_line() {
        let err = parse_cards("bad.toml", "[[card]]\nid = 1\n").unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("bad.toml"), "{msg}");
        assert!(msg.starts_with("bad.toml:1:"), "{msg}");
    }
}
