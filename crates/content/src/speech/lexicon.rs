//! The words: tokens of LaTeX and of ASCII maths in prose, numbers, Greek letters, operator
//! and relation names, and what is only layout.

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    /// `\name` (or `\,` etc., as a one-character name).
    Cmd(String),
    /// A word (loose mode) or a single letter (LaTeX mode).
    Ident(String),
    Num(String),
    Open,
    Close,
    Sym(char),
    /// Whitespace in loose mode (it decides whether `-` is a hyphen and `(` means "of").
    Space,
}

pub(super) fn tokenize(s: &str, loose: bool) -> Result<Vec<Tok>, String> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' {
            let mut j = i + 1;
            if j < chars.len() && chars[j].is_ascii_alphabetic() {
                while j < chars.len() && chars[j].is_ascii_alphabetic() {
                    j += 1;
                }
            } else {
                j = (j + 1).min(chars.len());
            }
            out.push(Tok::Cmd(chars[i + 1..j].iter().collect()));
            i = j;
        } else if c == '{' {
            out.push(Tok::Open);
            i += 1;
        } else if c == '}' {
            out.push(Tok::Close);
            i += 1;
        } else if c.is_whitespace() {
            if loose && out.last() != Some(&Tok::Space) {
                out.push(Tok::Space);
            }
            i += 1;
        } else if c.is_ascii_digit()
            || (c == '.' && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit()))
        {
            let mut j = i;
            while j < chars.len()
                && (chars[j].is_ascii_digit()
                    || (chars[j] == '.' && chars.get(j + 1).is_some_and(|d| d.is_ascii_digit())))
            {
                j += 1;
            }
            // In prose, "u0" or "2d" stay words.
            if loose && j < chars.len() && chars[j].is_alphabetic() {
                let mut k = j;
                while k < chars.len() && chars[k].is_alphanumeric() {
                    k += 1;
                }
                out.push(Tok::Ident(chars[i..k].iter().collect()));
                i = k;
                continue;
            }
            out.push(Tok::Num(chars[i..j].iter().collect()));
            i = j;
        } else if c.is_alphabetic() {
            if loose {
                // A word, with apostrophes and inner hyphens ("u-net", "model's", "vit-l").
                let mut j = i;
                while j < chars.len()
                    && (chars[j].is_alphanumeric()
                        || ((chars[j] == '\'' || chars[j] == '’' || chars[j] == '-')
                            && chars.get(j + 1).is_some_and(|n| n.is_alphabetic())
                            && j > i
                            && chars[j - 1].is_alphabetic()))
                {
                    j += 1;
                }
                out.push(Tok::Ident(chars[i..j].iter().collect()));
                i = j;
            } else {
                out.push(Tok::Ident(c.to_string()));
                i += 1;
            }
        } else {
            out.push(Tok::Sym(c));
            i += 1;
        }
    }
    Ok(out)
}

pub(super) fn number_words(n: &str) -> String {
    const SMALL: [&str; 21] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
    ];
    match n.parse::<usize>() {
        Ok(k) if k <= 20 => SMALL[k].to_string(),
        _ => n.to_string(),
    }
}

pub(super) fn greek(name: &str) -> Option<&'static str> {
    Some(match name {
        "alpha" => "alpha",
        "beta" => "beta",
        "gamma" | "Gamma" => "gamma",
        "delta" | "Delta" => "delta",
        "epsilon" | "varepsilon" => "epsilon",
        "zeta" => "zeta",
        "eta" => "eta",
        "theta" | "vartheta" | "Theta" => "theta",
        "iota" => "iota",
        "kappa" => "kappa",
        "lambda" | "Lambda" => "lambda",
        "mu" => "mu",
        "nu" => "nu",
        "xi" | "Xi" => "xi",
        "pi" | "Pi" => "pi",
        "rho" | "varrho" => "rho",
        "sigma" | "Sigma" | "varsigma" => "sigma",
        "tau" => "tau",
        "upsilon" => "upsilon",
        "phi" | "varphi" | "Phi" => "phi",
        "chi" => "chi",
        "psi" | "Psi" => "psi",
        "omega" | "Omega" => "omega",
        "ell" => "l",
        _ => return None,
    })
}

/// Commands read as a fixed word (operators, relations, symbols).
pub(super) fn word_for(name: &str) -> Option<&'static str> {
    Some(match name {
        "cdot" | "times" => "times",
        "pm" => "plus or minus",
        "approx" => "is approximately",
        "le" | "leq" => "is at most",
        "ge" | "geq" => "is at least",
        "neq" | "ne" => "is not equal to",
        "ll" => "is much less than",
        "gg" => "is much greater than",
        "sim" => "drawn from",
        "propto" => "is proportional to",
        "to" | "rightarrow" | "mapsto" | "longrightarrow" => "to",
        "Rightarrow" | "implies" => "implies",
        "leftarrow" | "gets" => "gets",
        "mid" | "vert" => "given",
        "in" => "in",
        "notin" => "not in",
        "subset" | "subseteq" => "a subset of",
        "infty" => "infinity",
        "nabla" => "the gradient",
        "partial" => "partial",
        "log" => "log",
        "ln" => "log",
        "exp" => "exp",
        "sin" => "sine",
        "cos" => "cosine",
        "tanh" => "tanh",
        "det" => "the determinant of",
        "dots" | "ldots" | "cdots" | "vdots" => "dot dot dot",
        "forall" => "for all",
        "exists" => "there exists",
        "circ" => "composed with",
        "otimes" => "tensor",
        "odot" => "elementwise times",
        "top" => "transpose",
        "prime" => "prime",
        "star" | "ast" => "star",
        "Vert" | "|" | "lVert" | "rVert" => "norm",
        "langle" => "the inner product of",
        "rangle" => "",
        "lbrace" | "rbrace" | "{" | "}" | "lvert" | "rvert" => "",
        "KL" => "K L",
        _ => return None,
    })
}

/// Big operators that take limits: what to say before them.
pub(super) fn big_op(name: &str) -> Option<&'static str> {
    Some(match name {
        "sum" => "the sum",
        "prod" => "the product",
        "int" => "the integral",
        "min" => "the minimum",
        "max" => "the maximum",
        "sup" => "the supremum",
        "inf" => "the infimum",
        "argmin" => "the arg min",
        "argmax" => "the arg max",
        "lim" => "the limit",
        "mathbb{E}" => "the expectation",
        _ => return None,
    })
}

/// Commands that are only layout (spaces, sizes, environments).
pub(super) fn ignored(name: &str) -> bool {
    matches!(
        name,
        "left"
            | "right"
            | "big"
            | "Big"
            | "bigg"
            | "Bigg"
            | "bigl"
            | "bigr"
            | "Bigl"
            | "Bigr"
            | "biggl"
            | "biggr"
            | ","
            | ";"
            | ":"
            | "!"
            | " "
            | "quad"
            | "qquad"
            | "displaystyle"
            | "textstyle"
            | "limits"
            | "nolimits"
            | "\\"
            | "&"
            | "middle"
    )
}

pub(super) fn is_number_word(w: &str) -> bool {
    w.chars().all(|c| c.is_ascii_digit())
        || [
            "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        ]
        .contains(&w)
}

/// ASCII-maths names in prose read as words ("sqrt" -> "the square root of", "eps" ->
/// "epsilon"); other words stay as written.
pub(super) fn loose_word(w: &str) -> String {
    match w.to_lowercase().as_str() {
        "sqrt" => "the square root of".into(),
        "eps" | "varepsilon" => "epsilon".into(),
        "inf" => "infimum".into(),
        "sup" => "supremum".into(),
        "mse" => "M S E".into(),
        "kl" => "K L".into(),
        "snr" => "S N R".into(),
        "elbo" => "ELBO".into(),
        _ => w.to_string(),
    }
}

/// Ordinary English words are never function names: "(" after them is a parenthesis.
pub(super) fn is_prose_word(w: &str) -> bool {
    w.chars().count() > 3
        && !matches!(
            w.to_lowercase().as_str(),
            "sqrt" | "mod" | "exp" | "log" | "softmax" | "sigmoid" | "tanh" | "relu"
        )
}
