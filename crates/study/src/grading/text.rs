//! From typed (or transcribed) text to the tokens the grader compares.
//!
//! Each token carries its normalised word, the clause it sits in, whether a negation governs
//! it, and whether it is "weak" (a single letter, a digit or an operator), which counts only
//! inside formulas. Normalisation, in order:
//! - lowercase; "n't" -> "not"; Latin accents folded; Greek letters spelled out (`ε`, `\epsilon`,
//!   "eps" all give `epsilon`); `√` and "square root" give `sqrt`;
//! - maths as people type or say it: `/` (or "over" between maths tokens) is the operator
//!   `op/`, `+`/"plus" is `op+`, a minus sign (or "minus") is `op-` (a hyphen between two
//!   letters only joins words: "non-saturating"); "alpha-bar", "abar", `\bar\alpha`, `ᾱ` are
//!   `alphabar`; `x_0`/`x0` are `x0`; a `t` or `s` subscript after a Greek letter is dropped;
//!   the argument `x` after `D`, `G`, `p`, `q`, `r`, `f` is dropped (`D(x)` = `D`);
//!   W1 = "Wasserstein 1", KR = "Kantorovich Rubinstein", TV = "total variation"; subscript
//!   digits are digits (`x₀` = `x0`); `≠` is "not";
//! - speech: acronyms spelled letter by letter join ("e l b o" = `elbo`), fillers ("um",
//!   "erm", "yeah") are dropped, "dall e" and "dalle2" are DALL-E 2, "cycle gan" is CycleGAN,
//!   "elbow" is ELBO;
//! - roles: `D` and "critic" are `discriminator`, `G` is `generator`;
//! - word forms: UK and US spellings agree (-ise/-ize, -isation/-ization, -yse/-yze,
//!   -our/-or, -lled/-led) and a light stemmer strips plural, -ing, -ed, -ly and a final -e
//!   ("clipped" = "clipping" = "clip", "linearly" = "linear").
//!
//! Clauses end at `. , ; ! ?`, a new line, a list marker ("1) ... 2) ...") and linking words
//! ("and", "but", "while", "whereas", "then", "so", "because"). A negation ("not", "no", "never", "without", "cannot",
//! "rather than", "instead of") governs the tokens after it up to the end of its clause, and
//! at most a few words ([`NEGATION_REACH`], [`INSTEAD_REACH`]); an arrow or a colon ends a
//! negation but not the clause ("D: maximise V" says it of D).

/// One normalised token.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Tok {
    pub w: String,
    /// The word before stemming (for joined compounds and for quoting the learner).
    pub raw: String,
    pub clause: usize,
    /// Its clause began with "and": it may share the previous clause's subject ("the
    /// Wasserstein distance is stuck and gives no gradient").
    pub and: bool,
    /// Said of what the answer contrasts with ("unlike a VAE, which minimises a
    /// reconstruction error, ..."): a claim said there is not the learner's.
    pub contrast: bool,
    pub negated: bool,
    pub weak: bool,
    /// Inside a relative clause begun in its clause ("the exact likelihood which a GAN cannot
    /// give"): its role word is not the subject of the words before "which".
    pub relative: bool,
}

pub(crate) const OP_MINUS: &str = "op-";
pub(crate) const OP_PLUS: &str = "op+";
pub(crate) const OP_OVER: &str = "op/";

/// Words dropped before matching: English function words and LaTeX layout commands.
const IGNORED: &[&str] = &[
    "a",
    "an",
    "the",
    "of",
    "to",
    "in",
    "on",
    "for",
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
    "which",
    "each",
    "was",
    "were",
    "been",
    "being",
    "has",
    "have",
    "had",
    "does",
    "do",
    "did",
    "their",
    "they",
    "them",
    "these",
    "those",
    "there",
    "we",
    "you",
    "i.e",
    "ie",
    "eg",
    "e.g",
    "via",
    "um",
    "uh",
    "erm",
    "er",
    "hmm",
    "yeah",
    "okay",
    "ok",
    "kinda",
    "sorta",
    "so",
    "basically",
    "just",
    "also",
    "very",
    "really",
    "some",
    "any",
    "all",
    "can",
    "will",
    "would",
    "should",
    "may",
    "might",
    "must",
    "itself",
    "times",
    "mathbb",
    "mathrm",
    "mathcal",
    "mathbf",
    "boldsymbol",
    "operatorname",
    "frac",
    "tfrac",
    "dfrac",
    "cdot",
    "bigl",
    "bigr",
    "per",
    "vs",
    "give",
    "gives",
    "given",
    "make",
    "makes",
    "use",
    "uses",
    "used",
    "using",
    "get",
    "gets",
    "become",
    "becomes",
    "only",
    "both",
    "still",
    "thing",
    "things",
    "way",
    "called",
    "mid",
    "le",
    "leq",
    "ge",
    "geq",
    "sim",
    "versus",
    "one's",
    "what",
    "when",
    "how",
    "why",
    "who",
    "=",
];

/// Words that end a clause (and a negation's scope) but are not content.
const LINKS: &[&str] = &[
    "and", "but", "while", "whilst", "whereas", "then", "so", "because", "since", "however", "yet",
    "although", "though",
];

/// Words a negation reaches at most: a spoken answer has no punctuation to end its clause
/// ("it is not symmetric the forward process is fixed and the reverse is learned").
const NEGATION_REACH: usize = 6;
/// ... and "instead of" / "rather than", which name one thing ("instead of independent times
/// you spread them evenly").
const INSTEAD_REACH: usize = 3;

/// Role words that start a new statement in unpunctuated speech (see [`tokens`]): the bound's
/// named terms, the two processes and the two networks.
const NEW_SUBJECTS: &[&str] = &[
    "lt",
    "ltm1",
    "l0",
    "forward",
    "reverse",
    "discriminator",
    "generator",
];

/// Whether the stemmed word `s` is one of [`NEW_SUBJECTS`] (stemmed once: this runs for the
/// negated words of every answer).
fn new_subject(s: &str) -> bool {
    static STEMS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    STEMS
        .get_or_init(|| NEW_SUBJECTS.iter().map(|r| stem(r)).collect())
        .iter()
        .any(|r| r == s)
}

/// Negation cues (single words; "rather than" and "instead of" are folded to `insteadof`).
const NEGATIONS: &[&str] = &[
    "not", "no", "never", "without", "cannot", "nor", "none", "neither", "nothing",
    // Typed without the apostrophe ("dont", "isnt"), and words that deny what follows.
    "dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "werent", "cant", "wont", "couldnt",
    "shouldnt", "wouldnt", "hasnt", "havent", "lacks", "lack", "lacking",
];

/// Whole-word aliases applied before stemming (typed abbreviations and spoken numbers).
fn alias(w: &str) -> Option<&'static str> {
    Some(match w {
        "eps" | "varepsilon" | "epsilon" => "epsilon",
        // Said: "the expectation of log d of x" is E[log D(x)].
        "expectation" | "expectations" => "e",
        "ln" => "log",
        // `\le`, `\leq` as `≤` (at most), `\ge`, `\geq` as `≥`.
        "le" | "leq" | "leqslant" => "most",
        "ge" | "geq" | "geqslant" => "least",
        "vartheta" => "theta",
        "varphi" => "phi",
        "varsigma" => "sigma",
        "varrho" => "rho",
        "squareroot" | "root" => "sqrt",
        "grad" | "grads" | "nabla" | "gradient" | "gradients" => "gradient",
        "net" | "nets" | "nn" => "network",
        "d" | "disc" | "critic" | "critics" | "discriminators" => "discriminator",
        "g" | "gen" | "generators" => "generator",
        "abar" | "alphabar" => "alphabar",
        "explicit" => "prescribed",
        "zero" | "naught" | "nought" => "0",
        // Typed abbreviations.
        "recon" | "recons" => "reconstruction",
        "lik" | "likelihoods" => "likelihood",
        "var" => "variance",
        "fwd" | "forwards" => "forward",
        "rev" | "backwards" | "backward" | "bwd" => "reverse",
        "prob" | "probs" => "probability",
        "dim" | "dims" => "dimension",
        "distrib" | "distn" => "distribution",
        "params" | "param" => "parameters",
        "obj" => "objective",
        "img" | "imgs" => "image",
        "one" => "1",
        "two" | "twice" => "2",
        "three" => "3",
        "four" => "4",
        "five" => "5",
        // How speech recognisers write ELBO.
        "elbow" | "elbows" => "elbo",
        "dalle" => "dalle",
        "unet" => "unet",
        "js" | "jsd" => "jsd",
        "kls" => "kl",
        "emd" => "wasserstein",
        "later" => "late",
        "earlier" => "early",
        // A bag of concept aliases: everyday words for the deck's notions, and comparatives
        // (the stemmer leaves -er alone), folded on both sides so "tricks the net" says
        // "fools the network" and "blurrier" says "blurry".
        "trick" | "tricks" | "tricked" | "deceive" | "deceives" | "fooling" | "fooled" => "fool",
        "blurrier" | "blurred" | "blurry" | "fuzzy" | "blurriness" => "blur",
        "sharper" | "crisp" | "crisper" | "sharpness" => "sharp",
        "tiny" | "slight" | "little" | "smaller" => "small",
        "larger" | "bigger" => "large",
        "easier" => "easy",
        "harder" => "hard",
        "noisy" | "noisier" | "noised" => "noise",
        "invisible" | "unnoticeable" | "imperceptibly" => "imperceptible",
        "learnt" | "learnable" | "trainable" | "trained" => "learn",
        // The verb, "train D": stems to "learn" too, but the raw "learning" tells the grader it
        // states an action, not that something is learned rather than fixed.
        "train" | "trains" | "training" => "learning",
        "frozen" | "freeze" | "freezes" => "fixed",
        "picture" | "pictures" | "photo" | "photos" => "image",
        "produce" | "produces" | "produced" | "generates" | "generate" | "create" | "creates"
        | "creating" | "synthesise" | "synthesize" => "generating",
        "inject" | "injects" | "injected" | "injecting" => "add",
        "strip" | "strips" | "subtract" | "subtracts" | "undo" | "undoes" => "remove",
        "roughly" | "nearly" | "almost" | "approx" | "approximately" => "approximate",
        "distinguish" | "distinguishes" | "discriminate" | "discriminates" | "separate"
        | "separates" => "classify",
        "spread" | "spaced" | "spacing" => "space",
        "evenly" | "equally" => "even",
        "shift" | "shifts" | "shifted" | "shifting" | "offset" | "offsets" | "nudge" | "nudges" => {
            "shift"
        }
        "monotone" | "monotonic" | "monotonically" | "increasing" => "monotonic",
        "normal" => "gaussian",
        // "Centred at" states a mean; "average" is one.
        "centred" | "centered" | "centre" | "center" | "average" | "averages" => "mean",
        "means" => "mean",
        "attn" => "attention",
        "sampler" | "simulator" => "sampler",
        _ => return None,
    })
}

/// Is `c` a letter (after folding)?
fn letter(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_alphabetic())
}

fn digit(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_ascii_digit())
}

/// A raw piece before word-level rules.
#[derive(Debug, Clone, PartialEq)]
enum Piece {
    Word(String),
    Op(&'static str),
    Break,
    /// An arrow (`->`, `=>`, `→`): ends a negation's reach, not the clause.
    Arrow,
}

/// Character pass: folds letters and symbols, turns maths punctuation into operators and
/// clause punctuation into breaks.
/// LaTeX macros that are also English words (`\left(`, `\text{...}`, `\big(`): dropped as
/// macros only, so "the right class" keeps its "right".
fn drop_latex_words(s: &str) -> String {
    const MACROS: [&str; 4] = ["left", "right", "text", "big"];
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('\\') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let name = after
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(after.len());
        if MACROS.contains(&&after[..name]) {
            out.push(' ');
            rest = &after[name..];
        } else {
            out.push('\\');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

fn pieces(text: &str) -> Vec<Piece> {
    // A capital pi is typed for a product (lowercasing would make it the constant pi).
    let lower: String = text
        .chars()
        .map(|c| match c {
            'Π' => '∏',
            // x₀, x₁: subscript digits are typed for x_0, x_1.
            '₀'..='₉' => char::from(b'0' + (c as u32 - '₀' as u32) as u8),
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .collect();
    let lower = lower
        .replace("n't", " not")
        .replace("n’t", " not")
        // "invariant to X" says the thing does not depend on X: it denies the X named right
        // after it, like "instead of". ("Shape-invariant" stays a word.)
        .replace("invariant to", " invariantto ")
        .replace("independent of", " invariantto ")
        .replace("regardless of", " invariantto ")
        .replace("insensitive to", " invariantto ")
        .replace("rather than", " insteadof ")
        .replace("instead of", " insteadof ")
        .replace("square root", " sqrt ")
        .replace("reproducing kernel hilbert space", " rkhs ")
        .replace("kernel hilbert space", " rkhs ")
        .replace("signal-to-noise ratio", " snr ")
        .replace("signal to noise ratio", " snr ")
        .replace("signal-to-noise", " snr ")
        .replace("evidence lower bound", " elbo ")
        .replace("variational lower bound", " elbo ")
        .replace("kullback-leibler", " kl ")
        .replace("kullback leibler", " kl ")
        .replace("jensen-shannon", " jsd ")
        .replace("jensen shannon", " jsd ")
        .replace("earth mover's", " wasserstein ")
        .replace("earth movers", " wasserstein ")
        .replace("earth mover", " wasserstein ")
        .replace("earth-mover", " wasserstein ")
        .replace("u-net", " unet ")
        .replace("dall-e", " dalle ")
        .replace("dall·e", " dalle ")
        // Said "dall e two".
        .replace("dall e ", " dalle ")
        .replace("as opposed to", " unlike ")
        .replace("compared with", " unlike ")
        .replace("compared to", " unlike ")
        .replace("in contrast to", " unlike ")
        .replace("<=", " ≤ ")
        .replace(">=", " ≥ ")
        .replace("->", " → ")
        .replace("=>", " → ");
    let lower = drop_latex_words(&lower);
    let chars: Vec<char> = lower.chars().collect();
    let mut out = Vec::new();
    let mut word = String::new();
    // Open brackets: a ")" that closes none after a lone number is a list marker, "1) ... 2) ...".
    let mut depth = 0usize;
    let flush = |word: &mut String, out: &mut Vec<Piece>| {
        if !word.is_empty() {
            out.push(Piece::Word(std::mem::take(word)));
        }
    };
    for i in 0..chars.len() {
        let c = chars[i];
        let prev = if i > 0 { Some(chars[i - 1]) } else { None };
        let next = chars.get(i + 1).copied();
        if c.is_ascii_alphanumeric() {
            // "2E" is two tokens: a coefficient and a letter.
            if c.is_ascii_alphabetic()
                && digit(prev)
                && !word.is_empty()
                && word.chars().all(|d| d.is_ascii_digit())
            {
                flush(&mut word, &mut out);
            }
            word.push(c);
            continue;
        }
        if ('\u{0300}'..='\u{036F}').contains(&c) {
            continue;
        }
        if let Some(s) = fold_latin(c) {
            word.push_str(s);
            continue;
        }
        match c {
            '(' | '[' | '{' => {
                depth += 1;
                flush(&mut word, &mut out);
            }
            ')' | ']' | '}' if depth > 0 => {
                depth -= 1;
                flush(&mut word, &mut out);
            }
            // "2) unlabeled data is not fake 3) generated data is fake": the marker ends the
            // item (and its negation) and is not content.
            ')' if (1..=2).contains(&word.len())
                && word.chars().all(|d| d.is_ascii_digit())
                && chars[..i - word.len()]
                    .last()
                    .is_none_or(|b| b.is_whitespace() || matches!(b, '.' | ',' | ';' | ':')) =>
            {
                word.clear();
                out.push(Piece::Break);
            }
            '.' if digit(prev) && digit(next) => word.push('.'),
            '.' | ',' | ';' | '!' | '?' | '\n' => {
                flush(&mut word, &mut out);
                out.push(Piece::Break);
            }
            // "no encoder -> use D as the classifier": an arrow ends a negation's reach. So does
            // a colon, which does not end the clause: "D: maximise V" says it of D.
            '→' | '⇒' | ':' => {
                flush(&mut word, &mut out);
                out.push(Piece::Arrow);
            }
            '-' | '−' | '–' | '—' => {
                flush(&mut word, &mut out);
                // A hyphen inside a word only joins ("non-saturating", "alpha-bar").
                if !(letter(prev) && letter(next)) {
                    out.push(Piece::Op(OP_MINUS));
                }
            }
            // Kept as a word until the word rules have run, so "V = 2" is not read as "V2"
            // (as "x_0" is "x0"); dropped after them.
            '=' => {
                flush(&mut word, &mut out);
                out.push(Piece::Word("=".into()));
            }
            '/' | '÷' => {
                flush(&mut word, &mut out);
                out.push(Piece::Op(OP_OVER));
            }
            '+' => {
                flush(&mut word, &mut out);
                out.push(Piece::Op(OP_PLUS));
            }
            _ => {
                flush(&mut word, &mut out);
                if let Some(s) = fold_symbol(c) {
                    for w in s.split_whitespace() {
                        out.push(Piece::Word(w.to_string()));
                    }
                } else if c.is_alphanumeric() {
                    word.push(c);
                }
            }
        }
    }
    flush(&mut word, &mut out);
    out
}

fn is_greek(w: &str) -> bool {
    matches!(
        w,
        "alpha"
            | "beta"
            | "gamma"
            | "delta"
            | "epsilon"
            | "zeta"
            | "eta"
            | "theta"
            | "kappa"
            | "lambda"
            | "mu"
            | "nu"
            | "xi"
            | "pi"
            | "rho"
            | "sigma"
            | "tau"
            | "phi"
            | "chi"
            | "psi"
            | "omega"
            | "alphabar"
    )
}

/// Tokens that count inside formulas: operators, digits, single letters, Greek letters and
/// a few function names.
pub(crate) fn is_maths(w: &str) -> bool {
    w.starts_with("op")
        || w.chars().all(|c| c.is_ascii_digit() || c == '.')
        || w.len() == 1
        || is_greek(w)
        || matches!(
            w,
            "sqrt"
                | "log"
                | "exp"
                | "discriminator"
                | "generator"
                | "x0"
                | "kl"
                | "jsd"
                | "snr"
                | "min"
                | "max"
                | "sup"
        )
        || (w.len() == 2 && w.as_bytes()[1].is_ascii_digit())
}

/// Acronyms a speech recogniser writes letter by letter ("the e l b o", "k l divergence").
const SPELLED: &[&str] = &[
    "kl", "js", "jsd", "elbo", "gan", "gans", "vae", "vaes", "fid", "mmd", "snr", "ddpm", "vdm",
    "mse", "rkhs", "sgd", "fgsm", "ipm",
];

/// Joins a run of single letters that spells one of [`SPELLED`]; "s n r" is "snr".
fn join_spelled(raw: Vec<Piece>) -> Vec<Piece> {
    let single = |p: &Piece| matches!(p, Piece::Word(w) if w.len() == 1 && w.as_bytes()[0].is_ascii_lowercase());
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let run = raw[i..].iter().take_while(|p| single(p)).count();
        // The longest spelled acronym that starts here.
        let joined = (2..=run.min(5)).rev().find_map(|n| {
            let w: String = raw[i..i + n]
                .iter()
                .filter_map(|p| match p {
                    Piece::Word(w) => Some(w.as_str()),
                    _ => None,
                })
                .collect();
            SPELLED.contains(&w.as_str()).then_some((n, w))
        });
        match joined {
            Some((n, w)) => {
                out.push(Piece::Word(w));
                i += n;
            }
            None => {
                out.push(raw[i].clone());
                i += 1;
            }
        }
    }
    out
}

/// Normalised tokens of `text` (see the module docs).
pub(crate) fn tokens(text: &str) -> Vec<Tok> {
    // Word-level rules on the raw pieces first.
    let raw = join_spelled(pieces(text));
    let mut words: Vec<Piece> = Vec::with_capacity(raw.len());
    for p in raw {
        let Piece::Word(w) = p else {
            words.push(p);
            continue;
        };
        let w = alias(&w).map(str::to_string).unwrap_or(w);
        let prev = match words.last() {
            Some(Piece::Word(x)) => Some(x.clone()),
            _ => None,
        };
        match (prev.as_deref(), w.as_str()) {
            // "non-learned", "non saturating": one word, not "learned" (as "nonlinear").
            (Some("non"), x) if x.chars().all(|c| c.is_ascii_alphabetic()) => {
                words.pop();
                words.push(Piece::Word(format!("non{x}")));
            }
            // alpha bar / bar alpha -> alphabar.
            (Some("alpha"), "bar") | (Some("bar"), "alpha") => {
                words.pop();
                words.push(Piece::Word("alphabar".into()));
            }
            // A t or s subscript after a Greek letter (beta_t, alphabar_s) is dropped.
            (Some(g), "t" | "s") if is_greek(g) => {}
            // The DDPM bound's terms are names: L_T (prior), L_0 (reconstruction) and
            // L_{t-1} (the KLs), so "L_T is the reconstruction term" swaps two roles.
            (Some("l"), "t") => {
                words.pop();
                words.push(Piece::Word("lt".into()));
            }
            // b_t is how people type beta_t.
            (Some("b"), "t") => {
                words.pop();
                words.push(Piece::Word("beta".into()));
            }
            // "JS divergence", "KL divergence": the name says it is a divergence.
            (Some("jsd" | "kl"), "divergence" | "divergences") => {}
            // The argument x of D(x), p(x), ... is dropped.
            (Some("discriminator" | "generator" | "p" | "q" | "r" | "f"), "x") => {}
            // Said: "d of x" is D(x).
            (Some("of"), "x")
                if matches!(
                    words.iter().rev().nth(1),
                    Some(Piece::Word(f)) if matches!(f.as_str(), "discriminator" | "generator" | "p" | "q" | "r" | "f")
                ) =>
            {
                words.pop();
            }
            // Parameters are notation: D_phi(x) is D(x), G_theta(z) is G(z).
            (Some("discriminator" | "generator"), "phi" | "theta") => {}
            // x_0, x 0 -> x0; w1 -> wasserstein 1.
            (Some(l), d)
                if l.len() == 1
                    && letter(l.chars().next())
                    && d.len() == 1
                    && digit(d.chars().next()) =>
            {
                words.pop();
                if l == "w" && d == "1" {
                    words.push(Piece::Word("wasserstein".into()));
                    words.push(Piece::Word("1".into()));
                } else {
                    words.push(Piece::Word(format!("{l}{d}")));
                }
            }
            (_, "w1") => {
                words.push(Piece::Word("wasserstein".into()));
                words.push(Piece::Word("1".into()));
            }
            (_, "kr") => {
                words.push(Piece::Word("kantorovich".into()));
                words.push(Piece::Word("rubinstein".into()));
            }
            (_, "tv") => {
                words.push(Piece::Word("total".into()));
                words.push(Piece::Word("variation".into()));
            }
            // Said as two words: "cycle gan", "style gan", "c gan", "u net".
            (Some("cycle" | "style" | "c"), "gan" | "gans") | (Some("u"), "network") => {
                let joined = match w.as_str() {
                    "network" => "unet".to_string(),
                    _ => format!("{}gan", prev.as_deref().unwrap_or_default()),
                };
                words.pop();
                words.push(Piece::Word(joined));
            }
            (_, "dalle2") => {
                words.push(Piece::Word("dalle".into()));
                words.push(Piece::Word("2".into()));
            }
            (_, "minus") => words.push(Piece::Op(OP_MINUS)),
            (_, "plus") => words.push(Piece::Op(OP_PLUS)),
            _ => words.push(Piece::Word(w)),
        }
    }
    // L_{t-1}: one name, not L_T minus one.
    for i in (0..words.len().saturating_sub(2)).rev() {
        let named = matches!(&words[i], Piece::Word(w) if w == "lt")
            && words[i + 1] == Piece::Op(OP_MINUS)
            && matches!(&words[i + 2], Piece::Word(w) if w == "1");
        if named {
            words.splice(i..i + 3, [Piece::Word("ltm1".into())]);
        }
    }
    // "over" between two maths tokens is a fraction bar.
    for i in 1..words.len().saturating_sub(1) {
        let maths = |p: &Piece| match p {
            Piece::Word(x) => is_maths(x),
            Piece::Op(_) => true,
            Piece::Break | Piece::Arrow => false,
        };
        if words[i] != Piece::Word("over".into()) {
            continue;
        }
        let after_extremum = matches!(&words[i - 1], Piece::Word(x) if matches!(x.as_str(), "min" | "max" | "sup" | "minimum" | "maximum"));
        if after_extremum {
            // "min over theta" names the variable, like min_theta.
            words[i] = Piece::Word("the".into());
        } else if maths(&words[i - 1]) && maths(&words[i + 1]) {
            words[i] = Piece::Op(OP_OVER);
        }
    }
    let mut out = Vec::with_capacity(words.len());
    let mut clause = 0usize;
    let mut and = false;
    let mut negated = false;
    let mut reach = 0usize;
    let mut limit = NEGATION_REACH;
    let mut contrast = false;
    let mut relative = false;
    for (i, p) in words.iter().cloned().enumerate() {
        match p {
            Piece::Break => {
                clause += 1;
                and = false;
                negated = false;
                relative = false;
                // A relative clause after "unlike X," is still about X.
                let relative = matches!(
                    words.get(i + 1),
                    Some(Piece::Word(n)) if matches!(n.as_str(), "which" | "who" | "whose" | "where")
                );
                contrast &= relative;
            }
            Piece::Arrow => negated = false,
            Piece::Op(op) => out.push(Tok {
                w: op.to_string(),
                raw: op.trim_start_matches("op").to_string(),
                clause,
                and,
                contrast,
                negated,
                weak: true,
                relative,
            }),
            Piece::Word(w) => {
                if LINKS.contains(&w.as_str()) {
                    relative = false;
                    clause += 1;
                    and = w == "and";
                    negated = false;
                    contrast = false;
                    continue;
                }
                if w == "unlike" {
                    contrast = true;
                    continue;
                }
                if NEGATIONS.contains(&w.as_str()) {
                    negated = true;
                    reach = 0;
                    limit = NEGATION_REACH;
                    continue;
                }
                // "instead of X, Y" / "Y rather than X" / "invariant to X": it denies the X
                // named right after it.
                if w == "insteadof" || w == "invariantto" {
                    negated = true;
                    reach = 0;
                    limit = INSTEAD_REACH;
                    continue;
                }
                // "doesnt depend on the shape only on its end points": "only" after a denied
                // word names what is affirmed.
                if (w == "only" || w == "except") && negated && reach > 0 {
                    negated = false;
                }
                // A relative clause that starts after content of its own clause.
                if matches!(w.as_str(), "which" | "who" | "whom" | "whose")
                    && out.last().is_some_and(|t: &Tok| t.clause == clause)
                {
                    relative = true;
                }
                if IGNORED.contains(&w.as_str()) {
                    continue;
                }
                let s = concept(stem(&w));
                let weak = s.len() == 1 && !s.chars().all(|c| c.is_ascii_digit());
                // Unpunctuated speech: "... with no parameters l t minus one is the kl ...".
                // Once a negation has reached a word, a new subject (a role word) starts what
                // it does not deny.
                if negated && reach > 0 && new_subject(&s) {
                    negated = false;
                }
                if negated {
                    reach += 1;
                    if reach > limit {
                        negated = false;
                    }
                }
                out.push(Tok {
                    w: s,
                    raw: w,
                    clause,
                    and,
                    contrast,
                    negated,
                    weak,
                    relative,
                });
            }
        }
    }
    out
}

/// One name per concept where the deck's notation and plain words differ: the injected noise
/// of a diffusion model is epsilon, whichever way it is said ("predict the noise" = "predict
/// eps"). Applied to answers and key points alike.
fn concept(s: String) -> String {
    match s.as_str() {
        "nois" => "epsilon".to_string(),
        _ => s,
    }
}

/// Light stemmer: UK/US spellings to one form, then plural, -ing, -ed, -ly and a final -e
/// stripped. Short words and maths tokens are left alone.
pub(crate) fn stem(w: &str) -> String {
    if w.len() <= 3 || !w.chars().all(|c| c.is_ascii_lowercase()) || is_greek(w) {
        return w.to_string();
    }
    let mut s = w.to_string();
    // UK -> US spellings.
    for (uk, us) in [
        ("isation", "ization"),
        ("isations", "izations"),
        ("ising", "izing"),
        ("ised", "ized"),
        ("ises", "izes"),
        ("ise", "ize"),
        ("yse", "yze"),
        ("ysed", "yzed"),
        ("ysing", "yzing"),
        ("our", "or"),
        ("ours", "ors"),
        ("lled", "led"),
        ("lling", "ling"),
        ("tre", "ter"),
    ] {
        if s.ends_with(uk) && s.len() > uk.len() + 2 {
            s.truncate(s.len() - uk.len());
            s.push_str(us);
            break;
        }
    }
    let strip = |s: &mut String, suf: &str, min: usize| -> bool {
        if s.ends_with(suf) && s.len() >= suf.len() + min {
            s.truncate(s.len() - suf.len());
            true
        } else {
            false
        }
    };
    // Plurals.
    if s.ends_with("ies") && s.len() > 4 {
        s.truncate(s.len() - 3);
        s.push('y');
    } else if s.ends_with("sses")
        || s.ends_with("ches")
        || s.ends_with("shes")
        || s.ends_with("xes")
    {
        s.truncate(s.len() - 2);
    } else if s.ends_with('s') && !s.ends_with("ss") && !s.ends_with("us") && !s.ends_with("is") {
        s.pop();
    }
    // -ization / -ize / -ized / -izing -> -iz
    for suf in ["izations", "ization", "izing", "ized", "izes", "ize"] {
        if strip(&mut s, suf, 3) {
            s.push_str("iz");
            return s;
        }
    }
    let mut stripped = strip(&mut s, "ing", 3) || strip(&mut s, "ed", 3);
    if !stripped {
        stripped = strip(&mut s, "ly", 4);
    }
    if stripped {
        // clipped -> clipp -> clip
        let b = s.as_bytes();
        let n = b.len();
        if n >= 3 && b[n - 1] == b[n - 2] && !matches!(b[n - 1], b'l' | b's' | b'z') {
            s.pop();
        }
    }
    if s.ends_with('e') && s.len() > 4 {
        s.pop();
    }
    if s.ends_with('y') && s.len() > 4 {
        s.pop();
        s.push('i');
    }
    s
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
        'δ' | 'Δ' => "delta",
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
        'ᾱ' => "alphabar",
        '√' => "sqrt",
        '∑' | 'Σ' => "sum",
        '∏' | 'Π' => "prod",
        '∫' => "integral",
        '∞' => "infinity",
        '∇' => "gradient",
        '∂' => "partial",
        '≈' => "approx",
        // "‖f‖ ≤ 1" is said "at most 1".
        '≤' | '⩽' => "most",
        '≥' | '⩾' => "least",
        '𝔼' => "e",
        // "falling loss ≠ better G".
        '≠' => "not",
        '½' => "1 op/ 2",
        '²' => "2",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(t: &str) -> Vec<String> {
        tokens(t).into_iter().map(|t| t.w).collect()
    }

    #[test]
    fn uk_and_us_spellings_and_word_forms_agree() {
        for (a, b) in [
            ("maximises", "maximizes"),
            ("maximisation", "maximize"),
            ("clipped", "clipping"),
            ("linearly", "linear"),
            ("labelled", "labeled"),
            ("parameterise", "parameterization"),
            ("samples", "sampled"),
            ("analysed", "analyze"),
            ("net", "networks"),
            // The bag of concept aliases.
            ("tricks", "fools"),
            ("blurrier", "blurry"),
            ("sharper", "sharp"),
            ("trained", "learned"),
            ("centred", "mean"),
            ("signal-to-noise ratio", "SNR"),
            ("earth mover's distance", "Wasserstein distance"),
            ("U-Net", "unet"),
            ("L_{t-1}", "L_(t-1)"),
        ] {
            assert_eq!(words(a), words(b), "{a} vs {b}");
        }
        assert_ne!(words("mode"), words("model"));
    }

    #[test]
    fn typed_maths_folds_to_one_form() {
        assert_eq!(words("sqrt(abar_t) x_0"), words("√ᾱ_t x0"));
        assert_eq!(words("alpha-bar_t"), words(r"\bar{\alpha}_t"));
        assert_eq!(
            words("W1 via KR duality"),
            words("Wasserstein 1 via Kantorovich-Rubinstein duality")
        );
        assert_eq!(words("grad_x J"), words("∇_x J"));
        assert_eq!(words("eps"), words("ε"));
        assert_eq!(words("D/(1-D)"), words("d over one minus d"));
        assert_eq!(words("D(x)/(1 - D(x))"), words("D/(1-D)"));
        assert_eq!(
            words("the expectation of log d of x plus log of one minus d of g of z"),
            words("E[log D(x)] + log(1 - D(G(z)))")
        );
        assert_ne!(words("D/(1-D)"), words("(1-D)/D"));
        assert_eq!(words("non-saturating"), vec!["nonsaturat"]);
        assert_eq!(words("non saturating"), words("non-saturating"));
        assert_eq!(words("non-learned"), vec!["nonlearn"]);
        assert_eq!(words("Π_t (1 - beta)"), words("prod_t (1 - beta)"));
        assert_eq!(words("ln D(x)"), words("log D(x)"));
        // LaTeX macros that are English words are dropped as macros only.
        assert_eq!(words("the right class"), vec!["right", "class"]);
        assert_eq!(words("\\left( x \\right) \\text{big}"), vec!["x", "big"]);
        assert_eq!(words("V = 2 JSD"), vec!["v", "2", "jsd"]);
        assert_eq!(words("x_0 = x0"), vec!["x0", "x0"]);
        assert_eq!(words("x naught"), words("x_0"));
        assert_eq!(words("per-step KLs"), words("per-step KL"));
        assert_eq!(
            words("twice the Jensen-Shannon divergence minus log 4"),
            words("2 JSD - log 4")
        );
        assert_eq!(
            words("fwd recon, lower var, 2 dims, probs"),
            words("forward reconstruction, lower variance, 2 dimensions, probabilities")
        );
    }

    #[test]
    fn negation_reaches_the_end_of_its_clause_only() {
        let t =
            tokens("the encoder is not learned, it is fixed and the steps don't need jacobians");
        let neg: Vec<(&str, bool)> = t.iter().map(|t| (t.w.as_str(), t.negated)).collect();
        assert!(neg.contains(&("learn", true)), "{neg:?}");
        assert!(neg.contains(&("fix", false)), "{neg:?}");
        assert!(neg.contains(&("need", true)), "{neg:?}");
        assert!(neg.contains(&("encoder", false)), "{neg:?}");
        let r = tokens("fixed rather than learned");
        assert!(r.iter().any(|t| t.w == "learn" && t.negated));
        // "instead of X, Y": it denies X, not Y.
        let instead = tokens("instead of sampling each t independently they spread them evenly");
        assert!(
            instead.iter().any(|t| t.w == "independent" && t.negated),
            "{instead:?}"
        );
        assert!(
            instead.iter().any(|t| t.w == "spac" && !t.negated),
            "{instead:?}"
        );
        assert_eq!(words("‖f‖ ≤ 1 under 𝔼"), words("f at most 1 under E"));
        assert_eq!(words("‖f‖ <= 1"), words("‖f‖ ≤ 1"));
        assert_eq!(words("\\|f\\| \\le 1"), words("‖f‖ ≤ 1"));
        assert_eq!(words("r >= 0"), words("r \\geq 0"));
        // Unpunctuated speech: the negation reaches a few words, not the rest of the answer.
        let spoken = tokens(
            "they are not symmetric the forward process is set by hand the reverse one is learned",
        );
        assert!(spoken.iter().any(|t| t.w == "symmetric" && t.negated));
        assert!(
            spoken.iter().any(|t| t.w == "learn" && !t.negated),
            "{spoken:?}"
        );
        // Typed without the apostrophe, and "lacks".
        for s in [
            "you dont need jacobians",
            "it isnt invertible",
            "a GAN lacks a density",
        ] {
            let t = tokens(s);
            assert!(t.iter().rev().take(1).all(|t| t.negated), "{s}: {t:?}");
        }
    }

    #[test]
    fn subscript_digits_and_dalle_spellings_read_as_typed() {
        assert_eq!(words("√ᾱ_t x₀"), words("sqrt(abar_t) x_0"));
        assert_eq!(words("x₁ and x₂"), words("x1 and x2"));
        assert_eq!(words("DALLE2 uses a prior"), words("DALL-E 2 uses a prior"));
        assert_eq!(
            words("dall e two uses a prior"),
            words("DALL-E 2 uses a prior")
        );
        assert_eq!(words("imagen uses t five"), words("Imagen uses T5"));
        assert_eq!(
            words("cycle gans and style gan"),
            words("CycleGANs and StyleGAN")
        );
        assert_eq!(words("a c gan with a u net"), words("a cGAN with a U-Net"));
        assert_eq!(words("the elbow"), words("the ELBO"));
    }

    #[test]
    fn acronyms_spelled_letter_by_letter_are_one_word() {
        assert_eq!(words("the e l b o"), words("the ELBO"));
        assert_eq!(
            words("k l divergence of q and p"),
            words("KL divergence of q and p")
        );
        assert_eq!(words("s n r min"), words("SNR min"));
        // Letters that spell nothing stay letters: "d g" is D and G.
        assert_eq!(words("d g"), words("D G"));
        assert_eq!(words("x t"), words("x_t"));
        // Spoken fillers are not content; "≠" denies what follows.
        assert_eq!(words("um the erm e l b o yeah"), words("the ELBO"));
        let t = tokens("falling loss ≠ better G");
        assert!(t.iter().any(|t| t.w == "better" && t.negated), "{t:?}");
    }

    #[test]
    fn in_run_on_speech_a_new_subject_only_or_except_ends_a_negation() {
        let negated = |text: &str, word: &str| {
            let t = tokens(text);
            t.iter()
                .find(|t| t.w == word || t.raw == word)
                .unwrap_or_else(|| panic!("{word} in {t:?}"))
                .negated
        };
        // The bound's next term is a new statement, not more of what "no" denies.
        let run_on = "l t is a constant with no parameters l t minus one is the kl";
        assert!(negated(run_on, "parameter"));
        assert!(!negated(run_on, "kl"));
        assert!(!negated(
            "the forward process is not learned the reverse is",
            "reverse"
        ));
        // A role word right after the negation is what it denies.
        assert!(negated("not the generator", "generator"));
        assert!(!negated(
            "it does not depend on the shape only on the endpoints",
            "endpoint"
        ));
        assert!(!negated(
            "invariant to the shape except the endpoints",
            "endpoint"
        ));
        assert!(negated("not only the endpoints", "endpoint"));
    }

    #[test]
    fn invariant_to_x_denies_x_only() {
        let t = tokens("the loss is invariant to the endpoints snr min and snr max");
        assert!(t.iter().any(|t| t.w == "endpoint" && t.negated), "{t:?}");
        let t = tokens(
            "softmax is invariant to adding a constant to all logits you can pin the fake logit",
        );
        assert!(t.iter().any(|t| t.w == "pin" && !t.negated), "{t:?}");
        // Said after the thing, "invariant" is a plain word.
        assert!(tokens("schedule-shape invariant")
            .iter()
            .any(|t| t.w == "invariant"));
    }

    #[test]
    fn a_numbered_list_marker_ends_the_item_and_its_negation() {
        let t = tokens("2) unlabeled data is not fake 3) generated data is fake");
        let generated = t.iter().position(|t| t.w == "generat").expect("generated");
        assert!(!t[generated + 1..].iter().any(|t| t.negated), "{t:?}");
        assert!(!t.iter().any(|t| t.w == "2" || t.w == "3"), "{t:?}");
        // A closing bracket inside a formula is not a marker: p(y = K + 1) keeps its 1.
        assert!(tokens("p(y = K + 1) is high").iter().any(|t| t.w == "1"));
    }

    #[test]
    fn single_letters_are_weak() {
        let t = tokens("beta_t I");
        assert_eq!(
            t.iter().map(|t| t.w.as_str()).collect::<Vec<_>>(),
            ["beta", "i"]
        );
        assert!(!t[0].weak && t[1].weak);
    }
}
