//! The call's language: spoken commands, yes/no, the negation check and hints.

use super::{CallCard, Command};
use crate::grading::{content_tokens, grade_answer};
use gentutor_content::cards::{Card, KeyPoint};

/// Words that flip a statement (the grader keeps the same list for its matching).
const NEGATIONS: &[&str] = &[
    "not", "no", "never", "without", "cannot", "nor", "isn't", "aren't", "doesn't", "don't",
    "can't", "won't", "didn't", "wasn't", "weren't",
];

/// Lowercase words with punctuation (other than apostrophes) removed.
fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .replace(['’', '‘'], "'")
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// The written text without Markdown and maths markers, for speech when no spoken form exists
/// (`$\epsilon$` -> "epsilon", `**not**` -> "not").
pub fn plain_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '$' | '*' | '`' | '{' | '}' => {}
            '\\' => {
                // A LaTeX command: keep its name as a word (\alpha -> alpha).
                let mut name = String::new();
                while let Some(&n) = chars.peek() {
                    if n.is_ascii_alphabetic() {
                        name.push(n);
                        chars.next();
                    } else {
                        break;
                    }
                }
                match name.as_str() {
                    "" | "left" | "right" | "mathbb" | "mathcal" | "mathrm" | "text"
                    | "operatorname" => {}
                    _ => {
                        out.push_str(&name);
                        out.push(' ');
                    }
                }
            }
            '_' => out.push(' '),
            c => out.push(c),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A spoken or typed command, if the whole utterance is one ("repeat", "say that again",
/// "skip", "next", "I don't know", "no idea", "slower", "slow down", "stop", "end the call").
/// Longer sentences that merely contain these words are answers.
pub fn parse_command(text: &str) -> Option<Command> {
    let w = words(text);
    let s = w.join(" ");
    let s = s
        .trim_start_matches("please ")
        .trim_end_matches(" please")
        .trim_start_matches("um ")
        .trim_start_matches("uh ");
    Some(match s {
        "repeat"
        | "repeat that"
        | "repeat please"
        | "say that again"
        | "say it again"
        | "again"
        | "pardon"
        | "what"
        | "sorry"
        | "repeat the question"
        | "come again" => Command::Repeat,
        "skip" | "skip it" | "skip this" | "skip this one" | "next" | "next question" | "pass" => {
            Command::Skip
        }
        "i don't know" | "i dont know" | "don't know" | "dont know" | "no idea"
        | "i have no idea" | "i'm not sure" | "im not sure" | "not sure" | "no clue"
        | "i do not know" => Command::DontKnow,
        "slower" | "slow down" | "more slowly" | "speak slower" | "speak more slowly"
        | "slowly" | "too fast" => Command::Slower,
        "stop" | "end" | "end call" | "end the call" | "hang up" | "goodbye" | "bye"
        | "stop the call" | "quit" => Command::Stop,
        _ => return None,
    })
}

/// "yes" / "no" (and their common spoken variants) as a reply to a confirmation.
pub(super) fn yes_no(text: &str) -> Option<bool> {
    let s = words(text).join(" ");
    match s.as_str() {
        "yes"
        | "yeah"
        | "yep"
        | "yup"
        | "correct"
        | "right"
        | "that's right"
        | "yes it is"
        | "exactly"
        | "that's what i meant"
        | "yes i did"
        | "i did"
        | "sure" => Some(true),
        "no" | "nope" | "nah" | "no it isn't" | "that's wrong" | "wrong" | "no i didn't" => {
            Some(false)
        }
        _ => None,
    }
}

fn strip_negations(text: &str) -> String {
    words(text)
        .into_iter()
        .filter(|w| !NEGATIONS.contains(&w.as_str()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether a negation decides how `answer` grades: `Some(true)` when dropping the answer's
/// negations would find more key points (a "not" the learner may not have said), `Some(false)`
/// when the answer would find more if the key points' negations were not required (a "not"
/// the recogniser may have dropped), `None` when negations make no difference.
pub fn negation_decides(card: &Card, answer: &str) -> Option<bool> {
    let as_is = grade_answer(card, answer).found.len();
    let stripped = strip_negations(answer);
    if grade_answer(card, &stripped).found.len() > as_is {
        return Some(true);
    }
    let mut loose = card.clone();
    loose.key_points = card
        .key_points
        .iter()
        .map(|k| KeyPoint {
            point: strip_negations(&k.point),
            synonyms: k.synonyms.iter().map(|s| strip_negations(s)).collect(),
        })
        .collect();
    (grade_answer(&loose, &stripped).found.len() > as_is).then_some(false)
}

/// Words after which a key point's subject ends: the hint names the subject and asks for the
/// rest ("the forward chain is ... what?").
const LINKS: &[&str] = &[
    "is", "are", "was", "were", "has", "have", "does", "do", "can", "must", "should", "equals",
    "gives", "becomes", "means", "uses", "needs", "into", "between", "by", "via", "with", "of",
    "to", "from", "over", "at", "as", "than", "on", "for", "in",
];

/// A leading question for key point `i` of `card`: the start of the point (its subject, or its
/// first few words) followed by "... what?", never enough of it to earn the point. When no
/// start is safe, a question about the card's lesson section.
pub fn hint_for(card: &CallCard, i: usize) -> String {
    let spoken = card.spoken_point(i);
    let ws: Vec<&str> = spoken.split_whitespace().collect();
    let n = ws.len();
    // Candidate cut points, best first: just after the first linking word in the first half,
    // then shorter plain prefixes.
    let mut cuts: Vec<usize> = Vec::new();
    if let Some(p) = ws
        .iter()
        .take(n.div_ceil(2).max(1))
        .position(|w| LINKS.contains(&w.trim_matches(|c: char| !c.is_alphanumeric())))
    {
        if p >= 1 {
            cuts.push(p + 1);
        }
    }
    let mut k = (n / 3).max(1);
    while k >= 1 {
        if !cuts.contains(&k) {
            cuts.push(k);
        }
        k -= 1;
    }
    for cut in cuts {
        if cut >= n {
            continue;
        }
        let start = ws[..cut]
            .join(" ")
            .trim_end_matches([',', ';', ':', '.'])
            .to_string();
        // The cut must leave at least two words unsaid, or one word of a longer point.
        if start.is_empty() || n - cut < 2 {
            continue;
        }
        let hint = format!("{start} ... what?");
        if !reveals(card, i, &hint) {
            return hint;
        }
    }
    let section = card
        .card
        .lesson_anchor()
        .map(|a| a.replace('-', " "))
        .unwrap_or_default();
    let hint =
        format!("Think back to the lesson section \"{section}\". What else belongs in the answer?");
    if reveals(card, i, &hint) {
        "What else belongs in the answer?".to_string()
    } else {
        hint
    }
}

/// Whether saying `hint` back would earn key point `i` (as written or as spoken).
fn reveals(card: &CallCard, i: usize, hint: &str) -> bool {
    if grade_answer(&card.card, hint).found.contains(&i) {
        return true;
    }
    let mut spoken = card.card.clone();
    if let Some(k) = spoken.key_points.get_mut(i) {
        k.point = card.spoken_point(i);
        k.synonyms.clear();
    }
    grade_answer(&spoken, hint).found.contains(&i)
        // A hint made only of the point's words (nothing left to ask) reveals it too.
        || content_tokens(&card.spoken_point(i)).len() <= content_tokens(hint.trim_end_matches("... what?")).len()
}
