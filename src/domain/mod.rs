//! Domain values shared by several capabilities. Each parses its input once; holding one means
//! the value is valid.

pub mod postcode;

pub use postcode::DutchPostcode;
