//! Ordering: the cart, checkout, pricing and VAT, placing orders, and paying for them (the
//! provider itself lives in `payment`).

pub mod cart;
pub mod checkout;
pub mod checkout_pages;
pub mod checkout_routes;
pub mod model;
pub mod pages;
pub mod payment_routes;
pub mod pg_place;
pub mod pricing;
pub mod repo;
pub mod routes;
pub mod service;
