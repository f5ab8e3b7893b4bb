//! Mollie's v2 payments API (<https://docs.mollie.com/reference/payments-api>): create a payment,
//! send the customer to its checkout page, and fetch a payment's status when Mollie's webhook
//! names it; refund a paid payment. Only `POST /payments`, `GET /payments/{id}` and
//! `POST /payments/{id}/refunds` are used.

use std::time::Duration;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{
    CreatedPayment, CreatedRefund, FetchedPayment, PaymentProvider, PaymentRequest, PaymentStatus,
    ProviderError, RefundRequest,
};
pub use crate::config::payment::MollieSettings;
use crate::i18n::Lang;
use crate::money::Money;

/// A Mollie client.
#[derive(Clone)]
pub struct Mollie {
    http: reqwest::Client,
    settings: MollieSettings,
}

#[derive(Serialize, Deserialize)]
struct Amount {
    currency: String,
    value: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CreateBody<'a> {
    amount: Amount,
    description: &'a str,
    redirect_url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    webhook_url: Option<&'a str>,
    locale: &'static str,
    metadata: Metadata,
}

#[derive(Serialize)]
struct Metadata {
    order_id: i64,
}

#[derive(Deserialize)]
struct PaymentBody {
    id: String,
    status: String,
    amount: Amount,
    #[serde(rename = "_links", default)]
    links: Links,
}

#[derive(Deserialize, Default)]
struct Links {
    checkout: Option<Link>,
}

#[derive(Deserialize)]
struct Link {
    href: String,
}

#[derive(Serialize)]
struct RefundBody<'a> {
    amount: Amount,
    description: &'a str,
}

#[derive(Deserialize)]
struct RefundAnswer {
    id: String,
    status: String,
}

#[derive(Deserialize)]
struct ErrorBody {
    #[serde(default)]
    title: String,
    #[serde(default)]
    detail: String,
}

impl Mollie {
    /// A client for these settings.
    pub fn new(settings: MollieSettings) -> Mollie {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(15))
            .user_agent(concat!("bloei/", env!("CARGO_PKG_VERSION")))
            .build()
            .expect("an HTTP client with rustls builds");
        Mollie { http, settings }
    }

    async fn read<T: serde::de::DeserializeOwned>(
        response: reqwest::Response,
    ) -> Result<T, ProviderError> {
        let status = response.status();
        let body = response
            .bytes()
            .await
            .map_err(|e| ProviderError::Unreachable(e.to_string()))?;
        if status == reqwest::StatusCode::NOT_FOUND {
            return Err(ProviderError::Unknown);
        }
        if status.is_server_error() || status == reqwest::StatusCode::TOO_MANY_REQUESTS {
            return Err(ProviderError::Unreachable(format!("HTTP {status}")));
        }
        if !status.is_success() {
            let reason = serde_json::from_slice::<ErrorBody>(&body)
                .map(|e| format!("{status}: {} {}", e.title, e.detail))
                .unwrap_or_else(|_| format!("HTTP {status}"));
            return Err(ProviderError::Refused(reason));
        }
        serde_json::from_slice(&body).map_err(|e| ProviderError::Invalid(e.to_string()))
    }

    fn unreachable(e: reqwest::Error) -> ProviderError {
        // The error's text can hold the URL, never the key (it travels in a header).
        ProviderError::Unreachable(e.without_url().to_string())
    }
}

impl PaymentProvider for Mollie {
    fn name(&self) -> &'static str {
        "mollie"
    }

    async fn create(&self, request: &PaymentRequest) -> Result<CreatedPayment, ProviderError> {
        let body = CreateBody {
            amount: Amount {
                currency: "EUR".into(),
                value: amount_value(request.amount),
            },
            description: &request.description,
            redirect_url: &request.return_url,
            webhook_url: request.webhook_url.as_deref(),
            locale: match request.lang {
                Lang::Nl => "nl_NL",
                Lang::En => "en_US",
            },
            metadata: Metadata {
                order_id: request.order_id,
            },
        };
        let response = self
            .http
            .post(format!("{}/payments", self.settings.api_url))
            .bearer_auth(&self.settings.api_key)
            .json(&body)
            .send()
            .await
            .map_err(Mollie::unreachable)?;
        let payment: PaymentBody = Mollie::read(response).await?;
        let checkout = payment.links.checkout.ok_or_else(|| {
            ProviderError::Invalid(format!("payment {} has no checkout link", payment.id))
        })?;
        Ok(CreatedPayment {
            id: payment.id,
            checkout_url: checkout.href,
        })
    }

    async fn fetch(&self, id: &str) -> Result<FetchedPayment, ProviderError> {
        if !is_payment_id(id) {
            return Err(ProviderError::Unknown);
        }
        let response = self
            .http
            .get(format!("{}/payments/{id}", self.settings.api_url))
            .bearer_auth(&self.settings.api_key)
            .send()
            .await
            .map_err(Mollie::unreachable)?;
        let payment: PaymentBody = Mollie::read(response).await?;
        if payment.id != id {
            return Err(ProviderError::Invalid(format!(
                "asked for {id}, got {}",
                payment.id
            )));
        }
        if payment.amount.currency != "EUR" {
            return Err(ProviderError::Invalid(format!(
                "payment {id} is in {}",
                payment.amount.currency
            )));
        }
        Ok(FetchedPayment {
            status: status_from(&payment.status)
                .ok_or_else(|| ProviderError::Invalid(format!("status `{}`", payment.status)))?,
            amount: parse_value(&payment.amount.value).ok_or_else(|| {
                ProviderError::Invalid(format!("amount `{}`", payment.amount.value))
            })?,
        })
    }

    async fn refund(&self, request: &RefundRequest) -> Result<CreatedRefund, ProviderError> {
        self.refund_payment(request).await
    }
}

impl Mollie {
    /// `POST /payments/{id}/refunds` with an idempotency key, so a retry after a lost answer
    /// is answered with the first refund instead of a second one.
    async fn refund_payment(
        &self,
        request: &RefundRequest,
    ) -> Result<CreatedRefund, ProviderError> {
        if !is_payment_id(&request.payment_id) {
            return Err(ProviderError::Unknown);
        }
        let body = RefundBody {
            amount: Amount {
                currency: "EUR".into(),
                value: amount_value(request.amount),
            },
            description: &request.description,
        };
        let response = self
            .http
            .post(format!(
                "{}/payments/{}/refunds",
                self.settings.api_url, request.payment_id
            ))
            .bearer_auth(&self.settings.api_key)
            .header("Idempotency-Key", &request.idempotency_key)
            .json(&body)
            .send()
            .await
            .map_err(Mollie::unreachable)?;
        let refund: RefundAnswer = Mollie::read(response).await?;
        if matches!(refund.status.as_str(), "failed" | "canceled") {
            return Err(ProviderError::Refused(format!(
                "refund {} is {}",
                refund.id, refund.status
            )));
        }
        Ok(CreatedRefund { id: refund.id })
    }
}

/// Mollie's statuses in the shop's terms: `pending` and `authorized` are not final yet.
fn status_from(mollie: &str) -> Option<PaymentStatus> {
    Some(match mollie {
        "open" | "pending" | "authorized" => PaymentStatus::Open,
        "paid" => PaymentStatus::Paid,
        "failed" => PaymentStatus::Failed,
        "canceled" => PaymentStatus::Canceled,
        "expired" => PaymentStatus::Expired,
        _ => return None,
    })
}

/// Mollie wants amounts as a string with exactly two decimals: `"24.95"`.
fn amount_value(amount: Money) -> String {
    format!("{:.2}", amount.to_decimal())
}

fn parse_value(value: &str) -> Option<Money> {
    let euros: Decimal = value.parse().ok()?;
    (euros.scale() <= 2).then_some(())?;
    Money::from_decimal_euros(euros)
}

/// Mollie payment ids look like `tr_WDqYK6vllg`; anything else is never sent to the API.
pub fn is_payment_id(id: &str) -> bool {
    id.len() <= 64
        && id
            .strip_prefix("tr_")
            .is_some_and(|rest| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Whether Mollie could reach a webhook at this public URL: not at a loopback or private name,
/// which Mollie refuses when a payment is created.
pub fn reachable_from_internet(public_url: &str) -> bool {
    let host = public_url
        .split("://")
        .nth(1)
        .and_then(|rest| rest.split(['/', ':']).next())
        .unwrap_or_default();
    if let Ok(ip) = host.parse::<std::net::Ipv4Addr>() {
        return !(ip.is_loopback() || ip.is_private() || ip.is_link_local() || ip.is_unspecified());
    }
    !(host == "localhost"
        || host.ends_with(".localhost")
        || host.ends_with(".local")
        || host.ends_with(".internal")
        || host.starts_with('['))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_sent_with_two_decimals_and_read_back_to_the_cent() {
        assert_eq!(amount_value(Money::from_cents(2495)), "24.95");
        assert_eq!(amount_value(Money::from_cents(500)), "5.00");
        assert_eq!(amount_value(Money::from_cents(7)), "0.07");
        assert_eq!(parse_value("24.95"), Some(Money::from_cents(2495)));
        assert_eq!(parse_value("5.00"), Some(Money::from_cents(500)));
        assert_eq!(parse_value("5.001"), None);
        assert_eq!(parse_value("abc"), None);
    }

    #[test]
    fn pending_and_authorized_payments_are_not_final() {
        assert_eq!(status_from("pending"), Some(PaymentStatus::Open));
        assert_eq!(status_from("authorized"), Some(PaymentStatus::Open));
        assert_eq!(status_from("paid"), Some(PaymentStatus::Paid));
        assert_eq!(status_from("refunded"), None);
    }

    #[test]
    fn only_mollie_shaped_payment_ids_reach_the_api() {
        assert!(is_payment_id("tr_WDqYK6vllg"));
        assert!(!is_payment_id("tr_"));
        assert!(!is_payment_id("tr_../../customers"));
        assert!(!is_payment_id("tst_abc"));
    }

    #[test]
    fn webhooks_are_only_offered_at_addresses_mollie_can_reach() {
        assert!(reachable_from_internet("https://www.bloemen.nl"));
        assert!(reachable_from_internet("http://winkel.example:8080"));
        assert!(!reachable_from_internet("http://127.0.0.1:8080"));
        assert!(!reachable_from_internet("http://localhost:8080"));
        assert!(!reachable_from_internet("http://[::1]:8080"));
        assert!(!reachable_from_internet("http://192.168.1.4"));
        assert!(!reachable_from_internet("http://172.20.0.5:8080"));
        assert!(!reachable_from_internet("http://bloemen.local"));
        assert!(reachable_from_internet("http://172.32.0.1"));
    }
}
