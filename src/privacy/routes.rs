//! Privacy routes.

use actix_session::Session;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::pages::PrivacyPage;
use crate::error::AppError;
use crate::web::{self as site, AppState, PageCtx};

/// `GET /privacy`: the privacy statement, generated from the data map.
pub async fn privacy(state: web::Data<AppState>, ctx: PageCtx) -> Result<HttpResponse, AppError> {
    let version = state.statement_version.clone();
    let (version, rows) = state
        .db
        .run(move |conn| Ok((version(conn)?, super::processors::rows(conn)?)))
        .await?;
    site::page(&PrivacyPage::new(
        ctx,
        &state.config.privacy,
        &rows,
        &version,
    ))
}

/// The notice's form.
#[derive(Debug, Deserialize)]
pub struct ReadForm {
    /// Where to go back to (a local path).
    #[serde(default)]
    pub terug: String,
}

/// `POST /privacy/gelezen`: the customer acknowledged the changed statement; its version is
/// stored with the account (P19) and the notice goes away.
pub async fn acknowledge(
    state: web::Data<AppState>,
    session: Session,
    customer: crate::accounts::auth::Customer,
    form: web::Form<ReadForm>,
) -> Result<HttpResponse, AppError> {
    let (version, id) = (state.statement_version.clone(), customer.id);
    state
        .db
        .run(move |conn| {
            let version = version(conn)?;
            Ok(crate::accounts::repo::accept_statement(conn, id, &version)?)
        })
        .await?;
    session.remove(crate::web::session_keys::STATEMENT_NOTICE);
    let back = if site::is_local_path(&form.terug) {
        form.terug.as_str()
    } else {
        "/"
    };
    Ok(site::see_other(back))
}
