//! Ordering: pricing and VAT of orders (and, as they arrive, the cart, checkout and order
//! placement).

pub mod cart;
pub mod pages;
pub mod pricing;
pub mod routes;
