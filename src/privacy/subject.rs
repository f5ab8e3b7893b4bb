//! Everything held about one customer, found through the data map (P4, P13): which rows of
//! which tables are about them, and the value of every personal column in those rows. The
//! "my data" page, the download and the erasure all start here, so what a person sees, gets
//! and loses is the same set.

use std::collections::BTreeMap;

use diesel::prelude::*;
use diesel::sql_types::{Nullable, Text};

use super::data_map::{self, PersonalColumn};
use crate::db::schema::{
    audit_log, company_invitations, company_users, consent_events, contact_messages,
    contact_replies, customer_addresses, customer_logins, customer_occasions, customer_tokens,
    disclosure_records, disclosures, invoices, newsletter_subscribers, order_line_addons,
    order_lines, orders, outbox, payments, privacy_requests, refunds,
};
use crate::db::{DbConn, lower};

/// Whose data: an account and its confirmed address.
#[derive(Clone)]
pub struct Subject {
    /// The account.
    pub customer_id: i64,
    /// Its address, lower-cased.
    pub email: String,
}

impl std::fmt::Debug for Subject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Subject({})", self.customer_id)
    }
}

/// The ids of the rows about the subject, per table.
pub type SubjectRows = BTreeMap<&'static str, Vec<i64>>;

/// Finds every row about `subject`.
pub fn rows_of(conn: &mut DbConn, subject: &Subject) -> QueryResult<SubjectRows> {
    let id = subject.customer_id;
    let email = subject.email.as_str();
    let mut rows = SubjectRows::new();
    // Guest orders placed with the address since the last login are linked to the account only
    // at the next login, but they are this person's orders already.
    let order_ids: Vec<i64> = orders::table
        .filter(
            orders::customer_id.eq(id).or(orders::customer_id
                .is_null()
                .and(lower(orders::sender_email).eq(email))),
        )
        .select(orders::id)
        .load(conn)?;
    let line_ids: Vec<i64> = order_lines::table
        .filter(order_lines::order_id.eq_any(&order_ids))
        .select(order_lines::id)
        .load(conn)?;
    // The company's own data (KvK, IBAN, invoices) is an admin's to see, as on the company
    // pages; an orderer's data is their membership and their orders.
    let company_ids: Vec<i64> = company_users::table
        .filter(company_users::customer_id.eq(id))
        .filter(company_users::role.eq("admin"))
        .select(company_users::company_id)
        .load(conn)?;
    let subscriber_ids: Vec<i64> = newsletter_subscribers::table
        .filter(
            newsletter_subscribers::customer_id
                .eq(id)
                .or(newsletter_subscribers::email.eq(email)),
        )
        .select(newsletter_subscribers::id)
        .load(conn)?;
    rows.insert("customers", vec![id]);
    rows.insert(
        "customer_tokens",
        customer_tokens::table
            .filter(customer_tokens::customer_id.eq(id))
            .select(customer_tokens::id)
            .load(conn)?,
    );
    rows.insert(
        "customer_logins",
        customer_logins::table
            .filter(customer_logins::customer_id.eq(id))
            .select(customer_logins::id)
            .load(conn)?,
    );
    rows.insert(
        "customer_addresses",
        customer_addresses::table
            .filter(customer_addresses::customer_id.eq(id))
            .select(customer_addresses::id)
            .load(conn)?,
    );
    rows.insert(
        "customer_occasions",
        customer_occasions::table
            .filter(customer_occasions::customer_id.eq(id))
            .select(customer_occasions::id)
            .load(conn)?,
    );
    rows.insert(
        "order_line_addons",
        order_line_addons::table
            .filter(order_line_addons::line_id.eq_any(&line_ids))
            .select(order_line_addons::id)
            .load(conn)?,
    );
    rows.insert(
        "refunds",
        refunds::table
            .filter(refunds::order_id.eq_any(&order_ids))
            .select(refunds::id)
            .load(conn)?,
    );
    rows.insert(
        "payments",
        payments::table
            .filter(payments::order_id.eq_any(&order_ids))
            .select(payments::id)
            .load(conn)?,
    );
    rows.insert(
        "company_users",
        company_users::table
            .filter(company_users::customer_id.eq(id))
            .select(company_users::id)
            .load(conn)?,
    );
    rows.insert(
        "company_invitations",
        company_invitations::table
            .filter(lower(company_invitations::email).eq(email))
            .select(company_invitations::id)
            .load(conn)?,
    );
    rows.insert(
        "invoices",
        invoices::table
            .filter(invoices::company_id.eq_any(&company_ids))
            .select(invoices::id)
            .load(conn)?,
    );
    rows.insert(
        "consent_events",
        consent_events::table
            .filter(
                consent_events::customer_id
                    .eq(id)
                    .or(consent_events::subscriber_id.eq_any(&subscriber_ids)),
            )
            .select(consent_events::id)
            .load(conn)?,
    );
    rows.insert(
        "outbox",
        outbox::table
            .filter(
                outbox::customer_id
                    .eq(id)
                    .or(lower(outbox::recipient).eq(email)),
            )
            .select(outbox::id)
            .load(conn)?,
    );
    rows.insert(
        "audit_log",
        audit_log::table
            .filter(audit_log::customer_id.eq(id))
            .select(audit_log::id)
            .load(conn)?,
    );
    rows.insert(
        "disclosures",
        disclosures::table
            .filter(disclosures::order_id.eq_any(&order_ids))
            .select(disclosures::id)
            .load(conn)?,
    );
    let message_ids: Vec<i64> = contact_messages::table
        .filter(
            contact_messages::customer_id
                .eq(id)
                .or(lower(contact_messages::email).eq(email)),
        )
        .select(contact_messages::id)
        .load(conn)?;
    rows.insert(
        "contact_replies",
        contact_replies::table
            .filter(contact_replies::message_id.eq_any(&message_ids))
            .select(contact_replies::id)
            .load(conn)?,
    );
    rows.insert("contact_messages", message_ids);
    rows.insert(
        "privacy_requests",
        privacy_requests::table
            .filter(
                privacy_requests::customer_id
                    .eq(id)
                    .or(lower(privacy_requests::requester_email).eq(email)),
            )
            .select(privacy_requests::id)
            .load(conn)?,
    );
    rows.insert(
        "disclosure_records",
        disclosure_records::table
            .filter(
                disclosure_records::customer_id
                    .eq(id)
                    .or(disclosure_records::order_id.eq_any(&order_ids)),
            )
            .select(disclosure_records::id)
            .load(conn)?,
    );
    rows.insert("orders", order_ids);
    rows.insert("order_lines", line_ids);
    rows.insert("companies", company_ids);
    rows.insert("newsletter_subscribers", subscriber_ids);
    rows.retain(|_, ids| !ids.is_empty());
    Ok(rows)
}

/// One stored value about the subject.
#[derive(Clone)]
pub struct Item {
    /// The data map's entry for the column.
    pub column: PersonalColumn,
    /// The row's id, as text.
    pub row: String,
    /// The value, as text.
    pub value: String,
}

#[derive(QueryableByName)]
struct Cell {
    #[diesel(sql_type = Text)]
    row_id: String,
    #[diesel(sql_type = Text)]
    col: String,
    #[diesel(sql_type = Nullable<Text>)]
    val: Option<String>,
}

/// The columns the data map declares personal for `table`, except staff members' own data
/// (which staff member handled an order is about them, not about the customer).
pub(super) fn columns_of(table: &str) -> Vec<&'static PersonalColumn> {
    data_map::PERSONAL_COLUMNS
        .iter()
        .filter(|c| c.table == table)
        .filter(|c| c.purpose != data_map::Purpose::StaffAdministration)
        .collect()
}

/// Row ids as an SQL list (`1,2,3`): integers only, so safe to put into a statement.
pub(super) fn id_list(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// Every non-empty personal value in the subject's rows, table by table, in data-map order.
pub fn items(conn: &mut DbConn, rows: &SubjectRows) -> QueryResult<Vec<Item>> {
    let mut found = Vec::new();
    for (table, ids) in rows {
        let columns = columns_of(table);
        if columns.is_empty() || ids.is_empty() {
            continue;
        }
        // Table and column names come from the data map (constants), ids are integers: nothing
        // typed by anyone reaches this SQL.
        let id_list = id_list(ids);
        let sql = columns
            .iter()
            .map(|c| {
                format!(
                    "SELECT CAST(id AS TEXT) AS row_id, '{col}' AS col, CAST({col} AS TEXT) AS val \
                     FROM {table} WHERE id IN ({id_list})",
                    col = c.column
                )
            })
            .collect::<Vec<_>>()
            .join(" UNION ALL ");
        let cells: Vec<Cell> = diesel::sql_query(sql).load(conn)?;
        for column in columns {
            for cell in cells.iter().filter(|c| c.col == column.column) {
                if let Some(value) = cell.val.as_ref().filter(|v| !v.is_empty()) {
                    found.push(Item {
                        column: *column,
                        row: cell.row_id.clone(),
                        value: value.clone(),
                    });
                }
            }
        }
    }
    Ok(found)
}
