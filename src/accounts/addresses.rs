//! The address book: the account's own addresses and saved recipients, parsed like the
//! checkout parses a recipient.

use serde::Deserialize;

use super::model::{FieldErrors, parse_phone, required_text};
use super::repo::AddressRow;
use crate::domain::DutchPostcode;

const NAME_MAX: usize = 100;
const STREET_MAX: usize = 120;
const CITY_MAX: usize = 80;

/// The form to add an address, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct AddressForm {
    /// `own` or `recipient`.
    pub kind: String,
    pub name: String,
    pub street: String,
    pub postcode: String,
    pub city: String,
    pub phone: String,
}

impl AddressForm {
    /// An empty form for a recipient.
    pub fn fresh() -> AddressForm {
        AddressForm {
            kind: "recipient".into(),
            ..AddressForm::default()
        }
    }

    /// Parses the form into a row to store (postcode normalised); every problem at once.
    pub fn parse(&self) -> Result<AddressRow, FieldErrors> {
        let mut errors = FieldErrors::new();
        let kind = match self.kind.as_str() {
            "own" | "recipient" => self.kind.clone(),
            _ => {
                errors.insert("kind", "account-error-kind");
                String::new()
            }
        };
        let name = required_text(&mut errors, "name", &self.name, NAME_MAX);
        let street = required_text(&mut errors, "street", &self.street, STREET_MAX);
        let city = required_text(&mut errors, "city", &self.city, CITY_MAX);
        let postcode = DutchPostcode::parse(&self.postcode)
            .map_err(|_| errors.insert("postcode", "checkout-error-postcode"))
            .ok();
        let phone = parse_phone(&self.phone, &mut errors);
        match (name, street, city, postcode, phone) {
            (Some(name), Some(street), Some(city), Some(postcode), Some(phone))
                if errors.is_empty() =>
            {
                Ok(AddressRow {
                    id: 0,
                    kind,
                    name: name.as_str().to_owned(),
                    street: street.as_str().to_owned(),
                    postcode: postcode.to_string(),
                    city: city.as_str().to_owned(),
                    phone: phone.map(|p| p.as_str().to_owned()),
                })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_stored_with_its_postcode_normalised_and_every_error_is_named() {
        let form = AddressForm {
            kind: "recipient".into(),
            name: "Oma Jansen".into(),
            street: "Dorpsstraat 1".into(),
            postcode: "1441ab".into(),
            city: "Purmerend".into(),
            phone: String::new(),
        };
        assert_eq!(form.parse().ok().unwrap().postcode, "1441 AB");
        let wrong = AddressForm {
            postcode: "0123 AB".into(),
            name: String::new(),
            ..form
        };
        let errors = wrong.parse().err().unwrap();
        assert_eq!(errors.get("postcode"), Some(&"checkout-error-postcode"));
        assert!(errors.contains_key("name"));
    }
}
