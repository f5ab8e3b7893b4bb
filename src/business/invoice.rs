//! Monthly invoices for orders on account: one per company per month, numbered without gaps
//! (the next number is taken inside the one transaction that issues the whole month, so a
//! failure leaves no number used), with the buyer's and the shop's details copied in. An issued
//! invoice never changes (the database refuses it; corrections are credit notes).

use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;

use crate::accounts::mails::{self, LinkKind};
use crate::config::ShopInfo;
use crate::db::DbConn;
use crate::db::schema::{companies, company_users, customers, invoices, orders};
use crate::domain::OrderStatus;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::mail::messages::MailContext;

/// Days a company has to pay.
pub const PAYMENT_TERM_DAYS: i64 = 14;

/// Today in the shop's time zone (invoices are dated in it).
pub fn today() -> NaiveDate {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Amsterdam)
        .date_naive()
}

/// A calendar month, `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Month {
    first: NaiveDate,
}

impl Month {
    /// Parses `YYYY-MM`.
    pub fn parse(input: &str) -> Option<Month> {
        let (year, month) = input.trim().split_once('-')?;
        if year.len() != 4 || month.len() != 2 {
            return None;
        }
        let first = NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, 1)?;
        Some(Month { first })
    }

    /// The first day.
    pub fn first_day(self) -> NaiveDate {
        self.first
    }

    /// The last day.
    pub fn last_day(self) -> NaiveDate {
        let next = self
            .first
            .checked_add_months(chrono::Months::new(1))
            .expect("a month after a valid month");
        next.pred_opt().expect("a day before the first of a month")
    }

    /// `YYYY-MM`.
    pub fn code(self) -> String {
        format!("{:04}-{:02}", self.first.year(), self.first.month())
    }
}

/// Why a month could not be invoiced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvoiceProblem {
    /// The month has not ended yet, so its orders are not all delivered.
    NotOver,
}

/// An issued invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issued {
    pub id: i64,
    pub number: String,
    pub company_id: i64,
    pub total_cents: i64,
}

/// Statuses of orders that are not invoiced (nothing was delivered).
const NOT_INVOICED: [OrderStatus; 3] = [
    OrderStatus::Cancelled,
    OrderStatus::Expired,
    OrderStatus::PaymentFailed,
];

type OrderSums = (i64, i64, i64, i64, i64, i64);

/// Issues the invoices of `month` for every company with orders on account in it not invoiced
/// yet, and mails each to the company's admins. Runs as one transaction.
pub fn issue_month(
    conn: &mut DbConn,
    month: Month,
    shop: &ShopInfo,
    today: NaiveDate,
    ctx: &MailContext,
) -> Result<Result<Vec<Issued>, InvoiceProblem>, AppError> {
    if month.last_day() >= today {
        return Ok(Err(InvoiceProblem::NotOver));
    }
    let excluded: Vec<&str> = NOT_INVOICED.iter().map(|s| s.as_str()).collect();
    conn.write_tx(|conn| {
        // One issuing run at a time: a second (the staff button while the CLI runs) waits
        // here and then finds the orders invoiced. SQLite's write transaction already is one.
        if let DbConn::Pg(pg) = conn {
            diesel::sql_query("SELECT pg_advisory_xact_lock(7460001)").execute(pg)?;
        }
        let rows: Vec<(i64, i64, OrderSums)> = orders::table
            .filter(orders::on_account.eq(true))
            .filter(orders::invoice_id.is_null())
            .filter(orders::delivery_date.between(month.first_day(), month.last_day()))
            .filter(orders::status.ne_all(&excluded))
            .order((orders::company_id, orders::id))
            .select((
                orders::id,
                orders::company_id.assume_not_null(),
                (
                    orders::vat_reduced_gross_cents,
                    orders::vat_reduced_cents,
                    orders::vat_standard_gross_cents,
                    orders::vat_standard_cents,
                    orders::total_cents,
                    orders::delivery_fee_cents,
                ),
            ))
            .load(conn)?;
        let first: i64 = invoices::table
            .select(diesel::dsl::max(invoices::sequence))
            .first::<Option<i64>>(conn)?
            .unwrap_or(0)
            + 1;
        let mut issued = Vec::new();
        let mut companies_seen: Vec<i64> = rows.iter().map(|r| r.1).collect();
        companies_seen.dedup();
        for (next, company_id) in (first..).zip(companies_seen) {
            let mine: Vec<&(i64, i64, OrderSums)> =
                rows.iter().filter(|r| r.1 == company_id).collect();
            let sum = |f: fn(&OrderSums) -> i64| mine.iter().map(|r| f(&r.2)).sum::<i64>();
            let (reduced_gross, reduced_vat) = (sum(|s| s.0), sum(|s| s.1));
            let (standard_gross, standard_vat) = (sum(|s| s.2), sum(|s| s.3));
            let total = sum(|s| s.4);
            let buyer: (String, String, String, String, String, String) = companies::table
                .find(company_id)
                .select((
                    companies::name,
                    companies::billing_street,
                    companies::billing_postcode,
                    companies::billing_city,
                    companies::kvk_number,
                    companies::vat_id,
                ))
                .first(conn)?;
            let number = format!("{}-{next:06}", today.year());
            let id: i64 = diesel::insert_into(invoices::table)
                .values((
                    invoices::sequence.eq(next),
                    invoices::number.eq(&number),
                    invoices::company_id.eq(company_id),
                    invoices::month.eq(month.code()),
                    invoices::issued_on.eq(today),
                    invoices::due_on.eq(today + chrono::Duration::days(PAYMENT_TERM_DAYS)),
                    invoices::seller_name.eq(&shop.name),
                    invoices::seller_address
                        .eq(format!("{}, {} {}", shop.street, shop.postcode, shop.city)),
                    invoices::seller_kvk.eq(&shop.kvk),
                    invoices::seller_vat_id.eq(&shop.vat_id),
                    invoices::buyer_name.eq(&buyer.0),
                    invoices::buyer_address.eq(format!("{}, {} {}", buyer.1, buyer.2, buyer.3)),
                    invoices::buyer_kvk.eq(&buyer.4),
                    invoices::buyer_vat_id.eq(&buyer.5),
                    invoices::net_reduced_cents.eq(reduced_gross - reduced_vat),
                    invoices::vat_reduced_cents.eq(reduced_vat),
                    invoices::net_standard_cents.eq(standard_gross - standard_vat),
                    invoices::vat_standard_cents.eq(standard_vat),
                    invoices::total_cents.eq(total),
                    invoices::created_at.eq(crate::db::now()),
                ))
                .returning(invoices::id)
                .get_result(conn)?;
            // Claimed only while still uninvoiced and not cancelled: an order cancelled since it
            // was read makes the run stop (and roll back, numbers included) instead of being billed.
            let ids: Vec<i64> = mine.iter().map(|r| r.0).collect();
            let claimed = diesel::update(
                orders::table
                    .filter(orders::id.eq_any(&ids))
                    .filter(orders::invoice_id.is_null())
                    .filter(orders::status.ne_all(&excluded)),
            )
            .set(orders::invoice_id.eq(id))
            .execute(conn)?;
            if claimed != ids.len() {
                return Err(AppError::Conflict);
            }
            mail_admins(conn, company_id, id, &number, ctx)?;
            issued.push(Issued {
                id,
                number,
                company_id,
                total_cents: total,
            });
        }
        Ok(Ok(issued))
    })
}

/// Queues the invoice's e-mail to each admin of the company, in their language.
fn mail_admins(
    conn: &mut DbConn,
    company_id: i64,
    invoice_id: i64,
    number: &str,
    ctx: &MailContext,
) -> Result<(), AppError> {
    let admins: Vec<(String, String, String)> = company_users::table
        .inner_join(customers::table)
        .filter(company_users::company_id.eq(company_id))
        .filter(company_users::role.eq("admin"))
        .select((customers::email, customers::name, customers::lang))
        .load(conn)?;
    let url = format!("{}/zakelijk/facturen/{invoice_id}", ctx.public_url);
    for (email, name, lang) in admins {
        let lang = Lang::from_code(&lang).unwrap_or_default();
        let mut mail = mails::link(ctx, lang, &email, &name, LinkKind::Invoice, &url)?;
        mail.subject = lang.t_args(
            "mail-invoice-subject",
            &[
                ("number", number.to_owned()),
                ("shop", ctx.shop_name.clone()),
            ],
        );
        mail.queue(conn)?;
    }
    Ok(())
}

/// An issued invoice as stored.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = invoices)]
pub struct InvoiceRow {
    pub id: i64,
    pub number: String,
    pub company_id: i64,
    pub month: String,
    pub issued_on: NaiveDate,
    pub due_on: NaiveDate,
    pub seller_name: String,
    pub seller_address: String,
    pub seller_kvk: String,
    pub seller_vat_id: String,
    pub buyer_name: String,
    pub buyer_address: String,
    pub buyer_kvk: String,
    pub buyer_vat_id: String,
    pub net_reduced_cents: i64,
    pub vat_reduced_cents: i64,
    pub net_standard_cents: i64,
    pub vat_standard_cents: i64,
    pub total_cents: i64,
}

/// One invoice; with `company`, only when it is that company's.
pub fn invoice(
    conn: &mut DbConn,
    id: i64,
    company: Option<i64>,
) -> QueryResult<Option<InvoiceRow>> {
    let mut query = invoices::table
        .filter(invoices::id.eq(id))
        .select(InvoiceRow::as_select())
        .into_boxed();
    if let Some(company) = company {
        query = query.filter(invoices::company_id.eq(company));
    }
    query.first(conn).optional()
}

/// Invoices, newest first; with `company`, only that company's.
pub fn invoices(conn: &mut DbConn, company: Option<i64>) -> QueryResult<Vec<InvoiceRow>> {
    let mut query = invoices::table
        .order(invoices::sequence.desc())
        .select(InvoiceRow::as_select())
        .limit(500)
        .into_boxed();
    if let Some(company) = company {
        query = query.filter(invoices::company_id.eq(company));
    }
    query.load(conn)
}

/// An order on an invoice: number, date, PO number, net and VAT per rate, total.
#[derive(Debug, Clone, Queryable)]
pub struct InvoicedOrder {
    pub id: i64,
    pub number: String,
    pub delivery_date: NaiveDate,
    pub po_number: Option<String>,
    pub reduced_gross: i64,
    pub reduced_vat: i64,
    pub standard_gross: i64,
    pub standard_vat: i64,
    pub total_cents: i64,
}

/// The orders an invoice covers, by delivery date.
pub fn orders_of(conn: &mut DbConn, invoice_id: i64) -> QueryResult<Vec<InvoicedOrder>> {
    orders::table
        .filter(orders::invoice_id.eq(invoice_id))
        .order((orders::delivery_date, orders::id))
        .select((
            orders::id,
            orders::number,
            orders::delivery_date,
            orders::po_number,
            orders::vat_reduced_gross_cents,
            orders::vat_reduced_cents,
            orders::vat_standard_gross_cents,
            orders::vat_standard_cents,
            orders::total_cents,
        ))
        .load(conn)
}

/// An invoice as its page shows it: each invoiced order with its lines as "2 × Name" in `lang`.
pub type InvoiceView = (InvoiceRow, Vec<(InvoicedOrder, Vec<String>)>);

/// Invoice `id` with its orders and their lines; `company` limits it to that company's own
/// invoices (`None` for staff). `NotFound` when there is no such invoice to see.
pub fn view(
    conn: &mut DbConn,
    id: i64,
    company: Option<i64>,
    lang: Lang,
) -> Result<InvoiceView, AppError> {
    use crate::db::schema::order_lines;
    let invoice = invoice(conn, id, company)?.ok_or(AppError::NotFound)?;
    let mut shown = Vec::new();
    for order in orders_of(conn, invoice.id)? {
        let lines: Vec<(i32, String, String)> = order_lines::table
            .filter(order_lines::order_id.eq(order.id))
            .order(order_lines::position)
            .select((
                order_lines::quantity,
                order_lines::product_name_nl,
                order_lines::product_name_en,
            ))
            .load(conn)?;
        let lines = lines
            .into_iter()
            .map(|(quantity, nl, en)| format!("{quantity} × {}", lang.pick(nl, en)))
            .collect();
        shown.push((order, lines));
    }
    Ok((invoice, shown))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_knows_its_first_and_last_day_and_refuses_nonsense() {
        let feb = Month::parse("2028-02").unwrap();
        assert_eq!(
            feb.last_day(),
            NaiveDate::from_ymd_opt(2028, 2, 29).unwrap()
        );
        assert_eq!(feb.code(), "2028-02");
        assert_eq!(
            Month::parse("2026-12").unwrap().last_day(),
            NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()
        );
        for bad in ["2026-13", "2026-1", "26-01", "november", ""] {
            assert!(Month::parse(bad).is_none(), "{bad}");
        }
    }
}
