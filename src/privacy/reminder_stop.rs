//! Stopping occasion reminders from the reminder mail itself (P11: every marketing e-mail has a
//! working opt-out and one-click `List-Unsubscribe` headers). Each reminder carries a link with
//! a random token whose hash is stored as a `stop-reminders` customer token; the link works
//! without logging in, can only withdraw the reminders consent, and deletes the saved occasions
//! with it, as withdrawing in the account does.

use actix_web::{HttpResponse, web};
use diesel::prelude::*;

use super::consent::{self, ConsentPurpose, ConsentSource, ConsentSubject};
use super::pages::LinkPage;
use crate::accounts::model::LinkPurpose;
use crate::accounts::repo;
use crate::db::DbConn;
use crate::db::schema::{customer_occasions, customers};
use crate::domain::token::{new_link_token, token_hash};
use crate::error::AppError;
use crate::web::{AppState, PageCtx};

/// Where a reminder's opt-out link and its `List-Unsubscribe` header point.
pub const PATH: &str = "/herinneringen/stoppen/";

/// Makes a stop link for a reminder to `customer_id` (in the caller's transaction) and returns
/// its URL.
pub fn new_link(conn: &mut DbConn, public_url: &str, customer_id: i64) -> QueryResult<String> {
    let (token, hash) = new_link_token();
    repo::insert_token(
        conn,
        customer_id,
        LinkPurpose::StopReminders,
        &hash,
        None,
        crate::db::now(),
    )?;
    Ok(format!("{public_url}{PATH}{token}"))
}

/// Withdraws the reminders consent (when given) and deletes the customer's occasions.
pub fn withdraw(conn: &mut DbConn, customer_id: i64, source: ConsentSource) -> QueryResult<()> {
    // Two stops at once (a button and a mail client's one-click) record one withdrawal.
    repo::lock(conn, customer_id)?;
    if consent::current(conn, customer_id, ConsentPurpose::Reminders)? {
        consent::record(
            conn,
            ConsentSubject::account(customer_id),
            ConsentPurpose::Reminders,
            false,
            ConsentPurpose::Reminders.current_version(),
            source,
        )?;
    }
    forget_occasions(conn, customer_id)
}

/// Deletes every occasion of a customer (the reminders consent is gone).
pub fn forget_occasions(conn: &mut DbConn, customer_id: i64) -> QueryResult<()> {
    diesel::delete(
        customer_occasions::table.filter(customer_occasions::customer_id.eq(customer_id)),
    )
    .execute(conn)
    .map(drop)
}

/// The account a stop link belongs to: 404 when unknown (never made, or gone with an erasure
/// or an address change), 410 with the way through the account when expired.
fn owner(conn: &mut DbConn, token: &str) -> Result<(i64, String), AppError> {
    let row = repo::token(conn, LinkPurpose::StopReminders, &token_hash(token))?
        .ok_or(AppError::NotFound)?;
    if row.expires_at <= crate::db::now() {
        return Err(AppError::Gone("reminders-stop-expired"));
    }
    let email = customers::table
        .find(row.customer_id)
        .select(customers::email)
        .first(conn)?;
    Ok((row.customer_id, email))
}

/// The page with the button posting to `ask`, or without one, the outcome.
fn stop_page(ctx: PageCtx, email: String, ask: Option<String>) -> LinkPage {
    LinkPage {
        ctx,
        heading: "reminders-stop-heading",
        text: if ask.is_some() {
            "reminders-stop-text"
        } else {
            "reminders-stopped-text"
        },
        email,
        button: ask.map(|action| ("reminders-stop-button", action)),
        link: None,
        class: "stop-reminders".into(),
    }
}

/// `GET /herinneringen/stoppen/{token}`: a page with one button (a mail scanner fetching the
/// link changes nothing).
pub async fn page(
    state: web::Data<AppState>,
    ctx: PageCtx,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let lookup = token.clone();
    let (email, stopped) = state
        .db
        .run(move |conn| {
            let (customer_id, email) = owner(conn, &lookup)?;
            let given = consent::current(conn, customer_id, ConsentPurpose::Reminders)?;
            Ok((email, !given))
        })
        .await?;
    crate::web::page(&stop_page(
        ctx,
        email,
        (!stopped).then(|| format!("{PATH}{token}")),
    ))
}

/// `POST /herinneringen/stoppen/{token}`: the page's button or a mail client's one-click POST
/// (RFC 8058). Idempotent: a second POST finds the consent withdrawn and changes nothing.
pub async fn stop(
    state: web::Data<AppState>,
    ctx: PageCtx,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let email = state
        .db
        .run(move |conn| {
            conn.write_tx(|conn| {
                let (customer_id, email) = owner(conn, &token)?;
                withdraw(conn, customer_id, ConsentSource::Email)?;
                Ok::<_, AppError>(email)
            })
        })
        .await?;
    crate::web::page(&stop_page(ctx, email, None))
}
