//! Delivery queries: zones, calendar overrides, and the places each delivery date holds.

use std::collections::{BTreeMap, HashMap};

use chrono::{NaiveDate, NaiveTime};
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error};

use super::rules::DayPlan;
use super::zones::Zone;
use crate::db::DbConn;
use crate::db::schema::{calendar_overrides, delivery_days, delivery_zones};
use crate::money::Money;

/// Every delivery zone in display order.
pub fn zones(conn: &mut DbConn) -> QueryResult<Vec<Zone>> {
    Ok(zone_rows(conn)?.into_iter().map(|(_, zone)| zone).collect())
}

/// Every delivery zone with its id, in display order (for the owner's zone page).
pub fn zone_rows(conn: &mut DbConn) -> QueryResult<Vec<(i64, Zone)>> {
    let rows: Vec<(i64, String, i32, i32, i64)> = delivery_zones::table
        .order((delivery_zones::position, delivery_zones::id))
        .select((
            delivery_zones::id,
            delivery_zones::name,
            delivery_zones::postcode_from,
            delivery_zones::postcode_to,
            delivery_zones::fee_cents,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, name, from, to, fee)| {
            let zone = Zone {
                name,
                from: u16::try_from(from).unwrap_or(u16::MAX),
                to: u16::try_from(to).unwrap_or(0),
                fee: Money::from_cents(fee),
            };
            (id, zone)
        })
        .collect())
}

/// Changes a zone; false when there is no such zone.
pub fn update_zone(conn: &mut DbConn, id: i64, zone: &Zone) -> QueryResult<bool> {
    diesel::update(delivery_zones::table.find(id))
        .set((
            delivery_zones::name.eq(&zone.name),
            delivery_zones::postcode_from.eq(i32::from(zone.from)),
            delivery_zones::postcode_to.eq(i32::from(zone.to)),
            delivery_zones::fee_cents.eq(zone.fee.cents()),
        ))
        .execute(conn)
        .map(|n| n == 1)
}

/// Removes a zone; false when there is no such zone.
pub fn delete_zone(conn: &mut DbConn, id: i64) -> QueryResult<bool> {
    diesel::delete(delivery_zones::table.find(id))
        .execute(conn)
        .map(|n| n == 1)
}

/// Adds a zone; returns its id.
pub fn insert_zone(conn: &mut DbConn, zone: &Zone, position: i32) -> QueryResult<i64> {
    diesel::insert_into(delivery_zones::table)
        .values((
            delivery_zones::name.eq(&zone.name),
            delivery_zones::postcode_from.eq(i32::from(zone.from)),
            delivery_zones::postcode_to.eq(i32::from(zone.to)),
            delivery_zones::fee_cents.eq(zone.fee.cents()),
            delivery_zones::position.eq(position),
        ))
        .returning(delivery_zones::id)
        .get_result(conn)
}

/// The owner's calendar between two dates (inclusive).
pub fn overrides(
    conn: &mut DbConn,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<BTreeMap<NaiveDate, DayPlan>> {
    type Row = (NaiveDate, Option<bool>, String, Option<i32>, Option<String>);
    let rows: Vec<Row> = calendar_overrides::table
        .filter(calendar_overrides::day.between(from, to))
        .select((
            calendar_overrides::day,
            calendar_overrides::open,
            calendar_overrides::note,
            calendar_overrides::capacity,
            calendar_overrides::cutoff,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(day, open, note, capacity, cutoff)| {
            let plan = DayPlan {
                open,
                note,
                capacity: capacity.and_then(|c| u32::try_from(c).ok()),
                cutoff: cutoff.and_then(|t| NaiveTime::parse_from_str(&t, "%H:%M").ok()),
            };
            (day, plan)
        })
        .collect())
}

/// Stores what the calendar says about `day`; a plan that changes nothing removes the row.
pub fn save_day(conn: &mut DbConn, day: NaiveDate, plan: &DayPlan) -> QueryResult<()> {
    diesel::delete(calendar_overrides::table.filter(calendar_overrides::day.eq(day)))
        .execute(conn)?;
    if *plan == DayPlan::default() {
        return Ok(());
    }
    diesel::insert_into(calendar_overrides::table)
        .values((
            calendar_overrides::day.eq(day),
            calendar_overrides::open.eq(plan.open),
            calendar_overrides::note.eq(&plan.note),
            calendar_overrides::capacity
                .eq(plan.capacity.map(|c| i32::try_from(c).unwrap_or(i32::MAX))),
            calendar_overrides::cutoff.eq(plan.cutoff.map(|t| t.format("%H:%M").to_string())),
        ))
        .execute(conn)
        .map(drop)
}

/// The capacity the calendar gives `day`, if it gives one (placing an order checks it
/// inside its own transaction, so a lowered capacity counts at once).
pub fn capacity_of(conn: &mut DbConn, day: NaiveDate) -> QueryResult<Option<u32>> {
    let capacity: Option<Option<i32>> = calendar_overrides::table
        .filter(calendar_overrides::day.eq(day))
        .select(calendar_overrides::capacity)
        .first(conn)
        .optional()?;
    Ok(capacity.flatten().and_then(|c| u32::try_from(c).ok()))
}

/// How many places each date between `from` and `to` holds.
pub fn booked(
    conn: &mut DbConn,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<HashMap<NaiveDate, u32>> {
    let rows: Vec<(NaiveDate, i32)> = delivery_days::table
        .filter(delivery_days::day.between(from, to))
        .select((delivery_days::day, delivery_days::booked))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(day, n)| (day, u32::try_from(n).unwrap_or(0)))
        .collect())
}

/// Takes one place on `day` if fewer than its capacity (the calendar's, else `capacity`) are
/// taken; false when the day is full.
/// The conditional UPDATE is atomic on both backends (PostgreSQL locks the row, SQLite's write
/// transaction excludes other writers), so no date ever holds more than its capacity.
pub fn take_place(conn: &mut DbConn, day: NaiveDate, capacity: u32) -> QueryResult<bool> {
    let capacity = capacity_of(conn, day)?.unwrap_or(capacity);
    let capacity = i32::try_from(capacity).unwrap_or(i32::MAX);
    let take = |conn: &mut DbConn| {
        diesel::update(
            delivery_days::table
                .filter(delivery_days::day.eq(day))
                .filter(delivery_days::booked.lt(capacity)),
        )
        .set(delivery_days::booked.eq(delivery_days::booked + 1))
        .execute(conn)
    };
    if take(conn)? == 1 {
        return Ok(true);
    }
    // Nothing changed: the day is full, or has no row yet (its first order).
    ensure_day(conn, day)?;
    Ok(take(conn)? == 1)
}

/// Gives a place on `day` back (an unpaid order expired or was cancelled).
pub fn release_place(conn: &mut DbConn, day: NaiveDate) -> QueryResult<()> {
    diesel::update(
        delivery_days::table
            .filter(delivery_days::day.eq(day))
            .filter(delivery_days::booked.gt(0)),
    )
    .set(delivery_days::booked.eq(delivery_days::booked - 1))
    .execute(conn)
    .map(drop)
}

/// Makes sure `day` has its row. Two transactions may both find it missing; the second insert
/// then fails on the primary key inside its own savepoint, which is harmless.
fn ensure_day(conn: &mut DbConn, day: NaiveDate) -> QueryResult<()> {
    let exists = delivery_days::table
        .filter(delivery_days::day.eq(day))
        .count()
        .get_result::<i64>(conn)?
        > 0;
    if exists {
        return Ok(());
    }
    let inserted = conn.transaction(|conn| {
        diesel::insert_into(delivery_days::table)
            .values((delivery_days::day.eq(day), delivery_days::booked.eq(0)))
            .execute(conn)
    });
    match inserted {
        Ok(_) | Err(Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => Ok(()),
        Err(e) => Err(e),
    }
}
