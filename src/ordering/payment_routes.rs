//! Paying for a placed order: sending the customer to the provider, the status page they come
//! back to, the provider's webhook, and the test provider's payment page. A payment's state only
//! ever changes from what the provider itself reports.

use actix_session::Session;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::checkout_pages::{StatusPage, TestPaymentPage};
use super::paying::{self, checkout_url, status_url};
use super::repo;
use super::service;
use super::state::OrderingState;
use crate::domain::OrderStatus;
use crate::error::AppError;
use crate::money::Money;
use crate::payment::repo as payments;
use crate::payment::{PaymentProvider, PaymentStatus, Provider, ProviderError};
use crate::web::{PageCtx, see_other};

/// The session key naming the order this visitor just placed.
pub(super) const PENDING_ORDER: &str = "pending_order";

fn provider(state: &OrderingState) -> Result<&Provider, AppError> {
    state.payments.provider().ok_or(AppError::NoPayment)
}

/// Sends the customer to the open payment of an order, creating one at the provider when there
/// is none; an order that no longer awaits payment shows its status instead.
pub(super) async fn pay(state: &OrderingState, order_id: i64) -> Result<HttpResponse, AppError> {
    Ok(see_other(&paying::payment_url(state, order_id).await?))
}

/// Asks the provider for a payment's real state and applies it. `Ok(false)` when the shop does
/// not know the payment or it is another provider's.
async fn refresh(state: &OrderingState, payment_id: String) -> Result<bool, AppError> {
    let provider = provider(state)?.clone();
    let lookup = payment_id.clone();
    let Some(known) = state
        .db
        .run(move |conn| Ok(payments::find(conn, &lookup)?))
        .await?
    else {
        return Ok(false);
    };
    if known.provider != provider.name() {
        return Ok(false);
    }
    let fetched = match provider.fetch(&payment_id).await {
        Ok(fetched) => fetched,
        Err(ProviderError::Unknown) => {
            tracing::warn!("the provider does not know a payment the shop recorded");
            return Ok(false);
        }
        Err(e) => return Err(AppError::PaymentService(e.to_string())),
    };
    if fetched.amount != Money::from_cents(known.amount_cents) {
        tracing::error!(
            order_id = known.order_id,
            "the provider reports another amount than the order's: payment not applied"
        );
        return Ok(false);
    }
    let mail = crate::mail::messages::MailContext::of(&state.config);
    let capacity = state.config.delivery.daily_capacity;
    state
        .db
        .run(move |conn| {
            service::apply_payment_status(conn, &payment_id, fetched.status, capacity, &mail)
        })
        .await?;
    Ok(true)
}

/// What a webhook call carries: only the payment's id.
#[derive(Deserialize)]
pub struct WebhookForm {
    /// The provider's payment id.
    pub id: String,
}

/// `POST /betaling/webhook`: the provider says a payment changed. Its body is only a hint: the
/// payment's state is fetched from the provider. Unknown ids get the same empty 200 as known
/// ones (nothing to learn by probing); when the provider cannot be asked, 503 makes it retry.
pub async fn webhook(state: OrderingState, body: web::Bytes) -> Result<HttpResponse, AppError> {
    let form: WebhookForm = serde_urlencoded::from_bytes(&body)
        .map_err(|_| AppError::BadRequest("error-bad-request-text"))?;
    if !provider(&state)?.is_remote() {
        return Err(AppError::NotFound);
    }
    if !crate::payment::mollie::is_payment_id(&form.id) {
        return Ok(HttpResponse::Ok().finish());
    }
    refresh(&state, form.id).await?;
    Ok(HttpResponse::Ok().finish())
}

/// `GET /bestelling/{token}`: the order's status page (the token is the only key). A customer
/// back from the provider's page usually arrives before the webhook, so while the order awaits
/// payment the provider is asked once more.
pub async fn status(
    state: OrderingState,
    ctx: PageCtx,
    session: Session,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let load = |token: String| {
        state.db.run(move |conn| {
            let order = repo::by_status_token(conn, &token)?.ok_or(AppError::NotFound)?;
            let lines = repo::lines_of(conn, order.id)?;
            let payment = payments::open_of(conn, order.id)?;
            let refunded = super::refunds::Recorded::of(&super::refunds::of_order(conn, order.id)?);
            Ok((order, lines, payment, refunded))
        })
    };
    let (mut order, mut lines, mut payment, mut refunded) = load(token.clone()).await?;
    let placed_here = |session: &Session, status_token: &str| {
        session
            .get::<String>(PENDING_ORDER)
            .ok()
            .flatten()
            .as_deref()
            == Some(status_token)
    };
    // Only the visitor who placed the order (back from the provider) makes the shop ask; a
    // shared or guessed link cannot spend the shop's calls to the provider.
    let remote = state.payments.provider().is_some_and(Provider::is_remote)
        && placed_here(&session, &order.status_token);
    if let Some(open) = payment.as_ref().filter(|_| remote) {
        match refresh(&state, open.provider_payment_id.clone()).await {
            Ok(true) => (order, lines, payment, refunded) = load(token).await?,
            Ok(false) => {}
            // The page still shows what the shop knows; the webhook will bring the rest.
            Err(e) => tracing::warn!(error = %e, "could not ask the provider about a payment"),
        }
    }
    let status = OrderStatus::parse(&order.status)
        .ok_or_else(|| AppError::internal(format!("order {}: unknown status", order.id)))?;
    if status == OrderStatus::Confirmed && placed_here(&session, &order.status_token) {
        // This visitor's order is paid: their cart has become this order.
        super::routes::clear_cart(&session);
        session.remove(PENDING_ORDER);
    }
    let payment_url = (status == OrderStatus::AwaitingPayment)
        .then(|| payment.as_ref().map(checkout_url))
        .flatten();
    // An open payment of a confirmed order is the difference after a change.
    let difference_url = (status == OrderStatus::Confirmed)
        .then(|| payment.as_ref().map(checkout_url))
        .flatten();
    crate::web::page(&StatusPage {
        ctx,
        order,
        status,
        lines,
        payment_url,
        difference_url,
        refunded: (!refunded.is_empty()).then_some(refunded),
    })
}

/// `GET /testbetaling/{id}`: the test provider's clearly marked payment page.
pub async fn test_payment(
    state: OrderingState,
    ctx: PageCtx,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    if !state.config.test_payments {
        return Err(AppError::NotFound);
    }
    let payment_id = id.into_inner();
    let lookup = payment_id.clone();
    let payment = state
        .db
        .run(move |conn| payments::find(conn, &lookup)?.ok_or(AppError::NotFound))
        .await?;
    if payment.status != PaymentStatus::Open.as_str() {
        return Err(AppError::NotFound);
    }
    crate::web::page(&TestPaymentPage {
        ctx,
        payment_id,
        amount: Money::from_cents(payment.amount_cents),
    })
}

/// What the tester chose.
#[derive(Deserialize)]
pub struct TestOutcome {
    /// `paid`, `failed` or `canceled`.
    pub outcome: String,
}

/// `POST /testbetaling/{id}`: the test provider settles the payment as chosen, then (as a real
/// provider's webhook would) the shop applies it, and the customer returns to the status page.
pub async fn test_payment_settle(
    state: OrderingState,
    id: web::Path<String>,
    form: web::Form<TestOutcome>,
) -> Result<HttpResponse, AppError> {
    if !state.config.test_payments {
        return Err(AppError::NotFound);
    }
    let reported = match form.outcome.as_str() {
        "paid" => PaymentStatus::Paid,
        "failed" => PaymentStatus::Failed,
        "canceled" => PaymentStatus::Canceled,
        _ => return Err(AppError::BadRequest("error-bad-request-text")),
    };
    let id = id.into_inner();
    let mail = crate::mail::messages::MailContext::of(&state.config);
    let capacity = state.config.delivery.daily_capacity;
    let token = state
        .db
        .run(move |conn| service::apply_payment_status(conn, &id, reported, capacity, &mail))
        .await?;
    Ok(see_other(&status_url(&token)))
}
