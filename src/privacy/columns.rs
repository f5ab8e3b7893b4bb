//! The columns of the data map (P4): every database column holding personal data with its
//! category, purpose, legal basis, retention and erasure, and every other column declared
//! non-personal with a reason. Types and the drift check live in `super::data_map`.

use super::data_map::{
    DataCategory, Erasure, LegalBasis, NonPersonalTable, PersonalColumn, Purpose, Retention,
};

const fn personal(
    table: &'static str,
    column: &'static str,
    category: DataCategory,
    purpose: Purpose,
    basis: LegalBasis,
    retention: Retention,
    erasure: Erasure,
) -> PersonalColumn {
    PersonalColumn {
        table,
        column,
        category,
        purpose,
        basis,
        retention,
        erasure,
    }
}

use DataCategory as C;
use Erasure as E;
use LegalBasis as B;
use Purpose as P;
use Retention as R;

/// Recipient details and the card message are needed only until the order has been delivered
/// and any complaint about it handled.
const AFTER_DELIVERY: Retention = R::DaysAfterDelivery(30);

/// Every column holding personal data (P4). Only what an order needs is asked (P3): the
/// sender's contact details to confirm and report on the order (P6), the recipient's name and
/// address to deliver it, the optional card message and instructions.
#[rustfmt::skip]
pub const PERSONAL_COLUMNS: &[PersonalColumn] = &[
    personal("orders", "sender_name", C::Contact, P::OrderFulfilment, B::Contract, R::TwoYearsAfterLastActivity, E::Anonymise),
    personal("orders", "sender_email", C::Contact, P::OrderFulfilment, B::Contract, R::TwoYearsAfterLastActivity, E::Anonymise),
    personal("orders", "sender_phone", C::Contact, P::OrderFulfilment, B::Contract, R::TwoYearsAfterLastActivity, E::Null),
    personal("orders", "checkout_token", C::Technical, P::OrderFulfilment, B::Contract, R::TwoYearsAfterLastActivity, E::Anonymise),
    personal("orders", "status_token", C::Technical, P::OrderFulfilment, B::Contract, R::TwoYearsAfterLastActivity, E::Anonymise),
    personal("orders", "recipient_name", C::Address, P::OrderFulfilment, B::Contract, AFTER_DELIVERY, E::Null),
    personal("orders", "recipient_street", C::Address, P::OrderFulfilment, B::Contract, AFTER_DELIVERY, E::Null),
    personal("orders", "recipient_postcode", C::Address, P::OrderFulfilment, B::Contract, AFTER_DELIVERY, E::Null),
    personal("orders", "recipient_city", C::Address, P::OrderFulfilment, B::Contract, AFTER_DELIVERY, E::Null),
    personal("orders", "recipient_phone", C::Contact, P::OrderFulfilment, B::Contract, AFTER_DELIVERY, E::Null),
    personal("orders", "card_message", C::FreeText, P::OrderFulfilment, B::Contract, AFTER_DELIVERY, E::Null),
    personal("orders", "card_anonymous", C::Orders, P::OrderFulfilment, B::Contract, AFTER_DELIVERY, E::Anonymise),
    personal("orders", "delivery_instructions", C::FreeText, P::OrderFulfilment, B::Contract, AFTER_DELIVERY, E::Null),
    personal("orders", "not_home", C::Orders, P::OrderFulfilment, B::Contract, AFTER_DELIVERY, E::Null),
    // What was bought, when and for how much: the shop's sales records (fiscal retention); once
    // the contact details above are gone they no longer point at a person.
    personal("orders", "status", C::Orders, P::Bookkeeping, B::LegalObligation, R::SevenYearsFiscal, E::KeepForTax),
    personal("orders", "fulfilment", C::Orders, P::Bookkeeping, B::LegalObligation, R::SevenYearsFiscal, E::KeepForTax),
    personal("orders", "delivery_date", C::Orders, P::Bookkeeping, B::LegalObligation, R::SevenYearsFiscal, E::KeepForTax),
    personal("orders", "zone_name", C::Orders, P::Bookkeeping, B::LegalObligation, R::SevenYearsFiscal, E::KeepForTax),
    personal("orders", "goods_cents", C::Orders, P::Bookkeeping, B::LegalObligation, R::SevenYearsFiscal, E::KeepForTax),
    personal("orders", "delivery_fee_cents", C::Orders, P::Bookkeeping, B::LegalObligation, R::SevenYearsFiscal, E::KeepForTax),
    personal("orders", "total_cents", C::Orders, P::Bookkeeping, B::LegalObligation, R::SevenYearsFiscal, E::KeepForTax),
    personal("orders", "vat_reduced_gross_cents", C::Orders, P::Bookkeeping, B::LegalObligation, R::SevenYearsFiscal, E::KeepForTax),
    personal("orders", "vat_reduced_cents", C::Orders, P::Bookkeeping, B::LegalObligation, R::SevenYearsFiscal, E::KeepForTax),
    personal("orders", "vat_standard_gross_cents", C::Orders, P::Bookkeeping, B::LegalObligation, R::SevenYearsFiscal, E::KeepForTax),
    personal("orders", "vat_standard_cents", C::Orders, P::Bookkeeping, B::LegalObligation, R::SevenYearsFiscal, E::KeepForTax),
    personal("order_lines", "product_slug", C::Orders, P::Bookkeeping, B::LegalObligation, R::SevenYearsFiscal, E::KeepForTax),
    personal("order_lines", "product_name_nl", C::Orders, P::Bookkeeping, B::LegalObligation, R::SevenYearsFiscal, E::KeepForTax),
    personal("order_lines", "product_name_en", C::Orders, P::Bookkeeping, B::LegalObligation, R::SevenYearsFiscal, E::KeepForTax),
    personal("order_lines", "size", C::Orders, P::Bookkeeping, B::LegalObligation, R::SevenYearsFiscal, E::KeepForTax),
    personal("order_lines", "quantity", C::Orders, P::Bookkeeping, B::LegalObligation, R::SevenYearsFiscal, E::KeepForTax),
    personal("order_lines", "unit_price_cents", C::Orders, P::Bookkeeping, B::LegalObligation, R::SevenYearsFiscal, E::KeepForTax),
    personal("order_lines", "vat_rate", C::Orders, P::Bookkeeping, B::LegalObligation, R::SevenYearsFiscal, E::KeepForTax),
    personal("order_lines", "line_total_cents", C::Orders, P::Bookkeeping, B::LegalObligation, R::SevenYearsFiscal, E::KeepForTax),
    personal("order_line_addons", "addon_slug", C::Orders, P::Bookkeeping, B::LegalObligation, R::SevenYearsFiscal, E::KeepForTax),
    personal("order_line_addons", "name_nl", C::Orders, P::Bookkeeping, B::LegalObligation, R::SevenYearsFiscal, E::KeepForTax),
    personal("order_line_addons", "name_en", C::Orders, P::Bookkeeping, B::LegalObligation, R::SevenYearsFiscal, E::KeepForTax),
    personal("order_line_addons", "price_cents", C::Orders, P::Bookkeeping, B::LegalObligation, R::SevenYearsFiscal, E::KeepForTax),
    personal("order_line_addons", "vat_rate", C::Orders, P::Bookkeeping, B::LegalObligation, R::SevenYearsFiscal, E::KeepForTax),
    // Staff accounts: who may log in to the back office, and who did what with an order (P14).
    personal("staff", "email", C::Login, P::StaffAdministration, B::Contract, R::TwoYearsAfterLastActivity, E::Anonymise),
    personal("staff", "name", C::Contact, P::StaffAdministration, B::Contract, R::TwoYearsAfterLastActivity, E::Anonymise),
    personal("staff", "password_hash", C::Login, P::StaffAdministration, B::Contract, R::TwoYearsAfterLastActivity, E::Delete),
    personal("staff", "last_login_at", C::Technical, P::StaffAdministration, B::LegitimateInterest, R::TwoYearsAfterLastActivity, E::Null),
    personal("staff", "totp_secret", C::Login, P::StaffAdministration, B::Contract, R::TwoYearsAfterLastActivity, E::Delete),
    personal("staff_logins", "token_hash", C::Login, P::StaffAdministration, B::Contract, R::UntilLogout, E::Delete),
    personal("staff_logins", "created_at", C::Technical, P::StaffAdministration, B::Contract, R::UntilLogout, E::Delete),
    personal("staff", "totp_last_step", C::Technical, P::StaffAdministration, B::Contract, R::TwoYearsAfterLastActivity, E::Null),
    personal("staff_recovery_codes", "code_hash", C::Login, P::StaffAdministration, B::Contract, R::TwoYearsAfterLastActivity, E::Delete),
    personal("staff_recovery_codes", "used_at", C::Technical, P::StaffAdministration, B::Contract, R::TwoYearsAfterLastActivity, E::Delete),
    personal("order_events", "staff_id", C::Orders, P::StaffAdministration, B::LegitimateInterest, R::SevenYearsFiscal, E::Null),
    // Why staff put an order a step back ("made the wrong size"): a note about their own work.
    personal("order_events", "note", C::FreeText, P::StaffAdministration, B::LegitimateInterest, R::SevenYearsFiscal, E::Null),
    personal("orders", "courier_id", C::Orders, P::StaffAdministration, B::LegitimateInterest, R::SevenYearsFiscal, E::Null),
    // Who changed the shop's calendar, zones and catalogue, and when (accountability among staff).
    personal("staff_changes", "staff_id", C::Orders, P::StaffAdministration, B::LegitimateInterest, R::SevenYearsFiscal, E::Null),
    // E-mails waiting to be sent or recently sent (their text names the order's people).
    personal("outbox", "recipient", C::Contact, P::OrderFulfilment, B::Contract, R::DaysAfterSending(30), E::Delete),
    personal("outbox", "subject", C::Orders, P::OrderFulfilment, B::Contract, R::DaysAfterSending(30), E::Delete),
    personal("outbox", "body_text", C::FreeText, P::OrderFulfilment, B::Contract, R::DaysAfterSending(30), E::Delete),
    personal("outbox", "body_html", C::FreeText, P::OrderFulfilment, B::Contract, R::DaysAfterSending(30), E::Delete),
    personal("outbox", "last_error", C::Technical, P::OrderFulfilment, B::Contract, R::DaysAfterSending(30), E::Delete),
    personal("payments", "provider", C::Financial, P::Bookkeeping, B::LegalObligation, R::SevenYearsFiscal, E::KeepForTax),
    personal("payments", "provider_payment_id", C::Financial, P::Bookkeeping, B::LegalObligation, R::SevenYearsFiscal, E::KeepForTax),
    personal("payments", "status", C::Financial, P::Bookkeeping, B::LegalObligation, R::SevenYearsFiscal, E::KeepForTax),
    personal("payments", "amount_cents", C::Financial, P::Bookkeeping, B::LegalObligation, R::SevenYearsFiscal, E::KeepForTax),
    personal("payments", "purpose", C::Financial, P::Bookkeeping, B::LegalObligation, R::SevenYearsFiscal, E::KeepForTax),
    // Money sent back (a cancelled order, a price difference): bookkeeping like the payment.
    personal("refunds", "kind", C::Financial, P::Bookkeeping, B::LegalObligation, R::SevenYearsFiscal, E::KeepForTax),
    personal("refunds", "amount_cents", C::Financial, P::Bookkeeping, B::LegalObligation, R::SevenYearsFiscal, E::KeepForTax),
    personal("refunds", "status", C::Financial, P::Bookkeeping, B::LegalObligation, R::SevenYearsFiscal, E::KeepForTax),
    personal("refunds", "provider_refund_id", C::Financial, P::Bookkeeping, B::LegalObligation, R::SevenYearsFiscal, E::KeepForTax),
    personal("refunds", "staff_id", C::Orders, P::StaffAdministration, B::LegitimateInterest, R::SevenYearsFiscal, E::Null),
    // Consumer accounts (P3): what an account needs, kept while it is used (P15).
    personal("customers", "email", C::Login, P::Account, B::Contract, R::TwoYearsAfterLastActivity, E::Delete),
    personal("customers", "name", C::Contact, P::Account, B::Contract, R::TwoYearsAfterLastActivity, E::Delete),
    personal("customers", "phone", C::Contact, P::Account, B::Contract, R::TwoYearsAfterLastActivity, E::Delete),
    personal("customers", "password_hash", C::Login, P::Account, B::Contract, R::TwoYearsAfterLastActivity, E::Delete),
    personal("customers", "lang", C::Preferences, P::Account, B::Contract, R::TwoYearsAfterLastActivity, E::Delete),
    personal("customers", "age_confirmed_at", C::Login, P::Account, B::LegalObligation, R::TwoYearsAfterLastActivity, E::Delete),
    personal("customers", "email_verified_at", C::Login, P::Account, B::Contract, R::TwoYearsAfterLastActivity, E::Delete),
    personal("customers", "created_at", C::Technical, P::Account, B::Contract, R::TwoYearsAfterLastActivity, E::Delete),
    personal("customers", "last_login_at", C::Technical, P::Account, B::LegitimateInterest, R::TwoYearsAfterLastActivity, E::Delete),
    personal("customer_logins", "token_hash", C::Login, P::Account, B::Contract, R::UntilLogout, E::Delete),
    personal("customer_logins", "created_at", C::Technical, P::Account, B::Contract, R::UntilLogout, E::Delete),
    personal("customer_tokens", "token_hash", C::Login, P::Account, B::Contract, R::TwoYearsAfterLastActivity, E::Delete),
    personal("customer_tokens", "new_email", C::Login, P::Account, B::Contract, R::TwoYearsAfterLastActivity, E::Delete),
    personal("customer_tokens", "purpose", C::Technical, P::Account, B::Contract, R::TwoYearsAfterLastActivity, E::Delete),
    personal("customer_tokens", "expires_at", C::Technical, P::Account, B::Contract, R::TwoYearsAfterLastActivity, E::Delete),
    personal("customer_tokens", "used_at", C::Technical, P::Account, B::Contract, R::TwoYearsAfterLastActivity, E::Delete),
    personal("customer_tokens", "created_at", C::Technical, P::Account, B::Contract, R::TwoYearsAfterLastActivity, E::Delete),
    personal("customer_addresses", "kind", C::Address, P::Account, B::Contract, R::TwoYearsAfterLastActivity, E::Delete),
    personal("customer_addresses", "name", C::Address, P::Account, B::Contract, R::TwoYearsAfterLastActivity, E::Delete),
    personal("customer_addresses", "street", C::Address, P::Account, B::Contract, R::TwoYearsAfterLastActivity, E::Delete),
    personal("customer_addresses", "postcode", C::Address, P::Account, B::Contract, R::TwoYearsAfterLastActivity, E::Delete),
    personal("customer_addresses", "city", C::Address, P::Account, B::Contract, R::TwoYearsAfterLastActivity, E::Delete),
    personal("customer_addresses", "phone", C::Contact, P::Account, B::Contract, R::TwoYearsAfterLastActivity, E::Delete),
    personal("customer_addresses", "created_at", C::Technical, P::Account, B::Contract, R::TwoYearsAfterLastActivity, E::Delete),
    personal("orders", "customer_id", C::Orders, P::Account, B::Contract, R::TwoYearsAfterLastActivity, E::Null),
    // Business clients: what an invoice to a company must state, the contact person, and the
    // IBAN only for direct debit, sealed at rest (P3).
    personal("companies", "name", C::Business, P::Bookkeeping, B::LegalObligation, R::SevenYearsFiscal, E::KeepForTax),
    personal("companies", "kvk_number", C::Business, P::Bookkeeping, B::LegalObligation, R::SevenYearsFiscal, E::KeepForTax),
    personal("companies", "vat_id", C::Business, P::Bookkeeping, B::LegalObligation, R::SevenYearsFiscal, E::KeepForTax),
    personal("companies", "billing_street", C::Address, P::Bookkeeping, B::LegalObligation, R::SevenYearsFiscal, E::KeepForTax),
    personal("companies", "billing_postcode", C::Address, P::Bookkeeping, B::LegalObligation, R::SevenYearsFiscal, E::KeepForTax),
    personal("companies", "billing_city", C::Address, P::Bookkeeping, B::LegalObligation, R::SevenYearsFiscal, E::KeepForTax),
    personal("companies", "contact_name", C::Contact, P::Account, B::Contract, R::TwoYearsAfterLastActivity, E::Anonymise),
    personal("companies", "contact_job_title", C::Business, P::Account, B::Contract, R::TwoYearsAfterLastActivity, E::Anonymise),
    personal("companies", "iban_encrypted", C::Financial, P::Bookkeeping, B::Contract, R::TwoYearsAfterLastActivity, E::Null),
    personal("companies", "approved_by", C::Orders, P::StaffAdministration, B::LegitimateInterest, R::SevenYearsFiscal, E::Null),
    personal("company_users", "customer_id", C::Business, P::Account, B::Contract, R::TwoYearsAfterLastActivity, E::Delete),
    personal("company_users", "role", C::Business, P::Account, B::Contract, R::TwoYearsAfterLastActivity, E::Delete),
    personal("company_invitations", "email", C::Contact, P::Account, B::Contract, R::DaysAfterSending(30), E::Delete),
    personal("company_invitations", "token_hash", C::Login, P::Account, B::Contract, R::DaysAfterSending(30), E::Delete),
    personal("orders", "company_id", C::Business, P::Bookkeeping, B::LegalObligation, R::SevenYearsFiscal, E::KeepForTax),
    personal("orders", "on_account", C::Financial, P::Bookkeeping, B::LegalObligation, R::SevenYearsFiscal, E::KeepForTax),
    personal("orders", "po_number", C::Business, P::Bookkeeping, B::LegalObligation, R::SevenYearsFiscal, E::KeepForTax),
    personal("orders", "invoice_id", C::Financial, P::Bookkeeping, B::LegalObligation, R::SevenYearsFiscal, E::KeepForTax),
    personal("invoices", "buyer_name", C::Business, P::Bookkeeping, B::LegalObligation, R::SevenYearsFiscal, E::KeepForTax),
    personal("invoices", "buyer_address", C::Address, P::Bookkeeping, B::LegalObligation, R::SevenYearsFiscal, E::KeepForTax),
    personal("invoices", "buyer_kvk", C::Business, P::Bookkeeping, B::LegalObligation, R::SevenYearsFiscal, E::KeepForTax),
    personal("invoices", "buyer_vat_id", C::Business, P::Bookkeeping, B::LegalObligation, R::SevenYearsFiscal, E::KeepForTax),
    personal("invoices", "net_reduced_cents", C::Financial, P::Bookkeeping, B::LegalObligation, R::SevenYearsFiscal, E::KeepForTax),
    personal("invoices", "vat_reduced_cents", C::Financial, P::Bookkeeping, B::LegalObligation, R::SevenYearsFiscal, E::KeepForTax),
    personal("invoices", "net_standard_cents", C::Financial, P::Bookkeeping, B::LegalObligation, R::SevenYearsFiscal, E::KeepForTax),
    personal("invoices", "vat_standard_cents", C::Financial, P::Bookkeeping, B::LegalObligation, R::SevenYearsFiscal, E::KeepForTax),
    personal("invoices", "total_cents", C::Financial, P::Bookkeeping, B::LegalObligation, R::SevenYearsFiscal, E::KeepForTax),
    // Privacy self-service: newsletter (only with consent, P8), the consent ledger that proves
    // each consent (P2), saved occasions (P3: a name, a day and a month), the privacy statement
    // version accepted (P19), and what is logged about exports and erasures (P9, P14).
    personal("newsletter_subscribers", "email", C::Contact, P::Marketing, B::Consent, R::TwoYearsAfterLastActivity, E::Delete),
    personal("newsletter_subscribers", "lang", C::Preferences, P::Marketing, B::Consent, R::TwoYearsAfterLastActivity, E::Delete),
    personal("newsletter_subscribers", "customer_id", C::Preferences, P::Marketing, B::Consent, R::TwoYearsAfterLastActivity, E::Delete),
    personal("newsletter_subscribers", "source", C::Preferences, P::Marketing, B::Consent, R::TwoYearsAfterLastActivity, E::Delete),
    personal("newsletter_subscribers", "confirm_token_hash", C::Technical, P::Marketing, B::Consent, R::TwoYearsAfterLastActivity, E::Delete),
    personal("newsletter_subscribers", "confirm_expires_at", C::Technical, P::Marketing, B::Consent, R::TwoYearsAfterLastActivity, E::Delete),
    personal("newsletter_subscribers", "confirmed_at", C::Preferences, P::Marketing, B::Consent, R::TwoYearsAfterLastActivity, E::Delete),
    personal("newsletter_subscribers", "unsubscribe_token", C::Technical, P::Marketing, B::Consent, R::TwoYearsAfterLastActivity, E::Delete),
    personal("newsletter_subscribers", "unsubscribed_at", C::Preferences, P::Marketing, B::Consent, R::TwoYearsAfterLastActivity, E::Delete),
    personal("newsletter_subscribers", "created_at", C::Technical, P::Marketing, B::Consent, R::TwoYearsAfterLastActivity, E::Delete),
    personal("consent_events", "customer_id", C::Preferences, P::Accountability, B::LegalObligation, R::TwoYearsAfterLastActivity, E::Null),
    personal("consent_events", "subscriber_id", C::Preferences, P::Accountability, B::LegalObligation, R::TwoYearsAfterLastActivity, E::Null),
    personal("consent_events", "purpose", C::Preferences, P::Accountability, B::LegalObligation, R::TwoYearsAfterLastActivity, E::KeepUnlinked),
    personal("consent_events", "granted", C::Preferences, P::Accountability, B::LegalObligation, R::TwoYearsAfterLastActivity, E::KeepUnlinked),
    personal("consent_events", "wording_version", C::Preferences, P::Accountability, B::LegalObligation, R::TwoYearsAfterLastActivity, E::KeepUnlinked),
    personal("consent_events", "source", C::Preferences, P::Accountability, B::LegalObligation, R::TwoYearsAfterLastActivity, E::KeepUnlinked),
    personal("consent_events", "created_at", C::Preferences, P::Accountability, B::LegalObligation, R::TwoYearsAfterLastActivity, E::KeepUnlinked),
    personal("customer_occasions", "label", C::FreeText, P::OccasionReminders, B::Consent, R::TwoYearsAfterLastActivity, E::Delete),
    personal("customer_occasions", "month", C::Preferences, P::OccasionReminders, B::Consent, R::TwoYearsAfterLastActivity, E::Delete),
    personal("customer_occasions", "day", C::Preferences, P::OccasionReminders, B::Consent, R::TwoYearsAfterLastActivity, E::Delete),
    personal("customer_occasions", "last_reminded_year", C::Technical, P::OccasionReminders, B::Consent, R::TwoYearsAfterLastActivity, E::Delete),
    personal("customer_occasions", "created_at", C::Technical, P::OccasionReminders, B::Consent, R::TwoYearsAfterLastActivity, E::Delete),
    // When the account was warned that it will be erased for two years without activity (P15).
    personal("customers", "retention_warned_at", C::Technical, P::Account, B::LegitimateInterest, R::TwoYearsAfterLastActivity, E::Delete),
    personal("customers", "privacy_version", C::Preferences, P::Accountability, B::LegalObligation, R::TwoYearsAfterLastActivity, E::Delete),
    personal("customers", "privacy_accepted_at", C::Preferences, P::Accountability, B::LegalObligation, R::TwoYearsAfterLastActivity, E::Delete),
    personal("audit_log", "action", C::Technical, P::Accountability, B::LegalObligation, R::TwoYearsAfterLastActivity, E::KeepUnlinked),
    personal("audit_log", "customer_id", C::Technical, P::Accountability, B::LegalObligation, R::TwoYearsAfterLastActivity, E::Null),
    personal("audit_log", "created_at", C::Technical, P::Accountability, B::LegalObligation, R::TwoYearsAfterLastActivity, E::KeepUnlinked),
    // Which staff member looked, and at what (`order:12`): the record P14 promises.
    personal("audit_log", "staff_id", C::Technical, P::Accountability, B::LegalObligation, R::TwoYearsAfterLastActivity, E::KeepUnlinked),
    personal("audit_log", "subject", C::Technical, P::Accountability, B::LegalObligation, R::TwoYearsAfterLastActivity, E::KeepUnlinked),
    // Which order's delivery details went to whom outside the office (P10); after an erasure the
    // order is anonymised, so the entry points at no one.
    personal("disclosures", "order_id", C::Technical, P::Accountability, B::LegalObligation, R::TwoYearsAfterLastActivity, E::KeepUnlinked),
    personal("disclosures", "kind", C::Technical, P::Accountability, B::LegalObligation, R::TwoYearsAfterLastActivity, E::KeepUnlinked),
    personal("disclosures", "created_at", C::Technical, P::Accountability, B::LegalObligation, R::TwoYearsAfterLastActivity, E::KeepUnlinked),
    personal("disclosures", "recipient_staff_id", C::Technical, P::StaffAdministration, B::LegalObligation, R::TwoYearsAfterLastActivity, E::KeepUnlinked),
    // A disclosure staff recorded (a police request, say): kept as the record P10 promises; after
    // an erasure it no longer names the person or what was sent about them.
    personal("disclosure_records", "customer_id", C::Technical, P::Accountability, B::LegalObligation, R::TwoYearsAfterLastActivity, E::Null),
    personal("disclosure_records", "order_id", C::Technical, P::Accountability, B::LegalObligation, R::TwoYearsAfterLastActivity, E::Null),
    personal("disclosure_records", "data_sent", C::FreeText, P::Accountability, B::LegalObligation, R::TwoYearsAfterLastActivity, E::Anonymise),
    personal("disclosure_records", "recipient", C::Technical, P::Accountability, B::LegalObligation, R::TwoYearsAfterLastActivity, E::KeepUnlinked),
    personal("disclosure_records", "legal_basis", C::Technical, P::Accountability, B::LegalObligation, R::TwoYearsAfterLastActivity, E::KeepUnlinked),
    personal("disclosure_records", "disclosed_on", C::Technical, P::Accountability, B::LegalObligation, R::TwoYearsAfterLastActivity, E::KeepUnlinked),
    personal("disclosure_records", "staff_id", C::Technical, P::StaffAdministration, B::LegalObligation, R::TwoYearsAfterLastActivity, E::KeepUnlinked),
    personal("erasure_log", "subject_hash", C::Technical, P::Accountability, B::LegalObligation, R::WhileBackupsExist, E::KeepAsProof),
    personal("erasure_log", "erased_at", C::Technical, P::Accountability, B::LegalObligation, R::WhileBackupsExist, E::KeepAsProof),
    personal("outbox", "customer_id", C::Contact, P::OrderFulfilment, B::Contract, R::DaysAfterSending(30), E::Delete),
    // A question or complaint (P7): who sent it, where the answer goes, what it is about, and
    // the thread of answers; deleted a year after it was handled, or with the account.
    personal("contact_messages", "name", C::Contact, P::CustomerService, B::LegitimateInterest, R::YearAfterHandling, E::Delete),
    personal("contact_messages", "email", C::Contact, P::CustomerService, B::LegitimateInterest, R::YearAfterHandling, E::Delete),
    personal("contact_messages", "order_number", C::Orders, P::CustomerService, B::LegitimateInterest, R::YearAfterHandling, E::Delete),
    personal("contact_messages", "body", C::FreeText, P::CustomerService, B::LegitimateInterest, R::YearAfterHandling, E::Delete),
    personal("contact_messages", "customer_id", C::Contact, P::CustomerService, B::LegitimateInterest, R::YearAfterHandling, E::Delete),
    personal("contact_messages", "created_at", C::Technical, P::CustomerService, B::LegitimateInterest, R::YearAfterHandling, E::Delete),
    personal("contact_replies", "body", C::FreeText, P::CustomerService, B::LegitimateInterest, R::YearAfterHandling, E::Delete),
    personal("contact_replies", "created_at", C::Technical, P::CustomerService, B::LegitimateInterest, R::YearAfterHandling, E::Delete),
    // Which staff member answered: about them, not about the customer.
    personal("contact_replies", "staff_id", C::Technical, P::StaffAdministration, B::LegitimateInterest, R::YearAfterHandling, E::Delete),
    // A privacy request made by post, e-mail or phone (P16-P18): who asked, where the letters go,
    // how identity was checked (of an ID document only its type and last four characters) and
    // the outcome. After an erasure only the kind and dates stay, as proof it was handled.
    personal("privacy_requests", "requester_name", C::Contact, P::CustomerService, B::LegalObligation, R::TwoYearsAfterHandling, E::Anonymise),
    personal("privacy_requests", "requester_email", C::Contact, P::CustomerService, B::LegalObligation, R::TwoYearsAfterHandling, E::Anonymise),
    personal("privacy_requests", "customer_id", C::Contact, P::CustomerService, B::LegalObligation, R::TwoYearsAfterHandling, E::Null),
    personal("privacy_requests", "details", C::FreeText, P::CustomerService, B::LegalObligation, R::TwoYearsAfterHandling, E::Null),
    personal("privacy_requests", "extension_reason", C::FreeText, P::CustomerService, B::LegalObligation, R::TwoYearsAfterHandling, E::Null),
    personal("privacy_requests", "identity", C::Technical, P::CustomerService, B::LegalObligation, R::TwoYearsAfterHandling, E::Null),
    personal("privacy_requests", "identity_checked_at", C::Technical, P::CustomerService, B::LegalObligation, R::TwoYearsAfterHandling, E::Null),
    personal("privacy_requests", "document_type", C::Technical, P::CustomerService, B::LegalObligation, R::TwoYearsAfterHandling, E::Null),
    personal("privacy_requests", "document_last_four", C::Technical, P::CustomerService, B::LegalObligation, R::TwoYearsAfterHandling, E::Null),
    personal("privacy_requests", "confirm_token_hash", C::Technical, P::CustomerService, B::LegalObligation, R::TwoYearsAfterHandling, E::Null),
    personal("privacy_requests", "confirm_expires_at", C::Technical, P::CustomerService, B::LegalObligation, R::TwoYearsAfterHandling, E::Null),
    personal("privacy_requests", "download_token_hash", C::Technical, P::CustomerService, B::LegalObligation, R::TwoYearsAfterHandling, E::Null),
    personal("privacy_requests", "download_expires_at", C::Technical, P::CustomerService, B::LegalObligation, R::TwoYearsAfterHandling, E::Null),
    personal("privacy_requests", "outcome", C::FreeText, P::CustomerService, B::LegalObligation, R::TwoYearsAfterHandling, E::Null),
    // Which staff member checked identity and recorded the request: about them.
    personal("privacy_requests", "identity_staff_id", C::Technical, P::StaffAdministration, B::LegalObligation, R::TwoYearsAfterHandling, E::KeepUnlinked),
    personal("privacy_requests", "staff_id", C::Technical, P::StaffAdministration, B::LegalObligation, R::TwoYearsAfterHandling, E::KeepUnlinked),
    personal("outbox", "list_unsubscribe", C::Technical, P::Marketing, B::Consent, R::DaysAfterSending(30), E::Delete),
];

/// Every other column, declared non-personal.
pub const NON_PERSONAL: &[NonPersonalTable] = &[
    NonPersonalTable {
        table: "__diesel_schema_migrations",
        columns: &["version", "run_on"],
        reason: "which database migrations ran and when",
    },
    NonPersonalTable {
        table: "app_meta",
        columns: &["key", "value"],
        reason: "facts about the database itself, such as when the demo catalogue was loaded",
    },
    NonPersonalTable {
        table: "delivery_zones",
        columns: &[
            "id",
            "name",
            "postcode_from",
            "postcode_to",
            "fee_cents",
            "position",
        ],
        reason: "the areas the shop delivers to and their fees",
    },
    NonPersonalTable {
        table: "calendar_overrides",
        columns: &["day", "open", "note", "capacity", "cutoff"],
        reason: "days the shop opens or closes against its usual week",
    },
    NonPersonalTable {
        table: "delivery_days",
        columns: &["day", "booked"],
        reason: "how many orders each delivery date holds",
    },
    NonPersonalTable {
        table: "orders",
        columns: &[
            "id",
            "number",
            "payment_expires_at",
            "created_at",
            "updated_at",
            "lang",
        ],
        reason: "keys and timestamps of an order (its number), and the language its mails are in \
                 (one of two, shared by thousands: it identifies no one)",
    },
    NonPersonalTable {
        table: "order_lines",
        columns: &["id", "order_id", "position"],
        reason: "keys of order lines",
    },
    NonPersonalTable {
        table: "order_line_addons",
        columns: &["id", "line_id"],
        reason: "keys of add-ons on order lines",
    },
    NonPersonalTable {
        table: "refunds",
        columns: &["id", "order_id", "payment_id", "created_at", "updated_at"],
        reason: "keys and timestamps of refunds",
    },
    NonPersonalTable {
        table: "payments",
        columns: &["id", "order_id", "created_at", "updated_at", "checkout_url"],
        reason: "keys and timestamps of payments, and the provider's page to pay an open one",
    },
    NonPersonalTable {
        table: "staff",
        columns: &["id", "role", "active", "created_at"],
        reason: "staff account keys, roles and state",
    },
    NonPersonalTable {
        table: "staff_recovery_codes",
        columns: &["id", "staff_id"],
        reason: "keys of staff members' recovery codes",
    },
    NonPersonalTable {
        table: "disclosures",
        columns: &["id"],
        reason: "key of a disclosure",
    },
    NonPersonalTable {
        table: "order_events",
        columns: &["id", "order_id", "from_status", "to_status", "created_at"],
        reason: "when an order changed status",
    },
    NonPersonalTable {
        table: "outbox",
        columns: &[
            "id",
            "status",
            "attempts",
            "next_attempt_at",
            "claimed_by",
            "claimed_until",
            "created_at",
            "sent_at",
            "erase_after_sending",
        ],
        reason: "delivery state of queued e-mails (which instance sends, retries, when)",
    },
    NonPersonalTable {
        table: "categories",
        columns: &[
            "id",
            "slug",
            "name_nl",
            "name_en",
            "description_nl",
            "description_en",
            "position",
        ],
        reason: "the shop's product categories",
    },
    NonPersonalTable {
        table: "occasions",
        columns: &["id", "slug", "name_nl", "name_en", "position"],
        reason: "occasions products are offered for",
    },
    NonPersonalTable {
        table: "products",
        columns: &[
            "id",
            "slug",
            "category_id",
            "name_nl",
            "name_en",
            "description_nl",
            "description_en",
            "vat_rate",
            "lead_time_days",
            "active",
            "is_addon",
            "image",
            "position",
            "created_at",
            "updated_at",
            "photo",
        ],
        reason: "the shop's products",
    },
    NonPersonalTable {
        table: "product_variants",
        columns: &[
            "id",
            "product_id",
            "size",
            "price_cents",
            "description_nl",
            "description_en",
            "active",
        ],
        reason: "sizes and prices of products",
    },
    NonPersonalTable {
        table: "product_photos",
        columns: &[
            "id",
            "product_id",
            "photo",
            "width",
            "height",
            "bytes",
            "created_at",
        ],
        reason: "product photos in the widths the shop serves (flowers, not people)",
    },
    NonPersonalTable {
        table: "product_occasions",
        columns: &["product_id", "occasion_id"],
        reason: "which products suit which occasion",
    },
    NonPersonalTable {
        table: "product_addons",
        columns: &["product_id", "addon_id"],
        reason: "which add-ons a product offers",
    },
    NonPersonalTable {
        table: "customers",
        columns: &["id", "session_version"],
        reason: "account keys, and a counter that ends old logins after a password change",
    },
    NonPersonalTable {
        table: "customer_logins",
        columns: &["id", "customer_id"],
        reason: "keys of open customer logins",
    },
    NonPersonalTable {
        table: "staff_changes",
        columns: &["id", "subject", "summary", "created_at"],
        reason: "what changed in the shop's calendar, zones and catalogue (no customer data)",
    },
    NonPersonalTable {
        table: "staff_logins",
        columns: &["id", "staff_id"],
        reason: "keys of open staff logins",
    },
    NonPersonalTable {
        table: "customer_tokens",
        columns: &["id", "customer_id"],
        reason: "keys of single-use account links",
    },
    NonPersonalTable {
        table: "customer_addresses",
        columns: &["id", "customer_id"],
        reason: "keys of address-book entries",
    },
    NonPersonalTable {
        table: "companies",
        columns: &["id", "approved_at", "created_at"],
        reason: "company keys and when the shop approved them",
    },
    NonPersonalTable {
        table: "company_users",
        columns: &["id", "company_id", "created_at"],
        reason: "keys of company memberships",
    },
    NonPersonalTable {
        table: "company_invitations",
        columns: &[
            "id",
            "company_id",
            "role",
            "expires_at",
            "accepted_at",
            "created_at",
        ],
        reason: "keys and state of invitations",
    },
    NonPersonalTable {
        table: "newsletter_subscribers",
        columns: &["id"],
        reason: "keys of newsletter subscriptions",
    },
    NonPersonalTable {
        table: "consent_events",
        columns: &["id"],
        reason: "keys of consent ledger entries",
    },
    NonPersonalTable {
        table: "customer_occasions",
        columns: &["id", "customer_id"],
        reason: "keys of saved occasions",
    },
    NonPersonalTable {
        table: "audit_log",
        columns: &["id"],
        reason: "keys of audit entries",
    },
    NonPersonalTable {
        table: "contact_messages",
        columns: &["id", "kind", "status", "lang", "updated_at"],
        reason: "keys and state of questions and complaints, and the language to answer in",
    },
    NonPersonalTable {
        table: "privacy_requests",
        columns: &[
            "id",
            "kind",
            "channel",
            "received_on",
            "due_on",
            "status",
            "closed_at",
            "created_at",
        ],
        reason: "what kind of privacy request came in how and when, when it was due and handled: proof the four weeks were kept (P17)",
    },
    NonPersonalTable {
        table: "disclosure_records",
        columns: &["id", "created_at"],
        reason: "keys of recorded disclosures and when they were recorded",
    },
    NonPersonalTable {
        table: "processors",
        columns: &[
            "id",
            "role",
            "name",
            "purpose_nl",
            "purpose_en",
            "data_nl",
            "data_en",
            "agreement_on",
            "location",
            "updated_at",
        ],
        reason: "the companies that process data for the shop: the processor register (P10)",
    },
    NonPersonalTable {
        table: "contact_replies",
        columns: &["id", "message_id"],
        reason: "keys of answers to questions and complaints",
    },
    NonPersonalTable {
        table: "erasure_log",
        columns: &["id"],
        reason: "keys of erasure entries",
    },
    NonPersonalTable {
        table: "invoices",
        columns: &[
            "id",
            "sequence",
            "number",
            "company_id",
            "month",
            "issued_on",
            "due_on",
            "seller_name",
            "seller_address",
            "seller_kvk",
            "seller_vat_id",
            "created_at",
        ],
        reason: "invoice numbers and dates, and the shop's own details",
    },
];

#[cfg(test)]
mod personal_tests {
    use super::*;

    #[test]
    fn the_courier_and_card_details_are_kept_only_until_shortly_after_delivery() {
        for column in [
            "recipient_name",
            "recipient_street",
            "card_message",
            "delivery_instructions",
        ] {
            let entry = PERSONAL_COLUMNS
                .iter()
                .find(|c| c.table == "orders" && c.column == column)
                .unwrap();
            assert_eq!(entry.retention, AFTER_DELIVERY, "{column}");
        }
    }
}
