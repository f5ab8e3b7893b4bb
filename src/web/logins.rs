//! Server-side logins for customers and staff. The session cookie is signed and encrypted but
//! held by the browser, so a copy of it would stay valid until it expires; every login is
//! therefore also a row, holding only a hash of a random token that the session carries.
//! Logging out deletes the row, which ends the login for every copy of the cookie. A login's
//! row is deleted at logout, at the holder's next login once expired, and with the account.

use chrono::Duration;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::{customer_logins as cl, staff_logins as sl};
use crate::domain::token::{new_link_token, token_hash};

/// Whose login it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holder {
    /// A customer account's id.
    Customer(i64),
    /// A staff member's id.
    Staff(i64),
}

/// Opens a login for `holder` and returns the token for the session; the holder's logins older
/// than `max_age` are forgotten on the way.
pub fn open(conn: &mut DbConn, holder: Holder, max_age: Duration) -> QueryResult<String> {
    let (token, hash) = new_link_token();
    let now = crate::db::now();
    let expired = now - max_age;
    match holder {
        Holder::Customer(id) => {
            diesel::delete(
                cl::table
                    .filter(cl::customer_id.eq(id))
                    .filter(cl::created_at.lt(expired)),
            )
            .execute(conn)?;
            diesel::insert_into(cl::table)
                .values((
                    cl::customer_id.eq(id),
                    cl::token_hash.eq(&hash),
                    cl::created_at.eq(now),
                ))
                .execute(conn)?;
        }
        Holder::Staff(id) => {
            diesel::delete(
                sl::table
                    .filter(sl::staff_id.eq(id))
                    .filter(sl::created_at.lt(expired)),
            )
            .execute(conn)?;
            diesel::insert_into(sl::table)
                .values((
                    sl::staff_id.eq(id),
                    sl::token_hash.eq(&hash),
                    sl::created_at.eq(now),
                ))
                .execute(conn)?;
        }
    }
    Ok(token)
}

/// The stored form of a login token (the extractors look a login up by it, with its holder,
/// in `accounts::repo::by_login` and `staff::repo::by_login`).
pub fn hash(token: &str) -> String {
    token_hash(token)
}

/// Ends the login with `token` (logging out); ending it twice is harmless.
pub fn close(conn: &mut DbConn, holder: Holder, token: &str) -> QueryResult<()> {
    let hash = token_hash(token);
    match holder {
        Holder::Customer(id) => diesel::delete(
            cl::table
                .filter(cl::customer_id.eq(id))
                .filter(cl::token_hash.eq(&hash)),
        )
        .execute(conn)
        .map(drop),
        Holder::Staff(id) => diesel::delete(
            sl::table
                .filter(sl::staff_id.eq(id))
                .filter(sl::token_hash.eq(&hash)),
        )
        .execute(conn)
        .map(drop),
    }
}

/// Ends every login of `holder` (after a password reset).
pub fn close_all(conn: &mut DbConn, holder: Holder) -> QueryResult<()> {
    match holder {
        Holder::Customer(id) => diesel::delete(cl::table.filter(cl::customer_id.eq(id)))
            .execute(conn)
            .map(drop),
        Holder::Staff(id) => diesel::delete(sl::table.filter(sl::staff_id.eq(id)))
            .execute(conn)
            .map(drop),
    }
}

/// Ends every login of `holder` except the one with `keep` (after a password change).
pub fn close_others(conn: &mut DbConn, holder: Holder, keep: &str) -> QueryResult<()> {
    let hash = token_hash(keep);
    match holder {
        Holder::Customer(id) => diesel::delete(
            cl::table
                .filter(cl::customer_id.eq(id))
                .filter(cl::token_hash.ne(&hash)),
        )
        .execute(conn)
        .map(drop),
        Holder::Staff(id) => diesel::delete(
            sl::table
                .filter(sl::staff_id.eq(id))
                .filter(sl::token_hash.ne(&hash)),
        )
        .execute(conn)
        .map(drop),
    }
}

/// Deletes the logins past their age (customers' and staff's), so no row outlives its login
/// by more than the sweep's interval; returns how many.
/// `customer_age` and `staff_age` are the longest logins last (each capability's own rule).
pub fn forget_expired(
    conn: &mut DbConn,
    customer_age: Duration,
    staff_age: Duration,
) -> QueryResult<usize> {
    let now = crate::db::now();
    let customers = now - customer_age;
    let staff = now - staff_age;
    Ok(
        diesel::delete(cl::table.filter(cl::created_at.lt(customers))).execute(conn)?
            + diesel::delete(sl::table.filter(sl::created_at.lt(staff))).execute(conn)?,
    )
}
