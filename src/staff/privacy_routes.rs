//! The privacy desk, first part: staff record an unsubscribe a customer asked for by phone or
//! letter (P11). It goes into the consent ledger with the source `staff`.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::auth::{Allowed, PrivacyDesk};
use super::menu::{Section, StaffMenu};
use crate::error::AppError;
use crate::privacy::consent::ConsentSource;
use crate::privacy::newsletter::{self, State};
use crate::web::flash::{self, FlashKind};
use crate::web::{AppState, PageCtx, render, see_other};

/// `GET /medewerkers/nieuwsbrief`.
#[derive(Template)]
#[template(path = "staff/newsletter.html")]
pub struct DeskPage {
    pub ctx: PageCtx,
    /// The staff menu.
    pub menu: Option<StaffMenu>,
    /// What was typed.
    pub email: String,
    /// What to fix, or that the address is not on the list.
    pub error: Option<&'static str>,
}

/// The form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct UnsubscribeForm {
    /// The customer's address.
    pub email: String,
}

/// `GET /medewerkers/nieuwsbrief`.
pub async fn form(ctx: PageCtx, allowed: Allowed<PrivacyDesk>) -> Result<HttpResponse, AppError> {
    crate::web::page(&DeskPage {
        ctx,
        menu: Some(StaffMenu::new(&allowed.staff, Section::PrivacyDesk)),
        email: String::new(),
        error: None,
    })
}

/// `POST /medewerkers/nieuwsbrief`: unsubscribes the address, recorded as done by staff.
pub async fn unsubscribe(
    state: web::Data<AppState>,
    session: Session,
    ctx: PageCtx,
    allowed: Allowed<PrivacyDesk>,
    form: web::Form<UnsubscribeForm>,
) -> Result<HttpResponse, AppError> {
    let typed = form.into_inner().email;
    let Some(email) = crate::accounts::model::account_email(&typed) else {
        return render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &DeskPage {
                ctx,
                menu: Some(StaffMenu::new(&allowed.staff, Section::PrivacyDesk)),
                email: typed,
                error: Some("checkout-error-email"),
            },
        );
    };
    let address = email.as_str().to_owned();
    let found = state
        .db
        .run(move |conn| {
            let Some(subscriber) = newsletter::by_email(conn, &address)? else {
                return Ok(false);
            };
            if subscriber.state() != State::Unsubscribed {
                newsletter::unsubscribe(conn, subscriber.id, ConsentSource::Staff)?;
            }
            Ok(true)
        })
        .await?;
    if !found {
        return render(
            StatusCode::NOT_FOUND,
            &DeskPage {
                ctx,
                menu: Some(StaffMenu::new(&allowed.staff, Section::PrivacyDesk)),
                email: typed,
                error: Some("staff-newsletter-unknown"),
            },
        );
    }
    flash::set(&session, FlashKind::Success, "staff-newsletter-done");
    Ok(see_other("/medewerkers/nieuwsbrief"))
}
