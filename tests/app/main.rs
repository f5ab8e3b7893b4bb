//! The integration suite: every test starts the real application on a random port against a
//! fresh database (SQLite by default, PostgreSQL when `TEST_DATABASE_URL` is set) and checks
//! what a visitor sees or what the database holds.

mod accessibility;
mod account_security;
mod accounts;
mod audit;
mod back_office;
mod backup;
mod browser;
mod business;
mod cart;
mod catalogue;
mod catalogue_admin;
mod checkout;
mod cli;
mod compose;
mod contact;
mod database;
mod delivery;
mod erasure;
mod flows;
mod html_valid;
mod journeys;
mod journeys_accounts;
mod journeys_staff;
mod logout;
mod mail;
mod mollie;
mod mollie_mock;
mod newsletter;
mod observability;
mod occasions;
mod order_changes;
mod order_desk;
mod payment;
mod phone_orders;
mod privacy;
mod requests;
mod roles;
mod self_service;
mod staff;
mod support;
mod team;
mod two_step;
mod web;
mod why_we_ask;
