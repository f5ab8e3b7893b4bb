//! Secret tokens: the random strings in status links, e-mail links and login rows. One place
//! makes them (from the operating system's generator), hashes them for storage (only a hash is
//! kept, so a copy of the database opens nothing) and compares them in constant time.

use base64::Engine;
use subtle::ConstantTimeEq;

/// A long random token, URL-safe: 24 bytes (192 bits) from the OS generator, base64 without
/// padding. Long enough that guessing one is hopeless, so a fast hash suffices for storage.
pub fn random_token() -> String {
    let mut bytes = [0u8; 24];
    rand::fill(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// A fresh token and the hash that is stored for it.
pub fn new_link_token() -> (String, String) {
    let token = random_token();
    let hash = token_hash(&token);
    (token, hash)
}

/// The stored hash of a token (SHA-256, hex).
pub fn token_hash(token: &str) -> String {
    use sha2::Digest;
    hex(&sha2::Sha256::digest(token.as_bytes()))
}

/// Whether two secrets are equal, taking the same time wherever they differ (so the time a
/// comparison takes tells nothing about how much of a guess was right).
pub fn same_secret(a: &[u8], b: &[u8]) -> bool {
    bool::from(a.ct_eq(b))
}

/// Random bytes as lower-case hex, for identifiers that need to be unique, not secret.
pub fn random_hex(len: usize) -> String {
    let mut bytes = vec![0u8; len];
    rand::fill(bytes.as_mut_slice());
    hex(&bytes)
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(2 * bytes.len()), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_long_url_safe_and_new_each_time_and_its_hash_is_stable() {
        let (token, hash) = new_link_token();
        assert_eq!(token.len(), 32);
        assert!(
            token
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        );
        assert_ne!(token, random_token());
        assert_eq!(hash, token_hash(&token));
        assert_eq!(hash.len(), 64);
        assert!(same_secret(token.as_bytes(), token.as_bytes()));
        assert!(!same_secret(token.as_bytes(), random_token().as_bytes()));
        assert_eq!(random_hex(6).len(), 12);
    }
}
