//! The retention sweep (P15): what the data map promises about how long data is kept, done.
//! Accounts without a login or an order for two years get a warning and are erased 30 days
//! later unless their owner logs in or orders meanwhile; delivered orders lose the recipient's
//! details and the card message the number of days after delivery the data map names; audit
//! entries go after two years; orders, invoices and companies with nothing left go after the
//! 7-year fiscal period. The other rules run as their own jobs (sent mail, logins,
//! handled questions and requests). A dry run counts without changing anything. Every
//! instance may run the sweep: each day's run is claimed once in `app_meta`.

use chrono::{Duration, NaiveDateTime};
use diesel::dsl::{exists, not};
use diesel::prelude::*;

use super::data_map::{Erasure, PERSONAL_COLUMNS, Retention};
use super::erasure_log::ErasureLog;
use super::subject::Subject;
use crate::accounts::mails::{self, Details, LinkKind};
use crate::db::DbConn;
use crate::db::schema::{audit_log, customers, orders};
use crate::domain::sealed::DataKey;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::mail::messages::MailContext;

/// Inactivity after which an account is warned.
pub const INACTIVE_DAYS: i64 = 730;
/// Days between the warning and the erasure.
pub const WARNING_DAYS: i64 = 30;
/// Audit entries are kept this long.
pub const AUDIT_DAYS: i64 = 730;
/// The `app_meta` key holding the date of the last claimed run.
const CLAIM_KEY: &str = "retention_swept_on";

/// What a sweep did (or, dry, would do), per rule.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Accounts warned now.
    pub warned: usize,
    /// Warned accounts whose owner came back (warning withdrawn).
    pub kept: usize,
    /// Accounts erased.
    pub erased: usize,
    /// Warned accounts not erased because an order is under way.
    pub waiting: usize,
    /// Delivered orders whose delivery details and card were erased.
    pub orders_stripped: usize,
    /// Audit entries deleted.
    pub audit_forgotten: usize,
    /// Finished orders removed after the fiscal retention period.
    pub orders_removed: usize,
    /// Invoices removed after the fiscal retention period.
    pub invoices_removed: usize,
    /// Companies removed: no member left and nothing the tax law still needs.
    pub companies_removed: usize,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let lines = [
            ("inactive accounts warned", self.warned),
            ("warnings withdrawn (owner came back)", self.kept),
            ("accounts erased a month after the warning", self.erased),
            ("erasures waiting for an order under way", self.waiting),
            (
                "delivered orders stripped of delivery details",
                self.orders_stripped,
            ),
            (
                "audit entries older than two years deleted",
                self.audit_forgotten,
            ),
            (
                "orders past the 7-year fiscal period removed",
                self.orders_removed,
            ),
            (
                "invoices past the 7-year fiscal period removed",
                self.invoices_removed,
            ),
            (
                "companies with no member and no records removed",
                self.companies_removed,
            ),
        ];
        for (i, (label, count)) in lines.iter().enumerate() {
            let end = if i + 1 < lines.len() { "\n" } else { "" };
            write!(f, "{:<48}{count:>9}{end}", format!("{label}:"))?;
        }
        Ok(())
    }
}

/// What the sweep needs besides the database.
pub struct Sweep<'a> {
    /// "Now" (a test moves it).
    pub now: NaiveDateTime,
    /// Change anything, or only count.
    pub apply: bool,
    /// Hashes erased addresses for the erasure log.
    pub key: &'a DataKey,
    /// The erasure log outside the database.
    pub log: &'a ErasureLog,
    /// For the warning and erasure mails.
    pub mail: &'a MailContext,
}

/// An account that did nothing since `$since`: not created, no login, no order (a macro: the
/// same filter in three queries, without boxing it for both backends).
macro_rules! idle_since {
    ($since:expr) => {
        customers::created_at
            .lt($since)
            .and(
                customers::last_login_at
                    .is_null()
                    .or(customers::last_login_at.lt($since)),
            )
            .and(not(exists(
                orders::table
                    .filter(orders::customer_id.eq(customers::id.nullable()))
                    .filter(orders::created_at.ge($since)),
            )))
    };
}

impl Sweep<'_> {
    /// Runs every rule once; `progress` hears (done, total) while accounts are erased.
    pub fn run(
        &self,
        conn: &mut DbConn,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<Report, AppError> {
        let mut report = Report::default();
        self.warn(conn, &mut report)?;
        self.withdraw(conn, &mut report)?;
        self.erase(conn, &mut report, progress)?;
        self.strip_orders(conn, &mut report)?;
        self.fiscal(conn, &mut report)?;
        let before = self.now - Duration::days(AUDIT_DAYS);
        let old_audit = audit_log::table.filter(audit_log::created_at.lt(before));
        report.audit_forgotten = if self.apply {
            diesel::delete(old_audit).execute(conn)?
        } else {
            old_audit.count().get_result::<i64>(conn)? as usize
        };
        Ok(report)
    }

    fn warn(&self, conn: &mut DbConn, report: &mut Report) -> Result<(), AppError> {
        let since = self.now - Duration::days(INACTIVE_DAYS);
        let found: Vec<(i64, String, String, String)> = customers::table
            .filter(customers::retention_warned_at.is_null())
            .filter(customers::email_verified_at.is_not_null())
            .filter(idle_since!(since))
            .select((
                customers::id,
                customers::email,
                customers::name,
                customers::lang,
            ))
            .load(conn)?;
        report.warned = found.len();
        if !self.apply {
            return Ok(());
        }
        let erase_on = (self.now + Duration::days(WARNING_DAYS)).date();
        for chunk in found.chunks(500) {
            conn.write_tx(|conn| {
                for (id, email, name, lang) in chunk {
                    let lang = Lang::from_code(lang).unwrap_or(Lang::Nl);
                    let url = format!("{}/account/inloggen", self.mail.public_url);
                    let args = [("date", lang.date(erase_on))];
                    let details = Details {
                        args: &args,
                        opt_out: None,
                    };
                    mails::link_with(
                        self.mail,
                        lang,
                        email,
                        name,
                        LinkKind::Inactive,
                        &url,
                        details,
                    )?
                    .queue(conn)?;
                    diesel::update(customers::table.find(id))
                        .set(customers::retention_warned_at.eq(self.now))
                        .execute(conn)?;
                }
                Ok::<_, AppError>(())
            })?;
        }
        Ok(())
    }

    /// Warned accounts whose owner logged in or ordered since: the warning is withdrawn.
    fn withdraw(&self, conn: &mut DbConn, report: &mut Report) -> Result<(), AppError> {
        let warned: Vec<(i64, NaiveDateTime)> = customers::table
            .filter(customers::retention_warned_at.is_not_null())
            .select((
                customers::id,
                customers::retention_warned_at.assume_not_null(),
            ))
            .load(conn)?;
        for (id, at) in warned {
            let active: i64 = customers::table
                .find(id)
                .filter(not(idle_since!(at)))
                .count()
                .get_result(conn)?;
            if active > 0 {
                report.kept += 1;
                if self.apply {
                    diesel::update(customers::table.find(id))
                        .set(customers::retention_warned_at.eq(None::<NaiveDateTime>))
                        .execute(conn)?;
                }
            }
        }
        Ok(())
    }

    fn erase(
        &self,
        conn: &mut DbConn,
        report: &mut Report,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<(), AppError> {
        let warned_before = self.now - Duration::days(WARNING_DAYS);
        let due: Vec<(i64, String, String, String, NaiveDateTime)> = customers::table
            .filter(customers::retention_warned_at.le(warned_before))
            .select((
                customers::id,
                customers::email,
                customers::name,
                customers::lang,
                customers::retention_warned_at.assume_not_null(),
            ))
            .load(conn)?;
        // (An owner who came back was withdrawn above, in an applied run; in a dry run count
        // only those still idle.)
        let total = due.len();
        for (done, (id, email, name, lang, warned_at)) in due.into_iter().enumerate() {
            if !self.apply {
                let idle: i64 = customers::table
                    .find(id)
                    .filter(idle_since!(warned_at))
                    .count()
                    .get_result(conn)?;
                report.erased += idle as usize;
                continue;
            }
            let subject = Subject {
                customer_id: id,
                email: email.to_lowercase(),
            };
            let lang = Lang::from_code(&lang).unwrap_or(Lang::Nl);
            let with = super::erasure::Erasing {
                key: self.key,
                log: self.log,
                mail: self.mail,
            };
            let erased =
                super::erasure::erase(conn, &subject, &name, lang, &with, LinkKind::InactiveErased);
            match erased {
                Ok(()) => report.erased += 1,
                Err(AppError::BadRequest(_)) => report.waiting += 1,
                Err(e) => return Err(e),
            }
            if done % 1000 == 999 {
                progress(done + 1, total);
            }
        }
        Ok(())
    }

    /// Delivered (or otherwise finished) orders lose, per the data map, what only the delivery
    /// needed once its days after delivery have passed.
    fn strip_orders(&self, conn: &mut DbConn, report: &mut Report) -> Result<(), AppError> {
        let mut by_days: std::collections::BTreeMap<u16, Vec<String>> = Default::default();
        for column in PERSONAL_COLUMNS.iter().filter(|c| c.table == "orders") {
            if let Retention::DaysAfterDelivery(days) = column.retention {
                let set = match column.erasure {
                    Erasure::Anonymise if column.column == "card_anonymous" => {
                        format!("{} = FALSE", column.column)
                    }
                    _ => format!("{} = NULL", column.column),
                };
                by_days.entry(days).or_default().push(set);
            }
        }
        let open = super::erasure::OPEN_ORDER_STATUSES
            .iter()
            .map(|s| format!("'{s}'"))
            .collect::<Vec<_>>()
            .join(", ");
        for (days, sets) in by_days {
            let before = (self.now - Duration::days(i64::from(days))).date();
            // Orders still holding a detail: the statement below is idempotent.
            let holding = "(recipient_name IS NOT NULL OR recipient_street IS NOT NULL \
                           OR card_message IS NOT NULL OR delivery_instructions IS NOT NULL \
                           OR recipient_phone IS NOT NULL)";
            let filter =
                format!("status NOT IN ({open}) AND delivery_date < '{before}' AND {holding}");
            report.orders_stripped += if self.apply {
                diesel::sql_query(format!(
                    "UPDATE orders SET {} WHERE {filter}",
                    sets.join(", ")
                ))
                .execute(conn)?
            } else {
                #[derive(QueryableByName)]
                struct Count {
                    #[diesel(sql_type = diesel::sql_types::BigInt)]
                    n: i64,
                }
                diesel::sql_query(format!("SELECT COUNT(*) AS n FROM orders WHERE {filter}"))
                    .get_result::<Count>(conn)?
                    .n as usize
            };
        }
        Ok(())
    }
}

impl Sweep<'_> {
    /// Orders and invoices are kept for the Dutch fiscal retention period: seven years after the
    /// end of the year they belong to (P15). After it, finished orders (with their lines,
    /// payments and history, by cascade) and invoices none of whose orders remain go, and so do
    /// companies that have no member left and nothing that must still be kept.
    fn fiscal(&self, conn: &mut DbConn, report: &mut Report) -> Result<(), AppError> {
        let cutoff = fiscal_cutoff(self.now.date());
        let open = super::erasure::OPEN_ORDER_STATUSES
            .iter()
            .map(|s| format!("'{s}'"))
            .collect::<Vec<_>>()
            .join(", ");
        let order_gone =
            |o: &str| format!("({o}.status NOT IN ({open}) AND {o}.delivery_date < '{cutoff}')");
        let invoice_gone = |i: &str| {
            format!(
                "({i}.issued_on < '{cutoff}' AND NOT EXISTS (SELECT 1 FROM orders ko \
                 WHERE ko.invoice_id = {i}.id AND NOT {}))",
                order_gone("ko")
            )
        };
        let company_gone = format!(
            "NOT EXISTS (SELECT 1 FROM company_users u WHERE u.company_id = companies.id) \
             AND NOT EXISTS (SELECT 1 FROM orders co WHERE co.company_id = companies.id \
             AND NOT {}) AND NOT EXISTS (SELECT 1 FROM invoices ci \
             WHERE ci.company_id = companies.id AND NOT {})",
            order_gone("co"),
            invoice_gone("ci")
        );
        let rules = [
            ("orders", format!("{} ", order_gone("orders"))),
            ("invoices", invoice_gone("invoices")),
            ("companies", company_gone),
        ];
        let counts = conn.write_tx(|conn| {
            let mut counts = [0usize; 3];
            for (n, (table, filter)) in rules.iter().enumerate() {
                counts[n] = if self.apply {
                    diesel::sql_query(format!("DELETE FROM {table} WHERE {filter}"))
                        .execute(conn)?
                } else {
                    count_where(conn, table, filter)?
                };
            }
            Ok::<_, AppError>(counts)
        })?;
        [
            report.orders_removed,
            report.invoices_removed,
            report.companies_removed,
        ] = counts;
        Ok(())
    }
}

/// The first day no longer under the fiscal retention period on `today`: records of a year are
/// kept until the end of the seventh year after it.
pub fn fiscal_cutoff(today: chrono::NaiveDate) -> chrono::NaiveDate {
    use chrono::Datelike;
    chrono::NaiveDate::from_ymd_opt(today.year() - 7, 1, 1).unwrap_or(today)
}

fn count_where(conn: &mut DbConn, table: &str, filter: &str) -> QueryResult<usize> {
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let sql = format!("SELECT COUNT(*) AS n FROM {table} WHERE {filter}");
    Ok(diesel::sql_query(sql).get_result::<Count>(conn)?.n as usize)
}

/// Claims today's run for this instance; `false` when another instance has it already.
pub fn claim_today(conn: &mut DbConn, today: chrono::NaiveDate) -> QueryResult<bool> {
    use crate::db::schema::app_meta;
    let today = today.to_string();
    let taken = diesel::update(
        app_meta::table
            .filter(app_meta::key.eq(CLAIM_KEY))
            .filter(app_meta::value.lt(&today)),
    )
    .set(app_meta::value.eq(&today))
    .execute(conn)?;
    if taken == 1 {
        return Ok(true);
    }
    let inserted = diesel::insert_into(app_meta::table)
        .values((app_meta::key.eq(CLAIM_KEY), app_meta::value.eq(&today)))
        .execute(conn);
    match inserted {
        Ok(_) => Ok(true),
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => Ok(false),
        Err(e) => Err(e),
    }
}
