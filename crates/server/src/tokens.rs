//! Secrets and public ids: 128-bit random tokens from the OS, stored only as SHA-256 hashes,
//! compared in constant time. Nothing here logs or formats a token for display.

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// Letters of a join code: no 0/O, 1/I/L, so a code read aloud or off a board is typed right.
const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// Characters in a join code (31^8, about 8.5e11 codes, against a rate limit of a few tries a minute).
pub const CODE_LEN: usize = 8;

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    // The OS generator failing is not something a request can recover from.
    getrandom::fill(&mut b).expect("the operating system's random number generator works");
    b
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A new secret token: 128 random bits as 32 lowercase hex digits.
pub fn new_token() -> String {
    hex(&random_bytes::<16>())
}

/// A new public id with a prefix (`c_` class, `l_` learner): 64 random bits.
pub fn new_id(prefix: &str) -> String {
    format!("{prefix}{}", hex(&random_bytes::<8>()))
}

/// A new join code.
pub fn new_join_code() -> String {
    random_bytes::<CODE_LEN>()
        .iter()
        .map(|b| CODE_ALPHABET[usize::from(*b) % CODE_ALPHABET.len()] as char)
        .collect()
}

/// A join code as typed: upper-cased, spaces and dashes dropped; `None` if it cannot be a code.
pub fn normalize_code(raw: &str) -> Option<String> {
    let code: String = raw
        .chars()
        .filter(|c| !matches!(c, ' ' | '-'))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (code.len() == CODE_LEN && code.bytes().all(|b| CODE_ALPHABET.contains(&b))).then_some(code)
}

/// True if `token` has the shape of one of our tokens (anything else is refused before any
/// database work).
pub fn well_formed(token: &str) -> bool {
    token.len() == 32
        && token
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The stored form of a token.
pub fn hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// Whether `token` hashes to `stored`, in time independent of where they differ.
pub fn matches(token: &str, stored: &str) -> bool {
    hash(token).as_bytes().ct_eq(stored.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_hex_and_stored_hashed() {
        let a = new_token();
        let b = new_token();
        assert!(well_formed(&a) && well_formed(&b));
        assert_ne!(a, b);
        let h = hash(&a);
        assert_eq!(h.len(), 64);
        assert!(!h.contains(&a));
        assert!(matches(&a, &h));
        assert!(!matches(&b, &h));
        assert!(!well_formed("ABCDEF0123456789abcdef0123456789"));
        assert!(!well_formed("abc"));
    }

    #[test]
    fn join_codes_normalize() {
        let c = new_join_code();
        assert_eq!(normalize_code(&c).as_deref(), Some(c.as_str()));
        let typed = format!("{}-{} ", &c[..4].to_lowercase(), &c[4..]);
        assert_eq!(normalize_code(&typed).as_deref(), Some(c.as_str()));
        assert_eq!(normalize_code("0000OOOO"), None);
        assert_eq!(normalize_code("ABC"), None);
        assert!(new_id("l_").starts_with("l_"));
    }
}
