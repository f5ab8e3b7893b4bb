//! Paying for a placed order, the rules behind the payment routes: where the customer goes next
//! and recording a payment the provider created. A payment's state only ever changes from what
//! the provider itself reports.

use super::repo;
use crate::db::DbConn;
use crate::domain::OrderStatus;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::payment::repo as payments;
use crate::payment::{CreatedPayment, PaymentProvider};

/// The order's status page.
pub fn status_url(token: &str) -> String {
    format!("/bestelling/{token}")
}

/// Where the customer pays an open payment.
pub fn checkout_url(open: &payments::OpenPayment) -> String {
    open.checkout_url
        .clone()
        .unwrap_or_else(|| format!("/testbetaling/{}", open.provider_payment_id))
}

/// What the provider is asked to collect for an order: `amount`, described by the shop's name
/// and the order number, returning to the order's status page, with the webhook when Mollie
/// can reach the shop.
pub fn request(
    mail: &crate::mail::messages::MailContext,
    order_id: i64,
    amount: crate::money::Money,
    number: &str,
    lang: Lang,
    token: &str,
) -> crate::payment::PaymentRequest {
    let public = &mail.public_url;
    crate::payment::PaymentRequest {
        amount,
        description: format!("{} {number}", mail.shop_name),
        return_url: format!("{public}{}", status_url(token)),
        webhook_url: crate::payment::mollie::reachable_from_internet(public)
            .then(|| format!("{public}/betaling/webhook")),
        lang,
        order_id,
    }
}

/// What to do next for an order.
pub enum Next {
    /// Send the customer here.
    Go(String),
    /// Create a payment of `(total cents, number, language, status token)`.
    Create(i64, String, Lang, String),
}

/// What the customer paying for `order_id` should do next.
pub fn next_step(conn: &mut DbConn, order_id: i64) -> Result<Next, AppError> {
    let (status, _, token) = repo::state_of(conn, order_id)?;
    if status != OrderStatus::AwaitingPayment.as_str() {
        return Ok(Next::Go(status_url(&token)));
    }
    if let Some(open) = payments::open_of(conn, order_id)? {
        return Ok(Next::Go(checkout_url(&open)));
    }
    let (total, number, lang) = repo::to_pay(conn, order_id)?;
    Ok(Next::Create(
        total,
        number,
        Lang::from_code(&lang).unwrap_or_default(),
        token,
    ))
}

/// Records the payment `created` at provider `name` for `order_id`, in the caller's write
/// transaction, and returns where the customer pays. The order may have lapsed, or a concurrent
/// retry recorded a payment, meanwhile: then the new payment is left unused (it expires at the
/// provider) and the customer goes where `next_step` says; a payment recorded at the same moment
/// is a `Conflict`.
pub fn record_payment(
    conn: &mut DbConn,
    order_id: i64,
    name: &'static str,
    created: &CreatedPayment,
    total: i64,
) -> Result<String, AppError> {
    if let Next::Go(url) = next_step(conn, order_id)? {
        return Ok(url);
    }
    let payment = payments::NewPayment {
        order_id,
        provider: name,
        provider_payment_id: &created.id,
        amount_cents: total,
        checkout_url: &created.checkout_url,
    };
    // A unique violation (the one open place taken) becomes `AppError::Conflict`.
    payments::insert(conn, &payment)?;
    Ok(created.checkout_url.clone())
}

/// Where the customer pays an order (its open payment, created at the provider when there is
/// none), or its status page when it no longer awaits payment.
pub async fn payment_url(
    state: &super::state::OrderingState,
    order_id: i64,
) -> Result<String, AppError> {
    let provider = state
        .payments
        .provider()
        .ok_or(AppError::NoPayment)?
        .clone();
    let next = state.db.run(move |conn| next_step(conn, order_id)).await?;
    let (total, number, lang, token) = match next {
        Next::Go(url) => return Ok(url),
        Next::Create(total, number, lang, token) => (total, number, lang, token),
    };
    // Asked outside any transaction: the provider may take seconds to answer.
    let mail = crate::mail::messages::MailContext::of(&state.config);
    let request = request(
        &mail,
        order_id,
        crate::money::Money::from_cents(total),
        &number,
        lang,
        &token,
    );
    let created = provider
        .create(&request)
        .await
        .map_err(|e| AppError::PaymentService(e.to_string()))?;
    let name = provider.name();
    let recorded = state
        .db
        .run(move |conn| {
            conn.write_tx(|conn| record_payment(conn, order_id, name, &created, total))
        })
        .await;
    let url = match recorded {
        // A concurrent retry's payment won the one open place: use that one.
        Err(AppError::Conflict) => match state.db.run(move |conn| next_step(conn, order_id)).await?
        {
            Next::Go(url) => url,
            Next::Create(..) => return Err(AppError::Conflict),
        },
        other => other?,
    };
    Ok(url)
}
