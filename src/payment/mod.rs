//! Payments behind one provider interface ([`PaymentProvider`]): Mollie's v2 payments API when an
//! API key is configured, else the built-in test provider with its clearly marked "Testbetaling"
//! page. The provider's word about a payment is the only thing that changes an order's payment
//! state: a webhook only names a payment, whose real status is then fetched from the provider,
//! and a customer's browser returning from the payment page changes nothing by itself.

pub mod mollie;
pub mod repo;

use std::future::Future;

use serde::{Deserialize, Serialize};

use crate::db::Db;
use crate::i18n::Lang;
use crate::money::Money;

/// A payment's state as the provider reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PaymentStatus {
    /// Created, not finished (Mollie's `open`, `pending` and `authorized`).
    Open,
    /// Paid.
    Paid,
    /// Refused by the bank or card issuer.
    Failed,
    /// Cancelled by the customer.
    Canceled,
    /// Not finished in time.
    Expired,
}

impl PaymentStatus {
    /// The stored text form (also Mollie's word for it).
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentStatus::Open => "open",
            PaymentStatus::Paid => "paid",
            PaymentStatus::Failed => "failed",
            PaymentStatus::Canceled => "canceled",
            PaymentStatus::Expired => "expired",
        }
    }

    /// Parses the stored text form.
    pub fn parse(s: &str) -> Option<PaymentStatus> {
        [
            PaymentStatus::Open,
            PaymentStatus::Paid,
            PaymentStatus::Failed,
            PaymentStatus::Canceled,
            PaymentStatus::Expired,
        ]
        .into_iter()
        .find(|status| status.as_str() == s)
    }
}

/// What the shop asks a provider to collect.
#[derive(Debug, Clone)]
pub struct PaymentRequest {
    /// The amount, in euros.
    pub amount: Money,
    /// What the customer sees on the payment page and their bank statement (the order number).
    pub description: String,
    /// Where the provider sends the customer back to (the order's status page).
    pub return_url: String,
    /// Where the provider reports changes, when the shop is reachable from the internet.
    pub webhook_url: Option<String>,
    /// The customer's language, for the provider's page.
    pub lang: Lang,
    /// The shop's order id, kept with the payment at the provider for reconciliation.
    pub order_id: i64,
}

/// A payment the provider created.
#[derive(Debug, Clone)]
pub struct CreatedPayment {
    /// The provider's id for it.
    pub id: String,
    /// Where to send the customer to pay.
    pub checkout_url: String,
}

/// A payment as the provider reports it now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchedPayment {
    /// Its state.
    pub status: PaymentStatus,
    /// The amount the provider collects (compared with the order's before a payment counts).
    pub amount: Money,
}

/// What the shop asks a provider to send back to the customer.
#[derive(Debug, Clone)]
pub struct RefundRequest {
    /// The provider's id of the payment refunded.
    pub payment_id: String,
    /// How much, in euros (at most what is left of the payment).
    pub amount: Money,
    /// What the customer sees on their bank statement (the order number).
    pub description: String,
    /// The same key for every attempt at one refund, so a repeated request after a lost answer
    /// never pays twice.
    pub idempotency_key: String,
}

/// A refund the provider accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedRefund {
    /// The provider's id for it.
    pub id: String,
}

/// Why a provider call did not give an answer the shop can use.
#[derive(Debug, thiserror::Error)]
pub enum ProviderError {
    /// No answer in time, or the provider failed (worth retrying later).
    #[error("payment provider unreachable: {0}")]
    Unreachable(String),
    /// The provider refused the request.
    #[error("payment provider refused the request: {0}")]
    Refused(String),
    /// The provider does not know this payment.
    #[error("payment unknown to the provider")]
    Unknown,
    /// An answer the shop cannot read.
    #[error("unreadable answer from the payment provider: {0}")]
    Invalid(String),
}

/// A payment service the shop can send customers to.
pub trait PaymentProvider {
    /// The stored name of the provider.
    fn name(&self) -> &'static str;

    /// Creates a payment and says where the customer pays it.
    fn create(
        &self,
        request: &PaymentRequest,
    ) -> impl Future<Output = Result<CreatedPayment, ProviderError>> + Send;

    /// The payment's current state, from the provider's own records.
    fn fetch(&self, id: &str)
    -> impl Future<Output = Result<FetchedPayment, ProviderError>> + Send;

    /// Sends (part of) a paid payment back to the customer.
    fn refund(
        &self,
        request: &RefundRequest,
    ) -> impl Future<Output = Result<CreatedRefund, ProviderError>> + Send;
}

/// The built-in test provider. It keeps no books of its own: the shop's payments table is its
/// ledger, and its "Testbetaling" page settles payments there.
#[derive(Clone)]
pub struct TestProvider {
    db: Db,
}

impl TestProvider {
    fn new_payment() -> CreatedPayment {
        let id = format!("tst_{}", crate::domain::token::random_hex(12));
        CreatedPayment {
            checkout_url: format!("/testbetaling/{id}"),
            id,
        }
    }
}

impl PaymentProvider for TestProvider {
    fn name(&self) -> &'static str {
        "test"
    }

    async fn create(&self, _request: &PaymentRequest) -> Result<CreatedPayment, ProviderError> {
        Ok(TestProvider::new_payment())
    }

    async fn fetch(&self, id: &str) -> Result<FetchedPayment, ProviderError> {
        let id = id.to_owned();
        let row = self
            .db
            .run(move |conn| Ok(repo::find(conn, &id)?))
            .await
            .map_err(|e| ProviderError::Unreachable(e.to_string()))?;
        let row = row.ok_or(ProviderError::Unknown)?;
        Ok(FetchedPayment {
            status: PaymentStatus::parse(&row.status).ok_or(ProviderError::Invalid(row.status))?,
            amount: Money::from_cents(row.amount_cents),
        })
    }

    /// The shop's `refunds` table is the test provider's ledger: accepting is all it does.
    async fn refund(&self, request: &RefundRequest) -> Result<CreatedRefund, ProviderError> {
        Ok(CreatedRefund {
            id: format!("tst_re_{}", request.idempotency_key),
        })
    }
}

/// The provider this shop takes payments with, registered by startup as its own `app_data`;
/// `None` when no payment service is configured (the shop then takes no orders paid online).
#[derive(Clone)]
pub struct Payments(pub Option<Provider>);

impl Payments {
    /// The provider, when one is configured.
    pub fn provider(&self) -> Option<&Provider> {
        self.0.as_ref()
    }
}

/// The configured provider.
#[derive(Clone)]
pub enum Provider {
    /// The built-in test provider.
    Test(TestProvider),
    /// Mollie.
    Mollie(mollie::Mollie),
}

impl Provider {
    /// The provider the configuration asks for: Mollie when an API key is set, else the test
    /// provider when test payments are allowed, else none (the shop then takes no orders).
    pub fn from_config(config: &crate::config::Config, db: &Db) -> Option<Provider> {
        match config.mollie() {
            Some(settings) => Some(Provider::Mollie(mollie::Mollie::new(settings))),
            None if config.test_payments => Some(Provider::Test(TestProvider { db: db.clone() })),
            None => None,
        }
    }

    /// A new payment at once when the provider lives inside the shop, so it can be recorded in
    /// the order's own transaction; `None` for a remote provider, which is asked once the order
    /// (and its number) exists.
    pub fn create_local(&self) -> Option<CreatedPayment> {
        match self {
            Provider::Test(_) => Some(TestProvider::new_payment()),
            Provider::Mollie(_) => None,
        }
    }

    /// Whether the provider keeps its own books, so its word is worth fetching.
    pub fn is_remote(&self) -> bool {
        matches!(self, Provider::Mollie(_))
    }
}

impl PaymentProvider for Provider {
    fn name(&self) -> &'static str {
        match self {
            Provider::Test(p) => p.name(),
            Provider::Mollie(p) => p.name(),
        }
    }

    async fn create(&self, request: &PaymentRequest) -> Result<CreatedPayment, ProviderError> {
        match self {
            Provider::Test(p) => p.create(request).await,
            Provider::Mollie(p) => p.create(request).await,
        }
    }

    async fn fetch(&self, id: &str) -> Result<FetchedPayment, ProviderError> {
        match self {
            Provider::Test(p) => p.fetch(id).await,
            Provider::Mollie(p) => p.fetch(id).await,
        }
    }

    async fn refund(&self, request: &RefundRequest) -> Result<CreatedRefund, ProviderError> {
        match self {
            Provider::Test(p) => p.refund(request).await,
            Provider::Mollie(p) => p.refund(request).await,
        }
    }
}
