//! Delivery: the rule engine that decides which dates can be chosen, Dutch public holidays, and
//! delivery zones by postcode.

pub mod calendar;
pub mod holidays;
pub mod repo;
pub mod rules;
pub mod seed;
pub mod service;
pub mod zones;
