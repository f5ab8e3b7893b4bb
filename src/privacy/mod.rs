//! Privacy by construction. The data map is the one declaration of every stored piece of personal
//! data (P4); the drift check proves the database holds nothing undeclared; the public privacy
//! page is rendered from the map, so the statement cannot drift from what the software stores.
//! Later: consent, export, erasure, retention and the privacy desk build on the same map.

pub mod columns;
pub mod data_map;
pub mod drift;
pub mod pages;
pub mod routes;
pub mod sealed;
