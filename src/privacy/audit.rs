//! The audit log (P14): who looked at or acted on a customer's personal data, and what — every
//! staff view of an order, board, ticket, courier list or company, every search hit, every
//! export, erasure and refund, every role change and staff login. It records that it happened
//! and about which id, never what was seen or typed (a search's words are not kept). The
//! database refuses to change or delete an entry (triggers), except to unlink the person it
//! names and to drop it after its two years.

use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::audit_log;

/// One look: what kind (`order_view`, `order_search`, `export`), by which staff member (`None`:
/// the customer themselves), at which customer's data (`None`: a guest order), about what
/// (`order:12`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Look<'a> {
    /// The kind of look.
    pub action: &'a str,
    /// Who looked (staff), if not the customer.
    pub staff_id: Option<i64>,
    /// Whose account's data, when it belongs to one.
    pub customer_id: Option<i64>,
    /// What was looked at.
    pub subject: String,
}

/// Records one act of a staff member on `subject` (`order:12`, `board:2026-12-04`), with no
/// particular customer named.
pub fn staff_act(
    conn: &mut DbConn,
    action: &str,
    staff_id: i64,
    subject: String,
) -> QueryResult<()> {
    record(
        conn,
        &[Look {
            action,
            staff_id: Some(staff_id),
            customer_id: None,
            subject,
        }],
    )
}

/// Records looks, in the caller's transaction.
pub fn record(conn: &mut DbConn, looks: &[Look<'_>]) -> QueryResult<()> {
    let now = crate::db::now();
    for look in looks {
        diesel::insert_into(audit_log::table)
            .values((
                audit_log::action.eq(look.action),
                audit_log::staff_id.eq(look.staff_id),
                audit_log::customer_id.eq(look.customer_id),
                audit_log::subject.eq(&look.subject),
                audit_log::created_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}
