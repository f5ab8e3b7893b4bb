//! Dutch postcodes: four digits (not starting with 0) and two letters, written `1234 AB`.

use std::fmt;

/// A valid Dutch postcode, normalised to `1234 AB`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DutchPostcode {
    digits: u16,
    letters: [u8; 2],
}

/// Why a text is not a Dutch postcode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidPostcode;

impl DutchPostcode {
    /// Parses `1234AB`, `1234 ab`, ` 1234  AB ` and the like. The letter pairs SA, SD and SS are
    /// not issued in the Netherlands and are refused.
    pub fn parse(input: &str) -> Result<DutchPostcode, InvalidPostcode> {
        let compact: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        let bytes = compact.as_bytes();
        if bytes.len() != 6 || !compact.is_ascii() {
            return Err(InvalidPostcode);
        }
        let (digits, letters) = compact.split_at(4);
        if !digits.bytes().all(|b| b.is_ascii_digit()) || digits.starts_with('0') {
            return Err(InvalidPostcode);
        }
        let letters = letters.to_ascii_uppercase();
        if !letters.bytes().all(|b| b.is_ascii_uppercase())
            || matches!(letters.as_str(), "SA" | "SD" | "SS")
        {
            return Err(InvalidPostcode);
        }
        let letters = letters.as_bytes();
        Ok(DutchPostcode {
            digits: digits.parse().map_err(|_| InvalidPostcode)?,
            letters: [letters[0], letters[1]],
        })
    }

    /// The four-digit area number (delivery zones are ranges of these).
    pub fn area(&self) -> u16 {
        self.digits
    }
}

impl fmt::Display for DutchPostcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}{}",
            self.digits, self.letters[0] as char, self.letters[1] as char
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postcodes_are_normalised_to_four_digits_a_space_and_two_capitals() {
        for input in ["1441AB", "1441 ab", " 1441  aB ", "1441\tAB"] {
            assert_eq!(
                DutchPostcode::parse(input).unwrap().to_string(),
                "1441 AB",
                "{input}"
            );
        }
        assert_eq!(DutchPostcode::parse("1012 JS").unwrap().area(), 1012);
    }

    #[test]
    fn malformed_postcodes_are_refused() {
        for input in [
            "",
            "1441",
            "1441A",
            "1441 ABC",
            "0441 AB",
            "14411 A",
            "AB 1441",
            "1441 A1",
            "1441 SS",
            "1441 sa",
            "1441 SD",
            "１４４１ AB",
        ] {
            assert_eq!(DutchPostcode::parse(input), Err(InvalidPostcode), "{input}");
        }
    }
}
