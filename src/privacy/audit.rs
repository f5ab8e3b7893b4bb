//! The audit log (P14): who looked at a customer's personal data, and what — every staff view
//! of an order, every search hit, every export. It records that a look happened, never what
//! was seen or typed (a search's words are not kept).

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
