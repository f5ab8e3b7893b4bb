//! Ordering: pricing and VAT of orders (and, as they arrive, the cart, checkout and order
//! placement).

pub mod cart;
pub mod checkout;
pub mod checkout_pages;
pub mod checkout_routes;
pub mod model;
pub mod pages;
pub mod pricing;
pub mod repo;
pub mod routes;
pub mod service;
