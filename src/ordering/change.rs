//! Changing a confirmed order before production starts (staff, on the customer's word): the
//! recipient, the address (its zone and fee looked up again), the date (its place taken on the
//! new date and given back on the old one), the card and the instructions, and the lines
//! (`change_lines`) — checked by the same rules as checkout. Goods kept keep the prices they were
//! ordered at; the fee follows the zone; the difference is settled: paid back at once, or asked
//! for with a payment link.

use chrono::NaiveDate;
use diesel::prelude::*;

use super::change_lines::LineEdits;
use super::checkout::{self, Checkout, CheckoutForm, Fulfilment};
use super::refunds;
use crate::catalog::model::VatRate;
use crate::catalog::service::Snapshot;
use crate::db::DbConn;
use crate::db::schema::{order_line_addons, order_lines, orders};
use crate::delivery::repo as delivery;
use crate::delivery::service::DeliveryPlan;
use crate::domain::{FieldErrors, OrderStatus};
use crate::error::AppError;
use crate::money::Money;

/// What changing the order left to settle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Settlement {
    /// The total did not change, or the order is paid on account (the invoice follows it).
    Nothing,
    /// The customer owes this much more: a payment link is to be sent.
    Owed(Money),
    /// Money goes back: the refunds recorded.
    Refund(super::refunds::Recorded),
}

/// The form of a stored order, as staff start changing it.
pub fn form_of(conn: &mut DbConn, order_id: i64) -> Result<CheckoutForm, AppError> {
    type Row = (
        String,
        String,
        Option<String>,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        bool,
        Option<String>,
        Option<String>,
        NaiveDate,
    );
    let row: Row = orders::table
        .find(order_id)
        .select((
            orders::sender_name,
            orders::sender_email,
            orders::sender_phone,
            orders::fulfilment,
            orders::recipient_name,
            orders::recipient_street,
            orders::recipient_postcode,
            orders::recipient_city,
            orders::recipient_phone,
            orders::card_message,
            orders::card_anonymous,
            orders::delivery_instructions,
            orders::not_home,
            orders::delivery_date,
        ))
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)?;
    let text = |v: Option<String>| v.unwrap_or_default();
    Ok(CheckoutForm {
        sender_name: row.0,
        sender_email: row.1,
        sender_phone: text(row.2),
        fulfilment: row.3,
        recipient_name: text(row.4),
        recipient_street: text(row.5),
        recipient_postcode: text(row.6),
        recipient_city: text(row.7),
        recipient_phone: text(row.8),
        card_message: text(row.9),
        card_anonymous: row.10.then(|| "on".to_owned()),
        delivery_instructions: text(row.11),
        not_home: row.12.unwrap_or_else(|| "neighbour".into()),
        delivery_date: row.13.format("%Y-%m-%d").to_string(),
        ..CheckoutForm::default()
    })
}

/// The typed changes on top of the stored order: who sends it and how it comes stay as they
/// were (a pickup does not become a delivery here).
pub fn merged(stored: &CheckoutForm, typed: &CheckoutForm) -> CheckoutForm {
    CheckoutForm {
        sender_name: stored.sender_name.clone(),
        sender_email: stored.sender_email.clone(),
        sender_phone: stored.sender_phone.clone(),
        fulfilment: stored.fulfilment.clone(),
        ..typed.clone()
    }
}

/// The goods of a stored order per VAT rate, at the prices it was ordered at.
fn stored_parts(conn: &mut DbConn, order_id: i64) -> Result<Vec<(VatRate, Money)>, AppError> {
    let lines: Vec<(i64, String, i64, i32)> = order_lines::table
        .filter(order_lines::order_id.eq(order_id))
        .select((
            order_lines::id,
            order_lines::vat_rate,
            order_lines::unit_price_cents,
            order_lines::quantity,
        ))
        .load(conn)?;
    let addons: Vec<(i64, String, i64)> = order_line_addons::table
        .inner_join(order_lines::table)
        .filter(order_lines::order_id.eq(order_id))
        .select((
            order_line_addons::line_id,
            order_line_addons::vat_rate,
            order_line_addons::price_cents,
        ))
        .load(conn)?;
    let rate = |s: &str| {
        VatRate::parse(s).ok_or_else(|| AppError::internal(format!("order {order_id}: VAT {s}")))
    };
    let mut parts = Vec::new();
    for (id, vat, unit, quantity) in &lines {
        let q = i64::from(*quantity);
        parts.push((rate(vat)?, Money::from_cents(unit * q)));
        for (_, vat, price) in addons.iter().filter(|(line, _, _)| line == id) {
            parts.push((rate(vat)?, Money::from_cents(price * q)));
        }
    }
    Ok(parts)
}

/// What the customer still owes (positive) or is owed (negative): the total less what was
/// paid online and not refunded. Zero for an order on account (its invoice follows the order).
pub fn balance(conn: &mut DbConn, order_id: i64) -> QueryResult<Money> {
    let (total, on_account): (i64, bool) = orders::table
        .find(order_id)
        .select((orders::total_cents, orders::on_account))
        .first(conn)?;
    if on_account {
        return Ok(Money::ZERO);
    }
    let net = refunds::refundable_total(conn, order_id)?.map_or(0, |m| m.cents());
    Ok(Money::from_cents(total - net))
}

/// Applies the typed changes to a confirmed order in one transaction, or says what to fix.
/// An order in production or further is refused (409): the florist is already at work on it.
pub fn apply(
    conn: &mut DbConn,
    order_id: i64,
    typed: &CheckoutForm,
    lines: &LineEdits,
    catalogue: &Snapshot,
    plan: &DeliveryPlan,
    staff_id: i64,
) -> Result<Result<(Checkout, Settlement), FieldErrors>, AppError> {
    conn.write_tx(|conn| {
        super::repo::lock(conn, order_id)?;
        let (status, old_date, _) = super::repo::state_of(conn, order_id)?;
        if OrderStatus::parse(&status) != Some(OrderStatus::Confirmed) {
            return Err(AppError::Conflict);
        }
        let stored = form_of(conn, order_id)?;
        let form = merged(&stored, typed);
        // Everything is checked before anything is written: a refused change commits nothing.
        let checked_lines = super::change_lines::check(conn, order_id, lines, catalogue)?;
        let lead = checked_lines.as_ref().map_or(0, |c| c.lead_time_days);
        let checkout = checkout::validate_for(&form, plan, lead, Some(old_date));
        let (checked_lines, checkout) = match (checked_lines, checkout) {
            (Ok(lines), Ok(checkout)) => (lines, checkout),
            (lines, checkout) => {
                let mut errors = lines.err().unwrap_or_default();
                errors.extend(checkout.err().unwrap_or_default());
                return Ok(Err(errors));
            }
        };
        if checkout.date != old_date {
            let capacity = plan.rules.capacity_on(checkout.date);
            if !delivery::take_place(conn, checkout.date, capacity)? {
                return Ok(Err(FieldErrors::from([(
                    "delivery_date",
                    "delivery-date-full",
                )])));
            }
            delivery::release_place(conn, old_date)?;
        }
        super::change_lines::write(conn, order_id, &checked_lines)?;
        let totals = super::pricing::totals(&stored_parts(conn, order_id)?, checkout.fee())
            .map_err(|_| AppError::internal(format!("order {order_id}: total overflows")))?;
        super::repo::update_delivery(conn, order_id, &checkout, &totals)?;
        let parts = changed_parts(&stored, &form_of(conn, order_id)?, &checked_lines);
        if parts.is_empty() {
            // Saved without a change (what was written is what was there): no history line,
            // no mail to the customer, and staff are told so.
            return Ok(Err(FieldErrors::from([("lines", "change-error-nothing")])));
        }
        let confirmed = OrderStatus::Confirmed.as_str();
        let note = parts.join(",");
        super::repo::insert_event(conn, order_id, confirmed, confirmed, staff_id, Some(&note))?;
        let owed = balance(conn, order_id)?;
        let settlement = if owed.cents() > 0 {
            Settlement::Owed(owed)
        } else if owed.cents() < 0 {
            let back = Money::from_cents(-owed.cents());
            match refunds::record_partial(conn, order_id, back, staff_id)? {
                Some(recorded) => Settlement::Refund(recorded),
                None => return Err(AppError::internal("refund larger than what was paid")),
            }
        } else {
            Settlement::Nothing
        };
        Ok(Ok((checkout, settlement)))
    })
}

/// What a change touched, as the codes its history line keeps (see [`PART_CODES`]), comparing
/// the order as stored before and after (so retyping the same thing changes nothing).
fn changed_parts(
    before: &CheckoutForm,
    after: &CheckoutForm,
    lines: &super::change_lines::CheckedLines,
) -> Vec<&'static str> {
    let differs = |f: fn(&CheckoutForm) -> Vec<&str>| f(before) != f(after);
    let mut parts = Vec::new();
    if lines.touches_lines() {
        parts.push("lines");
    }
    if differs(|f| vec![f.delivery_date.as_str()]) {
        parts.push("date");
    }
    if differs(|f| vec![f.recipient_name.as_str(), f.recipient_phone.as_str()]) {
        parts.push("recipient");
    }
    if differs(|f| {
        vec![
            f.recipient_street.as_str(),
            f.recipient_postcode.as_str(),
            f.recipient_city.as_str(),
            f.delivery_instructions.as_str(),
            f.not_home.as_str(),
        ]
    }) {
        parts.push("address");
    }
    if differs(|f| {
        vec![
            f.card_message.as_str(),
            f.card_anonymous.as_deref().unwrap_or(""),
        ]
    }) {
        parts.push("card");
    }
    parts
}

/// The codes a change's history line may hold, each with its words for staff.
pub const PART_CODES: [(&str, &str); 5] = [
    ("lines", "staff-changed-lines"),
    ("date", "staff-changed-date"),
    ("recipient", "staff-changed-recipient"),
    ("address", "staff-changed-address"),
    ("card", "staff-changed-card"),
];

/// Whether a checkout is a delivery (for the change summary).
pub fn is_delivery(checkout: &Checkout) -> bool {
    matches!(checkout.fulfilment, Fulfilment::Delivery { .. })
}

/// Asks the customer for what a change left them owing: a payment of the difference created at
/// the provider (outside any transaction: it may take seconds), recorded, and mailed with its
/// link. Returns the amount asked (`None`: nothing owed, or an order on account).
pub async fn ask_difference(
    db: &crate::db::Db,
    provider: &crate::payment::Provider,
    mail: &crate::mail::messages::MailContext,
    order_id: i64,
) -> Result<Option<Money>, AppError> {
    use crate::payment::PaymentProvider;
    let (owed, number, lang, token) = db
        .run(move |conn| {
            let owed = balance(conn, order_id)?;
            let (_, number, lang) = super::repo::to_pay(conn, order_id)?;
            let (_, _, token) = super::repo::state_of(conn, order_id)?;
            Ok((owed, number, lang, token))
        })
        .await?;
    if owed.cents() <= 0 {
        return Ok(None);
    }
    let lang = crate::i18n::Lang::from_code(&lang).unwrap_or_default();
    let request = super::paying::request(mail, order_id, owed, &number, lang, &token);
    let created = provider
        .create(&request)
        .await
        .map_err(|e| AppError::PaymentService(e.to_string()))?;
    let name = provider.name();
    let link = if created.checkout_url.starts_with('/') {
        format!("{}{}", mail.public_url, created.checkout_url)
    } else {
        created.checkout_url.clone()
    };
    let mail = mail.clone();
    db.run(move |conn| {
        conn.write_tx(|conn| {
            crate::payment::repo::insert_difference(
                conn,
                &crate::payment::repo::NewPayment {
                    order_id,
                    provider: name,
                    provider_payment_id: &created.id,
                    amount_cents: owed.cents(),
                    checkout_url: &created.checkout_url,
                },
            )?;
            let settled = super::mails::Changed::Owed(owed, link);
            super::mails::changed(conn, order_id, settled, &mail)?.queue(conn)?;
            Ok(())
        })
    })
    .await?;
    Ok(Some(owed))
}
