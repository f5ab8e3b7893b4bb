//! Domain values shared by several capabilities. Each parses its input once; holding one means
//! the value is valid.

pub mod business;
pub mod contact;
pub mod iban;
pub mod postcode;

pub use business::{InvalidIdentifier, KvkNumber, VatId};
pub use contact::{Email, PhoneNumber, Text, TextError};
pub use iban::{Iban, InvalidIban};
pub use postcode::DutchPostcode;
