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

#[derive(Debug, Clone, PartialEq)]
enum Tok {
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

fn tokenize(s: &str, loose: bool) -> Result<Vec<Tok>, String> {
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

fn number_words(n: &str) -> String {
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

fn greek(name: &str) -> Option<&'static str> {
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
fn word_for(name: &str) -> Option<&'static str> {
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
fn big_op(name: &str) -> Option<&'static str> {
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
fn ignored(name: &str) -> bool {
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

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
    loose: bool,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    /// In prose, a `-` just consumed joins words ("1-Lipschitz", "Wasserstein-1", "K+1-class")
    /// unless it is maths: spaced ("1 - beta"), or between a short name and a digit ("t-1").
    fn is_hyphen(&self) -> bool {
        let prev = self.pos.checked_sub(2).and_then(|i| self.toks.get(i));
        let next = self.toks.get(self.pos);
        match (prev, next) {
            (Some(Tok::Ident(_) | Tok::Num(_)) | None, Some(Tok::Ident(_))) => true,
            (Some(Tok::Ident(w)), Some(Tok::Num(_))) => w.chars().count() >= 3,
            _ => false,
        }
    }

    fn skip_space(&mut self) {
        while self.peek() == Some(&Tok::Space) {
            self.pos += 1;
        }
    }

    /// Words up to the closing brace (`until == Some(Close)`) or the end.
    fn expr(&mut self, until: Option<Tok>) -> Result<Vec<String>, String> {
        let mut out: Vec<String> = Vec::new();
        while let Some(t) = self.peek().cloned() {
            if Some(&t) == until.as_ref() {
                return Ok(out);
            }
            if t == Tok::Close {
                if until.is_none() {
                    return Err("unbalanced `}`".into());
                }
                return Ok(out);
            }
            let (words, can_call) = self.atom()?;
            out.extend(words);
            // Whether the item can take an argument list: `f(x)` -> "f of x".
            let mut callable = can_call;
            // Postfix scripts.
            let mut scripted = false;
            loop {
                match self.peek() {
                    Some(Tok::Sym('_')) => {
                        self.pos += 1;
                        let (sub, simple) = self.script()?;
                        let base_plain_letter = out.last().is_some_and(|w| {
                            w.len() == 1 && w.chars().all(|c| c.is_ascii_alphabetic())
                        });
                        let greek_sub = sub.len() == 1 && greek(&sub[0]).is_some();
                        if simple
                            && (!base_plain_letter
                                || greek_sub
                                || sub.iter().all(|w| is_number_word(w)))
                        {
                            out.extend(sub);
                        } else {
                            out.push("sub".into());
                            out.extend(sub);
                            if !simple {
                                out.push(",".into());
                            }
                        }
                        scripted = true;
                    }
                    Some(Tok::Sym('^')) => {
                        self.pos += 1;
                        let (sup, _) = self.script()?;
                        out.extend(power(&sup));
                        scripted = true;
                    }
                    Some(Tok::Sym('\'')) if !self.loose => {
                        self.pos += 1;
                        out.push("prime".into());
                    }
                    _ => break,
                }
            }
            if scripted {
                callable = true;
            }
            if callable && matches!(self.peek(), Some(Tok::Sym('(')) | Some(Tok::Sym('['))) {
                out.push("of".into());
                self.pos += 1;
            }
        }
        if until.is_some() {
            return Err("unbalanced `{`".into());
        }
        Ok(out)
    }

    /// A sub- or superscript: a braced group or one token. Returns its words and whether it
    /// was a single simple item.
    fn script(&mut self) -> Result<(Vec<String>, bool), String> {
        match self.peek().cloned() {
            Some(Tok::Open) => {
                self.pos += 1;
                let w = self.expr(Some(Tok::Close))?;
                self.pos += 1;
                let simple = w.len() == 1;
                Ok((w, simple))
            }
            Some(Tok::Num(n)) if !self.loose => {
                // `x_10` in TeX is x sub 1, then 0; authors mean the first digit.
                self.pos += 1;
                let first: String = n.chars().take(1).collect();
                if n.len() > 1 {
                    self.toks.insert(self.pos, Tok::Num(n[1..].to_string()));
                }
                Ok((vec![number_words(&first)], true))
            }
            Some(Tok::Space) | None => Ok((Vec::new(), true)),
            _ => {
                let (w, _) = self.atom()?;
                let simple = w.len() == 1;
                Ok((w, simple))
            }
        }
    }

    /// A braced argument of a command.
    fn arg(&mut self) -> Result<Vec<String>, String> {
        self.skip_space();
        match self.peek().cloned() {
            Some(Tok::Open) => {
                self.pos += 1;
                let w = self.expr(Some(Tok::Close))?;
                self.pos += 1;
                Ok(w)
            }
            Some(_) => Ok(self.atom()?.0),
            None => Err("a command is missing its argument".into()),
        }
    }

    /// The raw text of a braced argument (for `\text{...}`, `\begin{...}`).
    fn raw_arg(&mut self) -> Result<String, String> {
        if self.peek() != Some(&Tok::Open) {
            return Ok(self.atom()?.0.join(" "));
        }
        self.pos += 1;
        let mut depth = 1;
        let mut s = String::new();
        while let Some(t) = self.next() {
            match t {
                Tok::Open => depth += 1,
                Tok::Close => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(s);
                    }
                }
                Tok::Ident(w) | Tok::Num(w) => s.push_str(&w),
                Tok::Sym(c) => s.push(c),
                Tok::Cmd(c) => {
                    s.push(' ');
                    s.push_str(&c);
                    s.push(' ');
                }
                Tok::Space => s.push(' '),
            }
        }
        Err("unbalanced `{`".into())
    }

    /// One item: its words, and whether it can take an argument list (`f(x)` -> "f of x").
    fn atom(&mut self) -> Result<(Vec<String>, bool), String> {
        let Some(t) = self.next() else {
            return Ok((Vec::new(), false));
        };
        Ok(match t {
            Tok::Space => (Vec::new(), false),
            Tok::Num(n) => (vec![number_words(&n)], false),
            Tok::Ident(w) if self.loose && w.eq_ignore_ascii_case("sqrt") => {
                // sqrt(...) in prose: the bracket's contents, then a pause.
                let mut words = vec!["the square root of".to_string()];
                if self.peek() == Some(&Tok::Sym('(')) {
                    self.pos += 1;
                    let inner = self.expr(Some(Tok::Sym(')')))?;
                    self.pos += 1;
                    let long = inner.len() > 2;
                    words.extend(inner);
                    if long {
                        words.push(",".into());
                    }
                }
                (words, false)
            }
            Tok::Ident(w) => {
                if self.loose {
                    (vec![loose_word(&w)], !is_prose_word(&w))
                } else {
                    (vec![w], true)
                }
            }
            Tok::Open => {
                let w = self.expr(Some(Tok::Close))?;
                self.pos += 1;
                (w, false)
            }
            Tok::Close => return Err("unbalanced `}`".into()),
            Tok::Sym(c) => (self.symbol(c), false),
            Tok::Cmd(name) => return self.command(&name),
        })
    }

    fn symbol(&mut self, c: char) -> Vec<String> {
        let space_after = matches!(self.peek(), Some(Tok::Space) | None);
        let w: &str = match c {
            '+' => "plus",
            '-' | '−' if self.loose && self.is_hyphen() => "",
            '-' | '−' => "minus",
            '%' => "percent",
            '=' => {
                if self.peek() == Some(&Tok::Sym('=')) {
                    self.pos += 1;
                }
                "equals"
            }
            '<' => {
                if self.peek() == Some(&Tok::Sym('=')) {
                    self.pos += 1;
                    "is at most"
                } else {
                    "is less than"
                }
            }
            '>' => {
                if self.peek() == Some(&Tok::Sym('=')) {
                    self.pos += 1;
                    "is at least"
                } else {
                    "is greater than"
                }
            }
            '/' => "over",
            '|' => {
                if self.peek() == Some(&Tok::Sym('|')) {
                    self.pos += 1;
                    "norm"
                } else {
                    "given"
                }
            }
            '*' => "star",
            '!' => "factorial",
            '~' => "",
            '(' | ')' | '[' | ']' | '&' => "",
            ',' => ",",
            ';' => ";",
            ':' => ":",
            '.' => {
                if self.loose && space_after {
                    "."
                } else {
                    ""
                }
            }
            '?' => "?",
            '\'' | '’' if self.loose => "",
            '\'' | '’' => "prime",
            '≈' => "is approximately",
            '≤' => "is at most",
            '≥' => "is at least",
            '√' => "the square root of",
            '∞' => "infinity",
            '∑' => "the sum of",
            '→' => "to",
            '×' | '·' => "times",
            '"' | '“' | '”' | '–' | '—' => ",",
            _ => return vec![c.to_string()],
        };
        vec![w.to_string()]
    }

    fn command(&mut self, name: &str) -> Result<(Vec<String>, bool), String> {
        if ignored(name) {
            return Ok((Vec::new(), false));
        }
        if let Some(g) = greek(name) {
            return Ok((vec![g.to_string()], true));
        }
        let one = |s: &str| vec![s.to_string()];
        Ok(match name {
            "frac" | "tfrac" | "dfrac" => {
                let a = self.arg()?;
                let b = self.arg()?;
                let simple = a.len() == 1 && b.len() == 1;
                let mut w = if a == ["one"] && b == ["two"] {
                    one("one half")
                } else if simple {
                    [a, one("over"), b].concat()
                } else {
                    [one("the fraction"), a, one("over"), b, one(",")].concat()
                };
                w.retain(|x| !x.is_empty());
                (w, false)
            }
            "sqrt" => {
                let mut w = one("the square root of");
                if self.peek() == Some(&Tok::Sym('[')) {
                    self.pos += 1;
                    let mut idx = Vec::new();
                    while let Some(t) = self.peek().cloned() {
                        if t == Tok::Sym(']') {
                            self.pos += 1;
                            break;
                        }
                        idx.extend(self.atom()?.0);
                    }
                    w = vec![format!("the {} root of", idx.join(" "))];
                }
                let a = self.arg()?;
                let long = a.len() > 2;
                w.extend(a);
                if long {
                    w.push(",".into());
                }
                (w, false)
            }
            "bar" | "overline" => (suffix(self.arg()?, "bar"), true),
            "hat" | "widehat" => (suffix(self.arg()?, "hat"), true),
            "tilde" | "widetilde" => (suffix(self.arg()?, "tilde"), true),
            "dot" => (suffix(self.arg()?, "dot"), true),
            "ddot" => (suffix(self.arg()?, "double dot"), true),
            "vec" => ([one("vector"), self.arg()?].concat(), true),
            "mathbf" | "boldsymbol" | "bm" | "mathit" | "mathsf" => (self.arg()?, true),
            "mathbb" | "mathcal" | "mathrm" | "mathscr" | "mathfrak" | "operatorname" | "text"
            | "textrm" | "textit" | "textbf" | "mbox" => {
                let raw = self.raw_arg()?;
                if name == "mathbb" && raw.trim() == "E" {
                    return self.big("the expectation");
                }
                if name == "mathbb" && raw.trim() == "1" {
                    return Ok((one("the indicator"), true));
                }
                let w = raw.split_whitespace().map(loose_word).collect::<Vec<_>>();
                (vec![w.join(" ")], true)
            }
            "underbrace" | "overbrace" => {
                let a = self.arg()?;
                // The label in the script reads as an aside.
                let mut w = a;
                if matches!(self.peek(), Some(Tok::Sym('_')) | Some(Tok::Sym('^'))) {
                    self.pos += 1;
                    let label = self.arg()?;
                    w.push(",".into());
                    w.push("which is".into());
                    w.extend(label);
                    w.push(",".into());
                }
                (w, false)
            }
            "begin" | "end" => {
                self.raw_arg()?;
                (Vec::new(), false)
            }
            "not" => (one("not"), false),
            "operatorname*" => (self.arg()?, true),
            n => {
                if let Some(op) = big_op(n) {
                    return self.big(op);
                }
                if let Some(w) = word_for(n) {
                    let callable = matches!(n, "log" | "ln" | "exp" | "sin" | "cos" | "tanh");
                    return Ok((one(w), callable));
                }
                return Err(format!("`\\{n}` has no spoken form"));
            }
        })
    }

    /// A big operator with optional limits: "the sum from i equals one to n of".
    fn big(&mut self, word: &str) -> Result<(Vec<String>, bool), String> {
        let mut w = vec![word.to_string()];
        let mut lower = None;
        let mut upper = None;
        loop {
            match self.peek() {
                Some(Tok::Cmd(c)) if c == "limits" || c == "nolimits" => self.pos += 1,
                Some(Tok::Sym('_')) => {
                    self.pos += 1;
                    lower = Some(self.script()?.0);
                }
                Some(Tok::Sym('^')) => {
                    self.pos += 1;
                    upper = Some(self.script()?.0);
                }
                _ => break,
            }
        }
        match (lower, upper) {
            (Some(l), Some(u)) => {
                w.push("from".into());
                w.extend(l);
                w.push("to".into());
                w.extend(u);
            }
            (Some(l), None) => {
                w.push("over".into());
                w.extend(l);
            }
            (None, Some(u)) => {
                w.push("up to".into());
                w.extend(u);
            }
            (None, None) => {}
        }
        w.push("of".into());
        // "of" already said: a following bracket opens the argument silently.
        if matches!(self.peek(), Some(Tok::Sym('(')) | Some(Tok::Sym('['))) {
            self.pos += 1;
        }
        Ok((w, false))
    }
}

fn is_number_word(w: &str) -> bool {
    w.chars().all(|c| c.is_ascii_digit())
        || [
            "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        ]
        .contains(&w)
}

/// `x` + "bar" -> "x bar" (after the whole argument).
fn suffix(mut w: Vec<String>, s: &str) -> Vec<String> {
    w.push(s.to_string());
    w
}

/// Words for a superscript.
fn power(sup: &[String]) -> Vec<String> {
    let s = sup.join(" ");
    match s.as_str() {
        "" => Vec::new(),
        "two" => vec!["squared".into()],
        "three" => vec!["cubed".into()],
        "minus one" => vec!["inverse".into()],
        "transpose" | "T" | "top" => vec!["transpose".into()],
        "star" | "prime" => vec![s],
        _ => {
            let mut w = vec!["to the power".into()];
            w.extend(sup.iter().cloned());
            if sup.len() > 1 {
                w.push(",".into());
            }
            w
        }
    }
}

/// ASCII-maths names in prose read as words ("sqrt" -> "the square root of", "eps" ->
/// "epsilon"); other words stay as written.
fn loose_word(w: &str) -> String {
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
fn is_prose_word(w: &str) -> bool {
    w.chars().count() > 3
        && !matches!(
            w.to_lowercase().as_str(),
            "sqrt" | "mod" | "exp" | "log" | "softmax" | "sigmoid" | "tanh" | "relu"
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn l(tex: &str) -> String {
        speak_latex(tex).unwrap_or_else(|e| panic!("{tex}: {e}"))
    }

    #[test]
    fn the_issue_examples_read_as_asked() {
        assert_eq!(l("x_{t-1}"), "x sub t minus one");
        assert_eq!(l(r"\bar{\alpha}_t"), "alpha bar t");
        assert_eq!(
            l(r"\sqrt{1-\bar{\alpha}_t}"),
            "the square root of one minus alpha bar t"
        );
    }

    #[test]
    fn scripts_fractions_and_operators() {
        assert_eq!(l("x_0"), "x zero");
        assert_eq!(l("x_t"), "x sub t");
        assert_eq!(l(r"\sigma_t^2"), "sigma t squared");
        assert_eq!(l(r"p^*(x)"), "p star of x");
        assert_eq!(l(r"\frac{1}{2}"), "one half");
        assert_eq!(l(r"\frac{a}{b}"), "a over b");
        assert_eq!(
            l(r"q(x_t \mid x_{t-1})"),
            "q of x sub t given x sub t minus one"
        );
        assert_eq!(
            l(r"\mathbb{E}_{x\sim p^*}[\log D(x)]"),
            "the expectation over x drawn from p star of log D of x"
        );
        assert_eq!(
            l(r"\sum_{i=1}^{n} x_i"),
            "the sum from i equals one to n of x sub i"
        );
        assert_eq!(
            l(r"\min_{G} {\max_{D}} V(D, G)"),
            "the minimum over G of the maximum over D of V of D, G"
        );
        assert_eq!(l(r"\mathcal{N}(0, I)"), "N of zero, I");
        assert_eq!(l(r"L_{\text{simple}}"), "L sub simple");
        assert_eq!(l(r"\epsilon_\theta(x_t, t)"), "epsilon theta of x sub t, t");
        assert_eq!(
            l(r"2\,\mathrm{JSD}(p^* \| q_\theta) - \log 4"),
            "two JSD of p star norm q theta minus log four"
        );
        assert_eq!(l(r"\tilde{\mu}_t"), "mu tilde t");
    }

    #[test]
    fn prose_with_ascii_maths() {
        let p = |s: &str| speak_prose(s).expect("speaks");
        assert_eq!(
            p("mean is sqrt(1 - beta_t) times x_{t-1}"),
            "mean is the square root of one minus beta t, times x sub t minus one"
        );
        assert_eq!(
            p("beta_t is the variance of the added noise"),
            "beta t is the variance of the added noise"
        );
        assert_eq!(p("u-net predicts epsilon"), "u-net predicts epsilon");
        assert_eq!(
            p("optimum q = p*, D = 1/2, V = -log 4"),
            "optimum q equals p star, D equals one over two, V equals minus log four"
        );
        assert_eq!(
            p("1-Lipschitz class gives Wasserstein-1, e.g. x_{t-1}; Bayes' rule, 99.3 %"),
            "one Lipschitz class gives Wasserstein one, for example x sub t minus one; Bayes rule, 99.3 percent"
        );
        assert_eq!(
            p("image spectra fall as 1/f^2"),
            "image spectra fall as one over f squared"
        );
    }

    #[test]
    fn markdown_mixes_prose_and_maths() {
        assert_eq!(
            speak_markdown(
                r"Why predict the noise $\epsilon$ instead of **the mean** $\tilde{\mu}_t$?"
            )
            .expect("speaks"),
            "Why predict the noise epsilon instead of the mean mu tilde t?"
        );
    }

    #[test]
    fn unknown_commands_and_broken_maths_have_no_spoken_form() {
        assert!(speak_latex(r"\notacommand{x}")
            .unwrap_err()
            .contains("notacommand"));
        assert!(speak_latex(r"\frac{1}{2").is_err());
        assert!(speak_markdown("an $unclosed formula").is_err());
    }
}
