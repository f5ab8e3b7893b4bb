//! The shop's own record of payments: one row per payment started at a provider.

use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::payments;

/// A payment as the shop recorded it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = payments)]
pub struct PaymentRow {
    pub order_id: i64,
    pub provider: String,
    pub status: String,
    pub amount_cents: i64,
    /// `order`, or `difference` (asked after staff made the order dearer).
    pub purpose: String,
}

/// The payment with this provider id.
pub fn find(conn: &mut DbConn, provider_payment_id: &str) -> QueryResult<Option<PaymentRow>> {
    payments::table
        .filter(payments::provider_payment_id.eq(provider_payment_id))
        .select(PaymentRow::as_select())
        .first(conn)
        .optional()
}

/// An open payment: whose it is and where the customer pays it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = payments)]
pub struct OpenPayment {
    pub provider_payment_id: String,
    pub provider: String,
    pub checkout_url: Option<String>,
}

/// The newest open payment of an order.
pub fn open_of(conn: &mut DbConn, order_id: i64) -> QueryResult<Option<OpenPayment>> {
    payments::table
        .filter(payments::order_id.eq(order_id))
        .filter(payments::status.eq("open"))
        .order(payments::id.desc())
        .select(OpenPayment::as_select())
        .first(conn)
        .optional()
}

/// A payment just created at a provider.
pub struct NewPayment<'a> {
    pub order_id: i64,
    pub provider: &'a str,
    pub provider_payment_id: &'a str,
    pub amount_cents: i64,
    pub checkout_url: &'a str,
}

/// Records a payment created for an order. At most one open payment per order (a unique
/// index): a second one fails with a unique violation.
pub fn insert(conn: &mut DbConn, payment: &NewPayment<'_>) -> QueryResult<()> {
    let now = crate::db::now();
    diesel::insert_into(payments::table)
        .values((
            payments::order_id.eq(payment.order_id),
            payments::provider.eq(payment.provider),
            payments::provider_payment_id.eq(payment.provider_payment_id),
            payments::status.eq("open"),
            payments::amount_cents.eq(payment.amount_cents),
            payments::checkout_url.eq(payment.checkout_url),
            payments::created_at.eq(now),
            payments::updated_at.eq(now),
        ))
        .execute(conn)
        .map(drop)
}

/// Records a payment for the difference after an order was made dearer. An open earlier one
/// (a link the customer did not use) is closed first: an order has one open payment at most.
pub fn insert_difference(conn: &mut DbConn, payment: &NewPayment<'_>) -> QueryResult<()> {
    diesel::update(
        payments::table
            .filter(payments::order_id.eq(payment.order_id))
            .filter(payments::status.eq("open")),
    )
    .set((
        payments::status.eq("expired"),
        payments::updated_at.eq(crate::db::now()),
    ))
    .execute(conn)?;
    insert(conn, payment)?;
    diesel::update(
        payments::table.filter(payments::provider_payment_id.eq(payment.provider_payment_id)),
    )
    .set(payments::purpose.eq("difference"))
    .execute(conn)
    .map(drop)
}

/// Sets a payment's status only if it still has `from`; false when another report won.
pub fn set_status_if(
    conn: &mut DbConn,
    provider_payment_id: &str,
    from: &str,
    to: &str,
) -> QueryResult<bool> {
    let changed = diesel::update(
        payments::table
            .filter(payments::provider_payment_id.eq(provider_payment_id))
            .filter(payments::status.eq(from)),
    )
    .set((
        payments::status.eq(to),
        payments::updated_at.eq(crate::db::now()),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}
