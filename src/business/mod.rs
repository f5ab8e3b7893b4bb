//! Business clients: a company account with checked KvK number and VAT id, an IBAN only for
//! direct debit (sealed at rest), users with roles (admin, orderer) and invitations, approval
//! by the shop before paying on account, PO numbers on orders, and gap-free monthly invoices.

pub mod auth;
pub mod invoice;
pub mod model;
pub mod pages;
pub mod repo;
pub mod routes;
pub mod service;
