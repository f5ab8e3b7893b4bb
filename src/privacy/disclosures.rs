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

/// A disclosure staff record by hand, as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct RecordForm {
    /// The person's account address, or empty.
    pub email: String,
    /// The order it was about, or empty.
    pub order_number: String,
    /// Who received the data (`Politie Eenheid Noord-Holland`).
    pub recipient: String,
    /// On what ground (`vordering art. 126nd Sv`).
    pub legal_basis: String,
    /// What was sent.
    pub data_sent: String,
    /// When, `YYYY-MM-DD`.
    pub disclosed_on: String,
}

/// Records a disclosure by staff member `staff_id` (P10), about the account with the typed
/// address and/or the order with the typed number — at least one must be found. The inner
/// error says what to fix per field when something is missing or unknown.
pub fn record(
    conn: &mut DbConn,
    form: &RecordForm,
    staff_id: i64,
    today: chrono::NaiveDate,
) -> Result<Result<i64, crate::domain::FieldErrors>, crate::error::AppError> {
    use crate::db::schema::{customers, disclosure_records};
    use crate::domain::contact::Text;
    let mut errors = crate::domain::FieldErrors::new();
    let text = |typed: &str, field: &'static str, errors: &mut crate::domain::FieldErrors| {
        Text::required(typed, 1000)
            .map_err(|e| errors.insert(field, e.message_key()))
            .ok()
    };
    let recipient = text(&form.recipient, "recipient", &mut errors);
    let basis = text(&form.legal_basis, "legal_basis", &mut errors);
    let data_sent = text(&form.data_sent, "data_sent", &mut errors);
    let on = match chrono::NaiveDate::parse_from_str(form.disclosed_on.trim(), "%Y-%m-%d") {
        Ok(date) if date <= today => Some(date),
        Ok(_) => {
            errors.insert("disclosed_on", "request-error-future");
            None
        }
        Err(_) => {
            errors.insert("disclosed_on", "request-error-date");
            None
        }
    };
    let email = form.email.trim().to_lowercase();
    let customer_id: Option<i64> = match email.as_str() {
        "" => None,
        email => {
            let found = customers::table
                .filter(crate::db::lower(customers::email).eq(email))
                .select(customers::id)
                .first(conn)
                .optional()?;
            if found.is_none() {
                errors.insert("email", "disclosure-error-email");
            }
            found
        }
    };
    let number = form.order_number.trim().to_uppercase();
    let order_id: Option<i64> = match number.as_str() {
        "" => None,
        number => {
            let found = orders::table
                .filter(orders::number.eq(number))
                .select(orders::id)
                .first(conn)
                .optional()?;
            if found.is_none() {
                errors.insert("order_number", "disclosure-error-order");
            }
            found
        }
    };
    if email.is_empty() && number.is_empty() {
        errors.insert("email", "disclosure-error-whom");
    }
    let (Some(recipient), Some(basis), Some(data_sent), Some(on)) =
        (recipient, basis, data_sent, on)
    else {
        return Ok(Err(errors));
    };
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let id = conn.write_tx(|conn| {
        let id: i64 = diesel::insert_into(disclosure_records::table)
            .values((
                disclosure_records::customer_id.eq(customer_id),
                disclosure_records::order_id.eq(order_id),
                disclosure_records::recipient.eq(recipient.as_str()),
                disclosure_records::legal_basis.eq(basis.as_str()),
                disclosure_records::data_sent.eq(data_sent.as_str()),
                disclosure_records::disclosed_on.eq(on),
                disclosure_records::staff_id.eq(staff_id),
                disclosure_records::created_at.eq(crate::db::now()),
            ))
            .returning(disclosure_records::id)
            .get_result(conn)?;
        super::audit::record(
            conn,
            &[super::audit::Look {
                action: "disclosure_record",
                staff_id: Some(staff_id),
                customer_id,
                subject: format!("disclosure:{id}"),
            }],
        )?;
        Ok::<_, Error>(id)
    })?;
    Ok(Ok(id))
}

/// A recorded disclosure as the desk lists it: when, to whom, on what basis, what, the order
/// number, whether it names an account.
pub type Recorded = (
    chrono::NaiveDate,
    String,
    String,
    String,
    Option<String>,
    bool,
);

/// The latest recorded disclosures, newest first (at most 200).
pub fn recorded(conn: &mut DbConn) -> QueryResult<Vec<Recorded>> {
    use crate::db::schema::disclosure_records as d;
    d::table
        .left_join(orders::table.on(d::order_id.eq(orders::id.nullable())))
        .order((d::disclosed_on.desc(), d::id.desc()))
        .limit(200)
        .select((
            d::disclosed_on,
            d::recipient,
            d::legal_basis,
            d::data_sent,
            orders::number.nullable(),
            d::customer_id.is_not_null(),
        ))
        .load(conn)
}
