//! Typos: "discrimnator", "symetric", "varaince". A learner's slip of the keyboard (or a
//! speech recogniser's near miss) should not cost a key point, but a different word must not
//! be read as a card's word either. So a word is corrected only when the card never uses it,
//! it is long (seven letters or more: short words are too often other real words, "simple" /
//! "sample"), it is not a form of a word the card uses (same stem: "decodes" next to
//! "decode"), and exactly one long word of the card is one edit away from it (a letter
//! inserted, deleted, replaced, or two neighbours swapped) with the same first and last
//! letters: a different first letter is more often another word ("batches" / "matches"), a
//! different last letter another form ("decodes" / "decoder", "classifier" / "classified").

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

/// Whether `a` becomes `b` by one insertion, deletion, replacement or swap of neighbours.
fn one_edit(a: &[u8], b: &[u8]) -> bool {
    if a == b {
        return false;
    }
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    match long.len() - short.len() {
        0 => {
            let diff: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
            match diff[..] {
                [_] => true,
                [i, j] => j == i + 1 && a[i] == b[j] && a[j] == b[i],
                _ => false,
            }
        }
        1 => {
            let first = (0..short.len())
                .find(|&i| short[i] != long[i])
                .unwrap_or(short.len());
            short[first..] == long[first + 1..]
        }
        _ => false,
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
            .filter(|v| ends(v) && one_edit(w.as_bytes(), v.as_bytes()));
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
    fn one_edit_means_one_insertion_deletion_replacement_or_swap() {
        assert!(one_edit(b"discrimnator", b"discriminator"));
        assert!(one_edit(b"symmetrick", b"symmetric"));
        assert!(one_edit(b"varaince", b"variance"));
        assert!(one_edit(b"vbriance", b"variance"));
        assert!(!one_edit(b"variance", b"variance"));
        assert!(!one_edit(b"vraaince", b"variance"));
        assert!(one_edit(b"varinace", b"variance"));
        assert!(!one_edit(b"generator", b"generated"));
        assert!(!one_edit(b"encoder", b"decoder"));
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
