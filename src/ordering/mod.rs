//! Ordering: the cart, checkout, pricing and VAT, placing orders, and paying for them (the
//! provider itself lives in `payment`).

pub mod cart;
pub mod checkout;
pub mod checkout_pages;
pub mod checkout_routes;
pub mod history_routes;
pub mod mails;
pub mod model;
pub mod pages;
pub mod paying;
pub mod payment_routes;
pub mod pg_place;
pub mod pricing;
pub mod repo;
pub mod routes;
pub mod service;
pub mod state;
