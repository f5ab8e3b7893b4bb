//! Two-step login for the roles that can see the most (owner and support, P14): a time-based
//! code (RFC 6238, 30-second steps, six digits) from an authenticator app, each code accepted
//! once, and ten single-use recovery codes shown once when the app is set up.

use crate::domain::token::same_secret;
use diesel::prelude::*;
use totp_rs::{Algorithm, TOTP};

use crate::db::DbConn;
use crate::db::schema::{staff, staff_recovery_codes};
use crate::domain::password::{self, PasswordCost};
use crate::domain::sealed::DataKey;
use crate::error::AppError;

/// Seconds per code.
const STEP: u64 = 30;
/// How many recovery codes a staff member gets.
pub const RECOVERY_CODES: usize = 10;
/// Letters and digits that cannot be mistaken for each other when typed from paper.
const RECOVERY_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// A new secret for an authenticator app, in base32 (160 bits, as RFC 4226 recommends).
pub fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    rand::fill(&mut bytes);
    totp_rs::Secret::Raw(bytes.to_vec())
        .to_encoded()
        .to_string()
}

fn totp(secret: &str) -> Option<TOTP> {
    let bytes = totp_rs::Secret::Encoded(secret.to_owned())
        .to_bytes()
        .ok()?;
    TOTP::new(Algorithm::SHA1, 6, 1, STEP, bytes).ok()
}

/// The address an authenticator app reads (as a link on a phone, or typed by hand).
pub fn app_link(secret: &str, issuer: &str, account: &str) -> String {
    // Form encoding writes a space as `+`, which authenticator apps do not all read back.
    let enc = |s: &str| {
        serde_urlencoded::to_string([("", s)]).unwrap_or_default()[1..].replace('+', "%20")
    };
    format!(
        "otpauth://totp/{}:{}?secret={secret}&issuer={}&algorithm=SHA1&digits=6&period={STEP}",
        enc(issuer),
        enc(account),
        enc(issuer)
    )
}

/// The `otpauth://` link as a QR code, an SVG `data:` URL for an `<img>` (scanned from the
/// screen by the phone with the authenticator app).
pub fn qr_code(link: &str) -> Option<String> {
    use base64::Engine;
    let code = qrcode::QrCode::new(link.as_bytes()).ok()?;
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(220, 220)
        .quiet_zone(true)
        .build();
    let encoded = base64::engine::general_purpose::STANDARD.encode(svg);
    Some(format!("data:image/svg+xml;base64,{encoded}"))
}

/// The time step (of the previous, current or next one, allowing for clocks a little apart)
/// whose code `code` is, if any.
pub fn matching_step(secret: &str, code: &str, now_unix: u64) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let totp = totp(secret)?;
    let current = now_unix / STEP;
    (current.saturating_sub(1)..=current + 1)
        .find(|step| same_secret(totp.generate(step * STEP).as_bytes(), code.as_bytes()))
        .and_then(|step| i64::try_from(step).ok())
}

/// Whether the staff member has set up an authenticator app.
pub fn is_set_up(conn: &mut DbConn, staff_id: i64) -> QueryResult<bool> {
    staff::table
        .find(staff_id)
        .select(staff::totp_secret.is_not_null())
        .first(conn)
}

/// The column the two-step secret is sealed for.
pub const SECRET_COLUMN: &str = "staff.totp_secret";

/// Checks a code from the app; each code (time step) is accepted once, so an overheard code
/// cannot be used again. The secret is stored sealed with the data key; one stored before
/// sealing existed is sealed on its next use.
pub fn check_code(
    conn: &mut DbConn,
    key: &DataKey,
    staff_id: i64,
    code: &str,
) -> Result<bool, AppError> {
    conn.write_tx(|conn| {
        let (stored, last): (Option<String>, Option<i64>) = staff::table
            .find(staff_id)
            .select((staff::totp_secret, staff::totp_last_step))
            .first(conn)?;
        let Some(stored) = stored else {
            return Ok(false);
        };
        let secret = if stored.starts_with(crate::domain::sealed::PREFIX) {
            key.open(&stored, SECRET_COLUMN)
                .map_err(|e| AppError::internal(format!("staff {staff_id}: {e}")))?
        } else {
            diesel::update(staff::table.find(staff_id))
                .set(staff::totp_secret.eq(key.seal(&stored, SECRET_COLUMN)))
                .execute(conn)?;
            stored
        };
        let Some(step) = matching_step(&secret, code, unix_now()) else {
            return Ok(false);
        };
        if last.is_some_and(|last| step <= last) {
            return Ok(false);
        }
        let changed = diesel::update(
            staff::table.find(staff_id).filter(
                staff::totp_last_step
                    .is_null()
                    .or(staff::totp_last_step.lt(step)),
            ),
        )
        .set(staff::totp_last_step.eq(step))
        .execute(conn)?;
        Ok(changed == 1)
    })
}

/// Checks a recovery code and uses it up.
pub fn use_recovery_code(conn: &mut DbConn, staff_id: i64, code: &str) -> Result<bool, AppError> {
    let code = normalise_recovery(code);
    if code.len() != 10 {
        return Ok(false);
    }
    let unused: Vec<(i64, String)> = staff_recovery_codes::table
        .filter(staff_recovery_codes::staff_id.eq(staff_id))
        .filter(staff_recovery_codes::used_at.is_null())
        .select((staff_recovery_codes::id, staff_recovery_codes::code_hash))
        .load(conn)?;
    let Some((id, _)) = unused
        .into_iter()
        .find(|(_, hash)| password::verify(&code, hash))
    else {
        return Ok(false);
    };
    let changed = diesel::update(
        staff_recovery_codes::table
            .find(id)
            .filter(staff_recovery_codes::used_at.is_null()),
    )
    .set(staff_recovery_codes::used_at.eq(crate::db::now()))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Finishes setting up: if `code` is the secret's current code, stores the secret (only when
/// none was stored meanwhile) and ten new recovery codes, and returns the codes to show once.
pub fn confirm_setup(
    conn: &mut DbConn,
    key: &DataKey,
    staff_id: i64,
    secret: &str,
    code: &str,
    cost: PasswordCost,
) -> Result<Option<Vec<String>>, AppError> {
    let Some(step) = matching_step(secret, code, unix_now()) else {
        return Ok(None);
    };
    let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| new_recovery_code()).collect();
    let hashes = codes
        .iter()
        .map(|c| password::hash(&normalise_recovery(c), cost))
        .collect::<Result<Vec<_>, _>>()
        .map_err(AppError::internal)?;
    conn.write_tx(|conn| {
        let changed = diesel::update(
            staff::table
                .find(staff_id)
                .filter(staff::totp_secret.is_null()),
        )
        .set((
            staff::totp_secret.eq(key.seal(secret, SECRET_COLUMN)),
            staff::totp_last_step.eq(step),
        ))
        .execute(conn)?;
        if changed != 1 {
            return Ok(None);
        }
        diesel::delete(
            staff_recovery_codes::table.filter(staff_recovery_codes::staff_id.eq(staff_id)),
        )
        .execute(conn)?;
        for hash in &hashes {
            diesel::insert_into(staff_recovery_codes::table)
                .values((
                    staff_recovery_codes::staff_id.eq(staff_id),
                    staff_recovery_codes::code_hash.eq(hash),
                ))
                .execute(conn)?;
        }
        Ok(Some(codes))
    })
}

fn new_recovery_code() -> String {
    let mut bytes = [0u8; 10];
    rand::fill(&mut bytes);
    let chars: String = bytes
        .iter()
        .map(|b| RECOVERY_ALPHABET[usize::from(*b) % RECOVERY_ALPHABET.len()] as char)
        .collect();
    format!("{}-{}", &chars[..5], &chars[5..])
}

/// A recovery code as typed: dashes, spaces and case do not matter.
fn normalise_recovery(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

fn unix_now() -> u64 {
    u64::try_from(chrono::Utc::now().timestamp()).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_matches_its_own_step_and_the_neighbouring_ones_only() {
        let secret = new_secret();
        let totp = totp(&secret).unwrap();
        let now = 1_790_000_000;
        let code = totp.generate(now);
        let step = i64::try_from(now / STEP).unwrap();
        assert_eq!(matching_step(&secret, &code, now), Some(step));
        assert_eq!(matching_step(&secret, &code, now + STEP), Some(step));
        assert_eq!(matching_step(&secret, &code, now + 3 * STEP), None);
        assert_eq!(matching_step(&secret, "12345", now), None);
        assert_eq!(matching_step(&secret, "abcdef", now), None);
        let spaced = format!("{} {}", &code[..3], &code[3..]);
        assert_eq!(matching_step(&secret, &spaced, now), Some(step));
    }

    #[test]
    fn recovery_codes_are_ten_unambiguous_characters_in_two_groups() {
        let code = new_recovery_code();
        assert_eq!(code.len(), 11);
        assert_eq!(&code[5..6], "-");
        assert!(!code.contains(['0', 'O', '1', 'I']));
        assert_eq!(normalise_recovery(" abcde-fghjk "), "ABCDEFGHJK");
    }

    #[test]
    fn the_app_link_names_the_shop_and_the_account() {
        let link = app_link("JBSWY3DPEHPK3PXP", "Flowers by Jennifer", "j@example.nl");
        assert!(link.starts_with("otpauth://totp/Flowers%20by%20Jennifer:j%40example.nl?"));
        assert!(link.contains("secret=JBSWY3DPEHPK3PXP"));
    }

    #[test]
    fn the_app_link_becomes_an_svg_qr_code_that_differs_per_secret() {
        use base64::Engine;
        let decode = |url: String| {
            let data = url
                .strip_prefix("data:image/svg+xml;base64,")
                .unwrap()
                .to_owned();
            String::from_utf8(
                base64::engine::general_purpose::STANDARD
                    .decode(data)
                    .unwrap(),
            )
            .unwrap()
        };
        let one = decode(qr_code(&app_link("JBSWY3DPEHPK3PXP", "Bloei", "a@b.nl")).unwrap());
        let two = decode(qr_code(&app_link("KRSXG5CTMVRXEZLU", "Bloei", "a@b.nl")).unwrap());
        assert!(one.contains("<svg") && one.contains("<path"), "{one}");
        assert_ne!(one, two);
    }
}
