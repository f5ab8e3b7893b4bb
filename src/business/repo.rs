//! Queries for companies, their users and invitations, and the orders they may see. Every query
//! that reads or changes something of a company takes the company's id as established by the
//! logged-in user's membership, never an id from the request alone.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::CompanyRole;
use crate::accounts::repo::{HISTORY, HistoryRow};
use crate::db::DbConn;
use crate::db::schema::{companies, company_invitations, company_users, customers, orders};

pub use crate::accounts::repo::{Membership, membership_of};

/// An order the account may see by its number: its own, or, for a company admin, any of the
/// company's. `None` for anything else.
pub fn visible_order(
    conn: &mut DbConn,
    customer_id: i64,
    number: &str,
) -> QueryResult<Option<HistoryRow>> {
    let own = orders::table
        .filter(orders::number.eq(number))
        .filter(orders::customer_id.eq(customer_id))
        .select(HISTORY)
        .first(conn)
        .optional()?;
    if own.is_some() {
        return Ok(own);
    }
    match membership_of(conn, customer_id)? {
        Some(m) if m.role == CompanyRole::Admin => orders::table
            .filter(orders::number.eq(number))
            .filter(orders::company_id.eq(m.company_id))
            .select(HISTORY)
            .first(conn)
            .optional(),
        _ => Ok(None),
    }
}

/// A company order: the order, its PO number, and the name of the account that placed it.
pub type CompanyOrderRow = (HistoryRow, Option<String>, Option<String>);

/// A company's orders, newest first.
pub fn company_orders(conn: &mut DbConn, company_id: i64) -> QueryResult<Vec<CompanyOrderRow>> {
    orders::table
        .left_join(customers::table)
        .filter(orders::company_id.eq(company_id))
        .order(orders::id.desc())
        .select((HISTORY, orders::po_number, customers::name.nullable()))
        .limit(500)
        .load(conn)
}

/// What a new company stores (the IBAN already sealed).
pub struct NewCompanyRow<'a> {
    pub name: &'a str,
    pub kvk: &'a str,
    pub vat_id: &'a str,
    pub street: &'a str,
    pub postcode: &'a str,
    pub city: &'a str,
    pub contact_name: &'a str,
    pub contact_job_title: &'a str,
    pub iban_sealed: Option<&'a str>,
}

/// Adds a company; returns its id.
pub fn insert_company(
    conn: &mut DbConn,
    c: &NewCompanyRow<'_>,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    diesel::insert_into(companies::table)
        .values((
            companies::name.eq(c.name),
            companies::kvk_number.eq(c.kvk),
            companies::vat_id.eq(c.vat_id),
            companies::billing_street.eq(c.street),
            companies::billing_postcode.eq(c.postcode),
            companies::billing_city.eq(c.city),
            companies::contact_name.eq(c.contact_name),
            companies::contact_job_title.eq(c.contact_job_title),
            companies::iban_encrypted.eq(c.iban_sealed),
            companies::created_at.eq(now),
        ))
        .returning(companies::id)
        .get_result(conn)
}

/// A company as its page and the staff list show it.
#[derive(Clone, Queryable, Selectable)]
#[diesel(table_name = companies)]
pub struct CompanyRow {
    pub id: i64,
    pub name: String,
    pub kvk_number: String,
    pub vat_id: String,
    pub billing_street: String,
    pub billing_postcode: String,
    pub billing_city: String,
    pub contact_name: String,
    pub contact_job_title: String,
    pub iban_encrypted: Option<String>,
    pub approved_at: Option<NaiveDateTime>,
}

/// One company.
pub fn company(conn: &mut DbConn, id: i64) -> QueryResult<Option<CompanyRow>> {
    companies::table
        .find(id)
        .select(CompanyRow::as_select())
        .first(conn)
        .optional()
}

/// Every company, those waiting for approval first.
pub fn all_companies(conn: &mut DbConn) -> QueryResult<Vec<CompanyRow>> {
    let mut rows: Vec<CompanyRow> = companies::table
        .order(companies::id)
        .select(CompanyRow::as_select())
        .load(conn)?;
    rows.sort_by_key(|c| c.approved_at.is_some());
    Ok(rows)
}

/// Approves a company (once); false when it was approved already or does not exist.
pub fn approve(conn: &mut DbConn, id: i64, staff_id: i64, at: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(
        companies::table
            .find(id)
            .filter(companies::approved_at.is_null()),
    )
    .set((
        companies::approved_at.eq(at),
        companies::approved_by.eq(staff_id),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

/// Adds an account to a company.
pub fn add_user(
    conn: &mut DbConn,
    company_id: i64,
    customer_id: i64,
    role: CompanyRole,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(company_users::table)
        .values((
            company_users::company_id.eq(company_id),
            company_users::customer_id.eq(customer_id),
            company_users::role.eq(role.as_str()),
            company_users::created_at.eq(now),
        ))
        .execute(conn)
        .map(drop)
}

/// A user of a company.
#[derive(Debug, Clone, Queryable)]
pub struct UserRow {
    /// The membership's id (what the remove button names).
    pub id: i64,
    pub customer_id: i64,
    pub name: String,
    pub email: String,
    pub role: String,
}

/// The company's users.
pub fn users(conn: &mut DbConn, company_id: i64) -> QueryResult<Vec<UserRow>> {
    company_users::table
        .inner_join(customers::table)
        .filter(company_users::company_id.eq(company_id))
        .order(company_users::id)
        .select((
            company_users::id,
            customers::id,
            customers::name,
            customers::email,
            company_users::role,
        ))
        .load(conn)
}

/// Removes a user of the company (not oneself), and voids the open invitations to their
/// address, so they cannot rejoin with an old one; false when the id is not this company's.
pub fn remove_user(
    conn: &mut DbConn,
    company_id: i64,
    membership_id: i64,
    except_customer: i64,
) -> QueryResult<bool> {
    let email: Option<String> = company_users::table
        .inner_join(customers::table)
        .filter(company_users::company_id.eq(company_id))
        .filter(company_users::id.eq(membership_id))
        .filter(company_users::customer_id.ne(except_customer))
        .select(customers::email)
        .first(conn)
        .optional()?;
    let Some(email) = email else {
        return Ok(false);
    };
    diesel::delete(company_users::table.find(membership_id)).execute(conn)?;
    diesel::update(
        company_invitations::table
            .filter(company_invitations::company_id.eq(company_id))
            .filter(company_invitations::email.eq(&email))
            .filter(company_invitations::accepted_at.is_null()),
    )
    .set(company_invitations::expires_at.eq(crate::db::now() - chrono::Duration::seconds(1)))
    .execute(conn)?;
    Ok(true)
}

/// Stores an invitation.
pub fn insert_invitation(
    conn: &mut DbConn,
    company_id: i64,
    email: &str,
    role: CompanyRole,
    hash: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(company_invitations::table)
        .values((
            company_invitations::company_id.eq(company_id),
            company_invitations::email.eq(email),
            company_invitations::role.eq(role.as_str()),
            company_invitations::token_hash.eq(hash),
            company_invitations::expires_at.eq(now + chrono::Duration::days(7)),
            company_invitations::created_at.eq(now),
        ))
        .execute(conn)
        .map(drop)
}

/// An invitation found by its token.
#[derive(Debug, Clone, Queryable)]
pub struct InvitationRow {
    pub id: i64,
    pub company_id: i64,
    pub email: String,
    pub role: String,
    pub expires_at: NaiveDateTime,
    pub accepted_at: Option<NaiveDateTime>,
}

/// The invitation with this token hash.
pub fn invitation(conn: &mut DbConn, hash: &str) -> QueryResult<Option<InvitationRow>> {
    company_invitations::table
        .filter(company_invitations::token_hash.eq(hash))
        .select((
            company_invitations::id,
            company_invitations::company_id,
            company_invitations::email,
            company_invitations::role,
            company_invitations::expires_at,
            company_invitations::accepted_at,
        ))
        .first(conn)
        .optional()
}

/// Marks an invitation accepted: true only for the one request that does so.
pub fn accept_invitation(conn: &mut DbConn, id: i64, at: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(
        company_invitations::table
            .find(id)
            .filter(company_invitations::accepted_at.is_null()),
    )
    .set(company_invitations::accepted_at.eq(at))
    .execute(conn)
    .map(|n| n == 1)
}

/// Open invitations of the company (not accepted, not expired).
pub fn open_invitations(
    conn: &mut DbConn,
    company_id: i64,
    now: NaiveDateTime,
) -> QueryResult<Vec<(String, String)>> {
    company_invitations::table
        .filter(company_invitations::company_id.eq(company_id))
        .filter(company_invitations::accepted_at.is_null())
        .filter(company_invitations::expires_at.gt(now))
        .order(company_invitations::id)
        .select((company_invitations::email, company_invitations::role))
        .load(conn)
}
