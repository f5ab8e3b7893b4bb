//! Checkout routes: the form, the overview, and placing the order. Thin handlers: read the
//! form, run one use case, render or redirect.

use std::sync::Arc;

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use super::cart::{Cart, PricedCart};
use super::checkout::{self, CheckoutForm, FieldErrors};
use super::checkout_pages::{AccountChoices, CheckoutPage, OverviewPage, date_options};
use super::payment_routes::{PENDING_ORDER, pay};
use super::pricing::{self, Totals};
use super::repo;
use super::routes::load_cart;
use super::service::{self, Buyer, PlaceError, PlaceOrder};
use super::state::OrderingState;
use crate::accounts::auth::Customer;
use crate::accounts::repo::Membership;
use crate::catalog::service::Snapshot;
use crate::delivery::service::DeliveryPlan;
use crate::error::AppError;
use crate::payment::PaymentProvider;
use crate::web::flash::{self, FlashKind};
use crate::web::{PageCtx, page, parse_form, render, see_other};

/// The cart priced now, with the delivery plan for its lead time.
struct Context {
    cart: PricedCart,
    plan: DeliveryPlan,
    lead_time: u32,
}

async fn context(state: &OrderingState, session: &Session) -> Result<Option<Context>, AppError> {
    let cart: Cart = load_cart(session);
    let catalogue: Arc<Snapshot> = state.catalogue.get(&state.db).await?;
    let priced = cart.price(&catalogue);
    if priced.lines.is_empty() {
        return Ok(None);
    }
    let plan = state.delivery.get(&state.db).await?;
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

/// What a logged-in customer brings to the checkout: the account, its address book and its
/// company membership.
struct Account {
    customer: Customer,
    addresses: Vec<crate::accounts::repo::AddressRow>,
    membership: Option<Membership>,
}

async fn account(
    state: &OrderingState,
    customer: Option<Customer>,
) -> Result<Option<Account>, AppError> {
    let Some(customer) = customer else {
        return Ok(None);
    };
    let id = customer.id;
    let (addresses, membership) = state
        .db
        .run(move |conn| {
            Ok((
                crate::accounts::repo::addresses(conn, id)?,
                crate::business::repo::membership_of(conn, id)?,
            ))
        })
        .await?;
    Ok(Some(Account {
        customer,
        addresses,
        membership,
    }))
}

fn choices(account: Option<&Account>) -> Option<AccountChoices> {
    account.map(|a| AccountChoices {
        addresses: a.addresses.clone(),
        company: a.membership.as_ref().map(|m| m.company_name.clone()),
        on_account_allowed: a.membership.as_ref().is_some_and(|m| m.approved),
    })
}

/// Longest PO number or cost centre.
const PO_NUMBER_MAX: usize = 50;

/// The account and company the order is for, checked against what the form asks: paying on
/// account only for an approved company's user, a PO number of sensible length.
fn buyer_errors(account: Option<&Account>, form: &CheckoutForm) -> FieldErrors {
    let mut errors = FieldErrors::new();
    let allowed = account
        .and_then(|a| a.membership.as_ref())
        .is_some_and(|m| m.approved);
    if form.on_account() && !allowed {
        errors.insert("payment_method", "checkout-error-on-account");
    }
    if form.po_number.trim().chars().count() > PO_NUMBER_MAX {
        errors.insert("po_number", "checkout-error-too-long");
    }
    errors
}

fn form_page(
    ctx: PageCtx,
    c: &Context,
    form: CheckoutForm,
    errors: FieldErrors,
    account: Option<&Account>,
) -> CheckoutPage {
    let dates = date_options(&ctx, &c.plan.available_dates(c.lead_time));
    let window = c.plan.window(c.lead_time);
    let closed = c
        .plan
        .rules
        .overrides
        .range(window.earliest..=window.last)
        .filter(|(_, plan)| plan.open == Some(false) && !plan.note.is_empty())
        .map(|(date, plan)| (ctx.lang.date(*date), plan.note.clone()))
        .collect();
    CheckoutPage {
        closed,
        account: choices(account),
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

/// `?adres=ID`: fill in the recipient from the address book.
#[derive(serde::Deserialize)]
pub struct FormQuery {
    adres: Option<i64>,
}

/// `GET /afrekenen`: the checkout form, filled in from the account when logged in.
pub async fn form(
    state: OrderingState,
    ctx: PageCtx,
    session: Session,
    customer: Option<Customer>,
    query: web::Query<FormQuery>,
) -> Result<HttpResponse, AppError> {
    let Some(c) = context(&state, &session).await? else {
        return Ok(empty_cart(&session));
    };
    let account = account(&state, customer).await?;
    let mut form = CheckoutForm::fresh();
    if let Some(a) = &account {
        form.sender_name = a.customer.name.clone();
        form.sender_email = a.customer.email.clone();
        form.sender_phone = a.customer.phone.clone().unwrap_or_default();
        if let Some(id) = query.adres {
            // Another account's address id is simply not in this book.
            let address = a
                .addresses
                .iter()
                .find(|x| x.id == id)
                .ok_or(AppError::NotFound)?;
            form.recipient_name = address.name.clone();
            form.recipient_street = address.street.clone();
            form.recipient_postcode = address.postcode.clone();
            form.recipient_city = address.city.clone();
            form.recipient_phone = address.phone.clone().unwrap_or_default();
        }
    } else if query.adres.is_some() {
        return Err(AppError::AccountLoginRequired);
    }
    page(&form_page(
        ctx,
        &c,
        form,
        FieldErrors::new(),
        account.as_ref(),
    ))
}

fn totals_for(c: &Context, checkout: &checkout::Checkout) -> Result<Totals, AppError> {
    pricing::totals(&c.cart.vat_parts(), checkout.fee())
        .map_err(|_| AppError::BadRequest("cart-error-quantity"))
}

/// `POST /afrekenen`: checks the form; the overview to confirm, or the form with messages.
pub async fn review(
    state: OrderingState,
    ctx: PageCtx,
    session: Session,
    customer: Option<Customer>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let mut form: CheckoutForm = parse_form(&body)?;
    let Some(c) = context(&state, &session).await? else {
        return Ok(empty_cart(&session));
    };
    let account = account(&state, customer).await?;
    let buyer_errors = buyer_errors(account.as_ref(), &form);
    match checkout::validate(&form, &c.plan, c.lead_time) {
        Err(mut errors) => {
            errors.extend(buyer_errors);
            render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &form_page(ctx, &c, form, errors, account.as_ref()),
            )
        }
        Ok(_) if !buyer_errors.is_empty() => render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &form_page(ctx, &c, form, buyer_errors, account.as_ref()),
        ),
        Ok(checkout) => {
            let totals = totals_for(&c, &checkout)?;
            form.checkout_token = crate::domain::token::random_token();
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

/// Why a submitted overview cannot be placed as it stands.
enum Refused {
    /// The form (or what the account may do) is not valid now: back to the form.
    Invalid(FieldErrors),
    /// Valid, but the total differs from the one the overview showed: show the new one.
    PricesChanged(Box<(checkout::Checkout, Totals)>),
}

/// Checks a submitted overview against the cart, the delivery plan and the account now.
fn check_submit(
    c: &Context,
    account: Option<&Account>,
    form: &CheckoutForm,
) -> Result<Result<(checkout::Checkout, Totals), Refused>, AppError> {
    let buyer_errors = buyer_errors(account, form);
    let checkout = match checkout::validate(form, &c.plan, c.lead_time) {
        Ok(checkout) if buyer_errors.is_empty() => checkout,
        result => {
            let mut errors = result.err().unwrap_or_default();
            errors.extend(buyer_errors);
            return Ok(Err(Refused::Invalid(errors)));
        }
    };
    let totals = totals_for(c, &checkout)?;
    if form.expected_total != totals.total.cents().to_string() {
        return Ok(Err(Refused::PricesChanged(Box::new((checkout, totals)))));
    }
    Ok(Ok((checkout, totals)))
}

fn refused_page(
    ctx: PageCtx,
    c: Context,
    mut form: CheckoutForm,
    account: Option<&Account>,
    refused: Refused,
) -> Result<HttpResponse, AppError> {
    match refused {
        Refused::Invalid(errors) => render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &form_page(ctx, &c, form, errors, account),
        ),
        Refused::PricesChanged(changed) => {
            let (checkout, totals) = *changed;
            form.expected_total = totals.total.cents().to_string();
            render(
                StatusCode::CONFLICT,
                &OverviewPage {
                    ctx,
                    form,
                    checkout,
                    lines: c.cart.lines,
                    totals,
                    notice: Some("checkout-prices-changed"),
                },
            )
        }
    }
}

/// Refuses a submit that could never be placed, before anything is looked up: a stale
/// newsletter wording (P2), no way to pay, or no checkout token.
fn refuse_unplaceable(state: &OrderingState, form: &CheckoutForm) -> Result<(), AppError> {
    if form.wants_newsletter() {
        crate::privacy::consent::ConsentPurpose::from_form("newsletter", &form.newsletter_version)?;
    }
    // Without a payment service no order can be paid online: place none (on account needs none).
    if state.payments.provider().is_none() && !form.on_account() {
        return Err(AppError::NoPayment);
    }
    if form.checkout_token.len() < 20 {
        return Err(AppError::BadRequest("checkout-error-stale"));
    }
    Ok(())
}

/// `POST /afrekenen/bestellen`: places the order (once per checkout token) and sends the
/// customer to pay; "change" goes back to the form with everything kept.
pub async fn place(
    state: OrderingState,
    req: actix_web::HttpRequest,
    ctx: PageCtx,
    session: Session,
    customer: Option<Customer>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let form: CheckoutForm = parse_form(&body)?;
    refuse_unplaceable(&state, &form)?;
    // A repeated submit of an order placed before is only looked up when this submit cannot be
    // placed as it stands (the cart is gone, the date is full now, ...): placing it again hits
    // the checkout token's unique key and answers with the first order anyway.
    let Some(c) = context(&state, &session).await? else {
        let before = placed_before(&state, &form).await?;
        return Ok(before.unwrap_or_else(|| empty_cart(&session)));
    };
    // Only a logged-in customer's orders need the account looked up; guests skip the query.
    let account = account(&state, customer).await?;
    if form.action == "edit" {
        let page_ = form_page(ctx, &c, form, FieldErrors::new(), account.as_ref());
        return page(&page_);
    }
    let (checkout, totals) = match check_submit(&c, account.as_ref(), &form)? {
        Ok(checked) => checked,
        Err(refused) => {
            if let Some(response) = placed_before(&state, &form).await? {
                return Ok(response);
            }
            return refused_page(ctx, c, form, account.as_ref(), refused);
        }
    };
    let client = crate::web::client_ip(&req, state.config.behind_proxy);
    let customer_id = account.as_ref().map(|a| a.customer.id);
    let newsletter_for = form
        .wants_newsletter()
        .then(|| (checkout.sender.email.as_str().to_owned(), customer_id));
    let lang = ctx.lang;
    let Some(placed) =
        place_checked(&state, &c, &form, account.as_ref(), checkout, totals, lang).await?
    else {
        state.delivery.invalidate();
        let c = context(&state, &session).await?.unwrap_or(c);
        let errors = [("delivery_date", "delivery-date-full")].into();
        let page_ = form_page(ctx, &c, form, errors, account.as_ref());
        return render(StatusCode::UNPROCESSABLE_ENTITY, &page_);
    };
    if let Some((email, customer_id)) = newsletter_for {
        sign_up_for_newsletter(&state, client, email, customer_id, lang).await;
    }
    // The cart is emptied when this order's payment is confirmed (status page).
    let _ = session.insert(PENDING_ORDER, &placed.status_token);
    match placed.payment_url {
        Some(url) => Ok(see_other(&url)),
        None if form.on_account() => Ok(see_other(&format!("/bestelling/{}", placed.status_token))),
        None => pay(&state, placed.id).await,
    }
}

/// Places a checked order in one transaction; `None` when its date filled up meanwhile.
async fn place_checked(
    state: &OrderingState,
    c: &Context,
    form: &CheckoutForm,
    account: Option<&Account>,
    checkout: checkout::Checkout,
    totals: Totals,
    lang: crate::i18n::Lang,
) -> Result<Option<service::Placed>, AppError> {
    let expiry =
        chrono::Duration::from_std(state.config.payment_expiry).map_err(AppError::internal)?;
    // The calendar's capacity for the date (SQLite reads it again inside the placing
    // transaction; PostgreSQL's one-statement placement takes this one, at most a cache
    // lifetime old).
    let capacity = c.plan.rules.capacity_on(checkout.date);
    let checkout_token = form.checkout_token.clone();
    let cart = c.cart.clone();
    let on_account = form.on_account();
    let provider = state.payments.provider();
    // A provider inside the shop creates its payment now, to be recorded with the order.
    let local_payment = provider
        .filter(|_| !on_account)
        .and_then(|p| p.create_local());
    let provider_name = provider.map_or("none", |p| p.name());
    let customer_id = account.map(|a| a.customer.id);
    let membership = account.and_then(|a| a.membership.clone());
    let po_number = form.po_number.trim().to_owned();
    let mail = crate::mail::messages::MailContext::of(&state.config);
    state
        .db
        .run(move |conn| {
            let request = PlaceOrder {
                buyer: Buyer::new(customer_id, membership.as_ref(), on_account, &po_number),
                mail: &mail,
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
                Ok(placed) => Ok(Some(placed)),
                Err(PlaceError::DateFull) => Ok(None),
                Err(PlaceError::Failed(e)) => Err(e),
            }
        })
        .await
}

/// Where a repeated submit of an order placed before goes: its payment, or, paid on account,
/// its status page. `None` when this form's checkout token placed no order yet.
async fn placed_before(
    state: &OrderingState,
    form: &CheckoutForm,
) -> Result<Option<HttpResponse>, AppError> {
    let token = form.checkout_token.clone();
    let found = state
        .db
        .run(move |conn| Ok(repo::by_checkout_token(conn, &token)?))
        .await?;
    match found {
        None => Ok(None),
        Some((_, status_token)) if form.on_account() => {
            Ok(Some(see_other(&format!("/bestelling/{status_token}"))))
        }
        Some((id, _)) => pay(state, id).await.map(Some),
    }
}

/// The newsletter box at checkout: a sign-up with double opt-in like any other (P2, P8), within
/// the same limit on mails to one address. The order is placed already, so a refusal or
/// failure here only goes to the log.
async fn sign_up_for_newsletter(
    state: &OrderingState,
    client: Option<std::net::IpAddr>,
    email: String,
    customer_id: Option<i64>,
    lang: crate::i18n::Lang,
) {
    if state.account_mails.attempt(client, &email).is_err() {
        tracing::warn!("newsletter sign-up at checkout skipped: too many mails to one address");
        return;
    }
    let mail = crate::mail::messages::MailContext::of(&state.config);
    let result = state
        .db
        .run(move |conn| {
            conn.write_tx(|conn| {
                crate::privacy::newsletter::sign_up(
                    conn,
                    &mail,
                    &email,
                    lang,
                    customer_id,
                    crate::privacy::consent::ConsentSource::Checkout,
                )
            })
        })
        .await;
    if let Err(e) = result {
        tracing::warn!(error = %e, "the newsletter sign-up at checkout failed");
    }
}
