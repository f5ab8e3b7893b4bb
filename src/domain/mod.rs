//! Domain values shared by several capabilities. Each parses its input once; holding one means
//! the value is valid.

pub mod contact;
pub mod postcode;

pub use contact::{Email, PhoneNumber, Text, TextError};
pub use postcode::DutchPostcode;
