//! Ordering: the cart, checkout, pricing and VAT, placing orders, paying for them (the
//! provider itself lives in `payment`), the mails about an order, and an account's past orders
//! with reorder, and refunds through the provider. Uses catalog and delivery (what is sold, when it can come), accounts (who
//! orders), business (paying on account) and privacy (consent given at checkout).

pub mod cart;
pub mod change;
pub mod change_lines;
pub mod checkout;
pub mod checkout_pages;
pub mod checkout_routes;
pub mod history_routes;
pub mod mails;
pub mod pages;
pub mod paying;
pub mod payment_routes;
pub mod pg_place;
pub mod phone;
pub mod pricing;
pub mod refunds;
pub mod repo;
pub mod routes;
pub mod service;
pub mod state;
