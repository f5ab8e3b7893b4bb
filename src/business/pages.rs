//! Company page templates, including the printable invoice.

use askama::Template;

use super::invoice::{InvoiceRow, InvoicedOrder};
use super::model::CompanyForm;
use super::repo::{CompanyRow, UserRow};
use crate::accounts::model::FieldErrors;
use crate::accounts::pages::HistoryItem;
use crate::money::Money;
use crate::web::PageCtx;

/// `GET /zakelijk/registreren`.
#[derive(Template)]
#[template(path = "business/register.html")]
pub struct RegisterCompanyPage {
    pub ctx: PageCtx,
    pub form: CompanyForm,
    pub errors: FieldErrors,
}

impl RegisterCompanyPage {
    /// The message for a field.
    pub fn error(&self, field: &str) -> Option<String> {
        self.errors.get(field).map(|k| self.ctx.t(*k).into_owned())
    }
}

/// An order in the company's list.
pub struct CompanyOrder {
    pub item: HistoryItem,
    pub po_number: String,
    pub placed_by: String,
}

/// `GET /zakelijk`: the company's details, users, orders and invoices.
#[derive(Template)]
#[template(path = "business/company.html")]
pub struct CompanyPage {
    pub ctx: PageCtx,
    pub company: CompanyRow,
    pub is_admin: bool,
    /// `NL** **** **** **** 4300`, when the company pays by direct debit (admins only).
    pub iban_masked: Option<String>,
    pub users: Vec<UserRow>,
    pub me: i64,
    pub invitations: Vec<(String, String)>,
    pub orders: Vec<CompanyOrder>,
    pub invoices: Vec<InvoiceRow>,
    pub invite_error: Option<&'static str>,
    pub invite_email: String,
}

impl CompanyPage {
    /// Catalogue key of a stored role.
    pub fn role_key(&self, role: &str) -> &'static str {
        super::model::CompanyRole::parse(role).map_or("business-role-orderer", |r| r.label_key())
    }
}

/// Asks before a user is removed from the company.
#[derive(Template)]
#[template(path = "business/confirm_remove.html")]
pub struct ConfirmRemovePage {
    pub ctx: PageCtx,
    pub user: UserRow,
}

/// An invitation link: accept, or log in first.
#[derive(Template)]
#[template(path = "business/invitation.html")]
pub struct InvitationPage {
    pub ctx: PageCtx,
    pub token: String,
    pub logged_in: bool,
    /// Catalogue key of why it cannot be accepted.
    pub problem: Option<&'static str>,
}

/// The printable invoice.
#[derive(Template)]
#[template(path = "business/invoice.html")]
pub struct InvoicePage {
    pub ctx: PageCtx,
    pub invoice: InvoiceRow,
    pub orders: Vec<(InvoicedOrder, Vec<String>)>,
}

impl InvoicePage {
    /// An amount in cents, shown.
    pub fn cents(&self, cents: &i64) -> crate::money::Shown {
        self.ctx.money(Money::from_cents(*cents))
    }

    /// A date in the page's language.
    pub fn date(&self, date: &chrono::NaiveDate) -> String {
        self.ctx.lang.date(*date)
    }
}
