//! The catalogue: categories, occasions, products with size variants and add-ons, their prices
//! (including VAT) and VAT classes; the shop front that lists them; the demo catalogue.

pub mod cache;
pub mod model;
pub mod pages;
pub mod repo;
pub mod routes;
pub mod seed;
pub mod service;
