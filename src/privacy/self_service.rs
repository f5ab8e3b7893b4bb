//! The customer's privacy pages (P13): everything held about me, grouped by purpose, with why
//! and until when; the download (after the password, logged without its content, P14); and
//! deleting the account (after the password, saying first what goes and what the tax law
//! keeps, and until when).

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;
use serde::Deserialize;

use super::export::{self, ExportHtml, Group};
use super::subject::{self, Subject};
use crate::accounts::auth::{self, Customer};
use crate::db::schema::{customers, orders};
use crate::domain::sealed::DataKey;
use crate::error::AppError;
use crate::web::{AppState, PageCtx, render};

/// A form that only asks for the password.
#[derive(Deserialize)]
pub struct PasswordForm {
    /// The account's password.
    #[serde(default)]
    pub password: String,
}

impl std::fmt::Debug for PasswordForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordForm { password: [redacted] }")
    }
}

/// `GET /account/mijn-gegevens`.
#[derive(Template)]
#[template(path = "privacy/my_data.html")]
pub struct MyDataPage {
    /// Page context.
    pub ctx: PageCtx,
    /// What is held, by purpose.
    pub groups: Vec<Group>,
    /// Personal data about them that went to others (P10).
    pub disclosures: Vec<export::DisclosureEntry>,
    /// Error on the download's password.
    pub error: Option<&'static str>,
}

impl MyDataPage {
    /// A text in the page's language (the disclosure list shares its template with the
    /// download, which has no page context).
    pub fn t(&self, key: &str) -> std::borrow::Cow<'static, str> {
        self.ctx.t(key)
    }

    /// Where an item can be corrected, if it can.
    pub fn edit_link(&self, table: &str) -> Option<&'static str> {
        match table {
            "customers" => Some("/account"),
            "customer_addresses" => Some("/account/adressen"),
            "newsletter_subscribers" | "consent_events" => Some("/account/privacy"),
            "companies" | "company_users" => Some("/zakelijk"),
            "customer_occasions" => Some("/account/gelegenheden"),
            _ => None,
        }
    }
}

/// `GET /account/verwijderen`.
#[derive(Template)]
#[template(path = "privacy/delete_account.html")]
pub struct DeletePage {
    /// Page context.
    pub ctx: PageCtx,
    /// Until when order records are kept for the tax law, if there are any.
    pub kept_until: Option<String>,
    /// Whether the account belongs to a company.
    pub company: bool,
    /// Orders still under way: erasure waits until they are delivered.
    pub open_orders: i64,
    /// Error on the password.
    pub error: Option<&'static str>,
}

/// After the erasure.
#[derive(Template)]
#[template(path = "privacy/deleted.html")]
pub struct DeletedPage {
    /// Page context.
    pub ctx: PageCtx,
}

fn subject_of(customer: &Customer) -> Subject {
    Subject {
        customer_id: customer.id,
        email: customer.email.to_lowercase(),
    }
}

/// What is held about the customer, by purpose, and what of it went to others.
async fn groups_of(
    state: &AppState,
    key: &DataKey,
    customer: &Customer,
    lang: crate::i18n::Lang,
) -> Result<(Vec<Group>, Vec<export::DisclosureEntry>), AppError> {
    let subject = subject_of(customer);
    let (items, disclosed) = state
        .db
        .run(move |conn| {
            conn.read_tx(|conn| {
                let rows = subject::rows_of(conn, &subject)?;
                let disclosed = match rows.get("disclosures") {
                    Some(ids) => super::disclosures::listed(conn, ids)?,
                    None => Vec::new(),
                };
                Ok::<_, AppError>((subject::items(conn, &rows)?, disclosed))
            })
        })
        .await?;
    Ok((
        export::groups(&items, lang, &state.config.privacy, key),
        export::disclosure_entries(&disclosed, lang),
    ))
}

/// `GET /account/mijn-gegevens`.
pub async fn my_data(
    state: web::Data<AppState>,
    key: web::Data<DataKey>,
    ctx: PageCtx,
    customer: Customer,
) -> Result<HttpResponse, AppError> {
    let (groups, disclosures) = groups_of(&state, &key, &customer, ctx.lang).await?;
    crate::web::page(&MyDataPage {
        ctx,
        groups,
        disclosures,
        error: None,
    })
}

/// Checks the account's password off the async threads, within the login limits.
async fn password_ok(
    state: &AppState,
    req: &HttpRequest,
    customer: &Customer,
    password: String,
) -> Result<bool, AppError> {
    let client = crate::web::client_ip(req, state.config.behind_proxy);
    if let Err(wait) = state.customer_logins.attempt(client, &customer.email) {
        return Err(AppError::TooManyRequests(wait.retry_after.as_secs().max(1)));
    }
    let id = customer.id;
    state
        .db
        .with_pool(move |db| {
            // The connection goes back to the pool before the hash is checked.
            let hash: String = db.query(|conn| {
                Ok(customers::table
                    .find(id)
                    .select(customers::password_hash)
                    .first(conn)?)
            })?;
            Ok(crate::domain::password::verify(&password, &hash))
        })
        .await
}

/// `POST /account/mijn-gegevens/download`: the ZIP, after the password.
pub async fn download(
    state: web::Data<AppState>,
    key: web::Data<DataKey>,
    req: HttpRequest,
    ctx: PageCtx,
    customer: Customer,
    form: web::Form<PasswordForm>,
) -> Result<HttpResponse, AppError> {
    if !password_ok(&state, &req, &customer, form.into_inner().password).await? {
        let (groups, disclosures) = groups_of(&state, &key, &customer, ctx.lang).await?;
        return render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &MyDataPage {
                ctx,
                groups,
                disclosures,
                error: Some("account-password-wrong"),
            },
        );
    }
    export_zip(&state, &key, &customer, ctx.lang).await
}

/// The ZIP of everything held about `customer` (JSON and a readable page), as a download; also
/// what a request desk's download link gives (P13, P17).
pub async fn export_zip(
    state: &AppState,
    key: &DataKey,
    customer: &Customer,
    lang: crate::i18n::Lang,
) -> Result<HttpResponse, AppError> {
    let id = customer.id;
    // Logged for audit (P14): that a copy was made, never what it held. Logged first, so the
    // copy lists its own audit entry too.
    let version = state.statement_version.clone();
    let version = state
        .db
        .run(move |conn| {
            let look = super::audit::Look {
                action: "export",
                staff_id: None,
                customer_id: Some(id),
                subject: format!("customer:{id}"),
            };
            super::audit::record(conn, &[look])?;
            Ok(version(conn)?)
        })
        .await?;
    let (groups, disclosures) = groups_of(state, key, customer, lang).await?;
    let json = export::data_json(&groups, &disclosures, &state.config.shop, &version, lang);
    let html = ExportHtml {
        lang,
        shop: &state.config.shop.name,
        groups: &groups,
        disclosures: &disclosures,
    }
    .render()?;
    let bytes = export::zip(&json, &html).map_err(AppError::internal)?;
    tracing::info!("personal data exported for download");
    Ok(HttpResponse::Ok()
        .content_type("application/zip")
        .insert_header((
            "Content-Disposition",
            "attachment; filename=\"mijn-gegevens.zip\"",
        ))
        .insert_header(("Cache-Control", "no-store"))
        .body(bytes))
}

/// The last day order records of `customer_id` are kept for the tax law: the end of the 7th
/// year after the latest order's year (the fiscal retention runs from the end of the year).
fn kept_until(conn: &mut crate::db::DbConn, customer_id: i64) -> QueryResult<Option<NaiveDate>> {
    let latest: Option<NaiveDate> = orders::table
        .filter(orders::customer_id.eq(customer_id))
        .select(diesel::dsl::max(orders::delivery_date))
        .first(conn)?;
    Ok(latest.and_then(|d| NaiveDate::from_ymd_opt(d.year() + 7, 12, 31)))
}

async fn delete_page(
    state: &AppState,
    ctx: PageCtx,
    customer: &Customer,
    error: Option<&'static str>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let id = customer.id;
    let subject = subject_of(customer);
    let (until, company, open_orders) = state
        .db
        .run(move |conn| {
            Ok((
                kept_until(conn, id)?,
                crate::business::repo::membership_of(conn, id)?.is_some(),
                super::erasure::open_orders(conn, &subject)?,
            ))
        })
        .await?;
    let kept_until = until.map(|d| format!("{} {}", ctx.lang.date(d), d.year()));
    render(
        status,
        &DeletePage {
            ctx,
            kept_until,
            company,
            open_orders,
            error,
        },
    )
}

/// `GET /account/verwijderen`.
pub async fn confirm_delete(
    state: web::Data<AppState>,
    ctx: PageCtx,
    customer: Customer,
) -> Result<HttpResponse, AppError> {
    delete_page(&state, ctx, &customer, None, StatusCode::OK).await
}

/// `POST /account/verwijderen`: erases the account after the password. Without a logged-in
/// account (it was just deleted, or never was) the answer is 410, nothing changed.
pub async fn delete(
    state: web::Data<AppState>,
    key: web::Data<DataKey>,
    req: HttpRequest,
    session: Session,
    ctx: PageCtx,
    customer: Option<Customer>,
    form: web::Form<PasswordForm>,
) -> Result<HttpResponse, AppError> {
    let Some(customer) = customer else {
        return Err(AppError::Gone("privacy-delete-no-account"));
    };
    let subject = subject_of(&customer);
    let open = state
        .db
        .run(move |conn| Ok(super::erasure::open_orders(conn, &subject)?))
        .await?;
    if open > 0 {
        return delete_page(&state, ctx, &customer, None, StatusCode::CONFLICT).await;
    }
    if !password_ok(&state, &req, &customer, form.into_inner().password).await? {
        return delete_page(
            &state,
            ctx,
            &customer,
            Some("account-password-wrong"),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let subject = subject_of(&customer);
    let (name, lang, mail) = (
        customer.name.clone(),
        ctx.lang,
        crate::mail::messages::MailContext::of(&state.config),
    );
    let log = super::erasure_log::ErasureLog::in_dir(&state.config.data_dir);
    state
        .db
        .run(move |conn| {
            let why = crate::accounts::mails::LinkKind::Erased;
            let with = super::erasure::Erasing {
                key: &key,
                log: &log,
                mail: &mail,
            };
            super::erasure::erase(conn, &subject, &name, lang, &with, why)
        })
        .await?;
    let scrubbed = state
        .db
        .run(|conn| Ok(crate::db::scrub(conn, super::erasure::TABLES)?))
        .await;
    if let Err(e) = scrubbed {
        // The rows are gone; their old bytes go at the next scrub (the mail worker's).
        tracing::warn!(error = %e, "scrubbing the database files after an erasure failed");
    }
    auth::end(&session);
    tracing::info!("an account was erased");
    crate::web::page(&DeletedPage { ctx })
}
