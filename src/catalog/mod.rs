//! The catalogue: categories, occasions, products with size variants and add-ons, their prices
//! (including VAT) and VAT classes; the shop front that lists them; the demo catalogue; the
//! back office's product form and product photos (their checks and storage; the staff pages
//! themselves are the staff capability's).

pub mod cache;
pub mod manage;
pub mod model;
pub mod pages;
pub mod photos;
pub mod product_form;
pub mod repo;
pub mod routes;
pub mod seed;
pub mod service;
