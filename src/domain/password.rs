//! Password hashing with Argon2id. The cost is configuration (tests use a cheap one), never the
//! algorithm; hashing runs on the blocking pool, never on the async threads.

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};

pub use crate::config::PasswordCost;

/// A hash that matches no password, checked when an address has no account, so a login takes
/// as long for an unknown address as for a wrong password (at the default cost).
pub const NO_ACCOUNT_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$3b4d4AGCD7LD7D4RkF3e5rGgXq/jAm9hOBuwbvkQHh8";

/// Shortest password accepted.
pub const MIN_LENGTH: usize = 12;

fn hasher(cost: PasswordCost) -> Result<Argon2<'static>, String> {
    let params = Params::new(cost.memory_kib, cost.iterations, 1, None)
        .map_err(|e| format!("bad password-hashing cost: {e}"))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Hashes a password into a PHC string (`$argon2id$v=19$…`) with a fresh salt.
pub fn hash(password: &str, cost: PasswordCost) -> Result<String, String> {
    hasher(cost)?
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| format!("hashing failed: {e}"))
}

/// Whether `password` matches the stored hash (the hash carries its own parameters).
pub fn verify(password: &str, stored: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return false;
    };
    Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHEAP: PasswordCost = PasswordCost {
        memory_kib: 64,
        iterations: 1,
    };

    #[test]
    fn a_hash_is_argon2id_salted_and_verifies_only_the_right_password() {
        let first = hash("lange-tulpen-2026", CHEAP).unwrap();
        let second = hash("lange-tulpen-2026", CHEAP).unwrap();
        assert!(first.starts_with("$argon2id$v=19$"), "{first}");
        assert_ne!(first, second, "a fresh salt each time");
        assert!(verify("lange-tulpen-2026", &first));
        assert!(!verify("lange-tulpen-2027", &first));
        assert!(!verify("lange-tulpen-2026", "not a hash"));
    }

    #[test]
    fn the_default_cost_is_the_recommended_one() {
        let cost = PasswordCost::default();
        assert_eq!((cost.memory_kib, cost.iterations), (19 * 1024, 2));
    }
}
