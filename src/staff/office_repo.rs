//! Back-office queries: today's work for the start page, and the change log of what staff
//! changed in the calendar, zones and catalogue (who, when, what).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::{orders, staff, staff_changes};
use crate::domain::OrderStatus;

/// How many orders of a date are at each step of the day's work.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DayCounts {
    /// Paid, not started.
    pub to_make: i64,
    /// Being made.
    pub in_production: i64,
    /// Made, waiting for the courier or the customer.
    pub ready: i64,
    /// With the courier.
    pub out: i64,
    /// Delivered, with the neighbours, or picked up.
    pub done: i64,
    /// Nobody home: a card left or brought back to the shop.
    pub failed: i64,
}

/// The counts for orders to be delivered or picked up on `date`; `courier`: only the stops
/// on that courier's run.
pub fn day_counts(
    conn: &mut DbConn,
    date: NaiveDate,
    courier: Option<i64>,
) -> QueryResult<DayCounts> {
    // A day holds at most a few hundred orders: counted here, one query on both backends.
    let rows: Vec<(String, Option<i64>)> = orders::table
        .filter(orders::delivery_date.eq(date))
        .select((orders::status, orders::courier_id))
        .load(conn)?;
    let rows = rows
        .into_iter()
        .filter(|(_, run)| courier.is_none() || *run == courier)
        .map(|(status, _)| (status, 1));
    let mut counts = DayCounts::default();
    for (status, n) in rows {
        let slot = match OrderStatus::parse(&status) {
            Some(OrderStatus::Confirmed) => &mut counts.to_make,
            Some(OrderStatus::InProduction) => &mut counts.in_production,
            Some(OrderStatus::Ready) => &mut counts.ready,
            Some(OrderStatus::OutForDelivery) => &mut counts.out,
            Some(OrderStatus::Delivered | OrderStatus::WithNeighbour) => &mut counts.done,
            Some(OrderStatus::CardLeft | OrderStatus::ReturnedToShop) => &mut counts.failed,
            _ => continue,
        };
        *slot += n;
    }
    Ok(counts)
}

/// Records that a staff member changed `subject` (`calendar:2026-12-24`, `zone:3`).
pub fn record_change(
    conn: &mut DbConn,
    staff_id: i64,
    subject: &str,
    summary: &str,
) -> QueryResult<()> {
    diesel::insert_into(staff_changes::table)
        .values((
            staff_changes::staff_id.eq(staff_id),
            staff_changes::subject.eq(subject),
            staff_changes::summary.eq(summary),
            staff_changes::created_at.eq(crate::db::now()),
        ))
        .execute(conn)
        .map(drop)
}

/// One recorded change.
#[derive(Debug, Clone)]
pub struct Change {
    /// Who (their name; `None` once they left).
    pub by: Option<String>,
    /// When (UTC).
    pub at: NaiveDateTime,
    /// What.
    pub summary: String,
}

/// The latest changes to subjects starting with `prefix`, newest first.
pub fn changes(conn: &mut DbConn, prefix: &str, limit: i64) -> QueryResult<Vec<Change>> {
    load_changes(conn, Subject::StartsWith(prefix), limit)
}

/// The latest changes to exactly `subject` (`product:7`, not also `product:71`), newest first.
pub fn changes_to(conn: &mut DbConn, subject: &str, limit: i64) -> QueryResult<Vec<Change>> {
    load_changes(conn, Subject::Is(subject), limit)
}

enum Subject<'a> {
    StartsWith(&'a str),
    Is(&'a str),
}

fn load_changes(conn: &mut DbConn, subject: Subject<'_>, limit: i64) -> QueryResult<Vec<Change>> {
    let mut query = staff_changes::table
        .left_join(staff::table)
        .order((staff_changes::created_at.desc(), staff_changes::id.desc()))
        .limit(limit)
        .select((
            staff::name.nullable(),
            staff_changes::created_at,
            staff_changes::summary,
        ))
        .into_boxed();
    query = match subject {
        Subject::StartsWith(prefix) => {
            query.filter(staff_changes::subject.like(format!("{prefix}%")))
        }
        Subject::Is(subject) => query.filter(staff_changes::subject.eq(subject.to_owned())),
    };
    let rows: Vec<(Option<String>, NaiveDateTime, String)> = query.load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(by, at, summary)| Change { by, at, summary })
        .collect())
}
