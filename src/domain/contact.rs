//! Contact details a customer types: e-mail addresses, phone numbers, and free text with a
//! length limit (names, card messages, instructions).

use std::fmt;

use validator::ValidateEmail;

/// A syntactically valid e-mail address, trimmed.
#[derive(Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    /// Parses an address (checked as the HTML standard's `type=email` does, at most 254 bytes).
    pub fn parse(input: &str) -> Option<Email> {
        let trimmed = input.trim();
        (trimmed.len() <= 254 && trimmed.validate_email()).then(|| Email(trimmed.to_owned()))
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

// Personal data: never printed by `{:?}` (logs, panics).
impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Email(***)")
    }
}

/// A phone number as typed, kept readable (`06-12345678`, `+31 6 1234 5678`), with 10 to 15
/// digits and only digits, spaces, `+`, `-`, `.` and parentheses.
#[derive(Clone, PartialEq, Eq)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    /// Parses a phone number.
    pub fn parse(input: &str) -> Option<PhoneNumber> {
        let trimmed = input.trim();
        let allowed = trimmed
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '.' | '(' | ')'));
        let digits = trimmed.chars().filter(char::is_ascii_digit).count();
        let plus_only_first = !trimmed.chars().skip(1).any(|c| c == '+');
        (allowed && plus_only_first && (10..=15).contains(&digits))
            .then(|| PhoneNumber(trimmed.to_owned()))
    }

    /// The number as typed.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PhoneNumber(***)")
    }
}

/// Why a text field was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextError {
    /// Empty (or only spaces) where something is required.
    Missing,
    /// Longer than allowed.
    TooLong,
}

impl TextError {
    /// Catalogue key of the message telling what to fix.
    pub fn message_key(self) -> &'static str {
        match self {
            TextError::Missing => "checkout-error-required",
            TextError::TooLong => "checkout-error-too-long",
        }
    }
}

/// Free text with a limit in characters: trimmed, line breaks normalised, control characters
/// other than newlines refused by removal.
#[derive(Clone, PartialEq, Eq)]
pub struct Text(String);

impl Text {
    /// Parses required text of at most `max` characters.
    pub fn required(input: &str, max: usize) -> Result<Text, TextError> {
        match Text::optional(input, max)? {
            Some(text) => Ok(text),
            None => Err(TextError::Missing),
        }
    }

    /// Parses optional text of at most `max` characters; empty gives `None`.
    pub fn optional(input: &str, max: usize) -> Result<Option<Text>, TextError> {
        let cleaned: String = input
            .replace("\r\n", "\n")
            .chars()
            .filter(|c| !c.is_control() || *c == '\n')
            .collect();
        let cleaned = cleaned.trim();
        if cleaned.is_empty() {
            return Ok(None);
        }
        if cleaned.chars().count() > max {
            return Err(TextError::TooLong);
        }
        Ok(Some(Text(cleaned.to_owned())))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Text({} chars)", self.0.chars().count())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn e_mail_addresses_are_trimmed_and_checked() {
        assert_eq!(
            Email::parse("  jan@example.nl ").unwrap().as_str(),
            "jan@example.nl"
        );
        for bad in [
            "",
            "jan",
            "jan@",
            "@example.nl",
            "jan example@x.nl",
            "jan@@x.nl",
        ] {
            assert!(Email::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn phone_numbers_need_ten_to_fifteen_digits_and_plain_punctuation() {
        for good in [
            "0612345678",
            "06-12345678",
            "+31 6 1234 5678",
            "(0299) 420200",
            "0299-420200",
        ] {
            assert!(PhoneNumber::parse(good).is_some(), "{good}");
        }
        for bad in [
            "",
            "12345",
            "06-1234567a",
            "+31+612345678",
            "0612345678901234567",
        ] {
            assert!(PhoneNumber::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn text_is_trimmed_limited_and_cleaned_of_control_characters() {
        assert_eq!(Text::required("  Jan  ", 10).unwrap().as_str(), "Jan");
        assert_eq!(Text::required("   ", 10), Err(TextError::Missing));
        assert_eq!(Text::optional("", 10), Ok(None));
        assert_eq!(
            Text::optional("ééééé", 5).unwrap().unwrap().as_str(),
            "ééééé"
        );
        assert_eq!(Text::optional("ééééé!", 5), Err(TextError::TooLong));
        let text = Text::optional("Lieve Ans,\r\nbeterschap!\u{7}", 50)
            .unwrap()
            .unwrap();
        assert_eq!(text.as_str(), "Lieve Ans,\nbeterschap!");
    }

    #[test]
    fn personal_data_does_not_show_in_debug_output() {
        let email = Email::parse("jan@example.nl").unwrap();
        assert!(!format!("{email:?}").contains("jan"));
        let phone = PhoneNumber::parse("0612345678").unwrap();
        assert!(!format!("{phone:?}").contains("0612"));
        let text = Text::required("Jan Jansen", 50).unwrap();
        assert!(!format!("{text:?}").contains("Jan"));
    }
}
