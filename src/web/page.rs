//! The context every page template renders with: language, shop details, flash message, CSRF
//! token and helpers for text, prices and asset URLs.

use std::borrow::Cow;
use std::future::{Ready, ready};
use std::sync::Arc;

use actix_session::{Session, SessionExt};
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};

use super::{AppState, assets, consent_cookie, csrf, flash, session_keys};
use crate::config::{Config, ShopInfo};
use crate::i18n::Lang;
use crate::money::Money;

/// Per-request page context, extracted in handlers and passed to templates as `ctx`.
pub struct PageCtx {
    /// The visitor's language.
    pub lang: Lang,
    /// Path and query of the current page (where the language switch returns to).
    pub path: String,
    /// A message left by the previous request.
    pub flash: Option<flash::Flash>,
    /// Items in the cart, for the header.
    pub cart_count: u32,
    /// The visitor's choice on advertisers' cookies; `None` shows the cookie banner (P12).
    pub ads_choice: Option<bool>,
    /// A logged-in customer has not yet seen the changed privacy statement (P19).
    pub statement_notice: bool,
    config: Arc<Config>,
    session: Session,
    csrf: std::cell::OnceCell<String>,
}

impl PageCtx {
    /// Builds the context for a request (also used by the error pages).
    pub fn from_request(req: &HttpRequest) -> PageCtx {
        let session = req.get_session();
        let config = req
            .app_data::<web::Data<AppState>>()
            .map(|s| s.config.clone())
            .expect("AppState is registered on the app");
        PageCtx {
            lang: Lang::from_request(req),
            path: req
                .uri()
                .path_and_query()
                .map_or_else(|| "/".to_owned(), |p| p.as_str().to_owned()),
            flash: flash::take(&session),
            cart_count: session
                .get::<u32>(session_keys::CART_COUNT)
                .ok()
                .flatten()
                .unwrap_or(0),
            ads_choice: consent_cookie::ads_choice(req),
            statement_notice: matches!(
                session.get::<bool>(session_keys::STATEMENT_NOTICE),
                Ok(Some(true))
            ),
            config,
            session,
            csrf: std::cell::OnceCell::new(),
        }
    }

    /// The operator's tracking script, only when the visitor accepted advertisers' cookies
    /// (decided here, on the server: without consent the page does not name it at all), and
    /// never on pages that show personal data or carry secret links (the script could read
    /// them): the account, checkout, order status, newsletter links and the back office.
    pub fn tracking_script(&self) -> Option<&str> {
        const PRIVATE: &[&str] = &[
            "/account",
            "/zakelijk",
            "/afrekenen",
            "/bestelling",
            "/betaling",
            "/testbetaling",
            "/nieuwsbrief",
            "/medewerkers",
        ];
        let private = PRIVATE.iter().any(|p| self.path.starts_with(p));
        match self.ads_choice {
            Some(true) if !private => self.config.privacy.tracking_script.as_deref(),
            _ => None,
        }
    }

    /// Whether to show the cookie banner: no choice yet, and not on the cookie page itself.
    pub fn show_cookie_banner(&self) -> bool {
        self.ads_choice.is_none() && !self.is_current("/cookies")
    }

    /// The wording version of the newsletter sign-up in the footer.
    pub fn newsletter_wording_version(&self) -> i32 {
        crate::domain::ConsentPurpose::Newsletter.current_version()
    }

    /// The wording version of the advertisers' cookies choice the banner shows.
    pub fn cookie_wording_version(&self) -> i32 {
        crate::domain::ConsentPurpose::AdCookies.current_version()
    }

    /// The shop's own details.
    pub fn shop(&self) -> &ShopInfo {
        &self.config.shop
    }

    /// A message from the catalogue in the page's language.
    pub fn t(&self, key: impl AsRef<str>) -> Cow<'static, str> {
        self.lang.t(key)
    }

    /// A message with its arguments filled in.
    pub fn t_args(&self, key: &str, args: &[(&'static str, String)]) -> String {
        self.lang.t_args(key, args)
    }

    /// "Try again in … minutes", when there are minutes to wait after too many attempts.
    pub fn wait_message(&self, minutes: Option<u64>) -> Option<String> {
        minutes.map(|minutes| self.t_args("login-too-many", &[("minutes", minutes.to_string())]))
    }

    /// A date as customers read it ("vrijdag 27 november").
    pub fn date(&self, date: &chrono::NaiveDate) -> String {
        self.lang.date(*date)
    }

    /// A price as customers read it in the page's language.
    pub fn money(&self, amount: impl Into<Money>) -> crate::money::Shown {
        amount.into().shown(self.lang)
    }

    /// The versioned URL of a file under `static/` (cached for a year by browsers).
    pub fn asset(&self, path: impl AsRef<str>) -> assets::AssetUrl {
        assets::url(path.as_ref())
    }

    /// The CSRF token for this visitor's forms (created on first use). One masked token per
    /// page: every response still carries a fresh one (BREACH), without masking it per form.
    pub fn csrf_token(&self) -> &str {
        self.csrf.get_or_init(|| csrf::token(&self.session))
    }

    /// Whether the current page is `path` (query ignored), for `aria-current` in the menu.
    pub fn is_current(&self, path: &str) -> bool {
        self.path.split('?').next() == Some(path)
    }

    /// The languages the visitor can switch to.
    pub fn other_langs(&self) -> Vec<Lang> {
        Lang::ALL.into_iter().filter(|l| *l != self.lang).collect()
    }
}

impl FromRequest for PageCtx {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(PageCtx::from_request(req)))
    }
}
