//! Queries for consumer accounts, their single-use links, address books and orders. Every
//! query that reads or changes something of an account takes the account's id, so one customer
//! can never reach another's rows by changing an id in a URL.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::LinkPurpose;
use crate::db::DbConn;
use crate::db::schema::{customer_addresses, customer_logins, customer_tokens, customers, orders};
use crate::domain::business::CompanyRole;

/// An account as the shop needs it.
#[derive(Clone, Queryable, Selectable)]
#[diesel(table_name = customers)]
pub struct CustomerRow {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub phone: Option<String>,
    pub password_hash: String,
    pub lang: String,
    pub email_verified_at: Option<NaiveDateTime>,
    pub session_version: i32,
    /// The privacy statement version last accepted (P19).
    pub privacy_version: Option<String>,
}

// Personal data: `{:?}` shows only the id.
impl std::fmt::Debug for CustomerRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CustomerRow({})", self.id)
    }
}

impl CustomerRow {
    /// Whether the address has been confirmed.
    pub fn is_verified(&self) -> bool {
        self.email_verified_at.is_some()
    }
}

/// What a new account stores.
pub struct NewCustomer<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub phone: Option<&'a str>,
    pub password_hash: &'a str,
    pub lang: &'a str,
    /// The privacy statement version the registration form linked to (P19).
    pub privacy_version: &'a str,
}

/// Adds an account; returns its id.
pub fn insert(conn: &mut DbConn, new: &NewCustomer<'_>, now: NaiveDateTime) -> QueryResult<i64> {
    diesel::insert_into(customers::table)
        .values((
            customers::email.eq(new.email),
            customers::name.eq(new.name),
            customers::phone.eq(new.phone),
            customers::password_hash.eq(new.password_hash),
            customers::lang.eq(new.lang),
            customers::age_confirmed_at.eq(now),
            customers::privacy_version.eq(new.privacy_version),
            customers::privacy_accepted_at.eq(now),
            customers::created_at.eq(now),
        ))
        .returning(customers::id)
        .get_result(conn)
}

/// Records that the account accepted statement `version` now (P19).
pub fn accept_statement(conn: &mut DbConn, id: i64, version: &str) -> QueryResult<()> {
    diesel::update(customers::table.find(id))
        .set((
            customers::privacy_version.eq(version),
            customers::privacy_accepted_at.eq(crate::db::now()),
        ))
        .execute(conn)
        .map(drop)
}

/// The account with this (normalised) address.
pub fn by_email(conn: &mut DbConn, email: &str) -> QueryResult<Option<CustomerRow>> {
    customers::table
        .filter(customers::email.eq(email))
        .select(CustomerRow::as_select())
        .first(conn)
        .optional()
}

/// The account with this id.
pub fn by_id(conn: &mut DbConn, id: i64) -> QueryResult<Option<CustomerRow>> {
    customers::table
        .find(id)
        .select(CustomerRow::as_select())
        .first(conn)
        .optional()
}

/// The account, when its login with this token hash is open (opened after `since`): one
/// query for every request of a logged-in customer.
pub fn by_login(
    conn: &mut DbConn,
    id: i64,
    token_hash: &str,
    since: NaiveDateTime,
) -> QueryResult<Option<CustomerRow>> {
    customers::table
        .inner_join(customer_logins::table)
        .filter(customers::id.eq(id))
        .filter(customer_logins::token_hash.eq(token_hash))
        .filter(customer_logins::created_at.ge(since))
        .select(CustomerRow::as_select())
        .first(conn)
        .optional()
}

/// Records a login.
pub fn touch_login(conn: &mut DbConn, id: i64, at: NaiveDateTime) -> QueryResult<()> {
    diesel::update(customers::table.find(id))
        .set(customers::last_login_at.eq(at))
        .execute(conn)
        .map(drop)
}

/// Marks the address as confirmed (the first confirmation counts).
pub fn mark_verified(conn: &mut DbConn, id: i64, at: NaiveDateTime) -> QueryResult<()> {
    diesel::update(
        customers::table
            .find(id)
            .filter(customers::email_verified_at.is_null()),
    )
    .set(customers::email_verified_at.eq(at))
    .execute(conn)
    .map(drop)
}

/// Sets a new password hash and raises the session version, which ends every other login.
pub fn set_password(conn: &mut DbConn, id: i64, hash: &str) -> QueryResult<i32> {
    diesel::update(customers::table.find(id))
        .set((
            customers::password_hash.eq(hash),
            customers::session_version.eq(customers::session_version + 1),
        ))
        .returning(customers::session_version)
        .get_result(conn)
}

/// Changes the confirmed address.
pub fn set_email(conn: &mut DbConn, id: i64, email: &str, at: NaiveDateTime) -> QueryResult<()> {
    diesel::update(customers::table.find(id))
        .set((
            customers::email.eq(email),
            customers::email_verified_at.eq(at),
        ))
        .execute(conn)
        .map(drop)
}

/// Changes name and phone number.
pub fn set_profile(conn: &mut DbConn, id: i64, name: &str, phone: Option<&str>) -> QueryResult<()> {
    diesel::update(customers::table.find(id))
        .set((customers::name.eq(name), customers::phone.eq(phone)))
        .execute(conn)
        .map(drop)
}

/// Stores a link's token hash.
pub fn insert_token(
    conn: &mut DbConn,
    customer_id: i64,
    purpose: LinkPurpose,
    hash: &str,
    new_email: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(customer_tokens::table)
        .values((
            customer_tokens::customer_id.eq(customer_id),
            customer_tokens::purpose.eq(purpose.as_str()),
            customer_tokens::token_hash.eq(hash),
            customer_tokens::new_email.eq(new_email),
            customer_tokens::expires_at.eq(now + purpose.lifetime()),
            customer_tokens::created_at.eq(now),
        ))
        .execute(conn)
        .map(drop)
}

/// A link found by its token.
#[derive(Debug, Clone, Queryable)]
pub struct TokenRow {
    pub id: i64,
    pub customer_id: i64,
    pub new_email: Option<String>,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
}

/// The link for `purpose` with this token hash, used or not.
pub fn token(conn: &mut DbConn, purpose: LinkPurpose, hash: &str) -> QueryResult<Option<TokenRow>> {
    customer_tokens::table
        .filter(customer_tokens::token_hash.eq(hash))
        .filter(customer_tokens::purpose.eq(purpose.as_str()))
        .select((
            customer_tokens::id,
            customer_tokens::customer_id,
            customer_tokens::new_email,
            customer_tokens::expires_at,
            customer_tokens::used_at,
        ))
        .first(conn)
        .optional()
}

/// Uses a link: true only for the one request that marks it used.
pub fn use_token(conn: &mut DbConn, id: i64, at: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(
        customer_tokens::table
            .find(id)
            .filter(customer_tokens::used_at.is_null()),
    )
    .set(customer_tokens::used_at.eq(at))
    .execute(conn)
    .map(|n| n == 1)
}

/// Ends every open link of `purpose` of an account (a new reset link voids the older ones).
pub fn void_tokens(
    conn: &mut DbConn,
    customer_id: i64,
    purpose: LinkPurpose,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(
        customer_tokens::table
            .filter(customer_tokens::customer_id.eq(customer_id))
            .filter(customer_tokens::purpose.eq(purpose.as_str()))
            .filter(customer_tokens::used_at.is_null()),
    )
    .set(customer_tokens::used_at.eq(at))
    .execute(conn)
    .map(drop)
}

/// Takes the account row's lock for the rest of the transaction (a no-op write: PostgreSQL
/// then makes a concurrent request for the same account wait; SQLite's write transaction is
/// exclusive already), so a check-then-record such as a consent change happens once.
pub fn lock(conn: &mut DbConn, id: i64) -> QueryResult<()> {
    diesel::update(customers::table.find(id))
        .set(customers::session_version.eq(customers::session_version))
        .execute(conn)
        .map(drop)
}

/// Deletes every link of `purpose` of an account.
pub fn delete_tokens(conn: &mut DbConn, customer_id: i64, purpose: LinkPurpose) -> QueryResult<()> {
    diesel::delete(
        customer_tokens::table
            .filter(customer_tokens::customer_id.eq(customer_id))
            .filter(customer_tokens::purpose.eq(purpose.as_str())),
    )
    .execute(conn)
    .map(drop)
}

use crate::db::lower;

/// Links guest orders placed with the account's confirmed address (however it was typed) to
/// the account.
pub fn link_guest_orders(conn: &mut DbConn, customer_id: i64, email: &str) -> QueryResult<usize> {
    diesel::update(
        orders::table
            .filter(orders::customer_id.is_null())
            .filter(lower(orders::sender_email).eq(email)),
    )
    .set(orders::customer_id.eq(customer_id))
    .execute(conn)
}

/// An entry of the address book.
#[derive(Clone, Queryable, Selectable)]
#[diesel(table_name = customer_addresses)]
pub struct AddressRow {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub street: String,
    pub postcode: String,
    pub city: String,
    pub phone: Option<String>,
}

/// The account's address book: own addresses first, then saved recipients, oldest first.
pub fn addresses(conn: &mut DbConn, customer_id: i64) -> QueryResult<Vec<AddressRow>> {
    customer_addresses::table
        .filter(customer_addresses::customer_id.eq(customer_id))
        .order((customer_addresses::kind, customer_addresses::id))
        .select(AddressRow::as_select())
        .load(conn)
}

/// One address of the account (`None` for another account's).
pub fn address(conn: &mut DbConn, customer_id: i64, id: i64) -> QueryResult<Option<AddressRow>> {
    customer_addresses::table
        .filter(customer_addresses::customer_id.eq(customer_id))
        .filter(customer_addresses::id.eq(id))
        .select(AddressRow::as_select())
        .first(conn)
        .optional()
}

/// Adds an address to the book.
pub fn insert_address(
    conn: &mut DbConn,
    customer_id: i64,
    address: &AddressRow,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(customer_addresses::table)
        .values((
            customer_addresses::customer_id.eq(customer_id),
            customer_addresses::kind.eq(&address.kind),
            customer_addresses::name.eq(&address.name),
            customer_addresses::street.eq(&address.street),
            customer_addresses::postcode.eq(&address.postcode),
            customer_addresses::city.eq(&address.city),
            customer_addresses::phone.eq(&address.phone),
            customer_addresses::created_at.eq(now),
        ))
        .execute(conn)
        .map(drop)
}

/// Removes an address of the account; false when it is not theirs (or gone).
pub fn delete_address(conn: &mut DbConn, customer_id: i64, id: i64) -> QueryResult<bool> {
    diesel::delete(
        customer_addresses::table
            .filter(customer_addresses::customer_id.eq(customer_id))
            .filter(customer_addresses::id.eq(id)),
    )
    .execute(conn)
    .map(|n| n == 1)
}

/// An order in the history.
#[derive(Debug, Clone, Queryable)]
pub struct HistoryRow {
    pub id: i64,
    pub number: String,
    pub status: String,
    pub delivery_date: chrono::NaiveDate,
    pub total_cents: i64,
    pub status_token: String,
}

/// The columns of a `HistoryRow`.
pub(crate) const HISTORY: (
    orders::id,
    orders::number,
    orders::status,
    orders::delivery_date,
    orders::total_cents,
    orders::status_token,
) = (
    orders::id,
    orders::number,
    orders::status,
    orders::delivery_date,
    orders::total_cents,
    orders::status_token,
);

/// The account's orders, newest first.
pub fn orders_of(conn: &mut DbConn, customer_id: i64) -> QueryResult<Vec<HistoryRow>> {
    orders::table
        .filter(orders::customer_id.eq(customer_id))
        .order(orders::id.desc())
        .select(HISTORY)
        .limit(200)
        .load(conn)
}

/// One order of the account by its number (`None` for another account's).
pub fn order_of(
    conn: &mut DbConn,
    customer_id: i64,
    number: &str,
) -> QueryResult<Option<HistoryRow>> {
    orders::table
        .filter(orders::customer_id.eq(customer_id))
        .filter(orders::number.eq(number))
        .select(HISTORY)
        .first(conn)
        .optional()
}

/// What a logged-in account is in a company (a fact about the account that checkout, the
/// account page and the company pages all read; the company itself belongs to `business`).
#[derive(Debug, Clone)]
pub struct Membership {
    pub company_id: i64,
    pub company_name: String,
    pub role: CompanyRole,
    /// Whether staff approved the company (then it may order on account).
    pub approved: bool,
}

/// The account's company membership, if any.
pub fn membership_of(conn: &mut DbConn, customer_id: i64) -> QueryResult<Option<Membership>> {
    use crate::db::schema::{companies, company_users};
    let found: Option<(i64, String, String, Option<NaiveDateTime>)> = company_users::table
        .inner_join(companies::table)
        .filter(company_users::customer_id.eq(customer_id))
        .select((
            companies::id,
            companies::name,
            company_users::role,
            companies::approved_at,
        ))
        .first(conn)
        .optional()?;
    Ok(
        found.and_then(|(company_id, company_name, role, approved)| {
            Some(Membership {
                company_id,
                company_name,
                role: CompanyRole::parse(&role)?,
                approved: approved.is_some(),
            })
        }),
    )
}
