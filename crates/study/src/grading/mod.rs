//! Grading a typed (or transcribed) answer against a card's key points, the way a fair teacher
//! would: by what the answer says, not by its exact words.
//!
//! Answer, key points and synonyms go through the same normalisation ([`text`]: word forms,
//! UK/US spellings, the maths aliases people type or say, clauses and the reach of negations).
//! A typo of one of the card's long words ("discrimnator", "symetric") is read as that word
//! first ([`spelling`]).
//! A key point is found when one of its phrasings (the point or a synonym) is:
//! - every content word of the phrasing occurs in the answer (phrasings of five or more words
//!   may miss one plain word); single letters count only inside formulas;
//! - a phrasing without a negation needs its words outside any negation's reach, and a negated
//!   phrasing ("not symmetric") needs a negated occurrence: "they are symmetric" contradicts it;
//! - roles: in "discriminator maximises V" the words after a role word (discriminator /
//!   generator, forward / reverse, encoder / decoder, VAE / GAN / flow, hinge / Brier, labeled /
//!   unlabeled / generated, L_T / L_{t-1} / L_0, ...) must be said of that role in the answer:
//!   the role word nearest them in their clause (before, else after), else the nearest one in
//!   an earlier clause, must be the same one, so "the generator maximises V" contradicts it. A
//!   role word that ends a phrasing ("global structure destroyed late") governs the words
//!   before it and is looked for after them first;
//! - formulas (phrasings with `/ ( ) = ^ + _`): neighbouring maths tokens must be neighbours in
//!   the answer too, so `r = (1-D)/D` does not match `D/(1-D)`; a ratio or square root with
//!   every term present in another order contradicts the point;
//! - relation words (easy / hard, fixed / learned, same / different, high / low, ... see
//!   [`OPPOSITES`]) must be said in the clause of what they are said of: "denoising is easy but
//!   adding noise is hard" does not say "denoising is hard". A phrasing with one relation word
//!   swapped for its opposite, said that way, contradicts the point ("the forward process is
//!   learned" for "forward fixed"); a point said only loosely across clauses still counts;
//! - a word said the opposite way of the other role ("prescribed models give a likelihood" for
//!   "implicit: no likelihood") agrees with the point rather than contradicting it;
//! - a word of the question counts as said (short answers lean on the question's wording:
//!   "a) right class b) not fake c) fake" after "(a) labeled real data, (b) ...").
//!
//! Which key points an answer needs: the card's one-line `answer` is the author's model
//! answer, so the key points found in it are the card's core (essential) points (all points if
//! it has none); the others are optional. The verdict is `Correct` when the found core points,
//! plus half a point for each optional point found, reach [`PASS_FRACTION`] of the core points
//! and no core point is contradicted; `Incorrect` when nothing is found, a core point is
//! contradicted (a role swap, an inverted relation: wrong, not half right), or a half-right
//! answer states a clause of one of the card's wrong options (its distractors and false
//! statement, see [`Grade::misconception`]) word for word, or its distinctive words (those the
//! card's own text and question never use); `Partial` otherwise, and also when no
//! point is found but every content word is the card's own (see [`TOPIC_SHARE`]). The learner may
//! override a verdict ("I was right"): see [`Grade::overridden_correct`].

use gentutor_content::cards::Card;
use serde::{Deserialize, Serialize};

pub mod labelled;
mod spelling;
mod text;

use text::{is_maths, stem, tokens, Tok};

/// Fraction of the core key points (see the module docs) needed for a `Correct` verdict.
pub const PASS_FRACTION: f64 = 0.75;

/// An answer that finds no key point is still half right (not wrong) when it says at least
/// this many content words beyond the question's ...
const TOPIC_MIN: usize = 2;
/// ... and this share of them are the card's own words (back, answer, key points), with
/// nothing contradicted or stated from a wrong option: "flows use invertible networks".
const TOPIC_SHARE: f64 = 1.0;

/// Credit for a key point found outside the core ones.
const EXTRA_CREDIT: f64 = 0.5;

/// Outcome of grading one typed answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verdict {
    /// Enough core key points found (or overridden by the learner).
    Correct,
    /// Some but not enough key points found, or one stated the wrong way round.
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
    /// Credit earned over credit needed, in [0, 1] (1 for an override).
    pub score: f64,
    pub verdict: Verdict,
    /// True when the answer had no words at all.
    pub empty: bool,
    /// True when the learner overrode the verdict with "I was right".
    pub overridden: bool,
    /// Key points the answer states the wrong way round (roles swapped, negated); also in
    /// `missed`.
    #[serde(default)]
    pub contradicted: Vec<usize>,
    /// The key points a correct answer needs (the ones the card's own answer makes).
    #[serde(default)]
    pub core: Vec<usize>,
    /// For each index in `found`, the learner's own words that matched it.
    #[serde(default)]
    pub quotes: Vec<String>,
    /// The wrong option of the card (a distractor's clause) that the answer states, if any.
    #[serde(default)]
    pub misconception: Option<String>,
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

/// Role words: within one group, the nearest one before a word says who does it.
const ROLE_GROUPS: &[&[&str]] = &[
    &["discriminator", "generator"],
    &["forward", "reverse"],
    &["encoder", "decoder"],
    &["hinge", "brier"],
    &["prescribed", "implicit"],
    &["labeled", "unlabeled", "generated"],
    &["vae", "gan", "flow"],
    &["imagen", "dalle", "stable"],
    &["cgan", "cyclegan", "stylegan"],
    &["early", "late"],
    &["lt", "ltm1", "l0"],
    // Comparisons: "a lower bound" is not "an upper bound", "increases" not "decreases".
    &["upper", "lower"],
    &["increase", "decrease"],
    &["more", "less"],
    &["before", "after"],
    // VDM learns its schedule, DDPM fixes it: "DDPM fixed, VDM learned" is not "VDM fixed".
    &["vdm", "ddpm"],
];

fn role_group(w: &str) -> Option<usize> {
    // Stemmed once: this runs for every token of every phrasing.
    static STEMS: std::sync::OnceLock<Vec<Vec<String>>> = std::sync::OnceLock::new();
    STEMS
        .get_or_init(|| {
            ROLE_GROUPS
                .iter()
                .map(|g| g.iter().map(|r| stem(r)).collect())
                .collect()
        })
        .iter()
        .position(|g| g.iter().any(|r| r == w))
}

/// Opposites: a key point said with one word swapped for its opposite ("the forward process
/// is learned" for "forward fixed", "denoising is easy" for "denoising is hard") states the
/// point the wrong way round. Role words (discriminator / generator, upper / lower, ...) are
/// handled by [`ROLE_GROUPS`]; these are the relation and property words.
const OPPOSITES: &[(&str, &str)] = &[
    ("easy", "hard"),
    ("easy", "difficult"),
    ("simple", "hard"),
    ("trivial", "hard"),
    ("fixed", "learned"),
    ("deterministic", "stochastic"),
    ("deterministic", "random"),
    ("paired", "unpaired"),
    ("same", "different"),
    ("symmetric", "asymmetric"),
    ("independent", "shared"),
    ("biased", "unbiased"),
    ("exact", "approximate"),
    ("tractable", "intractable"),
    ("continuous", "discrete"),
    ("high", "low"),
    ("maximizes", "minimizes"),
    ("sharp", "blurry"),
    ("small", "large"),
    ("adds", "removes"),
    ("invertible", "noninvertible"),
    ("stable", "unstable"),
    ("linear", "nonlinear"),
    ("conditional", "unconditional"),
    ("overestimates", "underestimates"),
];

/// The opposites of a normalised word (see [`OPPOSITES`]), normalised.
fn opposites(w: &str) -> impl Iterator<Item = &'static str> + '_ {
    static PAIRS: std::sync::OnceLock<Vec<(String, String)>> = std::sync::OnceLock::new();
    let norm = |s: &str| {
        tokens(s)
            .into_iter()
            .next()
            .map(|t| t.w)
            .unwrap_or_default()
    };
    PAIRS
        .get_or_init(|| OPPOSITES.iter().map(|(a, b)| (norm(a), norm(b))).collect())
        .iter()
        .filter_map(move |(a, b)| {
            if a == w {
                Some(b.as_str())
            } else if b == w {
                Some(a.as_str())
            } else {
                None
            }
        })
}

/// A phrasing with one word swapped for its opposite, one phrasing per swap (none for a
/// formula or a negated phrasing, whose polarity is already checked).
fn flipped(p: &Phrase) -> Vec<Phrase> {
    if p.formula || p.negated {
        return Vec::new();
    }
    let mut out = Vec::new();
    let roleless = p.groups.iter().all(Option::is_none);
    for (j, t) in p.toks.iter().enumerate() {
        if p.groups[j].is_some() {
            continue;
        }
        // "one fixed, one learned" holds both words of a pair and no role word to tell them
        // apart: swapping one makes a duplicate ("one learned, one learned") that any on-topic
        // answer matches. With roles ("forward fixed, reverse learned") the swap is a claim.
        let duplicate = |o: &str| roleless && p.toks.iter().any(|u| u.w == o);
        for o in opposites(&t.w).filter(|o| !duplicate(o)) {
            let mut q = p.clone();
            q.toks[j].w = o.to_string();
            q.flip = true;
            out.push(q);
        }
    }
    out
}

/// One phrasing of a key point, tokenised.
#[derive(Clone)]
struct Phrase {
    toks: Vec<Tok>,
    /// For each token, the index of the role word that governs it.
    /// For each token, its role group.
    groups: Vec<Option<usize>>,
    governor: Vec<Option<usize>>,
    /// For each token, whether its role word comes after it (look ahead in the answer's
    /// clause first).
    ahead: Vec<bool>,
    formula: bool,
    negated: bool,
    /// Every word must be said (a misconception's clause: missing a word may be what makes
    /// the answer right).
    strict: bool,
    /// For each token, whether it has an opposite (see [`OPPOSITES`]): such a word states the
    /// relation, so it must be said in the same clause as another word of the phrasing
    /// ("denoising is easy but adding noise is hard" does not say "denoising is hard").
    polar: Vec<bool>,
    /// Swapped for its opposite (see [`flipped`]): the verb "train" does not state that
    /// something is learned rather than fixed.
    flip: bool,
}

fn compile(text: &str) -> Vec<Phrase> {
    let mut toks = tokens(text);
    // Spoken maths ("z over z plus one") is a formula too, or its letters would be dropped
    // and "one" alone would match.
    let formula = text.contains(['/', '(', ')', '=', '^', '+', '_', '|', '√'])
        || toks
            .iter()
            .any(|t| matches!(t.w.as_str(), "min" | "max" | "sup") || t.w.starts_with("op"));
    if !formula {
        // Single letters count only when said of a role and qualifying a word after them
        // ("discriminator takes k steps"), or right before a role word ("k discriminator
        // steps"), so "the generator takes k steps" is a role swap, not a match.
        let mut governed = false;
        let keep: Vec<bool> = (0..toks.len())
            .map(|j| {
                governed |= role_group(&toks[j].w).is_some();
                let before_role = toks.get(j + 1).is_some_and(|t| role_group(&t.w).is_some());
                !toks[j].weak
                    || (toks[j].w.len() == 1 && ((governed && j + 1 < toks.len()) || before_role))
            })
            .collect();
        let mut it = keep.into_iter();
        toks.retain(|_| it.next().unwrap_or(false));
    }
    let mut variants = vec![toks.clone()];
    // A compound written apart in the key point may be written joined in the answer.
    if !formula && toks.len() >= 2 {
        for j in 0..toks.len() - 1 {
            if role_group(&toks[j].w).is_some() || role_group(&toks[j + 1].w).is_some() {
                continue;
            }
            let mut v = toks.clone();
            let joined = stem(&format!("{}{}", toks[j].raw, toks[j + 1].raw));
            v[j].w = joined;
            v.remove(j + 1);
            variants.push(v);
        }
    }
    variants
        .into_iter()
        .filter(|v| !v.is_empty())
        .map(|toks| {
            let mut governor = Vec::with_capacity(toks.len());
            let mut ahead = Vec::with_capacity(toks.len());
            let mut last: Option<usize> = None;
            // A role word that ends the phrasing is said of the words before it: "global
            // structure destroyed late", "details lost early".
            let final_role = (!formula && toks.len() >= 2)
                .then(|| toks.len() - 1)
                .filter(|&e| role_group(&toks[e].w).is_some())
                .filter(|&e| toks[..e].iter().all(|t| role_group(&t.w).is_none()));
            for (j, t) in toks.iter().enumerate() {
                ahead.push(false);
                if role_group(&t.w).is_some() {
                    governor.push(None);
                    last = Some(j);
                } else if t.weak
                    && !formula
                    && toks.get(j + 1).is_some_and(|n| role_group(&n.w).is_some())
                {
                    // "k discriminator steps": the letter belongs to the role after it.
                    governor.push(Some(j + 1));
                } else if let Some(e) = final_role {
                    governor.push(Some(e));
                    ahead[j] = true;
                } else {
                    governor.push(last);
                }
            }
            let negated = toks.iter().any(|t| t.negated);
            let groups = toks.iter().map(|t| role_group(&t.w)).collect();
            let polar = toks
                .iter()
                .map(|t| !formula && opposites(&t.w).next().is_some())
                .collect();
            Phrase {
                toks,
                groups,
                governor,
                ahead,
                formula,
                negated,
                strict: false,
                polar,
                flip: false,
            }
        })
        .collect()
}

/// The answer, tokenised, with joined neighbours as extra tokens.
struct Answer {
    toks: Vec<Tok>,
    /// For each token, its position in the text (a joined compound sits at its first word).
    at: Vec<usize>,
    /// `toks.len()` before the joined compounds were appended.
    real: usize,
    /// The words in order without expectation markers, for formula runs.
    formula: Vec<String>,
    /// For each real token, its role group (looked up once: roles are asked for often).
    role: Vec<Option<usize>>,
    /// Where each word occurs (token indices, in order): a phrasing's words are looked up,
    /// not searched for, as most phrasings of a card are not in a given answer.
    index: std::collections::HashMap<String, Vec<usize>>,
}

/// Drops `E` and the letters that index it (`E_x`, `E_{x,x'}`, `E_z`): people write the
/// expectation's subscript or leave it out, and `E_x[log D(x)]` is `E[log D(x)]`.
fn without_expectations<'a>(words: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut after_e = false;
    let mut after_div = false;
    for w in words {
        if w == "e" {
            after_e = true;
            continue;
        }
        if after_e && matches!(w, "x" | "y" | "z" | "p" | "q" | "pdata" | "pz" | "pg") {
            continue;
        }
        // Parameters are notation: D_phi(x) is D(x), G_theta(z) is G(z).
        if matches!(w, "theta" | "phi")
            && matches!(
                out.last().map(String::as_str),
                Some("discriminator" | "generator")
            )
        {
            continue;
        }
        // Likewise a divergence's arguments: "2 JSD(p* || q) - log 4" is "2 JSD - log 4".
        after_div |= matches!(out.last().map(String::as_str), Some("jsd" | "kl"));
        if after_div && matches!(w, "p" | "q" | "m" | "theta" | "phi") {
            continue;
        }
        after_div = false;
        after_e = false;
        out.push(w.to_string());
    }
    out
}

impl Answer {
    fn new(text: &str) -> Answer {
        Answer::from_toks(tokens(text))
    }

    /// The answer without what it contrasts with (see [`Tok::contrast`]), where claims are
    /// looked for; `None` when it contrasts with nothing.
    fn stated(&self) -> Option<Answer> {
        let real = &self.toks[..self.real];
        real.iter()
            .any(|t| t.contrast)
            .then(|| Answer::from_toks(real.iter().filter(|t| !t.contrast).cloned().collect()))
    }

    fn from_toks(mut toks: Vec<Tok>) -> Answer {
        let real = toks.len();
        let mut at: Vec<usize> = (0..real).collect();
        for i in 0..real.saturating_sub(1) {
            let (a, b) = (&toks[i], &toks[i + 1]);
            // Joined only within a clause and a negation's reach: "the likelihood is not
            // tractable" does not say "likelihood tractable".
            if a.weak || b.weak || a.negated != b.negated || a.clause != b.clause {
                continue;
            }
            // A relation word stays itself: "deterministic invertible maps" must not state
            // "deterministic" of something else through "deterministicinvertible".
            if opposites(&a.w).next().is_some() || opposites(&b.w).next().is_some() {
                continue;
            }
            let t = Tok {
                w: stem(&format!("{}{}", a.raw, b.raw)),
                raw: format!("{} {}", a.raw, b.raw),
                clause: a.clause,
                and: a.and,
                contrast: a.contrast || b.contrast,
                negated: a.negated,
                weak: false,
                relative: a.relative,
            };
            toks.push(t);
            at.push(i);
        }
        let formula = without_expectations(toks[..real].iter().map(|t| t.w.as_str()));
        let role = toks[..real].iter().map(|t| role_group(&t.w)).collect();
        let mut index: std::collections::HashMap<String, Vec<usize>> =
            std::collections::HashMap::new();
        for (i, t) in toks.iter().enumerate() {
            index.entry(t.w.clone()).or_default().push(i);
        }
        Answer {
            toks,
            at,
            real,
            formula,
            role,
            index,
        }
    }

    /// Like [`Answer::subject`], but the role word after token `i` in its clause comes first
    /// ("the global structure goes late").
    fn subject_ahead(&self, i: usize, group: usize) -> Option<usize> {
        let j = self.at[i];
        (j + 1..self.real)
            .take_while(|&k| self.in_its_clause(j, k))
            .find(|&k| self.role[k] == Some(group))
            .or_else(|| self.subject(i, group))
    }

    /// The role word of `group` that governs token `i`.
    fn subject(&self, i: usize, group: usize) -> Option<usize> {
        let i = self.at[i];
        let clause = self.toks[i].clause;
        // Nearest before it in its clause, then after it in its clause ("reconstruction
        // term L_0"), then before it in an earlier clause.
        let before = (0..i).rev().find(|&k| self.role[k] == Some(group));
        if let Some(k) = before.filter(|&k| self.toks[k].clause == clause) {
            return Some(k);
        }
        let after = (i + 1..self.real)
            .take_while(|&k| self.in_its_clause(i, k))
            .find(|&k| self.role[k] == Some(group));
        after.or(before)
    }

    /// Whether token `k`, after token `i`, is still in `i`'s clause, and not in a relative
    /// clause begun after it ("the exact likelihood which a GAN cannot give" says nothing of
    /// the GAN having it).
    fn in_its_clause(&self, i: usize, k: usize) -> bool {
        self.toks[k].clause == self.toks[i].clause
            && (self.toks[i].relative || !self.toks[k].relative)
    }

    /// Whether token `i` is said of `role` (of `group`): `None` when no role word of the group
    /// governs it. Role words joined by "and" ("the unlabeled and the generated data") share
    /// what is said of them.
    fn said_of(&self, i: usize, group: usize, ahead: bool, role: &str) -> Option<bool> {
        let k = if ahead {
            self.subject_ahead(i, group)
        } else {
            self.subject(i, group)
        }?;
        let joined = |a: usize, b: usize| {
            self.role[a] == self.role[b]
                && self.toks[b].and
                && self.toks[a].clause + 1 == self.toks[b].clause
        };
        let mut lo = k;
        while lo > 0 && joined(lo - 1, lo) {
            lo -= 1;
        }
        let mut hi = k;
        while hi + 1 < self.real && joined(hi, hi + 1) {
            hi += 1;
        }
        Some((lo..=hi).any(|m| self.toks[m].w == role))
    }
}

/// How one phrasing fares against the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Match {
    Found,
    /// Every word is there, but said of the other role or with the opposite polarity.
    Contradicted,
    Missing,
}

/// Words the learner may leave out because the question already says them.
fn question_words(card: &Card) -> Vec<String> {
    tokens(&card.front)
        .into_iter()
        .filter(|t| !t.weak)
        .map(|t| t.w)
        .collect()
}

/// Longest span (in tokens) over which a phrasing of `n` words may be spread.
fn window(n: usize) -> usize {
    2 * n + 4
}

/// A relation word (one with an opposite, see [`Phrase::polar`]) must share a clause with the
/// word of the phrasing it is said of (the one before it, or after it when it comes first):
/// "denoising is easy but adding noise is hard" does not say "denoising is hard". A relation
/// word said in another clause is dropped from `chosen`.
fn same_clause_relations(
    p: &Phrase,
    a: &Answer,
    mut chosen: Vec<Option<usize>>,
) -> Vec<Option<usize>> {
    let n = chosen.len();
    if n < 2 {
        return chosen;
    }
    let mut subject_start = 0;
    for j in 0..n {
        if !p.polar[j] {
            continue;
        }
        // What the relation word is said of: the words since the previous relation word,
        // else the next word, else the previous one.
        let subject: Vec<usize> = if subject_start < j {
            (subject_start..j).collect()
        } else if j + 1 < n {
            vec![j + 1]
        } else {
            vec![j - 1]
        };
        subject_start = j + 1;
        let Some(i) = chosen[j] else {
            continue;
        };
        let clause = a.toks[i].clause;
        let apart = if subject.iter().any(|&k| chosen[k].is_some()) {
            subject
                .iter()
                .any(|&k| chosen[k].is_some_and(|c| a.toks[c].clause != clause))
        } else {
            // Its subject is left to the question's wording: then some other word said must
            // share its clause.
            let others: Vec<usize> = (0..n)
                .filter(|&k| k != j)
                .filter_map(|k| chosen[k])
                .collect();
            !others.is_empty() && others.iter().all(|&c| a.toks[c].clause != clause)
        };
        if apart {
            chosen[j] = None;
        }
    }
    chosen
}

/// Whether a phrasing said partly the other way is said together: some window holds every
/// word (right way or other way), and each word negated shares a clause with another of
/// them (or follows it after "and"). "JSD gives no gradient, whereas Wasserstein still shrinks" does not deny
/// "Wasserstein gives a gradient": the negated word is said of something else.
fn said_together(p: &Phrase, a: &Answer, good: &[Vec<usize>], against: &[Vec<usize>]) -> bool {
    let n = p.toks.len();
    let pos = |i: usize| a.at[i];
    let cands: Vec<&Vec<usize>> = good
        .iter()
        .zip(against)
        .map(|(g, o)| if g.is_empty() { o } else { g })
        .collect();
    cands.iter().flat_map(|c| c.iter()).any(|&anchor| {
        let lo = pos(anchor);
        let chosen: Option<Vec<usize>> = cands
            .iter()
            .map(|c| {
                c.iter()
                    .copied()
                    .filter(|&i| pos(i) >= lo && pos(i) <= lo + window(n))
                    .min_by_key(|&i| pos(i))
            })
            .collect();
        chosen.is_some_and(|ch| {
            // Said of the other role: the role check already looked in its clause.
            let negated = |j: usize| a.toks[ch[j]].negated && !p.toks[j].negated;
            (0..n)
                .filter(|&j| good[j].is_empty() && negated(j))
                .all(|j| {
                    let t = &a.toks[ch[j]];
                    (0..n).any(|k| {
                        let c = a.toks[ch[k]].clause;
                        k != j && (c == t.clause || (t.and && c + 1 == t.clause))
                    })
                })
        })
    })
}

fn match_phrase(p: &Phrase, a: &Answer, question: &[String], quote: &mut Vec<String>) -> Match {
    match_phrase_in(p, a, question, quote, true)
}

/// [`match_phrase`]; `relations`: whether a relation word must share its subject's clause
/// (see [`same_clause_relations`]).
fn match_phrase_in(
    p: &Phrase,
    a: &Answer,
    question: &[String],
    quote: &mut Vec<String>,
    relations: bool,
) -> Match {
    let n = p.toks.len();
    // Cheap bound first (most phrasings of most points are not in a given answer): words said
    // at all, plus words the question may supply, plus the one a long phrasing may miss.
    let long = if p.formula { 6 } else { 5 };
    let bound = p
        .toks
        .iter()
        .filter(|t| {
            a.index
                .get(&t.w)
                .is_some_and(|is| is.iter().any(|&i| !a.toks[i].weak || p.formula || t.weak))
                || (!p.formula && !t.negated && question.contains(&t.w))
        })
        .count()
        + usize::from(n >= long && !p.strict);
    if bound < n {
        return Match::Missing;
    }
    let mut loose = 0usize; // said in the answer, ignoring role and polarity
    let mut free = 0usize; // left to the question's wording
                           // For each phrase word: answer positions that say it with the right role and polarity.
    let mut good: Vec<Vec<usize>> = Vec::with_capacity(n);
    let mut contra_evidence = true;
    // For each phrase word without a right-way occurrence: where it is said the other way.
    let mut against: Vec<Vec<usize>> = Vec::with_capacity(n);
    for (j, t) in p.toks.iter().enumerate() {
        let gov = p.governor[j].map(|g| (&p.toks[g].w, p.groups[g]));
        let occurrences: Vec<usize> = a
            .index
            .get(&t.w)
            .map(Vec::as_slice)
            .unwrap_or(&[])
            .iter()
            .copied()
            .filter(|&i| !a.toks[i].weak || p.formula || t.weak)
            .filter(|&i| !(p.flip && p.polar[j] && a.toks[i].raw == "learning"))
            .collect();
        if !occurrences.is_empty() {
            loose += 1;
        }
        let ok: Vec<usize> = occurrences
            .iter()
            .copied()
            .filter(|&i| {
                let polarity = if p.negated {
                    !t.negated || a.toks[i].negated
                } else {
                    !a.toks[i].negated
                };
                let role = match gov {
                    Some((role, Some(group))) => {
                        a.said_of(i, group, p.ahead[j], role) == Some(true)
                    }
                    _ => true,
                };
                polarity && role
            })
            .collect();
        // Said the other way: negated, or of another role. A word said of no role at all is
        // not evidence ("removing it is hard" says nothing about the reverse process).
        let mut against_here = Vec::new();
        if ok.is_empty() && !occurrences.is_empty() {
            against_here = occurrences
                .iter()
                .copied()
                .filter(|&i| {
                    let polarity = if p.negated {
                        !t.negated || a.toks[i].negated
                    } else {
                        !a.toks[i].negated
                    };
                    let other_role = match gov {
                        Some((role, Some(group))) => {
                            a.said_of(i, group, p.ahead[j], role) == Some(false)
                        }
                        _ => false,
                    };
                    // The opposite said of the other role ("prescribed models give a
                    // likelihood" for "implicit: no likelihood") agrees with the point.
                    polarity == other_role
                })
                .collect();
            contra_evidence &= !against_here.is_empty();
        }
        against.push(against_here);
        if ok.is_empty()
            && occurrences.is_empty()
            && gov.is_none()
            && p.groups[j].is_none()
            && !t.negated
            && !p.formula
            && question.contains(&t.w)
        {
            free += 1;
        }
        good.push(ok);
    }
    // The words must sit close together: pick the tightest window.
    let pos = |i: usize| a.at[i];
    let mut best: Option<(usize, Vec<Option<usize>>)> = None;
    for anchor in good.iter().flatten().copied() {
        let lo = pos(anchor);
        let chosen: Vec<Option<usize>> = good
            .iter()
            .map(|c| {
                c.iter()
                    .copied()
                    .filter(|&i| pos(i) >= lo && pos(i) <= lo + window(n))
                    .min_by_key(|&i| pos(i))
            })
            .collect();
        let chosen = if relations {
            same_clause_relations(p, a, chosen)
        } else {
            chosen
        };
        let count = chosen.iter().filter(|c| c.is_some()).count();
        if best.as_ref().is_none_or(|(b, _)| count > *b) {
            best = Some((count, chosen));
        }
    }
    let (present, chosen) = best.unwrap_or((0, vec![None; n]));
    let negated_hit = p
        .toks
        .iter()
        .zip(&chosen)
        .any(|(t, c)| t.negated && c.is_some_and(|i| a.toks[i].negated));
    // A long phrasing may miss one plain word ("equals", "trained"), never a letter, a
    // maths token or a role word: "sqrt(1 - beta)" without the x it scales is not the mean,
    // and "k discriminator steps" without the k is not the point.
    let plain_misses_only =
        p.toks
            .iter()
            .zip(&chosen)
            .zip(&p.groups)
            .zip(&p.polar)
            .all(|(((t, c), g), polar)| {
                c.is_some() || !(t.weak || g.is_some() || *polar || (p.formula && is_maths(&t.w)))
            });
    let allowed_miss = usize::from(n >= long && plain_misses_only && !p.strict);
    let mut ok =
        present + free + allowed_miss >= n && present > free && (!p.negated || negated_hit);
    // Every word of a ratio or square-root formula is there but in another order: `(1-D)/D`
    // for `D/(1-D)`, `sqrt(beta) x + sqrt(1 - beta) eps` for the other way round.
    let mut misordered = false;
    if ok && p.formula {
        // Each run of neighbouring maths tokens must appear, in order, in the answer.
        let mut j = 0;
        while j < n {
            let mut k = j;
            while k < n && is_maths(&p.toks[k].w) {
                k += 1;
            }
            if k - j >= 2 {
                let run = without_expectations(p.toks[j..k].iter().map(|t| t.w.as_str()));
                let found = run.is_empty()
                    || a.formula
                        .windows(run.len())
                        .any(|w| w.iter().zip(&run).all(|(t, r)| t == r));
                if !found {
                    ok = false;
                    misordered = run.iter().any(|w| w == "op/" || w == "sqrt");
                    break;
                }
            }
            j = k.max(j + 1);
        }
    }
    if ok {
        *quote = chosen
            .iter()
            .flatten()
            .map(|&i| a.toks[i].raw.clone())
            .collect();
        Match::Found
    } else if misordered && n >= 4 {
        Match::Contradicted
    } else if loose == n
        && n >= 2
        && !p.formula
        && contra_evidence
        && good.iter().any(|g| g.is_empty())
        && said_together(p, a, &good, &against)
    {
        // Every word is there but some only with the other role or polarity.
        Match::Contradicted
    } else {
        Match::Missing
    }
}

/// A card's phrasings and question words, tokenised once.
struct Compiled {
    /// For each key point, every variant of every phrasing (the point first).
    points: Vec<Vec<Phrase>>,
    question: Vec<String>,
    /// Content words of the card's back, answer and key points (the topic's vocabulary).
    topic: std::collections::HashSet<String>,
    /// Clauses of the card's wrong options (distractors, false statement): the
    /// misconceptions the author saw, with their text.
    wrong: Vec<(String, Phrase)>,
    /// For each key point, its phrasings with one word swapped for its opposite: found, they
    /// contradict the point.
    flips: Vec<Vec<Phrase>>,
    /// The card's authored misconceptions (see [`Card::misconceptions`]): each claim's text
    /// and every variant of its phrasings, matched like key points.
    claims: Vec<(String, Vec<Phrase>)>,
    /// Every word of the card, to read an answer's typos as the words meant.
    lexicon: spelling::Lexicon,
}

/// Clauses of at least three content words of the card's distractors and false statement,
/// except those the card's own answer, back or true statement also states (they are not what
/// makes the option wrong).
///
/// Also, for each such clause, its distinctive words alone (those neither the card's
/// vocabulary, `topic`, nor its question uses), when there are at least two: "each example
/// gets an independent uniform t, sorted" states the option "draws k independent uniform
/// times and sorts them" in other words, and what it shares with the option is what makes it
/// wrong.
fn misconceptions(
    card: &Card,
    topic: &std::collections::HashSet<String>,
    question: &[String],
) -> Vec<(String, Phrase)> {
    // What the card itself says is true (its answer, back and true statement) is not what
    // makes an option wrong: "In Algorithm 1 of Goodfellow et al." is a citation both share.
    let model = [
        Answer::new(&card.answer),
        Answer::new(&card.back),
        Answer::new(&card.true_statement),
    ];
    let mut out = Vec::new();
    for text in card
        .distractors
        .iter()
        .chain(std::iter::once(&card.false_statement))
    {
        // Each sentence's clauses after a comma continue it: one that names no role is about
        // the roles the sentence names, and alone it would be read as said of anything
        // ("DALL-E 2 conditions on T5, and runs diffusion in a latent space": Stable
        // Diffusion does run in a latent space).
        let clauses = text.split([';', '.', ':']).flat_map(|sentence| {
            let names_roles = compile(sentence)
                .first()
                .is_some_and(|p| p.groups.iter().any(Option::is_some));
            sentence.split(',').enumerate().flat_map(move |(k, part)| {
                part.split(" while ")
                    .flat_map(|c| c.split(" whereas "))
                    .flat_map(|c| c.split(" but "))
                    .map(move |c| (k > 0 && names_roles, c))
            })
        });
        for (continues, clause) in clauses {
            let Some(mut p) = compile(clause).into_iter().next() else {
                continue;
            };
            if continues && p.groups.iter().all(Option::is_none) {
                continue;
            }
            p.strict = true;
            if p.toks.iter().filter(|t| !t.weak).count() < 3 {
                continue;
            }
            // Only role words ("both VAEs and GANs have an encoder and a decoder"): what
            // makes it wrong ("both") is not a word the grader keeps, and a right answer
            // names the same roles.
            if p.groups.iter().all(Option::is_some) {
                continue;
            }
            // Nor is "only" (or "all", "just"): "cGAN conditions only the discriminator" reads
            // as "cGAN conditions the discriminator", which "conditions both G and D" says.
            // ("Both" is kept: "both chains are deterministic" is wrong for what it says.)
            let quantified = clause.split(|c: char| !c.is_alphanumeric()).any(|w| {
                matches!(
                    w.to_lowercase().as_str(),
                    "only" | "just" | "solely" | "all"
                )
            });
            if quantified {
                continue;
            }
            let said = model
                .iter()
                .any(|m| match_phrase(&p, m, &[], &mut Vec::new()) == Match::Found);
            if said {
                continue;
            }
            let distinctive: Vec<&str> = p
                .toks
                .iter()
                .filter(|t| !t.weak && !topic.contains(&t.w) && !question.contains(&t.w))
                .map(|t| t.raw.as_str())
                .collect();
            if distinctive.len() >= 2 && distinctive.len() < p.toks.len() {
                if let Some(mut d) = compile(&distinctive.join(" ")).into_iter().next() {
                    d.strict = true;
                    let said = model
                        .iter()
                        .any(|m| match_phrase(&d, m, &[], &mut Vec::new()) == Match::Found);
                    if !said && d.toks.len() >= 2 {
                        out.push((clause.trim().to_string(), d));
                    }
                }
            }
            out.push((clause.trim().to_string(), p));
        }
    }
    out
}

impl Compiled {
    fn new(card: &Card) -> Compiled {
        // Each phrasing compiled once: all its variants match; its first (the phrasing as
        // written) is also flipped.
        let mut points: Vec<Vec<Phrase>> = Vec::with_capacity(card.key_points.len());
        let mut flips: Vec<Vec<Phrase>> = Vec::with_capacity(card.key_points.len());
        for kp in &card.key_points {
            let (mut ps, mut fs) = (Vec::new(), Vec::new());
            for text in std::iter::once(&kp.point).chain(kp.synonyms.iter()) {
                let variants = compile(text);
                if let Some(first) = variants.first() {
                    fs.extend(flipped(first));
                }
                ps.extend(variants);
            }
            points.push(ps);
            flips.push(fs);
        }
        let question = question_words(card);
        let topic: std::collections::HashSet<String> = std::iter::once(&card.back)
            .chain(std::iter::once(&card.answer))
            .chain(
                card.key_points
                    .iter()
                    .flat_map(|k| std::iter::once(&k.point).chain(&k.synonyms)),
            )
            .flat_map(|t| tokens(t))
            .filter(|t| !t.weak)
            .map(|t| t.w)
            .collect();
        let claims = card
            .misconceptions
            .iter()
            .map(|m| {
                // Every word must be said: a claim missing one may be the right answer.
                let phrases = std::iter::once(&m.point)
                    .chain(m.synonyms.iter())
                    .flat_map(|t| compile(t))
                    .map(|mut p| {
                        p.strict = true;
                        p
                    })
                    .collect();
                (m.point.clone(), phrases)
            })
            .collect();
        Compiled {
            wrong: misconceptions(card, &topic, &question),
            claims,
            lexicon: spelling::Lexicon::new(
                [
                    &card.front,
                    &card.back,
                    &card.answer,
                    &card.term,
                    &card.definition,
                    &card.true_statement,
                    &card.false_statement,
                ]
                .into_iter()
                .chain(&card.distractors)
                .chain(
                    card.key_points
                        .iter()
                        .chain(&card.misconceptions)
                        .flat_map(|k| std::iter::once(&k.point).chain(&k.synonyms)),
                )
                .map(String::as_str),
            ),
            points,
            flips,
            question,
            topic,
        }
    }
}

/// Which key points `answer` makes: (found with quotes, contradicted).
fn key_point_matches(card: &Compiled, answer: &Answer) -> (Vec<(usize, String)>, Vec<usize>) {
    let question = &card.question;
    let mut found = Vec::new();
    let mut contradicted = Vec::new();
    for (i, phrases) in card.points.iter().enumerate() {
        let mut best = Match::Missing;
        let mut quote = Vec::new();
        for p in phrases {
            match match_phrase(p, answer, question, &mut quote) {
                Match::Found => {
                    best = Match::Found;
                    break;
                }
                Match::Contradicted => best = Match::Contradicted,
                Match::Missing => {}
            }
        }
        // Not said with each relation word in its subject's clause: the point said the
        // other way round (a relation word swapped for its opposite, in one clause) is a
        // contradiction; failing that, the point said loosely across clauses still counts
        // (a right answer spreads a point over clauses more often than a wrong one does).
        if best != Match::Found {
            let flipped = card.flips[i]
                .iter()
                .any(|p| match_phrase(p, answer, &[], &mut Vec::new()) == Match::Found);
            if flipped {
                best = Match::Contradicted;
            } else if phrases.iter().any(|p| p.polar.iter().any(|&x| x))
                && phrases.iter().any(|p| {
                    match_phrase_in(p, answer, question, &mut quote, false) == Match::Found
                })
            {
                best = Match::Found;
            }
        }
        match best {
            Match::Found => found.push((i, quote.join(" "))),
            Match::Contradicted => contradicted.push(i),
            Match::Missing => {}
        }
    }
    (found, contradicted)
}

/// For tuning (examples and tests): how each key point and misconception of `card` fares
/// against `answer`, one line each, naming the phrasing that decided it. It repeats
/// [`grade_answer`]'s steps to name what decided each, so a change to their order there must be
/// made here too (the verdict printed with it comes from [`grade_answer`] itself).
#[doc(hidden)]
pub fn trace(card: &Card, answer: &str) -> Vec<String> {
    let (compiled, core) = compiled(card);
    let a = Answer::new(&compiled.lexicon.correct(&expand_parts(card, answer)));
    let words = |p: &Phrase| {
        p.toks
            .iter()
            .map(|t| t.w.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut out = vec![format!(
        "answer reads: {} | as maths: {}",
        a.toks[..a.real]
            .iter()
            .map(|t| if t.negated {
                format!("~{}", t.w)
            } else {
                t.w.clone()
            })
            .collect::<Vec<_>>()
            .join(" "),
        a.formula.join(" ")
    )];
    for (i, phrases) in compiled.points.iter().enumerate() {
        let mut line = format!(
            "kp{i}{} {:?}: missing",
            if core.contains(&i) { "*" } else { "" },
            card.key_points[i].point
        );
        let mut q = Vec::new();
        if let Some(p) = phrases
            .iter()
            .find(|p| match_phrase(p, &a, &compiled.question, &mut q) == Match::Found)
        {
            line = format!("kp{i}: found by [{}] quote {:?}", words(p), q.join(" "));
            if core.contains(&i) {
                line = format!("kp{i}*{}", &line[format!("kp{i}").len()..]);
            }
        } else if let Some(p) = compiled.flips[i]
            .iter()
            .find(|p| match_phrase(p, &a, &[], &mut Vec::new()) == Match::Found)
        {
            line = format!("kp{i}: CONTRADICTED by the flipped phrasing [{}]", words(p));
        } else if let Some(p) = phrases
            .iter()
            .find(|p| match_phrase(p, &a, &compiled.question, &mut q) == Match::Contradicted)
        {
            line = format!(
                "kp{i}: CONTRADICTED (role/polarity/order) by [{}]",
                words(p)
            );
        }
        out.push(line);
    }
    let own = a.stated();
    let stated = own.as_ref().unwrap_or(&a);
    for (text, ps) in &compiled.claims {
        if let Some(p) = ps
            .iter()
            .find(|p| match_phrase(p, stated, &[], &mut Vec::new()) == Match::Found)
        {
            out.push(format!("claim {text:?} said by [{}]", words(p)));
        }
    }
    for (text, p) in &compiled.wrong {
        if match_phrase(p, stated, &[], &mut Vec::new()) == Match::Found {
            out.push(format!("wrong option {text:?} said by [{}]", words(p)));
        }
    }
    out
}

/// Replaces "(a)", "a)" markers in a short answer with the matching part of the question
/// ("(a) labeled real data, (b) ..."), so list answers are read as the learner meant them.
fn expand_parts(card: &Card, answer: &str) -> String {
    let parts: Vec<(char, String)> = ['a', 'b', 'c', 'd']
        .iter()
        .filter_map(|&l| {
            let start = card.front.find(&format!("({l})"))? + 3;
            let rest = &card.front[start..];
            let end = rest.find([',', '?', '(']).unwrap_or(rest.len());
            let text = rest[..end].trim().trim_end_matches(" and").trim();
            Some((l, text.to_string()))
        })
        .collect();
    if parts.len() < 2 {
        return answer.to_string();
    }
    let mut out = answer.to_string();
    for (l, text) in &parts {
        for marker in [format!("({l})"), format!(" {l})"), format!("{l})")] {
            if out.starts_with(&marker) || out.contains(&marker) {
                out = out.replacen(&marker, &format!(". {text}: "), 1);
                break;
            }
        }
    }
    out
}

/// Grades `answer` against `card.key_points` (see the module docs).
/// A card without key points grades any non-empty answer as `Correct`, since there is nothing
/// to check against, and an empty one as `Incorrect`.
pub fn grade_answer(card: &Card, answer: &str) -> Grade {
    let expanded = expand_parts(card, answer);
    let total = card.key_points.len();
    let compiled = (total > 0).then(|| compiled(card));
    let parsed = match &compiled {
        Some((c, _)) => Answer::new(&c.lexicon.correct(&expanded)),
        None => Answer::new(&expanded),
    };
    let empty = !parsed.toks.iter().any(|t| !t.weak || t.w.starts_with("op"));
    let Some((compiled, core)) = compiled.filter(|_| !empty) else {
        return Grade {
            found: Vec::new(),
            missed: (0..total).collect(),
            score: if empty { 0.0 } else { 1.0 },
            verdict: if empty {
                Verdict::Incorrect
            } else {
                Verdict::Correct
            },
            empty,
            overridden: false,
            contradicted: Vec::new(),
            core: Vec::new(),
            quotes: Vec::new(),
            misconception: None,
        };
    };
    let (found, contradicted) = key_point_matches(&compiled, &parsed);
    let found_idx: Vec<usize> = found.iter().map(|(i, _)| *i).collect();
    let core_found = found_idx.iter().filter(|i| core.contains(i)).count();
    let extra_found = found_idx.len() - core_found;
    let credit = core_found as f64 + EXTRA_CREDIT * extra_found as f64;
    let needed = PASS_FRACTION * core.len() as f64;
    let score = (credit / needed.max(1e-9)).min(1.0);
    // A core point stated the wrong way round (roles swapped, negated) makes the answer wrong,
    // not half right, whatever else it gets right: a teacher marks "G maximises V" wrong.
    let core_contradicted = contradicted.iter().any(|i| core.contains(i));
    let passes = !found_idx.is_empty() && !core_contradicted && credit + 1e-9 >= needed;
    // So is a half-right answer that states one of the card's wrong options (looked for only
    // in answers that do not pass: it never overturns a pass).
    // An authored misconception (see [`Card::misconceptions`]) is a claim a teacher marks
    // wrong wherever it is said, even next to right points.
    // Claims and wrong options are looked for outside what the answer contrasts with ("unlike
    // a VAE, which minimises a reconstruction error, ..."): key points are looked for anywhere.
    let own = parsed.stated();
    let stated = own.as_ref().unwrap_or(&parsed);
    let claim = compiled
        .claims
        .iter()
        .find(|(_, ps)| {
            ps.iter()
                .any(|p| match_phrase(p, stated, &[], &mut Vec::new()) == Match::Found)
        })
        .map(|(text, _)| text.clone());
    let passes = passes && claim.is_none();
    let misconception = if passes {
        None
    } else {
        claim.or_else(|| {
            compiled
                .wrong
                .iter()
                .find(|(_, p)| match_phrase(p, stated, &[], &mut Vec::new()) == Match::Found)
                .map(|(text, _)| text.clone())
        })
    };
    let content: Vec<&Tok> = parsed.toks[..parsed.real]
        .iter()
        .filter(|t| !t.weak && !compiled.question.contains(&t.w))
        .collect();
    let on_topic = content.len() >= TOPIC_MIN
        && content
            .iter()
            .filter(|t| compiled.topic.contains(&t.w))
            .count() as f64
            >= TOPIC_SHARE * content.len() as f64;
    let verdict =
        if core_contradicted || (found_idx.is_empty() && (!on_topic || misconception.is_some())) {
            Verdict::Incorrect
        } else if found_idx.is_empty() {
            Verdict::Partial
        } else if passes {
            Verdict::Correct
        } else if misconception.is_some() {
            Verdict::Incorrect
        } else {
            Verdict::Partial
        };
    Grade {
        missed: (0..total).filter(|i| !found_idx.contains(i)).collect(),
        found: found_idx,
        score,
        verdict,
        empty: false,
        overridden: false,
        contradicted,
        core,
        quotes: found.into_iter().map(|(_, q)| q).collect(),
        misconception,
    }
}

/// Normalised content words of `text` (single letters and operators left out), as the grader
/// sees them.
pub fn content_tokens(text: &str) -> Vec<String> {
    tokens(text)
        .into_iter()
        .filter(|t| !t.weak)
        .map(|t| t.w)
        .collect()
}

/// The card's compiled phrasings and its core key points (those the card's own one-line
/// answer makes; all of them if it makes none), remembered per card: tokenising the phrasings
/// and grading the model answer cost more than grading the learner's answer.
fn compiled(card: &Card) -> (std::rc::Rc<Compiled>, Vec<usize>) {
    use std::cell::RefCell;
    use std::collections::HashMap;
    type Entry = (Card, std::rc::Rc<Compiled>, Vec<usize>);
    thread_local! {
        static CACHE: RefCell<HashMap<u32, Entry>> = RefCell::new(HashMap::new());
    }
    let hit = CACHE.with(|c| {
        c.borrow()
            .get(&card.id)
            .filter(|(k, _, _)| k == card)
            .map(|(_, p, core)| (p.clone(), core.clone()))
    });
    if let Some(hit) = hit {
        return hit;
    }
    let compiled = std::rc::Rc::new(Compiled::new(card));
    let core = compute_core_points(card, &compiled);
    CACHE.with(|c| {
        c.borrow_mut()
            .insert(card.id, (card.clone(), compiled.clone(), core.clone()));
    });
    (compiled, core)
}

fn compute_core_points(card: &Card, compiled: &Compiled) -> Vec<usize> {
    let model = if card.answer.trim().is_empty() {
        &card.back
    } else {
        &card.answer
    };
    let (found, _) = key_point_matches(compiled, &Answer::new(model));
    if found.is_empty() {
        (0..card.key_points.len()).collect()
    } else {
        found.into_iter().map(|(i, _)| i).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_cards::card_with_points;

    /// An authored misconception (see [`Card::misconceptions`]).
    fn claim(point: &str, synonyms: &[&str]) -> gentutor_content::cards::KeyPoint {
        gentutor_content::cards::KeyPoint {
            point: point.into(),
            synonyms: synonyms.iter().map(|s| s.to_string()).collect(),
        }
    }

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
    fn a_typo_of_a_card_word_still_finds_the_point() {
        let card = card_with_points(&[
            ("discriminator maximises V", &[]),
            ("generator minimises V", &[]),
            ("forward process not symmetric", &[]),
        ]);
        let answer = "the discrimnator maximises V, the genrator minimises it; the forward \
                      process is not symetric";
        let g = grade_answer(&card, answer);
        assert_eq!(g.found, vec![0, 1, 2], "{:?}", trace(&card, answer));
        assert_eq!(g.verdict, Verdict::Correct);
        // A role swap typed with a typo is still a role swap.
        let swapped = grade_answer(&card, "the genrator maximises V");
        assert!(!swapped.contradicted.is_empty(), "{swapped:?}");
        assert_eq!(swapped.verdict, Verdict::Incorrect);
    }

    #[test]
    fn a_role_before_a_colon_is_the_subject_of_what_follows() {
        let card = card_with_points(&[
            ("discriminator maximises V", &[]),
            ("generator minimises V", &[]),
            ("forward process fixed", &[]),
        ]);
        // The formulas name D after "minimise": the colon's role is still the subject.
        let answer = "D: maximise log D(x) + log(1 - D(G(z))); G: minimise log(1 - D(G(z))). \
                      no: the forward process is fixed";
        let g = grade_answer(&card, answer);
        assert_eq!(g.found, vec![0, 1, 2], "{:?}", trace(&card, answer));
        assert_eq!(g.verdict, Verdict::Correct);
        // And a swap written that way is still a swap.
        let swapped = grade_answer(&card, "G: maximise V; D: minimise V");
        assert_eq!(swapped.verdict, Verdict::Incorrect, "{swapped:?}");
    }

    #[test]
    fn a_wrong_option_made_wrong_by_a_quantifier_is_not_read_into_a_right_answer() {
        let mut card = card_with_points(&[("label fed to generator and discriminator", &[])]);
        card.distractors = vec!["cGAN conditions only the discriminator on the label".into()];
        let g = grade_answer(
            &card,
            "cGAN conditions both the generator and the discriminator",
        );
        assert_eq!(g.misconception, None, "{g:?}");
    }

    #[test]
    fn a_later_clause_of_a_wrong_option_is_about_the_roles_it_names() {
        let mut card = card_with_points(&[
            ("stable diffusion runs in a latent space", &[]),
            ("imagen uses a frozen t5 encoder", &[]),
        ]);
        card.distractors =
            vec!["DALL-E 2 conditions on T5 embeddings, and runs diffusion in an autoencoder latent space".into()];
        let right = "Stable Diffusion runs the diffusion in an autoencoder latent space";
        assert_eq!(grade_answer(&card, right).misconception, None);
        // The option's first clause, which names its role, is still a wrong option.
        let wrong = "DALL-E 2 conditions on T5 embeddings";
        assert!(grade_answer(&card, wrong).misconception.is_some());
        // A sentence of its own after ';' is a statement of its own, still looked for.
        card.distractors = vec![
            "DALL-E 2 conditions on T5 embeddings; mode collapse means the training data has too few classes".into(),
        ];
        let second = "mode collapse means the training data has too few classes";
        assert!(grade_answer(&card, second).misconception.is_some());
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
        assert_eq!(content_tokens("losses"), content_tokens("loss"));
        assert_eq!(content_tokens("batch"), content_tokens("batches"));
        assert_ne!(content_tokens("mode"), content_tokens("model"));
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
        // Single letters are not content words.
        assert_eq!(content_tokens("Café  É"), vec!["cafe"]);
    }

    #[test]
    fn partial_credit_and_verdicts() {
        let card = card_with_points(&[("alpha", &[]), ("beta", &[]), ("gamma", &[])]);
        let one = grade_answer(&card, "alpha");
        assert_eq!(one.verdict, Verdict::Partial);
        // All three points are core here (the test card's own answer makes none), so one
        // found point earns 1 of the 0.75 * 3 needed.
        assert!((one.score - 1.0 / 2.25).abs() < 1e-12, "{one:?}");
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

    #[test]
    fn a_letter_before_a_role_word_belongs_to_it() {
        let card = card_with_points(&[("k discriminator steps per generator step", &[])]);
        assert!(grade_answer(&card, "D takes k steps, then G takes one step").is_correct());
        let g = grade_answer(&card, "G takes k steps, then D takes one step");
        assert!(!g.is_correct(), "{g:?}");
    }

    #[test]
    fn a_wrong_option_of_role_words_only_is_not_a_misconception() {
        let mut card = card_with_points(&[
            ("vae has an encoder and a decoder", &[]),
            ("gan is trained by a discriminator", &[]),
        ]);
        card.distractors[0] = "Both VAEs and GANs have an encoder and a decoder.".into();
        let g = grade_answer(
            &card,
            "a VAE has an encoder and a decoder, a GAN has a generator and a discriminator",
        );
        assert_eq!(g.misconception, None, "{g:?}");
        assert_ne!(g.verdict, Verdict::Incorrect, "{g:?}");
    }

    #[test]
    fn role_words_joined_by_and_share_what_is_said_of_them() {
        let card = card_with_points(&[("generated samples in the fake class", &[])]);
        let g = grade_answer(
            &card,
            "it puts the generated and the labeled samples in the fake class",
        );
        assert_eq!(g.found, vec![0], "{g:?}");
        let g = grade_answer(
            &card,
            "the generated samples are real; it puts the labeled samples in the fake class",
        );
        assert_eq!(g.contradicted, vec![0], "{g:?}");
    }

    #[test]
    fn a_long_phrasing_never_misses_its_relation_word() {
        let card = card_with_points(&[("fixed markov chain adding gaussian noise", &[])]);
        assert_eq!(
            grade_answer(&card, "a fixed markov chain that adds gaussian noise").found,
            vec![0]
        );
        // Everything but "fixed": the point is what is fixed, not that noise is added.
        let g = grade_answer(&card, "the markov chain adds gaussian noise");
        assert!(g.found.is_empty(), "{g:?}");
    }

    #[test]
    fn a_claim_needs_every_word_and_its_polarity() {
        let mut card = card_with_points(&[("no encoder", &[]), ("k plus one classes", &[])]);
        card.misconceptions = vec![claim(
            "the gan has a tractable likelihood here",
            &["gan likelihood tractable"],
        )];
        // Joined neighbours keep their negation: "likelihood is not tractable" is no claim.
        let g = grade_answer(
            &card,
            "the gan likelihood is not tractable and there is no encoder",
        );
        assert_eq!(g.misconception, None, "{g:?}");
        // A long claim may not drop a word, as a key point may: without "pixels" this is
        // the right answer.
        let mut fm = card_with_points(&[("feature matching on critic features", &[])]);
        fm.misconceptions = vec![claim(
            "generator trained by feature matching on pixels",
            &[],
        )];
        let g = grade_answer(
            &fm,
            "the generator is trained by feature matching on the critic features",
        );
        assert_eq!(g.misconception, None, "{g:?}");
        assert_eq!(g.verdict, Verdict::Correct, "{g:?}");
        // The short phrasing, said outright, is the claim.
        let g = grade_answer(&card, "gan likelihood tractable; no encoder");
        assert_eq!(g.verdict, Verdict::Incorrect, "{g:?}");
    }

    #[test]
    fn a_role_named_in_a_later_relative_clause_is_not_the_subject() {
        let mut card = card_with_points(&[("flow exact likelihood", &[]), ("invertible map", &[])]);
        card.misconceptions = vec![claim(
            "a gan gives an exact likelihood",
            &["gan exact likelihood"],
        )];
        // Spoken: no role word before "exact likelihood" in its clause; the GAN comes in a
        // relative clause that denies it.
        let g = grade_answer(
            &card,
            "a flow is an invertible map so you get the exact likelihood which a gan cant give you",
        );
        assert_eq!(g.misconception, None, "{g:?}");
        // Said outright, it is the claim.
        let g = grade_answer(&card, "a gan gives the exact likelihood; invertible map");
        assert!(g.misconception.is_some(), "{g:?}");
    }

    #[test]
    fn a_claim_said_of_what_the_answer_contrasts_with_is_not_the_learners() {
        let mut card = card_with_points(&[
            ("discriminator maximises V", &[]),
            ("generator minimises V", &[]),
        ]);
        card.misconceptions = vec![claim(
            "V is a reconstruction error",
            &["minimises a reconstruction error"],
        )];
        let right = "the discriminator maximises V and the generator minimises V";
        for contrast in [
            "unlike a VAE, which minimises a reconstruction error, ",
            "compared with a VAE (it minimises a reconstruction error) ",
            "as opposed to a VAE that minimises a reconstruction error: ",
        ] {
            let g = grade_answer(&card, &format!("{contrast}{right}"));
            assert_eq!(g.verdict, Verdict::Correct, "{contrast}: {g:?}");
        }
        // Said as the learner's own claim, it is one; the contrast ends with its clause.
        for wrong in [
            format!("it minimises a reconstruction error; {right}"),
            format!("unlike a VAE, {right}, and it minimises a reconstruction error"),
        ] {
            let g = grade_answer(&card, &wrong);
            assert_eq!(g.verdict, Verdict::Incorrect, "{wrong}: {g:?}");
        }
    }

    #[test]
    fn an_arrow_ends_a_negation() {
        let card = card_with_points(&[("use the discriminator as a classifier", &[])]);
        let g = grade_answer(&card, "no encoder -> use the discriminator as a classifier");
        assert_eq!(g.found, vec![0], "{g:?}");
        assert!(g.contradicted.is_empty(), "{g:?}");
    }

    #[test]
    fn a_negation_said_of_something_else_does_not_contradict() {
        let card = card_with_points(&[
            ("jsd is stuck at log 2", &[]),
            ("wasserstein still gives a gradient", &[]),
        ]);
        let g = grade_answer(
            &card,
            "the JSD is stuck at log 2 so there is no gradient, whereas the Wasserstein distance still shrinks",
        );
        assert!(g.contradicted.is_empty(), "{g:?}");
        // Negated in its own clause, or in one joined by "and", it does.
        for wrong in [
            "the JSD is stuck at log 2; the Wasserstein distance gives no gradient",
            "the JSD is stuck at log 2 but the Wasserstein distance is constant and gives no gradient",
        ] {
            let g = grade_answer(&card, wrong);
            assert_eq!(g.contradicted, vec![1], "{wrong}: {g:?}");
            assert_eq!(g.verdict, Verdict::Incorrect, "{wrong}");
        }
    }

    #[test]
    fn an_authored_misconception_is_wrong_even_next_to_right_points() {
        let mut card = card_with_points(&[
            ("discriminator maximises V", &[]),
            ("generator minimises V", &[]),
        ]);
        card.misconceptions = vec![claim("V is a mean squared error", &["mse loss"])];
        let right = "the discriminator maximises V and the generator minimises V";
        assert_eq!(grade_answer(&card, right).verdict, Verdict::Correct);
        for wrong in [
            "V is the mean squared error; the discriminator maximises V, the generator minimises V",
            "an MSE loss: the discriminator maximises V and the generator minimises V",
        ] {
            let g = grade_answer(&card, wrong);
            assert_eq!(g.verdict, Verdict::Incorrect, "{wrong}: {g:?}");
            assert_eq!(
                g.misconception.as_deref(),
                Some("V is a mean squared error")
            );
        }
        // Said the other way ("not a mean squared error") it is no claim at all.
        let g = grade_answer(
            &card,
            "V is not a mean squared error: the discriminator maximises V, the generator minimises V",
        );
        assert_eq!(g.verdict, Verdict::Correct, "{g:?}");
    }

    #[test]
    fn an_answer_stating_a_wrong_option_is_wrong_not_partial() {
        let mut card = card_with_points(&[
            ("k discriminator steps per generator step", &[]),
            ("generator uses fresh noise", &[]),
            ("discriminator sees real and fake minibatches", &[]),
        ]);
        card.distractors[0] =
            "The discriminator is trained to convergence once, then frozen for good.".into();
        let g = grade_answer(
            &card,
            "train the discriminator to convergence once; the generator uses fresh noise",
        );
        assert_eq!(g.found, vec![1], "{g:?}");
        assert_eq!(g.verdict, Verdict::Incorrect, "{g:?}");
        assert_eq!(
            g.misconception.as_deref(),
            Some("The discriminator is trained to convergence once")
        );
        // Without the wrong option it is half right.
        let g = grade_answer(&card, "the generator uses fresh noise");
        assert_eq!(g.verdict, Verdict::Partial, "{g:?}");
        assert_eq!(g.misconception, None);
    }

    #[test]
    fn a_role_word_at_the_end_governs_the_words_before_it() {
        let card = card_with_points(&[("global structure destroyed late", &[])]);
        assert!(grade_answer(
            &card,
            "fine detail goes early, the global structure is destroyed late"
        )
        .is_correct());
        let g = grade_answer(
            &card,
            "early timesteps destroy the global structure and late timesteps the fine details",
        );
        assert!(g.found.is_empty(), "{g:?}");
    }

    #[test]
    fn named_terms_are_roles_said_before_or_after_in_their_clause() {
        let card = card_with_points(&[
            ("l0 is the reconstruction term", &[]),
            ("lt is the prior term", &[]),
            ("ltm1 kl", &[]),
        ]);
        let right = grade_answer(
            &card,
            "L_T: prior term; L_{t-1}: KL terms; L_0 the reconstruction term",
        );
        assert!(right.is_correct(), "{right:?}");
        // The name may follow what is said of it, in the same clause.
        let after = grade_answer(
            &card,
            "prior term L_T, KL terms L_(t-1), reconstruction term L_0",
        );
        assert!(after.is_correct(), "{after:?}");
        let swapped = grade_answer(
            &card,
            "L_T is the reconstruction term and L_0 is the prior term",
        );
        assert_eq!(swapped.verdict, Verdict::Incorrect, "{swapped:?}");
        assert_eq!(swapped.contradicted, vec![0, 1]);
    }

    #[test]
    fn an_on_topic_answer_without_a_key_point_is_half_right() {
        let mut card =
            card_with_points(&[("exact log-likelihood", &[]), ("change of variables", &[])]);
        card.back = "A flow is an invertible network; its exact log-likelihood comes from the change of variables.".into();
        let g = grade_answer(&card, "flows use invertible networks");
        assert!(g.found.is_empty(), "{g:?}");
        assert_eq!(g.verdict, Verdict::Partial, "{g:?}");
        // Words the card does not use make it wrong, as before.
        let off = grade_answer(&card, "flows add noise step by step");
        assert_eq!(off.verdict, Verdict::Incorrect, "{off:?}");
    }

    #[test]
    fn comparisons_are_roles_too() {
        let card = card_with_points(&[("critic gives a lower bound", &[])]);
        assert!(grade_answer(&card, "the critic only gives a lower bound").is_correct());
        let g = grade_answer(&card, "the critic gives an upper bound");
        assert!(g.found.is_empty(), "{g:?}");
        assert_eq!(g.verdict, Verdict::Incorrect);
        let more = card_with_points(&[("more weight on large t", &[])]);
        assert!(grade_answer(&more, "puts more weight on large t").is_correct());
        assert!(!grade_answer(&more, "puts less weight on large t, more on small t").is_correct());
    }

    #[test]
    fn spoken_formulas_and_expectation_subscripts() {
        // "z over z plus one" is a formula: "one" alone must not match it.
        let card = card_with_points(&[("D = Z/(Z+1)", &["z over z plus one"])]);
        assert!(grade_answer(&card, "one output for real").found.is_empty());
        assert!(grade_answer(&card, "D is z over z plus one").is_correct());
        // E_x[...] and E[...] state the same formula; a formula may not drop a word.
        let v = card_with_points(&[("E log D(x) + E log(1 - D(G(z)))", &[])]);
        assert!(grade_answer(&v, "V = E_x[log D(x)] + E_z[log(1 - D(G(z)))]").is_correct());
        let b = card_with_points(&[("mean sqrt(1 - beta_t) x_{t-1}", &[])]);
        assert!(grade_answer(&b, "mean sqrt(1-b_t) x_(t-1)").is_correct());
        assert!(!grade_answer(&b, "mean sqrt(1 - beta_t) eps").is_correct());
    }

    #[test]
    fn role_swaps_inverted_ratios_and_scoped_negations_fail() {
        let card = card_with_points(&[
            ("discriminator maximises V", &[]),
            ("generator minimises V", &[]),
        ]);
        let right = grade_answer(&card, "D maximizes V, and G minimizes it");
        assert_eq!(right.verdict, Verdict::Correct, "{right:?}");
        let swapped = grade_answer(&card, "G maximises V and D minimises it");
        assert_ne!(swapped.verdict, Verdict::Correct, "{swapped:?}");
        assert_eq!(swapped.contradicted, vec![0, 1]);
        // A swap is wrong, not half right, even next to a point stated correctly.
        let three = card_with_points(&[
            ("discriminator maximises V", &[]),
            ("generator minimises V", &[]),
            ("binary cross-entropy", &[]),
        ]);
        let g = grade_answer(
            &three,
            "binary cross-entropy; G maximises V and D minimises it",
        );
        assert_eq!(g.found, vec![2], "{g:?}");
        assert_eq!(g.verdict, Verdict::Incorrect, "{g:?}");

        let ratio = card_with_points(&[("ratio equals D/(1-D)", &[])]);
        assert!(grade_answer(&ratio, "the ratio r = D(x)/(1 - D(x))").is_correct());
        let inverted = grade_answer(&ratio, "the ratio r = (1-D)/D");
        assert_eq!(inverted.verdict, Verdict::Incorrect, "{inverted:?}");
        assert_eq!(inverted.contradicted, vec![0]);
        // Same for a swapped square root: the variance is beta, not 1 - beta.
        let step = card_with_points(&[
            ("sqrt(1 - beta) x + sqrt(beta) eps", &[]),
            ("gaussian", &[]),
        ]);
        let swapped = grade_answer(&step, "gaussian: sqrt(beta) x + sqrt(1 - beta) eps");
        assert_eq!(swapped.verdict, Verdict::Incorrect, "{swapped:?}");
        assert!(grade_answer(&step, "gaussian, sqrt(1-beta) x + sqrt(beta) eps").is_correct());

        let sym = card_with_points(&[("not symmetric", &[]), ("forward fixed", &[])]);
        assert!(grade_answer(&sym, "forward is fixed, they are not symmetric").is_correct());
        // The negation belongs to the first clause only.
        let g = grade_answer(&sym, "the reverse is not fixed, and they are symmetric");
        assert!(!g.found.contains(&0), "{g:?}");
    }

    #[test]
    fn a_phrasing_holding_both_words_of_a_pair_is_not_flipped_into_a_duplicate() {
        // Flipping "fixed" in "one fixed one learned" gives "one learned one learned", which an
        // on-topic answer that says "learned" twice would match as a contradiction.
        let card = card_with_points(&[
            ("forward process is fixed", &["one fixed one learned"]),
            ("gaussian steps", &[]),
        ]);
        let g = grade_answer(
            &card,
            "one process learned with gaussian steps, then one learned to denoise",
        );
        assert!(g.contradicted.is_empty(), "{g:?}");
        // A one-sided flip is still read as the wrong way round.
        let swapped = grade_answer(&card, "the forward process is learned; gaussian steps");
        assert_eq!(swapped.contradicted, vec![0], "{swapped:?}");
    }

    #[test]
    fn a_relation_word_swapped_for_its_opposite_contradicts_the_point() {
        let card = card_with_points(&[
            ("forward process is fixed", &[]),
            ("removing noise is hard", &[]),
        ]);
        let right = grade_answer(
            &card,
            "the forward process is fixed; removing noise is hard",
        );
        assert!(right.is_correct(), "{right:?}");
        let flipped = grade_answer(
            &card,
            "the forward process is learned; removing noise is hard",
        );
        assert_eq!(flipped.contradicted, vec![0], "{flipped:?}");
        assert_eq!(flipped.verdict, Verdict::Incorrect, "{flipped:?}");
        // "train" is an action, not the claim that something is learned rather than fixed.
        let verb = grade_answer(
            &card,
            "training the forward process; removing noise is hard",
        );
        assert!(verb.contradicted.is_empty(), "{verb:?}");
    }

    #[test]
    fn a_relation_word_is_said_in_its_subjects_clause() {
        let card = card_with_points(&[("denoising is hard", &[]), ("small steps", &[])]);
        // "hard" is said of adding noise, in the next clause: the point is stated the other
        // way round ("denoising is easy").
        let g = grade_answer(
            &card,
            "denoising is easy but adding noise is hard, in small steps",
        );
        assert!(!g.found.contains(&0), "{g:?}");
        assert_eq!(g.contradicted, vec![0], "{g:?}");
        assert!(grade_answer(
            &card,
            "adding noise is easy but denoising is hard, small steps"
        )
        .is_correct());
    }

    #[test]
    fn the_opposite_said_of_the_other_role_agrees_with_the_point() {
        let card = card_with_points(&[
            ("implicit models have no likelihood", &[]),
            ("prescribed models specify a density", &[]),
        ]);
        let g = grade_answer(
            &card,
            "prescribed models specify a density and give a likelihood, implicit ones only sample",
        );
        assert!(g.contradicted.is_empty(), "{g:?}");
        assert_ne!(g.verdict, Verdict::Incorrect, "{g:?}");
    }

    #[test]
    fn a_wrong_option_in_other_words_is_named_by_its_distinctive_words() {
        let mut card = card_with_points(&[
            ("one random offset per minibatch", &[]),
            ("evenly spaced times", &[]),
            ("lower variance", &[]),
        ]);
        card.back = "The sampler uses one random offset per minibatch: evenly spaced times, each \
                     uniform, with lower variance."
            .into();
        card.answer = card.back.clone();
        card.distractors[0] =
            "The sampler draws k independent uniform times and sorts them.".into();
        let g = grade_answer(
            &card,
            "each example draws an independent time, sorted, for lower variance",
        );
        assert_eq!(g.verdict, Verdict::Incorrect, "{g:?}");
        assert_eq!(
            g.misconception.as_deref(),
            Some("The sampler draws k independent uniform times and sorts them")
        );
    }
}
