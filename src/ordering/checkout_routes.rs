//! Checkout routes: the form, the overview, placing the order, the status page, and the test
//! provider's payment page. Thin handlers: read the form, run one use case, render or redirect.

use std::sync::Arc;

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::cart::{Cart, PricedCart};
use super::checkout::{self, CheckoutForm, FieldErrors};
use super::checkout_pages::{
    CheckoutPage, OverviewPage, StatusPage, TestPaymentPage, date_options,
};
use super::model::OrderStatus;
use super::pricing::{self, Totals};
use super::repo;
use super::routes::load_cart;
use super::service::{self, PlaceError, PlaceOrder};
use crate::catalog::service::Snapshot;
use crate::delivery::service::DeliveryPlan;
use crate::error::AppError;
use crate::payment::{PaymentStatus, Provider};
use crate::web::flash::{self, FlashKind};
use crate::web::{AppState, PageCtx, page, parse_form, render, see_other};

/// The cart priced now, with the delivery plan for its lead time.
struct Context {
    cart: PricedCart,
    plan: DeliveryPlan,
    lead_time: u32,
}

async fn context(state: &AppState, session: &Session) -> Result<Option<Context>, AppError> {
    let cart: Cart = load_cart(session);
    let catalogue: Arc<Snapshot> = state.catalogue.get(&state.db).await?;
    let priced = cart.price(&catalogue);
    if priced.lines.is_empty() {
        return Ok(None);
    }
    let plan = state
        .delivery
        .get(&state.db, &state.config.delivery)
        .await?;
    let lead_time = priced.lead_time_days();
    Ok(Some(Context {
        cart: priced,
        plan,
        lead_time,
    }))
}

fn empty_cart(session: &Session) -> HttpResponse {
    flash::set(session, FlashKind::Error, "checkout-error-empty-cart");
    see_other("/winkelwagen")
}

fn form_page(ctx: PageCtx, c: &Context, form: CheckoutForm, errors: FieldErrors) -> CheckoutPage {
    let dates = date_options(&ctx, &c.plan.available_dates(c.lead_time));
    CheckoutPage {
        goods: pricing::totals(&c.cart.vat_parts(), crate::money::Money::ZERO)
            .map(|t| t.goods)
            .unwrap_or_default(),
        ctx,
        form,
        errors,
        dates,
        zones: c.plan.zones.clone(),
    }
}

/// `GET /afrekenen`: the checkout form.
pub async fn form(
    state: web::Data<AppState>,
    ctx: PageCtx,
    session: Session,
) -> Result<HttpResponse, AppError> {
    let Some(c) = context(&state, &session).await? else {
        return Ok(empty_cart(&session));
    };
    page(&form_page(
        ctx,
        &c,
        CheckoutForm::fresh(),
        FieldErrors::new(),
    ))
}

fn totals_for(c: &Context, checkout: &checkout::Checkout) -> Result<Totals, AppError> {
    pricing::totals(&c.cart.vat_parts(), checkout.fee())
        .map_err(|_| AppError::BadRequest("cart-error-quantity"))
}

/// `POST /afrekenen`: checks the form; the overview to confirm, or the form with messages.
pub async fn review(
    state: web::Data<AppState>,
    ctx: PageCtx,
    session: Session,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let mut form: CheckoutForm = parse_form(&body)?;
    let Some(c) = context(&state, &session).await? else {
        return Ok(empty_cart(&session));
    };
    match checkout::validate(&form, &c.plan, c.lead_time) {
        Err(errors) => render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &form_page(ctx, &c, form, errors),
        ),
        Ok(checkout) => {
            let totals = totals_for(&c, &checkout)?;
            form.checkout_token = service::random_token();
            form.expected_total = totals.total.cents().to_string();
            page(&OverviewPage {
                ctx,
                form,
                checkout,
                lines: c.cart.lines,
                totals,
                notice: None,
            })
        }
    }
}

/// `POST /afrekenen/bestellen`: places the order (once per checkout token) and sends the
/// customer to pay; "change" goes back to the form with everything kept.
pub async fn place(
    state: web::Data<AppState>,
    ctx: PageCtx,
    session: Session,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let form: CheckoutForm = parse_form(&body)?;
    if !state.config.test_payments {
        // Until a payment service is configured no order can be paid: place none.
        return Err(AppError::NoPayment);
    }
    if form.checkout_token.len() < 20 {
        return Err(AppError::BadRequest("checkout-error-stale"));
    }
    // A repeated submit after the order was placed (the cart may be gone by then).
    let token = form.checkout_token.clone();
    if let Some((id, _)) = state
        .db
        .run(move |conn| Ok(repo::by_checkout_token(conn, &token)?))
        .await?
    {
        return pay(&state, id).await;
    }
    let Some(c) = context(&state, &session).await? else {
        return Ok(empty_cart(&session));
    };
    if form.action == "edit" {
        return page(&form_page(ctx, &c, form, FieldErrors::new()));
    }
    let checkout = match checkout::validate(&form, &c.plan, c.lead_time) {
        Ok(checkout) => checkout,
        Err(errors) => {
            return render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &form_page(ctx, &c, form, errors),
            );
        }
    };
    let totals = totals_for(&c, &checkout)?;
    if form.expected_total != totals.total.cents().to_string() {
        let mut form = form;
        form.expected_total = totals.total.cents().to_string();
        return render(
            StatusCode::CONFLICT,
            &OverviewPage {
                ctx,
                form,
                checkout,
                lines: c.cart.lines,
                totals,
                notice: Some("checkout-prices-changed"),
            },
        );
    }
    let expiry = chrono::Duration::from_std(state.config.payment_expiry)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let capacity = state.config.delivery.daily_capacity;
    let lang = ctx.lang;
    let checkout_token = form.checkout_token.clone();
    let cart = c.cart.clone();
    let totals_cents = totals.total.cents();
    let placed = state
        .db
        .run(move |conn| {
            let request = PlaceOrder {
                checkout: &checkout,
                cart: &cart,
                totals: &totals,
                checkout_token: &checkout_token,
                lang,
                capacity,
                payment_expires_at: crate::db::now() + expiry,
            };
            match service::place_order(conn, &request) {
                Ok(placed) => Ok(Ok(placed)),
                Err(PlaceError::DateFull) => Ok(Err(())),
                Err(PlaceError::Failed(e)) => Err(e),
            }
        })
        .await?;
    match placed {
        Ok(placed) => {
            // The cart is emptied when this order's payment is confirmed (status page).
            let _ = session.insert(PENDING_ORDER, &placed.status_token);
            if placed.fresh {
                start_payment(&state, placed.id, totals_cents).await
            } else {
                pay(&state, placed.id).await
            }
        }
        Err(()) => {
            state.delivery.invalidate();
            let c = context(&state, &session).await?.unwrap_or(c);
            let mut errors = FieldErrors::new();
            errors.insert("delivery_date", "delivery-date-full");
            render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &form_page(ctx, &c, form, errors),
            )
        }
    }
}

/// The session key naming the order this visitor just placed.
const PENDING_ORDER: &str = "pending_order";

/// Creates the first payment of a freshly placed order and sends the customer to it. When a
/// concurrent retry got there first (one open payment per order), that one is used.
async fn start_payment(
    state: &AppState,
    order_id: i64,
    total: i64,
) -> Result<HttpResponse, AppError> {
    let provider = Provider::Test;
    let created = provider.create(crate::money::Money::from_cents(total));
    let id = created.id.clone();
    let inserted = state
        .db
        .run(move |conn| {
            Ok(repo::insert_payment(
                conn,
                order_id,
                provider.name(),
                &id,
                total,
            ))
        })
        .await?;
    match inserted {
        Ok(()) => Ok(see_other(&created.checkout_url)),
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => pay(state, order_id).await,
        Err(e) => Err(e.into()),
    }
}

/// Sends the customer to the open payment of an order, creating one when there is none.
async fn pay(state: &AppState, order_id: i64) -> Result<HttpResponse, AppError> {
    match pay_once(state, order_id).await {
        // A concurrent retry created the open payment meanwhile: use that one.
        Err(AppError::Conflict) => pay_once(state, order_id).await,
        other => other,
    }
}

async fn pay_once(state: &AppState, order_id: i64) -> Result<HttpResponse, AppError> {
    let provider = Provider::Test;
    let url = state
        .db
        .run(move |conn| {
            conn.write_tx(|conn| {
                let (status, _, status_token) = repo::state_of(conn, order_id)?;
                if status != OrderStatus::AwaitingPayment.as_str() {
                    return Ok(format!("/bestelling/{status_token}"));
                }
                if let Some(open) = repo::open_payment_of(conn, order_id)? {
                    return Ok(format!("/testbetaling/{open}"));
                }
                let total = repo::total_of(conn, order_id)?;
                let created = provider.create(crate::money::Money::from_cents(total));
                match repo::insert_payment(conn, order_id, provider.name(), &created.id, total) {
                    Err(diesel::result::Error::DatabaseError(
                        diesel::result::DatabaseErrorKind::UniqueViolation,
                        _,
                    )) => return Err(AppError::Conflict),
                    other => other?,
                }
                Ok::<_, AppError>(created.checkout_url)
            })
        })
        .await?;
    Ok(see_other(&url))
}

/// `GET /bestelling/{token}`: the order's status page (the token is the only key).
pub async fn status(
    state: web::Data<AppState>,
    ctx: PageCtx,
    session: Session,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let (order, lines, payment) = state
        .db
        .run(move |conn| {
            let order = repo::by_status_token(conn, &token)?.ok_or(AppError::NotFound)?;
            let lines = repo::lines_of(conn, order.id)?;
            let payment = repo::open_payment_of(conn, order.id)?;
            Ok((order, lines, payment))
        })
        .await?;
    let status = OrderStatus::parse(&order.status)
        .ok_or_else(|| AppError::Internal(format!("order {}: unknown status", order.id)))?;
    let placed_here = session
        .get::<String>(PENDING_ORDER)
        .ok()
        .flatten()
        .as_deref()
        == Some(order.status_token.as_str());
    if status == OrderStatus::Confirmed && placed_here {
        // This visitor's order is paid: their cart has become this order.
        session.remove("cart");
        session.remove(PENDING_ORDER);
    }
    let payment_url = (status == OrderStatus::AwaitingPayment)
        .then(|| payment.map(|id| format!("/testbetaling/{id}")))
        .flatten();
    page(&StatusPage {
        ctx,
        order,
        status,
        lines,
        payment_url,
    })
}

/// `GET /testbetaling/{id}`: the test provider's clearly marked payment page.
pub async fn test_payment(
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    if !state.config.test_payments {
        return Err(AppError::NotFound);
    }
    let payment_id = id.into_inner();
    let lookup = payment_id.clone();
    let (_, status, amount) = state
        .db
        .run(move |conn| repo::payment(conn, &lookup)?.ok_or(AppError::NotFound))
        .await?;
    if status != PaymentStatus::Open.as_str() {
        return Err(AppError::NotFound);
    }
    page(&TestPaymentPage {
        ctx,
        payment_id,
        amount: crate::money::Money::from_cents(amount),
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
    state: web::Data<AppState>,
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
    let mail = state.mail.clone();
    let capacity = state.config.delivery.daily_capacity;
    let token = state
        .db
        .run(move |conn| service::apply_payment_status(conn, &id, reported, capacity, &mail))
        .await?;
    Ok(see_other(&format!("/bestelling/{token}")))
}
