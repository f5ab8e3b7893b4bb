//! Bank account numbers (IBAN), checked with the `iban_validate` crate: check digits and each
//! country's account format.

use std::fmt;

/// Why a text is not a valid IBAN.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidIban;

/// A valid IBAN, kept in its electronic form (`NL91ABNA0417164300`). Its `Debug` shows only the
/// masked form, so it never reaches a log whole.
#[derive(Clone, PartialEq, Eq)]
pub struct Iban(String);

impl Iban {
    /// Parses an IBAN in any usual writing: spaces anywhere, lower case.
    pub fn parse(input: &str) -> Result<Iban, InvalidIban> {
        let electronic: String = input
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let parsed: iban::Iban = electronic.parse().map_err(|_| InvalidIban)?;
        Ok(Iban(iban::IbanLike::electronic_str(&parsed).to_owned()))
    }

    /// The electronic form, for storing (encrypted) and for direct-debit files.
    pub fn electronic(&self) -> &str {
        &self.0
    }

    /// The form shown on screens and in mails: the country, then stars, then the last four
    /// characters: `NL** **** **** **** 4300`.
    pub fn masked(&self) -> String {
        let (country, rest) = self.0.split_at(2);
        let last = &rest[rest.len().saturating_sub(4)..];
        let hidden_groups = (self.0.len().saturating_sub(8)).div_ceil(4);
        let mut masked = format!("{country}**");
        for _ in 0..hidden_groups {
            masked.push_str(" ****");
        }
        masked.push(' ');
        masked.push_str(last);
        masked
    }
}

impl fmt::Debug for Iban {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Iban({})", self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ibans_are_accepted_in_any_usual_writing_and_kept_electronic() {
        for input in [
            "NL91ABNA0417164300",
            "NL91 ABNA 0417 1643 00",
            "nl91 abna 0417 1643 00",
            " NL91ABNA 0417164300 ",
        ] {
            assert_eq!(
                Iban::parse(input).unwrap().electronic(),
                "NL91ABNA0417164300",
                "{input}"
            );
        }
        // Other countries' published examples.
        assert!(Iban::parse("BE68 5390 0754 7034").is_ok());
        assert!(Iban::parse("DE89 3704 0044 0532 0130 00").is_ok());
    }

    #[test]
    fn wrong_check_digits_lengths_and_formats_are_refused() {
        for input in [
            "",
            "NL92ABNA0417164300",  // check digits off by one
            "NL91ABNA0417164301",  // account digit changed
            "NL91ABNA041716430",   // too short
            "NL91ABNA04171643000", // too long
            "NL911234A417164300",  // bank code must be letters
            "XX91ABNA0417164300",  // no such country
            "NL91-ABNA-0417-1643-00",
        ] {
            assert_eq!(Iban::parse(input), Err(InvalidIban), "{input}");
        }
    }

    #[test]
    fn an_iban_is_shown_masked_to_its_last_four_characters() {
        let iban = Iban::parse("NL91ABNA0417164300").unwrap();
        assert_eq!(iban.masked(), "NL** **** **** **** 4300");
        assert_eq!(format!("{iban:?}"), "Iban(NL** **** **** **** 4300)");
        assert!(!format!("{iban:?}").contains("ABNA"));
    }
}
