//! Cookie consent (P12): the shop sets only strictly necessary and preference cookies; an
//! operator's analytics or advertising script is rendered only after the visitor accepted
//! advertisers' cookies. The choice is decided on the server, kept in a preference cookie (and
//! in the consent ledger for a logged-in customer), and can be changed at any time from the
//! footer. Refusing is one click, like accepting; everything works without JavaScript.

use actix_web::cookie::{Cookie, SameSite, time::Duration};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::consent::{self, ConsentPurpose, ConsentSource, ConsentSubject};
use crate::accounts::auth::Customer;
use crate::error::AppError;
use crate::web::flash::{self, FlashKind};
use crate::web::{AppState, PageCtx, is_local_path};

pub use crate::web::consent_cookie::{CONSENT_COOKIE, ads_choice};

/// The banner's and the settings page's form.
#[derive(Debug, Deserialize)]
pub struct ChoiceForm {
    /// `accepteren` or `weigeren`.
    pub keuze: String,
    /// The wording version the visitor saw.
    #[serde(default)]
    pub versie: String,
    /// Where to go back to (a local path).
    #[serde(default)]
    pub terug: String,
}

/// `GET /cookies`: what the shop sets, and the choice on advertisers' cookies.
#[derive(Template)]
#[template(path = "privacy/cookies.html")]
pub struct CookiePage {
    /// Page context.
    pub ctx: PageCtx,
    /// The shop's cookies, from the data map.
    pub cookies: Vec<super::pages::CookieRow>,
    /// The current choice.
    pub choice: Option<bool>,
    /// Whether an operator's script would load with consent.
    pub has_tracking: bool,
}

impl CookiePage {
    /// The wording version the form shows.
    pub fn version(&self) -> i32 {
        ConsentPurpose::AdCookies.current_version()
    }

    /// The wording the visitor agrees or refuses to.
    pub fn wording(&self) -> String {
        self.ctx
            .t(ConsentPurpose::AdCookies.wording_key(self.version()))
            .into_owned()
    }
}

/// `GET /cookies`.
pub async fn settings(
    state: web::Data<AppState>,
    req: HttpRequest,
    ctx: PageCtx,
) -> Result<HttpResponse, AppError> {
    let lang = ctx.lang;
    crate::web::page(&CookiePage {
        cookies: super::pages::cookie_rows(super::data_map::COOKIES, lang),
        choice: ads_choice(&req),
        has_tracking: state.config.privacy.tracking_script.is_some(),
        ctx,
    })
}

/// `POST /cookies`: stores the choice and returns the visitor where they were.
pub async fn choose(
    state: web::Data<AppState>,
    session: actix_session::Session,
    customer: Option<Customer>,
    form: web::Form<ChoiceForm>,
) -> Result<HttpResponse, AppError> {
    let accepted = match form.keuze.as_str() {
        "accepteren" => true,
        "weigeren" => false,
        _ => return Err(AppError::BadRequest("error-consent-unknown")),
    };
    let (purpose, version) = ConsentPurpose::from_form("ad_cookies", &form.versie)?;
    if let Some(customer) = customer {
        let id = customer.id;
        state
            .db
            .run(move |conn| {
                // Only a change is a new ledger entry; clicking the same choice again is not.
                if consent::latest(&consent::history(conn, id)?, purpose) != Some(accepted) {
                    consent::record(
                        conn,
                        ConsentSubject::account(id),
                        purpose,
                        accepted,
                        version,
                        ConsentSource::Banner,
                    )?;
                }
                Ok(())
            })
            .await?;
    }
    let value = format!("{version}.{}", if accepted { "a" } else { "r" });
    let cookie = Cookie::build(CONSENT_COOKIE, value)
        .path("/")
        .max_age(Duration::days(365))
        .same_site(SameSite::Lax)
        .http_only(true)
        .secure(state.config.is_https())
        .finish();
    flash::set(
        &session,
        FlashKind::Success,
        if accepted {
            "flash-cookies-accepted"
        } else {
            "flash-cookies-refused"
        },
    );
    let back = if is_local_path(&form.terug) {
        form.terug.as_str()
    } else {
        "/cookies"
    };
    Ok(HttpResponse::SeeOther()
        .cookie(cookie)
        .insert_header(("Location", back))
        .finish())
}
