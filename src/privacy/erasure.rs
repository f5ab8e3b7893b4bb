//! Erasing an account (P5, P13, P15), in one transaction, by the data map's rule for each
//! column: rows whose every personal column is `Delete` go; otherwise `Null` columns are
//! emptied, `Anonymise` columns get a meaningless stand-in, and what the tax law needs stays,
//! linked to no one. The erasure log keeps a keyed hash of the address and the time, nothing
//! else, so a restored backup can replay the erasure (P9). The confirmation mail goes to the
//! address being erased and forgets it once sent.

use diesel::prelude::*;

use super::data_map::{Erasure, PersonalColumn};
use super::subject::{self, Subject, SubjectRows};
use crate::accounts::mails::{self, LinkKind};
use crate::db::schema::{
    companies, company_invitations, company_users, erasure_log, invoices, orders,
};
use crate::db::{Backend, DbConn};
use crate::domain::sealed::DataKey;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::mail::messages::MailContext;

/// The erasure order: rows that point at others first, the account itself last.
pub const TABLES: &[&str] = &[
    "consent_events",
    "audit_log",
    "disclosure_records",
    "contact_replies",
    "contact_messages",
    "privacy_requests",
    "disclosures",
    "outbox",
    "newsletter_subscribers",
    "customer_occasions",
    "customer_tokens",
    "customer_logins",
    "customer_addresses",
    "company_invitations",
    "company_users",
    "companies",
    "refunds",
    "payments",
    "order_line_addons",
    "order_lines",
    "orders",
    "invoices",
    "customers",
];

/// The SQL value that replaces an anonymised column: a stand-in that is unique per row (some
/// such columns are unique keys) and means nothing. Link tokens get a random one, so an erased
/// order's status page cannot be found by guessing.
fn stand_in(column: &PersonalColumn, backend: Backend) -> String {
    match (column.table, column.column, backend) {
        ("orders", "card_anonymous", _) => "FALSE".to_owned(),
        (_, name, Backend::Sqlite) if name.ends_with("_token") => {
            "lower(hex(randomblob(24)))".to_owned()
        }
        (_, name, Backend::Postgres) if name.ends_with("_token") => {
            "md5(random()::text || clock_timestamp()::text || id::text)".to_owned()
        }
        _ => "'erased-' || CAST(id AS TEXT)".to_owned(),
    }
}

/// What erasure does to `table`'s rows: `None` deletes them, else the SET clause (empty when
/// everything in them is kept).
fn plan(table: &str, backend: Backend) -> Option<Vec<String>> {
    let columns = subject::columns_of(table);
    if !columns.is_empty() && columns.iter().all(|c| c.erasure == Erasure::Delete) {
        return None;
    }
    Some(
        columns
            .iter()
            .filter_map(|c| match c.erasure {
                Erasure::Null | Erasure::Delete => Some(format!("{} = NULL", c.column)),
                Erasure::Anonymise => Some(format!("{} = {}", c.column, stand_in(c, backend))),
                Erasure::KeepForTax | Erasure::KeepUnlinked | Erasure::KeepAsProof => None,
            })
            .collect(),
    )
}

/// Applies the data map's erasure rules to the subject's rows.
fn apply(conn: &mut DbConn, rows: &SubjectRows) -> QueryResult<()> {
    for table in TABLES {
        let Some(ids) = rows.get(table).filter(|ids| !ids.is_empty()) else {
            continue;
        };
        let id_list = subject::id_list(ids);
        // Names come from the data map, ids are integers: nothing typed by anyone.
        let sql = match plan(table, conn.backend()) {
            None => format!("DELETE FROM {table} WHERE id IN ({id_list})"),
            Some(set) if set.is_empty() => continue,
            Some(set) => format!(
                "UPDATE {table} SET {} WHERE id IN ({id_list})",
                set.join(", ")
            ),
        };
        diesel::sql_query(sql).execute(conn)?;
    }
    Ok(())
}

/// Order statuses during which an order still needs its sender's and recipient's details.
pub const OPEN_ORDER_STATUSES: [&str; 5] = [
    "awaiting_payment",
    "confirmed",
    "in_production",
    "ready",
    "out_for_delivery",
];

/// How many of the subject's orders are still under way (erasure waits for them: the flowers
/// still need the recipient's address, and the sender their status mails).
pub fn open_orders(conn: &mut DbConn, subject: &Subject) -> QueryResult<i64> {
    orders::table
        .filter(
            orders::customer_id
                .eq(subject.customer_id)
                .or(orders::customer_id
                    .is_null()
                    .and(crate::db::lower(orders::sender_email).eq(&subject.email))),
        )
        .filter(orders::status.eq_any(OPEN_ORDER_STATUSES))
        .count()
        .get_result(conn)
}

/// What an erasure needs besides the database: the key that hashes the address for the
/// erasure log, the log itself, and the shop's details for the confirmation mail.
#[derive(Clone, Copy)]
pub struct Erasing<'a> {
    /// Hashes the address for the erasure log.
    pub key: &'a DataKey,
    /// The erasure log outside the database.
    pub log: &'a super::erasure_log::ErasureLog,
    /// For the confirmation mail.
    pub mail: &'a MailContext,
}

/// Erases the account `subject` in one transaction and queues the confirmation to its address
/// (in `lang`, greeting `name`, saying `why`: [`LinkKind::Erased`] when they asked,
/// [`LinkKind::InactiveErased`] after two years without activity). Refused (400) while an
/// order is under way. The erasure is
/// written to the erasure log outside the database (flushed) before it commits, so a restored
/// backup erases the account again (P9).
pub fn erase(
    conn: &mut DbConn,
    subject: &Subject,
    name: &str,
    lang: Lang,
    with: &Erasing<'_>,
    why: LinkKind,
) -> Result<(), AppError> {
    let Erasing { key, log, mail } = *with;
    conn.write_tx(|conn| {
        if open_orders(conn, subject)? > 0 {
            return Err(AppError::BadRequest("privacy-delete-open-orders"));
        }
        remove(conn, subject, name)?;
        let entry = super::erasure_log::Entry {
            at: crate::db::now(),
            subject_hash: key.keyed_hash(&subject.email),
        };
        log.append(&entry).map_err(|e| {
            AppError::internal(format!("cannot write {}: {e}", log.path().display()))
        })?;
        diesel::insert_into(erasure_log::table)
            .values((
                erasure_log::subject_hash.eq(&entry.subject_hash),
                erasure_log::erased_at.eq(entry.at),
            ))
            .execute(conn)?;
        let url = format!("{}/", mail.public_url);
        mails::link(mail, lang, &subject.email, name, why, &url)?.queue_with(
            conn,
            &crate::mail::repo::Extras {
                list_unsubscribe: None,
                erase_after_sending: true,
            },
        )?;
        Ok(())
    })
}

/// Removes everything about `subject` by the data map's rules, in the caller's transaction —
/// whatever state its orders are in (a replayed erasure happened when they were done). A
/// company goes with its last admin only, with its open invitations; while others remain, it
/// is theirs too, and only a contact person who is the subject (`name`) is anonymised.
pub fn remove(conn: &mut DbConn, subject: &Subject, name: &str) -> QueryResult<()> {
    let mut rows = subject::rows_of(conn, subject)?;
    let mut gone_companies = Vec::new();
    if let Some(companies) = rows.get("companies").cloned() {
        let others: i64 = company_users::table
            .filter(company_users::company_id.eq_any(&companies))
            .filter(company_users::customer_id.ne(subject.customer_id))
            .count()
            .get_result(conn)?;
        if others > 0 {
            rows.remove("companies");
            rows.remove("invoices");
            anonymise_contact(conn, &companies, name)?;
        } else {
            gone_companies = without_fiscal_reason(conn, &companies)?;
            let invitations: Vec<i64> = company_invitations::table
                .filter(company_invitations::company_id.eq_any(&companies))
                .select(company_invitations::id)
                .load(conn)?;
            rows.entry("company_invitations")
                .or_default()
                .extend(invitations);
        }
    }
    apply(conn, &rows)?;
    if !gone_companies.is_empty() {
        // Nothing was ordered or invoiced for them: no tax law keeps them (P5).
        diesel::delete(companies::table.filter(companies::id.eq_any(&gone_companies)))
            .execute(conn)?;
    }
    // That an account was erased, and which id it had: no value of it (P14).
    super::audit::record(
        conn,
        &[super::audit::Look {
            action: "erasure",
            staff_id: None,
            customer_id: None,
            subject: format!("customer:{}", subject.customer_id),
        }],
    )
}

/// Of these companies, those with no order or invoice: once their last member goes, nothing
/// (no tax law) is a reason to keep their name, KvK number, VAT id or address.
fn without_fiscal_reason(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<i64>> {
    let ordered: Vec<Option<i64>> = orders::table
        .filter(orders::company_id.eq_any(ids))
        .select(orders::company_id)
        .distinct()
        .load(conn)?;
    let invoiced: Vec<i64> = invoices::table
        .filter(invoices::company_id.eq_any(ids))
        .select(invoices::company_id)
        .distinct()
        .load(conn)?;
    Ok(ids
        .iter()
        .copied()
        .filter(|id| !ordered.contains(&Some(*id)) && !invoiced.contains(id))
        .collect())
}

/// A company that stays (other members remain) loses its contact person's name and job title
/// when the contact is the person being erased.
fn anonymise_contact(conn: &mut DbConn, companies: &[i64], name: &str) -> QueryResult<()> {
    use crate::db::schema::companies as c;
    let theirs: Vec<i64> = c::table
        .filter(c::id.eq_any(companies))
        .filter(crate::db::lower(c::contact_name).eq(name.trim().to_lowercase()))
        .select(c::id)
        .load(conn)?;
    for id in theirs {
        diesel::update(c::table.find(id))
            .set((
                c::contact_name.eq(format!("erased-{id}")),
                c::contact_job_title.eq(format!("erased-{id}")),
            ))
            .execute(conn)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::privacy::data_map::{self, Purpose};

    #[test]
    fn every_table_with_personal_data_about_a_customer_has_a_place_in_the_erasure_order() {
        let staff_only = [
            "staff",
            "staff_recovery_codes",
            "order_events",
            "erasure_log",
        ];
        for column in data_map::PERSONAL_COLUMNS {
            if staff_only.contains(&column.table) || column.purpose == Purpose::StaffAdministration
            {
                continue;
            }
            assert!(
                TABLES.contains(&column.table),
                "{} is not in the erasure order",
                column.table
            );
        }
    }

    #[test]
    fn the_account_and_its_address_book_are_deleted_and_orders_keep_only_the_fiscal_minimum() {
        assert_eq!(plan("customers", Backend::Sqlite), None);
        assert_eq!(plan("customer_addresses", Backend::Sqlite), None);
        let orders = plan("orders", Backend::Sqlite).unwrap();
        assert!(
            orders
                .iter()
                .any(|s| s.starts_with("sender_email = 'erased-'"))
        );
        assert!(orders.contains(&"card_message = NULL".to_owned()));
        assert!(!orders.iter().any(|s| s.starts_with("total_cents")));
        assert!(orders.contains(&"status_token = lower(hex(randomblob(24)))".to_owned()));
        assert_eq!(plan("invoices", Backend::Postgres), Some(Vec::new()));
    }
}
