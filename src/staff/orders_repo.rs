//! Order-desk queries: finding orders by what a caller says on the phone, and everything one
//! order holds for the order page.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{order_events, orders, payments, staff};
use crate::db::{DbConn, lower};
use crate::domain::DutchPostcode;

/// How many orders a search lists.
pub const HITS_SHOWN: i64 = 50;

/// An order found by a search.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = orders)]
pub struct Hit {
    pub id: i64,
    pub number: String,
    pub status: String,
    pub fulfilment: String,
    pub delivery_date: NaiveDate,
    pub sender_name: String,
    pub recipient_name: Option<String>,
    pub recipient_city: Option<String>,
    pub total_cents: i64,
    pub customer_id: Option<i64>,
}

/// Escapes `%`, `_` and the escape character itself, so typed text matches only itself.
fn literal(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// Orders whose number, sender or recipient name, e-mail, phone or postcode matches `query`,
/// newest delivery date first. A postcode is matched in its stored form (`1441 AB`), whichever
/// way it was typed.
pub fn search(conn: &mut DbConn, query: &str) -> QueryResult<Vec<Hit>> {
    let lowered = query.to_lowercase();
    let contains = format!("%{}%", literal(&lowered));
    let postcode = DutchPostcode::parse(query)
        .map(|p| p.to_string())
        .unwrap_or_else(|_| query.to_uppercase());
    orders::table
        .filter(
            lower(orders::number)
                .eq(&lowered)
                .or(lower(orders::sender_name).like(&contains).escape('\\'))
                .or(lower(orders::sender_email).like(&contains).escape('\\'))
                .or(lower(orders::recipient_name.assume_not_null())
                    .like(&contains)
                    .escape('\\'))
                .or(orders::sender_phone
                    .assume_not_null()
                    .like(&contains)
                    .escape('\\'))
                .or(orders::recipient_phone
                    .assume_not_null()
                    .like(&contains)
                    .escape('\\'))
                .or(orders::recipient_postcode.assume_not_null().eq(postcode)),
        )
        .order((orders::delivery_date.desc(), orders::id.desc()))
        .limit(HITS_SHOWN)
        .select(Hit::as_select())
        .load(conn)
}

/// Everything the order page shows about an order.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = orders)]
pub struct OrderDetail {
    pub id: i64,
    pub number: String,
    pub status: String,
    pub fulfilment: String,
    pub delivery_date: NaiveDate,
    pub sender_name: String,
    pub sender_email: String,
    pub sender_phone: Option<String>,
    pub recipient_name: Option<String>,
    pub recipient_street: Option<String>,
    pub recipient_postcode: Option<String>,
    pub recipient_city: Option<String>,
    pub recipient_phone: Option<String>,
    pub card_message: Option<String>,
    pub card_anonymous: bool,
    pub delivery_instructions: Option<String>,
    pub zone_name: Option<String>,
    pub goods_cents: i64,
    pub delivery_fee_cents: i64,
    pub total_cents: i64,
    pub created_at: NaiveDateTime,
    pub customer_id: Option<i64>,
    pub company_id: Option<i64>,
    pub on_account: bool,
    pub po_number: Option<String>,
}

/// One order's details.
pub fn detail(conn: &mut DbConn, id: i64) -> QueryResult<Option<OrderDetail>> {
    orders::table
        .find(id)
        .select(OrderDetail::as_select())
        .first(conn)
        .optional()
}

/// A step in an order's history.
#[derive(Debug, Clone)]
pub struct Event {
    /// From which status.
    pub from: String,
    /// To which status.
    pub to: String,
    /// Who (`None`: the shop itself, or a staff member who has left).
    pub by: Option<String>,
    /// When (UTC).
    pub at: NaiveDateTime,
    /// Why, when staff said (a step undone).
    pub note: Option<String>,
}

/// An order's history, oldest first.
pub fn events(conn: &mut DbConn, order_id: i64) -> QueryResult<Vec<Event>> {
    type Row = (
        String,
        String,
        Option<String>,
        NaiveDateTime,
        Option<String>,
    );
    let rows: Vec<Row> = order_events::table
        .left_join(staff::table.on(order_events::staff_id.eq(staff::id.nullable())))
        .filter(order_events::order_id.eq(order_id))
        .order(order_events::id)
        .select((
            order_events::from_status,
            order_events::to_status,
            staff::name.nullable(),
            order_events::created_at,
            order_events::note,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(from, to, by, at, note)| Event {
            from,
            to,
            by,
            at,
            note,
        })
        .collect())
}

/// The last step an order took: `(from, to)`. Changes to the order (same status before and
/// after) are not steps.
pub fn last_step(conn: &mut DbConn, order_id: i64) -> QueryResult<Option<(String, String)>> {
    order_events::table
        .filter(order_events::order_id.eq(order_id))
        .filter(order_events::from_status.ne(order_events::to_status))
        .order(order_events::id.desc())
        .select((order_events::from_status, order_events::to_status))
        .first(conn)
        .optional()
}

/// A payment as the order page lists it: `(provider, status, amount cents, when)`.
pub type PaymentLine = (String, String, i64, NaiveDateTime);

/// An order's payments, oldest first.
pub fn payments_of(conn: &mut DbConn, order_id: i64) -> QueryResult<Vec<PaymentLine>> {
    payments::table
        .filter(payments::order_id.eq(order_id))
        .order(payments::id)
        .select((
            payments::provider,
            payments::status,
            payments::amount_cents,
            payments::created_at,
        ))
        .load(conn)
}
