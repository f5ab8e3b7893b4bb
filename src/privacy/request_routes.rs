//! The requester's side of the identity check (P16): the confirmation link from the request
//! desk opens a page with one button (a mail scanner fetching the link confirms nothing), and
//! pressing it confirms that the address on file belongs to the person asking.

use actix_web::{HttpResponse, web};

use super::pages::LinkPage;
use super::requests;
use crate::error::AppError;
use crate::web::{AppState, PageCtx};

fn page(ctx: PageCtx, email: String, button: Option<String>) -> LinkPage {
    let (text, step) = match button {
        Some(_) => ("request-confirm-page", "confirm"),
        None => ("request-confirmed-page", "confirmed"),
    };
    LinkPage {
        ctx,
        heading: "request-confirm-heading",
        text,
        email,
        button: button.map(|action| ("request-confirm-button", action)),
        link: None,
        class: format!("request-{step}"),
    }
}

/// `GET /verzoek/bevestigen/{token}`.
pub async fn confirm_page(
    state: web::Data<AppState>,
    ctx: PageCtx,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let lookup = token.clone();
    let request = state
        .db
        .run(move |conn| requests::by_link(conn, &lookup))
        .await?;
    let action = format!("/verzoek/bevestigen/{token}");
    crate::web::page(&page(ctx, request.requester_email, Some(action)))
}

/// `POST /verzoek/bevestigen/{token}`: the requester's identity is confirmed.
pub async fn confirm(
    state: web::Data<AppState>,
    ctx: PageCtx,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let request = state
        .db
        .run(move |conn| requests::confirm_link(conn, &token))
        .await?;
    crate::web::page(&page(ctx, request.requester_email, None))
}

/// `GET /verzoek/download/{token}`: the page with the download button (a mail scanner fetching
/// the link makes no copy).
pub async fn download_page(
    state: web::Data<AppState>,
    ctx: PageCtx,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let lookup = token.clone();
    let email = state
        .db
        .run(move |conn| {
            let (_, customer) = super::request_handling::download_account(conn, &lookup)?;
            let row = crate::accounts::repo::by_id(conn, customer)?;
            row.map(|r| r.email)
                .ok_or(AppError::Gone("request-download-gone"))
        })
        .await?;
    crate::web::page(&LinkPage {
        ctx,
        heading: "request-download-heading",
        text: "request-download-page",
        email,
        button: Some((
            "request-download-button",
            format!("/verzoek/download/{token}"),
        )),
        link: None,
        class: "download".into(),
    })
}

/// `POST /verzoek/download/{token}`: the ZIP, the same as the account page gives.
pub async fn download(
    state: web::Data<AppState>,
    key: web::Data<crate::domain::sealed::DataKey>,
    ctx: PageCtx,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let customer = state
        .db
        .run(move |conn| {
            let (_, customer) = super::request_handling::download_account(conn, &token)?;
            crate::accounts::repo::by_id(conn, customer)?
                .ok_or(AppError::Gone("request-download-gone"))
        })
        .await?;
    let lang = crate::i18n::Lang::from_code(&customer.lang).unwrap_or(ctx.lang);
    let customer = crate::accounts::auth::Customer {
        id: customer.id,
        name: customer.name.clone(),
        email: customer.email.clone(),
        phone: customer.phone.clone(),
    };
    super::self_service::export_zip(&state, &key, &customer, lang).await
}
