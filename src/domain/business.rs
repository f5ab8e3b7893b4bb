//! Identifiers of Dutch companies: the KvK (Chamber of Commerce) number and the VAT id
//! (btw-identificatienummer).

use std::fmt;

/// Why a text is not a valid company identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidIdentifier;

/// The text without spaces, dots and dashes (as people copy numbers from letters and sites).
fn compact(input: &str) -> String {
    input
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '.' | '-'))
        .collect()
}

/// A KvK number: eight digits. KvK numbers carry no check digit (the KvK stopped issuing
/// numbers that pass the eleven-test in 2020), so the shape is all that can be checked.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct KvkNumber(String);

impl KvkNumber {
    /// Parses `12345678`, `1234 5678`, `12.34.56.78`.
    pub fn parse(input: &str) -> Result<KvkNumber, InvalidIdentifier> {
        let digits = compact(input);
        if digits.len() != 8 || !digits.bytes().all(|b| b.is_ascii_digit()) || digits == "00000000"
        {
            return Err(InvalidIdentifier);
        }
        Ok(KvkNumber(digits))
    }

    /// The eight digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for KvkNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A Dutch VAT id: `NL`, nine digits, `B`, two digits. The Belastingdienst accepts it when the
/// nine digits pass the eleven-test (ids of legal entities, and of sole traders before 2020)
/// or when the whole id passes the ISO 7064 mod 97 test (sole traders' ids since 2020).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct VatId(String);

impl VatId {
    /// Parses `NL123456782B01`, `nl 1234.56.782 b01` and the like, normalised to capitals
    /// without separators.
    pub fn parse(input: &str) -> Result<VatId, InvalidIdentifier> {
        let id = compact(input).to_ascii_uppercase();
        let bytes = id.as_bytes();
        let shaped = bytes.len() == 14
            && id.starts_with("NL")
            && bytes[2..11].iter().all(u8::is_ascii_digit)
            && bytes[11] == b'B'
            && bytes[12..].iter().all(u8::is_ascii_digit);
        if !shaped || &id[2..11] == "000000000" {
            return Err(InvalidIdentifier);
        }
        if eleven_test(&bytes[2..11]) || mod97(&id) == 1 {
            Ok(VatId(id))
        } else {
            Err(InvalidIdentifier)
        }
    }

    /// The id as `NL123456782B01`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for VatId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The Dutch eleven-test: digits weighted 9, 8, …, 2 and the last −1 sum to a multiple of 11.
fn eleven_test(digits: &[u8]) -> bool {
    let sum: i64 = digits
        .iter()
        .zip([9, 8, 7, 6, 5, 4, 3, 2, -1])
        .map(|(d, w)| i64::from(d - b'0') * w)
        .sum();
    sum % 11 == 0
}

/// ISO 7064 mod 97 over the id with letters as numbers (A = 10 … Z = 35), as for IBANs.
fn mod97(id: &str) -> u32 {
    id.chars().fold(0u32, |rest, c| {
        let value = c.to_digit(36).unwrap_or(0);
        if value >= 10 {
            (rest * 100 + value) % 97
        } else {
            (rest * 10 + value) % 97
        }
    })
}

/// What a company user may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompanyRole {
    /// Manages the company's users and sees all its orders and invoices.
    Admin,
    /// Orders for the company and sees their own orders.
    Orderer,
}

impl CompanyRole {
    /// Parses the stored or posted form.
    pub fn parse(s: &str) -> Option<CompanyRole> {
        match s {
            "admin" => Some(CompanyRole::Admin),
            "orderer" => Some(CompanyRole::Orderer),
            _ => None,
        }
    }

    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            CompanyRole::Admin => "admin",
            CompanyRole::Orderer => "orderer",
        }
    }

    /// Catalogue key of the role's name.
    pub fn label_key(self) -> &'static str {
        match self {
            CompanyRole::Admin => "business-role-admin",
            CompanyRole::Orderer => "business-role-orderer",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kvk_numbers_are_eight_digits_with_separators_allowed() {
        for input in ["85123456", "8512 3456", " 85.12.34.56 ", "01234567"] {
            assert!(KvkNumber::parse(input).is_ok(), "{input}");
        }
        assert_eq!(KvkNumber::parse("8512 3456").unwrap().as_str(), "85123456");
        for input in [
            "",
            "8512345",
            "851234567",
            "8512345a",
            "00000000",
            "NL85123456",
        ] {
            assert_eq!(KvkNumber::parse(input), Err(InvalidIdentifier), "{input}");
        }
    }

    #[test]
    fn vat_ids_pass_the_eleven_test_or_the_mod_97_test_as_the_belastingdienst_checks() {
        // A legal entity's id (eleven-test) and the Belastingdienst's example of a sole
        // trader's id since 2020 (mod 97).
        for input in [
            "NL123456782B01",
            "nl123456782b01",
            "NL 1234.56.782 B01",
            "NL000099998B57",
            "NL002455799B11",
        ] {
            assert!(VatId::parse(input).is_ok(), "{input}");
        }
        assert_eq!(
            VatId::parse("nl 1234.56.782 b01").unwrap().as_str(),
            "NL123456782B01"
        );
        for input in [
            "",
            "NL123456789B01", // wrong check digit: fails both tests
            "NL000099997B57", // one digit off the mod 97 example
            "NL001234567B01",
            "NL000000000B00",
            "BE0123456789",
            "NL123456782C01",
            "NL123456782B1",
            "DE123456782B01",
        ] {
            assert_eq!(VatId::parse(input), Err(InvalidIdentifier), "{input}");
        }
    }
}
