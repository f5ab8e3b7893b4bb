//! Domain values shared by several capabilities. Each parses its input once; holding one means
//! the value is valid. Nothing here knows the web, the database or a capability.

pub mod business;
pub mod consent;
pub mod contact;
pub mod form;
pub mod iban;
pub mod order_status;
pub mod password;
pub mod postcode;
pub mod sealed;
pub mod token;

pub use business::{InvalidIdentifier, KvkNumber, VatId};
pub use consent::{ConsentPurpose, ConsentSource};
pub use contact::{Email, PhoneNumber, Text, TextError};
pub use form::FieldErrors;
pub use iban::{Iban, InvalidIban};
pub use order_status::OrderStatus;
pub use postcode::DutchPostcode;
