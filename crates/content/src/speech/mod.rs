//! Speakable maths: card texts (Markdown with `$LaTeX$`) and key points (prose with ASCII maths
//! such as `sqrt(1 - beta_t)` or `x_{t-1}`) turned into words a speech synthesiser reads well:
//! `x_{t-1}` -> "x sub t minus one", `\bar{\alpha}_t` -> "alpha bar t",
//! `\sqrt{1-\bar{\alpha}_t}` -> "the square root of one minus alpha bar t".
//!
//! Runs at build time (behind the `compile` feature); the results are stored in the compiled
//! content ([`crate::compiled::CardSpeech`]). An unknown LaTeX command is an error, so the
//! content lint can refuse a card that cannot be spoken.

use crate::cards::Card;
use crate::compiled::CardSpeech;

mod lexicon;
mod parser;

#[cfg(test)]
mod tests;

use lexicon::*;
use parser::*;

/// A card's spoken forms, or the first text that cannot be spoken (`(field, message)`).
pub fn card_speech(card: &Card) -> Result<CardSpeech, (String, String)> {
    let front = speak_markdown(&card.front).map_err(|e| ("front".to_string(), e))?;
    let answer = speak_markdown(card.mc_answer()).map_err(|e| ("answer".to_string(), e))?;
    let key_points = card
        .key_points
        .iter()
        .enumerate()
        .map(|(i, k)| speak_markdown(&k.point).map_err(|e| (format!("key_points[{i}]"), e)))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(CardSpeech {
        front,
        answer,
        key_points,
    })
}

/// Speaks Markdown text with `$inline$` and `$$display$$` maths. Prose outside the dollars may
/// hold ASCII maths (`alpha_t^2`, `1/sqrt(alpha_t)`), which is read the same way.
pub fn speak_markdown(text: &str) -> Result<String, String> {
    let mut out: Vec<String> = Vec::new();
    let mut rest = text;
    let mut in_math = false;
    while !rest.is_empty() {
        let (seg, next, delim) = match rest.find('$') {
            Some(i) => {
                let d = if rest[i..].starts_with("$$") { 2 } else { 1 };
                (&rest[..i], &rest[i + d..], true)
            }
            None => (rest, "", false),
        };
        if in_math {
            out.push(speak_latex(seg)?);
        } else {
            out.push(speak_prose(&strip_markdown(seg))?);
        }
        if !delim {
            break;
        }
        in_math = !in_math;
        rest = next;
    }
    if in_math {
        return Err("unclosed `$` maths".into());
    }
    Ok(tidy(&out.join(" ")))
}

/// Speaks one LaTeX formula (without the dollars).
pub fn speak_latex(tex: &str) -> Result<String, String> {
    let toks = tokenize(tex, false)?;
    let mut p = Parser {
        toks,
        pos: 0,
        loose: false,
    };
    let words = p.expr(None)?;
    if p.pos < p.toks.len() {
        return Err(format!("unbalanced braces in `{tex}`"));
    }
    Ok(tidy(&words.join(" ")))
}

/// Speaks prose that may hold ASCII maths (a key point such as "mean is sqrt(1 - beta_t)").
pub fn speak_prose(text: &str) -> Result<String, String> {
    let text = text
        .replace("e.g.", "for example")
        .replace("i.e.", "that is")
        .replace(" vs ", " versus ")
        .replace(" vs. ", " versus ");
    let toks = tokenize(&text, true)?;
    let mut p = Parser {
        toks,
        pos: 0,
        loose: true,
    };
    let words = p.expr(None)?;
    Ok(tidy(&words.join(" ")))
}

/// Removes Markdown emphasis, code ticks and link targets (`[text](url)` -> text).
fn strip_markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' | '`' | '#' => {}
            ']' if chars.peek() == Some(&'(') => {
                // Skip the link target.
                for n in chars.by_ref() {
                    if n == ')' {
                        break;
                    }
                }
            }
            '[' => {}
            '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Joins words, fixing spaces around punctuation.
fn tidy(s: &str) -> String {
    let joined = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = joined
        .replace(" ,", ",")
        .replace(" .", ".")
        .replace(" ;", ";")
        .replace(" :", ":")
        .replace(" ?", "?")
        .replace(",,", ",")
        .replace(",;", ";")
        .replace(",.", ".")
        .replace(",:", ":")
        .replace(",?", "?");
    while out.contains("  ") {
        out = out.replace("  ", " ");
    }
    out.trim().trim_matches(',').trim().to_string()
}
