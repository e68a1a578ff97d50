//! The parser that turns tokens into words: fractions, roots, scripts, accents, big
//! operators with limits, and function application.

use super::*;

pub(super) struct Parser {
    pub(super) toks: Vec<Tok>,
    pub(super) pos: usize,
    pub(super) loose: bool,
}

impl Parser {
    pub(super) fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    pub(super) fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    /// In prose, a `-` just consumed joins words ("1-Lipschitz", "Wasserstein-1", "K+1-class")
    /// unless it is maths: spaced ("1 - beta"), or between a short name and a digit ("t-1").
    pub(super) fn is_hyphen(&self) -> bool {
        let prev = self.pos.checked_sub(2).and_then(|i| self.toks.get(i));
        let next = self.toks.get(self.pos);
        match (prev, next) {
            (Some(Tok::Ident(_) | Tok::Num(_)) | None, Some(Tok::Ident(_))) => true,
            (Some(Tok::Ident(w)), Some(Tok::Num(_))) => w.chars().count() >= 3,
            _ => false,
        }
    }

    pub(super) fn skip_space(&mut self) {
        while self.peek() == Some(&Tok::Space) {
            self.pos += 1;
        }
    }

    /// Words up to the closing brace (`until == Some(Close)`) or the end.
    pub(super) fn expr(&mut self, until: Option<Tok>) -> Result<Vec<String>, String> {
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
    pub(super) fn script(&mut self) -> Result<(Vec<String>, bool), String> {
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
    pub(super) fn arg(&mut self) -> Result<Vec<String>, String> {
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
    pub(super) fn raw_arg(&mut self) -> Result<String, String> {
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
    pub(super) fn atom(&mut self) -> Result<(Vec<String>, bool), String> {
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

    pub(super) fn symbol(&mut self, c: char) -> Vec<String> {
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

    pub(super) fn command(&mut self, name: &str) -> Result<(Vec<String>, bool), String> {
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
    pub(super) fn big(&mut self, word: &str) -> Result<(Vec<String>, bool), String> {
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

/// `x` + "bar" -> "x bar" (after the whole argument).
pub(super) fn suffix(mut w: Vec<String>, s: &str) -> Vec<String> {
    w.push(s.to_string());
    w
}

/// Words for a superscript.
pub(super) fn power(sup: &[String]) -> Vec<String> {
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
