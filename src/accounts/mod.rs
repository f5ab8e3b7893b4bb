//! Consumer accounts: registering with only what an account needs (P3, P20), confirming the
//! address, logging in and out, resetting and changing the password and address, the address
//! book, and the company membership of an account (read by checkout and the company pages). The
//! account page lists the account's orders; one order's page and reorder belong to `ordering`.
//! Guest orders placed with the confirmed address are
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
