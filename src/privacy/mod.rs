//! Privacy by construction. The data map is the one declaration of every stored piece of personal
//! data (P4); the drift check proves the database holds nothing undeclared; the public privacy
//! statement is generated from the map (P4, P18, P19). On top of it the person's self-service:
//! the consent ledger (P2), cookie consent (P12), the newsletter with double opt-in (P8, P11),
//! occasion reminders, and seeing, downloading and erasing their own data (P13, P15, P5, P9);
//! the audit log of who looked at whose data (P14); questions and complaints with their staff
//! queue (P7); the desk for requests by post, e-mail or phone, with their four-week clock and
//! identity check (P16–P18).

pub mod audit;
pub mod choices;
pub mod columns;
pub mod consent;
pub mod contact;
pub mod contact_mail;
pub mod contact_routes;
pub mod cookies;
pub mod data_map;
pub mod disclosures;
pub mod drift;
pub mod editions;
pub mod erasure;
pub mod erasure_log;
pub mod export;
pub mod newsletter;
pub mod newsletter_routes;
pub mod occasions;
pub mod pages;
pub mod processors;
pub mod reminder_stop;
pub mod request_handling;
pub mod request_mail;
pub mod request_routes;
pub mod requests;
pub mod retention;
pub mod routes;
pub mod self_service;
pub mod service;
pub mod statement;
pub mod subject;
