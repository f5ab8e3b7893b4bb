//! What a company account is made of, parsed once: the registration form into a company with
//! checked identifiers, and the roles of its users.

use serde::Deserialize;

use crate::accounts::model::{FieldErrors, required_text as text};
use crate::domain::{DutchPostcode, Iban, KvkNumber, Text, VatId};

pub use crate::domain::business::CompanyRole;

/// The company registration form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct CompanyForm {
    pub name: String,
    pub kvk_number: String,
    pub vat_id: String,
    pub billing_street: String,
    pub billing_postcode: String,
    pub billing_city: String,
    pub contact_name: String,
    pub contact_job_title: String,
    /// `on` when the company wants to pay by direct debit (only then is the IBAN asked, P3).
    pub direct_debit: Option<String>,
    pub iban: String,
}

/// A registration that passed every check.
pub struct NewCompany {
    pub name: Text,
    pub kvk: KvkNumber,
    pub vat_id: VatId,
    pub street: Text,
    pub postcode: DutchPostcode,
    pub city: Text,
    pub contact_name: Text,
    pub contact_job_title: Text,
    pub iban: Option<Iban>,
}

impl CompanyForm {
    /// Whether direct debit was chosen.
    pub fn wants_direct_debit(&self) -> bool {
        self.direct_debit.is_some()
    }

    /// Parses the form; every field's problem at once.
    pub fn parse(&self) -> Result<NewCompany, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = text(&mut e, "name", &self.name, 120);
        let kvk = KvkNumber::parse(&self.kvk_number)
            .map_err(|_| e.insert("kvk_number", "business-error-kvk"))
            .ok();
        let vat_id = VatId::parse(&self.vat_id)
            .map_err(|_| e.insert("vat_id", "business-error-vat-id"))
            .ok();
        let street = text(&mut e, "billing_street", &self.billing_street, 120);
        let postcode = DutchPostcode::parse(&self.billing_postcode)
            .map_err(|_| e.insert("billing_postcode", "checkout-error-postcode"))
            .ok();
        let city = text(&mut e, "billing_city", &self.billing_city, 80);
        let contact_name = text(&mut e, "contact_name", &self.contact_name, 100);
        let contact_job_title = text(&mut e, "contact_job_title", &self.contact_job_title, 100);
        let iban = if self.wants_direct_debit() {
            match Iban::parse(&self.iban) {
                Ok(iban) => Some(Some(iban)),
                Err(_) => {
                    e.insert("iban", "business-error-iban");
                    None
                }
            }
        } else {
            // Not asked without direct debit, so not kept either (P3).
            Some(None)
        };
        match (
            name,
            kvk,
            vat_id,
            street,
            postcode,
            city,
            contact_name,
            contact_job_title,
            iban,
        ) {
            (
                Some(name),
                Some(kvk),
                Some(vat_id),
                Some(street),
                Some(postcode),
                Some(city),
                Some(contact_name),
                Some(contact_job_title),
                Some(iban),
            ) if e.is_empty() => Ok(NewCompany {
                name,
                kvk,
                vat_id,
                street,
                postcode,
                city,
                contact_name,
                contact_job_title,
                iban,
            }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> CompanyForm {
        CompanyForm {
            name: "Kantoor B.V.".into(),
            kvk_number: "6901 2345".into(),
            vat_id: "nl000099998b57".into(),
            billing_street: "Kerkstraat 1".into(),
            billing_postcode: "1441ab".into(),
            billing_city: "Purmerend".into(),
            contact_name: "Eva de Vries".into(),
            contact_job_title: "Office manager".into(),
            direct_debit: None,
            iban: "NL91 ABNA 0417 1643 00".into(),
        }
    }

    #[test]
    fn without_direct_debit_the_iban_is_not_kept_even_when_typed() {
        let company = form().parse().ok().unwrap();
        assert!(company.iban.is_none());
        assert_eq!(company.kvk.as_str(), "69012345");
        assert_eq!(company.vat_id.as_str(), "NL000099998B57");
    }

    #[test]
    fn a_wrong_iban_kvk_and_vat_id_are_each_named() {
        let wrong = CompanyForm {
            direct_debit: Some("on".into()),
            iban: "NL91 ABNA 0417 1643 01".into(),
            kvk_number: "1234567".into(),
            vat_id: "NL000099998B58".into(),
            ..form()
        };
        let errors = wrong.parse().err().unwrap();
        assert_eq!(errors.get("iban"), Some(&"business-error-iban"));
        assert_eq!(errors.get("kvk_number"), Some(&"business-error-kvk"));
        assert_eq!(errors.get("vat_id"), Some(&"business-error-vat-id"));
    }
}
