//! Payments behind one provider interface. Today: the built-in test provider, used when no
//! payment-service key is configured, with a clearly marked "Testbetaling" page. The provider's
//! word about a payment is the only thing that changes an order's payment state; a customer's
//! browser returning from the payment page changes nothing by itself.

use serde::{Deserialize, Serialize};

use crate::money::Money;

/// A payment's state as the provider reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PaymentStatus {
    /// Created, not finished.
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

/// A payment the provider created.
#[derive(Debug, Clone)]
pub struct CreatedPayment {
    /// The provider's id for it.
    pub id: String,
    /// Where to send the customer to pay.
    pub checkout_url: String,
}

/// The configured payment provider.
#[derive(Debug, Clone)]
pub enum Provider {
    /// The built-in test provider.
    Test,
}

impl Provider {
    /// The stored name of the provider.
    pub fn name(&self) -> &'static str {
        match self {
            Provider::Test => "test",
        }
    }

    /// Creates a payment of `amount` (the test provider keeps no state of its own: the shop's
    /// payments table is its ledger).
    pub fn create(&self, _amount: Money) -> CreatedPayment {
        match self {
            Provider::Test => {
                let mut bytes = [0u8; 12];
                rand::fill(&mut bytes);
                let id = format!("tst_{}", hex(&bytes));
                CreatedPayment {
                    checkout_url: format!("/testbetaling/{id}"),
                    id,
                }
            }
        }
    }
}

/// Lower-case hex of some bytes.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}
