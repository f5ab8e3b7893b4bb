//! Staff: accounts and login, the production board per delivery date, work tickets, and the
//! courier's list, and the back office (calendar, zones, catalogue, team, newsletter) — showing
//! each role only what its work needs (P10, P14).

pub mod audit_log;
pub mod auth;
pub mod business_routes;
pub mod catalogue;
pub mod catalogue_pages;
pub mod catalogue_routes;
pub mod compose;
pub mod disclosures_routes;
pub mod menu;
pub mod messages_routes;
pub mod model;
pub mod office;
pub mod office_pages;
pub mod office_repo;
pub mod office_routes;
pub mod order_edit;
pub mod orders;
pub mod orders_pages;
pub mod orders_repo;
pub mod orders_routes;
pub mod pages;
pub mod phone_routes;
pub mod privacy_routes;
pub mod processors_routes;
pub mod repo;
pub mod requests_routes;
pub mod routes;
pub mod service;
pub mod team;
pub mod team_routes;
pub mod two_step;
pub mod two_step_routes;
