//! A minimal BERT (uncased) tokenizer: the `BertNormalizer` + `BertPreTokenizer` + `WordPiece`
//! pipeline that all-MiniLM-L6-v2's `tokenizer.json` names, written out so that shipping the model
//! in the browser would not need the `tokenizers` crate (its regex and Unicode tables). The
//! vocabulary is read from `tokenizer.json`; `main.rs check` compares the ids with the reference.

use std::collections::HashMap;

pub struct WordPiece {
    vocab: HashMap<String, u32>,
    unk: u32,
    cls: u32,
    sep: u32,
}

impl WordPiece {
    /// Reads `model.vocab` of a Hugging Face `tokenizer.json`.
    pub fn from_tokenizer_json(text: &str) -> Result<Self, String> {
        let v: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let obj = v["model"]["vocab"]
            .as_object()
            .ok_or("tokenizer.json has no model.vocab")?;
        let mut vocab = HashMap::with_capacity(obj.len());
        for (k, id) in obj {
            let id = id.as_u64().ok_or("vocab id is not a number")?;
            vocab.insert(k.clone(), u32::try_from(id).map_err(|e| e.to_string())?);
        }
        let get = |t: &str| vocab.get(t).copied().ok_or(format!("no {t} in vocab"));
        Ok(Self {
            unk: get("[UNK]")?,
            cls: get("[CLS]")?,
            sep: get("[SEP]")?,
            vocab,
        })
    }

    /// `[CLS] pieces [SEP]`, at most `max_len` ids in all (sentence-transformers truncates at
    /// the model's `max_seq_length`, 256 for this model).
    pub fn encode(&self, text: &str, max_len: usize) -> Vec<u32> {
        let mut ids = vec![self.cls];
        'words: for word in pre_tokenize(&normalize(text)) {
            for id in self.word_pieces(&word) {
                if ids.len() + 1 >= max_len {
                    break 'words;
                }
                ids.push(id);
            }
        }
        ids.push(self.sep);
        ids
    }

    /// Greedy longest-match-first; a word with any unmatched rest is one `[UNK]`.
    fn word_pieces(&self, word: &str) -> Vec<u32> {
        let chars: Vec<char> = word.chars().collect();
        if chars.len() > 100 {
            return vec![self.unk];
        }
        let mut out = Vec::new();
        let mut start = 0;
        while start < chars.len() {
            let mut end = chars.len();
            let mut found = None;
            while start < end {
                let mut piece: String = chars[start..end].iter().collect();
                if start > 0 {
                    piece.insert_str(0, "##");
                }
                if let Some(&id) = self.vocab.get(&piece) {
                    found = Some(id);
                    break;
                }
                end -= 1;
            }
            match found {
                Some(id) => out.push(id),
                None => return vec![self.unk],
            }
            start = end;
        }
        out
    }
}

fn is_control(c: char) -> bool {
    // BERT treats \t \n \r as whitespace, other Cc/Cf as control.
    if c == '\t' || c == '\n' || c == '\r' {
        return false;
    }
    c.is_control() || matches!(c, '\u{200b}'..='\u{200f}' | '\u{feff}' | '\u{00ad}')
}

fn is_chinese(c: char) -> bool {
    matches!(c as u32,
        0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0x20000..=0x2A6DF | 0x2A700..=0x2B73F
        | 0x2B740..=0x2B81F | 0x2B820..=0x2CEAF | 0xF900..=0xFAFF | 0x2F800..=0x2FA1F)
}

/// ASCII punctuation (BERT counts all of `!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~`) and the Unicode
/// punctuation (P*) people type: general punctuation, Latin-1 marks, CJK punctuation.
fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(c as u32,
            0x2010..=0x2027 | 0x2030..=0x205E | 0x3000..=0x303F | 0xFF01..=0xFF0F
            | 0x00A1 | 0x00A7 | 0x00AB | 0x00B6 | 0x00B7 | 0x00BB | 0x00BF | 0x037E | 0x0387
            | 0x2E00..=0x2E4F | 0x2308..=0x230B | 0x2329 | 0x232A | 0x27E6..=0x27EF
            | 0x2983..=0x2998 | 0x29D8..=0x29DB | 0x29FC | 0x29FD)
}

/// Lowercase and strip accents (decompose, drop combining marks), clean controls, space out
/// CJK characters. Only the Latin-1, Latin Extended-A and common Greek accents are decomposed
/// here (a full NFD needs Unicode tables); `check` + `ref.py` count the texts whose ids differ
/// from the reference tokenizer.
fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '\0' || c == '\u{fffd}' || is_control(c) {
            continue;
        }
        if c.is_whitespace() {
            out.push(' ');
            continue;
        }
        if is_chinese(c) {
            out.push(' ');
            out.push(c);
            out.push(' ');
            continue;
        }
        for l in c.to_lowercase() {
            if ('\u{0300}'..='\u{036f}').contains(&l) {
                continue; // a combining mark: stripped with the accents
            }
            out.push(strip_accent(l));
        }
    }
    out
}

fn strip_accent(c: char) -> char {
    match c {
        'à'..='å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => 'c',
        'ď' => 'd',
        'è'..='ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => 'e',
        'ì'..='ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' => 'i',
        'ñ' | 'ń' | 'ņ' | 'ň' => 'n',
        'ò'..='ö' | 'ō' | 'ŏ' | 'ő' => 'o',
        'ù'..='ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => 'u',
        'ý' | 'ÿ' => 'y',
        'ś' | 'ŝ' | 'ş' | 'š' => 's',
        'ź' | 'ż' | 'ž' => 'z',
        // Greek letters with a macron or tonos, as typed for alpha-bar ("ᾱ_t").
        'ᾱ' | 'ᾰ' | 'ά' | 'ὰ' => 'α',
        'ῑ' | 'ῐ' | 'ί' | 'ὶ' => 'ι',
        'ῡ' | 'ῠ' | 'ύ' | 'ὺ' => 'υ',
        'έ' | 'ὲ' => 'ε',
        'ή' | 'ὴ' => 'η',
        'ό' | 'ὸ' => 'ο',
        'ώ' | 'ὼ' => 'ω',
        _ => c,
    }
}

/// Split on whitespace, then each punctuation character is a word of its own.
fn pre_tokenize(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    for chunk in text.split_whitespace() {
        let mut cur = String::new();
        for c in chunk.chars() {
            if is_punctuation(c) {
                if !cur.is_empty() {
                    words.push(std::mem::take(&mut cur));
                }
                words.push(c.to_string());
            } else {
                cur.push(c);
            }
        }
        if !cur.is_empty() {
            words.push(cur);
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn punctuation_and_case_split_like_bert() {
        assert_eq!(
            pre_tokenize(&normalize("D(G(z)) Maximises, e.g. Café")),
            [
                "d",
                "(",
                "g",
                "(",
                "z",
                ")",
                ")",
                "maximises",
                ",",
                "e",
                ".",
                "g",
                ".",
                "cafe"
            ]
        );
    }

    #[test]
    fn word_pieces_are_greedy_longest_first() {
        let json = r###"{"model":{"vocab":{"[UNK]":0,"[CLS]":1,"[SEP]":2,"un":3,"##aff":4,"##able":5,"una":6}}}"###;
        let wp = WordPiece::from_tokenizer_json(json).expect("vocab");
        // Greedy takes "una" (longer than "un"), then "##ffable" has no piece: the whole word
        // is one [UNK] (BERT's rule; no backtracking).
        assert_eq!(wp.encode("unaffable", 16), [1, 0, 2]);
        assert_eq!(wp.encode("un", 16), [1, 3, 2]);
        // Truncation keeps [SEP].
        assert_eq!(wp.encode("un un un", 3), [1, 3, 2]);
    }
}
