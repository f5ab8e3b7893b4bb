//! Bloei: the web shop and back office of an independent Dutch florist.
//!
//! One crate, one binary. Capabilities live in their own modules (`catalog`, `privacy`, …), each
//! split into `model` (domain types), `repo` (queries), `service` (use cases), `routes` (thin
//! handlers) and `pages` (templates). Shared plumbing lives in `db`, `web`, `i18n` and friends.

pub mod accounts;
pub mod backup;
pub mod business;
pub mod catalog;
pub mod cli;
pub mod config;
pub mod db;
pub mod delivery;
pub mod domain;
pub mod error;
pub mod i18n;
pub mod jobs;
pub mod mail;
pub mod money;
pub mod ops;
pub mod ordering;
pub mod payment;
pub mod privacy;
pub mod staff;
pub mod startup;
pub mod telemetry;
pub mod web;

pub use error::AppError;
