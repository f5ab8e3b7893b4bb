//! The language switch: `POST /taal` remembers the choice in a preference cookie and returns the
//! visitor to the page they were on.

use actix_session::Session;
use actix_web::cookie::{Cookie, SameSite, time::Duration};
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::flash::{self, FlashKind};
use super::{AppState, is_local_path};
use crate::error::AppError;
use crate::i18n::{LANG_COOKIE, Lang};

/// The switch's form.
#[derive(Debug, Deserialize)]
pub struct SwitchForm {
    /// The chosen language code.
    pub lang: String,
    /// Where to go back to (a local path).
    #[serde(default)]
    pub terug: String,
}

/// Sets the language cookie (one year) and redirects back (POST/redirect/GET).
pub async fn switch(
    state: web::Data<AppState>,
    session: Session,
    form: web::Form<SwitchForm>,
) -> Result<HttpResponse, AppError> {
    let lang = Lang::from_code(&form.lang).ok_or(AppError::BadRequest("error-unknown-language"))?;
    let back = if is_local_path(&form.terug) {
        form.terug.as_str()
    } else {
        "/"
    };
    let cookie = Cookie::build(LANG_COOKIE, lang.code())
        .path("/")
        .max_age(Duration::days(365))
        .same_site(SameSite::Lax)
        .http_only(true)
        .secure(state.config.is_https())
        .finish();
    flash::set(&session, FlashKind::Success, "flash-language-changed");
    Ok(HttpResponse::SeeOther()
        .cookie(cookie)
        .insert_header(("Location", back))
        .finish())
}
