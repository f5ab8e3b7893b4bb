//! The disclosure log (P10): personal data that left the shop's office for someone who needs it
//! for their part of the work — today a courier's delivery list. Each order's delivery details
//! count once per courier, however often the list is opened or printed. A person sees the
//! disclosures about them on "my data" and in the download.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error};

use crate::db::DbConn;
use crate::db::schema::{disclosures, orders};

/// A courier's list: the recipient's name, address, phone and delivery instructions.
pub const COURIER: &str = "courier";

/// Records that the delivery details of `order_ids` went to courier `staff_id` (once each).
pub fn to_courier(conn: &mut DbConn, order_ids: &[i64], staff_id: i64) -> QueryResult<()> {
    if order_ids.is_empty() {
        return Ok(());
    }
    let known: Vec<i64> = disclosures::table
        .filter(disclosures::order_id.eq_any(order_ids))
        .filter(disclosures::kind.eq(COURIER))
        .filter(disclosures::recipient_staff_id.eq(staff_id))
        .select(disclosures::order_id)
        .load(conn)?;
    let now = crate::db::now();
    for order_id in order_ids.iter().filter(|id| !known.contains(id)) {
        let inserted = diesel::insert_into(disclosures::table)
            .values((
                disclosures::order_id.eq(order_id),
                disclosures::kind.eq(COURIER),
                disclosures::recipient_staff_id.eq(Some(staff_id)),
                disclosures::created_at.eq(now),
            ))
            .execute(conn);
        match inserted {
            // The same list opened twice at once: recorded by the other request.
            Ok(_) | Err(Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// One disclosure as the person reads it: which order, what kind, when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disclosure {
    /// The order's number.
    pub order_number: String,
    /// The kind ([`COURIER`]).
    pub kind: String,
    /// When.
    pub at: NaiveDateTime,
}

impl Disclosure {
    /// Catalogue keys: who received it, on what basis, which data.
    pub fn keys(&self) -> (&'static str, &'static str, &'static str) {
        (
            "disclosure-courier-recipient",
            "disclosure-courier-basis",
            "disclosure-courier-data",
        )
    }
}

/// The disclosures of these rows (the subject's, from `subject::rows_of`), oldest first.
pub fn listed(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<Disclosure>> {
    let rows: Vec<(String, String, NaiveDateTime)> = disclosures::table
        .inner_join(orders::table)
        .filter(disclosures::id.eq_any(ids))
        .order(disclosures::created_at)
        .select((orders::number, disclosures::kind, disclosures::created_at))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(order_number, kind, at)| Disclosure {
            order_number,
            kind,
            at,
        })
        .collect())
}
