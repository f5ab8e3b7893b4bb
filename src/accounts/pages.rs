//! Account page templates.

use askama::Template;

use super::model::{FieldErrors, RegisterForm};
use super::repo::{AddressRow, HistoryRow};
use crate::domain::OrderStatus;
use crate::money::Money;
use crate::web::PageCtx;

/// The message for a field, if it has one.
fn field_error(ctx: &PageCtx, errors: &FieldErrors, field: &str) -> Option<String> {
    errors.get(field).map(|key| ctx.t(*key).into_owned())
}

/// `GET /account/registreren`.
#[derive(Template)]
#[template(path = "accounts/register.html")]
pub struct RegisterPage {
    pub ctx: PageCtx,
    pub form: RegisterForm,
    pub errors: FieldErrors,
    pub wait_minutes: Option<u64>,
}

impl RegisterPage {
    /// The message for a field.
    pub fn error(&self, field: &str) -> Option<String> {
        field_error(&self.ctx, &self.errors, field)
    }
    /// "Try again in … minutes".
    pub fn wait_message(&self) -> Option<String> {
        self.ctx.wait_message(self.wait_minutes)
    }
    /// Whether the age box was ticked.
    pub fn age_confirmed(&self) -> bool {
        self.form.age_confirmed.is_some()
    }
}

/// "Check your mail": the same answer whether or not the address has an account.
#[derive(Template)]
#[template(path = "accounts/check_mail.html")]
pub struct CheckMailPage {
    pub ctx: PageCtx,
    /// Catalogue key of the sentence explaining what was sent.
    pub message_key: &'static str,
}

/// `GET /account/inloggen`.
#[derive(Template)]
#[template(path = "accounts/login.html")]
pub struct LoginPage {
    pub ctx: PageCtx,
    pub email: String,
    pub failed: bool,
    pub unverified: bool,
    pub wait_minutes: Option<u64>,
    /// Where to go after logging in (a local path).
    pub back: String,
}

impl LoginPage {
    /// "Try again in … minutes".
    pub fn wait_message(&self) -> Option<String> {
        self.ctx.wait_message(self.wait_minutes)
    }
}

/// `GET /account/wachtwoord-vergeten`.
#[derive(Template)]
#[template(path = "accounts/forgot.html")]
pub struct ForgotPage {
    pub ctx: PageCtx,
    pub email: String,
    pub error: Option<&'static str>,
    pub wait_minutes: Option<u64>,
}

impl ForgotPage {
    /// The message for the address field.
    pub fn error_text(&self) -> Option<String> {
        self.error.map(|key| self.ctx.t(key).into_owned())
    }

    /// "Try again in … minutes".
    pub fn wait_message(&self) -> Option<String> {
        self.ctx.wait_message(self.wait_minutes)
    }
}

/// `GET /account/wachtwoord-herstellen/{token}`.
#[derive(Template)]
#[template(path = "accounts/reset.html")]
pub struct ResetPage {
    pub ctx: PageCtx,
    pub token: String,
    pub error: Option<&'static str>,
}

impl ResetPage {
    /// The message for the password field.
    pub fn error_text(&self) -> Option<String> {
        self.error.map(|key| self.ctx.t(key).into_owned())
    }
}

/// A link that cannot be used any more, with a form to have a new one sent.
#[derive(Template)]
#[template(path = "accounts/link_problem.html")]
pub struct LinkProblemPage {
    pub ctx: PageCtx,
    /// Whether it expired (rather than was used or replaced).
    pub expired: bool,
    /// Where the "send a new one" form posts.
    pub resend_action: &'static str,
}

/// An order in the history, ready to show.
pub struct HistoryItem {
    pub number: String,
    pub status_key: &'static str,
    pub date: String,
    pub total: Money,
}

impl HistoryItem {
    /// Builds the item from its row.
    pub fn from_row(ctx: &PageCtx, row: &HistoryRow) -> HistoryItem {
        HistoryItem {
            number: row.number.clone(),
            status_key: OrderStatus::parse(&row.status).map_or("status-unknown", |s| s.label_key()),
            date: ctx.lang.date(row.delivery_date),
            total: Money::from_cents(row.total_cents),
        }
    }
}

/// `GET /account`: profile, address-change and password forms, and the order history.
#[derive(Template)]
#[template(path = "accounts/overview.html")]
pub struct AccountPage {
    pub ctx: PageCtx,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub orders: Vec<HistoryItem>,
    pub errors: FieldErrors,
    /// A company the account belongs to, with the role's catalogue key.
    pub company: Option<(String, &'static str)>,
    /// The new address typed, kept when it needs fixing.
    pub new_email: String,
}

impl AccountPage {
    /// The message for a field.
    pub fn error(&self, field: &str) -> Option<String> {
        field_error(&self.ctx, &self.errors, field)
    }
}

/// `GET /account/adressen`.
#[derive(Template)]
#[template(path = "accounts/addresses.html")]
pub struct AddressesPage {
    pub ctx: PageCtx,
    pub addresses: Vec<AddressRow>,
    pub form: super::addresses::AddressForm,
    pub errors: FieldErrors,
}

impl AddressesPage {
    /// The message for a field.
    pub fn error(&self, field: &str) -> Option<String> {
        field_error(&self.ctx, &self.errors, field)
    }
}

/// A page with one button that uses a link from an e-mail.
#[derive(Template)]
#[template(path = "accounts/confirm_link.html")]
pub struct ConfirmLinkPage {
    pub ctx: PageCtx,
    /// Where the button posts.
    pub action: String,
    pub title_key: &'static str,
    pub button_key: &'static str,
    /// Catalogue key of what is wrong with the password typed.
    pub error: Option<&'static str>,
    /// Minutes to wait after too many wrong passwords.
    pub wait_minutes: Option<u64>,
}

impl ConfirmLinkPage {
    /// The message for the password field.
    pub fn error_text(&self) -> Option<String> {
        self.ctx
            .wait_message(self.wait_minutes)
            .or_else(|| self.error.map(|key| self.ctx.t(key).into_owned()))
    }
}

/// Asks before an address is removed from the book.
#[derive(Template)]
#[template(path = "accounts/confirm_delete.html")]
pub struct ConfirmDeletePage {
    pub ctx: PageCtx,
    pub address: AddressRow,
}
