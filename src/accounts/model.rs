//! What a consumer account is made of, parsed once: the registration form into a new account,
//! the password rules, and the kinds of single-use links.

use serde::Deserialize;

use crate::domain::{Email, PhoneNumber, Text};

/// Longest name accepted.
pub const NAME_MAX: usize = 100;
/// Shortest password accepted (NIST 800-63B asks at least 8; a passphrase of 12 is easy to
/// remember and much harder to guess).
pub const PASSWORD_MIN: usize = 12;
/// Longest password accepted (hashing a megabyte would be a cheap denial of service).
pub const PASSWORD_MAX: usize = 256;

pub use crate::domain::FieldErrors;

/// A normalised e-mail address for an account: parsed and lower-cased, so one address is one
/// account however it is typed.
pub fn account_email(input: &str) -> Option<Email> {
    Email::parse(&input.trim().to_lowercase())
}

/// Checks a new password: long enough, not absurdly long, and not on the shipped lists of
/// common passwords or easily guessed from the person's own name and address (zxcvbn).
pub fn check_password(password: &str, own: &[&str]) -> Result<(), &'static str> {
    let length = password.chars().count();
    if length < PASSWORD_MIN {
        return Err("account-password-too-short");
    }
    if length > PASSWORD_MAX {
        return Err("account-password-too-long");
    }
    if zxcvbn::zxcvbn(password, own).score() < zxcvbn::Score::Three {
        return Err("account-password-common");
    }
    Ok(())
}

/// The registration form as typed.
#[derive(Clone, Default, Deserialize)]
#[serde(default)]
pub struct RegisterForm {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub password: String,
    /// `on` when the box "I am 16 or older" is ticked (P20).
    pub age_confirmed: Option<String>,
}

/// Names no value: the form holds a password and personal data, and a `Debug` print ends up in
/// logs.
impl std::fmt::Debug for RegisterForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RegisterForm")
            .field("name", &"[redacted]")
            .field("email", &"[redacted]")
            .field("phone", &"[redacted]")
            .field("password", &"[redacted]")
            .field("age_confirmed", &self.age_confirmed.is_some())
            .finish()
    }
}

/// A registration that passed every check.
pub struct NewAccount {
    pub name: Text,
    pub email: Email,
    pub phone: Option<PhoneNumber>,
    pub password: String,
}

impl RegisterForm {
    /// Parses the form; every field's problem at once.
    pub fn parse(&self) -> Result<NewAccount, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = required_text(&mut errors, "name", &self.name, NAME_MAX);
        let email = account_email(&self.email);
        if email.is_none() {
            errors.insert("email", "checkout-error-email");
        }
        let phone = parse_phone(&self.phone, &mut errors);
        let own = [self.name.as_str(), self.email.as_str()];
        if let Err(key) = check_password(&self.password, &own) {
            errors.insert("password", key);
        }
        if self.age_confirmed.is_none() {
            errors.insert("age_confirmed", "account-error-age");
        }
        match (name, email, phone) {
            (Some(name), Some(email), Some(phone)) if errors.is_empty() => Ok(NewAccount {
                name,
                email,
                phone,
                password: self.password.clone(),
            }),
            _ => Err(errors),
        }
    }
}

/// Required text of at most `max` characters; `None` (and the field's message) when missing
/// or too long.
pub fn required_text(
    errors: &mut FieldErrors,
    field: &'static str,
    value: &str,
    max: usize,
) -> Option<Text> {
    Text::required(value, max)
        .map_err(|e| errors.insert(field, e.message_key()))
        .ok()
}

/// Name and phone number as the account page takes them, and the request desk when it
/// corrects them for the customer (P13): the values, or what to fix per field.
pub fn parse_profile(name: &str, phone: &str) -> Result<(Text, Option<PhoneNumber>), FieldErrors> {
    let mut errors = FieldErrors::new();
    let name = Text::required(name, NAME_MAX)
        .map_err(|_| errors.insert("name", "checkout-error-required"))
        .ok();
    let phone = parse_phone(phone, &mut errors);
    match (name, phone) {
        (Some(name), Some(phone)) => Ok((name, phone)),
        _ => Err(errors),
    }
}

/// An optional phone number: `Some(None)` when left empty, `None` (and an error) when wrong.
pub fn parse_phone(input: &str, errors: &mut FieldErrors) -> Option<Option<PhoneNumber>> {
    if input.trim().is_empty() {
        return Some(None);
    }
    match PhoneNumber::parse(input) {
        Some(phone) => Some(Some(phone)),
        None => {
            errors.insert("phone", "checkout-error-phone");
            None
        }
    }
}

/// What a single-use link is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkPurpose {
    /// Confirming the address of a new account.
    Verify,
    /// Choosing a new password.
    Reset,
    /// Confirming a new address for an existing account.
    ChangeEmail,
    /// Stopping occasion reminders from a reminder mail, without logging in (P11). Not single
    /// use: stopping twice is harmless, and a mail client may send the one-click POST again.
    StopReminders,
}

impl LinkPurpose {
    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            LinkPurpose::Verify => "verify",
            LinkPurpose::Reset => "reset",
            LinkPurpose::ChangeEmail => "email",
            LinkPurpose::StopReminders => "stop-reminders",
        }
    }

    /// How long a link stays valid: an hour for a password reset (it opens the account), a day
    /// to confirm an address, a year to stop reminders (after that the account's privacy page
    /// still does it; the link can do nothing else).
    pub fn lifetime(self) -> chrono::Duration {
        match self {
            LinkPurpose::Reset => chrono::Duration::hours(1),
            LinkPurpose::Verify | LinkPurpose::ChangeEmail => chrono::Duration::hours(24),
            LinkPurpose::StopReminders => chrono::Duration::days(365),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_printed_registration_form_shows_no_password_or_personal_data() {
        let form = RegisterForm {
            name: "Noor Smit".into(),
            email: "noor@example.nl".into(),
            phone: "0612345678".into(),
            password: "paarse tulpen op dinsdag".into(),
            age_confirmed: Some("on".into()),
        };
        let printed = format!("{form:?}");
        for secret in ["Noor", "noor@", "0612", "tulpen"] {
            assert!(!printed.contains(secret), "{printed} shows {secret}");
        }
        assert!(printed.contains("[redacted]"));
    }

    #[test]
    fn common_and_short_passwords_are_refused_and_a_passphrase_is_accepted() {
        assert_eq!(
            check_password("kort", &[]),
            Err("account-password-too-short")
        );
        assert_eq!(
            check_password("password1234", &[]),
            Err("account-password-common")
        );
        assert_eq!(
            check_password("123456789012", &[]),
            Err("account-password-common")
        );
        assert_eq!(
            check_password("jan@example.nl", &["Jan", "jan@example.nl"]),
            Err("account-password-common")
        );
        assert_eq!(check_password("paarse tulpen op dinsdag", &[]), Ok(()));
        assert_eq!(
            check_password(&"x".repeat(300), &[]),
            Err("account-password-too-long")
        );
    }

    #[test]
    fn an_account_address_is_one_address_however_it_is_typed() {
        assert_eq!(
            account_email("  Anna@Example.NL ").unwrap().as_str(),
            "anna@example.nl"
        );
        assert!(account_email("geen-adres").is_none());
    }

    #[test]
    fn registration_reports_every_wrong_field_at_once() {
        let form = RegisterForm {
            name: " ".into(),
            email: "fout".into(),
            phone: "12".into(),
            password: "welkom".into(),
            age_confirmed: None,
        };
        let errors = form.parse().err().unwrap();
        let fields: Vec<_> = errors.keys().copied().collect();
        assert_eq!(
            fields,
            ["age_confirmed", "email", "name", "password", "phone"]
        );
    }
}
