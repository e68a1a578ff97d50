//! Typos: "discrimnator", "symetric", "varaince". A learner's slip of the keyboard (or a
//! speech recogniser's near miss) should not cost a key point, but a different word must not
//! be read as a card's word either. So a word is corrected only when the card never uses it,
//! it is long (seven letters or more: short words are too often other real words, "simple" /
//! "sample"), it is not a form of a word the card uses (same stem: "decodes" next to
//! "decode"), and exactly one long word of the card is one slip away from it (one of its
//! letters left out, or two neighbours swapped) with the same first and last letters: a
//! different first letter is more often another word ("batches" / "matches"), a different last
//! letter another form ("decodes" / "decoder", "classifier" / "classified"). A replaced or
//! added letter is not read as a slip: it turns real words into card words too often
//! ("simpler" / "sampler", "compete" / "compute", "missing" / "messing").

use std::collections::HashSet;

use super::text::stem;

/// Shortest word that is corrected, and shortest card word it may become.
const MIN_LEN: usize = 7;

/// The words a card uses (its question, answers, key points, misconceptions and wrong
/// options), to correct an answer's typos against.
#[derive(Debug, Default)]
pub(crate) struct Lexicon {
    words: HashSet<String>,
    stems: HashSet<String>,
    long: Vec<String>,
}

/// Lower-cased runs of ASCII letters: the words that can be corrected.
fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_ascii_lowercase())
}

/// Whether `typed` is `word` with one letter left out or two neighbouring letters swapped.
fn slip_of(typed: &[u8], word: &[u8]) -> bool {
    if typed.len() == word.len() {
        let diff: Vec<usize> = (0..typed.len()).filter(|&i| typed[i] != word[i]).collect();
        matches!(diff[..], [i, j] if j == i + 1 && typed[i] == word[j] && typed[j] == word[i])
    } else if typed.len() + 1 == word.len() {
        let first = (0..typed.len())
            .find(|&i| typed[i] != word[i])
            .unwrap_or(typed.len());
        typed[first..] == word[first + 1..]
    } else {
        false
    }
}

impl Lexicon {
    pub(crate) fn new<'a>(texts: impl IntoIterator<Item = &'a str>) -> Lexicon {
        let words: HashSet<String> = texts.into_iter().flat_map(words).collect();
        let stems = words.iter().map(|w| stem(w)).collect();
        let mut long: Vec<String> = words
            .iter()
            .filter(|w| w.len() >= MIN_LEN)
            .cloned()
            .collect();
        long.sort();
        Lexicon { words, stems, long }
    }

    /// The card word `w` is a typo of, if any (see the module docs).
    fn correction(&self, w: &str) -> Option<&str> {
        if w.len() < MIN_LEN || self.words.contains(w) || self.stems.contains(&stem(w)) {
            return None;
        }
        let ends = |v: &str| {
            v.as_bytes().first() == w.as_bytes().first()
                && v.as_bytes().last() == w.as_bytes().last()
        };
        let mut found = self
            .long
            .iter()
            .filter(|v| ends(v) && slip_of(w.as_bytes(), v.as_bytes()));
        let first = found.next()?;
        // Two candidates of different stems ("labeler" / "labeled"): a guess, not a typo.
        let first_stem = stem(first);
        found
            .all(|v| stem(v) == first_stem)
            .then_some(first.as_str())
    }

    /// `answer` with each typo replaced by the card word it stands for; everything else,
    /// case and punctuation included, unchanged.
    pub(crate) fn correct(&self, answer: &str) -> String {
        let mut out = String::with_capacity(answer.len());
        let mut rest = answer;
        while let Some(start) = rest.find(|c: char| c.is_ascii_alphabetic()) {
            out.push_str(&rest[..start]);
            let tail = &rest[start..];
            let end = tail
                .find(|c: char| !c.is_ascii_alphabetic())
                .unwrap_or(tail.len());
            let word = &tail[..end];
            match self.correction(&word.to_ascii_lowercase()) {
                Some(fixed) => out.push_str(fixed),
                None => out.push_str(word),
            }
            rest = &tail[end..];
        }
        out.push_str(rest);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon() -> Lexicon {
        Lexicon::new([
            "The discriminator maximises V; the forward process is not symmetric.",
            "Its variance is fixed; implicit models only give a sampler.",
            "A labeled example, a labeler; the decoder decodes z.",
        ])
    }

    #[test]
    fn a_slip_is_a_letter_left_out_or_two_neighbours_swapped() {
        assert!(slip_of(b"discrimnator", b"discriminator"));
        assert!(slip_of(b"symetric", b"symmetric"));
        assert!(slip_of(b"varaince", b"variance"));
        assert!(slip_of(b"varinace", b"variance"));
        assert!(!slip_of(b"variance", b"variance"));
        assert!(!slip_of(b"vraaince", b"variance"));
        // A replaced or an added letter is not a slip.
        assert!(!slip_of(b"vbriance", b"variance"));
        assert!(!slip_of(b"simpler", b"sampler"));
        assert!(!slip_of(b"symmetrick", b"symmetric"));
        assert!(!slip_of(b"samplers", b"samples"));
        assert!(!slip_of(b"generator", b"generated"));
    }

    #[test]
    fn typos_of_card_words_are_read_as_the_word() {
        let l = lexicon();
        assert_eq!(
            l.correct("The discrimnator maximises V, it's not symetric; varaince fixed, implict."),
            "The discriminator maximises V, it's not symmetric; variance fixed, implicit."
        );
    }

    #[test]
    fn real_words_short_words_and_word_forms_are_left_alone() {
        let l = lexicon();
        // Short: too often another real word.
        assert_eq!(l.correct("a simple sampel"), "a simple sampel");
        // A real word one letter off a card word.
        assert_eq!(l.correct("simpler sampler"), "simpler sampler");
        // A form of a card word (same stem), not a typo.
        assert_eq!(
            l.correct("discriminators decoding"),
            "discriminators decoding"
        );
        // Two card words of different stems one edit away: a guess, not a typo.
        assert_eq!(l.correct("labelel"), "labelel");
        // Another first or last letter: another word or another form.
        assert_eq!(l.correct("ariance decodez"), "ariance decodez");
        // Nothing close.
        assert_eq!(l.correct("completely unrelated"), "completely unrelated");
        // Non-ASCII text and maths pass through.
        assert_eq!(l.correct("ᾱ_t = Π(1−β_s)"), "ᾱ_t = Π(1−β_s)");
    }
}
