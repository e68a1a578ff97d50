//! Grading a typed answer against a card's key points.
//!
//! Both the answer and every key point (and each of its synonyms) go through the same
//! normalisation: lowercase; Latin accents folded (`é` -> `e`, `ß` -> `ss`); Greek letters
//! spelled out (`ε` -> `epsilon`, so "epsilon", "ε", `\epsilon`, `\varepsilon` and "eps"
//! all agree); a few maths symbols named (`√` -> `sqrt`, "square root" -> `sqrt`, `∑` -> `sum`);
//! punctuation and LaTeX layout words (`\mathbb`, `\frac`, `\left`) dropped; words split on
//! whitespace. Short English function words ("the", "of", "a") are ignored, but negations
//! ("not", "no", "without") are kept because they change the meaning.
//!
//! Two words agree when they are equal or are the same word up to a simple English plural
//! (-s, -es after s/x/z/ch/sh, -ies <-> -y). A hyphenated or split compound also agrees with
//! its joined spelling ("non-saturating" = "nonsaturating").
//!
//! A phrasing (the key point itself or one of its synonyms) is found when all of its content
//! words occur somewhere in the answer (any order); phrasings of four or more content words
//! may miss one. A key point is found when any of its phrasings is. The score is the fraction
//! of key points found; the verdict is `Correct` at [`PASS_FRACTION`] or above, `Partial`
//! above zero, `Incorrect` otherwise. The learner may override a verdict ("I was right"):
//! see [`Grade::overridden_correct`].
//!
//! Limitation: matching ignores word order, so a sentence that swaps roles ("the generator
//! maximises V while the discriminator minimises V") still contains "discriminator maximises
//! V". Against the 37 real cards, 1 of 111 distractors grades `Correct`; the override and the
//! shown key points are the safety net.

use gentutor_content::cards::Card;
use serde::{Deserialize, Serialize};

pub mod labelled;

/// Fraction of key points needed for a `Correct` verdict.
pub const PASS_FRACTION: f64 = 0.75;

/// Outcome of grading one typed answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verdict {
    /// At least [`PASS_FRACTION`] of the key points found (or overridden by the learner).
    Correct,
    /// Some but not enough key points found.
    Partial,
    /// No key point found, or the answer was empty.
    Incorrect,
}

/// The result of [`grade_answer`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Grade {
    /// Indices into `card.key_points` that the answer mentions.
    pub found: Vec<usize>,
    /// Indices into `card.key_points` that the answer does not mention.
    pub missed: Vec<usize>,
    /// `found.len() / key_points.len()` in [0, 1] (1 for an override).
    pub score: f64,
    pub verdict: Verdict,
    /// True when the answer had no words at all.
    pub empty: bool,
    /// True when the learner overrode the verdict with "I was right".
    pub overridden: bool,
}

impl Grade {
    /// Whether this counts as a correct answer for Learn/Test bookkeeping.
    pub fn is_correct(&self) -> bool {
        self.verdict == Verdict::Correct
    }

    /// The "I was right" override: the same grade, now `Correct` with score 1 and
    /// `overridden = true`, so progress can keep the distinction. `found`/`missed` are kept
    /// so the UI can still show which points the grader did not recognise.
    pub fn overridden_correct(&self) -> Grade {
        Grade {
            score: 1.0,
            verdict: Verdict::Correct,
            overridden: true,
            ..self.clone()
        }
    }
}

/// Grades `answer` against `card.key_points` (see the module docs for the rules).
/// A card without key points grades any non-empty answer as `Correct`, since there is nothing
/// to check against, and an empty one as `Incorrect`.
pub fn grade_answer(card: &Card, answer: &str) -> Grade {
    let tokens = content_tokens(answer);
    let empty = tokens.is_empty();
    let total = card.key_points.len();
    let mut found = Vec::new();
    let mut missed = Vec::new();
    if !empty {
        let compounds = with_compounds(&tokens);
        for (i, kp) in card.key_points.iter().enumerate() {
            let hit = std::iter::once(&kp.point)
                .chain(kp.synonyms.iter())
                .any(|phrase| phrase_found(phrase, &compounds));
            if hit {
                found.push(i);
            } else {
                missed.push(i);
            }
        }
    } else {
        missed.extend(0..total);
    }
    let score = if empty {
        0.0
    } else if total == 0 {
        1.0
    } else {
        found.len() as f64 / total as f64
    };
    let verdict = if empty {
        Verdict::Incorrect
    } else if score >= PASS_FRACTION - 1e-12 {
        Verdict::Correct
    } else if score > 0.0 {
        Verdict::Partial
    } else {
        Verdict::Incorrect
    };
    Grade {
        found,
        missed,
        score,
        verdict,
        empty,
        overridden: false,
    }
}

/// Answer words plus every joined pair of neighbours, so "non saturating" also offers
/// "nonsaturating".
fn with_compounds(tokens: &[String]) -> Vec<String> {
    let mut out = tokens.to_vec();
    for w in tokens.windows(2) {
        out.push(format!("{}{}", w[0], w[1]));
    }
    out
}

fn phrase_found(phrase: &str, answer: &[String]) -> bool {
    let words = content_tokens(phrase);
    if words.is_empty() {
        return false;
    }
    let joined: String = words.concat();
    if words.len() > 1 && answer.iter().any(|t| words_agree(t, &joined)) {
        return true;
    }
    let has = |w: &String| answer.iter().any(|t| words_agree(t, w));
    // Negations are never the word a long phrasing may miss.
    if words
        .iter()
        .any(|w| NEGATIONS.contains(&w.as_str()) && !has(w))
    {
        return false;
    }
    let present = words.iter().filter(|w| has(w)).count();
    let needed = if words.len() >= 4 {
        words.len() - 1
    } else {
        words.len()
    };
    present >= needed
}

/// Singular candidates of a word under the simple English plural rules.
fn singulars(w: &str) -> Vec<String> {
    let mut out = vec![w.to_string()];
    let n = w.len();
    if n >= 5 && w.ends_with("ies") {
        out.push(format!("{}y", &w[..n - 3]));
    }
    if n >= 5
        && w.ends_with("es")
        && ["ses", "xes", "zes", "ches", "shes"]
            .iter()
            .any(|s| w.ends_with(s))
    {
        out.push(w[..n - 2].to_string());
    }
    if n >= 4 && w.ends_with('s') && !w.ends_with("ss") {
        out.push(w[..n - 1].to_string());
    }
    out
}

/// Equal, or the same word up to a plural ending.
fn words_agree(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let sa = singulars(a);
    let sb = singulars(b);
    sa.iter().any(|x| sb.contains(x))
}

/// Words that flip a phrase's meaning: always required.
const NEGATIONS: &[&str] = &["not", "no", "never", "without", "cannot", "nor"];

/// Words ignored when matching: English function words and LaTeX layout commands.
const IGNORED: &[&str] = &[
    "a",
    "an",
    "the",
    "of",
    "to",
    "in",
    "on",
    "for",
    "and",
    "or",
    "is",
    "are",
    "be",
    "by",
    "with",
    "as",
    "at",
    "it",
    "its",
    "that",
    "this",
    "from",
    "into",
    "than",
    "then",
    "which",
    "each",
    "mathbb",
    "mathrm",
    "mathcal",
    "mathbf",
    "boldsymbol",
    "operatorname",
    "text",
    "left",
    "right",
    "frac",
    "tfrac",
    "dfrac",
    "cdot",
    "big",
    "bigl",
    "bigr",
];

/// Normalised content words of `text` (see the module docs).
pub fn content_tokens(text: &str) -> Vec<String> {
    let folded = fold_text(text);
    let raw: Vec<&str> = folded.split_whitespace().collect();
    let mut out: Vec<String> = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let w = raw[i];
        // "square root" is one maths word.
        if w == "square" && raw.get(i + 1) == Some(&"root") {
            out.push("sqrt".to_string());
            i += 2;
            continue;
        }
        let w = match w {
            "varepsilon" | "eps" => "epsilon",
            "vartheta" => "theta",
            "varphi" => "phi",
            "varsigma" => "sigma",
            "varrho" => "rho",
            "squareroot" => "sqrt",
            other => other,
        };
        if !IGNORED.contains(&w) {
            out.push(w.to_string());
        }
        i += 1;
    }
    out
}

/// Lowercases, folds accents and Greek/maths symbols to ASCII words, and turns every other
/// non-alphanumeric character into a space.
fn fold_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if ('\u{0300}'..='\u{036F}').contains(&c) {
            // Combining diacritical marks (decomposed accents): drop.
        } else if let Some(s) = fold_latin(c) {
            out.push_str(s);
        } else if let Some(s) = fold_symbol(c) {
            out.push(' ');
            out.push_str(s);
            out.push(' ');
        } else if c.is_alphanumeric() {
            out.push(c);
        } else {
            out.push(' ');
        }
    }
    out
}

/// Latin letters with diacritics (lowercase) -> ASCII.
fn fold_latin(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'ç' | 'ć' | 'č' | 'ĉ' | 'ċ' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
        'ł' | 'ľ' | 'ĺ' | 'ļ' => "l",
        'ñ' | 'ń' | 'ň' | 'ņ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
        'ŕ' | 'ř' | 'ŗ' => "r",
        'ś' | 'š' | 'ş' | 'ș' => "s",
        'ť' | 'ţ' | 'ț' => "t",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
        'ý' | 'ÿ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'þ' => "th",
        _ => return None,
    })
}

/// Greek letters (already lowercased) and maths symbols -> words.
fn fold_symbol(c: char) -> Option<&'static str> {
    Some(match c {
        'α' => "alpha",
        'β' => "beta",
        'γ' => "gamma",
        'δ' => "delta",
        'ε' | 'ϵ' => "epsilon",
        'ζ' => "zeta",
        'η' => "eta",
        'θ' | 'ϑ' => "theta",
        'ι' => "iota",
        'κ' => "kappa",
        'λ' => "lambda",
        'μ' | 'µ' => "mu",
        'ν' => "nu",
        'ξ' => "xi",
        'ο' => "omicron",
        'π' => "pi",
        'ρ' => "rho",
        'σ' | 'ς' => "sigma",
        'τ' => "tau",
        'υ' => "upsilon",
        'φ' | 'ϕ' => "phi",
        'χ' => "chi",
        'ψ' => "psi",
        'ω' => "omega",
        'ᾱ' => "alpha bar",
        '√' => "sqrt",
        '∑' => "sum",
        '∏' => "prod",
        '∫' => "integral",
        '∞' => "infinity",
        '∇' => "nabla",
        '∂' => "partial",
        '≈' => "approx",
        '½' => "1 2",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_cards::card_with_points;

    #[test]
    fn synonyms_count_as_the_key_point() {
        let card = card_with_points(&[
            (
                "k discriminator steps per generator step",
                &["several discriminator updates"],
            ),
            ("resample noise", &["fresh noise", "new z"]),
        ]);
        let g = grade_answer(
            &card,
            "Do several discriminator updates, then draw fresh noise.",
        );
        assert_eq!(g.found, vec![0, 1]);
        assert!(g.missed.is_empty());
        assert_eq!(g.verdict, Verdict::Correct);
        assert!((g.score - 1.0).abs() < 1e-12);
    }

    #[test]
    fn plurals_match_both_ways() {
        let card = card_with_points(&[
            ("mixture of gaussians", &[]),
            ("probability", &[]),
            ("noise process", &[]),
        ]);
        let g = grade_answer(&card, "Gaussian mixtures; probabilities; noise processes");
        assert_eq!(g.found, vec![0, 1, 2], "{g:?}");
        assert!(words_agree("losses", "loss"));
        assert!(words_agree("batch", "batches"));
        assert!(!words_agree("mode", "model"));
    }

    #[test]
    fn accents_greek_and_maths_spellings_fold() {
        let card = card_with_points(&[
            ("predict epsilon", &[]),
            ("sqrt of alpha bar", &[]),
            ("Fréchet distance", &[]),
        ]);
        let g = grade_answer(&card, r"Predict ε; scale by √ᾱ... the FRECHET distance");
        assert_eq!(g.found, vec![0, 1, 2], "{g:?}");
        // Decomposed accent (e + combining acute) folds like the precomposed one.
        let g1 = grade_answer(&card, "Fre\u{301}chet distance; predict eps; sqrt alpha");
        assert_eq!(g1.found, vec![0, 2], "{g1:?}");
        let g2 = grade_answer(
            &card,
            r"predict \varepsilon, square root of \bar{\alpha}, Fréchet distances",
        );
        assert_eq!(g2.found, vec![0, 1, 2], "{g2:?}");
        assert_eq!(content_tokens("Café  É"), vec!["cafe", "e"]);
    }

    #[test]
    fn partial_credit_and_verdicts() {
        let card = card_with_points(&[("alpha", &[]), ("beta", &[]), ("gamma", &[])]);
        let one = grade_answer(&card, "alpha");
        assert_eq!(one.verdict, Verdict::Partial);
        assert!((one.score - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!(one.missed, vec![1, 2]);
        let none = grade_answer(&card, "delta");
        assert_eq!(none.verdict, Verdict::Incorrect);
        let card4 = card_with_points(&[("a1", &[]), ("b1", &[]), ("c1", &[]), ("d1", &[])]);
        assert_eq!(grade_answer(&card4, "a1 b1 c1").verdict, Verdict::Correct);
        assert_eq!(grade_answer(&card4, "a1 b1").verdict, Verdict::Partial);
    }

    #[test]
    fn empty_answer_is_incorrect_and_override_makes_correct() {
        let card = card_with_points(&[("alpha", &[]), ("beta", &[])]);
        for answer in ["", "   ", "?!", "the of a"] {
            let g = grade_answer(&card, answer);
            assert!(g.empty, "{answer:?}");
            assert_eq!(g.verdict, Verdict::Incorrect);
            assert_eq!(g.missed, vec![0, 1]);
        }
        let o = grade_answer(&card, "gamma").overridden_correct();
        assert!(o.overridden && o.is_correct());
        assert_eq!(o.missed, vec![0, 1]);
    }

    #[test]
    fn long_phrases_tolerate_one_missing_word_and_compounds_join() {
        let card = card_with_points(&[
            (
                "discriminator trained several steps per generator step",
                &[],
            ),
            ("non-saturating loss", &[]),
        ]);
        let g = grade_answer(
            &card,
            "discriminator trained several steps per generator update; nonsaturating losses",
        );
        assert_eq!(g.found, vec![0, 1], "{g:?}");
        let g2 = grade_answer(&card, "discriminator only");
        assert_eq!(g2.found, Vec::<usize>::new());
    }

    #[test]
    fn negations_are_kept() {
        let card = card_with_points(&[("does not need labels", &[])]);
        assert_eq!(
            grade_answer(&card, "it needs labels").verdict,
            Verdict::Incorrect
        );
        assert_eq!(
            grade_answer(&card, "does need labels").verdict,
            Verdict::Incorrect
        );
        assert_eq!(
            grade_answer(&card, "it does not need labels").verdict,
            Verdict::Correct
        );
    }
}
