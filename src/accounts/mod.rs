//! Consumer accounts: registering with only what an account needs (P3, P20), confirming the
//! address, logging in and out, resetting and changing the password and address, the address
//! book, and the order history with reorder. Guest orders placed with the confirmed address are
//! linked to the account.

pub mod addresses;
pub mod auth;
pub mod auth_routes;
pub mod mails;
pub mod model;
pub mod pages;
pub mod repo;
pub mod routes;
pub mod service;
