//! Encryption of personal data at rest (an IBAN, say): XChaCha20-Poly1305 with a key from
//! configuration (`BLOEI_DATA_KEY`), so the database holds ciphertext and a copy of it alone
//! reveals nothing. The column's name is bound in as associated data, so a value cannot be
//! moved to another column and still open.

use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

/// Marks the format, so a later scheme (or a value stored before sealing) can be told apart.
pub const PREFIX: &str = "x1:";

/// The key personal data is sealed with.
pub struct DataKey(XChaCha20Poly1305, [u8; 32]);

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey(***)")
    }
}

/// A sealed value that does not open: another key, another column, or changed bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the sealed value cannot be opened with this key")]
pub struct CannotOpen;

impl DataKey {
    /// The key from the configured key material (at least 64 random bytes), condensed to the
    /// cipher's 32 bytes with SHA-256.
    pub fn from_material(material: &[u8]) -> DataKey {
        use sha2::Digest;
        let key = sha2::Sha256::digest(material);
        // A separate key for keyed hashes, so a hash never reveals anything about the cipher key.
        let mut hashing = sha2::Sha256::new();
        hashing.update(b"bloei keyed hash\0");
        hashing.update(material);
        DataKey(XChaCha20Poly1305::new(&key), hashing.finalize().into())
    }

    /// A keyed hash (HMAC-SHA-256, hex) of `input`: the same input gives the same hash under
    /// this key, and without the key the hash cannot be tested against guesses (the erasure
    /// log, P9).
    pub fn keyed_hash(&self, input: &str) -> String {
        use hmac::{Hmac, Mac};
        let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(&self.1)
            .expect("HMAC takes a key of any length");
        mac.update(input.as_bytes());
        mac.finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// Seals `plain` for the column `column` (`table.column`); a fresh random nonce each time.
    pub fn seal(&self, plain: &str, column: &str) -> String {
        let mut nonce = [0u8; 24];
        rand::fill(&mut nonce);
        let sealed = self
            .0
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plain.as_bytes(),
                    aad: column.as_bytes(),
                },
            )
            .expect("encryption of a short value cannot fail");
        let mut bytes = nonce.to_vec();
        bytes.extend_from_slice(&sealed);
        format!(
            "{PREFIX}{}",
            base64::engine::general_purpose::STANDARD_NO_PAD.encode(bytes)
        )
    }

    /// Opens a value sealed for `column`.
    pub fn open(&self, sealed: &str, column: &str) -> Result<String, CannotOpen> {
        let encoded = sealed.strip_prefix(PREFIX).ok_or(CannotOpen)?;
        let bytes = base64::engine::general_purpose::STANDARD_NO_PAD
            .decode(encoded)
            .map_err(|_| CannotOpen)?;
        if bytes.len() < 24 {
            return Err(CannotOpen);
        }
        let (nonce, body) = bytes.split_at(24);
        let plain = self
            .0
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: body,
                    aad: column.as_bytes(),
                },
            )
            .map_err(|_| CannotOpen)?;
        String::from_utf8(plain).map_err(|_| CannotOpen)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const IBAN: &str = "NL91ABNA0417164300";

    #[test]
    fn a_sealed_value_hides_the_text_and_opens_only_with_its_key_and_column() {
        let key = DataKey::from_material(&[7u8; 64]);
        let sealed = key.seal(IBAN, "companies.iban_encrypted");
        assert!(
            !sealed.contains("4300") && !sealed.contains("ABNA"),
            "{sealed}"
        );
        assert_ne!(
            sealed,
            key.seal(IBAN, "companies.iban_encrypted"),
            "fresh nonce"
        );
        assert_eq!(key.open(&sealed, "companies.iban_encrypted").unwrap(), IBAN);
        assert_eq!(key.open(&sealed, "staff.totp_secret"), Err(CannotOpen));
        let other = DataKey::from_material(&[8u8; 64]);
        assert_eq!(
            other.open(&sealed, "companies.iban_encrypted"),
            Err(CannotOpen)
        );
        let mut tampered = sealed.clone().into_bytes();
        tampered[12] = if tampered[12] == b'A' { b'B' } else { b'A' };
        let tampered = String::from_utf8(tampered).unwrap();
        assert_eq!(
            key.open(&tampered, "companies.iban_encrypted"),
            Err(CannotOpen)
        );
    }
}
