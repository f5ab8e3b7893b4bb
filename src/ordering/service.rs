//! Order use cases: placing an order (one transaction: the date's capacity, the number, the
//! rows) and applying what the payment provider reports.

use chrono::{Datelike, NaiveDateTime};
use diesel::result::{DatabaseErrorKind, Error};

use super::cart::PricedCart;
use super::checkout::{Checkout, Fulfilment};
use super::pricing::Totals;
use super::repo::{self, NewOrder};
use crate::catalog::model::VatRate;
use crate::db::DbConn;
use crate::delivery::repo as delivery;
use crate::domain::OrderStatus;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::payment::{CreatedPayment, PaymentStatus, repo as payments};
use crate::telemetry::measure;

/// Everything needed to place an order, already validated and priced.
pub struct PlaceOrder<'a> {
    pub checkout: &'a Checkout,
    pub cart: &'a PricedCart,
    pub totals: &'a Totals,
    /// The overview's idempotency key: placing twice with it gives the same order.
    pub checkout_token: &'a str,
    pub lang: Lang,
    pub capacity: u32,
    pub payment_expires_at: NaiveDateTime,
    /// A payment already created by a provider inside the shop (with the provider's name),
    /// recorded with the order.
    pub payment: Option<(&'static str, &'a CreatedPayment)>,
    /// Who orders, when logged in: the account, and the company ordering through it.
    pub buyer: Buyer<'a>,
    /// For the confirmation of an order on account (confirmed at once).
    pub mail: &'a crate::mail::messages::MailContext,
}

/// The account and company an order is placed for (all empty for a guest).
#[derive(Debug, Clone, Copy, Default)]
pub struct Buyer<'a> {
    /// The logged-in account.
    pub customer_id: Option<i64>,
    /// The company the account orders for.
    pub company_id: Option<i64>,
    /// Paid on account (approved companies only): confirmed at once, invoiced monthly.
    pub on_account: bool,
    /// The company's purchase-order number or cost centre.
    pub po_number: Option<&'a str>,
}

impl<'a> Buyer<'a> {
    /// The buyer of a checkout: an order belongs to the company only when it is paid on
    /// account; a member's own order paid online stays theirs (and out of the company admins'
    /// view). A PO number is kept only for a company's order.
    pub fn new(
        customer_id: Option<i64>,
        membership: Option<&crate::accounts::repo::Membership>,
        on_account: bool,
        po_number: &'a str,
    ) -> Buyer<'a> {
        let company_id = membership.map(|m| m.company_id).filter(|_| on_account);
        let po_number = Some(po_number.trim()).filter(|p| !p.is_empty() && company_id.is_some());
        Buyer {
            customer_id,
            company_id,
            on_account,
            po_number,
        }
    }
}

/// The placed order.
#[derive(Debug, Clone)]
pub struct Placed {
    pub id: i64,
    pub status_token: String,
    /// False when this checkout had already been placed (a double submit or a retry).
    pub fresh: bool,
    /// Where the customer pays, when the payment was recorded with the order.
    pub payment_url: Option<String>,
}

/// Why an order could not be placed.
#[derive(Debug)]
pub enum PlaceError {
    /// The delivery date filled up in the meantime.
    DateFull,
    /// Anything else.
    Failed(AppError),
}

impl From<Error> for PlaceError {
    fn from(e: Error) -> Self {
        PlaceError::Failed(e.into())
    }
}

/// Whether the buyer is, inside this transaction, still a user of an approved company that
/// the order is for.
fn may_order_on_account(conn: &mut DbConn, buyer: &Buyer<'_>) -> Result<bool, AppError> {
    let (Some(customer), Some(company)) = (buyer.customer_id, buyer.company_id) else {
        return Ok(false);
    };
    Ok(crate::business::repo::membership_of(conn, customer)?
        .is_some_and(|m| m.company_id == company && m.approved))
}

/// Places the order in one write transaction. A second call with the same checkout token
/// returns the first order and changes nothing.
pub fn place_order(conn: &mut DbConn, req: &PlaceOrder<'_>) -> Result<Placed, PlaceError> {
    // On PostgreSQL the placement is one statement, atomic by itself (see `pg_place`).
    let attempt = if super::pg_place::applies(conn, req) {
        insert_order(conn, req)
    } else {
        conn.write_tx(|conn| insert_order(conn, req))
    };
    match attempt {
        // Two submits raced past the first lookup; the loser's insert hit the unique checkout
        // token and rolled back (giving its place back): answer with the winner's order.
        Err(PlaceError::Failed(AppError::Internal(_)))
        | Err(PlaceError::Failed(AppError::Conflict)) => {
            match repo::by_checkout_token(conn, req.checkout_token)? {
                Some((id, status_token)) => Ok(Placed {
                    id,
                    status_token,
                    fresh: false,
                    payment_url: None,
                }),
                None => attempt,
            }
        }
        Ok(placed) => {
            if placed.fresh {
                measure::order_event("placed", 1);
            }
            Ok(placed)
        }
        other => other,
    }
}

/// Inserts the order. A checkout token that was placed before makes the insert hit its unique
/// key; `place_order` then answers with the existing order.
fn insert_order(conn: &mut DbConn, req: &PlaceOrder<'_>) -> Result<Placed, PlaceError> {
    let checkout = req.checkout;
    let now = crate::db::now();
    let status_token = crate::domain::token::random_token();
    // The number is `B-<year>-<id>`: the database completes this prefix from the new id as the
    // row is inserted (a trigger), so no shared counter row is locked and no second write is
    // needed.
    let year = chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Amsterdam)
        .year();
    let number = format!("B-{year}-");
    let vat = |rate: VatRate| {
        req.totals
            .vat
            .iter()
            .find(|v| v.rate == rate)
            .map_or((0, 0), |v| (v.gross.cents(), v.vat.cents()))
    };
    let (reduced_gross, reduced_vat) = vat(VatRate::Reduced);
    let (standard_gross, standard_vat) = vat(VatRate::Standard);
    let (recipient, instructions, not_home, zone) = match &checkout.fulfilment {
        Fulfilment::Delivery {
            recipient,
            instructions,
            not_home,
            zone,
            ..
        } => (
            Some(recipient),
            instructions.as_ref(),
            Some(not_home.as_str()),
            Some(zone.as_str()),
        ),
        Fulfilment::Pickup => (None, None, None, None),
    };
    let postcode = recipient.map(|r| r.postcode.to_string());
    let order = NewOrder {
        number: &number,
        status_token: &status_token,
        checkout_token: req.checkout_token,
        status: if req.buyer.on_account {
            OrderStatus::Confirmed.as_str()
        } else {
            OrderStatus::AwaitingPayment.as_str()
        },
        lang: req.lang.code(),
        fulfilment: if recipient.is_some() {
            "delivery"
        } else {
            "pickup"
        },
        delivery_date: checkout.date,
        sender_name: checkout.sender.name.as_str(),
        sender_email: checkout.sender.email.as_str(),
        sender_phone: checkout.sender.phone.as_ref().map(|p| p.as_str()),
        recipient_name: recipient.map(|r| r.name.as_str()),
        recipient_street: recipient.map(|r| r.street.as_str()),
        recipient_postcode: postcode.as_deref(),
        recipient_city: recipient.map(|r| r.city.as_str()),
        recipient_phone: recipient.and_then(|r| r.phone.as_ref()).map(|p| p.as_str()),
        card_message: checkout.card_message.as_ref().map(|t| t.as_str()),
        card_anonymous: checkout.card_anonymous,
        delivery_instructions: instructions.map(|t| t.as_str()),
        not_home,
        zone_name: zone,
        goods_cents: req.totals.goods.cents(),
        delivery_fee_cents: req.totals.delivery_fee.cents(),
        total_cents: req.totals.total.cents(),
        vat_reduced_gross_cents: reduced_gross,
        vat_reduced_cents: reduced_vat,
        vat_standard_gross_cents: standard_gross,
        vat_standard_cents: standard_vat,
        payment_expires_at: (!req.buyer.on_account).then_some(req.payment_expires_at),
        customer_id: req.buyer.customer_id,
        company_id: req.buyer.company_id,
        on_account: req.buyer.on_account,
        po_number: req.buyer.po_number,
        created_at: now,
        updated_at: now,
    };
    if req.buyer.on_account
        && !may_order_on_account(conn, &req.buyer).map_err(PlaceError::Failed)?
    {
        // Removed from the company, or its approval withdrawn, since the form was checked.
        return Err(PlaceError::Failed(AppError::Forbidden));
    }
    if super::pg_place::applies(conn, req) {
        return super::pg_place::place(conn, req, &order, status_token.clone());
    }
    let id = match repo::insert_order(conn, &order) {
        Ok(id) => id,
        Err(Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => {
            return Err(PlaceError::Failed(AppError::Conflict));
        }
        Err(e) => return Err(e.into()),
    };
    for (position, line) in req.cart.lines.iter().enumerate() {
        repo::insert_priced_line(conn, id, position as i32, line)?;
    }
    if let Some((provider, payment)) = req.payment.filter(|_| !req.buyer.on_account) {
        payments::insert(
            conn,
            &payments::NewPayment {
                order_id: id,
                provider,
                provider_payment_id: &payment.id,
                amount_cents: req.totals.total.cents(),
                checkout_url: &payment.checkout_url,
            },
        )?;
    }
    // The date's place is taken last: its row is the one every checkout for that date waits
    // for, so it is held only for the rest of this transaction. A full date rolls it all back.
    if !delivery::take_place(conn, checkout.date, req.capacity)? {
        return Err(PlaceError::DateFull);
    }
    if req.buyer.on_account {
        confirm(conn, id, req.mail).map_err(PlaceError::Failed)?;
        return Ok(Placed {
            id,
            status_token,
            fresh: true,
            payment_url: None,
        });
    }
    Ok(Placed {
        id,
        status_token,
        fresh: true,
        payment_url: req.payment.map(|(_, p)| p.checkout_url.clone()),
    })
}

/// Expires every order still awaiting payment after its time, each in its own transaction:
/// the order becomes `expired`, its open payments too, and its place on the date is given back.
pub fn expire_unpaid(conn: &mut DbConn, now: NaiveDateTime) -> Result<usize, AppError> {
    let due = repo::unpaid_before(conn, now)?;
    let mut expired = 0;
    for order_id in due {
        let outcome = conn.write_tx(|conn| -> Result<usize, AppError> {
            let Some(date) = repo::expire_if_unpaid(conn, order_id)? else {
                return Ok(0);
            };
            delivery::release_place(conn, date)?;
            Ok(1)
        });
        match outcome {
            Ok(n) => {
                measure::order_event("expired", n as u64);
                expired += n;
            }
            // One order that cannot be expired now (a payment report holding it, say) must not
            // hold up the others; the next round tries it again.
            Err(e) => tracing::warn!(order_id, error = %e, "could not expire an unpaid order"),
        }
    }
    Ok(expired)
}

/// Applies what the provider reports about a payment, in one write transaction: a paid order is
/// confirmed and its confirmation mail queued in the same transaction. Reporting the same status
/// again changes nothing. Returns the order's status token.
pub fn apply_payment_status(
    conn: &mut DbConn,
    provider_payment_id: &str,
    reported: PaymentStatus,
    capacity: u32,
    mail: &crate::mail::messages::MailContext,
) -> Result<String, AppError> {
    let mut event = None;
    let token = conn.write_tx(|conn| -> Result<String, AppError> {
        event = None; // a retried transaction starts over
        let order_id = payments::find(conn, provider_payment_id)?
            .ok_or(AppError::NotFound)?
            .order_id;
        // The order's row is locked first, as the expiry job does, so the two cannot deadlock,
        // and the payment is read again under that lock: an expiry that committed meanwhile is
        // seen (and a late "paid" still counts) instead of silently winning.
        repo::lock(conn, order_id)?;
        let payment = payments::find(conn, provider_payment_id)?.ok_or(AppError::NotFound)?;
        let (_, date, status_token) = repo::state_of(conn, order_id)?;
        let current = PaymentStatus::parse(&payment.status).ok_or_else(|| {
            AppError::internal(format!("payment of order {order_id}: unknown status"))
        })?;
        // Paid, failed and canceled are final. An expired payment may still turn out paid: the
        // shop's own expiry can overtake a customer who was paying at the provider just then.
        let settled = match current {
            PaymentStatus::Open => false,
            PaymentStatus::Expired => reported != PaymentStatus::Paid,
            PaymentStatus::Paid | PaymentStatus::Failed | PaymentStatus::Canceled => true,
        };
        // The update is conditional, so of two reports arriving together exactly one goes on.
        if settled
            || reported == PaymentStatus::Open
            || !payments::set_status_if(
                conn,
                provider_payment_id,
                current.as_str(),
                reported.as_str(),
            )?
        {
            return Ok(status_token);
        }
        let awaiting = OrderStatus::AwaitingPayment.as_str();
        if payment.purpose == "difference" {
            // A difference paid (or not) after staff changed a confirmed order: recorded above;
            // the order itself stands either way.
            return Ok(status_token);
        }
        match reported {
            PaymentStatus::Paid => {
                if settle_paid(conn, order_id, date, capacity, mail)? {
                    event = Some("paid");
                }
            }
            PaymentStatus::Failed | PaymentStatus::Canceled | PaymentStatus::Expired => {
                let next = if reported == PaymentStatus::Expired {
                    OrderStatus::Expired
                } else {
                    OrderStatus::PaymentFailed
                };
                if repo::set_status_if(conn, order_id, awaiting, next.as_str())? {
                    delivery::release_place(conn, date)?;
                    event = Some(if reported == PaymentStatus::Expired {
                        "expired"
                    } else {
                        "cancelled"
                    });
                }
            }
            PaymentStatus::Open => {}
        }
        Ok(status_token)
    })?;
    // Counted once committed, so a rolled-back report counts nothing.
    if let Some(event) = event {
        measure::order_event(event, 1);
    }
    Ok(token)
}

/// A payment of this order was paid: confirm the order. It may have lapsed meanwhile (the shop
/// expired it while the customer was still paying): then it stands if its date still has room.
/// Returns whether the order is now confirmed.
fn settle_paid(
    conn: &mut DbConn,
    order_id: i64,
    date: chrono::NaiveDate,
    capacity: u32,
    mail: &crate::mail::messages::MailContext,
) -> Result<bool, AppError> {
    let confirmed = OrderStatus::Confirmed.as_str();
    if repo::set_status_if(
        conn,
        order_id,
        OrderStatus::AwaitingPayment.as_str(),
        confirmed,
    )? {
        return confirm(conn, order_id, mail).map(|()| true);
    }
    for lapsed in [OrderStatus::Expired, OrderStatus::PaymentFailed] {
        if repo::set_status_if(conn, order_id, lapsed.as_str(), confirmed)? {
            if delivery::take_place(conn, date, capacity)? {
                return confirm(conn, order_id, mail).map(|()| true);
            }
            // The money is taken but the day is full: keep the order as it was, and say so.
            repo::set_status_if(conn, order_id, confirmed, lapsed.as_str())?;
            tracing::error!(
                order_id,
                "paid after its delivery date filled up: refund due"
            );
            return Ok(false);
        }
    }
    tracing::error!(
        order_id,
        "a second payment arrived for an order that is already paid: refund due"
    );
    Ok(false)
}

/// Queues the confirmation of a just-confirmed order (same transaction).
fn confirm(
    conn: &mut DbConn,
    order_id: i64,
    mail: &crate::mail::messages::MailContext,
) -> Result<(), AppError> {
    super::mails::confirmation(conn, order_id, mail)?.queue(conn)?;
    Ok(())
}

/// The provider name of a payment made at the shop's counter: its money is handed back there
/// too, never through a payment provider.
pub const PAID_IN_SHOP: &str = "shop";

/// Confirms an order paid at the shop's counter (a phone order paid in the shop), in one
/// transaction: the payment recorded as paid, the order confirmed, its confirmation queued.
pub fn confirm_paid_in_shop(
    conn: &mut DbConn,
    order_id: i64,
    mail: &crate::mail::messages::MailContext,
) -> Result<(), AppError> {
    conn.write_tx(|conn| {
        let (total, _, _) = repo::to_pay(conn, order_id)?;
        payments::insert(
            conn,
            &payments::NewPayment {
                order_id,
                provider: PAID_IN_SHOP,
                provider_payment_id: &format!("shop-{order_id}"),
                amount_cents: total,
                checkout_url: "",
            },
        )?;
        payments::set_status_if(conn, &format!("shop-{order_id}"), "open", "paid")?;
        if !repo::set_status_if(
            conn,
            order_id,
            OrderStatus::AwaitingPayment.as_str(),
            OrderStatus::Confirmed.as_str(),
        )? {
            return Err(AppError::Conflict);
        }
        confirm(conn, order_id, mail)
    })
}
