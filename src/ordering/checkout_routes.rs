//! Checkout routes: the form, the overview, and placing the order. Thin handlers: read the
//! form, run one use case, render or redirect.

use std::sync::Arc;

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use super::cart::{Cart, PricedCart};
use super::checkout::{self, CheckoutForm, FieldErrors};
use super::checkout_pages::{CheckoutPage, OverviewPage, date_options};
use super::payment_routes::{PENDING_ORDER, pay};
use super::pricing::{self, Totals};
use super::repo;
use super::routes::load_cart;
use super::service::{self, PlaceError, PlaceOrder};
use crate::catalog::service::Snapshot;
use crate::delivery::service::DeliveryPlan;
use crate::error::AppError;
use crate::payment::PaymentProvider;
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
    // Without a payment service no order can be paid: place none.
    let Some(provider) = state.payments.clone() else {
        return Err(AppError::NoPayment);
    };
    if form.checkout_token.len() < 20 {
        return Err(AppError::BadRequest("checkout-error-stale"));
    }
    // A repeated submit of an order placed before is only looked up when this submit cannot be
    // placed as it stands (the cart is gone, the date is full now, ...): placing it again hits
    // the checkout token's unique key and answers with the first order anyway.
    let Some(c) = context(&state, &session).await? else {
        return match placed_before(&state, &form).await? {
            Some(id) => pay(&state, id).await,
            None => Ok(empty_cart(&session)),
        };
    };
    if form.action == "edit" {
        return page(&form_page(ctx, &c, form, FieldErrors::new()));
    }
    let checkout = match checkout::validate(&form, &c.plan, c.lead_time) {
        Ok(checkout) => checkout,
        Err(errors) => {
            if let Some(id) = placed_before(&state, &form).await? {
                return pay(&state, id).await;
            }
            return render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &form_page(ctx, &c, form, errors),
            );
        }
    };
    let totals = totals_for(&c, &checkout)?;
    if form.expected_total != totals.total.cents().to_string() {
        if let Some(id) = placed_before(&state, &form).await? {
            return pay(&state, id).await;
        }
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
    // A provider inside the shop creates its payment now, to be recorded with the order.
    let local_payment = provider.create_local();
    let provider_name = provider.name();
    let placed = state
        .db
        .run(move |conn| {
            let request = PlaceOrder {
                payment: local_payment.as_ref().map(|p| (provider_name, p)),
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
            match placed.payment_url {
                Some(url) => Ok(see_other(&url)),
                None => pay(&state, placed.id).await,
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

/// The order placed before with this form's checkout token, if any.
async fn placed_before(state: &AppState, form: &CheckoutForm) -> Result<Option<i64>, AppError> {
    let token = form.checkout_token.clone();
    let found = state
        .db
        .run(move |conn| Ok(repo::by_checkout_token(conn, &token)?))
        .await?;
    Ok(found.map(|(id, _)| id))
}
