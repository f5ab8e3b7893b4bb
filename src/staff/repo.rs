//! Staff and order-event queries, and what the board, tickets and courier list read.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::{orders, staff, staff_logins};

/// A staff member as the back office needs them.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = staff)]
pub struct StaffRow {
    pub id: i64,
    pub name: String,
    pub password_hash: String,
    pub role: String,
    pub active: bool,
}

impl StaffRow {
    /// The member's role, parsed from its stored form.
    pub fn role(&self) -> Result<super::model::Role, crate::error::AppError> {
        super::model::Role::parse(&self.role).ok_or_else(|| {
            crate::error::AppError::internal(format!("staff {}: unknown role", self.id))
        })
    }
}

/// Adds a staff member; returns the id.
pub fn insert(
    conn: &mut DbConn,
    email: &str,
    name: &str,
    password_hash: &str,
    role: &str,
) -> QueryResult<i64> {
    diesel::insert_into(staff::table)
        .values((
            staff::email.eq(email),
            staff::name.eq(name),
            staff::password_hash.eq(password_hash),
            staff::role.eq(role),
            staff::active.eq(true),
            staff::created_at.eq(crate::db::now()),
        ))
        .returning(staff::id)
        .get_result(conn)
}

/// The staff member with this e-mail address (compared case-insensitively).
pub fn by_email(conn: &mut DbConn, email: &str) -> QueryResult<Option<StaffRow>> {
    staff::table
        .filter(staff::email.eq(email.trim().to_lowercase()))
        .select(StaffRow::as_select())
        .first(conn)
        .optional()
}

/// The staff member with this id.
pub fn by_id(conn: &mut DbConn, id: i64) -> QueryResult<Option<StaffRow>> {
    staff::table
        .find(id)
        .select(StaffRow::as_select())
        .first(conn)
        .optional()
}

/// The staff member, when their login with this token hash is open (opened after `since`):
/// one query for every staff request.
pub fn by_login(
    conn: &mut DbConn,
    id: i64,
    token_hash: &str,
    since: NaiveDateTime,
) -> QueryResult<Option<StaffRow>> {
    staff::table
        .inner_join(staff_logins::table)
        .filter(staff::id.eq(id))
        .filter(staff_logins::token_hash.eq(token_hash))
        .filter(staff_logins::created_at.ge(since))
        .select(StaffRow::as_select())
        .first(conn)
        .optional()
}

/// Records a login.
pub fn touch_login(conn: &mut DbConn, id: i64, at: NaiveDateTime) -> QueryResult<()> {
    diesel::update(staff::table.find(id))
        .set(staff::last_login_at.eq(at))
        .execute(conn)
        .map(drop)
}

/// An order as the production board and work ticket show it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = orders)]
pub struct BoardOrder {
    pub id: i64,
    pub number: String,
    pub status: String,
    pub fulfilment: String,
    pub delivery_date: NaiveDate,
    pub sender_name: String,
    pub card_message: Option<String>,
    pub card_anonymous: bool,
    /// The recipient's name and address, for the label on the bouquet.
    pub recipient_name: Option<String>,
    pub recipient_street: Option<String>,
    pub recipient_postcode: Option<String>,
    pub recipient_city: Option<String>,
}

/// Orders to make for a date: paid and not cancelled, in number order.
pub fn board(conn: &mut DbConn, date: NaiveDate) -> QueryResult<Vec<BoardOrder>> {
    orders::table
        .filter(orders::delivery_date.eq(date))
        .filter(orders::status.ne_all([
            "awaiting_payment",
            "payment_failed",
            "expired",
            "cancelled",
        ]))
        .order(orders::number)
        .select(BoardOrder::as_select())
        .load(conn)
}

/// One paid order for the work ticket.
pub fn board_order(conn: &mut DbConn, id: i64) -> QueryResult<Option<BoardOrder>> {
    orders::table
        .filter(orders::id.eq(id))
        .filter(orders::status.ne_all([
            "awaiting_payment",
            "payment_failed",
            "expired",
            "cancelled",
        ]))
        .select(BoardOrder::as_select())
        .first(conn)
        .optional()
}

/// A stop on the courier's list: only what delivery needs (P10) — no prices, no sender.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = orders)]
pub struct Stop {
    pub id: i64,
    pub number: String,
    pub status: String,
    pub recipient_name: Option<String>,
    pub recipient_street: Option<String>,
    pub recipient_postcode: Option<String>,
    pub recipient_city: Option<String>,
    pub recipient_phone: Option<String>,
    pub delivery_instructions: Option<String>,
    pub not_home: Option<String>,
    pub courier_id: Option<i64>,
}

/// Deliveries of a date that are ready, on the road or done, by postcode; only those on
/// `courier`'s run when one is given.
pub fn stops(conn: &mut DbConn, date: NaiveDate, courier: Option<i64>) -> QueryResult<Vec<Stop>> {
    let mut query = orders::table.into_boxed();
    if let Some(courier) = courier {
        query = query.filter(orders::courier_id.eq(courier));
    }
    query
        .filter(orders::delivery_date.eq(date))
        .filter(orders::fulfilment.eq("delivery"))
        .filter(orders::status.eq_any([
            "ready",
            "out_for_delivery",
            "delivered",
            "with_neighbour",
            "card_left",
            "returned_to_shop",
        ]))
        .order((orders::recipient_postcode, orders::number))
        .select(Stop::as_select())
        .load(conn)
}

/// Puts every delivery of `date` that is not yet handed over on `courier`'s run; how many.
pub fn assign_all(conn: &mut DbConn, date: NaiveDate, courier: i64) -> QueryResult<usize> {
    let is_courier = staff::table
        .filter(staff::id.eq(courier))
        .filter(staff::role.eq("courier"))
        .filter(staff::active.eq(true))
        .count()
        .get_result::<i64>(conn)?
        == 1;
    if !is_courier {
        return Ok(0);
    }
    diesel::update(
        orders::table
            .filter(orders::delivery_date.eq(date))
            .filter(orders::fulfilment.eq("delivery"))
            .filter(orders::status.eq_any([
                "confirmed",
                "in_production",
                "ready",
                "out_for_delivery",
                "card_left",
                "returned_to_shop",
            ])),
    )
    .set(orders::courier_id.eq(courier))
    .execute(conn)
}

/// A staff member's e-mail address (their login).
pub fn email_of(conn: &mut DbConn, id: i64) -> QueryResult<String> {
    staff::table.find(id).select(staff::email).first(conn)
}

/// Active couriers, `(id, name)` by name, for putting stops on their runs.
pub fn couriers(conn: &mut DbConn) -> QueryResult<Vec<(i64, String)>> {
    staff::table
        .filter(staff::role.eq("courier"))
        .filter(staff::active.eq(true))
        .order(staff::name)
        .select((staff::id, staff::name))
        .load(conn)
}

/// Puts a delivery that is ready or on the road on `courier`'s run (or takes it off any run);
/// false when there is no such stop or no such active courier.
pub fn assign(conn: &mut DbConn, order_id: i64, courier: Option<i64>) -> QueryResult<bool> {
    if let Some(courier) = courier {
        let is_courier = staff::table
            .find(courier)
            .filter(staff::role.eq("courier"))
            .filter(staff::active.eq(true))
            .count()
            .get_result::<i64>(conn)?
            == 1;
        if !is_courier {
            return Ok(false);
        }
    }
    let changed = diesel::update(
        orders::table
            .find(order_id)
            .filter(orders::fulfilment.eq("delivery"))
            .filter(orders::status.eq_any(["ready", "out_for_delivery"])),
    )
    .set(orders::courier_id.eq(courier))
    .execute(conn)?;
    Ok(changed == 1)
}

/// The courier whose run an order is on.
pub fn courier_of(conn: &mut DbConn, order_id: i64) -> QueryResult<Option<i64>> {
    orders::table
        .find(order_id)
        .select(orders::courier_id)
        .first(conn)
}
